//! `pack.toml`: the pack's metadata, languages, objectives, indicators, resources, intake
//! fields, forms and reference card (its journeys are read in [`super::journeys`]).

use toml::de::DeTable;

use super::journeys::{read_journey, JourneySrc};
use super::{check_duplicates, list_or_empty, version, word};
use crate::authoring::diag::{Diags, Loc};
use crate::authoring::read::{check_count, check_len, Fields, Id, Sp};
use crate::limits;
use crate::numerals::Numerals;
use crate::pack::{Date, TranslationStatus, Version};

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
    match top.table(d, "pack") {
        Some((t, loc)) => p.meta = read_meta(d, t, loc),
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
    for (t, loc) in top.tables(d, "language") {
        p.languages.extend(read_language(d, t, loc));
    }
    for (t, loc) in top.tables(d, "objective") {
        let mut f = Fields::new(t, loc, "[[objective]]");
        if let Some(id) = f.raw_id().map(str::to_string) {
            f = f.with_strings(format!("objective.{id}"));
        }
        f.deny_unknown(d, &["id"], "[[objective]] ");
        p.objectives.extend(f.id(d, "id", "objective"));
    }
    for (t, loc) in top.tables(d, "indicator") {
        p.indicators.extend(read_indicator(d, t, loc));
    }
    for (t, loc) in top.tables(d, "resource") {
        p.resources.extend(read_resource(d, t, loc));
    }
    for (t, loc) in top.tables(d, "intake") {
        p.intake.extend(read_intake(d, t, loc));
    }
    for (t, loc) in top.tables(d, "form") {
        p.forms.extend(read_form(d, t, loc));
    }
    if let Some((t, loc)) = top.table(d, "card") {
        p.card = Some(read_card(d, t, loc));
    }
    for (t, loc) in top.tables(d, "journey") {
        p.journeys.extend(read_journey(d, t, loc));
    }
    p
}

/// Reads `[pack]`.
fn read_meta(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> MetaSrc {
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
    let mut meta = MetaSrc {
        loc,
        ..MetaSrc::default()
    };
    meta.id = f.id(d, "id", "pack");
    meta.version = version(d, &f, "version", true).map(|v| v.v);
    meta.min_engine = version(d, &f, "min_engine", false);
    meta.authors = list_or_empty(f.strings(d, "authors", false, None))
        .into_iter()
        .map(|a| a.v)
        .collect();
    if let Some(l) = f.string(d, "licence", None) {
        check_len(d, &l, "the licence");
        meta.licence = l.v;
    }
    meta.default_language = f.string(d, "default_language", Some("\"en\""));
    meta.max_age_days = 365;
    if let Some(n) = f.integer(d, "verification_max_age_days") {
        match u16::try_from(n.v) {
            Ok(days) if days > 0 => meta.max_age_days = days,
            _ => d.error(
                n.loc,
                "invalid-number",
                format!("verification_max_age_days is {}", n.v),
                "use a number of days from 1 to 65535, e.g. 365".into(),
            ),
        }
    }
    meta
}

/// Reads a `[[language]]`.
fn read_language(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<LanguageSrc> {
    let f = Fields::new(t, loc, "[[language]]");
    f.deny_unknown(d, &["tag", "name", "status", "numerals"], "[[language]] ");
    let tag = f.string(d, "tag", Some("\"km\""))?;
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
    // CLDR names (`latn`, `khmr`, `mymr`, …) and the first release's `latin` and `khmer`.
    let numeral_names: Vec<(&str, Numerals)> =
        [("latin", Numerals::Latin), ("khmer", Numerals::Khmer)]
            .into_iter()
            .chain(Numerals::ALL.iter().map(|&n| (n.cldr_name(), n)))
            .collect();
    let numerals = word(d, &f, "numerals", &numeral_names, false).map_or(Numerals::Latin, |s| s.v);
    Some(LanguageSrc {
        loc,
        tag,
        name,
        status,
        numerals,
    })
}

/// Reads an `[[indicator]]`.
fn read_indicator(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<IndicatorSrc> {
    let f = Fields::new(t, loc, "[[indicator]]");
    f.deny_unknown(d, &["id", "items"], "[[indicator]] ");
    let id = f.id(d, "id", "indicator")?;
    let f = Fields::new(t, loc, format!("indicator '{}'", id.v));
    let items = f.strings(d, "items", true, Some("item"));
    if let Some(items) = &items {
        if items.v.is_empty() {
            d.error(
                items.loc,
                "empty-indicator",
                format!("indicator '{}' has no items", id.v),
                "list the items that must all be correct, e.g. items = [\"hotline-number\"]".into(),
            );
        }
        check_count(d, items.loc, items.v.len(), limits::MAX_LIST_LEN, "items");
    }
    Some(IndicatorSrc {
        id,
        items: list_or_empty(items),
    })
}

/// Reads a `[[resource]]`.
fn read_resource(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<ResourceSrc> {
    let f = Fields::new(t, loc, "[[resource]]");
    f.deny_unknown(d, &["id", "phone", "verified"], "[[resource]] ");
    let id = f.id(d, "id", "resource")?;
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
    Some(ResourceSrc {
        id,
        phone,
        verified,
    })
}

/// Reads an `[[intake]]` field.
fn read_intake(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<IntakeSrc> {
    let f = Fields::new(t, loc, "[[intake]]");
    f.deny_unknown(d, &["id", "kind", "options", "required"], "[[intake]] ");
    let id = f.id(d, "id", "intake field")?;
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
    Some(IntakeSrc {
        id,
        options: opts,
        required,
    })
}

/// Reads a `[[form]]`.
fn read_form(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<FormSrc> {
    let f = Fields::new(t, loc, "[[form]]");
    f.deny_unknown(d, &["id", "items"], "[[form]] ");
    let id = f.id(d, "id", "form")?;
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
    Some(FormSrc {
        id,
        items: list_or_empty(items),
    })
}

/// Reads `[card]`.
fn read_card(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> CardSrc {
    let f = Fields::new(t, loc, "[card]");
    f.deny_unknown(d, &["objectives", "resources"], "[card] ");
    let objectives = list_or_empty(f.strings(d, "objectives", false, Some("objective")));
    let resources = list_or_empty(f.strings(d, "resources", false, Some("resource")));
    CardSrc {
        loc,
        objectives,
        resources,
    }
}
