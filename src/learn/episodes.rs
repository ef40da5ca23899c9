//! Seeded N-way K-shot episodes with query sets, over any labelled collection of drawings.
//!
//! An episode picks `way` classes (optionally all from one alphabet, the hard setting), then for
//! each class `shot` support and `queries` query drawings, without replacement, so support and
//! query never share a drawing. For meta-training, each character rotated by 90, 180 and 270
//! degrees can count as another class (Santoro et al.; Snell et al.).

use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::{Deserialize, Serialize};

/// What an episode sampler needs to know of a data set: per class, its group (alphabet) and how
/// many drawings it has.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassIndex {
    pub group: String,
    pub drawings: usize,
}

/// The shape of the episodes to draw.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpisodeSpec {
    pub way: usize,
    pub shot: usize,
    pub queries: usize,
    /// All classes of an episode from one alphabet.
    pub within_group: bool,
    /// Count the 90/180/270-degree rotations of each class as classes of their own.
    pub rotations: bool,
}

/// One class of an episode: a class of the data set, possibly rotated by `rotation` x 90 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EpisodeClass {
    pub class: usize,
    pub rotation: u8,
}

/// Drawings (indices within their class) chosen for one episode; `support[i]` and `query[i]`
/// belong to `classes[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    pub classes: Vec<EpisodeClass>,
    pub support: Vec<Vec<usize>>,
    pub query: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EpisodeError {
    #[error(
        "an episode needs at least 2 classes, 1 shot and 1 query per class \
         (asked for {way}-way {shot}-shot with {queries} queries)"
    )]
    TooSmall {
        way: usize,
        shot: usize,
        queries: usize,
    },
    #[error(
        "no {scope} has {way} classes with at least {needed} drawings each \
         ({shot} support + {queries} query); the largest has {largest}"
    )]
    NotEnoughData {
        scope: &'static str,
        way: usize,
        shot: usize,
        queries: usize,
        needed: usize,
        largest: usize,
    },
}

/// Draws episodes reproducibly: the same seed gives the same sequence of episodes.
pub struct EpisodeSampler {
    spec: EpisodeSpec,
    /// Candidate class lists, one per group (or a single list for across-group episodes).
    pools: Vec<Vec<EpisodeClass>>,
    drawings: Vec<usize>,
    rng: SmallRng,
}

impl EpisodeSampler {
    pub fn new(classes: &[ClassIndex], spec: EpisodeSpec, seed: u64) -> Result<Self, EpisodeError> {
        if spec.way < 2 || spec.shot < 1 || spec.queries < 1 {
            return Err(EpisodeError::TooSmall {
                way: spec.way,
                shot: spec.shot,
                queries: spec.queries,
            });
        }
        let needed = spec.shot + spec.queries;
        let rotations: u8 = if spec.rotations { 4 } else { 1 };
        let mut groups: Vec<(String, Vec<EpisodeClass>)> = Vec::new();
        for (class, info) in classes.iter().enumerate() {
            if info.drawings < needed {
                continue;
            }
            let key = if spec.within_group {
                info.group.clone()
            } else {
                String::new()
            };
            let slot = match groups.iter().position(|(g, _)| *g == key) {
                Some(i) => i,
                None => {
                    groups.push((key, Vec::new()));
                    groups.len() - 1
                }
            };
            for rotation in 0..rotations {
                groups[slot].1.push(EpisodeClass { class, rotation });
            }
        }
        let largest = groups.iter().map(|(_, g)| g.len()).max().unwrap_or(0);
        let pools: Vec<Vec<EpisodeClass>> = groups
            .into_iter()
            .map(|(_, g)| g)
            .filter(|g| g.len() >= spec.way)
            .collect();
        if pools.is_empty() {
            return Err(EpisodeError::NotEnoughData {
                scope: if spec.within_group {
                    "alphabet"
                } else {
                    "data set"
                },
                way: spec.way,
                shot: spec.shot,
                queries: spec.queries,
                needed,
                largest,
            });
        }
        Ok(Self {
            spec,
            pools,
            drawings: classes.iter().map(|c| c.drawings).collect(),
            rng: SmallRng::seed_from_u64(seed),
        })
    }

