//! The fault suite (issue 12): each test provokes one fault in a real browser and checks what
//! survived: the items written before it are all in the store after a reload (lost: 0), and the
//! app is still usable. Each prints one `fault:` line with its figures.
//!
//! - Two tabs of one profile, each adding drawings (one writes at a time; the other says why).
//! - Writes that fail (`globalThis.inklingFailWrites`, the store's test hook, fails them as a
//!   full device does): the work waits, is written again, and the warning stays until it is.
//! - A newer Inkling opening the store in another tab: this one lets go and says why.
//! - The WebGPU device lost after start (the page destroys it): the models move to the CPU and
//!   say so, the drawing is embedded there, the remembered verdict is forgotten.
//! - An update (build B served while A is open): the page says an update is ready, B is cached
//!   whole and A's cache deleted (another app's kept); offline, the app is B, never a mix.
//! - A learner record that cannot be read: kept aside as it was, knowledge rebuilt from the
//!   answer history, the student told.
//! - A learner record the store fails to read (`globalThis.inklingFailReads`, the store's
//!   read hook): never written over; what the student does meanwhile waits and lands on the
//!   record once it is read.
//! - Writes failing while two students answer in turn: each one's knowledge waits, and both
//!   are written once the store takes writes again.
//! - The answer history unread during "Export this student": no file that looks whole but is
//!   not; the next export has everything.
//! - Damaged records among the profiles, projects and lessons: left as they are, named, and
//!   everything else loads.
//! - No service workers (a non-secure origin): the app starts, works and keeps the work.
//! - A panic: the crash screen says the work is saved, and a reload brings it all back.
//! - An engine worker stopping (a panic in it, `globalThis.inklingCrashEngine`) while a
//!   sentence, or a drawing, waits for its embedding: the page starts another, and the
//!   example is embedded and kept.
//! - The sentence model's files: served gzip-compressed (a `Content-Length` that is not the
//!   file's size), and a cached copy damaged (half of it): noticed, fetched again, kept.
//!
//! Nothing sleeps to synchronise: every wait polls the page.

use std::path::Path;

use fantoccini::Client;
use inkling_e2e::{
    Driver, STARTER, Server, artefacts, attr_of, browser, browser_with_downloads, class_named,
    classes, click, devtools, dist, draw, drawings, files_in, fresh_dir, holds, new_download,
    open_lesson, open_project, problems, reload, select_class, serve, settled, start_app, teach,
    test_drawing, text_model_from_cache, text_of, type_into, until, until_shown, wait_for_home,
    wait_for_projects, wait_until_ready,
};

const CIRCLE: &str = "circle";
const CROSS: &str = "cross";
const WAVE: &str = "wave";

/// Whether an element matching `css` is on the page.
async fn shown(c: &Client, css: &str) -> bool {
    attr_of(c, css, "data-testid").await.is_some()
}

/// Wait until `[data-testid=testid]` is on the page (`present`), or gone.
async fn until_present(c: &Client, testid: &str, present: bool, what: &str) {
    let css = format!("[data-testid={testid}]");
    until(what, || async {
        (shown(c, &css).await == present).then_some(())
    })
    .await;
}

/// Wait until this tab may write: no notice of another tab over the app, the store read.
async fn until_writing(c: &Client) {
    until_present(
        c,
        "tab-elsewhere",
        false,
        "this tab to write (no other-tab notice)",
    )
    .await;
    wait_until_ready(c).await;
}

/// Whether the open project's classes hold these numbers of examples, all embedded.
fn counts(shown: &[inkling_e2e::ShownClass], want: &[(&str, usize)]) -> bool {
    want.iter()
        .all(|(name, n)| inkling_e2e::holds(shown, name, *n))
}

/// The first built-in lesson with a quiz, and that task's number.
fn a_quiz() -> (String, usize) {
    inkling::lesson::builtin::builtin_lessons()
        .unwrap()
        .iter()
        .find_map(|lesson| {
            lesson
                .tasks
                .iter()
                .position(|t| matches!(t, inkling::lesson::Task::Quiz { .. }))
                .map(|task| (lesson.id.to_string(), task))
        })
        .expect("a built-in quiz")
}

/// Answer the quiz's current question (its first option, right or not) and wait for the
/// verdict: one outcome for the student's knowledge. Back on the projects page after.
async fn answer_a_quiz_question(c: &Client) {
    let (lesson, task) = a_quiz();
    open_lesson(c, &lesson).await;
    let tabs = c
        .find_all(fantoccini::Locator::Css("[data-testid=task-tab]"))
        .await
        .unwrap();
    tabs[task].click().await.unwrap();
    until("the quiz's options", || async {
        c.find(fantoccini::Locator::Css(
            "[data-testid=quiz-option][data-index='0']",
        ))
        .await
        .ok()
    })
    .await
    .click()
    .await
    .unwrap();
    click(c, "quiz-check").await;
    until("the quiz's verdict", || async {
        attr_of(c, "[data-testid=quiz-verdict]", "data-correct").await
    })
    .await;
    click(c, "nav-projects").await;
}

/// The student's outcomes in the store, in the order written, and their stored mastery.
async fn stored_knowledge(c: &Client) -> (Vec<serde_json::Value>, serde_json::Value) {
    let read = on_store(
        c,
        "const tx = db.transaction(['outcomes', 'learners']);
         const outcomes = await request(tx.objectStore('outcomes').getAll());
         const learners = await request(tx.objectStore('learners').getAll());
         return { outcomes: outcomes.map((o) => o.outcome), learners };",
    )
    .await;
    let outcomes = read["outcomes"].as_array().cloned().unwrap_or_default();
    let mastery = read["learners"][0]["learner"]["mastery"].clone();
    (outcomes, mastery)
}

