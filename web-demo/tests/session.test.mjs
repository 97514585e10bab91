// The kiosk's idle reset (privacy), resuming after a reload or a crash, and working offline.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

test("idle reset: warning with countdown, then the visitor's session is discarded (results kept)", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { query: "test=1&idle=3&warn=3", hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract]");
    await k.clickAndWait(page, "[data-start=en]");
    await k.answer(page);
    await k.answer(page, { wrong: true });
    const prompt = (await page.textContent("form.question .prompt")).trim();

    // A touch while warned keeps the visitor where they were.
    await page.waitForSelector("#idle-dialog[open]");
    assert.match(await page.textContent("#idle-dialog"), /Are you still there\?/);
    assert.deepEqual(await k.axe(page), [], "idle warning: no axe violations");
    await k.shot(page, "kiosk-idle-warning");
    await page.click("#idle-dialog [data-idle-continue]");
    await page.waitForFunction(() => !document.getElementById("idle-dialog").open);
    assert.equal((await page.textContent("form.question .prompt")).trim(), prompt);
    assert.equal((await k.step(page)).number, 3);

    // No touch: warning, countdown, reset to the attract screen.
    await page.waitForSelector("#idle-dialog[open]");
    await page.waitForSelector("[data-screen=attract]", { timeout: 30_000 });
    await page.waitForFunction(() => !document.getElementById("idle-dialog").open);
    await k.shot(page, "kiosk-after-idle-reset");
    const html = await page.content();
    assert.ok(!html.includes(prompt), "nothing of the visitor's quiz is left in the page");
    assert.equal(await page.getAttribute("html", "lang"), "km", "back to the default language");
    assert.equal(await k.step(page), null, "no running session");
    const { snapshots } = await k.stored(page);
    assert.equal(snapshots.length, 0, "the visitor's snapshot is deleted");
    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 1, "the partial record is kept in the results log");
    assert.equal(recs[0].completed, false);
    assert.equal(recs[0].responses.length, 2);

    // A reload does not bring the visitor back either.
    await page.reload();
    await page.waitForSelector("[data-screen=attract]");
    assert.equal(await k.step(page), null);
  } finally {
    await close();
  }
});

test("a reload, and a crash, in the middle of a quiz resume where the learner was", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    let page = await k.open(context, server.url, { hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract]");
    await k.clickAndWait(page, "[data-start=km]");
    await k.answer(page);
    await k.answer(page, { wrong: true });
    const before = await k.step(page);
    assert.equal(before.number, 3);

    await page.reload();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    await page.waitForSelector("form.question");
    const after = await k.step(page);
    assert.deepEqual(after, before, "same step, same option order");
    assert.equal(await page.getAttribute("html", "lang"), "km");
    assert.match(await page.textContent("form.question .eyebrow"), /សំណួរទី ៣ ក្នុងចំណោម ៥/);
    await k.shot(page, "resume-after-reload");

    // A crash: the tab goes away without unloading; a new tab resumes.
    await k.answer(page);
    const atFour = await k.step(page);
    await page.close({ runBeforeUnload: false });
    page = await context.newPage();
    await page.goto(`${server.url}?test=1`);
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    await page.waitForSelector("form.question");
    assert.deepEqual(await k.step(page), atFour);
    assert.equal(new URL(page.url()).hash, "#/kiosk");

    // The resumed session finishes normally, with all its answers.
    await k.walk(page);
    await page.waitForSelector("[data-screen=result]");
    assert.equal((await page.textContent(".result-line")).trim(), "មុនមេរៀន អ្នកដឹង ៤ ក្នុងចំណោម ៥។ ឥឡូវនេះ អ្នកដឹង ៥ ក្នុងចំណោម ៥។");
    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 1);
    assert.equal(recs[0].responses.length, 10);
  } finally {
    await close();
  }
});

test("a learner's quiz in class mode survives a kiosk visit on the same device and resumes", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { query: "test=1&lang=en", hash: "#/class" });
    await k.newClass(page, { school: "School", klass: "8C" });
    const classUrl = page.url();
    await page.fill("input[name=learner]", "R01");
    await k.clickAndWait(page, "[data-action=start-learner]");
    await page.click("form.intake [data-option=female]");
    await k.clickAndWait(page, "form.intake [data-action=submit]");
    const atAge = await k.step(page);
    assert.equal(atAge.field, "age-band");

    // The teacher lends the device to the kiosk meanwhile (the class's PIN unlocks it): its
    // snapshot is separate.
    await page.goto(`${server.url}?test=1#/kiosk`);
    await page.waitForSelector("form.intake");
    assert.equal(new URL(page.url()).hash, classUrl.slice(classUrl.indexOf("#")), "a locked class keeps its learners' screen");
    await k.teacherUnlock(page);
    await page.goto(`${server.url}?test=1#/kiosk`);
    await page.waitForSelector("[data-screen=attract]");
    await k.clickAndWait(page, "[data-start=km]");
    await k.answer(page);
    assert.deepEqual((await k.stored(page)).snapshots.map((x) => x.slot).sort(), ["class:" + decodeURIComponent(new URL(classUrl).hash.split("/")[2]), "kiosk"].sort());

    // Back to the class (staff leave the kiosk): the learner is where they were.
    await k.leaveKiosk(page);
    await page.goto(classUrl);
    await page.waitForSelector("form.intake");
    assert.deepEqual(await k.step(page), atAge);
    assert.equal(await page.getAttribute("html", "lang"), "en");
  } finally {
    await close();
  }
});

test("offline after the first load: the app, the engine and the pack come from the cache", { timeout: 180_000 }, async () => {
  const own = await k.serve();
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, own.url);
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
    const cached = await page.evaluate(async () => (await (await caches.open("kru-demo-v1")).keys()).map((r) => new URL(r.url).pathname));
    for (const p of ["/", "/app.js", "/pkg/kru_wasm_bg.wasm", "/pkg/kru_wasm_full_bg.wasm", "/safe-migration.krupack", "/trusted-keys.json"]) {
      assert.ok(cached.includes(p), `${p} is cached (${cached.join(", ")})`);
    }

    // The network goes away: the server stops and the browser is offline.
    await own.close();
    await context.setOffline(true);
    const served = own.requests.length;
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    assert.equal(own.requests.length, served, "nothing reached the server");
    await page.click("a[data-mode=kiosk]");
    await page.waitForSelector("[data-screen=attract]");
    await k.clickAndWait(page, "[data-start=en]");
    await k.answer(page);
    assert.equal((await k.step(page)).number, 2);
    await k.shot(page, "offline-question");
    assert.match(await page.textContent("#offline-status"), /offline/i);

    // The report, with the engine module that has the cohort report, works offline too.
    await k.leaveKiosk(page);
    const before = await k.seq(page);
    await page.evaluate(() => { location.hash = "#/report?source=kiosk"; });
    await k.nextScreen(page, before);
    await page.waitForSelector(".report");
    assert.equal(await page.evaluate(() => window.__kru.fullEngine()), true);
    assert.equal(own.requests.length, served, "still nothing reached the server");
  } finally {
    await close();
    await own.close().catch(() => {});
  }
});
