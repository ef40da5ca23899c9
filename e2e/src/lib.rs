//! What the end-to-end tests in `tests/` share: a static server for the built app (`dist/`),
//! chromedriver, a headless Chromium session (with or without WebGPU), waiting on conditions of
//! the page, real pen trajectories replayed as pen pointer actions, sentences to type, and
//! readers of the page's `data-testid` hooks.
//!
//! Nothing here waits a fixed time to synchronise: every wait polls a condition of the page
//! ([`until`]) and fails, after [`WAIT`], saying what it expected.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, PenActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use inkling::learn::preprocess::{Stroke, parse_omniglot_strokes};

/// Omniglot pen trajectories (a zip), relative to this crate's folder.
pub const STROKES: &str = "../../shared/data/omniglot/strokes_background_small1.zip";
/// Banking77 (`train.csv`, `test.csv`), relative to this crate's folder.
pub const BANKING77: &str = "../../shared/data/banking77";
/// The built app, relative to this crate's folder.
pub const DIST: &str = "../dist";
/// Omniglot characters of a held-out alphabet of the shipped encoder (what students draw).
pub const CHARACTERS: [&str; 5] = [
    "Greek/character01",
    "Greek/character02",
    "Greek/character03",
    "Greek/character04",
    "Greek/character05",
];
/// The project a new student starts with (what a fresh profile holds).
pub const STARTER: &str = "My first model";
/// The classes of [`STARTER`].
pub const STARTER_CLASSES: [&str; 3] = ["circle", "cross", "wave"];
/// How long any one condition of the page is waited for before a test fails.
pub const WAIT: Duration = Duration::from_secs(120);

/// The tests of one test binary share the machine's two cores: each holds this while it runs.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The folder for this test binary's profiles, downloads and screenshots:
/// `<CARGO_TARGET_TMPDIR>/e2e`, created. (A macro: Cargo sets `CARGO_TARGET_TMPDIR` only when
/// it builds a test.)
#[macro_export]
macro_rules! artefacts {
    () => {
        $crate::artefacts_in(env!("CARGO_TARGET_TMPDIR"))
    };
}

/// `<tmp>/e2e`, created (see [`artefacts!`]).
pub fn artefacts_in(tmp: &str) -> PathBuf {
    let dir = PathBuf::from(tmp).join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `parent/name`, emptied (removed and made again): a fresh browser profile or download folder.
pub fn fresh_dir(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The built app (`dist/`); fails saying how to build it when it is missing.
pub fn dist() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIST);
    assert!(
        dist.join("index.html").exists(),
        "{} is missing: `cargo xtask test` builds it with trunk first",
        dist.display()
    );
    dist
}

/// The drawings of one Omniglot character (e.g. `Greek/character01`), one per drawer, in
/// drawer order.
pub fn drawings(character: &str) -> Vec<Vec<Stroke>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(STROKES);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let prefix = format!("strokes_background_small1/{character}/");
    let mut names: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".txt"))
        .map(String::from)
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            let mut text = String::new();
            zip.by_name(n).unwrap().read_to_string(&mut text).unwrap();
            parse_omniglot_strokes(&text).unwrap()
        })
        .collect()
}

/// Banking77 sentences of `intent`: `(training rows, test rows)`.
pub fn banking_sentences(intent: &str) -> (Vec<String>, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(BANKING77);
    (
        labelled_sentences(&dir.join("train.csv"), intent),
        labelled_sentences(&dir.join("test.csv"), intent),
    )
}

/// The sentences labelled `label` in the `text,label` CSV file `path`, in order.
pub fn labelled_sentences(path: &Path, label: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    inkling::learn::text::labelled::read_labelled(&bytes, &path.display().to_string())
        .unwrap()
        .into_iter()
        .filter(|r| r.label == label)
        .map(|r| r.text)
        .collect()
}

