// Any bundled pack (issue 12): staff choose which pack a device runs (the pack index
// packs.json, written by the demo-pack step), and the app plays the Lao + English pack
// (content-packs/safe-migration-lo) as it plays the Khmer one: a whole kiosk visit in Lao and a
// class learner in Lao at 1024×768 and 412×915, Lao glyphs drawn, the primary action on screen,
// the results of the two packs kept apart (report, logs), the chosen pack cached for offline
// use and no other pack downloaded. Screenshots: web-demo/test-results/packs-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as k from "./helpers.mjs";

const LAO = "safe-migration-lo";
const LAO_DIGIT = /[\u0ED0-\u0ED9]/;
const VIEWPORTS = [
  { name: "1024x768", width: 1024, height: 768 },
  { name: "412x915", width: 412, height: 915 },
];

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

/** Whether Lao text is drawn with real glyphs in the element's font (not a missing font's boxes). */
async function laoGlyphs(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const family = getComputedStyle(el).fontFamily;
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `40px ${family}`;
    const lao = ctx.measureText("ກຂຄງຈ").width;
    const tofu = ctx.measureText("\u0378\u0378\u0378\u0378\u0378").width;
    return { family, lao, tofu, lang: el.closest("[lang]")?.lang, text: el.textContent };
  }, selector);
}

/** Whether the element is inside the window (the primary action needs no scrolling). */
async function onScreen(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
  }, selector);
}

/** Presses Tab until the focus is on an element matching `selector` (at most `max` presses). */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test("the pack index lists every bundled pack with its titles, languages, size and hash", () => {
  const index = JSON.parse(readFileSync(k.path.join(k.WEB, "packs.json"), "utf8"));
  assert.equal(index.default, "safe-migration");
  assert.deepEqual(index.packs.map((p) => p.id), ["safe-migration", LAO]);
  const lao = index.packs.find((p) => p.id === LAO);
  assert.deepEqual(lao.languages.map((l) => l.tag), ["lo", "en"]);
  assert.equal(lao.languages[0].numerals, "laoo");
  assert.match(lao.title.lo, /[\u0E80-\u0EFF]/);
  assert.equal(lao.title.en, "Safe migration: two key messages");
  for (const p of index.packs) {
    const bytes = readFileSync(k.path.join(k.WEB, p.file));
    assert.equal(p.size, bytes.length, `${p.file} size`);
    assert.match(p.sha256, /^[0-9a-f]{64}$/);
  }
});

