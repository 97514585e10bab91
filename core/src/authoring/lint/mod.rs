//! Item-writing lints: warnings about tests that give answers away or let learners guess
//! them without knowing the content. Each lint comes from an item-writing guideline, written
//! down in `docs/lints.md`.
//!
//! The lints run on the compiled pack (every text in every language) once the sources have no
//! errors, and point at the source: an item in `items.toml`, a form or a phase in `pack.toml`.
//! An author switches a lint off for one item, with a reason, in the item's `allow` table
//! (`allow = { answer-leak = "why" }`); an `allow` that switches nothing off is itself
//! reported, so that old reasons do not outlive the problem they excused.
//!
//! - [`leaks`]: an item's answer shown earlier in the same test.
//! - [`cues`]: answers guessable from the options (longest right option, true/false keyed
//!   alike, "all of the above", Likert items keyed alike).
//! - [`forms`]: parallel forms that ask an objective with different kinds of items.

mod cues;
mod forms;
mod leaks;

use std::collections::BTreeSet;

use toml::de::DeValue;

use super::diag::{Diags, Loc};
use super::read::{type_name, Fields, Sp};
use super::source::{ItemSrc, PackSrc};
use crate::pack::journey::{FeedbackPolicy, Journey, Phase, PhaseContent, PhaseKind, Selection};
use crate::pack::Pack;

/// The lints an item's `allow` can switch off. Their descriptions are with the compiler's
/// other codes (`DIAGNOSTIC_CODES`), and their guidelines in `docs/lints.md`.
pub(crate) const LINTS: [&str; 6] = [
    "answer-leak",
    "longest-right-option",
    "true-false-keyed-alike",
    "all-none-of-the-above",
    "likert-keyed-alike",
    "forms-differ-in-kinds",
];

/// Which end of a Likert scale the safe (taught) attitude is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Keyed {
    /// Agreeing (the last scale point) is the safe attitude.
    #[default]
    High,
    /// Disagreeing (the first scale point) is the safe attitude.
    Low,
}

/// What an item's source says about the lints.
#[derive(Debug, Default)]
pub(crate) struct ItemLints {
    /// Lints switched off for this item: (code, reason).
    pub allow: Vec<(Sp<String>, String)>,
    /// For a Likert item, where its safe end is (`keyed`, default `"high"`).
    pub keyed: Keyed,
}

/// Reads an item's `allow` table and `keyed` field.
pub(crate) fn read_item_lints(d: &mut Diags, f: &Fields<'_, '_>) -> ItemLints {
    let mut out = ItemLints::default();
    if let Some((t, loc)) = f.table(d, "allow") {
        for (k, v) in t.iter() {
            let code = k.get_ref().to_string();
            let at = Loc::new(loc.file, k.span().start);
            if !LINTS.contains(&code.as_str()) {
                let hint = super::diag::did_you_mean(&code, LINTS.iter().copied());
                d.error(
                    at,
                    "invalid-allow",
                    format!(
                        "`allow` of {} names `{code}`, which is not a lint{hint}",
                        f.what
                    ),
                    format!(
                        "the lints that can be switched off are {}",
                        LINTS
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                continue;
            }
            let reason = match v.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => s.trim().to_string(),
                other => {
                    d.error(
                        at,
                        "invalid-allow",
                        format!(
                            "`allow.{code}` of {} is {}, but it must be the reason, in words",
                            f.what,
                            if matches!(other, DeValue::String(_)) {
                                "empty"
                            } else {
                                type_name(other)
                            }
                        ),
                        format!(
                            "write why the warning does not apply, e.g. {code} = \"the number is asked again on purpose\""
                        ),
                    );
                    continue;
                }
            };
            out.allow.push((Sp::new(code, at), reason));
        }
    }
    if f.has("keyed") {
        if let Some(k) = super::source::word(
            d,
            f,
            "keyed",
            &[("high", Keyed::High), ("low", Keyed::Low)],
            false,
        ) {
            out.keyed = k.v;
        }
    }
    out
}

/// One test a learner takes: the items a phase may ask, in one variant (a fixed list, or one
/// of the journey's forms).
struct Variant<'p> {
    items: &'p [u16],
    /// Whether the items come in this order (not shuffled).
    ordered: bool,
}

/// The variants of a quiz phase: its fixed list, or each of the journey's forms.
fn variants<'p>(pack: &'p Pack, journey: &'p Journey, phase: &'p Phase) -> Vec<Variant<'p>> {
    let PhaseContent::Quiz(q) = &phase.content else {
        return Vec::new();
    };
    match &q.selection {
        Selection::Fixed(list) => vec![Variant {
            items: list,
            ordered: !q.shuffle_items,
        }],
        Selection::Form { .. } => journey
            .forms
            .iter()
            .filter_map(|&f| pack.forms.get(usize::from(f)))
            .map(|f| Variant {
                items: &f.items,
                ordered: !q.shuffle_items,
            })
            .collect(),
    }
}

/// Whether a phase is a test (what it asks is measured).
fn is_test(phase: &Phase) -> bool {
    matches!(
        phase.kind,
        PhaseKind::PreTest | PhaseKind::PostTest | PhaseKind::FollowUp
    )
}

/// A quiz phase's feedback policy (`None` for lessons).
fn feedback_of(phase: &Phase) -> FeedbackPolicy {
    match &phase.content {
        PhaseContent::Quiz(q) => q.feedback,
        PhaseContent::Lessons(_) => FeedbackPolicy::None,
    }
}

