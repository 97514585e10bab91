//! CSV: the report's summary in long (tidy) form, and the raw responses, one row per learner
//! per item.
//!
//! Fields are quoted when they hold a comma, a quote or a line break (RFC 4180). Text that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
//! return) is prefixed with `'`, so that a typed intake answer cannot become a formula.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::*;
use crate::pack::item::{Answer, ItemKind};
use crate::record::log::{LogEntry, LogFrames};

/// Appends a text field.
fn text(out: &mut String, s: &str) {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote =
        formula || s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ');
    if quote {
        out.push('"');
        if formula {
            out.push('\'');
        }
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends a number (empty when absent), with up to 10 significant decimals.
fn num(out: &mut String, x: Option<f64>) {
    if let Some(x) = x.filter(|x| x.is_finite()) {
        if x == libm::trunc(x) && libm::fabs(x) < 1e15 {
            let _ = write!(out, "{}", x as i64);
        } else {
            let s = format!("{x:.10}");
            out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
        }
    }
}

struct Summary<'a> {
    out: String,
    field: &'a str,
    group: &'a str,
}

impl Summary<'_> {
    fn row(
        &mut self,
        section: &str,
        subject: &str,
        phase: &str,
        statistic: &str,
        value: Option<f64>,
    ) {
        let out = &mut self.out;
        text(out, self.field);
        out.push(',');
        text(out, self.group);
        out.push(',');
        text(out, section);
        out.push(',');
        text(out, subject);
        out.push(',');
        out.push_str(phase);
        out.push(',');
        out.push_str(statistic);
        out.push(',');
        num(out, value);
        out.push_str("\r\n");
    }

    fn count(&mut self, section: &str, subject: &str, phase: &str, statistic: &str, value: u64) {
        self.row(section, subject, phase, statistic, Some(value as f64));
    }

    fn summary(&mut self, section: &str, phase: &str, s: &super::Summary) {
        self.count(section, "", phase, "n", s.n);
        self.row(section, "", phase, "mean", s.mean);
        self.row(section, "", phase, "sd", s.sd);
    }

    fn mcnemar(&mut self, section: &str, subject: &str, m: &Option<McNemarReport>) {
        if let Some(m) = m {
            self.count(section, subject, "change", "mcnemar_n", m.n);
            self.count(
                section,
                subject,
                "change",
                "mcnemar_wrong_to_right",
                m.wrong_to_right,
            );
            self.count(
                section,
                subject,
                "change",
                "mcnemar_right_to_wrong",
                m.right_to_wrong,
            );
            self.row(section, subject, "change", "mcnemar_p", Some(m.p_value));
        }
    }

    /// The rows of the cohort or of one group.
    fn group_rows(&mut self, g: &GroupReport) {
        self.learner_rows(&g.learners);
        self.score_rows(g);
        for b in &g.gain_histogram {
            let mut subject = String::new();
            num(&mut subject, Some(b.center));
            self.count("gain_histogram", &subject, "change", "learners", b.count);
        }
        self.item_rows(g);
        self.likert_rows(g);
        self.crossover_rows(g);
        for t in &g.reliability {
            let subject = match &t.form {
                Some(f) => format!("{}/{}", t.journey, f),
                None => t.journey.clone(),
            };
            let phase = if t.phase_kind == "pre-test" {
                "pre"
            } else {
                "post"
            };
            self.count("reliability", &subject, phase, "k", u64::from(t.k));
            self.count("reliability", &subject, phase, "n", t.n);
            self.row("reliability", &subject, phase, "kr20", t.kr20);
        }
    }

    /// The crossover analysis: per order (`A>B`), and the form and order effects.
    fn crossover_rows(&mut self, g: &GroupReport) {
        let Some(x) = &g.crossover else {
            return;
        };
        for o in &x.orders {
            let subject = format!("{}>{}", o.first, o.second);
            self.count("crossover", &subject, "", "n", o.n);
            self.row("crossover", &subject, "pre", "mean", o.pre.mean);
            self.row("crossover", &subject, "post", "mean", o.post.mean);
            self.row("crossover", &subject, "change", "mean", o.gain.mean);
        }
        let pair = format!("{}-{}", x.forms[0], x.forms[1]);
        for (phase, t) in [("pre", &x.form_effect), ("change", &x.order_effect)] {
            let name = if phase == "pre" {
                "form_effect"
            } else {
                "order_effect"
            };
            if let Some(t) = t {
                self.row(name, &pair, phase, "difference", Some(t.difference));
                self.row(name, &pair, phase, "t", t.t);
                self.row(name, &pair, phase, "df", t.df);
                self.row(name, &pair, phase, "p", t.p_value);
            }
        }
        self.row(
            "crossover",
            &pair,
            "change",
            "balanced_gain",
            x.balanced_gain,
        );
    }

    /// Who is in the cohort or group.
    fn learner_rows(&mut self, l: &LearnerCounts) {
        for (name, v) in [
            ("records", l.records),
            ("completed", l.completed),
            ("abandoned", l.abandoned),
            ("with_pre", l.with_pre),
            ("with_post", l.with_post),
            ("paired", l.paired),
            ("pre_only", l.pre_only),
            ("post_only", l.post_only),
            ("no_test", l.no_test),
            ("pre_zero", l.pre_zero),
        ] {
            self.count("learners", "", "", name, v);
        }
    }

    /// The scores, and the gain of the paired learners with its tests and effect size.
    fn score_rows(&mut self, g: &GroupReport) {
        self.summary("scores", "pre", &g.pre);
        self.summary("scores", "post", &g.post);
        let p = &g.paired;
        self.summary("paired", "pre", &p.pre);
        self.summary("paired", "post", &p.post);
        self.summary("paired", "change", &p.gain);
        self.row(
            "paired",
            "",
            "change",
            "class_normalised_gain",
            p.class_normalised_gain,
        );
        self.row(
            "paired",
            "",
            "change",
            "mean_normalised_gain",
            p.mean_normalised_gain,
        );
        self.count(
            "paired",
            "",
            "change",
            "normalised_gain_n",
            p.normalised_gain_n,
        );
        self.count(
            "paired",
            "",
            "change",
            "excluded_at_ceiling",
            p.excluded_at_ceiling,
        );
        self.row("paired", "", "change", "t", p.t_test.map(|t| t.t));
        self.row("paired", "", "change", "t_df", p.t_test.map(|t| t.df));
        self.row("paired", "", "change", "t_p", p.t_test.map(|t| t.p_value));
        self.row(
            "paired",
            "",
            "change",
            "wilcoxon_statistic",
            p.wilcoxon.map(|w| w.statistic),
        );
        self.row(
            "paired",
            "",
            "change",
            "wilcoxon_z",
            p.wilcoxon.map(|w| w.z),
        );
        self.row(
            "paired",
            "",
            "change",
            "wilcoxon_p",
            p.wilcoxon.map(|w| w.p_value),
        );
        self.row(
            "paired",
            "",
            "change",
            "cohens_dz",
            p.cohens_dz.map(|d| d.d),
        );
        self.row(
            "paired",
            "",
            "change",
            "cohens_dz_ci_low",
            p.cohens_dz.map(|d| d.ci_low),
        );
        self.row(
            "paired",
            "",
            "change",
            "cohens_dz_ci_high",
            p.cohens_dz.map(|d| d.ci_high),
        );
    }

    /// The items, objectives and indicators, pre and post.
    fn item_rows(&mut self, g: &GroupReport) {
        // "I don't know" rows only where learners used it (a journey that does not offer it
        // keeps the rows it always had).
        let dk = &g.dont_know;
        let with_dk = dk.pre.dont_know + dk.post.dont_know > 0;
        if with_dk {
            for (phase, x) in [("pre", &dk.pre), ("post", &dk.post)] {
                self.count("dont_know", "", phase, "responses", x.responses);
                self.count("dont_know", "", phase, "dont_know", x.dont_know);
                self.row("dont_know", "", phase, "percent", x.percent);
            }
            self.row("dont_know", "", "change", "points", dk.change);
        }
        for it in &g.items {
            for (phase, x) in [("pre", &it.pre), ("post", &it.post)] {
                self.count("item", &it.id, phase, "n", x.n);
                self.count("item", &it.id, phase, "correct", x.correct);
                if with_dk {
                    self.count("item", &it.id, phase, "dont_know", x.dont_know);
                    self.row("item", &it.id, phase, "dont_know_rate", x.dont_know_rate);
                }
                self.row("item", &it.id, phase, "facility", x.facility);
                self.row("item", &it.id, phase, "mean_credit", x.mean_credit);
                self.row("item", &it.id, phase, "discrimination", x.discrimination);
            }
            self.mcnemar("item", &it.id, &it.mcnemar);
        }
        for o in &g.objectives {
            for (phase, x) in [("pre", &o.pre), ("post", &o.post)] {
                self.count("objective", &o.id, phase, "responses", x.responses);
                self.row("objective", &o.id, phase, "percent", x.percent);
            }
            self.row("objective", &o.id, "change", "points", o.change);
        }
        for ind in &g.indicators {
            for (phase, x) in [("pre", &ind.pre), ("post", &ind.post)] {
                self.count("indicator", &ind.id, phase, "n", x.n);
                self.count("indicator", &ind.id, phase, "met", x.met);
                self.row("indicator", &ind.id, phase, "percent", x.percent);
            }
            self.mcnemar("indicator", &ind.id, &ind.mcnemar);
        }
    }

    /// The Likert items: answers per scale point, means and shifts.
    fn likert_rows(&mut self, g: &GroupReport) {
        for lk in &g.likert {
            for (phase, x) in [("pre", &lk.pre), ("post", &lk.post)] {
                self.count("likert", &lk.id, phase, "n", x.n);
                self.row("likert", &lk.id, phase, "mean", x.mean);
                for (point, &c) in x.distribution.iter().enumerate() {
                    self.count("likert", &lk.id, phase, &format!("point_{point}"), c);
                }
            }
            self.count("likert", &lk.id, "", "reversed", u64::from(lk.reversed));
            self.count("likert", &lk.id, "change", "paired_n", lk.paired_n);
            self.row("likert", &lk.id, "change", "mean_shift", lk.mean_shift);
        }
    }
}

