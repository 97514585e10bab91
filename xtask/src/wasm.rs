//! `cargo xtask wasm`: builds the npm packages of the WebAssembly bindings.
//!
//! Each package holds two modules of the same crate (see [`MODULES`]): the main one
//! (`kru_wasm`, built with `--no-default-features`: everything a kiosk or classroom tablet
//! needs, within the size budget; pack signatures are verified by the host's WebCrypto) and
//! `kru_wasm_full` (default features: adds `cohortReport`, whose statistics are about 50 KB of
//! gzip, its HTML and CSV renderings `reportHtml`, `reportCsv`, `responsesCsv`, `mergeLogs`,
//! and Ed25519 in WebAssembly: the synchronous `Pack.load`), exported as `<package>/full`.
//!
//! The main module is compiled with WebAssembly SIMD ([`SIMD128`]: `--config` adds
//! `-C target-feature=+simd128` to the target's rustflags, wasm-opt gets `--enable-simd`); the
//! full module without, so that it runs on engines without SIMD (hosts load it there).
//!
//! For each module:
//! 1. `cargo build -p kru-wasm --target wasm32-unknown-unknown --profile wasm [FEATURES]`
//! 2. for each output (`bindings-wasm/pkg` for browsers, `bindings-wasm/pkg-node` for Node.js):
//!    `wasm-bindgen --target web|nodejs --out-dir DIR --out-name STEM`, then `wasm-opt -Oz`
//!    (from `tools/js`: Debian's binaryen 108 produces modules that fail to load) on
//!    `STEM_bg.wasm`, its imports given short names in the module and the glue alike
//!    ([`crate::imports`]), the crate's JS snippets (`bindings-wasm/src/tape.js`) put inside
//!    the glue ([`inline_snippets`]: no `snippets/` folder in the package), and the glue
//!    minified by esbuild ([`minify_glue`]: exported names kept; the `.d.ts` keeps the JSDoc).
//!
//! `cargo xtask wasm --nightly` (or `KRU_WASM_NIGHTLY=1` for `cargo xtask test wasm-build`, so
//! that the same wasm tests check it) builds both modules with the nightly toolchain instead:
//! the standard library rebuilt for size with `panic = "immediate-abort"` and no panic
//! locations ([`NIGHTLY`]). Optional, never the default: the stable build is what ships and
//! what the size budget is for (docs/performance.md, "Issue 18, third round").
//!
//! Then a `package.json`, `bindings-wasm/README.md` and the built-in interface strings
//! (`ui/<tag>.txt`, compiled from `core/src/ui/*.toml`: the module does not link them, nor a
//! TOML reader) in each output folder,
//! and brotli and gzip copies (`.br`, `.gz`) of the browser modules for `cargo xtask serve`.

use std::path::Path;

use crate::bail;
use crate::cmd::Cmd;
use crate::setup::{self, js_bin, WASM_TARGET};
use crate::util::{
    banner, display_path, json_escape, require, root_path, target_dir, toml_string, IoContext,
    Result,
};

/// The Cargo package of the bindings.
pub const PACKAGE: &str = "kru-wasm";
/// Its folder.
pub const CRATE_DIR: &str = "bindings-wasm";
/// The Cargo profile used for the shipped .wasm (`[profile.wasm]` in the workspace manifest).
pub const PROFILE: &str = "wasm";
/// The file stem wasm-bindgen uses (the library name of kru-wasm), i.e. of the main module.
pub const WASM_STEM: &str = "kru_wasm";
/// The file stem of the full module (with the cohort report and `mergeLogs`).
pub const FULL_STEM: &str = "kru_wasm_full";

/// One build of kru-wasm in the npm packages.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    /// Output file stem (`wasm-bindgen --out-name`).
    pub stem: &'static str,
    /// Extra `cargo build` arguments (features).
    pub cargo_args: &'static [&'static str],
    /// WebAssembly proposals the module is compiled with beyond the target's defaults
    /// ([`WASM_OPT_FEATURES`]): an engine without them cannot compile the module.
    pub features: &'static [WasmFeature],
}

/// A WebAssembly proposal a module may be built with: its name for rustc and for wasm-opt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmFeature {
    /// `-C target-feature=+NAME`.
    pub rustc: &'static str,
    /// The wasm-opt flag that allows its instructions.
    pub wasm_opt: &'static str,
}

/// Fixed-width SIMD (`v128`): Chrome 91, Firefox 89, Safari 16.4, Node 16.4. Every engine whose
/// WebCrypto has Ed25519 (what the main module's `Pack.open` needs: Chrome 137, Firefox 129,
/// Safari 17, Node 18.4) has it; in the main module `simdutf8` validates the pack's text table
/// with it (docs/performance.md, "Issue 18, sixth round").
pub const SIMD128: WasmFeature = WasmFeature {
    rustc: "simd128",
    wasm_opt: "--enable-simd",
};

