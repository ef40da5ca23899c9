//! Fine-tuning on the student's own examples: a prototype-initialised linear head (and
//! optionally the encoder's last block) trained with Adam, one step per call, so a UI can show
//! progress and cancel between steps. Every read is asynchronous, so it runs on WebGPU.
//!
//! The head starts as the prototype classifier itself: logits `2 c_k . z - |c_k|^2` rank classes
//! exactly as `-|z - c_k|^2` does (Triantafillou et al.'s Proto-MAML initialisation), so step 0
//! is the prototype model and every step can only sharpen it on the student's data.

use burn::module::Param;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;

use super::encoder::{ConvBlock, Encoder, flatten};

#[derive(Config, Debug)]
pub struct FineTuneConfig {
    #[config(default = 1e-3)]
    pub learning_rate: f64,
    /// Also train the encoder's last conv block (its batch norm stays frozen: a handful of
    /// examples is no batch to estimate statistics from).
    #[config(default = false)]
    pub train_last_block: bool,
    /// Steps a full "improve" run takes (the caller may stop earlier).
    #[config(default = 15)]
    pub steps: usize,
}

/// A linear classifier over embeddings, `logits = z W + b`.
#[derive(Module, Debug)]
pub struct PrototypeHead {
    /// `[embedding_dim, classes]`
    pub weight: Param<Tensor<2>>,
    /// `[classes]`
    pub bias: Param<Tensor<1>>,
}

impl PrototypeHead {
    /// `W = 2 C^T`, `b_k = -|c_k|^2` for prototypes `C`: `[classes, embedding_dim]`.
    pub fn from_prototypes(prototypes: Tensor<2>) -> Self {
        let prototypes = prototypes.detach();
        let [classes, _] = prototypes.dims();
        let bias = prototypes
            .clone()
            .powi_scalar(2)
            .sum_dim(1)
            .reshape([classes])
            .neg();
        Self {
            // Parameters must be leaves: detach the computed values.
            weight: Param::from_tensor(prototypes.transpose().mul_scalar(2.0).detach()),
            bias: Param::from_tensor(bias.detach()),
        }
    }

    /// # Shapes
    /// `[batch, dim]` -> `[batch, classes]`
    pub fn forward(&self, embeddings: Tensor<2>) -> Tensor<2> {
        embeddings.matmul(self.weight.val()) + self.bias.val().unsqueeze_dim(0)
    }
}

/// A trained head read off the device, as plain numbers: what the store keeps, and what
/// answers from an embedding on the CPU (a `[dim] x [dim, classes]` product is no work).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HeadWeights {
    pub dim: usize,
    pub classes: usize,
    /// `[dim, classes]`, row-major.
    pub weight: Vec<f32>,
    /// `[classes]`
    pub bias: Vec<f32>,
}

impl HeadWeights {
    pub fn new(
        dim: usize,
        classes: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    ) -> Result<Self, String> {
        if weight.len() != dim * classes || bias.len() != classes {
            return Err(format!(
                "a {dim}x{classes} head needs {} weights and {classes} biases, found {} and {}",
                dim * classes,
                weight.len(),
                bias.len()
            ));
        }
        Ok(Self {
            dim,
            classes,
            weight,
            bias,
        })
    }

    /// Softmax over the head's logits for one embedding (of length `dim`).
    pub fn probabilities(&self, embedding: &[f32]) -> Vec<f32> {
        let logits: Vec<f32> = (0..self.classes)
            .map(|k| {
                self.bias[k]
                    + embedding
                        .iter()
                        .enumerate()
                        .map(|(i, z)| z * self.weight[i * self.classes + k])
                        .sum::<f32>()
            })
            .collect();
        let max = logits.iter().copied().fold(f32::MIN, f32::max);
        let exp: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
        let total: f32 = exp.iter().sum();
        exp.iter().map(|e| e / total).collect()
    }
}

/// Mean embedding per class.
///
/// # Shapes
/// `embeddings: [n, dim]`, `labels` of length n with values in `0..classes` -> `[classes, dim]`
pub fn class_means(embeddings: Tensor<2>, labels: &[usize], classes: usize) -> Tensor<2> {
    let device = embeddings.device();
    let n = labels.len();
    let mut assign = vec![0.0f32; classes * n];
    let mut counts = vec![0usize; classes];
    for &l in labels {
        counts[l] += 1;
    }
    for (i, &l) in labels.iter().enumerate() {
        assign[l * n + i] = 1.0 / counts[l].max(1) as f32;
    }
    let assign = Tensor::<2>::from_data(TensorData::new(assign, [classes, n]), &device);
    assign.matmul(embeddings)
}

