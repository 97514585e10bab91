//! How one TOML value is written into a cell and read back (the structure sheets), and how a
//! translation is (the text columns).
//!
//! Structure cells: text is a string; a number cell is an integer when it has no fraction,
//! else a float; TRUE/FALSE is a boolean. Text that starts with `[`, `{` or `"` is a TOML
//! value (a list, a table, a quoted string), so that everything else a source file can say
//! fits in a cell. In *list columns* (`objectives`, `options`, `items`…, and `answer` of a
//! `multiple` item) a list of ids is written as the ids separated by spaces, XLSForm's
//! convention for several answers.

use toml::Value;

use crate::book::{Cell, CellRef};
use crate::WorkbookError;

/// Largest integer a spreadsheet number holds exactly (2^53).
const MAX_EXACT: i64 = 1 << 53;

/// Columns that hold a list of ids, written separated by spaces.
const LIST_COLUMNS: &[&str] = &[
    "objectives",
    "options",
    "steps",
    "left",
    "right",
    "items",
    "forms",
    "lessons",
    "resources",
];

/// Columns that hold one id or a code: a number typed into them is read as its text.
const TEXT_COLUMNS: &[&str] = &["id", "start", "next", "phone", "tag", "name", "verified"];

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    /// Any value.
    Plain,
    /// A list of ids separated by spaces.
    List,
    /// An id or a code: numbers read as text.
    Text,
}

impl ColumnKind {
    /// The kind of a structure column, given the row's `type` (for `answer`).
    pub fn of(column: &str, item_type: Option<&str>) -> Self {
        if LIST_COLUMNS.contains(&column) || (column == "answer" && item_type == Some("multiple")) {
            ColumnKind::List
        } else if TEXT_COLUMNS.contains(&column) {
            ColumnKind::Text
        } else {
            ColumnKind::Plain
        }
    }
}

/// Whether a string can stand in a cell as it is (and in a list cell as one word).
fn plain_word(s: &str) -> bool {
    !s.is_empty() && !s.contains(char::is_whitespace) && !s.starts_with(['[', '{', '"'])
}

/// A value as TOML inline text, e.g. `["a", "b"]` or `{ form = "first" }`.
pub(crate) fn inline(v: &Value) -> String {
    v.to_string()
}

/// Writes a structure value into a cell. `where_` names the value for errors.
pub(crate) fn encode(
    v: &Value,
    kind: ColumnKind,
    where_: &dyn Fn() -> (String, String),
) -> Result<Cell, WorkbookError> {
    let unsupported = |what: &str| {
        let (file, key) = where_();
        WorkbookError::Unsupported {
            file,
            message: format!("`{key}` is {what}, which a workbook cell cannot hold exactly"),
        }
    };
    if kind == ColumnKind::List
        && !matches!(v, Value::Array(_) | Value::Table(_) | Value::String(_))
    {
        return Err(unsupported(&format!(
            "{} where a list is expected (write it as a list: [{}])",
            inline(v),
            inline(v)
        )));
    }
    Ok(match v {
        Value::String(s) => {
            let trimmed = s.trim();
            if kind == ColumnKind::List
                || s.is_empty()
                || trimmed != s
                || s.starts_with(['[', '{', '"'])
                || s.contains('\n')
            {
                Cell::Text(inline(v))
            } else {
                Cell::Text(s.clone())
            }
        }
        Value::Integer(i) => {
            if i.abs() > MAX_EXACT {
                return Err(unsupported(&format!("the integer {i}, larger than 2^53")));
            }
            Cell::Number(*i as f64)
        }
        Value::Float(x) => {
            if !x.is_finite() {
                return Err(unsupported(&format!("the number {x}")));
            }
            // A float without a fraction reads back as an integer: the compiler takes both
            // wherever a number is expected.
            Cell::Number(*x)
        }
        Value::Boolean(b) => Cell::Bool(*b),
        // A date such as 2026-10-01 (without quotes) reads back as the text "2026-10-01",
        // which the compiler takes the same way; a time of day has no such place.
        Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => Cell::Text(d.to_string()),
        Value::Datetime(d) => {
            return Err(unsupported(&format!(
                "the date and time {d} (write a date as \"YYYY-MM-DD\")"
            )))
        }
        Value::Array(a) => {
            let words: Option<Vec<&str>> = a
                .iter()
                .map(|e| e.as_str().filter(|s| plain_word(s)))
                .collect();
            match words {
                Some(w) if kind == ColumnKind::List && !w.is_empty() => Cell::Text(w.join(" ")),
                _ => Cell::Text(inline(v)),
            }
        }
        Value::Table(_) => Cell::Text(inline(v)),
    })
}

/// Parses TOML inline text (`[…]`, `{…}`, `"…"`) of a cell.
pub(crate) fn parse_inline(text: &str, at: &CellRef) -> Result<Value, WorkbookError> {
    let doc = format!("v = {text}");
    match doc.parse::<toml::Table>() {
        Ok(mut t) => t.remove("v").ok_or_else(|| WorkbookError::BadCell {
            at: at.clone(),
            message: "the cell is empty".into(),
        }),
        Err(e) => Err(WorkbookError::BadCell {
            at: at.clone(),
            message: format!(
                "a cell that starts with [, {{ or \" is read as a TOML list, table or quoted text, and this one is not valid: {}",
                e.message()
            ),
        }),
    }
}

