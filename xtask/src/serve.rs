//! `cargo xtask serve [--port N] [--src | --dir DIR]`: a tiny static HTTP server (std only).
//!
//! Serves the deployable site `target/site/` on `http://127.0.0.1:8080/`, rebuilt first from
//! the current sources (`cargo xtask site`: the app's JS and CSS minified, the engine, packs
//! and media copied; [`crate::site`]), so what a browser gets here is what users get.
//! `--src` serves the sources instead, unminified: `web-demo/` at `/`, `bindings-wasm/pkg/`
//! (the browser package built by `cargo xtask wasm`) at `/pkg/` and the demo pack's folder at
//! `/media/`. `--dir DIR` serves DIR alone.
//!
//! - binds to 127.0.0.1 only; one thread per connection; HTTP/1.1 keep-alive; GET and HEAD;
//! - MIME types for the files the demo uses, including `application/wasm` (needed by
//!   `WebAssembly.instantiateStreaming`) and `.krupack` as `application/octet-stream`;
//! - `Cache-Control: no-cache` on every response, so a rebuilt package is picked up on reload,
//!   with validators that make the revalidation cheap: a strong `ETag` (a hash of the bytes
//!   sent, one per encoding) and `Last-Modified` (the file's time), answered with
//!   `304 Not Modified` and no body on a matching `If-None-Match` (or, without one, an
//!   `If-Modified-Since` not older than the file);
//! - compressed answers for text, JS, JSON, SVG, WASM and packs when the request accepts them
//!   (`Accept-Encoding`; brotli preferred, then gzip, with `Vary: Accept-Encoding`): a
//!   precompressed sibling `FILE.br` / `FILE.gz` no older than the file is sent as it is
//!   (what `cargo xtask wasm` writes for the browser package, see [`precompress`]),
//!   otherwise the file is compressed once (brotli quality 11, gzip 9) and kept in memory
//!   until it changes;
//! - a pack (`FILE.krupack`) that goes out compressed is taken from its sibling
//!   `FILE.krupack.nolz4` when there is one no older than it: the same pack with its payload
//!   stored without LZ4 (`kru build --no-lz4`), which gzip and brotli shrink further than the
//!   LZ4 file (the app loads either; the signature covers both the same way);
//! - refuses `..` segments, backslashes, NUL and anything that resolves (through symlinks)
//!   outside the served folder.
//!
//! Once listening it prints `listening on http://127.0.0.1:PORT/` (and flushes), so a test can
//! start it as a subprocess with `--port 0` and read the port from that line.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::bail;
use crate::util::{display_path, require, root_path, Result};

/// The demo's port.
pub const DEFAULT_PORT: u16 = 8080;
/// Longest accepted request head.
const MAX_HEAD: usize = 16 * 1024;
/// How long an idle keep-alive connection is kept.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);

/// What to serve: URL prefixes mapped to folders, longest prefix first.
#[derive(Debug, Clone)]
pub struct Site {
    mounts: Vec<(String, PathBuf)>,
    /// Print one line per request.
    pub log: bool,
    /// Files compressed on demand: (file, encoding) → (file's length and time, bytes).
    compressed: Arc<Mutex<HashMap<(PathBuf, Encoding), CachedBody>>>,
}

/// A compressed body kept in memory with the length and time of the file it was made from.
type CachedBody = ((u64, SystemTime), Arc<Vec<u8>>);

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// brotli (`br`).
    Brotli,
    /// gzip.
    Gzip,
}

impl Encoding {
    /// The `Content-Encoding` token.
    fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// The extension of a precompressed sibling file.
    fn extension(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gz",
        }
    }

    /// Compresses `data` (brotli quality 11, gzip level 9: what `cargo xtask size` reports).
    pub fn compress(self, data: &[u8]) -> Vec<u8> {
        match self {
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 11,
                    lgwin: 22,
                    ..Default::default()
                };
                let mut out = Vec::new();
                // Writing to a Vec cannot fail.
                let _ = brotli::BrotliCompress(&mut &data[..], &mut out, &params);
                out
            }
            Encoding::Gzip => {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
                let _ = gz.write_all(data);
                gz.finish().unwrap_or_default()
            }
        }
    }
}

