// Measures the web demo: page weight (what a first visit downloads, raw and gzip) and how fast
// the first question is on screen in Chromium with a slowed-down CPU and network.
//
//   NODE_PATH=tools/js/node_modules node web-demo/tests/measure.mjs [--runs N] [--json]
//   NODE_PATH=tools/js/node_modules node web-demo/tests/measure.mjs --visits [--runs N] [--json]
//   node web-demo/tests/measure.mjs --weight [--json]
//
// Weights are of the site users get (`target/site/`, built by `cargo xtask site`: the app's JS
// and CSS minified); `--weight` prints them beside the sources' (unminified) per part, gzip
// level 9 and brotli quality 11, without starting a browser.
//
// `--visits`: the first and the repeat (service worker) visit as served by `cargo xtask serve`
// (brotli/gzip, ETag/304, the pack without LZ4), 4× CPU slowdown, 400 kbit/s, 400 ms round
// trip, N runs each (default 5), median and range of: the time to a usable Start button (the
// attract screen, drawn before the engine is ready), and, with Start tapped as soon as it is
// there, the time to the first question on screen and from the tap to it (the honest time to
// a question: the tap waits for the engine). The Start button is found through the DevTools
// protocol (a small observer in the page), not with playwright's selector engine, whose script
// would otherwise be compiled on the slowed-down page while it starts (`--playwright-wait`:
// the third round's way, for comparison). `--dir DIR` (repeatable): serve built sites as they
// are, visits interleaved (e.g. a site built at an older commit beside the current one).
//
// Not a test (no `.test.` in the name): its numbers go into docs/performance.md ("Web demo").
// The weight is also checked against a budget by weight.test.mjs.

import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as k from "./helpers.mjs";

/** What a first visit downloads (the service worker caches the same list). */
export const FILES = [
  ["index.html", "HTML"],
  ["style.css", "CSS"],
  ["app.js", "JS (app)"],
  ["ui-strings.js", "JS (app)"],
  ["store.js", "JS (app)"],
  ["outbox-core.js", "JS (app)"],
  ["render-step.js", "JS (app)"],
  ["runner.js", "JS (app)"],
  ["lock.js", "JS (app)"],
  ["kiosk.js", "JS (app)"],
  ["sw.js", "JS (app)"],
  ["manifest.webmanifest", "other"],
  ["icon.svg", "other"],
  ["trusted-keys.json", "other"],
  // The interface strings a kiosk visitor sees (`ui-strings.js` fetches them at first paint).
  ["pkg/ui/en.visitor.txt", "interface strings"],
  ["pkg/ui/km.visitor.txt", "interface strings"],
  ["pkg/kru_wasm.js", "JS (engine glue)"],
  ["pkg/kru_wasm_bg.wasm", "WASM (engine)"],
  ["safe-migration.krupack", "pack"],
  // The pack index: the kiosk's attract screen is drawn from it before the engine is ready
  // (each pack's title, languages, hotline and the screen's words; also the staff's chooser).
  ["packs.json", "pack index"],
  ...["broker", "check", "read", "wage", "passport", "hotline"].map((p) => [`media/pictograms/${p}.svg`, "pictograms"]),
  // Loaded by the report screen only, and by the outbox when a record waits and an LRS is set
  // (precached by the service worker for offline use).
  ["pkg/kru_wasm_full.js", "report engine (lazy)"],
  ["pkg/ui/report-en.txt", "report engine (lazy)"],
  ["pkg/ui/report-km.txt", "report engine (lazy)"],
  ["pkg/kru_wasm_full_bg.wasm", "report engine (lazy)"],
  // Imported by the kiosk's result screen only (the take-home card's QR code); precached.
  ["take-home.js", "card QR code (lazy)"],
  ["lean-qr.js", "card QR code (lazy)"],
  ["take-home.css", "card QR code (lazy)"],
  // Imported (`import()`) only when staff or a teacher use their modes: the class and report
  // screens, and the PINs with their dialogs (class setup, the teacher button, the kiosk's staff
  // gesture, the home screen's admin PIN). A kiosk visitor never loads them; precached.
  ["classroom.js", "staff and teacher modes (lazy)"],
  ["home.js", "staff and teacher modes (lazy)"],
  ["report.js", "staff and teacher modes (lazy)"],
  ["pin.js", "staff and teacher modes (lazy)"],
  ["report.css", "staff and teacher modes (lazy)"],
  ["staff.css", "staff and teacher modes (lazy)"],
  ["outbox-screens.js", "staff and teacher modes (lazy)"],
  // The pack chooser (staff and teacher screens only).
  ["packs.js", "staff and teacher modes (lazy)"],
  // The outbox's sending (loaded at start when an LRS is set, and by the staff screens).
  ["outbox.js", "outbox (lazy: when an LRS is set)"],
  // The end-to-end tests' hook, imported only with `?test=1` (precached: the tests run offline too).
  ["test-hook.js", "test hook (lazy, ?test=1)"],
  // Every interface string, fetched by the staff and teacher screens (precached).
  ["pkg/ui/en.txt", "staff and teacher modes (lazy)"],
  ["pkg/ui/km.txt", "staff and teacher modes (lazy)"],
];

