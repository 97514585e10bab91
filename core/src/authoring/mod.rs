//! The pack authoring compiler: checks a pack's TOML source folder and compiles it into a
//! [`Pack`].
//!
//! The source format is described in `docs/pack-format.md`. The core does no I/O: the caller
//! (the `kru` CLI, a test, an editor plug-in) reads the folder and passes every file's
//! relative path and contents to [`compile`]:
//!
//! ```
//! use kru_core::authoring::{compile, SourceFile};
//!
//! let files = vec![SourceFile {
//!     path: "pack.toml".into(),
//!     text: "[pack]\nid = \"demo\"\n".into(),
//! }];
//! let out = compile(&files, None);
//! assert!(out.pack.is_none());
//! for d in &out.diagnostics {
//!     println!("{d}");
//! }
//! ```
//!
//! [`compile`] never stops at the first problem: it reports every problem it can find, each
//! as a [`Diagnostic`] with the file, the line and column, a stable code and a concrete hint
//! on how to fix it. The pack is returned only when there is no error (warnings are allowed).
//! The output is deterministic: the same sources always compile to the same pack, so that
//! [`crate::pack::format::encode`] gives byte-identical files.

mod build;
mod diag;
mod i18n;
mod lint;
mod read;
mod source;
pub mod strings;

use std::fmt;

use crate::pack::{Date, Pack};

/// One file of a pack's source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path relative to the pack folder, with `/` separators, e.g. `items.toml` or
    /// `i18n/km.toml`.
    pub path: String,
    /// The file's contents.
    pub text: String,
}

impl SourceFile {
    /// A source file from a relative path and its contents.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The pack cannot be compiled until it is fixed.
    Error,
    /// The pack compiles, but something is probably wrong or incomplete.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A problem found in a pack's sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file it is in (relative path, as passed to [`compile`]).
    pub file: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<u32>,
    /// 1-based column (in characters), when the problem has a place in the file.
    pub column: Option<u32>,
    /// A stable kebab-case identifier of the kind of problem, e.g. `duplicate-id`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Diagnostic {
    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `error[duplicate-id]: items.toml:42:1: item id 'x' is used twice` and, on the next
    /// line, `  help: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

/// The result of [`compile`].
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The compiled pack; `None` when there are errors.
    pub pack: Option<Pack>,
    /// Every error and warning, ordered by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }
}

/// Every diagnostic code [`compile`] can report, with a one-line description. Codes are
/// stable: tools may match on them.
pub const DIAGNOSTIC_CODES: &[(&str, &str)] = diag::CODES;

/// Checks and compiles a pack's source folder.
///
/// `files` holds the folder's files (at least `pack.toml`, `items.toml` and
/// `i18n/<default language>.toml`; `lessons.toml` is optional). Files other than `.toml` files
/// are ignored. `today`, when given, enables the warning about help resources whose
/// verification date is older than the pack's `verification_max_age_days`.
pub fn compile(files: &[SourceFile], today: Option<Date>) -> Compiled {
    build::compile(files, today, None)
}

/// [`compile`], also checking that every media file the sources name (lesson images, audio
/// in the `[audio]` tables) is among `media`, the relative paths (with `/`) of the files in
/// the pack folder (see [`list_media_files`]); a missing one is the error `missing-media`.
pub fn compile_with_media(files: &[SourceFile], today: Option<Date>, media: &[String]) -> Compiled {
    build::compile(files, today, Some(media))
}

/// The relative paths (with `/`, sorted) of the files below a pack source folder that are
/// not `.toml` files: its images and audio, for [`compile_with_media`].
pub fn list_media_files(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_none_or(|e| e != "toml") {
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads every `.toml` file below a pack source folder, with paths relative to it (using `/`)
/// and sorted, ready for [`compile`]. The one place the authoring side touches the file
/// system: the CLI, its build script and the tests all read packs through it.
pub fn read_source_dir(dir: &std::path::Path) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&p)?;
                let rel = p
                    .strip_prefix(dir)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push(SourceFile { path: rel, text });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
