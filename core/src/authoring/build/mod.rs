//! Resolving references between the files, the checks that span several parts of the pack,
//! and the compilation into a [`Pack`].
//!
//! [`compile`] runs the stages in order: read the files ([`files`], then the source
//! readers of `super::source`), check the languages ([`languages`]) and load their
//! translations, then compile the parts of the pack with the [`Builder`]: the indices of
//! every kind of id ([`index`]), the parts `pack.toml` defines ([`parts`]), the items
//! ([`items`]), the stories and lessons ([`lessons`]) and the journeys ([`journeys`]).
//! Finally the compiled pack goes through the engine's own check and the binary encoder.

mod files;
mod index;
mod items;
mod journeys;
mod languages;
mod lessons;
mod parts;

use files::Sources;
use index::{Index, Indexes};
use journeys::Parts;

use super::diag::{did_you_mean, Diags, Loc};
use super::i18n::{LangStrings, Strings};
use super::read::{check_count, parse, Sp};
use super::source::{
    check_duplicates, read_items, read_lessons, read_pack, ItemSrc, KindSrc, LessonsSrc, PackSrc,
};
use super::{Compiled, SourceFile};
use crate::limits;
use crate::pack::format;
use crate::pack::item::Item;
use crate::pack::journey::Journey;
use crate::pack::text::Text;
use crate::pack::{Date, Form, Objective, Pack, PackLanguage};

/// An index as `u16`, saturating (the limits keep real indices below it).
fn to_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Compiles the sources (see [`super::compile`] and [`super::compile_with_media`]).
pub(crate) fn compile(
    files: &[SourceFile],
    today: Option<Date>,
    media: Option<&[String]>,
) -> Compiled {
    compile_keeping_keys(files, today, media).0
}

/// A string key the pack needs, with whether it is required and the place (file, line) of
/// the part that shows it, in the order of those places.
#[derive(Debug, Clone)]
pub(crate) struct WantedKey {
    pub key: String,
    pub required: bool,
    pub file: String,
    pub line: Option<u32>,
}

/// What [`compile_keeping_keys`] keeps of the strings: the keys the pack needs and every
/// language's strings.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeptStrings {
    pub wanted: Vec<WantedKey>,
    pub langs: Vec<LangStrings>,
    pub default: usize,
    /// The pack's id, when `pack.toml` gives one.
    pub pack_id: String,
}

/// [`compile`], also returning the string keys the pack needs and the strings.
pub(crate) fn compile_keeping_keys(
    files: &[SourceFile],
    today: Option<Date>,
    media: Option<&[String]>,
) -> (Compiled, KeptStrings) {
    let mut d = Diags::new();
    let sources = Sources::new(files);
    // pack.toml first: it says which languages (and so which i18n files) there are.
    let pack_file = d.add_file("pack.toml", sources.text_of("pack.toml").unwrap_or(""));
    let (src, lessons, items) = read_sources(&mut d, &sources, pack_file);

    // Languages and their translation files.
    let (languages, default) = languages::check_languages(&mut d, &src, pack_file);
    let (langs, i18n_used) = sources.load_translations(&mut d, &src, default);
    sources.warn_unknown_files(&mut d, &src, &i18n_used);

    let strings = Strings::new(langs, default);
    let mut b = Builder {
        d,
        s: strings,
        src: &src,
        lessons_src: &lessons,
        items_src: &items,
        today,
        pack_file,
        media,
    };
    let pack = b.build(languages, default);
    let Builder { mut d, s, .. } = b;
    // The counts of missing strings are the pack's own coverage (what `kru info` shows):
    // one definition of "a string".
    s.report(&mut d, &pack.coverage());
    s.report_interface(&mut d, &pack);
    if !d.has_errors() {
        super::lint::run(&mut d, &pack, &src, &items);
    }
    let langs = s.lang_strings(&d);
    let default = s.default_language();
    let mut wanted: Vec<(usize, usize, WantedKey)> = s
        .wanted()
        .map(|(key, required, loc)| {
            let w = WantedKey {
                key: key.to_string(),
                required,
                file: d.path(loc.file).to_string(),
                line: d.line_of(loc),
            };
            (loc.file, loc.at.unwrap_or(0), w)
        })
        .collect();
    wanted.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.key.cmp(&b.2.key)));
    let pack = if d.has_errors() {
        None
    } else {
        check_and_encode(&mut d, pack, pack_file)
    };
    let compiled = Compiled {
        pack,
        diagnostics: d.finish(),
    };
    let kept = KeptStrings {
        wanted: wanted.into_iter().map(|(_, _, w)| w).collect(),
        langs,
        default,
        pack_id: src.meta.id.as_ref().map_or(String::new(), |i| i.v.clone()),
    };
    (compiled, kept)
}

