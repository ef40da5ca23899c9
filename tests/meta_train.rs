//! Meta-training on real stroke data, tiny: the same seed gives the same encoder, a stopped run
//! resumes from its checkpoint, and the second algorithm (first-order Proto-MAML) trains too.

use std::path::Path;

use burn::prelude::*;
use inkling::learn::dataset::Dataset;
use inkling::learn::encoder::{Encoder, batch_inputs};
use inkling::learn::meta_train::{Algorithm, MetaTrainConfig, ValidationSet, meta_train};
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
    let run = |config: &MetaTrainConfig, dir: Option<&Path>| {
        let mut losses = Vec::new();
        let (encoder, state) =
            meta_train(config, &train, &validation, dir, |e| losses.push(e.loss)).unwrap();
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
    let Err(err) = meta_train(&other, &train, &validation, Some(dir.path()), |_| {}) else {
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
        None,
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
    meta_train(&tiny(Algorithm::Proto, 3), &train, &validation, None, |e| {
        proto_losses.push(e.loss)
    })
    .unwrap();
    assert_ne!(losses, proto_losses);
    // Same seed, same episodes: only the algorithm differs, so the losses must too.
    let mut proto_losses = Vec::new();
    meta_train(&tiny(Algorithm::Proto, 3), &train, &validation, None, |e| {
        proto_losses.push(e.loss)
    })
    .unwrap();
    assert_ne!(losses, proto_losses);
}
