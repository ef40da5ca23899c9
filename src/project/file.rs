//! A project as one file (`.inkling.json`): what "Export" writes and "Import" reads back.
//!
//! Exporting is deterministic (same project, same bytes), and importing an exported file gives
//! back exactly the same project, so export -> import -> export is byte-for-byte stable.
//! An imported file is untrusted: it is parsed with limits and every rule of [`Project`] is
//! checked, each problem naming where it is (`project.classes[1].examples[0].strokes[2][5].x`).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{MAX_CLASSES, MAX_NEXT_ID, MIN_CLASSES, Project, ProjectKind, clean_name, clean_text};

/// What the `format` field of a project file says.
pub const FORMAT: &str = "inkling-project";
/// The newest file version this build writes and reads.
pub const VERSION: u32 = 1;
/// Largest file accepted: far above any real project (a drawing is a few kB).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Limits that keep a hostile file from exhausting memory after parsing.
pub const MAX_EXAMPLES: usize = 20_000;
pub const MAX_STROKES_PER_EXAMPLE: usize = 500;
pub const MAX_POINTS_PER_STROKE: usize = 10_000;
/// Coordinates are canvas pixels; anything beyond this is not a drawing.
pub const MAX_COORDINATE: f32 = 1.0e6;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    format: String,
    version: u32,
    project: Project,
}

/// Just enough of a file to read its header before trusting the rest (every other field is
/// skipped without being kept).
#[derive(Deserialize)]
struct Header {
    format: Option<HeaderValue>,
    version: Option<HeaderValue>,
}

/// A header field of an untrusted file: its text or whole number, or only what else it is, so
/// that a huge value there is skipped, not copied (as a `serde_json::Value` would be).
#[derive(Debug, PartialEq)]
enum HeaderValue {
    Text(String),
    Whole(u64),
    Other(&'static str),
}

impl HeaderValue {
    fn as_u64(&self) -> Option<u64> {
        match self {
            HeaderValue::Whole(v) => Some(*v),
            _ => None,
        }
    }
}

/// As it could appear in a message: text quoted and cut to 40 characters.
impl std::fmt::Display for HeaderValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderValue::Text(t) if t.chars().count() > 40 => {
                let cut: String = t.chars().take(40).collect();
                write!(f, "{:?}", format!("{cut}…"))
            }
            HeaderValue::Text(t) => write!(f, "{t:?}"),
            HeaderValue::Whole(v) => write!(f, "{v}"),
            HeaderValue::Other(what) => f.write_str(what),
        }
    }
}

