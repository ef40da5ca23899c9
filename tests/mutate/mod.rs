//! Mutations of valid files for the importers' property tests (`lessons.rs`, `imports.rs`):
//! byte-level edits, and replacing one node of the JSON tree.

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum ByteEdit {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

pub fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<usize>().prop_map(ByteEdit::Truncate),
    ]
}

pub fn apply(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    let n = bytes.len().max(1);
    match edit {
        ByteEdit::Flip(i, b) => {
            let i = i % n;
            if i < bytes.len() {
                bytes[i] ^= b | 1;
            }
        }
        ByteEdit::Delete(i, len) => {
            let i = i % n;
            let end = (i + len).min(bytes.len());
            bytes.drain(i.min(end)..end);
        }
        ByteEdit::Insert(i, b) => {
            let i = i % n;
            bytes.splice(i..i, b.iter().copied());
        }
        ByteEdit::Truncate(i) => bytes.truncate(i % n),
    }
}

/// Replace the `pick`-th node (in a walk of the tree) with `value`.
pub fn replace_node(json: &mut serde_json::Value, pick: usize, value: serde_json::Value) {
    fn count(v: &serde_json::Value) -> usize {
        1 + match v {
            serde_json::Value::Array(a) => a.iter().map(count).sum(),
            serde_json::Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut serde_json::Value, mut pick: usize, value: serde_json::Value) {
        if pick == 0 {
            *v = value;
            return;
        }
        pick -= 1;
        let children: Vec<&mut serde_json::Value> = match v {
            serde_json::Value::Array(a) => a.iter_mut().collect(),
            serde_json::Value::Object(o) => o.values_mut().collect(),
            _ => return,
        };
        for child in children {
            let n = count(child);
            if pick < n {
                walk(child, pick, value);
                return;
            }
            pick -= n;
        }
    }
    let total = count(json);
    walk(json, pick % total, value);
}