test("staff switch the device to the Lao pack with the keyboard; a whole kiosk visit in Lao; offline after", { timeout: 600_000 }, async () => {
  const own = await k.serve();
  const { context, close, errors } = await k.freshProfile();
  try {
    // First visit (the default pack): no other pack is downloaded, not even by the service worker.
    let page = await k.open(context, own.url);
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
    assert.ok(own.requests.includes("/safe-migration.krupack"));
    assert.ok(!own.requests.some((r) => r.includes(LAO)), `first visit downloads no other pack: ${own.requests.join(" ")}`);

    // Staff, keyboard only: Tab to the pack chooser, arrow to the Lao pack, Tab to "Use this pack", Enter.
    await page.waitForSelector(`form[data-form=pack] input[value=${LAO}]`);
    assert.equal(await page.isChecked("form[data-form=pack] input[value=safe-migration]"), true, "the pack in use is checked");
    assert.deepEqual(await k.axe(page), [], "home screen with the pack chooser: no axe violations");
    await k.shot(page, "packs-chooser-km");
    await tabTo(page, "form[data-form=pack] input[type=radio]");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.isChecked(`form[data-form=pack] input[value=${LAO}]`), true);
    await tabTo(page, "form[data-form=pack] [data-action=use-pack]");
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    await page.waitForFunction(() => document.body.dataset.booted === "1");

    // The Lao pack: its languages in the switch, Lao first; remembered across a reload.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    assert.deepEqual(await page.$$eval(".lang-switch button", (bs) => bs.map((b) => b.dataset.lang)), ["lo", "en"]);
    assert.equal(await page.getAttribute("html", "lang"), "lo");
    assert.equal(await page.isChecked(`form[data-form=pack] input[value=${LAO}]`), true);
    assert.deepEqual(await k.axe(page), [], "home screen in Lao: no axe violations");
    await k.shot(page, "packs-chooser-lo");

    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.evaluate(() => { location.hash = "#/kiosk"; });
      await page.waitForSelector("[data-screen=attract] [data-start=lo]");
      // The attract screen: the pack's languages, Lao first, each with its start button.
      assert.deepEqual(await page.$$eval("[data-start]", (bs) => bs.map((b) => b.dataset.start)), ["lo", "en"]);
      const title = await laoGlyphs(page, ".attract-title [lang=lo]");
      assert.match(title.family, /Lao|Phetsarath|Saysettha/, "Lao is set in a Lao font");
      assert.notEqual(title.lao, title.tofu, `Lao glyphs drawn (not boxes): ${JSON.stringify(title)}`);
      assert.ok(await onScreen(page, "[data-start=lo]"), `the Lao start button is on screen at ${vp.name}`);
      assert.ok(await onScreen(page, "[data-start=en]"), `the English start button is on screen at ${vp.name}`);
      assert.match(await page.textContent(".attract-pitch [lang=en]"), /two key messages/);
      assert.deepEqual(await k.axe(page), [], `attract screen (Lao pack) at ${vp.name}: no axe violations`);
      await k.shot(page, `packs-kiosk-attract-${vp.name}`);

      await k.clickAndWait(page, "[data-start=lo]");
      assert.equal(await page.getAttribute("html", "lang"), "lo");
      let shotQuestion = false;
      await k.walk(page, {
        right: (st) => st.phase_kind === "post-test",
        onStep: async (st, p) => {
          if (st.kind === "question" && !shotQuestion) {
            shotQuestion = true;
            const g = await laoGlyphs(p, "form.question .prompt");
            assert.notEqual(g.lao, g.tofu, `question in Lao glyphs: ${JSON.stringify(g)}`);
            assert.ok(await onScreen(p, "form.question [data-action=submit]"), `submit on screen at ${vp.name}`);
            assert.deepEqual(await k.axe(p), [], `Lao question at ${vp.name}: no axe violations`);
            await k.shot(p, `packs-kiosk-lo-question-${vp.name}`);
          }
        },
      });
      await page.waitForSelector("[data-screen=result]");
      const line = await page.textContent(".result-line");
      assert.match(line, LAO_DIGIT, `the result in Lao digits: ${line}`);
      assert.equal(await page.getAttribute(".result-line", "data-post"), await page.getAttribute(".result-line", "data-max"), "post-test all right");
      assert.ok(await onScreen(page, "[data-action=finish]"), `Finish on screen at ${vp.name}`);
      // The take-home card in Lao, with its QR code.
      await page.waitForSelector(".result-card [data-qr-slot] svg");
      const card = await laoGlyphs(page, ".result-card");
      assert.notEqual(card.lao, card.tofu);
      assert.match(card.text, /[\u0E80-\u0EFF]/, "the card is in Lao");
      assert.deepEqual(await k.axe(page), [], `Lao result at ${vp.name}: no axe violations`);
      await k.shot(page, `packs-kiosk-lo-result-${vp.name}`);
      await k.clickAndWait(page, "[data-action=finish]");
      await page.waitForSelector("[data-screen=attract] [data-start=lo]");
      assert.equal(await page.getAttribute("html", "lang"), "lo", "the next visitor is greeted in the pack's first language");
      await k.leaveKiosk(page);
    }

    // The two visits are in the Lao pack's kiosk log, none in the Khmer pack's.
    const recs = await k.records(page, `kiosk:${LAO}`);
    assert.equal(recs.length, 2);
    assert.ok(recs.every((r) => r.completed && r.journey === "short" && r.pack_id === LAO), JSON.stringify(recs.map((r) => [r.journey, r.pack_id])));
    assert.equal((await k.records(page, "kiosk")).length, 0);

    // Offline: the server stops and the browser is offline; the Lao pack comes from the cache.
    const cached = await page.evaluate(async () => (await (await caches.open("kru-demo-v1")).keys()).map((r) => new URL(r.url).pathname));
    assert.ok(cached.includes(`/${LAO}.krupack`), `the chosen pack is cached (${cached.join(", ")})`);
    await own.close();
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    assert.deepEqual(await page.$$eval(".lang-switch button", (bs) => bs.map((b) => b.dataset.lang)), ["lo", "en"]);
    await page.evaluate(() => { location.hash = "#/kiosk"; });
    await k.clickAndWait(page, "[data-start=lo]");
    assert.equal((await k.step(page)).kind, "question", "a Lao question offline");
    await k.shot(page, "packs-kiosk-lo-offline");
    assert.deepEqual(errors, []);
  } finally {
    await own.close().catch(() => {});
    await close();
  }
});

