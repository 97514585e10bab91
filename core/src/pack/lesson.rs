//! Lessons (ordered pages of blocks) and branching stories.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::pack::text::Text;

/// A lesson: ordered pages, serving some objectives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    /// The lesson's id.
    pub id: String,
    /// The lesson's title.
    pub title: Text,
    /// Indices of the objectives it serves.
    pub objectives: Vec<u16>,
    /// Its pages, in order.
    pub pages: Vec<Page>,
}

/// One screen of a lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Its blocks, top to bottom.
    pub blocks: Vec<Block>,
}

/// A block of a lesson page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// A heading.
    Heading(Text),
    /// A paragraph.
    Paragraph(Text),
    /// A bulleted list.
    List(Vec<Text>),
    /// A highlighted call-out.
    Emphasis(Text),
    /// A key-message card: the objective's title and summary.
    KeyMessage(u16),
    /// An image with alternative text.
    Image {
        /// Path of the image inside the pack's media folder.
        src: String,
        /// What the image shows, for screen readers and text kiosks.
        alt: Text,
    },
    /// An interactive branching story (played as its own steps after the page).
    Story(u16),
    /// A help service card (name, number, hours, purpose).
    Resource(u16),
}

/// A branching story: nodes with choices that lead to consequences and next nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    /// The story's id.
    pub id: String,
    /// The story's title.
    pub title: Text,
    /// Indices of the objectives it serves.
    pub objectives: Vec<u16>,
    /// Index of the first node.
    pub start: u16,
    /// The nodes.
    pub nodes: Vec<StoryNode>,
}

/// A scene of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryNode {
    /// The node's id.
    pub id: String,
    /// What happens.
    pub text: Text,
    /// Optional picture.
    pub image: Option<String>,
    /// What the learner can choose (empty for an ending).
    pub choices: Vec<StoryChoice>,
    /// Set on endings.
    pub ending: Option<Ending>,
}

/// A choice in a story node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryChoice {
    /// The choice's id.
    pub id: String,
    /// What the learner chooses.
    pub label: Text,
    /// What happens because of it.
    pub consequence: Text,
    /// Index of the node it leads to.
    pub next: u16,
}

/// How a story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Ending {
    /// The character stays safe.
    Safe,
    /// The character is exploited or trafficked.
    Unsafe,
    /// Neither.
    Neutral,
}

impl Ending {
    /// The stable name used in the source format and the APIs.
    pub fn name(self) -> &'static str {
        match self {
            Ending::Safe => "safe",
            Ending::Unsafe => "unsafe",
            Ending::Neutral => "neutral",
        }
    }
}
