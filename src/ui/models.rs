//! The app's two models (drawings, sentences) as every view runs them, shared through context.
//! Each runs in its own engine worker (`ui::worker`). A GPU that fails mid-session (lost,
//! reset, destroyed) moves both to the CPU: the drawing engine starts again there (a new
//! worker) and the embedding asked for is made again, the sentence model loads again from
//! its cache, the remembered "WebGPU is faster" verdict is forgotten
//! (the next start measures again), and the status says so. The student's work is never
//! touched: embeddings are derived from it and are made again where they are missing.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::engine::{
    Backend, BackendRequest, DrawingStart, EmbedError, Engine, EngineSignal, forget_calibration,
};
use super::i18n::{Said, said_with, text};
use super::text_engine::TextModel;
use super::worker::client::Build;
use super::worker::protocol::Says;
use crate::learn::preprocess::Stroke;
use crate::learn::text::SentenceModel;

/// A drawing engine whose worker stops this many times in one visit is not started again.
const MOST_STOPS: u32 = 3;

#[derive(Clone, Copy)]
pub struct Models {
    pub drawing: EngineSignal,
    pub text: TextModel,
    /// Milliseconds the GPU took to compile the drawing engine's kernels ahead (WebGPU only).
    pub drawing_warm_ms: RwSignal<Option<f64>>,
    drawing_stops: StoredValue<u32>,
    status: RwSignal<Said>,
}

impl Models {
    pub fn new(drawing: EngineSignal, text: TextModel, status: RwSignal<Said>) -> Self {
        Models {
            drawing,
            text,
            drawing_warm_ms: RwSignal::new(None),
            drawing_stops: StoredValue::new(0),
            status,
        }
    }

    /// Load the drawing engine for `request` (in a new worker) and make it the app's; `reason`,
    /// when given, says why instead of the engine's own words. A first visit where WebGPU may
    /// be faster starts on the CPU, on the page's build, and measures WebGPU beside it
    /// ([`DrawingStart`]).
    pub async fn start_drawing(
        self,
        request: BackendRequest,
        reason: Option<String>,
    ) -> Result<Rc<Engine>, String> {
        let start = DrawingStart::here(request).await;
        let reason = match (reason, start.measure_beside) {
            (None, true) => Some(text("engine-measuring")),
            (reason, _) => reason,
        };
        let on_stopped = move |error: String| self.drawing_stopped(request, error);
        let engine = self
            .load_drawing(start.build, start.request, reason, on_stopped)
            .await?;
        if start.measure_beside {
            self.measure_beside(engine.clone());
        }
        Ok(engine)
    }

    /// Load a drawing engine on `build` and make it the app's.
    async fn load_drawing(
        self,
        build: Build,
        request: BackendRequest,
        reason: Option<String>,
        on_stopped: impl FnOnce(String) + 'static,
    ) -> Result<Rc<Engine>, String> {
        let mut engine = Engine::load(build, request, self.on_drawing_event(), on_stopped).await?;
        if let Some(reason) = reason {
            engine.reason = reason;
        }
        let engine = Rc::new(engine);
        self.say_ready(&engine.reason);
        self.drawing.set(Some(engine.clone()));
        Ok(engine)
    }