/// The encoding to send for a request's `Accept-Encoding` value: brotli if accepted, else
/// gzip, else none (a coding with `q=0` is not accepted).
pub fn negotiate(accept_encoding: &str) -> Option<Encoding> {
    let accepted = |name: &str| {
        accept_encoding.split(',').any(|part| {
            let mut fields = part.split(';');
            let coding = fields.next().unwrap_or("").trim();
            let refused = fields.any(|f| {
                f.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if accepted("br") {
        Some(Encoding::Brotli)
    } else if accepted("gzip") {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

/// Whether files of this Content-Type are worth compressing (images and fonts already are).
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || matches!(
            content_type,
            "application/json"
                | "application/manifest+json"
                | "application/wasm"
                | "application/xml"
                | "image/svg+xml"
                | "application/octet-stream"
        )
}

/// Writes `FILE.br` and `FILE.gz` beside each of `files` (what the server sends as it is).
pub fn precompress(files: &[PathBuf]) -> Result {
    for file in files {
        let data =
            std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for encoding in [Encoding::Brotli, Encoding::Gzip] {
            let out = sibling(file, encoding);
            std::fs::write(&out, encoding.compress(&data))
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
    }
    Ok(())
}

/// `FILE.br` or `FILE.gz`.
fn sibling(file: &Path, encoding: Encoding) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(encoding.extension());
    PathBuf::from(name)
}

impl Site {
    /// A site serving `dir` at `/`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Site {
            mounts: vec![("/".to_owned(), dir.into())],
            log: true,
            compressed: Arc::default(),
        }
    }

    /// Also serves `dir` under `prefix` (which must start and end with `/`).
    pub fn mount(mut self, prefix: &str, dir: impl Into<PathBuf>) -> Self {
        self.mounts.push((prefix.to_owned(), dir.into()));
        self.mounts.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        self
    }

    /// The folder and the path inside it for a decoded URL path.
    fn locate<'a>(&'a self, path: &'a str) -> Option<(&'a Path, &'a str)> {
        self.mounts.iter().find_map(|(prefix, dir)| {
            path.strip_prefix(prefix.as_str())
                .map(|rest| (dir.as_path(), rest))
        })
    }
}

/// The demo as users get it: the site built from the current sources ([`crate::site::build`]:
/// minified JS and CSS, the engine at `pkg/`, the pack's media at `media/`) served at `/`.
pub fn demo_site() -> Result<Site> {
    Ok(Site::new(crate::site::build()?))
}

/// The demo's sources, unminified (`cargo xtask serve --src`): `web-demo/` at `/`,
/// `bindings-wasm/pkg/` at `/pkg/`, and the safe-migration pack's folder at `/media/` (its
/// media: the pictograms the lessons show, the audio).
pub fn source_site() -> Result<Site> {
    let web = require(crate::site::WEB_SOURCES)?;
    let pkg = root_path(crate::wasm::WEB.dir);
    if !pkg.is_dir() {
        println!(
            "note: {} does not exist yet (run `cargo xtask wasm`): /pkg/ will answer 404",
            display_path(&pkg)
        );
    }
    Ok(Site::new(web)
        .mount("/pkg/", pkg)
        .mount("/media/", root_path(crate::site::PACK_MEDIA)))
}

/// `cargo xtask serve [--port N] [--src | --dir DIR] [--quiet]`.
pub fn main(args: &[String]) -> Result {
    let mut port = DEFAULT_PORT;
    let mut dir: Option<PathBuf> = None;
    let mut sources = false;
    let mut log = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = parse_port(args.next())?,
            "--dir" => match args.next() {
                Some(d) => {
                    let cwd = std::env::current_dir()
                        .map_err(|e| format!("no current directory: {e}"))?;
                    dir = Some(cwd.join(d));
                }
                None => bail!("serve: --dir needs a folder"),
            },
            "--src" => sources = true,
            "--quiet" => log = false,
            other => bail!("serve: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    let mut site = match (dir, sources) {
        (Some(_), true) => bail!("serve: --src and --dir exclude each other"),
        (Some(dir), false) if dir.is_dir() => Site::new(dir),
        (Some(dir), false) => bail!("serve: {} is not a folder", dir.display()),
        (None, true) => source_site()?,
        (None, false) => demo_site()?,
    };
    site.log = log;
    serve(site, port)
}

/// Parses the value of `--port`.
pub fn parse_port(value: Option<&String>) -> Result<u16> {
    match value.map(|v| v.parse::<u16>()) {
        Some(Ok(port)) => Ok(port),
        _ => bail!("--port needs a number from 0 to 65535"),
    }
}

/// Serves `site` on 127.0.0.1:`port` until the process is stopped.
pub fn serve(site: Site, port: u16) -> Result {
    for (prefix, dir) in &site.mounts {
        println!("  {prefix:<6} → {}", display_path(dir));
    }
    let (addr, handle) = start(site, port)?;
    println!("listening on http://{addr}/  (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    let _ = handle.join();
    Ok(())
}

/// Binds and serves in a background thread; returns the bound address.
pub fn start(site: Site, port: u16) -> Result<(SocketAddr, std::thread::JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1:{port}: {e} (is another server running? pick another \
             port with --port N)"
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("no local address: {e}"))?;
    let site = Arc::new(site);
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let site = Arc::clone(&site);
            std::thread::spawn(move || {
                let _ = handle_connection(stream, &site);
            });
        }
    });
    Ok((addr, handle))
}

