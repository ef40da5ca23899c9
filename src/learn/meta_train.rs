//! Episodic meta-training of the encoder (native): prototypical networks (default) or
//! first-order Proto-MAML, on stroke drawings re-rendered with random distortions, validated on
//! held-out alphabets, checkpointed so a stopped run resumes.
//!
//! Reproducible: the episode and the distortions of step `s` come from a generator seeded by
//! `(seed, s)`, so a resumed run sees exactly the episodes an uninterrupted one would. (Adam's
//! moment estimates restart from zero on resume; that is the one difference.)
//!
//! Any burn device trains ([`TrainingDevice`]): the same code, the same episodes and the same
//! initial weights (drawn on the CPU, then moved), so a GPU run is the CPU's run, apart only
//! through rounding (`tests/meta_train.rs` checks one against the other).

use std::path::{Path, PathBuf};

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use serde::{Deserialize, Serialize};

use super::dataset::{Augmentation, Dataset};
use super::encoder::{Encoder, EncoderConfig, batch_inputs};
use super::episodes::{EpisodeSampler, EpisodeSpec};
use super::evaluate::{Adaptation, EmbeddedSet, embed_inputs, episode_accuracies};
use super::finetune::{FineTuner, class_means, squared_distances};
use super::metrics::{MeanWithCi, mean_with_ci95};
use super::preprocess::{Distortion, ModelInput};
use super::weights::{encoder_from_bytes, encoder_to_bytes};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// Prototypical networks (Snell et al., 2017).
    Proto,
    /// First-order Proto-MAML: a prototype-initialised head adapted by a few Adam steps on the
    /// support set, the encoder updated by the query loss at the adapted head (Triantafillou
    /// et al., 2020, first-order, head-only inner loop).
    FoMaml,
}

/// Where meta-training runs. The CPU is always there; `wgpu` is burn's wgpu runtime (Vulkan,
/// Metal or DX12, with the browser's WGSL kernels); `cuda` needs the `cuda` cargo feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrainingDevice {
    /// burn's flex backend on every core.
    Cpu,
    /// The default wgpu adapter (`CUBECL_WGPU_DEFAULT_DEVICE` chooses another).
    Wgpu,
    /// The first CUDA GPU (build with `--features cuda`).
    Cuda,
}

impl TrainingDevice {
    /// The device, or why it cannot be had here. wgpu looks for an adapter now; CUDA is
    /// found at its first use.
    pub fn init(self) -> Result<Device, String> {
        match self {
            Self::Cpu => Ok(Device::flex()),
            Self::Wgpu => Device::wgpu_options()
                .init()
                .map_err(|e| format!("wgpu did not start: {e}")),
            #[cfg(feature = "cuda")]
            Self::Cuda => Ok(Device::cuda(0)),
            #[cfg(not(feature = "cuda"))]
            Self::Cuda => {
                Err("this inkling was built without CUDA: build it with `--features cuda`".into())
            }
        }
    }

    /// The name the command line and model cards use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Wgpu => "wgpu",
            Self::Cuda => "cuda",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetaTrainConfig {
    pub algorithm: Algorithm,
    pub channels: usize,
    pub steps: usize,
    pub way: usize,
    pub shot: usize,
    pub queries: usize,
    /// Share of episodes drawn within one alphabet (the rest across alphabets).
    pub within_alphabet_fraction: f64,
    pub learning_rate: f64,
    /// The learning rate halves every this many steps.
    pub lr_halve_every: usize,
    pub augment: bool,
    /// With `augment`, each stroke also moves on its own ([`Augmentation::handwriting_strokes`]).
    /// Absent from runs made before it existed: those ran without.
    #[serde(default)]
    pub stroke_augment: bool,
    pub seed: u64,
    pub inner_steps: usize,
    pub inner_learning_rate: f64,
    pub val_every: usize,
    pub val_episodes: usize,
    pub val_way: usize,
    /// Absent (and left out of the JSON, so older checkpoints resume) when training alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distillation: Option<Distillation>,
}

/// Ensemble distillation (Hinton et al., 2015; Dvornik et al., 2019): each episode's loss also
/// pulls the encoder's answers toward its teachers' (trained encoders whose prototype logits,
/// averaged, judge the same episode). An ensemble answers better than any one member; this
/// carries part of that into one encoder, which the app embeds with once per drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distillation {
    /// The teachers' weight files, as named on the command line, in order.
    pub teachers: Vec<String>,
    /// Each teacher file's sha256 (hex), in the same order: a file replaced at the same path
    /// is another teacher. Empty in runs made before it was kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teacher_sha256: Vec<String>,
    /// The loss is `(1 - weight)` × the labels' cross-entropy + `weight` × T² × the KL
    /// divergence from the teachers' softened answer (T² keeps its gradients on the labels'
    /// scale). 0 is training alone.
    pub weight: f64,
    /// Both answers are softened by it before they are compared (Hinton's T).
    pub temperature: f64,
}

