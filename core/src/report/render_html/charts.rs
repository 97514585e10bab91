//! The page's inline SVG charts: pre/post bars and the gain histogram. Each chart has a
//! title and a description for screen readers, and every bar its value written next to it.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::{pct0, Page, LOSS_COLOUR, POST_COLOUR, PRE_COLOUR};
use crate::report::GroupReport;

impl Page<'_> {
    /// A horizontal pre/post bar chart: per row a label, a pre bar and a post bar (0–100 %),
    /// each with its value written.
    pub(super) fn bars(
        &mut self,
        id: &str,
        title: &str,
        rows: &[(String, Option<f64>, Option<f64>)],
    ) {
        const WIDTH: f64 = 680.0;
        const LEFT: f64 = 8.0;
        const BAR: f64 = 520.0;
        const ROW: f64 = 64.0;
        let height = ROW * rows.len() as f64 + 40.0;
        let _ = write!(
            self.out,
            "<figure><svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {WIDTH} {height}\" \
             width=\"100%\" style=\"max-width:{WIDTH}px\" xmlns=\"http://www.w3.org/2000/svg\">\
             <title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">",
        );
        for (label, pre, post) in rows {
            let row = self.f(
                "rptChartRow",
                &[
                    ("label", label),
                    ("pre", &pct0(*pre)),
                    ("post", &pct0(*post)),
                ],
            );
            let _ = write!(self.out, "{row} ");
        }
        let (before, after) = (self.t("rptBefore"), self.t("rptAfter"));
        self.push("</desc>");
        let _ = write!(
            self.out,
            "<g font-size=\"12\"><rect x=\"{LEFT}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{PRE_COLOUR}\"/>\
             <text x=\"{}\" y=\"16\">{before}</text><rect x=\"{}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{POST_COLOUR}\"/>\
             <text x=\"{}\" y=\"16\">{after}</text></g>",
            LEFT + 16.0,
            LEFT + 120.0,
            LEFT + 136.0
        );
        for (i, (label, pre, post)) in rows.iter().enumerate() {
            let y = 34.0 + ROW * i as f64;
            let _ = write!(
                self.out,
                "<text x=\"{LEFT}\" y=\"{}\" font-size=\"14\" font-weight=\"600\">{label}</text>",
                y + 12.0
            );
            for (j, (v, colour, name)) in [(pre, PRE_COLOUR, &before), (post, POST_COLOUR, &after)]
                .into_iter()
                .enumerate()
            {
                let by = y + 18.0 + 20.0 * j as f64;
                let w = v.map_or(0.0, |v| BAR * v.clamp(0.0, 100.0) / 100.0);
                let _ = write!(
                    self.out,
                    "<rect x=\"{LEFT}\" y=\"{by}\" width=\"{BAR}\" height=\"16\" fill=\"#eef1f4\"/>\
                     <rect x=\"{LEFT}\" y=\"{by}\" width=\"{w:.1}\" height=\"16\" fill=\"{colour}\"><title>{name}: {}</title></rect>\
                     <text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{name} {}</text>",
                    pct0(*v),
                    LEFT + BAR + 6.0,
                    by + 12.5,
                    pct0(*v)
                );
            }
        }
        self.push("</svg></figure>");
    }

    /// The histogram of per-learner gains.
    pub(super) fn histogram(&mut self, g: &GroupReport) {
        const WIDTH: f64 = 680.0;
        const HEIGHT: f64 = 240.0;
        const TOP: f64 = 24.0;
        const BASE: f64 = 190.0;
        let bins = &g.gain_histogram;
        let max = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
        let bw = (WIDTH - 40.0) / bins.len().max(1) as f64;
        let _ = write!(
            self.out,
            "<figure><svg id=\"gains\" role=\"img\" aria-labelledby=\"gains-t gains-d\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
             width=\"100%\" style=\"max-width:{WIDTH}px\" xmlns=\"http://www.w3.org/2000/svg\">\
             <title id=\"gains-t\">{}</title><desc id=\"gains-d\">{} ",
            self.t("rptGainsChart"),
            self.t("rptGainsDesc")
        );
        for b in bins.iter().filter(|b| b.count > 0) {
            let bin = self.f(
                "rptGainsBin",
                &[
                    ("gain", &format!("{:+.0}", b.center)),
                    ("n", &format!("{}", b.count)),
                ],
            );
            let _ = write!(self.out, "{bin}; ");
        }
        self.push("</desc>");
        for (i, b) in bins.iter().enumerate() {
            let x = 20.0 + bw * i as f64;
            let h = (BASE - TOP) * b.count as f64 / max;
            let colour = if b.center < 0.0 {
                LOSS_COLOUR
            } else if b.center > 0.0 {
                POST_COLOUR
            } else {
                PRE_COLOUR
            };
            let bar = self.f(
                "rptGainsBar",
                &[
                    ("gain", &format!("{:+.0}", b.center)),
                    ("n", &format!("{}", b.count)),
                ],
            );
            let _ = write!(
                self.out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{bar}</title></rect>",
                x + 1.0,
                BASE - h,
                bw - 2.0,
            );
            if b.count > 0 {
                let _ = write!(
                    self.out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                    x + bw / 2.0,
                    BASE - h - 3.0,
                    b.count
                );
            }
            if i % 2 == 0 {
                let _ = write!(
                    self.out,
                    "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{:+.0}</text>",
                    x + bw / 2.0,
                    BASE + 16.0,
                    b.center
                );
            }
        }
        let _ = write!(
            self.out,
            "<line x1=\"20\" y1=\"{BASE}\" x2=\"{}\" y2=\"{BASE}\" stroke=\"#333\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text></svg></figure>",
            WIDTH - 20.0,
            WIDTH / 2.0,
            BASE + 40.0,
            self.t("rptGainsAxis")
        );
    }
}
