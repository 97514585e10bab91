//! `cargo xtask setup`: installs what the other commands need, idempotently.
//!
//! Every item first checks whether it is already there and prints `✓ present`; only when it is
//! missing does it install, and then it prints what it did. A warm run only runs the checks.
//!
//! | item | check | install |
//! |---|---|---|
//! | rustup targets | `rustup target list --installed` | `rustup target add …` |
//! | nightly (fuzz only) | `rustup toolchain list` | `rustup toolchain install nightly --profile minimal` |
//! | cargo-fuzz (fuzz only) | `cargo fuzz --version` | `cargo install cargo-fuzz` |
//! | wasm-bindgen-cli | `wasm-bindgen --version` = the `wasm-bindgen` version in `Cargo.lock` | `cargo install wasm-bindgen-cli --version X` (no `--locked`: it fails) |
//! | Debian packages | `dpkg -s` | `apt-get update` once, then `apt-get install -y` (sudo when not root; waits for the apt lock) |
//! | JS tooling | a stamp in `tools/js/node_modules/` that matches `package.json` + `package-lock.json` | `npm ci` (or `npm install` without a lockfile) |
//! | SciPy | `python3 -c "import scipy"` | `python3 -m pip install scipy` (Debian's `python3-scipy` when pip refuses) |

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::bail;
use crate::cmd::{on_path, Cmd};
use crate::util::{banner, format_duration, require, root_path, Error, IoContext, Result};

/// The wasm target (the demo needs only this one).
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The bare-metal target that proves kru-core is `no_std`.
pub const NO_STD_TARGET: &str = "thumbv7em-none-eabihf";
/// Android targets (static library only: there is no NDK linker here), one per ABI the
/// Android module ships: arm64-v8a, armeabi-v7a and x86_64 (emulators, Chromebooks).
pub const ANDROID_TARGETS: &[&str] = &[
    "aarch64-linux-android",
    "armv7-linux-androideabi",
    "x86_64-linux-android",
];
/// Every rustup target `cargo xtask test` builds for.
pub const RUST_TARGETS: &[&str] = &[
    WASM_TARGET,
    NO_STD_TARGET,
    ANDROID_TARGETS[0],
    ANDROID_TARGETS[1],
    ANDROID_TARGETS[2],
];
/// Debian packages for the browser tests: headless Chromium, its WebDriver, fonts for the
/// scripts the tests draw: Khmer, Lao (the second-script test pack), Myanmar and Thai
/// (without them the text renders as boxes), and zbar-tools (`zbarimg`, a QR code decoder).
pub const DEBIAN_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    "fonts-khmeros",
    // A QR code decoder: the web app's take-home card test reads its QR code back (zbarimg).
    "zbar-tools",
    "fonts-lao",
    "fonts-sil-padauk",
    "fonts-thai-tlwg",
    "cmake",
    "valgrind",
    // The Android binding's host tests (`cargo xtask test jvm`): a JDK and JUnit 4.
    "openjdk-17-jdk-headless",
    "junit4",
];
/// The folder with the pinned JS tooling (`package.json` + `package-lock.json`, committed).
pub const TOOLS_JS: &str = "tools/js";
/// Programs that must be in `tools/js/node_modules/.bin` after `npm ci`.
const TOOLS_JS_BINS: &[&str] = &["wasm-opt", "tsc", "esbuild"];
/// Written into `node_modules/` after a successful install; holds the manifest and lockfile it
/// was installed from, so that an unchanged folder is skipped.
const TOOLS_JS_STAMP: &str = "node_modules/.kru-installed";
/// Oldest Node.js major version the JS tooling supports (playwright-core needs 20).
const NODE_MIN_MAJOR: u32 = 20;

/// Which items a command needs.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// rustup targets to add.
    pub rust_targets: &'static [&'static str],
    /// wasm-bindgen-cli at the locked version.
    pub wasm_bindgen: bool,
    /// Chromium, chromedriver and fonts from Debian.
    pub debian: bool,
    /// Node.js and the packages in `tools/js/`.
    pub node_tools: bool,
    /// SciPy for `scripts/stats_reference.py`.
    pub scipy: bool,
    /// Nightly toolchain and cargo-fuzz.
    pub fuzz: bool,
}

/// Everything `cargo xtask test` needs (all but the fuzzing tools).
pub const FOR_TEST: Needs = Needs {
    rust_targets: RUST_TARGETS,
    wasm_bindgen: true,
    debian: true,
    node_tools: true,
    scipy: true,
    fuzz: false,
};

