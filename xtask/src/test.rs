//! `cargo xtask test [--no-setup] [--list] [STEP…]`: every check the project has, in order.
//!
//! Runs setup, then each step of [`STEPS`] with a banner, keeps going after a failure so that
//! the summary table at the end is complete, and exits non-zero if anything failed. A step
//! whose files do not exist yet fails with `missing: PATH` rather than being skipped. A step
//! whose prerequisite step failed is reported as `not run` (and counts as a failure).
//!
//! JS tests (`node --test`) get these environment variables:
//! - `NODE_PATH=<root>/tools/js/node_modules`: the pinned tooling (playwright-core, axe-core)
//!   resolves with `require('playwright-core')` from CommonJS, or from an ES module with
//!   `createRequire(import.meta.url)('playwright-core')`. (A bare ESM `import` does not read
//!   NODE_PATH.) This is the one way the tests reach `tools/js`.
//! - `KRU_ROOT`: the workspace root.
//! - `KRU_CHROMIUM=/usr/bin/chromium`: the browser for playwright-core's `executablePath`.
//! - `KRU_DEMO_URL` (web e2e only): the URL of the demo served by this process (the site
//!   `target/site/`, rebuilt by the step), so the tests need not start a server of their own.
//! - `KRU_SITE` (web e2e and web-lrs): the site's folder, which the tests' own server serves.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::bail;
use crate::cmd::Cmd;
use crate::setup::{self, js_bin, ANDROID_TARGETS, NO_STD_TARGET, WASM_TARGET};
use crate::util::{
    banner, display_path, format_duration, require, root, root_path, table, target_dir, Result,
};
use crate::{demo, serve, site, size, wasm};

/// Features for `cargo clippy`/`cargo test` over the workspace (e.g. `"kru-core/authoring"`);
/// empty means each crate's defaults. `--all-features` is not used: feature sets of the
/// bindings need not combine on the host.
pub const TEST_FEATURES: &[&str] = &[];
/// Workspace packages left out of `cargo test --workspace` (e.g. a crate that only builds for
/// wasm32); empty means all.
pub const TEST_EXCLUDE: &[&str] = &[];
/// The C bindings package, and its static library name on disk.
pub const C_PACKAGE: &str = "kru-c";
/// File name of kru-c's static library.
pub const C_STATICLIB: &str = "libkru.a";
/// The browser used by the JS tests.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// One step of `cargo xtask test`.
pub struct Step {
    /// Short name, used to pick steps on the command line.
    pub name: &'static str,
    /// What it does, for the banner and summary.
    pub title: &'static str,
    /// Steps that must have passed for this one to run.
    pub after: &'static [&'static str],
    /// The step itself.
    pub run: fn() -> Result,
}

/// The steps, in order. Edit here to add, remove or reorder checks.
pub const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        title: "cargo fmt --check",
        after: &[],
        run: fmt,
    },
    Step {
        name: "clippy",
        title: "cargo clippy -D warnings",
        after: &[],
        run: clippy,
    },
    Step {
        name: "test",
        title: "cargo test --workspace",
        after: &[],
        run: cargo_test,
    },
    Step {
        name: "lrs",
        title: "kru sync / report --lrs against a real LRS (ralph)",
        after: &[],
        run: crate::lrs::test_step,
    },
    Step {
        name: "no-std",
        title: "kru-core no_std builds",
        after: &[],
        run: no_std,
    },
    Step {
        name: "android",
        title: "kru-c Android staticlibs",
        after: &[],
        run: android,
    },
    Step {
        name: "stats",
        title: "statistics reference (SciPy)",
        after: &[],
        run: stats,
    },
    Step {
        name: "c",
        title: "C header + C tests",
        after: &[],
        run: c_tests,
    },
    Step {
        name: "jvm",
        title: "Android binding: Java API + JNI on the host JVM",
        after: &[],
        run: jvm,
    },
    Step {
        name: "wasm-build",
        title: "wasm packages",
        after: &[],
        run: wasm_build,
    },
    Step {
        name: "wasm-test",
        title: "wasm-bindgen tests",
        after: &[],
        run: wasm_bindgen_tests,
    },
    Step {
        name: "wasm-node",
        title: "JS tests of the package (node)",
        after: &["wasm-build"],
        run: wasm_node_tests,
    },
    Step {
        name: "wasm-tsc",
        title: "TypeScript check (tsc --noEmit)",
        after: &["wasm-build"],
        run: wasm_tsc,
    },
    Step {
        name: "wasm-size",
        title: "size budget",
        after: &["wasm-build"],
        run: wasm_size,
    },
    Step {
        name: "demo-pack",
        title: "demo content pack",
        after: &[],
        run: demo_pack,
    },
    Step {
        name: "web-e2e",
        title: "web demo end-to-end (Chromium)",
        after: &["wasm-build", "demo-pack"],
        run: web_e2e,
    },
    Step {
        name: "web-lrs",
        title: "web app outbox against a real LRS (ralph, Chromium)",
        after: &["wasm-build", "demo-pack"],
        run: crate::lrs::web_test_step,
    },
];

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed(String),
    NotRun(String),
}