/// In a new text project (it has two classes): name three classes as `classes` says (the two
/// renamed, the third added) and teach each its sentences, typed into the teach box one at a
/// time, each waited for until its class counts it.
pub async fn teach_sentences(c: &Client, classes: &[(&str, Vec<String>)]) {
    assert_eq!(classes.len(), 3, "two classes renamed and one added");
    for (k, (name, _)) in classes.iter().enumerate().take(2) {
        let input = c
            .find_all(Locator::Css("[data-testid=class-item] input.name"))
            .await
            .unwrap()
            .remove(k);
        input.clear().await.unwrap();
        input.send_keys(&format!("{name}\u{E007}")).await.unwrap();
    }
    type_into(c, "new-class-name", classes[2].0).await;
    click(c, "add-class").await;
    for (name, sentences) in classes {
        let item = format!("[data-testid=class-item][data-class-name='{name}']");
        until("the class", || async {
            c.find(Locator::Css(&item)).await.ok()
        })
        .await
        .click()
        .await
        .unwrap();
        for (n, sentence) in sentences.iter().enumerate() {
            type_into(c, "text-example", sentence).await;
            click(c, "add-example").await;
            let count = format!("{item} [data-testid=example-count]");
            until("the sentence to be added", || async {
                text_of(c, &count)
                    .await
                    .filter(|t| *t == (n + 1).to_string())
            })
            .await;
        }
    }
}

/// The app's WebAssembly module in [`dist`] (trunk names it by its content hash).
pub fn app_wasm() -> PathBuf {
    std::fs::read_dir(dist())
        .expect("dist/ is built first")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("inkling-app") && n.ends_with("_bg.wasm"))
        })
        .expect("the app's wasm in dist/")
}

/// A minimal static file server for `dir` on a free port (one thread per connection); it runs
/// until the test process ends. Returns the port.
pub fn serve(dir: PathBuf) -> u16 {
    Server::start(dir).port
}

