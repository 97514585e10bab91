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
        match LanguageTag::parse(&l.tag.v) {
            Err(_) => d.error(
                l.tag.loc,
                "invalid-language-tag",
                format!("'{}' is not a valid BCP 47 language tag", l.tag.v),
                "use a tag such as \"km\", \"en\" or \"km-KH\" (language, then optional region)"
                    .into(),
            ),
            Ok(tag) => warn_tag_form(d, l.tag.loc, &l.tag.v, &tag),
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

/// Country codes of the region that are easily written where a language code belongs, with
/// the language meant: Myanmar (MM) speaks Burmese (`my`), Cambodia (KH) Khmer (`km`), Laos
/// (LA) Lao (`lo`; `la` is Latin), Vietnam (VN) Vietnamese (`vi`), China (CN) Chinese
/// (`zh`), Japan (JP) Japanese (`ja`), Korea (KR) Korean (`ko`), Bangladesh (BD) Bengali
/// (`bn`), Nepal (NP) Nepali (`ne`), Pakistan (PK) Urdu (`ur`).
const COUNTRY_NOT_LANGUAGE: [(&str, &str, &str); 10] = [
    ("mm", "my", "Myanmar's country code; Burmese is"),
    ("kh", "km", "Cambodia's country code; Khmer is"),
    ("la", "lo", "Latin; if Lao is meant (Laos is LA), Lao is"),
    ("vn", "vi", "Vietnam's country code; Vietnamese is"),
    ("cn", "zh", "China's country code; Chinese is"),
    ("jp", "ja", "Japan's country code; Japanese is"),
    ("kr", "ko", "Korea's country code; Korean is"),
    ("bd", "bn", "Bangladesh's country code; Bengali is"),
    ("np", "ne", "Nepal's country code; Nepali is"),
    ("pk", "ur", "Pakistan's country code; Urdu is"),
];

/// Warns about a tag that parses but is probably not what the author meant: `_` instead of
/// `-` (`my_MM`), or a country code where the language belongs (`mm`).
fn warn_tag_form(d: &mut Diags, loc: Loc, written: &str, tag: &LanguageTag) {
    let canonical = tag.as_string();
    if written.contains('_') {
        d.warn(
            loc,
            "language-tag-form",
            format!("language tag '{written}' uses '_'; BCP 47 separates subtags with '-'"),
            format!("did you mean \"{canonical}\"?"),
        );
    }
    let language = tag.language();
    if let Some((_, meant, what)) = COUNTRY_NOT_LANGUAGE
        .iter()
        .find(|(code, _, _)| *code == language)
    {
        let suggestion = canonical.replacen(language, meant, 1);
        d.warn(
            loc,
            "language-tag-country",
            format!("'{language}' in language tag '{written}' is {what} '{meant}'"),
            format!("did you mean \"{suggestion}\"? (language first, then an optional region such as \"{meant}-{}\")", language.to_uppercase()),
        );
    }
}
