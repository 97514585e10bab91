//! `kru preview DIR`: the pack running in the web app, rebuilt seconds after a file is saved,
//! with the validator's messages on the page. No cargo, no signing keys: the web app and the
//! WebAssembly engine are inside the `kru` binary (embedded at build time when
//! `bindings-wasm/pkg/` was built, see `build.rs`), or read from `--web DIR` / `KRU_WEB_DIR`
//! (a folder with the web app's files and its `pkg/`).
//!
//! The server listens on 127.0.0.1 only. It serves the web app with `?preview=1`, which makes
//! it load `preview/pack.krupack` (unsigned, so a real device's trust policy refuses it),
//! show a PREVIEW banner and the validator's messages (`preview.js`, served from here), and
//! never write a results log, a snapshot or the outbox. A poll of the sources' modification
//! times (every 0.5 s, no watcher dependency) rebuilds the pack; the page polls
//! `preview/status.json` and reloads when a new build is ready.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use kru_core::authoring::{Diagnostic, Severity};
use kru_core::pack::Date;
use serde::Serialize;

use crate::authoring_cmds::Sources;
use crate::util::{now_ms, CliResult};

mod assets {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// The page's script for preview mode (banner, messages, reload on a new build).
const PREVIEW_JS: &str = include_str!("preview.js");

/// How often the sources are checked for changes.
const POLL: Duration = Duration::from_millis(500);

/// The largest request head read.
const MAX_REQUEST_HEAD: usize = 8 * 1024;

/// The sources of a preview: a pack source folder, or a workbook (`.xlsx`, `.ods`).
#[derive(Debug, Clone)]
pub enum Source {
    /// A pack source folder (with `pack.toml`).
    Folder(PathBuf),
    /// A pack as a workbook (`.xlsx`, `.ods`).
    Workbook(PathBuf),
}

impl Source {
    /// What `kru preview PATH` previews.
    pub fn of(path: &Path) -> CliResult<Source> {
        if path.is_dir() {
            return Ok(Source::Folder(path.to_path_buf()));
        }
        match path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .as_deref()
        {
            Some("xlsx" | "ods") => Ok(Source::Workbook(path.to_path_buf())),
            _ => Err(format!(
                "{}: give a pack source folder (with pack.toml) or a workbook (.xlsx, .ods)",
                path.display()
            )),
        }
    }

    /// The sources to compile: the folder's files and media, or the workbook's sheets read
    /// through `kru-workbook` (errors at their cell).
    pub fn load(&self) -> CliResult<Sources> {
        match self {
            Source::Folder(p) | Source::Workbook(p) => Sources::load(p),
        }
    }

    /// Every file whose change means a rebuild, with its modification time and length.
    fn stamp(&self) -> BTreeMap<PathBuf, (Option<SystemTime>, u64)> {
        let mut out = BTreeMap::new();
        let mut stack = vec![match self {
            Source::Folder(d) => d.clone(),
            Source::Workbook(p) => p.clone(),
        }];
        while let Some(p) = stack.pop() {
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if meta.is_dir() {
                if let Ok(rd) = std::fs::read_dir(&p) {
                    stack.extend(rd.flatten().map(|e| e.path()));
                }
            } else {
                out.insert(p, (meta.modified().ok(), meta.len()));
            }
        }
        out
    }
}

/// One diagnostic, for the page.
#[derive(Serialize, Clone)]
struct Message {
    severity: &'static str,
    code: &'static str,
    place: String,
    message: String,
    help: String,
    text: String,
}

impl Message {
    /// A diagnostic placed in its sources (`items.toml:12`, or `items!D14` in a workbook).
    fn new(d: &Diagnostic, sources: &Sources) -> Self {
        Message {
            severity: d.severity.name(),
            code: d.code,
            place: sources.place(d),
            message: d.message.clone(),
            help: d.help.clone(),
            text: sources.show(d),
        }
    }
}

/// What the page polls.
#[derive(Serialize, Clone, Default)]
struct Status {
    /// Counts the builds that produced a pack: the page reloads when it changes.
    build: u64,
    /// Counts every check of the sources (with or without a pack).
    checked: u64,
    /// Whether the last check gave a pack (no errors).
    ok: bool,
    errors: usize,
    warnings: usize,
    /// When the last check ran (Unix ms).
    at: i64,
    messages: Vec<Message>,
}

#[derive(Default)]
struct State {
    status: Status,
    /// The last pack that compiled, unsigned.
    pack: Option<Arc<Vec<u8>>>,
}

/// Compiles the sources into the state, printing a one-line summary and the messages.
fn rebuild(source: &Source, state: &Mutex<State>) {
    let today = Date::from_unix_ms(now_ms());
    let (messages, pack, errors, warnings) = match source.load() {
        Err(e) => (
            vec![Message {
                severity: "error",
                code: "cannot-read",
                place: String::new(),
                message: e.clone(),
                help: String::new(),
                text: format!("error: {e}"),
            }],
            None,
            1,
            0,
        ),
        Ok(sources) => {
            let c = sources.compile(Some(today));
            let errors = c
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let pack = c
                .pack
                .as_ref()
                .and_then(|p| kru_core::pack::format::encode(p).ok());
            (
                c.diagnostics
                    .iter()
                    .map(|d| Message::new(d, &sources))
                    .collect(),
                pack,
                errors,
                c.diagnostics.len() - errors,
            )
        }
    };
    for m in &messages {
        eprintln!("{}", m.text);
    }
    let Ok(mut s) = state.lock() else {
        return;
    };
    s.status.checked += 1;
    s.status.ok = pack.is_some();
    s.status.errors = errors;
    s.status.warnings = warnings;
    s.status.at = now_ms();
    s.status.messages = messages;
    if let Some(p) = pack {
        s.status.build += 1;
        s.pack = Some(Arc::new(p));
    }
    eprintln!(
        "kru preview: check {}: {errors} error(s), {warnings} warning(s){}",
        s.status.checked,
        if s.status.ok {
            format!(", build {} served", s.status.build)
        } else if s.pack.is_some() {
            ", the last good build stays on the page".to_string()
        } else {
            ", nothing to play yet".to_string()
        }
    );
}

/// Where the web app's files come from.
enum Web {
    Embedded,
    Dir(PathBuf),
}

impl Web {
    fn get(&self, path: &str) -> Option<Vec<u8>> {
        match self {
            Web::Embedded => assets::WEB
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, b)| b.to_vec()),
            Web::Dir(d) => {
                if path
                    .split('/')
                    .any(|c| c.is_empty() || c == "." || c == "..")
                {
                    return None;
                }
                std::fs::read(d.join(path)).ok()
            }
        }
    }

    fn has_engine(&self) -> bool {
        self.get("pkg/kru_wasm_bg.wasm").is_some() && self.get("index.html").is_some()
    }
}

