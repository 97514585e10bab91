// kru web demo: boots the engine (WebAssembly, from /pkg/), loads and verifies the content
// pack against the trusted keys, resumes a quiz that was running, and routes between the
// modes: kiosk (#/kiosk), class (#/class, #/class/<id>) and report (#/report), and the
// settings of the outbox (#/settings, results sent to an LRS; outbox.js).
//
// URL parameters: ?pack=ID (the device's pack from now on; packs.js), ?lang=TAG (first language), ?idle=SECONDS and ?warn=SECONDS (kiosk
// idle reset, default 90 and 20), ?test=1 (exposes window.__kru for the end-to-end tests),
// ?preview=1 (served by `kru preview`: the unsigned preview pack, a PREVIEW banner with the
// validator's messages, and nothing saved: no results log, no snapshot, no outbox, no
// service worker).

import { errorText, loadBuiltinStrings, num as fmtNum, t as translate, useCatalogue, useEarlyStrings, useNumerals } from "./ui-strings.js";
import { h, loadStyle, stopAudio } from "./render-step.js";
import * as store from "./store.js";
import * as lock from "./lock.js";

const params = new URLSearchParams(location.search);
const PREVIEW = params.get("preview") === "1";
/** The pack a device runs until staff choose another (packs.js). */
export const DEFAULT_PACK = "safe-migration";
const PACK_KEY = "kru-pack";
const isPackId = (s) => /^[a-z0-9-]{1,64}$/.test(s ?? "");
const packUrl = (id) => (PREVIEW ? "preview/pack.krupack" : `${id}.krupack`);
const KEYS_URL = "trusted-keys.json";
const ENGINE_URL = "./pkg/kru_wasm.js";
// The main module is built with WebAssembly SIMD, which every browser whose WebCrypto has
// Ed25519 (which it needs too) has: where SIMD is missing the full module runs the app. This
// is the smallest module with a SIMD instruction (`i8x16.popcnt` of a splat), which a browser
// without SIMD refuses to validate.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
// The engine with the analysis functions (cohortReport, mergeLogs): only the report needs it,
// so it is loaded when the report is opened, not on the kiosk's path.
const FULL_ENGINE_URL = "./pkg/kru_wasm_full.js";
// The engine's built-in interface strings (data next to the module): fetched at once, read
// through the engine once it is loaded (ui-strings.js). At first only the ids a kiosk visitor
// sees; every screen but the kiosk's loads them all first (`allStrings`).
const builtinStrings = loadBuiltinStrings("./pkg/ui/", ".visitor");
builtinStrings.catch((e) => console.warn("interface strings", e));
let everyString = null;

/**
 * Starts the outbox (outbox.js: sends the results to an LRS in the background). At start only
 * when an LRS is set (a kiosk without one never loads it); staff and teacher screens always.
 */
function startOutbox() {
  return import("./outbox.js").then((o) => o.start(app)).catch((e) => console.warn("outbox", e));
}

/** Loads every built-in interface string (staff and teacher screens), once. */
async function allStrings() {
  everyString ??= loadBuiltinStrings("./pkg/ui/").then(() => {
    useCatalogue(app.engine, app.pack);
    applyLanguage();
  });
  try {
    await everyString;
  } catch (e) {
    everyString = null;
    throw e;
  }
}

const LANG_KEY = "kru-lang";
function saved(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function keep(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // not kept: fine
  }
}
if (isPackId(params.get("pack"))) keep(PACK_KEY, params.get("pack"));
const chosenPack = isPackId(saved(PACK_KEY)) ? saved(PACK_KEY) : DEFAULT_PACK;
store.usePack(chosenPack, DEFAULT_PACK);

