//! Reading drawings from disk (native only): Omniglot's zip files (images or strokes) and
//! folder trees of PNGs. Every error names the file or folder at fault.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::dataset::{CharacterClass, Dataset, Drawing};
use super::preprocess::{
    Distortion, PreprocessError, image_segments, parse_omniglot_strokes, segments_to_input,
    stroke_segments,
};

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Drawing {
        path: String,
        source: PreprocessError,
    },
    #[error("{path}: not a readable zip file: {message}")]
    Zip { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Layout { path: PathBuf, message: String },
    #[error(
        "{path}: larger than {MAX_DRAWING_FILE_BYTES} bytes, the most read from a drawing file"
    )]
    TooLarge { path: String },
}

/// The largest drawing file read, whether from a zip or a folder (Omniglot's are a few KB):
/// a zip entry is read only this far, so one that inflates to gigabytes is refused, named.
pub const MAX_DRAWING_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// All of `reader` (named `name` in errors), refused past [`MAX_DRAWING_FILE_BYTES`].
fn read_drawing_file(reader: impl Read, name: &str, path: &Path) -> Result<Vec<u8>, DataError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DRAWING_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io(path))?;
    if bytes.len() as u64 > MAX_DRAWING_FILE_BYTES {
        return Err(DataError::TooLarge { path: name.into() });
    }
    Ok(bytes)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DataError + '_ {
    move |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An Omniglot zip (`<split>/<alphabet>/<character>/<id>.png` or `.txt` stroke files).
pub fn load_omniglot_zip(path: &Path) -> Result<Dataset, DataError> {
    let file = fs::File::open(path).map_err(io(path))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| DataError::Zip {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut classes: BTreeMap<(String, String), Vec<Drawing>> = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| DataError::Zip {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let name = entry.name().to_string();
        let parts: Vec<&str> = name.split('/').collect();
        if parts.len() != 4 || parts[0].starts_with("__MACOSX") || parts[3].starts_with('.') {
            continue;
        }
        let is_png = parts[3].ends_with(".png");
        if !is_png && !parts[3].ends_with(".txt") {
            continue;
        }
        let source = format!("{}:{name}", path.display());
        let bytes = read_drawing_file(&mut entry, &source, path)?;
        let segments = if is_png {
            drawing_segments_from_png(&bytes)
        } else {
            let text = String::from_utf8_lossy(&bytes);
            parse_omniglot_strokes(&text).and_then(|s| stroke_segments(&s))
        }
        .map_err(|source_err| DataError::Drawing {
            path: source.clone(),
            source: source_err,
        })?;
        classes
            .entry((parts[1].to_string(), parts[2].to_string()))
            .or_default()
            .push(Drawing { source, segments });
    }
    if classes.is_empty() {
        return Err(DataError::Layout {
            path: path.to_path_buf(),
            message: "no <split>/<alphabet>/<character>/<drawing>.png or .txt entries".into(),
        });
    }
    Ok(into_dataset(classes))
}

fn drawing_segments_from_png(
    bytes: &[u8],
) -> Result<Vec<super::preprocess::Segment>, PreprocessError> {
    image_segments(&super::preprocess::decode_image(bytes)?)
}

fn into_dataset(classes: BTreeMap<(String, String), Vec<Drawing>>) -> Dataset {
    Dataset {
        classes: classes
            .into_iter()
            .map(|((alphabet, name), mut drawings)| {
                drawings.sort_by(|a, b| a.source.cmp(&b.source));
                CharacterClass {
                    alphabet,
                    name,
                    drawings,
                }
            })
            .collect(),
    }
}

/// Several data sets as one; a class present in more than one (Omniglot's two minimal splits
/// share Greek and Latin) is taken from the first only.
pub fn merge_datasets(sets: Vec<Dataset>) -> Dataset {
    let mut out = Dataset::default();
    for set in sets {
        for class in set.classes {
            let seen = out
                .classes
                .iter()
                .any(|c| c.alphabet == class.alphabet && c.name == class.name);
            if !seen {
                out.classes.push(class);
            }
        }
    }
    out
}

/// Sorted entries of a folder, hidden ones (`.name`) left out: (sub-folders, files).
pub fn list_dir(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), DataError> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            dirs.push(path);
        } else {
            files.push(path);
        }
    }
    dirs.sort();
    files.sort();
    Ok((dirs, files))
}

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A PNG file as a drawing (pen segments of its ink skeleton); the error names the file.
pub fn read_image_drawing(path: &Path) -> Result<Drawing, DataError> {
    let source = path.display().to_string();
    let bytes = read_drawing_file(fs::File::open(path).map_err(io(path))?, &source, path)?;
    let segments = drawing_segments_from_png(&bytes).map_err(|e| DataError::Drawing {
        path: source.clone(),
        source: e,
    })?;
    // Render once now, so a drawing that cannot become model input fails here, named.
    segments_to_input(&segments, &Distortion::identity()).map_err(|e| DataError::Drawing {
        path: source.clone(),
        source: e,
    })?;
    Ok(Drawing { source, segments })
}

