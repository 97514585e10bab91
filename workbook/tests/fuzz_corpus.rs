//! Replays the committed seeds of the `workbook_convert` fuzz target (`fuzz/corpus/`) and
//! any crash found (`fuzz/regressions/`), through the target's own harness, on every
//! `cargo test`. See docs/robustness.md.

use std::path::Path;

#[test]
fn workbook_convert_corpus_replays() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    let mut failed = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join("workbook_convert")) else {
            continue;
        };
        for e in entries.flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            n += 1;
            if std::panic::catch_unwind(|| kru_workbook::fuzzing::convert(&bytes)).is_err() {
                failed.push(e.path().display().to_string());
            }
        }
    }
    assert!(n >= 3, "the seeds are missing");
    assert!(
        failed.is_empty(),
        "inputs that panic:\n{}",
        failed.join("\n")
    );
}

mod mutations {
    use proptest::prelude::*;

    fn seeds() -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/corpus/workbook_convert");
        let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| std::fs::read(e.path()).unwrap())
            .collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A stable-Rust stand-in for a short fuzz run: seeds with bytes flipped, cut or
        /// inserted go through the target's harness without a panic.
        #[test]
        fn mutated_seeds_do_not_panic(
            seed in 0usize..3,
            edits in proptest::collection::vec((any::<u32>(), any::<u8>(), 0u8..3), 1..8),
        ) {
            let all = seeds();
            let mut bytes = all[seed % all.len()].clone();
            for (pos, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let p = pos as usize % bytes.len();
                match kind {
                    0 => bytes[p] = byte,
                    1 => bytes.truncate(p.max(2)),
                    _ => bytes.insert(p, byte),
                }
            }
            kru_workbook::fuzzing::convert(&bytes);
        }

        /// The same inside the zip: one XML file of a seed workbook edited, the archive made
        /// again (valid checksums), so the edits reach calamine and the layout.
        #[test]
        fn mutated_sheets_do_not_panic(
            seed in 0usize..2,
            entry in any::<u16>(),
            edits in proptest::collection::vec((any::<u32>(), prop::sample::select(b"<>\"=/ 0123456789abcrtvAZ:[]{}".to_vec()), 0u8..3), 1..12),
        ) {
            use std::io::{Read, Write};
            let zips: Vec<Vec<u8>> = seeds().into_iter().filter(|s| s.starts_with(b"PK")).collect();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zips[seed % zips.len()].clone())).unwrap();
            let mut files = Vec::new();
            for i in 0..archive.len() {
                let mut f = archive.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                files.push((f.name().unwrap().to_string(), data));
            }
            let n = files.len();
            let data = &mut files[entry as usize % n].1;
            for (pos, byte, kind) in edits {
                if data.is_empty() {
                    break;
                }
                let p = pos as usize % data.len();
                match kind {
                    0 => data[p] = byte,
                    1 => { data.remove(p); }
                    _ => data.insert(p, byte),
                }
            }
            let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            for (name, data) in &files {
                w.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
                w.write_all(data).unwrap();
            }
            let bytes = w.finish().unwrap().into_inner();
            kru_workbook::fuzzing::convert(&bytes);
        }
    }
}
