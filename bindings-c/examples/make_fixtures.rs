//! Makes the signing fixtures of the C tests from a built pack.
//!
//! `cargo run -p kru-c --example make_fixtures -- PACK.krupack OUT_DIR` writes:
//! - `OUT_DIR/signed.krupack`: the pack signed with a fixed test key (never use it for real
//!   content: its secret is in this file);
//! - `OUT_DIR/signer.pub`: that key's 32-byte Ed25519 public key;
//! - `OUT_DIR/other.pub`: the public key of another test key, which did not sign the pack.

use std::path::PathBuf;
use std::process::ExitCode;

use kru_core::pack::signature;

/// The test signing key (a fixed secret: these fixtures are for tests only).
const TEST_SECRET: [u8; 32] = *b"kru-c test signing key, not real";
/// A second key that signs nothing.
const OTHER_SECRET: [u8; 32] = *b"kru-c other key, trusts nothing.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pack, out] = args.as_slice() else {
        eprintln!("usage: make_fixtures PACK.krupack OUT_DIR");
        return ExitCode::from(2);
    };
    match run(&PathBuf::from(pack), &PathBuf::from(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_fixtures: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(pack: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let bytes = std::fs::read(pack).map_err(|e| format!("{}: {e}", pack.display()))?;
    let signed = signature::sign(&bytes, &TEST_SECRET).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, data: &[u8]| {
        let path = out.join(name);
        std::fs::write(&path, data).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("signed.krupack", &signed)?;
    write("signer.pub", &signature::public_key(&TEST_SECRET))?;
    write("other.pub", &signature::public_key(&OTHER_SECRET))?;
    println!(
        "signed {} -> {} ({} bytes)",
        pack.display(),
        out.join("signed.krupack").display(),
        signed.len()
    );
    Ok(())
}