const LAZY = ["report engine (lazy)", "card QR code (lazy)", "staff and teacher modes (lazy)", "test hook (lazy, ?test=1)", "outbox (lazy: when an LRS is set)"];

/**
 * The file a site path (`app.js`, `pkg/…`, `media/…`) is served from: in the built site
 * (`from = "site"`, what users get), or in the sources (`"src"`, `cargo xtask serve --src`).
 */
export function fileOf(rel, from = "site") {
  if (from === "site") return path.join(k.SITE, rel);
  if (rel.startsWith("media/")) return path.join(k.MEDIA, rel.slice(6));
  return rel.startsWith("pkg/") ? path.join(k.PKG, rel.slice(4)) : path.join(k.WEB, rel);
}

/**
 * The files of {@link FILES} as `from` has them: the sources as they are; in the site
 * (`cargo xtask site`), the app's modules are bundled into `app.js` and `NAME-HASH.js` chunks, each
 * counted as the kind of the modules it holds (its source map names them; a chunk that holds a
 * module of the first visit counts as the first visit's).
 */
export function filesOf(from = "site") {
  if (from !== "site") return FILES;
  const kindOf = new Map(FILES.map(([rel, kind]) => [rel, kind]));
  const rows = FILES.filter(([rel]) => existsSync(fileOf(rel, from)));
  const chunks = readdirSync(k.SITE).filter((f) => f.endsWith(".js") && !kindOf.has(f));
  for (const file of chunks) {
    const sources = k.sourcesOf(`/${file}`).filter((f) => kindOf.has(f));
    // An entry that only passes a shared chunk on (`import()` of a module in another chunk): named after its module.
    if (!sources.length) sources.push(file.replace(/^(.*)-[A-Z0-9]{8}\.js$/, "$1.js"));
    const kinds = sources.map((f) => kindOf.get(f)).filter(Boolean);
    const kind = kinds.find((x) => !LAZY.includes(x)) ?? kinds[0];
    if (!kind) throw new Error(`${file}: none of its modules (${sources.join(", ")}) is in measure.mjs's FILES`);
    rows.push([file, kind]);
  }
  return rows;
}

/**
 * `{ rows: [{ file, kind, raw, gzip, brotli }], kinds, total, cached }` of the site (or, with
 * `from = "src"`, of the sources); gzip level 9, brotli quality 11 (what `cargo xtask serve`
 * sends).
 */
