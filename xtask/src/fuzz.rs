//! `cargo xtask fuzz [--seconds N] [TARGET…]`: runs the cargo-fuzz targets for a while each.
//!
//! Sets up nightly + cargo-fuzz, lists the targets with `cargo +nightly fuzz list` (in `fuzz/`),
//! builds them once, then runs each for N seconds (default 60), two at a time (2 cores), and
//! prints a table. New inputs go to `fuzz/corpus-work/TARGET/` (git-ignored); the committed
//! seeds in `fuzz/corpus/TARGET/` are read but never written. Crashes land in
//! `fuzz/artifacts/TARGET/`. Replaying the committed corpus is part of `cargo test`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::bail;
use crate::cmd::{describe, Cmd};
use crate::setup;
use crate::util::{banner, format_duration, require, root_path, table, IoContext, Result};

/// The cargo-fuzz folder (its own workspace).
pub const FUZZ_DIR: &str = "fuzz";
/// Seconds per target when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 60;
/// Targets run at the same time (one per core).
pub const PARALLEL: usize = 2;

/// `cargo +nightly …` in `fuzz/`, without the toolchain pinned by the rustup proxy that started
/// xtask (`+nightly` must win).
fn nightly_cargo() -> Cmd {
    Cmd::cargo()
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .arg("+nightly")
        .cwd(root_path(FUZZ_DIR))
}

/// The result of one target's run.
struct Run {
    target: String,
    status: String,
    runs: String,
    time: Duration,
    note: String,
    ok: bool,
}

/// `cargo xtask fuzz [--seconds N] [TARGET…]`.
pub fn main(args: &[String]) -> Result {
    let mut seconds = DEFAULT_SECONDS;
    let mut wanted: Vec<String> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => match args.next().map(|v| v.parse::<u64>()) {
                Some(Ok(n)) if n > 0 => seconds = n,
                _ => bail!("fuzz: --seconds needs a positive number"),
            },
            name if !name.starts_with('-') => wanted.push(name.to_owned()),
            other => bail!("fuzz: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    require(&format!("{FUZZ_DIR}/Cargo.toml"))?;
    setup::run(&setup::FOR_FUZZ)?;

    banner("fuzz targets");
    let listed = nightly_cargo().args(["fuzz", "list"]).read()?;
    let all: Vec<String> = listed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    for name in &wanted {
        if !all.contains(name) {
            bail!("fuzz: no target `{name}` (targets: {})", all.join(", "));
        }
    }
    let targets: Vec<String> = if wanted.is_empty() { all } else { wanted };
    if targets.is_empty() {
        bail!("fuzz: `cargo fuzz list` found no targets in {FUZZ_DIR}/");
    }
    println!(
        "{} target(s), {seconds}s each, {PARALLEL} at a time",
        targets.len()
    );

    banner("build the fuzz targets");
    nightly_cargo().args(["fuzz", "build"]).run()?;

    banner("run the fuzz targets");
    let queue = Mutex::new(targets.iter().cloned().collect::<VecDeque<_>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(targets.len()) {
            scope.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                let Some(target) = next else { break };
                let run = run_target(&target, seconds);
                if let Ok(mut results) = results.lock() {
                    results.push(run);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|r| targets.iter().position(|t| *t == r.target));

    banner("fuzz summary");
    let mut rows = vec![vec![
        "target".to_owned(),
        "status".to_owned(),
        "runs".to_owned(),
        "time".to_owned(),
        "note".to_owned(),
    ]];
    for r in &results {
        rows.push(vec![
            r.target.clone(),
            r.status.clone(),
            r.runs.clone(),
            format_duration(r.time),
            r.note.clone(),
        ]);
    }
    print!("{}", table(&rows, &[false, false, true, true, false]));
    let failed = results.iter().filter(|r| !r.ok).count();
    if failed > 0 {
        bail!("{failed} of {} fuzz target(s) failed", results.len());
    }
    Ok(())
}

fn run_target(target: &str, seconds: u64) -> Run {
    let start = Instant::now();
    let mut run = Run {
        target: target.to_owned(),
        status: "FAILED".to_owned(),
        runs: String::new(),
        time: Duration::ZERO,
        note: String::new(),
        ok: false,
    };
    let work = root_path(FUZZ_DIR).join("corpus-work").join(target);
    if let Err(e) = std::fs::create_dir_all(&work).at("cannot create", &work) {
        run.note = e.0;
        return run;
    }
    let seeds = root_path(FUZZ_DIR).join("corpus").join(target);
    let mut cmd = nightly_cargo().args(["fuzz", "run", target]).arg(&work);
    if seeds.is_dir() {
        cmd = cmd.arg(&seeds);
    }
    cmd = cmd.arg("--").arg(format!("-max_total_time={seconds}"));
    match cmd.run_prefixed(target, 200) {
        Ok((status, tail)) => {
            run.ok = status.success();
            run.status = if run.ok { "ok" } else { "FAILED" }.to_owned();
            for line in &tail {
                // libFuzzer: "Done 123456 runs in 60 second(s)"
                if let Some(rest) = line.strip_prefix("Done ") {
                    if let Some(n) = rest.split_whitespace().next() {
                        run.runs = n.to_owned();
                    }
                }
                // libFuzzer: "Test unit written to fuzz/artifacts/T/crash-…"
                if let Some(pos) = line.find("Test unit written to ") {
                    run.note = line[pos + "Test unit written to ".len()..]
                        .trim()
                        .to_owned();
                }
            }
            if !run.ok && run.note.is_empty() {
                run.note = describe(status);
            } else if !run.ok {
                run.status = "CRASH".to_owned();
            }
        }
        Err(e) => run.note = e.0,
    }
    run.time = start.elapsed();
    run
}
