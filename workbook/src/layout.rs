//! The workbook layout: which sheet, row and column each part of a pack source folder goes to
//! ([`to_book`]) and back ([`from_book`]). `docs/authoring.md` describes it for authors.
//!
//! - One sheet per list of the structure files: `items`, `objectives`, `indicators`,
//!   `resources`, `intake`, `forms`, `lessons`, `stories`, `journeys`, `languages`; nested lists
//!   get their own sheet whose first column names the parent (`phases` → `journey`, `pages` →
//!   `lesson`, `nodes` → `story`). One row per entry, one column per field.
//! - The translations of an entry are columns of its row, one per string and language:
//!   `label::English (en)` (an item's `prompt`), `explanation::Khmer (km)`, `title::…`.
//! - Option texts go to the `choices` sheet (`list_name`, `name`, `label::…`), XLSForm's way:
//!   the list of an item is named by the item's id, other lists by their path
//!   (`intake.sex`).
//! - `settings`: every other structure value (`[pack]`, `[card]`) as `key`/`value` rows.
//! - `strings`: every other translation (lesson texts, story texts) as `key` + one column per
//!   language.
//!
//! Every value of a valid folder has exactly one place, so folder → workbook → folder gives
//! the same sources up to comments, order of keys in a table and formatting; the compiler
//! gives the same pack.

use std::collections::{BTreeSet, HashMap};

use kru_core::authoring::SourceFile;
use toml::{Table, Value};

use crate::book::{Book, Cell, CellRef, Sheet};
use crate::cell::{decode, decode_text, encode, encode_text, ColumnKind};
use crate::WorkbookError;

/// The structure files, in the order they are written.
const STRUCTURE_FILES: &[&str] = &["pack.toml", "items.toml", "lessons.toml"];

/// A list of a structure file that has its own sheet.
struct Section {
    file: &'static str,
    key: &'static str,
    sheet: &'static str,
    /// The i18n section of its entries' strings (`[item.<id>]`), if any.
    i18n: Option<&'static str>,
    /// When set, only these strings are columns; the others go to `strings`.
    only_text: Option<&'static [&'static str]>,
}

const SECTIONS: &[Section] = &[
    Section {
        file: "items.toml",
        key: "item",
        sheet: "items",
        i18n: Some("item"),
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "language",
        sheet: "languages",
        i18n: None,
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "objective",
        sheet: "objectives",
        i18n: Some("objective"),
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "indicator",
        sheet: "indicators",
        i18n: Some("indicator"),
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "resource",
        sheet: "resources",
        i18n: Some("resource"),
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "intake",
        sheet: "intake",
        i18n: Some("intake"),
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "form",
        sheet: "forms",
        i18n: Some("form"),
        only_text: None,
    },
    Section {
        file: "lessons.toml",
        key: "lesson",
        sheet: "lessons",
        i18n: Some("lesson"),
        only_text: Some(&["title"]),
    },
    Section {
        file: "lessons.toml",
        key: "story",
        sheet: "stories",
        i18n: Some("story"),
        only_text: None,
    },
    Section {
        file: "pack.toml",
        key: "journey",
        sheet: "journeys",
        i18n: Some("journey"),
        only_text: None,
    },
];

/// A nested list with its own sheet.
struct Child {
    parent_sheet: &'static str,
    key: &'static str,
    sheet: &'static str,
    /// The first column: the parent's id.
    parent_column: &'static str,
}

const CHILDREN: &[Child] = &[
    Child {
        parent_sheet: "lessons",
        key: "page",
        sheet: "pages",
        parent_column: "lesson",
    },
    Child {
        parent_sheet: "stories",
        key: "node",
        sheet: "nodes",
        parent_column: "story",
    },
    Child {
        parent_sheet: "journeys",
        key: "phase",
        sheet: "phases",
        parent_column: "journey",
    },
];

/// The order of the structure columns that have one (others follow).
const COLUMN_ORDER: &[&str] = &[
    "id",
    "tag",
    "name",
    "status",
    "numerals",
    "objectives",
    "type",
    "kind",
    "options",
    "answer",
    "steps",
    "left",
    "right",
    "pairs",
    "accept",
    "tolerance",
    "scale",
    "required",
    "items",
    "phone",
    "verified",
    "intake",
    "card",
    "forms",
    "start",
    "choices",
    "ending",
    "image",
    "select",
    "lessons",
    "shuffle_items",
    "shuffle_options",
    "feedback",
    "dont_know",
    "blocks",
];

