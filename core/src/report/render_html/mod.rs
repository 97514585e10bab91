//! The report as one self-contained, printable HTML page with inline SVG charts.
//!
//! No script, no external resource: the page can be e-mailed, opened offline and printed.
//! Every text that comes from the pack or from the records (titles, ids, typed intake answers)
//! is escaped, in text and in attributes alike, so neither can inject markup. Charts carry a
//! title and description for screen readers, colours are never the only cue (every bar has its
//! value written next to it) and the numbers are also in tables.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::*;
use crate::pack::text::Text;
use crate::ui::{self, UiStrings};

mod charts;
mod digits;

/// Colour of pre-test bars (grey) and post-test bars (teal); their lightness differs, so they
/// stay apart in grey-scale print and for colour-blind readers.
const PRE_COLOUR: &str = "#8a96a3";
const POST_COLOUR: &str = "#0f766e";
const LOSS_COLOUR: &str = "#c2410c";

/// Escapes text for HTML text and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters have no place in a report (and some are not valid HTML).
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn pct0(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("—"), |x| format!("{x:.0}%"))
}

fn pct1(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("—"), |x| format!("{x:.1}%"))
}

fn share(x: Option<f64>) -> String {
    pct0(x.map(|x| 100.0 * x))
}

fn signed1(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("—"), |x| format!("{x:+.1}"))
}

fn dec2(x: Option<f64>) -> String {
    x.map_or_else(|| String::from("—"), |x| format!("{x:.2}"))
}

fn pval(p: Option<f64>) -> String {
    match p {
        None => String::from("—"),
        Some(p) if p < 0.001 => String::from("&lt; 0.001"),
        Some(p) => format!("{p:.3}"),
    }
}

/// "= 0.023" or "&lt; 0.001", after a "p".
fn p_phrase(p: Option<f64>) -> String {
    match p {
        Some(x) if x < 0.001 => String::from("&lt; 0.001"),
        _ => format!("= {}", pval(p)),
    }
}

/// The page being written.
struct Page<'a> {
    out: String,
    pack: &'a Pack,
    chain: [u8; 3],
    /// The language tag of pack texts.
    lang_attr: String,
    /// The page's own words, in the report's language.
    ui: &'a UiStrings,
}

/// "d" with a small "z" (the effect size), as markup for a `{dz}` placeholder.
const DZ: &str = "d<sub>z</sub>";

