//! [`CohortReportBuilder`]: reads records one at a time into the blocks' accumulators.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::group::Block;
use super::*;
use crate::pack::item::ItemKind;
use crate::pack::journey::{FormSlot, PhaseContent, PhaseKind, Selection};
use crate::pack::{Date, Form};
use crate::record::format::view::{self as decode, RecordView, ResponseView};
use crate::record::log::{Damage, LogEntry, LogFrames};

/// The phase kinds a report compares, in the order of the `[_; 2]` arrays: pre, post.
pub(crate) const KINDS: [PhaseKind; 2] = [PhaseKind::PreTest, PhaseKind::PostTest];

/// Raw group values remembered for fast lookup (beyond this, values are normalised each time).
const RAW_CACHE: usize = 4096;
/// Distinct unknown journey ids counted by name.
const MAX_UNKNOWN_JOURNEYS: usize = 16;

/// How many questions a phase asks.
#[derive(Debug, Clone)]
enum Expected {
    /// A lesson.
    None,
    /// A fixed list.
    Fixed(u32),
    /// Drawn from the learner's form in `slot`: the count per pack form.
    Form { slot: usize, by_form: Vec<u32> },
}

#[derive(Debug, Clone)]
struct PhaseInfo {
    kind: PhaseKind,
    expected: Expected,
}

#[derive(Debug, Clone)]
struct JourneyInfo {
    phases: Vec<PhaseInfo>,
    /// Per phase kind (pre, post): the form slot its test is keyed by (None: fixed lists only)
    /// and the tests by form index.
    form_slot: [Option<usize>; 2],
    tests: [Vec<(Option<u16>, usize)>; 2],
}

/// One test whose reliability is reported: the scored items a journey asks in one phase kind
/// with one form.
#[derive(Debug, Clone)]
pub(crate) struct TestDef {
    pub journey: usize,
    /// 0 = pre-test, 1 = post-test.
    pub kind: usize,
    pub form: Option<u16>,
    /// The items it draws from.
    pub items: Vec<u16>,
    /// Item index → position in `items` (`u16::MAX`: not in the test).
    positions: Vec<u16>,
    /// Scored items per learner (0 when it varies).
    pub k: u32,
    /// Whether learners answer fewer than all the items.
    pub sampled: bool,
}

impl TestDef {
    /// Position of an item in the test.
    pub fn pos(&self, item: u16) -> Option<usize> {
        self.positions
            .get(usize::from(item))
            .filter(|&&p| p != u16::MAX)
            .map(|&p| usize::from(p))
    }
}

/// What the report needs of one item, in one place.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ItemInfo {
    /// Whether it earns points (not Likert).
    pub scored: bool,
    /// Its Likert slot.
    pub likert: Option<u16>,
    /// Its objectives and indicators: ranges of `Ctx::lists`.
    objectives: (u32, u32),
    indicators: (u32, u32),
}

/// What the report derives from the pack once.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// Per pack item.
    pub items: Vec<ItemInfo>,
    /// The objective and indicator lists of the items, one after another.
    lists: Vec<u16>,
    /// Likert slot → (item, scale points).
    pub likert_items: Vec<(u16, u16)>,
    pub objectives: usize,
    pub indicators: usize,
    journeys: Vec<JourneyInfo>,
    pub tests: Vec<TestDef>,
}

impl Ctx {
    fn list(&self, (start, end): (u32, u32)) -> &[u16] {
        self.lists.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// The objectives of an item.
    pub fn objectives_of(&self, info: &ItemInfo) -> &[u16] {
        self.list(info.objectives)
    }

    /// The indicators an item belongs to.
    pub fn indicators_of(&self, info: &ItemInfo) -> &[u16] {
        self.list(info.indicators)
    }
}

/// A learner's score in one phase kind.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    /// Credit earned.
    pub credit: f64,
    /// Scored items answered.
    pub n: u32,
    /// Of which right.
    pub correct: u32,
}

