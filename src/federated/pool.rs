//! A class pool: the contributions a device has gathered for one class project, keyed by
//! contributor (the same contributor twice keeps the newest, so a contribution counted twice
//! counts once). Any device can gather and merge: a pool holds whole contributions, so merging
//! pools is a union and merges of merges give the same model, in any order. The class model is
//! per class the exact pooled mean (sum of sums / sum of counts), or for robustness the
//! coordinate-wise trimmed mean or median of the contributors' means; heads are averaged
//! weighted by the examples each saw (FedAvg), or by coordinate-wise median.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::contribution::{
    Contribution, ContributionError, ContributorId, MAX_CLASSES, MAX_DIM, MAX_ENCODER_CHARS,
    check_name, field, header_error,
};
use super::privacy::DpParams;
use crate::learn::finetune::HeadWeights;
use crate::project::file::check_header;

pub const POOL_FORMAT: &str = "inkling-class-pool";
pub const POOL_VERSION: u32 = 1;
/// The most contributions one pool holds (a few classes of students).
pub const MAX_CONTRIBUTORS: usize = 1000;
pub const MAX_POOL_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Under DP, the longest expected noise a prototype may carry, as a share of the clipping norm
/// (the longest an embedding counts for): beyond it the class model has no prototype for the
/// class. The noise of a pooled prototype is `sigma * sqrt(contributors * dim) / examples`, so
/// it takes many examples per class (hundreds, at epsilon 1) before DP prototypes are kept.
pub const NOISE_LIMIT: f64 = 0.5;

/// Under DP, whether a prototype from a (noised) `count`, with noise of `variance` on each
/// coordinate of its sum and on the count, is too noisy to keep: when the count is not clearly
/// above its own noise (four standard deviations: noise alone passes about once in 30,000 draws,
/// and a count inflated by noise would make the sum's noise look small), or when the
/// prototype's noise is expected to be longer than [`NOISE_LIMIT`] times the clipping norm.
fn too_noisy(count: f64, variance: f64, dim: f64, clip: f64) -> bool {
    let sigma = variance.sqrt();
    count < 4.0 * sigma || sigma * dim.sqrt() / count > NOISE_LIMIT * clip
}

/// One contributor's share of a class, as a prototype is made from it.
struct Shared<'a> {
    sum: &'a [f32],
    count: f64,
    dp: Option<DpParams>,
}

/// How contributions are combined into prototypes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Aggregation {
    /// The exact pooled mean: what training on every example together gives.
    #[default]
    Pooled,
    /// Per class and coordinate, the mean of the contributors' means without the lowest and
    /// highest `trim` fraction of them (a few bad contributions move it little).
    TrimmedMean { trim: f64 },
    /// Per class and coordinate, the median of the contributors' means.
    Median,
}

/// What adding a contribution did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// It replaced an older one of the same contributor.
    Replaced,
    /// The pool already had this contributor's same or newer one: nothing changed.
    AlreadyNewer,
}

/// Per class: how many contributors and examples it pooled (examples are noised under DP).
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSummary {
    pub name: String,
    pub contributors: usize,
    pub examples: f64,
}

/// The class model: a prototype per class (None where nobody shared that class) and the
/// averaged head, when contributors shared heads.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassModel {
    pub classes: Vec<String>,
    pub prototypes: Vec<Option<Vec<f32>>>,
    pub head: Option<HeadWeights>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPool {
    format: String,
    version: u32,
    encoder: String,
    dim: usize,
    classes: Vec<String>,
    contributions: BTreeMap<ContributorId, Contribution>,
}

impl ClassPool {
    /// An empty pool for a project of `classes`, embedded by `encoder` (`dim` numbers).
    pub fn new(encoder: &str, dim: usize, classes: Vec<String>) -> ClassPool {
        ClassPool {
            format: POOL_FORMAT.into(),
            version: POOL_VERSION,
            encoder: encoder.into(),
            dim,
            classes,
            contributions: BTreeMap::new(),
        }
    }

    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    pub fn contributions(&self) -> impl Iterator<Item = &Contribution> {
        self.contributions.values()
    }

