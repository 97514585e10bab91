//! # kru-core
//!
//! The engine of **kru** (គ្រូ, "teacher"): an embeddable training-and-quiz engine that runs
//! lesson-and-quiz *content packs* and measures what learners knew before and after a session.
//!
//! Data flows one way:
//! pack source → validated, compiled, signed [`pack`] → [`session`] (a pure state machine) →
//! [`result_record`] → [`results_log`] → [`cohort_report`].
//!
//! The crate is `no_std` + `alloc`; it does no I/O and reads no clock: hosts pass bytes and
//! timestamps (milliseconds since the Unix epoch) in. The `std` feature adds `std::error::Error`
//! impls and `unic-langid` interop; the `authoring` feature adds the pack compiler.
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "authoring")]
pub mod authoring;
pub mod checksum;
pub mod cohort_report;
pub mod envelope;
pub mod item;
pub mod journey;
pub mod language;
pub mod lesson;
pub mod limits;
pub mod pack;
pub mod plan;
pub mod result_record;
pub mod results_log;
pub mod rng;
pub mod session;
pub mod signature;
pub mod simulation;
pub mod snapshot;
pub mod stats;
pub mod step;
pub mod text;
#[cfg(feature = "xapi")]
pub mod xapi;

pub use envelope::{PackError, PackHeader};
pub use item::{Answer, Item, ItemKind};
pub use language::LanguageTag;
pub use pack::Pack;
pub use result_record::ResultRecord;
pub use session::{Session, SessionError, SessionOptions};
pub use step::Step;

/// The engine's version (the `kru-core` crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
