//! What the page and the engine's worker say to each other: plain data (serde), carried by
//! `postMessage` as JavaScript objects. Every request has an id; its one answer carries the
//! same id. Events (download progress) carry none.

use serde::{Deserialize, Serialize};

use crate::learn::finetune::HeadWeights;
use crate::learn::text::SentenceModel;
use crate::ui::engine::{Backend, BackendRequest};

/// A request from the page, numbered by it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub id: u32,
    pub ask: Ask,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Ask {
    /// Choose the drawing engine's backend for `request` (`remembered`: the verdict of an
    /// earlier measurement, kept by the page) and load the shipped encoder on it.
    LoadDrawings {
        request: BackendRequest,
        remembered: Option<String>,
    },
    /// The embeddings of drawings made into model inputs (28x28 pixels each) by the page.
    EmbedDrawings { inputs: Vec<Vec<f32>> },
    /// Fetch (or read from Cache Storage) and decode sentence model `model` on `backend`
    /// (in place of any other the worker holds).
    LoadText {
        backend: Backend,
        model: SentenceModel,
    },
    /// The embeddings of these sentences, in order, by `model` (refused if another is loaded).
    EmbedSentences {
        model: SentenceModel,
        sentences: Vec<String>,
    },
    /// Start Improve's run `run` on `set` (dropping any other run).
    TuneStart { run: u32, set: TrainingRows },
    /// One step of run `run`: its loss.
    TuneStep { run: u32 },
    /// The head of run `run` as trained so far.
    TuneHead { run: u32 },
    /// Run `run` is over (done or cancelled): drop it.
    TuneEnd { run: u32 },
    /// Fail as a bug in the worker would (a panic): how the page's handling of a worker that
    /// stops is tested (the page sends it only when `inklingCrashEngine` asks, see
    /// `EngineWorker::ask`).
    Crash,
}

/// A message from the worker: the answer to request `id`, or an event (`id` none).
#[derive(Debug, Serialize, Deserialize)]
pub struct Message {
    pub id: Option<u32>,
    pub says: Says,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Says {
    /// The worker runs and takes requests (sent once, first).
    Ready,
    /// Bytes of the sentence model's weights so far, and the total if known.
    Progress {
        done: usize,
        total: Option<usize>,
    },
    DrawingsLoaded(DrawingModelInfo),
    TextLoaded(TextModelInfo),
    /// The model's GPU kernels for what is asked most (one drawing; the usual sentence
    /// lengths) are compiled (in the background, after it loaded), in this many milliseconds.
    WarmedUp {
        ms: f64,
    },
    Embeddings(Vec<Vec<f32>>),
    /// An Improve run started, or ended.
    Tuning,
    /// A step of an Improve run: its loss.
    Stepped {
        loss: f32,
    },
    /// An Improve run's head.
    Head(HeadWeights),
    /// The request failed; the words are for developers (the page says the gist).
    Failed(String),
}

/// What Improve trains a head on, on the CPU: the examples' embeddings (`rows`, `dim` numbers
/// each, row after row), their labels (`0..classes`) and the learning rate.
#[derive(Debug, Serialize, Deserialize)]
pub struct TrainingRows {
    pub rows: Vec<f32>,
    pub dim: usize,
    pub labels: Vec<usize>,
    pub classes: usize,
    pub learning_rate: f64,
}

/// The loaded sentence model, as the page shows it (and tests read it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextModelInfo {
    /// Which model it is.
    pub model: SentenceModel,
    /// Where it runs: the backend asked for, or the CPU where the worker found no GPU.
    pub backend: Backend,
    /// Bytes of the weights and the tokenizer.
    pub bytes: usize,
    /// Whether both files came from the cache (no network used).
    pub from_cache: bool,
    /// Milliseconds from the request until the model was ready.
    pub load_ms: f64,
}

/// The loaded drawing engine.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DrawingModelInfo {
    pub backend: Backend,
    /// Why this backend (the page puts it into words).
    pub why: Why,
    /// A verdict measured now, for the page to remember (the next start believes it).
    pub verdict: Option<String>,
}

/// Whether a calibration verdict (`webgpu: 12 ms on WebGPU vs 30 ms on the CPU for 8
/// drawings`, made by the worker, kept by the page) chose WebGPU.
pub fn verdict_chose_webgpu(verdict: &str) -> bool {
    verdict.starts_with("webgpu")
}

/// Why the drawing engine runs where it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Why {
    CpuAsked,
    WebGpuAsked,
    /// WebGPU was asked for, and this browser has none.
    WebGpuUnavailable,
    /// `auto`, and this browser has no WebGPU.
    NoWebGpu,
    /// `auto`, and WebGPU failed when measured (the page forgets any verdict).
    WebGpuFailed,
    /// The verdict of an earlier measurement, believed.
    MeasuredEarlier(String),
    /// Measured on this start: the verdict.
    MeasuredNow(String),
}
