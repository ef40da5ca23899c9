//! A teach task: make its project, teach it, check it against the target.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::knowledge::item::ItemId;
use crate::learn::prototypes::OnlineStrategy;
use crate::lesson::{Lesson, LessonClass, LessonId, Metric, classes_are_text, sentence_model_of};
use crate::project::Project;
use crate::ui::i18n::{Said, t, text, tw};
use crate::ui::learning::{Learning, Page};

/// The teach task: open its classes as a project; check the model against the target on the
/// student's own drawings (each judged by the others).
#[component]
pub fn Teach(
    learning: Learning,
    lesson: Arc<Lesson>,
    task: usize,
    classes: Vec<LessonClass>,
    instructions: String,
    metric: Metric,
    value: f32,
) -> impl IntoView {
    let result = RwSignal::new(None::<Result<(f64, bool), String>>);
    let title = lesson.title.clone();
    let names: Vec<String> = classes.iter().map(|c| c.name.clone()).collect();
    let is_text = classes_are_text(&classes);
    let sentence_model = sentence_model_of(&classes);
    // A text task's sentences are the teacher's examples of what to write.
    let hints = classes
        .iter()
        .flat_map(|c| c.sentences.iter().map(move |s| format!("{}: {s}", c.name)))
        .map(|line| view! { <li>{line}</li> })
        .collect_view();
    let lesson_id = lesson.id.clone();
    let start = move |_| {
        let lesson_id = lesson_id.clone();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let title: String = title.chars().take(60).collect();
        let project = if is_text {
            Project::new_text_read_by(sentence_model, &title, &refs)
        } else {
            Project::new(&title, &refs)
        };
        match project {
            Ok(project) => {
                // The check scores the project this made (kept per student, lesson and task),
                // whichever project is open then.
                if let Some(id) = learning.ws.create_from(project) {
                    let key = teach_project_key(&learning, &lesson_id, task);
                    if let Some(store) = learning.ws.store.get_untracked() {
                        spawn_local(async move {
                            let _ = store.set_setting(&key, id.as_str()).await;
                        });
                    }
                }
                learning.page.set(Page::Projects);
            }
            Err(e) => learning.ws.status.set(Said::raw(e)),
        }
    };
    let metric_name = match metric {
        Metric::Accuracy => "metric-accuracy",
        Metric::MacroF1 => "metric-macro-f1",
    };
    let lesson_id = lesson.id.clone();
    let check = move |_| {
        let ws = learning.ws;
        let lesson_id = lesson_id.clone();
        spawn_local(async move {
            let key = teach_project_key(&learning, &lesson_id, task);
            let set = match ws.store.get_untracked() {
                Some(store) => {
                    let made = store.setting(&key).await.ok().flatten();
                    match made {
                        Some(id) if ws.open.with_untracked(|o| o.id().as_str() == id) => {
                            Ok(ws.open.with_untracked(|o| o.training_set()))
                        }
                        Some(id) => {
                            stored_training_set(&store, &ws.profile.get_untracked(), &id).await
                        }
                        None => Err(text("teach-start-first")),
                    }
                }
                // Without a store the page holds one project: the one open.
                None => Ok(ws.open.with_untracked(|o| o.training_set())),
            };
            let score = set.and_then(|set| {
                set.evaluate(OnlineStrategy::Incremental)
                    .map(|cm| match metric {
                        Metric::Accuracy => cm.accuracy(),
                        Metric::MacroF1 => cm.macro_f1(),
                    })
                    .map_err(|e| match e {
                        crate::learn::prototypes::PrototypeError::NoExamples => {
                            text("eval-need-examples")
                        }
                        e => e.to_string(),
                    })
            });
            let outcome = score.map(|s| (s, s >= f64::from(value)));
            if let Ok((_, reached)) = outcome {
                learning.record(&lesson_id, task, &ItemId::teach(&lesson_id, task), reached);
            }
            // The student may have left the lesson meanwhile.
            _ = result.try_set(Some(outcome));
        });
    };
    view! {
        <div class="teach-task" data-testid="teach-task">
            <p class="hint">{instructions}</p>
            <ul class="hint">{hints}</ul>
            <p>{move || tw("teach-target", &[
                ("metric", tw(metric_name, &[]).into()),
                ("percent", format!("{:.0}", value * 100.0).into()),
            ])}</p>
            <button data-testid="teach-start" on:click=start>{t("teach-start")}</button>
            <button data-testid="teach-check" on:click=check>{t("teach-check")}</button>
            {move || result.get().map(|r| match r {
                Ok((score, reached)) => view! {
                    <p data-testid="teach-result" data-reached=reached.to_string()>
                        {move || tw("teach-score", &[
                            ("metric", tw(metric_name, &[]).into()),
                            ("percent", format!("{:.0}", score * 100.0).into()),
                        ])}" "
                        {t(if reached { "teach-reached" } else { "teach-not-yet" })}
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="status">{e}</p> }.into_any(),
            })}
        </div>
    }
}

/// The setting that remembers which project a teach task made, per student.
fn teach_project_key(learning: &Learning, lesson: &LessonId, task: usize) -> String {
    format!(
        "teach-project/{}/{lesson}/{task}",
        learning.ws.profile.get_untracked()
    )
}

/// The training set of a stored project of `profile` (one that is not open).
async fn stored_training_set(
    store: &crate::store::idb::Store,
    profile: &crate::profile::ProfileId,
    id: &str,
) -> Result<crate::personal::TrainingSet, String> {
    let records = store.projects(profile).await.map_err(|e| e.to_string())?;
    let Some(record) = records.into_iter().find(|r| r.id == id) else {
        return Err(text("teach-start-first"));
    };
    let encoder = crate::ui::library::encoder_id(record.kind);
    let (project, embeddings) = store
        .load_project(&record, &encoder)
        .await
        .map_err(|e| e.to_string())?;
    Ok(crate::personal::TrainingSet::of(&project, &embeddings))
}
