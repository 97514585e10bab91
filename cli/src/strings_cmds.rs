//! `kru strings export` and `kru strings import`: a pack's learner-facing strings for
//! translators, as a PO file or an xlsx workbook, and back (`docs/translating.md`). The
//! catalogue, the stale check and the import rules are the core's
//! (`kru_core::authoring::strings`); here are the files.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use calamine::{Data, Reader, Xlsx};
use clap::{Subcommand, ValueEnum};
use kru_core::authoring::strings::{self, po, EntryState, Incoming, StringCatalogue};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use crate::pack_cmds::read_sources;
use crate::util::{read, write_atomic, CliResult};

/// The largest workbook read (bytes on disk).
const MAX_XLSX_BYTES: u64 = 16 << 20;
/// The most bytes a workbook's parts may declare once inflated (a zip bomb is refused
/// before anything is inflated).
const MAX_XLSX_INFLATED: u64 = 128 << 20;
/// The most parts (files inside the zip) a workbook may have.
const MAX_XLSX_PARTS: usize = 1_000;
/// The most rows read from the strings sheet.
const MAX_XLSX_ROWS: usize = po::MAX_PO_ENTRIES + 1;
/// The sheet of the strings.
const SHEET: &str = "strings";

/// The file formats for translators.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StringsFormat {
    /// GNU gettext PO (Poedit, Weblate, Lokalize, OmegaT, …).
    Po,
    /// An Excel workbook (also LibreOffice, Google Sheets).
    Xlsx,
}

