//! The one table of error codes: every error the engine or a host binding can report, with a
//! stable kebab-case name and a permanent number.
//!
//! Each core error type has a `code()` method (one `match` over its variants) that returns its
//! entry here. The hosts only translate: the C API returns the number as a `kru_result`
//! (`KRU_` + the name in upper case with `_` for `-`, e.g. `KRU_PACK_TRUNCATED` = 100), and the
//! JavaScript API throws an `Error` whose `code` is the name (`"pack-truncated"`).
//! `docs/error-codes.md` lists the table (a test checks it) and says which host returns which
//! code.
//!
//! Rules, checked by the tests here and in both bindings:
//! - names are unique lowercase kebab-case, numbers are unique and never 0 (0 is success);
//! - an entry is never removed, renumbered or renamed: a code the engine no longer returns is
//!   *retired* (its description says so) and keeps its name and number, which are never given
//!   to anything else; a new error gets a new entry with a new number;
//! - numbers are grouped by area: 1–99 host calls (arguments, buffers, handles, panics),
//!   100–199 packs, 200–299 sessions, 300–399 records and logs, 400–499 reports, 500–599
//!   xAPI statements, 600–699 interface strings, 700–799 strings for translators (`kru strings`),
//!   800–899 workbooks and question banks (`kru-workbook`: `kru convert`, `kru strings`).

/// Defines [`ErrorCode`] and its table from one list of `Variant = number, "name",
/// "description";` entries (the description is also the variant's doc comment).
macro_rules! error_codes {
    ($($variant:ident = $number:literal, $name:literal, $description:literal;)*) => {
        /// One entry of the error table (see the [module documentation](self)). Its
        /// permanent number is [`ErrorCode::number`]; the discriminants are dense (0, 1, 2, …
        /// in table order) so that looking up a name is one table read.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum ErrorCode {
            $(
                #[doc = $description]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every code, in the order of the table (ascending numbers).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The permanent number, e.g. 100 for `pack-truncated`: the C `kru_result`.
            pub const fn number(self) -> u32 {
                match self {
                    $(ErrorCode::$variant => $number,)*
                }
            }

            /// The stable kebab-case name, e.g. `"pack-truncated"`: the JavaScript `code`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// A short static description, e.g. `"the pack is truncated"`. The error's own
            /// message says what failed and where.
            pub const fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $description,)*
                }
            }
        }
    };
}

