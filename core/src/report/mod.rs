//! The cohort report: what a cohort knew before and after a session, for the whole cohort and
//! for each demographic group, with the statistics an M&E officer hands to a donor.
//!
//! # Streaming
//!
//! [`CohortReportBuilder`] takes one record at a time ([`push`](CohortReportBuilder::push) a
//! decoded [`ResultRecord`], or [`push_frame`](CohortReportBuilder::push_frame) the payload of
//! a results-log frame, which decodes only what the report needs without allocating) and
//! [`finish`](CohortReportBuilder::finish)es into a [`CohortReport`]. Its memory grows with
//! the number of items, groups and distinct score differences, never with the number of
//! learners. The statistics come from [`crate::report::stats`].
//!
//! # What is counted
//!
//! * A learner's **pre-test** (**post-test**) is the credit earned on the scored items of the
//!   journey's pre-test (post-test) phases, in percent. It counts only when complete: a
//!   completed session, or an abandoned one that answered every question of those phases
//!   (a kiosk visitor who left during the lesson still gives a pre-test).
//! * **Paired** learners have both; the others are counted as *pre only*, *post only* or
//!   *no test*, never silently dropped. Knowledge gain (t-test, Wilcoxon, d_z, ⟨g⟩) uses the
//!   paired learners only.
//! * Item statistics (facility, McNemar, discrimination, KR-20) use **correctness** (full
//!   credit) as the 0/1 item score; scores and objective percentages use credit.
//! * Records of another pack id or major version, of another journey when one is selected, and
//!   frames that do not decode are counted and skipped, not mixed in.
//! * **Duplicates:** the report assumes its input holds each record once, as
//!   [`record::log::merge`](crate::record::log::merge) leaves it (deduplicating needs memory
//!   per learner). Hosts that deduplicate while reading (the `kru` CLI does) use
//!   [`record_id`] and report what they dropped with
//!   [`note_duplicate`](CohortReportBuilder::note_duplicate).
//!
//! # Output
//!
//! [`CohortReport`] is `serde` serialisable with stable snake_case names and a
//! [`SCHEMA_VERSION`]; the JSON form is documented in `docs/report.md`. This crate does not
//! depend on a JSON library: hosts serialise with theirs (`serde_json`, `serde-wasm-bindgen`).
//! [`render_csv()`] and [`responses_csv`] (or [`responses_csv_log`] straight from a log) write
//! CSV, [`render_html()`] a printable page (in the pack language [`report_language`] picks).
//! These are the only renderers of the report: the CLI, the C API and the WebAssembly
//! package all hand out their output.

mod builder;
mod context;
mod crossover;
mod group;
mod learner;
mod render_csv;
mod render_html;
mod small_cells;
pub mod stats;
mod warnings;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

pub use crate::record::format::view::record_id;
pub use builder::CohortReportBuilder;
pub use render_csv::{
    render_csv, response_rows, responses_csv, responses_csv_header, responses_csv_log,
    responses_include,
};
pub use render_html::{render_html, render_html_with};

use crate::error_code::ErrorCode;
use crate::pack::Pack;
use crate::record::{RecordError, ResultRecord};

/// The version of the report's schema; bumped on any incompatible change of [`CohortReport`].
pub const SCHEMA_VERSION: u32 = 1;

/// The value of a group of learners who did not answer the intake field.
pub const NOT_ANSWERED: &str = "(not answered)";
/// The value of the group that collects values beyond [`ReportOptions::max_groups`].
pub const OTHER_GROUP: &str = "(other)";

