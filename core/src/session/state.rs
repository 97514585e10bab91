//! The whole serialisable state of a session, and where within the current planned step it
//! is. The engine in `super` moves it forward; `view` shows it; `snapshot` saves and
//! restores it.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::plan;
use crate::pack::Version;
use crate::record::{ResponseRecord, StoryChoiceRecord};

/// Where within the current planned step the session is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// The whole serialisable state of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