/// The per-record figures shared by the blocks a record goes to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Learner {
    pub completed: bool,
    /// The complete tests (pre, post) with at least one scored item.
    pub tally: [Option<Tally>; 2],
    /// The reliability test of each.
    pub tests: [Option<usize>; 2],
}

/// A scored response of a complete test.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    /// 0 = pre-test, 1 = post-test.
    pub k: usize,
    pub item: u16,
    pub correct: bool,
    pub credit: f32,
}

/// Per-record working memory, reused (sized by the pack, reset after each record).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// The record's scored responses in complete tests.
    pub scored: Vec<Scored>,
    /// Per item, per phase kind: 0 not asked, 1 wrong, 2 right.
    /// Valid for the record whose stamp it carries (older entries count as not asked), so that
    /// nothing needs resetting between records.
    pub item_state: Vec<(u64, [u8; 2])>,
    /// The current record's stamp.
    pub stamp: u64,
    pub touched_items: Vec<u16>,
    /// Per indicator, per phase kind: 0 not asked, 1 all right so far, 2 one wrong.
    pub indicator_state: Vec<[u8; 2]>,
    pub touched_indicators: Vec<u16>,
    /// Per Likert slot, per phase kind: the scale point.
    pub likert_state: Vec<[Option<u16>; 2]>,
    pub touched_likert: Vec<u16>,
    /// Per phase kind: the learner's answers in its test, as (position in the test, right).
    pub test_answers: [Vec<(usize, bool)>; 2],
    /// A row of an exact test, by position: right, wrong or not answered.
    pub test_row: Vec<Option<bool>>,
    responses: Vec<ResponseView>,
    phase_counts: Vec<u32>,
}

/// A group of learners: its value and its accumulators.
struct Group {
    value: String,
    block: Block,
}

/// Builds a [`CohortReport`] one record at a time. Memory grows with the number of items,
/// groups and distinct score differences, not with the number of learners.
pub struct CohortReportBuilder<'p> {
    pack: &'p Pack,
    options: ReportOptions,
    /// The intake field of `by`, and whether it is a free-text field.
    by: Option<(usize, bool)>,
    journey_filter: Option<usize>,
    ctx: Ctx,
    counts: RecordCounts,
    journey_records: Vec<u64>,
    unknown_journeys: BTreeMap<String, u64>,
    first_start: Option<i64>,
    last_start: Option<i64>,
    cohort: Block,
    groups: Vec<Group>,
    /// Normalised value → group.
    group_keys: BTreeMap<String, usize>,
    /// Raw value (bytes as recorded) → group.
    group_raw: BTreeMap<Vec<u8>, usize>,
    too_many_groups: bool,
    scratch: Scratch,
}

fn ids<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    v.join(", ")
}

/// Questions a phase drawing `per_objective` items per objective asks from `form` (counting
/// only scored items when `scored_only`; `None` when that count varies between learners).
fn draw_count(pack: &Pack, form: &Form, per_objective: u8, scored_only: bool) -> Option<u32> {
    let scored = |i: u16| {
        pack.items
            .get(usize::from(i))
            .is_some_and(|it| it.kind.is_scored())
    };
    if per_objective == 0 {
        let n = form
            .items
            .iter()
            .filter(|&&i| !scored_only || scored(i))
            .count();
        return u32::try_from(n).ok();
    }
    let mut total = 0u32;
    for o in 0..pack.objectives.len() {
        let pool = form.items.iter().filter(|&&i| {
            pack.items
                .get(usize::from(i))
                .and_then(|it| it.objectives.first())
                .is_some_and(|&f| usize::from(f) == o)
        });
        let (mut all, mut sc) = (0u32, 0u32);
        for &i in pool {
            all += 1;
            sc += u32::from(scored(i));
        }
        let drawn = all.min(u32::from(per_objective));
        if scored_only && sc != all && sc != 0 && drawn < all {
            return None;
        }
        total += if scored_only && sc == 0 { 0 } else { drawn };
    }
    Some(total)
}