/// The context every lint reads: the pack, where its parts are in the sources, and the
/// items' `allow` and `keyed`.
pub(crate) struct Lint<'a> {
    pack: &'a Pack,
    src: &'a PackSrc,
    items: &'a [ItemSrc],
    /// The language chains to check: each language, falling back to the default.
    chains: Vec<[u8; 2]>,
    /// (item, code) pairs whose `allow` switched a warning off.
    used_allows: BTreeSet<(usize, String)>,
}

impl<'a> Lint<'a> {
    /// The place of item `i` (its id in `items.toml`).
    fn item_loc(&self, i: u16) -> Loc {
        self.items
            .get(usize::from(i))
            .map_or_else(Loc::default, |s| s.id.loc)
    }

    /// The id of item `i`.
    fn item_id(&self, i: u16) -> &'a str {
        self.pack
            .items
            .get(usize::from(i))
            .map_or("?", |it| it.id.as_str())
    }

    /// Whether lint `code` is switched off for item `i`; notes the `allow` as used.
    fn allowed(&mut self, i: u16, code: &str) -> bool {
        let on = self
            .items
            .get(usize::from(i))
            .is_some_and(|s| s.lints.allow.iter().any(|(c, _)| c.v == code));
        if on {
            self.used_allows.insert((usize::from(i), code.to_string()));
        }
        on
    }

    /// The `keyed` of item `i`, as the compiled pack has it (the report reverses the same
    /// items: [`Pack::reverse_keyed`]).
    fn keyed(&self, i: u16) -> Keyed {
        if self.pack.is_reverse_keyed(i) {
            Keyed::Low
        } else {
            Keyed::High
        }
    }

    /// The source place of a form (its id in `pack.toml`).
    fn form_loc(&self, form: usize) -> Loc {
        self.src
            .forms
            .get(form)
            .map_or_else(Loc::default, |f| f.id.loc)
    }

    /// The source place of a phase (its id in `pack.toml`).
    fn phase_loc(&self, journey: usize, phase: &str) -> Loc {
        self.src
            .journeys
            .get(journey)
            .and_then(|j| j.phases.iter().find(|p| p.id.v == phase))
            .map_or_else(Loc::default, |p| p.id.loc)
    }

    /// The tag of the language a chain starts with.
    fn language_tag(&self, chain: &[u8; 2]) -> &'a str {
        self.pack
            .languages
            .get(usize::from(chain[0]))
            .map_or("?", |l| l.tag.as_str())
    }

    /// The tests a learner can take, each with the place to report at: every form used by a
    /// journey, and every test phase with a fixed list. Returns (items, name, place).
    fn tests(&self) -> Vec<(&'a [u16], String, Loc)> {
        let pack = self.pack;
        let mut out = Vec::new();
        let mut forms_used = BTreeSet::new();
        for (ji, j) in pack.journeys.iter().enumerate() {
            forms_used.extend(j.forms.iter().copied());
            for p in j.phases.iter().filter(|p| is_test(p)) {
                if let PhaseContent::Quiz(q) = &p.content {
                    if let Selection::Fixed(list) = &q.selection {
                        out.push((
                            list.as_slice(),
                            format!("phase '{}' of journey '{}'", p.id, j.id),
                            self.phase_loc(ji, &p.id),
                        ));
                    }
                }
            }
        }
        for f in forms_used {
            if let Some(form) = pack.forms.get(usize::from(f)) {
                out.push((
                    form.items.as_slice(),
                    format!("form '{}'", form.id),
                    self.form_loc(usize::from(f)),
                ));
            }
        }
        out
    }
}

/// Runs every lint on a compiled pack, reporting into `d`.
pub(crate) fn run(d: &mut Diags, pack: &Pack, src: &PackSrc, items: &[ItemSrc]) {
    let default = pack.meta.default_language;
    let chains = (0..pack.languages.len())
        .map(|l| [u8::try_from(l).unwrap_or(u8::MAX), default])
        .collect();
    let mut lint = Lint {
        pack,
        src,
        items,
        chains,
        used_allows: BTreeSet::new(),
    };
    leaks::answer_leaks(&mut lint, d);
    cues::longest_right_option(&mut lint, d);
    cues::true_false_keyed_alike(&mut lint, d);
    cues::all_none_of_the_above(&mut lint, d);
    cues::likert_keyed_alike(&mut lint, d);
    forms::forms_differ_in_kinds(&mut lint, d);
    for (i, it) in items.iter().enumerate() {
        for (code, _) in &it.lints.allow {
            if !lint.used_allows.contains(&(i, code.v.clone())) {
                d.warn(
                    code.loc,
                    "unused-allow",
                    format!(
                        "item '{}' switches off `{}`, but that lint finds nothing in it",
                        it.id.v, code.v
                    ),
                    format!("remove `{}` from the item's `allow`", code.v),
                );
            }
        }
    }
}

/// Whether any item of `items` switches lint `code` off, noting every such `allow` as used
/// (the lints about a whole test are switched off by an `allow` on any of its items).
fn any_allowed(l: &mut Lint<'_>, items: &[u16], code: &str) -> bool {
    let mut any = false;
    for &i in items {
        if l.allowed(i, code) {
            any = true;
        }
    }
    any
}

/// A list of item ids for a message: `'a', 'b' and 'c'`.
fn id_list(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|i| format!("'{i}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
