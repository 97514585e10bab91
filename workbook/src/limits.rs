//! The limits a workbook must fit before it is read: a workbook is a zip of XML files, and a
//! small file can unpack to gigabytes or declare a million rows. See `docs/robustness.md`.

/// Largest workbook file: the largest pack ([`kru_core::limits::MAX_PACK_BYTES`]).
pub const MAX_WORKBOOK_BYTES: usize = kru_core::limits::MAX_PACK_BYTES;
/// Largest total unpacked size of the workbook's zip entries.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// Most zip entries (files inside the workbook).
pub const MAX_ENTRIES: usize = 1000;
/// Most sheets.
pub const MAX_SHEETS: usize = 64;
/// Most rows of a sheet: a list of the pack ([`kru_core::limits::MAX_LIST_LEN`]) and a header,
/// and room for the strings sheet (several strings per entry).
pub const MAX_ROWS: usize = 16 * kru_core::limits::MAX_LIST_LEN;
/// Most columns of a sheet (every string of an entry in every language).
pub const MAX_COLUMNS: usize = 1024;
/// Most cells with a value in the whole workbook.
pub const MAX_CELLS: usize = 2_000_000;
