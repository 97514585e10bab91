// What the app keeps on the device, in IndexedDB (database "kru-demo"):
//
// - `logs`: one results log per source, `{ id, bytes, updated }`. `id` is `"kiosk"` or
//   `"class:<session id>"`; `bytes` is an engine results log (frames appended as the engine
//   returns them from `finish`/`abandon`; a torn tail is cut with `appendOffset` first).
// - `snapshots`: running quizzes, `{ slot, bytes, meta, saved }`, saved after every step so that
//   a reload or a crash resumes where the learner was; one slot per place a quiz runs
//   (`"kiosk"`, `"class:<session id>"`). Deleted when the session ends.
// - `classes`: class sessions started by a teacher, `{ id, school, className, date, created }`.
// - `outbox`: records waiting to be sent to the LRS (a copy of each record's frame, queued in
//   the same transaction that appends it to its log), and `settings` (the LRS, when results
//   were last sent): see outbox-core.js. Sending deletes outbox rows, never logs.
//
// Each row carries its pack's id (`pack`; none: the default pack's) and reads return only
// the pack in use's rows (`usePack`), so two packs' records stay apart.
//
// Nothing else is stored: no names (learners use codes), no copy of the screen. In preview
// mode (`kru preview`, `previewOnly()`) nothing is stored at all: no results log, no snapshot,
// nothing queued for the LRS.

import "./outbox-core.js";

const { DB_NAME, DB_VERSION, upgrade } = globalThis.KruOutbox;

let dbPromise = null;
let preview = false;
let pack = {};

/** Rows are written with pack `id`, and read of it only (rows with no pack: `legacy`'s). */
export function usePack(id, legacy) {
  pack = { id, legacy };
}

/** Whether a row belongs to the pack in use. */
export const ours = (row) => (row.pack ?? pack.legacy) === pack.id;

/** Preview mode: from now on nothing is written and no quiz is resumed. */
export function previewOnly() {
  preview = true;
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
    tx.onerror = () => reject(tx.error);
  });
}

/** Whether an LRS is set (the outbox's `lrs` setting has an endpoint): only then is there sending to do. */
export async function lrsSet() {
  const lrs = await globalThis.KruOutbox.getSetting(await open(), "lrs");
  return Boolean(lrs?.endpoint);
}

/** Opens (and creates) the database. */
export function open() {
  if (!dbPromise) {
    const mine = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => upgrade(req.result);
      req.onsuccess = () => {
        const db = req.result;
        // Another tab deleting the database (wipe) must not be blocked by this one.
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        // Closed by the browser, not by us: "Clear site data" (or the user deleting the
        // storage) with the app open. The next call opens a new, empty database.
        db.onclose = () => {
          if (dbPromise === mine) dbPromise = null;
          dataLost();
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error("the database is blocked by another tab"));
    });
    dbPromise = mine;
  }
  return dbPromise;
}

let lostAt = 0;

/**
 * The database was deleted under the app: tells the page once (event `kru-db-lost`, which
 * shows a notice) so that nobody believes results from before are still on the device.
 */
function dataLost() {
  if (Date.now() - lostAt < 2000) return;
  lostAt = Date.now();
  globalThis.dispatchEvent?.(new Event("kru-db-lost"));
}

/**
 * Runs `fn(db)`; when the connection turns out to be dead (InvalidStateError: the database
 * was deleted under the app), opens a new one and runs `fn` once more.
 */
async function withDb(fn) {
  const db = await open();
  try {
    return await fn(db);
  } catch (e) {
    if (e?.name !== "InvalidStateError") throw e;
    if (dbPromise) {
      try {
        (await dbPromise).close();
      } catch {
        // already closed
      }
    }
    dbPromise = null;
    dataLost();
    return fn(await open());
  }
}

/**
 * Appends one results-log frame to log `id`, first cutting a torn tail
 * (`appendOffset` is the engine's function), and queues the record in the outbox. One
 * transaction: read, cut, append, write, queue.
 */
