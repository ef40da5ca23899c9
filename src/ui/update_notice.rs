//! "A new version of Inkling is ready": shown when a newer release's service worker takes this
//! page over. Its release is then cached whole (`public/sw.js`), so a reload starts it, online
//! or not. A worker of the page's own release is no update (the first install, or a page
//! reloaded online that already is the new release): the notice shows only when the page's
//! own code is no longer among the cached files.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::i18n::t;

/// The notice, with a button that reloads (leaving asks first while work waits to be written).
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let ready = RwSignal::new(false);
    let Some(container) = service_workers() else {
        return ().into_any();
    };
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) =
            service_workers().and_then(|c| js_sys::Reflect::get(&c, &"controller".into()).ok())
        else {
            return;
        };
        // The new worker controls the page as it activates, before its `activate` step has
        // deleted the older releases: look once it is activated.
        let check = move || {
            spawn_local(async move {
                if !own_code_cached().await {
                    ready.set(true);
                }
            })
        };
        if state_of(&worker) == "activated" {
            check();
        } else if let Some(target) = worker.dyn_ref::<web_sys::EventTarget>() {
            let seen = worker.clone();
            let mut check = Some(check);
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if state_of(&seen) == "activated"
                    && let Some(check) = check.take()
                {
                    check();
                }
            });
            let _ = target
                .add_event_listener_with_callback("statechange", on_state.as_ref().unchecked_ref());
            // Lives as long as that worker (a few bytes).
            on_state.forget();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    // Lives as long as the page.
    on_change.forget();
    view! {
        <Show when=move || ready.get()>
            <p class="notice" data-testid="update-ready">
                {t("update-ready")} " "
                <button data-testid="update-reload" on:click=move |_| {
                    let _ = window().location().reload();
                }>{t("update-reload")}</button>
            </p>
        </Show>
    }
    .into_any()
}

/// Whether this page's own script (trunk's content-hashed `inkling-app-*.js`, named by its
/// preload link) is in a cache of the origin.
async fn own_code_cached() -> bool {
    let Some(script) = super::worker::client::page_script() else {
        // Not a trunk build with hashed names: nothing to compare, so nothing said.
        return true;
    };
    let Ok(caches) = window().caches() else {
        return true;
    };
    JsFuture::from(caches.match_with_str(&script))
        .await
        .is_ok_and(|hit| !hit.is_undefined())
}

/// A service worker's `state` ("installing" ... "activated", "redundant").
fn state_of(worker: &JsValue) -> String {
    js_sys::Reflect::get(worker, &"state".into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The page's service workers, where the browser has them (`navigator.serviceWorker` is
/// undefined on a non-secure origin: the app runs on without).
pub fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let container = js_sys::Reflect::get(&window().navigator(), &"serviceWorker".into()).ok()?;
    (!container.is_undefined() && !container.is_null()).then(|| container.unchecked_into())
}
