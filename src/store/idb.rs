//! IndexedDB through `indexed_db_futures`: opening and upgrading the schema, and the
//! transactions the app writes. Browser only. Every write that holds a learner's work is one
//! transaction with durability "strict", so it is all there after a crash or none of it is.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use indexed_db_futures::KeyPath;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};

use wasm_bindgen::prelude::*;

use super::records::*;
use crate::profile::ProfileId;
use crate::project::{Project, ProjectChanges};

/// Why the store could not do what was asked, in words a student can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error(
        "this browser does not let Inkling save here ({0}); in a private window, saving is often off"
    )]
    Unavailable(String),
    #[error("the device's storage for Inkling is full ({0}); export your project to keep it")]
    Full(String),
    #[error("saving failed: {0}")]
    Failed(String),
    #[error("{0}")]
    Damaged(String),
    #[error("{0}")]
    Lost(Lost),
}

/// A record as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored<T> {
    Missing,
    Read(T),
    /// There, but not readable as `T`: its JSON, and why.
    Unreadable {
        json: String,
        error: String,
    },
}

/// Why this page's connection to the store is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// A newer Inkling opened in another tab and upgrades the store: this page must reload.
    Upgraded,
    /// The browser closed the connection (e.g. site data cleared): it can be opened again.
    Closed,
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Lost::Upgraded => "a newer Inkling opened in another tab; reload this page to go on",
            Lost::Closed => "the browser closed Inkling's storage",
        })
    }
}

/// What happens to the store that the app must hear about as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreEvent {
    /// Opening waits for an older Inkling in another tab to let go of the store.
    Blocked,
    /// The connection is gone (see [`Lost`]).
    Lost(Lost),
    /// A record of a list that cannot be read (damaged, or written by a newer Inkling): left
    /// where it is, untouched, and skipped.
    Unreadable(Unreadable),
}

/// A stored record that could not be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub store: String,
    pub key: String,
    pub error: String,
}

