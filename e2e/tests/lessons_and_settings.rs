//! Lessons and settings as a student uses them, end to end: the teach task's check scores the
//! project the task made (whichever project is open, after a reload too); "Improve" cancelled
//! leaves the model as it was, and run in full improves it; every learning strategy of the
//! settings answers the test pad; the status line follows a switch of the UI language; a
//! free-text quiz answer is judged.
//!
//! They read the page through its hooks: a lesson on the Learn page is
//! `[data-testid=lesson][data-lesson=<id>]`, the lesson view `lesson-view` (with `data-lesson`),
//! its teach task `teach-task` with `teach-start`, `teach-check` and the score `teach-result`
//! (`data-reached`); `improve-progress` has `data-done` (the steps run) only while no "Improve"
//! runs; the test panel's `data-asked` numbers its questions and the prediction's
//! `data-question`, `data-label`, `data-confidence`, `data-fine-tuned` describe the answer; the
//! quiz has `quiz-option` (`data-index`), `quiz-answer`, `quiz-check`, `quiz-verdict`
//! (`data-correct`), `quiz-next`. Nothing sleeps to synchronise: every wait polls the page.
//!
//! Each test starts its own browser on a fresh profile against `dist/` (built by
//! `cargo xtask test` before this runs), with `chromedriver` and `chromium`, on the CPU backend.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use inkling::lesson::{Question, Task};
use inkling_e2e::{
    CHARACTERS, Driver, ONE_AT_A_TIME, STARTER, STARTER_CLASSES, artefacts, attr_of, class_names,
    click, delete_class, draw, drawings, each_of, fresh_dir, holds, open_lesson, open_project,
    reload, settled, start_app, teach, test_drawing, text_of, type_into, until, until_shown,
    until_within, wait_for_home, wait_for_projects,
};

/// The built-in lesson with a teach task (task 0: circle, cross, wave; target accuracy 0.8).
const TEACH_LESSON: &str = "teach-the-machine";
/// Its title: the name of the project its teach task makes.
const TEACH_LESSON_TITLE: &str = "Teach the machine";
/// The built-in lessons, relative to this crate's folder.
const LESSONS: &str = "../public/lessons";
/// Once the page has switched language, the status line must have followed within this (it
/// changes in the same render; the margin is for a slow machine).
const AT_ONCE: Duration = Duration::from_secs(5);

/// [`start_app`] on a fresh browser profile `profile-lessons-<name>` (this binary's profiles),
/// on the CPU backend.
async fn start(name: &str) -> (Driver, Client) {
    let profile = fresh_dir(&artefacts!(), &format!("profile-lessons-{name}"));
    start_app(&profile, "cpu", false).await
}

/// What the teach task's check says.
#[derive(Debug, PartialEq)]
enum Checked {
    /// `teach-result`: its text (the score) and `data-reached`.
    Scored { text: String, reached: bool },
    /// Any other answer shown in the teach task (e.g. "give examples first").
    Message(String),
}

/// Press the teach task's "Check" (in a teach task just opened, so no earlier answer is
/// shown) and wait for its answer.
async fn check_teach_task(c: &Client) -> Checked {
    click(c, "teach-check").await;
    until(
        "the teach check's answer (a teach-result, or a message in the teach task)",
        || async {
            // In one script: the answer is read at one instant.
            let read = c
                .execute(
                    r#"const task = document.querySelector('[data-testid=teach-task]');
                    if (!task) return null;
                    const result = task.querySelector('[data-testid=teach-result]');
                    if (result) return { score: result.textContent, reached: result.dataset.reached ?? '' };
                    const message = task.querySelector('p.status');
                    if (message) return { message: message.textContent };
                    return null;"#,
                    vec![],
                )
                .await
                .ok()?;
            if let Some(text) = read["score"].as_str() {
                return Some(Checked::Scored {
                    text: text.trim().to_string(),
                    reached: read["reached"].as_str() == Some("true"),
                });
            }
            read["message"]
                .as_str()
                .map(|m| Checked::Message(m.trim().to_string()))
        },
    )
    .await
}

