//! The student's personal model: one prototype (mean embedding) per class, updated on every
//! example, and the online strategies that decide which examples it remembers.
//!
//! Embeddings are plain `Vec<f32>` here: a personal model has tens of examples, so plain Rust is
//! faster than a tensor round trip and runs the same on every backend.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// How the personal model treats a stream of examples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OnlineStrategy {
    /// Every example counts equally, for ever (prototype = mean of all examples).
    #[default]
    Incremental,
    /// Keep a bounded reservoir of at most `capacity` examples, a uniform random sample of all
    /// examples seen (Vitter's algorithm R); fine-tuning replays it beside the newest examples.
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
}

impl ClassPrototype {
    fn new(label: String, dim: usize) -> Self {
        Self {
            label,
            mean: vec![0.0; dim],
            total_weight: 0.0,
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
}

/// The personal model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prototypes {
    dim: usize,
    strategy: OnlineStrategy,
    classes: Vec<ClassPrototype>,
    examples: Vec<Example>,
    next_id: u64,
    /// Examples offered so far (the reservoir's stream position).
    seen: u64,
    #[serde(skip, default = "default_rng")]
    rng: SmallRng,
}

fn default_rng() -> SmallRng {
    SmallRng::seed_from_u64(0)
}

impl Prototypes {
    pub fn new(dim: usize, strategy: OnlineStrategy) -> Self {
        let seed = match strategy {
            OnlineStrategy::Replay { seed, .. } => seed,
            _ => 0,
        };
        Self {
            dim,
            strategy,
            classes: Vec::new(),
            examples: Vec::new(),
            next_id: 0,
            seen: 0,
            rng: SmallRng::seed_from_u64(seed),
        }
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
        self.next_id += 1;
        self.seen += 1;
        match self.strategy {
            OnlineStrategy::Incremental => {}
            OnlineStrategy::Replay { capacity, .. } => {
                if self.examples.len() >= capacity.max(1) {
                    // Algorithm R: keep the new one with probability capacity / seen.
                    let slot = self.rng.random_range(0..self.seen) as usize;
                    if slot >= capacity.max(1) {
                        return Ok(id);
                    }
                    let evicted = self.examples[slot].id;
                    self.remove_example(evicted)?;
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

    /// Remove one example; its class prototype is updated in O(dim).
    pub fn remove_example(&mut self, id: u64) -> Result<(), PrototypeError> {
        let pos = self
            .examples
            .iter()
            .position(|e| e.id == id)
            .ok_or(PrototypeError::NoSuchExample(id))?;
        let example = self.examples.remove(pos);
        self.classes[example.class].remove(&example.embedding, example.weight);
        Ok(())
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
fn softmax_present(logits: &[Option<f32>]) -> Option<Vec<f32>> {
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
    fn incremental_prototype_equals_the_batch_mean_after_adds_and_removes() {
        let data = vectors(12, 8, 1);
        let mut model = Prototypes::new(8, OnlineStrategy::Incremental);
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
        let mut model = Prototypes::new(2, OnlineStrategy::Incremental);
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
        let mut model = Prototypes::new(2, OnlineStrategy::Incremental);
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
        // 1000 examples stream in; a FIFO of 50 would hold only the last 50. The reservoir holds
        // 50 drawn from the whole stream: about half of them from the first half.
        let mut early = 0usize;
        let runs = 40;
        for seed in 0..runs {
            let mut model = Prototypes::new(1, OnlineStrategy::Replay { capacity: 50, seed });
            let c = model.add_class("a");
            for i in 0..1000 {
                model.add_example(c, vec![i as f32]).unwrap();
            }
            assert_eq!(model.examples().len(), 50);
            early += model
                .examples()
                .iter()
                .filter(|e| e.embedding[0] < 500.0)
                .count();
            // The prototype is the mean of exactly the remembered examples.
            let kept: Vec<&[f32]> = model
                .examples()
                .iter()
                .map(|e| e.embedding.as_slice())
                .collect();
            assert_close(&model.classes()[c].mean, &batch_mean(&kept));
        }
        let fraction = early as f64 / (50 * runs) as f64;
        assert!(
            (0.45..0.55).contains(&fraction),
            "early fraction {fraction}"
        );
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
            let mut model = Prototypes::new(2, strategy);
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
