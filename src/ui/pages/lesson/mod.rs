//! A lesson as a student takes it: its tasks in order. Quiz: answer, see why. Practice: write
//! the glyph asked for, a model that starts from the teacher's references (and learns from the
//! student's corrections, kept with the student's knowledge) judges it. Teach: open the classes as a project, then check the
//! model against the teacher's target. Every judged answer is an outcome (mastery, review).

mod practice;
mod quiz;
mod teach;

use std::sync::Arc;

use leptos::prelude::*;

use crate::lesson::{LessonId, Task};
use crate::ui::i18n::t;
use crate::ui::learning::{Learning, Page};

use practice::Practice;
use quiz::Quiz;
use teach::Teach;

#[component]
pub fn LessonView(learning: Learning, id: LessonId) -> impl IntoView {
    let Some(lesson) = learning.library.with_untracked(|l| l.get(&id).cloned()) else {
        return view! { <p class="status">{t("lesson-missing")}</p> }.into_any();
    };
    let task = RwSignal::new(0usize);
    let lesson = Arc::new(lesson);
    let count = lesson.tasks.len();
    let tabs = lesson
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let title = t.title().to_string();
            view! {
                <button
                    data-testid="task-tab"
                    class:current=move || task.get() == i
                    on:click=move |_| task.set(i)
                >{format!("{}. {title}", i + 1)}</button>
            }
        })
        .collect_view();
    let shown = lesson.clone();
    view! {
        <section class="lesson" data-testid="lesson-view" data-lesson=lesson.id.to_string()>
            <button data-testid="lesson-home" on:click=move |_| learning.page.set(Page::Home)>{t("lesson-home")}</button>
            <h2>{lesson.title.clone()}</h2>
            <p class="hint">{lesson.description.clone()}</p>
            <nav class="tasks">{tabs}</nav>
            {move || {
                let i = task.get().min(count - 1);
                let lesson = shown.clone();
                match lesson.tasks[i].clone() {
                    Task::Quiz { questions, .. } => view! { <Quiz learning lesson=lesson.id.clone() task=i questions/> }.into_any(),
                    Task::Practice { classes, instructions, .. } => {
                        view! { <Practice learning lesson=lesson.id.clone() task=i classes instructions/> }.into_any()
                    }
                    Task::Teach { classes, instructions, target, .. } => {
                        view! { <Teach learning lesson=lesson.clone() task=i classes instructions metric=target.metric value=target.value/> }.into_any()
                    }
                }
            }}
        </section>
    }
    .into_any()
}
