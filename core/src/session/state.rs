//! The whole serialisable state of a session, and where within the current planned step it
//! is. The engine in `super` moves it forward; `view` shows it; `snapshot` saves and
//! restores it.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::plan;
use crate::pack::Version;
use crate::record::{ResponseRecord, StoryChoiceRecord};

/// Where within the current planned step the session is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) enum SubStep {
    /// At the planned step itself.
    Main,
    /// Showing feedback on the last response.
    Feedback,
    /// In a story at a node; `chosen` is set while the consequence of a choice is shown.
    Story {
        /// Node index.
        node: u16,
        /// The choice whose consequence is shown.
        chosen: Option<u16>,
    },
    /// At a phase summary of an `after-phase` quiz, reviewing its `entry`-th scored answer
    /// (0-based, in the order they were given).
    Review {
        /// Which scored answer of the phase.
        entry: u16,
    },
}

/// The whole serialisable state of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub(crate) struct SessionState {
    pub(crate) pack_id: String,
    pub(crate) pack_version: Version,
    pub(crate) journey: u16,
    pub(crate) seed: u64,
    pub(crate) learner: String,
    pub(crate) languages: Vec<u8>,
    pub(crate) plan: plan::Plan,
    pub(crate) cursor: u32,
    pub(crate) sub: SubStep,
    pub(crate) responses: Vec<ResponseRecord>,
    pub(crate) intake: Vec<(u16, String)>,
    pub(crate) story_path: Vec<StoryChoiceRecord>,
    pub(crate) started_at: i64,
    pub(crate) ended: bool,
}

/// The responses an end-of-phase review goes over: the scored answers of phase `phase`, in
/// the order they were given, as indices into `responses`.
pub(crate) fn review_entries<'r>(
    pack: &'r crate::pack::Pack,
    responses: &'r [ResponseRecord],
    phase: u8,
) -> impl Iterator<Item = usize> + 'r {
    responses
        .iter()
        .enumerate()
        .filter(move |(_, r)| {
            r.phase == phase
                && pack
                    .items
                    .get(usize::from(r.item))
                    .is_some_and(|it| it.kind.is_scored())
        })
        .map(|(i, _)| i)
}
