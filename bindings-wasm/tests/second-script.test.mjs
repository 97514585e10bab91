// The second bundled pack (English and Lao) through the built package: the interface
// strings from the core's catalogue (the pack's own Lao, the built-in ones shipped as data in
// the package's ui/ folder), and a Lao learner typing Lao digits.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kru, root, packBytes, codeOf, answerFor } from "./helpers.mjs";

const NOW = 1_795_000_000_000;

/** The built-in catalogues as the package ships them: [tag, text, …], English first. */
function builtins() {
  const dir = join(root, "bindings-wasm", "pkg-node", "ui");
  return ["en", "km"].flatMap((tag) => [tag, readFileSync(join(dir, `${tag}.txt`), "utf8")]);
}

const lao = () => kru.Pack.open(packBytes("safe-migration-lo.krupack"), { allowUnsigned: true });

test("interface strings: the pack's Lao wins, English fills the gaps, Khmer is built in", async () => {
  const pack = await lao();
  const lo = JSON.parse(pack.uiStrings(["lo"], builtins()));
  assert.equal(lo.playTrue, "ຖືກ");
  assert.equal(lo.next, "ຕໍ່ໄປ");
  assert.equal(lo.appName, "kru", "not translated in the pack: English");
  assert.match(lo["error-bad-learner-code"], /ລະຫັດຜູ້ຮຽນ/);
  const en = JSON.parse(pack.uiStrings(["en"], builtins()));
  assert.equal(en.playTrue, "true");
  assert.deepEqual(Object.keys(lo).sort(), Object.keys(en).sort(), "every id in every language");
  const km = JSON.parse(kru.uiStrings(["km"], builtins()));
  assert.equal(km.playTrue, "ពិត");
  pack.free();
});

test("interface strings: bad data is refused with a code", async () => {
  assert.equal(codeOf(() => kru.uiStrings(["en"], ["en", "[interface]\nnext = Next"])), "ui-bad-catalogue");
  // A TOML catalogue, handed in where the compiled one belongs, is refused and says so.
  const toml = readFileSync(join(root, "core", "src", "ui", "en.toml"), "utf8");
  assert.throws(() => kru.uiStrings(["en"], ["en", toml]), { code: "ui-bad-catalogue", message: /entry 1: no U\+001F after the id/ });
  assert.equal(JSON.parse(kru.uiStrings(["en"], ["en", "next\x1fOn\x1e"])).next, "On");
  assert.equal(codeOf(() => kru.uiStrings(["en"], ["en"])), "invalid-argument");
});

test("a Lao learner: Lao digits answer the numeric item and the option numbers", async () => {
  const pack = await lao();
  const s = kru.Session.start(pack, { journey: "short", languages: ["lo"], seed: 1, learner: "ກ", nowMs: NOW });
  let numericRight = 0;
  for (let i = 0; i < 200; i++) {
    const step = s.step();
    if (step.kind === "done") break;
    if (step.kind === "question" && step.item === "check-fee-months") {
      s.answer({ text: "໓" }, NOW);
      continue;
    }
    // The post-test is reviewed after its score (feedback = "after-phase").
    if (step.kind === "feedback" && step.item === "check-fee-months") {
      assert.equal(step.correct, true);
      assert.equal(step.review?.total, 7);
      numericRight++;
    }
    if (step.kind === "question") s.answer(answerFor(step), NOW);
    else if (step.kind === "story" && step.choices.length) s.answer({ choice: 0 }, NOW);
    else s.advance(NOW);
  }
  assert.equal(numericRight, 1, "the post-test's review says right");
  const record = s.finish(NOW);
  assert.ok(record.length > 0 || record.bytes?.length > 0);
  pack.free();
});
