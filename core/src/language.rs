//! Language tags and the negotiation of a host's preferred languages against a pack's.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use icu_locale_core::LanguageIdentifier;

/// A BCP 47 language identifier such as `km`, `km-KH` or `en-GB`.
///
/// A thin newtype over ICU4X's [`LanguageIdentifier`] so the core stays `no_std`; with the
/// `std` feature it converts from and to `unic_langid::LanguageIdentifier` for hosts that
/// already use unic-langid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguageTag(pub LanguageIdentifier);

/// A string that is not a valid BCP 47 language identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{tag}' is not a valid language tag (expected BCP 47, e.g. \"km\" or \"en-GB\")")]
pub struct InvalidLanguageTag {
    /// The rejected input.
    pub tag: String,
}

impl LanguageTag {
    /// Parses a BCP 47 tag (`_` is accepted in place of `-`).
    pub fn parse(tag: &str) -> Result<Self, InvalidLanguageTag> {
        LanguageIdentifier::try_from_str(&tag.replace('_', "-"))
            .map(LanguageTag)
            .map_err(|_| InvalidLanguageTag {
                tag: tag.to_string(),
            })
    }

    /// The primary language subtag, e.g. `km` for `km-KH`.
    pub fn language(&self) -> &str {
        self.0.language.as_str()
    }

    /// The writing direction, `"rtl"` or `"ltr"`: right to left for a tag whose script
    /// subtag is a right-to-left script (`Arab`, `Hebr`, `Thaa`, `Syrc`, `Nkoo`, `Adlm`,
    /// `Rohg`), or, without a script subtag, whose language is written in one by default
    /// (Arabic, Persian, Urdu, Pashto, Sindhi, Uyghur, Kurdish (Sorani), Hebrew, Yiddish,
    /// Dhivehi, Rohingya); left to right otherwise. For the `dir` attribute of hosts' pages.
    pub fn direction(&self) -> &'static str {
        const RTL_SCRIPTS: &[&str] = &["Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"];
        const RTL_LANGUAGES: &[&str] = &[
            "ar", "fa", "ur", "ps", "sd", "ug", "ckb", "he", "iw", "yi", "dv", "rhg",
        ];
        let rtl = match &self.0.script {
            Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
            None => RTL_LANGUAGES.contains(&self.language()),
        };
        if rtl {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The canonical string form, e.g. `km-KH`.
    pub fn as_string(&self) -> String {
        self.0.to_string()
    }
}

impl core::fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.0, f)
    }
}

impl core::str::FromStr for LanguageTag {
    type Err = InvalidLanguageTag;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(feature = "std")]
impl From<&unic_langid::LanguageIdentifier> for LanguageTag {
    fn from(id: &unic_langid::LanguageIdentifier) -> Self {
        // Both implement BCP 47; unic-langid's canonical form always parses in ICU4X. The
        // fallback keeps at least the language and never panics.
        Self::parse(&id.to_string()).unwrap_or_else(|_| {
            Self::parse(id.language.as_str()).unwrap_or(LanguageTag(LanguageIdentifier::UNKNOWN))
        })
    }
}

#[cfg(feature = "std")]
impl From<unic_langid::LanguageIdentifier> for LanguageTag {
    fn from(id: unic_langid::LanguageIdentifier) -> Self {
        Self::from(&id)
    }
}

#[cfg(feature = "std")]
impl TryFrom<&LanguageTag> for unic_langid::LanguageIdentifier {
    type Error = InvalidLanguageTag;
    fn try_from(tag: &LanguageTag) -> Result<Self, Self::Error> {
        tag.as_string().parse().map_err(|_| InvalidLanguageTag {
            tag: tag.as_string(),
        })
    }
}

/// Negotiates a host's preferred languages (best first) against a pack's languages.
///
/// Returns the fallback chain as indices into `available`: for each preference, an exact
/// match, then a match on the primary language (`km-KH` → `km`, `en` → `en-GB`); then the
/// pack's `default_index`. Never empty when `available` is not. Unparsable preferences are
/// skipped.
pub fn negotiate(preferred: &[&str], available: &[LanguageTag], default_index: u8) -> Vec<u8> {
    let mut chain: Vec<u8> = Vec::new();
    let push = |i: usize, chain: &mut Vec<u8>| {
        if let Ok(i) = u8::try_from(i) {
            if !chain.contains(&i) {
                chain.push(i);
            }
        }
    };
    for pref in preferred {
        let Ok(pref) = LanguageTag::parse(pref) else {
            continue;
        };
        if let Some(i) = available.iter().position(|a| a == &pref) {
            push(i, &mut chain);
        }
        if let Some(i) = available
            .iter()
            .position(|a| a.language() == pref.language() && a.0.region.is_none())
            .or_else(|| {
                available
                    .iter()
                    .position(|a| a.language() == pref.language())
            })
        {
            push(i, &mut chain);
        }
    }
    if usize::from(default_index) < available.len() {
        push(usize::from(default_index), &mut chain);
    }
    if chain.is_empty() && !available.is_empty() {
        chain.push(0);
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(t: &[&str]) -> Vec<LanguageTag> {
        t.iter().map(|t| LanguageTag::parse(t).unwrap()).collect()
    }

    #[test]
    fn negotiation_falls_back_by_language_then_default() {
        let avail = tags(&["km", "en"]);
        assert_eq!(negotiate(&["km-KH"], &avail, 1), vec![0, 1]);
        assert_eq!(negotiate(&["fr", "en-US"], &avail, 1), vec![1]);
        assert_eq!(negotiate(&["fr"], &avail, 1), vec![1]);
        assert_eq!(negotiate(&["not a tag!"], &avail, 0), vec![0]);
        assert_eq!(negotiate(&["en", "km"], &avail, 1), vec![1, 0]);
    }

    #[test]
    fn direction_follows_the_script() {
        for (tag, dir) in [
            ("ar", "rtl"),
            ("ur-PK", "rtl"),
            ("fa", "rtl"),
            ("he", "rtl"),
            ("ckb", "rtl"),
            ("km", "ltr"),
            ("lo", "ltr"),
            ("my", "ltr"),
            ("en", "ltr"),
            ("pa-Arab", "rtl"),
            ("az-Latn", "ltr"),
            ("ar-Latn", "ltr"),
        ] {
            assert_eq!(LanguageTag::parse(tag).unwrap().direction(), dir, "{tag}");
        }
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(LanguageTag::parse("km_KH").is_ok());
        assert!(LanguageTag::parse("").is_err());
        assert!(LanguageTag::parse("!!").is_err());
    }

    #[cfg(feature = "std")]
    #[test]
    fn unic_langid_interop() {
        let u: unic_langid::LanguageIdentifier = "km-KH".parse().unwrap();
        let t = LanguageTag::from(&u);
        assert_eq!(t.as_string(), "km-KH");
        let back = unic_langid::LanguageIdentifier::try_from(&t).unwrap();
        assert_eq!(back, u);
    }
}
