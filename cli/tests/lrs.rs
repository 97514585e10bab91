//! `kru sync`, `kru report --lrs` and `kru export --lrs` against a real LRS: ralph 5.1.0
//! (xAPI 1.0.3, which validates every statement), started, killed and restarted here.
//!
//! These tests need ralph's Python: `cargo xtask test lrs` installs it and sets
//! `KRU_RALPH_PYTHON`; by hand, `cargo xtask lrs` installs it too, then
//! `KRU_RALPH_PYTHON=target/lrs/venv/bin/python cargo test -p kru-cli --test lrs -- --ignored`.
//! Broken answers (HTML, garbage, silence) come from a small TCP server in this file: ralph
//! cannot be made to give them.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn kru(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kru"))
        .args(args)
        .env_remove("KRU_LRS_URL")
        .env_remove("KRU_LRS_USER")
        .env_remove("KRU_LRS_PASSWORD")
        .env_remove("KRU_HOME_PAGE")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run kru")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn tmp_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("lrs-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A ralph server on a port of its own, its files in `dir`.
struct Ralph {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

const USER: &str = "kru-test";
const PASSWORD: &str = "s3cret-for-tests";

impl Ralph {
    fn start(dir: &Path) -> Self {
        let mut r = Ralph {
            child: None,
            port: free_port(),
            dir: dir.join("lrs"),
        };
        r.restart();
        r
    }

