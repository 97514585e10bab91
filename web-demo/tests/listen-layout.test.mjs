// Listen buttons never cover a letter (issue 15): on every screen of a kiosk visit, in
// Khmer, English and Lao, at 1024×768, 1280×800 and 412×915, the box of each listen button
// must not meet the boxes of the text it reads (each line of it, the last one included, as
// `Range.getClientRects()` gives them), and it must stay inside the window. Prompts (long and
// short), options, lesson blocks (heading, paragraphs, key messages), story text and feedback.
//
// English is the real pack (its synthetic voice). Khmer and Lao have no audio (none is faked
// in a pack): for layout only, this test builds copies of the two packs in which every
// Khmer or Lao text points at one of the English synthetic clips, signed with the
// development key (as `cargo xtask demo` signs the demo packs), and serves them instead of
// the real ones. Screenshots: web-demo/test-results/listen-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as k from "./helpers.mjs";

const KRU = process.env.KRU_BIN ?? k.path.join(k.ROOT, "target/debug/kru");
const KEY = k.path.join(k.ROOT, "target/kru-dev-keys/demo-signing.key");
// A clip that exists in the served media folder (content-packs/safe-migration).
const CLIP = "audio/en/synthetic/check.summary.ogg";
const SIZES = [
  { name: "1024x768", viewport: { width: 1024, height: 768 } },
  { name: "1280x800", viewport: { width: 1280, height: 800 } },
  { name: "412x915", viewport: { width: 412, height: 915 } },
];

let work;
const built = {};

/**
 * The `[audio]` table that gives every one-line text of an i18n file (`key = "…"` under a
 * `[section]`) the clip: the pack's own keys, so that each of its texts has a listen button.
 */
function audioFor(i18n) {
  const keys = [];
  let section = null;
  for (const line of i18n.split("\n")) {
    const head = line.match(/^\[([^\]]+)\]\s*$/);
    if (head) {
      section = head[1] === "interface" || head[1] === "audio" ? null : head[1];
      continue;
    }
    const kv = line.match(/^([\w-]+) = "(?:[^"\\]|\\.)*"\s*$/);
    if (section && kv) keys.push(`${section}.${kv[1]}`);
  }
  return `\n[audio]\n${keys.map((key) => `"${key}" = "${CLIP}"`).join("\n")}\n`;
}

/** Builds the layout copy of `pack` whose `lang` texts all have audio; returns its bytes. */
function layoutPack(pack, lang) {
  const dir = k.path.join(work, pack);
  cpSync(k.path.join(k.ROOT, "content-packs", pack), dir, { recursive: true });
  cpSync(k.path.join(k.MEDIA, "audio"), k.path.join(dir, "audio"), { recursive: true, force: true });
  const file = k.path.join(dir, "i18n", `${lang}.toml`);
  const text = readFileSync(file, "utf8");
  assert.ok(!/^\[audio\]/m.test(text), `${pack}/${lang}.toml has no audio of its own`);
  writeFileSync(file, text + audioFor(text));
  const out = k.path.join(work, `${pack}.krupack`);
  execFileSync(KRU, ["build", dir, "-o", out, "--key", KEY], { stdio: ["ignore", "pipe", "pipe"] });
  return readFileSync(out);
}

