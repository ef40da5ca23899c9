//! The student's personal model: one prototype (mean embedding) per class, updated on every
//! example, and the online strategies that decide which examples it remembers.
//!
//! Embeddings are plain `Vec<f32>` here: a personal model has tens of examples, so plain Rust is
//! faster than a tensor round trip and runs the same on every backend.

use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// How the personal model treats a stream of examples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OnlineStrategy {
    /// Every example counts equally, for ever (prototype = mean of all examples).
    #[default]
    Incremental,
    /// Every example enters its prototype, but each class keeps at most `capacity` examples in
    /// memory: a uniform random sample of all the class's examples so far (Vitter's algorithm
    /// R, per class). Fine-tuning replays that reservoir beside the newest examples
    /// ([`Prototypes::fine_tuning_batch`]), so memory stays bounded without forgetting.
    Replay { capacity: usize, seed: u64 },
    /// Each new example of a class multiplies the weight of that class's older examples by
    /// `decay`; examples whose weight falls below `evict_below` are dropped. The prototype
    /// follows the student's current handwriting.
    Forgetting { decay: f32, evict_below: f32 },
}

/// One remembered example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub id: u64,
    pub class: usize,
    pub embedding: Vec<f32>,
    pub weight: f32,
}

/// Weighted mean of a class's embeddings, kept up to date incrementally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassPrototype {
    pub label: String,
    pub mean: Vec<f32>,
    pub total_weight: f32,
    /// Examples ever added to this class (the reservoir's stream position).
    pub examples_seen: u64,
}

impl ClassPrototype {
    fn new(label: String, dim: usize) -> Self {
        Self {
            label,
            mean: vec![0.0; dim],
            total_weight: 0.0,
            examples_seen: 0,
        }
    }

    /// mean' = mean + w (e - mean) / (W + w)
    fn add(&mut self, embedding: &[f32], weight: f32) {
        let total = self.total_weight + weight;
        for (m, e) in self.mean.iter_mut().zip(embedding) {
            *m += weight * (e - *m) / total;
        }
        self.total_weight = total;
    }

    /// The inverse of [`ClassPrototype::add`]; the last example out leaves an empty class.
    fn remove(&mut self, embedding: &[f32], weight: f32) {
        let total = self.total_weight - weight;
        if total <= 1e-6 {
            self.mean.iter_mut().for_each(|m| *m = 0.0);
            self.total_weight = 0.0;
            return;
        }
        for (m, e) in self.mean.iter_mut().zip(embedding) {
            *m = (*m * self.total_weight - weight * e) / total;
        }
        self.total_weight = total;
    }

    /// Multiply every example's weight by `factor` (the mean does not move).
    fn scale_weights(&mut self, factor: f32) {
        self.total_weight *= factor;
    }

    pub fn is_empty(&self) -> bool {
        self.total_weight <= 0.0
    }
}

/// A prediction: a probability per class and the student's own examples that explain it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Softmax over negative squared distances to the prototypes, in class order (0 for a
    /// class with no examples).
    pub probabilities: Vec<f32>,
    /// Index of the most probable class.
    pub best: usize,
    /// The nearest remembered examples, nearest first: (example id, class, squared distance).
    pub nearest: Vec<(u64, usize, f32)>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrototypeError {
    #[error("class {0} does not exist")]
    NoSuchClass(usize),
    #[error("embedding has {found} values, the model expects {expected}")]
    WrongDimension { expected: usize, found: usize },
    #[error("no class has an example yet")]
    NoExamples,
    #[error("no example with id {0}")]
    NoSuchExample(u64),
    #[error(
        "example {0} was merged into its prototype when the replay reservoir let it go; \
         it can no longer be removed on its own"
    )]
    Merged(u64),
    #[error("invalid online strategy: {0}")]
    InvalidStrategy(String),
}