impl Page<'_> {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// The interface string `id`, escaped.
    fn t(&self, id: &str) -> String {
        esc(self.ui.get(id))
    }

    /// The interface string `id`, escaped, with its placeholders filled from `args` (markup:
    /// escape what comes from the pack or the records before handing it in).
    fn f(&self, id: &str, args: &[(&str, &str)]) -> String {
        ui::fill(&esc(self.ui.get(id)), args)
    }

    /// A warning in the report's language: its catalogue text with its parameters, or its
    /// English message when it has no text id (a report read from an older JSON form).
    fn warning_text(&self, w: &Warning) -> String {
        if w.text_id.is_empty() || self.ui.get(&w.text_id) == w.text_id {
            return esc(&w.message);
        }
        let params: Vec<(&str, String)> =
            w.params.iter().map(|(k, v)| (k.as_str(), esc(v))).collect();
        let args: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.f(&w.text_id, &args)
    }

    /// "12 points" (a signed value).
    fn points(&self, x: Option<f64>) -> String {
        self.f("rptPoints", &[("n", &signed1(x))])
    }

    /// A table's `<thead>` row: the interface strings `ids` as column headers (an id the
    /// catalogue does not have, such as `KR-20`, is shown as it is), then `<tbody>`.
    fn head_row(&mut self, ids: &[&str]) {
        self.push("<thead><tr>");
        for id in ids {
            let name = self.t(id);
            let _ = write!(self.out, "<th scope=\"col\">{name}</th>");
        }
        self.push("</tr></thead><tbody>");
    }

    /// A test phase's name (`pre-test`, `post-test`) in the report's language.
    fn phase(&self, kind: &str) -> String {
        match kind {
            "pre-test" => self.t("rptPreTest"),
            "post-test" => self.t("rptPostTest"),
            other => esc(other),
        }
    }

    /// A pack text in the chosen language, escaped.
    fn text(&self, t: &Text) -> String {
        esc(t.resolve(&self.chain))
    }

    fn objective_title(&self, id: &str) -> String {
        self.pack
            .objectives
            .iter()
            .find(|o| o.id == id)
            .map(|o| self.text(&o.title))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| esc(id))
    }

    fn group_label(&self, g: &GroupReport) -> String {
        let value = g.value.as_deref().unwrap_or("");
        if value == NOT_ANSWERED {
            return self.t("rptNotAnswered");
        }
        if value == OTHER_GROUP {
            return self.t("rptOtherValues");
        }
        let field = g
            .field
            .as_deref()
            .and_then(|f| self.pack.intake.iter().find(|x| x.id == f));
        field
            .and_then(|f| f.options.iter().find(|o| o.code == value))
            .map(|o| self.text(&o.label))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| esc(value))
    }

    /// The page's warnings section, under `heading`.
    fn warnings(&mut self, warnings: &[Warning], heading: &str) {
        if warnings.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<div class=\"warnings\" role=\"note\"><h3>{heading}</h3><ul>"
        );
        for w in warnings {
            let text = self.warning_text(w);
            let _ = write!(
                self.out,
                "<li data-code=\"{}\"><span aria-hidden=\"true\">⚠</span> {text}</li>",
                esc(&w.text_id)
            );
        }
        self.push("</ul></div>");
    }

    fn headline(&mut self, g: &GroupReport) {
        let p = &g.paired;
        let ci = p.cohens_dz.map_or_else(
            || String::from("—"),
            |d| {
                let (low, high) = (format!("{:.2}", d.ci_low), format!("{:.2}", d.ci_high));
                format!(
                    "{:.2} <small>({})</small>",
                    d.d,
                    self.f("rptCi95", &[("low", &low), ("high", &high)])
                )
            },
        );
        let cards: [(String, String, String); 8] = [
            (
                self.t("rptLearners"),
                format!("{}", g.learners.records),
                self.t("rptLearnersNote"),
            ),
            (
                self.t("rptWithBoth"),
                format!("{}", p.n),
                self.t("rptWithBothNote"),
            ),
            (
                self.t("rptBefore"),
                pct0(p.pre.mean),
                self.t("rptBeforeNote"),
            ),
            (
                self.t("rptAfter"),
                pct0(p.post.mean),
                self.t("rptAfterNote"),
            ),
            (
                self.t("rptGain"),
                self.points(p.gain.mean),
                self.t("rptGainNote"),
            ),
            (
                self.t("rptNormGain"),
                dec2(p.class_normalised_gain),
                self.t("rptNormGainNote"),
            ),
            (
                self.t("rptPValue"),
                pval(p.t_test.map(|t| t.p_value)),
                self.t("rptPValueNote"),
            ),
            (
                self.f("rptEffectSize", &[("dz", DZ)]),
                ci,
                self.t("rptEffectSizeNote"),
            ),
        ];
        self.push("<dl class=\"cards\">");
        for (name, value, note) in cards {
            let _ = write!(
                self.out,
                "<div><dt>{name}</dt><dd><strong>{value}</strong><br><small>{note}</small></dd></div>"
            );
        }
        self.push("</dl>");
        if p.n >= 2 {
            let sig = match (p.t_test.map(|t| t.p_value), p.gain.sd) {
                (Some(x), _) if x < 0.05 => "rptSigUnlikely",
                (Some(_), _) => "rptSigCould",
                (None, Some(0.0)) if p.gain.mean == Some(0.0) => "rptSigNoChange",
                (None, Some(0.0)) => "rptSigSame",
                (None, _) => "rptSigUntestable",
            };
            let lead = self.f(
                "rptLead",
                &[
                    ("n", &format!("{}", p.n)),
                    ("pre", &pct0(p.pre.mean)),
                    ("post", &pct0(p.post.mean)),
                    ("gain", &signed1(p.gain.mean)),
                    ("sig", &self.t(sig)),
                    ("p", &p_phrase(p.t_test.map(|t| t.p_value))),
                ],
            );
            let _ = write!(self.out, "<p class=\"lead\">{lead}</p>");
        }
    }

    fn counts_table(&mut self, g: &GroupReport) {
        let l = &g.learners;
        let mean_sd = |m: Option<f64>, sd: Option<f64>, n: u64| {
            self.f(
                "rptMeanSd",
                &[
                    ("mean", &pct1(m)),
                    ("sd", &dec2(sd)),
                    ("n", &format!("{n}")),
                ],
            )
        };
        let rows: [(&str, String); 12] = [
            ("rptSessions", format!("{}", l.records)),
            (
                "rptCompletedLeft",
                format!("{} / {}", l.completed, l.abandoned),
            ),
            ("rptWithPre", format!("{}", l.with_pre)),
            ("rptWithPost", format!("{}", l.with_post)),
            ("rptWithBothPaired", format!("{}", l.paired)),
            ("rptPreOnly", format!("{}", l.pre_only)),
            ("rptPostOnly", format!("{}", l.post_only)),
            ("rptNeither", format!("{}", l.no_test)),
            ("rptPreAll", mean_sd(g.pre.mean, g.pre.sd, g.pre.n)),
            ("rptPostAll", mean_sd(g.post.mean, g.post.sd, g.post.n)),
            (
                "rptIndividualGains",
                self.f(
                    "rptIndividualGainsValue",
                    &[
                        ("g", &dec2(g.paired.mean_normalised_gain)),
                        ("n", &format!("{}", g.paired.normalised_gain_n)),
                        ("excluded", &format!("{}", g.paired.excluded_at_ceiling)),
                    ],
                ),
            ),
            (
                "rptWilcoxon",
                format!(
                    "z = {}, p = {}",
                    dec2(g.paired.wilcoxon.map(|w| w.z)),
                    pval(g.paired.wilcoxon.map(|w| w.p_value))
                ),
            ),
        ];
        let _ = write!(
            self.out,
            "<table><caption>{}</caption><tbody>",
            self.t("rptWhoCounted")
        );
        for (id, value) in rows {
            let _ = write!(
                self.out,
                "<tr><th scope=\"row\">{}</th><td>{value}</td></tr>",
                self.t(id)
            );
        }
        self.push("</tbody></table>");
    }

    fn indicators(&mut self, g: &GroupReport) {
        if g.indicators.iter().all(|i| i.pre.n + i.post.n == 0) {
            return;
        }
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"ind-h\"><h2 id=\"ind-h\">{}</h2><p>{}</p><table>",
            self.t("rptIndicators"),
            self.t("rptIndicatorsIntro")
        );
        self.head_row(&[
            "rptIndicator",
            "rptBefore",
            "rptAfter",
            "rptChange",
            "rptPairedLearners",
            "rptMcNemarP",
        ]);
        let rows: Vec<(String, Option<f64>, Option<f64>)> = g
            .indicators
            .iter()
            .map(|i| {
                let label = self
                    .pack
                    .indicators
                    .iter()
                    .find(|x| x.id == i.id)
                    .map(|x| self.text(&x.label))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| esc(&i.id));
                (label, i.pre.percent, i.post.percent)
            })
            .collect();
        for (i, (label, _, _)) in g.indicators.iter().zip(&rows) {
            let change = i.pre.percent.zip(i.post.percent).map(|(a, b)| b - a);
            let _ = write!(
                self.out,
                "<tr><th scope=\"row\" {}>{label}</th><td>{} <small>({}/{})</small></td><td>{} <small>({}/{})</small></td>\
                 <td>{}</td><td>{}</td><td>{}</td></tr>",
                self.lang_attr,
                pct0(i.pre.percent),
                i.pre.met,
                i.pre.n,
                pct0(i.post.percent),
                i.post.met,
                i.post.n,
                signed1(change),
                i.mcnemar.map_or(0, |m| m.n),
                pval(i.mcnemar.map(|m| m.p_value)),
            );
        }
        self.push("</tbody></table>");
        let title = self.t("rptIndicatorsChart");
        self.bars("indicators", &title, &rows);
        self.push("</section>");
    }

    fn objectives(&mut self, g: &GroupReport) {
        let rows: Vec<(String, Option<f64>, Option<f64>)> = g
            .objectives
            .iter()
            .filter(|o| o.pre.responses + o.post.responses > 0)
            .map(|o| (self.objective_title(&o.id), o.pre.percent, o.post.percent))
            .collect();
        if rows.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"km-h\"><h2 id=\"km-h\">{}</h2><p>{}</p>",
            self.t("rptMessages"),
            self.t("rptMessagesIntro")
        );
        let title = self.t("rptMessagesChart");
        self.bars("messages", &title, &rows);
        self.push("<table>");
        self.head_row(&[
            "rptMessage",
            "rptBefore",
            "rptAfter",
            "rptChangePoints",
            "rptAnswersBeforeAfter",
        ]);
        for o in g
            .objectives
            .iter()
            .filter(|o| o.pre.responses + o.post.responses > 0)
        {
            let _ = write!(
                self.out,
                "<tr><th scope=\"row\" {}>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
                self.lang_attr,
                self.objective_title(&o.id),
                pct1(o.pre.percent),
                pct1(o.post.percent),
                signed1(o.change),
                o.pre.responses,
                o.post.responses
            );
        }
        self.push("</tbody></table></section>");
    }

    fn groups(&mut self, report: &CohortReport) {
        if report.groups.is_empty() {
            return;
        }
        let field = report.options.by.as_deref().unwrap_or("");
        let field_label = self
            .pack
            .intake
            .iter()
            .find(|f| f.id == field)
            .map(|f| self.text(&f.label))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| esc(field));
        let field = format!("<span {}>{field_label}</span>", self.lang_attr);
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"grp-h\"><h2 id=\"grp-h\">{}</h2><table><thead><tr>",
            self.f("rptBy", &[("field", &field)])
        );
        let dz_ci = self.f("rptDzCi", &[("dz", DZ)]);
        for (i, id) in [
            "rptGroup",
            "rptLearners",
            "rptPaired",
            "rptBefore",
            "rptAfter",
            "rptGain",
            "",
            "rptPValue",
            "",
            "rptNotes",
        ]
        .into_iter()
        .enumerate()
        {
            let name = match (i, id) {
                (6, _) => String::from("⟨g⟩"),
                (8, _) => dz_ci.clone(),
                _ => self.t(id),
            };
            let _ = write!(self.out, "<th scope=\"col\">{name}</th>");
        }
        self.push("</tr></thead><tbody>");
        let mut rows = Vec::new();
        for g in &report.groups {
            let label = self.group_label(g);
            if g.suppressed {
                let hidden = self.f(
                    "rptGroupHidden",
                    &[("n", &format!("{}", report.options.small_group))],
                );
                let _ = write!(
                    self.out,
                    "<tr class=\"warn\"><th scope=\"row\" {}>{label}</th><td colspan=\"9\">{hidden}</td></tr>",
                    self.lang_attr
                );
                continue;
            }
            let p = &g.paired;
            let notes: Vec<String> = g
                .warnings
                .iter()
                .filter(|w| w.subject.is_none())
                .map(|w| self.warning_text(w))
                .collect();
            let class = if notes.is_empty() {
                ""
            } else {
                " class=\"warn\""
            };
            let _ = write!(
                self.out,
                "<tr{class}><th scope=\"row\" {}>{label}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                self.lang_attr,
                g.learners.records,
                p.n,
                pct0(p.pre.mean),
                pct0(p.post.mean),
                signed1(p.gain.mean),
                dec2(p.class_normalised_gain),
                pval(p.t_test.map(|t| t.p_value)),
                p.cohens_dz.map_or_else(
                    || String::from("—"),
                    |d| format!(
                        "{:.2} ({})",
                        d.d,
                        self.f(
                            "rptRange",
                            &[
                                ("low", &format!("{:.2}", d.ci_low)),
                                ("high", &format!("{:.2}", d.ci_high))
                            ]
                        )
                    )
                ),
                if notes.is_empty() {
                    String::new()
                } else {
                    format!("⚠ {}", notes.join(" "))
                },
            );
            rows.push((label, p.pre.mean, p.post.mean));
        }
        self.push("</tbody></table>");
        let title = self.t("rptGroupsChart");
        self.bars("groups", &title, &rows);
        self.push("</section>");
    }

    fn items(&mut self, g: &GroupReport) {
        if g.items.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"items-h\"><h2 id=\"items-h\">{}</h2><p>{}</p><table class=\"items\">",
            self.t("rptQuestions"),
            self.t("rptQuestionsIntro")
        );
        self.head_row(&[
            "rptQuestion",
            "rptMessage",
            "rptRightBefore",
            "rptRightAfter",
            "rptMcNemarP",
            "rptDiscrimination",
            "rptNotes",
        ]);
        for it in &g.items {
            let prompt = self
                .pack
                .items
                .get(usize::from(it.index))
                .filter(|x| x.id == it.id)
                .map(|x| self.text(&x.prompt))
                .unwrap_or_default();
            let notes: Vec<String> = g
                .warnings
                .iter()
                .filter(|w| w.subject.as_deref() == Some(it.id.as_str()))
                .map(|w| self.warning_text(w))
                .collect();
            let class = if notes.is_empty() {
                ""
            } else {
                " class=\"warn\""
            };
            let messages: Vec<String> = it
                .objectives
                .iter()
                .map(|o| self.objective_title(o))
                .collect();
            let _ = write!(
                self.out,
                "<tr{class}><th scope=\"row\"><code>{}</code><br><span {}>{prompt}</span></th><td {}>{}</td>\
                 <td>{} <small>(n = {})</small></td><td>{} <small>(n = {})</small></td><td>{}</td><td>{} / {}</td><td>{}</td></tr>",
                esc(&it.id),
                self.lang_attr,
                self.lang_attr,
                messages.join("; "),
                share(it.pre.facility),
                it.pre.n,
                share(it.post.facility),
                it.post.n,
                pval(it.mcnemar.map(|m| m.p_value)),
                dec2(it.pre.discrimination),
                dec2(it.post.discrimination),
                if notes.is_empty() {
                    String::new()
                } else {
                    format!("⚠ {}", notes.join(" "))
                },
            );
        }
        self.push("</tbody></table></section>");
    }

    /// "I don't know" before and after, overall and per question (only when learners used
    /// it).
    fn dont_know(&mut self, g: &GroupReport) {
        let dk = &g.dont_know;
        if dk.pre.dont_know + dk.post.dont_know == 0 {
            return;
        }
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"dk-h\"><h2 id=\"dk-h\">“I don't know”</h2>\
             <p>Answers “I don't know” (scored wrong) among the answers of each test. Fewer after the lesson means \
             learners now think they know.</p>\
             <table class=\"dont-know\"><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Before</th>\
             <th scope=\"col\">After</th></tr></thead><tbody>\
             <tr data-dont-know=\"all\"><th scope=\"row\">All questions</th><td>{} of {} ({})</td><td>{} of {} ({})</td></tr>",
            dk.pre.dont_know,
            dk.pre.responses,
            pct0(dk.pre.percent),
            dk.post.dont_know,
            dk.post.responses,
            pct0(dk.post.percent),
        );
        for it in &g.items {
            let _ = write!(
                self.out,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{} of {} ({})</td><td>{} of {} ({})</td></tr>",
                esc(&it.id),
                it.pre.dont_know,
                it.pre.n,
                share(it.pre.dont_know_rate),
                it.post.dont_know,
                it.post.n,
                share(it.post.dont_know_rate),
            );
        }
        self.push("</tbody></table></section>");
    }

    fn likert(&mut self, g: &GroupReport) {
        if g.likert.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"lk-h\"><h2 id=\"lk-h\">{}</h2><p>{}</p>",
            self.t("rptAttitudes"),
            self.t("rptAttitudesIntro")
        );
        for lk in &g.likert {
            let item = self
                .pack
                .items
                .get(usize::from(lk.index))
                .filter(|x| x.id == lk.id);
            let prompt = item
                .map(|x| self.text(&x.prompt))
                .unwrap_or_else(|| esc(&lk.id));
            let scale: Vec<String> = (0..lk.points)
                .map(|p| match item.map(|x| &x.kind) {
                    Some(crate::pack::item::ItemKind::Likert { scale }) => scale
                        .get(usize::from(p))
                        .map(|t| self.text(t))
                        .unwrap_or_else(|| format!("{}", p + 1)),
                    _ => format!("{}", p + 1),
                })
                .collect();
            let _ = write!(
                self.out,
                "<table class=\"likert\"><caption {}>{prompt}</caption><thead><tr><th scope=\"col\"></th>",
                self.lang_attr
            );
            for s in &scale {
                let _ = write!(self.out, "<th scope=\"col\" {}>{s}</th>", self.lang_attr);
            }
            self.push("<th scope=\"col\">n</th></tr></thead><tbody>");
            for (name, ph) in [
                (self.t("rptBefore"), &lk.pre),
                (self.t("rptAfter"), &lk.post),
            ] {
                let _ = write!(self.out, "<tr><th scope=\"row\">{name}</th>");
                for &c in &ph.distribution {
                    let v = (ph.n > 0).then(|| 100.0 * c as f64 / ph.n as f64);
                    let _ = write!(self.out, "<td>{}</td>", pct0(v));
                }
                let _ = write!(self.out, "<td>{}</td></tr>", ph.n);
            }
            let shift = self.f(
                "rptMeanShift",
                &[
                    ("shift", &signed1(lk.mean_shift)),
                    ("n", &format!("{}", lk.paired_n)),
                ],
            );
            let _ = write!(
                self.out,
                "</tbody><tfoot><tr><td colspan=\"{}\">{shift}",
                usize::from(lk.points) + 2,
            );
            if lk.reversed {
                let note = self.t("reportLikertReversed");
                let _ = write!(self.out, "<br><span data-reversed>{note}</span>");
            }
            self.push("</td></tr></tfoot></table>");
        }
        self.push("</section>");
    }

    fn crossover(&mut self, g: &GroupReport) {
        let Some(x) = &g.crossover else {
            return;
        };
        let (a, b) = (esc(&x.forms[0]), esc(&x.forms[1]));
        let ab: [(&str, &str); 2] = [("a", &a), ("b", &b)];
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"x-h\"><h2 id=\"x-h\">{}</h2><p>{}</p><table>",
            self.f("rptForms", &ab),
            self.f("rptFormsIntro", &ab)
        );
        self.head_row(&[
            "rptOrder",
            "rptLearners",
            "rptBefore",
            "rptAfter",
            "rptGain",
        ]);
        for o in &x.orders {
            let _ = write!(
                self.out,
                "<tr><th scope=\"row\">{} → {}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&o.first),
                esc(&o.second),
                o.n,
                pct1(o.pre.mean),
                pct1(o.post.mean),
                signed1(o.gain.mean)
            );
        }
        let test = |t: &Option<TwoSampleTest>| {
            t.map_or_else(
                || String::from("—"),
                |t| {
                    self.f(
                        "rptPointsP",
                        &[
                            ("points", &signed1(Some(t.difference))),
                            ("p", &pval(t.p_value)),
                        ],
                    )
                },
            )
        };
        let _ = write!(
            self.out,
            "</tbody></table><table><tbody>\
             <tr><th scope=\"row\">{}</th><td>{}</td></tr>\
             <tr><th scope=\"row\">{}</th><td>{}</td></tr>\
             <tr><th scope=\"row\">{}</th><td>{}</td></tr></tbody></table>\
             <p><small>{}</small></p></section>",
            self.f("rptFormEffect", &ab),
            test(&x.form_effect),
            self.f("rptOrderEffect", &ab),
            test(&x.order_effect),
            self.t("rptBalancedGain"),
            self.points(x.balanced_gain),
            self.t("rptFormsNote"),
        );
    }

    fn reliability(&mut self, g: &GroupReport) {
        if g.reliability.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"rel-h\"><h2 id=\"rel-h\">{}</h2><table>",
            self.t("rptReliability")
        );
        self.head_row(&[
            "rptJourney",
            "rptTest",
            "rptForm",
            "rptPerLearner",
            "rptLearners",
            "KR-20",
        ]);
        for t in &g.reliability {
            let _ = write!(
                self.out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                esc(&t.journey),
                self.phase(&t.phase_kind),
                esc(t.form.as_deref().unwrap_or("—")),
                self.f(
                    "rptKOf",
                    &[("k", &format!("{}", t.k)), ("n", &format!("{}", t.items))]
                ),
                t.n,
                dec2(t.kr20),
                if t.method == ReliabilityMethod::Kr20Sampled {
                    format!(" <small>{}</small>", self.t("rptApproximate"))
                } else {
                    String::new()
                }
            );
        }
        let _ = write!(
            self.out,
            "</tbody></table><p><small>{}</small></p></section>",
            self.t("rptReliabilityNote")
        );
    }
}

