//! The worker's side: answers the page's requests with the models it holds. Started by
//! `public/engine-worker.js` through the app bin's `engine_worker_start` export, in the page's
//! build or the engine build (`client::Build`; only the latter has WebGPU and the sentence
//! model). Holds no work of the student's: only the models and what it is asked to compute,
//! so a worker that stops loses nothing.

use std::cell::RefCell;
use std::rc::Rc;

// Not leptos's `spawn_local`: its executor is set up by mounting the app, which a worker never does.
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::drawings::DrawingEngine;
use super::protocol::{Ask, Message, Request, Says};
#[cfg(feature = "text")]
use super::sentences::{WARM_BUCKETS, load_text};
use super::tuning::Tuning;
#[cfg(feature = "text")]
use crate::learn::text::{SentenceEncoder, SentenceModel};
use crate::ui::engine::Backend;

#[wasm_bindgen]
extern "C" {
    /// The worker's `postMessage` (to the page that started it).
    #[wasm_bindgen(js_name = postMessage)]
    fn post_message(message: &JsValue);
}

/// What the worker holds between requests.
#[derive(Default)]
struct Models {
    drawing: Option<Rc<DrawingEngine>>,
    /// The sentence model, and which it is.
    #[cfg(feature = "text")]
    text: Option<(SentenceModel, Rc<SentenceEncoder>)>,
    /// Improve's run; taken out while a step or a read of it is awaited.
    tuning: Option<Tuning>,
}

/// Take the page's requests from now on, and say so.
pub fn start() {
    crate::ui::crash::install();
    let models = Rc::new(RefCell::new(Models::default()));
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let models = models.clone();
            spawn_local(async move {
                let data = event.data();
                // Not a request (a test hook's word to `public/engine-worker.js`).
                if data.is_string() {
                    return;
                }
                let id = js_sys::Reflect::get(&data, &"id".into())
                    .ok()
                    .and_then(|id| id.as_f64())
                    .map(|id| id as u32);
                let says = match serde_wasm_bindgen::from_value::<Request>(data) {
                    Ok(request) => answer(request.ask, &models).await,
                    Err(e) => Says::Failed(format!("a request the worker cannot read: {e}")),
                };
                post(id, says);
            });
        });
    let _ = js_sys::global()
        .unchecked_into::<web_sys::EventTarget>()
        .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // Lives as long as the worker.
    on_message.forget();
    post(None, Says::Ready);
}

pub(super) fn post(id: Option<u32>, says: Says) {
    match serde_wasm_bindgen::to_value(&Message { id, says }) {
        Ok(message) => post_message(&message),
        Err(e) => web_sys::console::error_1(&format!("engine worker: {e}").into()),
    }
}

async fn answer(ask: Ask, models: &RefCell<Models>) -> Says {
    match ask {
        Ask::LoadDrawings {
            request,
            remembered,
        } => match DrawingEngine::load(request, remembered).await {
            Ok((engine, info)) => {
                let engine = Rc::new(engine);
                models.borrow_mut().drawing = Some(engine.clone());
                if info.backend == Backend::WebGpu {
                    // In the background: the engine is ready now.
                    warm_up_in_background("drawing model", async move { engine.warm_up().await });
                }
                Says::DrawingsLoaded(info)
            }
            Err(e) => Says::Failed(e),
        },
        Ask::EmbedDrawings { inputs } => {
            let Some(engine) = models.borrow().drawing.clone() else {
                return Says::Failed("the drawing model is not loaded".into());
            };
            match engine.embed(inputs).await {
                Ok(embeddings) => Says::Embeddings(embeddings),
                Err(e) => Says::Failed(e),
            }
        }
        #[cfg(feature = "text")]
        Ask::LoadText { backend, model } => {
            // Never two models at once: their weights are 45-61 MB each.
            models.borrow_mut().text = None;
            match load_text(backend, model).await {
                Ok((encoder, info)) => {
                    let encoder = Rc::new(encoder);
                    models.borrow_mut().text = Some((model, encoder.clone()));
                    if info.backend == Backend::WebGpu {
                        // In the background: the model is ready now; sentences asked meanwhile
                        // queue on the GPU behind these, and need their kernels anyway.
                        warm_up_in_background("sentence model", async move {
                            encoder.warm_up_async(WARM_BUCKETS).await
                        });
                    }
                    Says::TextLoaded(info)
                }
                Err(e) => Says::Failed(e),
            }
        }
        Ask::TuneStart { run, set } => match Tuning::start(run, set) {
            Ok(tuning) => {
                models.borrow_mut().tuning = Some(tuning);
                Says::Tuning
            }
            Err(e) => Says::Failed(e),
        },
        Ask::TuneStep { run } => {
            let Some(mut tuning) = take_run(models, run) else {
                return Says::Failed(format!("no Improve run {run} here"));
            };
            let stepped = tuning.step().await;
            put_back(models, tuning);
            match stepped {
                Ok(loss) => Says::Stepped { loss },
                Err(e) => Says::Failed(e),
            }
        }
        Ask::TuneHead { run } => {
            let Some(tuning) = take_run(models, run) else {
                return Says::Failed(format!("no Improve run {run} here"));
            };
            let head = tuning.head().await;
            put_back(models, tuning);
            match head {
                Ok(head) => Says::Head(head),
                Err(e) => Says::Failed(e),
            }
        }
        Ask::TuneEnd { run } => {
            drop(take_run(models, run));
            Says::Tuning
        }
        Ask::Crash => panic!("asked to crash (a test of a worker that stops)"),
        #[cfg(feature = "text")]
        Ask::EmbedSentences { model, sentences } => {
            let loaded = models.borrow().text.clone();
            let encoder = match loaded {
                Some((loaded, encoder)) if loaded == model => encoder,
                Some((loaded, _)) => {
                    return Says::Failed(format!(
                        "the sentence model loaded is {loaded:?}, not {model:?}"
                    ));
                }
                None => return Says::Failed("the sentence model is not loaded".into()),
            };
            let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
            match encoder.embed_async(&sentences).await {
                Ok(embeddings) => Says::Embeddings(embeddings),
                Err(e) => Says::Failed(e),
            }
        }
        // The page's build: the page starts the sentence model's worker on the engine build.
        #[cfg(not(feature = "text"))]
        Ask::LoadText { .. } | Ask::EmbedSentences { .. } => {
            Says::Failed("this build has no sentence model (the engine's build has)".into())
        }
    }
}

/// Improve's run `run`, taken out (no borrow is held across an await).
fn take_run(models: &RefCell<Models>, run: u32) -> Option<Tuning> {
    models.borrow_mut().tuning.take_if(|t| t.is(run))
}

/// A run back after an await, unless another started meanwhile.
fn put_back(models: &RefCell<Models>, tuning: Tuning) {
    models.borrow_mut().tuning.get_or_insert(tuning);
}

/// Run `warm_up` (compiling a model's GPU kernels) in the background and tell the page when
/// it is done (`what`: the model, for the console).
fn warm_up_in_background(
    what: &'static str,
    warm_up: impl std::future::Future<Output = Result<(), String>> + 'static,
) {
    spawn_local(async move {
        let started = now_ms();
        match warm_up.await {
            Ok(()) => post(
                None,
                Says::WarmedUp {
                    ms: now_ms() - started,
                },
            ),
            Err(e) => web_sys::console::warn_1(&format!("warming the {what} up: {e}").into()),
        }
    });
}

pub(super) fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .filter(|p| !p.is_undefined())
        .map_or(0.0, |p| p.unchecked_into::<web_sys::Performance>().now())
}
