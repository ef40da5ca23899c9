//! A student's project: named classes (2-20) with their examples: drawings kept as pen strokes,
//! or, in a text project, sentences.
//! Pure logic, no web types: the UI calls these operations, the store saves the result
//! ([`ProjectChanges`] says what to write), [`file`] exports and imports it as one file.

pub mod file;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::learn::preprocess::Stroke;
use crate::learn::text::SentenceModel;

/// Fewest and most classes a project may have.
pub const MIN_CLASSES: usize = 2;
pub const MAX_CLASSES: usize = 20;
/// Longest class or project name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// Longest text example, in characters (the encoder reads at most 256 tokens anyway).
pub const MAX_TEXT_CHARS: usize = 1000;

/// The largest `next_id` a project may have: JavaScript's `Number.MAX_SAFE_INTEGER` (2^53 - 1).
/// The store keeps ids as JS numbers, which hold integers exactly only up to there (and
/// refuses to write a larger one), so every id handed out stays below it; a file with a larger
/// `next_id` is refused, and a project whose ids are used up refuses to add.
pub const MAX_NEXT_ID: u64 = (1 << 53) - 1;

/// What a project's examples are, and so which encoder reads them. Drawing projects are
/// written as before (no `kind` field).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProjectKind {
    #[default]
    Drawing,
    /// Sentences in English, read by all-MiniLM-L6-v2.
    Text,
    /// Sentences in Chinese, English or both, read by the multilingual model.
    #[serde(rename = "multilingual-text")]
    MultilingualText,
}

impl ProjectKind {
    pub fn is_drawing(&self) -> bool {
        *self == ProjectKind::Drawing
    }

    /// Whether the examples are sentences.
    pub fn is_text(self) -> bool {
        self.sentence_model().is_some()
    }

    /// The kind of a text project whose sentences `model` reads.
    pub fn text(model: SentenceModel) -> ProjectKind {
        match model {
            SentenceModel::English => ProjectKind::Text,
            SentenceModel::Multilingual => ProjectKind::MultilingualText,
        }
    }

    /// Whether this kind's sentence model barely reads `sentence`: a Chinese one in an English
    /// text project.
    pub fn misreads(self, sentence: &str) -> bool {
        self == ProjectKind::Text
            && SentenceModel::for_sentences([sentence]) == SentenceModel::Multilingual
    }

    /// The model that reads a text project's sentences (None for drawings).
    pub fn sentence_model(self) -> Option<SentenceModel> {
        match self {
            ProjectKind::Drawing => None,
            ProjectKind::Text => Some(SentenceModel::English),
            ProjectKind::MultilingualText => Some(SentenceModel::Multilingual),
        }
    }

    /// The id of the encoder that embeds this kind of example (stored embeddings, contributions
    /// and model files carry it, so nothing of another encoder is mixed in).
    pub fn encoder_id(self) -> String {
        match self.sentence_model() {
            None => crate::learn::weights::shipped_encoder_id(),
            Some(model) => model.encoder_id().to_string(),
        }
    }

    /// How many numbers an example's embedding has.
    pub fn embedding_dim(self) -> usize {
        match self {
            ProjectKind::Drawing => crate::learn::weights::shipped_embedding_dim(),
            ProjectKind::Text | ProjectKind::MultilingualText => crate::learn::text::EMBEDDING_DIM,
        }
    }
}

/// One example: a drawing (strokes) or, in a text project, a sentence (`text`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectExample {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strokes: Vec<Stroke>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectClass {
    pub id: u64,
    pub name: String,
    pub examples: Vec<ProjectExample>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    #[serde(default, skip_serializing_if = "ProjectKind::is_drawing")]
    pub kind: ProjectKind,
    pub classes: Vec<ProjectClass>,
    next_id: u64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectError {
    #[error("a project has at most {MAX_CLASSES} classes")]
    TooManyClasses,
    #[error("a project needs at least {MIN_CLASSES} classes")]
    TooFewClasses,
    #[error("a name cannot be empty")]
    EmptyName,
    #[error("a name has at most {MAX_NAME_CHARS} characters")]
    NameTooLong,
    #[error("there is already a class named \"{0}\"")]
    DuplicateName(String),
    #[error("no class with id {0}")]
    NoSuchClass(u64),
    #[error("no example with id {0}")]
    NoSuchExample(u64),
    #[error("an example needs at least one stroke")]
    EmptyDrawing,
    #[error("an example sentence cannot be empty")]
    EmptyText,
    #[error("an example sentence has at most {MAX_TEXT_CHARS} characters")]
    TextTooLong,
    #[error("a {0:?} project cannot take this kind of example")]
    WrongKind(ProjectKind),
    #[error(
        "this project cannot take more classes or examples: its ids are used up (next_id is {MAX_NEXT_ID})"
    )]
    OutOfIds,
    #[error(
        "a drawing has at most {} strokes of at most {} points each",
        file::MAX_STROKES_PER_EXAMPLE,
        file::MAX_POINTS_PER_STROKE
    )]
    DrawingTooBig,
    #[error("a drawing's points must be numbers within ±{}", file::MAX_COORDINATE)]
    BadPoint,
    #[error("a project has at most {} examples", file::MAX_EXAMPLES)]
    TooManyExamples,
}

