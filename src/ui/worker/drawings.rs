//! The drawing engine, in the worker: the backend chosen (asked for, or measured: the encoder
//! timed on the CPU and on WebGPU, the faster kept), the shipped encoder on it, and embeddings
//! of drawings the page has already made into model inputs. What the page remembers (the
//! verdict, in localStorage) comes in with the request and goes back in the answer.

use burn::prelude::*;

use super::protocol::{DrawingModelInfo, Why, verdict_chose_webgpu};
use crate::learn::encoder::Encoder;
use crate::learn::evaluate::embed_inputs_async;
use crate::learn::preprocess::ModelInput;
use crate::learn::weights::shipped_encoder;
use crate::ui::engine::{Backend, BackendRequest, webgpu_device};

/// Drawings per timed batch: what adding a few examples and testing costs.
const CALIBRATION_BATCH: usize = 8;

pub struct DrawingEngine {
    pub backend: Backend,
    device: Device,
    encoder: Encoder,
}

impl DrawingEngine {
    /// Pick the backend for `request` (`remembered`: the verdict of an earlier measurement)
    /// and load the shipped encoder on it.
    pub async fn load(
        request: BackendRequest,
        remembered: Option<String>,
    ) -> Result<(DrawingEngine, DrawingModelInfo), String> {
        let info = |backend, why, verdict| DrawingModelInfo {
            backend,
            why,
            verdict,
        };
        match request {
            BackendRequest::Cpu => Self::on_cpu(info(Backend::Cpu, Why::CpuAsked, None)),
            BackendRequest::WebGpu => match webgpu_device().await {
                Ok(device) => Self::on(device, info(Backend::WebGpu, Why::WebGpuAsked, None)),
                Err(e) => {
                    // The details are for developers; the student gets the gist.
                    web_sys::console::warn_1(&format!("WebGPU unavailable: {e}").into());
                    Self::on_cpu(info(Backend::Cpu, Why::WebGpuUnavailable, None))
                }
            },
            BackendRequest::Auto => {
                // The CPU measured faster here: no GPU asked for (the page's build has none).
                if let Some(verdict) = &remembered
                    && !verdict_chose_webgpu(verdict)
                {
                    let why = Why::MeasuredEarlier(verdict.clone());
                    return Self::on_cpu(info(Backend::Cpu, why, None));
                }
                let Ok(gpu) = webgpu_device().await else {
                    return Self::on_cpu(info(Backend::Cpu, Why::NoWebGpu, None));
                };
                if let Some(verdict) = remembered {
                    let why = Why::MeasuredEarlier(verdict);
                    return Self::on(gpu, info(Backend::WebGpu, why, None));
                }
                match calibrate(gpu).await {
                    Ok((engine, verdict)) => {
                        let info = info(
                            engine.backend,
                            Why::MeasuredNow(verdict.clone()),
                            Some(verdict),
                        );
                        Ok((engine, info))
                    }
                    // Measuring failed on the GPU: the CPU works everywhere, and the page
                    // forgets any verdict, so the next start measures again.
                    Err(e) => {
                        web_sys::console::warn_1(
                            &format!("WebGPU failed when measured: {e}").into(),
                        );
                        Self::on_cpu(info(Backend::Cpu, Why::WebGpuFailed, None))
                    }
                }
            }
        }
    }

    fn on_cpu(info: DrawingModelInfo) -> Result<(DrawingEngine, DrawingModelInfo), String> {
        Self::on(Device::flex(), info)
    }

    fn on(
        device: Device,
        info: DrawingModelInfo,
    ) -> Result<(DrawingEngine, DrawingModelInfo), String> {
        let (encoder, _) = shipped_encoder(&device).map_err(|e| e.to_string())?;
        let engine = DrawingEngine {
            backend: info.backend,
            device,
            encoder,
        };
        Ok((engine, info))
    }

    /// The embeddings of `inputs` (28x28 pixels each), in order.
    pub async fn embed(&self, inputs: Vec<Vec<f32>>) -> Result<Vec<Vec<f32>>, String> {
        let inputs: Vec<ModelInput> = inputs
            .into_iter()
            .map(|pixels| ModelInput { pixels })
            .collect();
        embed_inputs_async(&self.encoder, &inputs, &self.device).await
    }

    /// Compile the GPU kernels of what the app asks most (one drawing at a time; the
    /// calibration ran batches of 8), so a student's first drawing does not wait for them.
    pub async fn warm_up(&self) -> Result<(), String> {
        self.embed(vec![vec![0.0; 28 * 28]]).await.map(|_| ())
    }
}

/// Time the encoder on the CPU and on WebGPU and keep the faster; the verdict, in English
/// (the page remembers it and puts it into words), says by how much.
async fn calibrate(gpu: Device) -> Result<(DrawingEngine, String), String> {
    let cpu = Device::flex();
    let (cpu_encoder, cpu_ms) = time_encoder(&cpu).await?;
    let (gpu_encoder, gpu_ms) = time_encoder(&gpu).await?;
    let (backend, device, encoder) = if gpu_ms < cpu_ms {
        (Backend::WebGpu, gpu, gpu_encoder)
    } else {
        (Backend::Cpu, cpu, cpu_encoder)
    };
    let verdict = format!(
        "{}: {:.0} ms on WebGPU vs {:.0} ms on the CPU for {CALIBRATION_BATCH} drawings",
        backend.label(),
        gpu_ms,
        cpu_ms
    );
    let engine = DrawingEngine {
        backend,
        device,
        encoder,
    };
    Ok((engine, verdict))
}

/// Milliseconds for one batch through the shipped encoder, after a warm-up batch (shader
/// compilation and allocation are not what a student waits for afterwards). Returns the encoder
/// too, so the winner's is not decoded again.
async fn time_encoder(device: &Device) -> Result<(Encoder, f64), String> {
    let (encoder, _) = shipped_encoder(device).map_err(|e| e.to_string())?;
    let pixels: Vec<f32> = (0..28 * 28).map(|i| ((i * 7) % 13) as f32 / 12.0).collect();
    let inputs = vec![ModelInput { pixels }; CALIBRATION_BATCH];
    embed_inputs_async(&encoder, &inputs, device).await?;
    let start = super::in_worker::now_ms();
    embed_inputs_async(&encoder, &inputs, device).await?;
    Ok((encoder, super::in_worker::now_ms() - start))
}