/// Reads `pack.toml`, `lessons.toml` (optional) and `items.toml` into the source model,
/// reporting a missing required file. `pack.toml` is already registered as `pack_file`.
fn read_sources(
    d: &mut Diags,
    sources: &Sources<'_>,
    pack_file: usize,
) -> (PackSrc, LessonsSrc, Vec<ItemSrc>) {
    let lessons_file = d.add_file(
        "lessons.toml",
        sources.text_of("lessons.toml").unwrap_or(""),
    );
    let items_file = d.add_file("items.toml", sources.text_of("items.toml").unwrap_or(""));
    let src = match sources.text_of("pack.toml") {
        Some(t) => {
            let root = parse(d, pack_file, t);
            read_pack(d, pack_file, root.get_ref())
        }
        None => {
            d.error(
                Loc::file(pack_file),
                "missing-file",
                "the pack has no pack.toml".into(),
                "create pack.toml with [pack], [[language]], [[objective]] and [[journey]] (see docs/pack-format.md)".into(),
            );
            PackSrc::default()
        }
    };
    let lessons = match sources.text_of("lessons.toml") {
        Some(t) => {
            let root = parse(d, lessons_file, t);
            read_lessons(d, lessons_file, root.get_ref())
        }
        None => LessonsSrc::default(),
    };
    let items = match sources.text_of("items.toml") {
        Some(t) => {
            let root = parse(d, items_file, t);
            read_items(d, items_file, root.get_ref())
        }
        None => {
            d.error(
                Loc::file(items_file),
                "missing-file",
                "the pack has no items.toml".into(),
                "create items.toml with the item bank ([[item]] tables, see docs/pack-format.md)"
                    .into(),
            );
            Vec::new()
        }
    };
    (src, lessons, items)
}

/// Runs the engine's own check on a pack that compiled without errors, and encodes it to
/// make sure it fits in a pack file; either failure is reported and gives no pack.
fn check_and_encode(d: &mut Diags, pack: Pack, pack_file: usize) -> Option<Pack> {
    match pack.check() {
        Err(e) => {
            d.error(
                Loc::file(pack_file),
                "internal-error",
                format!("the compiled pack fails the engine's check: {e}"),
                "this is a bug in the compiler (it should have reported the problem itself); please report it with the pack's sources".into(),
            );
            None
        }
        Ok(()) => match format::encode(&pack) {
            Err(e) => {
                d.error(
                    Loc::file(pack_file),
                    "pack-too-large",
                    format!("the pack cannot be written: {e}"),
                    format!(
                        "a pack file may be at most {} bytes: split the content into several packs",
                        limits::MAX_PACK_BYTES
                    ),
                );
                None
            }
            Ok(_) => Some(pack),
        },
    }
}

/// Compiles the parts of a pack from the source model, reporting into `d`.
struct Builder<'a> {
    d: Diags,
    s: Strings,
    src: &'a PackSrc,
    lessons_src: &'a LessonsSrc,
    items_src: &'a [ItemSrc],
    today: Option<Date>,
    pack_file: usize,
    /// The media files of the folder (relative paths), when the caller listed them.
    media: Option<&'a [String]>,
}

/// Which parts of the pack are used somewhere.
struct Usage {
    items: Vec<bool>,
    forms: Vec<bool>,
    lessons: Vec<bool>,
    stories: Vec<bool>,
    /// Forms that list an unknown item (reported): their counts are not checked again.
    broken_forms: Vec<usize>,
}

/// Marks the parts at `indices` as used.
fn mark_used(used: &mut [bool], indices: &[u16]) {
    for &i in indices {
        if let Some(u) = used.get_mut(usize::from(i)) {
            *u = true;
        }
    }
}

