//! No change can be lost or land in the wrong project (issue 11).
//!
//! Adding an example takes time: its drawing or sentence is embedded first (on software WebGPU,
//! SwiftShader in headless Chromium, hundreds of ms to seconds for a drawing, about 20 s for a
//! sentence), and "Improve" can take seconds (the app's test hook `inklingImproveStepMs` makes
//! it, as a slow device would). These tests do what a student does meanwhile: add
//! another example at once, switch to another project, rename the class, and check that every
//! change ends up where it was made, is shown, and is still there after a reload. Also the
//! cheap paths nothing else covers: deleting an example and a class, then reloading.
//!
//! They read the page through its hooks: every example of a class item is
//! `[data-testid=example]` with `data-example-id` and `data-embedded`; the project bar's
//! `data-embedding-queue` counts the embeddings waiting or running (0 when everything is done);
//! the test panel's `data-asked` numbers its questions and the prediction's `data-question` says
//! which one it answers. Nothing sleeps to synchronise: every wait polls the page.
//!
//! Each test starts its own browser on a fresh profile against `dist/` (built by
//! `cargo xtask test` before this runs), with `chromedriver` and `chromium`.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use inkling_e2e::{
    CHARACTERS, Driver, ONE_AT_A_TIME, STARTER, STARTER_CLASSES, ShownClass, artefacts, attr_of,
    banking_sentences, class_names, classes, click, click_css, delete_class, draw, drawings,
    fresh_dir, holds, no_prediction, open_project, problems, reload, rename_class, select_class,
    settled, settled_within, shown_project, start_app, teach, test_drawing, text_model_from_cache,
    type_into, until, until_shown, wait_for_projects,
};

/// What "New project" makes (and opens) next to the starter, and its classes.
const SECOND: &str = "Project 1";
const SECOND_CLASSES: [&str; 2] = ["class 1", "class 2"];
/// Sentences on software WebGPU take about 20 s each: their waits are longer than the rest.
const SENTENCE_WAIT: Duration = Duration::from_secs(300);

/// [`start_app`] on a fresh browser profile `profile-kept-<name>` (this binary's profiles).
async fn start(name: &str, backend: &str, webgpu: bool) -> (Driver, Client) {
    let profile = fresh_dir(&artefacts!(), &format!("profile-kept-{name}"));
    start_app(&profile, backend, webgpu).await
}

/// Make a new drawing project ("New project"): it opens, with its two classes.
async fn new_project(c: &Client) {
    click(c, "new-project").await;
    wait_for_projects(c, 2).await;
    until_shown(c, SECOND).await;
}

/// The class called `name` among `shown`.
fn class<'a>(shown: &'a [ShownClass], name: &str) -> &'a ShownClass {
    shown
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("no class \"{name}\" in {shown:#?}"))
}

/// Every class of `shown` with all its examples embedded (and as many as its count says).
fn all_embedded(shown: &[ShownClass]) -> bool {
    !shown.is_empty() && shown.iter().all(|k| k.holds_embedded(k.count))
}

/// What must survive: each class's name, count and example ids.
fn summary(shown: &[ShownClass]) -> Vec<(String, usize, Vec<String>)> {
    shown
        .iter()
        .map(|k| (k.name.clone(), k.count, k.ids()))
        .collect()
}

fn counts(shown: &[ShownClass]) -> Vec<usize> {
    shown.iter().map(|k| k.count).collect()
}