/// `kru preview PATH`.
pub fn run(path: &Path, port: u16, web: Option<&Path>) -> CliResult<ExitCode> {
    let source = Source::of(path)?;
    // --web, then KRU_WEB_DIR, then the copy inside this binary, then a `kru-web` folder
    // next to it.
    let beside = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|p| p.join("kru-web")))
        .filter(|d| d.join("index.html").is_file());
    let web = match (web, std::env::var_os("KRU_WEB_DIR"), beside) {
        (Some(d), _, _) => Web::Dir(d.to_path_buf()),
        (None, Some(d), _) => Web::Dir(PathBuf::from(d)),
        (None, None, _) if assets::HAS_ENGINE => Web::Embedded,
        (None, None, Some(d)) => Web::Dir(d),
        (None, None, None) => Web::Embedded,
    };
    if !web.has_engine() {
        return Err(match web {
            Web::Embedded => "this kru was built without the web app's engine (bindings-wasm/pkg/ did not exist when it was built): build it with `cargo xtask test wasm-build` and rebuild kru, or give --web DIR (the web app with its pkg/ folder)".into(),
            Web::Dir(d) => format!("{} has no index.html and pkg/kru_wasm_bg.wasm: give the web app's folder with its pkg/", d.display()),
        });
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(&source, &state);
    {
        let (source, state) = (source.clone(), Arc::clone(&state));
        std::thread::spawn(move || {
            let mut last = source.stamp();
            loop {
                std::thread::sleep(POLL);
                let now = source.stamp();
                if now != last {
                    // Let an editor finish writing (several files, or write-then-rename).
                    std::thread::sleep(Duration::from_millis(150));
                    last = source.stamp();
                    rebuild(&source, &state);
                }
            }
        });
    }
    println!("kru preview: http://{addr}/?preview=1#/kiosk  (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    let web = Arc::new(web);
    for stream in listener.incoming().flatten() {
        let (state, web, source) = (Arc::clone(&state), Arc::clone(&web), source.clone());
        std::thread::spawn(move || {
            let _ = serve(stream, &state, &web, &source);
        });
    }
    Ok(ExitCode::SUCCESS)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ogg" => "audio/ogg",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// Answers one connection (one request; the connection is closed after it).
fn serve(
    stream: TcpStream,
    state: &Mutex<State>,
    web: &Web,
    source: &Source,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(MAX_REQUEST_HEAD as u64));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Read (and drop) the rest of the head.
    let mut h = String::new();
    while reader.read_line(&mut h)? > 2 {
        h.clear();
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = path.trim_start_matches('/');
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(&mut out, 405, "text/plain", b"GET only", method == "HEAD");
    }
    let head = method == "HEAD";
    match path {
        "" => match web.get("index.html") {
            Some(b) => respond(&mut out, 200, "text/html; charset=utf-8", &b, head),
            None => respond(&mut out, 404, "text/plain", b"no index.html", head),
        },
        "preview.js" => respond(
            &mut out,
            200,
            "text/javascript; charset=utf-8",
            PREVIEW_JS.as_bytes(),
            head,
        ),
        "preview/status.json" => {
            let body = state
                .lock()
                .ok()
                .and_then(|s| serde_json::to_vec(&s.status).ok())
                .unwrap_or_else(|| b"{}".to_vec());
            respond(&mut out, 200, "application/json", &body, head)
        }
        "preview/pack.krupack" => {
            let pack = state
                .lock()
                .ok()
                .and_then(|s| s.pack.clone().map(|p| (p, s.status.build)));
            match pack {
                Some((p, build)) => respond_with(
                    &mut out,
                    200,
                    "application/octet-stream",
                    &p,
                    head,
                    &format!("X-Kru-Build: {build}\r\n"),
                ),
                None => respond(&mut out, 404, "text/plain", b"the pack has errors", head),
            }
        }
        // No keys are trusted: the preview pack is unsigned and loads only in preview mode.
        "trusted-keys.json" => respond(&mut out, 200, "application/json", b"{\"keys\":[]}", head),
        // No service worker: it would serve yesterday's pack from its cache.
        "sw.js" => respond(
            &mut out,
            404,
            "text/plain",
            b"no service worker in preview",
            head,
        ),
        p => match media_of(p, source).or_else(|| web.get(p)) {
            Some(b) => respond(&mut out, 200, content_type(p), &b, head),
            None => respond(&mut out, 404, "text/plain", b"not found", head),
        },
    }
}

/// A media file of the pack: the web app asks for `media/<path>` (audio, images), with
/// `<path>` relative to the pack folder.
fn media_of(path: &str, source: &Source) -> Option<Vec<u8>> {
    let rel = path.strip_prefix("media/")?;
    if rel
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == ".." || c.contains('\\'))
    {
        return None;
    }
    match source {
        Source::Folder(dir) => std::fs::read(dir.join(rel)).ok(),
        Source::Workbook(_) => None,
    }
}

