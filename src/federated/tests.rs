use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::contribution::{Contribution, ContributionError, ContributorId, ShareOptions, Stamp};
use super::pool::{Added, Aggregation, ClassPool, PRIOR_EXAMPLES, with_prior};
use super::privacy::DpParams;
use crate::learn::finetune::HeadWeights;

const ENCODER: &str = "test-encoder";
const DIM: usize = 8;
const CLASSES: [&str; 3] = ["alpha", "beta", "gamma"];

fn names() -> Vec<String> {
    CLASSES.iter().map(|c| c.to_string()).collect()
}

/// `n` embeddings around class `k`'s centre.
fn examples(rng: &mut SmallRng, k: usize, n: usize) -> Vec<Vec<f32>> {
    (0..n)
        .map(|_| {
            (0..DIM)
                .map(|j| if j == k { 1.0 } else { 0.0 } + rng.random_range(-0.3..0.3))
                .collect()
        })
        .collect()
}

/// A student's classes: `counts[k]` examples of class `k` (0: the class is not shared).
fn student(rng: &mut SmallRng, counts: [usize; 3]) -> Vec<(String, Vec<Vec<f32>>)> {
    CLASSES
        .iter()
        .enumerate()
        .map(|(k, name)| (name.to_string(), examples(rng, k, counts[k])))
        .collect()
}

fn plain(min_examples: usize) -> ShareOptions {
    ShareOptions {
        min_examples,
        dp: None,
        head: true,
    }
}

fn contribute(
    classes: &[(String, Vec<Vec<f32>>)],
    made_ms: f64,
    rng: &mut SmallRng,
) -> Contribution {
    Contribution::make(
        ENCODER,
        DIM,
        classes,
        None,
        &plain(1),
        stamp(made_ms, rng),
        rng,
    )
}

/// A new contributor's stamp at `made_ms`.
fn stamp(made_ms: f64, rng: &mut SmallRng) -> Stamp {
    Stamp {
        contributor: ContributorId::random(rng),
        made_ms,
    }
}

fn mean(rows: &[Vec<f32>]) -> Vec<f32> {
    (0..DIM)
        .map(|j| rows.iter().map(|r| f64::from(r[j])).sum::<f64>() as f32 / rows.len() as f32)
        .collect()
}

fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f32>()
        .sqrt()
}

#[test]
fn pooled_prototypes_equal_training_on_every_example_together() {
    let mut rng = SmallRng::seed_from_u64(1);
    let students: Vec<_> = [[3, 1, 0], [2, 5, 4], [0, 2, 7]]
        .into_iter()
        .map(|counts| student(&mut rng, counts))
        .collect();
    let mut pool = ClassPool::new(ENCODER, DIM, names());
    for (i, s) in students.iter().enumerate() {
        assert_eq!(pool.add(contribute(s, i as f64, &mut rng)), Ok(Added::New));
    }
    let model = pool.class_model(Aggregation::Pooled);
    for (k, name) in CLASSES.iter().enumerate() {
        let all: Vec<Vec<f32>> = students.iter().flat_map(|s| s[k].1.clone()).collect();
        let centralised = mean(&all);
        let pooled = model.prototypes[k].as_ref().unwrap();
        let off = distance(pooled, &centralised);
        println!("{name}: pooled vs centralised prototype, distance {off:e}");
        assert!(off < 1e-5, "{name}");
    }
    let summary = pool.summary();
    assert_eq!((summary[0].contributors, summary[0].examples), (2, 5.0));
    assert_eq!((summary[2].contributors, summary[2].examples), (2, 11.0));
}