/// The main module: no cohort report (the size budget applies to it), with SIMD. An engine
/// without SIMD cannot compile it; hosts load the full module there (as where WebCrypto has
/// no Ed25519).
pub const MAIN: Module = Module {
    stem: WASM_STEM,
    cargo_args: &["--no-default-features"],
    features: &[SIMD128],
};

/// The full module: default features, i.e. with the cohort report, its renderings,
/// `mergeLogs` and Ed25519 in WebAssembly (`ed25519`). No SIMD: it is the fallback for
/// engines that cannot run the main module.
pub const FULL: Module = Module {
    stem: FULL_STEM,
    cargo_args: &[],
    features: &[],
};

impl Module {
    /// The `-C target-feature=+…` flags of [`Module::features`] (empty for none).
    pub fn rustc_flags(&self) -> Vec<String> {
        self.features
            .iter()
            .map(|f| format!("-Ctarget-feature=+{}", f.rustc))
            .collect()
    }

    /// The `--config` argument that adds [`Module::rustc_flags`] to the target's rustflags
    /// (cargo appends a `--config` list to `.cargo/config.toml`'s, where `RUSTFLAGS` would
    /// replace it), or `None`.
    pub fn cargo_config(&self) -> Option<String> {
        let flags = self.rustc_flags();
        (!flags.is_empty()).then(|| {
            let list: Vec<String> = flags.iter().map(|f| format!("\"{f}\"")).collect();
            format!("target.{WASM_TARGET}.rustflags=[{}]", list.join(", "))
        })
    }
}

/// Every module of the packages, main first.
pub const MODULES: &[Module] = &[MAIN, FULL];

/// Features enabled for wasm-opt: the ones rustc enables by default for wasm32-unknown-unknown
/// (`rustc --print cfg --target wasm32-unknown-unknown` on Rust 1.95: bulk-memory, multivalue,
/// mutable-globals, nontrapping-fptoint, reference-types, sign-ext). wasm-opt refuses a module
/// that uses a feature it was not told about: a tiny wasm-bindgen crate already needs
/// bulk-memory (`memory.copy`/`memory.fill`) and nontrapping-fptoint (`as` casts from f64).
/// When the module keeps its `target_features` section (no `strip = true` in the profile)
/// wasm-opt reads the features from there too; with `strip = true` these flags are what it has.
pub const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Sections wasm-opt drops from the shipped module (names, DWARF, toolchain metadata).
pub const WASM_OPT_STRIP: &[&str] = &[
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

/// The toolchain a build uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toolchain {
    /// The stable toolchain of `rust-toolchain`/rustup's default: the shipped build.
    Stable,
    /// Nightly with `rust-src` ([`NIGHTLY`]): `cargo xtask wasm --nightly`.
    Nightly,
}

/// The environment variable that makes [`build`] use [`Toolchain::Nightly`] (`1`).
pub const NIGHTLY_ENV: &str = "KRU_WASM_NIGHTLY";

/// The nightly build: `std` and `panic_abort` rebuilt from `rust-src` with the module's own
/// profile (`-Zbuild-std`), panics that abort at once with no message formatting
/// (`-Cpanic=immediate-abort`, which replaced `-Zbuild-std-features=panic_immediate_abort`),
/// and no file/line/column of panic locations (`-Zlocation-detail=none`). The `--cfg` is the
/// one of `.cargo/config.toml`, which `RUSTFLAGS` replaces. Install with `rustup toolchain
/// install nightly --component rust-src --target wasm32-unknown-unknown`.
pub struct Nightly;

impl Nightly {
    /// The rustup toolchain, as cargo's first argument.
    pub const TOOLCHAIN: &'static str = "+nightly";
    /// `cargo build` arguments.
    pub const BUILD_STD: &'static str = "-Zbuild-std=std,panic_abort";
    /// `RUSTFLAGS` of the build.
    pub const RUSTFLAGS: &'static str = "--cfg curve25519_dalek_bits=\"64\" \
        -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort";
    /// Its own target folder (under the workspace's), so that the stable and the nightly
    /// builds do not rebuild each other's artifacts.
    pub const TARGET_SUBDIR: &'static str = "nightly";
}

impl Toolchain {
    /// [`Toolchain::Nightly`] when `KRU_WASM_NIGHTLY=1`, else [`Toolchain::Stable`].
    pub fn from_env() -> Result<Self> {
        match std::env::var(NIGHTLY_ENV).as_deref() {
            Err(_) | Ok("") | Ok("0") => Ok(Toolchain::Stable),
            Ok("1") => Ok(Toolchain::Nightly),
            Ok(other) => bail!("{NIGHTLY_ENV}={other}: expected 1 (nightly) or 0 (stable)"),
        }
    }

