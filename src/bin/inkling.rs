//! `inkling`: the native command-line tool (meta-train, eval, bench). Thin: it parses
//! arguments, picks `Device::flex()`, and calls the library.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
