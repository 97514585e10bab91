//! xAPI statements → result records: [`StatementReader`].

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::iri::{parse_activity, Activity};
use super::response::parse_response;
use super::time::parse_timestamp;
use super::uuid::parse_hex16;
use super::{extensions, verbs, XapiError, PROFILE};
use crate::credit::Credit;
use crate::pack::item::Answer;
use crate::pack::journey::PhaseKind;
use crate::pack::{Pack, Version};
use crate::record::{ResponseRecord, ResultRecord, StoryChoiceRecord};

/// At most this many reasons are kept in [`ReadCounts::examples`].
pub const MAX_EXAMPLES: usize = 8;
/// Most responses a record may declare (more is treated as malformed).
const MAX_RESPONSES: u64 = 65_535;

/// What a [`StatementReader`] read, and what it skipped and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCounts {
    /// Statements given.
    pub statements: u64,
    /// Statements used (or, for phase statements, checked and not needed).
    pub accepted: u64,
    /// Statements of other tools (without the kru profile in their context).
    pub other_tool: u64,
    /// kru statements of another pack or another major version of the pack.
    pub other_pack: u64,
    /// kru statements that do not follow the profile (missing or ill-typed fields).
    pub malformed: u64,
    /// `answered` statements whose item the pack does not have, or whose response does not
    /// fit the item.
    pub unfit_response: u64,
    /// Statements given twice (same record, same place), counted once.
    pub duplicates: u64,
    /// Records some of whose statements are missing (e.g. not all sent yet), not rebuilt.
    pub incomplete_records: u64,
    /// Records whose statements disagree (a timestamp before the start, different learners),
    /// not rebuilt.
    pub inconsistent_records: u64,
    /// Records rebuilt.
    pub records: u64,
    /// The first few reasons for skipping, for people.
    pub examples: Vec<String>,
}

impl ReadCounts {
    /// Statements skipped for any reason.
    pub fn skipped(&self) -> u64 {
        self.other_tool + self.other_pack + self.malformed + self.unfit_response
    }

    fn note(&mut self, reason: String) {
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(reason);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Start {
    started_at: i64,
    seed: u64,
    forms: Vec<String>,
    demographics: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
struct End {
    ended_at: i64,
    completed: bool,
    responses: u64,
    story_path: Vec<StoryChoiceRecord>,
}

#[derive(Debug, Clone, Default)]
struct Partial {
    learner: String,
    journey: String,
    version: Option<Version>,
    language: String,
    start: Option<Start>,
    end: Option<End>,
    /// Response position → (timestamp, the response with offset 0).
    responses: BTreeMap<u32, (i64, ResponseRecord)>,
    inconsistent: bool,
}

/// Rebuilds result records from xAPI statements given in any order, one at a time or a page
/// at a time. Statements of other tools, of other packs, malformed ones and responses that do
/// not fit their item are skipped and counted in [`ReadCounts`]; nothing panics on bad input.
/// Memory grows with the records being rebuilt.
#[derive(Debug)]
pub struct StatementReader<'p> {
    pack: &'p Pack,
    partial: BTreeMap<[u8; 16], Partial>,
    phases_seen: BTreeMap<([u8; 16], u8), ()>,
    counts: ReadCounts,
}

/// Why a statement was skipped.
enum Skip {
    OtherTool,
    OtherPack(String),
    Malformed(&'static str),
    Unfit(String),
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = v;
    for p in path {
        v = v.get(p)?;
    }
    v.as_str()
}

fn context_ext<'a>(s: &'a Value, name: &str) -> Option<&'a Value> {
    s.get("context")?.get("extensions")?.get(name)
}

fn phase_kind(name: &str) -> Option<PhaseKind> {
    [
        PhaseKind::PreTest,
        PhaseKind::Lesson,
        PhaseKind::Practice,
        PhaseKind::PostTest,
        PhaseKind::FollowUp,
    ]
    .into_iter()
    .find(|k| k.name() == name)
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array()?
        .iter()
        .map(|s| s.as_str().map(String::from))
        .collect()
}

impl<'p> StatementReader<'p> {
    /// A reader of the statements of `pack` (its id and major version).
    pub fn new(pack: &'p Pack) -> Self {
        Self {
            pack,
            partial: BTreeMap::new(),
            phases_seen: BTreeMap::new(),
            counts: ReadCounts::default(),
        }
    }

