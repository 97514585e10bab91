// Kiosk and classroom on real devices (issue 15), at the three sizes the issue names: a
// 1024×768 and a 1280×800 tablet and a 412×915 phone. Screenshots of what the window shows
// (not the whole page: the point is what is on screen) go to test-results/ux-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as k from "./helpers.mjs";
import { t } from "../ui-strings.js";

// The app's words come from the engine's catalogue (core/src/ui/): read as the app reads them.
k.useBuiltinStrings();

const SIZES = [
  { name: "1024x768", viewport: { width: 1024, height: 768 } },
  { name: "1280x800", viewport: { width: 1280, height: 800 } },
  { name: "412x915", viewport: { width: 412, height: 915 } },
];

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

/** Saves what the window shows (not the whole page) as test-results/ux-NAME.png. */
async function view(page, name) {
  mkdirSync(k.RESULTS, { recursive: true });
  await page.screenshot({ path: k.path.join(k.RESULTS, `ux-${name}.png`) });
}

/** The screen's primary action: where it is, and whether it is on screen and not covered. */
async function primary(page) {
  return page.evaluate(() => {
    const el = document.querySelector("[data-action=submit], [data-action=advance], [data-action=finish], [data-action=next-learner], .story-choices [data-option], [data-start], [data-action=start-learner], form[data-form=new-class] button[type=submit]");
    if (!el) return { found: false };
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      found: true,
      action: el.dataset.action ?? el.dataset.start ?? "choice",
      top: Math.round(r.top),
      bottom: Math.round(r.bottom),
      height: innerHeight,
      scrollY,
      onScreen: r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth,
      uncovered: hit === el || el.contains(hit),
      pageHeight: document.documentElement.scrollHeight,
    };
  });
}

function assertOnScreen(p, what) {
  assert.ok(p.found, `${what}: a primary action`);
  assert.ok(p.onScreen && p.uncovered, `${what}: primary action ${p.action} on screen without scrolling (${JSON.stringify(p)})`);
}

test("items 1 and 5: the primary action is on screen on every kiosk screen, at 1024×768, 1280×800 and 412×915; the key messages' pictograms", { timeout: 600_000 }, async () => {
  for (const size of SIZES) {
    const { context, close } = await k.freshProfile({ viewport: size.viewport });
    try {
      // What the page itself loads on a visitor's way (the service worker's precaching aside).
      const loaded = new Set();
      // The source files behind each request (the site bundles the modules: a chunk's source map names them).
      context.pages()[0].on("request", (r) => { for (const f of k.sourcesOf(new URL(r.url()).pathname)) loaded.add(f); });
      const page = await k.open(context, server.url, { hash: "#/kiosk" });
      await page.waitForSelector("[data-screen=attract] .attract-hotline");
      // The attract screen: both start buttons and the whole hotline box.
      const attract = await page.evaluate(() => [...document.querySelectorAll("[data-start], .attract-hotline")].map((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, right: r.right, ok: r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth };
      }));
      await view(page, `${size.name}-attract`);
      assert.equal(attract.length, 3);
      assert.ok(attract.every((a) => a.ok), `${size.name} attract: start buttons and hotline on screen ${JSON.stringify(attract)}`);
      await k.clickAndWait(page, "[data-start=km]");
      let tall = 0;
      let screens = 0;
      const shots = new Set();
      await k.walk(page, {
        onStep: async (st, p) => {
          screens += 1;
          if (st.kind === "question") {
            // A visitor taps an answer: the (now enabled) button is on screen.
            const a = await p.evaluate((texts) => window.__kru.solve({ texts }), k.TEXTS);
            if (a) await k.fillAnswer(p, a);
          }
          if (st.kind === "page" && st.blocks.some((b) => b.type === "key-message")) {
            // Item 5: a pictogram beside each of the six key messages, with Khmer alt text.
            await p.waitForFunction(() => [...document.querySelectorAll(".key-message img.pictogram")].every((i) => i.complete));
            const pics = await p.evaluate(() => [...document.querySelectorAll(".key-message img.pictogram")].map((i) => ({ alt: i.alt, drawn: i.naturalWidth > 0 })));
            assert.equal(pics.length, 6, "six pictograms");
            assert.ok(pics.every((x) => x.drawn && /[\u1780-\u17ff]/.test(x.alt)), `drawn, alt text in Khmer ${JSON.stringify(pics)}`);
          }
          const where = await primary(p);
          if (where.pageHeight > where.height) tall += 1;
          assertOnScreen(where, `${size.name} ${st.kind} ${st.item ?? st.page ?? ""}`);
          const key = st.kind === "question" ? `q${st.options?.length}` : st.kind;
          if (!shots.has(key)) {
            shots.add(key);
            await view(p, `${size.name}-kiosk-${key}`);
          }
        },
      });
      await page.waitForSelector("[data-screen=result]");
      assertOnScreen(await primary(page), `${size.name} result`);
      await view(page, `${size.name}-kiosk-result`);
      assert.deepEqual(await k.axe(page), [], `${size.name} result: no axe violations`);
      assert.ok(screens >= 15, `walked the kiosk journey (${screens} screens)`);
      assert.ok(tall > 0, `${size.name}: some screens are taller than the window (${tall}), and their action is still on screen`);
      // First-visit weight: a visitor's kiosk never loads the staff and teacher modules
      // (measure.mjs counts them as lazy); the result screen loads the card's QR code.
      for (const f of ["kiosk.js", "lock.js", "take-home.js", "take-home.css", "en.visitor.txt", "km.visitor.txt"]) {
        assert.ok(loaded.has(f), `${size.name}: the kiosk loaded ${f}`);
      }
      // Nor the staff's words (the whole catalogues), nor any audio (fetched when played).
      assert.ok(![...loaded].some((f) => f.endsWith(".ogg")), `${size.name}: no audio on a visit that plays none`);
      for (const f of ["pin.js", "classroom.js", "report.js", "report.css", "outbox-screens.js", "kru_wasm_full.js", "en.txt", "km.txt", "staff.css", "outbox.js", "home.js"]) {
        assert.ok(!loaded.has(f), `${size.name}: a kiosk visit does not load ${f} (${[...loaded].join(" ")})`);
      }
    } finally {
      await close();
    }
  }
});

