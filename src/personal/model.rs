//! The personal model of one project: prototypes from the student's own examples, and the
//! fine-tuned head of "Improve" for as long as the examples are the ones it was trained on.

use std::collections::HashMap;

use super::file::ModelFile;
use crate::federated::pool::PRIOR_EXAMPLES;
use crate::learn::evaluate::leave_one_out;
use crate::learn::finetune::HeadWeights;
use crate::learn::metrics::ConfusionMatrix;
use crate::learn::prototypes::{OnlineStrategy, PrototypeError, Prototypes};
use crate::project::Project;
use crate::store::records::{ModelRecord, TunedRecord, bytes_f32, f32_bytes};

/// What a project's model learns from: each example that has an embedding, in project order
/// (class by class, examples in the order they were made).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingSet {
    /// Class names, in project order (the model's class indices).
    pub labels: Vec<String>,
    /// Class ids, in the same order.
    pub class_ids: Vec<u64>,
    /// `(example id, class index, embedding)`.
    pub examples: Vec<(u64, usize, Vec<f32>)>,
}

impl TrainingSet {
    pub fn of(project: &Project, embeddings: &HashMap<u64, Vec<f32>>) -> Self {
        let mut examples = Vec::new();
        for (k, class) in project.classes.iter().enumerate() {
            for e in &class.examples {
                if let Some(v) = embeddings.get(&e.id) {
                    examples.push((e.id, k, v.clone()));
                }
            }
        }
        TrainingSet {
            labels: project.classes.iter().map(|c| c.name.clone()).collect(),
            class_ids: project.classes.iter().map(|c| c.id).collect(),
            examples,
        }
    }

    /// The example ids, in training order (what a fine-tuned head records it saw).
    pub fn example_ids(&self) -> Vec<u64> {
        self.examples.iter().map(|e| e.0).collect()
    }

    /// `(class index, embedding)` pairs, in training order.
    pub fn labelled(&self) -> Vec<(usize, Vec<f32>)> {
        self.examples.iter().map(|e| (e.1, e.2.clone())).collect()
    }

    /// The embedding size; None while no example has an embedding.
    pub fn dim(&self) -> Option<usize> {
        self.examples.first().map(|e| e.2.len())
    }

    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }

    /// Each example judged by the others (leave-one-out), as a confusion matrix; None when no
    /// class has two examples to judge.
    pub fn evaluate(&self, strategy: OnlineStrategy) -> Result<ConfusionMatrix, PrototypeError> {
        let cm = leave_one_out(self.labels.clone(), &self.labelled(), strategy)?;
        if cm.total() == 0 {
            return Err(PrototypeError::NoExamples);
        }
        Ok(cm)
    }
}

/// A fine-tuned head and the examples it was trained on, in training order.
#[derive(Clone, Debug, PartialEq)]
pub struct Tuned {
    pub examples: Vec<u64>,
    pub head: HeadWeights,
}

impl Tuned {
    /// The head still answers for `set` only when it was trained on exactly these examples
    /// (any added, removed or moved example makes it stale) and has its shape.
    pub fn applies_to(&self, set: &TrainingSet) -> bool {
        self.examples == set.example_ids()
            && self.head.classes == set.labels.len()
            && Some(self.head.dim) == set.dim()
    }

    /// The head as stored with its project (`classes`: the class ids, head column order).
    pub fn record(&self, project: &str, encoder: &str, classes: &[u64]) -> ModelRecord {
        ModelRecord {
            project: project.to_string(),
            encoder: encoder.to_string(),
            classes: classes.to_vec(),
            dim: self.head.dim as u32,
            fine_tuned: Some(TunedRecord {
                examples: self.examples.clone(),
                weight: f32_bytes(&self.head.weight),
                bias: f32_bytes(&self.head.bias),
            }),
        }
    }

    /// The head a model record holds, if it is whole.
    pub fn from_record(record: &ModelRecord) -> Option<Tuned> {
        let t = record.fine_tuned.as_ref()?;
        let head = HeadWeights::new(
            record.dim as usize,
            record.classes.len(),
            bytes_f32(&t.weight)?,
            bytes_f32(&t.bias)?,
        )
        .ok()?;
        Some(Tuned {
            examples: t.examples.clone(),
            head,
        })
    }
}

/// One line of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub class: usize,
    pub label: String,
    pub confidence: f32,
}

/// The model's answer for one drawing or sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Whether the fine-tuned head answered (else the prototypes).
    pub fine_tuned: bool,
    /// The most probable classes, best first.
    pub top: Vec<Ranked>,
    /// The nearest of the student's own examples, nearest first: (class index, example id).
    pub nearest: Vec<(usize, u64)>,
}

