//! A result record → its xAPI statements.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use super::iri::{form_iri, item_iri, journey_iri, pack_iri, phase_iri};
use super::response::{interaction_definition, response_of};
use super::time::{format_duration, format_timestamp};
use super::uuid::{hex16, registration, statement_id, StatementTag};
use super::{activity_types, extensions, verbs, XapiError, PROFILE, PROFILE_TYPE};
use crate::credit::{Credit, Points};
use crate::pack::item::Answer;
use crate::pack::journey::{FormSlot, Journey, PhaseContent, Selection};
use crate::pack::Pack;
use crate::record::ResponseRecord;
use crate::record::ResultRecord;

/// What the host adds to the statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XapiOptions<'a> {
    /// The deployment's home page: the `homePage` of every learner's xAPI account, e.g.
    /// `https://kru.example.org/province-x` (an absolute http(s) IRI). The account's `name` is
    /// the learner code.
    pub home_page: &'a str,
    /// The key id of the pack's signer (see [`crate::pack::signature::key_id`]), when the host
    /// loaded a signed pack; written into the journey statements' context.
    pub pack_signer: Option<&'a str>,
}

fn verb(id: &str) -> Value {
    let name = id.rsplit('/').next().unwrap_or(id);
    json!({ "id": id, "display": { "en-US": name } })
}

fn activity(id: String, kind: &str) -> Value {
    json!({ "objectType": "Activity", "id": id, "definition": { "type": kind } })
}

/// A credit as the nearest `f64` (exact for halves, quarters, …; 1/3 as 0.3333333333333333,
/// which [`Credit::from_f64`] reads back as 1/3).
fn credit_number(credit: Credit) -> Value {
    json!(credit.to_f64())
}

fn score(raw: f64, max: f64) -> Option<Value> {
    (max > 0.0).then(|| json!({ "raw": raw, "min": 0, "max": max, "scaled": raw / max }))
}

fn timestamp(ms: i64) -> Result<String, XapiError> {
    format_timestamp(ms).ok_or(XapiError::Timestamp(ms))
}

struct Writer<'a> {
    record: &'a ResultRecord,
    pack: &'a Pack,
    journey: &'a Journey,
    options: &'a XapiOptions<'a>,
    actor: Value,
    registration: String,
    record_hex: String,
    pack_activity: Value,
}

impl Writer<'_> {
    fn journey_activity(&self) -> Value {
        activity(
            journey_iri(&self.record.pack_id, &self.record.journey),
            activity_types::JOURNEY,
        )
    }

    fn phase_activity(&self, phase: u8) -> Result<Value, XapiError> {
        let p = self
            .journey
            .phases
            .get(usize::from(phase))
            .ok_or(XapiError::UnknownPhase(phase))?;
        Ok(activity(
            phase_iri(&self.record.pack_id, &self.record.journey, &p.id),
            activity_types::PHASE,
        ))
    }

    /// The form activity of a phase that draws from one of the learner's forms.
    fn form_activity(&self, phase: u8) -> Option<Value> {
        let p = self.journey.phases.get(usize::from(phase))?;
        let PhaseContent::Quiz(q) = &p.content else {
            return None;
        };
        let Selection::Form { slot, .. } = q.selection else {
            return None;
        };
        let at = match slot {
            FormSlot::First => 0,
            FormSlot::Second => 1,
        };
        let form = self.record.forms.get(at)?;
        Some(activity(
            form_iri(&self.record.pack_id, form),
            activity_types::FORM,
        ))
    }

    fn context(
        &self,
        parent: Option<Value>,
        grouping: Vec<Value>,
        ext: Map<String, Value>,
    ) -> Value {
        let mut acts = Map::new();
        if let Some(p) = parent {
            acts.insert("parent".into(), Value::Array(alloc::vec![p]));
        }
        acts.insert("grouping".into(), Value::Array(grouping));
        acts.insert(
            "category".into(),
            json!([{ "objectType": "Activity", "id": PROFILE, "definition": { "type": PROFILE_TYPE } }]),
        );
        let mut ext = ext;
        ext.insert(extensions::RECORD_ID.into(), json!(self.record_hex));
        let mut c = Map::new();
        c.insert("registration".into(), json!(self.registration));
        if !self.record.language.is_empty() {
            c.insert("language".into(), json!(self.record.language));
        }
        c.insert("contextActivities".into(), Value::Object(acts));
        c.insert("extensions".into(), Value::Object(ext));
        Value::Object(c)
    }

    fn journey_extensions(&self) -> Map<String, Value> {
        let mut ext = Map::new();
        ext.insert(extensions::SEED.into(), json!(self.record.seed.to_string()));
        ext.insert(extensions::FORM_ORDER.into(), json!(self.record.forms));
        let intake: Vec<Value> = self
            .record
            .demographics
            .iter()
            .filter(|(field, _)| self.pack.intake.iter().any(|f| &f.id == field))
            .map(|(field, value)| json!([field, value]))
            .collect();
        ext.insert(extensions::INTAKE.into(), Value::Array(intake));
        if let Some(signer) = self.options.pack_signer {
            ext.insert(extensions::PACK_SIGNER.into(), json!(signer));
        }
        ext
    }

    fn statement(
        &self,
        tag: StatementTag,
        verb_id: &str,
        object: Value,
        result: Option<Value>,
        context: Value,
        at_ms: i64,
    ) -> Result<Value, XapiError> {
        let mut s = Map::new();
        s.insert(
            "id".into(),
            json!(statement_id(&self.record.record_id, tag)),
        );
        s.insert("actor".into(), self.actor.clone());
        s.insert("verb".into(), verb(verb_id));
        s.insert("object".into(), object);
        if let Some(r) = result {
            s.insert("result".into(), r);
        }
        s.insert("context".into(), context);
        s.insert("timestamp".into(), json!(timestamp(at_ms)?));
        Ok(Value::Object(s))
    }
}

