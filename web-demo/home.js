// The home screen (who is using this device?): a staff screen, behind the kiosk and class
// locks, loaded by its route only (never on a kiosk visitor's path).

import { h } from "./render-step.js";

/** The home screen: the three modes, the outbox's status line, the kiosk's admin PIN and settings. */
export function showHome(app) {
  const tile = (href, title, hint, mode) =>
    h("a", { class: "tile", href, "data-mode": mode }, h("span", { class: "tile-title" }, title), h("span", { class: "tile-hint" }, hint));
  const view = h(
    "section",
    { class: "home" },
    h("h1", { tabindex: "-1" }, app.t("chooseMode")),
    h("div", { "data-outbox-slot": "" }),
    h("div", { class: "tiles" },
      tile("#/kiosk", app.t("modeKiosk"), app.t("modeKioskHint"), "kiosk"),
      tile("#/class", app.t("modeClass"), app.t("modeClassHint"), "class"),
      tile("#/report", app.t("modeReport"), app.t("modeReportHint"), "report")),
    h("div", { "data-admin-pin-slot": "" }),
    h("div", { "data-pack-slot": "" }),
    h("p", { class: "meta" }, app.t("version", {
      engine: app.engine.version(), pack: app.pack.id, packVersion: app.pack.version, key: app.pack.signerKeyId ?? "–",
    })),
  );
  app.setView(view);
  app.onLanguage = async () => showHome(app);
  // The outbox's status line and settings link (teacher/admin screen).
  import("./outbox-screens.js").then((o) => view.querySelector("[data-outbox-slot]")?.replaceChildren(o.statusBox(app))).catch(() => {});
  // The admin PIN panel (pin.js: loaded by staff screens only, not on a kiosk visitor's path).
  import("./pin.js").then((p) => view.querySelector("[data-admin-pin-slot]")?.replaceChildren(p.adminPinPanel(app), p.autoplayPanel(app))).catch(app.error);
  // Which pack this device runs (packs.js, staff screens only).
  import("./packs.js").then((p) => view.querySelector("[data-pack-slot]")?.replaceChildren(p.packPanel(app))).catch(app.error);
}
