//! The page's side: one engine worker, its requests and their answers. A request's answer is
//! awaited by id; events (progress) go to a callback. A worker that fails (an error it did not
//! catch, a panic, a script that does not load) is stopped at once: every request still waiting
//! gets [`Says::Failed`], and the owner is told (it starts another when next needed).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::protocol::{Ask, Message, Request, Says};

#[wasm_bindgen]
extern "C" {
    /// A dedicated Web Worker (web-sys has it behind a feature this crate does not build).
    #[wasm_bindgen(extends = web_sys::EventTarget)]
    #[derive(Clone)]
    type Worker;
    #[wasm_bindgen(constructor, catch)]
    fn new(url: &str, options: &JsValue) -> Result<Worker, JsValue>;
    #[wasm_bindgen(method, js_name = postMessage, catch)]
    fn post_message(this: &Worker, message: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn terminate(this: &Worker);
}

/// The worker's script, beside index.html (`public/engine-worker.js`).
const SCRIPT: &str = "engine-worker.js";

/// Which wasm a worker runs. The page's is small (the UI, and the drawing engine on the CPU):
/// what a student downloads before the first prediction. The engine build has WebGPU and the
/// sentence model, and is fetched only when a worker needs one of them (`cargo xtask
/// engine-build` makes it; trunk's hook names it in index.html).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    Page,
    Engine,
}

/// The engine build's JavaScript, as index.html names it (`<meta name="inkling-engine">`).
fn engine_script() -> Option<String> {
    let meta = leptos::prelude::document()
        .query_selector("meta[name=inkling-engine]")
        .ok()??;
    let name = meta.get_attribute("content")?;
    // Relative to the page, as the page's own script is.
    web_sys::Url::new_with_base(&name, &leptos::prelude::document().base_uri().ok()??)
        .ok()
        .map(|url| url.href())
}

/// The URL of this page's own JavaScript (trunk's content-hashed `inkling-app-*.js`, named by
/// its preload link): the worker imports it to run the same wasm.
pub fn page_script() -> Option<String> {
    let link = leptos::prelude::document()
        .query_selector("link[rel=modulepreload][href*=inkling-app]")
        .ok()??;
    Some(link.unchecked_into::<web_sys::HtmlLinkElement>().href())
}

type Waiting = Rc<RefCell<HashMap<u32, Function>>>;