fn build_ctx(pack: &Pack) -> Ctx {
    let n_items = pack.items.len();
    let item_scored: Vec<bool> = pack.items.iter().map(|it| it.kind.is_scored()).collect();
    let mut item_likert = vec![None; n_items];
    let mut likert_items = Vec::new();
    for (i, it) in pack.items.iter().enumerate() {
        if let ItemKind::Likert { scale } = &it.kind {
            if let (Some(slot), Ok(item), Ok(points)) = (
                item_likert.get_mut(i),
                u16::try_from(i),
                u16::try_from(scale.len()),
            ) {
                *slot = u16::try_from(likert_items.len()).ok();
                likert_items.push((item, points));
            }
        }
    }
    let mut item_indicators = vec![Vec::new(); n_items];
    for (k, ind) in pack.indicators.iter().enumerate() {
        for &i in &ind.items {
            if let (Some(v), Ok(k)) = (item_indicators.get_mut(usize::from(i)), u16::try_from(k)) {
                if !v.contains(&k) {
                    v.push(k);
                }
            }
        }
    }
    let mut lists: Vec<u16> = Vec::new();
    let range = |lists: &mut Vec<u16>, v: &[u16]| {
        let start = u32::try_from(lists.len()).unwrap_or(u32::MAX);
        lists.extend_from_slice(v);
        (start, u32::try_from(lists.len()).unwrap_or(u32::MAX))
    };
    let items: Vec<ItemInfo> = pack
        .items
        .iter()
        .zip(item_likert.iter().zip(&item_indicators))
        .map(|(it, (&likert, inds))| ItemInfo {
            scored: it.kind.is_scored(),
            likert,
            objectives: range(&mut lists, &it.objectives),
            indicators: range(&mut lists, inds),
        })
        .collect();
    let mut journeys = Vec::new();
    let mut tests = Vec::new();
    for (j, journey) in pack.journeys.iter().enumerate() {
        let mut phases = Vec::new();
        for p in &journey.phases {
            let expected = match &p.content {
                PhaseContent::Lessons(_) => Expected::None,
                PhaseContent::Quiz(q) => match &q.selection {
                    Selection::Fixed(items) => {
                        Expected::Fixed(u32::try_from(items.len()).unwrap_or(u32::MAX))
                    }
                    Selection::Form {
                        slot,
                        per_objective,
                    } => Expected::Form {
                        slot: match slot {
                            FormSlot::First => 0,
                            FormSlot::Second => 1,
                        },
                        by_form: pack
                            .forms
                            .iter()
                            .map(|f| draw_count(pack, f, *per_objective, false).unwrap_or(u32::MAX))
                            .collect(),
                    },
                },
            };
            phases.push(PhaseInfo {
                kind: p.kind,
                expected,
            });
        }
        let mut form_slot = [None, None];
        let mut by_kind: [Vec<(Option<u16>, usize)>; 2] = [Vec::new(), Vec::new()];
        for (k, kind) in KINDS.iter().enumerate() {
            let of_kind = || journey.phases.iter().filter(|p| p.kind == *kind);
            let slot = of_kind().find_map(|p| match &p.content {
                PhaseContent::Quiz(q) => match &q.selection {
                    Selection::Form { slot, .. } => Some(match slot {
                        FormSlot::First => 0,
                        FormSlot::Second => 1,
                    }),
                    Selection::Fixed(_) => None,
                },
                PhaseContent::Lessons(_) => None,
            });
            if let Some(s) = form_slot.get_mut(k) {
                *s = slot;
            }
            let forms: Vec<Option<u16>> = if slot.is_some() {
                journey.forms.iter().map(|&f| Some(f)).collect()
            } else {
                vec![None]
            };
            for form in forms {
                let mut items: Vec<u16> = Vec::new();
                let mut k_items: Option<u32> = Some(0);
                for p in of_kind() {
                    let PhaseContent::Quiz(q) = &p.content else {
                        continue;
                    };
                    match &q.selection {
                        Selection::Fixed(list) => {
                            let scored: Vec<u16> = list
                                .iter()
                                .copied()
                                .filter(|&i| {
                                    item_scored.get(usize::from(i)).copied().unwrap_or(false)
                                })
                                .collect();
                            k_items = k_items.map(|k| k + u32::try_from(scored.len()).unwrap_or(0));
                            items.extend(scored);
                        }
                        Selection::Form { per_objective, .. } => {
                            let Some(f) = form.and_then(|f| pack.forms.get(usize::from(f))) else {
                                continue;
                            };
                            let drawn = draw_count(pack, f, *per_objective, true);
                            k_items = k_items.zip(drawn).map(|(a, b)| a + b);
                            items.extend(f.items.iter().copied().filter(|&i| {
                                let it = pack.items.get(usize::from(i));
                                it.is_some_and(|it| {
                                    it.kind.is_scored()
                                        && (*per_objective == 0 || !it.objectives.is_empty())
                                })
                            }));
                        }
                    }
                }
                let mut seen = vec![u16::MAX; n_items];
                let mut distinct = Vec::new();
                for i in items {
                    if let Some(s) = seen.get_mut(usize::from(i)) {
                        if *s == u16::MAX {
                            *s = u16::try_from(distinct.len()).unwrap_or(u16::MAX);
                            distinct.push(i);
                        }
                    }
                }
                if distinct.is_empty() {
                    continue;
                }
                let k_items = k_items.unwrap_or(0);
                if let Some(v) = by_kind.get_mut(k) {
                    v.push((form, tests.len()));
                }
                tests.push(TestDef {
                    journey: j,
                    kind: k,
                    form,
                    sampled: k_items as usize != distinct.len(),
                    items: distinct,
                    positions: seen,
                    k: k_items,
                });
            }
        }
        journeys.push(JourneyInfo {
            phases,
            form_slot,
            tests: by_kind,
        });
    }
    Ctx {
        items,
        lists,
        likert_items,
        objectives: pack.objectives.len(),
        indicators: pack.indicators.len(),
        journeys,
        tests,
    }
}

