//! `inkling export-model`: a project file's model as a model file (`docs/model-format.md`);
//! `inkling predict`: a model file's answers for PNG images, stroke JSON files or sentences.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use burn::prelude::*;
use clap::Args;
use inkling::learn::evaluate::embed_with_shipped_encoder;
use inkling::learn::preprocess::{ModelInput, Stroke, image_bytes_to_input, strokes_to_input};
use inkling::learn::text::SentenceModel;
use inkling::personal::file::MAX_FILE_BYTES as MODEL_FILE_BYTES;
use inkling::personal::{ModelAnswer, ModelFile, TrainingSet};
use inkling::project::file;
use serde::Deserialize;

use super::read_file;

#[derive(Args)]
pub struct ExportModelArgs {
    /// A project file (`.inkling.json`, as the app exports it), of drawings or sentences.
    #[arg(long)]
    project: PathBuf,
    /// Where the model file goes.
    #[arg(long)]
    out: PathBuf,
    /// The sentence encoder's folder, for a text project: the one of the project's kind
    /// (default: `<target>/text-model`, or `<target>/text-model-multilingual` for a
    /// `multilingual-text` project; `cargo xtask text-model` makes both).
    #[arg(long)]
    text_model: Option<PathBuf>,
}

#[derive(Args)]
pub struct PredictArgs {
    /// A model file (`inkling export-model`; `docs/model-format.md`).
    #[arg(long)]
    model: PathBuf,
    /// A sentence to classify (a text model); repeat for more.
    #[arg(long)]
    text: Vec<String>,
    /// The sentence encoder's folder, for a text model: the one of its kind (default as for
    /// export-model).
    #[arg(long)]
    text_model: Option<PathBuf>,
    /// Print one JSON object: {"model": ..., "predictions": [{"input", "label",
    /// "probabilities", "nearest"}]}.
    #[arg(long)]
    json: bool,
    /// Drawings to classify (a drawing model): PNG images (dark on light or light on dark) or
    /// stroke JSON files (a list of strokes, each a list of {"x", "y", "t"} points; or an
    /// object with such a "strokes" list).
    inputs: Vec<PathBuf>,
}

/// The largest drawing file read (a PNG or a stroke JSON file).
const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// The embeddings of `texts`, by sentence model `model` from `dir` (or its default folder).
fn embed_texts(
    model: SentenceModel,
    dir: Option<PathBuf>,
    texts: &[&str],
) -> Result<Vec<Vec<f32>>, String> {
    let dir = dir.unwrap_or_else(|| model.dir());
    let encoder = model.load_from(&dir, &Device::flex())?;
    Ok(encoder.embed(texts))
}

pub fn export(args: ExportModelArgs) -> Result<(), String> {
    let at = |e: String| format!("{}: {e}", args.project.display());
    let project = file::import(&read_file(&args.project, file::MAX_FILE_BYTES)?)
        .map_err(|e| at(e.to_string()))?;
    let examples: Vec<_> = project.classes.iter().flat_map(|c| &c.examples).collect();
    let ids: Vec<u64> = examples.iter().map(|e| e.id).collect();
    let vectors = match project.kind.sentence_model() {
        None => {
            let inputs = examples
                .iter()
                .map(|e| {
                    strokes_to_input(&e.strokes)
                        .map_err(|err| at(format!("drawing {}: {err}", e.id)))
                })
                .collect::<Result<Vec<_>, _>>()?;
            embed_with_shipped_encoder(&inputs)?
        }
        Some(sentence_model) => {
            let texts: Vec<&str> = examples
                .iter()
                .map(|e| e.text.as_deref().unwrap_or_default())
                .collect();
            embed_texts(sentence_model, args.text_model, &texts)?
        }
    };
    let embeddings: HashMap<u64, Vec<f32>> = ids.into_iter().zip(vectors).collect();
    let set = TrainingSet::of(&project, &embeddings);
    let model = ModelFile::of_project(project.kind, &project.kind.encoder_id(), &set, None)
        .map_err(|e| at(e.to_string()))?;
    std::fs::write(&args.out, model.export())
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!(
        "{}: {} classes, {} examples, {} numbers per embedding",
        args.out.display(),
        model.classes.len(),
        set.examples.len(),
        model.dim
    );
    Ok(())
}

