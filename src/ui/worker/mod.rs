//! The engine off the page's thread: a dedicated Web Worker running this same wasm, which the
//! page asks for model work by message ([`protocol`]). Two of them: the drawing engine's
//! (backend choice and measurement, the encoder, embeddings of drawings), started with the
//! app, and the sentence model's (its download, decoding and every embedding: seconds of work
//! on a slow device), started for the first text project or lesson. Improve trains a head on
//! stored embeddings on the page, on the CPU, a step a frame (milliseconds each).
//!
//! - [`client`]: the page's side (start, ask, a worker that fails).
//! - [`in_worker`]: the worker's side (`start`, called by the app bin's `engine_worker_start`),
//!   with [`drawings`], the drawing engine there.
//!
//! Nothing the student made lives only in the worker: the page keeps the work and the store
//! keeps it; the worker computes what is derived from it (embeddings), so a stopped worker
//! is started again and asked again.

pub mod client;
pub mod drawings;
pub mod in_worker;
pub mod protocol;