/// A static file server that can be stopped (to check the app works offline): once stopped,
/// its port refuses connections.
pub struct Server {
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Server {
    /// Serve `dir` on a free port.
    pub fn start(dir: PathBuf) -> Server {
        Self::start_with(dir, false)
    }

    /// Serve `dir` on a free port; with `gzip`, JSON files are sent compressed
    /// (`Content-Encoding: gzip`, and a `Content-Length` of the compressed bytes), as many
    /// servers do.
    pub fn start_with(dir: PathBuf, gzip: bool) -> Server {
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let dir = dir.clone();
                        std::thread::spawn(move || respond(stream, &dir, gzip));
                    }
                    // Nothing to accept: look again shortly (and see whether to stop).
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            // The listener is dropped here: the port now refuses connections.
        });
        Server { port, stop }
    }

    /// Stop serving; returns once the port refuses connections.
    pub fn stop(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(started.elapsed() < WAIT, "the server did not stop");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn respond(mut stream: TcpStream, dir: &Path, gzip: bool) {
    let mut request = String::new();
    if BufReader::new(&stream).read_line(&mut request).is_err() {
        return;
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target
        .split('?')
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let file = dir.join(path);
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", Vec::new()),
    };
    let mime = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let (body, encoding) = if gzip && mime == "application/json" && !body.is_empty() {
        let mut packed = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        packed.write_all(&body).unwrap();
        (packed.finish().unwrap(), "Content-Encoding: gzip\r\n")
    } else {
        (body, "")
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// A TCP port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver (`$CHROMEDRIVER`, else `chromedriver` on the PATH), killed when dropped.
pub struct Driver {
    child: Child,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
}

impl Driver {
    /// Start chromedriver on a free port; returns once it accepts connections.
    pub fn start() -> Driver {
        let port = free_port();
        let child = Command::new(std::env::var("CHROMEDRIVER").unwrap_or("chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (cargo xtask test installs it)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < WAIT, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A headless Chromium session (`$CHROMIUM`, else `/usr/bin/chromium`) on the browser profile
/// folder `profile`; with WebGPU on SwiftShader when `webgpu`, else with the GPU off.
pub async fn browser(driver: &Driver, webgpu: bool, profile: &Path) -> Client {
    browser_with_downloads(driver, webgpu, profile, None).await
}

/// [`browser`], saving downloads into `downloads` without asking when it is given.
pub async fn browser_with_downloads(
    driver: &Driver,
    webgpu: bool,
    profile: &Path,
    downloads: Option<&Path>,
) -> Client {
    let mut args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--window-size=1300,950".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    if webgpu {
        args.push("--enable-unsafe-webgpu".into());
        args.push("--use-webgpu-adapter=swiftshader".into());
    } else {
        args.push("--disable-gpu".into());
    }
    let mut options = serde_json::json!({
        "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
        "args": args,
    });
    if let Some(dir) = downloads {
        options["prefs"] = serde_json::json!({
            "download.default_directory": dir.display().to_string(),
            "download.prompt_for_download": false,
        });
    }
    let caps = serde_json::json!({ "goog:chromeOptions": options });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session")
}

/// Poll `check` until it returns Some (a condition on the page, not a fixed delay); fails with
/// "timed out waiting for {what}" after [`WAIT`].
pub async fn until<T, F, Fut>(what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    until_within(WAIT, what, check).await
}

/// [`until`] with its own time limit (for what is known to be slow, like sentences embedded on
/// software WebGPU).
pub async fn until_within<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            started.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The files in `dir` now (to tell a new download from those before it).
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect()
}

/// The file that appears in `dir` and is not in `before`, once fully written (a `.json`
/// download that is not empty).
pub async fn new_download(dir: &Path, before: &[PathBuf]) -> PathBuf {
    until("the download", || async {
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                !before.contains(p)
                    && p.extension().is_some_and(|e| e == "json")
                    && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
            })
    })
    .await
}

/// The attribute `attr` of the first element `css` selects, if both are there.
pub async fn attr_of(c: &Client, css: &str, attr: &str) -> Option<String> {
    c.find(Locator::Css(css))
        .await
        .ok()?
        .attr(attr)
        .await
        .ok()?
}

/// Wait until the attribute `attr` of the first element `css` selects is `want`; `what` says
/// what is waited for.
pub async fn until_attr(c: &Client, what: &str, css: &str, attr: &str, want: &str) {
    until(what, || async {
        attr_of(c, css, attr).await.filter(|value| value == want)
    })
    .await;
}

/// The text of the first element `css` selects, if it is there.
pub async fn text_of(c: &Client, css: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

/// The JS expression `of` of each element `css` selects (the element is `e`), in order, read in
/// one script (the page may draw a list again between WebDriver calls): e.g. `e.value`.
pub async fn each_of(c: &Client, css: &str, of: &str) -> Vec<String> {
    let found = c
        .execute(
            &format!("return [...document.querySelectorAll(arguments[0])].map(e => {of})"),
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    serde_json::from_value(found.clone())
        .unwrap_or_else(|e| panic!("{of} of each of {css}: {e}: {found}"))
}

/// The texts of the elements `css` selects, trimmed, in order, read in one script.
pub async fn texts_of(c: &Client, css: &str) -> Vec<String> {
    each_of(c, css, "e.textContent.trim()").await
}

/// The value of the field with `data-testid=testid`, if it is there.
pub async fn field_value(c: &Client, testid: &str) -> Option<String> {
    c.find(Locator::Css(&format!("[data-testid={testid}]")))
        .await
        .ok()?
        .prop("value")
        .await
        .ok()?
}

/// Replay a drawing on the canvas `testid` as pen pointer actions (one action chain per
/// stroke, so each ends with a pen-up). Omniglot's frame is about 105 units wide with y negated
/// by the parser; it is scaled to the 280 px canvas.
pub async fn draw(c: &Client, testid: &str, drawing: &[Stroke]) {
    let canvas = c
        .find(Locator::Css(&format!("[data-testid={testid}]")))
        .await
        .unwrap();
    let scale = 250.0 / 105.0;
    let offset = |v: f32| ((v as f64 - 52.5) * scale).clamp(-138.0, 138.0);
    for stroke in drawing {
        let mut pen = PenActions::new("pen".into());
        for (i, p) in stroke.iter().enumerate() {
            pen = pen.then(PointerAction::MoveToElement {
                element: canvas.clone(),
                duration: Some(Duration::from_millis(0)),
                x: offset(p.x),
                y: offset(p.y),
            });
            if i == 0 {
                pen = pen.then(PointerAction::Down {
                    button: MOUSE_BUTTON_LEFT,
                });
            }
        }
        pen = pen.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        c.perform_actions(pen).await.unwrap();
    }
}

/// Click the element with `data-testid=testid` (which must be there).
pub async fn click(c: &Client, testid: &str) {
    click_css(c, &format!("[data-testid={testid}]")).await;
}

/// Click the element `css` selects (which must be there).
pub async fn click_css(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Click the `index`-th (from 0) of the elements `css` selects (which must be there).
pub async fn click_nth(c: &Client, css: &str, index: usize) {
    c.find_all(Locator::Css(css))
        .await
        .unwrap()
        .remove(index)
        .click()
        .await
        .unwrap();
}

/// Type `text` into the field with `data-testid=testid` (after what it holds).
pub async fn type_into(c: &Client, testid: &str, text: &str) {
    c.find(Locator::Css(&format!("[data-testid={testid}]")))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Choose the file `path` with the file input `data-testid=testid`, as a student picks a file
/// to import (WebDriver types the path into the input).
pub async fn choose_file(c: &Client, testid: &str, path: &Path) {
    type_into(c, testid, &path.display().to_string()).await;
}

/// The class items of the open project, in order.
pub async fn class_items(c: &Client) -> Vec<Element> {
    c.find_all(Locator::Css("[data-testid=class-item]"))
        .await
        .unwrap()
}

/// Wait until the store is read and the model loaded ("Ready"), then show the projects page.
pub async fn wait_until_ready(c: &Client) {
    until_attr(
        c,
        "the store to be read",
        "[data-testid=project-bar]",
        "data-loaded",
        "true",
    )
    .await;
    // The engine sets `data-ready-ms` when it is ready; the status line may say something
    // else first or after (a text project's sentence model loading, or ready too).
    let ready = until("the model to load", || async {
        if let Some(ms) = attr_of(c, "[data-testid=status]", "data-ready-ms").await {
            return Some(Ok(ms));
        }
        text_of(c, "[data-testid=status]")
            .await
            .filter(|s| s.contains("could not be loaded"))
            .map(Err)
    })
    .await;
    assert!(ready.is_ok(), "the model did not load: {ready:?}");
    click(c, "nav-projects").await;
}

/// The names in the project picker, in order.
pub async fn project_names(c: &Client) -> Vec<String> {
    each_of(c, "[data-testid=project-picker] option", "e.textContent").await
}

/// Wait until the picker lists `n` projects; their names.
pub async fn wait_for_projects(c: &Client, n: usize) -> Vec<String> {
    until(
        &format!("the project list to hold {n} projects"),
        || async { Some(project_names(c).await).filter(|names| names.len() == n) },
    )
    .await
}

/// Once the sentence model is ready: whether it came from the cache ("true") or the network.
pub async fn text_model_from_cache(c: &Client) -> String {
    until("the sentence model", || async {
        attr_of(
            c,
            "[data-testid=text-model][data-ready=true]",
            "data-from-cache",
        )
        .await
    })
    .await
}

/// Reload the page and wait until the store is read and the model loaded.
pub async fn reload(c: &Client) {
    c.refresh().await.unwrap();
    wait_until_ready(c).await;
}

/// The name of the open project (the project bar's name field).
pub async fn shown_project(c: &Client) -> Option<String> {
    field_value(c, "project-name").await
}

/// Wait until the project called `name` is the open one.
pub async fn until_shown(c: &Client, name: &str) {
    until(&format!("the project \"{name}\" to be open"), || async {
        shown_project(c).await.filter(|shown| shown == name)
    })
    .await;
}

/// Open the project called `name` with the picker, as a student does (nothing when it is
/// open already), and wait until it is shown.
pub async fn open_project(c: &Client, name: &str) {
    if shown_project(c).await.as_deref() == Some(name) {
        return;
    }
    // Which option: found in one script (the list may re-render between WebDriver calls).
    let index = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=project-picker] option')].findIndex(o => o.textContent === arguments[0])",
            vec![serde_json::json!(name)],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let Ok(index) = usize::try_from(index) else {
        panic!(
            "no project \"{name}\" on the picker: {:?}",
            project_names(c).await
        );
    };
    click_nth(c, "[data-testid=project-picker] option", index).await;
    until_shown(c, name).await;
}

/// The app served from `dist/` in a fresh browser on the profile folder `profile` (see
/// [`fresh_dir`]), asking for `?backend=<backend>` (with WebGPU on SwiftShader when `webgpu`):
/// ready, on the projects page, running on `backend`, with [`STARTER`] alone and open. The
/// driver must outlive the client.
pub async fn start_app(profile: &Path, backend: &str, webgpu: bool) -> (Driver, Client) {
    let port = serve(dist());
    let driver = Driver::start();
    let c = browser(&driver, webgpu, profile).await;
    c.goto(&format!("http://127.0.0.1:{port}/?backend={backend}"))
        .await
        .unwrap();
    wait_until_ready(&c).await;
    assert_eq!(
        text_of(&c, "[data-testid=backend]").await.as_deref(),
        Some(backend),
        "the app runs on the backend asked for"
    );
    assert_eq!(wait_for_projects(&c, 1).await, [STARTER]);
    until_shown(&c, STARTER).await;
    (driver, c)
}

/// Select the class called `name` of the open project (a click on its name, as the item's
/// centre may hold a button).
pub async fn select_class(c: &Client, name: &str) {
    let css = format!("[data-testid=class-item][data-class-name='{name}'] input.name");
    until(&format!("the class \"{name}\""), || async {
        c.find(Locator::Css(&css)).await.ok()
    })
    .await
    .click()
    .await
    .unwrap();
}

/// Rename the `index`-th class of the open project to `name` as a student does: clear its name
/// field, type the name and Enter. Tried again when the item is drawn anew meanwhile (an
/// example added or embedded replaces the field under the typing).
pub async fn rename_class(c: &Client, index: usize, name: &str) {
    for _attempt in 0..5 {
        let Ok(fields) = c
            .find_all(Locator::Css("[data-testid=class-item] input.name"))
            .await
        else {
            continue;
        };
        let Some(field) = fields.into_iter().nth(index) else {
            panic!("no class number {index} to rename");
        };
        if field.clear().await.is_ok() && field.send_keys(&format!("{name}\u{E007}")).await.is_ok()
        {
            return;
        }
    }
    panic!("the class number {index} could not be renamed to \"{name}\"");
}

/// An example as its class item shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownExample {
    /// `data-example-id`.
    pub id: String,
    /// `data-embedded == "true"`: its embedding is computed.
    pub embedded: bool,
    /// Strokes of a drawing (one polyline each in its thumbnail); 0 for a sentence.
    pub strokes: usize,
    /// The sentence of a text example.
    pub sentence: Option<String>,
}

/// A class as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownClass {
    /// `data-class-name`.
    pub name: String,
    /// The number in its `example-count`.
    pub count: usize,
    /// Its examples (`data-testid=example`), in order.
    pub examples: Vec<ShownExample>,
}

impl ShownClass {
    /// The ids of its examples, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.examples.iter().map(|e| e.id.clone()).collect();
        ids.sort();
        ids
    }

    /// Whether it holds `n` examples (count and items agree), all embedded.
    pub fn holds_embedded(&self, n: usize) -> bool {
        self.count == n && self.examples.len() == n && self.examples.iter().all(|e| e.embedded)
    }
}

/// The classes of the open project as the page shows them, read in one script (the list may
/// re-render between WebDriver calls).
pub async fn classes(c: &Client) -> Vec<ShownClass> {
    let found = c
        .execute(
            r#"return [...document.querySelectorAll('[data-testid=class-item]')].map(li => ({
                name: li.dataset.className,
                count: li.querySelector('[data-testid=example-count]')?.textContent ?? '',
                examples: [...li.querySelectorAll('[data-testid=example]')].map(e => ({
                    id: e.dataset.exampleId ?? '',
                    embedded: e.dataset.embedded === 'true',
                    strokes: e.querySelectorAll('polyline').length,
                    sentence: e.querySelector('[data-testid=sentence]')?.textContent ?? null,
                })),
            }))"#,
            vec![],
        )
        .await
        .unwrap();
    let str_of = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
    found
        .as_array()
        .expect("a list of classes")
        .iter()
        .map(|class| ShownClass {
            name: str_of(class, "name"),
            count: class["count"]
                .as_str()
                .and_then(|t| t.trim().parse().ok())
                .unwrap_or_else(|| panic!("an example count: {class}")),
            examples: class["examples"]
                .as_array()
                .expect("a list of examples")
                .iter()
                .map(|e| ShownExample {
                    id: str_of(e, "id"),
                    embedded: e["embedded"].as_bool() == Some(true),
                    strokes: e["strokes"].as_u64().unwrap_or_default() as usize,
                    sentence: e["sentence"].as_str().map(String::from),
                })
                .collect(),
        })
        .collect()
}