impl Default for MetaTrainConfig {
    fn default() -> Self {
        Self {
            algorithm: Algorithm::Proto,
            channels: 64,
            steps: 7000,
            way: 20,
            shot: 1,
            queries: 5,
            within_alphabet_fraction: 0.5,
            learning_rate: 1e-3,
            lr_halve_every: 2000,
            augment: true,
            stroke_augment: false,
            seed: 42,
            inner_steps: 5,
            inner_learning_rate: 1e-2,
            val_every: 250,
            val_episodes: 200,
            val_way: 20,
            distillation: None,
        }
    }
}

/// A progress report, once per step and after each validation.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingEvent {
    pub step: usize,
    pub loss: f32,
    pub learning_rate: f64,
    pub validation: Option<MeanWithCi>,
}

/// What a checkpoint folder holds beside `encoder.bpk`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckpointState {
    pub config: MetaTrainConfig,
    pub step: usize,
    pub log: Vec<LogEntry>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogEntry {
    pub step: usize,
    pub mean_loss: f32,
    pub val_accuracy: f64,
    pub val_ci95: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum MetaTrainError {
    #[error(transparent)]
    Episodes(#[from] super::episodes::EpisodeError),
    #[error("checkpoint {path}: {message}")]
    Checkpoint { path: PathBuf, message: String },
    #[error("drawing: {0}")]
    Drawing(#[from] super::preprocess::PreprocessError),
    #[error("inner loop: {0}")]
    FineTune(#[from] super::finetune::FineTuneError),
    #[error("initial weights: {0}")]
    Device(String),
    #[error("distillation: {0}")]
    Distillation(String),
}

/// Held-out validation drawings, already rendered (the PNG path, as evaluation sees them).
pub struct ValidationSet {
    pub classes: Vec<(String, Vec<ModelInput>)>,
}

fn checkpoint_err(path: &Path, e: impl std::fmt::Display) -> MetaTrainError {
    MetaTrainError::Checkpoint {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Train on `on` (a device from [`TrainingDevice::init`]); returns the encoder (on `on`) and
/// the final checkpoint state. With a `checkpoint` folder, the state is saved at every
/// validation and a run found there is resumed (on any device: checkpoints are bytes).
/// `teachers` (on `on`) are those `config.distillation` names, in its order; none without it.
#[allow(clippy::too_many_arguments)]
pub fn meta_train(
    config: &MetaTrainConfig,
    train: &Dataset,
    validation: &ValidationSet,
    teachers: &[Encoder],
    checkpoint: Option<&Path>,
    on: &Device,
    mut on_event: impl FnMut(&TrainingEvent),
) -> Result<(Encoder, CheckpointState), MetaTrainError> {
    let named = config.distillation.as_ref().map_or(0, |d| d.teachers.len());
    if teachers.len() != named {
        return Err(MetaTrainError::Distillation(format!(
            "{} teacher encoders given for {named} named",
            teachers.len()
        )));
    }
    if let Some(d) = &config.distillation
        // Written so that a NaN weight or temperature is refused too.
        && !(named > 0
            && (0.0..=1.0).contains(&d.weight)
            && d.temperature.is_finite()
            && d.temperature > 0.0)
    {
        return Err(MetaTrainError::Distillation(format!(
            "needs at least one teacher, a weight in 0..=1 and a temperature above 0 \
             (got {named} teachers, weight {}, temperature {})",
            d.weight, d.temperature
        )));
    }
    let device = on.clone().autodiff();
    let encoder_config = EncoderConfig::new().with_channels(config.channels);
    let mut state = CheckpointState {
        config: config.clone(),
        step: 0,
        log: Vec::new(),
        seconds: 0.0,
    };
    let mut encoder = seeded_encoder(&encoder_config, config.seed, &device)?;
    if let Some(dir) = checkpoint {
        let state_path = dir.join("state.json");
        if state_path.exists() {
            let text =
                std::fs::read_to_string(&state_path).map_err(|e| checkpoint_err(&state_path, e))?;
            state = serde_json::from_str(&text).map_err(|e| checkpoint_err(&state_path, e))?;
            let weights_path = dir.join("encoder.bpk");
            let bytes =
                std::fs::read(&weights_path).map_err(|e| checkpoint_err(&weights_path, e))?;
            encoder = encoder_from_bytes(&encoder_config, &bytes, &device)
                .map_err(|e| checkpoint_err(&weights_path, e))?;
            if let Some(field) = first_difference(&state.config, config) {
                return Err(checkpoint_err(
                    &state_path,
                    format!(
                        "was made with another `{field}`; resume with the same settings \
                         (only --steps may change), or use another checkpoint folder"
                    ),
                ));
            }
            state.config = config.clone();
        }
    }

    let classes = train.class_index();
    let spec = |within_group| EpisodeSpec {
        way: config.way,
        shot: config.shot,
        queries: config.queries,
        within_group,
        rotations: true,
    };
    // Fail early when the data cannot make the episodes asked for, in training or validation.
    EpisodeSampler::new(&classes, spec(false), 0)?;
    EpisodeSampler::new(&validation.class_index(), validation_spec(config), 0)?;
    let within_ok = EpisodeSampler::new(&classes, spec(true), 0).is_ok();
    let augmentation = if config.stroke_augment {
        Augmentation::handwriting_strokes()
    } else {
        Augmentation::handwriting()
    };
    let mut optimizer = AdamConfig::new().init();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let started = std::time::Instant::now();
    let seconds_before = state.seconds;
    let mut recent_losses = Vec::new();

    while state.step < config.steps {
        let step = state.step;
        let mut rng = SmallRng::seed_from_u64(
            config
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add(step as u64),
        );
        let within = within_ok && rand::Rng::random_bool(&mut rng, config.within_alphabet_fraction);
        let mut sampler = EpisodeSampler::new(&classes, spec(within), rand::Rng::random(&mut rng))?;
        let episode = sampler.sample();
        let mut inputs = Vec::new();
        let mut support_labels = Vec::new();
        let mut query_labels = Vec::new();
        for (set, labels) in [
            (&episode.support, &mut support_labels),
            (&episode.query, &mut query_labels),
        ] {
            for (k, drawings) in set.iter().enumerate() {
                for &d in drawings {
                    let distortion = if config.augment {
                        augmentation.sample(&mut rng)
                    } else {
                        Distortion::identity()
                    };
                    inputs.push(train.render(episode.classes[k], d, &distortion)?);
                    labels.push(k);
                }
            }
        }
        let lr = config.learning_rate * 0.5f64.powi((step / config.lr_halve_every.max(1)) as i32);
        let images = batch_inputs(&inputs, &device);
        // The teachers judge the same batch, without the autodiff graph (no second upload).
        let taught = config.distillation.as_ref().map(|d| {
            let plain_images = images.clone().without_autodiff();
            (
                d,
                teacher_logits(teachers, plain_images, &support_labels, config.way),
            )
        });
        let embeddings = encoder.forward(images); // [n, dim]
        let n_support = support_labels.len();
        let n_query = query_labels.len();
        let support = embeddings.clone().narrow(0, 0, n_support);
        let query = embeddings.narrow(0, n_support, n_query);
        let targets: Vec<i64> = query_labels.iter().map(|&l| l as i64).collect();
        let targets = Tensor::<1, Int>::from_ints(targets.as_slice(), &device);
        let logits = match config.algorithm {
            Algorithm::Proto => {
                let prototypes = class_means(support, &support_labels, config.way);
                squared_distances(query, prototypes).neg()
            }
            Algorithm::FoMaml => {
                let mut tuner = FineTuner::on_embeddings(
                    support,
                    &support_labels,
                    config.way,
                    config.inner_learning_rate,
                )?;
                for _ in 0..config.inner_steps {
                    tuner.step_loss();
                }
                tuner.adapter().clone().freeze().head.forward(query)
            }
        };
        let loss = match taught {
            None => loss_fn.forward(logits, targets),
            Some((d, taught)) => {
                let labels = loss_fn.forward(logits.clone(), targets);
                let softened = distillation_loss(logits, taught, d.temperature);
                // T² keeps the softened loss's gradients on the labels' scale (Hinton et al.).
                labels.mul_scalar(1.0 - d.weight)
                    + softened.mul_scalar(d.weight * d.temperature * d.temperature)
            }
        };
        let loss_value: f32 = loss.clone().into_scalar();
        let grads = GradientsParams::from_grads(loss.backward(), &encoder);
        encoder = optimizer.step(lr, encoder, grads);
        state.step += 1;
        recent_losses.push(loss_value);

        let mut event = TrainingEvent {
            step: state.step,
            loss: loss_value,
            learning_rate: lr,
            validation: None,
        };
        if state.step.is_multiple_of(config.val_every.max(1)) || state.step == config.steps {
            let result = validate(&encoder.valid(), validation, config, on)?;
            let mean_loss = recent_losses.iter().sum::<f32>() / recent_losses.len().max(1) as f32;
            recent_losses.clear();
            state.log.push(LogEntry {
                step: state.step,
                mean_loss,
                val_accuracy: result.mean,
                val_ci95: result.ci95,
            });
            state.seconds = seconds_before + started.elapsed().as_secs_f64();
            event.validation = Some(result);
            if let Some(dir) = checkpoint {
                save_checkpoint(dir, &encoder, &state)?;
            }
        }
        on_event(&event);
    }
    state.seconds = seconds_before + started.elapsed().as_secs_f64();
    Ok((encoder.valid(), state))
}

/// The teachers' answer to an episode (`images`: the support, then the queries, on the plain
/// device): the mean of their prototype logits, one row per query, without autodiff.
fn teacher_logits(
    teachers: &[Encoder],
    images: Tensor<4>,
    support_labels: &[usize],
    way: usize,
) -> Tensor<2> {
    let n_support = support_labels.len();
    let n_query = images.dims()[0] - n_support;
    let sum = teachers
        .iter()
        .map(|teacher| {
            let embeddings = teacher.forward(images.clone());
            let support = embeddings.clone().narrow(0, 0, n_support);
            let query = embeddings.narrow(0, n_support, n_query);
            squared_distances(query, class_means(support, support_labels, way)).neg()
        })
        .reduce(|a, b| a + b)
        .expect("at least one teacher");
    sum.div_scalar(teachers.len() as f64)
}

/// KL(teacher ‖ student) of the two answers softened by `temperature`, averaged over queries.
/// The teacher's side is a constant: only the student learns.
pub fn distillation_loss(student: Tensor<2>, teacher: Tensor<2>, temperature: f64) -> Tensor<1> {
    use burn::tensor::activation::{log_softmax, softmax};
    let teacher = teacher.without_autodiff().div_scalar(temperature);
    let p_teacher = softmax(teacher.clone(), 1);
    let log_p_teacher = log_softmax(teacher, 1);
    let log_p_student = log_softmax(student.div_scalar(temperature), 1);
    (p_teacher * (log_p_teacher - log_p_student))
        .sum_dim(1)
        .mean()
}

/// The initial encoder, on `device`. The weights are drawn on the CPU whatever the device (a
/// GPU's generator draws other numbers from the same seed), so every device starts from the
/// same weights. burn draws them lazily from one process-wide generator: seed it, build the
/// encoder and draw every weight under one lock, so concurrent runs cannot interleave draws.
fn seeded_encoder(
    config: &EncoderConfig,
    seed: u64,
    device: &Device,
) -> Result<Encoder, MetaTrainError> {
    static INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let moved = |e: &dyn std::fmt::Display| MetaTrainError::Device(e.to_string());
    // Loading into the device's encoder draws nothing (burn never initialises a parameter
    // that is loaded); it stays under the lock all the same, with the draw it follows.
    let _guard = INIT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let cpu = Device::flex().autodiff();
    cpu.seed(seed);
    // Reading the parameters draws them now, while the lock is held.
    let bytes = encoder_to_bytes(&config.init(&cpu)).map_err(|e| moved(&e))?;
    encoder_from_bytes(config, &bytes, device).map_err(|e| moved(&e))
}

fn save_checkpoint(
    dir: &Path,
    encoder: &Encoder,
    state: &CheckpointState,
) -> Result<(), MetaTrainError> {
    std::fs::create_dir_all(dir).map_err(|e| checkpoint_err(dir, e))?;
    let bytes = encoder_to_bytes(&encoder.valid()).map_err(|e| checkpoint_err(dir, e))?;
    // Write then rename, so a run stopped mid-write leaves the previous checkpoint whole.
    let weights = dir.join("encoder.bpk");
    let tmp = dir.join("encoder.bpk.tmp");
    std::fs::write(&tmp, bytes).map_err(|e| checkpoint_err(&tmp, e))?;
    std::fs::rename(&tmp, &weights).map_err(|e| checkpoint_err(&weights, e))?;
    let state_path = dir.join("state.json");
    let tmp = dir.join("state.json.tmp");
    let text = serde_json::to_string_pretty(state).map_err(|e| checkpoint_err(&tmp, e))?;
    std::fs::write(&tmp, text).map_err(|e| checkpoint_err(&tmp, e))?;
    std::fs::rename(&tmp, &state_path).map_err(|e| checkpoint_err(&state_path, e))?;
    Ok(())
}

/// The first setting (other than `steps`) in which two configurations differ.
fn first_difference(saved: &MetaTrainConfig, asked: &MetaTrainConfig) -> Option<String> {
    let mut saved = saved.clone();
    // A run from before teachers' contents were kept is known by their paths alone.
    if let (Some(saved), Some(asked)) = (&mut saved.distillation, &asked.distillation)
        && saved.teacher_sha256.is_empty()
    {
        saved.teacher_sha256.clone_from(&asked.teacher_sha256);
    }
    let (saved, asked) = (
        serde_json::to_value(&saved).ok()?,
        serde_json::to_value(asked).ok()?,
    );
    let (saved, asked) = (saved.as_object()?, asked.as_object()?);
    // Both sides' keys: a setting left out when unset (`distillation`) is a difference too.
    asked
        .keys()
        .chain(saved.keys())
        .find(|key| *key != "steps" && saved.get(*key) != asked.get(*key))
        .cloned()
}

fn validation_spec(config: &MetaTrainConfig) -> EpisodeSpec {
    EpisodeSpec {
        way: config.val_way,
        shot: 1,
        queries: 1,
        within_group: true,
        rotations: false,
    }
}

impl ValidationSet {
    fn class_index(&self) -> Vec<super::episodes::ClassIndex> {
        self.classes
            .iter()
            .map(|(group, inputs)| super::episodes::ClassIndex {
                group: group.clone(),
                drawings: inputs.len(),
            })
            .collect()
    }
}

/// Within-alphabet `val_way`-way 1-shot accuracy on the validation set (a fixed seed, so numbers
/// are comparable across steps).
pub fn validate(
    encoder: &Encoder,
    validation: &ValidationSet,
    config: &MetaTrainConfig,
    device: &Device,
) -> Result<MeanWithCi, MetaTrainError> {
    let embedded = EmbeddedSet {
        classes: validation
            .classes
            .iter()
            .map(|(alphabet, inputs)| {
                let views = embed_inputs(encoder, inputs, device)
                    .into_iter()
                    .map(|e| vec![e])
                    .collect();
                (alphabet.clone(), views)
            })
            .collect(),
    };
    let accuracies = episode_accuracies(
        &embedded,
        validation_spec(config),
        config.val_episodes,
        12345,
        Adaptation::APP_DEFAULT,
    )?;
    Ok(mean_with_ci95(&accuracies))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distillation_loss_is_zero_at_the_teacher_and_pulls_toward_it() {
        let device = Device::flex().autodiff();
        let teacher = Tensor::<2>::from_floats([[-1.0, -4.0, -9.0], [-6.0, -2.0, -3.0]], &device);
        let same = distillation_loss(teacher.clone(), teacher.clone(), 4.0);
        assert!(same.into_scalar::<f32>().abs() < 1e-6);
        // A student that ranks the first query's classes the other way round.
        let student = Tensor::<2>::from_floats([[-9.0, -4.0, -1.0], [-6.0, -2.0, -3.0]], &device)
            .require_grad();
        let loss = distillation_loss(student.clone(), teacher, 4.0);
        assert!(loss.clone().into_scalar::<f32>() > 0.1);
        let grads = loss.backward();
        let grad: Vec<f32> = student
            .grad(&grads)
            .unwrap()
            .into_data()
            .try_to_vec()
            .unwrap();
        // Descent raises class 0's logit and lowers class 2's for the first query; the second
        // query already agrees and is left alone.
        assert!(grad[0] < 0.0 && grad[2] > 0.0, "{grad:?}");
        assert!(grad[3..].iter().all(|g| g.abs() < 1e-6), "{grad:?}");
    }

    #[test]
    fn teachers_are_known_by_content_and_a_run_from_before_hashes_by_path() {
        let taught = |sha256: &[&str]| MetaTrainConfig {
            distillation: Some(Distillation {
                teachers: vec!["a.bpk".into()],
                teacher_sha256: sha256.iter().map(|s| s.to_string()).collect(),
                weight: 0.5,
                temperature: 4.0,
            }),
            ..MetaTrainConfig::default()
        };
        assert_eq!(
            first_difference(&taught(&["11"]), &taught(&["22"])).as_deref(),
            Some("distillation")
        );
        assert_eq!(first_difference(&taught(&["11"]), &taught(&["11"])), None);
        assert_eq!(first_difference(&taught(&[]), &taught(&["11"])), None);
    }

    #[test]
    fn a_run_with_teachers_does_not_resume_as_one_without() {
        let taught = MetaTrainConfig {
            distillation: Some(Distillation {
                teachers: vec!["a.bpk".into()],
                teacher_sha256: Vec::new(),
                weight: 0.5,
                temperature: 4.0,
            }),
            ..MetaTrainConfig::default()
        };
        let alone = MetaTrainConfig::default();
        assert_eq!(
            first_difference(&taught, &alone).as_deref(),
            Some("distillation")
        );
        assert_eq!(
            first_difference(&alone, &taught).as_deref(),
            Some("distillation")
        );
    }

    #[test]
    fn a_run_without_teachers_writes_its_settings_as_before_distillation_existed() {
        let value = serde_json::to_value(MetaTrainConfig::default()).unwrap();
        assert!(value.get("distillation").is_none(), "{value}");
    }

    #[test]
    fn a_run_made_before_stroke_moves_existed_reads_as_one_without_them() {
        // A checkpoint's state.json (and a card's hyperparameters) written before the
        // `stroke_augment` setting: it resumes as the run it was, not as a changed one.
        let mut old = serde_json::to_value(MetaTrainConfig::default()).unwrap();
        old.as_object_mut().unwrap().remove("stroke_augment");
        let config: MetaTrainConfig = serde_json::from_value(old).unwrap();
        assert!(!config.stroke_augment);
        assert_eq!(first_difference(&config, &MetaTrainConfig::default()), None);
        let moved = MetaTrainConfig {
            stroke_augment: true,
            ..MetaTrainConfig::default()
        };
        assert_eq!(
            first_difference(&config, &moved).as_deref(),
            Some("stroke_augment")
        );
    }
}