#[tokio::test]
async fn two_tabs_of_one_profile_keep_every_drawing_each_made() {
    let (_driver, a) = start_app(&fresh_dir(&artefacts!(), "faults-two-tabs"), "cpu", false).await;
    let first = a.window().await.unwrap();
    let url = a.current_url().await.unwrap();
    let character = drawings("Greek/character01");
    teach(&a, CIRCLE, &character[..1]).await;
    answer_a_quiz_question(&a).await;

    // The second tab: another tab writes, so this one says so and offers to take over.
    let second = a.new_window(true).await.unwrap().handle;
    a.switch_to_window(second.clone()).await.unwrap();
    a.goto(url.as_str()).await.unwrap();
    until_present(
        &a,
        "tab-elsewhere",
        true,
        "the second tab to say another tab writes",
    )
    .await;
    click(&a, "tab-use-here").await;
    until_writing(&a).await;
    until_shown(&a, STARTER).await;
    settled(&a, "the first tab's drawing, read from the store", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    teach(&a, CROSS, &character[1..2]).await;
    answer_a_quiz_question(&a).await;

    // Back in the first tab: it stopped when the second took over, and said why.
    a.switch_to_window(first).await.unwrap();
    until_present(
        &a,
        "tab-elsewhere",
        true,
        "the first tab to say another tab writes now",
    )
    .await;
    click(&a, "tab-use-here").await;
    until_writing(&a).await;
    settled(&a, "both drawings, read again from the store", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1)])
    })
    .await;
    teach(&a, WAVE, &character[2..3]).await;

    // The second tab gave up writing; after a reload everything each tab made is there.
    reload(&a).await;
    until_shown(&a, STARTER).await;
    settled(&a, "every drawing after a reload", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1), (WAVE, 1)])
    })
    .await;
    // Each tab's answer is in the history, and the stored mastery is where the later one
    // left it (the second tab read the first's knowledge before it answered).
    let (outcomes, mastery) = stored_knowledge(&a).await;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    for (concept, before, after) in outcomes[1]["mastery"].as_array().unwrap().iter().map(|m| {
        (
            m[0].as_str().unwrap(),
            m[1].as_f64().unwrap(),
            m[2].as_f64().unwrap(),
        )
    }) {
        assert_eq!(
            mastery[concept].as_f64(),
            Some(after),
            "{concept}: {mastery}"
        );
        let first = outcomes[0]["mastery"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m[0] == concept)
            .and_then(|m| m[2].as_f64());
        assert_eq!(
            first,
            Some(before),
            "{concept} went on from the first answer"
        );
    }
    assert!(problems(&a).await.is_empty(), "{:?}", problems(&a).await);
    println!(
        "fault: two tabs; items written 3 drawings + 2 answers; found after reload 3 + 2; \
         lost 0; mastery as the answers left it; usable yes"
    );
}

#[tokio::test]
async fn a_failed_write_waits_is_written_again_and_the_warning_stays_until_it_is() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-failed-write"),
        "cpu",
        false,
    )
    .await;
    let character = drawings("Greek/character02");
    // The next three writes fail: the drawing's, then the first two tries again.
    c.execute("globalThis.inklingFailWrites = 3;", vec![])
        .await
        .unwrap();
    teach(&c, CIRCLE, &character[..1]).await;
    until_present(
        &c,
        "storage-problem",
        true,
        "the warning that saving failed",
    )
    .await;
    // Leaving now would lose it: the page asks first.
    let asks = c
        .execute(
            "const e = new Event('beforeunload', {cancelable: true}); \
             window.dispatchEvent(e); return e.defaultPrevented;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        asks,
        serde_json::json!(true),
        "leaving asks first while work waits"
    );
    // Written again with no further edit; the warning goes once it is.
    until(
        "the drawing to be written again and the warning gone",
        || async {
            let left = c
                .execute("return globalThis.inklingFailWrites;", vec![])
                .await
                .ok()?;
            (left == serde_json::json!(0) && !shown(&c, "[data-testid=storage-problem]").await)
                .then_some(())
        },
    )
    .await;
    reload(&c).await;
    until_shown(&c, STARTER).await;
    settled(&c, "the drawing whose first write failed", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    println!(
        "fault: failed writes (3 in a row); items written 1; items found after reload 1; lost 0; usable yes"
    );
}

/// A project left before its failed write was written again: shown as it was left when the
/// student comes back (not as the store has it), and written once writes work again.
#[tokio::test]
async fn a_project_left_while_its_write_failed_comes_back_as_it_was_left() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-left-unsaved"),
        "cpu",
        false,
    )
    .await;
    let character = drawings("Greek/character05");
    click(&c, "new-project").await;
    wait_for_projects(&c, 2).await;
    until_shown(&c, "Project 1").await;
    open_project(&c, STARTER).await;
    // Every write fails from now on, until the test lets them through.
    c.execute("globalThis.inklingFailWrites = 1e9;", vec![])
        .await
        .unwrap();
    teach(&c, CIRCLE, &character[..1]).await;
    until_present(
        &c,
        "storage-problem",
        true,
        "the warning that saving failed",
    )
    .await;
    open_project(&c, "Project 1").await;
    open_project(&c, STARTER).await;
    settled(
        &c,
        "the drawing not yet written, shown as it was left",
        |k| counts(k, &[(CIRCLE, 1)]),
    )
    .await;
    c.execute("globalThis.inklingFailWrites = 0;", vec![])
        .await
        .unwrap();
    until_present(
        &c,
        "storage-problem",
        false,
        "the drawing to be written and the warning gone",
    )
    .await;
    reload(&c).await;
    open_project(&c, STARTER).await;
    settled(&c, "the drawing after a reload", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    println!(
        "fault: failed writes while switching projects; items written 1; items found after reload 1; lost 0; usable yes"
    );
}

