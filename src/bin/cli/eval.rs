//! `inkling eval`: few-shot accuracy on episode folders (`--episodes DIR`) or on sampled
//! episodes of an `alphabet/character/*.png` tree or an Omniglot zip, images or pen strokes
//! (`--dataset PATH --way N --shot K --episodes M`).

use std::path::{Path, PathBuf};

use burn::prelude::*;
use clap::{Args, ValueEnum};
use inkling::learn::dataset::Dataset;
use inkling::learn::encoder::Encoder;
use inkling::learn::episodes::{EpisodeSampler, EpisodeSpec};
use inkling::learn::evaluate::{
    Adaptation, EmbeddedSet, FineTuneSettings, adapt_and_predict, embed_inputs, episode_accuracies,
    support_renders,
};
use inkling::learn::judging::Judging;
use inkling::learn::metrics::{ConfusionMatrix, mean_with_ci95};
use inkling::learn::sources::{list_dir, load_class_folders, load_image_tree, load_omniglot_zip};
use inkling::learn::weights::shipped_encoder;
use serde::Serialize;

use super::load_encoder_file;

#[derive(Clone, Copy, ValueEnum)]
enum AdaptKind {
    /// Class prototypes (mean embeddings): the app's default.
    Proto,
    /// Prototypes, then fine-tuning steps on the support set.
    Finetune,
}

#[derive(Args)]
pub struct EvalArgs {
    /// With --dataset: how many episodes to sample. Without: a folder of episode folders, each
    /// with support/<class>/*.png and query/<class>/*.png.
    #[arg(long)]
    episodes: String,
    /// Where to sample episodes from: an alphabet/character/*.png tree, or an Omniglot zip of
    /// images or of pen strokes (the strokes are drawn as the app draws a student's).
    #[arg(long)]
    dataset: Option<PathBuf>,
    /// With --dataset: only these alphabets of it (comma-separated).
    #[arg(long, value_delimiter = ',')]
    alphabets: Vec<String>,
    #[arg(long, default_value_t = 5)]
    way: usize,
    #[arg(long, default_value_t = 1)]
    shot: usize,
    /// Query drawings per class in sampled episodes.
    #[arg(long, default_value_t = 5)]
    queries: usize,
    /// Sample every episode's classes from one alphabet (the hard setting).
    #[arg(long)]
    within_alphabet: bool,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Another encoder (burnpack); its architecture is read from the .json card beside it.
    #[arg(long)]
    model: Option<PathBuf>,
    /// An ensemble: each drawing's embedding is the model's followed by these encoders' (with
    /// --dataset and prototypes only).
    #[arg(long)]
    with_model: Vec<PathBuf>,
    /// How the model adapts to the support set (default: as the app does).
    #[arg(long, value_enum)]
    adapt: Option<AdaptKind>,
    /// Renderings of each support drawing in its prototype: itself plus distorted copies.
    #[arg(long, default_value_t = Adaptation::APP_DEFAULT.support_views)]
    support_views: usize,
    /// Renderings of each query drawing, their embeddings averaged: itself plus distorted copies.
    #[arg(long, default_value_t = Adaptation::APP_DEFAULT.query_views)]
    query_views: usize,
    /// Centre embeddings on the support's mean and scale them to length 1 (SimpleShot's CL2N).
    #[arg(long)]
    centre: bool,
    /// Transductive refinement: soft k-means steps that let each episode's queries move the
    /// prototypes (a batch measure: each answer depends on the other queries).
    #[arg(long, default_value_t = 0)]
    transductive_steps: usize,
    #[arg(long, default_value_t = 15)]
    finetune_steps: usize,
    #[arg(long, default_value_t = 1e-3)]
    finetune_lr: f64,
    /// Fine-tuning also trains the encoder's last block.
    #[arg(long)]
    train_last_block: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Print per-class precision, recall, F1 and the confusion matrix of each episode.
    #[arg(long)]
    details: bool,
}

#[derive(Serialize)]
struct EvalReport {
    episodes: usize,
    accuracy: f64,
    ci95: f64,
    per_episode: Vec<f64>,
    episode_names: Vec<String>,
    adaptation: Adaptation,
    model: String,
}

