//! Lessons a teacher makes and lessons that arrive as files, and a text project without a
//! network, end to end: the editor's teach tasks, questions and text task, removed tasks,
//! preview and save (after a reload too); a lesson file dropped on the Learn page (a bad one
//! refused, naming the file); sentences taught, then answered and added with the server gone.
//!
//! They read the page through its hooks: the editor is `[data-testid=editor]` (`data-lesson`:
//! the lesson's id), each of its tasks `editor-task` (title field `editor-task-title`,
//! `editor-remove-task`, glyph buttons `editor-glyph` with `data-glyph` and the text
//! "name (references)", quiz questions `editor-question`, a teach task's `editor-target-metric`
//! and `editor-target-value`), the first problem of the lesson `editor-problem`; the Learn page's
//! lessons are `[data-testid=lesson][data-lesson=<id>]` with `edit-lesson`, its drop zone
//! `lesson-dropzone`; the lesson view `lesson-view` (`data-lesson`) with one `task-tab` per task.
//! The question fields are `editor-question-{prompt,options,right,explanation}`, added with
//! `editor-add-choice` / `editor-add-free`; a glyph's remove button `editor-remove-glyph`. What is stored is
//! read from the app's IndexedDB database in the page (to wait until a save has landed before a
//! reload). Nothing sleeps to synchronise: every wait polls the page.
//!
//! Each test starts its own browser on a fresh profile against `dist/` (built by
//! `cargo xtask test` before this runs), with `chromedriver` and `chromium`, on the CPU backend.

use std::time::Instant;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use inkling::i18n::Language;
use inkling::lesson::{Lesson, Metric, Question, Task};
use inkling::store::records::{DB_NAME, EXAMPLES, LESSONS};
use inkling_e2e::{
    Driver, ONE_AT_A_TIME, STARTER, Server, ShownClass, artefacts, attr_of, banking_sentences,
    browser, browser_with_downloads, class_named, classify_sentence, click, click_css, click_nth,
    dist, draw, drawings, each_of, field_value, fresh_dir, holds, lesson_entry, new_download,
    open_lesson_from_home, open_project, problems, reload, rename_class, select_class, serve,
    settled, text_model_from_cache, text_of, texts_of, type_into, until, until_attr,
    until_lesson_view, wait_for_home, wait_for_projects, wait_until_ready,
};

/// The app on the CPU backend, served on `port`.
fn app_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/?backend=cpu")
}

/// The English message `id` (the UI's language on a fresh headless profile).
fn en(id: &str) -> String {
    Language::English.text(id)
}

/// What the editor says of a lesson with no problem.
fn ready() -> String {
    en("editor-ready")
}

// ---------------------------------------------------------------------------------------------
// The editor as the page shows it.

/// A task of the lesson in the editor.
#[derive(Clone, Debug, PartialEq)]
struct EditorTask {
    /// Its title field.
    title: String,
    /// "practice", "teach" or "quiz" (from the hint that says what the task is).
    kind: &'static str,
    /// Its glyph buttons' texts: "name (references)".
    glyphs: Vec<String>,
    /// Its questions' summaries: "prompt [options] (right option)" or "prompt [answers]".
    questions: Vec<String>,
    /// A teach task's target: the metric chosen and the value field.
    target: Option<(String, String)>,
}

/// The editor's tasks, read in one script (the list is drawn again when a task, glyph or
/// question is added or removed).
async fn editor_tasks(c: &Client) -> Vec<EditorTask> {
    let found = c
        .execute(
            r#"return [...document.querySelectorAll('[data-testid=editor-task]')].map(task => {
                const metric = task.querySelector('[data-testid=editor-target-metric]');
                const value = task.querySelector('[data-testid=editor-target-value]');
                return {
                    title: task.querySelector('[data-testid=editor-task-title]')?.value ?? '',
                    hint: task.querySelector('p.hint')?.textContent ?? '',
                    glyphs: [...task.querySelectorAll('[data-testid=editor-glyph]')]
                        .map(g => g.textContent.trim()),
                    questions: [...task.querySelectorAll('[data-testid=editor-question]')]
                        .map(q => [...q.childNodes]
                            .filter(n => n.nodeType === Node.TEXT_NODE)
                            .map(n => n.textContent)
                            .join('')
                            .trim()),
                    target: metric && value ? [metric.value, value.value] : null,
                };
            })"#,
            vec![],
        )
        .await
        .unwrap();
    let kinds = [
        ("practice", en("editor-kind-practice")),
        ("teach", en("editor-kind-teach")),
        ("quiz", en("editor-kind-quiz")),
    ];
    let strings = |v: &serde_json::Value| -> Vec<String> {
        serde_json::from_value(v.clone()).unwrap_or_default()
    };
    found
        .as_array()
        .expect("a list of editor tasks")
        .iter()
        .map(|task| {
            let hint = task["hint"].as_str().unwrap_or_default().trim();
            let kind = kinds
                .iter()
                .find(|(_, text)| text == hint)
                .map(|(kind, _)| *kind)
                .unwrap_or_else(|| panic!("a task of a known kind: {task}"));
            EditorTask {
                title: task["title"].as_str().unwrap_or_default().to_string(),
                kind,
                glyphs: strings(&task["glyphs"]),
                questions: strings(&task["questions"]),
                target: serde_json::from_value(task["target"].clone()).unwrap_or(None),
            }
        })
        .collect()
}

/// Wait until the editor's tasks pass `check`; they are returned.
async fn until_tasks(
    c: &Client,
    what: &str,
    check: impl Fn(&[EditorTask]) -> bool,
) -> Vec<EditorTask> {
    until(&format!("the editor's tasks: {what}"), || async {
        Some(editor_tasks(c).await).filter(|t| check(t))
    })
    .await
}

/// The glyph texts of the editor's `task`-th task (none when it is not there).
fn glyphs_of(tasks: &[EditorTask], task: usize) -> &[String] {
    tasks.get(task).map_or(&[], |t| &t.glyphs)
}