test("item 2: the kiosk is locked (no keyboard escape, Back leads back), idle reset on the attract screen, staff leave with the gesture and the admin PIN", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: SIZES[0].viewport });
  try {
    // Staff set the admin PIN on the home screen.
    let page = await k.open(context, server.url, { query: "test=1&lang=en&idle=3&warn=2", hash: "#/" });
    await page.fill("#admin-pin", "12");
    await page.click("[data-action=save-admin-pin]");
    assert.match(await page.textContent("[data-form=admin-pin] .form-error"), /4 to 8 digits/);
    await page.fill("#admin-pin", "97531");
    await page.click("[data-action=save-admin-pin]");
    await page.waitForSelector("[data-admin-pin-status=set]");
    assert.deepEqual(await k.axe(page), [], "home with the admin PIN panel: no axe violations");

    const before = await k.seq(page);
    await page.click("a[data-mode=kiosk]");
    await k.nextScreen(page, before);
    await page.waitForSelector("[data-screen=attract]");
    // The keyboard reaches no way out: Tab through everything focusable.
    const reached = new Set();
    for (let i = 0; i < 25; i += 1) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => {
        const a = document.activeElement;
        return a?.matches("[data-brand]") ? "brand" : a?.getAttribute("href") ?? a?.dataset.start ?? a?.dataset.lang ?? a?.tagName;
      }));
    }
    assert.ok(!reached.has("brand"), `the brand link is not focusable (${[...reached]})`);
    assert.ok(![...reached].some((r) => String(r).startsWith("#/")), `no link leaves the kiosk (${[...reached]})`);
    assert.equal(await page.getAttribute("[data-brand]", "href"), null);
    await page.keyboard.press("Enter"); // whatever has the focus: still the kiosk
    // Typed addresses, Back and reloads all lead back to the kiosk.
    for (const hash of ["#/", "#/report", "#/settings", "#/class"]) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForFunction(() => location.hash === "#/kiosk" && document.body.dataset.mode === "kiosk");
    }
    await page.goBack().catch(() => {});
    await page.waitForFunction(() => location.hash === "#/kiosk");
    await page.goto(`${server.url}?test=1&lang=en&idle=3&warn=2#/report`);
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    assert.equal(new URL(page.url()).hash, "#/kiosk");
    await page.waitForSelector("[data-screen=attract]");

    // The idle timer runs on the attract screen too: back to Khmer, at the top.
    await page.click(".lang-switch [data-lang=en]");
    await page.evaluate(() => window.scrollTo(0, 200));
    await page.waitForFunction(() => document.documentElement.lang === "km", null, { timeout: 15_000 });
    await page.waitForFunction(() => window.scrollY === 0);
    await page.waitForSelector("[data-screen=attract]");

    // A short press does nothing; the three-second hold asks for the admin PIN. (With the
    // default idle reset: a 3-second one would close the dialog as it opens.)
    await page.goto(`${server.url}?test=1&lang=en#/kiosk`);
    await page.waitForSelector("[data-screen=attract]");
    await k.holdLogo(page, 800);
    assert.equal(await page.locator("#pin-dialog[open]").count(), 0, "a short press opens nothing");
    await k.holdLogo(page);
    await page.waitForSelector("#pin-dialog[open]");
    assert.deepEqual(await k.axe(page), [], "PIN dialog: no axe violations");
    await view(page, "1024x768-kiosk-exit-pin");
    await page.fill("#pin-input", "11111");
    await page.click("#pin-dialog [data-pin-ok]");
    await page.waitForFunction(() => document.querySelector("[data-pin-error]").textContent.length > 0);
    assert.equal(new URL(page.url()).hash, "#/kiosk", "a wrong PIN keeps the kiosk");
    await page.fill("#pin-input", "97531");
    await page.click("#pin-dialog [data-pin-ok]");
    await page.waitForFunction(() => location.hash === "#/" && document.body.dataset.mode === "home");
    assert.equal(await page.getAttribute("[data-brand]", "href"), "#/", "unlocked: the brand is a link again");
  } finally {
    await close();
  }
});

