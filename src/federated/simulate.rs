//! A class simulated, for `inkling federated` (pure; the command embeds the data): students
//! each hold a few examples of some of the classes (non-IID), share contributions, a pool makes
//! the class model, and every model is scored on held-out examples (other drawers' drawings,
//! other sentences). Models here are prototypes (nearest class mean), as a student's project
//! has before fine-tuning; heads are not simulated.

use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use super::contribution::{Contribution, ContributorId, ShareOptions, Stamp};
use super::pool::{Aggregation, ClassPool, with_prior};
use super::privacy::{DpParams, gaussian};

/// One class of the simulated class: `train` examples are dealt to the students that hold the
/// class, in order (`train[0..shots]` to the first, and so on: for Omniglot, one drawer's
/// drawing each); `test` examples score every model.
#[derive(Debug, Clone)]
pub struct SimClass {
    pub name: String,
    pub train: Vec<Vec<f32>>,
    pub test: Vec<Vec<f32>>,
}

/// How the class is made up and shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Classroom {
    pub students: usize,
    /// Examples of each of their classes a student holds.
    pub shots: usize,
    /// How many classes each student holds (classes are dealt round-robin in a shuffled order,
    /// so each class has as many holders as the others, give or take one).
    pub classes_per_student: usize,
    /// A student's class with fewer examples is not shared.
    pub min_examples: usize,
    pub dp: Option<DpParams>,
    /// Contributors that lie, besides the students ([`poisoned_contribution`]).
    pub poisoned: usize,
    /// The class model by the coordinate-wise median instead of the pooled mean.
    pub robust: bool,
    pub seed: u64,
}

/// What a student holds of one class: its index and their examples of it.
type Holding<'a> = (usize, Vec<&'a Vec<f32>>);

/// How a poisoned contribution lies: every class, as if from this many examples, around a
/// point this many times the typical embedding's length away in a random direction.
pub const POISON_EXAMPLES: f64 = 20.0;
pub const POISON_DISTANCE: f64 = 3.0;

/// Accuracies on the held-out examples of all the classes (0..1), and what explains them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Each student's own model (their examples only, their classes only), averaged.
    pub personal_mean: f64,
    /// The same, each student scored only on the classes they hold.
    pub personal_mean_own_classes: f64,
    /// The class model from the contributions.
    pub federated: f64,
    /// Each student's model with the class model as its prior, averaged.
    pub personal_plus_class: f64,
    pub personal_plus_class_own_classes: f64,
    /// Prototypes from every student's raw examples together.
    pub centralised: f64,
    /// The largest coordinate difference between a federated and a centralised prototype (0
    /// up to float rounding when the pool is plain and every class was shared).
    pub max_prototype_difference: f64,
    /// Classes the class model has no prototype for (nobody shared it, or under DP its pooled
    /// count or its noise made it too uncertain: see `pool::too_noisy`).
    pub classes_without_prototype: f64,
    /// Students holding each class (fewest, most).
    pub holders_per_class: (usize, usize),
    pub mean_contribution_bytes: f64,
    pub test_examples: usize,
}

impl Outcome {
    /// The mean of several runs (holders: the fewest and most over all; test examples: the
    /// mean). None for no runs.
    pub fn mean(runs: &[Outcome]) -> Option<Outcome> {
        if runs.is_empty() {
            return None;
        }
        let n = runs.len() as f64;
        let avg = |f: fn(&Outcome) -> f64| runs.iter().map(f).sum::<f64>() / n;
        Some(Outcome {
            personal_mean: avg(|o| o.personal_mean),
            personal_mean_own_classes: avg(|o| o.personal_mean_own_classes),
            federated: avg(|o| o.federated),
            personal_plus_class: avg(|o| o.personal_plus_class),
            personal_plus_class_own_classes: avg(|o| o.personal_plus_class_own_classes),
            centralised: avg(|o| o.centralised),
            max_prototype_difference: runs
                .iter()
                .map(|o| o.max_prototype_difference)
                .fold(0.0, f64::max),
            classes_without_prototype: avg(|o| o.classes_without_prototype),
            holders_per_class: (
                runs.iter()
                    .map(|o| o.holders_per_class.0)
                    .min()
                    .unwrap_or(0),
                runs.iter()
                    .map(|o| o.holders_per_class.1)
                    .max()
                    .unwrap_or(0),
            ),
            mean_contribution_bytes: avg(|o| o.mean_contribution_bytes),
            test_examples: runs.iter().map(|o| o.test_examples).sum::<usize>() / runs.len(),
        })
    }
}