#[test]
fn merges_in_any_order_give_one_model_and_a_contributor_counts_once() {
    let mut rng = SmallRng::seed_from_u64(2);
    let made: Vec<Contribution> = (0..4)
        .map(|i| contribute(&student(&mut rng, [2, 2, 2]), i as f64, &mut rng))
        .collect();
    let mut first = ClassPool::new(ENCODER, DIM, names());
    let mut second = ClassPool::new(ENCODER, DIM, names());
    for c in &made[..3] {
        first.add(c.clone()).unwrap();
    }
    for c in made[1..].iter().rev() {
        second.add(c.clone()).unwrap();
    }
    // A merge of merges: 0-2 and 1-3 overlap in 1 and 2.
    let mut merged = first.clone();
    merged.merge(&second).unwrap();
    let mut other_way = second.clone();
    other_way.merge(&first).unwrap();
    let mut each = ClassPool::new(ENCODER, DIM, names());
    for c in &made {
        each.add(c.clone()).unwrap();
    }
    assert_eq!(merged, each);
    assert_eq!(other_way, each);
    assert_eq!(merged.contributions().count(), 4);
    assert_eq!(
        merged.class_model(Aggregation::Pooled),
        each.class_model(Aggregation::Pooled)
    );
    // Added twice: once.
    assert_eq!(each.add(made[0].clone()), Ok(Added::AlreadyNewer));
    assert_eq!(each.summary()[0].examples, 8.0);
    // The same contributor again, newer: it replaces the older one.
    let mut newer = contribute(&student(&mut rng, [5, 0, 0]), 99.0, &mut rng);
    newer.contributor = made[0].contributor.clone();
    assert_eq!(each.add(newer.clone()), Ok(Added::Replaced));
    assert_eq!(each.summary()[0].examples, 11.0);
    let mut older = newer;
    older.made_ms = 50.0;
    assert_eq!(each.add(older), Ok(Added::AlreadyNewer));
    // A pool's file reads back as the same pool.
    assert_eq!(ClassPool::import(&each.export()), Ok(each));
}

#[test]
fn small_classes_are_not_shared_and_heads_average_by_examples() {
    let mut rng = SmallRng::seed_from_u64(3);
    let classes = student(&mut rng, [1, 2, 3]);
    let head = |value: f32| HeadWeights::new(DIM, 3, vec![value; DIM * 3], vec![value; 3]).unwrap();
    let one = Contribution::make(
        ENCODER,
        DIM,
        &classes,
        Some((&head(1.0), 1)),
        &plain(2),
        stamp(0.0, &mut rng),
        &mut rng,
    );
    assert_eq!(one.class_names().collect::<Vec<_>>(), ["beta", "gamma"]);
    let three = Contribution::make(
        ENCODER,
        DIM,
        &classes,
        Some((&head(5.0), 3)),
        &plain(2),
        stamp(1.0, &mut rng),
        &mut rng,
    );
    let mut pool = ClassPool::new(ENCODER, DIM, names());
    pool.add(one).unwrap();
    pool.add(three).unwrap();
    let model = pool.class_model(Aggregation::Pooled);
    assert_eq!(model.prototypes[0], None, "nobody shared alpha");
    let head = model.head.unwrap();
    // (1 * 1 + 3 * 5) / 4
    assert!(
        head.weight
            .iter()
            .chain(&head.bias)
            .all(|&w| (w - 4.0).abs() < 1e-6)
    );
}

#[test]
fn robust_modes_bound_what_one_poisoned_contribution_can_do() {
    let mut rng = SmallRng::seed_from_u64(4);
    let mut pool = ClassPool::new(ENCODER, DIM, names());
    let mut honest = Vec::new();
    for i in 0..6 {
        let s = student(&mut rng, [3, 3, 3]);
        honest.extend(s[0].1.clone());
        pool.add(contribute(&s, i as f64, &mut rng)).unwrap();
    }
    let truth = mean(&honest);
    // One contributor claims a huge alpha.
    let mut poisoned = contribute(&student(&mut rng, [3, 3, 3]), 9.0, &mut rng);
    poisoned.classes[0].sum = vec![-1e6; DIM];
    pool.add(poisoned).unwrap();
    let off = |mode| {
        distance(
            pool.class_model(mode).prototypes[0].as_ref().unwrap(),
            &truth,
        )
    };
    let pooled = off(Aggregation::Pooled);
    let median = off(Aggregation::Median);
    let trimmed = off(Aggregation::TrimmedMean { trim: 0.2 });
    println!(
        "one poisoned contributor of 7: off the honest mean by {pooled:.1} (pooled), \
         {median:.3} (median), {trimmed:.3} (trimmed mean)"
    );
    assert!(pooled > 1000.0, "the plain mean is dragged away: {pooled}");
    assert!(median < 0.5, "median {median}");
    assert!(trimmed < 0.5, "trimmed mean {trimmed}");
}