#[tokio::test]
async fn a_newer_version_in_another_tab_takes_the_store_and_this_one_says_why() {
    let (_driver, c) = start_app(&fresh_dir(&artefacts!(), "faults-upgrade"), "cpu", false).await;
    let character = drawings("Greek/character03");
    teach(&c, CIRCLE, &character[..1]).await;
    // What a newer release does when it opens: the store at a higher version. Not blocked:
    // this page lets go at once.
    let opened = c
        .execute_async(
            r#"const done = arguments[0];
               const request = indexedDB.open('inkling', 1000);
               request.onsuccess = () => { request.result.close(); done('opened'); };
               request.onblocked = () => done('blocked');
               request.onerror = () => done('error ' + request.error);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(opened, serde_json::json!("opened"));
    until_present(
        &c,
        "store-upgraded",
        true,
        "this page to say a newer Inkling took over",
    )
    .await;
    println!("fault: newer version in another tab; upgrade not blocked; old tab says why");
}

/// Every WebGPU device the page makes, kept where the test can reach it (`inklingGpuDevices`),
/// before the app's own scripts run.
const KEEP_GPU_DEVICES: &str = r#"
globalThis.inklingGpuDevices = [];
if (globalThis.GPUAdapter) {
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    globalThis.inklingGpuDevices.push(device);
    return device;
  };
}
"#;

/// Where the app remembers its measured backend (`src/ui/engine.rs`).
const CALIBRATION_KEY: &str = "inkling.backend-calibration";

#[tokio::test]
async fn a_gpu_lost_after_start_moves_the_models_to_the_cpu_and_nothing_is_lost() {
    let port = serve(dist());
    let driver = Driver::start();
    let c = browser(&driver, true, &fresh_dir(&artefacts!(), "faults-gpu-lost")).await;
    devtools(
        &c,
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": KEEP_GPU_DEVICES }),
    )
    .await;
    // An earlier visit measured WebGPU as the faster: this start believes it (`auto`).
    let url = format!("http://127.0.0.1:{port}/?backend=auto");
    c.goto(&url).await.unwrap();
    wait_until_ready(&c).await;
    c.execute(
        &format!(
            "localStorage.setItem('{CALIBRATION_KEY}', \
             'webgpu: 1 ms on WebGPU vs 9 ms on the CPU for 8 drawings');"
        ),
        vec![],
    )
    .await
    .unwrap();
    c.goto(&url).await.unwrap();
    wait_until_ready(&c).await;
    until_shown(&c, STARTER).await;
    assert_eq!(
        text_of(&c, "[data-testid=backend]").await.as_deref(),
        Some("webgpu"),
        "the remembered verdict chose WebGPU"
    );
    let character = drawings("Greek/character05");
    teach(&c, CIRCLE, &character[..1]).await;
    settled(&c, "a drawing embedded on WebGPU", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;

    // The GPU goes away (a driver reset, an unplugged eGPU): every device the page and its
    // engine's workers have is lost.
    let destroyed = c
        .execute(
            "globalThis.inklingGpuDevices.forEach((d) => d.destroy()); \
             const workers = globalThis.inklingEngineWorkers ?? []; \
             workers.forEach((w) => w.postMessage('destroyGpuDevices')); \
             return workers.length;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        destroyed.as_u64().unwrap_or(0) >= 1,
        "the drawing engine's worker, with its WebGPU device"
    );
    teach(&c, CROSS, &character[1..2]).await;
    settled(
        &c,
        "the drawing after the loss, embedded (on the CPU)",
        |k| counts(k, &[(CIRCLE, 1), (CROSS, 1)]),
    )
    .await;
    assert_eq!(
        text_of(&c, "[data-testid=backend]").await.as_deref(),
        Some("cpu"),
        "the engine moved to the CPU"
    );
    let remembered = c
        .execute(
            &format!("return localStorage.getItem('{CALIBRATION_KEY}');"),
            vec![],
        )
        .await
        .unwrap();
    assert!(
        remembered.is_null(),
        "the verdict is forgotten: {remembered}"
    );
    // Predictions go on, on the CPU.
    let answer = test_drawing(&c, &character[2]).await;
    assert!(!answer.label.is_empty(), "{answer:?}");
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);

    // Nothing lost: both drawings are in the store after a reload (which measures again).
    reload(&c).await;
    until_shown(&c, STARTER).await;
    settled(&c, "both drawings after a reload", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1)])
    })
    .await;
    println!(
        "fault: WebGPU device destroyed after start; items written 2; items found after reload 2; \
         lost 0; usable yes (moved to the CPU, answered: {})",
        answer.label
    );
}

/// The files of a release, copied from `from` into `to` (its files replaced): the page, its
/// content-named files, the service worker. Not the sentence model's folder (not needed here).
fn copy_release(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(to).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::remove_file(path).unwrap();
        }
    }
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// Make the release in `dir` a new one, B, as a new build would be: the app's script and module
/// under new names, the page marked `inkling-build=B`, and the service worker named for it by
/// the same post-build hook trunk runs.
fn make_release_b(dir: &Path) {
    let mut page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if let Some(rest) = name.strip_prefix("inkling-app-") {
            std::fs::rename(&path, dir.join(format!("inkling-app-b-{rest}"))).unwrap();
        }
    }
    page = page.replace("inkling-app-", "inkling-app-b-").replacen(
        "<head>",
        "<head>\n  <meta name=\"inkling-build\" content=\"B\">",
        1,
    );
    std::fs::write(dir.join("index.html"), page).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(repo.join("public/sw.js"), dir.join("sw.js")).unwrap();
    let named = std::process::Command::new("sh")
        .arg("public/sw-release.sh")
        .current_dir(&repo)
        .env("TRUNK_STAGING_DIR", dir)
        .status()
        .unwrap();
    assert!(named.success(), "the post-build hook names release B");
}

/// The page's build: "B" when it is release B's page, else "A".
async fn build_of(c: &Client) -> Option<String> {
    c.execute(
        "const m = document.querySelector('meta[name=inkling-build]'); return m ? m.content : 'A';",
        vec![],
    )
    .await
    .ok()?
    .as_str()
    .map(String::from)
}

/// The names of the origin's caches, sorted.
async fn cache_names(c: &Client) -> Vec<String> {
    let names = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; caches.keys().then(done);",
            vec![],
        )
        .await
        .unwrap();
    let mut names: Vec<String> = serde_json::from_value(names).unwrap();
    names.sort();
    names
}

