//! A lesson as the teacher's editor changes it: every change is one function on a [`Lesson`]
//! (pure, tested here; the editor's components only call them). A draft need not be valid at
//! every step: `Lesson::validate` says what is still missing, with its path.
//!
//! Where new glyphs and questions go: to the *current* task when it takes them (the one the
//! teacher chose or added last), else to the first task that does, else to a new task of the
//! right kind. So any task of a lesson can be filled, not only the first.

use super::{
    ConceptDef, FORMAT, Lesson, LessonClass, LessonId, Metric, Question, Target, Task, VERSION,
};

/// The texts a new task starts with, in the editor's language (the teacher may change them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DefaultTexts {
    pub practice_title: String,
    pub practice_instructions: String,
    pub teach_title: String,
    pub teach_instructions: String,
    pub quiz_title: String,
}

/// Rounds of a new practice task.
const NEW_PRACTICE_ROUNDS: u32 = 6;
/// The target of a new teach task.
const NEW_TEACH_TARGET: f32 = 0.8;

/// A new lesson in `language`: one concept (named after the lesson), one practice task
/// without glyphs yet.
pub fn new_lesson(language: &str, texts: &DefaultTexts) -> Lesson {
    let mut lesson = Lesson {
        format: FORMAT.into(),
        version: VERSION,
        id: LessonId::from_title(""),
        title: String::new(),
        description: String::new(),
        language: language.into(),
        concepts: vec![ConceptDef {
            id: String::new(),
            name: String::new(),
            description: String::new(),
            requires: Vec::new(),
        }],
        teaches: Vec::new(),
        requires: Vec::new(),
        mastery: None,
        tasks: vec![practice_task(texts)],
    };
    name_new_lesson(&mut lesson, "");
    lesson
}

/// Title a lesson not saved yet: its id follows the title (once saved, it stays, so progress
/// recorded against it stays attached), and so does its concept's id, and its name until the
/// teacher names it.
pub fn name_new_lesson(lesson: &mut Lesson, title: &str) {
    let old_title = std::mem::replace(&mut lesson.title, title.to_string());
    lesson.id = LessonId::from_title(title);
    let concept = format!("{}-skill", lesson.id);
    if let Some(c) = lesson.concepts.first_mut() {
        c.id = concept.clone();
        if c.name.trim().is_empty() || c.name == old_title {
            c.name = title.to_string();
        }
    }
    lesson.teaches = vec![concept];
}

/// The concept the editor edits: the first one the lesson both defines and teaches.
pub fn main_concept(lesson: &Lesson) -> Option<usize> {
    lesson
        .concepts
        .iter()
        .position(|c| lesson.teaches.contains(&c.id))
}

pub fn practice_task(texts: &DefaultTexts) -> Task {
    Task::Practice {
        title: texts.practice_title.clone(),
        instructions: texts.practice_instructions.clone(),
        concepts: Vec::new(),
        classes: Vec::new(),
        rounds: NEW_PRACTICE_ROUNDS,
    }
}