/// How to build a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// Break the report down by this intake field (its id, e.g. `sex`).
    pub by: Option<String>,
    /// Only records of this journey (others are counted and skipped).
    pub journey: Option<String>,
    /// Fewer paired learners than this gives a `small_n` warning (statistics are still given
    /// from 2 on), and items with fewer answers get no item warnings.
    pub min_n: u32,
    /// A pre-test mean at or above this percentage gives a `ceiling` warning.
    pub ceiling_percent: f64,
    /// Small cells: a group with fewer learners than this has its figures suppressed in
    /// every output, with a `small_group` warning (privacy; 0 or 1 turns it off).
    pub small_group: u32,
    /// At most this many groups; further values are pooled in [`OTHER_GROUP`].
    pub max_groups: u32,
    /// More than this share of pre-tested learners without a post-test gives an `attrition`
    /// warning.
    pub attrition_share: f64,
    /// At least this share of pre-tested learners scoring 0 % gives a `floor` warning.
    pub floor_share: f64,
    /// Crossover forms whose pre-tests differ by more than this many points give a
    /// `forms_differ` warning.
    pub form_gap_points: f64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            by: None,
            journey: None,
            min_n: 10,
            ceiling_percent: 90.0,
            small_group: 5,
            max_groups: 64,
            attrition_share: 0.2,
            floor_share: 0.2,
            form_gap_points: 10.0,
        }
    }
}

/// Why a report cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// `by` names no intake field of the pack.
    #[error("the pack has no intake field '{field}' (it has: {known})")]
    UnknownField {
        /// The field asked for.
        field: String,
        /// The pack's intake field ids, comma-separated.
        known: String,
    },
    /// `journey` names no journey of the pack.
    #[error("the pack has no journey '{journey}' (it has: {known})")]
    UnknownJourney {
        /// The journey asked for.
        journey: String,
        /// The pack's journey ids, comma-separated.
        known: String,
    },
}

impl ReportError {
    /// The error's entry in the [error table](crate::error_code).
    pub fn code(&self) -> ErrorCode {
        match self {
            ReportError::UnknownField { .. } => ErrorCode::ReportUnknownField,
            ReportError::UnknownJourney { .. } => ErrorCode::UnknownJourney,
        }
    }
}

/// Builds the report of a slice of records (a convenience over [`CohortReportBuilder`]).
pub fn report(
    pack: &Pack,
    options: &ReportOptions,
    records: &[ResultRecord],
) -> Result<CohortReport, ReportError> {
    let mut b = CohortReportBuilder::new(pack, options)?;
    for r in records {
        b.push(r);
    }
    Ok(b.finish())
}

/// Builds the report of a results log's bytes (a convenience over
/// [`CohortReportBuilder::push_log`]).
pub fn report_log(
    pack: &Pack,
    options: &ReportOptions,
    log: &[u8],
) -> Result<CohortReport, ReportError> {
    let mut b = CohortReportBuilder::new(pack, options)?;
    b.push_log(log);
    Ok(b.finish())
}

/// The pack language to render a report in (an index into `pack.languages`, for
/// [`render_html`]) for a host's preferred languages (BCP 47 tags, best first): the best match
/// by [`negotiate`](crate::language::negotiate), else the pack's default language.
pub fn report_language(pack: &Pack, preferred: &[&str]) -> usize {
    crate::language::negotiate(preferred, &pack.language_tags(), pack.meta.default_language)
        .first()
        .map_or(usize::from(pack.meta.default_language), |&i| usize::from(i))
}

/// Ids joined with ", ", for messages.
fn ids<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    v.join(", ")
}

// ---------------------------------------------------------------------------------------------
// The report (its JSON form is documented in docs/report.md)
// ---------------------------------------------------------------------------------------------

/// The cohort report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The engine that built it.
    pub engine_version: String,
    /// The pack the records are from.
    pub pack: PackInfo,
    /// The options used.
    pub options: ReportOptions,
    /// What was read.
    pub records: RecordCounts,
    /// The whole cohort.
    pub cohort: GroupReport,
    /// One group report per value of the `by` field (empty without `by`), in the order of the
    /// field's options, then other values alphabetically, then [`OTHER_GROUP`] and
    /// [`NOT_ANSWERED`].
    pub groups: Vec<GroupReport>,
    /// Warnings about the input as a whole (skipped records, damage, mixed journeys).
    pub warnings: Vec<Warning>,
}

/// The pack of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Pack version, `major.minor.patch`.
    pub version: String,
}