/// The report's figures as one tidy CSV table, one number per row:
/// `field,group,section,subject,phase,statistic,value`. `field` and `group` are empty and
/// `all` for the whole cohort; `phase` is `pre`, `post`, `change` or empty. Absent figures
/// have an empty value. A group withheld as a small cell has one row,
/// `learners,,,suppressed_fewer_than,<threshold>`, and no figures.
pub fn render_csv(report: &CohortReport) -> String {
    let mut s = Summary {
        out: String::from("field,group,section,subject,phase,statistic,value\r\n"),
        field: "",
        group: "all",
    };
    s.group_rows(&report.cohort);
    for g in &report.groups {
        let mut gs = Summary {
            out: core::mem::take(&mut s.out),
            field: g.field.as_deref().unwrap_or(""),
            group: g.value.as_deref().unwrap_or(""),
        };
        if g.suppressed {
            // A small cell: one row saying so (the statistic's value is the threshold).
            gs.count(
                "learners",
                "",
                "",
                "suppressed_fewer_than",
                u64::from(report.options.small_group),
            );
        } else {
            gs.group_rows(g);
        }
        s.out = gs.out;
    }
    s.out
}

/// The header of the responses table: fixed columns (with `date`, the session's start as UTC
/// `YYYY-MM-DD`), one `intake_<field>` column per intake field of the pack (school, class,
/// sex, … as the pack asks them), then the response columns: `credit` is exact (`1`, `0.5`,
/// `2/3`), `answer_code` the canonical option indices (`cs:0 2`), `answer` the options' labels.
pub fn responses_csv_header(pack: &Pack) -> String {
    let mut out =
        String::from("record_id,learner,journey,language,forms,completed,started_at_ms,date");
    for f in &pack.intake {
        out.push(',');
        text(&mut out, &format!("intake_{}", f.id));
    }
    out.push_str(
        ",phase,phase_id,phase_kind,item,item_index,item_kind,objectives,credit,correct,answer_code,answer,at_offset_ms\r\n",
    );
    out
}

