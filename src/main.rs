//! The web app's entry point (WebAssembly): panic hook, then mount the app. Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(inkling::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Inkling's app runs in the browser: `cargo xtask serve`. The native tool is `inkling`."
    );
    std::process::exit(2);
}