/// Reads a structure cell; `None` when it is blank.
pub(crate) fn decode(
    cell: &Cell,
    kind: ColumnKind,
    at: &CellRef,
) -> Result<Option<Value>, WorkbookError> {
    Ok(Some(match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            if t.starts_with(['[', '{', '"']) {
                parse_inline(t, at)?
            } else if kind == ColumnKind::List {
                Value::Array(
                    t.split_whitespace()
                        .map(|w| Value::String(w.into()))
                        .collect(),
                )
            } else {
                Value::String(t.to_string())
            }
        }
        Cell::Number(x) => match kind {
            ColumnKind::List => Value::Array(vec![Value::String(cell.as_text())]),
            ColumnKind::Text => Value::String(cell.as_text()),
            ColumnKind::Plain => {
                if x.fract() == 0.0 && x.abs() <= MAX_EXACT as f64 {
                    Value::Integer(*x as i64)
                } else {
                    Value::Float(*x)
                }
            }
        },
        Cell::Bool(b) => match kind {
            ColumnKind::Plain => Value::Boolean(*b),
            _ => Value::String(cell.as_text()),
        },
    }))
}

/// A text cell that is a TOML list of texts (`["1288", "one two eight eight"]`).
fn text_list(s: &str) -> Option<Value> {
    if !s.trim_start().starts_with('[') {
        return None;
    }
    let v = format!("v = {s}")
        .parse::<toml::Table>()
        .ok()?
        .remove("v")?;
    v.as_array()
        .is_some_and(|a| a.iter().all(Value::is_str))
        .then_some(v)
}

/// Writes a translation (a text, or a list of texts such as a text item's accepted answers)
/// into a cell: text as it is, a list as TOML. `None` for a text that would read back as a
/// list.
pub(crate) fn encode_text(v: &Value) -> Option<Cell> {
    match v {
        Value::String(s) if text_list(s).is_none() => Some(Cell::Text(s.clone())),
        Value::Array(a) if a.iter().all(Value::is_str) => Some(Cell::Text(inline(v))),
        _ => None,
    }
}

/// Reads a translation cell: its text as it is (numbers as their text), or a list of texts;
/// `None` when empty.
pub(crate) fn decode_text(cell: &Cell) -> Option<Value> {
    match cell {
        Cell::Empty => None,
        Cell::Text(s) if s.is_empty() => None,
        Cell::Text(s) => Some(text_list(s).unwrap_or_else(|| Value::String(s.clone()))),
        c => Some(Value::String(c.as_text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> CellRef {
        CellRef::new("items", 1, 1)
    }

    fn round(v: Value, kind: ColumnKind) -> Option<Value> {
        let c = encode(&v, kind, &|| ("f".into(), "k".into())).unwrap();
        decode(&c, kind, &at()).unwrap()
    }

    #[test]
    fn values_come_back_from_their_cells() {
        let cases = [
            Value::String("broker".into()),
            Value::String("[not a list".into()),
            Value::String(" padded ".into()),
            Value::String(String::new()),
            Value::String("two\nlines".into()),
            Value::Integer(3),
            Value::Float(0.5),
            Value::Boolean(true),
            Value::Array(vec![]),
            Value::Array(vec![Value::String("a b".into())]),
            Value::Array(vec![Value::Integer(1), Value::Integer(2)]),
            "v = { form = \"first\", per_objective = 2 }"
                .parse::<toml::Table>()
                .unwrap()["v"]
                .clone(),
        ];
        for kind in [ColumnKind::Plain, ColumnKind::List] {
            for v in &cases {
                if kind == ColumnKind::List
                    && !matches!(v, Value::String(_) | Value::Array(_) | Value::Table(_))
                {
                    continue;
                }
                assert_eq!(
                    round(v.clone(), kind).as_ref(),
                    Some(v),
                    "{v:?} in {kind:?}"
                );
            }
        }
        let ids = Value::Array(vec![Value::String("a".into()), Value::String("b-2".into())]);
        let c = encode(&ids, ColumnKind::List, &|| ("f".into(), "k".into())).unwrap();
        assert_eq!(c, Cell::Text("a b-2".into()));
        assert_eq!(decode(&c, ColumnKind::List, &at()).unwrap(), Some(ids));
    }

    #[test]
    fn typed_numbers_in_id_columns_are_text() {
        assert_eq!(
            decode(&Cell::Number(1288.0), ColumnKind::Text, &at()).unwrap(),
            Some(Value::String("1288".into()))
        );
        assert_eq!(
            decode(&Cell::Number(3.0), ColumnKind::Plain, &at()).unwrap(),
            Some(Value::Integer(3))
        );
    }

    #[test]
    fn a_broken_list_names_its_cell() {
        let e = decode(&Cell::Text("[\"a\", ".into()), ColumnKind::Plain, &at()).unwrap_err();
        assert!(e.to_string().starts_with("items!B2: "), "{e}");
    }

    #[test]
    fn huge_integers_and_dates_are_refused() {
        let e = encode(&Value::Integer(i64::MAX), ColumnKind::Plain, &|| {
            ("pack.toml".into(), "x".into())
        });
        assert!(e.is_err());
    }
}
