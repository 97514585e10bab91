//! `kru sync` (results logs → an LRS as xAPI statements), and `kru report --lrs` /
//! `kru export --lrs` (statements → records → the same report as from the logs).
//!
//! The mapping is `kru_core::xapi` (docs/xapi.md). Bookkeeping: the record ids an LRS has
//! acknowledged are kept beside each log in `LOG.xapi-sent` (JSON, written atomically after
//! every acknowledged batch), per LRS endpoint, so a second run sends nothing new and a run
//! cut short loses nothing. Statement ids are deterministic: when the LRS answers 409 (a
//! statement of the batch is already stored, e.g. after a run was cut between the LRS storing a
//! batch and kru writing it down), the batch's records are sent one by one and a record in
//! conflict statement by statement, so each statement ends up stored exactly once.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use kru_core::pack::signature;
use kru_core::pack::Date;
use kru_core::report::{self, CohortReportBuilder, ReportOptions};
use kru_core::xapi::{self, ReadCounts, StatementReader, XapiOptions};
use kru_core::{Pack, ResultRecord};
use serde_json::Value;

use crate::lrs_client::{LrsClient, LrsError};
use crate::report_cmds::{self, for_each_entry, Output, ReportArgs};
use crate::util::{self, CliResult};
use kru_core::record::log::LogEntry;

/// Exit status when records stay queued because the LRS cannot be reached or keeps failing
/// (EX_TEMPFAIL: try again later).
pub const EXIT_QUEUED: u8 = 75;
/// Exit status when the LRS refused some records for their content (they stay unsent).
pub const EXIT_REFUSED: u8 = 3;
/// Statements read per page from an LRS.
const PAGE: u32 = 1000;

/// Credentials and timing of an LRS (`--user`, `--password`, `--timeout`).
#[derive(Debug, Clone, clap::Args)]
pub struct LrsLogin {
    /// LRS user (HTTP Basic).
    #[arg(long, env = "KRU_LRS_USER", default_value = "")]
    pub user: String,
    /// LRS password (HTTP Basic); prefer the environment variable, which `ps` does not show.
    #[arg(
        long,
        env = "KRU_LRS_PASSWORD",
        default_value = "",
        hide_env_values = true
    )]
    pub password: String,
    /// Seconds to wait for each answer of the LRS.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

impl LrsLogin {
    fn client(&self, url: &str) -> CliResult<LrsClient> {
        LrsClient::new(
            url,
            &self.user,
            &self.password,
            Duration::from_secs(self.timeout.max(1)),
        )
        .map_err(|e| e.to_string())
    }
}

/// Options of `kru sync`.
pub struct SyncArgs<'a> {
    /// Results logs.
    pub logs: &'a [PathBuf],
    /// The LRS endpoint.
    pub lrs: Option<&'a str>,
    /// Credentials.
    pub login: &'a LrsLogin,
    /// The pack file (default: the bundled pack).
    pub pack: Option<&'a Path>,
    /// The learners' account home page (default: the LRS endpoint).
    pub home_page: Option<&'a str>,
    /// Statements per POST (whole records are kept together).
    pub batch: usize,
    /// Retries of a batch the LRS could not take (back-off 0.5 s, 1 s, 2 s, … up to 8 s).
    pub retries: u32,
    /// Print the statements instead of sending them.
    pub dry_run: bool,
}

/// The state file of a log.
pub fn state_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".xapi-sent");
    PathBuf::from(name)
}

/// Record ids acknowledged, per LRS endpoint.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct SentState {
    format: String,
    lrs: BTreeMap<String, BTreeSet<String>>,
}

const STATE_FORMAT: &str = "kru-xapi-sent/1";

fn load_state(log: &Path) -> CliResult<SentState> {
    let path = state_path(log);
    match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SentState {
            format: STATE_FORMAT.into(),
            lrs: BTreeMap::new(),
        }),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        Ok(bytes) => {
            let s: SentState = serde_json::from_slice(&bytes).map_err(|e| {
                format!(
                    "{} is not a kru sync state file ({e}); move it away to send everything again \
                     (the LRS keeps no duplicates)",
                    path.display()
                )
            })?;
            if s.format != STATE_FORMAT {
                return Err(format!(
                    "{}: unknown state format '{}'",
                    path.display(),
                    s.format
                ));
            }
            Ok(s)
        }
    }
}

