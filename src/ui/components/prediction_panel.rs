//! What the test pad answers: the top classes with confidence bars and the nearest of the
//! student's own examples.

use leptos::prelude::*;

use crate::project::ProjectExample;
use crate::ui::components::example_view::ExampleView;
use crate::ui::i18n::t;

/// One line of the prediction panel.
#[derive(Clone, PartialEq)]
pub struct Ranked {
    pub label: String,
    pub confidence: f32,
}

/// What the test pad shows for one question.
#[derive(Clone, PartialEq)]
pub struct TestResult {
    /// The number of the question this answers (tests wait for the newest).
    pub question: u64,
    /// Whether the fine-tuned model answered (else the prototypes).
    pub fine_tuned: bool,
    /// Milliseconds from the end of the stroke to this answer (a benchmark reads it).
    pub latency_ms: f64,
    /// How many strokes the drawing had.
    pub strokes: usize,
    /// The sentence this answers (text projects).
    pub text: String,
    pub top: Vec<Ranked>,
    pub nearest: Vec<(String, ProjectExample)>,
}

/// Top 3 classes with confidence bars, and the nearest of the student's own examples.
#[component]
pub fn PredictionPanel(result: RwSignal<Option<TestResult>>) -> impl IntoView {
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
                    data-question=r.question
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
