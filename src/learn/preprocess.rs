//! The one preprocessing path: pen strokes or pixel images become the model's fixed-size input.
//!
//! Both kinds of drawing are reduced to the same thing, a set of pen *segments*, and rendered by
//! one rasteriser with one pen width:
//! - strokes (canvas or Omniglot stroke files) are already segments;
//! - images are binarised (either polarity), thinned to a one-pixel skeleton (Zhang-Suen), and the
//!   skeleton's 8-connected neighbours become segments.
//!
//! The segments are cropped to their bounding box, scaled to fit [`INK_BOX`] keeping the aspect
//! ratio, centred in an [`INPUT_SIZE`]² canvas, and drawn with an anti-aliased pen of
//! [`PEN_WIDTH`] pixels. So line width, position, size and polarity of the original never reach the
//! model. Ink is 1.0, background 0.0.

use image::DynamicImage;
use serde::{Deserialize, Serialize};

/// Side of the square model input, in pixels.
pub const INPUT_SIZE: usize = 28;
/// The longer side of the drawing's bounding box is scaled to this many pixels.
pub const INK_BOX: f32 = 22.0;
/// Pen width of the rasteriser, in input pixels.
pub const PEN_WIDTH: f32 = 2.0;
/// Images larger than this (either side) are reduced before thinning, to bound the work.
const MAX_THINNING_SIDE: u32 = 160;

/// One sample of a pen trajectory: position (any unit, y down) and time in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: f32,
    pub y: f32,
    pub t: f32,
}

/// A pen-down..pen-up trajectory.
pub type Stroke = Vec<Point>;

/// What can go wrong turning a drawing into model input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PreprocessError {
    #[error("the drawing is empty (no ink)")]
    NoInk,
    #[error("a point has a coordinate that is not a finite number")]
    NotFinite,
    #[error("cannot decode the image: {0}")]
    Decode(String),
    #[error("stroke file line {line}: {message}")]
    StrokeSyntax { line: usize, message: String },
}

/// The model input: [`INPUT_SIZE`]² intensities, row-major, ink 1.0.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInput {
    pub pixels: Vec<f32>,
}

impl ModelInput {
    /// Cosine similarity of two inputs after a small blur (see [`ModelInput::blurred`]).
    pub fn blurred_cosine(&self, other: &ModelInput) -> f32 {
        let (a, b) = (self.blurred(), other.blurred());
        let dot: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
        if na == 0.0 || nb == 0.0 {
            0.0
        } else {
            dot / (na * nb)
        }
    }

    /// The input as text, `#` for ink: for failure messages and debugging.
    pub fn to_ascii(&self) -> String {
        self.pixels
            .chunks(INPUT_SIZE)
            .map(|row| {
                row.iter()
                    .map(|&v| if v > 0.5 { '#' } else { '.' })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A 3x3 box blur: lines that are one pixel apart still overlap, as they do to a conv net.
    pub fn blurred(&self) -> Vec<f32> {
        let n = INPUT_SIZE as i32;
        let mut out = vec![0.0; self.pixels.len()];
        for y in 0..n {
            for x in 0..n {
                let mut sum = 0.0;
                for dy in -1..=1 {
                    for dx in -1..=1 {
                        let (xx, yy) = (x + dx, y + dy);
                        if (0..n).contains(&xx) && (0..n).contains(&yy) {
                            sum += self.pixels[(yy * n + xx) as usize];
                        }
                    }
                }
                out[(y * n + x) as usize] = sum / 9.0;
            }
        }
        out
    }
}

/// A small geometric change applied before rendering, for augmentation. `identity()` is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distortion {
    /// 2x2 linear map applied to the drawing (rotation, shear, anisotropic scale).
    pub matrix: [[f32; 2]; 2],
    /// Pen width in input pixels.
    pub pen_width: f32,
    /// Offset of the drawing's centre, in input pixels.
    pub shift: [f32; 2],
    /// Each pen stroke moved on its own before the whole drawing is (none: `StrokeWobble::NONE`).
    pub strokes: StrokeWobble,
}

/// How far each stroke of a pen drawing may move on its own, around its own centre: the way a
/// hand places, turns and sizes each stroke a little differently every time. For drawings made of
/// strokes: an image's skeleton has none, and each of its pixel segments would move alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrokeWobble {
    /// Largest shift of a stroke, in input pixels, along each axis.
    pub max_shift: f32,
    pub max_rotation_deg: f32,
    /// Largest relative change of a stroke's size.
    pub max_scale: f32,
    /// Seeds each stroke's draw, so one distortion always renders the same way.
    pub seed: u64,
}

impl StrokeWobble {
    pub const NONE: StrokeWobble = StrokeWobble {
        max_shift: 0.0,
        max_rotation_deg: 0.0,
        max_scale: 0.0,
        seed: 0,
    };

