//! Result records as xAPI 1.0.3 statements, and back: the kru xAPI profile for pre/post
//! knowledge measurement (documented in `docs/xapi.md`).
//!
//! [`record_statements`] turns one [`ResultRecord`] into its statements: `attempted` when the
//! journey started, one `answered` per response (the item as a `cmi.interaction` activity),
//! one `completed` or `attempted` per quiz phase with its score, and `completed` or
//! `abandoned` when the journey ended. [`StatementReader`] takes statements in any order (an
//! LRS returns them newest first, pages them, mixes other tools' in) and rebuilds the records,
//! counting every statement it skips and why. Records → statements → records gives the same
//! records, so a report built from an LRS equals the report built from the results logs.
//!
//! Statement ids are derived from the record id and the statement's place in the record
//! ([`statement_id`]), so sending a record twice cannot create a duplicate in an LRS that
//! keeps ids unique (as the xAPI specification requires).
//!
//! The actor is an xAPI `account`: the deployment's `homePage` and the pseudonymous learner
//! code. Nothing else about the person is sent: only the intake answers the pack declares.
//!
//! Like the rest of the core this module does no I/O: hosts send and fetch the JSON.

mod error;
mod iri;
mod read;
mod response;
mod time;
mod uuid;
mod write;

pub use error::XapiError;
pub use iri::{item_iri, journey_iri, pack_iri, phase_iri};
pub use read::{ReadCounts, StatementReader, MAX_EXAMPLES};
pub use response::{correct_responses_pattern, interaction_type, parse_response, response_of};
pub use time::{format_duration, format_timestamp, parse_timestamp};
pub use uuid::{registration, statement_id, StatementTag};
pub use write::{record_statements, record_statements_json, XapiOptions};

/// The profile's IRI; every kru statement lists it in `context.contextActivities.category`,
/// which is how a reader tells kru's statements from other tools'.
pub const PROFILE: &str = "https://w3id.org/xapi/kru";
/// The base of kru's activity IRIs (packs, journeys, phases, items, forms).
pub const ACTIVITY_BASE: &str = "https://w3id.org/xapi/kru/packs/";
/// The base of kru's extension IRIs.
pub const EXTENSION_BASE: &str = "https://w3id.org/xapi/kru/extensions/";
/// The profile activity's type.
pub const PROFILE_TYPE: &str = "http://adlnet.gov/expapi/activities/profile";

/// The xAPI version the statements follow (send it as `X-Experience-API-Version`).
pub const XAPI_VERSION: &str = "1.0.3";

/// Verbs of the profile.
pub mod verbs {
    /// The learner answered an item.
    pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
    /// The learner started a journey, or took part of a phase (not known to be finished).
    pub const ATTEMPTED: &str = "http://adlnet.gov/expapi/verbs/attempted";
    /// The learner finished a journey or a phase.
    pub const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
    /// The learner left a journey before its end (a kiosk visitor walked away).
    pub const ABANDONED: &str = "https://w3id.org/xapi/adl/verbs/abandoned";
}

/// Activity types of the profile.
pub mod activity_types {
    /// A content pack at one version.
    pub const PACK: &str = "https://w3id.org/xapi/kru/activity-types/pack";
    /// A journey through a pack.
    pub const JOURNEY: &str = "http://adlnet.gov/expapi/activities/course";
    /// A quiz phase of a journey (pre-test, practice, post-test, follow-up).
    pub const PHASE: &str = "http://adlnet.gov/expapi/activities/assessment";
    /// A test form (a list of items).
    pub const FORM: &str = "https://w3id.org/xapi/kru/activity-types/form";
    /// An item.
    pub const INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";
}

/// Extension IRIs of the profile (each is [`EXTENSION_BASE`] + a name).
pub mod extensions {
    /// Context: the record id, 32 lowercase hex digits (on every statement).
    pub const RECORD_ID: &str = "https://w3id.org/xapi/kru/extensions/record-id";
    /// Context: the phase index within the journey.
    pub const PHASE: &str = "https://w3id.org/xapi/kru/extensions/phase";
    /// Context: the phase kind (`pre-test`, `practice`, `post-test`, `follow-up`).
    pub const PHASE_KIND: &str = "https://w3id.org/xapi/kru/extensions/phase-kind";
    /// Context: the response's position in the record (0-based).
    pub const RESPONSE: &str = "https://w3id.org/xapi/kru/extensions/response";
    /// Context (journey statements): the session seed, a decimal string.
    pub const SEED: &str = "https://w3id.org/xapi/kru/extensions/seed";
    /// Context (journey statements): the form ids in the order taken.
    pub const FORM_ORDER: &str = "https://w3id.org/xapi/kru/extensions/form-order";
    /// Context (journey statements): the pack-declared intake answers, `[[field, value], …]`.
    pub const INTAKE: &str = "https://w3id.org/xapi/kru/extensions/intake";
    /// Context (journey statements): the key id of the pack's signer, when the host knows it.
    pub const PACK_SIGNER: &str = "https://w3id.org/xapi/kru/extensions/pack-signer";
    /// Result (journey end): how many `answered` statements the record has.
    pub const RESPONSES: &str = "https://w3id.org/xapi/kru/extensions/responses";
    /// Result (journey end): the story choices, `[[story, node, choice], …]`.
    pub const STORY_PATH: &str = "https://w3id.org/xapi/kru/extensions/story-path";
    /// Result (journey end): pre-test and post-test `{"score", "max"}`, when taken.
    pub const PRE_TEST: &str = "https://w3id.org/xapi/kru/extensions/pre-test";
    /// Result (journey end): see [`PRE_TEST`].
    pub const POST_TEST: &str = "https://w3id.org/xapi/kru/extensions/post-test";
    /// Result (`answered`): the text exactly as typed, when `response` differs from it
    /// (a numeric answer typed in Khmer digits, or one that is not a number).
    pub const TYPED: &str = "https://w3id.org/xapi/kru/extensions/typed";
    /// Result (`answered`): `true` when the learner answered "I don't know" (then there is
    /// no `response`, `success` is false and the score 0).
    pub const DONT_KNOW: &str = "https://w3id.org/xapi/kru/extensions/dont-know";
}