fn join_codes(out: &mut String, prefix: &str, v: &[u16]) {
    out.push_str(prefix);
    for (i, x) in v.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{x}");
    }
}

/// The machine form of an answer: `c:2` (choice), `cs:0 2` (choices), `tf:true`, `o:2 0 1`
/// (order), `m:1 0 2` (matches), `t:…` (text), `s:3` (scale), `dk` ("I don't know"). Indices
/// are canonical, 0-based.
fn answer_code(a: &Answer) -> String {
    let mut s = String::new();
    match a {
        Answer::Choice(c) => {
            let _ = write!(s, "c:{c}");
        }
        Answer::Choices(v) => join_codes(&mut s, "cs:", v),
        Answer::TrueFalse(b) => {
            let _ = write!(s, "tf:{b}");
        }
        Answer::Order(v) => join_codes(&mut s, "o:", v),
        Answer::Matches(v) => join_codes(&mut s, "m:", v),
        Answer::Text(t) => {
            s.push_str("t:");
            s.push_str(t);
        }
        Answer::Scale(v) => {
            let _ = write!(s, "s:{v}");
        }
        Answer::DontKnow => s.push_str("dk"),
    }
    s
}

/// The answer in words, in the language chain `chain`.
fn answer_text(kind: Option<&ItemKind>, a: &Answer, chain: &[u8]) -> String {
    let pick = |list: &[crate::pack::text::Text], i: u16| -> String {
        list.get(usize::from(i))
            .map_or_else(|| format!("#{i}"), |t| String::from(t.resolve(chain)))
    };
    let many = |list: &[crate::pack::text::Text], v: &[u16], sep: &str| -> String {
        let parts: alloc::vec::Vec<String> = v.iter().map(|&i| pick(list, i)).collect();
        parts.join(sep)
    };
    match (kind, a) {
        (Some(ItemKind::SingleChoice { options, .. }), Answer::Choice(c)) => pick(options, *c),
        (Some(ItemKind::MultipleResponse { options, .. }), Answer::Choices(v)) => {
            many(options, v, " | ")
        }
        (Some(ItemKind::Ordering { steps }), Answer::Order(v)) => many(steps, v, " > "),
        (Some(ItemKind::Matching { left, right, .. }), Answer::Matches(v)) => {
            let parts: alloc::vec::Vec<String> = v
                .iter()
                .enumerate()
                .map(|(l, &r)| {
                    let l = u16::try_from(l).unwrap_or(u16::MAX);
                    format!("{} = {}", pick(left, l), pick(right, r))
                })
                .collect();
            parts.join(" | ")
        }
        (Some(ItemKind::Likert { scale }), Answer::Scale(v)) => pick(scale, *v),
        (_, Answer::TrueFalse(b)) => String::from(if *b { "true" } else { "false" }),
        (_, Answer::Text(t)) => t.clone(),
        // Like `true` and `false`, a fixed word whatever the pack's language.
        (_, Answer::DontKnow) => String::from("(don't know)"),
        _ => answer_code(a),
    }
}

