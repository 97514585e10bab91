//! [`CohortReportBuilder`]: reads records one at a time into the accumulators of the
//! cohort and of each group.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::context::Ctx;
use super::group::GroupAccumulators;
use super::learner::{Learner, Scratch};
use super::warnings::record_warnings;
use super::*;
use crate::pack::Date;
use crate::record::format::view::{self as decode, RecordView, ResponseView};
use crate::record::log::{Damage, LogEntry, LogFrames};

/// Raw group values remembered for fast lookup (beyond this, values are normalised each time).
const RAW_CACHE: usize = 4096;
/// Distinct unknown journey ids counted by name.
const MAX_UNKNOWN_JOURNEYS: usize = 16;

/// A group of learners: its value and its accumulators.
struct Group {
    value: String,
    accumulators: GroupAccumulators,
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
    /// The packs (`id version`) of skipped records of other packs, with their counts (at
    /// most [`MAX_UNKNOWN_JOURNEYS`] of them).
    other_packs: BTreeMap<String, u64>,
    first_start: Option<i64>,
    last_start: Option<i64>,
    cohort: GroupAccumulators,
    groups: Vec<Group>,
    /// Normalised value → group.
    group_keys: BTreeMap<String, usize>,
    /// Raw value (bytes as recorded) → group.
    group_raw: BTreeMap<Vec<u8>, usize>,
    too_many_groups: bool,
    scratch: Scratch,
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
        let ctx = Ctx::new(pack);
        let n_items = pack.items.len();
        let scratch = Scratch {
            item_state: vec![0; n_items],
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
            cohort: GroupAccumulators::new(&ctx),
            ctx,
            counts: RecordCounts::default(),
            journey_records: vec![0; pack.journeys.len()],
            unknown_journeys: BTreeMap::new(),
            other_packs: BTreeMap::new(),
            first_start: None,
            last_start: None,
            groups: Vec::new(),
            group_keys: BTreeMap::new(),
            group_raw: BTreeMap::new(),
            too_many_groups: false,
            scratch,
        })
    }

    /// The id of the intake field the report groups by.
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
            // Not a well-formed record of version 1 or 2: let the full decoder have a go (a
            // newer schema it knows, or the reason it fails).
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

    /// The group of a record whose grouping field has `value` (a new group for a new
    /// value, pooled in [`OTHER_GROUP`] beyond `max_groups`); `None` when not grouping.
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
                            accumulators: GroupAccumulators::new(&self.ctx),
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

    /// The index of the pack form with id `id`.
    fn form_index(&self, id: Option<&[u8]>) -> Option<u16> {
        let id = id?;
        let i = self.pack.forms.iter().position(|f| f.id.as_bytes() == id)?;
        u16::try_from(i).ok()
    }

    /// Adds a record: counts it, scores its complete tests and adds the learner to the
    /// cohort and to the record's group.
    fn add(&mut self, view: &RecordView<'_>, responses: &[ResponseView]) {
        let Some(journey) = self.admit(view) else {
            return;
        };
        let forms = [
            self.form_index(view.forms[0]),
            self.form_index(view.forms[1]),
        ];
        let info = journey.and_then(|j| self.ctx.journeys.get(j));
        let complete = match info {
            Some(info) if !view.completed => {
                info.complete_tests(forms, responses, &mut self.scratch.phase_counts)
            }
            _ => [view.completed; 2],
        };
        let tests = [0, 1].map(|k| info.and_then(|info| info.test_of(k, forms)));
        let defs = tests.map(|t| t.and_then(|t| self.ctx.tests.get(t)));
        let (tallies, unknown_items) = self.scratch.score(&self.ctx, responses, complete, defs);
        self.counts.unknown_items += unknown_items;
        let mut learner = Learner {
            completed: view.completed,
            forms,
            ..Learner::default()
        };
        for (k, (t, test)) in tallies.iter().zip(tests).enumerate() {
            if t.n == 0 {
                continue;
            }
            if let Some(slot) = learner.tally.get_mut(k) {
                *slot = Some(*t);
            }
            if let Some(slot) = learner.tests.get_mut(k) {
                *slot = test;
            }
        }

        let group = self.group_of(view.by_value);
        let ctx = &self.ctx;
        let s = &mut self.scratch;
        self.cohort.apply(ctx, &learner, s);
        if let Some(g) = group.and_then(|g| self.groups.get_mut(g)) {
            g.accumulators.apply(ctx, &learner, s);
        }
        s.end_record();
    }

    /// Counts a record: skipped (another pack, major version or journey: `None`) or accepted
    /// (`Some` of the index of its journey in the pack, `Some(None)` when the pack has no
    /// such journey), with the range of session start times.
    fn admit(&mut self, view: &RecordView<'_>) -> Option<Option<usize>> {
        let pack = self.pack;
        if view.pack_id != pack.meta.id.as_bytes() {
            self.counts.other_pack += 1;
            let name = format!(
                "{} {}",
                String::from_utf8_lossy(view.pack_id),
                view.pack_version
            );
            let known = self.other_packs.len();
            match self.other_packs.get_mut(&name) {
                Some(n) => *n += 1,
                None if known < MAX_UNKNOWN_JOURNEYS => {
                    self.other_packs.insert(name, 1);
                }
                None => {}
            }
            return None;
        }
        if view.pack_version.major != pack.meta.version.major {
            self.counts.other_version += 1;
            return None;
        }
        let journey = pack
            .journeys
            .iter()
            .position(|j| j.id.as_bytes() == view.journey);
        if self.journey_filter.is_some() && journey != self.journey_filter {
            self.counts.other_journey += 1;
            return None;
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
        Some(journey)
    }

    /// What has been read so far: records accepted and skipped.
    pub fn counts(&self) -> &RecordCounts {
        &self.counts
    }

    /// The packs of the records skipped as another pack's, as `id version` (the first 16
    /// distinct ones), with how many records each: for a host to say which pack a log
    /// belongs to.
    pub fn other_packs(&self) -> impl Iterator<Item = (&str, u64)> {
        self.other_packs.iter().map(|(k, &n)| (k.as_str(), n))
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
        let field = self.by.and_then(|(i, _)| pack.intake.get(i));
        let field_id = field.map_or("", |f| f.id.as_str());
        let mut groups: Vec<GroupReport> = self
            .groups_in_order()
            .iter()
            .map(|g| {
                g.accumulators.finish(
                    ctx,
                    pack,
                    &self.options,
                    &items,
                    &likert,
                    Some((field_id, &g.value)),
                )
            })
            .collect();
        small_cells::suppress_small_cells(&mut groups, &self.options);
        let records = self.record_counts();
        let warnings = record_warnings(
            pack,
            &self.options,
            &records,
            self.too_many_groups.then_some(field_id),
        );
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

    /// The groups in report order: the field's options in order, other values
    /// alphabetically, then [`OTHER_GROUP`] and [`NOT_ANSWERED`].
    fn groups_in_order(&self) -> Vec<&Group> {
        let field = self.by.and_then(|(i, _)| self.pack.intake.get(i));
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
        order
    }

    /// What happened to the records read: the counts, the session dates and the records
    /// per journey.
    fn record_counts(&self) -> RecordCounts {
        let pack = self.pack;
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
        records
    }
}
