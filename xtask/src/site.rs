//! `cargo xtask site`: the web app as it is deployed, in one folder (`target/site/`).
//!
//! What a user's browser gets, and what `cargo xtask serve`, the end-to-end tests and
//! `web-demo/tests/measure.mjs` serve:
//!
//! | in `target/site/` | from |
//! |---|---|
//! | `app.js` and its chunks (`NAME-HASH.js`): the app's modules bundled, minified, each with its source map (`FILE.map`, the sources inside) | esbuild (pinned in `tools/js`), `--bundle --splitting` from `app.js`: the modules of the kiosk's first screen (the local `modulepreload`s of `index.html`) in one shared chunk, every screen loaded on demand (`import()`) a chunk of its own, whatever two of them share a chunk too |
//! | `sw.js` and the scripts it imports (`outbox-core.js`), every `*.css` | esbuild, minified file by file; `sw.js` with its precache list (`ASSETS`) made for the site: the modules replaced by the files that hold them |
//! | `index.html` | its comments and indentation dropped, its `modulepreload`s of the app's modules replaced by the files of the first screen (`app.js` and its chunks) |
//! | every other file of `web-demo/` (the manifest, the icon, the packs and their LZ4-free forms, `packs.json`, `trusted-keys.json`, licences) | copied |
//! | `pkg/` | `bindings-wasm/pkg/` (the engine, its interface strings and its `.br`/`.gz` copies), copied |
//! | `media/` | the demo pack's media (pictograms, audio) from `content-packs/safe-migration/` |
//! | `FILE.br`, `FILE.gz` beside every text file (HTML, JS, CSS, JSON, SVG, TOML, the compiled interface strings `*.txt`) and LZ4-free pack (`*.krupack.nolz4`) that has none yet | brotli quality 11 and gzip 9, for a server that sends precompressed files (`cargo xtask serve`, nginx `gzip_static`/`brotli_static`) |
//!
//! Copies keep the time of their source, so that a precompressed or LZ4-free sibling stays "no
//! older than" its file, as the server checks. The folder is built beside the old one and
//! then swapped in. Before the swap the service worker's precache list is checked: every file
//! it names must be in the site, and every module and style of the site must be in it (or the
//! app would break offline). Every module of `web-demo/` must be in the bundle or be one of
//! the service worker's scripts. The sources stay plain modules: `cargo xtask serve --src`
//! serves them as they are.

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
    "txt",
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
    let esbuild = js_bin("esbuild")?;

    let out = dir();
    let fresh = out.with_file_name("site.new");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).at("cannot remove", &fresh)?;
    }
    std::fs::create_dir_all(&fresh).at("cannot create", &fresh)?;

    // The app's own files: modules bundled, scripts and styles minified, the rest copied.
    let index_html = std::fs::read_to_string(web.join("index.html"))
        .at("cannot read", &web.join("index.html"))?;
    let sw = std::fs::read_to_string(web.join("sw.js")).at("cannot read", &web.join("sw.js"))?;
    let scripts = worker_scripts(&sw);
    let mut modules = Vec::new();
    let mut minify = Vec::new();
    for entry in std::fs::read_dir(&web).at("cannot list", &web)? {
        let entry = entry.at("cannot list", &web)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_file() || NOT_SERVED.contains(&name.as_str()) || name == "index.html" {
            continue;
        }
        if name.ends_with(".css") || scripts.contains(&name) {
            minify.push(path);
        } else if name.ends_with(".js") {
            if name != "sw.js" {
                modules.push(name);
            }
        } else {
            copy_file(&path, &fresh.join(&name))?;
        }
    }
    minify.sort();
    modules.sort();

    let stage = out.with_file_name("site.stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).at("cannot remove", &stage)?;
    }
    std::fs::create_dir_all(&stage).at("cannot create", &stage)?;
    let bundle = bundle_modules(&esbuild, &web, &fresh, &stage, &index_html, &scripts)?;
    let unbundled: Vec<&String> = modules
        .iter()
        .filter(|m| !bundle.sources.contains(*m) && !scripts.contains(*m))
        .collect();
    if !unbundled.is_empty() {
        bail!(
            "web-demo: neither imported by app.js nor a service worker script: {}",
            comma_list(&unbundled)
        );
    }

    // The service worker's precache list for the site: the modules replaced by the files that
    // hold them, every other file as it is.
    let list = precache_list(&sw)?;
    let mut assets = Vec::new();
    for file in &list {
        let bundled_away = file.ends_with(".js")
            && bundle.sources.contains(file)
            && !bundle.outputs.contains(file)
            && !scripts.contains(file);
        if !bundled_away && !assets.contains(file) {
            assets.push(file.clone());
        }
    }
    for output in &bundle.outputs {
        if !assets.contains(output) {
            assets.push(output.clone());
        }
    }
    let site_sw = stage.join("sw.js");
    std::fs::write(&site_sw, with_precache_list(&sw, &assets)?).at("cannot write", &site_sw)?;
    minify.push(site_sw);

    // File by file (no --bundle): each keeps its name; `--charset=utf8` keeps Khmer and other
    // scripts as UTF-8 rather than `\u` escapes; `--sourcemap` writes FILE.map beside each file
    // (with the sources inside) and a `sourceMappingURL` comment. The service worker comes from
    // the stage (its list made for the site), the others from web-demo/.
    for (base, files) in [
        (
            &web,
            minify
                .iter()
                .filter(|f| f.starts_with(&web))
                .collect::<Vec<_>>(),
        ),
        (
            &stage,
            minify
                .iter()
                .filter(|f| f.starts_with(&stage))
                .collect::<Vec<_>>(),
        ),
    ] {
        Cmd::new(&esbuild)
            .args(&files)
            .args([
                "--minify",
                "--sourcemap",
                "--charset=utf8",
                "--log-level=warning",
            ])
            .arg(format!("--outbase={}", base.display()))
            .arg(format!("--outdir={}", fresh.display()))
            .run()?;
    }
    for file in &minify {
        if let Some(name) = file.file_name() {
            let built = fresh.join(name);
            if !built.is_file() {
                bail!("esbuild did not write {}", display_path(&built));
            }
        }
    }
    let html = fresh.join("index.html");
    std::fs::write(&html, site_html(&index_html, &bundle.first_screen)?)
        .at("cannot write", &html)?;

    copy_tree(&pkg, &fresh.join("pkg"), &|_| true)?;
    copy_tree(&root_path(PACK_MEDIA), &fresh.join("media"), &|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| MEDIA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    })?;

    let missing: Vec<&String> = assets
        .iter()
        .filter(|f| *f != "./" && !fresh.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the site's service worker would precache files the site does not have: {}",
            comma_list(&missing)
        );
    }
    let mut served = Vec::new();
    collect_files(&fresh, &mut served)?;
    let unlisted: Vec<String> = served
        .iter()
        .filter_map(|f| f.strip_prefix(&fresh).ok())
        .map(|f| f.to_string_lossy().replace('\\', "/"))
        .filter(|f| {
            (f.ends_with(".js") || f.ends_with(".css"))
                && f != "sw.js"
                && !f.starts_with("media/")
                && !assets.contains(f)
        })
        .collect();
    if !unlisted.is_empty() {
        bail!(
            "the site's service worker would not precache: {} (add them to ASSETS in web-demo/sw.js)",
            unlisted.join(", ")
        );
    }
    std::fs::remove_dir_all(&stage).at("cannot remove", &stage)?;

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
        "  {} modules bundled into {} files ({} for the first screen), {} scripts and styles minified (esbuild, with source maps), {} text files precompressed",
        bundle.sources.len(),
        bundle.outputs.len(),
        bundle.first_screen.len(),
        minify.len(),
        texts.len()
    );
    Ok(out)
}

