// A step's new strings are decoded by `Buffer` in Node.js and by `TextDecoder("utf-16le")`
// where there is no `Buffer` (browsers): both paths give the same steps, progress and records,
// in Khmer, English and Lao, on a first session (every string new) and a second one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root, packsDir } from "./helpers.mjs";

const script = join(root, "bindings-wasm", "tests", "decode-paths.mjs");
const pkg = join(root, "bindings-wasm", "pkg-node");

function play(...flags) {
  const r = spawnSync(process.execPath, [script, pkg, packsDir, ...flags], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("Buffer and TextDecoder give the same strings", () => {
  const node = play();
  const browser = play("--no-buffer");
  assert.equal(node.utf16, 0, "Node.js decodes with Buffer");
  assert.ok(browser.utf16 > 100, `without Buffer, TextDecoder decodes (${browser.utf16} calls)`);
  assert.ok(node.json.includes("ការ") && node.json.includes("ການ"), "Khmer and Lao text played");
  assert.equal(browser.json, node.json);
});