/// A text example as kept: trimmed, not empty, not too long.
pub(crate) fn clean_text(text: &str) -> Result<String, ProjectError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ProjectError::EmptyText);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ProjectError::TextTooLong);
    }
    Ok(text.to_string())
}

pub(crate) fn clean_name(name: &str) -> Result<String, ProjectError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ProjectError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ProjectError::NameTooLong);
    }
    Ok(name.to_string())
}

impl Project {
    /// A new project with the given class names (at least [`MIN_CLASSES`]).
    pub fn new(name: &str, class_names: &[&str]) -> Result<Self, ProjectError> {
        if class_names.len() < MIN_CLASSES {
            return Err(ProjectError::TooFewClasses);
        }
        let mut project = Project {
            name: clean_name(name)?,
            kind: ProjectKind::Drawing,
            classes: Vec::new(),
            next_id: 1,
        };
        for class in class_names {
            project.add_class(class)?;
        }
        Ok(project)
    }

    /// A new text project of English sentences.
    pub fn new_text(name: &str, class_names: &[&str]) -> Result<Self, ProjectError> {
        Self::new_text_read_by(SentenceModel::English, name, class_names)
    }

    /// A new text project whose sentences `model` reads.
    pub fn new_text_read_by(
        model: SentenceModel,
        name: &str,
        class_names: &[&str],
    ) -> Result<Self, ProjectError> {
        let mut project = Self::new(name, class_names)?;
        project.kind = ProjectKind::text(model);
        Ok(project)
    }

    /// Whether some of its sentences, or `typed`, are in a language its sentence model barely
    /// reads: Chinese in an English text project (the student is told to use the
    /// multilingual kind).
    pub fn model_misses_sentences(&self, typed: &str) -> bool {
        self.kind == ProjectKind::Text
            && self
                .classes
                .iter()
                .flat_map(|c| c.examples.iter().filter_map(|e| e.text.as_deref()))
                .chain([typed])
                .any(|s| self.kind.misreads(s))
    }

    /// The project a student finds on first opening the app.
    pub fn starter() -> Self {
        Self::new("My first model", &["circle", "cross", "wave"]).expect("valid starter")
    }

    /// A new id, or [`ProjectError::OutOfIds`] once `next_id` is at [`MAX_NEXT_ID`] (only a
    /// file could have put it there; nothing changes then).
    fn take_id(&mut self) -> Result<u64, ProjectError> {
        let id = self.next_id;
        if id >= MAX_NEXT_ID {
            return Err(ProjectError::OutOfIds);
        }
        self.next_id = id + 1;
        Ok(id)
    }

    pub fn class(&self, id: u64) -> Result<&ProjectClass, ProjectError> {
        self.classes
            .iter()
            .find(|c| c.id == id)
            .ok_or(ProjectError::NoSuchClass(id))
    }

    fn class_mut(&mut self, id: u64) -> Result<&mut ProjectClass, ProjectError> {
        self.classes
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(ProjectError::NoSuchClass(id))
    }

    fn check_unique(&self, name: &str, except: Option<u64>) -> Result<(), ProjectError> {
        let taken = self
            .classes
            .iter()
            .any(|c| Some(c.id) != except && c.name.to_lowercase() == name.to_lowercase());
        if taken {
            return Err(ProjectError::DuplicateName(name.to_string()));
        }
        Ok(())
    }

