//! A lesson as a student takes it: its tasks in order. Quiz: answer, see why. Practice: write
//! the glyph asked for, a model that starts from the teacher's references (and learns from the
//! student's corrections, kept with the student's knowledge) judges it. Teach: open the classes as a project, then check the
//! model against the teacher's target. Every judged answer is an outcome (mastery, review).

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::components::sentence_box::SentenceBox;
use super::drawing_pad::DrawingPad;
use super::engine::Engine;
use super::i18n::{t, text, tw};
use super::learning::{Learning, Page};
use super::text_engine::TextModel;
use crate::learn::preprocess::Stroke;
use crate::learn::prototypes::{OnlineStrategy, Prototypes};
use crate::lesson::{Lesson, LessonClass, Metric, Question, Task, classes_are_text};
use crate::project::Project;

type EngineSignal = RwSignal<Option<Rc<Engine>>, LocalStorage>;

#[component]
pub fn LessonView(
    learning: Learning,
    id: String,
    engine: EngineSignal,
    text_model: TextModel,
) -> impl IntoView {
    let Some(lesson) = learning.library.with_untracked(|l| l.get(&id).cloned()) else {
        return view! { <p class="status">{t("lesson-missing")}</p> }.into_any();
    };
    let task = RwSignal::new(0usize);
    let lesson = Arc::new(lesson);
    let count = lesson.tasks.len();
    let tabs = lesson
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let title = t.title().to_string();
            view! {
                <button
                    data-testid="task-tab"
                    class:current=move || task.get() == i
                    on:click=move |_| task.set(i)
                >{format!("{}. {title}", i + 1)}</button>
            }
        })
        .collect_view();
    let shown = lesson.clone();
    view! {
        <section class="lesson" data-testid="lesson-view" data-lesson=lesson.id.clone()>
            <button on:click=move |_| learning.page.set(Page::Home)>{t("lesson-home")}</button>
            <h2>{lesson.title.clone()}</h2>
            <p class="hint">{lesson.description.clone()}</p>
            <nav class="tasks">{tabs}</nav>
            {move || {
                let i = task.get().min(count - 1);
                let lesson = shown.clone();
                match lesson.tasks[i].clone() {
                    Task::Quiz { questions, .. } => view! { <Quiz learning lesson=lesson.id.clone() task=i questions/> }.into_any(),
                    Task::Practice { classes, instructions, .. } => {
                        view! { <Practice learning lesson=lesson.id.clone() task=i classes instructions engine text_model/> }.into_any()
                    }
                    Task::Teach { classes, instructions, target, .. } => {
                        view! { <Teach learning lesson=lesson.clone() task=i classes instructions metric=target.metric value=target.value/> }.into_any()
                    }
                }
            }}
        </section>
    }
    .into_any()
}