/// The class called `name` of the open project, if it is shown.
pub async fn class_named(c: &Client, name: &str) -> Option<ShownClass> {
    classes(c).await.into_iter().find(|k| k.name == name)
}

/// Whether `shown` has a class called `name` holding `n` examples, all embedded.
pub fn holds(shown: &[ShownClass], name: &str, n: usize) -> bool {
    shown.iter().any(|k| k.name == name && k.holds_embedded(n))
}

/// The names of the classes `shown`, in order.
pub fn class_names(shown: &[ShownClass]) -> Vec<&str> {
    shown.iter().map(|k| k.name.as_str()).collect()
}

/// Embeddings waiting or running, for any project (`data-embedding-queue` of the project bar).
pub async fn embedding_queue(c: &Client) -> Option<usize> {
    attr_of(c, "[data-testid=project-bar]", "data-embedding-queue")
        .await?
        .parse()
        .ok()
}

/// Wait until no embedding is waiting or running and the open project's classes pass `check`;
/// they are returned. `what` says what was expected.
pub async fn settled(
    c: &Client,
    what: &str,
    check: impl Fn(&[ShownClass]) -> bool,
) -> Vec<ShownClass> {
    settled_within(WAIT, c, what, check).await
}

/// [`settled`] with its own time limit.
pub async fn settled_within(
    limit: Duration,
    c: &Client,
    what: &str,
    check: impl Fn(&[ShownClass]) -> bool,
) -> Vec<ShownClass> {
    let what = format!("{what} (and the embedding queue empty)");
    until_within(limit, &what, || async {
        if embedding_queue(c).await != Some(0) {
            return None;
        }
        Some(classes(c).await).filter(|k| check(k))
    })
    .await
}

