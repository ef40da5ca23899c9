use super::*;
use crate::learn::preprocess::Point;

fn drawing(seed: f32) -> Vec<Stroke> {
    vec![
        (0..12)
            .map(|i| Point {
                x: i as f32 * 4.0 + seed,
                y: (i as f32 * 0.7 + seed).sin() * 20.0,
                t: i as f32 * 10.0,
            })
            .collect(),
    ]
}

pub fn sample() -> Lesson {
    Lesson {
        format: FORMAT.into(),
        version: VERSION,
        id: LessonId::parse("greek-basics").unwrap(),
        title: "Greek letters <b>bold</b>".into(),
        description: "Write α, β and γ.".into(),
        language: "en".into(),
        concepts: vec![ConceptDef {
            id: "greek-letters".into(),
            name: "Greek letters".into(),
            description: String::new(),
            requires: vec![],
        }],
        teaches: vec!["greek-letters".into()],
        requires: vec![],
        mastery: None,
        tasks: vec![
            Task::Teach {
                title: "Teach the letters".into(),
                instructions: "Draw each letter three times.".into(),
                concepts: vec![],
                classes: vec![
                    LessonClass {
                        name: "alpha".into(),
                        examples: vec![],
                        sentences: Vec::new(),
                    },
                    LessonClass {
                        name: "beta".into(),
                        examples: vec![],
                        sentences: Vec::new(),
                    },
                ],
                target: Target {
                    metric: Metric::MacroF1,
                    value: 0.8,
                },
            },
            Task::Quiz {
                title: "Check".into(),
                concepts: vec!["greek-letters".into()],
                questions: vec![
                    Question::Choice {
                        prompt: "Which is alpha?".into(),
                        options: vec!["α".into(), "β".into()],
                        answer: 0,
                        explanation: String::new(),
                    },
                    Question::Free {
                        prompt: "Name the letter after alpha.".into(),
                        answers: vec!["beta".into()],
                        explanation: "α, β, γ".into(),
                    },
                ],
            },
            Task::Practice {
                title: "Practise".into(),
                instructions: "Write the letter you are asked for.".into(),
                concepts: vec![],
                classes: vec![
                    LessonClass {
                        name: "alpha".into(),
                        examples: vec![drawing(0.0), drawing(1.0)],
                        sentences: Vec::new(),
                    },
                    LessonClass {
                        name: "gamma".into(),
                        examples: vec![drawing(5.0)],
                        sentences: Vec::new(),
                    },
                ],
                rounds: 6,
            },
        ],
    }
}

#[test]
fn a_lesson_round_trips_through_its_file() {
    let lesson = sample();
    lesson.validate().unwrap();
    let bytes = export(&lesson);
    assert_eq!(import(&bytes).unwrap(), lesson);
    assert_eq!(export(&import(&bytes).unwrap()), bytes);
}