const STYLE: &str = "\
:root{color-scheme:light}\
body{font-family:\"Noto Sans Khmer\",\"Khmer OS\",\"Noto Sans\",\"Noto Sans Myanmar\",\"Padauk\",\"Myanmar Text\",\"Noto Sans Lao\",\"Phetsarath OT\",\"Saysettha OT\",\"Noto Sans Thai\",\"Loma\",\"Tahoma\",sans-serif;line-height:1.5;color:#1f2933;max-width:60rem;margin:0 auto;padding:1rem}\
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;border-bottom:2px solid #0f766e;padding-bottom:.2rem;margin-top:2rem}\
h3{font-size:1rem}\
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem;margin:1rem 0}\
.cards div{border:1px solid #cbd2d9;border-radius:6px;padding:.5rem .7rem}\
.cards dt{font-size:.85rem;color:#52606d}.cards dd{margin:0;font-size:1.3rem}.cards small{font-size:.75rem;color:#52606d}\
.lead{font-size:1.05rem}\
table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.9rem}\
caption{text-align:left;font-weight:600;padding:.3rem 0}\
th,td{border:1px solid #cbd2d9;padding:.25rem .45rem;text-align:left;vertical-align:top}\
thead th{background:#f0f4f8}\
tr.warn{background:#fff4e5}tr.warn td:last-child{color:#8a4b08}\
.warnings{border-left:4px solid #c2410c;background:#fff4e5;padding:.3rem .8rem;margin:1rem 0}\
figure{margin:.5rem 0}svg text{font-family:inherit;fill:#1f2933}\
:lang(my){font-family:\"Noto Sans Myanmar\",\"Padauk\",\"Myanmar Text\",sans-serif;line-height:1.9}\
:lang(lo){font-family:\"Noto Sans Lao\",\"Phetsarath OT\",\"Saysettha OT\",sans-serif;line-height:1.7}\
:lang(th){font-family:\"Noto Sans Thai\",\"Loma\",\"Tahoma\",sans-serif;line-height:1.7}\
code{font-size:.85em}\
footer{margin-top:2rem;font-size:.8rem;color:#52606d}\
@media print{body{max-width:none;padding:0;font-size:10pt}section,figure,table,.cards{break-inside:avoid}\
h2{break-after:avoid}a{color:inherit;text-decoration:none}}\
@page{margin:15mm}";

