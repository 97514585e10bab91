//! Small shared pieces: the error type, the workspace root, banners and formatting helpers.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// An xtask failure: a message for a person, printed as `error: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error(message)
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Self {
        Error(message.to_owned())
    }
}

/// Result alias used throughout xtask.
pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// Returns early with an [`Error`] built from a format string.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::util::Error(format!($($arg)*)))
    };
}

/// Adds context to I/O errors: `path: what happened`.
pub trait IoContext<T> {
    /// Maps the error to `"{what} {path}: {error}"`.
    fn at(self, what: &str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, what: &str, path: &Path) -> Result<T> {
        self.map_err(|e| Error(format!("{what} {}: {e}", display_path(path))))
    }
}

/// The workspace root: the parent of this crate's manifest directory.
///
/// Fixed at compile time, so `cargo xtask` works from any subdirectory.
pub fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
    })
}

/// `root()/relative`.
pub fn root_path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// Cargo's target directory (`$CARGO_TARGET_DIR` if set, else `<root>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root_path("target"),
    }
}

/// A path shown relative to the workspace root when it is inside it.
pub fn display_path(path: &Path) -> String {
    path.strip_prefix(root())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.display().to_string())
}

/// Fails with `missing: <relative>` when `root()/relative` does not exist.
pub fn require(relative: &str) -> Result<PathBuf> {
    let path = root_path(relative);
    if path.exists() {
        Ok(path)
    } else {
        bail!("missing: {relative}")
    }
}

/// Prints a section banner.
pub fn banner(title: &str) {
    let line = "━".repeat(72usize.saturating_sub(title.chars().count() + 5).max(3));
    println!("\n━━━ {title} {line}");
}

/// Formats a duration as `1m 05s`, `12.3s` or `0.42s`.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 {
        let whole = d.as_secs();
        format!("{}m {:02}s", whole / 60, whole % 60)
    } else if secs >= 10.0 {
        format!("{secs:.1}s")
    } else {
        format!("{secs:.2}s")
    }
}

/// Formats a byte count with thousands separators: `122,880`.
pub fn format_bytes(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Renders rows as a plain-text table; the first row is the header. Columns after the first
/// are right-aligned when `right_align` says so.
pub fn table(rows: &[Vec<String>], right_align: &[bool]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, width) in widths.iter().enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            let pad = width - cell.chars().count();
            if i > 0 {
                line.push_str("  ");
            }
            if right_align.get(i).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if r == 0 {
            let total: usize = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
            out.push_str(&"─".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// Escapes a string for a JSON string literal (without the surrounding quotes).
pub fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Reads `key = "value"` from `[section]` of a simple TOML file (no inline tables needed).
pub fn toml_string(text: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line.trim_start_matches('[').trim_end_matches(']').trim() == section;
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim() != key {
            continue;
        }
        let v = v.trim();
        if let Some(rest) = v.strip_prefix('"') {
            return rest.split('"').next().map(str::to_owned);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_grouped() {
        assert_eq!(format_bytes(0), "0");
        assert_eq!(format_bytes(999), "999");
        assert_eq!(format_bytes(1000), "1,000");
        assert_eq!(format_bytes(122_880), "122,880");
        assert_eq!(format_bytes(1_234_567), "1,234,567");
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(format_duration(Duration::from_millis(420)), "0.42s");
        assert_eq!(format_duration(Duration::from_millis(12_345)), "12.3s");
        assert_eq!(format_duration(Duration::from_secs(65)), "1m 05s");
    }

    #[test]
    fn toml_values_are_found_in_their_section() {
        let text =
            "[package]\nversion = \"9.9.9\"\n\n[workspace.package]\nversion = \"0.1.0\" # note\n";
        assert_eq!(
            toml_string(text, "workspace.package", "version").as_deref(),
            Some("0.1.0")
        );
        assert_eq!(
            toml_string(text, "package", "version").as_deref(),
            Some("9.9.9")
        );
        assert_eq!(toml_string(text, "package", "name"), None);
    }

    #[test]
    fn json_is_escaped() {
        assert_eq!(json_escape("a\"b\\c\n\u{1}"), "a\\\"b\\\\c\\n\\u0001");
    }

    #[test]
    fn tables_align() {
        let rows = vec![
            vec!["file".to_owned(), "raw".to_owned()],
            vec!["a.wasm".to_owned(), "1,000".to_owned()],
        ];
        let t = table(&rows, &[false, true]);
        assert_eq!(t, "file      raw\n─────────────\na.wasm  1,000\n");
    }
}