    /// Add one contribution, if it fits this pool (its encoder, its classes); else nothing
    /// changes and the error names the field.
    pub fn add(&mut self, c: Contribution) -> Result<Added, ContributionError> {
        self.check(&c)?;
        if self.contributions.len() >= MAX_CONTRIBUTORS
            && !self.contributions.contains_key(&c.contributor)
        {
            return Err(field(
                "contributor",
                format!("the pool already holds {MAX_CONTRIBUTORS} contributors"),
            ));
        }
        match self.contributions.get(&c.contributor) {
            Some(old) if !is_newer(&c, old) => Ok(Added::AlreadyNewer),
            Some(_) => {
                self.contributions.insert(c.contributor.clone(), c);
                Ok(Added::Replaced)
            }
            None => {
                self.contributions.insert(c.contributor.clone(), c);
                Ok(Added::New)
            }
        }
    }

    /// Add every contribution of `other` (a pool of the same project), each as [`add`] does:
    /// all of them or, when one does not fit, none. Says how many contributions were new or
    /// newer than the ones held.
    ///
    /// [`add`]: ClassPool::add
    pub fn merge(&mut self, other: &ClassPool) -> Result<usize, ContributionError> {
        let mut merged = self.clone();
        let mut gained = 0;
        for (i, c) in other.contributions.values().enumerate() {
            let added = merged.add(c.clone()).map_err(|e| match e {
                ContributionError::Field { path, problem } => ContributionError::Field {
                    path: format!("contributions[{i}].{path}"),
                    problem,
                },
                other => other,
            })?;
            gained += usize::from(added != Added::AlreadyNewer);
        }
        *self = merged;
        Ok(gained)
    }

    fn check(&self, c: &Contribution) -> Result<(), ContributionError> {
        c.validate()?;
        if c.encoder != self.encoder {
            return Err(field(
                "encoder",
                format!(
                    "made by the encoder \"{}\", but this project's is \"{}\"",
                    c.encoder, self.encoder
                ),
            ));
        }
        if c.dim != self.dim {
            return Err(field(
                "dim",
                format!(
                    "{} numbers per embedding, this project's have {}",
                    c.dim, self.dim
                ),
            ));
        }
        for (i, class) in c.classes.iter().enumerate() {
            if !self.classes.contains(&class.name) {
                return Err(field(
                    format!("classes[{i}].name"),
                    format!("\"{}\" is not a class of this project", class.name),
                ));
            }
        }
        if let Some(head) = &c.head {
            let mut theirs = head.classes.clone();
            let mut ours = self.classes.clone();
            theirs.sort();
            ours.sort();
            if theirs != ours {
                return Err(field(
                    "head.classes",
                    "a head of other classes than this project's",
                ));
            }
        }
        Ok(())
    }

    /// Per class, how many contributors shared it and how many examples they pooled.
    pub fn summary(&self) -> Vec<ClassSummary> {
        self.classes
            .iter()
            .map(|name| {
                let shared: Vec<f64> = self
                    .contributions
                    .values()
                    .filter_map(|c| c.classes.iter().find(|k| &k.name == name))
                    .map(|k| k.count)
                    .collect();
                ClassSummary {
                    name: name.clone(),
                    contributors: shared.len(),
                    examples: shared.iter().sum(),
                }
            })
            .collect()
    }

    /// The class model by `mode`.
    pub fn class_model(&self, mode: Aggregation) -> ClassModel {
        let prototypes = self
            .classes
            .iter()
            .map(|name| {
                let shared: Vec<Shared> = self
                    .contributions
                    .values()
                    .filter_map(|c| Some((c.classes.iter().find(|k| &k.name == name)?, c.dp)))
                    .map(|(k, dp)| Shared {
                        sum: &k.sum,
                        count: k.count,
                        dp,
                    })
                    .collect();
                self.prototype(&shared, mode)
            })
            .collect();
        ClassModel {
            classes: self.classes.clone(),
            prototypes,
            head: self.head(mode),
        }
    }

