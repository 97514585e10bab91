//! Collecting diagnostics with their places in the source files.

use std::collections::BTreeSet;

use super::{Diagnostic, Severity};

/// Every code the compiler reports, with what it means.
pub(crate) const CODES: &[(&str, &str)] = &[
    ("toml-syntax", "a file is not valid TOML"),
    (
        "missing-file",
        "a required file of the source folder is missing",
    ),
    (
        "unknown-file",
        "a .toml file that is not part of the format (ignored)",
    ),
    (
        "unknown-field",
        "a field this table does not take (a typo, or the wrong place)",
    ),
    ("missing-field", "a required field is missing"),
    (
        "wrong-type",
        "a field has the wrong type (e.g. a number where a string is expected)",
    ),
    (
        "invalid-value",
        "a field's value is not one of the allowed words",
    ),
    (
        "invalid-id",
        "an id is empty, too long, or has characters outside A-Z a-z 0-9 _ -",
    ),
    (
        "duplicate-id",
        "two things of the same kind have the same id",
    ),
    ("unknown-reference", "an id refers to nothing"),
    ("invalid-language-tag", "a language tag is not valid BCP 47"),
    (
        "language-tag-form",
        "a language tag separates subtags with '_' instead of '-' (my_MM)",
    ),
    (
        "language-tag-country",
        "a language tag starts with a country code instead of a language (mm, kh, vn)",
    ),
    ("no-languages", "the pack has no [[language]]"),
    (
        "unknown-default-language",
        "default_language is not among the [[language]] tags",
    ),
    (
        "unknown-language-file",
        "an i18n file for a language the pack does not declare",
    ),
    ("invalid-version", "a version is not major.minor.patch"),
    ("invalid-date", "a date is not a valid YYYY-MM-DD"),
    ("min-engine-too-new", "min_engine is newer than this engine"),
    ("invalid-number", "a number is out of range or not finite"),
    (
        "invalid-path",
        "a media path is empty, absolute or leaves the pack folder",
    ),
    ("too-long", "a string or id is longer than the limit"),
    ("too-many", "a list has more entries than the limit"),
    (
        "too-few-options",
        "an item has fewer than 2 options or steps",
    ),
    (
        "likert-scale",
        "a Likert scale has fewer than 2 or more than 7 points",
    ),
    (
        "answer-not-an-option",
        "an answer key is not among the item's options",
    ),
    (
        "duplicate-answer",
        "a multiple-response answer lists an option twice",
    ),
    (
        "no-right-option",
        "a multiple-response item has no right option",
    ),
    (
        "matching-pairs",
        "matching pairs do not cover every left entry, or name unknown entries",
    ),
    ("no-accepted-answer", "a text item accepts no answer"),
    (
        "invalid-block",
        "a lesson block is not exactly one of the block kinds",
    ),
    (
        "invalid-select",
        "a phase's select is neither a form nor a list of items",
    ),
    (
        "missing-translation",
        "a string is missing in the default language",
    ),
    (
        "missing-translations",
        "strings are missing in a language other than the default",
    ),
    (
        "unknown-translation-key",
        "a translation key matches nothing (probably a typo)",
    ),
    (
        "unreachable-node",
        "a story node cannot be reached from the start",
    ),
    (
        "no-reachable-ending",
        "no ending can be reached from a story node",
    ),
    (
        "dead-end",
        "a story node has no choices and is not an ending",
    ),
    ("ending-with-choices", "a story ending also has choices"),
    ("empty-story", "a story has no nodes"),
    ("empty-lesson", "a lesson has no pages"),
    ("empty-page", "a lesson page has no blocks"),
    ("empty-list", "a list block has no entries"),
    ("empty-form", "a form has no items"),
    ("empty-indicator", "an indicator has no items"),
    (
        "no-journeys",
        "the pack has no [[journey]], so it cannot be played",
    ),
    ("empty-journey", "a journey has no phases"),
    ("empty-phase", "a phase shows nothing"),
    (
        "too-few-items",
        "a form has fewer items for an objective than a phase draws",
    ),
    (
        "forms-not-parallel",
        "a journey's parallel forms cover the objectives differently",
    ),
    (
        "pretest-feedback",
        "a pre-test asks for feedback (a pre-test never gives feedback)",
    ),
    (
        "dont-know-without-knowledge-items",
        "a phase offers \"I don't know\" but asks only attitude (Likert) questions",
    ),
    (
        "post-test-feedback",
        "a post-test gives feedback after each answer, which may give away later questions",
    ),
    (
        "form-selection-without-forms",
        "a phase selects from a form but its journey has no forms",
    ),
    (
        "missing-second-form",
        "a phase selects the second form but its journey has one form",
    ),
    (
        "extra-forms",
        "a journey lists more than two forms (only two are used)",
    ),
    (
        "same-form-twice",
        "a journey tests with the same form slot before and after",
    ),
    (
        "missing-card",
        "a journey shows the reference card but the pack has no [card]",
    ),
    (
        "no-intake-fields",
        "a journey asks the intake questions but there are none",
    ),
    (
        "never-drawn",
        "an item without objectives in a form drawn per objective",
    ),
    (
        "likert-in-indicator",
        "an indicator uses a Likert item, which is never correct",
    ),
    ("unused-item", "an item is in no form and no phase"),
    ("unused-form", "a form is used by no journey"),
    ("unused-lesson", "a lesson is used by no journey"),
    ("unused-story", "a story is used by no lesson"),
    (
        "stale-verification",
        "a help resource was verified longer ago than allowed",
    ),
    (
        "stale-translations",
        "translations made from a source text that has changed since (kru strings)",
    ),
    (
        "missing-interface-strings",
        "interface strings (buttons, hints, messages) that neither the pack nor kru has in a pack language",
    ),
    (
        "missing-media",
        "an image or audio file named in the sources is not in the pack folder",
    ),
    (
        "future-verification",
        "a help resource's verification date is after today",
    ),
    (
        "pack-too-large",
        "the compiled pack is larger than the engine accepts",
    ),
    (
        "internal-error",
        "the compiled pack fails the engine's own check (a compiler bug)",
    ),
    // The item-writing lints (`lint/`, guidelines in docs/lints.md): warnings an item's
    // `allow` can switch off, with a reason.
    (
        "answer-leak",
        "an item's right answer is shown by an item learners may see earlier in the same test",
    ),
    (
        "longest-right-option",
        "the right option is the longest in more than half of a test's single-choice items",
    ),
    (
        "true-false-keyed-alike",
        "every true/false item of a test has the same answer",
    ),
    (
        "all-none-of-the-above",
        "an option such as \"all of the above\" or \"none of the above\"",
    ),
    (
        "likert-keyed-alike",
        "every Likert item of a test phase is keyed in the same direction",
    ),
    (
        "forms-differ-in-kinds",
        "parallel forms ask an objective with different kinds of items",
    ),
    (
        "invalid-allow",
        "an item's `allow` names no lint, or gives no reason",
    ),
    (
        "unused-allow",
        "an item's `allow` switches off a lint that finds nothing in it",
    ),
];

