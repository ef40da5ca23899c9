//! The learning side of the app: the lessons on this device (built-in and imported), the
//! student's knowledge (mastery, reviews), and recording outcomes. [`Learning`] is the state the
//! home screen and the lesson screens share; outcomes reach the store with the knowledge they
//! changed, in one transaction. Each student's UI language is kept in their profile.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::i18n::{Said, browser_language, said, said_with, set_language};
use super::library::Workspace;
use crate::i18n::Language;
use crate::knowledge::item::ItemId;
use crate::knowledge::learner::{Change, Learner, Outcome};
use crate::knowledge::review::Scheduler;
use crate::learn::preprocess::Stroke;
use crate::lesson::builtin::builtin_lessons;
use crate::lesson::library::{LessonLibrary, LibraryError};
use crate::lesson::{Lesson, LessonId};
use crate::profile::{ProfileFile, ProfileId};
use crate::project::Project;
use crate::store::idb::{Store, StoreError, Stored};
use crate::store::records::{
    LEARNERS, LearnerRecord, LessonRecord, OutcomeRecord, ProfileRecord, ProjectRecord,
};

/// Which screen is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Home,
    Projects,
    Lesson(LessonId),
    /// The teacher's editor: a new lesson, or the lesson with this id.
    Editor(Option<LessonId>),
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
    /// What the student must know about their stored knowledge (a record that could not be
    /// read and was set aside), shown until dismissed.
    pub notice: RwSignal<Option<Said>>,
    /// Progress and lessons whose writes failed, written again until the store has them
    /// (`Workspace::unsaved` says that they wait).
    waiting: StoredValue<WaitingProgress>,
    /// Whose knowledge `learner` holds as the store has it (read, new, or rebuilt after an
    /// unreadable record was kept aside). None while it is not read (a load under way, or the
    /// store failing to read it): knowledge is only ever written for this student, so nothing
    /// written replaces a record nobody read.
    known: RwSignal<Option<ProfileId>>,
    /// Changes made while the student's knowledge was not read, in order: they land on it
    /// once it is read (`land_learner`), or, for a student no longer chosen, are written
    /// onto their record by `retry_progress` (`flush_pending`).
    pending: StoredValue<Vec<(ProfileId, Change)>>,
    /// The student whose waiting changes `flush_pending` is writing now: their knowledge is
    /// not landed meanwhile (it is read again after).
    flushing: StoredValue<Option<ProfileId>>,
}

/// Progress the store does not have yet: each student's knowledge as it was last meant to be
/// written (one record per student: students switched between failed writes each keep
/// theirs), the outcomes not yet written (in order), and lessons made or imported but not yet
/// stored.
#[derive(Default)]
struct WaitingProgress {
    /// With the number of the write that failed (writes are numbered as they start, so of
    /// two a student's, the later one has the newer knowledge).
    learners: Vec<(u64, LearnerRecord)>,
    outcomes: Vec<OutcomeRecord>,
    lessons: Vec<LessonRecord>,
    writes: u64,
}

impl WaitingProgress {
    /// The number of a write of knowledge starting now.
    fn next_write(&mut self) -> u64 {
        self.writes += 1;
        self.writes
    }

    /// Write `write` of `record` failed: it waits, unless newer knowledge of the same student
    /// already does (a later write that failed first).
    fn keep_learner(&mut self, write: u64, record: LearnerRecord) {
        if let Some(waiting) = self
            .learners
            .iter_mut()
            .find(|(_, l)| l.profile == record.profile)
        {
            if waiting.0 < write {
                *waiting = (write, record);
            }
        } else {
            self.learners.push((write, record));
        }
    }

    /// Write `write` of `profile`'s knowledge is in the store: what waited from before it
    /// waits no more (what a later write left waiting does).
    fn learner_written(&mut self, write: u64, profile: &ProfileId) {
        self.learners
            .retain(|(number, l)| l.profile != *profile || *number > write);
    }

