// Service worker: after the first visit the app, the engine (WASM) and the device's pack come
// from the cache, so the app starts and works with the network off.
//
// The pack's audio (media/audio/…) is not precached: it is fetched when a listen button (or
// the kiosk's auto-play) first plays it, and the fetch handler below keeps that copy, so a
// text heard once plays offline too.
//
// Strategy: precache everything at install; then "stale while revalidate": answer from the
// cache at once (fast on a slow device) and refresh the cached copy from the network in the
// background when online, so a new pack or engine is used from the next start on.
//
// The site (`cargo xtask site`) bundles the app's modules into `app.js` and chunks `NAME-HASH.js`
// and writes this list for its files. Chunks of an earlier build stay in the cache: a page of
// that build still open (a kiosk runs for days) may load one on demand after an update.

// Background Sync: the outbox's sending half (outbox-core.js, a plain script shared with the
// page) drains the records the page has turned into statements when the browser fires `sync`
// (Chromium, also with the app closed). Where there is no Background Sync, the page sends at
// its next start, on `online` events and with back-off.
importScripts("outbox-core.js");

const CACHE = "kru-demo-v1";
/** How long a refresh of a file answered from the cache waits (ms). */
const REFRESH_DELAY_MS = 3000;
const ASSETS = [
  "./",
  "index.html",
  "app.js",
  "ui-strings.js",
  "store.js",
  "outbox-core.js",
  "outbox.js",
  "outbox-screens.js",
  "render-step.js",
  "runner.js",
  "lock.js",
  "pin.js",
  "take-home.js",
  "lean-qr.js",
  "kiosk.js",
  "classroom.js",
  "home.js",
  // Imported only with ?test=1 (the end-to-end tests, which also run offline).
  "test-hook.js",
  "report.js",
  "style.css",
  "report.css",
  "staff.css",
  "take-home.css",
  "manifest.webmanifest",
  "icon.svg",
  "trusted-keys.json",
  // No pack: the page hands over the one the device runs (`kru-cache-pack`).
  "packs.json",
  "packs.js",
  // The pictograms of the kiosk's lesson (the pack's media, served at media/).
  "media/pictograms/broker.svg",
  "media/pictograms/check.svg",
  "media/pictograms/read.svg",
  "media/pictograms/wage.svg",
  "media/pictograms/passport.svg",
  "media/pictograms/hotline.svg",
  "pkg/kru_wasm.js",
  "pkg/kru_wasm_bg.wasm",
  // The engine's built-in interface strings (data): what a kiosk visitor sees, then every id.
  "pkg/ui/en.visitor.txt",
  "pkg/ui/km.visitor.txt",
  "pkg/ui/en.txt",
  "pkg/ui/km.txt",
  // The report's words (loaded by the report screen only).
  "pkg/ui/report-en.txt",
  "pkg/ui/report-km.txt",
  // The engine with the cohort report, for the report screen (loaded only there).
  "pkg/kru_wasm_full.js",
  "pkg/kru_wasm_full_bg.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `no-cache`: revalidate with the server rather than take the HTTP cache's copy.
    await cache.addAll(ASSETS.map((url) => new Request(url, { cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

/** The open cache, opened once per service worker start (not once per request). */
let opened = null;
const cacheOpen = () => (opened ??= caches.open(CACHE).catch((e) => {
  opened = null;
  throw e;
}));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await cacheOpen();
    // The app is one page: any navigation (e.g. `/?test=1`) is served by index.html.
    const key = req.mode === "navigate" ? new URL("./", self.location.href).href : req;
    // The exact address first (a lookup by URL); only when that misses, the same address
    // without its query (which makes the cache compare every entry it holds).
    const cached = (await cache.match(key)) ?? (await cache.match(key, { ignoreSearch: true }));
    if (cached) {
      // Refreshed in the background, once the answer is on its way.
      event.waitUntil(refresh(cache, req, key));
      return cached;
    }
    return fetch(req).then((res) => {
      keep(cache, key, res);
      return res;
    });
  })());
});

/** Keeps a good answer of our own origin in the cache. */
function keep(cache, key, res) {
  if (res.ok && res.type === "basic") cache.put(key, res.clone()).catch(() => {});
}

/** Fetches `req` again and keeps the answer, after a moment: the page's start comes first. */
async function refresh(cache, req, key) {
  await new Promise((resolve) => setTimeout(resolve, REFRESH_DELAY_MS));
  try {
    keep(cache, key, await fetch(req));
  } catch {
    // offline: the cached copy stays
  }
}

// The device's pack, as the page loaded it (nothing downloaded twice); answers when cached.
self.addEventListener("message", (event) => {
  const { type, url, bytes } = event.data ?? {};
  if (type !== "kru-cache-pack" || !/^[a-z0-9-]{1,64}\.krupack$/.test(String(url)) || !(bytes instanceof Uint8Array)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.put(new URL(url, self.location.href).href, new Response(bytes)).catch(() => {});
    event.ports[0]?.postMessage("cached");
  })());
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "kru-outbox") return;
  event.waitUntil((async () => {
    const db = await self.KruOutbox.openDb();
    try {
      // A failure rejects: the browser tries the sync again later, with its own back-off.
      await self.KruOutbox.drainPrepared(db);
    } finally {
      db.close();
      for (const client of await self.clients.matchAll()) client.postMessage("kru-outbox-changed");
    }
  })());
});
