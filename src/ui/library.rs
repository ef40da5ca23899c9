//! The student's projects on this device: opening, saving every change, creating, renaming,
//! deleting (with undo), export and import. The UI's state lives in [`Workspace`]: the open
//! project is one [`OpenProject`], changed only by [`Workspace::edit`] (synchronous, applied to
//! the state as it is) and by results landing by project and example id
//! ([`Workspace::land_embedding`], [`Workspace::land_head`]). Every change to the open project
//! reaches the store through one effect ([`Workspace::save_changes`]). When the store cannot be
//! used, the work stays in memory and export is offered; a project whose write failed is
//! [`Unsaved`] and written again (`ui::saving`) until the store has it.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::personal::open::{Landed, OpenProject, Opens, ProjectId, Turn};
use crate::personal::{ModelFile, Tuned};
use crate::profile::ProfileId;
use crate::project::file as project_file;
use crate::project::{Project, ProjectChanges, ProjectError, ProjectKind};
use crate::store::idb::{Lost, Store, StoreError, StoreEvent, Unreadable};
use crate::store::records::{ModelRecord, ProfileRecord, ProjectRecord, Shared};

use super::i18n::{Said, said, said_with, text_with};

/// A deleted project, kept until the next delete so it can be put back.
#[derive(Clone)]
pub struct Deleted {
    record: ProjectRecord,
    project: Project,
    embeddings: HashMap<u64, Vec<f32>>,
    model: Option<ModelRecord>,
}

/// What this page holds that the store does not, because a write failed: written again
/// (`ui::saving`) until it is there. The warning and the leave-page check read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unsaved {
    /// Projects whose last write failed.
    pub projects: BTreeSet<ProjectId>,
    /// The student's progress (outcomes, handwriting, lessons) waits (`Learning` keeps it).
    pub progress: bool,
}

impl Unsaved {
    pub fn is_empty(&self) -> bool {
        self.projects.is_empty() && !self.progress
    }
}

/// A project as it was when the student left it before it was written.
#[derive(Clone)]
struct Snapshot {
    record: ProjectRecord,
    project: Project,
    embeddings: HashMap<u64, Vec<f32>>,
    model: Option<ModelRecord>,
}

/// The settings that remember the open project (per profile) and profile.
const OPEN_PROJECT: &str = "open-project";
const OPEN_PROFILE: &str = "open-profile";

/// Every signal the screens share. Copy, so each closure takes its own.
#[derive(Clone, Copy)]
pub struct Workspace {
    /// The open project with its embeddings and fine-tuned head: read it here; change it only
    /// through [`Workspace::edit`] and the `land_*` methods (`personal::open` says why).
    pub open: ReadSignal<OpenProject>,
    write_open: WriteSignal<OpenProject>,
    /// The student using the app (their projects, knowledge and language).
    pub profile: RwSignal<ProfileId>,
    /// (id, name) of the profile's projects, for the picker.
    pub projects: RwSignal<Vec<(String, String)>>,
    pub selected: RwSignal<Option<u64>>,
    pub status: RwSignal<Said>,
    pub store: RwSignal<Option<Rc<Store>>, LocalStorage>,
    /// What the store holds for the open project (None: unknown, so the next save writes all).
    saved: StoredValue<Option<(ProjectId, Project)>>,
    /// Why saving does not work, when it does not (shown until everything is written).
    pub storage_problem: RwSignal<Option<String>>,
    /// What waits to be written because a write failed.
    pub unsaved: RwSignal<Unsaved>,
    /// Unsaved projects the student has left: written as they were left.
    left_unsaved: StoredValue<HashMap<ProjectId, Snapshot>>,
    /// Opening the store waits for an older Inkling in another tab to let go of it.
    pub store_blocked: RwSignal<bool>,
    /// Stored records that could not be read (left as they are, skipped), to name to the
    /// student; each once.
    pub unreadable: RwSignal<Vec<Unreadable>>,
    /// A newer Inkling in another tab took the store over: this page must reload.
    pub store_lost: RwSignal<Option<Lost>>,
    /// The store has been read (or found unusable): tests and the UI wait on it.
    pub loaded: RwSignal<bool>,
    pub deleted: RwSignal<Option<Deleted>>,
    /// Opens of a project asked for: only the newest shows its project (a project an older
    /// one wrote is kept in the store and listed). Read by the project bar (`data-opening`).
    pub opens: RwSignal<Opens>,
}

