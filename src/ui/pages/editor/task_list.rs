//! The lesson's tasks, one [`Task`](super::task::Task) editor each, drawn again only when what
//! buttons change does (kinds, glyphs, questions: `lesson::draft::shape`), not on every key.

use leptos::prelude::*;

use super::Draft;
use super::task::Task;
use crate::lesson::draft::shape;

#[component]
pub fn TaskList() -> impl IntoView {
    let lesson = expect_context::<Draft>().lesson;
    let shapes = Memo::new(move |_| lesson.with(shape));
    move || {
        shapes
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, shape)| view! { <Task index shape/> })
            .collect_view()
    }
}