    /// Whether no stroke moves at all (whatever the seed).
    pub fn is_none(&self) -> bool {
        self.max_shift == 0.0 && self.max_rotation_deg == 0.0 && self.max_scale == 0.0
    }
}

impl Distortion {
    pub fn identity() -> Self {
        Self {
            matrix: [[1.0, 0.0], [0.0, 1.0]],
            pen_width: PEN_WIDTH,
            shift: [0.0, 0.0],
            strokes: StrokeWobble::NONE,
        }
    }
}

impl Default for Distortion {
    fn default() -> Self {
        Self::identity()
    }
}

/// Pen strokes to model input.
pub fn strokes_to_input(strokes: &[Stroke]) -> Result<ModelInput, PreprocessError> {
    render_segments(&stroke_segments(strokes)?, &Distortion::identity())
}

/// Pen strokes to model input, distorted (augmentation).
pub fn strokes_to_input_distorted(
    strokes: &[Stroke],
    distortion: &Distortion,
) -> Result<ModelInput, PreprocessError> {
    render_segments(&stroke_segments(strokes)?, distortion)
}

/// PNG (or any format the `image` crate was built with) bytes to model input.
pub fn image_bytes_to_input(bytes: &[u8]) -> Result<ModelInput, PreprocessError> {
    image_to_input(&decode_image(bytes)?)
}

/// The widest and tallest image decoded: a drawing photographed at 12 megapixels fits; its
/// decoded pixels (and the thinning's copies) stay within a few tens of MB.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// An image file's pixels, its size bounded by [`MAX_IMAGE_SIDE`] before anything is decoded.
pub fn decode_image(bytes: &[u8]) -> Result<DynamicImage, PreprocessError> {
    let decode = |e: &dyn std::fmt::Display| PreprocessError::Decode(e.to_string());
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| decode(&e))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    reader.limits(limits);
    reader.decode().map_err(|e| decode(&e))
}

/// A decoded image, either polarity, any size, to model input.
pub fn image_to_input(img: &DynamicImage) -> Result<ModelInput, PreprocessError> {
    render_segments(&image_segments(img)?, &Distortion::identity())
}

/// Segments of an image's ink skeleton, in image pixel coordinates (for augmentation callers).
pub fn image_segments(img: &DynamicImage) -> Result<Vec<Segment>, PreprocessError> {
    let ink = binarise(img);
    let skeleton = thin(Mask {
        width: ink.width,
        height: ink.height,
        ink: ink.ink.clone(),
    });
    // Thinning erases a blob of 2x2 pixels or so entirely; such a dot is drawn as it is.
    if skeleton.ink.iter().any(|&v| v) {
        skeleton_segments(&skeleton)
    } else {
        skeleton_segments(&ink)
    }
}

/// Render segments (any coordinates) into model input.
pub fn segments_to_input(
    segments: &[Segment],
    distortion: &Distortion,
) -> Result<ModelInput, PreprocessError> {
    render_segments(segments, distortion)
}

