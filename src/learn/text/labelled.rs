//! Labelled sentences from CSV (`text,label`; `category` is read as the label too, as in
//! Banking77): untrusted input, so every problem names its line. Quoted fields may hold commas,
//! quotes (`""`) and line breaks.

/// One labelled sentence, with the line it starts on (for messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub text: String,
    pub label: String,
    pub line: u64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CsvError {
    #[error("{file}: {problem}")]
    File { file: String, problem: String },
    #[error("{file} line {line}: {problem}")]
    Line {
        file: String,
        line: u64,
        problem: String,
    },
}

/// Longest text accepted per row (characters); the tokenizer keeps 256 tokens anyway.
const MAX_TEXT_CHARS: usize = 10_000;
/// Longest label (characters).
const MAX_LABEL_CHARS: usize = 100;

/// The rows of a labelled CSV file named `file` (used in messages).
pub fn read_labelled(bytes: &[u8], file: &str) -> Result<Vec<Labelled>, CsvError> {
    let file_error = |problem: String| CsvError::File {
        file: file.to_string(),
        problem,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| file_error(format!("the header cannot be read ({e})")))?
        .clone();
    let column = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
    };
    let (Some(text_at), Some(label_at)) = (column(&["text"]), column(&["label", "category"]))
    else {
        return Err(file_error(format!(
            "the header must name the columns `text` and `label`, it has: {}",
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    };
    // The line a record starts on, counted from its byte offset: the csv crate's own line
    // number does not count line breaks inside quoted fields.
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        // A record's position may be at the line break that ended the one before.
        let mut byte = (byte as usize).min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        let (from, line) = counted;
        let start = from.min(byte);
        let line = line + bytes[start..byte].iter().filter(|&&b| b == b'\n').count() as u64;
        counted = (byte, line);
        line
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            CsvError::Line {
                file: file.to_string(),
                line,
                problem: format!("not valid CSV ({e})"),
            }
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let problem = |problem: String| CsvError::Line {
            file: file.to_string(),
            line,
            problem,
        };
        if record.len() != headers.len() {
            let n = record.len();
            return Err(problem(format!(
                "{n} {}, the header has {}",
                if n == 1 { "field" } else { "fields" },
                headers.len()
            )));
        }
        let text = record[text_at].trim();
        let label = record[label_at].trim();
        if text.is_empty() {
            return Err(problem("the text is empty".into()));
        }
        if label.is_empty() {
            return Err(problem("the label is empty".into()));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(problem(format!(
                "the text is longer than {MAX_TEXT_CHARS} characters"
            )));
        }
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(problem(format!(
                "the label is longer than {MAX_LABEL_CHARS} characters"
            )));
        }
        rows.push(Labelled {
            text: text.to_string(),
            label: label.to_string(),
            line,
        });
    }
    if rows.is_empty() {
        return Err(file_error("it has no rows".into()));
    }
    Ok(rows)
}

/// `per_label` rows of each label, chosen at random with `seed` (all of a label's rows when it
/// has fewer), in file order.
pub fn sample_per_label(rows: &[Labelled], per_label: usize, seed: u64) -> Vec<Labelled> {
    use rand::seq::SliceRandom;
    use rand::{SeedableRng, rngs::SmallRng};
    let mut by_label: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, row) in rows.iter().enumerate() {
        by_label.entry(&row.label).or_default().push(i);
    }
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut chosen: Vec<usize> = by_label
        .into_values()
        .flat_map(|mut indices| {
            indices.shuffle(&mut rng);
            indices.truncate(per_label);
            indices
        })
        .collect();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| rows[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_banking77_headers_are_read() {
        let csv =
            "text,category\r\n\"Hello, \"\"bank\"\"\nsecond line\",greeting\r\nTop up?,top_up\r\n";
        let rows = read_labelled(csv.as_bytes(), "q.csv").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "Hello, \"bank\"\nsecond line");
        assert_eq!(rows[0].label, "greeting");
        assert_eq!((rows[1].line, rows[1].label.as_str()), (4, "top_up"));
    }

    #[test]
    fn bad_rows_name_their_line() {
        let cases = [
            ("text,label\na,x\n,y\n", "s.csv line 3: the text is empty"),
            ("text,label\na,x\nb,\n", "s.csv line 3: the label is empty"),
            (
                "text,label\na,x\nb,y,z\n",
                "s.csv line 3: 3 fields, the header has 2",
            ),
            (
                "text,label\na,x\n\"b,y\n",
                "s.csv line 3: 1 field, the header has 2",
            ),
            (
                "sentence,intent\na,x\n",
                "s.csv: the header must name the columns `text` and `label`, it has: sentence,intent",
            ),
            ("text,label\n", "s.csv: it has no rows"),
        ];
        for (csv, message) in cases {
            let err = read_labelled(csv.as_bytes(), "s.csv").unwrap_err();
            assert_eq!(err.to_string(), message, "{csv:?}");
        }
        let long = format!("text,label\n{},x\n", "a".repeat(MAX_TEXT_CHARS + 1));
        let err = read_labelled(long.as_bytes(), "s.csv").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("s.csv line 2: the text is longer"),
            "{err}"
        );
        let not_utf8 = b"text,label\n\xff\xfe,x\n";
        let err = read_labelled(not_utf8, "s.csv").unwrap_err();
        assert!(
            err.to_string().starts_with("s.csv line 2: not valid CSV"),
            "{err}"
        );
    }

    #[test]
    fn sampling_takes_k_of_each_label_and_depends_on_the_seed() {
        let rows: Vec<Labelled> = (0..40)
            .map(|i| Labelled {
                text: format!("t{i}"),
                label: format!("l{}", i % 4),
                line: i + 2,
            })
            .collect();
        let a = sample_per_label(&rows, 3, 1);
        assert_eq!(a.len(), 12);
        for l in 0..4 {
            let label = format!("l{l}");
            assert_eq!(a.iter().filter(|r| r.label == label).count(), 3);
        }
        assert_eq!(a, sample_per_label(&rows, 3, 1));
        assert_ne!(a, sample_per_label(&rows, 3, 2));
        assert_eq!(sample_per_label(&rows, 100, 1).len(), 40);
    }
}