/// One question at a time; the answer is judged, explained, and recorded.
#[component]
fn Quiz(
    learning: Learning,
    lesson: String,
    task: usize,
    questions: Vec<Question>,
) -> impl IntoView {
    let at = RwSignal::new(0usize);
    let answer = RwSignal::new(String::new());
    let verdict = RwSignal::new(None::<bool>);
    let questions = Arc::new(questions);
    let total = questions.len();
    let shown = questions.clone();
    let check = move |_| {
        let q = &questions[at.get_untracked()];
        let correct = q.is_correct(&answer.get_untracked());
        verdict.set(Some(correct));
        learning.record(
            &lesson,
            task,
            &format!("{lesson}/{task}/{}", at.get_untracked()),
            correct,
        );
    };
    view! {
        <div class="quiz" data-testid="quiz">
            {move || {
                let i = at.get();
                if i >= total {
                    return view! { <p data-testid="quiz-done">{t("quiz-done")}</p> }.into_any();
                }
                let q = shown[i].clone();
                let (prompt, explanation) = q.prompt_and_explanation();
                let (prompt, explanation) = (prompt.to_string(), explanation.to_string());
                let input = match &q {
                    Question::Choice { options, .. } => options
                        .iter()
                        .enumerate()
                        .map(|(k, o)| view! {
                            <label class="option">
                                <input
                                    type="radio"
                                    name="quiz-option"
                                    data-testid="quiz-option"
                                    data-index=k
                                    on:change=move |_| answer.set(k.to_string())
                                />
                                {o.clone()}
                            </label>
                        })
                        .collect_view()
                        .into_any(),
                    Question::Free { .. } => view! {
                        <input
                            data-testid="quiz-answer"
                            prop:value=move || answer.get()
                            on:input=move |ev| answer.set(event_target_value(&ev))
                        />
                    }
                    .into_any(),
                };
                view! {
                    <p class="prompt">{format!("{}/{total}. ", i + 1)}{prompt}</p>
                    <div>{input}</div>
                    <button data-testid="quiz-check" disabled=move || verdict.get().is_some() on:click=check.clone()>{t("quiz-check")}</button>
                    {move || verdict.get().map(|ok| view! {
                        <p data-testid="quiz-verdict" data-correct=ok.to_string() class:right=ok class:wrong=!ok>
                            {t(if ok { "quiz-right" } else { "quiz-not-quite" })}" "{explanation.clone()}
                        </p>
                        <button data-testid="quiz-next" on:click=move |_| {
                            verdict.set(None);
                            answer.set(String::new());
                            at.update(|a| *a += 1);
                        }>{t("quiz-next")}</button>
                    })}
                }
                .into_any()
            }}
        </div>
    }
}

/// What the practice model knows: embeddings per glyph, from the teacher's references and
/// the student's corrected drawings.
#[derive(Clone, Default)]
struct GlyphModel {
    examples: Vec<Vec<Vec<f32>>>,
}

impl GlyphModel {
    fn prototypes(&self, names: &[String]) -> Option<Prototypes> {
        let dim = self.examples.iter().flatten().next()?.len();
        let labelled: Vec<(usize, Vec<f32>)> = self
            .examples
            .iter()
            .enumerate()
            .flat_map(|(k, class)| class.iter().map(move |e| (k, e.clone())))
            .collect();
        Prototypes::from_labelled(
            dim,
            OnlineStrategy::Incremental,
            names.iter().cloned(),
            &labelled,
        )
        .ok()
    }
}

/// What the student wrote for the prompt: a drawing, or a sentence in a text task.
#[derive(Clone)]
enum Attempt {
    Drawing(Vec<Stroke>),
    Sentence(String),
}