/// What the report read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordCounts {
    /// Records included in the report.
    pub accepted: u64,
    /// Records of another pack, skipped.
    pub other_pack: u64,
    /// Records of this pack with another major version, skipped.
    pub other_version: u64,
    /// Records of another journey than the one selected, skipped.
    pub other_journey: u64,
    /// Records dropped as duplicates by the host.
    pub duplicates: u64,
    /// Frames whose checksum matched but which do not decode as a record.
    pub undecodable: u64,
    /// Damaged stretches of log skipped.
    pub damaged_stretches: u64,
    /// Bytes in them.
    pub damaged_bytes: u64,
    /// Accepted records whose journey is not in the pack (their tests count only when the
    /// session was completed).
    pub unknown_journey: u64,
    /// Responses to item indices the pack does not have, ignored.
    pub unknown_items: u64,
    /// Date (UTC, `YYYY-MM-DD`) of the earliest session start.
    pub first_session: Option<String>,
    /// Date (UTC) of the latest session start.
    pub last_session: Option<String>,
    /// Accepted records per journey id.
    pub journeys: Vec<JourneyCount>,
}

/// Records of one journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyCount {
    /// Journey id.
    pub journey: String,
    /// Records.
    pub records: u64,
}

/// The statistics of a set of learners: the whole cohort or one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupReport {
    /// The intake field (None for the whole cohort).
    pub field: Option<String>,
    /// Whether the group's figures are withheld: fewer learners than
    /// [`ReportOptions::small_group`] (or the next smallest group, withheld with it so that no
    /// small group can be found by subtracting the others from the cohort). A withheld group
    /// keeps only its field and value and a `small_group` warning.
    #[serde(default)]
    pub suppressed: bool,
    /// The group's value: an option code, a typed text, [`NOT_ANSWERED`] or [`OTHER_GROUP`]
    /// (None for the whole cohort).
    pub value: Option<String>,
    /// Who is in it.
    pub learners: LearnerCounts,
    /// Pre-test scores (percent) of every learner with a complete pre-test, paired or not.
    pub pre: Summary,
    /// Post-test scores (percent) of every learner with a complete post-test.
    pub post: Summary,
    /// Knowledge gain of the learners with both.
    pub paired: PairedReport,
    /// Per-learner gains (post − pre, percentage points) of the paired learners, in 21 bins
    /// of 10 points centred on −100, −90, …, +100.
    pub gain_histogram: Vec<HistogramBin>,
    /// Scored items, in pack order (every item answered in the cohort).
    pub items: Vec<ItemReport>,
    /// Learning objectives (key messages), in pack order.
    pub objectives: Vec<ObjectiveReport>,
    /// Indicators, in pack order.
    pub indicators: Vec<IndicatorReport>,
    /// Likert (attitude) items answered in the cohort, in pack order.
    pub likert: Vec<LikertReport>,
    /// KR-20 reliability per test (journey, phase kind, form).
    pub reliability: Vec<ReliabilityReport>,
    /// With parallel forms taken in both orders: the forms' difference, the order effect and
    /// the balanced gain (None without such a crossover).
    #[serde(default)]
    pub crossover: Option<CrossoverReport>,
    /// "I don't know" answers before and after.
    #[serde(default)]
    pub dont_know: DontKnowReport,
    /// Where a figure of this cohort or group is not meaningful.
    pub warnings: Vec<Warning>,
}

/// Who is in the cohort or a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerCounts {
    /// Records (one per session).
    pub records: u64,
    /// Sessions completed.
    pub completed: u64,
    /// Sessions abandoned.
    pub abandoned: u64,
    /// With a complete pre-test.
    pub with_pre: u64,
    /// With a complete post-test.
    pub with_post: u64,
    /// With both: the paired learners.
    pub paired: u64,
    /// Pre-test without post-test (e.g. left before the end): unpaired.
    pub pre_only: u64,
    /// Post-test without pre-test: unpaired.
    pub post_only: u64,
    /// Neither test complete.
    pub no_test: u64,
    /// With a complete pre-test scoring exactly 0 % (a `floor` warning when many).
    #[serde(default)]
    pub pre_zero: u64,
}

