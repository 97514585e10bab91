//! Reads `.xlsx` and `.ods` bytes into a [`Book`] with calamine, after checking the file
//! against [`crate::limits`]: its size, the unpacked size of every zip entry (actually
//! inflated, not as declared), the rows and columns an `.ods` declares by repetition, and the
//! cells of each sheet. Formulas, error values and dates that are not whole days are refused
//! with the cell they are in.

use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader};

use crate::book::{Book, Cell, CellRef, Sheet};
use crate::limits::{
    MAX_CELLS, MAX_COLUMNS, MAX_ENTRIES, MAX_ROWS, MAX_SHEETS, MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_BYTES,
};
use crate::WorkbookError;

/// The spreadsheet formats kru reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`): Excel, Google Sheets, LibreOffice.
    Xlsx,
    /// OpenDocument (`.ods`): LibreOffice.
    Ods,
}

impl Format {
    /// The format of a file name's extension (`.xlsx`, `.ods`), if it is one of them.
    pub fn from_extension(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xlsx") {
            Some(Format::Xlsx)
        } else if lower.ends_with(".ods") {
            Some(Format::Ods)
        } else {
            None
        }
    }
}

fn unreadable(e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Unreadable(e.to_string())
}

/// Checks the zip container: entry count, and every entry inflated for real within the
/// budget. Returns the format and, for `.ods`, the text of `content.xml`.
fn check_zip(bytes: &[u8]) -> Result<(Format, Option<String>), WorkbookError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "{e} (an .xlsx or .ods file is a zip archive; this one does not open)"
        ))
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(WorkbookError::TooLarge(format!(
            "it holds {} files, more than {MAX_ENTRIES}",
            zip.len()
        )));
    }
    let mut format = None;
    let mut content = None;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(unreadable)?;
        let name = entry.name().map_err(unreadable)?.to_string();
        let budget = MAX_UNPACKED_BYTES - total;
        let keep = name == "content.xml" || name == "mimetype";
        let mut kept = Vec::new();
        let n = if keep {
            (&mut entry)
                .take(budget + 1)
                .read_to_end(&mut kept)
                .map_err(unreadable)? as u64
        } else {
            std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink())
                .map_err(unreadable)?
        };
        total += n;
        if total > MAX_UNPACKED_BYTES {
            return Err(WorkbookError::TooLarge(format!(
                "it unpacks to more than {} MiB (at {name})",
                MAX_UNPACKED_BYTES / (1024 * 1024)
            )));
        }
        if name == "[Content_Types].xml" {
            format = Some(Format::Xlsx);
        } else if name == "mimetype"
            && kept.starts_with(b"application/vnd.oasis.opendocument.spreadsheet")
        {
            format = Some(Format::Ods);
        } else if name == "content.xml" {
            content =
                Some(String::from_utf8(kept).map_err(|_| unreadable("content.xml is not UTF-8"))?);
        }
    }
    match format {
        Some(f) => Ok((f, content)),
        None => Err(unreadable(
            "it is a zip archive but neither an .xlsx nor an .ods spreadsheet",
        )),
    }
}

/// The value of a numeric attribute in an XML start tag, e.g. `table:number-rows-repeated`.
fn attr_number(tag: &str, name: &str) -> u64 {
    let pat = format!("{name}=\"");
    tag.find(&pat)
        .and_then(|p| tag.get(p + pat.len()..))
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .fold(0u64, |n, c| {
                    n.saturating_mul(10)
                        .saturating_add(u64::from(c as u8 - b'0'))
                })
        })
        .unwrap_or(1)
}

