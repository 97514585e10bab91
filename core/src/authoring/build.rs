//! Resolving references between the files, the checks that span several parts of the pack,
//! and the compilation into a [`Pack`].

use std::collections::{BTreeMap, VecDeque};

use super::diag::{did_you_mean, Diags, Loc};
use super::i18n::{LangFile, Strings};
use super::read::{check_count, parse, Id};
use super::source::{
    check_duplicates, read_items, read_lessons, read_pack, BlockSrc, ItemSrc, JourneySrc, KindSrc,
    LessonsSrc, PackSrc, SelectSrc, StorySrc,
};
use super::{Compiled, SourceFile};
use crate::language::LanguageTag;
use crate::limits;
use crate::pack::format;
use crate::pack::item::{Item, ItemKind};
use crate::pack::journey::{
    FeedbackPolicy, FormSlot, Journey, Phase, PhaseContent, PhaseKind, Quiz, Selection,
};
use crate::pack::lesson::{Block, Lesson, Page, Story, StoryChoice, StoryNode};
use crate::pack::text::Text;
use crate::pack::{
    Date, Form, Indicator, IntakeField, IntakeOption, Objective, Pack, PackLanguage, PackMeta,
    ReferenceCard, Resource, Version,
};

fn to_u16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// Ids of one kind, mapped to their index (the first definition wins).
struct Index {
    what: &'static str,
    defined_in: &'static str,
    map: BTreeMap<String, u16>,
}

