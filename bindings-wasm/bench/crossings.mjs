// Counts what one call of kru's Node.js package costs at the boundary, without a timer: calls
// from WebAssembly into JS (the module's imports, by name) and text decodes
// (`TextDecoder.decode`, bytes decoded), per `Session.start`, per `step()`, per
// `answer()`/`advance()` and per `finish()`, over the demo pack's `school` journey: the first
// session on a fresh `Pack` (every string new) and the next one (strings kept). Deterministic.
//
// It wraps the module's imports in counters as the package instantiates it, so the numbers are
// those of the real module and glue.
//
// Run: cargo xtask wasm && node bindings-wasm/bench/crossings.mjs [LANGUAGE]
// (KRU_PKG_NODE: another build of the Node package, e.g. a copy of the previous one.)

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { actionFor } from "./answers.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = resolve(process.env.KRU_PKG_NODE ?? join(root, "bindings-wasm", "pkg-node"));
const language = process.argv[2] ?? "km";
const packBytes = new Uint8Array(readFileSync(process.env.KRU_PACK ?? join(root, "web-demo", "safe-migration.krupack")));
const trusted = JSON.parse(readFileSync(join(root, "web-demo", "trusted-keys.json"), "utf8"));
const trustedKeys = trusted.keys.map((k) => Uint8Array.from(k.publicKey.match(/../g), (h) => parseInt(h, 16)));
const NOW = 1_795_000_000_000;

// Every import of the module wrapped in a counter (by its name: since issue 18's sixth round
// the shipped module's imports have short names, `a`, `b`, …), and every text decode counted,
// before the package instantiates its module. Done on `WebAssembly.Instance` and
// `TextDecoder.prototype.decode` rather than on the glue's text, which is minified.
globalThis.__kruCounts = {};
const count = (name, n = 1) => { globalThis.__kruCounts[name] = (globalThis.__kruCounts[name] ?? 0) + n; };
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  for (const ns of Object.values(imports)) for (const [k, f] of Object.entries(ns)) {
    if (typeof f !== "function") continue;
    const name = "import " + k.replace(/^__wbg_/, "").replace(/_[0-9a-f]{16}$/, "");
    ns[k] = function (...a) { count(name); return f.apply(this, a); };
  }
  return new Instance(module, imports);
};
const decode = TextDecoder.prototype.decode;
TextDecoder.prototype.decode = function (bytes, options) {
  const utf8 = this.encoding === "utf-8";
  count(`TextDecoder.decode (${utf8 ? "UTF-8" : this.encoding})`);
  if (utf8) count("UTF-8 bytes decoded", bytes?.byteLength ?? 0);
  return decode.call(this, bytes, options);
};
const kru = createRequire(join(pkg, "index.js"))(join(pkg, "kru_wasm.js"));
WebAssembly.Instance = Instance;

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
    const answer = actionFor(step);
    if (answer) s.answer(answer, NOW);
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
