//! `cargo xtask demo [--port N] [--no-serve]`: builds everything the web demo needs and serves it.
//!
//! 1. setup, limited to what the demo needs (wasm target, wasm-bindgen-cli, `tools/js`);
//! 2. every bundled content pack (`content-packs/<id>/`), signed: `cargo run -p kru-cli
//!    --release -- build content-packs/<id> -o web-demo/<id>.krupack --key KEY`, where KEY is a
//!    development signing key kept under `target/kru-dev-keys/` (made with `kru keygen` the first
//!    time), and its LZ4-free form `web-demo/<id>.krupack.nolz4` (`--no-lz4`, same key), which
//!    the server sends instead when it compresses the answer; its public key is written to
//!    `web-demo/trusted-keys.json`, which the app passes to `Pack.load` as `trustedKeys` (so an
//!    unsigned or tampered pack is refused); the pack index `web-demo/packs.json` (id, title per
//!    language, languages, file, size, SHA-256 of each), which the app's pack chooser reads;
//! 3. the browser package (`cargo xtask wasm`);
//! 4. the deployable site `target/site/` (`cargo xtask site`: the app minified, with the
//!    engine, the packs and the media; [`crate::site`]);
//! 5. serves it on <http://127.0.0.1:8080/> until Ctrl-C (`cargo xtask serve --src` serves the
//!    sources instead).

use crate::bail;
use crate::cmd::Cmd;
use crate::serve::{self, parse_port, DEFAULT_PORT};
use crate::setup;
use crate::site;
use crate::util::{banner, display_path, require, root_path, target_dir, IoContext, Result};
use crate::wasm;

/// The pack the demo loads when a device has chosen none (its source folder; built into
/// `web-demo/safe-migration.krupack`).
pub const DEMO_PACK_SOURCE: &str = "content-packs/safe-migration";
/// The id of the default pack (first in the index; the app's `DEFAULT_PACK`).
pub const DEFAULT_PACK_ID: &str = "safe-migration";
/// The folder whose sub-folders with a `pack.toml` are the bundled packs.
pub const PACKS_FOLDER: &str = "content-packs";
/// The pack index the app's pack chooser reads (written by [`build_pack`]).
pub const PACK_INDEX_OUTPUT: &str = "web-demo/packs.json";
/// Beside each `web-demo/<id>.krupack`, the same pack with its payload stored without LZ4
/// (`kru build --no-lz4`): what `cargo xtask serve` sends for it when it compresses the answer.
pub const STORED_SUFFIX: &str = ".nolz4";
/// The authoring CLI's package.
pub const CLI_PACKAGE: &str = "kru-cli";
/// The development signing key of the demo pack, under the target directory (never committed;
/// the public key is next to it as `demo-signing.key.pub`).
pub const DEV_KEY_FILE: &str = "kru-dev-keys/demo-signing.key";
/// The keys the web demo trusts (written from the development key's public half).
pub const TRUSTED_KEYS_OUTPUT: &str = "web-demo/trusted-keys.json";

/// `cargo xtask demo [--port N] [--no-serve]`.
pub fn main(args: &[String]) -> Result {
    let mut port = DEFAULT_PORT;
    let mut serve_it = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = parse_port(args.next())?,
            "--no-serve" => serve_it = false,
            other => bail!("demo: unknown argument `{other}` (try `cargo xtask --help`)"),
        }
    }
    setup::run(&setup::FOR_WASM)?;
    build_pack(true)?;
    wasm::build()?;
    let out = site::build()?;
    if !serve_it {
        println!(
            "\ndemo built into {}; serve it with `cargo xtask serve` (or the sources, unminified, with `cargo xtask serve --src`)",
            display_path(&out)
        );
        return Ok(());
    }
    banner("serve the demo");
    println!("open http://127.0.0.1:{port}/ in a browser");
    serve::serve(serve::Site::new(out), port)
}

/// The bundled packs: the folders under `content-packs/` that hold a `pack.toml`, the default
/// pack first, then by name.
pub fn bundled_packs() -> Result<Vec<String>> {
    let dir = root_path(PACKS_FOLDER);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).at("cannot list", &dir)? {
        let entry = entry.at("cannot list", &dir)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("pack.toml").is_file() {
            if !is_pack_id(&name) {
                bail!(
                    "{PACKS_FOLDER}/{name}: a bundled pack's folder is named by its id (a-z, 0-9, `-`)"
                );
            }
            names.push(name);
        }
    }
    names.sort_by_key(|n| (n != DEFAULT_PACK_ID, n.clone()));
    if names.first().map(String::as_str) != Some(DEFAULT_PACK_ID) {
        bail!("{DEMO_PACK_SOURCE}: the default pack of the demo is missing");
    }
    Ok(names)
}

