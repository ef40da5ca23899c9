//! What the store keeps, record by record, and how a [`Project`] splits into records and is put
//! back together. Pure (no web types), so it is tested natively; `store::idb` writes these.

use serde::{Deserialize, Serialize};

use crate::learn::preprocess::Stroke;
use crate::profile::ProfileId;
use crate::project::file::FileError;
use crate::project::{Project, ProjectClass, ProjectExample, ProjectKind};

/// The IndexedDB database of the app.
pub const DB_NAME: &str = "inkling";
/// The schema this build creates and upgrades to. Every version's changes are in
/// `store::idb::upgrade_to`; never edit a released version's step, add the next one.
/// - 1: `projects`, `examples` (index `project`), `settings`.
/// - 2: `profiles` (a default profile), `models`; every project gets a `profile`.
/// - 3: `lessons` (imported), `learners` (mastery and review cards per profile), `outcomes`
///   (the history, index `profile`).
pub const SCHEMA_VERSION: u32 = 3;

/// Object store names.
pub const PROFILES: &str = "profiles";
pub const PROJECTS: &str = "projects";
pub const EXAMPLES: &str = "examples";
pub const MODELS: &str = "models";
pub const SETTINGS: &str = "settings";
pub const LESSONS: &str = "lessons";
pub const LEARNERS: &str = "learners";
pub const OUTCOMES: &str = "outcomes";

/// One student on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRecord {
    pub id: ProfileId,
    pub name: String,
    /// The UI language this student chose (empty: the browser's).
    #[serde(default)]
    pub language: String,
}

/// A project without its examples (they are records of their own, so adding one drawing
/// writes one drawing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRecord {
    pub id: String,
    /// Empty in version-1 records (before profiles).
    #[serde(default)]
    pub profile: ProfileId,
    pub name: String,
    /// Drawing in records written before text projects.
    #[serde(default)]
    pub kind: ProjectKind,
    pub classes: Vec<ClassRecord>,
    pub next_id: u64,
    /// Milliseconds since the epoch of the last change (the newest project opens first).
    pub modified: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassRecord {
    pub id: u64,
    pub name: String,
}

/// One example: the strokes or the sentence (the truth), and its embedding under the encoder
/// named `encoder` (empty until computed; recomputed when the encoder changes). Older records
/// also carry the rendered model input (`input`), which nothing read; it is ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleRecord {
    /// `"{project}/{id}"`: the store's key.
    pub key: String,
    pub project: String,
    pub class: u64,
    pub id: u64,
    /// A drawing's strokes (empty for a sentence).
    #[serde(default)]
    pub strokes: Vec<Stroke>,
    /// A text project's sentence.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub embedding: Vec<f32>,
    #[serde(default)]
    pub encoder: String,
}

/// A project's fine-tuned head as bytes (little-endian f32), with the examples it was trained
/// on (stale, and unused, once they change). The prototypes are not kept: they are means of the
/// stored embeddings, recomputed in microseconds. (Records written before this still carry a
/// `prototypes` field; it is ignored.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRecord {
    pub project: String,
    pub encoder: String,
    /// Class ids, in the order of the head's columns.
    pub classes: Vec<u64>,
    pub dim: u32,
    pub fine_tuned: Option<TunedRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TunedRecord {
    /// Example ids the head was trained on, in training order.
    pub examples: Vec<u64>,
    /// `[dim, classes]`
    #[serde(with = "serde_bytes")]
    pub weight: Vec<u8>,
    /// `[classes]`
    #[serde(with = "serde_bytes")]
    pub bias: Vec<u8>,
}

/// An imported lesson, kept as its file (validated again when read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonRecord {
    pub id: crate::lesson::LessonId,
    pub file: String,
    pub imported_ms: f64,
}

/// One student's knowledge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerRecord {
    pub profile: ProfileId,
    pub learner: crate::knowledge::learner::Learner,
}

/// One outcome in a student's history (written with the learner it changed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRecord {
    pub profile: ProfileId,
    pub outcome: crate::knowledge::learner::Outcome,
}

/// A named setting: the student open last, the project each student opened last, the project
/// each teach task made (the backend choice is in localStorage, read before the store opens).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingRecord {
    pub key: String,
    pub value: String,
}