/// Inkling's release caches (`inkling-shell-<release>`).
async fn release_caches(c: &Client) -> Vec<String> {
    cache_names(c)
        .await
        .into_iter()
        .filter(|n| n.starts_with("inkling-shell-"))
        .collect()
}

#[tokio::test]
async fn an_update_is_taken_whole_and_offline_the_app_is_one_release_never_a_mix() {
    let artefacts = artefacts!();
    let site = fresh_dir(&artefacts, "faults-update-site");
    copy_release(&dist(), &site);
    let server = Server::start(site.clone());
    let driver = Driver::start();
    let c = browser(&driver, false, &fresh_dir(&artefacts, "faults-update")).await;
    c.goto(&format!("http://127.0.0.1:{}/?backend=cpu", server.port))
        .await
        .unwrap();
    wait_until_ready(&c).await;
    until_shown(&c, STARTER).await;
    let character = drawings("Greek/character06");
    teach(&c, CIRCLE, &character[..1]).await;
    let release_a = until("release A cached whole, its worker in control", || async {
        let controlled = c
            .execute("return !!navigator.serviceWorker.controller", vec![])
            .await
            .ok()?
            .as_bool()?;
        let releases = release_caches(&c).await;
        (controlled && releases.len() == 1).then(|| releases[0].clone())
    })
    .await;
    // Another app's cache on this host, and Inkling's from before releases had names.
    c.execute_async(
        "const done = arguments[arguments.length - 1]; \
         Promise.all([caches.open('another-app'), caches.open('inkling-v1')]).then(() => done(true));",
        vec![],
    )
    .await
    .unwrap();

    // Build B replaces A on the server; the open page (A) hears of it and says so.
    let b = fresh_dir(&artefacts, "faults-update-b");
    copy_release(&site, &b);
    make_release_b(&b);
    copy_release(&b, &site);
    c.execute_async(
        "const done = arguments[arguments.length - 1]; \
         navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => done(true));",
        vec![],
    )
    .await
    .unwrap();
    until_present(
        &c,
        "update-ready",
        true,
        "the notice that an update is ready",
    )
    .await;
    assert_eq!(
        build_of(&c).await.as_deref(),
        Some("A"),
        "the page is A until it reloads"
    );
    let caches = cache_names(&c).await;
    let releases = release_caches(&c).await;
    assert!(
        releases.len() == 1 && releases[0] != release_a,
        "release B alone is cached, A's cache deleted: {caches:?}"
    );
    assert!(
        caches.iter().any(|n| n == "another-app"),
        "another app's cache is kept: {caches:?}"
    );
    assert!(
        !caches.iter().any(|n| n == "inkling-v1"),
        "the old unnamed cache is gone: {caches:?}"
    );

    click(&c, "update-reload").await;
    until("release B's page", || async {
        (build_of(&c).await.as_deref() == Some("B")).then_some(())
    })
    .await;
    wait_until_ready(&c).await;
    until_present(
        &c,
        "update-ready",
        false,
        "no update notice on the new release",
    )
    .await;

    // Offline: release B, whole (its page, and its script and module, not A's).
    server.stop();
    reload(&c).await;
    assert_eq!(build_of(&c).await.as_deref(), Some("B"));
    let loaded = c
        .execute(
            "return performance.getEntriesByType('resource').map((e) => e.name)\
             .filter((n) => n.includes('inkling-app'));",
            vec![],
        )
        .await
        .unwrap();
    let loaded: Vec<String> = serde_json::from_value(loaded).unwrap();
    assert!(
        !loaded.is_empty() && loaded.iter().all(|n| n.contains("inkling-app-b-")),
        "offline, every file of the app is release B's: {loaded:?}"
    );
    until_shown(&c, STARTER).await;
    settled(&c, "the drawing made on release A", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);
    println!(
        "fault: app updated A -> B while open, then offline; items written 1; items found after \
         reload 1; lost 0; usable yes (offline: release B whole, {} files of the app)",
        loaded.len()
    );
}

/// Run `body` (a JS function body of `db`, returning a value or a promise) on the app's
/// IndexedDB database as it is (never created or upgraded); its value, or null.
async fn on_store(c: &Client, body: &str) -> serde_json::Value {
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        const open = indexedDB.open('inkling');
        open.onupgradeneeded = () => open.transaction.abort();
        open.onerror = () => done(null);
        open.onsuccess = async () => {{
            const db = open.result;
            const request = (r) => new Promise((ok, fail) => {{
                r.onsuccess = () => ok(r.result);
                r.onerror = () => fail(r.error);
            }});
            try {{
                const value = await (async () => {{ {body} }})();
                db.close();
                done(value === undefined ? null : value);
            }} catch (e) {{
                db.close();
                done(null);
            }}
        }};"#
    );
    c.execute_async(&script, vec![]).await.unwrap()
}

#[tokio::test]
async fn an_unreadable_learner_record_is_set_aside_and_rebuilt_from_the_history() {
    let (_driver, c) = start_app(&fresh_dir(&artefacts!(), "faults-learner"), "cpu", false).await;
    // The student's record damaged (or written by a newer Inkling), beside one answer in
    // their history.
    let written = on_store(
        &c,
        r#"const profiles = await request(db.transaction('profiles').objectStore('profiles').getAll());
        const profile = profiles[0].id;
        const tx = db.transaction(['learners', 'outcomes'], 'readwrite');
        tx.objectStore('learners').put({ profile, learner: { mastery: 'damaged' } });
        tx.objectStore('outcomes').add({ profile, outcome: {
            lesson: 'greek-letters', task: 0, item: 'greek-letters/alpha α', correct: true,
            at_ms: 1000, mastery: [['greek-letters', 0.3, 0.62]] } });
        await new Promise((ok) => { tx.oncomplete = ok; });
        return profile;"#,
    )
    .await;
    let profile = written
        .as_str()
        .expect("the damaged record written")
        .to_string();

    reload(&c).await;
    let kept = until("the damaged record set aside", || async {
        let kept = on_store(
            &c,
            "const all = await request(db.transaction('settings').objectStore('settings').getAll());
             return all.filter((s) => s.key.startsWith('set-aside/learners/'));",
        )
        .await;
        kept.as_array().filter(|k| !k.is_empty()).cloned()
    })
    .await;
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        kept[0]["key"].as_str().unwrap().contains(&profile)
            && kept[0]["value"].as_str().unwrap().contains("damaged"),
        "the record is kept as it was: {kept:?}"
    );
    let notice = text_of(&c, "[data-testid=learner-notice]")
        .await
        .unwrap_or_default();
    assert!(
        notice.contains("kept aside") && notice.contains("1 answers"),
        "the student is told: {notice}"
    );
    // The app goes on: the next answer writes a readable record, rebuilt from the history.
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);
    println!(
        "fault: unreadable learner record; items before 1 record + 1 answer; set aside 1, \
         rebuilt from 1 answer; lost 0; usable yes"
    );
}

