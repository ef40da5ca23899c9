//! "Improve": fine-tuning on the open project's examples, step by step, with progress, the
//! loss curve and cancel.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::learn::finetune::FineTuneConfig;
use crate::personal::{ProjectId, Tuned};
use crate::project::ProjectKind;
use crate::ui::components::loss_curve::LossCurve;
use crate::ui::engine::Backend;
use crate::ui::i18n::{said, said_with, t};
use crate::ui::library::{Workspace, encoder_id};
use crate::ui::models::Models;
use crate::ui::now_ms;

/// Fine-tuning steps of "Improve" on a text project's sentence embeddings (a head alone: each
/// step is one small product), and its learning rate (measured on Banking77, see the README).
const TEXT_STEPS: usize = 60;
const TEXT_LEARNING_RATE: f64 = 1e-2;

/// The Improve buttons and progress. A run trains on the examples of the project open when it
/// starts, and its head lands with that project (`Workspace::land_head`), whatever is open when
/// it ends; the test pad answers again when it lands.
#[component]
pub fn ImprovePanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let models = expect_context::<Models>();
    let engine = models.drawing;
    let status = ws.status;
    let is_text = Memo::new(move |_| ws.open.with(|o| o.project().kind == ProjectKind::Text));
    // The losses of the last run (of whichever project it trained).
    let losses = RwSignal::new(Vec::<f32>::new());
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
        let Some(engine) = engine.get_untracked() else {
            status.set(said("status-still-loading"));
            return;
        };
        // What this run trains on, named by project: the head lands with it, whatever is
        // open when it finishes.
        let (project_id, kind, set, drawings) = ws.open.with_untracked(|o| {
            let set = o.training_set();
            let drawings = o.drawings_of(&set);
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
                status.set(said_with("improve-cannot", &[("error", e.into())]));
                return;
            }
        };
        improving.set(true);
        cancel.set(false);
        losses.set(Vec::new());
        spawn_local(async move {
            let started = now_ms();
            let mut done = 0usize;
            let mut failed = None;
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
                        failed = Some(e);
                        break;
                    }
                }
                // Let the page paint between steps: the UI never freezes.
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            last_run.set(done);
            if let Some(e) = failed {
                // On WebGPU a failed step is the device failing: the models move to the CPU,
                // and the next run trains there (the examples are untouched; a head is only
                // ever made from them).
                if engine.backend == Backend::WebGpu && models.gpu_failed(&e).is_ok() {
                    status.set(said("improve-moved-to-cpu"));
                } else {
                    status.set(said_with("improve-failed", &[("error", e.into())]));
                }
            } else if done > 0 && !cancel.get_untracked() {
                match tuner.head_weights().await {
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
                                ("ms", format!("{per_step:.0}").into()),
                                ("backend", engine.backend.label().into()),
                            ],
                        ));
                    }
                    Err(e) => status.set(said_with("improve-failed", &[("error", e.into())])),
                }
            } else {
                status.set(said("improve-cancelled"));
            }
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