error_codes! {
    // Host calls: arguments, buffers, handles, conversions, panics.
    Panic = 1, "panic", "internal error (a panic was caught)";
    NullArgument = 2, "null-argument", "a required pointer argument is NULL";
    InvalidUtf8 = 3, "invalid-utf8", "a string argument is not valid UTF-8";
    InsufficientSize = 4, "insufficient-size", "the buffer is too small";
    OutOfRange = 5, "out-of-range", "an index or length is out of range";
    InvalidHandle = 6, "invalid-handle", "not a live handle of the expected type";
    WrongStep = 7, "wrong-step", "the accessor does not apply to the current step";
    InvalidArgument = 8, "invalid-argument", "an argument has an invalid value";
    InvalidPublicKey = 9, "invalid-public-key", "not a valid Ed25519 public key";
    BadOptions = 10, "bad-options", "an options argument has the wrong shape";
    BadAnswer = 11, "bad-answer", "an answer argument has the wrong shape";
    Internal = 12, "internal", "a value the engine produced could not be converted (a bug)";
    Ed25519Unavailable = 13, "ed25519-unavailable",
        "the host has no Ed25519 to verify the pack's signature with";

    // Packs.
    PackTruncated = 100, "pack-truncated", "the pack is truncated";
    PackBadMagic = 101, "pack-bad-magic", "not a kru pack";
    PackUnsupportedFormat = 102, "pack-unsupported-format", "unsupported pack format version";
    PackUnknownFlags = 103, "pack-unknown-flags", "the pack header has unknown flags";
    PackTooLarge = 104, "pack-too-large", "the pack is too large";
    PackBadId = 105, "pack-bad-id", "the pack header has an invalid pack id";
    PackChecksumMismatch = 106, "pack-checksum-mismatch", "pack checksum mismatch (damaged file)";
    PackTrailingBytes = 107, "pack-trailing-bytes", "unexpected bytes after the end of the pack";
    PackDecode = 108, "pack-decode", "the pack payload does not decode";
    PackHeaderMismatch = 109, "pack-header-mismatch", "the pack header disagrees with its payload";
    PackEngineTooOld = 110, "pack-engine-too-old", "the pack needs a newer engine";
    PackInvalid = 111, "pack-invalid", "the pack content is invalid";
    PackUnsigned = 112, "pack-unsigned",
        "the pack is not signed and unsigned packs are not allowed";
    PackMalformedSignature = 113, "pack-malformed-signature",
        "the pack signature block is malformed";
    PackSignatureMismatch = 114, "pack-signature-mismatch",
        "the pack signature does not match its contents";
    PackUntrustedSigner = 115, "pack-untrusted-signer", "the pack is signed by an untrusted key";
    PackEncode = 116, "pack-encode", "the pack could not be encoded";
    PackError = 199, "pack-error",
        "retired: was the catch-all for pack errors without a code of their own";

    // Sessions.
    UnknownJourney = 200, "unknown-journey", "the pack has no journey with that id";
    BadLearnerCode = 201, "bad-learner-code", "invalid learner code";
    WrongAnswerType = 202, "wrong-answer-type", "the answer type does not fit the question";
    AnswerOutOfRange = 203, "answer-out-of-range", "the answer is out of range";
    AnswerTooLong = 204, "answer-too-long", "the text answer is too long";
    NotAnswerable = 205, "not-answerable", "the current step does not take an answer";
    AnswerRequired = 206, "answer-required", "the current step must be answered first";
    InvalidChoice = 207, "invalid-choice",
        "the answer does not fit the intake field or story choice";
    SessionEnded = 208, "session-ended", "the session has already ended";
    NotFinished = 209, "not-finished", "the journey is not finished yet";
    BadSnapshot = 210, "bad-snapshot", "the snapshot cannot be restored";
    JourneyComplete = 211, "journey-complete", "the journey is complete: call finish";
    DontKnowNotOffered = 212, "dont-know-not-offered",
        "this question does not offer \"I don't know\"";
    SessionError = 299, "session-error", "session error";

    // Result records and the results log.
    RecordDecode = 300, "record-decode", "the result record does not decode";
    RecordTooLarge = 301, "record-too-large", "the result record is too large";
    RecordEncode = 302, "record-encode", "the result record could not be encoded";
    RecordError = 399, "record-error",
        "retired: was the catch-all for record and log errors without a code of their own";

    // Cohort reports.
    ReportError = 400, "report-error", "the cohort report could not be computed";
    ReportUnknownField = 401, "report-unknown-field",
        "the report groups by an unknown intake field";

    // xAPI statements (feature `xapi`).
    XapiError = 500, "xapi-error", "the record could not be turned into xAPI statements";
    XapiRecordNotInPack = 501, "xapi-record-not-in-pack", "the record does not fit the pack";
    XapiBadHomePage = 502, "xapi-bad-home-page",
        "the xAPI account home page is not an absolute http(s) IRI";
    XapiBadPage = 503, "xapi-bad-page", "not a page of xAPI statements";

    // Interface strings.
    UiBadCatalogue = 600, "ui-bad-catalogue", "an interface-string catalogue does not parse";
    // Strings for translators (feature `authoring`, `kru strings`).
    StringsUnknownLanguage = 700, "strings-unknown-language",
        "the language is not one of the pack's, or is its default (source) language";
    StringsWrongLanguage = 701, "strings-wrong-language",
        "the translations are not in the language the file is for";
    StringsBrokenPlaceholder = 702, "strings-broken-placeholder",
        "a translation drops, adds or misspells a {placeholder} of its source";
    StringsBadFile = 703, "strings-bad-file",
        "a strings file cannot be read, or its strings cannot be written into the pack";

    // Workbooks and question banks (`kru-workbook`: `kru convert`, `kru strings`).
    WorkbookSourceSyntax = 800, "workbook-source-syntax",
        "a source file of the folder is not valid TOML, so it cannot be put in a workbook";
    WorkbookUnsupported = 801, "workbook-unsupported",
        "a value of the folder has no faithful place in a workbook";
    WorkbookUnreadable = 802, "workbook-unreadable",
        "not a readable workbook (not xlsx or ods, damaged, encrypted)";
    WorkbookTooLarge = 803, "workbook-too-large",
        "the workbook exceeds a limit (file size, unpacked size, sheets, rows, columns, cells)";
    WorkbookFormula = 804, "workbook-formula", "a cell holds a formula: kru reads values only";
    WorkbookBadCell = 805, "workbook-bad-cell",
        "a cell cannot be read (an error value, a date with a time, a list that is not TOML)";
    WorkbookLayout = 806, "workbook-layout", "a required sheet or column is missing";
    WorkbookWrite = 807, "workbook-write", "the workbook could not be written";
    GiftUnreadable = 808, "gift-unreadable",
        "not a GIFT question bank (not UTF-8, too large, no question)";
}

