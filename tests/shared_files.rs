//! The files a class passes around, as untrusted input: contributions, class pools and model
//! files, mutated thousands of times (bytes changed, or JSON values replaced, removed or
//! tweaked), through the importers. None panics; a refused file says what is wrong (a field by
//! its path); an accepted one is valid, exports and imports back to the same value, and answers;
//! and a refused contribution or pool leaves the pool it was offered to exactly as it was (no
//! partial write), whether it is added by itself or dropped with others (`federated::gather`).

use std::sync::LazyLock;

use inkling::federated::contribution::{
    Contribution, ContributionError, ContributorId, ShareOptions, Stamp,
};
use inkling::federated::gather::{Gathered, gather};
use inkling::federated::pool::{Aggregation, ClassPool};
use inkling::federated::privacy::DpParams;
use inkling::learn::finetune::HeadWeights;
use inkling::personal::{ModelFile, ModelFileError};
use inkling::project::ProjectKind;
use proptest::prelude::*;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

mod mutate;
use mutate::{apply, byte_edit, edited, json_edit};

const ENCODER: &str = "encoder-0123456789abcdef";
const DIM: usize = 6;
const CLASSES: [&str; 3] = ["alpha", "βήτα", "gamma"];

fn student(rng: &mut SmallRng, counts: [usize; 3]) -> Vec<(String, Vec<Vec<f32>>)> {
    CLASSES
        .iter()
        .zip(counts)
        .map(|(name, n)| {
            let examples = (0..n)
                .map(|_| (0..DIM).map(|_| rng.random_range(-1.0..1.0)).collect())
                .collect();
            (name.to_string(), examples)
        })
        .collect()
}

fn contribution(seed: u64, dp: bool) -> Contribution {
    let mut rng = SmallRng::seed_from_u64(seed);
    let head = HeadWeights::new(DIM, 3, vec![0.25; DIM * 3], vec![0.5, -0.5, 0.0]).unwrap();
    let options = ShareOptions {
        min_examples: 2,
        dp: dp.then(|| DpParams::new(0.5, 1e-5, 1.0).unwrap()),
        head: true,
    };
    let stamp = Stamp {
        contributor: ContributorId::random(&mut rng),
        made_ms: 1.7e12 + seed as f64,
    };
    let classes = student(&mut rng, [3, 2, 4]);
    Contribution::make(
        ENCODER,
        DIM,
        &classes,
        Some((&head, 9)),
        &options,
        stamp,
        &mut rng,
    )
}

fn names() -> Vec<String> {
    CLASSES.iter().map(|c| c.to_string()).collect()
}

/// A teacher's pool of two students' contributions.
fn pool() -> ClassPool {
    let mut pool = ClassPool::new(ENCODER, DIM, names());
    pool.add(contribution(1, false)).unwrap();
    pool.add(contribution(2, false)).unwrap();
    pool
}

static CONTRIBUTION_SEED: LazyLock<Vec<u8>> = LazyLock::new(|| contribution(3, false).export());
static DP_SEED: LazyLock<Vec<u8>> = LazyLock::new(|| contribution(4, true).export());
static POOL_SEED: LazyLock<Vec<u8>> = LazyLock::new(|| pool().export());
static MODEL_SEED: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut pool = pool();
    pool.add(contribution(5, true)).unwrap();
    let model = pool.class_model(Aggregation::Pooled);
    ModelFile::of_class(
        ProjectKind::Drawing,
        ENCODER,
        DIM,
        &model,
        &pool.summary(),
        3,
    )
    .expect("the seed class model has prototypes")
    .export()
});

/// A refusal says what is wrong: the field by its path, or why the file is not one.
fn says_where(e: &ContributionError) {
    match e {
        ContributionError::Field { path, problem } => {
            assert!(!path.is_empty() && !problem.trim().is_empty(), "{e:?}")
        }
        ContributionError::Json(why) => assert!(!why.trim().is_empty(), "{e:?}"),
        ContributionError::TooBig(bytes) => panic!("a mutation is never {bytes} bytes"),
    }
}

/// A class model of the pool's classes: each prototype `DIM` finite numbers.
fn holds_together(model: &inkling::federated::pool::ClassModel) {
    assert_eq!(model.prototypes.len(), CLASSES.len());
    for p in model.prototypes.iter().flatten() {
        assert!(p.len() == DIM && p.iter().all(|x| x.is_finite()), "{p:?}");
    }
}

