//! Inkling: an offline-first learning platform. See ARCHITECTURE.md for the code map.

pub mod federated;
pub mod i18n;
pub mod knowledge;
pub mod learn;
pub mod lesson;
pub mod personal;
pub mod profile;
pub mod project;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
