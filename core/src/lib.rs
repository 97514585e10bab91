//! # kru-core
//!
//! The engine of **kru** (គ្រូ, "teacher"): an embeddable training-and-quiz engine that runs
//! lesson-and-quiz *content packs* and measures what learners knew before and after a session.
//!
//! Data flows one way, and each stage is a module:
//! pack source ([`authoring`], feature `authoring`) → validated, compiled, signed [`pack`] →
//! [`session`] (a pure state machine) → result [`record`] → results log ([`record::log`]) →
//! cohort [`report`].
//!
//! The crate is `no_std` + `alloc`; it does no I/O and reads no clock: hosts pass bytes and
//! timestamps (milliseconds since the Unix epoch) in. The `std` feature adds `std::error::Error`
//! impls and `unic-langid` interop; the `authoring` feature adds the pack compiler.
//! `docs/architecture.md` says which module holds which rule.
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
pub mod credit;
pub mod error_code;
pub mod language;
pub mod limits;
pub mod numerals;
pub mod pack;
pub mod record;
pub mod report;
pub mod rng;
pub mod session;
pub mod simulation;
pub mod ui;
#[cfg(feature = "xapi")]
pub mod xapi;

pub use error_code::ErrorCode;
pub use language::LanguageTag;
pub use pack::item::{Answer, Item, ItemKind};
pub use pack::{Pack, PackError, PackHeader};
pub use record::ResultRecord;
pub use session::{Session, SessionError, SessionOptions, Step};

/// The engine's version (the `kru-core` crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