fn save_state(log: &Path, state: &SentState) -> CliResult<()> {
    let bytes = serde_json::to_vec_pretty(state).map_err(|e| e.to_string())?;
    util::write_atomic(&state_path(log), &bytes)
}

/// Every decodable record of a log, in log order, with what could not be read counted.
fn read_log(log: &Path) -> CliResult<(Vec<ResultRecord>, u64)> {
    let mut records = Vec::new();
    let mut bad = 0u64;
    for_each_entry(log, |e| match e {
        LogEntry::Frame { payload, .. } => match ResultRecord::from_bytes(payload) {
            Ok(r) => records.push(r),
            Err(_) => bad += 1,
        },
        LogEntry::Damaged(_) => bad += 1,
    })?;
    Ok((records, bad))
}

/// One record ready to send.
struct Prepared {
    log: usize,
    id_hex: String,
    statements: Vec<Value>,
    ids: Vec<String>,
}

fn ids_of(statements: &[Value]) -> Vec<String> {
    statements
        .iter()
        .filter_map(|s| s.get("id").and_then(Value::as_str).map(String::from))
        .collect()
}

fn hex(id: &[u8; 16]) -> String {
    util::hex(id)
}

/// How one record ended in this run.
enum Fate {
    Sent,
    AlreadyThere,
    Refused(String),
}

