//! The sentence encoder in the browser (text projects and lessons), run by the engine's worker
//! (`ui::worker`): the worker fetches its files once, with progress, keeps them in Cache
//! Storage for offline use, checks each against the model's manifest, decodes the model and
//! embeds sentences, all off the page's thread. The page keeps only what it shows.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::engine::Backend;
use super::i18n::{Said, said_with, text};
use super::now_ms;
use super::worker::client::{Build, EngineWorker};
use super::worker::protocol::{Ask, Says, TextModelInfo};
use crate::learn::text::SentenceModel;

/// A worker that stops this many times in one visit is not started again (something in this
/// browser keeps killing it; the status says so).
const MOST_STOPS: u32 = 3;

/// The app's sentence encoder: loaded on first need (a text project or a text lesson),
/// shared by every view that needs it. One model at a time (English or multilingual, as the
/// project or lesson needs): asking for the other gives this one up.
#[derive(Clone, Copy)]
pub struct TextModel {
    /// The loaded model (None while loading, or not needed yet).
    pub engine: RwSignal<Option<TextModelInfo>>,
    /// `(bytes so far, total)` of the weights while they download.
    pub progress: RwSignal<Option<(usize, Option<usize>)>>,
    /// Milliseconds the GPU took to compile the usual sentence shapes ahead (None on the CPU,
    /// or until done).
    pub warm_ms: RwSignal<Option<f64>>,
    worker: StoredValue<Option<Rc<EngineWorker>>, LocalStorage>,
    /// The model asked for, loading or loaded (then `engine` holds it); None after a failed
    /// load or a drop.
    asked: StoredValue<Option<SentenceModel>>,
    /// Counts [`TextModel::drop_model`]s: a load begun before the last one lands nowhere (its
    /// worker is gone).
    generation: StoredValue<u32>,
    /// Workers that stopped on their own; after one on WebGPU, the next runs on the CPU.
    stops: RwSignal<u32>,
    gpu_stopped: StoredValue<bool>,
    status: RwSignal<Said>,
}

impl TextModel {
    pub fn new(status: RwSignal<Said>) -> Self {
        TextModel {
            engine: RwSignal::new(None),
            progress: RwSignal::new(None),
            warm_ms: RwSignal::new(None),
            worker: StoredValue::new_local(None),
            asked: StoredValue::new(None),
            generation: StoredValue::new(0),
            stops: RwSignal::new(0),
            gpu_stopped: StoredValue::new(false),
            status,
        }
    }

    /// Start loading `model` on `backend`, unless it is loaded or loading. Another model,
    /// loaded or loading, is given up (with its worker) first.
    pub fn ensure(self, backend: Backend, model: SentenceModel) {
        let asked = self.asked.get_value();
        if asked == Some(model) || self.stops.get_untracked() >= MOST_STOPS {
            return;
        }
        if asked.is_some() {
            self.drop_model();
        }
        // A worker that stopped on WebGPU: its successors stay on the CPU.
        let backend = if self.gpu_stopped.get_value() {
            Backend::Cpu
        } else {
            backend
        };
        self.asked.set_value(Some(model));
        self.progress.set(Some((0, None)));
        let generation = self.generation.get_value();
        let started = now_ms();
        let worker = self.worker.get_value().map_or_else(
            || {
                let on_event = move |says: Says| {
                    if self.generation.try_get_value() != Some(generation) {
                        return;
                    }
                    match says {
                        Says::Progress { done, total } => self.progress.set(Some((done, total))),
                        Says::WarmedUp { ms } => self.warm_ms.set(Some(ms)),
                        other => web_sys::console::warn_1(
                            &format!("engine worker: an event not expected: {other:?}").into(),
                        ),
                    }
                };
                let stopped = move |error: String| self.worker_stopped(generation, backend, error);
                EngineWorker::start(Build::Engine, on_event, stopped).map(Rc::new)
            },
            Ok,
        );
        let worker = match worker {
            Ok(worker) => worker,
            Err(e) => return self.load_failed(e),
        };
        self.worker.set_value(Some(worker.clone()));
        spawn_local(async move {
            let loaded = worker.ask(Ask::LoadText { backend, model }).await;
            if self.generation.try_get_value() != Some(generation) {
                // Dropped meanwhile: the next need loads it again.
                return;
            }
            match loaded {
                Says::TextLoaded(mut info) => {
                    // What the student waited: from the need to the model, worker start included.
                    info.load_ms = now_ms() - started;
                    self.status.set(said_with(
                        "text-model-ready",
                        &[
                            ("mb", format!("{:.1}", info.bytes as f64 / 1e6).into()),
                            ("seconds", format!("{:.1}", info.load_ms / 1000.0).into()),
                        ],
                    ));
                    self.engine.set(Some(info));
                    self.progress.set(None);
                }
                Says::Failed(e) => self.load_failed(e),
                other => self.load_failed(format!("{other:?}")),
            }
        });
    }

