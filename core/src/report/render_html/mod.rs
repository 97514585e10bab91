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

mod charts;

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
}

impl Page<'_> {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
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
            return String::from("Not answered");
        }
        if value == OTHER_GROUP {
            return String::from("Other values");
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
            let _ = write!(
                self.out,
                "<li><span aria-hidden=\"true\">⚠</span> {}</li>",
                esc(&w.message)
            );
        }
        self.push("</ul></div>");
    }

    fn headline(&mut self, g: &GroupReport) {
        let p = &g.paired;
        let ci = p.cohens_dz.map_or_else(
            || String::from("—"),
            |d| {
                format!(
                    "{:.2} <small>(95% CI {:.2} to {:.2})</small>",
                    d.d, d.ci_low, d.ci_high
                )
            },
        );
        let cards: [(&str, String, &str); 8] = [
            (
                "Learners",
                format!("{}", g.learners.records),
                "sessions in the report",
            ),
            (
                "With both tests",
                format!("{}", p.n),
                "pre- and post-test: the paired learners",
            ),
            ("Before", pct0(p.pre.mean), "mean pre-test score"),
            ("After", pct0(p.post.mean), "mean post-test score"),
            (
                "Gain",
                format!("{} points", signed1(p.gain.mean)),
                "mean of post − pre",
            ),
            (
                "Normalised gain ⟨g⟩",
                dec2(p.class_normalised_gain),
                "share of the possible gain achieved",
            ),
            (
                "p-value",
                pval(p.t_test.map(|t| t.p_value)),
                "paired t-test",
            ),
            (
                "Effect size d<sub>z</sub>",
                ci,
                "Cohen's d for paired scores",
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
                (Some(x), _) if x < 0.05 => "a difference unlikely to be due to chance",
                (Some(_), _) => "a difference that could be due to chance",
                (None, Some(0.0)) if p.gain.mean == Some(0.0) => {
                    "no change for anyone, so there is nothing to test"
                }
                (None, Some(0.0)) => {
                    "the same for every learner: with no spread, the t-test does not apply (see the warnings)"
                }
                (None, _) => "a difference that cannot be tested",
            };
            let _ = write!(
                self.out,
                "<p class=\"lead\">The {} learners who took both tests scored {} on average before the session and {} after: \
                 a gain of {} percentage points, {sig} (paired t-test, p {}).</p>",
                p.n,
                pct0(p.pre.mean),
                pct0(p.post.mean),
                signed1(p.gain.mean),
                p_phrase(p.t_test.map(|t| t.p_value))
            );
        }
    }

    fn counts_table(&mut self, g: &GroupReport) {
        let l = &g.learners;
        let _ = write!(
            self.out,
            "<table><caption>Who is counted</caption><tbody>\
             <tr><th scope=\"row\">Sessions</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Completed / left early</th><td>{} / {}</td></tr>\
             <tr><th scope=\"row\">With a complete pre-test</th><td>{}</td></tr>\
             <tr><th scope=\"row\">With a complete post-test</th><td>{}</td></tr>\
             <tr><th scope=\"row\">With both (paired)</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Pre-test only (unpaired)</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Post-test only (unpaired)</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Neither test complete</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Pre-test, all learners</th><td>{} (sd {}), n = {}</td></tr>\
             <tr><th scope=\"row\">Post-test, all learners</th><td>{} (sd {}), n = {}</td></tr>\
             <tr><th scope=\"row\">Mean of individual normalised gains</th><td>{} (n = {}; {} with a 100% pre-test excluded)</td></tr>\
             <tr><th scope=\"row\">Wilcoxon signed-rank test</th><td>z = {}, p = {}</td></tr>\
             </tbody></table>",
            l.records,
            l.completed,
            l.abandoned,
            l.with_pre,
            l.with_post,
            l.paired,
            l.pre_only,
            l.post_only,
            l.no_test,
            pct1(g.pre.mean),
            dec2(g.pre.sd),
            g.pre.n,
            pct1(g.post.mean),
            dec2(g.post.sd),
            g.post.n,
            dec2(g.paired.mean_normalised_gain),
            g.paired.normalised_gain_n,
            g.paired.excluded_at_ceiling,
            dec2(g.paired.wilcoxon.map(|w| w.z)),
            pval(g.paired.wilcoxon.map(|w| w.p_value)),
        );
    }

    fn indicators(&mut self, g: &GroupReport) {
        if g.indicators.iter().all(|i| i.pre.n + i.post.n == 0) {
            return;
        }
        self.push(
            "<section aria-labelledby=\"ind-h\"><h2 id=\"ind-h\">Indicators</h2>\
             <p>Share of learners who answered every question of the indicator they were asked correctly.</p>\
             <table><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Before</th><th scope=\"col\">After</th>\
             <th scope=\"col\">Change</th><th scope=\"col\">Paired learners</th><th scope=\"col\">McNemar p</th></tr></thead><tbody>",
        );
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
        self.bars("indicators", "Indicators before and after", &rows);
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
        self.push(
            "<section aria-labelledby=\"km-h\"><h2 id=\"km-h\">Key messages</h2>\
             <p>Credit earned on the questions of each key message, in percent, before and after the session.</p>",
        );
        self.bars("messages", "Key messages before and after", &rows);
        self.push(
            "<table><thead><tr><th scope=\"col\">Key message</th><th scope=\"col\">Before</th><th scope=\"col\">After</th>\
             <th scope=\"col\">Change (points)</th><th scope=\"col\">Answers before / after</th></tr></thead><tbody>",
        );
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
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"grp-h\"><h2 id=\"grp-h\">By <span {}>{field_label}</span></h2>\
             <table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Learners</th><th scope=\"col\">Paired</th>\
             <th scope=\"col\">Before</th><th scope=\"col\">After</th><th scope=\"col\">Gain</th><th scope=\"col\">⟨g⟩</th>\
             <th scope=\"col\">p-value</th><th scope=\"col\">d<sub>z</sub> (95% CI)</th><th scope=\"col\">Notes</th></tr></thead><tbody>",
            self.lang_attr
        );
        let mut rows = Vec::new();
        for g in &report.groups {
            let label = self.group_label(g);
            if g.suppressed {
                let _ = write!(
                    self.out,
                    "<tr class=\"warn\"><th scope=\"row\" {}>{label}</th><td colspan=\"9\">Not shown: fewer than {} learners \
                     (or withheld with such a group), whose figures could identify people.</td></tr>",
                    self.lang_attr, report.options.small_group
                );
                continue;
            }
            let p = &g.paired;
            let notes: Vec<String> = g
                .warnings
                .iter()
                .filter(|w| w.subject.is_none())
                .map(|w| esc(&w.message))
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
                p.cohens_dz
                    .map_or_else(|| String::from("—"), |d| format!("{:.2} ({:.2} to {:.2})", d.d, d.ci_low, d.ci_high)),
                if notes.is_empty() {
                    String::new()
                } else {
                    format!("⚠ {}", notes.join(" "))
                },
            );
            rows.push((label, p.pre.mean, p.post.mean));
        }
        self.push("</tbody></table>");
        self.bars("groups", "Mean scores before and after, by group", &rows);
        self.push("</section>");
    }

    fn items(&mut self, g: &GroupReport) {
        if g.items.is_empty() {
            return;
        }
        self.push(
            "<section aria-labelledby=\"items-h\"><h2 id=\"items-h\">Questions</h2>\
             <p>Facility is the share of learners who answered right. Discrimination is the correlation between a \
             question and the rest of the test (above 0.2 is good; below 0 needs checking). McNemar compares the same \
             learners before and after.</p>\
             <table class=\"items\"><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Key message</th>\
             <th scope=\"col\">Right before</th><th scope=\"col\">Right after</th><th scope=\"col\">McNemar p</th>\
             <th scope=\"col\">Discrimination before / after</th><th scope=\"col\">Notes</th></tr></thead><tbody>",
        );
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
                .map(|w| esc(&w.message))
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
        self.push(
            "<section aria-labelledby=\"lk-h\"><h2 id=\"lk-h\">Attitudes</h2>\
             <p>Answers on each scale point before and after (share of answers), and the mean shift of the learners who \
             answered both times, in scale points.</p>",
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
            for (name, ph) in [("Before", &lk.pre), ("After", &lk.post)] {
                let _ = write!(self.out, "<tr><th scope=\"row\">{name}</th>");
                for &c in &ph.distribution {
                    let v = (ph.n > 0).then(|| 100.0 * c as f64 / ph.n as f64);
                    let _ = write!(self.out, "<td>{}</td>", pct0(v));
                }
                let _ = write!(self.out, "<td>{}</td></tr>", ph.n);
            }
            let _ = write!(
                self.out,
                "</tbody><tfoot><tr><td colspan=\"{}\">Mean shift {} scale points (n = {})</td></tr></tfoot></table>",
                usize::from(lk.points) + 2,
                signed1(lk.mean_shift),
                lk.paired_n
            );
        }
        self.push("</section>");
    }

    fn crossover(&mut self, g: &GroupReport) {
        let Some(x) = &g.crossover else {
            return;
        };
        let (a, b) = (esc(&x.forms[0]), esc(&x.forms[1]));
        let _ = write!(
            self.out,
            "<section aria-labelledby=\"x-h\"><h2 id=\"x-h\">Forms {a} and {b} (crossover)</h2>\
             <p>Half the learners took form {a} before and {b} after, the other half the reverse. Comparing the \
             pre-tests of the two halves shows whether the forms are equally hard; the balanced gain, the mean of \
             both orders, cancels out any difference between them.</p>\
             <table><thead><tr><th scope=\"col\">Order</th><th scope=\"col\">Learners</th><th scope=\"col\">Before</th>\
             <th scope=\"col\">After</th><th scope=\"col\">Gain</th></tr></thead><tbody>"
        );
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
                    format!(
                        "{} points, p = {}",
                        signed1(Some(t.difference)),
                        pval(t.p_value)
                    )
                },
            )
        };
        let _ = write!(
            self.out,
            "</tbody></table><table><tbody>\
             <tr><th scope=\"row\">Form effect (before: {a} − {b})</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Order effect (gain {a} → {b} − gain {b} → {a})</th><td>{}</td></tr>\
             <tr><th scope=\"row\">Balanced gain</th><td>{} points</td></tr></tbody></table>\
             <p><small>Welch's t-tests. With parallel forms both effects are near 0; a form easier by Δ points makes \
             the order effect about −2Δ.</small></p></section>",
            test(&x.form_effect),
            test(&x.order_effect),
            signed1(x.balanced_gain)
        );
    }

    fn reliability(&mut self, g: &GroupReport) {
        if g.reliability.is_empty() {
            return;
        }
        self.push(
            "<section aria-labelledby=\"rel-h\"><h2 id=\"rel-h\">Reliability of the tests</h2>\
             <table><thead><tr><th scope=\"col\">Journey</th><th scope=\"col\">Test</th><th scope=\"col\">Form</th>\
             <th scope=\"col\">Questions per learner</th><th scope=\"col\">Learners</th><th scope=\"col\">KR-20</th></tr></thead><tbody>",
        );
        for t in &g.reliability {
            let _ = write!(
                self.out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} of {}</td><td>{}</td><td>{}{}</td></tr>",
                esc(&t.journey),
                esc(&t.phase_kind),
                esc(t.form.as_deref().unwrap_or("—")),
                t.k,
                t.items,
                t.n,
                dec2(t.kr20),
                if t.method == ReliabilityMethod::Kr20Sampled {
                    " <small>(approximate)</small>"
                } else {
                    ""
                }
            );
        }
        self.push(
            "</tbody></table><p><small>KR-20 above 0.7 is usually considered good for a knowledge test; short tests \
             give lower values.</small></p></section>",
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
/// page's own labels are in English.
pub fn render_html(report: &CohortReport, pack: &Pack, language: usize) -> String {
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
    // left); the page's own labels are English, left to right.
    let lang_attr = pack.languages.get(lang_index).map_or_else(
        || String::from("lang=\"en\" dir=\"ltr\""),
        |l| {
            let dir = crate::language::LanguageTag::parse(&l.tag).map_or("ltr", |t| t.direction());
            format!("lang=\"{}\" dir=\"{dir}\"", esc(&l.tag))
        },
    );
    let mut page = Page {
        out: String::with_capacity(64 * 1024),
        pack,
        chain,
        lang_attr,
    };
    let title = page.text(&pack.meta.title);
    let title = if title.is_empty() {
        esc(&report.pack.id)
    } else {
        title
    };
    let _ = write!(
        page.out,
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Knowledge gain: {title}</title><style>{STYLE}</style></head><body>\
         <header><h1>Knowledge gain: <span {}>{title}</span></h1><p>Pack <code>{}</code> version {}",
        page.lang_attr,
        esc(&report.pack.id),
        esc(&report.pack.version),
    );
    let r = &report.records;
    if let (Some(a), Some(b)) = (&r.first_session, &r.last_session) {
        let _ = write!(page.out, " · sessions from {} to {}", esc(a), esc(b));
    }
    if !r.journeys.is_empty() {
        let journeys: Vec<String> = r
            .journeys
            .iter()
            .map(|j| format!("{} ({})", esc(&j.journey), j.records))
            .collect();
        let _ = write!(page.out, " · journeys: {}", journeys.join(", "));
    }
    page.push("</p></header><main>");

    let cohort = &report.cohort;
    page.push("<section aria-labelledby=\"head-h\"><h2 id=\"head-h\">Summary</h2>");
    page.headline(cohort);
    page.warnings(&report.warnings, "About the data");
    let general: Vec<Warning> = cohort
        .warnings
        .iter()
        .filter(|w| w.subject.is_none())
        .cloned()
        .collect();
    page.warnings(&general, "Read with care");
    page.push("</section>");
    page.indicators(cohort);
    page.objectives(cohort);
    page.push(
        "<section aria-labelledby=\"gain-h\"><h2 id=\"gain-h\">Gains of individual learners</h2>",
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
    let _ = write!(
        page.out,
        "<section aria-labelledby=\"m-h\"><h2 id=\"m-h\">How to read this report</h2><ul>\
         <li>Scores are the credit earned on the test's scored questions, in percent. Only complete tests count; \
         learners who left before the post-test are counted as unpaired and left out of the gain. Partial credit is \
         an exact fraction (a third is a third), so equal scores and equal gains are equal.</li>\
         <li>Normalised gain ⟨g⟩ = (after − before) / (100 − before), from the group means: the share of the possible \
         gain achieved (0.3 to 0.7 is a medium gain).</li>\
         <li>The paired t-test and the Wilcoxon signed-rank test ask whether the gain could be due to chance \
         (p below 0.05: unlikely). d<sub>z</sub> is the mean gain divided by the spread of the gains (0.2 small, \
         0.5 medium, 0.8 large); its 95% confidence interval is d<sub>z</sub> ± 1.959964 × its standard error \
         (1.959964 is the normal quantile z<sub>0.975</sub>). Neither test is given for fewer than 2 learners, the \
         Wilcoxon test not for fewer than 2 non-zero gains, and the t-test not when every gain is the same. \
         Equal gains are ties (they share their average rank) and zero gains are left out of the Wilcoxon test.</li>\
         <li>McNemar's test compares how many learners went from wrong to right with how many went from right to \
         wrong (exact binomial test below 25 changes). It needs learners who answered the same question before and \
         after: with crossover forms (one form before, the other after) nobody does, and it is shown as —.</li></ul></section></main>\
         <footer>Made with kru {} · report schema {}</footer></body></html>",
        esc(&report.engine_version),
        report.schema_version
    );
    page.out.push('\n');
    page.out
}