impl Index {
    fn new<'a>(
        d: &mut Diags,
        ids: impl IntoIterator<Item = &'a Id> + Clone,
        what: &'static str,
        defined_in: &'static str,
    ) -> Self {
        check_duplicates(d, ids.clone(), what, "");
        let mut map = BTreeMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            map.entry(id.v.clone()).or_insert(to_u16(i));
        }
        Index {
            what,
            defined_in,
            map,
        }
    }

    fn get(&self, id: &str) -> Option<u16> {
        self.map.get(id).copied()
    }

    /// Resolves a reference, reporting an unknown id.
    fn resolve(&self, d: &mut Diags, id: &Id) -> Option<u16> {
        let found = self.get(&id.v);
        if found.is_none() {
            let hint = did_you_mean(&id.v, self.map.keys().map(String::as_str));
            let article = if self.what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            let help = if self.map.is_empty() {
                format!(
                    "there is no {} yet: define {article} {} with id '{}' in {}",
                    self.what, self.what, id.v, self.defined_in
                )
            } else {
                format!(
                    "fix the spelling, or define {article} {} with id '{}' in {}",
                    self.what, id.v, self.defined_in
                )
            };
            d.error(
                id.loc,
                "unknown-reference",
                format!("there is no {} '{}'{hint}", self.what, id.v),
                help,
            );
        }
        found
    }

    fn resolve_all(&self, d: &mut Diags, ids: &[Id]) -> Vec<u16> {
        ids.iter().filter_map(|id| self.resolve(d, id)).collect()
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

fn same_tag(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (LanguageTag::parse(a), LanguageTag::parse(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// Compiles the sources (see [`super::compile`]).
pub(crate) fn compile(files: &[SourceFile], today: Option<Date>) -> Compiled {
    let mut d = Diags::new();
    let mut sources: Vec<(String, &str)> = Vec::new();
    for f in files {
        let p = norm_path(&f.path);
        if !sources.iter().any(|(q, _)| *q == p) {
            sources.push((p, f.text.as_str()));
        }
    }
    let text_of = |p: &str| sources.iter().find(|(q, _)| q == p).map(|(_, t)| *t);

    // pack.toml first: it says which languages (and so which i18n files) there are.
    let pack_file = d.add_file("pack.toml", text_of("pack.toml").unwrap_or(""));
    let lessons_file = d.add_file("lessons.toml", text_of("lessons.toml").unwrap_or(""));
    let items_file = d.add_file("items.toml", text_of("items.toml").unwrap_or(""));
    let src = match text_of("pack.toml") {
        Some(t) => {
            let root = parse(&mut d, pack_file, t);
            read_pack(&mut d, pack_file, root.get_ref())
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
    let lessons = match text_of("lessons.toml") {
        Some(t) => {
            let root = parse(&mut d, lessons_file, t);
            read_lessons(&mut d, lessons_file, root.get_ref())
        }
        None => LessonsSrc::default(),
    };
    let items = match text_of("items.toml") {
        Some(t) => {
            let root = parse(&mut d, items_file, t);
            read_items(&mut d, items_file, root.get_ref())
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

    // Languages and their translation files.
    let (languages, default) = check_languages(&mut d, &src, pack_file);
    let mut langs = Vec::new();
    let mut i18n_used: Vec<String> = Vec::new();
    for (li, l) in src.languages.iter().enumerate() {
        let exact = format!("i18n/{}.toml", l.tag.v);
        let path = if text_of(&exact).is_some() {
            Some(exact.clone())
        } else {
            sources
                .iter()
                .filter_map(|(p, _)| {
                    let tag = p.strip_prefix("i18n/")?.strip_suffix(".toml")?;
                    same_tag(tag, &l.tag.v).then(|| p.clone())
                })
                .find(|p| !i18n_used.contains(p))
        };
        let lf = match path.as_deref().and_then(|p| text_of(p).map(|t| (p, t))) {
            Some((p, t)) if !i18n_used.iter().any(|u| u == p) => {
                i18n_used.push(p.to_string());
                let file = d.add_file(p, t);
                LangFile::load(&mut d, file, &l.tag.v, t)
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
    for (p, t) in &sources {
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
    let strings = Strings::new(langs, default);
    let mut b = Builder {
        d,
        s: strings,
        src: &src,
        lessons_src: &lessons,
        items_src: &items,
        today,
        pack_file,
    };
    let pack = b.build(languages, default);
    let Builder { mut d, s, .. } = b;
    s.report(&mut d);

    let pack = if d.has_errors() {
        None
    } else {
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
    };
    Compiled {
        pack,
        diagnostics: d.finish(),
    }
}

/// Checks the `[[language]]` list and `default_language`; returns the compiled languages and
/// the default's index.
fn check_languages(d: &mut Diags, src: &PackSrc, pack_file: usize) -> (Vec<PackLanguage>, usize) {
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

struct Builder<'a> {
    d: Diags,
    s: Strings,
    src: &'a PackSrc,
    lessons_src: &'a LessonsSrc,
    items_src: &'a [ItemSrc],
    today: Option<Date>,
    pack_file: usize,
}

/// Which parts of the pack are used somewhere.
struct Usage {
    items: Vec<bool>,
    forms: Vec<bool>,
    lessons: Vec<bool>,
    stories: Vec<bool>,
}

impl Builder<'_> {
    fn text(&mut self, key: &str, origin: Loc) -> Text {
        self.s.text(&mut self.d, key, origin)
    }

    fn build(&mut self, languages: Vec<PackLanguage>, default: usize) -> Pack {
        let src = self.src;
        let lsrc = self.lessons_src;
        let isrc = self.items_src;
        let d = &mut self.d;
        let objectives = Index::new(d, &src.objectives, "objective", "pack.toml ([[objective]])");
        let items_ix = Index::new(
            d,
            isrc.iter().map(|i| &i.id),
            "item",
            "items.toml ([[item]])",
        );
        let lessons_ix = Index::new(
            d,
            lsrc.lessons.iter().map(|l| &l.id),
            "lesson",
            "lessons.toml ([[lesson]])",
        );
        let stories_ix = Index::new(
            d,
            lsrc.stories.iter().map(|s| &s.id),
            "story",
            "lessons.toml ([[story]])",
        );
        let resources_ix = Index::new(
            d,
            src.resources.iter().map(|r| &r.id),
            "resource",
            "pack.toml ([[resource]])",
        );
        let forms_ix = Index::new(
            d,
            src.forms.iter().map(|f| &f.id),
            "form",
            "pack.toml ([[form]])",
        );
        check_duplicates(d, src.indicators.iter().map(|i| &i.id), "indicator", "");
        check_duplicates(d, src.intake.iter().map(|i| &i.id), "intake field", "");
        check_duplicates(d, src.journeys.iter().map(|j| &j.id), "journey", "");
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
            check_count(d, Loc::file(file), len, limits::MAX_LIST_LEN, what);
        }

        let mut usage = Usage {
            items: vec![false; isrc.len()],
            forms: vec![false; src.forms.len()],
            lessons: vec![false; lsrc.lessons.len()],
            stories: vec![false; lsrc.stories.len()],
        };

        // Metadata.
        let meta_loc = src.meta.loc;
        let title = self.text("pack.title", meta_loc);
        let description = self.text("pack.description", meta_loc);
        let engine = Version::engine();
        if let Some(me) = &src.meta.min_engine {
            if me.v > engine {
                self.d.error(
                    me.loc,
                    "min-engine-too-new",
                    format!("min_engine {} is newer than this engine ({engine})", me.v),
                    format!("lower min_engine to {engine} or less, or update kru"),
                );
            }
        }
        let meta = PackMeta {
            id: src.meta.id.as_ref().map_or(String::new(), |i| i.v.clone()),
            version: src.meta.version.unwrap_or(Version {
                major: 0,
                minor: 0,
                patch: 0,
            }),
            title,
            description,
            authors: src.meta.authors.clone(),
            licence: src.meta.licence.clone(),
            min_engine: src.meta.min_engine.as_ref().map_or(engine, |m| m.v),
            default_language: u8::try_from(default).unwrap_or(0),
            verification_max_age_days: src.meta.max_age_days,
        };

        // Objectives.
        let objectives_out: Vec<Objective> = src
            .objectives
            .iter()
            .map(|o| Objective {
                id: o.v.clone(),
                title: self.text(&format!("objective.{}.title", o.v), o.loc),
                summary: self.text(&format!("objective.{}.summary", o.v), o.loc),
            })
            .collect();

        // Items.
        let items_out: Vec<Item> = isrc.iter().map(|it| self.item(it, &objectives)).collect();

        // Indicators.
        let mut indicators = Vec::new();
        for ind in &src.indicators {
            let ix = items_ix.resolve_all(&mut self.d, &ind.items);
            for (id, &i) in ind.items.iter().zip(&ix) {
                if let Some(ItemSrc {
                    kind: Some(KindSrc::Likert { .. }),
                    ..
                }) = isrc.get(usize::from(i))
                {
                    self.d.warn(
                        id.loc,
                        "likert-in-indicator",
                        format!(
                            "indicator '{}' uses Likert item '{}', which is never correct, so the indicator is never met",
                            ind.id.v, id.v
                        ),
                        "use scored items in indicators; Likert shifts are reported separately".into(),
                    );
                }
            }
            indicators.push(Indicator {
                id: ind.id.v.clone(),
                label: self.text(&format!("indicator.{}.label", ind.id.v), ind.id.loc),
                items: ix,
            });
        }

        // Resources.
        let mut resources = Vec::new();
        for r in &src.resources {
            if let (Some(today), Some(v)) = (self.today, &r.verified) {
                let age = today.days_since_epoch() - v.v.days_since_epoch();
                if age > i64::from(src.meta.max_age_days) {
                    self.d.warn(
                        v.loc,
                        "stale-verification",
                        format!(
                            "resource '{}' was last verified on {}, {age} days ago (more than verification_max_age_days = {})",
                            r.id.v, v.v, src.meta.max_age_days
                        ),
                        format!(
                            "call {} to check that the number and the hours still hold, then set verified = \"{today}\"",
                            r.phone
                        ),
                    );
                }
            }
            let k = |f: &str| format!("resource.{}.{f}", r.id.v);
            resources.push(Resource {
                id: r.id.v.clone(),
                name: self.text(&k("name"), r.id.loc),
                phone: r.phone.clone(),
                hours: self.text(&k("hours"), r.id.loc),
                purpose: self.text(&k("purpose"), r.id.loc),
                verified: r.verified.as_ref().map_or(
                    Date {
                        year: 1970,
                        month: 1,
                        day: 1,
                    },
                    |v| v.v,
                ),
            });
        }

        // Intake.
        let mut intake = Vec::new();
        for f in &src.intake {
            let label = self.text(&format!("intake.{}.label", f.id.v), f.id.loc);
            let options = f
                .options
                .iter()
                .map(|o| IntakeOption {
                    code: o.v.clone(),
                    label: self.text(&format!("intake.{}.options.{}", f.id.v, o.v), o.loc),
                })
                .collect();
            intake.push(IntakeField {
                id: f.id.v.clone(),
                label,
                options,
                required: f.required,
            });
        }

        // Stories, then lessons (which refer to stories).
        let stories: Vec<Story> = lsrc
            .stories
            .iter()
            .map(|s| self.story(s, &objectives))
            .collect();
        let mut lessons_out = Vec::new();
        for l in &lsrc.lessons {
            let title = self.text(&format!("lesson.{}.title", l.id.v), l.id.loc);
            let objs = objectives.resolve_all(&mut self.d, &l.objectives);
            let mut pages = Vec::new();
            for p in &l.pages {
                let mut blocks = Vec::new();
                for b in &p.blocks {
                    let key = |k: &Id| format!("lesson.{}.{}", l.id.v, k.v);
                    let block = match b {
                        BlockSrc::Heading(k) => Some(Block::Heading(self.text(&key(k), k.loc))),
                        BlockSrc::Paragraph(k) => Some(Block::Paragraph(self.text(&key(k), k.loc))),
                        BlockSrc::Emphasis(k) => Some(Block::Emphasis(self.text(&key(k), k.loc))),
                        BlockSrc::List(ks) => Some(Block::List(
                            ks.iter().map(|k| self.text(&key(k), k.loc)).collect(),
                        )),
                        BlockSrc::Image { src: path, alt } => Some(Block::Image {
                            src: path.v.clone(),
                            alt: self.text(&key(alt), alt.loc),
                        }),
                        BlockSrc::KeyMessage(o) => {
                            objectives.resolve(&mut self.d, o).map(Block::KeyMessage)
                        }
                        BlockSrc::Story(s) => stories_ix.resolve(&mut self.d, s).map(|i| {
                            if let Some(u) = usage.stories.get_mut(usize::from(i)) {
                                *u = true;
                            }
                            Block::Story(i)
                        }),
                        BlockSrc::Resource(r) => {
                            resources_ix.resolve(&mut self.d, r).map(Block::Resource)
                        }
                    };
                    blocks.extend(block);
                }
                pages.push(Page { blocks });
            }
            lessons_out.push(Lesson {
                id: l.id.v.clone(),
                title,
                objectives: objs,
                pages,
            });
        }

        // Forms.
        let mut forms = Vec::new();
        for f in &src.forms {
            let ix = items_ix.resolve_all(&mut self.d, &f.items);
            for &i in &ix {
                if let Some(u) = usage.items.get_mut(usize::from(i)) {
                    *u = true;
                }
            }
            forms.push(Form {
                id: f.id.v.clone(),
                items: ix,
            });
        }

        // The reference card.
        let card = match &src.card {
            Some(c) => ReferenceCard {
                title: self.text("card.title", c.loc),
                objectives: objectives.resolve_all(&mut self.d, &c.objectives),
                resources: resources_ix.resolve_all(&mut self.d, &c.resources),
                footer: self.text("card.footer", c.loc),
            },
            None => ReferenceCard {
                title: self.empty_text(),
                objectives: Vec::new(),
                resources: Vec::new(),
                footer: self.empty_text(),
            },
        };

        // Journeys.
        if src.journeys.is_empty() && src.meta.id.is_some() {
            self.d.error(
                Loc::file(self.pack_file),
                "no-journeys",
                "pack.toml has no [[journey]], so the pack cannot be played".into(),
                "add a [[journey]] with an id and its [[journey.phase]] tables (see docs/pack-format.md)".into(),
            );
        }
        let mut journeys = Vec::new();
        for j in &src.journeys {
            journeys.push(self.journey(
                j,
                &forms,
                &items_out,
                &objectives_out,
                &Refs {
                    items: &items_ix,
                    lessons: &lessons_ix,
                    forms: &forms_ix,
                },
                &mut usage,
            ));
        }

        self.report_unused(&usage);

        Pack {
            meta,
            languages,
            objectives: objectives_out,
            indicators,
            resources,
            intake,
            lessons: lessons_out,
            stories,
            items: items_out,
            forms,
            journeys,
            card,
        }
    }

    fn empty_text(&self) -> Text {
        Text::empty(self.src.languages.len())
    }

    fn item(&mut self, it: &ItemSrc, objectives: &Index) -> Item {
        let k = |f: &str| format!("item.{}.{f}", it.id.v);
        let objs = objectives.resolve_all(&mut self.d, &it.objectives);
        let prompt = self.text(&k("prompt"), it.id.loc);
        let explanation = self.text(&k("explanation"), it.id.loc);
        let feedback_correct = self
            .s
            .optional(&mut self.d, &k("feedback_correct"), it.id.loc);
        let feedback_incorrect = self
            .s
            .optional(&mut self.d, &k("feedback_incorrect"), it.id.loc);
        let opts = |ids: &[Id], this: &mut Self| -> Vec<Text> {
            ids.iter()
                .map(|o| this.text(&format!("item.{}.options.{}", it.id.v, o.v), o.loc))
                .collect()
        };
        let kind = match &it.kind {
            Some(KindSrc::Single { options, correct }) => ItemKind::SingleChoice {
                options: opts(options, self),
                correct: *correct,
            },
            Some(KindSrc::Multiple { options, correct }) => ItemKind::MultipleResponse {
                options: opts(options, self),
                correct: correct.clone(),
            },
            Some(KindSrc::TrueFalse(b)) => ItemKind::TrueFalse { correct: *b },
            Some(KindSrc::Ordering { steps }) => ItemKind::Ordering {
                steps: opts(steps, self),
            },
            Some(KindSrc::Matching { left, right, pairs }) => ItemKind::Matching {
                left: opts(left, self),
                right: opts(right, self),
                pairs: pairs.clone(),
            },
            Some(KindSrc::Text { accept }) => {
                let mut accepted: Vec<String> = Vec::new();
                let extra = self.s.accept(&mut self.d, &k("accept"), it.id.loc);
                for a in accept.iter().chain(&extra) {
                    if !accepted.contains(a) {
                        accepted.push(a.clone());
                    }
                }
                if accepted.is_empty() {
                    self.d.error(
                        it.id.loc,
                        "no-accepted-answer",
                        format!("text item '{}' accepts no answer", it.id.v),
                        format!(
                            "add accept = [\"…\"] to the item, or item.{}.accept = [\"…\"] in a translation file",
                            it.id.v
                        ),
                    );
                }
                check_count(
                    &mut self.d,
                    it.id.loc,
                    accepted.len(),
                    limits::MAX_LIST_LEN,
                    "accepted answers",
                );
                ItemKind::ShortText { accepted }
            }
            Some(KindSrc::Numeric { value, tolerance }) => ItemKind::Numeric {
                value: *value,
                tolerance: *tolerance,
            },
            Some(KindSrc::Likert { scale }) => ItemKind::Likert {
                scale: opts(scale, self),
            },
            None => {
                // Broken (reported): keep its option strings from being reported as unknown.
                self.s.allow_prefix(&k("options"));
                self.s.allow_prefix(&k("accept"));
                ItemKind::TrueFalse { correct: true }
            }
        };
        Item {
            id: it.id.v.clone(),
            objectives: objs,
            prompt,
            kind,
            explanation,
            feedback_correct,
            feedback_incorrect,
        }
    }

    fn story(&mut self, s: &StorySrc, objectives: &Index) -> Story {
        let k = |rest: &str| format!("story.{}.{rest}", s.id.v);
        let title = self.text(&k("title"), s.id.loc);
        let objs = objectives.resolve_all(&mut self.d, &s.objectives);
        let nodes_ix = Index {
            what: "node",
            defined_in: "this story ([[story.node]])",
            map: {
                let mut m = BTreeMap::new();
                for (i, n) in s.nodes.iter().enumerate() {
                    m.entry(n.id.v.clone()).or_insert(to_u16(i));
                }
                m
            },
        };
        let start = s
            .start
            .as_ref()
            .and_then(|st| nodes_ix.resolve(&mut self.d, st));
        let mut nodes = Vec::new();
        let mut edges: Vec<Vec<usize>> = Vec::new();
        for n in &s.nodes {
            let nk = |rest: &str| format!("story.{}.node.{}.{rest}", s.id.v, n.id.v);
            let text = self.text(&nk("text"), n.id.loc);
            let mut choices = Vec::new();
            let mut out = Vec::new();
            for c in &n.choices {
                let ck = |rest: &str| {
                    format!("story.{}.node.{}.choice.{}.{rest}", s.id.v, n.id.v, c.id.v)
                };
                let label = self.text(&ck("label"), c.id.loc);
                let consequence = self.text(&ck("consequence"), c.id.loc);
                let next = c
                    .next
                    .as_ref()
                    .and_then(|nx| nodes_ix.resolve(&mut self.d, nx));
                if let Some(nx) = next {
                    out.push(usize::from(nx));
                }
                choices.push(StoryChoice {
                    id: c.id.v.clone(),
                    label,
                    consequence,
                    next: next.unwrap_or(0),
                });
            }
            edges.push(out);
            nodes.push(StoryNode {
                id: n.id.v.clone(),
                text,
                image: n.image.as_ref().map(|i| i.v.clone()),
                choices,
                ending: n.ending,
            });
        }
        if let Some(start) = start {
            self.check_story_paths(s, usize::from(start), &edges);
        }
        Story {
            id: s.id.v.clone(),
            title,
            objectives: objs,
            start: start.unwrap_or(0),
            nodes,
        }
    }

    /// Unreachable nodes (warning) and nodes from which no ending can be reached (error).
    fn check_story_paths(&mut self, s: &StorySrc, start: usize, edges: &[Vec<usize>]) {
        let n = s.nodes.len();
        let mut reachable = vec![false; n];
        let mut queue = VecDeque::from([start]);
        while let Some(i) = queue.pop_front() {
            match reachable.get_mut(i) {
                Some(r) if !*r => *r = true,
                _ => continue,
            }
            queue.extend(edges.get(i).into_iter().flatten().copied());
        }
        // Nodes that can reach an ending: a search backwards from the endings.
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (from, es) in edges.iter().enumerate() {
            for &to in es {
                if let Some(v) = incoming.get_mut(to) {
                    v.push(from);
                }
            }
        }
        let mut finishes = vec![false; n];
        let mut queue: VecDeque<usize> = s
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, nd)| nd.ending.is_some())
            .map(|(i, _)| i)
            .collect();
        while let Some(i) = queue.pop_front() {
            match finishes.get_mut(i) {
                Some(f) if !*f => *f = true,
                _ => continue,
            }
            queue.extend(incoming.get(i).into_iter().flatten().copied());
        }
        if !finishes.get(start).copied().unwrap_or(false) {
            let has_endings = s.nodes.iter().any(|nd| nd.ending.is_some());
            self.d.error(
                s.start.as_ref().map_or(s.loc, |st| st.loc),
                "no-reachable-ending",
                format!("no ending of story '{}' can be reached from its start", s.id.v),
                if has_endings {
                    "add a choice that leads (directly or through other nodes) to a node with `ending`".into()
                } else {
                    "mark the last node(s) with ending = \"safe\", \"unsafe\" or \"neutral\"".into()
                },
            );
        } else {
            for (i, nd) in s.nodes.iter().enumerate() {
                let r = reachable.get(i).copied().unwrap_or(false);
                let f = finishes.get(i).copied().unwrap_or(true);
                if r && !f && !nd.choices.is_empty() {
                    self.d.error(
                        nd.id.loc,
                        "no-reachable-ending",
                        format!(
                            "node '{}' of story '{}' leads only to loops: no ending can be reached from it",
                            nd.id.v, s.id.v
                        ),
                        "make one of its choices lead towards a node with `ending`".into(),
                    );
                }
            }
        }
        for (i, nd) in s.nodes.iter().enumerate() {
            if !reachable.get(i).copied().unwrap_or(true) {
                self.d.warn(
                    nd.id.loc,
                    "unreachable-node",
                    format!(
                        "node '{}' of story '{}' cannot be reached from the start ('{}')",
                        nd.id.v,
                        s.id.v,
                        s.start.as_ref().map_or("", |st| st.v.as_str())
                    ),
                    "add a choice with next = \"".to_string()
                        + &nd.id.v
                        + "\" to a reachable node, or remove the node",
                );
            }
        }
    }

    fn journey(
        &mut self,
        j: &JourneySrc,
        forms: &[Form],
        items: &[Item],
        objectives: &[Objective],
        refs: &Refs<'_>,
        usage: &mut Usage,
    ) -> Journey {
        let title = self.text(&format!("journey.{}.title", j.id.v), j.id.loc);
        let form_ids: Vec<Id> = j.forms.as_ref().map(|f| f.v.clone()).unwrap_or_default();
        let jforms = refs.forms.resolve_all(&mut self.d, &form_ids);
        for &f in &jforms {
            if let Some(u) = usage.forms.get_mut(usize::from(f)) {
                *u = true;
            }
        }
        let forms_loc = j.forms.as_ref().map_or(j.loc, |f| f.loc);
        if jforms.len() > 2 {
            self.d.warn(
                forms_loc,
                "extra-forms",
                format!(
                    "journey '{}' lists {} forms, but a crossover uses only the first two",
                    j.id.v,
                    jforms.len()
                ),
                "list two parallel forms (A and B), or one".into(),
            );
        }
        if jforms.len() >= 2 {
            self.check_parallel(j, forms_loc, &jforms, forms, items, objectives);
        }
        if j.intake.as_ref().is_some_and(|b| b.v) && self.src.intake.is_empty() {
            self.d.warn(
                j.intake.as_ref().map_or(j.loc, |b| b.loc),
                "no-intake-fields",
                format!(
                    "journey '{}' asks the intake questions, but there are none",
                    j.id.v
                ),
                "add [[intake]] fields to pack.toml, or set intake = false".into(),
            );
        }
        if j.card.as_ref().is_some_and(|b| b.v) && self.src.card.is_none() {
            self.d.error(
                j.card.as_ref().map_or(j.loc, |b| b.loc),
                "missing-card",
                format!("journey '{}' shows the reference card, but pack.toml has no [card]", j.id.v),
                "add a [card] table with objectives and resources to pack.toml, or set card = false"
                    .into(),
            );
        }
        if j.phases.is_empty() {
            self.d.error(
                j.loc,
                "empty-journey",
                format!("journey '{}' has no phases", j.id.v),
                "add [[journey.phase]] tables after it".into(),
            );
        }
        let mut phases = Vec::new();
        let mut tests_with_slot: Vec<(PhaseKind, FormSlot)> = Vec::new();
        for ph in &j.phases {
            let ptitle = self.text(
                &format!("journey.{}.phase.{}.title", j.id.v, ph.id.v),
                ph.id.loc,
            );
            let kind = ph.kind.unwrap_or(PhaseKind::Lesson);
            let content = if kind == PhaseKind::Lesson {
                let ls = ph.lessons.as_ref().map(|l| l.v.as_slice()).unwrap_or(&[]);
                if let Some(l) = &ph.lessons {
                    if l.v.is_empty() {
                        self.d.error(
                            l.loc,
                            "empty-phase",
                            format!("phase '{}' of journey '{}' has no lessons", ph.id.v, j.id.v),
                            "list the lessons to show, e.g. lessons = [\"key-messages\"]".into(),
                        );
                    }
                }
                let ix = refs.lessons.resolve_all(&mut self.d, ls);
                for &l in &ix {
                    if let Some(u) = usage.lessons.get_mut(usize::from(l)) {
                        *u = true;
                    }
                }
                PhaseContent::Lessons(ix)
            } else {
                if kind == PhaseKind::PreTest && ph.feedback.v == FeedbackPolicy::AfterEach {
                    self.d.error(
                        ph.feedback.loc,
                        "pretest-feedback",
                        format!(
                            "pre-test '{}' of journey '{}' asks for feedback after each answer",
                            ph.id.v, j.id.v
                        ),
                        "set feedback = \"none\": a pre-test measures what learners knew before and never gives feedback (use a practice phase for feedback)".into(),
                    );
                }
                let selection = match &ph.select {
                    Some(SelectSrc::Items(list)) => {
                        if list.v.is_empty() {
                            self.d.error(
                                list.loc,
                                "empty-phase",
                                format!("phase '{}' of journey '{}' selects no items", ph.id.v, j.id.v),
                                "list the items to ask, e.g. select = { items = [\"broker-promise\"] }".into(),
                            );
                        }
                        let ix = refs.items.resolve_all(&mut self.d, &list.v);
                        for &i in &ix {
                            if let Some(u) = usage.items.get_mut(usize::from(i)) {
                                *u = true;
                            }
                        }
                        Selection::Fixed(ix)
                    }
                    Some(SelectSrc::Form {
                        loc,
                        slot,
                        per_objective,
                    }) => {
                        if matches!(kind, PhaseKind::PreTest | PhaseKind::PostTest) {
                            tests_with_slot.push((kind, *slot));
                        }
                        self.check_form_select(
                            j,
                            ph.id.v.as_str(),
                            *loc,
                            *slot,
                            per_objective.as_ref(),
                            &jforms,
                            forms,
                            items,
                            objectives,
                        );
                        Selection::Form {
                            slot: *slot,
                            per_objective: per_objective.as_ref().map_or(0, |p| p.v),
                        }
                    }
                    None => Selection::Fixed(Vec::new()),
                };
                PhaseContent::Quiz(Quiz {
                    selection,
                    shuffle_items: ph.shuffle_items,
                    shuffle_options: ph.shuffle_options,
                    feedback: ph.feedback.v,
                })
            };
            phases.push(Phase {
                id: ph.id.v.clone(),
                title: ptitle,
                kind,
                content,
            });
        }
        if jforms.len() >= 2 {
            for slot in [FormSlot::First, FormSlot::Second] {
                let pre = tests_with_slot.contains(&(PhaseKind::PreTest, slot));
                let post = tests_with_slot.contains(&(PhaseKind::PostTest, slot));
                if pre && post {
                    let name = if slot == FormSlot::First {
                        "first"
                    } else {
                        "second"
                    };
                    self.d.warn(
                        forms_loc,
                        "same-form-twice",
                        format!(
                            "journey '{}' gives the {name} form in both the pre-test and the post-test, so learners answer the same items twice",
                            j.id.v
                        ),
                        "use form = \"first\" in the pre-test and form = \"second\" in the post-test (a crossover)".into(),
                    );
                }
            }
        }
        Journey {
            id: j.id.v.clone(),
            title,
            intake: j.intake.as_ref().is_some_and(|b| b.v),
            card: j.card.as_ref().is_some_and(|b| b.v),
            forms: jforms,
            phases,
        }
    }

    /// Items of a form per first objective.
    fn per_objective(form: &Form, items: &[Item], objectives: usize) -> Vec<usize> {
        let mut counts = vec![0usize; objectives];
        for &i in &form.items {
            if let Some(&o) = items
                .get(usize::from(i))
                .and_then(|it| it.objectives.first())
            {
                if let Some(c) = counts.get_mut(usize::from(o)) {
                    *c += 1;
                }
            }
        }
        counts
    }

    fn check_parallel(
        &mut self,
        j: &JourneySrc,
        loc: Loc,
        jforms: &[u16],
        forms: &[Form],
        items: &[Item],
        objectives: &[Objective],
    ) {
        let Some(first) = jforms.first().and_then(|&f| forms.get(usize::from(f))) else {
            return;
        };
        let base = Self::per_objective(first, items, objectives.len());
        for other in jforms
            .iter()
            .skip(1)
            .filter_map(|&f| forms.get(usize::from(f)))
        {
            let counts = Self::per_objective(other, items, objectives.len());
            let diffs: Vec<String> = objectives
                .iter()
                .zip(base.iter().zip(&counts))
                .filter(|(_, (a, b))| a != b)
                .map(|(o, (a, b))| format!("'{}' {a} vs {b}", o.id))
                .collect();
            if !diffs.is_empty() {
                self.d.warn(
                    loc,
                    "forms-not-parallel",
                    format!(
                        "forms '{}' and '{}' of journey '{}' are not parallel: items per objective differ ({})",
                        first.id,
                        other.id,
                        j.id.v,
                        diffs.join(", ")
                    ),
                    "give parallel forms the same number of items for each objective (an item counts for the first objective it lists), so that pre- and post-test scores compare".into(),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_form_select(
        &mut self,
        j: &JourneySrc,
        phase: &str,
        loc: Loc,
        slot: FormSlot,
        per_objective: Option<&super::read::Sp<u8>>,
        jforms: &[u16],
        forms: &[Form],
        items: &[Item],
        objectives: &[Objective],
    ) {
        let declared = j.forms.as_ref().is_some_and(|f| !f.v.is_empty());
        if !declared {
            self.d.error(
                loc,
                "form-selection-without-forms",
                format!(
                    "phase '{phase}' of journey '{}' selects from a form, but the journey lists no `forms`",
                    j.id.v
                ),
                "add forms = [\"A\", \"B\"] to the journey (parallel forms), or select = { items = [\"…\"] }".into(),
            );
            return;
        }
        if slot == FormSlot::Second && j.forms.as_ref().is_some_and(|f| f.v.len() < 2) {
            self.d.error(
                loc,
                "missing-second-form",
                format!(
                    "phase '{phase}' of journey '{}' selects the second form, but the journey lists only one",
                    j.id.v
                ),
                "add a second, parallel form to the journey's `forms`, or use form = \"first\"".into(),
            );
        }
        let Some(n) = per_objective else {
            return;
        };
        let used: Vec<&Form> = jforms
            .iter()
            .take(2)
            .filter_map(|&f| forms.get(usize::from(f)))
            .collect();
        let counts: Vec<(&Form, Vec<usize>)> = used
            .iter()
            .map(|f| (*f, Self::per_objective(f, items, objectives.len())))
            .collect();
        let covered: Vec<usize> = (0..objectives.len())
            .filter(|&o| {
                counts
                    .iter()
                    .any(|(_, c)| c.get(o).copied().unwrap_or(0) > 0)
            })
            .collect();
        if covered.is_empty() && !used.is_empty() {
            self.d.error(
                n.loc,
                "empty-phase",
                format!(
                    "phase '{phase}' of journey '{}' draws per objective, but no item of its forms has an objective",
                    j.id.v
                ),
                "give the forms' items objectives = [\"…\"], or leave out per_objective to take whole forms".into(),
            );
        }
        for (form, c) in &counts {
            for &o in &covered {
                let have = c.get(o).copied().unwrap_or(0);
                if have < usize::from(n.v) {
                    let oid = objectives.get(o).map_or("", |x| x.id.as_str());
                    self.d.error(
                        n.loc,
                        "too-few-items",
                        format!(
                            "phase '{phase}' of journey '{}' draws {} items per objective, but form '{}' has {have} for objective '{oid}'",
                            j.id.v, n.v, form.id
                        ),
                        format!(
                            "add items whose first objective is '{oid}' to form '{}', or lower per_objective to {have}",
                            form.id
                        ),
                    );
                }
            }
            for &i in &form.items {
                if let Some(it) = items.get(usize::from(i)) {
                    if it.objectives.is_empty() {
                        let loc = self.items_src.get(usize::from(i)).map_or(loc, |s| s.id.loc);
                        self.d.warn(
                            loc,
                            "never-drawn",
                            format!(
                                "item '{}' has no objectives, so phase '{phase}' of journey '{}' never draws it from form '{}'",
                                it.id, j.id.v, form.id
                            ),
                            "give it objectives = [\"…\"] (the first one counts for drawing)".into(),
                        );
                    }
                }
            }
        }
    }

    fn report_unused(&mut self, usage: &Usage) {
        for (it, used) in self.items_src.iter().zip(&usage.items) {
            if !used {
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
            if !used {
                self.d.warn(
                    l.id.loc,
                    "unused-lesson",
                    format!("lesson '{}' is used by no journey", l.id.v),
                    "add it to a lesson phase's lessons = [...], or remove it".into(),
                );
            }
        }
        for (s, used) in self.lessons_src.stories.iter().zip(&usage.stories) {
            if !used {
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

/// The indices a journey refers to.
struct Refs<'a> {
    items: &'a Index,
    lessons: &'a Index,
    forms: &'a Index,
}
