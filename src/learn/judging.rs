//! How the queries of one few-shot episode are judged from embeddings alone: nearest class
//! prototype (the app's way), with three test-time options from the literature, measured by
//! `inkling eval`:
//! - query views: a query is the mean of its own embedding and its distorted copies', as the
//!   support drawings' views enter their prototypes;
//! - centring (SimpleShot's CL2N, Wang et al. 2019): subtract the mean of the support
//!   embeddings, then scale every vector to length 1, so distance is cosine distance around the
//!   episode's centre;
//! - transductive refinement (soft k-means, Ren et al. 2018): each prototype also takes in the
//!   queries, weighted by how strongly each is assigned to it, a few times over. It looks at all
//!   the episode's queries together, so a query's answer depends on the others: a batch
//!   measure, not what the app does when a student draws one thing.

use serde::{Deserialize, Serialize};

use super::prototypes::{argmax, squared_distance};

/// Test-time options (all off: nearest prototype on the raw embeddings, as the app does).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Judging {
    /// Centre on the support mean and scale to unit length (CL2N).
    pub centre: bool,
    /// Soft k-means steps over the queries (0: none).
    pub transductive_steps: usize,
}

/// Logit scale for soft assignments of unit vectors: their squared distances lie in [0, 4], too
/// flat for a softmax over 20 classes; the encoder's raw distances are used as they are.
const UNIT_SCALE: f32 = 10.0;

/// Predicted class of each query. `support`: (class, views of one drawing); `queries`: the
/// views of each query drawing (their mean is judged). Every class in `0..classes` needs at
/// least one support drawing.
pub fn judge(
    support: &[(usize, Vec<Vec<f32>>)],
    classes: usize,
    queries: &[Vec<Vec<f32>>],
    judging: Judging,
) -> Vec<usize> {
    let mut support_vectors: Vec<(usize, Vec<f32>)> = support
        .iter()
        .flat_map(|(k, views)| views.iter().map(move |v| (*k, v.clone())))
        .collect();
    let mut queries: Vec<Vec<f32>> = queries.iter().map(|views| mean(views.iter())).collect();
    let scale = if judging.centre {
        let centre = mean(support_vectors.iter().map(|(_, v)| v));
        for v in support_vectors
            .iter_mut()
            .map(|(_, v)| v)
            .chain(queries.iter_mut())
        {
            centre_and_normalise(v, &centre);
        }
        UNIT_SCALE
    } else {
        1.0
    };
    // Sums and weights of the support alone; refinement adds the queries to them afresh.
    let dim = support_vectors.first().map_or(0, |(_, v)| v.len());
    let mut sums = vec![vec![0.0f32; dim]; classes];
    let mut counts = vec![0.0f32; classes];
    for (k, v) in &support_vectors {
        add_scaled(&mut sums[*k], v, 1.0);
        counts[*k] += 1.0;
    }
    let means = |sums: &[Vec<f32>], counts: &[f32]| -> Vec<Vec<f32>> {
        sums.iter()
            .zip(counts)
            .map(|(s, &c)| s.iter().map(|x| x / c.max(f32::MIN_POSITIVE)).collect())
            .collect()
    };
    let mut prototypes = means(&sums, &counts);
    for _ in 0..judging.transductive_steps {
        let (mut sums, mut counts) = (sums.clone(), counts.clone());
        for q in &queries {
            let weights = assignment(q, &prototypes, scale);
            for (k, w) in weights.iter().enumerate() {
                add_scaled(&mut sums[k], q, *w);
                counts[k] += w;
            }
        }
        prototypes = means(&sums, &counts);
    }
    queries
        .iter()
        .map(|q| {
            let logits: Vec<f32> = prototypes.iter().map(|p| -squared_distance(q, p)).collect();
            argmax(&logits)
        })
        .collect()
}