/// What went wrong, as the page says it: the storage problem, or a status about a damaged
/// project. Empty when nothing did.
pub async fn problems(c: &Client) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(problem) = text_of(c, "[data-testid=storage-problem]").await {
        found.push(problem);
    }
    if let Some(status) = text_of(c, "[data-testid=status]").await
        && status.contains("damaged")
    {
        found.push(status);
    }
    found
}

/// Whether the test pad shows no answer (no `[data-testid=prediction]`).
pub async fn no_prediction(c: &Client) -> bool {
    c.find_all(Locator::Css("[data-testid=prediction]"))
        .await
        .unwrap()
        .is_empty()
}

/// The answer of the test pad, as `[data-testid=prediction]` shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The question it answers (`data-question`).
    pub question: u64,
    /// The class it names (`data-label`).
    pub label: String,
    /// `data-confidence`.
    pub confidence: String,
    /// `data-fine-tuned == "true"`: the improved model answered.
    pub fine_tuned: bool,
    /// `data-latency-ms`.
    pub latency_ms: String,
}

/// The number of the test pad's latest question (`data-asked` of the test panel).
pub async fn asked(c: &Client) -> u64 {
    attr_of(c, "[data-testid=test-panel]", "data-asked")
        .await
        .and_then(|n| n.parse().ok())
        .expect("the test panel's question number ([data-testid=test-panel] data-asked)")
}