/// The percentage a score text shows (the number before its '%').
fn percent(score: &str) -> f64 {
    let before = &score[..score
        .find('%')
        .unwrap_or_else(|| panic!("a percentage in \"{score}\""))];
    let digits: String = before
        .chars()
        .rev()
        .take_while(|ch| ch.is_ascii_digit() || *ch == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("a number before '%' in \"{score}\""))
}

/// The teach task of "Teach the machine" makes its own project; the student teaches it, then
/// opens another (empty) project and checks the task: the score is that of the task's project,
/// not of the open one. After a reload the link is remembered: the same score.
///
/// Catches: the check scored whichever project was open, so a student who had opened another
/// project got "give examples first" (or another project's score) for the work they did.
#[tokio::test(flavor = "multi_thread")]
async fn the_teach_check_scores_the_project_its_task_made() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("teach-check").await;

    // The task makes its project, named after the lesson, and opens it.
    open_lesson(&c, TEACH_LESSON).await;
    until("the teach task (task 0 of the lesson)", || async {
        c.find(Locator::Css("[data-testid=teach-task]")).await.ok()
    })
    .await;
    click(&c, "teach-start").await;
    until_shown(&c, TEACH_LESSON_TITLE).await;
    let projects = wait_for_projects(&c, 2).await;
    assert!(
        projects.iter().any(|p| p == STARTER) && projects.iter().any(|p| p == TEACH_LESSON_TITLE),
        "the starter and the task's project: {projects:?}"
    );
    let made = settled(&c, "the task's project and its classes", |k| !k.is_empty()).await;
    assert_eq!(
        class_names(&made),
        STARTER_CLASSES,
        "the task's classes ({TEACH_LESSON} task 0)"
    );

    // Three drawers of a different character for each class.
    for (name, character) in STARTER_CLASSES.iter().zip(&CHARACTERS) {
        teach(&c, name, &drawings(character)[..3]).await;
    }
    settled(&c, "three classes of three drawings, embedded", |k| {
        STARTER_CLASSES.iter().all(|name| holds(k, name, 3))
    })
    .await;

    // Another project open, one with no examples: scoring it would say "give examples first".
    open_project(&c, STARTER).await;
    let starter = settled(&c, "the starter project", |k| !k.is_empty()).await;
    assert!(
        starter.iter().all(|k| k.count == 0),
        "the starter project has no examples: {starter:?}"
    );

    open_lesson(&c, TEACH_LESSON).await;
    let first = check_teach_task(&c).await;
    println!("CPU: teach check with \"{STARTER}\" open: {first:?}");
    let Checked::Scored { text, reached } = &first else {
        panic!(
            "the check scores the task's project \"{TEACH_LESSON_TITLE}\", not the open (empty) \
             \"{STARTER}\": {first:?}"
        );
    };
    let score = percent(text);
    println!("CPU: the task's project scores {score}% (target 80%, reached {reached})");
    assert!((0.0..=100.0).contains(&score), "a score in percent: {text}");

    // After a reload, with the starter open again: still the task's project, the same score.
    reload(&c).await;
    wait_for_projects(&c, 2).await;
    open_project(&c, STARTER).await;
    open_lesson(&c, TEACH_LESSON).await;
    let again = check_teach_task(&c).await;
    println!("CPU after a reload: teach check with \"{STARTER}\" open: {again:?}");
    let Checked::Scored {
        text: text_again, ..
    } = &again
    else {
        panic!(
            "after a reload the check still scores the task's project \"{TEACH_LESSON_TITLE}\": \
             {again:?}"
        );
    };
    assert_eq!(
        percent(text_again),
        score,
        "the same project, the same score after a reload"
    );
    c.close().await.unwrap();
}

