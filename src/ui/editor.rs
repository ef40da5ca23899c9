//! The teacher's lesson editor: title, description, language, the concept the lesson teaches
//! and what it requires, and tasks: handwriting practice with reference glyphs drawn on the
//! same pad, a teach task with a target, quiz questions. The draft is checked as it changes
//! (the first problem is shown with its path); saving adds it to the device's lessons,
//! "Preview" opens it as a student sees it, "Export" downloads the lesson pack (one file with
//! its drawings).

use leptos::prelude::*;

use super::drawing_pad::DrawingPad;
use super::learning::{Learning, Page};
use crate::learn::preprocess::Stroke;
use crate::lesson::{
    ConceptDef, FORMAT, Lesson, LessonClass, Metric, Question, Target, Task, VERSION,
};

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

fn blank_lesson() -> Lesson {
    Lesson {
        format: FORMAT.into(),
        version: VERSION,
        id: "my-lesson".into(),
        title: String::new(),
        description: String::new(),
        language: "en".into(),
        concepts: Vec::new(),
        teaches: Vec::new(),
        requires: Vec::new(),
        mastery: None,
        tasks: Vec::new(),
    }
}

/// The editor's draft: what the teacher types, turned into a lesson on every change.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    title: String,
    description: String,
    language: String,
    concept_name: String,
    requires: Vec<String>,
    glyphs: Vec<(String, Vec<Vec<Stroke>>)>,
    rounds: u32,
    teach: bool,
    target: f32,
    questions: Vec<(String, Vec<String>, usize)>,
}

impl Draft {
    fn lesson(&self) -> Lesson {
        let id = slug(&self.title);
        let concept = format!("{id}-skill");
        let mut lesson = blank_lesson();
        lesson.id = id;
        lesson.title = self.title.trim().to_string();
        lesson.description = self.description.trim().to_string();
        lesson.language = self.language.clone();
        lesson.concepts = vec![ConceptDef {
            id: concept.clone(),
            name: if self.concept_name.trim().is_empty() {
                self.title.trim().to_string()
            } else {
                self.concept_name.trim().to_string()
            },
            description: String::new(),
            requires: self.requires.clone(),
        }];
        lesson.teaches = vec![concept];
        let classes: Vec<LessonClass> = self
            .glyphs
            .iter()
            .map(|(name, examples)| LessonClass {
                name: name.clone(),
                examples: examples.clone(),
            })
            .collect();
        if self.teach {
            lesson.tasks.push(Task::Teach {
                title: "Teach your model".into(),
                instructions: "Draw each class a few times, then check your model.".into(),
                concepts: vec![],
                classes: classes
                    .iter()
                    .map(|c| LessonClass {
                        name: c.name.clone(),
                        examples: Vec::new(),
                    })
                    .collect(),
                target: Target {
                    metric: Metric::Accuracy,
                    value: self.target,
                },
            });
        }
        lesson.tasks.push(Task::Practice {
            title: "Write the glyph".into(),
            instructions: "Write the glyph you are asked for.".into(),
            concepts: vec![],
            classes,
            rounds: self.rounds,
        });
        if !self.questions.is_empty() {
            lesson.tasks.push(Task::Quiz {
                title: "Questions".into(),
                concepts: vec![],
                questions: self
                    .questions
                    .iter()
                    .map(|(prompt, options, answer)| Question::Choice {
                        prompt: prompt.clone(),
                        options: options.clone(),
                        answer: *answer,
                        explanation: String::new(),
                    })
                    .collect(),
            });
        }
        lesson
    }
}