/// The statements of one record, in order: the journey's start, one `answered` per
/// response, one per quiz phase answered in, the journey's end. Only intake answers to fields
/// the pack declares are written. Fails when the record does not fit the pack (another pack,
/// a journey, phase or item the pack does not have, an answer that does not fit its item) or
/// a timestamp is out of range.
pub fn record_statements(
    record: &ResultRecord,
    pack: &Pack,
    options: &XapiOptions<'_>,
) -> Result<Vec<Value>, XapiError> {
    if record.pack_id != pack.meta.id {
        return Err(XapiError::OtherPack {
            record: record.pack_id.clone(),
            pack: pack.meta.id.clone(),
        });
    }
    let hp = options.home_page;
    if !(hp.starts_with("https://") || hp.starts_with("http://"))
        || hp.len() <= "https://".len()
        || hp.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(XapiError::HomePage(String::from(hp)));
    }
    if record.learner.is_empty() {
        return Err(XapiError::Learner);
    }
    let journey = pack
        .journey_index(&record.journey)
        .and_then(|j| pack.journeys.get(j))
        .ok_or_else(|| XapiError::UnknownJourney(record.journey.clone()))?;
    let w = Writer {
        record,
        pack,
        journey,
        options,
        actor: json!({
            "objectType": "Agent",
            "account": { "homePage": hp, "name": record.learner }
        }),
        registration: registration(&record.record_id),
        record_hex: hex16(&record.record_id),
        pack_activity: activity(
            pack_iri(&record.pack_id, record.pack_version),
            activity_types::PACK,
        ),
    };
    let mut out = Vec::with_capacity(record.responses.len() + 6);
    out.push(w.start_statement()?);
    for (i, r) in record.responses.iter().enumerate() {
        out.push(w.answer_statement(i, r)?);
    }
    w.phase_statements(&mut out)?;
    out.push(w.end_statement()?);
    Ok(out)
}

