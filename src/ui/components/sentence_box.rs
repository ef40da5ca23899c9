//! A box to type a sentence into.

use leptos::prelude::*;

use crate::ui::i18n::tw;

/// A box to type a sentence into (an example, a practice answer), bound to `value`.
#[component]
pub fn SentenceBox(
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