/// Squared Euclidean distances between rows.
///
/// # Shapes
/// `a: [n, d]`, `b: [m, d]` -> `[n, m]`
pub fn squared_distances(a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
    let [n, _] = a.dims();
    let [m, _] = b.dims();
    let a2 = a.clone().powi_scalar(2).sum_dim(1); // [n, 1]
    let b2 = b.clone().powi_scalar(2).sum_dim(1).reshape([1, m]); // [1, m]
    let ab = a.matmul(b.transpose()); // [n, m]
    (a2.expand([n, m]) + b2.expand([n, m]) - ab.mul_scalar(2.0)).clamp_min(0.0)
}

/// What fine-tuning trains: the optional last block and the head.
#[derive(Module, Debug)]
pub struct Adapter {
    pub last_block: Option<ConvBlock>,
    pub head: PrototypeHead,
}

impl Adapter {
    /// Features of the frozen blocks to logits.
    ///
    /// # Shapes
    /// `[batch, c, h, w]` -> `[batch, classes]`
    pub fn forward(&self, features: Tensor<4>) -> Tensor<2> {
        let features = match &self.last_block {
            Some(block) => block.forward(features),
            None => features,
        };
        self.head.forward(flatten(features))
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FineTuneError {
    #[error("fine-tuning needs at least 2 classes, found {0}")]
    TooFewClasses(usize),
    #[error("{labels} labels for {examples} examples")]
    LengthMismatch { labels: usize, examples: usize },
    #[error("label {label} is not a class (there are {classes})")]
    NoSuchClass { label: usize, classes: usize },
    #[error("class {0} has no example")]
    EmptyClass(usize),
    #[error("the encoder has no block to train")]
    NoBlocks,
}

/// Every class has an example and every label is a class.
pub(crate) fn check_labels(
    labels: &[usize],
    examples: usize,
    classes: usize,
) -> Result<(), FineTuneError> {
    if classes < 2 {
        return Err(FineTuneError::TooFewClasses(classes));
    }
    if labels.len() != examples {
        return Err(FineTuneError::LengthMismatch {
            labels: labels.len(),
            examples,
        });
    }
    if let Some(&label) = labels.iter().find(|&&l| l >= classes) {
        return Err(FineTuneError::NoSuchClass { label, classes });
    }
    match (0..classes).find(|k| !labels.contains(k)) {
        Some(k) => Err(FineTuneError::EmptyClass(k)),
        None => Ok(()),
    }
}

/// A fine-tuning run in progress. Lives on an autodiff device.
pub struct FineTuner {
    adapter: Adapter,
    optimizer: ModuleOptimizer,
    /// Output of the frozen blocks for the training examples (a constant).
    features: Tensor<4>,
    targets: Tensor<1, Int>,
    learning_rate: f64,
    frozen_blocks: usize,
    steps_done: usize,
}

impl FineTuner {
    /// Start fine-tuning `encoder` (on an autodiff device) on `images` labelled `labels`
    /// (each in `0..classes`; every class needs at least one example).
    ///
    /// # Shapes
    /// `images: [n, 1, 28, 28]`
    pub fn new(
        encoder: &Encoder,
        images: Tensor<4>,
        labels: &[usize],
        classes: usize,
        config: &FineTuneConfig,
    ) -> Result<Self, FineTuneError> {
        check_labels(labels, images.dims()[0], classes)?;
        let blocks = encoder.num_blocks();
        if blocks == 0 {
            return Err(FineTuneError::NoBlocks);
        }
        let frozen_blocks = if config.train_last_block {
            blocks - 1
        } else {
            blocks
        };
        let frozen = encoder.clone().freeze();
        let features = frozen.forward_blocks(images, 0..frozen_blocks).detach();
        let last_block = config
            .train_last_block
            .then(|| encoder.blocks[blocks - 1].clone().with_frozen_norm());
        let embeddings = match &last_block {
            Some(block) => flatten(block.forward(features.clone())),
            None => flatten(features.clone()),
        };
        let prototypes = class_means(embeddings.detach(), labels, classes);
        Ok(Self::start(
            Adapter {
                last_block,
                head: PrototypeHead::from_prototypes(prototypes),
            },
            features,
            labels,
            config.learning_rate,
            frozen_blocks,
        ))
    }

    /// Head-only fine-tuning on fixed embeddings (`[n, dim]`, on an autodiff device).
    pub fn on_embeddings(
        embeddings: Tensor<2>,
        labels: &[usize],
        classes: usize,
        learning_rate: f64,
    ) -> Result<Self, FineTuneError> {
        check_labels(labels, embeddings.dims()[0], classes)?;
        let embeddings = embeddings.detach();
        let prototypes = class_means(embeddings.clone(), labels, classes);
        let [n, d] = embeddings.dims();
        Ok(Self::start(
            Adapter {
                last_block: None,
                head: PrototypeHead::from_prototypes(prototypes),
            },
            embeddings.reshape([n, d, 1, 1]),
            labels,
            learning_rate,
            usize::MAX,
        ))
    }

    fn start(
        adapter: Adapter,
        features: Tensor<4>,
        labels: &[usize],
        learning_rate: f64,
        frozen_blocks: usize,
    ) -> Self {
        let device = features.device();
        let targets: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
        Self {
            adapter,
            optimizer: AdamConfig::new().init(),
            features,
            targets: Tensor::from_ints(targets.as_slice(), &device),
            learning_rate,
            frozen_blocks,
            steps_done: 0,
        }
    }

    /// One Adam step on all training examples; returns the loss before the step (read
    /// asynchronously, so the browser never blocks), or why it could not be read.
    pub async fn step(&mut self) -> Result<f32, String> {
        let loss = self.step_loss();
        let data = loss.into_data_async().await.map_err(|e| format!("{e:?}"))?;
        let values: Vec<f32> = data.try_to_vec().map_err(|e| format!("{e:?}"))?;
        values.first().copied().ok_or_else(|| "empty loss".into())
    }

    /// One step; the loss as a tensor (for callers that read it their own way).
    pub fn step_loss(&mut self) -> Tensor<1> {
        let logits = self.adapter.forward(self.features.clone());
        let loss = CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits, self.targets.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &self.adapter);
        let adapter = self.adapter.clone();
        self.adapter = self.optimizer.step(self.learning_rate, adapter, grads);
        self.steps_done += 1;
        loss.detach()
    }

    /// The head's weights, read asynchronously. Only for runs that train the head alone (with
    /// a trained last block the head's input is no longer the encoder's embedding).
    pub async fn head_weights(&self) -> Result<HeadWeights, String> {
        if self.adapter.last_block.is_some() {
            return Err(
                "this run also trains the last block; its head alone is not the model".into(),
            );
        }
        let read = |data: TensorData| data.try_to_vec::<f32>().map_err(|e| format!("{e:?}"));
        let [dim, classes] = self.adapter.head.weight.val().dims();
        let weight = self.adapter.head.weight.val().into_data_async().await;
        let weight = read(weight.map_err(|e| format!("{e:?}"))?)?;
        let bias = self.adapter.head.bias.val().into_data_async().await;
        let bias = read(bias.map_err(|e| format!("{e:?}"))?)?;
        HeadWeights::new(dim, classes, weight, bias)
    }

    pub fn steps_done(&self) -> usize {
        self.steps_done
    }

    /// The adapter trained so far (still on the autodiff device).
    pub fn adapter(&self) -> &Adapter {
        &self.adapter
    }

    /// Blocks of the encoder that run before the adapter (`usize::MAX` when the adapter works on
    /// ready-made embeddings).
    pub fn frozen_blocks(&self) -> usize {
        self.frozen_blocks
    }

    /// Logits for new images (on the same autodiff device), without tracking gradients.
    ///
    /// # Shapes
    /// `[n, 1, 28, 28]` -> `[n, classes]`
    pub fn classify(&self, encoder: &Encoder, images: Tensor<4>) -> Tensor<2> {
        let frozen = encoder.clone().freeze();
        let blocks = self.frozen_blocks.min(encoder.num_blocks());
        let features = frozen.forward_blocks(images, 0..blocks).detach();
        self.adapter.clone().freeze().forward(features).detach()
    }

    /// Logits for embeddings (head-only runs).
    pub fn classify_embeddings(&self, embeddings: Tensor<2>) -> Tensor<2> {
        let [n, d] = embeddings.dims();
        self.adapter
            .clone()
            .freeze()
            .forward(embeddings.detach().reshape([n, d, 1, 1]))
            .detach()
    }
}
