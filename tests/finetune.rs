//! Fine-tuning on real drawings lowers the training loss, in both modes (head only; head and
//! last block), and the prototype-initialised head starts as the prototype classifier.

use burn::prelude::*;
use inkling::learn::encoder::batch_inputs;
use inkling::learn::evaluate::embed_inputs;
use inkling::learn::finetune::{FineTuneConfig, FineTuneError, FineTuner};
use inkling::learn::preprocess::{ModelInput, image_bytes_to_input};
use inkling::learn::prototypes::{Prototypes, argmax};
use inkling::learn::weights::shipped_encoder;
use std::io::Read;

/// `shots` drawings of each of the first `way` Greek characters.
fn greek(way: usize, shots: usize) -> (Vec<ModelInput>, Vec<usize>) {
    let file = std::fs::File::open("../shared/data/omniglot/images_background_small1.zip").unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut names: Vec<String> = zip
        .file_names()
        .filter(|n| n.contains("/Greek/") && n.ends_with(".png"))
        .map(String::from)
        .collect();
    names.sort();
    let (mut inputs, mut labels) = (Vec::new(), Vec::new());
    for class in 0..way {
        let prefix = format!("images_background_small1/Greek/character{:02}/", class + 1);
        for name in names.iter().filter(|n| n.starts_with(&prefix)).take(shots) {
            let mut bytes = Vec::new();
            zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
            inputs.push(image_bytes_to_input(&bytes).unwrap());
            labels.push(class);
        }
    }
    (inputs, labels)
}

#[test]
fn fine_tuning_lowers_the_loss_in_both_modes() {
    let (inputs, labels) = greek(5, 3);
    for train_last_block in [false, true] {
        let device = Device::flex().autodiff();
        let (encoder, _) = shipped_encoder(&device).unwrap();
        let config = FineTuneConfig::new()
            .with_train_last_block(train_last_block)
            .with_learning_rate(if train_last_block { 1e-3 } else { 1e-2 });
        let mut tuner = FineTuner::new(
            &encoder,
            batch_inputs(&inputs, &device),
            &labels,
            5,
            &config,
        )
        .unwrap();
        // The browser's path: one async step per call, the loss read asynchronously.
        let first = pollster::block_on(tuner.step()).unwrap();
        let mut last = first;
        for _ in 0..20 {
            last = pollster::block_on(tuner.step()).unwrap();
        }
        assert!(first.is_finite() && last.is_finite());
        assert!(
            last < first * 0.7,
            "last block {train_last_block}: loss {first} -> {last}"
        );
        assert_eq!(tuner.steps_done(), 21);
        // The tuned model classifies its own training examples.
        let logits = tuner.classify(&encoder, batch_inputs(&inputs, &device));
        let [n, c] = logits.dims();
        let values: Vec<f32> = logits.into_data().try_to_vec().unwrap();
        let correct = (0..n)
            .filter(|&i| argmax(&values[i * c..(i + 1) * c]) == labels[i])
            .count();
        assert!(correct >= n - 1, "{correct}/{n}");
    }
}

#[test]
fn the_initial_head_ranks_classes_as_the_prototypes_do() {
    let (inputs, labels) = greek(4, 4);
    let device = Device::flex().autodiff();
    let (encoder, _) = shipped_encoder(&device).unwrap();
    let plain = encoder.valid();
    let embeddings = embed_inputs(&plain, &inputs, &Device::flex());
    let mut model = Prototypes::incremental(embeddings[0].len());
    for k in 0..4 {
        model.add_class(k.to_string());
    }
    for (e, &l) in embeddings.iter().zip(&labels) {
        model.add_example(l, e.clone()).unwrap();
    }
    let tuner = FineTuner::new(
        &encoder,
        batch_inputs(&inputs, &device),
        &labels,
        4,
        &FineTuneConfig::new(),
    )
    .unwrap();
    let logits = tuner.classify(&encoder, batch_inputs(&inputs, &device));
    let [n, c] = logits.dims();
    let values: Vec<f32> = logits.into_data().try_to_vec().unwrap();
    for i in 0..n {
        let head = argmax(&values[i * c..(i + 1) * c]);
        let proto = model.predict(&embeddings[i], 0).unwrap().best;
        assert_eq!(head, proto, "example {i}");
    }
}

/// What the app stores and answers with after a reload: the head read off the device gives the
/// tuner's own probabilities, computed on plain numbers.
#[test]
fn head_weights_answer_as_the_tuner_does() {
    let (inputs, labels) = greek(3, 3);
    let device = Device::flex().autodiff();
    let (encoder, _) = shipped_encoder(&device).unwrap();
    let mut tuner = FineTuner::new(
        &encoder,
        batch_inputs(&inputs, &device),
        &labels,
        3,
        &FineTuneConfig::new(),
    )
    .unwrap();
    for _ in 0..5 {
        pollster::block_on(tuner.step()).unwrap();
    }
    let head = pollster::block_on(tuner.head_weights()).unwrap();
    assert_eq!((head.dim, head.classes), (64, 3));
    let embeddings = embed_inputs(&encoder.valid(), &inputs, &Device::flex());
    let logits = tuner.classify(&encoder, batch_inputs(&inputs, &device));
    let expected: Vec<f32> = burn::tensor::activation::softmax(logits, 1)
        .into_data()
        .try_to_vec()
        .unwrap();
    for (i, e) in embeddings.iter().enumerate() {
        let got = head.probabilities(e);
        for k in 0..3 {
            assert!(
                (got[k] - expected[i * 3 + k]).abs() < 1e-4,
                "{i},{k}: {got:?}"
            );
        }
    }
    // A run that also trains the last block has no head-only model to store.
    let whole = FineTuner::new(
        &encoder,
        batch_inputs(&inputs, &device),
        &labels,
        3,
        &FineTuneConfig::new().with_train_last_block(true),
    )
    .unwrap();
    assert!(pollster::block_on(whole.head_weights()).is_err());
}

#[test]
fn bad_training_sets_are_errors() {
    let (inputs, labels) = greek(3, 1);
    let device = Device::flex().autodiff();
    let (encoder, _) = shipped_encoder(&device).unwrap();
    let images = || batch_inputs(&inputs, &device);
    let config = FineTuneConfig::new();
    let err = |labels: &[usize], classes| match FineTuner::new(
        &encoder,
        images(),
        labels,
        classes,
        &config,
    ) {
        Ok(_) => panic!("labels {labels:?} for {classes} classes must be refused"),
        Err(e) => e,
    };
    assert_eq!(err(&labels, 4), FineTuneError::EmptyClass(3));
    assert_eq!(
        err(&[0, 1, 5], 3),
        FineTuneError::NoSuchClass {
            label: 5,
            classes: 3
        }
    );
    assert!(matches!(
        err(&[0, 1], 3),
        FineTuneError::LengthMismatch { .. }
    ));
    assert_eq!(err(&[0, 0, 0], 1), FineTuneError::TooFewClasses(1));
}