impl ErrorCode {
    /// The code with this number; `None` for 0 (success) and for numbers not in the table.
    pub fn from_number(number: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.number() == number)
    }
}

impl core::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_are_unique() {
        for (i, a) in ErrorCode::ALL.iter().enumerate() {
            for b in &ErrorCode::ALL[..i] {
                assert_ne!(a.name(), b.name(), "{a:?} and {b:?} share a name");
                assert_ne!(a.number(), b.number(), "{a:?} and {b:?} share a number");
            }
        }
    }

    #[test]
    fn the_table_is_in_ascending_order() {
        assert!(ErrorCode::ALL
            .windows(2)
            .all(|w| w[0].number() < w[1].number()));
        assert_eq!(ErrorCode::from_number(0), None);
        for &code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_number(code.number()), Some(code));
        }
    }

    /// `docs/error-codes.md` has one row per entry, in order, with its number, name and C
    /// constant (`KRU_` + the name in upper case with `_` for `-`).
    #[test]
    fn the_documentation_lists_every_entry() {
        let doc = include_str!("../../docs/error-codes.md");
        let rows: Vec<&str> = doc
            .lines()
            .filter(|l| l.starts_with("| ") && l[2..].starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert_eq!(rows.len(), ErrorCode::ALL.len(), "one row per entry");
        for (row, code) in rows.iter().zip(ErrorCode::ALL) {
            let c_name = format!("KRU_{}", code.name().to_uppercase().replace('-', "_"));
            let start = format!("| {} | `{}` | `{c_name}` | ", code.number(), code.name());
            assert!(row.starts_with(&start), "{row}\nshould start with {start}");
        }
    }

    #[test]
    fn names_are_kebab_case_and_numbers_fit_their_area() {
        for &code in ErrorCode::ALL {
            let name = code.name();
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--"),
                "{name} is not kebab-case"
            );
            assert!(!code.description().is_empty(), "{name} has no description");
            assert_eq!(code.to_string(), name);
            let area = match code.number() {
                1..=99 => "host",
                100..=199 => "pack",
                200..=299 => "session",
                300..=399 => "record",
                400..=499 => "report",
                500..=599 => "xapi",
                600..=699 => "ui",
                700..=799 => "strings",
                800..=899 => "workbook",
                n => panic!("{name}: number {n} is in no area"),
            };
            // The area prefix, where the name has one, agrees with the number.
            for prefix in [
                "pack", "session", "record", "report", "xapi", "ui", "strings", "workbook",
            ] {
                if name.starts_with(&format!("{prefix}-")) {
                    assert_eq!(area, prefix, "{name} = {}", code.number());
                }
            }
        }
    }
}
