//! A contribution: what one student's project shares with the class. Per class, the sum and
//! count of the example embeddings (never a drawing, a sentence or a name), optionally the
//! fine-tuned head with the number of examples it saw, the encoder id, the class names and a
//! random contributor id. A class with fewer examples than the student's minimum is not shared;
//! with differential privacy every embedding is clipped and the sums and counts are noised
//! ([`super::privacy`]). A file of a few KB (`inkling-contribution`, version 1).

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::privacy::{DpParams, clip, gaussian};
use crate::learn::finetune::HeadWeights;
use crate::project::file::{
    HeaderError, check_format_version, check_header, check_numbers, header_field,
};

pub const FORMAT: &str = "inkling-contribution";
pub const VERSION: u32 = 1;
/// Bounds checked before any work grows with a file (a contribution is a few KB).
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_CLASSES: usize = crate::project::MAX_CLASSES;
pub const MAX_DIM: usize = 4096;
const MAX_NAME_CHARS: usize = crate::project::MAX_NAME_CHARS;
pub(super) const MAX_ENCODER_CHARS: usize = 200;
/// More examples than any project holds, even noised.
const MAX_COUNT: f64 = 1e9;

/// A contributor's random id: 32 lowercase hex digits (no name, nothing about the device).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContributorId(String);

impl ContributorId {
    pub fn random(rng: &mut impl Rng) -> Self {
        ContributorId(format!("{:032x}", rng.random::<u128>()))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(ContributorId(text.to_string()))
        } else {
            Err(format!(
                "a contributor id is 32 lowercase hex digits, not \"{}\"",
                text.chars().take(40).collect::<String>()
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ContributorId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        ContributorId::parse(&text)
    }
}

impl From<ContributorId> for String {
    fn from(id: ContributorId) -> String {
        id.0
    }
}

/// One class as shared: its name, and the count and sum of its examples' embeddings (both
/// noised under DP, so the count is a real number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSum {
    pub name: String,
    pub count: f64,
    pub sum: Vec<f32>,
}

/// A fine-tuned head as shared, with the number of examples it was trained on (FedAvg's
/// weight). Its columns follow the contribution's `head_classes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedHead {
    pub classes: Vec<String>,
    pub examples: u64,
    /// `[dim, classes]`, row-major.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    pub format: String,
    pub version: u32,
    pub contributor: ContributorId,
    /// When it was made (ms since 1970): the same contributor's newest counts.
    pub made_ms: f64,
    pub encoder: String,
    pub dim: usize,
    /// A class with fewer examples than this was not shared (under DP: a noised count below
    /// it, so that the choice itself is noised).
    pub min_examples: usize,
    /// Differential privacy, when it was used.
    pub dp: Option<DpParams>,
    pub classes: Vec<ClassSum>,
    pub head: Option<SharedHead>,
}

/// How a student shares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareOptions {
    /// Classes with fewer examples are not shared (at least 1; under DP, fewer by the noised
    /// count).
    pub min_examples: usize,
    pub dp: Option<DpParams>,
    /// Share the fine-tuned head too (never under DP: it is not noised).
    pub head: bool,
}

impl Default for ShareOptions {
    fn default() -> Self {
        ShareOptions {
            min_examples: 2,
            dp: None,
            head: true,
        }
    }
}

/// Who made a contribution and when: the project's own contributor id (kept with the project,
/// so a newer contribution of it replaces the older one in a pool) and the time.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub contributor: ContributorId,
    /// ms since 1970.
    pub made_ms: f64,
}

/// What a file is refused for: the field, by its path, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContributionError {
    #[error("the file is {0} bytes; a contribution is at most {MAX_FILE_BYTES}")]
    TooBig(usize),
    #[error("not a contribution file: {0}")]
    Json(String),
    #[error("{path}: {problem}")]
    Field { path: String, problem: String },
}

/// A refusal of the field at `path`.
pub(super) fn field(path: impl Into<String>, problem: impl Into<String>) -> ContributionError {
    ContributionError::Field {
        path: path.into(),
        problem: problem.into(),
    }
}

/// A header refusal as this module's error (read before the whole file: see
/// [`check_header`]): another kind of file is not a contribution; a version names its field.
pub(super) fn header_error(error: HeaderError, format: &str, newest: u32) -> ContributionError {
    match error {
        HeaderError::NotJson(e) => ContributionError::Json(e),
        HeaderError::Format(Some(shown)) => {
            ContributionError::Json(format!("its format is {shown}, not \"{format}\""))
        }
        HeaderError::Format(None) => ContributionError::Json("it has no \"format\" field".into()),
        e => {
            let (path, problem) = header_field(e, format, newest);
            field(path, problem)
        }
    }
}