let server;
before(async () => {
  k.requireBuilt();
  for (const f of [KRU, KEY]) if (!existsSync(f)) throw new Error(`missing ${f} (cargo xtask test --no-setup demo-pack builds kru and the key)`);
  work = mkdtempSync(k.path.join(tmpdir(), "kru-listen-"));
  built.km = layoutPack("safe-migration", "km");
  built.lo = layoutPack("safe-migration-lo", "lo");
  server = await k.serve({ overrides: { "/safe-migration.krupack": built.km, "/safe-migration-lo.krupack": built.lo } });
});
after(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Every listen button on screen against the text beside it: the button's box must not meet
 * any line box of that text, and must be inside the window. Returns the faults (empty = fine)
 * and how many buttons were checked.
 */
async function overlaps(page) {
  return page.evaluate(() => {
    const faults = [];
    const shown = (r) => r.width > 0 && r.height > 0;
    const buttons = [...document.querySelectorAll("button.audio")].filter((b) => shown(b.getBoundingClientRect()));
    for (const b of buttons) {
      const br = b.getBoundingClientRect();
      // The text the button reads: the row it sits in (a text with audio, or an option).
      const box = b.closest(".with-audio, label.choice") ?? b.parentElement;
      const rects = [];
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (b.contains(n) || !n.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        rects.push(...[...range.getClientRects()].filter(shown));
      }
      const text = box.textContent.trim();
      if (!rects.length) faults.push({ text, fault: "no text beside the button" });
      for (const r of rects) {
        const x = Math.min(r.right, br.right) - Math.max(r.left, br.left);
        const y = Math.min(r.bottom, br.bottom) - Math.max(r.top, br.top);
        if (x > 0.5 && y > 0.5) {
          faults.push({ text: text.slice(-24), fault: "covers the text",
            line: [r.left, r.top, r.right, r.bottom].map(Math.round), button: [br.left, br.top, br.right, br.bottom].map(Math.round) });
        }
      }
      if (br.left < 0 || br.right > innerWidth + 0.5) faults.push({ text: text.slice(-24), fault: "outside the window", button: [br.left, br.right].map(Math.round) });
    }
    return { faults, buttons: buttons.length };
  });
}

test("the overlap check finds a button moved over the text (the check can fail)", { timeout: 120_000 }, async () => {
  const { context, close } = await k.freshProfile({ viewport: { width: 412, height: 915 } });
  try {
    const page = await k.open(context, server.url, { query: "test=1&lang=en", hash: "#/kiosk" });
    await k.clickAndWait(page, "[data-start=en]");
    await page.waitForSelector("form.question .prompt button.audio");
    assert.deepEqual((await overlaps(page)).faults, []);
    // The reported fault, made on purpose: the button moved (without reflow) onto the
    // prompt's last character.
    await page.evaluate(() => {
      const b = document.querySelector(".prompt button.audio");
      const text = [...document.querySelector(".prompt").childNodes].flatMap((n) => (n.nodeType === 3 ? [n] : [...n.querySelectorAll?.(".said") ?? []].map((s) => s.firstChild)))
        .filter((n) => n?.data?.trim()).at(-1);
      const range = document.createRange();
      range.setStart(text, text.data.trimEnd().length - 1);
      range.setEnd(text, text.data.trimEnd().length);
      const last = range.getBoundingClientRect();
      const br = b.getBoundingClientRect();
      b.style.transform = `translate(${last.left - br.left}px, ${last.top + last.height / 2 - (br.top + br.height / 2)}px)`;
    });
    await k.shot(page, "listen-check-sees-overlap");
    const { faults } = await overlaps(page);
    assert.ok(faults.some((f) => f.fault === "covers the text"), `the check sees the overlap: ${JSON.stringify(faults)}`);
  } finally {
    await close();
  }
});

const VISITS = [
  { lang: "km", query: "test=1&lang=km", start: "km" },
  { lang: "en", query: "test=1&lang=en", start: "en" },
  { lang: "lo", query: "test=1&lang=lo&pack=safe-migration-lo", start: "lo" },
];

for (const visit of VISITS) {
  test(`listen buttons never cover the text: a kiosk visit in ${visit.lang} at three sizes`, { timeout: 600_000 }, async () => {
    for (const size of SIZES) {
      const { context, errors, close } = await k.freshProfile({ viewport: size.viewport });
      try {
        const page = await k.open(context, server.url, { query: visit.query, hash: "#/kiosk" });
        await page.waitForSelector("[data-screen=attract]");
        await k.clickAndWait(page, `[data-start=${visit.start}]`);
        assert.equal(await page.getAttribute("html", "lang"), visit.lang);
        const seen = new Map();
        let checked = 0;
        let longest = 0;
        let shortest = Infinity;
        await k.walk(page, {
          onStep: async (st) => {
            const { faults, buttons } = await overlaps(page);
            const where = `${visit.lang} ${size.name} ${st.kind} ${st.item ?? st.title?.text ?? ""}`;
            assert.deepEqual(faults, [], `${where}: a listen button covers its text`);
            checked += buttons;
            if (st.kind === "question") {
              assert.ok(buttons >= 1, `${where}: the prompt has a listen button`);
              longest = Math.max(longest, st.prompt.text.length);
              shortest = Math.min(shortest, st.prompt.text.length);
            }
            const kind = st.kind === "story" && st.text ? "story" : st.kind;
            if (!seen.has(kind) && buttons > 0) {
              seen.set(kind, buttons);
              await k.shot(page, `listen-${visit.lang}-${size.name}-${kind}`);
            }
          },
        });
        // The result screen: the reference card's key messages with their listen buttons.
        await page.waitForSelector("[data-screen=result]");
        const result = await overlaps(page);
        assert.deepEqual(result.faults, [], `${visit.lang} ${size.name}: the result screen`);
        await k.shot(page, `listen-${visit.lang}-${size.name}-result`);
        assert.ok(seen.has("question") && seen.has("page"), `${visit.lang} ${size.name}: questions and a lesson page checked (${[...seen.keys()]})`);
        if (visit.lang === "lo") assert.ok(seen.has("story"), "the Lao visit's story text checked");
        assert.ok(longest > 2 * shortest, `long and short prompts (${shortest}–${longest} characters)`);
        assert.ok(checked > 20, `${checked} listen buttons checked`);
        assert.deepEqual(errors, [], "no page errors");
      } finally {
        await close();
      }
    }
  });
}