const app = {
  allStrings,
  // ?lang=, the last language chosen, else the pack's first (checked once it is loaded).
  lang: params.get("lang") || saved(LANG_KEY) || "km",
  /** `pack.languages()` and their tags. */
  languages: [],
  langs: [],
  packId: chosenPack,
  choosePack(id) {
    keep(PACK_KEY, id === DEFAULT_PACK ? null : id);
  },
  params: {
    test: params.get("test") === "1",
    idle: Number(params.get("idle")) > 0 ? Number(params.get("idle")) : 90,
    warn: Number(params.get("warn")) > 0 ? Number(params.get("warn")) : 20,
  },
  engine: null,
  pack: null,
  /** The full engine module and the pack loaded in it, once `analysis()` has loaded them. */
  full: null,
  runner: null,
  main: document.getElementById("main"),
  view: null,
  // The app's marks (ms since navigation start; `measure.mjs` reads them): `appStart` this
  // module running, `earlyScreen` the attract screen drawn before the engine, `engineImported`,
  // `engineCompiled`, `engineReady`, `packFetched`, `packLoaded`, `packReady`, `firstScreen`,
  // `startTapped`, `firstQuestion`.
  timings: { navStart: performance.timeOrigin, appStart: performance.now() },
  labelCache: new Map(),
  onLanguage: null,
  onLeave: null,

  t: (key, vars) => translate(app.lang, key, vars),
  /** An engine error as the learner reads it: the catalogue's message for its code. */
  errorText: (e) => errorText(app.lang, e),
  num: (n, d) => fmtNum(app.lang, n, d),

  /** The engine's language preference list for `lang`: that language, then the others. */
  preferred(lang) {
    return [lang, ...app.langs.filter((l) => l !== lang)];
  },

  /** The pack's journey for a mode (`kiosk`, `school`): of that id, else its first. */
  journeyFor(mode) {
    const list = app.journeys(app.lang);
    return (list.find((j) => j.id === mode) ?? list[0])?.id;
  },

  /** The kiosk's log and snapshot slot: `kiosk` (default pack), `kiosk:<id>` (another). */
  kioskPlace() {
    const id = app.pack?.id ?? app.packId;
    return id === DEFAULT_PACK ? "kiosk" : `kiosk:${id}`;
  },

  /** A start tapped on the attract screen before the engine was ready: `{ lang, at }` (kiosk.js). */
  pendingStart: null,
  /** How many kiosk visits this page has started (the tests check a double tap starts one). */
  visitsStarted: 0,

  /** A phase's title in the current language. */
  phaseTitle(journey, phase) {
    const list = app.journeys(app.lang);
    return list.find((j) => j.id === journey)?.phases.find((p) => p.id === phase)?.title ?? "";
  },

  journeys(lang) {
    const key = `journeys:${lang}`;
    if (!app.labelCache.has(key)) app.labelCache.set(key, app.pack.journeys(app.preferred(lang)));
    return app.labelCache.get(key);
  },

  /**
   * What the pack offers (intake questions, objectives, items, help resources, the reference
   * card), texts in `lang`: `pack.catalogue()` of the full engine module, so only once
   * `app.analysis()` has loaded it (the report does); null before, or without a full module.
   */
  catalogue(lang = app.lang) {
    if (!app.full) return null;
    const key = `catalogue:${lang}`;
    if (!app.labelCache.has(key)) app.labelCache.set(key, app.full.pack.catalogue(Date.now(), app.preferred(lang)));
    return app.labelCache.get(key);
  },

  /** Replaces the main view. `running` marks a quiz in progress (for styles and the kiosk). */
  setView(node, { running = false } = {}) {
    stopAudio();
    app.main.replaceChildren(node);
    document.body.dataset.running = running ? "1" : "0";
    app.view = node;
    // A quiz counts its screens itself (after the step is drawn).
    if (!running) app.bump();
  },

  /**
   * Shows an error under the screen: the catalogue's message for its code, in the learner's
   * language; the engine's English message (for staff) goes to the console and under
   * "Technical detail".
   */
  error(e) {
    const p = h("div", { class: "form-error", role: "alert", "data-code": e?.code ?? "other" },
      h("p", {}, app.errorText(e)),
      h("details", {}, h("summary", {}, app.t("refusedDetail")), h("p", { lang: "en" }, String(e?.message ?? e))));
    app.main.append(p);
  },

  /**
   * The records, damage and undecodable frames of a results log (`readLog`). Reading logs is
   * in the full engine module, which a kiosk visitor's path never loads (it only appends:
   * `appendOffset` and each record's `bytes`); the class and outbox screens load it here.
   */
  async readLog(bytes) {
    const full = await app.analysis();
    if (!full) throw new Error("reading results logs needs the full engine module (pkg/kru_wasm_full.js)");
    return full.engine.readLog(bytes);
  },

  /**
   * The full engine module with the pack loaded in it: `{ engine, pack }`, or null when this
   * build of the package has no full module.
   */
  analysis() {
    app.fullPromise ??= (async () => {
      try {
        const engine = await import(FULL_ENGINE_URL);
        await engine.default();
        const pack = await engine.Pack.open(app.packRaw, { trustedKeys: app.trustedKeys });
        app.full = { engine, pack };
        return app.full;
      } catch (e) {
        console.warn("no full engine module", e);
        return null;
      }
    })();
    return app.fullPromise;
  },

  /** Counts screens shown (tests wait for it to change instead of sleeping). */
  seq: 0,
  bump() {
    app.seq += 1;
    document.body.dataset.seq = String(app.seq);
  },
};

