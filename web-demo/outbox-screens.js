// The outbox's screens (teacher/admin only): the status line ("N results waiting to send · last
// sent at …") with its link, and the settings screen (`#/settings`): endpoint, username,
// password (write-only once saved), the account home page for actors, "Test connection",
// "Send now", queue everything again. The sending itself is outbox.js.

import "./outbox-core.js";
import { h } from "./render-step.js";
import { digits } from "./ui-strings.js";
import * as store from "./store.js";
import { defaultHomePage, drain, status } from "./outbox.js";

const K = globalThis.KruOutbox;

let app = null;

function fmtTime(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  const s = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  return digits(app.lang, s);
}

function errorText(err) {
  switch (err.kind) {
    case "auth": return app.t("outboxErrorAuth");
    case "network": return app.t("outboxErrorNetwork");
    case "server": return app.t("outboxErrorServer", { status: String(err.status) });
    case "rejected": return app.t("outboxErrorRejected", { status: String(err.status) });
    default: return app.t("outboxErrorEngine", { message: err.message ?? "" });
  }
}

/** Fills every status line on screen. */
export async function refreshStatus(theApp = app) {
  app ??= theApp;
  const els = document.querySelectorAll("[data-outbox-status]");
  if (!els.length || !app) return;
  let s;
  try {
    s = await status();
  } catch {
    return;
  }
  const parts = [app.t(s.waiting === 1 ? "outboxWaitingOne" : "outboxWaiting", { n: s.waiting })];
  parts.push(s.lastSent ? app.t("outboxLastSent", { time: fmtTime(s.lastSent) }) : app.t("outboxNeverSent"));
  if (!s.configured) parts.push(app.t("outboxNotSetUp"));
  else if (s.lastError && s.waiting) parts.push(errorText(s.lastError));
  for (const el of els) {
    el.textContent = parts.join(" · ");
    el.dataset.waiting = String(s.waiting);
    el.dataset.error = s.lastError && s.waiting ? s.lastError.kind : "";
  }
}

/** The status line and the link to the settings, for a teacher/admin screen. */
export function statusBox(theApp, { link = true } = {}) {
  app ??= theApp;
  const box = h("div", { class: "outbox-box" },
    h("p", { class: "outbox-status", "data-outbox-status": "", role: "status" }),
    link ? h("a", { href: "#/settings", class: "btn secondary", "data-outbox-settings": "" }, app.t("outboxSettingsLink")) : null);
  queueMicrotask(() => refreshStatus());
  return box;
}

// ------------------------------------------------------------------------------------------
// Settings (#/settings)

function httpUrl(s) {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

function field(label, input, hint) {
  const hintId = `${input.id}-hint`;
  if (hint) input.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: input.id }, label), hint ? h("p", { class: "hint", id: hintId }, hint) : null, input);
}

/**
 * Asks the LRS whether it takes these credentials: `{ result, text }`, `result` one of `ok`,
 * `auth`, `cors`, `unreachable`, `offline`, `http`.
 */
export async function testConnection(lrs) {
  const url = `${K.statementsUrl(lrs.endpoint)}?limit=1`;
  let res;
  try {
    res = await fetch(url, { headers: K.headers(lrs), cache: "no-store" });
  } catch {
    if (!navigator.onLine) return { result: "offline", text: app.t("testOffline") };
    // A fetch that fails without an answer: either nothing answered, or the LRS answered
    // without allowing this origin (CORS). An opaque request tells them apart.
    try {
      await fetch(lrs.endpoint, { mode: "no-cors", cache: "no-store" });
      return { result: "cors", text: app.t("testCors", { origin: location.origin }) };
    } catch {
      return { result: "unreachable", text: app.t("testUnreachable", { url: lrs.endpoint }) };
    }
  }
  if (res.ok) return { result: "ok", text: app.t("testOk") };
  if (res.status === 401 || res.status === 403) return { result: "auth", text: app.t("testAuth", { status: String(res.status) }) };
  const detail = (await res.text().catch(() => "")).slice(0, 200);
  return { result: "http", text: app.t("testHttp", { status: String(res.status), detail }) };
}

