//! Meta-training on real stroke data, tiny: the same seed gives the same encoder, a stopped run
//! resumes from its checkpoint, the second algorithm (first-order Proto-MAML) trains too,
//! distillation follows the teachers it names, and `inkling meta-train --device wgpu` agrees
//! with the CPU.

use std::path::Path;

use burn::prelude::*;
use inkling::learn::dataset::Dataset;
use inkling::learn::encoder::{Encoder, batch_inputs};
use inkling::learn::meta_train::{
    Algorithm, Distillation, MetaTrainConfig, ValidationSet, meta_train,
};
use inkling::learn::preprocess::{INPUT_SIZE, ModelInput};
use inkling::learn::sources::load_omniglot_zip;

fn data() -> (Dataset, ValidationSet) {
    let all = load_omniglot_zip(Path::new(
        "../shared/data/omniglot/strokes_background_small1.zip",
    ))
    .unwrap();
    let (held, train) = all.split_alphabets(&["Greek".to_string()]);
    let validation = ValidationSet {
        classes: held.render_all().unwrap(),
    };
    (train, validation)
}

/// What the encoder computes on a fixed input (parameter ids differ between runs; values must not).
fn outputs(encoder: &Encoder) -> Vec<f32> {
    let device = Device::flex();
    let input = ModelInput {
        pixels: (0..INPUT_SIZE * INPUT_SIZE)
            .map(|i| (i % 13) as f32 / 12.0)
            .collect(),
    };
    encoder
        .forward(batch_inputs([&input], &device))
        .into_data()
        .try_to_vec()
        .unwrap()
}

fn tiny(algorithm: Algorithm, steps: usize) -> MetaTrainConfig {
    MetaTrainConfig {
        algorithm,
        channels: 8,
        steps,
        way: 5,
        shot: 1,
        queries: 2,
        val_every: 3,
        val_episodes: 10,
        val_way: 5,
        inner_steps: 2,
        ..MetaTrainConfig::default()
    }
}

#[test]
fn same_seed_same_encoder_and_a_stopped_run_resumes() {
    let (train, validation) = data();
    let cpu = Device::flex();
    let run = |config: &MetaTrainConfig, dir: Option<&Path>| {
        let mut losses = Vec::new();
        let (encoder, state) = meta_train(config, &train, &validation, &[], dir, &cpu, |e| {
            losses.push(e.loss)
        })
        .unwrap();
        (outputs(&encoder), state, losses)
    };
    let (a, state, losses) = run(&tiny(Algorithm::Proto, 4), None);
    let (b, _, _) = run(&tiny(Algorithm::Proto, 4), None);
    assert!(a == b, "the same seed must give the same encoder");
    assert_eq!(state.step, 4);
    assert_eq!(losses.len(), 4);
    assert!(losses.iter().all(|l| l.is_finite()));
    // Validation at step 3 and at the end.
    assert_eq!(state.log.len(), 2);

    let other_seed = MetaTrainConfig {
        seed: 7,
        ..tiny(Algorithm::Proto, 4)
    };
    assert!(
        run(&other_seed, None).0 != a,
        "another seed, another encoder"
    );

    // Stop after 3 steps, then ask for 6: the run continues at step 4 from the checkpoint.
    let dir = tempfile::tempdir().unwrap();
    let (_, first, _) = run(&tiny(Algorithm::Proto, 3), Some(dir.path()));
    assert_eq!(first.step, 3);
    assert!(dir.path().join("encoder.bpk").exists() && dir.path().join("state.json").exists());
    let (_, resumed, losses) = run(&tiny(Algorithm::Proto, 6), Some(dir.path()));
    assert_eq!(losses.len(), 3, "only steps 4..=6 run after resuming");
    // Compared with a run never stopped: step 4 starts from the same weights on the same
    // episode, so its loss is the same. (Later steps differ a little: Adam's moments restart on
    // resume, as meta_train says.)
    let (_, _, straight) = run(&tiny(Algorithm::Proto, 6), None);
    assert_eq!(straight.len(), 6);
    assert!(
        (losses[0] - straight[3]).abs() <= 1e-6 * straight[3].abs().max(1.0),
        "step 4 resumed {} vs uninterrupted {}",
        losses[0],
        straight[3]
    );
    assert_eq!(resumed.step, 6);
    assert_eq!(
        resumed.log.iter().map(|l| l.step).collect::<Vec<_>>(),
        vec![3, 6]
    );

    // Asking a finished run for no more steps loads its weights and trains nothing.
    let (again, state, losses) = run(&tiny(Algorithm::Proto, 6), Some(dir.path()));
    assert!(losses.is_empty());
    assert_eq!(state.step, 6);
    let (finished, _, _) = run(&tiny(Algorithm::Proto, 6), Some(dir.path()));
    assert!(again == finished);
    assert!(
        again != run(&tiny(Algorithm::Proto, 0), None).0,
        "the checkpoint was loaded"
    );

    // Resuming with other settings is refused, naming the setting.
    let other = MetaTrainConfig {
        learning_rate: 0.5,
        ..tiny(Algorithm::Proto, 9)
    };
    let Err(err) = meta_train(
        &other,
        &train,
        &validation,
        &[],
        Some(dir.path()),
        &cpu,
        |_| {},
    ) else {
        panic!("resuming with another learning rate must be refused");
    };
    assert!(err.to_string().contains("learning_rate"), "{err}");
}

