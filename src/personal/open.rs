//! The open project: the one owner of what the student is working on. The UI holds one
//! [`OpenProject`] and changes it only through these methods, each applied to the state as it
//! is at that moment:
//!
//! - [`OpenProject::edit`] runs a synchronous change of the project (add, rename, delete...).
//!   Nothing can await inside it, so no copy taken before an await is ever written back, and
//!   ids (of examples, classes) are taken at the moment the change is made.
//! - Work that took time (an embedding, a trained head) comes back through
//!   [`OpenProject::land_embedding`] / [`OpenProject::land_head`], naming the project and the
//!   examples it was for. It is applied only when they are still what is open; otherwise it is
//!   refused with the reason ([`Landed`]), and the caller writes it to the store under the
//!   project it belongs to, or drops it.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::file::ModelFile;
use super::model::{PersonalModel, TrainingSet, Tuned};
use crate::learn::preprocess::Stroke;
use crate::learn::prototypes::{OnlineStrategy, PrototypeError};
use crate::project::{Project, ProjectError, ProjectExample, ProjectKind};

/// The id of a stored project: `p<milliseconds>-<8 hex digits>` for projects made on this
/// device (older and imported ids are kept as they are). Made by [`ProjectId::new`], read back
/// by [`ProjectId::parse`]; nothing else builds one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectId(String);

/// Longest project id accepted from storage or a file.
const MAX_ID_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("\"{0}\" is not a project id (1-{MAX_ID_CHARS} letters, digits, '-' or '_')")]
pub struct BadProjectId(pub String);

impl ProjectId {
    /// A new id from the time (ms since the epoch) and a random number.
    pub fn new(now_ms: f64, random: u32) -> Self {
        ProjectId(format!("p{}-{random:08x}", now_ms.max(0.0) as u64))
    }

    /// An id as stored. Example records are keyed `"{project}/{example}"`, so an id never
    /// holds '/' (or anything but letters, digits, '-' and '_').
    pub fn parse(text: &str) -> Result<Self, BadProjectId> {
        let ok = !text.is_empty()
            && text.chars().count() <= MAX_ID_CHARS
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(ProjectId(text.to_string()))
        } else {
            Err(BadProjectId(text.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProjectId {
    type Error = BadProjectId;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ProjectId::parse(&text)
    }
}

impl From<ProjectId> for String {
    fn from(id: ProjectId) -> String {
        id.0
    }
}

/// What became of work that came back after an await.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landed {
    /// Applied to the open project.
    Applied,
    /// Its project is not the open one (the student switched): the open one is untouched.
    OtherProject,
    /// Its project is open but what it was for is gone (an example deleted), or it no longer
    /// fits (a head for classes that changed), or something newer replaced it (a class model
    /// set since the stored one was read).
    Gone,
}

/// An example that needs an embedding, named by its project.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingJob {
    pub project: ProjectId,
    /// The project's kind: which encoder embeds the example.
    pub kind: ProjectKind,
    pub example: ProjectExample,
}

/// The open project with the derived state the app keeps beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenProject {
    id: ProjectId,
    project: Project,
    /// Embeddings of this project's examples, by example id (only examples it has).
    embeddings: HashMap<u64, Vec<f32>>,
    /// The last fine-tuned head (it answers only while it applies to the examples).
    tuned: Option<Tuned>,
    /// The class model under the student's own examples (see [`PersonalModel::with_prior`]).
    prior: Option<ModelFile>,
    /// The class model was set or removed since the project opened (so the stored one, read
    /// after the open, is older and not applied).
    prior_changed: bool,
    /// Counts the changes of what the model answers from (edits, embeddings, heads), so a view
    /// knows when to ask it again.
    revision: u64,
}

impl OpenProject {
    pub fn new(
        id: ProjectId,
        project: Project,
        mut embeddings: HashMap<u64, Vec<f32>>,
        tuned: Option<Tuned>,
    ) -> Self {
        let ids = example_ids(&project);
        embeddings.retain(|id, _| ids.contains(id));
        OpenProject {
            id,
            project,
            embeddings,
            tuned,
            prior: None,
            prior_changed: false,
            revision: 0,
        }
    }

