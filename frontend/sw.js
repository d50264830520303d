// The chat page's service worker: it lets the page open while the server cannot be reached,
// so messages written offline (kept in IndexedDB) survive a reload and go out once the server
// is back. Network first, always: when the server answers, the page is the latest; only when
// it does not, the copy from the last visit is used. The WebSocket is never touched.

const CACHE = "chat-page-v1";

// On install: keep the page and every file it links to (Trunk names them by content hash).
async function keepThePage() {
  const cache = await caches.open(CACHE);
  // Revalidated, not downloaded again: the page was fetched a moment ago.
  const page = await fetch("/", { cache: "no-cache" });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put("/", page);
  // The release build's HTML is minified: attribute values may come without quotes.
  const files = [...html.matchAll(/href=["']?(\/[^"'\s>]+)/g)].map((match) => match[1]);
  await cache.addAll(files);
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepThePage().then(() => self.skipWaiting()));
});

// Take over the open page at once, and drop caches of older versions of this worker.
self.addEventListener("activate", (event) => {
  const stale = caches.keys().then((keys) =>
    Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))),
  );
  event.waitUntil(stale.then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname === "/ws") {
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(async (error) => {
        const cached = await caches.match(request, { ignoreSearch: true });
        if (cached) return cached;
        throw error;
      }),
  );
});
