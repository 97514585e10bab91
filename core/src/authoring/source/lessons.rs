//! `lessons.toml`'s `[[lesson]]` tables: pages of blocks (its `[[story]]` tables are read in
//! [`super::stories`]).

use toml::de::DeTable;

use super::list_or_empty;
use super::stories::{read_story, StorySrc};
use crate::authoring::diag::{did_you_mean, Diags, Loc};
use crate::authoring::read::{check_count, check_path, Fields, Id, Sp};
use crate::limits;

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

/// Everything `lessons.toml` says.
#[derive(Debug, Default)]
pub(crate) struct LessonsSrc {
    pub lessons: Vec<LessonSrc>,
    pub stories: Vec<StorySrc>,
}

/// The keys that name a block's kind.
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
        let mut f = Fields::new(t, loc, "[[lesson]]");
        if let Some(id) = f.raw_id().map(str::to_string) {
            f = f.with_strings(format!("lesson.{id}"));
        }
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

/// Reads one block of a lesson page: exactly one block kind.
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
