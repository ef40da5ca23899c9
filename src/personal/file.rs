//! A model as one file (`inkling-model`, version 1; `docs/model-format.md`): what a project's
//! model or a class model is, without a drawing or a sentence. The encoder id, the class names,
//! per class the prototype (mean embedding) and how many examples it stands for, and the
//! fine-tuned head when there is one. It answers wherever the encoder runs: in the app (as a
//! project's class model) and natively (`inkling predict`).
//!
//! An imported file is untrusted: its size is bounded before parsing, and every field is
//! checked, a problem naming its path (`classes[2].prototype[17]`).

use serde::{Deserialize, Serialize};

use crate::federated::pool::{ClassModel, ClassSummary};
use crate::learn::finetune::HeadWeights;
use crate::learn::prototypes::{OnlineStrategy, PrototypeError, softmax_present, squared_distance};
use crate::project::file::{
    HeaderError, check_format_version, check_header, check_numbers, header_field,
};
use crate::project::{MAX_CLASSES, MAX_NAME_CHARS, ProjectKind};

use super::model::{TrainingSet, prototypes_with_prior};

pub const FORMAT: &str = "inkling-model";
pub const VERSION: u32 = 1;
/// 20 classes of 4,096 numbers, a prototype and a head column each, as JSON: under 4 MB.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
pub const MAX_DIM: usize = 4096;
const MAX_ENCODER_CHARS: usize = 200;
/// More examples than any class pools.
const MAX_EXAMPLES: f64 = 1e9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// What it classifies: drawings or sentences.
    pub kind: ProjectKind,
    /// The encoder its embeddings come from (an input is embedded by the same one).
    pub encoder: String,
    /// Numbers per embedding.
    pub dim: usize,
    /// Whose work it holds: 1 for a project's model, the contributors for a class model.
    pub contributors: usize,
    pub classes: Vec<ModelClass>,
    /// The fine-tuned head; its columns follow `classes`.
    pub head: Option<ModelHead>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelClass {
    pub name: String,
    /// How many examples the prototype is the mean of (a real number: under differential
    /// privacy counts are noised).
    pub examples: f64,
    /// None when nobody gave this class an example.
    pub prototype: Option<Vec<f32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelHead {
    /// `[dim, classes]`, row-major.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelFileError {
    #[error("the file is {0} bytes; a model file is at most {MAX_FILE_BYTES}")]
    TooBig(usize),
    #[error("not an Inkling model file: {0}")]
    Json(String),
    #[error("{path}: {problem}")]
    Field { path: String, problem: String },
}

/// Why a model file cannot be a project's class model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriorMismatch {
    #[error("the model is of another kind of project (drawings or sentences)")]
    Kind,
    #[error("the model was made by the encoder \"{file}\"; this project's is \"{project}\"")]
    Encoder { file: String, project: String },
    #[error("the model has no class named as one of this project's")]
    NoClassInCommon,
}

fn field(path: impl Into<String>, problem: impl Into<String>) -> ModelFileError {
    ModelFileError::Field {
        path: path.into(),
        problem: problem.into(),
    }
}

/// What a model says of one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelAnswer {
    /// The most probable class.
    pub label: String,
    /// Whether the head answered (else the prototypes).
    pub fine_tuned: bool,
    /// Every class and its probability, in the file's class order.
    pub probabilities: Vec<(String, f32)>,
    /// Classes by the distance of their prototype, nearest first: (name, squared distance).
    pub nearest: Vec<(String, f32)>,
}

impl ModelFile {
    /// A project's model: per class the mean of its embedded examples (the app's prototypes),
    /// and `head` when it has the project's shape (the caller passes it only while it applies
    /// to exactly these examples).
    pub fn of_project(
        kind: ProjectKind,
        encoder: &str,
        set: &TrainingSet,
        head: Option<&HeadWeights>,
    ) -> Result<ModelFile, PrototypeError> {
        Self::of_project_with_prior(kind, encoder, set, head, None)
    }