/// The prototypes of `set`, with the class model `prior` under them when it has their size
/// (see [`PersonalModel::with_prior`]).
pub(crate) fn prototypes_with_prior(
    set: &TrainingSet,
    strategy: OnlineStrategy,
    prior: Option<&ModelFile>,
) -> Result<Prototypes, PrototypeError> {
    let prior = prior.filter(|p| set.dim().is_none_or(|d| d == p.dim));
    let dim = set
        .dim()
        .or(prior.map(|p| p.dim))
        .ok_or(PrototypeError::NoExamples)?;
    let mut prototypes =
        Prototypes::from_labelled(dim, strategy, set.labels.clone(), &set.labelled())?;
    if let Some(prior) = prior {
        for (class, label) in set.labels.iter().enumerate() {
            if let Some(p) = prior.prototype(label) {
                prototypes.add_prior(class, p, PRIOR_EXAMPLES as f32)?;
            }
        }
    }
    Ok(prototypes)
}

/// Prototypes from a training set, and the fine-tuned head when it still applies.
#[derive(Debug, Clone)]
pub struct PersonalModel {
    set: TrainingSet,
    prototypes: Prototypes,
    head: Option<HeadWeights>,
}

impl PersonalModel {
    /// None while no example has an embedding.
    pub fn new(
        set: TrainingSet,
        strategy: OnlineStrategy,
        tuned: Option<&Tuned>,
    ) -> Result<Self, PrototypeError> {
        Self::with_prior(set, strategy, tuned, None)
    }

    /// The model with a class model (`prior`) under the student's own examples: each class the
    /// class model has a prototype for starts from it, weighted as
    /// [`PRIOR_EXAMPLES`] examples, and the student's own examples are added to it (so they
    /// outweigh it as they grow; see [`crate::federated::pool::with_prior`]). A prior of
    /// another size is not used. None while there is neither an example nor a prior.
    pub fn with_prior(
        set: TrainingSet,
        strategy: OnlineStrategy,
        tuned: Option<&Tuned>,
        prior: Option<&ModelFile>,
    ) -> Result<Self, PrototypeError> {
        let prototypes = prototypes_with_prior(&set, strategy, prior)?;
        let head = tuned.filter(|t| t.applies_to(&set)).map(|t| t.head.clone());
        Ok(PersonalModel {
            set,
            prototypes,
            head,
        })
    }

    /// Class `class`'s prototype (None while it has no weight).
    pub fn prototype(&self, class: usize) -> Option<&[f32]> {
        let c = self.prototypes.classes().get(class)?;
        (!c.is_empty()).then_some(c.mean.as_slice())
    }

    /// How many examples class `class`'s prototype stands for (decayed, under forgetting).
    pub fn class_weight(&self, class: usize) -> f32 {
        self.prototypes
            .classes()
            .get(class)
            .map_or(0.0, |c| c.total_weight)
    }

    pub fn is_fine_tuned(&self) -> bool {
        self.head.is_some()
    }

