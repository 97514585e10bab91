//! What a cohort report derives from the pack once, before reading records: per item
//! whether it is scored, its Likert slot, objectives and indicators; per journey how many
//! questions each phase asks and which tests its pre- and post-test phases make.

use alloc::vec;
use alloc::vec::Vec;

use crate::pack::item::ItemKind;
use crate::pack::journey::{FormSlot, Journey, Phase, PhaseContent, PhaseKind, Selection};
use crate::pack::{Form, Pack};
use crate::record::format::view::ResponseView;

/// The phase kinds a report compares, in the order of the `[_; 2]` arrays: pre, post.
pub(crate) const KINDS: [PhaseKind; 2] = [PhaseKind::PreTest, PhaseKind::PostTest];

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

/// What the report needs of one phase of a journey.
#[derive(Debug, Clone)]
struct PhaseInfo {
    kind: PhaseKind,
    expected: Expected,
}

/// What the report needs of one journey: its phases and its tests.
#[derive(Debug, Clone)]
pub(crate) struct JourneyInfo {
    phases: Vec<PhaseInfo>,
    /// Per phase kind (pre, post): the form slot its test is keyed by (None: fixed lists only)
    /// and the tests by form index.
    form_slot: [Option<usize>; 2],
    tests: TestsByKind,
}

/// Per phase kind (pre, post): the tests, as (form index, index in [`Ctx::tests`]).
type TestsByKind = [Vec<(Option<u16>, usize)>; 2];

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
    /// Per pack item, its position in the test (`u16::MAX`: not in the test).
    pub fn positions(&self) -> &[u16] {
        &self.positions
    }
}

/// What the report needs of one item, in one place.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ItemInfo {
    /// Whether it earns points (not Likert).
    pub scored: bool,
    /// Its Likert slot and number of scale points.
    pub likert: Option<(u16, u16)>,
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
    /// Per pack item, its indicators as a bit set (bit `i`: indicator `i`) when the pack has
    /// at most 64 indicators; empty otherwise (then [`Ctx::indicators_of`] lists them).
    pub indicator_bits: Vec<u64>,
    /// Likert slot → (item, scale points).
    pub likert_items: Vec<(u16, u16)>,
    pub objectives: usize,
    pub indicators: usize,
    pub journeys: Vec<JourneyInfo>,
    pub tests: Vec<TestDef>,
}

impl Ctx {
    /// Derives what the report needs from `pack`.
    pub fn new(pack: &Pack) -> Self {
        let (item_likert, likert_items) = likert_slots(pack);
        let (items, lists) = item_infos(pack, &item_likert, &likert_items);
        let mut tests = Vec::new();
        let journeys = pack
            .journeys
            .iter()
            .enumerate()
            .map(|(j, journey)| {
                let (form_slot, by_kind) = journey_tests(pack, j, journey, &mut tests);
                JourneyInfo {
                    phases: journey
                        .phases
                        .iter()
                        .map(|p| PhaseInfo {
                            kind: p.kind,
                            expected: expected(pack, p),
                        })
                        .collect(),
                    form_slot,
                    tests: by_kind,
                }
            })
            .collect();
        let indicator_bits = indicator_bits(pack);
        Ctx {
            items,
            lists,
            indicator_bits,
            likert_items,
            objectives: pack.objectives.len(),
            indicators: pack.indicators.len(),
            journeys,
            tests,
        }
    }

    /// The objective or indicator list at `(start, end)` of `lists`.
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

impl JourneyInfo {
    /// Which tests (pre, post) of an abandoned session are complete: every phase of that kind
    /// that asks questions got as many answers as it asks (`forms` are the learner's forms by
    /// slot). `counts` is scratch, one zeroed counter per phase, left zeroed.
    pub fn complete_tests(
        &self,
        forms: [Option<u16>; 2],
        responses: &[ResponseView],
        counts: &mut [u32],
    ) -> [bool; 2] {
        let mut complete = [false; 2];
        for r in responses {
            if let Some(c) = counts.get_mut(usize::from(r.phase())) {
                *c += 1;
            }
        }
        for (k, kind) in KINDS.iter().enumerate() {
            let mut any = false;
            let mut all = true;
            for (p, ph) in self.phases.iter().enumerate() {
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
            if let Some(c) = counts.get_mut(usize::from(r.phase())) {
                *c = 0;
            }
        }
        complete
    }

    /// The reliability test a learner with forms `forms` (by slot) took in phase kind `k`.
    pub fn test_of(&self, k: usize, forms: [Option<u16>; 2]) -> Option<usize> {
        let form = match self.form_slot.get(k).copied().flatten() {
            Some(slot) => Some(forms.get(slot).copied().flatten()?),
            None => None,
        };
        self.tests
            .get(k)?
            .iter()
            .find(|(f, _)| *f == form)
            .map(|&(_, t)| t)
    }
}

/// The Likert slot of each item, and per slot its item and number of scale points.
fn likert_slots(pack: &Pack) -> (Vec<Option<u16>>, Vec<(u16, u16)>) {
    let mut item_likert = vec![None; pack.items.len()];
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
    (item_likert, likert_items)
}

/// The [`ItemInfo`] of each item (`item_likert`: its Likert slot; `likert_items`: per slot its
/// item and scale points), and the objective and indicator lists they point into.
fn item_infos(
    pack: &Pack,
    item_likert: &[Option<u16>],
    likert_items: &[(u16, u16)],
) -> (Vec<ItemInfo>, Vec<u16>) {
    let mut item_indicators = vec![Vec::new(); pack.items.len()];
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
            likert: likert.and_then(|slot| {
                let &(_, points) = likert_items.get(usize::from(slot))?;
                Some((slot, points))
            }),
            objectives: range(&mut lists, &it.objectives),
            indicators: range(&mut lists, inds),
        })
        .collect();
    (items, lists)
}