/// A parsed request head.
#[derive(Debug)]
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
    has_body: bool,
    /// `Accept-Encoding`.
    accept_encoding: String,
    /// `If-None-Match`.
    if_none_match: Option<String>,
    /// `If-Modified-Since`.
    if_modified_since: Option<String>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut head_len = 0;
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    head_len += line.len();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let version = parts.next().unwrap_or("HTTP/1.0").to_owned();
    let mut keep_alive = version == "HTTP/1.1";
    let mut has_body = false;
    let mut accept_encoding = String::new();
    let mut if_none_match = None;
    let mut if_modified_since = None;
    loop {
        let mut header = String::new();
        let n = reader.read_line(&mut header)?;
        head_len += n;
        if n == 0 || head_len > MAX_HEAD {
            return Ok(None);
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let raw = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "accept-encoding" => accept_encoding = raw.to_owned(),
                "if-none-match" => if_none_match = Some(raw.to_owned()),
                "if-modified-since" => if_modified_since = Some(raw.to_owned()),
                _ => {}
            }
            let value = raw.to_ascii_lowercase();
            match name.trim().to_ascii_lowercase().as_str() {
                "connection" if value.contains("close") => keep_alive = false,
                "connection" if value.contains("keep-alive") => keep_alive = true,
                "content-length" if value != "0" => has_body = true,
                "transfer-encoding" => has_body = true,
                _ => {}
            }
        }
    }
    Ok(Some(Request {
        method,
        target,
        keep_alive,
        has_body,
        accept_encoding,
        if_none_match,
        if_modified_since,
    }))
}

fn handle_connection(stream: TcpStream, site: &Site) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader)? {
        // A body is never expected: answer, then close rather than parse it.
        let keep_alive = request.keep_alive && !request.has_body;
        let response = respond(site, &request);
        if site.log {
            println!(
                "{} {} → {} ({} bytes)",
                request.method,
                request.target,
                response.status,
                response.body.len()
            );
        }
        write_response(&mut writer, &request.method, &response, keep_alive)?;
        if !keep_alive {
            break;
        }
    }
    Ok(())
}

