//! Shared helpers of the CLI: reading packs, keys and logs, the clock.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use kru_core::pack::signature::{self, TrustPolicy};
use kru_core::Pack;

/// A CLI error: a message for the user.
pub type CliResult<T> = Result<T, String>;

/// The bundled safe-migration pack, compiled from `content-packs/safe-migration` at build time.
pub const BUNDLED_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/safe-migration.krupack"));

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Reads a file with the path in the error.
pub fn read(path: &Path) -> CliResult<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Writes a file atomically (temporary file, then rename), with the path in the error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> CliResult<()> {
    let tmp = path.with_extension("tmp-kru");
    let mut f =
        fs::File::create(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads a hex key file of 32 bytes.
pub fn read_key(path: &Path) -> CliResult<[u8; 32]> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read key {}: {e}", path.display()))?;
    let hex: String = text.split_whitespace().collect();
    if hex.len() != 64 {
        return Err(format!(
            "{}: a key file holds 64 hex digits",
            path.display()
        ));
    }
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
            .map_err(|_| format!("{}: not a hex key", path.display()))?;
    }
    Ok(key)
}

/// Hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads a pack file with the given trust, or the bundled pack.
pub fn load_pack(
    path: Option<&Path>,
    trust: &[std::path::PathBuf],
    allow_unsigned: bool,
) -> CliResult<Arc<Pack>> {
    match path {
        None => signature::load(BUNDLED_PACK, &TrustPolicy::default().allow_unsigned())
            .map(Arc::new)
            .map_err(|e| format!("bundled pack: {e}")),
        Some(p) => {
            let bytes = read(p)?;
            let mut policy = TrustPolicy::default();
            for k in trust {
                policy
                    .add_key(&read_key(k)?)
                    .map_err(|e| format!("{}: {e}", k.display()))?;
            }
            if allow_unsigned {
                policy = policy.allow_unsigned();
            }
            signature::load(&bytes, &policy).map(Arc::new).map_err(|e| {
                let hint = if matches!(
                    e,
                    kru_core::PackError::Unsigned | kru_core::PackError::UntrustedSigner { .. }
                ) {
                    " (pass --trust KEY.pub, or --allow-unsigned while developing)"
                } else {
                    ""
                };
                format!("{}: {e}{hint}", p.display())
            })
        }
    }
}

/// Loads a pack for reports: trusted by checksum only (the results are already collected).
pub fn load_pack_for_reading(path: Option<&Path>) -> CliResult<Arc<Pack>> {
    load_pack(path, &[], true)
}