test("item 2: a new visit never resumes another visitor's quiz; the one left behind is kept as abandoned; idle reset on the result", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: SIZES[2].viewport });
  try {
    let page = await k.open(context, server.url, { query: "test=1&idle=6&warn=3", hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract]");
    await k.clickAndWait(page, "[data-start=en]");
    await k.answer(page);
    assert.equal((await k.step(page)).number, 2);
    // The visitor walks away and the page goes (a crash, the tablet asleep) before the idle
    // reset; the next visitor comes later than the idle reset would have taken.
    await page.close();
    await new Promise((r) => setTimeout(r, 10_000));
    page = await k.open(context, server.url, { query: "test=1&idle=6&warn=3", hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract]");
    assert.equal(await k.step(page), null, "no quiz resumed");
    assert.equal(await page.getAttribute("html", "lang"), "km", "in Khmer, not the last visitor's English");
    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 1, "the last visitor's partial record is kept");
    assert.equal(recs[0].completed, false);
    assert.equal((await k.stored(page)).snapshots.length, 0);
    await k.clickAndWait(page, "[data-start=km]");
    assert.equal((await k.step(page)).number, 1, "the new visitor starts at question 1");
    await view(page, "412x915-kiosk-new-visit");
    // The idle timer also runs on the result screen: a warning, then the attract screen.
    await k.walk(page);
    await page.waitForSelector("[data-screen=result]");
    await page.waitForSelector("#idle-dialog[open]", { timeout: 30_000 });
    await page.waitForSelector("[data-screen=attract]", { timeout: 30_000 });
    assert.equal(await page.locator(".result-line").count(), 0, "the result is gone");
  } finally {
    await close();
  }
});

