//! The source folder's files: finding each one by its normalised path, matching the
//! translation files to the declared languages, and warning about the files that are not
//! part of the format.

use super::languages::same_tag;
use crate::authoring::diag::{Diags, Loc};
use crate::authoring::i18n::LangFile;
use crate::authoring::source::PackSrc;
use crate::authoring::SourceFile;

/// The source files by normalised path (the first of two files with the same path wins).
pub(super) struct Sources<'a> {
    files: Vec<(String, &'a str)>,
}

impl<'a> Sources<'a> {
    /// The files, with their paths normalised.
    pub(super) fn new(files: &'a [SourceFile]) -> Self {
        let mut out: Vec<(String, &'a str)> = Vec::new();
        for f in files {
            let p = norm_path(&f.path);
            if !out.iter().any(|(q, _)| *q == p) {
                out.push((p, f.text.as_str()));
            }
        }
        Sources { files: out }
    }

    /// The text of the file at (normalised) path `p`.
    pub(super) fn text_of(&self, p: &str) -> Option<&'a str> {
        self.files.iter().find(|(q, _)| q == p).map(|(_, t)| *t)
    }

    /// Loads each declared language's translation file (`i18n/<tag>.toml`, or a file whose
    /// tag means the same language), reporting a missing file for the default language.
    /// Returns the files, one per language in order, and the paths used.
    pub(super) fn load_translations(
        &self,
        d: &mut Diags,
        src: &PackSrc,
        default: usize,
    ) -> (Vec<LangFile>, Vec<String>) {
        let mut langs = Vec::new();
        let mut i18n_used: Vec<String> = Vec::new();
        for (li, l) in src.languages.iter().enumerate() {
            let exact = format!("i18n/{}.toml", l.tag.v);
            let path = if self.text_of(&exact).is_some() {
                Some(exact.clone())
            } else {
                self.files
                    .iter()
                    .filter_map(|(p, _)| {
                        let tag = p.strip_prefix("i18n/")?.strip_suffix(".toml")?;
                        same_tag(tag, &l.tag.v).then(|| p.clone())
                    })
                    .find(|p| !i18n_used.contains(p))
            };
            let lf = match path
                .as_deref()
                .and_then(|p| self.text_of(p).map(|t| (p, t)))
            {
                Some((p, t)) if !i18n_used.iter().any(|u| u == p) => {
                    i18n_used.push(p.to_string());
                    let file = d.add_file(p, t);
                    LangFile::load(d, file, &l.tag.v, t)
                }
                _ => {
                    let file = d.add_file(&exact, "");
                    if li == default {
                        d.error(
                            Loc::file(file),
                            "missing-file",
                            format!(
                                "there is no {exact}, the strings of the default language {}",
                                l.tag.v
                            ),
                            format!(
                                "create {exact} with every learner-facing string (see docs/pack-format.md)"
                            ),
                        );
                    }
                    LangFile::missing(file, &l.tag.v)
                }
            };
            langs.push(lf);
        }
        (langs, i18n_used)
    }

    /// Warns about every `.toml` file that is neither one of the pack's files nor a used
    /// translation file.
    pub(super) fn warn_unknown_files(&self, d: &mut Diags, src: &PackSrc, i18n_used: &[String]) {
        for (p, t) in &self.files {
            if !p.ends_with(".toml") || i18n_used.contains(p) {
                continue;
            }
            if matches!(p.as_str(), "pack.toml" | "lessons.toml" | "items.toml") {
                continue;
            }
            let file = d.add_file(p, t);
            if let Some(tag) = p
                .strip_prefix("i18n/")
                .and_then(|r| r.strip_suffix(".toml"))
            {
                let tags: Vec<&str> = src.languages.iter().map(|l| l.tag.v.as_str()).collect();
                d.warn(
                    Loc::file(file),
                    "unknown-language-file",
                    format!(
                        "{p} is for language '{tag}', which pack.toml does not declare; it is ignored"
                    ),
                    format!(
                        "add a [[language]] with tag = \"{tag}\" to pack.toml, or rename the file to one of: {}",
                        tags.iter()
                            .map(|t| format!("i18n/{t}.toml"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            } else {
                d.warn(
                    Loc::file(file),
                    "unknown-file",
                    format!("{p} is not part of the pack format; it is ignored"),
                    "the format has pack.toml, lessons.toml, items.toml and i18n/<language>.toml; move other notes out of the pack folder or into a comment".into(),
                );
            }
        }
    }
}

/// Normalises a relative path: `/` separators, no leading `./`.
fn norm_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}