    fn load_failed(self, error: String) {
        self.status
            .set(said_with("text-model-failed", &[("error", error.into())]));
        // The next need tries again.
        self.asked.set_value(None);
        self.progress.set(None);
    }

    /// The worker of load `generation` stopped on its own: forget it and its model (the next
    /// need starts another, on the CPU if this one ran on WebGPU).
    fn worker_stopped(self, generation: u32, backend: Backend, error: String) {
        web_sys::console::warn_1(&format!("The sentence model's worker stopped: {error}").into());
        if self.generation.try_get_value() != Some(generation) {
            return;
        }
        let stops = self.stops.get_untracked() + 1;
        self.stops.set(stops);
        if backend == Backend::WebGpu {
            self.gpu_stopped.set_value(true);
        }
        self.status.set(if stops >= MOST_STOPS {
            said_with("text-model-failed", &[("error", error.into())])
        } else {
            said_with("text-model-stopped", &[("error", error.into())])
        });
        self.drop_model();
    }

    /// How many workers stopped on their own in this visit.
    pub fn stops(self) -> u32 {
        self.stops.get()
    }

    /// Which model is loaded (None while none is); tracked.
    pub fn loaded(self) -> Option<SentenceModel> {
        self.engine.with(|e| e.as_ref().map(|e| e.model))
    }

    /// [`TextModel::loaded`], untracked.
    pub fn loaded_untracked(self) -> Option<SentenceModel> {
        self.engine.with_untracked(|e| e.as_ref().map(|e| e.model))
    }

    /// Where the loaded model runs (None while not loaded).
    pub fn backend_untracked(self) -> Option<Backend> {
        self.engine
            .with_untracked(|e| e.as_ref().map(|e| e.backend))
    }

    /// The embeddings of `sentences`, in order, by `model` (an error unless it is the one
    /// loaded).
    pub async fn embed(
        self,
        model: SentenceModel,
        sentences: &[&str],
    ) -> Result<Vec<Vec<f32>>, String> {
        let worker = self
            .worker
            .get_value()
            .filter(|_| self.loaded_untracked() == Some(model))
            .ok_or_else(|| text("text-model-not-ready"))?;
        let sentences = sentences.iter().map(|s| s.to_string()).collect();
        match worker.ask(Ask::EmbedSentences { model, sentences }).await {
            Says::Embeddings(embeddings) => Ok(embeddings),
            Says::Failed(e) => Err(e),
            other => Err(format!("{other:?}")),
        }
    }

    /// Give up the loaded model (or the load under way) and stop its worker: its device
    /// failed, or the worker stopped. The next need ([`TextModel::ensure`]) loads it again.
    pub fn drop_model(self) {
        self.generation.update_value(|g| *g += 1);
        self.asked.set_value(None);
        self.progress.set(None);
        self.engine.set(None);
        if let Some(worker) = self.worker.try_update_value(Option::take).flatten() {
            worker.stop();
            // Freed once this turn is over: this may run inside the worker's own error handler.
            spawn_local(async move { drop(worker) });
        }
    }
}