/// The DOM exception's name (`QuotaExceededError`, ...), when the error is one.
fn dom_name(e: &indexed_db_futures::error::Error) -> Option<String> {
    match e {
        indexed_db_futures::error::Error::DomException(d) => {
            let value: &JsValue = d.as_ref();
            value.dyn_ref::<web_sys::DomException>().map(|d| d.name())
        }
        _ => None,
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        let text = e.to_string();
        // Recognised by name; some browsers abort the transaction and say so only in the text.
        if dom_name(&e).as_deref() == Some("QuotaExceededError") || text.contains("Quota") {
            StoreError::Full(text)
        } else {
            StoreError::Failed(text)
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(e: indexed_db_futures::error::OpenDbError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// The schema change that makes version `version` from `version - 1`.
async fn upgrade_to(version: u32, db: &Database) -> indexed_db_futures::Result<()> {
    match version {
        1 => {
            db.create_object_store(PROJECTS)
                .with_key_path(KeyPath::from("id"))
                .build()?;
            let examples = db
                .create_object_store(EXAMPLES)
                .with_key_path(KeyPath::from("key"))
                .build()?;
            examples
                .create_index("project", KeyPath::from("project"))
                .build()?;
            db.create_object_store(SETTINGS)
                .with_key_path(KeyPath::from("key"))
                .build()?;
        }
        2 => {
            let profiles = db
                .create_object_store(PROFILES)
                .with_key_path(KeyPath::from("id"))
                .build()?;
            db.create_object_store(MODELS)
                .with_key_path(KeyPath::from("project"))
                .build()?;
            profiles
                .put(ProfileRecord {
                    id: ProfileId::first_student(),
                    name: "Student".into(),
                    language: String::new(),
                })
                .serde()?
                .await?;
            // Projects made before profiles belong to the first student.
            let projects = profiles.transaction().object_store(PROJECTS)?;
            let records: Vec<ProjectRecord> = projects
                .get_all()
                .serde()?
                .await?
                .collect::<indexed_db_futures::Result<_>>()?;
            for mut record in records {
                if record.profile == ProfileId::default() {
                    record.profile = ProfileId::first_student();
                    projects.put(record).serde()?.await?;
                }
            }
        }
        3 => {
            db.create_object_store(LESSONS)
                .with_key_path(KeyPath::from("id"))
                .build()?;
            db.create_object_store(LEARNERS)
                .with_key_path(KeyPath::from("profile"))
                .build()?;
            let outcomes = db
                .create_object_store(OUTCOMES)
                .with_auto_increment(true)
                .build()?;
            outcomes
                .create_index("profile", KeyPath::from("profile"))
                .build()?;
        }
        _ => {}
    }
    Ok(())
}

/// Keys of a project's examples: `"{project}/"` up to (not including) `"{project}0"`
/// (`'0'` follows `'/'`).
fn example_range(project: &str) -> std::ops::Range<String> {
    format!("{project}/")..format!("{project}0")
}

pub struct Store {
    db: Database,
    /// Set when the connection went away (the handlers below); every later write says why.
    lost: Rc<Cell<Option<Lost>>>,
    /// Told what the app must know (see [`StoreEvent`]).
    events: Rc<dyn Fn(StoreEvent)>,
    /// The `versionchange` and `close` handlers, kept as long as the connection.
    _handlers: [Closure<dyn FnMut(JsValue)>; 2],
}

/// A test's way to make writes fail as a full device does: the fault suite sets
/// `globalThis.inklingFailWrites = n` and the next `n` writes fail before they start.
fn injected_failure() -> Option<StoreError> {
    let key = JsValue::from_str("inklingFailWrites");
    let global = js_sys::global();
    let left = js_sys::Reflect::get(&global, &key).ok()?.as_f64()?;
    if left < 1.0 {
        return None;
    }
    js_sys::Reflect::set(&global, &key, &JsValue::from_f64(left - 1.0)).ok()?;
    Some(StoreError::Full(
        "QuotaExceededError (made to fail by a test)".into(),
    ))
}

/// A test's way to make reads fail as a storage error does: the fault suite sets
/// `globalThis.inklingFailReads = { learners: n }` and the next `n` reads of that store fail
/// before they start.
fn injected_read_failure(stores: &[&str]) -> Option<StoreError> {
    let hook = js_sys::Reflect::get(&js_sys::global(), &"inklingFailReads".into()).ok()?;
    if !hook.is_object() {
        return None;
    }
    for store in stores {
        let key = JsValue::from_str(store);
        let left = js_sys::Reflect::get(&hook, &key)
            .ok()?
            .as_f64()
            .unwrap_or(0.0);
        if left >= 1.0 {
            js_sys::Reflect::set(&hook, &key, &JsValue::from_f64(left - 1.0)).ok()?;
            return Some(StoreError::Failed(format!(
                "UnknownError reading {store} (made to fail by a test)"
            )));
        }
    }
    None
}

impl Store {
    /// The app's database at the current schema, upgraded step by step from whatever is there;
    /// `events` hears when opening waits for another tab and when the connection is lost.
    pub async fn open(events: Rc<dyn Fn(StoreEvent)>) -> Result<Store> {
        Self::open_with(DB_NAME, SCHEMA_VERSION, events).await
    }

    /// A database at a given schema version (tests open old versions to check upgrades).
    pub async fn open_at(name: &str, version: u32) -> Result<Store> {
        Self::open_with(name, version, Rc::new(|_| {})).await
    }

    /// A database at `version`. A newer version opened elsewhere (another tab) closes this
    /// connection at once, so that tab's upgrade is never blocked by this one; writes then
    /// fail with [`StoreError::Lost`] and `events` is told.
    pub async fn open_with(
        name: &str,
        version: u32,
        events: Rc<dyn Fn(StoreEvent)>,
    ) -> Result<Store> {
        let blocked = events.clone();
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(move |_| {
                blocked(StoreEvent::Blocked);
                Ok(())
            })
            .with_on_upgrade_needed_fut(move |event, db| async move {
                let old = event.old_version() as u32;
                let new = event.new_version().map_or(old, |v| v as u32);
                for v in old + 1..=new {
                    upgrade_to(v, &db).await?;
                }
                Ok(())
            })
            .await?;
        let lost = Rc::new(Cell::new(None));
        let sys = db.as_sys().clone();
        let on_version_change = {
            let (lost, events, sys) = (lost.clone(), events.clone(), sys.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                sys.close();
                lost.set(Some(Lost::Upgraded));
                events(StoreEvent::Lost(Lost::Upgraded));
            })
        };
        let on_close = {
            let (lost, events) = (lost.clone(), events.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                if lost.get().is_none() {
                    lost.set(Some(Lost::Closed));
                    events(StoreEvent::Lost(Lost::Closed));
                }
            })
        };
        sys.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        sys.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Store {
            db,
            lost,
            events,
            _handlers: [on_version_change, on_close],
        })
    }

    /// Why the connection is gone, if it is.
    pub fn lost(&self) -> Option<Lost> {
        self.lost.get()
    }

    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    pub fn store_names(&self) -> Vec<String> {
        self.db.object_store_names().collect()
    }

    pub fn close(self) {
        self.lost.set(Some(Lost::Closed));
        self.db.close();
    }

    fn write(&self, stores: &[&str]) -> Result<Transaction<'_>> {
        if let Some(lost) = self.lost.get() {
            return Err(StoreError::Lost(lost));
        }
        if let Some(failure) = injected_failure() {
            return Err(failure);
        }
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
            .build()?)
    }

    fn read(&self, stores: &[&str]) -> Result<Transaction<'_>> {
        if let Some(lost) = self.lost.get() {
            return Err(StoreError::Lost(lost));
        }
        if let Some(failure) = injected_read_failure(stores) {
            return Err(failure);
        }
        Ok(self.db.transaction(stores).build()?)
    }

    /// Put one record in its own (strict) transaction.
    async fn put_one<T: serde::Serialize>(&self, store: &str, record: &T) -> Result<()> {
        let tx = self.write(&[store])?;
        tx.object_store(store)?.put(record).serde()?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_one<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>> {
        let tx = self.read(&[store])?;
        Ok(tx
            .object_store(store)?
            .get(key.to_string())
            .serde()?
            .await?)
    }

    /// Every record of `store` that reads as `T`. One that does not (damaged, or written by a
    /// newer Inkling) is left where it is and skipped, and `events` hears of it: one bad record
    /// never hides the others (a student's every project, say).
    async fn get_all<T: serde::de::DeserializeOwned>(&self, store: &str) -> Result<Vec<T>> {
        let tx = self.read(&[store])?;
        let records = tx.object_store(store)?;
        let values: Vec<JsValue> = records
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .collect::<indexed_db_futures::Result<_>>()?;
        // The same order (by key), in the same transaction.
        let keys: Vec<JsValue> = records
            .get_all_keys::<JsValue>()
            .primitive()?
            .await?
            .collect::<indexed_db_futures::Result<_>>()?;
        let mut read = Vec::with_capacity(values.len());
        for (i, value) in values.into_iter().enumerate() {
            match serde_wasm_bindgen::from_value::<T>(value) {
                Ok(record) => read.push(record),
                Err(e) => (self.events)(StoreEvent::Unreadable(Unreadable {
                    store: store.to_string(),
                    key: keys
                        .get(i)
                        .and_then(|k| k.as_string().or_else(|| k.as_f64().map(|n| n.to_string())))
                        .unwrap_or_default(),
                    error: e.to_string(),
                })),
            }
        }
        Ok(read)
    }

    pub async fn profiles(&self) -> Result<Vec<ProfileRecord>> {
        self.get_all(PROFILES).await
    }

    /// A profile's projects, most recently changed first.
    pub async fn projects(&self, profile: &ProfileId) -> Result<Vec<ProjectRecord>> {
        let mut records: Vec<ProjectRecord> = self
            .get_all::<ProjectRecord>(PROJECTS)
            .await?
            .into_iter()
            .filter(|r| r.profile == *profile)
            .collect();
        records.sort_by(|a, b| b.modified.total_cmp(&a.modified));
        Ok(records)
    }

    /// A project with its examples' stored embeddings (those made by `encoder` only).
    pub async fn load_project(
        &self,
        record: &ProjectRecord,
        encoder: &str,
    ) -> Result<(Project, HashMap<u64, Vec<f32>>)> {
        let tx = self.read(&[EXAMPLES])?;
        let examples: Vec<ExampleRecord> = tx
            .object_store(EXAMPLES)?
            .index("project")?
            .get_all()
            .with_query(record.id.clone())
            .serde()?
            .await?
            .collect::<indexed_db_futures::Result<_>>()?;
        let embeddings = examples
            .iter()
            .filter(|e| e.encoder == encoder && !e.embedding.is_empty())
            .map(|e| (e.id, e.embedding.clone()))
            .collect();
        let project = assemble_project(record, examples).map_err(|e| {
            StoreError::Damaged(format!("the project \"{}\" is damaged: {e}", record.name))
        })?;
        Ok((project, embeddings))
    }

    /// Write what changed in one transaction: the project's outline, new examples, removed
    /// examples, and the model (when given).
    pub async fn write_changes(
        &self,
        record: &ProjectRecord,
        changes: &ProjectChanges<'_>,
        embeddings: &HashMap<u64, Vec<f32>>,
        encoder: &str,
        model: Option<&ModelRecord>,
    ) -> Result<()> {
        let tx = self.write(&[PROJECTS, EXAMPLES, MODELS])?;
        let examples = tx.object_store(EXAMPLES)?;
        if changes.outline_changed || !changes.added.is_empty() || !changes.removed.is_empty() {
            tx.object_store(PROJECTS)?.put(record).serde()?;
        }
        for &(class, example) in &changes.added {
            let embedding = embeddings.get(&example.id).cloned().unwrap_or_default();
            let e = ExampleRecord::of(&record.id, class, example, embedding, encoder);
            examples.put(e).serde()?;
        }
        for &id in &changes.removed {
            examples.delete(example_key(&record.id, id)).primitive()?;
        }
        if let Some(model) = model {
            tx.object_store(MODELS)?.put(model).serde()?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Write a whole project, replacing whatever the store held under its id (a new or
    /// imported project, an undone delete, or a resync after a failed write).
    pub async fn write_project(
        &self,
        record: &ProjectRecord,
        project: &Project,
        embeddings: &HashMap<u64, Vec<f32>>,
        encoder: &str,
        model: Option<&ModelRecord>,
    ) -> Result<()> {
        let tx = self.write(&[PROJECTS, EXAMPLES, MODELS])?;
        let examples = tx.object_store(EXAMPLES)?;
        examples.delete(example_range(&record.id)).primitive()?;
        put_examples(&examples, &record.id, project, embeddings, encoder)?;
        tx.object_store(PROJECTS)?.put(record).serde()?;
        let models = tx.object_store(MODELS)?;
        match model {
            Some(model) => {
                models.put(model).serde()?;
            }
            None => {
                models.delete(record.id.clone()).primitive()?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Delete a project, its examples and its model, all or nothing.
    pub async fn delete_project(&self, id: &str) -> Result<()> {
        let tx = self.write(&[PROJECTS, EXAMPLES, MODELS])?;
        tx.object_store(PROJECTS)?
            .delete(id.to_string())
            .primitive()?;
        tx.object_store(EXAMPLES)?
            .delete(example_range(id))
            .primitive()?;
        tx.object_store(MODELS)?
            .delete(id.to_string())
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn model(&self, project: &str) -> Result<Option<ModelRecord>> {
        self.get_one(MODELS, project).await
    }

    /// Store a project's model (its fine-tuned head), unless the project is gone: a head that
    /// finished training after its project was deleted is dropped, not left behind. Returns
    /// whether it was stored.
    pub async fn put_model(&self, model: &ModelRecord) -> Result<bool> {
        let tx = self.write(&[PROJECTS, MODELS])?;
        let project: Option<ProjectRecord> = tx
            .object_store(PROJECTS)?
            .get(model.project.clone())
            .serde()?
            .await?;
        if project.is_none() {
            return Ok(false);
        }
        tx.object_store(MODELS)?.put(model).serde()?;
        tx.commit().await?;
        Ok(true)
    }

    /// Keep the embedding of one example, computed after the example was written: only that
    /// record changes, and nothing happens when the example is gone (deleted meanwhile).
    /// Returns whether it was stored.
    pub async fn put_embedding(
        &self,
        project: &str,
        example: u64,
        encoder: &str,
        embedding: &[f32],
    ) -> Result<bool> {
        let tx = self.write(&[EXAMPLES])?;
        let examples = tx.object_store(EXAMPLES)?;
        let found: Option<ExampleRecord> =
            examples.get(example_key(project, example)).serde()?.await?;
        let Some(mut record) = found else {
            return Ok(false);
        };
        record.embedding = embedding.to_vec();
        record.encoder = encoder.to_string();
        examples.put(record).serde()?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn put_profile(&self, profile: &ProfileRecord) -> Result<()> {
        self.put_one(PROFILES, profile).await
    }

    /// Imported lessons, as stored (each is validated again by whoever reads it).
    pub async fn lessons(&self) -> Result<Vec<LessonRecord>> {
        self.get_all(LESSONS).await
    }

    pub async fn put_lesson(&self, lesson: &LessonRecord) -> Result<()> {
        self.put_one(LESSONS, lesson).await
    }

    /// The student's learner record: none yet, read, or there but unreadable (damaged, or
    /// written by a newer Inkling), with its JSON so it can be set aside before anything new
    /// is written over it. A record that cannot even be turned into JSON (so it could not be
    /// kept aside) is an error, like one that could not be read at all.
    pub async fn learner(&self, profile: &ProfileId) -> Result<Stored<LearnerRecord>> {
        let tx = self.read(&[LEARNERS])?;
        let value: Option<JsValue> = tx
            .object_store(LEARNERS)?
            .get(profile.to_string())
            .primitive()?
            .await?;
        let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
            return Ok(Stored::Missing);
        };
        Ok(
            match serde_wasm_bindgen::from_value::<LearnerRecord>(value.clone()) {
                Ok(record) => Stored::Read(record),
                Err(e) => match js_sys::JSON::stringify(&value)
                    .ok()
                    .and_then(|j| j.as_string())
                {
                    Some(json) => Stored::Unreadable {
                        json,
                        error: e.to_string(),
                    },
                    None => {
                        return Err(StoreError::Damaged(format!(
                            "the learning record cannot be read ({e}) nor copied aside"
                        )));
                    }
                },
            },
        )
    }

    /// Keep `json`, a record of `store` under `key` that could not be read, as a setting
    /// (`set-aside/{store}/{key}/{at_ms}`): nothing is lost when new data takes its place, and
    /// it can be recovered by hand (or by a later Inkling that reads it).
    pub async fn set_aside(&self, store: &str, key: &str, json: &str, at_ms: f64) -> Result<()> {
        self.set_setting(&format!("set-aside/{store}/{key}/{at_ms:.0}"), json)
            .await
    }

    /// A student's knowledge changed without an outcome (their corrected handwriting).
    pub async fn put_learner(&self, learner: &LearnerRecord) -> Result<()> {
        self.put_one(LEARNERS, learner).await
    }

    /// Outcomes and the learner they changed, in one transaction: history and mastery never
    /// disagree, whatever happens in between. (Several when earlier writes failed and wait.)
    pub async fn record_outcomes(
        &self,
        learner: &LearnerRecord,
        outcomes: &[OutcomeRecord],
    ) -> Result<()> {
        let tx = self.write(&[LEARNERS, OUTCOMES])?;
        tx.object_store(LEARNERS)?.put(learner).serde()?;
        let history = tx.object_store(OUTCOMES)?;
        for outcome in outcomes {
            history.add(outcome).serde()?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn outcomes(&self, profile: &ProfileId) -> Result<Vec<OutcomeRecord>> {
        let tx = self.read(&[OUTCOMES])?;
        let all: Vec<OutcomeRecord> = tx
            .object_store(OUTCOMES)?
            .index("profile")?
            .get_all()
            .with_query(profile.to_string())
            .serde()?
            .await?
            .collect::<indexed_db_futures::Result<_>>()?;
        Ok(all)
    }

    /// A whole imported profile in one transaction: all of it or, on any failure, none.
    pub async fn import_profile(
        &self,
        profile: &ProfileRecord,
        projects: &[(ProjectRecord, Project)],
        learner: &LearnerRecord,
        outcomes: &[OutcomeRecord],
    ) -> Result<()> {
        let tx = self.write(&[PROFILES, PROJECTS, EXAMPLES, LEARNERS, OUTCOMES])?;
        tx.object_store(PROFILES)?.put(profile).serde()?;
        let examples = tx.object_store(EXAMPLES)?;
        for (record, project) in projects {
            tx.object_store(PROJECTS)?.put(record).serde()?;
            put_examples(&examples, &record.id, project, &HashMap::new(), "")?;
        }
        tx.object_store(LEARNERS)?.put(learner).serde()?;
        let history = tx.object_store(OUTCOMES)?;
        for outcome in outcomes {
            history.add(outcome).serde()?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let record: Option<SettingRecord> = self.get_one(SETTINGS, key).await?;
        Ok(record.map(|r| r.value))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let record = SettingRecord {
            key: key.into(),
            value: value.into(),
        };
        self.put_one(SETTINGS, &record).await
    }
}

/// Put a record for every example of `project` (requests of the caller's transaction).
fn put_examples(
    examples: &indexed_db_futures::object_store::ObjectStore<'_>,
    project_id: &str,
    project: &Project,
    embeddings: &HashMap<u64, Vec<f32>>,
    encoder: &str,
) -> indexed_db_futures::Result<()> {
    for class in &project.classes {
        for example in &class.examples {
            let embedding = embeddings.get(&example.id).cloned().unwrap_or_default();
            let e = ExampleRecord::of(project_id, class.id, example, embedding, encoder);
            examples.put(e).serde()?;
        }
    }
    Ok(())
}

/// Ask the browser to keep Inkling's data under storage pressure (it may say no, e.g. for a
/// site the user rarely visits); returns whether the storage is persistent.
pub async fn request_persistence() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let storage = window.navigator().storage();
    let Ok(promise) = storage.persist() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