/// What [`bundle_modules`] made of the app's modules.
#[derive(Debug, Default)]
struct Bundle {
    /// The modules of `web-demo/` in the bundle (file names).
    sources: Vec<String>,
    /// The files it wrote (paths in the site): `app.js`, `NAME-HASH.js`.
    outputs: Vec<String>,
    /// The files the kiosk's first screen loads (`app.js` first): `index.html` preloads them.
    first_screen: Vec<String>,
}

/// Bundles the app's modules from `app.js` into `out` (esbuild `--bundle --splitting`, ESM,
/// minified, with source maps). The modules `index.html` preloads (the kiosk's first screen)
/// go into one shared chunk: a file in `stage` that imports them all is injected into every
/// module (esbuild's `--inject`), so that esbuild, which groups modules by the entry points
/// that reach them, finds them reached by all. The engine (`./pkg/…`) and `kru preview`'s
/// `preview.js` stay outside.
fn bundle_modules(
    esbuild: &Path,
    web: &Path,
    out: &Path,
    stage: &Path,
    index_html: &str,
    scripts: &[String],
) -> Result<Bundle> {
    let preloaded: Vec<String> = module_preloads(index_html)
        .into_iter()
        .filter(|m| m != "app.js" && !m.starts_with("pkg/") && !scripts.contains(m))
        .collect();
    let mut first = String::from(
        "// Made by `cargo xtask site`: the modules of the kiosk's first screen (index.html's modulepreloads), in one chunk.\n",
    );
    for m in &preloaded {
        let file = web.join(m);
        if !file.is_file() {
            bail!("web-demo/index.html preloads {m}, which web-demo/ does not have");
        }
        first.push_str(&format!(
            "import {};\n",
            serde_json::Value::String(file.display().to_string())
        ));
    }
    let inject = stage.join("first-screen.js");
    std::fs::write(&inject, first).at("cannot write", &inject)?;
    let meta = stage.join("meta.json");
    Cmd::new(esbuild)
        .arg(web.join("app.js"))
        .args([
            "--bundle",
            "--splitting",
            "--format=esm",
            "--minify",
            "--sourcemap",
            "--charset=utf8",
            "--log-level=warning",
            // Beside `app.js`: an `import()` the bundle leaves alone (the engine, the service
            // worker's scripts) names a file of the site's top folder from any chunk.
            "--chunk-names=[name]-[hash]",
            "--external:./pkg/*",
            "--external:./preview.js",
        ])
        // The service worker's scripts (`outbox-core.js`, which the page imports too) stay files
        // of their own: in the bundle as well, the first visit would download them twice.
        .args(scripts.iter().map(|s| format!("--external:./{s}")))
        .arg(format!("--inject:{}", inject.display()))
        .arg(format!("--metafile={}", meta.display()))
        .arg(format!("--outbase={}", web.display()))
        .arg(format!("--outdir={}", out.display()))
        .cwd(crate::util::root())
        .run()?;
    let text = std::fs::read_to_string(&meta).at("cannot read", &meta)?;
    let meta: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| crate::util::Error::from(format!("esbuild's metafile: {e}")))?;
    read_bundle(&meta, crate::util::root(), web, out, &preloaded)
}

