//! Inkling: an offline-first learning platform. See ARCHITECTURE.md for the code map.

pub mod learn;
