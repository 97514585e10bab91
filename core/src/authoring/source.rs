//! The source model: what `pack.toml`, `lessons.toml` and `items.toml` say, with places,
//! read from the TOML trees with every local check (types, unknown fields, ids, answer
//! keys). References between files are resolved later, in `build`.

use toml::de::{DeTable, DeValue};

use super::diag::{did_you_mean, Diags, Loc};
use super::read::{check_count, check_len, check_path, type_name, Fields, Id, Sp};
use crate::limits;
use crate::numerals::{normalize_answer, Numerals};
use crate::pack::journey::{FeedbackPolicy, FormSlot, PhaseKind};
use crate::pack::lesson::Ending;
use crate::pack::{Date, TranslationStatus, Version};

/// Reports the second and later uses of an id among `ids`.
pub(crate) fn check_duplicates<'a>(
    d: &mut Diags,
    ids: impl IntoIterator<Item = &'a Id>,
    what: &str,
    scope: &str,
) {
    let mut seen: std::collections::BTreeMap<&str, &Id> = std::collections::BTreeMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.v.as_str()) {
            let line = d
                .line_of(first.loc)
                .map_or(String::new(), |l| format!(" (first on line {l})"));
            d.error(
                id.loc,
                "duplicate-id",
                format!("{what} id '{}' is used twice{scope}{line}", id.v),
                format!("rename one of them: every {what}{scope} needs its own id"),
            );
        } else {
            seen.insert(id.v.as_str(), id);
        }
    }
}