/// The glyph texts `names` with `references` each: `["eta (2)", ...]`.
fn glyphs(names: &[&str], references: usize) -> Vec<String> {
    names
        .iter()
        .map(|n| format!("{n} ({references})"))
        .collect()
}

/// Wait until the editor's first problem is `want` (the lesson's problem path and what is
/// wrong, or that it is ready).
async fn until_problem(c: &Client, want: &str) {
    until(&format!("the editor to say \"{want}\""), || async {
        text_of(c, "[data-testid=editor-problem]")
            .await
            .filter(|problem| problem == want)
    })
    .await;
}

/// The element `css` selects inside the editor's `task`-th task (which must be there).
async fn in_task(c: &Client, task: usize, css: &str) -> Element {
    let tasks = c
        .find_all(Locator::Css("[data-testid=editor-task]"))
        .await
        .unwrap();
    let Some(found) = tasks.get(task) else {
        panic!("no editor task {task} (of {})", tasks.len());
    };
    found
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} in editor task {task}: {e}"))
}

/// Replace what the field holds with `text`, as a teacher does (select all, type).
async fn retype(field: &Element, text: &str) {
    field.clear().await.unwrap();
    if !text.is_empty() {
        field.send_keys(text).await.unwrap();
    }
}

/// Give the editor's `task`-th task the title `title`, and wait until it has it.
async fn retitle(c: &Client, task: usize, title: &str) {
    retype(
        &in_task(c, task, "[data-testid=editor-task-title]").await,
        title,
    )
    .await;
    until_tasks(c, &format!("task {task} titled \"{title}\""), |t| {
        t.get(task).is_some_and(|t| t.title == title)
    })
    .await;
}

/// The editor's question field `editor-question-<field>`.
async fn question_field(c: &Client, field: &str) -> Element {
    c.find(Locator::Css(&format!(
        "[data-testid=editor-question-{field}]"
    )))
    .await
    .unwrap_or_else(|e| panic!("the editor's question field \"{field}\": {e}"))
}

/// A question as the teacher adds it: the prompt, the options (or accepted answers) separated
/// by `|`, for a choice the right option counted from 1, and why.
struct NewQuestion<'a> {
    prompt: &'a str,
    options: &'a str,
    right: Option<&'a str>,
    explanation: &'a str,
}

/// Fill in the editor's question fields and press "Add choice question" (when `right` is
/// given) or "Add free-answer question".
async fn add_question(c: &Client, q: &NewQuestion<'_>) {
    retype(&question_field(c, "prompt").await, q.prompt).await;
    retype(&question_field(c, "options").await, q.options).await;
    if let Some(right) = q.right {
        retype(&question_field(c, "right").await, right).await;
    }
    retype(&question_field(c, "explanation").await, q.explanation).await;
    click(
        c,
        if q.right.is_some() {
            "editor-add-choice"
        } else {
            "editor-add-free"
        },
    )
    .await;
}

/// Whether the editor's button `testid` can be pressed.
async fn enabled(c: &Client, testid: &str) -> bool {
    c.find(Locator::Css(&format!("[data-testid={testid}]")))
        .await
        .unwrap()
        .is_enabled()
        .await
        .unwrap()
}