/// The lists of a row whose entries have option texts, in the order they are shown.
fn option_order(t: &Table) -> Vec<String> {
    ["options", "steps", "left", "right", "scale"]
        .iter()
        .filter_map(|k| t.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

/// i18n keys shown under another column name, XLSForm's (sheet, key, column).
const ALIASES: &[(&str, &str, &str)] = &[("items", "prompt", "label")];

/// The option texts sheet.
pub const CHOICES: &str = "choices";
/// The sheet of other structure values.
pub const SETTINGS: &str = "settings";
/// The sheet of other translations.
pub const STRINGS: &str = "strings";

/// The order of the sheets in a written workbook.
const SHEET_ORDER: &[&str] = &[
    "items",
    CHOICES,
    SETTINGS,
    "languages",
    "objectives",
    "indicators",
    "resources",
    "intake",
    "forms",
    "lessons",
    "pages",
    "stories",
    "nodes",
    "journeys",
    "phases",
    STRINGS,
];

fn child_of(sheet: &str) -> Option<&'static Child> {
    CHILDREN.iter().find(|c| c.parent_sheet == sheet)
}

fn alias_of(sheet: &str, key: &str) -> String {
    ALIASES
        .iter()
        .find(|(s, k, _)| *s == sheet && *k == key)
        .map_or(key, |(_, _, c)| c)
        .to_string()
}

fn unalias(sheet: &str, column: &str) -> String {
    ALIASES
        .iter()
        .find(|(s, _, c)| *s == sheet && *c == column)
        .map_or(column, |(_, k, _)| k)
        .to_string()
}

/// A language column's label: `English (en)`.
fn language_label(tag: &str, name: Option<&str>) -> String {
    format!("{} ({tag})", name.unwrap_or(tag))
}

/// The language tag of a column label: the text in the last parentheses, or the whole label.
fn tag_of_label(label: &str) -> String {
    let l = label.trim();
    if let (Some(open), true) = (l.rfind('('), l.ends_with(')')) {
        l.get(open + 1..l.len() - 1).unwrap_or(l).trim().to_string()
    } else {
        l.to_string()
    }
}

/// A TOML key, quoted and escaped when it is not bare, by toml's own key writer. (A key is
/// not a value: the value writer puts text with a line break, or with both kinds of quotes,
/// in a multi-line string, which TOML does not allow as a key.)
fn key_text(k: &str) -> String {
    use toml_writer::ToTomlKey as _;
    k.to_toml_key()
}

/// A dotted path: `item.broker-promise.prompt`.
fn path_text(path: &[String]) -> String {
    path.iter()
        .map(|k| key_text(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// Parses a dotted path written by [`path_text`] (or by an author).
fn parse_path(text: &str, at: &CellRef) -> Result<Vec<String>, WorkbookError> {
    let bad = || WorkbookError::BadCell {
        at: at.clone(),
        message: format!("'{text}' is not a key path such as item.broker-promise.prompt"),
    };
    let doc = format!("{} = 0", text.trim());
    let mut t = doc.parse::<Table>().map_err(|_| bad())?;
    let mut path = Vec::new();
    loop {
        if t.len() != 1 {
            return Err(bad());
        }
        let Some((k, v)) = t.into_iter().next() else {
            return Err(bad());
        };
        path.push(k);
        match v {
            Value::Table(inner) => t = inner,
            _ => return Ok(path),
        }
    }
}

// ================================================================ folder → workbook

/// One translation: a string of one language at a path.
struct Leaf {
    lang: usize,
    path: Vec<String>,
    text: Cell,
    claimed: bool,
}

/// Flattens a language file's tables into leaves; lists and other non-text values are refused.
fn flatten_i18n(
    t: &Table,
    prefix: &mut Vec<String>,
    lang: usize,
    file: &str,
    out: &mut Vec<Leaf>,
) -> Result<(), WorkbookError> {
    for (k, v) in t {
        prefix.push(k.clone());
        match v {
            Value::Table(inner) if !inner.is_empty() => flatten_i18n(inner, prefix, lang, file, out)?,
            Value::String(_) | Value::Array(_) => out.push(Leaf {
                lang,
                path: prefix.clone(),
                text: encode_text(v).ok_or_else(|| WorkbookError::Unsupported {
                    file: file.to_string(),
                    message: format!(
                        "`{}` cannot be told apart from a list in a cell; translations that are lists hold text only, and a text may not look like a list",
                        path_text(prefix)
                    ),
                })?,
                claimed: false,
            }),
            other => {
                return Err(WorkbookError::Unsupported {
                    file: file.to_string(),
                    message: format!(
                        "`{}` is {}, but translations are text: write it in quotes",
                        path_text(prefix),
                        crate::layout::type_name(other)
                    ),
                })
            }
        }
        prefix.pop();
    }
    Ok(())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "an empty table",
    }
}

/// Flattens a table into `(dotted path, value)` settings leaves.
fn flatten_settings(t: &Table, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    for (k, v) in t {
        prefix.push(k.clone());
        match v {
            Value::Table(inner) if !inner.is_empty() => flatten_settings(inner, prefix, out),
            other => out.push((prefix.clone(), other.clone())),
        }
        prefix.pop();
    }
}

/// The translations, indexed by the path of their parent and grandparent tables.
struct Strings {
    leaves: Vec<Leaf>,
    by_parent: HashMap<Vec<String>, Vec<usize>>,
    /// Column labels of the languages, by index.
    labels: Vec<String>,
}

impl Strings {
    fn new(leaves: Vec<Leaf>, labels: Vec<String>) -> Self {
        let mut by_parent: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for (i, l) in leaves.iter().enumerate() {
            if let Some(p) = l.path.get(..l.path.len().saturating_sub(1)) {
                by_parent.entry(p.to_vec()).or_default().push(i);
            }
        }
        Strings {
            leaves,
            by_parent,
            labels,
        }
    }
}

/// A list of option texts for `choices`: its list_name, the i18n path of its row, and the
/// order of its entries.
type ChoiceList = (String, Vec<String>, Vec<String>);

/// A structure row being laid out: its fields and its i18n path.
struct RowSrc<'a> {
    table: &'a Table,
    prefix: Option<Vec<String>>,
}

/// Where rows are laid out.
struct Target<'a> {
    sheet: &'a str,
    file: &'a str,
    /// The TOML key of the rows (`item`, `journey.phase`), for messages.
    key: &'a str,
    /// A first column with the parent's id of each row (child sheets).
    lead: Option<(&'a str, Vec<String>)>,
    /// Keys that are not columns (children with their own sheet).
    skip: &'a [&'a str],
    /// When set, only these texts are columns.
    only_text: Option<&'a [&'a str]>,
}