/// What `cargo xtask demo` and `cargo xtask wasm` need.
pub const FOR_WASM: Needs = Needs {
    rust_targets: &[WASM_TARGET],
    wasm_bindgen: true,
    debian: false,
    node_tools: true,
    scipy: false,
    fuzz: false,
};

/// What `cargo xtask fuzz` needs.
pub const FOR_FUZZ: Needs = Needs {
    rust_targets: &[],
    wasm_bindgen: false,
    debian: false,
    node_tools: false,
    scipy: false,
    fuzz: true,
};

/// `cargo xtask setup [--fuzz]`.
pub fn main(args: &[String]) -> Result {
    let mut needs = FOR_TEST;
    for arg in args {
        match arg.as_str() {
            "--fuzz" => needs.fuzz = true,
            other => bail!("setup: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    run(&needs)
}

/// Checks and installs every item in `needs`; reports all failures together at the end.
pub fn run(needs: &Needs) -> Result {
    banner("setup");
    let start = Instant::now();
    let mut failures: Vec<String> = Vec::new();
    let mut attempt = |name: &str, result: Result| {
        if let Err(e) = result {
            println!("  ✗ {name}: {e}");
            failures.push(format!("{name}: {e}"));
        }
    };
    if !needs.rust_targets.is_empty() {
        attempt("rustup targets", rust_targets(needs.rust_targets));
    }
    if needs.fuzz {
        attempt("nightly toolchain", nightly());
        attempt("cargo-fuzz", cargo_fuzz());
    }
    if needs.debian {
        attempt("Debian packages", debian_packages(DEBIAN_PACKAGES));
    }
    if needs.node_tools {
        attempt("JS tooling", node_tools());
    }
    if needs.scipy {
        attempt("SciPy", scipy());
    }
    if needs.wasm_bindgen {
        attempt("wasm-bindgen-cli", wasm_bindgen_cli());
    }
    if failures.is_empty() {
        println!("\nsetup: done in {}", format_duration(start.elapsed()));
        Ok(())
    } else {
        Err(Error(format!("setup failed:\n  {}", failures.join("\n  "))))
    }
}

fn item(name: &str) {
    println!("\n• {name}");
}

fn present(detail: &str) -> Result {
    println!("  ✓ present: {detail}");
    Ok(())
}

fn did(detail: &str) -> Result {
    println!("  ✓ installed: {detail}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rust

/// Adds the rustup targets that `rustup target list --installed` does not show.
pub fn rust_targets(targets: &[&str]) -> Result {
    item("rustup targets");
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .read()?;
    let missing: Vec<&str> = targets
        .iter()
        .copied()
        .filter(|t| !installed.lines().any(|line| line.trim() == *t))
        .collect();
    if missing.is_empty() {
        return present(&targets.join(", "));
    }
    Cmd::new("rustup")
        .args(["target", "add"])
        .args(&missing)
        .run()?;
    did(&format!("rustup target add {}", missing.join(" ")))
}

/// Installs a minimal nightly toolchain (cargo-fuzz needs `-Zsanitizer`) unless one is there.
pub fn nightly() -> Result {
    item("nightly toolchain (for fuzzing)");
    let list = Cmd::new("rustup").args(["toolchain", "list"]).read()?;
    if let Some(line) = list.lines().find(|l| l.starts_with("nightly")) {
        return present(line.split_whitespace().next().unwrap_or(line));
    }
    Cmd::new("rustup")
        .args(["toolchain", "install", "nightly", "--profile", "minimal"])
        .run()?;
    did("nightly (profile minimal)")
}

/// Installs cargo-fuzz unless `cargo fuzz --version` works.
pub fn cargo_fuzz() -> Result {
    item("cargo-fuzz");
    if let Ok(out) = Cmd::cargo().args(["fuzz", "--version"]).probe() {
        if out.status.success() {
            return present(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    Cmd::cargo().args(["install", "cargo-fuzz"]).run()?;
    did("cargo install cargo-fuzz")
}

/// The versions of package `name` in a `Cargo.lock` text.
pub fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut current_name: Option<&str> = None;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            current_name = None;
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        match key.trim() {
            "name" => current_name = Some(value),
            "version" if current_name == Some(name) => versions.push(value.to_owned()),
            _ => {}
        }
    }
    versions
}

/// The `wasm-bindgen` version pinned in the workspace's `Cargo.lock`.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock_path = root_path("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).at("cannot read", &lock_path)?;
    let mut versions = lock_versions(&lock, "wasm-bindgen");
    versions.dedup();
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "Cargo.lock has no `wasm-bindgen` package yet, so the matching wasm-bindgen-cli \
             version is unknown: add the kru-wasm crate (bindings-wasm/) to the workspace and \
             run `cargo generate-lockfile`"
        ),
        many => bail!(
            "Cargo.lock has several `wasm-bindgen` versions ({}): the CLI must match exactly \
             one; run `cargo update -p wasm-bindgen` to unify them",
            many.join(", ")
        ),
    }
}

/// The version printed by `wasm-bindgen --version`, if it runs.
fn installed_wasm_bindgen_version() -> Option<String> {
    let out = Cmd::new("wasm-bindgen").arg("--version").probe().ok()?;
    if !out.status.success() {
        return None;
    }
    // "wasm-bindgen 0.2.100"
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .map(str::to_owned)
}

/// Installs wasm-bindgen-cli at exactly the locked `wasm-bindgen` version.
pub fn wasm_bindgen_cli() -> Result {
    item("wasm-bindgen-cli");
    let want = locked_wasm_bindgen_version()?;
    let have = installed_wasm_bindgen_version();
    if have.as_deref() == Some(want.as_str()) && on_path("wasm-bindgen-test-runner") {
        return present(&format!("wasm-bindgen {want} (matches Cargo.lock)"));
    }
    match &have {
        Some(v) => println!("  wasm-bindgen {v} is installed but Cargo.lock has {want}"),
        None => println!("  wasm-bindgen is not installed; Cargo.lock has {want}"),
    }
    // Without --locked on purpose: a dependency version in its lockfile is not on crates.io.
    // --force so that another installed version is replaced.
    Cmd::cargo()
        .args(["install", "wasm-bindgen-cli", "--version", &want, "--force"])
        .run()?;
    match installed_wasm_bindgen_version() {
        Some(v) if v == want => did(&format!("wasm-bindgen-cli {want}")),
        other => bail!(
            "installed wasm-bindgen-cli {want}, but `wasm-bindgen --version` now reports {}: \
             is another wasm-bindgen earlier on PATH?",
            other.as_deref().unwrap_or("nothing")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Debian

fn is_root() -> bool {
    static ROOT: OnceLock<bool> = OnceLock::new();
    *ROOT.get_or_init(|| {
        std::process::Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false)
    })
}

/// `apt-get ARGS` non-interactively, through sudo when not root.
fn apt_get() -> Result<Cmd> {
    if is_root() {
        Ok(Cmd::new("apt-get").env("DEBIAN_FRONTEND", "noninteractive"))
    } else if on_path("sudo") {
        Ok(Cmd::new("sudo").args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]))
    } else {
        bail!("installing Debian packages needs root: run as root or install sudo")
    }
}

/// How often and how long to wait when another apt/dpkg holds the lock.
const APT_LOCK_RETRIES: u32 = 40;
const APT_LOCK_WAIT: Duration = Duration::from_secs(15);

/// Runs apt-get, waiting and retrying while another process holds the apt/dpkg lock.
fn apt(args: &[&str]) -> Result {
    let mut repaired = false;
    for attempt in 1..=APT_LOCK_RETRIES {
        let cmd = apt_get()?
            .args(["-o", "DPkg::Lock::Timeout=120"])
            .args(args);
        let (status, stderr) = cmd.run_tee_stderr()?;
        if status.success() {
            return Ok(());
        }
        let locked = stderr.contains("Could not get lock")
            || stderr.contains("Unable to lock")
            || stderr.contains("Unable to acquire the dpkg frontend lock");
        if locked && attempt < APT_LOCK_RETRIES {
            println!(
                "  apt is locked by another process: waiting {}s and retrying ({attempt}/{APT_LOCK_RETRIES})",
                APT_LOCK_WAIT.as_secs()
            );
            std::thread::sleep(APT_LOCK_WAIT);
            continue;
        }
        if stderr.contains("dpkg --configure -a") && !repaired {
            repaired = true;
            println!("  an earlier dpkg run was interrupted: repairing it first");
            if is_root() {
                Cmd::new("dpkg").args(["--configure", "-a"]).run()?;
            } else {
                Cmd::new("sudo").args(["dpkg", "--configure", "-a"]).run()?;
            }
            continue;
        }
        bail!(
            "`{}` failed ({})",
            cmd.display(),
            crate::cmd::describe(status)
        );
    }
    bail!("apt stayed locked; try again when the other apt/dpkg process has finished")
}

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// Installs Debian packages, running `apt-get update` first (once per run).
pub fn apt_install(packages: &[&str]) -> Result {
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        apt(&["update"])?;
    }
    let mut args = vec!["install", "-y"];
    args.extend_from_slice(packages);
    apt(&args)
}

fn dpkg_installed(package: &str) -> bool {
    Cmd::new("dpkg")
        .args(["-s", package])
        .probe()
        .map(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim() == "Status: install ok installed")
        })
        .unwrap_or(false)
}

