//! Large files the app fetches once and keeps for offline use (the sentence encoder): read from
//! the browser's Cache Storage when there, else downloaded with progress and put there.
//! The service worker leaves these URLs alone (one copy, in this cache).

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, ReadableStreamDefaultReader, Response};

/// A fetched file and where it came from.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub from_cache: bool,
}

fn js_error(what: &str, e: wasm_bindgen::JsValue) -> String {
    format!(
        "{what}: {}",
        e.as_string().unwrap_or_else(|| format!("{e:?}"))
    )
}

async fn open_cache(name: &str) -> Result<Cache, String> {
    let caches = web_sys::window()
        .ok_or("no window")?
        .caches()
        .map_err(|e| js_error("Cache Storage is not available", e))?;
    let cache = JsFuture::from(caches.open(name))
        .await
        .map_err(|e| js_error("opening the cache", e))?;
    Ok(cache.unchecked_into())
}

/// `url` from the cache `cache_name`, else from the network (reporting `(bytes so far, total
/// bytes if known)` to `progress` as it arrives) and then cached. A failed cache write is not
/// an error: the file is still used, and fetched again next time.
pub async fn fetch_cached(
    url: &str,
    cache_name: &str,
    progress: impl Fn(usize, Option<usize>),
) -> Result<Fetched, String> {
    let cache = open_cache(cache_name).await.ok();
    if let Some(cache) = &cache {
        let hit = JsFuture::from(cache.match_with_str(url)).await.ok();
        if let Some(response) = hit.and_then(|r| r.dyn_into::<Response>().ok()) {
            let buffer = JsFuture::from(
                response
                    .array_buffer()
                    .map_err(|e| js_error("reading the cached file", e))?,
            )
            .await
            .map_err(|e| js_error("reading the cached file", e))?;
            let bytes = Uint8Array::new(&buffer).to_vec();
            progress(bytes.len(), Some(bytes.len()));
            return Ok(Fetched {
                bytes,
                from_cache: true,
            });
        }
    }
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| js_error(&format!("{url} could not be downloaded"), e))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: the server answered {}", response.status()));
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<usize>().ok());
    let body = response
        .body()
        .ok_or_else(|| format!("{url}: empty answer"))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0));
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| js_error(&format!("{url}: the download stopped"), e))?;
        let done = Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        if let Ok(value) = Reflect::get(&chunk, &"value".into()) {
            bytes.extend(value.unchecked_into::<Uint8Array>().to_vec());
        }
        progress(bytes.len(), total);
    }
    if let Some(total) = total
        && total != bytes.len()
    {
        return Err(format!(
            "{url}: {} of {total} bytes arrived; try again",
            bytes.len()
        ));
    }
    if let Some(cache) = cache {
        let copy = Uint8Array::from(bytes.as_slice());
        if let Ok(stored) = Response::new_with_opt_buffer_source(Some(&copy)) {
            let _ = JsFuture::from(cache.put_with_str(url, &stored)).await;
        }
    }
    Ok(Fetched {
        bytes,
        from_cache: false,
    })
}