// ------------------------------------------------------------------------------------------
// Language

function applyLanguage() {
  document.documentElement.lang = app.lang;
  // Right to left for an Arabic or Urdu pack language: the direction comes from the engine
  // (before it is loaded, from the pack index, which the engine's pack information wrote).
  const info = app.languages.find((l) => l.tag === app.lang);
  document.documentElement.dir = info?.dir ?? "ltr";
  document.title = `${app.t("appName")} · ${app.t("appTagline")}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = app.t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", app.t(el.dataset.i18nLabel));
  for (const b of document.querySelectorAll(".lang-switch button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === app.lang));
  }
  updateOfflineStatus();
  const area = document.getElementById("notice-area");
  if (area?.dataset.key) {
    area.querySelector("[data-notice-key] span").textContent = app.t(area.dataset.key);
    area.querySelector("[data-action=dismiss-notice]").textContent = app.t("noticeOk");
  }
}

export async function setLanguage(lang, { rerender = true } = {}) {
  if (!app.langs.includes(lang)) return;
  app.lang = lang;
  keep(LANG_KEY, lang);
  applyLanguage();
  if (!rerender) return;
  if (app.runner && !app.runner.ended) await app.runner.setLanguage();
  else if (app.onLanguage) await app.onLanguage();
}
app.setLanguage = setLanguage;

function buildLanguageSwitch() {
  const nav = document.querySelector(".lang-switch");
  nav.replaceChildren(
    ...app.languages.map((l) =>
      h("button", {
        type: "button", lang: l.tag, "data-lang": l.tag, "aria-pressed": String(l.tag === app.lang),
        onclick: () => setLanguage(l.tag),
      }, l.name)),
  );
}

// ------------------------------------------------------------------------------------------
// Boot

function hexToBytes(hex) {
  const clean = String(hex).replace(/\s+/g, "");
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw new Error(`not a 32-byte hex key: ${hex}`);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i += 1) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function fetchBytes(url, { priority = "auto" } = {}) {
  const r = await fetch(url, { priority });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  // In preview, which build of the pack this is (kru preview reloads the page on a new one).
  app.previewBuild = Number(r.headers.get("X-Kru-Build")) || 0;
  return new Uint8Array(await r.arrayBuffer());
}

function showRefusal(e) {
  const code = e?.code ?? "pack-error";
  const box = h(
    "section",
    { class: "refusal", role: "alert", "data-code": code },
    h("h1", { tabindex: "-1" }, app.t("refusedTitle")),
    h("p", { class: "lead" }, app.t("refusedBody")),
    h("h2", { lang: app.lang === "km" ? "en" : "km" }, translate(app.lang === "km" ? "en" : "km", "refusedTitle")),
    // The refusal in both languages: whoever is at the screen can read it.
    app.lang === "km" ? h("p", { lang: "en" }, translate("en", "refusedBody")) : h("p", { lang: "km" }, translate("km", "refusedBody")),
    h("details", {}, h("summary", {}, app.t("refusedDetail")), h("p", {}, h("code", {}, code), " ", String(e?.message ?? e))),
  );
  app.setView(box);
  document.body.dataset.state = "refused";
  box.querySelector("h1").focus();
  app.onLanguage = async () => showRefusal(e);
}

function showLoadFailure(e) {
  const box = h(
    "section",
    { class: "refusal", role: "alert", "data-code": "load-failed" },
    h("h1", { tabindex: "-1" }, app.t("loadFailedTitle")),
    h("p", { class: "lead" }, app.t("loadFailedBody")),
    h("details", {}, h("summary", {}, app.t("refusedDetail")), h("p", {}, String(e?.message ?? e))),
  );
  app.setView(box);
  document.body.dataset.state = "failed";
}

// Only the device's pack, fetched at once, at a low priority like the engine's module (its
// preload in index.html): on a slow network the small files of the first screen go first.
const packBytes = fetchBytes(packUrl(chosenPack), { priority: "low" });
packBytes.catch(() => {});

// The pack index (`packs.json`, preloaded by index.html): the device's pack's entry draws the
// kiosk's attract screen before the engine is loaded (`drawEarly`). Null when there is none
// (preview, no index, a pack it does not list): the screen then waits for the engine.
const INDEX_URL = "packs.json";
const indexEntry = PREVIEW ? Promise.resolve(null) : fetch(INDEX_URL)
  .then((r) => (r.ok ? r.json() : null))
  .then((index) => (Array.isArray(index?.packs) ? index.packs.find((p) => p.id === chosenPack) ?? null : null))
  .catch(() => null);
// At once too (in parallel with the index and the words): the kiosk's module and its saved
// visit, if any (IndexedDB), which decide whether the early attract screen is drawn.
const kioskModule = location.hash.startsWith("#/kiosk") || lock.current()?.mode === "kiosk" ? import("./kiosk.js") : null;
kioskModule?.catch(() => {});
const kioskSnapshot = PREVIEW ? Promise.resolve(null) : store.loadSnapshot(app.kioskPlace()).catch(() => null);

/** Whether a saved kiosk visit is recent enough to be resumed (kiosk.js resumes it). */
const resumable = (saved) => Boolean(saved) && Date.now() - (saved.saved ?? 0) <= (app.params.idle + app.params.warn) * 1000;

/**
 * While the engine, the pack and the keys load: the kiosk's attract screen from the pack
 * index, when the kiosk is where this start leads (its address, or a device locked into it).
 * Its start buttons keep a tap until the engine is ready (kiosk.js). A visit saved moments
 * ago (a reload) is resumed once the engine is ready: when IndexedDB has one, the screen goes
 * back to "Loading…" and the tap is dropped (reading IndexedDB is not waited for: on a first
 * visit, creating the database takes a slow tablet a few hundred milliseconds). Other screens
 * wait for the engine.
 */
async function drawEarly() {
  const home = lock.homeOf(lock.current());
  const target = (home ?? (location.hash || "#/")).split("?")[0];
  if (PREVIEW || target !== "#/kiosk") return;
  const entry = await indexEntry;
  app.timings.indexReady = performance.now();
  const langs = (entry?.languages ?? []).filter((l) => typeof l?.tag === "string");
  if (!entry || !langs.length || app.pack) return;
  const kiosk = await (kioskModule ?? import("./kiosk.js"));
  if (app.pack || document.body.dataset.state !== "loading") return;
  app.languages = langs;
  app.langs = langs.map((l) => l.tag);
  useNumerals(langs);
  useEarlyStrings(entry.attract?.strings);
  // A kiosk greets every visitor in the pack's first language.
  app.lang = app.langs[0];
  buildLanguageSwitch();
  applyLanguage();
  // The kiosk locks the device once the engine is ready (kiosk.js); until then the logo leads nowhere.
  lock.markBrand({ inert: true });
  const placeholder = [...app.main.childNodes];
  kiosk.drawEarly(app, entry);
  document.body.dataset.mode = "kiosk";
  document.body.dataset.state = "early";
  app.timings.earlyScreen = performance.now();
  kioskSnapshot.then((saved) => {
    app.timings.snapshotChecked = performance.now();
    if (!resumable(saved) || app.pack || document.body.dataset.state !== "early") return;
    app.pendingStart = null;
    app.onLanguage = null;
    app.main.replaceChildren(...placeholder);
    delete document.body.dataset.screen;
    document.body.dataset.state = "loading";
  });
}

/**
 * The main engine module, compiled; null where this browser cannot compile it (no
 * WebAssembly SIMD: the probe fails, or the module itself does not compile).
 */
async function mainEngine() {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    console.warn("no WebAssembly SIMD: the full engine module runs the app");
    return null;
  }
  const engine = await import(ENGINE_URL);
  app.timings.engineImported = performance.now();
  try {
    await engine.default();
  } catch (e) {
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    console.warn("the main engine module does not compile here: the full one runs the app", e);
    return null;
  }
  return engine;
}

/** The full engine module (Ed25519 in WebAssembly, no SIMD), compiled. */
async function fullEngine() {
  const engine = await import(FULL_ENGINE_URL);
  app.timings.engineImported ??= performance.now();
  await engine.default();
  return engine;
}

async function loadEngineAndPack() {
  const keys = fetch(KEYS_URL).then((r) => (r.ok ? r.json() : { keys: [] }));
  let engine = await mainEngine();
  // Where the main module cannot run, the full one does (a larger download, once).
  let full = !engine;
  if (full) engine = await fullEngine();
  app.timings.engineCompiled = performance.now();
  app.engine = engine;
  await builtinStrings.catch(() => {});
  useCatalogue(engine);
  app.timings.engineReady = performance.now();
  const trusted = (await keys).keys ?? [];
  let bytes;
  try {
    bytes = await packBytes;
  } catch (e) {
    // The chosen pack is gone: the default one.
    if (PREVIEW || chosenPack === DEFAULT_PACK) throw e;
    console.warn("chosen pack", e);
    app.choosePack(DEFAULT_PACK);
    app.packId = DEFAULT_PACK;
    store.usePack(DEFAULT_PACK, DEFAULT_PACK);
    bytes = await fetchBytes(packUrl(DEFAULT_PACK));
  }
  app.timings.packFetched = performance.now();
  app.trustedKeys = trusted.map((k) => hexToBytes(k.publicKey));
  // A preview pack is unsigned: loaded only in preview mode, where nothing is saved.
  const options = { trustedKeys: app.trustedKeys, allowUnsigned: PREVIEW };
  try {
    // The signature is verified by the browser's WebCrypto (Ed25519); the full module verifies
    // in WebAssembly where WebCrypto has no Ed25519.
    app.pack = await engine.Pack.open(bytes, options);
  } catch (e) {
    // No Ed25519 in WebCrypto (Chrome before 137, a page that is not a secure context): the
    // full module runs the app, verifying in WebAssembly (a larger download, once).
    if (full || e?.code !== "ed25519-unavailable") throw e;
    console.warn(e.message);
    engine = await fullEngine();
    full = true;
    app.engine = engine;
    useCatalogue(engine);
    app.pack = await engine.Pack.open(bytes, options);
  }
  if (full) {
    app.full = { engine, pack: app.pack };
    app.fullPromise = Promise.resolve(app.full);
  }
  app.timings.packLoaded = performance.now();
  app.packRaw = bytes;
  if (!PREVIEW && app.pack.id !== app.packId) throw Object.assign(new Error(`${packUrl(app.packId)} holds pack ${app.pack.id}`), { code: "pack-id-mismatch" });
  app.languages = app.pack.languages();
  app.langs = app.languages.map((l) => l.tag);
  useNumerals(app.languages);
  if (!app.langs.includes(app.lang)) app.lang = app.langs[0];
  // The pack's own interface strings win over the built-in ones.
  useCatalogue(engine, app.pack);
  app.timings.packReady = performance.now();
}

/**
 * The quiz saved in `slot`, restored: `{ session, meta, stale }`, or null (`stale`: saved more
 * than `maxAgeMs` ago, the language not switched to its learner's). A snapshot that does not
 * restore (another pack version, damage) is dropped rather than getting the app stuck.
 */
async function resume(slot, { maxAgeMs = Infinity } = {}) {
  let saved;
  try {
    saved = await store.loadSnapshot(slot);
  } catch (e) {
    console.warn("no IndexedDB", e);
    return null;
  }
  if (!saved) return null;
  try {
    const session = app.engine.Session.restore(app.pack, saved.bytes);
    // Saved longer ago than `maxAgeMs`: the learner has gone (the kiosk abandons it).
    if (Date.now() - (saved.saved ?? 0) > maxAgeMs) return { session, meta: saved.meta, stale: true };
    if (saved.meta.lang && saved.meta.lang !== app.lang) await setLanguage(saved.meta.lang, { rerender: false });
    return { session, meta: saved.meta };
  } catch (e) {
    console.warn("snapshot not restored", e);
    await store.clearSnapshot(slot);
    return null;
  }
}
app.resume = resume;

/** At start-up on the home screen: go back to a quiz that was running (a reload, a crash). */
async function goToLatest(latestPromise) {
  let latest = null;
  try {
    latest = await latestPromise;
  } catch {
    return;
  }
  if (!latest || lock.current() || (location.hash && location.hash !== "#/")) return;
  const m = latest.meta;
  const target = m.mode === "class" ? `#/class/${encodeURIComponent(m.classId)}` : "#/kiosk";
  history.replaceState(null, "", target);
}