/// Parse an Omniglot stroke file: `START`, then `x,y,t` lines, `BREAK` at each pen-up. Omniglot's
/// y axis points up, so y is negated to the image convention (y down).
pub fn parse_omniglot_strokes(text: &str) -> Result<Vec<Stroke>, PreprocessError> {
    let mut strokes = Vec::new();
    let mut current: Stroke = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line == "START" {
            continue;
        }
        if line == "BREAK" {
            if !current.is_empty() {
                strokes.push(std::mem::take(&mut current));
            }
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        let syntax = |message: String| PreprocessError::StrokeSyntax {
            line: i + 1,
            message,
        };
        if fields.len() != 3 {
            return Err(syntax(format!("expected `x,y,t`, found `{line}`")));
        }
        let mut v = [0.0f32; 3];
        for (slot, field) in v.iter_mut().zip(&fields) {
            *slot = field
                .trim()
                .parse()
                .map_err(|_| syntax(format!("`{field}` is not a number")))?;
        }
        current.push(Point {
            x: v[0],
            y: -v[1],
            t: v[2],
        });
    }
    if !current.is_empty() {
        strokes.push(current);
    }
    Ok(strokes)
}

/// A pen segment from `a` to `b` (a dot when they are equal).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub a: [f32; 2],
    pub b: [f32; 2],
}

pub fn stroke_segments(strokes: &[Stroke]) -> Result<Vec<Segment>, PreprocessError> {
    let mut segments = Vec::new();
    for stroke in strokes {
        if stroke.iter().any(|p| !p.x.is_finite() || !p.y.is_finite()) {
            return Err(PreprocessError::NotFinite);
        }
        match stroke.as_slice() {
            [] => {}
            [p] => segments.push(Segment {
                a: [p.x, p.y],
                b: [p.x, p.y],
            }),
            points => segments.extend(points.windows(2).map(|w| Segment {
                a: [w[0].x, w[0].y],
                b: [w[1].x, w[1].y],
            })),
        }
    }
    if segments.is_empty() {
        return Err(PreprocessError::NoInk);
    }
    Ok(segments)
}

/// A binary ink mask.
struct Mask {
    width: usize,
    height: usize,
    ink: Vec<bool>,
}

impl Mask {
    fn get(&self, x: isize, y: isize) -> bool {
        x >= 0
            && y >= 0
            && (x as usize) < self.width
            && (y as usize) < self.height
            && self.ink[y as usize * self.width + x as usize]
    }
}

/// Ink mask of an image, whichever its polarity: on a transparent background the opaque pixels
/// are ink; otherwise the background is the shade (Otsu's threshold) that covers most of the
/// image border.
fn binarise(img: &DynamicImage) -> Mask {
    let mut img = img.clone();
    if img.width() > MAX_THINNING_SIDE || img.height() > MAX_THINNING_SIDE {
        img = img.resize(
            MAX_THINNING_SIDE,
            MAX_THINNING_SIDE,
            image::imageops::FilterType::Triangle,
        );
    }
    let rgba = img.to_rgba8();
    let (width, height) = (rgba.width() as usize, rgba.height() as usize);
    // Luminance composited over white; alpha 0 is therefore background for dark ink.
    let lum: Vec<f32> = rgba
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0.map(|c| c as f32 / 255.0);
            let l = 0.299 * r + 0.587 * g + 0.114 * b;
            l * a + (1.0 - a)
        })
        .collect();
    let on_border = |i: usize| {
        let (x, y) = (i % width, i / width);
        x == 0 || y == 0 || x + 1 == width || y + 1 == height
    };
    // A transparent background (most of the border): ink is whatever is opaque, in any colour.
    let alpha: Vec<u8> = rgba.pixels().map(|p| p.0[3]).collect();
    let border = (0..alpha.len()).filter(|&i| on_border(i)).count();
    let border_clear = (0..alpha.len())
        .filter(|&i| on_border(i) && alpha[i] < 128)
        .count();
    if border_clear * 2 > border {
        return Mask {
            width,
            height,
            ink: alpha.iter().map(|&a| a >= 128).collect(),
        };
    }
    let threshold = otsu_threshold(&lum);
    let dark: Vec<bool> = lum.iter().map(|&l| l < threshold).collect();
    let border_dark = (0..dark.len()).filter(|&i| on_border(i) && dark[i]).count();
    let ink_is_dark = border_dark * 2 <= border;
    Mask {
        width,
        height,
        ink: dark.iter().map(|&d| d == ink_is_dark).collect(),
    }
}

