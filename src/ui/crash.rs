//! When the app stops. A panic in wasm32 aborts (the target has no unwinding), so nothing of the
//! app runs after one: the hook logs it and puts a screen over the page, made of plain DOM
//! with a JavaScript reload button (no Rust runs once the module has trapped). It says whether
//! everything the student made is in the store (`saving::anything_waits`).

use wasm_bindgen::prelude::*;

use super::saving::anything_waits;
use crate::i18n::Language;

/// Log panics to the console and show the crash screen.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show();
    }));
}

/// The crash screen, in the page's language (`<html lang>`, set by the app).
fn show() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let language = document
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Language::from_tag(&tag))
        .unwrap_or_default();
    let saved = if anything_waits() {
        "crash-unsaved"
    } else {
        "crash-saved"
    };
    let make = |tag: &str, text: &str| {
        let element = document.create_element(tag).ok()?;
        element.set_text_content(Some(text));
        Some(element)
    };
    let (Some(screen), Some(title), Some(said), Some(reload), Some(body)) = (
        make("div", ""),
        make("h2", &language.text("crash-title")),
        make("p", &language.text(saved)),
        make("button", &language.text("reload")),
        document.body(),
    ) else {
        return;
    };
    let _ = screen.set_attribute("class", "overlay crash");
    let _ = screen.set_attribute("data-testid", "crash");
    let _ = screen.set_attribute("data-saved", &(!anything_waits()).to_string());
    let _ = reload.set_attribute("data-testid", "crash-reload");
    let _ = reload.set_attribute("onclick", "location.reload()");
    let _ = screen.append_child(&title);
    let _ = screen.append_child(&said);
    let _ = screen.append_child(&reload);
    let _ = body.append_child(&screen);
}

/// For the fault suite (`window.wasmBindings.inklingFaultPanic()`): panic as a bug would.
#[wasm_bindgen(js_name = inklingFaultPanic)]
pub fn fault_panic() {
    panic!("a panic made by the fault suite");
}