impl OnlineStrategy {
    /// Parameters in range: a reservoir holds at least one example; decay in (0, 1]; the
    /// eviction threshold in [0, 1).
    pub fn validate(&self) -> Result<(), PrototypeError> {
        match *self {
            OnlineStrategy::Incremental => Ok(()),
            OnlineStrategy::Replay { capacity: 0, .. } => Err(PrototypeError::InvalidStrategy(
                "replay capacity must be at least 1".into(),
            )),
            OnlineStrategy::Replay { .. } => Ok(()),
            OnlineStrategy::Forgetting { decay, evict_below } => {
                if !(decay > 0.0 && decay <= 1.0) {
                    Err(PrototypeError::InvalidStrategy(format!(
                        "decay must be in (0, 1], not {decay}"
                    )))
                } else if !(0.0..1.0).contains(&evict_below) {
                    Err(PrototypeError::InvalidStrategy(format!(
                        "evict_below must be in [0, 1), not {evict_below}"
                    )))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The personal model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prototypes {
    dim: usize,
    strategy: OnlineStrategy,
    classes: Vec<ClassPrototype>,
    examples: Vec<Example>,
    next_id: u64,
    /// Ids at or above this were added since the last [`Prototypes::fine_tuning_batch`].
    newest_from: u64,
}

impl Prototypes {
    /// A personal model with the given strategy (checked: see [`OnlineStrategy::validate`]).
    pub fn new(dim: usize, strategy: OnlineStrategy) -> Result<Self, PrototypeError> {
        strategy.validate()?;
        Ok(Self {
            dim,
            strategy,
            classes: Vec::new(),
            examples: Vec::new(),
            next_id: 0,
            newest_from: 0,
        })
    }

    /// A model of one class per label, taught `(class index, embedding)` pairs in order (the
    /// i-th pair gets example id i, as [`Prototypes::add_example`] numbers them). Every place
    /// that turns labelled embeddings into prototypes calls this.
    pub fn from_labelled(
        dim: usize,
        strategy: OnlineStrategy,
        labels: impl IntoIterator<Item = impl Into<String>>,
        examples: &[(usize, Vec<f32>)],
    ) -> Result<Self, PrototypeError> {
        let mut model = Self::new(dim, strategy)?;
        for label in labels {
            model.add_class(label);
        }
        for (class, embedding) in examples {
            model.add_example(*class, embedding.clone())?;
        }
        Ok(model)
    }

    /// The default model: every example counts, for ever.
    pub fn incremental(dim: usize) -> Self {
        Self::new(dim, OnlineStrategy::Incremental).expect("incremental is always valid")
    }

    /// Random draws depend only on the seed and the model's position in its stream, so a model
    /// restored from storage draws exactly what the original would have.
    fn rng(&self, salt: u64) -> SmallRng {
        let seed = match self.strategy {
            OnlineStrategy::Replay { seed, .. } => seed,
            _ => 0,
        };
        SmallRng::seed_from_u64(seed ^ self.next_id.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt)
    }

    pub fn strategy(&self) -> OnlineStrategy {
        self.strategy
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Add a class; returns its index.
    pub fn add_class(&mut self, label: impl Into<String>) -> usize {
        self.classes
            .push(ClassPrototype::new(label.into(), self.dim));
        self.classes.len() - 1
    }

    pub fn classes(&self) -> &[ClassPrototype] {
        &self.classes
    }

    /// Remembered examples (all, the reservoir, or the not yet forgotten, by strategy).
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    pub fn class_examples(&self, class: usize) -> impl Iterator<Item = &Example> {
        self.examples.iter().filter(move |e| e.class == class)
    }

    /// Add one example of `class`; returns its id. Its prototype is updated in O(dim), except
    /// where the strategy evicts another example.
    pub fn add_example(
        &mut self,
        class: usize,
        embedding: Vec<f32>,
    ) -> Result<u64, PrototypeError> {
        if class >= self.classes.len() {
            return Err(PrototypeError::NoSuchClass(class));
        }
        if embedding.len() != self.dim {
            return Err(PrototypeError::WrongDimension {
                expected: self.dim,
                found: embedding.len(),
            });
        }
        let id = self.next_id;
        let mut rng = self.rng(0);
        self.next_id += 1;
        self.classes[class].examples_seen += 1;
        match self.strategy {
            OnlineStrategy::Incremental => {}
            OnlineStrategy::Replay { capacity, .. } => {
                let held: Vec<u64> = self.class_examples(class).map(|e| e.id).collect();
                if held.len() >= capacity {
                    // Algorithm R: the new example takes a slot with probability
                    // capacity / seen. Either way it enters the prototype; a let-go example
                    // stays merged in the mean, only its raw copy is dropped.
                    self.classes[class].add(&embedding, 1.0);
                    let slot = rng.random_range(0..self.classes[class].examples_seen) as usize;
                    if slot < capacity {
                        self.examples.retain(|e| e.id != held[slot]);
                        self.examples.push(Example {
                            id,
                            class,
                            embedding,
                            weight: 1.0,
                        });
                    }
                    return Ok(id);
                }
            }
            OnlineStrategy::Forgetting { decay, evict_below } => {
                self.classes[class].scale_weights(decay);
                for e in self.examples.iter_mut().filter(|e| e.class == class) {
                    e.weight *= decay;
                }
                let faded: Vec<u64> = self
                    .examples
                    .iter()
                    .filter(|e| e.class == class && e.weight < evict_below)
                    .map(|e| e.id)
                    .collect();
                for old in faded {
                    self.remove_example(old)?;
                }
            }
        }
        self.classes[class].add(&embedding, 1.0);
        self.examples.push(Example {
            id,
            class,
            embedding,
            weight: 1.0,
        });
        Ok(id)
    }

    /// Mix `prior` into class `class`'s prototype as `weight` examples that are not kept as
    /// examples: never evicted, never among the nearest, never fine-tuned on (a class model
    /// under a student's own examples). Add it after the examples: under forgetting, an example
    /// added later decays the prior with the rest of its class. (`PersonalModel` builds the
    /// prototypes anew for every change, so its prior is always added last.)
    pub fn add_prior(
        &mut self,
        class: usize,
        prior: &[f32],
        weight: f32,
    ) -> Result<(), PrototypeError> {
        if class >= self.classes.len() {
            return Err(PrototypeError::NoSuchClass(class));
        }
        if prior.len() != self.dim {
            return Err(PrototypeError::WrongDimension {
                expected: self.dim,
                found: prior.len(),
            });
        }
        self.classes[class].add(prior, weight);
        Ok(())
    }

    /// Remove one example; its class prototype is updated in O(dim).
    pub fn remove_example(&mut self, id: u64) -> Result<(), PrototypeError> {
        let pos = self.examples.iter().position(|e| e.id == id);
        let pos = match (pos, self.strategy) {
            (Some(pos), _) => pos,
            (None, OnlineStrategy::Replay { .. }) if id < self.next_id => {
                return Err(PrototypeError::Merged(id));
            }
            (None, _) => return Err(PrototypeError::NoSuchExample(id)),
        };
        let example = self.examples.remove(pos);
        self.classes[example.class].remove(&example.embedding, example.weight);
        Ok(())
    }

    /// Ids of the examples a fine-tuning run should train on, at most `size`: every example
    /// held that was added since the previous batch (newest first), then, under
    /// [`OnlineStrategy::Replay`], a uniform random sample of the rest of the reservoir (the
    /// replay); under the other strategies, the other held examples, newest first.
    pub fn fine_tuning_batch(&mut self, size: usize) -> Vec<u64> {
        let (mut newest, mut older): (Vec<u64>, Vec<u64>) = self
            .examples
            .iter()
            .map(|e| e.id)
            .partition(|&id| id >= self.newest_from);
        newest.reverse();
        newest.truncate(size);
        let room = size - newest.len();
        if matches!(self.strategy, OnlineStrategy::Replay { .. }) {
            older.shuffle(&mut self.rng(1));
        } else {
            older.reverse();
        }
        newest.extend(older.into_iter().take(room));
        self.newest_from = self.next_id;
        newest
    }

    /// Class probabilities for one embedding, and the `k` nearest remembered examples.
    pub fn predict(&self, embedding: &[f32], k: usize) -> Result<Prediction, PrototypeError> {
        if embedding.len() != self.dim {
            return Err(PrototypeError::WrongDimension {
                expected: self.dim,
                found: embedding.len(),
            });
        }
        let logits: Vec<Option<f32>> = self
            .classes
            .iter()
            .map(|c| (!c.is_empty()).then(|| -squared_distance(&c.mean, embedding)))
            .collect();
        let probabilities = softmax_present(&logits).ok_or(PrototypeError::NoExamples)?;
        let best = argmax(&probabilities);
        let mut nearest: Vec<(u64, usize, f32)> = self
            .examples
            .iter()
            .map(|e| (e.id, e.class, squared_distance(&e.embedding, embedding)))
            .collect();
        nearest.sort_by(|a, b| a.2.total_cmp(&b.2));
        nearest.truncate(k);
        Ok(Prediction {
            probabilities,
            best,
            nearest,
        })
    }
}

pub fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Softmax over the present logits; absent ones get probability 0. None if none is present.
pub fn softmax_present(logits: &[Option<f32>]) -> Option<Vec<f32>> {
    let max = logits.iter().flatten().copied().reduce(f32::max)?;
    let exps: Vec<f32> = logits
        .iter()
        .map(|l| l.map_or(0.0, |l| (l - max).exp()))
        .collect();
    let sum: f32 = exps.iter().sum();
    Some(exps.iter().map(|e| e / sum).collect())
}

pub fn argmax(values: &[f32]) -> usize {
    values
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

/// The mean of a batch of embeddings (the reference the incremental updates must match).
pub fn batch_mean(embeddings: &[&[f32]]) -> Vec<f32> {
    let dim = embeddings.first().map_or(0, |e| e.len());
    let mut mean = vec![0.0; dim];
    for e in embeddings {
        for (m, v) in mean.iter_mut().zip(e.iter()) {
            *m += v / embeddings.len() as f32;
        }
    }
    mean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors(n: usize, dim: usize, seed: u64) -> Vec<Vec<f32>> {
        let mut rng = SmallRng::seed_from_u64(seed);
        (0..n)
            .map(|_| (0..dim).map(|_| rng.random_range(-3.0..3.0)).collect())
            .collect()
    }

    fn assert_close(a: &[f32], b: &[f32]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-4 * (1.0 + y.abs()), "{a:?} != {b:?}");
        }
    }

    #[test]
    fn from_labelled_numbers_examples_in_order_and_checks_them() {
        let examples = vec![
            (1, vec![2.0, 0.0]),
            (0, vec![0.0, 0.0]),
            (1, vec![4.0, 0.0]),
        ];
        let model =
            Prototypes::from_labelled(2, OnlineStrategy::Incremental, ["a", "b"], &examples)
                .unwrap();
        assert_eq!(model.classes()[0].mean, vec![0.0, 0.0]);
        assert_eq!(model.classes()[1].mean, vec![3.0, 0.0]);
        let ids: Vec<(u64, usize)> = model.examples().iter().map(|e| (e.id, e.class)).collect();
        assert_eq!(ids, vec![(0, 1), (1, 0), (2, 1)]);
        let bad = [(2, vec![0.0, 0.0])];
        assert_eq!(
            Prototypes::from_labelled(2, OnlineStrategy::Incremental, ["a", "b"], &bad)
                .unwrap_err(),
            PrototypeError::NoSuchClass(2)
        );
    }

    #[test]
    fn incremental_prototype_equals_the_batch_mean_after_adds_and_removes() {
        let data = vectors(12, 8, 1);
        let mut model = Prototypes::incremental(8);
        let c = model.add_class("a");
        let ids: Vec<u64> = data
            .iter()
            .map(|e| model.add_example(c, e.clone()).unwrap())
            .collect();
        let all: Vec<&[f32]> = data.iter().map(|v| v.as_slice()).collect();
        assert_close(&model.classes()[c].mean, &batch_mean(&all));
        for &i in &[3usize, 0, 11] {
            model.remove_example(ids[i]).unwrap();
        }
        let kept: Vec<&[f32]> = data
            .iter()
            .enumerate()
            .filter(|(i, _)| ![3, 0, 11].contains(i))
            .map(|(_, v)| v.as_slice())
            .collect();
        assert_close(&model.classes()[c].mean, &batch_mean(&kept));
        assert_eq!(model.class_examples(c).count(), 9);
    }

    #[test]
    fn prediction_is_a_softmax_over_negative_squared_distances_with_nearest_examples() {
        let mut model = Prototypes::incremental(2);
        let a = model.add_class("a");
        let b = model.add_class("b");
        let empty = model.add_class("not drawn yet");
        let near_a = model.add_example(a, vec![0.0, 0.0]).unwrap();
        model.add_example(a, vec![2.0, 0.0]).unwrap(); // prototype a = (1, 0)
        model.add_example(b, vec![0.0, 3.0]).unwrap(); // prototype b = (0, 3)
        let p = model.predict(&[0.0, 1.0], 2).unwrap();
        // distances²: a = 1 + 1 = 2, b = 4 -> p(a) = e^-2 / (e^-2 + e^-4)
        let expected = (-2.0f32).exp() / ((-2.0f32).exp() + (-4.0f32).exp());
        assert!((p.probabilities[a] - expected).abs() < 1e-6);
        assert!((p.probabilities[b] - (1.0 - expected)).abs() < 1e-6);
        assert_eq!(p.probabilities[empty], 0.0);
        assert_eq!(p.best, a);
        assert_eq!(p.nearest.len(), 2);
        assert_eq!(p.nearest[0].0, near_a);
        assert!((p.nearest[0].2 - 1.0).abs() < 1e-6);
    }

    #[test]
    fn bad_requests_are_errors() {
        let mut model = Prototypes::incremental(2);
        assert_eq!(
            model.predict(&[0.0, 0.0], 1),
            Err(PrototypeError::NoExamples)
        );
        assert_eq!(
            model.add_example(0, vec![0.0, 0.0]),
            Err(PrototypeError::NoSuchClass(0))
        );
        let c = model.add_class("a");
        assert!(matches!(
            model.add_example(c, vec![1.0]),
            Err(PrototypeError::WrongDimension {
                expected: 2,
                found: 1
            })
        ));
        assert_eq!(
            model.remove_example(9),
            Err(PrototypeError::NoSuchExample(9))
        );
    }

    #[test]
    fn replay_keeps_a_bounded_uniform_sample_of_the_whole_stream() {
        // 1000 examples of one class stream in; a FIFO of 50 would hold only the last 50. The
        // reservoir holds 50 drawn from the whole stream: about half from the first half.
        let mut early = 0usize;
        let runs = 40;
        for seed in 0..runs {
            let strategy = OnlineStrategy::Replay { capacity: 50, seed };
            let mut model = Prototypes::new(1, strategy).unwrap();
            let c = model.add_class("a");
            let other = model.add_class("b");
            let mut ids = Vec::new();
            for i in 0..1000 {
                ids.push(model.add_example(c, vec![i as f32]).unwrap());
            }
            // A class that arrives late is not starved: reservoirs are per class.
            model.add_example(other, vec![7.0]).unwrap();
            assert_eq!(model.class_examples(c).count(), 50);
            assert_eq!(model.class_examples(other).count(), 1);
            early += model
                .class_examples(c)
                .filter(|e| e.embedding[0] < 500.0)
                .count();
            // Every example entered the prototype, held or not: the mean of 0..1000.
            assert!((model.classes()[c].mean[0] - 499.5).abs() < 1e-2);
            // An example the reservoir let go cannot be removed on its own; a held one can.
            let held: Vec<u64> = model.class_examples(c).map(|e| e.id).collect();
            let gone = *ids.iter().find(|id| !held.contains(id)).unwrap();
            assert_eq!(
                model.remove_example(gone),
                Err(PrototypeError::Merged(gone))
            );
            model.remove_example(held[0]).unwrap();
        }
        let fraction = early as f64 / (50 * runs) as f64;
        assert!(
            (0.45..0.55).contains(&fraction),
            "early fraction {fraction}"
        );
    }

    #[test]
    fn replay_batches_hold_the_newest_examples_and_a_random_replay_of_the_rest() {
        let strategy = OnlineStrategy::Replay {
            capacity: 100,
            seed: 3,
        };
        let mut model = Prototypes::new(1, strategy).unwrap();
        let c = model.add_class("a");
        for i in 0..60 {
            model.add_example(c, vec![i as f32]).unwrap();
        }
        let first = model.fine_tuning_batch(10);
        assert_eq!(first.len(), 10);
        // All 60 were new: the batch is the 10 newest.
        assert_eq!(first, (50..60).rev().collect::<Vec<u64>>());
        let new: Vec<u64> = (0..3)
            .map(|i| model.add_example(c, vec![i as f32]).unwrap())
            .collect();
        let second = model.fine_tuning_batch(10);
        assert_eq!(second.len(), 10);
        assert!(
            new.iter().all(|id| second.contains(id)),
            "the newest are always in"
        );
        // The other 7 are replayed from the older examples, at random (not just the latest).
        let replayed: Vec<u64> = second
            .iter()
            .copied()
            .filter(|id| !new.contains(id))
            .collect();
        assert_eq!(replayed.len(), 7);
        assert!(replayed.iter().any(|&id| id < 50), "{replayed:?}");
        // Incremental: newest first, then the rest by recency.
        let mut plain = Prototypes::incremental(1);
        let c = plain.add_class("a");
        for i in 0..5 {
            plain.add_example(c, vec![i as f32]).unwrap();
        }
        plain.fine_tuning_batch(2);
        assert_eq!(plain.fine_tuning_batch(3), vec![4, 3, 2]);
    }

    #[test]
    fn strategies_with_parameters_out_of_range_are_refused() {
        for bad in [
            OnlineStrategy::Replay {
                capacity: 0,
                seed: 0,
            },
            OnlineStrategy::Forgetting {
                decay: 0.0,
                evict_below: 0.1,
            },
            OnlineStrategy::Forgetting {
                decay: f32::NAN,
                evict_below: 0.1,
            },
            OnlineStrategy::Forgetting {
                decay: 0.5,
                evict_below: 1.0,
            },
        ] {
            assert!(matches!(
                Prototypes::new(2, bad),
                Err(PrototypeError::InvalidStrategy(_))
            ));
        }
    }

    #[test]
    fn forgetting_follows_a_students_changing_handwriting() {
        // A student draws class "a" ten times in an old style, then five times in a new one;
        // class "b" sits between the old and new styles of "a". A new-style "a" must be
        // recognised: the incremental model still averages in the old style and gets it wrong.
        let old_a = vec![0.0, 0.0];
        let new_a = vec![10.0, 0.0];
        let b = vec![6.0, 0.0];
        let query = [9.0, 0.0];
        let run = |strategy| {
            let mut model = Prototypes::new(2, strategy).unwrap();
            let ca = model.add_class("a");
            let cb = model.add_class("b");
            model.add_example(cb, b.clone()).unwrap();
            for _ in 0..10 {
                model.add_example(ca, old_a.clone()).unwrap();
            }
            for _ in 0..5 {
                model.add_example(ca, new_a.clone()).unwrap();
            }
            (model.predict(&query, 1).unwrap().best, model)
        };
        let (incremental, _) = run(OnlineStrategy::Incremental);
        let (forgetting, model) = run(OnlineStrategy::Forgetting {
            decay: 0.6,
            evict_below: 0.05,
        });
        assert_eq!(
            incremental, 1,
            "the incremental model is expected to answer b"
        );
        assert_eq!(forgetting, 0, "forgetting follows the new style of a");
        // Old examples faded below the threshold were evicted.
        assert!(model.class_examples(0).count() < 15);
        let weighted: f32 = model.class_examples(0).map(|e| e.weight).sum();
        assert!((model.classes()[0].total_weight - weighted).abs() < 1e-4);
    }
}
