//! Project and profile files as untrusted input: thousands of mutated files (bytes changed, or
//! JSON values replaced) through the importers never panic, a refused file always says what is
//! wrong, and an accepted one is valid: it exports and imports back to the same value. A file
//! too large is refused by its size alone, and ids a browser cannot store exactly are refused
//! with their path.

use std::sync::LazyLock;

use inkling::knowledge::item::ItemId;
use inkling::knowledge::learner::Learner;
use inkling::knowledge::review::Scheduler;
use inkling::learn::preprocess::{Point, Stroke};
use inkling::lesson::LessonId;
use inkling::lesson::builtin::builtin_lessons;
use inkling::profile::{self, ProfileFile};
use inkling::project::file::{self, FileError};
use inkling::project::{MAX_NEXT_ID, Project};
use proptest::prelude::*;
use serde_json::Value;

mod mutate;
use mutate::{apply, byte_edit, edited, json_edit};

/// A small drawing: `strokes` strokes of 4 points, with values that print with many digits.
fn drawing(seed: f32, strokes: usize) -> Vec<Stroke> {
    (0..strokes)
        .map(|s| {
            (0..4)
                .map(|i| Point {
                    x: (i as f32 * 1.37 + seed).sin() * 100.0 / 3.0,
                    y: s as f32 * 7.1 + seed / 7.0,
                    t: i as f32 * 16.667,
                })
                .collect()
        })
        .collect()
}

/// A drawing project with three classes, two drawings each (one deleted, so ids have a gap).
fn drawing_project() -> Project {
    let mut p = Project::new("Greek \"letters\" <b>", &["alpha", "βήτα", "gamma"]).unwrap();
    let ids: Vec<u64> = p.classes.iter().map(|c| c.id).collect();
    for (k, &id) in ids.iter().enumerate() {
        for j in 0..2 {
            p.add_example(id, drawing(k as f32 * 10.0 + j as f32, 1 + j))
                .unwrap();
        }
    }
    p.delete_example(p.classes[0].examples[0].id).unwrap();
    p
}

fn text_project() -> Project {
    let mut p = Project::new_text("Moods", &["happy", "sad"]).unwrap();
    let (happy, sad) = (p.classes[0].id, p.classes[1].id);
    p.add_text_example(happy, "What a <b>lovely</b> day!")
        .unwrap();
    p.add_text_example(sad, "今天下雨了。").unwrap();
    p
}

/// A profile with both kinds of project, mastery, review cards, outcomes, handwriting and a
/// corrected sentence.
fn profile() -> ProfileFile {
    let lessons = builtin_lessons().unwrap();
    let greek = LessonId::parse("greek-letters").unwrap();
    let mut learner = Learner::default();
    let mut outcomes = Vec::new();
    for (n, (item, correct)) in [("alpha α", true), ("beta β", false), ("alpha α", true)]
        .into_iter()
        .enumerate()
    {
        outcomes.push(learner.record(
            &lessons[1],
            0,
            &ItemId::practice(&greek, item),
            correct,
            1.7e12 + n as f64 * 60_000.0,
            &Scheduler::default(),
        ));
    }
    learner.add_handwriting(&ItemId::practice(&greek, "alpha α"), drawing(3.0, 2));
    learner.add_sentence(&ItemId::practice(&greek, "beta β"), "a beta".into());
    ProfileFile::new(
        "Ming",
        "zh-CN",
        vec![drawing_project(), text_project()],
        learner,
        outcomes,
    )
}

static PROJECT_SEED: LazyLock<Vec<u8>> = LazyLock::new(|| file::export(&drawing_project()));
static PROFILE_SEED: LazyLock<Vec<u8>> = LazyLock::new(|| profile().export());

fn says_what_is_wrong(e: &FileError) {
    assert!(
        !e.to_string().trim().is_empty(),
        "an error says what is wrong"
    );
    if let FileError::Invalid { path, problem } = e {
        assert!(!path.is_empty() && !problem.trim().is_empty(), "{e:?}");
    }
}

fn project_checked(bytes: &[u8]) {
    match file::import(bytes) {
        Ok(project) => {
            let again = file::export(&project);
            let back = file::import(&again).expect("what is accepted exports to a valid file");
            assert_eq!(back, project, "an accepted file round-trips");
            assert_eq!(file::export(&back), again);
        }
        Err(e) => says_what_is_wrong(&e),
    }
}

