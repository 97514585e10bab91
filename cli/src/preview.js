// kru preview: loaded by the web app only with ?preview=1, served by `kru preview` (not part
// of the deployed app). Shows the PREVIEW banner and the validator's messages, and reloads
// the page when `kru preview` has built the pack again after a file was saved.

const POLL_MS = 700;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function banner() {
  const box = el("aside", { class: "kru-preview", "data-preview": "banner", role: "region", "aria-label": "Preview" });
  box.style.cssText =
    "position:sticky;top:0;z-index:1000;background:#7a0019;color:#fff;padding:8px 14px;font:600 16px/1.4 system-ui,sans-serif;box-shadow:0 2px 6px #0005";
  const title = el("p", { "data-preview": "title" }, "PREVIEW — kru preview: not a real session; no result is saved");
  title.style.margin = "0";
  const summary = el("p", { "data-preview": "summary", "aria-live": "polite" });
  summary.style.cssText = "margin:4px 0 0;font-weight:400";
  const list = el("ol", { "data-preview": "messages" });
  list.style.cssText = "margin:6px 0 0;padding-left:1.4em;font:400 14px/1.4 ui-monospace,monospace;max-height:40vh;overflow:auto;white-space:pre-wrap";
  box.append(title, summary, list);
  document.body.prepend(box);
  return { summary, list };
}

function show(ui, status) {
  const { errors = 0, warnings = 0, messages = [], ok, build } = status;
  ui.summary.textContent =
    `${errors} error(s), ${warnings} warning(s)` +
    (ok ? ` · build ${build}` : build ? " · showing the last build that compiled" : " · nothing to play until the errors are fixed");
  ui.list.replaceChildren(
    ...messages.map((m) => {
      const li = el("li", { "data-severity": m.severity, "data-code": m.code }, m.text);
      li.style.color = m.severity === "error" ? "#ffd6d6" : "#fff3c4";
      return li;
    }),
  );
}

async function status() {
  const r = await fetch("preview/status.json", { cache: "no-store" });
  if (!r.ok) throw new Error(`preview/status.json: HTTP ${r.status}`);
  return r.json();
}

/** Starts the preview UI; `loaded` is the build number of the pack the page runs (0: none). */
export async function start({ loaded = 0 } = {}) {
  document.title = `PREVIEW · ${document.title}`;
  document.body.dataset.preview = "1";
  // No service worker in preview: the app is not kept for offline use.
  const offline = document.getElementById("offline-status");
  if (offline) offline.textContent = "Preview: not kept for offline use";
  const ui = banner();
  let first = null;
  try {
    first = await status();
    show(ui, first);
  } catch (e) {
    ui.summary.textContent = `kru preview is not answering (${e.message})`;
  }
  let seen = loaded || first?.build || 0;
  // Which build this page runs (for the tests: a reload has happened once it changes).
  document.body.dataset.previewBuild = String(loaded);
  let checked = first?.checked ?? 0;
  setInterval(async () => {
    let s;
    try {
      s = await status();
    } catch {
      ui.summary.textContent = "kru preview is not answering: is it still running?";
      return;
    }
    if (s.checked !== checked) {
      checked = s.checked;
      show(ui, s);
    }
    // A new build: start again on it (the quiz restarts; nothing is saved).
    if (s.build !== seen && s.ok) {
      seen = s.build;
      location.reload();
    }
  }, POLL_MS);
}
