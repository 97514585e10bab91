//! `kru validate`, `kru build`, `kru info`.

use std::path::Path;
use std::process::ExitCode;

use kru_core::authoring::{self, Severity, SourceFile};
use kru_core::pack::catalogue::{PackCatalogue, Resolved};
use kru_core::pack::format::{self, PayloadCoding};
use kru_core::pack::signature;
use kru_core::pack::Date;
use serde::Serialize;

use crate::util::{now_ms, read, read_key, write_atomic, CliResult};

/// Reads every `.toml` file below a pack source folder, with paths relative to it.
pub fn read_sources(dir: &Path) -> CliResult<Vec<SourceFile>> {
    if !dir.join("pack.toml").is_file() {
        return Err(format!(
            "{} is not a pack source folder (it has no pack.toml)",
            dir.display()
        ));
    }
    authoring::read_source_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))
}

fn today(arg: Option<&str>) -> CliResult<Date> {
    match arg {
        Some(s) => Date::parse(s).ok_or_else(|| format!("--today {s}: expected YYYY-MM-DD")),
        None => Ok(Date::from_unix_ms(now_ms())),
    }
}

fn compile_and_report(dir: &Path, today: Date) -> CliResult<Option<kru_core::Pack>> {
    let sources = crate::authoring_cmds::Sources::load(dir)?;
    let compiled = sources.compile(Some(today));
    let errors = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = compiled.diagnostics.len() - errors;
    for d in &compiled.diagnostics {
        eprintln!("{}", sources.show(d));
    }
    eprintln!(
        "{}: {errors} error(s), {warnings} warning(s)",
        dir.display()
    );
    Ok(compiled.pack.filter(|_| errors == 0))
}

/// `kru validate DIR|FILE.xlsx|FILE.ods`.
pub fn validate(dir: &Path, today_arg: Option<&str>) -> CliResult<ExitCode> {
    Ok(match compile_and_report(dir, today(today_arg)?)? {
        Some(_) => ExitCode::SUCCESS,
        None => ExitCode::from(1),
    })
}

