// Report: the cohort report of one class session, of the kiosk, or of everything on the
// device, for the teacher or the programme officer. Pre vs post per key message (inline SVG
// charts), the gain, groups, the item table, downloads and "wipe this device".
//
// Every figure and every download comes from the engine's full module
// (`pkg/kru_wasm_full.js`, loaded when the report is opened): the screen draws its cohort
// report (`cohortReport`), and the downloads are the core's own renderings of the same report
// (`reportHtml`, `reportCsv`, `responsesCsv`), byte for byte what the `kru` CLI and the C API
// give for the same log. When the report engine cannot run (this build has no full module, or
// it throws), the screen says so and computes nothing itself; the results log can still be
// downloaded and reported on elsewhere.

import { h, loadStyle, newId } from "./render-step.js";
import { date as fmtDate, loadReportStrings, pct, signed } from "./ui-strings.js";
import * as store from "./store.js";
import * as pin from "./pin.js";
import { logId } from "./classroom.js";

// ------------------------------------------------------------------------------------------
// Data

/**
 * The log bytes of a source: "all" (every log of the pack in use), the kiosk's log
 * (`app.kioskPlace()`) or "class:<id>".
 */
async function sourceLog(app, full, source) {
  if (source !== "all") return store.getLog(source);
  const logs = (await store.allLogs()).map((l) => l.bytes);
  if (logs.length < 2) return logs[0] ?? new Uint8Array(0);
  if (full?.engine.mergeLogs) return full.engine.mergeLogs(logs);
  // Without the full module (no mergeLogs, no report): the logs one after the other (each cut
  // after its last whole frame), for the results-log download.
  const parts = logs.map((l) => l.subarray(0, app.engine.appendOffset(l)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The labels the report shows for a journey, from the catalogue: its intake questions
 * (`options` as `[code, label]` pairs; none when the journey asks none), objective titles
 * and item prompts by id. Empty without the full engine module (the report then shows ids).
 */
function labels(app, journey, lang) {
  const c = app.catalogue(lang);
  const asks = c?.journeys.find((j) => j.id === journey)?.intake ?? false;
  return {
    intake: asks ? c.intake.map((f) => ({ id: f.id, label: f.label, options: f.options.map((o) => [o.code, o.label]) })) : [],
    objectives: new Map(c?.objectives.map((o) => [o.id, o.title])),
    items: new Map(c?.items.map((i) => [i.id, { prompt: i.prompt, kind: i.kind }])),
  };
}

// ------------------------------------------------------------------------------------------
// Charts (inline SVG)

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Two horizontal bars (before, after) on a 0–100 % scale, as one image. */
/**
 * The width of a chart's drawing in SVG units: the room it gets on screen (at most 640), so
 * that its text is drawn at its CSS size, not shrunk to 7–8 px on a phone.
 */
function chartWidth(app) {
  return Math.round(Math.max(300, Math.min(640, (app.main?.clientWidth ?? 640) - 70)));
}

function prePostBars(app, label, pre, post) {
  const W = chartWidth(app);
  const rowH = 30;
  const room = W < 480 ? 130 : 150; // for "Before 100%" at the end of a bar
  const width = (v) => (v === null || v === undefined ? 0 : Math.max(0, Math.min(100, v)) * ((W - room) / 100));
  const row = (y, v, cls, name) =>
    svg("g", { class: `bar ${cls}` },
      svg("rect", { x: 0, y, width: W - room, height: rowH - 6, class: "track", rx: 4 }),
      svg("rect", { x: 0, y, width: width(v), height: rowH - 6, rx: 4 }),
      svg("text", { x: W - room + 10, y: y + rowH / 2 - 1, "dominant-baseline": "middle", class: "value" }, `${name} ${pct(app.lang, v)}`));
  return svg("svg", {
    viewBox: `0 0 ${W} ${rowH * 2 + 4}`, role: "img", class: "chart-bars",
    "aria-label": `${label}: ${app.t("chartLegendPre")} ${pct(app.lang, pre)}, ${app.t("chartLegendPost")} ${pct(app.lang, post)}`,
  }, row(2, pre, "pre", app.t("chartLegendPre")), row(rowH + 2, post, "post", app.t("chartLegendPost")));
}

function messageChart(app, block, objectiveTitle) {
  const rows = [];
  rows.push(h("div", { class: "chart-row overall", "data-objective": "all" },
    h("p", { class: "chart-label" }, h("strong", {}, app.t("chartOverall"))),
    prePostBars(app, app.t("chartOverall"), block.paired.pre.mean ?? block.pre.mean, block.paired.post.mean ?? block.post.mean)));
  for (const o of block.objectives) {
    const title = objectiveTitle(o.id);
    rows.push(h("div", { class: "chart-row", "data-objective": o.id, "data-pre": o.pre.percent ?? "", "data-post": o.post.percent ?? "" },
      h("p", { class: "chart-label" }, title),
      prePostBars(app, title, o.pre.percent, o.post.percent)));
  }
  return h("figure", { class: "chart" },
    h("figcaption", {}, app.t("chartByMessage"),
      h("span", { class: "legend" },
        h("span", { class: "swatch pre", "aria-hidden": "true" }), app.t("chartLegendPre"), " ",
        h("span", { class: "swatch post", "aria-hidden": "true" }), app.t("chartLegendPost"))),
    rows);
}

function gainHistogram(app, bins) {
  if (!bins.some((b) => b.count)) return null;
  const W = chartWidth(app);
  const H = 220;
  const left = 36;
  const bottom = 36;
  const max = Math.max(...bins.map((b) => b.count));
  const bw = (W - left - 8) / bins.length;
  const bars = bins.map((b, i) => {
    const hgt = max ? (b.count / max) * (H - bottom - 16) : 0;
    return svg("g", {},
      svg("rect", { x: left + i * bw + 2, y: H - bottom - hgt, width: bw - 4, height: hgt, class: b.center < 0 ? "neg" : b.center > 0 ? "pos" : "zero", rx: 2 }),
      b.count ? svg("text", { x: left + i * bw + bw / 2, y: H - bottom - hgt - 4, "text-anchor": "middle", class: "count" }, app.num(b.count)) : null);
  });
  const ticks = [-100, -50, 0, 50, 100].map((v) => {
    const i = (v + 100) / 10;
    return svg("text", { x: left + i * bw + bw / 2, y: H - bottom + 18, "text-anchor": "middle", class: "tick" }, signed(app.lang, v));
  });
  const summary = bins.filter((b) => b.count).map((b) => `${signed(app.lang, b.center)}: ${app.num(b.count)}`).join(", ");
  return h("figure", { class: "chart" },
    h("figcaption", {}, app.t("chartGain")),
    svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "chart-hist", "aria-label": `${app.t("chartGain")}: ${summary}` },
      svg("line", { x1: left, x2: W - 8, y1: H - bottom, y2: H - bottom, class: "axis" }),
      ...bars, ...ticks,
      svg("text", { x: left + (W - left) / 2, y: H - 4, "text-anchor": "middle", class: "axis-label" }, app.t("chartGainAxis"))));
}

// ------------------------------------------------------------------------------------------
// Screen

/**
 * A warning of the engine's report in the app's language: the catalogue's text for its
 * `text_id` with its `params` (the same words as the HTML report), or its English message
 * from an engine that gives no text id.
 */
function warningText(app, w) {
  if (!w.text_id) return w.message;
  const s = app.t(w.text_id, w.params ?? {});
  return s === w.text_id ? w.message : s;
}

function download(name, type, data) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 1000);
}