/// Write the glyph (or, in a text task, a sentence of the class) asked for; due reviews are
/// asked first, then the glyphs in turn.
#[component]
fn Practice(
    learning: Learning,
    lesson: String,
    task: usize,
    classes: Vec<LessonClass>,
    instructions: String,
    engine: EngineSignal,
    text_model: TextModel,
) -> impl IntoView {
    let is_text = classes_are_text(&classes);
    let sentence = RwSignal::new(String::new());
    let names: Vec<String> = classes.iter().map(|c| c.name.clone()).collect();
    let model = StoredValue::new(GlyphModel::default());
    let loaded = RwSignal::new(false);
    // How many of the model's examples are the student's own drawings (shown to tests).
    let own_count = RwSignal::new(0usize);
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let asked = RwSignal::new(0usize);
    let judged = RwSignal::new(None::<(bool, usize)>);
    // The shown misjudgement was corrected (once is enough).
    let corrected = RwSignal::new(false);
    let turn = RwSignal::new(0usize);
    // Each glyph is a review card: `lesson/glyph`.
    let item = {
        let lesson = lesson.clone();
        move |k: usize, names: &[String]| format!("{lesson}/{}", names[k])
    };
    // The teacher's references and the student's own corrected drawings (kept from earlier
    // sessions), embedded once the model is ready.
    let references: Vec<Vec<Attempt>> = classes
        .iter()
        .map(|c| {
            c.examples
                .iter()
                .cloned()
                .map(Attempt::Drawing)
                .chain(c.sentences.iter().cloned().map(Attempt::Sentence))
                .collect()
        })
        .collect();
    let own_work: Vec<Vec<Attempt>> = learning.learner.with_untracked(|l| {
        (0..names.len())
            .map(|k| {
                let item = item(k, &names);
                l.handwriting_of(&item)
                    .iter()
                    .cloned()
                    .map(Attempt::Drawing)
                    .chain(l.sentences_of(&item).iter().cloned().map(Attempt::Sentence))
                    .collect()
            })
            .collect()
    });
    // The embedding of an attempt, by the model for its kind (None: not ready, or unreadable).
    let embed = move |attempt: Attempt| async move {
        match attempt {
            Attempt::Drawing(d) => engine.get_untracked()?.embed_strokes(&d).await.ok(),
            Attempt::Sentence(s) => text_model.engine.get_untracked()?.embed(&s).await.ok(),
        }
    };
    Effect::new(move |_| {
        let Some(engine) = engine.get() else {
            return;
        };
        if is_text {
            text_model.ensure(engine.device.clone());
            if text_model.engine.with(Option::is_none) {
                return;
            }
        }
        if loaded.get_untracked() {
            return;
        }
        let references = references.clone();
        let own_work = own_work.clone();
        spawn_local(async move {
            let mut examples = Vec::new();
            let mut own = 0;
            for (theirs, mine) in references.iter().zip(&own_work) {
                let mut class = Vec::new();
                // The teacher's references, then the student's own work.
                let sentences: Vec<&str> = theirs
                    .iter()
                    .chain(mine)
                    .filter_map(|a| match a {
                        Attempt::Sentence(s) => Some(s.as_str()),
                        Attempt::Drawing(_) => None,
                    })
                    .collect();
                if is_text && let Some(text_engine) = text_model.engine.get_untracked() {
                    // A text class's sentences in one forward pass.
                    if let Ok(embedded) = text_engine.encoder.embed_async(&sentences).await {
                        own += mine.len();
                        class = embedded;
                    }
                } else {
                    for (k, attempt) in theirs.iter().chain(mine).enumerate() {
                        if let Some(e) = embed(attempt.clone()).await {
                            class.push(e);
                            own += usize::from(k >= theirs.len());
                        }
                    }
                }
                examples.push(class);
            }
            model.set_value(GlyphModel { examples });
            own_count.set(own);
            loaded.set(true);
        });
    });
    // What the student has written for the prompt, if anything.
    let attempt = move || {
        if is_text {
            let s = sentence.get_untracked().trim().to_string();
            (!s.is_empty()).then_some(Attempt::Sentence(s))
        } else {
            let d = strokes.get_untracked();
            (!d.is_empty()).then_some(Attempt::Drawing(d))
        }
    };
    // Next prompt: a due item of this lesson if any, else the next glyph in turn.
    let next_prompt = {
        let names = names.clone();
        let item = item.clone();
        move || {
            let now = js_sys::Date::now();
            let due = learning.learner.with_untracked(|l| {
                l.due(now)
                    .iter()
                    .find_map(|c| (0..names.len()).find(|&k| item(k, &names) == c.item))
            });
            let k = due.unwrap_or_else(|| turn.get_untracked() % names.len());
            turn.update(|t| *t += 1);
            asked.set(k);
            judged.set(None);
            corrected.set(false);
            strokes.set(Vec::new());
            sentence.set(String::new());
        }
    };
    next_prompt();
    let check = {
        let names = names.clone();
        let lesson = lesson.clone();
        let item = item.clone();
        move |_| {
            let Some(attempt) = attempt() else {
                return;
            };
            let names = names.clone();
            let lesson = lesson.clone();
            let item = item.clone();
            spawn_local(async move {
                let Some(embedding) = embed(attempt).await else {
                    learning.ws.status.set(text("practice-unreadable"));
                    return;
                };
                let Some(prototypes) = model.with_value(|m| m.prototypes(&names)) else {
                    return;
                };
                let Ok(p) = prototypes.predict(&embedding, 0) else {
                    return;
                };
                let k = asked.get_untracked();
                let correct = p.best == k;
                judged.set(Some((correct, p.best)));
                learning.record(&lesson, task, &item(k, &names), correct);
            });
        }
    };
    // "I did write that": the drawing joins the asked glyph's examples (the model learns the
    // student's hand), and is kept with the student's knowledge for the next sessions.
    let correct_me = {
        let names = names.clone();
        let item_of = item.clone();
        move |_| {
            let Some(attempt) = attempt() else {
                return;
            };
            let k = asked.get_untracked();
            let item = item_of(k, &names);
            corrected.set(true);
            spawn_local(async move {
                if let Some(e) = embed(attempt.clone()).await {
                    model.update_value(|m| m.examples[k].push(e));
                    own_count.update(|n| *n += 1);
                    match attempt {
                        Attempt::Drawing(d) => learning.add_handwriting(&item, d),
                        Attempt::Sentence(s) => learning.add_sentence(&item, s),
                    }
                    learning.ws.status.set(text("practice-corrected"));
                }
            });
        }
    };
    let names_view = names.clone();
    let names_verdict = names.clone();
    view! {
        <div
            class="practice"
            data-testid="practice"
            data-ready=move || loaded.get().to_string()
            data-own-drawings=move || own_count.get()
        >
            <p class="hint">{instructions}</p>
            <p class="prompt">
                {t(if is_text { "practice-write-sentence" } else { "practice-write" })}" "
                <b data-testid="practice-prompt" data-glyph=move || names_view[asked.get()].clone()>
                    {let names = names.clone(); move || names[asked.get()].clone()}
                </b>
            </p>
            {if is_text {
                view! {
                    <SentenceBox value=sentence testid="practice-text"/>
                }.into_any()
            } else {
                view! { <DrawingPad strokes testid="practice-canvas"/> }.into_any()
            }}
            <button class="primary" data-testid="practice-check" disabled=move || !loaded.get() || judged.get().is_some() on:click=check>
                {t("practice-check")}
            </button>
            {move || judged.get().map(|(ok, said)| {
                let said_name = names_verdict[said].clone();
                let said_words = said_name.clone();
                view! {
                    <p data-testid="practice-verdict" data-correct=ok.to_string() data-said=said_name.clone() class:right=ok class:wrong=!ok>
                        {move || if ok { tw("practice-right", &[]) } else { tw("practice-looks-like", &[("glyph", said_words.clone().into())]) }}
                    </p>
                    {(!ok).then(|| view! {
                        <button
                            data-testid="practice-correct-me"
                            disabled=move || corrected.get()
                            on:click=correct_me.clone()
                        >{t("practice-correct-me")}</button>
                    })}
                }
            })}
            <button data-testid="practice-next" on:click=move |_| next_prompt()>{t("practice-next")}</button>
        </div>
    }
}