/// `kru build DIR -o FILE [--key KEY] [--no-lz4]`.
pub fn build(dir: &Path, output: &Path, key: Option<&Path>, no_lz4: bool) -> CliResult<ExitCode> {
    let Some(pack) = compile_and_report(dir, today(None)?)? else {
        eprintln!("not built: fix the errors above");
        return Ok(ExitCode::from(1));
    };
    let coding = if no_lz4 {
        PayloadCoding::Stored
    } else {
        PayloadCoding::Lz4
    };
    let mut bytes = format::encode_with(&pack, coding).map_err(|e| e.to_string())?;
    if let Some(k) = key {
        bytes = signature::sign(&bytes, &read_key(k)?).map_err(|e| e.to_string())?;
    }
    write_atomic(output, &bytes)?;
    eprintln!(
        "built {} ({} bytes{}{})",
        output.display(),
        bytes.len(),
        if no_lz4 { ", payload without LZ4" } else { "" },
        if key.is_some() {
            ", signed"
        } else {
            ", unsigned"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `kru info FILE`: the pack's catalogue ([`PackCatalogue`]), as text or (`--json`) as the
/// catalogue's JSON with the file's `bytes` and `format`, and `titles`: the title in each
/// pack language. Texts in English when the pack has
/// it, else in its default language; resource ages as of today. Also the texts that still need
/// a recording in each language ([`kru_core::pack::Pack::unrecorded`]): counted, the first few
/// listed (all of them with `audio`; in the JSON always all, as `unrecorded`), and how many
/// texts are recorded, read by a synthetic voice or without audio (`audio` in the JSON).
pub fn info(path: &Path, json: bool, audio: bool) -> CliResult<ExitCode> {
    let bytes = read(path)?;
    let header = format::read_header(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let pack =
        format::decode_payload(&bytes, &header).map_err(|e| format!("{}: {e}", path.display()))?;
    let signer = signature::signer(&bytes).map_err(|e| e.to_string())?;
    let chain = pack.negotiate(&["en"]);
    let today = Date::from_unix_ms(now_ms());
    let c = PackCatalogue::new(&pack, &chain, today, signer.as_ref());
    if json {
        /// The catalogue with what only the file tells.
        #[derive(Serialize)]
        struct Info<'a> {
            #[serde(flatten)]
            catalogue: &'a PackCatalogue<'a>,
            bytes: usize,
            format: u16,
            /// Per language tag, the texts with no recording in it yet.
            unrecorded: std::collections::BTreeMap<&'a str, Vec<&'a str>>,
            /// Per language tag, the texts recorded, read by a synthetic voice, without audio.
            audio: std::collections::BTreeMap<&'a str, kru_core::pack::AudioCounts>,
            /// Interface-string coverage per pack language.
            interface: Vec<kru_core::ui::Coverage>,
            /// The pack's title in each of its languages (by tag), for a host's pack index.
            titles: std::collections::BTreeMap<&'a str, &'a str>,
            /// Per pack language (by tag), every interface string as a host shows it in that
            /// language (the pack's own strings win over kru's built-in ones): what a host's
            /// pack index copies for a screen it draws before its engine is loaded.
            interface_strings:
                std::collections::BTreeMap<&'a str, std::collections::BTreeMap<String, String>>,
        }
        let info = Info {
            catalogue: &c,
            bytes: bytes.len(),
            format: header.format,
            unrecorded: pack
                .languages
                .iter()
                .enumerate()
                .map(|(i, l)| (l.tag.as_str(), pack.unrecorded(i)))
                .collect(),
            audio: pack
                .languages
                .iter()
                .enumerate()
                .map(|(i, l)| (l.tag.as_str(), pack.audio_counts(i)))
                .collect(),
            interface: kru_core::ui::coverage(&pack),
            titles: pack
                .languages
                .iter()
                .map(|l| {
                    let chain = pack.negotiate(&[l.tag.as_str()]);
                    (
                        l.tag.as_str(),
                        Resolved::of(&pack.meta.title, &chain).0.text,
                    )
                })
                .collect(),
            interface_strings: pack
                .languages
                .iter()
                .map(|l| {
                    let strings =
                        kru_core::ui::UiStrings::for_preferred(Some(&pack), &[l.tag.as_str()]);
                    let strings = strings
                        .iter()
                        .map(|(id, s)| (id.to_string(), s.to_string()))
                        .collect();
                    (l.tag.as_str(), strings)
                })
                .collect(),
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} {} — {}", c.id, c.version, c.title.text);
    println!(
        "  file: {} bytes, format {}{}",
        bytes.len(),
        header.format,
        match header.coding {
            PayloadCoding::Lz4 => ", LZ4",
            PayloadCoding::Stored => ", payload without LZ4",
        }
    );
    match &c.signer_key_id {
        Some(k) => println!("  signed by key {k}"),
        None => println!("  unsigned"),
    }
    println!(
        "  licence: {}; authors: {}",
        c.licence,
        c.authors.join(", ")
    );
    println!("  languages:");
    for (l, cov) in c.languages.iter().zip(&c.coverage) {
        let (p, t) = (cov.present, cov.total);
        println!(
            "    {:6} {:10} {:8} {:5.1}% ({p}/{t} strings)",
            l.tag,
            l.name,
            l.status,
            100.0 * p as f64 / t.max(1) as f64
        );
    }
    println!("  audio (recorded by a person / synthetic voice / none; texts still to record):");
    for (i, l) in c.languages.iter().enumerate() {
        let todo = pack.unrecorded(i);
        let n = pack.audio_counts(i);
        println!(
            "    {:6} {} recorded, {} synthetic voice, {} without audio; {} to record",
            l.tag,
            n.recorded,
            n.synthetic,
            n.missing,
            todo.len()
        );
        let shown = if audio { todo.len() } else { todo.len().min(3) };
        for s in &todo[..shown] {
            println!("      - {}", one_line(s, 70));
        }
        if shown < todo.len() {
            println!(
                "      … and {} more (kru info --audio lists them all)",
                todo.len() - shown
            );
        }
    }
    println!("  interface strings (the pack's own or kru's built-in):");
    for cov in kru_core::ui::coverage(&pack) {
        println!(
            "    {:6} {:5.1}% ({}/{}, {} from the pack){}",
            cov.tag,
            100.0 * cov.covered as f64 / cov.total.max(1) as f64,
            cov.covered,
            cov.total,
            cov.from_pack,
            if cov.missing.is_empty() {
                String::new()
            } else {
                format!("; missing, shown in English: {}", cov.missing.join(", "))
            }
        );
    }
    println!("  journeys:");
    for j in &c.journeys {
        let phases: Vec<&str> = j.phases.iter().map(|p| p.kind).collect();
        println!("    {:8} {} [{}]", j.id, j.title.text, phases.join(" → "));
    }
    println!("  objectives: {}", c.objectives.len());
    println!("  items: {} ({} scored)", c.items.len(), c.scored_items());
    for k in &c.item_kinds {
        println!("    {:11} {}", k.kind, k.count);
    }
    for f in &c.forms {
        println!("  form {}: {} items", f.id, f.items.len());
    }
    println!("  lessons: {}, stories: {}", c.lessons, c.stories);
    for r in &c.resources {
        println!("  resource {}: {} (verified {})", r.id, r.phone, r.verified);
    }
    for r in c.stale_resources() {
        println!(
            "  warning: {} was last verified {} days ago",
            r.id, r.age_days
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `s` on one line, cut at `max` characters with "…".
fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max).collect();
    cut.push('…');
    cut
}
