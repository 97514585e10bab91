// Locking the device into one mode, and the PINs that unlock it.
//
// - Kiosk: opening `#/kiosk` locks the device into kiosk mode. Every other route leads back
//   to it (also the browser's Back, a typed address, a reload); the brand link is inert. Staff
//   leave it with a deliberate gesture, pressing and holding the logo in the top bar for three
//   seconds, and then the kiosk's admin PIN when one is set on the home screen (without one,
//   a confirmation). A keyboard cannot do the gesture.
// - Class: opening a class session's learner screen locks the device into it. The teacher
//   leaves it with the "Teacher" button in the top bar (at any moment, a learner's quiz is kept
//   to resume) and the teacher PIN set when the class session was started; report, settings,
//   sending and wipe are behind it.
//
// The lock lives in localStorage (synchronous, read before the first route). The PINs, their
// dialogs and the admin PIN panel are in pin.js, loaded only when a PIN is set or asked for
// (never on a kiosk visitor's path).

const LOCK_KEY = "kru-lock";
/** The kiosk's auto-play setting (staff, on the home screen): `true` reads each screen aloud. */
export const KIOSK_AUTOPLAY = "kru-kiosk-autoplay";
const HOLD_MS = 3000;

// The state kept in memory only for a browser that refuses localStorage.
const memory = {};

/** The JSON value kept under `key` (localStorage, or memory without it), or null. */
export function read(key) {
  let raw;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return memory[key] ?? null;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** Keeps `value` under `key` (null removes it). */
export function write(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage refused (private mode): the lock then lasts as long as the page
  }
  memory[key] = value;
}

/** The current lock: `{ mode: "kiosk" }`, `{ mode: "class", classId }`, or null. */
export function current() {
  return read(LOCK_KEY);
}

/** The route a lock keeps the device on. */
export function homeOf(lock) {
  if (!lock) return null;
  return lock.mode === "kiosk" ? "#/kiosk" : `#/class/${encodeURIComponent(lock.classId)}`;
}

/** Locks the device into `lock` (see the file's comment). */
export function set(lock) {
  write(LOCK_KEY, lock);
  markBrand();
}

/** Unlocks the device. */
export function clear() {
  write(LOCK_KEY, null);
  markBrand();
}

/**
 * The brand link is inert (no focus, no click) while the device is locked, and with `inert`
 * (the kiosk's attract screen drawn before the engine is ready, which locks it then).
 */
export function markBrand({ inert = false } = {}) {
  const brand = document.querySelector("[data-brand]");
  if (!brand) return;
  const locked = inert || Boolean(current());
  document.body.dataset.locked = locked ? "1" : "0";
  // A class's teacher can unlock at any moment, also in the middle of a learner's quiz.
  const teacher = document.querySelector("[data-teacher-unlock]");
  if (teacher) teacher.hidden = current()?.mode !== "class";
  if (locked) {
    brand.removeAttribute("href");
    brand.setAttribute("aria-disabled", "true");
  } else {
    brand.setAttribute("href", "#/");
    brand.removeAttribute("aria-disabled");
  }
}

// ------------------------------------------------------------------------------------------
// The staff gesture

/**
 * Calls `onHeld` when the logo in the top bar is pressed and held for three seconds (a
 * pointer only: mouse, touch or pen) while the device is locked into the kiosk.
 */
export function watchStaffGesture(onHeld) {
  const target = document.querySelector("[data-brand] .logo");
  if (!target || target.dataset.gesture) return;
  target.dataset.gesture = "1";
  let timer = null;
  const cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  target.addEventListener("pointerdown", (e) => {
    if (current()?.mode !== "kiosk") return;
    e.preventDefault();
    cancel();
    timer = setTimeout(() => {
      timer = null;
      onHeld();
    }, HOLD_MS);
  });
  for (const ev of ["pointerup", "pointerleave", "pointercancel"]) target.addEventListener(ev, cancel);
  target.addEventListener("contextmenu", (e) => {
    if (current()) e.preventDefault();
  });
}
