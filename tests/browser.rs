//! Browser tests (wasm-bindgen-test in headless Chromium with WebGPU on SwiftShader; the
//! browser's arguments are in `webdriver.json`): the IndexedDB store (write, reopen, upgrade
//! from version 1, export/import round trip) and one fine-tuning step on WebGPU against the same
//! step on the CPU. Run by `cargo xtask test`; natively this file is empty.
#![cfg(target_arch = "wasm32")]

use std::collections::HashMap;

use burn::prelude::*;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use inkling::learn::encoder::batch_inputs;
use inkling::learn::finetune::{FineTuneConfig, FineTuner};
use inkling::learn::preprocess::{Point, Stroke, strokes_to_input};
use inkling::learn::weights::shipped_encoder;
use inkling::profile::ProfileId;
use inkling::project::{Project, ProjectChanges, file};
use inkling::store::idb::{Lost, Store, StoreError, StoreEvent, Stored};
use inkling::store::records::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A wavy drawing, different for each `seed`.
fn drawing(seed: u64) -> Vec<Stroke> {
    let s = seed as f32;
    (0..2)
        .map(|k| {
            (0..24)
                .map(|i| {
                    let t = i as f32 / 23.0;
                    Point {
                        x: 100.0 * t + 13.0 * (t * 6.0 + s).sin(),
                        y: 40.0 * k as f32 + 30.0 * (t * (2.0 + s % 3.0) + s).cos(),
                        t: i as f32 * 16.0,
                    }
                })
                .collect()
        })
        .collect()
}

fn project_with_examples() -> Project {
    let mut p = Project::new("Store test", &["wave", "loop", "zigzag"]).unwrap();
    let ids: Vec<u64> = p.classes.iter().map(|c| c.id).collect();
    for (k, id) in ids.iter().enumerate() {
        for j in 0..3 {
            p.add_example(*id, drawing((k * 10 + j) as u64)).unwrap();
        }
    }
    p
}

/// The first student's id.
fn student() -> ProfileId {
    ProfileId::first_student()
}

fn unique_name(test: &str) -> String {
    format!("inkling-test-{test}-{}", js_sys::Math::random())
}

