//! `pack.toml`'s `[[journey]]` tables: a journey's forms and its phases, with how each quiz
//! phase selects its items.

use toml::de::DeTable;

use super::{check_duplicates, word};
use crate::authoring::diag::{Diags, Loc};
use crate::authoring::read::{check_count, Fields, Id, Sp};
use crate::limits;
use crate::pack::journey::{FeedbackPolicy, FormSlot, PhaseKind};

/// How a quiz phase selects its items.
#[derive(Debug)]
pub(crate) enum SelectSrc {
    /// `select = { items = [...] }`.
    Items(Sp<Vec<Id>>),
    /// `select = { form = "first", per_objective = n }`.
    Form {
        loc: Loc,
        slot: FormSlot,
        per_objective: Option<Sp<u8>>,
    },
}

/// `[[journey.phase]]`.
#[derive(Debug)]
pub(crate) struct PhaseSrc {
    pub id: Id,
    pub kind: Option<PhaseKind>,
    pub lessons: Option<Sp<Vec<Id>>>,
    pub select: Option<SelectSrc>,
    pub shuffle_items: bool,
    pub shuffle_options: bool,
    pub feedback: Sp<FeedbackPolicy>,
    /// `dont_know = true`: knowledge items offer "I don't know".
    pub dont_know: Option<Sp<bool>>,
}

/// `[[journey]]`.
#[derive(Debug)]
pub(crate) struct JourneySrc {
    pub id: Id,
    pub loc: Loc,
    pub intake: Option<Sp<bool>>,
    pub card: Option<Sp<bool>>,
    pub forms: Option<Sp<Vec<Id>>>,
    pub phases: Vec<PhaseSrc>,
}

