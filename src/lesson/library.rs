//! The lessons on a device: built-in and imported ones, kept consistent as a whole. Adding a
//! lesson checks it alone (the format) and with the others (its concepts must fit the concept
//! graph: no cycle, no unknown concept, no clashing definition); on any error nothing changes.

use std::collections::HashSet;

use super::{Lesson, LessonError, LessonId, import};
use crate::knowledge::graph::ConceptGraph;

/// The most lessons a device holds (built in and imported): each addition checks the whole
/// concept graph again, so the count bounds what a start (which adds every stored lesson)
/// costs. Far more than a class uses in a year.
pub const MAX_LESSONS: usize = 200;

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
    #[error(
        "this device already holds {MAX_LESSONS} lessons, the most it keeps; a new lesson cannot be added (a new version of one of them can)"
    )]
    Full,
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

    /// Add lesson files whatever their order (one may need a concept a later one defines).
    /// Each file is read once; a lesson goes in once every concept it names is defined (by
    /// the library, itself, or a lesson added before it), so each is added once, whatever the
    /// order. The files refused, by position, with why.
    pub fn import_all<'a>(
        &mut self,
        files: impl IntoIterator<Item = &'a [u8]>,
    ) -> Vec<(usize, LibraryError)> {
        let mut refused = Vec::new();
        let mut waiting: Vec<(usize, Lesson)> = Vec::new();
        for (i, bytes) in files.into_iter().enumerate() {
            match import(bytes) {
                Ok(lesson) => waiting.push((i, lesson)),
                Err(e) => refused.push((i, e.into())),
            }
        }
        let mut defined: HashSet<String> =
            self.graph.concepts().iter().map(|c| c.id.clone()).collect();
        while !waiting.is_empty() {
            let (ready, blocked): (Vec<_>, Vec<_>) = waiting
                .into_iter()
                .partition(|(_, lesson)| named_concepts(lesson).all(|c| defined.contains(c)));
            // Nothing can complete what is left: each is refused, naming what it lacks.
            let adding = if ready.is_empty() {
                waiting = Vec::new();
                blocked
            } else {
                waiting = blocked;
                ready
            };
            for (i, lesson) in adding {
                let concepts: Vec<String> = lesson.concepts.iter().map(|c| c.id.clone()).collect();
                match self.put(lesson) {
                    Ok(_) => defined.extend(concepts),
                    Err(e) => refused.push((i, e)),
                }
            }
        }
        refused.sort_by_key(|(i, _)| *i);
        refused
    }

    /// Add or replace a lesson, if the library stays consistent.
    pub fn put(&mut self, lesson: Lesson) -> Result<LessonId, LibraryError> {
        lesson.validate()?;
        if self.lessons.len() >= MAX_LESSONS && self.get(&lesson.id).is_none() {
            return Err(LibraryError::Full);
        }
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

/// The concepts `lesson` names but does not define: what it teaches and requires, and its
/// concepts' prerequisites.
fn named_concepts(lesson: &Lesson) -> impl Iterator<Item = &String> {
    lesson
        .concepts
        .iter()
        .flat_map(|c| &c.requires)
        .chain(&lesson.teaches)
        .chain(&lesson.requires)
        .filter(|c| !lesson.concepts.iter().any(|d| d.id == **c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::graph::GraphError;
    use crate::lesson::builtin::builtin_lessons;
    use crate::lesson::{ConceptDef, export};

    /// A lesson `id` defining concept `defines` (requiring `requires`), from the Greek one.
    fn lesson_defining(id: &str, defines: &str, requires: &[&str]) -> Lesson {
        let mut lesson = builtin_lessons().unwrap()[1].clone();
        lesson.id = LessonId::parse(id).unwrap();
        lesson.concepts = vec![ConceptDef {
            id: defines.into(),
            name: defines.into(),
            description: String::new(),
            requires: requires.iter().map(|r| r.to_string()).collect(),
        }];
        lesson.teaches = vec![defines.into()];
        lesson.requires = Vec::new();
        lesson
    }

    #[test]
    fn stored_lessons_load_whatever_order_they_are_stored_in() {
        // Stored by id: "a-later" needs a concept that "b-basics", read after it, defines.
        let later = lesson_defining("a-later", "later-skill", &["basic-skill"]);
        let basics = lesson_defining("b-basics", "basic-skill", &[]);
        let broken = b"not a lesson".to_vec();
        let files = [export(&later), broken, export(&basics)];
        let mut library = LessonLibrary::new(builtin_lessons().unwrap()).unwrap();
        // One pass in stored order (as the app did) refuses the lesson stored first.
        assert!(library.clone().import(&files[0]).is_err());
        let refused = library.import_all(files.iter().map(Vec::as_slice));
        assert_eq!(
            refused.len(),
            1,
            "only the broken file is refused: {refused:?}"
        );
        assert_eq!(refused[0].0, 1);
        for id in ["a-later", "b-basics"] {
            assert!(library.get(&LessonId::parse(id).unwrap()).is_some(), "{id}");
        }
        // A lesson nothing can complete is refused with why.
        let orphan = lesson_defining("c-orphan", "orphan-skill", &["nowhere"]);
        let refused = library.import_all([export(&orphan).as_slice()]);
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].1.to_string().contains("nowhere"),
            "{}",
            refused[0].1
        );
    }

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

    #[test]
    fn a_device_holds_at_most_max_lessons_and_a_new_version_still_replaces() {
        let mut library = LessonLibrary::new(builtin_lessons().unwrap()).unwrap();
        let files: Vec<Vec<u8>> = (library.lessons().len()..=MAX_LESSONS)
            .map(|i| {
                export(&lesson_defining(
                    &format!("extra-{i}"),
                    &format!("c{i}"),
                    &[],
                ))
            })
            .collect();
        let refused = library.import_all(files.iter().map(Vec::as_slice));
        assert_eq!(library.lessons().len(), MAX_LESSONS);
        assert_eq!(refused.len(), 1, "the one past the limit");
        assert_eq!(refused[0].1, LibraryError::Full);
        assert!(refused[0].1.to_string().contains("200"), "{}", refused[0].1);
        let before = library.clone();
        let one_more = lesson_defining("one-more", "more", &[]);
        assert_eq!(library.import(&export(&one_more)), Err(LibraryError::Full));
        assert_eq!(library, before, "nothing changed");
        // A lesson already here may still be replaced by its new version.
        let mut again = lesson_defining("extra-10", "c10", &[]);
        again.title = "Extra, again".into();
        assert!(library.import(&export(&again)).is_ok());
        assert_eq!(library.lessons().len(), MAX_LESSONS);
    }
}
