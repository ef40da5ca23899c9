//! A practice task: write what is asked, judged by a model of the teacher's references and
//! the student's corrections.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::knowledge::item::ItemId;
use crate::learn::preprocess::Stroke;
use crate::learn::prototypes::{OnlineStrategy, Prototypes};
use crate::lesson::{LessonClass, LessonId, classes_are_text, sentence_model_of};
use crate::ui::components::sentence_box::SentenceBox;
use crate::ui::drawing_pad::DrawingPad;
use crate::ui::i18n::{said, t, tw};
use crate::ui::learning::{Learning, Page};
use crate::ui::models::Models;

/// What the practice model knows: embeddings per glyph, from the teacher's references and
/// the student's corrected drawings.
#[derive(Clone, Default)]
struct GlyphModel {
    examples: Vec<Vec<Vec<f32>>>,
}

impl GlyphModel {
    fn prototypes(&self, names: &[String]) -> Option<Prototypes> {
        let dim = self.examples.iter().flatten().next()?.len();
        let labelled: Vec<(usize, Vec<f32>)> = self
            .examples
            .iter()
            .enumerate()
            .flat_map(|(k, class)| class.iter().map(move |e| (k, e.clone())))
            .collect();
        Prototypes::from_labelled(
            dim,
            OnlineStrategy::Incremental,
            names.iter().cloned(),
            &labelled,
        )
        .ok()
    }
}

/// What the student wrote for the prompt: a drawing, or a sentence in a text task.
#[derive(Clone)]
enum Attempt {
    Drawing(Vec<Stroke>),
    Sentence(String),
}

