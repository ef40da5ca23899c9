//! The fine-tuning loss as a line chart.

use leptos::prelude::*;

use crate::ui::i18n::tw;

/// The fine-tuning loss, step by step, as a small line chart.
#[component]
pub fn LossCurve(losses: RwSignal<Vec<f32>>) -> impl IntoView {
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
