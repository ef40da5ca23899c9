//! The web app (leptos, client-side): a student teaches a personal model by drawing. Browser
//! only; the logic it calls lives in `learn` and `project`.

mod download;
mod drawing_pad;
mod editor;
mod engine;
mod files;
mod home;
mod i18n;
mod learning;
mod lesson_view;
mod library;
mod project_bar;
mod text_engine;
mod thumbnail;

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::learn::finetune::FineTuneConfig;

use crate::learn::evaluate::leave_one_out;
use crate::learn::metrics::ConfusionMatrix;
use crate::learn::preprocess::Stroke;
use crate::learn::prototypes::{OnlineStrategy, Prototypes};
use crate::project::{Project, ProjectExample, ProjectKind};
use drawing_pad::DrawingPad;
pub use engine::{Backend, BackendRequest, Engine};
use library::{Tuned, Workspace, example_ids};
use text_engine::TextModel;
use thumbnail::Thumbnail;

use self::i18n::{t, text, text_with, tw};

/// One line of the prediction panel.
#[derive(Clone, PartialEq)]
struct Ranked {
    label: String,
    confidence: f32,
}

/// What the test pad shows: the top classes and the student's nearest examples.
#[derive(Clone, PartialEq)]
struct TestResult {
    /// Whether the fine-tuned model answered (else the prototypes).
    fine_tuned: bool,
    /// Milliseconds from the end of the stroke to this answer (a benchmark reads it).
    latency_ms: f64,
    /// How many strokes the drawing had when this was computed (tests wait on it).
    strokes: usize,
    /// The sentence this answers (text projects).
    text: String,
    top: Vec<Ranked>,
    nearest: Vec<(String, ProjectExample)>,
}

/// Fine-tuning steps of "Improve" on a text project's sentence embeddings (a head alone: each
/// step is one small product), and its learning rate (measured on Banking77, see the README).
const TEXT_STEPS: usize = 60;
const TEXT_LEARNING_RATE: f64 = 1e-2;

/// The personal model of `project`: a prototype per class from the cached embeddings.
fn personal_model(
    project: &Project,
    embeddings: &HashMap<u64, Vec<f32>>,
    strategy: OnlineStrategy,
) -> Option<Prototypes> {
    let dim = embeddings.values().next()?.len();
    let mut model = Prototypes::new(dim, strategy).ok()?;
    for class in &project.classes {
        let k = model.add_class(class.name.clone());
        for example in &class.examples {
            if let Some(e) = embeddings.get(&example.id) {
                model.add_example(k, e.clone()).ok()?;
            }
        }
    }
    Some(model)
}

/// Milliseconds since the page's navigation began.
fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// The online strategies a student can pick (key, message id of its label), with the app's
/// settings for each.
const STRATEGIES: [(&str, &str, OnlineStrategy); 3] = [
    (
        "incremental",
        "settings-strategy-incremental",
        OnlineStrategy::Incremental,
    ),
    (
        "replay",
        "settings-strategy-replay",
        OnlineStrategy::Replay {
            capacity: 20,
            seed: 1,
        },
    ),
    (
        "forgetting",
        "settings-strategy-forgetting",
        OnlineStrategy::Forgetting {
            decay: 0.8,
            evict_below: 0.05,
        },
    ),
];