/// Labelled drawings: (class name, its drawings), classes sorted by name.
pub type LabelledDrawings = Vec<(String, Vec<Drawing>)>;

/// `dir/<class>/<image>.png`: every class folder must hold at least one PNG.
pub fn load_class_folders(dir: &Path) -> Result<LabelledDrawings, DataError> {
    let (class_dirs, _) = list_dir(dir)?;
    if class_dirs.is_empty() {
        return Err(DataError::Layout {
            path: dir.to_path_buf(),
            message: "no class folders (expected <class>/<image>.png)".into(),
        });
    }
    let mut out = Vec::new();
    for class_dir in class_dirs {
        let (_, files) = list_dir(&class_dir)?;
        let images: Vec<PathBuf> = files.into_iter().filter(|f| is_image(f)).collect();
        if images.is_empty() {
            return Err(DataError::Layout {
                path: class_dir,
                message: "empty class: no .png images".into(),
            });
        }
        let drawings = images
            .iter()
            .map(|image| read_image_drawing(image))
            .collect::<Result<Vec<_>, _>>()?;
        out.push((name_of(&class_dir), drawings));
    }
    Ok(out)
}

/// An `alphabet/character/*.png` tree (such as an unzipped Omniglot split) as a data set.
pub fn load_image_tree(dir: &Path) -> Result<Dataset, DataError> {
    let (alphabets, _) = list_dir(dir)?;
    let mut classes = BTreeMap::new();
    for alphabet_dir in alphabets {
        let (characters, _) = list_dir(&alphabet_dir)?;
        for character_dir in characters {
            let (_, files) = list_dir(&character_dir)?;
            let drawings = files
                .iter()
                .filter(|f| is_image(f))
                .map(|f| read_image_drawing(f))
                .collect::<Result<Vec<_>, _>>()?;
            if drawings.is_empty() {
                return Err(DataError::Layout {
                    path: character_dir,
                    message: "empty class: no .png images".into(),
                });
            }
            classes.insert((name_of(&alphabet_dir), name_of(&character_dir)), drawings);
        }
    }
    if classes.is_empty() {
        return Err(DataError::Layout {
            path: dir.to_path_buf(),
            message: "no <alphabet>/<character>/<image>.png found".into(),
        });
    }
    Ok(into_dataset(classes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip whose one stroke entry inflates to `size` bytes of spaces.
    fn zip_with_entry_of(size: usize) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("split/Alpha/character01/0101_01.txt", options)
            .unwrap();
        zip.write_all(&vec![b' '; size]).unwrap();
        zip.finish().unwrap();
        file
    }

    #[test]
    fn a_zip_entry_that_inflates_past_the_limit_is_refused_by_name() {
        let zip = zip_with_entry_of(MAX_DRAWING_FILE_BYTES as usize + 1);
        let err = load_omniglot_zip(zip.path()).unwrap_err().to_string();
        assert!(
            err.contains("character01/0101_01.txt") && err.contains("larger than"),
            "{err}"
        );
    }

    #[test]
    fn a_png_past_the_limit_in_a_class_folder_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let class = dir.path().join("alpha");
        fs::create_dir(&class).unwrap();
        let image = class.join("huge.png");
        fs::write(&image, vec![0u8; MAX_DRAWING_FILE_BYTES as usize + 1]).unwrap();
        let err = load_class_folders(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("huge.png") && err.contains("larger than"),
            "{err}"
        );
    }
}
