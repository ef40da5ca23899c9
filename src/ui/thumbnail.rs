//! A drawing as a small SVG, from its strokes (crisp at any size, no canvas needed).

use leptos::prelude::*;

use crate::learn::preprocess::Stroke;

#[component]
pub fn Thumbnail(strokes: Vec<Stroke>) -> impl IntoView {
    let points: Vec<(f32, f32)> = strokes.iter().flatten().map(|p| (p.x, p.y)).collect();
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in &points {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    }
    let side = (max_x - min_x).max(max_y - min_y).max(1.0) * 1.2;
    let (cx, cy) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
    let view_box = format!("{} {} {side} {side}", cx - side / 2.0, cy - side / 2.0);
    let width = side / 20.0;
    let lines = strokes
        .into_iter()
        .map(|s| {
            let pts = s
                .iter()
                .map(|p| format!("{},{}", p.x, p.y))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <polyline points=pts fill="none" stroke="#1d2433" stroke-width=width stroke-linecap="round" stroke-linejoin="round"/> }
        })
        .collect_view();
    view! { <svg class="thumb" viewBox=view_box>{lines}</svg> }
}