export function weight(from = "site") {
  const rows = filesOf(from).map(([rel, kind]) => {
    const file = fileOf(rel, from);
    // A compressed answer for a pack is its LZ4-free sibling when there is one (`cargo xtask
    // serve`, docs/performance.md): gzip and brotli are weighed on that; raw is the LZ4 file.
    const served = rel.endsWith(".krupack") && existsSync(`${file}.nolz4`) ? `${file}.nolz4` : file;
    const bytes = readFileSync(served);
    return {
      file: rel, kind, raw: statSync(file).size, gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
    };
  });
  const kinds = {};
  for (const r of rows) {
    kinds[r.kind] ??= { raw: 0, gzip: 0, brotli: 0 };
    kinds[r.kind].raw += r.raw;
    kinds[r.kind].gzip += r.gzip;
    kinds[r.kind].brotli += r.brotli;
  }
  const sum = (rs) => rs.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  // total: what the kiosk's first visit needs; cached: everything the service worker keeps.
  return { rows, kinds, total: sum(rows.filter((r) => !LAZY.includes(r.kind))), cached: sum(rows) };
}

/** Loads the app on a throttled browser: times to the attract screen and the first question. */
async function timing(servers, { cpu, network, warm, gzip = false }) {
  const server = gzip ? servers.gzip : servers.plain;
  const profile = await k.freshProfile({ viewport: { width: 800, height: 1280 } });
  try {
    if (warm) {
      // First visit (unthrottled) fills the service worker's cache; then a new tab.
      const first = await profile.context.newPage();
      await first.goto(`${server.url}?test=1#/kiosk`);
      await first.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
      await first.close();
    }
    const page = await profile.context.newPage();
    const cdp = await profile.context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
    if (network) {
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...network });
    }
    await page.goto(`${server.url}?test=1#/kiosk`);
    await page.waitForSelector("[data-screen=attract]");
    await page.click("[data-start=km]");
    await page.waitForSelector("form.question");
    // The app's own marks (ms since navigation start): playwright's polling on a throttled
    // CPU would add its own delay.
    const m = await page.evaluate(() => {
      // The browser's own marks of the page: its HTML received, parsed.
      const nav = performance.getEntriesByType("navigation")[0];
      return { ...window.__kru.timings(), htmlReceived: nav?.responseEnd, domInteractive: nav?.domInteractive };
    });
    return { attract: m.firstScreen, engine: m.packReady, startToQuestion: m.firstQuestion - m.startTapped };
  } finally {
    await profile.close();
  }
}

