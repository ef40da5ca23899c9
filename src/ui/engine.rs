//! The few-shot engine as the app uses it: a backend (flex CPU or WebGPU), the shipped encoder on
//! it, and async embedding of one drawing. Every tensor read is asynchronous.

use burn::prelude::*;

use crate::learn::encoder::Encoder;
use crate::learn::evaluate::embed_inputs_async;
use crate::learn::preprocess::{Stroke, strokes_to_input};
use crate::learn::weights::shipped_encoder;

use super::i18n::{text, text_with};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

pub struct Engine {
    pub backend: Backend,
    /// Why this backend, in words, for the student.
    pub reason: String,
    pub device: Device,
    pub encoder: Encoder,
}

impl Engine {
    /// Pick the backend and load the shipped encoder on it.
    pub async fn load(request: BackendRequest) -> Result<Engine, String> {
        // Calibration has already decoded the weights on the device it chose.
        let mut timed_encoder = None;
        let (backend, device, reason) = match request {
            BackendRequest::Cpu => return Engine::on_cpu(text("engine-cpu-asked")),
            BackendRequest::WebGpu => match webgpu_device().await {
                Ok(device) => (Backend::WebGpu, device, text("engine-webgpu-asked")),
                Err(e) => {
                    // The details are for developers; the student gets the gist.
                    web_sys::console::warn_1(&format!("WebGPU unavailable: {e}").into());
                    return Engine::on_cpu(text("engine-webgpu-unavailable"));
                }
            },
            BackendRequest::Auto => match webgpu_device().await {
                Err(_) => return Engine::on_cpu(text("engine-no-webgpu")),
                Ok(gpu) => match calibrate(gpu).await {
                    Ok((backend, device, reason, encoder)) => {
                        timed_encoder = encoder;
                        (backend, device, reason)
                    }
                    // Measuring failed on the GPU: the CPU works everywhere, and nothing is
                    // remembered, so the next start measures again.
                    Err(e) => {
                        web_sys::console::warn_1(
                            &format!("WebGPU failed when measured: {e}").into(),
                        );
                        forget_calibration();
                        return Engine::on_cpu(text("engine-webgpu-failed"));
                    }
                },
            },
        };
        let encoder = match timed_encoder {
            Some(encoder) => encoder,
            None => shipped_encoder(&device).map_err(|e| e.to_string())?.0,
        };
        Ok(Engine {
            backend,
            reason,
            device,
            encoder,
        })
    }

    /// The shipped encoder on the CPU, which works everywhere (`reason` says why it is here).
    pub fn on_cpu(reason: String) -> Result<Engine, String> {
        let device = Device::flex();
        let (encoder, _) = shipped_encoder(&device).map_err(|e| e.to_string())?;
        Ok(Engine {
            backend: Backend::Cpu,
            reason,
            device,
            encoder,
        })
    }

    /// Compile the GPU kernels of what the app asks most (one drawing at a time: the
    /// calibration ran batches of 8), so a student's first drawing does not wait for them.
    /// Returns the milliseconds it took.
    pub async fn warm_up(&self) -> Result<f64, String> {
        let started = super::now_ms();
        let blank = crate::learn::preprocess::ModelInput {
            pixels: vec![0.0; 28 * 28],
        };
        embed_inputs_async(&self.encoder, &[blank], &self.device).await?;
        Ok(super::now_ms() - started)
    }

    /// The embedding of one drawing.
    pub async fn embed_strokes(&self, strokes: &[Stroke]) -> Result<Vec<f32>, EmbedError> {
        let input = strokes_to_input(strokes).map_err(|e| EmbedError::Input(e.to_string()))?;
        let mut out = embed_inputs_async(&self.encoder, &[input], &self.device)
            .await
            .map_err(EmbedError::Device)?;
        out.pop()
            .ok_or_else(|| EmbedError::Device(text("engine-no-embedding")))
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

/// A WebGPU device (on the page or in a worker).
pub(crate) async fn webgpu_device() -> Result<Device, String> {
    Device::wgpu_options()
        .graphics_api(burn::tensor::wgpu::WgpuBackend::WebGpu)
        .init_async()
        .await
        .map_err(|e| format!("{e:?}"))
}

/// Where the measured choice is remembered (per browser profile, so per device).
const CALIBRATION_KEY: &str = "inkling.backend-calibration";

/// Forget the remembered verdict (the next start measures again).
pub fn forget_calibration() {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(CALIBRATION_KEY);
    }
}
/// Drawings per timed batch: what adding a few examples and testing costs.
const CALIBRATION_BATCH: usize = 8;

/// Time the encoder on the CPU and on WebGPU and keep the faster; the result is cached in
/// localStorage so later visits start at once. Returns the timed encoder of the chosen backend
/// (none when the choice came from the cache).
async fn calibrate(gpu: Device) -> Result<(Backend, Device, String, Option<Encoder>), String> {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(cached) = storage
        .as_ref()
        .and_then(|s| s.get_item(CALIBRATION_KEY).ok().flatten())
    {
        let reason = text_with(
            "engine-measured-earlier",
            &[("verdict", verdict_words(&cached).into())],
        );
        return Ok(if cached.starts_with("webgpu") {
            (Backend::WebGpu, gpu, reason, None)
        } else {
            (Backend::Cpu, Device::flex(), reason, None)
        });
    }
    let cpu = Device::flex();
    let (cpu_encoder, cpu_ms) = time_encoder(&cpu).await?;
    let (gpu_encoder, gpu_ms) = time_encoder(&gpu).await?;
    let (backend, device, encoder) = if gpu_ms < cpu_ms {
        (Backend::WebGpu, gpu, gpu_encoder)
    } else {
        (Backend::Cpu, cpu, cpu_encoder)
    };
    // Stored in English, whatever the UI's language: it is read back by `verdict_words`.
    let verdict = format!(
        "{}: {:.0} ms on WebGPU vs {:.0} ms on the CPU for {CALIBRATION_BATCH} drawings",
        backend.label(),
        gpu_ms,
        cpu_ms
    );
    if let Some(storage) = storage {
        let _ = storage.set_item(CALIBRATION_KEY, &verdict);
    }
    Ok((
        backend,
        device,
        text_with(
            "engine-measured-now",
            &[("verdict", verdict_words(&verdict).into())],
        ),
        Some(encoder),
    ))
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

/// Milliseconds for one batch through the shipped encoder, after a warm-up batch (shader
/// compilation and allocation are not what a student waits for afterwards). Returns the encoder
/// too, so the winner's is not decoded again.
async fn time_encoder(device: &Device) -> Result<(Encoder, f64), String> {
    let (encoder, _) = shipped_encoder(device).map_err(|e| e.to_string())?;
    let pixels: Vec<f32> = (0..28 * 28).map(|i| ((i * 7) % 13) as f32 / 12.0).collect();
    let inputs = vec![crate::learn::preprocess::ModelInput { pixels }; CALIBRATION_BATCH];
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    embed_inputs_async(&encoder, &inputs, device).await?;
    let start = now();
    embed_inputs_async(&encoder, &inputs, device).await?;
    Ok((encoder, now() - start))
}