/// A response before it is written.
#[derive(Debug)]
struct Response {
    status: u16,
    content_type: &'static str,
    body: Arc<Vec<u8>>,
    location: Option<String>,
    /// Further headers (validators, `Content-Encoding`, `Vary`).
    headers: Vec<(&'static str, String)>,
}

impl Response {
    fn text(status: u16) -> Self {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Arc::new(format!("{status} {}\n", reason(status)).into_bytes()),
            location: None,
            headers: Vec::new(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

fn write_response(
    out: &mut TcpStream,
    method: &str,
    response: &Response,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    if response.status != 304 {
        head.push_str(&format!(
            "Content-Type: {}\r\nContent-Length: {}\r\n",
            response.content_type,
            response.body.len()
        ));
    }
    head.push_str(&format!(
        "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        if keep_alive { "keep-alive" } else { "close" },
    ));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if response.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if method != "HEAD" && response.status != 304 {
        out.write_all(&response.body)?;
    }
    out.flush()
}

fn respond(site: &Site, request: &Request) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405);
    }
    let file = match resolve(site, &request.target) {
        Ok(Resolved::File(file)) => file,
        Ok(Resolved::Redirect(location)) => {
            let mut r = Response::text(301);
            r.location = Some(location);
            return r;
        }
        Err(status) => return Response::text(status),
    };
    let Ok(meta) = std::fs::metadata(&file) else {
        return Response::text(404);
    };
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let content_type = mime_type(&file);
    let mut headers = Vec::new();
    let encoding = if compressible(content_type) {
        headers.push(("Vary", "Accept-Encoding".to_owned()));
        negotiate(&request.accept_encoding)
    } else {
        None
    };
    // A compressed pack: its LZ4-free form compresses better, when there is one.
    let (file, meta, modified) = match encoding.and_then(|_| stored_variant(&file, modified)) {
        Some((variant, meta)) => {
            let modified = meta.modified().unwrap_or(modified);
            (variant, meta, modified)
        }
        None => (file, meta, modified),
    };
    let body = match encoding.and_then(|e| encoded_body(site, &file, (meta.len(), modified), e)) {
        Some((encoding, body)) => {
            headers.push(("Content-Encoding", encoding.token().to_owned()));
            body
        }
        None => match std::fs::read(&file) {
            Ok(body) => Arc::new(body),
            Err(_) => return Response::text(404),
        },
    };
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    let last_modified = http_date(modified);
    let not_modified = match (&request.if_none_match, &request.if_modified_since) {
        (Some(tags), _) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag),
        (None, Some(since)) => {
            parse_http_date(since).is_some_and(|since| unix_seconds(modified) <= since)
        }
        (None, None) => false,
    };
    headers.push(("ETag", etag));
    headers.push(("Last-Modified", last_modified));
    Response {
        status: if not_modified { 304 } else { 200 },
        content_type,
        body,
        location: None,
        headers,
    }
}

/// For a `.krupack` file, its sibling `FILE.nolz4` (the pack with its payload stored without
/// LZ4) when that exists and is no older than `modified`.
fn stored_variant(file: &Path, modified: SystemTime) -> Option<(PathBuf, std::fs::Metadata)> {
    if file.extension()? != "krupack" {
        return None;
    }
    let mut name = file.as_os_str().to_owned();
    name.push(".nolz4");
    let variant = PathBuf::from(name);
    let meta = std::fs::metadata(&variant).ok()?;
    (meta.is_file() && meta.modified().is_ok_and(|m| m >= modified)).then_some((variant, meta))
}