/// Otsu's threshold on luminance in 0..1 (256 bins); 0.5 for a flat image.
fn otsu_threshold(lum: &[f32]) -> f32 {
    let mut hist = [0usize; 256];
    for &l in lum {
        hist[(l.clamp(0.0, 1.0) * 255.0).round() as usize] += 1;
    }
    let total = lum.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut best, mut best_t) = (-1.0f64, 127usize);
    let (mut w0, mut sum0) = (0.0f64, 0.0f64);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        sum0 += t as f64 * c as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0, (sum_all - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t;
        }
    }
    if best <= 0.0 {
        return 0.5;
    }
    (best_t as f32 + 0.5) / 255.0
}

/// Zhang-Suen thinning: a one-pixel-wide, 8-connected skeleton of the ink.
fn thin(mut mask: Mask) -> Mask {
    let (w, h) = (mask.width as isize, mask.height as isize);
    loop {
        let mut changed = false;
        for pass in 0..2 {
            let mut remove = Vec::new();
            for y in 0..h {
                for x in 0..w {
                    if !mask.get(x, y) {
                        continue;
                    }
                    // Neighbours P2..P9, clockwise from north.
                    let p = [
                        mask.get(x, y - 1),
                        mask.get(x + 1, y - 1),
                        mask.get(x + 1, y),
                        mask.get(x + 1, y + 1),
                        mask.get(x, y + 1),
                        mask.get(x - 1, y + 1),
                        mask.get(x - 1, y),
                        mask.get(x - 1, y - 1),
                    ];
                    let neighbours = p.iter().filter(|&&v| v).count();
                    if !(2..=6).contains(&neighbours) {
                        continue;
                    }
                    let transitions = (0..8).filter(|&i| !p[i] && p[(i + 1) % 8]).count();
                    if transitions != 1 {
                        continue;
                    }
                    let (p2, p4, p6, p8) = (p[0], p[2], p[4], p[6]);
                    let ok = if pass == 0 {
                        !(p4 && p6 && (p2 || p8))
                    } else {
                        !(p2 && p8 && (p4 || p6))
                    };
                    if ok {
                        remove.push((y * w + x) as usize);
                    }
                }
            }
            changed |= !remove.is_empty();
            for i in remove {
                mask.ink[i] = false;
            }
        }
        if !changed {
            return mask;
        }
    }
}

/// Each skeleton pixel joined to its 8-connected neighbours (each pair once); isolated pixels
/// become dots. Pixel centres are the coordinates.
fn skeleton_segments(mask: &Mask) -> Result<Vec<Segment>, PreprocessError> {
    let mut segments = Vec::new();
    for y in 0..mask.height as isize {
        for x in 0..mask.width as isize {
            if !mask.get(x, y) {
                continue;
            }
            let c = [x as f32 + 0.5, y as f32 + 0.5];
            let mut joined = false;
            // Forward half of the neighbourhood, so each pair is joined once.
            for (dx, dy) in [(1, 0), (-1, 1), (0, 1), (1, 1)] {
                if mask.get(x + dx, y + dy) {
                    segments.push(Segment {
                        a: c,
                        b: [c[0] + dx as f32, c[1] + dy as f32],
                    });
                    joined = true;
                }
            }
            let has_back = [(-1, 0), (1, -1), (0, -1), (-1, -1)]
                .iter()
                .any(|&(dx, dy)| mask.get(x + dx, y + dy));
            if !joined && !has_back {
                segments.push(Segment { a: c, b: c });
            }
        }
    }
    if segments.is_empty() {
        return Err(PreprocessError::NoInk);
    }
    Ok(segments)
}

