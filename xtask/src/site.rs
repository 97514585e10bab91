//! `cargo xtask site`: the web app as it is deployed, in one folder (`target/site/`).
//!
//! What a user's browser gets, and what `cargo xtask serve`, the end-to-end tests and
//! `web-demo/tests/measure.mjs` serve:
//!
//! | in `target/site/` | from |
//! |---|---|
//! | every `*.js` and `*.css` of `web-demo/`, minified, same names, each with its source map (`FILE.map`) | esbuild (pinned in `tools/js`), file by file: no bundling, so the module structure, the `import`s and the service worker's list stay as they are |
//! | every other file of `web-demo/` (`index.html`, the manifest, the icon, the packs and their LZ4-free forms, `packs.json`, `trusted-keys.json`, licences) | copied |
//! | `pkg/` | `bindings-wasm/pkg/` (the engine, its interface strings and its `.br`/`.gz` copies), copied |
//! | `media/` | the demo pack's media (pictograms, audio) from `content-packs/safe-migration/` |
//! | `FILE.br`, `FILE.gz` beside every text file (HTML, JS, CSS, JSON, SVG, TOML) and LZ4-free pack (`*.krupack.nolz4`) that has none yet | brotli quality 11 and gzip 9, for a server that sends precompressed files (`cargo xtask serve`, nginx `gzip_static`/`brotli_static`) |
//!
//! Copies keep the time of their source, so that a precompressed or LZ4-free sibling stays "no
//! older than" its file, as the server checks. The folder is built beside the old one and
//! then swapped in. Before the swap the service worker's precache list (`ASSETS` in
//! `web-demo/sw.js`) is checked: every file it names must be in the site.

use std::path::{Path, PathBuf};

use crate::bail;
use crate::cmd::Cmd;
use crate::setup::js_bin;
use crate::util::{banner, display_path, root_path, target_dir, IoContext, Result};

/// The web app's sources.
pub const WEB_SOURCES: &str = "web-demo";
/// The folder of the demo pack whose media the site serves at `media/`.
pub const PACK_MEDIA: &str = "content-packs/safe-migration";
/// Files of `web-demo/` that are not part of the site.
const NOT_SERVED: &[&str] = &["README.md", ".gitignore"];
/// Extensions of the media files copied from the pack's folder (its sources, `*.toml` and
/// `*.md`, are not served).
const MEDIA_EXTENSIONS: &[&str] = &[
    "svg", "png", "jpg", "jpeg", "webp", "gif", "ogg", "opus", "mp3", "m4a", "wav", "webm",
];
/// Extensions of the site's files that get `.br` and `.gz` copies.
const PRECOMPRESSED: &[&str] = &[
    "html",
    "js",
    "css",
    "json",
    "webmanifest",
    "svg",
    "toml",
    "nolz4",
];

/// The site folder: `target/site/` (under `$CARGO_TARGET_DIR` when that is set).
pub fn dir() -> PathBuf {
    target_dir().join("site")
}

/// `cargo xtask site`.
pub fn main(args: &[String]) -> Result {
    if let Some(other) = args.first() {
        bail!("site: unknown argument `{other}` (try `cargo xtask --help`)");
    }
    let out = build()?;
    println!("\nsite written to {}", display_path(&out));
    Ok(())
}

/// Builds the site into [`dir`] from the current sources and returns its path.
pub fn build() -> Result<PathBuf> {
    banner("web app: minified site (target/site/)");
    let web = root_path(WEB_SOURCES);
    let pkg = root_path(crate::wasm::WEB.dir);
    for needed in [
        web.join("sw.js"),
        web.join(format!("{}.krupack", crate::demo::DEFAULT_PACK_ID)),
        root_path(crate::demo::TRUSTED_KEYS_OUTPUT),
        root_path(crate::demo::PACK_INDEX_OUTPUT),
    ] {
        if !needed.is_file() {
            bail!(
                "missing: {} (build the packs first: `cargo xtask demo --no-serve` or `cargo xtask test --no-setup demo-pack`)",
                display_path(&needed)
            );
        }
    }
    if !pkg.join("kru_wasm_bg.wasm").is_file() {
        bail!(
            "missing: {} (build the engine first: `cargo xtask wasm` or `cargo xtask test --no-setup wasm-build`)",
            display_path(&pkg.join("kru_wasm_bg.wasm"))
        );
    }
    let esbuild = js_bin("esbuild");
    if !esbuild.exists() {
        bail!(
            "missing: {} (run `cargo xtask setup`)",
            display_path(&esbuild)
        );
    }

    let out = dir();
    let fresh = out.with_file_name("site.new");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).at("cannot remove", &fresh)?;
    }
    std::fs::create_dir_all(&fresh).at("cannot create", &fresh)?;

    // The app's own files: JS and CSS minified, the rest copied.
    let mut minify = Vec::new();
    for entry in std::fs::read_dir(&web).at("cannot list", &web)? {
        let entry = entry.at("cannot list", &web)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_file() || NOT_SERVED.contains(&name.as_str()) {
            continue;
        }
        if name.ends_with(".js") || name.ends_with(".css") {
            minify.push(path);
        } else {
            copy_file(&path, &fresh.join(&name))?;
        }
    }
    minify.sort();
    // File by file (no --bundle): each module keeps its name and its imports; `--charset=utf8`
    // keeps Khmer and other scripts as UTF-8 rather than `\u` escapes; `--sourcemap` writes
    // FILE.map beside each file (with the sources inside) and a `sourceMappingURL` comment.
    Cmd::new(&esbuild)
        .args(&minify)
        .args([
            "--minify",
            "--sourcemap",
            "--charset=utf8",
            "--log-level=warning",
        ])
        .arg(format!("--outbase={}", web.display()))
        .arg(format!("--outdir={}", fresh.display()))
        .run()?;
    for file in &minify {
        if let Some(name) = file.file_name() {
            let built = fresh.join(name);
            if !built.is_file() {
                bail!("esbuild did not write {}", display_path(&built));
            }
        }
    }

    copy_tree(&pkg, &fresh.join("pkg"), &|_| true)?;
    copy_tree(&root_path(PACK_MEDIA), &fresh.join("media"), &|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| MEDIA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    })?;

    let sw = std::fs::read_to_string(web.join("sw.js")).at("cannot read", &web.join("sw.js"))?;
    let missing: Vec<String> = precache_list(&sw)?
        .into_iter()
        .filter(|f| f != "./" && !fresh.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        bail!(
            "web-demo/sw.js precaches files the site does not have: {}",
            missing.join(", ")
        );
    }

    let mut texts = Vec::new();
    collect_files(&fresh, &mut texts)?;
    texts.retain(|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| PRECOMPRESSED.contains(&e))
            && !with_extension_added(p, "br").exists()
    });
    crate::serve::precompress(&texts)?;

    if out.exists() {
        std::fs::remove_dir_all(&out).at("cannot remove", &out)?;
    }
    std::fs::rename(&fresh, &out).at("cannot move the new site to", &out)?;
    println!(
        "  {} modules and styles minified (esbuild, with source maps), {} text files precompressed",
        minify.len(),
        texts.len()
    );
    Ok(out)
}