    /// The target folder cargo writes to.
    fn target_dir(self) -> std::path::PathBuf {
        match self {
            Toolchain::Stable => target_dir(),
            Toolchain::Nightly => target_dir().join(Nightly::TARGET_SUBDIR),
        }
    }
}

/// One npm package built from the .wasm.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Output folder, relative to the workspace root.
    pub dir: &'static str,
    /// wasm-bindgen `--target`.
    pub target: &'static str,
    /// npm package name.
    pub npm_name: &'static str,
    /// Short description for package.json.
    pub description: &'static str,
}

/// The browser package (served to the web demo as `/pkg/`).
pub const WEB: Output = Output {
    dir: "bindings-wasm/pkg",
    target: "web",
    npm_name: "@kru/engine",
    description: "kru quiz engine for browsers (WebAssembly, ES module)",
};

/// The Node.js package.
pub const NODE: Output = Output {
    dir: "bindings-wasm/pkg-node",
    target: "nodejs",
    npm_name: "@kru/engine-node",
    description: "kru quiz engine for Node.js (WebAssembly)",
};

/// Every package built by `cargo xtask wasm`.
pub const OUTPUTS: &[Output] = &[WEB, NODE];

/// `cargo xtask wasm [--no-setup] [--nightly]`.
pub fn main(args: &[String]) -> Result {
    let mut do_setup = true;
    let mut toolchain = Toolchain::from_env()?;
    for arg in args {
        match arg.as_str() {
            "--no-setup" => do_setup = false,
            "--nightly" => toolchain = Toolchain::Nightly,
            other => bail!("wasm: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    if do_setup {
        setup::run(&setup::FOR_WASM)?;
    }
    build_with(toolchain)
}

/// The .wasm that cargo writes for kru-wasm with `toolchain`.
fn cargo_wasm_path(toolchain: Toolchain) -> std::path::PathBuf {
    toolchain
        .target_dir()
        .join(WASM_TARGET)
        .join(PROFILE)
        .join(format!("{WASM_STEM}.wasm"))
}

/// Builds both packages (assumes setup is done), with the toolchain `KRU_WASM_NIGHTLY` asks
/// for (stable unless it is `1`).
pub fn build() -> Result {
    build_with(Toolchain::from_env()?)
}

/// Builds both packages with `toolchain` (assumes setup is done).
pub fn build_with(toolchain: Toolchain) -> Result {
    banner(match toolchain {
        Toolchain::Stable => "wasm: build the npm packages",
        Toolchain::Nightly => "wasm: build the npm packages (nightly, -Zbuild-std)",
    });
    require(&format!("{CRATE_DIR}/Cargo.toml"))?;
    for output in OUTPUTS {
        let dir = root_path(output.dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).at("cannot remove", &dir)?;
        }
    }
    for module in MODULES {
        let mut cargo = Cmd::cargo();
        if toolchain == Toolchain::Nightly {
            let mut rustflags = Nightly::RUSTFLAGS.to_owned();
            for flag in module.rustc_flags() {
                rustflags = format!("{rustflags} {flag}");
            }
            cargo = cargo
                .arg(Nightly::TOOLCHAIN)
                .env("RUSTFLAGS", rustflags)
                // `cargo xtask` runs under the stable toolchain's cargo, which set these.
                .env_remove("RUSTUP_TOOLCHAIN")
                .env_remove("RUSTC");
        }
        cargo = cargo.args([
            "build",
            "-p",
            PACKAGE,
            "--target",
            WASM_TARGET,
            "--profile",
            PROFILE,
        ]);
        if toolchain == Toolchain::Nightly {
            cargo = cargo
                .arg(Nightly::BUILD_STD)
                .arg("--target-dir")
                .arg(toolchain.target_dir());
        } else if let Some(config) = module.cargo_config() {
            cargo = cargo.arg("--config").arg(config);
        }
        cargo.args(module.cargo_args).run()?;
        let wasm = cargo_wasm_path(toolchain);
        if !wasm.is_file() {
            bail!(
                "cargo did not write {}: does {CRATE_DIR}/Cargo.toml have `crate-type = [\"cdylib\", …]`?",
                display_path(&wasm)
            );
        }
        for output in OUTPUTS {
            build_module(output, module, &wasm)?;
        }
    }
    let version = package_version()?;
    for output in OUTPUTS {
        finish_output(output, &version)?;
    }
    // Brotli and gzip copies of the browser modules, which `cargo xtask serve` sends as they
    // are (after package.json, so npm's `files` does not list them).
    let web = root_path(WEB.dir);
    let served: Vec<_> = MODULES
        .iter()
        .flat_map(|m| [format!("{}_bg.wasm", m.stem), format!("{}.js", m.stem)])
        .map(|name| web.join(name))
        .collect();
    crate::serve::precompress(&served)
}

fn build_module(output: &Output, module: &Module, wasm: &Path) -> Result {
    let dir = root_path(output.dir);
    Cmd::new("wasm-bindgen")
        .args(["--target", output.target, "--out-dir", output.dir])
        .args(["--out-name", module.stem])
        .arg(wasm)
        .run()?;
    let bg = dir.join(format!("{}_bg.wasm", module.stem));
    if !bg.is_file() {
        bail!("wasm-bindgen did not write {}", display_path(&bg));
    }
    let wasm_opt = js_bin("wasm-opt")?;
    let before = file_len(&bg)?;
    Cmd::new(&wasm_opt)
        .arg("-Oz")
        .args(WASM_OPT_FEATURES)
        .args(module.features.iter().map(|f| f.wasm_opt))
        .args(WASM_OPT_STRIP)
        .arg(&bg)
        .arg("-o")
        .arg(&bg)
        .run()?;
    let after = file_len(&bg)?;
    let glue = dir.join(format!("{}.js", module.stem));
    let js = std::fs::read_to_string(&glue).at("cannot read", &glue)?;
    let esbuild = js_bin("esbuild")?;
    let js = shorten_import_names(&bg, &js)?;
    let js = inline_snippets(&js, &dir, &|file| {
        Cmd::new(&esbuild)
            .arg(file)
            .args([
                "--minify-whitespace",
                "--minify-syntax",
                "--log-level=warning",
            ])
            .read()
    })?;
    let snippets = dir.join("snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets).at("cannot remove", &snippets)?;
    }
    let minified = minify_glue(&js, &glue, &esbuild)?;
    println!(
        "{}/{}: wasm-opt {} → {} bytes, {} with short import names; glue {} → {} bytes minified",
        output.dir,
        module.stem,
        crate::util::format_bytes(before),
        crate::util::format_bytes(after),
        crate::util::format_bytes(file_len(&bg)?),
        crate::util::format_bytes(js.len() as u64),
        crate::util::format_bytes(minified.len() as u64),
    );
    Ok(())
}

/// Gives the imports of the module `bg` short names ([`crate::imports`]) and returns the
/// glue `js` with its import object's keys renamed the same way.
fn shorten_import_names(bg: &Path, js: &str) -> Result<String> {
    let wasm = std::fs::read(bg).at("cannot read", bg)?;
    let (short, renamed) =
        crate::imports::rename_imports(&wasm).map_err(|e| format!("{}: {e}", display_path(bg)))?;
    let js = crate::imports::rename_glue_keys(js, &renamed)
        .map_err(|e| format!("{} and its glue: {e}", display_path(bg)))?;
    std::fs::write(bg, &short).at("cannot write", bg)?;
    Ok(js)
}

/// The `@ts-self-types` comment wasm-bindgen puts first in the glue (Deno and other hosts
/// find the `.d.ts` through it); [`minify_glue`] keeps it.
const TS_SELF_TYPES: &str = "/* @ts-self-types=";

/// Minifies the glue `js` with esbuild (`--minify`: white space, syntax and the names of
/// everything that is not exported; no `--format`, so the exported classes and functions
/// keep their names, `Pack.name` included) into the file `glue`, and returns what it wrote.
/// The JSDoc comments go too: the `.d.ts` keeps them for editors. wasm-bindgen's first line
/// (`/* @ts-self-types="./STEM.d.ts" */`) is put back in front.
fn minify_glue(js: &str, glue: &Path, esbuild: &Path) -> Result<String> {
    std::fs::write(glue, js).at("cannot write", glue)?;
    let minified = Cmd::new(esbuild)
        .arg(glue)
        .args(["--minify", "--log-level=warning"])
        .read()?;
    let mut out = String::with_capacity(minified.len() + 64);
    if let Some(first) = js.lines().next().filter(|l| l.starts_with(TS_SELF_TYPES)) {
        out.push_str(first);
        out.push('\n');
    }
    out.push_str(&minified);
    std::fs::write(glue, &out).at("cannot write", glue)?;
    Ok(out)
}

fn finish_output(output: &Output, version: &str) -> Result {
    let dir = root_path(output.dir);
    let readme = root_path(CRATE_DIR).join("README.md");
    if readme.is_file() {
        let to = dir.join("README.md");
        std::fs::copy(&readme, &to).at("cannot copy to", &to)?;
    }
    write_ui_strings(&dir)?;
    let json = package_json(output, version, &dir)?;
    let path = dir.join("package.json");
    std::fs::write(&path, json).at("cannot write", &path)?;
    println!("wrote {}/ ({} {version})", output.dir, output.npm_name);
    Ok(())
}

/// The core's built-in interface strings (`core/src/ui/*.toml`), which the module does not
/// link (see `bindings-wasm/src/ui.rs`).
pub const UI_STRINGS_DIR: &str = "core/src/ui";

/// In `core/src/ui/en.toml`, the comment lines that open and close a run of ids that only
/// staff and teachers see (or no web screen at all: `kru play`, kiosk.c). The web app's first
/// visit fetches the rest (`ui/<tag>.visitor.txt`); its staff screens fetch the whole files.
pub const STAFF_BEGIN: &str = "# [staff]";
/// See [`STAFF_BEGIN`].
pub const STAFF_END: &str = "# [/staff]";

/// Writes the built-in interface strings into `<dir>/ui/` as data, compiled ([`compiled`]):
/// the host fetches them and hands their text to `uiStrings()`. `<tag>.txt` has every id of
/// `core/src/ui/<tag>.toml`, `report-<tag>.txt` the report's; beside each `<tag>.txt`,
/// `<tag>.visitor.txt`: only the ids that are not staff ids ([`staff_ids`]), for a first visit.
fn write_ui_strings(dir: &Path) -> Result {
    let from = root_path(UI_STRINGS_DIR);
    let to = dir.join("ui");
    std::fs::create_dir_all(&to).at("cannot create", &to)?;
    let en_path = from.join("en.toml");
    let staff = staff_ids(&std::fs::read_to_string(&en_path).at("cannot read", &en_path)?);
    for entry in std::fs::read_dir(&from).at("cannot list", &from)? {
        let path = entry.at("cannot list", &from)?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).at("cannot read", &path)?;
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            let dest = to.join(format!("{stem}.txt"));
            std::fs::write(&dest, compiled(&text, &path)?).at("cannot write", &dest)?;
            if stem.starts_with("report-") {
                // The report's words: the report screen (staff) fetches them whole.
                continue;
            }
            let visitor = to.join(format!("{stem}.visitor.txt"));
            let part = compiled(&visitor_part(&text, &staff), &path)?;
            std::fs::write(&visitor, part).at("cannot write", &visitor)?;
        }
    }
    Ok(())
}