#[test]
fn first_order_maml_trains() {
    let (train, validation) = data();
    let mut losses = Vec::new();
    let (_, state) = meta_train(
        &tiny(Algorithm::FoMaml, 3),
        &train,
        &validation,
        &[],
        None,
        &Device::flex(),
        |e| losses.push(e.loss),
    )
    .unwrap();
    assert_eq!(state.step, 3);
    assert!(
        losses.iter().all(|l| l.is_finite() && *l > 0.0),
        "{losses:?}"
    );
    // Same seed, same episodes: only the algorithm differs, so the losses must too.
    let mut proto_losses = Vec::new();
    meta_train(
        &tiny(Algorithm::Proto, 3),
        &train,
        &validation,
        &[],
        None,
        &Device::flex(),
        |e| proto_losses.push(e.loss),
    )
    .unwrap();
    assert_ne!(losses, proto_losses);
}

#[test]
fn distillation_trains_toward_its_teachers_and_needs_the_ones_it_names() {
    let (train, validation) = data();
    let cpu = Device::flex();
    let run = |config: &MetaTrainConfig, teachers: &[Encoder]| {
        let mut losses = Vec::new();
        let result = meta_train(config, &train, &validation, teachers, None, &cpu, |e| {
            losses.push(e.loss)
        });
        result.map(|(encoder, _)| (encoder, losses))
    };
    // Two teachers: tiny encoders of other seeds, trained a little.
    let teacher = |seed| {
        let config = MetaTrainConfig {
            seed,
            ..tiny(Algorithm::Proto, 2)
        };
        run(&config, &[]).unwrap().0
    };
    let teachers = [teacher(1), teacher(2)];
    let taught = |weight| MetaTrainConfig {
        distillation: Some(Distillation {
            teachers: vec!["one.bpk".into(), "two.bpk".into()],
            teacher_sha256: Vec::new(),
            weight,
            temperature: 4.0,
        }),
        ..tiny(Algorithm::Proto, 3)
    };
    let (_, alone) = run(&tiny(Algorithm::Proto, 3), &[]).unwrap();
    let (_, with_labels_only) = run(&taught(0.0), &teachers).unwrap();
    let (_, with_teachers) = run(&taught(0.5), &teachers).unwrap();
    // Weight 0 is the run without teachers; any other weight changes the loss.
    assert_eq!(alone, with_labels_only);
    assert!(
        with_teachers.iter().all(|l| l.is_finite() && *l > 0.0),
        "{with_teachers:?}"
    );
    assert_ne!(alone[0], with_teachers[0]);
    // Other teachers, other answers to follow: the loss depends on what the teachers say.
    let (_, with_one_teacher_twice) =
        run(&taught(0.5), &[teachers[0].clone(), teachers[0].clone()]).unwrap();
    assert_ne!(with_teachers[0], with_one_teacher_twice[0]);
    // The teachers given must be the ones the configuration names.
    let Err(err) = run(&taught(0.5), &teachers[..1]) else {
        panic!("one teacher for two named must be refused");
    };
    assert!(
        err.to_string()
            .contains("1 teacher encoders given for 2 named"),
        "{err}"
    );
    let Err(err) = run(&taught(1.5), &teachers) else {
        panic!("a weight above 1 must be refused");
    };
    assert!(err.to_string().contains("weight 1.5"), "{err}");
}

