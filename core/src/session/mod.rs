//! The session engine: a deterministic state machine over a journey's plan.
//!
//! Start a journey with a pack, preferred languages, a seed and a learner code; ask for the
//! current [`Step`]; [`Session::answer`] questions, intake fields and story choices;
//! [`Session::advance`] past everything else. A wrong answer type is an error and leaves the
//! state unchanged. [`Session::snapshot`] saves the whole state to bytes at any step and
//! [`Session::restore`] continues exactly where it was. [`Session::finish`] (at the end) or
//! [`Session::abandon`] (any time) gives the [`ResultRecord`].

use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::limits;
use crate::pack::item::{Answer, AnswerError};
use crate::pack::Pack;
use crate::record::{ResponseRecord, ResultRecord, StoryChoiceRecord};
use plan::PlannedStep;

mod error;
pub mod plan;
mod small_sort;
pub mod snapshot;
mod snapshot_decode;
mod state;
pub mod step;
mod view;

pub use error::SessionError;
pub(crate) use state::{SessionState, SubStep};
pub use step::{Position, Step};

/// How to start a session.
#[derive(Debug, Clone)]
pub struct SessionOptions<'a> {
    /// Journey id, e.g. `kiosk`.
    pub journey: &'a str,
    /// The host's preferred languages, best first (BCP 47 tags).
    pub languages: &'a [&'a str],
    /// Seed for every random choice (item draw, crossover, shuffles).
    pub seed: u64,
    /// Pseudonymous learner code (never a name).
    pub learner: &'a str,
    /// Host time, milliseconds since the Unix epoch.
    pub now_ms: i64,
}

/// A running session.
#[derive(Debug, Clone)]
pub struct Session {
    pub(crate) pack: Arc<Pack>,
    pub(crate) state: SessionState,
}

/// A learner code: 1 to 64 printable characters (not bytes: Khmer or Burmese codes count as
/// a person counts them).
pub(crate) fn valid_learner(code: &str) -> bool {
    !code.trim().is_empty()
        && code.len() <= limits::MAX_LEARNER_CODE_BYTES
        && code.chars().count() <= limits::MAX_LEARNER_CODE_CHARS
        && !code.chars().any(char::is_control)
}

impl Session {
    /// Starts a journey.
    pub fn start(pack: Arc<Pack>, options: &SessionOptions<'_>) -> Result<Self, SessionError> {
        let ji = pack
            .journey_index(options.journey)
            .ok_or_else(|| SessionError::UnknownJourney(options.journey.to_string()))?;
        if !valid_learner(options.learner) {
            return Err(SessionError::BadLearnerCode {
                max: limits::MAX_LEARNER_CODE_CHARS,
            });
        }
        let journey = pack
            .journeys
            .get(ji)
            .ok_or_else(|| SessionError::UnknownJourney(options.journey.to_string()))?;
        let plan = plan::build(&pack, journey, options.seed);
        let languages = pack.negotiate(options.languages);
        let mut s = Session {
            state: SessionState {
                pack_id: pack.meta.id.clone(),
                pack_version: pack.meta.version,
                journey: u16::try_from(ji).unwrap_or(u16::MAX),
                seed: options.seed,
                learner: options.learner.trim().to_string(),
                languages,
                plan,
                cursor: 0,
                sub: SubStep::Main,
                responses: Vec::new(),
                intake: Vec::new(),
                story_path: Vec::new(),
                started_at: options.now_ms,
                ended: false,
            },
            pack,
        };
        s.enter_step();
        Ok(s)
    }

    /// The pack the session runs.
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The shared pack handle.
    pub fn pack_arc(&self) -> &Arc<Pack> {
        &self.pack
    }

    /// The language fallback chain (pack language indices, best first).
    pub fn language_chain(&self) -> &[u8] {
        &self.state.languages
    }

    /// The index of the language the session is shown in.
    pub fn language(&self) -> usize {
        self.state.languages.first().map_or(0, |&l| usize::from(l))
    }

    /// Switches language at any step (the answers so far are kept).
    pub fn set_languages(&mut self, preferred: &[&str]) {
        self.state.languages = self.pack.negotiate(preferred);
    }

    /// The journey's id.
    pub fn journey_id(&self) -> &str {
        self.pack
            .journeys
            .get(usize::from(self.state.journey))
            .map_or("", |j| j.id.as_str())
    }

