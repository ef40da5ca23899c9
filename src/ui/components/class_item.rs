//! One class of the open project: its name (editable), example count, examples, delete.

use leptos::prelude::*;

use crate::project::ProjectClass;
use crate::ui::components::example_view::ExampleView;
use crate::ui::i18n::{Said, t, text_with};
use crate::ui::library::Workspace;

/// One class. Every change goes through [`Workspace::edit`], by class and example id.
#[component]
pub fn ClassItem(class: ProjectClass) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let id = class.id;
    let count = class.examples.len();
    let rename = move |ev| match ws.edit(|p| p.rename_class(id, &event_target_value(&ev))) {
        Ok(()) => ws.status.set(Said::Nothing),
        Err(e) => ws.status.set(Said::raw(e)),
    };
    let delete = move |_| {
        let name = ws.open.with_untracked(|o| {
            o.project()
                .class(id)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        });
        let sure = window()
            .confirm_with_message(&text_with("class-delete-confirm", &[("name", name.into())]))
            .unwrap_or(false);
        if !sure {
            return;
        }
        match ws.edit(|p| p.delete_class(id)) {
            Ok(_) => {
                if ws.selected.get_untracked() == Some(id) {
                    let first = ws
                        .open
                        .with_untracked(|o| o.project().classes.first().map(|c| c.id));
                    ws.selected.set(first);
                }
            }
            Err(e) => ws.status.set(Said::raw(e)),
        }
    };
    let examples = class
        .examples
        .into_iter()
        .map(|e| {
            let example = e.id;
            let remove = move |_| {
                if let Err(e) = ws.edit(|p| p.delete_example(example)) {
                    ws.status.set(Said::raw(e));
                }
            };
            view! {
                <span
                    class="example"
                    data-testid="example"
                    data-example-id=example
                    data-embedded=move || ws.open.with(|o| o.is_embedded(example)).to_string()
                >
                    <ExampleView example=e/>
                    <button class="remove" title=t("class-delete-example") on:click=remove>"×"</button>
                </span>
            }
        })
        .collect_view();
    view! {
        <li
            data-testid="class-item"
            data-class-name=class.name.clone()
            class:selected=move || ws.selected.get() == Some(id)
            on:click=move |_| ws.selected.set(Some(id))
        >
            <input class="name" value=class.name.clone() on:change=rename/>
            <span class="count" data-testid="example-count">{count}</span>
            <button class="delete" title=t("class-delete-title") on:click=delete>{t("class-delete")}</button>
            <div class="examples">{examples}</div>
        </li>
    }
}
