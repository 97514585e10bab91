//! `kru validate`, `kru build`, `kru info`.

use std::path::Path;
use std::process::ExitCode;

use kru_core::authoring::{self, Severity, SourceFile};
use kru_core::pack::signature;
use kru_core::pack::Date;

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
    let files = read_sources(dir)?;
    let compiled = authoring::compile(&files, Some(today));
    let errors = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = compiled.diagnostics.len() - errors;
    for d in &compiled.diagnostics {
        eprintln!("{d}");
    }
    eprintln!(
        "{}: {errors} error(s), {warnings} warning(s)",
        dir.display()
    );
    Ok(compiled.pack.filter(|_| errors == 0))
}

/// `kru validate DIR`.
pub fn validate(dir: &Path, today_arg: Option<&str>) -> CliResult<ExitCode> {
    Ok(match compile_and_report(dir, today(today_arg)?)? {
        Some(_) => ExitCode::SUCCESS,
        None => ExitCode::from(1),
    })
}

/// `kru build DIR -o FILE`.
pub fn build(dir: &Path, output: &Path, key: Option<&Path>) -> CliResult<ExitCode> {
    let Some(pack) = compile_and_report(dir, today(None)?)? else {
        eprintln!("not built: fix the errors above");
        return Ok(ExitCode::from(1));
    };
    let mut bytes = kru_core::pack::format::encode(&pack).map_err(|e| e.to_string())?;
    if let Some(k) = key {
        bytes = signature::sign(&bytes, &read_key(k)?).map_err(|e| e.to_string())?;
    }
    write_atomic(output, &bytes)?;
    eprintln!(
        "built {} ({} bytes{})",
        output.display(),
        bytes.len(),
        if key.is_some() {
            ", signed"
        } else {
            ", unsigned"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `kru info FILE`.
pub fn info(path: &Path, json: bool) -> CliResult<ExitCode> {
    let bytes = read(path)?;
    let header = kru_core::pack::format::read_header(&bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let pack = kru_core::pack::format::decode_payload(&bytes, &header)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let signer = signature::signer(&bytes).map_err(|e| e.to_string())?;
    let coverage = pack.coverage();
    let en = pack
        .languages
        .iter()
        .position(|l| l.tag == "en")
        .unwrap_or(usize::from(pack.meta.default_language));
    let chain = [u8::try_from(en).unwrap_or(0)];
    let count = |k: &str| pack.items.iter().filter(|i| i.kind.name() == k).count();
    let kinds = [
        "single",
        "multiple",
        "true-false",
        "ordering",
        "matching",
        "text",
        "numeric",
        "likert",
    ];
    let stale = pack.stale_resources(Date::from_unix_ms(now_ms()));
    if json {
        let v = serde_json::json!({
            "id": pack.meta.id,
            "version": pack.meta.version.to_string(),
            "title": pack.meta.title.resolve(&chain),
            "format": header.format,
            "bytes": bytes.len(),
            "signed_by": signer.map(|k| signature::key_id(&k)),
            "languages": pack.languages.iter().zip(&coverage).map(|(l, (p, t))| serde_json::json!({
                "tag": l.tag, "name": l.name, "status": l.status.name(), "present": p, "total": t,
            })).collect::<Vec<_>>(),
            "journeys": pack.journeys.iter().map(|j| serde_json::json!({
                "id": j.id, "title": j.title.resolve(&chain),
                "phases": j.phases.iter().map(|p| p.kind.name()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "objectives": pack.objectives.len(),
            "items": kinds.iter().map(|k| (k.to_string(), count(k))).collect::<std::collections::BTreeMap<_, _>>(),
            "lessons": pack.lessons.len(),
            "stories": pack.stories.len(),
            "forms": pack.forms.iter().map(|f| serde_json::json!({"id": f.id, "items": f.items.len()})).collect::<Vec<_>>(),
            "resources": pack.resources.iter().map(|r| serde_json::json!({
                "id": r.id, "phone": r.phone, "verified": r.verified.to_string(),
            })).collect::<Vec<_>>(),
            "stale_resources": stale.iter().map(|(i, age)| serde_json::json!({"index": i, "age_days": age})).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {} — {}",
        pack.meta.id,
        pack.meta.version,
        pack.meta.title.resolve(&chain)
    );
    println!("  file: {} bytes, format {}", bytes.len(), header.format);
    match signer {
        Some(k) => println!("  signed by key {}", signature::key_id(&k)),
        None => println!("  unsigned"),
    }
    println!(
        "  licence: {}; authors: {}",
        pack.meta.licence,
        pack.meta.authors.join(", ")
    );
    println!("  languages:");
    for (l, (p, t)) in pack.languages.iter().zip(&coverage) {
        println!(
            "    {:6} {:10} {:8} {:5.1}% ({p}/{t} strings)",
            l.tag,
            l.name,
            l.status.name(),
            100.0 * *p as f64 / (*t).max(1) as f64
        );
    }
    println!("  journeys:");
    for j in &pack.journeys {
        let phases: Vec<&str> = j.phases.iter().map(|p| p.kind.name()).collect();
        println!(
            "    {:8} {} [{}]",
            j.id,
            j.title.resolve(&chain),
            phases.join(" → ")
        );
    }
    println!("  objectives: {}", pack.objectives.len());
    let scored = pack.items.iter().filter(|i| i.kind.is_scored()).count();
    println!("  items: {} ({} scored)", pack.items.len(), scored);
    for k in kinds {
        println!("    {k:11} {}", count(k));
    }
    for f in &pack.forms {
        println!("  form {}: {} items", f.id, f.items.len());
    }
    println!(
        "  lessons: {}, stories: {}",
        pack.lessons.len(),
        pack.stories.len()
    );
    for r in &pack.resources {
        println!("  resource {}: {} (verified {})", r.id, r.phone, r.verified);
    }
    for (i, age) in &stale {
        if let Some(r) = pack.resources.get(*i) {
            println!("  warning: {} was last verified {age} days ago", r.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}
