//! What the platform knows about each learner: the concept graph (a DAG of prerequisites),
//! mastery per concept by Bayesian Knowledge Tracing, spaced review of practised items (FSRS),
//! and what to do next. Pure logic, no web types; the store keeps the records.

pub mod bkt;
pub mod graph;
pub mod item;
pub mod learner;
pub mod next;
pub mod review;