    pub fn id(&self) -> &ProjectId {
        &self.id
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn embeddings(&self) -> &HashMap<u64, Vec<f32>> {
        &self.embeddings
    }

    pub fn tuned(&self) -> Option<&Tuned> {
        self.tuned.as_ref()
    }

    pub fn prior(&self) -> Option<&ModelFile> {
        self.prior.as_ref()
    }

    /// `project`'s class model is now `prior` (None: no class model). The caller has checked
    /// that it fits ([`ModelFile::fits`]); a prior for another project is refused.
    pub fn land_prior(&mut self, project: &ProjectId, prior: Option<ModelFile>) -> Landed {
        if *project != self.id {
            return Landed::OtherProject;
        }
        self.prior = prior;
        self.prior_changed = true;
        self.revision += 1;
        Landed::Applied
    }

    /// `project`'s class model as the store had it when the project opened: applied unless
    /// the student set or removed one since (theirs is newer).
    pub fn land_stored_prior(&mut self, project: &ProjectId, prior: ModelFile) -> Landed {
        if *project != self.id {
            return Landed::OtherProject;
        }
        if self.prior_changed {
            return Landed::Gone;
        }
        self.prior = Some(prior);
        self.revision += 1;
        Landed::Applied
    }

    /// Changes so far of what the model answers from (see the field).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_embedded(&self, example: u64) -> bool {
        self.embeddings.contains_key(&example)
    }

    /// Change the project now. Embeddings of examples the change removed are dropped with them.
    pub fn edit<T>(
        &mut self,
        change: impl FnOnce(&mut Project) -> Result<T, ProjectError>,
    ) -> Result<T, ProjectError> {
        let done = change(&mut self.project)?;
        let ids = example_ids(&self.project);
        self.embeddings.retain(|id, _| ids.contains(id));
        self.revision += 1;
        Ok(done)
    }

    /// The examples still without an embedding, in project order.
    pub fn embedding_jobs(&self) -> Vec<EmbeddingJob> {
        self.project
            .classes
            .iter()
            .flat_map(|c| c.examples.iter())
            .filter(|e| !self.embeddings.contains_key(&e.id))
            .map(|e| EmbeddingJob {
                project: self.id.clone(),
                kind: self.project.kind,
                example: e.clone(),
            })
            .collect()
    }

    /// The embedding of `example` of `project` is ready.
    pub fn land_embedding(
        &mut self,
        project: &ProjectId,
        example: u64,
        embedding: Vec<f32>,
    ) -> Landed {
        if *project != self.id {
            return Landed::OtherProject;
        }
        if !example_ids(&self.project).contains(&example) {
            return Landed::Gone;
        }
        self.embeddings.insert(example, embedding);
        self.revision += 1;
        Landed::Applied
    }

    /// A head trained on `project`'s examples (`tuned.examples`) with `classes` (class ids,
    /// column order) is ready. Kept while the project is open and has those classes; it
    /// answers only while its examples are the model's (see [`Tuned::applies_to`]).
    pub fn land_head(&mut self, project: &ProjectId, classes: &[u64], tuned: Tuned) -> Landed {
        if *project != self.id {
            return Landed::OtherProject;
        }
        let now: Vec<u64> = self.project.classes.iter().map(|c| c.id).collect();
        if now != classes {
            return Landed::Gone;
        }
        self.tuned = Some(tuned);
        self.revision += 1;
        Landed::Applied
    }

    /// What the model learns from now.
    pub fn training_set(&self) -> TrainingSet {
        TrainingSet::of(&self.project, &self.embeddings)
    }