/// The answer to what the test pad holds now: read the number of the latest question, then wait
/// for the prediction of that question (or of a later one, should the app ask again itself,
/// as long as it answers the latest).
pub async fn answer_to_latest_question(c: &Client) -> Prediction {
    let question = asked(c).await;
    until(&format!("the answer to question {question}"), || async {
        // In one script: the answer must be that of the latest question at one instant.
        let read = c
            .execute(
                r#"const panel = document.querySelector('[data-testid=test-panel]');
                const p = document.querySelector('[data-testid=prediction]');
                if (!panel || !p) return null;
                return {
                    asked: panel.dataset.asked ?? '',
                    question: p.dataset.question ?? '',
                    label: p.dataset.label ?? '',
                    confidence: p.dataset.confidence ?? '',
                    fineTuned: p.dataset.fineTuned ?? '',
                    latency: p.dataset.latencyMs ?? '',
                };"#,
                vec![],
            )
            .await
            .ok()?;
        let field = |key: &str| read[key].as_str().map(String::from);
        let answered: u64 = field("question")?.parse().ok()?;
        let latest: u64 = field("asked")?.parse().ok()?;
        (answered == latest && answered >= question).then(|| Prediction {
            question: answered,
            label: field("label").unwrap_or_default(),
            confidence: field("confidence").unwrap_or_default(),
            fine_tuned: field("fineTuned").as_deref() == Some("true"),
            latency_ms: field("latency").unwrap_or_default(),
        })
    })
    .await
}