/// `cargo xtask test [--no-setup] [--list] [STEP…]`.
pub fn main(args: &[String]) -> Result {
    let mut do_setup = true;
    let mut only: Vec<&str> = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--no-setup" => do_setup = false,
            "--list" => {
                let rows: Vec<Vec<String>> = std::iter::once(vec![
                    "step".to_owned(),
                    "what".to_owned(),
                    "after".to_owned(),
                ])
                .chain(
                    STEPS
                        .iter()
                        .map(|s| vec![s.name.to_owned(), s.title.to_owned(), s.after.join(", ")]),
                )
                .collect();
                print!("{}", table(&rows, &[]));
                return Ok(());
            }
            name if !name.starts_with('-') => {
                if !STEPS.iter().any(|s| s.name == name) {
                    bail!("test: no step named `{name}` (see `cargo xtask test --list`)");
                }
                only.push(name);
            }
            other => bail!("test: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    let start = Instant::now();
    let mut results: Vec<(&str, &str, Outcome, Duration)> = Vec::new();
    if do_setup {
        let t = Instant::now();
        let outcome = match setup::run(&setup::FOR_TEST) {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(e.0),
        };
        results.push(("setup", "install what the tests need", outcome, t.elapsed()));
    }
    let selected: Vec<&Step> = STEPS
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name))
        .collect();
    for (i, step) in selected.iter().enumerate() {
        banner(&format!(
            "test {}/{}: {} ({})",
            i + 1,
            selected.len(),
            step.title,
            step.name
        ));
        let blocked: Vec<&str> = step
            .after
            .iter()
            .copied()
            .filter(|dep| {
                results
                    .iter()
                    .any(|(name, _, outcome, _)| name == dep && *outcome != Outcome::Passed)
            })
            .collect();
        let t = Instant::now();
        let outcome = if blocked.is_empty() {
            match (step.run)() {
                Ok(()) => Outcome::Passed,
                Err(e) => Outcome::Failed(e.0),
            }
        } else {
            Outcome::NotRun(format!("needs {} to pass", blocked.join(", ")))
        };
        match &outcome {
            Outcome::Passed => println!("✓ {} passed", step.name),
            Outcome::Failed(e) => println!("✗ {} FAILED: {e}", step.name),
            Outcome::NotRun(why) => println!("– {} not run: {why}", step.name),
        }
        results.push((step.name, step.title, outcome, t.elapsed()));
    }
    summary(&results, start.elapsed())
}

