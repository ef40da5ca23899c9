//! A quiz task: one question at a time.

use std::sync::Arc;

use leptos::prelude::*;

use crate::knowledge::item::ItemId;
use crate::lesson::{LessonId, Question};
use crate::ui::i18n::t;
use crate::ui::learning::Learning;

/// One question at a time; the answer is judged, explained, and recorded.
#[component]
pub fn Quiz(
    learning: Learning,
    lesson: LessonId,
    task: usize,
    questions: Vec<Question>,
) -> impl IntoView {
    let at = RwSignal::new(0usize);
    let answer = RwSignal::new(String::new());
    let verdict = RwSignal::new(None::<bool>);
    let questions = Arc::new(questions);
    let total = questions.len();
    let shown = questions.clone();
    let check = move |_| {
        let q = &questions[at.get_untracked()];
        let correct = q.is_correct(&answer.get_untracked());
        verdict.set(Some(correct));
        learning.record(
            &lesson,
            task,
            &ItemId::question(&lesson, task, at.get_untracked()),
            correct,
        );
    };
    view! {
        <div class="quiz" data-testid="quiz">
            {move || {
                let i = at.get();
                if i >= total {
                    return view! { <p data-testid="quiz-done">{t("quiz-done")}</p> }.into_any();
                }
                let q = shown[i].clone();
                let (prompt, explanation) = q.prompt_and_explanation();
                let (prompt, explanation) = (prompt.to_string(), explanation.to_string());
                let input = match &q {
                    Question::Choice { options, .. } => options
                        .iter()
                        .enumerate()
                        .map(|(k, o)| view! {
                            <label class="option">
                                <input
                                    type="radio"
                                    name="quiz-option"
                                    data-testid="quiz-option"
                                    data-index=k
                                    on:change=move |_| answer.set(k.to_string())
                                />
                                {o.clone()}
                            </label>
                        })
                        .collect_view()
                        .into_any(),
                    Question::Free { .. } => view! {
                        <input
                            data-testid="quiz-answer"
                            prop:value=move || answer.get()
                            on:input=move |ev| answer.set(event_target_value(&ev))
                        />
                    }
                    .into_any(),
                };
                view! {
                    <p class="prompt">{format!("{}/{total}. ", i + 1)}{prompt}</p>
                    <div>{input}</div>
                    <button data-testid="quiz-check" disabled=move || verdict.get().is_some() on:click=check.clone()>{t("quiz-check")}</button>
                    {move || verdict.get().map(|ok| view! {
                        <p data-testid="quiz-verdict" data-correct=ok.to_string() class:right=ok class:wrong=!ok>
                            {t(if ok { "quiz-right" } else { "quiz-not-quite" })}" "{explanation.clone()}
                        </p>
                        <button data-testid="quiz-next" on:click=move |_| {
                            verdict.set(None);
                            answer.set(String::new());
                            at.update(|a| *a += 1);
                        }>{t("quiz-next")}</button>
                    })}
                }
                .into_any()
            }}
        </div>
    }
}
