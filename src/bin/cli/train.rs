//! `inkling meta-train`

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use inkling::learn::dataset::Dataset;
use inkling::learn::meta_train::{
    Algorithm, Distillation, MetaTrainConfig, TrainingDevice, ValidationSet, meta_train,
};
use inkling::learn::preprocess::INPUT_SIZE;
use inkling::learn::sources::{load_omniglot_zip, merge_datasets};
use inkling::learn::weights::{ArchitectureCard, ModelCard, encoder_to_bytes};

use super::{default_data_dir, load_encoder_file_and_sha256};

#[derive(Args)]
pub struct MetaTrainArgs {
    /// Training drawings: Omniglot stroke zips (re-rendered with random distortions).
    #[arg(long, num_args = 1..)]
    strokes: Vec<PathBuf>,
    /// Validation drawings: Omniglot image zips (only their held-out alphabets are used).
    #[arg(long, num_args = 1..)]
    images: Vec<PathBuf>,
    /// Alphabets held out of training and used for validation.
    #[arg(long, value_delimiter = ',', default_value = "Greek,Early_Aramaic")]
    holdout: Vec<String>,
    #[arg(long, value_enum, default_value = "proto")]
    algorithm: Algorithm,
    /// Where to train: the CPU, burn's wgpu runtime (Vulkan, Metal, DX12), or CUDA (a build
    /// with `--features cuda`). The same run on each, apart only through rounding.
    #[arg(long, value_enum, default_value = "cpu")]
    device: TrainingDevice,
    #[arg(long, default_value_t = MetaTrainConfig::default().steps)]
    steps: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().way)]
    way: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().shot)]
    shot: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().queries)]
    queries: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().channels)]
    channels: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().learning_rate)]
    lr: f64,
    #[arg(long, default_value_t = MetaTrainConfig::default().lr_halve_every)]
    lr_halve_every: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().seed)]
    seed: u64,
    /// Train on the drawings as they are (no random distortions).
    #[arg(long)]
    no_augment: bool,
    /// Also move each pen stroke on its own (a little shift, turn and size change).
    #[arg(long)]
    stroke_augment: bool,
    #[arg(long, default_value_t = MetaTrainConfig::default().val_every)]
    val_every: usize,
    #[arg(long, default_value_t = MetaTrainConfig::default().val_episodes)]
    val_episodes: usize,
    /// Classes per validation episode (within one held-out alphabet, 1-shot).
    #[arg(long, default_value_t = MetaTrainConfig::default().val_way)]
    val_way: usize,
    /// Ensemble distillation: trained encoders (`.bpk`, each with its card beside it) whose
    /// averaged answers to each episode the loss also follows.
    #[arg(long, num_args = 1..)]
    distil_from: Vec<PathBuf>,
    /// With --distil-from: the loss is (1 - W) × the labels' cross-entropy + W × T² × the KL
    /// divergence from the teachers' softened answer.
    #[arg(long, default_value_t = 0.5, requires = "distil_from")]
    distil_weight: f64,
    /// With --distil-from: both answers are softened by this temperature (T) before comparing.
    #[arg(long, default_value_t = 4.0, requires = "distil_from")]
    distil_temperature: f64,
    /// Checkpoint folder; a run found there is resumed.
    #[arg(long, default_value = "checkpoints/meta-train")]
    checkpoint: PathBuf,
    /// Where the trained encoder (encoder.bpk) and its card (encoder.json) are written.
    #[arg(long, default_value = "public/models")]
    out: PathBuf,
}

