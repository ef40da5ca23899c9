//! The lessons Inkling ships (`public/lessons/`, embedded in the app), and how the handwriting
//! lesson is made from real Omniglot pen trajectories (`inkling make-lesson greek`), so the
//! committed file is reproducible.

use super::{ConceptDef, FORMAT, Lesson, LessonClass, LessonId, Question, Task, VERSION};
use crate::learn::preprocess::{Point, Stroke};

/// File name and text of each built-in lesson.
pub const BUILTIN: [(&str, &str); 3] = [
    (
        "teach-the-machine.json",
        include_str!("../../public/lessons/teach-the-machine.json"),
    ),
    (
        "greek-letters.json",
        include_str!("../../public/lessons/greek-letters.json"),
    ),
    (
        "sentences.json",
        include_str!("../../public/lessons/sentences.json"),
    ),
];

/// The built-in lessons, parsed and checked like any import.
pub fn builtin_lessons() -> Result<Vec<Lesson>, String> {
    BUILTIN
        .iter()
        .map(|(name, text)| super::import(text.as_bytes()).map_err(|e| format!("{name}: {e}")))
        .collect()
}

/// The Greek letters the handwriting lesson asks for: Omniglot's Greek characters 1-6.
pub const GREEK_LETTERS: [(&str, &str); 6] = [
    ("character01", "alpha α"),
    ("character02", "beta β"),
    ("character03", "gamma γ"),
    ("character04", "delta δ"),
    ("character05", "epsilon ε"),
    ("character06", "zeta ζ"),
];

/// Reference drawings per letter in the lesson (the first drawers, in file-name order).
pub const GREEK_REFERENCES: usize = 3;

/// A drawing as a lesson stores it: time from the first point, coordinates to 0.1 unit.
fn tidy(drawing: &[Stroke]) -> Vec<Stroke> {
    let t0 = drawing
        .iter()
        .flatten()
        .map(|p| p.t)
        .fold(f32::INFINITY, f32::min);
    let round = |v: f32| (v * 10.0).round() / 10.0;
    drawing
        .iter()
        .map(|s| {
            s.iter()
                .map(|p| Point {
                    x: round(p.x),
                    y: round(p.y),
                    t: (p.t - t0).round(),
                })
                .collect()
        })
        .collect()
}

/// The Greek handwriting lesson from each letter's reference drawings (in `GREEK_LETTERS`
/// order).
pub fn greek_lesson(references: Vec<Vec<Vec<Stroke>>>) -> Lesson {
    let classes = GREEK_LETTERS
        .iter()
        .zip(references)
        .map(|((_, name), drawings)| LessonClass {
            name: name.to_string(),
            examples: drawings.iter().map(|d| tidy(d)).collect(),
            sentences: Vec::new(),
        })
        .collect();
    Lesson {
        format: FORMAT.into(),
        version: VERSION,
        id: LessonId::parse("greek-letters").expect("a lesson id"),
        title: "Write Greek letters".into(),
        description:
            "Six Greek letters, alpha to zeta, drawn by real writers (the Omniglot data). \
                      Inkling asks for a letter, you write it, and your model (which starts from \
                      the references and learns your hand) says which letter it sees."
                .into(),
        language: "en".into(),
        concepts: vec![ConceptDef {
            id: "greek-letters".into(),
            name: "Greek letters α to ζ".into(),
            description: "Recognising and writing α β γ δ ε ζ.".into(),
            requires: vec![],
        }],
        teaches: vec!["greek-letters".into()],
        requires: vec![],
        mastery: None,
        tasks: vec![
            Task::Practice {
                title: "Write the letter".into(),
                instructions: "Write the letter Inkling asks for. If it judges you wrong but you \
                               wrote the right letter, say so: your model learns your hand."
                    .into(),
                concepts: vec![],
                classes,
                rounds: 6,
            },
            Task::Quiz {
                title: "Letters and names".into(),
                concepts: vec![],
                questions: vec![
                    Question::Choice {
                        prompt: "Which letter is gamma?".into(),
                        options: vec!["α".into(), "γ".into(), "ζ".into()],
                        answer: 1,
                        explanation: "γ is gamma, the third letter.".into(),
                    },
                    Question::Free {
                        prompt: "Which letter comes after delta?".into(),
                        answers: vec!["epsilon".into(), "ε".into()],
                        explanation: "α β γ δ ε ζ: epsilon follows delta.".into(),
                    },
                ],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::graph::ConceptGraph;

    #[test]
    fn the_sentences_lesson_is_about_text() {
        let lessons = builtin_lessons().unwrap();
        let text = &lessons[2];
        assert_eq!(text.id, "sentences");
        let Task::Practice { classes, .. } = &text.tasks[0] else {
            panic!("the sentences lesson starts with practice")
        };
        assert!(super::super::classes_are_text(classes));
        assert!(
            classes
                .iter()
                .all(|c| c.sentences.len() == 4 && c.examples.is_empty())
        );
        let Task::Teach { classes, .. } = &text.tasks[1] else {
            panic!("then a teach task")
        };
        assert!(super::super::classes_are_text(classes));
    }

    #[test]
    fn the_builtin_lessons_are_valid_and_their_concepts_form_a_dag() {
        let lessons = builtin_lessons().unwrap();
        assert_eq!(lessons.len(), 3);
        let graph = ConceptGraph::from_lessons(&lessons).unwrap();
        for concept in [
            "examples",
            "training",
            "testing",
            "overfitting",
            "precision-recall",
            "sentence-meaning",
        ] {
            assert!(graph.get(concept).is_some(), "{concept}");
        }
        let greek = &lessons[1];
        let Task::Practice { classes, .. } = &greek.tasks[0] else {
            panic!("the Greek lesson starts with practice")
        };
        assert_eq!(classes.len(), GREEK_LETTERS.len());
        assert!(classes.iter().all(|c| c.examples.len() == GREEK_REFERENCES));
    }
}
