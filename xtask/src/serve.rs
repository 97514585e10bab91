//! `cargo xtask serve [--port N] [--dir DIR]`: a tiny static HTTP server (std only).
//!
//! Serves `web-demo/` on `http://127.0.0.1:8080/`, with `/pkg/` mapped to `bindings-wasm/pkg/`
//! (the browser package built by `cargo xtask wasm`). `--dir DIR` serves DIR alone instead.
//!
//! - binds to 127.0.0.1 only; one thread per connection; HTTP/1.1 keep-alive; GET and HEAD;
//! - MIME types for the files the demo uses, including `application/wasm` (needed by
//!   `WebAssembly.instantiateStreaming`) and `.krupack` as `application/octet-stream`;
//! - `Cache-Control: no-cache` on every response, so a rebuilt package is picked up on reload;
//! - refuses `..` segments, backslashes, NUL and anything that resolves (through symlinks)
//!   outside the served folder.
//!
//! Once listening it prints `listening on http://127.0.0.1:PORT/` (and flushes), so a test can
//! start it as a subprocess with `--port 0` and read the port from that line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

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
}

impl Site {
    /// A site serving `dir` at `/`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Site {
            mounts: vec![("/".to_owned(), dir.into())],
            log: true,
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

/// The folder whose files the demo serves at `/media/` (the pack's images, by their paths in
/// the pack source).
pub const PACK_MEDIA: &str = "content-packs/safe-migration";

/// The demo: `web-demo/` at `/`, `bindings-wasm/pkg/` at `/pkg/`, and the safe-migration
/// pack's folder at `/media/` (its media: the pictograms the lessons show).
pub fn demo_site() -> Result<Site> {
    let web = require("web-demo")?;
    let pkg = root_path(crate::wasm::WEB.dir);
    if !pkg.is_dir() {
        println!(
            "note: {} does not exist yet (run `cargo xtask wasm`): /pkg/ will answer 404",
            display_path(&pkg)
        );
    }
    Ok(Site::new(web)
        .mount("/pkg/", pkg)
        .mount("/media/", root_path(PACK_MEDIA)))
}

/// `cargo xtask serve [--port N] [--dir DIR] [--quiet]`.
pub fn main(args: &[String]) -> Result {
    let mut port = DEFAULT_PORT;
    let mut dir: Option<PathBuf> = None;
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
            "--quiet" => log = false,
            other => bail!("serve: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    let mut site = match dir {
        Some(dir) if dir.is_dir() => Site::new(dir),
        Some(dir) => bail!("serve: {} is not a folder", dir.display()),
        None => demo_site()?,
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
            let value = value.trim().to_ascii_lowercase();
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
    }))
}

fn handle_connection(stream: TcpStream, site: &Site) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader)? {
        // A body is never expected: answer, then close rather than parse it.
        let keep_alive = request.keep_alive && !request.has_body;
        let response = respond(site, &request.method, &request.target);
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
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn text(status: u16) -> Self {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status} {}\n", reason(status)).into_bytes(),
            location: None,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
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
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    );
    if response.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(&response.body)?;
    }
    out.flush()
}

fn respond(site: &Site, method: &str, target: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return Response::text(405);
    }
    let file = match resolve(site, target) {
        Ok(Resolved::File(file)) => file,
        Ok(Resolved::Redirect(location)) => {
            let mut r = Response::text(301);
            r.location = Some(location);
            return r;
        }
        Err(status) => return Response::text(status),
    };
    let mut body = Vec::new();
    match std::fs::File::open(&file).and_then(|mut f| f.read_to_end(&mut body)) {
        Ok(_) => Response {
            status: 200,
            content_type: mime_type(&file),
            body,
            location: None,
        },
        Err(_) => Response::text(404),
    }
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
        "xml" => "application/xml",
        "krupack" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            text.contains("Connection: keep-alive\r\n\r\n\0asmHTTP/1.1 200 OK"),
            "{text}"
        );
        assert!(text.ends_with("Connection: close\r\n\r\n"), "{text}");

        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 405"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
