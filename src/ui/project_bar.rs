//! The bar above the workspace: which project is open, and what can be done with projects
//! (new, rename, delete with undo, export, import).

use leptos::prelude::*;

use super::embedder::Embedder;
use super::i18n::{Said, t, text_with};
use super::library::Workspace;
use crate::personal::Opens;
use crate::project::ProjectKind;

#[component]
pub fn ProjectBar(ws: Workspace, embedder: Embedder) -> impl IntoView {
    let rename = move |ev| {
        if let Err(e) = ws.edit(|p| p.rename(&event_target_value(&ev))) {
            ws.status.set(Said::raw(e));
        }
    };
    let delete = move |_| {
        let name = ws.open.with_untracked(|o| o.project().name.clone());
        let sure = window()
            .confirm_with_message(&text_with("proj-delete-confirm", &[("name", name.into())]))
            .unwrap_or(false);
        if sure {
            ws.delete_open();
        }
    };
    let import = move |ev: leptos::ev::Event| {
        super::files::on_file_picked(
            ev,
            move |name, bytes| ws.import(name, bytes),
            move |e| ws.status.set(Said::raw(e)),
        );
    };
    view! {
        <nav
            class="projects"
            data-testid="project-bar"
            data-loaded=move || ws.loaded.get().to_string()
            data-embedding-queue=move || embedder.pending.get()
            data-opening=move || ws.opens.with(Opens::in_flight)
        >
            <label>
                {t("proj-picker-label")}
                <select
                    data-testid="project-picker"
                    disabled=move || !ws.can_manage()
                    on:change=move |ev| ws.switch_to(event_target_value(&ev))
                >
                    <For
                        each=move || ws.projects.get()
                        key=|p| p.clone()
                        let:entry
                    >
                        <option
                            value=entry.0.clone()
                            selected=move || ws.open.with(|o| o.id().as_str() == entry.0)
                        >{entry.1.clone()}</option>
                    </For>
                </select>
            </label>
            <input
                class="project-name"
                data-testid="project-name"
                title=t("proj-rename-hint")
                prop:value=move || ws.open.with(|o| o.project().name.clone())
                on:change=rename
            />
            <button data-testid="new-project" disabled=move || !ws.can_manage()
                on:click=move |_| ws.create(ProjectKind::Drawing)>
                {t("proj-new")}
            </button>
            <button data-testid="new-text-project" disabled=move || !ws.can_manage()
                on:click=move |_| ws.create(ProjectKind::Text)>
                {t("proj-new-text")}
            </button>
            <button data-testid="new-chinese-text-project" disabled=move || !ws.can_manage()
                title=t("proj-new-text-chinese-hint")
                on:click=move |_| ws.create(ProjectKind::MultilingualText)>
                {t("proj-new-text-chinese")}
            </button>
            <button data-testid="delete-project" disabled=move || !ws.can_manage() on:click=delete>
                {t("proj-delete")}
            </button>
            <button data-testid="export-project" on:click=move |_| ws.export()>{t("proj-export")}</button>
            <label class="import">
                {t("proj-import")}
                <input type="file" accept=".json,application/json" data-testid="import-project" on:change=import/>
            </label>
        </nav>
        {move || ws.deleted.get().map(|_| view! {
            <p class="notice" data-testid="deleted-notice">
                {t("proj-deleted")}
                <button data-testid="undo-delete" on:click=move |_| ws.undo_delete()>{t("proj-undo")}</button>
            </p>
        })}
    }
}