test("items 3, 1, 11 and 10 in class mode (412×915): teacher PIN, locked learner screen, results clear themselves, group not asked again", { timeout: 600_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: SIZES[2].viewport });
  try {
    const page = await k.open(context, server.url, { query: "test=1&lang=en&clear=3", hash: "#/class" });
    await page.waitForSelector("form[data-form=new-class]");
    await page.fill("input[name=school]", "Svay Rieng Lower Secondary");
    await page.fill("input[name=class]", "8A");
    await page.click("form[data-form=new-class] button[type=submit]");
    assert.match(await page.textContent("form[data-form=new-class] .form-error"), /4 to 8 digits/, "no class without a teacher PIN");
    await k.newClass(page, { school: "Svay Rieng Lower Secondary", klass: "8A" });
    const classHash = new URL(page.url()).hash;

    // The learner screen offers no report, settings or wipe, and the address bar leads back.
    assert.equal(await page.locator("a[href^='#/report'], a[href^='#/settings'], [data-action=wipe], a[href='#/class']").count(), 0);
    for (const hash of ["#/report", "#/", "#/settings"]) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForFunction((want) => location.hash === want && document.querySelector("form[data-form=learner]"), classHash);
    }
    assert.deepEqual(await k.axe(page), [], "learner screen: no axe violations");
    await view(page, "412x915-class-learner");

    await page.fill("input[name=learner]", "L01");
    await k.clickAndWait(page, "[data-action=start-learner]");
    const fields = [];
    let noNameHint = false;
    let pictograms = false;
    const shots = new Set();
    await k.walk(page, {
      intake: { sex: "female", "age-band": "15-17", commune: "Chrak Mtes" },
      onStep: async (st, p) => {
        if (st.kind === "page" && st.blocks.filter((b) => b.type === "key-message").length === 6) {
          // Item 5: the school lesson's key messages have their pictograms, alt text in English.
          await p.waitForFunction(() => [...document.querySelectorAll(".key-message img.pictogram")].every((i) => i.complete));
          const pics = await p.evaluate(() => [...document.querySelectorAll(".key-message img.pictogram")].map((i) => ({ alt: i.alt, drawn: i.naturalWidth > 0 })));
          assert.equal(pics.length, 6, "six pictograms in the school lesson");
          assert.ok(pics.every((x) => x.drawn && /^Picture: /.test(x.alt)), JSON.stringify(pics));
          pictograms = true;
        }
        if (st.kind === "intake") {
          fields.push(st.field);
          if (!st.options.length) noNameHint ||= (await p.textContent("[data-no-name]")).includes(t("en", "intakeNoName"));
        }
        if (st.kind === "question" && ["choice", "true-false", "scale"].includes(st.expects)) {
          const a = await p.evaluate(() => window.__kru.solve({ texts: [] }));
          if (a) await k.fillAnswer(p, a);
        }
        const where = await primary(p);
        const key = st.kind === "question" ? `question-${st.item_kind}` : st.kind;
        if (!shots.has(key)) {
          shots.add(key);
          await view(p, `412x915-class-${key}`);
          assert.deepEqual(await k.axe(p), [], `class ${key}: no axe violations`);
        }
        assertOnScreen(where, `class ${st.kind} ${st.item ?? st.page ?? st.field ?? ""}`);
      },
    });
    assert.ok(!fields.includes("group"), `the group is not asked again (${fields})`);
    assert.ok(noNameHint, "free-text intake says not to type a name");
    assert.ok(pictograms, "met the key messages' page");
    const rec = await k.records(page, `class:${decodeURIComponent(classHash.split("/")[2])}`);
    assert.equal(Object.fromEntries(rec[0].demographics).group, "Svay Rieng Lower Secondary / 8A");

    // The learner's result: whole numbers, and it clears itself for the next learner.
    await page.waitForSelector("[data-screen=class-result]");
    assertOnScreen(await primary(page), "class result");
    const line = page.locator(".result-line");
    for (const attr of ["data-pre", "data-post", "data-max"]) assert.match(await line.getAttribute(attr), /^\d+$/, `${attr} a whole number`);
    assert.deepEqual(await k.axe(page), [], "class result: no axe violations");
    await view(page, "412x915-class-result");
    await page.waitForSelector("form[data-form=learner]", { timeout: 15_000 });
    assert.equal(await page.locator(".result-line").count(), 0, "the result is gone");

    // The teacher: a wrong PIN is refused; the right one opens the teacher's screens.
    await page.click("[data-teacher-unlock]");
    await k.typePin(page, "0000");
    await page.waitForFunction(() => document.querySelector("[data-pin-error]").textContent.length > 0);
    await page.click("#pin-dialog [data-pin-cancel]");
    assert.equal(new URL(page.url()).hash, classHash);
    await k.teacherUnlock(page);
    await k.clickAndWait(page, "a[data-report-of]");
    await page.waitForSelector(".report .stats");
    assert.equal(await page.getAttribute("[data-stat=learners]", "data-value"), "1");
    // Wiping asks a teacher PIN first.
    await page.click("[data-action=wipe]");
    await page.waitForSelector("#pin-dialog[open]");
    await page.click("#pin-dialog [data-pin-cancel]");
    assert.equal(await page.locator("#confirm-dialog[open]").count(), 0, "no wipe without the PIN");
    await page.click("[data-action=wipe]");
    await k.typePin(page, k.PIN);
    await page.waitForSelector("#confirm-dialog[open]");
    await page.click("#confirm-dialog [data-confirm-no]");
  } finally {
    await close();
  }
});

