// The outbox against a real LRS (ralph 5.1.0 started by `cargo xtask test web-lrs`, which
// serves the demo itself and lets ralph allow the demo's origin by CORS). Not a `*.test.mjs`:
// `web-e2e` has no LRS; `web-lrs` runs this file with KRU_DEMO_URL, KRU_LRS_URL,
// KRU_LRS_USER and KRU_LRS_PASSWORD.
//
// Offline first: two kiosk visits → "2 results waiting to send". Online with a wrong password
// → a clear message, nothing sent, nothing in the LRS. The right password → the queue drains;
// the LRS holds exactly the statements the engine makes for the two records; everything
// queued again and sent again → the LRS holds the same statements (count unchanged). The
// results log on the device is kept. From an origin the LRS does not allow, and with an
// address where nothing listens, "Test connection" says so.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import * as k from "./helpers.mjs";

const DEMO = process.env.KRU_DEMO_URL;
const LRS = process.env.KRU_LRS_URL;
const USER = process.env.KRU_LRS_USER;
const PASSWORD = process.env.KRU_LRS_PASSWORD;

before(() => {
  k.requireBuilt();
  if (!DEMO || !LRS || !USER || !PASSWORD) {
    throw new Error("needs KRU_DEMO_URL and a running LRS (KRU_LRS_URL, KRU_LRS_USER, KRU_LRS_PASSWORD): run `cargo xtask test web-lrs`");
  }
});

/** Every statement the LRS holds (following `more`), read with the right credentials. */
async function lrsStatements() {
  const auth = "Basic " + Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
  const out = [];
  let url = new URL("statements?limit=100", LRS).href;
  for (let guard = 0; url && guard < 1000; guard += 1) {
    const res = await fetch(url, { headers: { Authorization: auth, "X-Experience-API-Version": "1.0.3" } });
    assert.equal(res.status, 200, `GET ${url}: ${res.status}`);
    const page = await res.json();
    out.push(...page.statements);
    url = page.more ? new URL(page.more, LRS).href : null;
  }
  return out;
}

/** What the engine (its full module for Node.js) makes of these records. */
async function engineStatements(recordBytes, homePage) {
  const m = await import(pathToFileURL(k.path.join(k.PKG_NODE, "kru_wasm_full.js")).href);
  const full = typeof m.Pack === "function" ? m : m.default;
  const keys = JSON.parse(k.readFileSync(k.path.join(k.WEB, "trusted-keys.json"), "utf8")).keys
    .map((key) => Uint8Array.from(Buffer.from(key.publicKey, "hex")));
  const pack = full.Pack.load(k.readFileSync(k.PACK), { trustedKeys: keys });
  return recordBytes.flatMap((b) => JSON.parse(full.xapiStatements(pack, b, { homePage })));
}

async function statusOf(page) {
  const el = page.locator("[data-outbox-status]").first();
  return { text: (await el.textContent()).trim(), waiting: Number(await el.getAttribute("data-waiting")), error: await el.getAttribute("data-error") };
}

async function waitStatus(page, pred, what) {
  await page.waitForFunction(pred, null, { timeout: 60_000 }).catch(async (e) => {
    throw new Error(`${what}: ${JSON.stringify(await statusOf(page).catch(() => null))} (${e.message})`);
  });
}

async function kioskVisit(page) {
  await page.evaluate(() => { location.hash = "#/kiosk"; });
  await page.waitForSelector("[data-screen=attract]");
  await k.clickAndWait(page, "[data-start=en]");
  await k.walk(page);
  await page.waitForSelector("[data-screen=result]");
  await k.clickAndWait(page, "[data-action=finish]");
  await page.waitForSelector("[data-screen=attract]");
  // The kiosk is locked: staff leave it (the press-and-hold; no admin PIN set here).
  await k.leaveKiosk(page);
}