    /// The strokes of each example of `set`, in its order (what fine-tuning a drawing
    /// project trains on).
    pub fn drawings_of(&self, set: &TrainingSet) -> Vec<Vec<Stroke>> {
        let all: HashMap<u64, &ProjectExample> = self
            .project
            .classes
            .iter()
            .flat_map(|c| c.examples.iter().map(|e| (e.id, e)))
            .collect();
        set.examples
            .iter()
            .filter_map(|(id, _, _)| all.get(id).map(|e| e.strokes.clone()))
            .collect()
    }

    /// The personal model as it is now (the head while it applies).
    pub fn model(&self, strategy: OnlineStrategy) -> Result<PersonalModel, PrototypeError> {
        PersonalModel::with_prior(
            self.training_set(),
            strategy,
            self.tuned.as_ref(),
            self.prior.as_ref(),
        )
    }
}

fn example_ids(project: &Project) -> Vec<u64> {
    project
        .classes
        .iter()
        .flat_map(|c| c.examples.iter().map(|e| e.id))
        .collect()
}

/// Opens of a project (picker, profile, create, import, delete, undo) in the order they were
/// asked for. Loads take their own time and may finish in any order: only the newest open
/// asked for may show its project, so the one the student picked last is the one open.
#[derive(Debug, Default, Clone)]
pub struct Opens {
    newest: u64,
    in_flight: usize,
}

/// One open, numbered when it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn(u64);

impl Opens {
    /// An open is asked for (call before its first await): its turn.
    pub fn ask(&mut self) -> Turn {
        self.newest += 1;
        self.in_flight += 1;
        Turn(self.newest)
    }

    /// Whether the open that took `turn` may show its project: no open was asked for since.
    pub fn may_show(&self, turn: Turn) -> bool {
        turn.0 == self.newest
    }

    /// The open that took `turn` has finished (shown or not).
    pub fn done(&mut self, _turn: Turn) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Opens asked for and not finished.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::finetune::HeadWeights;
    use crate::learn::preprocess::Point;

    fn drawing(x: f32) -> Vec<Vec<Point>> {
        vec![vec![
            Point { x, y: 0.0, t: 0.0 },
            Point {
                x: x + 5.0,
                y: 5.0,
                t: 1.0,
            },
        ]]
    }

    fn id(n: u32) -> ProjectId {
        ProjectId::new(1_700_000_000_000.0, n)
    }

    fn open(n: u32) -> OpenProject {
        OpenProject::new(id(n), Project::starter(), HashMap::new(), None)
    }

    #[test]
    fn project_ids_have_one_format_and_are_parsed_in_one_place() {
        let made = ProjectId::new(1_700_000_000_123.0, 0xbeef);
        assert_eq!(made.as_str(), "p1700000000123-0000beef");
        assert_eq!(ProjectId::parse(made.as_str()), Ok(made.clone()));
        // Ids stored by earlier versions read back too.
        assert!(ProjectId::parse("p1712345678901-0a1b2c3d").is_ok());
        for bad in ["", "a/b", "p 1", &"x".repeat(65)] {
            assert_eq!(ProjectId::parse(bad), Err(BadProjectId(bad.to_string())));
        }
        let json = serde_json::to_string(&made).unwrap();
        assert_eq!(json, "\"p1700000000123-0000beef\"");
        assert_eq!(serde_json::from_str::<ProjectId>(&json).unwrap(), made);
        assert!(serde_json::from_str::<ProjectId>("\"a/b\"").is_err());
    }