/// Two drawings added one right after the other, the second while the first is still being
/// embedded, are both kept: in the class at once, both embedded in the end, and both there
/// after a reload.
///
/// Catches: adding an example copied the open project, awaited the embedding, then wrote the
/// whole copy back, so the second add overwrote the first (one drawing lost); and the pad was
/// cleared only after the embedding, so the second drawing was drawn over the first.
#[tokio::test(flavor = "multi_thread")]
async fn two_drawings_added_quickly_are_both_kept_on_webgpu() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("two-drawings", "webgpu", true).await;
    let shapes = drawings(CHARACTERS[0]);
    select_class(&c, "circle").await;
    let started = Instant::now();
    draw(&c, "draw-canvas", &shapes[0]).await;
    click(&c, "add-example").await;
    // At once: no waiting for the first drawing's embedding.
    draw(&c, "draw-canvas", &shapes[1]).await;
    click(&c, "add-example").await;
    let added = started.elapsed();
    let shown = settled(&c, "both drawings kept in the class, both embedded", |k| {
        holds(k, "circle", 2)
    })
    .await;
    println!(
        "WebGPU: two drawings drawn and added in {added:?}; both embedded after {:?}",
        started.elapsed()
    );
    let circle = class(&shown, "circle");
    assert_ne!(
        circle.examples[0].id, circle.examples[1].id,
        "two examples, two ids: {circle:?}"
    );
    let mut strokes: Vec<usize> = circle.examples.iter().map(|e| e.strokes).collect();
    let mut drawn = vec![shapes[0].len(), shapes[1].len()];
    strokes.sort();
    drawn.sort();
    assert_eq!(
        strokes, drawn,
        "each example is one of the drawings (the pad is cleared when an example is added): {circle:?}"
    );
    assert_eq!(counts(&shown), [2, 0, 0], "nothing went to another class");

    reload(&c).await;
    let again = settled(&c, "the starter project after a reload, embedded", |k| {
        k.iter().any(|k| k.name == "circle") && all_embedded(k)
    })
    .await;
    assert_eq!(
        summary(&again),
        summary(&shown),
        "the same two drawings after a reload"
    );
    c.close().await.unwrap();
}

/// Two sentences added one right after the other in a text project, the second while the
/// first is still being embedded (about 20 s on software WebGPU), are both kept, each as typed,
/// and are still there after a reload.
///
/// Catches: the second add wrote back a copy of the project taken before the first sentence
/// was in it (one sentence lost), and the sentence box was emptied only after the embedding, so
/// the second sentence was typed after the first one.
#[tokio::test(flavor = "multi_thread")]
async fn two_sentences_added_quickly_are_both_kept_on_webgpu() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("two-sentences", "webgpu", true).await;
    click(&c, "new-text-project").await;
    wait_for_projects(&c, 2).await;
    until_shown(&c, SECOND).await;
    text_model_from_cache(&c).await;
    let (train, _) = banking_sentences("card_arrival");
    let typed = [train[0].trim().to_string(), train[1].trim().to_string()];
    let class_name = SECOND_CLASSES[0];
    select_class(&c, class_name).await;
    let started = Instant::now();
    type_into(&c, "text-example", &typed[0]).await;
    click(&c, "add-example").await;
    // At once: no waiting for the first sentence's embedding.
    type_into(&c, "text-example", &typed[1]).await;
    click(&c, "add-example").await;
    let added = started.elapsed();
    let shown = settled_within(
        SENTENCE_WAIT,
        &c,
        "both sentences kept in the class, both embedded",
        |k| holds(k, class_name, 2),
    )
    .await;
    println!(
        "WebGPU: two sentences typed and added in {added:?}; both embedded after {:?}",
        started.elapsed()
    );
    let kept = class(&shown, class_name);
    assert_ne!(
        kept.examples[0].id, kept.examples[1].id,
        "two examples, two ids: {kept:?}"
    );
    let mut sentences: Vec<String> = kept
        .examples
        .iter()
        .map(|e| e.sentence.clone().unwrap_or_default())
        .collect();
    sentences.sort();
    let mut expected = typed.to_vec();
    expected.sort();
    assert_eq!(sentences, expected, "each sentence kept as it was typed");
    assert_eq!(counts(&shown), [2, 0], "nothing went to another class");

    reload(&c).await;
    open_project(&c, SECOND).await;
    text_model_from_cache(&c).await;
    let again = settled_within(
        SENTENCE_WAIT,
        &c,
        "the text project after a reload, embedded",
        |k| k.iter().any(|k| k.name == class_name) && all_embedded(k),
    )
    .await;
    assert_eq!(
        summary(&again),
        summary(&shown),
        "the same two sentences after a reload"
    );
    c.close().await.unwrap();
}

