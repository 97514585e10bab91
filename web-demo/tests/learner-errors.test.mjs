// Errors a learner reads come from the core's catalogue by the error's code, in the learner's
// language: a learner code the engine refuses (too long) shows `error-bad-learner-code` with
// its `{max}` from the error's `params`, in Khmer and in English; the engine's own English
// message is for staff (the console), never on the learner's screen.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as k from "./helpers.mjs";

let server;
before(async () => {
  k.requireBuilt();
  server = await k.serve();
});
after(async () => server?.close());

/** The built-in catalogue's string `id` in `tag`, as the package ships it. */
function catalogue(tag, id) {
  const text = k.readFileSync(k.path.join(k.PKG, "ui", `${tag}.txt`), "utf8");
  const entry = text.split("\x1e").find((e) => e.startsWith(`${id}\x1f`));
  assert.ok(entry, `${tag}.txt has ${id}`);
  return entry.slice(id.length + 1);
}

for (const { lang, digits } of [{ lang: "km", digits: "៦៤" }, { lang: "en", digits: "64" }]) {
  test(`a too-long learner code shows the catalogue's message in ${lang}`, { timeout: 300_000 }, async () => {
    const profile = await k.freshProfile({ viewport: { width: 412, height: 915 } });
    try {
      const page = await k.open(profile.context, server.url, { query: `test=1&lang=${lang}`, hash: "#/class" });
      const consoled = [];
      page.on("console", (m) => consoled.push(m.text()));
      await k.newClass(page);
      // 65 characters: one more than the engine takes (the field's maxlength stops typing at
      // 64; a pasted or scripted value reaches the engine, which refuses it).
      const code = "ក".repeat(65);
      await page.evaluate((v) => {
        const input = document.querySelector("input[name=learner]");
        input.value = v;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }, code);
      await page.click("[data-action=start-learner]");
      const error = page.locator("form[data-form=learner] .form-error");
      await page.waitForFunction(() => document.querySelector("form[data-form=learner] .form-error")?.textContent);
      const shown = (await error.textContent()).trim();
      const expected = catalogue(lang, "error-bad-learner-code").replace("{max}", digits);
      assert.equal(shown, expected);
      assert.equal(await error.getAttribute("data-code"), "bad-learner-code");
      assert.doesNotMatch(shown, /invalid learner code|learner code must/i, "not the engine's English");
      assert.ok(consoled.some((m) => /bad-learner-code|learner/i.test(m)), "the engine's message is in the console");
      await k.shot(page, `learner-code-too-long-${lang}`);
      assert.deepEqual(profile.errors, []);
    } finally {
      await profile.close();
    }
  });
}
