//! `kru keygen`, `kru sign`, `kru verify`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kru_core::pack::signature::{self, TrustPolicy};

use crate::util::{hex, read, read_key, write_atomic, CliResult};

/// Creates a key pair from the operating system's random source.
pub fn keygen(output: &Path) -> CliResult<ExitCode> {
    let mut secret = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut secret))
        .map_err(|e| format!("cannot read random bytes: {e}"))?;
    let public = signature::public_key(&secret);
    let pub_path = PathBuf::from(format!("{}.pub", output.display()));
    write_atomic(output, format!("{}\n", hex(&secret)).as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(output, std::fs::Permissions::from_mode(0o600));
    }
    write_atomic(&pub_path, format!("{}\n", hex(&public)).as_bytes())?;
    println!(
        "secret key: {} (keep it secret)\npublic key: {} (key id {})",
        output.display(),
        pub_path.display(),
        signature::key_id(&public)
    );
    Ok(ExitCode::SUCCESS)
}

/// Signs a pack file.
pub fn sign(pack: &Path, key: &Path, output: Option<&Path>) -> CliResult<ExitCode> {
    let bytes = read(pack)?;
    let secret = read_key(key)?;
    let signed =
        signature::sign(&bytes, &secret).map_err(|e| format!("{}: {e}", pack.display()))?;
    let out = output.unwrap_or(pack);
    write_atomic(out, &signed)?;
    println!(
        "signed {} with key {}",
        out.display(),
        signature::key_id(&signature::public_key(&secret))
    );
    Ok(ExitCode::SUCCESS)
}

/// Verifies a pack file's signature.
pub fn verify(pack: &Path, trust: &[PathBuf]) -> CliResult<ExitCode> {
    let bytes = read(pack)?;
    let mut policy = TrustPolicy::default();
    for k in trust {
        policy
            .add_key(&read_key(k)?)
            .map_err(|e| format!("{}: {e}", k.display()))?;
    }
    match signature::load(&bytes, &policy) {
        Ok(p) => {
            let signer = signature::signer(&bytes).ok().flatten();
            println!(
                "ok: {} {} is signed by trusted key {}",
                p.meta.id,
                p.meta.version,
                signer.map(|k| signature::key_id(&k)).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("refused: {}: {e}", pack.display());
            Ok(ExitCode::from(1))
        }
    }
}
