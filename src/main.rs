//! The web app's entry point (WebAssembly): the crash screen, mount the app in place of the loading
//! screen, register the service worker (offline use). Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
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

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Inkling's app runs in the browser: `cargo xtask serve`. The native tool is `inkling`."
    );
    std::process::exit(2);
}
