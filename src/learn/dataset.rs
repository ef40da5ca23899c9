//! Labelled drawings in memory: classes grouped by alphabet, each drawing kept as pen segments so
//! it can be re-rendered with a random distortion (augmentation) or as is.

use rand::Rng;

use super::episodes::{ClassIndex, EpisodeClass};
use super::preprocess::{
    Distortion, INPUT_SIZE, ModelInput, PreprocessError, Segment, StrokeWobble, segments_to_input,
    uniform_within,
};

/// One drawing: where it came from (for messages) and its pen segments.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub source: String,
    pub segments: Vec<Segment>,
}

/// A character (class) of an alphabet (group).
#[derive(Debug, Clone)]
pub struct CharacterClass {
    pub alphabet: String,
    pub name: String,
    pub drawings: Vec<Drawing>,
}

#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub classes: Vec<CharacterClass>,
}

/// How much random distortion augmentation applies (all zeros: none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Augmentation {
    pub max_rotation_deg: f32,
    pub max_shear: f32,
    pub max_scale: f32,
    pub max_shift: f32,
    pub pen_width: (f32, f32),
    /// Each stroke's own move (drawings made of strokes only); `seed` is drawn per sample.
    pub strokes: StrokeWobble,
}

impl Augmentation {
    /// Small warps a hand makes between two drawings of the same character.
    pub fn handwriting() -> Self {
        Self {
            max_rotation_deg: 12.0,
            max_shear: 0.2,
            max_scale: 0.15,
            max_shift: 1.5,
            pen_width: (1.5, 2.8),
            strokes: StrokeWobble::NONE,
        }
    }

    /// [`Augmentation::handwriting`], and each stroke placed, turned and sized a little
    /// differently on its own, as a hand does (for training on pen trajectories).
    pub fn handwriting_strokes() -> Self {
        Self {
            strokes: StrokeWobble {
                max_shift: 1.5,
                max_rotation_deg: 10.0,
                max_scale: 0.1,
                seed: 0,
            },
            ..Self::handwriting()
        }
    }

    pub fn sample(&self, rng: &mut impl Rng) -> Distortion {
        let mut uniform = |m: f32| uniform_within(rng, m);
        let angle = uniform(self.max_rotation_deg).to_radians();
        let shear = uniform(self.max_shear);
        let (sx, sy) = (1.0 + uniform(self.max_scale), 1.0 + uniform(self.max_scale));
        let shift = [uniform(self.max_shift), uniform(self.max_shift)];
        let (c, s) = (angle.cos(), angle.sin());
        // rotation * shear * scale
        let a = [[sx, shear * sy], [0.0, sy]];
        let matrix = [
            [c * a[0][0] - s * a[1][0], c * a[0][1] - s * a[1][1]],
            [s * a[0][0] + c * a[1][0], s * a[0][1] + c * a[1][1]],
        ];
        let (lo, hi) = self.pen_width;
        let pen_width = if hi > lo {
            rng.random_range(lo..hi)
        } else {
            lo
        };
        // Drawn only when used, so training without it draws the numbers it always drew.
        let strokes = if self.strokes.is_none() {
            StrokeWobble::NONE
        } else {
            StrokeWobble {
                seed: rng.random(),
                ..self.strokes
            }
        };
        Distortion {
            matrix,
            pen_width,
            shift,
            strokes,
        }
    }
}

impl Dataset {
    /// What the episode sampler needs.
    pub fn class_index(&self) -> Vec<ClassIndex> {
        self.classes
            .iter()
            .map(|c| ClassIndex {
                group: c.alphabet.clone(),
                drawings: c.drawings.len(),
            })
            .collect()
    }