export async function appendFrame(id, frame, appendOffset) {
  if (preview) return frame.length;
  return withDb(async (db) => {
    const tx = db.transaction(["logs", "outbox"], "readwrite");
    const logs = tx.objectStore("logs");
    const existing = await request(logs.get(id));
    const old = existing ? new Uint8Array(existing.bytes) : new Uint8Array(0);
    const keep = appendOffset(old);
    const bytes = new Uint8Array(keep + frame.length);
    bytes.set(old.subarray(0, keep), 0);
    bytes.set(frame, keep);
    logs.put({ id, bytes, updated: Date.now(), pack: pack.id });
    tx.objectStore("outbox").add({ source: id, bytes: new Uint8Array(frame), queued: Date.now(), pack: pack.id });
    await done(tx);
    // The outbox (outbox.js, when loaded) sends it in the background.
    globalThis.dispatchEvent?.(new Event("kru-queued"));
    return bytes.length;
  });
}

/** The bytes of log `id` (empty when there is none). */
export async function getLog(id) {
  return withDb(async (db) => {
    const row = await request(db.transaction("logs").objectStore("logs").get(id));
    return row ? new Uint8Array(row.bytes) : new Uint8Array(0);
  });
}

/** Every log of the pack in use (`others`: of the other packs): `[{ id, bytes, updated, pack }]`. */
export async function allLogs({ others = false } = {}) {
  return withDb(async (db) => {
    const rows = await request(db.transaction("logs").objectStore("logs").getAll());
    return rows.filter((r) => ours(r) !== others).map((r) => ({ ...r, bytes: new Uint8Array(r.bytes) }));
  });
}

/** Saves a running session's snapshot in `slot`, with what the app needs to resume it. */
export async function saveSnapshot(slot, bytes, meta) {
  if (preview) return;
  return withDb(async (db) => {
    const tx = db.transaction("snapshots", "readwrite");
    tx.objectStore("snapshots").put({ slot, bytes: new Uint8Array(bytes), meta, saved: Date.now(), pack: pack.id });
    await done(tx);
  });
}

/** The snapshot saved in `slot` (`{ slot, bytes, meta, saved }`), or null. */
export async function loadSnapshot(slot) {
  if (preview) return null;
  return withDb(async (db) => {
    const row = await request(db.transaction("snapshots").objectStore("snapshots").get(slot));
    return row ? { ...row, bytes: new Uint8Array(row.bytes) } : null;
  });
}

/** The most recently saved snapshot (of the pack in use), or null. */
export async function latestSnapshot() {
  if (preview) return null;
  return withDb(async (db) => {
    const rows = (await request(db.transaction("snapshots").objectStore("snapshots").getAll())).filter(ours);
    rows.sort((a, b) => b.saved - a.saved);
    return rows[0] ? { ...rows[0], bytes: new Uint8Array(rows[0].bytes) } : null;
  });
}

/** Deletes the snapshot in `slot`. */
export async function clearSnapshot(slot) {
  return withDb(async (db) => {
    const tx = db.transaction("snapshots", "readwrite");
    tx.objectStore("snapshots").delete(slot);
    await done(tx);
  });
}

/** Saves a class session. */
export async function saveClass(c) {
  return withDb(async (db) => {
    const tx = db.transaction("classes", "readwrite");
    tx.objectStore("classes").put({ pack: pack.id, ...c });
    await done(tx);
  });
}

/** Every class session of the pack in use (`all`: of every pack), newest first. */
export async function listClasses({ all = false } = {}) {
  return withDb(async (db) => {
    const rows = (await request(db.transaction("classes").objectStore("classes").getAll())).filter((c) => all || ours(c));
    return rows.sort((a, b) => b.created - a.created);
  });
}

/** One class session, or null. */
export async function getClass(id) {
  return withDb(async (db) => {
    return (await request(db.transaction("classes").objectStore("classes").get(id))) ?? null;
  });
}

/**
 * Wipes the device: deletes the database, every cache of this origin and the service worker.
 * The app downloads itself again the next time it is opened online.
 */
export async function wipe() {
  if (dbPromise) {
    try {
      (await dbPromise).close();
    } catch {
      // already closed
    }
    dbPromise = null;
  }
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve(); // completes once other tabs close it
  });
  if (globalThis.caches) {
    for (const key of await caches.keys()) await caches.delete(key);
  }
  if (navigator.serviceWorker) {
    for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
  }
}
