//! Files dropped on a class project: each one a student's contribution or a whole pool (what
//! another device gathered), told apart by its `format`. Each file is added whole or refused
//! with its name and the field at fault; a refused file changes nothing, and the files after it
//! are still read.

use super::contribution::{Contribution, ContributionError};
use super::pool::{Added, ClassPool, POOL_FORMAT, POOL_VERSION};
use crate::project::file::{HeaderError, check_header};

/// Most files read in one drop (a class is ~30; more is a mistake, and each file costs a parse).
pub const MAX_FILES: usize = 1000;

/// What one file did to the pool.
#[derive(Debug, Clone, PartialEq)]
pub enum Gathered {
    Contribution(Added),
    /// A pool file merged: how many of its contributions were new or newer here.
    Pool {
        gained: usize,
    },
    /// Not taken: why (the field at fault, or what the file is).
    Refused(ContributionError),
}

/// One file's name and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    pub file: String,
    pub gathered: Gathered,
}

/// Add `files` (name, bytes) to `pool` in order, each whole or not at all. Files past
/// [`MAX_FILES`] are refused unread.
pub fn gather(pool: &mut ClassPool, files: &[(String, Vec<u8>)]) -> Vec<FileReport> {
    files
        .iter()
        .enumerate()
        .map(|(i, (file, bytes))| FileReport {
            file: file.clone(),
            gathered: if i >= MAX_FILES {
                Gathered::Refused(ContributionError::Json(format!(
                    "more than {MAX_FILES} files at once; add the rest in another drop"
                )))
            } else {
                gather_one(pool, bytes)
            },
        })
        .collect()
}

fn gather_one(pool: &mut ClassPool, bytes: &[u8]) -> Gathered {
    let is_pool = !matches!(
        check_header(bytes, POOL_FORMAT, POOL_VERSION),
        Err(HeaderError::Format(_) | HeaderError::NotJson(_))
    );
    let result = if is_pool {
        ClassPool::import(bytes)
            .and_then(|other| pool.merge(&other))
            .map(|gained| Gathered::Pool { gained })
    } else {
        Contribution::import(bytes)
            .and_then(|c| pool.add(c))
            .map(Gathered::Contribution)
    };
    result.unwrap_or_else(Gathered::Refused)
}
