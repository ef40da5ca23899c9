//! A student's whole profile as one file (`.inkling-profile.json`): name, language, projects,
//! knowledge (mastery, review cards, corrected handwriting) and history, to move a student to another device. Import
//! is untrusted: every part is checked (projects by the project rules, probabilities in [0, 1],
//! finite review states) and a problem names its path; nothing is written unless all is well.

use serde::{Deserialize, Serialize};

use crate::knowledge::learner::{Learner, MAX_HANDWRITING_PER_ITEM, Outcome};
use crate::project::Project;
use crate::project::file::{FileError, check_header, check_strokes, validate};

/// A student's id on this device: `student` for the first one (the store's default profile),
/// `s<ms since the epoch>-<8 hex digits>` for every student added or imported later. Made by
/// [`ProfileId::new`]; ids of earlier versions (`sp<ms>-<hex>`) still parse, so stored work
/// keeps its owner. Stored as the bare text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProfileId(String);

/// The first student's id.
const FIRST_STUDENT: &str = "student";

impl ProfileId {
    pub fn new(now_ms: f64, random: u32) -> Self {
        ProfileId(format!("s{}-{random:08x}", now_ms.max(0.0) as u64))
    }

    /// The student the app starts with (and that version-1 projects were moved into).
    pub fn first_student() -> Self {
        ProfileId(FIRST_STUDENT.into())
    }