async function settings(page, { password }) {
  await page.evaluate(() => { location.hash = "#/"; });
  await page.waitForSelector("[data-outbox-settings]");
  await k.clickAndWait(page, "[data-outbox-settings]");
  await page.fill("#lrs-endpoint", LRS);
  await page.fill("#lrs-user", USER);
  if (password !== undefined) await page.fill("#lrs-password", password);
  await page.click("[data-form=lrs] [data-action=save]");
  await page.waitForSelector("[data-outbox-message][data-result=saved]");
}

async function pressTest(page) {
  await page.evaluate(() => { document.querySelector("[data-outbox-message]").dataset.result = ""; });
  await page.click("[data-form=lrs] [data-action=test]");
  await page.waitForFunction(() => !["", "testing"].includes(document.querySelector("[data-outbox-message]").dataset.result));
  const el = page.locator("[data-outbox-message]");
  return { result: await el.getAttribute("data-result"), text: (await el.textContent()).trim() };
}

test("offline visits wait in the outbox; a wrong password sends nothing; the right one drains it, once", { timeout: 600_000 }, async () => {
  assert.equal((await lrsStatements()).length, 0, "the LRS starts empty");
  const { context, close } = await k.freshProfile();
  try {
    // Every POST to the LRS and its answer, from the browser's side.
    const posts = [];
    context.on("requestfinished", async (req) => {
      if (req.method() !== "POST" || !req.url().startsWith(LRS)) return;
      const res = await req.response();
      posts.push({ status: res.status(), version: req.headers()["x-experience-api-version"], auth: req.headers().authorization?.split(" ")[0], n: JSON.parse(req.postData()).length });
    });
    const page = await k.open(context, DEMO, { query: "test=1&lang=en", hash: "#/" });
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");

    // Offline: two kiosk visits.
    await context.setOffline(true);
    await kioskVisit(page);
    await kioskVisit(page);
    await page.evaluate(() => { location.hash = "#/"; });
    await page.waitForSelector("[data-outbox-status]");
    await page.click(".lang-switch [data-lang=en]");
    await waitStatus(page, () => document.querySelector("[data-outbox-status]")?.dataset.waiting === "2", "2 waiting");
    let s = await statusOf(page);
    assert.match(s.text, /^2 results waiting to send · nothing sent yet · sending is not set up$/);

    // Still offline: set the LRS with a wrong password; the test says the device is offline.
    await settings(page, { password: "not-the-password" });
    assert.equal((await pressTest(page)).result, "offline");
    assert.equal((await page.evaluate(() => window.__kru.drain())).state, "offline");
    s = await statusOf(page);
    assert.equal(s.waiting, 2);
    const prepared = await page.evaluate(async () => {
      const db = await new Promise((r) => { const q = indexedDB.open("kru-demo"); q.onsuccess = () => r(q.result); });
      const rows = await new Promise((r) => { const q = db.transaction("outbox").objectStore("outbox").getAll(); q.onsuccess = () => r(q.result); });
      db.close();
      return rows.map((x) => typeof x.statements === "string");
    });
    assert.deepEqual(prepared, [true, true], "statements made offline, ready for Background Sync");

    // Online, wrong password: the LRS refuses; nothing is marked sent.
    await context.setOffline(false);
    await waitStatus(page, () => document.querySelector("[data-outbox-status]")?.dataset.error === "auth", "auth error shown");
    s = await statusOf(page);
    assert.equal(s.waiting, 2, "nothing marked sent");
    assert.match(s.text, /2 results waiting to send · nothing sent yet · the LRS refused the username or password/);
    const wrong = await pressTest(page);
    assert.equal(wrong.result, "auth");
    assert.match(wrong.text, /^Wrong credentials: the LRS refused this username or password \(HTTP 401\)\.$/);
    assert.equal((await lrsStatements()).length, 0, "the LRS holds nothing");
    assert.ok(posts.length >= 1 && posts.every((p) => p.status === 401), `refused: ${JSON.stringify(posts)}`);
    const refused = posts.length;
    await k.shot(page, "outbox-settings-wrong-password");

    // The right password: the queue drains in the background.
    await page.fill("#lrs-password", PASSWORD);
    await page.click("[data-form=lrs] [data-action=save]");
    await page.waitForSelector("[data-outbox-message][data-result=saved]");
    assert.equal(await page.inputValue("#lrs-password"), "", "the password is not shown back");
    await waitStatus(page, () => document.querySelector("[data-outbox-status]")?.dataset.waiting === "0", "drained");
    s = await statusOf(page);
    assert.match(s.text, /^0 results waiting to send · last sent at \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal((await pressTest(page)).result, "ok");

    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 2, "the results log keeps both records");
    const expected = await engineStatements(recs.map((r) => r.bytes), new URL("./", DEMO).href);
    assert.ok(expected.length > 2 * 5, `the engine makes statements for the answers (${expected.length})`);
    const held = await lrsStatements();
    assert.equal(held.length, expected.length, "the LRS holds what the engine makes for the two records");
    assert.deepEqual(held.map((x) => x.id).sort(), expected.map((x) => x.id).sort());
    const first = posts.slice(refused);
    assert.deepEqual(first.map((p) => [p.status, p.version, p.auth]), [[200, "1.0.3", "Basic"]], `one batch, acknowledged: ${JSON.stringify(first)}`);
    assert.equal(first[0].n, expected.length);

    // Everything queued again (the acknowledgement lost, a new LRS…) and sent again: duplicates are harmless.
    await page.click("[data-action=requeue]");
    await page.waitForSelector("[data-outbox-message][data-result=requeued]");
    assert.match(await page.textContent("[data-outbox-message]"), /2 results queued/);
    await waitStatus(page, () => document.querySelector("[data-outbox-status]")?.dataset.waiting === "0", "drained again");
    const again = await lrsStatements();
    assert.equal(again.length, expected.length, "a second drain stores nothing new");
    const second = posts.slice(refused + 1);
    console.log(`LRS answers: wrong password ${posts.slice(0, refused).map((p) => p.status)}, first drain ${first.map((p) => `${p.status} (${p.n} statements)`)}, second drain ${second.map((p) => `${p.status} (${p.n} statements)`)}`);
    assert.ok(second.length >= 1 && second.every((p) => [200, 204, 409].includes(p.status)), `second drain: ${JSON.stringify(second)}`);
    assert.equal((await page.evaluate(() => window.__kru.drain())).state, "empty");
    assert.equal((await k.records(page, "kiosk")).length, 2, "syncing never deletes the results log");

    // The saved password never reaches the page; the screenshot of the settings and status.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    await page.waitForSelector("#lrs-password");
    assert.equal(await page.inputValue("#lrs-password"), "");
    assert.ok(!(await page.content()).includes(PASSWORD), "the password is nowhere in the page");
    await k.shot(page, "outbox-settings");
    await page.evaluate(() => { location.hash = "#/"; });
    await waitStatus(page, () => /last sent at/.test(document.querySelector("[data-outbox-status]")?.textContent ?? ""), "home status");
    await k.shot(page, "outbox-home-status");
    assert.deepEqual(await k.axe(page), [], "home with the status line: no axe violations");
    await k.clickAndWait(page, "[data-outbox-settings]");
    assert.deepEqual(await k.axe(page), [], "settings: no axe violations");
    await page.click(".lang-switch [data-lang=km]");
    await page.waitForFunction(() => document.documentElement.lang === "km");
    // The status line is written again after the switch (it reads the outbox asynchronously).
    await waitStatus(page, () => /ផ្ញើចុងក្រោយនៅ/.test(document.querySelector("[data-outbox-status]")?.textContent ?? ""), "Khmer status");
    assert.match(await page.textContent("[data-outbox-status]"), /^លទ្ធផល ០ កំពុងរង់ចាំផ្ញើ · ផ្ញើចុងក្រោយនៅ [០-៩]{4}-/);
    await k.shot(page, "outbox-settings-km");

    // The kiosk's visitor screens show nothing of it.
    await page.evaluate(() => { location.hash = "#/kiosk"; });
    await page.waitForSelector("[data-screen=attract]");
    assert.equal(await page.locator("[data-outbox-status], [data-outbox-settings]").count(), 0);
  } finally {
    await close();
  }
});