#[test]
fn version_1_files_are_migrated() {
    let mut json = serde_json::to_value(sample()).unwrap();
    json["version"] = 1.into();
    let task = json["tasks"][0].as_object_mut().unwrap();
    task.remove("target");
    task.insert("target_accuracy".into(), 0.75.into());
    let lesson = import(&serde_json::to_vec(&json).unwrap()).unwrap();
    assert_eq!(lesson.version, VERSION);
    match &lesson.tasks[0] {
        Task::Teach { target, .. } => assert_eq!(
            *target,
            Target {
                metric: Metric::Accuracy,
                value: 0.75
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn newer_and_foreign_files_are_refused_with_a_reason() {
    let mut json = serde_json::to_value(sample()).unwrap();
    json["version"] = 3.into();
    assert_eq!(
        import(&serde_json::to_vec(&json).unwrap()),
        Err(LessonError::NewerVersion(3))
    );
    assert!(matches!(
        import(br#"{"format": "inkling-project", "version": 1}"#),
        Err(LessonError::NotALesson(m)) if m.contains("inkling-project")
    ));
    assert!(matches!(import(b"[1, 2]"), Err(LessonError::NotALesson(_))));
    assert!(matches!(
        import(b"\xff\xfe"),
        Err(LessonError::NotALesson(_))
    ));
}

fn problem_at(edit: impl FnOnce(&mut serde_json::Value)) -> (String, String) {
    let mut json = serde_json::to_value(sample()).unwrap();
    edit(&mut json);
    match import(&serde_json::to_vec(&json).unwrap()) {
        Err(LessonError::Invalid { path, problem }) => (path, problem),
        other => panic!("expected an invalid lesson, got {other:?}"),
    }
}

#[test]
fn each_problem_names_its_path() {
    type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|j| j["tasks"][2]["classes"][0]["examples"] = serde_json::json!([])),
            "tasks[2].classes[0].examples",
        ),
        (
            Box::new(|j| j["tasks"][2]["classes"][1]["examples"][0][0][3]["y"] = 1e9.into()),
            "tasks[2].classes[1].examples[0][0][3].y",
        ),
        (
            Box::new(|j| j["tasks"][1]["questions"][0]["answer"] = 2.into()),
            "tasks[1].questions[0].answer",
        ),
        (
            Box::new(|j| j["tasks"][1]["concepts"][0] = "other".into()),
            "tasks[1].concepts[0]",
        ),
        (
            Box::new(|j| j["tasks"][0]["classes"][1]["name"] = "ALPHA".into()),
            "tasks[0].classes[1].name",
        ),
        (
            Box::new(|j| j["tasks"][0]["target"]["value"] = 1.5.into()),
            "tasks[0].target.value",
        ),
        (
            Box::new(|j| {
                let concept = j["concepts"][0].clone();
                j["concepts"] = serde_json::Value::Array(
                    (0..101)
                        .map(|i| {
                            let mut c = concept.clone();
                            c["id"] = format!("c{i}").into();
                            c
                        })
                        .collect(),
                );
            }),
            "concepts",
        ),
        (
            Box::new(|j| {
                j["concepts"][0]["requires"] =
                    serde_json::Value::Array((0..21).map(|i| format!("r{i}").into()).collect())
            }),
            "concepts[0].requires",
        ),
        (
            Box::new(|j| {
                j["requires"] =
                    serde_json::Value::Array((0..51).map(|i| format!("r{i}").into()).collect())
            }),
            "requires",
        ),
        (Box::new(|j| j["id"] = "Greek Basics".into()), "id"),
        (Box::new(|j| j["title"] = "a\u{0007}b".into()), "title"),
        (Box::new(|j| j["language"] = "<en>".into()), "language"),
        (Box::new(|j| j["tasks"] = serde_json::json!([])), "tasks"),
        (
            Box::new(|j| {
                j["mastery"] =
                    serde_json::json!({"prior": 0.1, "learn": 0.2, "slip": 0.6, "guess": 0.2})
            }),
            "mastery.slip",
        ),
    ];
    for (edit, path) in cases {
        let (got, problem) = problem_at(edit);
        assert_eq!(got, path, "{problem}");
        assert!(!problem.is_empty());
    }
}

#[test]
fn questions_check_answers() {
    let lesson = sample();
    let Task::Quiz { questions, .. } = &lesson.tasks[1] else {
        panic!()
    };
    assert!(questions[0].is_correct("0"));
    assert!(!questions[0].is_correct("1"));
    assert!(questions[1].is_correct("  Beta "));
    assert!(!questions[1].is_correct("gamma"));
    assert_eq!(lesson.task_concepts(0), ["greek-letters"]);
}

#[test]
fn text_practice_needs_sentences_in_every_class_and_no_drawings() {
    let mut json = serde_json::to_value(sample()).unwrap();
    json["tasks"][2]["classes"] = serde_json::json!([
        {"name": "weather", "sentences": ["It is raining."]},
        {"name": "food", "sentences": ["I like rice.", "Soup is hot."]}
    ]);
    let lesson = import(&serde_json::to_vec(&json).unwrap()).unwrap();
    match &lesson.tasks[2] {
        Task::Practice { classes, .. } => assert!(super::classes_are_text(classes)),
        other => panic!("{other:?}"),
    }
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut j = json.clone();
        edit(&mut j);
        match import(&serde_json::to_vec(&j).unwrap()) {
            Err(LessonError::Invalid { path, .. }) => path,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        refused(&|j| j["tasks"][2]["classes"][1]["sentences"] = serde_json::json!([])),
        "tasks[2].classes[1].sentences"
    );
    assert_eq!(
        refused(&|j| j["tasks"][2]["classes"][0]["sentences"][0] = "  ".into()),
        "tasks[2].classes[0].sentences[0]"
    );
    assert_eq!(
        refused(&|j| j["tasks"][2]["classes"][1]["examples"] =
            serde_json::to_value(vec![drawing(1.0)]).unwrap()),
        "tasks[2].classes[1].examples"
    );
}
