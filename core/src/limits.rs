//! Limits on every size a pack, a snapshot or a results log can declare.
//!
//! A small file must never make the engine allocate gigabytes or loop for long: decoding
//! checks the byte budget up front (postcard never allocates more than the input can hold)
//! and validation checks these counts after decoding. See `docs/robustness.md`.

/// Largest pack file accepted, in bytes (16 MiB).
pub const MAX_PACK_BYTES: usize = 16 * 1024 * 1024;
/// Largest single string in a pack, in bytes.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// Most languages in a pack.
pub const MAX_LANGUAGES: usize = 32;
/// Most entries in any list of a pack (items, lessons, options, pages, …).
pub const MAX_LIST_LEN: usize = 4096;
/// Most options (or steps, matching entries, scale points) of one item.
pub const MAX_OPTIONS: usize = 16;
/// Largest session snapshot accepted, in bytes.
pub const MAX_SNAPSHOT_BYTES: usize = 1024 * 1024;
/// Largest result record accepted in a results log, in bytes.
pub const MAX_RECORD_BYTES: usize = 256 * 1024;
/// Longest free-text answer kept, in bytes (longer answers are refused).
pub const MAX_ANSWER_BYTES: usize = 1024;
/// Longest learner code, in characters (what a person counts: a 41-character Khmer code is
/// about 120 bytes).
pub const MAX_LEARNER_CODE_CHARS: usize = 64;
/// Longest learner code, in bytes: the character limit at 4 bytes a character, a bound for
/// safety only.
pub const MAX_LEARNER_CODE_BYTES: usize = 4 * MAX_LEARNER_CODE_CHARS;
/// Longest id (pack, item, objective, …), in bytes.
pub const MAX_ID_BYTES: usize = 64;