impl<'p> CohortReportBuilder<'p> {
    /// A builder for records of `pack`. Errors when `options.by` or `options.journey` names
    /// nothing in the pack.
    pub fn new(pack: &'p Pack, options: &ReportOptions) -> Result<Self, ReportError> {
        let by = match &options.by {
            None => None,
            Some(f) => {
                let i = pack.intake.iter().position(|x| x.id == *f).ok_or_else(|| {
                    ReportError::UnknownField {
                        field: f.clone(),
                        known: ids(pack.intake.iter().map(|x| x.id.as_str())),
                    }
                })?;
                let text = pack.intake.get(i).is_some_and(|x| x.options.is_empty());
                Some((i, text))
            }
        };
        let journey_filter = match &options.journey {
            None => None,
            Some(j) => Some(
                pack.journey_index(j)
                    .ok_or_else(|| ReportError::UnknownJourney {
                        journey: j.clone(),
                        known: ids(pack.journeys.iter().map(|x| x.id.as_str())),
                    })?,
            ),
        };
        let ctx = build_ctx(pack);
        let n_items = pack.items.len();
        let scratch = Scratch {
            item_state: vec![(0, [0; 2]); n_items],
            indicator_state: vec![[0; 2]; pack.indicators.len()],
            likert_state: vec![[None; 2]; ctx.likert_items.len()],
            phase_counts: vec![0; 256],
            ..Scratch::default()
        };
        Ok(Self {
            pack,
            options: options.clone(),
            by,
            journey_filter,
            cohort: Block::new(&ctx),
            ctx,
            counts: RecordCounts::default(),
            journey_records: vec![0; pack.journeys.len()],
            unknown_journeys: BTreeMap::new(),
            first_start: None,
            last_start: None,
            groups: Vec::new(),
            group_keys: BTreeMap::new(),
            group_raw: BTreeMap::new(),
            too_many_groups: false,
            scratch,
        })
    }