/// The body of `file` in `encoding`: its precompressed sibling if that is no older than the
/// file, else the file compressed now (and kept until the file's length or time changes).
fn encoded_body(
    site: &Site,
    file: &Path,
    stamp: (u64, SystemTime),
    encoding: Encoding,
) -> Option<(Encoding, Arc<Vec<u8>>)> {
    let precompressed = sibling(file, encoding);
    if let Ok(meta) = std::fs::metadata(&precompressed) {
        if meta.modified().is_ok_and(|m| m >= stamp.1) {
            if let Ok(body) = std::fs::read(&precompressed) {
                return Some((encoding, Arc::new(body)));
            }
        }
    }
    let key = (file.to_path_buf(), encoding);
    if let Ok(cache) = site.compressed.lock() {
        if let Some((s, body)) = cache.get(&key) {
            if *s == stamp {
                return Some((encoding, Arc::clone(body)));
            }
        }
    }
    let body = Arc::new(encoding.compress(&std::fs::read(file).ok()?));
    if let Ok(mut cache) = site.compressed.lock() {
        cache.insert(key, (stamp, Arc::clone(&body)));
    }
    Some((encoding, body))
}

/// FNV-1a, 64 bits: the entity tag of a body (strong: it changes with any byte).
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Seconds since 1970 (0 before).
fn unix_seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 → (year, month 1–12, day 1–31) (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) → days since 1970-01-01 (the inverse of [`civil_from_days`]).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An HTTP date (IMF-fixdate, RFC 9110): `Sun, 06 Dec 2026 10:23:05 GMT`.
pub fn http_date(t: SystemTime) -> String {
    let secs = unix_seconds(t) as i64;
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[month as usize - 1],
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Parses an IMF-fixdate into seconds since 1970 (`None` for anything else).
pub fn parse_http_date(s: &str) -> Option<u64> {
    let mut parts = s.split_whitespace();
    let _weekday = parts.next()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|x| x.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec;
    u64::try_from(secs).ok()
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    File(PathBuf),
    Redirect(String),
}

/// Maps a request target to a file under the site, or to an HTTP status.
fn resolve(site: &Site, target: &str) -> std::result::Result<Resolved, u16> {
    let raw_path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(raw_path).ok_or(400u16)?;
    if !path.starts_with('/') || path.starts_with("//") || path.contains(['\0', '\\']) {
        return Err(400);
    }
    let (base, rest) = site.locate(&path).ok_or(404u16)?;
    let mut relative = PathBuf::new();
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(403),
            s => relative.push(s),
        }
    }
    // Belt and braces: only normal components may remain.
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(403);
    }
    let mut file = base.join(&relative);
    if file.is_dir() {
        if !path.ends_with('/') {
            return Ok(Resolved::Redirect(format!("{raw_path}/")));
        }
        file.push("index.html");
    }
    let canonical_base = base.canonicalize().map_err(|_| 404u16)?;
    let canonical = file.canonicalize().map_err(|_| 404u16)?;
    if !canonical.starts_with(&canonical_base) {
        return Err(403);
    }
    if !canonical.is_file() {
        return Err(404);
    }
    Ok(Resolved::File(canonical))
}

