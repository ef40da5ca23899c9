//! The words of the UI in each language it speaks: English and Simplified Chinese. Every
//! string lives in `locales/<language>/*.ftl` (Project Fluent messages, embedded at build
//! time); code asks for a message by its id. Pure logic, tested natively: both languages have
//! the same messages, each parses, and every id the code asks for exists.
//!
//! Lessons carry their own language (`Lesson::language`): this module is the platform's words,
//! not the teacher's.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    English,
    SimplifiedChinese,
}

/// The message files of each language, in the order they are read (the same names in each).
const FILES: [(Language, &[(&str, &str)]); 2] = [
    (
        Language::English,
        &[
            ("app.ftl", include_str!("../../locales/en/app.ftl")),
            (
                "projects.ftl",
                include_str!("../../locales/en/projects.ftl"),
            ),
            ("learn.ftl", include_str!("../../locales/en/learn.ftl")),
        ],
    ),
    (
        Language::SimplifiedChinese,
        &[
            ("app.ftl", include_str!("../../locales/zh-CN/app.ftl")),
            (
                "projects.ftl",
                include_str!("../../locales/zh-CN/projects.ftl"),
            ),
            ("learn.ftl", include_str!("../../locales/zh-CN/learn.ftl")),
        ],
    ),
];

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::SimplifiedChinese];

    /// The BCP 47 tag stored in a profile and set on the page (`<html lang>`).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::SimplifiedChinese => "zh-CN",
        }
    }

    /// The language's name in itself, as the language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::SimplifiedChinese => "简体中文",
        }
    }

    /// The language for a stored code or a browser's language tag (`en-GB`, `zh`,
    /// `zh-Hans-CN`); `None` for a language the UI does not speak. Every Chinese tag gets
    /// Simplified Chinese: the nearest the UI has.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::English),
            "zh" => Some(Language::SimplifiedChinese),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages that the UI speaks, else English.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Language {
        tags.into_iter()
            .find_map(Language::from_tag)
            .unwrap_or_default()
    }

    /// The message `id` in this language (English where this language lacks it; the id
    /// itself where both do, which the tests rule out).
    pub fn text(self, id: &str) -> String {
        self.text_with(id, &[])
    }

    /// The message `id` with its variables (`{ $name }` in the message) filled in.
    pub fn text_with(self, id: &str, args: &[(&str, FluentValue)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        for language in [self, Language::English] {
            let bundle = bundle(language);
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, Some(&fluent_args), &mut errors)
                    .into_owned();
            }
        }
        id.to_string()
    }
}

fn bundle(language: Language) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| {
        FILES
            .iter()
            .map(|(language, files)| {
                let id: LanguageIdentifier = language.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around variables: the UI is left-to-right only,
                // and the marks would show up in copied text and in tests.
                bundle.set_use_isolating(false);
                for (_, source) in *files {
                    // A file with a syntax error still gives its good messages; the tests
                    // make sure there is none.
                    let resource = FluentResource::try_new(source.to_string())
                        .unwrap_or_else(|(partial, _)| partial);
                    // A message defined twice keeps its first text (the tests forbid it).
                    let _ = bundle.add_resource(resource);
                }
                bundle
            })
            .collect()
    });
    let index = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0);
    &bundles[index]
}

#[cfg(test)]
mod tests;
