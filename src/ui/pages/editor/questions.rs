//! A new quiz question from four fields (prompt; options or accepted answers separated by `|`;
//! the right option; an explanation), added to the current quiz (`lesson::draft`).

use leptos::prelude::*;

use super::{Draft, default_texts};
use crate::lesson::draft::{add_question, question_from_fields};
use crate::ui::i18n::t;

#[component]
pub fn Questions() -> impl IntoView {
    let ed = expect_context::<Draft>();
    let prompt = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let right = RwSignal::new(String::from("1"));
    let explanation = RwSignal::new(String::new());
    let add = move |free: bool| {
        let question = question_from_fields(
            free,
            &prompt.get_untracked(),
            &options.get_untracked(),
            &right.get_untracked(),
            &explanation.get_untracked(),
        );
        let current = ed.current.get_untracked();
        let quiz = ed.change(|l| add_question(l, current, question, &default_texts()));
        ed.current.set(Some(quiz));
        for field in [prompt, options, explanation] {
            field.set(String::new());
        }
        right.set("1".into());
    };
    let field = move |value: RwSignal<String>, testid: &'static str, placeholder: &'static str| {
        view! {
            <input data-testid=testid placeholder=t(placeholder) prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <h3>{t("editor-questions")}</h3>
        {field(prompt, "editor-question-prompt", "editor-question")}
        {field(options, "editor-question-options", "editor-options")}
        {field(right, "editor-question-right", "editor-right-option")}
        {field(explanation, "editor-question-explanation", "editor-explanation")}
        <button data-testid="editor-add-choice" on:click=move |_| add(false)>{t("editor-add-choice")}</button>
        <button data-testid="editor-add-free" on:click=move |_| add(true)>{t("editor-add-free")}</button>
    }
}
