//! Compiling the lessons (pages of blocks) and the stories they show.

use std::collections::VecDeque;

use super::index::{Index, Indexes};
use super::{mark_used, Builder, Usage};
use crate::authoring::read::Id;
use crate::authoring::source::{BlockSrc, LessonSrc, StorySrc};
use crate::pack::lesson::{Block, Lesson, Page, Story, StoryChoice, StoryNode};

impl Builder<'_> {
    /// Compiles a lesson, resolving what its blocks refer to.
    pub(super) fn lesson(&mut self, l: &LessonSrc, ix: &Indexes, usage: &mut Usage) -> Lesson {
        let title = self.text(&format!("lesson.{}.title", l.id.v), l.id.loc);
        let objs = ix.objectives.resolve_all(&mut self.d, &l.objectives);
        let mut pages = Vec::new();
        for p in &l.pages {
            let mut blocks = Vec::new();
            for b in &p.blocks {
                blocks.extend(self.block(&l.id, b, ix, usage));
            }
            pages.push(Page { blocks });
        }
        Lesson {
            id: l.id.v.clone(),
            title,
            objectives: objs,
            pages,
        }
    }

    /// Compiles a block of lesson `lesson`; `None` when what it refers to is unknown
    /// (reported).
    fn block(
        &mut self,
        lesson: &Id,
        b: &BlockSrc,
        ix: &Indexes,
        usage: &mut Usage,
    ) -> Option<Block> {
        let key = |k: &Id| format!("lesson.{}.{}", lesson.v, k.v);
        match b {
            BlockSrc::Heading(k) => Some(Block::Heading(self.text(&key(k), k.loc))),
            BlockSrc::Paragraph(k) => Some(Block::Paragraph(self.text(&key(k), k.loc))),
            BlockSrc::Emphasis(k) => Some(Block::Emphasis(self.text(&key(k), k.loc))),
            BlockSrc::List(ks) => Some(Block::List(
                ks.iter().map(|k| self.text(&key(k), k.loc)).collect(),
            )),
            BlockSrc::Image { src: path, alt } => Some(Block::Image {
                src: {
                    self.check_media(path, "image");
                    path.v.clone()
                },
                alt: self.text(&key(alt), alt.loc),
            }),
            BlockSrc::KeyMessage(o) => ix.objectives.resolve(&mut self.d, o).map(Block::KeyMessage),
            BlockSrc::Story(s) => ix.stories.resolve(&mut self.d, s).map(|i| {
                mark_used(&mut usage.stories, &[i]);
                Block::Story(i)
            }),
            BlockSrc::Resource(r) => ix.resources.resolve(&mut self.d, r).map(Block::Resource),
        }
    }

    /// Compiles a story, checking that its endings can be reached.
    pub(super) fn story(&mut self, s: &StorySrc, objectives: &Index) -> Story {
        let k = |rest: &str| format!("story.{}.{rest}", s.id.v);
        let title = self.text(&k("title"), s.id.loc);
        let objs = objectives.resolve_all(&mut self.d, &s.objectives);
        // Duplicate node ids were reported when the story was read.
        let nodes_ix = Index::unchecked(
            s.nodes.iter().map(|n| &n.id),
            "node",
            "this story ([[story.node]])",
        );
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
}