/// Renders the report as one self-contained HTML page. Pack texts (titles, questions, key
/// messages, group labels) are shown in the pack language `language` (an index into
/// `pack.languages`), falling back to English, then to the pack's default language; the
/// page's own words (headings, labels, table headers, chart captions, warnings) are the
/// interface strings of the same language ([`crate::ui`]: the pack's own `[interface]`
/// strings, then the built-in catalogue, then English), and the page is marked with that
/// language and its writing direction.
pub fn render_html(report: &CohortReport, pack: &Pack, language: usize) -> String {
    let tag = report_tag(pack, language);
    let ui = UiStrings::resolve(&[tag, "en"], Some(pack));
    render_html_with(report, pack, language, &ui)
}

/// The tag of the pack language `language` (or of the default language when out of range).
fn report_tag(pack: &Pack, language: usize) -> &str {
    pack.languages
        .get(language)
        .or_else(|| pack.languages.get(usize::from(pack.meta.default_language)))
        .map_or("en", |l| l.tag.as_str())
}

/// [`render_html`] with the page's own words given: `ui`, the interface strings of the
/// report's language (for hosts that resolve them themselves, e.g. from catalogues loaded as
/// data, see [`UiStrings::resolve_with`]).
pub fn render_html_with(
    report: &CohortReport,
    pack: &Pack,
    language: usize,
    ui: &UiStrings,
) -> String {
    let en = pack.languages.iter().position(|l| l.tag == "en");
    let lang_index = if language < pack.languages.len() {
        language
    } else {
        usize::from(pack.meta.default_language)
    };
    let as_u8 = |i: usize| u8::try_from(i).unwrap_or(0);
    let chain = [
        as_u8(lang_index),
        as_u8(en.unwrap_or(lang_index)),
        pack.meta.default_language,
    ];
    // Pack texts carry their language and its writing direction (Arabic or Urdu right to
    // left); so does the page, whose own words are in the same language.
    let tag = report_tag(pack, lang_index);
    let dir = crate::language::LanguageTag::parse(tag).map_or("ltr", |t| t.direction());
    let lang_attr = format!("lang=\"{}\" dir=\"{dir}\"", esc(tag));
    let mut page = Page {
        out: String::with_capacity(64 * 1024),
        pack,
        chain,
        lang_attr,
        ui,
    };
    let title = page.text(&pack.meta.title);
    let title = if title.is_empty() {
        esc(&report.pack.id)
    } else {
        title
    };
    let head_title = page.f("rptTitle", &[("title", &title)]);
    let span_title = format!("<span {}>{title}</span>", page.lang_attr);
    let h1 = page.f("rptTitle", &[("title", &span_title)]);
    let version = page.f(
        "rptPackVersion",
        &[
            ("pack", &format!("<code>{}</code>", esc(&report.pack.id))),
            ("version", &esc(&report.pack.version)),
        ],
    );
    let _ = write!(
        page.out,
        "<!DOCTYPE html>\n<html {}><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{head_title}</title><style>{STYLE}</style></head><body>\
         <header><h1>{h1}</h1><p>{version}",
        page.lang_attr,
    );
    let r = &report.records;
    if let (Some(a), Some(b)) = (&r.first_session, &r.last_session) {
        let from = page.f("rptSessionsFrom", &[("first", &esc(a)), ("last", &esc(b))]);
        let _ = write!(page.out, " · {from}");
    }
    if !r.journeys.is_empty() {
        let journeys: Vec<String> = r
            .journeys
            .iter()
            .map(|j| format!("{} ({})", esc(&j.journey), j.records))
            .collect();
        let list = page.f("rptJourneys", &[("list", &journeys.join(", "))]);
        let _ = write!(page.out, " · {list}");
    }
    page.push("</p></header><main>");

    let cohort = &report.cohort;
    let h = page.t("rptSummary");
    let _ = write!(
        page.out,
        "<section aria-labelledby=\"head-h\"><h2 id=\"head-h\">{h}</h2>"
    );
    page.headline(cohort);
    let about = page.t("rptAboutData");
    page.warnings(&report.warnings, &about);
    let general: Vec<Warning> = cohort
        .warnings
        .iter()
        .filter(|w| w.subject.is_none())
        .cloned()
        .collect();
    let care = page.t("rptReadWithCare");
    page.warnings(&general, &care);
    page.push("</section>");
    page.indicators(cohort);
    page.objectives(cohort);
    let h = page.t("rptGains");
    let _ = write!(
        page.out,
        "<section aria-labelledby=\"gain-h\"><h2 id=\"gain-h\">{h}</h2>"
    );
    page.histogram(cohort);
    page.counts_table(cohort);
    page.push("</section>");
    page.groups(report);
    page.items(cohort);
    page.dont_know(cohort);
    page.likert(cohort);
    page.crossover(cohort);
    page.reliability(cohort);
    let dz: [(&str, &str); 2] = [("dz", DZ), ("z975", "z<sub>0.975</sub>")];
    let _ = write!(
        page.out,
        "<section aria-labelledby=\"m-h\"><h2 id=\"m-h\">{}</h2><ul>\
         <li>{}</li><li>{}</li><li>{}</li><li>{}</li></ul></section></main><footer>{}</footer></body></html>",
        page.t("rptHowTo"),
        page.t("rptHowTo1"),
        page.t("rptHowTo2"),
        page.f("rptHowTo3", &dz),
        page.t("rptHowTo4"),
        page.f(
            "rptFooter",
            &[
                ("engine", &esc(&report.engine_version)),
                ("schema", &format!("{}", report.schema_version)),
            ]
        ),
    );
    page.out.push('\n');
    // Numbers in the digits of the report's language (`numerals`).
    let numerals = pack
        .languages
        .get(lang_index)
        .map_or(crate::numerals::Numerals::Latin, |l| l.numerals);
    digits::native_digits(&page.out, numerals)
}
