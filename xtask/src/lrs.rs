//! A real Learning Record Store for tests and trials: ralph (xAPI 1.0.3), no Docker.
//!
//! [`install`] puts `ralph-malph[cli,lrs]==5.1.0` and `requests` in a venv under
//! `target/lrs/venv` (skipped when present). [`Lrs::start`] runs `scripts/ralph_lrs.py` (the
//! file-system backend switched to APPEND, uvicorn directly) on 127.0.0.1 on a free port with
//! Basic-auth credentials made up here, and [`Lrs`] stops it when dropped.
//!
//! `cargo xtask lrs [--port N] [--dir DIR] [--cors-origin ORIGIN]…` starts one for a person to
//! try and prints its URL and credentials; `cargo xtask test lrs` runs the CLI's tests against
//! real ralph (`cli/tests/lrs.rs`, which start, kill and restart servers of their own through
//! `KRU_RALPH_PYTHON`); `cargo xtask test web-lrs` runs the web app's outbox against one
//! ([`web_test_step`]), with the demo's origin allowed by CORS.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::bail;
use crate::cmd::Cmd;
use crate::util::{display_path, root_path, target_dir, Result};

/// What is installed, pinned.
pub const RALPH: &str = "ralph-malph[cli,lrs]==5.1.0";

/// The venv ralph lives in.
pub fn venv() -> PathBuf {
    target_dir().join("lrs").join("venv")
}

/// The venv's Python.
pub fn python() -> PathBuf {
    venv().join("bin").join("python")
}

/// Installs ralph in the venv unless it is there (a marker file names what was installed).
pub fn install() -> Result<PathBuf> {
    let marker = venv().join("kru-installed.txt");
    let want = format!("{RALPH} requests\n");
    if venv().join("bin/ralph").is_file()
        && std::fs::read_to_string(&marker).is_ok_and(|m| m == want)
    {
        println!("✓ present: {RALPH} in {}", display_path(&venv()));
        return Ok(python());
    }
    if !python().is_file() {
        Cmd::new("python3").args(["-m", "venv"]).arg(venv()).run()?;
    }
    Cmd::new(venv().join("bin/pip"))
        .args(["install", "--quiet", RALPH, "requests"])
        .run()?;
    std::fs::write(&marker, want).map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    println!("✓ installed: {RALPH} in {}", display_path(&venv()));
    Ok(python())
}

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// `n` random bytes as hex, from the kernel.
fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A running ralph LRS; stopped when dropped.
pub struct Lrs {
    child: Child,
    /// The xAPI endpoint, `http://127.0.0.1:PORT/xAPI/`.
    pub url: String,
    /// Basic-auth user.
    pub user: String,
    /// Basic-auth password.
    pub password: String,
    /// Where its statements and auth file are.
    pub dir: PathBuf,
}

impl Lrs {
    /// Starts ralph on `port` (0: a free one) with its files in `dir` and fresh credentials
    /// (or those already in `dir/app/auth.json`: the user is `kru-` + random hex, so a
    /// restart on the same `dir` must pass the same ones; see [`Lrs::start_with`]).
    pub fn start(dir: &Path, port: u16) -> Result<Self> {
        let user = format!("kru-{}", random_hex(4)?);
        let password = random_hex(16)?;
        Self::start_with(dir, port, &user, &password)
    }

    /// Starts ralph with the given credentials.
    pub fn start_with(dir: &Path, port: u16, user: &str, password: &str) -> Result<Self> {
        Self::start_allowing(dir, port, user, password, &[])
    }