/// Crop to the ink, fit the longer side to [`INK_BOX`], centre, distort, draw with the pen.
fn render_segments(
    segments: &[Segment],
    distortion: &Distortion,
) -> Result<ModelInput, PreprocessError> {
    if segments.is_empty() {
        return Err(PreprocessError::NoInk);
    }
    let (mut min, mut max) = ([f32::MAX; 2], [f32::MIN; 2]);
    for s in segments {
        for p in [s.a, s.b] {
            if !p[0].is_finite() || !p[1].is_finite() {
                return Err(PreprocessError::NotFinite);
            }
            for k in 0..2 {
                min[k] = min[k].min(p[k]);
                max[k] = max[k].max(p[k]);
            }
        }
    }
    let centre = [min[0] / 2.0 + max[0] / 2.0, min[1] / 2.0 + max[1] / 2.0];
    let extent = (max[0] - min[0]).max(max[1] - min[1]);
    if !extent.is_finite() {
        return Err(PreprocessError::NotFinite);
    }
    // A single dot (no extent) is drawn at pen size; anything larger fills the box.
    let scale = if extent > 1e-6 { INK_BOX / extent } else { 1.0 };
    let m = distortion.matrix;
    let half = INPUT_SIZE as f32 / 2.0;
    let map = |p: [f32; 2]| {
        let (x, y) = ((p[0] - centre[0]) * scale, (p[1] - centre[1]) * scale);
        [
            m[0][0] * x + m[0][1] * y + half + distortion.shift[0],
            m[1][0] * x + m[1][1] * y + half + distortion.shift[1],
        ]
    };
    let mut pixels = vec![0.0f32; INPUT_SIZE * INPUT_SIZE];
    let radius = distortion.pen_width / 2.0;
    if distortion.strokes.is_none() {
        for s in segments {
            draw_segment(&mut pixels, map(s.a), map(s.b), radius);
        }
    } else {
        for (k, stroke) in strokes_of(segments).enumerate() {
            let wobble = stroke_move(stroke, &distortion.strokes, k as u64, 1.0 / scale);
            for s in stroke {
                draw_segment(&mut pixels, map(wobble(s.a)), map(wobble(s.b)), radius);
            }
        }
    }
    Ok(ModelInput { pixels })
}

/// A number drawn evenly from `-m..m`; none is drawn when `m` is 0 (so a distortion without
/// that part leaves the generator where it was).
pub(crate) fn uniform_within(rng: &mut impl rand::Rng, m: f32) -> f32 {
    if m > 0.0 {
        rng.random_range(-m..m)
    } else {
        0.0
    }
}

/// Pen strokes of a drawing's segments: runs in which each segment starts where the one before
/// ends (a stroke file's segments come so, stroke after stroke).
fn strokes_of(segments: &[Segment]) -> impl Iterator<Item = &[Segment]> {
    segments.chunk_by(|before, next| before.b == next.a)
}

