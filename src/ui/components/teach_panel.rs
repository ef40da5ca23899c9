//! Where the student makes an example of the selected class: a drawing pad (a sentence box in a
//! text project) and "Add example".

use leptos::prelude::*;

use crate::learn::preprocess::{Stroke, strokes_to_input};
use crate::ui::components::sentence_box::SentenceBox;
use crate::ui::drawing_pad::DrawingPad;
use crate::ui::i18n::{Said, said, said_with, t, tw};
use crate::ui::library::Workspace;

/// The teach pad. An example is in the project (and the store) the moment it is added, with
/// its id taken then; its embedding follows in the background (`Embedder`) and lands by id.
#[component]
pub fn TeachPanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let status = ws.status;
    let is_text = Memo::new(move |_| ws.open.with(|o| o.project().kind.is_text()));
    let teach_strokes = RwSignal::new(Vec::<Stroke>::new());
    let teach_text = RwSignal::new(String::new());
    // Chinese in an English text project (kept or being typed): its model barely reads it.
    // The kept sentences are read when the project changes, a keystroke reads only the box.
    let kept_misread = Memo::new(move |_| ws.open.with(|o| o.project().model_misses_sentences("")));
    let kind = Memo::new(move |_| ws.open.with(|o| o.project().kind));
    let model_misses = Memo::new(move |_| {
        kept_misread.get() || teach_text.with(|typed| kind.get().misreads(typed))
    });
    let add_example = move |_| {
        let Some(class) = ws.selected.get_untracked() else {
            status.set(said("class-choose-first"));
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
                status.set(said_with(
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
                status.set(Said::Nothing);
            }
            Err(e) => status.set(Said::raw(e)),
        }
    };

    view! {
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
                <Show when=move || model_misses.get()>
                    <p class="notice" data-testid="reads-english-only">{t("text-reads-english-only")}</p>
                </Show>
    }
}