/// A random duration up to `max` (from the clock's nanoseconds and the process id: spreading
/// retries needs no better randomness).
fn jitter(max: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mixed =
        u64::from(nanos ^ std::process::id().rotate_left(16)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis((mixed >> 32) % max_ms)
}

/// Sends with retries and back-off; transient failures (unreachable, timeout, 5xx) are
/// retried, others returned at once.
fn post_with_retry(
    client: &LrsClient,
    json: &str,
    ids: &[String],
    retries: u32,
) -> Result<Vec<String>, LrsError> {
    let mut wait = Duration::from_millis(500);
    let mut attempt = 0;
    loop {
        match client.post_statements(json, ids) {
            Err(e) if e.is_transient() && attempt < retries => {
                // Up to half as much again at random, so that many devices that lost the
                // LRS at once do not all come back at the same instant.
                let pause = wait + jitter(wait / 2);
                eprintln!(
                    "kru: sync: {e}; trying again in {:.1} s ({}/{retries})",
                    pause.as_secs_f64(),
                    attempt + 1
                );
                std::thread::sleep(pause);
                wait = (wait * 2).min(Duration::from_secs(8));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Sends one record alone; on 409, statement by statement.
fn send_record(client: &LrsClient, p: &Prepared, retries: u32) -> Result<Fate, LrsError> {
    let json = Value::Array(p.statements.clone()).to_string();
    match post_with_retry(client, &json, &p.ids, retries) {
        Ok(stored) if stored.is_empty() => Ok(Fate::AlreadyThere),
        Ok(_) => Ok(Fate::Sent),
        Err(LrsError::Refused { status, body }) => {
            Ok(Fate::Refused(format!("HTTP {status} {body}")))
        }
        Err(LrsError::Conflict(_)) => {
            let mut new = 0usize;
            for (s, id) in p.statements.iter().zip(&p.ids) {
                let one = Value::Array(vec![s.clone()]).to_string();
                match post_with_retry(client, &one, std::slice::from_ref(id), retries) {
                    Ok(stored) => new += stored.len(),
                    // 409: the LRS holds a statement with this id already (statements are
                    // immutable; ids are derived from the record, so it is this statement).
                    Err(LrsError::Conflict(_)) => {}
                    Err(LrsError::Refused { status, body }) => {
                        return Ok(Fate::Refused(format!("HTTP {status} {body}")))
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(if new == 0 {
                Fate::AlreadyThere
            } else {
                Fate::Sent
            })
        }
        Err(e) => Err(e),
    }
}

/// `kru sync`.
pub fn sync(args: &SyncArgs<'_>) -> CliResult<ExitCode> {
    let Some(url) = args.lrs else {
        return Err("kru sync needs the LRS endpoint: --lrs URL or KRU_LRS_URL".into());
    };
    let client = args.login.client(url)?;
    let (pack, signer) = load_pack_and_signer(args.pack)?;
    let home_page = args.home_page.unwrap_or(client.endpoint()).to_owned();
    let options = XapiOptions {
        home_page: &home_page,
        pack_signer: signer.as_deref(),
    };

    let mut states = Vec::new();
    let mut prepared: Vec<Prepared> = Vec::new();
    let mut refused: Vec<(String, String)> = Vec::new();
    let mut seen: HashSet<[u8; 16]> = HashSet::new();
    let (mut total, mut acknowledged_before) = (0u64, 0u64);
    for (i, log) in args.logs.iter().enumerate() {
        let state = load_state(log)?;
        let acked = state
            .lrs
            .get(client.endpoint())
            .cloned()
            .unwrap_or_default();
        let (records, bad) = read_log(log)?;
        if bad > 0 {
            eprintln!(
                "kru: warning: {}: {bad} damaged or undecodable frame(s) skipped",
                log.display()
            );
        }
        for r in records {
            if !seen.insert(r.record_id) {
                continue;
            }
            total += 1;
            let id_hex = hex(&r.record_id);
            if acked.contains(&id_hex) {
                acknowledged_before += 1;
                continue;
            }
            match xapi::record_statements(&r, &pack, &options) {
                Ok(statements) => prepared.push(Prepared {
                    log: i,
                    ids: ids_of(&statements),
                    id_hex,
                    statements,
                }),
                Err(e) => refused.push((id_hex, e.to_string())),
            }
        }
        states.push(state);
    }

    if args.dry_run {
        let all: Vec<Value> = prepared
            .iter()
            .flat_map(|p| p.statements.iter().cloned())
            .collect();
        let mut json =
            serde_json::to_string_pretty(&Value::Array(all)).map_err(|e| e.to_string())?;
        json.push('\n');
        let mut o = Output::open(None)?;
        o.write(json.as_bytes())?;
        o.finish()?;
        eprintln!(
            "kru: sync --dry-run: {} record(s) to send ({} statements), {acknowledged_before} already acknowledged by {}, {} cannot be sent",
            prepared.len(),
            prepared.iter().map(|p| p.ids.len()).sum::<usize>(),
            client.endpoint(),
            refused.len()
        );
        for (id, why) in &refused {
            eprintln!("kru: record {id}: {why}");
        }
        return Ok(ExitCode::SUCCESS);
    }

    let to_send = prepared.len();
    let statements_total: usize = prepared.iter().map(|p| p.ids.len()).sum();
    eprintln!(
        "kru: sync: {total} record(s) in {} log(s), {acknowledged_before} already acknowledged by {}; sending {to_send} ({statements_total} statements)",
        args.logs.len(),
        client.endpoint()
    );
    let (mut sent, mut there, mut sent_statements) = (0usize, 0usize, 0usize);
    let mut refused_sending = 0usize;
    let mut stop: Option<LrsError> = None;
    let mut queue = prepared.into_iter().peekable();
    let batch_limit = args.batch.max(1);
    while queue.peek().is_some() {
        let mut batch: Vec<Prepared> = Vec::new();
        let mut n = 0;
        while let Some(p) = queue.peek() {
            if !batch.is_empty() && n + p.ids.len() > batch_limit {
                break;
            }
            n += p.ids.len();
            batch.extend(queue.next());
        }
        let json = Value::Array(
            batch
                .iter()
                .flat_map(|p| p.statements.iter().cloned())
                .collect(),
        )
        .to_string();
        let ids: Vec<String> = batch.iter().flat_map(|p| p.ids.iter().cloned()).collect();
        let mut fates: Vec<(usize, Fate)> = Vec::new();
        match post_with_retry(&client, &json, &ids, args.retries) {
            Ok(stored) => {
                // Records none of whose statements were stored now were there already.
                let stored: HashSet<String> = stored.into_iter().collect();
                fates.extend(batch.iter().enumerate().map(|(i, p)| {
                    if p.ids.iter().any(|id| stored.contains(id)) {
                        (i, Fate::Sent)
                    } else {
                        (i, Fate::AlreadyThere)
                    }
                }));
            }
            Err(LrsError::Conflict(_) | LrsError::Refused { .. }) => {
                // Find out record by record.
                for (i, p) in batch.iter().enumerate() {
                    match send_record(&client, p, args.retries) {
                        Ok(f) => fates.push((i, f)),
                        Err(e) => {
                            stop = Some(e);
                            break;
                        }
                    }
                }
            }
            Err(e) => stop = Some(e),
        }
        // Write down what the LRS acknowledged before anything else.
        let mut touched = BTreeSet::new();
        for (i, fate) in &fates {
            let Some(p) = batch.get(*i) else { continue };
            match fate {
                Fate::Sent | Fate::AlreadyThere => {
                    if let Some(state) = states.get_mut(p.log) {
                        state
                            .lrs
                            .entry(client.endpoint().to_owned())
                            .or_default()
                            .insert(p.id_hex.clone());
                        touched.insert(p.log);
                    }
                    if matches!(fate, Fate::Sent) {
                        sent += 1;
                        sent_statements += p.ids.len();
                    } else {
                        there += 1;
                    }
                }
                Fate::Refused(why) => {
                    refused_sending += 1;
                    refused.push((p.id_hex.clone(), why.clone()));
                }
            }
        }
        for i in touched {
            if let (Some(log), Some(state)) = (args.logs.get(i), states.get(i)) {
                save_state(log, state)?;
            }
        }
        if stop.is_some() {
            break;
        }
        eprintln!(
            "kru: sync: {}/{to_send} records done ({sent_statements} statements stored)",
            sent + there + refused_sending
        );
    }
    let queued = to_send.saturating_sub(sent + there + refused_sending);
    eprintln!(
        "kru: sync to {}: {sent} record(s) sent ({sent_statements} statements), {there} already there, {} refused, {queued} still queued",
        client.endpoint(),
        refused.len()
    );
    for (id, why) in refused.iter().take(20) {
        eprintln!("kru: refused: record {id}: {why}");
    }
    match stop {
        Some(e) if e.is_transient() => {
            eprintln!("kru: sync: {e}");
            eprintln!("kru: sync: {queued} record(s) stay queued; run kru sync again later");
            Ok(ExitCode::from(EXIT_QUEUED))
        }
        Some(e) => Err(format!("{e} ({queued} record(s) not sent, nothing lost)")),
        None if !refused.is_empty() => Ok(ExitCode::from(EXIT_REFUSED)),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// The pack to map with, and its signer's key id when the file is signed.
fn load_pack_and_signer(path: Option<&Path>) -> CliResult<(std::sync::Arc<Pack>, Option<String>)> {
    let pack = util::load_pack_for_reading(path)?;
    let bytes = match path {
        Some(p) => util::read(p)?,
        None => util::BUNDLED_PACK.to_vec(),
    };
    let signer = signature::signer(&bytes)
        .ok()
        .flatten()
        .map(|k| signature::key_id(&k));
    Ok((pack, signer))
}

/// Every record of `pack` in the LRS (statements of other tools and packs skipped and
/// counted), started on or after `since` (YYYY-MM-DD, UTC) when given.
pub fn fetch_records(
    client: &LrsClient,
    pack: &Pack,
    since: Option<&str>,
) -> CliResult<(Vec<ResultRecord>, ReadCounts)> {
    let since_ms = match since {
        None => None,
        Some(s) => Some(
            Date::parse(s)
                .ok_or_else(|| format!("--since '{s}' is not a date YYYY-MM-DD"))?
                .days_since_epoch()
                * 86_400_000,
        ),
    };
    let mut reader = StatementReader::new(pack);
    let mut more: Option<String> = None;
    let mut seen_links = HashSet::new();
    let mut pages = 0u64;
    loop {
        let body = client
            .get_statements(&format!("limit={PAGE}"), more.as_deref())
            .map_err(|e| e.to_string())?;
        more = reader
            .push_json(&body)
            .map_err(|e| format!("{}: {e}", client.endpoint()))?;
        pages += 1;
        if pages % 20 == 0 {
            eprintln!(
                "kru: read {} statements from the LRS …",
                reader.counts().statements
            );
        }
        match &more {
            None => break,
            Some(link) if !seen_links.insert(link.clone()) => {
                return Err(format!(
                    "the LRS at {} gave the same 'more' link twice ({link}); stopping",
                    client.endpoint()
                ))
            }
            Some(_) => {}
        }
    }
    let (mut records, counts) = reader.finish();
    if let Some(t) = since_ms {
        records.retain(|r| r.started_at >= t);
    }
    describe_counts(client.endpoint(), pack, &counts);
    Ok((records, counts))
}

fn describe_counts(endpoint: &str, pack: &Pack, c: &ReadCounts) {
    eprintln!(
        "kru: {endpoint}: {} statements read, {} records of pack '{}' rebuilt",
        c.statements, c.records, pack.meta.id
    );
    let skipped = [
        (c.other_tool, "of other tools"),
        (c.other_pack, "of other packs or major versions"),
        (c.malformed, "malformed"),
        (
            c.unfit_response,
            "with responses that do not fit their item",
        ),
        (c.duplicates, "duplicated"),
    ];
    for (n, what) in skipped {
        if n > 0 {
            eprintln!("kru: {n} statement(s) {what}: skipped");
        }
    }
    if c.incomplete_records > 0 {
        eprintln!(
            "kru: {} record(s) incomplete in the LRS (not all statements sent yet): left out",
            c.incomplete_records
        );
    }
    if c.inconsistent_records > 0 {
        eprintln!(
            "kru: {} record(s) with statements that disagree: left out",
            c.inconsistent_records
        );
    }
    for e in &c.examples {
        eprintln!("kru:   {e}");
    }
}

/// `kru report --lrs URL`: the report of the records in an LRS, exactly as from a log.
pub fn report_from_lrs(
    args: &ReportArgs<'_>,
    url: &str,
    login: &LrsLogin,
    since: Option<&str>,
) -> CliResult<ExitCode> {
    let client = login.client(url)?;
    let pack = util::load_pack_for_reading(args.pack)?;
    let options = ReportOptions {
        by: args.by.map(String::from),
        journey: args.journey.map(String::from),
        small_group: args.small_group,
        ..ReportOptions::default()
    };
    let lang = report_cmds::language_index(&pack, args.lang)?;
    let mut builder = CohortReportBuilder::new(&pack, &options).map_err(|e| e.to_string())?;
    let (records, _) = fetch_records(&client, &pack, since)?;
    let mut out = None;
    if let report_cmds::ReportFormat::Csv = args.format {
        let mut o = Output::open(args.output)?;
        o.write(report::responses_csv_header(&pack).as_bytes())?;
        let mut rows = String::new();
        for r in &records {
            if args.journey.is_none_or(|j| j == r.journey) {
                rows.clear();
                report::response_rows(&pack, r, &mut rows);
                o.write(rows.as_bytes())?;
            }
        }
        out = Some(o);
    }
    for r in &records {
        builder.push(r);
    }
    report_cmds::write_report(args, &pack, lang, builder, out)
}

/// `kru export --lrs URL`: the responses of the records in an LRS as CSV.
pub fn export_from_lrs(
    url: &str,
    login: &LrsLogin,
    pack: Option<&Path>,
    since: Option<&str>,
    output: Option<&Path>,
) -> CliResult<ExitCode> {
    let client = login.client(url)?;
    let pack = util::load_pack_for_reading(pack)?;
    let (records, _) = fetch_records(&client, &pack, since)?;
    let mut o = Output::open(output)?;
    o.write(report::responses_csv_header(&pack).as_bytes())?;
    let mut rows = String::new();
    for r in &records {
        rows.clear();
        report::response_rows(&pack, r, &mut rows);
        o.write(rows.as_bytes())?;
    }
    o.finish()?;
    eprintln!("kru: exported {} records", records.len());
    Ok(ExitCode::SUCCESS)
}