/// Wait until the Learn page is shown with the student's lessons and progress read
/// (`[data-testid=home]` with `data-ready="true"`).
pub async fn wait_for_home(c: &Client) {
    until_attr(
        c,
        "the Learn page, its lessons and progress read",
        "[data-testid=home]",
        "data-ready",
        "true",
    )
    .await;
}

/// The lesson `id`'s entry on the Learn page (CSS).
pub fn lesson_entry(id: &str) -> String {
    format!("[data-testid=lesson][data-lesson={id}]")
}

/// Wait until the lesson view shows the lesson `id`.
pub async fn until_lesson_view(c: &Client, id: &str) {
    until_attr(
        c,
        &format!("the lesson \"{id}\" to be open"),
        "[data-testid=lesson-view]",
        "data-lesson",
        id,
    )
    .await;
}

/// On the Learn page, open the lesson `id` (its "Open" button) and wait for its view.
pub async fn open_lesson_from_home(c: &Client, id: &str) {
    let open = format!("{} button:not([data-testid=edit-lesson])", lesson_entry(id));
    until(
        &format!("the lesson \"{id}\" on the Learn page"),
        || async { c.find(Locator::Css(&open)).await.ok() },
    )
    .await
    .click()
    .await
    .unwrap();
    until_lesson_view(c, id).await;
}

/// Go to the Learn page and open the lesson `id` (its "Open" button); wait for its view.
pub async fn open_lesson(c: &Client, id: &str) {
    click(c, "nav-home").await;
    wait_for_home(c).await;
    open_lesson_from_home(c, id).await;
}

/// Teach the class `name` of the open project with `drawings`, one after another, as a student
/// does (select the class, draw on the teach pad, "Add"); each is waited for in the class.
pub async fn teach(c: &Client, name: &str, drawings: &[Vec<Stroke>]) {
    select_class(c, name).await;
    for (n, drawing) in drawings.iter().enumerate() {
        draw(c, "draw-canvas", drawing).await;
        click(c, "add-example").await;
        until(
            &format!("drawing {} in the class \"{name}\"", n + 1),
            || async { class_named(c, name).await.filter(|k| k.count == n + 1) },
        )
        .await;
    }
}

/// Delete the class `name` of the open project (its delete button, confirmed) and wait until
/// it is gone.
pub async fn delete_class(c: &Client, name: &str) {
    click_css(
        c,
        &format!("[data-testid=class-item][data-class-name='{name}'] button.delete"),
    )
    .await;
    c.accept_alert().await.unwrap();
    until(&format!("the class \"{name}\" to be deleted"), || async {
        let shown = classes(c).await;
        (!shown.is_empty() && shown.iter().all(|k| k.name != name)).then_some(())
    })
    .await;
}

/// Draw `drawing` on the test pad (cleared first, which takes the previous answer away at
/// once) and return the answer to it.
pub async fn test_drawing(c: &Client, drawing: &[Stroke]) -> Prediction {
    click(c, "test-canvas-clear").await;
    assert!(
        no_prediction(c).await,
        "clearing the test pad takes the previous answer away at once"
    );
    draw(c, "test-canvas", drawing).await;
    answer_to_latest_question(c).await
}

/// Type `sentence` into the test box (cleared first) and wait for its answer:
/// `(label, latency in ms)`.
pub async fn classify_sentence(c: &Client, sentence: &str) -> (String, f64) {
    let input = c
        .find(Locator::Css("[data-testid=test-text]"))
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys(sentence).await.unwrap();
    // A click on the box while the sentence is embedded (it changes nothing): what
    // `main_thread_since` measures of how long a student waits for the page.
    input.click().await.unwrap();
    until("the sentence's answer", || async {
        let answered = attr_of(c, "[data-testid=prediction]", "data-text").await?;
        if answered != sentence.trim() {
            return None;
        }
        let label = attr_of(c, "[data-testid=prediction]", "data-label").await?;
        let ms = attr_of(c, "[data-testid=prediction]", "data-latency-ms").await?;
        Some((label, ms.parse().unwrap()))
    })
    .await
}

