//! The UI's language, for the views: one app-wide signal, and helpers that read messages from
//! `crate::i18n` in it. Views use [`t`] (a text that follows the language); handlers that
//! set a message once use [`text`] / [`text_with`]; what is kept to be shown later (the status
//! line) is a [`Said`], put into words when shown, so it follows a language switch.

use std::sync::OnceLock;

use fluent_bundle::FluentValue;
use leptos::prelude::*;

use crate::i18n::Language;

/// The language the UI speaks now. Reference-counted rather than owned by a component, so
/// it lives as long as the page, and async tasks (which run outside any owner) can read it.
pub fn language() -> ArcRwSignal<Language> {
    static LANGUAGE: OnceLock<ArcRwSignal<Language>> = OnceLock::new();
    LANGUAGE
        .get_or_init(|| ArcRwSignal::new(browser_language()))
        .clone()
}

/// The first of the browser's preferred languages that the UI speaks (else English): the
/// language of a student who has not chosen one.
pub fn browser_language() -> Language {
    let navigator = window().navigator();
    let tags: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .chain(navigator.language())
        .collect();
    Language::preferred(tags.iter().map(String::as_str))
}

/// Speak `language` from now on: every text made by [`t`] changes, and the page says which
/// language it is in (screen readers and fonts follow `<html lang>`).
pub fn set_language(language: Language) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", language.code());
    }
    let signal = self::language();
    if signal.get_untracked() != language {
        signal.set(language);
    }
}

/// The message `id` as a text that follows the UI's language (for `view!`).
pub fn t(id: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let language = language();
    move || language.get().text(id)
}

/// The message `id` with variables, in the UI's language, tracked: call it inside a view's
/// closure so the text follows language changes.
pub fn tw(id: &str, args: &[(&str, FluentValue)]) -> String {
    language().get().text_with(id, args)
}

/// The message `id` in the UI's language now (for a message set once by a handler).
pub fn text(id: &str) -> String {
    language().get_untracked().text(id)
}

/// The message `id` with variables, in the UI's language now.
pub fn text_with(id: &str, args: &[(&str, FluentValue)]) -> String {
    language().get_untracked().text_with(id, args)
}

/// A message kept to be shown later: a message id with its arguments, put into words in the
/// UI's language each time it is shown, or a text that has no translation (an error that names
/// a file, a path or a browser's reason).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Said {
    #[default]
    Nothing,
    Message(&'static str, Vec<(&'static str, Arg)>),
    Raw(String),
}

/// An argument of a [`Said`] message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

/// The message `id`, to be put into words when shown.
pub fn said(id: &'static str) -> Said {
    Said::Message(id, Vec::new())
}

/// The message `id` with its arguments, to be put into words when shown.
pub fn said_with(id: &'static str, args: &[(&'static str, FluentValue)]) -> Said {
    let args = args
        .iter()
        .map(|(name, value)| {
            let arg = match value {
                FluentValue::Number(n) => Arg::Number(n.value),
                FluentValue::String(s) => Arg::Text(s.to_string()),
                _ => Arg::Text(String::new()),
            };
            (*name, arg)
        })
        .collect();
    Said::Message(id, args)
}

impl Said {
    /// A text shown as it is (no translation exists for it).
    pub fn raw(text: impl ToString) -> Self {
        Said::Raw(text.to_string())
    }

    /// In words, in the UI's language (tracked: call it inside a view's closure).
    pub fn words(&self) -> String {
        match self {
            Said::Nothing => String::new(),
            Said::Raw(text) => text.clone(),
            Said::Message(id, args) => {
                let args: Vec<(&str, FluentValue)> = args
                    .iter()
                    .map(|(name, arg)| {
                        let value = match arg {
                            Arg::Text(s) => FluentValue::from(s.clone()),
                            Arg::Number(n) => FluentValue::from(*n),
                        };
                        (*name, value)
                    })
                    .collect();
                tw(id, &args)
            }
        }
    }
}