    /// The bug of issue 11: two examples added while the first is being embedded. Each add
    /// takes its id at once; both embeddings land on their own example.
    #[test]
    fn two_quick_adds_are_two_examples_whatever_order_their_embeddings_land_in() {
        let mut o = open(1);
        let class = o.project().classes[0].id;
        let first = o.edit(|p| p.add_example(class, drawing(0.0))).unwrap();
        let second = o.edit(|p| p.add_example(class, drawing(9.0))).unwrap();
        assert_ne!(first, second);
        let jobs: Vec<u64> = o.embedding_jobs().iter().map(|j| j.example.id).collect();
        assert_eq!(jobs, [first, second]);
        assert_eq!(o.land_embedding(&id(1), second, vec![2.0]), Landed::Applied);
        assert_eq!(o.land_embedding(&id(1), first, vec![1.0]), Landed::Applied);
        assert_eq!(o.project().classes[0].examples.len(), 2);
        assert_eq!(o.embeddings()[&first], [1.0]);
        assert_eq!(o.embeddings()[&second], [2.0]);
        assert!(o.embedding_jobs().is_empty());
        let set = o.training_set();
        assert_eq!(o.drawings_of(&set), [drawing(0.0), drawing(9.0)]);
        // Two adds and two embeddings: four changes of what the model answers from.
        assert_eq!(o.revision(), 4);
        // Work that does not land changes nothing.
        o.land_embedding(&id(2), first, vec![9.0]);
        assert_eq!(o.revision(), 4);
    }

    #[test]
    fn an_embedding_for_another_project_leaves_the_open_one_alone() {
        // Drawn in project 1; the student switched to project 2 before it was embedded.
        let mut one = open(1);
        let class = one.project().classes[0].id;
        let drawn = one.edit(|p| p.add_example(class, drawing(0.0))).unwrap();
        let mut two = open(2);
        let before = two.clone();
        assert_eq!(
            two.land_embedding(&id(1), drawn, vec![1.0]),
            Landed::OtherProject
        );
        assert_eq!(two, before);
    }

    #[test]
    fn a_rename_or_a_delete_made_while_embedding_stays_made() {
        let mut o = open(1);
        let class = o.project().classes[0].id;
        let drawn = o.edit(|p| p.add_example(class, drawing(0.0))).unwrap();
        o.edit(|p| p.rename_class(class, "ring")).unwrap();
        o.edit(|p| p.rename("Shapes")).unwrap();
        assert_eq!(o.land_embedding(&id(1), drawn, vec![1.0]), Landed::Applied);
        assert_eq!(o.project().classes[0].name, "ring");
        assert_eq!(o.project().name, "Shapes");

        let gone = o.edit(|p| p.add_example(class, drawing(3.0))).unwrap();
        o.edit(|p| p.delete_example(gone)).unwrap();
        assert_eq!(o.land_embedding(&id(1), gone, vec![2.0]), Landed::Gone);
        assert!(!o.is_embedded(gone));
        // Deleting a class drops its examples' embeddings with it.
        let other = o.project().classes[1].id;
        o.edit(|p| p.delete_class(class)).unwrap();
        assert!(o.embeddings().is_empty());
        assert_eq!(o.project().classes[0].id, other);
    }

    /// A class model for the starter project: each class a prototype at `(k, 0)`.
    fn class_model() -> ModelFile {
        let labels: Vec<String> = Project::starter()
            .classes
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let set = TrainingSet {
            examples: (0..labels.len())
                .map(|k| (k as u64, k, vec![k as f32 * 10.0, 0.0]))
                .collect(),
            class_ids: (0..labels.len() as u64).collect(),
            labels,
        };
        ModelFile::of_project(crate::project::ProjectKind::Drawing, "enc", &set, None).unwrap()
    }

