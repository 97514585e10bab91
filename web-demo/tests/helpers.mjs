// Shared pieces of the web demo's end-to-end tests (node --test, playwright-core, Chromium).
//
// `cargo xtask test` sets NODE_PATH to tools/js/node_modules (playwright-core, axe-core),
// KRU_ROOT, KRU_CHROMIUM and KRU_SITE. The tests serve the demo themselves with the tiny
// static server below, so that a test can stop the server (offline) or serve a tampered pack
// in place of the real one. What they serve is the site users get: `target/site/` (KRU_SITE),
// the app minified with the engine at pkg/ and the pack's media at media/, which
// `cargo xtask site` (and the web-e2e and web-lrs steps) rebuild from the sources.

import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setBuiltinStrings } from "../ui-strings.js";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const ROOT = process.env.KRU_ROOT ?? path.resolve(here, "../..");
/** The app's sources (what is edited; the tests serve {@link SITE}). */
export const WEB = path.join(ROOT, "web-demo");
/** The deployable site built from the sources by `cargo xtask site`: what the tests serve. */
export const SITE = process.env.KRU_SITE ?? path.join(process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, "target"), "site");
export const PKG = path.join(ROOT, "bindings-wasm/pkg");
export const PKG_NODE = path.join(ROOT, "bindings-wasm/pkg-node");
export const CHROMIUM = process.env.KRU_CHROMIUM ?? "/usr/bin/chromium";
export const RESULTS = path.join(WEB, "test-results");
export const PACK = path.join(WEB, "safe-migration.krupack");
/** The pack's folder, whose media the site serves at /media/ (`cargo xtask serve --src` serves it there). */
export const MEDIA = path.join(ROOT, "content-packs/safe-migration");

/** Generous timeouts: the tests must pass on a slow 2-core machine. */
export const TIMEOUT = 60_000;

function resolveTool(name) {
  try {
    return require.resolve(name);
  } catch {
    // Without NODE_PATH (running `node --test` by hand): the pinned tooling in tools/js.
    return require.resolve(name, { paths: [path.join(ROOT, "tools/js/node_modules")] });
  }
}

export const { chromium } = require(resolveTool("playwright-core"));
export const AXE = path.join(path.dirname(resolveTool("axe-core")), "axe.min.js");

/**
 * The engine for Node.js (to read logs and check packs from the test side), whether its glue
 * is CommonJS or an ES module.
 */
export async function nodeEngine() {
  const m = await import(pathToFileURL(path.join(PKG_NODE, "kru_wasm.js")).href);
  return typeof m.Pack === "function" ? m : m.default;
}

/** The full engine module for Node.js: the main one plus reading logs (`readLog`) and the report. */
export async function nodeFullEngine() {
  const m = await import(pathToFileURL(path.join(PKG_NODE, "kru_wasm_full.js")).href);
  return typeof m.Pack === "function" ? m : m.default;
}

/** Fails early, with what to run, when the demo is not built. */
export function requireBuilt() {
  const missing = [PACK, path.join(WEB, "trusted-keys.json"), path.join(PKG, "kru_wasm_bg.wasm"), path.join(PKG, "kru_wasm_full_bg.wasm"), path.join(PKG_NODE, "kru_wasm.js"),
    path.join(SITE, "index.html"), path.join(SITE, "app.js"), path.join(SITE, "pkg/kru_wasm_bg.wasm"), path.join(SITE, "safe-migration.krupack")]
    .filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(`not built: ${missing.map((p) => path.relative(ROOT, p)).join(", ")} (run \`cargo xtask demo --no-serve\`, or \`cargo xtask site\` after changing the app)`);
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ogg": "audio/ogg",
  ".wasm": "application/wasm",
  ".krupack": "application/octet-stream",
  ".ts": "text/plain; charset=utf-8",
};

/**
 * The source files behind a path of the site (`/chunks/kiosk-HASH.js`): the file names in its
 * source map (`FILE.map` beside it) when it has one, else its own name.
 */
