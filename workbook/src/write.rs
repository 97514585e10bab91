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
/// frozen, text cells as text (never guessed as numbers or dates), and each sheet's [`Look`]
/// (column widths, row colours).
///
/// [`Look`]: crate::Look
pub fn write_xlsx(book: &Book) -> Result<Vec<u8>, WorkbookError> {
    use rust_xlsxwriter::{Color, Format, FormatAlign};
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(err)?;
        ws.set_freeze_panes(1, 0).map_err(err)?;
        let fills: std::collections::HashMap<usize, Format> = sheet
            .look
            .fills
            .iter()
            .map(|&(r, rgb)| (r, wrap.clone().set_background_color(Color::RGB(rgb))))
            .collect();
        for (r, row) in sheet.rows.iter().enumerate() {
            let fill = fills.get(&r);
            for (c, cell) in row.iter().enumerate() {
                let (r32, c16) = index(r, c)?;
                match (cell, fill) {
                    (Cell::Empty, _) => {}
                    (Cell::Text(s), _) if r == 0 => {
                        ws.write_string_with_format(r32, c16, s, &bold)
                            .map_err(err)?;
                    }
                    (Cell::Text(s), Some(f)) => {
                        ws.write_string_with_format(r32, c16, s, f).map_err(err)?;
                    }
                    (Cell::Text(s), None) => {
                        ws.write_string(r32, c16, s).map_err(err)?;
                    }
                    (Cell::Number(x), _) => {
                        ws.write_number(r32, c16, *x).map_err(err)?;
                    }
                    (Cell::Bool(b), _) => {
                        ws.write_boolean(r32, c16, *b).map_err(err)?;
                    }
                }
            }
        }
        if !sheet.look.widths.is_empty() {
            for (c, w) in sheet.look.widths.iter().enumerate() {
                let (_, c16) = index(0, c)?;
                ws.set_column_width(c16, *w).map_err(err)?;
                if *w >= 30.0 {
                    ws.set_column_format(c16, &wrap).map_err(err)?;
                }
            }
        } else if let Some(header) = sheet.rows.first() {
            // Texts wide and wrapped, structure columns narrower.
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