test("items 1 and 7 in class mode at 1024×768, 1280×800 and 412×915: the primary action on every class screen; the card step is a take-home card with a QR code, printed on one A5 page", { timeout: 900_000 }, async () => {
  for (const size of SIZES) {
    const { context, close } = await k.freshProfile({ viewport: size.viewport });
    try {
      const page = await k.open(context, server.url, { query: "test=1&lang=en", hash: "#/class" });
      await page.waitForSelector("form[data-form=new-class]");
      assertOnScreen(await primary(page), `${size.name} class list: start a class session`);
      await view(page, `${size.name}-class-list`);
      await k.newClass(page, { school: "Svay Rieng Lower Secondary", klass: "8A" });
      assertOnScreen(await primary(page), `${size.name} learner screen`);
      await view(page, `${size.name}-class-learner`);
      await page.fill("input[name=learner]", "L02");
      await k.clickAndWait(page, "[data-action=start-learner]");
      const shots = new Set();
      let card = null;
      await k.walk(page, {
        intake: { sex: "male", "age-band": "15-17", commune: "Chrak Mtes" },
        onStep: async (st, p) => {
          if (st.kind === "question" && ["choice", "true-false", "scale"].includes(st.expects)) {
            const a = await p.evaluate(() => window.__kru.solve({ texts: [] }));
            if (a) await k.fillAnswer(p, a);
          }
          if (st.kind === "card") {
            // Item 7: the card step has the card's QR code and a Print button.
            await p.waitForSelector(".step.card[data-take-home] .card-qr svg");
            card = { text: await p.getAttribute(".card-qr", "data-qr-text"), png: await p.locator(".card-qr svg").screenshot() };
            assert.equal(await p.locator(".step.card [data-action=print]").count(), 1, "a Print button");
            assert.deepEqual(await k.axe(p), [], `${size.name} card step with its QR code: no axe violations`);
            if (size.name === "1280x800") {
              await p.emulateMedia({ media: "print" });
              const shown = await p.evaluate(() => ({
                card: getComputedStyle(document.querySelector(".step.card")).display !== "none",
                progress: getComputedStyle(document.querySelector(".runner .progress")).display,
                actions: getComputedStyle(document.querySelector(".step.card .actions")).display,
                topbar: getComputedStyle(document.querySelector(".topbar")).display,
              }));
              assert.deepEqual(shown, { card: true, progress: "none", actions: "none", topbar: "none" });
              await p.screenshot({ path: k.path.join(k.RESULTS, "ux-print-class-card.png"), fullPage: true });
              await p.emulateMedia({ media: null });
              const pdf = await p.pdf({ preferCSSPageSize: true, printBackground: true });
              writeFileSync(k.path.join(k.RESULTS, "ux-class-card.pdf"), pdf);
              assert.equal((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, "the class card prints on one page");
              const box = pdf.toString("latin1").match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
              assert.ok(box && Math.abs(Number(box[1]) - 419.5) < 2 && Math.abs(Number(box[2]) - 595.3) < 2, `A5 page (${box?.[1]} × ${box?.[2]} pt)`);
            }
          }
          const where = await primary(p);
          const key = st.kind === "question" ? `question-${st.item_kind}` : st.kind;
          if (!shots.has(key)) {
            shots.add(key);
            await view(p, `${size.name}-class-${key}`);
          }
          assertOnScreen(where, `${size.name} class ${st.kind} ${st.item ?? st.page ?? st.field ?? ""}`);
        },
      });
      assert.ok(card, "met the card step");
      assert.match(card.text, /1288/);
      assert.doesNotMatch(card.text, /[\u1780-\u17ff]/, "in the learner's language (English)");
      assert.equal(decodeQr(card.png), card.text, "the QR code decodes to the card's text");
      await page.waitForSelector("[data-screen=class-result]");
      assertOnScreen(await primary(page), `${size.name} class result`);
      await view(page, `${size.name}-class-result`);
    } finally {
      await close();
    }
  }
});

test("item 4: after the browser's \"Clear site data\" the quiz goes on, says so, and saves again", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: SIZES[1].viewport });
  try {
    const page = await k.open(context, server.url, { query: "test=1&lang=en", hash: "#/kiosk" });
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
    await k.clickAndWait(page, "[data-start=en]");
    await k.answer(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.clearDataForOrigin", { origin: new URL(server.url).origin, storageTypes: "all" });
    // Next still works.
    await k.answer(page);
    assert.equal((await k.step(page)).number, 3);
    await page.waitForSelector("[data-notice-key=dataLost]");
    assert.match(await page.textContent("#notice-area"), /deleted this app's saved data/);
    const seen = await page.evaluate(() => {
      const r = document.querySelector("[data-notice-key]").getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
    });
    assert.ok(seen, "the notice is in the window, also with the page scrolled");
    await view(page, "1280x800-data-lost");
    assert.deepEqual(await k.axe(page), [], "notice: no axe violations");
    await page.click("[data-action=dismiss-notice]");
    assert.equal(await page.locator("[data-notice-key]").count(), 0, "OK dismisses it");
    await k.walk(page);
    await page.waitForSelector("[data-screen=result]");
    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 1, "the visit is saved in the new database");
    assert.equal(recs[0].completed, true);
  } finally {
    await close();
  }
});

