//! Work that waits to be written: tried again, with growing pauses, until the store has it;
//! the student is warned before leaving the page while anything waits. What waits is
//! `Workspace::unsaved` (projects) and `Learning`'s progress; each side writes its own.

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::learning::Learning;
use super::library::{Unsaved, Workspace};

/// The first pause before writing again, and the longest.
const FIRST_PAUSE_MS: u32 = 1_000;
const LONGEST_PAUSE_MS: u32 = 30_000;

/// Whether anything waits to be written, for the crash screen (which cannot read signals
/// once the app has stopped).
static WAITING: AtomicBool = AtomicBool::new(false);

pub fn anything_waits() -> bool {
    WAITING.load(Ordering::Relaxed)
}

/// Keep writing what waits until it is written, and warn before the page is left meanwhile.
pub fn keep_saving(ws: Workspace, learning: Learning) {
    let retrying = StoredValue::new(false);
    Effect::new(move |_| {
        let waits = !ws.unsaved.with(Unsaved::is_empty);
        WAITING.store(waits, Ordering::Relaxed);
        if !waits || retrying.get_value() {
            return;
        }
        retrying.set_value(true);
        spawn_local(async move {
            let mut pause = FIRST_PAUSE_MS;
            while ws.unsaved.with_untracked(|u| !u.is_empty()) {
                gloo_timers::future::TimeoutFuture::new(pause).await;
                ws.retry_unsaved().await;
                learning.retry_progress().await;
                pause = (pause * 2).min(LONGEST_PAUSE_MS);
            }
            retrying.set_value(false);
        });
    });
    // Closing or reloading the page while work waits: the browser asks the student first.
    let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if ws.unsaved.with_untracked(|u| !u.is_empty()) {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });
}
