//! Evaluation numbers: accuracy over episodes with a 95% confidence interval, and per-class
//! precision, recall, F1 and the confusion matrix of one labelled prediction set.

use serde::Serialize;

/// Mean and 95% confidence half-width (normal approximation, 1.96 standard errors) of per-episode
/// accuracies, as reported in the few-shot literature.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanWithCi {
    pub mean: f64,
    pub ci95: f64,
}

pub fn mean_with_ci95(values: &[f64]) -> MeanWithCi {
    let n = values.len();
    if n == 0 {
        return MeanWithCi {
            mean: 0.0,
            ci95: 0.0,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return MeanWithCi { mean, ci95: 0.0 };
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    MeanWithCi {
        mean,
        ci95: 1.96 * (var / n as f64).sqrt(),
    }
}

/// `matrix[actual][predicted]` counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfusionMatrix {
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<usize>>,
}

/// Precision, recall and F1 of one class. A class never predicted has precision 0 (as
/// scikit-learn's `zero_division=0`); a class with no examples has recall 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassScores {
    pub label: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

impl ConfusionMatrix {
    /// From (actual, predicted) class indices into `labels`.
    pub fn from_pairs(labels: Vec<String>, pairs: &[(usize, usize)]) -> Self {
        let n = labels.len();
        let mut matrix = vec![vec![0; n]; n];
        for &(actual, predicted) in pairs {
            matrix[actual][predicted] += 1;
        }
        Self { labels, matrix }
    }

    pub fn total(&self) -> usize {
        self.matrix.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let correct: usize = (0..self.labels.len()).map(|i| self.matrix[i][i]).sum();
        correct as f64 / total as f64
    }

    pub fn class_scores(&self) -> Vec<ClassScores> {
        let n = self.labels.len();
        (0..n)
            .map(|k| {
                let tp = self.matrix[k][k] as f64;
                let actual: usize = self.matrix[k].iter().sum();
                let predicted: usize = (0..n).map(|i| self.matrix[i][k]).sum();
                let ratio = |num: f64, den: usize| if den == 0 { 0.0 } else { num / den as f64 };
                let precision = ratio(tp, predicted);
                let recall = ratio(tp, actual);
                let f1 = if precision + recall == 0.0 {
                    0.0
                } else {
                    2.0 * precision * recall / (precision + recall)
                };
                ClassScores {
                    label: self.labels[k].clone(),
                    precision,
                    recall,
                    f1,
                    support: actual,
                }
            })
            .collect()
    }

    /// Unweighted mean of the per-class F1 scores.
    pub fn macro_f1(&self) -> f64 {
        let scores = self.class_scores();
        if scores.is_empty() {
            return 0.0;
        }
        scores.iter().map(|s| s.f1).sum::<f64>() / scores.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn scores_match_a_hand_computed_confusion_matrix() {
        // actual \ predicted:  a  b  c
        //                  a [ 3, 1, 0 ]
        //                  b [ 0, 2, 2 ]
        //                  c [ 1, 0, 1 ]
        let mut pairs = vec![];
        for (a, row) in [[3, 1, 0], [0, 2, 2], [1, 0, 1]].iter().enumerate() {
            for (p, &count) in row.iter().enumerate() {
                pairs.extend(std::iter::repeat_n((a, p), count));
            }
        }
        let cm = ConfusionMatrix::from_pairs(vec!["a".into(), "b".into(), "c".into()], &pairs);
        assert_eq!(cm.matrix, vec![vec![3, 1, 0], vec![0, 2, 2], vec![1, 0, 1]]);
        close(cm.accuracy(), 6.0 / 10.0);
        let s = cm.class_scores();
        // a: tp 3, predicted 4, actual 4
        close(s[0].precision, 0.75);
        close(s[0].recall, 0.75);
        close(s[0].f1, 0.75);
        // b: tp 2, predicted 3, actual 4 -> p 2/3, r 1/2, f1 4/7
        close(s[1].precision, 2.0 / 3.0);
        close(s[1].recall, 0.5);
        close(s[1].f1, 4.0 / 7.0);
        // c: tp 1, predicted 3, actual 2 -> p 1/3, r 1/2, f1 0.4
        close(s[2].precision, 1.0 / 3.0);
        close(s[2].recall, 0.5);
        close(s[2].f1, 0.4);
        close(cm.macro_f1(), (0.75 + 4.0 / 7.0 + 0.4) / 3.0);
        assert_eq!(s[1].support, 4);
    }

    #[test]
    fn a_class_never_predicted_scores_zero_not_nan() {
        let cm = ConfusionMatrix::from_pairs(vec!["x".into(), "y".into()], &[(0, 0), (1, 0)]);
        let s = cm.class_scores();
        assert_eq!((s[1].precision, s[1].recall, s[1].f1), (0.0, 0.0, 0.0));
        close(s[0].precision, 0.5);
    }

    #[test]
    fn confidence_interval_is_1_96_standard_errors() {
        let r = mean_with_ci95(&[0.5, 1.0, 0.75, 0.75]);
        close(r.mean, 0.75);
        // sample sd = sqrt(0.125 / 3); se = sd / 2
        close(r.ci95, 1.96 * (0.125f64 / 3.0).sqrt() / 2.0);
        assert_eq!(mean_with_ci95(&[0.9]).ci95, 0.0);
        assert_eq!(mean_with_ci95(&[]).mean, 0.0);
    }
}