    /// An id given as text (a setting, the profile picker): one of the formats above.
    pub fn parse(text: &str) -> Result<Self, String> {
        let made = |rest: &str| {
            rest.split_once('-').is_some_and(|(ms, hex)| {
                !ms.is_empty()
                    && ms.chars().all(|c| c.is_ascii_digit())
                    && !hex.is_empty()
                    && hex.len() <= 16
                    && hex.chars().all(|c| c.is_ascii_hexdigit())
            })
        };
        let ok = text == FIRST_STUDENT
            || text.strip_prefix("sp").is_some_and(made)
            || text.strip_prefix('s').is_some_and(made);
        if ok {
            Ok(ProfileId(text.to_string()))
        } else {
            Err(format!("\"{text}\" is not a student's id"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of the `index`-th project of an imported profile.
    pub fn imported_project(&self, index: usize) -> String {
        format!("{}-p{index}", self.0)
    }
}

/// No student: the profile of project records written before profiles (version 1 of the
/// store), until the upgrade gives them the first student.
impl Default for ProfileId {
    fn default() -> Self {
        ProfileId(String::new())
    }
}

impl std::fmt::Display for ProfileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub const FORMAT: &str = "inkling-profile";
pub const VERSION: u32 = 1;
/// Largest profile file accepted: 64 MB, the same as one project file. A real profile is far
/// smaller: a drawing of ~120 points is ~18 kB in the (pretty-printed) file, so 64 MB holds
/// ~3,500 drawings across all projects and kept handwriting (which is at most 20 a practice
/// item). The file is parsed straight into its types, never into a `serde_json::Value` of the
/// whole (several times the file's size), so a drawing takes less memory than its text (12
/// bytes a point against ~150) and even a hostile file of empty lists at most ~8 times its
/// size; a larger bound would let one file exhaust a browser tab's memory.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
// `FileError::TooLarge` names the project file's limit: the two stay the same.
const _: () = assert!(MAX_FILE_BYTES == crate::project::file::MAX_FILE_BYTES);
const MAX_PROJECTS: usize = 500;
const MAX_OUTCOMES: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    pub format: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub language: String,
    pub projects: Vec<Project>,
    pub learner: Learner,
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
}

fn invalid(path: impl Into<String>, problem: impl Into<String>) -> FileError {
    FileError::Invalid {
        path: path.into(),
        problem: problem.into(),
    }
}

fn check_probability(path: String, p: f64) -> Result<(), FileError> {
    if p.is_finite() && (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(invalid(path, format!("{p} is not a probability")))
    }
}

impl ProfileFile {
    pub fn new(
        name: &str,
        language: &str,
        projects: Vec<Project>,
        learner: Learner,
        outcomes: Vec<Outcome>,
    ) -> Self {
        ProfileFile {
            format: FORMAT.into(),
            version: VERSION,
            name: name.to_string(),
            language: language.to_string(),
            projects,
            learner,
            outcomes,
        }
    }

    pub fn export(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("a profile always serialises")
    }

    /// Read and check a profile file: its size, then its header (format and version, the rest
    /// skipped), then the whole file straight into its types, then every rule.
    pub fn import(bytes: &[u8]) -> Result<Self, FileError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(FileError::TooLarge(bytes.len()));
        }
        check_header(bytes, FORMAT, VERSION).map_err(|e| FileError::of_header(e, FORMAT))?;
        let file: ProfileFile =
            serde_json::from_slice(bytes).map_err(|e| FileError::Syntax(e.to_string()))?;
        file.validate()?;
        Ok(file)
    }

    pub fn validate(&self) -> Result<(), FileError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(invalid("name", "must be 1 to 60 characters"));
        }
        if self.projects.len() > MAX_PROJECTS {
            return Err(invalid(
                "projects",
                format!("{} projects; at most {MAX_PROJECTS}", self.projects.len()),
            ));
        }
        if self.outcomes.len() > MAX_OUTCOMES {
            return Err(invalid(
                "outcomes",
                format!("{} outcomes; at most {MAX_OUTCOMES}", self.outcomes.len()),
            ));
        }
        for (i, project) in self.projects.iter().enumerate() {
            validate(project).map_err(|e| match e {
                FileError::Invalid { path, problem } => invalid(
                    format!("projects[{i}].{}", path.trim_start_matches("project.")),
                    problem,
                ),
                other => other,
            })?;
        }
        for (concept, &p) in &self.learner.mastery {
            check_probability(format!("learner.mastery.{concept}"), p)?;
        }
        for (i, card) in self.learner.cards.iter().enumerate() {
            let path = format!("learner.cards[{i}]");
            let finite = [card.stability, card.difficulty]
                .iter()
                .all(|v| v.is_finite() && *v > 0.0)
                && card.due_ms.is_finite()
                && card.last_review_ms.is_finite();
            if !finite {
                return Err(invalid(
                    path,
                    "has a review state that is not a positive finite number",
                ));
            }
        }
        for (item, drawings) in &self.learner.handwriting {
            let path = format!("learner.handwriting.{item}");
            if drawings.len() > MAX_HANDWRITING_PER_ITEM {
                return Err(invalid(
                    path,
                    format!(
                        "{} drawings; at most {MAX_HANDWRITING_PER_ITEM}",
                        drawings.len()
                    ),
                ));
            }
            for (i, drawing) in drawings.iter().enumerate() {
                check_strokes(drawing, &format!("{path}[{i}]"))?;
            }
        }
        for (item, sentences) in &self.learner.sentences {
            let path = format!("learner.sentences.{item}");
            if sentences.len() > MAX_HANDWRITING_PER_ITEM {
                return Err(invalid(
                    path,
                    format!(
                        "{} sentences; at most {MAX_HANDWRITING_PER_ITEM}",
                        sentences.len()
                    ),
                ));
            }
            for (i, sentence) in sentences.iter().enumerate() {
                crate::project::clean_text(sentence)
                    .map_err(|e| invalid(format!("{path}[{i}]"), e.to_string()))?;
            }
        }
        for (i, outcome) in self.outcomes.iter().enumerate() {
            for (j, (_, before, after)) in outcome.mastery.iter().enumerate() {
                check_probability(format!("outcomes[{i}].mastery[{j}]"), *before)?;
                check_probability(format!("outcomes[{i}].mastery[{j}]"), *after)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::item::ItemId;
    use crate::knowledge::review::Scheduler;
    use crate::learn::preprocess::Point;
    use crate::lesson::builtin::builtin_lessons;

    fn sample() -> ProfileFile {
        let mut project = Project::starter();
        let class = project.classes[0].id;
        project
            .add_example(
                class,
                vec![vec![
                    Point {
                        x: 1.0,
                        y: 2.0,
                        t: 0.0,
                    },
                    Point {
                        x: 5.0,
                        y: 9.0,
                        t: 16.0,
                    },
                ]],
            )
            .unwrap();
        let lessons = builtin_lessons().unwrap();
        let mut learner = Learner::default();
        let outcome = learner.record(
            &lessons[1],
            0,
            &ItemId::practice(
                &crate::lesson::LessonId::parse("greek-letters").unwrap(),
                "alpha α",
            ),
            true,
            1e12,
            &Scheduler::default(),
        );
        learner.add_handwriting(
            &ItemId::practice(
                &crate::lesson::LessonId::parse("greek-letters").unwrap(),
                "alpha α",
            ),
            vec![vec![Point {
                x: 3.0,
                y: 4.0,
                t: 0.0,
            }]],
        );
        ProfileFile::new("Ming", "zh-CN", vec![project], learner, vec![outcome])
    }

    #[test]
    fn profile_ids_have_one_format() {
        let id = ProfileId::new(1_700_000_000_123.0, 0xbeef);
        assert_eq!(id.as_str(), "s1700000000123-0000beef");
        assert_eq!(id.imported_project(2), "s1700000000123-0000beef-p2");
        // A project id of an imported profile is a valid project id.
        assert!(crate::personal::ProjectId::parse(&id.imported_project(2)).is_ok());
        // Made, first and earlier ids parse back; nothing else does.
        for stored in [id.as_str(), "student", "sp1699999999999-1f2e3d4c"] {
            assert_eq!(ProfileId::parse(stored).unwrap().as_str(), stored);
        }
        for bad in [
            "", "Student", "s", "s12", "s12-", "s-ab", "s12-xyz", "p1/2", "student2",
        ] {
            assert!(ProfileId::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"s1700000000123-0000beef\""
        );
    }

    #[test]
    fn a_profile_round_trips_through_its_file() {
        let profile = sample();
        let bytes = profile.export();
        let back = ProfileFile::import(&bytes).unwrap();
        assert_eq!(back, profile);
        assert_eq!(back.export(), bytes);
    }

    #[test]
    fn bad_profiles_name_the_problem() {
        let mut json: serde_json::Value = serde_json::from_slice(&sample().export()).unwrap();
        json["learner"]["mastery"]["greek-letters"] = 1.5.into();
        let err = ProfileFile::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
        assert!(
            err.to_string().starts_with("learner.mastery.greek-letters"),
            "{err}"
        );

        let mut json: serde_json::Value = serde_json::from_slice(&sample().export()).unwrap();
        json["learner"]["handwriting"]["greek-letters/alpha α"][0][0][0]["y"] = 1e30.into();
        let err = ProfileFile::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("learner.handwriting.greek-letters/alpha α[0][0][0].y"),
            "{err}"
        );

        let mut json: serde_json::Value = serde_json::from_slice(&sample().export()).unwrap();
        json["projects"][0]["classes"][1]["name"] = "CIRCLE".into();
        let err = ProfileFile::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
        assert!(
            err.to_string().starts_with("projects[0].classes[1].name"),
            "{err}"
        );

        assert!(matches!(
            ProfileFile::import(&crate::project::file::export(&Project::starter())),
            Err(FileError::NotAProject(m)) if m.contains("inkling-profile")
        ));
    }

    #[test]
    fn a_projects_next_id_is_bounded_in_a_profile_too() {
        let mut json: serde_json::Value = serde_json::from_slice(&sample().export()).unwrap();
        json["projects"][0]["next_id"] = (crate::project::MAX_NEXT_ID + 1).into();
        let err = ProfileFile::import(&serde_json::to_vec(&json).unwrap()).unwrap_err();
        assert!(
            err.to_string().starts_with("projects[0].next_id: "),
            "{err}"
        );
    }

    #[test]
    fn the_header_is_checked_before_the_body_and_the_size_before_both() {
        let mut json: serde_json::Value = serde_json::from_slice(&sample().export()).unwrap();
        let check = |json: &serde_json::Value| {
            ProfileFile::import(&serde_json::to_vec(json).unwrap()).unwrap_err()
        };
        json["version"] = 2.into();
        assert_eq!(check(&json), FileError::NewerVersion(2));
        for version in [
            serde_json::json!(0),
            serde_json::json!("1"),
            serde_json::json!(1.5),
        ] {
            json["version"] = version;
            assert!(check(&json).to_string().starts_with("version: "));
        }
        json["version"] = 1.into();
        json["format"] = serde_json::json!([1, 2, 3]);
        assert!(matches!(check(&json), FileError::NotAProject(m) if m.contains("a list")));
        json.as_object_mut().unwrap().remove("format");
        assert!(matches!(check(&json), FileError::NotAProject(m) if m.contains("no \"format\"")));
        // Too large is refused before anything is read.
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        assert_eq!(
            ProfileFile::import(&big),
            Err(FileError::TooLarge(MAX_FILE_BYTES + 1))
        );
    }
}
