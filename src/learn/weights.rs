//! Encoder weights as bytes (burnpack), and the shipped model's card.
//!
//! The app and the CLI load the same file, `public/models/encoder.bpk`, beside its card
//! `public/models/encoder.json` (architecture, training recipe, validation numbers, the command
//! that reproduces it).

use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use burn::tensor::Bytes;
use serde::{Deserialize, Serialize};

use super::encoder::{Encoder, EncoderConfig};

/// The shipped encoder's weights, embedded so the app and the CLI work with no files at hand.
pub const SHIPPED_ENCODER: &[u8] = include_bytes!("../../public/models/encoder.bpk");
/// The shipped encoder's model card (JSON, [`ModelCard`]).
pub const SHIPPED_CARD: &str = include_str!("../../public/models/encoder.json");

/// A short name for the shipped weights (FNV-1a of the bytes): stored embeddings carry it, so
/// they are recomputed when the encoder changes.
pub fn shipped_encoder_id() -> String {
    let hash = SHIPPED_ENCODER
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("encoder-{hash:016x}")
}

#[derive(Debug, thiserror::Error)]
pub enum WeightsError {
    #[error("the weights file is not a valid burnpack file: {0}")]
    Format(String),
    #[error("the weights do not fit the encoder architecture: {0}")]
    Mismatch(String),
    #[error("the model card is not valid: {0}")]
    Card(String),
}

/// Encoder weights to burnpack bytes. Reads tensors synchronously: on WebGPU in the browser,
/// read the parameters asynchronously first (or save from a CPU copy).
pub fn encoder_to_bytes(encoder: &Encoder) -> Result<Vec<u8>, WeightsError> {
    let mut store = BurnpackStore::from_bytes(None);
    encoder
        .save_into(&mut store)
        .map_err(|e| WeightsError::Format(e.to_string()))?;
    let bytes = store
        .get_bytes()
        .map_err(|e| WeightsError::Format(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// A fresh encoder of `config` on `device` with the weights in `bytes`; every tensor of the
/// architecture must be present with its shape, and nothing else.
pub fn encoder_from_bytes(
    config: &EncoderConfig,
    bytes: &[u8],
    device: &Device,
) -> Result<Encoder, WeightsError> {
    let mut encoder = config.init(device);
    let mut store = BurnpackStore::from_bytes(Some(Bytes::from_bytes_vec(bytes.to_vec())));
    let result = encoder
        .load_from(&mut store)
        .map_err(|e| WeightsError::Format(e.to_string()))?;
    if !result.errors.is_empty() || !result.missing.is_empty() || !result.unused.is_empty() {
        return Err(WeightsError::Mismatch(format!(
            "{} errors ({:?}), missing {:?}, unexpected {:?}",
            result.errors.len(),
            result.errors.first().map(|e| e.to_string()),
            result.missing.iter().map(|m| &m.0).collect::<Vec<_>>(),
            result.unused
        )));
    }
    Ok(encoder)
}

/// What the shipped model is and how it was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelCard {
    pub name: String,
    pub architecture: ArchitectureCard,
    pub data: String,
    pub held_out_alphabets: Vec<String>,
    pub algorithm: String,
    pub hyperparameters: serde_json::Value,
    pub validation: serde_json::Value,
    pub training_time: String,
    pub reproduce: String,
    pub weights_bytes: usize,
    /// Held-out numbers measured after training with `inkling eval` (commands included).
    #[serde(default)]
    pub evaluation: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchitectureCard {
    pub channels: usize,
    pub blocks: usize,
    pub input_size: usize,
    pub embedding_dim: usize,
}

impl ModelCard {
    pub fn parse(text: &str) -> Result<Self, WeightsError> {
        serde_json::from_str(text).map_err(|e| WeightsError::Card(e.to_string()))
    }

    pub fn encoder_config(&self) -> EncoderConfig {
        EncoderConfig::new()
            .with_channels(self.architecture.channels)
            .with_blocks(self.architecture.blocks)
    }
}

/// How many numbers the shipped encoder's embeddings have (its card says; a test checks it).
pub fn shipped_embedding_dim() -> usize {
    ModelCard::parse(SHIPPED_CARD)
        .expect("the shipped card parses (tested)")
        .architecture
        .embedding_dim
}

/// The shipped encoder on `device`.
pub fn shipped_encoder(device: &Device) -> Result<(Encoder, ModelCard), WeightsError> {
    let card = ModelCard::parse(SHIPPED_CARD)?;
    let encoder = encoder_from_bytes(&card.encoder_config(), SHIPPED_ENCODER, device)?;
    Ok((encoder, card))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::encoder::batch_inputs;
    use crate::learn::preprocess::{INPUT_SIZE, ModelInput};

    fn sample_input() -> ModelInput {
        ModelInput {
            pixels: (0..INPUT_SIZE * INPUT_SIZE)
                .map(|i| ((i * 7) % 11) as f32 / 10.0)
                .collect(),
        }
    }

    #[test]
    fn the_shipped_weights_decode_into_the_current_architecture() {
        let device = Device::flex();
        let (encoder, card) = shipped_encoder(&device).expect("shipped encoder loads");
        let embedding = encoder.forward(batch_inputs([&sample_input()], &device));
        assert_eq!(embedding.dims(), [1, card.architecture.embedding_dim]);
        assert_eq!(embedding.dims()[1], shipped_embedding_dim());
        assert_eq!(card.weights_bytes, SHIPPED_ENCODER.len());
        assert!(
            SHIPPED_ENCODER.len() < 2 * 1024 * 1024,
            "weights must stay under 2 MB"
        );
        let values: Vec<f32> = embedding.into_data().try_to_vec().unwrap();
        assert!(values.iter().all(|v| v.is_finite()));
        assert!(values.iter().any(|&v| v != 0.0));
    }

    #[test]
    fn weights_round_trip_through_bytes() {
        let device = Device::flex();
        device.seed(3);
        let config = EncoderConfig::new().with_channels(8);
        let encoder = config.init(&device);
        let bytes = encoder_to_bytes(&encoder).unwrap();
        let loaded = encoder_from_bytes(&config, &bytes, &device).unwrap();
        let x = || batch_inputs([&sample_input()], &device);
        let a: Vec<f32> = encoder.forward(x()).into_data().try_to_vec().unwrap();
        let b: Vec<f32> = loaded.forward(x()).into_data().try_to_vec().unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn wrong_weights_are_errors_not_panics() {
        let device = Device::flex();
        let bytes = encoder_to_bytes(&EncoderConfig::new().with_channels(8).init(&device)).unwrap();
        let other = EncoderConfig::new().with_channels(16);
        assert!(encoder_from_bytes(&other, &bytes, &device).is_err());
        let fewer_blocks = EncoderConfig::new().with_channels(8).with_blocks(3);
        assert!(encoder_from_bytes(&fewer_blocks, &bytes, &device).is_err());
        assert!(matches!(
            encoder_from_bytes(&other, b"not a burnpack file", &device),
            Err(WeightsError::Format(_))
        ));
        assert!(ModelCard::parse("{").is_err());
    }
}
