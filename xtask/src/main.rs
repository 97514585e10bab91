//! kru's developer commands, run as `cargo xtask COMMAND` (the alias is in `.cargo/config.toml`).
//!
//! Quick start on a fresh Debian machine with only Rust installed:
//! `cargo xtask demo` (build and serve the web demo) and `cargo xtask test` (every check).
//! Both install what they need first, and skip whatever is already there.
//!
//! Modules: [`setup`] (idempotent installs), [`test`] (the ordered checks and their summary),
//! [`wasm`] (npm packages), [`size`] (size report and budget), [`demo`] + [`site`] + [`serve`] (the web
//! demo, its minified site and its static server), [`bench`], [`fuzz`], [`lrs`] (a real LRS); [`cmd`] runs external commands and
//! [`util`] holds the shared helpers.

mod bench;
mod cmd;
mod demo;
mod fuzz;
mod imports;
mod jvm;
mod lrs;
mod serve;
mod setup;
mod site;
mod size;
mod test;
mod util;
mod wasm;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask COMMAND [OPTIONS]   (run from anywhere in the kru workspace)

Commands:
  setup [--fuzz]                 install what the other commands need (idempotent: checks
                                 first, prints `✓ present` or what it installed); --fuzz also
                                 installs the nightly toolchain and cargo-fuzz
  test [--no-setup] [--list] [STEP...]
                                 setup, then every check in order, a summary table, and a
                                 non-zero exit if any step failed; --list shows the steps,
                                 STEP... runs only those
  demo [--port N] [--no-serve]   build the demo packs, the wasm package and the site
                                 (target/site/), then serve it on http://127.0.0.1:8080/
  site                           write the deployable web app to target/site/: its JS and
                                 CSS minified by esbuild (source maps beside them), the
                                 engine (pkg/), packs, media, packs.json, trusted keys
  serve [--port N] [--src | --dir DIR] [--quiet]
                                 rebuild target/site/ and serve it; --src serves the
                                 sources unminified (web-demo/, /pkg/ = bindings-wasm/pkg/,
                                 /media/ = the demo pack's folder); --dir serves DIR;
                                 --port 0 picks a free port (printed as `listening on URL`)
  wasm [--no-setup] [--nightly]  build bindings-wasm/pkg (web) and bindings-wasm/pkg-node;
                                 --nightly (or KRU_WASM_NIGHTLY=1 for `test wasm-build`): with
                                 nightly -Zbuild-std, panic=immediate-abort (smaller, optional)
  size [FILE...]                 raw/gzip/brotli sizes of the web package (or FILEs), written
                                 to target/size-report.txt; fails over the 120 KiB gzip budget
  fuzz [--seconds N] [TARGET...] run each cargo-fuzz target N seconds (default 60), 2 at a time
  bench [-- ARGS...]             cargo bench -p kru-core and -p kru-workbook (ARGS go to criterion)
  bench --peer [ROUNDS]          kru's Node package vs SurveyJS survey-core, interleaved
  bench --boundary [ROUNDS]      cost per call through kru's Node package (load, step, answer)
  lrs [--port N] [--dir DIR]     install ralph (a real xAPI LRS) in target/lrs/venv and start
                                 it on 127.0.0.1 (a free port unless --port), printing its URL
                                 and generated credentials; Ctrl-C stops it; --cors-origin
                                 ORIGIN (repeatable) lets a web app on ORIGIN call it (CORS)
  lrs-load [--devices N] [--learners N] [--journey J]
                                 N devices (default 50 × 200 learners, kiosk) run `kru sync` at
                                 once against a fresh ralph: statements/s, 0 lost, 0 duplicated
  help, --help, -h               this text
";

/// Makes tools installed by `cargo install` findable even when `~/.cargo/bin` is not on PATH.
fn add_cargo_bin_to_path() {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")));
    let Some(bin) = cargo_home.map(|h| h.join("bin")) else {
        return;
    };
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<_> = std::env::split_paths(&path).collect();
    if bin.is_dir() && !dirs.contains(&bin) {
        dirs.push(bin);
        if let Ok(joined) = std::env::join_paths(dirs) {
            // Single-threaded here: nothing else reads the environment yet.
            std::env::set_var("PATH", joined);
        }
    }
}

fn main() -> ExitCode {
    add_cargo_bin_to_path();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return ExitCode::FAILURE;
    };
    let result = match command.as_str() {
        "setup" => setup::main(rest),
        "test" => test::main(rest),
        "demo" => demo::main(rest),
        "serve" => serve::main(rest),
        "site" => site::main(rest),
        "wasm" => wasm::main(rest),
        "size" => size::main(rest),
        "fuzz" => fuzz::main(rest),
        "bench" => bench::main(rest),
        "lrs" => lrs::main(rest),
        "lrs-load" => lrs::load_main(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        other => Err(util::Error(format!("unknown command `{other}`\n\n{HELP}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nerror: {e}");
            ExitCode::FAILURE
        }
    }
}
