//! `inkling eval-text`: few-shot text classification with the sentence encoder: prototypes of
//! the support sentences' embeddings per label, each query sentence given the nearest label.

use std::path::PathBuf;
use std::time::Instant;

use burn::prelude::*;
use clap::Args;

use inkling::learn::metrics::ConfusionMatrix;
use inkling::learn::prototypes::{OnlineStrategy, Prototypes};
use inkling::learn::text::labelled::{Labelled, read_labelled, sample_per_label};
use inkling::learn::text::{SentenceEncoder, model_dir};

#[derive(Args)]
pub struct EvalTextArgs {
    /// Labelled examples to learn from: CSV with columns `text,label`.
    #[arg(long)]
    support: PathBuf,
    /// Labelled sentences to classify: CSV with columns `text,label`.
    #[arg(long)]
    query: PathBuf,
    /// Keep only this many support rows per label, drawn at random with `--seed` (e.g. 10 for
    /// Banking77's 10-shot setting); all rows when not given.
    #[arg(long)]
    shots: Option<usize>,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The sentence encoder's folder (`cargo xtask text-model` makes it).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Use the f16 weights the browser loads instead of the published f32 ones.
    #[arg(long)]
    half: bool,
    /// Print one JSON object: {"accuracy": A, "macro_f1": F, "n_query": N}.
    #[arg(long)]
    json: bool,
}

fn read(path: &PathBuf) -> Result<Vec<Labelled>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    read_labelled(&bytes, &path.display().to_string()).map_err(|e| e.to_string())
}

pub fn run(args: EvalTextArgs) -> Result<(), String> {
    let mut support = read(&args.support)?;
    if let Some(k) = args.shots {
        support = sample_per_label(&support, k, args.seed);
    }
    let query = read(&args.query)?;
    let mut labels: Vec<String> = support.iter().map(|r| r.label.clone()).collect();
    labels.sort();
    labels.dedup();
    if labels.len() < 2 {
        return Err(format!(
            "{}: at least 2 labels are needed, it has {}",
            args.support.display(),
            labels.len()
        ));
    }
    for row in &query {
        if labels.binary_search(&row.label).is_err() {
            return Err(format!(
                "{} line {}: the label \"{}\" is not among the support's labels",
                args.query.display(),
                row.line,
                row.label
            ));
        }
    }
    let device = Device::flex();
    let dir = args.model.unwrap_or_else(model_dir);
    let started = Instant::now();
    let encoder = SentenceEncoder::from_dir(&dir, args.half, &device)?;
    let load = started.elapsed();
    let started = Instant::now();
    let texts: Vec<&str> = support
        .iter()
        .chain(&query)
        .map(|r| r.text.as_str())
        .collect();
    let embeddings = encoder.embed(&texts);
    let embed_time = started.elapsed();
    let (support_e, query_e) = embeddings.split_at(support.len());
    let mut model = Prototypes::new(support_e[0].len(), OnlineStrategy::Incremental)
        .map_err(|e| e.to_string())?;
    for label in &labels {
        model.add_class(label.clone());
    }
    for (row, e) in support.iter().zip(support_e) {
        let k = labels.binary_search(&row.label).expect("a support label");
        model.add_example(k, e.clone()).map_err(|e| e.to_string())?;
    }
    let mut pairs = Vec::with_capacity(query.len());
    for (row, e) in query.iter().zip(query_e) {
        let actual = labels.binary_search(&row.label).expect("checked above");
        let predicted = model.predict(e, 0).map_err(|e| e.to_string())?.best;
        pairs.push((actual, predicted));
    }
    let cm = ConfusionMatrix::from_pairs(labels.clone(), &pairs);
    let (accuracy, macro_f1) = (cm.accuracy(), cm.macro_f1());
    if args.json {
        println!(
            "{}",
            serde_json::json!({"accuracy": accuracy, "macro_f1": macro_f1, "n_query": query.len()})
        );
    } else {
        println!(
            "{} labels, {} support and {} query sentences{}",
            labels.len(),
            support.len(),
            query.len(),
            args.shots
                .map(|k| format!(" ({k} per label, seed {})", args.seed))
                .unwrap_or_default()
        );
        println!(
            "accuracy {:.2}%  macro F1 {:.2}%",
            accuracy * 100.0,
            macro_f1 * 100.0
        );
        println!(
            "model load {:.2} s, {} sentences embedded in {:.2} s ({:.0} per second, {} weights)",
            load.as_secs_f64(),
            texts.len(),
            embed_time.as_secs_f64(),
            texts.len() as f64 / embed_time.as_secs_f64(),
            if args.half { "f16" } else { "f32" }
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct ConvertArgs {
    /// The folder with `model.safetensors` (and `tokenizer.json`); the f16 file goes beside.
    #[arg(long)]
    model: Option<PathBuf>,
}

/// `model.safetensors` (f32, as published) -> `model.f16.bpk` (what the browser loads).
pub fn convert(args: ConvertArgs) -> Result<(), String> {
    let dir = args.model.unwrap_or_else(model_dir);
    let (path, bytes) = inkling::learn::text::convert_to_f16(&dir)?;
    println!("{} ({bytes} bytes)", path.display());
    Ok(())
}