/// "Improve" cancelled right after it started stops early, says so, and leaves the model as it
/// was (the test pad answers with the class averages, not a fine-tuned head); "Improve" run in
/// full then gives the fine-tuned model.
///
/// Catches: a cancelled run that still saved its half-trained head (or never stopped), and a
/// cancel that left the page saying nothing.
#[tokio::test(flavor = "multi_thread")]
async fn cancelling_improve_keeps_the_model_as_it_was() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("cancel-improve").await;
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
    let max: usize = attr_of(&c, "[data-testid=improve-progress]", "max")
        .await
        .and_then(|m| m.parse().ok())
        .expect("the steps of a full Improve (improve-progress max)");

    // "Improve", and "Cancel" as soon as it can be pressed. On the CPU a full run on four
    // drawings may take well under a second, less than two WebDriver round trips may: so both
    // presses are made in one script, the second as soon as the page shows the run (Cancel
    // enabled, no data-done), which it observes rather than waits a fixed time for.
    let started = Instant::now();
    let when_cancelled = c
        .execute(
            r#"const [improve, cancel, progress] = ['improve', 'cancel-improve', 'improve-progress']
                .map(id => document.querySelector(`[data-testid=${id}]`));
            return new Promise(resolve => {
                let pressed = false;
                const press = () => {
                    if (pressed || cancel.disabled || progress.hasAttribute('data-done')) return;
                    pressed = true;
                    observer.disconnect();
                    cancel.click();
                    resolve(progress.value);
                };
                const observer = new MutationObserver(press);
                observer.observe(cancel.parentElement, { attributes: true, subtree: true });
                improve.click();
                press();
            });"#,
            vec![],
        )
        .await
        .expect("Improve to start (Cancel enabled, improve-progress without data-done), and Cancel pressed");
    let done: usize = until(
        "Improve to stop after Cancel (improve-progress data-done set)",
        || async {
            attr_of(&c, "[data-testid=improve-progress]", "data-done")
                .await?
                .parse()
                .ok()
        },
    )
    .await;
    let status = status_line(&c).await;
    println!(
        "CPU: Cancel pressed after {when_cancelled} steps; Improve stopped after {done} of {max} \
         steps, {:?} after it started; status \"{status}\"",
        started.elapsed()
    );
    assert!(
        done < max,
        "Cancel stops Improve early: {done} of {max} steps"
    );
    assert!(
        status.to_lowercase().contains("cancel"),
        "the status says Improve was cancelled: \"{status}\""
    );
    let answer = test_drawing(&c, &taught[0][2]).await;
    println!(
        "CPU after Cancel: a third drawer's {} -> {} ({}), fine-tuned {}",
        STARTER_CLASSES[0], answer.label, answer.confidence, answer.fine_tuned
    );
    assert!(
        !answer.fine_tuned,
        "a cancelled Improve leaves the model as it was (no fine-tuned head)"
    );

    // In full: the fine-tuned model answers.
    click(&c, "improve").await;
    until(
        "Improve to run all its steps (improve-progress data-done equal to its max)",
        || async {
            attr_of(&c, "[data-testid=improve-progress]", "data-done")
                .await
                .filter(|done| *done == max.to_string())
        },
    )
    .await;
    let answer = test_drawing(&c, &taught[1][2]).await;
    println!(
        "CPU after a full Improve: a third drawer's {} -> {} ({}), fine-tuned {}",
        STARTER_CLASSES[1], answer.label, answer.confidence, answer.fine_tuned
    );
    assert!(
        answer.fine_tuned,
        "a full Improve gives the fine-tuned model"
    );
    c.close().await.unwrap();
}