export function sourcesOf(pathname) {
  const file = path.join(SITE, decodeURIComponent(pathname).replace(/^\/+/, ""));
  const own = [pathname.replace(/^.*\//, "")];
  if (!file.startsWith(SITE) || !existsSync(`${file}.map`)) return own;
  try {
    return JSON.parse(readFileSync(`${file}.map`, "utf8")).sources.map((s) => s.replace(/^.*\//, ""));
  } catch {
    return own;
  }
}

/**
 * Serves the site ({@link SITE}) on 127.0.0.1 (a free port). `overrides` maps URL paths (e.g.
 * `/safe-migration.krupack`) to bytes served instead of the file; `gzip` compresses responses
 * for clients that accept it (as a production web server would).
 * Returns `{ url, requests, close() }`; `close` also drops kept-alive connections.
 */
export async function serve({ overrides = {}, gzip = false } = {}) {
  const sockets = new Set();
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    requests.push(url.pathname);
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      const headers = { "Content-Type": type, "Cache-Control": "no-cache" };
      if (gzip && /gzip/.test(req.headers["accept-encoding"] ?? "") && body.length > 512) {
        body = gzipSync(body, { level: 9 });
        headers["Content-Encoding"] = "gzip";
        headers.Vary = "Accept-Encoding";
      }
      headers["Content-Length"] = body.length;
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, Buffer.from("405\n"));
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(400, Buffer.from("400\n"));
    }
    if (overrides[pathname]) return send(200, Buffer.from(overrides[pathname]), TYPES[path.extname(pathname)] ?? "application/octet-stream");
    let file = path.resolve(SITE, pathname.slice(1) || "index.html");
    if (!file.startsWith(SITE)) return send(403, Buffer.from("403\n"));
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!existsSync(file)) return send(404, Buffer.from("404\n"));
    return send(200, readFileSync(file), TYPES[path.extname(file)] ?? "application/octet-stream");
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Chromium headless with the flags from /work/shared/TOOLCHAIN.md. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--font-render-hinting=none", ...args],
    timeout: TIMEOUT,
  });
}

/**
 * A fresh browser profile (persistent context in a new temporary user-data-dir): service
 * workers, IndexedDB and caches start empty and survive reloads, like on a tablet.
 */
export async function freshProfile({ viewport = { width: 1024, height: 768 }, args = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "kru-e2e-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    acceptDownloads: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--font-render-hinting=none", ...args],
    timeout: TIMEOUT,
  });
  context.setDefaultTimeout(TIMEOUT);
  const errors = [];
  context.on("weberror", (e) => errors.push(String(e.error())));
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  return { context, errors, close, dir };
}

