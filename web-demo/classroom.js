// Class mode: the teacher starts a class session (school, class, date); each learner then
// enters a learner code (never a name) and takes the full school journey, intake questions
// first (asked by the engine from the pack: sex, age band, …). Every learner's record is
// appended to the results log of that class session ("class:<id>").

import { Runner, wholeScores } from "./runner.js";
import { h, newId } from "./render-step.js";
import * as store from "./store.js";
import * as lock from "./lock.js";
import * as pins from "./pin.js";
import { date as fmtDate } from "./ui-strings.js";

// The class journey: the pack's `school` journey, else its first (`app.journeyFor`). A class
// session belongs to the pack the device ran when it was started (store.js).

export const logId = (classId) => `class:${classId}`;
const slotOf = (classId) => `class:${classId}`;

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function field(label, input, hint = null) {
  const id = input.id || newId("field");
  input.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { class: "hint", id: hintId }, hint) : null, input);
}

async function learnersIn(app, classId) {
  const log = await store.getLog(logId(classId));
  if (!log.length) return [];
  return (await app.readLog(log)).records;
}

/** `#/class`: the class sessions on this device and a form to start a new one. */
export async function showClasses(app) {
  const classes = await store.listClasses();
  const counts = await Promise.all(classes.map(async (c) => (await learnersIn(app, c.id)).length));
  const school = h("input", { type: "text", name: "school", required: true, autocomplete: "off", maxlength: "80" });
  const klass = h("input", { type: "text", name: "class", required: true, autocomplete: "off", maxlength: "40" });
  const date = h("input", { type: "date", name: "date", required: true, value: today() });
  const pin = h("input", { type: "password", name: "pin", required: true, autocomplete: "new-password", inputmode: "numeric", maxlength: "8" });
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h(
    "form",
    { class: "panel", "data-form": "new-class", novalidate: true },
    h("h2", {}, app.t("classNew")),
    field(app.t("classSchool"), school),
    field(app.t("classClass"), klass),
    field(app.t("classDate"), date),
    field(app.t("classPin"), pin, app.t("classPinHint")),
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary" }, app.t("classStart"))),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = [school, klass, date].map((i) => i.value.trim());
    if (values.some((v) => !v)) {
      error.textContent = app.t("fieldRequired");
      [school, klass, date].find((i) => !i.value.trim())?.focus();
      return;
    }
    if (!pins.validPin(pin.value.trim())) {
      error.textContent = app.t("pinInvalid");
      pin.focus();
      return;
    }
    const id = `${values[2]}-${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
    await store.saveClass({ id, school: values[0], className: values[1], date: values[2], created: Date.now(), pin: await pins.makePin(pin.value.trim()) });
    // Ask the browser not to evict the results under storage pressure.
    navigator.storage?.persist?.().catch(() => {});
    location.hash = `#/class/${encodeURIComponent(id)}`;
  });
  const list = classes.length
    ? h("ul", { class: "class-list" }, classes.map((c, i) =>
      h("li", {},
        h("a", { href: `#/class/${encodeURIComponent(c.id)}`, class: "class-link" },
          h("strong", {}, app.t("classSessionOf", { school: c.school, className: c.className, date: fmtDate(app.lang, c.date) })),
          h("span", {}, app.t("classLearners", { n: counts[i] }))),
        h("a", { href: `#/report?source=${encodeURIComponent(`class:${c.id}`)}`, class: "class-report", "data-report-of": c.id }, app.t("sessionReport")))))
    : h("p", {}, app.t("classNone"));
  const view = h(
    "section",
    { class: "classes" },
    h("h1", { tabindex: "-1" }, app.t("classTitle")),
    form,
    h("section", { class: "panel" }, h("h2", {}, app.t("classList")), list),
    h("div", { "data-pack-slot": "" }),
  );
  app.setView(view);
  app.onLanguage = async () => showClasses(app);
  // Which pack this device runs (the teacher's choice at class setup; packs.js).
  import("./packs.js").then((p) => view.querySelector("[data-pack-slot]")?.replaceChildren(p.packPanel(app))).catch(app.error);
  // The teacher's screen: the outbox's status line and settings link.
  import("./outbox-screens.js").then((o) => view.append(o.statusBox(app))).catch(() => {});
}

/** `#/class/<id>`: the learner screen of one class session (or the learner's quiz). */
export async function showClass(app, classId) {
  let c = await store.getClass(classId);
  // A class session of another pack is not run with this one (its records would not match).
  const other = c && !store.ours(c);
  if (other) c = null;
  const resumed = other ? null : await app.resume(slotOf(classId));
  if (resumed) {
    await run(app, c, resumed.session, resumed.meta);
    return;
  }
  if (!c) {
    // Gone (wiped, or the browser's data cleared): nothing to lock into.
    if (lock.current()?.mode === "class") lock.clear();
    location.hash = "#/class";
    return;
  }
  // The device now belongs to this class's learners until the teacher's PIN (lock.js).
  lock.set({ mode: "class", classId: c.id });
  await learnerScreen(app, c);
}