/// Installs the Debian packages that `dpkg -s` does not show as installed.
pub fn debian_packages(packages: &[&str]) -> Result {
    item("Debian packages");
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return present(&packages.join(", "));
    }
    apt_install(&missing)?;
    did(&format!("apt-get install {}", missing.join(" ")))
}

// ---------------------------------------------------------------------------------------------
// Node.js

fn node_major() -> Option<u32> {
    let out = Cmd::new("node").arg("--version").probe().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Node.js and npm on PATH, then `tools/js/node_modules` installed from the lockfile.
pub fn node_tools() -> Result {
    item("Node.js + npm");
    if on_path("node") && on_path("npm") {
        match node_major() {
            Some(major) if major >= NODE_MIN_MAJOR => present(&format!("node v{major}.x"))?,
            Some(major) => println!(
                "  ! node v{major} is older than v{NODE_MIN_MAJOR}: playwright-core may refuse \
                 to run; install a newer Node.js"
            ),
            None => println!("  ! could not read `node --version`"),
        }
    } else {
        apt_install(&["nodejs", "npm"])?;
        did("apt-get install nodejs npm")?;
    }

    item(&format!("JS tooling ({TOOLS_JS}/)"));
    let manifest = require(&format!("{TOOLS_JS}/package.json"))?;
    let dir = root_path(TOOLS_JS);
    let lockfile = dir.join("package-lock.json");
    let stamp = dir.join(TOOLS_JS_STAMP);
    let wanted = || -> Result<String> {
        let mut text = std::fs::read_to_string(&manifest).at("cannot read", &manifest)?;
        text.push('\0');
        if lockfile.exists() {
            text.push_str(&std::fs::read_to_string(&lockfile).at("cannot read", &lockfile)?);
        }
        Ok(text)
    };
    let bins_ok = TOOLS_JS_BINS
        .iter()
        .all(|b| dir.join("node_modules/.bin").join(b).exists());
    if bins_ok && std::fs::read_to_string(&stamp).ok() == Some(wanted()?) {
        return present(&format!(
            "{TOOLS_JS}/node_modules matches package-lock.json"
        ));
    }
    let npm = if lockfile.exists() { "ci" } else { "install" };
    Cmd::new("npm")
        .args([npm, "--no-audit", "--no-fund"])
        .cwd(&dir)
        .run()?;
    std::fs::write(&stamp, wanted()?).at("cannot write", &stamp)?;
    did(&format!("npm {npm} in {TOOLS_JS}/"))
}

/// Path of a program installed by `tools/js` (e.g. `wasm-opt`, `tsc`, `esbuild`); an error
/// that names it and says to run `cargo xtask setup` when it is not there.
pub fn js_bin(name: &str) -> Result<std::path::PathBuf> {
    let bin = root_path(TOOLS_JS).join("node_modules/.bin").join(name);
    if !bin.exists() {
        bail!(
            "missing: {} (run `cargo xtask setup`)",
            crate::util::display_path(&bin)
        );
    }
    Ok(bin)
}

// ---------------------------------------------------------------------------------------------
// Python

/// SciPy for the statistics reference check.
pub fn scipy() -> Result {
    item("SciPy");
    if !on_path("python3") {
        apt_install(&["python3", "python3-scipy"])?;
        return did("apt-get install python3 python3-scipy");
    }
    let import = Cmd::new("python3").args(["-c", "import scipy; print(scipy.__version__)"]);
    if let Ok(out) = import.probe() {
        if out.status.success() {
            return present(&format!(
                "scipy {}",
                String::from_utf8_lossy(&out.stdout).trim()
            ));
        }
    }
    match Cmd::new("python3")
        .args(["-m", "pip", "install", "scipy"])
        .run()
    {
        Ok(()) => did("python3 -m pip install scipy"),
        Err(e) => {
            // Debian's own python3 refuses pip installs (PEP 668); its package works.
            println!("  pip could not install scipy ({e}); trying Debian's python3-scipy");
            apt_install(&["python3-scipy"])?;
            did("apt-get install python3-scipy")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_versions_reads_packages() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.131"
"#;
        assert_eq!(lock_versions(lock, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(lock_versions(lock, "wasm-bindgen-macro"), vec!["0.2.131"]);
        assert!(lock_versions(lock, "serde").is_empty());
    }

    #[test]
    fn targets_cover_every_platform() {
        for t in [
            "wasm32-unknown-unknown",
            "thumbv7em-none-eabihf",
            "aarch64-linux-android",
            "armv7-linux-androideabi",
            "x86_64-linux-android",
        ] {
            assert!(RUST_TARGETS.contains(&t), "{t}");
        }
    }
}
