// Kiosk mode end to end: a visitor's full journey in Khmer and one in English, answering
// through the touch UI, with the right answers and the visitor's own result checked on screen.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";
import { t } from "../ui-strings.js";

// The expected texts: the engine's built-in catalogues, which the app reads through the engine.
k.useBuiltinStrings();

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

/** What the verdict of a right answer says: true/false items say what is true (issue 15). */
function verdictOf(lang, st) {
  if (st.right_bool === null || st.right_bool === undefined) return t(lang, "correct");
  return t(lang, st.right_bool ? "tfRightTrue" : "tfRightFalse");
}

/** Whether Khmer text is drawn with real glyphs (not the boxes of a missing font). */
async function khmerGlyphs(page) {
  return page.evaluate(() => {
    const el = document.querySelector("[data-step-heading], h1");
    const family = getComputedStyle(el).fontFamily;
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `40px ${family}`;
    const khmer = ctx.measureText("កខគឃង").width;
    const tofu = ctx.measureText("\u0378\u0378\u0378\u0378\u0378").width;
    return { family, khmer, tofu, lang: el.closest("[lang]")?.lang };
  });
}

test("kiosk journey in Khmer: 2 of 5 before, 5 of 5 after, right answers confirmed on screen", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract] .attract-hotline");
    await k.shot(page, "kiosk-attract");
    assert.deepEqual(await k.axe(page), [], "attract screen: no axe violations");
    assert.match(await page.textContent(".attract-hotline"), /1288/);

    await k.clickAndWait(page, "[data-start=km]");
    assert.equal(await page.getAttribute("html", "lang"), "km");
    const glyphs = await khmerGlyphs(page);
    assert.match(glyphs.family, /Khmer/, "Khmer is set in a Khmer font");
    assert.notEqual(glyphs.khmer, glyphs.tofu, `Khmer glyphs drawn (not boxes): ${JSON.stringify(glyphs)}`);

    let feedbacks = 0;
    let shotQuestion = false;
    let shotLesson = false;
    await k.walk(page, {
      // Pre-test: the first two right, the others wrong. Post-test: all right.
      right: (st) => st.phase_kind === "post-test" || st.number <= 2,
      onStep: async (st, p) => {
        if (st.kind === "question") {
          // The question number in Khmer digits.
          assert.equal(await p.textContent("form.question .eyebrow").then((s) => s.includes(t("km", "questionOf", { n: st.number, total: 5 }))), true);
          if (!shotQuestion && st.expects === "choice") {
            shotQuestion = true;
            assert.deepEqual(await k.axe(p), [], "question: no axe violations");
            await p.click("form.question [data-option='1']");
            await k.shot(p, "kiosk-km-question");
          }
        }
        if (st.kind === "phase-summary" && st.phase_kind === "pre-test") {
          // No score after the pre-test (issue 15): a thank-you; both scores come at the end.
          assert.equal(await p.locator(".big-score").count(), 0, "no score after the pre-test");
          assert.equal((await p.textContent(".phase-summary h2")).trim(), t("km", "preTestDone"));
          assert.doesNotMatch(await p.textContent(".phase-summary"), /[០-៩]\s*\/\s*[០-៩]/);
          await k.shot(p, "kiosk-km-pre-test-done");
        }
        if (st.kind === "page" && st.blocks.some((b) => b.type === "resource") && !shotLesson) {
          shotLesson = true;
          assert.match(await p.textContent(".hotline-number"), /1288/);
          assert.deepEqual(await k.axe(p), [], "lesson page: no axe violations");
          await k.shot(p, "kiosk-km-lesson-hotline");
        }
        if (st.kind === "page" && st.page === 1) await k.shot(p, "kiosk-km-lesson-messages");
        if (st.kind === "feedback") {
          feedbacks += 1;
          // The engine confirms the right answer, and the screen says so in Khmer.
          assert.equal(st.correct, true);
          assert.equal(await p.getAttribute(".feedback", "data-correct"), "true");
          assert.equal((await p.textContent(".verdict")).trim(), verdictOf("km", st));
          // The review after the post-test's score: its place, and the question asked again.
          assert.deepEqual(st.review, { number: feedbacks, total: 5 });
          assert.equal(await p.getAttribute(".feedback", "data-review"), String(feedbacks));
          assert.equal((await p.textContent(".review-place")).trim(), t("km", "reviewOf", { number: feedbacks, total: 5 }));
          assert.equal((await p.textContent(".review-prompt")).trim(), st.prompt.text);
          if (feedbacks === 1) {
            assert.deepEqual(await k.axe(p), [], "feedback: no axe violations");
            await k.shot(p, "kiosk-km-feedback");
          }
        }
      },
    });
    assert.equal(feedbacks, 5, "five post-test answers, each confirmed right");

    await page.waitForSelector("[data-screen=result]");
    const line = (await page.textContent(".result-line")).trim();
    assert.equal(line, "មុនមេរៀន អ្នកដឹង ២ ក្នុងចំណោម ៥។ ឥឡូវនេះ អ្នកដឹង ៥ ក្នុងចំណោម ៥។");
    assert.equal(line, t("km", "resultLine", { pre: 2, max: 5, post: 5, max2: 5 }));
    assert.equal(await page.locator(".result-card .card-messages li").count(), 6, "the reference card's six key messages");
    assert.match(await page.textContent(".result-card .hotline-number"), /1288/);
    assert.deepEqual(await k.axe(page), [], "result: no axe violations");
    await k.shot(page, "kiosk-km-result");

    // Results are kept in the kiosk's results log; the running snapshot is gone.
    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 1);
    assert.equal(recs[0].completed, true);
    assert.equal(recs[0].language, "km");
    assert.equal(recs[0].responses.length, 10);
    assert.equal((await k.stored(page)).snapshots.length, 0);

    await k.clickAndWait(page, "[data-action=finish]");
    await page.waitForSelector("[data-screen=attract]");
    assert.equal(await page.locator(".result-line").count(), 0);
  } finally {
    await close();
  }
});

