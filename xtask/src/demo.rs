//! `cargo xtask demo [--port N] [--no-serve]`: builds everything the web demo needs and serves it.
//!
//! 1. setup, limited to what the demo needs (wasm target, wasm-bindgen-cli, `tools/js`);
//! 2. the content pack, signed: `cargo run -p kru-cli --release -- build
//!    content-packs/safe-migration -o web-demo/safe-migration.krupack --key KEY`, where KEY is a
//!    development signing key kept under `target/kru-dev-keys/` (made with `kru keygen` the first
//!    time), and its LZ4-free form `web-demo/safe-migration.krupack.nolz4` (`--no-lz4`, same
//!    key), which the server sends instead when it compresses the answer; its public key is written to `web-demo/trusted-keys.json`, which the app passes
//!    to `Pack.load` as `trustedKeys` (so an unsigned or tampered pack is refused);
//! 3. the browser package (`cargo xtask wasm`);
//! 4. serves `web-demo/` (and `/pkg/`) on <http://127.0.0.1:8080/> until Ctrl-C.

use crate::bail;
use crate::cmd::Cmd;
use crate::serve::{self, parse_port, DEFAULT_PORT};
use crate::setup;
use crate::util::{banner, display_path, require, root_path, target_dir, IoContext, Result};
use crate::wasm;

/// The pack the demo loads: source folder and output file.
pub const DEMO_PACK_SOURCE: &str = "content-packs/safe-migration";
/// Where the compiled pack goes (served as `/safe-migration.krupack`).
pub const DEMO_PACK_OUTPUT: &str = "web-demo/safe-migration.krupack";
/// The same pack with its payload stored without LZ4 (`kru build --no-lz4`): what
/// `cargo xtask serve` sends for `/safe-migration.krupack` when it compresses the answer.
pub const DEMO_PACK_STORED_OUTPUT: &str = "web-demo/safe-migration.krupack.nolz4";
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
    if !serve_it {
        println!("\ndemo built; serve it with `cargo xtask serve`");
        return Ok(());
    }
    banner("serve the demo");
    let site = serve::demo_site()?;
    println!("open http://127.0.0.1:{port}/ in a browser");
    serve::serve(site, port)
}

/// Compiles the demo's content pack with kru-cli (`release` picks the release profile) and
/// signs it with the development key, which is created first when missing; writes the public
/// key to `web-demo/trusted-keys.json`.
pub fn build_pack(release: bool) -> Result {
    banner("content pack for the demo (signed with the development key)");
    require(DEMO_PACK_SOURCE)?;
    require("web-demo")?;
    let cli = |args: &[&str]| {
        let mut cmd = Cmd::cargo().args(["run", "-p", CLI_PACKAGE]);
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
    cli(&[
        "build",
        DEMO_PACK_SOURCE,
        "-o",
        DEMO_PACK_OUTPUT,
        "--key",
        &key.to_string_lossy(),
    ])
    .run()?;
    require(DEMO_PACK_OUTPUT)?;
    // Written after the LZ4 file, so that the server finds it no older than that.
    cli(&[
        "build",
        DEMO_PACK_SOURCE,
        "-o",
        DEMO_PACK_STORED_OUTPUT,
        "--key",
        &key.to_string_lossy(),
        "--no-lz4",
    ])
    .run()?;
    require(DEMO_PACK_STORED_OUTPUT)?;
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
