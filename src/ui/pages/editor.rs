//! The teacher's lesson editor, for a new lesson or one already on the device (built-in,
//! imported or made here): title, description, language, the concept it teaches and what that
//! requires, its own mastery model (BKT) if the defaults do not fit, and its tasks: handwriting
//! practice with reference glyphs drawn on the same pad, teach tasks with a target, quizzes
//! (choice and free-answer questions). The lesson is checked as it changes (the first problem
//! is shown with its path); saving adds it to the device's lessons (an edited lesson keeps its
//! id, so students' progress stays attached), "Preview" opens it as a student sees it,
//! "Export" downloads the lesson pack (one file with its drawings).

use leptos::prelude::*;

use crate::knowledge::bkt::BktParams;
use crate::learn::preprocess::Stroke;
use crate::lesson::{
    ConceptDef, FORMAT, Lesson, LessonClass, Metric, Question, Target, Task, VERSION,
};
use crate::ui::drawing_pad::DrawingPad;
use crate::ui::i18n::{Said, said, t, text, tw};
use crate::ui::learning::{Learning, Page};

/// An id from a title: lowercase ASCII letters and digits, dashes between words.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out
        .trim_end_matches('-')
        .chars()
        .take(48)
        .collect::<String>();
    if out.is_empty() { "lesson".into() } else { out }
}

/// A new lesson: one concept (named after the lesson), one practice task without glyphs yet.
/// Task titles and instructions start in the UI's language; the teacher may change them.
fn new_lesson() -> Lesson {
    let mut lesson = Lesson {
        format: FORMAT.into(),
        version: VERSION,
        id: String::new(),
        title: String::new(),
        description: String::new(),
        language: crate::ui::i18n::language().get_untracked().code().into(),
        concepts: vec![ConceptDef {
            id: String::new(),
            name: String::new(),
            description: String::new(),
            requires: Vec::new(),
        }],
        teaches: Vec::new(),
        requires: Vec::new(),
        mastery: None,
        tasks: vec![practice_task(Vec::new())],
    };
    name_new_lesson(&mut lesson, "");
    lesson
}

/// A new lesson's ids follow its title until it is first saved (then they stay, so progress
/// recorded against them stays attached).
/// The concept's name follows the title too, until the teacher names it.
fn name_new_lesson(lesson: &mut Lesson, title: &str) {
    let old_title = std::mem::replace(&mut lesson.title, title.to_string());
    lesson.id = slug(title);
    let concept = format!("{}-skill", lesson.id);
    if let Some(c) = lesson.concepts.first_mut() {
        c.id = concept.clone();
        if c.name.trim().is_empty() || c.name == old_title {
            c.name = title.to_string();
        }
    }
    lesson.teaches = vec![concept];
}

fn practice_task(classes: Vec<LessonClass>) -> Task {
    Task::Practice {
        title: text("editor-default-practice-title"),
        instructions: text("editor-default-practice-instructions"),
        concepts: Vec::new(),
        classes,
        rounds: 6,
    }
}

/// The concept the editor edits: the first one the lesson both defines and teaches.
fn main_concept(lesson: &Lesson) -> Option<usize> {
    lesson
        .concepts
        .iter()
        .position(|c| lesson.teaches.contains(&c.id))
}

fn classes_mut(task: &mut Task) -> Option<&mut Vec<LessonClass>> {
    match task {
        Task::Practice { classes, .. } | Task::Teach { classes, .. } => Some(classes),
        Task::Quiz { .. } => None,
    }
}

fn title_mut(task: &mut Task) -> &mut String {
    match task {
        Task::Practice { title, .. } | Task::Teach { title, .. } | Task::Quiz { title, .. } => {
            title
        }
    }
}

/// What the task list shows that only buttons change (kinds, glyphs and their references,
/// questions): the list is drawn again when this changes, not on every key typed into it.
#[derive(Clone, PartialEq)]
enum TaskShape {
    Classes {
        kind: &'static str,
        classes: Vec<(String, usize)>,
    },
    Quiz(Vec<String>),
}

fn shape(lesson: &Lesson) -> Vec<TaskShape> {
    lesson
        .tasks
        .iter()
        .map(|task| match task {
            Task::Practice { classes, .. } | Task::Teach { classes, .. } => TaskShape::Classes {
                kind: if matches!(task, Task::Practice { .. }) {
                    "editor-kind-practice"
                } else {
                    "editor-kind-teach"
                },
                classes: classes
                    .iter()
                    .map(|c| (c.name.clone(), c.examples.len() + c.sentences.len()))
                    .collect(),
            },
            Task::Quiz { questions, .. } => TaskShape::Quiz(
                questions
                    .iter()
                    .map(|q| match q {
                        Question::Choice {
                            prompt,
                            options,
                            answer,
                            ..
                        } => format!("{prompt} [{}] ({})", options.join(" | "), answer + 1),
                        Question::Free {
                            prompt, answers, ..
                        } => format!("{prompt} [{}]", answers.join(" | ")),
                    })
                    .collect(),
            ),
        })
        .collect()
}

