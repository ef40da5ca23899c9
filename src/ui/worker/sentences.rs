//! The sentence model in the worker (the engine build only: feature `text`): its files
//! fetched or read from Cache Storage, each checked against the model's manifest, and decoded
//! on the backend asked for.

use burn::prelude::*;

use super::in_worker::{now_ms, post};
use super::protocol::{Says, TextModelInfo};
use crate::learn::text::bert::BertConfig;
use crate::learn::text::manifest::{MANIFEST, ModelManifest, TOKENIZER};
use crate::learn::text::{F16_WEIGHTS, GPU_TOKEN_BUCKET, SentenceEncoder, SentenceModel};
use crate::ui::download::{delete_other_caches, fetch_cached, fetch_fresh};
use crate::ui::engine::{Backend, webgpu_device};

/// The config file, in a model's folder: its shape (all-MiniLM-L6-v2's where the manifest
/// lists none).
const CONFIG: &str = "config.json";
/// One cache per model and version (this, a dash, its encoder id): a new model never reads an
/// old one's bytes.
const CACHE: &str = "inkling-text-model";
/// Token buckets compiled ahead on a GPU: sentences of up to 32 tokens (most a student types).
pub(super) const WARM_BUCKETS: usize = 2;
/// Progress events at most this many bytes apart (a download arrives in ~64 KiB chunks).
const PROGRESS_STEP: usize = 512 * 1024;

/// The Cache Storage cache of `model`'s files.
fn cache_of(model: SentenceModel) -> String {
    format!("{CACHE}-{}", model.encoder_id())
}

/// Fetch (or read from the cache) sentence model `model`'s files (from `dist/<folder>/`,
/// where `cargo xtask` puts them), each checked against the model's manifest, and decode the
/// model on `backend` (the CPU where this worker finds no GPU).
pub(super) async fn load_text(
    backend: Backend,
    model: SentenceModel,
) -> Result<(SentenceEncoder, TextModelInfo), String> {
    let folder = model.folder();
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
    let cache = cache_of(model);
    let manifest = fetch_fresh(&format!("{folder}/{MANIFEST}"), &cache, |bytes| {
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
        &format!("{folder}/{TOKENIZER}"),
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
        &format!("{folder}/{F16_WEIGHTS}"),
        &cache,
        &digest(F16_WEIGHTS)?,
        progress,
    )
    .await?;
    let config = match manifest.digest(CONFIG) {
        Some(digest) => {
            let file =
                fetch_cached(&format!("{folder}/{CONFIG}"), &cache, digest, |_, _| {}).await?;
            BertConfig::from_json(&file.bytes)?
        }
        None => BertConfig::new(),
    };
    let bytes = tokenizer.bytes.len() + weights.bytes.len();
    let from_cache = tokenizer.from_cache && weights.from_cache;
    let mut encoder = SentenceEncoder::from_bytes_shaped(
        &config,
        weights.bytes,
        false,
        &tokenizer.bytes,
        &device,
    )
    .map_err(|e| e.to_string())?;
    if backend == Backend::WebGpu {
        encoder.token_bucket = GPU_TOKEN_BUCKET;
    }
    // This model works: an older version's files are not needed (the other model's are).
    let current: Vec<String> = SentenceModel::ALL.into_iter().map(cache_of).collect();
    delete_other_caches(CACHE, &current).await;
    let info = TextModelInfo {
        model,
        backend,
        bytes,
        from_cache,
        load_ms: now_ms() - started,
    };
    Ok((encoder, info))
}
