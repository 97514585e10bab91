// The outbox: results leave the device for a Learning Record Store (xAPI 1.0.3).
//
// store.appendFrame queues every finished or abandoned record in IndexedDB (`outbox`) in the
// same transaction that appends it to its results log. This module, loaded after the first
// screen, drains that queue in the background when an LRS is set and the device is online: at
// start, after each queued record, on `online` events, and with back-off after a failure
// (5 s, doubling, at most 5 min). The statements are the engine's (`xapiStatements` of the full
// module, loaded only when there is something to send); the sending itself (batches, 409,
// acknowledgement) is in outbox-core.js, which the service worker shares for Background Sync
// (the `sync` event: Chromium browsers send when the connection comes back even with the app
// closed; elsewhere the queue waits until the app is next opened online).
//
// Teacher/admin screens show a status line ("N results waiting to send · last sent at …") and
// link to the settings screen (`#/settings`): those are in outbox-screens.js, loaded by those
// screens only (a kiosk visitor's device sends without them).

import "./outbox-core.js";
import * as store from "./store.js";

const K = globalThis.KruOutbox;
const SYNC_TAG = "kru-outbox";
const BACKOFF_MIN = 5_000;
const BACKOFF_MAX = 300_000;

let app = null;
let started = false;
let draining = null;
let again = false;
let timer = null;
let backoff = 0;

/** Starts the background sending (once). */
export function start(theApp) {
  app = theApp;
  if (started) return;
  started = true;
  globalThis.addEventListener("kru-queued", () => {
    refreshStatus();
    schedule(1_000);
  });
  globalThis.addEventListener("online", () => {
    backoff = 0;
    schedule(0);
  });
  navigator.serviceWorker?.addEventListener?.("message", (e) => {
    if (e.data === "kru-outbox-changed") refreshStatus();
  });
  schedule(0);
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(() => drain().catch(() => {}), ms);
}

/** The account home page for actors when none is set: the app's own address. */
export function defaultHomePage() {
  return new URL("./", location.href).href;
}

/**
 * Gives every queued record its statements (the engine's full module, loaded here, only when a
 * record waits and an LRS is set). Works offline too, so that the service worker can send
 * them later with the page closed.
 */
async function prepare(db, lrs) {
  // A record of another pack on this device waits until that pack is in use (its statements
  // need its pack).
  const rows = (await K.queued(db)).filter((r) => typeof r.statements !== "string" && store.ours(r));
  if (!rows.length) return;
  const full = await app.analysis();
  if (!full?.engine.xapiStatements) throw Object.assign(new Error(app.t("engineMissing", { what: "xapiStatements" })), { kind: "engine" });
  const homePage = lrs.homePage || defaultHomePage();
  for (const r of rows) {
    try {
      r.statements = full.engine.xapiStatements(full.pack, new Uint8Array(r.bytes), { homePage });
    } catch (e) {
      throw Object.assign(new Error(`${e.code ?? ""} ${e.message ?? e}`.trim()), { kind: "engine" });
    }
    const tx = db.transaction("outbox", "readwrite");
    // Only if the row is still queued (a drain in the service worker may have sent it).
    const still = await K.request(tx.objectStore("outbox").get(r.id));
    if (still) tx.objectStore("outbox").put(r);
    await K.done(tx);
  }
}

function registerBackgroundSync() {
  // Where Background Sync exists (Chromium), the browser wakes the service worker when the
  // connection is back, even with the app closed. Elsewhere: the next start, `online`, retries.
  navigator.serviceWorker?.getRegistration?.()
    .then((reg) => reg?.sync?.register(SYNC_TAG))
    .catch(() => {});
}

/**
 * Sends what waits. Resolves to `{ state, sent?, statements?, left?, error? }`, `state` one of
 * `no-endpoint`, `empty`, `offline`, `sent`, `error`. Never two at once in this page.
 */
export function drain() {
  if (draining) {
    again = true;
    return draining;
  }
  draining = (async () => {
    const db = await store.open();
    try {
      const lrs = await K.getSetting(db, "lrs");
      if (!lrs?.endpoint) return { state: "no-endpoint" };
      if (!(await K.countQueued(db))) return { state: "empty" };
      await prepare(db, lrs);
      if (!navigator.onLine) {
        registerBackgroundSync();
        return { state: "offline" };
      }
      const r = await K.send(db, lrs);
      backoff = 0;
      return { state: "sent", ...r };
    } catch (e) {
      if (e.kind) await K.noteError(db, e).catch(() => {});
      if (e.kind === "network" || e.kind === "server") {
        registerBackgroundSync();
        backoff = Math.min(BACKOFF_MAX, backoff ? backoff * 2 : BACKOFF_MIN);
        schedule(backoff);
      }
      return { state: "error", error: { kind: e.kind ?? "error", status: e.status ?? 0, message: String(e.message ?? e) } };
    }
  })().finally(() => {
    draining = null;
    refreshStatus();
    if (again) {
      again = false;
      schedule(0);
    }
  });
  return draining;
}

/** The status: `{ waiting, lastSent, lastError, configured }`. */
export async function status() {
  const db = await store.open();
  const [waiting, lastSent, lastError, lrs] = await Promise.all([
    K.countQueued(db), K.getSetting(db, "lastSent"), K.getSetting(db, "lastError"), K.getSetting(db, "lrs"),
  ]);
  return { waiting, lastSent, lastError, configured: Boolean(lrs?.endpoint) };
}

/** Fills every status line on screen (outbox-screens.js; loaded only when one is shown). */
function refreshStatus() {
  if (!app || !document.querySelector("[data-outbox-status]")) return;
  import("./outbox-screens.js").then((m) => m.refreshStatus(app)).catch(() => {});
}