#[test]
fn a_contribution_that_does_not_fit_is_refused_by_field_and_changes_nothing() {
    let mut rng = SmallRng::seed_from_u64(5);
    let mut pool = ClassPool::new(ENCODER, DIM, names());
    pool.add(contribute(&student(&mut rng, [2, 2, 2]), 0.0, &mut rng))
        .unwrap();
    let before = pool.clone();
    let good = contribute(&student(&mut rng, [2, 2, 2]), 1.0, &mut rng);
    let refused = |c: Contribution| match ClassPool::clone(&before).add(c) {
        Err(ContributionError::Field { path, .. }) => path,
        other => panic!("refused, not {other:?}"),
    };
    let mut other_encoder = good.clone();
    other_encoder.encoder = "another".into();
    assert_eq!(refused(other_encoder), "encoder");
    let mut other_class = good.clone();
    other_class.classes[1].name = "delta".into();
    assert_eq!(refused(other_class), "classes[1].name");
    let mut bad_number = good.clone();
    bad_number.classes[2].sum[3] = f32::NAN;
    assert_eq!(refused(bad_number), "classes[2].sum[3]");
    let mut short = good.clone();
    short.classes[0].sum.pop();
    assert_eq!(refused(short), "classes[0].sum");
    let mut fractional = good.clone();
    fractional.classes[0].count = 2.5;
    assert_eq!(refused(fractional), "classes[0].count");
    // Through the file too, and the pool is as it was.
    let mut bytes = String::from_utf8(good.export()).unwrap();
    bytes = bytes.replacen(&format!("\"{ENCODER}\""), "\"another\"", 1);
    let read = Contribution::import(bytes.as_bytes()).unwrap();
    assert!(
        matches!(pool.add(read), Err(ContributionError::Field { ref path, .. }) if path == "encoder")
    );
    assert_eq!(pool, before);
    assert!(matches!(
        Contribution::import(b"{\"format\": 1}"),
        Err(ContributionError::Json(_))
    ));
    assert!(matches!(
        Contribution::import(&vec![b' '; super::contribution::MAX_FILE_BYTES + 1]),
        Err(ContributionError::TooBig(_))
    ));
}

#[test]
fn differential_privacy_clips_noises_and_is_stated_in_the_file() {
    let mut rng = SmallRng::seed_from_u64(6);
    let dp = DpParams::new(1.0, 1e-5, 1.0).unwrap();
    let options = ShareOptions {
        min_examples: 2,
        dp: Some(dp),
        head: true,
    };
    let head = HeadWeights::new(DIM, 3, vec![0.0; DIM * 3], vec![0.0; 3]).unwrap();
    let classes = student(&mut rng, [4, 4, 4]);
    let made = Contribution::make(
        ENCODER,
        DIM,
        &classes,
        Some((&head, 12)),
        &options,
        stamp(0.0, &mut rng),
        &mut rng,
    );
    assert_eq!(made.head, None, "no head under DP");
    assert_eq!(made.dp, Some(dp));
    let read = Contribution::import(&made.export()).unwrap();
    assert_eq!(read, made);
    // Noised: the counts are not the true 4 (with probability 1).
    assert!(made.classes.iter().all(|c| c.count != 4.0));
    // A file whose noise does not fit its epsilon is refused.
    let mut lying = made.clone();
    lying.dp = Some(DpParams { sigma: 0.01, ..dp });
    assert!(
        matches!(lying.validate(), Err(ContributionError::Field { ref path, .. }) if path == "dp")
    );
}

#[test]
fn a_contribution_file_holds_no_strokes_no_text_and_no_names() {
    let mut rng = SmallRng::seed_from_u64(7);
    let classes = student(&mut rng, [2, 2, 2]);
    let bytes = contribute(&classes, 0.0, &mut rng).export();
    let text = String::from_utf8(bytes.clone()).unwrap();
    for word in [
        "strokes",
        "points",
        "\"text\"",
        "sentence",
        "profile",
        "student",
        "name\": \"Student",
    ] {
        assert!(!text.contains(word), "{word} in {text}");
    }
    // Its fields are exactly these (no place where a drawing or a sentence could go).
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "classes",
            "contributor",
            "dim",
            "dp",
            "encoder",
            "format",
            "head",
            "made_ms",
            "min_examples",
            "version"
        ]
    );
    let mut class_keys: Vec<&str> = value["classes"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    class_keys.sort();
    assert_eq!(class_keys, ["count", "name", "sum"]);
    assert!(bytes.len() < 8 * 1024, "a few KB: {}", bytes.len());
}

