//! A student's project: named classes (2-20) with their drawn examples, kept as pen strokes.
//! Pure logic, no web types: the UI calls these operations, the store saves the result.

use serde::{Deserialize, Serialize};

use crate::learn::preprocess::Stroke;

/// Fewest and most classes a project may have.
pub const MIN_CLASSES: usize = 2;
pub const MAX_CLASSES: usize = 20;
/// Longest class or project name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// One drawn example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectExample {
    pub id: u64,
    pub strokes: Vec<Stroke>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectClass {
    pub id: u64,
    pub name: String,
    pub examples: Vec<ProjectExample>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    pub classes: Vec<ProjectClass>,
    next_id: u64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectError {
    #[error("a project has at most {MAX_CLASSES} classes")]
    TooManyClasses,
    #[error("a project needs at least {MIN_CLASSES} classes")]
    TooFewClasses,
    #[error("a name cannot be empty")]
    EmptyName,
    #[error("a name has at most {MAX_NAME_CHARS} characters")]
    NameTooLong,
    #[error("there is already a class named \"{0}\"")]
    DuplicateName(String),
    #[error("no class with id {0}")]
    NoSuchClass(u64),
    #[error("no example with id {0}")]
    NoSuchExample(u64),
    #[error("an example needs at least one stroke")]
    EmptyDrawing,
}

fn clean_name(name: &str) -> Result<String, ProjectError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ProjectError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ProjectError::NameTooLong);
    }
    Ok(name.to_string())
}

impl Project {
    /// A new project with the given class names (at least [`MIN_CLASSES`]).
    pub fn new(name: &str, class_names: &[&str]) -> Result<Self, ProjectError> {
        if class_names.len() < MIN_CLASSES {
            return Err(ProjectError::TooFewClasses);
        }
        let mut project = Project {
            name: clean_name(name)?,
            classes: Vec::new(),
            next_id: 1,
        };
        for class in class_names {
            project.add_class(class)?;
        }
        Ok(project)
    }

    /// The project a student finds on first opening the app.
    pub fn starter() -> Self {
        Self::new("My first model", &["circle", "cross", "wave"]).expect("valid starter")
    }

    fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn class(&self, id: u64) -> Result<&ProjectClass, ProjectError> {
        self.classes
            .iter()
            .find(|c| c.id == id)
            .ok_or(ProjectError::NoSuchClass(id))
    }

    fn class_mut(&mut self, id: u64) -> Result<&mut ProjectClass, ProjectError> {
        self.classes
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(ProjectError::NoSuchClass(id))
    }

    fn check_unique(&self, name: &str, except: Option<u64>) -> Result<(), ProjectError> {
        let taken = self
            .classes
            .iter()
            .any(|c| Some(c.id) != except && c.name.to_lowercase() == name.to_lowercase());
        if taken {
            return Err(ProjectError::DuplicateName(name.to_string()));
        }
        Ok(())
    }

    /// Add a class; returns its id.
    pub fn add_class(&mut self, name: &str) -> Result<u64, ProjectError> {
        if self.classes.len() >= MAX_CLASSES {
            return Err(ProjectError::TooManyClasses);
        }
        let name = clean_name(name)?;
        self.check_unique(&name, None)?;
        let id = self.take_id();
        self.classes.push(ProjectClass {
            id,
            name,
            examples: Vec::new(),
        });
        Ok(id)
    }

    pub fn rename_class(&mut self, id: u64, name: &str) -> Result<(), ProjectError> {
        let name = clean_name(name)?;
        self.check_unique(&name, Some(id))?;
        self.class_mut(id)?.name = name;
        Ok(())
    }

    /// Remove a class and its examples; returns it (for undo).
    pub fn delete_class(&mut self, id: u64) -> Result<ProjectClass, ProjectError> {
        if self.classes.len() <= MIN_CLASSES {
            return Err(ProjectError::TooFewClasses);
        }
        let pos = self
            .classes
            .iter()
            .position(|c| c.id == id)
            .ok_or(ProjectError::NoSuchClass(id))?;
        Ok(self.classes.remove(pos))
    }

    /// Add a drawn example to a class; returns its id.
    pub fn add_example(&mut self, class: u64, strokes: Vec<Stroke>) -> Result<u64, ProjectError> {
        if strokes.iter().all(|s| s.is_empty()) {
            return Err(ProjectError::EmptyDrawing);
        }
        let id = self.take_id();
        self.class_mut(class)?
            .examples
            .push(ProjectExample { id, strokes });
        Ok(id)
    }

    pub fn delete_example(&mut self, id: u64) -> Result<ProjectExample, ProjectError> {
        for class in &mut self.classes {
            if let Some(pos) = class.examples.iter().position(|e| e.id == id) {
                return Ok(class.examples.remove(pos));
            }
        }
        Err(ProjectError::NoSuchExample(id))
    }

    pub fn num_examples(&self) -> usize {
        self.classes.iter().map(|c| c.examples.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::preprocess::Point;

    fn stroke() -> Vec<Stroke> {
        vec![vec![
            Point {
                x: 0.0,
                y: 0.0,
                t: 0.0,
            },
            Point {
                x: 1.0,
                y: 1.0,
                t: 5.0,
            },
        ]]
    }

    #[test]
    fn classes_are_named_unique_and_between_2_and_20() {
        assert_eq!(Project::new("p", &["a"]), Err(ProjectError::TooFewClasses));
        let mut p = Project::new("p", &["a", "b"]).unwrap();
        assert_eq!(
            p.add_class(" A "),
            Err(ProjectError::DuplicateName("A".into()))
        );
        assert_eq!(p.add_class("   "), Err(ProjectError::EmptyName));
        assert_eq!(p.add_class(&"x".repeat(61)), Err(ProjectError::NameTooLong));
        for i in 2..MAX_CLASSES {
            p.add_class(&format!("c{i}")).unwrap();
        }
        assert_eq!(p.add_class("one more"), Err(ProjectError::TooManyClasses));
        let first = p.classes[0].id;
        p.rename_class(first, "alpha").unwrap();
        assert_eq!(p.class(first).unwrap().name, "alpha");
        // Renaming to its own name (other case) is fine; to another class's name is not.
        p.rename_class(first, "ALPHA").unwrap();
        assert!(p.rename_class(first, "b").is_err());
    }

    #[test]
    fn deleting_keeps_at_least_two_classes_and_returns_what_it_removed() {
        let mut p = Project::new("p", &["a", "b", "c"]).unwrap();
        let c = p.classes[2].id;
        let e = p.add_example(c, stroke()).unwrap();
        let removed = p.delete_class(c).unwrap();
        assert_eq!(removed.examples[0].id, e);
        assert_eq!(
            p.delete_class(p.classes[0].id),
            Err(ProjectError::TooFewClasses)
        );
    }

    #[test]
    fn examples_are_added_and_deleted_by_id() {
        let mut p = Project::starter();
        let a = p.classes[0].id;
        assert_eq!(p.add_example(a, vec![]), Err(ProjectError::EmptyDrawing));
        let e1 = p.add_example(a, stroke()).unwrap();
        let e2 = p.add_example(a, stroke()).unwrap();
        assert_ne!(e1, e2);
        assert_eq!(p.num_examples(), 2);
        p.delete_example(e1).unwrap();
        assert_eq!(p.delete_example(e1), Err(ProjectError::NoSuchExample(e1)));
        assert_eq!(p.class(a).unwrap().examples[0].id, e2);
        assert_eq!(
            p.add_example(999, stroke()),
            Err(ProjectError::NoSuchClass(999))
        );
    }
}