/// Reads esbuild's metafile (paths relative to `cwd`): the sources in the bundle, the files
/// written, and those the first screen loads: `app.js`, the entries of the `preloaded`
/// modules (what `import()` of them loads), and every chunk they import.
fn read_bundle(
    meta: &serde_json::Value,
    cwd: &Path,
    web: &Path,
    out: &Path,
    preloaded: &[String],
) -> Result<Bundle> {
    let Some(outputs) = meta["outputs"].as_object() else {
        bail!("esbuild's metafile has no outputs");
    };
    let in_site = |p: &str| -> Option<String> {
        let rel = cwd.join(p);
        let rel = rel.strip_prefix(out).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    };
    let in_web = |p: &str| -> Option<String> {
        let rel = cwd.join(p);
        let rel = rel.strip_prefix(web).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    };
    let mut bundle = Bundle::default();
    // site path → (its entry point in web-demo/, the site paths it imports statically)
    let mut files: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    for (path, output) in outputs {
        if path.ends_with(".map") {
            continue;
        }
        let Some(site) = in_site(path) else {
            bail!("esbuild wrote {path}, outside the site");
        };
        for input in output["inputs"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
        {
            if let Some(source) = in_web(input) {
                if !bundle.sources.contains(&source) {
                    bundle.sources.push(source);
                }
            }
        }
        let entry = output["entryPoint"].as_str().and_then(in_web);
        let imports = output["imports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|i| i["kind"] == "import-statement")
            .filter_map(|i| {
                let path = i["path"].as_str()?;
                if i["external"] == true {
                    // A file of the site's top folder left outside (the service worker's scripts).
                    path.strip_prefix("./")
                        .filter(|p| !p.starts_with("pkg/"))
                        .map(str::to_owned)
                } else {
                    in_site(path)
                }
            })
            .collect();
        bundle.outputs.push(site.clone());
        files.push((site, entry, imports));
    }
    bundle.sources.sort();
    bundle.outputs.sort();
    let mut todo: Vec<String> = vec!["app.js".to_owned()];
    for m in preloaded {
        if let Some((site, _, _)) = files.iter().find(|(_, e, _)| e.as_deref() == Some(m)) {
            todo.push(site.clone());
        }
    }
    while !todo.is_empty() {
        let next = todo.remove(0);
        if bundle.first_screen.contains(&next) {
            continue;
        }
        if let Some((_, _, imports)) = files.iter().find(|(s, _, _)| *s == next) {
            todo.extend(imports.iter().cloned());
        } else if !web.join(&next).is_file() {
            bail!("esbuild's metafile: {next} is neither written by it nor a file of web-demo/");
        }
        bundle.first_screen.push(next);
    }
    Ok(bundle)
}

/// The local files `index.html` preloads as modules (`<link rel="modulepreload" href=…>`).
fn module_preloads(html: &str) -> Vec<String> {
    html.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("<link rel=\"modulepreload\" href=\"")?;
            let (href, _) = rest.split_once('"')?;
            Some(href.to_owned())
        })
        .collect()
}