    #[test]
    fn a_class_model_lands_only_in_its_project_and_answers_before_any_example() {
        let mut o = open(1);
        assert!(o.model(OnlineStrategy::Incremental).is_err());
        assert_eq!(
            o.land_prior(&id(2), Some(class_model())),
            Landed::OtherProject
        );
        assert_eq!(o.prior(), None);
        assert_eq!(o.land_prior(&id(1), Some(class_model())), Landed::Applied);
        assert_eq!(o.revision(), 1);
        let answer = o
            .model(OnlineStrategy::Incremental)
            .unwrap()
            .answer(&[19.0, 0.0], 1)
            .unwrap();
        assert_eq!(answer.top[0].class, 2);
        // Nothing of the student's own to show as nearest.
        assert!(answer.nearest.is_empty());
        // Their own example counts with it, and is what the nearest shows.
        let class = o.project().classes[0].id;
        let drawn = o.edit(|p| p.add_example(class, drawing(0.0))).unwrap();
        o.land_embedding(&id(1), drawn, vec![30.0, 0.0]);
        let model = o.model(OnlineStrategy::Incremental).unwrap();
        assert_eq!(model.class_weight(0), 3.0);
        assert_eq!(model.prototype(0), Some(&[10.0, 0.0][..]));
        let answer = model.answer(&[29.0, 0.0], 1).unwrap();
        assert_eq!(answer.nearest, [(0, drawn)]);
        assert_eq!(o.land_prior(&id(1), None), Landed::Applied);
        assert_eq!(
            o.model(OnlineStrategy::Incremental).unwrap().prototype(0),
            Some(&[30.0, 0.0][..])
        );
        // The stored class model, read after the open, lands only where nothing newer did.
        assert_eq!(o.land_stored_prior(&id(1), class_model()), Landed::Gone);
        assert_eq!(o.prior(), None);
        let mut fresh = open(1);
        assert_eq!(
            fresh.land_stored_prior(&id(2), class_model()),
            Landed::OtherProject
        );
        assert_eq!(
            fresh.land_stored_prior(&id(1), class_model()),
            Landed::Applied
        );
        assert_eq!(fresh.prior(), Some(&class_model()));
    }

    fn head(dim: usize, classes: usize) -> HeadWeights {
        HeadWeights::new(dim, classes, vec![0.0; dim * classes], vec![0.0; classes]).unwrap()
    }

    #[test]
    fn a_head_lands_only_in_the_project_and_classes_it_was_trained_for() {
        let mut o = open(1);
        let classes: Vec<u64> = o.project().classes.iter().map(|c| c.id).collect();
        let drawn = o.edit(|p| p.add_example(classes[0], drawing(0.0))).unwrap();
        o.land_embedding(&id(1), drawn, vec![1.0]);
        let tuned = Tuned {
            examples: vec![drawn],
            head: head(1, 3),
        };
        // Finished after a switch: not this project's.
        let mut two = open(2);
        assert_eq!(
            two.land_head(&id(1), &classes, tuned.clone()),
            Landed::OtherProject
        );
        assert_eq!(two.tuned(), None);
        // Its own project: kept, and it answers.
        assert_eq!(
            o.land_head(&id(1), &classes, tuned.clone()),
            Landed::Applied
        );
        assert!(
            o.model(OnlineStrategy::Incremental)
                .unwrap()
                .is_fine_tuned()
        );
        // A class added meanwhile: the head's columns no longer match.
        let mut changed = open(1);
        changed.edit(|p| p.add_class("zig")).unwrap();
        assert_eq!(changed.land_head(&id(1), &classes, tuned), Landed::Gone);
    }

    #[test]
    fn embeddings_of_examples_the_project_does_not_have_are_not_kept() {
        let stray = HashMap::from([(99, vec![1.0])]);
        let o = OpenProject::new(id(1), Project::starter(), stray, None);
        assert!(o.embeddings().is_empty());
    }

    #[test]
    fn the_open_asked_for_last_shows_whatever_order_loads_finish_in() {
        let mut opens = Opens::default();
        let big = opens.ask();
        let small = opens.ask();
        assert_eq!(opens.in_flight(), 2);
        // The small project loads first and shows; the big one, finishing last, does not.
        assert!(opens.may_show(small));
        opens.done(small);
        assert!(!opens.may_show(big));
        opens.done(big);
        assert_eq!(opens.in_flight(), 0);
        // In order, too: the first is overtaken as soon as the second is asked for.
        let first = opens.ask();
        assert!(opens.may_show(first));
        let second = opens.ask();
        assert!(!opens.may_show(first));
        assert!(opens.may_show(second));
        opens.done(first);
        opens.done(second);
        opens.done(second);
        assert_eq!(opens.in_flight(), 0, "never below zero");
    }
}