#[tokio::test]
async fn damaged_records_are_left_as_they_are_and_the_rest_loads() {
    let (_driver, c) = start_app(&fresh_dir(&artefacts!(), "faults-damaged"), "cpu", false).await;
    let character = drawings("Greek/character07");
    teach(&c, CIRCLE, &character[..1]).await;
    settled(&c, "a drawing", |k| counts(k, &[(CIRCLE, 1)])).await;
    // One record in each list the app reads at start, damaged (or from a newer Inkling).
    let written = on_store(
        &c,
        r#"const profiles = await request(db.transaction('profiles').objectStore('profiles').getAll());
        const profile = profiles[0].id;
        const tx = db.transaction(['profiles', 'projects', 'lessons'], 'readwrite');
        tx.objectStore('profiles').put({ id: 'zz-damaged-profile', name: ['not', 'a', 'name'] });
        tx.objectStore('projects').put({ id: 'zz-damaged-project', profile, name: 42 });
        tx.objectStore('lessons').put({ id: 'zz-damaged-lesson', file: 7 });
        await new Promise((ok) => { tx.oncomplete = ok; });
        return profile;"#,
    )
    .await;
    assert!(written.is_string(), "the damaged records written");

    reload(&c).await;
    until_shown(&c, STARTER).await;
    settled(&c, "the drawing, read past the damaged records", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    assert_eq!(wait_for_projects(&c, 1).await, [STARTER]);
    let notice = until("the notice naming what could not be read", || async {
        text_of(&c, "[data-testid=unreadable-notice]").await
    })
    .await;
    for key in [
        "zz-damaged-profile",
        "zz-damaged-project",
        "zz-damaged-lesson",
    ] {
        assert!(notice.contains(key), "{key} named: {notice}");
    }
    let kept = on_store(
        &c,
        "const tx = db.transaction(['profiles', 'projects', 'lessons']);
         return [await request(tx.objectStore('profiles').get('zz-damaged-profile')),
                 await request(tx.objectStore('projects').get('zz-damaged-project')),
                 await request(tx.objectStore('lessons').get('zz-damaged-lesson'))]
             .filter((r) => r !== undefined).length;",
    )
    .await;
    assert_eq!(kept.as_u64(), Some(3), "each is left as it was");
    draw(&c, "draw-canvas", &character[1]).await;
    click(&c, "add-example").await;
    settled(&c, "a drawing added after", |k| counts(k, &[(CIRCLE, 2)])).await;
    println!(
        "fault: damaged profile, project and lesson records; items before 1 drawing; found \
         after reload 1; damaged records left as they were 3, named; lost 0; usable yes"
    );
}

#[tokio::test]
async fn without_service_workers_the_app_starts_and_keeps_work() {
    let port = serve(dist());
    let driver = Driver::start();
    let c = browser(&driver, false, &fresh_dir(&artefacts!(), "faults-no-sw")).await;
    // As on a non-secure origin (a LAN address over http): no `navigator.serviceWorker`.
    devtools(
        &c,
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({
            "source": "Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined });"
        }),
    )
    .await;
    c.goto(&format!("http://127.0.0.1:{port}/?backend=cpu"))
        .await
        .unwrap();
    wait_until_ready(&c).await;
    until_shown(&c, STARTER).await;
    let character = drawings("Greek/character08");
    teach(&c, CIRCLE, &character[..1]).await;
    reload(&c).await;
    until_shown(&c, STARTER).await;
    settled(&c, "the drawing after a reload", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);
    println!(
        "fault: no service workers (a non-secure origin); items written 1; items found after \
         reload 1; lost 0; usable yes"
    );
}

#[tokio::test]
async fn a_panic_shows_the_crash_screen_and_a_reload_brings_the_work_back() {
    let (_driver, c) = start_app(&fresh_dir(&artefacts!(), "faults-panic"), "cpu", false).await;
    let character = drawings("Greek/character04");
    teach(&c, CIRCLE, &character[..2]).await;
    settled(&c, "two drawings", |k| counts(k, &[(CIRCLE, 2)])).await;
    // A bug panics: the module traps, the call throws.
    let _ = c
        .execute("window.wasmBindings.inklingFaultPanic();", vec![])
        .await;
    until("the crash screen", || async {
        attr_of(&c, "[data-testid=crash]", "data-saved").await
    })
    .await;
    assert_eq!(
        attr_of(&c, "[data-testid=crash]", "data-saved")
            .await
            .as_deref(),
        Some("true"),
        "nothing waited to be written"
    );
    click(&c, "crash-reload").await;
    wait_until_ready(&c).await;
    until_shown(&c, STARTER).await;
    settled(&c, "the drawings made before the crash", |k| {
        counts(k, &[(CIRCLE, 2)])
    })
    .await;
    assert!(class_named(&c, CIRCLE).await.is_some());
    draw(&c, "draw-canvas", &character[2]).await;
    click(&c, "add-example").await;
    settled(&c, "a drawing added after the reload", |k| {
        counts(k, &[(CIRCLE, 3)])
    })
    .await;
    println!("fault: panic; items written 2; items found after reload 2; lost 0; usable yes");
}

#[tokio::test]
async fn a_damaged_cached_model_file_is_noticed_and_fetched_again_from_a_gzip_server() {
    let server = Server::start_with(dist(), true);
    let driver = Driver::start();
    let c = browser(
        &driver,
        false,
        &fresh_dir(&artefacts!(), "faults-model-files"),
    )
    .await;
    c.goto(&format!("http://127.0.0.1:{}/?backend=cpu", server.port))
        .await
        .unwrap();
    wait_until_ready(&c).await;
    click(&c, "new-text-project").await;
    assert_eq!(
        text_model_from_cache(&c).await,
        "false",
        "downloaded, its tokenizer gzip-compressed"
    );
    // Half of the cached tokenizer, as a full disk or an interrupted write leaves it.
    let kept = c
        .execute_async(
            r#"const done = arguments[0];
               const url = new URL('text-model/tokenizer.json', location.href).href;
               caches.open('inkling-text-model-all-MiniLM-L6-v2-f16').then(async (cache) => {
                 const whole = await (await cache.match(url)).arrayBuffer();
                 await cache.put(url, new Response(whole.slice(0, whole.byteLength / 2)));
                 done(whole.byteLength);
               });"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(kept.as_u64().unwrap() > 100_000, "{kept}");
    reload(&c).await;
    assert_eq!(
        text_model_from_cache(&c).await,
        "false",
        "the damaged tokenizer is fetched again"
    );
    reload(&c).await;
    assert_eq!(
        text_model_from_cache(&c).await,
        "true",
        "the copy fetched again is kept"
    );
    println!(
        "fault: damaged cached model file (and gzip answers); noticed, fetched again; usable yes"
    );
}

/// The stored learner record of `profile` (null when there is none).
async fn stored_learner(c: &Client, profile: &str) -> serde_json::Value {
    on_store(
        c,
        &format!(
            "return await request(db.transaction('learners').objectStore('learners').get('{profile}'));"
        ),
    )
    .await
}

#[tokio::test]
async fn a_learner_record_that_could_not_be_read_is_never_written_over() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-learner-read"),
        "cpu",
        false,
    )
    .await;
    // The student's record, with a corrected drawing (which the answer history does not
    // hold), beside one answer.
    let written = on_store(
        &c,
        r#"const profiles = await request(db.transaction('profiles').objectStore('profiles').getAll());
        const profile = profiles[0].id;
        const tx = db.transaction(['learners', 'outcomes'], 'readwrite');
        tx.objectStore('learners').put({ profile, learner: {
            mastery: { 'greek-letters': 0.62 }, cards: [],
            handwriting: { 'greek-letters/alpha α': [[[{ x: 1, y: 2, t: 0 }, { x: 9, y: 9, t: 16 }]]] } } });
        tx.objectStore('outcomes').add({ profile, outcome: {
            lesson: 'greek-letters', task: 0, item: 'greek-letters/alpha α', correct: true,
            at_ms: 1000, mastery: [['greek-letters', 0.3, 0.62]] } });
        await new Promise((ok) => { tx.oncomplete = ok; });
        return profile;"#,
    )
    .await;
    let profile = written.as_str().expect("the record written").to_string();
    reload(&c).await;
    // Another student, then back to the first: this time reading their record fails once
    // (the store's test hook), as a storage error does.
    click(&c, "nav-home").await;
    wait_for_home(&c).await;
    type_into(&c, "new-profile-name", "Other").await;
    click(&c, "add-profile").await;
    until("the other student chosen", || async {
        let chosen = text_of(&c, "[data-testid=profile-picker] option:checked").await?;
        (chosen == "Other").then_some(())
    })
    .await;
    wait_for_home(&c).await;
    // Four failures: read again after 1, 2 and 4 s, so the answer below comes while the
    // record is not read yet (it waits) or just after (it lands on the record as read).
    c.execute("globalThis.inklingFailReads = { learners: 4 };", vec![])
        .await
        .unwrap();
    c.execute(
        "const picker = document.querySelector('[data-testid=profile-picker]');
         picker.value = arguments[0];
         picker.dispatchEvent(new Event('change'));",
        vec![serde_json::json!(profile)],
    )
    .await
    .unwrap();
    wait_for_home(&c).await;
    let notice = text_of(&c, "[data-testid=learner-notice]")
        .await
        .unwrap_or_default();
    assert!(
        notice.contains("could not be read just now"),
        "the student is told: {notice:?}"
    );
    // An answer now: it must land on the record as stored, not replace it.
    answer_a_quiz_question(&c).await;
    let outcomes = until("the answer in the store", || async {
        let outcomes = on_store(
            &c,
            "return (await request(db.transaction('outcomes').objectStore('outcomes').getAll())).length;",
        )
        .await
        .as_u64()?;
        (outcomes == 2).then_some(outcomes)
    })
    .await;
    let record = stored_learner(&c, &profile).await;
    let kept = record["learner"]["handwriting"]["greek-letters/alpha α"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(kept, 1, "the corrected drawing is kept: {record}");
    assert!(
        record["learner"]["cards"]
            .as_array()
            .is_some_and(|cards| !cards.is_empty()),
        "the answer counted: {record}"
    );
    let left = c
        .execute("return globalThis.inklingFailReads.learners;", vec![])
        .await
        .unwrap();
    assert_eq!(left.as_f64(), Some(0.0), "every failing read was tried");
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);
    assert!(
        text_of(&c, "[data-testid=learner-notice]").await.is_none(),
        "the notice goes once the record is read"
    );
    println!(
        "fault: the learner record unread 4 times; items before 1 drawing + 1 answer; after \
         {kept} drawing + {outcomes} answers; lost 0; usable yes"
    );
}

