//! `inkling make-lesson greek`: the built-in Greek handwriting lesson from Omniglot's pen
//! trajectories (reproducible: the committed `public/lessons/greek-letters.json` is its output).

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use inkling::learn::preprocess::{Stroke, parse_omniglot_strokes};
use inkling::lesson::builtin::{GREEK_LETTERS, GREEK_REFERENCES, greek_lesson};
use inkling::lesson::export;

#[derive(Args)]
pub struct MakeLessonArgs {
    /// Which lesson (only `greek` so far).
    pub which: String,
    /// The Omniglot strokes zip holding the Greek alphabet.
    #[arg(
        long,
        default_value = "../shared/data/omniglot/strokes_background_small1.zip"
    )]
    pub strokes: PathBuf,
    /// Where to write the lesson file.
    #[arg(long, default_value = "public/lessons/greek-letters.json")]
    pub out: PathBuf,
}

/// The first `n` drawings (in file-name order) of an Omniglot character in a strokes zip.
pub fn character_drawings(
    zip_path: &std::path::Path,
    character: &str,
    n: usize,
) -> Result<Vec<Vec<Stroke>>, String> {
    let file = std::fs::File::open(zip_path).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let marker = format!("/Greek/{character}/");
    let mut names: Vec<String> = zip
        .file_names()
        .filter(|f| f.contains(&marker) && f.ends_with(".txt"))
        .map(String::from)
        .collect();
    names.sort();
    if names.len() < n {
        return Err(format!(
            "{}: Greek/{character} has {} drawings, {n} are needed",
            zip_path.display(),
            names.len()
        ));
    }
    names
        .iter()
        .take(n)
        .map(|name| {
            let mut text = String::new();
            zip.by_name(name)
                .map_err(|e| format!("{name}: {e}"))?
                .read_to_string(&mut text)
                .map_err(|e| format!("{name}: {e}"))?;
            parse_omniglot_strokes(&text).map_err(|e| format!("{name}: {e}"))
        })
        .collect()
}

pub fn run(args: MakeLessonArgs) -> Result<(), String> {
    if args.which != "greek" {
        return Err(format!(
            "no lesson named \"{}\" (there is: greek)",
            args.which
        ));
    }
    let references = GREEK_LETTERS
        .iter()
        .map(|(character, _)| character_drawings(&args.strokes, character, GREEK_REFERENCES))
        .collect::<Result<Vec<_>, _>>()?;
    let bytes = export(&greek_lesson(references));
    std::fs::write(&args.out, &bytes).map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    Ok(())
}