/// A contribution offered to a teacher's pool: accepted and valid, or refused with the pool
/// unchanged.
fn contribution_checked(bytes: &[u8]) {
    gathered_checked(bytes);
    match Contribution::import(bytes) {
        Ok(c) => {
            let back = Contribution::import(&c.export()).expect("an accepted file re-exports");
            assert_eq!(back, c);
            let mut teacher = pool();
            let before = teacher.clone();
            match teacher.add(c) {
                Ok(_) => {
                    holds_together(&teacher.class_model(Aggregation::Median));
                    holds_together(&teacher.class_model(Aggregation::Pooled));
                }
                Err(e) => {
                    says_where(&e);
                    assert_eq!(teacher, before, "a refused contribution changes nothing");
                }
            }
        }
        Err(e) => says_where(&e),
    }
}

/// A file dropped on a class project (a contribution or a pool, told apart by its header):
/// taken whole, or refused naming what is wrong with the pool exactly as it was.
fn gathered_checked(bytes: &[u8]) {
    let mut teacher = pool();
    let before = teacher.clone();
    let report = gather(&mut teacher, &[("dropped.json".into(), bytes.to_vec())]);
    assert_eq!(report.len(), 1);
    match &report[0].gathered {
        Gathered::Refused(e) => {
            says_where(e);
            assert_eq!(teacher, before, "a refused file changes nothing");
        }
        _ => holds_together(&teacher.class_model(Aggregation::Pooled)),
    }
}

fn pool_checked(bytes: &[u8]) {
    gathered_checked(bytes);
    match ClassPool::import(bytes) {
        Ok(read) => {
            assert_eq!(ClassPool::import(&read.export()), Ok(read.clone()));
            let mut teacher = pool();
            let before = teacher.clone();
            if let Err(e) = teacher.merge(&read) {
                says_where(&e);
                assert_eq!(teacher, before, "a refused pool changes nothing");
            }
            holds_together(&teacher.class_model(Aggregation::TrimmedMean { trim: 0.2 }));
        }
        Err(e) => says_where(&e),
    }
}

fn model_checked(bytes: &[u8]) {
    match ModelFile::import(bytes) {
        Ok(model) => {
            assert_eq!(ModelFile::import(&model.export()), Ok(model.clone()));
            let answer = model
                .answer(&vec![0.5; model.dim])
                .expect("a valid model answers");
            // Probabilities over the file's classes, the label the most probable.
            assert_eq!(answer.probabilities.len(), model.classes.len());
            let total: f32 = answer.probabilities.iter().map(|p| p.1).sum();
            assert!((total - 1.0).abs() < 1e-3, "{answer:?}");
            let best = answer
                .probabilities
                .iter()
                .map(|p| p.1)
                .fold(f32::MIN, f32::max);
            assert!(
                answer
                    .probabilities
                    .iter()
                    .any(|(name, p)| *name == answer.label && *p == best),
                "{answer:?}"
            );
        }
        Err(e) => match e {
            ModelFileError::Field { path, problem } => {
                assert!(!path.is_empty() && !problem.trim().is_empty())
            }
            ModelFileError::Json(why) => assert!(!why.trim().is_empty()),
            ModelFileError::TooBig(bytes) => panic!("a mutation is never {bytes} bytes"),
        },
    }
}

fn bytes_edited(seed: &[u8], edits: &[mutate::ByteEdit]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for edit in edits {
        apply(&mut bytes, edit);
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn contribution_mutations_never_panic_and_change_nothing_when_refused(
        bytes in proptest::collection::vec(byte_edit(), 1..6),
        json in proptest::collection::vec(json_edit(), 1..4),
        dp in any::<bool>(),
    ) {
        let seed = if dp { &*DP_SEED } else { &*CONTRIBUTION_SEED };
        contribution_checked(&bytes_edited(seed, &bytes));
        contribution_checked(&edited(seed, &json));
    }

    #[test]
    fn model_file_mutations_never_panic_and_what_is_accepted_answers(
        bytes in proptest::collection::vec(byte_edit(), 1..6),
        json in proptest::collection::vec(json_edit(), 1..4),
    ) {
        model_checked(&bytes_edited(&MODEL_SEED, &bytes));
        model_checked(&edited(&MODEL_SEED, &json));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pool_mutations_never_panic_and_change_nothing_when_refused(
        bytes in proptest::collection::vec(byte_edit(), 1..6),
        json in proptest::collection::vec(json_edit(), 1..4),
    ) {
        pool_checked(&bytes_edited(&POOL_SEED, &bytes));
        pool_checked(&edited(&POOL_SEED, &json));
    }
}

#[test]
fn the_seeds_are_valid() {
    for seed in [&*CONTRIBUTION_SEED, &*DP_SEED] {
        Contribution::import(seed).unwrap();
    }
    assert_eq!(ClassPool::import(&POOL_SEED), Ok(pool()));
    let model = ModelFile::import(&MODEL_SEED).unwrap();
    assert_eq!(model.contributors, 3);
    assert!(
        model.head.is_some(),
        "the plain contributions' heads, averaged"
    );
}
