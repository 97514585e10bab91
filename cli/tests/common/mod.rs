//! Helpers shared by the CLI's integration tests.

use std::path::{Path, PathBuf};

/// The bundled pack's source folder.
pub fn bundled_pack() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration")
}

/// Copies the folder `from` into `to`, sub-folders (the pack's `i18n/`, its media) included.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
