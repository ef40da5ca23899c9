//! "My projects": the open project's classes, the teach pad, "Improve", the test pad with its
//! answer, the evaluation and the settings.
//!
//! Every change to the project goes through [`Workspace::edit`] at the moment it is made;
//! what takes time (embeddings, Improve) names its project and lands by id, so nothing made
//! meanwhile is overwritten and nothing lands in another project.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::learn::finetune::FineTuneConfig;
use crate::learn::preprocess::{Stroke, strokes_to_input};
use crate::learn::prototypes::OnlineStrategy;
use crate::personal::Tuned;
use crate::project::ProjectKind;
use crate::ui::components::class_item::ClassItem;
use crate::ui::components::evaluation::EvaluatePanel;
use crate::ui::components::loss_curve::LossCurve;
use crate::ui::components::prediction_panel::{PredictionPanel, Ranked, TestResult};
use crate::ui::components::sentence_box::SentenceBox;
use crate::ui::drawing_pad::DrawingPad;
use crate::ui::engine::{BackendRequest, Engine};
use crate::ui::i18n::{t, text, text_with, tw};
use crate::ui::library::{Workspace, encoder_id};
use crate::ui::text_engine::TextModel;

/// Fine-tuning steps of "Improve" on a text project's sentence embeddings (a head alone: each
/// step is one small product), and its learning rate (measured on Banking77, see the README).
const TEXT_STEPS: usize = 60;
const TEXT_LEARNING_RATE: f64 = 1e-2;

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

/// Milliseconds since the page's navigation began.
fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// The engine signal the app shares through context.
pub type EngineSignal = RwSignal<Option<Rc<Engine>>, LocalStorage>;