impl Builder<'_> {
    /// The text of string key `key` in every language (a missing one is reported at `origin`).
    fn text(&mut self, key: &str, origin: Loc) -> Text {
        self.s.text(&mut self.d, key, origin)
    }

    /// Reports a media path (an image, an audio file) that is not among the folder's files,
    /// when the caller listed them.
    fn check_media(&mut self, path: &Sp<String>, what: &str) {
        let Some(media) = self.media else {
            return;
        };
        if path.v.is_empty() || media.contains(&path.v) {
            return;
        }
        let hint = did_you_mean(&path.v, media.iter().map(String::as_str));
        self.d.error(
            path.loc,
            "missing-media",
            format!(
                "the {what} file '{}' is not in the pack folder{hint}",
                path.v
            ),
            format!(
                "put the file at {} inside the pack folder (paths are relative to it, with '/'), or fix the path",
                path.v
            ),
        );
    }

    /// A text that is empty in every language.
    fn empty_text(&self) -> Text {
        Text::empty(self.src.languages.len())
    }

    /// Compiles the pack, part by part (the order of the parts is the order of the
    /// diagnostics on the same line).
    fn build(&mut self, languages: Vec<PackLanguage>, default: usize) -> Pack {
        let ix = self.indexes();
        self.check_counts();
        let mut usage = Usage {
            items: vec![false; self.items_src.len()],
            forms: vec![false; self.src.forms.len()],
            lessons: vec![false; self.lessons_src.lessons.len()],
            stories: vec![false; self.lessons_src.stories.len()],
            broken_forms: Vec::new(),
        };
        let meta = self.meta(default);
        let objectives = self.objectives();
        let isrc = self.items_src;
        let items: Vec<_> = isrc
            .iter()
            .map(|it| self.item(it, &ix.objectives))
            .collect();
        let indicators = self.indicators(&ix);
        let resources = self.resources();
        let intake = self.intake();
        // Stories, then lessons (which refer to stories).
        let lsrc = self.lessons_src;
        let stories: Vec<_> = lsrc
            .stories
            .iter()
            .map(|s| self.story(s, &ix.objectives))
            .collect();
        let lessons: Vec<_> = lsrc
            .lessons
            .iter()
            .map(|l| self.lesson(l, &ix, &mut usage))
            .collect();
        let forms = self.forms(&ix, &mut usage);
        let card = self.card(&ix);
        let journeys = self.journeys(&forms, &items, &objectives, &ix, &mut usage);
        self.report_unused(&usage);
        if self.media.is_some() {
            for a in self.s.audio_files() {
                self.check_media(&a, "audio");
            }
        }
        Pack {
            meta,
            languages,
            objectives,
            indicators,
            resources,
            intake,
            lessons,
            stories,
            items,
            forms,
            journeys,
            card,
            interface: self.interface(),
            reverse_keyed: self.reverse_keyed(),
        }
    }

    /// The Likert items keyed "low", by index (the sources allow `keyed` on Likert items only).
    fn reverse_keyed(&self) -> Vec<u16> {
        self.items_src
            .iter()
            .enumerate()
            .filter(|(_, it)| {
                it.lints.keyed == crate::authoring::lint::Keyed::Low
                    && matches!(it.kind, Some(KindSrc::Likert { .. }))
            })
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect()
    }

    /// The pack's own interface strings: every built-in interface id that some language
    /// translates under `[interface]` (the others are left to the engine's built-in strings).
    fn interface(&mut self) -> Vec<(String, Text)> {
        let origin = Loc::file(self.pack_file);
        let mut out = Vec::new();
        for id in crate::ui::builtin_ids() {
            let t = self
                .s
                .optional(&mut self.d, &format!("interface.{id}"), origin);
            if t.values().any(|v| !v.is_empty()) {
                out.push((id, t));
            }
        }
        // The pack stores them in id order (checked on load).
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Indexes the ids of every kind, reporting duplicates (also of the kinds nothing
    /// refers to: indicators, intake fields, journeys).
    fn indexes(&mut self) -> Indexes {
        let (src, lsrc, isrc) = (self.src, self.lessons_src, self.items_src);
        let d = &mut self.d;
        let ix = Indexes {
            objectives: Index::new(d, &src.objectives, "objective", "pack.toml ([[objective]])"),
            items: Index::new(
                d,
                isrc.iter().map(|i| &i.id),
                "item",
                "items.toml ([[item]])",
            ),
            lessons: Index::new(
                d,
                lsrc.lessons.iter().map(|l| &l.id),
                "lesson",
                "lessons.toml ([[lesson]])",
            ),
            stories: Index::new(
                d,
                lsrc.stories.iter().map(|s| &s.id),
                "story",
                "lessons.toml ([[story]])",
            ),
            resources: Index::new(
                d,
                src.resources.iter().map(|r| &r.id),
                "resource",
                "pack.toml ([[resource]])",
            ),
            forms: Index::new(
                d,
                src.forms.iter().map(|f| &f.id),
                "form",
                "pack.toml ([[form]])",
            ),
        };
        check_duplicates(d, src.indicators.iter().map(|i| &i.id), "indicator", "");
        check_duplicates(d, src.intake.iter().map(|i| &i.id), "intake field", "");
        check_duplicates(d, src.journeys.iter().map(|j| &j.id), "journey", "");
        ix
    }

    /// Checks the number of each kind of part against [`limits::MAX_LIST_LEN`].
    fn check_counts(&mut self) {
        let (src, lsrc, isrc) = (self.src, self.lessons_src, self.items_src);
        let pf = self.pack_file;
        for (len, what, file) in [
            (src.objectives.len(), "objectives", pf),
            (src.indicators.len(), "indicators", pf),
            (src.resources.len(), "resources", pf),
            (src.intake.len(), "intake fields", pf),
            (src.forms.len(), "forms", pf),
            (src.journeys.len(), "journeys", pf),
            (
                lsrc.lessons.len(),
                "lessons",
                lsrc.lessons.first().map_or(pf, |l| l.id.loc.file),
            ),
            (
                lsrc.stories.len(),
                "stories",
                lsrc.stories.first().map_or(pf, |s| s.id.loc.file),
            ),
            (
                isrc.len(),
                "items",
                isrc.first().map_or(pf, |i| i.id.loc.file),
            ),
        ] {
            check_count(
                &mut self.d,
                Loc::file(file),
                len,
                limits::MAX_LIST_LEN,
                what,
            );
        }
    }

    /// Compiles the journeys; a pack needs at least one to be played.
    fn journeys(
        &mut self,
        forms: &[Form],
        items: &[Item],
        objectives: &[Objective],
        ix: &Indexes,
        usage: &mut Usage,
    ) -> Vec<Journey> {
        let src = self.src;
        if src.journeys.is_empty() && src.meta.id.is_some() {
            self.d.error(
                Loc::file(self.pack_file),
                "no-journeys",
                "pack.toml has no [[journey]], so the pack cannot be played".into(),
                "add a [[journey]] with an id and its [[journey.phase]] tables (see docs/pack-format.md)".into(),
            );
        }
        let parts = Parts {
            forms,
            items,
            objectives,
            ix,
        };
        src.journeys
            .iter()
            .map(|j| self.journey(j, &parts, usage))
            .collect()
    }

    /// Warns about the items, forms, lessons and stories nothing uses. Echoes of an error
    /// are left out: the second copy of a duplicate id (its first copy is the one used), and
    /// every item, lesson and story while a journey has no phases (they would all be unused).
    fn report_unused(&mut self, usage: &Usage) {
        let flow_broken = self.src.journeys.iter().any(|j| j.phases.is_empty());
        let mut seen = std::collections::BTreeSet::new();
        for (it, used) in self.items_src.iter().zip(&usage.items) {
            let duplicate = !seen.insert(it.id.v.as_str());
            if !used && !duplicate && !flow_broken {
                self.d.warn(
                    it.id.loc,
                    "unused-item",
                    format!("item '{}' is in no form and no phase, so it is never asked", it.id.v),
                    "add it to a [[form]]'s items or to a phase's select = { items = [...] }, or remove it".into(),
                );
            }
        }
        for (f, used) in self.src.forms.iter().zip(&usage.forms) {
            if !used {
                self.d.warn(
                    f.id.loc,
                    "unused-form",
                    format!("form '{}' is used by no journey", f.id.v),
                    "add it to a journey's forms = [...], or remove it".into(),
                );
            }
        }
        for (l, used) in self.lessons_src.lessons.iter().zip(&usage.lessons) {
            if !used && !flow_broken {
                self.d.warn(
                    l.id.loc,
                    "unused-lesson",
                    format!("lesson '{}' is used by no journey", l.id.v),
                    "add it to a lesson phase's lessons = [...], or remove it".into(),
                );
            }
        }
        for (s, used) in self.lessons_src.stories.iter().zip(&usage.stories) {
            if !used && !flow_broken {
                self.d.warn(
                    s.id.loc,
                    "unused-story",
                    format!("story '{}' is used by no lesson", s.id.v),
                    format!(
                        "add {{ story = \"{}\" }} to a lesson page's blocks, or remove it",
                        s.id.v
                    ),
                );
            }
        }
    }
}
