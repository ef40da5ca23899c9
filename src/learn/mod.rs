//! Few-shot learning on burn: everything that turns a student's handful of drawings into a
//! personal classifier. No web types here: it runs natively on `Device::flex()` and, unchanged,
//! in the browser (flex or WebGPU). Native-only parts (disk, meta-training) are marked.
//!
//! Flow: [`preprocess`] (strokes or pixels -> model input) -> [`encoder`] (input -> embedding)
//! -> [`prototypes`] (the personal model, online strategies) and [`finetune`] (a few Adam steps)
//! -> [`metrics`]. [`episodes`], [`dataset`] and [`meta_train`] make the encoder;
//! [`evaluate`] measures it; [`weights`] ships it.

pub mod dataset;
pub mod encoder;
pub mod episodes;
pub mod evaluate;
pub mod finetune;
pub mod judging;
pub mod metrics;
pub mod preprocess;
pub mod prototypes;
pub mod text;
pub mod weights;

#[cfg(not(target_arch = "wasm32"))]
pub mod meta_train;
#[cfg(not(target_arch = "wasm32"))]
pub mod sources;
