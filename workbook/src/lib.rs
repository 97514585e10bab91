//! kru pack sources as spreadsheets, and question banks from Moodle.
//!
//! - [`to_book`] / [`from_book`] map between a pack source folder (its `.toml` files, as
//!   [`kru_core::authoring::read_source_dir`] reads them) and a [`Book`] of sheets, in the
//!   layout that `docs/authoring.md` describes (XLSForm's conventions where they fit).
//! - [`write_xlsx`], [`write_ods`] and [`read_book`] move a [`Book`] to and from `.xlsx` and
//!   `.ods` bytes, refusing hostile files within the limits of [`limits`].
//! - [`gift::import`] turns a Moodle GIFT question bank into a pack source folder.
//! - [`template::new_pack`] writes the small commented pack of `kru new`.
//!
//! The crate does no file I/O: callers pass and get bytes and [`SourceFile`]s.
//!
//! [`SourceFile`]: kru_core::authoring::SourceFile
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

mod book;
mod cell;
mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod gift;
mod layout;
pub mod limits;
mod read;
pub mod template;
mod write;

pub use book::{column_name, Book, Cell, CellRef, Look, Sheet};
pub use error::WorkbookError;
pub use layout::{from_book, to_book, Converted};
pub use read::{read_book, Format};
pub use write::{write_ods, write_xlsx};