/// Reads a `[[journey]]` and its phases.
pub(super) fn read_journey(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<JourneySrc> {
    let mut f = Fields::new(t, loc, "[[journey]]");
    if let Some(id) = f.raw_id().map(str::to_string) {
        f = f.with_strings(format!("journey.{id}"));
    }
    f.deny_unknown(
        d,
        &["id", "intake", "card", "forms", "phase"],
        "[[journey]] ",
    );
    let id = f.id(d, "id", "journey")?;
    let f = Fields::new(t, loc, format!("journey '{}'", id.v));
    let intake = f.boolean(d, "intake");
    let card = f.boolean(d, "card");
    let forms = f.strings(d, "forms", false, Some("form"));
    if let Some(forms) = &forms {
        check_duplicates(
            d,
            &forms.v,
            "form",
            &format!(" in the forms of journey '{}'", id.v),
        );
    }
    let mut phases = Vec::new();
    for (pt, ploc) in f.tables(d, "phase") {
        if let Some(ph) = read_phase(d, pt, ploc, &id.v) {
            phases.push(ph);
        }
    }
    check_count(d, loc, phases.len(), 255, "phases");
    check_duplicates(
        d,
        phases.iter().map(|p| &p.id),
        "phase",
        &format!(" in journey '{}'", id.v),
    );
    Some(JourneySrc {
        id,
        loc,
        intake,
        card,
        forms,
        phases,
    })
}

/// Reads a `[[journey.phase]]`.
fn read_phase(d: &mut Diags, t: &DeTable<'_>, loc: Loc, journey: &str) -> Option<PhaseSrc> {
    let f = Fields::new(t, loc, format!("a phase of journey '{journey}'"));
    let id = f.id(d, "id", "phase");
    let what = match &id {
        Some(id) => format!("phase '{}' of journey '{journey}'", id.v),
        None => format!("a phase of journey '{journey}'"),
    };
    let f = Fields::new(t, loc, what.clone());
    let kind = word(
        d,
        &f,
        "kind",
        &[
            ("pre-test", PhaseKind::PreTest),
            ("lesson", PhaseKind::Lesson),
            ("practice", PhaseKind::Practice),
            ("post-test", PhaseKind::PostTest),
            ("follow-up", PhaseKind::FollowUp),
        ],
        true,
    )
    .map(|k| k.v);
    let quiz_fields = [
        "select",
        "shuffle_items",
        "shuffle_options",
        "feedback",
        "dont_know",
    ];
    match kind {
        Some(PhaseKind::Lesson) => f.deny_unknown(
            d,
            &["id", "kind", "lessons"],
            "a lesson phase (kind = \"lesson\") ",
        ),
        Some(_) => f.deny_unknown(
            d,
            &[
                "id",
                "kind",
                "select",
                "shuffle_items",
                "shuffle_options",
                "feedback",
                "dont_know",
            ],
            "a quiz phase (pre-test, practice, post-test, follow-up) ",
        ),
        None => {
            let mut all = vec!["id", "kind", "lessons"];
            all.extend(quiz_fields);
            f.deny_unknown(d, &all, "a phase ");
        }
    }
    let lessons = if kind == Some(PhaseKind::Lesson) || kind.is_none() {
        f.strings(d, "lessons", kind.is_some(), Some("lesson"))
    } else {
        None
    };
    let mut select = None;
    if kind.is_some_and(PhaseKind::is_quiz) || kind.is_none() {
        match f.table(d, "select") {
            Some((st, sloc)) => select = read_select(d, st, sloc, &what),
            None => {
                if kind.is_some() && !f.has("select") {
                    d.error(
                        loc,
                        "missing-field",
                        format!("{what} asks questions but has no `select`"),
                        "add select = { form = \"first\" } or select = { items = [\"…\"] }".into(),
                    );
                }
            }
        }
    }
    let shuffle_items = f.boolean(d, "shuffle_items").is_some_and(|b| b.v);
    let shuffle_options = f.boolean(d, "shuffle_options").is_some_and(|b| b.v);
    let dont_know = f.boolean(d, "dont_know");
    let feedback = word(
        d,
        &f,
        "feedback",
        &[
            ("none", FeedbackPolicy::None),
            ("after-each", FeedbackPolicy::AfterEach),
            ("after-phase", FeedbackPolicy::AfterPhase),
        ],
        false,
    )
    .unwrap_or(Sp::new(FeedbackPolicy::None, loc));
    Some(PhaseSrc {
        id: id?,
        kind,
        lessons,
        select,
        shuffle_items,
        shuffle_options,
        feedback,
        dont_know,
    })
}

/// Reads the `select` of a quiz phase.
fn read_select(d: &mut Diags, t: &DeTable<'_>, loc: Loc, what: &str) -> Option<SelectSrc> {
    let f = Fields::new(t, loc, format!("the select of {what}"));
    let help = "write select = { form = \"first\" } (optionally with per_objective = n), or select = { items = [\"…\"] }";
    match (f.has("form"), f.has("items")) {
        (true, true) | (false, false) => {
            d.error(
                loc,
                "invalid-select",
                format!("the select of {what} must have either `form` or `items`"),
                help.into(),
            );
            None
        }
        (false, true) => {
            f.deny_unknown(d, &["items"], "a select with items ");
            let items = f.strings(d, "items", true, Some("item"))?;
            check_count(d, items.loc, items.v.len(), limits::MAX_LIST_LEN, "items");
            Some(SelectSrc::Items(items))
        }
        (true, false) => {
            f.deny_unknown(d, &["form", "per_objective"], "a select with a form ");
            let slot_s = f.string(d, "form", None)?;
            let slot = match slot_s.v.as_str() {
                "first" => FormSlot::First,
                "second" => FormSlot::Second,
                other => {
                    d.error(
                        slot_s.loc,
                        "invalid-value",
                        format!("`form` of the select of {what} is \"{other}\""),
                        "write form = \"first\" or form = \"second\": the form in the learner's crossover order; the journey's `forms` lists the forms themselves".into(),
                    );
                    return None;
                }
            };
            let per_objective = match f.integer(d, "per_objective") {
                Some(n) => match u8::try_from(n.v) {
                    Ok(k) if k > 0 => Some(Sp::new(k, n.loc)),
                    _ => {
                        d.error(
                            n.loc,
                            "invalid-number",
                            format!("per_objective of {what} is {}", n.v),
                            "use a number from 1 to 255, or leave per_objective out to take the whole form".into(),
                        );
                        None
                    }
                },
                None => None,
            };
            Some(SelectSrc::Form {
                loc,
                slot,
                per_objective,
            })
        }
    }
}

// ---------------------------------------------------------------------------- lessons.toml