pub fn run(args: MetaTrainArgs) -> Result<(), String> {
    // Before the data loads: a missing wgpu adapter is said at once.
    let device = args
        .device
        .init()
        .map_err(|e| format!("--device {}: {e}", args.device.name()))?;
    // Also before the data: a teacher that cannot be read is said at once.
    let (teachers, teacher_sha256): (Vec<_>, Vec<_>) = args
        .distil_from
        .iter()
        .map(|path| {
            load_encoder_file_and_sha256(path, &device).map_err(|e| format!("--distil-from {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    let data = default_data_dir();
    let strokes = if args.strokes.is_empty() {
        vec![
            data.join("strokes_background_small1.zip"),
            data.join("strokes_background_small2.zip"),
        ]
    } else {
        args.strokes.clone()
    };
    let images = if args.images.is_empty() {
        vec![
            data.join("images_background_small1.zip"),
            data.join("images_background_small2.zip"),
        ]
    } else {
        args.images.clone()
    };
    let load = |paths: &[PathBuf]| -> Result<Dataset, String> {
        let sets = paths
            .iter()
            .map(|p| load_omniglot_zip(p).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(merge_datasets(sets))
    };
    eprintln!(
        "loading {}",
        strokes
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let all_strokes = load(&strokes)?;
    let known = all_strokes.alphabets();
    for name in &args.holdout {
        if !known.contains(name) {
            return Err(format!(
                "--holdout: no alphabet `{name}` (known: {})",
                known.join(", ")
            ));
        }
    }
    let (_, train) = all_strokes.split_alphabets(&args.holdout);
    let (held_images, _) = load(&images)?.split_alphabets(&args.holdout);
    if held_images.classes.is_empty() {
        return Err("the image zips hold none of the held-out alphabets".into());
    }
    let validation = ValidationSet {
        classes: held_images.render_all().map_err(|e| e.to_string())?,
    };
    eprintln!(
        "training on {} characters ({} drawings) of {}; validating on {} characters of {}",
        train.classes.len(),
        train.num_drawings(),
        train.alphabets().join(", "),
        validation.classes.len(),
        args.holdout.join(", ")
    );

    let distillation = (!teachers.is_empty()).then(|| Distillation {
        teachers: args
            .distil_from
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        teacher_sha256,
        weight: args.distil_weight,
        temperature: args.distil_temperature,
    });
    let config = MetaTrainConfig {
        algorithm: args.algorithm,
        channels: args.channels,
        steps: args.steps,
        way: args.way,
        shot: args.shot,
        queries: args.queries,
        learning_rate: args.lr,
        lr_halve_every: args.lr_halve_every,
        augment: !args.no_augment,
        stroke_augment: args.stroke_augment,
        seed: args.seed,
        val_every: args.val_every,
        val_episodes: args.val_episodes,
        val_way: args.val_way,
        distillation,
        ..MetaTrainConfig::default()
    };
    let bar = ProgressBar::new(config.steps as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} [{elapsed} < {eta}] {msg}")
            .expect("valid template"),
    );
    let mut smoothed: Option<f32> = None;
    let mut last_val = String::new();
    let (encoder, state) = meta_train(
        &config,
        &train,
        &validation,
        &teachers,
        Some(&args.checkpoint),
        &device,
        |event| {
            bar.set_position(event.step as u64);
            let s = smoothed.map_or(event.loss, |s| 0.98 * s + 0.02 * event.loss);
            smoothed = Some(s);
            if let Some(v) = event.validation {
                last_val = format!("val {:.1}% ± {:.1}", v.mean * 100.0, v.ci95 * 100.0);
                // Logged with eprintln too: a hidden bar (not a terminal) drops println lines.
                bar.suspend(|| {
                eprintln!(
                    "step {:>6}  loss {:.4}  lr {:.2e}  {}-way 1-shot within-alphabet {last_val}",
                    event.step, s, event.learning_rate, config.val_way
                )
            });
            }
            bar.set_message(format!("loss {s:.4} {last_val}"));
        },
    )
    .map_err(|e| e.to_string())?;
    bar.finish();

    let bytes = encoder_to_bytes(&encoder).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let weights_path = args.out.join("encoder.bpk");
    std::fs::write(&weights_path, &bytes)
        .map_err(|e| format!("{}: {e}", weights_path.display()))?;
    let last = state.log.last();
    let card = ModelCard {
        name: "Inkling sketch encoder (Conv-4)".into(),
        architecture: ArchitectureCard {
            channels: config.channels,
            blocks: 4,
            input_size: INPUT_SIZE,
            embedding_dim: inkling::learn::encoder::EncoderConfig::new()
                .with_channels(config.channels)
                .embedding_dim(),
        },
        data: format!(
            "Omniglot minimal background splits (Lake et al., Science 2015; MIT): stroke files of {} characters, {} drawings, of {}; each drawing re-rendered with random affine warps and pen widths{}, plus 90/180/270-degree rotations as extra classes",
            train.classes.len(),
            train.num_drawings(),
            train.alphabets().join(", "),
            if config.stroke_augment {
                ", each of its strokes also shifted, turned and resized on its own"
            } else {
                ""
            }
        ),
        held_out_alphabets: args.holdout.clone(),
        algorithm: match config.algorithm {
            Algorithm::Proto => "prototypical networks (Snell et al., 2017), episodic",
            Algorithm::FoMaml => "first-order Proto-MAML, head-only inner loop",
        }
        .to_string()
            + &match &config.distillation {
                None => String::new(),
                Some(d) => format!(
                    "; distilled from the ensemble of {} (their mean prototype logits, temperature T = {}; loss {} × cross-entropy + {} × T² × KL, so the logged loss is not comparable with a run without teachers)",
                    d.teachers.join(", "),
                    d.temperature,
                    1.0 - d.weight,
                    d.weight
                ),
            },
        hyperparameters: serde_json::to_value(&config).map_err(|e| e.to_string())?,
        validation: serde_json::json!({
            "setting": format!("{}-way 1-shot, within alphabet, on the held-out alphabets' PNG images, {} episodes", config.val_way, config.val_episodes),
            "final_accuracy": last.map(|l| l.val_accuracy),
            "final_ci95": last.map(|l| l.val_ci95),
            "log": state.log,
        }),
        // The device as burn names it (its backend and adapter), not as it was asked for.
        training_time: format!(
            "{:.0} s on {} ({device:?}, native)",
            state.seconds,
            std::env::consts::ARCH,
        ),
        reproduce: reproduce_command(&args),
        weights_bytes: bytes.len(),
        evaluation: serde_json::Value::Null,
    };
    let card_path = args.out.join("encoder.json");
    let text = serde_json::to_string_pretty(&card).map_err(|e| e.to_string())?;
    std::fs::write(&card_path, text + "\n").map_err(|e| format!("{}: {e}", card_path.display()))?;
    eprintln!(
        "wrote {} ({} bytes) and {}",
        weights_path.display(),
        bytes.len(),
        card_path.display()
    );
    Ok(())
}

fn reproduce_command(args: &MetaTrainArgs) -> String {
    let mut cmd = format!(
        "cargo run --release -- meta-train --device {} --algorithm {} --steps {} --way {} --shot {} --queries {} --channels {} --lr {} --lr-halve-every {} --seed {} --holdout {}",
        args.device.name(),
        match args.algorithm {
            Algorithm::Proto => "proto",
            Algorithm::FoMaml => "fo-maml",
        },
        args.steps,
        args.way,
        args.shot,
        args.queries,
        args.channels,
        args.lr,
        args.lr_halve_every,
        args.seed,
        args.holdout.join(",")
    );
    cmd.push_str(&format!(
        " --val-every {} --val-episodes {} --val-way {}",
        args.val_every, args.val_episodes, args.val_way
    ));
    if args.no_augment {
        cmd.push_str(" --no-augment");
    }
    if args.stroke_augment {
        cmd.push_str(" --stroke-augment");
    }
    if !args.distil_from.is_empty() {
        cmd.push_str(&format!(
            " --distil-weight {} --distil-temperature {}",
            args.distil_weight, args.distil_temperature
        ));
    }
    for (flag, paths) in [
        ("--strokes", &args.strokes),
        ("--images", &args.images),
        ("--distil-from", &args.distil_from),
    ] {
        if !paths.is_empty() {
            let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            cmd.push_str(&format!(" {flag} {}", list.join(" ")));
        }
    }
    cmd.push_str(" (from the repository root, with no earlier checkpoints/meta-train folder");
    match args.device {
        TrainingDevice::Cpu => {}
        TrainingDevice::Cuda => cmd.push_str(
            "; a build with `--features cuda`; `--device cpu` makes the same run, apart only \
             through rounding",
        ),
        TrainingDevice::Wgpu => {
            cmd.push_str("; `--device cpu` makes the same run, apart only through rounding")
        }
    }
    cmd.push(')');
    cmd
}
