//! Argument parsing and the commands.

mod bench;
mod eval;
mod federated;
mod lesson;
mod model;
mod text;
mod train;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use burn::prelude::Device;
use clap::{Parser, Subcommand};
use inkling::learn::encoder::{Encoder, EncoderConfig};
use inkling::learn::weights::{ModelCard, encoder_from_bytes};

#[derive(Parser)]
#[command(
    name = "inkling",
    about = "Inkling's few-shot engine on the command line",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Meta-train the sketch encoder on Omniglot (prototypical networks or first-order MAML).
    MetaTrain(train::MetaTrainArgs),
    /// Few-shot accuracy on episode folders or on an alphabet/character/*.png tree.
    Eval(eval::EvalArgs),
    /// Encoder throughput, fine-tuning step time and prototype update time on flex.
    Bench(bench::BenchArgs),
    /// Make a built-in lesson from the data (`greek`: the handwriting lesson).
    MakeLesson(lesson::MakeLessonArgs),
    /// Few-shot text classification with the sentence encoder (CSV files `text,label`).
    EvalText(text::EvalTextArgs),
    /// Convert the sentence encoder's published weights to the f16 burnpack the browser loads.
    ConvertTextModel(text::ConvertArgs),
    /// Write a project file's model as a model file (`docs/model-format.md`).
    ExportModel(model::ExportModelArgs),
    /// Classify drawings (PNG, stroke JSON) or sentences with a model file.
    Predict(model::PredictArgs),
    /// Simulate a class sharing contributions (Omniglot drawers or Banking77 sentences as
    /// students): personal, federated, personal + class and centralised accuracy.
    Federated(federated::FederatedArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::MetaTrain(args) => train::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
        Command::MakeLesson(args) => lesson::run(args),
        Command::EvalText(args) => text::run(args),
        Command::ConvertTextModel(args) => text::convert(args),
        Command::ExportModel(args) => model::export(args),
        Command::Predict(args) => model::predict(args),
        Command::Federated(args) => federated::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Where the data is, relative to the project root (see `../shared/data/README.md`).
pub fn default_data_dir() -> PathBuf {
    PathBuf::from("../shared/data/omniglot")
}

/// The largest encoder weights file read (the browser's budget is 2 MB; this leaves room for
/// wider encoders tried natively).
const MAX_ENCODER_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A trained encoder's weights (`.bpk`) on `device`, shaped as the card beside them
/// (`.json`) says, or as the default encoder where there is no card.
pub fn load_encoder_file(path: &Path, device: &Device) -> Result<Encoder, String> {
    Ok(load_encoder_file_and_sha256(path, device)?.0)
}

/// [`load_encoder_file`], with the sha256 (hex) of the weights it read.
pub fn load_encoder_file_and_sha256(
    path: &Path,
    device: &Device,
) -> Result<(Encoder, String), String> {
    use sha2::{Digest, Sha256};
    let bytes = read_file(path, MAX_ENCODER_FILE_BYTES)?;
    let sha256 = inkling::learn::text::manifest::hex(&Sha256::digest(&bytes));
    let card_path = path.with_extension("json");
    let config = match std::fs::read_to_string(&card_path) {
        Ok(text) => ModelCard::parse(&text)
            .map_err(|e| format!("{}: {e}", card_path.display()))?
            .encoder_config(),
        Err(_) => EncoderConfig::new(),
    };
    let encoder = encoder_from_bytes(&config, &bytes, device)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((encoder, sha256))
}

/// The bytes of the file at `path`; one larger than `limit` bytes is refused, naming it, before
/// more than that is read.
pub fn read_file(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    let at = |e: std::io::Error| format!("{}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(at)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(at)?;
    if bytes.len() > limit {
        return Err(format!(
            "{}: larger than {limit} bytes, the most read from such a file",
            path.display()
        ));
    }
    Ok(bytes)
}