#[component]
pub fn Editor(learning: Learning) -> impl IntoView {
    let draft = RwSignal::new(Draft {
        language: "en".into(),
        rounds: 6,
        target: 0.8,
        ..Draft::default()
    });
    let glyph_name = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<usize>);
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let question = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let answer = RwSignal::new(String::from("1"));
    let lesson = Memo::new(move |_| draft.with(Draft::lesson));
    let problem = move || lesson.with(|l| l.validate().err().map(|e| e.to_string()));
    let edit = move |f: fn(&mut Draft, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            draft.update(|d| f(d, value));
        }
    };
    let add_glyph = move |_| {
        let name = glyph_name.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        draft.update(|d| d.glyphs.push((name, Vec::new())));
        selected.set(Some(draft.with_untracked(|d| d.glyphs.len() - 1)));
        glyph_name.set(String::new());
    };
    let add_reference = move |_| {
        let drawing = strokes.get_untracked();
        let Some(k) = selected.get_untracked() else {
            learning.ws.status.set("Choose a glyph first.".into());
            return;
        };
        if drawing.is_empty() {
            return;
        }
        draft.update(|d| d.glyphs[k].1.push(drawing));
        strokes.set(Vec::new());
    };
    let add_question = move |_| {
        let opts: Vec<String> = options
            .get_untracked()
            .split('|')
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        // The teacher counts options from 1.
        let right = answer
            .get_untracked()
            .trim()
            .parse::<usize>()
            .unwrap_or(1)
            .max(1)
            - 1;
        draft.update(|d| d.questions.push((question.get_untracked(), opts, right)));
        question.set(String::new());
        options.set(String::new());
    };
    let save = move || -> Option<String> {
        learning
            .save_lesson(lesson.get_untracked())
            .map_err(|e| learning.ws.status.set(e.to_string()))
            .ok()
    };
    let export = move |_| {
        let lesson = lesson.get_untracked();
        let name = super::files::file_name(&lesson.id, "lesson.json");
        if let Err(e) =
            super::files::download(&name, &crate::lesson::export(&lesson), "application/json")
        {
            learning.ws.status.set(e);
        }
    };
    let concepts = move || {
        learning.library.with(|l| {
            l.graph()
                .concepts()
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="editor" data-testid="editor">
            <button on:click=move |_| learning.page.set(Page::Home)>"← Home"</button>
            <h2>"New lesson"</h2>
            <label>"Title " <input data-testid="editor-title" on:input=edit(|d, v| d.title = v)/></label>
            <label>"Description " <textarea data-testid="editor-description" on:input=edit(|d, v| d.description = v)></textarea></label>
            <label>
                "Language of the lesson "
                <select data-testid="editor-language" on:change=edit(|d, v| d.language = v)>
                    <option value="en">"English"</option>
                    <option value="zh-CN">"简体中文"</option>
                </select>
            </label>
            <label>"What it teaches (concept) " <input data-testid="editor-concept" placeholder="the title" on:input=edit(|d, v| d.concept_name = v)/></label>
            <fieldset>
                <legend>"Students should know first"</legend>
                {move || concepts().into_iter().map(|(id, name)| {
                    let key = id.clone();
                    view! {
                        <label class="option">
                            <input type="checkbox" on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let key = key.clone();
                                draft.update(|d| {
                                    d.requires.retain(|r| *r != key);
                                    if on { d.requires.push(key); }
                                });
                            }/>
                            {name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <h3>"Glyphs to practise"</h3>
            <div class="glyphs">
                {move || draft.with(|d| d.glyphs.iter().enumerate().map(|(k, (name, refs))| view! {
                    <button
                        data-testid="editor-glyph"
                        data-glyph=name.clone()
                        class:current=move || selected.get() == Some(k)
                        on:click=move |_| selected.set(Some(k))
                    >{format!("{name} ({})", refs.len())}</button>
                }).collect_view())}
            </div>
            <input data-testid="editor-glyph-name" placeholder="Glyph name" prop:value=move || glyph_name.get()
                on:input=move |ev| glyph_name.set(event_target_value(&ev))/>
            <button data-testid="editor-add-glyph" on:click=add_glyph>"Add glyph"</button>
            <p class="hint">"Draw a reference for the chosen glyph:"</p>
            <DrawingPad strokes testid="editor-canvas"/>
            <button data-testid="editor-add-reference" on:click=add_reference>"Add reference drawing"</button>
            <label>"Prompts per round " <input type="number" min="1" max="100" prop:value=move || draft.with(|d| d.rounds)
                on:input=edit(|d, v| d.rounds = v.parse().unwrap_or(0))/></label>
            <label class="option">
                <input type="checkbox" data-testid="editor-teach" on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.update(|d| d.teach = on);
                }/>
                "Also a teach task: students train their own model to a target accuracy of "
                <input type="number" min="0.1" max="1" step="0.05" prop:value=move || draft.with(|d| d.target)
                    on:input=edit(|d, v| d.target = v.parse().unwrap_or(0.0))/>
            </label>
            <h3>"Questions"</h3>
            <ol>{move || draft.with(|d| d.questions.iter().map(|(q, o, a)| view! {
                <li>{format!("{q} [{}] (answer {})", o.join(" | "), a + 1)}</li>
            }).collect_view())}</ol>
            <input placeholder="Question" prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev))/>
            <input placeholder="Options, separated by |" prop:value=move || options.get() on:input=move |ev| options.set(event_target_value(&ev))/>
            <input placeholder="Right option (1, 2, ...)" prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))/>
            <button on:click=add_question>"Add question"</button>
            <p data-testid="editor-problem" class="status">
                {move || problem().unwrap_or_else(|| "The lesson is ready.".into())}
            </p>
            <div class="editor-actions">
                <button class="primary" data-testid="editor-save" disabled=move || problem().is_some()
                    on:click=move |_| { save(); }>"Save"</button>
                <button data-testid="editor-preview" disabled=move || problem().is_some()
                    on:click=move |_| { if let Some(id) = save() { learning.page.set(Page::Lesson(id)); } }>"Preview as a student"</button>
                <button data-testid="editor-export" disabled=move || problem().is_some() on:click=export>"Export lesson pack"</button>
            </div>
        </section>
    }
}
