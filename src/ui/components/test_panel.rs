//! The test pad (a sentence box in a text project) and the personal model's answer.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::learn::preprocess::Stroke;
use crate::learn::prototypes::OnlineStrategy;
use crate::personal::ProjectId;
use crate::ui::components::prediction_panel::{PredictionPanel, Ranked, TestResult};
use crate::ui::drawing_pad::DrawingPad;
use crate::ui::i18n::{said, said_with, t};
use crate::ui::library::Workspace;
use crate::ui::models::Models;
use crate::ui::now_ms;

/// The test pad and its answer. Every question gets a number (each stroke, clear, undo,
/// keystroke, and each change of the model: an embedding or a head landing, another strategy);
/// only the answer to the newest is shown (`data-asked` on the panel, `data-question` on the
/// answer), and a cleared pad shows none.
#[component]
pub fn TestPanel(strategy: RwSignal<OnlineStrategy>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let models = expect_context::<Models>();
    let status = ws.status;
    let is_text = Memo::new(move |_| ws.open.with(|o| o.project().kind.is_text()));
    let test_strokes = RwSignal::new(Vec::<Stroke>::new());
    let test_text = RwSignal::new(String::new());
    let asked = RwSignal::new(0u64);
    // When the newest question was asked, whether a question is being answered, and whether a
    // newer one came meanwhile.
    let asked_at = StoredValue::new(0.0);
    let busy = StoredValue::new(false);
    let again = StoredValue::new(false);
    let result = RwSignal::new(None::<TestResult>);

    // The answer of the personal model for `embedding`, to question `question` (None: the
    // panel is gone, or a newer question was asked).
    let show = move |question: u64,
                     embedding: Vec<f32>,
                     started: f64,
                     strokes: usize,
                     sentence: String| {
        if asked.try_get_untracked() != Some(question) {
            return;
        }
        let answered = ws.open.with_untracked(|o| {
            let model = o.model(strategy.try_get_untracked()?).ok()?;
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
                status.set(said("test-need-examples"));
            }
        }
    };

    // Answer `question` about what the test pad (or box) holds now.
    let answer = move |question: u64, started: f64| async move {
        let failed = |e: String| status.set(said_with("pad-unreadable", &[("error", e.into())]));
        let sentence_model = ws
            .open
            .with_untracked(|o| o.project().kind.sentence_model());
        if let Some(model) = sentence_model {
            if models.text.loaded_untracked() != Some(model) {
                status.set(said("text-model-not-ready"));
                return;
            }
            let sentence = test_text.get_untracked().trim().to_string();
            if !sentence.is_empty() {
                match models.embed_sentence(model, &sentence).await {
                    Ok(e) => show(question, e, started, 0, sentence),
                    Err(e) => failed(e),
                }
            }
        } else {
            let strokes = test_strokes.get_untracked();
            if strokes.is_empty() || models.drawing.with_untracked(Option::is_none) {
                return;
            }
            match models.embed_drawing(&strokes).await {
                Ok(e) => show(question, e, started, strokes.len(), String::new()),
                Err(e) => failed(e),
            }
        }
    };

    // Ask about what the test pad (or box) holds now. Every stroke and every key asks: one
    // question is answered at a time, and when it is done the newest is asked next (strokes
    // and keys meanwhile are not queued up); only the newest question's answer is shown. After
    // an await the panel's own state is read with `try_`: if the panel is gone, nothing more.
    let predict = move || {
        asked.update(|n| *n += 1);
        asked_at.set_value(now_ms());
        result.set(None);
        if busy.get_value() {
            again.set_value(true);
            return;
        }
        busy.set_value(true);
        spawn_local(async move {
            loop {
                again.set_value(false);
                let (Some(question), Some(started)) =
                    (asked.try_get_untracked(), asked_at.try_get_value())
                else {
                    return;
                };
                answer(question, started).await;
                if again.try_get_value() != Some(true) {
                    break;
                }
            }
            busy.set_value(false);
        });
    };

    // The model changed (an edit, an embedding or a head landed, another project, another
    // strategy): answer again.
    Effect::new(move |previous: Option<(ProjectId, u64, OnlineStrategy)>| {
        let (id, revision) = ws.open.with(|o| (o.id().clone(), o.revision()));
        let now = (id, revision, strategy.get());
        if previous.is_some_and(|p| p != now) {
            predict();
        }
        now
    });

    view! {
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
    }
}
