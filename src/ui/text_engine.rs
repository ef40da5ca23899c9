//! The sentence encoder in the browser (text projects): its files are fetched once, with
//! progress, kept in Cache Storage for offline use, each checked against the model's manifest
//! (size and sha256) whether cached or downloaded, and the model runs on the device the
//! drawing engine chose by measurement (WebGPU or the CPU).

use std::rc::Rc;

use burn::prelude::*;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::download::{delete_other_caches, fetch_cached, fetch_fresh};
use super::i18n::{Said, said_with};
use crate::learn::text::manifest::{MANIFEST, ModelManifest, TOKENIZER};
use crate::learn::text::{F16_WEIGHTS, SentenceEncoder, TEXT_ENCODER_ID};

/// Where `cargo xtask` puts the model's files in the built app (`dist/text-model/`).
const MODEL_DIR: &str = "text-model";
/// One cache per model version: a new model never reads an old one's bytes.
const CACHE: &str = "inkling-text-model";

pub struct TextEngine {
    pub encoder: SentenceEncoder,
    /// Bytes of the weights and the tokenizer.
    pub bytes: usize,
    /// Whether both files came from the cache (no network used).
    pub from_cache: bool,
    /// Milliseconds from the start of loading until the model was ready.
    pub load_ms: f64,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl TextEngine {
    /// Fetch (or read from the cache) and decode the model on `device`; `progress` gets
    /// `(bytes so far, total if known)` of the weights as they arrive.
    pub async fn load(
        device: &Device,
        progress: impl Fn(usize, Option<usize>),
    ) -> Result<TextEngine, String> {
        let started = now_ms();
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
        let weights = fetch_cached(
            &format!("{MODEL_DIR}/{F16_WEIGHTS}"),
            &cache,
            &digest(F16_WEIGHTS)?,
            progress,
        )
        .await?;
        let bytes = tokenizer.bytes.len() + weights.bytes.len();
        let from_cache = tokenizer.from_cache && weights.from_cache;
        let encoder = SentenceEncoder::from_bytes(weights.bytes, false, &tokenizer.bytes, device)
            .map_err(|e| e.to_string())?;
        // This model works: an older model's files (another version's cache) are not needed.
        delete_other_caches(CACHE, &cache).await;
        Ok(TextEngine {
            encoder,
            bytes,
            from_cache,
            load_ms: now_ms() - started,
        })
    }
}

/// The app's one sentence encoder: loaded on first need (a text project or a text lesson),
/// shared by every view that needs it.
#[derive(Clone, Copy)]
pub struct TextModel {
    pub engine: RwSignal<Option<Rc<TextEngine>>, LocalStorage>,
    /// `(bytes so far, total)` of the weights while they download.
    pub progress: RwSignal<Option<(usize, Option<usize>)>>,
    loading: StoredValue<bool>,
    /// Counts [`TextModel::drop_model`]s: a load begun before the last one lands nowhere (it
    /// runs on a device given up since).
    generation: StoredValue<u32>,
    status: RwSignal<Said>,
}

impl TextModel {
    pub fn new(status: RwSignal<Said>) -> Self {
        TextModel {
            engine: RwSignal::new_local(None),
            progress: RwSignal::new(None),
            loading: StoredValue::new(false),
            generation: StoredValue::new(0),
            status,
        }
    }

    /// Start loading the model on `device`, unless it is loaded or loading.
    pub fn ensure(self, device: Device) {
        if self.engine.with_untracked(Option::is_some) || self.loading.get_value() {
            return;
        }
        self.loading.set_value(true);
        self.progress.set(Some((0, None)));
        let generation = self.generation.get_value();
        spawn_local(async move {
            let progress = move |done: usize, total: Option<usize>| {
                self.progress.set(Some((done, total)));
            };
            let loaded = TextEngine::load(&device, progress).await;
            if self.generation.try_get_value() != Some(generation) {
                // Dropped meanwhile (its device failed): the next need loads it again.
                return;
            }
            match loaded {
                Ok(loaded) => {
                    self.status.set(said_with(
                        "text-model-ready",
                        &[
                            ("mb", format!("{:.1}", loaded.bytes as f64 / 1e6).into()),
                            ("seconds", format!("{:.1}", loaded.load_ms / 1000.0).into()),
                        ],
                    ));
                    self.engine.set(Some(Rc::new(loaded)));
                }
                Err(e) => {
                    self.status
                        .set(said_with("text-model-failed", &[("error", e.into())]));
                    // The next need tries again.
                    self.loading.set_value(false);
                }
            }
            self.progress.set(None);
        });
    }

    /// Give up the loaded model (or the load under way): its device failed. The next need
    /// ([`TextModel::ensure`]) loads it again, on the device it is given then.
    pub fn drop_model(self) {
        self.generation.update_value(|g| *g += 1);
        self.loading.set_value(false);
        self.progress.set(None);
        self.engine.set(None);
    }
}
