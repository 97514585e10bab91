// The PINs that unlock a locked device (lock.js), their dialogs, and the home screen's admin
// PIN panel. Loaded only when a PIN is set or asked for (class setup, the teacher button, the
// kiosk's staff gesture, the home and report screens): never on a kiosk visitor's path.
//
// A PIN is kept as SHA-256(salt:PIN), never in clear. Five wrong PINs in a row block the PIN
// dialog for 30 seconds.

import { h } from "./render-step.js";
import { KIOSK_AUTOPLAY, read, write } from "./lock.js";

const ADMIN_KEY = "kru-admin-pin";

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Whether `pin` is a PIN the app accepts: 4 to 8 digits. */
export function validPin(pin) {
  return /^[0-9]{4,8}$/.test(String(pin ?? ""));
}

async function digest(salt, pin) {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}:${pin}`)));
}

/** A PIN as it is stored: `{ salt, hash }`. */
export async function makePin(pin) {
  const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
  return { salt, hash: await digest(salt, pin) };
}

/** Whether `pin` matches the stored `record`. */
export async function checkPin(pin, record) {
  if (!record?.salt || !record?.hash) return false;
  return (await digest(record.salt, pin)) === record.hash;
}

/** The kiosk's admin PIN as stored, or null. */
export function adminPin() {
  return read(ADMIN_KEY);
}

/** Sets (or, with null, removes) the kiosk's admin PIN. */
export async function setAdminPin(pin) {
  write(ADMIN_KEY, pin === null ? null : await makePin(pin));
}

const failures = { n: 0, until: 0 };

/**
 * Asks for a PIN in the PIN dialog. `records`: the stored PINs any of which unlocks.
 * Resolves true when a right PIN was typed, false when cancelled (or closed by the kiosk's
 * idle reset).
 */
export function askPin(app, { title, records }) {
  const dialog = document.getElementById("pin-dialog");
  const form = dialog.querySelector("form");
  const input = dialog.querySelector("input");
  const error = dialog.querySelector("[data-pin-error]");
  dialog.querySelector("[data-pin-title]").textContent = title;
  dialog.querySelector("[data-pin-label]").textContent = app.t("pinLabel");
  dialog.querySelector("[data-pin-ok]").textContent = app.t("pinOk");
  dialog.querySelector("[data-pin-cancel]").textContent = app.t("cancel");
  input.value = "";
  error.textContent = "";
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok) => {
      if (settled) return;
      settled = true;
      form.onsubmit = null;
      dialog.onclose = null;
      dialog.querySelector("[data-pin-cancel]").onclick = null;
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    form.onsubmit = async (e) => {
      e.preventDefault();
      if (Date.now() < failures.until) {
        error.textContent = app.t("pinBlocked");
        return;
      }
      const pin = input.value.trim();
      let ok = false;
      for (const r of records) if (await checkPin(pin, r)) ok = true;
      if (ok) {
        failures.n = 0;
        finish(true);
        return;
      }
      failures.n += 1;
      if (failures.n >= 5) {
        failures.n = 0;
        failures.until = Date.now() + 30_000;
        error.textContent = app.t("pinBlocked");
      } else {
        error.textContent = app.t("pinWrong");
      }
      input.value = "";
      input.focus();
    };
    dialog.querySelector("[data-pin-cancel]").onclick = () => finish(false);
    dialog.onclose = () => finish(false);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}

/** Asks "are you sure?" in the confirmation dialog; resolves true on yes. */
export function confirm(app, { title, body, yes, danger = false }) {
  const dialog = document.getElementById("confirm-dialog");
  dialog.querySelector("[data-confirm-title]").textContent = title;
  dialog.querySelector("[data-confirm-body]").textContent = body;
  const yesBtn = dialog.querySelector("[data-confirm-yes]");
  const no = dialog.querySelector("[data-confirm-no]");
  yesBtn.textContent = yes;
  yesBtn.className = `btn ${danger ? "danger" : "primary"}`;
  no.textContent = app.t("cancel");
  return new Promise((resolve) => {
    const finish = (ok) => {
      yesBtn.onclick = null;
      no.onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    yesBtn.onclick = () => finish(true);
    no.onclick = () => finish(false);
    dialog.onclose = () => finish(false);
    dialog.showModal();
    no.focus();
  });
}


/** The home screen's panel where staff set the kiosk's admin PIN. */
export function adminPinPanel(app) {
  const input = h("input", { type: "password", id: "admin-pin", inputmode: "numeric", autocomplete: "new-password", maxlength: "8", "aria-describedby": "admin-pin-hint" });
  const status = h("p", { class: "meta", "data-admin-pin-status": adminPin() ? "set" : "none", "aria-live": "polite" },
    app.t(adminPin() ? "adminPinSet" : "adminPinNone"));
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "panel admin-pin", "data-form": "admin-pin", novalidate: true },
    h("h2", {}, app.t("adminPinTitle")),
    h("p", { class: "hint", id: "admin-pin-hint" }, app.t("adminPinHint")),
    status,
    h("div", { class: "field" }, h("label", { for: "admin-pin" }, app.t("adminPinNew")), input),
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn secondary", "data-action": "save-admin-pin" }, app.t("settingsSave"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (adminPin() && !(await askPin(app, { title: app.t("adminPinAskOld"), records: [adminPin()] }))) return;
    const pin = input.value.trim();
    if (!validPin(pin)) {
      error.textContent = app.t("pinInvalid");
      input.focus();
      return;
    }
    error.textContent = "";
    await setAdminPin(pin);
    input.value = "";
    status.dataset.adminPinStatus = "set";
    status.textContent = app.t("adminPinSet");
  });
  return form;
}

/**
 * The home screen's kiosk setting (behind the kiosk lock, like the admin PIN): auto-play, which
 * reads each kiosk screen's first text aloud when it appears, where the pack has audio for it.
 */
export function autoplayPanel(app) {
  const box = h("input", { type: "checkbox", id: "kiosk-autoplay", "data-setting": "autoplay", checked: read(KIOSK_AUTOPLAY) === true, style: "width:1.5rem;height:1.5rem",
    "aria-describedby": "kiosk-autoplay-hint", onchange: (e) => write(KIOSK_AUTOPLAY, e.target.checked ? true : null) });
  return h("section", { class: "panel" },
    h("h2", {}, app.t("kioskSettings")),
    h("label", { for: "kiosk-autoplay", style: "display:flex;gap:.6rem;align-items:center;font-weight:700" }, box, app.t("kioskAutoplay")),
    h("p", { class: "hint", id: "kiosk-autoplay-hint" }, app.t("kioskAutoplayHint")));
}