// ------------------------------------------------------------------------------------------
// Routing

async function route() {
  if (!app.pack) return;
  if (app.onLeave) {
    const leave = app.onLeave;
    app.onLeave = null;
    await leave();
  }
  app.onLanguage = null;
  if (app.runner && !app.runner.ended) app.runner.dispose();
  app.runner = null;
  // A locked device (kiosk, a class's learner screen) stays where it is locked: Back, a typed
  // address or a link lead back there (lock.js).
  const home = lock.homeOf(lock.current());
  if (home && (location.hash || "#/").split("?")[0] !== home) history.replaceState(null, "", home);
  lock.markBrand();
  const hash = location.hash || "#/";
  const [path, query = ""] = hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean);
  document.body.dataset.mode = parts[0] ?? "home";
  document.body.dataset.state = "ready";
  // Every screen but the kiosk's is a staff or teacher screen: all the words, staff.css, and
  // the outbox (its status line, the settings screen).
  if (parts[0] !== "kiosk") await Promise.all([allStrings(), loadStyle("staff.css"), startOutbox()]);
  if (parts[0] === "kiosk") {
    const { showKiosk } = await import("./kiosk.js");
    await showKiosk(app);
  } else if (parts[0] === "class") {
    const { showClasses, showClass } = await import("./classroom.js");
    if (parts[1]) await showClass(app, decodeURIComponent(parts[1]));
    else await showClasses(app);
  } else if (parts[0] === "settings") {
    const { showSettings } = await import("./outbox-screens.js");
    await showSettings(app);
  } else if (parts[0] === "report") {
    const { showReport } = await import("./report.js");
    await showReport(app, new URLSearchParams(query));
  } else {
    const { showHome } = await import("./home.js");
    showHome(app);
  }
  const heading = app.main.querySelector("h1, [data-step-heading]");
  if (heading && !heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  app.bump();
}