impl Contribution {
    /// A contribution of `classes` (name and example embeddings, `dim` each) made by
    /// `encoder`, with `head` (and the examples it saw) when given and allowed.
    pub fn make(
        encoder: &str,
        dim: usize,
        classes: &[(String, Vec<Vec<f32>>)],
        head: Option<(&HeadWeights, u64)>,
        options: &ShareOptions,
        stamp: Stamp,
        rng: &mut impl Rng,
    ) -> Contribution {
        let min = options.min_examples.max(1);
        // Under DP the threshold is on the noised count: whether a class is shared must not
        // depend on the exact count, or its absence would say "fewer than `min`" unnoised.
        let shared = classes
            .iter()
            .filter(|(_, examples)| options.dp.is_some() || examples.len() >= min)
            .filter_map(|(name, examples)| {
                let mut sum = vec![0f64; dim];
                for e in examples {
                    let e = match options.dp {
                        Some(dp) => clip(e, dp.clip),
                        None => e.clone(),
                    };
                    for (s, x) in sum.iter_mut().zip(&e) {
                        *s += f64::from(*x);
                    }
                }
                let mut count = examples.len() as f64;
                if let Some(dp) = options.dp {
                    for s in &mut sum {
                        *s += gaussian(rng, dp.sigma);
                    }
                    count += gaussian(rng, dp.sigma);
                }
                (count >= min as f64).then(|| ClassSum {
                    name: name.clone(),
                    count,
                    sum: sum.into_iter().map(|s| s as f32).collect(),
                })
            })
            .collect();
        let head = match (head, options.dp) {
            (Some((h, examples)), None)
                if options.head && h.dim == dim && h.classes == classes.len() =>
            {
                Some(SharedHead {
                    classes: classes.iter().map(|(n, _)| n.clone()).collect(),
                    examples,
                    weight: h.weight.clone(),
                    bias: h.bias.clone(),
                })
            }
            _ => None,
        };
        Contribution {
            format: FORMAT.into(),
            version: VERSION,
            contributor: stamp.contributor,
            made_ms: stamp.made_ms,
            encoder: encoder.into(),
            dim,
            min_examples: min,
            dp: options.dp,
            classes: shared,
            head,
        }
    }

    /// The file's bytes (pretty JSON).
    pub fn export(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("a contribution serialises")
    }

    /// Read and check a file: its size first, then its format, then every field.
    pub fn import(bytes: &[u8]) -> Result<Contribution, ContributionError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ContributionError::TooBig(bytes.len()));
        }
        check_header(bytes, FORMAT, VERSION).map_err(|e| header_error(e, FORMAT, VERSION))?;
        let c: Contribution =
            serde_json::from_slice(bytes).map_err(|e| ContributionError::Json(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Every field within its bounds, every number finite.
    pub fn validate(&self) -> Result<(), ContributionError> {
        check_format_version(&self.format, self.version, FORMAT, VERSION)
            .map_err(|(path, problem)| field(path, problem))?;
        if !self.made_ms.is_finite() {
            return Err(field("made_ms", "not a finite number"));
        }
        if self.encoder.is_empty() || self.encoder.chars().count() > MAX_ENCODER_CHARS {
            return Err(field("encoder", "missing or too long"));
        }
        if self.dim == 0 || self.dim > MAX_DIM {
            return Err(field("dim", format!("must be 1 to {MAX_DIM}")));
        }
        if self.min_examples == 0 {
            return Err(field("min_examples", "must be at least 1"));
        }
        if let Some(dp) = &self.dp
            && !dp.is_consistent()
        {
            return Err(field(
                "dp",
                "epsilon, delta, clip and sigma do not fit the Gaussian mechanism",
            ));
        }
        if self.classes.len() > MAX_CLASSES {
            return Err(field("classes", format!("more than {MAX_CLASSES}")));
        }
        let mut names = std::collections::HashSet::new();
        for (i, class) in self.classes.iter().enumerate() {
            let path = format!("classes[{i}]");
            check_name(&format!("{path}.name"), &class.name)?;
            if !names.insert(class.name.as_str()) {
                return Err(field(format!("{path}.name"), "named twice"));
            }
            if !class.count.is_finite() || class.count.abs() > MAX_COUNT {
                return Err(field(format!("{path}.count"), "not a finite count"));
            }
            if class.count < self.min_examples as f64 {
                return Err(field(
                    format!("{path}.count"),
                    format!("below the minimum of {}", self.min_examples),
                ));
            }
            if self.dp.is_none() && class.count.fract() != 0.0 {
                return Err(field(
                    format!("{path}.count"),
                    "without noise, a whole number",
                ));
            }
            check_values(&format!("{path}.sum"), &class.sum, self.dim)?;
        }
        if let Some(head) = &self.head {
            if self.dp.is_some() {
                return Err(field(
                    "head",
                    "a head is never shared under differential privacy",
                ));
            }
            if head.classes.is_empty() || head.classes.len() > MAX_CLASSES {
                return Err(field("head.classes", format!("must be 1 to {MAX_CLASSES}")));
            }
            for (i, name) in head.classes.iter().enumerate() {
                check_name(&format!("head.classes[{i}]"), name)?;
            }
            if head.examples == 0 {
                return Err(field("head.examples", "must be at least 1"));
            }
            check_values("head.weight", &head.weight, self.dim * head.classes.len())?;
            check_values("head.bias", &head.bias, head.classes.len())?;
        }
        Ok(())
    }

    /// The names of the classes it shares.
    pub fn class_names(&self) -> impl Iterator<Item = &str> {
        self.classes.iter().map(|c| c.name.as_str())
    }
}

pub(super) fn check_name(path: &str, name: &str) -> Result<(), ContributionError> {
    if name.trim().is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(field(
            path,
            format!("a class name of 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(())
}

fn check_values(path: &str, values: &[f32], len: usize) -> Result<(), ContributionError> {
    check_numbers(path, values, len).map_err(|(path, problem)| field(path, problem))
}
