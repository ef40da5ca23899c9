//! The settings: which backend runs the model, and the learning strategy.

use leptos::prelude::*;

use crate::learn::prototypes::OnlineStrategy;
use crate::ui::engine::BackendRequest;
use crate::ui::i18n::t;

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

/// The backend choice (the page starts again on the chosen one) and the learning strategy.
#[component]
pub fn Settings(request: BackendRequest, strategy: RwSignal<OnlineStrategy>) -> impl IntoView {
    view! {
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
                }
            }
        >
            {STRATEGIES
                .iter()
                .map(|(key, label, _)| view! { <option value=*key>{t(label)}</option> })
                .collect_view()}
        </select>
    </label>
    }
}
