//! The teacher's lesson editor, for a new lesson or one already on the device (built-in,
//! imported or made here): what the lesson is about (`about`), its own mastery model
//! (`mastery`), its tasks (`task_list`, one `task` each: practice with reference glyphs, teach
//! tasks with a target, quizzes), reference drawings and sentences for the chosen glyph
//! (`references`) and questions (`questions`). The lesson is checked as it changes (the first
//! problem is shown with its path); saving adds it to the device's lessons (an edited lesson
//! keeps its id, so students' progress stays attached), "Preview" saves and opens it as a
//! student sees it, "Export" downloads the lesson pack (one file with its drawings).
//!
//! Every change is a function of `lesson::draft` (pure, tested natively) applied to the one
//! draft in [`Draft`], which the components share through context.

mod about;
mod mastery;
mod questions;
mod references;
mod task;
mod task_list;

use leptos::prelude::*;

use crate::lesson::draft::{self, DefaultTexts};
use crate::lesson::{Lesson, LessonId};
use crate::ui::i18n::{Said, t, text, tw};
use crate::ui::learning::{Learning, Page};

/// The lesson being edited and what the teacher chose in it; shared by the editor's parts.
#[derive(Clone, Copy)]
pub struct Draft {
    pub lesson: RwSignal<Lesson>,
    /// Not saved yet: its id still follows its title.
    pub is_new: RwSignal<bool>,
    /// The task new glyphs and questions go to (see `lesson::draft`): the one the teacher
    /// clicked or added last.
    pub current: RwSignal<Option<usize>>,
    /// The glyph whose references the pad adds to: (task, class).
    pub glyph: RwSignal<Option<(usize, usize)>>,
}

impl Draft {
    /// Change the lesson with one of `lesson::draft`'s functions.
    pub fn change<T>(&self, f: impl FnOnce(&mut Lesson) -> T) -> T {
        self.lesson
            .try_update(f)
            .expect("the draft lives as long as the editor")
    }

    /// Choose glyph `(task, class)`: its task becomes the current one too.
    pub fn choose_glyph(&self, glyph: (usize, usize)) {
        self.glyph.set(Some(glyph));
        self.current.set(Some(glyph.0));
    }

    /// Forget choices that indices may no longer name (after a removal).
    pub fn forget_choices(&self) {
        self.glyph.set(None);
        self.current.set(None);
    }
}

/// The texts new tasks start with, in the UI's language.
pub fn default_texts() -> DefaultTexts {
    DefaultTexts {
        practice_title: text("editor-default-practice-title"),
        practice_instructions: text("editor-default-practice-instructions"),
        teach_title: text("editor-default-teach-title"),
        teach_instructions: text("editor-default-teach-instructions"),
        quiz_title: text("editor-default-quiz-title"),
    }
}

#[component]
pub fn Editor(learning: Learning, editing: Option<LessonId>) -> impl IntoView {
    let existing = editing.and_then(|id| learning.library.with_untracked(|l| l.get(&id).cloned()));
    let is_new = RwSignal::new(existing.is_none());
    let lesson = RwSignal::new(existing.unwrap_or_else(|| {
        let language = crate::ui::i18n::language().get_untracked();
        draft::new_lesson(language.code(), &default_texts())
    }));
    let ed = Draft {
        lesson,
        is_new,
        current: RwSignal::new(None),
        glyph: RwSignal::new(None),
    };
    provide_context(ed);
    let problem = Memo::new(move |_| lesson.with(|l| l.validate().err().map(|e| e.to_string())));
    let save = move || -> Option<LessonId> {
        let id = learning
            .save_lesson(lesson.get_untracked())
            .map_err(|e| learning.ws.status.set(Said::raw(e)))
            .ok()?;
        is_new.set(false);
        Some(id)
    };
    let export = move |_| {
        let lesson = lesson.get_untracked();
        let name = crate::ui::files::file_name(lesson.id.as_str(), "lesson.json");
        if let Err(e) =
            crate::ui::files::download(&name, &crate::lesson::export(&lesson), "application/json")
        {
            learning.ws.status.set(Said::raw(e));
        }
    };
    let add_task = move |make: fn(&Lesson, &DefaultTexts) -> crate::lesson::Task| {
        move |_| {
            let i = ed.change(|l| {
                let task = make(l, &default_texts());
                draft::push_task(l, task)
            });
            ed.current.set(Some(i));
            ed.glyph.set(None);
        }
    };
    let blocked = move || problem.with(Option::is_some);
    view! {
        <section class="editor" data-testid="editor" data-lesson=move || lesson.with(|l| l.id.to_string())>
            <button on:click=move |_| learning.page.set(Page::Home)>{t("lesson-home")}</button>
            <h2>{move || if is_new.get() { tw("editor-new", &[]) } else { tw("editor-editing", &[]) }}</h2>
            <about::About learning/>
            <mastery::Mastery/>
            <h3>{t("editor-tasks")}</h3>
            <p class="hint">{t("editor-tasks-hint")}</p>
            <task_list::TaskList/>
            <div class="editor-add">
                <button data-testid="editor-add-practice" on:click=add_task(|_, texts| draft::practice_task(texts))>{t("editor-add-practice")}</button>
                <button data-testid="editor-add-teach" on:click=add_task(draft::teach_task)>{t("editor-add-teach")}</button>
                <button data-testid="editor-add-quiz" on:click=add_task(|_, texts| draft::quiz_task(texts))>{t("editor-add-quiz")}</button>
            </div>
            <references::References learning/>
            <questions::Questions/>
            <p data-testid="editor-problem" class="status">
                {move || problem.get().unwrap_or_else(|| tw("editor-ready", &[]))}
            </p>
            <div class="editor-actions">
                <button class="primary" data-testid="editor-save" disabled=blocked
                    on:click=move |_| { save(); }>{t("editor-save")}</button>
                <button data-testid="editor-preview" disabled=blocked
                    on:click=move |_| { if let Some(id) = save() { learning.page.set(Page::Lesson(id)); } }>{t("editor-preview")}</button>
                <button data-testid="editor-export" disabled=blocked on:click=export>{t("editor-export")}</button>
            </div>
        </section>
    }
}
