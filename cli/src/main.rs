//! `kru`: validate, build, inspect, sign, play and report on kru content packs.

mod authoring_cmds;
mod keys;
mod lrs_client;
mod pack_cmds;
mod play;
mod preview;
mod report_cmds;
mod strings_cmds;
mod sync_cmds;
mod util;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// kru (គ្រូ, "teacher"): an embeddable training-and-quiz engine.
#[derive(Parser)]
#[command(name = "kru", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a pack source folder or workbook and report every problem at once (file and line,
    /// or sheet, row and column, and how to fix).
    Validate {
        /// The pack source folder (with pack.toml), or a workbook (.xlsx, .ods).
        dir: PathBuf,
        /// The date to check help-resource verification against (YYYY-MM-DD; default today).
        #[arg(long)]
        today: Option<String>,
    },
    /// Compile a pack source folder (or workbook) into one binary .krupack file.
    Build {
        /// The pack source folder (with pack.toml), or a workbook (.xlsx, .ods).
        dir: PathBuf,
        /// Where to write the pack.
        #[arg(short, long)]
        output: PathBuf,
        /// Sign the pack with this secret key file (see `kru keygen`).
        #[arg(long)]
        key: Option<PathBuf>,
        /// Store the payload without LZ4: a larger file, but fewer bytes over HTTP when the
        /// web server compresses it (gzip, brotli). Loads the same everywhere.
        #[arg(long)]
        no_lz4: bool,
    },
    /// Show what a pack holds: languages and their coverage, journeys, items, signature.
    Info {
        /// The .krupack file.
        pack: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// List every text still to record in each language (without it, the first few).
        #[arg(long)]
        audio: bool,
    },
    /// Create an Ed25519 key pair for signing packs: KEY (secret) and KEY.pub.
    Keygen {
        /// Where to write the secret key; the public key goes to the same path + ".pub".
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Sign a pack with a secret key (replaces any earlier signature).
    Sign {
        /// The .krupack file.
        pack: PathBuf,
        /// The secret key file.
        #[arg(long)]
        key: PathBuf,
        /// Where to write the signed pack (default: in place).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Check a pack's signature against trusted public keys.
    Verify {
        /// The .krupack file.
        pack: PathBuf,
        /// Trusted public key files (KEY.pub); at least one.
        #[arg(long, required = true)]
        trust: Vec<PathBuf>,
    },
    /// Play a journey in the terminal (scriptable: with piped input each line answers a step).
    ///
    /// Answers: an option number (`2`), several numbers for multiple response (`1 3`), an
    /// order (`3 1 2`), for matching the option number for each left entry in turn (`2 1 3`),
    /// `t`/`f` (or 1/2) for true/false, text for entry items, an empty line to go on. An
    /// invalid line is reported and the step asked again; input that ends early exits with
    /// status 3.
    Play {
        /// The .krupack file (default: the bundled safe-migration pack).
        pack: Option<PathBuf>,
        /// Journey id.
        #[arg(long, default_value = "kiosk")]
        journey: String,
        /// Preferred language(s), best first, comma-separated (e.g. km,en).
        #[arg(long, default_value = "km")]
        lang: String,
        /// Seed for the item draw and shuffles (default: from the clock).
        #[arg(long)]
        seed: Option<u64>,
        /// Pseudonymous learner code.
        #[arg(long, default_value = "terminal")]
        learner: String,
        /// Append the result record to this results log.
        #[arg(long)]
        log: Option<PathBuf>,
        /// Trusted public key files for a pack file.
        #[arg(long)]
        trust: Vec<PathBuf>,
        /// Accept an unsigned pack file (development).
        #[arg(long)]
        allow_unsigned: bool,
    },
    /// Generate a synthetic cohort (realistic learners, some leave early) into a results log.
    Simulate {
        /// The .krupack file (default: the bundled pack).
        pack: Option<PathBuf>,
        /// How many learners.
        #[arg(long, default_value_t = 100)]
        learners: u32,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Journey id.
        #[arg(long, default_value = "school")]
        journey: String,
        /// Share of learners who leave before the post-test (0 to 1).
        #[arg(long, default_value_t = 0.1)]
        dropout: f64,
        /// Date of the first session (YYYY-MM-DD); one learner starts every 10 minutes.
        #[arg(long, default_value = "2026-10-01")]
        start: String,
        /// The results log to write (appended to when it exists).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// The cohort report of one or more results logs: knowledge gain, items, key messages,
    /// indicators, by group (JSON schema in docs/report.md).
    ///
    /// Records appearing twice (same record id, e.g. a log copied twice) are counted once. CSV
    /// writes the responses (one row per learner per item) to FILE and the summary table to
    /// FILE-summary.csv; on standard output the summary follows the responses after a blank
    /// line.
    Report {
        /// Results logs.
        #[arg(required_unless_present = "lrs")]
        logs: Vec<PathBuf>,
        /// Read the records from this LRS (xAPI endpoint, e.g. http://127.0.0.1:8100/xAPI/)
        /// instead of logs; statements of other tools and packs are counted and skipped.
        #[arg(long, conflicts_with = "logs")]
        lrs: Option<String>,
        #[command(flatten)]
        login: sync_cmds::LrsLogin,
        /// With --lrs: only sessions started on or after this date (YYYY-MM-DD, UTC).
        #[arg(long, requires = "lrs")]
        since: Option<String>,
        /// The pack the results are from (default: the bundled pack).
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Break the report down by this intake field (e.g. sex, age-band, province).
        #[arg(long)]
        by: Option<String>,
        /// Only records of this journey (e.g. school); others are counted and skipped.
        #[arg(long)]
        journey: Option<String>,
        /// Small cells: withhold the figures of groups with fewer learners than this, in every
        /// output (1 shows every group).
        #[arg(long, default_value_t = 5)]
        small_group: u32,
        /// Language of the pack's texts in the HTML page (a pack language tag).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Skip the duplicate check, which keeps 16 bytes per record in memory (for logs merged
        /// beforehand).
        #[arg(long)]
        assume_merged: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: report_cmds::ReportFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Export the raw responses of results logs (one row per learner per item).
    Export {
        /// Results logs.
        #[arg(required_unless_present = "lrs")]
        logs: Vec<PathBuf>,
        /// Read the records from this LRS instead of logs.
        #[arg(long, conflicts_with = "logs")]
        lrs: Option<String>,
        #[command(flatten)]
        login: sync_cmds::LrsLogin,
        /// With --lrs: only sessions started on or after this date (YYYY-MM-DD, UTC).
        #[arg(long, requires = "lrs")]
        since: Option<String>,
        /// The pack the results are from (default: the bundled pack).
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: report_cmds::ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Send the results logs' records to a Learning Record Store as xAPI 1.0.3 statements
    /// (docs/xapi.md).
    ///
    /// Sends every record the LRS has not acknowledged yet, in batches, retrying with
    /// back-off; acknowledged record ids are kept beside each log in LOG.xapi-sent, so a second
    /// run sends nothing new. Exit status: 0 all sent, 3 some records refused by the LRS (they
    /// stay unsent), 75 the LRS could not be reached or kept failing (the rest stays queued:
    /// run again later), 1 any other error (e.g. wrong credentials: nothing is marked sent).
    Sync {
        /// Results logs.
        #[arg(required = true)]
        logs: Vec<PathBuf>,
        /// The LRS's xAPI endpoint, e.g. http://127.0.0.1:8100/xAPI/.
        #[arg(long, env = "KRU_LRS_URL")]
        lrs: Option<String>,
        #[command(flatten)]
        login: sync_cmds::LrsLogin,
        /// The pack the results are from (default: the bundled pack).
        #[arg(long)]
        pack: Option<PathBuf>,
        /// The deployment's home page: the homePage of the learners' xAPI accounts (default:
        /// the LRS endpoint).
        #[arg(long, env = "KRU_HOME_PAGE")]
        home_page: Option<String>,
        /// Statements per request (a record's statements are never split).
        #[arg(long, default_value_t = 500)]
        batch: usize,
        /// Retries of a request the LRS could not take (back-off 0.5 s, 1 s, 2 s … 8 s, plus up to half
        /// as much at random).
        #[arg(long, default_value_t = 4)]
        retries: u32,
        /// Print the statements that would be sent (JSON) instead of sending them.
        #[arg(long)]
        dry_run: bool,
    },
    /// Preview a pack in the web app, rebuilt each time a file is saved, with the validator's
    /// messages on the page (no cargo, no signing keys; docs/preview.md).
    ///
    /// Serves http://127.0.0.1:PORT/ until stopped. The preview pack is unsigned and marked
    /// PREVIEW, and the page saves nothing (no results log).
    Preview {
        /// The pack source folder (with pack.toml).
        path: PathBuf,
        /// The port on 127.0.0.1 (0: any free port, printed).
        #[arg(long, default_value_t = 8765)]
        port: u16,
        /// The web app's folder (index.html, the modules, pkg/ with the engine) instead of the
        /// copy inside kru (also KRU_WEB_DIR).
        #[arg(long)]
        web: Option<PathBuf>,
    },
    /// Strings for translators: export every learner-facing string (PO or xlsx), import the
    /// translations back (docs/translating.md).
    Strings {
        #[command(subcommand)]
        command: strings_cmds::StringsCommand,
    },
    #[command(flatten)]
    Authoring(authoring_cmds::AuthoringCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { dir, today } => pack_cmds::validate(&dir, today.as_deref()),
        Command::Authoring(cmd) => authoring_cmds::run(cmd),
        Command::Build {
            dir,
            output,
            key,
            no_lz4,
        } => pack_cmds::build(&dir, &output, key.as_deref(), no_lz4),
        Command::Info { pack, json, audio } => pack_cmds::info(&pack, json, audio),
        Command::Keygen { output } => keys::keygen(&output),
        Command::Sign { pack, key, output } => keys::sign(&pack, &key, output.as_deref()),
        Command::Verify { pack, trust } => keys::verify(&pack, &trust),
        Command::Play {
            pack,
            journey,
            lang,
            seed,
            learner,
            log,
            trust,
            allow_unsigned,
        } => play::run(&play::PlayArgs {
            pack,
            journey,
            lang,
            seed,
            learner,
            log,
            trust,
            allow_unsigned,
        }),
        Command::Simulate {
            pack,
            learners,
            seed,
            journey,
            dropout,
            start,
            output,
        } => report_cmds::simulate(&report_cmds::SimulateArgs {
            pack: pack.as_deref(),
            learners,
            seed,
            journey: &journey,
            dropout,
            start: &start,
            output: &output,
        }),
        Command::Report {
            logs,
            lrs,
            login,
            since,
            pack,
            by,
            journey,
            small_group,
            lang,
            assume_merged,
            format,
            output,
        } => {
            let args = report_cmds::ReportArgs {
                logs: &logs,
                pack: pack.as_deref(),
                by: by.as_deref(),
                journey: journey.as_deref(),
                small_group,
                lang: &lang,
                assume_merged,
                format,
                output: output.as_deref(),
            };
            match lrs {
                Some(url) => sync_cmds::report_from_lrs(&args, &url, &login, since.as_deref()),
                None => report_cmds::report(&args),
            }
        }
        Command::Export {
            lrs: Some(url),
            login,
            since,
            pack,
            output,
            ..
        } => sync_cmds::export_from_lrs(
            &url,
            &login,
            pack.as_deref(),
            since.as_deref(),
            output.as_deref(),
        ),
        Command::Export {
            logs,
            lrs: None,
            pack,
            format,
            output,
            ..
        } => report_cmds::export(&logs, pack.as_deref(), format, output.as_deref()),
        Command::Sync {
            logs,
            lrs,
            login,
            pack,
            home_page,
            batch,
            retries,
            dry_run,
        } => sync_cmds::sync(&sync_cmds::SyncArgs {
            logs: &logs,
            lrs: lrs.as_deref(),
            login: &login,
            pack: pack.as_deref(),
            home_page: home_page.as_deref(),
            batch,
            retries,
            dry_run,
        }),
        Command::Strings { command } => strings_cmds::run(command),
        Command::Preview { path, port, web } => preview::run(&path, port, web.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kru: error: {e}");
            ExitCode::from(1)
        }
    }
}
