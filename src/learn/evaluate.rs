//! Few-shot evaluation: embed drawings, adapt to a support set exactly as the app does
//! (prototypes, or prototypes plus fine-tuning), and score the queries.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use super::encoder::{Encoder, batch_inputs};
use super::episodes::{ClassIndex, EpisodeError, EpisodeSampler, EpisodeSpec};
use super::finetune::{FineTuneConfig, FineTuner};
use super::preprocess::ModelInput;
use super::prototypes::{OnlineStrategy, Prototypes, argmax};

/// How a personal model adapts to its examples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Adaptation {
    /// Class prototypes only (the app's default: instant, on every example).
    Prototypes,
    /// Prototypes, then `steps` Adam steps of the prototype-initialised head (and the last
    /// block, if asked).
    FineTune {
        steps: usize,
        learning_rate: f64,
        train_last_block: bool,
    },
}

impl Adaptation {
    /// What the app does by default.
    pub const APP_DEFAULT: Adaptation = Adaptation::Prototypes;
}

/// Images per forward pass when embedding many drawings.
const EMBED_BATCH: usize = 256;

/// Embeddings of `inputs`, read asynchronously (safe on WebGPU in the browser).
pub async fn embed_inputs_async(
    encoder: &Encoder,
    inputs: &[ModelInput],
    device: &Device,
) -> Vec<Vec<f32>> {
    let mut out = Vec::with_capacity(inputs.len());
    for chunk in inputs.chunks(EMBED_BATCH) {
        let embeddings = encoder.forward(batch_inputs(chunk, device));
        let [n, dim] = embeddings.dims();
        let data = embeddings
            .into_data_async()
            .await
            .expect("reading embeddings from the device");
        let values: Vec<f32> = data.try_to_vec().expect("embeddings are f32");
        out.extend((0..n).map(|i| values[i * dim..(i + 1) * dim].to_vec()));
    }
    out
}

/// Embeddings of `inputs` (native: blocks on the read).
#[cfg(not(target_arch = "wasm32"))]
pub fn embed_inputs(encoder: &Encoder, inputs: &[ModelInput], device: &Device) -> Vec<Vec<f32>> {
    let mut out = Vec::with_capacity(inputs.len());
    for chunk in inputs.chunks(EMBED_BATCH) {
        let embeddings = encoder.forward(batch_inputs(chunk, device));
        let [n, dim] = embeddings.dims();
        let values: Vec<f32> = embeddings
            .into_data()
            .try_to_vec()
            .expect("embeddings are f32");
        out.extend((0..n).map(|i| values[i * dim..(i + 1) * dim].to_vec()));
    }
    out
}

/// Embedded drawings per class, with each class's group (alphabet).
pub struct EmbeddedSet {
    pub classes: Vec<(String, Vec<Vec<f32>>)>,
}

/// Accuracy of the prototype model on each of `episodes` episodes of `spec`.
pub fn episode_accuracies(
    set: &EmbeddedSet,
    spec: EpisodeSpec,
    episodes: usize,
    seed: u64,
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
    let dim = set
        .classes
        .first()
        .and_then(|c| c.1.first())
        .map_or(0, |e| e.len());
    Ok((0..episodes)
        .map(|_| {
            let episode = sampler.sample();
            let mut model = Prototypes::new(dim, OnlineStrategy::Incremental);
            for (k, c) in episode.classes.iter().enumerate() {
                model.add_class(k.to_string());
                for &d in &episode.support[k] {
                    model
                        .add_example(k, set.classes[c.class].1[d].clone())
                        .expect("class and dimension match");
                }
            }
            let (mut correct, mut total) = (0usize, 0usize);
            for (k, c) in episode.classes.iter().enumerate() {
                for &d in &episode.query[k] {
                    let p = model
                        .predict(&set.classes[c.class].1[d], 0)
                        .expect("every class has an example");
                    correct += (p.best == k) as usize;
                    total += 1;
                }
            }
            correct as f64 / total.max(1) as f64
        })
        .collect())
}

/// Predicted class of each query after adapting to the labelled support set. `encoder` lives on
/// `device`; fine-tuning runs on `device.autodiff()` with an encoder loaded there
/// (`encoder_ad`), so pass it when the adaptation fine-tunes. Native: it blocks on reads.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::too_many_arguments)]
pub fn adapt_and_predict(
    encoder: &Encoder,
    encoder_ad: Option<&Encoder>,
    support: &[ModelInput],
    support_labels: &[usize],
    classes: usize,
    queries: &[ModelInput],
    adaptation: Adaptation,
    device: &Device,
) -> Vec<usize> {
    match adaptation {
        Adaptation::Prototypes => {
            let support_embeddings = embed_inputs(encoder, support, device);
            let query_embeddings = embed_inputs(encoder, queries, device);
            let dim = support_embeddings.first().map_or(0, |e| e.len());
            let mut model = Prototypes::new(dim, OnlineStrategy::Incremental);
            for k in 0..classes {
                model.add_class(k.to_string());
            }
            for (e, &l) in support_embeddings.into_iter().zip(support_labels) {
                model.add_example(l, e).expect("labels are class indices");
            }
            query_embeddings
                .iter()
                .map(|q| model.predict(q, 0).map_or(0, |p| p.best))
                .collect()
        }
        Adaptation::FineTune {
            steps,
            learning_rate,
            train_last_block,
        } => {
            let encoder_ad =
                encoder_ad.expect("fine-tuning needs the encoder on an autodiff device");
            let ad = device.clone().autodiff();
            let config = FineTuneConfig::new()
                .with_learning_rate(learning_rate)
                .with_train_last_block(train_last_block)
                .with_steps(steps);
            let mut tuner = FineTuner::new(
                encoder_ad,
                batch_inputs(support, &ad),
                support_labels,
                classes,
                &config,
            );
            for _ in 0..steps {
                tuner.step_loss();
            }
            let logits = tuner.classify(encoder_ad, batch_inputs(queries, &ad));
            let [n, c] = logits.dims();
            let values: Vec<f32> = logits.inner().into_data().try_to_vec().expect("f32 logits");
            (0..n)
                .map(|i| argmax(&values[i * c..(i + 1) * c]))
                .collect()
        }
    }
}