impl Writer<'_> {
    /// The journey's start: `attempted`.
    fn start_statement(&self) -> Result<Value, XapiError> {
        let ctx = self.context(
            None,
            alloc::vec![self.pack_activity.clone()],
            self.journey_extensions(),
        );
        self.statement(
            StatementTag::Start,
            verbs::ATTEMPTED,
            self.journey_activity(),
            None,
            ctx,
            self.record.started_at,
        )
    }

    /// One response: `answered`, the item as a `cmi.interaction`.
    fn answer_statement(&self, i: usize, r: &ResponseRecord) -> Result<Value, XapiError> {
        let item = self
            .pack
            .items
            .get(usize::from(r.item))
            .ok_or(XapiError::UnknownItem(r.item))?;
        item.grade(&r.answer).map_err(|e| XapiError::Answer {
            index: i,
            reason: e.to_string(),
        })?;
        let (response, typed) = response_of(item, &r.answer);
        let mut result = Map::new();
        if let Some(resp) = response {
            result.insert("response".into(), json!(resp));
        }
        if !matches!(r.answer, Answer::Scale(_)) {
            result.insert("success".into(), json!(r.correct));
            let c = credit_number(r.credit);
            result.insert(
                "score".into(),
                json!({ "scaled": c, "raw": c, "min": 0, "max": 1 }),
            );
        }
        if let Some(t) = typed {
            result.insert("extensions".into(), json!({ extensions::TYPED: t }));
        }
        if r.answer == Answer::DontKnow {
            result.insert("extensions".into(), json!({ extensions::DONT_KNOW: true }));
        }
        let mut grouping = alloc::vec![self.pack_activity.clone(), self.journey_activity()];
        grouping.extend(self.form_activity(r.phase));
        let mut ext = Map::new();
        ext.insert(extensions::PHASE.into(), json!(r.phase));
        ext.insert(extensions::PHASE_KIND.into(), json!(r.phase_kind.name()));
        ext.insert(extensions::RESPONSE.into(), json!(i));
        let ctx = self.context(Some(self.phase_activity(r.phase)?), grouping, ext);
        let object = json!({
            "objectType": "Activity",
            "id": item_iri(&self.record.pack_id, &item.id),
            "definition": interaction_definition(item),
        });
        let n = u32::try_from(i).map_err(|_| XapiError::UnknownItem(r.item))?;
        self.statement(
            StatementTag::Answer(n),
            verbs::ANSWERED,
            object,
            (!result.is_empty()).then_some(Value::Object(result)),
            ctx,
            self.record
                .started_at
                .saturating_add(i64::from(r.at_offset_ms)),
        )
    }

    /// One statement per quiz phase answered in, in the order first answered: `completed`,
    /// or `attempted` for the phase a learner left in.
    fn phase_statements(&self, out: &mut Vec<Value>) -> Result<(), XapiError> {
        let mut phases: Vec<u8> = Vec::new();
        for r in &self.record.responses {
            if !phases.contains(&r.phase) {
                phases.push(r.phase);
            }
        }
        let last_phase = self.record.responses.last().map(|r| r.phase);
        for &p in &phases {
            let rs: Vec<_> = self
                .record
                .responses
                .iter()
                .filter(|r| r.phase == p)
                .collect();
            let (Some(first), Some(last)) = (rs.first(), rs.last()) else {
                continue;
            };
            let scored: Vec<_> = rs
                .iter()
                .filter(|r| !matches!(r.answer, Answer::Scale(_)))
                .collect();
            let raw = scored
                .iter()
                .fold(Points::default(), |mut p, r| {
                    p.add(r.credit);
                    p
                })
                .to_f64();
            let done = self.record.completed || Some(p) != last_phase;
            let mut result = Map::new();
            if let Some(s) = score(raw, scored.len() as f64) {
                result.insert("score".into(), s);
            }
            if done {
                result.insert("completion".into(), json!(true));
            }
            result.insert(
                "duration".into(),
                json!(format_duration(u64::from(
                    last.at_offset_ms.saturating_sub(first.at_offset_ms)
                ))),
            );
            let mut grouping = alloc::vec![self.pack_activity.clone()];
            grouping.extend(self.form_activity(p));
            let mut ext = Map::new();
            ext.insert(extensions::PHASE.into(), json!(p));
            ext.insert(
                extensions::PHASE_KIND.into(),
                json!(first.phase_kind.name()),
            );
            let ctx = self.context(Some(self.journey_activity()), grouping, ext);
            out.push(
                self.statement(
                    StatementTag::Phase(p),
                    if done {
                        verbs::COMPLETED
                    } else {
                        verbs::ATTEMPTED
                    },
                    self.phase_activity(p)?,
                    Some(Value::Object(result)),
                    ctx,
                    self.record
                        .started_at
                        .saturating_add(i64::from(last.at_offset_ms)),
                )?,
            );
        }
        Ok(())
    }

    /// The journey's end: `completed` or `abandoned`, with the whole score.
    fn end_statement(&self) -> Result<Value, XapiError> {
        let scores = self.record.scores();
        let (raw, max) = scores
            .phases
            .iter()
            .fold((0.0, 0.0), |(s, m), p| (s + p.score, m + p.max));
        let mut result = Map::new();
        if let Some(s) = score(raw, max) {
            result.insert("score".into(), s);
        }
        result.insert("completion".into(), json!(self.record.completed));
        result.insert(
            "duration".into(),
            json!(format_duration(
                u64::try_from(self.record.ended_at.saturating_sub(self.record.started_at))
                    .unwrap_or(0)
            )),
        );
        let mut rext = Map::new();
        rext.insert(
            extensions::RESPONSES.into(),
            json!(self.record.responses.len()),
        );
        rext.insert(
            extensions::STORY_PATH.into(),
            Value::Array(
                self.record
                    .story_path
                    .iter()
                    .map(|c| json!([c.story, c.node, c.choice]))
                    .collect(),
            ),
        );
        if let Some(p) = scores.pre {
            rext.insert(
                extensions::PRE_TEST.into(),
                json!({ "score": p.score, "max": p.max }),
            );
        }
        if let Some(p) = scores.post {
            rext.insert(
                extensions::POST_TEST.into(),
                json!({ "score": p.score, "max": p.max }),
            );
        }
        result.insert("extensions".into(), Value::Object(rext));
        let ctx = self.context(
            None,
            alloc::vec![self.pack_activity.clone()],
            self.journey_extensions(),
        );
        self.statement(
            StatementTag::End,
            if self.record.completed {
                verbs::COMPLETED
            } else {
                verbs::ABANDONED
            },
            self.journey_activity(),
            Some(Value::Object(result)),
            ctx,
            self.record.ended_at,
        )
    }
}

/// [`record_statements`] as a JSON array, ready to POST to an LRS's `statements` resource.
pub fn record_statements_json(
    record: &ResultRecord,
    pack: &Pack,
    options: &XapiOptions<'_>,
) -> Result<String, XapiError> {
    let statements = record_statements(record, pack, options)?;
    serde_json::to_string(&Value::Array(statements)).map_err(|e| XapiError::Json(e.to_string()))
}
