//! One student's knowledge: mastery per concept (BKT) and the review cards of practised items
//! (FSRS), changed only by recording an outcome; and the student's own handwriting of practice
//! glyphs (drawings the model misjudged and the student corrected), which practice models learn
//! from. [`Learner::record`] returns the outcome record
//! the store writes in the same transaction as the new state, so history and mastery always agree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bkt::{BktParams, MASTERED};
use super::item::ItemId;
use super::review::{Card, Rating, Scheduler, due};
use crate::learn::preprocess::Stroke;
use crate::lesson::{Lesson, LessonId};

/// The most corrected drawings kept per practice item (the oldest go first): enough to learn a
/// hand, few enough to keep a profile small.
pub const MAX_HANDWRITING_PER_ITEM: usize = 20;

/// What happened once: a practice prompt judged, or a quiz question answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub lesson: LessonId,
    pub task: usize,
    /// The reviewed item: `lesson/class` for practice, `lesson/task/question` for a quiz.
    pub item: String,
    pub correct: bool,
    pub at_ms: f64,
    /// Mastery of each concept the outcome counted towards: (concept, before, after).
    pub mastery: Vec<(String, f64, f64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Learner {
    /// P(known) per concept id; a concept not here is at its prior.
    pub mastery: BTreeMap<String, f64>,
    pub cards: Vec<Card>,
    /// The student's corrected drawings per practice item (`lesson/glyph`), oldest first.
    /// Left out of the JSON when empty, so records and files from before it read the same.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub handwriting: BTreeMap<String, Vec<Vec<Stroke>>>,
    /// The same for text practice: the student's corrected sentences per item.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sentences: BTreeMap<String, Vec<String>>,
}

/// A change to a student's knowledge, named by what it changes, so that it can wait (in order)
/// while their stored record has not been read yet and then be applied to the record as read:
/// knowledge is never written from a copy that was not read from the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `item` of `lesson`'s task `task` answered right or wrong at `at_ms`.
    Answer {
        lesson: Box<Lesson>,
        task: usize,
        item: ItemId,
        correct: bool,
        at_ms: f64,
    },
    /// A corrected drawing of a practice item.
    Handwriting { item: ItemId, drawing: Vec<Stroke> },
    /// A corrected sentence of a text practice item.
    Sentence { item: ItemId, sentence: String },
}

impl Learner {
    pub fn mastery_of(&self, concept: &str) -> f64 {
        self.mastery
            .get(concept)
            .copied()
            .unwrap_or(BktParams::default().prior)
    }

    pub fn is_mastered(&self, concept: &str) -> bool {
        self.mastery_of(concept) >= MASTERED
    }

    /// Record that `item` of `lesson`'s task `task` was right or wrong at `at_ms`: mastery of
    /// the task's concepts and the item's review card change; the returned outcome says how.
    pub fn record(
        &mut self,
        lesson: &Lesson,
        task: usize,
        item: &ItemId,
        correct: bool,
        at_ms: f64,
        scheduler: &Scheduler,
    ) -> Outcome {
        let item = &item.key();
        let params = lesson.mastery.unwrap_or_default();
        let mut changes = Vec::new();
        for concept in lesson.task_concepts(task) {
            let before = self.mastery.get(&concept).copied().unwrap_or(params.prior);
            let after = params.update(before, correct);
            self.mastery.insert(concept.clone(), after);
            changes.push((concept, before, after));
        }
        let rating = Rating::from_outcome(correct);
        let position = self.cards.iter().position(|c| c.item == *item);
        let card = scheduler.review(position.map(|i| &self.cards[i]), item, rating, at_ms);
        match position {
            Some(i) => self.cards[i] = card,
            None => self.cards.push(card),
        }
        Outcome {
            lesson: lesson.id.clone(),
            task,
            item: item.clone(),
            correct,
            at_ms,
            mastery: changes,
        }
    }

    /// Keep `drawing` as the student's way of writing `item` (at most
    /// [`MAX_HANDWRITING_PER_ITEM`] per item; the oldest is dropped).
    pub fn add_handwriting(&mut self, item: &ItemId, drawing: Vec<Stroke>) {
        let drawings = self.handwriting.entry(item.key()).or_default();
        drawings.push(drawing);
        if drawings.len() > MAX_HANDWRITING_PER_ITEM {
            drawings.remove(0);
        }
    }

    /// Keep `sentence` as the student's way of writing `item` (the newest
    /// [`MAX_HANDWRITING_PER_ITEM`] are kept).
    pub fn add_sentence(&mut self, item: &ItemId, sentence: String) {
        let sentences = self.sentences.entry(item.key()).or_default();
        sentences.push(sentence);
        if sentences.len() > MAX_HANDWRITING_PER_ITEM {
            sentences.remove(0);
        }
    }