async function learnerScreen(app, c, { notice = null } = {}) {
  const records = await learnersIn(app, c.id);
  const used = new Set(records.map((r) => r.learner));
  const code = h("input", { type: "text", name: "learner", required: true, autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: "64" });
  const error = h("p", { class: "form-error", role: "alert" });
  const warn = h("p", { class: "notice", "aria-live": "polite" });
  code.addEventListener("input", () => {
    warn.textContent = used.has(code.value.trim()) ? app.t("learnerCodeUsed") : "";
  });
  const form = h(
    "form",
    { class: "panel learner-form", "data-form": "learner", novalidate: true },
    h("h2", {}, app.t("learnerTitle")),
    field(app.t("learnerCode"), code, app.t("learnerCodeHint")),
    warn,
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-action": "start-learner" }, app.t("learnerStart"))),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const learner = code.value.trim();
    if (!learner) {
      error.textContent = app.t("fieldRequired");
      code.focus();
      return;
    }
    let session;
    try {
      const seed = crypto.getRandomValues(new Uint32Array(2));
      session = app.engine.Session.start(app.pack, {
        journey: app.journeyFor("school"),
        languages: app.preferred(app.lang),
        seed: seed[0] * 2 ** 21 + (seed[1] >>> 11),
        learner,
        nowMs: Date.now(),
      });
    } catch (err) {
      error.textContent = app.errorText(err);
      error.dataset.code = err?.code ?? "other";
      code.focus();
      return;
    }
    await run(app, c, session, { slot: slotOf(c.id), mode: "class", classId: c.id, lang: app.lang });
  });
  const view = h(
    "section",
    { class: "learner-screen", "data-class": c.id },
    h("h1", { tabindex: "-1" }, app.t("classSessionOf", { school: c.school, className: c.className, date: fmtDate(app.lang, c.date) })),
    notice,
    h("p", { class: "meta", "data-learners": records.length }, app.t("learnerDone", { n: records.length })),
    form,
  );
  app.setView(view);
  app.onLanguage = async () => learnerScreen(app, c);
  code.focus();
  app.bump();
}

async function run(app, c, session, meta) {
  const runner = new Runner(app, {
    session,
    meta,
    // The "group" the pack asks is the class session the teacher already entered.
    autoIntake: c ? { group: `${c.school} / ${c.className}` } : {},
    // The journey's reference card is the learner's take-home card: its QR code and Print
    // (take-home.js, loaded when the card is shown).
    onStep: (step) => {
      if (step.kind !== "card") return;
      const article = app.main.querySelector(".step.card");
      import("./take-home.js").then((m) => m.takeHome(article, step, app)).catch((e) => console.warn("qr", e));
    },
    onDone: async (done) => {
      const record = runner.finish();
      await store.appendFrame(logId(meta.classId), record.bytes, app.engine.appendOffset);
      await store.clearSnapshot(meta.slot);
      const scores = wholeScores(done, runner.meta);
      runner.dispose();
      app.runner = null;
      finished(app, c ?? (await store.getClass(meta.classId)), scores);
    },
  });
  app.runner = runner;
  await runner.mount();
}

/**
 * The teacher leaves the learner screen: the class's teacher PIN, then the teacher's screens
 * (class sessions with their reports; home: report, settings, sending, wipe).
 */
export async function teacherExit(app) {
  const locked = lock.current();
  if (locked?.mode !== "class") return;
  const c = await store.getClass(locked.classId);
  if (c?.pin && !(await pins.askPin(app, { title: app.t("teacherPin"), records: [c.pin] }))) return;
  lock.clear();
  location.hash = "#/class";
}

/** Seconds a learner's result stays on screen before the learner screen comes back. */
const RESULT_SECONDS = 30;

/** The learner's result, then "next learner" (by itself after `?clear=` seconds, default 30). */
function finished(app, c, scores) {
  const score = (p) => p.n;
  const pre = scores.pre ?? { n: 0, max: 0 };
  const post = scores.post ?? { n: 0, max: 0 };
  let left = Number(new URLSearchParams(location.search).get("clear")) || RESULT_SECONDS;
  const countdown = h("p", { class: "meta", "data-clears-in": left }, app.t("resultClears", { seconds: left }));
  const next = () => {
    clearInterval(timer);
    if (view.isConnected) learnerScreen(app, c).catch(app.error);
  };
  const timer = setInterval(() => {
    if (!view.isConnected) {
      clearInterval(timer);
      return;
    }
    left -= 1;
    if (left <= 0) next();
    else {
      countdown.dataset.clearsIn = left;
      countdown.textContent = app.t("resultClears", { seconds: left });
    }
  }, 1000);
  const view = h(
    "section",
    { class: "result", "data-screen": "class-result" },
    h("h1", { tabindex: "-1" }, app.t("yourResult")),
    h("p", { class: "result-line", "data-pre": score(pre), "data-post": score(post), "data-max": post.max },
      app.t("resultLine", { pre: score(pre), max: pre.max, post: score(post), max2: post.max })),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "btn primary", "data-action": "next-learner", onclick: next }, app.t("nextLearner"))),
    countdown,
  );
  app.setView(view);
  view.querySelector("h1").focus();
  app.onLanguage = async () => {
    clearInterval(timer);
    finished(app, c, scores);
  };
}
