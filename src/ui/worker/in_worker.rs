//! The worker's side: answers the page's requests with the models it holds. Started by
//! `public/engine-worker.js` through the app bin's `engine_worker_start` export, in the same
//! wasm as the page (so the same build). Holds no work of the student's: only the models and
//! what it is asked to compute, so a worker that stops loses nothing.

use std::cell::RefCell;
use std::rc::Rc;

use burn::prelude::*;
// Not leptos's `spawn_local`: its executor is set up by mounting the app, which a worker never does.
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::drawings::DrawingEngine;
use super::protocol::{Ask, Message, Request, Says, TextModelInfo};
use crate::learn::text::manifest::{MANIFEST, ModelManifest, TOKENIZER};
use crate::learn::text::{F16_WEIGHTS, GPU_TOKEN_BUCKET, SentenceEncoder, TEXT_ENCODER_ID};
use crate::ui::download::{delete_other_caches, fetch_cached, fetch_fresh};
use crate::ui::engine::{Backend, webgpu_device};

/// Where `cargo xtask` puts the model's files in the built app (`dist/text-model/`).
const MODEL_DIR: &str = "text-model";
/// One cache per model version: a new model never reads an old one's bytes.
const CACHE: &str = "inkling-text-model";
/// Token buckets compiled ahead on a GPU: sentences of up to 32 tokens (most a student types).
const WARM_BUCKETS: usize = 2;
/// Progress events at most this many bytes apart (a download arrives in ~64 KiB chunks).
const PROGRESS_STEP: usize = 512 * 1024;

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
    text: Option<Rc<SentenceEncoder>>,
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

fn post(id: Option<u32>, says: Says) {
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
        Ask::LoadText { backend } => match load_text(backend).await {
            Ok((encoder, info)) => {
                let encoder = Rc::new(encoder);
                models.borrow_mut().text = Some(encoder.clone());
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
        },
        Ask::Crash => panic!("asked to crash (a test of a worker that stops)"),
        Ask::EmbedSentences { sentences } => {
            let Some(encoder) = models.borrow().text.clone() else {
                return Says::Failed("the sentence model is not loaded".into());
            };
            let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
            match encoder.embed_async(&sentences).await {
                Ok(embeddings) => Says::Embeddings(embeddings),
                Err(e) => Says::Failed(e),
            }
        }
    }
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

/// Fetch (or read from the cache) the sentence model's files, each checked against the
/// model's manifest, and decode the model on `backend` (the CPU where this worker finds no
/// GPU).
async fn load_text(backend: Backend) -> Result<(SentenceEncoder, TextModelInfo), String> {
    let started = now_ms();
    let (backend, device) = match backend {
        Backend::Cpu => (Backend::Cpu, Device::flex()),
        Backend::WebGpu => match webgpu_device().await {
            Ok(device) => (Backend::WebGpu, device),
            Err(e) => {
                web_sys::console::warn_1(
                    &format!("WebGPU unavailable in the worker: {e}; the CPU it is").into(),
                );
                (Backend::Cpu, Device::flex())
            }
        },
    };
    let cache = format!("{CACHE}-{TEXT_ENCODER_ID}");
    let manifest = fetch_fresh(&format!("{MODEL_DIR}/{MANIFEST}"), &cache, |bytes| {
        ModelManifest::parse(bytes).map(|_| ())
    })
    .await?;
    let manifest = ModelManifest::parse(&manifest)?;
    let digest = |name: &str| {
        manifest
            .digest(name)
            .cloned()
            .ok_or_else(|| format!("{MANIFEST} does not list {name}"))
    };
    let tokenizer = fetch_cached(
        &format!("{MODEL_DIR}/{TOKENIZER}"),
        &cache,
        &digest(TOKENIZER)?,
        |_, _| {},
    )
    .await?;
    let reported = std::cell::Cell::new(0usize);
    let progress = |done: usize, total: Option<usize>| {
        if done >= reported.get() + PROGRESS_STEP || Some(done) == total {
            reported.set(done);
            post(None, Says::Progress { done, total });
        }
    };
    let weights = fetch_cached(
        &format!("{MODEL_DIR}/{F16_WEIGHTS}"),
        &cache,
        &digest(F16_WEIGHTS)?,
        progress,
    )
    .await?;
    let bytes = tokenizer.bytes.len() + weights.bytes.len();
    let from_cache = tokenizer.from_cache && weights.from_cache;
    let mut encoder = SentenceEncoder::from_bytes(weights.bytes, false, &tokenizer.bytes, &device)
        .map_err(|e| e.to_string())?;
    if backend == Backend::WebGpu {
        encoder.token_bucket = GPU_TOKEN_BUCKET;
    }
    // This model works: an older model's files (another version's cache) are not needed.
    delete_other_caches(CACHE, &cache).await;
    let info = TextModelInfo {
        backend,
        bytes,
        from_cache,
        load_ms: now_ms() - started,
    };
    Ok((encoder, info))
}
