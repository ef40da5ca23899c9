//! "Improve": fine-tuning on the open project's examples, step by step, with progress, the
//! loss curve and cancel. The head trains on the examples' embeddings (the project holds them
//! already), in the drawing engine's worker (`ui::worker::tuning`, one step a request, so
//! cancel takes effect at the next step), always on the CPU: a head step is a small product, faster on the CPU than on a
//! GPU (an NVIDIA H200: 0.085 vs 1.04 ms a step, and 1.6 s to compile the GPU's kernels the
//! first time; `../shared/DESIGN.md`), and it cannot fail with a lost GPU.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::learn::finetune::{FineTuneConfig, check_labels};
use crate::personal::{ProjectId, Tuned};
use crate::ui::components::loss_curve::LossCurve;
use crate::ui::i18n::{said, said_with, t};
use crate::ui::library::{Workspace, encoder_id};
use crate::ui::models::Models;
use crate::ui::now_ms;
use crate::ui::worker::protocol::TrainingRows;

/// Fine-tuning steps of "Improve" on a text project's sentence embeddings (a head alone: each
/// step is one small product), and its learning rate: `eval-text`'s default, measured on
/// Banking77 (see the README).
const TEXT_STEPS: usize = crate::learn::text::HEAD_STEPS;
const TEXT_LEARNING_RATE: f64 = crate::learn::text::HEAD_LEARNING_RATE;

/// The Improve buttons and progress. A run trains on the examples of the project open when it
/// starts, and its head lands with that project (`Workspace::land_head`), whatever is open when
/// it ends; the test pad answers again when it lands.
#[component]
pub fn ImprovePanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let models = expect_context::<Models>();
    let status = ws.status;
    let is_text = Memo::new(move |_| ws.open.with(|o| o.project().kind.is_text()));
    // The losses of the last run (of whichever project it trained).
    let losses = RwSignal::new(Vec::<f32>::new());
    let improving = RwSignal::new(false);
    let cancel = RwSignal::new(false);
    let drawing = FineTuneConfig::new();
    let drawing_steps = drawing.steps;
    let steps = move || {
        if is_text.get() {
            TEXT_STEPS
        } else {
            drawing_steps
        }
    };
    let step_ms = RwSignal::new(None::<f64>);
    // Steps the last run did (shown once it ends, whichever project is open then).
    let last_run = RwSignal::new(0usize);
    // Another project opened: its curve starts empty, unless a run still goes on (it finishes
    // for the project it started on, and shows its progress until then).
    Effect::new(move |previous: Option<ProjectId>| {
        let id = ws.open.with(|o| o.id().clone());
        if previous.is_some_and(|p| p != id) && !improving.get_untracked() {
            losses.set(Vec::new());
        }
        id
    });
    let improve = move |_| {
        // What this run trains on, named by project: the head lands with it, whatever is
        // open when it finishes. Only examples with their embedding are in the set.
        let (project_id, kind, set) = ws
            .open
            .with_untracked(|o| (o.id().clone(), o.project().kind, o.training_set()));
        let labels: Vec<usize> = set.examples.iter().map(|e| e.1).collect();
        let classes = set.labels.len();
        let (learning_rate, total_steps) = if kind.is_text() {
            (TEXT_LEARNING_RATE, TEXT_STEPS)
        } else {
            (drawing.learning_rate, drawing.steps)
        };
        let dim = set.examples.first().map_or(0, |e| e.2.len());
        if let Some(odd) = set.examples.iter().find(|e| e.2.len() != dim) {
            // A damaged stored example: say so rather than make a tensor of the wrong shape.
            let error = format!(
                "example {} has an embedding of {} numbers, the others {dim}",
                odd.0,
                odd.2.len()
            );
            status.set(said_with("improve-cannot", &[("error", error.into())]));
            return;
        }
        // What the student can mend (a class without an example) is said before any work.
        if let Err(e) = check_labels(&labels, labels.len(), classes) {
            status.set(said_with(
                "improve-cannot",
                &[("error", e.to_string().into())],
            ));
            return;
        }
        let rows = TrainingRows {
            rows: set.examples.iter().flat_map(|e| e.2.clone()).collect(),
            dim,
            labels,
            classes,
            learning_rate,
        };
        // Improve trains in the drawing engine's worker (there for every kind of project).
        let Some(engine) = models.drawing.get_untracked() else {
            status.set(said("status-still-loading"));
            return;
        };
        improving.set(true);
        cancel.set(false);
        losses.set(Vec::new());
        spawn_local(async move {
            let started = now_ms();
            let run = match engine.tune_start(rows).await {
                Ok(run) => run,
                Err(e) => {
                    status.set(said_with("improve-failed", &[("error", e.into())]));
                    improving.set(false);
                    return;
                }
            };
            let mut done = 0usize;
            let mut failed = None;
            for _ in 0..total_steps {
                if cancel.get_untracked() {
                    break;
                }
                match engine.tune_step(run).await {
                    Ok(loss) => {
                        done += 1;
                        losses.update(|l| l.push(loss));
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
                gloo_timers::future::TimeoutFuture::new(test_pause_ms()).await;
            }
            last_run.set(done);
            if let Some(e) = failed {
                status.set(said_with("improve-failed", &[("error", e.into())]));
            } else if done > 0 && !cancel.get_untracked() {
                match engine.tune_head(run).await {
                    Ok(head) => {
                        let tuned = Tuned {
                            examples: set.example_ids(),
                            head,
                        };
                        ws.land_head(project_id, set.class_ids.clone(), encoder_id(kind), tuned);
                        let per_step = (now_ms() - started) / done as f64;
                        step_ms.set(Some(per_step));
                        status.set(said_with(
                            "improve-done",
                            &[
                                ("steps", done.into()),
                                ("ms", format!("{per_step:.1}").into()),
                            ],
                        ));
                    }
                    Err(e) => status.set(said_with("improve-failed", &[("error", e.into())])),
                }
            } else {
                status.set(said("improve-cancelled"));
            }
            engine.tune_end(run).await;
            improving.set(false);
        });
    };

    view! {
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
            data-done=move || (!improving.get()).then(|| last_run.get())
            data-step-ms=move || step_ms.get().map(|t| format!("{t:.1}"))
        ></progress>
        <LossCurve losses/>
    </div>
    }
}

/// A test's way to make Improve take its time (a step is milliseconds on the CPU, too quick
/// for a test to act while a run goes on): `globalThis.inklingImproveStepMs` milliseconds
/// between steps; none otherwise.
fn test_pause_ms() -> u32 {
    js_sys::Reflect::get(&js_sys::global(), &"inklingImproveStepMs".into())
        .ok()
        .and_then(|ms| ms.as_f64())
        .map_or(0, |ms| ms.clamp(0.0, 10_000.0) as u32)
}
