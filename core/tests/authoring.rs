//! Tests of the pack authoring compiler (`kru_core::authoring`).
//!
//! Run with `cargo test -p kru-core --features authoring`.
#![cfg(feature = "authoring")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kru_core::authoring::{compile, Compiled, Diagnostic, Severity, SourceFile, DIAGNOSTIC_CODES};
use kru_core::pack::format;
use kru_core::pack::Date;
use kru_core::session::step::Step;
use kru_core::{Answer, ItemKind, Session, SessionOptions};
use proptest::prelude::*;

use Severity::{Error, Warning};

mod common;
use common::edit;

// ------------------------------------------------------------------------------- helpers

/// Reads every `.toml` file under `dir` (recursively) as the CLI does.
fn read_dir(dir: &Path) -> Vec<SourceFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", d.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(SourceFile::new(rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out
}

fn show(c: &Compiled) -> String {
    c.diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 1-based line of the `nth` (1-based) occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str, nth: usize) -> u32 {
    let mut from = 0;
    let mut at = 0;
    for _ in 0..nth {
        at = from
            + text[from..]
                .find(needle)
                .unwrap_or_else(|| panic!("no {needle:?}"));
        from = at + 1;
    }
    text[..at].matches('\n').count() as u32 + 1
}

fn text_of<'a>(files: &'a [SourceFile], path: &str) -> &'a str {
    &files.iter().find(|f| f.path.ends_with(path)).unwrap().text
}

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/broken-packs")
        .join(case)
}

type Expected<'a> = (Severity, &'a str, &'a str, Option<u32>);

fn matches(d: &Diagnostic, e: &Expected<'_>) -> bool {
    d.severity == e.0 && d.code == e.1 && d.file == e.2 && d.line == e.3
}