#[test]
fn the_class_model_is_a_prior_the_students_own_examples_outweigh() {
    let class = vec![1.0f32; DIM];
    let own = |n: usize| vec![vec![0.0f32; DIM]; n];
    // Nothing of their own: the class model alone; nothing pooled: their own mean.
    assert_eq!(with_prior(Some(&class), &own(0)), Some(class.clone()));
    assert_eq!(with_prior(None, &own(3)), Some(vec![0.0; DIM]));
    assert_eq!(with_prior(None, &own(0)), None);
    // The class model's weight is PRIOR_EXAMPLES / (PRIOR_EXAMPLES + n).
    let mut last = 1.0;
    for n in [1, 2, 4, 10] {
        let weight = with_prior(Some(&class), &own(n)).unwrap()[0];
        let prior = PRIOR_EXAMPLES as f64;
        let expected = (prior / (prior + n as f64)) as f32;
        assert!((weight - expected).abs() < 1e-6, "{n}: {weight}");
        assert!(weight < last, "each own example counts more");
        last = weight;
    }
    assert!((with_prior(Some(&class), &own(2)).unwrap()[0] - 0.5).abs() < 1e-6);
}

#[test]
fn under_dp_whether_a_class_is_shared_depends_on_its_noised_count_only() {
    // One example, a minimum of 2: shared exactly would say "fewer than 2" by its absence.
    let dp = DpParams::new(1.0, 1e-5, 1.0).unwrap();
    let options = ShareOptions {
        min_examples: 2,
        dp: Some(dp),
        head: false,
    };
    let mut rng = SmallRng::seed_from_u64(11);
    let classes = student(&mut rng, [1, 0, 40]);
    let mut shared = [0usize; 3];
    let runs = 400;
    for _ in 0..runs {
        let made = Contribution::make(
            ENCODER,
            DIM,
            &classes,
            None,
            &options,
            stamp(0.0, &mut rng),
            &mut rng,
        );
        for c in &made.classes {
            assert!(
                c.count >= 2.0,
                "shared only when the noised count reaches 2"
            );
            shared[CLASSES.iter().position(|n| *n == c.name).unwrap()] += 1;
        }
    }
    println!(
        "federated: under DP (sigma {:.2}), shared of {runs}: 1 example {}, 0 examples {}, 40 examples {}",
        dp.sigma, shared[0], shared[1], shared[2]
    );
    // sigma is about 7: a class of 1 or 0 examples is shared about 40% of the time, one of 40
    // almost always.
    assert!(shared[0] > runs / 5 && shared[0] < runs * 4 / 5);
    assert!(shared[1] > runs / 5 && shared[1] < runs * 4 / 5);
    assert!(shared[2] > runs * 9 / 10);
}

#[test]
fn a_contributor_keeps_one_id_and_a_tie_keeps_the_same_contribution_in_any_order() {
    let mut rng = SmallRng::seed_from_u64(12);
    let me = stamp(5.0, &mut rng);
    let a = Contribution::make(
        ENCODER,
        DIM,
        &student(&mut rng, [2, 2, 2]),
        None,
        &plain(1),
        me.clone(),
        &mut rng,
    );
    let b = Contribution::make(
        ENCODER,
        DIM,
        &student(&mut rng, [3, 3, 3]),
        None,
        &plain(1),
        me.clone(),
        &mut rng,
    );
    assert_eq!(a.contributor, me.contributor);
    assert_eq!(b.contributor, me.contributor);
    let mut ab = ClassPool::new(ENCODER, DIM, names());
    ab.add(a.clone()).unwrap();
    ab.add(b.clone()).unwrap();
    let mut ba = ClassPool::new(ENCODER, DIM, names());
    ba.add(b).unwrap();
    ba.add(a).unwrap();
    assert_eq!(
        ab, ba,
        "the same made_ms: one rule picks, whatever came first"
    );
}