test("items 8 and 11: the report opens on the results there are; group names, not ids; one minus sign; language and unsent choice kept", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: SIZES[2].viewport });
  try {
    const page = await k.open(context, server.url, { query: "test=1", hash: "#/kiosk" });
    await k.clickAndWait(page, "[data-start=km]");
    // A choice made but not submitted survives switching the language.
    let st = await k.step(page);
    const a = await page.evaluate(() => window.__kru.solve());
    await k.fillAnswer(page, a);
    let before = await k.seq(page);
    await page.click(".lang-switch [data-lang=en]");
    await k.nextScreen(page, before);
    const kept = await page.evaluate(() => [...document.querySelectorAll("form.question input")].map((i) => i.checked));
    assert.ok(kept.some(Boolean), "the selection is still there");
    assert.equal(await page.isDisabled("form.question [data-action=submit]"), false);
    assert.equal((await k.step(page)).item, st.item);
    await k.walk(page);
    await page.waitForSelector("[data-screen=result]");
    await k.clickAndWait(page, "[data-action=finish]");
    await k.leaveKiosk(page);

    // Only kiosk results on the device: the report opens on them.
    before = await k.seq(page);
    await page.evaluate(() => { location.hash = "#/report"; });
    await k.nextScreen(page, before);
    await page.waitForSelector(".report .stats");
    assert.equal(await page.getAttribute(".report", "data-source"), "kiosk");
    assert.equal(await page.getAttribute("[data-stat=learners]", "data-value"), "1");
    assert.deepEqual(await k.axe(page), [], "report: no axe violations");
    // Chart text is drawn at a readable size on the phone.
    const sizes = await page.evaluate(() => [...document.querySelectorAll(".chart svg text")].map((el) => el.getBoundingClientRect().height));
    assert.ok(sizes.length && Math.min(...sizes) >= 11, `chart labels at least 11 px high (${Math.min(...sizes)})`);
    await view(page, "412x915-report-kiosk");

    // The language chosen is kept over a reload.
    await page.click(".lang-switch [data-lang=en]");
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.booted === "1");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    // One minus sign (U+2212) in Khmer and English.
    const signs = await page.evaluate(async () => {
      const m = window.__kru.modules.uiStrings;
      return [m.num("km", -0.5), m.num("en", -0.5), m.signed("km", -20), m.signed("en", -20)];
    });
    assert.deepEqual(signs, ["\u2212០.៥", "\u22120.5", "\u2212២០", "\u221220"]);
    // Whole numbers for a learner's result, also from a fractional score.
    const whole = await page.evaluate(async () => {
      const m = window.__kru.modules.runner;
      return [m.wholeScores({ pre: { score: 4.8, max: 12 }, post: { score: 12, max: 12 } }, {}),
        m.wholeScores({ pre: { score: 4.8, max: 12 }, post: null }, { scores: { "pre-test": { correct: 4, max: 12 } } })];
    });
    assert.deepEqual(whole, [{ pre: { n: 4, max: 12 }, post: { n: 12, max: 12 } }, { pre: { n: 4, max: 12 }, post: null }]);
  } finally {
    await close();
  }
});