    /// A project's model as the app answers with it: its examples over its class model
    /// (`prior`, see [`PersonalModel::with_prior`](super::PersonalModel::with_prior)); each
    /// class's `examples` counts the prior's weight too.
    pub fn of_project_with_prior(
        kind: ProjectKind,
        encoder: &str,
        set: &TrainingSet,
        head: Option<&HeadWeights>,
        prior: Option<&ModelFile>,
    ) -> Result<ModelFile, PrototypeError> {
        let prototypes = prototypes_with_prior(set, OnlineStrategy::Incremental, prior)?;
        let dim = prototypes.dim();
        let prior_contributors = prior.filter(|p| p.dim == dim).map_or(0, |p| p.contributors);
        let classes = prototypes
            .classes()
            .iter()
            .map(|c| ModelClass {
                name: c.label.clone(),
                examples: f64::from(c.total_weight),
                prototype: (!c.is_empty()).then(|| c.mean.clone()),
            })
            .collect();
        Ok(ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            kind,
            encoder: encoder.into(),
            dim,
            contributors: usize::from(!set.is_empty()) + prior_contributors,
            classes,
            head: head
                .filter(|h| h.dim == dim && h.classes == set.labels.len())
                .map(|h| ModelHead {
                    weight: h.weight.clone(),
                    bias: h.bias.clone(),
                }),
        })
    }

    /// A class model gathered from `contributors` contributions (see [`crate::federated`]).
    pub fn of_class(
        kind: ProjectKind,
        encoder: &str,
        dim: usize,
        model: &ClassModel,
        summary: &[ClassSummary],
        contributors: usize,
    ) -> Result<ModelFile, ModelFileError> {
        let classes = model
            .classes
            .iter()
            .zip(&model.prototypes)
            .map(|(name, prototype)| ModelClass {
                name: name.clone(),
                examples: summary
                    .iter()
                    .find(|s| &s.name == name)
                    .map_or(0.0, |s| s.examples.clamp(0.0, MAX_EXAMPLES)),
                prototype: prototype.clone(),
            })
            .collect();
        let file = ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            kind,
            encoder: encoder.into(),
            dim,
            contributors,
            classes,
            head: model.head.as_ref().map(|h| ModelHead {
                weight: h.weight.clone(),
                bias: h.bias.clone(),
            }),
        };
        // What is written must read back (a class model with no prototype, say, is none).
        file.validate()?;
        Ok(file)
    }

    /// The file's bytes (pretty JSON; the same model gives the same bytes).
    pub fn export(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("a model serialises")
    }

    /// Read and check a file: its size first, then its format, then every field.
    pub fn import(bytes: &[u8]) -> Result<ModelFile, ModelFileError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ModelFileError::TooBig(bytes.len()));
        }
        // The header first: a newer version's file (which may have new fields) is refused
        // as newer, not as unknown fields.
        check_header(bytes, FORMAT, VERSION).map_err(|e| match e {
            HeaderError::NotJson(e) => ModelFileError::Json(e),
            e => {
                let (path, problem) = header_field(e, FORMAT, VERSION);
                field(path, problem)
            }
        })?;
        let model: ModelFile =
            serde_json::from_slice(bytes).map_err(|e| ModelFileError::Json(e.to_string()))?;
        model.validate()?;
        Ok(model)
    }

    /// Every field within its bounds, every number finite, at least one prototype.
    pub fn validate(&self) -> Result<(), ModelFileError> {
        check_format_version(&self.format, self.version, FORMAT, VERSION)
            .map_err(|(path, problem)| field(path, problem))?;
        if self.encoder.is_empty() || self.encoder.chars().count() > MAX_ENCODER_CHARS {
            return Err(field("encoder", "missing or too long"));
        }
        if self.dim == 0 || self.dim > MAX_DIM {
            return Err(field("dim", format!("must be 1 to {MAX_DIM}")));
        }
        if self.classes.is_empty() || self.classes.len() > MAX_CLASSES {
            return Err(field(
                "classes",
                format!("must hold 1 to {MAX_CLASSES} classes"),
            ));
        }
        for (i, class) in self.classes.iter().enumerate() {
            let path = format!("classes[{i}]");
            if class.name.trim().is_empty() || class.name.chars().count() > MAX_NAME_CHARS {
                return Err(field(
                    format!("{path}.name"),
                    format!("a class name of 1 to {MAX_NAME_CHARS} characters"),
                ));
            }
            if self.classes[..i].iter().any(|c| c.name == class.name) {
                return Err(field(format!("{path}.name"), "named twice"));
            }
            if !class.examples.is_finite() || !(0.0..=MAX_EXAMPLES).contains(&class.examples) {
                return Err(field(format!("{path}.examples"), "not a count of examples"));
            }
            if let Some(p) = &class.prototype {
                check_values(&format!("{path}.prototype"), p, self.dim)?;
            }
        }
        if self.classes.iter().all(|c| c.prototype.is_none()) {
            return Err(field("classes", "no class has a prototype"));
        }
        if let Some(head) = &self.head {
            check_values("head.weight", &head.weight, self.dim * self.classes.len())?;
            check_values("head.bias", &head.bias, self.classes.len())?;
        }
        Ok(())
    }

    /// Whether this file can be the class model of a project of `kind`, embedded by
    /// `encoder`, with classes `labels`: the same kind and encoder, and a prototype for at
    /// least one of its classes (matched by name). Says how many of `labels` it covers.
    pub fn fits(
        &self,
        kind: ProjectKind,
        encoder: &str,
        labels: &[String],
    ) -> Result<usize, PriorMismatch> {
        if self.kind != kind {
            return Err(PriorMismatch::Kind);
        }
        if self.encoder != encoder {
            return Err(PriorMismatch::Encoder {
                file: self.encoder.clone(),
                project: encoder.into(),
            });
        }
        match labels
            .iter()
            .filter(|l| self.prototype(l).is_some())
            .count()
        {
            0 => Err(PriorMismatch::NoClassInCommon),
            covered => Ok(covered),
        }
    }

    pub fn class_names(&self) -> impl Iterator<Item = &str> {
        self.classes.iter().map(|c| c.name.as_str())
    }

    /// The prototype of the class named `name`, if it has one.
    pub fn prototype(&self, name: &str) -> Option<&[f32]> {
        self.classes
            .iter()
            .find(|c| c.name == name)?
            .prototype
            .as_deref()
    }

    /// The head as the engine uses it.
    pub fn head_weights(&self) -> Option<HeadWeights> {
        let head = self.head.as_ref()?;
        HeadWeights::new(
            self.dim,
            self.classes.len(),
            head.weight.clone(),
            head.bias.clone(),
        )
        .ok()
    }

    /// What the model says of one embedding: the head's probabilities when it has one, else a
    /// softmax over the negative squared distances to the prototypes (as the app does).
    pub fn answer(&self, embedding: &[f32]) -> Result<ModelAnswer, PrototypeError> {
        if embedding.len() != self.dim {
            return Err(PrototypeError::WrongDimension {
                expected: self.dim,
                found: embedding.len(),
            });
        }
        let distances: Vec<Option<f32>> = self
            .classes
            .iter()
            .map(|c| c.prototype.as_ref().map(|p| squared_distance(p, embedding)))
            .collect();
        let head = self.head_weights();
        let probabilities = match &head {
            Some(h) => h.probabilities(embedding),
            None => {
                let logits: Vec<Option<f32>> = distances.iter().map(|d| d.map(|d| -d)).collect();
                softmax_present(&logits).ok_or(PrototypeError::NoExamples)?
            }
        };
        // The first of equal maxima, as the app's ranking (a stable sort) has it.
        let best = probabilities.iter().enumerate().fold(0, |best, (i, p)| {
            if *p > probabilities[best] { i } else { best }
        });
        let mut nearest: Vec<(String, f32)> = self
            .classes
            .iter()
            .zip(&distances)
            .filter_map(|(c, d)| Some((c.name.clone(), (*d)?)))
            .collect();
        nearest.sort_by(|a, b| a.1.total_cmp(&b.1));
        Ok(ModelAnswer {
            label: self.classes[best].name.clone(),
            fine_tuned: head.is_some(),
            probabilities: self
                .classes
                .iter()
                .map(|c| c.name.clone())
                .zip(probabilities)
                .collect(),
            nearest,
        })
    }
}