/// Reads a field that takes one of a few words.
fn word<T: Copy>(
    d: &mut Diags,
    f: &Fields<'_, '_>,
    key: &str,
    choices: &[(&str, T)],
    required: bool,
) -> Option<Sp<T>> {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let example = format!("\"{}\"", names.first().copied().unwrap_or(""));
    let s = f.string(d, key, required.then_some(example.as_str()))?;
    match choices.iter().find(|(n, _)| *n == s.v) {
        Some((_, t)) => Some(Sp::new(*t, s.loc)),
        None => {
            let hint = did_you_mean(&s.v, names.iter().copied());
            d.error(
                s.loc,
                "invalid-value",
                format!("`{key}` of {} is \"{}\"{hint}", f.what, s.v),
                format!(
                    "`{key}` must be one of: {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            None
        }
    }
}

fn list_or_empty(v: Option<Sp<Vec<Id>>>) -> Vec<Id> {
    v.map(|l| l.v).unwrap_or_default()
}

fn to_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

// ------------------------------------------------------------------------------- pack.toml

/// `[pack]`.
#[derive(Debug, Default)]
pub(crate) struct MetaSrc {
    pub loc: Loc,
    pub id: Option<Id>,
    pub version: Option<Version>,
    pub authors: Vec<String>,
    pub licence: String,
    pub min_engine: Option<Sp<Version>>,
    pub default_language: Option<Sp<String>>,
    pub max_age_days: u16,
}

/// `[[language]]`.
#[derive(Debug)]
pub(crate) struct LanguageSrc {
    pub loc: Loc,
    pub tag: Sp<String>,
    pub name: String,
    pub status: TranslationStatus,
    pub numerals: Numerals,
}

/// `[[indicator]]`.
#[derive(Debug)]
pub(crate) struct IndicatorSrc {
    pub id: Id,
    pub items: Vec<Id>,
}

/// `[[resource]]`.
#[derive(Debug)]
pub(crate) struct ResourceSrc {
    pub id: Id,
    pub phone: String,
    pub verified: Option<Sp<Date>>,
}

/// `[[intake]]`.
#[derive(Debug)]
pub(crate) struct IntakeSrc {
    pub id: Id,
    pub options: Vec<Id>,
    pub required: bool,
}

/// `[[form]]`.
#[derive(Debug)]
pub(crate) struct FormSrc {
    pub id: Id,
    pub items: Vec<Id>,
}

/// `[card]`.
#[derive(Debug)]
pub(crate) struct CardSrc {
    pub loc: Loc,
    pub objectives: Vec<Id>,
    pub resources: Vec<Id>,
}

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

/// Everything `pack.toml` says.
#[derive(Debug, Default)]
pub(crate) struct PackSrc {
    pub meta: MetaSrc,
    pub languages: Vec<LanguageSrc>,
    pub objectives: Vec<Id>,
    pub indicators: Vec<IndicatorSrc>,
    pub resources: Vec<ResourceSrc>,
    pub intake: Vec<IntakeSrc>,
    pub forms: Vec<FormSrc>,
    pub card: Option<CardSrc>,
    pub journeys: Vec<JourneySrc>,
}

fn version(d: &mut Diags, f: &Fields<'_, '_>, key: &str, required: bool) -> Option<Sp<Version>> {
    let s = f.string(d, key, required.then_some("\"1.0.0\""))?;
    let v = Version::parse(&s.v);
    if v.is_none() {
        d.error(
            s.loc,
            "invalid-version",
            format!("`{key}` \"{}\" is not a version", s.v),
            "write it as three whole numbers (0 to 65535) separated by dots, e.g. \"1.0.0\"".into(),
        );
    }
    v.map(|v| Sp::new(v, s.loc))
}

/// Reads `pack.toml`.
pub(crate) fn read_pack(d: &mut Diags, file: usize, root: &DeTable<'_>) -> PackSrc {
    let top = Fields::new(root, Loc::new(file, 0), "pack.toml");
    top.deny_unknown(
        d,
        &[
            "pack",
            "language",
            "objective",
            "indicator",
            "resource",
            "intake",
            "form",
            "card",
            "journey",
        ],
        "pack.toml ",
    );
    let mut p = PackSrc::default();

    // [pack]
    match top.table(d, "pack") {
        Some((t, loc)) => {
            let f = Fields::new(t, loc, "[pack]");
            f.deny_unknown(
                d,
                &[
                    "id",
                    "version",
                    "authors",
                    "licence",
                    "min_engine",
                    "default_language",
                    "verification_max_age_days",
                ],
                "[pack] ",
            );
            p.meta.loc = loc;
            p.meta.id = f.id(d, "id", "pack");
            p.meta.version = version(d, &f, "version", true).map(|v| v.v);
            p.meta.min_engine = version(d, &f, "min_engine", false);
            p.meta.authors = list_or_empty(f.strings(d, "authors", false, None))
                .into_iter()
                .map(|a| a.v)
                .collect();
            if let Some(l) = f.string(d, "licence", None) {
                check_len(d, &l, "the licence");
                p.meta.licence = l.v;
            }
            p.meta.default_language = f.string(d, "default_language", Some("\"en\""));
            p.meta.max_age_days = 365;
            if let Some(n) = f.integer(d, "verification_max_age_days") {
                match u16::try_from(n.v) {
                    Ok(days) if days > 0 => p.meta.max_age_days = days,
                    _ => d.error(
                        n.loc,
                        "invalid-number",
                        format!("verification_max_age_days is {}", n.v),
                        "use a number of days from 1 to 65535, e.g. 365".into(),
                    ),
                }
            }
        }
        None => {
            if !top.has("pack") {
                d.error(
                    Loc::new(file, 0),
                    "missing-field",
                    "pack.toml has no [pack] table".into(),
                    "add a [pack] table with id, version and default_language (see docs/pack-format.md)"
                        .into(),
                );
            }
        }
    }

    // [[language]]
    for (t, loc) in top.tables(d, "language") {
        let f = Fields::new(t, loc, "[[language]]");
        f.deny_unknown(d, &["tag", "name", "status", "numerals"], "[[language]] ");
        let Some(tag) = f.string(d, "tag", Some("\"km\"")) else {
            continue;
        };
        let name = match f.string(d, "name", Some("\"ខ្មែរ\"")) {
            Some(n) => {
                check_len(d, &n, "the language name");
                n.v
            }
            None => String::new(),
        };
        let status = word(
            d,
            &f,
            "status",
            &[
                ("reviewed", TranslationStatus::Reviewed),
                ("draft", TranslationStatus::Draft),
            ],
            false,
        )
        .map_or(TranslationStatus::Draft, |s| s.v);
        let numerals = word(
            d,
            &f,
            "numerals",
            &[("latin", Numerals::Latin), ("khmer", Numerals::Khmer)],
            false,
        )
        .map_or(Numerals::Latin, |s| s.v);
        p.languages.push(LanguageSrc {
            loc,
            tag,
            name,
            status,
            numerals,
        });
    }

    // [[objective]]
    for (t, loc) in top.tables(d, "objective") {
        let f = Fields::new(t, loc, "[[objective]]");
        f.deny_unknown(d, &["id"], "[[objective]] ");
        if let Some(id) = f.id(d, "id", "objective") {
            p.objectives.push(id);
        }
    }

    // [[indicator]]
    for (t, loc) in top.tables(d, "indicator") {
        let f = Fields::new(t, loc, "[[indicator]]");
        f.deny_unknown(d, &["id", "items"], "[[indicator]] ");
        let Some(id) = f.id(d, "id", "indicator") else {
            continue;
        };
        let f = Fields::new(t, loc, format!("indicator '{}'", id.v));
        let items = f.strings(d, "items", true, Some("item"));
        if let Some(items) = &items {
            if items.v.is_empty() {
                d.error(
                    items.loc,
                    "empty-indicator",
                    format!("indicator '{}' has no items", id.v),
                    "list the items that must all be correct, e.g. items = [\"hotline-number\"]"
                        .into(),
                );
            }
            check_count(d, items.loc, items.v.len(), limits::MAX_LIST_LEN, "items");
        }
        p.indicators.push(IndicatorSrc {
            id,
            items: list_or_empty(items),
        });
    }

    // [[resource]]
    for (t, loc) in top.tables(d, "resource") {
        let f = Fields::new(t, loc, "[[resource]]");
        f.deny_unknown(d, &["id", "phone", "verified"], "[[resource]] ");
        let Some(id) = f.id(d, "id", "resource") else {
            continue;
        };
        let f = Fields::new(t, loc, format!("resource '{}'", id.v));
        let phone = match f.string(d, "phone", Some("\"1288\"")) {
            Some(ph) => {
                if ph.v.trim().is_empty() {
                    d.error(
                        ph.loc,
                        "invalid-value",
                        format!("the phone number of resource '{}' is empty", id.v),
                        "write the number as dialled, e.g. \"1288\"".into(),
                    );
                }
                check_len(d, &ph, "the phone number");
                ph.v
            }
            None => String::new(),
        };
        let verified = f.date(d, "verified", true);
        p.resources.push(ResourceSrc {
            id,
            phone,
            verified,
        });
    }

    // [[intake]]
    for (t, loc) in top.tables(d, "intake") {
        let f = Fields::new(t, loc, "[[intake]]");
        f.deny_unknown(d, &["id", "kind", "options", "required"], "[[intake]] ");
        let Some(id) = f.id(d, "id", "intake field") else {
            continue;
        };
        let f = Fields::new(t, loc, format!("intake field '{}'", id.v));
        let kind = word(d, &f, "kind", &[("choice", true), ("text", false)], true);
        let options = f.strings(d, "options", false, Some("intake option"));
        let required = f.boolean(d, "required").is_some_and(|b| b.v);
        let mut opts = Vec::new();
        match (kind.map(|k| k.v), options) {
            (Some(true), None) => d.error(
                f.key_loc("kind"),
                "missing-field",
                format!("intake field '{}' is a choice but has no `options`", id.v),
                "add options = [\"…\", \"…\"], or make it kind = \"text\"".into(),
            ),
            (Some(true), Some(o)) => {
                if o.v.len() < 2 {
                    d.error(
                        o.loc,
                        "too-few-options",
                        format!("intake field '{}' has fewer than 2 options", id.v),
                        "give a choice at least 2 options, or make it kind = \"text\"".into(),
                    );
                }
                check_count(d, o.loc, o.v.len(), limits::MAX_LIST_LEN, "options");
                check_duplicates(d, &o.v, "option", &format!(" in intake field '{}'", id.v));
                opts = o.v;
            }
            (Some(false), Some(o)) => d.error(
                o.loc,
                "unknown-field",
                format!("intake field '{}' is a text field but has `options`", id.v),
                "remove `options`, or make it kind = \"choice\"".into(),
            ),
            _ => {}
        }
        p.intake.push(IntakeSrc {
            id,
            options: opts,
            required,
        });
    }

    // [[form]]
    for (t, loc) in top.tables(d, "form") {
        let f = Fields::new(t, loc, "[[form]]");
        f.deny_unknown(d, &["id", "items"], "[[form]] ");
        let Some(id) = f.id(d, "id", "form") else {
            continue;
        };
        let f = Fields::new(t, loc, format!("form '{}'", id.v));
        let items = f.strings(d, "items", true, Some("item"));
        if let Some(items) = &items {
            if items.v.is_empty() {
                d.error(
                    items.loc,
                    "empty-form",
                    format!("form '{}' has no items", id.v),
                    "list its items, e.g. items = [\"broker-promise\", \"check-who\"]".into(),
                );
            }
            check_count(d, items.loc, items.v.len(), limits::MAX_LIST_LEN, "items");
            check_duplicates(d, &items.v, "item", &format!(" in form '{}'", id.v));
        }
        p.forms.push(FormSrc {
            id,
            items: list_or_empty(items),
        });
    }

    // [card]
    if let Some((t, loc)) = top.table(d, "card") {
        let f = Fields::new(t, loc, "[card]");
        f.deny_unknown(d, &["objectives", "resources"], "[card] ");
        let objectives = list_or_empty(f.strings(d, "objectives", false, Some("objective")));
        let resources = list_or_empty(f.strings(d, "resources", false, Some("resource")));
        p.card = Some(CardSrc {
            loc,
            objectives,
            resources,
        });
    }

    // [[journey]]
    for (t, loc) in top.tables(d, "journey") {
        if let Some(j) = read_journey(d, t, loc) {
            p.journeys.push(j);
        }
    }
    p
}

fn read_journey(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<JourneySrc> {
    let f = Fields::new(t, loc, "[[journey]]");
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
    let quiz_fields = ["select", "shuffle_items", "shuffle_options", "feedback"];
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
    let feedback = word(
        d,
        &f,
        "feedback",
        &[
            ("none", FeedbackPolicy::None),
            ("after-each", FeedbackPolicy::AfterEach),
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
    })
}

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

/// A lesson block.
#[derive(Debug)]
pub(crate) enum BlockSrc {
    Heading(Id),
    Paragraph(Id),
    List(Vec<Id>),
    Emphasis(Id),
    KeyMessage(Id),
    Image { src: Sp<String>, alt: Id },
    Story(Id),
    Resource(Id),
}

/// A page.
#[derive(Debug)]
pub(crate) struct PageSrc {
    pub blocks: Vec<BlockSrc>,
}

/// `[[lesson]]`.
#[derive(Debug)]
pub(crate) struct LessonSrc {
    pub id: Id,
    pub objectives: Vec<Id>,
    pub pages: Vec<PageSrc>,
}

/// A story choice.
#[derive(Debug)]
pub(crate) struct ChoiceSrc {
    pub id: Id,
    pub next: Option<Id>,
}

/// `[[story.node]]`.
#[derive(Debug)]
pub(crate) struct NodeSrc {
    pub id: Id,
    pub image: Option<Sp<String>>,
    pub choices: Vec<ChoiceSrc>,
    pub ending: Option<Ending>,
}

/// `[[story]]`.
#[derive(Debug)]
pub(crate) struct StorySrc {
    pub id: Id,
    pub loc: Loc,
    pub start: Option<Id>,
    pub objectives: Vec<Id>,
    pub nodes: Vec<NodeSrc>,
}

/// Everything `lessons.toml` says.
#[derive(Debug, Default)]
pub(crate) struct LessonsSrc {
    pub lessons: Vec<LessonSrc>,
    pub stories: Vec<StorySrc>,
}

const BLOCK_KINDS: [&str; 8] = [
    "heading",
    "paragraph",
    "list",
    "emphasis",
    "key_message",
    "image",
    "story",
    "resource",
];

/// Reads `lessons.toml`.
pub(crate) fn read_lessons(d: &mut Diags, file: usize, root: &DeTable<'_>) -> LessonsSrc {
    let top = Fields::new(root, Loc::new(file, 0), "lessons.toml");
    top.deny_unknown(d, &["lesson", "story"], "lessons.toml ");
    let mut out = LessonsSrc::default();
    for (t, loc) in top.tables(d, "lesson") {
        let f = Fields::new(t, loc, "[[lesson]]");
        f.deny_unknown(d, &["id", "objectives", "page"], "[[lesson]] ");
        let Some(id) = f.id(d, "id", "lesson") else {
            continue;
        };
        let f = Fields::new(t, loc, format!("lesson '{}'", id.v));
        let objectives = list_or_empty(f.strings(d, "objectives", false, Some("objective")));
        let mut pages = Vec::new();
        for (pt, ploc) in f.tables(d, "page") {
            let pf = Fields::new(pt, ploc, format!("a page of lesson '{}'", id.v));
            pf.deny_unknown(d, &["blocks"], "a [[lesson.page]] ");
            let mut blocks = Vec::new();
            let raw = pf.tables(d, "blocks");
            if raw.is_empty() {
                d.error(
                    ploc,
                    "empty-page",
                    format!("page {} of lesson '{}' has no blocks", pages.len() + 1, id.v),
                    "add blocks = [ { heading = \"…\" }, { paragraph = \"…\" } ], or remove the page".into(),
                );
            }
            check_count(d, ploc, raw.len(), limits::MAX_LIST_LEN, "blocks");
            for (bt, bloc) in raw {
                if let Some(b) = read_block(d, bt, bloc, &id.v) {
                    blocks.push(b);
                }
            }
            pages.push(PageSrc { blocks });
        }
        if pages.is_empty() {
            d.error(
                loc,
                "empty-lesson",
                format!("lesson '{}' has no pages", id.v),
                "add a [[lesson.page]] with blocks after it".into(),
            );
        }
        check_count(d, loc, pages.len(), limits::MAX_LIST_LEN, "pages");
        out.lessons.push(LessonSrc {
            id,
            objectives,
            pages,
        });
    }
    for (t, loc) in top.tables(d, "story") {
        if let Some(s) = read_story(d, t, loc) {
            out.stories.push(s);
        }
    }
    out
}

fn read_block(d: &mut Diags, t: &DeTable<'_>, loc: Loc, lesson: &str) -> Option<BlockSrc> {
    let f = Fields::new(t, loc, format!("a block of lesson '{lesson}'"));
    let kinds: Vec<&str> = BLOCK_KINDS.iter().copied().filter(|k| f.has(k)).collect();
    let help = "write each block as exactly one of { heading = \"key\" }, { paragraph = \"key\" }, { list = [\"key\", …] }, { emphasis = \"key\" }, { key_message = \"objective\" }, { image = \"path\", alt = \"key\" }, { story = \"story\" }, { resource = \"resource\" }";
    let [kind] = kinds.as_slice() else {
        let found = if kinds.is_empty() {
            "no block kind".to_string()
        } else {
            format!("several block kinds ({})", kinds.join(", "))
        };
        let extra = t
            .iter()
            .map(|(k, _)| k.get_ref().as_ref())
            .find(|k| !BLOCK_KINDS.contains(k) && *k != "alt")
            .map_or(String::new(), |k| {
                format!(", and `{k}`{}", did_you_mean(k, BLOCK_KINDS))
            });
        d.error(
            loc,
            "invalid-block",
            format!("a block of lesson '{lesson}' has {found}{extra}"),
            help.into(),
        );
        return None;
    };
    let kind = *kind;
    if kind == "image" {
        f.deny_unknown(d, &["image", "alt"], "an image block ");
    } else {
        f.deny_unknown(d, &[kind], &format!("a {kind} block "));
    }
    let key = |d: &mut Diags, what: &str| f.id(d, kind, what);
    Some(match kind {
        "heading" => BlockSrc::Heading(key(d, "string key")?),
        "paragraph" => BlockSrc::Paragraph(key(d, "string key")?),
        "emphasis" => BlockSrc::Emphasis(key(d, "string key")?),
        "key_message" => BlockSrc::KeyMessage(key(d, "objective")?),
        "story" => BlockSrc::Story(key(d, "story")?),
        "resource" => BlockSrc::Resource(key(d, "resource")?),
        "list" => {
            let l = f.strings(d, "list", true, Some("string key"))?;
            if l.v.is_empty() {
                d.error(
                    l.loc,
                    "empty-list",
                    format!("a list block of lesson '{lesson}' is empty"),
                    "add entries, e.g. list = [\"step1\", \"step2\"], or remove the block".into(),
                );
            }
            check_count(d, l.loc, l.v.len(), limits::MAX_LIST_LEN, "list entries");
            BlockSrc::List(l.v)
        }
        _ => {
            let src = f.string(d, "image", None)?;
            check_path(d, &src, "image");
            let alt = f.id(d, "alt", "alternative text key")?;
            BlockSrc::Image { src, alt }
        }
    })
}

fn read_story(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<StorySrc> {
    let f = Fields::new(t, loc, "[[story]]");
    f.deny_unknown(d, &["id", "start", "objectives", "node"], "[[story]] ");
    let id = f.id(d, "id", "story")?;
    let f = Fields::new(t, loc, format!("story '{}'", id.v));
    let start = f.string(d, "start", Some("\"first-node-id\""));
    let objectives = list_or_empty(f.strings(d, "objectives", false, Some("objective")));
    let mut nodes = Vec::new();
    for (nt, nloc) in f.tables(d, "node") {
        let nf = Fields::new(nt, nloc, format!("a node of story '{}'", id.v));
        nf.deny_unknown(
            d,
            &["id", "choices", "ending", "image"],
            "a [[story.node]] ",
        );
        let Some(nid) = nf.id(d, "id", "story node") else {
            continue;
        };
        let nf = Fields::new(nt, nloc, format!("node '{}' of story '{}'", nid.v, id.v));
        let ending = word(
            d,
            &nf,
            "ending",
            &[
                ("safe", Ending::Safe),
                ("unsafe", Ending::Unsafe),
                ("neutral", Ending::Neutral),
            ],
            false,
        );
        let image = nf.string(d, "image", None);
        if let Some(img) = &image {
            check_path(d, img, "image");
        }
        let mut choices = Vec::new();
        let raw = nf.tables(d, "choices");
        for (ct, cloc) in &raw {
            let cf = Fields::new(
                ct,
                *cloc,
                format!("a choice of node '{}' of story '{}'", nid.v, id.v),
            );
            cf.deny_unknown(d, &["id", "next"], "a story choice ");
            let Some(cid) = cf.id(d, "id", "story choice") else {
                continue;
            };
            let next = cf.string(d, "next", Some("\"node-id\""));
            choices.push(ChoiceSrc { id: cid, next });
        }
        check_count(
            d,
            nf.key_loc("choices"),
            raw.len(),
            limits::MAX_OPTIONS,
            "choices",
        );
        check_duplicates(
            d,
            choices.iter().map(|c| &c.id),
            "choice",
            &format!(" in node '{}' of story '{}'", nid.v, id.v),
        );
        match (&ending, choices.is_empty()) {
            (Some(e), false) => d.error(
                e.loc,
                "ending-with-choices",
                format!(
                    "node '{}' of story '{}' is an ending but also has choices",
                    nid.v, id.v
                ),
                "remove `ending` to let the story go on, or remove `choices` to end it here"
                    .into(),
            ),
            (None, true) if !nf.has("ending") => d.error(
                nloc,
                "dead-end",
                format!(
                    "node '{}' of story '{}' has no choices and is not an ending",
                    nid.v, id.v
                ),
                "add choices = [ { id = \"…\", next = \"node\" } ], or mark it as an ending with ending = \"safe\", \"unsafe\" or \"neutral\"".into(),
            ),
            _ => {}
        }
        nodes.push(NodeSrc {
            id: nid,
            image,
            choices,
            ending: ending.map(|e| e.v),
        });
    }
    if nodes.is_empty() {
        d.error(
            loc,
            "empty-story",
            format!("story '{}' has no nodes", id.v),
            "add [[story.node]] tables after it".into(),
        );
    }
    check_count(d, loc, nodes.len(), limits::MAX_LIST_LEN, "nodes");
    check_duplicates(
        d,
        nodes.iter().map(|n| &n.id),
        "node",
        &format!(" in story '{}'", id.v),
    );
    Some(StorySrc {
        id,
        loc,
        start,
        objectives,
        nodes,
    })
}

// ------------------------------------------------------------------------------ items.toml

/// An item's kind with its option ids and resolved answer key.
#[derive(Debug)]
pub(crate) enum KindSrc {
    Single {
        options: Vec<Id>,
        correct: u16,
    },
    Multiple {
        options: Vec<Id>,
        correct: Vec<u16>,
    },
    TrueFalse(bool),
    Ordering {
        steps: Vec<Id>,
    },
    Matching {
        left: Vec<Id>,
        right: Vec<Id>,
        pairs: Vec<u16>,
    },
    Text {
        accept: Vec<String>,
    },
    Numeric {
        value: f64,
        tolerance: f64,
    },
    Likert {
        scale: Vec<Id>,
    },
}

/// `[[item]]`.
#[derive(Debug)]
pub(crate) struct ItemSrc {
    pub id: Id,
    pub objectives: Vec<Id>,
    /// `None` when the type or key is broken (already reported).
    pub kind: Option<KindSrc>,
}

const ITEM_TYPES: [&str; 8] = [
    "single",
    "multiple",
    "true-false",
    "ordering",
    "matching",
    "text",
    "numeric",
    "likert",
];

/// Reads `items.toml`.
pub(crate) fn read_items(d: &mut Diags, file: usize, root: &DeTable<'_>) -> Vec<ItemSrc> {
    let top = Fields::new(root, Loc::new(file, 0), "items.toml");
    top.deny_unknown(d, &["item"], "items.toml ");
    let mut out = Vec::new();
    for (t, loc) in top.tables(d, "item") {
        let f = Fields::new(t, loc, "[[item]]");
        let Some(id) = f.id(d, "id", "item") else {
            f.deny_unknown(
                d,
                &[
                    "id",
                    "objectives",
                    "type",
                    "options",
                    "answer",
                    "steps",
                    "left",
                    "right",
                    "pairs",
                    "accept",
                    "tolerance",
                    "scale",
                ],
                "an [[item]] ",
            );
            continue;
        };
        let f = Fields::new(t, loc, format!("item '{}'", id.v));
        let objectives = list_or_empty(f.strings(d, "objectives", false, Some("objective")));
        check_duplicates(
            d,
            &objectives,
            "objective",
            &format!(" in the objectives of item '{}'", id.v),
        );
        let kind = read_kind(d, &f, &id);
        out.push(ItemSrc {
            id,
            objectives,
            kind,
        });
    }
    out
}

/// Reads a list of option ids (`options`, `steps`, `left`, `right`, `scale`), checking its
/// size.
fn option_list(d: &mut Diags, f: &Fields<'_, '_>, key: &str, min: usize) -> Option<Sp<Vec<Id>>> {
    let l = f.strings(d, key, true, Some("option"))?;
    check_count(d, l.loc, l.v.len(), limits::MAX_OPTIONS, key);
    if l.v.len() < min {
        d.error(
            l.loc,
            "too-few-options",
            format!("{} has {} `{key}`, fewer than {min}", f.what, l.v.len()),
            format!("give it at least {min} {key}"),
        );
    }
    Some(l)
}

fn index_of(options: &[Id], s: &str) -> Option<u16> {
    options.iter().position(|o| o.v == s).map(to_u16)
}

fn not_an_option(d: &mut Diags, f: &Fields<'_, '_>, ans: &Sp<String>, options: &[Id]) {
    let hint = did_you_mean(&ans.v, options.iter().map(|o| o.v.as_str()));
    d.error(
        ans.loc,
        "answer-not-an-option",
        format!(
            "the answer \"{}\" of {} is not one of its options{hint}",
            ans.v, f.what
        ),
        format!(
            "the answer must be one of the option ids: {}",
            options
                .iter()
                .map(|o| format!("\"{}\"", o.v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
}

fn read_kind(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let ty = word(d, f, "type", &ITEM_TYPES.map(|t| (t, t)), true);
    let common = ["id", "objectives", "type"];
    let allowed: &[&str] = match ty.as_ref().map(|t| t.v) {
        Some("single") | Some("multiple") => &["options", "answer"],
        Some("true-false") => &["answer"],
        Some("ordering") => &["steps"],
        Some("matching") => &["left", "right", "pairs"],
        Some("text") => &["accept"],
        Some("numeric") => &["answer", "tolerance"],
        Some("likert") => &["scale"],
        _ => &[
            "options",
            "answer",
            "steps",
            "left",
            "right",
            "pairs",
            "accept",
            "tolerance",
            "scale",
        ],
    };
    let all: Vec<&str> = common.iter().chain(allowed).copied().collect();
    let context = match &ty {
        Some(t) => format!("a {} item ", t.v),
        None => "an item ".to_string(),
    };
    f.deny_unknown(d, &all, &context);
    let ty = ty?.v;
    let kind = match ty {
        "single" => {
            let options = option_list(d, f, "options", 2)?;
            check_duplicates(d, &options.v, "option", &format!(" in item '{}'", id.v));
            let Some(raw) = f.raw("answer") else {
                d.error(
                    f.loc,
                    "missing-field",
                    format!("{} has no `answer`", f.what),
                    "add answer = \"<the id of the right option>\"".into(),
                );
                return None;
            };
            let DeValue::String(s) = raw.get_ref() else {
                d.error(
                    Loc::new(f.loc.file, raw.span().start),
                    "wrong-type",
                    format!(
                        "the answer of single-choice {} is {}, but it must be the id of the right option",
                        f.what,
                        type_name(raw.get_ref())
                    ),
                    "write answer = \"<option id>\" (for several right options use type = \"multiple\")".into(),
                );
                return None;
            };
            let ans = Sp::new(s.to_string(), Loc::new(f.loc.file, raw.span().start));
            let Some(correct) = index_of(&options.v, &ans.v) else {
                not_an_option(d, f, &ans, &options.v);
                return None;
            };
            KindSrc::Single {
                options: options.v,
                correct,
            }
        }
        "multiple" => {
            let options = option_list(d, f, "options", 2)?;
            check_duplicates(d, &options.v, "option", &format!(" in item '{}'", id.v));
            let answers = match f.raw("answer").map(|v| v.get_ref()) {
                Some(DeValue::String(_)) => {
                    let s = f.string(d, "answer", None)?;
                    Sp::new(vec![s.clone()], s.loc)
                }
                _ => f.strings(d, "answer", true, None)?,
            };
            let mut correct = Vec::new();
            let mut ok = true;
            for a in &answers.v {
                match index_of(&options.v, &a.v) {
                    Some(i) if correct.contains(&i) => {
                        d.error(
                            a.loc,
                            "duplicate-answer",
                            format!("the answer of {} lists \"{}\" twice", f.what, a.v),
                            "list each right option once".into(),
                        );
                    }
                    Some(i) => correct.push(i),
                    None => {
                        not_an_option(d, f, a, &options.v);
                        ok = false;
                    }
                }
            }
            if answers.v.is_empty() {
                d.error(
                    answers.loc,
                    "no-right-option",
                    format!("multiple-response {} has no right option", f.what),
                    "list the right options, e.g. answer = [\"passport\", \"visa\"]".into(),
                );
                return None;
            }
            if !ok {
                return None;
            }
            correct.sort_unstable();
            KindSrc::Multiple {
                options: options.v,
                correct,
            }
        }
        "true-false" => {
            let Some(raw) = f.raw("answer") else {
                d.error(
                    f.loc,
                    "missing-field",
                    format!("{} has no `answer`", f.what),
                    "add answer = true or answer = false".into(),
                );
                return None;
            };
            match raw.get_ref() {
                DeValue::Boolean(b) => KindSrc::TrueFalse(*b),
                other => {
                    let quoted = matches!(other, DeValue::String(s) if s == "true" || s == "false");
                    d.error(
                        Loc::new(f.loc.file, raw.span().start),
                        "wrong-type",
                        format!(
                            "the answer of true/false {} is {}, but it must be true or false",
                            f.what,
                            type_name(other)
                        ),
                        if quoted {
                            "write true or false without quotes".into()
                        } else {
                            "write answer = true or answer = false".into()
                        },
                    );
                    return None;
                }
            }
        }
        "ordering" => {
            let steps = option_list(d, f, "steps", 2)?;
            check_duplicates(d, &steps.v, "step", &format!(" in item '{}'", id.v));
            KindSrc::Ordering { steps: steps.v }
        }
        "matching" => read_matching(d, f, id)?,
        "text" => {
            let accept = f.strings(d, "accept", false, None);
            let accept: Vec<String> = accept
                .map(|a| a.v)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| {
                    let n = normalize_answer(&a.v);
                    if n.is_empty() {
                        d.error(
                            a.loc,
                            "no-accepted-answer",
                            format!("an accepted answer of {} is empty", f.what),
                            "remove the empty answer".into(),
                        );
                        None
                    } else {
                        Some(n)
                    }
                })
                .collect();
            KindSrc::Text { accept }
        }
        "numeric" => {
            let value = f.number(d, "answer", Some("1288"))?;
            let tolerance = match f.number(d, "tolerance", None) {
                Some(t) if t.v < 0.0 => {
                    d.error(
                        t.loc,
                        "invalid-number",
                        format!("the tolerance of {} is negative", f.what),
                        "use 0 for an exact answer, or a positive allowed difference".into(),
                    );
                    0.0
                }
                Some(t) => t.v,
                None => 0.0,
            };
            KindSrc::Numeric {
                value: value.v,
                tolerance,
            }
        }
        _ => {
            let scale = f.strings(d, "scale", true, Some("scale point"))?;
            if scale.v.len() < 2 || scale.v.len() > 7 {
                d.error(
                    scale.loc,
                    "likert-scale",
                    format!(
                        "the Likert scale of {} has {} point{}",
                        f.what,
                        scale.v.len(),
                        if scale.v.len() == 1 { "" } else { "s" }
                    ),
                    "give a Likert scale 2 to 7 points, lowest first, e.g. [\"disagree\", \"unsure\", \"agree\"]".into(),
                );
            }
            check_duplicates(d, &scale.v, "scale point", &format!(" in item '{}'", id.v));
            KindSrc::Likert { scale: scale.v }
        }
    };
    Some(kind)
}

fn read_matching(d: &mut Diags, f: &Fields<'_, '_>, id: &Id) -> Option<KindSrc> {
    let left = option_list(d, f, "left", 1);
    let right = option_list(d, f, "right", 1);
    if let (Some(l), Some(r)) = (&left, &right) {
        check_duplicates(
            d,
            l.v.iter().chain(&r.v),
            "entry",
            &format!(
                " in item '{}' (left and right entries share the keys item.{}.options.<entry>)",
                id.v, id.v
            ),
        );
    }
    let (left, right) = (left?, right?);
    let Some((pt, ploc)) = f.table(d, "pairs") else {
        if !f.has("pairs") {
            d.error(
                f.loc,
                "missing-field",
                format!("matching {} has no `pairs`", f.what),
                "add pairs = { <left> = \"<right>\", … } with one pair per left entry".into(),
            );
        }
        return None;
    };
    let mut pairs: Vec<Option<u16>> = vec![None; left.v.len()];
    let mut ok = true;
    for (k, v) in pt.iter() {
        let kloc = Loc::new(f.loc.file, k.span().start);
        let key = k.get_ref().as_ref();
        let Some(li) = left.v.iter().position(|l| l.v == key) else {
            let hint = did_you_mean(key, left.v.iter().map(|l| l.v.as_str()));
            d.error(
                kloc,
                "matching-pairs",
                format!(
                    "the pairs of {} name '{key}', which is not a left entry{hint}",
                    f.what
                ),
                "each key of `pairs` must be an entry of `left`".into(),
            );
            ok = false;
            continue;
        };
        let vloc = Loc::new(f.loc.file, v.span().start);
        let DeValue::String(target) = v.get_ref() else {
            d.error(
                vloc,
                "wrong-type",
                format!(
                    "the pair of '{key}' in {} is {}",
                    f.what,
                    type_name(v.get_ref())
                ),
                "write the right entry's id in quotes".into(),
            );
            ok = false;
            continue;
        };
        match index_of(&right.v, target) {
            Some(ri) => {
                if let Some(slot) = pairs.get_mut(li) {
                    *slot = Some(ri);
                }
            }
            None => {
                let hint = did_you_mean(target, right.v.iter().map(|r| r.v.as_str()));
                d.error(
                    vloc,
                    "matching-pairs",
                    format!(
                        "the pair of '{key}' in {} is '{target}', which is not a right entry{hint}",
                        f.what
                    ),
                    "each value of `pairs` must be an entry of `right`".into(),
                );
                ok = false;
            }
        }
    }
    for (l, p) in left.v.iter().zip(&pairs) {
        if p.is_none() {
            d.error(
                ploc,
                "matching-pairs",
                format!("the pairs of {} do not match left entry '{}'", f.what, l.v),
                format!("add {} = \"<right entry>\" to `pairs`", l.v),
            );
        }
    }
    if !ok || pairs.iter().any(Option::is_none) {
        return None;
    }
    Some(KindSrc::Matching {
        left: left.v,
        right: right.v,
        pairs: pairs.into_iter().flatten().collect(),
    })
}
