// Plain, fast, small: the page weight stays within budget, and the service worker precaches
// every file the app needs (or the app would break offline).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as k from "./helpers.mjs";
import { APP_KINDS, FILES, weight } from "./measure.mjs";

/**
 * Budgets (gzip), of the site users get (`target/site/`: the app's JS and CSS minified by
 * `cargo xtask site`): the engine and the pack dominate; the app itself stays small. `app` is
 * what a kiosk visitor's first visit loads of it, its words included (the interface strings
 * fetched at first paint): 44.3 KB before issue 15 (the words inline, unminified), 47,985 B
 * with the pack choice (issue 12), the learner errors by code and "I don't know" (issue 15
 * item 6) merged, unminified; 31,141 B minified (48,076 B from the sources, measured
 * 2026-12-06 with `node web-demo/tests/measure.mjs --weight`). `total`: the first visit,
 * 198,543 B minified (215,478 B from the sources). Issue 18's attract screen drawn before the
 * engine (`drawEarly`, the kept tap) added 2.8 KB gzip to the sources, most of it comments. The staff and teacher modules, styles and
 * words, the outbox without an LRS and the test hook are loaded by their screens only.
 */
const BUDGET = { total: 200 * 1024, app: 32 * 1024 };

test("page weight within budget", () => {
  k.requireBuilt();
  const w = weight();
  const app = w.rows.filter((r) => APP_KINDS.includes(r.kind)).reduce((s, r) => s + r.gzip, 0);
  // The first visit's total (the report's engine module is loaded only by the report).
  assert.ok(w.total.gzip <= BUDGET.total, `total ${w.total.gzip} B gzip > ${BUDGET.total}`);
  assert.ok(app <= BUDGET.app, `app (HTML+CSS+JS+words) ${app} B gzip > ${BUDGET.app}`);
});

/** The service worker's precache list, as written in its source. */
function precacheList() {
  const sw = readFileSync(path.join(k.WEB, "sw.js"), "utf8");
  return [...sw.match(/const ASSETS = \[([\s\S]*?)\];/)[1].matchAll(/^\s*"([^"]+)",/gm)].map((m) => m[1]);
}

test("the service worker precaches every file of the app", () => {
  const list = precacheList();
  const modules = readdirSync(k.WEB).filter((f) => f.endsWith(".js") && f !== "sw.js");
  for (const f of [...modules, "index.html", "style.css", "manifest.webmanifest", "icon.svg", "trusted-keys.json",
    "packs.json", "pkg/kru_wasm.js", "pkg/kru_wasm_bg.wasm"]) {
    assert.ok(list.includes(f), `sw.js precaches ${f}`);
  }
  // No pack: a device caches only its own (the page hands it to the service worker), so that
  // no device downloads the packs it does not run.
  assert.deepEqual(list.filter((f) => f.endsWith(".krupack")), [], "sw.js precaches no pack");
  for (const [f, kind] of FILES) if (f !== "sw.js" && kind !== "pack") assert.ok(list.includes(f), `measured file ${f} is precached`);
});

test("no framework, no bundler: the app is plain ES modules importing only each other and the engine", () => {
  for (const f of readdirSync(k.WEB).filter((x) => x.endsWith(".js"))) {
    const src = readFileSync(path.join(k.WEB, f), "utf8");
    for (const m of src.matchAll(/(?:import|from)\s*\(?\s*["']([^"']+)["']/g)) {
      assert.match(m[1], /^\.\/[\w-]+\.js$|^\.\/pkg\/kru_wasm\.js$/, `${f} imports ${m[1]}`);
    }
  }
});

test("the site has every file the service worker precaches, and its service worker lists them", () => {
  k.requireBuilt();
  const list = precacheList();
  assert.ok(list.length > 20, `${list.length} files in ASSETS`);
  // A missing file would make the service worker's install fail: no offline use at all.
  for (const f of list) assert.ok(f === "./" || existsSync(path.join(k.SITE, f)), `the site has ${f} (precached by sw.js)`);
  // The minified service worker still names each of them.
  const served = readFileSync(path.join(k.SITE, "sw.js"), "utf8");
  for (const f of list) assert.ok(served.includes(`"${f}"`), `the site's sw.js lists ${f}`);
});

test("the site serves every module and style minified, with its source map, under its own name", () => {
  k.requireBuilt();
  const sources = readdirSync(k.WEB).filter((f) => f.endsWith(".js") || f.endsWith(".css"));
  assert.ok(sources.length > 20, `${sources.length} modules and styles`);
  for (const f of sources) {
    const src = readFileSync(path.join(k.WEB, f), "utf8");
    const out = readFileSync(path.join(k.SITE, f), "utf8");
    // Minified: smaller, and no comment lines left (legal comments aside).
    assert.ok(out.length < src.length, `${f}: ${out.length} B in the site, ${src.length} B in the sources`);
    assert.doesNotMatch(out.replace(/\/\*![\s\S]*?\*\/|\/\/ @license.*|\/\/# sourceMappingURL=.*/g, ""), /^\s*\/\/ /m, `${f} has comments left`);
    // Its source map is beside it and carries the source as it is in web-demo/.
    const comment = f.endsWith(".css") ? `/*# sourceMappingURL=${f}.map */` : `//# sourceMappingURL=${f}.map`;
    assert.ok(out.trimEnd().endsWith(comment), `${f} ends with ${comment}`);
    const map = JSON.parse(readFileSync(path.join(k.SITE, `${f}.map`), "utf8"));
    assert.equal(map.sources.length, 1, `${f}.map: ${map.sources}`);
    assert.ok(map.sources[0].endsWith(`web-demo/${f}`), `${f}.map: ${map.sources[0]}`);
    assert.equal(map.sourcesContent[0], src, `${f}.map carries the source`);
  }
  // Text outside ASCII (minus signs, arrows, other scripts) stays UTF-8 in the minified code,
  // not `\u` escapes (esbuild's default, which would weigh more).
  const escapes = (text) => (text.match(/\\u[0-9a-fA-F]{4}|\\u\{/g) ?? []).length;
  let utf8 = 0;
  for (const f of sources) {
    const out = readFileSync(path.join(k.SITE, f), "utf8").replace(/\/\/# sourceMappingURL=.*/, "");
    assert.ok(escapes(out) <= escapes(readFileSync(path.join(k.WEB, f), "utf8")), `${f}: \\u escapes added`);
    if (/[^\x00-\x7f]/.test(out)) utf8 += 1;
  }
  assert.ok(utf8 > 0, "some minified module keeps non-ASCII text as UTF-8");
  // The vendored QR code library keeps its copyright line (MIT).
  assert.match(readFileSync(path.join(k.SITE, "lean-qr.js"), "utf8"), /Copyright \(c\) 2021-2025 David Evans/);
});