/// Lays out rows of tables as a sheet: structure columns, then text columns.
fn lay_out(
    target: &Target<'_>,
    rows: &[RowSrc<'_>],
    strings: &mut Strings,
) -> Result<Sheet, WorkbookError> {
    let Target {
        sheet,
        file,
        key,
        lead,
        skip,
        only_text,
    } = target;
    let (sheet, file, key, only_text) = (*sheet, *file, *key, *only_text);
    // Structure columns: the usual ones in a fixed order, then any other as it comes.
    let mut columns: Vec<String> = Vec::new();
    for r in rows {
        for k in r.table.keys() {
            if !skip.contains(&k.as_str()) && !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    columns.sort_by_key(|c| {
        COLUMN_ORDER
            .iter()
            .position(|o| o == c)
            .unwrap_or(usize::MAX)
    });
    // Text columns: (i18n key, language) for direct strings of each row's path.
    let mut text_keys: Vec<String> = Vec::new();
    let mut row_texts: Vec<Vec<(usize, usize)>> = Vec::new(); // per row: (key index, leaf)
    for r in rows {
        let mut mine = Vec::new();
        if let Some(prefix) = &r.prefix {
            if let Some(idx) = strings.by_parent.get(prefix) {
                for &i in idx {
                    let Some(l) = strings.leaves.get(i) else {
                        continue;
                    };
                    let Some(k) = l.path.last() else { continue };
                    if l.claimed || only_text.is_some_and(|o| !o.contains(&k.as_str())) {
                        continue;
                    }
                    // An i18n key that looks like an alias target stays in `strings`.
                    if ALIASES.iter().any(|(s, _, c)| *s == sheet && c == k) {
                        continue;
                    }
                    let ki = match text_keys.iter().position(|t| t == k) {
                        Some(p) => p,
                        None => {
                            text_keys.push(k.clone());
                            text_keys.len() - 1
                        }
                    };
                    mine.push((ki, i));
                }
                for &(_, i) in &mine {
                    if let Some(l) = strings.leaves.get_mut(i) {
                        l.claimed = true;
                    }
                }
            }
        }
        row_texts.push(mine);
    }
    let nlang = strings.labels.len();
    let mut header: Vec<String> = Vec::new();
    if let Some((col, _)) = &lead {
        header.push((*col).to_string());
    }
    header.extend(columns.iter().cloned());
    let text_start = header.len();
    for k in &text_keys {
        for label in &strings.labels {
            header.push(format!("{}::{label}", alias_of(sheet, k)));
        }
    }
    let mut out = Sheet::new(sheet, header);
    for (ri, r) in rows.iter().enumerate() {
        let mut cells: Vec<Cell> = Vec::new();
        if let Some((_, parents)) = &lead {
            cells.push(Cell::Text(parents.get(ri).cloned().unwrap_or_default()));
        }
        let item_type = r.table.get("type").and_then(Value::as_str);
        for c in &columns {
            cells.push(match r.table.get(c) {
                Some(v) => encode(v, ColumnKind::of(c, item_type), &|| {
                    (file.to_string(), format!("{key}.{c}"))
                })?,
                None => Cell::Empty,
            });
        }
        cells.resize(text_start + text_keys.len() * nlang, Cell::Empty);
        for &(ki, li) in row_texts.get(ri).map_or(&[][..], |v| &v[..]) {
            if let Some(l) = strings.leaves.get(li) {
                if let Some(c) = cells.get_mut(text_start + ki * nlang + l.lang) {
                    *c = l.text.clone();
                }
            }
        }
        out.rows.push(cells);
    }
    Ok(out)
}

/// Converts a pack source folder (its `.toml` files, as [`kru_core::authoring::read_source_dir`]
/// gives them) into a workbook.
///
/// Refuses a folder whose files are not valid TOML, files other than `pack.toml`,
/// `items.toml`, `lessons.toml` and `i18n/<tag>.toml`, and the few values a cell cannot hold
/// exactly (unquoted dates, integers beyond 2^53, non-text translations).
pub fn to_book(files: &[SourceFile]) -> Result<Book, WorkbookError> {
    let mut structure: Vec<(&str, Table)> = Vec::new();
    let mut i18n: Vec<(String, Table)> = Vec::new();
    for f in files {
        let parsed = f
            .text
            .parse::<Table>()
            .map_err(|e| WorkbookError::SourceSyntax {
                file: f.path.clone(),
                message: e.message().to_string(),
            })?;
        if let Some(name) = STRUCTURE_FILES.iter().find(|n| **n == f.path) {
            structure.push((name, parsed));
        } else if let Some(tag) = f
            .path
            .strip_prefix("i18n/")
            .and_then(|p| p.strip_suffix(".toml"))
            .filter(|t| !t.contains('/'))
        {
            i18n.push((tag.to_string(), parsed));
        } else {
            return Err(WorkbookError::Unsupported {
                file: f.path.clone(),
                message: "a workbook holds pack.toml, items.toml, lessons.toml and i18n/<language>.toml only".into(),
            });
        }
    }
    let empty = Table::new();
    let file_table = |name: &str| {
        structure
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&empty, |(_, t)| t)
    };

    // Languages: the order of pack.toml, then any other i18n file.
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    if let Some(Value::Array(langs)) = file_table("pack.toml").get("language") {
        for l in langs {
            if let Some(tag) = l.get("tag").and_then(Value::as_str) {
                if i18n.iter().any(|(t, _)| t == tag) && !names.iter().any(|(t, _)| t == tag) {
                    names.push((
                        tag.to_string(),
                        l.get("name").and_then(Value::as_str).map(String::from),
                    ));
                }
            }
        }
    }
    let mut others: Vec<&String> = i18n
        .iter()
        .map(|(t, _)| t)
        .filter(|t| !names.iter().any(|(n, _)| n == *t))
        .collect();
    others.sort();
    for t in others {
        names.push((t.clone(), None));
    }
    let mut leaves = Vec::new();
    for (li, (tag, _)) in names.iter().enumerate() {
        if let Some((_, table)) = i18n.iter().find(|(t, _)| t == tag) {
            flatten_i18n(
                table,
                &mut Vec::new(),
                li,
                &format!("i18n/{tag}.toml"),
                &mut leaves,
            )?;
        }
    }
    let labels = names
        .iter()
        .map(|(t, n)| language_label(t, n.as_deref()))
        .collect();
    let mut strings = Strings::new(leaves, labels);

    let mut sheets: Vec<Sheet> = Vec::new();
    let mut settings: Vec<(String, Value, String, String)> = Vec::new(); // (key, value, file, last key)
    let mut choice_rows: Vec<ChoiceList> = Vec::new();
    for &file in STRUCTURE_FILES {
        let table = file_table(file);
        for (k, v) in table {
            let section = SECTIONS.iter().find(|s| s.file == file && s.key == k);
            let arr = v.as_array().filter(|a| a.iter().all(Value::is_table));
            if let (Some(s), Some(arr)) = (section, arr) {
                let tables: Vec<&Table> = arr.iter().filter_map(Value::as_table).collect();
                let rows = lay_out_section(
                    s,
                    file,
                    &tables,
                    &mut strings,
                    &mut sheets,
                    &mut choice_rows,
                )?;
                sheets.push(rows);
            } else {
                let mut leaves = Vec::new();
                let mut one = Table::new();
                one.insert(k.clone(), v.clone());
                flatten_settings(&one, &mut Vec::new(), &mut leaves);
                for (path, value) in leaves {
                    let key = if file == "pack.toml" {
                        path_text(&path)
                    } else {
                        format!("{file}:{}", path_text(&path))
                    };
                    let last = path.last().cloned().unwrap_or_default();
                    settings.push((key, value, file.to_string(), last));
                }
            }
        }
    }

    // choices: the option texts of each row's `options` table.
    let nlang = strings.labels.len();
    let mut header = vec!["list_name".to_string(), "name".to_string()];
    header.extend(strings.labels.iter().map(|l| format!("label::{l}")));
    let mut choices = Sheet::new(CHOICES, header);
    for (list_name, prefix, order) in &choice_rows {
        let mut list_path = prefix.clone();
        list_path.push("options".into());
        let Some(idx) = strings.by_parent.get(&list_path) else {
            continue;
        };
        // In the order of the row's lists; texts of no entry after them.
        let mut idx = idx.clone();
        idx.sort_by_key(|&i| {
            strings
                .leaves
                .get(i)
                .and_then(|l| l.path.last())
                .and_then(|n| order.iter().position(|o| o == n))
                .unwrap_or(usize::MAX)
        });
        let mut names_in_order: Vec<String> = Vec::new();
        let mut row_of: HashMap<String, usize> = HashMap::new();
        let first_row = choices.rows.len();
        for &i in &idx {
            let Some(l) = strings.leaves.get_mut(i) else {
                continue;
            };
            let Some(name) = l.path.last().cloned() else {
                continue;
            };
            l.claimed = true;
            let r = *row_of.entry(name.clone()).or_insert_with(|| {
                names_in_order.push(name.clone());
                first_row + names_in_order.len() - 1
            });
            if choices.rows.len() <= r {
                let mut cells = vec![Cell::Text(list_name.clone()), Cell::Text(name.clone())];
                cells.resize(2 + nlang, Cell::Empty);
                choices.rows.push(cells);
            }
            if let Some(c) = choices
                .rows
                .get_mut(r)
                .and_then(|row| row.get_mut(2 + l.lang))
            {
                *c = l.text.clone();
            }
        }
    }
    sheets.push(choices);

    let mut s = Sheet::new(SETTINGS, vec!["key".into(), "value".into()]);
    for (key, value, file, last) in &settings {
        let cell = encode(value, ColumnKind::of(last, None), &|| {
            (file.clone(), key.clone())
        })?;
        s.rows.push(vec![Cell::Text(key.clone()), cell]);
    }
    sheets.push(s);

    // strings: every translation without a place yet.
    let mut header = vec!["key".to_string()];
    header.extend(strings.labels.iter().map(|l| format!("text::{l}")));
    let mut st = Sheet::new(STRINGS, header);
    let mut row_of: HashMap<Vec<String>, usize> = HashMap::new();
    for l in strings.leaves.iter().filter(|l| !l.claimed) {
        let r = *row_of.entry(l.path.clone()).or_insert_with(|| {
            let mut cells = vec![Cell::Text(path_text(&l.path))];
            cells.resize(1 + nlang, Cell::Empty);
            st.rows.push(cells);
            st.rows.len() - 1
        });
        if let Some(c) = st.rows.get_mut(r).and_then(|row| row.get_mut(1 + l.lang)) {
            *c = l.text.clone();
        }
    }
    sheets.push(st);

    // Every language gets a column even when it has no file yet; sheets in a fixed order.
    sheets.sort_by_key(|s| {
        SHEET_ORDER
            .iter()
            .position(|n| *n == s.name)
            .unwrap_or(usize::MAX)
    });
    Ok(Book { sheets })
}

/// Lays out one section and its child sheet; records which option lists go to `choices`.
fn lay_out_section(
    s: &Section,
    file: &str,
    tables: &[&Table],
    strings: &mut Strings,
    sheets: &mut Vec<Sheet>,
    choice_rows: &mut Vec<ChoiceList>,
) -> Result<Sheet, WorkbookError> {
    let ids: Vec<Option<&str>> = tables
        .iter()
        .map(|t| t.get("id").and_then(Value::as_str))
        .collect();
    let unique = |i: usize| {
        ids.get(i)
            .copied()
            .flatten()
            .filter(|id| ids.iter().filter(|o| **o == Some(*id)).count() == 1 && !id.contains('.'))
    };
    let mut rows = Vec::new();
    let mut child_rows: Vec<(Table, Option<Vec<String>>)> = Vec::new();
    let mut parents: Vec<String> = Vec::new();
    let child = child_of(s.sheet);
    let mut inline_children = false;
    for (i, t) in tables.iter().enumerate() {
        let prefix = match (s.i18n, unique(i)) {
            (Some(sec), Some(id)) => Some(vec![sec.to_string(), id.to_string()]),
            _ => None,
        };
        if let (Some(c), Some(id)) = (child, unique(i)) {
            if let Some(Value::Array(kids)) = t.get(c.key) {
                if kids.iter().all(Value::is_table) {
                    for kid in kids.iter().filter_map(Value::as_table) {
                        let kid_prefix = match (&prefix, kid.get("id").and_then(Value::as_str)) {
                            (Some(p), Some(kid_id)) if !kid_id.contains('.') => {
                                let mut p = p.clone();
                                p.push(c.key.to_string());
                                p.push(kid_id.to_string());
                                Some(p)
                            }
                            _ => None,
                        };
                        child_rows.push((kid.clone(), kid_prefix));
                        parents.push(id.to_string());
                    }
                } else {
                    inline_children = true;
                }
            }
        } else if child.is_some_and(|c| t.contains_key(c.key)) {
            inline_children = true;
        }
        if let (Some(p), Some(id)) = (&prefix, unique(i)) {
            let list_name = if s.sheet == "items" {
                id.to_string()
            } else {
                path_text(p)
            };
            choice_rows.push((list_name, p.clone(), option_order(t)));
        }
        rows.push(RowSrc { table: t, prefix });
    }
    // Children of rows without a unique id stay in their row as TOML (rare, and invalid).
    let skip: Vec<&str> = match child {
        Some(c) if !inline_children => vec![c.key],
        _ => vec![],
    };
    if inline_children {
        // Every child stays in its row, so that none is lost.
        child_rows.clear();
        parents.clear();
    }
    let sheet = lay_out(
        &Target {
            sheet: s.sheet,
            file,
            key: s.key,
            lead: None,
            skip: &skip,
            only_text: s.only_text,
        },
        &rows,
        strings,
    )?;
    if let Some(c) = child {
        let kid_rows: Vec<RowSrc<'_>> = child_rows
            .iter()
            .map(|(t, p)| RowSrc {
                table: t,
                prefix: p.clone(),
            })
            .collect();
        for r in &kid_rows {
            if let Some(prefix) = &r.prefix {
                choice_rows.push((path_text(prefix), prefix.clone(), option_order(r.table)));
            }
        }
        let key = format!("{}.{}", s.key, c.key);
        sheets.push(lay_out(
            &Target {
                sheet: c.sheet,
                file,
                key: &key,
                lead: Some((c.parent_column, parents)),
                skip: &[],
                only_text: None,
            },
            &kid_rows,
            strings,
        )?);
    }
    Ok(sheet)
}

// ================================================================ workbook → folder

/// The sources made from a workbook, with where each line came from.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    /// The pack source files (`pack.toml`, `items.toml`, `lessons.toml`, `i18n/<tag>.toml`).
    pub files: Vec<SourceFile>,
    /// For each file, the cell each line came from (line 1 at index 0).
    lines: HashMap<String, Vec<Option<CellRef>>>,
    /// The cell of each text column of each row, filled or not: (path, language) → cell.
    text_cells: HashMap<(Vec<String>, String), CellRef>,
}

impl Converted {
    /// The cell that line `line` (1-based) of `file` came from.
    pub fn cell_of(&self, file: &str, line: u32) -> Option<&CellRef> {
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        self.lines.get(file)?.get(idx)?.as_ref()
    }

    /// A diagnostic with its place in the workbook (`items!D14`) instead of the generated
    /// file's line, when it has one.
    pub fn locate(&self, d: &kru_core::authoring::Diagnostic) -> String {
        let place = self
            .place_of(d)
            .map_or_else(|| d.file.clone(), ToString::to_string);
        let mut s = format!("{}[{}]: {place}: {}", d.severity, d.code, d.message);
        if !d.help.is_empty() {
            s.push_str("\n  help: ");
            s.push_str(&d.help);
        }
        s
    }
}

impl Converted {
    /// The workbook cell a diagnostic points at (`items!D14`): the cell its line came from,
    /// or for a missing text the empty cell where it belongs.
    pub fn place_of(&self, d: &kru_core::authoring::Diagnostic) -> Option<&CellRef> {
        self.missing_text_cell(d)
            .or_else(|| d.line.and_then(|l| self.cell_of(&d.file, l)))
    }

    /// For a missing text ("the string 'item.x.prompt' is missing in … (en)"), the empty
    /// cell where it belongs, when the workbook has a column for it.
    fn missing_text_cell(&self, d: &kru_core::authoring::Diagnostic) -> Option<&CellRef> {
        if d.code != "missing-translation" {
            return None;
        }
        let mut quoted = d.message.split('\'');
        let key = quoted.nth(1)?;
        let tag = d.message.rsplit('(').next()?.strip_suffix(')')?;
        let path: Vec<String> = key.split('.').map(String::from).collect();
        self.text_cells.get(&(path, tag.to_string()))
    }
}

/// The keys a TOML file gets, so that a value given twice (two rows with one id, a text on a
/// row and again on `strings`, a setting that is also a sheet) is refused at its cell instead
/// of making a file that does not parse.
#[derive(Default)]
struct Keys {
    leaves: HashMap<Vec<String>, CellRef>,
    tables: HashMap<Vec<String>, CellRef>,
}

impl Keys {
    fn claim(&mut self, path: &[String], at: &CellRef) -> Result<(), WorkbookError> {
        let conflict = |prev: &CellRef| WorkbookError::BadCell {
            at: at.clone(),
            message: format!(
                "`{}` is given twice: here and at {prev}; keep one",
                path_text(path)
            ),
        };
        for n in 1..=path.len() {
            if let Some(prev) = path.get(..n).and_then(|p| self.leaves.get(p)) {
                return Err(conflict(prev));
            }
        }
        if let Some(prev) = self.tables.get(path) {
            return Err(conflict(prev));
        }
        for n in 1..path.len() {
            if let Some(p) = path.get(..n) {
                self.tables.entry(p.to_vec()).or_insert_with(|| at.clone());
            }
        }
        self.leaves.insert(path.to_vec(), at.clone());
        Ok(())
    }
}

/// Writes TOML text line by line, remembering each line's cell.
#[derive(Default)]
struct Emitter {
    text: String,
    origins: Vec<Option<CellRef>>,
}

impl Emitter {
    fn line(&mut self, s: &str, origin: Option<CellRef>) {
        self.text.push_str(s);
        self.text.push('\n');
        for _ in 0..=s.matches('\n').count() {
            self.origins.push(origin.clone());
        }
    }
}

/// A sheet's header: structure columns and text columns.
struct Header {
    structure: Vec<(usize, String)>,
    /// (column, i18n key, language tag).
    text: Vec<(usize, String, String)>,
}

fn read_header(sheet: &Sheet) -> Result<Header, WorkbookError> {
    let mut h = Header {
        structure: Vec::new(),
        text: Vec::new(),
    };
    let Some(row) = sheet.rows.first() else {
        return Ok(h);
    };
    let mut seen = BTreeSet::new();
    for (c, cell) in row.iter().enumerate() {
        let name = cell.as_text().trim().to_string();
        if name.is_empty() {
            continue;
        }
        if !seen.insert(name.clone()) {
            return Err(WorkbookError::BadCell {
                at: CellRef::new(&sheet.name, 0, c),
                message: format!("the column '{name}' appears twice; remove one"),
            });
        }
        if let Some((key, label)) = name.split_once("::") {
            let tag = tag_of_label(label);
            if tag.is_empty()
                || !tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(WorkbookError::BadCell {
                    at: CellRef::new(&sheet.name, 0, c),
                    message: format!(
                        "'{name}' does not end in a language tag: write the column as key::Language (tag), e.g. label::English (en)"
                    ),
                });
            }
            h.text.push((c, unalias(&sheet.name, key.trim()), tag));
        } else {
            h.structure.push((c, name));
        }
    }
    // XLSForm calls a question's id `name`: on the items sheet, `name` is `id` when there is
    // no `id` column.
    if sheet.name == "items" && !h.structure.iter().any(|(_, n)| n == "id") {
        if let Some((_, n)) = h.structure.iter_mut().find(|(_, n)| n == "name") {
            *n = "id".to_string();
        }
    }
    Ok(h)
}