/// Each learning strategy of the settings (incremental, replay, forgetting) answers the test
/// pad: a class of the project, with a confidence in (0, 1].
///
/// Catches: a strategy whose model cannot be built from the project (no answer, or the answer
/// of another question), or whose confidence is not a probability.
#[tokio::test(flavor = "multi_thread")]
async fn every_learning_strategy_answers() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("strategies").await;
    let taught: Vec<_> = CHARACTERS[..3].iter().map(|ch| drawings(ch)).collect();
    for (name, shapes) in STARTER_CLASSES.iter().zip(&taught) {
        teach(&c, name, &shapes[..2]).await;
    }
    settled(&c, "three classes of two drawings, embedded", |k| {
        STARTER_CLASSES.iter().all(|name| holds(k, name, 2))
    })
    .await;

    let offered = each_of(&c, "[data-testid=strategy] option", "e.value").await;
    assert_eq!(
        offered,
        ["incremental", "replay", "forgetting"],
        "the strategies offered"
    );
    let select = c
        .find(Locator::Css("[data-testid=strategy]"))
        .await
        .unwrap();
    for (k, strategy) in offered.iter().enumerate() {
        select.select_by_value(strategy).await.unwrap();
        assert_eq!(
            select.prop("value").await.unwrap().as_deref(),
            Some(strategy.as_str()),
            "the strategy is chosen"
        );
        // A third drawer's drawing of one of the classes (another class for each strategy).
        let class = k % STARTER_CLASSES.len();
        let answer = test_drawing(&c, &taught[class][2]).await;
        let confidence: f64 = answer
            .confidence
            .parse()
            .unwrap_or_else(|_| panic!("a confidence: {answer:?}"));
        println!(
            "CPU, {strategy}: a third drawer's {} -> {} ({confidence})",
            STARTER_CLASSES[class], answer.label
        );
        assert!(
            STARTER_CLASSES.contains(&answer.label.as_str()),
            "{strategy}: the answer is one of the classes: {answer:?}"
        );
        assert!(
            confidence > 0.0 && confidence <= 1.0,
            "{strategy}: a confidence in (0, 1]: {answer:?}"
        );
    }
    c.close().await.unwrap();
}

/// Whether `text` holds a CJK unified ideograph (U+4E00..U+9FFF).
fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|ch| ('\u{4E00}'..='\u{9FFF}').contains(&ch))
}

/// The status line's text (empty when it is not there).
async fn status_line(c: &Client) -> String {
    text_of(c, "[data-testid=status]").await.unwrap_or_default()
}

/// Choose the UI language `code` with the header's language menu.
async fn choose_language(c: &Client, code: &str) {
    c.find(Locator::Css("[data-testid=language]"))
        .await
        .unwrap()
        .select_by_value(code)
        .await
        .unwrap();
}

/// The status line ("Ready. Backend: ...") is in the UI's language: it changes to Chinese as
/// soon as the page does, and back to English with it.
///
/// Catches: the status kept as a text in the language it was made in, so after a switch the
/// page spoke Chinese but its status line still said "Ready".
#[tokio::test(flavor = "multi_thread")]
async fn the_status_line_follows_a_language_switch() {
    let _turn = ONE_AT_A_TIME.lock().await;
    // `start` waits for "Ready" (in English) on the status line.
    let (_driver, c) = start("language").await;
    let english_nav = text_of(&c, "[data-testid=nav-home]")
        .await
        .expect("the Learn page's button");
    let ready = status_line(&c).await;
    assert!(ready.starts_with("Ready"), "English at first: \"{ready}\"");

    choose_language(&c, "zh-CN").await;
    // The page has switched once its own labels have (the Learn page's button)...
    let chinese_nav = until(
        "the page in Chinese (the nav-home button's label)",
        || async {
            text_of(&c, "[data-testid=nav-home]")
                .await
                .filter(|label| has_cjk(label))
        },
    )
    .await;
    // ...and the status line with it.
    let chinese = until_within(
        AT_ONCE,
        "the status line in Chinese (a CJK character, no longer \"Ready\") once the page is",
        || async { Some(status_line(&c).await).filter(|s| !s.starts_with("Ready") && has_cjk(s)) },
    )
    .await;
    println!("zh-CN: \"{chinese_nav}\", status \"{chinese}\"");

    choose_language(&c, "en").await;
    until(
        "the page in English again (the nav-home button's label)",
        || async {
            text_of(&c, "[data-testid=nav-home]")
                .await
                .filter(|label| *label == english_nav)
        },
    )
    .await;
    let english = until_within(
        AT_ONCE,
        "the status line in English again (\"Ready\") once the page is",
        || async { Some(status_line(&c).await).filter(|s| s.starts_with("Ready")) },
    )
    .await;
    println!("en: \"{english_nav}\", status \"{english}\"");
    assert_eq!(english, ready, "the same status as before the switch");
    c.close().await.unwrap();
}

