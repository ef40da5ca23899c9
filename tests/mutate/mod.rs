//! Mutations of valid files for the importers' property tests (`lessons.rs`, `imports.rs`,
//! `shared_files.rs`): byte-level edits, and structural edits of the JSON tree (a node
//! replaced, a field removed, a leaf tweaked).

// Each test file uses part of this.
#![allow(dead_code)]

use inkling::project::MAX_NEXT_ID;
use proptest::prelude::*;
use serde_json::{Value, json};

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

/// Any JSON value, including the awkward ones (ids at and past what a browser stores exactly,
/// huge numbers, markup, deep nesting).
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        (0u64..40).prop_map(Value::from),
        Just(json!(MAX_NEXT_ID)),
        Just(json!(MAX_NEXT_ID + 1)),
        Just(json!(1e300)),
        Just(json!(0.5)),
        Just(json!(-1)),
        Just(json!("<script>alert(1)</script>")),
        Just(json!("")),
        Just(json!("text")),
        Just(json!("inkling-project")),
        Just(json!("inkling-profile")),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Remove a field of the `pick`-th non-empty object (in a walk of the tree), if there is one.
fn remove_field(json: &mut Value, pick: usize) {
    fn count(v: &Value) -> usize {
        match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => usize::from(!o.is_empty()) + o.values().map(count).sum::<usize>(),
            _ => 0,
        }
    }
    /// Walk to the `target`-th object; `seen` counts the objects passed.
    fn walk(v: &mut Value, target: usize, seen: &mut usize, field: usize) -> bool {
        match v {
            Value::Array(a) => a.iter_mut().any(|c| walk(c, target, seen, field)),
            Value::Object(o) if o.is_empty() => false,
            Value::Object(o) => {
                if *seen == target {
                    let key = o.keys().nth(field % o.len()).unwrap().clone();
                    o.remove(&key);
                    return true;
                }
                *seen += 1;
                o.values_mut().any(|c| walk(c, target, seen, field))
            }
            _ => false,
        }
    }
    let total = count(json);
    if total > 0 {
        walk(json, pick % total, &mut 0, pick / total);
    }
}

/// Change the `pick`-th leaf (number, text or true/false) into another of the same kind, from
/// the values the rules care about, so that many edited files are still accepted or are refused
/// only by a rule (with a path), not by their syntax.
fn tweak_leaf(json: &mut Value, pick: usize, choice: usize) {
    fn leaves(v: &mut Value) -> Vec<&mut Value> {
        match v {
            Value::Array(a) => a.iter_mut().flat_map(leaves).collect(),
            Value::Object(o) => o.values_mut().flat_map(leaves).collect(),
            leaf => vec![leaf],
        }
    }
    let mut all = leaves(json);
    if all.is_empty() {
        return;
    }
    let n = all.len();
    let leaf = &mut *all[pick % n];
    *leaf = match &*leaf {
        Value::Number(x) => {
            let x = x.as_f64().unwrap_or(0.0);
            let numbers = [
                json!(x + 1.0),
                json!(x - 1.0),
                json!(x * 2.0),
                json!(-x),
                json!(0),
                json!(1),
                json!(0.5),
                json!(1.5),
                json!(1e30),
                json!(1e-30),
                json!(MAX_NEXT_ID),
                json!(MAX_NEXT_ID + 1),
                json!(u64::MAX),
            ];
            numbers[choice % numbers.len()].clone()
        }
        Value::String(text) => {
            let texts = [
                String::new(),
                "  ".into(),
                format!(" {text} "),
                text.to_uppercase(),
                "alpha".into(),
                "x".repeat(61),
                "x".repeat(1001),
                "<script>alert(1)</script>".into(),
                "βήτα 🙂".into(),
                "greek-letters/alpha α".into(),
            ];
            Value::from(texts[choice % texts.len()].clone())
        }
        Value::Bool(b) => Value::Bool(!b),
        Value::Null => json!(0),
        other => other.clone(),
    };
}

#[derive(Debug, Clone)]
pub enum JsonEdit {
    /// Any node becomes any value.
    Replace(usize, Value),
    /// A field goes.
    Remove(usize),
    /// A leaf changes, keeping its kind.
    Tweak(usize, usize),
}

pub fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        2 => (any::<usize>(), json_value()).prop_map(|(i, v)| JsonEdit::Replace(i, v)),
        1 => any::<usize>().prop_map(JsonEdit::Remove),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(i, c)| JsonEdit::Tweak(i, c)),
    ]
}

pub fn edited(seed: &[u8], edits: &[JsonEdit]) -> Vec<u8> {
    let mut json: Value = serde_json::from_slice(seed).unwrap();
    for edit in edits {
        match edit {
            JsonEdit::Replace(pick, value) => replace_node(&mut json, *pick, value.clone()),
            JsonEdit::Remove(pick) => remove_field(&mut json, *pick),
            JsonEdit::Tweak(pick, choice) => tweak_leaf(&mut json, *pick, *choice),
        }
    }
    serde_json::to_vec(&json).unwrap()
}
