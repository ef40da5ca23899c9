//! A class project gathers its students' contributions ("Share with the class" files, or pool
//! files another device gathered): dropped or picked many at once, each added whole or refused
//! with its name and the field at fault, a refused file changing nothing. The teacher sees, per
//! class, how many students and examples it pooled. The class model (the exact pooled mean, or
//! a robust median or trimmed mean that bounds what one bad file can do) becomes this project's
//! class model, so the test pad answers with it and "Export model" gives it to the class; the
//! pool itself downloads for another device to merge.
//!
//! The pool belongs to the project open when it was loaded: a drop is gathered into the pool as
//! it is when the files have been read, only while that project is still open, and written to
//! the store whole.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::federated::gather::{FileReport, Gathered, MAX_FILES, gather};
use crate::federated::pool::{Added, Aggregation, ClassPool};
use crate::personal::{ModelFile, ProjectId};
use crate::ui::files::{files_of, read_files};
use crate::ui::i18n::{Said, said, said_with, t, tw};
use crate::ui::library::{Workspace, encoder_id};
use crate::ui::sharing::{StoredPool, load_pool, save_pool};

/// How the class model is made, as offered (key, message id, aggregation).
const MODES: [(&str, &str, Aggregation); 3] = [
    ("pooled", "class-mode-pooled", Aggregation::Pooled),
    ("median", "class-mode-median", Aggregation::Median),
    (
        "trimmed",
        "class-mode-trimmed",
        Aggregation::TrimmedMean { trim: 0.2 },
    ),
];

/// One file of the last drop: its name and what happened to it (in words when shown).
#[derive(Clone)]
struct FileLine {
    file: String,
    said: Said,
    refused: bool,
}

/// The drop zone, the per-class table, the class model's mode and the pool's download.
#[component]
pub fn ClassPanel() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    // The open project's gathered contributions as last read or written (None inside: none
    // yet), to show; None while they are read, or when the store could not be read. Gathering
    // reads the store again (another tab may have gathered since).
    let pool = RwSignal::new(None::<(ProjectId, Option<ClassPool>)>);
    let lines = RwSignal::new(Vec::<FileLine>::new());
    let mode = RwSignal::new(Aggregation::Pooled);
    let project = Memo::new(move |_| ws.open.with(|o| o.id().clone()));
    // Loads may finish in any order: only the newest shows.
    let loads = StoredValue::new(0u64);
    Effect::new(move |_| {
        let id = project.get();
        // Read again once the store is open (or open again).
        ws.store.with(Option::is_some);
        pool.set(None);
        lines.set(Vec::new());
        let load = loads.try_update_value(|n| {
            *n += 1;
            *n
        });
        spawn_local(async move {
            let loaded = load_pool(ws, &id).await;
            if project.get_untracked() != id || loads.try_get_value() != load {
                return;
            }
            match loaded {
                Ok(StoredPool::Nothing) => pool.set(Some((id, None))),
                Ok(StoredPool::Pool(p)) => pool.set(Some((id, Some(p)))),
                Ok(StoredPool::SetAside(why)) => {
                    ws.status
                        .set(said_with("class-pool-set-aside", &[("error", why.into())]));
                    pool.set(Some((id, None)));
                }
                Err(e) => ws
                    .status
                    .set(said_with("class-pool-unreadable", &[("error", e.into())])),
            }
        });
    });

    // Drops are gathered one after another, each into the pool the store holds then.
    let queue = StoredValue::new(Vec::<(ProjectId, ReadFiles)>::new());
    let running = StoredValue::new(false);
    let take = move |id: ProjectId, files: ReadFiles| {
        queue.update_value(|q| q.push((id, files)));
        if running.get_value() {
            return;
        }
        running.set_value(true);
        spawn_local(async move {
            while let Some((id, files)) = queue
                .try_update_value(|q| (!q.is_empty()).then(|| q.remove(0)))
                .flatten()
            {
                let Some(shown) = gather_files(ws, &id, files, mode.get_untracked()).await else {
                    continue;
                };
                if project.get_untracked() == id {
                    lines.set(shown.lines);
                    pool.set(Some((id, Some(shown.pool))));
                }
            }
            running.set_value(false);
        });
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(files) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .map(|l| files_of(&l))
        else {
            return;
        };
        // For the project open now, whatever is open once the files are read.
        let id = project.get_untracked();
        spawn_local(async move { take(id, read_files(files, MAX_FILES).await) });
    };
    let pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(files) = input.files().map(|l| files_of(&l)) else {
            return;
        };
        let id = project.get_untracked();
        spawn_local(async move {
            let files = read_files(files, MAX_FILES).await;
            // Emptied, so the same files can be picked again.
            input.set_value("");
            take(id, files);
        });
    };
    let change_mode = move |ev| {
        let chosen = event_target_value(&ev);
        let Some((_, _, m)) = MODES.iter().find(|(k, _, _)| *k == chosen) else {
            return;
        };
        mode.set(*m);
        if let Some((id, Some(p))) = pool.get_untracked() {
            use_class_model(ws, &id, &p, *m);
        }
    };
    let download_pool = move |_| {
        let Some((_, Some(p))) = pool.get_untracked() else {
            return;
        };
        let name = ws.open.with_untracked(|o| o.project().name.clone());
        ws.download_json(&name, "pool.json", &p.export());
    };
    let table = move || {
        pool.with(|p| {
            let (_, Some(p)) = p.as_ref()? else {
                return None;
            };
            let students = p.contributions().count();
            // Gathered for the classes the project had then: say so when they changed.
            let now: Vec<String> = ws
                .open
                .with(|o| o.project().classes.iter().map(|c| c.name.clone()).collect());
            let gathered_for = (p.classes() != now.as_slice()).then(|| p.classes().join(", "));
            let rows = p
                .summary()
                .into_iter()
                .map(|s| view! {
                    <tr data-testid="class-row" data-class=s.name.clone() data-students=s.contributors>
                        <td>{s.name.clone()}</td>
                        <td>{s.contributors}</td>
                        <td>{format!("{:.0}", s.examples)}</td>
                    </tr>
                })
                .collect_view();
            Some(view! {
                {gathered_for.map(|classes| view! {
                    <p class="hint" data-testid="class-pool-classes">
                        {move || tw("class-pool-other-classes", &[("classes", classes.clone().into())])}
                    </p>
                })}
                <p data-testid="class-students" data-students=students>
                    {move || tw("class-students", &[("students", students.into())])}
                </p>
                <table class="scores">
                    <tr>
                        <th>{t("eval-col-class")}</th>
                        <th>{t("class-col-students")}</th>
                        <th>{t("class-col-examples")}</th>
                    </tr>
                    {rows}
                </table>
            })
        })
    };
    view! {
        <h3>{t("class-gather-title")}</h3>
        <p class="hint">{t("class-hint")}</p>
        <div
            class="dropzone"
            data-testid="class-dropzone"
            data-ready=move || pool.with(Option::is_some).to_string()
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=drop
        >
            {t("class-drop")}" "
            <input type="file" multiple accept=".json,application/json" data-testid="class-files" on:change=pick/>
        </div>
        <ul class="file-report" data-testid="class-report">
            {move || lines.get().into_iter().map(|l| view! {
                <li data-testid="class-file" data-refused=l.refused.to_string()>
                    <b>{l.file}</b>": "{move || l.said.words()}
                </li>
            }).collect_view()}
        </ul>
        {table}
        <label>
            {t("class-mode")}" "
            <select data-testid="class-mode" on:change=change_mode>
                {MODES.iter().map(|(key, label, _)| view! { <option value=*key>{t(label)}</option> }).collect_view()}
            </select>
        </label>
        " "
        <button data-testid="download-pool" on:click=download_pool>{t("class-download-pool")}</button>
    }
}

