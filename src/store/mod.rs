//! Everything a learner owns, on the device: the record types and schema ([`records`], pure,
//! tested natively) and the IndexedDB code that reads and writes them ([`idb`], browser only).
//! Nothing else touches IndexedDB.

#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod records;
