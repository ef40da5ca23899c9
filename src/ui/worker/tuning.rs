//! Improve in the worker: one run at a time, a head trained on the CPU on the embeddings the
//! page sends (the project holds them), a step per request, so the page paints between steps
//! and cancels by asking no more. On the CPU whatever the engine's backend: a head step is a
//! small product, faster there than on a GPU (`ui::components::improve_panel`).

use burn::prelude::*;

use super::protocol::TrainingRows;
use crate::learn::finetune::{FineTuner, HeadWeights};

/// The run under way: its number (the page's) and its trainer.
pub struct Tuning {
    run: u32,
    tuner: FineTuner,
}

impl Tuning {
    /// Run `run` on `set`.
    pub fn start(run: u32, set: TrainingRows) -> Result<Tuning, String> {
        let TrainingRows {
            rows,
            dim,
            labels,
            classes,
            learning_rate,
        } = set;
        if rows.len() != labels.len() * dim {
            return Err(format!(
                "{} numbers for {} examples of {dim} each",
                rows.len(),
                labels.len()
            ));
        }
        let embeddings = Tensor::<2>::from_data(
            TensorData::new(rows, [labels.len(), dim]),
            &Device::flex().autodiff(),
        );
        let tuner = FineTuner::on_embeddings(embeddings, &labels, classes, learning_rate)
            .map_err(|e| e.to_string())?;
        Ok(Tuning { run, tuner })
    }

    pub fn is(&self, run: u32) -> bool {
        self.run == run
    }

    /// One step: its loss.
    pub async fn step(&mut self) -> Result<f32, String> {
        self.tuner.step().await
    }

    pub async fn head(&self) -> Result<HeadWeights, String> {
        self.tuner.head_weights().await
    }
}
