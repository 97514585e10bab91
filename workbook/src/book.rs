//! The in-memory workbook: sheets of cells, independent of the file format. The folder
//! mapping ([`crate::layout`]) produces and reads it; [`crate::xlsx`] and [`crate::ods`] write
//! it and [`crate::read`] reads it from a file.

use std::fmt;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
}

impl Cell {
    /// Whether the cell holds nothing (empty, or only whitespace).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for headers and ids: numbers without a fraction print as integers.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
            Cell::Number(x) => format!("{x}"),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }
}

/// One sheet: a header row and data rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name (its tab).
    pub name: String,
    /// The rows, the header first. Rows may be shorter than the header.
    pub rows: Vec<Vec<Cell>>,
    /// How the sheet looks in `.xlsx` (column widths, row colours). Not read back from a
    /// file, and not written to `.ods`.
    pub look: Look,
}

/// How a sheet looks when written as `.xlsx`: presentation only, never part of the content.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Look {
    /// Column widths in characters, by 0-based column; empty: texts (`label::…`) 40 wide and
    /// wrapped, other columns 16.
    pub widths: Vec<f64>,
    /// Background colours (`0xRRGGBB`) of data rows, by 0-based row (the header is row 0).
    pub fills: Vec<(usize, u32)>,
}

impl Sheet {
    /// An empty sheet with a header row.
    pub fn new(name: &str, header: Vec<String>) -> Self {
        Sheet {
            name: name.to_string(),
            rows: vec![header.into_iter().map(Cell::Text).collect()],
            look: Look::default(),
        }
    }

    /// The cell at a 0-based row and column, [`Cell::Empty`] past the end.
    pub fn get(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

/// A workbook: its sheets in tab order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Book {
    /// The sheets.
    pub sheets: Vec<Sheet>,
}

impl Book {
    /// The sheet with this name.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// A cell's place, shown as `items!D14`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// The sheet's name.
    pub sheet: String,
    /// 0-based row.
    pub row: usize,
    /// 0-based column.
    pub col: usize,
}

impl CellRef {
    /// A place from a sheet name and 0-based row and column.
    pub fn new(sheet: &str, row: usize, col: usize) -> Self {
        CellRef {
            sheet: sheet.to_string(),
            row,
            col,
        }
    }
}

/// The column letters of a 0-based column: 0 is `A`, 25 `Z`, 26 `AA`.
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}!{}{}",
            self.sheet,
            column_name(self.col),
            self.row + 1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_print_like_a_spreadsheet() {
        assert_eq!(CellRef::new("items", 13, 3).to_string(), "items!D14");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
