//! The engine off the page's thread: a dedicated Web Worker running one of the app's two
//! builds ([`client::Build`]: the page's own, or the engine build with WebGPU and the sentence
//! model, fetched only when needed), which the page asks for model work by message
//! ([`protocol`]). Two of them: the drawing engine's (backend choice and measurement, the
//! encoder, embeddings of drawings), started with the app, and the sentence model's (its
//! download, decoding and every embedding: seconds of work on a slow device), started for the
//! first text project or lesson. Improve trains a head on stored embeddings in the drawing
//! engine's worker ([`tuning`]), on the CPU, a step a request (milliseconds each).
//!
//! - [`client`]: the page's side (start, ask, a worker that fails).
//! - [`in_worker`]: the worker's side (`start`, called by the app bin's `engine_worker_start`),
//!   with [`drawings`], the drawing engine there, and `sentences`, the sentence model's
//!   loading (engine build only).
//!
//! Nothing the student made lives only in the worker: the page keeps the work and the store
//! keeps it; the worker computes what is derived from it (embeddings), so a stopped worker
//! is started again and asked again.

pub mod client;
pub mod drawings;
pub mod in_worker;
pub mod protocol;
#[cfg(feature = "text")]
pub mod sentences;
pub mod tuning;