    /// One class's prototype from what each contributor that shared it shared. Under DP, a
    /// prototype whose noise is expected to be longer than [`NOISE_LIMIT`] times the clipping
    /// norm is none: it would mislead more than help (the student's own examples decide).
    fn prototype(&self, shared: &[Shared], mode: Aggregation) -> Option<Vec<f32>> {
        let dim = self.dim as f64;
        match mode {
            Aggregation::Pooled => {
                let count: f64 = shared.iter().map(|s| s.count).sum();
                // Under DP a count is noised: a pool too small to outweigh the noise has none.
                if count < 0.5 {
                    return None;
                }
                let noise: f64 = shared
                    .iter()
                    .flat_map(|s| s.dp)
                    .map(|p| p.sigma.powi(2))
                    .sum();
                let clip = shared
                    .iter()
                    .flat_map(|s| s.dp)
                    .map(|p| p.clip)
                    .reduce(f64::min);
                if clip.is_some_and(|clip| too_noisy(count, noise, dim, clip)) {
                    return None;
                }
                let mut sum = vec![0f64; self.dim];
                for s in shared {
                    for (t, x) in sum.iter_mut().zip(s.sum) {
                        *t += f64::from(*x);
                    }
                }
                Some(sum.into_iter().map(|t| (t / count) as f32).collect())
            }
            Aggregation::TrimmedMean { .. } | Aggregation::Median => {
                // Each contributor's own mean, where it says something (one with a noised
                // count near 0, or noise longer than the limit, does not).
                let means: Vec<Vec<f32>> = shared
                    .iter()
                    .filter(|s| s.count >= 0.5)
                    .filter(|s| {
                        s.dp.is_none_or(|p| !too_noisy(s.count, p.sigma.powi(2), dim, p.clip))
                    })
                    .map(|s| {
                        s.sum
                            .iter()
                            .map(|x| (f64::from(*x) / s.count) as f32)
                            .collect()
                    })
                    .collect();
                robust(&means, self.dim, mode)
            }
        }
    }

    /// The heads shared, as this pool's classes order them: FedAvg (weighted by examples) when
    /// pooled, else the coordinate-wise robust combination.
    fn head(&self, mode: Aggregation) -> Option<HeadWeights> {
        let classes = self.classes.len();
        let heads: Vec<(Vec<f32>, f64)> = self
            .contributions
            .values()
            .filter_map(|c| c.head.as_ref())
            .map(|h| {
                // Columns in this pool's class order; the bias after the weights.
                let mut flat = vec![0f32; self.dim * classes + classes];
                for (to, name) in self.classes.iter().enumerate() {
                    let from = h.classes.iter().position(|n| n == name).unwrap_or(to);
                    for row in 0..self.dim {
                        flat[row * classes + to] = h.weight[row * h.classes.len() + from];
                    }
                    flat[self.dim * classes + to] = h.bias[from];
                }
                (flat, h.examples as f64)
            })
            .collect();
        if heads.is_empty() {
            return None;
        }
        let flat = match mode {
            Aggregation::Pooled => {
                let total: f64 = heads.iter().map(|(_, n)| n).sum();
                let mut avg = vec![0f64; heads[0].0.len()];
                for (h, n) in &heads {
                    for (a, x) in avg.iter_mut().zip(h) {
                        *a += f64::from(*x) * n / total;
                    }
                }
                avg.into_iter().map(|a| a as f32).collect()
            }
            _ => {
                let all: Vec<Vec<f32>> = heads.into_iter().map(|(h, _)| h).collect();
                robust(&all, all[0].len(), mode)?
            }
        };
        let (weight, bias) = flat.split_at(self.dim * classes);
        HeadWeights::new(self.dim, classes, weight.to_vec(), bias.to_vec()).ok()
    }

    /// The pool's file: every contribution it holds (a teacher hands it to another device,
    /// which merges it).
    pub fn export(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a pool serialises")
    }