/// A misspelled or unknown field is refused, not dropped (a contribution holds exactly its
/// fields); a newer file is refused by its version, before its new fields are read.
#[test]
fn unknown_fields_are_refused_and_a_newer_file_by_its_version() {
    let mut rng = SmallRng::seed_from_u64(8);
    let good = contribute(&student(&mut rng, [2, 2, 2]), 1.0, &mut rng);
    let mut value = serde_json::to_value(&good).unwrap();
    value["classes"][0]["strokes"] = serde_json::json!([[{"x": 1, "y": 2}]]);
    assert!(matches!(
        Contribution::import(value.to_string().as_bytes()),
        Err(ContributionError::Json(m)) if m.contains("strokes")
    ));
    let mut value = serde_json::to_value(&good).unwrap();
    value["version"] = 2.into();
    value["sentences"] = serde_json::json!(["hello"]);
    assert!(matches!(
        Contribution::import(value.to_string().as_bytes()),
        Err(ContributionError::Field { path, .. }) if path == "version"
    ));
    let mut pool = ClassPool::new(ENCODER, DIM, names());
    pool.add(good).unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&pool.export()).unwrap();
    value["teacher"] = "Ms Smith".into();
    assert!(matches!(
        ClassPool::import(value.to_string().as_bytes()),
        Err(ContributionError::Json(m)) if m.contains("teacher")
    ));
}

#[test]
fn a_pool_file_with_an_empty_encoder_or_a_class_named_twice_is_refused() {
    let pool = ClassPool::new(ENCODER, DIM, names());
    let text = String::from_utf8(pool.export()).unwrap();
    let refused = |text: String| match ClassPool::import(text.as_bytes()) {
        Err(ContributionError::Field { path, .. }) => path,
        other => panic!("refused, not {other:?}"),
    };
    assert_eq!(
        refused(text.replacen(&format!("\"{ENCODER}\""), "\"\"", 1)),
        "encoder"
    );
    assert_eq!(
        refused(text.replacen("\"gamma\"", "\"alpha\"", 1)),
        "classes[2]"
    );
    assert_eq!(
        refused(text.replacen("\"gamma\"", "\"  \"", 1)),
        "classes[2]"
    );
}

#[test]
fn dropped_files_are_added_each_whole_or_refused_by_name_and_field() {
    use super::gather::{Gathered, gather};
    let mut rng = SmallRng::seed_from_u64(9);
    let first = contribute(&student(&mut rng, [2, 2, 2]), 1.0, &mut rng);
    let second = contribute(&student(&mut rng, [3, 0, 2]), 2.0, &mut rng);
    let mut newer_first = contribute(&student(&mut rng, [2, 2, 2]), 3.0, &mut rng);
    newer_first.contributor = first.contributor.clone();
    let mut other_encoder = contribute(&student(&mut rng, [2, 2, 2]), 1.0, &mut rng);
    other_encoder.encoder = "another".into();
    // Another device's gathering: the second student and one more.
    let mut elsewhere = ClassPool::new(ENCODER, DIM, names());
    elsewhere.add(second.clone()).unwrap();
    elsewhere
        .add(contribute(&student(&mut rng, [2, 2, 0]), 1.0, &mut rng))
        .unwrap();

    let mut pool = ClassPool::new(ENCODER, DIM, names());
    let files = vec![
        ("ana.json".to_string(), first.export()),
        ("ben.json".into(), second.export()),
        (
            "broken.json".into(),
            b"{\"format\": \"inkling-contribution\",".to_vec(),
        ),
        ("other.json".into(), other_encoder.export()),
        (
            "project.inkling.json".into(),
            crate::project::file::export(&crate::project::Project::starter()),
        ),
        ("class.pool.json".into(), elsewhere.export()),
        ("ana-again.json".into(), newer_first.export()),
        ("ana-old.json".into(), first.export()),
    ];
    let reports = gather(&mut pool, &files);
    let gathered: Vec<&Gathered> = reports.iter().map(|r| &r.gathered).collect();
    assert_eq!(gathered[0], &Gathered::Contribution(Added::New));
    assert_eq!(gathered[1], &Gathered::Contribution(Added::New));
    assert!(matches!(
        gathered[2],
        Gathered::Refused(ContributionError::Json(_))
    ));
    assert!(
        matches!(gathered[3], Gathered::Refused(ContributionError::Field { path, .. }) if path == "encoder")
    );
    assert!(
        matches!(gathered[4], Gathered::Refused(ContributionError::Json(m)) if m.contains("inkling-project")),
        "{:?}",
        gathered[4]
    );
    // The pool brought one new contributor (it already had the second student).
    assert_eq!(gathered[5], &Gathered::Pool { gained: 1 });
    assert_eq!(gathered[6], &Gathered::Contribution(Added::Replaced));
    assert_eq!(gathered[7], &Gathered::Contribution(Added::AlreadyNewer));
    assert_eq!(reports[3].file, "other.json");
    // Three students; the refused files changed nothing.
    assert_eq!(pool.contributions().count(), 3);
    let summary = pool.summary();
    assert_eq!(summary[0].contributors, 3);
    assert_eq!(summary[0].examples, 2.0 + 3.0 + 2.0);
    // The second student did not share beta (no examples).
    assert_eq!(summary[1].contributors, 2);
    // A pool of other classes is refused whole.
    let mut other_classes = ClassPool::new(ENCODER, DIM, vec!["x".into(), "y".into()]);
    let mut bad = contribute(&student(&mut rng, [2, 2, 2]), 1.0, &mut rng);
    bad.classes.truncate(2);
    bad.head = None;
    bad.classes[0].name = "x".into();
    bad.classes[1].name = "y".into();
    other_classes.add(bad).unwrap();
    let before = pool.clone();
    let reports = gather(
        &mut pool,
        &[("other-class.pool.json".into(), other_classes.export())],
    );
    assert!(matches!(
        &reports[0].gathered,
        Gathered::Refused(ContributionError::Field { path, .. }) if path.starts_with("contributions[0].classes[0]")
    ));
    assert_eq!(pool, before);
}