/// A teach task with the classes (names only) of the lesson's first practice task, for the
/// student to draw.
pub fn teach_task(lesson: &Lesson, texts: &DefaultTexts) -> Task {
    let classes = lesson
        .tasks
        .iter()
        .find_map(|t| match t {
            Task::Practice { classes, .. } => Some(
                classes
                    .iter()
                    .map(|c| LessonClass {
                        name: c.name.clone(),
                        examples: Vec::new(),
                        sentences: Vec::new(),
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    Task::Teach {
        title: texts.teach_title.clone(),
        instructions: texts.teach_instructions.clone(),
        concepts: Vec::new(),
        classes,
        target: Target {
            metric: Metric::Accuracy,
            value: NEW_TEACH_TARGET,
        },
    }
}

pub fn quiz_task(texts: &DefaultTexts) -> Task {
    Task::Quiz {
        title: texts.quiz_title.clone(),
        concepts: Vec::new(),
        questions: Vec::new(),
    }
}

/// Add `task` at the end; its index (it becomes the current task).
pub fn push_task(lesson: &mut Lesson, task: Task) -> usize {
    lesson.tasks.push(task);
    lesson.tasks.len() - 1
}

pub fn classes_mut(task: &mut Task) -> Option<&mut Vec<LessonClass>> {
    match task {
        Task::Practice { classes, .. } | Task::Teach { classes, .. } => Some(classes),
        Task::Quiz { .. } => None,
    }
}

pub fn title_mut(task: &mut Task) -> &mut String {
    match task {
        Task::Practice { title, .. } | Task::Teach { title, .. } | Task::Quiz { title, .. } => {
            title
        }
    }
}

fn takes_classes(task: &Task) -> bool {
    !matches!(task, Task::Quiz { .. })
}

/// The task that takes classes (`classes`) or questions (`!classes`): `current` when it does,
/// else the first that does.
pub fn task_taking(lesson: &Lesson, current: Option<usize>, classes: bool) -> Option<usize> {
    current
        .filter(|&i| {
            lesson
                .tasks
                .get(i)
                .is_some_and(|t| takes_classes(t) == classes)
        })
        .or_else(|| {
            lesson
                .tasks
                .iter()
                .position(|t| takes_classes(t) == classes)
        })
}

/// Add a class (a glyph, or a topic for sentences) called `name` (trimmed; nothing when
/// empty) where glyphs go (see the module); `(task, class)` indices of the new class.
pub fn add_class(
    lesson: &mut Lesson,
    current: Option<usize>,
    name: &str,
    texts: &DefaultTexts,
) -> Option<(usize, usize)> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let i = task_taking(lesson, current, true)
        .unwrap_or_else(|| push_task(lesson, practice_task(texts)));
    let classes = classes_mut(&mut lesson.tasks[i])?;
    classes.push(LessonClass {
        name: name.to_string(),
        examples: Vec::new(),
        sentences: Vec::new(),
    });
    Some((i, classes.len() - 1))
}

/// The class at `(task, class)`, if there is one.
pub fn class_mut(lesson: &mut Lesson, (task, class): (usize, usize)) -> Option<&mut LessonClass> {
    lesson
        .tasks
        .get_mut(task)
        .and_then(classes_mut)
        .and_then(|c| c.get_mut(class))
}

/// Add `question` where questions go (see the module); the quiz's index.
pub fn add_question(
    lesson: &mut Lesson,
    current: Option<usize>,
    question: Question,
    texts: &DefaultTexts,
) -> usize {
    let i =
        task_taking(lesson, current, false).unwrap_or_else(|| push_task(lesson, quiz_task(texts)));
    if let Task::Quiz { questions, .. } = &mut lesson.tasks[i] {
        questions.push(question);
    }
    i
}

/// A question as the editor's fields give it: options (or accepted answers) separated by
/// `|`; the right option counted from 1 (1 when it is not a number).
pub fn question_from_fields(
    free: bool,
    prompt: &str,
    options: &str,
    right: &str,
    explanation: &str,
) -> Question {
    let prompt = prompt.trim().to_string();
    let parts = split_options(options);
    let explanation = explanation.trim().to_string();
    if free {
        Question::Free {
            prompt,
            answers: parts,
            explanation,
        }
    } else {
        let answer = right.trim().parse::<usize>().unwrap_or(1).max(1) - 1;
        Question::Choice {
            prompt,
            options: parts,
            answer,
            explanation,
        }
    }
}

/// `text` split at `|`, trimmed, empty parts dropped.
pub fn split_options(text: &str) -> Vec<String> {
    text.split('|')
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect()
}

pub fn remove_task(lesson: &mut Lesson, task: usize) {
    if task < lesson.tasks.len() {
        lesson.tasks.remove(task);
    }
}

pub fn remove_class(lesson: &mut Lesson, (task, class): (usize, usize)) {
    if let Some(c) = lesson.tasks.get_mut(task).and_then(classes_mut)
        && class < c.len()
    {
        c.remove(class);
    }
}

pub fn remove_question(lesson: &mut Lesson, task: usize, question: usize) {
    if let Some(Task::Quiz { questions, .. }) = lesson.tasks.get_mut(task)
        && question < questions.len()
    {
        questions.remove(question);
    }
}

/// What the task list shows that only buttons change (kinds, classes and their references,
/// questions): the list is drawn again when this changes, not on every key typed into it.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskShape {
    /// A practice (`teach: false`) or teach task: each class's name and reference count.
    Classes {
        teach: bool,
        classes: Vec<(String, usize)>,
    },
    /// A quiz: each question in one line.
    Quiz(Vec<String>),
}

pub fn shape(lesson: &Lesson) -> Vec<TaskShape> {
    lesson
        .tasks
        .iter()
        .map(|task| match task {
            Task::Practice { classes, .. } | Task::Teach { classes, .. } => TaskShape::Classes {
                teach: matches!(task, Task::Teach { .. }),
                classes: classes
                    .iter()
                    .map(|c| (c.name.clone(), c.examples.len() + c.sentences.len()))
                    .collect(),
            },
            Task::Quiz { questions, .. } => {
                TaskShape::Quiz(questions.iter().map(question_line).collect())
            }
        })
        .collect()
}

/// A question in one line: `prompt [a | b | c] (right option from 1)`, or
/// `prompt [accepted | answers]`.
pub fn question_line(question: &Question) -> String {
    match question {
        Question::Choice {
            prompt,
            options,
            answer,
            ..
        } => format!("{prompt} [{}] ({})", options.join(" | "), answer + 1),
        Question::Free {
            prompt, answers, ..
        } => format!("{prompt} [{}]", answers.join(" | ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> DefaultTexts {
        DefaultTexts {
            practice_title: "Practise".into(),
            practice_instructions: "Write each letter.".into(),
            teach_title: "Teach".into(),
            teach_instructions: "Teach the machine.".into(),
            quiz_title: "Quiz".into(),
        }
    }

    fn stroke() -> Vec<crate::learn::preprocess::Stroke> {
        crate::learn::preprocess::line_drawing(10.0, 1.0)
    }

    #[test]
    fn a_new_lesson_follows_its_title_until_saved() {
        let mut lesson = new_lesson("en", &texts());
        assert_eq!(lesson.id.as_str(), "lesson");
        name_new_lesson(&mut lesson, "Greek letters");
        assert_eq!(lesson.id.as_str(), "greek-letters");
        assert_eq!(lesson.teaches, ["greek-letters-skill"]);
        assert_eq!(lesson.concepts[0].name, "Greek letters");
        // A concept the teacher named keeps its name.
        lesson.concepts[0].name = "Alphabet".into();
        name_new_lesson(&mut lesson, "Greek letters 2");
        assert_eq!(lesson.concepts[0].name, "Alphabet");
        assert_eq!(main_concept(&lesson), Some(0));
        // Still missing: glyphs.
        let problem = lesson.validate().unwrap_err().to_string();
        assert!(problem.starts_with("tasks[0].classes"), "{problem}");
    }

    #[test]
    fn glyphs_go_to_the_current_task_so_every_task_can_be_filled() {
        let texts = texts();
        let mut lesson = new_lesson("en", &texts);
        name_new_lesson(&mut lesson, "Two practices");
        assert_eq!(add_class(&mut lesson, None, "  ", &texts), None);
        assert_eq!(
            add_class(&mut lesson, None, " alpha ", &texts),
            Some((0, 0))
        );
        let second = push_task(&mut lesson, practice_task(&texts));
        let quiz = push_task(&mut lesson, quiz_task(&texts));
        // The second practice task, chosen: it gets the glyph.
        assert_eq!(
            add_class(&mut lesson, Some(second), "beta", &texts),
            Some((1, 0))
        );
        // A quiz chosen takes no glyph: it goes to the first task that does.
        assert_eq!(
            add_class(&mut lesson, Some(quiz), "gamma", &texts),
            Some((0, 1))
        );
        class_mut(&mut lesson, (1, 0))
            .unwrap()
            .examples
            .push(stroke());
        assert_eq!(
            shape(&lesson)[..2],
            [
                TaskShape::Classes {
                    teach: false,
                    classes: vec![("alpha".into(), 0), ("gamma".into(), 0)]
                },
                TaskShape::Classes {
                    teach: false,
                    classes: vec![("beta".into(), 1)]
                },
            ]
        );
        // Without any task taking glyphs, a new practice task is made.
        let mut quiz_only = new_lesson("en", &texts);
        quiz_only.tasks = vec![quiz_task(&texts)];
        assert_eq!(
            add_class(&mut quiz_only, Some(0), "a", &texts),
            Some((1, 0))
        );
    }

    #[test]
    fn questions_go_to_the_current_quiz_or_a_new_one() {
        let texts = texts();
        let mut lesson = new_lesson("en", &texts);
        let choice = question_from_fields(false, " How many? ", "one | two|| three", "2", "");
        assert_eq!(
            choice,
            Question::Choice {
                prompt: "How many?".into(),
                options: vec!["one".into(), "two".into(), "three".into()],
                answer: 1,
                explanation: String::new(),
            }
        );
        assert_eq!(question_line(&choice), "How many? [one | two | three] (2)");
        // No quiz yet: one is made.
        assert_eq!(
            add_question(&mut lesson, Some(0), choice.clone(), &texts),
            1
        );
        let second_quiz = push_task(&mut lesson, quiz_task(&texts));
        let free = question_from_fields(true, "Name it", "theta | the letter theta", "x", "");
        assert_eq!(question_line(&free), "Name it [theta | the letter theta]");
        assert_eq!(
            add_question(&mut lesson, Some(second_quiz), free, &texts),
            2
        );
        // Not a number: the first option is the right one.
        let first = question_from_fields(false, "p", "a|b", "x", "");
        assert!(matches!(first, Question::Choice { answer: 0, .. }));
        assert_eq!(add_question(&mut lesson, None, first, &texts), 1);
        assert_eq!(
            shape(&lesson)[1..],
            [
                TaskShape::Quiz(vec![
                    "How many? [one | two | three] (2)".into(),
                    "p [a | b] (1)".into()
                ]),
                TaskShape::Quiz(vec!["Name it [theta | the letter theta]".into()]),
            ]
        );
        remove_question(&mut lesson, 1, 0);
        remove_question(&mut lesson, 1, 5);
        assert_eq!(
            shape(&lesson)[1],
            TaskShape::Quiz(vec!["p [a | b] (1)".into()])
        );
    }

    #[test]
    fn a_teach_task_copies_the_practice_glyph_names_and_removals_are_bounded() {
        let texts = texts();
        let mut lesson = new_lesson("en", &texts);
        add_class(&mut lesson, None, "alpha", &texts);
        class_mut(&mut lesson, (0, 0))
            .unwrap()
            .examples
            .push(stroke());
        add_class(&mut lesson, None, "beta", &texts);
        let task = teach_task(&lesson, &texts);
        let teach = push_task(&mut lesson, task);
        assert_eq!(
            shape(&lesson)[teach],
            TaskShape::Classes {
                teach: true,
                classes: vec![("alpha".into(), 0), ("beta".into(), 0)]
            }
        );
        assert!(matches!(
            &lesson.tasks[teach],
            Task::Teach { target, .. } if target.metric == Metric::Accuracy && target.value == 0.8
        ));
        remove_class(&mut lesson, (teach, 0));
        remove_class(&mut lesson, (teach, 9));
        remove_class(&mut lesson, (9, 0));
        assert_eq!(
            shape(&lesson)[teach],
            TaskShape::Classes {
                teach: true,
                classes: vec![("beta".into(), 0)]
            }
        );
        *title_mut(&mut lesson.tasks[teach]) = "Teach it".into();
        assert_eq!(lesson.tasks[teach].title(), "Teach it");
        remove_task(&mut lesson, 7);
        remove_task(&mut lesson, 0);
        assert_eq!(lesson.tasks.len(), 1);
        assert_eq!(lesson.tasks[0].title(), "Teach it");
    }
}