/// Compiles a broken-pack fixture and checks that every expected diagnostic is reported.
/// Unless `others_allowed`, the expected errors must be the only errors (warnings may come
/// with them).
fn check_case(case: &str, expected: &[Expected<'_>], others_allowed: bool) {
    let c = compile(&read_dir(&fixture(case)), None);
    let all = show(&c);
    for e in expected {
        assert!(
            c.diagnostics.iter().any(|d| matches(d, e)),
            "case {case}: expected {e:?}, got:\n{all}"
        );
    }
    if !others_allowed {
        for d in c.errors() {
            assert!(
                expected.iter().any(|e| matches(d, e)),
                "case {case}: unexpected error:\n{d}\nall:\n{all}"
            );
        }
    }
    for d in &c.diagnostics {
        assert!(!d.help.is_empty(), "case {case}: no help in {d}");
        assert!(
            DIAGNOSTIC_CODES.iter().any(|(code, _)| *code == d.code),
            "case {case}: undocumented code {}",
            d.code
        );
    }
    let has_error = expected.iter().any(|e| e.0 == Error);
    assert_eq!(c.pack.is_none(), has_error, "case {case}:\n{all}");
}

// -------------------------------------------------------------------- a small valid pack

const PACK: &str = r#"
[pack]
id = "mini"
version = "1.2.3"
authors = ["kru tests"]
licence = "CC0-1.0"
min_engine = "0.1.0"
default_language = "en"
verification_max_age_days = 365

[[language]]
tag = "km"
name = "ខ្មែរ"
status = "draft"
numerals = "khmer"

[[language]]
tag = "en"
name = "English"
status = "reviewed"

[[objective]]
id = "hotline"

[[objective]]
id = "documents"

[[indicator]]
id = "knows-hotline"
items = ["hotline-number", "hotline-digits"]

[[resource]]
id = "hotline-1288"
phone = "1288"
verified = 2026-10-01

[[intake]]
id = "sex"
kind = "choice"
options = ["female", "male"]
required = true

[[intake]]
id = "group"
kind = "text"

[[form]]
id = "A"
items = ["hotline-number", "hotline-free", "docs-which", "docs-order"]

[[form]]
id = "B"
items = ["hotline-digits", "hotline-who", "docs-match", "docs-keep"]

[card]
objectives = ["hotline", "documents"]
resources = ["hotline-1288"]

[[journey]]
id = "school"
intake = true
card = true
forms = ["A", "B"]

[[journey.phase]]
id = "pre"
kind = "pre-test"
select = { form = "first", per_objective = 2 }
shuffle_items = true
shuffle_options = true

[[journey.phase]]
id = "lesson"
kind = "lesson"
lessons = ["intro"]

[[journey.phase]]
id = "practice"
kind = "practice"
select = { items = ["attitude"] }
feedback = "after-each"

[[journey.phase]]
id = "post"
kind = "post-test"
select = { form = "second", per_objective = 2 }
shuffle_items = true
feedback = "after-phase"
"#;

const ITEMS: &str = r#"
[[item]]
id = "hotline-number"
objectives = ["hotline"]
type = "single"
options = ["n1288", "n1234"]
answer = "n1288"

[[item]]
id = "hotline-free"
objectives = ["hotline"]
type = "true-false"
answer = true

[[item]]
id = "docs-which"
objectives = ["documents"]
type = "multiple"
options = ["passport", "visa", "land-title"]
answer = ["visa", "passport"]

[[item]]
id = "docs-order"
objectives = ["documents"]
type = "ordering"
steps = ["apply", "wait", "collect"]

[[item]]
id = "hotline-digits"
objectives = ["hotline"]
allow = { forms-differ-in-kinds = "the mini pack shows every kind of item once" }
type = "text"
accept = [" 1288 "]

[[item]]
id = "hotline-who"
objectives = ["hotline"]
type = "numeric"
answer = 1288
tolerance = 0.5

[[item]]
id = "docs-match"
objectives = ["documents"]
allow = { forms-differ-in-kinds = "the mini pack shows every kind of item once" }
type = "matching"
left = ["passport", "contract"]
right = ["travel", "wage"]
pairs = { contract = "wage", passport = "travel" }

[[item]]
id = "docs-keep"
objectives = ["documents"]
type = "true-false"
answer = false

[[item]]
id = "attitude"
objectives = ["hotline"]
type = "likert"
scale = ["disagree", "unsure", "agree"]
"#;

const LESSONS: &str = r#"
[[lesson]]
id = "intro"
objectives = ["hotline", "documents"]

[[lesson.page]]
blocks = [
  { heading = "title" },
  { paragraph = "intro" },
  { list = ["one", "two"] },
  { emphasis = "warning" },
  { key_message = "hotline" },
  { image = "images/passport.svg", alt = "passport-alt" },
  { resource = "hotline-1288" },
]

[[lesson.page]]
blocks = [ { story = "dara" } ]

[[story]]
id = "dara"
start = "offer"
objectives = ["hotline"]

[[story.node]]
id = "offer"
choices = [ { id = "go", next = "trapped" }, { id = "check", next = "safe" } ]

[[story.node]]
id = "trapped"
ending = "unsafe"

[[story.node]]
id = "safe"
ending = "safe"
image = "images/safe.svg"
"#;

/// The English strings; `{extra}` is replaced to add strings in tests.
const EN: &str = r#"
[pack]
title = "Mini pack"
description = "A small pack."

[objective.hotline]
title = "Call 1288"
summary = "The hotline is free."

[objective.documents]
title = "Keep your documents"
summary = "Your passport is yours."

[indicator.knows-hotline]
label = "Knows the hotline"

[resource.hotline-1288]
name = "1288 hotline"
hours = "Every day"
purpose = "Help"

[intake.sex]
label = "Are you…"

[intake.sex.options]
female = "Female"
male = "Male"

[intake.group]
label = "Your class"

[card]
title = "Remember"
footer = "Call 1288."

[journey.school]
title = "School"

[journey.school.phase]
pre = { title = "Before" }
lesson = { title = "Lesson" }
practice = { title = "Practice" }
post = { title = "After" }

[lesson.intro]
title = "Safe migration"
intro = "Intro."
one = "One."
two = "Two."
warning = "Careful."
passport-alt = "A passport."

[story.dara]
title = "Dara"

[story.dara.node.offer]
text = "A broker offers a job."
choice.go = { label = "Go", consequence = "Dara goes." }
choice.check = { label = "Check", consequence = "Dara checks." }

[story.dara.node.trapped]
text = "Dara is trapped."

[story.dara.node.safe]
text = "Dara is safe."

[item.hotline-number]
prompt = "Which number?"
explanation = "1288."
feedback_correct = "Yes!"
options = { n1288 = "1288", n1234 = "1234" }

[item.hotline-free]
prompt = "The call is free."
explanation = "True."

[item.docs-which]
prompt = "Which documents?"
explanation = "Passport and visa."
options = { passport = "Passport", visa = "Visa", land-title = "Land title" }

[item.docs-order]
prompt = "Order the steps."
explanation = "Apply, wait, collect."
options = { apply = "Apply", wait = "Wait", collect = "Collect" }

[item.hotline-digits]
prompt = "Type the hotline number."
explanation = "1288."

[item.hotline-who]
prompt = "Which number is free?"
explanation = "1288."

[item.docs-match]
prompt = "Match."
explanation = "Passport to travel."
options = { passport = "Passport", contract = "Contract", travel = "Travel", wage = "Wage" }

[item.docs-keep]
prompt = "Give your passport to the broker."
explanation = "Never."

[item.attitude]
prompt = "I would call 1288."
explanation = "No wrong answer."
options = { disagree = "Disagree", unsure = "Not sure", agree = "Agree" }
"#;

const KM: &str = r#"
[pack]
title = "កញ្ចប់តូច"

[item.hotline-digits]
prompt = "វាយលេខ"
accept = ["១២៨៨", "មួយពីរប្រាំបីប្រាំបី"]

[audio]
"item.hotline-digits.prompt" = "audio/km/hotline-digits.ogg"
"#;

fn valid_files() -> Vec<SourceFile> {
    vec![
        SourceFile::new("pack.toml", PACK),
        SourceFile::new("items.toml", ITEMS),
        SourceFile::new("lessons.toml", LESSONS),
        SourceFile::new("i18n/en.toml", EN),
        SourceFile::new("./i18n/km.toml", KM),
    ]
}

/// Answers whatever the current step asks until the end; returns the number of questions.
fn run_to_end(s: &mut Session) -> usize {
    let mut questions = 0;
    for t in 0..1000 {
        let now = 1_000 * t;
        let (answer, advance) = match s.step() {
            Step::Done(_) => return questions,
            Step::Intake(i) => {
                if i.options.is_empty() {
                    (Some(Answer::Text("7B".into())), false)
                } else {
                    (Some(Answer::Choice(0)), false)
                }
            }
            Step::Story(st) => {
                if st.consequence.is_none() && !st.choices.is_empty() {
                    (Some(Answer::Choice(1)), false)
                } else {
                    (None, true)
                }
            }
            Step::Question(q) => {
                questions += 1;
                let n = q.options.len() as u16;
                let a = match q.expects {
                    "choice" => Answer::Choice(0),
                    "choices" => Answer::Choices(vec![0, 1]),
                    "true-false" => Answer::TrueFalse(true),
                    "order" => Answer::Order((0..n).collect()),
                    "matches" => Answer::Matches(vec![0; q.left.len()]),
                    "text" => Answer::Text("១២៨៨".into()),
                    "scale" => Answer::Scale(2),
                    other => panic!("unexpected answer type {other}"),
                };
                (Some(a), false)
            }
            _ => (None, true),
        };
        if let Some(a) = answer {
            s.answer(a, now).unwrap();
        }
        if advance {
            s.advance(now).unwrap();
        }
    }
    panic!("the journey did not end");
}

// ------------------------------------------------------------------------------- tests

#[test]
fn valid_pack_compiles_and_runs_a_session() {
    let c = compile(&valid_files(), Date::parse("2027-01-01"));
    assert!(!c.has_errors(), "{}", show(&c));
    // The Khmer translation is partial: one summary warning, nothing else.
    let w: Vec<&Diagnostic> = c.warnings().collect();
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(
        (w[0].code, w[0].file.as_str(), w[0].line),
        ("missing-translations", "i18n/km.toml", None)
    );
    assert!(
        w[0].message
            .starts_with("66 of 68 strings are missing in km: card.footer, card.title,"),
        "{}",
        w[0]
    );
    assert!(w[0].message.ends_with(", and 55 more"), "{}", w[0]);
    let pack = c.pack.expect("a pack");
    pack.check().unwrap();

    // Texts: one value per language, in [[language]] order, "" where missing; audio only
    // where some language has it.
    assert_eq!(pack.languages.len(), 2);
    assert_eq!(pack.meta.default_language, 1);
    fn values(t: &kru_core::pack::text::Text) -> Vec<&str> {
        t.values().collect()
    }
    assert_eq!(values(&pack.meta.title), vec!["កញ្ចប់តូច", "Mini pack"]);
    assert_eq!(values(&pack.meta.description), vec!["", "A small pack."]);
    assert!(!pack.meta.title.has_any_audio());
    let digits = &pack.items[pack.item_index("hotline-digits").unwrap()];
    assert_eq!(
        digits.prompt.audio_values().collect::<Vec<_>>(),
        vec!["audio/km/hotline-digits.ogg", ""]
    );
    // Accepted answers: normalised, merged with each language's `accept`.
    match &digits.kind {
        ItemKind::ShortText { accepted } => {
            assert_eq!(
                accepted,
                &vec!["1288".to_string(), "មួយពីរប្រាំបីប្រាំបី".to_string()]
            );
        }
        other => panic!("{other:?}"),
    }
    // Answer keys by option id → canonical indices.
    let which = &pack.items[pack.item_index("docs-which").unwrap()];
    assert!(
        matches!(&which.kind, ItemKind::MultipleResponse { correct, .. } if correct == &vec![0, 1])
    );
    let m = &pack.items[pack.item_index("docs-match").unwrap()];
    assert!(matches!(&m.kind, ItemKind::Matching { pairs, .. } if pairs == &vec![0, 1]));
    let num = &pack.items[pack.item_index("hotline-who").unwrap()];
    assert!(
        matches!(num.kind, ItemKind::Numeric { value, tolerance } if value == 1288.0 && tolerance == 0.5)
    );
    assert_eq!(
        pack.resources[0].verified,
        Date::parse("2026-10-01").unwrap()
    );
    assert_eq!(pack.indicators[0].items.len(), 2);
    assert_eq!(pack.journeys[0].forms, vec![0, 1]);

    // Deterministic output.
    let again = compile(&valid_files(), Date::parse("2027-01-01"))
        .pack
        .unwrap();
    assert_eq!(
        format::encode(&pack).unwrap(),
        format::encode(&again).unwrap()
    );

    // A whole session runs.
    let pack = Arc::new(pack);
    for seed in [1u64, 2, 3, 4] {
        let mut s = Session::start(
            Arc::clone(&pack),
            &SessionOptions {
                journey: "school",
                languages: &["km-KH"],
                seed,
                learner: "L-001",
                now_ms: 0,
            },
        )
        .unwrap();
        let questions = run_to_end(&mut s);
        // 2 per objective × 2 objectives, before and after, plus the Likert practice item.
        assert_eq!(questions, 9);
        let record = s.finish(100_000).unwrap();
        assert!(record.completed);
        assert_eq!(record.responses.len(), 9);
        assert_eq!(record.forms.len(), 2);
        assert_eq!(record.demographic("sex"), Some("female"));
        assert_eq!(record.story_path.len(), 1);
    }
}

#[test]
fn stale_verification_is_a_warning_with_today() {
    let c = compile(&valid_files(), Date::parse("2028-01-01"));
    assert!(c.pack.is_some(), "{}", show(&c));
    let d = c
        .warnings()
        .find(|d| d.code == "stale-verification")
        .unwrap_or_else(|| panic!("{}", show(&c)));
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pack.toml", Some(line_of(PACK, "verified", 1)))
    );
    // Without a date, no such warning.
    let c = compile(&valid_files(), None);
    assert!(!c.diagnostics.iter().any(|d| d.code == "stale-verification"));
}