    fn learner_of(&self, profile: &ProfileId) -> Option<&LearnerRecord> {
        self.learners
            .iter()
            .find(|(_, l)| l.profile == *profile)
            .map(|(_, l)| l)
    }
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
            notice: RwSignal::new(None),
            waiting: StoredValue::new(WaitingProgress::default()),
            known: RwSignal::new(None),
            pending: StoredValue::new(Vec::new()),
            flushing: StoredValue::new(None),
        }
    }

    /// Read imported lessons, the profiles and the current student's knowledge (call once the
    /// workspace has opened the store, and again after a profile switch).
    pub async fn load(self) {
        self.known.set(None);
        let profiles = self.ws.profile_list().await;
        let profile = self.ws.profile.get_untracked();
        // The student's own language, else the browser's.
        let language = profiles
            .iter()
            .find(|p| p.id == profile)
            .and_then(|p| Language::from_tag(&p.language))
            .unwrap_or_else(browser_language);
        set_language(language);
        self.profiles.set(profiles);
        let Some(store) = self.ws.store.get_untracked() else {
            // Nothing stored to write over: the knowledge lives in memory only.
            self.known.set(Some(profile));
            self.ready.set(true);
            return;
        };
        if let Ok(records) = store.lessons().await {
            let mut library = self.library.get_untracked();
            // In any stored order (a lesson may need a concept a later one defines); one that
            // no longer passes is skipped, and said.
            let refused = library.import_all(records.iter().map(|r| r.file.as_bytes()));
            for (i, e) in refused {
                self.ws.status.set(said_with(
                    "lesson-unreadable",
                    &[
                        ("lesson", records[i].id.to_string().into()),
                        ("error", e.to_string().into()),
                    ],
                ));
            }
            self.library.set(library);
        }
        let profile = self.ws.profile.get_untracked();
        let learner = self.current_knowledge(&store, &profile).await;
        if self.ws.profile.get_untracked() != profile {
            // Another student was chosen meanwhile: their load sets the learner.
            return;
        }
        if self.known.get_untracked().as_ref() == Some(&profile) {
            // A read again landed this student's knowledge meanwhile.
            self.ready.set(true);
            return;
        }
        if self.flushing.get_value().as_ref() == Some(&profile) {
            // Their waiting changes are being written: read again after.
            self.learner.set(Learner::default());
            spawn_local(self.read_learner_again(profile));
            self.ready.set(true);
            return;
        }
        match learner {
            Ok((learner, notice)) => {
                self.show_notice(notice);
                self.land_learner(&profile, learner);
            }
            Err(e) => {
                // Not read: nothing of it is shown or written; it is read again until it is.
                self.learner.set(Learner::default());
                self.notice.set(Some(said_with(
                    "learner-not-read",
                    &[("error", e.to_string().into())],
                )));
                spawn_local(self.read_learner_again(profile));
            }
        }
        self.ready.set(true);
    }

    /// The student's knowledge as the store has it, with what the student must be told. A
    /// record that cannot be read is set aside first (kept, never written over) and the
    /// knowledge rebuilt from the outcome history. Any store error (the record, setting it
    /// aside, the history) is an error: nothing is rebuilt from what was not read.
    async fn stored_learner(
        self,
        store: &Store,
        profile: &ProfileId,
    ) -> Result<(Learner, Option<Said>), StoreError> {
        let (json, error) = match store.learner(profile).await? {
            Stored::Read(record) => return Ok((record.learner, None)),
            Stored::Missing => return Ok((Learner::default(), None)),
            Stored::Unreadable { json, error } => (json, error),
        };
        store
            .set_aside(LEARNERS, profile.as_str(), &json, js_sys::Date::now())
            .await?;
        let history: Vec<Outcome> = store
            .outcomes(profile)
            .await?
            .into_iter()
            .map(|o| o.outcome)
            .collect();
        let notice = said_with(
            "learner-set-aside",
            &[("error", error.into()), ("outcomes", history.len().into())],
        );
        Ok((
            Learner::from_history(&history, &Scheduler::default()),
            Some(notice),
        ))
    }

    /// `profile`'s knowledge as it is now: what waits to be written (newer than the
    /// store's), else the store's (`stored_learner`); looked at again after the read, since a
    /// write may have failed meanwhile and left newer knowledge waiting.
    async fn current_knowledge(
        self,
        store: &Store,
        profile: &ProfileId,
    ) -> Result<(Learner, Option<Said>), StoreError> {
        if let Some(learner) = self.waiting_learner(profile) {
            return Ok((learner, None));
        }
        let read = self.stored_learner(store, profile).await;
        match self.waiting_learner(profile) {
            Some(learner) => Ok((learner, None)),
            None => read,
        }
    }

    /// `profile`'s knowledge whose write failed and waits, if any.
    fn waiting_learner(self, profile: &ProfileId) -> Option<Learner> {
        self.waiting
            .with_value(|w| w.learner_of(profile).map(|r| r.learner.clone()))
    }

    /// Show what the student must be told about their knowledge; a "could not be read"
    /// notice goes once it has been read.
    fn show_notice(self, notice: Option<Said>) {
        let unread = self.notice.with_untracked(
            |n| matches!(n, Some(Said::Message(id, _)) if *id == "learner-not-read"),
        );
        if notice.is_some() || unread {
            self.notice.set(notice);
        }
    }

    /// `profile`'s waiting changes, in order, taken out of `pending`.
    fn take_pending(self, profile: &ProfileId) -> Vec<Change> {
        let mut changes = Vec::new();
        self.pending.update_value(|pending| {
            let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(pending)
                .into_iter()
                .partition(|(p, _)| p == profile);
            *pending = others;
            changes = mine.into_iter().map(|(_, change)| change).collect();
        });
        changes
    }

    /// `learner` is `profile`'s knowledge as the store has it: it is shown, the changes that
    /// waited for it apply now (in order), and they are written with it.
    fn land_learner(self, profile: &ProfileId, mut learner: Learner) {
        let changes = self.take_pending(profile);
        let changed = !changes.is_empty();
        let outcomes = apply_changes(&mut learner, profile, changes);
        self.learner.set(learner);
        self.known.set(Some(profile.clone()));
        if changed {
            self.write_progress(outcomes);
        }
    }

    /// Write the changes that wait for `profile`, a student no longer chosen, onto their
    /// knowledge as it is now (read first), with their outcomes that wait; if the write
    /// fails, the changes wait again, first, as they were (the store is unchanged).
    async fn flush_pending(self, store: &Store, profile: &ProfileId) {
        let Ok((mut learner, _)) = self.current_knowledge(store, profile).await else {
            return;
        };
        let changes = self.take_pending(profile);
        if changes.is_empty() {
            return;
        }
        let outcomes = apply_changes(&mut learner, profile, changes.clone());
        let mut write = 0;
        let mut batch: Vec<OutcomeRecord> = Vec::new();
        self.waiting.update_value(|w| {
            write = w.next_write();
            let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut w.outcomes)
                .into_iter()
                .partition(|o| o.profile == *profile);
            w.outcomes = others;
            batch = mine;
        });
        let waited = batch.len();
        batch.extend(outcomes);
        let record = LearnerRecord {
            profile: profile.clone(),
            learner,
        };
        match store.record_outcomes(&record, &batch).await {
            Ok(()) => self
                .waiting
                .update_value(|w| w.learner_written(write, profile)),
            Err(_) => {
                self.pending.update_value(|pending| {
                    let mut back: Vec<_> =
                        changes.into_iter().map(|c| (profile.clone(), c)).collect();
                    back.append(pending);
                    *pending = back;
                });
                self.waiting.update_value(|w| {
                    batch.truncate(waited);
                    batch.append(&mut w.outcomes);
                    w.outcomes = batch;
                });
            }
        }
    }

    /// Forget whose knowledge is shown as stored (another tab may have written since): nothing
    /// is written until it is read again (`load`).
    pub fn forget_known(self) {
        self.known.set(None);
    }

    /// Read `profile`'s knowledge again, with growing pauses, until it is read (or another
    /// student is chosen, or another read landed it).
    async fn read_learner_again(self, profile: ProfileId) {
        let mut pause = 1_000;
        loop {
            gloo_timers::future::TimeoutFuture::new(pause).await;
            let waits = |learning: Learning| {
                learning.ws.profile.try_get_untracked().as_ref() == Some(&profile)
                    && learning.known.try_get_untracked() == Some(None)
            };
            let flushing =
                |learning: Learning| learning.flushing.get_value().as_ref() == Some(&profile);
            if !waits(self) {
                return;
            }
            if !flushing(self)
                && let Some(store) = self.ws.store.get_untracked()
                && let Ok((learner, notice)) = self.current_knowledge(&store, &profile).await
            {
                if !waits(self) {
                    return;
                }
                if !flushing(self) {
                    self.show_notice(notice);
                    self.land_learner(&profile, learner);
                    return;
                }
            }
            pause = (pause * 2).min(30_000);
        }
    }

    /// Whether the knowledge shown is the current student's as stored (so it may be written).
    fn knows_current(self) -> bool {
        let current = self.ws.profile.get_untracked();
        self.known.with_untracked(|k| k.as_ref() == Some(&current))
    }

    /// Speak `language` from now on, and remember it as the current student's choice.
    pub fn set_language(self, language: Language) {
        set_language(language);
        let profile = self.ws.profile.get_untracked();
        let mut record = None;
        self.profiles.update(|profiles| {
            if let Some(p) = profiles.iter_mut().find(|p| p.id == profile) {
                p.language = language.code().to_string();
                record = Some(p.clone());
            }
        });
        let (Some(record), Some(store)) = (record, self.ws.store.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            if let Err(e) = store.put_profile(&record).await {
                self.ws.status.set(said_with(
                    "profile-not-saved",
                    &[("error", e.to_string().into())],
                ));
            }
        });
    }

    pub fn switch_profile(self, profile: ProfileId) {
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

    /// Download the current student's whole profile as one file.
    pub fn export_profile(self) {
        let Some(store) = self.ws.store.get_untracked() else {
            self.ws.status.set(said("profile-export-needs-store"));
            return;
        };
        let profile = self.ws.profile.get_untracked();
        let record = self
            .profiles
            .get_untracked()
            .into_iter()
            .find(|p| p.id == profile);
        if !self.knows_current() {
            // The knowledge shown is not the student's as stored: never export it as theirs.
            self.ws.status.set(said("profile-export-waits"));
            return;
        }
        let learner = self.learner.get_untracked();
        // Every part is read, or no file is made: a file without some of the student's work
        // would look whole.
        let not_exported = move |error: String| {
            self.ws.status.set(said_with(
                "profile-not-exported",
                &[("error", error.into())],
            ));
        };
        spawn_local(async move {
            let mut projects = Vec::new();
            let records = match store.projects(&profile).await {
                Ok(records) => records,
                Err(e) => return not_exported(e.to_string()),
            };
            for r in records {
                match store.load_project(&r, "").await {
                    Ok((project, _)) => projects.push(project),
                    Err(e) => return not_exported(e.to_string()),
                }
            }
            let outcomes = match store.outcomes(&profile).await {
                Ok(outcomes) => outcomes.into_iter().map(|o| o.outcome).collect(),
                Err(e) => return not_exported(e.to_string()),
            };
            let (name, language) =
                record.map_or(("Student".into(), String::new()), |r| (r.name, r.language));
            let file = ProfileFile::new(&name, &language, projects, learner, outcomes);
            let file_name = super::files::file_name(&name, "inkling-profile.json");
            if let Err(e) = super::files::download(&file_name, &file.export(), "application/json") {
                self.ws.status.set(Said::raw(e));
            }
        });
    }

    /// Import a whole profile as a new student on this device, and switch to it; a bad file
    /// changes nothing and says why.
    pub fn import_profile(self, file_name: String, bytes: Vec<u8>) {
        let file = match ProfileFile::import(&bytes) {
            Ok(f) => f,
            Err(e) => {
                self.ws.status.set(not_imported(&file_name, &e.to_string()));
                return;
            }
        };
        let Some(store) = self.ws.store.get_untracked() else {
            self.ws.status.set(said("profile-import-needs-store"));
            return;
        };
        let now = js_sys::Date::now();
        let profile_id = ProfileId::new(now, (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
        let id = profile_id.clone();
        let profile = ProfileRecord {
            id: id.clone(),
            name: file.name.clone(),
            language: file.language.clone(),
        };
        let projects: Vec<(ProjectRecord, Project)> = file
            .projects
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let record =
                    ProjectRecord::of(&profile_id.imported_project(i), &id, &p, now - i as f64);
                (record, p)
            })
            .collect();
        let learner = LearnerRecord {
            profile: id.clone(),
            learner: file.learner,
        };
        let outcomes: Vec<OutcomeRecord> = file
            .outcomes
            .into_iter()
            .map(|outcome| OutcomeRecord {
                profile: id.clone(),
                outcome,
            })
            .collect();
        spawn_local(async move {
            match store
                .import_profile(&profile, &projects, &learner, &outcomes)
                .await
            {
                Ok(()) => {
                    self.ws.status.set(said_with(
                        "profile-imported",
                        &[("name", profile.name.clone().into())],
                    ));
                    self.switch_profile(id);
                }
                Err(e) => self.ws.status.set(said_with(
                    "profile-not-imported",
                    &[("error", e.to_string().into())],
                )),
            }
        });
    }

    /// Import a lesson file; a bad one changes nothing and says why (as text).
    pub fn import_lesson(self, file_name: String, bytes: Vec<u8>) {
        match crate::lesson::import(&bytes) {
            Ok(lesson) => {
                let title = lesson.title.clone();
                match self.save_lesson(lesson) {
                    Ok(_) => self
                        .ws
                        .status
                        .set(said_with("lesson-imported", &[("title", title.into())])),
                    Err(e) => self.ws.status.set(not_imported(&file_name, &e.to_string())),
                }
            }
            Err(e) => self.ws.status.set(not_imported(&file_name, &e.to_string())),
        }
    }

    /// Add (or replace) a lesson on this device, if it fits the others, and store it; returns
    /// its id.
    pub fn save_lesson(self, lesson: Lesson) -> Result<LessonId, LibraryError> {
        let mut library = self.library.get_untracked();
        let id = library.put(lesson.clone())?;
        self.library.set(library);
        self.ws.status.set(said_with(
            "lesson-saved",
            &[("title", lesson.title.clone().into())],
        ));
        let record = LessonRecord {
            id: id.clone(),
            file: String::from_utf8_lossy(&crate::lesson::export(&lesson)).into_owned(),
            imported_ms: js_sys::Date::now(),
        };
        if let Some(store) = self.ws.store.get_untracked() {
            spawn_local(async move {
                match store.put_lesson(&record).await {
                    Ok(()) => self.ws.written(),
                    Err(e) => {
                        self.ws.status.set(said_with(
                            "lesson-not-saved",
                            &[("error", e.to_string().into())],
                        ));
                        self.waiting.update_value(|w| w.lessons.push(record));
                        self.progress_waits(e);
                    }
                }
            });
        }
        Ok(id)
    }

    /// Record an outcome: the student's knowledge changes, and the store gets both in one
    /// transaction.
    pub fn record(self, lesson_id: &LessonId, task: usize, item: &ItemId, correct: bool) {
        let Some(lesson) = self.library.with_untracked(|l| l.get(lesson_id).cloned()) else {
            return;
        };
        self.change(Change::Answer {
            lesson: Box::new(lesson),
            task,
            item: item.clone(),
            correct,
            at_ms: js_sys::Date::now(),
        });
    }

    /// Change the current student's knowledge and write it. While it is not read (see
    /// `known`) the change waits, in order, and lands on the knowledge once it is read;
    /// leaving the page meanwhile asks first.
    fn change(self, change: Change) {
        let profile = self.ws.profile.get_untracked();
        if !self.knows_current() {
            self.pending.update_value(|p| p.push((profile, change)));
            self.ws.unsaved.update(|u| u.progress = true);
            self.ws.status.set(said("learner-change-waits"));
            return;
        }
        let mut outcome = None;
        self.learner
            .update(|l| outcome = l.apply(change, &Scheduler::default()));
        let outcomes = outcome
            .map(|outcome| OutcomeRecord { profile, outcome })
            .into_iter()
            .collect();
        self.write_progress(outcomes);
    }

    /// Write the student's knowledge as it is now with `outcomes` and any that wait, in one
    /// transaction. A failed write keeps them all waiting (in order) with the knowledge, and
    /// they are written again (`retry_progress`) until they are in the store.
    fn write_progress(self, outcomes: Vec<OutcomeRecord>) {
        if !self.knows_current() {
            // Only knowledge read from the store is ever written (callers check first).
            return;
        }
        let learner = LearnerRecord {
            profile: self.ws.profile.get_untracked(),
            learner: self.learner.get_untracked(),
        };
        let write = self
            .waiting
            .try_update_value(|w| w.next_write())
            .unwrap_or_default();
        // The ones that waited go with this write (and come back if it fails), so no outcome
        // is ever in two writes at once.
        let mut batch = self.waiting.with_value(|w| {
            w.outcomes
                .iter()
                .filter(|o| o.profile == learner.profile)
                .cloned()
                .collect::<Vec<_>>()
        });
        self.waiting
            .update_value(|w| w.outcomes.retain(|o| o.profile != learner.profile));
        batch.extend(outcomes);
        let Some(store) = self.ws.store.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match store.record_outcomes(&learner, &batch).await {
                Ok(()) => {
                    self.waiting
                        .update_value(|w| w.learner_written(write, &learner.profile));
                    self.settle_waiting();
                }
                Err(e) => {
                    self.ws.status.set(progress_not_saved(&e.to_string()));
                    self.waiting.update_value(|w| {
                        // The knowledge written next is the newest: the one in memory when
                        // this profile is open, else this one. Other students' stay.
                        w.keep_learner(write, learner);
                        batch.append(&mut w.outcomes);
                        w.outcomes = batch;
                    });
                    self.progress_waits(e);
                }
            }
        });
    }

    /// Something of the student's progress waits to be written.
    fn progress_waits(self, e: crate::store::idb::StoreError) {
        self.ws.unsaved.update(|u| u.progress = true);
        self.ws.report(e);
    }

    /// Nothing waits any more once no outcome, knowledge or lesson does.
    fn settle_waiting(self) {
        let empty = self
            .waiting
            .with_value(|w| w.learners.is_empty() && w.outcomes.is_empty() && w.lessons.is_empty())
            && self.pending.with_value(Vec::is_empty);
        if empty && self.ws.unsaved.with_untracked(|u| u.progress) {
            self.ws.unsaved.update(|u| u.progress = false);
        }
        self.ws.written();
    }

    /// Write again the progress and lessons that wait (called by `ui::saving`).
    pub async fn retry_progress(self) {
        let Some(store) = self.ws.store.get_untracked() else {
            return;
        };
        // Changes that waited for another student's record (it could not be read, then they
        // switched): written onto it now, one student at a time.
        let others: Vec<ProfileId> = self.pending.with_value(|pending| {
            let current = self.ws.profile.get_untracked();
            let mut others: Vec<ProfileId> = Vec::new();
            for (p, _) in pending {
                if *p != current && !others.contains(p) {
                    others.push(p.clone());
                }
            }
            others
        });
        for profile in others {
            if self.ws.profile.get_untracked() == profile {
                continue;
            }
            self.flushing.set_value(Some(profile.clone()));
            self.flush_pending(&store, &profile).await;
            self.flushing.set_value(None);
        }
        let lessons = self.waiting.with_value(|w| w.lessons.clone());
        for lesson in lessons {
            if store.put_lesson(&lesson).await.is_ok() {
                self.waiting
                    .update_value(|w| w.lessons.retain(|l| l.id != lesson.id));
            }
        }
        let current = self.ws.profile.get_untracked();
        let (current_waits, others) = self.waiting.with_value(|w| {
            let others: Vec<(u64, LearnerRecord)> = w
                .learners
                .iter()
                .filter(|(_, l)| l.profile != current)
                .cloned()
                .collect();
            let current_waits =
                w.learner_of(&current).is_some() || w.outcomes.iter().any(|o| o.profile == current);
            (current_waits, others)
        });
        if current_waits {
            self.write_progress(Vec::new());
        }
        // Other students' knowledge that waits (the profile was switched meanwhile), each with
        // its outcomes.
        for (write, record) in others {
            // Taken out while they are written (never in two writes at once), put back first
            // (they are the oldest) if the write fails.
            let mut outcomes: Vec<OutcomeRecord> = Vec::new();
            self.waiting.update_value(|w| {
                let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut w.outcomes)
                    .into_iter()
                    .partition(|o| o.profile == record.profile);
                w.outcomes = rest;
                outcomes = mine;
            });
            match store.record_outcomes(&record, &outcomes).await {
                Ok(()) => self
                    .waiting
                    .update_value(|w| w.learner_written(write, &record.profile)),
                Err(_) => self.waiting.update_value(|w| {
                    outcomes.append(&mut w.outcomes);
                    w.outcomes = outcomes;
                }),
            }
        }
        self.settle_waiting();
    }

    /// Keep `drawing` as the student's way of writing the practice item `item` (the practice
    /// model learns from it now and in later sessions).
    pub fn add_handwriting(self, item: &ItemId, drawing: Vec<Stroke>) {
        self.change(Change::Handwriting {
            item: item.clone(),
            drawing,
        });
    }

    /// Keep a corrected sentence of a text practice item (stored at once).
    pub fn add_sentence(self, item: &ItemId, sentence: String) {
        self.change(Change::Sentence {
            item: item.clone(),
            sentence,
        });
    }
}

/// "`file` was not imported: `error`", in the UI's language.
fn not_imported(file: &str, error: &str) -> Said {
    said_with(
        "file-not-imported",
        &[("file", file.into()), ("error", error.into())],
    )
}

fn progress_not_saved(error: &str) -> Said {
    said_with("progress-not-saved", &[("error", error.into())])
}

/// Apply `changes` to `learner` in order; the outcomes of the answers among them, as stored.
fn apply_changes(
    learner: &mut Learner,
    profile: &ProfileId,
    changes: Vec<Change>,
) -> Vec<OutcomeRecord> {
    let scheduler = Scheduler::default();
    changes
        .into_iter()
        .filter_map(|change| learner.apply(change, &scheduler))
        .map(|outcome| OutcomeRecord {
            profile: profile.clone(),
            outcome,
        })
        .collect()
}