/** `#/settings`: where results are sent. Reached from the mode chooser and the class screen. */
export async function showSettings(theApp) {
  app = theApp;
  const db = await store.open();
  const saved = (await K.getSetting(db, "lrs")) ?? {};
  const input = (id, type, value, extra = {}) =>
    h("input", { id, type, value: value ?? "", autocomplete: "off", spellcheck: "false", ...extra });
  const endpoint = input("lrs-endpoint", "url", saved.endpoint, { inputmode: "url" });
  const user = input("lrs-user", "text", saved.user, { autocapitalize: "none" });
  // Write-only: a saved password is never put back into the page.
  const password = input("lrs-password", "password", "", { autocomplete: "new-password" });
  const homePage = input("lrs-home-page", "url", saved.homePage || defaultHomePage(), { inputmode: "url" });
  const message = h("p", { class: "settings-message", role: "status", "data-outbox-message": "" });
  const say = (text, result = "") => {
    message.textContent = text;
    message.dataset.result = result;
  };
  const values = () => ({
    endpoint: endpoint.value.trim(),
    user: user.value.trim(),
    password: password.value || saved.password || "",
    homePage: homePage.value.trim(),
  });
  const valid = (v) => {
    for (const [el, val] of [[endpoint, v.endpoint], [homePage, v.homePage]]) {
      if (!httpUrl(val)) {
        say(app.t("settingsBadUrl"), "invalid");
        el.focus();
        return false;
      }
    }
    return true;
  };
  const form = h("form", { class: "panel", "data-form": "lrs", novalidate: true },
    field(app.t("settingsEndpoint"), endpoint, app.t("settingsEndpointHint")),
    field(app.t("settingsUser"), user),
    field(app.t("settingsPassword"), password, saved.password ? app.t("settingsPasswordSaved") : app.t("settingsPasswordNone")),
    field(app.t("settingsHomePage"), homePage, app.t("settingsHomePageHint")),
    message,
    h("div", { class: "actions wrap" },
      h("button", { type: "submit", class: "btn primary", "data-action": "save" }, app.t("settingsSave")),
      h("button", { type: "button", class: "btn secondary", "data-action": "test" }, app.t("settingsTest")),
      h("button", { type: "button", class: "btn secondary", "data-action": "send" }, app.t("settingsSendNow"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = values();
    if (!valid(v)) return;
    const changed = v.homePage !== saved.homePage;
    Object.assign(saved, v);
    await K.setSettings(db, { lrs: { ...v }, lastError: undefined });
    if (changed) {
      // Statements made for another home page are made again.
      const tx = db.transaction("outbox", "readwrite");
      const rows = await K.request(tx.objectStore("outbox").getAll());
      for (const r of rows) if ("statements" in r) { delete r.statements; tx.objectStore("outbox").put(r); }
      await K.done(tx);
    }
    password.value = "";
    form.querySelector("#lrs-password-hint").textContent = app.t("settingsPasswordSaved");
    say(app.t("settingsSaved"), "saved");
    drain();
  });
  form.querySelector("[data-action=test]").addEventListener("click", async () => {
    const v = values();
    if (!valid(v)) return;
    say(app.t("settingsTesting"), "testing");
    const r = await testConnection(v);
    say(r.text, r.result);
  });
  form.querySelector("[data-action=send]").addEventListener("click", async () => {
    say(app.t("settingsSending"), "sending");
    const r = await drain();
    if (r.state === "sent") say(r.sent ? app.t("settingsSent", { n: r.sent }) : app.t("settingsSentNone"), "sent");
    else if (r.state === "empty") say(app.t("settingsSentNone"), "sent");
    else if (r.state === "offline") say(app.t("testOffline"), "offline");
    else if (r.state === "no-endpoint") say(app.t("settingsBadUrl"), "invalid");
    else say(errorText(r.error), r.error.kind);
  });
  const requeue = h("button", { type: "button", class: "btn secondary", "data-action": "requeue" }, app.t("settingsRequeue"));
  requeue.addEventListener("click", async () => {
    const n = await requeueAll();
    say(app.t("settingsRequeued", { n }), "requeued");
    refreshStatus();
    drain();
  });
  const view = h("section", { class: "settings" },
    h("h1", { tabindex: "-1" }, app.t("settingsTitle")),
    h("p", { class: "lead" }, app.t("settingsIntro")),
    statusBox(app, { link: false }),
    form,
    h("section", { class: "panel" }, h("p", { class: "hint" }, app.t("settingsRequeueHint")), h("div", { class: "actions wrap" }, requeue)),
    h("nav", { class: "links" }, h("a", { href: "#/", class: "btn secondary" }, app.t("home"))));
  app.setView(view);
  app.onLanguage = async () => showSettings(app);
}

/** Queues every record of every results log on this device (of every pack) again; returns how many. */
export async function requeueAll() {
  const logs = [...await store.allLogs(), ...await store.allLogs({ others: true })];
  // Read every log before opening the transaction, which would close while the engine's full
  // module (where `readLog` is) loads.
  const read = [];
  for (const log of logs) {
    if (log.bytes.length) read.push({ log, records: (await app.readLog(log.bytes)).records });
  }
  const db = await store.open();
  const tx = db.transaction("outbox", "readwrite");
  let n = 0;
  for (const { log, records } of read) {
    for (const r of records) {
      tx.objectStore("outbox").add({ source: log.id, bytes: new Uint8Array(r.bytes), queued: Date.now(), pack: log.pack });
      n += 1;
    }
  }
  await K.done(tx);
  return n;
}