#[test]
fn diagnostics_display_file_line_and_help() {
    let mut files = valid_files();
    edit(
        &mut files,
        "items.toml",
        "id = \"hotline-free\"",
        "id = \"hotline-number\"",
    );
    let c = compile(&files, None);
    let d = c.errors().find(|d| d.code == "duplicate-id").unwrap();
    assert_eq!(
        d.to_string(),
        "error[duplicate-id]: items.toml:10:6: item id 'hotline-number' is used twice (first on line 3)\n  help: rename one of them: every item needs its own id"
    );
    // A diagnostic without a place.
    let c = compile(&files[..1], None);
    let d = c.errors().find(|d| d.code == "missing-file").unwrap();
    assert!(
        d.to_string()
            .starts_with("error[missing-file]: items.toml: "),
        "{d}"
    );
}

#[test]
fn many_problems_are_reported_at_once() {
    let mut files = valid_files();
    edit(
        &mut files,
        "pack.toml",
        "version = \"1.2.3\"",
        "version = \"one\"",
    );
    edit(
        &mut files,
        "pack.toml",
        "items = [\"hotline-number\", \"hotline-digits\"]",
        "items = [\"hotline-numbr\"]",
    );
    edit(
        &mut files,
        "pack.toml",
        "kind = \"pre-test\"\n",
        "kind = \"pre-test\"\nfeedback = \"after-each\"\n",
    );
    edit(
        &mut files,
        "items.toml",
        "answer = \"n1288\"",
        "answer = \"n9999\"",
    );
    edit(
        &mut files,
        "items.toml",
        "type = \"true-false\"\nanswer = true",
        "type = \"true-false\"\nanswer = true\ncolour = \"red\"",
    );
    edit(
        &mut files,
        "items.toml",
        "scale = [\"disagree\", \"unsure\", \"agree\"]",
        "scale = [\"agree\"]",
    );
    edit(
        &mut files,
        "lessons.toml",
        "next = \"safe\"",
        "next = \"saf\"",
    );
    edit(
        &mut files,
        "i18n/en.toml",
        "summary = \"The hotline is free.\"\n",
        "",
    );
    edit(
        &mut files,
        "i18n/en.toml",
        "[item.docs-keep]",
        "[item.docs-kep]",
    );
    let c = compile(&files, None);
    let all = show(&c);
    let (pack, items, lessons, en) = (
        text_of(&files, "pack.toml"),
        text_of(&files, "items.toml"),
        text_of(&files, "lessons.toml"),
        text_of(&files, "en.toml"),
    );
    let want: &[(Severity, &str, &str, u32)] = &[
        (
            Error,
            "invalid-version",
            "pack.toml",
            line_of(pack, "\"one\"", 1),
        ),
        (
            Error,
            "unknown-reference",
            "pack.toml",
            line_of(pack, "hotline-numbr", 1),
        ),
        (
            Error,
            "pretest-feedback",
            "pack.toml",
            line_of(pack, "feedback = \"after-each\"", 1),
        ),
        (
            Error,
            "answer-not-an-option",
            "items.toml",
            line_of(items, "n9999", 1),
        ),
        (
            Error,
            "unknown-field",
            "items.toml",
            line_of(items, "colour", 1),
        ),
        (
            Error,
            "likert-scale",
            "items.toml",
            line_of(items, "scale = [\"agree\"]", 1),
        ),
        (
            Error,
            "unknown-reference",
            "lessons.toml",
            line_of(lessons, "\"saf\"", 1),
        ),
        // Its parent table exists in en.toml: pointed at there.
        (
            Error,
            "missing-translation",
            "i18n/en.toml",
            line_of(en, "[objective.hotline]", 1),
        ),
        // Its whole table is missing (renamed): pointed at the item's definition.
        (
            Error,
            "missing-translation",
            "items.toml",
            line_of(items, "id = \"docs-keep\"", 1),
        ),
        (
            Warning,
            "unknown-translation-key",
            "i18n/en.toml",
            line_of(en, "[item.docs-kep]", 1),
        ),
        (
            Warning,
            "unreachable-node",
            "lessons.toml",
            line_of(lessons, "id = \"safe\"", 1),
        ),
    ];
    for (sev, code, file, line) in want {
        assert!(
            c.diagnostics.iter().any(|d| d.severity == *sev
                && d.code == *code
                && d.file == *file
                && d.line == Some(*line)),
            "expected {sev:?} {code} at {file}:{line}, got:\n{all}"
        );
    }
    // The broken item's option strings are not reported as unknown keys.
    assert!(
        !c.diagnostics
            .iter()
            .any(|d| d.message.contains("item.hotline-number.options")),
        "{all}"
    );
    assert!(c.pack.is_none());
    // Ordered by file, then line.
    let order: Vec<(&str, Option<u32>)> = c
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.line))
        .collect();
    let files_order = [
        "pack.toml",
        "lessons.toml",
        "items.toml",
        "i18n/km.toml",
        "i18n/en.toml",
    ];
    let mut sorted = order.clone();
    sorted.sort_by_key(|(f, l)| (files_order.iter().position(|x| x == f), l.is_none(), *l));
    assert_eq!(order, sorted);
}

