//! Lessons that teachers write and students take: the versioned file format (serde JSON, see
//! `docs/lesson-format.md`), its validation with the path of every problem, and the migration
//! of older versions. Pure logic, no web types; the store saves lessons, the UI shows them.
//!
//! A lesson file is untrusted input: [`import`] parses it with limits, refuses versions newer
//! than this build, migrates older ones, and checks every rule ([`Lesson::validate`]).

pub mod builtin;
pub mod draft;
pub mod id;
pub mod library;
mod migrate;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::learn::preprocess::Stroke;

pub use id::LessonId;

/// What the `format` field of a lesson file says.
pub const FORMAT: &str = "inkling-lesson";
/// The version this build writes; older ones are migrated on import (see `migrate`).
pub const VERSION: u32 = 2;
/// Largest lesson file accepted (a lesson with its drawings is well under a megabyte).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
const MAX_TEXT_CHARS: usize = 2_000;
const MAX_TITLE_CHARS: usize = 120;
const MAX_TASKS: usize = 100;
const MAX_CLASSES: usize = 20;
const MAX_EXAMPLES_PER_CLASS: usize = 50;
const MAX_QUESTIONS: usize = 50;
const MAX_OPTIONS: usize = 8;
/// Concepts one lesson defines, prerequisites one concept (or the lesson) names: a lesson is
/// about a few ideas, and every concept is drawn on the concept map at every start.
const MAX_CONCEPTS: usize = 100;
const MAX_REQUIRES: usize = 20;
const MAX_LESSON_REQUIRES: usize = 50;
const MAX_STROKES: usize = 200;
const MAX_POINTS: usize = 5_000;

/// A lesson, as in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub format: String,
    pub version: u32,
    /// Stable identifier: lowercase letters, digits and dashes (`teach-the-machine`).
    pub id: LessonId,
    pub title: String,
    pub description: String,
    /// The language the lesson is written in (BCP 47: `en`, `zh-CN`).
    pub language: String,
    /// Concepts this lesson defines (a lesson may also use concepts other lessons define).
    #[serde(default)]
    pub concepts: Vec<ConceptDef>,
    /// Concept ids the lesson teaches.
    pub teaches: Vec<String>,
    /// Concept ids a student should have mastered first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Knowledge-tracing parameters for this lesson's outcomes (else the defaults).
    #[serde(default)]
    pub mastery: Option<crate::knowledge::bkt::BktParams>,
    pub tasks: Vec<Task>,
}

