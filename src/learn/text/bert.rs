//! all-MiniLM-L6-v2 as a burn module: BERT (6 post-norm layers, 384 wide, 12 heads, exact-erf
//! GELU, layer-norm epsilon 1e-12) with mean pooling over the tokens and L2 normalisation.
//! Built from burn's own `TransformerEncoder`; the PyTorch weights map onto it by key renames
//! (`load_safetensors`) and are kept for the browser as an f16 burnpack (`to_f16_burnpack`,
//! `from_burnpack`).

use burn::nn::transformer::{TransformerEncoder, TransformerEncoderConfig};
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig};
use burn::prelude::*;
use burn::store::{
    BurnpackStore, HalfPrecisionAdapter, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore,
};
use burn::tensor::Bytes;

/// The shape of the model (config.json of all-MiniLM-L6-v2).
#[derive(Config, Debug)]
pub struct BertConfig {
    #[config(default = 30522)]
    pub vocab_size: usize,
    #[config(default = 384)]
    pub hidden: usize,
    #[config(default = 6)]
    pub layers: usize,
    #[config(default = 12)]
    pub heads: usize,
    #[config(default = 1536)]
    pub intermediate: usize,
    #[config(default = 512)]
    pub max_positions: usize,
    #[config(default = 2)]
    pub token_types: usize,
    #[config(default = 1e-12)]
    pub layer_norm_eps: f64,
}

impl BertConfig {
    /// The shape a published `config.json` states (HuggingFace's field names); a field it
    /// lacks keeps all-MiniLM-L6-v2's value.
    pub fn from_json(bytes: &[u8]) -> Result<BertConfig, String> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("config.json: {e}"))?;
        let size = |key: &str, default: usize| -> Result<usize, String> {
            match v.get(key) {
                None => Ok(default),
                Some(n) => n
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|&n| (1..=1 << 20).contains(&n))
                    .ok_or_else(|| format!("config.json: `{key}` is {n}, not a size")),
            }
        };
        let d = BertConfig::new();
        let config = BertConfig::new()
            .with_vocab_size(size("vocab_size", d.vocab_size)?)
            .with_hidden(size("hidden_size", d.hidden)?)
            .with_layers(size("num_hidden_layers", d.layers)?)
            .with_heads(size("num_attention_heads", d.heads)?)
            .with_intermediate(size("intermediate_size", d.intermediate)?)
            .with_max_positions(size("max_position_embeddings", d.max_positions)?)
            .with_token_types(size("type_vocab_size", d.token_types)?)
            .with_layer_norm_eps(
                v.get("layer_norm_eps")
                    .and_then(serde_json::Value::as_f64)
                    .unwrap_or(d.layer_norm_eps),
            );
        if !config.hidden.is_multiple_of(config.heads) {
            return Err(format!(
                "config.json: {} heads do not divide a width of {}",
                config.heads, config.hidden
            ));
        }
        Ok(config)
    }
}

#[derive(Module, Debug)]
pub struct Embeddings {
    pub word_embeddings: Embedding,
    pub position_embeddings: Embedding,
    pub token_type_embeddings: Embedding,
    pub layer_norm: LayerNorm,
}

/// Token ids to one normalised vector per sentence.
#[derive(Module, Debug)]
pub struct Bert {
    pub embeddings: Embeddings,
    pub encoder: TransformerEncoder,
}

