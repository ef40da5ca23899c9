//! The learning side of the app: the lessons on this device (built-in and imported), the
//! student's knowledge (mastery, reviews), and recording outcomes. [`Learning`] is the state the
//! home screen and the lesson screens share; outcomes reach the store with the knowledge they
//! changed, in one transaction.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::library::Workspace;
use crate::knowledge::learner::Learner;
use crate::knowledge::review::Scheduler;
use crate::lesson::builtin::builtin_lessons;
use crate::lesson::library::LessonLibrary;
use crate::store::records::{LearnerRecord, LessonRecord, OutcomeRecord, ProfileRecord};

/// Which screen is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Home,
    Projects,
    Lesson(String),
    /// The teacher's editor, making a new lesson.
    Editor,
}

#[derive(Clone, Copy)]
pub struct Learning {
    pub ws: Workspace,
    pub page: RwSignal<Page>,
    pub library: RwSignal<LessonLibrary>,
    pub learner: RwSignal<Learner>,
    pub profiles: RwSignal<Vec<ProfileRecord>>,
    /// Lessons or knowledge are read for the current profile.
    pub ready: RwSignal<bool>,
}

impl Learning {
    pub fn new(ws: Workspace) -> Self {
        let library = LessonLibrary::new(builtin_lessons().unwrap_or_default())
            .unwrap_or_else(|_| LessonLibrary::new(Vec::new()).expect("an empty library"));
        Learning {
            ws,
            page: RwSignal::new(Page::Home),
            library: RwSignal::new(library),
            learner: RwSignal::new(Learner::default()),
            profiles: RwSignal::new(Vec::new()),
            ready: RwSignal::new(false),
        }
    }

    /// Read imported lessons, the profiles and the current student's knowledge (call once the
    /// workspace has opened the store, and again after a profile switch).
    pub async fn load(self) {
        self.profiles.set(self.ws.profile_list().await);
        let Some(store) = self.ws.store.get_untracked() else {
            self.ready.set(true);
            return;
        };
        if let Ok(records) = store.lessons().await {
            let mut library = self.library.get_untracked();
            for record in records {
                // A stored lesson that no longer passes is skipped, and said.
                if let Err(e) = library.import(record.file.as_bytes()) {
                    self.ws.status.set(format!(
                        "The lesson \"{}\" could not be read: {e}",
                        record.id
                    ));
                }
            }
            self.library.set(library);
        }
        let profile = self.ws.profile.get_untracked();
        let learner = store
            .learner(&profile)
            .await
            .ok()
            .flatten()
            .map(|r| r.learner)
            .unwrap_or_default();
        self.learner.set(learner);
        self.ready.set(true);
    }

    pub fn switch_profile(self, profile: String) {
        self.ready.set(false);
        spawn_local(async move {
            self.ws.open_profile(profile).await;
            self.load().await;
        });
    }

    pub fn add_profile(self, name: String) {
        self.ready.set(false);
        spawn_local(async move {
            self.ws.add_profile(name).await;
            self.load().await;
        });
    }

    /// Import a lesson file; a bad one changes nothing and says why (as text).
    pub fn import_lesson(self, file_name: String, bytes: Vec<u8>) {
        let mut library = self.library.get_untracked();
        match library.import(&bytes) {
            Ok(id) => {
                let title = library
                    .get(&id)
                    .map(|l| l.title.clone())
                    .unwrap_or_default();
                let record = LessonRecord {
                    id: id.clone(),
                    file: String::from_utf8_lossy(&crate::lesson::export(
                        library.get(&id).expect("just imported"),
                    ))
                    .into_owned(),
                    imported_ms: js_sys::Date::now(),
                };
                self.library.set(library);
                self.ws
                    .status
                    .set(format!("Imported the lesson \"{title}\"."));
                if let Some(store) = self.ws.store.get_untracked() {
                    spawn_local(async move {
                        if let Err(e) = store.put_lesson(&record).await {
                            self.ws
                                .status
                                .set(format!("The lesson could not be saved: {e}"));
                        }
                    });
                }
            }
            Err(e) => self
                .ws
                .status
                .set(format!("\"{file_name}\" was not imported: {e}")),
        }
    }

    /// Record an outcome: the student's knowledge changes, and the store gets both in one
    /// transaction. Returns whether it was right (for chaining in views).
    pub fn record(self, lesson_id: &str, task: usize, item: &str, correct: bool) {
        let Some(lesson) = self.library.with_untracked(|l| l.get(lesson_id).cloned()) else {
            return;
        };
        let mut learner = self.learner.get_untracked();
        let outcome = learner.record(
            &lesson,
            task,
            item,
            correct,
            js_sys::Date::now(),
            &Scheduler::default(),
        );
        self.learner.set(learner.clone());
        let Some(store) = self.ws.store.get_untracked() else {
            return;
        };
        let profile = self.ws.profile.get_untracked();
        let learner = LearnerRecord {
            profile: profile.clone(),
            learner,
        };
        let outcome = OutcomeRecord { profile, outcome };
        spawn_local(async move {
            if let Err(e) = store.record_outcome(&learner, &outcome).await {
                self.ws
                    .status
                    .set(format!("Progress could not be saved: {e}"));
            }
        });
    }
}