/// The catalogue `text` (`[interface]` TOML lines, read from `path`) in the compiled form the
/// module reads (`kru_core::ui::table`: `id` U+001F `text` U+001E, no escapes), by the core's
/// own reader and writer.
pub fn compiled(text: &str, path: &Path) -> Result<String> {
    kru_core::ui::Catalogue::parse(text)
        .and_then(|c| c.to_table())
        .map_err(|e| format!("{}: {e}", display_path(path)).into())
}

/// The id of a catalogue line `id = "…"`, if it is one.
fn catalogue_id(line: &str) -> Option<&str> {
    let (id, _) = line.split_once('=')?;
    let id = id.trim();
    (!id.is_empty() && !id.starts_with('#') && !id.starts_with('[')).then_some(id)
}

/// The ids of the English catalogue `en` that stand between [`STAFF_BEGIN`] and [`STAFF_END`].
pub fn staff_ids(en: &str) -> std::collections::BTreeSet<String> {
    let mut staff = false;
    let mut out = std::collections::BTreeSet::new();
    for line in en.lines().map(str::trim) {
        if line == STAFF_BEGIN {
            staff = true;
        } else if line == STAFF_END {
            staff = false;
        } else if let Some(id) = catalogue_id(line).filter(|_| staff) {
            out.insert(id.to_owned());
        }
    }
    out
}

