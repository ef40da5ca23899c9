//! `inkling bench`: numbers, not assertions. Encoder throughput, one fine-tuning step, one
//! prototype update, all on `Device::flex()` with the shipped encoder.

use std::time::Instant;

use burn::prelude::*;
use clap::Args;
use inkling::learn::encoder::batch_inputs;
use inkling::learn::finetune::{FineTuneConfig, FineTuner};
use inkling::learn::preprocess::{ModelInput, Point, strokes_to_input};
use inkling::learn::prototypes::Prototypes;
use inkling::learn::weights::shipped_encoder;

#[derive(Args)]
pub struct BenchArgs {
    /// Repetitions of each measurement (the median is printed).
    #[arg(long, default_value_t = 10)]
    repeats: usize,
}

fn median_ms(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn time<T>(repeats: usize, mut f: impl FnMut() -> T) -> f64 {
    f(); // warm-up
    median_ms(
        (0..repeats.max(1))
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

/// A spiral scribble, different per `seed`: deterministic stand-in drawings.
fn scribble(seed: usize) -> ModelInput {
    let points = (0..40)
        .map(|i| {
            let a = i as f32 * 0.3 + seed as f32;
            Point {
                x: a.cos() * (i as f32 + seed as f32),
                y: a.sin() * i as f32,
                t: i as f32 * 10.0,
            }
        })
        .collect();
    strokes_to_input(&[points]).expect("a scribble has ink")
}

pub fn run(args: BenchArgs) -> Result<(), String> {
    let device = Device::flex();
    let ad = device.clone().autodiff();
    let (encoder, card) = shipped_encoder(&device).map_err(|e| e.to_string())?;
    let (encoder_ad, _) = shipped_encoder(&ad).map_err(|e| e.to_string())?;
    let dim = card.architecture.embedding_dim;
    let inputs: Vec<ModelInput> = (0..64).map(scribble).collect();
    println!(
        "inkling bench (flex, {} threads available)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let preprocess = time(args.repeats, || scribble(3));
    println!("preprocess one drawing (strokes -> 28x28):   {preprocess:8.3} ms");
    for batch in [1usize, 64] {
        let ms = time(args.repeats, || {
            encoder
                .forward(batch_inputs(&inputs[..batch], &device))
                .into_data()
        });
        println!(
            "encoder, batch {batch:>2}:                        {ms:8.3} ms  ({:.0} images/s)",
            batch as f64 / ms * 1000.0
        );
    }

    let (way, shot) = (5usize, 5usize);
    let support: Vec<ModelInput> = (0..way * shot).map(|i| inputs[i].clone()).collect();
    let labels: Vec<usize> = (0..way * shot).map(|i| i / shot).collect();
    for last_block in [false, true] {
        let config = FineTuneConfig::new().with_train_last_block(last_block);
        let mut tuner = FineTuner::new(
            &encoder_ad,
            batch_inputs(&support, &ad),
            &labels,
            way,
            &config,
        )
        .map_err(|e| e.to_string())?;
        let ms = time(args.repeats, || tuner.step_loss().into_data());
        println!(
            "fine-tune step, {way}-way {shot}-shot, {}: {ms:8.3} ms",
            if last_block {
                "head + last block"
            } else {
                "head only        "
            }
        );
    }

    let mut model = Prototypes::incremental(dim);
    let class = model.add_class("a");
    let embedding = vec![0.5f32; dim];
    let update = time(args.repeats * 100, || {
        let id = model.add_example(class, embedding.clone()).expect("valid");
        model.remove_example(id).expect("present");
    }) / 2.0;
    println!(
        "prototype update (add or remove one example): {:8.2} µs",
        update * 1000.0
    );
    let one = time(args.repeats, || {
        let x = encoder
            .forward(batch_inputs(&inputs[..1], &device))
            .into_data();
        let e: Vec<f32> = x.try_to_vec().expect("f32");
        let id = model.add_example(class, e).expect("valid");
        model.remove_example(id).expect("present");
    });
    println!("new drawing -> updated prototype (embed + add): {one:8.3} ms");
    Ok(())
}
