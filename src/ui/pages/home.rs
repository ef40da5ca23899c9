//! The home screen: who is learning (profiles), what to do next and why, the concept map
//! coloured by mastery, and the lessons (start one, import one by file or drag-and-drop).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::knowledge::bkt::MASTERED;
use crate::knowledge::item::ItemId;
use crate::knowledge::next::{Suggestion, what_next};
use crate::lesson::LessonId;
use crate::profile::ProfileId;
use crate::ui::i18n::{Said, language, t, tw};
use crate::ui::learning::{Learning, Page};

#[component]
pub fn Home(learning: Learning) -> impl IntoView {
    let new_profile = RwSignal::new(String::new());
    let chosen_concept = RwSignal::new(None::<String>);
    let next = move || {
        let now = js_sys::Date::now();
        learning.library.with(|library| {
            learning.learner.with(|learner| {
                what_next(
                    library.lessons(),
                    library.graph(),
                    &learner
                        .mastery
                        .iter()
                        .map(|(k, v)| (k.clone(), *v))
                        .collect(),
                    learner.due(now).len(),
                )
            })
        })
    };
    let suggestions = move || {
        let (suggestions, blocked) = next();
        let language = language().get();
        let items = suggestions
            .into_iter()
            .map(|s| match s {
                Suggestion::Review { reason, .. } => {
                    let first_due = learning.learner.with_untracked(|l| {
                        l.due(js_sys::Date::now())
                            .first()
                            .and_then(|c| LessonId::parse(ItemId::lesson_of(&c.item)).ok())
                    });
                    view! {
                        <li data-testid="suggestion" data-kind="review">
                            <span>{reason.text(language)}</span>" "
                            <button on:click=move |_| {
                                if let Some(lesson) = first_due.clone() {
                                    learning.page.set(Page::Lesson(lesson));
                                }
                            }>{t("next-review-button")}</button>
                        </li>
                    }
                    .into_any()
                }
                Suggestion::Lesson { id, reason } => {
                    let open = id.clone();
                    view! {
                        <li data-testid="suggestion" data-kind="lesson" data-lesson=id.to_string()>
                            <span>{reason.text(language)}</span>" "
                            <button on:click=move |_| learning.page.set(Page::Lesson(open.clone()))>{t("next-start")}</button>
                        </li>
                    }
                    .into_any()
                }
            })
            .collect_view();
        let held = blocked
            .into_iter()
            .map(|b| view! { <li class="hint" data-testid="blocked" data-lesson=b.id.to_string()>{b.reason.text(language)}</li> })
            .collect_view();
        view! {
            <ol class="suggestions">{items}</ol>
            <ul class="blocked">{held}</ul>
        }
    };
    let import = move |ev: leptos::ev::Event| {
        crate::ui::files::on_file_picked(
            ev,
            move |name, bytes| learning.import_lesson(name, bytes),
            move |e| learning.ws.status.set(Said::raw(e)),
        );
    };
    let import_profile = move |ev: leptos::ev::Event| {
        crate::ui::files::on_file_picked(
            ev,
            move |name, bytes| learning.import_profile(name, bytes),
            move |e| learning.ws.status.set(Said::raw(e)),
        );
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        spawn_local(async move {
            match crate::ui::files::read_file(&file).await {
                Ok(bytes) => learning.import_lesson(file.name(), bytes),
                Err(e) => learning.ws.status.set(Said::raw(e)),
            }
        });
    };
    let lessons = move || {
        learning.library.with(|library| {
            library
                .lessons()
                .iter()
                .filter(|l| {
                    chosen_concept.with(|c| c.as_ref().is_none_or(|c| l.teaches.contains(c)))
                })
                .map(|l| {
                    let id = l.id.clone();
                    let edit = l.id.clone();
                    view! {
                        <li data-testid="lesson" data-lesson=l.id.to_string()>
                            <b>{l.title.clone()}</b>
                            <span class="hint">{format!(" ({}) ", l.language)}</span>
                            <button on:click=move |_| learning.page.set(Page::Lesson(id.clone()))>{t("lessons-open")}</button>
                            <button
                                data-testid="edit-lesson"
                                title=t("lessons-edit-hint")
                                on:click=move |_| learning.page.set(Page::Editor(Some(edit.clone())))
                            >{t("lessons-edit")}</button>
                            <p class="hint">{l.description.clone()}</p>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="home" data-testid="home" data-ready=move || learning.ready.get().to_string()>
            <div class="profiles">
                <label>
                    {t("profile-student")}" "
                    <select
                        data-testid="profile-picker"
                        on:change=move |ev| match ProfileId::parse(&event_target_value(&ev)) {
                            Ok(profile) => learning.switch_profile(profile),
                            Err(e) => learning.ws.status.set(Said::raw(e)),
                        }
                    >
                        {move || learning.profiles.get().into_iter().map(|p| {
                            let selected = learning.ws.profile.get() == p.id;
                            view! { <option value=p.id.to_string() selected=selected>{p.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <input
                    placeholder=t("profile-new-name")
                    data-testid="new-profile-name"
                    prop:value=move || new_profile.get()
                    on:input=move |ev| new_profile.set(event_target_value(&ev))
                />
                <button data-testid="add-profile" on:click=move |_| {
                    learning.add_profile(new_profile.get_untracked());
                    new_profile.set(String::new());
                }>{t("profile-add")}</button>
                <button data-testid="export-profile" on:click=move |_| learning.export_profile()>{t("profile-export")}</button>
                <label>
                    {t("profile-import")}" "
                    <input type="file" accept=".json,application/json" data-testid="import-profile" on:change=import_profile/>
                </label>
            </div>
            <h2>{t("home-what-next")}</h2>
            {suggestions}
            <h2>{t("home-what-you-know")}</h2>
            <ConceptMap learning chosen_concept/>
            <h2>
                {t("home-lessons")}
                {move || chosen_concept.get().map(|c| {
                    let name = learning.library.with(|l| {
                        l.graph().get(&c).map_or(c.clone(), |concept| concept.name.clone())
                    });
                    view! {
                        <span class="hint">" "{move || tw("lessons-teaching", &[("concept", name.clone().into())])}" "</span>
                        <button on:click=move |_| chosen_concept.set(None)>{t("lessons-show-all")}</button>
                    }
                })}
            </h2>
            <ul class="lessons">{lessons}</ul>
            <button data-testid="new-lesson" on:click=move |_| learning.page.set(Page::Editor(None))>
                {t("lessons-new")}
            </button>
            <div
                class="dropzone"
                data-testid="lesson-dropzone"
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:drop=drop
            >
                {t("lessons-drop")}" "
                <input type="file" accept=".json,application/json" data-testid="import-lesson" on:change=import/>
            </div>
        </section>
    }
}

/// The concept graph as layers (prerequisites to the left), each concept coloured by the
/// student's mastery; a click shows the lessons that teach it.
#[component]
fn ConceptMap(learning: Learning, chosen_concept: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        let (w, h, gap_x, gap_y) = (150.0, 44.0, 40.0, 14.0);
        learning.library.with(|library| {
            let graph = library.graph();
            let layers = graph.layers();
            let mut position = std::collections::HashMap::new();
            for (x, layer) in layers.iter().enumerate() {
                for (y, id) in layer.iter().enumerate() {
                    position.insert(id.to_string(), (x as f64 * (w + gap_x), y as f64 * (h + gap_y)));
                }
            }
            let width = layers.len() as f64 * (w + gap_x);
            let height = layers.iter().map(Vec::len).max().unwrap_or(1) as f64 * (h + gap_y);
            let edges = graph
                .concepts()
                .iter()
                .flat_map(|c| {
                    let to = position[&c.id];
                    c.requires
                        .iter()
                        .map(|r| {
                            let from = position[r];
                            view! {
                                <line x1=from.0 + w y1=from.1 + h / 2.0 x2=to.0 y2=to.1 + h / 2.0 stroke="#9aa6bd" stroke-width="1.5"/>
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .collect_view();
            let nodes = graph
                .concepts()
                .iter()
                .map(|c| {
                    let (x, y) = position[&c.id];
                    let id = c.id.clone();
                    let mastery = learning.learner.with(|l| l.mastery_of(&c.id));
                    // Red (not known) to green (mastered), through amber.
                    let hue = (mastery.min(MASTERED) / MASTERED * 120.0).round();
                    let fill = format!("hsl({hue}, 70%, 82%)");
                    view! {
                        <g
                            class="concept"
                            data-testid="concept"
                            data-concept=c.id.clone()
                            data-mastery=format!("{mastery:.3}")
                            on:click=move |_| chosen_concept.set(Some(id.clone()))
                        >
                            <rect x=x y=y width=w height=h rx="8" fill=fill stroke="#5b6785"/>
                            <text x=x + 8.0 y=y + 18.0 font-size="12" font-weight="600">{c.name.clone()}</text>
                            <text x=x + 8.0 y=y + 35.0 font-size="11">{move || tw("concept-known", &[("percent", format!("{:.0}", mastery * 100.0).into())])}</text>
                            <title>{c.description.clone()}</title>
                        </g>
                    }
                })
                .collect_view();
            view! {
                <svg class="concept-map" data-testid="concept-map" viewBox=format!("0 0 {width} {height}") width=width height=height>
                    {edges}
                    {nodes}
                </svg>
            }
        })
    }
}