#[test]
fn a_projects_contribution_is_its_training_set_and_the_preview_reads_the_file() {
    use super::share::{ClassShare, ShareError, class_shares, contribution_of};
    use crate::personal::{TrainingSet, Tuned};
    let mut rng = SmallRng::seed_from_u64(10);
    let own = examples(&mut rng, 0, 4);
    let set = TrainingSet {
        labels: names(),
        class_ids: vec![1, 2, 3],
        examples: vec![
            (10, 0, own[0].clone()),
            (11, 1, own[1].clone()),
            (12, 0, own[2].clone()),
            (13, 0, own[3].clone()),
        ],
    };
    let head = HeadWeights::new(DIM, 3, vec![0.5; DIM * 3], vec![0.1; 3]).unwrap();
    let tuned = Tuned {
        examples: vec![10, 11, 12, 13],
        head: head.clone(),
    };
    let made = contribution_of(
        &set,
        Some(&tuned),
        ENCODER,
        &ShareOptions::default(),
        stamp(1.0, &mut rng),
        &mut rng,
    )
    .unwrap();
    // Alpha's three examples, summed; beta's one is under the minimum of 2; gamma has none.
    assert_eq!(made.classes.len(), 1);
    assert_eq!(made.classes[0].count, 3.0);
    let sum: Vec<f32> = (0..DIM)
        .map(|j| own[0][j] + own[2][j] + own[3][j])
        .collect();
    assert!(distance(&made.classes[0].sum, &sum) < 1e-5);
    let shared = made.head.as_ref().unwrap();
    assert_eq!((shared.examples, &shared.weight), (4, &head.weight));
    assert_eq!(
        class_shares(&set, &made),
        vec![
            ClassShare {
                name: "alpha".into(),
                examples: 3,
                shared: Some(3.0)
            },
            ClassShare {
                name: "beta".into(),
                examples: 1,
                shared: None
            },
            ClassShare {
                name: "gamma".into(),
                examples: 0,
                shared: None
            },
        ]
    );
    // A head trained on other examples than these is not shared.
    let stale = Tuned {
        examples: vec![10, 11, 12],
        head,
    };
    let made = contribution_of(
        &set,
        Some(&stale),
        ENCODER,
        &plain(1),
        stamp(2.0, &mut rng),
        &mut rng,
    )
    .unwrap();
    assert_eq!(made.head, None);
    assert_eq!(made.classes.len(), 2);
    let empty = TrainingSet {
        examples: Vec::new(),
        ..set
    };
    assert_eq!(
        contribution_of(
            &empty,
            None,
            ENCODER,
            &plain(1),
            stamp(3.0, &mut rng),
            &mut rng
        ),
        Err(ShareError::NothingEmbedded)
    );
}
