//! Bayesian Knowledge Tracing (Corbett & Anderson 1995): the probability that a student knows a
//! concept, updated by each observed outcome (right or wrong), then by the chance to learn.

use serde::{Deserialize, Serialize};

/// The four BKT parameters, each a probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BktParams {
    /// P(known) before any evidence.
    pub prior: f64,
    /// P(not known -> known) at each opportunity.
    pub learn: f64,
    /// P(wrong | known).
    pub slip: f64,
    /// P(right | not known).
    pub guess: f64,
}

/// Mastery at or above this counts as mastered (the usual BKT criterion).
pub const MASTERED: f64 = 0.95;

impl Default for BktParams {
    fn default() -> Self {
        // Typical values from the BKT literature (e.g. Baker et al. 2008's ranges).
        BktParams {
            prior: 0.1,
            learn: 0.2,
            slip: 0.1,
            guess: 0.2,
        }
    }
}

impl BktParams {
    /// `Err((field, problem))` when a parameter is not a usable probability. Slip and guess
    /// must stay below 0.5, or a right answer would count as evidence of not knowing.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        for (field, v, max) in [
            ("prior", self.prior, 1.0),
            ("learn", self.learn, 1.0),
            ("slip", self.slip, 0.5),
            ("guess", self.guess, 0.5),
        ] {
            if !(v.is_finite() && (0.0..max).contains(&v)) {
                return Err((field, format!("{v} is not in [0, {max})")));
            }
        }
        Ok(())
    }

    /// P(known) after observing one outcome, then the chance to learn from it.
    pub fn update(&self, known: f64, correct: bool) -> f64 {
        let (s, g) = (self.slip, self.guess);
        let posterior = if correct {
            known * (1.0 - s) / (known * (1.0 - s) + (1.0 - known) * g)
        } else {
            known * s / (known * s + (1.0 - known) * (1.0 - g))
        };
        posterior + (1.0 - posterior) * self.learn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_match_hand_computed_values() {
        let p = BktParams {
            prior: 0.3,
            learn: 0.1,
            slip: 0.1,
            guess: 0.2,
        };
        // Right: 0.3*0.9 / (0.27 + 0.7*0.2) = 0.27/0.41 = 0.658537; + 0.341463*0.1 = 0.692683
        assert!((p.update(0.3, true) - 0.692_682_9).abs() < 1e-6);
        // Wrong: 0.3*0.1 / (0.03 + 0.7*0.8) = 0.03/0.59 = 0.050847; + 0.949153*0.1 = 0.145763
        assert!((p.update(0.3, false) - 0.145_762_7).abs() < 1e-6);
    }

    #[test]
    fn right_answers_raise_mastery_to_the_criterion_and_wrong_ones_lower_it() {
        let p = BktParams::default();
        let mut known = p.prior;
        let mut steps = 0;
        while known < MASTERED {
            let next = p.update(known, true);
            assert!(next > known);
            known = next;
            steps += 1;
        }
        assert!((3..=6).contains(&steps), "{steps} right answers to mastery");
        assert!(p.update(known, false) < known);
    }

    #[test]
    fn unusable_parameters_are_named() {
        let bad = BktParams {
            guess: 0.7,
            ..BktParams::default()
        };
        assert_eq!(bad.validate().unwrap_err().0, "guess");
        let nan = BktParams {
            prior: f64::NAN,
            ..BktParams::default()
        };
        assert_eq!(nan.validate().unwrap_err().0, "prior");
    }
}
