//! Leave-one-out evaluation on the student's own examples: accuracy, per-class precision,
//! recall and F1, and the confusion matrix as a picture.

use leptos::prelude::*;

use crate::learn::metrics::ConfusionMatrix;
use crate::learn::prototypes::{OnlineStrategy, PrototypeError};
use crate::ui::i18n::{t, text, tw};
use crate::ui::library::Workspace;

/// The evaluate button and its report, for the open project.
#[component]
pub fn EvaluatePanel(strategy: RwSignal<OnlineStrategy>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let report = RwSignal::new(None::<Result<ConfusionMatrix, String>>);
    let evaluate = move |_| {
        let set = ws.open.with_untracked(|o| o.training_set());
        let result = set.evaluate(strategy.get_untracked()).map_err(|e| match e {
            PrototypeError::NoExamples => text("eval-need-examples"),
            e => e.to_string(),
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
