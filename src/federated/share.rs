//! What a student's project shares with the class, made from the same training set the app's
//! model learns from, and described class by class for the preview the student sees before
//! the file leaves the device (the preview is read from the contribution itself, so it says
//! exactly what the file holds).

use rand::Rng;

use super::contribution::{Contribution, ShareOptions, Stamp};
use crate::personal::{TrainingSet, Tuned};

/// How one of the project's classes appears in a contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassShare {
    pub name: String,
    /// The project's examples of it (with an embedding).
    pub examples: usize,
    /// The count the file states (noised under differential privacy); None: not shared.
    pub shared: Option<f64>,
}

/// Why nothing can be shared yet.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShareError {
    #[error("no example has an embedding yet")]
    NothingEmbedded,
}

/// The contribution of a project's training set: per class the sum and count of its examples'
/// embeddings, and the fine-tuned head while it applies to exactly these examples (with the
/// number it saw), as `options` allow.
pub fn contribution_of(
    set: &TrainingSet,
    tuned: Option<&Tuned>,
    encoder: &str,
    options: &ShareOptions,
    stamp: Stamp,
    rng: &mut impl Rng,
) -> Result<Contribution, ShareError> {
    let dim = set.dim().ok_or(ShareError::NothingEmbedded)?;
    let mut classes: Vec<(String, Vec<Vec<f32>>)> =
        set.labels.iter().map(|l| (l.clone(), Vec::new())).collect();
    for (_, class, embedding) in &set.examples {
        classes[*class].1.push(embedding.clone());
    }
    let head = tuned
        .filter(|t| t.applies_to(set))
        .map(|t| (&t.head, t.examples.len() as u64));
    Ok(Contribution::make(
        encoder, dim, &classes, head, options, stamp, rng,
    ))
}

/// Every class of the project, in project order, with what `contribution` says of it.
pub fn class_shares(set: &TrainingSet, contribution: &Contribution) -> Vec<ClassShare> {
    set.labels
        .iter()
        .enumerate()
        .map(|(k, name)| ClassShare {
            name: name.clone(),
            examples: set.examples.iter().filter(|e| e.1 == k).count(),
            shared: contribution
                .classes
                .iter()
                .find(|c| &c.name == name)
                .map(|c| c.count),
        })
        .collect()
}
