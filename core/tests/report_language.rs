//! The HTML report speaks the report's language: a Khmer report of the Khmer pack and a Lao
//! report of the Lao pack (`content-packs/safe-migration-lo`, whose Lao interface strings are
//! the pack's own) have no English word left outside proper names, codes and numbers; the page
//! is marked with the language; warnings are written from the catalogue by their text id; a
//! pack's `[interface]` string wins over the built-in one.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use kru_core::authoring::compile;
use kru_core::report::{self, CohortReport, ReportOptions};
use kru_core::ui::{self, UiStrings};
use kru_core::Pack;

/// Names, statistics' symbols and units that stay in Latin letters in every language.
const ALLOWED: &[&str] = &[
    "kru", "KR-20", "p", "d", "z", "n", "t", "g", "d_z", "SciPy", "Wilcoxon", "McNemar", "Cohen",
    "Welch",
];

fn lao_pack() -> Arc<Pack> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../content-packs/safe-migration-lo");
    let compiled = compile(&common::sources(&dir), None);
    Arc::new(compiled.pack.expect("the Lao pack compiles"))
}

/// The ids of the pack (codes, which a report shows as they are).
fn codes(pack: &Pack) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert(pack.meta.id.clone());
    out.extend(pack.journeys.iter().map(|j| j.id.clone()));
    out.extend(pack.items.iter().map(|i| i.id.clone()));
    out.extend(pack.objectives.iter().map(|o| o.id.clone()));
    out.extend(pack.indicators.iter().map(|i| i.id.clone()));
    out.extend(pack.forms.iter().map(|f| f.id.clone()));
    out
}

/// The text a reader sees (and a screen reader reads): without the style sheet, without
/// `<code>` (ids), without tags, with entities decoded.
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [("<style>", "</style>"), ("<code>", "</code>")] {
        while let Some(a) = s.find(open) {
            let b = s[a..].find(close).map(|b| a + b + close.len()).unwrap();
            s.replace_range(a..b, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Numbers of `html`'s visible text written in ASCII digits (not inside a word with a Latin
/// letter, such as the form `K1` or `KR-20`: those are names).
fn ascii_numbers(html: &str) -> BTreeSet<String> {
    visible_text(html)
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| {
            w.bytes().any(|b| b.is_ascii_digit()) && !w.bytes().any(|b| b.is_ascii_alphabetic())
        })
        .map(str::to_owned)
        .collect()
}

/// The Latin-letter words of `html`'s visible text that are neither allowed nor codes.
fn english_words(html: &str, codes: &BTreeSet<String>) -> BTreeSet<String> {
    let text = visible_text(html);
    let mut bad = BTreeSet::new();
    let words =
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '/'));
    for w in words {
        for w in w.split('/') {
            let w = w.trim_matches('-');
            if !w.chars().any(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            if ALLOWED.contains(&w) || codes.contains(w) {
                continue;
            }
            bad.insert(w.to_string());
        }
    }
    bad
}

fn lang_index(pack: &Pack, tag: &str) -> usize {
    pack.languages.iter().position(|l| l.tag == tag).unwrap()
}

/// Reports of the Khmer pack that between them show every section: the school journey by
/// sex (indicators, key messages, groups, items, reliability), the kiosk journey (crossover
/// forms, sampled reliability), and a tiny cohort by province (small groups, few learners).
fn khmer_reports(pack: &Arc<Pack>) -> Vec<CohortReport> {
    let school = common::simulated(pack, "school", 300, 11, 0.1);
    let kiosk = common::simulated(pack, "kiosk", 160, 5, 0.2);
    let tiny = common::simulated(pack, "school", 4, 3, 0.0);
    let mut both = school.clone();
    both.extend(kiosk.iter().cloned());
    vec![
        report::report(pack, &ReportOptions::by("sex"), &school).unwrap(),
        report::report(pack, &ReportOptions::default(), &kiosk).unwrap(),
        report::report(pack, &ReportOptions::by("province"), &tiny).unwrap(),
        report::report(pack, &ReportOptions::by("province"), &both).unwrap(),
    ]
}

#[test]
fn a_khmer_report_has_no_english_words() {
    let pack = common::safe_migration();
    let km = lang_index(&pack, "km");
    let codes = codes(&pack);
    let mut warnings = 0;
    for r in khmer_reports(&pack) {
        let html = report::render_html(&r, &pack, km);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"km\" dir=\"ltr\">"));
        let bad = english_words(&html, &codes);
        assert!(bad.is_empty(), "English words in the Khmer report: {bad:?}");
        // Numbers in Khmer digits (the pack's `numerals`), as on every other screen.
        let ascii = ascii_numbers(&html);
        assert!(
            ascii.is_empty(),
            "ASCII numbers in the Khmer report: {ascii:?}"
        );
        assert!(html.contains('%') && html.chars().any(|c| ('០'..='៩').contains(&c)));
        warnings += html.matches("<li data-code=\"warning-").count();
    }
    assert!(warnings >= 3, "the fixtures show warnings ({warnings})");
}