/// Per item, its indicators as a bit set; empty when the pack has more than 64 indicators.
fn indicator_bits(pack: &Pack) -> Vec<u64> {
    if pack.indicators.len() > 64 {
        return Vec::new();
    }
    let mut bits = vec![0u64; pack.items.len()];
    for (k, ind) in pack.indicators.iter().enumerate() {
        for &i in &ind.items {
            if let Some(b) = bits.get_mut(usize::from(i)) {
                *b |= 1 << k;
            }
        }
    }
    bits
}

/// The index of a form slot in the `[_; 2]` arrays.
fn slot_index(slot: FormSlot) -> usize {
    match slot {
        FormSlot::First => 0,
        FormSlot::Second => 1,
    }
}

/// How many questions phase `p` asks.
fn expected(pack: &Pack, p: &Phase) -> Expected {
    match &p.content {
        PhaseContent::Lessons(_) => Expected::None,
        PhaseContent::Quiz(q) => match &q.selection {
            Selection::Fixed(items) => {
                Expected::Fixed(u32::try_from(items.len()).unwrap_or(u32::MAX))
            }
            Selection::Form {
                slot,
                per_objective,
            } => Expected::Form {
                slot: slot_index(*slot),
                by_form: pack
                    .forms
                    .iter()
                    .map(|f| draw_count(pack, f, *per_objective, false).unwrap_or(u32::MAX))
                    .collect(),
            },
        },
    }
}

/// The tests of journey `j`, appended to `tests`: per phase kind (pre, post), one per form
/// of the journey when its phases draw from a form slot, else one. Returns the form slot
/// of each kind and its tests as (form, index in `tests`).
fn journey_tests(
    pack: &Pack,
    j: usize,
    journey: &Journey,
    tests: &mut Vec<TestDef>,
) -> ([Option<usize>; 2], TestsByKind) {
    let mut form_slot = [None, None];
    let mut by_kind: TestsByKind = [Vec::new(), Vec::new()];
    for (k, kind) in KINDS.iter().enumerate() {
        let of_kind = || journey.phases.iter().filter(|p| p.kind == *kind);
        let slot = of_kind().find_map(|p| match &p.content {
            PhaseContent::Quiz(q) => match &q.selection {
                Selection::Form { slot, .. } => Some(slot_index(*slot)),
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
            let (items, k_items) = test_items(pack, of_kind(), form);
            let (distinct, positions) = distinct_items(items, pack.items.len());
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
                positions,
                k: k_items,
            });
        }
    }
    (form_slot, by_kind)
}

/// The scored items the quiz phases `phases` ask with form `form` (with repeats), and how
/// many each learner answers (`None` when that varies).
fn test_items<'a>(
    pack: &Pack,
    phases: impl Iterator<Item = &'a Phase>,
    form: Option<u16>,
) -> (Vec<u16>, Option<u32>) {
    let scored = |i: u16| {
        pack.items
            .get(usize::from(i))
            .is_some_and(|it| it.kind.is_scored())
    };
    let mut items: Vec<u16> = Vec::new();
    let mut k_items: Option<u32> = Some(0);
    for p in phases {
        let PhaseContent::Quiz(q) = &p.content else {
            continue;
        };
        match &q.selection {
            Selection::Fixed(list) => {
                let before = items.len();
                items.extend(list.iter().copied().filter(|&i| scored(i)));
                let n = items.len() - before;
                k_items = k_items.map(|k| k + u32::try_from(n).unwrap_or(0));
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
                        it.kind.is_scored() && (*per_objective == 0 || !it.objectives.is_empty())
                    })
                }));
            }
        }
    }
    (items, k_items)
}

/// `items` without repeats, in first-seen order, and per pack item its position among them
/// (`u16::MAX`: not among them).
fn distinct_items(items: Vec<u16>, n_items: usize) -> (Vec<u16>, Vec<u16>) {
    let mut positions = vec![u16::MAX; n_items];
    let mut distinct = Vec::new();
    for i in items {
        if let Some(s) = positions.get_mut(usize::from(i)) {
            if *s == u16::MAX {
                *s = u16::try_from(distinct.len()).unwrap_or(u16::MAX);
                distinct.push(i);
            }
        }
    }
    (distinct, positions)
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
