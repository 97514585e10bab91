//! Compiling the items: texts, options and answer keys.

use super::index::Index;
use super::Builder;
use crate::authoring::read::{check_count, Id};
use crate::authoring::source::{ItemSrc, KindSrc};
use crate::limits;
use crate::pack::item::{Item, ItemKind};
use crate::pack::text::Text;

impl Builder<'_> {
    /// Compiles an item (a broken one, already reported, becomes a placeholder).
    pub(super) fn item(&mut self, it: &ItemSrc, objectives: &Index) -> Item {
        let k = |f: &str| format!("item.{}.{f}", it.id.v);
        let objs = objectives.resolve_all(&mut self.d, &it.objectives);
        let prompt = self.text(&k("prompt"), it.id.loc);
        // An attitude (Likert) item has no right answer to explain: its explanation is
        // optional.
        let explanation = if matches!(it.kind, Some(KindSrc::Likert { .. })) {
            self.s.optional(&mut self.d, &k("explanation"), it.id.loc)
        } else {
            self.text(&k("explanation"), it.id.loc)
        };
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
}