#[test]
fn too_long_strings_and_ids() {
    let mut files = valid_files();
    let long = "x".repeat(kru_core::limits::MAX_STRING_BYTES + 1);
    edit(
        &mut files,
        "i18n/en.toml",
        "intro = \"Intro.\"",
        &format!("intro = \"{long}\""),
    );
    let long_id = "i".repeat(kru_core::limits::MAX_ID_BYTES + 1);
    edit(
        &mut files,
        "pack.toml",
        "id = \"hotline\"\n\n[[objective]]",
        &format!("id = \"hotline\"\n\n[[objective]]\nid = \"{long_id}\"\n\n[[objective]]"),
    );
    let c = compile(&files, None);
    let all = show(&c);
    assert!(
        c.errors()
            .any(|d| d.code == "too-long" && d.file == "i18n/en.toml"),
        "{all}"
    );
    let line = line_of(text_of(&files, "pack.toml"), &long_id, 1);
    assert!(
        c.errors()
            .any(|d| d.code == "invalid-id" && d.file == "pack.toml" && d.line == Some(line)),
        "{all}"
    );
}

#[test]
fn every_broken_pack_fixture_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/broken-packs");
    let source = include_str!("authoring.rs");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            source.contains(&format!("check_case(\"{name}\""))
                || source.contains(&format!("check_case(\n        \"{name}\",")),
            "fixture {name} has no test"
        );
        n += 1;
    }
    assert!(n >= 15);
}

