//! `kru simulate`, `kru report`, `kru export`, and appending to results logs.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use kru_core::results_log;
use kru_core::ResultRecord;

use crate::util::CliResult;

/// Report formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ReportFormat {
    /// JSON (schema in docs/report.md).
    Json,
    /// Tidy CSV: one row per learner per item, then a summary table.
    Csv,
    /// One self-contained HTML page with inline SVG charts.
    Html,
}

/// Export formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    /// CSV of the raw responses.
    Csv,
}

/// Appends records to a results log file, first cutting a torn tail left by a power cut.
pub fn append_records(path: &Path, records: &[ResultRecord]) -> CliResult<()> {
    let existing = std::fs::read(path).unwrap_or_default();
    let keep = results_log::append_offset(&existing);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    if keep < existing.len() {
        f.set_len(keep as u64)
            .map_err(|e| format!("cannot repair {}: {e}", path.display()))?;
    }
    let mut bytes = Vec::new();
    for r in records {
        bytes.extend(results_log::encode_record(r).map_err(|e| e.to_string())?);
    }
    f.write_all(&bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

pub fn simulate(_pack: Option<&Path>, _learners: u32, _seed: u64, _journey: &str, _output: &Path) -> CliResult<ExitCode> {
    Err("simulate: not yet implemented".into())
}

pub fn report(_logs: &[std::path::PathBuf], _pack: Option<&Path>, _by: Option<&str>, _format: ReportFormat, _output: Option<&Path>) -> CliResult<ExitCode> {
    Err("report: not yet implemented".into())
}

pub fn export(_logs: &[std::path::PathBuf], _pack: Option<&Path>, _format: ExportFormat, _output: Option<&Path>) -> CliResult<ExitCode> {
    Err("export: not yet implemented".into())
}
