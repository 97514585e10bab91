// Kiosk mode: attract screen → short pre-quiz → micro-lesson → post-quiz → the visitor's own
// result with the reference card. A visitor who walks away (no touch for `?idle=` seconds)
// gets a warning with a countdown; then the session is abandoned (its partial record is
// appended to the kiosk's results log: results are kept), the snapshot and the screen are
// cleared, and the attract screen comes back. Nothing of one visitor is shown to the next.

import { Runner, wholeScores } from "./runner.js";
import { cardBody, h, icon, loadStyle, resourceBox, stopAudio } from "./render-step.js";
import { t as translate } from "./ui-strings.js";
import * as store from "./store.js";
import * as lock from "./lock.js";

// The kiosk's results log and snapshot slot (one per pack: `app.kioskPlace()`) and journey
// (the pack's `kiosk` journey, else its first: `app.journeyFor`).

/** Watches for activity; calls `onWarn` after `idle` seconds and `onExpire` `warn` seconds later. */
class IdleWatch {
  constructor(app, onExpire) {
    this.app = app;
    this.onExpire = onExpire;
    this.timer = null;
    this.tick = null;
    this.active = false;
    this.dialog = document.getElementById("idle-dialog");
    this.poke = () => {
      if (!this.active) return;
      if (this.dialog.open) this.hideWarning();
      this.arm();
    };
    this.events = ["pointerdown", "keydown", "touchstart", "input", "wheel"];
  }

  start() {
    if (this.active) {
      this.arm();
      return;
    }
    this.active = true;
    for (const e of this.events) document.addEventListener(e, this.poke, { capture: true, passive: true });
    this.arm();
  }

  stop() {
    this.active = false;
    clearTimeout(this.timer);
    clearInterval(this.tick);
    for (const e of this.events) document.removeEventListener(e, this.poke, { capture: true });
    if (this.dialog.open) this.dialog.close();
  }

  arm() {
    clearTimeout(this.timer);
    // No visitor (the attract screen, untouched): back to its first state (Khmer, at the
    // top, dialogs closed) without a warning.
    this.timer = setTimeout(() => (this.app.runner || document.body.dataset.screen === "result" ? this.showWarning() : this.expire()),
      this.app.params.idle * 1000);
  }

  showWarning() {
    const app = this.app;
    let left = app.params.warn;
    const body = this.dialog.querySelector("[data-idle-body]");
    const render = () => {
      body.textContent = app.t("idleBody", { seconds: left });
      this.dialog.querySelector("[data-idle-count]").textContent = app.num(left);
    };
    this.dialog.querySelector("[data-idle-title]").textContent = app.t("idleTitle");
    this.dialog.querySelector("[data-idle-continue]").textContent = app.t("idleContinue");
    render();
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector("[data-idle-continue]").focus();
    clearInterval(this.tick);
    this.tick = setInterval(() => {
      left -= 1;
      if (left <= 0) {
        clearInterval(this.tick);
        this.expire();
      } else {
        render();
      }
    }, 1000);
  }

  hideWarning() {
    clearInterval(this.tick);
    if (this.dialog.open) this.dialog.close();
  }

  async expire() {
    this.stop();
    await this.onExpire();
  }
}

let watch = null;

/** Appends a record's frame to the kiosk log. */
async function keep(app, record) {
  await store.appendFrame(app.kioskPlace(), record.bytes, app.engine.appendOffset);
}

/**
 * The attract screen: every language of the pack at once (its first language first), a big
 * start button in each, the hotline. `from` gives the pack's title in a language and the
 * hotline's number: from the engine's pack (`fromPack`) or, before the engine is loaded, from
 * the pack index (`drawEarly`).
 */
function attractView(app, from) {
  const each = (fn) => app.langs.map((l, i) => h("span", { lang: l, class: i ? "second" : null }, fn(l)));
  const phone = from.hotline();
  return h(
    "section",
    { class: "attract", "data-screen": "attract" },
    h("h1", { class: "attract-title", tabindex: "-1" }, each((l) => from.title(l))),
    h("p", { class: "attract-pitch" }, each((l) => translate(l, "kioskPitch"))),
    h("div", { class: "start-buttons" },
      app.langs.map((l) => h("button", { type: "button", class: "btn start", lang: l, "data-start": l, onclick: (e) => tapStart(app, l, e.currentTarget) },
        translate(l, "start")))),
    phone ? h("p", { class: "attract-hotline" },
      icon("phone"), ...app.langs.map((l) => [" ", h("span", { lang: l }, translate(l, "hotlineLine", { phone }))]).flat()) : null,
  );
}

/** The title and hotline of the loaded pack (the hotline: its first help resource). */
const fromPack = (app) => ({ title: (l) => app.pack.title([l]), hotline: () => app.pack.resources(Date.now())[0]?.phone });

function attract(app) {
  show(app, attractView(app, fromPack(app)));
}

function show(app, view) {
  app.setView(view);
  document.body.dataset.screen = "attract";
  app.onLanguage = async () => attract(app);
}

