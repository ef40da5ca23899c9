//! Examples get their embeddings in the background, one at a time, oldest first: a new
//! drawing or sentence, and every example that has none (imported, made by another encoder,
//! or added just before the page closed). Each result lands by project and example id
//! ([`Workspace::land_embedding`]): in the open project if it is still the one, and in the store
//! under its own project either way. The student's example is in the project (and the store)
//! from the moment it is added; only its embedding waits.

use std::collections::{HashSet, VecDeque};

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::i18n::said_with;
use super::library::{Workspace, encoder_id};
use super::models::Models;
use crate::personal::open::{EmbeddingJob, ProjectId};
use crate::project::ProjectKind;

/// The queue of examples to embed.
#[derive(Clone, Copy)]
pub struct Embedder {
    queue: StoredValue<VecDeque<EmbeddingJob>>,
    /// Queued, running, or failed (not tried again until the page reloads): by project and
    /// example id, so an example is never queued twice.
    seen: StoredValue<HashSet<(ProjectId, u64)>>,
    running: StoredValue<bool>,
    /// Examples waiting or being embedded (tests wait for 0).
    pub pending: RwSignal<usize>,
}

impl Embedder {
    /// Start embedding whatever the open project lacks, whenever it lacks something and the
    /// engine it needs is ready (again, after a move to the CPU).
    pub fn start(ws: Workspace, models: Models) -> Self {
        let embedder = Embedder {
            queue: StoredValue::new(VecDeque::new()),
            seen: StoredValue::new(HashSet::new()),
            running: StoredValue::new(false),
            pending: RwSignal::new(0),
        };
        Effect::new(move |_| {
            let kind = ws.open.with(|o| o.project().kind);
            let ready = match kind.sentence_model() {
                None => models.drawing.with(Option::is_some),
                Some(model) => models.text.loaded() == Some(model),
            };
            if !ready {
                return;
            }
            let jobs = ws.open.with(|o| o.embedding_jobs());
            embedder.enqueue(jobs, ws, models);
        });
        embedder
    }

    fn enqueue(self, jobs: Vec<EmbeddingJob>, ws: Workspace, models: Models) {
        let mut added = 0;
        for job in jobs {
            let new = self
                .seen
                .try_update_value(|s| s.insert((job.project.clone(), job.example.id)))
                .unwrap_or(false);
            if new {
                self.queue.update_value(|q| q.push_back(job));
                added += 1;
            }
        }
        if added == 0 {
            return;
        }
        self.pending.update(|n| *n += added);
        if self.running.get_value() {
            return;
        }
        self.running.set_value(true);
        spawn_local(async move {
            while let Some(job) = self.queue.try_update_value(|q| q.pop_front()).flatten() {
                self.embed(job, ws, models).await;
                self.pending.update(|n| *n = n.saturating_sub(1));
            }
            self.running.set_value(false);
        });
    }

    async fn embed(self, job: EmbeddingJob, ws: Workspace, models: Models) {
        let kind = job.kind;
        if !ready_for(models, kind) {
            return self.forget(&job);
        }
        let embedding = match (kind.sentence_model(), &job.example.text) {
            (Some(model), Some(sentence)) => models.embed_sentence(model, sentence).await,
            _ => models.embed_drawing(&job.example.strokes).await,
        };
        match embedding {
            Ok(e) => {
                // Landed: the project (open, or in the store) has it now. Should it not have
                // (its record was not written yet), the next need asks again.
                self.forget(&job);
                ws.land_embedding(job.project, job.example.id, encoder_id(kind), e);
            }
            // A sentence whose model moved to the CPU (or gave way to the other model): asked
            // again once it is there.
            Err(_) if !ready_for(models, kind) => self.forget(&job),
            // Kept as failed: the example stays (it is the student's), unused by the model.
            Err(e) => ws
                .status
                .set(said_with("pad-unreadable", &[("error", e.into())])),
        }
    }

    /// Done with `job` (or it could not run now): the next need may ask for it again.
    fn forget(self, job: &EmbeddingJob) {
        self.seen
            .update_value(|s| _ = s.remove(&(job.project.clone(), job.example.id)));
    }
}

/// Whether the model for `kind` is loaded.
fn ready_for(models: Models, kind: ProjectKind) -> bool {
    match kind.sentence_model() {
        Some(model) => models.text.loaded_untracked() == Some(model),
        None => models.drawing.with_untracked(Option::is_some),
    }
}