/// Write the glyph (or, in a text task, a sentence of the class) asked for; due reviews are
/// asked first, then the glyphs in turn.
#[component]
pub fn Practice(
    learning: Learning,
    lesson: LessonId,
    task: usize,
    classes: Vec<LessonClass>,
    instructions: String,
) -> impl IntoView {
    let models = expect_context::<Models>();
    let (engine, text_model) = (models.drawing, models.text);
    let is_text = classes_are_text(&classes);
    let sentence_model = sentence_model_of(&classes);
    let sentence = RwSignal::new(String::new());
    let names: Vec<String> = classes.iter().map(|c| c.name.clone()).collect();
    let model = StoredValue::new(GlyphModel::default());
    let loaded = RwSignal::new(false);
    // How many of the model's examples are the student's own drawings (shown to tests).
    let own_count = RwSignal::new(0usize);
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let asked = RwSignal::new(0usize);
    let judged = RwSignal::new(None::<(bool, usize)>);
    // The shown misjudgement was corrected (once is enough).
    let corrected = RwSignal::new(false);
    let turn = RwSignal::new(0usize);
    // Checks finished, applied or not (shown to tests).
    let checked = RwSignal::new(0usize);
    // Each glyph is a review card.
    let item = {
        let lesson = lesson.clone();
        move |k: usize, names: &[String]| ItemId::practice(&lesson, &names[k])
    };
    // The teacher's references and the student's own corrected drawings (kept from earlier
    // sessions), embedded once the model is ready.
    let references: Vec<Vec<Attempt>> = classes
        .iter()
        .map(|c| {
            c.examples
                .iter()
                .cloned()
                .map(Attempt::Drawing)
                .chain(c.sentences.iter().cloned().map(Attempt::Sentence))
                .collect()
        })
        .collect();
    let own_work: Vec<Vec<Attempt>> = learning.learner.with_untracked(|l| {
        (0..names.len())
            .map(|k| {
                let item = item(k, &names);
                l.handwriting_of(&item)
                    .iter()
                    .cloned()
                    .map(Attempt::Drawing)
                    .chain(l.sentences_of(&item).iter().cloned().map(Attempt::Sentence))
                    .collect()
            })
            .collect()
    });
    // The embedding of an attempt, by the model for its kind (None: not ready, or unreadable).
    let embed = move |attempt: Attempt| async move {
        match attempt {
            Attempt::Drawing(d) => models.embed_drawing(&d).await.ok(),
            Attempt::Sentence(s) => models.embed_sentence(sentence_model, &s).await.ok(),
        }
    };
    Effect::new(move |_| {
        let Some(engine) = engine.get() else {
            return;
        };
        if is_text {
            // Only while the lesson shows: the projects page asks for its project's model.
            if !matches!(learning.page.get(), Page::Lesson(_)) {
                return;
            }
            text_model.ensure(engine.backend, sentence_model);
            if text_model.loaded() != Some(sentence_model) {
                return;
            }
        }
        if loaded.get_untracked() {
            return;
        }
        let references = references.clone();
        let own_work = own_work.clone();
        spawn_local(async move {
            let mut examples = Vec::new();
            let mut own = 0;
            for (theirs, mine) in references.iter().zip(&own_work) {
                let mut class = Vec::new();
                // The teacher's references, then the student's own work.
                let sentences: Vec<&str> = theirs
                    .iter()
                    .chain(mine)
                    .filter_map(|a| match a {
                        Attempt::Sentence(s) => Some(s.as_str()),
                        Attempt::Drawing(_) => None,
                    })
                    .collect();
                if is_text {
                    // A text class's sentences in one forward pass.
                    match models.embed_sentences(sentence_model, &sentences).await {
                        Ok(embedded) => {
                            own += mine.len();
                            class = embedded;
                        }
                        // The model moved to the CPU and loads again there: this Effect runs
                        // again once it has.
                        Err(_) if text_model.loaded_untracked() != Some(sentence_model) => return,
                        Err(_) => {}
                    }
                } else {
                    for (k, attempt) in theirs.iter().chain(mine).enumerate() {
                        if let Some(e) = embed(attempt.clone()).await {
                            class.push(e);
                            own += usize::from(k >= theirs.len());
                        }
                    }
                }
                examples.push(class);
            }
            model.set_value(GlyphModel { examples });
            own_count.set(own);
            loaded.set(true);
        });
    });
    // What the student has written for the prompt, if anything.
    let attempt = move || {
        if is_text {
            let s = sentence.get_untracked().trim().to_string();
            (!s.is_empty()).then_some(Attempt::Sentence(s))
        } else {
            let d = strokes.get_untracked();
            (!d.is_empty()).then_some(Attempt::Drawing(d))
        }
    };
    // Next prompt: a due item of this lesson if any, else the next glyph in turn.
    let next_prompt = {
        let names = names.clone();
        let item = item.clone();
        move || {
            let now = js_sys::Date::now();
            let due = learning.learner.with_untracked(|l| {
                l.due(now)
                    .iter()
                    .find_map(|c| (0..names.len()).find(|&k| item(k, &names).key() == c.item))
            });
            let k = due.unwrap_or_else(|| turn.get_untracked() % names.len());
            turn.update(|t| *t += 1);
            asked.set(k);
            judged.set(None);
            corrected.set(false);
            strokes.set(Vec::new());
            sentence.set(String::new());
        }
    };
    next_prompt();
    // The drawing is judged against the prompt shown when Check was pressed, and the verdict
    // lands only while that prompt is still shown (the student may have pressed Next, or left
    // the lesson, while it was embedded: then it is dropped, and nothing is recorded).
    let check = {
        let names = names.clone();
        let lesson = lesson.clone();
        let item = item.clone();
        move |_| {
            let Some(attempt) = attempt() else {
                return;
            };
            let prompt = turn.get_untracked();
            let k = asked.get_untracked();
            let Some(prototypes) = model.with_value(|m| m.prototypes(&names)) else {
                return;
            };
            let item = item(k, &names);
            let lesson = lesson.clone();
            spawn_local(async move {
                let embedded = embed(attempt).await;
                checked.try_update(|n| *n += 1);
                if turn.try_get_untracked() != Some(prompt) {
                    return;
                }
                let Some(embedding) = embedded else {
                    learning.ws.status.set(said("practice-unreadable"));
                    return;
                };
                let Ok(p) = prototypes.predict(&embedding, 0) else {
                    return;
                };
                let correct = p.best == k;
                judged.set(Some((correct, p.best)));
                learning.record(&lesson, task, &item, correct);
            });
        }
    };
    // "I did write that": the drawing joins the asked glyph's examples (the model learns the
    // student's hand), and is kept with the student's knowledge for the next sessions.
    let correct_me = {
        let names = names.clone();
        let item_of = item.clone();
        move |_| {
            let Some(attempt) = attempt() else {
                return;
            };
            let k = asked.get_untracked();
            let item = item_of(k, &names);
            corrected.set(true);
            spawn_local(async move {
                if let Some(e) = embed(attempt.clone()).await {
                    // The practice view may be gone by now; the correction is kept anyway.
                    model.try_update_value(|m| m.examples[k].push(e));
                    own_count.try_update(|n| *n += 1);
                    match attempt {
                        Attempt::Drawing(d) => learning.add_handwriting(&item, d),
                        Attempt::Sentence(s) => learning.add_sentence(&item, s),
                    }
                    learning.ws.status.set(said("practice-corrected"));
                }
            });
        }
    };
    let names_view = names.clone();
    let names_verdict = names.clone();
    view! {
        <div
            class="practice"
            data-testid="practice"
            data-ready=move || loaded.get().to_string()
            data-own-drawings=move || own_count.get()
            data-checked=move || checked.get()
        >
            <p class="hint">{instructions}</p>
            <p class="prompt">
                {t(if is_text { "practice-write-sentence" } else { "practice-write" })}" "
                <b data-testid="practice-prompt" data-glyph=move || names_view[asked.get()].clone()>
                    {let names = names.clone(); move || names[asked.get()].clone()}
                </b>
            </p>
            {if is_text {
                view! {
                    <SentenceBox value=sentence testid="practice-text"/>
                }.into_any()
            } else {
                view! { <DrawingPad strokes testid="practice-canvas"/> }.into_any()
            }}
            <button class="primary" data-testid="practice-check" disabled=move || !loaded.get() || judged.get().is_some() on:click=check>
                {t("practice-check")}
            </button>
            {move || judged.get().map(|(ok, said)| {
                let said_name = names_verdict[said].clone();
                let said_words = said_name.clone();
                view! {
                    <p data-testid="practice-verdict" data-correct=ok.to_string() data-said=said_name.clone() class:right=ok class:wrong=!ok>
                        {move || if ok { tw("practice-right", &[]) } else { tw("practice-looks-like", &[("glyph", said_words.clone().into())]) }}
                    </p>
                    {(!ok).then(|| view! {
                        <button
                            data-testid="practice-correct-me"
                            disabled=move || corrected.get()
                            on:click=correct_me.clone()
                        >{t("practice-correct-me")}</button>
                    })}
                }
            })}
            <button data-testid="practice-next" on:click=move |_| next_prompt()>{t("practice-next")}</button>
        </div>
    }
}
