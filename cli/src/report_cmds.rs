//! `kru simulate`, `kru report`, `kru export`, and appending to results logs.
//!
//! Logs are read in chunks (see [`for_each_entry`]), so a log of a million learners is
//! reported on without holding it in memory.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kru_core::pack::Date;
use kru_core::record::log::{self, LogEntry, LogReader};
use kru_core::report::{self, CohortReportBuilder, ReportOptions};
use kru_core::simulation::{self, SimulationOptions};
use kru_core::{Pack, ResultRecord};

use crate::util::{self, CliResult};

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
    let keep = log::append_offset(&existing);
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
        bytes.extend(log::encode_record(r).map_err(|e| e.to_string())?);
    }
    f.write_all(&bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Options of `kru simulate`.
pub struct SimulateArgs<'a> {
    /// The pack file (default: the bundled pack).
    pub pack: Option<&'a Path>,
    /// Learners.
    pub learners: u32,
    /// Seed.
    pub seed: u64,
    /// Journey id.
    pub journey: &'a str,
    /// Share of learners who leave before the post-test.
    pub dropout: f64,
    /// Date of the first session (YYYY-MM-DD).
    pub start: &'a str,
    /// The log to append to.
    pub output: &'a Path,
}

/// Records written per batch by `kru simulate`.
const SIMULATE_BATCH: usize = 4096;