#[tokio::test]
async fn a_student_export_whose_history_could_not_be_read_is_not_made() {
    let artefacts = artefacts!();
    let port = serve(dist());
    let driver = Driver::start();
    let downloads = fresh_dir(&artefacts, "downloads-export");
    let c = browser_with_downloads(
        &driver,
        false,
        &fresh_dir(&artefacts, "faults-export"),
        Some(&downloads),
    )
    .await;
    c.goto(&format!("http://127.0.0.1:{port}/?backend=cpu"))
        .await
        .unwrap();
    wait_until_ready(&c).await;
    answer_a_quiz_question(&c).await;
    until("the answer in the store", || async {
        (stored_knowledge(&c).await.0.len() == 1).then_some(())
    })
    .await;
    // The export's read of the answer history fails once, as a storage error does: a file
    // without the history would look whole and is not made; the next export is.
    c.execute("globalThis.inklingFailReads = { outcomes: 1 };", vec![])
        .await
        .unwrap();
    click(&c, "nav-home").await;
    wait_for_home(&c).await;
    click(&c, "export-profile").await;
    let said = until("the export refused, or a file", || async {
        if let Some(status) = text_of(&c, "[data-testid=status]").await
            && status.contains("not exported")
        {
            return Some(status);
        }
        let made = files_in(&downloads)
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "json"));
        made.map(|p| format!("a file was made: {}", p.display()))
    })
    .await;
    assert!(said.contains("not exported"), "{said}");
    assert!(files_in(&downloads).is_empty(), "no file made");
    click(&c, "export-profile").await;
    let file = new_download(&downloads, &[]).await;
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let outcomes = exported["outcomes"].as_array().map_or(0, Vec::len);
    assert_eq!(outcomes, 1, "the history is in the file");
    println!(
        "fault: the history unread during an export; items 1 answer; export refused and said, \
         then made with 1 answer; lost 0; usable yes"
    );
}