/// Files as read: each name with its bytes, or why it could not be read.
type ReadFiles = Vec<(String, Result<Vec<u8>, String>)>;

/// What a gathering did: the pool now, and a line per file.
struct Shown {
    pool: ClassPool,
    lines: Vec<FileLine>,
}

/// Gather `files` into project `id`'s pool as the store holds it now, while that project is
/// open; write the pool back whole and make its class model the project's.
async fn gather_files(
    ws: Workspace,
    id: &ProjectId,
    files: ReadFiles,
    mode: Aggregation,
) -> Option<Shown> {
    let stored = match load_pool(ws, id).await {
        Ok(StoredPool::Pool(p)) => Some(p),
        Ok(StoredPool::Nothing) => None,
        Ok(StoredPool::SetAside(why)) => {
            ws.status
                .set(said_with("class-pool-set-aside", &[("error", why.into())]));
            None
        }
        Err(e) => {
            ws.status
                .set(said_with("class-pool-unreadable", &[("error", e.into())]));
            return None;
        }
    };
    // The project as it is now (reading took time): still the one the files were dropped on.
    let Some((kind, labels)) = ws
        .open
        .with_untracked(|o| (o.id() == id).then(|| (o.project().kind, o.training_set().labels)))
    else {
        ws.status.set(said("class-pool-project-changed"));
        return None;
    };
    let mut pool =
        stored.unwrap_or_else(|| ClassPool::new(&encoder_id(kind), kind.embedding_dim(), labels));
    let (readable, unread): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.1.is_ok());
    let readable: Vec<(String, Vec<u8>)> = readable
        .into_iter()
        .filter_map(|(name, bytes)| Some((name, bytes.ok()?)))
        .collect();
    let mut lines: Vec<FileLine> = gather(&mut pool, &readable).into_iter().map(line).collect();
    lines.extend(unread.into_iter().map(|(file, e)| FileLine {
        file,
        said: Said::raw(e.err().unwrap_or_default()),
        refused: true,
    }));
    use_class_model(ws, id, &pool, mode);
    if let Err(e) = save_pool(ws, id, &pool).await {
        ws.status
            .set(said_with("class-pool-not-saved", &[("error", e.into())]));
    }
    Some(Shown { pool, lines })
}

/// What gathering one file did, in words.
fn line(report: FileReport) -> FileLine {
    let (said, refused) = match report.gathered {
        Gathered::Contribution(Added::New) => (said("class-file-added"), false),
        Gathered::Contribution(Added::Replaced) => (said("class-file-replaced"), false),
        Gathered::Contribution(Added::AlreadyNewer) => (said("class-file-older"), false),
        Gathered::Pool { gained } => (
            said_with("class-file-pool", &[("gained", gained.into())]),
            false,
        ),
        Gathered::Refused(e) => (
            said_with("class-file-refused", &[("error", e.to_string().into())]),
            true,
        ),
    };
    FileLine {
        file: report.file,
        said,
        refused,
    }
}

/// The class model of `pool` by `mode` as project `id`'s class model (none while no class
/// has a prototype: the project keeps the one it has).
fn use_class_model(ws: Workspace, id: &ProjectId, pool: &ClassPool, mode: Aggregation) {
    let Some(kind) = ws
        .open
        .with_untracked(|o| (o.id() == id).then(|| o.project().kind))
    else {
        return;
    };
    let model = pool.class_model(mode);
    match ModelFile::of_class(
        kind,
        &encoder_id(kind),
        kind.embedding_dim(),
        &model,
        &pool.summary(),
        pool.contributions().count(),
    ) {
        Ok(file) => ws.set_class_model(id.clone(), Some(file)),
        Err(_) => ws.status.set(said("class-model-none-yet")),
    }
}