/// A stroke file: the strokes alone, or an object holding them.
#[derive(Deserialize)]
#[serde(untagged)]
enum StrokeFile {
    Strokes(Vec<Stroke>),
    Drawing { strokes: Vec<Stroke> },
}

/// One input file as the model's input: a PNG by its signature, else stroke JSON.
fn drawing_input(path: &Path) -> Result<ModelInput, String> {
    let at = |e: String| format!("{}: {e}", path.display());
    let bytes = read_file(path, MAX_INPUT_BYTES)?;
    if bytes.starts_with(b"\x89PNG") {
        return image_bytes_to_input(&bytes).map_err(|e| at(e.to_string()));
    }
    let strokes = match serde_json::from_slice::<StrokeFile>(&bytes) {
        Ok(StrokeFile::Strokes(s) | StrokeFile::Drawing { strokes: s }) => s,
        Err(e) => {
            return Err(at(format!(
                "neither a PNG image nor a stroke JSON file (a list of strokes of {{\"x\", \"y\", \"t\"}} points): {e}"
            )));
        }
    };
    // Bounded as a project's drawings are, before any work grows with them.
    file::check_strokes(&strokes, "strokes").map_err(|e| at(e.to_string()))?;
    strokes_to_input(&strokes).map_err(|e| at(e.to_string()))
}

pub fn predict(args: PredictArgs) -> Result<(), String> {
    let at = |e: String| format!("{}: {e}", args.model.display());
    let model = ModelFile::import(&read_file(&args.model, MODEL_FILE_BYTES)?)
        .map_err(|e| at(e.to_string()))?;
    if model.encoder != model.kind.encoder_id() {
        return Err(at(format!(
            "made with the encoder \"{}\", but this inkling has \"{}\"",
            model.encoder,
            model.kind.encoder_id()
        )));
    }
    let (names, embeddings): (Vec<String>, Vec<Vec<f32>>) = match model.kind.sentence_model() {
        None => {
            if !args.text.is_empty() {
                return Err(at("a drawing model: give drawings, not --text".into()));
            }
            let inputs = args
                .inputs
                .iter()
                .map(|p| drawing_input(p))
                .collect::<Result<Vec<_>, _>>()?;
            let names = args.inputs.iter().map(|p| p.display().to_string());
            (names.collect(), embed_with_shipped_encoder(&inputs)?)
        }
        Some(sentence_model) => {
            if !args.inputs.is_empty() {
                return Err(at("a text model: give sentences with --text".into()));
            }
            let texts: Vec<&str> = args.text.iter().map(String::as_str).collect();
            let embedded = embed_texts(sentence_model, args.text_model, &texts)?;
            (args.text.clone(), embedded)
        }
    };
    if names.is_empty() {
        return Err("nothing to classify: give drawings or --text sentences".into());
    }
    let answers: Vec<ModelAnswer> = embeddings
        .iter()
        .map(|e| model.answer(e).map_err(|e| at(e.to_string())))
        .collect::<Result<_, _>>()?;
    if args.json {
        let predictions: Vec<serde_json::Value> = names
            .iter()
            .zip(&answers)
            .map(|(input, a)| {
                serde_json::json!({
                    "input": input,
                    "label": a.label,
                    "fine_tuned": a.fine_tuned,
                    "probabilities": a.probabilities.iter()
                        .map(|(n, p)| (n.clone(), serde_json::json!(p)))
                        .collect::<serde_json::Map<_, _>>(),
                    "nearest": a.nearest.iter()
                        .map(|(n, d)| serde_json::json!({"class": n, "squared_distance": d}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"model": args.model.display().to_string(), "predictions": predictions})
        );
    } else {
        for (input, a) in names.iter().zip(&answers) {
            let mut ranked = a.probabilities.clone();
            ranked.sort_by(|x, y| y.1.total_cmp(&x.1));
            let top: Vec<String> = ranked
                .iter()
                .take(3)
                .map(|(n, p)| format!("{n} {:.1}%", p * 100.0))
                .collect();
            println!("{input}: {}  ({})", a.label, top.join(", "));
        }
    }
    Ok(())
}
