//! The student's projects on this device: opening, saving every change, creating, renaming,
//! deleting (with undo), export and import. The UI's state lives in [`Workspace`]; every change
//! to the open project reaches the store through one effect ([`Workspace::save_changes`]).
//! When the store cannot be used, the work stays in memory and export is offered.

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::learn::finetune::HeadWeights;
use crate::project::file as project_file;
use crate::project::{Project, ProjectChanges, ProjectKind};
use crate::store::idb::{Store, StoreError};
use crate::store::records::{
    DEFAULT_PROFILE, ModelRecord, ProfileRecord, ProjectRecord, TunedRecord, bytes_f32, f32_bytes,
};

use super::i18n::{text, text_with};

/// A fine-tuned head and the examples it was trained on (stale once they change).
#[derive(Clone, Debug, PartialEq)]
pub struct Tuned {
    pub examples: Vec<u64>,
    pub head: HeadWeights,
}

/// A deleted project, kept until the next delete so it can be put back.
#[derive(Clone)]
pub struct Deleted {
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
    pub project: RwSignal<Project>,
    pub project_id: RwSignal<String>,
    /// The student using the app (their projects, knowledge and language).
    pub profile: RwSignal<String>,
    /// (id, name) of the profile's projects, for the picker.
    pub projects: RwSignal<Vec<(String, String)>>,
    pub selected: RwSignal<Option<u64>>,
    pub embeddings: RwSignal<HashMap<u64, Vec<f32>>>,
    pub tuned: StoredValue<Option<Tuned>>,
    pub losses: RwSignal<Vec<f32>>,
    pub status: RwSignal<String>,
    pub store: RwSignal<Option<Rc<Store>>, LocalStorage>,
    /// What the store holds for the open project (None: unknown, so the next save writes all).
    saved: StoredValue<Option<(String, Project)>>,
    /// Why saving does not work, when it does not.
    pub storage_problem: RwSignal<Option<String>>,
    /// The store has been read (or found unusable): tests and the UI wait on it.
    pub loaded: RwSignal<bool>,
    pub deleted: RwSignal<Option<Deleted>>,
}