fn profile_checked(bytes: &[u8]) {
    match ProfileFile::import(bytes) {
        Ok(profile) => {
            let again = profile.export();
            let back =
                ProfileFile::import(&again).expect("what is accepted exports to a valid file");
            assert_eq!(back, profile, "an accepted file round-trips");
            assert_eq!(back.export(), again);
        }
        Err(e) => says_what_is_wrong(&e),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn project_byte_mutations_never_panic_and_what_is_accepted_is_valid(
        edits in proptest::collection::vec(byte_edit(), 1..6)
    ) {
        let mut bytes = PROJECT_SEED.clone();
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        project_checked(&bytes);
    }

    #[test]
    fn project_structural_mutations_never_panic_and_what_is_accepted_is_valid(
        edits in proptest::collection::vec(json_edit(), 1..4)
    ) {
        project_checked(&edited(&PROJECT_SEED, &edits));
    }

    #[test]
    fn profile_byte_mutations_never_panic_and_what_is_accepted_is_valid(
        edits in proptest::collection::vec(byte_edit(), 1..6)
    ) {
        let mut bytes = PROFILE_SEED.clone();
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        profile_checked(&bytes);
    }

    #[test]
    fn profile_structural_mutations_never_panic_and_what_is_accepted_is_valid(
        edits in proptest::collection::vec(json_edit(), 1..4)
    ) {
        profile_checked(&edited(&PROFILE_SEED, &edits));
    }
}

#[test]
fn the_seeds_are_valid_and_round_trip() {
    assert_eq!(file::import(&PROJECT_SEED).unwrap(), drawing_project());
    assert_eq!(ProfileFile::import(&PROFILE_SEED).unwrap(), profile());
    assert_eq!(
        file::export(&file::import(&PROJECT_SEED).unwrap()),
        *PROJECT_SEED
    );
    assert_eq!(
        ProfileFile::import(&PROFILE_SEED).unwrap().export(),
        *PROFILE_SEED
    );
}

/// A valid file padded with spaces past the limit is refused by its size, before it is parsed;
/// padded to exactly the limit it is read.
#[test]
fn a_file_past_the_size_limit_is_refused_before_parsing() {
    fn padded(seed: &[u8], len: usize) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(len);
        bytes.extend_from_slice(seed);
        bytes.resize(len, b' ');
        bytes
    }
    let mut bytes = padded(&PROJECT_SEED, file::MAX_FILE_BYTES + 1);
    assert_eq!(
        file::import(&bytes),
        Err(FileError::TooLarge(file::MAX_FILE_BYTES + 1))
    );
    bytes.truncate(file::MAX_FILE_BYTES);
    assert!(file::import(&bytes).is_ok());

    let mut bytes = padded(&PROFILE_SEED, profile::MAX_FILE_BYTES + 1);
    assert_eq!(
        ProfileFile::import(&bytes),
        Err(FileError::TooLarge(profile::MAX_FILE_BYTES + 1))
    );
    bytes.truncate(profile::MAX_FILE_BYTES);
    assert!(ProfileFile::import(&bytes).is_ok());
}

/// `next_id` (and so every id) must be a number a browser stores exactly: at most 2^53 - 1.
#[test]
fn ids_past_what_a_browser_stores_exactly_are_refused_with_their_path() {
    let invalid_path = |e: FileError| match e {
        FileError::Invalid { path, .. } => path,
        other => panic!("{other:?}"),
    };
    let mut json: Value = serde_json::from_slice(&PROJECT_SEED).unwrap();
    for next_id in [MAX_NEXT_ID + 1, 1 << 53, (1 << 53) + 1, u64::MAX] {
        json["project"]["next_id"] = next_id.into();
        let e = file::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
        assert_eq!(invalid_path(e), "project.next_id");
    }
    json["project"]["next_id"] = MAX_NEXT_ID.into();
    let at_the_bound = file::import(&serde_json::to_vec(&json).unwrap()).unwrap();
    assert_eq!(at_the_bound.next_id(), MAX_NEXT_ID);
    json["project"]["classes"][2]["id"] = MAX_NEXT_ID.into();
    let e = file::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
    assert_eq!(invalid_path(e), "project.classes[2].id");

    let mut json: Value = serde_json::from_slice(&PROFILE_SEED).unwrap();
    json["projects"][1]["next_id"] = (1u64 << 53).into();
    let e = ProfileFile::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
    assert_eq!(invalid_path(e), "projects[1].next_id");
}
