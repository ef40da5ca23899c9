//! The engine off the page's thread: a dedicated Web Worker running this same wasm, which the
//! page asks for model work by message ([`protocol`]). Today it runs the sentence model (its
//! download, decoding and every embedding: seconds of work on a slow device); the drawing
//! engine still runs on the page (milliseconds a drawing; its Improve steps are on the CPU).
//!
//! - [`client`]: the page's side (start, ask, a worker that fails).
//! - [`in_worker`]: the worker's side (`start`, called by the app bin's `engine_worker_start`).
//!
//! Nothing the student made lives only in the worker: the page keeps the work and the store
//! keeps it; the worker computes what is derived from it (embeddings), so a stopped worker
//! is started again and asked again.

pub mod client;
pub mod in_worker;
pub mod protocol;