/// The encoder whose embeddings a project of this kind keeps (stored embeddings of another
/// are recomputed).
pub fn encoder_id(kind: ProjectKind) -> String {
    kind.encoder_id()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn new_project_id() -> ProjectId {
    ProjectId::new(
        now_ms(),
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
    )
}

/// The model record of the open project: its head, when it has one.
fn model_record(open: &OpenProject) -> Option<ModelRecord> {
    let tuned = open.tuned()?;
    let classes: Vec<u64> = open.project().classes.iter().map(|c| c.id).collect();
    Some(tuned.record(
        open.id().as_str(),
        &encoder_id(open.project().kind),
        &classes,
    ))
}

impl Workspace {
    pub fn new(status: RwSignal<Said>) -> Self {
        let project = Project::starter();
        let selected = RwSignal::new(project.classes.first().map(|c| c.id));
        let (open, write_open) = signal(OpenProject::new(
            new_project_id(),
            project,
            HashMap::new(),
            None,
        ));
        Workspace {
            open,
            write_open,
            selected,
            profile: RwSignal::new(ProfileId::first_student()),
            projects: RwSignal::new(Vec::new()),
            status,
            store: RwSignal::new_local(None),
            saved: StoredValue::new(None),
            storage_problem: RwSignal::new(None),
            unsaved: RwSignal::new(Unsaved::default()),
            left_unsaved: StoredValue::new(HashMap::new()),
            store_blocked: RwSignal::new(false),
            unreadable: RwSignal::new(Vec::new()),
            store_lost: RwSignal::new(None),
            loaded: RwSignal::new(false),
            deleted: RwSignal::new(None),
            opens: RwSignal::new(Opens::default()),
        }
    }

    /// Ask to open a project: the turn it takes. Call before the first await.
    fn take_turn(&self) -> Turn {
        self.opens
            .try_update(Opens::ask)
            .expect("the workspace lives as long as the page")
    }

    /// Whether no open was asked for after `turn`.
    fn is_newest(&self, turn: Turn) -> bool {
        self.opens.with_untracked(|o| o.may_show(turn))
    }

    /// The open that took `turn` has finished (shown or not).
    fn end_turn(&self, turn: Turn) {
        self.opens.update(|o| o.done(turn));
    }

    pub fn report(&self, e: StoreError) {
        self.storage_problem.set(Some(text_with(
            "store-problem",
            &[("error", e.to_string().into())],
        )));
    }

    /// A write went through: the warning goes once nothing waits any more.
    pub fn written(&self) {
        if self.storage_problem.get_untracked().is_some()
            && self.unsaved.with_untracked(Unsaved::is_empty)
        {
            self.storage_problem.set(None);
        }
    }

    /// The open project's write failed: it waits, the store no longer matches (the next write
    /// is of the whole project), and the student is told.
    fn unsaved_project(&self, id: ProjectId, e: StoreError) {
        self.saved.set_value(None);
        self.unsaved.update(|u| {
            u.projects.insert(id);
        });
        self.report(e);
    }

    /// The whole project `id` is in the store now.
    fn project_written(&self, id: &ProjectId) {
        if self.unsaved.with_untracked(|u| u.projects.contains(id)) {
            self.left_unsaved.update_value(|l| {
                l.remove(id);
            });
            self.unsaved.update(|u| {
                u.projects.remove(id);
            });
        }
        self.written();
    }

    /// Write again what waits: the open project from its state now, a project the student
    /// left as it was left. Called by `ui::saving` with growing pauses while anything waits.
    pub async fn retry_unsaved(self) {
        if self.store_lost.get_untracked() == Some(Lost::Closed) {
            self.reopen_store().await;
        }
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let waiting = self.unsaved.with_untracked(|u| u.projects.clone());
        let open_id = self.open.with_untracked(|o| o.id().clone());
        for id in waiting {
            if id == open_id {
                let project = self.open.with_untracked(|o| o.project().clone());
                self.saved.set_value(None);
                self.save_changes(id, project);
                continue;
            }
            let Some(left) = self.left_unsaved.with_value(|l| l.get(&id).cloned()) else {
                continue;
            };
            let encoder = encoder_id(left.project.kind);
            match store
                .write_project(
                    &left.record,
                    &left.project,
                    &left.embeddings,
                    &encoder,
                    left.model.as_ref(),
                )
                .await
            {
                Ok(()) => self.project_written(&id),
                Err(e) => self.report(e),
            }
        }
    }

    /// Open the store again after the browser closed it (this tab still holds the work).
    async fn reopen_store(self) {
        if let Ok(store) = Store::open(self.store_events()).await {
            self.store_lost.set(None);
            self.store.set(Some(Rc::new(store)));
        }
    }

    /// What the store says as it happens: opening waits for another tab; the connection is
    /// gone (another tab upgraded it, or the browser closed it).
    fn store_events(self) -> Rc<dyn Fn(StoreEvent)> {
        Rc::new(move |event| match event {
            StoreEvent::Blocked => {
                let _ = self.store_blocked.try_set(true);
            }
            StoreEvent::Unreadable(record) => {
                self.unreadable.try_update(|all| {
                    if !all.contains(&record) {
                        all.push(record);
                    }
                });
            }
            StoreEvent::Lost(lost) => {
                let _ = self.store_lost.try_set(Some(lost));
            }
        })
    }

    /// Change the open project now (see [`OpenProject::edit`]); the save effect writes it. A
    /// refused change notifies no one (a field being typed into is not reset under the pen).
    pub fn edit<T>(
        &self,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError>,
    ) -> Result<T, ProjectError> {
        self.write_open
            .try_maybe_update(|o| {
                let done = o.edit(change);
                (done.is_ok(), done)
            })
            .expect("the workspace lives as long as the page")
    }

    /// The embedding of `example` of `project` is ready: applied when that project is open,
    /// and kept in the store under its own project either way (unless the example is gone).
    pub fn land_embedding(
        self,
        project: ProjectId,
        example: u64,
        encoder: String,
        embedding: Vec<f32>,
    ) {
        let stored = embedding.clone();
        let landed = self
            .write_open
            .try_maybe_update(|o| {
                let landed = o.land_embedding(&project, example, embedding);
                (landed == Landed::Applied, landed)
            })
            .unwrap_or(Landed::Gone);
        if landed == Landed::Gone {
            return;
        }
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        spawn_local(async move {
            // Not written (the example record is not there yet): the save of the example
            // takes the embedding from the open project, or it is computed again when the
            // project next opens.
            if let Err(e) = store
                .put_embedding(project.as_str(), example, &encoder, &stored)
                .await
            {
                self.report(e);
            }
        });
    }

    /// A head trained on `project` (with these class ids) is ready: kept with that project,
    /// whichever project is open now.
    pub fn land_head(self, project: ProjectId, classes: Vec<u64>, encoder: String, tuned: Tuned) {
        let record = tuned.record(project.as_str(), &encoder, &classes);
        self.write_open
            .maybe_update(|o| o.land_head(&project, &classes, tuned) == Landed::Applied);
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match store.put_model(&record).await {
                Ok(_) => self.written(),
                Err(e) => {
                    // Kept with the open project: the next write of the whole project has it.
                    if self.open.with_untracked(|o| *o.id() == project) {
                        self.unsaved_project(project, e);
                    } else {
                        self.report(e);
                    }
                }
            }
        });
    }

    /// Show `project` as the open one if `turn` is the newest open asked for; whether it
    /// was. The store already holds it (`saved` says so), so showing it writes nothing;
    /// unless the student left it before it was written: then it is shown as left.
    fn show(
        &self,
        turn: Turn,
        id: ProjectId,
        project: Project,
        embeddings: HashMap<u64, Vec<f32>>,
        tuned: Option<Tuned>,
    ) -> bool {
        if !self.is_newest(turn) {
            return false;
        }
        self.keep_if_unsaved();
        // A project left before it was written is newer here than in the store: shown as it
        // was left (and written whole by the next save).
        let left = self
            .left_unsaved
            .try_update_value(|l| l.remove(&id))
            .flatten();
        let (project, embeddings, tuned) = match left {
            Some(left) => {
                self.saved.set_value(None);
                let tuned = left.model.as_ref().and_then(Tuned::from_record);
                (left.project, left.embeddings, tuned)
            }
            None => {
                self.saved.set_value(Some((id.clone(), project.clone())));
                (project, embeddings, tuned)
            }
        };
        self.selected.set(project.classes.first().map(|c| c.id));
        self.write_open
            .set(OpenProject::new(id.clone(), project, embeddings, tuned));
        self.load_class_model(id);
        true
    }

    /// Read `project`'s stored class model and put it under its examples, if the project is
    /// still open and the student has not set or removed one since it opened.
    fn load_class_model(self, project: ProjectId) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let json = match store
                .setting(&Shared::ClassModel.key(project.as_str()))
                .await
            {
                Ok(Some(json)) if !json.is_empty() => json,
                Ok(_) => return,
                Err(e) => return self.report(e),
            };
            match ModelFile::import(json.as_bytes()) {
                Ok(prior) => {
                    // Checked as a picked file is: this Inkling's encoder may be newer.
                    let fits = self.open.with_untracked(|o| {
                        let kind = o.project().kind;
                        (*o.id() == project)
                            .then(|| prior.fits(kind, &encoder_id(kind), &o.training_set().labels))
                    });
                    match fits {
                        // Another project is open now.
                        None => return,
                        Some(Err(_)) => return self.status.set(said("class-model-stale")),
                        Some(Ok(_)) => {}
                    }
                    self.write_open
                        .maybe_update(|o| o.land_stored_prior(&project, prior) == Landed::Applied);
                }
                // Left as it is in the store (a newer Inkling may read it); not used here.
                Err(e) => self.status.set(said_with(
                    "class-model-unreadable",
                    &[("error", e.to_string().into())],
                )),
            }
        });
    }

    /// `project`'s class model is now `prior` (None: none): the open project answers with it
    /// at once, and it is kept with the project on this device.
    pub fn set_class_model(self, project: ProjectId, prior: Option<ModelFile>) {
        let json = prior
            .as_ref()
            .map(|p| String::from_utf8(p.export()).expect("JSON is UTF-8"))
            .unwrap_or_default();
        self.write_open
            .maybe_update(|o| o.land_prior(&project, prior) == Landed::Applied);
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match store
                .set_setting(&Shared::ClassModel.key(project.as_str()), &json)
                .await
            {
                Ok(()) => self.written(),
                Err(e) => self.report(e),
            }
        });
    }

    /// The open project is about to be replaced: if it waits to be written, keep it as it
    /// is now, to be written as it was left.
    fn keep_if_unsaved(&self) {
        let Some(left) = self.open.with_untracked(|o| {
            self.unsaved
                .with_untracked(|u| u.projects.contains(o.id()))
                .then(|| Snapshot {
                    record: ProjectRecord::of(
                        o.id().as_str(),
                        &self.profile.get_untracked(),
                        o.project(),
                        now_ms(),
                    ),
                    project: o.project().clone(),
                    embeddings: o.embeddings().clone(),
                    model: model_record(o),
                })
        }) else {
            return;
        };
        let id = self.open.with_untracked(|o| o.id().clone());
        self.left_unsaved.update_value(|l| {
            l.insert(id, left);
        });
    }

    /// Open the store and the project used last (or make the starter project). Without a
    /// store, the starter project stays in memory and the reason is shown.
    pub async fn start(self) {
        let opened = Store::open(self.store_events()).await;
        self.store_blocked.set(false);
        let store = match opened {
            Ok(store) => Rc::new(store),
            Err(e) => {
                self.report(e);
                self.refresh_list_from_memory();
                self.loaded.set(true);
                return;
            }
        };
        crate::store::idb::request_persistence().await;
        self.store.set(Some(store.clone()));
        let profile = store
            .setting(OPEN_PROFILE)
            .await
            .ok()
            .flatten()
            .and_then(|id| ProfileId::parse(&id).ok())
            .unwrap_or_else(ProfileId::first_student);
        self.open_profile(profile).await;
        self.loaded.set(true);
    }

    /// Read the profile's projects again and show the open one as the store has it (or the
    /// most recent): this tab writes again after another did.
    pub async fn reload_from_store(self) {
        let Some(store) = self.store.get_untracked() else {
            return self.start().await;
        };
        let turn = self.take_turn();
        let open_id = self.open.with_untracked(|o| o.id().to_string());
        match store.projects(&self.profile.get_untracked()).await {
            Ok(records) => {
                let record = records
                    .iter()
                    .find(|r| r.id == open_id)
                    .or(records.first())
                    .cloned();
                self.open_or_start(turn, record).await;
            }
            Err(e) => self.report(e),
        }
        self.end_turn(turn);
    }

    /// The profiles on this device (the default one when the store has none).
    pub async fn profile_list(&self) -> Vec<ProfileRecord> {
        let listed = match self.store.get_untracked() {
            Some(store) => store.profiles().await.unwrap_or_default(),
            None => Vec::new(),
        };
        if listed.is_empty() {
            vec![ProfileRecord {
                id: ProfileId::first_student(),
                name: "Student".into(),
                language: String::new(),
            }]
        } else {
            listed
        }
    }

    /// Make a profile the current one: its projects, the one it used last (or a starter).
    pub async fn open_profile(self, profile: ProfileId) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let turn = self.take_turn();
        self.open_profile_in_turn(turn, profile, store).await;
        self.end_turn(turn);
    }

    async fn open_profile_in_turn(self, turn: Turn, profile: ProfileId, store: Rc<Store>) {
        self.profile.set(profile.clone());
        let _ = store.set_setting(OPEN_PROFILE, profile.as_str()).await;
        let records = match store.projects(&profile).await {
            Ok(r) => r,
            Err(e) => {
                self.report(e);
                self.loaded.set(true);
                return;
            }
        };
        let last = store
            .setting(&format!("{OPEN_PROJECT}/{profile}"))
            .await
            .ok()
            .flatten();
        let chosen = records
            .iter()
            .find(|r| Some(&r.id) == last.as_ref())
            .or(records.first())
            .cloned();
        self.open_or_start(turn, chosen).await;
    }

    /// Open `record`, or (when the student has no project) a new starter project; then list
    /// the student's projects.
    async fn open_or_start(&self, turn: Turn, record: Option<ProjectRecord>) {
        match record {
            Some(record) => self.open(turn, record).await,
            None => {
                self.write_whole(
                    turn,
                    new_project_id(),
                    Project::starter(),
                    HashMap::new(),
                    None,
                )
                .await;
            }
        }
        self.refresh_list().await;
    }

    /// A new student on this device, switched to at once.
    pub async fn add_profile(self, name: String) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let name = name.trim().chars().take(60).collect::<String>();
        if name.is_empty() {
            self.status.set(said("store-profile-needs-name"));
            return;
        }
        let profile = ProfileRecord {
            id: ProfileId::new(
                now_ms(),
                (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
            ),
            name,
            language: String::new(),
        };
        match store.put_profile(&profile).await {
            Ok(()) => self.open_profile(profile.id).await,
            Err(e) => self.report(e),
        }
    }

    fn refresh_list_from_memory(&self) {
        let (id, name) = self
            .open
            .with_untracked(|o| (o.id().to_string(), o.project().name.clone()));
        self.projects.set(vec![(id, name)]);
    }

    async fn refresh_list(&self) {
        let Some(store) = self.store.get_untracked() else {
            self.refresh_list_from_memory();
            return;
        };
        match store.projects(&self.profile.get_untracked()).await {
            Ok(records) => self
                .projects
                .set(records.into_iter().map(|r| (r.id, r.name)).collect()),
            Err(e) => self.report(e),
        }
    }

    /// Load a stored project and show it (in its turn).
    async fn open(&self, turn: Turn, record: ProjectRecord) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let id = match ProjectId::parse(&record.id) {
            Ok(id) => id,
            Err(e) => {
                self.status.set(Said::raw(e));
                return;
            }
        };
        let encoder = encoder_id(record.kind);
        match store.load_project(&record, &encoder).await {
            Ok((project, embeddings)) => {
                let model = store.model(&record.id).await.ok().flatten();
                let tuned = model
                    .as_ref()
                    .filter(|m| m.encoder == encoder)
                    .and_then(Tuned::from_record);
                if self.show(turn, id, project, embeddings, tuned) {
                    let key = format!("{OPEN_PROJECT}/{}", self.profile.get_untracked());
                    let _ = store.set_setting(&key, &record.id).await;
                }
            }
            Err(e) => self.status.set(Said::raw(e)),
        }
    }

    /// Open the project with this id (from the picker).
    pub fn switch_to(self, id: String) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let turn = self.take_turn();
        spawn_local(async move {
            match store.projects(&self.profile.get_untracked()).await {
                Ok(records) => {
                    if let Some(record) = records.into_iter().find(|r| r.id == id) {
                        self.open(turn, record).await;
                    }
                }
                Err(e) => self.report(e),
            }
            self.end_turn(turn);
        });
    }

    /// Write a whole project under `id` and show it (in its turn: written either way);
    /// whether it was written.
    async fn write_whole(
        &self,
        turn: Turn,
        id: ProjectId,
        project: Project,
        embeddings: HashMap<u64, Vec<f32>>,
        model: Option<ModelRecord>,
    ) -> bool {
        let Some(store) = self.store.get_untracked() else {
            return false;
        };
        let record = ProjectRecord::of(
            id.as_str(),
            &self.profile.get_untracked(),
            &project,
            now_ms(),
        );
        let encoder = encoder_id(project.kind);
        match store
            .write_project(&record, &project, &embeddings, &encoder, model.as_ref())
            .await
        {
            Ok(()) => {
                let tuned = model.as_ref().and_then(Tuned::from_record);
                self.written();
                if self.show(turn, id.clone(), project, embeddings, tuned) {
                    let key = format!("{OPEN_PROJECT}/{}", self.profile.get_untracked());
                    let _ = store.set_setting(&key, id.as_str()).await;
                }
                true
            }
            Err(e) => {
                self.report(e);
                false
            }
        }
    }

    /// Save what changed in project `id` (now `next`) since the store last held it: call
    /// from an effect that tracks the open project's outline, so every change is written, in
    /// order. Embeddings known by then are written with new examples; later ones land by
    /// [`Workspace::land_embedding`].
    pub fn save_changes(self, id: ProjectId, next: Project) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let previous = self.saved.get_value();
        if previous
            .as_ref()
            .is_some_and(|(pid, p)| *pid == id && *p == next)
        {
            return;
        }
        self.saved.set_value(Some((id.clone(), next.clone())));
        let record = ProjectRecord::of(id.as_str(), &self.profile.get_untracked(), &next, now_ms());
        let embeddings = self.open.with_untracked(|o| {
            if *o.id() == id {
                o.embeddings().clone()
            } else {
                HashMap::new()
            }
        });
        let encoder = encoder_id(next.kind);
        // The transaction is created before the task's first await, so writes reach the
        // store in the order the changes were made.
        spawn_local(async move {
            // Only a write of the whole project makes an earlier failed one good: one of
            // changes builds on a state the store may lack.
            let mut whole = false;
            let written = match previous {
                Some((pid, old)) if pid == id => {
                    let changes = ProjectChanges::between(&old, &next);
                    store
                        .write_changes(&record, &changes, &embeddings, &encoder, None)
                        .await
                }
                _ => {
                    whole = true;
                    let model = self
                        .open
                        .with_untracked(|o| (*o.id() == id).then(|| model_record(o)).flatten());
                    store
                        .write_project(&record, &next, &embeddings, &encoder, model.as_ref())
                        .await
                }
            };
            match written {
                Ok(()) => {
                    if whole {
                        self.project_written(&id);
                    } else {
                        self.written();
                    }
                    let name = next.name.clone();
                    self.projects.update(|list| {
                        if let Some(entry) = list.iter_mut().find(|(pid, _)| *pid == id.as_str()) {
                            entry.1 = name;
                        }
                    });
                }
                // The store no longer matches: the project waits, and the next write (an
                // edit's or a retry's) is of the whole project.
                Err(e) => self.unsaved_project(id, e),
            }
        });
    }

    pub fn can_manage(&self) -> bool {
        self.store.with(|s| s.is_some())
    }

    /// A new project (drawings or sentences) with two classes to rename, opened at once.
    pub fn create(self, kind: ProjectKind) {
        let taken: Vec<String> = self
            .projects
            .with_untracked(|l| l.iter().map(|p| p.1.clone()).collect());
        let name = (1..)
            .map(|n: u32| text_with("proj-default-name", &[("number", n.to_string().into())]))
            .find(|n| !taken.contains(n))
            .expect("a free name");
        let classes = [1, 2]
            .map(|n: u32| text_with("class-default-name", &[("number", n.to_string().into())]));
        let classes = [classes[0].as_str(), classes[1].as_str()];
        let project = match kind.sentence_model() {
            None => Project::new(&name, &classes),
            Some(model) => Project::new_text_read_by(model, &name, &classes),
        }
        .expect("a valid new project");
        self.create_from(project);
    }

    /// Open `project` as a new project of the current student (e.g. a lesson's teach task);
    /// returns the id it gets (None without a store).
    pub fn create_from(self, project: Project) -> Option<ProjectId> {
        if self.store.get_untracked().is_none() {
            // Without a store the page holds one project: never replace the student's work.
            self.status.set(said("store-new-needs-store"));
            return None;
        }
        let id = new_project_id();
        let made = id.clone();
        let turn = self.take_turn();
        spawn_local(async move {
            self.write_whole(turn, id, project, HashMap::new(), None)
                .await;
            self.refresh_list().await;
            self.end_turn(turn);
        });
        Some(made)
    }

    /// Delete the open project (it can be put back with [`Workspace::undo_delete`]) and open
    /// another, or a new starter project when it was the last.
    pub fn delete_open(self) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let (id, project, embeddings, model) = self.open.with_untracked(|o| {
            (
                o.id().clone(),
                o.project().clone(),
                o.embeddings().clone(),
                model_record(o),
            )
        });
        let record = ProjectRecord::of(
            id.as_str(),
            &self.profile.get_untracked(),
            &project,
            now_ms(),
        );
        let deleted = Deleted {
            record,
            project,
            embeddings,
            model,
        };
        let turn = self.take_turn();
        spawn_local(async move {
            self.delete_in_turn(turn, store, id, deleted).await;
            self.end_turn(turn);
        });
    }

    async fn delete_in_turn(self, turn: Turn, store: Rc<Store>, id: ProjectId, deleted: Deleted) {
        if let Err(e) = store.delete_project(id.as_str()).await {
            self.report(e);
            return;
        }
        self.deleted.set(Some(deleted));
        // The student deleted it: nothing of it waits any more (undo writes it whole).
        self.project_written(&id);
        match store.projects(&self.profile.get_untracked()).await {
            Ok(records) => self.open_or_start(turn, records.into_iter().next()).await,
            Err(e) => {
                self.report(e);
                self.refresh_list().await;
            }
        }
    }

    pub fn undo_delete(self) {
        let Some(d) = self.deleted.get_untracked() else {
            return;
        };
        let Ok(id) = ProjectId::parse(&d.record.id) else {
            return;
        };
        self.deleted.set(None);
        let turn = self.take_turn();
        spawn_local(async move {
            let kept = d.clone();
            if !self
                .write_whole(turn, id, d.project, d.embeddings, d.model)
                .await
            {
                // Not written: it can still be put back (and exported meanwhile).
                self.deleted.set(Some(kept));
            }
            self.refresh_list().await;
            self.end_turn(turn);
        });
    }

    /// Download the open project as one file.
    pub fn export(&self) {
        let project = self.open.with_untracked(|o| o.project().clone());
        self.download_json(
            &project.name,
            "inkling.json",
            &project_file::export(&project),
        );
    }

    /// Offer `bytes`, a JSON file of the project named `project`, as `<project>.<extension>`;
    /// a download that cannot start is said.
    pub fn download_json(&self, project: &str, extension: &str, bytes: &[u8]) {
        let name = super::files::file_name(project, extension);
        if let Err(e) = super::files::download(&name, bytes, "application/json") {
            self.status.set(Said::raw(e));
        }
    }

    /// Import a project file as a new project; a bad file changes nothing and says why.
    pub fn import(self, file_name: String, bytes: Vec<u8>) {
        let project = match project_file::import(&bytes) {
            Ok(p) => p,
            Err(e) => {
                self.status.set(said_with(
                    "proj-not-imported",
                    &[("file", file_name.into()), ("error", e.to_string().into())],
                ));
                return;
            }
        };
        if self.store.get_untracked().is_none() {
            self.status.set(said("store-import-needs-store"));
            return;
        }
        let turn = self.take_turn();
        spawn_local(async move {
            let name = project.name.clone();
            self.write_whole(turn, new_project_id(), project, HashMap::new(), None)
                .await;
            self.refresh_list().await;
            self.end_turn(turn);
            self.status
                .set(said_with("file-imported", &[("name", name.into())]));
        });
    }
}
