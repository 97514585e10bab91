//! The report's warnings: about the records read, and about the figures of the cohort and
//! of each group (small groups and samples, attrition, ceiling effects, items everyone got
//! right or that discriminate negatively, approximate reliabilities).

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;

/// A warning about `subject` (or about the whole report or group): its English `message`,
/// and the catalogue id `text_id` of the same text with the placeholder values `params`.
fn warn(
    code: WarningCode,
    subject: Option<&str>,
    text_id: &str,
    params: &[(&str, String)],
    message: String,
) -> Warning {
    Warning {
        code,
        subject: subject.map(String::from),
        message,
        text_id: String::from(text_id),
        params: params
            .iter()
            .map(|(k, v)| (String::from(*k), v.clone()))
            .collect(),
    }
}

/// A count as a placeholder value.
fn num(n: impl core::fmt::Display) -> String {
    format!("{n}")
}

/// The warnings about the records read: skipped, damaged or of unknown journeys and items,
/// pooled journeys, and (`too_many_groups`: the grouping field) values pooled in
/// [`OTHER_GROUP`].
pub(crate) fn record_warnings(
    pack: &Pack,
    options: &ReportOptions,
    records: &RecordCounts,
    too_many_groups: Option<&str>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut w = |code, id: &str, params: &[(&str, String)], message: String| {
        warnings.push(warn(code, None, id, params, message))
    };
    if records.other_pack + records.other_version > 0 {
        w(
            WarningCode::SkippedRecords,
            "warning-skipped-records",
            &[
                ("otherPack", num(records.other_pack)),
                ("otherVersion", num(records.other_version)),
                ("pack", pack.meta.id.clone()),
            ],
            format!(
                "{} record(s) of another pack and {} of another major version of '{}' were skipped.",
                records.other_pack,
                records.other_version,
                pack.meta.id
            ),
        );
    }
    if records.undecodable + records.damaged_stretches > 0 {
        w(
            WarningCode::DamagedLog,
            "warning-damaged-log",
            &[
                ("frames", num(records.undecodable)),
                ("stretches", num(records.damaged_stretches)),
                ("bytes", num(records.damaged_bytes)),
            ],
            format!(
                "{} frame(s) did not decode and {} damaged stretch(es) ({} bytes) were skipped.",
                records.undecodable, records.damaged_stretches, records.damaged_bytes
            ),
        );
    }
    if records.unknown_journey > 0 {
        w(
            WarningCode::UnknownJourney,
            "warning-unknown-journey",
            &[("n", num(records.unknown_journey))],
            format!(
                "{} record(s) are of journeys the pack does not have: their tests count only when the session was completed.",
                records.unknown_journey
            ),
        );
    }
    if records.unknown_items > 0 {
        w(
            WarningCode::UnknownItems,
            "warning-unknown-items",
            &[("n", num(records.unknown_items))],
            format!(
                "{} response(s) are to items the pack does not have and were ignored.",
                records.unknown_items
            ),
        );
    }
    if records.journeys.len() > 1 {
        w(
            WarningCode::MixedJourneys,
            "warning-mixed-journeys",
            &[
                ("n", num(records.journeys.len())),
                (
                    "journeys",
                    ids(records.journeys.iter().map(|j| j.journey.as_str())),
                ),
            ],
            format!(
                "Records of {} journeys ({}) are pooled, and their tests differ: consider one report per journey.",
                records.journeys.len(),
                ids(records.journeys.iter().map(|j| j.journey.as_str()))
            ),
        );
    }
    if let Some(field_id) = too_many_groups {
        w(
            WarningCode::TooManyGroups,
            "warning-too-many-groups",
            &[
                ("max", num(options.max_groups)),
                ("field", String::from(field_id)),
                ("other", String::from(OTHER_GROUP)),
            ],
            format!(
                "More than {} values of '{}': the rest are pooled in '{}'.",
                options.max_groups, field_id, OTHER_GROUP
            ),
        );
    }
    warnings
}

/// A percentage with one decimal, for messages.
fn fmt_pct(x: f64) -> String {
    format!("{x:.1} %")
}

