// "I don't know" in a kiosk visit (issue 15, item 6): the secondary choice on every knowledge
// question, reached with the keyboard, scored wrong and shown kindly in the review; no score
// after the pre-test; the report counts the answers before and after. At a tablet's 1024×768
// and a phone's 412×915, with screenshots and axe-core on each screen it changes.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";
import { t } from "../ui-strings.js";

k.useBuiltinStrings();

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

/** Whether the element is wholly inside the viewport (no scrolling needed to reach it). */
async function onScreen(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  }, selector);
}

/** Tabs from the top of the question until the "I don't know" button has the focus. */
async function tabToDontKnow(page) {
  await page.focus("form.question [data-step-heading]");
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.dataset.action === "dont-know")) return i + 1;
  }
  throw new Error("the \"I don't know\" button is not reachable with Tab");
}

for (const viewport of [{ width: 1024, height: 768 }, { width: 412, height: 915 }]) {
  const size = `${viewport.width}x${viewport.height}`;
  test(`kiosk visit in Khmer at ${size}: "I don't know" by keyboard and by touch, counted in the report`, { timeout: 300_000 }, async () => {
    const { context, close } = await k.freshProfile({ viewport });
    try {
      const page = await k.open(context, server.url, { hash: "#/kiosk" });
      await page.waitForSelector("[data-screen=attract]");
      await k.clickAndWait(page, "[data-start=km]");
      let shotQuestion = false;
      let reviewed = 0;
      await k.walk(page, {
        right: () => true,
        onStep: async (st, p) => {
          if (st.kind === "question") {
            assert.equal(st.dont_know, true, "every kiosk question is a knowledge question");
            const btn = "form.question [data-action=dont-know]";
            assert.equal((await p.textContent(btn)).trim(), t("km", "dontKnow"));
            assert.equal((await p.textContent(btn)).trim(), "ខ្ញុំមិនដឹង");
            // A secondary choice, and on screen without scrolling, like the main button.
            assert.match(await p.getAttribute(btn, "class"), /\bsecondary\b/);
            assert.ok(await onScreen(p, btn), "the button is on screen");
          }
          if (st.kind === "phase-summary" && st.phase_kind === "pre-test") {
            assert.equal(await p.locator(".big-score").count(), 0, "no score after the pre-test");
            assert.equal((await p.textContent(".phase-summary h2")).trim(), t("km", "preTestDone"));
            assert.deepEqual(await k.axe(p), [], "end of the pre-test: no axe violations");
            await k.shot(p, `dont-know-pre-test-done-${size}`);
          }
          if (st.kind === "feedback") {
            reviewed += 1;
            if (st.dont_know) {
              assert.equal(st.correct, false);
              assert.equal(await p.getAttribute(".feedback", "data-dont-know"), "true");
              assert.equal((await p.textContent(".verdict")).trim(), t("km", "dontKnowShown"));
              assert.equal(await p.locator(".right-answer").count(), 1, "the right answer is shown");
              assert.deepEqual(await k.axe(p), [], "review of \"I don't know\": no axe violations");
              await k.shot(p, `dont-know-review-${size}`);
            }
          }
        },
        // Pre-test: the first two questions "I don't know" (the first by keyboard); post-test:
        // the first. The others are answered right.
        answer: async (st, p) => {
          const dk = (st.phase_kind === "pre-test" && st.number <= 2) || (st.phase_kind === "post-test" && st.number === 1);
          if (!dk) return false;
          if (!shotQuestion) {
            shotQuestion = true;
            assert.deepEqual(await k.axe(p), [], "question with \"I don't know\": no axe violations");
            await k.shot(p, `dont-know-question-${size}`);
            await tabToDontKnow(p);
            const before = await k.seq(p);
            await p.keyboard.press("Enter");
            await k.nextScreen(p, before);
          } else {
            await k.clickAndWait(p, "form.question [data-action=dont-know]");
          }
          return true;
        },
      });
      assert.equal(reviewed, 5);

      // The visitor's result: 3 of 5 before (two "I don't know"), 4 of 5 after.
      await page.waitForSelector("[data-screen=result]");
      assert.equal((await page.textContent(".result-line")).trim(), t("km", "resultLine", { pre: 3, max: 5, post: 4, max2: 5 }));
      const recs = await k.records(page, "kiosk");
      assert.equal(recs.length, 1);
      assert.equal(recs[0].responses.filter((r) => r.answer === "DontKnow").length, 3);
      assert.ok(recs[0].responses.filter((r) => r.answer === "DontKnow").every((r) => !r.correct && r.credit === 0));
      await k.clickAndWait(page, "[data-action=finish]");
      await page.waitForSelector("[data-screen=attract]");

      // Staff leave the kiosk and open its report: the counts before and after.
      await k.leaveKiosk(page);
      await page.evaluate(() => { location.hash = "#/report?source=kiosk"; });
      await page.waitForSelector("[data-stat=dont-know-pre]");
      assert.equal(await page.getAttribute("[data-stat=dont-know-pre]", "data-value"), "2");
      assert.equal(await page.getAttribute("[data-stat=dont-know-post]", "data-value"), "1");
      const tile = await page.textContent("[data-stat=dont-know-pre]");
      assert.match(tile, /(2|២)\/(5|៥)/, "2 of the 5 pre-test answers");
      assert.ok([t("km", "statDontKnowPre"), t("en", "statDontKnowPre")].some((l) => tile.includes(l)), tile);
      assert.deepEqual(await k.axe(page), [], "report: no axe violations");
      await k.shot(page, `dont-know-report-${size}`);
    } finally {
      await close();
    }
  });
}