/// A place in a source file: the file's index and a byte offset (none for "the whole file").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Loc {
    pub file: usize,
    pub at: Option<usize>,
}

impl Loc {
    pub fn new(file: usize, at: usize) -> Self {
        Loc { file, at: Some(at) }
    }

    pub fn file(file: usize) -> Self {
        Loc { file, at: None }
    }
}

struct FileInfo {
    path: String,
    text: String,
    /// Byte offsets where lines start (after each '\n'), for fast line lookups.
    line_starts: Vec<usize>,
}

/// Collects diagnostics; knows the files to turn byte offsets into lines and columns.
pub(crate) struct Diags {
    files: Vec<FileInfo>,
    out: Vec<(usize, Option<usize>, Diagnostic)>,
    /// Per file, the offset of its first TOML syntax error: what follows it in the file may
    /// be misread, so other diagnostics there are dropped until the syntax is fixed.
    syntax_at: Vec<(usize, usize)>,
    /// What was reported already (the same problem found twice is reported once).
    seen: BTreeSet<(usize, Option<usize>, &'static str, String)>,
}

impl Diags {
    pub fn new() -> Self {
        Diags {
            files: Vec::new(),
            out: Vec::new(),
            syntax_at: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Registers a file (or a missing one, with empty text) and returns its index.
    pub fn add_file(&mut self, path: &str, text: &str) -> usize {
        if let Some(i) = self.files.iter().position(|f| f.path == path) {
            return i;
        }
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(FileInfo {
            path: path.to_string(),
            text: text.to_string(),
            line_starts,
        });
        self.files.len() - 1
    }

    pub fn path(&self, file: usize) -> &str {
        self.files.get(file).map_or("", |f| f.path.as_str())
    }

    /// The 1-based line of a place, for messages such as "first defined on line 3".
    pub fn line_of(&self, loc: Loc) -> Option<u32> {
        self.line_col(loc).map(|(l, _)| l)
    }

    fn line_col(&self, loc: Loc) -> Option<(u32, u32)> {
        let at = loc.at?;
        let f = self.files.get(loc.file)?;
        let mut cut = at.min(f.text.len());
        while cut > 0 && !f.text.is_char_boundary(cut) {
            cut -= 1;
        }
        // The last line start at or before `cut`.
        let line = f.line_starts.partition_point(|&s| s <= cut).max(1);
        let start = f.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = f.text.get(start..cut).map_or(0, |l| l.chars().count()) + 1;
        Some((
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        ))
    }

    pub fn push(
        &mut self,
        severity: Severity,
        loc: Loc,
        code: &'static str,
        message: String,
        help: String,
    ) {
        if let Some(at) = loc.at {
            if code == "toml-syntax" {
                match self.syntax_at.iter_mut().find(|(f, _)| *f == loc.file) {
                    Some((_, first)) => *first = (*first).min(at),
                    None => self.syntax_at.push((loc.file, at)),
                }
            } else if self
                .syntax_at
                .iter()
                // Values the parser recovered from the error may have an empty span at 0.
                .any(|&(f, first)| f == loc.file && (at >= first || at == 0))
            {
                return;
            }
        }
        let (line, column) = match self.line_col(loc) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        };
        let d = Diagnostic {
            severity,
            file: self.path(loc.file).to_string(),
            line,
            column,
            code,
            message,
            help,
        };
        if self
            .seen
            .insert((loc.file, loc.at, code, d.message.clone()))
        {
            self.out.push((loc.file, loc.at, d));
        }
    }

    pub fn error(&mut self, loc: Loc, code: &'static str, message: String, help: String) {
        self.push(Severity::Error, loc, code, message, help);
    }

    pub fn warn(&mut self, loc: Loc, code: &'static str, message: String, help: String) {
        self.push(Severity::Warning, loc, code, message, help);
    }

    pub fn has_errors(&self) -> bool {
        self.out.iter().any(|(_, _, d)| d.is_error())
    }

    /// The diagnostics ordered by file (in registration order), then place in the file; the
    /// ones about a whole file come after those with a place.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.out
            .sort_by_key(|(file, at, _)| (*file, at.is_none(), at.unwrap_or(0)));
        self.out.into_iter().map(|(_, _, d)| d).collect()
    }
}

/// The entries of `known` closest to `word` (edit distance at most a third of its length,
/// at least 1), best first; used for "did you mean …?" hints.
pub(crate) fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let max = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = distance(word, k);
        if d <= max && best.is_none_or(|(bd, bk)| (d, k) < (bd, bk)) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// A " (did you mean 'x'?)" suffix, or "".
pub(crate) fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(word, known) {
        Some(k) => format!(" (did you mean '{k}'?)"),
        None => String::new(),
    }
}

/// Levenshtein distance over characters (case-insensitive).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(usize::MAX - 1) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(suggest("licence", ["license", "authors"]), Some("license"));
        assert_eq!(suggest("zzz", ["license", "authors"]), None);
    }

    #[test]
    fn lines_and_columns() {
        let mut d = Diags::new();
        let f = d.add_file("a.toml", "ab\nc\u{17E1}d\n");
        assert_eq!(d.line_col(Loc::new(f, 0)), Some((1, 1)));
        assert_eq!(d.line_col(Loc::new(f, 3)), Some((2, 1)));
        assert_eq!(d.line_col(Loc::new(f, 7)), Some((2, 3)));
        // Inside a multi-byte character: clamps back to its start.
        assert_eq!(d.line_col(Loc::new(f, 5)), Some((2, 2)));
        assert_eq!(d.line_col(Loc::new(f, 999)), Some((3, 1)));
        assert_eq!(d.line_col(Loc::file(f)), None);
    }
}
