//! One student's knowledge: mastery per concept (BKT) and the review cards of practised items
//! (FSRS), changed only by recording an outcome. [`Learner::record`] returns the outcome record
//! the store writes in the same transaction as the new state, so history and mastery always agree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bkt::{BktParams, MASTERED};
use super::review::{Card, Rating, Scheduler, due};
use crate::lesson::Lesson;

/// What happened once: a practice prompt judged, or a quiz question answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub lesson: String,
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
        item: &str,
        correct: bool,
        at_ms: f64,
        scheduler: &Scheduler,
    ) -> Outcome {
        let params = lesson.mastery.unwrap_or_default();
        let mut changes = Vec::new();
        for concept in lesson.task_concepts(task) {
            let before = self.mastery.get(&concept).copied().unwrap_or(params.prior);
            let after = params.update(before, correct);
            self.mastery.insert(concept.clone(), after);
            changes.push((concept, before, after));
        }
        let rating = Rating::from_outcome(correct);
        let position = self.cards.iter().position(|c| c.item == item);
        let card = scheduler.review(position.map(|i| &self.cards[i]), item, rating, at_ms);
        match position {
            Some(i) => self.cards[i] = card,
            None => self.cards.push(card),
        }
        Outcome {
            lesson: lesson.id.clone(),
            task,
            item: item.to_string(),
            correct,
            at_ms,
            mastery: changes,
        }
    }

    /// Items due for review at `now_ms`, most overdue first.
    pub fn due(&self, now_ms: f64) -> Vec<&Card> {
        due(&self.cards, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::builtin::builtin_lessons;

    #[test]
    fn outcomes_move_mastery_and_schedule_reviews() {
        let lessons = builtin_lessons().unwrap();
        let greek = &lessons[1];
        let scheduler = Scheduler::default();
        let mut learner = Learner::default();
        let start = learner.mastery_of("greek-letters");
        let day = 86_400_000.0;
        let mut now = 10.0 * day;
        let first = learner.record(greek, 0, "greek-letters/alpha α", true, now, &scheduler);
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
            learner.record(greek, 0, "greek-letters/beta β", true, now, &scheduler);
        }
        assert!(learner.is_mastered("greek-letters"));
        let wrong = learner.record(greek, 0, "greek-letters/gamma γ", false, now, &scheduler);
        assert!(wrong.mastery[0].2 < wrong.mastery[0].1);
        let due: Vec<&str> = learner.due(now).iter().map(|c| c.item.as_str()).collect();
        assert_eq!(due, ["greek-letters/gamma γ"], "a miss comes back at once");
        assert_eq!(learner.cards.len(), 3);
    }
}