    fn on_drawing_event(self) -> impl Fn(Says) + 'static {
        move |says: Says| {
            if let Says::WarmedUp { ms } = says {
                self.drawing_warm_ms.set(Some(ms));
            }
        }
    }

    fn say_ready(self, reason: &str) {
        self.status
            .set(said_with("status-ready", &[("reason", reason.into())]));
    }

    /// Measure WebGPU against the CPU in another worker (the engine build, fetched now) while
    /// `cpu` answers; if WebGPU wins, its engine becomes the app's, unless `cpu` is no longer
    /// the app's by then (stopped, or another backend chosen). The verdict is remembered
    /// either way (`Engine::load`), so the next visit starts on the winner.
    fn measure_beside(self, cpu: Rc<Engine>) {
        spawn_local(async move {
            // Until it is the app's, a measuring worker that stops is only a failed measurement.
            let adopted = Rc::new(Cell::new(false));
            let on_stopped = {
                let adopted = adopted.clone();
                move |error: String| {
                    if adopted.get() {
                        self.drawing_stopped(BackendRequest::Auto, error);
                    } else {
                        web_sys::console::warn_1(
                            &format!("Measuring WebGPU stopped: {error}").into(),
                        );
                    }
                }
            };
            let measured = Engine::load(
                Build::Engine,
                BackendRequest::Auto,
                self.on_drawing_event(),
                on_stopped,
            )
            .await;
            let still_cpu = || {
                self.drawing
                    .with_untracked(|e| e.as_ref().is_some_and(|e| Rc::ptr_eq(e, &cpu)))
            };
            match measured {
                Ok(measured) if still_cpu() => {
                    self.say_ready(&measured.reason);
                    if measured.backend == Backend::WebGpu {
                        adopted.set(true);
                        // The CPU engine's worker stops once its last request is answered.
                        self.drawing.set(Some(Rc::new(measured)));
                    }
                }
                // Not the app's engine any more: this one stops as it is dropped.
                Ok(_) => {}
                Err(e) => {
                    web_sys::console::warn_1(&format!("Measuring WebGPU failed: {e}").into());
                }
            }
        });
    }

    /// The drawing engine's worker stopped on its own: forget it at once (what waited on it
    /// is asked again once the next one is there), and start another, on the CPU if it ran
    /// on WebGPU.
    fn drawing_stopped(self, request: BackendRequest, error: String) {
        web_sys::console::warn_1(&format!("The drawing model's worker stopped: {error}").into());
        let on_gpu = self
            .drawing
            .with_untracked(|e| e.as_ref().is_none_or(|e| e.backend == Backend::WebGpu));
        self.drawing.set(None);
        let stops = self.drawing_stops.get_value() + 1;
        self.drawing_stops.set_value(stops);
        if stops >= MOST_STOPS {
            self.status
                .set(said_with("status-load-failed", &[("error", error.into())]));
            return;
        }
        self.status
            .set(said_with("engine-stopped", &[("error", error.into())]));
        let next = if on_gpu && request != BackendRequest::Cpu {
            BackendRequest::Cpu
        } else {
            request
        };
        spawn_local(async move {
            if let Err(e) = self.start_drawing(next, None).await {
                self.status
                    .set(said_with("status-load-failed", &[("error", e.into())]));
            }
        });
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
                let cpu = self.gpu_failed(&error).await?;
                cpu.embed_strokes(strokes).await.map_err(|e| e.to_string())
            }
            embedded => embedded.map_err(|e| e.to_string()),
        }
    }

    /// The embedding of a sentence by `model` (see [`Models::embed_sentences`]).
    pub async fn embed_sentence(
        self,
        model: SentenceModel,
        sentence: &str,
    ) -> Result<Vec<f32>, String> {
        let mut out = self.embed_sentences(model, &[sentence]).await?;
        out.pop().ok_or_else(|| text("engine-no-embedding"))
    }

    /// The embeddings of sentences by `model`, in one pass; an error while another model is
    /// loaded. A failure of the GPU moves the models to the CPU; the sentence model then
    /// loads again (from its cache), so this call fails and the next need asks again.
    pub async fn embed_sentences(
        self,
        model: SentenceModel,
        sentences: &[&str],
    ) -> Result<Vec<Vec<f32>>, String> {
        let on_gpu = self.text.backend_untracked() == Some(Backend::WebGpu);
        let embedded = self.text.embed(model, sentences).await;
        // A worker that stopped is not the GPU's failure: it has been forgotten already, and
        // the next one is started by whoever needs it. Nor is a model given up for the other.
        if let Err(error) = &embedded
            && on_gpu
            && self.text.backend_untracked() == Some(Backend::WebGpu)
            && self.text.loaded_untracked() == Some(model)
        {
            self.gpu_failed(error).await?;
        }
        embedded
    }

    /// A GPU step failed (`error`, for developers): run on the CPU from now on. Returns the
    /// engine to use, the CPU one (already there when another caller moved first). While a
    /// move is under way there is none: callers fail, and ask again once it is there.
    pub async fn gpu_failed(self, error: &str) -> Result<Rc<Engine>, String> {
        let engine = self
            .drawing
            .get_untracked()
            .ok_or_else(|| text("status-still-loading"))?;
        if engine.backend == Backend::Cpu {
            return Ok(engine);
        }
        web_sys::console::warn_1(&format!("WebGPU failed; moving to the CPU: {error}").into());
        forget_calibration();
        engine.stop();
        self.drawing.set(None);
        // The sentence model ran on the GPU too: it loads again on the CPU when next needed
        // (the views that need it ask as soon as the engine changes).
        self.text.drop_model();
        self.start_drawing(BackendRequest::Cpu, Some(text("engine-gpu-failed")))
            .await
    }
}