    pub fn alphabets(&self) -> Vec<String> {
        let mut names: Vec<String> = self.classes.iter().map(|c| c.alphabet.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Split into (classes of the named alphabets, the rest).
    pub fn split_alphabets(self, names: &[String]) -> (Dataset, Dataset) {
        let (held, rest) = self
            .classes
            .into_iter()
            .partition(|c| names.contains(&c.alphabet));
        (Dataset { classes: held }, Dataset { classes: rest })
    }

    pub fn num_drawings(&self) -> usize {
        self.classes.iter().map(|c| c.drawings.len()).sum()
    }

    /// Render one drawing of an episode class (rotated), optionally distorted.
    pub fn render(
        &self,
        class: EpisodeClass,
        drawing: usize,
        distortion: &Distortion,
    ) -> Result<ModelInput, PreprocessError> {
        let input = segments_to_input(
            &self.classes[class.class].drawings[drawing].segments,
            distortion,
        )?;
        Ok(rotate_quarter_turns(&input, class.rotation))
    }
}

/// A drawing that could not be rendered, named by its source.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{source_name}: {error}")]
pub struct RenderError {
    pub source_name: String,
    pub error: PreprocessError,
}

impl Dataset {
    /// Every drawing rendered as it is (no distortion, no rotation): per class, its alphabet and
    /// its inputs (what validation and evaluation look at).
    pub fn render_all(&self) -> Result<Vec<(String, Vec<ModelInput>)>, RenderError> {
        self.classes
            .iter()
            .enumerate()
            .map(|(class, c)| {
                let inputs = (0..c.drawings.len())
                    .map(|d| {
                        self.render(
                            EpisodeClass { class, rotation: 0 },
                            d,
                            &Distortion::identity(),
                        )
                        .map_err(|error| RenderError {
                            source_name: c.drawings[d].source.clone(),
                            error,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((c.alphabet.clone(), inputs))
            })
            .collect()
    }
}

/// Rotate a model input by `turns` x 90 degrees counter-clockwise (exact on the square grid).
pub fn rotate_quarter_turns(input: &ModelInput, turns: u8) -> ModelInput {
    let n = INPUT_SIZE;
    let mut pixels = input.pixels.clone();
    for _ in 0..turns % 4 {
        let src = pixels.clone();
        for y in 0..n {
            for x in 0..n {
                // (x, y) <- (n-1-y, x)
                pixels[y * n + x] = src[x * n + (n - 1 - y)];
            }
        }
    }
    ModelInput { pixels }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_quarter_turns_are_the_identity_and_one_is_not() {
        let pixels: Vec<f32> = (0..INPUT_SIZE * INPUT_SIZE).map(|i| i as f32).collect();
        let input = ModelInput { pixels };
        assert_eq!(rotate_quarter_turns(&input, 4), input);
        let once = rotate_quarter_turns(&input, 1);
        assert_ne!(once, input);
        assert_eq!(rotate_quarter_turns(&once, 3), input);
        // The top-right corner goes to the top-left under a counter-clockwise turn.
        assert_eq!(once.pixels[0], input.pixels[INPUT_SIZE - 1]);
    }

    #[test]
    fn stroke_moves_leave_the_whole_drawing_distortion_as_it_was() {
        use rand::SeedableRng;
        // Training without stroke moves must draw the numbers it always drew (the shipped
        // encoder's card reproduces by them); with them, the same warp comes first.
        let mut a = rand::rngs::SmallRng::seed_from_u64(7);
        let mut b = rand::rngs::SmallRng::seed_from_u64(7);
        let plain = Augmentation::handwriting().sample(&mut a);
        let moved = Augmentation::handwriting_strokes().sample(&mut b);
        assert_eq!(plain.strokes, StrokeWobble::NONE);
        assert_eq!(
            (plain.matrix, plain.pen_width, plain.shift),
            (moved.matrix, moved.pen_width, moved.shift)
        );
        assert_ne!(moved.strokes, StrokeWobble::NONE);
        assert_eq!(rand::Rng::random::<u64>(&mut a), {
            let mut c = rand::rngs::SmallRng::seed_from_u64(7);
            Augmentation::handwriting().sample(&mut c);
            rand::Rng::random::<u64>(&mut c)
        });
    }
}