#[test]
fn distillation_settings_without_teachers_are_refused() {
    let stderr = meta_train_refused(&["--distil-weight", "0.9"]);
    assert!(stderr.contains("--distil-from"), "{stderr}");
}

/// Runs `inkling meta-train ARGS`, which must fail; returns what it said.
fn meta_train_refused(args: &[&str]) -> String {
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_inkling"))
        .arg("meta-train")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert!(!result.status.success(), "{args:?} should be refused");
    stderr
}

/// Vulkan for burn's wgpu runtime on a machine without a GPU driver: SwiftShader, from the
/// Chromium the browser tests already need (`cargo xtask test` installs it). Set for the child
/// process only: the Vulkan loader is found by the dynamic linker when the process starts.
fn swiftshader_vulkan(command: &mut std::process::Command) {
    let chromium = Path::new("/usr/lib/chromium");
    let icd = chromium.join("vk_swiftshader_icd.json");
    assert!(
        icd.exists(),
        "{} is missing: install Debian's chromium (`cargo xtask test` does)",
        icd.display()
    );
    command
        .env("VK_ICD_FILENAMES", &icd)
        .env("LD_LIBRARY_PATH", chromium);
}

/// A tiny `inkling meta-train` run's data and shape (flags; from the crate's root).
const TINY_RUN: &[&str] = &[
    "--strokes",
    "../shared/data/omniglot/strokes_background_small1.zip",
    "--images",
    "../shared/data/omniglot/images_background_small1.zip",
    "--holdout",
    "Greek",
    "--way",
    "5",
    "--queries",
    "2",
    "--channels",
    "8",
    "--val-way",
    "5",
];

/// One tiny `inkling meta-train` run on `device`: its per-step losses (validating at every
/// step logs each step's loss) and the trained encoder's outputs on a fixed input.
fn cli_run(device: &str) -> (Vec<f32>, Vec<f64>, Vec<f32>) {
    let dir = tempfile::tempdir().unwrap();
    let (checkpoint, out) = (dir.path().join("checkpoint"), dir.path().join("out"));
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_inkling"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["meta-train", "--device", device])
        .args(TINY_RUN)
        .args(["--steps", "3", "--val-every", "1", "--val-episodes", "10"]);
    command
        .arg("--checkpoint")
        .arg(&checkpoint)
        .arg("--out")
        .arg(&out);
    if device == "wgpu" {
        swiftshader_vulkan(&mut command);
    }
    let result = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "--device {device}: {stderr}");
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(checkpoint.join("state.json")).unwrap())
            .unwrap();
    let log = state["log"].as_array().unwrap();
    let losses = log
        .iter()
        .map(|l| l["mean_loss"].as_f64().unwrap() as f32)
        .collect();
    let accuracies = log
        .iter()
        .map(|l| l["val_accuracy"].as_f64().unwrap())
        .collect();
    let card: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("encoder.json")).unwrap()).unwrap();
    assert!(
        card["reproduce"]
            .as_str()
            .unwrap()
            .contains(&format!("--device {device}")),
        "the card says where it was trained: {}",
        card["reproduce"]
    );
    // The device burn really ran on (a wgpu that fell back to the CPU would say Flex).
    let ran_on = card["training_time"].as_str().unwrap();
    assert_eq!(
        ran_on.contains("Flex"),
        device == "cpu",
        "{device}: {ran_on}"
    );
    let bytes = std::fs::read(out.join("encoder.bpk")).unwrap();
    let encoder = inkling::learn::weights::encoder_from_bytes(
        &inkling::learn::encoder::EncoderConfig::new().with_channels(8),
        &bytes,
        &Device::flex(),
    )
    .unwrap();
    (losses, accuracies, outputs(&encoder))
}