    /// Apply `change` (see [`Change`]); an answer returns the outcome the store writes with the
    /// new state.
    pub fn apply(&mut self, change: Change, scheduler: &Scheduler) -> Option<Outcome> {
        match change {
            Change::Answer {
                lesson,
                task,
                item,
                correct,
                at_ms,
            } => Some(self.record(&lesson, task, &item, correct, at_ms, scheduler)),
            Change::Handwriting { item, drawing } => {
                self.add_handwriting(&item, drawing);
                None
            }
            Change::Sentence { item, sentence } => {
                self.add_sentence(&item, sentence);
                None
            }
        }
    }

    /// The student's sentences of `item`, oldest first.
    pub fn sentences_of(&self, item: &ItemId) -> &[String] {
        self.sentences.get(&item.key()).map_or(&[], Vec::as_slice)
    }

    /// The student's drawings of `item`, oldest first.
    pub fn handwriting_of(&self, item: &ItemId) -> &[Vec<Stroke>] {
        self.handwriting.get(&item.key()).map_or(&[], Vec::as_slice)
    }

    /// Items due for review at `now_ms`, most overdue first.
    pub fn due(&self, now_ms: f64) -> Vec<&Card> {
        due(&self.cards, now_ms)
    }

    /// The knowledge the outcome history holds, for a student whose stored record cannot be
    /// read: each concept's mastery where its latest outcome left it, each item's review card
    /// replayed in time order. (The corrected handwriting and sentences are not in the history.)
    pub fn from_history(outcomes: &[Outcome], scheduler: &Scheduler) -> Learner {
        let mut ordered: Vec<&Outcome> = outcomes.iter().collect();
        // Stable: outcomes of one instant keep the order they were written in.
        ordered.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
        let mut learner = Learner::default();
        for outcome in ordered {
            for (concept, _, after) in &outcome.mastery {
                learner.mastery.insert(concept.clone(), *after);
            }
            let rating = Rating::from_outcome(outcome.correct);
            let position = learner.cards.iter().position(|c| c.item == outcome.item);
            let card = scheduler.review(
                position.map(|i| &learner.cards[i]),
                &outcome.item,
                rating,
                outcome.at_ms,
            );
            match position {
                Some(i) => learner.cards[i] = card,
                None => learner.cards.push(card),
            }
        }
        learner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::preprocess::Point;
    use crate::lesson::builtin::builtin_lessons;

    /// Changes that waited for the stored record (it could not be read for a while) land on
    /// the record as read: its handwriting is kept, and the answers count from its mastery
    /// exactly as if they had been made after it was read.
    #[test]
    fn changes_that_waited_apply_to_the_record_as_read() {
        let lessons = builtin_lessons().unwrap();
        let greek = &lessons[1];
        let scheduler = Scheduler::default();
        let lesson = LessonId::parse("greek-letters").unwrap();
        let alpha = ItemId::practice(&lesson, "alpha α");
        let beta = ItemId::practice(&lesson, "beta β");
        let stroke = |x: f32| {
            vec![vec![
                Point { x, y: 1.0, t: 0.0 },
                Point { x, y: 9.0, t: 16.0 },
            ]]
        };
        let mut stored = Learner::default();
        stored.record(greek, 0, &alpha, true, 1_000.0, &scheduler);
        stored.add_handwriting(&alpha, stroke(1.0));
        let waited = vec![
            Change::Answer {
                lesson: Box::new(greek.clone()),
                task: 0,
                item: beta.clone(),
                correct: true,
                at_ms: 2_000.0,
            },
            Change::Handwriting {
                item: beta.clone(),
                drawing: stroke(2.0),
            },
            Change::Sentence {
                item: beta.clone(),
                sentence: "beta".into(),
            },
        ];
        let mut landed = stored.clone();
        let outcomes: Vec<Outcome> = waited
            .into_iter()
            .filter_map(|c| landed.apply(c, &scheduler))
            .collect();
        let mut direct = stored.clone();
        let outcome = direct.record(greek, 0, &beta, true, 2_000.0, &scheduler);
        direct.add_handwriting(&beta, stroke(2.0));
        direct.add_sentence(&beta, "beta".into());
        assert_eq!(outcomes, vec![outcome]);
        assert_eq!(landed, direct);
        assert_eq!(landed.handwriting_of(&alpha), stored.handwriting_of(&alpha));
    }

    #[test]
    fn outcomes_move_mastery_and_schedule_reviews() {
        let lessons = builtin_lessons().unwrap();
        let greek = &lessons[1];
        let scheduler = Scheduler::default();
        let mut learner = Learner::default();
        let start = learner.mastery_of("greek-letters");
        let day = 86_400_000.0;
        let mut now = 10.0 * day;
        let alpha = ItemId::practice(&LessonId::parse("greek-letters").unwrap(), "alpha α");
        let first = learner.record(greek, 0, &alpha, true, now, &scheduler);
        assert_eq!(first.mastery.len(), 1);
        let (concept, before, after) = &first.mastery[0];
        assert_eq!((concept.as_str(), *before), ("greek-letters", start));
        assert!((after - BktParams::default().update(start, true)).abs() < 1e-12);
        assert_eq!(learner.cards.len(), 1);
        assert!(
            learner.due(now).is_empty(),
            "a right answer is not due at once"
        );
        for _ in 0..4 {
            now += 1.0;
            learner.record(
                greek,
                0,
                &ItemId::practice(&LessonId::parse("greek-letters").unwrap(), "beta β"),
                true,
                now,
                &scheduler,
            );
        }
        assert!(learner.is_mastered("greek-letters"));
        let wrong = learner.record(
            greek,
            0,
            &ItemId::practice(&LessonId::parse("greek-letters").unwrap(), "gamma γ"),
            false,
            now,
            &scheduler,
        );
        assert!(wrong.mastery[0].2 < wrong.mastery[0].1);
        let due: Vec<&str> = learner.due(now).iter().map(|c| c.item.as_str()).collect();
        assert_eq!(due, ["greek-letters/gamma γ"], "a miss comes back at once");
        assert_eq!(learner.cards.len(), 3);
    }

    #[test]
    fn the_history_rebuilds_mastery_and_reviews_as_recorded() {
        let lessons = builtin_lessons().unwrap();
        let greek = &lessons[1];
        let scheduler = Scheduler::default();
        let lesson = LessonId::parse("greek-letters").unwrap();
        let mut learner = Learner::default();
        let mut history = Vec::new();
        let day = 86_400_000.0;
        for (k, (glyph, correct)) in [("alpha α", true), ("beta β", false), ("alpha α", true)]
            .into_iter()
            .enumerate()
        {
            let item = ItemId::practice(&lesson, glyph);
            history.push(learner.record(greek, 0, &item, correct, k as f64 * day, &scheduler));
        }
        // Written in any order: replayed in time order.
        history.reverse();
        let rebuilt = Learner::from_history(&history, &scheduler);
        assert_eq!(rebuilt.mastery, learner.mastery);
        assert_eq!(rebuilt.cards, learner.cards);
        assert_eq!(
            Learner::from_history(&[], &scheduler),
            Learner::default(),
            "no history, no knowledge"
        );
    }

    #[test]
    fn handwriting_keeps_the_newest_drawings_and_old_records_still_read() {
        let mut learner = Learner::default();
        let dot = |x: f32| vec![vec![crate::learn::preprocess::Point { x, y: 1.0, t: 0.0 }]];
        let before = serde_json::to_string(&learner).unwrap();
        assert!(!before.contains("handwriting"), "{before}");
        for i in 0..MAX_HANDWRITING_PER_ITEM + 2 {
            learner.add_handwriting(
                &ItemId::practice(&LessonId::parse("greek").unwrap(), "alpha"),
                dot(i as f32),
            );
        }
        let kept = learner.handwriting_of(&ItemId::practice(
            &LessonId::parse("greek").unwrap(),
            "alpha",
        ));
        assert_eq!(kept.len(), MAX_HANDWRITING_PER_ITEM);
        assert_eq!(kept[0], dot(2.0), "the two oldest were dropped");
        assert!(
            learner
                .handwriting_of(&ItemId::practice(
                    &LessonId::parse("greek").unwrap(),
                    "beta"
                ))
                .is_empty()
        );
        let json = serde_json::to_string(&learner).unwrap();
        let back: Learner = serde_json::from_str(&json).unwrap();
        assert_eq!(back, learner);
        let old: Learner = serde_json::from_str(r#"{"mastery":{},"cards":[]}"#).unwrap();
        assert!(old.handwriting.is_empty() && old.sentences.is_empty());
        assert!(!json.contains("sentences"), "{json}");
        for i in 0..MAX_HANDWRITING_PER_ITEM + 1 {
            learner.add_sentence(
                &ItemId::practice(&LessonId::parse("moods").unwrap(), "happy"),
                format!("happy {i}"),
            );
        }
        assert_eq!(
            learner.sentences_of(&ItemId::practice(
                &LessonId::parse("moods").unwrap(),
                "happy"
            ))[0],
            "happy 1"
        );
        assert!(
            learner
                .sentences_of(&ItemId::practice(&LessonId::parse("moods").unwrap(), "sad"))
                .is_empty()
        );
    }
}
