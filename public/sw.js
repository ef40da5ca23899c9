// Inkling's service worker: after the first visit the app opens without a network, and always
// as one whole release, never a page of one build with the code of another.
//
// A release is the page and the files it names. Trunk names each file by its content, and its
// post-build hook (public/sw-release.sh) writes the release's name and files below. Each release
// has its own cache, filled whole in `install` or not at all; `activate` deletes only Inkling's
// own older releases (other apps on the same host keep theirs; the sentence model's cache is
// the app's to manage). A page asks the network first, for a few seconds, then takes the cached
// release; a release's files never change under their names, so the cache answers them first.
const RELEASE = "__INKLING_RELEASE__";
const FILES = [__INKLING_FILES__];
const SHELL = "inkling-shell-";
const CACHE = SHELL + RELEASE;
// Caches of Inkling's service workers before releases had names.
const LEGACY = ["inkling-v1"];
// How long a page waits for the network before the cached release answers.
const NETWORK_WAIT_MS = 4000;
// A build without the hook (the names above not written): no caching at all.
const NAMED = !RELEASE.startsWith("__");

self.addEventListener("install", (event) => {
  if (!NAMED) return;
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(["./", ...FILES].map((file) => new Request(file, { cache: "reload" })))
      )
      // Half a release is never kept: the next visit installs again.
      .catch((error) =>
        caches.delete(CACHE).then(() => {
          throw error;
        })
      )
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => (k.startsWith(SHELL) && k !== CACHE) || LEGACY.includes(k))
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The sentence models' files (45 and 61 MB) are cached by the app itself, once: not here
  // too (`text-model/` and `text-model-multilingual/`).
  if (
    !NAMED ||
    request.method !== "GET" ||
    url.origin !== self.location.origin ||
    /\/text-model(-multilingual)?\//.test(url.pathname)
  ) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else {
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(request, { ignoreSearch: true }))
        // Not this release's (a newer page's file, fetched before its release is cached).
        .then((hit) => hit || fetch(request))
    );
  }
});

// The page from the network if it answers within NETWORK_WAIT_MS, else this release's page
// (`?backend=cpu` and the like find it too).
function page(request) {
  const cached = () =>
    caches
      .open(CACHE)
      .then((cache) => cache.match("./"))
      .then((hit) => hit || Response.error());
  return new Promise((resolve) => {
    let answered = false;
    const answer = (response) => {
      if (!answered) {
        answered = true;
        resolve(response);
      }
    };
    const timer = setTimeout(() => answer(cached()), NETWORK_WAIT_MS);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        answer(response);
      },
      () => {
        clearTimeout(timer);
        answer(cached());
      }
    );
  });
}