    /// What was read so far.
    pub fn counts(&self) -> &ReadCounts {
        &self.counts
    }

    /// Reads one statement.
    pub fn push(&mut self, statement: &Value) {
        self.counts.statements += 1;
        match self.read(statement) {
            Ok(true) => self.counts.accepted += 1,
            Ok(false) => self.counts.duplicates += 1,
            Err(Skip::OtherTool) => self.counts.other_tool += 1,
            Err(Skip::OtherPack(p)) => {
                self.counts.other_pack += 1;
                if self.counts.other_pack == 1 {
                    self.counts
                        .note(format!("statements of another pack skipped: {p}"));
                }
            }
            Err(Skip::Malformed(why)) => {
                self.counts.malformed += 1;
                let id = str_at(statement, &["id"]).unwrap_or("(no id)");
                self.counts.note(format!("statement {id}: {why}"));
            }
            Err(Skip::Unfit(why)) => {
                self.counts.unfit_response += 1;
                let id = str_at(statement, &["id"]).unwrap_or("(no id)");
                self.counts.note(format!("statement {id}: {why}"));
            }
        }
    }

    /// Reads a JSON page: an array of statements, one statement, or an xAPI `StatementResult`
    /// (`{"statements": […], "more": "…"}`). Returns the `more` link (empty or absent: `None`).
    /// Fails, reading nothing, when the text is not JSON or not one of those shapes.
    pub fn push_json(&mut self, json: &str) -> Result<Option<String>, XapiError> {
        let v: Value = serde_json::from_str(json).map_err(|e| {
            let start: String = json.trim_start().chars().take(40).collect();
            XapiError::Page(format!("not JSON ({e}); it starts with {start:?}"))
        })?;
        match v {
            Value::Array(list) => {
                list.iter().for_each(|s| self.push(s));
                Ok(None)
            }
            Value::Object(ref o) if o.contains_key("statements") => {
                let list = o
                    .get("statements")
                    .and_then(Value::as_array)
                    .ok_or_else(|| {
                        XapiError::Page(String::from("\"statements\" is not an array"))
                    })?;
                let more = match o.get("more") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) if s.is_empty() => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => {
                        return Err(XapiError::Page(String::from("\"more\" is not a string")))
                    }
                };
                list.iter().for_each(|s| self.push(s));
                Ok(more)
            }
            Value::Object(_) => {
                self.push(&v);
                Ok(None)
            }
            _ => Err(XapiError::Page(String::from(
                "neither a statement, a list of statements nor a StatementResult",
            ))),
        }
    }

    /// Ok(true): used; Ok(false): a duplicate.
    fn read(&mut self, s: &Value) -> Result<bool, Skip> {
        if !s.is_object() {
            return Err(Skip::OtherTool);
        }
        let ctx_acts = s.get("context").and_then(|c| c.get("contextActivities"));
        let ours = ctx_acts
            .and_then(|a| a.get("category"))
            .and_then(Value::as_array)
            .is_some_and(|cats| cats.iter().any(|c| str_at(c, &["id"]) == Some(PROFILE)));
        if !ours {
            return Err(Skip::OtherTool);
        }
        let record_id = context_ext(s, extensions::RECORD_ID)
            .and_then(Value::as_str)
            .and_then(parse_hex16)
            .ok_or(Skip::Malformed("no record id"))?;
        let (pack_id, version) = ctx_acts
            .and_then(|a| a.get("grouping"))
            .and_then(Value::as_array)
            .and_then(|g| {
                g.iter()
                    .find_map(|a| match parse_activity(str_at(a, &["id"])?) {
                        Some(Activity::Pack { pack, version }) => Some((pack, version)),
                        _ => None,
                    })
            })
            .ok_or(Skip::Malformed(
                "no pack activity in context.contextActivities.grouping",
            ))?;
        if pack_id != self.pack.meta.id || version.major != self.pack.meta.version.major {
            return Err(Skip::OtherPack(format!("{pack_id}@{version}")));
        }
        let learner = str_at(s, &["actor", "account", "name"])
            .filter(|n| !n.is_empty())
            .ok_or(Skip::Malformed("the actor is not an account with a name"))?;
        let verb = str_at(s, &["verb", "id"]).ok_or(Skip::Malformed("no verb"))?;
        let object = str_at(s, &["object", "id"])
            .and_then(parse_activity)
            .ok_or(Skip::Malformed("the object is not a kru activity"))?;
        let at = str_at(s, &["timestamp"])
            .and_then(parse_timestamp)
            .ok_or(Skip::Malformed("no valid timestamp"))?;
        let language = str_at(s, &["context", "language"]).unwrap_or("");
        let journey = match &object {
            Activity::Journey { pack, journey } | Activity::Phase { pack, journey, .. }
                if *pack == pack_id =>
            {
                journey.clone()
            }
            Activity::Item { pack, .. } if *pack == pack_id => s
                .get("context")
                .and_then(|c| c.get("contextActivities"))
                .and_then(|a| a.get("grouping"))
                .and_then(Value::as_array)
                .and_then(|g| {
                    g.iter()
                        .find_map(|a| match parse_activity(str_at(a, &["id"])?) {
                            Some(Activity::Journey { pack, journey }) if pack == pack_id => {
                                Some(journey)
                            }
                            _ => None,
                        })
                })
                .ok_or(Skip::Malformed(
                    "an answer without its journey in the context",
                ))?,
            _ => return Err(Skip::Malformed("the object is of another pack")),
        };

        let part = match (&object, verb) {
            (Activity::Journey { .. }, verbs::ATTEMPTED) => Part::Start(self.start(s, at)?),
            (Activity::Journey { .. }, verbs::COMPLETED | verbs::ABANDONED) => {
                Part::End(self.end(s, at, verb == verbs::COMPLETED)?)
            }
            (Activity::Item { item, .. }, verbs::ANSWERED) => {
                let (n, r) = self.answer(s, item)?;
                Part::Answer(n, r)
            }
            (Activity::Phase { .. }, verbs::COMPLETED | verbs::ATTEMPTED) => {
                let p = context_ext(s, extensions::PHASE)
                    .and_then(Value::as_u64)
                    .and_then(|p| u8::try_from(p).ok())
                    .ok_or(Skip::Malformed("a phase statement without its phase index"))?;
                Part::Phase(p)
            }
            _ => {
                return Err(Skip::Malformed(
                    "a verb the profile does not use for this object",
                ))
            }
        };

        let head = Head {
            learner,
            journey,
            version,
            language,
            at,
        };
        Ok(self.merge(record_id, head, part))
    }

    /// Adds one part of a record to what has been read of it; `false` for a duplicate. A part
    /// that disagrees with what was read before marks the record inconsistent.
    fn merge(&mut self, record_id: [u8; 16], head: Head<'_>, part: Part) -> bool {
        let Head {
            learner,
            journey,
            version,
            language,
            at,
        } = head;
        let p = self.partial.entry(record_id).or_default();
        if p.version.is_none() {
            p.learner = String::from(learner);
            p.journey = journey;
            p.version = Some(version);
        } else if p.learner != learner || p.journey != journey || p.version != Some(version) {
            p.inconsistent = true;
        }
        if !language.is_empty() {
            if p.language.is_empty() {
                p.language = String::from(language);
            } else if p.language != language {
                p.inconsistent = true;
            }
        }
        let fresh = match part {
            Part::Start(st) => {
                let fresh = p.start.is_none();
                match &p.start {
                    Some(old) if *old != st => p.inconsistent = true,
                    Some(_) => {}
                    None => p.start = Some(st),
                }
                fresh
            }
            Part::End(e) => {
                let fresh = p.end.is_none();
                match &p.end {
                    Some(old) if *old != e => p.inconsistent = true,
                    Some(_) => {}
                    None => p.end = Some(e),
                }
                fresh
            }
            Part::Answer(n, r) => match p.responses.get(&n) {
                Some(old) => {
                    if *old != (at, r) {
                        p.inconsistent = true;
                    }
                    false
                }
                None => {
                    p.responses.insert(n, (at, r));
                    true
                }
            },
            Part::Phase(ph) => self.phases_seen.insert((record_id, ph), ()).is_none(),
        };
        fresh
    }

    fn start(&self, s: &Value, at: i64) -> Result<Start, Skip> {
        let seed = context_ext(s, extensions::SEED)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u64>().ok())
            .ok_or(Skip::Malformed("no seed"))?;
        let forms = strings(context_ext(s, extensions::FORM_ORDER))
            .ok_or(Skip::Malformed("no form order"))?;
        let demographics = context_ext(s, extensions::INTAKE)
            .and_then(Value::as_array)
            .and_then(|pairs| {
                pairs
                    .iter()
                    .map(|p| match p.as_array()?.as_slice() {
                        [Value::String(k), Value::String(v)] => Some((k.clone(), v.clone())),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or(Skip::Malformed("no intake answers"))?;
        Ok(Start {
            started_at: at,
            seed,
            forms,
            demographics,
        })
    }

    fn end(&self, s: &Value, at: i64, completed: bool) -> Result<End, Skip> {
        let ext = s.get("result").and_then(|r| r.get("extensions"));
        let responses = ext
            .and_then(|e| e.get(extensions::RESPONSES))
            .and_then(Value::as_u64)
            .filter(|n| *n <= MAX_RESPONSES)
            .ok_or(Skip::Malformed("no response count"))?;
        let u16_of = |v: &Value| v.as_u64().and_then(|n| u16::try_from(n).ok());
        let story_path = ext
            .and_then(|e| e.get(extensions::STORY_PATH))
            .and_then(Value::as_array)
            .and_then(|steps| {
                steps
                    .iter()
                    .map(|c| match c.as_array()?.as_slice() {
                        [a, b, c] => Some(StoryChoiceRecord {
                            story: u16_of(a)?,
                            node: u16_of(b)?,
                            choice: u16_of(c)?,
                        }),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or(Skip::Malformed("no story path"))?;
        Ok(End {
            ended_at: at,
            completed,
            responses,
            story_path,
        })
    }

    fn answer(&self, s: &Value, item_id: &str) -> Result<(u32, ResponseRecord), Skip> {
        let n = context_ext(s, extensions::RESPONSE)
            .and_then(Value::as_u64)
            .filter(|n| *n < MAX_RESPONSES)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(Skip::Malformed("an answer without its position"))?;
        let phase = context_ext(s, extensions::PHASE)
            .and_then(Value::as_u64)
            .and_then(|p| u8::try_from(p).ok())
            .ok_or(Skip::Malformed("an answer without its phase index"))?;
        let kind = context_ext(s, extensions::PHASE_KIND)
            .and_then(Value::as_str)
            .and_then(phase_kind)
            .ok_or(Skip::Malformed("an answer without its phase kind"))?;
        let index = self
            .pack
            .item_index(item_id)
            .and_then(|i| u16::try_from(i).ok())
            .ok_or_else(|| Skip::Unfit(format!("the pack has no item '{item_id}'")))?;
        let item = self
            .pack
            .items
            .get(usize::from(index))
            .ok_or(Skip::Malformed("item index"))?;
        let result = s.get("result");
        let response = match result.and_then(|r| r.get("response")) {
            None | Some(Value::Null) => None,
            Some(Value::String(r)) => Some(r.as_str()),
            Some(_) => return Err(Skip::Malformed("the response is not a string")),
        };
        let typed = match result
            .and_then(|r| r.get("extensions"))
            .and_then(|e| e.get(extensions::TYPED))
        {
            None => None,
            Some(Value::String(t)) => Some(t.as_str()),
            Some(_) => return Err(Skip::Malformed("the typed text is not a string")),
        };
        let dont_know = match result
            .and_then(|r| r.get("extensions"))
            .and_then(|e| e.get(extensions::DONT_KNOW))
        {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => return Err(Skip::Malformed("the dont-know extension is not a boolean")),
        };
        if dont_know && (response.is_some() || typed.is_some()) {
            return Err(Skip::Malformed(
                "an answer both \"I don't know\" and a response",
            ));
        }
        let parsed = if dont_know {
            Some(Answer::DontKnow)
        } else {
            parse_response(item, response, typed)
        };
        let answer = parsed.ok_or_else(|| {
            Skip::Unfit(format!(
                "response {:?} is not in the format of item '{item_id}' ({})",
                response.unwrap_or(""),
                super::interaction_type(&item.kind)
            ))
        })?;
        item.grade(&answer)
            .map_err(|e| Skip::Unfit(e.to_string()))?;
        let (credit, correct) = if matches!(answer, Answer::Scale(_)) {
            (Credit::ZERO, false)
        } else {
            let scaled = result
                .and_then(|r| r.get("score"))
                .and_then(|sc| sc.get("scaled"))
                .and_then(Value::as_f64)
                .filter(|c| (0.0..=1.0).contains(c))
                .ok_or(Skip::Malformed("an answer without a score.scaled in 0..1"))?;
            let success = result
                .and_then(|r| r.get("success"))
                .and_then(Value::as_bool)
                .ok_or(Skip::Malformed("an answer without success"))?;
            (Credit::from_f64(scaled), success)
        };
        Ok((
            n,
            ResponseRecord {
                phase,
                phase_kind: kind,
                item: index,
                answer,
                credit,
                correct,
                at_offset_ms: 0,
            },
        ))
    }

    /// The records rebuilt, ordered by start time then record id, and the counts.
    pub fn finish(mut self) -> (Vec<ResultRecord>, ReadCounts) {
        let mut out = Vec::new();
        let pack_id = self.pack.meta.id.clone();
        for (id, p) in core::mem::take(&mut self.partial) {
            let (Some(start), Some(end), Some(version)) = (p.start, p.end, p.version) else {
                self.counts.incomplete_records += 1;
                continue;
            };
            let n = p.responses.len() as u64;
            let last_ok =
                n == 0 || p.responses.keys().next_back().map(|&k| u64::from(k)) == Some(n - 1);
            if n != end.responses || !last_ok {
                self.counts.incomplete_records += 1;
                continue;
            }
            let mut responses = Vec::with_capacity(p.responses.len());
            let mut ok = !p.inconsistent && end.ended_at >= start.started_at;
            for (_, (at, mut r)) in p.responses {
                match at
                    .checked_sub(start.started_at)
                    .and_then(|d| u32::try_from(d).ok())
                {
                    Some(off) => r.at_offset_ms = off,
                    None => ok = false,
                }
                responses.push(r);
            }
            let record = ResultRecord {
                record_id: id,
                learner: p.learner,
                pack_id: pack_id.clone(),
                pack_version: version,
                journey: p.journey,
                language: p.language,
                seed: start.seed,
                forms: start.forms,
                started_at: start.started_at,
                ended_at: end.ended_at,
                completed: end.completed,
                demographics: start.demographics,
                responses,
                story_path: end.story_path,
            };
            if !ok || record.to_bytes().is_err() {
                self.counts.inconsistent_records += 1;
                let hex = super::uuid::hex16(&id);
                self.counts
                    .note(format!("record {hex}: its statements disagree"));
                continue;
            }
            out.push(record);
        }
        out.sort_by(|a, b| {
            a.started_at
                .cmp(&b.started_at)
                .then_with(|| a.record_id.cmp(&b.record_id))
        });
        self.counts.records = out.len() as u64;
        (out, self.counts)
    }
}

/// One part of a record, as one statement carries it.
enum Part {
    Start(Start),
    End(End),
    Answer(u32, ResponseRecord),
    Phase(u8),
}

/// What every statement of a record repeats: who, which journey and pack version, the
/// language, and when.
struct Head<'a> {
    learner: &'a str,
    journey: String,
    version: Version,
    language: &'a str,
    at: i64,
}