/// `kru simulate`: a synthetic cohort appended to a results log, in batches (a million
/// learners stream through without being held in memory).
pub fn simulate(args: &SimulateArgs<'_>) -> CliResult<ExitCode> {
    let pack = util::load_pack_for_reading(args.pack)?;
    if pack.journey_index(args.journey).is_none() {
        let known: Vec<&str> = pack.journeys.iter().map(|j| j.id.as_str()).collect();
        return Err(format!(
            "the pack has no journey '{}' (it has: {})",
            args.journey,
            known.join(", ")
        ));
    }
    if !(0.0..=1.0).contains(&args.dropout) {
        return Err("--dropout is a share between 0 and 1".into());
    }
    let start = Date::parse(args.start)
        .ok_or_else(|| format!("--start '{}' is not a date YYYY-MM-DD", args.start))?;
    // Repair a torn tail once, then append in batches.
    append_records(args.output, &[])?;
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(args.output)
        .map_err(|e| format!("cannot open {}: {e}", args.output.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut batch: Vec<u8> = Vec::with_capacity(SIMULATE_BATCH * 1024);
    let mut in_batch = 0usize;
    let (mut completed, mut total) = (0u64, 0u64);
    let mut error: Option<String> = None;
    let options = SimulationOptions {
        journey: args.journey,
        learners: args.learners,
        seed: args.seed,
        // 08:00 local time in Cambodia (UTC+7) on the start date.
        start_ms: start.days_since_epoch() * 86_400_000 + 3_600_000,
        dropout: args.dropout,
    };
    simulation::simulate(&pack, &options, |r| {
        if error.is_some() {
            return;
        }
        total += 1;
        completed += u64::from(r.completed);
        match log::encode_record(&r) {
            Ok(bytes) => batch.extend(bytes),
            Err(e) => error = Some(e.to_string()),
        }
        in_batch += 1;
        if in_batch == SIMULATE_BATCH {
            if let Err(e) = out.write_all(&batch) {
                error = Some(e.to_string());
            }
            batch.clear();
            in_batch = 0;
        }
    })
    .map_err(|e| format!("simulation failed: {e}"))?;
    if let Some(e) = error {
        return Err(format!("cannot write {}: {e}", args.output.display()));
    }
    out.write_all(&batch)
        .and_then(|_| out.flush())
        .and_then(|_| out.get_ref().sync_all())
        .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
    eprintln!(
        "simulated {total} learners of journey '{}' ({completed} completed, {} left early) into {}",
        args.journey,
        total - completed,
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Bytes read at a time.
const CHUNK: usize = 8 << 20;

/// Calls `f` for every frame and damaged stretch of a log file, in order, reading the file in
/// chunks of 8 MiB through the core's incremental [`LogReader`]: memory does not grow with
/// the file.
pub fn for_each_entry(path: &Path, mut f: impl FnMut(LogEntry<'_>)) -> CliResult<()> {
    let mut file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut reader = LogReader::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => reader.feed(&chunk[..n], &mut f),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    reader.finish(f);
    Ok(())
}

/// Options of `kru report`.
pub struct ReportArgs<'a> {
    /// Results logs.
    pub logs: &'a [PathBuf],
    /// The pack file (default: the bundled pack).
    pub pack: Option<&'a Path>,
    /// Break down by this intake field.
    pub by: Option<&'a str>,
    /// Only this journey.
    pub journey: Option<&'a str>,
    /// Small cells: groups with fewer learners are withheld.
    pub small_group: u32,
    /// Language tag of pack texts in the HTML page.
    pub lang: &'a str,
    /// Skip the duplicate check (the logs were merged with `log::merge`).
    pub assume_merged: bool,
    /// Output format.
    pub format: ReportFormat,
    /// Output file (default: standard output).
    pub output: Option<&'a Path>,
}

/// Reads every record of the logs into `on_frame`, dropping duplicate record ids unless
/// `assume_merged`, reporting damage on standard error. Returns (duplicates, undecodable
/// frames, damaged stretches).
fn read_logs(
    logs: &[PathBuf],
    assume_merged: bool,
    mut on_frame: impl FnMut(&[u8]) -> Result<(), String>,
    mut on_damage: impl FnMut(&log::Damage),
    mut on_duplicate: impl FnMut(),
) -> CliResult<()> {
    let mut seen: HashSet<[u8; 16]> = HashSet::new();
    for log in logs {
        let mut result = Ok(());
        for_each_entry(log, |e| match e {
            LogEntry::Frame { offset, payload } => {
                if !assume_merged {
                    if let Some(id) = report::record_id(payload) {
                        if !seen.insert(id) {
                            on_duplicate();
                            return;
                        }
                    }
                }
                if let Err(err) = on_frame(payload) {
                    if result.is_ok() && err.starts_with("write:") {
                        result = Err(err);
                    } else {
                        eprintln!(
                            "kru: warning: {}: frame at offset {offset}: {err}",
                            log.display()
                        );
                    }
                }
            }
            LogEntry::Damaged(d) => {
                eprintln!(
                    "kru: warning: {}: {} damaged bytes at offset {} skipped",
                    log.display(),
                    d.len,
                    d.offset
                );
                on_damage(&d);
            }
        })?;
        result?;
    }
    Ok(())
}

/// Opens the output: a file (written to a temporary name, renamed when done) or stdout.
pub(crate) struct Output {
    writer: BufWriter<Box<dyn Write>>,
    rename: Option<(PathBuf, PathBuf)>,
}

impl Output {
    pub(crate) fn open(path: Option<&Path>) -> CliResult<Self> {
        match path {
            None => Ok(Self {
                writer: BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
                rename: None,
            }),
            Some(p) => {
                let tmp = p.with_extension("tmp-kru");
                let f = File::create(&tmp)
                    .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
                Ok(Self {
                    writer: BufWriter::with_capacity(1 << 20, Box::new(f)),
                    rename: Some((tmp, p.to_path_buf())),
                })
            }
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.writer
            .write_all(bytes)
            .map_err(|e| format!("write: {e}"))
    }

    pub(crate) fn finish(mut self) -> CliResult<()> {
        self.writer
            .flush()
            .map_err(|e| format!("cannot write: {e}"))?;
        if let Some((tmp, path)) = self.rename {
            drop(self.writer);
            std::fs::rename(&tmp, &path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

pub(crate) fn language_index(pack: &Pack, tag: &str) -> CliResult<usize> {
    pack.languages
        .iter()
        .position(|l| l.tag == tag)
        .ok_or_else(|| {
            let known: Vec<&str> = pack.languages.iter().map(|l| l.tag.as_str()).collect();
            format!(
                "the pack has no language '{tag}' (it has: {})",
                known.join(", ")
            )
        })
}

/// `kru report`.
pub fn report(args: &ReportArgs<'_>) -> CliResult<ExitCode> {
    let pack = util::load_pack_for_reading(args.pack)?;
    let options = ReportOptions {
        by: args.by.map(String::from),
        journey: args.journey.map(String::from),
        small_group: args.small_group,
        ..ReportOptions::default()
    };
    let lang = language_index(&pack, args.lang)?;
    let mut builder = CohortReportBuilder::new(&pack, &options).map_err(|e| e.to_string())?;
    let mut out = None;
    {
        let builder_cell = std::cell::RefCell::new(&mut builder);
        match args.format {
            ReportFormat::Json | ReportFormat::Html => {
                read_logs(
                    args.logs,
                    args.assume_merged,
                    |payload| {
                        builder_cell
                            .borrow_mut()
                            .push_frame(payload)
                            .map_err(|e| e.to_string())
                    },
                    |d| builder_cell.borrow_mut().note_damage(d),
                    || builder_cell.borrow_mut().note_duplicate(),
                )?;
            }
            ReportFormat::Csv => {
                // The tidy table needs every response: decode records fully and stream their rows.
                let mut o = Output::open(args.output)?;
                o.write(report::responses_csv_header(&pack).as_bytes())?;
                let mut rows = String::new();
                read_logs(
                    args.logs,
                    args.assume_merged,
                    |payload| match ResultRecord::from_bytes(payload) {
                        Ok(r) => {
                            builder_cell.borrow_mut().push(&r);
                            if report::responses_include(&pack, &options, &r) {
                                rows.clear();
                                report::response_rows(&pack, &r, &mut rows);
                                o.write(rows.as_bytes())?;
                            }
                            Ok(())
                        }
                        Err(e) => {
                            builder_cell.borrow_mut().note_undecodable();
                            Err(e.to_string())
                        }
                    },
                    |d| builder_cell.borrow_mut().note_damage(d),
                    || builder_cell.borrow_mut().note_duplicate(),
                )?;
                out = Some(o);
            }
        }
    }
    write_report(args, &pack, lang, builder, out)
}

/// Fails when records were read but every one belongs to another pack (an empty report
/// would look like a cohort that learned nothing), naming the packs they belong to.
fn refuse_other_pack(
    args: &ReportArgs<'_>,
    pack: &Pack,
    builder: &CohortReportBuilder,
) -> CliResult<()> {
    let counts = builder.counts();
    if counts.accepted > 0 || counts.other_pack == 0 {
        return Ok(());
    }
    let theirs: Vec<String> = builder
        .other_packs()
        .map(|(p, n)| format!("'{p}' ({n} record(s))"))
        .collect();
    let ours = match args.pack {
        Some(p) => format!("pack '{}' ({})", pack.meta.id, p.display()),
        None => format!("the bundled pack '{}'", pack.meta.id),
    };
    Err(format!(
        "none of the {} record(s) is of {ours}: they belong to {}; pass that pack with --pack FILE.krupack",
        counts.other_pack,
        theirs.join(", ")
    ))
}

/// Finishes a report and writes it in `args.format` (for CSV, `out` already holds the
/// responses), with the warnings and counts on standard error.
pub(crate) fn write_report(
    args: &ReportArgs<'_>,
    pack: &Pack,
    lang: usize,
    builder: CohortReportBuilder,
    mut out: Option<Output>,
) -> CliResult<ExitCode> {
    refuse_other_pack(args, pack, &builder)?;
    let report = builder.finish();
    for w in &report.warnings {
        eprintln!("kru: warning: {}", w.message);
    }
    match args.format {
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            json.push('\n');
            let mut o = Output::open(args.output)?;
            o.write(json.as_bytes())?;
            o.finish()?;
        }
        ReportFormat::Html => {
            let html = report::render_html(&report, pack, lang);
            let mut o = Output::open(args.output)?;
            o.write(html.as_bytes())?;
            o.finish()?;
        }
        ReportFormat::Csv => {
            let summary = report::render_csv(&report);
            let mut o = out.take().ok_or("internal: no output")?;
            match args.output {
                // A file: the summary goes next to it, as NAME-summary.csv.
                Some(p) => {
                    o.finish()?;
                    let stem = p
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let sp = p.with_file_name(format!("{stem}-summary.csv"));
                    util::write_atomic(&sp, summary.as_bytes())?;
                    eprintln!(
                        "kru: responses in {}, summary in {}",
                        p.display(),
                        sp.display()
                    );
                }
                // Standard output: the summary table after a blank line.
                None => {
                    o.write(b"\r\n")?;
                    o.write(summary.as_bytes())?;
                    o.finish()?;
                }
            }
        }
    }
    if report.records.duplicates > 0 {
        eprintln!(
            "kru: {} duplicate record(s) (same record id) counted once",
            report.records.duplicates
        );
    }
    let c = &report.cohort.learners;
    eprintln!(
        "kru: {} records: {} paired, {} pre-test only, {} post-test only, {} without a complete test",
        report.records.accepted, c.paired, c.pre_only, c.post_only, c.no_test
    );
    Ok(ExitCode::SUCCESS)
}

/// `kru export`: every response of the logs as CSV, one row per learner per item (all records
/// as they are, duplicates included).
pub fn export(
    logs: &[PathBuf],
    pack: Option<&Path>,
    format: ExportFormat,
    output: Option<&Path>,
) -> CliResult<ExitCode> {
    let pack = util::load_pack_for_reading(pack)?;
    let ExportFormat::Csv = format;
    let mut o = Output::open(output)?;
    o.write(report::responses_csv_header(&pack).as_bytes())?;
    let mut rows = String::new();
    let (mut records, mut other) = (0u64, 0u64);
    read_logs(
        logs,
        true,
        |payload| {
            let r = ResultRecord::from_bytes(payload).map_err(|e| e.to_string())?;
            records += 1;
            if r.pack_id != pack.meta.id {
                other += 1;
            }
            rows.clear();
            report::response_rows(&pack, &r, &mut rows);
            o.write(rows.as_bytes())
        },
        |_| {},
        || {},
    )?;
    o.finish()?;
    if other > 0 {
        eprintln!(
            "kru: warning: {other} record(s) are not of pack '{}': their item columns are empty",
            pack.meta.id
        );
    }
    eprintln!("kru: exported {records} records");
    Ok(ExitCode::SUCCESS)
}
