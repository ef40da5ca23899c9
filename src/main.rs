//! The web app's entry point (WebAssembly): the crash screen, mount the app in place of the loading
//! screen, register the service worker (offline use). Nothing else. The same wasm runs in the
//! engine's worker (`public/engine-worker.js`), which starts it through `engine_worker_start`.

#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    /// The constructors the linker gathers (`inventory` registrations, from WebGPU's compiler).
    fn __wasm_call_ctors();
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // Run once, here. A module that never calls this is linked "command-style": the linker
    // then calls it at the start of *every* export, so every call from JavaScript into the
    // wasm (each event handler, each value handed over) ran thousands of constructors, which
    // measured up to 0.9 s per keystroke-driven answer (long tasks of seconds while typing).
    // SAFETY: called once, first, before any code reads what the constructors register.
    unsafe { __wasm_call_ctors() };
    // The engine's worker runs this wasm too: there, `engine_worker_start` does the work.
    if web_sys::window().is_none() {
        return;
    }
    inkling::ui::crash::install();
    let document = leptos::prelude::document();
    if let Some(boot) = document.get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(inkling::ui::App);
    // Without a service worker (an old browser, a non-secure origin) the app still works online.
    if let Some(workers) = inkling::ui::service_workers() {
        let _ = workers.register("sw.js");
    }
}

/// The engine's worker: take the page's requests (called by `public/engine-worker.js`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn engine_worker_start() {
    inkling::ui::start_engine_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Inkling's app runs in the browser: `cargo xtask serve`. The native tool is `inkling`."
    );
    std::process::exit(2);
}
