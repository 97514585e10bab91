//! Language tags and the negotiation of a host's preferred languages against a pack's.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A BCP 47 language identifier such as `km`, `km-KH` or `en-GB`, in its canonical form.
///
/// The syntax and canonical form of a Unicode language identifier as ICU4X's
/// `icu_locale_core::LanguageIdentifier` reads and writes it (UTS #35: a language of 2 or 3
/// letters, then an optional script of 4 letters, an optional region of 2 letters or 3
/// digits, and variants of 5 to 8 letters and digits or 4 starting with a digit), read by
/// hand: the browser's main module carries no locale library (2.5 KB of gzip, issue 18's
/// seventh round). A property test checks it against ICU4X on every kind of input. With the
/// `std` feature it converts from and to `unic_langid::LanguageIdentifier` for hosts that
/// already use unic-langid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguageTag {
    /// The canonical form: subtags joined by `-`, the language and variants in lower case
    /// (variants sorted), the script in title case, the region in upper case.
    tag: String,
    /// The length of the language subtag (2 or 3).
    language: u8,
    /// Where the script subtag starts in `tag` (4 bytes), if there is one.
    script: Option<u8>,
    /// Where the region subtag and its length in `tag`, if there is one.
    region: Option<(u8, u8)>,
}

/// A string that is not a valid BCP 47 language identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{tag}' is not a valid language tag (expected BCP 47, e.g. \"km\" or \"en-GB\")")]
pub struct InvalidLanguageTag {
    /// The rejected input.
    pub tag: String,
}

/// Whether every byte of `s` passes `f` (and `s` is `min..=max` bytes long).
fn all(s: &str, min: usize, max: usize, f: fn(&u8) -> bool) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| f(&b))
}

impl LanguageTag {
    /// Parses a BCP 47 tag (`_` is accepted in place of `-`).
    pub fn parse(tag: &str) -> Result<Self, InvalidLanguageTag> {
        Self::read(tag).ok_or_else(|| InvalidLanguageTag {
            tag: tag.to_string(),
        })
    }

    fn read(text: &str) -> Option<Self> {
        let mut subtags = text.split(['-', '_']);
        let language = subtags
            .next()
            .filter(|l| all(l, 2, 3, u8::is_ascii_alphabetic))?;
        let mut tag = language.to_ascii_lowercase();
        let (mut script, mut region) = (None, None);
        let mut variants: Vec<String> = Vec::new();
        // Where the next subtag may be: 0 script, 1 region, 2 variants only.
        let mut at = 0;
        for s in subtags {
            let start = u8::try_from(tag.len() + 1).ok()?;
            if at == 0 && all(s, 4, 4, u8::is_ascii_alphabetic) {
                tag.push('-');
                for (i, c) in s.chars().enumerate() {
                    tag.push(if i == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    });
                }
                script = Some(start);
                at = 1;
            } else if at < 2
                && (all(s, 2, 2, u8::is_ascii_alphabetic) || all(s, 3, 3, u8::is_ascii_digit))
            {
                tag.push('-');
                tag.push_str(&s.to_ascii_uppercase());
                region = Some((start, s.len() as u8));
                at = 2;
            } else if all(s, 4, 8, u8::is_ascii_alphanumeric)
                && (s.len() > 4 || s.bytes().next().is_some_and(|b| b.is_ascii_digit()))
            {
                let v = s.to_ascii_lowercase();
                // A variant given twice is an error, as in ICU4X.
                let i = variants.binary_search(&v).err()?;
                variants.insert(i, v);
                at = 2;
            } else {
                return None;
            }
        }
        for v in &variants {
            tag.push('-');
            tag.push_str(v);
        }
        Some(LanguageTag {
            language: language.len() as u8,
            tag,
            script,
            region,
        })
    }

    /// `und`, the unknown language.
    #[cfg(feature = "std")]
    fn unknown() -> Self {
        LanguageTag {
            tag: "und".to_string(),
            language: 3,
            script: None,
            region: None,
        }
    }

    /// The primary language subtag, e.g. `km` for `km-KH`.
    pub fn language(&self) -> &str {
        self.tag.get(..usize::from(self.language)).unwrap_or("")
    }

    /// The script subtag, e.g. `Arab` for `pa-Arab`, if there is one.
    pub fn script(&self) -> Option<&str> {
        let at = usize::from(self.script?);
        self.tag.get(at..at + 4)
    }

    /// The region subtag, e.g. `KH` for `km-KH`, if there is one.
    pub fn region(&self) -> Option<&str> {
        let (at, len) = self.region?;
        self.tag
            .get(usize::from(at)..usize::from(at) + usize::from(len))
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
        let rtl = match self.script() {
            Some(script) => RTL_SCRIPTS.contains(&script),
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
        self.tag.clone()
    }

    /// The canonical string form, borrowed.
    pub fn as_str(&self) -> &str {
        &self.tag
    }
}

impl core::fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.tag)
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
            Self::parse(id.language.as_str()).unwrap_or_else(|_| Self::unknown())
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
            .position(|a| a.language() == pref.language() && a.region.is_none())
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

    /// The same inputs accepted and the same canonical form, language, script and region
    /// as ICU4X's `LanguageIdentifier` (the reference this reader replaced).
    fn agrees_with_icu(s: &str) {
        let ours = LanguageTag::parse(s).ok();
        let icu = icu_locale_core::LanguageIdentifier::try_from_str(&s.replace('_', "-")).ok();
        assert_eq!(ours.is_some(), icu.is_some(), "{s:?}: {ours:?} / {icu:?}");
        if let (Some(o), Some(i)) = (ours, icu) {
            assert_eq!(o.to_string(), i.to_string(), "{s:?}");
            assert_eq!(o.language(), i.language.as_str(), "{s:?}");
            assert_eq!(o.script(), i.script.as_ref().map(|x| x.as_str()), "{s:?}");
            assert_eq!(o.region(), i.region.as_ref().map(|x| x.as_str()), "{s:?}");
        }
    }

    #[test]
    fn reads_tags_as_icu4x_does() {
        for s in [
            "km",
            "KM-kh",
            "km_KH",
            "en-GB",
            "zh-hant-tw",
            "sr-Latn-RS",
            "de-CH-1996",
            "de-1996-1901",
            "sl-rozaj-biske-1994",
            "es-419",
            "und",
            "root",
            "en-",
            "en--US",
            "-en",
            "",
            "e",
            "engl",
            "en-GB-GB",
            "en-Latn-Latn",
            "en-1996-1996",
            "en-abc",
            "en-123x",
            "en-a-b",
            "en-x-private",
            "xx-Zzzz-ZZ-abcdefgh",
            "en-abcdefghi",
            "km-ខ្មែរ",
            "é",
            "en-GB-oxendict",
            "ja-Jpan-JP-u-ca",
            "en-US-POSIX",
            "ar-001",
        ] {
            agrees_with_icu(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn reads_any_tag_as_icu4x_does(
            s in "[a-zA-Z]{1,4}([-_][a-zA-Z0-9]{0,9}){0,4}|[a-zA-Z0-9_-]{0,14}|\\PC{0,8}"
        ) {
            agrees_with_icu(&s);
        }
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