async fn delete_database(name: &str) {
    Database::delete_by_name(name).unwrap().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_project_is_written_changed_and_read_back_after_reopening() {
    let name = unique_name("write");
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(store.version(), SCHEMA_VERSION);
    let mut project = project_with_examples();
    let embeddings: HashMap<u64, Vec<f32>> = project
        .classes
        .iter()
        .flat_map(|c| c.examples.iter())
        .map(|e| (e.id, vec![e.id as f32; 4]))
        .collect();
    let record = ProjectRecord::of("p1", &student(), &project, 1.0);
    let model = ModelRecord {
        project: "p1".into(),
        encoder: "enc".into(),
        classes: project.classes.iter().map(|c| c.id).collect(),
        dim: 4,
        fine_tuned: Some(TunedRecord {
            examples: vec![1, 2],
            weight: f32_bytes(&[0.5; 12]),
            bias: f32_bytes(&[-1.0; 3]),
        }),
    };
    store
        .write_project(&record, &project, &embeddings, "enc", Some(&model))
        .await
        .unwrap();

    // A change: one example gone, one added, a class renamed; written as a change.
    let before = project.clone();
    let gone = project.classes[0].examples[1].id;
    project.delete_example(gone).unwrap();
    let class = project.classes[2].id;
    project.add_example(class, drawing(99)).unwrap();
    project.rename_class(class, "zig-zag").unwrap();
    let changes = ProjectChanges::between(&before, &project);
    let record = ProjectRecord::of("p1", &student(), &project, 2.0);
    store
        .write_changes(&record, &changes, &embeddings, "enc", None)
        .await
        .unwrap();
    store.set_setting("open-project", "p1").await.unwrap();
    store.close();

    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let records = store.projects(&student()).await.unwrap();
    assert_eq!(records.len(), 1);
    let (back, stored_embeddings) = store.load_project(&records[0], "enc").await.unwrap();
    assert_eq!(back, project);
    assert_eq!(back.next_id(), project.next_id());
    assert!(!stored_embeddings.contains_key(&gone));
    assert_eq!(
        stored_embeddings.len(),
        project.num_examples() - 1,
        "the new one has none"
    );
    let (_, other_encoder) = store.load_project(&records[0], "another").await.unwrap();
    assert!(
        other_encoder.is_empty(),
        "embeddings of another encoder are not used"
    );
    assert_eq!(store.model("p1").await.unwrap(), Some(model));
    assert_eq!(
        store.setting("open-project").await.unwrap().as_deref(),
        Some("p1")
    );

    store.delete_project("p1").await.unwrap();
    assert!(store.projects(&student()).await.unwrap().is_empty());
    assert_eq!(store.model("p1").await.unwrap(), None);
    let (empty, _) = store
        .load_project(
            &ProjectRecord::of("p1", &student(), &Project::starter(), 0.0),
            "enc",
        )
        .await
        .unwrap();
    assert_eq!(empty.num_examples(), 0, "no example outlives its project");
    store.close();
    delete_database(&name).await;
}

/// An embedding computed after its example was written lands on that example alone, under
/// its own project (the open one may be another by then); one for an example deleted meanwhile
/// writes nothing. A head that finished training after its project was deleted is dropped.
#[wasm_bindgen_test]
async fn late_embeddings_and_heads_land_by_id_or_not_at_all() {
    let name = unique_name("late");
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let project = project_with_examples();
    let record = ProjectRecord::of("p1", &student(), &project, 1.0);
    store
        .write_project(&record, &project, &HashMap::new(), "enc", None)
        .await
        .unwrap();
    let first = project.classes[0].examples[0].id;
    assert!(
        store
            .put_embedding("p1", first, "enc", &[0.5, 1.5])
            .await
            .unwrap()
    );
    assert!(!store.put_embedding("p1", 999, "enc", &[0.5]).await.unwrap());
    assert!(
        !store
            .put_embedding("p2", first, "enc", &[0.5])
            .await
            .unwrap()
    );
    let (back, embeddings) = store.load_project(&record, "enc").await.unwrap();
    assert_eq!(back, project, "the examples are untouched");
    assert_eq!(embeddings, HashMap::from([(first, vec![0.5, 1.5])]));

    let model = ModelRecord {
        project: "p1".into(),
        encoder: "enc".into(),
        classes: project.classes.iter().map(|c| c.id).collect(),
        dim: 2,
        fine_tuned: Some(TunedRecord {
            examples: vec![first],
            weight: f32_bytes(&[0.5; 6]),
            bias: f32_bytes(&[-1.0; 3]),
        }),
    };
    assert!(store.put_model(&model).await.unwrap());
    assert_eq!(store.model("p1").await.unwrap(), Some(model.clone()));
    store.delete_project("p1").await.unwrap();
    assert!(
        !store.put_model(&model).await.unwrap(),
        "its project is gone"
    );
    assert_eq!(store.model("p1").await.unwrap(), None);
    store.close();
    delete_database(&name).await;
}

/// A text project (sentences, not drawings) is stored and read back as it was, with its kind,
/// its sentences (quotes, markup and Chinese untouched) and their embeddings.
#[wasm_bindgen_test]
async fn a_text_project_is_saved_and_read_back_after_reopening() {
    let name = unique_name("text");
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let mut project = Project::new_text("Moods", &["happy", "sad"]).unwrap();
    let (happy, sad) = (project.classes[0].id, project.classes[1].id);
    let sentences = [
        (happy, "What a <b>lovely</b> day!"),
        (happy, "She said \"yes\" at last."),
        (sad, "今天下雨了，我很难过。"),
    ];
    for (class, sentence) in sentences {
        project.add_text_example(class, sentence).unwrap();
    }
    let embeddings: HashMap<u64, Vec<f32>> = project
        .classes
        .iter()
        .flat_map(|c| c.examples.iter())
        .map(|e| (e.id, vec![e.id as f32; 384]))
        .collect();
    let encoder = inkling::learn::text::TEXT_ENCODER_ID;
    let record = ProjectRecord::of("t1", &student(), &project, 1.0);
    store
        .write_project(&record, &project, &embeddings, encoder, None)
        .await
        .unwrap();
    // One more sentence, written as a change.
    let before = project.clone();
    project
        .add_text_example(sad, "  It rained all week.  ")
        .unwrap();
    let changes = ProjectChanges::between(&before, &project);
    let record = ProjectRecord::of("t1", &student(), &project, 2.0);
    store
        .write_changes(&record, &changes, &embeddings, encoder, None)
        .await
        .unwrap();
    store.close();

    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let records = store.projects(&student()).await.unwrap();
    assert_eq!(records[0].kind, inkling::project::ProjectKind::Text);
    let (back, stored) = store.load_project(&records[0], encoder).await.unwrap();
    assert_eq!(back, project);
    assert_eq!(
        back.classes[1].examples[1].text.as_deref(),
        Some("It rained all week.")
    );
    assert_eq!(stored.len(), 3, "the new sentence has no embedding yet");
    assert_eq!(stored[&back.classes[0].examples[0].id].len(), 384);
    // Exported and imported through the store's project, byte for byte.
    let bytes = file::export(&back);
    assert_eq!(file::export(&file::import(&bytes).unwrap()), bytes);
    store.close();
    delete_database(&name).await;
}

/// A newer Inkling opening in another tab while this one is open: this connection lets go at
/// once (the upgrade is not blocked, so the other tab does not wait forever), says why, and
/// refuses writes from then on instead of losing them silently.
#[wasm_bindgen_test]
async fn an_open_connection_lets_a_newer_version_upgrade_and_says_why_it_stopped() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let name = unique_name("newer-tab");
    let heard = Rc::new(RefCell::new(Vec::new()));
    let events = {
        let heard = heard.clone();
        Rc::new(move |e: StoreEvent| heard.borrow_mut().push(e))
    };
    let old = Store::open_with(&name, SCHEMA_VERSION, events)
        .await
        .unwrap();
    let newer = Store::open_at(&name, SCHEMA_VERSION + 1).await.unwrap();
    assert_eq!(newer.version(), SCHEMA_VERSION + 1);
    assert_eq!(old.lost(), Some(Lost::Upgraded));
    assert_eq!(*heard.borrow(), [StoreEvent::Lost(Lost::Upgraded)]);
    let written = old.set_setting("k", "v").await;
    assert_eq!(written, Err(StoreError::Lost(Lost::Upgraded)));
    newer.set_setting("k", "v").await.unwrap();
    assert_eq!(newer.setting("k").await.unwrap().as_deref(), Some("v"));
    newer.close();
    delete_database(&name).await;
}

