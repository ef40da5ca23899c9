// Inkling's service worker: after the first visit the app opens without a network.
// The shell, the wasm (which embeds the encoder's weights) and the styles are precached at
// install; every same-origin GET is answered from the network when it can be (so an update is
// seen at once) and from the cache when it cannot.
const CACHE = "inkling-v1";
const SHELL = ["./", "index.html", "inkling-app.js", "inkling-app_bg.wasm", "main.css", "boot.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      // The sentence encoder's cache (inkling-text-model-*) is the app's own: kept.
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k !== CACHE && !k.startsWith("inkling-text-model"))
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The sentence encoder's files (45 MB) are cached by the app itself, once: not here too.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.includes("/text-model/")) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      // Offline: the cached copy (`?backend=cpu` and the like still find the page).
      .catch(() =>
        caches.match(request, { ignoreSearch: true }).then((hit) => hit || Response.error())
      )
  );
});