/// A pack id the app accepts in a file name and in `?pack=`: `a-z`, `0-9` and `-`.
pub fn is_pack_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Compiles every bundled pack (`content-packs/<id>/` → `web-demo/<id>.krupack`) with kru-cli
/// (`release` picks the release profile), signs each with the development key, which is
/// created first when missing, writes the public key to `web-demo/trusted-keys.json` and the
/// pack index to `web-demo/packs.json` ([`pack_index_json`]).
pub fn build_pack(release: bool) -> Result {
    banner("content packs for the demo (signed with the development key) and their index");
    require(DEMO_PACK_SOURCE)?;
    require("web-demo")?;
    let cli = |args: &[&str]| {
        let mut cmd = Cmd::cargo().args(["run", "-q", "-p", CLI_PACKAGE]);
        if release {
            cmd = cmd.arg("--release");
        }
        cmd.arg("--").args(args)
    };
    let key = target_dir().join(DEV_KEY_FILE);
    let public = key.with_file_name("demo-signing.key.pub");
    if !key.is_file() || !public.is_file() {
        if let Some(dir) = key.parent() {
            std::fs::create_dir_all(dir).at("cannot create", dir)?;
        }
        println!(
            "no development signing key yet: creating {}",
            display_path(&key)
        );
        cli(&["keygen", "-o", &key.to_string_lossy()]).run()?;
    }
    let mut entries = Vec::new();
    for id in bundled_packs()? {
        let source = format!("{PACKS_FOLDER}/{id}");
        let file = format!("{id}.krupack");
        let output = format!("web-demo/{file}");
        cli(&[
            "build",
            &source,
            "-o",
            &output,
            "--key",
            &key.to_string_lossy(),
        ])
        .run()?;
        require(&output)?;
        // Written after the LZ4 file, so that the server finds it no older than that.
        let stored = format!("{output}{STORED_SUFFIX}");
        cli(&[
            "build",
            &source,
            "-o",
            &stored,
            "--key",
            &key.to_string_lossy(),
            "--no-lz4",
        ])
        .run()?;
        require(&stored)?;
        let info = cli(&["info", "--json", &output]).read()?;
        let info: serde_json::Value = serde_json::from_str(&info)
            .map_err(|e| format!("kru info --json {output}: not JSON: {e}"))?;
        if info["id"].as_str() != Some(id.as_str()) {
            bail!(
                "{source}: the pack's id is {}, not its folder's name `{id}`",
                info["id"]
            );
        }
        let bytes = std::fs::read(root_path(&output)).at("cannot read", &root_path(&output))?;
        entries.push(index_entry(&info, &file, &bytes));
        println!("  {output}: {} bytes", bytes.len());
    }
    let index = pack_index_json(&entries);
    let out = root_path(PACK_INDEX_OUTPUT);
    std::fs::write(&out, index).at("cannot write", &out)?;
    println!("wrote {PACK_INDEX_OUTPUT} ({} packs)", entries.len());
    let hex = read_public_key(&public)?;
    let json = trusted_keys_json(&hex);
    let out = root_path(TRUSTED_KEYS_OUTPUT);
    std::fs::write(&out, json).at("cannot write", &out)?;
    println!(
        "wrote {TRUSTED_KEYS_OUTPUT} (key id {})",
        hex.get(..16).unwrap_or(&hex)
    );
    Ok(())
}

/// The interface strings the kiosk's attract screen (and the page around it) shows before the
/// engine is loaded: copied per pack language into the index ([`index_entry`], `attract`), as
/// the engine resolves them for that pack (`kru info --json`, `interface_strings`). The app
/// (`web-demo/kiosk.js`, `drawEarly`) uses no other id before its engine is ready.
pub const ATTRACT_IDS: &[&str] = &[
    "appName",
    "appTagline",
    "skipToContent",
    "langSwitch",
    "teacherButton",
    "loading",
    "offlineNotYet",
    "kioskPitch",
    "start",
    "startWaiting",
    "hotlineLine",
];