// ------------------------------------------------------------------------------------------
// Offline: the service worker caches the app, the engine and the pack.

let offlineReady = false;

function updateOfflineStatus() {
  const el = document.getElementById("offline-status");
  if (!el) return;
  el.textContent = offlineReady ? app.t("offlineReady") : app.t("offlineNotYet");
  document.documentElement.dataset.offlineReady = offlineReady ? "1" : "0";
}

/** Hands the pack's bytes to the service worker to cache (it precaches no pack). */
function cachePack(worker) {
  if (!worker || PREVIEW) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    worker.postMessage({ type: "kru-cache-pack", url: packUrl(app.pack.id), bytes: app.packRaw }, [channel.port2]);
    setTimeout(resolve, 10000);
  });
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("sw.js");
    const reg = await navigator.serviceWorker.ready;
    await cachePack(reg.active);
    offlineReady = true;
    // Results live in IndexedDB: ask the browser not to evict them under storage pressure.
    navigator.storage?.persist?.().catch(() => {});
  } catch (e) {
    console.warn("service worker", e);
  }
  updateOfflineStatus();
}

// ------------------------------------------------------------------------------------------

/**
 * A notice over the top of the window (role="alert"; seen also when the page is scrolled), in
 * the current language (also after a language switch), until dismissed with OK. Used when the browser deleted the app's data under
 * it ("Clear site data").
 */