fn summary(results: &[(&str, &str, Outcome, Duration)], total: Duration) -> Result {
    banner("summary");
    let mut rows = vec![vec![
        "step".to_owned(),
        "what".to_owned(),
        "status".to_owned(),
        "time".to_owned(),
    ]];
    for (name, title, outcome, time) in results {
        let status = match outcome {
            Outcome::Passed => "ok",
            Outcome::Failed(_) => "FAILED",
            Outcome::NotRun(_) => "not run",
        };
        rows.push(vec![
            name.to_string(),
            title.to_string(),
            status.to_owned(),
            format_duration(*time),
        ]);
    }
    print!("{}", table(&rows, &[false, false, false, true]));
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, _, outcome, _)| *outcome != Outcome::Passed)
        .collect();
    let passed = results.len() - failed.len();
    for (name, _, outcome, _) in &failed {
        match outcome {
            Outcome::Failed(e) | Outcome::NotRun(e) => println!("  {name}: {e}"),
            Outcome::Passed => {}
        }
    }
    println!("\ntotal time: {}", format_duration(total));
    // The plain closing line CI understands: "word: N passed, N failed".
    println!("xtask: {passed} passed, {} failed", failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        bail!("{} of {} steps failed", failed.len(), results.len())
    }
}

// ---------------------------------------------------------------------------------------------
// Steps

fn with_features(cmd: Cmd) -> Cmd {
    if TEST_FEATURES.is_empty() {
        cmd
    } else {
        cmd.args(["--features", &TEST_FEATURES.join(",")])
    }
}

fn fmt() -> Result {
    Cmd::cargo().args(["fmt", "--all", "--", "--check"]).run()
}

fn clippy() -> Result {
    with_features(Cmd::cargo().args(["clippy", "--workspace", "--all-targets"]))
        .args(["--", "-D", "warnings"])
        .run()
}

fn cargo_test() -> Result {
    let mut cmd = with_features(Cmd::cargo().args(["test", "--workspace", "--no-fail-fast"]));
    for package in TEST_EXCLUDE {
        cmd = cmd.args(["--exclude", package]);
    }
    cmd.run()
}

fn no_std() -> Result {
    require("core/Cargo.toml")?;
    for target in [NO_STD_TARGET, WASM_TARGET] {
        Cmd::cargo()
            .args([
                "build",
                "-p",
                "kru-core",
                "--no-default-features",
                "--target",
                target,
            ])
            .run()?;
    }
    // The xAPI mapping (serde_json, sha2) is no_std + alloc too.
    Cmd::cargo()
        .args(["build", "-p", "kru-core", "--no-default-features"])
        .args(["--features", "xapi", "--target", NO_STD_TARGET])
        .run()?;
    Ok(())
}

fn android() -> Result {
    require("bindings-c/Cargo.toml")?;
    for target in ANDROID_TARGETS {
        // Only the staticlib: there is no NDK linker here, so a cdylib cannot link.
        Cmd::cargo()
            .args(["rustc", "-p", C_PACKAGE, "--release", "--target", target])
            .args(["--crate-type", "staticlib"])
            .run()?;
        let lib = target_dir().join(target).join("release").join(C_STATICLIB);
        if !lib.is_file() {
            bail!("cargo did not write {}", display_path(&lib));
        }
        println!("✓ {}", display_path(&lib));
    }
    Ok(())
}

fn stats() -> Result {
    require("scripts/stats_reference.py")?;
    Cmd::new("python3")
        .args(["scripts/stats_reference.py", "--check"])
        .run()
}

fn c_tests() -> Result {
    require("bindings-c/tests/run.sh")?;
    Cmd::new("bash").arg("bindings-c/tests/run.sh").run()
}

fn jvm() -> Result {
    crate::jvm::test()
}

fn wasm_build() -> Result {
    wasm::build()
}

fn wasm_bindgen_tests() -> Result {
    require("bindings-wasm/Cargo.toml")?;
    let packs = wasm::build_test_packs()?;
    // No `-q`: cargo passes it on to the runner, which rejects it.
    Cmd::cargo()
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env(wasm::TEST_PACKS_ENV, &packs)
        .args(["test", "-p", wasm::PACKAGE, "--target", WASM_TARGET])
        .run()
}

fn wasm_node_tests() -> Result {
    let packs = wasm::build_test_packs()?;
    let packs = packs.to_string_lossy();
    node_tests("bindings-wasm/tests", &[(wasm::TEST_PACKS_ENV, &packs)])
}