/// Wait until the editor shows the lesson `id`.
async fn until_editor(c: &Client, id: &str) {
    until_attr(
        c,
        &format!("the editor on the lesson \"{id}\""),
        "[data-testid=editor]",
        "data-lesson",
        id,
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// The Learn page and the lesson view.

/// The ids of the lessons on the Learn page, in order, read in one script.
async fn lesson_ids(c: &Client) -> Vec<String> {
    each_of(c, "[data-testid=lesson]", "e.dataset.lesson").await
}

/// Click the lesson view's `index`-th task tab.
async fn open_tab(c: &Client, index: usize) {
    click_nth(c, "[data-testid=task-tab]", index).await;
}

/// Wait until the quiz shows the question `prompt` (the `n`-th of `total`).
async fn until_quiz_prompt(c: &Client, n: usize, total: usize, prompt: &str) {
    let want = format!("{n}/{total}. {prompt}");
    until(&format!("the quiz question \"{want}\""), || async {
        text_of(c, "[data-testid=quiz] .prompt")
            .await
            .filter(|p| *p == want)
    })
    .await;
}

/// Press the quiz's "Check" and return its verdict (`data-correct == "true"`).
async fn check_quiz(c: &Client) -> bool {
    click(c, "quiz-check").await;
    until("the quiz verdict", || async {
        attr_of(c, "[data-testid=quiz-verdict]", "data-correct").await
    })
    .await
        == "true"
}

/// Wait until the status line holds `want`; its text.
async fn until_status(c: &Client, want: &str) -> String {
    until(&format!("the status line to say \"{want}\""), || async {
        text_of(c, "[data-testid=status]")
            .await
            .filter(|s| s.contains(want))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// What the app stored.

/// Read the object store `store` of the app's IndexedDB database from the page (opened as it
/// is, never created or upgraded): `then` is a JS expression of `result` (the record `key`, or
/// every record when `key` is None) whose value is returned; None when the database or store is
/// not there (yet).
async fn from_store(
    c: &Client,
    store: &str,
    key: Option<&str>,
    then: &str,
) -> Option<serde_json::Value> {
    let script = r#"const [name, store, key] = arguments;
        return new Promise(resolve => {
            const open = indexedDB.open(name);
            open.onupgradeneeded = () => open.transaction.abort();
            open.onerror = () => resolve(null);
            open.onblocked = () => resolve(null);
            open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains(store)) {
                    db.close();
                    resolve(null);
                    return;
                }
                const records = db.transaction(store, 'readonly').objectStore(store);
                const request = key === null ? records.getAll() : records.get(key);
                request.onsuccess = () => {
                    const result = request.result;
                    db.close();
                    resolve(THEN);
                };
                request.onerror = () => {
                    db.close();
                    resolve(null);
                };
            };
        });"#
        .replace("THEN", then);
    c.execute(
        &script,
        vec![
            serde_json::json!(DB_NAME),
            serde_json::json!(store),
            serde_json::json!(key),
        ],
    )
    .await
    .ok()
    .filter(|v| !v.is_null())
}

/// The lesson `id` as the store keeps it (its file, read as an import reads it), if it is
/// stored.
async fn stored_lesson(c: &Client, id: &str) -> Option<Lesson> {
    let file = from_store(c, LESSONS, Some(id), "result ? result.file : null").await?;
    let file = file.as_str()?;
    Some(
        inkling::lesson::import(file.as_bytes())
            .unwrap_or_else(|e| panic!("the stored lesson \"{id}\" is a valid lesson: {e}")),
    )
}

/// How many sentence examples the store holds with their embedding.
async fn stored_embedded_sentences(c: &Client) -> usize {
    from_store(
        c,
        EXAMPLES,
        None,
        "result.filter(r => typeof r.text === 'string' && (r.embedding?.length ?? 0) > 0).length",
    )
    .await
    .and_then(|n| n.as_u64())
    .unwrap_or_default() as usize
}

// ---------------------------------------------------------------------------------------------
// 1. A teacher makes a lesson of every kind of task.

/// The lesson the teacher makes, and its id (from the title).
const TITLE: &str = "Eta, theta and words";
const LESSON_ID: &str = "eta-theta-and-words";
const DESCRIPTION: &str = "Two Greek letters, two questions and two things a bank hears.";
/// Its practice glyphs: (Omniglot character, glyph name).
const GLYPHS: [(&str, &str); 2] = [("Greek/character07", "eta"), ("Greek/character08", "theta")];
const GLYPH_NAMES: [&str; 2] = ["eta", "theta"];
/// Reference drawings per glyph (drawers 1 and 2).
const REFERENCES: usize = 2;
const PRACTICE_TITLE: &str = "Write eta and theta";
const TEACH_TITLE: &str = "Teach your own eta and theta";
const QUIZ_TITLE: &str = "What do you know?";
const TEXT_TITLE: &str = "Tell the bank what you need";
/// The text task's classes and one reference sentence each.
const TEXT_CLASSES: [&str; 2] = ["card arrival", "exchange rate"];
const SENTENCES: [&str; 2] = [
    "My new card has still not arrived.",
    "What is the exchange rate for euros today?",
];
const CHOICE: NewQuestion<'static> = NewQuestion {
    prompt: "How many reference drawings does a practice glyph need at least?",
    options: "none | one | ten",
    right: Some("2"),
    explanation: "A drawing is judged against the references.",
};
const FREE: NewQuestion<'static> = NewQuestion {
    prompt: "Which letter comes after eta?",
    options: "theta | the letter theta",
    right: None,
    explanation: "",
};

/// A teacher makes a new lesson in the editor: a practice task with two glyphs whose
/// references are drawn with real pen trajectories; a teach task on the same glyphs, retitled,
/// with its own target (macro F1 of at least 0.9; a value out of range is named as it is
/// typed); a quiz with a choice and a free-answer question; a second teach task made a text
/// task (its copied glyphs removed, two classes with a reference sentence each); and a practice
/// task added by mistake, which the editor names as the problem (saving, preview and export are
/// off) until it is removed. The preview shows exactly the four tasks left, in order, each with
/// what the teacher put in (the target, both questions answered right, the sentences); the
/// lesson is listed once on the Learn page, reopens in the editor with the same tasks, an edit
/// is saved (and stored), and after a reload the editor shows the same lesson again.
///
/// Catches: a removed task that stays (or takes another with it), a task's settings lost when
/// the list is drawn again, a preview that differs from what was edited, a saved lesson that
/// does not come back after a reload.
#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_adds_teach_tasks_questions_and_text_then_previews() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let port = serve(dist());
    let driver = Driver::start();
    let artefacts = artefacts!();
    let profile = fresh_dir(&artefacts, "profile-made-teacher");
    let c = browser(&driver, false, &profile).await;
    c.goto(&app_url(port)).await.unwrap();
    wait_for_home(&c).await;
    let built_in = lesson_ids(&c).await;
    assert!(!built_in.contains(&LESSON_ID.to_string()), "{built_in:?}");

    // A new lesson says what it lacks, first its title, then glyphs.
    click(&c, "new-lesson").await;
    until_problem(&c, "title: is empty").await;
    type_into(&c, "editor-title", TITLE).await;
    until_editor(&c, LESSON_ID).await;
    until_problem(
        &c,
        "tasks[0].classes: has 0 classes; from 2 to 20 are allowed",
    )
    .await;

    // The practice task: two glyphs, two references each, drawn.
    let started = Instant::now();
    for (g, (character, name)) in GLYPHS.iter().enumerate() {
        type_into(&c, "editor-glyph-name", name).await;
        click(&c, "editor-add-glyph").await;
        until_tasks(&c, &format!("the glyph {name}"), |t| {
            glyphs_of(t, 0).get(g) == Some(&format!("{name} (0)"))
        })
        .await;
        if g == 1 {
            until_problem(
                &c,
                "tasks[0].classes[1].examples: has 0 reference drawings; from 1 to 50 are allowed",
            )
            .await;
        }
        for (n, drawing) in drawings(character).iter().take(REFERENCES).enumerate() {
            draw(&c, "editor-canvas", drawing).await;
            click(&c, "editor-add-reference").await;
            let want = format!("{name} ({})", n + 1);
            until_tasks(&c, &format!("reference {} of {name}", n + 1), |t| {
                glyphs_of(t, 0).get(g) == Some(&want)
            })
            .await;
        }
    }
    until_problem(&c, &ready()).await;
    println!(
        "editor: two glyphs with {REFERENCES} drawn references each in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    retitle(&c, 0, PRACTICE_TITLE).await;

    // A teach task: the practice glyphs to draw, its own title and target.
    click(&c, "editor-add-teach").await;
    until_tasks(&c, "a teach task on the practice glyphs", |t| {
        t.len() == 2 && t[1].kind == "teach" && t[1].glyphs == glyphs(&GLYPH_NAMES, 0)
    })
    .await;
    retitle(&c, 1, TEACH_TITLE).await;
    in_task(&c, 1, "[data-testid=editor-target-metric]")
        .await
        .select_by_value("macro_f1")
        .await
        .unwrap();
    let value = in_task(&c, 1, "[data-testid=editor-target-value]").await;
    retype(&value, "2").await;
    until_problem(&c, "tasks[1].target.value: 2 is not in (0, 1]").await;
    retype(&value, "0.9").await;
    until_problem(&c, &ready()).await;

    // A practice task added by mistake: named as the problem; nothing can be saved.
    click(&c, "editor-add-practice").await;
    until_tasks(&c, "an empty practice task", |t| {
        t.len() == 3 && t[2].kind == "practice" && t[2].glyphs.is_empty()
    })
    .await;
    let empty_task = "tasks[2].classes: has 0 classes; from 2 to 20 are allowed";
    until_problem(&c, empty_task).await;
    for button in ["editor-save", "editor-preview", "editor-export"] {
        assert!(
            !enabled(&c, button).await,
            "{button} is off while the lesson has a problem"
        );
    }
    // The task just added is the current one: a glyph goes to it, not to the first task
    // (so a second practice task can be filled); removed again, the task is empty.
    type_into(&c, "editor-glyph-name", "stray").await;
    click(&c, "editor-add-glyph").await;
    until_tasks(&c, "the glyph in the task just added", |t| {
        t.len() == 3 && t[2].glyphs == ["stray (0)"] && t[0].glyphs.len() == GLYPH_NAMES.len()
    })
    .await;
    in_task(&c, 2, "[data-testid=editor-remove-glyph]")
        .await
        .click()
        .await
        .unwrap();
    until_tasks(&c, "the stray glyph removed", |t| {
        t.len() == 3 && t[2].glyphs.is_empty()
    })
    .await;
    until_problem(&c, empty_task).await;

    // A quiz: a choice question, then a free-answer one.
    let choice_summary = format!("{} [none | one | ten] (2)", CHOICE.prompt);
    let free_summary = format!("{} [theta | the letter theta]", FREE.prompt);
    add_question(&c, &CHOICE).await;
    until_tasks(&c, "a quiz with the choice question", |t| {
        t.len() == 4 && t[3].kind == "quiz" && t[3].questions == [choice_summary.clone()]
    })
    .await;
    add_question(&c, &FREE).await;
    until_tasks(&c, "the free-answer question in the same quiz", |t| {
        t.len() == 4 && t[3].questions == [choice_summary.clone(), free_summary.clone()]
    })
    .await;
    retitle(&c, 3, QUIZ_TITLE).await;

    // A text task: a second teach task, whose copied glyphs give way to two classes of
    // sentences.
    click(&c, "editor-add-teach").await;
    until_tasks(&c, "a second teach task", |t| {
        t.len() == 5 && t[4].kind == "teach" && t[4].glyphs == glyphs(&GLYPH_NAMES, 0)
    })
    .await;
    // New glyphs go to the task of the glyph chosen.
    in_task(&c, 4, "[data-testid=editor-glyph][data-glyph=eta]")
        .await
        .click()
        .await
        .unwrap();
    for (k, name) in TEXT_CLASSES.iter().enumerate() {
        type_into(&c, "editor-glyph-name", name).await;
        click(&c, "editor-add-glyph").await;
        until_tasks(&c, &format!("the class \"{name}\" in task 4"), |t| {
            glyphs_of(t, 4).get(2 + k) == Some(&format!("{name} (0)"))
        })
        .await;
    }
    for (k, name) in GLYPH_NAMES.iter().enumerate() {
        in_task(
            &c,
            4,
            &format!(
                "[data-testid=editor-glyph][data-glyph={name}] + [data-testid=editor-remove-glyph]"
            ),
        )
        .await
        .click()
        .await
        .unwrap();
        until_tasks(&c, &format!("{name} removed from task 4"), |t| {
            let left = glyphs_of(t, 4);
            left.len() == 3 - k && !left.iter().any(|g| g.starts_with(name))
        })
        .await;
    }
    for (name, sentence) in TEXT_CLASSES.iter().zip(SENTENCES) {
        in_task(
            &c,
            4,
            &format!("[data-testid=editor-glyph][data-glyph='{name}']"),
        )
        .await
        .click()
        .await
        .unwrap();
        type_into(&c, "editor-sentence", sentence).await;
        click(&c, "editor-add-sentence").await;
        until_tasks(&c, &format!("the sentence of \"{name}\""), |t| {
            glyphs_of(t, 4).contains(&format!("{name} (1)"))
        })
        .await;
    }
    retitle(&c, 4, TEXT_TITLE).await;
    // Still the empty task is what is wrong.
    until_problem(&c, empty_task).await;

    // The task added by mistake goes, and only it.
    in_task(&c, 2, "[data-testid=editor-remove-task]")
        .await
        .click()
        .await
        .unwrap();
    let tasks = until_tasks(&c, "four tasks once the empty one is removed", |t| {
        t.len() == 4
    })
    .await;
    until_problem(&c, &ready()).await;
    let expected = vec![
        EditorTask {
            title: PRACTICE_TITLE.into(),
            kind: "practice",
            glyphs: glyphs(&GLYPH_NAMES, REFERENCES),
            questions: vec![],
            target: None,
        },
        EditorTask {
            title: TEACH_TITLE.into(),
            kind: "teach",
            glyphs: glyphs(&GLYPH_NAMES, 0),
            questions: vec![],
            target: Some(("macro_f1".into(), "0.9".into())),
        },
        EditorTask {
            title: QUIZ_TITLE.into(),
            kind: "quiz",
            glyphs: vec![],
            questions: vec![choice_summary.clone(), free_summary.clone()],
            target: None,
        },
        EditorTask {
            title: TEXT_TITLE.into(),
            kind: "teach",
            glyphs: glyphs(&TEXT_CLASSES, 1),
            questions: vec![],
            target: Some(("accuracy".into(), "0.8".into())),
        },
    ];
    assert_eq!(tasks, expected, "the tasks left, as edited");
    std::fs::write(
        artefacts.join("editor-every-task.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();

    // The preview: exactly the tasks left, as the student sees them.
    assert!(enabled(&c, "editor-preview").await);
    click(&c, "editor-preview").await;
    until_lesson_view(&c, LESSON_ID).await;
    let titles = [PRACTICE_TITLE, TEACH_TITLE, QUIZ_TITLE, TEXT_TITLE];
    let want_tabs: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}. {t}", i + 1))
        .collect();
    assert_eq!(
        texts_of(&c, "[data-testid=task-tab]").await,
        want_tabs,
        "one tab per task left"
    );
    let asked = until("the practice prompt", || async {
        attr_of(&c, "[data-testid=practice-prompt]", "data-glyph").await
    })
    .await;
    assert!(GLYPH_NAMES.contains(&asked.as_str()), "asked for {asked}");

    open_tab(&c, 1).await;
    let target = Language::English.text_with(
        "teach-target",
        &[
            ("metric", en("metric-macro-f1").into()),
            ("percent", "90".into()),
        ],
    );
    until("the teach task's target", || async {
        text_of(&c, "[data-testid=teach-task]")
            .await
            .filter(|t| t.contains(&target))
    })
    .await;

    open_tab(&c, 2).await;
    until_quiz_prompt(&c, 1, 2, CHOICE.prompt).await;
    assert_eq!(
        texts_of(&c, "[data-testid=quiz] label.option").await,
        ["none", "one", "ten"]
    );
    click_css(&c, "[data-testid=quiz-option][data-index='1']").await;
    assert!(check_quiz(&c).await, "the second option is the right one");
    click(&c, "quiz-next").await;
    until_quiz_prompt(&c, 2, 2, FREE.prompt).await;
    type_into(&c, "quiz-answer", "The letter Theta").await;
    assert!(check_quiz(&c).await, "an accepted answer, in other case");

    open_tab(&c, 3).await;
    let hints: Vec<String> = TEXT_CLASSES
        .iter()
        .zip(SENTENCES)
        .map(|(name, s)| format!("{name}: {s}"))
        .collect();
    until("the text task's sentences", || async {
        Some(texts_of(&c, "[data-testid=teach-task] ul.hint li").await).filter(|h| *h == hints)
    })
    .await;

    // Listed once on the Learn page; it reopens in the editor as it was; an edit is saved.
    click(&c, "nav-home").await;
    wait_for_home(&c).await;
    assert_eq!(
        texts_of(&c, &format!("{} b", lesson_entry(LESSON_ID))).await,
        [TITLE],
        "the lesson is listed once, by its title"
    );
    let edit = format!("{} [data-testid=edit-lesson]", lesson_entry(LESSON_ID));
    click_css(&c, &edit).await;
    until_editor(&c, LESSON_ID).await;
    assert_eq!(
        text_of(&c, "[data-testid=editor] h2").await.as_deref(),
        Some(en("editor-editing").as_str())
    );
    assert_eq!(
        field_value(&c, "editor-title").await.as_deref(),
        Some(TITLE)
    );
    assert_eq!(editor_tasks(&c).await, expected, "reopened as it was");
    type_into(&c, "editor-description", DESCRIPTION).await;
    click(&c, "editor-save").await;
    let saved = until("the edited lesson in the store", || async {
        stored_lesson(&c, LESSON_ID)
            .await
            .filter(|l| l.description == DESCRIPTION)
    })
    .await;
    check_saved(&saved);

    // After a reload: the same lesson, listed once, in the editor.
    c.refresh().await.unwrap();
    wait_for_home(&c).await;
    let ids = lesson_ids(&c).await;
    assert_eq!(
        ids.iter().filter(|id| *id == LESSON_ID).count(),
        1,
        "{ids:?}"
    );
    click_css(&c, &edit).await;
    until_editor(&c, LESSON_ID).await;
    until_problem(&c, &ready()).await;
    assert_eq!(
        field_value(&c, "editor-title").await.as_deref(),
        Some(TITLE)
    );
    assert_eq!(
        field_value(&c, "editor-description").await.as_deref(),
        Some(DESCRIPTION)
    );
    assert_eq!(
        editor_tasks(&c).await,
        expected,
        "the saved lesson after a reload"
    );
    println!(
        "editor: \"{TITLE}\" saved with tasks {:?}",
        expected.iter().map(|t| &t.title).collect::<Vec<_>>()
    );
    c.close().await.unwrap();
}

/// The lesson as stored holds what the teacher made.
fn check_saved(lesson: &Lesson) {
    assert_eq!(lesson.id.to_string(), LESSON_ID);
    assert_eq!(lesson.title, TITLE);
    assert_eq!(lesson.tasks.len(), 4, "{:?}", lesson.tasks);
    let Task::Practice { title, classes, .. } = &lesson.tasks[0] else {
        panic!("task 0 is the practice task: {:?}", lesson.tasks[0]);
    };
    assert_eq!(title, PRACTICE_TITLE);
    let practised: Vec<(&str, usize)> = classes
        .iter()
        .map(|k| (k.name.as_str(), k.examples.len()))
        .collect();
    assert_eq!(practised, [("eta", REFERENCES), ("theta", REFERENCES)]);
    let Task::Teach {
        title,
        classes,
        target,
        ..
    } = &lesson.tasks[1]
    else {
        panic!("task 1 is the teach task: {:?}", lesson.tasks[1]);
    };
    assert_eq!(title, TEACH_TITLE);
    assert_eq!(
        classes.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
        GLYPH_NAMES
    );
    assert_eq!(target.metric, Metric::MacroF1);
    assert!((target.value - 0.9).abs() < 1e-6, "{target:?}");
    let Task::Quiz {
        title, questions, ..
    } = &lesson.tasks[2]
    else {
        panic!("task 2 is the quiz: {:?}", lesson.tasks[2]);
    };
    assert_eq!(title, QUIZ_TITLE);
    assert_eq!(
        questions,
        &[
            Question::Choice {
                prompt: CHOICE.prompt.into(),
                options: vec!["none".into(), "one".into(), "ten".into()],
                answer: 1,
                explanation: CHOICE.explanation.into(),
            },
            Question::Free {
                prompt: FREE.prompt.into(),
                answers: vec!["theta".into(), "the letter theta".into()],
                explanation: String::new(),
            },
        ]
    );
    let Task::Teach { title, classes, .. } = &lesson.tasks[3] else {
        panic!("task 3 is the text task: {:?}", lesson.tasks[3]);
    };
    assert_eq!(title, TEXT_TITLE);
    assert!(inkling::lesson::classes_are_text(classes));
    let written: Vec<(&str, Vec<&str>, usize)> = classes
        .iter()
        .map(|k| {
            (
                k.name.as_str(),
                k.sentences.iter().map(String::as_str).collect(),
                k.examples.len(),
            )
        })
        .collect();
    assert_eq!(
        written,
        [
            (TEXT_CLASSES[0], vec![SENTENCES[0]], 0),
            (TEXT_CLASSES[1], vec![SENTENCES[1]], 0)
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 2. A lesson file dropped on the Learn page.

/// The lesson the teacher exports for the drop, and its id.
const QUIZ_LESSON: &str = "Money words";
const QUIZ_LESSON_ID: &str = "money-words";
const MONEY_QUESTION: NewQuestion<'static> = NewQuestion {
    prompt: "What tells how much one currency costs in another?",
    options: "the exchange rate | the card arrival",
    right: Some("1"),
    explanation: "",
};

/// Drop a file called `name` holding `text` on the Learn page's drop zone, as a browser does
/// for a file dragged from the desktop: `dragenter`, `dragover` and `drop` events whose
/// `DataTransfer` holds the file. Returns whether `dragover` and `drop` had their default
/// prevented (the zone accepts drops, and took this one).
async fn drop_on_home(c: &Client, name: &str, text: &str) -> (bool, bool) {
    let done = c
        .execute(
            r#"const [name, text] = arguments;
            const zone = document.querySelector('[data-testid=lesson-dropzone]');
            if (!zone) return null;
            const data = new DataTransfer();
            data.items.add(new File([text], name, { type: 'application/json' }));
            const fire = type => {
                const event = new DragEvent(type, {
                    bubbles: true,
                    cancelable: true,
                    composed: true,
                    dataTransfer: data,
                });
                zone.dispatchEvent(event);
                return event.defaultPrevented;
            };
            fire('dragenter');
            const over = fire('dragover');
            const dropped = fire('drop');
            return [over, dropped];"#,
            vec![serde_json::json!(name), serde_json::json!(text)],
        )
        .await
        .unwrap();
    serde_json::from_value(done.clone())
        .unwrap_or_else(|_| panic!("the drop zone [data-testid=lesson-dropzone]: {done}"))
}

/// A teacher exports a one-question lesson from the editor; on another device (a fresh
/// profile) the file is dropped on the Learn page's drop zone: the lesson is listed, says it
/// was imported, and opens with its question. Then two bad files are dropped, one not JSON and
/// one a lesson with 1000 questions (at most 50 are allowed): each is refused with a message
/// that names the file and what is wrong, and the lessons listed stay as they were, after a
/// reload too.
///
/// Catches: a drop zone that ignores drops (or lets the browser open the file), a dropped
/// lesson that is not listed or not kept, a bad file that changes the list or is refused
/// without saying which file or why.
#[tokio::test(flavor = "multi_thread")]
async fn a_lesson_file_dropped_on_home_is_imported_and_a_bad_one_refused() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let port = serve(dist());
    let driver = Driver::start();
    let artefacts = artefacts!();
    let downloads = fresh_dir(&artefacts, "downloads-drop");

    // The teacher's device: a quiz lesson (the empty practice task a new lesson has goes).
    let profile = fresh_dir(&artefacts, "profile-drop-teacher");
    let c = browser_with_downloads(&driver, false, &profile, Some(&downloads)).await;
    c.goto(&app_url(port)).await.unwrap();
    wait_for_home(&c).await;
    click(&c, "new-lesson").await;
    type_into(&c, "editor-title", QUIZ_LESSON).await;
    until_editor(&c, QUIZ_LESSON_ID).await;
    add_question(&c, &MONEY_QUESTION).await;
    until_tasks(&c, "a quiz after the empty practice task", |t| {
        t.len() == 2 && t[1].kind == "quiz" && t[1].questions.len() == 1
    })
    .await;
    until_problem(
        &c,
        "tasks[0].classes: has 0 classes; from 2 to 20 are allowed",
    )
    .await;
    in_task(&c, 0, "[data-testid=editor-remove-task]")
        .await
        .click()
        .await
        .unwrap();
    until_tasks(&c, "the quiz alone", |t| {
        t.len() == 1 && t[0].kind == "quiz"
    })
    .await;
    until_problem(&c, &ready()).await;
    click(&c, "editor-export").await;
    let exported = new_download(&downloads, &[]).await;
    let file_name = exported.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&exported).unwrap();
    let lesson = inkling::lesson::import(text.as_bytes()).expect("the export is a valid lesson");
    assert_eq!(lesson.id.to_string(), QUIZ_LESSON_ID);
    assert_eq!(lesson.tasks.len(), 1, "{:?}", lesson.tasks);
    println!("exported {file_name}: {} bytes", text.len());
    c.close().await.unwrap();

    // Another device: the file dropped on the Learn page.
    let profile = fresh_dir(&artefacts, "profile-drop-student");
    let c = browser(&driver, false, &profile).await;
    c.goto(&app_url(port)).await.unwrap();
    wait_for_home(&c).await;
    let before = lesson_ids(&c).await;
    assert!(!before.contains(&QUIZ_LESSON_ID.to_string()), "{before:?}");
    let (over, dropped) = drop_on_home(&c, &file_name, &text).await;
    assert!(
        over && dropped,
        "the drop zone takes the drop (dragover {over}, drop {dropped})"
    );
    let imported = Language::English.text_with("lesson-imported", &[("title", QUIZ_LESSON.into())]);
    until_status(&c, &imported).await;
    let after = until("the dropped lesson on the Learn page", || async {
        Some(lesson_ids(&c).await).filter(|ids| ids.contains(&QUIZ_LESSON_ID.to_string()))
    })
    .await;
    let mut want = before.clone();
    want.push(QUIZ_LESSON_ID.to_string());
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(after.clone()),
        sorted(want),
        "the dropped lesson is added"
    );
    assert_eq!(
        texts_of(&c, &format!("{} b", lesson_entry(QUIZ_LESSON_ID))).await,
        [QUIZ_LESSON]
    );
    open_lesson_from_home(&c, QUIZ_LESSON_ID).await;
    until_quiz_prompt(&c, 1, 1, MONEY_QUESTION.prompt).await;
    assert_eq!(
        texts_of(&c, "[data-testid=quiz] label.option").await,
        ["the exchange rate", "the card arrival"]
    );
    click(&c, "nav-home").await;
    wait_for_home(&c).await;

    // Bad files: refused, naming the file and the problem; the list stays.
    let mut huge: serde_json::Value = serde_json::from_str(&text).unwrap();
    huge["id"] = serde_json::json!("money-words-all");
    huge["title"] = serde_json::json!("Every money word");
    let question = huge["tasks"][0]["questions"][0].clone();
    huge["tasks"][0]["questions"] = serde_json::Value::Array(vec![question; 1000]);
    let huge = serde_json::to_string(&huge).unwrap();
    let bad = [
        (
            "shopping-list.lesson.json",
            "milk, eggs, bread".to_string(),
            "it is not JSON",
        ),
        (
            "every-money-word.lesson.json",
            huge,
            "tasks[0].questions: has 1000 questions; from 1 to 50 are allowed",
        ),
    ];
    for (name, content, problem) in &bad {
        let error = inkling::lesson::import(content.as_bytes())
            .expect_err("a bad lesson file")
            .to_string();
        assert!(error.contains(problem), "{name}: {error}");
        let refused = Language::English.text_with(
            "file-not-imported",
            &[("file", (*name).into()), ("error", error.clone().into())],
        );
        let (over, dropped) = drop_on_home(&c, name, content).await;
        assert!(over && dropped, "the drop zone takes {name}");
        let shown = until_status(&c, &refused).await;
        println!("dropped {name} ({} bytes): {shown}", content.len());
        assert_eq!(lesson_ids(&c).await, after, "a bad file changes nothing");
    }

    // Kept: after a reload the dropped lesson is there, the bad ones are not.
    until("the dropped lesson in the store", || async {
        stored_lesson(&c, QUIZ_LESSON_ID).await
    })
    .await;
    c.refresh().await.unwrap();
    wait_for_home(&c).await;
    assert_eq!(
        sorted(lesson_ids(&c).await),
        sorted(after),
        "after a reload"
    );
    open_lesson_from_home(&c, QUIZ_LESSON_ID).await;
    until_quiz_prompt(&c, 1, 1, MONEY_QUESTION.prompt).await;
    c.close().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// 3. A text project without a network.

/// The Banking77 intents taught, and the names of their classes.
const INTENTS: [&str; 2] = ["card_arrival", "exchange_rate"];
const INTENT_NAMES: [&str; 2] = ["card arrival", "exchange rate"];
/// Sentences taught per intent before the server goes.
const SHOTS: usize = 3;

/// Add `sentences` to the class `name` of the open text project, typed, one after another;
/// it held `before` examples. Each is waited for in the class.
async fn teach_sentences(c: &Client, name: &str, before: usize, sentences: &[String]) {
    select_class(c, name).await;
    for (n, sentence) in sentences.iter().enumerate() {
        type_into(c, "text-example", sentence).await;
        click(c, "add-example").await;
        let want = before + n + 1;
        until(
            &format!("sentence {want} in the class \"{name}\""),
            || async { class_named(c, name).await.filter(|k| k.count == want) },
        )
        .await;
    }
}

/// The sentences of the class `name` as shown, in order.
fn sentences_of(shown: &[ShownClass], name: &str) -> Vec<String> {
    shown
        .iter()
        .find(|k| k.name == name)
        .map(|k| {
            k.examples
                .iter()
                .filter_map(|e| e.sentence.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// How many files the sentence model's cache holds (`inkling-text-model-*`).
async fn cached_text_model_files(c: &Client) -> usize {
    c.execute(
        r#"return caches.keys()
            .then(keys => Promise.all(keys
                .filter(k => k.startsWith('inkling-text-model'))
                .map(k => caches.open(k).then(cache => cache.keys()))))
            .then(lists => lists.reduce((n, l) => n + l.length, 0));"#,
        vec![],
    )
    .await
    .ok()
    .and_then(|n| n.as_u64())
    .unwrap_or_default() as usize
}

/// On the CPU, a student makes a text project and teaches two Banking77 intents three typed
/// sentences each; the sentence model comes from the network the first time. Once the service
/// worker controls the page and the model, the sentences and their embeddings are stored, the
/// server stops and the page is reloaded: the project and its sentences are still there, the
/// sentence model is read from the cache, held-out sentences typed into the test box are
/// answered with one of the two intents, and a sentence added offline is embedded (and
/// stored).
///
/// Catches: a text project that needs the network after the first visit (the model, the page
/// or the embedding of a new sentence), sentences or embeddings lost on the way.
#[tokio::test(flavor = "multi_thread")]
async fn a_text_project_works_offline() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let server = Server::start(dist());
    let driver = Driver::start();
    let artefacts = artefacts!();
    let profile = fresh_dir(&artefacts, "profile-text-offline");
    let c = browser(&driver, false, &profile).await;
    let url = app_url(server.port);
    c.goto(&url).await.unwrap();
    wait_until_ready(&c).await;
    assert_eq!(
        text_of(&c, "[data-testid=backend]").await.as_deref(),
        Some("cpu")
    );
    click(&c, "new-text-project").await;
    let project = wait_for_projects(&c, 2)
        .await
        .into_iter()
        .find(|name| name != STARTER)
        .expect("the new text project");
    open_project(&c, &project).await;
    assert_eq!(
        text_model_from_cache(&c).await,
        "false",
        "the first visit downloads the sentence model"
    );
    let first_load_ms = attr_of(&c, "[data-testid=text-model]", "data-load-ms")
        .await
        .unwrap_or_default();

    // Two intents, three sentences each.
    settled(&c, "the text project's two classes", |k| k.len() == 2).await;
    for (k, name) in INTENT_NAMES.iter().enumerate() {
        rename_class(&c, k, name).await;
    }
    settled(&c, "the classes renamed", |k| {
        k.iter().map(|k| k.name.as_str()).collect::<Vec<_>>() == INTENT_NAMES
    })
    .await;
    let data: Vec<(Vec<String>, Vec<String>)> =
        INTENTS.iter().map(|i| banking_sentences(i)).collect();
    for (name, (train, _)) in INTENT_NAMES.iter().zip(&data) {
        assert!(train.len() > SHOTS, "Banking77 has sentences of {name}");
        teach_sentences(&c, name, 0, &train[..SHOTS]).await;
    }
    let taught = settled(&c, "both intents' sentences embedded", |k| {
        INTENT_NAMES.iter().all(|name| holds(k, name, SHOTS))
    })
    .await;
    for (name, (train, _)) in INTENT_NAMES.iter().zip(&data) {
        assert_eq!(sentences_of(&taught, name), train[..SHOTS], "{name}");
    }

    // What the app needs offline is in place before the server goes: the service worker, the
    // cached model, the stored sentences with their embeddings.
    until("the service worker to control the page", || async {
        c.execute("return !!navigator.serviceWorker.controller", vec![])
            .await
            .ok()
            .filter(|v| v.as_bool() == Some(true))
    })
    .await;
    until("the sentence model's two files in its cache", || async {
        (cached_text_model_files(&c).await >= 2).then_some(())
    })
    .await;
    let stored = 2 * SHOTS;
    until(
        &format!("{stored} embedded sentences in the store"),
        || async { (stored_embedded_sentences(&c).await == stored).then_some(()) },
    )
    .await;

    // Offline.
    server.stop();
    let reloaded = Instant::now();
    reload(&c).await;
    wait_for_projects(&c, 2).await;
    open_project(&c, &project).await;
    assert_eq!(
        text_model_from_cache(&c).await,
        "true",
        "offline, the sentence model is read from the cache"
    );
    let model_s = reloaded.elapsed().as_secs_f64();
    let cached_load_ms = attr_of(&c, "[data-testid=text-model]", "data-load-ms")
        .await
        .unwrap_or_default();
    let kept = settled(&c, "the sentences after an offline reload", |k| {
        k.len() == 2 && INTENT_NAMES.iter().all(|name| holds(k, name, SHOTS))
    })
    .await;
    for (name, (train, _)) in INTENT_NAMES.iter().zip(&data) {
        assert_eq!(sentences_of(&kept, name), train[..SHOTS], "{name} offline");
    }
    println!(
        "offline: sentence model from the cache {model_s:.1} s after the reload (load \
         {cached_load_ms} ms; {first_load_ms} ms from the network)"
    );

    // Held-out sentences are answered offline.
    let mut right = 0;
    for (name, (_, test)) in INTENT_NAMES.iter().zip(&data) {
        let sentence = &test[0];
        let asked = Instant::now();
        let (label, ms) = classify_sentence(&c, sentence).await;
        println!(
            "offline: \"{sentence}\" -> {label} ({ms:.0} ms in the app, {:.2} s typing to answer)",
            asked.elapsed().as_secs_f64()
        );
        assert!(
            INTENT_NAMES.contains(&label.as_str()),
            "the answer names one of the intents: {label}"
        );
        right += usize::from(label == *name);
    }
    println!(
        "offline: {right}/{} held-out sentences right",
        INTENTS.len()
    );

    // A sentence added offline is embedded, and stored.
    let (train, _) = &data[0];
    let added = Instant::now();
    teach_sentences(&c, INTENT_NAMES[0], SHOTS, &train[SHOTS..=SHOTS]).await;
    let now = settled(&c, "the sentence added offline, embedded", |k| {
        holds(k, INTENT_NAMES[0], SHOTS + 1) && holds(k, INTENT_NAMES[1], SHOTS)
    })
    .await;
    println!(
        "offline: a new sentence embedded {:.2} s after it was added",
        added.elapsed().as_secs_f64()
    );
    assert_eq!(
        sentences_of(&now, INTENT_NAMES[0]),
        train[..=SHOTS],
        "the new sentence is in its class"
    );
    until("the sentence added offline in the store", || async {
        (stored_embedded_sentences(&c).await == stored + 1).then_some(())
    })
    .await;
    let found = problems(&c).await;
    assert!(found.is_empty(), "nothing went wrong offline: {found:?}");
    std::fs::write(
        artefacts.join("text-offline.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.close().await.unwrap();
}
