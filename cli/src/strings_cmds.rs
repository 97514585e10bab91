//! `kru strings export` and `kru strings import`: a pack's learner-facing strings for
//! translators, as a PO file or an xlsx workbook, and back (`docs/translating.md`). The
//! catalogue, the stale check and the import rules are the core's
//! (`kru_core::authoring::strings`); here are the files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use kru_core::authoring::strings::{self, po, EntryState, Incoming, StringCatalogue};
use kru_workbook::{Book, Cell, CellRef, Sheet, WorkbookError};

use crate::pack_cmds::read_sources;
use crate::util::{read, write_atomic, CliResult};

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

/// Row colours: stale translations yellow, missing ones orange.
const STALE_FILL: u32 = 0xFFEB9C;
const MISSING_FILL: u32 = 0xFCE4D6;

fn text_row(cells: &[&str]) -> Vec<Cell> {
    cells.iter().map(|c| Cell::Text((*c).to_string())).collect()
}

/// The catalogue as a workbook (`strings` and `about` sheets), written by `kru-workbook`.
fn write_xlsx(c: &StringCatalogue) -> CliResult<Vec<u8>> {
    let source = format!("source ({})", c.source_language);
    let translation = format!("translation ({})", c.language);
    let mut header = COLUMNS.to_vec();
    header[2] = &source;
    header[3] = &translation;
    let mut strings = Sheet::new(SHEET, header.iter().map(|h| (*h).to_string()).collect());
    strings.look.widths = vec![34.0, 40.0, 60.0, 60.0, 13.0, 18.0];
    for (i, e) in c.entries.iter().enumerate() {
        strings.rows.push(text_row(&[
            &e.key,
            &e.context,
            &e.source,
            &e.translation,
            e.state.name(),
            &e.reference,
        ]));
        match e.state {
            EntryState::Stale => strings.look.fills.push((i + 1, STALE_FILL)),
            EntryState::Untranslated => strings.look.fills.push((i + 1, MISSING_FILL)),
            EntryState::Translated => {}
        }
    }
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
    let mut about = Sheet::new("about", Vec::new());
    about.rows = lines.iter().map(|l| text_row(&[l])).collect();
    about.look.widths = vec![100.0];
    let book = Book {
        sheets: vec![strings, about],
    };
    kru_workbook::write_xlsx(&book).map_err(|e| e.to_string())
}

/// A workbook's error in the words of a translator's file: formulas and damaged files named
/// as such.
fn read_error(e: WorkbookError) -> String {
    match e {
        WorkbookError::Formula { at, formula } => {
            format!("{at} is a formula ({formula}): translations must be typed text")
        }
        WorkbookError::Unreadable(m) => format!("not an xlsx workbook: {m}"),
        e => e.to_string(),
    }
}

/// Reads a workbook written by `kru strings export` (and edited): its language, from the
/// translation column's header, and its strings. The limits (file and unpacked size, zip
/// entries, rows: at most `kru_workbook::limits::MAX_ROWS`, cells), formulas, error values
/// and dates are checked by [`kru_workbook::read_book`].
fn read_xlsx(path: &Path) -> CliResult<(String, Vec<Incoming>)> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    if size > kru_workbook::limits::MAX_WORKBOOK_BYTES as u64 {
        return Err(format!(
            "the workbook is {size} bytes, more than the limit of {}",
            kru_workbook::limits::MAX_WORKBOOK_BYTES
        ));
    }
    let book = kru_workbook::read_book(&read(path)?).map_err(read_error)?;
    let Some(sheet) = book.sheet(SHEET) else {
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(format!(
            "the workbook has no sheet '{SHEET}' (it has: {}): it was not written by kru strings export",
            names.join(", ")
        ));
    };
    let at = |r: usize, c: usize| CellRef::new(SHEET, r, c).to_string();
    let text = |r: usize, c: usize| sheet.get(r, c).as_text();
    let language = text(0, 3)
        .strip_prefix("translation (")
        .and_then(|h| h.strip_suffix(')'))
        .filter(|_| text(0, 0) == "key")
        .ok_or_else(|| {
            format!(
                "{} should be 'translation (<language>)' under a 'key' column in A1: the sheet was not written by kru strings export, or its columns were moved",
                at(0, 3)
            )
        })?
        .to_string();
    let mut incoming = Vec::new();
    for r in 1..sheet.rows.len() {
        let key = text(r, 0);
        if key.trim().is_empty() {
            continue;
        }
        incoming.push(Incoming {
            key: key.trim().to_string(),
            source: text(r, 2),
            translation: text(r, 3),
            fuzzy: text(r, 4).trim().eq_ignore_ascii_case("stale"),
            place: at(r, 3),
        });
    }
    Ok((language, incoming))
}
