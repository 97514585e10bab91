// Counts what one call of kru's Node.js package costs at the boundary, without a timer: calls
// from WebAssembly into JS (wasm-bindgen's imports, by name) and UTF-8 decodes
// (`TextDecoder.decode`, bytes decoded), per `Session.start`, per `step()`, per
// `answer()`/`advance()` and per `finish()`, over the demo pack's `school` journey: the first
// session on a fresh `Pack` (every string new) and the next one (strings kept). Deterministic.
//
// It loads a copy of the package's glue with every import wrapped in a counter (in a temporary
// folder), so the numbers are those of the real module.
//
// Run: cargo xtask wasm && node bindings-wasm/bench/crossings.mjs [LANGUAGE]
// (KRU_PKG_NODE: another build of the Node package, e.g. a copy of the previous one.)

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { answerFor } from "./answers.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = resolve(process.env.KRU_PKG_NODE ?? join(root, "bindings-wasm", "pkg-node"));
const language = process.argv[2] ?? "km";
const packBytes = new Uint8Array(readFileSync(process.env.KRU_PACK ?? join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));
const NOW = 1_795_000_000_000;

const instantiate = "let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());";
const decode = "function decodeText(bytes) {";
let glue = readFileSync(join(pkg, "kru_wasm.js"), "utf8");
if (!glue.includes(instantiate) || !glue.includes(decode)) {
  throw new Error(`${pkg}/kru_wasm.js is not wasm-bindgen's Node.js glue as this script knows it`);
}
glue = glue.replace(instantiate, `const __counted = __wbg_get_imports();
for (const ns of Object.values(__counted)) for (const [k, f] of Object.entries(ns)) {
  if (typeof f !== "function") continue;
  const name = "import " + k.replace(/^__wbg_/, "").replace(/_[0-9a-f]{16}$/, "");
  ns[k] = function (...a) { globalThis.__kruCounts[name] = (globalThis.__kruCounts[name] ?? 0) + 1; return f.apply(this, a); };
}
let wasmInstance = new WebAssembly.Instance(wasmModule, __counted);`);
glue = glue.replace(decode, `${decode}
    globalThis.__kruCounts["TextDecoder.decode (UTF-8)"] = (globalThis.__kruCounts["TextDecoder.decode (UTF-8)"] ?? 0) + 1;
    globalThis.__kruCounts["UTF-8 bytes decoded"] = (globalThis.__kruCounts["UTF-8 bytes decoded"] ?? 0) + bytes.length;`);
globalThis.__kruCounts = {};
const dir = mkdtempSync(join(tmpdir(), "kru-crossings-"));
let kru;
try {
  copyFileSync(join(pkg, "kru_wasm_bg.wasm"), join(dir, "kru_wasm_bg.wasm"));
  writeFileSync(join(dir, "kru_wasm.js"), glue);
  kru = createRequire(join(dir, "index.js"))(join(dir, "kru_wasm.js"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const take = () => {
  const c = { ...globalThis.__kruCounts };
  for (const k of Object.keys(globalThis.__kruCounts)) globalThis.__kruCounts[k] = 0;
  return c;
};
const add = (total, c) => { for (const [k, v] of Object.entries(c)) total[k] = (total[k] ?? 0) + v; };
const line = (label, c, n) => {
  const imports = Object.entries(c).filter(([k]) => k.startsWith("import ")).reduce((a, [, v]) => a + v, 0);
  const parts = Object.entries(c).filter(([, v]) => v).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${+(v / n).toFixed(2)}`);
  console.log(`  ${label.padEnd(30)} ${(imports / n).toFixed(1).padStart(6)} calls into JS   (${parts.join(", ")})`);
};

const pack = await kru.Pack.open(packBytes, { trustedKeys });
console.log(`JS boundary, counted: the school journey in ${language} (node ${process.version}, kru ${kru.version()}, ${pkg})`);
for (const label of ["first session on a fresh Pack", "next session on the same Pack"]) {
  take();
  const s = kru.Session.start(pack, { journey: "school", languages: [language], seed: 42, learner: "S-01", nowMs: NOW });
  const start = take();
  const steps = {}, acts = {};
  let n = 0, m = 0;
  for (;;) {
    const step = s.step();
    n++;
    add(steps, take());
    if (step.kind === "done") break;
    if (step.kind === "question") s.answer(answerFor(step), NOW);
    else if (step.kind === "intake") s.answer(step.options.length ? { choice: 0 } : { text: "x" }, NOW);
    else if (step.kind === "story" && step.choices.length) s.answer({ choice: 0 }, NOW);
    else s.advance(NOW);
    m++;
    add(acts, take());
  }
  s.finish(NOW);
  const finish = take();
  s.free();
  console.log(`${label} (${n} steps):`);
  line("Session.start", start, 1);
  line("step(), per call", steps, n);
  line("answer()/advance(), per call", acts, m);
  line("finish()", finish, 1);
}
pack.free();