    /// The `k` most probable classes and the `k` nearest own examples for `embedding`.
    pub fn answer(&self, embedding: &[f32], k: usize) -> Result<Answer, PrototypeError> {
        let prediction = self.prototypes.predict(embedding, k)?;
        let probabilities = match &self.head {
            Some(head) => head.probabilities(embedding),
            None => prediction.probabilities,
        };
        let mut top: Vec<Ranked> = self
            .set
            .labels
            .iter()
            .zip(&probabilities)
            .enumerate()
            .map(|(class, (label, &confidence))| Ranked {
                class,
                label: label.clone(),
                confidence,
            })
            .collect();
        // Stable: ties keep class order.
        top.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        top.truncate(k);
        // The model numbers examples in training order (`Prototypes::from_labelled`).
        let nearest = prediction
            .nearest
            .iter()
            .filter_map(|&(model_id, class, _)| {
                let example = self.set.examples.get(model_id as usize)?;
                Some((class, example.0))
            })
            .collect();
        Ok(Answer {
            fine_tuned: self.head.is_some(),
            top,
            nearest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stroke() -> Vec<crate::learn::preprocess::Stroke> {
        crate::learn::preprocess::line_drawing(5.0, 1.0)
    }

    /// Classes a (ids 1), b (2), c (3); a has examples 4, 5; b has 6; c none.
    fn project() -> (Project, HashMap<u64, Vec<f32>>) {
        let mut p = Project::new("p", &["a", "b", "c"]).unwrap();
        let ids: Vec<u64> = p.classes.iter().map(|c| c.id).collect();
        let e4 = p.add_example(ids[0], stroke()).unwrap();
        let e5 = p.add_example(ids[0], stroke()).unwrap();
        let e6 = p.add_example(ids[1], stroke()).unwrap();
        let embeddings = HashMap::from([
            (e4, vec![0.0, 0.0]),
            (e5, vec![2.0, 0.0]),
            (e6, vec![10.0, 0.0]),
        ]);
        (p, embeddings)
    }

    #[test]
    fn the_training_set_is_the_embedded_examples_in_project_order() {
        let (p, mut embeddings) = project();
        let set = TrainingSet::of(&p, &embeddings);
        assert_eq!(set.labels, ["a", "b", "c"]);
        assert_eq!(set.class_ids, [1, 2, 3]);
        assert_eq!(set.example_ids(), [4, 5, 6]);
        assert_eq!(set.labelled()[2], (1, vec![10.0, 0.0]));
        assert_eq!(set.dim(), Some(2));
        // An example still being embedded is not in it yet.
        embeddings.remove(&5);
        assert_eq!(TrainingSet::of(&p, &embeddings).example_ids(), [4, 6]);
        assert!(TrainingSet::of(&p, &HashMap::new()).is_empty());
    }

    #[test]
    fn the_model_ranks_classes_and_names_the_nearest_own_examples() {
        let (p, embeddings) = project();
        let model = PersonalModel::new(
            TrainingSet::of(&p, &embeddings),
            OnlineStrategy::Incremental,
            None,
        )
        .unwrap();
        // Prototypes: a at (1, 0), b at (10, 0), c empty. At (3, 0): distances 4 and 49.
        let answer = model.answer(&[3.0, 0.0], 2).unwrap();
        assert!(!answer.fine_tuned);
        assert_eq!(answer.top[0].label, "a");
        assert_eq!(answer.top[1].label, "b");
        let expected = 1.0 / (1.0 + (-45.0f32).exp());
        assert!((answer.top[0].confidence - expected).abs() < 1e-6);
        // Nearest: example 5 at (2, 0), then 4 at (0, 0), as (class, example id).
        assert_eq!(answer.nearest, vec![(0, 5), (0, 4)]);
        assert_eq!(
            PersonalModel::new(
                TrainingSet::of(&p, &HashMap::new()),
                OnlineStrategy::Incremental,
                None
            )
            .unwrap_err(),
            PrototypeError::NoExamples
        );
    }

    fn head_towards_c() -> HeadWeights {
        // Logits: bias only, class c far ahead.
        HeadWeights::new(2, 3, vec![0.0; 6], vec![0.0, 0.0, 10.0]).unwrap()
    }

    #[test]
    fn a_head_answers_only_for_the_examples_it_was_trained_on() {
        let (mut p, embeddings) = project();
        let tuned = Tuned {
            examples: vec![4, 5, 6],
            head: head_towards_c(),
        };
        let set = TrainingSet::of(&p, &embeddings);
        assert!(tuned.applies_to(&set));
        let model = PersonalModel::new(set, OnlineStrategy::Incremental, Some(&tuned)).unwrap();
        let answer = model.answer(&[3.0, 0.0], 3).unwrap();
        assert!(answer.fine_tuned);
        assert_eq!(answer.top[0].label, "c");

        // One example removed: stale, the prototypes answer.
        p.delete_example(5).unwrap();
        let set = TrainingSet::of(&p, &embeddings);
        assert!(!tuned.applies_to(&set));
        let model = PersonalModel::new(set, OnlineStrategy::Incremental, Some(&tuned)).unwrap();
        assert!(!model.is_fine_tuned());
        // Another class: the head has the wrong number of columns.
        let (mut p, embeddings) = project();
        p.add_class("d").unwrap();
        assert!(!tuned.applies_to(&TrainingSet::of(&p, &embeddings)));
    }

    #[test]
    fn a_head_survives_its_record() {
        let tuned = Tuned {
            examples: vec![4, 5, 6],
            head: head_towards_c(),
        };
        let record = tuned.record("p1", "enc", &[1, 2, 3]);
        assert_eq!(record.project, "p1");
        assert_eq!(record.classes, [1, 2, 3]);
        assert_eq!(Tuned::from_record(&record), Some(tuned));
        let mut broken = record;
        broken.fine_tuned.as_mut().unwrap().bias.pop();
        assert_eq!(Tuned::from_record(&broken), None);
    }

    #[test]
    fn evaluation_needs_a_class_with_two_examples() {
        let (p, embeddings) = project();
        let cm = TrainingSet::of(&p, &embeddings)
            .evaluate(OnlineStrategy::Incremental)
            .unwrap();
        // Only class a has two examples: each judged by the other, both right.
        assert_eq!(cm.total(), 2);
        assert_eq!(cm.accuracy(), 1.0);
        let mut lone = embeddings.clone();
        lone.remove(&5);
        assert_eq!(
            TrainingSet::of(&p, &lone)
                .evaluate(OnlineStrategy::Incremental)
                .unwrap_err(),
            PrototypeError::NoExamples
        );
    }
}
