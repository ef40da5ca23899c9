//! The few-shot engine as the app uses it: a backend (flex CPU or WebGPU) and the shipped
//! encoder on it, run by the engine's worker (`ui::worker::drawings`); here, what the page
//! keeps of it (the backend asked for and the verdict remembered, in localStorage) and async
//! embedding of one drawing (made into the model's input here, embedded there).

use burn::prelude::*;

use crate::learn::finetune::HeadWeights;
use crate::learn::preprocess::{Stroke, strokes_to_input};

use super::i18n::{text, text_with};
use super::worker::client::{Build, EngineWorker};
use super::worker::protocol::{Ask, Says, TrainingRows, Why, verdict_chose_webgpu};

/// Which backend the student's model runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Backend {
    Cpu,
    WebGpu,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::Cpu => "cpu",
            Backend::WebGpu => "webgpu",
        }
    }
}

/// What the page asked for (`?backend=webgpu|cpu|auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BackendRequest {
    Auto,
    Cpu,
    WebGpu,
}

/// The engine as the app shares it (through context): None until it has loaded.
pub type EngineSignal =
    leptos::prelude::RwSignal<Option<std::rc::Rc<Engine>>, leptos::prelude::LocalStorage>;

/// Where the backend setting is remembered (per browser profile, so per device).
const BACKEND_SETTING: &str = "inkling.backend";

impl BackendRequest {
    pub const ALL: [BackendRequest; 3] = [
        BackendRequest::Auto,
        BackendRequest::Cpu,
        BackendRequest::WebGpu,
    ];

    pub fn key(self) -> &'static str {
        match self {
            BackendRequest::Auto => "auto",
            BackendRequest::Cpu => "cpu",
            BackendRequest::WebGpu => "webgpu",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == value)
    }

    /// The page's `?backend=` if it names one, else the saved setting, else `Auto`.
    pub fn current(search: &str) -> Self {
        search
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix("backend="))
            .and_then(Self::parse)
            .or_else(|| {
                let storage = web_sys::window()?.local_storage().ok()??;
                Self::parse(&storage.get_item(BACKEND_SETTING).ok()??)
            })
            .unwrap_or(BackendRequest::Auto)
    }

    /// Remember this choice for the next visits.
    pub fn save(self) {
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(BACKEND_SETTING, self.key());
        }
    }
}

/// How the drawing engine starts: on which build, asked for what, and whether WebGPU is
/// measured beside it (in another worker, on the engine build) while the CPU answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawingStart {
    pub build: Build,
    pub request: BackendRequest,
    pub measure_beside: bool,
}

impl DrawingStart {
    /// The start for `request`, given an earlier measurement's verdict (`remembered`) and
    /// whether the browser offers WebGPU at all. Only a start that needs WebGPU waits for the
    /// engine build (4 MB gzipped against the page's 2): a first visit answers on the CPU at
    /// once and measures WebGPU beside it.
    pub fn for_request(
        request: BackendRequest,
        remembered: Option<&str>,
        gpu_offered: bool,
    ) -> DrawingStart {
        let start = |build, request, measure_beside| DrawingStart {
            build,
            request,
            measure_beside,
        };
        match (request, remembered) {
            (BackendRequest::Cpu, _) => start(Build::Page, request, false),
            (BackendRequest::WebGpu, _) => start(Build::Engine, request, false),
            (BackendRequest::Auto, _) if !gpu_offered => start(Build::Page, request, false),
            (BackendRequest::Auto, Some(verdict)) if verdict_chose_webgpu(verdict) => {
                start(Build::Engine, request, false)
            }
            (BackendRequest::Auto, Some(_)) => start(Build::Page, request, false),
            (BackendRequest::Auto, None) => start(Build::Page, BackendRequest::Cpu, true),
        }
    }

    /// The start for `request` in this browser, now. The browser is asked for an adapter
    /// only where the answer changes the start (asking may wake a sleeping GPU).
    pub async fn here(request: BackendRequest) -> DrawingStart {
        let remembered = remembered_calibration();
        let gpu_matters = request == BackendRequest::Auto
            && remembered.as_deref().is_none_or(verdict_chose_webgpu);
        let gpu_offered = gpu_matters && webgpu_adapter_offered().await;
        Self::for_request(request, remembered.as_deref(), gpu_offered)
    }
}