pub fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The inverse of [`f32_bytes`]; `None` when the length is not a multiple of 4.
pub fn bytes_f32(bytes: &[u8]) -> Option<Vec<f32>> {
    bytes.len().is_multiple_of(4).then(|| {
        bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

pub fn example_key(project: &str, example: u64) -> String {
    format!("{project}/{example}")
}

/// What a project shares with its class, kept as settings under these keys (each a whole
/// file's JSON, written when it changes). They outlive a deleted project, so "undo" finds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// The project's contributor id (a student's newer contribution replaces the older one).
    Contributor,
    /// The class model under the project's own examples (`inkling-model`).
    ClassModel,
    /// The contributions gathered into the project (`inkling-class-pool`).
    Pool,
}

impl Shared {
    pub fn key(self, project: &str) -> String {
        let what = match self {
            Shared::Contributor => "contributor",
            Shared::ClassModel => "class-model",
            Shared::Pool => "class-pool",
        };
        format!("{what}/{project}")
    }
}

impl ProjectRecord {
    pub fn of(id: &str, profile: &ProfileId, project: &Project, modified: f64) -> Self {
        ProjectRecord {
            id: id.to_string(),
            profile: profile.clone(),
            name: project.name.clone(),
            kind: project.kind,
            classes: project
                .classes
                .iter()
                .map(|c| ClassRecord {
                    id: c.id,
                    name: c.name.clone(),
                })
                .collect(),
            next_id: project.next_id(),
            modified,
        }
    }
}

impl ExampleRecord {
    /// The record of one example; `embedding` may be empty (computed later).
    pub fn of(
        project: &str,
        class: u64,
        example: &ProjectExample,
        embedding: Vec<f32>,
        encoder: &str,
    ) -> Self {
        ExampleRecord {
            key: example_key(project, example.id),
            project: project.to_string(),
            class,
            id: example.id,
            strokes: example.strokes.clone(),
            text: example.text.clone(),
            embedding,
            encoder: encoder.to_string(),
        }
    }
}

/// Put a project back together from its records (in any order), checking every rule: a store
/// can be damaged, and a project that does not add up is reported, not half-shown.
pub fn assemble_project(
    record: &ProjectRecord,
    mut examples: Vec<ExampleRecord>,
) -> Result<Project, FileError> {
    examples.sort_by_key(|e| e.id);
    let mut classes: Vec<ProjectClass> = record
        .classes
        .iter()
        .map(|c| ProjectClass {
            id: c.id,
            name: c.name.clone(),
            examples: Vec::new(),
        })
        .collect();
    for e in examples {
        let Some(class) = classes.iter_mut().find(|c| c.id == e.class) else {
            return Err(FileError::Invalid {
                path: format!("examples[{}]", e.key),
                problem: format!(
                    "belongs to class {}, which the project does not have",
                    e.class
                ),
            });
        };
        class.examples.push(ProjectExample {
            id: e.id,
            strokes: e.strokes,
            text: e.text,
        });
    }
    Project::from_parts(record.name.clone(), record.kind, classes, record.next_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::preprocess::Point;

    fn drawing(dx: f32) -> Vec<Stroke> {
        vec![
            (0..10)
                .map(|i| Point {
                    x: i as f32 * 3.0 + dx,
                    y: (i as f32).sin() * 10.0,
                    t: i as f32,
                })
                .collect(),
        ]
    }

    fn project_with_examples() -> Project {
        let mut p = Project::starter();
        let ids: Vec<u64> = p.classes.iter().map(|c| c.id).collect();
        for (k, id) in ids.into_iter().enumerate() {
            p.add_example(id, drawing(k as f32)).unwrap();
            p.add_example(id, drawing(k as f32 + 0.5)).unwrap();
        }
        p
    }

    fn records(p: &Project) -> (ProjectRecord, Vec<ExampleRecord>) {
        let record = ProjectRecord::of("p1", &ProfileId::first_student(), p, 1.0);
        let examples = p
            .classes
            .iter()
            .flat_map(|c| {
                c.examples
                    .iter()
                    .map(move |e| ExampleRecord::of("p1", c.id, e, vec![0.5; 4], "enc"))
            })
            .collect();
        (record, examples)
    }

    /// Stored keys: changing one would leave what devices already keep unread.
    #[test]
    fn what_a_project_shares_is_kept_under_one_key_per_kind_and_project() {
        let keys = [Shared::Contributor, Shared::ClassModel, Shared::Pool]
            .map(|what| what.key("p1700000000000-0000beef"));
        assert_eq!(
            keys,
            [
                "contributor/p1700000000000-0000beef",
                "class-model/p1700000000000-0000beef",
                "class-pool/p1700000000000-0000beef",
            ]
        );
    }

    #[test]
    fn a_project_splits_into_records_and_comes_back_whole() {
        let p = project_with_examples();
        let (record, mut examples) = records(&p);
        assert_eq!(examples[0].key, format!("p1/{}", examples[0].id));
        // The store returns records in key order ("p1/10" before "p1/4"): order must not matter.
        examples.reverse();
        assert_eq!(assemble_project(&record, examples).unwrap(), p);
    }

    #[test]
    fn damaged_records_are_reported_not_half_loaded() {
        let p = project_with_examples();
        let (record, mut examples) = records(&p);
        examples[1].class = 99;
        let err = assemble_project(&record, examples).unwrap_err();
        assert!(err.to_string().contains("class 99"), "{err}");

        let (mut record, examples) = records(&p);
        record.next_id = 2;
        assert!(assemble_project(&record, examples).is_err());
    }

    #[test]
    fn version_1_project_records_read_with_an_empty_profile() {
        let v1 = r#"{"id":"p","name":"n","classes":[{"id":1,"name":"a"},{"id":2,"name":"b"}],"next_id":3,"modified":0}"#;
        let record: ProjectRecord = serde_json::from_str(v1).unwrap();
        assert_eq!(record.profile, ProfileId::default());
    }

    #[test]
    fn example_records_written_with_their_input_still_read() {
        let old = r#"{"key":"p/4","project":"p","class":1,"id":4,"strokes":[],"text":"hi","input":[0,255],"embedding":[0.5],"encoder":"e"}"#;
        let record: ExampleRecord = serde_json::from_str(old).unwrap();
        assert_eq!(record.text.as_deref(), Some("hi"));
        assert_eq!(record.embedding, [0.5]);
    }

    #[test]
    fn model_records_written_with_prototypes_still_read() {
        let old = r#"{"project":"p","encoder":"e","classes":[1,2],"dim":1,"prototypes":[0,0,128,63,0,0,0,0],"fine_tuned":null}"#;
        let record: ModelRecord = serde_json::from_str(old).unwrap();
        assert_eq!(record.classes, [1, 2]);
        assert_eq!(record.fine_tuned, None);
    }

    #[test]
    fn floats_survive_as_bytes() {
        let v = vec![0.1f32, -3.5e-7, f32::MAX];
        assert_eq!(bytes_f32(&f32_bytes(&v)).unwrap(), v);
        assert_eq!(bytes_f32(&[1, 2, 3]), None);
    }
}