test("with the app closed, the service worker's sync handler sends what was queued offline", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, DEMO, { query: "test=1&lang=en", hash: "#/" });
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
    await settings(page, { password: PASSWORD });
    const before = (await lrsStatements()).length;

    await context.setOffline(true);
    await kioskVisit(page);
    // The page makes the statements offline (the service worker has no engine) and asks for a sync.
    const preparedRows = () => page.evaluate(async () => {
      const db = await new Promise((r) => { const q = indexedDB.open("kru-demo"); q.onsuccess = () => r(q.result); });
      const rows = await new Promise((r) => { const q = db.transaction("outbox").objectStore("outbox").getAll(); q.onsuccess = () => r(q.result); });
      db.close();
      return rows.filter((x) => typeof x.statements === "string").length;
    });
    for (let i = 0; i < 300 && (await preparedRows()) !== 1; i += 1) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await preparedRows(), 1, "the queued record has its statements, made offline by the page");
    const recs = await k.records(page, "kiosk");
    const expected = await engineStatements([recs.at(-1).bytes], new URL("./", DEMO).href);

    // The app closes; the connection comes back; nothing of the app is open. Playwright's
    // offline is an emulation the browser's own connectivity never sees, so the browser would
    // not know when to fire `sync`: the test fires it the way DevTools does
    // (ServiceWorker.dispatchSyncEvent) with the tag the page registered.
    await page.goto("about:blank");
    await context.setOffline(false);
    const cdp = await context.newCDPSession(page);
    const registration = new Promise((resolve) => {
      cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
        const r = e.registrations.find((x) => x.scopeURL.startsWith(DEMO) && !x.isDeleted);
        if (r) resolve(r.registrationId);
      });
    });
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.dispatchSyncEvent", {
      origin: new URL(DEMO).origin, registrationId: await registration, tag: "kru-outbox", lastChance: false,
    });
    assert.equal(context.pages().filter((p) => p.url().startsWith(DEMO)).length, 0, "no page of the app is open");
    const deadline = Date.now() + 90_000;
    let held = [];
    while (Date.now() < deadline) {
      held = await lrsStatements();
      if (held.length >= before + expected.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(held.length, before + expected.length, "the service worker sent the record's statements");
    const ids = new Set(held.map((x) => x.id));
    assert.ok(expected.every((x) => ids.has(x.id)));

    // Opened again: nothing waits.
    const again = await k.open(context, DEMO, { query: "test=1&lang=en", hash: "#/" });
    await waitStatus(again, () => document.querySelector("[data-outbox-status]")?.dataset.waiting === "0", "nothing waits");
  } finally {
    await close();
  }
});