/// The warnings of the report of the cohort (`is_group` false) or of a group.
pub(crate) fn group_warnings(
    r: &GroupReport,
    options: &ReportOptions,
    is_group: bool,
) -> Vec<Warning> {
    let mut out = Vec::new();
    let min_n = u64::from(options.min_n);
    let l = &r.learners;
    if l.records > 0 && r.paired.n == 0 {
        out.push(warn(
            WarningCode::NoPairs,
            None,
            "warning-no-pairs",
            &[],
            String::from("No learner has both a complete pre-test and post-test: knowledge gain cannot be measured."),
        ));
    } else if r.paired.n > 0 && r.paired.n < min_n {
        let (id, what) = if r.paired.n < 2 {
            (
                "warning-small-n-under-2",
                "the tests and the effect size need at least 2 and are not given",
            )
        } else {
            (
                "warning-small-n",
                "the tests and the effect size are not meaningful",
            )
        };
        out.push(warn(
            WarningCode::SmallN,
            None,
            id,
            &[("n", num(r.paired.n)), ("min", num(min_n))],
            format!(
                "Only {} learner(s) have both tests (fewer than {min_n}): {what}.",
                r.paired.n
            ),
        ));
    }
    if l.with_pre > 0 && (l.pre_only as f64) > options.attrition_share * l.with_pre as f64 {
        out.push(warn(
            WarningCode::Attrition,
            None,
            "warning-attrition",
            &[("n", num(l.pre_only)), ("of", num(l.with_pre))],
            format!(
                "{} of {} learners who took the pre-test have no post-test: if those who left differ from those who stayed, the gain is biased.",
                l.pre_only, l.with_pre
            ),
        ));
    }
    zero_spread_warning(r, &mut out);
    if let Some((x, f)) = r.crossover.as_ref().and_then(|x| Some((x, x.form_effect?))) {
        if f.difference.abs() > options.form_gap_points {
            let p = f
                .p_value
                .map(|p| format!(" (Welch's t-test p = {p:.3})"))
                .unwrap_or_default();
            let mut params = vec![
                ("a", x.forms[0].clone()),
                ("b", x.forms[1].clone()),
                ("points", format!("{:.1}", f.difference.abs())),
                ("max", format!("{}", options.form_gap_points)),
            ];
            let id = match f.p_value {
                Some(pv) => {
                    params.push(("p", format!("{pv:.3}")));
                    "warning-forms-differ-p"
                }
                None => "warning-forms-differ",
            };
            out.push(warn(
                WarningCode::FormsDiffer,
                None,
                id,
                &params,
                format!(
                    "Forms '{}' and '{}' differ by {:.1} points in the pre-test{p}, more than {}: they are not parallel, so a gain measured from one to the other is biased; use the balanced gain (the mean of both orders) and revise the forms.",
                    x.forms[0], x.forms[1], f.difference.abs(), options.form_gap_points
                ),
            ));
        }
    }
    if l.with_pre > 0 && (l.pre_zero as f64) >= options.floor_share * l.with_pre as f64 {
        out.push(warn(
            WarningCode::Floor,
            None,
            "warning-floor",
            &[("n", num(l.pre_zero)), ("of", num(l.with_pre))],
            format!(
                "{} of {} learners scored 0 % in the pre-test (floor effect): the test may be too hard or not understood, and it cannot tell apart what they knew.",
                l.pre_zero, l.with_pre
            ),
        ));
    }
    if let Some(m) = r.pre.mean.filter(|&m| m >= options.ceiling_percent) {
        out.push(warn(
            WarningCode::Ceiling,
            None,
            "warning-ceiling",
            &[("mean", format!("{m:.1}"))],
            format!(
                "The pre-test mean is {}: there is little room to gain (ceiling effect); gains and normalised gains are unstable.",
                fmt_pct(m)
            ),
        ));
    }
    // Item warnings are about the questions, not the group: given once, for the cohort.
    if !is_group {
        item_warnings(&r.items, min_n, &mut out);
        reliability_warnings(&r.reliability, &mut out);
        if r.paired.n > 0 && !r.items.is_empty() && r.items.iter().all(|i| i.mcnemar.is_none()) {
            out.push(warn(
                WarningCode::NoRepeatedItems,
                None,
                "warning-no-repeated-items",
                &[],
                String::from("No learner answered the same question before and after (crossover forms: one form before, the other after), so the questions have no McNemar test (shown as —); the tests' scores, key messages and indicators are compared instead."),
            ));
        }
    }
    out
}

/// The warning of a group whose paired learners all gained the same (zero spread).
fn zero_spread_warning(r: &GroupReport, out: &mut Vec<Warning>) {
    let p = &r.paired;
    if p.n < 2 || p.gain.sd != Some(0.0) {
        return;
    }
    let g = p.gain.mean.unwrap_or(0.0);
    let (id, message) = if g == 0.0 {
        ("warning-zero-spread-none", format!(
            "Every one of the {} paired learners scored the same before and after (all gains are 0): with no spread and no change, no test or effect size is given.",
            p.n
        ))
    } else {
        ("warning-zero-spread", format!(
            "Every one of the {} paired learners gained exactly {g:+.1} points: with no spread, the t-test and the effect size d_z are not given; the Wilcoxon test only says that every gain has the same sign.",
            p.n
        ))
    };
    out.push(warn(
        WarningCode::ZeroSpread,
        None,
        id,
        &[("n", num(p.n)), ("gain", format!("{g:+.1}"))],
        message,
    ));
}