    /// Starts ralph with the given credentials, letting web apps served from `origins`
    /// (`http://host:port`, no path) call it from a browser (CORS).
    pub fn start_allowing(
        dir: &Path,
        port: u16,
        user: &str,
        password: &str,
        origins: &[String],
    ) -> Result<Self> {
        let port = if port == 0 { free_port()? } else { port };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let log = std::fs::File::create(dir.join("server.log"))
            .map_err(|e| format!("cannot write {}/server.log: {e}", dir.display()))?;
        let child = Command::new(python())
            .arg(root_path("scripts/ralph_lrs.py"))
            .arg("--dir")
            .arg(dir)
            .args([
                "--port",
                &port.to_string(),
                "--user",
                user,
                "--password",
                password,
            ])
            .args(origins.iter().flat_map(|o| ["--cors-origin", o.as_str()]))
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start ralph ({}): {e}", python().display()))?;
        let mut lrs = Lrs {
            child,
            url: format!("http://127.0.0.1:{port}/xAPI/"),
            user: user.to_owned(),
            password: password.to_owned(),
            dir: dir.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(lrs);
            }
            if let Ok(Some(status)) = lrs.child.try_wait() {
                let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                bail!("ralph exited ({status}) before listening:\n{log}");
            }
            if Instant::now() > deadline {
                bail!("ralph did not listen on port {port} within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the server exits (Ctrl-C).
    pub fn wait(mut self) -> Result {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        println!("ralph exited: {status}");
        Ok(())
    }
}

impl Drop for Lrs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cargo xtask lrs [--port N] [--dir DIR] [--cors-origin ORIGIN]…`.
pub fn main(args: &[String]) -> Result {
    let mut port = 0u16;
    let mut origins = Vec::new();
    let mut dir = target_dir().join("lrs").join("try");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("lrs: --port takes a number")?
            }
            "--dir" => dir = PathBuf::from(it.next().ok_or("lrs: --dir takes a folder")?),
            "--cors-origin" => origins.push(
                it.next()
                    .ok_or("lrs: --cors-origin takes an origin such as http://127.0.0.1:8080")?
                    .clone(),
            ),
            other => bail!("lrs: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    install()?;
    // A fresh folder each time, so that the printed credentials are the ones in force.
    let _ = std::fs::remove_dir_all(&dir);
    let user = format!("kru-{}", random_hex(4)?);
    let lrs = Lrs::start_allowing(&dir, port, &user, &random_hex(16)?, &origins)?;
    println!(
        "\nralph (xAPI 1.0.3) is listening; statements in {}/data/fs_lrs.jsonl\n\n  \
         URL       {}\n  user      {}\n  password  {}\n\nTry:\n  \
         export KRU_LRS_URL={} KRU_LRS_USER={} KRU_LRS_PASSWORD={}\n  \
         kru simulate --learners 50 -o /tmp/c.krulog && kru sync /tmp/c.krulog && kru report --lrs $KRU_LRS_URL\n\n\
         Ctrl-C stops it.",
        display_path(&lrs.dir),
        lrs.url,
        lrs.user,
        lrs.password,
        lrs.url,
        lrs.user,
        lrs.password
    );
    lrs.wait()
}

/// The `lrs` test step: install ralph, then the CLI's tests against it.
pub fn test_step() -> Result {
    let python = install()?;
    Cmd::cargo()
        .args(["test", "-p", "kru-cli", "--test", "lrs", "--", "--ignored"])
        .args(["--test-threads", "2"])
        .env("KRU_RALPH_PYTHON", python)
        .run()
}

/// The `web-lrs` test step: the demo served here (the site `target/site/`, rebuilt first: what
/// users get), a fresh ralph allowing its origin, and the outbox's browser test
/// (`web-demo/tests/outbox-lrs.mjs`, not picked up by `web-e2e`: it needs the LRS) with
/// `KRU_DEMO_URL`, `KRU_SITE`, `KRU_LRS_URL`, `KRU_LRS_USER`, `KRU_LRS_PASSWORD`.
pub fn web_test_step() -> Result {
    install()?;
    let site_dir = crate::site::build()?;
    let mut site = crate::serve::Site::new(&site_dir);
    site.log = false;
    let (addr, _server) = crate::serve::start(site, 0)?;
    let origin = format!("http://{addr}");
    let dir = target_dir().join("lrs").join("web");
    let _ = std::fs::remove_dir_all(&dir);
    let user = format!("kru-{}", random_hex(4)?);
    let lrs = Lrs::start_allowing(
        &dir,
        0,
        &user,
        &random_hex(16)?,
        std::slice::from_ref(&origin),
    )?;
    println!(
        "serving the demo on {origin}/, ralph on {} (allowing {origin})",
        lrs.url
    );
    let test = crate::util::require("web-demo/tests/outbox-lrs.mjs")?;
    Cmd::new("node")
        .env(
            "NODE_PATH",
            root_path(crate::setup::TOOLS_JS).join("node_modules"),
        )
        .env("KRU_ROOT", crate::util::root())
        .env("KRU_CHROMIUM", crate::test::CHROMIUM)
        .env("KRU_DEMO_URL", format!("{origin}/"))
        .env("KRU_SITE", &site_dir)
        .env("KRU_LRS_URL", &lrs.url)
        .env("KRU_LRS_USER", &lrs.user)
        .env("KRU_LRS_PASSWORD", &lrs.password)
        .arg("--test")
        .arg(display_path(&test))
        .run()
}

/// Options of `cargo xtask lrs-load`.
struct Load {
    devices: u32,
    learners: u32,
    journey: String,
}

/// `cargo xtask lrs-load [--devices N] [--learners N] [--journey J]`: N devices, each with its
/// own results log of simulated learners, run `kru sync` at the same time against one fresh
/// ralph; then checks that the LRS holds every planned statement exactly once and prints the
/// statements per second.
pub fn load_main(args: &[String]) -> Result {
    let mut o = Load {
        devices: 50,
        learners: 200,
        journey: "kiosk".into(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |what: &str| -> Result<u32> {
            it.next()
                .and_then(|n| n.parse().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("lrs-load: {what} takes a positive number").into())
        };
        match a.as_str() {
            "--devices" => o.devices = number("--devices")?,
            "--learners" => o.learners = number("--learners")?,
            "--journey" => {
                o.journey = it
                    .next()
                    .ok_or("lrs-load: --journey takes a journey id")?
                    .clone()
            }
            other => bail!("lrs-load: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    install()?;
    // A debug build: the time goes to the LRS, not to kru.
    Cmd::cargo().args(["build", "-p", "kru-cli"]).run()?;
    let kru = target_dir().join("debug").join("kru");
    let dir = target_dir().join("lrs").join("load");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    // One log per device; the seed differs per device, so do the record ids.
    let mut logs = Vec::new();
    for d in 0..o.devices {
        let log = dir.join(format!("device-{d:03}.krulog"));
        let out = Command::new(&kru)
            .args(["simulate", "--journey", &o.journey, "--dropout", "0.2"])
            .args(["--learners", &o.learners.to_string()])
            .args(["--seed", &(1000 + d).to_string(), "-o"])
            .arg(&log)
            .output()
            .map_err(|e| format!("cannot run kru: {e}"))?;
        if !out.status.success() {
            bail!("kru simulate: {}", String::from_utf8_lossy(&out.stderr));
        }
        logs.push(log);
    }
    let lrs = Lrs::start(&dir.join("lrs"), 0)?;
    // What every device will send.
    let mut planned = std::collections::HashSet::new();
    for log in &logs {
        let out = Command::new(&kru)
            .args(["sync", "--dry-run", "--lrs", &lrs.url])
            .arg(log)
            .output()
            .map_err(|e| format!("cannot run kru: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        for line in text.lines() {
            // Pretty JSON: each statement's id is the first `"id"` line at 4 spaces of indent.
            if let Some(id) = line.strip_prefix("    \"id\": \"") {
                planned.insert(id.trim_end_matches(['"', ',']).to_owned());
            }
        }
    }
    println!(
        "{} devices × {} learners ({}): {} statements to send to {}",
        o.devices,
        o.learners,
        o.journey,
        planned.len(),
        lrs.url
    );
    let t = Instant::now();
    let cpu_before = children_cpu_seconds();
    let children: Vec<(PathBuf, Child)> = logs
        .iter()
        .map(|log| {
            Command::new(&kru)
                .args([
                    "sync",
                    "--lrs",
                    &lrs.url,
                    "--retries",
                    "8",
                    "--timeout",
                    "120",
                ])
                .arg(log)
                .env("KRU_LRS_USER", &lrs.user)
                .env("KRU_LRS_PASSWORD", &lrs.password)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .map(|c| (log.clone(), c))
                .map_err(|e| format!("cannot run kru sync: {e}").into())
        })
        .collect::<Result<_>>()?;
    let mut failed = Vec::new();
    for (log, child) in children {
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            failed.push(format!(
                "{}: {}\n{}",
                display_path(&log),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let elapsed = t.elapsed();
    let kru_cpu = children_cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    // Count what ralph stored with its own Python (xtask has no JSON parser).
    let planned_file = dir.join("planned-ids.txt");
    let mut sorted: Vec<&String> = planned.iter().collect();
    sorted.sort();
    let list: String = sorted.iter().map(|id| format!("{id}\n")).collect();
    std::fs::write(&planned_file, list).map_err(|e| e.to_string())?;
    let count = Cmd::new(python())
        .args([
            "-c",
            "import json,sys\n\
             ids=[json.loads(l)['id'] for l in open(sys.argv[1]) if l.strip()]\n\
             want=set(open(sys.argv[2]).read().split())\n\
             print(len(ids), len(want-set(ids)), len(ids)-len(set(ids)))",
        ])
        .arg(lrs.dir.join("data/fs_lrs.jsonl"))
        .arg(&planned_file)
        .read()?;
    let nums: Vec<usize> = count
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [stored, lost, duplicated] = nums[..] else {
        bail!("lrs-load: cannot count the stored statements: {count}");
    };
    let secs = elapsed.as_secs_f64();
    println!(
        "\nlrs-load: {} devices synced at once in {secs:.1} s: {} statements stored, {:.0} statements/s \
         (ralph 5.1.0, file backend, one uvicorn worker); lost {lost}, duplicated {duplicated}, failed syncs {}",
        o.devices,
        stored,
        stored as f64 / secs,
        failed.len()
    );
    if let Some(cpu) = kru_cpu {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!(
            "lrs-load: kru sync used {cpu:.1} CPU-seconds in all: {:.1} % of the machine's {cores} \
             cores over the run ({:.2} ms of CPU per statement); the rest is ralph and waiting",
            100.0 * cpu / (secs * cores as f64),
            1000.0 * cpu / stored.max(1) as f64
        );
    }
    for f in &failed {
        println!("  {f}");
    }
    if lost > 0 || duplicated > 0 || !failed.is_empty() || stored != planned.len() {
        bail!("lrs-load: the LRS does not hold each planned statement exactly once");
    }
    Ok(())
}

/// CPU time (user + system, in seconds) of this process's children that have been waited
/// for: fields 16 and 17 of `/proc/self/stat`, in clock ticks of 1/100 s (Linux's `USER_HZ`).
/// `None` where `/proc` is not there.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3, so field n is at index n - 3.
    let cutime: f64 = fields.get(13)?.parse().ok()?;
    let cstime: f64 = fields.get(14)?.parse().ok()?;
    Some((cutime + cstime) / 100.0)
}