test("Test connection: an origin the LRS does not allow (CORS), and nothing listening", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    // The same demo under another origin (localhost, not 127.0.0.1): the LRS does not allow it.
    const other = DEMO.replace("127.0.0.1", "localhost");
    assert.notEqual(other, DEMO);
    const page = await k.open(context, other, { query: "test=1&lang=en", hash: "#/settings" });
    await page.waitForSelector("#lrs-endpoint");
    await page.fill("#lrs-endpoint", LRS);
    await page.fill("#lrs-user", USER);
    await page.fill("#lrs-password", PASSWORD);
    const cors = await pressTest(page);
    assert.equal(cors.result, "cors", cors.text);
    assert.match(cors.text, /does not allow this app's address \(http:\/\/localhost:\d+\)\. Its administrator must add this origin/);
    await k.shot(page, "outbox-settings-cors");

    // Nothing listens on port 9 of 127.0.0.1 (discard; closed here).
    await page.fill("#lrs-endpoint", "http://127.0.0.1:9/xAPI/");
    const none = await pressTest(page);
    assert.equal(none.result, "unreachable", none.text);
    assert.match(none.text, /^Cannot reach the LRS at http:\/\/127\.0\.0\.1:9\/xAPI\/: check the address and the network\.$/);
  } finally {
    await close();
  }
});