fn respond(
    out: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    respond_with(out, status, ctype, body, head_only, "")
}

fn respond_with(
    out: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head_only: bool,
    extra: &str,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    write!(
        out,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    )?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kru_core::authoring;
    use kru_workbook::Cell;

    /// The bundled pack as a workbook, with the answer of the first item's row replaced;
    /// returns the path and the answer column.
    fn bundled_workbook(name: &str, answer: Option<&str>) -> (PathBuf, usize) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
        let files = authoring::read_source_dir(&src).unwrap();
        let mut book = kru_workbook::to_book(&files).unwrap();
        let items = book.sheets.iter_mut().find(|s| s.name == "items").unwrap();
        let col = items.rows[0]
            .iter()
            .position(|c| c.as_text() == "answer")
            .unwrap();
        if let Some(a) = answer {
            items.rows[1][col] = Cell::Text(a.to_string());
        }
        let dir = std::env::temp_dir().join(format!("kru-preview-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, kru_workbook::write_xlsx(&book).unwrap()).unwrap();
        (path, col)
    }

    #[test]
    fn a_workbook_previews_like_its_folder() {
        let (path, _) = bundled_workbook("good.xlsx", None);
        let source = Source::of(&path).unwrap();
        assert!(matches!(source, Source::Workbook(_)));
        let sources = source.load().unwrap();
        assert!(sources.files.iter().any(|f| f.path == "items.toml"));
        let state = Mutex::new(State::default());
        rebuild(&source, &state);
        let s = state.lock().unwrap();
        assert!(
            s.status.ok,
            "{:?}",
            s.status.messages.first().map(|m| &m.text)
        );
        assert_eq!(s.status.errors, 0);
        assert_eq!(s.status.build, 1);
        // The served pack is the one the folder builds.
        let folder = authoring::compile(
            &authoring::read_source_dir(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration"),
            )
            .unwrap(),
            None,
        );
        let expected = kru_core::pack::format::encode(folder.pack.as_ref().unwrap()).unwrap();
        assert!(s.pack.as_deref() == Some(&expected));
    }

    #[test]
    fn a_workbook_error_is_shown_at_its_cell() {
        let (path, col) = bundled_workbook("bad.xlsx", Some("check-frist"));
        let source = Source::of(&path).unwrap();
        let state = Mutex::new(State::default());
        rebuild(&source, &state);
        let s = state.lock().unwrap();
        assert!(!s.status.ok);
        assert!(s.pack.is_none());
        let at = format!("items!{}2", kru_workbook::column_name(col));
        let m = s
            .status
            .messages
            .iter()
            .find(|m| m.message.contains("check-frist"))
            .unwrap_or_else(|| panic!("no message about the answer: {:#?}", s.status.errors));
        assert_eq!(m.place, at);
        assert!(m.text.contains(&format!("{at}: ")), "{}", m.text);
    }

    #[test]
    fn a_damaged_workbook_is_one_message() {
        let dir = std::env::temp_dir().join(format!("kru-preview-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("broken.xlsx");
        std::fs::write(&path, b"PK\x03\x04 not a zip").unwrap();
        let state = Mutex::new(State::default());
        rebuild(&Source::of(&path).unwrap(), &state);
        let s = state.lock().unwrap();
        assert_eq!(s.status.errors, 1);
        assert!(
            s.status.messages[0]
                .message
                .contains("not a readable workbook"),
            "{}",
            s.status.messages[0].message
        );
    }
}
