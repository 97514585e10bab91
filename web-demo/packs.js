// The pack chooser: which of the bundled packs this device runs. Staff choose it on the home
// screen (behind the kiosk lock: a kiosk reaches it only through the staff gesture and the
// admin PIN) and a teacher on the class list (behind the teacher PIN). The list is the pack
// index `packs.json` (id, title per language, languages, file, size, SHA-256), written by
// `cargo xtask demo` (the demo-pack step). The choice is remembered on the device
// (localStorage, `app.choosePack`) and the app starts again with that pack: its languages (the
// language switch, the kiosk's start buttons), its interface strings and digits, its results
// kept apart from other packs' (store.js). Only the chosen pack is downloaded and cached for
// offline use. Loaded by staff and teacher screens only.

import { h, newId } from "./render-step.js";

const INDEX_URL = "packs.json";

/** The pack index: `{ default, packs: [{ id, version, title, languages, file, size, sha256 }] }`. */
export async function packIndex() {
  const r = await fetch(INDEX_URL);
  if (!r.ok) throw new Error(`${INDEX_URL}: HTTP ${r.status}`);
  const index = await r.json();
  if (!Array.isArray(index?.packs)) throw new Error(`${INDEX_URL}: no list of packs`);
  return index;
}

/** A pack's title in `lang`, else in its first language. */
function titleOf(entry, lang) {
  return entry.title?.[lang] ?? entry.title?.[entry.languages?.[0]?.tag] ?? entry.id;
}

/** The app's address without `?pack=` (which would choose again), on the home screen. */
function restartUrl() {
  const params = new URLSearchParams(location.search);
  params.delete("pack");
  const q = params.toString();
  return `${location.pathname}${q ? `?${q}` : ""}#/`;
}

/**
 * The chooser's panel: one radio button per pack (its title, languages and size), the pack in
 * use checked, and "Use this pack", which remembers the choice and starts the app again.
 */
export function packPanel(app) {
  const headingId = newId("pack");
  const panel = h("form", { class: "panel pack-choice", "data-form": "pack", "aria-labelledby": headingId, novalidate: true },
    h("h2", { id: headingId }, app.t("packChoice")),
    h("p", { class: "hint" }, app.t("packChoiceHint")));
  packIndex().then((index) => {
    const name = newId("pack-choice");
    const options = index.packs.map((p) => {
      const inUse = p.id === app.pack.id;
      const langs = (p.languages ?? []).map((l, i) => [i ? ", " : "", h("span", { lang: l.tag }, l.name)]).flat();
      return h("label", { class: "choice pack-option", "data-pack": p.id },
        h("input", { type: "radio", name, value: p.id, checked: inUse }),
        h("span", { class: "mark", "aria-hidden": "true" }),
        h("span", { class: "pack-text" },
          h("span", {},
            h("span", { class: "pack-title", lang: p.title?.[app.lang] ? app.lang : p.languages?.[0]?.tag }, titleOf(p, app.lang)),
            inUse ? h("span", { class: "pack-in-use" }, ` (${app.t("packInUse")})`) : null),
          h("span", { class: "pack-meta" }, app.t("packLanguages", { languages: "" }), ...langs, " · ",
            app.t("packSize", { size: app.num(Math.round((p.size ?? 0) / 1000), 0) }))));
    });
    const error = h("p", { class: "form-error", role: "alert" });
    panel.append(
      h("fieldset", {}, h("legend", { class: "visually-hidden" }, app.t("packChoice")), h("div", { class: "choices" }, options)),
      error,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "btn secondary", "data-action": "use-pack" }, app.t("packUse"))));
    panel.addEventListener("submit", (e) => {
      e.preventDefault();
      const id = panel.querySelector("input[type=radio]:checked")?.value;
      if (!id || id === app.pack.id) return;
      app.choosePack(id);
      history.replaceState(null, "", restartUrl());
      location.reload();
    });
  }).catch((e) => {
    console.warn("pack index", e);
    panel.append(h("p", { class: "form-error", role: "alert", "data-pack-index": "missing" }, app.t("packIndexMissing")));
  });
  return panel;
}