    /// The learner code.
    pub fn learner(&self) -> &str {
        &self.state.learner
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.state.seed
    }

    /// Responses so far.
    pub fn responses(&self) -> &[ResponseRecord] {
        &self.state.responses
    }

    /// `(steps done, planned steps)` for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        (self.state.cursor as usize, self.state.plan.steps.len())
    }

    /// Whether the session has ended: finished or abandoned (no further change is possible).
    /// [`Session::is_done`] is also true at the end of the journey before `finish`.
    pub fn is_ended(&self) -> bool {
        self.state.ended
    }

    /// Whether the session reached the end of its journey (or ended).
    pub fn is_done(&self) -> bool {
        self.state.ended || self.state.cursor as usize >= self.state.plan.steps.len()
    }

    pub(crate) fn planned(&self) -> Option<&PlannedStep> {
        self.state.plan.steps.get(self.state.cursor as usize)
    }

    /// The current step, with every text resolved in the session's language.
    pub fn step(&self) -> Step<'_> {
        view::view(&self.pack, &self.state, self.language_chain())
    }

    /// Where the session is, by pack indices, without resolving any text (see [`Position`]).
    pub fn position(&self) -> Position<'_> {
        let Some(planned) = self.planned().filter(|_| !self.state.ended) else {
            return Position::Done;
        };
        match (planned, &self.state.sub) {
            (PlannedStep::Question { .. }, SubStep::Feedback) => Position::Feedback,
            (PlannedStep::PhaseSummary { .. }, SubStep::Review { .. }) => Position::Feedback,
            (
                PlannedStep::Question {
                    phase, item, order, ..
                },
                _,
            ) => Position::Question {
                phase: *phase,
                item: *item,
                order,
            },
            (PlannedStep::Intake { field }, _) => Position::Intake { field: *field },
            (PlannedStep::Page { .. }, _) => Position::Page,
            (PlannedStep::Story { story, .. }, SubStep::Story { node, chosen }) => {
                Position::Story {
                    story: *story,
                    node: *node,
                    chosen: *chosen,
                }
            }
            (PlannedStep::Story { story, .. }, _) => Position::Story {
                story: *story,
                node: self
                    .pack
                    .stories
                    .get(usize::from(*story))
                    .map_or(0, |s| s.start),
                chosen: None,
            },
            (PlannedStep::PhaseSummary { .. }, _) => Position::PhaseSummary,
            (PlannedStep::Card, _) => Position::Card,
        }
    }

    fn enter_step(&mut self) {
        self.state.sub = match self.planned() {
            Some(PlannedStep::Story { story, .. }) => {
                let start = self
                    .pack
                    .stories
                    .get(usize::from(*story))
                    .map_or(0, |s| s.start);
                SubStep::Story {
                    node: start,
                    chosen: None,
                }
            }
            _ => SubStep::Main,
        };
    }

    fn next_planned(&mut self) {
        self.state.cursor = self.state.cursor.saturating_add(1);
        self.enter_step();
    }

    fn kind_name(&self) -> &'static str {
        self.step().kind()
    }

    /// Answers the current step: a question, an intake field or a story choice.
    pub fn answer(&mut self, answer: Answer, now_ms: i64) -> Result<(), SessionError> {
        if self.state.ended {
            return Err(SessionError::Ended);
        }
        let Some(planned) = self.planned().cloned() else {
            return Err(SessionError::JourneyComplete);
        };
        match (Some(planned), &self.state.sub) {
            (
                Some(PlannedStep::Question {
                    phase, item, order, ..
                }),
                SubStep::Main,
            ) => self.answer_question(phase, item, &order, answer, now_ms),
            (Some(PlannedStep::Intake { field }), SubStep::Main) => {
                self.answer_intake(field, answer)
            }
            (Some(PlannedStep::Story { story, .. }), SubStep::Story { node, chosen: None }) => {
                let node = *node;
                self.answer_story(story, node, answer)
            }
            _ => Err(SessionError::NotAnswerable {
                step: self.kind_name(),
            }),
        }
    }

    fn answer_question(
        &mut self,
        phase: u8,
        item: u16,
        order: &[u16],
        answer: Answer,
        now_ms: i64,
    ) -> Result<(), SessionError> {
        let pack = Arc::clone(&self.pack);
        let it = pack
            .items
            .get(usize::from(item))
            .ok_or(SessionError::Snapshot("item out of range".into()))?;
        let journey = pack.journeys.get(usize::from(self.state.journey));
        let ph = journey.and_then(|j| j.phases.get(usize::from(phase)));
        if answer == Answer::DontKnow && !offers_dont_know(ph, it) {
            return Err(SessionError::DontKnowNotOffered {
                item: it.id.clone(),
            });
        }
        let canonical = to_canonical(&answer, order, it)?;
        let grade = it.grade(&canonical)?;
        let phase_kind = ph.map_or(crate::pack::journey::PhaseKind::PreTest, |p| p.kind);
        let feedback = ph.is_some_and(|p| match &p.content {
            crate::pack::journey::PhaseContent::Quiz(q) => {
                q.feedback == crate::pack::journey::FeedbackPolicy::AfterEach
                    && p.kind != crate::pack::journey::PhaseKind::PreTest
            }
            crate::pack::journey::PhaseContent::Lessons(_) => false,
        });
        let offset = now_ms
            .saturating_sub(self.state.started_at)
            .clamp(0, i64::from(u32::MAX));
        self.state.responses.push(ResponseRecord {
            phase,
            phase_kind,
            item,
            answer: canonical,
            credit: grade.credit,
            correct: grade.correct,
            at_offset_ms: u32::try_from(offset).unwrap_or(u32::MAX),
        });
        if feedback {
            self.state.sub = SubStep::Feedback;
        } else {
            self.next_planned();
        }
        Ok(())
    }

    fn answer_intake(&mut self, field: u16, answer: Answer) -> Result<(), SessionError> {
        let f = self
            .pack
            .intake
            .get(usize::from(field))
            .ok_or(SessionError::Snapshot("intake field out of range".into()))?;
        let value = match (&answer, f.options.is_empty()) {
            (Answer::Choice(c), false) => f
                .options
                .get(usize::from(*c))
                .map(|o| o.code.clone())
                .ok_or_else(|| {
                    SessionError::Answer(AnswerError::OutOfRange {
                        item: f.id.clone(),
                        detail: alloc::format!(
                            "intake field has {} options; {c} is out of range",
                            f.options.len()
                        ),
                    })
                })?,
            (Answer::Text(t), true) => {
                let t = t.trim();
                if t.len() > limits::MAX_ANSWER_BYTES {
                    // The same error as a too-long answer to a question.
                    return Err(SessionError::Answer(AnswerError::TooLong {
                        item: f.id.clone(),
                        max: limits::MAX_ANSWER_BYTES,
                    }));
                }
                if t.chars().any(char::is_control) {
                    return Err(SessionError::InvalidChoice(alloc::format!(
                        "intake field '{}' takes printable text only",
                        f.id
                    )));
                }
                t.to_string()
            }
            _ => {
                return Err(SessionError::Answer(AnswerError::WrongType {
                    item: f.id.clone(),
                    kind: "intake",
                    expected: if f.options.is_empty() {
                        "text"
                    } else {
                        "choice"
                    },
                    given: answer.type_name(),
                }))
            }
        };
        if value.is_empty() && f.required {
            return Err(SessionError::InvalidChoice(alloc::format!(
                "intake field '{}' is required",
                f.id
            )));
        }
        self.state.intake.retain(|(k, _)| *k != field);
        if !value.is_empty() {
            self.state.intake.push((field, value));
        }
        self.next_planned();
        Ok(())
    }

    fn answer_story(&mut self, story: u16, node: u16, answer: Answer) -> Result<(), SessionError> {
        let n = self
            .pack
            .stories
            .get(usize::from(story))
            .and_then(|s| s.nodes.get(usize::from(node)))
            .ok_or(SessionError::Snapshot("story node out of range".into()))?;
        if n.choices.is_empty() {
            // An ending takes no answer, like a consequence: the same error for both.
            return Err(SessionError::NotAnswerable {
                step: "story ending",
            });
        }
        let Answer::Choice(c) = answer else {
            return Err(SessionError::Answer(AnswerError::WrongType {
                item: n.id.clone(),
                kind: "story",
                expected: "choice",
                given: answer.type_name(),
            }));
        };
        if usize::from(c) >= n.choices.len() {
            return Err(SessionError::Answer(AnswerError::OutOfRange {
                item: n.id.clone(),
                detail: alloc::format!(
                    "this story scene has {} choices; {c} is out of range",
                    n.choices.len()
                ),
            }));
        }
        self.state.story_path.push(StoryChoiceRecord {
            story,
            node,
            choice: c,
        });
        self.state.sub = SubStep::Story {
            node,
            chosen: Some(c),
        };
        Ok(())
    }

    /// Moves past the current step: a page, feedback, a story consequence or ending, a phase
    /// summary, the card, or an optional intake field (skipped). Questions, required intake
    /// fields and story choices must be answered first.
    pub fn advance(&mut self, _now_ms: i64) -> Result<(), SessionError> {
        if self.state.ended {
            return Err(SessionError::Ended);
        }
        let Some(planned) = self.planned().cloned() else {
            return Err(SessionError::JourneyComplete);
        };
        match (&planned, self.state.sub.clone()) {
            (PlannedStep::Question { .. }, SubStep::Main) => {
                Err(SessionError::AnswerRequired { step: "question" })
            }
            (PlannedStep::Intake { field }, SubStep::Main) => {
                let required = self
                    .pack
                    .intake
                    .get(usize::from(*field))
                    .is_some_and(|f| f.required);
                if required {
                    return Err(SessionError::AnswerRequired { step: "intake" });
                }
                self.next_planned();
                Ok(())
            }
            (PlannedStep::Story { story, .. }, SubStep::Story { node, chosen }) => {
                let n = self
                    .pack
                    .stories
                    .get(usize::from(*story))
                    .and_then(|s| s.nodes.get(usize::from(node)));
                match (n, chosen) {
                    (Some(n), Some(c)) => {
                        let next = n.choices.get(usize::from(c)).map_or(node, |ch| ch.next);
                        self.state.sub = SubStep::Story {
                            node: next,
                            chosen: None,
                        };
                        Ok(())
                    }
                    (Some(n), None) if !n.choices.is_empty() => {
                        Err(SessionError::AnswerRequired { step: "story" })
                    }
                    _ => {
                        self.next_planned();
                        Ok(())
                    }
                }
            }
            (PlannedStep::PhaseSummary { phase }, sub) => {
                let next = match sub {
                    SubStep::Review { entry } => entry.saturating_add(1),
                    _ if self.reviews_at_end(*phase) => 0,
                    _ => u16::MAX,
                };
                let total =
                    state::review_entries(&self.pack, &self.state.responses, *phase).count();
                if usize::from(next) < total {
                    self.state.sub = SubStep::Review { entry: next };
                } else {
                    self.next_planned();
                }
                Ok(())
            }
            _ => {
                self.next_planned();
                Ok(())
            }
        }
    }

    /// Whether phase `phase` of the journey reviews its answers after its score
    /// (`feedback = "after-phase"`).
    fn reviews_at_end(&self, phase: u8) -> bool {
        self.pack
            .journeys
            .get(usize::from(self.state.journey))
            .and_then(|j| j.phases.get(usize::from(phase)))
            .is_some_and(|p| match &p.content {
                crate::pack::journey::PhaseContent::Quiz(q) => {
                    q.feedback == crate::pack::journey::FeedbackPolicy::AfterPhase
                        && p.kind != crate::pack::journey::PhaseKind::PreTest
                }
                crate::pack::journey::PhaseContent::Lessons(_) => false,
            })
    }

    fn record(&self, now_ms: i64, completed: bool) -> ResultRecord {
        let pack = &self.pack;
        let form_ids = self
            .state
            .plan
            .form_order
            .iter()
            .filter_map(|&f| pack.forms.get(usize::from(f)).map(|f| f.id.clone()))
            .collect();
        let demographics = self
            .state
            .intake
            .iter()
            .filter_map(|(f, v)| {
                pack.intake
                    .get(usize::from(*f))
                    .map(|f| (f.id.clone(), v.clone()))
            })
            .collect();
        let language = pack
            .languages
            .get(self.language())
            .map(|l| l.tag.clone())
            .unwrap_or_default();
        ResultRecord {
            record_id: record_id(&self.state),
            learner: self.state.learner.clone(),
            pack_id: pack.meta.id.clone(),
            pack_version: pack.meta.version,
            journey: self.journey_id().to_string(),
            language,
            seed: self.state.seed,
            forms: form_ids,
            started_at: self.state.started_at,
            ended_at: now_ms,
            completed,
            demographics,
            responses: self.state.responses.clone(),
            story_path: self.state.story_path.clone(),
        }
    }

    /// Ends a completed journey and returns its record. Errors before the end (use
    /// [`Session::abandon`]) and when called twice.
    pub fn finish(&mut self, now_ms: i64) -> Result<ResultRecord, SessionError> {
        if self.state.ended {
            return Err(SessionError::Ended);
        }
        let remaining = self
            .state
            .plan
            .steps
            .len()
            .saturating_sub(self.state.cursor as usize);
        if remaining > 0 {
            return Err(SessionError::NotFinished { remaining });
        }
        self.state.ended = true;
        Ok(self.record(now_ms, true))
    }

    /// Ends the session early (a kiosk visitor walked away) and returns the partial record,
    /// so that no result is lost. Errors when the session already ended.
    pub fn abandon(&mut self, now_ms: i64) -> Result<ResultRecord, SessionError> {
        if self.state.ended {
            return Err(SessionError::Ended);
        }
        self.state.ended = true;
        let done = self.state.cursor as usize >= self.state.plan.steps.len();
        Ok(self.record(now_ms, done))
    }
}