#[test]
fn the_same_reports_in_english_are_english() {
    // The check above is not vacuous: the English page of the same reports is full of words
    // it would refuse.
    let pack = common::safe_migration();
    let en = lang_index(&pack, "en");
    let r = &khmer_reports(&pack)[0];
    let html = report::render_html(r, &pack, en);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
    let bad = english_words(&html, &codes(&pack));
    for w in ["Summary", "Learners", "Questions", "Before", "After"] {
        assert!(bad.contains(w), "{w}");
    }
    // And its numbers are in ASCII digits: the digit check below is not vacuous either.
    assert!(ascii_numbers(&html).len() > 10);
}

#[test]
fn a_lao_report_of_the_lao_pack_has_no_english_words() {
    let pack = lao_pack();
    let lo = lang_index(&pack, "lo");
    let codes = codes(&pack);
    for (n, dropout, by) in [(40, 0.0, None), (60, 0.3, Some("sex")), (3, 0.0, None)] {
        let records = common::simulated(&pack, "short", n, 3, dropout);
        let options = match by {
            Some(f) if pack.intake.iter().any(|i| i.id == f) => ReportOptions::by(f),
            _ => ReportOptions::default(),
        };
        let r = report::report(&pack, &options, &records).unwrap();
        let html = report::render_html(&r, &pack, lo);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"lo\" dir=\"ltr\">"));
        assert!(
            html.contains("<h2 id=\"head-h\">ສະຫຼຸບ</h2>"),
            "the pack's own Lao"
        );
        let bad = english_words(&html, &codes);
        assert!(bad.is_empty(), "English words in the Lao report: {bad:?}");
        let ascii = ascii_numbers(&html);
        assert!(
            ascii.is_empty(),
            "ASCII numbers in the Lao report: {ascii:?}"
        );
        assert!(html.chars().any(|c| ('໐'..='໙').contains(&c)));
    }
}

#[test]
fn every_warning_has_a_text_in_every_built_in_catalogue_with_its_placeholders() {
    let pack = common::safe_migration();
    let en = ui::builtin("en").unwrap();
    let km = ui::builtin("km").unwrap();
    let mut seen = BTreeSet::new();
    for r in khmer_reports(&pack) {
        let all = r
            .warnings
            .iter()
            .chain(&r.cohort.warnings)
            .chain(r.groups.iter().flat_map(|g| &g.warnings));
        for w in all {
            for c in [&en, &km] {
                let text = c.get(&w.text_id).unwrap_or_else(|| panic!("{}", w.text_id));
                let args: Vec<(&str, &str)> = w
                    .params
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let filled = ui::fill(text, &args);
                assert!(!filled.contains('{'), "{}: {filled}", w.text_id);
            }
            seen.insert(w.text_id.clone());
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
    // Every warning id of the English catalogue has its Khmer.
    for id in en
        .ids()
        .filter(|i| i.starts_with("warning-") || i.starts_with("rpt"))
    {
        assert!(km.get(id).is_some(), "km lacks {id}");
    }
}

#[test]
fn a_pack_string_wins_over_the_built_in_one_in_the_report() {
    let pack = common::safe_migration();
    let km = lang_index(&pack, "km");
    let mut own = (*pack).clone();
    let mut texts = vec![String::new(); own.languages.len()];
    texts[km] = "សង្ខេបខ្លី".to_string();
    own.interface.push((
        "rptSummary".to_string(),
        kru_core::pack::text::Text::new(&texts, &[] as &[String]),
    ));
    let r = &khmer_reports(&pack)[0];
    let html = report::render_html(r, &own, km);
    assert!(html.contains("<h2 id=\"head-h\">សង្ខេបខ្លី</h2>"));
    // And a host that resolves the strings itself gets the same page.
    let ui = UiStrings::resolve(&["km", "en"], Some(&own));
    assert_eq!(report::render_html_with(r, &own, km, &ui), html);
}