/// `index.html` as the site serves it: the app's own `modulepreload`s replaced by the files of
/// the first screen (the engine's stay), comments and indentation dropped (also the comment
/// lines of its inline script). Line breaks stay: they are whitespace between elements.
fn site_html(html: &str, first_screen: &[String]) -> Result<String> {
    let mut out = String::with_capacity(html.len());
    let mut preloads_written = false;
    let mut in_comment = false;
    let mut in_script = false;
    for line in html.lines() {
        let mut line = line.trim();
        if in_comment {
            match line.split_once("-->") {
                Some((_, rest)) => {
                    in_comment = false;
                    line = rest.trim();
                }
                None => continue,
            }
        }
        let mut kept = String::new();
        let mut rest = line;
        while let Some((before, after)) = rest.split_once("<!--") {
            kept.push_str(before);
            match after.split_once("-->") {
                Some((_, tail)) => rest = tail,
                None => {
                    in_comment = true;
                    rest = "";
                }
            }
        }
        kept.push_str(rest);
        let line = kept.trim();
        if line.starts_with("<script") && !line.contains("src=") {
            in_script = true;
        }
        if line.starts_with("</script>") {
            in_script = false;
        }
        if line.is_empty() || (in_script && line.starts_with("//")) {
            continue;
        }
        if let Some(href) = module_preloads(line).first() {
            if !href.starts_with("pkg/") {
                if !preloads_written {
                    for file in first_screen {
                        out.push_str(&format!("<link rel=\"modulepreload\" href=\"{file}\">\n"));
                    }
                    preloads_written = true;
                }
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    if !preloads_written {
        bail!("web-demo/index.html preloads no module of the app (`<link rel=\"modulepreload\" href=…>`)");
    }
    if in_comment {
        bail!("web-demo/index.html: a comment `<!--` without its `-->`");
    }
    Ok(out)
}

/// The scripts the service worker imports (`importScripts("…")` in `sw.js`): plain scripts,
/// kept as files of their own in the site.
fn worker_scripts(sw: &str) -> Vec<String> {
    sw.split("importScripts(")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start().strip_prefix('"')?;
            let (name, _) = rest.split_once('"')?;
            Some(name.to_owned())
        })
        .collect()
}

/// `sw` with the lines of its precache list (`const ASSETS = [ … ];`) replaced by `assets`.
fn with_precache_list(sw: &str, assets: &[String]) -> Result<String> {
    let Some(start) = sw.find("const ASSETS = [") else {
        bail!("web-demo/sw.js: no `const ASSETS = [` (the precache list)");
    };
    let Some(len) = sw[start..].find("];") else {
        bail!("web-demo/sw.js: the precache list `ASSETS` does not end with `];`");
    };
    let mut list =
        String::from("const ASSETS = [\n  // Made by `cargo xtask site` for the site's files.\n");
    for asset in assets {
        list.push_str(&format!(
            "  {},\n",
            serde_json::Value::String(asset.clone())
        ));
    }
    Ok(format!("{}{}{}", &sw[..start], list, &sw[start + len..]))
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

/// File names for an error message: `a, b, c`.
fn comma_list(names: &[&String]) -> String {
    names
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
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
    fn reads_the_workers_scripts_and_the_preloads() {
        assert_eq!(
            worker_scripts("importScripts(\"outbox-core.js\");\nimportScripts( \"b.js\");"),
            ["outbox-core.js", "b.js"]
        );
        assert!(worker_scripts("const x = 1;").is_empty());
        let html = "<link rel=\"stylesheet\" href=\"style.css\">\n  <link rel=\"modulepreload\" href=\"app.js\">\n<link rel=\"modulepreload\" href=\"pkg/kru_wasm.js\" fetchpriority=\"low\">\n";
        assert_eq!(module_preloads(html), ["app.js", "pkg/kru_wasm.js"]);
    }

    #[test]
    fn writes_the_sites_precache_list() {
        let sw = "importScripts(\"x.js\");\nconst ASSETS = [\n  \"./\",\n  // a comment\n  \"app.js\",\n];\nconst OTHER = [\"no\"];\n";
        let made = with_precache_list(
            sw,
            &["./".into(), "app.js".into(), "chunk-AB12CD34.js".into()],
        )
        .unwrap();
        assert_eq!(
            precache_list(&made).unwrap(),
            ["./", "app.js", "chunk-AB12CD34.js"]
        );
        assert!(made.starts_with("importScripts(\"x.js\");\n"), "{made}");
        assert!(made.ends_with("];\nconst OTHER = [\"no\"];\n"), "{made}");
        assert!(with_precache_list("const X = [];", &[]).is_err());
    }

    #[test]
    fn the_sites_html_preloads_the_first_screen_without_comments() {
        let html = "<head>\n  <!-- the engine -->\n<script>\n// says why\nif (a) b();\n</script>\n<link rel=\"modulepreload\" href=\"app.js\">\n<link rel=\"modulepreload\" href=\"store.js\">\n<link rel=\"modulepreload\" href=\"pkg/kru_wasm.js\">\n<!-- two\nlines -->\n  <p>a <b>b</b></p>\n</head>\n";
        let out = site_html(html, &["app.js".into(), "chunk-X.js".into()]).unwrap();
        assert_eq!(
            out,
            "<head>\n<script>\nif (a) b();\n</script>\n<link rel=\"modulepreload\" href=\"app.js\">\n<link rel=\"modulepreload\" href=\"chunk-X.js\">\n<link rel=\"modulepreload\" href=\"pkg/kru_wasm.js\">\n<p>a <b>b</b></p>\n</head>\n"
        );
        assert!(
            site_html("<head></head>", &["app.js".into()]).is_err(),
            "no preload to replace"
        );
        assert!(site_html(
            "<link rel=\"modulepreload\" href=\"app.js\">\n<!-- open",
            &[]
        )
        .is_err());
    }

    #[test]
    fn reads_esbuilds_metafile() {
        let meta = serde_json::json!({ "outputs": {
            "target/site.new/app.js": { "entryPoint": "web-demo/app.js",
                "inputs": { "web-demo/app.js": {} },
                "imports": [
                    { "path": "target/site.new/chunk-A.js", "kind": "import-statement" },
                    { "path": "target/site.new/kiosk-K.js", "kind": "dynamic-import" },
                    { "path": "target/site.new/report-R.js", "kind": "dynamic-import" },
                    { "path": "./pkg/kru_wasm.js", "kind": "dynamic-import", "external": true } ] },
            "target/site.new/app.js.map": { "inputs": {}, "imports": [] },
            "target/site.new/chunk-A.js": { "inputs": { "web-demo/store.js": {}, "web-demo/kiosk.js": {}, "target/site.stage/first-screen.js": {} },
                "imports": [ { "path": "./outbox-core.js", "kind": "import-statement", "external": true } ] },
            "target/site.new/kiosk-K.js": { "entryPoint": "web-demo/kiosk.js", "inputs": {},
                "imports": [ { "path": "target/site.new/chunk-A.js", "kind": "import-statement" } ] },
            "target/site.new/report-R.js": { "entryPoint": "web-demo/report.js", "inputs": { "web-demo/report.js": {} },
                "imports": [ { "path": "target/site.new/chunk-A.js", "kind": "import-statement" } ] },
        }});
        let cwd = std::env::temp_dir().join(format!("kru-site-meta-{}", std::process::id()));
        let web = cwd.join("web-demo");
        let out = cwd.join("target/site.new");
        let _ = std::fs::remove_dir_all(&cwd);
        std::fs::create_dir_all(&web).unwrap();
        let first = &["kiosk.js".to_owned()];
        // The chunk imports outbox-core.js, left outside: a file of web-demo/ it must be.
        let err = read_bundle(&meta, &cwd, &web, &out, first).unwrap_err().0;
        assert!(err.contains("outbox-core.js"), "{err}");
        std::fs::write(web.join("outbox-core.js"), "").unwrap();
        let bundle = read_bundle(&meta, &cwd, &web, &out, first).unwrap();
        assert_eq!(
            bundle.sources,
            ["app.js", "kiosk.js", "report.js", "store.js"]
        );
        assert_eq!(
            bundle.outputs,
            ["app.js", "chunk-A.js", "kiosk-K.js", "report-R.js"]
        );
        assert_eq!(
            bundle.first_screen,
            ["app.js", "kiosk-K.js", "chunk-A.js", "outbox-core.js"]
        );
        std::fs::remove_dir_all(&cwd).unwrap();
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