/// Count, mean and sample standard deviation (ddof = 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of values.
    pub n: u64,
    /// Mean (None when n = 0).
    pub mean: Option<f64>,
    /// Sample standard deviation (None when n < 2).
    pub sd: Option<f64>,
}

/// Knowledge gain of the paired learners. Every statistic is None where undefined (n < 2,
/// zero variance), never NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedReport {
    /// Paired learners.
    pub n: u64,
    /// Their pre-test scores (percent).
    pub pre: Summary,
    /// Their post-test scores (percent).
    pub post: Summary,
    /// Their gains post − pre (percentage points): the mean gain and its spread.
    pub gain: Summary,
    /// Hake's class normalised gain ⟨g⟩ = (post% − pre%)/(100 − pre%) from the class means.
    pub class_normalised_gain: Option<f64>,
    /// Mean of the per-learner normalised gains.
    pub mean_normalised_gain: Option<f64>,
    /// Learners in that mean.
    pub normalised_gain_n: u64,
    /// Learners with a 100 % pre-test, excluded from that mean (no room to gain).
    pub excluded_at_ceiling: u64,
    /// Paired t-test on post − pre.
    pub t_test: Option<TTestReport>,
    /// Wilcoxon signed-rank test on post − pre (normal approximation).
    pub wilcoxon: Option<WilcoxonReport>,
    /// Cohen's d_z with its 95 % confidence interval.
    pub cohens_dz: Option<EffectSize>,
}

/// The crossover analysis of two parallel forms taken in both orders (see `docs/report.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossoverReport {
    /// The two forms, in pack order: the first is "A", the second "B" below.
    pub forms: [String; 2],
    /// The paired learners of each order: A then B, and B then A.
    pub orders: [CrossoverOrder; 2],
    /// Pre-test on A minus pre-test on B (percentage points; positive: A is easier), between
    /// the two halves, with Welch's t-test.
    pub form_effect: Option<TwoSampleTest>,
    /// Mean gain of the order A→B minus that of B→A (points), with Welch's t-test. About −2×
    /// the form effect when only the forms' difficulty differs.
    pub order_effect: Option<TwoSampleTest>,
    /// The mean of the two orders' mean gains: the gain with the forms' difference cancelled.
    pub balanced_gain: Option<f64>,
}

/// The paired learners who took the forms in one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossoverOrder {
    /// Form of the pre-test.
    pub first: String,
    /// Form of the post-test.
    pub second: String,
    /// Learners.
    pub n: u64,
    /// Their pre-test scores (percent).
    pub pre: Summary,
    /// Their post-test scores.
    pub post: Summary,
    /// Their gains (points).
    pub gain: Summary,
}

/// A difference of two independent means with Welch's two-sided t-test (`null` where
/// undefined: fewer than 2 learners in a sample, or no spread).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TwoSampleTest {
    /// mean(first) − mean(second).
    pub difference: f64,
    /// Welch's t.
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
}

/// A two-sided paired t-test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TTestReport {
    /// t statistic.
    pub t: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// A two-sided Wilcoxon signed-rank test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WilcoxonReport {
    /// min(W⁺, W⁻).
    pub statistic: f64,
    /// Rank sum of the gains.
    pub w_plus: f64,
    /// Rank sum of the losses.
    pub w_minus: f64,
    /// Signed z (positive when post tends to exceed pre).
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Non-zero differences (the test's sample size).
    pub n_nonzero: u64,
    /// Zero differences, discarded.
    pub n_zero: u64,
}

/// Cohen's d_z with a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EffectSize {
    /// d_z = mean(post − pre) / sd(post − pre).
    pub d: f64,
    /// Its standard error (normal approximation).
    pub se: f64,
    /// Lower bound of the 95 % confidence interval.
    pub ci_low: f64,
    /// Upper bound.
    pub ci_high: f64,
}

/// One bin of the gain histogram.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    /// Its centre (percentage points).
    pub center: f64,
    /// Lower edge (inclusive).
    pub from: f64,
    /// Upper edge (exclusive; the last bin includes +100).
    pub to: f64,
    /// Learners.
    pub count: u64,
}