function notice(key) {
  const area = document.getElementById("notice-area");
  const hide = () => {
    area.replaceChildren();
    delete area.dataset.key;
  };
  area.replaceChildren(h("p", { "data-notice-key": key }, h("span", {}, app.t(key)),
    h("button", { type: "button", class: "btn secondary", "data-action": "dismiss-notice", onclick: hide }, app.t("noticeOk"))));
  area.dataset.key = key;
}

function watchLostData() {
  window.addEventListener("kru-db-lost", () => {
    notice("dataLost");
    // "Clear site data" also removed the service worker and its caches: register it again.
    registerServiceWorker();
  });
}

/** A new task: what the browser has to do first (drawing the screen just made) comes first. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function boot() {
  watchLostData();
  document.querySelector("[data-teacher-unlock]").addEventListener("click", () =>
    import("./classroom.js").then((m) => m.teacherExit(app)).catch(app.error));
  lock.markBrand();
  // The kiosk's attract screen, as soon as the pack index and the kiosk's module are there: it
  // needs neither the catalogue files (the index carries its words) nor the engine.
  const early = drawEarly().catch((e) => console.warn("early attract screen", e));
  try {
    await builtinStrings;
  } catch {
    // the screens show ids until the engine answers (or the load-failure screen does)
  }
  app.timings.stringsReady = performance.now();
  // The loading screen's words, unless the early attract screen has written its own.
  if (document.body.dataset.state === "loading") {
    buildLanguageSwitch();
    applyLanguage();
  }
  if (PREVIEW) store.previewOnly();
  // Open IndexedDB while the engine and the pack load.
  const latest = store.latestSnapshot();
  latest.catch(() => {});
  // When the service worker answers (a later visit: the engine and the pack are in its cache),
  // the engine is loaded after the early attract screen, so that a slow tablet's main thread
  // draws that screen first; on a first visit at once (its bytes are the longer wait; index.html
  // preloads them then).
  const controlled = Boolean(navigator.serviceWorker?.controller);
  const ready = (controlled ? early.then(nextTask) : Promise.resolve()).then(loadEngineAndPack);
  ready.catch(() => {});
  await early;
  // The test hook (?test=1 only; test-hook.js, never loaded in normal use): after the early
  // screen, which a visitor sees without it.
  const testHook = app.params.test ? import("./test-hook.js").then((m) => m.install(app)) : null;
  try {
    await ready;
  } catch (e) {
    // A start tapped on the early attract screen starts nothing.
    app.pendingStart = null;
    if (String(e?.code ?? "").startsWith("pack-") || e?.code === "invalid-public-key") showRefusal(e);
    else showLoadFailure(e);
    // In preview the validator's messages say why there is no pack yet.
    if (PREVIEW) import("./preview.js").then((p) => p.start({ loaded: 0 })).catch((x) => console.warn("preview", x));
    await testHook;
    return;
  }
  await goToLatest(latest);
  app.timings.resumeChecked = performance.now();
  buildLanguageSwitch();
  applyLanguage();
  window.addEventListener("hashchange", () => route().catch(app.error));
  await route();
  app.timings.firstScreen = performance.now();
  await testHook;
  document.body.dataset.booted = "1";
  if (PREVIEW) {
    await import("./preview.js").then((p) => p.start({ loaded: app.previewBuild })).catch((x) => console.warn("preview", x));
    return;
  }
  // After the first screen: the service worker (it fetches everything again to cache it), and
  // the outbox, which sends queued results in the background when an LRS is set.
  registerServiceWorker();
  if (await store.lrsSet().catch(() => false)) startOutbox();
}

boot().catch((e) => showLoadFailure(e));