#[tokio::test]
async fn a_sentence_model_worker_that_stops_is_started_again_and_nothing_is_lost() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-engine-worker"),
        "cpu",
        false,
    )
    .await;
    click(&c, "new-text-project").await;
    let project = wait_for_projects(&c, 2)
        .await
        .into_iter()
        .find(|name| name != STARTER)
        .expect("the new text project");
    open_project(&c, &project).await;
    text_model_from_cache(&c).await;
    let class = settled(&c, "the text project's classes", |k| !k.is_empty()).await[0]
        .name
        .clone();
    select_class(&c, &class).await;
    let sentences = ["where is my new card", "my card has still not arrived"];
    type_into(&c, "text-example", sentences[0]).await;
    click(&c, "add-example").await;
    settled(&c, "the first sentence embedded", |k| holds(k, &class, 1)).await;

    // The worker stops (a panic in it) as the next sentence is sent to it.
    c.execute("globalThis.inklingCrashEngine = 1", vec![])
        .await
        .unwrap();
    type_into(&c, "text-example", sentences[1]).await;
    click(&c, "add-example").await;
    until("the page to see its worker stop", || async {
        attr_of(&c, "[data-testid=text-model]", "data-worker-stops")
            .await
            .filter(|n| n == "1")
    })
    .await;
    // Another worker, with the model from the cache, embeds the sentence that waited.
    let shown = settled(&c, "both sentences embedded by the next worker", |k| {
        holds(k, &class, 2)
    })
    .await;
    assert_eq!(
        text_model_from_cache(&c).await,
        "true",
        "the next worker reads the model from the cache"
    );
    let stopped_said = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=status]')].map(e => e.textContent).join(' ')",
            vec![],
        )
        .await
        .unwrap();
    println!("status after the restart: {stopped_said}");
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);

    // Everything is in the store: after a reload, both sentences, embedded.
    reload(&c).await;
    open_project(&c, &project).await;
    let after = settled(&c, "the project after a reload", |k| holds(k, &class, 2)).await;
    let texts = |shown: &[inkling_e2e::ShownClass]| -> Vec<String> {
        shown
            .iter()
            .filter(|k| k.name == class)
            .flat_map(|k| k.examples.iter().filter_map(|e| e.sentence.clone()))
            .collect()
    };
    assert_eq!(texts(&shown), sentences);
    assert_eq!(texts(&after), sentences);
    assert_eq!(classes(&c).await.len(), shown.len());
    println!(
        "fault: engine worker stopped mid-embedding; restarted 1; sentences 2 of 2 embedded and kept; lost 0; usable yes"
    );
}

/// Improve runs in the drawing engine's worker: a worker that stops as a run starts makes the
/// run say it failed (nothing else changes), and the next run, on the next worker, trains.
#[tokio::test]
async fn an_improve_run_whose_worker_stops_fails_and_the_next_run_trains() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-improve-worker"),
        "cpu",
        false,
    )
    .await;
    let character = drawings("Greek/character03");
    teach(&c, CIRCLE, &character[..1]).await;
    teach(&c, CROSS, &character[1..2]).await;
    teach(&c, WAVE, &character[2..3]).await;
    settled(&c, "three drawings embedded", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1), (WAVE, 1)])
    })
    .await;
    // Every status the page shows from now on (the next worker's "Ready" follows at once).
    c.execute(
        "globalThis.statusesSeen = []; \
         new MutationObserver(() => { \
           const s = document.querySelector('[data-testid=status]'); \
           if (s) statusesSeen.push(s.textContent); \
         }).observe(document.body, {subtree: true, childList: true, characterData: true});",
        vec![],
    )
    .await
    .unwrap();
    // The worker stops (a panic in it) as the run is sent to it.
    c.execute("globalThis.inklingCrashEngine = 1", vec![])
        .await
        .unwrap();
    click(&c, "improve").await;
    let failed = until("the run to say it failed", || async {
        let seen = c
            .execute("return globalThis.statusesSeen;", vec![])
            .await
            .ok()?;
        seen.as_array()?
            .iter()
            .filter_map(|s| s.as_str())
            .find(|s| s.contains("Improving failed"))
            .map(str::to_string)
    })
    .await;
    println!("the run that lost its worker: {failed}");
    until("the next worker", || async {
        text_of(&c, "[data-testid=status]")
            .await
            .filter(|s| s.starts_with("Ready"))
    })
    .await;
    click(&c, "improve").await;
    let max = attr_of(&c, "[data-testid=improve-progress]", "max")
        .await
        .expect("improve-progress max");
    until("the next run to train all its steps", || async {
        attr_of(&c, "[data-testid=improve-progress]", "data-done")
            .await
            .filter(|done| *done == max)
    })
    .await;
    let status = text_of(&c, "[data-testid=status]")
        .await
        .unwrap_or_default();
    assert!(status.starts_with("Improved in"), "{status}");
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);
    reload(&c).await;
    settled(&c, "the drawings after a reload", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1), (WAVE, 1)])
    })
    .await;
    println!(
        "fault: Improve's worker stopped as a run started; the run failed and said so; the next run trained {max} steps; drawings 3 of 3 kept; usable yes"
    );
}

