//! New glyphs (classes), and references for the chosen one: drawings on the pad, or sentences
//! (which make its task a text task; drawings and sentences do not mix, validation says so).

use leptos::prelude::*;

use super::{Draft, default_texts};
use crate::learn::preprocess::Stroke;
use crate::lesson::LessonClass;
use crate::lesson::draft::{add_class, class_mut};
use crate::ui::drawing_pad::DrawingPad;
use crate::ui::i18n::{said, t};
use crate::ui::learning::Learning;

#[component]
pub fn References(learning: Learning) -> impl IntoView {
    let ed = expect_context::<Draft>();
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let glyph_name = RwSignal::new(String::new());
    let sentence = RwSignal::new(String::new());
    let add_glyph = move |_| {
        let name = glyph_name.get_untracked();
        let current = ed.current.get_untracked();
        if let Some(glyph) = ed.change(|l| add_class(l, current, &name, &default_texts())) {
            ed.choose_glyph(glyph);
            glyph_name.set(String::new());
        }
    };
    // Put something into the chosen glyph's class (and say so when none is chosen).
    let add_to_glyph = move |add: &dyn Fn(&mut LessonClass)| {
        let Some(glyph) = ed.glyph.get_untracked() else {
            learning.ws.status.set(said("editor-choose-glyph"));
            return false;
        };
        ed.change(|l| class_mut(l, glyph).map(add).is_some())
    };
    let add_reference = move |_| {
        let drawing = strokes.get_untracked();
        if !drawing.is_empty() && add_to_glyph(&|c| c.examples.push(drawing.clone())) {
            strokes.set(Vec::new());
        }
    };
    let add_sentence = move |_| {
        let line = sentence.get_untracked().trim().to_string();
        if !line.is_empty() && add_to_glyph(&|c| c.sentences.push(line.clone())) {
            sentence.set(String::new());
        }
    };
    view! {
        <h3>{t("editor-glyphs")}</h3>
        <input data-testid="editor-glyph-name" placeholder=t("editor-glyph-name") prop:value=move || glyph_name.get()
            on:input=move |ev| glyph_name.set(event_target_value(&ev))/>
        <button data-testid="editor-add-glyph" on:click=add_glyph>{t("editor-add-glyph")}</button>
        <p class="hint">{t("editor-draw-reference")}</p>
        <DrawingPad strokes testid="editor-canvas"/>
        <button data-testid="editor-add-reference" on:click=add_reference>{t("editor-add-reference")}</button>
        <p class="hint">{t("editor-write-sentence")}</p>
        <input class="sentence-input" data-testid="editor-sentence" prop:value=move || sentence.get()
            on:input=move |ev| sentence.set(event_target_value(&ev))/>
        <button data-testid="editor-add-sentence" on:click=add_sentence>{t("editor-add-sentence")}</button>
    }
}