test("?pack= on a first visit: a class learner in Lao at both sizes; the report keeps the packs apart", { timeout: 600_000 }, async () => {
  const own = await k.serve();
  const { context, close, errors } = await k.freshProfile({ viewport: { width: 412, height: 915 } });
  try {
    let page = await k.open(context, own.url, { query: `test=1&pack=${LAO}`, hash: "#/class" });
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
    assert.ok(!own.requests.includes("/safe-migration.krupack"), `only the chosen pack is downloaded: ${own.requests.join(" ")}`);
    assert.ok(own.requests.includes(`/${LAO}.krupack`));
    await k.newClass(page, { school: "ໂຮງຮຽນ", klass: "5A" });
    // The class list remembers the class's pack.
    const { classes } = await k.stored(page);
    assert.equal(classes[0].pack, LAO);

    for (const [i, vp] of VIEWPORTS.entries()) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.fill("input[name=learner]", `L${i + 1}`);
      await k.clickAndWait(page, "[data-action=start-learner]");
      if ((await page.getAttribute("html", "lang")) !== "lo") await page.click(".lang-switch button[data-lang=lo]");
      await page.waitForFunction(() => document.documentElement.lang === "lo");
      let shots = 0;
      await k.walk(page, {
        right: () => true,
        onStep: async (st, p) => {
          if (shots < 2 && (st.kind === "question" || st.kind === "page")) {
            shots += 1;
            const g = await laoGlyphs(p, "[data-step-heading], h1");
            assert.notEqual(g.lao, g.tofu, `Lao glyphs drawn: ${JSON.stringify(g)}`);
            assert.ok(await onScreen(p, "main .actions .btn.primary"), `primary action on screen at ${vp.name} (${st.kind})`);
            assert.deepEqual(await k.axe(p), [], `class ${st.kind} in Lao at ${vp.name}: no axe violations`);
            await k.shot(p, `packs-class-lo-${st.kind}-${vp.name}`);
          }
        },
      });
      await page.waitForSelector("[data-screen=class-result]");
      const line = await page.textContent(".result-line");
      assert.match(line, LAO_DIGIT, `the learner's result in Lao digits: ${line}`);
      assert.equal(await page.getAttribute(".result-line", "data-post"), await page.getAttribute(".result-line", "data-max"));
      assert.ok(await onScreen(page, "[data-action=next-learner]"), `Next learner on screen at ${vp.name}`);
      assert.deepEqual(await k.axe(page), [], `class result in Lao at ${vp.name}: no axe violations`);
      await k.shot(page, `packs-class-lo-result-${vp.name}`);
      await k.clickAndWait(page, "[data-action=next-learner]");
      await page.waitForSelector("form[data-form=learner]");
    }

    // The teacher: the report of the Lao pack's class session.
    await k.teacherUnlock(page);
    await page.evaluate(() => { location.hash = "#/report"; });
    await page.waitForSelector(".report [data-stat=learners]");
    assert.equal(await page.getAttribute(".report .meta", "data-pack"), LAO);
    assert.equal(await page.getAttribute("[data-stat=learners]", "data-value"), "2");
    assert.equal(await page.$("[data-other-packs]"), null, "no other pack's results yet");
    assert.deepEqual(await k.axe(page), [], "report of the Lao pack: no axe violations");
    await k.shot(page, "packs-report-lo");

    // The same device switched to the Khmer pack: a kiosk visit, then its report shows only its
    // own records and says the Lao pack's are there.
    page = await k.open(context, own.url, { query: "test=1&pack=safe-migration", hash: "#/kiosk" });
    await k.clickAndWait(page, "[data-start=en]");
    await k.walk(page, { right: () => true });
    await page.waitForSelector("[data-screen=result]");
    await k.clickAndWait(page, "[data-action=finish]");
    await k.leaveKiosk(page);
    await page.evaluate(() => { location.hash = "#/report"; });
    await page.waitForSelector(".report [data-stat=learners]");
    assert.equal(await page.getAttribute(".report .meta", "data-pack"), "safe-migration");
    assert.equal(await page.getAttribute("[data-stat=learners]", "data-value"), "1", "only the Khmer pack's visitor");
    assert.equal(await page.getAttribute("[data-other-packs]", "data-other-packs"), "1");
    const sources = await page.$$eval("[data-control=source] option", (os) => os.map((o) => o.value));
    assert.ok(!sources.some((s) => s.startsWith("class:")), `the Lao class is not a source of the Khmer pack's report: ${sources}`);
    assert.deepEqual(await k.axe(page), [], "report with another pack's results on the device: no axe violations");
    await k.shot(page, "packs-report-km-with-lao-results");
    assert.deepEqual(errors, []);
  } finally {
    await own.close().catch(() => {});
    await close();
  }
});
