use std::collections::BTreeSet;
use std::path::Path;

use fluent_bundle::FluentResource;
use fluent_syntax::ast::Entry;

use super::*;

/// The message ids of one file, failing on a syntax error.
fn ids(language: Language, name: &str, source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, errors)| panic!("locales/{}/{name}: {errors:?}", language.code()));
    resource
        .entries()
        .filter_map(|e| match e {
            Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

fn all_ids(language: Language) -> BTreeSet<String> {
    let (_, files) = FILES.iter().find(|(l, _)| *l == language).unwrap();
    let mut all = BTreeSet::new();
    for (name, source) in *files {
        for id in ids(language, name, source) {
            assert!(
                all.insert(id.clone()),
                "{id} is defined twice in locales/{}",
                language.code()
            );
        }
    }
    all
}

#[test]
fn every_language_has_the_same_messages() {
    let english = all_ids(Language::English);
    assert!(english.len() > 100, "{} messages", english.len());
    for language in Language::ALL {
        let ids = all_ids(language);
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "locales/{}: missing {missing:?}, not in English {extra:?}",
            language.code()
        );
    }
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

/// The ids the code asks for: the string literal that follows `t(`, `tw(`, `text(`,
/// `text_with(`, `said(` or `said_with(` (the calls of `ui::i18n` and `Language`).
fn ids_asked_for(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for call in [
        "t(\"",
        "tw(\"",
        "text(\"",
        "text_with(\"",
        "said(\"",
        "said_with(\"",
    ] {
        for (at, _) in source.match_indices(call) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &source[at + call.len()..];
            let id: String = rest.chars().take_while(|c| *c != '"').collect();
            found.push(id);
        }
    }
    found
}

#[test]
fn every_message_the_code_asks_for_exists_and_every_message_is_used() {
    let english = all_ids(Language::English);
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut unknown = Vec::new();
    for (path, source) in &files {
        for id in ids_asked_for(source) {
            if !english.contains(&id) {
                unknown.push(format!("{path}: {id}"));
            }
        }
    }
    assert!(unknown.is_empty(), "no such message: {unknown:#?}");
    // Ids reached through a table (a constant, a match) are string literals too.
    let unused: Vec<_> = english
        .iter()
        .filter(|id| !files.iter().any(|(_, s)| s.contains(&format!("\"{id}\""))))
        .collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn variables_are_filled_in_and_plurals_follow_the_language() {
    let one = Language::English.text_with("next-review", &[("count", 1.into())]);
    let many = Language::English.text_with("next-review", &[("count", 3.into())]);
    assert!(one.starts_with("1 practised item is due"), "{one}");
    assert!(many.starts_with("3 practised items are due"), "{many}");
    let chinese = Language::SimplifiedChinese.text_with("next-review", &[("count", 3.into())]);
    assert!(
        chinese.contains('3') && !chinese.contains("items"),
        "{chinese}"
    );
    assert!(
        !chinese.contains('\u{2068}'),
        "no isolation marks: {chinese:?}"
    );
}

#[test]
fn languages_come_from_tags_and_unknown_ids_show_themselves() {
    assert_eq!(
        Language::from_tag("zh-Hans-CN"),
        Some(Language::SimplifiedChinese)
    );
    assert_eq!(Language::from_tag("zh"), Some(Language::SimplifiedChinese));
    assert_eq!(Language::from_tag("en-GB"), Some(Language::English));
    assert_eq!(Language::from_tag("fr"), None);
    assert_eq!(Language::from_tag(""), None);
    assert_eq!(
        Language::preferred(["fr-FR", "zh-CN", "en"]),
        Language::SimplifiedChinese
    );
    assert_eq!(Language::preferred(["de"]), Language::English);
    for language in Language::ALL {
        assert_eq!(Language::from_tag(language.code()), Some(language));
    }
    let unknown = "no-such-message";
    assert_eq!(Language::SimplifiedChinese.text(unknown), unknown);
    assert_ne!(
        Language::SimplifiedChinese.text("nav-learn"),
        Language::English.text("nav-learn")
    );
}
