// The kiosk's attract screen before the engine is ready (issue 18): drawn from the pack index
// (`packs.json`) while the engine is still on its way, its start buttons usable at once. The
// engine's download is held back here with playwright's `page.route`, so that the tap comes
// before the engine (as on a slow network): the tap is kept, the button says it is getting
// ready, one visit starts once the engine is ready; a pack that fails to verify is still
// refused and nothing starts.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as k from "./helpers.mjs";
import { tamperHotline } from "./tamper.mjs";

let server;
let tamperedServer;
let index;
before(async () => {
  k.requireBuilt();
  index = JSON.parse(readFileSync(path.join(k.WEB, "packs.json"), "utf8"));
  server = await k.serve();
  tamperedServer = await k.serve({ overrides: { "/safe-migration.krupack": tamperHotline(new Uint8Array(readFileSync(k.PACK))) } });
});
after(async () => {
  await server?.close();
  await tamperedServer?.close();
});

/**
 * Opens `url` with the engine's module (`pkg/kru_wasm_bg.wasm`) held back until `release()`;
 * waits for the attract screen drawn before the engine.
 */
async function openHeld(context, url, { query = "test=1", hash = "#/kiosk" } = {}) {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(k.TIMEOUT);
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  let held = 0;
  await page.route("**/pkg/kru_wasm_bg.wasm", async (route) => {
    held += 1;
    await gate;
    await route.continue();
  });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${url}?${query}${hash}`);
  await page.waitForSelector("[data-screen=attract][data-early='1'] [data-start]");
  return { page, release: () => release(), held: () => held };
}

/** A tap in the middle of `selector` with the mouse (no actionability wait: a person taps whatever is there). */
async function tap(page, selector) {
  const box = await page.locator(selector).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** What the app knows of the engine: whether its pack is loaded (the test hook). */
const engineReady = (page) => page.evaluate(() => Boolean(window.__kru?.ready));

test("the attract screen is drawn and a tap on Start kept before the engine is ready; one visit starts", { timeout: 180_000 }, async () => {
  const entry = index.packs.find((p) => p.id === "safe-migration");
  for (const viewport of [{ width: 1024, height: 768 }, { width: 412, height: 915 }]) {
    const { context, close } = await k.freshProfile({ viewport });
    try {
      const { page, release, held } = await openHeld(context, server.url);
      assert.ok(held() >= 1, "the engine's module was requested and is held back");
      assert.equal(await engineReady(page), false, "no engine yet");
      assert.equal(await page.evaluate(() => document.body.dataset.state), "early");
      // The pack's title in Khmer and English, the pitch, the hotline: from the pack index.
      const title = await page.textContent(".attract-title");
      assert.ok(title.includes(entry.title.km) && title.includes(entry.title.en), title);
      assert.match(await page.textContent(".attract-hotline"), /1288/);
      assert.equal(await page.textContent("[data-start=km]"), entry.attract.strings.km.start);
      assert.equal(await page.getAttribute("html", "lang"), "km");
      // The language switch is there too, from the index's languages.
      assert.deepEqual(await page.$$eval(".lang-switch button", (bs) => bs.map((b) => b.dataset.lang)), ["km", "en"]);
      const name = `early-attract-km-${viewport.width}x${viewport.height}`;
      await k.shot(page, name);
      assert.deepEqual(await k.axe(page), [], "early attract screen: no axe violations");
      // The whole screen fits: the start buttons are on it without scrolling.
      const box = await page.locator("[data-start=en]").boundingBox();
      assert.ok(box.y + box.height <= viewport.height, `start button inside ${viewport.height}px: ${JSON.stringify(box)}`);

      // A double tap on Start and a tap on the other one: one visit, in Khmer.
      await tap(page, "[data-start=km]");
      await tap(page, "[data-start=km]");
      await tap(page, "[data-start=en]");
      assert.equal(await page.getAttribute("[data-start=km]", "aria-busy"), "true");
      assert.equal((await page.textContent("[data-start=km]")).trim(), entry.attract.strings.km.startWaiting);
      assert.equal(await engineReady(page), false, "still no engine");
      if (viewport.width === 1024) await k.shot(page, "early-attract-km-waiting-1024x768");

      release();
      await page.waitForSelector("form.question");
      await page.waitForFunction(() => document.body.dataset.booted === "1");
      const visits = await page.evaluate(() => window.__kru.visits());
      assert.equal(visits, 1, "one visit started");
      assert.equal(await page.getAttribute("html", "lang"), "km", "the visit tapped: Khmer");
      const st = await k.step(page);
      assert.equal(st.kind, "question");
      assert.equal(st.number, 1, "the first question");
      // The tap was kept from before the engine was ready: the honest start of the visit.
      const m = await page.evaluate(() => window.__kru.timings());
      assert.ok(m.startTapped < m.packReady, `tapped (${m.startTapped}) before the pack was ready (${m.packReady})`);
      assert.ok(m.earlyScreen < m.startTapped, "the early screen came first");
    } finally {
      await close();
    }
  }
});

test("once the engine is ready, the attract screen drawn early stays and its Start works", { timeout: 120_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const { page, release } = await openHeld(context, server.url);
    const early = await page.evaluateHandle(() => document.querySelector("[data-screen=attract]"));
    release();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    // The same element (no button swapped under a finger), no longer marked early.
    assert.equal(await early.evaluate((el) => el.isConnected && !el.dataset.early), true);
    await k.clickAndWait(page, "[data-start=en]");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal((await k.step(page)).kind, "question");
    assert.equal(await page.evaluate(() => window.__kru.visits()), 1);
  } finally {
    await close();
  }
});

test("a reload in the middle of a visit: the early screen gives way to the saved visit, which resumes", { timeout: 120_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { hash: "#/kiosk" });
    await k.clickAndWait(page, "[data-start=km]");
    await k.answer(page);
    const before = await k.step(page);
    // Reload with the engine held back (playwright's routes do not see what a service worker
    // answers: it goes first): the attract screen may show at first, but not once the saved
    // visit is found.
    await page.evaluate(async () => {
      for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    });
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    await page.route("**/pkg/kru_wasm_bg.wasm", async (route) => {
      await gate;
      await route.continue();
    });
    await page.reload();
    await page.waitForFunction(() => window.__kru?.timings().snapshotChecked !== undefined);
    assert.equal(await page.$("main [data-screen=attract], body[data-screen=attract]"), null, "no attract screen over a saved visit");
    assert.equal(await page.evaluate(() => document.body.dataset.state), "loading");
    release();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    const after = await k.step(page);
    assert.equal(after.number, before.number, "the same step");
    assert.equal(after.phase, before.phase);
    assert.equal(await page.evaluate(() => window.__kru.visits()), 0, "no new visit");
  } finally {
    await close();
  }
});

test("a tampered pack with a Start tapped early: refused, clearly, and no visit starts", { timeout: 120_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const { page, release } = await openHeld(context, tamperedServer.url);
    // The index's hotline (the genuine 1288) is shown until the pack is checked.
    await tap(page, "[data-start=km]");
    assert.equal(await page.getAttribute("[data-start=km]", "aria-busy"), "true");
    release();
    await page.waitForFunction(() => document.body.dataset.state === "refused");
    assert.equal(await page.getAttribute(".refusal", "data-code"), "pack-signature-mismatch");
    const text = await page.textContent("main");
    assert.doesNotMatch(text, /1289/, "nothing of the refused pack is shown");
    assert.equal(await page.$("[data-start]"), null, "no start button left");
    assert.equal(await page.$("form.question"), null, "no question");
    assert.equal(await page.evaluate(() => window.__kru.visits()), 0, "no visit started");
    await k.shot(page, "early-attract-refused");
    assert.deepEqual(await k.axe(page), [], "refusal screen: no axe violations");
  } finally {
    await close();
  }
});

test("Lao pack: the early attract screen in Lao and English from the index, Start by keyboard", { timeout: 120_000 }, async () => {
  const entry = index.packs.find((p) => p.id === "safe-migration-lo");
  const { context, close } = await k.freshProfile({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, release } = await openHeld(context, server.url, { query: "test=1&pack=safe-migration-lo" });
    const first = entry.languages[0].tag;
    assert.equal(first, "lo");
    assert.equal(await page.getAttribute("html", "lang"), "lo");
    // The pack's own Lao strings (not the built-in English) before the engine is loaded.
    assert.equal(await page.textContent("[data-start=lo]"), entry.attract.strings.lo.start);
    assert.match(entry.attract.strings.lo.start, /[\u0E80-\u0EFF]/);
    assert.ok((await page.textContent(".attract-title")).includes(entry.title.lo));
    assert.equal(await page.textContent(".attract-pitch span[lang=en]"), entry.attract.strings.en.kioskPitch);
    await k.shot(page, "early-attract-lo-1280x800");
    // Keyboard only: Tab to the Lao start button, Enter.
    for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.dataset.start === "lo")); i += 1) await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.start), "lo", "Start reached with Tab");
    await page.keyboard.press("Enter");
    assert.equal(await page.getAttribute("[data-start=lo]", "aria-busy"), "true");
    release();
    await page.waitForSelector("form.question");
    assert.equal(await page.getAttribute("html", "lang"), "lo");
    assert.equal(await page.evaluate(() => window.__kru.visits()), 1);
  } finally {
    await close();
  }
});