/// A Chrome DevTools command through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Run the Chrome DevTools command `cmd` with `params` on the page's target (for what
/// WebDriver cannot do: a script before the page's own, network conditions).
pub async fn devtools(c: &Client, cmd: &'static str, params: serde_json::Value) {
    c.issue_cmd(DevTools { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("the DevTools command {cmd}: {e}"));
}

/// How responsive the page's main thread was over a stretch of work (see [`watch_main_thread`]).
#[derive(Debug, Default)]
pub struct MainThread {
    /// Tasks over 50 ms (the Long Tasks API), and the longest of them.
    pub long_tasks: usize,
    pub longest_ms: f64,
    /// For each click since the last look: from the input to its handler running. (Clicks
    /// only: the keys WebDriver types carry timestamps from before the whole text was sent.)
    pub click_delays_ms: Vec<f64>,
}

impl MainThread {
    /// The page stayed responsive (`while`: over what): no task over 200 ms, and every click
    /// handled within 100 ms. (Model work runs in the engine's worker or yields between
    /// steps.)
    pub fn assert_responsive(&self, while_: &str) {
        assert!(
            self.longest_ms <= 200.0,
            "the page's main thread was blocked {while_}: {self}"
        );
        self.assert_clicks_answered(while_);
    }

    /// Every click handled within 100 ms. Alone where the GPU is SwiftShader: it is these same
    /// two CPU cores, so the page's short tasks wait for a core while the GPU computes and the
    /// Long Tasks API counts the wait (measured: a longest task of 97-234 ms in two runs, while
    /// the page's own script ran for 22 ms in all over 11 s).
    pub fn assert_clicks_answered(&self, while_: &str) {
        assert!(
            self.click_delays_ms.iter().all(|&ms| ms <= 100.0),
            "a click waited {while_}: {self}"
        );
    }
}

impl std::fmt::Display for MainThread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut delays = self.click_delays_ms.clone();
        delays.sort_by(f64::total_cmp);
        let median = delays.get(delays.len() / 2).copied().unwrap_or(0.0);
        let longest = delays.last().copied().unwrap_or(0.0);
        write!(
            f,
            "{} long tasks, longest {:.0} ms; {} clicks handled after a median {median:.0} ms, \
             at most {longest:.0} ms",
            self.long_tasks,
            self.longest_ms,
            delays.len()
        )
    }
}

/// Start recording the page's long tasks and how long each click waits for the main thread
/// (kept until [`main_thread_since`] reads them; a navigation starts over).
pub async fn watch_main_thread(c: &Client) {
    c.execute(
        "if (!window.inklingMainThread) {
            const seen = { tasks: [], clicks: [] };
            new PerformanceObserver(list => {
                for (const e of list.getEntries()) seen.tasks.push(e.duration);
            }).observe({ type: 'longtask', buffered: false });
            document.addEventListener('click',
                e => seen.clicks.push(performance.now() - e.timeStamp), true);
            window.inklingMainThread = seen;
        }
        window.inklingMainThread.tasks.length = 0;
        window.inklingMainThread.clicks.length = 0;",
        vec![],
    )
    .await
    .unwrap();
}

/// What [`watch_main_thread`] recorded since it was called (or since the last look).
pub async fn main_thread_since(c: &Client) -> MainThread {
    let seen = c
        .execute(
            "const seen = window.inklingMainThread;
            if (!seen) return null;
            const out = { tasks: seen.tasks.splice(0), clicks: seen.clicks.splice(0) };
            return out;",
            vec![],
        )
        .await
        .unwrap();
    let numbers = |key: &str| -> Vec<f64> {
        seen[key]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default()
    };
    let tasks = numbers("tasks");
    MainThread {
        long_tasks: tasks.len(),
        longest_ms: tasks.iter().copied().fold(0.0, f64::max),
        click_delays_ms: numbers("clicks"),
    }
}
