//! A canvas that records pen strokes (x, y, t) from pointer events: mouse, touch and pen alike.

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, PointerEvent};

use crate::learn::preprocess::{Point, Stroke};

use super::i18n::t;

/// Side of the drawing surface in canvas pixels (CSS may scale it).
const SIDE: u32 = 280;

/// A drawing pad. The parent owns `strokes`; `on_change` runs once the drawing changed: after
/// every pen-up, undo and clear (not on every pen move).
#[component]
pub fn DrawingPad(
    strokes: RwSignal<Vec<Stroke>>,
    #[prop(into)] testid: String,
    #[prop(optional)] on_change: Option<Callback<()>>,
) -> impl IntoView {
    let canvas: NodeRef<Canvas> = NodeRef::new();
    let drawing = RwSignal::new(false);

    let point = move |ev: &PointerEvent| -> Option<Point> {
        let el = canvas.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        Some(Point {
            x: ((ev.client_x() as f64 - rect.left()) * SIDE as f64 / rect.width()) as f32,
            y: ((ev.client_y() as f64 - rect.top()) * SIDE as f64 / rect.height()) as f32,
            t: ev.time_stamp() as f32,
        })
    };

    let on_down = move |ev: PointerEvent| {
        ev.prevent_default();
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        if let Some(p) = point(&ev) {
            drawing.set(true);
            strokes.update(|s| s.push(vec![p]));
        }
    };
    let on_move = move |ev: PointerEvent| {
        if !drawing.get_untracked() {
            return;
        }
        if let Some(p) = point(&ev) {
            strokes.update(|s| {
                if let Some(last) = s.last_mut() {
                    last.push(p);
                }
            });
        }
    };
    let on_up = move |_: PointerEvent| {
        if drawing.get_untracked() {
            drawing.set(false);
            if let Some(callback) = on_change {
                callback.run(());
            }
        }
    };

    // Redraw whenever the strokes change.
    Effect::new(move |_| {
        let strokes = strokes.get();
        if let Some(ctx) = canvas.get().as_ref().and_then(context) {
            paint(&ctx, &strokes);
        }
    });

    view! {
        <div class="pad">
            <canvas
                node_ref=canvas
                data-testid=testid.clone()
                width=SIDE
                height=SIDE
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
            ></canvas>
            <div class="pad-buttons">
                <button data-testid=format!("{testid}-undo") on:click=move |_| {
                    strokes.update(|s| { s.pop(); });
                    if let Some(callback) = on_change { callback.run(()); }
                }>
                    {t("pad-undo")}
                </button>
                <button data-testid=format!("{testid}-clear") on:click=move |_| {
                    strokes.set(Vec::new());
                    if let Some(callback) = on_change { callback.run(()); }
                }>
                    {t("pad-clear")}
                </button>
            </div>
        </div>
    }
}

fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}

fn paint(ctx: &CanvasRenderingContext2d, strokes: &[Stroke]) {
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, SIDE as f64, SIDE as f64);
    ctx.set_stroke_style_str("#1d2433");
    ctx.set_line_width(6.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    for stroke in strokes {
        ctx.begin_path();
        for (i, p) in stroke.iter().enumerate() {
            if i == 0 {
                ctx.move_to(p.x as f64, p.y as f64);
            } else {
                ctx.line_to(p.x as f64, p.y as f64);
            }
        }
        if stroke.len() == 1 {
            ctx.line_to(stroke[0].x as f64 + 0.1, stroke[0].y as f64);
        }
        ctx.stroke();
    }
}
