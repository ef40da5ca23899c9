//! The concept graph: concepts with prerequisite edges, which must form a DAG. Built from the
//! concepts lessons define; a cycle is rejected with the cycle named.

use std::collections::{HashMap, HashSet};

use crate::lesson::{ConceptDef, Lesson, LessonId};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    #[error("the concept \"{0}\" is defined twice, differently")]
    Conflict(String),
    #[error("the concept \"{concept}\" requires \"{missing}\", which no lesson defines")]
    UnknownPrerequisite { concept: String, missing: String },
    #[error("the lesson \"{lesson}\" names the concept \"{concept}\", which no lesson defines")]
    UnknownConcept { lesson: LessonId, concept: String },
    #[error("prerequisites go round in a circle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConceptGraph {
    concepts: Vec<ConceptDef>,
    index: HashMap<String, usize>,
}

impl ConceptGraph {
    pub fn new(concepts: Vec<ConceptDef>) -> Result<Self, GraphError> {
        let mut unique: Vec<ConceptDef> = Vec::new();
        let mut index = HashMap::new();
        for c in concepts {
            match index.get(&c.id) {
                Some(&i) if unique[i] == c => {}
                Some(_) => return Err(GraphError::Conflict(c.id)),
                None => {
                    index.insert(c.id.clone(), unique.len());
                    unique.push(c);
                }
            }
        }
        let graph = ConceptGraph {
            concepts: unique,
            index,
        };
        for c in &graph.concepts {
            if let Some(missing) = c.requires.iter().find(|r| !graph.index.contains_key(*r)) {
                return Err(GraphError::UnknownPrerequisite {
                    concept: c.id.clone(),
                    missing: missing.clone(),
                });
            }
        }
        if let Some(cycle) = graph.find_cycle() {
            return Err(GraphError::Cycle(cycle));
        }
        Ok(graph)
    }

    /// The graph of every concept the lessons define; every concept a lesson teaches or
    /// requires must be among them.
    pub fn from_lessons(lessons: &[Lesson]) -> Result<Self, GraphError> {
        let graph = Self::new(lessons.iter().flat_map(|l| l.concepts.clone()).collect())?;
        for lesson in lessons {
            for c in lesson.teaches.iter().chain(&lesson.requires) {
                if !graph.index.contains_key(c) {
                    return Err(GraphError::UnknownConcept {
                        lesson: lesson.id.clone(),
                        concept: c.clone(),
                    });
                }
            }
        }
        Ok(graph)
    }

    pub fn concepts(&self) -> &[ConceptDef] {
        &self.concepts
    }

    pub fn get(&self, id: &str) -> Option<&ConceptDef> {
        self.index.get(id).map(|&i| &self.concepts[i])
    }

