//! The reader of a snapshot's payload: the postcard bytes of [`SessionState`], read by hand
//! with the pack reader's [`Reader`] (the same rules: see [`crate::pack::decode`]), so that
//! the browser's module carries no serde decoding for it. The writer stays
//! `#[derive(Serialize)]` + postcard, and every snapshot written so far reads the same.

use crate::credit::Credit;
use crate::pack::decode::{DecodeError, Reader, Stop};
use crate::pack::item::Answer;
use crate::pack::journey::PhaseKind;
use crate::pack::Version;
use crate::record::{ResponseRecord, StoryChoiceRecord};
use crate::session::plan::{Plan, PlannedStep};
use crate::session::{SessionState, SubStep};

type Result<T> = core::result::Result<T, Stop>;

/// Reads a whole snapshot payload; bytes left over are an error.
pub(crate) fn read_state(bytes: &[u8]) -> core::result::Result<SessionState, DecodeError> {
    let mut r = Reader::new(bytes);
    match state(&mut r) {
        Ok(s) if r.is_done() => Ok(s),
        Ok(_) => Err(r.error_at("snapshot", "bytes left over after the session")),
        Err(Stop) => Err(r.error()),
    }
}

fn state(r: &mut Reader<'_>) -> Result<SessionState> {
    Ok(SessionState {
        pack_id: r.string("pack id")?,
        pack_version: Version {
            major: r.u16("pack version")?,
            minor: r.u16("pack version")?,
            patch: r.u16("pack version")?,
        },
        journey: r.u16("journey")?,
        seed: r.u64("seed")?,
        learner: r.string("learner")?,
        languages: r.bytes("languages")?.to_vec(),
        plan: Plan {
            steps: r.list(1, "plan step", step)?,
            questions_per_phase: r.u16s("questions per phase")?,
            form_order: r.u16s("form order")?,
        },
        cursor: r.u32("cursor")?,
        sub: sub_step(r)?,
        responses: r.list(10, "response", response)?,
        intake: r.list(2, "intake answer", |r| {
            Ok((r.u16("intake field")?, r.string("intake answer")?))
        })?,
        story_path: r.list(3, "story choice", |r| {
            Ok(StoryChoiceRecord {
                story: r.u16("story choice")?,
                node: r.u16("story choice")?,
                choice: r.u16("story choice")?,
            })
        })?,
        started_at: r.i64("start time")?,
        ended: r.bool("ended")?,
    })
}

fn step(r: &mut Reader<'_>) -> Result<PlannedStep> {
    let what = "plan step";
    Ok(match r.variant(6, what)? {
        0 => PlannedStep::Intake {
            field: r.u16(what)?,
        },
        1 => PlannedStep::Page {
            phase: r.byte(what)?,
            lesson: r.u16(what)?,
            page: r.u16(what)?,
        },
        2 => PlannedStep::Story {
            phase: r.byte(what)?,
            story: r.u16(what)?,
        },
        3 => PlannedStep::Question {
            phase: r.byte(what)?,
            item: r.u16(what)?,
            number: r.u16(what)?,
            order: r.u16s(what)?,
        },
        4 => PlannedStep::PhaseSummary {
            phase: r.byte(what)?,
        },
        _ => PlannedStep::Card,
    })
}

fn sub_step(r: &mut Reader<'_>) -> Result<SubStep> {
    let what = "sub-step";
    Ok(match r.variant(4, what)? {
        0 => SubStep::Main,
        1 => SubStep::Feedback,
        2 => SubStep::Story {
            node: r.u16(what)?,
            chosen: if r.some(what)? {
                Some(r.u16(what)?)
            } else {
                None
            },
        },
        _ => SubStep::Review {
            entry: r.u16(what)?,
        },
    })
}