/** The report screen on a cached start: it loads the full engine module (cohortReport). */
async function reportTiming(servers, { cpu }) {
  const profile = await k.freshProfile({ viewport: { width: 1100, height: 1280 } });
  try {
    const first = await profile.context.newPage();
    await first.goto(`${servers.plain.url}?test=1#/report`);
    await first.waitForFunction(() => document.documentElement.dataset.offlineReady === "1");
    await first.close();
    const page = await profile.context.newPage();
    const cdp = await profile.context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
    await page.goto(`${servers.plain.url}?test=1#/report`);
    await page.waitForSelector(".report");
    const m = await page.evaluate(() => {
      // The browser's own marks of the page: its HTML received, parsed.
      const nav = performance.getEntriesByType("navigation")[0];
      return { ...window.__kru.timings(), htmlReceived: nav?.responseEnd, domInteractive: nav?.domInteractive };
    });
    return { engine: m.packReady, attract: m.reportDrawn, startToQuestion: NaN };
  } finally {
    await profile.close();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;
  const w = weight();
  const servers = { plain: await k.serve(), gzip: await k.serve({ gzip: true }) };
  // "Slow 3G-ish": 400 kbit/s down, 400 ms round trip; a 4× slower CPU (a cheap tablet).
  const slow3g = { latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };
  const scenarios = [
    ["first visit, 4× CPU, slow 3G, gzip", { cpu: 4, network: slow3g, warm: false, gzip: true }],
    ["first visit, 4× CPU, slow 3G, uncompressed (the dev server)", { cpu: 4, network: slow3g, warm: false }],
    ["first visit, 4× CPU, no network throttling", { cpu: 4, network: null, warm: false }],
    ["later visit (service worker cache), 4× CPU", { cpu: 4, network: null, warm: true }],
    ["later visit (service worker cache), 6× CPU", { cpu: 6, network: null, warm: true }],
    ["report screen, later visit, 4× CPU (first screen = the report, with the full engine)", { cpu: 4, report: true }],
  ];
  const results = [];
  try {
    for (const [name, opts] of scenarios) {
      const samples = [];
      for (let i = 0; i < runs; i += 1) samples.push(await (opts.report ? reportTiming : timing)(servers, opts));
      results.push({
        name,
        attract: median(samples.map((s) => s.attract)),
        engine: median(samples.map((s) => s.engine)),
        startToQuestion: median(samples.map((s) => s.startToQuestion)),
      });
    }
  } finally {
    await servers.plain.close();
    await servers.gzip.close();
  }
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ weight: w, timing: results }, null, 2));
    return;
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log("| file | kind | raw | gzip |\n|---|---|---:|---:|");
  for (const r of w.rows) console.log(`| ${r.file} | ${r.kind} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
  console.log(`| **total (first visit, kiosk)** | | **${kb(w.total.raw)}** | **${kb(w.total.gzip)}** |`);
  console.log(`| **cached for offline (with the report engine)** | | **${kb(w.cached.raw)}** | **${kb(w.cached.gzip)}** |\n`);
  console.log("| kind | raw | gzip |\n|---|---:|---:|");
  for (const [kind, v] of Object.entries(w.kinds)) console.log(`| ${kind} | ${kb(v.raw)} | ${kb(v.gzip)} |`);
  console.log(`\n| scenario (median of ${runs}) | engine + pack ready | attract screen | tap Start → first question |\n|---|---:|---:|---:|`);
  for (const r of results) {
    const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : "–");
    console.log(`| ${r.name} | ${ms(r.engine)} | ${ms(r.attract)} | ${ms(r.startToQuestion)} |`);
  }
}

/**
 * Starts `cargo xtask serve --port 0 --quiet` (the demo as the project serves it: brotli or
 * gzip, ETag/304, the pack's LZ4-free form for compressed answers); `{ url, close() }`.
 */
async function xtaskServer(dir = null) {
  const args = ["xtask", "serve", "--port", "0", "--quiet", ...(dir ? ["--dir", dir] : [])];
  const child = spawn("cargo", args, { cwd: k.ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`cargo xtask serve exited (${code})`)));
  });
  return { url, close: async () => { child.kill("SIGTERM"); } };
}

/**
 * One visit of `url` on a throttled browser (`cpu`× slower CPU, `network` shaping); with
 * `repeat`, an unthrottled first visit fills the service worker's cache first and the timed
 * visit is a new tab of the same profile. Start is tapped as soon as it is on screen (before
 * the engine is ready, when the attract screen is drawn first), then the script waits for the
 * first question. Returns the app's own marks (ms since navigation start): `start` the usable
 * Start button drawn (`earlyScreen`, else `firstScreen`), `engine` the engine and the pack ready,
 * `question` the first question drawn, `tapToQuestion` from the app's own mark of the tap to
 * the first question; and the bytes received over the network (encoded, headers included).
 */
async function visit(url, { cpu, network, repeat, playwrightWait = false }) {
  const profile = await k.freshProfile({ viewport: { width: 1024, height: 768 } });
  try {
    if (repeat) {
      const first = await profile.context.newPage();
      await first.goto(`${url}?test=1#/kiosk`);
      await first.waitForFunction(() => document.documentElement.dataset.offlineReady === "1", null, { timeout: 120_000 });
      await first.close();
    }
    const page = await profile.context.newPage();
    const cdp = await profile.context.newCDPSession(page);
    await cdp.send("Network.enable");
    let bytes = 0;
    cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...network });
    let retried = false;
    if (playwrightWait) {
      // The third round's way: playwright's own wait and click, whose injected script (compiled
      // on the slowed-down main thread) may land before the attract screen.
      await page.goto(`${url}?test=1#/kiosk`, { timeout: 120_000 });
      await page.click("[data-screen=attract] [data-start=km]:not([disabled])", { timeout: 120_000 });
    } else {
      await page.goto(`${url}?test=1#/kiosk`, { timeout: 120_000, waitUntil: "commit" });
      // The Start button, tapped at once (a tap before the engine is ready is kept: kiosk.js),
      // found by a small observer of the page's own (DevTools protocol), not by playwright's
      // selector engine, whose large script would be compiled on the page's slowed-down main
      // thread while the app starts, and delay what is measured.
      const { x, y } = await startButton(cdp);
      await page.mouse.click(x, y);
      // Taken (the button waits for the engine, or the visit has started)? Else (the screen
      // moved under the tap) tapped again the usual way; the app marks when the tap came.
      const taken = () => document.querySelector("[data-start][aria-busy=true], form.question") || document.body.dataset.screen === "quiz";
      retried = !(await page.waitForFunction(taken, null, { timeout: 10_000 }).then(() => true, () => false));
      if (retried) await page.click("[data-screen=attract] [data-start=km]:not([disabled])", { timeout: 120_000 });
    }
    await page.waitForSelector("form.question", { timeout: 120_000 });
    await page.waitForFunction(() => document.body.dataset.booted === "1", null, { timeout: 120_000 });
    const m = await page.evaluate(() => {
      // The browser's own marks of the page: its HTML received, parsed.
      const nav = performance.getEntriesByType("navigation")[0];
      return { ...window.__kru.timings(), htmlReceived: nav?.responseEnd, domInteractive: nav?.domInteractive };
    });
    return {
      start: m.earlyScreen ?? m.firstScreen,
      engine: m.packReady,
      question: m.firstQuestion,
      tapToQuestion: m.firstQuestion - m.startTapped,
      marks: m,
      retried,
      bytes,
    };
  } finally {
    await profile.close();
  }
}

