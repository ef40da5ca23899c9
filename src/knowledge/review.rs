//! Spaced review with FSRS (the `fsrs` crate's scheduler with its default parameters): every
//! practised item (a glyph, a quiz question) is a card; each outcome schedules its next review.

use fsrs::{FSRS, MemoryState};
use serde::{Deserialize, Serialize};

const DAY_MS: f64 = 86_400_000.0;

/// How a review went, FSRS's four grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    /// A judged outcome: right is "good", wrong is "again".
    pub fn from_outcome(correct: bool) -> Self {
        if correct { Rating::Good } else { Rating::Again }
    }
}

/// One item's review state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// What is reviewed, e.g. `greek-letters/alpha`.
    pub item: String,
    pub stability: f32,
    pub difficulty: f32,
    pub reviews: u32,
    pub last_review_ms: f64,
    pub due_ms: f64,
}

pub struct Scheduler {
    fsrs: FSRS,
    /// The probability of recall at which an item comes back.
    desired_retention: f32,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            fsrs: FSRS::default(),
            desired_retention: 0.9,
        }
    }
}

impl Scheduler {
    /// The card after a review at `now_ms` (a new card when `card` is None).
    pub fn review(&self, card: Option<&Card>, item: &str, rating: Rating, now_ms: f64) -> Card {
        let memory = card.map(|c| MemoryState {
            stability: c.stability,
            difficulty: c.difficulty,
        });
        let days = card.map_or(0, |c| {
            ((now_ms - c.last_review_ms) / DAY_MS).max(0.0) as u32
        });
        let next = self
            .fsrs
            .next_states(memory, self.desired_retention, days)
            .expect("the default parameters are valid");
        let state = match rating {
            Rating::Again => next.again,
            Rating::Hard => next.hard,
            Rating::Good => next.good,
            Rating::Easy => next.easy,
        };
        // A failed item comes back in the same session (FSRS's interval is in days).
        let interval_days = if rating == Rating::Again {
            0.0
        } else {
            f64::from(state.interval.max(1.0))
        };
        Card {
            item: item.to_string(),
            stability: state.memory.stability,
            difficulty: state.memory.difficulty,
            reviews: card.map_or(0, |c| c.reviews) + 1,
            last_review_ms: now_ms,
            due_ms: now_ms + interval_days * DAY_MS,
        }
    }
}

/// The cards due at `now_ms`, most overdue first.
pub fn due(cards: &[Card], now_ms: f64) -> Vec<&Card> {
    let mut due: Vec<&Card> = cards.iter().filter(|c| c.due_ms <= now_ms).collect();
    due.sort_by(|a, b| a.due_ms.total_cmp(&b.due_ms));
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_reviews_space_out_and_a_lapse_brings_the_item_back() {
        let s = Scheduler::default();
        let mut now = 1_000.0 * DAY_MS;
        let mut card = s.review(None, "greek/alpha", Rating::Good, now);
        let mut intervals = vec![(card.due_ms - now) / DAY_MS];
        for _ in 0..3 {
            now = card.due_ms;
            card = s.review(Some(&card), "greek/alpha", Rating::Good, now);
            intervals.push((card.due_ms - now) / DAY_MS);
        }
        assert!(intervals.windows(2).all(|w| w[1] > w[0]), "{intervals:?}");
        assert_eq!(card.reviews, 4);
        now = card.due_ms;
        let lapsed = s.review(Some(&card), "greek/alpha", Rating::Again, now);
        assert_eq!(lapsed.due_ms, now, "due again at once");
        assert!(lapsed.stability < card.stability);
    }

    #[test]
    fn due_lists_overdue_cards_first() {
        let card = |item: &str, due_ms| Card {
            item: item.into(),
            stability: 1.0,
            difficulty: 5.0,
            reviews: 1,
            last_review_ms: 0.0,
            due_ms,
        };
        let cards = [card("a", 50.0), card("b", 10.0), card("c", 500.0)];
        let items: Vec<&str> = due(&cards, 100.0).iter().map(|c| c.item.as_str()).collect();
        assert_eq!(items, ["b", "a"]);
    }
}