/// A concept of the concept graph, as a lesson defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Prerequisite concept ids.
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Task {
    /// The student draws examples for these classes and trains a personal model until it
    /// reaches `target` on the student's own held-out drawings.
    Teach {
        title: String,
        instructions: String,
        #[serde(default)]
        concepts: Vec<String>,
        classes: Vec<LessonClass>,
        target: Target,
    },
    /// Handwriting practice: the platform asks for a glyph, the student draws it, a model that
    /// starts from the teacher's references (and adapts to the student) judges it.
    Practice {
        title: String,
        instructions: String,
        #[serde(default)]
        concepts: Vec<String>,
        /// The glyphs, each with the teacher's reference drawings (at least one).
        classes: Vec<LessonClass>,
        /// Glyphs asked per round.
        rounds: u32,
    },
    /// Short questions on a concept.
    Quiz {
        title: String,
        #[serde(default)]
        concepts: Vec<String>,
        questions: Vec<Question>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonClass {
    pub name: String,
    /// Reference drawings (pen strokes); may be empty in a `teach` task.
    #[serde(default)]
    pub examples: Vec<Vec<Stroke>>,
    /// Reference sentences: a task whose classes have sentences is about text (the student
    /// writes sentences, the sentence encoder judges them). A class has drawings or
    /// sentences, not both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<String>,
}

/// Whether a task's classes are about text (any class has reference sentences).
pub fn classes_are_text(classes: &[LessonClass]) -> bool {
    classes.iter().any(|c| !c.sentences.is_empty())
}

/// The model that reads a text task's sentences: the multilingual one when any of them is
/// Chinese (`SentenceModel::for_sentences`).
pub fn sentence_model_of(classes: &[LessonClass]) -> crate::learn::text::SentenceModel {
    crate::learn::text::SentenceModel::for_sentences(
        classes
            .iter()
            .flat_map(|c| c.sentences.iter().map(String::as_str)),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub metric: Metric,
    /// In 0..=1.
    pub value: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Accuracy,
    MacroF1,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Question {
    Choice {
        prompt: String,
        options: Vec<String>,
        /// Index into `options`.
        answer: usize,
        #[serde(default)]
        explanation: String,
    },
    /// A short free answer, accepted if it matches one of `answers` (ignoring case and
    /// surrounding spaces).
    Free {
        prompt: String,
        answers: Vec<String>,
        #[serde(default)]
        explanation: String,
    },
}

impl Task {
    pub fn title(&self) -> &str {
        match self {
            Task::Teach { title, .. } | Task::Practice { title, .. } | Task::Quiz { title, .. } => {
                title
            }
        }
    }

    /// What the student is told to do (quizzes have none).
    pub fn instructions(&self) -> Option<&str> {
        match self {
            Task::Teach { instructions, .. } | Task::Practice { instructions, .. } => {
                Some(instructions)
            }
            Task::Quiz { .. } => None,
        }
    }

    /// The concepts the task names (may be empty: then the lesson's).
    pub fn concepts(&self) -> &[String] {
        match self {
            Task::Teach { concepts, .. }
            | Task::Practice { concepts, .. }
            | Task::Quiz { concepts, .. } => concepts,
        }
    }
}

impl Question {
    pub fn prompt_and_explanation(&self) -> (&str, &str) {
        match self {
            Question::Choice {
                prompt,
                explanation,
                ..
            }
            | Question::Free {
                prompt,
                explanation,
                ..
            } => (prompt, explanation),
        }
    }

    /// Whether `given` answers the question (an option index as text for a choice).
    pub fn is_correct(&self, given: &str) -> bool {
        match self {
            Question::Choice { answer, .. } => given.trim().parse::<usize>() == Ok(*answer),
            Question::Free { answers, .. } => {
                let given = given.trim().to_lowercase();
                answers.iter().any(|a| a.trim().to_lowercase() == given)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LessonError {
    #[error("the file is {0} bytes; the largest lesson file accepted is {MAX_FILE_BYTES} bytes")]
    TooLarge(usize),
    #[error("this is not an Inkling lesson: {0}")]
    NotALesson(String),
    #[error(
        "this lesson is format version {0}, newer than this app understands ({VERSION}); update Inkling to open it"
    )]
    NewerVersion(u64),
    #[error("the lesson is not valid: {0}")]
    Syntax(String),
    #[error("{path}: {problem}")]
    Invalid { path: String, problem: String },
}

fn invalid(path: impl Into<String>, problem: impl Into<String>) -> LessonError {
    LessonError::Invalid {
        path: path.into(),
        problem: problem.into(),
    }
}

/// Read a lesson file: header, migration of older versions, then every rule.
pub fn import(bytes: &[u8]) -> Result<Lesson, LessonError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LessonError::TooLarge(bytes.len()));
    }
    let json: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| LessonError::NotALesson(format!("it is not JSON ({e})")))?;
    let json = migrate::to_current(json)?;
    let lesson: Lesson =
        serde_json::from_value(json).map_err(|e| LessonError::Syntax(e.to_string()))?;
    lesson.validate()?;
    Ok(lesson)
}

/// The lesson as a file (pretty JSON, current version).
pub fn export(lesson: &Lesson) -> Vec<u8> {
    serde_json::to_vec_pretty(lesson).expect("a lesson always serialises")
}

fn check_text(path: &str, text: &str, max: usize, required: bool) -> Result<(), LessonError> {
    if required && text.trim().is_empty() {
        return Err(invalid(path, "is empty"));
    }
    let n = text.chars().count();
    if n > max {
        return Err(invalid(path, format!("has {n} characters; at most {max}")));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(invalid(path, "contains control characters"));
    }
    Ok(())
}

/// Lowercase letters, digits and dashes, 1-64 long (the lesson id format).
fn check_id(path: &str, id: &str) -> Result<(), LessonError> {
    if id::is_id(id) {
        Ok(())
    } else {
        Err(invalid(path, id::NotAnId(id.to_string()).to_string()))
    }
}

fn check_count(
    path: &str,
    n: usize,
    min: usize,
    max: usize,
    what: &str,
) -> Result<(), LessonError> {
    if n < min || n > max {
        return Err(invalid(
            path,
            format!("has {n} {what}; from {min} to {max} are allowed"),
        ));
    }
    Ok(())
}

/// A list of short texts (options, accepted answers): how many, and each one.
fn check_texts(
    path: &str,
    items: &[String],
    min: usize,
    max: usize,
    what: &str,
) -> Result<(), LessonError> {
    check_count(path, items.len(), min, max, what)?;
    for (i, item) in items.iter().enumerate() {
        check_text(&format!("{path}[{i}]"), item, 300, true)?;
    }
    Ok(())
}

fn check_drawing(path: &str, drawing: &[Stroke]) -> Result<(), LessonError> {
    check_count(path, drawing.len(), 1, MAX_STROKES, "strokes")?;
    for (s, stroke) in drawing.iter().enumerate() {
        check_count(
            &format!("{path}[{s}]"),
            stroke.len(),
            1,
            MAX_POINTS,
            "points",
        )?;
        for (p, point) in stroke.iter().enumerate() {
            for (axis, v) in [("x", point.x), ("y", point.y), ("t", point.t)] {
                if !v.is_finite() || v.abs() > 1.0e6 {
                    return Err(invalid(
                        format!("{path}[{s}][{p}].{axis}"),
                        format!("{v} is not a coordinate (a number within ±1000000)"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_classes(
    path: &str,
    classes: &[LessonClass],
    references_required: bool,
) -> Result<(), LessonError> {
    check_count(path, classes.len(), 2, MAX_CLASSES, "classes")?;
    let text = classes_are_text(classes);
    let mut names = HashSet::new();
    for (k, class) in classes.iter().enumerate() {
        let path = format!("{path}[{k}]");
        check_text(&format!("{path}.name"), &class.name, 60, true)?;
        if !names.insert(class.name.trim().to_lowercase()) {
            return Err(invalid(
                format!("{path}.name"),
                format!("\"{}\" is the name of another class too", class.name),
            ));
        }
        let min = usize::from(references_required);
        if text {
            if !class.examples.is_empty() {
                return Err(invalid(
                    format!("{path}.examples"),
                    "the classes of this task have sentences; drawings cannot be mixed in",
                ));
            }
            check_count(
                &format!("{path}.sentences"),
                class.sentences.len(),
                min,
                MAX_EXAMPLES_PER_CLASS,
                "reference sentences",
            )?;
            for (i, sentence) in class.sentences.iter().enumerate() {
                check_text(
                    &format!("{path}.sentences[{i}]"),
                    sentence,
                    crate::project::MAX_TEXT_CHARS,
                    true,
                )?;
            }
            continue;
        }
        check_count(
            &format!("{path}.examples"),
            class.examples.len(),
            min,
            MAX_EXAMPLES_PER_CLASS,
            "reference drawings",
        )?;
        for (i, drawing) in class.examples.iter().enumerate() {
            check_drawing(&format!("{path}.examples[{i}]"), drawing)?;
        }
    }
    Ok(())
}

impl Lesson {
    /// Every rule of the format, with the path of the first problem.
    pub fn validate(&self) -> Result<(), LessonError> {
        if self.format != FORMAT {
            return Err(invalid("format", format!("must be \"{FORMAT}\"")));
        }
        if self.version != VERSION {
            return Err(invalid(
                "version",
                format!("must be {VERSION} after migration"),
            ));
        }
        check_id("id", self.id.as_str())?;
        check_text("title", &self.title, MAX_TITLE_CHARS, true)?;
        check_text("description", &self.description, MAX_TEXT_CHARS, false)?;
        let language_ok = !self.language.is_empty()
            && self.language.len() <= 35
            && self
                .language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !language_ok {
            return Err(invalid(
                "language",
                format!(
                    "\"{}\" is not a language tag (like en or zh-CN)",
                    self.language
                ),
            ));
        }
        check_count("concepts", self.concepts.len(), 0, MAX_CONCEPTS, "concepts")?;
        let mut defined = HashSet::new();
        for (i, concept) in self.concepts.iter().enumerate() {
            let path = format!("concepts[{i}]");
            check_id(&format!("{path}.id"), &concept.id)?;
            check_text(
                &format!("{path}.name"),
                &concept.name,
                MAX_TITLE_CHARS,
                true,
            )?;
            check_text(
                &format!("{path}.description"),
                &concept.description,
                MAX_TEXT_CHARS,
                false,
            )?;
            if !defined.insert(concept.id.as_str()) {
                return Err(invalid(
                    format!("{path}.id"),
                    format!("\"{}\" is defined twice", concept.id),
                ));
            }
            check_count(
                &format!("{path}.requires"),
                concept.requires.len(),
                0,
                MAX_REQUIRES,
                "prerequisites",
            )?;
            for (j, r) in concept.requires.iter().enumerate() {
                check_id(&format!("{path}.requires[{j}]"), r)?;
            }
        }
        check_count("teaches", self.teaches.len(), 1, 50, "concepts")?;
        for (i, c) in self.teaches.iter().enumerate() {
            check_id(&format!("teaches[{i}]"), c)?;
            if self.requires.contains(c) {
                return Err(invalid(
                    format!("teaches[{i}]"),
                    format!("\"{c}\" is both taught and required"),
                ));
            }
        }
        check_count(
            "requires",
            self.requires.len(),
            0,
            MAX_LESSON_REQUIRES,
            "concepts",
        )?;
        for (i, c) in self.requires.iter().enumerate() {
            check_id(&format!("requires[{i}]"), c)?;
        }
        if let Some(params) = &self.mastery {
            params
                .validate()
                .map_err(|(field, problem)| invalid(format!("mastery.{field}"), problem))?;
        }
        check_count("tasks", self.tasks.len(), 1, MAX_TASKS, "tasks")?;
        for (t, task) in self.tasks.iter().enumerate() {
            self.validate_task(&format!("tasks[{t}]"), task)?;
        }
        Ok(())
    }

    fn validate_task(&self, path: &str, task: &Task) -> Result<(), LessonError> {
        check_text(
            &format!("{path}.title"),
            task.title(),
            MAX_TITLE_CHARS,
            true,
        )?;
        if let Some(instructions) = task.instructions() {
            check_text(
                &format!("{path}.instructions"),
                instructions,
                MAX_TEXT_CHARS,
                false,
            )?;
        }
        let concepts = match task {
            Task::Teach {
                concepts,
                classes,
                target,
                ..
            } => {
                check_classes(&format!("{path}.classes"), classes, false)?;
                if !(target.value > 0.0 && target.value <= 1.0) {
                    return Err(invalid(
                        format!("{path}.target.value"),
                        format!("{} is not in (0, 1]", target.value),
                    ));
                }
                concepts
            }
            Task::Practice {
                concepts,
                classes,
                rounds,
                ..
            } => {
                check_classes(&format!("{path}.classes"), classes, true)?;
                check_count(
                    &format!("{path}.rounds"),
                    *rounds as usize,
                    1,
                    100,
                    "rounds",
                )?;
                concepts
            }
            Task::Quiz {
                concepts,
                questions,
                ..
            } => {
                check_count(
                    &format!("{path}.questions"),
                    questions.len(),
                    1,
                    MAX_QUESTIONS,
                    "questions",
                )?;
                for (q, question) in questions.iter().enumerate() {
                    let path = format!("{path}.questions[{q}]");
                    let (prompt, explanation) = question.prompt_and_explanation();
                    check_text(&format!("{path}.prompt"), prompt, MAX_TEXT_CHARS, true)?;
                    check_text(
                        &format!("{path}.explanation"),
                        explanation,
                        MAX_TEXT_CHARS,
                        false,
                    )?;
                    match question {
                        Question::Choice {
                            options, answer, ..
                        } => {
                            check_texts(
                                &format!("{path}.options"),
                                options,
                                2,
                                MAX_OPTIONS,
                                "options",
                            )?;
                            if *answer >= options.len() {
                                return Err(invalid(
                                    format!("{path}.answer"),
                                    format!(
                                        "{answer} is not an option (0 to {})",
                                        options.len() - 1
                                    ),
                                ));
                            }
                        }
                        Question::Free { answers, .. } => {
                            check_texts(&format!("{path}.answers"), answers, 1, 20, "answers")?;
                        }
                    }
                }
                concepts
            }
        };
        for (i, c) in concepts.iter().enumerate() {
            if !self.teaches.contains(c) {
                return Err(invalid(
                    format!("{path}.concepts[{i}]"),
                    format!("\"{c}\" is not among the concepts the lesson teaches"),
                ));
            }
        }
        Ok(())
    }

    /// The concepts a task's outcomes count towards (the lesson's when the task names none).
    pub fn task_concepts(&self, task: usize) -> Vec<String> {
        let named = self
            .tasks
            .get(task)
            .map(|t| t.concepts().to_vec())
            .unwrap_or_default();
        if named.is_empty() {
            self.teaches.clone()
        } else {
            named
        }
    }
}

#[cfg(test)]
mod tests;
