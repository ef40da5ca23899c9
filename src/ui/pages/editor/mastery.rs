//! A lesson's own mastery model (BKT parameters), when the defaults do not fit.

use leptos::prelude::*;

use super::Draft;
use crate::knowledge::bkt::BktParams;
use crate::ui::i18n::t;

#[component]
pub fn Mastery() -> impl IntoView {
    let lesson = expect_context::<Draft>().lesson;
    // Number fields are not bound to the lesson (their first value is read when drawn): a
    // half-typed number ("0.") must not be rewritten while the teacher types.
    let field = move |get: fn(&BktParams) -> f64,
                      set: fn(&mut BktParams, f64),
                      id: &'static str| {
        view! {
            <label>{t(id)}" "
                <input
                    data-testid=id
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
                {field(|m| m.prior, |m, v| m.prior = v, "editor-mastery-prior")}
                {field(|m| m.learn, |m, v| m.learn = v, "editor-mastery-learn")}
                {field(|m| m.slip, |m, v| m.slip = v, "editor-mastery-slip")}
                {field(|m| m.guess, |m, v| m.guess = v, "editor-mastery-guess")}
            </Show>
        </fieldset>
    }
}