/// The data rows of a sheet that are not blank, with their 0-based row numbers.
fn data_rows(sheet: &Sheet) -> impl Iterator<Item = (usize, &Vec<Cell>)> {
    sheet
        .rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.is_blank()))
}

/// A row read back: its fields with their cells, its id, its translations.
struct RowOut {
    row: usize,
    fields: Vec<(String, Value, CellRef)>,
    id: Option<String>,
    texts: Vec<(String, String, Value, CellRef)>, // (key, tag, text, cell)
    /// Every text column's cell, empty or not: (key, tag, cell).
    text_cols: Vec<(String, String, CellRef)>,
    parent: Option<(String, CellRef)>,
}

fn read_rows(sheet: &Sheet, parent_column: Option<&str>) -> Result<Vec<RowOut>, WorkbookError> {
    let h = read_header(sheet)?;
    let mut out = Vec::new();
    for (r, cells) in data_rows(sheet) {
        let get = |c: usize| cells.get(c).unwrap_or(&Cell::Empty);
        let item_type = h
            .structure
            .iter()
            .find(|(_, n)| n == "type")
            .and_then(|(c, _)| match get(*c) {
                Cell::Text(s) => Some(s.trim().to_string()),
                _ => None,
            });
        let mut row = RowOut {
            row: r,
            fields: Vec::new(),
            id: None,
            texts: Vec::new(),
            text_cols: Vec::new(),
            parent: None,
        };
        for (c, name) in &h.structure {
            let at = CellRef::new(&sheet.name, r, *c);
            if Some(name.as_str()) == parent_column {
                let p = get(*c).as_text().trim().to_string();
                row.parent = Some((p, at));
                continue;
            }
            let kind = ColumnKind::of(name, item_type.as_deref());
            if let Some(v) = decode(get(*c), kind, &at)? {
                if name == "id" {
                    row.id = v.as_str().map(String::from);
                }
                row.fields.push((name.clone(), v, at));
            }
        }
        for (c, key, tag) in &h.text {
            let at = CellRef::new(&sheet.name, r, *c);
            row.text_cols.push((key.clone(), tag.clone(), at.clone()));
            if let Some(t) = decode_text(get(*c)) {
                row.texts.push((key.clone(), tag.clone(), t, at));
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// The translations of one language, in order, with their cells.
type LangLeaves = Vec<(Vec<String>, Value, CellRef)>;

/// An option text from `choices`: (option id, language, text, cell).
type Choice = (String, String, Value, CellRef);

fn push_text(
    langs: &mut Vec<(String, LangLeaves)>,
    tag: &str,
    path: Vec<String>,
    text: Value,
    at: CellRef,
) {
    match langs.iter_mut().find(|(t, _)| t == tag) {
        Some((_, l)) => l.push((path, text, at)),
        None => langs.push((tag.to_string(), vec![(path, text, at)])),
    }
}

fn emit_fields(e: &mut Emitter, fields: &[(String, Value, CellRef)]) {
    for (k, v, at) in fields {
        e.line(
            &format!("{} = {}", key_text(k), crate::cell::inline(v)),
            Some(at.clone()),
        );
    }
}

/// Converts a workbook into a pack source folder. Every problem of the layout (a broken
/// cell, a row whose parent is missing) is an error naming its cell; the compiler's
/// diagnostics on the result can be placed with [`Converted::locate`].
pub fn from_book(book: &Book) -> Result<Converted, WorkbookError> {
    let mut langs: Vec<(String, LangLeaves)> = Vec::new();
    // Languages known from the languages sheet come first, even without any text.
    if let Some(sheet) = book.sheet("languages") {
        for r in read_rows(sheet, None)? {
            if let Some((_, Value::String(tag), _)) = r.fields.iter().find(|(k, _, _)| k == "tag") {
                if !langs.iter().any(|(t, _)| t == tag) {
                    langs.push((tag.clone(), Vec::new()));
                }
            }
        }
    }
    let mut files: Vec<(String, Emitter)> = STRUCTURE_FILES
        .iter()
        .map(|f| (f.to_string(), Emitter::default()))
        .collect();

    let mut structure_keys: HashMap<String, Keys> = HashMap::new();
    // settings: top-level values first, then tables, per file.
    if let Some(sheet) = book.sheet(SETTINGS) {
        let h = read_header(sheet)?;
        let col = |n: &str| h.structure.iter().find(|(_, c)| c == n).map(|(c, _)| *c);
        let (Some(kc), Some(vc)) = (col("key"), col("value")) else {
            return Err(WorkbookError::Layout(format!(
                "the {SETTINGS} sheet needs the columns 'key' and 'value' in its first row"
            )));
        };
        let mut groups: Vec<(String, Vec<String>, LangLeaves)> = Vec::new();
        for (r, cells) in data_rows(sheet) {
            let kat = CellRef::new(SETTINGS, r, kc);
            let vat = CellRef::new(SETTINGS, r, vc);
            let key_cell = cells.get(kc).map(Cell::as_text).unwrap_or_default();
            let (file, key) = match key_cell.split_once(':') {
                Some((f, k)) if STRUCTURE_FILES.contains(&f.trim()) => {
                    (f.trim().to_string(), k.to_string())
                }
                _ => ("pack.toml".to_string(), key_cell.clone()),
            };
            let path = parse_path(&key, &kat)?;
            let last = path.last().map_or("", String::as_str);
            let Some(v) = decode(
                cells.get(vc).unwrap_or(&Cell::Empty),
                ColumnKind::of(last, None),
                &vat,
            )?
            else {
                continue;
            };
            let (table, rest) = if path.len() == 1 {
                (Vec::new(), path)
            } else {
                (
                    path.get(..1).map(<[String]>::to_vec).unwrap_or_default(),
                    path.get(1..).map(<[String]>::to_vec).unwrap_or_default(),
                )
            };
            match groups
                .iter_mut()
                .find(|(f, t, _)| *f == file && *t == table)
            {
                Some((_, _, l)) => l.push((rest, v, vat)),
                None => groups.push((file, table, vec![(rest, v, vat)])),
            }
        }
        for (file, table, leaves) in &groups {
            let keys = structure_keys.entry(file.clone()).or_default();
            for (rest, _, at) in leaves {
                let mut path = table.clone();
                path.extend(rest.iter().cloned());
                keys.claim(&path, at)?;
            }
        }
        // Top-level values before any table header.
        groups.sort_by_key(|(_, t, _)| !t.is_empty());
        for (file, table, leaves) in groups {
            let Some((_, e)) = files.iter_mut().find(|(f, _)| *f == file) else {
                continue;
            };
            if !table.is_empty() {
                e.line(
                    &format!("[{}]", path_text(&table)),
                    leaves.first().map(|l| l.2.clone()),
                );
            }
            for (path, v, at) in leaves {
                e.line(
                    &format!("{} = {}", path_text(&path), crate::cell::inline(&v)),
                    Some(at),
                );
            }
        }
    }

    // Option texts, by the path of their list.
    let mut choices: HashMap<Vec<String>, Vec<Choice>> = HashMap::new();
    if let Some(sheet) = book.sheet(CHOICES) {
        let h = read_header(sheet)?;
        let col = |n: &str| h.structure.iter().find(|(_, c)| c == n).map(|(c, _)| *c);
        let (Some(lc), Some(nc)) = (col("list_name"), col("name")) else {
            return Err(WorkbookError::Layout(format!(
                "the {CHOICES} sheet needs the columns 'list_name' and 'name' in its first row"
            )));
        };
        for (r, cells) in data_rows(sheet) {
            let list = cells.get(lc).map(Cell::as_text).unwrap_or_default();
            let name = cells
                .get(nc)
                .map(Cell::as_text)
                .unwrap_or_default()
                .trim()
                .to_string();
            let at = CellRef::new(CHOICES, r, lc);
            if list.trim().is_empty() || name.is_empty() {
                return Err(WorkbookError::BadCell {
                    at: CellRef::new(CHOICES, r, if list.trim().is_empty() { lc } else { nc }),
                    message: "every choice needs a list_name (the item's id) and a name (the option's id)".into(),
                });
            }
            let mut path = if list.contains('.') {
                parse_path(&list, &at)?
            } else {
                vec!["item".to_string(), list.trim().to_string()]
            };
            path.push("options".into());
            for (c, key, tag) in &h.text {
                if key != "label" {
                    return Err(WorkbookError::BadCell {
                        at: CellRef::new(CHOICES, 0, *c),
                        message: format!(
                            "the {CHOICES} sheet has label::<language> columns only, not '{key}::'"
                        ),
                    });
                }
                if let Some(t) = cells.get(*c).and_then(decode_text) {
                    choices.entry(path.clone()).or_default().push((
                        name.clone(),
                        tag.clone(),
                        t,
                        CellRef::new(CHOICES, r, *c),
                    ));
                }
            }
        }
    }
    let mut used_choices: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut take_choices = |prefix: &[String], langs: &mut Vec<(String, LangLeaves)>| {
        let mut list = prefix.to_vec();
        list.push("options".into());
        if let Some(entries) = choices.get(&list) {
            used_choices.insert(list.clone());
            for (name, tag, text, at) in entries {
                let mut p = list.clone();
                p.push(name.clone());
                push_text(langs, tag, p, text.clone(), at.clone());
            }
        }
    };

    // The sections.
    let mut text_cells = HashMap::new();
    for s in SECTIONS {
        let Some(sheet) = book.sheet(s.sheet) else {
            continue;
        };
        let rows = read_rows(sheet, None)?;
        let child = child_of(s.sheet);
        let kids = match child.and_then(|c| book.sheet(c.sheet).map(|sh| (c, sh))) {
            Some((c, sh)) => read_rows(sh, Some(c.parent_column))?,
            None => Vec::new(),
        };
        let mut kid_used = vec![false; kids.len()];
        if let Some(first) = rows.first() {
            structure_keys
                .entry(s.file.to_string())
                .or_default()
                .claim(&[s.key.to_string()], &CellRef::new(s.sheet, first.row, 0))?;
        }
        let Some((_, e)) = files.iter_mut().find(|(f, _)| f == s.file) else {
            continue;
        };
        for r in &rows {
            e.line(
                &format!("[[{}]]", s.key),
                Some(CellRef::new(s.sheet, r.row, 0)),
            );
            emit_fields(e, &r.fields);
            let prefix = match (s.i18n, &r.id) {
                (Some(sec), Some(id)) => Some(vec![sec.to_string(), id.clone()]),
                _ => None,
            };
            if let Some(p) = &prefix {
                for (key, tag, at) in &r.text_cols {
                    let mut path = p.clone();
                    path.push(key.clone());
                    text_cells.insert((path, tag.clone()), at.clone());
                }
                for (key, tag, text, at) in &r.texts {
                    let mut path = p.clone();
                    path.push(key.clone());
                    push_text(&mut langs, tag, path, text.clone(), at.clone());
                }
                take_choices(p, &mut langs);
            } else if let Some((_, _, _, at)) = r.texts.first() {
                return Err(WorkbookError::BadCell {
                    at: at.clone(),
                    message: "this row has texts but no id: give it an id".into(),
                });
            }
            let Some(c) = child else { continue };
            for (ki, k) in kids.iter().enumerate() {
                let is_mine = k
                    .parent
                    .as_ref()
                    .is_some_and(|(p, _)| Some(p) == r.id.as_ref());
                if !is_mine || kid_used.get(ki).copied().unwrap_or(true) {
                    continue;
                }
                if let Some(u) = kid_used.get_mut(ki) {
                    *u = true;
                }
                if let Some((_, _, at)) = r.fields.iter().find(|(k, _, _)| k == c.key) {
                    return Err(WorkbookError::BadCell {
                        at: at.clone(),
                        message: format!(
                            "this {} has rows on the {} sheet and a '{}' column too; keep one",
                            c.parent_column, c.sheet, c.key
                        ),
                    });
                }
                e.line(
                    &format!("[[{}.{}]]", s.key, c.key),
                    Some(CellRef::new(c.sheet, k.row, 0)),
                );
                emit_fields(e, &k.fields);
                let kid_prefix = match (&prefix, &k.id) {
                    (Some(p), Some(id)) => {
                        let mut p = p.clone();
                        p.push(c.key.to_string());
                        p.push(id.clone());
                        Some(p)
                    }
                    _ => None,
                };
                if let Some(p) = &kid_prefix {
                    for (key, tag, at) in &k.text_cols {
                        let mut path = p.clone();
                        path.push(key.clone());
                        text_cells.insert((path, tag.clone()), at.clone());
                    }
                    for (key, tag, text, at) in &k.texts {
                        let mut path = p.clone();
                        path.push(key.clone());
                        push_text(&mut langs, tag, path, text.clone(), at.clone());
                    }
                    take_choices(p, &mut langs);
                } else if let Some((_, _, _, at)) = k.texts.first() {
                    return Err(WorkbookError::BadCell {
                        at: at.clone(),
                        message: "this row has texts but no id: give it an id".into(),
                    });
                }
            }
        }
        if let (Some(c), Some(ki)) = (child, kid_used.iter().position(|u| !u)) {
            let at = kids
                .get(ki)
                .and_then(|k| k.parent.as_ref().map(|(_, at)| at.clone()))
                .unwrap_or_else(|| CellRef::new(c.sheet, kids.get(ki).map_or(1, |k| k.row), 0));
            let name = kids
                .get(ki)
                .and_then(|k| k.parent.as_ref().map(|(p, _)| p.clone()))
                .unwrap_or_default();
            return Err(WorkbookError::BadCell {
                at,
                message: format!(
                    "the {} '{name}' is not on the {} sheet; write the id of a row there in the '{}' column",
                    c.parent_column, s.sheet, c.parent_column
                ),
            });
        }
    }
    if let Some(list) = choices.keys().find(|k| !used_choices.contains(*k)) {
        let at = choices.get(list).and_then(|v| v.first()).map_or_else(
            || CellRef::new(CHOICES, 1, 0),
            |(_, _, _, at)| CellRef::new(CHOICES, at.row, 0),
        );
        return Err(WorkbookError::BadCell {
            at,
            message: format!(
                "no row has the id of list '{}'; the list_name of an item's options is the item's id",
                path_text(list.get(..list.len().saturating_sub(1)).unwrap_or(&[]))
            ),
        });
    }

    // strings: every other translation.
    if let Some(sheet) = book.sheet(STRINGS) {
        let h = read_header(sheet)?;
        let Some(kc) = h
            .structure
            .iter()
            .find(|(_, n)| n == "key")
            .map(|(c, _)| *c)
        else {
            return Err(WorkbookError::Layout(format!(
                "the {STRINGS} sheet needs a 'key' column in its first row"
            )));
        };
        for (r, cells) in data_rows(sheet) {
            let key = cells.get(kc).map(Cell::as_text).unwrap_or_default();
            let path = parse_path(&key, &CellRef::new(STRINGS, r, kc))?;
            for (c, _, tag) in &h.text {
                if let Some(t) = cells.get(*c).and_then(decode_text) {
                    push_text(
                        &mut langs,
                        tag,
                        path.clone(),
                        t,
                        CellRef::new(STRINGS, r, *c),
                    );
                }
            }
        }
    }

    let mut out = Converted {
        text_cells,
        ..Converted::default()
    };
    for (name, e) in files {
        out.lines.insert(name.clone(), e.origins);
        out.files.push(SourceFile::new(name, e.text));
    }
    for (_, leaves) in &langs {
        let mut keys = Keys::default();
        for (path, _, at) in leaves {
            keys.claim(path, at)?;
        }
    }
    for (tag, leaves) in langs {
        let name = format!("i18n/{tag}.toml");
        let e = emit_i18n(leaves);
        out.lines.insert(name.clone(), e.origins);
        out.files.push(SourceFile::new(name, e.text));
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Writes one language's translations: a `[a.b]` table per entry, dotted keys below it.
fn emit_i18n(leaves: LangLeaves) -> Emitter {
    let mut groups: Vec<(Vec<String>, LangLeaves)> = Vec::new();
    let mut index: HashMap<Vec<String>, usize> = HashMap::new();
    for (path, text, at) in leaves {
        let split = if path.len() <= 2 {
            path.len().saturating_sub(1)
        } else {
            2
        };
        let head = path
            .get(..split)
            .map(<[String]>::to_vec)
            .unwrap_or_default();
        let rest = path
            .get(split..)
            .map(<[String]>::to_vec)
            .unwrap_or_default();
        let i = *index.entry(head.clone()).or_insert_with(|| {
            groups.push((head, Vec::new()));
            groups.len() - 1
        });
        if let Some((_, g)) = groups.get_mut(i) {
            g.push((rest, text, at));
        }
    }
    groups.sort_by_key(|(h, _)| !h.is_empty());
    let mut e = Emitter::default();
    for (head, entries) in groups {
        if !head.is_empty() {
            e.line(
                &format!("[{}]", path_text(&head)),
                entries.first().map(|x| x.2.clone()),
            );
        }
        for (rest, text, at) in entries {
            e.line(&format!("{} = {}", path_text(&rest), text), Some(at));
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of a source file, every level, parsed back as TOML.
    fn keys_of(file: &SourceFile) -> Vec<String> {
        fn walk(t: &Table, out: &mut Vec<String>) {
            for (k, v) in t {
                out.push(k.clone());
                match v {
                    Value::Table(inner) => walk(inner, out),
                    Value::Array(list) => {
                        for inner in list.iter().filter_map(Value::as_table) {
                            walk(inner, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        let t: Table = file
            .text
            .parse()
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}\n{}", file.path, file.text));
        let mut out = Vec::new();
        walk(&t, &mut out);
        out
    }

    #[test]
    fn keys_are_never_multi_line_strings() {
        for k in [
            "card\ntitle",
            "a'\"b",
            "a\"\"\"b",
            "tab\there",
            "cr\rlf\n",
            "nul\u{0}",
            "back\\slash",
            "it's",
            "",
            "ខ្មែរ",
            "item.plan-first.prompt",
        ] {
            let text = key_text(k);
            assert!(
                !text.starts_with("\"\"\"") && !text.starts_with("'''"),
                "{text}"
            );
            let t: Table = format!("{text} = 0")
                .parse()
                .unwrap_or_else(|e| panic!("{k:?} written as {text}: {e}"));
            assert_eq!(t.keys().collect::<Vec<_>>(), [k], "{text}");
        }
        // Bare keys stay bare, and the rest is quoted as before.
        assert_eq!(key_text("broker-promise_2"), "broker-promise_2");
        assert_eq!(key_text("item.x"), "\"item.x\"");
        assert_eq!(key_text("say \"hi\""), "'say \"hi\"'");
    }

    /// A header cell with a line break (as a fuzzed workbook had: `card⏎title::English (en)`)
    /// or with both kinds of quotes became a `"""…"""` key, which is not TOML.
    #[test]
    fn column_names_with_line_breaks_or_quotes_make_valid_toml() {
        let files = crate::template::new_pack("extra", &["en"], "2026-12-01").unwrap();
        let mut book = to_book(&files).unwrap();
        let items = book.sheets.iter_mut().find(|s| s.name == "items").unwrap();
        items.rows[0].push(Cell::Text("card\ntitle::English (en)".into()));
        items.rows[0].push(Cell::Text("it's \"new\"".into()));
        let width = items.rows[0].len();
        items.rows[1].resize(width - 2, Cell::Empty);
        items.rows[1].push(Cell::Text("A card".into()));
        items.rows[1].push(Cell::Text("odd".into()));

        let out = from_book(&book).unwrap();
        let keys = |path: &str| keys_of(out.files.iter().find(|f| f.path == path).unwrap());
        assert!(keys("i18n/en.toml").contains(&"card\ntitle".to_string()));
        assert!(keys("items.toml").contains(&"it's \"new\"".to_string()));
        // And the folder maps back to a workbook with the same columns.
        let again = to_book(&out.files).unwrap();
        let header = |b: &Book| b.sheet("items").unwrap().rows[0].clone();
        assert!(header(&again).contains(&Cell::Text("card\ntitle::English (en)".into())));
        assert!(header(&again).contains(&Cell::Text("it's \"new\"".into())));
    }
}
