//! The `inkling` binary as a user runs it: `eval` on episode folders and on an image tree, its
//! JSON, and its errors on bad input (each naming the file or folder at fault).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use image::{DynamicImage, imageops::FilterType};

const IMAGES: &str = "../shared/data/omniglot/images_background_small1.zip";

/// The files of one Greek character's folder in an Omniglot zip (`c` 1-based), drawers in
/// order.
fn greek_files(zip: &str, c: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let folder = Path::new(zip).file_stem().unwrap().to_str().unwrap();
    let prefix = format!("{folder}/Greek/character{c:02}/");
    let mut names: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with(&prefix) && !n.ends_with('/'))
        .map(String::from)
        .collect();
    names.sort();
    names.into_iter().map(move |n| {
        let mut bytes = Vec::new();
        archive
            .by_name(&n)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        bytes
    })
}

/// PNG bytes of Greek character `c` (1-based), drawers in order.
fn greek_pngs(c: usize, count: usize) -> Vec<Vec<u8>> {
    greek_files(IMAGES, c).take(count).collect()
}

/// The same drawing as a teacher might import it: white on black, another size.
fn inverted_and_resized(png: &[u8]) -> Vec<u8> {
    let mut img = image::load_from_memory(png).unwrap().to_luma8();
    image::imageops::invert(&mut img);
    let img = DynamicImage::ImageLuma8(img).resize_exact(210, 160, FilterType::Triangle);
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `episodes` folders of 5-way 1-shot episodes with 3 queries per class, Greek characters.
fn make_episodes(root: &Path, episodes: usize) {
    for e in 0..episodes {
        for k in 0..5 {
            let c = 1 + (e * 5 + k) % 24;
            let pngs = greek_pngs(c, 4);
            let dir = root.join(format!("ep{e}"));
            let class = format!("glyph {c}");
            // The support drawing inverted and resized: either polarity, any size.
            write(
                &dir.join("support").join(&class).join("a.png"),
                &inverted_and_resized(&pngs[0]),
            );
            for (q, png) in pngs[1..].iter().enumerate() {
                write(
                    &dir.join("query").join(&class).join(format!("q{q}.png")),
                    png,
                );
            }
        }
    }
}

fn inkling(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_inkling"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn eval_on_episode_folders_prints_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    make_episodes(dir.path(), 3);
    // Hidden folders and stray files beside the episodes are not episodes.
    std::fs::create_dir_all(dir.path().join(".cache")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an episode").unwrap();
    let (ok, stdout, stderr) = inkling(&["eval", "--episodes", path(dir.path()), "--json"]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
    assert_eq!(v["episodes"], 3);
    let per_episode = v["per_episode"].as_array().unwrap();
    assert_eq!(per_episode.len(), 3);
    let accuracy = v["accuracy"].as_f64().unwrap();
    let mean: f64 = per_episode.iter().map(|a| a.as_f64().unwrap()).sum::<f64>() / 3.0;
    assert!((accuracy - mean).abs() < 1e-9);
    assert!(v["ci95"].as_f64().unwrap() >= 0.0);
    // Held-out alphabet, 5-way 1-shot: chance is 20%; the shipped encoder must do far better.
    assert!(accuracy >= 0.8, "accuracy {accuracy}");

    // Without --json: per-episode lines and the mean with its interval.
    let (ok, stdout, _) = inkling(&["eval", "--episodes", path(dir.path()), "--details"]);
    assert!(ok);
    assert!(
        stdout.contains("ep0:") && stdout.contains("95% CI"),
        "{stdout}"
    );
    assert!(
        stdout.contains("precision") && stdout.contains("confusion matrix"),
        "{stdout}"
    );
}

#[test]
fn eval_can_fine_tune_instead_of_the_default() {
    let dir = tempfile::tempdir().unwrap();
    make_episodes(dir.path(), 1);
    let (ok, stdout, stderr) = inkling(&[
        "eval",
        "--episodes",
        path(dir.path()),
        "--json",
        "--adapt",
        "finetune",
        "--finetune-steps",
        "3",
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["adaptation"]["fine_tune"]["steps"], 3);
    assert!(v["accuracy"].as_f64().unwrap() >= 0.6);
}

#[test]
fn eval_takes_test_time_options_and_refuses_them_with_fine_tuning() {
    let dir = tempfile::tempdir().unwrap();
    make_episodes(dir.path(), 1);
    let folder = path(dir.path());
    let (ok, stdout, stderr) = inkling(&[
        "eval",
        "--episodes",
        folder,
        "--json",
        "--query-views",
        "3",
        "--centre",
        "--transductive-steps",
        "3",
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["adaptation"]["query_views"], 3);
    assert_eq!(v["adaptation"]["judging"]["centre"], true);
    assert_eq!(v["adaptation"]["judging"]["transductive_steps"], 3);
    assert!(v["accuracy"].as_f64().unwrap() >= 0.6);
    // Fine-tuning judges by its own head: the prototype options would be silently ignored.
    let stderr = refused(&[
        "eval",
        "--episodes",
        folder,
        "--adapt",
        "finetune",
        "--transductive-steps",
        "3",
    ]);
    assert!(stderr.contains("--transductive-steps"), "{stderr}");
    // Nor query views: the fine-tuned head judges each query on the drawing alone.
    let stderr = refused(&[
        "eval",
        "--episodes",
        folder,
        "--adapt",
        "finetune",
        "--query-views",
        "4",
    ]);
    assert!(stderr.contains("--query-views"), "{stderr}");
    // An ensemble is embedded once for sampled episodes only.
    let stderr = refused(&[
        "eval",
        "--episodes",
        folder,
        "--with-model",
        SHIPPED_ENCODER,
    ]);
    assert!(stderr.contains("--with-model needs --dataset"), "{stderr}");
    // Nor are episode folders cut to alphabets: the option is refused, not ignored.
    let stderr = refused(&["eval", "--episodes", folder, "--alphabets", "Greek"]);
    assert!(stderr.contains("--alphabets cuts a --dataset"), "{stderr}");
}

#[test]
fn eval_samples_episodes_from_an_image_tree() {
    let dir = tempfile::tempdir().unwrap();
    for c in 1..=8 {
        for (i, png) in greek_pngs(c, 6).iter().enumerate() {
            write(
                &dir.path()
                    .join("Greek")
                    .join(format!("character{c:02}"))
                    .join(format!("{i}.png")),
                png,
            );
        }
    }
    let (ok, stdout, stderr) = inkling(&[
        "eval",
        "--dataset",
        path(dir.path()),
        "--way",
        "5",
        "--shot",
        "1",
        "--episodes",
        "20",
        "--within-alphabet",
        "--json",
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["episodes"], 20);
    assert!(v["accuracy"].as_f64().unwrap() > 0.7);

    // 10-way needs 10 characters: the error says what is missing.
    let stderr = refused(&[
        "eval",
        "--dataset",
        path(dir.path()),
        "--way",
        "10",
        "--episodes",
        "5",
        "--within-alphabet",
    ]);
    assert!(stderr.contains("10 classes"), "{stderr}");
}

#[test]
fn eval_samples_episodes_from_pen_strokes_of_the_alphabets_named() {
    // The app's own input: pen strokes, drawn by its preprocessing.
    let (ok, stdout, stderr) = inkling(&[
        "eval",
        "--dataset",
        STROKES,
        "--alphabets",
        "Greek,Early_Aramaic",
        "--way",
        "20",
        "--episodes",
        "10",
        "--within-alphabet",
        "--json",
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["episodes"], 10);
    assert!(v["accuracy"].as_f64().unwrap() > 0.7, "{v}");

    // Greek alone has 24 characters: 30-way within it cannot be, and training alphabets do
    // not fill in (without --alphabets they would).
    let stderr = refused(&[
        "eval",
        "--dataset",
        STROKES,
        "--alphabets",
        "Greek",
        "--way",
        "30",
        "--episodes",
        "2",
    ]);
    assert!(stderr.contains("30 classes"), "{stderr}");

    // An alphabet the zip lacks is named, with what the zip has.
    let stderr = refused(&[
        "eval",
        "--dataset",
        STROKES,
        "--alphabets",
        "Greek,Klingon",
        "--episodes",
        "2",
    ]);
    assert!(
        stderr.contains("`Klingon`") && stderr.contains(STROKES) && stderr.contains("Latin"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    // An ensemble of the shipped encoder with itself judges as the encoder alone (each
    // distance doubled), and says what it was.
    let alone = json_of(&eval_strokes_greek(&[]));
    let twice = json_of(&eval_strokes_greek(&["--with-model", SHIPPED_ENCODER]));
    assert_eq!(alone["per_episode"], twice["per_episode"]);
    assert!(
        twice["model"]
            .as_str()
            .unwrap()
            .ends_with(" + public/models/encoder.bpk"),
        "{twice}"
    );
}

const SHIPPED_ENCODER: &str = "public/models/encoder.bpk";

/// `inkling eval` on 5-way episodes of the Greek pen strokes, with `more` options; its stdout.
fn eval_strokes_greek(more: &[&str]) -> String {
    let mut args = vec![
        "eval",
        "--dataset",
        STROKES,
        "--alphabets",
        "Greek",
        "--episodes",
        "5",
        "--json",
    ];
    args.extend(more);
    let (ok, stdout, stderr) = inkling(&args);
    assert!(ok, "{stderr}");
    stdout
}

/// `inkling` with `args`, which must fail; its stderr.
fn refused(args: &[&str]) -> String {
    let (ok, stdout, stderr) = inkling(args);
    assert!(!ok, "{args:?} should be refused: {stdout}");
    stderr
}

fn expect_error(args: &[&str], must_name: &Path, words: &str) {
    let stderr = refused(args);
    assert!(
        stderr.contains(path(must_name)) && stderr.contains(words),
        "error should name {} and say `{words}`: {stderr}",
        must_name.display()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_gets_a_clear_error_naming_the_file_or_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pngs = greek_pngs(1, 2);
    let other = greek_pngs(2, 2);

    // An empty directory.
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    expect_error(
        &["eval", "--episodes", path(&empty)],
        &empty,
        "no episode folders",
    );

    // A directory that does not exist.
    let missing = root.join("nowhere");
    expect_error(
        &["eval", "--episodes", path(&missing)],
        &missing,
        "No such file",
    );

    // An unreadable PNG.
    let bad = root.join("bad");
    write(&bad.join("e/support/a/1.png"), &pngs[0]);
    write(&bad.join("e/support/b/1.png"), b"this is not a png");
    write(&bad.join("e/query/a/1.png"), &pngs[1]);
    expect_error(
        &["eval", "--episodes", path(&bad)],
        &bad.join("e/support/b/1.png"),
        "cannot decode",
    );

    // An empty class.
    let hollow = root.join("hollow");
    write(&hollow.join("e/support/a/1.png"), &pngs[0]);
    std::fs::create_dir_all(hollow.join("e/support/b")).unwrap();
    write(&hollow.join("e/query/a/1.png"), &pngs[1]);
    expect_error(
        &["eval", "--episodes", path(&hollow)],
        &hollow.join("e/support/b"),
        "empty class",
    );

    // A query class with no support.
    let stray = root.join("stray");
    write(&stray.join("e/support/a/1.png"), &pngs[0]);
    write(&stray.join("e/support/b/1.png"), &other[0]);
    write(&stray.join("e/query/c/1.png"), &pngs[1]);
    expect_error(
        &["eval", "--episodes", path(&stray)],
        &stray.join("e/query/c"),
        "no support folder",
    );

    // A blank image: no ink.
    let blank = root.join("blank");
    let white = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(50, 50, image::Luma([255])));
    let mut bytes = Vec::new();
    white
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    write(&blank.join("e/support/a/1.png"), &pngs[0]);
    write(&blank.join("e/support/b/1.png"), &bytes);
    write(&blank.join("e/query/a/1.png"), &pngs[1]);
    expect_error(
        &["eval", "--episodes", path(&blank)],
        &blank.join("e/support/b/1.png"),
        "no ink",
    );

    // A model file that is not one.
    let model: PathBuf = root.join("model.bpk");
    std::fs::write(&model, b"garbage").unwrap();
    make_episodes(&root.join("good"), 1);
    expect_error(
        &[
            "eval",
            "--episodes",
            path(&root.join("good")),
            "--model",
            path(&model),
        ],
        &model,
        "burnpack",
    );
}

#[test]
fn eval_text_prints_one_json_object_and_bad_rows_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let support = dir.path().join("support.csv");
    let query = dir.path().join("query.csv");
    write(
        &support,
        b"text,label\nI lost my card,lost_card\nMy card is gone,lost_card\n\
          How do I top up?,top_up\nAdd money to my account,top_up\n",
    );
    write(
        &query,
        b"text,label\n\"Someone stole my card, what now?\",lost_card\nCan I top up by transfer?,top_up\n",
    );
    // Every strategy answers the same small task and prints one JSON object.
    for strategy in ["prototypes", "head", "last-layer"] {
        let (ok, out, err) = inkling(&[
            "eval-text",
            "--support",
            path(&support),
            "--query",
            path(&query),
            "--strategy",
            strategy,
            "--json",
        ]);
        assert!(ok, "{strategy}: {err}");
        let json: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(json["n_query"], 2);
        assert_eq!(json["accuracy"], 1.0, "{strategy}: {out}");
        assert!(json["macro_f1"].as_f64().is_some());
    }

    // A bad query file: the command fails and its error is returned.
    let refused = |rows: &[u8]| {
        write(&query, rows);
        let (ok, _, err) = inkling(&[
            "eval-text",
            "--support",
            path(&support),
            "--query",
            path(&query),
        ]);
        assert!(!ok);
        err
    };
    let err = refused(b"text,label\nfine,top_up\n,lost_card\n");
    assert!(err.contains("query.csv line 3: the text is empty"), "{err}");
    let err = refused(b"text,label\nfine,refund\n");
    assert!(
        err.contains("query.csv line 2: the label \"refund\" is not among the support's labels"),
        "{err}"
    );
}

/// The sentence model is found where `cargo xtask text-model` put it: in the build folder of
/// this very binary (`CARGO_TARGET_DIR` or `target/`), with no `INKLING_TEXT_MODEL` and from
/// any working folder; not in a folder baked in from where the crate was compiled.
#[test]
fn eval_text_finds_the_model_in_its_own_build_folder() {
    let dir = tempfile::tempdir().unwrap();
    let support = dir.path().join("support.csv");
    let query = dir.path().join("query.csv");
    write(
        &support,
        b"text,label\nI lost my card,lost_card\nHow do I top up?,top_up\n",
    );
    write(&query, b"text,label\nMy card is gone,lost_card\n");
    let out = Command::new(env!("CARGO_BIN_EXE_inkling"))
        .args([
            "eval-text",
            "--support",
            path(&support),
            "--query",
            path(&query),
        ])
        .args(["--json"])
        .env_remove("INKLING_TEXT_MODEL")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
}

/// A sentence model's card (`public/models/<card>`) tells the truth: its weights' size is the
/// file's in `model` (the folder), and each of its figures on the sets in the repository still
/// holds (floors: a change to the encoder or the strategies that loses accuracy fails here).
/// Returns the figures checked.
fn card_holds(card: &str, model: &Path) -> usize {
    let card: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("public/models")
                .join(card),
        )
        .unwrap(),
    )
    .unwrap();
    let weights = model.join("model.f16.bpk");
    assert_eq!(
        card["weights_bytes"].as_u64(),
        Some(std::fs::metadata(&weights).unwrap().len()),
        "{}",
        weights.display()
    );
    let mut checked = 0;
    for result in card["evaluation"]["results"].as_array().unwrap() {
        let (Some(support), Some(query)) = (result["support"].as_str(), result["query"].as_str())
        else {
            continue; // Banking77 runs take minutes: the README's table, not a test.
        };
        for (key, strategy) in [
            ("prototypes", "prototypes"),
            ("head", "head"),
            ("last_layer", "last-layer"),
        ] {
            let Some(claimed) = result[key].as_f64() else {
                continue;
            };
            let (ok, out, err) = inkling(&[
                "eval-text",
                "--model",
                path(model),
                "--support",
                support,
                "--query",
                query,
                "--half",
                "--strategy",
                strategy,
                "--json",
            ]);
            assert!(ok, "{support} {strategy}: {err}");
            let json = json_of(&out);
            let accuracy = json["accuracy"].as_f64().unwrap();
            // A floor, one query of slack: training sums in another order may flip a near-tie.
            let one_query = 1.0 / json["n_query"].as_f64().unwrap();
            assert!(
                accuracy >= claimed - one_query,
                "{query} {strategy}: the card says {claimed}, eval-text gives {accuracy}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_text_model_card_matches_the_model_and_its_figures_hold() {
    let checked = card_holds("text-encoder.json", &inkling::learn::text::model_dir());
    assert_eq!(checked, 6, "English and Chinese, three strategies each");
}

/// multilingual-e5-small, pruned to English and Chinese (`cargo xtask text-model` makes it,
/// `convert-text-model --from-e5`): within the browser's budget, its card true, and it
/// understands the everyday intents in Chinese (all-MiniLM-L6-v2: 21.7%, its card says).
#[test]
fn the_multilingual_model_understands_chinese_and_english() {
    let dir = inkling::learn::text::multilingual_model_dir();
    let weights = std::fs::metadata(dir.join("model.f16.bpk")).unwrap().len();
    assert!(weights <= 62_000_000, "{weights} bytes of f16 weights");
    let checked = card_holds("text-encoder-multilingual.json", &dir);
    assert_eq!(checked, 6, "English and Chinese, three strategies each");
    let card: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("public/models/text-encoder-multilingual.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let chinese = &card["evaluation"]["results"][3];
    assert!(chinese["query"].as_str().unwrap().contains("zh-query"));
    assert!(chinese["prototypes"].as_f64().unwrap() >= 0.8, "{chinese}");
}

/// A shipped example file (`examples/`).
fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn json_of(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim().lines().last().unwrap_or_default()).unwrap()
}

/// `inkling export-model --project P --out M`, which must succeed; what it printed.
fn export_model(project: &Path, model: &Path) -> String {
    let (ok, out, err) = inkling(&[
        "export-model",
        "--project",
        path(project),
        "--out",
        path(model),
    ]);
    assert!(ok, "{out}{err}");
    out
}

/// `inkling predict --json` of `sentences` with the model file `model`, which must succeed.
fn predict_sentences(model: &Path, sentences: &[&str]) -> serde_json::Value {
    let mut args = vec!["predict", "--json", "--model", path(model)];
    for sentence in sentences {
        args.extend(["--text", sentence]);
    }
    let (ok, out, err) = inkling(&args);
    assert!(ok, "{err}");
    json_of(&out)
}

const STROKES: &str = "../shared/data/omniglot/strokes_background_small1.zip";

/// Greek character `c`'s drawing by drawer `drawer` (1-based) as a stroke JSON file: a list of
/// strokes of {"x", "y", "t"} points (y down, as a canvas has it).
fn greek_stroke_json(c: usize, drawer: usize) -> Vec<u8> {
    let text = greek_files(STROKES, c).nth(drawer - 1).unwrap();
    let text = String::from_utf8(text).unwrap();
    let strokes = inkling::learn::preprocess::parse_omniglot_strokes(&text).unwrap();
    serde_json::to_vec(&strokes).unwrap()
}

/// The model file at `made` is the one at `shipped`: the same classes, example counts and
/// prototypes (to rounding). Returns the class names.
fn assert_same_model(made: &Path, shipped: &Path) -> Vec<String> {
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let (made, shipped) = (read(made), read(shipped));
    let (ours, theirs) = (
        made["classes"].as_array().unwrap(),
        shipped["classes"].as_array().unwrap(),
    );
    assert_eq!(ours.len(), theirs.len());
    assert_eq!(made["dim"], shipped["dim"]);
    for (a, b) in ours.iter().zip(theirs) {
        assert_eq!(a["name"], b["name"]);
        assert_eq!(a["examples"], b["examples"]);
        let (x, y) = (
            a["prototype"].as_array().unwrap(),
            b["prototype"].as_array().unwrap(),
        );
        assert_eq!(x.len(), y.len());
        for (x, y) in x.iter().zip(y) {
            assert!(
                (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-3,
                "{x} {y}"
            );
        }
    }
    theirs
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_shipped_drawing_model_is_the_shipped_projects_and_predicts_other_drawers() {
    // export-model on the shipped project gives the shipped model (up to float rounding).
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("greek.model.json");
    let project = example("greek-letters.inkling.json");
    export_model(&project, &made);
    let names = assert_same_model(&made, &example("greek-letters.model.json"));
    assert_eq!(names.len(), 6);

    // predict: drawers the project never saw (it holds drawers 1-3), as PNG images (one
    // inverted and resized) and as stroke files; one JSON object for them all.
    let mut inputs = Vec::new();
    let mut truth = Vec::new();
    for c in 1..=6 {
        let pngs = greek_pngs(c, 12);
        for (i, png) in [(10, pngs[9].clone()), (11, inverted_and_resized(&pngs[10]))] {
            let file = dir.path().join(format!("c{c}-drawer{i}.png"));
            write(&file, &png);
            inputs.push(file);
            truth.push(c - 1);
        }
        let file = dir.path().join(format!("c{c}-drawer12.json"));
        write(&file, &greek_stroke_json(c, 12));
        inputs.push(file);
        truth.push(c - 1);
    }
    let model = example("greek-letters.model.json");
    let mut args = vec!["predict", "--json", "--model", path(&model)];
    args.extend(inputs.iter().map(|p| path(p)));
    let (ok, out, err) = inkling(&args);
    assert!(ok, "{err}");
    let json = json_of(&out);
    let predictions = json["predictions"].as_array().unwrap();
    assert_eq!(predictions.len(), inputs.len());
    let mut right = 0;
    for ((p, input), truth) in predictions.iter().zip(&inputs).zip(&truth) {
        assert_eq!(p["input"], path(input));
        let label = p["label"].as_str().unwrap();
        let probabilities = p["probabilities"].as_object().unwrap();
        assert_eq!(probabilities.len(), 6);
        let total: f64 = probabilities.values().map(|v| v.as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-4, "{p}");
        // The label is the most probable class, and the nearest class comes first.
        let best = probabilities
            .iter()
            .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
            .unwrap();
        assert_eq!(best.0, label, "{p}");
        assert_eq!(p["nearest"][0]["class"], label, "{p}");
        right += usize::from(label == names[*truth]);
    }
    // 18 drawings of 6 letters by other hands: chance would be 3.
    println!("predict: {right} of {} right", inputs.len());
    assert!(right >= 14, "{right} of {} right: {out}", inputs.len());
}

#[test]
fn predict_refuses_what_it_cannot_read_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = example("greek-letters.model.json");
    let junk = dir.path().join("notes.txt");
    write(&junk, b"not a drawing");
    let (ok, _, err) = inkling(&["predict", "--model", path(&model), path(&junk)]);
    assert!(
        !ok && err.contains("notes.txt") && err.contains("stroke JSON"),
        "{err}"
    );
    // Sentences for a drawing model.
    let (ok, _, err) = inkling(&["predict", "--model", path(&model), "--text", "hello"]);
    assert!(!ok && err.contains("drawing model"), "{err}");
    // A model file that is not one: the field is named.
    let bad = dir.path().join("bad.model.json");
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&model).unwrap()).unwrap();
    value["classes"][1]["prototype"] = serde_json::json!([1.0, 2.0]);
    write(&bad, value.to_string().as_bytes());
    let png = dir.path().join("alpha.png");
    write(&png, &greek_pngs(1, 1)[0]);
    let (ok, _, err) = inkling(&["predict", "--model", path(&bad), path(&png)]);
    assert!(
        !ok && err.contains("bad.model.json") && err.contains("classes[1].prototype"),
        "{err}"
    );
}

#[test]
fn the_shipped_text_model_answers_sentences() {
    let model = example("banking.model.json");
    let json = predict_sentences(
        &model,
        &[
            "What exchange rates do you offer?",
            "I can't find my card and think it may have been stolen.",
            "I still have not received my new card, I ordered over a week ago.",
        ],
    );
    assert_eq!(json["predictions"][0]["label"], "exchange_rate", "{json}");
    assert_eq!(
        json["predictions"][1]["label"], "lost_or_stolen_card",
        "{json}"
    );
    assert_eq!(json["predictions"][2]["label"], "card_arrival", "{json}");
    // And export-model makes it from the shipped text project.
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("banking.model.json");
    let project = example("banking.inkling.json");
    let out = export_model(&project, &made);
    assert!(out.contains("3 classes, 12 examples"), "{out}");
    assert_same_model(&made, &model);
}

#[test]
fn federated_prints_its_measurements_as_json_and_pooling_equals_centralised() {
    let run = |extra: &[&str]| {
        let mut args = vec!["federated", "--students", "8", "--classes", "6", "--json"];
        args.extend(extra);
        let (ok, out, err) = inkling(&args);
        assert!(ok, "{err}");
        json_of(&out)
    };
    let plain = run(&[]);
    for key in [
        "personal_mean",
        "federated",
        "personal_plus_class",
        "centralised",
    ] {
        let value = plain[key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&value), "{key}: {plain}");
    }
    assert_eq!(plain["settings"]["students"], 8);
    assert_eq!(plain["settings"]["shots"], 1);
    assert_eq!(plain["settings"]["kind"], "drawing");
    assert_eq!(plain["settings"]["test_drawers"], 4);
    // Plain pooled prototypes are the centralised ones, so they answer the same.
    assert_eq!(plain["federated"], plain["centralised"], "{plain}");
    assert!(
        plain["max_prototype_difference"].as_f64().unwrap() <= 1e-6,
        "{plain}"
    );
    // Each student holds half the classes: the class model knows them all.
    let accuracy = |json: &serde_json::Value, key: &str| json[key].as_f64().unwrap();
    assert!(
        accuracy(&plain, "federated") > accuracy(&plain, "personal_mean"),
        "{plain}"
    );

    // One liar: the pooled mean falls for it, the median does not.
    let poisoned = run(&["--poison", "1"]);
    let robust = run(&["--poison", "1", "--robust"]);
    assert!(
        accuracy(&robust, "federated") > accuracy(&poisoned, "federated"),
        "{poisoned} {robust}"
    );
    assert_eq!(robust["settings"]["robust"], true);

    // Under DP the settings say so; one drawing a student is far too few to hide in the noise,
    // so the class model keeps no class, and a student's model is theirs alone.
    let private = run(&["--dp-epsilon", "1"]);
    assert_eq!(private["settings"]["dp"]["epsilon"], 1.0, "{private}");
    assert_eq!(
        accuracy(&private, "classes_without_prototype"),
        6.0,
        "{private}"
    );
    assert_eq!(
        private["personal_plus_class"], private["personal_mean"],
        "{private}"
    );

    // More holders than drawers: a clear error, naming the class.
    let (ok, _, err) = inkling(&["federated", "--students", "40", "--classes", "4"]);
    assert!(
        !ok && err.contains("class ") && err.contains("training examples"),
        "{err}"
    );
}

/// A Chinese text project (kind `multilingual-text`): export-model embeds its sentences with the
/// multilingual model and says so in the file; predict reads that and answers Chinese
/// sentences with it.
#[test]
fn a_chinese_text_project_makes_a_multilingual_model() {
    use inkling::learn::text::{MULTILINGUAL_ENCODER_ID, SentenceModel};
    use inkling::project::{Project, file};
    let mut project =
        Project::new_text_read_by(SentenceModel::Multilingual, "天气和美食", &["天气", "美食"])
            .unwrap();
    let classes = [project.classes[0].id, project.classes[1].id];
    for (class, sentences) in classes.iter().zip([
        [
            "今天外面好冷啊！",
            "明天会下雨吗？",
            "天气预报说周末会降温。",
        ],
        ["米饭要煮多久？", "这道菜放多少盐？", "早餐我喝了一杯豆浆。"],
    ]) {
        for sentence in sentences {
            project.add_text_example(*class, sentence).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let project_file = dir.path().join("chinese.inkling.json");
    std::fs::write(&project_file, file::export(&project)).unwrap();
    let model = dir.path().join("chinese.model.json");
    let out = export_model(&project_file, &model);
    assert!(out.contains("2 classes, 6 examples"), "{out}");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&model).unwrap()).unwrap();
    assert_eq!(written["kind"], "multilingual-text");
    assert_eq!(written["encoder"], MULTILINGUAL_ENCODER_ID);
    let json = predict_sentences(
        &model,
        &["下午有雷阵雨，记得带伞。", "我妈妈做的红烧肉最好吃。"],
    );
    assert_eq!(json["predictions"][0]["label"], "天气", "{json}");
    assert_eq!(json["predictions"][1]["label"], "美食", "{json}");
}

/// `--text-model` names a folder; a folder of the other sentence model would embed the
/// sentences with it while the model file names the project's own encoder: refused, named,
/// in both directions and for predict too.
#[test]
fn a_text_model_folder_of_the_other_sentence_model_is_refused() {
    use inkling::learn::text::{model_dir, multilingual_model_dir};
    let dir = tempfile::tempdir().unwrap();
    let english_project = example("banking.inkling.json");
    let multilingual = multilingual_model_dir();
    let made = dir.path().join("banking.model.json");
    let export_refused = |project: &Path, folder: &Path| {
        refused(&[
            "export-model",
            "--project",
            path(project),
            "--out",
            path(&made),
            "--text-model",
            path(folder),
        ])
    };
    let err = export_refused(&english_project, &multilingual);
    assert!(
        err.contains(path(&multilingual)) && err.contains("all-MiniLM-L6-v2"),
        "{err}"
    );
    assert!(!made.exists(), "no model file is written");
    let err = refused(&[
        "predict",
        "--model",
        path(&example("banking.model.json")),
        "--text",
        "Where is my card?",
        "--text-model",
        path(&multilingual),
    ]);
    assert!(
        err.contains(path(&multilingual)) && err.contains("all-MiniLM-L6-v2 (6 layers)"),
        "{err}"
    );
    // And the English folder for a Chinese project.
    use inkling::learn::text::SentenceModel;
    use inkling::project::{Project, file};
    let project =
        Project::new_text_read_by(SentenceModel::Multilingual, "天气", &["天气", "美食"]).unwrap();
    let chinese = dir.path().join("chinese.inkling.json");
    std::fs::write(&chinese, file::export(&project)).unwrap();
    let english = model_dir();
    let err = export_refused(&chinese, &english);
    assert!(
        err.contains(path(&english)) && err.contains("multilingual-e5-small"),
        "{err}"
    );
}
