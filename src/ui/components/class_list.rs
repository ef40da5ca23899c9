//! The open project's classes, and a field to add one.

use leptos::prelude::*;

use crate::ui::components::class_item::ClassItem;
use crate::ui::i18n::{Said, t};
use crate::ui::library::Workspace;

/// The classes of the open project (each a [`ClassItem`]) and "Add class".
#[component]
pub fn ClassList() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let status = ws.status;
    let new_class = RwSignal::new(String::new());
    let add_class = move |_| match ws.edit(|p| p.add_class(&new_class.get_untracked())) {
        Ok(id) => {
            ws.selected.set(Some(id));
            new_class.set(String::new());
        }
        Err(e) => status.set(Said::raw(e)),
    };

    view! {
    <h2>{t("class-title")}</h2>
    <ul>
        <For
            each=move || ws.open.with(|o| o.project().classes.clone())
            key=|c| (c.id, c.name.clone(), c.examples.iter().map(|e| e.id).collect::<Vec<_>>())
            let:class
        >
            <ClassItem class=class/>
        </For>
    </ul>
    <div class="add-class">
        <input
            placeholder=t("class-new-placeholder")
            data-testid="new-class-name"
            prop:value=move || new_class.get()
            on:input=move |ev| new_class.set(event_target_value(&ev))
        />
        <button data-testid="add-class" on:click=add_class>{t("class-add")}</button>
    </div>
    }
}