/// The fault suite's failing write (`globalThis.inklingFailWrites`) fails as a full device
/// does, once per count, and writes after it succeed.
#[wasm_bindgen_test]
async fn an_injected_failure_fails_that_many_writes_as_a_full_device() {
    let name = unique_name("injected");
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let global = js_sys::global();
    js_sys::Reflect::set(&global, &"inklingFailWrites".into(), &2.0.into()).unwrap();
    for _ in 0..2 {
        assert!(matches!(
            store.set_setting("k", "v").await,
            Err(StoreError::Full(_))
        ));
    }
    store.set_setting("k", "v").await.unwrap();
    assert_eq!(store.setting("k").await.unwrap().as_deref(), Some("v"));
    store.close();
    delete_database(&name).await;
}

/// A learner record that can be read by no one (not as a `LearnerRecord`, nor into JSON, so it
/// could not be kept aside) is an error, never `Unreadable` with nothing to keep, so the app
/// never rebuilds the knowledge over it; and the fault suite's failing read
/// (`globalThis.inklingFailReads`) fails reads of the store it names, once per count.
#[wasm_bindgen_test]
async fn a_learner_record_that_cannot_be_copied_aside_is_an_error() {
    let name = unique_name("learner-uncopyable");
    Store::open_at(&name, SCHEMA_VERSION).await.unwrap().close();
    let amy = student();
    {
        let db = Database::open(&name).await.unwrap();
        let tx = db
            .transaction([LEARNERS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        // A newer Inkling's record, say: JSON.stringify throws on its BigInt.
        let learner = js_sys::Object::new();
        js_sys::Reflect::set(
            &learner,
            &"mastery".into(),
            &js_sys::BigInt::from(5u64).into(),
        )
        .unwrap();
        let value = js_sys::Object::new();
        js_sys::Reflect::set(&value, &"profile".into(), &amy.to_string().into()).unwrap();
        js_sys::Reflect::set(&value, &"learner".into(), &learner).unwrap();
        tx.object_store(LEARNERS)
            .unwrap()
            .put(wasm_bindgen::JsValue::from(value))
            .build()
            .unwrap();
        tx.commit().await.unwrap();
        db.close();
    }
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let read = store.learner(&amy).await;
    assert!(matches!(read, Err(StoreError::Damaged(_))), "{read:?}");
    let hook = js_sys::JSON::parse(r#"{"learners": 1}"#).unwrap();
    js_sys::Reflect::set(&js_sys::global(), &"inklingFailReads".into(), &hook).unwrap();
    let read = store.learner(&amy).await;
    assert!(matches!(read, Err(StoreError::Failed(_))), "{read:?}");
    let read = store.learner(&amy).await;
    assert!(matches!(read, Err(StoreError::Damaged(_))), "{read:?}");
    store.close();
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_and_keeps_its_projects() {
    let name = unique_name("upgrade");
    let v1 = Store::open_at(&name, 1).await.unwrap();
    assert_eq!(v1.version(), 1);
    let mut names = v1.store_names();
    names.sort();
    assert_eq!(names, [EXAMPLES, PROJECTS, SETTINGS]);
    v1.close();

    // What version 1 wrote: projects without a profile.
    let project = project_with_examples();
    let record = ProjectRecord::of("old", &ProfileId::default(), &project, 5.0);
    {
        let db = Database::open(&name).await.unwrap();
        let tx = db
            .transaction([PROJECTS, EXAMPLES])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        // Serialised without the field, as version 1 did.
        let mut json = serde_json::to_value(&record).unwrap();
        json.as_object_mut().unwrap().remove("profile");
        // As a plain object (serde-wasm-bindgen makes maps into `Map`s by default).
        let value =
            serde::Serialize::serialize(&json, &serde_wasm_bindgen::Serializer::json_compatible())
                .unwrap();
        tx.object_store(PROJECTS)
            .unwrap()
            .put(value)
            .build()
            .unwrap();
        for class in &project.classes {
            for e in &class.examples {
                let r = ExampleRecord::of("old", class.id, e, Vec::new(), "");
                tx.object_store(EXAMPLES).unwrap().put(r).serde().unwrap();
            }
        }
        tx.commit().await.unwrap();
        db.close();
    }

    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(store.version(), SCHEMA_VERSION);
    let mut names = store.store_names();
    names.sort();
    assert_eq!(
        names,
        [
            EXAMPLES, LEARNERS, LESSONS, MODELS, OUTCOMES, PROFILES, PROJECTS, SETTINGS
        ]
    );
    let profiles = store.profiles().await.unwrap();
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0].id, student());
    let records = store.projects(&student()).await.unwrap();
    assert_eq!(
        records.len(),
        1,
        "the old project now belongs to the first student"
    );
    let (back, _) = store.load_project(&records[0], "").await.unwrap();
    assert_eq!(back, project);
    store.close();
    delete_database(&name).await;
}

#[wasm_bindgen_test]
async fn export_and_import_through_the_store_are_byte_for_byte_the_same() {
    let name = unique_name("files");
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let project = project_with_examples();
    let bytes = file::export(&project);
    let imported = file::import(&bytes).unwrap();
    let record = ProjectRecord::of("imported", &student(), &imported, 1.0);
    store
        .write_project(&record, &imported, &HashMap::new(), "enc", None)
        .await
        .unwrap();
    let (back, _) = store.load_project(&record, "enc").await.unwrap();
    assert_eq!(file::export(&back), bytes);

    // A bad file is refused by the importer (which the app calls before it writes anything):
    // the store holds exactly what it held, byte for byte.
    let bad = String::from_utf8(bytes.clone())
        .unwrap()
        .replacen("\"Store test\"", "\"\"", 1);
    let refused = file::import(bad.as_bytes()).unwrap_err();
    assert!(refused.to_string().contains("name"), "{refused}");
    let records = store.projects(&student()).await.unwrap();
    assert_eq!(records.len(), 1);
    let (kept, _) = store.load_project(&records[0], "enc").await.unwrap();
    assert_eq!(
        file::export(&kept),
        bytes,
        "the stored project is untouched"
    );
    store.close();
    delete_database(&name).await;
}

/// One fine-tuning run's first two losses (the second shows the first step's update).
async fn two_losses(device: &Device, images: &[Vec<f32>], labels: &[usize]) -> [f32; 2] {
    let ad = device.clone().autodiff();
    let (encoder, _) = shipped_encoder(&ad).unwrap();
    let inputs: Vec<inkling::learn::preprocess::ModelInput> = images
        .iter()
        .map(|p| inkling::learn::preprocess::ModelInput { pixels: p.clone() })
        .collect();
    let mut tuner = FineTuner::new(
        &encoder,
        batch_inputs(&inputs, &ad),
        labels,
        3,
        &FineTuneConfig::new(),
    )
    .unwrap();
    [tuner.step().await.unwrap(), tuner.step().await.unwrap()]
}

/// The same fine-tuning step on WebGPU (SwiftShader here) and on flex gives the same loss,
/// before and after the update, within 1e-3 (relative): different kernels, same arithmetic.
#[wasm_bindgen_test]
async fn a_fine_tuning_step_on_webgpu_matches_the_cpu() {
    let mut images = Vec::new();
    let mut labels = Vec::new();
    for k in 0..3usize {
        for j in 0..2u64 {
            images.push(
                strokes_to_input(&drawing(k as u64 * 10 + j))
                    .unwrap()
                    .pixels,
            );
            labels.push(k);
        }
    }
    let gpu = Device::wgpu_options()
        .graphics_api(burn::tensor::wgpu::WgpuBackend::WebGpu)
        .init_async()
        .await
        .expect("a WebGPU adapter (webdriver.json enables SwiftShader)");
    let on_cpu = two_losses(&Device::flex(), &images, &labels).await;
    let on_gpu = two_losses(&gpu, &images, &labels).await;
    web_sys::console::log_1(
        &format!("fine-tuning losses: cpu {on_cpu:?}, webgpu {on_gpu:?}").into(),
    );
    assert!(
        on_cpu[1] < on_cpu[0],
        "the step lowers the loss: {on_cpu:?}"
    );
    for (c, g) in on_cpu.iter().zip(&on_gpu) {
        assert!(
            (c - g).abs() <= 1e-3 * c.abs().max(1.0),
            "cpu {on_cpu:?} vs webgpu {on_gpu:?}"
        );
    }
}

/// Progress is written with the outcome that caused it, and both are there after reopening;
/// imported lessons and profiles too.
#[wasm_bindgen_test]
async fn progress_lessons_and_profiles_survive_reopening() {
    use inkling::knowledge::item::ItemId;
    use inkling::knowledge::learner::Learner;
    use inkling::knowledge::review::Scheduler;
    use inkling::lesson::builtin::builtin_lessons;

    let name = unique_name("progress");
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let lessons = builtin_lessons().unwrap();
    let amy_id = ProfileId::new(1.0, 1);
    let mut learner = Learner::default();
    let outcome = learner.record(
        &lessons[1],
        0,
        &ItemId::practice(&lessons[1].id, "alpha α"),
        true,
        1e12,
        &Scheduler::default(),
    );
    let record = LearnerRecord {
        profile: amy_id.clone(),
        learner: learner.clone(),
    };
    store
        .record_outcomes(
            &record,
            &[OutcomeRecord {
                profile: amy_id.clone(),
                outcome: outcome.clone(),
            }],
        )
        .await
        .unwrap();
    let lesson = LessonRecord {
        id: lessons[0].id.clone(),
        file: String::from_utf8(inkling::lesson::export(&lessons[0])).unwrap(),
        imported_ms: 1.0,
    };
    store.put_lesson(&lesson).await.unwrap();
    let amy = ProfileRecord {
        id: amy_id.clone(),
        name: "Amy".into(),
        language: "zh-CN".into(),
    };
    store.put_profile(&amy).await.unwrap();
    store.close();

    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    assert_eq!(
        store.learner(&amy_id).await.unwrap(),
        Stored::Read(record.clone())
    );
    let history = store.outcomes(&amy_id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].outcome, outcome);
    assert!(
        store
            .outcomes(&ProfileId::new(2.0, 2))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.lessons().await.unwrap(), vec![lesson]);
    assert!(store.profiles().await.unwrap().contains(&amy));

    // A corrected drawing is kept with the learner (no outcome), and so is a language change.
    let mut learner = record.learner.clone();
    learner.add_handwriting(&ItemId::practice(&lessons[1].id, "alpha α"), drawing(7));
    let corrected = LearnerRecord {
        profile: amy_id.clone(),
        learner,
    };
    store.put_learner(&corrected).await.unwrap();
    let english = ProfileRecord {
        language: "en".into(),
        ..amy.clone()
    };
    store.put_profile(&english).await.unwrap();
    store.close();
    let store = Store::open_at(&name, SCHEMA_VERSION).await.unwrap();
    let Stored::Read(back) = store.learner(&amy_id).await.unwrap() else {
        panic!("the learner record reads back");
    };
    assert_eq!(back, corrected);
    assert_eq!(
        back.learner
            .handwriting_of(&ItemId::practice(&lessons[1].id, "alpha α")),
        [drawing(7)]
    );
    assert_eq!(
        store.outcomes(&amy_id).await.unwrap().len(),
        1,
        "no outcome"
    );
    assert!(store.profiles().await.unwrap().contains(&english));
    store.close();
    delete_database(&name).await;
}

/// Only a start that needs WebGPU waits for the engine build: a first visit where WebGPU may
/// be faster answers on the CPU (the page's build) and measures WebGPU beside it.
#[wasm_bindgen_test]
fn the_drawing_engine_starts_on_the_page_build_unless_webgpu_is_needed() {
    use inkling::ui::{BackendRequest::*, Build, DrawingStart};
    let start = |request, remembered, gpu| {
        let s = DrawingStart::for_request(request, remembered, gpu);
        (s.build, s.request, s.measure_beside)
    };
    let gpu_won = Some("webgpu: 3 ms on WebGPU vs 9 ms on the CPU for 8 drawings");
    let cpu_won = Some("cpu: 30 ms on WebGPU vs 9 ms on the CPU for 8 drawings");
    assert_eq!(start(Auto, None, true), (Build::Page, Cpu, true));
    assert_eq!(start(Auto, None, false), (Build::Page, Auto, false));
    assert_eq!(start(Auto, gpu_won, true), (Build::Engine, Auto, false));
    assert_eq!(start(Auto, cpu_won, true), (Build::Page, Auto, false));
    assert_eq!(start(Auto, gpu_won, false), (Build::Page, Auto, false));
    assert_eq!(start(Cpu, gpu_won, true), (Build::Page, Cpu, false));
    assert_eq!(start(WebGpu, None, false), (Build::Engine, WebGpu, false));
}