/// Whether a question offers "I don't know": a knowledge item in a quiz phase with
/// `dont_know = true`.
pub(crate) fn offers_dont_know(
    phase: Option<&crate::pack::journey::Phase>,
    item: &crate::pack::item::Item,
) -> bool {
    item.kind.is_scored()
        && phase.is_some_and(
            |p| matches!(&p.content, crate::pack::journey::PhaseContent::Quiz(q) if q.dont_know),
        )
}

/// Maps an answer given in shown positions to canonical indices.
fn to_canonical(
    answer: &Answer,
    order: &[u16],
    item: &crate::pack::item::Item,
) -> Result<Answer, AnswerError> {
    let map = |i: u16| -> Result<u16, AnswerError> {
        if order.is_empty() {
            return Ok(i);
        }
        order
            .get(usize::from(i))
            .copied()
            .ok_or_else(|| AnswerError::OutOfRange {
                item: item.id.clone(),
                detail: alloc::format!(
                    "index {i} but {} entries are shown (0 to {})",
                    order.len(),
                    order.len().saturating_sub(1)
                ),
            })
    };
    Ok(match answer {
        Answer::Choice(c) => Answer::Choice(map(*c)?),
        Answer::Choices(cs) => {
            if cs.len() > limits::MAX_OPTIONS {
                return Err(AnswerError::OutOfRange {
                    item: item.id.clone(),
                    detail: "too many choices".into(),
                });
            }
            let mut v = cs.iter().map(|&c| map(c)).collect::<Result<Vec<_>, _>>()?;
            small_sort::sort_by_key(&mut v, |&c| c);
            Answer::Choices(v)
        }
        Answer::Order(os) => {
            if os.len() > limits::MAX_OPTIONS {
                return Err(AnswerError::OutOfRange {
                    item: item.id.clone(),
                    detail: "too many entries".into(),
                });
            }
            Answer::Order(os.iter().map(|&c| map(c)).collect::<Result<Vec<_>, _>>()?)
        }
        Answer::Matches(ms) => {
            if ms.len() > limits::MAX_OPTIONS {
                return Err(AnswerError::OutOfRange {
                    item: item.id.clone(),
                    detail: "too many entries".into(),
                });
            }
            Answer::Matches(ms.iter().map(|&c| map(c)).collect::<Result<Vec<_>, _>>()?)
        }
        other => other.clone(),
    })
}

/// A record id from what makes a session unique (FNV-1a 128).
fn record_id(s: &SessionState) -> [u8; 16] {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u128::from(b);
            h = h.wrapping_mul(PRIME);
        }
        h ^= 0xff;
        h = h.wrapping_mul(PRIME);
    };
    feed(s.pack_id.as_bytes());
    feed(s.learner.as_bytes());
    feed(&s.seed.to_le_bytes());
    feed(&s.started_at.to_le_bytes());
    feed(&s.journey.to_le_bytes());
    h.to_le_bytes()
}
