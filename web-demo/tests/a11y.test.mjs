// Accessibility: axe-core on the screens the other tests do not cover, keyboard-only use,
// ARIA roles for choices and progress. (The quiz screens are checked with axe in
// kiosk.test.mjs and class.test.mjs, each kind of step and question type once.)

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

test("home, class list and empty report: no axe violations of any impact, in both languages", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url);
    for (const lang of ["km", "en"]) {
      if ((await page.getAttribute("html", "lang")) !== lang) {
        const before = await k.seq(page);
        await page.click(`.lang-switch [data-lang=${lang}]`);
        await k.nextScreen(page, before);
      }
      for (const hash of ["#/", "#/class", "#/report"]) {
        const before = await k.seq(page);
        await page.evaluate((h) => { location.hash = h; }, hash === "#/" ? "#/?" : hash);
        await k.nextScreen(page, before);
        assert.deepEqual(await k.axe(page), [], `${lang} ${hash}`);
        await k.shot(page, `screen-${lang}-${hash.replace(/[#/]/g, "") || "home"}`);
      }
    }
    // The language switch is a pair of toggle buttons with their state.
    assert.equal(await page.getAttribute(".lang-switch [data-lang=en]", "aria-pressed"), "true");
    assert.equal(await page.getAttribute(".lang-switch [data-lang=km]", "aria-pressed"), "false");
  } finally {
    await close();
  }
});

test("the kiosk quiz works with the keyboard alone; choices and progress have ARIA roles", { timeout: 180_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract]");
    // Tab to the English start button and press Enter.
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.dataset?.start)) !== "en"; i += 1) await page.keyboard.press("Tab");
    let before = await k.seq(page);
    await page.keyboard.press("Enter");
    await k.nextScreen(page, before);

    const progress = page.locator("[role=progressbar]");
    assert.equal(await progress.getAttribute("aria-valuemin"), "0");
    assert.ok(Number(await progress.getAttribute("aria-valuemax")) > 0);
    assert.equal(await page.locator("form.question [role=radiogroup]").count(), 1, "true/false is a radio group");
    assert.equal(await page.evaluate(() => document.activeElement?.matches("[data-step-heading]")), true, "focus moves to the question");

    // Question 1 (true/false): Tab to the question's listen button (the English has audio),
    // Tab into the group, arrows to move, Tab to the button, Enter.
    const right = await page.evaluate(() => window.__kru.solve());
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.matches(".prompt button.audio")), true, "the listen button first");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.type), "radio");
    if (right.trueFalse === false) await page.keyboard.press("ArrowRight");
    else await page.keyboard.press("Space");
    assert.equal(await page.evaluate(() => document.querySelector("form.question input:checked")?.value), String(right.trueFalse));
    // The kiosk's tests offer "I don't know" (a secondary choice after the options), then the button.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), "dont-know");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), "submit");
    before = await k.seq(page);
    await page.keyboard.press("Enter");
    await k.nextScreen(page, before);
    assert.equal((await k.step(page)).number, 2);
    assert.ok(Number(await progress.getAttribute("aria-valuenow")) >= 1, "progress advanced");

    // Question 2 (single choice): past the question's listen button, arrows select the answer;
    // Tab passes the listen buttons of the options that follow it, to the button; Enter submits.
    const q2 = await page.evaluate(() => window.__kru.solve());
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    for (let i = 0; i < q2.choice; i += 1) await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.querySelector("form.question input:checked")?.value), String(q2.choice));
    for (let i = 0; i < 8 && (await page.evaluate(() => document.activeElement?.dataset.action)) !== "submit"; i += 1) {
      await page.keyboard.press("Tab");
      assert.ok(await page.evaluate(() => document.activeElement?.matches("button.audio, [data-action=dont-know], [data-action=submit]")), "only listen buttons and \"I don't know\" before the submit button");
    }
    before = await k.seq(page);
    await page.keyboard.press("Enter");
    await k.nextScreen(page, before);
    assert.equal((await k.step(page)).number, 3);
  } finally {
    await close();
  }
});

test("an ordering question can be answered with the keyboard (tap-to-order, reset)", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { query: "test=1&lang=en", hash: "#/class" });
    await k.newClass(page, { school: "School", klass: "7B" });
    await page.fill("input[name=learner]", "K01");
    await k.clickAndWait(page, "[data-action=start-learner]");
    let done = false;
    await k.walk(page, {
      intake: { sex: "prefer-not", "age-band": "15-17" },
      onStep: async (st, p) => {
        if (done || st.kind !== "question" || st.item_kind !== "ordering") return;
        done = true;
        const right = await p.evaluate(() => window.__kru.solve());
        // Place one step, then reset with the keyboard.
        await p.focus(`.order-pool [data-option="${right.order[1]}"]`);
        await p.keyboard.press("Enter");
        assert.equal(await p.locator(".order-list li[data-option]").count(), 1);
        assert.match(await p.textContent(".ordering [aria-live]"), /Step 1:/);
        await p.focus("[data-action=reset-order]");
        await p.keyboard.press("Space");
        assert.equal(await p.locator(".order-list li[data-option]").count(), 0);
        // Now the right order, pressing Enter on each step in turn.
        for (const o of right.order) {
          await p.focus(`.order-pool [data-option="${o}"]`);
          await p.keyboard.press("Enter");
        }
        assert.equal(await p.locator(".order-list li[data-option]").count(), right.order.length);
        await k.shot(p, "class-ordering-placed");
        await p.focus("form.question [data-action=submit]");
        const before = await k.seq(p);
        await p.keyboard.press("Enter");
        await k.nextScreen(p, before);
        const fb = await k.step(p);
        if (fb.kind === "feedback") assert.equal(fb.correct, true);
        // Leave the rest of the journey: this test is about the ordering question.
        throw Object.assign(new Error("stop"), { stop: true });
      },
    }).catch((e) => {
      if (!e.stop) throw e;
    });
    assert.ok(done, "met an ordering question");
  } finally {
    await close();
  }
});
