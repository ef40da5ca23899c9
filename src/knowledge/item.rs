//! What a review card, an outcome and a student's kept handwriting are about: one practice
//! class, one quiz question or one teach task of a lesson. [`ItemId`] makes the one text format
//! each is stored under (cards and outcomes written by earlier versions used the same), and
//! [`ItemId::lesson_of`] is the one place that reads a stored item back.

use std::fmt;

use crate::lesson::LessonId;

/// One reviewable item of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemId {
    /// A class (a glyph, or a topic to write a sentence about) of a practice task:
    /// `lesson/class name`.
    Practice { lesson: LessonId, class: String },
    /// A question of a quiz task: `lesson/task/question` (indices).
    Question {
        lesson: LessonId,
        task: usize,
        question: usize,
    },
    /// A teach task's target: `lesson/task`.
    Teach { lesson: LessonId, task: usize },
}

impl ItemId {
    pub fn practice(lesson: &LessonId, class: &str) -> Self {
        ItemId::Practice {
            lesson: lesson.clone(),
            class: class.to_string(),
        }
    }

    pub fn question(lesson: &LessonId, task: usize, question: usize) -> Self {
        ItemId::Question {
            lesson: lesson.clone(),
            task,
            question,
        }
    }

    pub fn teach(lesson: &LessonId, task: usize) -> Self {
        ItemId::Teach {
            lesson: lesson.clone(),
            task,
        }
    }

    /// The key it is stored under.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The lesson of an item as stored. Lesson ids hold no '/' (lowercase letters, digits,
    /// dashes: `lesson::validate`), so it is everything before the first one.
    pub fn lesson_of(stored: &str) -> &str {
        stored.split_once('/').map_or(stored, |(lesson, _)| lesson)
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemId::Practice { lesson, class } => write!(f, "{lesson}/{class}"),
            ItemId::Question {
                lesson,
                task,
                question,
            } => write!(f, "{lesson}/{task}/{question}"),
            ItemId::Teach { lesson, task } => write!(f, "{lesson}/{task}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_the_stored_formats_and_name_their_lesson() {
        let id = |text: &str| LessonId::parse(text).unwrap();
        let items = [
            (
                ItemId::practice(&id("greek-letters"), "alpha α"),
                "greek-letters/alpha α",
            ),
            (
                ItemId::question(&id("teach-the-machine"), 1, 2),
                "teach-the-machine/1/2",
            ),
            (
                ItemId::teach(&id("teach-the-machine"), 3),
                "teach-the-machine/3",
            ),
            // A class name may hold '/': the lesson is still the part before the first one.
            (ItemId::practice(&id("moods"), "yes/no"), "moods/yes/no"),
        ];
        for (item, stored) in items {
            assert_eq!(item.key(), stored);
            let lesson = match &item {
                ItemId::Practice { lesson, .. }
                | ItemId::Question { lesson, .. }
                | ItemId::Teach { lesson, .. } => lesson.clone(),
            };
            assert_eq!(ItemId::lesson_of(stored), lesson.as_str());
        }
        assert_eq!(ItemId::lesson_of("no-slash"), "no-slash");
    }
}
