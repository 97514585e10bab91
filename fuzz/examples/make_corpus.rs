//! Writes the seed corpus `fuzz/corpus/<target>/`: `cargo run --example make_corpus` in `fuzz/`.
//!
//! Seeds are small (each < 64 KB) and deterministic: packs from the tiny in-code pack and the
//! real safe-migration pack, truncated pack files, results logs from simulated cohorts,
//! session snapshots at several steps, start-and-call sequences, and the pack's TOML sources.
//! Rewrite only when the formats change; after fuzzing, minimise with `cargo fuzz cmin`.

use std::path::Path;
use std::sync::Arc;

use kru_core::pack::format;
use kru_core::record::log;
use kru_core::pack::signature;
use kru_core::simulation::{simulate, SimulationOptions};
use kru_core::{Pack, Session, SessionOptions};
use kru_fuzz::harness::{self, Bytes, SECRET, T0};

const MAX_SEED: usize = 64 * 1024;

fn write(target: &str, name: &str, bytes: &[u8]) {
    if bytes.len() >= MAX_SEED {
        eprintln!("skip {target}/{name}: {} bytes", bytes.len());
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    std::fs::create_dir_all(&dir).expect("create corpus dir");
    std::fs::write(dir.join(name), bytes).expect("write seed");
}

fn with(prefix: &[u8], bytes: &[u8]) -> Vec<u8> {
    let mut v = prefix.to_vec();
    v.extend_from_slice(bytes);
    v
}

fn records(pack: &Arc<Pack>, journey: &str, n: u32, seed: u64) -> Vec<kru_core::ResultRecord> {
    let mut out = Vec::new();
    simulate(
        pack,
        &SimulationOptions {
            journey,
            learners: n,
            seed,
            start_ms: T0,
            dropout: 0.3,
        },
        |r| out.push(r),
    )
    .expect("simulate");
    out
}

fn log_of(rs: &[kru_core::ResultRecord]) -> Vec<u8> {
    rs.iter()
        .flat_map(|r| log::encode_record(r).expect("encode"))
        .collect()
}

fn main() {
    let packs = kru_fuzz::packs();
    let tiny = Arc::clone(&packs.tiny);
    let real = packs
        .real
        .clone()
        .expect("the safe-migration pack compiles");

    // pack_decode: mode byte, then a file (0, 3), a postcard payload (1, 2) or an LZ4 block (4).
    let file = format::encode(&tiny).expect("encode");
    let signed = signature::sign(&file, &SECRET).expect("sign");
    let payload = format::encode_payload(&tiny).expect("payload");
    let real_payload = format::encode_payload(&real).expect("payload");
    write("pack_decode", "tiny-file", &with(&[0], &file));
    write("pack_decode", "tiny-signed", &with(&[0], &signed));
    write("pack_decode", "tiny-fixcrc", &with(&[3], &file));
    write("pack_decode", "tiny-payload", &with(&[1], &payload));
    write("pack_decode", "tiny-payload-sign", &with(&[2], &payload));
    write("pack_decode", "real-payload", &with(&[1], &real_payload));
    // The real pack is too big for a seed with both languages: compile it in English only.
    let english: Vec<_> = kru_fuzz::sources()
        .iter()
        .filter(|f| f.path != "i18n/km.toml")
        .map(|f| {
            let mut f = f.clone();
            f.text = f.text.replace(
                "[[language]]\ntag = \"km\"\nname = \"ខ្មែរ\"\nstatus = \"draft\"\nnumerals = \"khmer\"\n",
                "",
            );
            f
        })
        .collect();
    match kru_core::authoring::compile(&english, None).pack {
        Some(p) => {
            let payload = format::encode_payload(&p).expect("payload");
            write("pack_decode", "real-en-payload", &with(&[1], &payload));
        }
        None => eprintln!("the English-only safe-migration pack does not compile"),
    }
    let mut raw_block = (payload.len() as u32).to_le_bytes().to_vec();
    raw_block.extend_from_slice(&lz4_flex::block::compress(&payload));
    write("pack_decode", "tiny-lz4-block", &with(&[4], &raw_block));
    for cut in [7, 16, 30, file.len() / 2, file.len() - 3] {
        write(
            "pack_decode",
            &format!("tiny-cut-{cut}"),
            &with(&[0], &file[..cut]),
        );
    }

    // results_log: logs of simulated cohorts, torn and damaged.
    let small = log_of(&records(&tiny, "kiosk", 4, 1));
    let school = log_of(&records(&real, "school", 3, 2));
    let kiosk = log_of(&records(&real, "kiosk", 2, 3));
    write("results_log", "tiny-4", &small);
    write("results_log", "tiny-torn", &small[..small.len() - 5]);
    let mut damaged = small.clone();
    damaged[small.len() / 3] ^= 0x55;
    write("results_log", "tiny-damaged", &damaged);
    write("results_log", "real-school-3", &school);
    write("results_log", "real-kiosk-2", &kiosk);
    write(
        "results_log",
        "concat",
        &[&small[..], b"garbage KRL1", &kiosk[..]].concat(),
    );

    // snapshot_restore: selector byte (bit 0: real pack; bit 1: fix the frame), then a snapshot
    // at several steps.
    for (sel, pack, journey) in [
        (0u8, &tiny, "kiosk"),
        (1, &real, "school"),
        (1, &real, "kiosk"),
    ] {
        let mut s = Session::start(
            Arc::clone(pack),
            &SessionOptions {
                journey,
                languages: &["km"],
                seed: 42,
                learner: "C-1",
                now_ms: T0,
            },
        )
        .expect("start");
        let script = [3u8, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4];
        let mut b = Bytes::new(&script);
        for at in [0usize, 3, 8, 20, 60] {
            while s.progress().0 < at && !s.is_done() {
                if b.is_empty() {
                    b = Bytes::new(&script);
                }
                harness::drive(&mut s, &mut b, 1);
            }
            write(
                "snapshot_restore",
                &format!("{journey}-{sel}-{at}"),
                &with(&[sel], &s.snapshot()),
            );
            if at == 8 {
                // Bit 1: the harness fixes the length and checksum.
                write(
                    "snapshot_restore",
                    &format!("{journey}-{sel}-{at}-fix"),
                    &with(&[sel | 2], &s.snapshot()),
                );
            }
        }
    }

    // session_calls: selector, start options, then opcodes with arguments.
    let start = |sel: u8, journey: u8| {
        let mut v = vec![sel, journey, 1, 0];
        v.extend_from_slice(&7u64.to_le_bytes());
        v.extend_from_slice(&[0, 0]);
        v
    };
    let plays: &[(&str, u8, u8, &[u8])] = &[
        (
            "tiny-play",
            0,
            0,
            &[0, 7, 1, 2, 3, 0, 7, 0, 0, 0, 7, 9, 9, 9, 10],
        ),
        (
            "real-school-play",
            1,
            0,
            &[
                0, 7, 0, 0, 7, 1, 2, 7, 3, 0, 7, 4, 5, 6, 7, 0, 7, 9, 9, 0, 7, 0, 0, 7, 3, 10,
            ],
        ),
        (
            "real-kiosk-play",
            1,
            1,
            &[
                0, 7, 2, 2, 0, 7, 1, 1, 9, 2, 0, 1, 7, 8, 0, 5, 1, 0, 7, 5, 5, 11,
            ],
        ),
        (
            "real-mixed",
            1,
            0,
            &[
                4, 0, 3, 5, 6, 0, 0, 1, 7, 8, 12, 0, 255, 1, 9, 3, 0, 1, 10, 11,
            ],
        ),
    ];
    for (name, sel, journey, calls) in plays {
        write("session_calls", name, &with(&start(*sel, *journey), calls));
    }

    // authoring_parse: mode 0 + which file + that file's text; mode 1 + a small folder.
    for (i, path) in harness::SOURCE_PATHS.iter().enumerate() {
        if let Some(f) = kru_fuzz::sources().iter().find(|f| f.path == *path) {
            let name = path.replace(['/', '.'], "-");
            write(
                "authoring_parse",
                &format!("replace-{name}"),
                &with(&[0, i as u8], f.text.as_bytes()),
            );
        }
    }
    let folder = "%%% pack.toml\n[pack]\nid = \"demo\"\nversion = \"1.0.0\"\ndefault_language = \"en\"\n\n\
                  [[language]]\ntag = \"en\"\nname = \"English\"\n\n%%% items.toml\n\n%%% i18n/en.toml\n";
    write(
        "authoring_parse",
        "folder-demo",
        &with(&[1], folder.as_bytes()),
    );
    // strings_po: the real pack's Khmer strings as `kru strings export` writes them (the first
    // 30 entries), one changed translation, and a small file with continued strings, a fuzzy
    // entry and an obsolete one.
    if let Ok(c) = kru_core::authoring::strings::catalogue(kru_fuzz::sources(), "km") {
        let text = kru_core::authoring::strings::po::write(&c);
        let head: Vec<&str> = text.split("\n\n").take(31).collect();
        let head = head.join("\n\n") + "\n";
        write("strings_po", "export-km", head.as_bytes());
        write(
            "strings_po",
            "export-km-changed",
            head.replacen("msgstr \"", "msgstr \"ថ្មី ", 2).as_bytes(),
        );
    }
    write(
        "strings_po",
        "small-forms",
        b"msgid \"\"\nmsgstr \"\"\n\"Language: km\\n\"\n\n#~ msgctxt \"old\"\n#~ msgid \"x\"\n#~ msgstr \"y\"\n\n#. the pack's title\n#, fuzzy\nmsgctxt \"pack.title\"\nmsgid \"\"\n\"Safe migration: \"\n\"six key messages\"\nmsgstr \"{hotline} \\\"\\t\\n\"\n\nmsgctxt \"card.footer\"\nmsgid \"a\"\nmsgstr \"{x}\"\n",
    );
    println!("corpus written to {}/corpus", env!("CARGO_MANIFEST_DIR"));
}