/// Choose the student `profile` with the home page's picker, as a student does.
async fn choose_student(c: &Client, profile: &str) {
    c.execute(
        "const picker = document.querySelector('[data-testid=profile-picker]');
         picker.value = arguments[0];
         picker.dispatchEvent(new Event('change'));",
        vec![serde_json::json!(profile)],
    )
    .await
    .unwrap();
    wait_for_home(c).await;
}

#[tokio::test]
async fn knowledge_waiting_for_two_students_in_turn_is_all_written() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-two-students-waiting"),
        "cpu",
        false,
    )
    .await;
    click(&c, "nav-home").await;
    wait_for_home(&c).await;
    type_into(&c, "new-profile-name", "Other").await;
    click(&c, "add-profile").await;
    let ids = until("both students in the store", || async {
        let ids = on_store(
            &c,
            "return (await request(db.transaction('profiles').objectStore('profiles').getAll()))
                .map((p) => p.id);",
        )
        .await;
        let ids: Vec<String> = ids
            .as_array()?
            .iter()
            .filter_map(|id| id.as_str().map(String::from))
            .collect();
        (ids.len() == 2).then_some(ids)
    })
    .await;
    let other = text_of(&c, "[data-testid=profile-picker] option:checked")
        .await
        .unwrap();
    assert_eq!(other, "Other");
    let chosen = |c: &Client| {
        let c = c.clone();
        async move {
            c.execute(
                "return document.querySelector('[data-testid=profile-picker]').value",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
        }
    };
    let other_id = chosen(&c).await;
    let first_id = ids.iter().find(|id| **id != other_id).unwrap().clone();
    choose_student(&c, &first_id).await;

    // Every write fails from now on, as on a full device: the first student answers, then
    // the other one; each one's knowledge waits in turn.
    c.execute("globalThis.inklingFailWrites = 1e9;", vec![])
        .await
        .unwrap();
    answer_a_quiz_question(&c).await;
    click(&c, "nav-home").await;
    wait_for_home(&c).await;
    choose_student(&c, &other_id).await;
    answer_a_quiz_question(&c).await;
    assert!(
        !problems(&c).await.is_empty(),
        "the student is told that progress waits"
    );

    // Room again: everything that waited is written, for both students.
    c.execute("globalThis.inklingFailWrites = 0;", vec![])
        .await
        .unwrap();
    let answered = |learner: &serde_json::Value| {
        learner["learner"]["cards"]
            .as_array()
            .is_some_and(|cards| !cards.is_empty())
    };
    let written = until("both answers and both students' knowledge in the store", || async {
        let read = on_store(
            &c,
            "const tx = db.transaction(['outcomes', 'learners']);
             return {
                 outcomes: (await request(tx.objectStore('outcomes').getAll())).map((o) => o.profile),
                 learners: await request(tx.objectStore('learners').getAll()),
             };",
        )
        .await;
        let outcomes = read["outcomes"].as_array()?.len();
        let learners: Vec<serde_json::Value> = read["learners"].as_array()?.clone();
        let with_answer = learners.iter().filter(|l| answered(l)).count();
        (outcomes == 2 && with_answer == 2).then_some((outcomes, with_answer))
    })
    .await;
    until("nothing said to wait", || async {
        problems(&c).await.is_empty().then_some(())
    })
    .await;
    println!(
        "fault: writes failing for two students in turn; items 2 answers + 2 students' knowledge; \
         written after {} answers + {} students' knowledge; lost 0; usable yes",
        written.0, written.1
    );
}

#[tokio::test]
async fn a_drawing_engine_worker_that_stops_is_started_again_and_nothing_is_lost() {
    let (_driver, c) = start_app(
        &fresh_dir(&artefacts!(), "faults-drawing-worker"),
        "cpu",
        false,
    )
    .await;
    let character = drawings("Greek/character03");
    teach(&c, CIRCLE, &character[..1]).await;
    settled(&c, "the first drawing embedded", |k| {
        counts(k, &[(CIRCLE, 1)])
    })
    .await;
    // The worker stops (a panic in it) as the next drawing is sent to it.
    c.execute("globalThis.inklingCrashEngine = 1", vec![])
        .await
        .unwrap();
    teach(&c, CROSS, &character[1..2]).await;
    // Another worker embeds the drawing that waited.
    settled(&c, "both drawings embedded by the next worker", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1)])
    })
    .await;
    let left = c
        .execute("return globalThis.inklingCrashEngine;", vec![])
        .await
        .unwrap();
    assert_eq!(left.as_f64(), Some(0.0), "the worker was made to stop");
    assert_eq!(
        text_of(&c, "[data-testid=backend]").await.as_deref(),
        Some("cpu")
    );
    assert!(problems(&c).await.is_empty(), "{:?}", problems(&c).await);
    reload(&c).await;
    settled(&c, "both drawings after a reload", |k| {
        counts(k, &[(CIRCLE, 1), (CROSS, 1)])
    })
    .await;
    println!(
        "fault: drawing engine worker stopped mid-embedding; restarted 1; drawings 2 of 2 embedded and kept; lost 0; usable yes"
    );
}
