// The app's own words (buttons, headings, messages) come from the engine's one catalogue of
// interface strings (`kru_core::ui`, shared with `kru play`, the C kiosk and the report):
// kru's built-in English and Khmer, which the engine package ships as data
// (`pkg/ui/<tag>.txt`, `core/src/ui/<tag>.toml` compiled by `cargo xtask wasm`: `id` U+001F
// `text` U+001E, no escapes), and the pack's own
// `[interface]` strings, which win for their language. Everything a learner reads about the
// *content* (questions, lessons, the hotline, the card) comes from the pack through the
// engine too.
//
// To add a string: one line `id = "…"` in core/src/ui/en.toml (the one list of ids) and its
// translation in core/src/ui/km.toml. Nothing here changes.
//
// `{name}` placeholders are filled by `t()`; numbers passed in are written in the digits of
// the language's `numerals` in the pack (Khmer digits in Khmer, Lao digits in Lao:
// `useNumerals`). The Khmer strings are a draft, like the pack's Khmer: have them reviewed.

/** The built-in catalogues the package ships, English first (its ids are the ids). */
const BUILTIN_TAGS = ["en", "km"];

/** `[tag, text, tag, text, …]` of the built-in catalogues, once fetched. */
let builtins = null;
/** Resolves every string for a language list through the engine, once it is loaded. */
let resolve = null;
/** Resolved strings per language. */
const tables = new Map();
/** Before the pack is loaded: the strings of the pack index's `attract` entry, per language tag. */
let early = {};

/**
 * Fetches the built-in catalogues (the package's `ui/` folder). Call before the first `t()`.
 * `part` ".visitor": only the ids a kiosk visitor sees (`ui/<tag>.visitor.txt`, for the
 * first visit); "" (the default): every id, for staff and teacher screens.
 */
export async function loadBuiltinStrings(base = "./pkg/ui/", part = "") {
  const texts = await Promise.all(BUILTIN_TAGS.map(async (tag) => {
    const r = await fetch(`${base}${tag}${part}.txt`);
    if (!r.ok) throw new Error(`${base}${tag}${part}.txt: HTTP ${r.status}`);
    return [tag, await r.text()];
  }));
  setBuiltinStrings(texts);
  // The report's strings, if they were appended, went with the old texts.
  withReport = false;
}

/** Whether the report's strings have been appended to the built-in catalogues. */
let withReport = false;

/**
 * Fetches the report's built-in strings (`pkg/ui/report-<tag>.txt`: the words of the
 * engine's HTML report and its warnings, `rpt…` and `warning-…`) and appends each to its
 * language's catalogue (two compiled catalogues put together are one). The report screen calls it; a kiosk visitor's first visit does not
 * load them. Once is enough.
 */
export async function loadReportStrings(base = "./pkg/ui/") {
  if (withReport || !builtins) return;
  const pairs = [];
  for (let i = 0; i + 1 < builtins.length; i += 2) {
    const tag = builtins[i];
    const r = await fetch(`${base}report-${tag}.txt`);
    if (!r.ok) throw new Error(`${base}report-${tag}.txt: HTTP ${r.status}`);
    pairs.push([tag, builtins[i + 1] + (await r.text())]);
  }
  setBuiltinStrings(pairs);
  withReport = true;
}

/** Sets the built-in catalogues from their texts, `[[tag, text], …]`, English first. */
export function setBuiltinStrings(pairs) {
  builtins = pairs.flat();
  tables.clear();
}

/**
 * From now on, strings are resolved by the engine: `pack.uiStrings()` (the pack's own strings
 * win) or, without a pack, the module's `uiStrings()`.
 */
export function useCatalogue(engine, pack = null) {
  // Without the pack yet, the index's strings (resolved with the pack) still win.
  resolve = (langs) => (pack ? JSON.parse(pack.uiStrings(langs, builtins)) : { ...JSON.parse(engine.uiStrings(langs, builtins)), ...(early[langs[0]] ?? {}) });
  tables.clear();
}

/**
 * Before the engine is loaded: the strings the pack index (`packs.json`) carries for the
 * pack's attract screen, `{ tag: { id: text } }`, resolved by the engine when the index was
 * built (the pack's own strings over the built-in ones). They win over the built-in files
 * until `useCatalogue`.
 */
export function useEarlyStrings(byTag) {
  early = byTag && typeof byTag === "object" ? byTag : {};
  tables.clear();
}

/**
 * Before the engine is loaded (the first paint) or when it cannot load (the load-failure
 * screen): the pack index's strings for `lang` (`useEarlyStrings`) over the built-in file of
 * `lang` over the English one, read entry by entry (`id` U+001F `text` U+001E: the same
 * split the engine makes, see `kru_core::ui::table`).
 */