/// One scored item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemReport {
    /// Item id.
    pub id: String,
    /// Index in the pack.
    pub index: u16,
    /// Item kind (`single`, `multiple`, …).
    pub kind: String,
    /// Ids of its objectives.
    pub objectives: Vec<String>,
    /// In pre-tests.
    pub pre: ItemPhase,
    /// In post-tests.
    pub post: ItemPhase,
    /// McNemar test of the learners who answered it in both (None when nobody did, e.g.
    /// crossover forms).
    pub mcnemar: Option<McNemarReport>,
}

/// One item in one phase kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemPhase {
    /// Learners who answered it (in a complete test).
    pub n: u64,
    /// Of whom with full credit.
    pub correct: u64,
    /// Of whom answered "I don't know" (counted in `n`, never in `correct`).
    pub dont_know: u64,
    /// `dont_know / n` (0–1).
    pub dont_know_rate: Option<f64>,
    /// Facility: the proportion correct (0–1).
    pub facility: Option<f64>,
    /// Mean credit (0–1).
    pub mean_credit: Option<f64>,
    /// Corrected point-biserial discrimination: Pearson's r between the item (0/1) and the
    /// number of the learner's other items of that test correct.
    pub discrimination: Option<f64>,
}

/// "I don't know" answers in the pre- and post-tests (all zero when the journey does not
/// offer it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DontKnowReport {
    /// In pre-tests.
    pub pre: DontKnowShare,
    /// In post-tests.
    pub post: DontKnowShare,
    /// post − pre, percentage points (a drop: learners who now think they know).
    pub change: Option<f64>,
}

/// "I don't know" answers among the scored responses of one phase kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DontKnowShare {
    /// Scored responses (in complete tests).
    pub responses: u64,
    /// Of which "I don't know".
    pub dont_know: u64,
    /// dont_know / responses in percent (None without responses).
    pub percent: Option<f64>,
}

/// A McNemar test of right/wrong before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct McNemarReport {
    /// Pairs.
    pub n: u64,
    /// Right before and after.
    pub both_right: u64,
    /// Right before, wrong after.
    pub right_to_wrong: u64,
    /// Wrong before, right after.
    pub wrong_to_right: u64,
    /// Wrong before and after.
    pub both_wrong: u64,
    /// `exact_binomial` (fewer than 25 discordant pairs) or `chi_square_corrected`.
    pub method: McNemarKind,
    /// The statistic (the binomial count, or χ²).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Which McNemar test was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum McNemarKind {
    /// Exact two-sided binomial test.
    ExactBinomial,
    /// χ² with Edwards' continuity correction.
    ChiSquareCorrected,
}

/// Credit on one objective's items, pooled over responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveReport {
    /// Objective id.
    pub id: String,
    /// In pre-tests.
    pub pre: Share,
    /// In post-tests.
    pub post: Share,
    /// post − pre, percentage points.
    pub change: Option<f64>,
}

/// Credit on a set of responses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// Responses.
    pub responses: u64,
    /// Credit earned in percent of the responses (None without responses).
    pub percent: Option<f64>,
}

/// One indicator: the share of learners who got all of its items they were asked right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    /// Indicator id.
    pub id: String,
    /// In pre-tests.
    pub pre: Proportion,
    /// In post-tests.
    pub post: Proportion,
    /// McNemar test of the paired learners asked it in both tests.
    pub mcnemar: Option<McNemarReport>,
}

/// A proportion of learners.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// Learners asked.
    pub n: u64,
    /// Of whom meeting it.
    pub met: u64,
    /// met / n in percent.
    pub percent: Option<f64>,
}

/// One Likert (attitude) item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikertReport {
    /// Item id.
    pub id: String,
    /// Index in the pack.
    pub index: u16,
    /// Scale points (0 = lowest).
    pub points: u16,
    /// Whether the item is reverse-keyed (`keyed = "low"`: disagreeing is the safe attitude).
    /// Its means and shift are then of the reversed answers (point p of n scores n − 1 − p),
    /// so that for every item a higher mean and a positive shift are safer; its distributions
    /// stay as answered.
    #[serde(default)]
    pub reversed: bool,
    /// In pre-tests.
    pub pre: LikertPhase,
    /// In post-tests.
    pub post: LikertPhase,
    /// Learners who answered it in both.
    pub paired_n: u64,
    /// Mean of (post − pre) scale points over them (of the reversed answers when
    /// [`reversed`](Self::reversed)).
    pub mean_shift: Option<f64>,
}

