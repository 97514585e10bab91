// The scripts of the region are drawn with real glyphs, in the app's own font stacks
// (style.css: Khmer, Myanmar, Lao, Thai; `cargo xtask setup` installs the Debian fonts):
// each sample letter is rendered on its own (canvas pixels, the way the page draws it) and
// must leave ink, and the letters must differ from each other — a missing font draws the same
// empty box for every one. Screenshots of the samples go to web-demo/test-results/.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

const SAMPLES = [
  { lang: "km", text: "កខគឃង", font: /Khmer/ },
  { lang: "my", text: "ကခဂဃင", font: /Myanmar|Padauk/ },
  { lang: "lo", text: "ກຂຄງຈ", font: /Lao|Phetsarath/ },
  { lang: "th", text: "กขคงจ", font: /Thai|Loma/ },
];

test("Khmer, Myanmar, Lao and Thai are drawn with glyphs, not blank or boxes", { timeout: 120_000 }, async () => {
  const { context, close } = await k.freshProfile();
  try {
    const page = await k.open(context, server.url);
    await page.evaluate((samples) => {
      const box = document.createElement("div");
      box.id = "script-samples";
      for (const s of samples) {
        const p = document.createElement("p");
        p.lang = s.lang;
        p.dataset.sample = s.lang;
        p.style.fontSize = "40px";
        p.textContent = s.text;
        box.append(p);
      }
      document.body.prepend(box);
    }, SAMPLES.map(({ lang, text }) => ({ lang, text })));
    await k.shot(page, "script-samples");
    for (const s of SAMPLES) {
      const el = page.locator(`[data-sample=${s.lang}]`);
      await el.screenshot({ path: `${k.RESULTS}/script-${s.lang}.png` });
      const r = await page.evaluate(({ lang, text }) => {
        const el = document.querySelector(`[data-sample=${lang}]`);
        const family = getComputedStyle(el).fontFamily;
        const canvas = document.createElement("canvas");
        canvas.width = 80;
        canvas.height = 80;
        const ctx = canvas.getContext("2d", { willReadFrequently: true });
        const letters = [...text].map((ch) => {
          ctx.clearRect(0, 0, 80, 80);
          ctx.font = `48px ${family}`;
          ctx.fillStyle = "#000";
          ctx.fillText(ch, 10, 60);
          const px = ctx.getImageData(0, 0, 80, 80).data;
          let ink = 0;
          let sig = 0;
          for (let i = 3; i < px.length; i += 4) {
            if (px[i] > 64) {
              ink += 1;
              sig = (sig * 31 + i) % 1_000_000_007;
            }
          }
          return { ink, sig };
        });
        return { family, letters };
      }, { lang: s.lang, text: s.text });
      assert.match(r.family, s.font, `${s.lang}: its own font stack (${r.family})`);
      for (const l of r.letters) assert.ok(l.ink > 20, `${s.lang}: a letter left no ink: ${JSON.stringify(r)}`);
      const distinct = new Set(r.letters.map((l) => l.sig)).size;
      assert.ok(distinct >= 4, `${s.lang}: the letters look alike (boxes of a missing font): ${JSON.stringify(r)}`);
    }
  } finally {
    await close();
  }
});
