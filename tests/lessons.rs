//! Lesson files as untrusted input: thousands of mutated files through the importer never
//! panic, always say what is wrong, and never change the lessons already there. And the
//! built-in Greek lesson is exactly what `inkling make-lesson greek` makes from the data.

use inkling::lesson::builtin::{BUILTIN, builtin_lessons};
use inkling::lesson::library::LessonLibrary;
use proptest::prelude::*;

mod mutate;
use mutate::{apply, byte_edit, json_value, replace_node};

fn library() -> LessonLibrary {
    LessonLibrary::new(builtin_lessons().unwrap()).unwrap()
}

/// The hand-written built-in lesson: small, with every task kind but practice.
fn seed() -> &'static [u8] {
    BUILTIN[0].1.as_bytes()
}

fn import_checked(bytes: &[u8]) {
    let mut lessons = library();
    let before = lessons.clone();
    match lessons.import(bytes) {
        Ok(id) => assert!(lessons.get(&id).is_some()),
        Err(e) => {
            assert!(
                !e.to_string().trim().is_empty(),
                "an error says what is wrong"
            );
            assert_eq!(lessons, before, "a refused file changes nothing");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn byte_mutations_never_panic_and_change_nothing(edits in proptest::collection::vec(byte_edit(), 1..6)) {
        let mut bytes = seed().to_vec();
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        import_checked(&bytes);
    }

    #[test]
    fn structural_mutations_never_panic_and_change_nothing(
        edits in proptest::collection::vec((any::<usize>(), json_value()), 1..4)
    ) {
        let mut json: serde_json::Value = serde_json::from_slice(seed()).unwrap();
        for (pick, value) in edits {
            replace_node(&mut json, pick, value);
        }
        import_checked(&serde_json::to_vec(&json).unwrap());
    }
}

#[test]
fn the_greek_lesson_is_what_make_lesson_makes() {
    let out = tempfile::tempdir().unwrap().keep().join("greek.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_inkling"))
        .args(["make-lesson", "greek", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        BUILTIN[1].1,
        "public/lessons/greek-letters.json is reproducible: `cargo run --release -- make-lesson greek`"
    );
}

/// The example in docs/lesson-format.md is a valid lesson (the documentation stays true).
#[test]
fn the_documented_example_is_a_valid_lesson() {
    let doc = std::fs::read_to_string("docs/lesson-format.md").unwrap();
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let lesson = inkling::lesson::import(&doc.as_bytes()[start..end]).unwrap();
    assert_eq!(lesson.tasks.len(), 3);
}
