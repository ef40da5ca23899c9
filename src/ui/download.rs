//! Large files the app fetches once and keeps for offline use (the sentence encoder): read from
//! the browser's Cache Storage when there, else downloaded with progress and put there. Each
//! copy, cached or downloaded, is checked against its size and sha256 (the model's manifest):
//! a damaged cached copy is evicted and downloaded again, a damaged download is not kept.
//! The service worker leaves these URLs alone (one copy, in this cache). Runs on the page or in
//! the engine's worker (`ui::worker`): both have `fetch` and Cache Storage.

use js_sys::{Reflect, Uint8Array};

use crate::learn::text::manifest::{FileDigest, hex};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, ReadableStreamDefaultReader, Response, WorkerGlobalScope};

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

/// The page's or the worker's Cache Storage.
fn caches() -> Result<CacheStorage, String> {
    let caches = match web_sys::window() {
        Some(window) => window.caches(),
        None => js_sys::global()
            .dyn_into::<WorkerGlobalScope>()
            .map_err(|_| "neither a page nor a worker")?
            .caches(),
    };
    caches.map_err(|e| js_error("Cache Storage is not available", e))
}

/// `fetch(url)` on the page or in the worker.
async fn fetch(url: &str) -> Result<Response, String> {
    let answer = match web_sys::window() {
        Some(window) => window.fetch_with_str(url),
        None => js_sys::global()
            .dyn_into::<WorkerGlobalScope>()
            .map_err(|_| "neither a page nor a worker")?
            .fetch_with_str(url),
    };
    JsFuture::from(answer)
        .await
        .map(|r| r.unchecked_into())
        .map_err(|e| js_error(&format!("{url} could not be downloaded"), e))
}

async fn open_cache(name: &str) -> Result<Cache, String> {
    let caches = caches()?;
    let cache = JsFuture::from(caches.open(name))
        .await
        .map_err(|e| js_error("opening the cache", e))?;
    Ok(cache.unchecked_into())
}

/// Delete the caches whose names start with `prefix`, but those in `keep` (older models'
/// files, once the current one is in place). Best effort: a cache left behind is only space.
pub async fn delete_other_caches(prefix: &str, keep: &[String]) {
    let Ok(caches) = caches() else {
        return;
    };
    let Ok(names) = JsFuture::from(caches.keys()).await else {
        return;
    };
    for name in js_sys::Array::from(&names)
        .iter()
        .filter_map(|n| n.as_string())
    {
        if name.starts_with(prefix) && !keep.contains(&name) {
            let _ = JsFuture::from(caches.delete(&name)).await;
        }
    }
}

/// The sha256 of `bytes` in lowercase hex, by the browser's WebCrypto; None where the page
/// has none (WebCrypto needs a secure origin: then only sizes are checked).
async fn sha256(bytes: &[u8]) -> Option<String> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    let digest: js_sys::Function = Reflect::get(&subtle, &"digest".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let data = Uint8Array::from(bytes);
    let promise: js_sys::Promise = digest
        .call2(&subtle, &"SHA-256".into(), &data)
        .ok()?
        .dyn_into()
        .ok()?;
    let buffer = JsFuture::from(promise).await.ok()?;
    Some(hex(&Uint8Array::new(&buffer).to_vec()))
}

/// Whether `bytes` are the file `digest` describes (its size, and its sha256 where the
/// browser can compute one).
async fn is_whole(bytes: &[u8], digest: &FileDigest) -> bool {
    if digest.bytes != bytes.len() as u64 {
        return false;
    }
    match sha256(bytes).await {
        Some(sha) => digest.matches(bytes.len(), &sha),
        None => true,
    }
}

async fn body_of(response: &Response, what: &str) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| js_error(what, e))?)
        .await
        .map_err(|e| js_error(what, e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The cached copy of `url`, if there is one.
async fn cached(cache: &Cache, url: &str) -> Result<Option<Vec<u8>>, String> {
    let hit = JsFuture::from(cache.match_with_str(url)).await.ok();
    match hit.and_then(|r| r.dyn_into::<Response>().ok()) {
        Some(response) => Ok(Some(body_of(&response, "reading the cached file").await?)),
        None => Ok(None),
    }
}

async fn put(cache: &Cache, url: &str, bytes: &[u8]) {
    let copy = Uint8Array::from(bytes);
    if let Ok(stored) = Response::new_with_opt_buffer_source(Some(&copy)) {
        let _ = JsFuture::from(cache.put_with_str(url, &stored)).await;
    }
}

/// A small file that says what the others are (the model's manifest): from the network when
/// it answers (so a new release is seen), kept in the cache for offline use; `check` says
/// whether the bytes are usable (a cached copy that is not is evicted).
pub async fn fetch_fresh(
    url: &str,
    cache_name: &str,
    check: impl Fn(&[u8]) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    let cache = open_cache(cache_name).await.ok();
    if let Ok(response) = fetch(url).await
        && response.ok()
    {
        let bytes = body_of(&response, url).await?;
        check(&bytes)?;
        if let Some(cache) = &cache {
            put(cache, url, &bytes).await;
        }
        return Ok(bytes);
    }
    let cache = cache.ok_or_else(|| format!("{url} could not be downloaded"))?;
    let bytes = cached(&cache, url)
        .await?
        .ok_or_else(|| format!("{url} could not be downloaded, and is not kept here"))?;
    if let Err(e) = check(&bytes) {
        let _ = JsFuture::from(cache.delete_with_str(url)).await;
        return Err(e);
    }
    Ok(bytes)
}

/// `url` from the cache `cache_name`, else from the network (reporting `(bytes so far, total
/// bytes if known)` to `progress` as it arrives) and then cached; either way it must be the
/// file `digest` describes. A cached copy that is not is evicted and downloaded again. A
/// failed cache write is not an error: the file is still used, and fetched again next time.
pub async fn fetch_cached(
    url: &str,
    cache_name: &str,
    digest: &FileDigest,
    progress: impl Fn(usize, Option<usize>),
) -> Result<Fetched, String> {
    let cache = open_cache(cache_name).await.ok();
    if let Some(cache) = &cache
        && let Some(bytes) = cached(cache, url).await?
    {
        if is_whole(&bytes, digest).await {
            progress(bytes.len(), Some(bytes.len()));
            return Ok(Fetched {
                bytes,
                from_cache: true,
            });
        }
        // Truncated or damaged (a full disk, an interrupted write): fetched again.
        let _ = JsFuture::from(cache.delete_with_str(url)).await;
    }
    let response = fetch(url).await?;
    if !response.ok() {
        return Err(format!("{url}: the server answered {}", response.status()));
    }
    // Content-Length counts the bytes on the wire: with a compressed body it is not the size.
    let headers = response.headers();
    let compressed = headers
        .get("content-encoding")
        .ok()
        .flatten()
        .is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
    let total = if compressed {
        None
    } else {
        headers
            .get("content-length")
            .ok()
            .flatten()
            .and_then(|v| v.parse::<usize>().ok())
    };
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
    if !is_whole(&bytes, digest).await {
        return Err(format!(
            "{url}: the download is damaged ({} bytes, {} expected, or another sha256); try again",
            bytes.len(),
            digest.bytes
        ));
    }
    if let Some(cache) = cache {
        put(&cache, url, &bytes).await;
    }
    Ok(Fetched {
        bytes,
        from_cache: false,
    })
}