/// Bounds what an `.ods` declares by repetition (`number-rows-repeated`,
/// `number-columns-repeated`) before calamine expands it: rows and columns up to the last
/// value count, trailing empty filler (which LibreOffice writes) does not.
fn check_ods_repeats(xml: &str) -> Result<(), WorkbookError> {
    let too_large = |what: String| WorkbookError::TooLarge(what);
    let mut total_cells: u64 = 0;
    for table in xml.split("<table:table ").skip(1) {
        let table = table.split("</table:table>").next().unwrap_or("");
        // (repeats, has a value, width up to its last value)
        let mut rows: Vec<(u64, bool, u64)> = Vec::new();
        for row in table.split("<table:table-row").skip(1) {
            let tag_end = row.find('>').unwrap_or(row.len());
            let tag = row.get(..tag_end).unwrap_or("");
            let repeats = attr_number(tag, "table:number-rows-repeated");
            let body = row.split("</table:table-row>").next().unwrap_or("");
            let mut width: u64 = 0;
            let mut valued_width: u64 = 0;
            for cell in body.split("<table:").skip(1) {
                if !(cell.starts_with("table-cell") || cell.starts_with("covered-table-cell")) {
                    continue;
                }
                let ctag = cell
                    .get(..cell.find('>').unwrap_or(cell.len()))
                    .unwrap_or("");
                let n = attr_number(ctag, "table:number-columns-repeated");
                width = width.saturating_add(n);
                let valued = ctag.contains("office:value-type")
                    || ctag.contains("table:formula")
                    || cell.contains("<text:p>");
                if valued {
                    if n > MAX_COLUMNS as u64 {
                        return Err(too_large(format!(
                            "a cell is repeated {n} times, more than {MAX_COLUMNS} columns"
                        )));
                    }
                    valued_width = width;
                }
            }
            rows.push((repeats, valued_width > 0, valued_width));
        }
        let last = rows.iter().rposition(|r| r.1);
        let Some(last) = last else { continue };
        let used = rows.get(..=last).unwrap_or(&[]);
        let nrows = used.iter().fold(0u64, |n, r| n.saturating_add(r.0));
        let ncols = used.iter().map(|r| r.2).max().unwrap_or(0);
        if nrows > MAX_ROWS as u64 {
            return Err(too_large(format!(
                "a sheet has {nrows} rows, more than {MAX_ROWS}"
            )));
        }
        if ncols > MAX_COLUMNS as u64 {
            return Err(too_large(format!(
                "a sheet has {ncols} columns, more than {MAX_COLUMNS}"
            )));
        }
        total_cells = total_cells.saturating_add(nrows.saturating_mul(ncols));
        if total_cells > MAX_CELLS as u64 {
            return Err(too_large(format!(
                "the sheets span more than {MAX_CELLS} cells"
            )));
        }
    }
    Ok(())
}

/// The days of a whole-day spreadsheet date as `YYYY-MM-DD` (serial 1 is 1900-01-01, with
/// Excel's 1900 leap-year bug: serial 60 does not exist as a real day).
fn serial_date(serial: f64) -> Option<String> {
    if serial.fract() != 0.0 || !(61.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01: serial 25569 is 1970-01-01.
    let z = serial as i64 - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Builds a sheet from cells, within the limits.
struct Grid {
    name: String,
    rows: Vec<Vec<Cell>>,
    dense: usize,
}

impl Grid {
    fn put(
        &mut self,
        row: usize,
        col: usize,
        cell: Cell,
        budget: &mut usize,
    ) -> Result<(), WorkbookError> {
        if row >= MAX_ROWS {
            return Err(WorkbookError::TooLarge(format!(
                "sheet '{}' has a value in row {}, past the limit of {MAX_ROWS} rows",
                self.name,
                row + 1
            )));
        }
        if col >= MAX_COLUMNS {
            return Err(WorkbookError::TooLarge(format!(
                "sheet '{}' has a value in column {}, past the limit of {MAX_COLUMNS} columns",
                self.name,
                crate::book::column_name(col)
            )));
        }
        if self.rows.len() <= row {
            self.rows.resize(row + 1, Vec::new());
        }
        let Some(r) = self.rows.get_mut(row) else {
            return Ok(());
        };
        if r.len() <= col {
            let grow = col + 1 - r.len();
            if grow > *budget {
                return Err(WorkbookError::TooLarge(format!(
                    "the sheets span more than {MAX_CELLS} cells"
                )));
            }
            *budget -= grow;
            self.dense += grow;
            r.resize(col + 1, Cell::Empty);
        }
        if let Some(c) = r.get_mut(col) {
            *c = cell;
        }
        Ok(())
    }
}

fn convert_ref(v: &DataRef<'_>, at: &CellRef) -> Result<Cell, WorkbookError> {
    Ok(match v {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(x) => Cell::Number(*x),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => date_cell(d.as_f64(), at)?,
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => {
            return Err(WorkbookError::BadCell {
                at: at.clone(),
                message: format!("the cell holds the error value {e}; type a value"),
            })
        }
    })
}

fn date_cell(serial: f64, at: &CellRef) -> Result<Cell, WorkbookError> {
    serial_date(serial)
        .map(Cell::Text)
        .ok_or_else(|| WorkbookError::BadCell {
            at: at.clone(),
            message: "the cell holds a date and time; kru takes dates as text, YYYY-MM-DD".into(),
        })
}

fn convert(v: &Data, at: &CellRef) -> Result<Cell, WorkbookError> {
    Ok(match v {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(x) => Cell::Number(*x),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_cell(d.as_f64(), at)?,
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            if s.len() == 10 {
                Cell::Text(s.clone())
            } else {
                return date_cell(f64::NAN, at);
            }
        }
        Data::Error(e) => {
            return Err(WorkbookError::BadCell {
                at: at.clone(),
                message: format!("the cell holds the error value {e}; type a value"),
            })
        }
    })
}

fn short(f: &str) -> String {
    let mut s: String = f.chars().take(40).collect();
    if f.chars().count() > 40 {
        s.push('…');
    }
    format!("={s}")
}

/// Reads an `.xlsx` or `.ods` workbook (told apart by its contents). Refuses, with a clear
/// error, files over the limits of [`crate::limits`], formulas, and error values.
pub fn read_book(bytes: &[u8]) -> Result<Book, WorkbookError> {
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(WorkbookError::TooLarge(format!(
            "the file is {} bytes, more than {MAX_WORKBOOK_BYTES}",
            bytes.len()
        )));
    }
    let (format, content) = check_zip(bytes)?;
    // calamine is a third-party parser: a panic in it (one was found by the mutation tests: an
    // inverted <dimension> overflows a subtraction) is a file it cannot read, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_sheets(bytes, format, content.as_deref())
    }))
    .unwrap_or_else(|_| {
        Err(unreadable(
            "the spreadsheet reader failed on a malformed part of the file",
        ))
    })
}

