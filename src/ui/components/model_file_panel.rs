//! The open project's model as a file, and a class model under it. "Export model" downloads the
//! model as it answers (its examples over its class model, the fine-tuned head while it
//! applies; `docs/model-format.md`): it runs anywhere (`inkling predict`) and is what a teacher
//! gives the class. "Use a class model" puts a model file under the student's own examples: it
//! counts as two examples of each class it knows, so their own examples outweigh it as they
//! grow; it answers before they have drawn anything, and can be removed.

use leptos::prelude::*;

use crate::personal::{ModelFile, PriorMismatch};
use crate::ui::files::on_file_picked;
use crate::ui::i18n::{Said, said, said_with, t, tw};
use crate::ui::library::{Workspace, encoder_id};

/// Export the model; use, show and remove the class model.
#[component]
pub fn ModelFilePanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let export = move |_| {
        let made = ws.open.with_untracked(|o| {
            let set = o.training_set();
            let head = o.tuned().filter(|t| t.applies_to(&set)).map(|t| &t.head);
            let kind = o.project().kind;
            ModelFile::of_project_with_prior(kind, &encoder_id(kind), &set, head, o.prior())
                .map(|file| (file, o.project().name.clone()))
        });
        match made {
            Ok((file, name)) => ws.download_json(&name, "model.json", &file.export()),
            Err(_) => ws.status.set(said("model-export-need-examples")),
        }
    };
    let import = move |ev: leptos::ev::Event| {
        on_file_picked(
            ev,
            move |name, bytes| use_class_model(ws, name, &bytes),
            move |e| ws.status.set(Said::raw(e)),
        );
    };
    // A memo: the notice (and its button) is drawn again only when what it says changes, not
    // on every embedding that lands.
    let in_use = Memo::new(move |_| {
        ws.open.with(|o| {
            o.prior().map(|p| {
                let covered = o
                    .project()
                    .classes
                    .iter()
                    .filter(|c| p.prototype(&c.name).is_some())
                    .count();
                (p.contributors, covered, o.project().classes.len())
            })
        })
    });
    let remove = move |_| {
        let id = ws.open.with_untracked(|o| o.id().clone());
        ws.set_class_model(id, None);
    };
    view! {
        <h3>{t("model-file-title")}</h3>
        <p class="hint">{t("model-file-hint")}</p>
        <button data-testid="export-model" on:click=export>{t("model-export")}</button>
        <label class="import">
            {t("class-model-use")}
            <input type="file" accept=".json,application/json" data-testid="use-class-model" on:change=import/>
        </label>
        {move || in_use.get().map(|(contributors, covered, classes)| view! {
            <p data-testid="class-model-in-use" data-covered=covered>
                {move || tw("class-model-in-use", &[
                    ("contributors", contributors.into()),
                    ("covered", covered.into()),
                    ("classes", classes.into()),
                ])}
                " "
                <button data-testid="remove-class-model" on:click=remove>{t("class-model-remove")}</button>
            </p>
        })}
    }
}

/// A picked model file as the open project's class model, if it is one for this project; else
/// the student is told why (the file and the field, or what does not match).
fn use_class_model(ws: Workspace, name: String, bytes: &[u8]) {
    let file = match ModelFile::import(bytes) {
        Ok(file) => file,
        Err(e) => {
            ws.status.set(said_with(
                "class-model-refused",
                &[("file", name.into()), ("error", e.to_string().into())],
            ));
            return;
        }
    };
    // The project as it is now (the file took time to read).
    let (id, kind, labels) = ws
        .open
        .with_untracked(|o| (o.id().clone(), o.project().kind, o.training_set().labels));
    match file.fits(kind, &encoder_id(kind), &labels) {
        Ok(covered) => {
            ws.set_class_model(id, Some(file));
            ws.status.set(said_with(
                "class-model-used",
                &[
                    ("file", name.into()),
                    ("covered", covered.into()),
                    ("classes", labels.len().into()),
                ],
            ));
        }
        Err(mismatch) => {
            let why = match mismatch {
                PriorMismatch::Kind => "class-model-other-kind",
                PriorMismatch::Encoder { .. } => "class-model-other-encoder",
                PriorMismatch::NoClassInCommon => "class-model-no-class",
            };
            ws.status.set(said_with(why, &[("file", name.into())]));
        }
    }
}