/// Softmax over classes of `-scale` x squared distance: how strongly `q` belongs to each.
fn assignment(q: &[f32], prototypes: &[Vec<f32>], scale: f32) -> Vec<f32> {
    let logits: Vec<f32> = prototypes
        .iter()
        .map(|p| -scale * squared_distance(q, p))
        .collect();
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

fn mean<'a>(vectors: impl Iterator<Item = &'a Vec<f32>>) -> Vec<f32> {
    let mut sum: Vec<f32> = Vec::new();
    let mut n = 0.0f32;
    for v in vectors {
        if sum.is_empty() {
            sum = vec![0.0; v.len()];
        }
        add_scaled(&mut sum, v, 1.0);
        n += 1.0;
    }
    sum.iter().map(|x| x / n.max(1.0)).collect()
}

fn add_scaled(sum: &mut [f32], v: &[f32], weight: f32) {
    for (s, x) in sum.iter_mut().zip(v) {
        *s += weight * x;
    }
}

/// `v - centre`, scaled to length 1 (left at zero when it is the centre itself).
fn centre_and_normalise(v: &mut [f32], centre: &[f32]) {
    for (x, c) in v.iter_mut().zip(centre) {
        *x -= c;
    }
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 1e-12 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_view(v: &[f32]) -> Vec<Vec<f32>> {
        vec![v.to_vec()]
    }

    #[test]
    fn without_options_a_query_goes_to_the_nearest_class_mean() {
        // Class 0 has drawings at 0 and 4 (mean 2), class 1 one at 5: a query at 3.6 is nearer
        // the mean of class 0 than class 1, though nearer class 1's drawing than any of 0's.
        let support = vec![
            (0, one_view(&[0.0])),
            (0, one_view(&[4.0])),
            (1, one_view(&[5.0])),
        ];
        let queries = vec![one_view(&[3.4]), one_view(&[4.9])];
        assert_eq!(judge(&support, 2, &queries, Judging::default()), vec![0, 1]);
    }

    #[test]
    fn a_query_is_judged_by_the_mean_of_its_views() {
        let support = vec![(0, one_view(&[0.0])), (1, one_view(&[10.0]))];
        // One view at 6 alone would go to class 1; with its other view at 2, the mean is 4.
        let queries = vec![vec![vec![6.0], vec![2.0]]];
        assert_eq!(judge(&support, 2, &queries, Judging::default()), vec![0]);
    }

    #[test]
    fn centring_judges_by_direction_not_length() {
        // The support's centre is (0, 0). The query (1, 0.9) is nearest class 1's short vector
        // (0, 1), but points more along class 0's (3, 0) than along it.
        let support = vec![
            (0, one_view(&[3.0, 0.0])),
            (1, one_view(&[0.0, 1.0])),
            (2, one_view(&[-3.0, -1.0])),
        ];
        let query = vec![one_view(&[1.0, 0.9])];
        assert_eq!(judge(&support, 3, &query, Judging::default()), vec![1]);
        let centred = Judging {
            centre: true,
            ..Judging::default()
        };
        assert_eq!(judge(&support, 3, &query, centred), vec![0]);
    }

    #[test]
    fn refinement_pulls_prototypes_towards_the_queries_they_claim() {
        // Support: class 0 at 0, class 1 at 10. The unlabelled cluster at 6-6.6 is class 1's
        // by plain distance; refinement moves class 1's prototype into it (about 7), and the
        // cluster's edge at 4.8, plainly class 0's, goes with it.
        let support = vec![(0, one_view(&[0.0])), (1, one_view(&[10.0]))];
        let queries: Vec<_> = [6.0, 6.2, 6.4, 6.6, 4.8]
            .iter()
            .map(|&x| one_view(&[x]))
            .collect();
        assert_eq!(
            judge(&support, 2, &queries, Judging::default()),
            vec![1, 1, 1, 1, 0]
        );
        let refined = Judging {
            transductive_steps: 3,
            ..Judging::default()
        };
        assert_eq!(judge(&support, 2, &queries, refined), vec![1, 1, 1, 1, 1]);
    }
}