test("item 11: the group-by menu shows the intake questions' names, not their ids", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: SIZES[0].viewport });
  try {
    const page = await k.open(context, server.url, { query: "test=1&lang=en", hash: "#/class" });
    await k.newClass(page, { school: "School", klass: "9C" });
    await page.fill("input[name=learner]", "G01");
    await k.clickAndWait(page, "[data-action=start-learner]");
    await k.walk(page, { intake: { sex: "male", "age-band": "18-24" } });
    await page.waitForSelector("[data-screen=class-result]");
    await k.teacherUnlock(page);
    await k.clickAndWait(page, "a[data-report-of]");
    await page.waitForSelector("[data-control=by]");
    const labels = await page.locator("[data-control=by] option").allTextContents();
    assert.ok(labels.length > 2);
    assert.ok(labels.every((l) => !/^[a-z-]+:/.test(l)), `no raw ids (${labels})`);
    const names = await page.evaluate(() => window.__kru.catalogue("en").intake.filter((f) => f.options.length).map((f) => f.label));
    assert.deepEqual(labels.slice(1), names, "the intake questions as the pack words them");
  } finally {
    await close();
  }
});

/** Decodes the QR code in a PNG with zbarimg (zbar-tools, installed by `cargo xtask setup`). */
function decodeQr(png) {
  const file = k.path.join(k.RESULTS, `qr-${process.pid}-${Date.now()}.png`);
  writeFileSync(file, png);
  try {
    return execFileSync("zbarimg", ["--quiet", "--raw", "-Sbinary", file]).toString("utf8").replace(/\n$/, "");
  } finally {
    rmSync(file, { force: true });
  }
}

test("item 7: the take-home card has a QR code a phone reads without network, and prints on one A5 page, in the visitor's language", { timeout: 300_000 }, async () => {
  for (const [lang, size] of [["km", SIZES[2]], ["en", SIZES[1]]]) {
    const { context, close } = await k.freshProfile({ viewport: size.viewport });
    try {
      const page = await k.open(context, server.url, { hash: "#/kiosk" });
      await k.clickAndWait(page, `[data-start=${lang}]`);
      await k.walk(page);
      await page.waitForSelector("[data-screen=result] .card-qr svg");
      const text = await page.getAttribute(".card-qr", "data-qr-text");
      assert.match(text, /1288/);
      assert.equal(text.split("\n").length, 1 + 6 + 1, "title, six key messages, the hotline");
      if (lang === "km") assert.match(text, /[\u1780-\u17ff]/, "in Khmer");
      else assert.doesNotMatch(text, /[\u1780-\u17ff]/, "in English");
      // What the phone's camera reads is the card's text.
      const png = await page.locator(".card-qr svg").screenshot();
      assert.equal(decodeQr(png), text, "the QR code decodes to the card's text");
      assert.deepEqual(await k.axe(page), [], `${lang} result with the QR code: no axe violations`);
      await page.locator(".card-qr").scrollIntoViewIfNeeded();
      await view(page, `${size.name}-card-qr-${lang}`);
      // Printed: one A5 page with the card and its QR code only.
      await page.emulateMedia({ media: "print" });
      const shown = await page.evaluate(() => ({
        card: getComputedStyle(document.querySelector(".result-card")).display !== "none",
        line: getComputedStyle(document.querySelector(".result-line")).display,
        topbar: getComputedStyle(document.querySelector(".topbar")).display,
        qr: document.querySelector(".card-qr svg").getBoundingClientRect().width > 0,
      }));
      assert.deepEqual(shown, { card: true, line: "none", topbar: "none", qr: true });
      await page.screenshot({ path: k.path.join(k.RESULTS, `ux-print-${lang}.png`), fullPage: true });
      await page.emulateMedia({ media: null });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      writeFileSync(k.path.join(k.RESULTS, `ux-card-${lang}.pdf`), pdf);
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.equal(pages, 1, `${lang}: the card prints on one page`);
      const box = pdf.toString("latin1").match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
      assert.ok(box, "a page size");
      // A5: 148 × 210 mm = 419.5 × 595.3 pt.
      assert.ok(Math.abs(Number(box[1]) - 419.5) < 2 && Math.abs(Number(box[2]) - 595.3) < 2, `A5 page (${box[1]} × ${box[2]} pt)`);
    } finally {
      await close();
    }
  }
});
