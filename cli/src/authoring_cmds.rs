//! `kru convert` (pack folder ⇄ workbook, GIFT → pack folder) and `kru new`: the authoring
//! commands of `kru-workbook`, in one module so that the rest of the CLI only names them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use kru_core::authoring::{self, SourceFile};
use kru_core::pack::Date;
use kru_workbook::{Book, Format};

use crate::pack_cmds::read_sources;
use crate::util::{now_ms, read, write_atomic, CliResult};

/// The authoring subcommands.
#[derive(Subcommand)]
pub enum AuthoringCommand {
    /// Convert a pack between a source folder and a workbook (.xlsx or .ods), either way, or
    /// import a Moodle GIFT question bank (.gift or .txt) into a new source folder.
    ///
    /// Workbook → folder validates the result and shows every problem at its cell
    /// (`items!D14`); the folder is written even with errors, and the exit status is 1.
    /// The layout is in docs/authoring.md.
    Convert {
        /// A pack source folder, a workbook (.xlsx, .ods) or a GIFT file (.gift, .txt).
        src: PathBuf,
        /// The workbook (.xlsx, .ods) or the folder to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the files of an existing pack folder.
        #[arg(long)]
        force: bool,
        /// For GIFT: the language tag of the questions' text.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Start a new pack: a small, valid, commented source folder and the same pack as a
    /// workbook (DIR/<id>.xlsx).
    New {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
        /// The languages, the default first, comma-separated (e.g. en,km).
        #[arg(long, default_value = "en", value_delimiter = ',')]
        languages: Vec<String>,
    },
}

/// Runs an authoring subcommand.
pub fn run(cmd: AuthoringCommand) -> CliResult<ExitCode> {
    match cmd {
        AuthoringCommand::Convert {
            src,
            output,
            force,
            lang,
        } => convert(&src, &output, force, &lang),
        AuthoringCommand::New { dir, languages } => new(&dir, &languages),
    }
}

fn today() -> Date {
    Date::from_unix_ms(now_ms())
}

fn is_gift(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gift") || e.eq_ignore_ascii_case("txt"))
}

fn convert(src: &Path, output: &Path, force: bool, lang: &str) -> CliResult<ExitCode> {
    let out_name = output.to_string_lossy();
    if src.is_dir() {
        let format = Format::from_extension(&out_name).ok_or_else(|| {
            format!(
                "{}: the workbook must end in .xlsx or .ods",
                output.display()
            )
        })?;
        let files = read_sources(src)?;
        let book = kru_workbook::to_book(&files).map_err(|e| e.to_string())?;
        write_book(&book, format, output)?;
        eprintln!(
            "wrote {} ({} sheets: {})",
            output.display(),
            book.sheets.len(),
            book.sheets
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let src_name = src.to_string_lossy();
    if Format::from_extension(&src_name).is_some() {
        let bytes = read(src)?;
        let book =
            kru_workbook::read_book(&bytes).map_err(|e| format!("{}: {e}", src.display()))?;
        let converted =
            kru_workbook::from_book(&book).map_err(|e| format!("{}: {e}", src.display()))?;
        write_folder(output, &converted.files, force)?;
        let compiled = authoring::compile(&converted.files, Some(today()));
        for d in &compiled.diagnostics {
            eprintln!("{}", converted.locate(d));
        }
        let errors = compiled.errors().count();
        eprintln!(
            "{}: {errors} error(s), {} warning(s); wrote {}",
            src.display(),
            compiled.diagnostics.len() - errors,
            output.display()
        );
        return Ok(if errors == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if is_gift(src) {
        let bytes = read(src)?;
        let id = kru_workbook::template::pack_id(
            &src.file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default(),
        );
        let import = kru_workbook::gift::import(&bytes, &id, lang)
            .map_err(|e| format!("{}: {e}", src.display()))?;
        for s in &import.skipped {
            eprintln!("{}:{}: skipped: {}", src.display(), s.line, s.reason);
        }
        write_folder(output, &import.files, force)?;
        let compiled = authoring::compile(&import.files, Some(today()));
        for d in compiled.errors() {
            eprintln!("{d}");
        }
        eprintln!(
            "{}: {} question(s) imported, {} skipped; wrote {}",
            src.display(),
            import.imported,
            import.skipped.len(),
            output.display()
        );
        return Ok(if compiled.has_errors() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    Err(format!(
        "{}: not a pack folder, a workbook (.xlsx, .ods) or a GIFT file (.gift, .txt)",
        src.display()
    ))
}

/// A pack's sources, from a source folder or a workbook: what `kru validate`, `kru build` and
/// `kru preview` compile.
pub struct Sources {
    /// The TOML source files.
    pub files: Vec<SourceFile>,
    /// The folder's media files (relative paths), checked against the sources; `None` for a
    /// workbook, which holds no media.
    pub media: Option<Vec<String>>,
    /// For a workbook, where each generated line came from.
    pub book: Option<kru_workbook::Converted>,
}

impl Sources {
    /// Reads a pack source folder, or an `.xlsx` / `.ods` workbook through `kru-workbook`'s
    /// guarded reader (errors at their cell, e.g. `items!D14`).
    pub fn load(path: &Path) -> CliResult<Sources> {
        if path.is_dir() {
            let files = read_sources(path)?;
            let media = authoring::list_media_files(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            return Ok(Sources {
                files,
                media: Some(media),
                book: None,
            });
        }
        if Format::from_extension(&path.to_string_lossy()).is_none() {
            return Err(format!(
                "{}: give a pack source folder (with pack.toml) or a workbook (.xlsx, .ods)",
                path.display()
            ));
        }
        let bytes = read(path)?;
        let book =
            kru_workbook::read_book(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let converted =
            kru_workbook::from_book(&book).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Sources {
            files: converted.files.clone(),
            media: None,
            book: Some(converted),
        })
    }

    /// Compiles the sources (checking the media of a folder).
    pub fn compile(&self, today: Option<Date>) -> authoring::Compiled {
        match &self.media {
            Some(media) => authoring::compile_with_media(&self.files, today, media),
            None => authoring::compile(&self.files, today),
        }
    }

    /// Where a diagnostic points: `items!D14` in a workbook, `file:line` in a folder.
    pub fn place(&self, d: &authoring::Diagnostic) -> String {
        if let Some(cell) = self.book.as_ref().and_then(|b| b.place_of(d)) {
            return cell.to_string();
        }
        match d.line {
            Some(l) => format!("{}:{l}", d.file),
            None => d.file.clone(),
        }
    }

    /// A diagnostic as `kru validate` prints it, at its cell for a workbook.
    pub fn show(&self, d: &authoring::Diagnostic) -> String {
        match &self.book {
            Some(b) => b.locate(d),
            None => d.to_string(),
        }
    }
}

fn write_book(book: &Book, format: Format, output: &Path) -> CliResult<()> {
    let bytes = match format {
        Format::Xlsx => kru_workbook::write_xlsx(book),
        Format::Ods => kru_workbook::write_ods(book),
    }
    .map_err(|e| e.to_string())?;
    write_atomic(output, &bytes)
}

/// Writes source files below `dir`, refusing to overwrite a pack unless `force`.
fn write_folder(dir: &Path, files: &[SourceFile], force: bool) -> CliResult<()> {
    if dir.join("pack.toml").exists() && !force {
        return Err(format!(
            "{} already holds a pack (pack.toml); use --force to replace its files",
            dir.display()
        ));
    }
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_atomic(&path, f.text.as_bytes())?;
    }
    Ok(())
}

fn new(dir: &Path, languages: &[String]) -> CliResult<ExitCode> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!("{} exists and is not empty", dir.display()));
    }
    let id = kru_workbook::template::pack_id(
        &dir.file_name()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default(),
    );
    let tags: Vec<&str> = languages.iter().map(|s| s.trim()).collect();
    let files = kru_workbook::template::new_pack(&id, &tags, &today().to_string())
        .map_err(|e| e.to_string())?;
    write_folder(dir, &files, false)?;
    let book = kru_workbook::to_book(&files).map_err(|e| e.to_string())?;
    let workbook = dir.join(format!("{id}.xlsx"));
    write_book(&book, Format::Xlsx, &workbook)?;
    eprintln!(
        "created {} (pack '{id}', languages {}) and the same pack as a workbook, {}",
        dir.display(),
        tags.join(", "),
        workbook.display()
    );
    eprintln!(
        "next: kru validate {0}   (or edit {1} and run kru convert {1} -o {0} --force)",
        dir.display(),
        workbook.display()
    );
    Ok(ExitCode::SUCCESS)
}