/// The catalogue `text` with its `[interface]` header and the lines of ids not in `staff`.
pub fn visitor_part(text: &str, staff: &std::collections::BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    for line in text.lines() {
        let t = line.trim();
        let keep = t == "[interface]" || catalogue_id(t).is_some_and(|id| !staff.contains(id));
        if keep {
            out.push_str(t);
            out.push('\n');
        }
    }
    out
}

/// Puts the crate's JS snippets (`#[wasm_bindgen(module = "/src/….js")]`, e.g.
/// `bindings-wasm/src/tape.js`) into the glue `js` of the output folder `dir`, in place of the
/// line that imports them (`import { f } from './snippets/…';` for the web,
/// `const { f } = require(String.raw`./snippets/…`);` for Node.js): a package of three files
/// (no `snippets/` folder for a host, a service worker or a bundler to know about), and the
/// CommonJS glue does not `require` an ES module. `read` gives a snippet's text: in the build,
/// esbuild's output without comments and white space (`--minify-whitespace --minify-syntax`;
/// names are kept, so nothing in the glue can clash); its `export function`s become plain
/// declarations, and whole-line `//` comments and indentation are left out.
pub fn inline_snippets(
    js: &str,
    dir: &Path,
    read: &dyn Fn(&Path) -> Result<String>,
) -> Result<String> {
    let mut out = String::with_capacity(js.len());
    for line in js.split_inclusive('\n') {
        let Some(path) = snippet_import(line) else {
            out.push_str(line);
            continue;
        };
        let file = dir.join(path);
        let snippet = read(&file)?;
        let names = line
            .split_once('{')
            .and_then(|(_, rest)| rest.split_once('}'))
            .map(|(names, _)| names)
            .unwrap_or_default();
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if !snippet.contains(&format!("export function {name}(")) {
                bail!(
                    "{}: the glue imports `{name}`, which the snippet does not export as `export function {name}(` (renamed imports are not inlined)",
                    display_path(&file)
                );
            }
        }
        for l in snippet.split_inclusive('\n') {
            let t = l.trim_start();
            if t.starts_with("//") {
                continue;
            }
            out.push_str(&t.replace("export function ", "function "));
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// The path (`snippets/…`) of the snippet `line` of the glue imports, if it is such a line.
fn snippet_import(line: &str) -> Option<&str> {
    let t = line.trim();
    let path = if t.starts_with("import {") {
        t.split_once("from '")?.1.strip_suffix("';")?
    } else if t.starts_with("const {") {
        t.split_once("require(String.raw`")?.1.strip_suffix("`);")?
    } else {
        return None;
    };
    path.strip_prefix("./snippets/").map(|_| &path[2..])
}

/// Folder (under the target directory) of the packs the wasm tests load.
pub const TEST_PACKS_DIR: &str = "test-packs";
/// The environment variable that tells the wasm tests (wasm-bindgen and `node --test`) where
/// the test packs are.
pub const TEST_PACKS_ENV: &str = "KRU_TEST_PACKS";

/// The second bundled pack (English and Lao), which every host's tests also run.
pub const SECOND_SCRIPT_PACK_SOURCE: &str = "content-packs/safe-migration-lo";

/// Builds the packs the wasm tests use, with the real CLI, into `target/test-packs/`:
/// `safe-migration-lo.krupack` (the second script, unsigned),
/// `safe-migration.krupack` (unsigned), a fresh key pair `test-key` + `test-key.pub` (hex),
/// `safe-migration.signed.krupack` signed with it, and `safe-migration.hotline-1289.krupack`:
/// the same source with the hotline number changed by one digit (1288 → 1289), unsigned, from
/// which the tests forge a pack carrying the original's signature. Returns the folder.
pub fn build_test_packs() -> Result<std::path::PathBuf> {
    banner("wasm: test packs (kru build, kru keygen, kru sign)");
    require(crate::demo::DEMO_PACK_SOURCE)?;
    let dir = target_dir().join(TEST_PACKS_DIR);
    std::fs::create_dir_all(&dir).at("cannot create", &dir)?;
    let unsigned = dir.join("safe-migration.krupack");
    let signed = dir.join("safe-migration.signed.krupack");
    let key = dir.join("test-key");
    let kru = |args: &[&std::ffi::OsStr]| {
        Cmd::cargo()
            .args(["run", "-q", "-p", crate::demo::CLI_PACKAGE, "--"])
            .args(args)
            .run()
    };
    kru(&[
        "build".as_ref(),
        crate::demo::DEMO_PACK_SOURCE.as_ref(),
        "-o".as_ref(),
        unsigned.as_os_str(),
    ])?;
    kru(&["keygen".as_ref(), "-o".as_ref(), key.as_os_str()])?;
    kru(&[
        "sign".as_ref(),
        unsigned.as_os_str(),
        "--key".as_ref(),
        key.as_os_str(),
        "-o".as_ref(),
        signed.as_os_str(),
    ])?;
    // The second-script pack (English and Lao), unsigned.
    kru(&[
        "build".as_ref(),
        SECOND_SCRIPT_PACK_SOURCE.as_ref(),
        "-o".as_ref(),
        dir.join("safe-migration-lo.krupack").as_os_str(),
    ])?;
    // The tampered copy: the source with one digit of the hotline number changed.
    let tampered_src = dir.join("hotline-1289-src");
    if tampered_src.exists() {
        std::fs::remove_dir_all(&tampered_src).at("cannot remove", &tampered_src)?;
    }
    copy_dir(&root_path(crate::demo::DEMO_PACK_SOURCE), &tampered_src)?;
    let manifest = tampered_src.join("pack.toml");
    let text = std::fs::read_to_string(&manifest).at("cannot read", &manifest)?;
    if !text.contains("phone = \"1288\"") {
        bail!(
            "{} has no `phone = \"1288\"` to tamper with",
            display_path(&manifest)
        );
    }
    let text = text.replacen("phone = \"1288\"", "phone = \"1289\"", 1);
    std::fs::write(&manifest, text).at("cannot write", &manifest)?;
    let tampered = dir.join("safe-migration.hotline-1289.krupack");
    kru(&[
        "build".as_ref(),
        tampered_src.as_os_str(),
        "-o".as_ref(),
        tampered.as_os_str(),
    ])?;
    for file in [&unsigned, &signed, &tampered, &dir.join("test-key.pub")] {
        if !file.is_file() {
            bail!("the CLI did not write {}", display_path(file));
        }
    }
    Ok(dir)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).at("cannot create", to)?;
    for entry in std::fs::read_dir(from).at("cannot list", from)? {
        let entry = entry.at("cannot list", from)?;
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest).at("cannot copy to", &dest)?;
        }
    }
    Ok(())
}

