//! Saving a whole session to bytes and restoring it (a kiosk loses power mid-quiz).
//!
//! ```text
//! 0   4  magic "KRUS"
//! 4   2  snapshot format version, u16 LE (1)
//! 6   4  payload length L, u32 LE
//! 10  L  postcard of the session state
//! 10+L 4 CRC-32 of every byte before it
//! ```
//! Restoring checks the frame, that the snapshot belongs to the same pack id and version,
//! and every index in the state against the pack, so damaged or hostile bytes give a
//! [`SessionError::Snapshot`] and never a panic.

use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::checksum::crc32;
use crate::limits;
use crate::pack::Pack;
use crate::session::plan::PlannedStep;
use crate::session::snapshot_decode::read_state;
use crate::session::{Session, SessionError, SessionState, SubStep};

const MAGIC: [u8; 4] = *b"KRUS";
const VERSION: u16 = 1;

fn err(msg: &str) -> SessionError {
    SessionError::Snapshot(msg.to_string())
}

impl Session {
    /// The whole session as bytes.
    pub fn snapshot(&self) -> Vec<u8> {
        let payload = postcard::to_allocvec(&self.state).unwrap_or_default();
        let mut out = Vec::with_capacity(payload.len() + 14);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&payload);
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Restores a session saved with [`Session::snapshot`] on the same pack.
    pub fn restore(pack: Arc<Pack>, bytes: &[u8]) -> Result<Session, SessionError> {
        if bytes.len() > limits::MAX_SNAPSHOT_BYTES {
            return Err(err("snapshot is larger than the limit"));
        }
        if bytes.len() < 14 {
            return Err(err("snapshot is truncated (shorter than its frame)"));
        }
        if bytes.get(..4) != Some(&MAGIC[..]) {
            return Err(err("not a kru session snapshot (bad magic)"));
        }
        let version = u16::from_le_bytes([
            bytes.get(4).copied().unwrap_or(0),
            bytes.get(5).copied().unwrap_or(0),
        ]);
        if version != VERSION {
            return Err(SessionError::Snapshot(alloc::format!(
                "snapshot format {version} is not supported (this engine reads {VERSION})"
            )));
        }
        let mut len4 = [0u8; 4];
        len4.copy_from_slice(bytes.get(6..10).unwrap_or(&[0; 4]));
        let len = u32::from_le_bytes(len4) as usize;
        let end = 10usize.saturating_add(len);
        if bytes.len() != end.saturating_add(4) {
            return Err(err("snapshot is truncated or has extra bytes"));
        }
        let mut crc4 = [0u8; 4];
        crc4.copy_from_slice(bytes.get(end..end + 4).unwrap_or(&[0; 4]));
        if u32::from_le_bytes(crc4) != crc32(bytes.get(..end).unwrap_or(&[])) {
            return Err(err("snapshot checksum mismatch (the bytes are damaged)"));
        }
        let state = read_state(bytes.get(10..end).unwrap_or(&[]))
            .map_err(|e| SessionError::Snapshot(alloc::format!("snapshot does not decode: {e}")))?;
        if state.pack_id != pack.meta.id || state.pack_version != pack.meta.version {
            return Err(SessionError::Snapshot(alloc::format!(
                "snapshot belongs to pack {} {}, not {} {}",
                state.pack_id,
                state.pack_version,
                pack.meta.id,
                pack.meta.version
            )));
        }
        check_state(&pack, &state)?;
        Ok(Session { pack, state })
    }
}

fn check_state(pack: &Pack, s: &SessionState) -> Result<(), SessionError> {
    let journey = pack
        .journeys
        .get(usize::from(s.journey))
        .ok_or_else(|| err("journey out of range"))?;
    let nphases = journey.phases.len();
    if s.languages.is_empty()
        || s.languages
            .iter()
            .any(|&l| usize::from(l) >= pack.languages.len())
    {
        return Err(err("language out of range"));
    }
    if s.plan.steps.len() > limits::MAX_LIST_LEN * 4 || s.plan.questions_per_phase.len() != nphases
    {
        return Err(err("plan does not fit the journey"));
    }
    if s.plan
        .form_order
        .iter()
        .any(|&f| usize::from(f) >= pack.forms.len())
    {
        return Err(err("form out of range"));
    }
    for step in &s.plan.steps {
        let ok = match step {
            PlannedStep::Intake { field } => usize::from(*field) < pack.intake.len(),
            PlannedStep::Page {
                phase,
                lesson,
                page,
            } => {
                usize::from(*phase) < nphases
                    && pack
                        .lessons
                        .get(usize::from(*lesson))
                        .is_some_and(|l| usize::from(*page) < l.pages.len())
            }
            PlannedStep::Story { phase, story } => {
                usize::from(*phase) < nphases && usize::from(*story) < pack.stories.len()
            }
            PlannedStep::Question {
                phase, item, order, ..
            } => {
                usize::from(*phase) < nphases
                    && pack.items.get(usize::from(*item)).is_some_and(|it| {
                        let n = it.kind.shuffle_len();
                        (order.is_empty() || order.len() == n)
                            && order.iter().enumerate().all(|(i, &o)| {
                                usize::from(o) < n && !order.iter().take(i).any(|&p| p == o)
                            })
                    })
            }
            PlannedStep::PhaseSummary { phase } => usize::from(*phase) < nphases,
            PlannedStep::Card => true,
        };
        if !ok {
            return Err(err(
                "a planned step refers to something the pack does not have",
            ));
        }
    }
    if s.cursor as usize > s.plan.steps.len() {
        return Err(err("cursor beyond the plan"));
    }
    let current = s.plan.steps.get(s.cursor as usize);
    let sub_ok = match (&s.sub, current) {
        (SubStep::Main, Some(PlannedStep::Story { .. })) => false,
        (SubStep::Main, _) => true,
        (SubStep::Feedback, Some(PlannedStep::Question { .. })) => !s.responses.is_empty(),
        (SubStep::Review { entry }, Some(PlannedStep::PhaseSummary { phase })) => {
            usize::from(*entry) < super::state::review_entries(pack, &s.responses, *phase).count()
        }
        (SubStep::Story { node, chosen }, Some(PlannedStep::Story { story, .. })) => pack
            .stories
            .get(usize::from(*story))
            .and_then(|st| st.nodes.get(usize::from(*node)))
            .is_some_and(|n| chosen.is_none_or(|c| usize::from(c) < n.choices.len())),
        _ => false,
    };
    if !sub_ok {
        return Err(err("sub-step does not fit the current step"));
    }
    if !super::valid_learner(&s.learner) {
        return Err(err("learner code is invalid"));
    }
    if s.intake
        .iter()
        .any(|(f, _)| usize::from(*f) >= pack.intake.len())
    {
        return Err(err("intake answer out of range"));
    }
    if s.responses
        .iter()
        .any(|r| usize::from(r.item) >= pack.items.len() || usize::from(r.phase) >= nphases)
    {
        return Err(err("a response refers to something the pack does not have"));
    }
    Ok(())
}