pub fn run(args: EvalArgs) -> Result<(), String> {
    let device = Device::flex();
    let (encoder, encoder_ad, model_name) = load_encoder(args.model.as_deref(), &device)?;
    let default_fine_tune = Adaptation::APP_DEFAULT.fine_tune;
    let judging = Judging {
        centre: args.centre,
        transductive_steps: args.transductive_steps,
    };
    let by_prototypes = judging != Judging::default() || args.query_views > 1;
    if matches!(args.adapt, Some(AdaptKind::Finetune)) && by_prototypes {
        return Err(
            "--query-views, --centre and --transductive-steps judge by prototypes; they do not \
             go with --adapt finetune"
                .into(),
        );
    }
    let adaptation = Adaptation {
        support_views: args.support_views.max(1),
        query_views: args.query_views.max(1),
        judging,
        fine_tune: match args.adapt {
            None => default_fine_tune,
            Some(AdaptKind::Proto) => None,
            Some(AdaptKind::Finetune) => Some(FineTuneSettings {
                steps: args.finetune_steps,
                learning_rate: args.finetune_lr,
                train_last_block: args.train_last_block,
            }),
        },
    };
    if !args.alphabets.is_empty() && args.dataset.is_none() {
        return Err("--alphabets cuts a --dataset; episode folders have none".into());
    }
    if !args.with_model.is_empty() && (args.dataset.is_none() || adaptation.fine_tune.is_some()) {
        return Err(
            "--with-model needs --dataset and judges by prototypes (not --adapt finetune)".into(),
        );
    }
    let (names, accuracies) = match &args.dataset {
        Some(dir) => {
            let count: usize = args.episodes.parse().map_err(|_| {
                format!(
                    "--episodes `{}`: with --dataset it is a number of episodes",
                    args.episodes
                )
            })?;
            sampled_episodes(
                &args,
                dir,
                count,
                &encoder,
                &encoder_ad,
                adaptation,
                &device,
            )?
        }
        None => episode_folders(
            &args,
            Path::new(&args.episodes),
            &encoder,
            &encoder_ad,
            adaptation,
            &device,
        )?,
    };
    let summary = mean_with_ci95(&accuracies);
    let report = EvalReport {
        episodes: accuracies.len(),
        accuracy: summary.mean,
        ci95: summary.ci95,
        per_episode: accuracies,
        episode_names: names,
        adaptation,
        model: std::iter::once(model_name)
            .chain(args.with_model.iter().map(|p| p.display().to_string()))
            .collect::<Vec<_>>()
            .join(" + "),
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| e.to_string())?
        );
    } else {
        if report.episodes <= 50 {
            for (name, acc) in report.episode_names.iter().zip(&report.per_episode) {
                println!("{name}: {:.2}%", acc * 100.0);
            }
        }
        println!(
            "mean accuracy over {} episodes: {:.2}% ± {:.2}% (95% CI)",
            report.episodes,
            report.accuracy * 100.0,
            report.ci95 * 100.0
        );
    }
    Ok(())
}

fn load_encoder(
    model: Option<&Path>,
    device: &Device,
) -> Result<(Encoder, Encoder, String), String> {
    let ad = device.clone().autodiff();
    match model {
        None => {
            let (encoder, _) =
                shipped_encoder(device).map_err(|e| format!("shipped encoder: {e}"))?;
            let (encoder_ad, _) =
                shipped_encoder(&ad).map_err(|e| format!("shipped encoder: {e}"))?;
            Ok((
                encoder,
                encoder_ad,
                "shipped (public/models/encoder.bpk)".into(),
            ))
        }
        Some(path) => Ok((
            load_encoder_file(path, device)?,
            load_encoder_file(path, &ad)?,
            path.display().to_string(),
        )),
    }
}

/// One folder per episode: `support/<class>/*.png`, `query/<class>/*.png`.
fn episode_folders(
    args: &EvalArgs,
    dir: &Path,
    encoder: &Encoder,
    encoder_ad: &Encoder,
    adaptation: Adaptation,
    device: &Device,
) -> Result<(Vec<String>, Vec<f64>), String> {
    let (episode_dirs, _) = list_dir(dir).map_err(|e| e.to_string())?;
    if episode_dirs.is_empty() {
        return Err(format!(
            "{}: no episode folders (expected <episode>/support and <episode>/query)",
            dir.display()
        ));
    }
    let mut names = Vec::new();
    let mut accuracies = Vec::new();
    for episode in episode_dirs {
        let name = episode
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let support = load_class_folders(&episode.join("support")).map_err(|e| e.to_string())?;
        let query = load_class_folders(&episode.join("query")).map_err(|e| e.to_string())?;
        if support.len() < 2 {
            return Err(format!(
                "{}: an episode needs at least 2 classes, found {}",
                episode.join("support").display(),
                support.len()
            ));
        }
        let labels: Vec<String> = support.iter().map(|(c, _)| c.clone()).collect();
        let mut support_drawings = Vec::new();
        let mut support_labels = Vec::new();
        for (k, (_, drawings)) in support.iter().enumerate() {
            for drawing in drawings {
                support_drawings.push(drawing.clone());
                support_labels.push(k);
            }
        }
        let mut query_drawings = Vec::new();
        let mut query_labels = Vec::new();
        for (class, drawings) in &query {
            let k = labels.iter().position(|l| l == class).ok_or_else(|| {
                format!(
                    "{}: query class `{class}` has no support folder (support classes: {})",
                    episode.join("query").join(class).display(),
                    labels.join(", ")
                )
            })?;
            for drawing in drawings {
                query_drawings.push(drawing.clone());
                query_labels.push(k);
            }
        }
        let predicted = adapt_and_predict(
            encoder,
            encoder_ad,
            &support_drawings,
            &support_labels,
            labels.len(),
            &query_drawings,
            adaptation,
            device,
        )
        .map_err(|e| format!("{}: {e}", episode.join("support").display()))?;
        let pairs: Vec<(usize, usize)> = query_labels.iter().copied().zip(predicted).collect();
        let cm = ConfusionMatrix::from_pairs(labels, &pairs);
        if args.details && !args.json {
            print_details(&name, &cm);
        }
        names.push(name);
        accuracies.push(cm.accuracy());
    }
    Ok((names, accuracies))
}