    pub fn spec(&self) -> EpisodeSpec {
        self.spec
    }

    /// The next episode.
    pub fn sample(&mut self) -> Episode {
        let pool = self
            .pools
            .choose(&mut self.rng)
            .expect("pools is never empty");
        let classes: Vec<EpisodeClass> = pool
            .choose_multiple(&mut self.rng, self.spec.way)
            .copied()
            .collect();
        let mut support = Vec::with_capacity(classes.len());
        let mut query = Vec::with_capacity(classes.len());
        for c in &classes {
            let mut order: Vec<usize> = (0..self.drawings[c.class]).collect();
            order.shuffle(&mut self.rng);
            order.truncate(self.spec.shot + self.spec.queries);
            query.push(order.split_off(self.spec.shot));
            support.push(order);
        }
        Episode {
            classes,
            support,
            query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn classes() -> Vec<ClassIndex> {
        let mut out = Vec::new();
        for (group, n) in [("a", 6), ("b", 3), ("c", 8)] {
            for _ in 0..n {
                out.push(ClassIndex {
                    group: group.into(),
                    drawings: 20,
                });
            }
        }
        out
    }

    fn spec(within_group: bool, rotations: bool) -> EpisodeSpec {
        EpisodeSpec {
            way: 5,
            shot: 3,
            queries: 4,
            within_group,
            rotations,
        }
    }

    #[test]
    fn support_and_query_never_share_a_drawing_and_classes_are_distinct() {
        for (within, rot) in [(false, false), (true, false), (true, true), (false, true)] {
            let mut sampler = EpisodeSampler::new(&classes(), spec(within, rot), 7).unwrap();
            for _ in 0..300 {
                let e = sampler.sample();
                assert_eq!(e.classes.len(), 5);
                let distinct: HashSet<_> = e.classes.iter().collect();
                assert_eq!(distinct.len(), 5);
                for (s, q) in e.support.iter().zip(&e.query) {
                    assert_eq!((s.len(), q.len()), (3, 4));
                    let all: HashSet<_> = s.iter().chain(q).collect();
                    assert_eq!(all.len(), 7, "support {s:?} and query {q:?} overlap");
                }
                if !rot {
                    assert!(e.classes.iter().all(|c| c.rotation == 0));
                }
            }
        }
    }

    #[test]
    fn within_group_episodes_stay_in_one_group() {
        let info = classes();
        let mut sampler = EpisodeSampler::new(&info, spec(true, false), 1).unwrap();
        let mut seen_groups = HashSet::new();
        for _ in 0..200 {
            let e = sampler.sample();
            let groups: HashSet<_> = e.classes.iter().map(|c| &info[c.class].group).collect();
            assert_eq!(groups.len(), 1);
            seen_groups.extend(groups);
        }
        // "b" has only 3 classes: never eligible for 5-way without rotations.
        assert!(!seen_groups.contains(&"b".to_string()));
        assert_eq!(seen_groups.len(), 2);
    }

    #[test]
    fn same_seed_same_episodes_other_seed_other_episodes() {
        let draw = |seed| {
            let mut s = EpisodeSampler::new(&classes(), spec(false, true), seed).unwrap();
            (0..10).map(|_| s.sample()).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }

    #[test]
    fn impossible_episodes_are_explained() {
        let few = vec![
            ClassIndex {
                group: "a".into(),
                drawings: 2,
            };
            10
        ];
        let err = EpisodeSampler::new(&few, spec(false, false), 0)
            .err()
            .expect("too few drawings");
        assert!(err.to_string().contains("at least 7 drawings"), "{err}");
        assert!(
            EpisodeSampler::new(
                &classes(),
                EpisodeSpec {
                    way: 1,
                    ..spec(false, false)
                },
                0
            )
            .is_err()
        );
    }
}