/// The warning of a group whose figures are withheld (small cell).
pub(crate) fn suppressed_warning(options: &ReportOptions) -> Warning {
    warn(
        WarningCode::SmallGroup,
        None,
        "warning-small-group",
        &[("min", num(options.small_group))],
        format!(
            "This group has fewer than {} learners, or is withheld with such a group so that it cannot be found by subtraction: its figures are not shown, as they could identify people.",
            options.small_group
        ),
    )
}

/// Items everyone answered right, and items that discriminate clearly negatively.
fn item_warnings(items: &[ItemReport], min_n: u64, out: &mut Vec<Warning>) {
    for it in items {
        for (label, phase, p) in [
            ("pre-test", "pre", &it.pre),
            ("post-test", "post", &it.post),
        ] {
            if p.n >= min_n.max(1) && p.correct == p.n {
                let why = if label == "pre-test" {
                    "it cannot show learning and does not discriminate"
                } else {
                    "its discrimination is undefined"
                };
                out.push(warn(
                    WarningCode::AllCorrect,
                    Some(&it.id),
                    &format!("warning-all-correct-{phase}"),
                    &[("n", num(p.n)), ("item", it.id.clone())],
                    format!(
                        "Everyone ({}) answered item '{}' right in the {label}: {why}.",
                        p.n, it.id
                    ),
                ));
            }
            if let Some(d) = p.discrimination.filter(|&d| d < 0.0 && p.n >= min_n.max(3)) {
                // Only when clearly negative: r < 0 with a two-sided p below 0.05.
                let df = p.n as f64 - 2.0;
                let t = d * libm::sqrt(df / (1.0 - d * d).max(f64::MIN_POSITIVE));
                let significant = crate::report::stats::special::student_t_two_sided_p(t, df)
                    .is_some_and(|p| p < 0.05);
                if significant {
                    out.push(warn(
                        WarningCode::NegativeDiscrimination,
                        Some(&it.id),
                        &format!("warning-negative-discrimination-{phase}"),
                        &[("item", it.id.clone()), ("d", format!("{d:.2}"))],
                        format!(
                            "Item '{}' has a negative discrimination ({d:.2}) in the {label}: learners who did well on the rest of the test got it wrong more often; check its key and wording.",
                            it.id
                        ),
                    ));
                }
            }
        }
    }
}

/// Reliabilities that are the drawn-items approximation of KR-20, and negative ones.
fn reliability_warnings(reliability: &[ReliabilityReport], out: &mut Vec<Warning>) {
    for t in reliability {
        // The test as codes only (journey, and form when there are forms), so that no English
        // word is carried into a report in another language; the phase picks the text.
        let test = match &t.form {
            Some(f) => format!("{}/{f}", t.journey),
            None => t.journey.clone(),
        };
        let phase = if t.phase_kind == "post-test" {
            "post"
        } else {
            "pre"
        };
        if let Some(a) = t.kr20.filter(|&a| a < 0.0) {
            let subject = format!(
                "{}/{}/{}",
                t.journey,
                t.phase_kind,
                t.form.as_deref().unwrap_or("-")
            );
            out.push(warn(
                WarningCode::NegativeReliability,
                Some(&subject),
                &format!("warning-negative-reliability-{phase}"),
                &[("test", test.clone()), ("kr20", format!("{a:.2}"))],
                format!(
                    "The KR-20 of the {} of journey '{}'{} is negative ({a:.2}): its questions do not measure one thing together (too few learners, mis-keyed or unrelated questions); do not rely on its total score.",
                    t.phase_kind,
                    t.journey,
                    t.form.as_deref().map(|f| format!(" (form {f})")).unwrap_or_default(),
                ),
            ));
        }
        if t.method == ReliabilityMethod::Kr20Sampled {
            let subject = format!(
                "{}/{}/{}",
                t.journey,
                t.phase_kind,
                t.form.as_deref().unwrap_or("-")
            );
            out.push(warn(
                    WarningCode::SampledReliability,
                    Some(&subject),
                    &format!("warning-sampled-reliability-{phase}"),
                    &[
                        ("test", test.clone()),
                        ("k", num(t.k)),
                        ("items", num(t.items)),
                    ],
                    format!(
                        "The {} of journey '{}'{} draws {} of {} items per learner: its KR-20 is an approximation.",
                        t.phase_kind,
                        t.journey,
                        t.form.as_deref().map(|f| format!(" (form {f})")).unwrap_or_default(),
                        t.k,
                        t.items
                    ),
                ));
        }
    }
}
