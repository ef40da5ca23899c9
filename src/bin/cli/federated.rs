//! `inkling federated`: a class simulated on real data (`inkling::federated::simulate`).
//! Drawings: Omniglot's 20 drawers of each character; the last `--test-drawers` of them are
//! held out, the others' drawings are dealt to the students (a student's shots of a class are
//! consecutive drawers). Text (`--text`): Banking77, students holding disjoint training
//! sentences, scored on its test sentences.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use burn::prelude::*;
use clap::Args;
use inkling::federated::privacy::DpParams;
use inkling::federated::simulate::{
    Classroom, Outcome, SimClass, holders, median_embedding_norm, simulate,
};
use inkling::learn::encoder::Encoder;
use inkling::learn::evaluate::embed_inputs;
use inkling::learn::preprocess::{Distortion, ModelInput, segments_to_input};
use inkling::learn::sources::{load_image_tree, load_omniglot_zip};
use inkling::learn::text::labelled::Labelled;
use inkling::learn::text::{SentenceEncoder, model_dir};
use inkling::learn::weights::shipped_encoder;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;

use super::text::read_labelled_csv;

/// Omniglot's drawers per character.
const DRAWERS: usize = 20;

#[derive(Args)]
pub struct FederatedArgs {
    /// An Omniglot zip (strokes or images) or an unzipped `alphabet/character/*.png` tree
    /// [default: ../shared/data/omniglot/strokes_background_small1.zip].
    #[arg(long)]
    strokes: Option<PathBuf>,
    /// Simulate a text class instead: Banking77 (`--banking77` folder, train.csv and test.csv).
    #[arg(long)]
    text: bool,
    #[arg(long, default_value = "../shared/data/banking77")]
    banking77: PathBuf,
    /// The sentence encoder's folder (`--text`).
    #[arg(long)]
    text_model: Option<PathBuf>,
    /// Students (Omniglot: each class's training drawers are dealt to its holders, so
    /// holders x shots must not exceed 20 - test drawers).
    #[arg(long, default_value_t = 20)]
    students: usize,
    /// Classes in the simulated class, drawn at random with `--seed`.
    #[arg(long, default_value_t = 20)]
    classes: usize,
    /// Examples of each of their classes a student holds.
    #[arg(long, default_value_t = 1)]
    shots: usize,
    /// Classes each student holds [default: half the classes].
    #[arg(long)]
    classes_per_student: Option<usize>,
    /// Drawers held out to score every model (drawings).
    #[arg(long, default_value_t = 4)]
    test_drawers: usize,
    /// Test sentences per class (`--text`).
    #[arg(long, default_value_t = 20)]
    test_sentences: usize,
    /// A student's class with fewer examples is not shared.
    #[arg(long, default_value_t = 1)]
    min_examples: usize,
    /// Differential privacy on every contribution, with this epsilon (0 < epsilon <= 1).
    #[arg(long)]
    dp_epsilon: Option<f64>,
    #[arg(long, default_value_t = 1e-5)]
    dp_delta: f64,
    /// The norm embeddings are clipped to under DP [default: the app's, per kind of data].
    #[arg(long)]
    dp_clip: Option<f64>,
    /// Contributors that lie (every class, far from the truth, claiming many examples).
    #[arg(long, default_value_t = 0)]
    poison: usize,
    /// The class model by the coordinate-wise median over contributors.
    #[arg(long)]
    robust: bool,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Run the class this many times (seeds `seed`, `seed + 1`, ...: other classes, other
    /// holdings, other noise) and report the means.
    #[arg(long, default_value_t = 1)]
    repeats: u64,
    /// Print one JSON object on the last line.
    #[arg(long)]
    json: bool,
}

/// Where a run's classes come from: loaded once (with the encoder) for every run, each
/// example embedded the first time a run needs it.
enum Source {
    Drawings {
        path: PathBuf,
        /// Characters with [`DRAWERS`] drawers: name and inputs, in drawer order.
        characters: Vec<(String, Vec<ModelInput>)>,
        encoder: Encoder,
        embedded: HashMap<usize, Vec<Vec<f32>>>,
    },
    Text {
        train: Vec<Labelled>,
        test: Vec<Labelled>,
        encoder: Box<SentenceEncoder>,
        embedded: HashMap<String, Vec<f32>>,
    },
}

impl Source {
    fn load(args: &FederatedArgs, path: &Path) -> Result<Source, String> {
        if args.text {
            let dir = args.text_model.clone().unwrap_or_else(model_dir);
            return Ok(Source::Text {
                train: read_labelled_csv(&args.banking77.join("train.csv"))?,
                test: read_labelled_csv(&args.banking77.join("test.csv"))?,
                encoder: Box::new(SentenceEncoder::from_dir(&dir, true, &Device::flex())?),
                embedded: HashMap::new(),
            });
        }
        if args.test_drawers == 0 || args.test_drawers >= DRAWERS {
            return Err(format!("--test-drawers must be 1..{DRAWERS}"));
        }
        let data = if path.is_dir() {
            load_image_tree(path)
        } else {
            load_omniglot_zip(path)
        }
        .map_err(|e| e.to_string())?;
        let characters = data
            .classes
            .iter()
            .filter(|c| c.drawings.len() >= DRAWERS)
            .map(|class| {
                // Drawer order: the file names end in the drawer's number.
                let mut drawings: Vec<_> = class.drawings.iter().collect();
                drawings.sort_by(|a, b| a.source.cmp(&b.source));
                let inputs = drawings
                    .iter()
                    .take(DRAWERS)
                    .map(|d| {
                        segments_to_input(&d.segments, &Distortion::identity())
                            .map_err(|e| format!("{}: {e}", d.source))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((format!("{}/{}", class.alphabet, class.name), inputs))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let (encoder, _) = shipped_encoder(&Device::flex()).map_err(|e| e.to_string())?;
        Ok(Source::Drawings {
            path: path.to_path_buf(),
            characters,
            encoder,
            embedded: HashMap::new(),
        })
    }

    /// The classes of the run seeded `room.seed`, their examples embedded.
    fn classes(&mut self, args: &FederatedArgs, room: &Classroom) -> Result<Vec<SimClass>, String> {
        let mut rng = SmallRng::seed_from_u64(room.seed);
        match self {
            Source::Drawings {
                path,
                characters,
                encoder,
                embedded,
            } => {
                if characters.len() < args.classes {
                    return Err(format!(
                        "{}: {} characters have {DRAWERS} drawers, fewer than --classes {}",
                        path.display(),
                        characters.len(),
                        args.classes
                    ));
                }
                let mut chosen: Vec<usize> = (0..characters.len()).collect();
                chosen.shuffle(&mut rng);
                chosen.truncate(args.classes);
                Ok(chosen
                    .into_iter()
                    .map(|c| {
                        let mut train = embedded
                            .entry(c)
                            .or_insert_with(|| {
                                embed_inputs(encoder, &characters[c].1, &Device::flex())
                            })
                            .clone();
                        let test = train.split_off(DRAWERS - args.test_drawers);
                        SimClass {
                            name: characters[c].0.clone(),
                            train,
                            test,
                        }
                    })
                    .collect())
            }
            Source::Text {
                train,
                test,
                encoder,
                embedded,
            } => {
                let mut labels: Vec<&str> = train.iter().map(|r| r.label.as_str()).collect();
                labels.sort_unstable();
                labels.dedup();
                if labels.len() < args.classes {
                    return Err(format!(
                        "{}: {} categories, fewer than --classes {}",
                        args.banking77.display(),
                        labels.len(),
                        args.classes
                    ));
                }
                labels.shuffle(&mut rng);
                labels.truncate(args.classes);
                // Only the sentences the students hold are embedded (the encoder is slow on
                // a CPU), each once.
                let needed = holders(room, labels.len());
                let picked: Vec<(String, Vec<&str>, Vec<&str>)> = labels
                    .iter()
                    .zip(needed)
                    .map(|(label, holders)| {
                        (
                            label.to_string(),
                            sentences_of(train, label, holders * room.shots, &mut rng),
                            sentences_of(test, label, args.test_sentences, &mut rng),
                        )
                    })
                    .collect();
                let mut missing: Vec<&str> = picked
                    .iter()
                    .flat_map(|(_, a, b)| a.iter().chain(b))
                    .copied()
                    .filter(|t| !embedded.contains_key(*t))
                    .collect();
                missing.sort_unstable();
                missing.dedup();
                for (text, e) in missing.iter().zip(encoder.embed(&missing)) {
                    embedded.insert(text.to_string(), e);
                }
                let of = |texts: &[&str]| texts.iter().map(|t| embedded[*t].clone()).collect();
                Ok(picked
                    .iter()
                    .map(|(name, train, test)| SimClass {
                        name: name.clone(),
                        train: of(train),
                        test: of(test),
                    })
                    .collect())
            }
        }
    }
}

/// `n` of the sentences labelled `label` in `rows`, at random.
fn sentences_of<'a>(
    rows: &'a [Labelled],
    label: &str,
    n: usize,
    rng: &mut SmallRng,
) -> Vec<&'a str> {
    let mut of: Vec<&str> = rows
        .iter()
        .filter(|r| r.label == label)
        .map(|r| r.text.as_str())
        .collect();
    of.shuffle(rng);
    of.truncate(n);
    of
}

pub fn run(args: FederatedArgs) -> Result<(), String> {
    let dp = match args.dp_epsilon {
        Some(epsilon) => {
            let clip = args.dp_clip.unwrap_or(if args.text {
                inkling::federated::privacy::TEXT_CLIP
            } else {
                inkling::federated::privacy::DRAWING_CLIP
            });
            Some(DpParams::new(epsilon, args.dp_delta, clip).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    let room = Classroom {
        students: args.students,
        shots: args.shots,
        classes_per_student: args.classes_per_student.unwrap_or(args.classes.div_ceil(2)),
        min_examples: args.min_examples,
        dp,
        poisoned: args.poison,
        robust: args.robust,
        seed: args.seed,
    };
    let path = args
        .strokes
        .clone()
        .unwrap_or_else(|| super::default_data_dir().join("strokes_background_small1.zip"));
    let data = if args.text {
        args.banking77.display().to_string()
    } else {
        path.display().to_string()
    };
    let last = args
        .seed
        .checked_add(args.repeats.max(1) - 1)
        .ok_or("--seed plus --repeats is past the largest seed")?;
    let mut source = Source::load(&args, &path)?;
    let mut outcomes = Vec::new();
    let mut norms = Vec::new();
    for seed in args.seed..=last {
        let room = Classroom { seed, ..room };
        let classes = source.classes(&args, &room)?;
        outcomes.push(simulate(&classes, &room)?);
        norms.push(median_embedding_norm(&classes));
    }
    let outcome = Outcome::mean(&outcomes).ok_or("no runs")?;
    let norm = norms.iter().sum::<f64>() / norms.len() as f64;
    if args.json {
        let mut json = serde_json::to_value(&outcome).map_err(|e| e.to_string())?;
        json["settings"] = serde_json::to_value(room).map_err(|e| e.to_string())?;
        json["settings"]["data"] = data.into();
        json["settings"]["classes"] = args.classes.into();
        json["settings"]["repeats"] = outcomes.len().into();
        if args.text {
            json["settings"]["test_sentences"] = args.test_sentences.into();
        } else {
            json["settings"]["test_drawers"] = args.test_drawers.into();
        }
        json["settings"]["kind"] = if args.text { "text" } else { "drawing" }.into();
        json["median_embedding_norm"] = norm.into();
        println!("{json}");
    } else {
        println!(
            "{data}: {} classes, {} students × {} classes × {} shots, {} test examples, {} runs",
            args.classes,
            room.students,
            room.classes_per_student,
            room.shots,
            outcome.test_examples,
            outcomes.len()
        );
        println!(
            "personal {:.3} (own classes {:.3})  federated {:.3}  personal + class {:.3}  centralised {:.3}",
            outcome.personal_mean,
            outcome.personal_mean_own_classes,
            outcome.federated,
            outcome.personal_plus_class,
            outcome.centralised
        );
        println!(
            "max prototype difference {:.2e}, classes without a prototype {}, median embedding norm {norm:.3}",
            outcome.max_prototype_difference, outcome.classes_without_prototype
        );
    }
    Ok(())
}
