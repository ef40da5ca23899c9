//! The app's two models (drawings, sentences) as every view runs them, shared through context.
//! A GPU that fails mid-session (lost, reset, destroyed) moves both to the CPU: the drawing
//! engine is rebuilt there at once and the embedding asked for is made again, the sentence
//! model loads again from its cache, the remembered "WebGPU is faster" verdict is forgotten
//! (the next start measures again), and the status says so. The student's work is never
//! touched: embeddings are derived from it and are made again where they are missing.

use std::rc::Rc;

use leptos::prelude::*;

use super::engine::{Backend, EmbedError, Engine, EngineSignal, forget_calibration};
use super::i18n::{Said, said_with, text};
use super::text_engine::TextModel;
use crate::learn::preprocess::Stroke;

#[derive(Clone, Copy)]
pub struct Models {
    pub drawing: EngineSignal,
    pub text: TextModel,
    status: RwSignal<Said>,
}

impl Models {
    pub fn new(drawing: EngineSignal, text: TextModel, status: RwSignal<Said>) -> Self {
        Models {
            drawing,
            text,
            status,
        }
    }

    /// The embedding of a drawing; a failure of the GPU moves the engine to the CPU and the
    /// drawing is embedded there.
    pub async fn embed_drawing(self, strokes: &[Stroke]) -> Result<Vec<f32>, String> {
        let engine = self
            .drawing
            .get_untracked()
            .ok_or_else(|| text("status-still-loading"))?;
        match engine.embed_strokes(strokes).await {
            Err(EmbedError::Device(error)) if engine.backend == Backend::WebGpu => {
                let cpu = self.gpu_failed(&error)?;
                cpu.embed_strokes(strokes).await.map_err(|e| e.to_string())
            }
            embedded => embedded.map_err(|e| e.to_string()),
        }
    }

    /// The embedding of a sentence (see [`Models::embed_sentences`]).
    pub async fn embed_sentence(self, sentence: &str) -> Result<Vec<f32>, String> {
        let mut out = self.embed_sentences(&[sentence]).await?;
        out.pop().ok_or_else(|| text("engine-no-embedding"))
    }

    /// The embeddings of sentences, in one pass. A failure of the GPU moves the models to the
    /// CPU; the sentence model then loads again (from its cache), so this call fails and the
    /// next need asks again.
    pub async fn embed_sentences(self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let on_gpu = self.text.backend_untracked() == Some(Backend::WebGpu);
        let embedded = self.text.embed(sentences).await;
        // A worker that stopped is not the GPU's failure: it has been forgotten already, and
        // the next one is started by whoever needs it.
        if let Err(error) = &embedded
            && on_gpu
            && self.text.backend_untracked() == Some(Backend::WebGpu)
        {
            self.gpu_failed(error)?;
        }
        embedded
    }

    /// A GPU step failed (`error`, for developers): run on the CPU from now on. Returns the
    /// engine to use, the CPU one (already there when another caller moved first). Nothing
    /// waits between the check and the move, so two failures move once.
    pub fn gpu_failed(self, error: &str) -> Result<Rc<Engine>, String> {
        if let Some(engine) = self.drawing.get_untracked()
            && engine.backend == Backend::Cpu
        {
            return Ok(engine);
        }
        web_sys::console::warn_1(&format!("WebGPU failed; moving to the CPU: {error}").into());
        forget_calibration();
        let cpu = Rc::new(Engine::on_cpu(text("engine-gpu-failed"))?);
        self.drawing.set(Some(cpu.clone()));
        // The sentence model ran on the GPU too: it loads again on the CPU when next needed
        // (the views that need it ask as soon as the engine changes).
        self.text.drop_model();
        self.status.set(said_with(
            "status-ready",
            &[("reason", text("engine-gpu-failed").into())],
        ));
        Ok(cpu)
    }
}
