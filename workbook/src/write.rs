//! Writes a [`Book`] as `.xlsx` (rust_xlsxwriter) or `.ods` (spreadsheet-ods) bytes.

use crate::book::{Book, Cell};
use crate::WorkbookError;

fn err(e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Write(e.to_string())
}

fn index(row: usize, col: usize) -> Result<(u32, u16), WorkbookError> {
    Ok((
        u32::try_from(row).map_err(err)?,
        u16::try_from(col).map_err(err)?,
    ))
}

/// The workbook as an Office Open XML spreadsheet (`.xlsx`): the header row in bold and
/// frozen, text cells as text (never guessed as numbers or dates).
pub fn write_xlsx(book: &Book) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        ws.set_freeze_panes(1, 0).map_err(err)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r32, c16) = index(r, c)?;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) if r == 0 => {
                        ws.write_string_with_format(r32, c16, s, &bold)
                            .map_err(err)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(r32, c16, s).map_err(err)?;
                    }
                    Cell::Number(x) => {
                        ws.write_number(r32, c16, *x).map_err(err)?;
                    }
                    Cell::Bool(b) => {
                        ws.write_boolean(r32, c16, *b).map_err(err)?;
                    }
                }
            }
        }
        // Texts wide and wrapped, structure columns narrower.
        if let Some(header) = sheet.rows.first() {
            for (c, h) in header.iter().enumerate() {
                let (_, c16) = index(0, c)?;
                if h.as_text().contains("::") {
                    ws.set_column_width(c16, 40).map_err(err)?;
                    ws.set_column_format(c16, &wrap).map_err(err)?;
                } else {
                    ws.set_column_width(c16, 16).map_err(err)?;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// The workbook as an OpenDocument spreadsheet (`.ods`), for LibreOffice.
pub fn write_ods(book: &Book) -> Result<Vec<u8>, WorkbookError> {
    let mut wb = spreadsheet_ods::WorkBook::new_empty();
    for sheet in &book.sheets {
        let mut s = spreadsheet_ods::Sheet::new(sheet.name.as_str());
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let r32 = u32::try_from(r).map_err(err)?;
                let c32 = u32::try_from(c).map_err(err)?;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) => s.set_value(r32, c32, t.as_str()),
                    Cell::Number(x) => s.set_value(r32, c32, *x),
                    Cell::Bool(b) => s.set_value(r32, c32, *b),
                }
            }
        }
        wb.push_sheet(s);
    }
    spreadsheet_ods::write_ods_buf(&mut wb, Vec::new()).map_err(err)
}
