//! `lessons.toml`'s `[[story]]` tables: branching stories of nodes and choices.

use toml::de::DeTable;

use super::{check_duplicates, list_or_empty, word};
use crate::authoring::diag::{Diags, Loc};
use crate::authoring::read::{check_count, check_path, Fields, Id, Sp};
use crate::limits;
use crate::pack::lesson::Ending;

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

/// Reads a `[[story]]` and its nodes.
pub(super) fn read_story(d: &mut Diags, t: &DeTable<'_>, loc: Loc) -> Option<StorySrc> {
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