    fn by_field_id(&self) -> Option<&'p str> {
        let pack: &'p Pack = self.pack;
        self.by
            .and_then(|(i, _)| pack.intake.get(i))
            .map(|f| f.id.as_str())
    }

    /// Adds a decoded record.
    pub fn push(&mut self, record: &ResultRecord) {
        let mut responses = core::mem::take(&mut self.scratch.responses);
        let view = RecordView::of_record(record, self.by_field_id(), &mut responses);
        self.add(&view, &responses);
        self.scratch.responses = responses;
    }

    /// Adds a record from its encoded bytes (the payload of a results-log frame), decoding
    /// only what the report needs. A frame that does not decode is counted in
    /// [`RecordCounts::undecodable`] and its error returned.
    pub fn push_frame(&mut self, payload: &[u8]) -> Result<(), RecordError> {
        let mut responses = core::mem::take(&mut self.scratch.responses);
        let result = match decode::decode(payload, self.by_field_id(), &mut responses) {
            Some(view) => {
                self.add(&view, &responses);
                Ok(())
            }
            // Not a well-formed version-1 record: let the full decoder have a go (a newer
            // schema it knows, or the reason it fails).
            None => match ResultRecord::from_bytes(payload) {
                Ok(r) => {
                    let view = RecordView::of_record(&r, self.by_field_id(), &mut responses);
                    self.add(&view, &responses);
                    Ok(())
                }
                Err(e) => {
                    self.counts.undecodable += 1;
                    Err(e)
                }
            },
        };
        self.scratch.responses = responses;
        result
    }

    /// Adds every record of a results log's bytes; damaged stretches are counted (see
    /// [`RecordCounts::damaged_stretches`]).
    pub fn push_log(&mut self, log: &[u8]) {
        for e in LogFrames::new(log) {
            match e {
                LogEntry::Frame { payload, .. } => {
                    // Counted in the report when it fails.
                    let _ = self.push_frame(payload);
                }
                LogEntry::Damaged(d) => self.note_damage(&d),
            }
        }
    }

    /// Counts a damaged stretch of log skipped by the host.
    pub fn note_damage(&mut self, damage: &Damage) {
        self.counts.damaged_stretches += 1;
        self.counts.damaged_bytes += damage.len;
    }

    /// Counts a record the host dropped as a duplicate (same record id).
    pub fn note_duplicate(&mut self) {
        self.counts.duplicates += 1;
    }

    /// Counts a frame the host could not decode.
    pub fn note_undecodable(&mut self) {
        self.counts.undecodable += 1;
    }

    fn group_of(&mut self, value: Option<&[u8]>) -> Option<usize> {
        let (_, text) = self.by?;
        let raw = value.unwrap_or(b"");
        if let Some(&g) = self.group_raw.get(raw) {
            return Some(g);
        }
        let lossy = String::from_utf8_lossy(raw);
        let v = match lossy.trim() {
            "" => NOT_ANSWERED,
            v => v,
        };
        let key = if text && v != NOT_ANSWERED {
            crate::numerals::normalize_answer(v)
        } else {
            v.to_string()
        };
        let g = match self.group_keys.get(&key) {
            Some(&g) => g,
            None => {
                let regular = self
                    .groups
                    .iter()
                    .filter(|g| g.value != NOT_ANSWERED && g.value != OTHER_GROUP)
                    .count();
                let (key, value) =
                    if regular >= self.options.max_groups as usize && v != NOT_ANSWERED {
                        self.too_many_groups = true;
                        (String::from(OTHER_GROUP), String::from(OTHER_GROUP))
                    } else {
                        (key, v.to_string())
                    };
                match self.group_keys.get(&key) {
                    Some(&g) => g,
                    None => {
                        let g = self.groups.len();
                        self.groups.push(Group {
                            value,
                            block: Block::new(&self.ctx),
                        });
                        self.group_keys.insert(key, g);
                        g
                    }
                }
            }
        };
        if self.group_raw.len() < RAW_CACHE {
            self.group_raw.insert(raw.to_vec(), g);
        }
        Some(g)
    }

    fn form_index(&self, id: Option<&[u8]>) -> Option<u16> {
        let id = id?;
        let i = self.pack.forms.iter().position(|f| f.id.as_bytes() == id)?;
        u16::try_from(i).ok()
    }

    fn add(&mut self, view: &RecordView<'_>, responses: &[ResponseView]) {
        let pack = self.pack;
        if view.pack_id != pack.meta.id.as_bytes() {
            self.counts.other_pack += 1;
            return;
        }
        if view.pack_version.major != pack.meta.version.major {
            self.counts.other_version += 1;
            return;
        }
        let journey = pack
            .journeys
            .iter()
            .position(|j| j.id.as_bytes() == view.journey);
        if self.journey_filter.is_some() && journey != self.journey_filter {
            self.counts.other_journey += 1;
            return;
        }
        self.counts.accepted += 1;
        match journey.and_then(|j| self.journey_records.get_mut(j)) {
            Some(n) => *n += 1,
            None => {
                self.counts.unknown_journey += 1;
                let known = self.unknown_journeys.len();
                let name = String::from_utf8_lossy(view.journey);
                match self.unknown_journeys.get_mut(name.as_ref()) {
                    Some(n) => *n += 1,
                    None if known < MAX_UNKNOWN_JOURNEYS => {
                        self.unknown_journeys.insert(name.into_owned(), 1);
                    }
                    None => {}
                }
            }
        }
        self.first_start = Some(
            self.first_start
                .map_or(view.started_at, |t| t.min(view.started_at)),
        );
        self.last_start = Some(
            self.last_start
                .map_or(view.started_at, |t| t.max(view.started_at)),
        );

        let forms = [
            self.form_index(view.forms[0]),
            self.form_index(view.forms[1]),
        ];
        let info = journey.and_then(|j| self.ctx.journeys.get(j));

        // Which tests are complete.
        let mut complete = [view.completed; 2];
        if !view.completed {
            if let Some(info) = info {
                let counts = &mut self.scratch.phase_counts;
                for r in responses {
                    if let Some(c) = counts.get_mut(usize::from(r.phase)) {
                        *c += 1;
                    }
                }
                for (k, kind) in KINDS.iter().enumerate() {
                    let mut any = false;
                    let mut all = true;
                    for (p, ph) in info.phases.iter().enumerate() {
                        if ph.kind != *kind {
                            continue;
                        }
                        let expected = match &ph.expected {
                            Expected::None => continue,
                            Expected::Fixed(n) => Some(*n),
                            Expected::Form { slot, by_form } => forms
                                .get(*slot)
                                .copied()
                                .flatten()
                                .and_then(|f| by_form.get(usize::from(f)).copied()),
                        };
                        if expected == Some(0) {
                            continue;
                        }
                        any = true;
                        let got = counts.get(p).copied().unwrap_or(0);
                        if expected != Some(got) {
                            all = false;
                        }
                    }
                    if let Some(c) = complete.get_mut(k) {
                        *c = any && all;
                    }
                }
                for r in responses {
                    if let Some(c) = counts.get_mut(usize::from(r.phase)) {
                        *c = 0;
                    }
                }
            }
        }

        // Scores and the per-item states of the complete tests.
        let mut learner = Learner {
            completed: view.completed,
            ..Learner::default()
        };
        let ctx = &self.ctx;
        let s = &mut self.scratch;
        let mut tallies = [Tally::default(); 2];
        s.scored.clear();
        s.stamp += 1;
        let stamp = s.stamp;
        for r in responses {
            let Some(info) = ctx.items.get(usize::from(r.item)) else {
                self.counts.unknown_items += 1;
                continue;
            };
            let k = match r.kind {
                PhaseKind::PreTest => 0,
                PhaseKind::PostTest => 1,
                _ => continue,
            };
            if !complete.get(k).copied().unwrap_or(false) {
                continue;
            }
            if info.scored {
                if let Some(t) = tallies.get_mut(k) {
                    t.credit += f64::from(r.credit);
                    t.n += 1;
                    t.correct += u32::from(r.correct);
                }
                s.scored.push(Scored {
                    k,
                    item: r.item,
                    correct: r.correct,
                    credit: r.credit,
                });
                if let Some((at, st)) = s.item_state.get_mut(usize::from(r.item)) {
                    if *at != stamp {
                        *at = stamp;
                        *st = [0, 0];
                        s.touched_items.push(r.item);
                    }
                    if let Some(x) = st.get_mut(k) {
                        *x = 1 + u8::from(r.correct);
                    }
                }
                for &ind in ctx.indicators_of(info) {
                    if let Some(st) = s.indicator_state.get_mut(usize::from(ind)) {
                        if *st == [0, 0] {
                            s.touched_indicators.push(ind);
                        }
                        if let Some(x) = st.get_mut(k) {
                            *x = match (*x, r.correct) {
                                (0 | 1, true) => 1,
                                _ => 2,
                            };
                        }
                    }
                }
            } else if let Some(slot) = info.likert {
                let points = ctx
                    .likert_items
                    .get(usize::from(slot))
                    .map_or(0, |&(_, p)| p);
                if let Some(v) = r.scale.filter(|&v| v < points) {
                    if let Some(st) = s.likert_state.get_mut(usize::from(slot)) {
                        if *st == [None, None] {
                            s.touched_likert.push(slot);
                        }
                        if let Some(x) = st.get_mut(k) {
                            *x = Some(v);
                        }
                    }
                }
            }
        }
        for (k, t) in tallies.iter().enumerate() {
            if t.n == 0 {
                continue;
            }
            if let Some(slot) = learner.tally.get_mut(k) {
                *slot = Some(*t);
            }
            let test = info.and_then(|info| {
                let form = match info.form_slot.get(k).copied().flatten() {
                    Some(slot) => Some(forms.get(slot).copied().flatten()?),
                    None => None,
                };
                info.tests
                    .get(k)?
                    .iter()
                    .find(|(f, _)| *f == form)
                    .map(|&(_, t)| t)
            });
            if let Some(slot) = learner.tests.get_mut(k) {
                *slot = test;
            }
        }

        let group = self.group_of(view.by_value);
        let ctx = &self.ctx;
        let s = &mut self.scratch;
        self.cohort.apply(ctx, &learner, s);
        if let Some(g) = group.and_then(|g| self.groups.get_mut(g)) {
            g.block.apply(ctx, &learner, s);
        }

        // Reset the per-record states.
        for &i in &s.touched_indicators {
            if let Some(x) = s.indicator_state.get_mut(usize::from(i)) {
                *x = [0, 0];
            }
        }
        for &i in &s.touched_likert {
            if let Some(x) = s.likert_state.get_mut(usize::from(i)) {
                *x = [None, None];
            }
        }
        s.touched_items.clear();
        s.touched_indicators.clear();
        s.touched_likert.clear();
    }

    /// The report.
    pub fn finish(self) -> CohortReport {
        let pack = self.pack;
        let ctx = &self.ctx;
        let items: Vec<usize> = (0..pack.items.len())
            .filter(|&i| ctx.items.get(i).is_some_and(|x| x.scored) && self.cohort.item_answered(i))
            .collect();
        let likert: Vec<usize> = (0..ctx.likert_items.len())
            .filter(|&s| self.cohort.likert_answered(s))
            .collect();
        let cohort = self
            .cohort
            .finish(ctx, pack, &self.options, &items, &likert, None);

        // Groups: the field's options in order, other values alphabetically, then the rest.
        let field = self.by.and_then(|(i, _)| pack.intake.get(i));
        let rank = |v: &str| -> (u8, usize) {
            if v == OTHER_GROUP {
                return (2, 0);
            }
            if v == NOT_ANSWERED {
                return (3, 0);
            }
            match field.and_then(|f| f.options.iter().position(|o| o.code == v)) {
                Some(p) => (0, p),
                None => (1, 0),
            }
        };
        let mut order: Vec<&Group> = self.groups.iter().collect();
        order.sort_by(|a, b| {
            rank(&a.value)
                .cmp(&rank(&b.value))
                .then_with(|| a.value.cmp(&b.value))
        });
        let field_id = field.map_or("", |f| f.id.as_str());
        let groups: Vec<GroupReport> = order
            .iter()
            .map(|g| {
                g.block.finish(
                    ctx,
                    pack,
                    &self.options,
                    &items,
                    &likert,
                    Some((field_id, &g.value)),
                )
            })
            .collect();

        let mut records = self.counts.clone();
        records.first_session = self.first_start.map(|t| Date::from_unix_ms(t).to_string());
        records.last_session = self.last_start.map(|t| Date::from_unix_ms(t).to_string());
        records.journeys = pack
            .journeys
            .iter()
            .zip(&self.journey_records)
            .filter(|(_, &n)| n > 0)
            .map(|(j, &n)| JourneyCount {
                journey: j.id.clone(),
                records: n,
            })
            .chain(self.unknown_journeys.iter().map(|(j, &n)| JourneyCount {
                journey: j.clone(),
                records: n,
            }))
            .collect();

        let mut warnings = Vec::new();
        let mut w = |code, message: String| {
            warnings.push(Warning {
                code,
                subject: None,
                message,
            })
        };
        if records.other_pack + records.other_version > 0 {
            w(
                WarningCode::SkippedRecords,
                alloc::format!(
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
                alloc::format!(
                    "{} frame(s) did not decode and {} damaged stretch(es) ({} bytes) were skipped.",
                    records.undecodable,
                    records.damaged_stretches,
                    records.damaged_bytes
                ),
            );
        }
        if records.unknown_journey > 0 {
            w(
                WarningCode::UnknownJourney,
                alloc::format!(
                    "{} record(s) are of journeys the pack does not have: their tests count only when the session was completed.",
                    records.unknown_journey
                ),
            );
        }
        if records.unknown_items > 0 {
            w(
                WarningCode::UnknownItems,
                alloc::format!(
                    "{} response(s) are to items the pack does not have and were ignored.",
                    records.unknown_items
                ),
            );
        }
        if records.journeys.len() > 1 {
            w(
                WarningCode::MixedJourneys,
                alloc::format!(
                    "Records of {} journeys ({}) are pooled, and their tests differ: consider one report per journey.",
                    records.journeys.len(),
                    ids(records.journeys.iter().map(|j| j.journey.as_str()))
                ),
            );
        }
        if self.too_many_groups {
            w(
                WarningCode::TooManyGroups,
                alloc::format!(
                    "More than {} values of '{}': the rest are pooled in '{}'.",
                    self.options.max_groups,
                    field_id,
                    OTHER_GROUP
                ),
            );
        }

        CohortReport {
            schema_version: SCHEMA_VERSION,
            engine_version: String::from(crate::ENGINE_VERSION),
            pack: PackInfo {
                id: pack.meta.id.clone(),
                version: pack.meta.version.to_string(),
            },
            options: self.options.clone(),
            records,
            cohort,
            groups,
            warnings,
        }
    }
}