/// The random move of the `k`-th stroke, in the drawing's coordinates: a turn and a change of
/// size about the stroke's own centre, then a shift (`unit`: drawing units per input pixel).
fn stroke_move(
    stroke: &[Segment],
    wobble: &StrokeWobble,
    k: u64,
    unit: f32,
) -> impl Fn([f32; 2]) -> [f32; 2] {
    use rand::SeedableRng;
    let mut rng = rand::rngs::SmallRng::seed_from_u64(
        wobble.seed ^ k.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let mut uniform = |m: f32| uniform_within(&mut rng, m);
    let angle = uniform(wobble.max_rotation_deg).to_radians();
    let size = 1.0 + uniform(wobble.max_scale);
    let shift = [
        uniform(wobble.max_shift) * unit,
        uniform(wobble.max_shift) * unit,
    ];
    let (mut min, mut max) = ([f32::MAX; 2], [f32::MIN; 2]);
    for p in stroke.iter().flat_map(|s| [s.a, s.b]) {
        for i in 0..2 {
            min[i] = min[i].min(p[i]);
            max[i] = max[i].max(p[i]);
        }
    }
    let centre = [min[0] / 2.0 + max[0] / 2.0, min[1] / 2.0 + max[1] / 2.0];
    let (c, s) = (angle.cos() * size, angle.sin() * size);
    move |p: [f32; 2]| {
        let (x, y) = (p[0] - centre[0], p[1] - centre[1]);
        [
            centre[0] + c * x - s * y + shift[0],
            centre[1] + s * x + c * y + shift[1],
        ]
    }
}

/// Anti-aliased capsule: intensity falls from 1 to 0 over one pixel at distance `radius`.
fn draw_segment(pixels: &mut [f32], a: [f32; 2], b: [f32; 2], radius: f32) {
    let n = INPUT_SIZE as isize;
    let reach = radius + 1.0;
    let x0 = ((a[0].min(b[0]) - reach).floor() as isize).max(0);
    let x1 = ((a[0].max(b[0]) + reach).ceil() as isize).min(n - 1);
    let y0 = ((a[1].min(b[1]) - reach).floor() as isize).max(0);
    let y1 = ((a[1].max(b[1]) + reach).ceil() as isize).min(n - 1);
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    for y in y0..=y1 {
        for x in x0..=x1 {
            let p = [x as f32 + 0.5 - a[0], y as f32 + 0.5 - a[1]];
            let t = if len2 > 0.0 {
                ((p[0] * d[0] + p[1] * d[1]) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (ex, ey) = (p[0] - t * d[0], p[1] - t * d[1]);
            let dist = (ex * ex + ey * ey).sqrt();
            let v = (radius + 0.5 - dist).clamp(0.0, 1.0);
            let slot = &mut pixels[(y * n + x) as usize];
            if v > *slot {
                *slot = v;
            }
        }
    }
}

/// A drawing of one straight stroke from (0, 0) at time 0 to (`to`, `to`) at `t`, for tests.
#[cfg(test)]
pub(crate) fn line_drawing(to: f32, t: f32) -> Vec<Stroke> {
    vec![vec![
        Point {
            x: 0.0,
            y: 0.0,
            t: 0.0,
        },
        Point { x: to, y: to, t },
    ]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    /// An "L" with a diagonal, drawn with a round pen of the given radius (symmetric thickening).
    fn line_image(radius: f32, ink: u8, paper: u8) -> DynamicImage {
        let segments = [
            ((12.0, 10.0), (12.0, 50.0)),
            ((12.0, 50.0), (50.0, 50.0)),
            ((20.0, 10.0), (48.0, 38.0)),
        ];
        let img = GrayImage::from_fn(64, 64, |x, y| {
            let p = (x as f32 + 0.5, y as f32 + 0.5);
            let near = segments.iter().any(|&(a, b)| {
                let d = (b.0 - a.0, b.1 - a.1);
                let t = (((p.0 - a.0) * d.0 + (p.1 - a.1) * d.1) / (d.0 * d.0 + d.1 * d.1))
                    .clamp(0.0, 1.0);
                let (ex, ey) = (p.0 - a.0 - t * d.0, p.1 - a.1 - t * d.1);
                (ex * ex + ey * ey).sqrt() <= radius
            });
            Luma([if near { ink } else { paper }])
        });
        DynamicImage::ImageLuma8(img)
    }

    #[test]
    fn polarity_and_line_width_do_not_change_the_input() {
        let thin_dark = image_to_input(&line_image(0.8, 0, 255)).unwrap();
        let thick_dark = image_to_input(&line_image(4.0, 0, 255)).unwrap();
        let thick_light = image_to_input(&line_image(4.0, 255, 0)).unwrap();
        let sim = thin_dark.blurred_cosine(&thick_dark);
        assert!(
            sim > 0.85,
            "{sim}\n{}\n\n{}",
            thin_dark.to_ascii(),
            thick_dark.to_ascii()
        );
        assert!(thick_dark.blurred_cosine(&thick_light) > 0.999);
    }

    #[test]
    fn drawing_is_cropped_and_centred_whatever_its_position() {
        let stroke = |dx: f32, s: f32| {
            vec![vec![
                Point {
                    x: dx,
                    y: 0.0,
                    t: 0.0,
                },
                Point {
                    x: dx + 10.0 * s,
                    y: 5.0 * s,
                    t: 1.0,
                },
            ]]
        };
        let a = strokes_to_input(&stroke(0.0, 1.0)).unwrap();
        let b = strokes_to_input(&stroke(300.0, 7.0)).unwrap();
        for (x, y) in a.pixels.iter().zip(&b.pixels) {
            assert!((x - y).abs() < 1e-4);
        }
        // Ink centred: the mass centre is at the canvas centre.
        let n = INPUT_SIZE as f32;
        let (mut cx, mut mass) = (0.0, 0.0);
        for (i, v) in a.pixels.iter().enumerate() {
            cx += v * ((i % INPUT_SIZE) as f32 + 0.5);
            mass += v;
        }
        assert!((cx / mass - n / 2.0).abs() < 0.5);
    }

    #[test]
    fn an_image_wider_than_the_limit_is_refused_before_it_is_decoded() {
        let wide =
            DynamicImage::ImageLuma8(GrayImage::from_pixel(MAX_IMAGE_SIDE + 1, 2, Luma([0])));
        let mut png = Vec::new();
        wide.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(
            matches!(image_bytes_to_input(&png), Err(PreprocessError::Decode(_))),
            "{:?}",
            image_bytes_to_input(&png).map(|_| ())
        );
        let fits = DynamicImage::ImageLuma8(GrayImage::from_pixel(MAX_IMAGE_SIDE, 2, Luma([0])));
        let mut png = Vec::new();
        fits.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(decode_image(&png).is_ok());
    }

    #[test]
    fn empty_drawings_and_bad_numbers_are_errors() {
        assert_eq!(strokes_to_input(&[]), Err(PreprocessError::NoInk));
        let blank = DynamicImage::ImageLuma8(GrayImage::from_pixel(20, 20, Luma([255])));
        assert_eq!(image_to_input(&blank), Err(PreprocessError::NoInk));
        let nan = vec![vec![Point {
            x: f32::NAN,
            y: 0.0,
            t: 0.0,
        }]];
        assert_eq!(strokes_to_input(&nan), Err(PreprocessError::NotFinite));
        assert!(matches!(
            image_bytes_to_input(b"not a png"),
            Err(PreprocessError::Decode(_))
        ));
        assert!(matches!(
            parse_omniglot_strokes("START\n1,2,3\n4,x,5\n"),
            Err(PreprocessError::StrokeSyntax { line: 3, .. })
        ));
    }

    #[test]
    fn light_ink_on_a_transparent_background_is_ink() {
        let mut img = image::RgbaImage::from_pixel(40, 40, image::Rgba([0, 0, 0, 0]));
        for i in 5..35 {
            img.put_pixel(i, i, image::Rgba([255, 255, 255, 255]));
            img.put_pixel(i, 20, image::Rgba([255, 255, 255, 255]));
        }
        let light = image_to_input(&DynamicImage::ImageRgba8(img)).unwrap();
        let mut dark = GrayImage::from_pixel(40, 40, Luma([255]));
        for i in 5..35 {
            dark.put_pixel(i, i, Luma([0]));
            dark.put_pixel(i, 20, Luma([0]));
        }
        let dark = image_to_input(&DynamicImage::ImageLuma8(dark)).unwrap();
        assert!(light.blurred_cosine(&dark) > 0.999);
    }

    #[test]
    fn a_tiny_blob_that_thinning_erases_is_still_ink() {
        let mut img = GrayImage::from_pixel(30, 30, Luma([255]));
        for (x, y) in [(14, 14), (15, 14), (14, 15), (15, 15)] {
            img.put_pixel(x, y, Luma([0]));
        }
        let input = image_to_input(&DynamicImage::ImageLuma8(img)).unwrap();
        assert!(input.pixels.iter().any(|&v| v > 0.5));
    }

    #[test]
    fn huge_coordinates_are_an_error_not_a_blank_input() {
        let far = vec![vec![
            Point {
                x: -3.0e38,
                y: 0.0,
                t: 0.0,
            },
            Point {
                x: 3.0e38,
                y: 0.0,
                t: 1.0,
            },
        ]];
        assert_eq!(strokes_to_input(&far), Err(PreprocessError::NotFinite));
    }

    #[test]
    fn a_dot_stays_a_dot() {
        let dot = vec![vec![Point {
            x: 5.0,
            y: 5.0,
            t: 0.0,
        }]];
        let input = strokes_to_input(&dot).unwrap();
        let inked = input.pixels.iter().filter(|&&v| v > 0.0).count();
        assert!((1..=16).contains(&inked), "{inked} pixels inked");
    }

    /// A "T" of two strokes: a bar, then a stem that starts below it (a pen-up between).
    fn two_strokes() -> Vec<Segment> {
        let p = |x: f32, y: f32, t: f32| Point { x, y, t };
        stroke_segments(&[
            vec![p(0.0, 0.0, 0.0), p(50.0, 0.0, 1.0), p(100.0, 0.0, 2.0)],
            vec![p(50.0, 10.0, 3.0), p(50.0, 60.0, 4.0), p(50.0, 100.0, 5.0)],
        ])
        .unwrap()
    }

    #[test]
    fn a_stroke_file_splits_into_its_strokes() {
        let lengths: Vec<usize> = strokes_of(&two_strokes()).map(|s| s.len()).collect();
        assert_eq!(lengths, vec![2, 2]);
    }

    #[test]
    fn each_stroke_moves_on_its_own_and_the_seed_decides_how() {
        let segments = two_strokes();
        let wobbled = |seed| {
            let distortion = Distortion {
                strokes: StrokeWobble {
                    max_shift: 2.0,
                    max_rotation_deg: 10.0,
                    max_scale: 0.1,
                    seed,
                },
                ..Distortion::identity()
            };
            segments_to_input(&segments, &distortion).unwrap().pixels
        };
        let plain = segments_to_input(&segments, &Distortion::identity()).unwrap();
        let changed = |a: &[f32], b: &[f32]| {
            a.iter()
                .zip(b)
                .filter(|(x, y)| (*x - *y).abs() > 0.5)
                .count()
        };
        assert!(changed(&wobbled(1), &plain.pixels) > 5, "the strokes moved");
        assert_eq!(wobbled(1), wobbled(1), "one seed, one rendering");
        assert!(
            changed(&wobbled(1), &wobbled(2)) > 5,
            "another seed moves them otherwise"
        );
        // Each stroke keeps its shape: a turn and a size change of at most 10% leave about as
        // much ink as before (a shredded drawing would lose or scatter it).
        let ink = |p: &[f32]| p.iter().sum::<f32>();
        let ratio = ink(&wobbled(1)) / ink(&plain.pixels);
        assert!((0.75..1.25).contains(&ratio), "ink ratio {ratio}");
    }
}
