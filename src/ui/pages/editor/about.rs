//! What a lesson is: title (a new lesson's id follows it), description, language, the concept
//! it teaches and the other lessons' concepts it requires.

use leptos::prelude::*;

use super::Draft;
use crate::i18n::Language;
use crate::lesson::Lesson;
use crate::lesson::draft::{main_concept, name_new_lesson};
use crate::ui::i18n::t;
use crate::ui::learning::Learning;

#[component]
pub fn About(learning: Learning) -> impl IntoView {
    let ed = expect_context::<Draft>();
    let lesson = ed.lesson;
    let edit = move |f: fn(&mut Lesson, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            lesson.update(|l| f(l, value));
        }
    };
    let language = Memo::new(move |_| lesson.with(|l| l.language.clone()));
    let own_concepts = Memo::new(move |_| lesson.with(|l| l.teaches.clone()));
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
    let languages = move || {
        let current = language.get();
        let mut codes: Vec<String> = Language::ALL.iter().map(|l| l.code().to_string()).collect();
        if !codes.contains(&current) {
            codes.push(current.clone());
        }
        codes
            .into_iter()
            .map(|code| {
                let name = Language::from_tag(&code)
                    .filter(|l| l.code() == code)
                    .map_or(code.clone(), |l| l.native_name().to_string());
                view! { <option value=code.clone() selected=code == current>{name}</option> }
            })
            .collect_view()
    };
    let requires = move || {
        other_concepts()
            .into_iter()
            .map(|(id, name)| {
                let checked = lesson.with_untracked(|l| {
                    main_concept(l).is_some_and(|c| l.concepts[c].requires.contains(&id))
                });
                view! {
                    <label class="option">
                        <input type="checkbox" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let key = id.clone();
                            lesson.update(|l| if let Some(c) = main_concept(l) {
                                let requires = &mut l.concepts[c].requires;
                                requires.retain(|r| *r != key);
                                if on { requires.push(key); }
                            });
                        }/>
                        {name}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <label>{t("editor-title")}" "
            <input data-testid="editor-title" prop:value=move || lesson.with(|l| l.title.clone()) on:input=move |ev| {
                let v = event_target_value(&ev);
                let new = ed.is_new.get_untracked();
                lesson.update(|l| if new { name_new_lesson(l, &v) } else { l.title = v });
            }/>
        </label>
        <label>{t("editor-description")}" "
            <textarea data-testid="editor-description" prop:value=move || lesson.with(|l| l.description.clone())
                on:input=edit(|l, v| l.description = v)></textarea>
        </label>
        <label>
            {t("editor-language")}" "
            <select data-testid="editor-language" on:change=edit(|l, v| l.language = v)>{languages}</select>
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
            {requires}
        </fieldset>
    }
}