/// The language chain of a CSV: the pack's default language, then English.
fn csv_chain(pack: &Pack) -> [u8; 2] {
    let en = pack
        .languages
        .iter()
        .position(|l| l.tag == "en")
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(pack.meta.default_language);
    [pack.meta.default_language, en]
}

/// Appends the rows of one record (one per response) to `out`; the columns are those of
/// [`responses_csv_header`]. Item ids, kinds and answer texts come from `pack` (texts in its
/// default language); a record of another pack gets empty item columns.
pub fn response_rows(pack: &Pack, record: &ResultRecord, out: &mut String) {
    let same_pack = record.pack_id == pack.meta.id;
    let chain = csv_chain(pack);
    let journey = pack.journeys.iter().find(|j| j.id == record.journey);
    let mut prefix = String::new();
    for b in record.record_id {
        let _ = write!(prefix, "{b:02x}");
    }
    prefix.push(',');
    text(&mut prefix, &record.learner);
    prefix.push(',');
    text(&mut prefix, &record.journey);
    prefix.push(',');
    text(&mut prefix, &record.language);
    prefix.push(',');
    text(&mut prefix, &record.forms.join(" "));
    prefix.push(',');
    prefix.push_str(if record.completed { "1" } else { "0" });
    let _ = write!(
        prefix,
        ",{},{}",
        record.started_at,
        crate::pack::Date::from_unix_ms(record.started_at)
    );
    for f in &pack.intake {
        prefix.push(',');
        text(&mut prefix, record.demographic(&f.id).unwrap_or(""));
    }
    for r in &record.responses {
        let item = if same_pack {
            pack.items.get(usize::from(r.item))
        } else {
            None
        };
        out.push_str(&prefix);
        let _ = write!(out, ",{},", r.phase);
        let phase_id = journey
            .and_then(|j| j.phases.get(usize::from(r.phase)))
            .map_or("", |p| p.id.as_str());
        text(out, phase_id);
        out.push(',');
        out.push_str(r.phase_kind.name());
        out.push(',');
        text(out, item.map_or("", |i| i.id.as_str()));
        let _ = write!(out, ",{},", r.item);
        out.push_str(item.map_or("", |i| i.kind.name()));
        out.push(',');
        let objectives: alloc::vec::Vec<&str> = item
            .map(|i| {
                i.objectives
                    .iter()
                    .filter_map(|&o| pack.objectives.get(usize::from(o)).map(|o| o.id.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        text(out, &objectives.join(" "));
        out.push(',');
        let _ = write!(out, "{}", r.credit);
        out.push_str(if r.correct { ",1," } else { ",0," });
        text(out, &answer_code(&r.answer));
        out.push(',');
        text(out, &answer_text(item.map(|i| &i.kind), &r.answer, &chain));
        let _ = write!(out, ",{}\r\n", r.at_offset_ms);
    }
}

/// The responses of `records` as one CSV table: one row per learner per item (see
/// [`responses_csv_header`] and [`response_rows`]).
pub fn responses_csv(pack: &Pack, records: &[ResultRecord]) -> String {
    let mut out = responses_csv_header(pack);
    for r in records {
        response_rows(pack, r, &mut out);
    }
    out
}

/// Whether the responses table of a report built with `options` has rows for `record`: the
/// records of `pack`, and of `options.journey` when one is selected.
pub fn responses_include(pack: &Pack, options: &ReportOptions, record: &ResultRecord) -> bool {
    record.pack_id == pack.meta.id
        && options
            .journey
            .as_ref()
            .is_none_or(|j| *j == record.journey)
}

/// The responses of a results log's records as one CSV table (see [`responses_csv_header`]
/// and [`response_rows`]): the rows of the records [`responses_include`] selects, in log
/// order. Damaged stretches and frames that do not decode have no rows (the cohort report of
/// the same log counts them). Refuses the options the cohort report refuses: `options.by` or
/// `options.journey` naming nothing in the pack.
pub fn responses_csv_log(
    pack: &Pack,
    options: &ReportOptions,
    log: &[u8],
) -> Result<String, ReportError> {
    // The report's own check of the options, so that the two tables refuse the same ones.
    CohortReportBuilder::new(pack, options)?;
    let mut out = responses_csv_header(pack);
    for entry in LogFrames::new(log) {
        if let LogEntry::Frame { payload, .. } = entry {
            if let Ok(record) = ResultRecord::from_bytes(payload) {
                if responses_include(pack, options, &record) {
                    response_rows(pack, &record, &mut out);
                }
            }
        }
    }
    Ok(out)
}