/// `kru strings …`.
#[derive(Subcommand)]
pub enum StringsCommand {
    /// Write every learner-facing string with its context, source text and current
    /// translation into one language, for translators. Stale translations (the source text
    /// changed since) are marked fuzzy (PO) or "stale" (xlsx).
    Export {
        /// The pack source folder (with pack.toml).
        dir: PathBuf,
        /// The language to translate into (a tag of the pack, not its default language).
        #[arg(long)]
        lang: String,
        /// File format (default: from the output file's extension).
        #[arg(long, value_enum)]
        format: Option<StringsFormat>,
        /// Where to write the file (.po or .xlsx).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Take a translated PO file or workbook back into the pack's i18n/<lang>.toml, reporting
    /// new, changed and stale strings. Refuses broken {placeholders} and a file whose
    /// translations are not in its language; nothing is written then.
    Import {
        /// The pack source folder (with pack.toml).
        dir: PathBuf,
        /// The translated file (.po or .xlsx), as written by `kru strings export`.
        file: PathBuf,
        /// Only report what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs a `kru strings` command.
pub fn run(cmd: StringsCommand) -> CliResult<ExitCode> {
    match cmd {
        StringsCommand::Export {
            dir,
            lang,
            format,
            output,
        } => export(&dir, &lang, format, &output),
        StringsCommand::Import { dir, file, dry_run } => import(&dir, &file, dry_run),
    }
}

fn format_of(path: &Path, given: Option<StringsFormat>) -> CliResult<StringsFormat> {
    if let Some(f) = given {
        return Ok(f);
    }
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("po" | "pot") => Ok(StringsFormat::Po),
        Some("xlsx") => Ok(StringsFormat::Xlsx),
        _ => Err(format!(
            "{}: name the file .po or .xlsx, or give --format",
            path.display()
        )),
    }
}

fn export(
    dir: &Path,
    lang: &str,
    format: Option<StringsFormat>,
    output: &Path,
) -> CliResult<ExitCode> {
    let format = format_of(output, format)?;
    let files = read_sources(dir)?;
    let c = strings::catalogue(&files, lang).map_err(|e| e.to_string())?;
    let bytes = match format {
        StringsFormat::Po => po::write(&c).into_bytes(),
        StringsFormat::Xlsx => write_xlsx(&c)?,
    };
    write_atomic(output, &bytes)?;
    let (untranslated, translated, stale) = c.counts();
    eprintln!(
        "wrote {} strings of {} for {} to {}: {untranslated} untranslated, {stale} stale (source changed since translated), {translated} translated",
        c.entries.len(),
        c.pack_id,
        c.language,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn import(dir: &Path, file: &Path, dry_run: bool) -> CliResult<ExitCode> {
    let files = read_sources(dir)?;
    let (language, incoming) = match format_of(file, None)? {
        StringsFormat::Po => {
            let f = po::read(&read(file)?).map_err(|e| format!("{}: {e}", file.display()))?;
            let lang = f.language.ok_or_else(|| {
                format!(
                    "{}: the PO header has no Language: the file does not say which language it is",
                    file.display()
                )
            })?;
            let incoming = f
                .entries
                .into_iter()
                .map(|e| Incoming {
                    key: e.context,
                    source: e.source,
                    translation: e.translation,
                    fuzzy: e.fuzzy,
                    place: format!("line {}", e.line),
                })
                .collect();
            (lang, incoming)
        }
        StringsFormat::Xlsx => read_xlsx(file).map_err(|e| format!("{}: {e}", file.display()))?,
    };
    let out = strings::import(&files, &language, &incoming)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let target = dir.join(&out.path);
    let list = |keys: &[String]| -> String {
        if keys.is_empty() {
            return String::new();
        }
        let first: Vec<&str> = keys.iter().take(10).map(String::as_str).collect();
        let more = keys.len().saturating_sub(10);
        format!(
            ": {}{}",
            first.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        )
    };
    eprintln!("{} new{}", out.new.len(), list(&out.new));
    eprintln!("{} changed{}", out.changed.len(), list(&out.changed));
    eprintln!(
        "{} stale (translated from a source text that has changed since the export; imported, still marked stale){}",
        out.stale.len(),
        list(&out.stale)
    );
    if !out.fuzzy.is_empty() {
        eprintln!(
            "{} left out, still marked fuzzy/stale in the file (remove the mark once checked){}",
            out.fuzzy.len(),
            list(&out.fuzzy)
        );
    }
    if !out.unknown.is_empty() {
        eprintln!(
            "{} not in the pack, ignored{}",
            out.unknown.len(),
            list(&out.unknown)
        );
    }
    eprintln!(
        "{} unchanged, {} untranslated",
        out.unchanged, out.untranslated
    );
    if dry_run {
        eprintln!("dry run: {} not written", target.display());
    } else {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_atomic(&target, out.text.as_bytes())?;
        eprintln!(
            "{} {}",
            if out.existed { "updated" } else { "created" },
            target.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

// ------------------------------------------------------------------------------ xlsx

/// The columns of the strings sheet.
const COLUMNS: [&str; 6] = [
    "key",
    "where it is shown",
    "source",
    "translation",
    "status",
    "place",
];

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> String {
    format!("cannot write the workbook: {e}")
}

fn write_xlsx(c: &StringCatalogue) -> CliResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border_bottom(FormatBorder::Thin);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let stale = wrap.clone().set_background_color(Color::RGB(0xFFEB9C));
    let missing = wrap.clone().set_background_color(Color::RGB(0xFCE4D6));
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(xlsx_error)?;
    for (i, title) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        let text = match i {
            2 => format!("source ({})", c.source_language),
            3 => format!("translation ({})", c.language),
            _ => (*title).to_string(),
        };
        ws.write_string_with_format(0, col, &text, &head)
            .map_err(xlsx_error)?;
    }
    for (col, width) in [
        (0u16, 34.0),
        (1, 40.0),
        (2, 60.0),
        (3, 60.0),
        (4, 13.0),
        (5, 18.0),
    ] {
        ws.set_column_width(col, width).map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    for (i, e) in c.entries.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| "too many strings for a sheet".to_string())?;
        let f = match e.state {
            EntryState::Stale => &stale,
            EntryState::Untranslated => &missing,
            EntryState::Translated => &wrap,
        };
        let cells = [
            e.key.as_str(),
            e.context.as_str(),
            e.source.as_str(),
            e.translation.as_str(),
            e.state.name(),
            e.reference.as_str(),
        ];
        for (col, v) in cells.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(0);
            ws.write_string_with_format(row, col, *v, f)
                .map_err(xlsx_error)?;
        }
    }
    let about = wb.add_worksheet();
    about.set_name("about").map_err(xlsx_error)?;
    about.set_column_width(0, 100.0).map_err(xlsx_error)?;
    let lines = [
        format!(
            "Strings of the kru pack '{}' for translation from {} into {}.",
            c.pack_id, c.source_language, c.language
        ),
        "Write each translation in the 'translation' column of the 'strings' sheet; leave the other columns as they are.".to_string(),
        "Keep every {placeholder} of the source as it is.".to_string(),
        "Status 'stale': the source text changed since the translation was made. Check the translation, then change the status to 'translated'; rows still marked 'stale' are not imported.".to_string(),
        format!("Import with: kru strings import PACK-FOLDER THIS-FILE (it updates {}).", c.path),
    ];
    for (i, l) in lines.iter().enumerate() {
        about
            .write_string(u32::try_from(i).unwrap_or(0), 0, l)
            .map_err(xlsx_error)?;
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

/// A spreadsheet column letter (0 → A).
fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// Checks a workbook's zip structure before it is inflated: a bounded number of parts and
/// of declared inflated bytes.
fn check_zip(bytes: &[u8]) -> CliResult<()> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not an xlsx workbook (not a zip file: {e})"))?;
    if z.len() > MAX_XLSX_PARTS {
        return Err(format!(
            "the workbook has {} parts, more than the limit of {MAX_XLSX_PARTS}",
            z.len()
        ));
    }
    let mut total = 0u64;
    for i in 0..z.len() {
        let f = z
            .by_index_raw(i)
            .map_err(|e| format!("the workbook is damaged: {e}"))?;
        total = total.saturating_add(f.size());
    }
    if total > MAX_XLSX_INFLATED {
        return Err(format!(
            "the workbook inflates to {total} bytes, more than the limit of {MAX_XLSX_INFLATED} (a zip bomb?)"
        ));
    }
    Ok(())
}

/// The text of a cell: strings as they are, whole numbers without ".0"; other types are
/// refused with the cell's place.
fn cell_text(d: &Data, place: &str) -> CliResult<String> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => return Err(format!("{place} holds the error {e}: type the text")),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            return Err(format!(
                "{place} is a date or time, not text: format the cell as text and type it again"
            ))
        }
    })
}