/// Whether this browser gives the page a WebGPU adapter (no device is made). Chromium has
/// `navigator.gpu` even where it has no adapter to give: asking here spares such a browser
/// the engine build's download only to learn that.
async fn webgpu_adapter_offered() -> bool {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(gpu) = Reflect::get(&window.navigator(), &"gpu".into()) else {
        return false;
    };
    let Ok(request) = Reflect::get(&gpu, &"requestAdapter".into()) else {
        return false;
    };
    let Some(request) = request.dyn_ref::<Function>() else {
        return false;
    };
    let Ok(adapter) = request.call0(&gpu) else {
        return false;
    };
    match adapter.dyn_into::<Promise>() {
        Ok(adapter) => wasm_bindgen_futures::JsFuture::from(adapter)
            .await
            .is_ok_and(|a| !a.is_null() && !a.is_undefined()),
        Err(_) => false,
    }
}

/// The drawing engine as the page holds it: where it runs, why, and the worker that runs it
/// (`ui::worker`).
pub struct Engine {
    pub backend: Backend,
    /// Why this backend, in words, for the student.
    pub reason: String,
    worker: EngineWorker,
}

impl Engine {
    /// Start a worker on `build`, pick the backend there (for `auto`, by the remembered verdict or by
    /// measuring) and load the shipped encoder. `on_event` gets its events (kernels
    /// compiled); `on_stopped` is called once if the worker stops on its own.
    pub async fn load(
        build: Build,
        request: BackendRequest,
        on_event: impl Fn(Says) + 'static,
        on_stopped: impl FnOnce(String) + 'static,
    ) -> Result<Engine, String> {
        let worker = EngineWorker::start(build, on_event, on_stopped)?;
        let remembered = match request {
            BackendRequest::Auto => remembered_calibration(),
            _ => None,
        };
        match worker
            .ask(Ask::LoadDrawings {
                request,
                remembered,
            })
            .await
        {
            Says::DrawingsLoaded(info) => {
                if let Some(verdict) = &info.verdict
                    && let Some(storage) = local_storage()
                {
                    let _ = storage.set_item(CALIBRATION_KEY, verdict);
                }
                if info.why == Why::WebGpuFailed {
                    // Nothing is remembered, so the next start measures again.
                    forget_calibration();
                }
                Ok(Engine {
                    backend: info.backend,
                    reason: reason_words(&info.why),
                    worker,
                })
            }
            Says::Failed(e) => Err(e),
            other => Err(format!("{other:?}")),
        }
    }

    /// The embedding of one drawing.
    pub async fn embed_strokes(&self, strokes: &[Stroke]) -> Result<Vec<f32>, EmbedError> {
        let input = strokes_to_input(strokes).map_err(|e| EmbedError::Input(e.to_string()))?;
        let inputs = vec![input.pixels];
        match self.worker.ask(Ask::EmbedDrawings { inputs }).await {
            Says::Embeddings(mut out) => out
                .pop()
                .ok_or_else(|| EmbedError::Device(text("engine-no-embedding"))),
            Says::Failed(e) => Err(EmbedError::Device(e)),
            other => Err(EmbedError::Device(format!("{other:?}"))),
        }
    }

    /// Improve, in this engine's worker ([`crate::ui::worker::tuning`]): start a run on `set`.
    /// Returns the run's number.
    pub async fn tune_start(&self, set: TrainingRows) -> Result<u32, String> {
        let run = NEXT_RUN.with(|n| n.replace(n.get().wrapping_add(1)));
        match self.worker.ask(Ask::TuneStart { run, set }).await {
            Says::Tuning => Ok(run),
            other => Err(failure(other)),
        }
    }

    /// One step of run `run`: its loss.
    pub async fn tune_step(&self, run: u32) -> Result<f32, String> {
        match self.worker.ask(Ask::TuneStep { run }).await {
            Says::Stepped { loss } => Ok(loss),
            other => Err(failure(other)),
        }
    }