fn file_len(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path).at("cannot stat", path)?.len())
}

/// The version for package.json: kru-wasm's own, else the workspace's.
pub fn package_version() -> Result<String> {
    let crate_manifest = root_path(CRATE_DIR).join("Cargo.toml");
    if let Ok(text) = std::fs::read_to_string(&crate_manifest) {
        if let Some(v) = toml_string(&text, "package", "version") {
            return Ok(v);
        }
    }
    workspace_field("version")?.ok_or_else(|| "no [workspace.package] version in Cargo.toml".into())
}

fn workspace_field(key: &str) -> Result<Option<String>> {
    let manifest = root_path("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).at("cannot read", &manifest)?;
    Ok(toml_string(&text, "workspace.package", key))
}

/// Whether the nodejs glue is an ES module (`export`/`import`) rather than CommonJS.
fn is_es_module(js: &str) -> bool {
    js.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("export ") || l.starts_with("import ")
    })
}

/// The package.json for one output folder, listing the files that are in it.
fn package_json(output: &Output, version: &str, dir: &Path) -> Result<String> {
    let js = format!("{WASM_STEM}.js");
    let dts = format!("{WASM_STEM}.d.ts");
    let bg = format!("{WASM_STEM}_bg.wasm");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .at("cannot list", dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != "package.json")
        .collect();
    files.sort();
    let glue = std::fs::read_to_string(dir.join(&js)).unwrap_or_default();
    let module = output.target == "web" || is_es_module(&glue);
    let full_js = format!("{FULL_STEM}.js");
    let has_full = files.contains(&full_js);
    let mut side_effects = vec!["./snippets/*".to_owned()];
    if output.target != "web" {
        // The CommonJS glue instantiates the module when it is required.
        side_effects.insert(0, format!("./{js}"));
        if has_full {
            side_effects.insert(1, format!("./{full_js}"));
        }
    }
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("\"{}\"", json_escape(i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from("{\n");
    let mut field = |key: &str, value: String| {
        out.push_str(&format!("  \"{key}\": {value},\n"));
    };
    let string = |s: &str| format!("\"{}\"", json_escape(s));
    field("name", string(output.npm_name));
    field("version", string(version));
    field("description", string(output.description));
    if let Some(license) = workspace_field("license")? {
        field("license", string(&license));
    }
    if let Some(repository) = workspace_field("repository")? {
        field("repository", string(&repository));
    }
    field("type", string(if module { "module" } else { "commonjs" }));
    field("main", string(&js));
    if module {
        field("module", string(&js));
    }
    field("types", string(&dts));
    let full = if has_full {
        format!(
            "    \"./full\": {{ \"types\": \"./{FULL_STEM}.d.ts\", \"default\": \"./{full_js}\" }},\n    \
             \"./{FULL_STEM}_bg.wasm\": \"./{FULL_STEM}_bg.wasm\",\n"
        )
    } else {
        String::new()
    };
    field(
        "exports",
        format!(
            "{{\n    \".\": {{ \"types\": \"./{dts}\", \"default\": \"./{js}\" }},\n    \
             \"./{bg}\": \"./{bg}\",\n{full}    \"./package.json\": \"./package.json\"\n  }}"
        ),
    );
    field("files", format!("[{}]", list(&files)));
    field("sideEffects", format!("[{}]", list(&side_effects)));
    // Remove the trailing ",\n" of the last field.
    out.truncate(out.len() - 2);
    out.push_str("\n}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_module_is_built_with_simd_and_the_full_one_without() {
        assert_eq!(
            MAIN.cargo_config().as_deref(),
            Some("target.wasm32-unknown-unknown.rustflags=[\"-Ctarget-feature=+simd128\"]")
        );
        assert_eq!(
            MAIN.features.iter().map(|f| f.wasm_opt).collect::<Vec<_>>(),
            ["--enable-simd"]
        );
        assert_eq!(FULL.cargo_config(), None);
        assert!(FULL.features.is_empty());
    }

    #[test]
    fn visitor_catalogue_leaves_out_staff_ids_and_comments() {
        let en = "# header\n[interface]\n# [staff]\nplayTrue = \"true\"\n# [/staff]\nnext = \"Next\"\n\n# [staff]\npinOk = \"Unlock\"\n# [/staff]\nlisten = \"Listen = hear\"\n";
        let staff = staff_ids(en);
        assert_eq!(
            staff.iter().map(String::as_str).collect::<Vec<_>>(),
            ["pinOk", "playTrue"]
        );
        assert_eq!(
            visitor_part(en, &staff),
            "[interface]\nnext = \"Next\"\nlisten = \"Listen = hear\"\n"
        );
        // Another language is split by the English file's markers.
        let km = "[interface]\npinOk = \"ដោះ\"\nnext = \"បន្ទាប់\"\n";
        assert_eq!(visitor_part(km, &staff), "[interface]\nnext = \"បន្ទាប់\"\n");
        // What the package ships: the compiled form, unescaped.
        assert_eq!(
            compiled(&visitor_part(en, &staff), Path::new("en.toml")).unwrap(),
            "next\u{1f}Next\u{1e}listen\u{1f}Listen = hear\u{1e}"
        );
        assert!(compiled("next = x", Path::new("bad.toml"))
            .unwrap_err()
            .to_string()
            .starts_with("bad.toml: interface strings, line 1"));
    }

    #[test]
    fn the_core_catalogue_has_balanced_staff_markers() {
        let en = std::fs::read_to_string(root_path(UI_STRINGS_DIR).join("en.toml")).unwrap();
        let marks: Vec<&str> = en
            .lines()
            .map(str::trim)
            .filter(|l| *l == STAFF_BEGIN || *l == STAFF_END)
            .collect();
        assert!(!marks.is_empty());
        for pair in marks.chunks(2) {
            assert_eq!(
                pair,
                [STAFF_BEGIN, STAFF_END],
                "markers open and close in turn"
            );
        }
        let staff = staff_ids(&en);
        // What a kiosk visitor sees is not staff; what only staff see is.
        for id in [
            "next",
            "listen",
            "listenSynthetic",
            "kioskWelcome",
            "idleTitle",
            "tfRightTrue",
            "qrCaption",
            "dataLost",
            "error-other",
        ] {
            assert!(!staff.contains(id), "{id} is a visitor's");
        }
        for id in [
            "playTrue",
            "reportTitle",
            "settingsTitle",
            "pinOk",
            "adminPinTitle",
            "kioskAutoplay",
            "classNew",
            "chooseMode",
        ] {
            assert!(staff.contains(id), "{id} is staff's");
        }
    }

    #[test]
    fn snippets_are_inlined_for_both_targets() {
        let dir = std::env::temp_dir().join(format!("kru-xtask-snippets-{}", std::process::id()));
        let read = |f: &Path| -> Result<String> { Ok(std::fs::read_to_string(f).unwrap()) };
        let snip = dir.join("snippets/kru-wasm-0123/src");
        std::fs::create_dir_all(&snip).unwrap();
        std::fs::write(
            snip.join("view.js"),
            "// a comment\nconst K = [1];\n/** doc */\nexport function kruBuild(a) {\n  return K[a]; // kept\n}\n",
        )
        .unwrap();
        let inlined =
            "const K = [1];\n/** doc */\nfunction kruBuild(a) {\nreturn K[a]; // kept\n}\n";
        for import in [
            "import { kruBuild } from './snippets/kru-wasm-0123/src/view.js';\n",
            "const { kruBuild } = require(String.raw`./snippets/kru-wasm-0123/src/view.js`);\n",
        ] {
            let js = format!("/* glue */\n{import}let wasm;\n");
            assert_eq!(
                inline_snippets(&js, &dir, &read).unwrap(),
                format!("/* glue */\n{inlined}let wasm;\n")
            );
        }
        let wrong = "import { other } from './snippets/kru-wasm-0123/src/view.js';\n";
        assert!(inline_snippets(wrong, &dir, &read).is_err());
        // Other imports are left alone.
        let js = "import { a } from './b.js';\nconst { c } = require('d');\n";
        assert_eq!(inline_snippets(js, &dir, &read).unwrap(), js);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn es_modules_are_recognised() {
        assert!(is_es_module("let x;\nexport function f() {}\n"));
        assert!(!is_es_module("module.exports.f = f;\n"));
    }

    #[test]
    fn package_json_lists_files() {
        let dir = std::env::temp_dir().join(format!("xtask-pkgjson-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in [
            "kru_wasm.js",
            "kru_wasm.d.ts",
            "kru_wasm_bg.wasm",
            ".gitignore",
        ] {
            std::fs::write(dir.join(f), "export function f() {}\n").unwrap();
        }
        let json = package_json(&WEB, "1.2.3", &dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(json.contains("\"name\": \"@kru/engine\""), "{json}");
        assert!(json.contains("\"version\": \"1.2.3\""), "{json}");
        assert!(
            json.contains("\"files\": [\"kru_wasm.d.ts\", \"kru_wasm.js\", \"kru_wasm_bg.wasm\"]"),
            "{json}"
        );
        assert!(
            json.contains("\"sideEffects\": [\"./snippets/*\"]"),
            "{json}"
        );
        assert!(json.trim_end().ends_with('}'), "{json}");
        assert!(!json.contains(",\n}"), "{json}");
    }
}