impl<'de> Deserialize<'de> for HeaderValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HeaderValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Whole(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Other("a negative number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Other("a fractional number"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Other("true or false"))
            }
            fn visit_unit<E>(self) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Other("null"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<HeaderValue, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(HeaderValue::Other("a list"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderValue, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(HeaderValue::Other("an object"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Why a file's header (`format`, `version`) is not one this build reads.
#[derive(Debug, PartialEq)]
pub(crate) enum HeaderError {
    /// The bytes are not JSON.
    NotJson(String),
    /// `format` is missing (`None`) or names another kind of file (as shown).
    Format(Option<String>),
    /// A version newer than this build reads.
    Newer(u64),
    /// `version` is missing, not a whole number (`None`) or 0.
    Version(Option<u64>),
}

/// Read only a file's `format` and `version` (every other field skipped, not kept) and check
/// them: `format` must be `format`, `version` 1 to `newest` (returned). Every importer does
/// this before reading the whole file, so that a newer file is refused as newer (not for fields
/// this build does not know) and a huge value in the header is not copied.
pub(crate) fn check_header(bytes: &[u8], format: &str, newest: u32) -> Result<u64, HeaderError> {
    let header: Header =
        serde_json::from_slice(bytes).map_err(|e| HeaderError::NotJson(e.to_string()))?;
    match header.format {
        Some(HeaderValue::Text(f)) if f == format => {}
        other => return Err(HeaderError::Format(other.map(|v| v.to_string()))),
    }
    match header.version.as_ref().and_then(HeaderValue::as_u64) {
        Some(v) if v > u64::from(newest) => Err(HeaderError::Newer(v)),
        Some(v) if v >= 1 => Ok(v),
        v => Err(HeaderError::Version(v)),
    }
}

/// A header error of a file whose errors name a field (a model, a contribution, a pool): the
/// field at fault and the problem. (`NotJson` is the caller's own error; named `format` here.)
pub(crate) fn header_field(
    error: HeaderError,
    format: &str,
    newest: u32,
) -> (&'static str, String) {
    match error {
        HeaderError::NotJson(e) => ("format", format!("not JSON ({e})")),
        HeaderError::Format(Some(shown)) => ("format", format!("{shown}, not \"{format}\"")),
        HeaderError::Format(None) => ("format", "missing".into()),
        HeaderError::Newer(v) | HeaderError::Version(Some(v)) => (
            "version",
            format!("version {v} is not one this Inkling reads (1 to {newest})"),
        ),
        HeaderError::Version(None) => ("version", "must be a whole number".into()),
    }
}

/// The header rule of [`check_header`] for a file already read whole (a contribution inside a
/// pool, or one made in memory).
pub(crate) fn check_format_version(
    found_format: &str,
    found_version: u32,
    format: &str,
    newest: u32,
) -> Result<(), (&'static str, String)> {
    let error = if found_format != format {
        HeaderError::Format(Some(HeaderValue::Text(found_format.into()).to_string()))
    } else if found_version == 0 || found_version > newest {
        HeaderError::Version(Some(found_version.into()))
    } else {
        return Ok(());
    };
    Err(header_field(error, format, newest))
}

/// The largest magnitude of a number in a shared model file (prototypes, sums, head weights):
/// far above any real one.
pub(crate) const MAX_ABS_VALUE: f32 = 1e9;

/// `values` must be `len` finite numbers of magnitude at most [`MAX_ABS_VALUE`]; else the path
/// at fault (`path[i]` for the first bad number) and the problem.
pub(crate) fn check_numbers(
    path: &str,
    values: &[f32],
    len: usize,
) -> Result<(), (String, String)> {
    if values.len() != len {
        return Err((
            path.to_string(),
            format!("{} numbers where {len} belong", values.len()),
        ));
    }
    match values
        .iter()
        .position(|v| !v.is_finite() || v.abs() > MAX_ABS_VALUE)
    {
        Some(i) => Err((
            format!("{path}[{i}]"),
            "not a finite number in range".into(),
        )),
        None => Ok(()),
    }
}

impl FileError {
    /// A project's or a profile's header error, as the app shows it.
    pub(crate) fn of_header(error: HeaderError, format: &str) -> FileError {
        match error {
            HeaderError::NotJson(e) => FileError::NotAProject(format!("it is not JSON ({e})")),
            HeaderError::Format(Some(shown)) => {
                FileError::NotAProject(format!("its format is {shown}, not \"{format}\""))
            }
            HeaderError::Format(None) => FileError::NotAProject(format!(
                "it has no \"format\" field (it should be \"{format}\")"
            )),
            HeaderError::Newer(v) => FileError::NewerVersion(v),
            HeaderError::Version(_) => invalid(
                "version",
                "must be a whole number from 1 (the file's format version)",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("the file is {0} bytes; the largest project file accepted is {MAX_FILE_BYTES} bytes")]
    TooLarge(usize),
    #[error("this is not an Inkling project file: {0}")]
    NotAProject(String),
    #[error(
        "this project file is version {0}, newer than this app understands ({VERSION}); update Inkling to open it"
    )]
    NewerVersion(u64),
    #[error("the file is not valid: {0}")]
    Syntax(String),
    #[error("{path}: {problem}")]
    Invalid { path: String, problem: String },
}

fn invalid(path: impl Into<String>, problem: impl Into<String>) -> FileError {
    FileError::Invalid {
        path: path.into(),
        problem: problem.into(),
    }
}

/// The project as one JSON file (pretty-printed, so a teacher can read it).
pub fn export(project: &Project) -> Vec<u8> {
    let file = ProjectFile {
        format: FORMAT.into(),
        version: VERSION,
        project: project.clone(),
    };
    serde_json::to_vec_pretty(&file).expect("a project always serialises")
}

/// Read a project file, checking everything; nothing is trusted.
pub fn import(bytes: &[u8]) -> Result<Project, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge(bytes.len()));
    }
    check_header(bytes, FORMAT, VERSION).map_err(|e| FileError::of_header(e, FORMAT))?;
    let file: ProjectFile =
        serde_json::from_slice(bytes).map_err(|e| FileError::Syntax(e.to_string()))?;
    validate(&file.project)?;
    Ok(file.project)
}

/// Every rule a project keeps, with the path of the first thing that breaks one.
pub fn validate(project: &Project) -> Result<(), FileError> {
    let root = "project";
    if project.next_id > MAX_NEXT_ID {
        return Err(invalid(
            format!("{root}.next_id"),
            format!(
                "is {}, above {MAX_NEXT_ID} (the largest id a browser stores exactly)",
                project.next_id
            ),
        ));
    }
    clean_name(&project.name).map_err(|e| invalid(format!("{root}.name"), e.to_string()))?;
    if project.name.trim() != project.name {
        return Err(invalid(
            format!("{root}.name"),
            "has spaces at the start or end",
        ));
    }
    let n = project.classes.len();
    if !(MIN_CLASSES..=MAX_CLASSES).contains(&n) {
        return Err(invalid(
            format!("{root}.classes"),
            format!("has {n} classes; a project has {MIN_CLASSES} to {MAX_CLASSES}"),
        ));
    }
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    let mut examples = 0usize;
    let mut check_id = |id: u64, path: &str| {
        if id >= project.next_id {
            return Err(invalid(
                format!("{path}.id"),
                format!("is {id}, not below next_id ({})", project.next_id),
            ));
        }
        if !ids.insert(id) {
            return Err(invalid(format!("{path}.id"), format!("{id} is used twice")));
        }
        Ok(())
    };
    for (k, class) in project.classes.iter().enumerate() {
        let path = format!("{root}.classes[{k}]");
        check_id(class.id, &path)?;
        let name =
            clean_name(&class.name).map_err(|e| invalid(format!("{path}.name"), e.to_string()))?;
        if name != class.name {
            return Err(invalid(
                format!("{path}.name"),
                "has spaces at the start or end",
            ));
        }
        if !names.insert(name.to_lowercase()) {
            return Err(invalid(
                format!("{path}.name"),
                format!("\"{name}\" is the name of another class too"),
            ));
        }
        examples += class.examples.len();
        if examples > MAX_EXAMPLES {
            return Err(invalid(
                format!("{path}.examples"),
                format!("more than {MAX_EXAMPLES} examples in the project"),
            ));
        }
        for (i, example) in class.examples.iter().enumerate() {
            let path = format!("{path}.examples[{i}]");
            check_id(example.id, &path)?;
            match project.kind {
                ProjectKind::Drawing => {
                    if example.text.is_some() {
                        return Err(invalid(
                            format!("{path}.text"),
                            "a drawing project's examples are drawings, not text",
                        ));
                    }
                    check_strokes(&example.strokes, &format!("{path}.strokes"))?;
                }
                ProjectKind::Text | ProjectKind::MultilingualText => {
                    if !example.strokes.is_empty() {
                        return Err(invalid(
                            format!("{path}.strokes"),
                            "a text project's examples are sentences, not drawings",
                        ));
                    }
                    let Some(text) = &example.text else {
                        return Err(invalid(format!("{path}.text"), "is missing"));
                    };
                    let clean = clean_text(text)
                        .map_err(|e| invalid(format!("{path}.text"), e.to_string()))?;
                    if &clean != text {
                        return Err(invalid(
                            format!("{path}.text"),
                            "has spaces at the start or end",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// A drawing's strokes: few enough, not empty, every coordinate a finite number in range;
/// a problem names `path[stroke][point].axis`.
pub fn check_strokes(
    strokes: &[crate::learn::preprocess::Stroke],
    path: &str,
) -> Result<(), FileError> {
    if strokes.len() > MAX_STROKES_PER_EXAMPLE {
        return Err(invalid(
            path,
            format!(
                "{} strokes; at most {MAX_STROKES_PER_EXAMPLE}",
                strokes.len()
            ),
        ));
    }
    if strokes.iter().all(|s| s.is_empty()) {
        return Err(invalid(path, "the drawing has no points"));
    }
    for (s, stroke) in strokes.iter().enumerate() {
        if stroke.len() > MAX_POINTS_PER_STROKE {
            return Err(invalid(
                format!("{path}[{s}]"),
                format!("{} points; at most {MAX_POINTS_PER_STROKE}", stroke.len()),
            ));
        }
        for (p, point) in stroke.iter().enumerate() {
            for (axis, v) in [("x", point.x), ("y", point.y), ("t", point.t)] {
                if !v.is_finite() || v.abs() > MAX_COORDINATE {
                    return Err(invalid(
                        format!("{path}[{s}][{p}].{axis}"),
                        format!("{v} is not a coordinate (a number within ±{MAX_COORDINATE})"),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::preprocess::Point;

    fn drawing(seed: f32) -> Vec<crate::learn::preprocess::Stroke> {
        (0..3)
            .map(|s| {
                (0..20)
                    .map(|i| Point {
                        // Values with long decimal expansions: the round trip must be exact.
                        x: (i as f32 * 1.37 + seed).sin() * 100.0 / 3.0,
                        y: s as f32 * 7.1 + seed / 7.0,
                        t: i as f32 * 16.667,
                    })
                    .collect()
            })
            .collect()
    }

    fn sample() -> Project {
        let mut p = Project::new("Greek \"letters\" <b>", &["alpha", "βήτα", "gamma"]).unwrap();
        let ids: Vec<u64> = p.classes.iter().map(|c| c.id).collect();
        for (k, &id) in ids.iter().enumerate() {
            for j in 0..2 {
                p.add_example(id, drawing(k as f32 * 10.0 + j as f32))
                    .unwrap();
            }
        }
        p.delete_example(p.classes[0].examples[0].id).unwrap();
        p
    }

    #[test]
    fn export_then_import_is_the_same_project_and_the_same_bytes() {
        let project = sample();
        let bytes = export(&project);
        let back = import(&bytes).unwrap();
        assert_eq!(back, project);
        assert_eq!(back.next_id(), project.next_id());
        assert_eq!(export(&back), bytes);
    }

    #[test]
    fn wrong_files_say_what_is_wrong() {
        assert!(matches!(import(b"\x89PNG"), Err(FileError::NotAProject(_))));
        assert!(matches!(
            import(br#"{"format": "inkling-lesson", "version": 1}"#),
            Err(FileError::NotAProject(m)) if m.contains("inkling-lesson")
        ));
        assert_eq!(
            import(br#"{"format": "inkling-project", "version": 7, "project": {}}"#),
            Err(FileError::NewerVersion(7))
        );
        let text = String::from_utf8(export(&sample())).unwrap();
        let broken = text.replacen("\"next_id\"", "\"next\"", 1);
        match import(broken.as_bytes()) {
            Err(FileError::Syntax(m)) => assert!(m.contains("line"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_projects_round_trip_and_their_sentences_are_checked() {
        let mut p = Project::new_text("Moods", &["happy", "sad"]).unwrap();
        let (happy, sad) = (p.classes[0].id, p.classes[1].id);
        p.add_text_example(happy, "What a <b>lovely</b> day, \"really\"!")
            .unwrap();
        p.add_text_example(sad, "今天下雨了。").unwrap();
        let bytes = export(&p);
        assert_eq!(import(&bytes).unwrap(), p);
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            f(&mut json);
            match import(&serde_json::to_vec(&json).unwrap()) {
                Err(FileError::Invalid { path, problem }) => format!("{path}: {problem}"),
                other => panic!("{other:?}"),
            }
        };
        let example = |j: &mut serde_json::Value| j["project"]["classes"][1]["examples"][0].take();
        assert_eq!(
            edit(&|j| j["project"]["classes"][1]["examples"][0]["text"] = "  ".into()),
            "project.classes[1].examples[0].text: an example sentence cannot be empty"
        );
        assert!(
            edit(&|j| j["project"]["classes"][1]["examples"][0]["text"] = "x".repeat(1001).into())
                .starts_with("project.classes[1].examples[0].text: ")
        );
        assert_eq!(
            edit(&|j| {
                let mut e = example(j);
                e.as_object_mut().unwrap().remove("text");
                j["project"]["classes"][1]["examples"][0] = e;
            }),
            "project.classes[1].examples[0].text: is missing"
        );
        // A drawing in a text project, and a sentence in a drawing project, are refused.
        assert!(
            edit(&|j| {
                j["project"]["classes"][1]["examples"][0]["strokes"] =
                    serde_json::json!([[{"x": 1.0, "y": 2.0, "t": 0.0}]])
            })
            .starts_with("project.classes[1].examples[0].strokes: ")
        );
        assert!(
            edit(&|j| j["project"]
                .as_object_mut()
                .unwrap()
                .remove("kind")
                .map(|_| ())
                .unwrap())
            .starts_with("project.classes[0].examples[0].")
        );
    }

    /// Edit the sample as JSON and import it: the error names the place.
    fn import_edited(edit: impl FnOnce(&mut serde_json::Value)) -> FileError {
        let mut json: serde_json::Value = serde_json::from_slice(&export(&sample())).unwrap();
        edit(&mut json);
        import(&serde_json::to_vec(&json).unwrap()).unwrap_err()
    }

    #[test]
    fn every_rule_is_checked_with_its_path() {
        type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (
                Box::new(|j| j["project"]["classes"][2]["name"] = "ALPHA".into()),
                "project.classes[2].name",
            ),
            (
                Box::new(|j| j["project"]["classes"][1]["examples"][0]["id"] = 1.into()),
                "project.classes[1].examples[0].id",
            ),
            (
                Box::new(|j| j["project"]["classes"][1]["examples"][1]["id"] = 999.into()),
                "project.classes[1].examples[1].id",
            ),
            (
                Box::new(|j| {
                    j["project"]["classes"][1]["examples"][1]["strokes"][2][5]["x"] = 1e30.into()
                }),
                "project.classes[1].examples[1].strokes[2][5].x",
            ),
            (
                Box::new(|j| {
                    j["project"]["classes"][0]["examples"][0]["strokes"] = serde_json::json!([[]])
                }),
                "project.classes[0].examples[0].strokes",
            ),
            (
                Box::new(|j| {
                    let c = j["project"]["classes"][0].clone();
                    j["project"]["classes"] = serde_json::json!([c]);
                }),
                "project.classes",
            ),
            (
                Box::new(|j| j["project"]["name"] = " ".into()),
                "project.name",
            ),
        ];
        for (edit, path) in cases {
            match import_edited(edit) {
                FileError::Invalid { path: p, problem } => assert_eq!(p, path, "{problem}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn next_id_above_what_a_browser_stores_exactly_is_refused() {
        for next_id in [MAX_NEXT_ID + 1, 1 << 53, (1 << 53) + 1, u64::MAX] {
            match import_edited(|j| j["project"]["next_id"] = next_id.into()) {
                FileError::Invalid { path, problem } => {
                    assert_eq!(path, "project.next_id", "{problem}");
                    assert!(problem.contains(&next_id.to_string()), "{problem}");
                }
                other => panic!("{next_id}: {other:?}"),
            }
        }
        // At the bound it is fine (and every id is below it).
        let at = import_edited_ok(|j| j["project"]["next_id"] = MAX_NEXT_ID.into());
        assert_eq!(at.next_id(), MAX_NEXT_ID);
        // An id above the bound is refused too (it is not below next_id).
        match import_edited(|j| j["project"]["classes"][1]["examples"][0]["id"] = u64::MAX.into()) {
            FileError::Invalid { path, .. } => {
                assert_eq!(path, "project.classes[1].examples[0].id")
            }
            other => panic!("{other:?}"),
        }
    }

    fn import_edited_ok(edit: impl FnOnce(&mut serde_json::Value)) -> Project {
        let mut json: serde_json::Value = serde_json::from_slice(&export(&sample())).unwrap();
        edit(&mut json);
        import(&serde_json::to_vec(&json).unwrap()).unwrap()
    }

    #[test]
    fn a_header_is_read_without_copying_what_is_in_it() {
        let big = format!(r#"{{"format": [{}0], "version": 1}}"#, "0,".repeat(100_000));
        assert_eq!(
            import(big.as_bytes()),
            Err(FileError::NotAProject(format!(
                "its format is a list, not \"{FORMAT}\""
            )))
        );
        let long = format!(r#"{{"format": "{}", "version": 1}}"#, "x".repeat(10_000));
        match import(long.as_bytes()) {
            Err(FileError::NotAProject(m)) => assert!(m.len() < 200, "{m}"),
            other => panic!("{other:?}"),
        }
        for version in ["1.0", "-1", "\"1\"", "null", "0"] {
            let file = format!(r#"{{"format": "{FORMAT}", "version": {version}}}"#);
            match import(file.as_bytes()) {
                Err(FileError::Invalid { path, .. }) => assert_eq!(path, "version"),
                other => panic!("{version}: {other:?}"),
            }
        }
        match import(br#"{"version": 1}"#) {
            Err(FileError::NotAProject(m)) => assert!(m.contains("no \"format\""), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused() {
        let e = import_edited(|j| j["project"]["script"] = "<script>alert(1)</script>".into());
        assert!(matches!(e, FileError::Syntax(m) if m.contains("script")));
        let e = import_edited(|j| j["project"]["classes"][0]["name"] = 5.into());
        assert!(matches!(e, FileError::Syntax(_)));
    }
}