/// The encoder whose embeddings a project of this kind keeps (stored embeddings of another
/// are recomputed).
pub fn encoder_id(kind: ProjectKind) -> String {
    match kind {
        ProjectKind::Drawing => crate::learn::weights::shipped_encoder_id(),
        ProjectKind::Text => crate::learn::text::TEXT_ENCODER_ID.to_string(),
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn new_project_id() -> String {
    format!(
        "p{}-{:08x}",
        now_ms() as u64,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
}

/// The example ids of the personal model, in project order (what a fine-tuned head saw).
pub fn example_ids(project: &Project, embeddings: &HashMap<u64, Vec<f32>>) -> Vec<u64> {
    project
        .classes
        .iter()
        .flat_map(|c| c.examples.iter().map(|e| e.id))
        .filter(|id| embeddings.contains_key(id))
        .collect()
}

/// The project's model as a record: class means of the embeddings, and the fine-tuned head
/// while it still matches the examples.
fn model_record(
    id: &str,
    project: &Project,
    embeddings: &HashMap<u64, Vec<f32>>,
    tuned: Option<&Tuned>,
    encoder: &str,
) -> Option<ModelRecord> {
    let dim = embeddings.values().next()?.len();
    let mut prototypes = Vec::with_capacity(project.classes.len() * dim);
    for class in &project.classes {
        let mut mean = vec![0.0f32; dim];
        let rows: Vec<&Vec<f32>> = class
            .examples
            .iter()
            .filter_map(|e| embeddings.get(&e.id))
            .collect();
        for row in &rows {
            for (m, v) in mean.iter_mut().zip(row.iter()) {
                *m += v / rows.len() as f32;
            }
        }
        prototypes.extend(mean);
    }
    let ids = example_ids(project, embeddings);
    let fine_tuned = tuned.filter(|t| t.examples == ids).map(|t| TunedRecord {
        examples: t.examples.clone(),
        weight: f32_bytes(&t.head.weight),
        bias: f32_bytes(&t.head.bias),
    });
    Some(ModelRecord {
        project: id.to_string(),
        encoder: encoder.to_string(),
        classes: project.classes.iter().map(|c| c.id).collect(),
        dim: dim as u32,
        prototypes: f32_bytes(&prototypes),
        fine_tuned,
    })
}

/// The fine-tuned head stored in a model record, if it is whole.
fn tuned_from(model: &ModelRecord) -> Option<Tuned> {
    let t = model.fine_tuned.as_ref()?;
    let head = HeadWeights::new(
        model.dim as usize,
        model.classes.len(),
        bytes_f32(&t.weight)?,
        bytes_f32(&t.bias)?,
    )
    .ok()?;
    Some(Tuned {
        examples: t.examples.clone(),
        head,
    })
}

impl Workspace {
    pub fn new(status: RwSignal<String>) -> Self {
        let project = Project::starter();
        Workspace {
            selected: RwSignal::new(project.classes.first().map(|c| c.id)),
            project: RwSignal::new(project),
            project_id: RwSignal::new(new_project_id()),
            profile: RwSignal::new(DEFAULT_PROFILE.into()),
            projects: RwSignal::new(Vec::new()),
            embeddings: RwSignal::new(HashMap::new()),
            tuned: StoredValue::new(None),
            losses: RwSignal::new(Vec::new()),
            status,
            store: RwSignal::new_local(None),
            saved: StoredValue::new(None),
            storage_problem: RwSignal::new(None),
            loaded: RwSignal::new(false),
            deleted: RwSignal::new(None),
        }
    }

    fn report(&self, e: StoreError) {
        self.storage_problem.set(Some(text_with(
            "store-problem",
            &[("error", e.to_string().into())],
        )));
    }

    /// Show `project` as the open one. The store already holds it (`saved` says so), so
    /// showing it writes nothing.
    fn show(
        &self,
        id: String,
        project: Project,
        embeddings: HashMap<u64, Vec<f32>>,
        tuned: Option<Tuned>,
    ) {
        self.saved.set_value(Some((id.clone(), project.clone())));
        self.tuned.set_value(tuned);
        self.losses.set(Vec::new());
        self.selected.set(project.classes.first().map(|c| c.id));
        self.embeddings.set(embeddings);
        self.project_id.set(id);
        self.project.set(project);
    }

    /// Open the store and the project used last (or make the starter project). Without a
    /// store, the starter project stays in memory and the reason is shown.
    pub async fn start(self) {
        let store = match Store::open().await {
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
            .unwrap_or(DEFAULT_PROFILE.into());
        self.open_profile(profile).await;
        self.loaded.set(true);
    }

    /// The profiles on this device (the default one when the store has none).
    pub async fn profile_list(&self) -> Vec<ProfileRecord> {
        let listed = match self.store.get_untracked() {
            Some(store) => store.profiles().await.unwrap_or_default(),
            None => Vec::new(),
        };
        if listed.is_empty() {
            vec![ProfileRecord {
                id: DEFAULT_PROFILE.into(),
                name: "Student".into(),
                language: String::new(),
            }]
        } else {
            listed
        }
    }

    /// Make a profile the current one: its projects, the one it used last (or a starter).
    pub async fn open_profile(self, profile: String) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        self.profile.set(profile.clone());
        let _ = store.set_setting(OPEN_PROFILE, &profile).await;
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
        match chosen {
            Some(record) => self.open(record).await,
            None => {
                self.write_whole(new_project_id(), Project::starter(), HashMap::new(), None)
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
            self.status.set(text("store-profile-needs-name"));
            return;
        }
        let profile = ProfileRecord {
            id: format!("s{}", new_project_id()),
            name,
            language: String::new(),
        };
        match store.put_profile(&profile).await {
            Ok(()) => self.open_profile(profile.id).await,
            Err(e) => self.report(e),
        }
    }

    fn refresh_list_from_memory(&self) {
        let id = self.project_id.get_untracked();
        let name = self.project.with_untracked(|p| p.name.clone());
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

    /// Load a stored project and show it.
    async fn open(&self, record: ProjectRecord) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let encoder = encoder_id(record.kind);
        match store.load_project(&record, &encoder).await {
            Ok((project, embeddings)) => {
                let model = store.model(&record.id).await.ok().flatten();
                let tuned = model
                    .as_ref()
                    .filter(|m| m.encoder == encoder)
                    .and_then(tuned_from);
                self.show(record.id.clone(), project, embeddings, tuned);
                let key = format!("{OPEN_PROJECT}/{}", self.profile.get_untracked());
                let _ = store.set_setting(&key, &record.id).await;
            }
            Err(e) => self.status.set(e.to_string()),
        }
    }

    /// Open the project with this id (from the picker).
    pub fn switch_to(self, id: String) {
        spawn_local(async move {
            let Some(store) = self.store.get_untracked() else {
                return;
            };
            match store.projects(&self.profile.get_untracked()).await {
                Ok(records) => {
                    if let Some(record) = records.into_iter().find(|r| r.id == id) {
                        self.open(record).await;
                    }
                }
                Err(e) => self.report(e),
            }
        });
    }

    /// Write a whole project under `id` and show it.
    async fn write_whole(
        &self,
        id: String,
        project: Project,
        embeddings: HashMap<u64, Vec<f32>>,
        model: Option<ModelRecord>,
    ) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let record = ProjectRecord::of(&id, &self.profile.get_untracked(), &project, now_ms());
        let encoder = encoder_id(project.kind);
        match store
            .write_project(&record, &project, &embeddings, &encoder, model.as_ref())
            .await
        {
            Ok(()) => {
                let tuned = model.as_ref().and_then(tuned_from);
                self.show(id.clone(), project, embeddings, tuned);
                let key = format!("{OPEN_PROJECT}/{}", self.profile.get_untracked());
                let _ = store.set_setting(&key, &id).await;
            }
            Err(e) => self.report(e),
        }
    }

    /// Save what changed in the open project since the store last held it: call from an
    /// effect that tracks the project, so every change is written, in order.
    pub fn save_changes(self) {
        let next = self.project.get();
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let id = self.project_id.get_untracked();
        let previous = self.saved.get_value();
        if previous
            .as_ref()
            .is_some_and(|(pid, p)| *pid == id && *p == next)
        {
            return;
        }
        self.saved.set_value(Some((id.clone(), next.clone())));
        let record = ProjectRecord::of(&id, &self.profile.get_untracked(), &next, now_ms());
        let embeddings = self.embeddings.get_untracked();
        let encoder = encoder_id(next.kind);
        let model = self
            .tuned
            .with_value(|t| model_record(&id, &next, &embeddings, t.as_ref(), &encoder));
        // The transaction is created before the task's first await, so writes reach the
        // store in the order the changes were made.
        spawn_local(async move {
            let written = match previous {
                Some((pid, old)) if pid == id => {
                    let changes = ProjectChanges::between(&old, &next);
                    store
                        .write_changes(&record, &changes, &embeddings, &encoder, model.as_ref())
                        .await
                }
                _ => {
                    store
                        .write_project(&record, &next, &embeddings, &encoder, model.as_ref())
                        .await
                }
            };
            match written {
                Ok(()) => {
                    if self.storage_problem.get_untracked().is_some() {
                        self.storage_problem.set(None);
                    }
                    let name = next.name.clone();
                    self.projects.update(|list| {
                        if let Some(entry) = list.iter_mut().find(|(pid, _)| *pid == id) {
                            entry.1 = name;
                        }
                    });
                }
                Err(e) => {
                    // The store no longer matches: the next save writes the whole project.
                    self.saved.set_value(None);
                    self.report(e);
                }
            }
        });
    }

    /// The open project with its embeddings and its model record.
    fn open_model(&self) -> (String, Project, HashMap<u64, Vec<f32>>, Option<ModelRecord>) {
        let id = self.project_id.get_untracked();
        let project = self.project.get_untracked();
        let embeddings = self.embeddings.get_untracked();
        let encoder = encoder_id(project.kind);
        let model = self
            .tuned
            .with_value(|t| model_record(&id, &project, &embeddings, t.as_ref(), &encoder));
        (id, project, embeddings, model)
    }

    /// Store the fine-tuned head (after "Improve").
    pub fn save_model(self) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let (_, _, _, model) = self.open_model();
        let Some(model) = model else {
            return;
        };
        spawn_local(async move {
            if let Err(e) = store.put_model(&model).await {
                self.report(e);
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
        let project = match kind {
            ProjectKind::Drawing => Project::new(&name, &classes),
            ProjectKind::Text => Project::new_text(&name, &classes),
        }
        .expect("a valid new project");
        self.create_from(project);
    }

    /// Open `project` as a new project of the current student (e.g. a lesson's teach task).
    pub fn create_from(self, project: Project) {
        if self.store.get_untracked().is_none() {
            // Without a store the page holds one project: never replace the student's work.
            self.status.set(text("store-new-needs-store"));
            return;
        }
        spawn_local(async move {
            self.write_whole(new_project_id(), project, HashMap::new(), None)
                .await;
            self.refresh_list().await;
        });
    }

    /// Delete the open project (it can be put back with [`Workspace::undo_delete`]) and open
    /// another, or a new starter project when it was the last.
    pub fn delete_open(self) {
        let Some(store) = self.store.get_untracked() else {
            return;
        };
        let (id, project, embeddings, model) = self.open_model();
        let record = ProjectRecord::of(&id, &self.profile.get_untracked(), &project, now_ms());
        spawn_local(async move {
            if let Err(e) = store.delete_project(&id).await {
                self.report(e);
                return;
            }
            self.deleted.set(Some(Deleted {
                record,
                project,
                embeddings,
                model,
            }));
            match store.projects(&self.profile.get_untracked()).await {
                Ok(records) if !records.is_empty() => self.open(records[0].clone()).await,
                Ok(_) => {
                    self.write_whole(new_project_id(), Project::starter(), HashMap::new(), None)
                        .await
                }
                Err(e) => self.report(e),
            }
            self.refresh_list().await;
        });
    }

    pub fn undo_delete(self) {
        let Some(d) = self.deleted.get_untracked() else {
            return;
        };
        self.deleted.set(None);
        spawn_local(async move {
            self.write_whole(d.record.id, d.project, d.embeddings, d.model)
                .await;
            self.refresh_list().await;
        });
    }

    /// Download the open project as one file.
    pub fn export(&self) {
        let project = self.project.get_untracked();
        let bytes = project_file::export(&project);
        let name = super::files::file_name(&project.name, "inkling.json");
        if let Err(e) = super::files::download(&name, &bytes, "application/json") {
            self.status.set(e);
        }
    }

    /// Import a project file as a new project; a bad file changes nothing and says why.
    pub fn import(self, file_name: String, bytes: Vec<u8>) {
        let project = match project_file::import(&bytes) {
            Ok(p) => p,
            Err(e) => {
                self.status.set(text_with(
                    "proj-not-imported",
                    &[("file", file_name.into()), ("error", e.to_string().into())],
                ));
                return;
            }
        };
        if self.store.get_untracked().is_none() {
            self.status.set(text("store-import-needs-store"));
            return;
        }
        spawn_local(async move {
            let name = project.name.clone();
            self.write_whole(new_project_id(), project, HashMap::new(), None)
                .await;
            self.refresh_list().await;
            self.status
                .set(text_with("file-imported", &[("name", name.into())]));
        });
    }
}
