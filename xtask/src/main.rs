//! `cargo xtask <command>`: project automation, so a fresh machine needs nothing but cargo.
//!
//! - `test`: everything CI checks: formatting, clippy (native and wasm32, warnings are errors),
//!   and the native tests (release profile, shared with the CLI build so dependencies compile
//!   once). Installs the wasm32 target with rustup if it is missing.
//! - `meta-train [args]`: `inkling meta-train` in release mode (the command in the model card).
//! - `serve`: the web app arrives with the web-app issue; until then it says so.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("meta-train") => run_cli("meta-train", &args[1..]),
        Some("eval") => run_cli("eval", &args[1..]),
        Some("bench") => run_cli("bench", &args[1..]),
        Some("serve") => {
            Err("the web app is not built yet (issue 3); `cargo xtask test` runs the tests".into())
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <test | meta-train [args] | eval [args] | bench | serve>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn cargo(args: &[&str]) -> Result<(), String> {
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

fn test() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--release",
        "--",
        "-D",
        "warnings",
    ])?;
    // The library and the app also build for the browser, warning-free.
    ensure_wasm_target()?;
    cargo(&[
        "clippy",
        "--package",
        "inkling",
        "--lib",
        "--bins",
        "--release",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace", "--release"])?;
    Ok(())
}

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// `rustup target add` when the wasm target is missing (nothing when it is there).
fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| {
            format!(
                "cannot run rustup ({e}); install the target with `rustup target add {WASM_TARGET}`"
            )
        })?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    eprintln!("$ rustup target add {WASM_TARGET}");
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`rustup target add {WASM_TARGET}` failed ({status})"
        ))
    }
}

fn run_cli(command: &str, rest: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "--release", "--bin", "inkling", "--", command];
    args.extend(rest.iter().map(String::as_str));
    cargo(&args)
}