/// A Likert item in one phase kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikertPhase {
    /// Answers.
    pub n: u64,
    /// Mean scale point (0 = lowest; of the reversed answers for a reverse-keyed item, whose
    /// highest point scores 0).
    pub mean: Option<f64>,
    /// Answers per scale point, lowest first, as answered (never reversed).
    pub distribution: Vec<u64>,
}

/// KR-20 reliability of one test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityReport {
    /// Journey id.
    pub journey: String,
    /// `pre-test` or `post-test`.
    pub phase_kind: String,
    /// Form id (None for a fixed item list).
    pub form: Option<String>,
    /// Scored items each learner answers.
    pub k: u32,
    /// Distinct items the test draws from.
    pub items: u32,
    /// Learners in the estimate.
    pub n: u64,
    /// Learners skipped (missing items).
    pub skipped: u64,
    /// How it was computed.
    pub method: ReliabilityMethod,
    /// KR-20 (None when undefined: k < 2, n < 2, no variance).
    pub kr20: Option<f64>,
}

/// How a KR-20 was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliabilityMethod {
    /// Every learner answers the same k items: the classic KR-20.
    Kr20,
    /// Each learner answers k items drawn from a larger form: KR-20 of the k-item test with
    /// Σpq averaged over the items drawn (an approximation, see docs/report.md).
    Kr20Sampled,
}

/// Where a figure is not meaningful, or input was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    /// What kind of warning.
    pub code: WarningCode,
    /// The item, indicator or test it is about (its id), if any.
    pub subject: Option<String>,
    /// For people (English).
    pub message: String,
    /// The id of the warning's text in the interface-string catalogue (`warning-small-n`,
    /// see `core/src/ui/en.toml`): reports in other languages show that string, its
    /// `{name}` placeholders filled from [`Warning::params`].
    #[serde(default)]
    pub text_id: String,
    /// The values of the text's placeholders (numbers already written, ids as they are).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// Kinds of warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningCode {
    /// No learner has both tests.
    NoPairs,
    /// Fewer paired learners than `min_n`.
    SmallN,
    /// A group smaller than `small_group`: figures may identify people.
    SmallGroup,
    /// Many learners took the pre-test but not the post-test.
    Attrition,
    /// The pre-test mean is near 100 %.
    Ceiling,
    /// Everyone answered an item right.
    AllCorrect,
    /// An item's discrimination is negative (possibly mis-keyed or confusing).
    NegativeDiscrimination,
    /// A reliability is an approximation (items drawn per learner).
    SampledReliability,
    /// Records of another pack or version were skipped.
    SkippedRecords,
    /// Frames did not decode or damaged stretches were skipped.
    DamagedLog,
    /// Records of journeys the pack does not have.
    UnknownJourney,
    /// Responses to items the pack does not have.
    UnknownItems,
    /// Records of several journeys, whose tests differ, are pooled.
    MixedJourneys,
    /// More group values than `max_groups`.
    TooManyGroups,
    /// The paired learners' gains have no spread (all equal): no t-test or d_z.
    ZeroSpread,
    /// Many learners scored 0 % in the pre-test (floor effect).
    Floor,
    /// A KR-20 is negative.
    NegativeReliability,
    /// No learner answered an item both before and after (crossover forms): items have no
    /// McNemar test.
    NoRepeatedItems,
    /// Crossover forms differ in difficulty by more than `form_gap_points`.
    FormsDiffer,
    /// A code unknown to this version (from a newer report).
    #[serde(other)]
    Other,
}

impl ReportOptions {
    /// Options breaking the report down by `field`.
    pub fn by(field: &str) -> Self {
        Self {
            by: Some(String::from(field)),
            ..Self::default()
        }
    }
}