function beforeEngine(lang) {
  const read = (tag) => {
    const i = builtins ? builtins.indexOf(tag) : -1;
    const out = {};
    if (i < 0 || i % 2 !== 0) return out;
    for (const entry of builtins[i + 1].split("\x1e")) {
      const cut = entry.indexOf("\x1f");
      if (cut > 0 && !(entry.slice(0, cut) in out)) out[entry.slice(0, cut)] = entry.slice(cut + 1);
    }
    return out;
  };
  return { ...read("en"), ...read(lang), ...(early[lang] ?? {}) };
}

/**
 * The strings of `lang`, made once per language: every change of their sources
 * (`setBuiltinStrings`, `useEarlyStrings`, `useCatalogue`) clears the tables. Before the
 * engine too (the catalogue files were read line by line again for every string the kiosk's
 * early attract screen writes).
 */
function table(lang) {
  let tbl = tables.get(lang);
  if (!tbl) {
    tbl = resolve && builtins ? resolve([lang, "en"]) : beforeEngine(lang);
    tables.set(lang, tbl);
  }
  return tbl;
}

/** The zero of each numbering system (CLDR ids, the core's `Numerals`). */
const ZERO = {
  khmr: 0x17e0, laoo: 0x0ed0, mymr: 0x1040, thai: 0x0e50, beng: 0x09e6, deva: 0x0966, arab: 0x0660,
  arabext: 0x06f0, tamldec: 0x0be6, telu: 0x0c66, knda: 0x0ce6, mlym: 0x0d66, gujr: 0x0ae6,
  guru: 0x0a66, orya: 0x0b66, tibt: 0x0f20, mong: 0x1810, java: 0xa9d0, fullwide: 0xff10,
};
/** The zero of each language's digits. */
let zeros = { km: ZERO.khmr };

/** Numbers in the `numerals` of each of `pack.languages()`. */
export function useNumerals(languages) {
  zeros = Object.fromEntries(languages.filter((l) => ZERO[l.numerals]).map((l) => [l.tag, ZERO[l.numerals]]));
}

/** `s` with its ASCII digits in those of `lang`. */
export function digits(lang, s) {
  const zero = zeros[lang];
  return zero ? String(s).replace(/[0-9]/g, (d) => String.fromCharCode(zero + Number(d))) : String(s);
}

/** Writes the ASCII digits of `s` as Khmer digits. */
export const khmerDigits = (s) => digits("km", s);

/**
 * A number for display in `lang`: rounded to `decimals` places (trailing zeros dropped), in
 * the language's digits.
 */
export function num(lang, n, decimals = 1) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  const factor = 10 ** decimals;
  let s = String(Math.round(Number(n) * factor) / factor);
  if (s === "-0") s = "0";
  // One minus sign everywhere (U+2212, as `signed` writes it), not the hyphen.
  s = s.replace(/^-/, "\u2212");
  return digits(lang, s);
}

/** A percentage for display (`"67 %"`), Khmer digits in Khmer. */
export function pct(lang, n) {
  if (n === null || n === undefined) return "–";
  return `${num(lang, n, 0)}%`;
}

/** A signed value (`"+33"`), Khmer digits in Khmer. */
export function signed(lang, n, decimals = 0) {
  if (n === null || n === undefined) return "–";
  const s = num(lang, Math.abs(n), decimals);
  return (n > 0.0005 ? "+" : n < -0.0005 ? "−" : "") + s;
}

/**
 * The string `key` in `lang` (English when missing), with `{name}` filled from `vars`.
 * Numbers in `vars` are formatted with `num`.
 */
export function t(lang, key, vars = {}) {
  const s = table(lang)[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, name) => {
    const v = vars[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === "number" ? num(lang, v) : String(v);
  });
}

/**
 * What a learner reads for an engine error: the string `e.messageId` (the engine's id) filled
 * from `e.params`, or `error-other`. The engine's English message goes to the console only.
 */
export function errorText(lang, e) {
  console.error(e);
  const key = e?.messageId;
  const tbl = table(lang);
  return t(lang, typeof key === "string" && key in tbl ? key : "error-other", e?.params ?? {});
}

/** A calendar date `{year, month, day}` or `YYYY-MM-DD` as text in `lang`. */
export function date(lang, d) {
  if (!d) return "";
  const iso = typeof d === "string"
    ? d
    : `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
  if (lang !== "km") return digits(lang, iso);
  const [y, m, day] = iso.split("-");
  return khmerDigits(`${Number(day)}/${Number(m)}/${y}`);
}
