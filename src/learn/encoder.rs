//! The sketch encoder: a 4-block convolutional embedding network (Snell et al.'s Conv-4).
//!
//! One definition serves meta-training (natively), evaluation and the browser. Weights ship as a
//! burnpack file under `public/models/` (see [`crate::learn::weights`]).

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d, Relu};
use burn::prelude::*;

use super::preprocess::{INPUT_SIZE, ModelInput};

/// Shape of the encoder.
#[derive(Config, Debug)]
pub struct EncoderConfig {
    /// Channels of every block.
    #[config(default = 64)]
    pub channels: usize,
    /// Number of conv blocks; each halves the resolution (28 -> 14 -> 7 -> 3 -> 1).
    #[config(default = 4)]
    pub blocks: usize,
}

/// conv 3x3 -> batch norm -> ReLU -> max-pool 2x2.
#[derive(Module, Debug)]
pub struct ConvBlock {
    conv: Conv2d,
    norm: BatchNorm,
    activation: Relu,
    pool: MaxPool2d,
}

impl ConvBlock {
    fn new(channels_in: usize, channels_out: usize, device: &Device) -> Self {
        Self {
            conv: Conv2dConfig::new([channels_in, channels_out], [3, 3])
                .with_padding(PaddingConfig2d::Same)
                .init(device),
            norm: BatchNormConfig::new(channels_out).init(device),
            activation: Relu::new(),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
        }
    }

    /// The same block with its batch norm frozen (running statistics, no training), for
    /// fine-tuning on a handful of examples.
    pub fn with_frozen_norm(mut self) -> Self {
        self.norm = self.norm.freeze();
        self
    }

    /// # Shapes
    /// `[batch, c_in, h, w]` -> `[batch, c_out, h / 2, w / 2]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let x = self.conv.forward(x);
        let x = self.norm.forward(x);
        let x = self.activation.forward(x);
        self.pool.forward(x)
    }
}

/// Images to embeddings.
#[derive(Module, Debug)]
pub struct Encoder {
    pub blocks: Vec<ConvBlock>,
}

impl EncoderConfig {
    pub fn init(&self, device: &Device) -> Encoder {
        let blocks = (0..self.blocks)
            .map(|i| {
                let c_in = if i == 0 { 1 } else { self.channels };
                ConvBlock::new(c_in, self.channels, device)
            })
            .collect();
        Encoder { blocks }
    }

    /// Length of the embedding vector for a [`INPUT_SIZE`]² input.
    pub fn embedding_dim(&self) -> usize {
        let mut side = INPUT_SIZE;
        for _ in 0..self.blocks {
            side /= 2;
        }
        self.channels * side * side
    }
}

impl Encoder {
    /// # Shapes
    /// `[batch, 1, 28, 28]` -> `[batch, embedding_dim]`
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let features = self.forward_blocks(images, 0..self.blocks.len());
        flatten(features)
    }

    /// Run only `range` of the blocks (fine-tuning keeps the early blocks' output fixed).
    pub fn forward_blocks(&self, mut x: Tensor<4>, range: std::ops::Range<usize>) -> Tensor<4> {
        for block in &self.blocks[range] {
            x = block.forward(x);
        }
        x
    }

    pub fn num_blocks(&self) -> usize {
        self.blocks.len()
    }
}

/// `[batch, c, h, w]` -> `[batch, c * h * w]`
pub fn flatten(x: Tensor<4>) -> Tensor<2> {
    let [batch, c, h, w] = x.dims();
    x.reshape([batch, c * h * w])
}

/// Stack model inputs into a batch.
///
/// # Shapes
/// -> `[inputs.len(), 1, 28, 28]`
pub fn batch_inputs<'a>(
    inputs: impl IntoIterator<Item = &'a ModelInput>,
    device: &Device,
) -> Tensor<4> {
    let mut data = Vec::new();
    let mut n = 0;
    for input in inputs {
        data.extend_from_slice(&input.pixels);
        n += 1;
    }
    Tensor::from_data(
        TensorData::new(data, [n, 1, INPUT_SIZE, INPUT_SIZE]),
        device,
    )
}