    /// Every concept that must come before `id` (transitively), `id` excluded.
    pub fn all_prerequisites(&self, id: &str) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut stack: Vec<&str> = vec![id];
        while let Some(c) = stack.pop() {
            for r in self
                .get(c)
                .map(|c| c.requires.as_slice())
                .unwrap_or_default()
            {
                if seen.insert(r.clone()) {
                    stack.push(r);
                }
            }
        }
        seen
    }

    /// Concepts ordered so that each comes after its prerequisites; each concept's depth (the
    /// longest chain of prerequisites below it) is its layer, for drawing the map. Iterative
    /// (a graph is acyclic by construction): no chain is too long for the browser's stack.
    pub fn layers(&self) -> Vec<Vec<&str>> {
        let n = self.concepts.len();
        let mut depth: Vec<Option<usize>> = vec![None; n];
        for start in 0..n {
            // Depth-first: (concept, next prerequisite to look at).
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            while let Some(&(c, next)) = path.last() {
                if depth[c].is_some() {
                    path.pop();
                    continue;
                }
                let requires = &self.concepts[c].requires;
                if let Some(r) = requires.get(next).map(|r| self.index[r]) {
                    if let Some(top) = path.last_mut() {
                        top.1 += 1;
                    }
                    if depth[r].is_none() {
                        path.push((r, 0));
                    }
                    continue;
                }
                let d = requires
                    .iter()
                    .filter_map(|r| depth[self.index[r]])
                    .map(|d| d + 1)
                    .max()
                    .unwrap_or(0);
                depth[c] = Some(d);
                path.pop();
            }
        }
        let mut layers: Vec<Vec<&str>> = Vec::new();
        for (c, d) in self.concepts.iter().zip(depth) {
            let d = d.unwrap_or(0);
            if layers.len() <= d {
                layers.resize(d + 1, Vec::new());
            }
            layers[d].push(&c.id);
        }
        layers
    }

    /// A cycle of prerequisite edges, as the ids along it with the first repeated at the end.
    fn find_cycle(&self) -> Option<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut mark = vec![Mark::New; self.concepts.len()];
        for start in 0..self.concepts.len() {
            if mark[start] != Mark::New {
                continue;
            }
            // Depth-first, iteratively: (concept, next prerequisite to look at).
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            mark[start] = Mark::Open;
            while let Some(&(c, next)) = path.last() {
                let requires = &self.concepts[c].requires;
                if next == requires.len() {
                    mark[c] = Mark::Done;
                    path.pop();
                    continue;
                }
                if let Some(top) = path.last_mut() {
                    top.1 += 1;
                }
                let r = self.index[&requires[next]];
                match mark[r] {
                    Mark::Open => {
                        let from = path.iter().position(|&(p, _)| p == r).unwrap_or(0);
                        let mut cycle: Vec<String> = path[from..]
                            .iter()
                            .map(|&(p, _)| self.concepts[p].id.clone())
                            .collect();
                        cycle.push(self.concepts[r].id.clone());
                        return Some(cycle);
                    }
                    Mark::New => {
                        mark[r] = Mark::Open;
                        path.push((r, 0));
                    }
                    Mark::Done => {}
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn concept(id: &str, requires: &[&str]) -> ConceptDef {
        ConceptDef {
            id: id.into(),
            name: id.to_uppercase(),
            description: String::new(),
            requires: requires.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_long_chain_is_layered_without_running_out_of_stack() {
        // Stored lessons reload at every start: a long chain must never crash it.
        let n = 100_000;
        let concepts: Vec<ConceptDef> = (0..n)
            .map(|i| {
                let before = format!("c{}", i.max(1) - 1);
                let requires: &[&str] = if i == 0 { &[] } else { &[before.as_str()] };
                concept(&format!("c{i}"), requires)
            })
            // The last first: every prerequisite is defined after what requires it.
            .rev()
            .collect();
        let graph = ConceptGraph::new(concepts).unwrap();
        // The browser's stack is small (wasm: 1 MB by default); so is this thread's.
        let layers: Vec<Vec<String>> = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let layers = graph.layers();
                assert_eq!(graph.all_prerequisites(&format!("c{}", n - 1)).len(), n - 1);
                layers
                    .iter()
                    .map(|l| l.iter().map(|c| c.to_string()).collect())
                    .collect()
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(layers.len(), n);
        assert_eq!(layers[0], ["c0"]);
        assert_eq!(layers[1], ["c1"]);
        assert_eq!(layers[n - 1], [format!("c{}", n - 1)]);
    }

    #[test]
    fn a_dag_is_accepted_and_layered() {
        let g = ConceptGraph::new(vec![
            concept("testing", &["training"]),
            concept("examples", &[]),
            concept("training", &["examples"]),
            concept("overfitting", &["training", "testing"]),
        ])
        .unwrap();
        assert_eq!(
            g.layers(),
            vec![
                vec!["examples"],
                vec!["training"],
                vec!["testing"],
                vec!["overfitting"]
            ]
        );
        let mut pre: Vec<String> = g.all_prerequisites("overfitting").into_iter().collect();
        pre.sort();
        assert_eq!(pre, ["examples", "testing", "training"]);
    }

    #[test]
    fn a_cycle_is_rejected_and_named() {
        let err = ConceptGraph::new(vec![
            concept("a", &[]),
            concept("b", &["a", "d"]),
            concept("c", &["b"]),
            concept("d", &["c"]),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            GraphError::Cycle(vec!["b".into(), "d".into(), "c".into(), "b".into()])
        );
        assert_eq!(
            err.to_string(),
            "prerequisites go round in a circle: b → d → c → b"
        );
        let own = ConceptGraph::new(vec![concept("x", &["x"])]).unwrap_err();
        assert_eq!(own, GraphError::Cycle(vec!["x".into(), "x".into()]));
    }

    #[test]
    fn unknown_and_conflicting_concepts_are_named() {
        assert_eq!(
            ConceptGraph::new(vec![concept("a", &["ghost"])]).unwrap_err(),
            GraphError::UnknownPrerequisite {
                concept: "a".into(),
                missing: "ghost".into()
            }
        );
        assert_eq!(
            ConceptGraph::new(vec![
                concept("a", &[]),
                concept("a", &[]),
                concept("b", &[])
            ])
            .unwrap()
            .concepts()
            .len(),
            2,
            "the same definition twice is one concept"
        );
        assert_eq!(
            ConceptGraph::new(vec![
                concept("b", &[]),
                concept("a", &[]),
                concept("a", &["b"])
            ])
            .unwrap_err(),
            GraphError::Conflict("a".into())
        );
    }
}