test("kiosk journey in English: 1 of 5 before, 5 of 5 after; language switch mid-quiz", { timeout: 300_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url, { hash: "#/kiosk" });
    await page.waitForSelector("[data-screen=attract]");
    await k.clickAndWait(page, "[data-start=en]");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    let switched = false;
    const shots = new Set();
    await k.walk(page, {
      // Pre-test: only the hotline question (the fifth, in form K1 or K2) right. Post-test: all right.
      right: (st) => st.phase_kind === "post-test" || st.item.startsWith("kiosk-hotline"),
      onStep: async (st, p) => {
        if (st.kind === "question" && !shots.has(st.expects)) {
          shots.add(st.expects);
          await k.shot(p, `kiosk-en-question-${st.expects}`);
        }
        if (st.kind === "question" && st.phase_kind === "post-test" && st.number === 2 && !switched) {
          switched = true;
          const en = (await p.textContent("form.question .prompt")).trim();
          const before = await k.seq(p);
          await p.click(".lang-switch [data-lang=km]");
          await k.nextScreen(p, before);
          const km = (await p.textContent("form.question .prompt")).trim();
          assert.notEqual(km, en);
          assert.match(km, /[\u1780-\u17ff]/, "prompt now in Khmer");
          assert.match(await p.textContent("form.question .eyebrow"), /សំណួរទី ២ ក្នុងចំណោម ៥/);
          assert.equal(await p.getAttribute("html", "lang"), "km");
          const again = await k.seq(p);
          await p.click(".lang-switch [data-lang=en]");
          await k.nextScreen(p, again);
          assert.equal((await p.textContent("form.question .prompt")).trim(), en);
        }
        if (st.kind === "feedback") {
          assert.equal(st.correct, true);
          assert.equal((await p.textContent(".verdict")).trim(), verdictOf("en", st));
          if (st.right_bool === null) assert.equal(verdictOf("en", st), "Correct!");
          if (!shots.has("feedback")) {
            shots.add("feedback");
            await k.shot(p, "kiosk-en-feedback");
          }
        }
      },
    });
    assert.ok(switched, "switched language during the post-test");
    await page.waitForSelector("[data-screen=result]");
    assert.equal((await page.textContent(".result-line")).trim(), "You knew 1 of 5 before, 5 of 5 now.");
    assert.match(await page.textContent(".result-card"), /1288/);
    await k.shot(page, "kiosk-en-result");
    const recs = await k.records(page, "kiosk");
    assert.equal(recs.length, 1);
    assert.equal(recs[0].completed, true);
  } finally {
    await close();
  }
});