/// Reads the sheets of a checked workbook.
fn read_sheets(bytes: &[u8], format: Format, content: Option<&str>) -> Result<Book, WorkbookError> {
    let mut budget = MAX_CELLS;
    let mut sheets = Vec::new();
    match format {
        Format::Xlsx => {
            let mut x = calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
            let names = x.sheet_names();
            if names.len() > MAX_SHEETS {
                return Err(WorkbookError::TooLarge(format!(
                    "it has {} sheets, more than {MAX_SHEETS}",
                    names.len()
                )));
            }
            for name in names {
                let mut g = Grid {
                    name: name.clone(),
                    rows: Vec::new(),
                    dense: 0,
                };
                {
                    let mut cells = x.worksheet_cells_reader(&name).map_err(unreadable)?;
                    while let Some(c) = cells.next_cell().map_err(unreadable)? {
                        let (r, col) = c.get_position();
                        let at = CellRef::new(&name, r as usize, col as usize);
                        let v = convert_ref(c.get_value(), &at)?;
                        if v != Cell::Empty {
                            g.put(r as usize, col as usize, v, &mut budget)?;
                        }
                    }
                }
                let mut formulas = x.worksheet_cells_reader(&name).map_err(unreadable)?;
                while let Some(f) = formulas.next_formula().map_err(unreadable)? {
                    if !f.get_value().is_empty() {
                        let (r, col) = f.get_position();
                        return Err(WorkbookError::Formula {
                            at: CellRef::new(&name, r as usize, col as usize),
                            formula: short(f.get_value()),
                        });
                    }
                }
                sheets.push(Sheet {
                    name: g.name,
                    rows: g.rows,
                    look: Default::default(),
                });
            }
        }
        Format::Ods => {
            check_ods_repeats(content.unwrap_or(""))?;
            let mut o = calamine::Ods::new(Cursor::new(bytes)).map_err(unreadable)?;
            let names = o.sheet_names();
            if names.len() > MAX_SHEETS {
                return Err(WorkbookError::TooLarge(format!(
                    "it has {} sheets, more than {MAX_SHEETS}",
                    names.len()
                )));
            }
            for name in names {
                let formulas = o.worksheet_formula(&name).map_err(unreadable)?;
                if let Some((r, c, f)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    return Err(WorkbookError::Formula {
                        at: CellRef::new(&name, r + r0 as usize, c + c0 as usize),
                        formula: short(f.trim_start_matches("of:=")),
                    });
                }
                let range = o.worksheet_range(&name).map_err(unreadable)?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut g = Grid {
                    name: name.clone(),
                    rows: Vec::new(),
                    dense: 0,
                };
                for (r, c, v) in range.used_cells() {
                    let (r, c) = (r + r0 as usize, c + c0 as usize);
                    let cell = convert(v, &CellRef::new(&name, r, c))?;
                    if cell != Cell::Empty {
                        g.put(r, c, cell, &mut budget)?;
                    }
                }
                sheets.push(Sheet {
                    name: g.name,
                    rows: g.rows,
                    look: Default::default(),
                });
            }
        }
    }
    Ok(Book { sheets })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_serials_are_dates() {
        assert_eq!(serial_date(25569.0).as_deref(), Some("1970-01-01"));
        assert_eq!(serial_date(46296.0).as_deref(), Some("2026-10-01"));
        assert_eq!(serial_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_date(46296.5), None);
    }

    #[test]
    fn ods_repeats_are_bounded() {
        let ok = r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        assert!(check_ods_repeats(ok).is_ok());
        let wide = r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000000"/></table:table-row></table:table>"#;
        assert!(matches!(
            check_ods_repeats(wide),
            Err(WorkbookError::TooLarge(_))
        ));
        let tall = r#"<table:table table:name="a"><table:table-row table:number-rows-repeated="99999999"><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert!(matches!(
            check_ods_repeats(tall),
            Err(WorkbookError::TooLarge(_))
        ));
        let gap = r#"<table:table table:name="a"><table:table-row table:number-rows-repeated="99999999"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert!(matches!(
            check_ods_repeats(gap),
            Err(WorkbookError::TooLarge(_))
        ));
    }
}
