//! Few-shot evaluation: embed drawings, adapt to a support set exactly as the app does
//! (prototypes over the support drawings and, optionally, distorted views of them; optionally
//! fine-tuning), and score the queries (optionally with [`judging`](super::judging)'s
//! test-time options).

use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use serde::{Deserialize, Serialize};

use super::dataset::Augmentation;
use super::encoder::{Encoder, batch_inputs};
use super::episodes::{ClassIndex, EpisodeError, EpisodeSampler, EpisodeSpec};
use super::judging::{Judging, judge};
use super::preprocess::{Distortion, ModelInput, PreprocessError, Segment, segments_to_input};
use super::prototypes::{OnlineStrategy, Prototypes};

/// How a personal model adapts to its examples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Adaptation {
    /// Renderings of each support drawing that enter its class prototype: the drawing itself
    /// plus `support_views - 1` randomly distorted copies (test-time augmentation; 1 = none).
    pub support_views: usize,
    /// Renderings of each query drawing whose embeddings are averaged (1 = the drawing alone;
    /// prototypes only: fine-tuning judges the drawing alone).
    pub query_views: usize,
    /// Test-time options of the prototype judgement (not with fine-tuning).
    pub judging: Judging,
    /// Fine-tuning after the prototypes (none: prototypes only).
    pub fine_tune: Option<FineTuneSettings>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FineTuneSettings {
    pub steps: usize,
    pub learning_rate: f64,
    pub train_last_block: bool,
}

impl Adaptation {
    /// What the app does by default.
    pub const APP_DEFAULT: Adaptation = Adaptation {
        support_views: 1,
        query_views: 1,
        judging: Judging {
            centre: false,
            transductive_steps: 0,
        },
        fine_tune: None,
    };
}