    /// Add a class; returns its id.
    pub fn add_class(&mut self, name: &str) -> Result<u64, ProjectError> {
        if self.classes.len() >= MAX_CLASSES {
            return Err(ProjectError::TooManyClasses);
        }
        let name = clean_name(name)?;
        self.check_unique(&name, None)?;
        let id = self.take_id()?;
        self.classes.push(ProjectClass {
            id,
            name,
            examples: Vec::new(),
        });
        Ok(id)
    }

    /// Rename the project.
    pub fn rename(&mut self, name: &str) -> Result<(), ProjectError> {
        self.name = clean_name(name)?;
        Ok(())
    }

    pub fn rename_class(&mut self, id: u64, name: &str) -> Result<(), ProjectError> {
        let name = clean_name(name)?;
        self.check_unique(&name, Some(id))?;
        self.class_mut(id)?.name = name;
        Ok(())
    }

    /// Remove a class and its examples; returns it (for undo).
    pub fn delete_class(&mut self, id: u64) -> Result<ProjectClass, ProjectError> {
        if self.classes.len() <= MIN_CLASSES {
            return Err(ProjectError::TooFewClasses);
        }
        let pos = self
            .classes
            .iter()
            .position(|c| c.id == id)
            .ok_or(ProjectError::NoSuchClass(id))?;
        Ok(self.classes.remove(pos))
    }

    /// Add a drawn example to a class; returns its id.
    pub fn add_example(&mut self, class: u64, strokes: Vec<Stroke>) -> Result<u64, ProjectError> {
        if self.kind != ProjectKind::Drawing {
            return Err(ProjectError::WrongKind(self.kind));
        }
        if strokes.iter().all(|s| s.is_empty()) {
            return Err(ProjectError::EmptyDrawing);
        }
        // The file format's limits, checked again when the store loads the project: a drawing
        // past them would make the whole project unreadable.
        if strokes.len() > file::MAX_STROKES_PER_EXAMPLE
            || strokes
                .iter()
                .any(|s| s.len() > file::MAX_POINTS_PER_STROKE)
        {
            return Err(ProjectError::DrawingTooBig);
        }
        if strokes.iter().flatten().any(|p| {
            [p.x, p.y]
                .iter()
                .any(|v| !v.is_finite() || v.abs() > file::MAX_COORDINATE)
        }) {
            return Err(ProjectError::BadPoint);
        }
        self.push_example(class, strokes, None)
    }

    /// Add a sentence to a class of a text project (trimmed); returns its id.
    pub fn add_text_example(&mut self, class: u64, text: &str) -> Result<u64, ProjectError> {
        if !self.kind.is_text() {
            return Err(ProjectError::WrongKind(self.kind));
        }
        let text = clean_text(text)?;
        self.push_example(class, Vec::new(), Some(text))
    }

    fn push_example(
        &mut self,
        class: u64,
        strokes: Vec<Stroke>,
        text: Option<String>,
    ) -> Result<u64, ProjectError> {
        self.class(class)?;
        let examples: usize = self.classes.iter().map(|c| c.examples.len()).sum();
        if examples >= file::MAX_EXAMPLES {
            return Err(ProjectError::TooManyExamples);
        }
        let id = self.take_id()?;
        self.class_mut(class)?
            .examples
            .push(ProjectExample { id, strokes, text });
        Ok(id)
    }

    pub fn delete_example(&mut self, id: u64) -> Result<ProjectExample, ProjectError> {
        for class in &mut self.classes {
            if let Some(pos) = class.examples.iter().position(|e| e.id == id) {
                return Ok(class.examples.remove(pos));
            }
        }
        Err(ProjectError::NoSuchExample(id))
    }

    pub fn num_examples(&self) -> usize {
        self.classes.iter().map(|c| c.examples.len()).sum()
    }