/// The teach task: open its classes as a project; check the model against the target on the
/// student's own drawings (each judged by the others).
#[component]
fn Teach(
    learning: Learning,
    lesson: Arc<Lesson>,
    task: usize,
    classes: Vec<LessonClass>,
    instructions: String,
    metric: Metric,
    value: f32,
) -> impl IntoView {
    let result = RwSignal::new(None::<Result<(f64, bool), String>>);
    let title = lesson.title.clone();
    let names: Vec<String> = classes.iter().map(|c| c.name.clone()).collect();
    let is_text = classes_are_text(&classes);
    // A text task's sentences are the teacher's examples of what to write.
    let hints = classes
        .iter()
        .flat_map(|c| c.sentences.iter().map(move |s| format!("{}: {s}", c.name)))
        .map(|line| view! { <li>{line}</li> })
        .collect_view();
    let lesson_id = lesson.id.clone();
    let start = move |_| {
        let lesson_id = lesson_id.clone();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let title: String = title.chars().take(60).collect();
        let project = if is_text {
            Project::new_text(&title, &refs)
        } else {
            Project::new(&title, &refs)
        };
        match project {
            Ok(project) => {
                // The check scores the project this made (kept per student, lesson and task),
                // whichever project is open then.
                if let Some(id) = learning.ws.create_from(project) {
                    let key = teach_project_key(&learning, &lesson_id, task);
                    if let Some(store) = learning.ws.store.get_untracked() {
                        spawn_local(async move {
                            let _ = store.set_setting(&key, id.as_str()).await;
                        });
                    }
                }
                learning.page.set(Page::Projects);
            }
            Err(e) => learning.ws.status.set(e.to_string()),
        }
    };
    let metric_name = match metric {
        Metric::Accuracy => "metric-accuracy",
        Metric::MacroF1 => "metric-macro-f1",
    };
    let lesson_id = lesson.id.clone();
    let check = move |_| {
        let ws = learning.ws;
        let lesson_id = lesson_id.clone();
        spawn_local(async move {
            let key = teach_project_key(&learning, &lesson_id, task);
            let set = match ws.store.get_untracked() {
                Some(store) => {
                    let made = store.setting(&key).await.ok().flatten();
                    match made {
                        Some(id) if ws.open.with_untracked(|o| o.id().as_str() == id) => {
                            Ok(ws.open.with_untracked(|o| o.training_set()))
                        }
                        Some(id) => {
                            stored_training_set(&store, &ws.profile.get_untracked(), &id).await
                        }
                        None => Err(text("teach-start-first")),
                    }
                }
                // Without a store the page holds one project: the one open.
                None => Ok(ws.open.with_untracked(|o| o.training_set())),
            };
            let score = set.and_then(|set| {
                set.evaluate(OnlineStrategy::Incremental)
                    .map(|cm| match metric {
                        Metric::Accuracy => cm.accuracy(),
                        Metric::MacroF1 => cm.macro_f1(),
                    })
                    .map_err(|e| match e {
                        crate::learn::prototypes::PrototypeError::NoExamples => {
                            text("eval-need-examples")
                        }
                        e => e.to_string(),
                    })
            });
            let outcome = score.map(|s| (s, s >= f64::from(value)));
            if let Ok((_, reached)) = outcome {
                learning.record(&lesson_id, task, &format!("{lesson_id}/{task}"), reached);
            }
            // The student may have left the lesson meanwhile.
            _ = result.try_set(Some(outcome));
        });
    };
    view! {
        <div class="teach-task" data-testid="teach-task">
            <p class="hint">{instructions}</p>
            <ul class="hint">{hints}</ul>
            <p>{move || tw("teach-target", &[
                ("metric", tw(metric_name, &[]).into()),
                ("percent", format!("{:.0}", value * 100.0).into()),
            ])}</p>
            <button data-testid="teach-start" on:click=start>{t("teach-start")}</button>
            <button data-testid="teach-check" on:click=check>{t("teach-check")}</button>
            {move || result.get().map(|r| match r {
                Ok((score, reached)) => view! {
                    <p data-testid="teach-result" data-reached=reached.to_string()>
                        {move || tw("teach-score", &[
                            ("metric", tw(metric_name, &[]).into()),
                            ("percent", format!("{:.0}", score * 100.0).into()),
                        ])}" "
                        {t(if reached { "teach-reached" } else { "teach-not-yet" })}
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="status">{e}</p> }.into_any(),
            })}
        </div>
    }
}

/// The setting that remembers which project a teach task made, per student.
fn teach_project_key(learning: &Learning, lesson: &str, task: usize) -> String {
    format!(
        "teach-project/{}/{lesson}/{task}",
        learning.ws.profile.get_untracked()
    )
}

/// The training set of a stored project of `profile` (one that is not open).
async fn stored_training_set(
    store: &crate::store::idb::Store,
    profile: &str,
    id: &str,
) -> Result<crate::personal::TrainingSet, String> {
    let records = store.projects(profile).await.map_err(|e| e.to_string())?;
    let Some(record) = records.into_iter().find(|r| r.id == id) else {
        return Err(text("teach-start-first"));
    };
    let encoder = super::library::encoder_id(record.kind);
    let (project, embeddings) = store
        .load_project(&record, &encoder)
        .await
        .map_err(|e| e.to_string())?;
    Ok(crate::personal::TrainingSet::of(&project, &embeddings))
}