/**
 * The attract screen before the engine is loaded (app.js calls it while the engine, the pack
 * and the keys are still loading): drawn from the pack's entry in the pack index `packs.json`
 * (its title in each language, its languages, the hotline's number and the screen's strings,
 * written from the pack by `cargo xtask demo`). Its start buttons work at once: a tap is kept
 * and starts the visit as soon as the engine and the pack are ready (`showKiosk`), and the
 * button says it is getting ready meanwhile. If the pack is then refused, the refusal replaces
 * the screen and no visit starts.
 */
export function drawEarly(app, entry) {
  const view = attractView(app, { title: (l) => entry.title?.[l] ?? entry.id, hotline: () => entry.attract?.hotline });
  view.dataset.early = "1";
  app.setView(view);
  document.body.dataset.screen = "attract";
  app.onLanguage = async () => {
    if (!app.pack && !app.pendingStart) drawEarly(app, entry);
  };
}

/**
 * Whether `showKiosk` has taken the screen over. Until then (the engine loading, then the
 * kiosk looking for a saved visit) a tap is kept for it: a visit started in between would be
 * drawn over by the attract screen `showKiosk` then shows.
 */
let live = false;

/**
 * A tap on a start button: the visit starts, or, before the kiosk is ready (the engine
 * loading), the tap is kept (the first one only) and the button shows "getting ready" until
 * `showKiosk` starts it.
 */
function tapStart(app, lang, button) {
  if (live) {
    startVisit(app, lang);
    return;
  }
  if (app.pendingStart) return; // a double tap, or the other button: one visit
  app.pendingStart = { lang, at: performance.now() };
  for (const b of button.parentElement.querySelectorAll("[data-start]")) b.setAttribute("aria-disabled", "true");
  button.setAttribute("aria-busy", "true");
  button.dataset.waiting = "1";
  button.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), " ", translate(lang, "startWaiting"));
}

let starting = false;

async function startVisit(app, lang, tappedAt = performance.now()) {
  if (starting || app.runner) return; // a double tap starts one visit
  starting = true;
  try {
    await begin(app, lang, tappedAt);
  } finally {
    starting = false;
  }
}

async function begin(app, lang, tappedAt) {
  // The tap (kept from before the engine was ready, or now): the honest start of the visit.
  app.timings.startTapped = tappedAt;
  app.visitsStarted += 1;
  await app.setLanguage(lang, { rerender: false });
  const seed = crypto.getRandomValues(new Uint32Array(2));
  const visitor = `visitor-${seed[0].toString(36)}`;
  const session = app.engine.Session.start(app.pack, {
    journey: app.journeyFor("kiosk"),
    languages: app.preferred(lang),
    seed: seed[0] * 2 ** 21 + (seed[1] >>> 11), // < 2^53
    learner: visitor,
    nowMs: Date.now(),
  });
  await run(app, session, { slot: app.kioskPlace(), mode: "kiosk", lang });
  app.timings.firstQuestion = performance.now();
}

async function run(app, session, meta) {
  document.body.dataset.screen = "quiz";
  watch.start();
  const runner = new Runner(app, {
    session,
    meta,
    passCard: true,
    autoplay: lock.read(lock.KIOSK_AUTOPLAY) === true,
    onDone: async (done) => {
      const record = runner.finish();
      await keep(app, record);
      await store.clearSnapshot(app.kioskPlace());
      const cards = runner.meta.cards ?? {};
      const scores = wholeScores(done, runner.meta);
      runner.dispose();
      app.runner = null;
      result(app, scores, cards);
    },
  });
  app.runner = runner;
  await runner.mount();
}

/** The visitor's own result, then the reference card (in the current language). */
function result(app, scores, cards) {
  document.body.dataset.screen = "result";
  const pre = scores.pre ?? { n: 0, max: 0 };
  const post = scores.post ?? { n: 0, max: 0 };
  const score = (p) => p.n;
  const bar = (label, p, cls) =>
    h("div", { class: `result-bar ${cls}` },
      h("span", { class: "result-label" }, label),
      h("span", { class: "result-track", "aria-hidden": "true" },
        h("span", { style: `width:${p.max ? Math.round((p.n / p.max) * 100) : 0}%` })),
      h("span", { class: "result-value" }, `${app.num(p.n, 0)} / ${app.num(p.max, 0)}`));
  const card = cards[app.lang] ?? Object.values(cards)[0];
  const perfect = post.max > 0 && post.n >= post.max;
  const view = h(
    "section",
    { class: "result", "data-screen": "result" },
    h("h1", { tabindex: "-1" }, app.t("yourResult")),
    h("p", { class: "result-line", "data-pre": score(pre), "data-post": score(post), "data-max": post.max },
      app.t("resultLine", { pre: score(pre), max: pre.max, post: score(post), max2: post.max })),
    h("div", { class: "result-bars" }, bar(app.t("resultBefore"), pre, "pre"), bar(app.t("resultNow"), post, "post")),
    h("p", { class: "lead" }, app.t(perfect ? "resultGreat" : "resultKeep")),
    card ? h("div", { class: "card result-card", "data-take-home": "" }, cardBody(card, { ...ctxOf(app) }, "h2"), h("div", { "data-qr-slot": "" })) : null,
    h("div", { class: "actions" },
      card ? h("button", { type: "button", class: "btn secondary", "data-action": "print", onclick: () => window.print() }, app.t("printCard")) : null,
      h("button", { type: "button", class: "btn primary", "data-action": "finish", onclick: () => endVisit(app) }, app.t("finish"))),
  );
  // The card's own heading must not steal the focus from the result.
  for (const el of view.querySelectorAll(".result-card [data-step-heading]")) el.removeAttribute("data-step-heading");
  app.setView(view);
  view.querySelector("h1").focus();
  app.onLanguage = async () => result(app, scores, cards);
  // The card's QR code (the card as text, for the visitor's phone): its module after the
  // screen is drawn.
  if (card) {
    import("./take-home.js").then((m) => {
      const slot = view.querySelector("[data-qr-slot]");
      if (slot?.isConnected) slot.replaceChildren(m.qrBlock(card, app));
    }).catch((e) => console.warn("qr", e));
  }
}