/** Opens the app (`?query#hash`) and waits until it has booted (engine and pack loaded). */
export async function open(context, url, { query = "test=1", hash = "" } = {}) {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${url}?${query}${hash}`);
  await page.waitForFunction(() => document.body.dataset.booted === "1" || ["refused", "failed"].includes(document.body.dataset.state));
  return page;
}

/** Saves a screenshot of the whole page as web-demo/test-results/NAME.png. */
export async function shot(page, name) {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core; returns its violations of any impact (empty = pass). */
export async function axe(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
  return result;
}

/** The sequence number of screens shown (see app.bump). */
export async function seq(page) {
  return page.evaluate(() => Number(document.body.dataset.seq ?? 0));
}

/** Waits for the next screen after `before`. */
export async function nextScreen(page, before) {
  await page.waitForFunction((s) => Number(document.body.dataset.seq ?? 0) > s, before);
}

/** Clicks and waits for the next screen. */
export async function clickAndWait(page, selector) {
  const before = await seq(page);
  await page.click(selector);
  await nextScreen(page, before);
}

/** Selects `value` in a select and waits for the next screen. */
export async function selectAndWait(page, selector, value) {
  const before = await seq(page);
  await page.selectOption(selector, value);
  await nextScreen(page, before);
}

/** Typed answers the tests know (the engine grades them; the hook tries these). */
export const TEXTS = ["1288", "3", "200", "passport", "លិខិតឆ្លងដែន", "ໜັງສືຜ່ານແດນ"];

/** The current step as the engine gives it (null when no quiz is running). */
export async function step(page) {
  return page.evaluate(() => window.__kru.step());
}

/** Puts `answer` (an engine Answer) into the question on screen, through the UI. */
export async function fillAnswer(page, answer) {
  const q = "form.question";
  // An option is chosen by a tap in its middle, as a person does; the option must then be checked.
  const choose = async (value) => {
    const option = `${q} label[data-option="${value}"]`;
    await page.click(option);
    if (!(await page.isChecked(`${option} input`))) throw new Error(`a tap in the middle of ${option} did not choose it`);
  };
  if ("choice" in answer) await choose(answer.choice);
  else if ("scale" in answer) await choose(answer.scale);
  else if ("trueFalse" in answer) await choose(answer.trueFalse);
  else if ("choices" in answer) for (const c of answer.choices) await choose(c);
  else if ("order" in answer) for (const o of answer.order) await page.click(`${q} .order-pool [data-option="${o}"]`);
  else if ("matches" in answer) {
    for (const [j, m] of answer.matches.entries()) await page.selectOption(`${q} select[data-left="${j}"]`, String(m));
  } else if ("text" in answer) await page.fill(`${q} .text-answer`, answer.text);
}

/** Answers the question on screen right (or wrong) through the UI and submits it. */
export async function answer(page, { wrong = false } = {}) {
  const a = await page.evaluate((o) => window.__kru.solve(o), { wrong, texts: TEXTS });
  if (!a) throw new Error(`no ${wrong ? "wrong" : "right"} answer found for ${JSON.stringify(await step(page))}`);
  await fillAnswer(page, a);
  await clickAndWait(page, "form.question [data-action=submit]");
  return a;
}

/**
 * Walks the running journey to its end through the UI.
 * plan: { right(step) → bool, intake: { field: code }, onStep(step, page)?,
 *         answer(step, page)? → true when it answered the question itself }
 */
export async function walk(page, plan = {}) {
  const right = plan.right ?? (() => true);
  for (let guard = 0; guard < 400; guard += 1) {
    const st = await step(page);
    if (!st) return;
    if (plan.onStep) await plan.onStep(st, page);
    if ((await step(page)) === null) return;
    switch (st.kind) {
      case "question":
        if (!(plan.answer && (await plan.answer(st, page)))) await answer(page, { wrong: !right(st) });
        break;
      case "intake": {
        const code = plan.intake?.[st.field];
        if (code !== undefined && st.options.length) {
          await page.click(`form.intake [data-option="${code}"]`);
          await clickAndWait(page, "form.intake [data-action=submit]");
        } else if (code !== undefined) {
          await page.fill("form.intake .text-answer", code);
          await clickAndWait(page, "form.intake [data-action=submit]");
        } else {
          await clickAndWait(page, "form.intake [data-action=skip]");
        }
        break;
      }
      case "story":
        if (st.choices.length) await clickAndWait(page, `.story [data-option="${plan.storyChoice ?? 1}"]`);
        else await clickAndWait(page, "[data-action=advance]");
        break;
      default:
        await clickAndWait(page, "[data-action=advance]");
    }
  }
  throw new Error("journey did not end");
}

/** The teacher PIN the tests give their class sessions. */
export const PIN = "2468";

/** Starts a class session from the class list screen (`#/class`), teacher PIN included. */
export async function newClass(page, { school = "School", klass = "7B", date = null, pin = PIN } = {}) {
  await page.waitForSelector("form[data-form=new-class]");
  await page.fill("input[name=school]", school);
  await page.fill("input[name=class]", klass);
  if (date) await page.fill("input[name=date]", date);
  await page.fill("input[name=pin]", pin);
  await clickAndWait(page, "form[data-form=new-class] button[type=submit]");
  await page.waitForSelector("form[data-form=learner]");
}

/** Types `pin` into the PIN dialog and confirms. */
export async function typePin(page, pin) {
  await page.waitForSelector("#pin-dialog[open]");
  await page.fill("#pin-input", pin);
  await page.click("#pin-dialog [data-pin-ok]");
}

/** The staff gesture: press and hold the logo in the top bar for three seconds. */
export async function holdLogo(page, ms = 3300) {
  const box = await page.locator("[data-brand] .logo").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(ms);
  await page.mouse.up();
}

/** Leaves kiosk mode as staff do (the gesture, then the admin PIN or the confirmation). */
export async function leaveKiosk(page, { pin = null } = {}) {
  await holdLogo(page);
  if (pin) await typePin(page, pin);
  else {
    await page.waitForSelector("#confirm-dialog[open]");
    await page.click("#confirm-dialog [data-confirm-yes]");
  }
  await page.waitForFunction(() => location.hash === "#/" && document.body.dataset.mode === "home");
}

/** Leaves a class's learner screen as the teacher (the Teacher button and the PIN). */
export async function teacherUnlock(page, pin = PIN) {
  await page.click("[data-teacher-unlock]");
  await typePin(page, pin);
  await page.waitForSelector("form[data-form=new-class]");
}

/** Reads the results logs and snapshot kept in IndexedDB. */
export async function stored(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open("kru-demo");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = (name) => new Promise((resolve) => {
      if (!db.objectStoreNames.contains(name)) return resolve([]);
      const r = db.transaction(name).objectStore(name).getAll();
      r.onsuccess = () => resolve(r.result);
    });
    const logs = (await all("logs")).map((l) => ({ id: l.id, bytes: Array.from(new Uint8Array(l.bytes)) }));
    const snapshots = (await all("snapshots")).map((s) => ({ slot: s.slot, meta: s.meta }));
    const classes = await all("classes");
    db.close();
    return { logs, snapshots, classes };
  });
}

/** The records of a log kept by the page, read with the engine for Node.js. */
export async function records(page, id) {
  const { logs } = await stored(page);
  const log = logs.find((l) => l.id === id);
  if (!log) return [];
  return (await nodeFullEngine()).readLog(Uint8Array.from(log.bytes)).records;
}

export { path, readFileSync };

/**
 * Reads the engine's built-in English and Khmer catalogues into `ui-strings.js`, so that a
 * test's expected texts are the ones the app reads through the engine.
 */
export function useBuiltinStrings() {
  setBuiltinStrings(["en", "km"].map((tag) => [tag, readFileSync(path.join(PKG, "ui", `${tag}.txt`), "utf8")]));
}