/// The real pack: must compile without errors (its warnings are printed).
#[test]
fn safe_migration_pack_compiles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let files = read_dir(&dir);
    assert!(files.iter().any(|f| f.path == "pack.toml"));
    let c = compile(&files, None);
    for d in &c.diagnostics {
        println!("{d}");
    }
    assert!(!c.has_errors(), "{}", show(&c));
    let pack = c.pack.unwrap();
    let bytes = format::encode(&pack).unwrap();
    // Deterministic: the same sources give the same bytes.
    let again = compile(&files, None).pack.unwrap();
    assert_eq!(bytes, format::encode(&again).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text as items.toml: no panic, and every diagnostic has a place in a known file.
    #[test]
    fn arbitrary_items_toml_never_panics(text in any::<String>()) {
        let mut files = valid_files();
        files[1].text = text;
        let c = compile(&files, None);
        for d in &c.diagnostics {
            prop_assert!(!d.file.is_empty());
        }
    }

    /// Any text in place of any one file: no panic.
    #[test]
    fn arbitrary_file_never_panics(which in 0usize..5, text in any::<String>()) {
        let mut files = valid_files();
        files[which].text = text;
        let _ = compile(&files, Date::parse("2030-01-01"));
    }

    /// TOML-ish text (brackets, quotes, keys of the format) as items.toml.
    #[test]
    fn tomlish_items_toml_never_panics(
        text in proptest::collection::vec(
            prop_oneof![
                Just("[[item]]\n".to_string()),
                Just("id = \"x\"\n".to_string()),
                Just("type = \"matching\"\n".to_string()),
                Just("type = \"single\"\n".to_string()),
                Just("options = [\"a\", \"b\"]\n".to_string()),
                Just("left = [\"a\"]\nright = [\"b\"]\n".to_string()),
                Just("pairs = { a = \"b\", c = 1 }\n".to_string()),
                Just("answer = \"a\"\n".to_string()),
                Just("answer = [\"a\", 3]\n".to_string()),
                Just("scale = []\n".to_string()),
                Just("[item.x]\n".to_string()),
                Just("= \"\n".to_string()),
                "[ -~]{0,12}\n",
            ],
            0..24,
        )
    ) {
        let mut files = valid_files();
        files[1].text = text.concat();
        let _ = compile(&files, None);
    }
}

