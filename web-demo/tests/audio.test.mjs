// Audio that plays (issue 15, item 5): the listen buttons of a kiosk screen play the pack's
// audio in real Chromium (the kiosk's English is a synthetic voice, and says so), one sound at
// a time, stopped by the next screen; the kiosk's auto-play setting (staff, on the home
// screen) plays each screen's first text once the visitor has tapped. At 1024×768 and
// 412×915; screenshots in test-results/audio-*.png; axe-core finds nothing.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import * as k from "./helpers.mjs";
import { t } from "../ui-strings.js";

k.useBuiltinStrings();

const SIZES = [
  { name: "1024x768", viewport: { width: 1024, height: 768 } },
  { name: "412x915", viewport: { width: 412, height: 915 } },
];

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

async function view(page, name) {
  mkdirSync(k.RESULTS, { recursive: true });
  await page.screenshot({ path: k.path.join(k.RESULTS, `audio-${name}.png`) });
}

/** The sounds in the page: what each plays, how far it got, the ranges it has played. */
async function sounds(page) {
  return page.evaluate(() => [...document.querySelectorAll("audio")].map((a) => ({
    src: a.dataset.playing ?? null,
    paused: a.paused,
    time: a.currentTime,
    played: a.played.length,
  })));
}

/** Waits until the one sound in the page is `src` and has played at least `seconds`. */
async function playing(page, src, seconds = 0.4) {
  await page.waitForFunction(([s, min]) => {
    const all = document.querySelectorAll("audio");
    const a = all[0];
    return all.length === 1 && a.dataset.playing === s && !a.paused && a.currentTime >= min && a.played.length > 0;
  }, [src, seconds], { timeout: 20_000 });
}

test("listen buttons play the kiosk's English audio (a synthetic voice, labelled), keyboard-reachable, one sound at a time, stopped on the next screen; offline after the first play", { timeout: 300_000 }, async () => {
  for (const size of SIZES) {
    const { context, errors, close } = await k.freshProfile({ viewport: size.viewport });
    try {
      const page = await k.open(context, server.url, { hash: "#/kiosk" });
      await page.waitForSelector("[data-screen=attract]");
      await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
      // Khmer has no audio (none is faked): no listen button on the Khmer question.
      await k.clickAndWait(page, "[data-start=km]");
      await page.waitForSelector("form.question");
      assert.equal(await page.locator("button.audio").count(), 0, `${size.name}: no listen button in Khmer`);
      // The visitor switches to English: the same question, now with its listen buttons.
      await k.clickAndWait(page, ".lang-switch button[data-lang=en]");
      await page.waitForSelector("form.question .prompt button.audio");
      // No auto-play unless staff set it.
      await page.waitForTimeout(500);
      assert.deepEqual(await sounds(page), [], `${size.name}: nothing plays by itself`);
      const listenButtons = () => page.evaluate(() => [...document.querySelectorAll("button.audio")].map((b) => ({
        name: b.getAttribute("aria-label"), src: b.dataset.audio, inPrompt: Boolean(b.closest(".prompt")),
      })));
      // The first question (true or false): its prompt has a listen button.
      let buttons = await listenButtons();
      assert.ok(buttons.length >= 1 && buttons[0].inPrompt, `${size.name}: the question has a listen button (${JSON.stringify(buttons)})`);
      // Keyboard only: from the question's heading, Tab reaches its listen button; Enter plays.
      await page.focus("[data-step-heading]");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.dataset.audio), buttons[0].src, "Tab reaches the listen button");
      await page.keyboard.press("Enter");
      await playing(page, buttons[0].src);
      await view(page, `${size.name}-question-playing`);
      assert.deepEqual(await k.axe(page), [], `${size.name}: no axe violations on a question with listen buttons`);
      // The next screen stops it.
      await k.answer(page);
      assert.deepEqual(await sounds(page), [], `${size.name}: the next screen stopped the sound`);
      // The second question (one answer of four): the prompt and every option can be heard.
      buttons = await listenButtons();
      assert.equal(buttons.length, 5, `${size.name}: the prompt and its four options have listen buttons (${JSON.stringify(buttons)})`);
      for (const b of buttons) {
        assert.equal(b.name, t("en", "listenSynthetic"), "each button names the synthetic voice");
        assert.match(b.src, /^audio\/en\/synthetic\/kiosk-[\w-]+\.(prompt|options\.[\w-]+)\.ogg$/);
      }
      await page.click(`button.audio[data-audio="${buttons[1].src}"]`);
      await playing(page, buttons[1].src, 0.2);
      // Another button: the first sound stops, one sound plays.
      await page.click(`button.audio[data-audio="${buttons[3].src}"]`);
      await playing(page, buttons[3].src, 0.2);
      await view(page, `${size.name}-option-playing`);
      // Played once: the service worker keeps a copy (offline after the first play).
      await page.waitForFunction(async (src) => Boolean(await caches.match(new URL(`media/${src}`, location.href).href)), buttons[3].src, { timeout: 10_000 })
        .catch(() => assert.fail(`${size.name}: the audio heard is cached for offline use`));
      // The micro-lesson: its heading, intro and six key messages (title and summary) read aloud.
      for (let guard = 0; guard < 12 && (await k.step(page))?.kind !== "page"; guard += 1) {
        const st = await k.step(page);
        if (st.kind === "question") await k.answer(page);
        else await k.clickAndWait(page, "[data-action=advance]");
      }
      const lesson = await page.evaluate(() => ({
        messages: [...document.querySelectorAll(".key-message")].map((m) => m.querySelectorAll("button.audio").length),
        heading: Boolean(document.querySelector("[data-step-heading] button.audio")),
      }));
      assert.deepEqual(lesson.messages, [2, 2, 2, 2, 2, 2], `${size.name}: each key message's title and summary can be heard`);
      assert.ok(lesson.heading, "the lesson's heading can be heard");
      await page.click(".key-message button.audio");
      await page.waitForFunction(() => document.querySelector("audio")?.currentTime > 0.2);
      await view(page, `${size.name}-lesson-playing`);
      assert.deepEqual(await k.axe(page), [], `${size.name}: no axe violations on the lesson with listen buttons`);
      assert.deepEqual(errors, [], "no page errors");
    } finally {
      await close();
    }
  }
});