/// The same run on the CPU and on burn's wgpu runtime (SwiftShader's Vulkan here): the same
/// episodes from the same initial weights, so they differ only by floating-point rounding.
#[test]
fn meta_training_on_wgpu_matches_the_cpu() {
    let (cpu_losses, cpu_accuracies, cpu_outputs) = cli_run("cpu");
    let (gpu_losses, gpu_accuracies, gpu_outputs) = cli_run("wgpu");
    assert_eq!(cpu_losses.len(), 3);
    assert_eq!(gpu_losses.len(), 3);
    for (step, (c, g)) in cpu_losses.iter().zip(&gpu_losses).enumerate() {
        assert!(
            (c - g).abs() <= 1e-3 * c.abs().max(1.0),
            "step {}: loss {c} on the CPU, {g} on wgpu",
            step + 1
        );
    }
    // 10 episodes of 5 queries: a near-tie may fall either way, one answer is 2%.
    for (c, g) in cpu_accuracies.iter().zip(&gpu_accuracies) {
        assert!((c - g).abs() <= 0.041, "validation {c} vs {g}");
    }
    // The weights: Adam divides each gradient by its own running size, so a parameter whose
    // gradient is near zero moves by a rounding-sized sign flip; compare the two runs' outputs
    // with how far training moved them from the untrained encoder's.
    let (train, validation) = data();
    let (untrained, _) = meta_train(
        &tiny(Algorithm::Proto, 0),
        &train,
        &validation,
        &[],
        None,
        &Device::flex(),
        |_| {},
    )
    .unwrap();
    let largest_difference =
        |a: &[f32], b: &[f32]| a.iter().zip(b).fold(0f32, |m, (x, y)| m.max((x - y).abs()));
    let moved = largest_difference(&outputs(&untrained), &cpu_outputs);
    let apart = largest_difference(&gpu_outputs, &cpu_outputs);
    eprintln!("training moved the outputs by up to {moved}; the devices differ by up to {apart}");
    assert!(moved > 0.0, "training changed nothing");
    // Two backends round differently: bit-equal outputs would mean one backend ran twice.
    assert!(
        apart > 0.0,
        "the CPU's and wgpu's encoders are bit-identical"
    );
    assert!(
        apart <= 0.05 * moved,
        "the devices' encoders differ by {apart}, training moved them by {moved}"
    );
}

#[test]
fn a_device_this_build_lacks_is_named_before_any_work() {
    if cfg!(feature = "cuda") {
        return;
    }
    let stderr = meta_train_refused(&["--device", "cuda", "--strokes", "/nonexistent.zip"]);
    assert!(
        stderr.contains("--device cuda") && stderr.contains("--features cuda"),
        "{stderr}"
    );
}

#[test]
fn a_teacher_that_cannot_be_read_is_named_before_any_work() {
    let stderr = meta_train_refused(&[
        "--strokes",
        "/nonexistent.zip",
        "--distil-from",
        "/nonexistent-teacher.bpk",
    ]);
    assert!(
        stderr.contains("--distil-from /nonexistent-teacher.bpk"),
        "{stderr}"
    );
}

/// A teacher is known by its content, not only its path: a run whose teacher file was replaced
/// at the same path does not resume with the new one unnoticed.
#[test]
fn a_teacher_replaced_at_the_same_path_does_not_resume() {
    let dir = tempfile::tempdir().unwrap();
    let teacher = dir.path().join("teacher.bpk");
    let shipped =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("public/models/encoder.bpk"))
            .unwrap();
    std::fs::write(&teacher, &shipped).unwrap();
    let checkpoint = dir.path().join("checkpoint");
    let run = |steps: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inkling"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("meta-train")
            .args(TINY_RUN)
            .args(["--val-episodes", "4", "--steps", steps])
            .arg("--checkpoint")
            .arg(&checkpoint)
            .arg("--out")
            .arg(dir.path().join("out"))
            .arg("--distil-from")
            .arg(&teacher)
            .output()
            .unwrap()
    };
    let first = run("1");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(checkpoint.join("state.json")).unwrap()).unwrap();
    let kept = &state["config"]["distillation"]["teacher_sha256"];
    assert!(
        kept.as_array()
            .is_some_and(|k| k.len() == 1 && k[0].as_str().is_some_and(|h| h.len() == 64)),
        "{kept}"
    );
    // The last weight byte changed: the same shape, another teacher.
    let mut replaced = shipped;
    *replaced.last_mut().unwrap() ^= 1;
    std::fs::write(&teacher, &replaced).unwrap();
    let resumed = run("2");
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(!resumed.status.success(), "resumed with another teacher");
    assert!(stderr.contains("another `distillation`"), "{stderr}");
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(checkpoint.join("state.json")).unwrap()).unwrap();
    assert_eq!(state["step"], 1, "the checkpoint is left as it was");
}