#[component]
pub fn App() -> impl IntoView {
    let status = RwSignal::new(text("status-loading"));
    let ws = Workspace::new(status);
    let Workspace {
        project,
        selected,
        embeddings,
        tuned,
        losses,
        ..
    } = ws;
    let engine = RwSignal::new_local(None::<Rc<Engine>>);
    let teach_strokes = RwSignal::new(Vec::<Stroke>::new());
    let test_strokes = RwSignal::new(Vec::<Stroke>::new());
    // Text projects: the sentence encoder (fetched when a text project is first opened), its
    // download progress, the sentence being written as an example and the one being tested.
    let text_model = TextModel::new(status);
    let TextModel {
        engine: text_engine,
        progress: text_progress,
        ..
    } = text_model;
    let teach_text = RwSignal::new(String::new());
    let test_text = RwSignal::new(String::new());
    let is_text = Memo::new(move |_| project.with(|p| p.kind == ProjectKind::Text));
    // Each drawing asked about gets a number; only the newest one's answer is shown.
    let asked = StoredValue::new(0u64);
    // The sentence being embedded, whether the text changed since, and when it last changed.
    let text_busy = StoredValue::new(false);
    let text_again = StoredValue::new(false);
    let typed_at = StoredValue::new(0.0f64);
    let result = RwSignal::new(None::<TestResult>);
    let new_class = RwSignal::new(String::new());
    let strategy = RwSignal::new(OnlineStrategy::Incremental);
    let improving = RwSignal::new(false);
    let cancel = RwSignal::new(false);
    let drawing_steps = FineTuneConfig::new().steps;
    let steps = move || {
        if is_text.get() {
            TEXT_STEPS
        } else {
            drawing_steps
        }
    };
    // Milliseconds since navigation began when the model was ready (cold load to interactive),
    // and per fine-tuning step in the last "Improve": measured, shown to benchmarks.
    let ready_ms = RwSignal::new(None::<f64>);
    let step_ms = RwSignal::new(None::<f64>);

    let search = window().location().search().unwrap_or_default();
    let request = BackendRequest::current(&search);
    let learning = learning::Learning::new(ws);
    let page = learning.page;
    spawn_local(async move {
        ws.start().await;
        learning.load().await;
    });
    // Every change to the open project is written to the store, in order.
    Effect::new(move |_| ws.save_changes());
    // Examples without an embedding (imported, or made by another encoder) get one once the
    // model is ready.
    Effect::new(move |_| {
        let Some(engine) = engine.get() else {
            return;
        };
        let text_engine = text_engine.get();
        let missing: Vec<ProjectExample> = project.with(|p| {
            embeddings.with_untracked(|cache| {
                p.classes
                    .iter()
                    .flat_map(|c| c.examples.iter())
                    .filter(|e| !cache.contains_key(&e.id))
                    .cloned()
                    .collect()
            })
        });
        if missing.is_empty() {
            return;
        }
        spawn_local(async move {
            for example in missing {
                let embedding = match (&example.text, &text_engine) {
                    (Some(sentence), Some(text_engine)) => text_engine.embed(sentence).await,
                    (Some(_), None) => continue,
                    (None, _) => engine.embed_strokes(&example.strokes).await,
                };
                if let Ok(e) = embedding {
                    embeddings.update(|m| {
                        m.insert(example.id, e);
                    });
                }
            }
        });
    });
    // A text project needs the sentence encoder: fetched (or read from the cache) once, on
    // the device the drawing engine chose.
    Effect::new(move |_| {
        if let Some(engine) = engine.get()
            && is_text.get()
        {
            text_model.ensure(engine.device.clone());
        }
    });
    spawn_local(async move {
        match Engine::load(request).await {
            Ok(e) => {
                status.set(text_with("status-ready", &[("reason", (&e.reason).into())]));
                ready_ms.set(Some(now_ms()));
                engine.set(Some(Rc::new(e)));
            }
            Err(e) => status.set(text_with("status-load-failed", &[("error", e.into())])),
        }
    });

    // Show the answer of the personal model for `embedding` (of a drawing with `strokes`
    // strokes, or of `sentence`), asked at `started` ms.
    let show = move |embedding: Vec<f32>, started: f64, strokes: usize, sentence: String| {
        let project = project.get_untracked();
        let cache = embeddings.get_untracked();
        let Some(model) = personal_model(&project, &cache, strategy.get_untracked()) else {
            status.set(text("test-need-examples"));
            return;
        };
        let Ok(p) = model.predict(&embedding, 3) else {
            status.set(text("test-need-examples"));
            return;
        };
        // The model's example ids, in project order: what the fine-tuned model must have
        // trained on to answer, and how `nearest` maps back to examples.
        let ids = example_ids(&project, &cache);
        let mut probabilities = p.probabilities.clone();
        let mut fine_tuned = false;
        let tuned_probs = tuned.with_value(|t| {
            t.as_ref()
                .filter(|t| t.examples == ids && t.head.dim == embedding.len())
                .map(|t| t.head.probabilities(&embedding))
        });
        if let Some(probs) = tuned_probs
            && probs.len() == probabilities.len()
        {
            probabilities = probs;
            fine_tuned = true;
        }
        let mut top: Vec<Ranked> = model
            .classes()
            .iter()
            .zip(&probabilities)
            .map(|(c, &confidence)| Ranked {
                label: c.label.clone(),
                confidence,
            })
            .collect();
        top.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        top.truncate(3);
        let nearest = p
            .nearest
            .iter()
            .filter_map(|&(model_id, class, _)| {
                let example_id = *ids.get(model_id as usize)?;
                let c = &project.classes[class];
                let e = c.examples.iter().find(|e| e.id == example_id)?;
                Some((c.name.clone(), e.clone()))
            })
            .collect();
        result.set(Some(TestResult {
            fine_tuned,
            strokes,
            text: sentence,
            latency_ms: now_ms() - started,
            top,
            nearest,
        }));
    };

    let predict = move || {
        let Some(engine) = engine.get_untracked() else {
            return;
        };
        if is_text.get_untracked() {
            // Typing asks on every key: one sentence is embedded at a time, and when it is
            // done the newest text is asked next (keys typed meanwhile are not queued up).
            typed_at.set_value(now_ms());
            if text_busy.get_value() {
                text_again.set_value(true);
                return;
            }
            text_busy.set_value(true);
            spawn_local(async move {
                loop {
                    text_again.set_value(false);
                    let started = typed_at.get_value();
                    let sentence = test_text.get_untracked().trim().to_string();
                    match text_engine.get_untracked() {
                        _ if sentence.is_empty() => result.set(None),
                        None => status.set(text("text-model-not-ready")),
                        Some(text_engine) => match text_engine.embed(&sentence).await {
                            Ok(e) => show(e, started, 0, sentence),
                            Err(e) => {
                                status.set(text_with("pad-unreadable", &[("error", e.into())]))
                            }
                        },
                    }
                    if !text_again.get_value() {
                        break;
                    }
                }
                text_busy.set_value(false);
            });
            return;
        }
        let started = now_ms();
        let strokes = test_strokes.get_untracked();
        if strokes.is_empty() {
            result.set(None);
            return;
        }
        let question = asked.get_value() + 1;
        asked.set_value(question);
        spawn_local(async move {
            match engine.embed_strokes(&strokes).await {
                // A later stroke may have been answered first: show only the newest.
                Ok(e) if asked.get_value() == question => {
                    show(e, started, strokes.len(), String::new())
                }
                Ok(_) => {}
                Err(e) => status.set(text_with("pad-unreadable", &[("error", e.into())])),
            }
        });
    };

    let add_example = move |_| {
        let strokes = teach_strokes.get_untracked();
        let sentence = teach_text.get_untracked();
        let Some(class) = selected.get_untracked() else {
            status.set(text("class-choose-first"));
            return;
        };
        let Some(engine) = engine.get_untracked() else {
            status.set(text("status-still-loading"));
            return;
        };
        let text_engine = text_engine.get_untracked();
        let mut next = project.get_untracked();
        let added = if next.kind == ProjectKind::Text {
            if text_engine.is_none() {
                status.set(text("text-model-not-ready"));
                return;
            }
            next.add_text_example(class, &sentence)
        } else {
            next.add_example(class, strokes.clone())
        };
        let id = match added {
            Ok(id) => id,
            Err(e) => {
                status.set(e.to_string());
                return;
            }
        };
        spawn_local(async move {
            let embedding = match &text_engine {
                Some(text_engine) if next.kind == ProjectKind::Text => {
                    text_engine.embed(sentence.trim()).await
                }
                _ => engine.embed_strokes(&strokes).await,
            };
            match embedding {
                Ok(e) => {
                    embeddings.update(|m| {
                        m.insert(id, e);
                    });
                    project.set(next);
                    teach_strokes.set(Vec::new());
                    teach_text.set(String::new());
                    status.set(String::new());
                    predict();
                }
                Err(e) => status.set(text_with("pad-unreadable", &[("error", e.into())])),
            }
        });
    };

    let improve = move |_| {
        let Some(engine) = engine.get_untracked() else {
            status.set(text("status-still-loading"));
            return;
        };
        let project_now = project.get_untracked();
        let cache = embeddings.get_untracked();
        let mut drawings = Vec::new();
        let mut labels = Vec::new();
        for (k, class) in project_now.classes.iter().enumerate() {
            for e in &class.examples {
                drawings.push(e.strokes.clone());
                labels.push(k);
            }
        }
        let ids = example_ids(&project_now, &cache);
        let classes = project_now.classes.len();
        let (tuner, total_steps) = if project_now.kind == ProjectKind::Text {
            // A head on the sentence embeddings, from the examples' cached embeddings.
            // In project order, as `ids`.
            let examples = labelled_embeddings(&project_now, &cache);
            let rows: Vec<f32> = examples.iter().flat_map(|(_, e)| e.clone()).collect();
            let labels: Vec<usize> = examples.iter().map(|(k, _)| *k).collect();
            let ad = engine.device.clone().autodiff();
            let dim = crate::learn::text::EMBEDDING_DIM;
            let matrix = burn::tensor::Tensor::<2>::from_data(
                burn::tensor::TensorData::new(rows, [labels.len(), dim]),
                &ad,
            );
            let tuner = crate::learn::finetune::FineTuner::on_embeddings(
                matrix,
                &labels,
                classes,
                TEXT_LEARNING_RATE,
            )
            .map_err(|e| e.to_string());
            (tuner, TEXT_STEPS)
        } else {
            let config = FineTuneConfig::new();
            (
                engine.fine_tuner(&drawings, &labels, classes, &config),
                config.steps,
            )
        };
        let mut tuner = match tuner {
            Ok(t) => t,
            Err(e) => {
                status.set(text_with("improve-cannot", &[("error", e.into())]));
                return;
            }
        };
        improving.set(true);
        cancel.set(false);
        losses.set(Vec::new());
        spawn_local(async move {
            let started = now_ms();
            for _ in 0..total_steps {
                if cancel.get_untracked() {
                    break;
                }
                match tuner.step().await {
                    Ok(loss) => losses.update(|l| l.push(loss)),
                    Err(e) => {
                        status.set(text_with("improve-failed", &[("error", e.into())]));
                        break;
                    }
                }
                // Let the page paint between steps: the UI never freezes.
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            let done = losses.with_untracked(|l| l.len());
            if done > 0 && !cancel.get_untracked() {
                match tuner.head_weights().await {
                    Ok(head) => {
                        tuned.set_value(Some(Tuned {
                            examples: ids,
                            head,
                        }));
                        ws.save_model();
                        let per_step = (now_ms() - started) / done as f64;
                        step_ms.set(Some(per_step));
                        status.set(text_with(
                            "improve-done",
                            &[
                                ("steps", done.into()),
                                ("ms", format!("{per_step:.0}").into()),
                                ("backend", engine.backend.label().into()),
                            ],
                        ));
                        predict();
                    }
                    Err(e) => status.set(text_with("improve-failed", &[("error", e.into())])),
                }
            } else {
                status.set(text("improve-cancelled"));
            }
            improving.set(false);
        });
    };

    let add_class = move |_| {
        let name = new_class.get_untracked();
        let mut next = project.get_untracked();
        match next.add_class(&name) {
            Ok(id) => {
                project.set(next);
                selected.set(Some(id));
                new_class.set(String::new());
            }
            Err(e) => status.set(e.to_string()),
        }
    };

    view! {
        <header>
            <h1>"Inkling"</h1>
            <span class="backend">
                {t("header-backend")}
                <b data-testid="backend">{move || {
                    engine
                        .get()
                        .map(|e| e.backend.label().to_string())
                        .unwrap_or_else(|| tw("backend-loading", &[]))
                }}</b>
            </span>
            <label>
                {t("settings-language")} " "
                <select
                    data-testid="language"
                    on:change=move |ev| {
                        learning.set_language(
                            crate::i18n::Language::from_tag(&event_target_value(&ev)).unwrap_or_default(),
                        );
                    }
                >
                    {crate::i18n::Language::ALL
                        .into_iter()
                        .map(|l| {
                            let lang = i18n::language();
                            view! { <option value=l.code() prop:selected=move || lang.get() == l>{l.native_name()}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        </header>
        <nav class="pages">
            <button data-testid="nav-home" class:current=move || page.get() != learning::Page::Projects
                on:click=move |_| page.set(learning::Page::Home)>{t("nav-learn")}</button>
            <button data-testid="nav-projects" class:current=move || page.get() == learning::Page::Projects
                on:click=move |_| page.set(learning::Page::Projects)>{t("nav-projects")}</button>
        </nav>
        <div style:display=move || if page.get() == learning::Page::Projects { "" } else { "none" }>
            <project_bar::ProjectBar ws/>
        </div>
        <p class="status" data-testid="status" data-ready-ms=move || ready_ms.get().map(|t| format!("{t:.0}"))>
            {move || engine.with(|e| e.is_none()).then(|| view! {
                <progress data-testid="model-progress"></progress>" "
            })}
            {move || status.get()}
        </p>
        // The sentence encoder's download (text projects, once per device).
        {move || text_progress.get().map(|(done, total)| {
            let mb = |b: usize| format!("{:.1}", b as f64 / 1e6);
            let words = match total {
                Some(total) => tw("text-model-downloading", &[("done", mb(done).into()), ("total", mb(total).into())]),
                None => tw("text-model-downloading", &[("done", mb(done).into()), ("total", "?".into())]),
            };
            view! {
                <p class="status" data-testid="text-model-download">
                    <progress data-testid="text-model-progress" max=total.unwrap_or(0) value=done></progress>
                    " " {words}
                </p>
            }
        })}
        <span
            hidden
            data-testid="text-model"
            data-ready=move || text_engine.with(|e| e.is_some()).to_string()
            data-from-cache=move || text_engine.with(|e| e.as_ref().map(|e| e.from_cache.to_string()))
            data-load-ms=move || text_engine.with(|e| e.as_ref().map(|e| format!("{:.0}", e.load_ms)))
            data-bytes=move || text_engine.with(|e| e.as_ref().map(|e| e.bytes))
        ></span>
        {move || match page.get() {
            learning::Page::Home => view! { <home::Home learning/> }.into_any(),
            learning::Page::Lesson(id) => view! { <lesson_view::LessonView learning id engine text_model/> }.into_any(),
            learning::Page::Editor(editing) => view! { <editor::Editor learning editing/> }.into_any(),
            learning::Page::Projects => ().into_any(),
        }}
        <main style:display=move || if page.get() == learning::Page::Projects { "" } else { "none" }>
            <section class="classes">
                <h2>{t("class-title")}</h2>
                <ul>
                    <For
                        each=move || project.get().classes
                        key=|c| (c.id, c.name.clone(), c.examples.len())
                        let:class
                    >
                        <ClassItem class=class project selected embeddings status/>
                    </For>
                </ul>
                <div class="add-class">
                    <input
                        placeholder=t("class-new-placeholder")
                        data-testid="new-class-name"
                        prop:value=move || new_class.get()
                        on:input=move |ev| new_class.set(event_target_value(&ev))
                    />
                    <button data-testid="add-class" on:click=add_class>{t("class-add")}</button>
                </div>
            </section>
            <section class="teach">
                <h2>
                    {move || if is_text.get() { tw("text-write-example", &[]) } else { tw("pad-draw-example", &[]) }}
                    <b>{move || {
                        let id = selected.get();
                        project.with(|p| id.and_then(|id| p.class(id).ok().map(|c| c.name.clone())))
                            .unwrap_or_default()
                    }}</b>
                </h2>
                {move || if is_text.get() {
                    view! {
                        <SentenceBox value=teach_text testid="text-example" placeholder="text-example-placeholder"/>
                    }.into_any()
                } else {
                    view! { <DrawingPad strokes=teach_strokes testid="draw-canvas"/> }.into_any()
                }}
                <button class="primary" data-testid="add-example" on:click=add_example>{t("pad-add-example")}</button>
                <div class="improve">
                    <button
                        data-testid="improve"
                        disabled=move || improving.get()
                        on:click=improve
                    >{t("improve-button")}</button>
                    <button
                        data-testid="cancel-improve"
                        disabled=move || !improving.get()
                        on:click=move |_| cancel.set(true)
                    >{t("improve-cancel")}</button>
                    <progress
                        data-testid="improve-progress"
                        max=steps
                        value=move || losses.with(|l| l.len())
                        data-done=move || (!improving.get()).then(|| losses.with(|l| l.len()))
                        data-step-ms=move || step_ms.get().map(|t| format!("{t:.1}"))
                    ></progress>
                    <LossCurve losses/>
                </div>
            </section>
            <section class="test">
                <h2>{t("test-title")}</h2>
                {move || if is_text.get() {
                    view! {
                        <input
                            class="sentence-input"
                            data-testid="test-text"
                            maxlength=crate::project::MAX_TEXT_CHARS
                            placeholder=t("text-test-placeholder")
                            prop:value=move || test_text.get()
                            on:input=move |ev| {
                                test_text.set(event_target_value(&ev));
                                predict();
                            }
                        />
                    }.into_any()
                } else {
                    view! {
                        <DrawingPad
                            strokes=test_strokes
                            testid="test-canvas"
                            on_stroke_end=Callback::new(move |_| predict())
                        />
                    }.into_any()
                }}
                <PredictionPanel result/>
            </section>
            <section class="evaluate">
                <h2>{t("eval-title")}</h2>
                <EvaluatePanel project embeddings strategy/>
                <h2>{t("settings-title")}</h2>
                <label>
                    {t("settings-backend")}
                    <select
                        data-testid="backend-setting"
                        on:change=move |ev| {
                            if let Some(choice) = BackendRequest::parse(&event_target_value(&ev)) {
                                choice.save();
                                // Start again on the chosen backend (without a URL override).
                                let _ = window().location().set_search("");
                            }
                        }
                    >
                        {BackendRequest::ALL
                            .iter()
                            .map(|r| {
                                let label = match r {
                                    BackendRequest::Auto => "settings-backend-auto",
                                    BackendRequest::Cpu => "settings-backend-cpu",
                                    BackendRequest::WebGpu => "settings-backend-webgpu",
                                };
                                view! { <option value=r.key() selected=*r == request>{t(label)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <br/>
                <label>
                    {t("settings-strategy")}
                    <select
                        data-testid="strategy"
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            if let Some((_, _, s)) = STRATEGIES.iter().find(|(k, _, _)| *k == chosen) {
                                strategy.set(*s);
                                predict();
                            }
                        }
                    >
                        {STRATEGIES
                            .iter()
                            .map(|(key, label, _)| view! { <option value=*key>{t(label)}</option> })
                            .collect_view()}
                    </select>
                </label>
            </section>
        </main>
    }
}

/// One class: its name (editable), example count, thumbnails, delete.
#[component]
fn ClassItem(
    class: crate::project::ProjectClass,
    project: RwSignal<Project>,
    selected: RwSignal<Option<u64>>,
    embeddings: RwSignal<HashMap<u64, Vec<f32>>>,
    status: RwSignal<String>,
) -> impl IntoView {
    let id = class.id;
    let count = class.examples.len();
    let rename = move |ev| {
        let mut next = project.get_untracked();
        match next.rename_class(id, &event_target_value(&ev)) {
            Ok(()) => {
                project.set(next);
                status.set(String::new());
            }
            Err(e) => status.set(e.to_string()),
        }
    };
    let delete = move |_| {
        let name =
            project.with_untracked(|p| p.class(id).map(|c| c.name.clone()).unwrap_or_default());
        let sure = window()
            .confirm_with_message(&text_with("class-delete-confirm", &[("name", name.into())]))
            .unwrap_or(false);
        if !sure {
            return;
        }
        let mut next = project.get_untracked();
        match next.delete_class(id) {
            Ok(removed) => {
                embeddings.update(|m| {
                    for e in &removed.examples {
                        m.remove(&e.id);
                    }
                });
                if selected.get_untracked() == Some(id) {
                    selected.set(next.classes.first().map(|c| c.id));
                }
                project.set(next);
            }
            Err(e) => status.set(e.to_string()),
        }
    };
    let thumbs = class
        .examples
        .iter()
        .map(|e| {
            let example = e.id;
            let remove = move |_| {
                let mut next = project.get_untracked();
                if next.delete_example(example).is_ok() {
                    embeddings.update(|m| {
                        m.remove(&example);
                    });
                    project.set(next);
                }
            };
            view! {
                <span class="example">
                    <ExampleView example=e.clone()/>
                    <button class="remove" title=t("class-delete-example") on:click=remove>"×"</button>
                </span>
            }
        })
        .collect_view();
    view! {
        <li
            data-testid="class-item"
            data-class-name=class.name.clone()
            class:selected=move || selected.get() == Some(id)
            on:click=move |_| selected.set(Some(id))
        >
            <input class="name" value=class.name.clone() on:change=rename/>
            <span class="count" data-testid="example-count">{count}</span>
            <button class="delete" title=t("class-delete-title") on:click=delete>{t("class-delete")}</button>
            <div class="examples">{thumbs}</div>
        </li>
    }
}

/// A box to type a sentence into (an example, a practice answer), bound to `value`.
#[component]
fn SentenceBox(
    value: RwSignal<String>,
    testid: &'static str,
    /// Message id of the hint shown while it is empty.
    #[prop(optional)]
    placeholder: Option<&'static str>,
) -> impl IntoView {
    view! {
        <textarea
            class="sentence-input"
            data-testid=testid
            rows="3"
            maxlength=crate::project::MAX_TEXT_CHARS
            placeholder=move || placeholder.map(|id| tw(id, &[]))
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        ></textarea>
    }
}

/// An example as the student made it: the drawing, or the sentence (as text, never HTML).
#[component]
fn ExampleView(example: ProjectExample) -> impl IntoView {
    match example.text {
        Some(sentence) => {
            view! { <span class="sentence" data-testid="sentence">{sentence}</span> }.into_any()
        }
        None => view! { <Thumbnail strokes=example.strokes/> }.into_any(),
    }
}

/// Top 3 classes with confidence bars, and the nearest of the student's own examples.
#[component]
fn PredictionPanel(result: RwSignal<Option<TestResult>>) -> impl IntoView {
    move || match result.get() {
        None => view! { <p class="hint">{t("test-hint")}</p> }.into_any(),
        Some(r) => {
            let best = r.top.first().cloned();
            let rows = r
                .top
                .iter()
                .map(|t| {
                    let pct = format!("{:.0}%", t.confidence * 100.0);
                    let width = format!("width: {:.1}%", t.confidence * 100.0);
                    view! {
                        <div class="bar-row">
                            <span class="label">{t.label.clone()}</span>
                            <span class="bar"><span class="fill" style=width></span></span>
                            <span class="pct">{pct}</span>
                        </div>
                    }
                })
                .collect_view();
            let nearest = r
                .nearest
                .into_iter()
                .map(|(label, example)| {
                    view! {
                        <figure>
                            <ExampleView example/>
                            <figcaption>{label}</figcaption>
                        </figure>
                    }
                })
                .collect_view();
            view! {
                <div
                    class="prediction"
                    data-testid="prediction"
                    data-label=best.as_ref().map(|b| b.label.clone()).unwrap_or_default()
                    data-confidence=best.as_ref().map(|b| format!("{:.4}", b.confidence)).unwrap_or_default()
                    data-strokes=r.strokes
                    data-text=r.text.clone()
                    data-fine-tuned=r.fine_tuned.to_string()
                    data-latency-ms=format!("{:.1}", r.latency_ms)
                >
                    {rows}
                </div>
                <p class="hint">
                    {t(if r.fine_tuned { "test-answered-tuned" } else { "test-answered-averages" })}
                </p>
                <p>{t("test-nearest")}</p>
                <div class="nearest">{nearest}</div>
            }
            .into_any()
        }
    }
}

/// `(class index, embedding)` of each example that has an embedding, in project order.
fn labelled_embeddings(
    project: &Project,
    embeddings: &HashMap<u64, Vec<f32>>,
) -> Vec<(usize, Vec<f32>)> {
    project
        .classes
        .iter()
        .enumerate()
        .flat_map(|(k, c)| {
            c.examples
                .iter()
                .filter_map(|e| embeddings.get(&e.id).map(|v| (k, v.clone())))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Each example judged by the others (leave-one-out), as a confusion matrix.
pub(crate) fn evaluate_project(
    project: &Project,
    embeddings: &HashMap<u64, Vec<f32>>,
    strategy: OnlineStrategy,
) -> Result<ConfusionMatrix, String> {
    let labels: Vec<String> = project.classes.iter().map(|c| c.name.clone()).collect();
    let examples = labelled_embeddings(project, embeddings);
    match leave_one_out(labels, &examples, strategy) {
        Ok(cm) if cm.total() == 0 => Err(text("eval-need-examples")),
        Ok(cm) => Ok(cm),
        Err(e) => Err(e.to_string()),
    }
}

/// Leave-one-out evaluation on the student's own examples: accuracy, per-class precision,
/// recall and F1, and the confusion matrix as a picture.
#[component]
fn EvaluatePanel(
    project: RwSignal<Project>,
    embeddings: RwSignal<HashMap<u64, Vec<f32>>>,
    strategy: RwSignal<OnlineStrategy>,
) -> impl IntoView {
    let report = RwSignal::new(None::<Result<ConfusionMatrix, String>>);
    let evaluate = move |_| {
        let result = project.with_untracked(|p| {
            embeddings.with_untracked(|cache| evaluate_project(p, cache, strategy.get_untracked()))
        });
        report.set(Some(result));
    };
    view! {
        <p class="hint">{t("eval-hint")}</p>
        <button data-testid="evaluate" on:click=evaluate>{t("eval-button")}</button>
        {move || match report.get() {
            None => ().into_any(),
            Some(Err(message)) => view! { <p class="status">{message}</p> }.into_any(),
            Some(Ok(cm)) => view! { <Report cm/> }.into_any(),
        }}
    }
}

#[component]
fn Report(cm: ConfusionMatrix) -> impl IntoView {
    let accuracy = format!("{:.0}%", cm.accuracy() * 100.0);
    let total = cm.total();
    let rows = cm
        .class_scores()
        .into_iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.label}</td>
                    <td>{format!("{:.2}", s.precision)}</td>
                    <td>{format!("{:.2}", s.recall)}</td>
                    <td>{format!("{:.2}", s.f1)}</td>
                    <td>{s.support}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p data-testid="accuracy">
            {t("eval-accuracy")} <b>{accuracy}</b> {move || tw("eval-accuracy-of", &[("count", total.into())])}
        </p>
        <table class="scores">
            <tr>
                <th>{t("eval-col-class")}</th>
                <th>{t("eval-col-precision")}</th>
                <th>{t("eval-col-recall")}</th>
                <th>"F1"</th>
                <th>{t("eval-col-examples")}</th>
            </tr>
            {rows}
        </table>
        <ConfusionPicture cm/>
    }
}

/// The confusion matrix as a grid: rows are what was drawn, columns what the model said; the
/// darker a cell, the more examples landed there.
#[component]
fn ConfusionPicture(cm: ConfusionMatrix) -> impl IntoView {
    let n = cm.labels.len();
    let cell = 22.0;
    let margin = 90.0;
    let side = margin + cell * n as f64;
    let max = cm
        .matrix
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut cells = Vec::new();
    for (i, row) in cm.matrix.iter().enumerate() {
        for (j, &count) in row.iter().enumerate() {
            let shade = count as f64 / max;
            let fill = if i == j {
                format!("rgba(59, 108, 246, {:.2})", 0.08 + 0.92 * shade)
            } else {
                format!(
                    "rgba(220, 60, 60, {:.2})",
                    if count == 0 { 0.04 } else { 0.2 + 0.8 * shade }
                )
            };
            let (x, y) = (margin + cell * j as f64, margin + cell * i as f64);
            let (drawn, answered) = (cm.labels[i].clone(), cm.labels[j].clone());
            let title = move || {
                tw(
                    "eval-cell",
                    &[
                        ("drawn", (&drawn).into()),
                        ("answered", (&answered).into()),
                        ("count", count.into()),
                    ],
                )
            };
            cells.push(view! {
                <rect x=x y=y width=cell - 1.0 height=cell - 1.0 fill=fill>
                    <title>{title}</title>
                </rect>
                <text x=x + cell / 2.0 y=y + cell * 0.68 text-anchor="middle" font-size="11">{count}</text>
            });
        }
    }
    let labels = cm
        .labels
        .iter()
        .enumerate()
        .map(|(k, label)| {
            let pos = margin + cell * k as f64 + cell * 0.68;
            let transform = format!("rotate(-60 {} {})", margin + cell * k as f64 + cell / 2.0, margin - 4.0);
            view! {
                <text x=margin - 4.0 y=pos text-anchor="end" font-size="11">{label.clone()}</text>
                <text x=margin + cell * k as f64 + cell / 2.0 y=margin - 4.0 font-size="11" transform=transform>
                    {label.clone()}
                </text>
            }
        })
        .collect_view();
    view! {
        <svg class="confusion" data-testid="confusion-matrix" viewBox=format!("0 0 {side} {side}") width=side height=side>
            {cells}
            {labels}
        </svg>
        <p class="hint">{t("eval-matrix-hint")}</p>
    }
}

/// The fine-tuning loss, step by step, as a small line chart.
#[component]
fn LossCurve(losses: RwSignal<Vec<f32>>) -> impl IntoView {
    let (width, height) = (200.0f32, 60.0f32);
    let points = move || {
        losses.with(|l| {
            let max = l.iter().copied().fold(f32::MIN, f32::max).max(1e-6);
            let n = (l.len().max(2) - 1) as f32;
            l.iter()
                .enumerate()
                .map(|(i, v)| {
                    format!(
                        "{:.1},{:.1}",
                        i as f32 / n * width,
                        height - v / max * height
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let last = move || {
        losses.with(|l| {
            l.last()
                .map(|v| tw("improve-loss", &[("loss", format!("{v:.4}").into())]))
                .unwrap_or_default()
        })
    };
    view! {
        <svg class="loss" data-testid="loss-curve" viewBox=format!("0 0 {width} {height}") width=width height=height>
            <polyline points=points fill="none" stroke="#3b6cf6" stroke-width="2"/>
        </svg>
        <span class="hint">{last}</span>
    }
}
