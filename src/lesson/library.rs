//! The lessons on a device: built-in and imported ones, kept consistent as a whole. Adding a
//! lesson checks it alone (the format) and with the others (its concepts must fit the concept
//! graph: no cycle, no unknown concept, no clashing definition); on any error nothing changes.

use super::{Lesson, LessonError, LessonId, import};
use crate::knowledge::graph::ConceptGraph;

#[derive(Debug, Clone, PartialEq)]
pub struct LessonLibrary {
    lessons: Vec<Lesson>,
    graph: ConceptGraph,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LibraryError {
    #[error("{0}")]
    Lesson(#[from] LessonError),
    #[error("the lesson does not fit the lessons already here: {0}")]
    Graph(#[from] crate::knowledge::graph::GraphError),
}

impl LessonLibrary {
    pub fn new(lessons: Vec<Lesson>) -> Result<Self, LibraryError> {
        let graph = ConceptGraph::from_lessons(&lessons)?;
        Ok(LessonLibrary { lessons, graph })
    }

    pub fn lessons(&self) -> &[Lesson] {
        &self.lessons
    }

    pub fn graph(&self) -> &ConceptGraph {
        &self.graph
    }

    pub fn get(&self, id: &LessonId) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == *id)
    }

    /// Add (or replace, by id) a lesson from a file. Returns its id.
    pub fn import(&mut self, bytes: &[u8]) -> Result<LessonId, LibraryError> {
        let lesson = import(bytes)?;
        self.put(lesson)
    }

    /// Add or replace a lesson, if the library stays consistent.
    pub fn put(&mut self, lesson: Lesson) -> Result<LessonId, LibraryError> {
        lesson.validate()?;
        let mut lessons: Vec<Lesson> = self
            .lessons
            .iter()
            .filter(|l| l.id != lesson.id)
            .cloned()
            .collect();
        let id = lesson.id.clone();
        lessons.push(lesson);
        let graph = ConceptGraph::from_lessons(&lessons)?;
        self.lessons = lessons;
        self.graph = graph;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::graph::GraphError;
    use crate::lesson::builtin::builtin_lessons;
    use crate::lesson::{ConceptDef, export};

    #[test]
    fn a_lesson_that_does_not_fit_the_graph_is_refused_and_nothing_changes() {
        let mut library = LessonLibrary::new(builtin_lessons().unwrap()).unwrap();
        let before = library.clone();
        let mut lesson = library
            .get(&LessonId::parse("greek-letters").unwrap())
            .unwrap()
            .clone();
        lesson.id = LessonId::parse("loop").unwrap();
        lesson.concepts = vec![ConceptDef {
            id: "examples-again".into(),
            name: "x".into(),
            description: String::new(),
            requires: vec!["overfitting".into()],
        }];
        lesson.teaches = vec!["examples-again".into()];
        // Redefining "examples" to need what needs it closes a loop.
        lesson.concepts.push(ConceptDef {
            id: "examples".into(),
            name: "Examples".into(),
            description:
                "A model learns from labelled examples: drawings with the name of what they show."
                    .into(),
            requires: vec!["examples-again".into()],
        });
        let err = library.import(&export(&lesson)).unwrap_err();
        assert!(
            matches!(err, LibraryError::Graph(GraphError::Conflict(ref c)) if c == "examples"),
            "{err}"
        );
        assert_eq!(library, before);
        // New concepts that need each other: a cycle, named.
        lesson.concepts.pop();
        lesson.concepts.push(ConceptDef {
            id: "chicken".into(),
            name: "Chicken".into(),
            description: String::new(),
            requires: vec!["examples-again".into()],
        });
        lesson.concepts[0].requires.push("chicken".into());
        let err = library.import(&export(&lesson)).unwrap_err();
        assert!(
            matches!(err, LibraryError::Graph(GraphError::Cycle(_))),
            "{err}"
        );
        assert!(err.to_string().contains("chicken"), "{err}");
        assert_eq!(library, before);
        // A fitting lesson goes in.
        lesson.concepts.pop();
        lesson.concepts[0].requires.pop();
        assert_eq!(library.import(&export(&lesson)).unwrap(), "loop");
        assert_eq!(library.lessons().len(), 4);
    }
}
