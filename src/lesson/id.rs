//! [`LessonId`]: what a lesson is known by on every device (its file, its students' progress,
//! review cards and outcomes, the teach projects its tasks made). One format: lowercase ASCII
//! letters, digits and dashes, 1 to 64 long; checked here only.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id.
pub const MAX_ID_CHARS: usize = 64;
/// How long an id made from a title may get (room for a `-skill` suffix on its concept).
const MAX_TITLE_ID_CHARS: usize = 48;

/// A lesson's id. Stored and written in files as the bare text (`"greek-letters"`); a file's
/// id is read as it is and checked with [`LessonId::check`] by `Lesson::validate`, so a bad
/// one is refused with its path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LessonId(String);

/// What is wrong with a text that should be an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnId(pub String);

impl fmt::Display for NotAnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not an id (lowercase letters, digits and dashes, at most {MAX_ID_CHARS})",
            self.0
        )
    }
}

impl std::error::Error for NotAnId {}

/// Whether `text` has the one id format (also used for concept ids).
pub fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_ID_CHARS
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl LessonId {
    /// An id given as text (a stored key, a built-in lesson), checked.
    pub fn parse(text: &str) -> Result<Self, NotAnId> {
        if is_id(text) {
            Ok(LessonId(text.to_string()))
        } else {
            Err(NotAnId(text.to_string()))
        }
    }

    /// The id a new lesson gets from its title: its ASCII letters and digits, lowercased,
    /// dashes between words, at most 48 long; `lesson` when nothing is left.
    pub fn from_title(title: &str) -> Self {
        let mut out = String::new();
        for c in title.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let out: String = out
            .trim_end_matches('-')
            .chars()
            .take(MAX_TITLE_ID_CHARS)
            .collect();
        let out = out.trim_end_matches('-');
        LessonId(if out.is_empty() { "lesson" } else { out }.to_string())
    }

    /// Whether it has the format (a lesson read from a file may not).
    pub fn check(&self) -> Result<(), NotAnId> {
        Self::parse(&self.0).map(|_| ())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LessonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for LessonId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for LessonId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_titles_have_the_format() {
        for (title, id) in [
            ("Three Greek letters", "three-greek-letters"),
            ("  Hello, World!  ", "hello-world"),
            ("Ελληνικά", "lesson"),
            ("", "lesson"),
            ("A--b", "a-b"),
            ("Lesson 2: loops", "lesson-2-loops"),
        ] {
            let made = LessonId::from_title(title);
            assert_eq!(made.as_str(), id, "{title:?}");
            assert_eq!(made.check(), Ok(()));
        }
        // Cut at 48 without a dash at the end.
        let long = LessonId::from_title(&format!("{} b", "a".repeat(47)));
        assert_eq!(long.as_str(), "a".repeat(47));
    }

    #[test]
    fn only_the_format_parses() {
        assert_eq!(LessonId::parse("greek-1").unwrap().to_string(), "greek-1");
        for bad in ["", "Greek", "a/b", "a b", "é", &"a".repeat(65)] {
            assert_eq!(
                LessonId::parse(bad),
                Err(NotAnId(bad.to_string())),
                "{bad:?}"
            );
        }
        assert!(LessonId::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn stored_as_bare_text() {
        let id = LessonId::parse("greek").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"greek\"");
        let read: LessonId = serde_json::from_str("\"Not Checked\"").unwrap();
        assert!(read.check().is_err());
    }
}