// ------------------------------------------------------------------ broken-pack fixtures

/// A doubled '=' in items.toml.
#[test]
fn broken_toml_syntax() {
    check_case(
        "toml-syntax",
        &[(Error, "toml-syntax", "items.toml", Some(6))],
        false,
    );
}

/// A misspelt field name in an item.
#[test]
fn broken_unknown_field() {
    check_case(
        "unknown-field",
        &[(Error, "unknown-field", "items.toml", Some(7))],
        false,
    );
}

/// No items.toml.
#[test]
fn broken_missing_items_file() {
    check_case(
        "missing-items-file",
        &[(Error, "missing-file", "items.toml", None)],
        true,
    );
}

/// No i18n file for the default language.
#[test]
fn broken_missing_default_i18n() {
    check_case(
        "missing-default-i18n",
        &[(Error, "missing-file", "i18n/en.toml", None)],
        false,
    );
}

/// Two items with the same id.
#[test]
fn broken_duplicate_item_id() {
    check_case(
        "duplicate-item-id",
        &[(Error, "duplicate-id", "items.toml", Some(9))],
        false,
    );
}

/// An option listed twice in one item.
#[test]
fn broken_duplicate_option() {
    check_case(
        "duplicate-option",
        &[(Error, "duplicate-id", "items.toml", Some(5))],
        false,
    );
}