fn print_details(name: &str, cm: &ConfusionMatrix) {
    println!("episode {name}: accuracy {:.2}%", cm.accuracy() * 100.0);
    println!(
        "  {:<24} {:>9} {:>9} {:>9} {:>7}",
        "class", "precision", "recall", "F1", "support"
    );
    for s in cm.class_scores() {
        println!(
            "  {:<24} {:>9.3} {:>9.3} {:>9.3} {:>7}",
            s.label, s.precision, s.recall, s.f1, s.support
        );
    }
    println!("  confusion matrix (rows: actual, columns: predicted):");
    for (label, row) in cm.labels.iter().zip(&cm.matrix) {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:>3}")).collect();
        println!("  {label:<24} {}", cells.join(""));
    }
}

/// A data set to sample from: a zip file or a folder tree, cut to `alphabets` when some are
/// named (each must be there).
fn load_dataset(path: &Path, alphabets: &[String]) -> Result<Dataset, String> {
    let dataset = if path.is_file() {
        load_omniglot_zip(path)
    } else {
        load_image_tree(path)
    }
    .map_err(|e| e.to_string())?;
    if alphabets.is_empty() {
        return Ok(dataset);
    }
    let present = dataset.alphabets();
    if let Some(missing) = alphabets.iter().find(|a| !present.contains(a)) {
        return Err(format!(
            "--alphabets: `{missing}` is not in {} (it has {})",
            path.display(),
            present.join(", ")
        ));
    }
    Ok(dataset.split_alphabets(alphabets).0)
}

/// Episodes sampled from a data set ([`load_dataset`]).
fn sampled_episodes(
    args: &EvalArgs,
    dir: &Path,
    count: usize,
    encoder: &Encoder,
    encoder_ad: &Encoder,
    adaptation: Adaptation,
    device: &Device,
) -> Result<(Vec<String>, Vec<f64>), String> {
    let dataset = load_dataset(dir, &args.alphabets)?;
    let spec = EpisodeSpec {
        way: args.way,
        shot: args.shot,
        queries: args.queries,
        within_group: args.within_alphabet,
        rotations: false,
    };
    let accuracies = match adaptation.fine_tune {
        None => {
            // Embed every drawing (and its support views) once; episodes then cost nothing.
            let members = args
                .with_model
                .iter()
                .map(|path| load_encoder_file(path, device))
                .collect::<Result<Vec<_>, String>>()?;
            let mut classes = Vec::new();
            for (class, c) in dataset.classes.iter().enumerate() {
                let mut drawings = Vec::new();
                for (d, drawing) in c.drawings.iter().enumerate() {
                    // Enough views for a support or a query drawing (each takes the first few).
                    let seed = (class * 1000 + d) as u64;
                    let count = adaptation.support_views.max(adaptation.query_views);
                    let views = support_renders(&drawing.segments, count, seed)
                        .map_err(|e| format!("{}: {e}", drawing.source))?;
                    let mut embedded = embed_inputs(encoder, &views, device);
                    for member in &members {
                        for (row, more) in embedded
                            .iter_mut()
                            .zip(embed_inputs(member, &views, device))
                        {
                            row.extend(more);
                        }
                    }
                    drawings.push(embedded);
                }
                classes.push((c.alphabet.clone(), drawings));
            }
            let embedded = EmbeddedSet { classes };
            episode_accuracies(&embedded, spec, count, args.seed, adaptation)
                .map_err(|e| format!("{}: {e}", dir.display()))?
        }
        Some(_) => {
            let index = dataset.class_index();
            let mut sampler = EpisodeSampler::new(&index, spec, args.seed)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut accuracies = Vec::new();
            for _ in 0..count {
                let e = sampler.sample();
                let (mut support, mut support_labels) = (Vec::new(), Vec::new());
                let (mut queries, mut query_labels) = (Vec::new(), Vec::new());
                for (k, class) in e.classes.iter().enumerate() {
                    let drawings = &dataset.classes[class.class].drawings;
                    for &d in &e.support[k] {
                        support.push(drawings[d].clone());
                        support_labels.push(k);
                    }
                    for &d in &e.query[k] {
                        queries.push(drawings[d].clone());
                        query_labels.push(k);
                    }
                }
                let predicted = adapt_and_predict(
                    encoder,
                    encoder_ad,
                    &support,
                    &support_labels,
                    args.way,
                    &queries,
                    adaptation,
                    device,
                )
                .map_err(|err| format!("{}: {err}", dir.display()))?;
                let correct = predicted
                    .iter()
                    .zip(&query_labels)
                    .filter(|(p, y)| p == y)
                    .count();
                accuracies.push(correct as f64 / query_labels.len().max(1) as f64);
            }
            accuracies
        }
    };
    let names = (0..accuracies.len())
        .map(|i| format!("episode {i}"))
        .collect();
    Ok((names, accuracies))
}