fn response(r: &mut Reader<'_>) -> Result<ResponseRecord> {
    let phase = r.byte("response phase")?;
    let phase_kind = match r.variant(5, "response phase kind")? {
        0 => PhaseKind::PreTest,
        1 => PhaseKind::Lesson,
        2 => PhaseKind::Practice,
        3 => PhaseKind::PostTest,
        _ => PhaseKind::FollowUp,
    };
    let item = r.u16("response item")?;
    let what = "response answer";
    let answer = match r.variant(8, what)? {
        0 => Answer::Choice(r.u16(what)?),
        1 => Answer::Choices(r.u16s(what)?),
        2 => Answer::TrueFalse(r.bool(what)?),
        3 => Answer::Order(r.u16s(what)?),
        4 => Answer::Matches(r.u16s(what)?),
        5 => Answer::Text(r.string(what)?),
        6 => Answer::Scale(r.u16(what)?),
        _ => Answer::DontKnow,
    };
    let credit = Credit::from_f32(r.f32("response credit")?);
    Ok(ResponseRecord {
        phase,
        phase_kind,
        item,
        answer,
        credit,
        correct: r.bool("response correct")?,
        at_offset_ms: r.u32("response time")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;
    use proptest::collection::vec;
    use proptest::prelude::*;

    fn u16s() -> impl Strategy<Value = Vec<u16>> {
        vec(any::<u16>(), 0..4)
    }

    fn step() -> impl Strategy<Value = PlannedStep> {
        prop_oneof![
            any::<u16>().prop_map(|field| PlannedStep::Intake { field }),
            (any::<u8>(), any::<u16>(), any::<u16>()).prop_map(|(phase, lesson, page)| {
                PlannedStep::Page {
                    phase,
                    lesson,
                    page,
                }
            }),
            (any::<u8>(), any::<u16>())
                .prop_map(|(phase, story)| PlannedStep::Story { phase, story }),
            (any::<u8>(), any::<u16>(), any::<u16>(), u16s()).prop_map(
                |(phase, item, number, order)| PlannedStep::Question {
                    phase,
                    item,
                    number,
                    order,
                }
            ),
            any::<u8>().prop_map(|phase| PlannedStep::PhaseSummary { phase }),
            Just(PlannedStep::Card),
        ]
    }

    fn answer() -> impl Strategy<Value = Answer> {
        prop_oneof![
            any::<u16>().prop_map(Answer::Choice),
            u16s().prop_map(Answer::Choices),
            any::<bool>().prop_map(Answer::TrueFalse),
            u16s().prop_map(Answer::Order),
            u16s().prop_map(Answer::Matches),
            ".{0,8}".prop_map(Answer::Text),
            any::<u16>().prop_map(Answer::Scale),
            Just(Answer::DontKnow),
        ]
    }

    fn response() -> impl Strategy<Value = ResponseRecord> {
        (
            any::<u8>(),
            0u8..5,
            any::<u16>(),
            answer(),
            (0u16..12, 1u16..12),
            any::<bool>(),
            any::<u32>(),
        )
            .prop_map(
                |(phase, kind, item, answer, (n, d), correct, at)| ResponseRecord {
                    phase,
                    phase_kind: [
                        PhaseKind::PreTest,
                        PhaseKind::Lesson,
                        PhaseKind::Practice,
                        PhaseKind::PostTest,
                        PhaseKind::FollowUp,
                    ][usize::from(kind)],
                    item,
                    answer,
                    credit: Credit::new(u64::from(n.min(d)), u64::from(d)).unwrap_or(Credit::ZERO),
                    correct,
                    at_offset_ms: at,
                },
            )
    }

    fn sub() -> impl Strategy<Value = SubStep> {
        prop_oneof![
            Just(SubStep::Main),
            Just(SubStep::Feedback),
            (any::<u16>(), proptest::option::of(any::<u16>()))
                .prop_map(|(node, chosen)| SubStep::Story { node, chosen }),
            any::<u16>().prop_map(|entry| SubStep::Review { entry }),
        ]
    }

    fn state() -> impl Strategy<Value = SessionState> {
        (
            (
                ".{0,8}",
                any::<(u16, u16, u16)>(),
                any::<u16>(),
                any::<u64>(),
                ".{0,8}",
            ),
            (
                vec(any::<u8>(), 0..4),
                vec(step(), 0..6),
                u16s(),
                u16s(),
                any::<u32>(),
            ),
            (
                sub(),
                vec(response(), 0..5),
                vec((any::<u16>(), ".{0,6}"), 0..3),
                vec(any::<(u16, u16, u16)>(), 0..3),
                any::<i64>(),
                any::<bool>(),
            ),
        )
            .prop_map(
                |(
                    (pack_id, (major, minor, patch), journey, seed, learner),
                    (languages, steps, questions_per_phase, form_order, cursor),
                    (sub, responses, intake, path, started_at, ended),
                )| SessionState {
                    pack_id,
                    pack_version: Version {
                        major,
                        minor,
                        patch,
                    },
                    journey,
                    seed,
                    learner,
                    languages,
                    plan: Plan {
                        steps,
                        questions_per_phase,
                        form_order,
                    },
                    cursor,
                    sub,
                    responses,
                    intake: intake
                        .into_iter()
                        .map(|(f, s): (u16, String)| (f, s))
                        .collect(),
                    story_path: path
                        .into_iter()
                        .map(|(story, node, choice)| StoryChoiceRecord {
                            story,
                            node,
                            choice,
                        })
                        .collect(),
                    started_at,
                    ended,
                },
            )
    }

    proptest! {
        /// Any state written by serde/postcard reads back equal, and the reader accepts
        /// exactly what serde's reader accepts, damaged or cut (the same value or both errors).
        #[test]
        fn reads_what_postcard_writes_and_accepts_what_postcard_accepts(
            s in state(),
            flips in vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
            cut in any::<prop::sample::Index>(),
        ) {
            let bytes = postcard::to_allocvec(&s).unwrap();
            prop_assert_eq!(read_state(&bytes).unwrap(), s);
            let mut bad = bytes.clone();
            for (at, x) in &flips {
                let i = at.index(bad.len());
                bad[i] ^= x;
            }
            let bad = &bad[..bad.len() - cut.index(bad.len() + 1).min(bad.len()) / 4];
            // (The old reader ignored bytes after the state; the frame's length and CRC
            // leave none in a snapshot this engine wrote, and this reader refuses them.)
            let serde = postcard::take_from_bytes::<SessionState>(bad)
                .ok()
                .filter(|(_, rest)| rest.is_empty())
                .map(|(s, _)| s)
                .ok_or(());
            match (read_state(bad), serde) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "hand-written {:?}, serde {:?}", a, b),
            }
        }
    }
}
