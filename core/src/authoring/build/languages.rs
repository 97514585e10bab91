//! The `[[language]]` list and `default_language`.

use crate::authoring::diag::{did_you_mean, Diags, Loc};
use crate::authoring::read::check_count;
use crate::authoring::source::{check_duplicates, PackSrc};
use crate::language::LanguageTag;
use crate::limits;
use crate::pack::PackLanguage;

/// Checks the `[[language]]` list and `default_language`; returns the compiled languages and
/// the default's index.
pub(super) fn check_languages(
    d: &mut Diags,
    src: &PackSrc,
    pack_file: usize,
) -> (Vec<PackLanguage>, usize) {
    let mut out = Vec::new();
    for l in &src.languages {
        if LanguageTag::parse(&l.tag.v).is_err() {
            d.error(
                l.tag.loc,
                "invalid-language-tag",
                format!("'{}' is not a valid BCP 47 language tag", l.tag.v),
                "use a tag such as \"km\", \"en\" or \"km-KH\" (language, then optional region)"
                    .into(),
            );
        }
        out.push(PackLanguage {
            tag: l.tag.v.clone(),
            name: l.name.clone(),
            status: l.status,
            numerals: l.numerals,
        });
    }
    check_duplicates(d, src.languages.iter().map(|l| &l.tag), "language", "");
    if src.languages.is_empty() && src.meta.default_language.is_some() {
        d.error(
            Loc::file(pack_file),
            "no-languages",
            "pack.toml declares no [[language]]".into(),
            "add a [[language]] table with tag, name and status for each language, first language first".into(),
        );
    }
    if let Some(first) = src.languages.get(limits::MAX_LANGUAGES) {
        check_count(
            d,
            first.loc,
            src.languages.len(),
            limits::MAX_LANGUAGES,
            "languages",
        );
    }
    let mut default = 0;
    if let Some(dl) = &src.meta.default_language {
        match src.languages.iter().position(|l| same_tag(&l.tag.v, &dl.v)) {
            Some(i) => default = i,
            None if !src.languages.is_empty() => {
                let tags: Vec<&str> = src.languages.iter().map(|l| l.tag.v.as_str()).collect();
                d.error(
                    dl.loc,
                    "unknown-default-language",
                    format!(
                        "default_language \"{}\" is not one of the pack's languages ({}){}",
                        dl.v,
                        tags.join(", "),
                        did_you_mean(&dl.v, tags.iter().copied())
                    ),
                    "set default_language to the tag of one of the [[language]] tables, or add that language".into(),
                );
            }
            None => {}
        }
    }
    (out, default)
}

/// Whether two language tags are the same tag, or mean the same language.
pub(super) fn same_tag(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (LanguageTag::parse(a), LanguageTag::parse(b)),
            (Ok(x), Ok(y)) if x == y
        )
}