/// Where a free-answer question is among the built-in lessons.
struct FreeQuestion {
    lesson: String,
    task: usize,
    /// The questions of its quiz task, up to and including it.
    questions: Vec<Question>,
}

/// The first free-answer question of a quiz task in the built-in lessons (`public/lessons/`,
/// files in name order).
fn builtin_free_question() -> FreeQuestion {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(LESSONS);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let lesson = inkling::lesson::import(&std::fs::read(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (task, t) in lesson.tasks.iter().enumerate() {
            let Task::Quiz { questions, .. } = t else {
                continue;
            };
            if let Some(at) = questions
                .iter()
                .position(|q| matches!(q, Question::Free { .. }))
            {
                return FreeQuestion {
                    lesson: lesson.id.to_string(),
                    task,
                    questions: questions[..=at].to_vec(),
                };
            }
        }
    }
    panic!(
        "no built-in lesson in {} has a free-answer quiz question",
        dir.display()
    );
}

/// Open the lesson's quiz task and answer its questions before the free one right (as the
/// lesson says); wait until the free one is asked.
async fn reach_free_question(c: &Client, found: &FreeQuestion) {
    open_lesson(c, &found.lesson).await;
    let tabs = c
        .find_all(Locator::Css("[data-testid=task-tab]"))
        .await
        .unwrap();
    assert!(found.task < tabs.len(), "a tab for task {}", found.task);
    tabs[found.task].click().await.unwrap();
    let total = found.questions.len();
    for (i, q) in found.questions[..total - 1].iter().enumerate() {
        until(&format!("question {} of the quiz", i + 1), || async {
            text_of(c, "[data-testid=quiz] .prompt")
                .await
                .filter(|p| p.starts_with(&format!("{}/", i + 1)))
        })
        .await;
        match q {
            Question::Choice { answer, .. } => {
                c.find(Locator::Css(&format!(
                    "[data-testid=quiz-option][data-index='{answer}']"
                )))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            }
            Question::Free { answers, .. } => type_into(c, "quiz-answer", &answers[0]).await,
        }
        click(c, "quiz-check").await;
        until(&format!("the verdict on question {}", i + 1), || async {
            attr_of(c, "[data-testid=quiz-verdict]", "data-correct").await
        })
        .await;
        click(c, "quiz-next").await;
    }
    let Question::Free { prompt, .. } = &found.questions[total - 1] else {
        unreachable!("the last question is the free one");
    };
    until(
        &format!("the free-answer question {total} (its answer field)"),
        || async {
            let shown = text_of(c, "[data-testid=quiz] .prompt").await?;
            let field = c.find(Locator::Css("[data-testid=quiz-answer]")).await.ok();
            (field.is_some()
                && shown.starts_with(&format!("{total}/"))
                && shown.contains(prompt.trim()))
            .then_some(())
        },
    )
    .await;
}

/// Type `answer` into the free-answer field, check it, and return the verdict
/// (`data-correct`).
async fn judge(c: &Client, answer: &str) -> bool {
    type_into(c, "quiz-answer", answer).await;
    click(c, "quiz-check").await;
    let verdict = until("the verdict on the free answer", || async {
        attr_of(c, "[data-testid=quiz-verdict]", "data-correct").await
    })
    .await;
    verdict == "true"
}

/// A built-in quiz question answered in words: an accepted answer (in other case, with spaces
/// around it) is judged right, another answer wrong.
///
/// Catches: free answers compared byte for byte (case, spaces), or every typed answer judged
/// the same way.
#[tokio::test(flavor = "multi_thread")]
async fn a_free_text_quiz_answer_is_judged() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let found = builtin_free_question();
    let Some(Question::Free {
        prompt, answers, ..
    }) = found.questions.last()
    else {
        unreachable!("the last question is the free one");
    };
    println!(
        "lesson {} task {} question {}: \"{prompt}\" accepts {answers:?}",
        found.lesson,
        found.task,
        found.questions.len()
    );
    let (_driver, c) = start("free-answer").await;

    reach_free_question(&c, &found).await;
    let right = format!("  {}  ", answers[0].to_uppercase());
    assert!(
        judge(&c, &right).await,
        "\"{right}\" is an accepted answer (case and surrounding spaces ignored)"
    );

    // The same question again (the lesson opened anew), answered wrong.
    let wrong = "I do not know";
    assert!(!answers.iter().any(|a| a.eq_ignore_ascii_case(wrong)));
    reach_free_question(&c, &found).await;
    assert!(
        !judge(&c, wrong).await,
        "\"{wrong}\" is not an accepted answer"
    );
    c.close().await.unwrap();
}