test("kiosk auto-play (a staff setting on the home screen): each screen's question is read once it appears, after the visitor's first tap; stopped by the next screen", { timeout: 300_000 }, async () => {
  for (const size of SIZES) {
    const { context, errors, close } = await k.freshProfile({ viewport: size.viewport });
    try {
      // Staff set it on the home screen (behind the kiosk lock once the kiosk runs).
      const page = await k.open(context, server.url, { hash: "#/" });
      await page.waitForSelector("#kiosk-autoplay");
      assert.ok([t("km", "kioskAutoplay"), t("en", "kioskAutoplay")].includes(await page.locator("label[for=kiosk-autoplay]").innerText()));
      await page.check("#kiosk-autoplay");
      await view(page, `${size.name}-home-setting`);
      assert.deepEqual(await k.axe(page), [], `${size.name}: no axe violations on the home screen`);
      await k.clickAndWait(page, "[data-mode=kiosk]");
      await page.waitForSelector("[data-screen=attract]");
      // The visitor's first tap starts the quiz; its first question is read at once.
      await k.clickAndWait(page, "[data-start=en]");
      await page.waitForSelector("form.question");
      const first = await page.getAttribute(".prompt button.audio", "data-audio");
      await playing(page, first);
      await view(page, `${size.name}-autoplay-question`);
      // The next question: the sound of the last one stops, its own is read.
      await k.answer(page);
      const second = await page.getAttribute(".prompt button.audio", "data-audio");
      assert.notEqual(second, first);
      await playing(page, second);
      // The setting stays behind the lock: a visitor cannot reach the home screen.
      await page.evaluate(() => { location.hash = "#/"; });
      await page.waitForFunction(() => location.hash === "#/kiosk");
      assert.equal(await page.locator("#kiosk-autoplay").count(), 0, "no setting on a kiosk screen");
      // Off again (staff): nothing plays by itself.
      await k.leaveKiosk(page);
      await page.waitForSelector("#kiosk-autoplay");
      assert.ok(await page.isChecked("#kiosk-autoplay"), "the setting is kept");
      await page.uncheck("#kiosk-autoplay");
      await k.clickAndWait(page, "[data-mode=kiosk]");
      await page.waitForSelector("[data-screen=attract]");
      await k.clickAndWait(page, "[data-start=en]");
      await page.waitForSelector("form.question");
      await page.waitForTimeout(800);
      assert.deepEqual(await sounds(page), [], `${size.name}: auto-play off, nothing plays`);
      assert.deepEqual(errors, [], "no page errors");
    } finally {
      await close();
    }
  }
});