function ctxOf(app) {
  return { lang: app.lang, t: app.t, num: app.num, mediaBase: "media/" };
}

/** Back to the attract screen, with nothing of this visitor left. */
async function endVisit(app) {
  stopAudio();
  await closeVisit(app);
  app.main.replaceChildren();
  for (const id of ["idle-dialog", "pin-dialog", "confirm-dialog"]) {
    const d = document.getElementById(id);
    if (d?.open) d.close();
  }
  await app.setLanguage(app.langs[0], { rerender: false });
  attract(app);
  window.scrollTo(0, 0);
  document.querySelector(".attract-title")?.focus({ preventScroll: true });
  // The idle timer runs on every kiosk screen, the attract screen too.
  watch.start();
}

/** Ends the running visit, if any: its partial record kept, its snapshot deleted. */
async function closeVisit(app) {
  watch.stop();
  if (app.runner) {
    const runner = app.runner;
    app.runner = null;
    if (!runner.ended) {
      try {
        await keep(app, runner.abandon());
      } catch (e) {
        console.warn("abandon", e);
      }
    }
    runner.dispose();
  }
  await store.clearSnapshot(app.kioskPlace()).catch((e) => console.warn("snapshot", e));
}

/** The staff gesture was made on the kiosk: the admin PIN (or a confirmation), then home. */
async function staffExit(app) {
  // The PIN dialogs, the staff's words and styles are loaded only now: a visitor never needs them.
  const [pins] = await Promise.all([import("./pin.js"), app.allStrings(), loadStyle("staff.css")]);
  const pin = pins.adminPin();
  const ok = pin
    ? await pins.askPin(app, { title: app.t("kioskExitPin"), records: [pin] })
    : await pins.confirm(app, { title: app.t("kioskExitTitle"), body: app.t("kioskExitBody"), yes: app.t("kioskExitYes") });
  if (!ok || lock.current()?.mode !== "kiosk") return;
  lock.clear();
  location.hash = "#/";
}

/**
 * Kiosk route: locks the device into kiosk mode (lock.js), resumes a visit saved moments ago
 * (a reload, a crash), or shows the attract screen. A visit saved longer ago than the idle
 * reset takes is another visitor's: it is abandoned (its partial record kept), never resumed.
 */
export async function showKiosk(app) {
  live = false;
  lock.set({ mode: "kiosk" });
  lock.watchStaffGesture(() => staffExit(app).catch(app.error));
  watch ??= new IdleWatch(app, () => endVisit(app));
  app.onLeave = async () => closeVisit(app);
  const resumed = await app.resume(app.kioskPlace(), { maxAgeMs: (app.params.idle + app.params.warn) * 1000 });
  if (resumed?.stale) {
    try {
      await keep(app, resumed.session.abandon(Date.now()));
    } catch (e) {
      console.warn("abandon", e);
    }
    resumed.session.free();
    await store.clearSnapshot(app.kioskPlace());
  } else if (resumed) {
    // The saved visit goes on; a tap on the early screen meant nothing.
    app.pendingStart = null;
    await run(app, resumed.session, resumed.meta);
    live = true;
    return;
  }
  if (!app.pendingStart) {
    // A kiosk greets every visitor in the pack's first language (whatever the last one chose).
    if (app.lang !== app.langs[0]) await app.setLanguage(app.langs[0], { rerender: false });
    // The attract screen drawn before the engine stays when the pack shows the same (no button
    // swapped under a finger); its buttons now start at once.
    const view = attractView(app, fromPack(app));
    const early = app.view?.dataset.early === "1" && app.view.isConnected ? app.view : null;
    if (early && early.textContent === view.textContent) {
      delete early.dataset.early;
      document.body.dataset.screen = "attract";
      app.onLanguage = async () => attract(app);
    } else {
      show(app, view);
    }
    watch.start();
  }
  // A start tapped before now (`tapStart`: before the engine was ready, or while the kiosk
  // looked for a saved visit): that visit.
  live = true;
  const pending = app.pendingStart;
  app.pendingStart = null;
  if (pending) await startVisit(app, pending.lang, pending.at);
}