/// One pack's entry in the index, from `kru info --json` of its file and the file's bytes:
/// id, version, title in each language, languages (tag, own name, direction, numerals), file
/// name, size in bytes and SHA-256 (hex), and `attract`: what the kiosk's attract screen
/// shows before the engine is loaded (the hotline's number: the first help resource's; the
/// [`ATTRACT_IDS`] strings in each pack language).
pub fn index_entry(info: &serde_json::Value, file: &str, bytes: &[u8]) -> serde_json::Value {
    use sha2::Digest;
    let languages: Vec<serde_json::Value> = info["languages"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| {
                    serde_json::json!({
                        "tag": l["tag"], "name": l["name"], "dir": l["dir"], "numerals": l["numerals"],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let hash: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let strings: serde_json::Map<String, serde_json::Value> = info["interface_strings"]
        .as_object()
        .map(|by_tag| {
            by_tag
                .iter()
                .map(|(tag, all)| {
                    let picked: serde_json::Map<String, serde_json::Value> = ATTRACT_IDS
                        .iter()
                        .filter_map(|id| Some((id.to_string(), all.get(*id)?.clone())))
                        .collect();
                    (tag.clone(), serde_json::Value::Object(picked))
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "id": info["id"],
        "version": info["version"],
        "title": info["titles"],
        "languages": languages,
        "file": file,
        "size": bytes.len(),
        "sha256": hash,
        "attract": {
            "hotline": info["resources"][0]["phone"],
            "strings": strings,
        },
    })
}

/// The pack index (`web-demo/packs.json`): the default pack's id and the packs, default first.
pub fn pack_index_json(entries: &[serde_json::Value]) -> String {
    let index = serde_json::json!({
        "note": "The packs this app can run, written by cargo xtask demo (demo-pack step). Staff choose one per device; the app loads only that one.",
        "default": DEFAULT_PACK_ID,
        "packs": entries,
    });
    let mut text = serde_json::to_string_pretty(&index).unwrap_or_default();
    text.push('\n');
    text
}

/// The 64 hex digits of a public key file written by `kru keygen`.
fn read_public_key(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path).at("cannot read", path)?;
    let hex: String = text
        .split_whitespace()
        .collect::<String>()
        .to_ascii_lowercase();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!(
            "{}: expected 64 hex digits (a public key from `kru keygen`)",
            display_path(path)
        );
    }
    Ok(hex)
}

/// The web demo's trust configuration: the public keys whose signatures it accepts.
pub fn trusted_keys_json(public_hex: &str) -> String {
    format!(
        "{{\n  \"note\": \"Public keys whose pack signatures the app accepts. Written by cargo xtask demo from its development key (target/{DEV_KEY_FILE}.pub); a deployment lists its publisher's keys here.\",\n  \"keys\": [\n    {{ \"id\": \"{}\", \"publicKey\": \"{public_hex}\", \"label\": \"development key (cargo xtask demo)\" }}\n  ]\n}}\n",
        public_hex.get(..16).unwrap_or(public_hex)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_packs_start_with_the_default_and_include_the_lao_pack() {
        let packs = bundled_packs().unwrap();
        assert_eq!(packs[0], DEFAULT_PACK_ID);
        assert!(packs.iter().any(|p| p == "safe-migration-lo"), "{packs:?}");
        assert!(packs.iter().all(|p| is_pack_id(p)), "{packs:?}");
    }

    #[test]
    fn pack_ids_are_lowercase_letters_digits_and_hyphens() {
        assert!(is_pack_id("safe-migration-lo"));
        for bad in [
            "",
            "Safe",
            "a/b",
            "../x",
            "a.krupack",
            "a b",
            &"x".repeat(65),
        ] {
            assert!(!is_pack_id(bad), "{bad}");
        }
    }

    #[test]
    fn index_entry_has_titles_languages_size_and_hash() {
        let info = serde_json::json!({
            "id": "p", "version": "1.0.0", "titles": { "lo": "ລາວ", "en": "P" },
            "languages": [{ "tag": "lo", "name": "ລາວ", "status": "draft", "numerals": "laoo", "dir": "ltr" }],
            "resources": [{ "id": "h", "phone": "1288" }, { "id": "i", "phone": "999" }],
            "interface_strings": { "lo": { "start": "ເລີ່ມ", "next": "ຕໍ່ໄປ", "startWaiting": "…" } },
        });
        let entry = index_entry(&info, "p.krupack", b"abc");
        assert_eq!(entry["title"]["lo"], "ລາວ");
        assert_eq!(entry["languages"][0]["numerals"], "laoo");
        assert_eq!(entry["languages"][0].get("status"), None);
        assert_eq!(entry["size"], 3);
        // The attract screen's strings only, and the first help resource's number.
        assert_eq!(entry["attract"]["hotline"], "1288");
        assert_eq!(entry["attract"]["strings"]["lo"]["start"], "ເລີ່ມ");
        assert_eq!(entry["attract"]["strings"]["lo"]["startWaiting"], "…");
        assert_eq!(entry["attract"]["strings"]["lo"].get("next"), None);
        // SHA-256 of "abc" (FIPS 180-2's example).
        assert_eq!(
            entry["sha256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let index: serde_json::Value = serde_json::from_str(&pack_index_json(&[entry])).unwrap();
        assert_eq!(index["default"], DEFAULT_PACK_ID);
        assert_eq!(index["packs"][0]["file"], "p.krupack");
    }

    #[test]
    fn trusted_keys_json_has_the_key_and_its_id() {
        let hex = "ab".repeat(32);
        let json = trusted_keys_json(&hex);
        assert!(
            json.contains(&format!("\"publicKey\": \"{hex}\"")),
            "{json}"
        );
        assert!(json.contains("\"id\": \"abababababababab\""), "{json}");
    }
}
