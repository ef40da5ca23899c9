//! Older lesson files brought up to the current version, one step at a time, on the JSON
//! before it is typed (so an old file never needs the old types).
//!
//! - Version 1 -> 2: a `teach` task's `target_accuracy: x` became
//!   `target: {"metric": "accuracy", "value": x}` (version 2 also allows macro F1).

use serde_json::{Value, json};

use super::{FORMAT, LessonError, VERSION, invalid};

/// The file's JSON at the current version, or why it cannot be.
pub fn to_current(mut json: Value) -> Result<Value, LessonError> {
    let Some(object) = json.as_object() else {
        return Err(LessonError::NotALesson("it is not a JSON object".into()));
    };
    match object.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(LessonError::NotALesson(format!(
                "its format is {other}, not \"{FORMAT}\""
            )));
        }
        None => return Err(LessonError::NotALesson("it has no \"format\" field".into())),
    }
    let version = match object.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => return Err(LessonError::NewerVersion(v)),
        Some(v) if v >= 1 => v,
        _ => {
            return Err(invalid(
                "version",
                "must be a whole number from 1 (the file's format version)",
            ));
        }
    };
    if version == 1 {
        v1_to_v2(&mut json)?;
    }
    Ok(json)
}

fn v1_to_v2(json: &mut Value) -> Result<(), LessonError> {
    if let Some(tasks) = json.get_mut("tasks").and_then(Value::as_array_mut) {
        for (t, task) in tasks.iter_mut().enumerate() {
            let Some(task) = task.as_object_mut() else {
                continue;
            };
            if task.get("kind").and_then(Value::as_str) != Some("teach") {
                continue;
            }
            if let Some(old) = task.remove("target_accuracy") {
                let Some(value) = old.as_f64() else {
                    return Err(invalid(
                        format!("tasks[{t}].target_accuracy"),
                        "must be a number (version 1)",
                    ));
                };
                task.insert(
                    "target".into(),
                    json!({ "metric": "accuracy", "value": value }),
                );
            }
        }
    }
    json["version"] = json!(2);
    Ok(())
}
