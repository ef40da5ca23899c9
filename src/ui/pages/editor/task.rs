//! One task in the editor: its title, its kind's settings (rounds, or a teach task's target),
//! its glyphs (chosen to add references; removable) or questions (removable). Clicking it makes
//! it the task new glyphs and questions go to.

use leptos::prelude::*;

use super::Draft;
use crate::lesson::draft::{TaskShape, remove_class, remove_question, remove_task, title_mut};
use crate::lesson::{Metric, Task as LessonTask};
use crate::ui::i18n::t;

#[component]
pub fn Task(index: usize, shape: TaskShape) -> impl IntoView {
    let ed = expect_context::<Draft>();
    let lesson = ed.lesson;
    let i = index;
    let remove = move |_| {
        ed.change(|l| remove_task(l, i));
        ed.forget_choices();
    };
    let title = move || {
        lesson.with(|l| {
            l.tasks
                .get(i)
                .map(|t| t.title().to_string())
                .unwrap_or_default()
        })
    };
    let (kind, body) = match shape {
        TaskShape::Classes { teach, classes } => {
            let glyphs = classes
                .into_iter()
                .enumerate()
                .map(|(k, (name, refs))| {
                    view! {
                        <button
                            data-testid="editor-glyph"
                            data-glyph=name.clone()
                            class:current=move || ed.glyph.get() == Some((i, k))
                            on:click=move |_| ed.choose_glyph((i, k))
                        >{format!("{name} ({refs})")}</button>
                        <button
                            class="remove"
                            data-testid="editor-remove-glyph"
                            title=t("editor-remove-glyph")
                            on:click=move |_| {
                                ed.change(|l| remove_class(l, (i, k)));
                                ed.glyph.set(None);
                            }
                        >"×"</button>
                    }
                })
                .collect_view();
            let settings = if teach {
                view! { <TargetField i/> }.into_any()
            } else {
                view! { <RoundsField i/> }.into_any()
            };
            let kind = if teach { "teach" } else { "practice" };
            let body = view! {
                <p class="hint">{t(if teach { "editor-kind-teach" } else { "editor-kind-practice" })}</p>
                <div class="glyphs">{glyphs}</div>
                {settings}
            }
            .into_any();
            (kind, body)
        }
        TaskShape::Quiz(questions) => {
            let items = questions
                .into_iter()
                .enumerate()
                .map(|(q, summary)| view! {
                    <li data-testid="editor-question">
                        {summary}" "
                        <button class="remove" data-testid="editor-remove-question" title=t("editor-remove-question")
                            on:click=move |_| ed.change(|l| remove_question(l, i, q))>"×"</button>
                    </li>
                })
                .collect_view();
            let body = view! {
                <p class="hint">{t("editor-kind-quiz")}</p>
                <ol>{items}</ol>
            }
            .into_any();
            ("quiz", body)
        }
    };
    view! {
        <div
            class="editor-task"
            data-testid="editor-task"
            data-kind=kind
            data-current=move || (ed.current.get() == Some(i)).to_string()
            class:current=move || ed.current.get() == Some(i)
            on:click=move |_| ed.current.set(Some(i))
        >
            <div class="task-header">
                <input
                    data-testid="editor-task-title"
                    prop:value=title
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        lesson.update(|l| if let Some(t) = l.tasks.get_mut(i) { *title_mut(t) = v; });
                    }
                />
                <button data-testid="editor-remove-task" on:click=move |ev| { ev.stop_propagation(); remove(ev); }>{t("editor-remove-task")}</button>
            </div>
            {body}
        </div>
    }
}

/// Prompts per round of a practice task. Number fields are not bound to the lesson (their
/// first value is read when drawn): a half-typed number ("0.") is not rewritten under typing.
#[component]
fn RoundsField(i: usize) -> impl IntoView {
    let lesson = expect_context::<Draft>().lesson;
    let rounds = lesson.with_untracked(|l| match l.tasks.get(i) {
        Some(LessonTask::Practice { rounds, .. }) => rounds.to_string(),
        _ => String::new(),
    });
    view! {
        <label>{t("editor-rounds")}" "
            <input type="number" min="1" max="100" data-testid="editor-rounds" prop:value=rounds
                on:input=move |ev| {
                    let v = event_target_value(&ev).parse().unwrap_or(0);
                    lesson.update(|l| if let Some(LessonTask::Practice { rounds, .. }) = l.tasks.get_mut(i) { *rounds = v; });
                }/>
        </label>
    }
}

/// A teach task's target: a metric and the value to reach.
#[component]
fn TargetField(i: usize) -> impl IntoView {
    let lesson = expect_context::<Draft>().lesson;
    let target = lesson.with_untracked(|l| match l.tasks.get(i) {
        Some(LessonTask::Teach { target, .. }) => Some(*target),
        _ => None,
    });
    let metric = target.map(|t| t.metric);
    view! {
        <label>{t("editor-target")}" "
            <select data-testid="editor-target-metric" on:change=move |ev| {
                let metric = if event_target_value(&ev) == "macro_f1" { Metric::MacroF1 } else { Metric::Accuracy };
                lesson.update(|l| if let Some(LessonTask::Teach { target, .. }) = l.tasks.get_mut(i) { target.metric = metric; });
            }>
                <option value="accuracy" selected=metric == Some(Metric::Accuracy)>{t("metric-accuracy")}</option>
                <option value="macro_f1" selected=metric == Some(Metric::MacroF1)>{t("metric-macro-f1")}</option>
            </select>
            " ≥ "
            <input data-testid="editor-target-value" type="number" min="0.1" max="1" step="0.05"
                prop:value=target.map(|t| t.value.to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let v = event_target_value(&ev).parse().unwrap_or(0.0);
                    lesson.update(|l| if let Some(LessonTask::Teach { target, .. }) = l.tasks.get_mut(i) { target.value = v; });
                }/>
        </label>
    }
}