/** The script `startButton` runs in the page: resolves with the Khmer Start button's centre. */
const START_BUTTON = `new Promise((resolve) => {
  const found = () => {
    const b = document.querySelector("[data-screen=attract] [data-start=km]:not([disabled])");
    if (!b) return false;
    const r = b.getBoundingClientRect();
    resolve({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
    return true;
  };
  if (!found()) new MutationObserver((_, o) => { if (found()) o.disconnect(); }).observe(document, { childList: true, subtree: true });
})`;

/**
 * The centre of the attract screen's Start button once it is in the page (ms from
 * navigation), through the DevTools protocol; tried again when the page's context changes
 * under it (the navigation had just committed).
 */
async function startButton(cdp) {
  for (let attempt = 0; ; attempt += 1) {
    const r = await cdp.send("Runtime.evaluate", { expression: START_BUTTON, awaitPromise: true, returnByValue: true, timeout: 120_000 }).catch((e) => ({ failed: e }));
    if (r.result?.value) return r.result.value;
    if (attempt >= 20) throw new Error(`no Start button: ${r.failed ?? JSON.stringify(r.exceptionDetails ?? r)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function visits() {
  const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
  // The profile above: 400 kbit/s both ways, 400 ms round trip, a 4× slower CPU.
  const slow3g = { latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
  // `--dir DIR` (repeatable): serve these built sites as they are (`cargo xtask serve --dir`),
  // e.g. a build of an older commit beside the current one, visits interleaved; without it the
  // current sources, built by `cargo xtask serve`.
  const dirs = process.argv.flatMap((a, i) => (a === "--dir" ? [process.argv[i + 1]] : []));
  const playwrightWait = process.argv.includes("--playwright-wait");
  const servers = [];
  const samples = {};
  try {
    for (const dir of dirs.length ? dirs : [null]) servers.push({ name: dir ? path.basename(dir) : null, ...(await xtaskServer(dir)) });
    // One untimed visit first: the server compresses each file at its first request (brotli
    // quality 11) and keeps the result; a deployed server has done that long before.
    for (const server of servers) await visit(server.url, { cpu: 1, network: { latency: 0, downloadThroughput: -1, uploadThroughput: -1 }, repeat: false });
    // Interleaved, so that a busy minute on the machine touches both (and every site).
    // `--only first|repeat`: one kind of visit.
    const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
    for (let i = 0; i < runs; i += 1) {
      for (const server of servers) {
        const label = (kind) => (server.name ? `${kind}, ${server.name}` : kind);
        for (const kind of ["first", "repeat"]) {
          if (only && only !== kind) continue;
          (samples[label(kind)] ??= []).push(await visit(server.url, { cpu: 4, network: slow3g, repeat: kind === "repeat", playwrightWait }));
        }
      }
    }
  } finally {
    for (const server of servers) await server.close();
  }
  const stat = (xs) => {
    const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
    return { median: median(s), min: s[0], max: s[s.length - 1] };
  };
  const keys = ["start", "engine", "question", "tapToQuestion", "bytes"];
  const result = Object.fromEntries(Object.entries(samples).filter(([, xs]) => xs.length).map(([name, xs]) => [name, {
    ...Object.fromEntries(keys.map((key) => [key, stat(xs.map((x) => x[key]))])), runs: xs,
  }]));
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const s = (x) => `${(x / 1000).toFixed(2)} s`;
  const range = (r) => `${s(r.median)} (${s(r.min)}–${s(r.max)})`;
  console.log(`| visit (cargo xtask serve, 4× CPU, 400 kbit/s, 400 ms RTT; median of ${runs}, range) | usable Start button | Start tapped at once: first question | tap → first question | engine + pack ready | bytes received |\n|---|---:|---:|---:|---:|---:|`);
  for (const [name, r] of Object.entries(result)) {
    console.log(`| ${name} | ${range(r.start)} | ${range(r.question)} | ${range(r.tapToQuestion)} | ${s(r.engine.median)} | ${(r.bytes.median / 1024).toFixed(1)} KB |`);
  }
}

/** The parts of a kiosk visitor's first visit, as the docs report them. */
export const PARTS = [
  ["HTML", ["HTML"]],
  ["CSS", ["CSS"]],
  ["app JS", ["JS (app)"]],
  ["manifest, icon, keys", ["other"]],
  ["the visitor's words", ["interface strings"]],
  ["engine", ["JS (engine glue)", "WASM (engine)"]],
  ["pack (raw: the LZ4 file; gzip, brotli: its LZ4-free form, as served)", ["pack"]],
  ["pictograms", ["pictograms"]],
];

/** The app itself on a kiosk visitor's path (what weight.test.mjs budgets): HTML, CSS, JS, other, words. */
export const APP_KINDS = ["HTML", "CSS", "JS (app)", "other", "interface strings"];

/** `--weight`: the first visit's bytes per part, sources (unminified) and site (minified). */
function weights() {
  const src = weight("src");
  const site = weight("site");
  const part = (w, kinds) => w.rows.filter((r) => kinds.includes(r.kind) && !r.kind.includes("lazy"))
    .reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const parts = [...PARTS, ["**app (HTML + CSS + JS + other + words)**", APP_KINDS], ["**total, first visit**", [...new Set(PARTS.flatMap(([, ks]) => ks))]]]
    .map(([name, kinds]) => ({ name, src: part(src, kinds), site: part(site, kinds) }));
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ parts, src, site }, null, 2));
    return;
  }
  console.log("| part | raw, sources | raw, site | gzip, sources | gzip, site | brotli, sources | brotli, site |\n|---|---:|---:|---:|---:|---:|---:|");
  for (const p of parts) {
    console.log(`| ${p.name} | ${p.src.raw} | ${p.site.raw} | ${p.src.gzip} | ${p.site.gzip} | ${p.src.brotli} | ${p.site.brotli} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await (process.argv.includes("--visits") ? visits() : process.argv.includes("--weight") ? weights() : main());
}