/// `text` split at `|`, trimmed, empty parts dropped.
fn split_options(text: &str) -> Vec<String> {
    text.split('|')
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect()
}

#[component]
pub fn Editor(learning: Learning, editing: Option<String>) -> impl IntoView {
    let existing = editing.and_then(|id| learning.library.with_untracked(|l| l.get(&id).cloned()));
    let is_new = RwSignal::new(existing.is_none());
    let lesson = RwSignal::new(existing.unwrap_or_else(new_lesson));
    let shape = Memo::new(move |_| lesson.with(shape));
    let problem = Memo::new(move |_| lesson.with(|l| l.validate().err().map(|e| e.to_string())));
    let own_concepts = Memo::new(move |_| lesson.with(|l| l.teaches.clone()));
    let language = Memo::new(move |_| lesson.with(|l| l.language.clone()));
    // The glyph whose references the pad adds to: (task, class).
    let selected = RwSignal::new(None::<(usize, usize)>);
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let glyph_name = RwSignal::new(String::new());
    let sentence = RwSignal::new(String::new());
    let question = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let answer = RwSignal::new(String::from("1"));
    let explanation = RwSignal::new(String::new());
    let edit = move |f: fn(&mut Lesson, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            lesson.update(|l| f(l, value));
        }
    };
    let field = move |f: fn(&Lesson) -> String| move || lesson.with(f);
    // The task new glyphs and questions go to: the selected glyph's, else the first that
    // takes them.
    let task_taking = move |classes: bool| {
        lesson.with_untracked(|l| {
            selected
                .get_untracked()
                .map(|(i, _)| i)
                .filter(|&i| {
                    l.tasks
                        .get(i)
                        .is_some_and(|t| matches!(t, Task::Quiz { .. }) != classes)
                })
                .or_else(|| {
                    l.tasks
                        .iter()
                        .position(|t| matches!(t, Task::Quiz { .. }) != classes)
                })
        })
    };
    let add_glyph = move |_| {
        let name = glyph_name.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        let i = task_taking(true).unwrap_or_else(|| {
            lesson.update(|l| l.tasks.push(practice_task(Vec::new())));
            lesson.with_untracked(|l| l.tasks.len() - 1)
        });
        let mut k = 0;
        lesson.update(|l| {
            if let Some(classes) = classes_mut(&mut l.tasks[i]) {
                classes.push(LessonClass {
                    name,
                    examples: Vec::new(),
                    sentences: Vec::new(),
                });
                k = classes.len() - 1;
            }
        });
        selected.set(Some((i, k)));
        glyph_name.set(String::new());
    };
    // Put something into the selected glyph's class (and say so when none is selected).
    let add_to_selected = move |add: &dyn Fn(&mut LessonClass)| {
        let Some((i, k)) = selected.get_untracked() else {
            learning.ws.status.set(said("editor-choose-glyph"));
            return false;
        };
        lesson.update(|l| {
            if let Some(class) = l
                .tasks
                .get_mut(i)
                .and_then(classes_mut)
                .and_then(|c| c.get_mut(k))
            {
                add(class);
            }
        });
        true
    };
    let add_reference = move |_| {
        let drawing = strokes.get_untracked();
        if !drawing.is_empty() && add_to_selected(&|c| c.examples.push(drawing.clone())) {
            strokes.set(Vec::new());
        }
    };
    // A reference sentence makes the glyph's task a text task (drawings and sentences do not
    // mix; validation says so if they do).
    let add_sentence = move |_| {
        let line = sentence.get_untracked().trim().to_string();
        if !line.is_empty() && add_to_selected(&|c| c.sentences.push(line.clone())) {
            sentence.set(String::new());
        }
    };
    let add_question = move |free: bool| {
        let prompt = question.get_untracked().trim().to_string();
        let parts = split_options(&options.get_untracked());
        let explanation_text = explanation.get_untracked().trim().to_string();
        let q = if free {
            Question::Free {
                prompt,
                answers: parts,
                explanation: explanation_text,
            }
        } else {
            // The teacher counts options from 1.
            let right = answer
                .get_untracked()
                .trim()
                .parse::<usize>()
                .unwrap_or(1)
                .max(1)
                - 1;
            Question::Choice {
                prompt,
                options: parts,
                answer: right,
                explanation: explanation_text,
            }
        };
        let i = task_taking(false).unwrap_or_else(|| {
            lesson.update(|l| {
                l.tasks.push(Task::Quiz {
                    title: text("editor-default-quiz-title"),
                    concepts: Vec::new(),
                    questions: Vec::new(),
                })
            });
            lesson.with_untracked(|l| l.tasks.len() - 1)
        });
        lesson.update(|l| {
            if let Task::Quiz { questions, .. } = &mut l.tasks[i] {
                questions.push(q);
            }
        });
        question.set(String::new());
        options.set(String::new());
        explanation.set(String::new());
    };
    let add_teach_task = move |_| {
        lesson.update(|l| {
            // The same classes as the first practice task, for the student to draw.
            let classes = l
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
            l.tasks.push(Task::Teach {
                title: text("editor-default-teach-title"),
                instructions: text("editor-default-teach-instructions"),
                concepts: Vec::new(),
                classes,
                target: Target {
                    metric: Metric::Accuracy,
                    value: 0.8,
                },
            });
        });
    };
    let save = move || -> Option<String> {
        let id = learning
            .save_lesson(lesson.get_untracked())
            .map_err(|e| learning.ws.status.set(Said::raw(e)))
            .ok()?;
        is_new.set(false);
        Some(id)
    };
    let export = move |_| {
        let lesson = lesson.get_untracked();
        let name = crate::ui::files::file_name(&lesson.id, "lesson.json");
        if let Err(e) =
            crate::ui::files::download(&name, &crate::lesson::export(&lesson), "application/json")
        {
            learning.ws.status.set(Said::raw(e));
        }
    };
    // Concepts of the other lessons, which this one's concept may require.
    let other_concepts = move || {
        let own = own_concepts.get();
        learning.library.with(|l| {
            l.graph()
                .concepts()
                .iter()
                .filter(|c| !own.contains(&c.id))
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    // Number fields are not bound to the lesson (their first value is read when drawn): a
    // half-typed number ("0.") must not be rewritten while the teacher types.
    let tasks = move || {
        let shapes = shape.get();
        shapes
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let remove = move |_| {
                    lesson.update(|l| {
                        if i < l.tasks.len() {
                            l.tasks.remove(i);
                        }
                    });
                    selected.set(None);
                };
                let title = move || {
                    lesson.with(|l| l.tasks.get(i).map(|t| t.title().to_string()).unwrap_or_default())
                };
                let header = view! {
                    <div class="task-header">
                        <input
                            data-testid="editor-task-title"
                            prop:value=title
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                lesson.update(|l| if let Some(t) = l.tasks.get_mut(i) { *title_mut(t) = v; });
                            }
                        />
                        <button data-testid="editor-remove-task" on:click=remove>{t("editor-remove-task")}</button>
                    </div>
                };
                let body = match s {
                    TaskShape::Classes { kind, classes } => {
                        let glyphs = classes
                            .into_iter()
                            .enumerate()
                            .map(|(k, (name, refs))| view! {
                                <button
                                    data-testid="editor-glyph"
                                    data-glyph=name.clone()
                                    class:current=move || selected.get() == Some((i, k))
                                    on:click=move |_| selected.set(Some((i, k)))
                                >{format!("{name} ({refs})")}</button>
                                <button
                                    class="remove"
                                    title=t("editor-remove-glyph")
                                    on:click=move |_| {
                                        lesson.update(|l| {
                                            if let Some(c) = l.tasks.get_mut(i).and_then(classes_mut)
                                                && k < c.len()
                                            {
                                                c.remove(k);
                                            }
                                        });
                                        selected.set(None);
                                    }
                                >"×"</button>
                            })
                            .collect_view();
                        let settings = if kind == "editor-kind-practice" {
                            view! {
                                <label>{t("editor-rounds")}" "
                                    <input type="number" min="1" max="100"
                                        prop:value=lesson.with_untracked(|l| match l.tasks.get(i) {
                                            Some(Task::Practice { rounds, .. }) => rounds.to_string(),
                                            _ => String::new(),
                                        })
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev).parse().unwrap_or(0);
                                            lesson.update(|l| if let Some(Task::Practice { rounds, .. }) = l.tasks.get_mut(i) { *rounds = v; });
                                        }/>
                                </label>
                            }
                            .into_any()
                        } else {
                            view! {
                                <label>{t("editor-target")}" "
                                    <select data-testid="editor-target-metric" on:change=move |ev| {
                                        let metric = if event_target_value(&ev) == "macro_f1" { Metric::MacroF1 } else { Metric::Accuracy };
                                        lesson.update(|l| if let Some(Task::Teach { target, .. }) = l.tasks.get_mut(i) { target.metric = metric; });
                                    }>
                                        <option value="accuracy" selected=lesson.with_untracked(|l| matches!(l.tasks.get(i), Some(Task::Teach { target, .. }) if target.metric == Metric::Accuracy))>{t("metric-accuracy")}</option>
                                        <option value="macro_f1" selected=lesson.with_untracked(|l| matches!(l.tasks.get(i), Some(Task::Teach { target, .. }) if target.metric == Metric::MacroF1))>{t("metric-macro-f1")}</option>
                                    </select>
                                    " ≥ "
                                    <input data-testid="editor-target-value" type="number" min="0.1" max="1" step="0.05"
                                        prop:value=lesson.with_untracked(|l| match l.tasks.get(i) {
                                            Some(Task::Teach { target, .. }) => target.value.to_string(),
                                            _ => String::new(),
                                        })
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev).parse().unwrap_or(0.0);
                                            lesson.update(|l| if let Some(Task::Teach { target, .. }) = l.tasks.get_mut(i) { target.value = v; });
                                        }/>
                                </label>
                            }
                            .into_any()
                        };
                        view! {
                            <p class="hint">{t(kind)}</p>
                            <div class="glyphs">{glyphs}</div>
                            {settings}
                        }
                        .into_any()
                    }
                    TaskShape::Quiz(questions) => {
                        let items = questions
                            .into_iter()
                            .enumerate()
                            .map(|(q, summary)| view! {
                                <li data-testid="editor-question">
                                    {summary}" "
                                    <button class="remove" title=t("editor-remove-question") on:click=move |_| {
                                        lesson.update(|l| {
                                            if let Some(Task::Quiz { questions, .. }) = l.tasks.get_mut(i)
                                                && q < questions.len()
                                            {
                                                questions.remove(q);
                                            }
                                        });
                                    }>"×"</button>
                                </li>
                            })
                            .collect_view();
                        view! {
                            <p class="hint">{t("editor-kind-quiz")}</p>
                            <ol>{items}</ol>
                        }
                        .into_any()
                    }
                };
                view! { <div class="editor-task" data-testid="editor-task">{header}{body}</div> }
            })
            .collect_view()
    };
    let mastery_field = move |get: fn(&BktParams) -> f64,
                              set: fn(&mut BktParams, f64),
                              testid: &'static str,
                              label: &'static str| {
        view! {
            <label>{t(label)}" "
                <input
                    data-testid=testid
                    type="number" min="0" max="1" step="0.01"
                    prop:value=lesson.with_untracked(|l| l.mastery.map(|m| get(&m).to_string()).unwrap_or_default())
                    on:input=move |ev| {
                        let v = event_target_value(&ev).parse().unwrap_or(f64::NAN);
                        lesson.update(|l| if let Some(m) = l.mastery.as_mut() { set(m, v); });
                    }
                />
            </label>
        }
    };
    view! {
        <section class="editor" data-testid="editor" data-lesson=move || lesson.with(|l| l.id.clone())>
            <button on:click=move |_| learning.page.set(Page::Home)>{t("lesson-home")}</button>
            <h2>{move || if is_new.get() { tw("editor-new", &[]) } else { tw("editor-editing", &[]) }}</h2>
            <label>{t("editor-title")}" "
                <input data-testid="editor-title" prop:value=field(|l| l.title.clone()) on:input=move |ev| {
                    let v = event_target_value(&ev);
                    let new = is_new.get_untracked();
                    lesson.update(|l| if new { name_new_lesson(l, &v) } else { l.title = v });
                }/>
            </label>
            <label>{t("editor-description")}" "
                <textarea data-testid="editor-description" prop:value=field(|l| l.description.clone()) on:input=edit(|l, v| l.description = v)></textarea>
            </label>
            <label>
                {t("editor-language")}" "
                <select data-testid="editor-language" on:change=edit(|l, v| l.language = v)>
                    {move || {
                        let current = language.get();
                        let mut codes: Vec<String> = crate::i18n::Language::ALL.iter().map(|l| l.code().to_string()).collect();
                        if !codes.contains(&current) {
                            codes.push(current.clone());
                        }
                        codes.into_iter().map(|code| {
                            let name = crate::i18n::Language::from_tag(&code).filter(|l| l.code() == code).map_or(code.clone(), |l| l.native_name().to_string());
                            view! { <option value=code.clone() selected=code == current>{name}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
            <label>{t("editor-concept")}" "
                <input data-testid="editor-concept" placeholder=t("editor-concept-placeholder")
                    prop:value=move || lesson.with(|l| main_concept(l).map(|c| l.concepts[c].name.clone()).unwrap_or_default())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        lesson.update(|l| if let Some(c) = main_concept(l) { l.concepts[c].name = v; });
                    }/>
            </label>
            <fieldset>
                <legend>{t("editor-requires")}</legend>
                {move || other_concepts().into_iter().map(|(id, name)| {
                    let key = id.clone();
                    let checked = lesson.with_untracked(|l| {
                        main_concept(l).is_some_and(|c| l.concepts[c].requires.contains(&id))
                    });
                    view! {
                        <label class="option">
                            <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let key = key.clone();
                                lesson.update(|l| if let Some(c) = main_concept(l) {
                                    let requires = &mut l.concepts[c].requires;
                                    requires.retain(|r| *r != key);
                                    if on { requires.push(key); }
                                });
                            }/>
                            {name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>
                    <label class="option">
                        <input type="checkbox" data-testid="editor-custom-mastery"
                            prop:checked=move || lesson.with(|l| l.mastery.is_some())
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                lesson.update(|l| l.mastery = on.then(BktParams::default));
                            }/>
                        {t("editor-custom-mastery")}
                    </label>
                </legend>
                <p class="hint">{t("editor-mastery-hint")}</p>
                <Show when=move || lesson.with(|l| l.mastery.is_some())>
                    {mastery_field(|m| m.prior, |m, v| m.prior = v, "editor-mastery-prior", "editor-mastery-prior")}
                    {mastery_field(|m| m.learn, |m, v| m.learn = v, "editor-mastery-learn", "editor-mastery-learn")}
                    {mastery_field(|m| m.slip, |m, v| m.slip = v, "editor-mastery-slip", "editor-mastery-slip")}
                    {mastery_field(|m| m.guess, |m, v| m.guess = v, "editor-mastery-guess", "editor-mastery-guess")}
                </Show>
            </fieldset>
            <h3>{t("editor-tasks")}</h3>
            {tasks}
            <div class="editor-add">
                <button data-testid="editor-add-practice" on:click=move |_| lesson.update(|l| l.tasks.push(practice_task(Vec::new())))>{t("editor-add-practice")}</button>
                <button data-testid="editor-add-teach" on:click=add_teach_task>{t("editor-add-teach")}</button>
            </div>
            <h3>{t("editor-glyphs")}</h3>
            <input data-testid="editor-glyph-name" placeholder=t("editor-glyph-name") prop:value=move || glyph_name.get()
                on:input=move |ev| glyph_name.set(event_target_value(&ev))/>
            <button data-testid="editor-add-glyph" on:click=add_glyph>{t("editor-add-glyph")}</button>
            <p class="hint">{t("editor-draw-reference")}</p>
            <DrawingPad strokes testid="editor-canvas"/>
            <button data-testid="editor-add-reference" on:click=add_reference>{t("editor-add-reference")}</button>
            <p class="hint">{t("editor-write-sentence")}</p>
            <input class="sentence-input" data-testid="editor-sentence" prop:value=move || sentence.get()
                on:input=move |ev| sentence.set(event_target_value(&ev))/>
            <button data-testid="editor-add-sentence" on:click=add_sentence>{t("editor-add-sentence")}</button>
            <h3>{t("editor-questions")}</h3>
            <input placeholder=t("editor-question") prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev))/>
            <input placeholder=t("editor-options") prop:value=move || options.get() on:input=move |ev| options.set(event_target_value(&ev))/>
            <input placeholder=t("editor-right-option") prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))/>
            <input placeholder=t("editor-explanation") prop:value=move || explanation.get() on:input=move |ev| explanation.set(event_target_value(&ev))/>
            <button on:click=move |_| add_question(false)>{t("editor-add-choice")}</button>
            <button on:click=move |_| add_question(true)>{t("editor-add-free")}</button>
            <p data-testid="editor-problem" class="status">
                {move || problem.get().unwrap_or_else(|| tw("editor-ready", &[]))}
            </p>
            <div class="editor-actions">
                <button class="primary" data-testid="editor-save" disabled=move || problem.with(Option::is_some)
                    on:click=move |_| { save(); }>{t("editor-save")}</button>
                <button data-testid="editor-preview" disabled=move || problem.with(Option::is_some)
                    on:click=move |_| { if let Some(id) = save() { learning.page.set(Page::Lesson(id)); } }>{t("editor-preview")}</button>
                <button data-testid="editor-export" disabled=move || problem.with(Option::is_some) on:click=export>{t("editor-export")}</button>
            </div>
        </section>
    }
}