/// The projects page.
#[component]
pub fn ProjectsPage(request: BackendRequest) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let engine = expect_context::<EngineSignal>();
    let text_model = expect_context::<TextModel>();
    let text_engine = text_model.engine;
    let status = ws.status;
    // The losses of the last "Improve" (of whichever project it trained).
    let losses = RwSignal::new(Vec::<f32>::new());
    let teach_strokes = RwSignal::new(Vec::<Stroke>::new());
    let test_strokes = RwSignal::new(Vec::<Stroke>::new());
    let teach_text = RwSignal::new(String::new());
    let test_text = RwSignal::new(String::new());
    let is_text = Memo::new(move |_| ws.open.with(|o| o.project().kind == ProjectKind::Text));
    // Every question to the test pad gets a number (each stroke, clear, undo, keystroke); only
    // the answer to the newest is shown, and the page says which one it shows.
    let asked = RwSignal::new(0u64);
    // The sentence being embedded, and whether the text changed since.
    let text_busy = StoredValue::new(false);
    let text_again = StoredValue::new(false);
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
    let step_ms = RwSignal::new(None::<f64>);
    // Another project opened: its curve starts empty, unless an "Improve" still runs (it
    // finishes for the project it started on, and shows its progress until then).
    Effect::new(move |previous: Option<crate::personal::ProjectId>| {
        let id = ws.open.with(|o| o.id().clone());
        if previous.is_some_and(|p| p != id) && !improving.get_untracked() {
            losses.set(Vec::new());
        }
        id
    });

    // The answer of the personal model for `embedding`, to question `question`.
    let show = move |question: u64,
                     embedding: Vec<f32>,
                     started: f64,
                     strokes: usize,
                     sentence: String| {
        if asked.get_untracked() != question {
            return;
        }
        let answered = ws.open.with_untracked(|o| {
            let model = o.model(strategy.get_untracked()).ok()?;
            let answer = model.answer(&embedding, 3).ok()?;
            let nearest = answer
                .nearest
                .iter()
                .filter_map(|&(class, example)| {
                    let c = o.project().classes.get(class)?;
                    let e = c.examples.iter().find(|e| e.id == example)?;
                    Some((c.name.clone(), e.clone()))
                })
                .collect();
            Some(TestResult {
                question,
                fine_tuned: answer.fine_tuned,
                strokes,
                text: sentence,
                latency_ms: now_ms() - started,
                top: answer
                    .top
                    .into_iter()
                    .map(|r| Ranked {
                        label: r.label,
                        confidence: r.confidence,
                    })
                    .collect(),
                nearest,
            })
        });
        match answered {
            Some(r) => result.set(Some(r)),
            None => {
                result.set(None);
                status.set(text("test-need-examples"));
            }
        }
    };

    // Ask about what the test pad (or box) holds now. Answers come back in any order; only
    // the newest question's is shown.
    let predict = move || {
        asked.update(|n| *n += 1);
        let question = asked.get_untracked();
        let started = now_ms();
        result.set(None);
        if is_text.get_untracked() {
            // Typing asks on every key: one sentence is embedded at a time, and when it is done
            // the newest text is asked next (keys typed meanwhile are not queued up).
            if text_busy.get_value() {
                text_again.set_value(true);
                return;
            }
            let Some(text_engine) = text_engine.get_untracked() else {
                status.set(text("text-model-not-ready"));
                return;
            };
            text_busy.set_value(true);
            spawn_local(async move {
                loop {
                    text_again.set_value(false);
                    let question = asked.get_untracked();
                    let sentence = test_text.get_untracked().trim().to_string();
                    if !sentence.is_empty() {
                        match text_engine.embed(&sentence).await {
                            Ok(e) => show(question, e, started, 0, sentence),
                            Err(e) => {
                                status.set(text_with("pad-unreadable", &[("error", e.into())]))
                            }
                        }
                    }
                    if !text_again.get_value() {
                        break;
                    }
                }
                text_busy.set_value(false);
            });
            return;
        }
        let strokes = test_strokes.get_untracked();
        if strokes.is_empty() {
            return;
        }
        let Some(engine) = engine.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match engine.embed_strokes(&strokes).await {
                Ok(e) => show(question, e, started, strokes.len(), String::new()),
                Err(e) => status.set(text_with("pad-unreadable", &[("error", e.into())])),
            }
        });
    };

    // The example is in the project at once (its id taken now); its embedding follows in the
    // background (`Embedder`) and lands by id.
    let add_example = move |_| {
        let Some(class) = ws.selected.get_untracked() else {
            status.set(text("class-choose-first"));
            return;
        };
        let added = if is_text.get_untracked() {
            ws.edit(|p| p.add_text_example(class, &teach_text.get_untracked()))
        } else {
            let strokes = teach_strokes.get_untracked();
            // An unreadable drawing is refused now, not found out later.
            if !strokes.is_empty()
                && let Err(e) = strokes_to_input(&strokes)
            {
                status.set(text_with(
                    "pad-unreadable",
                    &[("error", e.to_string().into())],
                ));
                return;
            }
            ws.edit(|p| p.add_example(class, strokes))
        };
        match added {
            Ok(_) => {
                teach_strokes.set(Vec::new());
                teach_text.set(String::new());
                status.set(String::new());
            }
            Err(e) => status.set(e.to_string()),
        }
    };

    // When an embedding lands the model changes: answer the test pad again.
    Effect::new(move |previous: Option<usize>| {
        let embedded = ws.open.with(|o| o.embeddings().len());
        if previous.is_some_and(|p| p != embedded) {
            predict();
        }
        embedded
    });

    let improve = move |_| {
        let Some(engine) = engine.get_untracked() else {
            status.set(text("status-still-loading"));
            return;
        };
        // What this run trains on, named by project: the head lands with it, whatever is
        // open when it finishes.
        let (project_id, kind, set, drawings) = ws.open.with_untracked(|o| {
            let set = o.training_set();
            let drawings: Vec<Vec<Stroke>> = set
                .examples
                .iter()
                .filter_map(|(id, _, _)| {
                    o.project()
                        .classes
                        .iter()
                        .flat_map(|c| c.examples.iter())
                        .find(|e| e.id == *id)
                        .map(|e| e.strokes.clone())
                })
                .collect();
            (o.id().clone(), o.project().kind, set, drawings)
        });
        let labels: Vec<usize> = set.examples.iter().map(|e| e.1).collect();
        let classes = set.labels.len();
        let (tuner, total_steps) = if kind == ProjectKind::Text {
            let rows: Vec<f32> = set.examples.iter().flat_map(|e| e.2.clone()).collect();
            let dim = crate::learn::text::EMBEDDING_DIM;
            let matrix = burn::tensor::Tensor::<2>::from_data(
                burn::tensor::TensorData::new(rows, [labels.len(), dim]),
                &engine.device.clone().autodiff(),
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
            let mut done = 0usize;
            for _ in 0..total_steps {
                if cancel.get_untracked() {
                    break;
                }
                match tuner.step().await {
                    Ok(loss) => {
                        done += 1;
                        losses.update(|l| l.push(loss));
                    }
                    Err(e) => {
                        status.set(text_with("improve-failed", &[("error", e.into())]));
                        break;
                    }
                }
                // Let the page paint between steps: the UI never freezes.
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            if done > 0 && !cancel.get_untracked() {
                match tuner.head_weights().await {
                    Ok(head) => {
                        let tuned = Tuned {
                            examples: set.example_ids(),
                            head,
                        };
                        ws.land_head(project_id, set.class_ids.clone(), encoder_id(kind), tuned);
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

    let add_class = move |_| match ws.edit(|p| p.add_class(&new_class.get_untracked())) {
        Ok(id) => {
            ws.selected.set(Some(id));
            new_class.set(String::new());
        }
        Err(e) => status.set(e.to_string()),
    };

    view! {
        <main>
            <section class="classes">
                <h2>{t("class-title")}</h2>
                <ul>
                    <For
                        each=move || ws.open.with(|o| o.project().classes.clone())
                        key=|c| (c.id, c.name.clone(), c.examples.iter().map(|e| e.id).collect::<Vec<_>>())
                        let:class
                    >
                        <ClassItem class=class/>
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
                        let id = ws.selected.get();
                        ws.open.with(|o| id.and_then(|id| o.project().class(id).ok().map(|c| c.name.clone())))
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
            <section class="test" data-testid="test-panel" data-asked=move || asked.get()>
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
                            on_change=Callback::new(move |_| predict())
                        />
                    }.into_any()
                }}
                <PredictionPanel result/>
            </section>
            <section class="evaluate">
                <h2>{t("eval-title")}</h2>
                <EvaluatePanel strategy/>
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