/// A drawing added to one project, then a switch to another project before its embedding is
/// done: the other project is left exactly as it was (its own classes and examples, nothing
/// damaged, after a reload too), and the drawing is in the project it was added to.
///
/// Catches: the embedding finished after the switch and the copy of the first project was
/// written over the open one, so the second project got the first one's classes (and the
/// first project lost the drawing).
#[tokio::test(flavor = "multi_thread")]
async fn a_project_switched_while_an_example_is_embedded_is_left_alone() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("switch", "webgpu", true).await;
    let shapes = drawings(CHARACTERS[2]);

    // The second project, with one drawing of its own.
    new_project(&c).await;
    teach(&c, SECOND_CLASSES[0], &shapes[..1]).await;
    let second = settled(&c, "the second project's drawing embedded", |k| {
        holds(k, SECOND_CLASSES[0], 1)
    })
    .await;
    assert_eq!(class_names(&second), SECOND_CLASSES);
    assert_eq!(counts(&second), [1, 0]);

    // Back in the first project: a drawing, and at once the switch.
    open_project(&c, STARTER).await;
    select_class(&c, STARTER_CLASSES[0]).await;
    draw(&c, "draw-canvas", &shapes[1]).await;
    let started = Instant::now();
    click(&c, "add-example").await;
    open_project(&c, SECOND).await;
    let switched = started.elapsed();
    let shown = settled(&c, "the embedding done, the second project open", |k| {
        !k.is_empty()
    })
    .await;
    println!(
        "WebGPU: switched {switched:?} after adding; embedding done after {:?}",
        started.elapsed()
    );
    assert_eq!(
        shown_project(&c).await.as_deref(),
        Some(SECOND),
        "the second project stays open"
    );
    assert_eq!(
        class_names(&shown),
        SECOND_CLASSES,
        "the second project keeps its own classes"
    );
    assert_eq!(
        summary(&shown),
        summary(&second),
        "the second project is unchanged"
    );
    assert_eq!(
        problems(&c).await,
        Vec::<String>::new(),
        "nothing went wrong"
    );

    reload(&c).await;
    open_project(&c, SECOND).await;
    let reloaded = settled(&c, "the second project after a reload", |k| !k.is_empty()).await;
    assert_eq!(
        summary(&reloaded),
        summary(&second),
        "the second project is unchanged after a reload"
    );
    assert_eq!(
        problems(&c).await,
        Vec::<String>::new(),
        "nothing is damaged after a reload"
    );

    // The drawing is in the project it was added to, embedded.
    open_project(&c, STARTER).await;
    let first = settled(&c, "the first project, its new drawing embedded", |k| {
        // Wait for the embedding only when the drawing is there (else the assert says so).
        k.iter()
            .any(|k| k.name == STARTER_CLASSES[0] && (k.count != 1 || k.holds_embedded(1)))
    })
    .await;
    assert_eq!(class_names(&first), STARTER_CLASSES);
    assert_eq!(
        counts(&first),
        [1, 0, 0],
        "the drawing is in the class it was added to"
    );
    assert!(
        class(&first, STARTER_CLASSES[0]).holds_embedded(1),
        "{first:?}"
    );
    assert_eq!(
        class(&first, STARTER_CLASSES[0]).examples[0].strokes,
        shapes[1].len()
    );
    c.close().await.unwrap();
}