    /// Read and check a pool file: its size first, then every contribution (the same checks
    /// as one added alone, with `contributions[i].` paths).
    pub fn import(bytes: &[u8]) -> Result<ClassPool, ContributionError> {
        if bytes.len() > MAX_POOL_FILE_BYTES {
            return Err(ContributionError::TooBig(bytes.len()));
        }
        check_header(bytes, POOL_FORMAT, POOL_VERSION)
            .map_err(|e| header_error(e, POOL_FORMAT, POOL_VERSION))?;
        let read: ClassPool =
            serde_json::from_slice(bytes).map_err(|e| ContributionError::Json(e.to_string()))?;
        if read.dim == 0 || read.dim > MAX_DIM {
            return Err(field("dim", format!("must be 1 to {MAX_DIM}")));
        }
        if read.encoder.is_empty() || read.encoder.chars().count() > MAX_ENCODER_CHARS {
            return Err(field("encoder", "missing or too long"));
        }
        if read.classes.is_empty() || read.classes.len() > MAX_CLASSES {
            return Err(field(
                "classes",
                format!("must name 1 to {MAX_CLASSES} classes"),
            ));
        }
        for (i, name) in read.classes.iter().enumerate() {
            check_name(&format!("classes[{i}]"), name)?;
            if read.classes[..i].contains(name) {
                return Err(field(format!("classes[{i}]"), "named twice"));
            }
        }
        if read.contributions.len() > MAX_CONTRIBUTORS {
            return Err(field("contributions", "too many contributors"));
        }
        let mut pool = ClassPool::new(&read.encoder, read.dim, read.classes.clone());
        for (key, c) in &read.contributions {
            if *key != c.contributor {
                return Err(field(
                    format!("contributions.{}", key.as_str()),
                    "filed under another contributor's id",
                ));
            }
        }
        pool.merge(&read)?;
        Ok(pool)
    }
}

/// Whether `c` replaces `old` (the same contributor's): the later one; at the same time, the
/// one whose file sorts last, so that every device keeps the same one in any order.
fn is_newer(c: &Contribution, old: &Contribution) -> bool {
    match c.made_ms.total_cmp(&old.made_ms) {
        std::cmp::Ordering::Equal => c.export() > old.export(),
        later => later.is_gt(),
    }
}

/// Coordinate-wise trimmed mean or median of `rows` (`len` numbers each); None when empty.
fn robust(rows: &[Vec<f32>], len: usize, mode: Aggregation) -> Option<Vec<f32>> {
    if rows.is_empty() {
        return None;
    }
    let n = rows.len();
    let mut column = vec![0f32; n];
    let mut out = Vec::with_capacity(len);
    for j in 0..len {
        for (slot, row) in column.iter_mut().zip(rows) {
            *slot = row[j];
        }
        column.sort_by(f32::total_cmp);
        out.push(match mode {
            Aggregation::TrimmedMean { trim } => {
                let cut = ((trim.clamp(0.0, 0.49)) * n as f64).floor() as usize;
                let kept = &column[cut..n - cut];
                kept.iter().map(|&x| f64::from(x)).sum::<f64>() as f32 / kept.len() as f32
            }
            _ if n % 2 == 1 => column[n / 2],
            _ => (column[n / 2 - 1] + column[n / 2]) / 2.0,
        });
    }
    Some(out)
}

/// How much the class model counts on a student's device: as this many examples of each class.
/// With `n` examples of their own, a class's prototype is
/// `(PRIOR_EXAMPLES * class + n * own mean) / (PRIOR_EXAMPLES + n)`: the class model decides
/// alone before the student has drawn anything, weighs as much as their own two examples, and
/// matters less with every example they add (a third of the weight at 4, a sixth at 10).
pub const PRIOR_EXAMPLES: usize = 2;

/// One class's prototype for a student: the class model's (`class`, when the class pooled
/// any) as a prior, with the student's `own` examples added. None when there is neither.
pub fn with_prior(class: Option<&[f32]>, own: &[Vec<f32>]) -> Option<Vec<f32>> {
    let dim = class
        .map(<[f32]>::len)
        .or_else(|| own.first().map(Vec::len))?;
    let prior = if class.is_some() {
        PRIOR_EXAMPLES as f64
    } else {
        0.0
    };
    let total = prior + own.len() as f64;
    let mut sum: Vec<f64> = match class {
        Some(c) => c.iter().map(|&x| f64::from(x) * prior).collect(),
        None => vec![0.0; dim],
    };
    for example in own {
        for (s, x) in sum.iter_mut().zip(example) {
            *s += f64::from(*x);
        }
    }
    Some(sum.into_iter().map(|s| (s / total) as f32).collect())
}