/**
 * Keeps the sound playing now as `window.__heard` and says whether it is playing (the
 * element stays reachable after the app removes it from the page).
 */
async function holdSound(page) {
  return page.evaluate(() => {
    const a = document.querySelector("audio[data-playing]");
    window.__heard = a;
    return Boolean(a) && !a.paused && !a.ended;
  });
}

/** What became of the sound kept by `holdSound`, and whether any audio still plays. */
async function heard(page) {
  return page.evaluate(() => {
    const a = window.__heard;
    return {
      paused: a.paused,
      ended: a.ended,
      before_end: a.currentTime < a.duration - 0.05,
      in_page: a.isConnected,
      left_playing: document.querySelector("audio[data-playing]") !== null,
      any_playing: [...document.querySelectorAll("audio")].some((x) => !x.paused),
    };
  });
}

const STOPPED = { paused: true, ended: false, before_end: true, in_page: false, left_playing: false, any_playing: false };

test("audio stops when the visitor moves to the next step and when the idle reset returns to the attract screen (the English synthetic voice of the kiosk)", { timeout: 300_000 }, async () => {
  for (const size of SIZES) {
    const { context, errors, close } = await k.freshProfile({ viewport: size.viewport });
    try {
      // Reset 7 s after the last touch (warning after 4 s): shorter than the clip played.
      const page = await k.open(context, server.url, { query: "test=1&idle=4&warn=3", hash: "#/kiosk" });
      await page.waitForSelector("[data-screen=attract]");
      await k.clickAndWait(page, "[data-start=en]");
      await page.waitForSelector("form.question .prompt button.audio");
      // The next step: the prompt being read stops, before its end.
      const prompt = await page.getAttribute(".prompt button.audio", "data-audio");
      await page.click(".prompt button.audio");
      await playing(page, prompt, 0.2);
      assert.ok(await holdSound(page), "the prompt is being read");
      await k.answer(page);
      assert.deepEqual(await heard(page), STOPPED, `${size.name}: the next step stopped the prompt's sound`);
      // On to the lesson, whose key messages are read (the check list: about 10 s).
      for (let guard = 0; guard < 12 && (await k.step(page))?.kind !== "page"; guard += 1) {
        const st = await k.step(page);
        if (st.kind === "question") await k.answer(page);
        else await k.clickAndWait(page, "[data-action=advance]");
      }
      const long = page.locator('.key-message button.audio[data-audio$="check.summary.ogg"]');
      const src = await long.getAttribute("data-audio");
      await long.click();
      await playing(page, src, 0.2);
      // No more touches: the warning (the sound still playing), then the reset.
      await page.waitForSelector("#idle-dialog[open]");
      assert.ok(await holdSound(page), `${size.name}: still playing while the visitor is warned`);
      await view(page, `${size.name}-idle-warning-playing`);
      await page.waitForSelector("[data-screen=attract]", { timeout: 30_000 });
      assert.deepEqual(await heard(page), STOPPED, `${size.name}: the idle reset stopped the sound`);
      await view(page, `${size.name}-after-idle-reset`);
      assert.deepEqual(errors, [], "no page errors");
    } finally {
      await close();
    }
  }
});