/// A class renamed while its new drawing is being embedded keeps its new name, and the
/// drawing; after a reload too.
///
/// Catches: the copy of the project taken when the drawing was added (with the old name) was
/// written back when the embedding was done, undoing the rename.
#[tokio::test(flavor = "multi_thread")]
async fn a_class_renamed_while_its_example_is_embedded_keeps_its_name() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("rename", "webgpu", true).await;
    let shapes = drawings(CHARACTERS[3]);
    select_class(&c, STARTER_CLASSES[0]).await;
    draw(&c, "draw-canvas", &shapes[0]).await;
    let started = Instant::now();
    click(&c, "add-example").await;
    // At once: the class is renamed while its drawing is embedded.
    rename_class(&c, 0, "ring").await;
    let renamed = started.elapsed();
    let shown = settled(&c, "the drawing in the first class, embedded", |k| {
        k.first().is_some_and(|k| k.holds_embedded(1))
    })
    .await;
    println!(
        "WebGPU: renamed {renamed:?} after adding; embedding done after {:?}",
        started.elapsed()
    );
    assert_eq!(
        class_names(&shown),
        ["ring", "cross", "wave"],
        "the class keeps its new name"
    );
    assert_eq!(counts(&shown), [1, 0, 0], "and its drawing");

    reload(&c).await;
    let again = settled(&c, "the starter project after a reload, embedded", |k| {
        all_embedded(k)
    })
    .await;
    assert_eq!(
        summary(&again),
        summary(&shown),
        "the new name and the drawing after a reload"
    );
    c.close().await.unwrap();
}

/// "Improve" started in one project and finished after a switch to another (on WebGPU): the improved model
/// is saved with the project it was trained for (which answers with it, after a reload too),
/// and the other project is left as it was.
///
/// Catches: the fine-tuned head was saved into whichever project was open when the training
/// ended, so the trained project lost it (and the other got a head that is not its own).
#[tokio::test(flavor = "multi_thread")]
async fn improve_finished_after_a_switch_keeps_the_head_with_its_project() {
    let _turn = ONE_AT_A_TIME.lock().await;
    // A fine-tuning step takes milliseconds (the head trains on the CPU), so the whole run
    // could end before the switch does: the app's test hook pauses 300 ms between steps.
    let (_driver, c) = start("improve-switch", "webgpu", true).await;
    let taught = [drawings(CHARACTERS[0]), drawings(CHARACTERS[1])];
    // Two classes (every class needs an example to improve): the third one goes.
    delete_class(&c, STARTER_CLASSES[2]).await;
    for (name, shapes) in STARTER_CLASSES.iter().zip(&taught) {
        teach(&c, name, &shapes[..2]).await;
    }
    settled(&c, "two classes of two drawings, embedded", |k| {
        holds(k, STARTER_CLASSES[0], 2) && holds(k, STARTER_CLASSES[1], 2)
    })
    .await;
    new_project(&c).await;
    let second = settled(&c, "the new project", |k| !k.is_empty()).await;
    assert_eq!(class_names(&second), SECOND_CLASSES);
    open_project(&c, STARTER).await;
    settled(&c, "the first project, embedded", |k| {
        holds(k, STARTER_CLASSES[0], 2) && holds(k, STARTER_CLASSES[1], 2)
    })
    .await;

    // Improve, and at once the switch.
    c.execute("globalThis.inklingImproveStepMs = 300;", vec![])
        .await
        .unwrap();
    let started = Instant::now();
    click(&c, "improve").await;
    open_project(&c, SECOND).await;
    let switched = started.elapsed();
    assert_eq!(
        attr_of(&c, "[data-testid=improve-progress]", "data-done").await,
        None,
        "Improve is still running when the other project opens (else this tests nothing)"
    );
    let steps = until(
        "Improve to run all its steps (improve-progress data-done equal to its max)",
        || async {
            let max = attr_of(&c, "[data-testid=improve-progress]", "max").await?;
            attr_of(&c, "[data-testid=improve-progress]", "data-done")
                .await
                .filter(|done| *done == max)
        },
    )
    .await;
    println!(
        "WebGPU: switched {switched:?} after Improve; {steps} steps done after {:?}",
        started.elapsed()
    );
    let shown = settled(&c, "the second project after Improve", |k| !k.is_empty()).await;
    assert_eq!(
        summary(&shown),
        summary(&second),
        "the second project is unchanged"
    );
    assert_eq!(
        problems(&c).await,
        Vec::<String>::new(),
        "nothing went wrong"
    );

    // The first project answers with its improved model.
    open_project(&c, STARTER).await;
    settled(&c, "the first project, embedded", |k| {
        holds(k, STARTER_CLASSES[0], 2) && holds(k, STARTER_CLASSES[1], 2)
    })
    .await;
    let answer = test_drawing(&c, &taught[0][2]).await;
    println!(
        "WebGPU: a third drawer's {} -> {} ({}), fine-tuned {}",
        STARTER_CLASSES[0], answer.label, answer.confidence, answer.fine_tuned
    );
    assert!(
        answer.fine_tuned,
        "the improved model was saved with the project it was trained for"
    );

    // After a reload too.
    reload(&c).await;
    open_project(&c, STARTER).await;
    settled(&c, "the first project after a reload, embedded", |k| {
        holds(k, STARTER_CLASSES[0], 2) && holds(k, STARTER_CLASSES[1], 2)
    })
    .await;
    let answer = test_drawing(&c, &taught[1][2]).await;
    println!(
        "WebGPU after a reload: a third drawer's {} -> {} ({}), fine-tuned {}",
        STARTER_CLASSES[1], answer.label, answer.confidence, answer.fine_tuned
    );
    assert!(
        answer.fine_tuned,
        "the improved model is kept after a reload"
    );
    c.close().await.unwrap();
}

