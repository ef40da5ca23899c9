//! What a student should do next: due reviews first, then lessons whose prerequisites are all
//! mastered (nearest to the basics first), never a lesson whose prerequisites are not, and
//! each suggestion says why ([`Reason`], in words in the UI's language).

use std::collections::HashMap;

use super::bkt::MASTERED;
use super::graph::ConceptGraph;
use crate::i18n::Language;
use crate::lesson::{Lesson, LessonId};

#[derive(Debug, Clone, PartialEq)]
pub enum Suggestion {
    /// Practise the items whose review is due.
    Review { due: usize, reason: Reason },
    /// Take this lesson.
    Lesson { id: LessonId, reason: Reason },
}

/// A lesson that cannot be suggested yet, and the concepts to master first.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocked {
    pub id: LessonId,
    pub missing: Vec<String>,
    pub reason: Reason,
}

/// Why something is suggested or held back. Lesson titles and concept names are the
/// lesson's own words (in the lesson's language); the sentence around them is the UI's.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// `count` practised items are due for review.
    ReviewDue { count: usize },
    /// The lesson needs nothing and teaches these concepts.
    FromTheStart {
        lesson: String,
        teaches: Vec<String>,
    },
    /// Its prerequisites are mastered; it teaches these concepts.
    PrerequisitesMastered {
        mastered: Vec<String>,
        lesson: String,
        teaches: Vec<String>,
    },
    /// The lesson waits for these concepts.
    NeedsFirst {
        lesson: String,
        missing: Vec<String>,
    },
}

impl Reason {
    /// The reason as a sentence in `language`.
    pub fn text(&self, language: Language) -> String {
        let quote = |name: &String| language.text_with("quoted", &[("text", name.into())]);
        let list = |names: &[String]| {
            names
                .iter()
                .map(quote)
                .collect::<Vec<_>>()
                .join(&language.text("list-separator"))
        };
        match self {
            Reason::ReviewDue { count } => {
                language.text_with("next-review", &[("count", (*count).into())])
            }
            Reason::FromTheStart { lesson, teaches } => language.text_with(
                "next-from-the-start",
                &[
                    ("lesson", quote(lesson).into()),
                    ("teaches", list(teaches).into()),
                ],
            ),
            Reason::PrerequisitesMastered {
                mastered,
                lesson,
                teaches,
            } => language.text_with(
                "next-prerequisites-mastered",
                &[
                    ("mastered", list(mastered).into()),
                    ("lesson", quote(lesson).into()),
                    ("teaches", list(teaches).into()),
                ],
            ),
            Reason::NeedsFirst { lesson, missing } => language.text_with(
                "next-needs-first",
                &[
                    ("lesson", quote(lesson).into()),
                    ("missing", list(missing).into()),
                ],
            ),
        }
    }
}

fn mastered(mastery: &HashMap<String, f64>, concept: &str) -> bool {
    mastery.get(concept).copied().unwrap_or(0.0) >= MASTERED
}

/// The concepts' names (their ids where the graph lacks them).
fn names(graph: &ConceptGraph, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| graph.get(id).map_or(id.clone(), |c| c.name.clone()))
        .collect()
}