    /// The head run `run` has trained.
    pub async fn tune_head(&self, run: u32) -> Result<HeadWeights, String> {
        match self.worker.ask(Ask::TuneHead { run }).await {
            Says::Head(head) => Ok(head),
            other => Err(failure(other)),
        }
    }

    /// Run `run` is over: the worker drops it.
    pub async fn tune_end(&self, run: u32) {
        self.worker.ask(Ask::TuneEnd { run }).await;
    }

    /// Stop its worker now (its device failed): what waits on it fails.
    pub fn stop(&self) {
        self.worker.stop();
    }
}

thread_local! {
    /// The next Improve run's number (runs are told apart in the worker by it).
    static NEXT_RUN: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// An answer that is not the one asked for, as an error.
fn failure(says: Says) -> String {
    match says {
        Says::Failed(e) => e,
        other => format!("{other:?}"),
    }
}

/// Why the engine runs where it runs, in the UI's language.
fn reason_words(why: &Why) -> String {
    match why {
        Why::CpuAsked => text("engine-cpu-asked"),
        Why::WebGpuAsked => text("engine-webgpu-asked"),
        Why::WebGpuUnavailable => text("engine-webgpu-unavailable"),
        Why::NoWebGpu => text("engine-no-webgpu"),
        Why::WebGpuFailed => text("engine-webgpu-failed"),
        Why::MeasuredEarlier(verdict) => text_with(
            "engine-measured-earlier",
            &[("verdict", verdict_words(verdict).into())],
        ),
        Why::MeasuredNow(verdict) => text_with(
            "engine-measured-now",
            &[("verdict", verdict_words(verdict).into())],
        ),
    }
}

/// Why an embedding did not come: the input (a drawing the model cannot read), or the device
/// it ran on (a lost or failing GPU: running again on the CPU helps).
#[derive(Debug, Clone, PartialEq)]
pub enum EmbedError {
    Input(String),
    Device(String),
}

impl std::fmt::Display for EmbedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmbedError::Input(e) | EmbedError::Device(e) => f.write_str(e),
        }
    }
}

/// A WebGPU device (in the engine build's worker).
#[cfg(feature = "webgpu")]
pub(crate) async fn webgpu_device() -> Result<Device, String> {
    Device::wgpu_options()
        .graphics_api(burn::tensor::wgpu::WgpuBackend::WebGpu)
        .init_async()
        .await
        .map_err(|e| format!("{e:?}"))
}

/// The page's build has no WebGPU: the engine build has (`Build::Engine`).
#[cfg(not(feature = "webgpu"))]
pub(crate) async fn webgpu_device() -> Result<Device, String> {
    Err("this build has no WebGPU (the engine's build has)".into())
}

/// Where the measured choice is remembered (per browser profile, so per device).
const CALIBRATION_KEY: &str = "inkling.backend-calibration";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The verdict of an earlier measurement, if one is remembered.
fn remembered_calibration() -> Option<String> {
    local_storage()?.get_item(CALIBRATION_KEY).ok()?
}

/// Forget the remembered verdict (the next start measures again).
pub fn forget_calibration() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(CALIBRATION_KEY);
    }
}
/// A stored calibration verdict (`webgpu: 12 ms on WebGPU vs 30 ms on the CPU for 8
/// drawings`) in the UI's language; a stored text of another shape is shown as it is.
fn verdict_words(stored: &str) -> String {
    fn parts(stored: &str) -> Option<(&str, &str, &str, &str)> {
        let (backend, rest) = stored.split_once(": ")?;
        let (gpu, rest) = rest.split_once(" ms on WebGPU vs ")?;
        let (cpu, rest) = rest.split_once(" ms on the CPU for ")?;
        let drawings = rest.strip_suffix(" drawings")?;
        Some((backend, gpu, cpu, drawings))
    }
    match parts(stored) {
        Some((backend, gpu, cpu, drawings)) => text_with(
            "engine-verdict",
            &[
                ("backend", backend.into()),
                ("gpu", gpu.into()),
                ("cpu", cpu.into()),
                ("drawings", drawings.into()),
            ],
        ),
        None => stored.to_string(),
    }
}