/// The files named in the service worker's precache list: the string literals of
/// `const ASSETS = [ … ];`, one per line.
pub fn precache_list(sw: &str) -> Result<Vec<String>> {
    let Some(start) = sw.find("const ASSETS = [") else {
        bail!("web-demo/sw.js: no `const ASSETS = [` (the precache list)");
    };
    let rest = &sw[start..];
    let Some(end) = rest.find("];") else {
        bail!("web-demo/sw.js: the precache list `ASSETS` does not end with `];`");
    };
    Ok(rest[..end]
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let inner = line.strip_prefix('"')?;
            let (name, _) = inner.split_once('"')?;
            Some(name.to_owned())
        })
        .collect())
}

/// `FILE.EXT`: `extension` added to the whole name (the engine's `pkg/` already has
/// `kru_wasm.js.br`).
fn with_extension_added(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Copies `from` to `to`, keeping the file's modification time.
fn copy_file(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to).at("cannot copy to", to)?;
    let modified = std::fs::metadata(from)
        .and_then(|m| m.modified())
        .at("cannot read the time of", from)?;
    std::fs::File::options()
        .write(true)
        .open(to)
        .and_then(|f| f.set_modified(modified))
        .at("cannot set the time of", to)
}

/// Copies the files under `from` that `keep` accepts to the same places under `to`.
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> Result {
    let mut files = Vec::new();
    collect_files(from, &mut files)?;
    for file in files.into_iter().filter(|f| keep(f)) {
        let Ok(relative) = file.strip_prefix(from) else {
            continue;
        };
        let target = to.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).at("cannot create", parent)?;
        }
        copy_file(&file, &target)?;
    }
    Ok(())
}

/// Every file under `dir`, recursively.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result {
    for entry in std::fs::read_dir(dir).at("cannot list", dir)? {
        let path = entry.at("cannot list", dir)?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else if path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_precache_list() {
        let sw = "importScripts(\"x.js\");\nconst ASSETS = [\n  \"./\",\n  // a comment\n  \"app.js\",\n  \"pkg/kru_wasm.js\",\n];\nconst OTHER = [\"no\"];\n";
        assert_eq!(
            precache_list(sw).unwrap(),
            ["./", "app.js", "pkg/kru_wasm.js"]
        );
        assert!(precache_list("const X = [];").is_err());
        assert!(precache_list("const ASSETS = [\n \"a\",\n").is_err());
    }

    #[test]
    fn the_service_workers_list_names_app_files() {
        let sw = std::fs::read_to_string(root_path("web-demo/sw.js")).unwrap();
        let list = precache_list(&sw).unwrap();
        assert!(list.iter().any(|f| f == "app.js"), "{list:?}");
        assert!(list.iter().any(|f| f == "pkg/kru_wasm_bg.wasm"), "{list:?}");
    }

    #[test]
    fn copies_keep_the_time_of_their_source() {
        let dir = std::env::temp_dir().join(format!("kru-site-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/b/x.svg"), "<svg/>").unwrap();
        std::fs::write(dir.join("a/pack.toml"), "id = 1").unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        std::fs::File::options()
            .write(true)
            .open(dir.join("a/b/x.svg"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        copy_tree(&dir.join("a"), &dir.join("out"), &|p| {
            p.extension().is_some_and(|e| e == "svg")
        })
        .unwrap();
        let copied = dir.join("out/b/x.svg");
        assert_eq!(std::fs::read_to_string(&copied).unwrap(), "<svg/>");
        assert_eq!(std::fs::metadata(&copied).unwrap().modified().unwrap(), old);
        assert!(!dir.join("out/pack.toml").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