/// A phase selects an item that does not exist.
#[test]
fn broken_unknown_item_reference() {
    check_case(
        "unknown-item-reference",
        &[(Error, "unknown-reference", "pack.toml", Some(36))],
        false,
    );
}

/// An item serves an objective that does not exist.
#[test]
fn broken_unknown_objective_reference() {
    check_case(
        "unknown-objective-reference",
        &[(Error, "unknown-reference", "items.toml", Some(3))],
        false,
    );
}

/// A lesson phase shows a lesson that does not exist.
#[test]
fn broken_unknown_lesson_reference() {
    check_case(
        "unknown-lesson-reference",
        &[(Error, "unknown-reference", "pack.toml", Some(41))],
        false,
    );
}

/// The answer key is not among the options.
#[test]
fn broken_answer_not_an_option() {
    check_case(
        "answer-not-an-option",
        &[(Error, "answer-not-an-option", "items.toml", Some(6))],
        false,
    );
}

/// A multiple-response item with an empty answer.
#[test]
fn broken_no_right_option() {
    check_case(
        "no-right-option",
        &[(Error, "no-right-option", "items.toml", Some(6))],
        false,
    );
}

/// A matching item whose pairs miss a left entry.
#[test]
fn broken_matching_pairs() {
    check_case(
        "matching-pairs",
        &[(Error, "matching-pairs", "items.toml", Some(14))],
        false,
    );
}

/// A Likert item with one point.
#[test]
fn broken_likert_scale() {
    check_case(
        "likert-scale",
        &[(Error, "likert-scale", "items.toml", Some(12))],
        false,
    );
}

/// A language tag that is not BCP 47.
#[test]
fn broken_invalid_language_tag() {
    check_case(
        "invalid-language-tag",
        &[(Error, "invalid-language-tag", "pack.toml", Some(18))],
        true,
    );
}

/// Tags that parse but are probably not what was meant: `my_MM` (use `-`) and `kh` (Cambodia's
/// country code, not Khmer): warnings with a did-you-mean, and the pack still builds.
#[test]
fn warned_language_tag_forms() {
    check_case(
        "language-tag-warnings",
        &[
            (Warning, "language-tag-form", "pack.toml", Some(18)),
            (Warning, "language-tag-country", "pack.toml", Some(23)),
        ],
        true,
    );
    let c = compile(&read_dir(&fixture("language-tag-warnings")), None);
    let helps: Vec<&str> = c.diagnostics.iter().map(|d| d.help.as_str()).collect();
    assert!(helps.iter().any(|h| h.contains("\"my-MM\"")), "{helps:?}");
    assert!(helps.iter().any(|h| h.contains("\"km\"")), "{helps:?}");
}

/// Default_language is not among the languages.
#[test]
fn broken_unknown_default_language() {
    check_case(
        "unknown-default-language",
        &[(Error, "unknown-default-language", "pack.toml", Some(9))],
        false,
    );
}

/// A version with two parts.
#[test]
fn broken_invalid_version() {
    check_case(
        "invalid-version",
        &[(Error, "invalid-version", "pack.toml", Some(5))],
        false,
    );
}

/// A verification date that does not exist.
#[test]
fn broken_invalid_date() {
    check_case(
        "invalid-date",
        &[(Error, "invalid-date", "pack.toml", Some(23))],
        false,
    );
}

/// Min_engine newer than the engine.
#[test]
fn broken_min_engine_too_new() {
    check_case(
        "min-engine-too-new",
        &[(Error, "min-engine-too-new", "pack.toml", Some(8))],
        false,
    );
}

/// An item's explanation missing in the default language.
#[test]
fn broken_missing_translation() {
    check_case(
        "missing-translation",
        &[(Error, "missing-translation", "i18n/en.toml", Some(47))],
        false,
    );
}

