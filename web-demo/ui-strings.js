// The app's own words (buttons, headings, messages) come from the engine's one catalogue of
// interface strings (`kru_core::ui`, shared with `kru play`, the C kiosk and the report):
// kru's built-in English and Khmer, which the engine package ships as data
// (`pkg/ui/<tag>.toml`, copies of `core/src/ui/<tag>.toml`), and the pack's own
// `[interface]` strings, which win for their language. Everything a learner reads about the
// *content* (questions, lessons, the hotline, the card) comes from the pack through the
// engine too.
//
// To add a string: one line `id = "…"` in core/src/ui/en.toml (the one list of ids) and its
// translation in core/src/ui/km.toml. Nothing here changes.
//
// `{name}` placeholders are filled by `t()`; numbers passed in are written with Khmer digits
// in Khmer. The Khmer strings are a draft, like the pack's Khmer: have them reviewed.

export const LANGS = [
  { tag: "km", name: "ខ្មែរ" },
  { tag: "en", name: "English" },
];

/** The built-in catalogues the package ships, English first (its ids are the ids). */
const BUILTIN_TAGS = ["en", "km"];

/** `[tag, text, tag, text, …]` of the built-in catalogues, once fetched. */
let builtins = null;
/** Resolves every string for a language list through the engine, once it is loaded. */
let resolve = null;
/** Resolved strings per language. */
const tables = new Map();

/** Fetches the built-in catalogues (the package's `ui/` folder). Call before the first `t()`. */
export async function loadBuiltinStrings(base = "./pkg/ui/") {
  const texts = await Promise.all(BUILTIN_TAGS.map(async (tag) => {
    const r = await fetch(`${base}${tag}.toml`);
    if (!r.ok) throw new Error(`${base}${tag}.toml: HTTP ${r.status}`);
    return [tag, await r.text()];
  }));
  setBuiltinStrings(texts);
}

/** Whether the report's strings have been appended to the built-in catalogues. */
let withReport = false;

/**
 * Fetches the report's built-in strings (`pkg/ui/report-<tag>.toml`: the words of the
 * engine's HTML report and its warnings, `rpt…` and `warning-…`) and appends each to its
 * language's catalogue. The report screen calls it; a kiosk visitor's first visit does not
 * load them. Once is enough.
 */
export async function loadReportStrings(base = "./pkg/ui/") {
  if (withReport || !builtins) return;
  const pairs = [];
  for (let i = 0; i + 1 < builtins.length; i += 2) {
    const tag = builtins[i];
    const r = await fetch(`${base}report-${tag}.toml`);
    if (!r.ok) throw new Error(`${base}report-${tag}.toml: HTTP ${r.status}`);
    pairs.push([tag, `${builtins[i + 1]}\n${await r.text()}`]);
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
  resolve = (langs) => JSON.parse(pack ? pack.uiStrings(langs, builtins) : engine.uiStrings(langs, builtins));
  tables.clear();
}

/**
 * Before the engine is loaded (the first paint) or when it cannot load (the load-failure
 * screen): the built-in file of `lang` over the English one, read line by line. The files are
 * `id = "text"` lines whose strings are also valid JSON strings.
 */
function beforeEngine(lang) {
  const read = (tag) => {
    const i = builtins ? builtins.indexOf(tag) : -1;
    const out = {};
    if (i < 0 || i % 2 !== 0) return out;
    for (const line of builtins[i + 1].split("\n")) {
      const m = line.match(/^([A-Za-z0-9_-]+) = ("(?:[^"\\]|\\.)*")/);
      if (m) {
        try {
          out[m[1]] = JSON.parse(m[2]);
        } catch {
          // not a JSON-compatible escape: the engine reads it once it is loaded
        }
      }
    }
    return out;
  };
  return { ...read("en"), ...read(lang) };
}

function table(lang) {
  let tbl = tables.get(lang);
  if (!tbl) {
    tbl = resolve && builtins ? resolve([lang, "en"]) : beforeEngine(lang);
    if (resolve) tables.set(lang, tbl);
  }
  return tbl;
}

const KHMER_ZERO = 0x17e0;

/** Writes the ASCII digits of `s` as Khmer digits. */
export function khmerDigits(s) {
  return String(s).replace(/[0-9]/g, (d) => String.fromCharCode(KHMER_ZERO + Number(d)));
}

/**
 * A number for display in `lang`: rounded to `decimals` places (trailing zeros dropped),
 * Khmer digits in Khmer.
 */
export function num(lang, n, decimals = 1) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  const factor = 10 ** decimals;
  let s = String(Math.round(Number(n) * factor) / factor);
  if (s === "-0") s = "0";
  // One minus sign everywhere (U+2212, as `signed` writes it), not the hyphen.
  s = s.replace(/^-/, "\u2212");
  return lang === "km" ? khmerDigits(s) : s;
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
 * What a learner reads for an error the engine threw: the catalogue's message for its code
 * (`error-<code>`, e.g. `error-bad-learner-code`) in `lang`, its placeholders filled from the
 * error's `params`, or `error-other` when the catalogue has none for the code. The engine's
 * own message is English and for staff: it goes to the console, never on the learner's screen.
 */
export function errorText(lang, e) {
  console.error(e);
  const key = `error-${e?.code ?? "other"}`;
  const tbl = table(lang);
  return t(lang, key in tbl ? key : "error-other", e?.params ?? {});
}

/** A calendar date `{year, month, day}` or `YYYY-MM-DD` as text in `lang`. */
export function date(lang, d) {
  if (!d) return "";
  const iso = typeof d === "string"
    ? d
    : `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
  if (lang !== "km") return iso;
  const [y, m, day] = iso.split("-");
  return khmerDigits(`${Number(day)}/${Number(m)}/${y}`);
}