/// Which classes each student holds (class indices, for `classes` classes).
pub fn holdings(room: &Classroom, classes: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..classes).collect();
    order.shuffle(&mut SmallRng::seed_from_u64(room.seed));
    let per_student = room.classes_per_student.min(classes);
    (0..room.students)
        .map(|s| {
            (0..per_student)
                .map(|j| order[(s * per_student + j) % classes])
                .collect()
        })
        .collect()
}

/// How many students hold each class.
pub fn holders(room: &Classroom, classes: usize) -> Vec<usize> {
    let mut count = vec![0; classes];
    for held in holdings(room, classes) {
        for c in held {
            count[c] += 1;
        }
    }
    count
}

/// The mean of `examples` (None for none), in f64 then rounded once.
fn mean(examples: &[&Vec<f32>]) -> Option<Vec<f32>> {
    let first = examples.first()?;
    let mut sum = vec![0f64; first.len()];
    for e in examples {
        for (s, x) in sum.iter_mut().zip(e.iter()) {
            *s += f64::from(*x);
        }
    }
    let n = examples.len() as f64;
    Some(sum.into_iter().map(|s| (s / n) as f32).collect())
}

fn squared_distance(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(x - y) * f64::from(x - y))
        .sum()
}

/// The class of the nearest prototype (classes without one are never answered).
fn nearest(prototypes: &[Option<Vec<f32>>], embedding: &[f32]) -> Option<usize> {
    prototypes
        .iter()
        .enumerate()
        .filter_map(|(c, p)| Some((c, squared_distance(p.as_ref()?, embedding))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// The share of `classes`' test examples (of the classes `only`, when given) that
/// `prototypes` answer right.
fn accuracy(prototypes: &[Option<Vec<f32>>], classes: &[SimClass], only: Option<&[usize]>) -> f64 {
    let (mut right, mut all) = (0usize, 0usize);
    for (c, class) in classes.iter().enumerate() {
        if only.is_some_and(|o| !o.contains(&c)) {
            continue;
        }
        for e in &class.test {
            all += 1;
            right += usize::from(nearest(prototypes, e) == Some(c));
        }
    }
    if all == 0 {
        0.0
    } else {
        right as f64 / all as f64
    }
}

/// The median L2 length of the training embeddings: the scale a poisoner aims at, and what a
/// DP clipping norm compares to.
pub fn median_embedding_norm(classes: &[SimClass]) -> f64 {
    let mut norms: Vec<f64> = classes
        .iter()
        .flat_map(|c| &c.train)
        .map(|e| e.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt())
        .collect();
    norms.sort_by(f64::total_cmp);
    norms.get(norms.len() / 2).copied().unwrap_or(1.0)
}

/// A lying contribution: every class, claimed from [`POISON_EXAMPLES`] examples around a
/// random point [`POISON_DISTANCE`] typical lengths away.
fn poisoned_contribution(
    encoder: &str,
    dim: usize,
    classes: &[SimClass],
    scale: f64,
    stamp: Stamp,
    rng: &mut SmallRng,
) -> Contribution {
    let claimed: Vec<(String, Vec<Vec<f32>>)> = classes
        .iter()
        .map(|c| {
            let direction: Vec<f64> = (0..dim).map(|_| gaussian(rng, 1.0)).collect();
            let length = direction.iter().map(|x| x * x).sum::<f64>().sqrt();
            let point: Vec<f32> = direction
                .iter()
                .map(|x| (x / length * POISON_DISTANCE * scale) as f32)
                .collect();
            (c.name.clone(), vec![point; POISON_EXAMPLES as usize])
        })
        .collect();
    let options = ShareOptions {
        min_examples: 1,
        dp: None,
        head: false,
    };
    Contribution::make(encoder, dim, &claimed, None, &options, stamp, rng)
}

/// Run the class: deal the examples, make every contribution, pool them, score every model.
pub fn simulate(classes: &[SimClass], room: &Classroom) -> Result<Outcome, String> {
    let dim = classes
        .iter()
        .flat_map(|c| c.train.first())
        .map(Vec::len)
        .next()
        .ok_or("no training examples")?;
    if room.students == 0 || room.shots == 0 || room.classes_per_student == 0 {
        return Err("students, shots and classes per student must each be at least 1".into());
    }
    let holdings = holdings(room, classes.len());
    let holders = holders(room, classes.len());
    for (class, (&n, c)) in holders.iter().zip(classes).enumerate() {
        if n * room.shots > c.train.len() {
            return Err(format!(
                "class {class} (\"{}\") is held by {n} students with {} examples each, but has \
                 only {} training examples: use fewer students, shots or classes per student",
                c.name,
                room.shots,
                c.train.len()
            ));
        }
    }
    // Deal: the i-th holder of a class gets its training examples [i*shots, (i+1)*shots).
    let mut dealt = vec![0usize; classes.len()];
    let own: Vec<Vec<Holding>> = holdings
        .iter()
        .map(|held| {
            held.iter()
                .map(|&c| {
                    let from = dealt[c] * room.shots;
                    dealt[c] += 1;
                    (
                        c,
                        classes[c].train[from..from + room.shots].iter().collect(),
                    )
                })
                .collect()
        })
        .collect();

    let encoder = "simulated";
    let names: Vec<String> = classes.iter().map(|c| c.name.clone()).collect();
    let mut pool = ClassPool::new(encoder, dim, names);
    let mut rng = SmallRng::seed_from_u64(room.seed ^ 0x5eed);
    let options = ShareOptions {
        min_examples: room.min_examples,
        dp: room.dp,
        head: false,
    };
    let mut bytes = 0usize;
    let mut contributors = 0usize;
    let stamp = |rng: &mut SmallRng| Stamp {
        contributor: ContributorId::random(rng),
        made_ms: 0.0,
    };
    for student in &own {
        let shared: Vec<(String, Vec<Vec<f32>>)> = student
            .iter()
            .map(|(c, examples)| {
                let examples = examples.iter().map(|e| (*e).clone()).collect();
                (classes[*c].name.clone(), examples)
            })
            .collect();
        let stamp = stamp(&mut rng);
        let contribution =
            Contribution::make(encoder, dim, &shared, None, &options, stamp, &mut rng);
        bytes += contribution.export().len();
        contributors += 1;
        pool.add(contribution).map_err(|e| e.to_string())?;
    }
    let scale = median_embedding_norm(classes);
    for _ in 0..room.poisoned {
        let stamp = stamp(&mut rng);
        let lie = poisoned_contribution(encoder, dim, classes, scale, stamp, &mut rng);
        pool.add(lie).map_err(|e| e.to_string())?;
    }
    let mode = if room.robust {
        Aggregation::Median
    } else {
        Aggregation::Pooled
    };
    let federated = pool.class_model(mode).prototypes;

    let centralised: Vec<Option<Vec<f32>>> = (0..classes.len())
        .map(|c| {
            let all: Vec<&Vec<f32>> = own
                .iter()
                .flatten()
                .filter(|(k, _)| *k == c)
                .flat_map(|(_, e)| e.iter().copied())
                .collect();
            mean(&all)
        })
        .collect();
    let max_prototype_difference = federated
        .iter()
        .zip(&centralised)
        .filter_map(|(f, c)| Some((f.as_ref()?, c.as_ref()?)))
        .flat_map(|(f, c)| f.iter().zip(c).map(|(a, b)| f64::from((a - b).abs())))
        .fold(0.0, f64::max);

    let (mut personal, mut personal_own) = (0.0, 0.0);
    let (mut plus, mut plus_own) = (0.0, 0.0);
    for student in &own {
        let held: Vec<usize> = student.iter().map(|(c, _)| *c).collect();
        let mut mine: Vec<Option<Vec<f32>>> = vec![None; classes.len()];
        let mut with_class: Vec<Option<Vec<f32>>> = federated.clone();
        for (c, examples) in student {
            mine[*c] = mean(examples);
            let examples: Vec<Vec<f32>> = examples.iter().map(|e| (*e).clone()).collect();
            with_class[*c] = with_prior(federated[*c].as_deref(), &examples);
        }
        personal += accuracy(&mine, classes, None);
        personal_own += accuracy(&mine, classes, Some(&held));
        plus += accuracy(&with_class, classes, None);
        plus_own += accuracy(&with_class, classes, Some(&held));
    }
    let n = own.len() as f64;
    Ok(Outcome {
        personal_mean: personal / n,
        personal_mean_own_classes: personal_own / n,
        federated: accuracy(&federated, classes, None),
        personal_plus_class: plus / n,
        personal_plus_class_own_classes: plus_own / n,
        centralised: accuracy(&centralised, classes, None),
        max_prototype_difference,
        classes_without_prototype: federated.iter().filter(|p| p.is_none()).count() as f64,
        holders_per_class: (
            holders.iter().copied().min().unwrap_or(0),
            holders.iter().copied().max().unwrap_or(0),
        ),
        mean_contribution_bytes: bytes as f64 / contributors.max(1) as f64,
        test_examples: classes.iter().map(|c| c.test.len()).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// `classes` clusters in 16 dimensions, each with `train` and `test` examples around its
    /// centre (spread `noise`).
    fn clusters(classes: usize, train: usize, test: usize, noise: f32) -> Vec<SimClass> {
        let mut rng = SmallRng::seed_from_u64(7);
        let point = |k: usize, rng: &mut SmallRng| -> Vec<f32> {
            (0..16)
                .map(|j| f32::from(u8::from(j == k % 16)) + rng.random_range(-noise..noise))
                .collect()
        };
        (0..classes)
            .map(|k| SimClass {
                name: format!("class {k}"),
                train: (0..train).map(|_| point(k, &mut rng)).collect(),
                test: (0..test).map(|_| point(k, &mut rng)).collect(),
            })
            .collect()
    }

    fn room() -> Classroom {
        Classroom {
            students: 8,
            shots: 1,
            classes_per_student: 4,
            min_examples: 1,
            dp: None,
            poisoned: 0,
            robust: false,
            seed: 3,
        }
    }

    #[test]
    fn plain_pooling_is_centralised_training() {
        let classes = clusters(8, 8, 10, 0.3);
        let outcome = simulate(&classes, &room()).unwrap();
        assert_eq!(outcome.federated, outcome.centralised);
        assert!(outcome.max_prototype_difference < 1e-6, "{outcome:?}");
        assert_eq!(outcome.classes_without_prototype, 0.0);
        assert_eq!(outcome.holders_per_class, (4, 4));
        // Each student knows half the classes: the class model knows them all.
        assert!(
            outcome.federated > outcome.personal_mean + 0.2,
            "{outcome:?}"
        );
        assert!(outcome.personal_mean <= 0.5 + 1e-9, "{outcome:?}");
    }

    #[test]
    fn a_class_shared_by_nobody_has_no_prototype() {
        let classes = clusters(8, 8, 10, 0.3);
        let outcome = simulate(
            &classes,
            &Classroom {
                min_examples: 2,
                ..room()
            },
        )
        .unwrap();
        assert_eq!(outcome.classes_without_prototype, 8.0);
        assert_eq!(outcome.federated, 0.0);
        // A student's own examples still answer on their device.
        assert!(outcome.personal_plus_class_own_classes > 0.9, "{outcome:?}");
    }

    #[test]
    fn the_median_bounds_a_poisoned_contributor_the_mean_does_not() {
        let classes = clusters(8, 8, 10, 0.3);
        let honest = simulate(&classes, &room()).unwrap();
        let poisoned = Classroom {
            poisoned: 1,
            ..room()
        };
        let plain = simulate(&classes, &poisoned).unwrap();
        let robust = simulate(
            &classes,
            &Classroom {
                robust: true,
                ..poisoned
            },
        )
        .unwrap();
        assert!(honest.federated > 0.95, "{honest:?}");
        assert!(plain.federated < 0.5, "{plain:?}");
        assert!(robust.federated > 0.95, "{robust:?}");
        // Centralised training never sees the liar.
        assert_eq!(plain.centralised, honest.centralised);
    }

    #[test]
    fn a_class_model_too_noisy_to_help_has_no_prototypes_and_harms_nobody() {
        let classes = clusters(8, 8, 10, 0.3);
        // A clipping norm far above the embeddings' lengths: the noise is large, and the
        // pooled count's noise alone may look like many examples.
        let dp = DpParams::new(1.0, 1e-5, 10.0).unwrap();
        // Whatever the noise draws (a count inflated by noise must not pass for a big one).
        for seed in 0..50 {
            let noisy = Classroom {
                dp: Some(dp),
                seed,
                ..room()
            };
            let outcome = simulate(&classes, &noisy).unwrap();
            assert_eq!(
                outcome.classes_without_prototype, 8.0,
                "{seed}: {outcome:?}"
            );
            assert_eq!(outcome.personal_plus_class, outcome.personal_mean);
        }
    }

    #[test]
    fn differential_privacy_works_with_enough_examples_and_costs_more_as_epsilon_falls() {
        let classes = clusters(4, 1000, 10, 0.3);
        let many = Classroom {
            students: 40,
            shots: 25,
            classes_per_student: 4,
            ..room()
        };
        let outcome = |epsilon: f64| {
            let dp = DpParams::new(epsilon, 1e-5, 1.5).unwrap();
            simulate(
                &classes,
                &Classroom {
                    dp: Some(dp),
                    ..many
                },
            )
            .unwrap()
        };
        let (loose, tight) = (outcome(1.0), outcome(0.05));
        assert_eq!(loose.classes_without_prototype, 0.0, "{loose:?}");
        assert!(loose.federated > 0.9, "{loose:?}");
        assert_eq!(tight.classes_without_prototype, 4.0, "{tight:?}");
    }

    #[test]
    fn too_few_examples_for_the_holders_is_refused_by_class() {
        let classes = clusters(4, 3, 2, 0.5);
        let error = simulate(
            &classes,
            &Classroom {
                students: 8,
                ..room()
            },
        )
        .unwrap_err();
        assert!(
            error.contains("class ") && error.contains("only 3 training"),
            "{error}"
        );
    }
}