/// Suggestions in order, and the lessons held back (with what they wait for).
pub fn what_next(
    lessons: &[Lesson],
    graph: &ConceptGraph,
    mastery: &HashMap<String, f64>,
    due_reviews: usize,
) -> (Vec<Suggestion>, Vec<Blocked>) {
    let mut suggestions = Vec::new();
    if due_reviews > 0 {
        suggestions.push(Suggestion::Review {
            due: due_reviews,
            reason: Reason::ReviewDue { count: due_reviews },
        });
    }
    let mut ready = Vec::new();
    let mut blocked = Vec::new();
    for lesson in lessons {
        // What must be mastered first: the lesson's own requirements and every prerequisite
        // of what it teaches (that it does not teach itself).
        let mut needed: Vec<String> = lesson.requires.clone();
        for c in &lesson.teaches {
            needed.extend(graph.all_prerequisites(c));
        }
        needed.sort();
        needed.dedup();
        needed.retain(|c| !lesson.teaches.contains(c));
        let missing: Vec<String> = needed
            .iter()
            .filter(|c| !mastered(mastery, c))
            .cloned()
            .collect();
        let to_learn: Vec<String> = lesson
            .teaches
            .iter()
            .filter(|c| !mastered(mastery, c))
            .cloned()
            .collect();
        if !missing.is_empty() {
            blocked.push(Blocked {
                id: lesson.id.clone(),
                reason: Reason::NeedsFirst {
                    lesson: lesson.title.clone(),
                    missing: names(graph, &missing),
                },
                missing,
            });
        } else if !to_learn.is_empty() {
            let depth = lesson
                .teaches
                .iter()
                .map(|c| graph.all_prerequisites(c).len())
                .min()
                .unwrap_or(0);
            let reason = if needed.is_empty() {
                Reason::FromTheStart {
                    lesson: lesson.title.clone(),
                    teaches: names(graph, &to_learn),
                }
            } else {
                Reason::PrerequisitesMastered {
                    mastered: names(graph, &needed),
                    lesson: lesson.title.clone(),
                    teaches: names(graph, &to_learn),
                }
            };
            ready.push((depth, lesson.id.clone(), reason));
        }
    }
    ready.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    suggestions.extend(
        ready
            .into_iter()
            .map(|(_, id, reason)| Suggestion::Lesson { id, reason }),
    );
    (suggestions, blocked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{ConceptDef, FORMAT, Question, Task, VERSION};

    fn lesson(id: &str, defines: &[(&str, &[&str])], teaches: &[&str]) -> Lesson {
        Lesson {
            format: FORMAT.into(),
            version: VERSION,
            id: LessonId::parse(id).unwrap(),
            title: id.to_uppercase(),
            description: String::new(),
            language: "en".into(),
            concepts: defines
                .iter()
                .map(|(c, requires)| ConceptDef {
                    id: c.to_string(),
                    name: c.to_string(),
                    description: String::new(),
                    requires: requires.iter().map(|r| r.to_string()).collect(),
                })
                .collect(),
            teaches: teaches.iter().map(|t| t.to_string()).collect(),
            requires: vec![],
            mastery: None,
            tasks: vec![Task::Quiz {
                title: "q".into(),
                concepts: vec![],
                questions: vec![Question::Free {
                    prompt: "?".into(),
                    answers: vec!["!".into()],
                    explanation: String::new(),
                }],
            }],
        }
    }

    fn course() -> (Vec<Lesson>, ConceptGraph) {
        let lessons = vec![
            lesson(
                "overfit",
                &[("overfitting", &["training", "testing"])],
                &["overfitting"],
            ),
            lesson(
                "basics",
                &[("examples", &[]), ("training", &["examples"])],
                &["examples", "training"],
            ),
            lesson("test", &[("testing", &["training"])], &["testing"]),
        ];
        let graph = ConceptGraph::from_lessons(&lessons).unwrap();
        (lessons, graph)
    }

    fn ids(s: &[Suggestion]) -> Vec<String> {
        s.iter()
            .map(|s| match s {
                Suggestion::Review { .. } => "review".to_string(),
                Suggestion::Lesson { id, .. } => id.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_new_student_starts_at_the_beginning_and_nothing_is_skipped() {
        let (lessons, graph) = course();
        let (next, blocked) = what_next(&lessons, &graph, &HashMap::new(), 0);
        assert_eq!(ids(&next), ["basics"]);
        let blocked: Vec<&str> = blocked.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(blocked, ["overfit", "test"]);
    }

    #[test]
    fn mastered_prerequisites_open_the_next_lesson_and_reviews_come_first() {
        let (lessons, graph) = course();
        let mastery: HashMap<String, f64> = [
            ("examples".to_string(), 0.97),
            ("training".to_string(), 0.96),
        ]
        .into();
        let (next, blocked) = what_next(&lessons, &graph, &mastery, 2);
        assert_eq!(ids(&next), ["review", "test"]);
        let Suggestion::Lesson { reason, .. } = &next[1] else {
            panic!()
        };
        assert_eq!(
            reason.text(Language::English),
            "You have mastered \"examples\", \"training\", so \"TEST\" is next: it teaches \"testing\"."
        );
        assert_eq!(
            reason.text(Language::SimplifiedChinese),
            "你已经掌握了“examples”、“training”，所以下一课是“TEST”：它讲“testing”。"
        );
        let Suggestion::Review { reason, .. } = &next[0] else {
            panic!()
        };
        assert_eq!(
            reason.text(Language::English),
            "2 practised items are due for review: reviewing at the right time keeps them."
        );
        assert_eq!(blocked.len(), 1);
        assert_eq!(blocked[0].missing, ["testing"]);
        assert_eq!(
            blocked[0].reason.text(Language::English),
            "\"OVERFIT\" needs \"testing\" first."
        );
        // Almost mastered is not mastered.
        let mastery: HashMap<String, f64> = [
            ("examples".to_string(), 0.97),
            ("training".to_string(), 0.94),
        ]
        .into();
        let (next, _) = what_next(&lessons, &graph, &mastery, 0);
        assert_eq!(ids(&next), ["basics"], "basics still teaches training");
    }
}