/// A second language with most strings missing.
#[test]
fn broken_missing_translations() {
    check_case(
        "missing-translations",
        &[(Warning, "missing-translations", "i18n/km.toml", None)],
        false,
    );
}

/// A translation for an item id with a typo.
#[test]
fn broken_unknown_translation_key() {
    check_case(
        "unknown-translation-key",
        &[(Warning, "unknown-translation-key", "i18n/en.toml", Some(55))],
        false,
    );
}

/// A story node no choice leads to.
#[test]
fn broken_unreachable_node() {
    check_case(
        "unreachable-node",
        &[(Warning, "unreachable-node", "lessons.toml", Some(21))],
        false,
    );
}

/// A story whose choices loop forever.
#[test]
fn broken_no_reachable_ending() {
    check_case(
        "no-reachable-ending",
        &[(Error, "no-reachable-ending", "lessons.toml", Some(10))],
        true,
    );
}

/// A story node with no choices that is not an ending.
#[test]
fn broken_dead_end() {
    check_case(
        "dead-end",
        &[(Error, "dead-end", "lessons.toml", Some(20))],
        false,
    );
}

/// An ending that also has choices.
#[test]
fn broken_ending_with_choices() {
    check_case(
        "ending-with-choices",
        &[(Error, "ending-with-choices", "lessons.toml", Some(18))],
        false,
    );
}

/// A phase draws 2 items per objective from a form that has 1.
#[test]
fn broken_too_few_items() {
    check_case(
        "too-few-items",
        &[(Error, "too-few-items", "pack.toml", Some(45))],
        true,
    );
}

/// Parallel forms that cover different objectives.
#[test]
fn broken_forms_not_parallel() {
    check_case(
        "forms-not-parallel",
        &[(Warning, "forms-not-parallel", "pack.toml", Some(43))],
        false,
    );
}

/// A pre-test that gives feedback.
#[test]
fn broken_pretest_feedback() {
    check_case(
        "pretest-feedback",
        &[(Error, "pretest-feedback", "pack.toml", Some(37))],
        false,
    );
}

/// A phase selects a form in a journey without forms.
#[test]
fn broken_form_selection_without_forms() {
    check_case(
        "form-selection-without-forms",
        &[(Error, "form-selection-without-forms", "pack.toml", Some(36))],
        false,
    );
}

/// An item used nowhere.
#[test]
fn broken_unused_item() {
    check_case(
        "unused-item",
        &[(Warning, "unused-item", "items.toml", Some(9))],
        false,
    );
}

/// A string key with a character ids may not use.
#[test]
fn broken_invalid_id() {
    check_case(
        "invalid-id",
        &[(Error, "invalid-id", "lessons.toml", Some(6))],
        true,
    );
}

/// An item with more options than the limit.
#[test]
fn broken_too_many_options() {
    check_case(
        "too-many-options",
        &[(Error, "too-many", "items.toml", Some(5))],
        false,
    );
}

/// A quiz phase that selects no items.
#[test]
fn broken_empty_phase() {
    check_case(
        "empty-phase",
        &[(Error, "empty-phase", "pack.toml", Some(46))],
        false,
    );
}

/// A boolean written as a string.
#[test]
fn broken_wrong_type() {
    check_case(
        "wrong-type",
        &[(Error, "wrong-type", "pack.toml", Some(31))],
        false,
    );
}

/// An item without a type.
#[test]
fn broken_missing_field() {
    check_case(
        "missing-field",
        &[(Error, "missing-field", "items.toml", Some(1))],
        false,
    );
}

/// A phase kind that does not exist.
#[test]
fn broken_invalid_value() {
    check_case(
        "invalid-value",
        &[(Error, "invalid-value", "pack.toml", Some(45))],
        false,
    );
}

/// A translation file for an undeclared language.
#[test]
fn broken_unknown_language_file() {
    check_case(
        "unknown-language-file",
        &[(Warning, "unknown-language-file", "i18n/fr.toml", None)],
        false,
    );
}

/// Prints every fixture's diagnostics, to review their wording:
/// `cargo test -p kru-core --features authoring --test authoring print_all -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_all_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/broken-packs");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for n in names {
        let c = compile(&read_dir(&fixture(&n.to_string_lossy())), None);
        println!("=== {}", n.to_string_lossy());
        println!("{}", show(&c));
    }
}
