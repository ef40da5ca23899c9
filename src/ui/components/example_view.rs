//! One example as the student made it.

use leptos::prelude::*;

use crate::project::ProjectExample;
use crate::ui::thumbnail::Thumbnail;

/// An example as the student made it: the drawing, or the sentence (as text, never HTML).
#[component]
pub fn ExampleView(example: ProjectExample) -> impl IntoView {
    match example.text {
        Some(sentence) => {
            view! { <span class="sentence" data-testid="sentence">{sentence}</span> }.into_any()
        }
        None => view! { <Thumbnail strokes=example.strokes/> }.into_any(),
    }
}