function select(label, options, value, onchange, attrs = {}) {
  const id = newId("sel");
  const sel = h("select", { id, ...attrs, onchange: (e) => onchange(e.target.value) },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  return h("div", { class: "field inline" }, h("label", { for: id }, label), sel);
}

/** "I don't know" before and after (count and share of the answers), where learners used it. */
function dontKnowTiles(app, block) {
  const dk = block.dont_know;
  if (!dk || dk.pre.dont_know + dk.post.dont_know === 0) return null;
  const cell = (s) => `${app.num(s.dont_know)}/${app.num(s.responses)} (${pct(app.lang, s.percent)})`;
  return h("div", { class: "stats", "data-block": "dont-know" },
    tile(app.t("statDontKnowPre"), cell(dk.pre), { "data-stat": "dont-know-pre", "data-value": dk.pre.dont_know }),
    tile(app.t("statDontKnowPost"), cell(dk.post), { "data-stat": "dont-know-post", "data-value": dk.post.dont_know }));
}

function tile(label, value, attrs = {}) {
  return h("div", { class: "stat", ...attrs }, h("span", { class: "stat-value" }, value), h("span", { class: "stat-label" }, label));
}

/**
 * Where the report opens when the address names no source: on the results of the pack in use
 * there are. Only the kiosk's → the kiosk; only one class session's → that session; else
 * everything, on the class journey when a class has results, on the kiosk's when none has.
 */
async function defaultSource(app) {
  const withData = (await store.allLogs()).filter((l) => l.bytes.length).map((l) => l.id);
  const classes = withData.filter((id) => id.startsWith("class:"));
  if (withData.length === 1) return { source: withData[0], journey: null };
  return { source: "all", journey: app.journeyFor(classes.length || !withData.includes(app.kioskPlace()) ? "school" : "kiosk") };
}

/** `#/report`. */
export async function showReport(app, query) {
  await Promise.all([loadStyle("report.css"), loadReportStrings()]);
  // `?source=kiosk` names the kiosk of the pack in use.
  const asked = query.get("source") === "kiosk" ? app.kioskPlace() : query.get("source");
  const opening = asked ? { source: asked, journey: null } : await defaultSource(app);
  const state = {
    source: opening.source,
    journey: query.get("journey") ?? opening.journey,
    by: query.get("by") ?? "",
    show: "",
  };
  const classes = await store.listClasses();
  const full = await app.analysis();
  // Results of other packs on this device: not mixed in (their records need their pack).
  const others = (await store.allLogs({ others: true })).filter((l) => l.bytes.length);
  const otherPacks = new Set(others.map((l) => l.pack ?? "")).size;

  const render = async () => {
    const kiosk = app.kioskPlace();
    const journey = state.source === kiosk ? app.journeyFor("kiosk")
      : state.source.startsWith("class:") ? app.journeyFor("school") : (state.journey ?? app.journeyFor("school"));
    const log = await sourceLog(app, full, state.source);
    // The engine's defaults for minN, ceilingPercent, smallGroup, maxGroups, attritionShare.
    const options = { by: state.by || null, journey };
    // Why there is no report although there are results: no full module, or the engine threw.
    let report = null;
    let failure = null;
    if (log.length && !full) failure = app.t("engineMissing", { what: "cohortReport" });
    else if (log.length) {
      try {
        report = full.engine.cohortReport(full.pack, log, options);
      } catch (e) {
        failure = app.t("reportFailed", { reason: String(e?.message ?? e) });
      }
    }
    app.lastReport = report;
    const L = labels(app, journey, app.lang);
    const objectiveTitle = (id) => L.objectives.get(id) ?? id;
    const intake = L.intake;
    const groupLabel = (field, value) => {
      if (value === "(not answered)") return app.t("notAnswered");
      if (value === "(other)") return app.t("otherGroup");
      return intake.find((f) => f.id === field)?.options.find(([c]) => c === value)?.[1] ?? value;
    };

    // Controls
    const sources = [["all", app.t("reportAll")], [kiosk, app.t("reportKiosk")],
      ...classes.map((c) => [`class:${c.id}`, app.t("reportClass", { label: app.t("classSessionOf", { school: c.school, className: c.className, date: fmtDate(app.lang, c.date) }) })])];
    const controls = h("form", { class: "panel controls", "data-no-export": "", onsubmit: (e) => e.preventDefault() },
      select(app.t("reportSource"), sources, state.source, (v) => { state.source = v; state.show = ""; render(); }, { "data-control": "source" }),
      state.source === "all"
        ? select(app.t("reportJourney"), app.journeys(app.lang).map((j) => [j.id, j.id === "school" ? app.t("journeySchool") : j.id === "kiosk" ? app.t("journeyKiosk") : j.title]),
          journey, (v) => { state.journey = v; render(); }, { "data-control": "journey" })
        : null,
      intake.length
        ? select(app.t("reportBy"), [["", app.t("reportByNone")], ...intake.filter((f) => f.options.length).map((f) => [f.id, f.label])], state.by,
          (v) => { state.by = v; state.show = ""; render(); }, { "data-control": "by" })
        : null,
      state.by && report?.groups.length
        ? select(app.t("reportShow"), [["", app.t("reportShowAll")], ...report.groups.map((g) => [g.value, groupLabel(g.field, g.value)])], state.show,
          (v) => { state.show = v; render(); }, { "data-control": "show" })
        : null);

    const section = h("section", { class: "report", "data-journey": journey, "data-source": state.source });
    section.append(h("h1", { tabindex: "-1" }, app.t("reportTitle")));
    section.append(h("p", { class: "meta", "data-pack": app.pack.id }, app.t("reportPack", { title: app.pack.title(app.preferred(app.lang)) }), " · ",
      sources.find(([v]) => v === state.source)?.[1] ?? "", state.show ? ` · ${groupLabel(state.by, state.show)}` : ""));
    if (otherPacks) section.append(h("p", { class: "notice", "data-other-packs": otherPacks }, app.t("reportOtherPacks", { n: otherPacks })));
    section.append(controls);

    if (failure) {
      section.append(h("p", { class: "form-error", role: "alert", "data-report-error": "" }, failure));
    } else if (!report || !report.cohort.learners.records) {
      section.append(h("p", { class: "empty", role: "status" }, app.t("reportEmpty")));
    } else if (state.show && report.groups.find((g) => g.value === state.show)?.suppressed) {
      // A small cell: the engine withheld its figures.
      section.append(h("p", { class: "empty", role: "status", "data-suppressed": "" },
        app.t("groupSuppressed", { n: report.options.small_group })));
    } else {
      const block = state.show ? report.groups.find((g) => g.value === state.show) ?? report.cohort : report.cohort;
      const l = block.learners;
      const preMean = block.paired.n ? block.paired.pre.mean : block.pre.mean;
      const postMean = block.paired.n ? block.paired.post.mean : block.post.mean;
      section.append(h("div", { class: "stats", "data-block": state.show || "cohort" },
        tile(app.t("statLearners"), app.num(l.records), { "data-stat": "learners", "data-value": l.records }),
        tile(app.t("statCompleted"), app.num(l.completed), { "data-stat": "completed", "data-value": l.completed }),
        tile(app.t("statPaired"), app.num(l.paired), { "data-stat": "paired", "data-value": l.paired }),
        tile(app.t("statPre"), pct(app.lang, preMean), { "data-stat": "pre", "data-value": preMean ?? "" }),
        tile(app.t("statPost"), pct(app.lang, postMean), { "data-stat": "post", "data-value": postMean ?? "" }),
        tile(app.t("statGain"), block.paired.gain.mean === null ? "–" : signed(app.lang, block.paired.gain.mean),
          { "data-stat": "gain", "data-value": block.paired.gain.mean ?? "" }),
        block.paired.class_normalised_gain !== null && block.paired.class_normalised_gain !== undefined
          ? tile(app.t("statNormGain"), app.num(block.paired.class_normalised_gain, 2), { "data-stat": "normalised-gain", "data-value": block.paired.class_normalised_gain })
          : null));

      const dk = dontKnowTiles(app, block);
      if (dk) section.append(dk);
      section.append(messageChart(app, block, objectiveTitle));
      const hist = gainHistogram(app, block.gain_histogram);
      if (hist) section.append(hist);

      if (state.by && report.groups.length) {
        section.append(h("h2", {}, app.t("groupsTable")),
          h("div", { class: "table-wrap" }, h("table", { class: "groups" },
            h("thead", {}, h("tr", {}, [app.t("group"), app.t("statLearners"), app.t("statPre"), app.t("statPost"), app.t("statGain")].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, report.groups.map((g) => g.suppressed
              ? h("tr", { "data-group": g.value, "data-suppressed": "" },
                h("th", { scope: "row" }, groupLabel(g.field, g.value)),
                h("td", { colspan: "4" }, app.t("groupSuppressed", { n: report.options.small_group })))
              : h("tr", { "data-group": g.value },
              h("th", { scope: "row" }, groupLabel(g.field, g.value)),
              h("td", {}, app.num(g.learners.records)),
              h("td", {}, pct(app.lang, g.pre.mean)),
              h("td", {}, pct(app.lang, g.post.mean)),
              h("td", {}, g.paired.gain.mean === null ? "–" : signed(app.lang, g.paired.gain.mean))))))));
      }

      if (block.items.length) {
        const share = (p) => (p.n ? `${pct(app.lang, (p.correct / p.n) * 100)} (${app.num(p.correct)}/${app.num(p.n)})` : "–");
        // Long (every item answered): folded on screen.
        section.append(h("details", { class: "items-details" },
          h("summary", {}, h("h2", {}, `${app.t("itemsTable")} (${app.num(block.items.length)})`)),
          h("div", { class: "table-wrap" }, h("table", { class: "items" },
            h("thead", {}, h("tr", {}, [app.t("itemId"), app.t("itemMessage"), app.t("itemPre"), app.t("itemPost"), app.t("itemChange")].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, block.items.map((it) => h("tr", { "data-item": it.id },
              h("th", { scope: "row" }, L.items.get(it.id)?.prompt ?? it.id, h("span", { class: "item-id" }, ` ${it.id}`)),
              h("td", {}, it.objectives.map(objectiveTitle).join("; ")),
              h("td", { "data-pre": it.pre.correct }, share(it.pre)),
              h("td", { "data-post": it.post.correct }, share(it.post)),
              h("td", {}, it.pre.n && it.post.n ? signed(app.lang, (it.post.correct / it.post.n - it.pre.correct / it.pre.n) * 100) : "–"))))))));
      }

      const warnings = [...report.warnings, ...block.warnings];
      if (warnings.length) {
        section.append(h("h2", {}, app.t("warnings")),
          h("ul", { class: "warnings" }, warnings.map((w) => h("li", { "data-code": w.code }, warningText(app, w)))));
      }
    }

    // Downloads: the engine's renderings of this report (same log, same options), and the log.
    const stamp = new Date().toISOString().slice(0, 10);
    const base = `kru-${state.source.replace(/[^a-z0-9-]+/gi, "-")}-${stamp}`;
    const rendering = (kind, suffix, type, label, render) =>
      h("button", { type: "button", class: "btn secondary", "data-download": kind, disabled: !report, onclick: () => {
        try {
          download(`${base}${suffix}`, type, render());
        } catch (e) {
          app.error(e);
        }
      } }, label);
    const downloads = h("section", { class: "panel downloads", "data-no-export": "" },
      h("h2", {}, app.t("downloads")),
      h("div", { class: "actions wrap" },
        rendering("csv", ".csv", "text/csv;charset=utf-8", app.t("downloadCsv"),
          () => full.engine.responsesCsv(full.pack, log, options)),
        rendering("summary", "-summary.csv", "text/csv;charset=utf-8", app.t("downloadSummary"),
          () => full.engine.reportCsv(full.pack, log, options)),
        rendering("html", ".html", "text/html;charset=utf-8", app.t("downloadHtml"),
          () => full.engine.reportHtml(full.pack, log, options, app.preferred(app.lang))),
        h("button", { type: "button", class: "btn secondary", "data-download": "log", disabled: !log.length, onclick: () =>
          download(`${base}.krulog`, "application/octet-stream", log) }, app.t("downloadLog"))));
    const wipe = h("section", { class: "panel danger", "data-no-export": "" },
      h("h2", {}, app.t("settings")),
      h("p", {}, app.t("wipeHint")),
      h("button", { type: "button", class: "btn danger", "data-action": "wipe", onclick: () => confirmWipe(app).catch(app.error) }, app.t("wipe")));

    const view = h("div", { class: "report-screen" }, section, downloads, wipe);
    app.setView(view);
    app.onLanguage = render;
    app.bump();
  };
  await render();
  app.timings.reportDrawn ??= performance.now();
}

async function confirmWipe(app) {
  // A teacher function: a teacher PIN (of any class session) or the kiosk's admin PIN.
  const pins = [pin.adminPin(), ...(await store.listClasses({ all: true })).map((c) => c.pin)].filter(Boolean);
  if (pins.length && !(await pin.askPin(app, { title: app.t("wipePin"), records: pins }))) return;
  const dialog = document.getElementById("confirm-dialog");
  dialog.querySelector("[data-confirm-title]").textContent = app.t("wipeConfirmTitle");
  dialog.querySelector("[data-confirm-body]").textContent = app.t("wipeConfirmBody");
  const yes = dialog.querySelector("[data-confirm-yes]");
  const no = dialog.querySelector("[data-confirm-no]");
  yes.textContent = app.t("wipeConfirm");
  yes.className = "btn danger";
  no.textContent = app.t("cancel");
  const close = () => dialog.close();
  no.onclick = close;
  yes.onclick = async () => {
    yes.disabled = true;
    try {
      await store.wipe();
    } finally {
      yes.disabled = false;
      dialog.close();
    }
    app.setView(h("section", { class: "wiped", role: "status", "data-screen": "wiped" },
      h("h1", { tabindex: "-1" }, app.t("wiped")),
      h("p", {}, h("a", { href: "#/", class: "btn secondary" }, app.t("home")))));
    app.main.querySelector("h1").focus();
  };
  dialog.showModal();
  no.focus();
}

export { logId };