impl BertConfig {
    pub fn init(&self, device: &Device) -> Bert {
        Bert {
            embeddings: Embeddings {
                word_embeddings: EmbeddingConfig::new(self.vocab_size, self.hidden).init(device),
                position_embeddings: EmbeddingConfig::new(self.max_positions, self.hidden)
                    .init(device),
                token_type_embeddings: EmbeddingConfig::new(self.token_types, self.hidden)
                    .init(device),
                layer_norm: LayerNormConfig::new(self.hidden)
                    .with_epsilon(self.layer_norm_eps)
                    .init(device),
            },
            encoder: TransformerEncoderConfig::new(
                self.hidden,
                self.intermediate,
                self.heads,
                self.layers,
            )
            .with_norm_first(false)
            .with_dropout(0.0)
            .with_layer_norm_eps(self.layer_norm_eps)
            .init(device),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BertWeightsError {
    #[error("the weights file cannot be read: {0}")]
    Format(String),
    #[error("the weights do not fit the model: {0}")]
    Mismatch(String),
}

fn check(result: burn::store::ApplyResult, allow_unused: bool) -> Result<(), BertWeightsError> {
    if !result.errors.is_empty()
        || !result.missing.is_empty()
        || !(allow_unused || result.unused.is_empty())
    {
        return Err(BertWeightsError::Mismatch(format!(
            "{} errors ({:?}), missing {:?}, unexpected {:?}",
            result.errors.len(),
            result.errors.first().map(|e| e.to_string()),
            result.missing.iter().map(|m| &m.0).collect::<Vec<_>>(),
            result.unused
        )));
    }
    Ok(())
}

impl Bert {
    /// The published PyTorch weights (`model.safetensors`), renamed onto this module; the
    /// checkpoint's pooler and position-id buffer are not used.
    pub fn load_safetensors(
        config: &BertConfig,
        bytes: Vec<u8>,
        device: &Device,
    ) -> Result<Bert, BertWeightsError> {
        let layer = r"^encoder\.layer\.(\d+)\.";
        let mut store = SafetensorsStore::from_bytes(Some(bytes))
            .with_from_adapter(PyTorchToBurnAdapter)
            .with_key_remapping(
                format!(r"{layer}attention\.self\.(query|key|value)\."),
                "encoder.layers.$1.mha.$2.",
            )
            .with_key_remapping(
                format!(r"{layer}attention\.output\.dense\."),
                "encoder.layers.$1.mha.output.",
            )
            .with_key_remapping(
                format!(r"{layer}attention\.output\.LayerNorm\."),
                "encoder.layers.$1.norm_1.",
            )
            .with_key_remapping(
                format!(r"{layer}intermediate\.dense\."),
                "encoder.layers.$1.pwff.linear_inner.",
            )
            .with_key_remapping(
                format!(r"{layer}output\.dense\."),
                "encoder.layers.$1.pwff.linear_outer.",
            )
            .with_key_remapping(
                format!(r"{layer}output\.LayerNorm\."),
                "encoder.layers.$1.norm_2.",
            )
            .with_key_remapping(r"^embeddings\.LayerNorm\.", "embeddings.layer_norm.");
        let mut model = config.init(device);
        let result = model
            .load_from(&mut store)
            .map_err(|e| BertWeightsError::Format(e.to_string()))?;
        check(result, true)?;
        Ok(model)
    }

    /// This model as a burnpack file with f16 weights (half the bytes of f32; what the browser
    /// downloads).
    pub fn to_f16_burnpack(&self) -> Result<Vec<u8>, BertWeightsError> {
        let mut store =
            BurnpackStore::from_bytes(None).with_to_adapter(HalfPrecisionAdapter::new());
        self.save_into(&mut store)
            .map_err(|e| BertWeightsError::Format(e.to_string()))?;
        let bytes = store
            .get_bytes()
            .map_err(|e| BertWeightsError::Format(e.to_string()))?;
        Ok(bytes.to_vec())
    }

    /// A model from a burnpack file (f16 or f32 weights; computed in f32).
    pub fn from_burnpack(
        config: &BertConfig,
        bytes: Vec<u8>,
        device: &Device,
    ) -> Result<Bert, BertWeightsError> {
        let mut model = config.init(device);
        let mut store = BurnpackStore::from_bytes(Some(Bytes::from_bytes_vec(bytes)))
            .with_from_adapter(HalfPrecisionAdapter::new());
        let result = model
            .load_from(&mut store)
            .map_err(|e| BertWeightsError::Format(e.to_string()))?;
        check(result, false)?;
        Ok(model)
    }

    /// # Shapes
    /// `ids`: `[batch, tokens]`, `padding`: `[batch, tokens]` (true where there is no token)
    /// -> `[batch, hidden]`, each row of length 1.
    pub fn forward(&self, ids: Tensor<2, Int>, padding: Tensor<2, Bool>) -> Tensor<2> {
        let x = self.hidden_states(ids, padding.clone(), self.encoder.layers.len());
        mean_pool(x, padding)
    }

    /// Token states after the embeddings and the first `layers` layers (what fine-tuning the
    /// last layers starts from, computed once).
    ///
    /// # Shapes
    /// `[batch, tokens]` x2 -> `[batch, tokens, hidden]`
    pub fn hidden_states(
        &self,
        ids: Tensor<2, Int>,
        padding: Tensor<2, Bool>,
        layers: usize,
    ) -> Tensor<3> {
        let [batch, tokens] = ids.dims();
        let device = ids.device();
        let positions = Tensor::<1, Int>::arange(0..tokens as i64, &device)
            .unsqueeze_dim::<2>(0)
            .repeat_dim(0, batch);
        let types = Tensor::<2, Int>::zeros([batch, tokens], &device);
        let e = &self.embeddings;
        let x = e.word_embeddings.forward(ids)
            + e.position_embeddings.forward(positions)
            + e.token_type_embeddings.forward(types);
        let mut x = e.layer_norm.forward(x);
        for layer in self.encoder.layers.iter().take(layers) {
            x = layer.forward(x, Some(padding.clone()), None);
        }
        x
    }
}

/// Mean over the real tokens, then unit length.
///
/// # Shapes
/// `x: [batch, tokens, hidden]`, `padding: [batch, tokens]` -> `[batch, hidden]`
pub fn mean_pool(x: Tensor<3>, padding: Tensor<2, Bool>) -> Tensor<2> {
    let keep = padding.bool_not().float().unsqueeze_dim::<3>(2);
    let summed = (x * keep.clone()).sum_dim(1).squeeze_dim::<2>(1);
    let counts = keep.sum_dim(1).squeeze_dim::<2>(1).clamp_min(1.0);
    let mean = summed / counts;
    let norm = mean
        .clone()
        .powi_scalar(2)
        .sum_dim(1)
        .sqrt()
        .clamp_min(1e-12);
    mean / norm
}
