// The browser package (`--target web`, an ES module) also runs in Node when given the bytes
// of its .wasm: a smoke test of the package the web demo and kiosks load.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectDir, unsignedBytes, playToEnd } from "./helpers.mjs";

test("@kru/engine (web) initialises from bytes and runs a journey", async () => {
  const entry = join(projectDir, "node_modules", "@kru", "engine", "kru_wasm.js");
  const kru = await import(pathToFileURL(entry).href);
  const wasm = readFileSync(join(projectDir, "node_modules", "@kru", "engine", "kru_wasm_bg.wasm"));
  await kru.default({ module_or_path: wasm });
  const pack = await kru.Pack.open(unsignedBytes(), { allowUnsigned: true });
  const s = kru.Session.start(pack, { journey: "kiosk", seed: 9, learner: "W", nowMs: 0 });
  const kinds = playToEnd(s);
  assert.equal(kinds.at(-1), "done");
  assert.equal(s.finish(1).completed, true);
  for (const name of ["cohortReport", "reportHtml", "reportCsv", "responsesCsv"]) {
    assert.equal(typeof kru[name], "undefined", `the main module has no ${name}`);
  }
});