    /// The id the next class or example will get (every id so far is smaller).
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Rebuild a project from its stored parts, checking every rule a project keeps (the store
    /// and imports are untrusted).
    pub fn from_parts(
        name: String,
        kind: ProjectKind,
        classes: Vec<ProjectClass>,
        next_id: u64,
    ) -> Result<Self, file::FileError> {
        let project = Project {
            name,
            kind,
            classes,
            next_id,
        };
        file::validate(&project)?;
        Ok(project)
    }
}

/// What changed between two versions of a project: what the store must write so that it holds
/// `new` where it held `old`. Examples never change once drawn, so they are added or removed.
#[derive(Debug, Default, PartialEq)]
pub struct ProjectChanges<'a> {
    /// The name, the classes' names or order, or `next_id` changed.
    pub outline_changed: bool,
    /// New examples, with the id of their class.
    pub added: Vec<(u64, &'a ProjectExample)>,
    /// Ids of examples that are gone (deleted, or their class was).
    pub removed: Vec<u64>,
}

impl<'a> ProjectChanges<'a> {
    pub fn between(old: &Project, new: &'a Project) -> Self {
        let old_ids: HashSet<u64> = old
            .classes
            .iter()
            .flat_map(|c| c.examples.iter().map(|e| e.id))
            .collect();
        let new_ids: HashMap<u64, ()> = new
            .classes
            .iter()
            .flat_map(|c| c.examples.iter().map(|e| (e.id, ())))
            .collect();
        let added = new
            .classes
            .iter()
            .flat_map(|c| c.examples.iter().map(move |e| (c.id, e)))
            .filter(|(_, e)| !old_ids.contains(&e.id))
            .collect();
        let mut removed: Vec<u64> = old_ids
            .into_iter()
            .filter(|id| !new_ids.contains_key(id))
            .collect();
        removed.sort_unstable();
        let outline = |p: &Project| {
            (
                p.name.clone(),
                p.next_id,
                p.classes
                    .iter()
                    .map(|c| (c.id, c.name.clone()))
                    .collect::<Vec<_>>(),
            )
        };
        ProjectChanges {
            outline_changed: outline(old) != outline(new),
            added,
            removed,
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.outline_changed && self.added.is_empty() && self.removed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stroke() -> Vec<crate::learn::preprocess::Stroke> {
        crate::learn::preprocess::line_drawing(1.0, 5.0)
    }

    #[test]
    fn classes_are_named_unique_and_between_2_and_20() {
        assert_eq!(Project::new("p", &["a"]), Err(ProjectError::TooFewClasses));
        let mut p = Project::new("p", &["a", "b"]).unwrap();
        assert_eq!(
            p.add_class(" A "),
            Err(ProjectError::DuplicateName("A".into()))
        );
        assert_eq!(p.add_class("   "), Err(ProjectError::EmptyName));
        assert_eq!(p.add_class(&"x".repeat(61)), Err(ProjectError::NameTooLong));
        for i in 2..MAX_CLASSES {
            p.add_class(&format!("c{i}")).unwrap();
        }
        assert_eq!(p.add_class("one more"), Err(ProjectError::TooManyClasses));
        let first = p.classes[0].id;
        p.rename_class(first, "alpha").unwrap();
        assert_eq!(p.class(first).unwrap().name, "alpha");
        // Renaming to its own name (other case) is fine; to another class's name is not.
        p.rename_class(first, "ALPHA").unwrap();
        assert!(p.rename_class(first, "b").is_err());
    }

    #[test]
    fn deleting_keeps_at_least_two_classes_and_returns_what_it_removed() {
        let mut p = Project::new("p", &["a", "b", "c"]).unwrap();
        let c = p.classes[2].id;
        let e = p.add_example(c, stroke()).unwrap();
        let removed = p.delete_class(c).unwrap();
        assert_eq!(removed.examples[0].id, e);
        assert_eq!(
            p.delete_class(p.classes[0].id),
            Err(ProjectError::TooFewClasses)
        );
    }

    #[test]
    fn examples_are_added_and_deleted_by_id() {
        let mut p = Project::starter();
        let a = p.classes[0].id;
        assert_eq!(p.add_example(a, vec![]), Err(ProjectError::EmptyDrawing));
        let e1 = p.add_example(a, stroke()).unwrap();
        let e2 = p.add_example(a, stroke()).unwrap();
        assert_ne!(e1, e2);
        assert_eq!(p.num_examples(), 2);
        p.delete_example(e1).unwrap();
        assert_eq!(p.delete_example(e1), Err(ProjectError::NoSuchExample(e1)));
        assert_eq!(p.class(a).unwrap().examples[0].id, e2);
        assert_eq!(
            p.add_example(999, stroke()),
            Err(ProjectError::NoSuchClass(999))
        );
    }

    #[test]
    fn a_multilingual_text_project_takes_sentences_and_says_its_model() {
        let mut text =
            Project::new_text_read_by(SentenceModel::Multilingual, "天气", &["晴天", "下雨"])
                .unwrap();
        assert_eq!(text.kind, ProjectKind::MultilingualText);
        assert!(text.kind.is_text());
        assert_eq!(
            text.kind.sentence_model(),
            Some(SentenceModel::Multilingual)
        );
        assert_ne!(text.kind.encoder_id(), ProjectKind::Text.encoder_id());
        let sunny = text.classes[0].id;
        text.add_text_example(sunny, "今天阳光很好").unwrap();
        assert_eq!(
            text.add_example(sunny, stroke()),
            Err(ProjectError::WrongKind(ProjectKind::MultilingualText))
        );
        let json = serde_json::to_value(&text).unwrap();
        assert_eq!(json["kind"], "multilingual-text");
        assert_eq!(serde_json::from_value::<Project>(json).unwrap(), text);
        assert!(!text.model_misses_sentences("明天呢"));
        // English text projects are written as before.
        let english = Project::new_text("moods", &["happy", "sad"]).unwrap();
        assert_eq!(serde_json::to_value(&english).unwrap()["kind"], "text");
        assert_eq!(english.kind.sentence_model(), Some(SentenceModel::English));
        assert_eq!(ProjectKind::Drawing.sentence_model(), None);
    }

    #[test]
    fn chinese_in_an_english_text_project_is_noticed() {
        let mut english = Project::new_text("weather", &["sunny", "rainy"]).unwrap();
        assert!(!english.model_misses_sentences(""));
        assert!(!english.model_misses_sentences("Will it rain?"));
        assert!(english.model_misses_sentences("会下雨吗"), "as it is typed");
        let sunny = english.classes[0].id;
        english.add_text_example(sunny, "今天阳光很好").unwrap();
        assert!(english.model_misses_sentences(""), "once it is kept");
        assert!(!Project::starter().model_misses_sentences("会下雨吗"));
    }

    #[test]
    fn text_projects_take_sentences_and_drawing_projects_strokes() {
        let mut text = Project::new_text("moods", &["happy", "sad"]).unwrap();
        let happy = text.classes[0].id;
        let id = text
            .add_text_example(happy, "  What a lovely day!  ")
            .unwrap();
        assert_eq!(
            text.class(happy).unwrap().examples[0].text.as_deref(),
            Some("What a lovely day!")
        );
        assert_eq!(
            text.add_text_example(happy, " \n "),
            Err(ProjectError::EmptyText)
        );
        assert_eq!(
            text.add_text_example(happy, &"a".repeat(MAX_TEXT_CHARS + 1)),
            Err(ProjectError::TextTooLong)
        );
        assert_eq!(
            text.add_example(happy, stroke()),
            Err(ProjectError::WrongKind(ProjectKind::Text))
        );
        let mut drawing = Project::starter();
        let circle = drawing.classes[0].id;
        assert_eq!(
            drawing.add_text_example(circle, "a circle"),
            Err(ProjectError::WrongKind(ProjectKind::Drawing))
        );
        // A text project says so in its file; a drawing project's JSON is as it always was.
        let json = serde_json::to_value(&text).unwrap();
        assert_eq!(json["kind"], "text");
        assert_eq!(json["classes"][0]["examples"][0]["id"], id);
        assert!(json["classes"][0]["examples"][0].get("strokes").is_none());
        drawing.add_example(circle, stroke()).unwrap();
        let json = serde_json::to_value(&drawing).unwrap();
        assert!(json.get("kind").is_none());
        assert!(json["classes"][0]["examples"][0].get("text").is_none());
        assert_eq!(serde_json::from_value::<Project>(json).unwrap(), drawing);
    }

    /// Whatever the app lets a student add, the store can load again (it checks every rule
    /// of the file format on load, so a drawing past a limit would make the project unreadable).
    #[test]
    fn a_drawing_past_the_files_limits_is_refused_when_added() {
        use crate::learn::preprocess::Point;
        use file::{MAX_COORDINATE, MAX_POINTS_PER_STROKE, MAX_STROKES_PER_EXAMPLE};
        let dot = |x: f32| vec![Point { x, y: 1.0, t: 0.0 }];
        let too_many_strokes: Vec<Stroke> = (0..=MAX_STROKES_PER_EXAMPLE)
            .map(|i| dot(i as f32))
            .collect();
        let too_long: Vec<Stroke> = vec![
            (0..=MAX_POINTS_PER_STROKE)
                .map(|i| Point {
                    x: (i % 100) as f32,
                    y: 1.0,
                    t: i as f32,
                })
                .collect(),
        ];
        let far = vec![dot(MAX_COORDINATE * 2.0)];
        let not_a_number = vec![dot(f32::NAN)];
        for drawing in [too_many_strokes, too_long, far, not_a_number] {
            let mut p = Project::starter();
            let class = p.classes[0].id;
            let before = p.clone();
            match p.add_example(class, drawing) {
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    assert_eq!(p, before, "a refused drawing changes nothing");
                }
                Ok(_) => {
                    let loaded =
                        Project::from_parts(p.name.clone(), p.kind, p.classes.clone(), p.next_id);
                    assert!(
                        loaded.is_ok(),
                        "added, but the store could not load it: {loaded:?}"
                    );
                }
            }
        }
        // At the limits exactly it is added.
        let mut p = Project::starter();
        let class = p.classes[0].id;
        let most: Vec<Stroke> = (0..MAX_STROKES_PER_EXAMPLE)
            .map(|i| dot(i as f32))
            .collect();
        assert!(p.add_example(class, most).is_ok());
    }

    #[test]
    fn ids_run_out_with_an_error_not_a_panic() {
        let mut p = Project::starter();
        let a = p.classes[0].id;
        p.next_id = MAX_NEXT_ID - 1;
        // The last id below the bound is handed out; then adding anything is refused, and the
        // project is as it was.
        assert_eq!(p.add_example(a, stroke()), Ok(MAX_NEXT_ID - 1));
        assert_eq!(p.next_id(), MAX_NEXT_ID);
        let before = p.clone();
        assert_eq!(p.add_example(a, stroke()), Err(ProjectError::OutOfIds));
        assert_eq!(p.add_class("more"), Err(ProjectError::OutOfIds));
        let mut text = Project::new_text("t", &["a", "b"]).unwrap();
        text.next_id = MAX_NEXT_ID;
        let t = text.classes[0].id;
        assert_eq!(
            text.add_text_example(t, "hello"),
            Err(ProjectError::OutOfIds)
        );
        assert_eq!(p, before);
        assert!(!ProjectError::OutOfIds.to_string().is_empty());
        // JavaScript's Number.MAX_SAFE_INTEGER: every id handed out is held exactly.
        assert_eq!(MAX_NEXT_ID, 9_007_199_254_740_991);
        // A project at the bound is still valid (it can be stored and exported), one above it is not.
        assert!(
            Project::from_parts(p.name.clone(), p.kind, p.classes.clone(), MAX_NEXT_ID).is_ok()
        );
        assert!(
            Project::from_parts(p.name.clone(), p.kind, p.classes.clone(), MAX_NEXT_ID + 1)
                .is_err()
        );
    }

    #[test]
    fn changes_name_what_the_store_must_write() {
        let mut old = Project::starter();
        let a = old.classes[0].id;
        let kept = old.add_example(a, stroke()).unwrap();
        let gone = old.add_example(a, stroke()).unwrap();
        assert!(ProjectChanges::between(&old, &old).is_empty());

        let mut new = old.clone();
        new.delete_example(gone).unwrap();
        let added = new.add_example(old.classes[1].id, stroke()).unwrap();
        let changes = ProjectChanges::between(&old, &new);
        // Adding an example takes an id, so the outline (next_id) is written too.
        assert!(changes.outline_changed);
        assert_eq!(changes.removed, vec![gone]);
        assert_eq!(changes.added.len(), 1);
        assert_eq!(
            (changes.added[0].0, changes.added[0].1.id),
            (old.classes[1].id, added)
        );

        let mut renamed = old.clone();
        renamed.rename_class(a, "ring").unwrap();
        let changes = ProjectChanges::between(&old, &renamed);
        assert!(changes.outline_changed && changes.added.is_empty() && changes.removed.is_empty());

        // Deleting a class removes its examples.
        let mut fewer = old.clone();
        fewer.delete_class(a).unwrap();
        let mut removed = ProjectChanges::between(&old, &fewer).removed;
        removed.sort();
        assert_eq!(removed, vec![kept, gone]);
    }
}
