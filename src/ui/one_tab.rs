//! One tab writes at a time. Two tabs writing one profile would each write what they hold and
//! the last would win (a drawing made in the other is lost), so the tab that holds the Web
//! Lock `inkling-writer` is the only one that opens the store and changes anything; another
//! tab shows why it waits and a button that asks for the lock. The tab asked to let go writes
//! what waits first, then releases; the one that gets the lock reads everything from the store
//! again. Only a student's click asks for the lock (a tab never takes it over by itself: the
//! writing tab, reloaded, gets it back at once). Browsers without Web Locks (none this app
//! supports) write as before.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use super::i18n::t;
use super::learning::Learning;
use super::library::{Unsaved, Workspace};
use crate::store::idb::Lost;

/// The lock held by the tab that writes, and the channel tabs ask each other on.
const LOCK: &str = "inkling-writer";
const CHANNEL: &str = "inkling-tabs";
/// The message that asks the writing tab to let go.
const TAKE: &str = "take";

/// What this tab may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Waiting for the lock for the first time (a moment, unless another tab has it).
    Starting,
    /// This tab holds the lock: it reads and writes the store.
    Writing,
    /// Another tab writes; `asked`: this one asked it to let go.
    Elsewhere { asked: bool },
}

/// This tab's part among the tabs of Inkling (provided through context).
#[derive(Clone, Copy)]
pub struct OneTab {
    pub role: RwSignal<Role>,
    /// Resolves the promise the held lock waits on: calling it releases the lock.
    release: StoredValue<Option<js_sys::Function>, LocalStorage>,
    channel: StoredValue<Option<JsValue>, LocalStorage>,
    /// The store has been read once (a later grant reads it again).
    started: StoredValue<bool>,
    /// Asked to let go, and doing so.
    handing_over: StoredValue<bool>,
    ws: Workspace,
    learning: Learning,
}