/// Decodes `%XX` escapes; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, from its extension.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        "ogg" | "opus" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "xml" => "application/xml",
        "krupack" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn temp_site() -> (PathBuf, Site) {
        let dir = std::env::temp_dir().join(format!(
            "xtask-serve-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("web/sub")).unwrap();
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("web/index.html"), "<h1>hi</h1>").unwrap();
        std::fs::write(dir.join("web/sub/index.html"), "sub").unwrap();
        std::fs::write(dir.join("web/a b.js"), "1").unwrap();
        std::fs::write(dir.join("pkg/kru_wasm_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("secret.txt"), "no").unwrap();
        let mut site = Site::new(dir.join("web")).mount("/pkg/", dir.join("pkg"));
        site.log = false;
        (dir, site)
    }

    #[test]
    fn resolves_files_and_mounts() {
        let (dir, site) = temp_site();
        let web = dir.join("web").canonicalize().unwrap();
        assert_eq!(
            resolve(&site, "/"),
            Ok(Resolved::File(web.join("index.html")))
        );
        assert_eq!(
            resolve(&site, "/a%20b.js?v=1"),
            Ok(Resolved::File(web.join("a b.js")))
        );
        assert_eq!(
            resolve(&site, "/sub"),
            Ok(Resolved::Redirect("/sub/".to_owned()))
        );
        assert_eq!(
            resolve(&site, "/pkg/kru_wasm_bg.wasm"),
            Ok(Resolved::File(
                dir.join("pkg/kru_wasm_bg.wasm").canonicalize().unwrap()
            ))
        );
        assert_eq!(resolve(&site, "/missing.js"), Err(404));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_traversal() {
        let (dir, site) = temp_site();
        assert_eq!(resolve(&site, "/../secret.txt"), Err(403));
        assert_eq!(resolve(&site, "/%2e%2e/secret.txt"), Err(403));
        assert_eq!(resolve(&site, "/pkg/../../secret.txt"), Err(403));
        assert_eq!(resolve(&site, "/..%5csecret.txt"), Err(400));
        assert_eq!(resolve(&site, "/%00"), Err(400));
        assert_eq!(resolve(&site, "/%zz"), Err(400));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("web/link.txt")).unwrap();
            assert_eq!(resolve(&site, "/link.txt"), Err(403));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mime_types() {
        for (file, mime) in [
            ("a.wasm", "application/wasm"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.json", "application/json"),
            ("a.webmanifest", "application/manifest+json"),
            ("a.krupack", "application/octet-stream"),
            ("a.ogg", "audio/ogg"),
            ("index.HTML", "text/html; charset=utf-8"),
        ] {
            assert_eq!(mime_type(Path::new(file)), mime, "{file}");
        }
    }

    #[test]
    fn serves_over_tcp() {
        let (dir, site) = temp_site();
        let (addr, _handle) = start(site, 0).unwrap();
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /pkg/kru_wasm_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(
            text.contains("Content-Type: application/wasm\r\n"),
            "{text}"
        );
        assert!(text.contains("Cache-Control: no-cache\r\n"), "{text}");
        let (first, second) = text.split_once("\r\n\r\n\0asm").unwrap();
        assert!(first.contains("Connection: keep-alive\r\n"), "{text}");
        assert!(second.starts_with("HTTP/1.1 200 OK"), "{text}");
        assert!(second.contains("Connection: close\r\n"), "{text}");
        assert!(second.ends_with("\r\n\r\n"), "{text}");

        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 405"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Sends one request and returns the whole response (the server closes after it).
    fn fetch(addr: SocketAddr, path: &str, headers: &str) -> (String, Vec<u8>) {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        (
            String::from_utf8(raw[..split].to_vec()).unwrap(),
            raw[split..].to_vec(),
        )
    }

    fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
        head.lines().find_map(|l| {
            l.split_once(": ")
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }

    #[test]
    fn a_compressed_pack_comes_from_its_lz4_free_sibling() {
        let (dir, site) = temp_site();
        std::fs::write(dir.join("web/p.krupack"), b"LZ4 form").unwrap();
        let (addr, _handle) = start(site, 0).unwrap();
        // No sibling: the file itself, compressed or not.
        let (_, body) = fetch(addr, "/p.krupack", "");
        assert_eq!(body, b"LZ4 form");
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(dir.join("web/p.krupack.nolz4"), b"stored form").unwrap();
        // Uncompressed answers keep the LZ4 file; compressed ones take the sibling.
        let (head, body) = fetch(addr, "/p.krupack", "");
        assert_eq!(header(&head, "Content-Encoding"), None, "{head}");
        assert_eq!(body, b"LZ4 form");
        let (head, body) = fetch(addr, "/p.krupack", "Accept-Encoding: gzip\r\n");
        assert_eq!(header(&head, "Content-Encoding"), Some("gzip"), "{head}");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, b"stored form");
        // A sibling older than the pack is stale: not used.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(dir.join("web/p.krupack"), b"newer LZ4 form").unwrap();
        let (_, body) = fetch(addr, "/p.krupack", "Accept-Encoding: br\r\n");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &body[..], &mut decoded).unwrap();
        assert_eq!(decoded, b"newer LZ4 form");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn accept_encoding_prefers_brotli_and_honours_q_zero() {
        assert_eq!(negotiate("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(negotiate("gzip, deflate"), Some(Encoding::Gzip));
        assert_eq!(negotiate("br;q=0, gzip;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(negotiate("identity"), None);
        assert_eq!(negotiate(""), None);
    }

    #[test]
    fn http_dates_round_trip() {
        let t = UNIX_EPOCH + Duration::from_secs(1_796_552_585);
        assert_eq!(http_date(t), "Sun, 06 Dec 2026 10:23:05 GMT");
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
        for secs in [0u64, 951_782_400, 1_796_552_585, 4_102_444_799] {
            let date = http_date(UNIX_EPOCH + Duration::from_secs(secs));
            assert_eq!(parse_http_date(&date), Some(secs), "{date}");
        }
        assert_eq!(parse_http_date("Sunday, 06-Dec-26 10:23:05 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Dec 2026 25:00:00 GMT"), None);
    }

    #[test]
    fn compresses_validates_and_answers_304() {
        let (dir, site) = temp_site();
        let script = "export const greeting = 'hello';\n".repeat(200);
        std::fs::write(dir.join("web/app.js"), &script).unwrap();
        let (addr, _handle) = start(site, 0).unwrap();

        // brotli when accepted, decoding to the file.
        let (head, body) = fetch(addr, "/app.js", "Accept-Encoding: gzip, br\r\n");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert_eq!(header(&head, "Content-Encoding"), Some("br"), "{head}");
        assert_eq!(header(&head, "Vary"), Some("Accept-Encoding"), "{head}");
        assert!(body.len() < script.len() / 10, "{} bytes", body.len());
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &body[..], &mut decoded).unwrap();
        assert_eq!(decoded, script.as_bytes());
        let br_tag = header(&head, "ETag").unwrap().to_owned();

        // gzip, with its own entity tag.
        let (head, body) = fetch(addr, "/app.js", "Accept-Encoding: gzip\r\n");
        assert_eq!(header(&head, "Content-Encoding"), Some("gzip"), "{head}");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, script.as_bytes());
        assert_ne!(header(&head, "ETag").unwrap(), br_tag);

        // identity without Accept-Encoding; not for images.
        let (head, body) = fetch(addr, "/app.js", "");
        assert_eq!(header(&head, "Content-Encoding"), None, "{head}");
        assert_eq!(body, script.as_bytes());

        // 304 for a matching entity tag, with no body; 200 for another.
        let (head, body) = fetch(
            addr,
            "/app.js",
            &format!("Accept-Encoding: br\r\nIf-None-Match: \"x\", {br_tag}\r\n"),
        );
        assert!(head.starts_with("HTTP/1.1 304 Not Modified"), "{head}");
        assert!(body.is_empty());
        assert_eq!(header(&head, "Content-Length"), None, "{head}");
        assert_eq!(header(&head, "ETag"), Some(br_tag.as_str()));
        let (head, _) = fetch(addr, "/app.js", "If-None-Match: \"0000\"\r\n");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");

        // If-Modified-Since: 304 at or after the file's time, 200 before it.
        let last = header(&head, "Last-Modified").unwrap().to_owned();
        let (head, _) = fetch(addr, "/app.js", &format!("If-Modified-Since: {last}\r\n"));
        assert!(head.starts_with("HTTP/1.1 304"), "{head}");
        let (head, _) = fetch(
            addr,
            "/app.js",
            "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n",
        );
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");

        // A precompressed sibling no older than the file is sent as it is.
        precompress(&[dir.join("web/app.js")]).unwrap();
        std::fs::write(dir.join("web/app.js.gz"), b"not really gzip").unwrap();
        let (head, body) = fetch(addr, "/app.js", "Accept-Encoding: gzip\r\n");
        assert_eq!(header(&head, "Content-Encoding"), Some("gzip"), "{head}");
        assert_eq!(body, b"not really gzip");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
