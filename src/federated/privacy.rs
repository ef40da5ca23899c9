//! Differential privacy for a contribution: each embedding is clipped to an L2 norm bound `C`,
//! and each class's `(sum, count)` gets Gaussian noise (the Gaussian mechanism, Dwork & Roth
//! 2014, Theorem A.1). Adding or removing one example changes a class's `[sum, count]` by at
//! most `sqrt(C^2 + 1)` in L2, so noise of standard deviation
//! `sigma = sqrt(C^2 + 1) * sqrt(2 ln(1.25 / delta)) / epsilon` on every coordinate makes that
//! class's release `(epsilon, delta)`-DP. Every example is in one class only, so the classes
//! compose in parallel: the whole contribution is `(epsilon, delta)`-DP. The theorem holds for
//! `epsilon` in (0, 1], so larger values are refused. A fine-tuned head is not shared under DP
//! (it is not noised).

use rand::Rng;
use serde::{Deserialize, Serialize};

/// The clipping norms for drawings and sentences (`inkling federated`'s defaults, and the
/// app's): about the median length of the embeddings (measured with `inkling federated`), so
/// that most pass unchanged.
pub const DRAWING_CLIP: f64 = 10.0;
pub const TEXT_CLIP: f64 = 1.0;

/// The privacy a contribution was made with (stated in the UI and in the file).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpParams {
    pub epsilon: f64,
    pub delta: f64,
    /// The L2 norm every embedding was clipped to.
    pub clip: f64,
    /// The standard deviation of the noise on each coordinate of a class's sum and count.
    pub sigma: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DpError {
    #[error("epsilon must be in (0, 1] (the Gaussian mechanism's bound), not {0}")]
    Epsilon(f64),
    #[error("delta must be in (0, 0.1], not {0}")]
    Delta(f64),
    #[error("the clipping norm must be positive and finite, not {0}")]
    Clip(f64),
}

impl DpParams {
    /// The noise for `(epsilon, delta)` with embeddings clipped to `clip`.
    pub fn new(epsilon: f64, delta: f64, clip: f64) -> Result<Self, DpError> {
        if !(epsilon > 0.0 && epsilon <= 1.0) {
            return Err(DpError::Epsilon(epsilon));
        }
        if !(delta > 0.0 && delta <= 0.1) {
            return Err(DpError::Delta(delta));
        }
        if !(clip > 0.0 && clip.is_finite()) {
            return Err(DpError::Clip(clip));
        }
        let sensitivity = (clip * clip + 1.0).sqrt();
        let sigma = sensitivity * (2.0 * (1.25 / delta).ln()).sqrt() / epsilon;
        Ok(DpParams {
            epsilon,
            delta,
            clip,
            sigma,
        })
    }

    /// Whether a stated `sigma` is what `(epsilon, delta, clip)` call for (files are checked).
    pub fn is_consistent(&self) -> bool {
        DpParams::new(self.epsilon, self.delta, self.clip)
            .is_ok_and(|p| (p.sigma - self.sigma).abs() <= 1e-9 * p.sigma.max(1.0))
    }
}

/// `embedding` scaled down to L2 norm `clip` if it is longer.
pub fn clip(embedding: &[f32], clip: f64) -> Vec<f32> {
    let norm = embedding
        .iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt();
    if norm <= clip || norm == 0.0 {
        return embedding.to_vec();
    }
    let scale = clip / norm;
    embedding
        .iter()
        .map(|&x| (f64::from(x) * scale) as f32)
        .collect()
}

/// One draw of N(0, sigma^2) (Box-Muller).
pub fn gaussian(rng: &mut impl Rng, sigma: f64) -> f64 {
    // (0, 1]: the logarithm is finite.
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    sigma * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn sigma_follows_the_gaussian_mechanism_and_bad_parameters_are_refused() {
        let p = DpParams::new(1.0, 1e-5, 1.0).unwrap();
        let expected = 2f64.sqrt() * (2.0 * (1.25e5f64).ln()).sqrt();
        assert!((p.sigma - expected).abs() < 1e-12, "{}", p.sigma);
        // Half the epsilon, twice the noise.
        let half = DpParams::new(0.5, 1e-5, 1.0).unwrap();
        assert!((half.sigma - 2.0 * p.sigma).abs() < 1e-9);
        assert!(p.is_consistent());
        assert!(!DpParams { sigma: 0.1, ..p }.is_consistent());
        assert_eq!(DpParams::new(2.0, 1e-5, 1.0), Err(DpError::Epsilon(2.0)));
        assert!(DpParams::new(f64::NAN, 1e-5, 1.0).is_err());
        assert!(DpParams::new(0.5, 0.0, 1.0).is_err());
        assert!(DpParams::new(0.5, 1e-5, -1.0).is_err());
    }

    #[test]
    fn the_noise_has_the_stated_scale_and_clipping_bounds_the_norm() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
        let sigma = 3.0;
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|_| gaussian(&mut rng, sigma)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let sd = (draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        println!(
            "DP noise: {n} draws at sigma {sigma}: mean {mean:.4}, standard deviation {sd:.4}"
        );
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((sd - sigma).abs() < 0.03, "sd {sd}");
        let long = clip(&[3.0, 4.0], 1.0);
        assert!((long[0] - 0.6).abs() < 1e-6 && (long[1] - 0.8).abs() < 1e-6);
        assert_eq!(
            clip(&[0.3, 0.4], 1.0),
            vec![0.3, 0.4],
            "short ones are kept"
        );
    }
}