    fn restart(&mut self) {
        assert!(self.child.is_none());
        let python = std::env::var("KRU_RALPH_PYTHON")
            .expect("KRU_RALPH_PYTHON: the Python of ralph's venv (cargo xtask test lrs sets it)");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/ralph_lrs.py");
        std::fs::create_dir_all(&self.dir).unwrap();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .unwrap();
        let mut child = Command::new(python)
            .arg(script)
            .arg("--dir")
            .arg(&self.dir)
            .args(["--port", &self.port.to_string()])
            .args(["--user", USER, "--password", PASSWORD])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start ralph");
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(s)) = child.try_wait() {
                panic!(
                    "ralph exited ({s}):\n{}",
                    std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "ralph did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        self.child = Some(child);
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// The ids of the statements ralph stored (its file, line by line).
    fn stored_ids(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.dir.join("data/fs_lrs.jsonl")).unwrap_or_default();
        text.lines()
            .map(|l| {
                let v: serde_json::Value =
                    serde_json::from_str(l).expect("ralph's file is JSON lines");
                v["id"].as_str().unwrap().to_owned()
            })
            .collect()
    }

    fn stored(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.dir.join("data/fs_lrs.jsonl")).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Ralph {
    fn drop(&mut self) {
        self.kill();
    }
}

fn login() -> [(&'static str, &'static str); 2] {
    [("KRU_LRS_USER", USER), ("KRU_LRS_PASSWORD", PASSWORD)]
}

fn simulate(log: &Path, journey: &str, learners: u32, seed: u32) {
    let o = kru(
        &[
            "simulate",
            "--learners",
            &learners.to_string(),
            "--journey",
            journey,
            "--seed",
            &seed.to_string(),
            "--dropout",
            "0.3",
            "-o",
            log.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The statements `kru sync --dry-run` would send.
fn dry_run(logs: &[&Path], url: &str) -> Vec<serde_json::Value> {
    let mut args = vec!["sync", "--dry-run", "--lrs", url];
    args.extend(logs.iter().map(|l| l.to_str().unwrap()));
    let o = kru(&args, &login());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array().unwrap().clone()
}

fn sync(logs: &[&Path], url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["sync", "--lrs", url];
    args.extend(extra);
    args.extend(logs.iter().map(|l| l.to_str().unwrap()));
    kru(&args, &login())
}

fn state_file(log: &Path) -> PathBuf {
    PathBuf::from(format!("{}.xapi-sent", log.display()))
}

fn assert_unique(ids: &[String]) {
    let set: HashSet<&String> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "duplicate statements stored");
}

#[test]
#[ignore = "needs ralph: run `cargo xtask test lrs`"]
fn every_statement_kind_is_accepted_and_sending_again_adds_nothing() {
    let d = tmp_dir("kinds");
    let lrs = Ralph::start(&d);
    let (school, kiosk) = (d.join("school.krulog"), d.join("kiosk.krulog"));
    simulate(&school, "school", 40, 1);
    simulate(&kiosk, "kiosk", 30, 2);
    let planned = dry_run(&[&school, &kiosk], &lrs.url());
    assert!(!state_file(&school).exists(), "a dry run marks nothing");

    let o = sync(&[&school, &kiosk], &lrs.url(), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("70 record(s) sent"), "{}", stderr(&o));
    let ids = lrs.stored_ids();
    assert_eq!(ids.len(), planned.len());
    assert_unique(&ids);
    // ralph validated and stored every kind of statement the profile has.
    let stored = lrs.stored();
    let kinds: HashSet<String> = stored
        .iter()
        .map(|s| {
            let t = s["object"]["definition"]["interactionType"]
                .as_str()
                .unwrap_or("-");
            format!("{} {t}", s["verb"]["id"].as_str().unwrap())
        })
        .collect();
    for k in [
        "http://adlnet.gov/expapi/verbs/attempted -",
        "http://adlnet.gov/expapi/verbs/completed -",
        "https://w3id.org/xapi/adl/verbs/abandoned -",
        "http://adlnet.gov/expapi/verbs/answered choice",
        "http://adlnet.gov/expapi/verbs/answered true-false",
        "http://adlnet.gov/expapi/verbs/answered sequencing",
        "http://adlnet.gov/expapi/verbs/answered matching",
        "http://adlnet.gov/expapi/verbs/answered fill-in",
        "http://adlnet.gov/expapi/verbs/answered numeric",
        "http://adlnet.gov/expapi/verbs/answered likert",
    ] {
        assert!(kinds.contains(k), "{k} not stored: {kinds:?}");
    }

    // Again: nothing new to send.
    let o = sync(&[&school, &kiosk], &lrs.url(), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("sending 0"), "{}", stderr(&o));
    assert_eq!(lrs.stored_ids().len(), planned.len());

    // Without the bookkeeping (a new device copied the log): the LRS keeps no duplicates.
    std::fs::remove_file(state_file(&school)).unwrap();
    let o = sync(&[&school], &lrs.url(), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("40 already there"), "{}", stderr(&o));
    let ids = lrs.stored_ids();
    assert_eq!(ids.len(), planned.len());
    assert_unique(&ids);
}

#[test]
#[ignore = "needs ralph: run `cargo xtask test lrs`"]
fn wrong_credentials_are_a_clear_error_and_nothing_is_marked_sent() {
    let d = tmp_dir("auth");
    let lrs = Ralph::start(&d);
    let log = d.join("c.krulog");
    simulate(&log, "kiosk", 5, 3);
    let o = kru(
        &["sync", "--lrs", &lrs.url(), log.to_str().unwrap()],
        &[("KRU_LRS_USER", USER), ("KRU_LRS_PASSWORD", "wrong")],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("HTTP 401"), "{e}");
    assert!(e.contains("Invalid authentication credentials"), "{e}");
    assert!(!state_file(&log).exists());
    assert!(lrs.stored_ids().is_empty());
    // Reading with wrong credentials is the same clear error.
    let o = kru(
        &[
            "report",
            "--lrs",
            &lrs.url(),
            "--password",
            "wrong",
            "--user",
            USER,
        ],
        &[],
    );
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("HTTP 401"), "{}", stderr(&o));
}

#[test]
#[ignore = "needs ralph: run `cargo xtask test lrs`"]
fn an_unreachable_lrs_leaves_everything_queued() {
    let d = tmp_dir("unreachable");
    let log = d.join("c.krulog");
    simulate(&log, "kiosk", 8, 4);
    let nobody = format!("http://127.0.0.1:{}/xAPI/", free_port());
    let o = sync(&[&log], &nobody, &["--retries", "1"]);
    assert_eq!(code(&o), 75, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("8 record(s) stay queued"),
        "{}",
        stderr(&o)
    );
    assert!(!state_file(&log).exists());
    // Once an LRS is there, everything goes.
    let lrs = Ralph::start(&d);
    let o = sync(&[&log], &lrs.url(), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("8 record(s) sent"), "{}", stderr(&o));
}

#[test]
#[ignore = "needs ralph: run `cargo xtask test lrs`"]
fn an_lrs_killed_in_the_middle_loses_and_duplicates_nothing_and_reports_agree() {
    let d = tmp_dir("killed");
    let mut lrs = Ralph::start(&d);
    let log = d.join("cohort.krulog");
    simulate(&log, "school", 120, 5);
    let planned = dry_run(&[&log], &lrs.url());

    // Small batches, so that the LRS dies with most of the cohort unsent.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kru"))
        .args([
            "sync",
            "--lrs",
            &lrs.url(),
            "--batch",
            "100",
            "--retries",
            "2",
        ])
        .arg(&log)
        .envs(login())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !state_file(&log).exists() {
        assert!(Instant::now() < deadline, "no batch acknowledged");
        assert!(child.try_wait().unwrap().is_none(), "sync ended too early");
        std::thread::sleep(Duration::from_millis(5));
    }
    lrs.kill();
    let out = child.wait_with_output().unwrap();
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(75), "{e}");
    assert!(e.contains("stay queued"), "{e}");
    let before = lrs.stored_ids().len();
    assert!(
        before > 0 && before < planned.len(),
        "{before} of {}",
        planned.len()
    );

    lrs.restart();
    let o = sync(&[&log], &lrs.url(), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ids = lrs.stored_ids();
    assert_unique(&ids);
    let want: HashSet<String> = planned
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let got: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(got, want, "0 lost, 0 duplicated");

    // Another tool's statement in the same LRS is counted and skipped.
    let foreign = r#"[{"actor":{"mbox":"mailto:x@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/video/1"}}]"#;
    post_raw(lrs.port, foreign);

    // The report from the LRS is the report from the log, byte for byte, in every format.
    for format in ["json", "csv", "html"] {
        let a = kru(&["report", log.to_str().unwrap(), "--format", format], &[]);
        let b = kru(
            &["report", "--lrs", &lrs.url(), "--format", format],
            &login(),
        );
        assert!(a.status.success() && b.status.success(), "{}", stderr(&b));
        assert!(a.stdout == b.stdout, "{format} reports differ");
        assert!(
            stderr(&b).contains("1 statement(s) of other tools: skipped"),
            "{}",
            stderr(&b)
        );
    }
    let by = kru(&["report", log.to_str().unwrap(), "--by", "sex"], &[]);
    let by_lrs = kru(&["report", "--lrs", &lrs.url(), "--by", "sex"], &login());
    assert!(by.stdout == by_lrs.stdout);
    let a = kru(&["export", log.to_str().unwrap()], &[]);
    let b = kru(&["export", "--lrs", &lrs.url()], &login());
    assert!(a.stdout == b.stdout, "exports differ: {}", stderr(&b));
    // --since: sessions from a later date only.
    let o = kru(
        &["report", "--lrs", &lrs.url(), "--since", "2099-01-01"],
        &login(),
    );
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["records"]["accepted"], 0);
}

/// POSTs raw statements to ralph with the test credentials (HTTP/1.1 by hand).
fn post_raw(port: u16, body: &str) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let auth = "a3J1LXRlc3Q6czNjcmV0LWZvci10ZXN0cw=="; // kru-test:s3cret-for-tests
    write!(
        s,
        "POST /xAPI/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n\
         X-Experience-API-Version: 1.0.3\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// A broken "LRS": answers every request with `answer` (or, when `None`, reads the request
/// and says nothing until the client gives up).
fn broken_server(answer: Option<&'static str>) -> (u16, std::thread::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        l.set_nonblocking(false).unwrap();
        for _ in 0..8 {
            let Ok((mut s, _)) = l.accept() else { return };
            let mut buf = [0u8; 65536];
            let _ = s.set_read_timeout(Some(Duration::from_millis(300)));
            let _ = s.read(&mut buf);
            match answer {
                Some(a) => {
                    let _ = write!(s, "HTTP/1.1 {a}\r\nConnection: close\r\n\r\n");
                }
                None => std::thread::sleep(Duration::from_secs(3)),
            }
        }
    });
    (port, h)
}

#[test]
#[ignore = "needs ralph: run `cargo xtask test lrs`"]
fn broken_answers_are_clear_errors_and_lose_nothing() {
    let d = tmp_dir("broken");
    let log = d.join("c.krulog");
    simulate(&log, "kiosk", 4, 6);
    let cases: [(Option<&'static str>, i32, &str); 4] = [
        (
            Some("200 OK\r\nContent-Type: text/html\r\nContent-Length: 32\r\n\r\n<html><body>Welcome</body></html"),
            1,
            "not as xAPI says",
        ),
        (
            Some("200 OK\r\nContent-Length: 9\r\n\r\n[\"a\", 12"),
            1,
            "expected a JSON list of statement ids",
        ),
        (
            Some("502 Bad Gateway\r\nContent-Length: 15\r\n\r\n<h1>proxy</h1>\n"),
            75,
            "HTTP 502",
        ),
        (None, 75, "did not answer within 1 s"),
    ];
    for (answer, want, says) in cases {
        let (port, _server) = broken_server(answer);
        let url = format!("http://127.0.0.1:{port}/xAPI/");
        let o = sync(&[&log], &url, &["--retries", "1", "--timeout", "1"]);
        assert_eq!(code(&o), want, "{answer:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{answer:?}: {}", stderr(&o));
        assert!(!state_file(&log).exists(), "nothing marked sent");
        assert!(!stderr(&o).contains("panicked"));
    }
    // Reading a page that is not statements.
    let (port, _server) = broken_server(Some(
        "200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
    ));
    let o = kru(
        &["report", "--lrs", &format!("http://127.0.0.1:{port}/xAPI/")],
        &login(),
    );
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("not a page of xAPI statements"),
        "{}",
        stderr(&o)
    );
}