fn wasm_tsc() -> Result {
    require("bindings-wasm/tests/tsconfig.json")?;
    let tsc = js_bin("tsc")?;
    Cmd::new(&tsc)
        .args(["--noEmit", "-p", "bindings-wasm/tests/tsconfig.json"])
        .run()
}

fn wasm_size() -> Result {
    size::report(&size::default_files())
}

fn demo_pack() -> Result {
    // The dev profile: the pack bytes are the same and it reuses `cargo test`'s build.
    demo::build_pack(false)
}

fn web_e2e() -> Result {
    require("web-demo/tests")?;
    // `kru preview` embeds the web app and the engine built by wasm-build: build kru after it
    // (preview.test.mjs runs a copy of the binary away from the repository, as installed).
    Cmd::cargo().args(["build", "-p", "kru-cli"]).run()?;
    let kru = target_dir().join("debug").join("kru").display().to_string();
    // The tests serve what users get: the minified site, built from the current sources.
    let dir = site::build()?;
    let mut served = serve::Site::new(&dir);
    served.log = false;
    let (addr, _server) = serve::start(served, 0)?;
    let url = format!("http://{addr}/");
    println!("serving the demo for the tests on {url}");
    let dir = dir.display().to_string();
    node_tests(
        "web-demo/tests",
        &[
            ("KRU_DEMO_URL", &url),
            ("KRU_BIN", &kru),
            ("KRU_SITE", &dir),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// node --test

/// Whether Node's test runner would pick `name` by default (`*.test.mjs`, `test-*.js`, …).
fn is_node_test_file(name: &str) -> bool {
    let Some(stem) = [".js", ".mjs", ".cjs"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
    else {
        return false;
    };
    stem == "test"
        || stem.starts_with("test-")
        || stem.ends_with(".test")
        || stem.ends_with("-test")
        || stem.ends_with("_test")
}

/// The test files under `dir` (recursively, skipping node_modules), sorted.
fn node_test_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "node_modules" && !name.starts_with('.') {
                    stack.push(path);
                }
            } else if is_node_test_file(&name) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `node --test` over the test files in `dir`, listed explicitly: Node 20 takes a folder but
/// Node 22 takes globs, and a list of files means the same to both.
fn node_tests(dir: &str, env: &[(&str, &str)]) -> Result {
    let path = require(dir)?;
    let files = node_test_files(&path);
    if files.is_empty() {
        bail!(
            "no test files in {dir}/ (node --test looks for *.test.mjs, *.test.js, test-*.js, …)"
        );
    }
    let mut cmd = Cmd::new("node")
        .env("NODE_PATH", root_path(setup::TOOLS_JS).join("node_modules"))
        .env("KRU_ROOT", root())
        .env("KRU_CHROMIUM", CHROMIUM)
        .arg("--test");
    for (key, value) in env {
        cmd = cmd.env(key, value);
    }
    for file in &files {
        cmd = cmd.arg(display_path(file));
    }
    cmd.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_names_are_unique_and_dependencies_come_first() {
        for (i, step) in STEPS.iter().enumerate() {
            assert!(
                !STEPS[..i].iter().any(|s| s.name == step.name),
                "{}",
                step.name
            );
            for dep in step.after {
                assert!(
                    STEPS[..i].iter().any(|s| s.name == *dep),
                    "{} needs {dep}, which must come before it",
                    step.name
                );
            }
        }
    }

    #[test]
    fn node_test_file_names() {
        for yes in [
            "pack.test.mjs",
            "a-test.js",
            "a_test.cjs",
            "test-e2e.mjs",
            "test.js",
        ] {
            assert!(is_node_test_file(yes), "{yes}");
        }
        for no in ["helpers.mjs", "tsconfig.json", "pack.test.ts", "testing.js"] {
            assert!(!is_node_test_file(no), "{no}");
        }
    }

    #[test]
    fn missing_step_files_fail_clearly() {
        let err = require("bindings-c/tests/no-such-run.sh").unwrap_err();
        assert_eq!(err.0, "missing: bindings-c/tests/no-such-run.sh");
    }
}