/// Reads a workbook written by `kru strings export` (and edited): its language, from the
/// translation column's header, and its strings.
fn read_xlsx(path: &Path) -> CliResult<(String, Vec<Incoming>)> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    if size > MAX_XLSX_BYTES {
        return Err(format!(
            "the workbook is {size} bytes, more than the limit of {MAX_XLSX_BYTES}"
        ));
    }
    let bytes = read(path)?;
    check_zip(&bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice()))
        .map_err(|e| format!("not an xlsx workbook: {e}"))?;
    if !wb.sheet_names().iter().any(|s| s == SHEET) {
        return Err(format!(
            "the workbook has no sheet '{SHEET}' (it has: {}): it was not written by kru strings export",
            wb.sheet_names().join(", ")
        ));
    }
    let range = wb
        .worksheet_range(SHEET)
        .map_err(|e| format!("cannot read sheet '{SHEET}': {e}"))?;
    let formulas = wb
        .worksheet_formula(SHEET)
        .map_err(|e| format!("cannot read sheet '{SHEET}': {e}"))?;
    if let Some(c) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
        let (r, col) = (c.0 + formulas.start().map_or(0, |s| s.0 as usize), c.1);
        return Err(format!(
            "{SHEET}!{}{} is a formula: translations must be typed text",
            column_name(col + formulas.start().map_or(0, |s| s.1 as usize)),
            r + 1
        ));
    }
    let (rows, _) = range.get_size();
    if rows > MAX_XLSX_ROWS {
        return Err(format!(
            "sheet '{SHEET}' has {rows} rows, more than the limit of {MAX_XLSX_ROWS}"
        ));
    }
    let (r0, c0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let at =
        |r: usize, c: usize| -> String { format!("{SHEET}!{}{}", column_name(c0 + c), r0 + r + 1) };
    let header: Vec<String> = (0..COLUMNS.len())
        .map(|c| {
            range
                .get((0, c))
                .map_or(Ok(String::new()), |d| cell_text(d, &at(0, c)))
        })
        .collect::<CliResult<_>>()?;
    let language = header
        .get(3)
        .and_then(|h| h.strip_prefix("translation ("))
        .and_then(|h| h.strip_suffix(')'))
        .filter(|_| header.first().is_some_and(|k| k == "key") && r0 == 0 && c0 == 0)
        .ok_or_else(|| {
            format!(
                "{} should be 'translation (<language>)' under a 'key' column in A1: the sheet was not written by kru strings export, or its columns were moved",
                at(0, 3)
            )
        })?
        .to_string();
    let mut incoming = Vec::new();
    for r in 1..rows {
        let get = |c: usize| -> CliResult<String> {
            range
                .get((r, c))
                .map_or(Ok(String::new()), |d| cell_text(d, &at(r, c)))
        };
        let key = get(0)?;
        if key.trim().is_empty() {
            continue;
        }
        let status = get(4)?;
        incoming.push(Incoming {
            key: key.trim().to_string(),
            source: get(2)?,
            translation: get(3)?,
            fuzzy: status.trim().eq_ignore_ascii_case("stale"),
            place: at(r, 3),
        });
    }
    Ok((language, incoming))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