/// Three classes of two drawings: the test pad shows a bar for each class and the nearest
/// examples; then one example and one class are deleted, and after a reload exactly those are
/// gone (the other example and class are as they were).
///
/// Catches: a deleted example or class coming back after a reload (a delete not written), or
/// taking more than it should with it; and the answer panel missing its bars or examples.
#[tokio::test(flavor = "multi_thread")]
async fn deleting_examples_and_classes_survives_a_reload() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("delete", "cpu", false).await;
    let taught: Vec<_> = CHARACTERS[..3].iter().map(|ch| drawings(ch)).collect();
    for (name, shapes) in STARTER_CLASSES.iter().zip(&taught) {
        teach(&c, name, &shapes[..2]).await;
    }
    let shown = settled(&c, "three classes of two drawings, embedded", |k| {
        STARTER_CLASSES.iter().all(|name| holds(k, name, 2))
    })
    .await;

    // The answer panel: a bar per class, and the nearest of the student's examples.
    let answer = test_drawing(&c, &taught[1][2]).await;
    println!(
        "CPU: a third drawer's {} -> {} ({})",
        STARTER_CLASSES[1], answer.label, answer.confidence
    );
    let bars = c
        .find_all(Locator::Css("[data-testid=prediction] .bar-row"))
        .await
        .unwrap();
    assert_eq!(bars.len(), 3, "a bar for each of the three classes");
    let nearest = c
        .find_all(Locator::Css("[data-testid=test-panel] .nearest figure"))
        .await
        .unwrap();
    assert!(!nearest.is_empty(), "the nearest examples are shown");
    click(&c, "test-canvas-clear").await;
    assert!(
        no_prediction(&c).await,
        "clearing the test pad takes the answer away at once"
    );

    // Delete the first example of the first class, then the third class.
    let first = class(&shown, STARTER_CLASSES[0]).clone();
    click_css(
        &c,
        &format!(
            "[data-testid=class-item][data-class-name='{}'] .example button.remove",
            first.name
        ),
    )
    .await;
    let after_delete = until("one example left in the first class", || async {
        Some(classes(&c).await).filter(|k| k.first().is_some_and(|k| k.count == 1))
    })
    .await;
    assert_eq!(
        class(&after_delete, &first.name).examples[0].id,
        first.examples[1].id,
        "the other example is the one left"
    );
    delete_class(&c, STARTER_CLASSES[2]).await;
    let before = settled(&c, "the deletes done", |k| !k.is_empty()).await;
    assert_eq!(class_names(&before), &STARTER_CLASSES[..2]);
    assert_eq!(counts(&before), [1, 2]);
    assert_eq!(
        class(&before, STARTER_CLASSES[1]).ids(),
        class(&shown, STARTER_CLASSES[1]).ids(),
        "the second class is untouched"
    );

    reload(&c).await;
    let after = settled(&c, "the starter project after a reload, embedded", |k| {
        all_embedded(k)
    })
    .await;
    assert_eq!(
        summary(&after),
        summary(&before),
        "the deleted example and class stay deleted, the rest is kept"
    );
    c.close().await.unwrap();
}