/// The drawing itself, then `views - 1` distorted renderings (seeded: the same drawing and seed
/// give the same views).
pub fn support_renders(
    segments: &[Segment],
    views: usize,
    seed: u64,
) -> Result<Vec<ModelInput>, PreprocessError> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let augmentation = Augmentation::handwriting();
    (0..views.max(1))
        .map(|v| {
            let distortion = if v == 0 {
                Distortion::identity()
            } else {
                augmentation.sample(&mut rng)
            };
            segments_to_input(segments, &distortion)
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    Drawing(#[from] PreprocessError),
    #[error("cannot adapt: {0}")]
    FineTune(String),
}

/// Where the seeds of query views start, so no query's views repeat a support drawing's.
pub const QUERY_SEEDS: u64 = 1 << 32;

/// Images per forward pass when embedding many drawings.
const EMBED_BATCH: usize = 256;

/// `[n, dim]` f32 data as `n` vectors.
fn rows(data: TensorData, n: usize, dim: usize) -> impl Iterator<Item = Vec<f32>> {
    let values: Vec<f32> = data.try_to_vec().expect("embeddings are f32");
    (0..n).map(move |i| values[i * dim..(i + 1) * dim].to_vec())
}

/// Embeddings of `inputs`, read asynchronously (safe on WebGPU in the browser). Fails when the
/// device does (a lost GPU): the caller decides where to run again.
pub async fn embed_inputs_async(
    encoder: &Encoder,
    inputs: &[ModelInput],
    device: &Device,
) -> Result<Vec<Vec<f32>>, String> {
    let mut out = Vec::with_capacity(inputs.len());
    for chunk in inputs.chunks(EMBED_BATCH) {
        let embeddings = encoder.forward(batch_inputs(chunk, device));
        let [n, dim] = embeddings.dims();
        let data = embeddings
            .into_data_async()
            .await
            .map_err(|e| format!("reading embeddings from the device: {e:?}"))?;
        out.extend(rows(data, n, dim));
    }
    Ok(out)
}

/// Embeddings of `inputs` (native: blocks on the read).
#[cfg(not(target_arch = "wasm32"))]
pub fn embed_inputs(encoder: &Encoder, inputs: &[ModelInput], device: &Device) -> Vec<Vec<f32>> {
    let mut out = Vec::with_capacity(inputs.len());
    for chunk in inputs.chunks(EMBED_BATCH) {
        let embeddings = encoder.forward(batch_inputs(chunk, device));
        let [n, dim] = embeddings.dims();
        out.extend(rows(embeddings.into_data(), n, dim));
    }
    out
}

/// Embeddings of `inputs` by the shipped encoder on the CPU (native), as the app makes them.
#[cfg(not(target_arch = "wasm32"))]
pub fn embed_with_shipped_encoder(inputs: &[ModelInput]) -> Result<Vec<Vec<f32>>, String> {
    let device = Device::flex();
    let (encoder, _) = super::weights::shipped_encoder(&device).map_err(|e| e.to_string())?;
    Ok(embed_inputs(&encoder, inputs, &device))
}

/// Embedded drawings per class, with each class's group (alphabet). Each drawing has one or
/// more views: view 0 is the drawing itself, the rest distorted copies ([`support_renders`]).
pub struct EmbeddedSet {
    pub classes: Vec<(String, Vec<Vec<Vec<f32>>>)>,
}

/// Accuracy of the prototype model on each of `episodes` episodes of `spec`: support drawings
/// enter their prototype with their first `adaptation.support_views` views, queries are judged
/// on the mean of their first `adaptation.query_views`, by `adaptation.judging`.
pub fn episode_accuracies(
    set: &EmbeddedSet,
    spec: EpisodeSpec,
    episodes: usize,
    seed: u64,
    adaptation: Adaptation,
) -> Result<Vec<f64>, EpisodeError> {
    let index: Vec<ClassIndex> = set
        .classes
        .iter()
        .map(|(group, e)| ClassIndex {
            group: group.clone(),
            drawings: e.len(),
        })
        .collect();
    let mut sampler = EpisodeSampler::new(&index, spec, seed)?;
    let views = |k: usize, d: usize, n: usize| {
        let all = &set.classes[k].1[d];
        all[..n.clamp(1, all.len())].to_vec()
    };
    Ok((0..episodes)
        .map(|_| {
            let episode = sampler.sample();
            let mut support = Vec::new();
            let mut queries = Vec::new();
            let mut labels = Vec::new();
            for (k, c) in episode.classes.iter().enumerate() {
                for &d in &episode.support[k] {
                    support.push((k, views(c.class, d, adaptation.support_views)));
                }
                for &d in &episode.query[k] {
                    queries.push(views(c.class, d, adaptation.query_views));
                    labels.push(k);
                }
            }
            let predicted = judge(
                &support,
                episode.classes.len(),
                &queries,
                adaptation.judging,
            );
            let correct = predicted
                .iter()
                .zip(&labels)
                .filter(|(p, y)| p == y)
                .count();
            correct as f64 / labels.len().max(1) as f64
        })
        .collect())
}

/// Predicted class of each query after adapting to the labelled support drawings. `encoder`
/// lives on `device`; fine-tuning runs on `device.autodiff()` with `encoder_ad`, the same
/// weights loaded there. Native: it blocks on reads.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::too_many_arguments)]
pub fn adapt_and_predict(
    encoder: &Encoder,
    encoder_ad: &Encoder,
    support: &[super::dataset::Drawing],
    support_labels: &[usize],
    classes: usize,
    queries: &[super::dataset::Drawing],
    adaptation: Adaptation,
    device: &Device,
) -> Result<Vec<usize>, EvalError> {
    use super::finetune::{FineTuneConfig, FineTuner};
    use super::prototypes::argmax;

    let mut inputs = Vec::new();
    let mut labels = Vec::new();
    for (i, (drawing, &label)) in support.iter().zip(support_labels).enumerate() {
        for view in support_renders(&drawing.segments, adaptation.support_views, i as u64)? {
            inputs.push(view);
            labels.push(label);
        }
    }
    // Each query's views, the drawing itself first (seeded apart from the support's views).
    let query_views = queries
        .iter()
        .enumerate()
        .map(|(i, q)| support_renders(&q.segments, adaptation.query_views, QUERY_SEEDS + i as u64))
        .collect::<Result<Vec<_>, _>>()?;
    let predicted = match adaptation.fine_tune {
        None => {
            let support_embeddings = embed_inputs(encoder, &inputs, device);
            let support_drawings: Vec<(usize, Vec<Vec<f32>>)> = support_labels
                .iter()
                .zip(support_embeddings.chunks(adaptation.support_views.max(1)))
                .map(|(&label, views)| (label, views.to_vec()))
                .collect();
            let query_embeddings: Vec<Vec<Vec<f32>>> = query_views
                .iter()
                .map(|views| embed_inputs(encoder, views, device))
                .collect();
            judge(
                &support_drawings,
                classes,
                &query_embeddings,
                adaptation.judging,
            )
        }
        Some(settings) => {
            let ad = device.clone().autodiff();
            let config = FineTuneConfig::new()
                .with_learning_rate(settings.learning_rate)
                .with_train_last_block(settings.train_last_block)
                .with_steps(settings.steps);
            let mut tuner = FineTuner::new(
                encoder_ad,
                batch_inputs(&inputs, &ad),
                &labels,
                classes,
                &config,
            )
            .map_err(|e| EvalError::FineTune(e.to_string()))?;
            for _ in 0..settings.steps {
                tuner.step_loss();
            }
            let first_views: Vec<ModelInput> = query_views
                .into_iter()
                .filter_map(|v| v.into_iter().next())
                .collect();
            let logits = tuner.classify(encoder_ad, batch_inputs(&first_views, &ad));
            let [n, c] = logits.dims();
            let values: Vec<f32> = logits.inner().into_data().try_to_vec().expect("f32 logits");
            (0..n)
                .map(|i| argmax(&values[i * c..(i + 1) * c]))
                .collect()
        }
    };
    Ok(predicted)
}

/// Leave-one-out evaluation of a personal model on the student's own examples: each example is
/// judged by the prototypes of all the *other* examples (its own class's prototype without it),
/// so every example serves as held-out test data once. `examples` are (class, embedding);
/// a class with a single example cannot be judged without it and is skipped as a query (it
/// still competes as a prototype).
pub fn leave_one_out(
    labels: Vec<String>,
    examples: &[(usize, Vec<f32>)],
    strategy: OnlineStrategy,
) -> Result<super::metrics::ConfusionMatrix, super::prototypes::PrototypeError> {
    let dim = examples.first().map_or(0, |e| e.1.len());
    let model = Prototypes::from_labelled(dim, strategy, labels.iter().cloned(), examples)?;
    let mut pairs = Vec::new();
    for (i, (class, embedding)) in examples.iter().enumerate() {
        // The i-th example has id i (`from_labelled`); a strategy may have let it go.
        let id = i as u64;
        let alone = examples.iter().filter(|e| e.0 == *class).count() < 2;
        if alone || model.examples().iter().all(|e| e.id != id) {
            continue;
        }
        let mut without = model.clone();
        without.remove_example(id)?;
        let prediction = without.predict(embedding, 0)?;
        pairs.push((*class, prediction.best));
    }
    Ok(super::metrics::ConfusionMatrix::from_pairs(labels, &pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::prototypes::OnlineStrategy;

    #[test]
    fn leave_one_out_judges_each_example_without_itself() {
        // Class a at 0 and 1, class b at 10 and 11, and a stray "a" drawn at 9: without itself
        // it is nearer b's prototype (10.5) than a's (0.5), so it counts as a miss.
        let examples = vec![
            (0, vec![0.0]),
            (0, vec![1.0]),
            (1, vec![10.0]),
            (1, vec![11.0]),
            (0, vec![9.0]),
        ];
        let cm = leave_one_out(
            vec!["a".into(), "b".into()],
            &examples,
            OnlineStrategy::Incremental,
        )
        .unwrap();
        assert_eq!(cm.matrix, vec![vec![2, 1], vec![0, 2]]);
        assert!((cm.accuracy() - 0.8).abs() < 1e-9);
        // A class with one example is not judged (nothing to learn it from without it).
        let single = vec![(0, vec![0.0]), (0, vec![1.0]), (1, vec![10.0])];
        let cm = leave_one_out(
            vec!["a".into(), "b".into()],
            &single,
            OnlineStrategy::Incremental,
        )
        .unwrap();
        assert_eq!(cm.total(), 2);
    }
}