/// `navigator.locks`, where the browser has it.
fn locks() -> Option<JsValue> {
    let locks = js_sys::Reflect::get(&window().navigator(), &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// A `BroadcastChannel` named `name`, where the browser has them.
fn broadcast_channel(name: &str) -> Option<JsValue> {
    let class = js_sys::Reflect::get(&js_sys::global(), &"BroadcastChannel".into()).ok()?;
    let class: js_sys::Function = class.dyn_into().ok()?;
    js_sys::Reflect::construct(&class, &js_sys::Array::of1(&name.into())).ok()
}

/// Call `target.method(args...)`; an error is ignored (a browser without it behaves as before).
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(target, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    f.apply(target, &args.iter().collect::<js_sys::Array>())
        .ok()
}

impl OneTab {
    /// Start this tab's part: write at once when no other tab does, else wait for the lock.
    pub fn start(ws: Workspace, learning: Learning) -> OneTab {
        let tab = OneTab {
            role: RwSignal::new(Role::Starting),
            release: StoredValue::new_local(None),
            channel: StoredValue::new_local(None),
            started: StoredValue::new(false),
            handing_over: StoredValue::new(false),
            ws,
            learning,
        };
        let Some(locks) = locks() else {
            tab.granted();
            return tab;
        };
        if let Some(channel) = broadcast_channel(CHANNEL) {
            let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let data = js_sys::Reflect::get(&event, &"data".into()).ok();
                if data.and_then(|d| d.as_string()).as_deref() == Some(TAKE) {
                    tab.hand_over();
                }
            });
            let _ = js_sys::Reflect::set(&channel, &"onmessage".into(), on_message.as_ref());
            // Lives as long as the page.
            on_message.forget();
            tab.channel.set_value(Some(channel));
        }
        // At once if no other tab holds it; else the student may ask for it.
        let first = Closure::once_into_js(move |lock: JsValue| -> JsValue {
            if lock.is_null() {
                tab.role.set(Role::Elsewhere { asked: false });
                JsValue::UNDEFINED
            } else {
                tab.granted()
            }
        });
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &true.into());
        if call(&locks, "request", &[LOCK.into(), options.into(), first]).is_none() {
            tab.granted();
        }
        tab
    }

    /// Ask for the lock and wait until it is granted (when the other tab lets go or closes).
    fn wait_in_line(self, locks: &JsValue) {
        let when_granted =
            Closure::once_into_js(move |_lock: JsValue| -> JsValue { self.granted() });
        call(locks, "request", &[LOCK.into(), when_granted]);
    }

    /// This tab holds the lock (until the returned promise resolves): it reads the store
    /// (again, when it wrote before another tab did) and writes from now on.
    fn granted(self) -> JsValue {
        let mut resolve = None;
        let held = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        self.release.set_value(resolve);
        // What this tab shows of the student's knowledge may be older than what another tab
        // wrote: nothing of it is written until it is read again (`Learning::load` below).
        self.learning.forget_known();
        self.role.set(Role::Writing);
        let again = self.started.get_value();
        self.started.set_value(true);
        spawn_local(async move {
            if again {
                self.ws.reload_from_store().await;
            } else {
                self.ws.start().await;
            }
            self.learning.load().await;
        });
        held.into()
    }

    /// Another tab asks to write: once nothing waits to be written (a failed write is
    /// written first, and meanwhile this tab goes on as it was, so its work can be exported),
    /// stop changing anything, let the last saves start, then let go of the lock.
    fn hand_over(self) {
        if self.role.get_untracked() != Role::Writing || self.handing_over.get_value() {
            return;
        }
        self.handing_over.set_value(true);
        let ws = self.ws;
        spawn_local(async move {
            while !ws.unsaved.with_untracked(Unsaved::is_empty) {
                gloo_timers::future::TimeoutFuture::new(200).await;
            }
            self.role.set(Role::Elsewhere { asked: false });
            // Saves of the last changes make their transactions first (they are queued before
            // this timer fires), so the other tab reads after them.
            gloo_timers::future::TimeoutFuture::new(0).await;
            if let Some(release) = self.release.try_update_value(Option::take).flatten() {
                let _ = release.call0(&JsValue::UNDEFINED);
            }
            self.handing_over.set_value(false);
        });
    }

    /// Ask for the lock (granted once the tab that writes lets go, or is closed) and ask
    /// that tab to let go.
    pub fn use_here(self) {
        if self.role.get_untracked() != (Role::Elsewhere { asked: false }) {
            return;
        }
        self.role.set(Role::Elsewhere { asked: true });
        if let Some(locks) = locks() {
            self.wait_in_line(&locks);
        }
        if let Some(channel) = self.channel.get_value() {
            call(&channel, "postMessage", &[TAKE.into()]);
        }
    }
}

/// Covers the app while this tab may not write (another tab does, or a newer Inkling took
/// the store over), saying why and what to do; a line while opening waits for an older tab.
#[component]
pub fn TabNotice(tab: OneTab) -> impl IntoView {
    let ws = tab.ws;
    move || {
        if ws.store_lost.get() == Some(Lost::Upgraded) {
            return view! {
                <div class="overlay" data-testid="store-upgraded">
                    <div>
                        <p>{t("store-upgraded")}</p>
                        <button data-testid="store-reload" on:click=|_| { let _ = window().location().reload(); }>
                            {t("reload")}
                        </button>
                    </div>
                </div>
            }
            .into_any();
        }
        match tab.role.get() {
            Role::Elsewhere { asked } => view! {
                <div class="overlay" data-testid="tab-elsewhere" data-asked=asked.to_string()>
                    <div>
                        <p>{t("tab-elsewhere")}</p>
                        <button data-testid="tab-use-here" disabled=asked on:click=move |_| tab.use_here()>
                            {t("tab-use-here")}
                        </button>
                        {asked.then(|| view! { <p>{t("tab-waiting")}</p> })}
                    </div>
                </div>
            }
            .into_any(),
            _ if ws.store_blocked.get() => {
                view! { <p class="notice" data-testid="store-blocked">{t("store-blocked")}</p> }.into_any()
            }
            _ => ().into_any(),
        }
    }
}