/// Press `first` and `second` (`data-testid`s) in one script, as fast as two clicks can come:
/// the work the first one starts is still running when the second lands.
async fn press_together(c: &Client, first: &str, second: &str) {
    c.execute(
        "for (const id of arguments) document.querySelector(`[data-testid=${id}]`).click()",
        vec![serde_json::json!(first), serde_json::json!(second)],
    )
    .await
    .unwrap();
}

/// Practice checks finished (`data-checked` of the practice task), applied or not.
async fn checks_done(c: &Client) -> Option<usize> {
    attr_of(c, "[data-testid=practice]", "data-checked")
        .await?
        .parse()
        .ok()
}

/// A drawing for the Greek letter `glyph` (another writer's).
fn greek(glyph: &str) -> Vec<inkling::learn::preprocess::Stroke> {
    use inkling::lesson::builtin::GREEK_LETTERS;
    let (character, _) = GREEK_LETTERS
        .iter()
        .find(|(_, name)| *name == glyph)
        .expect("a Greek letter");
    drawings(&format!("Greek/{character}"))[5].clone()
}

/// A student checks a practice drawing and at once asks for the next prompt: the verdict on
/// the old drawing is not shown on the new prompt (nor recorded against it); then checks and
/// at once leaves the lesson: the app keeps working (the lesson opens and judges again).
///
/// Catches: the check judged against whatever glyph was asked when its embedding came back,
/// and read the practice model after the lesson view was gone (a panic that stopped the app).
#[tokio::test(flavor = "multi_thread")]
async fn a_practice_check_lands_on_its_own_prompt_or_not_at_all() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_driver, c) = start("practice-moved-on").await;
    open_lesson(&c, "greek-letters").await;
    let ready = || async {
        attr_of(&c, "[data-testid=practice]", "data-ready")
            .await
            .filter(|r| r == "true")
    };
    until("the practice model", ready).await;
    let prompt = || async { attr_of(&c, "[data-testid=practice-prompt]", "data-glyph").await };

    // Check, and at once Next.
    let asked = until("a prompt", prompt).await;
    draw(&c, "practice-canvas", &greek(&asked)).await;
    press_together(&c, "practice-check", "practice-next").await;
    until("the check to finish", || async {
        checks_done(&c).await.filter(|&n| n == 1)
    })
    .await;
    let now_asked = until("a prompt", prompt).await;
    assert_ne!(now_asked, asked, "Next asked for another glyph");
    assert!(
        c.find(Locator::Css("[data-testid=practice-verdict]"))
            .await
            .is_err(),
        "no verdict on the new prompt for the drawing of the old one"
    );

    // The new prompt is judged as usual.
    draw(&c, "practice-canvas", &greek(&now_asked)).await;
    click(&c, "practice-check").await;
    until("the verdict", || async {
        attr_of(&c, "[data-testid=practice-verdict]", "data-correct").await
    })
    .await;
    click(&c, "practice-next").await;

    // Check, and at once leave the lesson.
    let asked = until("a prompt", prompt).await;
    draw(&c, "practice-canvas", &greek(&asked)).await;
    press_together(&c, "practice-check", "lesson-home").await;
    wait_for_home(&c).await;
    open_lesson(&c, "greek-letters").await;
    until("the practice model again", ready).await;
    let asked = until("a prompt", prompt).await;
    draw(&c, "practice-canvas", &greek(&asked)).await;
    click(&c, "practice-check").await;
    let verdict = until("the verdict after coming back", || async {
        attr_of(&c, "[data-testid=practice-verdict]", "data-correct").await
    })
    .await;
    println!("after leaving during a check: judged {verdict}");
    c.close().await.unwrap();
}