/// A running worker. Dropping it stops the worker.
pub struct EngineWorker {
    worker: Worker,
    next_id: Cell<u32>,
    waiting: Waiting,
    /// Settles once the worker says it is ready (or fails first).
    ready: Promise,
    stopped: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl EngineWorker {
    /// Start a worker on `build`. `on_event` gets its events (download progress, kernels
    /// compiled); `on_stopped` is called once if the worker fails (with the error, for
    /// developers).
    pub fn start(
        build: Build,
        on_event: impl Fn(Says) + 'static,
        on_stopped: impl FnOnce(String) + 'static,
    ) -> Result<EngineWorker, String> {
        let glue = match build {
            Build::Page => page_script(),
            Build::Engine => engine_script(),
        }
        .ok_or_else(|| format!("this page names no script for the {build:?} build"))?;
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &"type".into(), &"module".into());
        let _ = Reflect::set(&options, &"name".into(), &"inkling-engine".into());
        let worker = Worker::new(SCRIPT, &options)
            .map_err(|e| format!("the engine's worker could not start: {e:?}"))?;

        let (mut resolve_ready, mut reject_ready) = (None, None);
        let ready = Promise::new(&mut |resolve, reject| {
            resolve_ready = Some(resolve);
            reject_ready = Some(reject);
        });
        let (resolve_ready, reject_ready) = (resolve_ready.unwrap(), reject_ready.unwrap());
        // A worker that fails before it is ready rejects this; `ask` reads that, not the console.
        let swallow = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = ready.catch(&swallow);
        // A few bytes a worker.
        swallow.forget();
        let waiting: Waiting = Rc::default();
        let stopped = Rc::new(Cell::new(false));

        let on_message = {
            let waiting = waiting.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let data = event.data();
                let id = Reflect::get(&data, &"id".into())
                    .ok()
                    .and_then(|id| id.as_f64())
                    .map(|id| id as u32);
                if let Some(id) = id {
                    if let Some(resolve) = waiting.borrow_mut().remove(&id) {
                        let _ = resolve.call1(&JsValue::NULL, &data);
                    }
                    return;
                }
                match serde_wasm_bindgen::from_value::<Message>(data) {
                    Ok(Message {
                        says: Says::Ready, ..
                    }) => {
                        let _ = resolve_ready.call0(&JsValue::NULL);
                    }
                    Ok(Message { says, .. }) => on_event(says),
                    Err(e) => web_sys::console::warn_1(
                        &format!("engine worker: a message not understood: {e}").into(),
                    ),
                }
            })
        };
        let on_error = {
            let (waiting, stopped, worker) = (waiting.clone(), stopped.clone(), worker.clone());
            let mut on_stopped = Some(on_stopped);
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                if stopped.replace(true) {
                    return;
                }
                worker.terminate();
                let error = Reflect::get(&event, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_else(|| "it stopped".into());
                let _ = reject_ready.call1(&JsValue::NULL, &error.clone().into());
                // The owner first (it forgets this worker), then the requests that waited, so
                // that they see it gone when they wake.
                if let Some(on_stopped) = on_stopped.take() {
                    on_stopped(error.clone());
                }
                fail_all(&waiting, &format!("the engine's worker stopped: {error}"));
            })
        };
        let _ =
            worker.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        let _ = worker.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
        let _ = worker
            .add_event_listener_with_callback("messageerror", on_error.as_ref().unchecked_ref());

        let start = js_sys::Object::new();
        let _ = Reflect::set(&start, &"glue".into(), &glue.into());
        // The page's own module, compiled already; the engine build's glue fetches its wasm.
        if build == Build::Page {
            let _ = Reflect::set(&start, &"module".into(), &wasm_bindgen::module());
        }
        // Test hook: where the page keeps its WebGPU devices (`inklingGpuDevices`, the fault
        // suite), the worker keeps its own, and the page lists its workers
        // (`inklingEngineWorkers`) so a test can have them destroyed.
        let global = js_sys::global();
        if Reflect::get(&global, &"inklingGpuDevices".into()).is_ok_and(|d| d.is_array()) {
            let _ = Reflect::set(&start, &"keepGpuDevices".into(), &true.into());
            let key = JsValue::from_str("inklingEngineWorkers");
            let workers = Reflect::get(&global, &key)
                .ok()
                .filter(|w| w.is_array())
                .unwrap_or_else(|| js_sys::Array::new().into());
            workers.unchecked_ref::<js_sys::Array>().push(&worker);
            let _ = Reflect::set(&global, &key, &workers);
        }
        worker
            .post_message(&start)
            .map_err(|e| format!("the engine's worker could not start: {e:?}"))?;
        Ok(EngineWorker {
            worker,
            next_id: Cell::new(1),
            waiting,
            ready,
            stopped,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Ask the worker; its answer (or [`Says::Failed`] if it stops first).
    pub async fn ask(&self, ask: Ask) -> Says {
        if JsFuture::from(self.ready.clone()).await.is_err() || self.stopped.get() {
            return Says::Failed("the engine's worker stopped".into());
        }
        if crash_asked() {
            // The worker stops on this; the request, sent after it, fails with it.
            let crash = serde_wasm_bindgen::to_value(&Request {
                id: 0,
                ask: Ask::Crash,
            });
            if let Ok(crash) = crash {
                let _ = self.worker.post_message(&crash);
            }
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let request = match serde_wasm_bindgen::to_value(&Request { id, ask }) {
            Ok(request) => request,
            Err(e) => return Says::Failed(e.to_string()),
        };
        let answer = Promise::new(&mut |resolve, _| {
            self.waiting.borrow_mut().insert(id, resolve);
        });
        if let Err(e) = self.worker.post_message(&request) {
            self.waiting.borrow_mut().remove(&id);
            return Says::Failed(format!("{e:?}"));
        }
        match JsFuture::from(answer).await {
            Ok(data) => match serde_wasm_bindgen::from_value::<Message>(data) {
                Ok(message) => message.says,
                Err(e) => Says::Failed(format!("an answer not understood: {e}")),
            },
            Err(e) => Says::Failed(format!("{e:?}")),
        }
    }
}

impl EngineWorker {
    /// Stop the worker now (whoever else holds it): every waiting request fails.
    pub fn stop(&self) {
        self.stopped.set(true);
        self.worker.terminate();
        // Whoever still waits gets no answer from a stopped worker: they are told.
        fail_all(&self.waiting, "the engine's worker was stopped");
    }
}

impl Drop for EngineWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Answer every waiting request with [`Says::Failed`] (`why`).
fn fail_all(waiting: &Waiting, why: &str) {
    let waited: Vec<(u32, Function)> = waiting.borrow_mut().drain().collect();
    for (id, resolve) in waited {
        let failed = Message {
            id: Some(id),
            says: Says::Failed(why.to_string()),
        };
        if let Ok(failed) = serde_wasm_bindgen::to_value(&failed) {
            let _ = resolve.call1(&JsValue::NULL, &failed);
        }
    }
}

/// Test hook: `globalThis.inklingCrashEngine = n` makes the next `n` requests to any engine
/// worker crash it first (the fault suite's workers that stop).
fn crash_asked() -> bool {
    let global = js_sys::global();
    let key = JsValue::from_str("inklingCrashEngine");
    let left = Reflect::get(&global, &key)
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0);
    if left < 1.0 {
        return false;
    }
    let _ = Reflect::set(&global, &key, &(left - 1.0).into());
    true
}