fn check_values(path: &str, values: &[f32], len: usize) -> Result<(), ModelFileError> {
    check_numbers(path, values, len).map_err(|(path, problem)| field(path, problem))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::federated::pool::{PRIOR_EXAMPLES, with_prior};
    use crate::personal::model::PersonalModel;
    use crate::project::Project;

    /// Classes a (examples at (0, 0) and (2, 0)), b (at (10, 0)), c (none).
    fn set() -> TrainingSet {
        let mut p = Project::new("p", &["a", "b", "c"]).unwrap();
        let ids: Vec<u64> = p.classes.iter().map(|c| c.id).collect();
        let stroke = crate::learn::preprocess::line_drawing(5.0, 1.0);
        let e = [
            p.add_example(ids[0], stroke.clone()).unwrap(),
            p.add_example(ids[0], stroke.clone()).unwrap(),
            p.add_example(ids[1], stroke).unwrap(),
        ];
        let embeddings = HashMap::from([
            (e[0], vec![0.0, 0.0]),
            (e[1], vec![2.0, 0.0]),
            (e[2], vec![10.0, 0.0]),
        ]);
        TrainingSet::of(&p, &embeddings)
    }

    fn refused(model: &ModelFile) -> String {
        match ModelFile::import(&model.export()) {
            Err(ModelFileError::Field { path, .. }) => path,
            other => panic!("refused, not {other:?}"),
        }
    }

    #[test]
    fn a_project_model_answers_as_the_app_does_and_its_file_reads_back() {
        let set = set();
        let file = ModelFile::of_project(ProjectKind::Drawing, "enc", &set, None).unwrap();
        assert_eq!(file.dim, 2);
        assert_eq!(file.classes[0].prototype, Some(vec![1.0, 0.0]));
        assert_eq!(file.classes[0].examples, 2.0);
        assert_eq!(file.classes[2].prototype, None);
        assert_eq!(ModelFile::import(&file.export()), Ok(file.clone()));
        let app = PersonalModel::new(set, OnlineStrategy::Incremental, None).unwrap();
        for x in [-3.0, 3.0, 5.0, 7.0, 12.0] {
            let answer = file.answer(&[x, 1.0]).unwrap();
            let app = app.answer(&[x, 1.0], 3).unwrap();
            assert_eq!(answer.label, app.top[0].label);
            for r in &app.top {
                let p = answer.probabilities[r.class].1;
                assert!(
                    (p - r.confidence).abs() < 1e-6,
                    "{x}: {p} vs {}",
                    r.confidence
                );
            }
            // c has no prototype: never nearest, probability 0.
            assert_eq!(answer.probabilities[2].1, 0.0);
            assert_eq!(answer.nearest.len(), 2);
        }
        // No strokes, no sentences, no project name in the file.
        let text = String::from_utf8(file.export()).unwrap();
        assert!(!text.contains("strokes") && !text.contains("\"p\""));
    }

    #[test]
    fn a_head_answers_when_there_is_one() {
        let set = set();
        let head = HeadWeights::new(2, 3, vec![0.0; 6], vec![0.0, 0.0, 10.0]).unwrap();
        let file = ModelFile::of_project(ProjectKind::Text, "enc", &set, Some(&head)).unwrap();
        let answer = file.answer(&[0.0, 0.0]).unwrap();
        assert!(answer.fine_tuned);
        assert_eq!(answer.label, "c");
        // A head of another shape is not kept.
        let wrong = HeadWeights::new(2, 2, vec![0.0; 4], vec![0.0; 2]).unwrap();
        let file = ModelFile::of_project(ProjectKind::Text, "enc", &set, Some(&wrong)).unwrap();
        assert_eq!(file.head, None);
    }

    #[test]
    fn a_file_that_does_not_hold_together_is_refused_by_field() {
        let good = ModelFile::of_project(ProjectKind::Drawing, "enc", &set(), None).unwrap();
        let mut m = good.clone();
        m.format = "inkling-project".into();
        assert_eq!(refused(&m), "format");
        let mut m = good.clone();
        m.classes[1].name = "a".into();
        assert_eq!(refused(&m), "classes[1].name");
        let mut m = good.clone();
        m.classes[0].prototype.as_mut().unwrap()[1] = f32::INFINITY;
        let text = String::from_utf8(m.export()).unwrap();
        // serde_json writes an infinity as null: refused as not a number.
        assert!(ModelFile::import(text.as_bytes()).is_err());
        let mut m = good.clone();
        m.classes[1].prototype.as_mut().unwrap().push(1.0);
        assert_eq!(refused(&m), "classes[1].prototype");
        let mut m = good.clone();
        m.classes[0].examples = -1.0;
        assert_eq!(refused(&m), "classes[0].examples");
        let mut m = good.clone();
        m.classes.iter_mut().for_each(|c| c.prototype = None);
        assert_eq!(refused(&m), "classes");
        let mut m = good.clone();
        m.head = Some(ModelHead {
            weight: vec![0.0; 5],
            bias: vec![0.0; 3],
        });
        assert_eq!(refused(&m), "head.weight");
        assert!(matches!(
            ModelFile::import(&vec![b' '; MAX_FILE_BYTES + 1]),
            Err(ModelFileError::TooBig(_))
        ));
        assert_eq!(
            ModelFile::import(b"{\"format\": \"inkling-model\", \"extra\": 1}"),
            Err(field("version", "must be a whole number"))
        );
        let mut extra = serde_json::to_value(&good).unwrap();
        extra["extra"] = 1.into();
        assert!(matches!(
            ModelFile::import(extra.to_string().as_bytes()),
            Err(ModelFileError::Json(_))
        ));
    }

    #[test]
    fn a_model_fits_a_project_of_its_kind_and_encoder_with_a_class_in_common() {
        let file = ModelFile::of_project(ProjectKind::Drawing, "enc", &set(), None).unwrap();
        let labels = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        // a and b have prototypes; c has none, so it is not covered.
        assert_eq!(
            file.fits(ProjectKind::Drawing, "enc", &labels(&["a", "b", "c"])),
            Ok(2)
        );
        assert_eq!(
            file.fits(ProjectKind::Drawing, "enc", &labels(&["b", "z"])),
            Ok(1)
        );
        assert_eq!(
            file.fits(ProjectKind::Drawing, "enc", &labels(&["c", "z"])),
            Err(PriorMismatch::NoClassInCommon)
        );
        assert_eq!(
            file.fits(ProjectKind::Text, "enc", &labels(&["a"])),
            Err(PriorMismatch::Kind)
        );
        assert!(matches!(
            file.fits(ProjectKind::Drawing, "other", &labels(&["a"])),
            Err(PriorMismatch::Encoder { file, project }) if file == "enc" && project == "other"
        ));
    }

    #[test]
    fn a_class_model_under_a_students_examples_is_the_prior_they_outweigh() {
        let set = set();
        // The class model: a at (4, 4), b at (10, 0); c pooled nothing.
        let mut class = ModelFile::of_project(ProjectKind::Drawing, "enc", &set, None).unwrap();
        class.classes[0].prototype = Some(vec![4.0, 4.0]);
        let model =
            PersonalModel::with_prior(set.clone(), OnlineStrategy::Incremental, None, Some(&class))
                .unwrap();
        // a: (2 * (4, 4) + (0, 0) + (2, 0)) / 4 = (2.5, 2).
        let expected = with_prior(Some(&[4.0, 4.0]), &[vec![0.0, 0.0], vec![2.0, 0.0]]).unwrap();
        assert_eq!(expected, vec![2.5, 2.0]);
        assert_eq!(model.prototype(0), Some(&expected[..]));
        assert_eq!(model.class_weight(0), 4.0);
        // Exported, the model is the one that answers: the prior's weight counted.
        let exported =
            ModelFile::of_project_with_prior(ProjectKind::Drawing, "enc", &set, None, Some(&class))
                .unwrap();
        assert_eq!(exported.prototype("a"), Some(&expected[..]));
        assert_eq!(exported.classes[0].examples, 4.0);
        assert_eq!(exported.contributors, 1 + class.contributors);
        let at = model.answer(&[2.5, 2.0], 3).unwrap();
        assert_eq!(at.top[0].label, "a");
        let without = PersonalModel::new(set.clone(), OnlineStrategy::Incremental, None).unwrap();
        // Where the class model moved a's prototype, the answer moved with it: (6, 3) is
        // nearer b (10, 0) than the student's own a (1, 0), but nearer the prior's a (2.5, 2).
        assert_eq!(without.answer(&[6.0, 3.0], 1).unwrap().top[0].label, "b");
        assert_eq!(model.answer(&[6.0, 3.0], 1).unwrap().top[0].label, "a");
        // Only the student's own examples are named as nearest (the prior is no example).
        let mut nearest: Vec<u64> = at.nearest.iter().map(|&(_, id)| id).collect();
        nearest.sort();
        assert_eq!(nearest, set.example_ids());
        assert_eq!(PRIOR_EXAMPLES, 2);
        // Before the student has drawn anything, the class model answers alone.
        let empty = TrainingSet {
            labels: set.labels.clone(),
            class_ids: set.class_ids.clone(),
            examples: vec![],
        };
        let alone =
            PersonalModel::with_prior(empty, OnlineStrategy::Incremental, None, Some(&class))
                .unwrap();
        assert_eq!(alone.answer(&[9.0, 0.0], 1).unwrap().top[0].label, "b");
        assert!(alone.answer(&[9.0, 0.0], 1).unwrap().nearest.is_empty());
        // A class model of another size than the student's embeddings is not used.
        let mut other = class.clone();
        other.dim = 3;
        for p in other
            .classes
            .iter_mut()
            .filter_map(|c| c.prototype.as_mut())
        {
            p.push(0.0);
        }
        let unused =
            PersonalModel::with_prior(set.clone(), OnlineStrategy::Incremental, None, Some(&other))
                .unwrap();
        assert_eq!(unused.prototype(0), without.prototype(0));
        assert_eq!(unused.class_weight(0), 2.0);
    }

    #[test]
    fn the_prior_never_displaces_a_students_own_examples_whatever_the_strategy() {
        let set = set();
        let mut class = ModelFile::of_project(ProjectKind::Drawing, "enc", &set, None).unwrap();
        class.classes[0].prototype = Some(vec![4.0, 4.0]);
        for strategy in [
            OnlineStrategy::Incremental,
            OnlineStrategy::Replay {
                capacity: 2,
                seed: 1,
            },
            OnlineStrategy::Forgetting {
                decay: 0.5,
                evict_below: 0.3,
            },
        ] {
            let own = PersonalModel::new(set.clone(), strategy, None).unwrap();
            let model =
                PersonalModel::with_prior(set.clone(), strategy, None, Some(&class)).unwrap();
            // Every own example is still there to be named.
            let nearest = model.answer(&[1.0, 0.0], 10).unwrap().nearest;
            assert_eq!(nearest.len(), 3, "{strategy:?}: {nearest:?}");
            // And the class model counts as two examples beside the student's own weight.
            let a = own.prototype(0).unwrap();
            let w = own.class_weight(0);
            let expected: Vec<f32> = (0..2)
                .map(|i| (2.0 * [4.0, 4.0][i] + w * a[i]) / (2.0 + w))
                .collect();
            let got = model.prototype(0).unwrap();
            for (g, e) in got.iter().zip(&expected) {
                assert!(
                    (g - e).abs() < 1e-5,
                    "{strategy:?}: {got:?} vs {expected:?}"
                );
            }
        }
    }

    #[test]
    fn a_tie_is_answered_as_the_app_answers_it_the_first_class() {
        let mut file = ModelFile::of_project(ProjectKind::Drawing, "enc", &set(), None).unwrap();
        file.classes[1].prototype = file.classes[0].prototype.clone();
        let answer = file.answer(&[1.0, 1.0]).unwrap();
        assert_eq!(answer.label, "a");
        assert_eq!(answer.nearest[0].0, "a");
    }

    #[test]
    fn a_newer_version_is_refused_as_a_newer_version_even_with_new_fields() {
        let good = ModelFile::of_project(ProjectKind::Drawing, "enc", &set(), None).unwrap();
        let mut value = serde_json::to_value(&good).unwrap();
        value["version"] = 2.into();
        value["calibration"] = serde_json::json!({"temperature": 1.5});
        match ModelFile::import(value.to_string().as_bytes()) {
            Err(ModelFileError::Field { path, problem }) => {
                assert_eq!(path, "version");
                assert!(problem.contains('2'), "{problem}");
            }
            other => panic!("refused by its version, not {other:?}"),
        }
    }

    #[test]
    fn a_class_model_is_made_only_when_its_file_would_be_read_back() {
        use crate::federated::pool::{ClassModel, ClassSummary};
        let names = vec!["a".to_string(), "b".to_string()];
        let summary: Vec<ClassSummary> = names
            .iter()
            .map(|n| ClassSummary {
                name: n.clone(),
                contributors: 2,
                examples: 2e9,
            })
            .collect();
        let model = |prototypes: Vec<Option<Vec<f32>>>| ClassModel {
            classes: names.clone(),
            prototypes,
            head: None,
        };
        // Too noisy under DP: no prototype at all.
        let none = model(vec![None, None]);
        assert!(ModelFile::of_class(ProjectKind::Drawing, "enc", 2, &none, &summary, 2).is_err());
        // Two contributions of a billion examples each: still a file that reads back.
        let some = model(vec![Some(vec![1.0, 0.0]), None]);
        let file = ModelFile::of_class(ProjectKind::Drawing, "enc", 2, &some, &summary, 2).unwrap();
        assert_eq!(ModelFile::import(&file.export()), Ok(file));
    }
}
