//! The web app (leptos, client-side). This file mounts the app: it loads the engine, provides
//! the shared services through context and routes between the pages. The pages and their
//! pieces live in `pages/` and `components/`; the logic they call lives in `personal`,
//! `project`, `lesson` and `knowledge`, tested natively.

mod components;
pub mod crash;
#[cfg(feature = "text")]
mod download;
mod drawing_pad;
mod embedder;
mod engine;
mod files;
mod i18n;
mod learning;
mod library;
mod models;
mod one_tab;
mod pages;
mod project_bar;
mod saving;
mod sharing;
mod text_engine;
mod thumbnail;
mod update_notice;
mod worker;

pub use update_notice::service_workers;
pub use worker::in_worker::start as start_engine_worker;

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use engine::EngineSignal;
pub use engine::{Backend, BackendRequest, DrawingStart, Engine};
use library::Workspace;
use pages::projects::ProjectsPage;
use text_engine::TextModel;
pub use worker::client::Build;

use self::i18n::{Said, said, said_with, t, tw};

/// Milliseconds since the page's navigation began.
pub(crate) fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

#[component]
pub fn App() -> impl IntoView {
    let status = RwSignal::new(said("status-loading"));
    let ws = Workspace::new(status);
    let engine: EngineSignal = RwSignal::new_local(None::<Rc<Engine>>);
    // Text projects and lessons: the sentence encoder, fetched when first needed.
    let text_model = TextModel::new(status);
    let text_engine = text_model.engine;
    let text_progress = text_model.progress;
    // The sentence model the open text project needs (None for drawings).
    let sentence_model = Memo::new(move |_| ws.open.with(|o| o.project().kind.sentence_model()));
    // Milliseconds since navigation began when the model was ready (cold load to interactive).
    let ready_ms = RwSignal::new(None::<f64>);

    let search = window().location().search().unwrap_or_default();
    let request = BackendRequest::current(&search);
    let learning = learning::Learning::new(ws);
    let page = learning.page;
    provide_context(ws);
    provide_context(engine);
    provide_context(text_model);
    let models = models::Models::new(engine, text_model, status);
    provide_context(models);
    let embedder = embedder::Embedder::start(ws, models);
    // The store is read (and written) once this tab is the one that writes.
    let tab = one_tab::OneTab::start(ws, learning);
    saving::keep_saving(ws, learning);
    // Every change to the open project is written to the store, in order.
    let outline = Memo::new(move |_| ws.open.with(|o| (o.id().clone(), o.project().clone())));
    Effect::new(move |_| {
        let (id, project) = outline.get();
        ws.save_changes(id, project);
    });
    // A text project needs its sentence model: fetched (or read from the cache) once, on
    // the device the drawing engine chose. On the projects page only (a lesson's page asks
    // for the model its sentences need, which may be the other one), and not while another
    // project is being opened (its model may be the other one).
    // Tracks the model too: one whose worker stopped is loaded again.
    Effect::new(move |_| {
        text_engine.track();
        if let Some(engine) = engine.get()
            && let Some(model) = sentence_model.get()
            && page.get() == learning::Page::Projects
            && ws.opens.with(|o| o.in_flight() == 0)
        {
            text_model.ensure(engine.backend, model);
        }
    });
    spawn_local(async move {
        match models.start_drawing(request, None).await {
            Ok(_) => ready_ms.set(Some(now_ms())),
            Err(e) => status.set(said_with("status-load-failed", &[("error", e.into())])),
        }
    });

    view! {
        <header>
            <h1>"Inkling"</h1>
            <span class="backend">
                {t("header-backend")}
                <b data-testid="backend">{move || {
                    engine
                        .get()
                        .map(|e| e.backend.label().to_string())
                        .unwrap_or_else(|| tw("backend-loading", &[]))
                }}</b>
            </span>
            <label>
                {t("settings-language")} " "
                <select
                    data-testid="language"
                    on:change=move |ev| {
                        learning.set_language(
                            crate::i18n::Language::from_tag(&event_target_value(&ev)).unwrap_or_default(),
                        );
                    }
                >
                    {crate::i18n::Language::ALL
                        .into_iter()
                        .map(|l| {
                            let lang = i18n::language();
                            view! { <option value=l.code() prop:selected=move || lang.get() == l>{l.native_name()}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        </header>
        <nav class="pages">
            <button data-testid="nav-home" class:current=move || page.get() != learning::Page::Projects
                on:click=move |_| page.set(learning::Page::Home)>{t("nav-learn")}</button>
            <button data-testid="nav-projects" class:current=move || page.get() == learning::Page::Projects
                on:click=move |_| page.set(learning::Page::Projects)>{t("nav-projects")}</button>
        </nav>
        <div style:display=move || if page.get() == learning::Page::Projects { "" } else { "none" }>
            <project_bar::ProjectBar ws embedder/>
        </div>
        <p class="status" data-testid="status" data-ready-ms=move || ready_ms.get().map(|t| format!("{t:.0}"))
            data-warm-ms=move || models.drawing_warm_ms.get().map(|t| format!("{t:.0}"))>
            {move || engine.with(|e| e.is_none()).then(|| view! {
                <progress data-testid="model-progress"></progress>" "
            })}
            {move || status.with(Said::words)}
        </p>
        <one_tab::TabNotice tab/>
        <update_notice::UpdateNotice/>
        {move || {
            let unreadable = ws.unreadable.get();
            (!unreadable.is_empty()).then(|| {
                let named = unreadable
                    .iter()
                    .map(|u| format!("{}/{} ({})", u.store, u.key, u.error))
                    .collect::<Vec<_>>()
                    .join("; ");
                view! {
                    <p class="notice" data-testid="unreadable-notice">
                        {tw("store-unreadable", &[("records", named.into())])} " "
                        <button on:click=move |_| ws.unreadable.set(Vec::new())>{t("notice-dismiss")}</button>
                    </p>
                }
            })
        }}
        {move || learning.notice.get().map(|notice| view! {
            <p class="notice" data-testid="learner-notice">
                {notice.words()} " "
                <button on:click=move |_| learning.notice.set(None)>{t("notice-dismiss")}</button>
            </p>
        })}
        {move || ws.storage_problem.get().map(|problem| view! {
            <p class="notice error" data-testid="storage-problem">
                {problem} " "
                <button on:click=move |_| ws.export()>{t("store-export-now")}</button>
            </p>
        })}
        // The sentence encoder's download (text projects, once per device).
        {move || text_progress.get().map(|(done, total)| {
            let mb = |b: usize| format!("{:.1}", b as f64 / 1e6);
            let words = match total {
                Some(total) => tw("text-model-downloading", &[("done", mb(done).into()), ("total", mb(total).into())]),
                None => tw("text-model-downloading", &[("done", mb(done).into()), ("total", "?".into())]),
            };
            view! {
                <p class="status" data-testid="text-model-download">
                    <progress data-testid="text-model-progress" max=total.unwrap_or(0) value=done></progress>
                    " " {words}
                </p>
            }
        })}
        <span
            hidden
            data-testid="text-model"
            data-ready=move || text_engine.with(|e| e.is_some()).to_string()
            data-model=move || text_model.loaded().map(|m| m.encoder_id())
            data-backend=move || text_engine.with(|e| e.as_ref().map(|e| e.backend.label()))
            data-worker-stops=move || text_model.stops()
            data-warm-ms=move || text_model.warm_ms.get().map(|ms| format!("{ms:.0}"))
            data-from-cache=move || text_engine.with(|e| e.as_ref().map(|e| e.from_cache.to_string()))
            data-load-ms=move || text_engine.with(|e| e.as_ref().map(|e| format!("{:.0}", e.load_ms)))
            data-bytes=move || text_engine.with(|e| e.as_ref().map(|e| e.bytes))
        ></span>
        {move || match page.get() {
            learning::Page::Home => view! { <pages::home::Home learning/> }.into_any(),
            learning::Page::Lesson(id) => view! { <pages::lesson::LessonView learning id/> }.into_any(),
            learning::Page::Editor(editing) => view! { <pages::editor::Editor learning editing/> }.into_any(),
            learning::Page::Projects => ().into_any(),
        }}
        // Kept mounted (hidden) on the other pages, so a drawing half made on a pad is still
        // there when the student comes back.
        <div style:display=move || if page.get() == learning::Page::Projects { "" } else { "none" }>
            <ProjectsPage request/>
        </div>
    }
}
