// The outbox's sending half, shared by the page (imported as a module by store.js and
// outbox.js) and the service worker (`importScripts`, for Background Sync when the page is
// closed). It is therefore a plain script: no `import`/`export`; it sets `self.KruOutbox`.
//
// IndexedDB "kru-demo" (the schema lives here so that both open it the same way):
// - `outbox`: `{ id (auto), source, bytes, queued, statements? }` — one row per finished or
//   abandoned record (`bytes`: its results-log frame), written in the same transaction as the
//   results log (store.appendFrame). `statements` is the engine's xAPI JSON for it, added by
//   the page (the engine's full module runs in the page only); the service worker sends only
//   rows that have it. A row is deleted when the LRS acknowledged every statement of it; the
//   results log itself is never touched by sending.
// - `settings`: `{ key, value }` — `lrs` ({ endpoint, user, password, homePage }), `lastSent`
//   (ms), `lastError` ({ kind, status?, at }).
//
// Sending follows docs/js-api.md ("Acknowledgement bookkeeping"): batches of whole records,
// POST `<endpoint>/statements` with `X-Experience-API-Version: 1.0.3` and Basic auth; 200 or
// 204 acknowledge the batch; 409 (some statement already held: ralph rejects the whole batch)
// → the batch's records one by one, then a record still in conflict statement by statement,
// where 200, 204 and 409 all mean the LRS holds it. Statement ids are deterministic (from the
// record id), so re-sending never stores anything twice.

(function (root) {
  "use strict";

  const DB_NAME = "kru-demo";
  const DB_VERSION = 2;
  /** Statements per POST (whole records are never split across batches). */
  const BATCH_STATEMENTS = 250;
  const TIMEOUT_MS = 30000;

  function upgrade(db) {
    if (!db.objectStoreNames.contains("logs")) db.createObjectStore("logs", { keyPath: "id" });
    if (!db.objectStoreNames.contains("snapshots")) db.createObjectStore("snapshots", { keyPath: "slot" });
    if (!db.objectStoreNames.contains("classes")) db.createObjectStore("classes", { keyPath: "id" });
    if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
    if (!db.objectStoreNames.contains("settings")) db.createObjectStore("settings", { keyPath: "key" });
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
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
      tx.onerror = () => reject(tx.error);
    });
  }

  /** Opens the database (for the service worker; the page uses store.open()). */
  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => upgrade(req.result);
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => db.close();
        resolve(db);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error("the database is blocked by another tab"));
    });
  }

  async function getSetting(db, key) {
    const row = await request(db.transaction("settings").objectStore("settings").get(key));
    return row ? row.value : null;
  }

  async function setSettings(db, values) {
    const tx = db.transaction("settings", "readwrite");
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) tx.objectStore("settings").delete(key);
      else tx.objectStore("settings").put({ key, value });
    }
    await done(tx);
  }

  async function queued(db) {
    return request(db.transaction("outbox").objectStore("outbox").getAll());
  }

  async function countQueued(db) {
    return request(db.transaction("outbox").objectStore("outbox").count());
  }

  /** The LRS's statements resource for an endpoint such as `https://lrs.example.org/xAPI/`. */
  function statementsUrl(endpoint) {
    return new URL("statements", endpoint.endsWith("/") ? endpoint : endpoint + "/").href;
  }

  function basic(user, password) {
    const bytes = new TextEncoder().encode(user + ":" + password);
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return "Basic " + btoa(s);
  }

  function headers(lrs) {
    return {
      "Content-Type": "application/json",
      "X-Experience-API-Version": "1.0.3",
      Authorization: basic(lrs.user || "", lrs.password || ""),
    };
  }

  /** An error that says what went wrong in a way the settings screen can explain. */
  function failure(kind, status, detail) {
    const e = new Error(kind + (status ? " (HTTP " + status + ")" : "") + (detail ? ": " + detail : ""));
    e.kind = kind; // "auth" | "network" | "server" | "rejected"
    e.status = status || 0;
    return e;
  }

  async function post(lrs, statements) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    let res;
    try {
      res = await fetch(statementsUrl(lrs.endpoint), {
        method: "POST", headers: headers(lrs), body: JSON.stringify(statements), signal: ctrl.signal, cache: "no-store",
      });
    } catch (e) {
      throw failure("network", 0, String((e && e.message) || e));
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 200 || res.status === 204) return "held";
    if (res.status === 409) return "conflict";
    const text = await res.text().catch(() => "");
    if (res.status === 401 || res.status === 403) throw failure("auth", res.status, text.slice(0, 200));
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw failure("server", res.status, text.slice(0, 200));
    throw failure("rejected", res.status, text.slice(0, 300));
  }

  /** Sends one record's statements so that the LRS ends up holding all of them. */
  async function sendRecord(lrs, statements) {
    if ((await post(lrs, statements)) === "held") return;
    for (const s of statements) await post(lrs, [s]); // 200, 204 and 409 all mean "held"
  }

  /**
   * Sends every queued row that has its statements; deletes a row once the LRS holds all of
   * its statements. Returns `{ sent, statements, left }`. Throws (with `kind`) on the first
   * failure: what was acknowledged before stays acknowledged.
   */
  async function send(db, lrs) {
    const rows = (await queued(db)).filter((r) => typeof r.statements === "string");
    let sent = 0;
    let count = 0;
    const ack = async (batch) => {
      const tx = db.transaction(["outbox", "settings"], "readwrite");
      for (const r of batch) tx.objectStore("outbox").delete(r.id);
      tx.objectStore("settings").put({ key: "lastSent", value: Date.now() });
      tx.objectStore("settings").delete("lastError");
      await done(tx);
      sent += batch.length;
    };
    let i = 0;
    while (i < rows.length) {
      const batch = [];
      let statements = [];
      while (i < rows.length && (batch.length === 0 || statements.length + JSON.parse(rows[i].statements).length <= BATCH_STATEMENTS)) {
        statements = statements.concat(JSON.parse(rows[i].statements));
        batch.push(rows[i]);
        i += 1;
      }
      if (statements.length === 0) {
        await ack(batch);
        continue;
      }
      const answer = await post(lrs, statements);
      if (answer === "held") {
        count += statements.length;
        await ack(batch);
        continue;
      }
      for (const r of batch) {
        const own = JSON.parse(r.statements);
        await sendRecord(lrs, own);
        count += own.length;
        await ack([r]);
      }
    }
    return { sent, statements: count, left: await countQueued(db) };
  }

  /** Records a failure for the status line and the settings screen. */
  async function noteError(db, e) {
    await setSettings(db, { lastError: { kind: e.kind || "error", status: e.status || 0, message: String(e.message || e), at: Date.now() } });
  }

  /** The service worker's drain: whatever is prepared, to the configured LRS. */
  async function drainPrepared(db) {
    const lrs = await getSetting(db, "lrs");
    if (!lrs || !lrs.endpoint) return { sent: 0, statements: 0, left: await countQueued(db) };
    try {
      return await send(db, lrs);
    } catch (e) {
      if (e.kind) await noteError(db, e);
      throw e;
    }
  }

  root.KruOutbox = {
    DB_NAME, DB_VERSION, upgrade, openDb, request, done, getSetting, setSettings, queued, countQueued,
    statementsUrl, headers, send, noteError, drainPrepared, failure,
  };
})(typeof self !== "undefined" ? self : globalThis);
