//! The invariants of a decoded pack, checked before a session may rely on them.
//!
//! [`Pack::check`] runs after decoding untrusted bytes: sizes within [`limits`], every index in
//! range, every text with one value per language, every item's key consistent, ids unique.

use alloc::format;
use alloc::string::String;

use super::error::PackError;
use super::item::ItemKind;
use super::journey::{PhaseContent, Selection};
use super::lesson::Block;
use super::Pack;
use crate::language::LanguageTag;
use crate::limits;

fn bad(path: String, reason: &str) -> PackError {
    PackError::Invalid {
        path,
        reason: String::from(reason),
    }
}

fn check_len(path: &str, len: usize, max: usize) -> Result<(), PackError> {
    if len > max {
        Err(PackError::Invalid {
            path: String::from(path),
            reason: format!("has {len} entries, more than the limit of {max}"),
        })
    } else {
        Ok(())
    }
}

/// [`check_len`] with a path made only when the check fails (the success path formats
/// nothing: a load checks every item and phase).
fn check_len_at(path: impl FnOnce() -> String, len: usize, max: usize) -> Result<(), PackError> {
    if len > max {
        check_len(&path(), len, max)
    } else {
        Ok(())
    }
}

fn check_index(path: impl FnOnce() -> String, idx: u16, len: usize) -> Result<(), PackError> {
    if usize::from(idx) < len {
        Ok(())
    } else {
        Err(PackError::Invalid {
            path: path(),
            reason: format!("refers to index {idx}, but there are only {len}"),
        })
    }
}

/// One of the checks [`Pack::check`] runs.
type Check = fn(&Pack) -> Result<(), PackError>;

impl Pack {
    /// Checks the invariants the engine relies on: sizes within [`limits`], every index in
    /// range, every text with one value per language, every item's key consistent. Run after
    /// decoding untrusted bytes.
    pub fn check(&self) -> Result<(), PackError> {
        // Run in this order; the first problem found is the error.
        let checks: [Check; 12] = [
            Self::check_languages_and_sizes,
            Self::check_texts,
            Self::check_ids,
            Self::check_indicators,
            Self::check_lessons,
            Self::check_stories,
            Self::check_items,
            Self::check_forms,
            Self::check_journeys,
            Self::check_intake_and_card,
            Self::check_interface,
            Self::check_reverse_keyed,
        ];
        checks.iter().try_for_each(|check| check(self))
    }

    /// At least one language, each with a valid tag, the default among them; every list
    /// within [`limits`].
    fn check_languages_and_sizes(&self) -> Result<(), PackError> {
        let nl = self.languages.len();
        if nl == 0 {
            return Err(bad(
                "languages".into(),
                "a pack needs at least one language",
            ));
        }
        check_len("languages", nl, limits::MAX_LANGUAGES)?;
        check_index(
            || "meta.default_language".into(),
            u16::from(self.meta.default_language),
            nl,
        )?;
        for (name, len) in [
            ("objectives", self.objectives.len()),
            ("indicators", self.indicators.len()),
            ("resources", self.resources.len()),
            ("intake", self.intake.len()),
            ("lessons", self.lessons.len()),
            ("stories", self.stories.len()),
            ("items", self.items.len()),
            ("forms", self.forms.len()),
            ("journeys", self.journeys.len()),
            ("interface", self.interface.len()),
        ] {
            check_len(name, len, limits::MAX_LIST_LEN)?;
        }
        for (i, l) in self.languages.iter().enumerate() {
            if LanguageTag::parse(&l.tag).is_err() {
                return Err(bad(
                    format!("languages[{i}].tag"),
                    "is not a valid BCP 47 tag",
                ));
            }
        }
        Ok(())
    }

    /// Every text has one value per language, none longer than [`limits::MAX_STRING_BYTES`].
    fn check_texts(&self) -> Result<(), PackError> {
        let nl = self.languages.len();
        let mut text_err: Option<PackError> = None;
        self.for_all_texts(|t| {
            if text_err.is_some() {
                return;
            }
            // A loaded pack's texts share one table, whose longest string is known: its
            // strings are looked at only when that one is too long.
            let too_long = t.table_longest() > limits::MAX_STRING_BYTES
                && t.values()
                    .chain(t.audio_values())
                    .any(|s| s.len() > limits::MAX_STRING_BYTES);
            if t.language_count() != nl {
                text_err = Some(bad(
                    "text".into(),
                    "a text does not have one value per pack language",
                ));
            } else if too_long {
                text_err = Some(bad("text".into(), "a string is longer than the limit"));
            }
        });
        match text_err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Interface-string ids are ids (ASCII letters, digits, `-`, `_`; at most
    /// [`limits::MAX_ID_BYTES`]), in strictly increasing order (so unique).
    fn check_interface(&self) -> Result<(), PackError> {
        let mut previous: Option<&str> = None;
        for (i, (id, _)) in self.interface.iter().enumerate() {
            let well_formed = !id.is_empty()
                && id.len() <= limits::MAX_ID_BYTES
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !well_formed {
                return Err(bad(format!("interface[{i}]"), "is not a valid id"));
            }
            if previous.is_some_and(|p| p >= id.as_str()) {
                return Err(bad(
                    format!("interface[{i}]"),
                    "ids must be unique and in order",
                ));
            }
            previous = Some(id);
        }
        Ok(())
    }

    /// The reverse-keyed items are Likert items, each once, in order.
    fn check_reverse_keyed(&self) -> Result<(), PackError> {
        let mut previous: Option<u16> = None;
        for (i, &item) in self.reverse_keyed.iter().enumerate() {
            let path = || format!("reverse_keyed[{i}]");
            check_index(path, item, self.items.len())?;
            if previous.is_some_and(|p| p >= item) {
                return Err(bad(path(), "items must be unique and in order"));
            }
            let likert = self
                .items
                .get(usize::from(item))
                .is_some_and(|it| matches!(it.kind, ItemKind::Likert { .. }));
            if !likert {
                return Err(bad(path(), "only a Likert item can be reverse-keyed"));
            }
            previous = Some(item);
        }
        Ok(())
    }

    /// Indicators refer to existing items.
    fn check_indicators(&self) -> Result<(), PackError> {
        let ni = self.items.len();
        for (i, ind) in self.indicators.iter().enumerate() {
            for &it in &ind.items {
                check_index(|| format!("indicators[{i}].items"), it, ni)?;
            }
        }
        Ok(())
    }

    /// Lessons refer to existing objectives, stories and resources; pages and lists within
    /// [`limits`].
    fn check_lessons(&self) -> Result<(), PackError> {
        let no = self.objectives.len();
        for (li, l) in self.lessons.iter().enumerate() {
            check_len("lesson pages", l.pages.len(), limits::MAX_LIST_LEN)?;
            for &o in &l.objectives {
                check_index(|| format!("lessons[{li}].objectives"), o, no)?;
            }
            for (pi, p) in l.pages.iter().enumerate() {
                check_len("page blocks", p.blocks.len(), limits::MAX_LIST_LEN)?;
                for b in &p.blocks {
                    let path = || format!("lessons[{li}].pages[{pi}]");
                    match b {
                        Block::KeyMessage(o) => check_index(path, *o, no)?,
                        Block::Story(s) => check_index(path, *s, self.stories.len())?,
                        Block::Resource(r) => check_index(path, *r, self.resources.len())?,
                        Block::List(ts) => check_len("list", ts.len(), limits::MAX_LIST_LEN)?,
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// Stories start at an existing node; every node has choices leading to existing nodes,
    /// or is an ending.
    fn check_stories(&self) -> Result<(), PackError> {
        let no = self.objectives.len();
        for (si, s) in self.stories.iter().enumerate() {
            let nn = s.nodes.len();
            check_len("story nodes", nn, limits::MAX_LIST_LEN)?;
            check_index(|| format!("stories[{si}].start"), s.start, nn)?;
            for &o in &s.objectives {
                check_index(|| format!("stories[{si}].objectives"), o, no)?;
            }
            for (ni_, n) in s.nodes.iter().enumerate() {
                check_len("story choices", n.choices.len(), limits::MAX_OPTIONS)?;
                if n.choices.is_empty() && n.ending.is_none() {
                    return Err(bad(
                        format!("stories[{si}].nodes[{ni_}]"),
                        "has no choices and is not an ending",
                    ));
                }
                for c in &n.choices {
                    check_index(|| format!("stories[{si}].nodes[{ni_}].choices"), c.next, nn)?;
                }
            }
        }
        Ok(())
    }

    /// Items refer to existing objectives, and each item's key is consistent with its kind.
    fn check_items(&self) -> Result<(), PackError> {
        let no = self.objectives.len();
        for (ii, it) in self.items.iter().enumerate() {
            let path = || format!("items[{ii}] ('{}')", it.id);
            for &o in &it.objectives {
                check_index(path, o, no)?;
            }
            let n = it.kind.shuffle_len();
            check_len_at(path, n, limits::MAX_OPTIONS)?;
            check_item_key(&it.kind, path)?;
        }
        Ok(())
    }

    /// Forms refer to existing items.
    fn check_forms(&self) -> Result<(), PackError> {
        let ni = self.items.len();
        for (fi, f) in self.forms.iter().enumerate() {
            check_len("form items", f.items.len(), limits::MAX_LIST_LEN)?;
            for &it in &f.items {
                check_index(|| format!("forms[{fi}].items"), it, ni)?;
            }
        }
        Ok(())
    }

    /// Journeys refer to existing forms, lessons and items; a phase drawing from a form has
    /// forms to draw from.
    fn check_journeys(&self) -> Result<(), PackError> {
        let ni = self.items.len();
        for (ji, j) in self.journeys.iter().enumerate() {
            check_len("journey phases", j.phases.len(), 255)?;
            for &f in &j.forms {
                check_index(|| format!("journeys[{ji}].forms"), f, self.forms.len())?;
            }
            for (pi, p) in j.phases.iter().enumerate() {
                let path = || format!("journeys[{ji}].phases[{pi}]");
                match &p.content {
                    PhaseContent::Lessons(ls) => {
                        for &l in ls {
                            check_index(path, l, self.lessons.len())?;
                        }
                    }
                    PhaseContent::Quiz(q) => match &q.selection {
                        Selection::Fixed(items) => {
                            check_len_at(path, items.len(), limits::MAX_LIST_LEN)?;
                            for &it in items {
                                check_index(path, it, ni)?;
                            }
                        }
                        Selection::Form { .. } => {
                            if j.forms.is_empty() {
                                return Err(bad(
                                    path(),
                                    "selects from a form but the journey has no forms",
                                ));
                            }
                        }
                    },
                }
            }
        }
        Ok(())
    }

    /// Intake options within [`limits`]; the reference card refers to existing objectives
    /// and resources.
    fn check_intake_and_card(&self) -> Result<(), PackError> {
        let no = self.objectives.len();
        for field in &self.intake {
            check_len("intake options", field.options.len(), limits::MAX_LIST_LEN)?;
        }
        for &o in &self.card.objectives {
            check_index(|| "card.objectives".into(), o, no)?;
        }
        for &r in &self.card.resources {
            check_index(|| "card.resources".into(), r, self.resources.len())?;
        }
        Ok(())
    }

    /// Every id (and language tag) is non-empty and at most [`limits::MAX_ID_BYTES`]; so is
    /// every language's name. Ids are looked at in pack order (the pack's id, objectives,
    /// indicators, resources, intake fields and their options, lessons, stories with their
    /// nodes and choices, items, forms, journeys and their phases, language tags) and the
    /// first bad one is the error. One call per id, no list of them: this runs in every pack
    /// load, the browser's too, where code is download size.
    fn check_ids(&self) -> Result<(), PackError> {
        if self
            .languages
            .iter()
            .any(|l| l.name.len() > limits::MAX_ID_BYTES)
        {
            return Err(bad(
                "languages".into(),
                "has a name longer than the id limit",
            ));
        }
        let mut ids = IdCheck(None);
        ids.see("meta.id", &self.meta.id);
        for o in &self.objectives {
            ids.see("objective id", &o.id);
        }
        for o in &self.indicators {
            ids.see("indicator id", &o.id);
        }
        for o in &self.resources {
            ids.see("resource id", &o.id);
        }
        for f in &self.intake {
            ids.see("intake id", &f.id);
            for o in &f.options {
                ids.see("intake option code", &o.code);
            }
        }
        for o in &self.lessons {
            ids.see("lesson id", &o.id);
        }
        for st in &self.stories {
            ids.see("story id", &st.id);
            for n in &st.nodes {
                ids.see("story node id", &n.id);
                for c in &n.choices {
                    ids.see("story choice id", &c.id);
                }
            }
        }
        for o in &self.items {
            ids.see("item id", &o.id);
        }
        for o in &self.forms {
            ids.see("form id", &o.id);
        }
        for j in &self.journeys {
            ids.see("journey id", &j.id);
            for p in &j.phases {
                ids.see("phase id", &p.id);
            }
        }
        for l in &self.languages {
            ids.see("language tag", &l.tag);
        }
        match ids.0 {
            Some(what) => Err(PackError::Invalid {
                path: String::from(what),
                reason: format!("is empty or longer than {} bytes", limits::MAX_ID_BYTES),
            }),
            None => Ok(()),
        }
    }
}

/// What the first empty or too long id of [`Pack::check_ids`] is (e.g. `"item id"`).
struct IdCheck(Option<&'static str>);

impl IdCheck {
    /// Looks at one id; keeps `what` if it is the first bad one.
    #[inline(never)]
    fn see(&mut self, what: &'static str, id: &str) {
        if self.0.is_none() && (id.is_empty() || id.len() > limits::MAX_ID_BYTES) {
            self.0 = Some(what);
        }
    }
}

/// Checks that an item's key is consistent with its kind (`path` names the item in errors).
fn check_item_key(kind: &ItemKind, path: impl Fn() -> String + Copy) -> Result<(), PackError> {
    match kind {
        ItemKind::SingleChoice { options, correct } => {
            if options.len() < 2 {
                return Err(bad(path(), "a single-choice item needs at least 2 options"));
            }
            check_index(path, *correct, options.len())?;
        }
        ItemKind::MultipleResponse { options, correct } => {
            if correct.is_empty() {
                return Err(bad(path(), "a multiple-response item needs a right option"));
            }
            for (k, &c) in correct.iter().enumerate() {
                check_index(path, c, options.len())?;
                if correct.iter().take(k).any(|&d| d == c) {
                    return Err(bad(path(), "repeats a right option"));
                }
            }
        }
        ItemKind::Ordering { steps } => {
            if steps.len() < 2 {
                return Err(bad(path(), "an ordering item needs at least 2 steps"));
            }
        }
        ItemKind::Matching { left, right, pairs } => {
            check_len_at(path, left.len(), limits::MAX_OPTIONS)?;
            if pairs.len() != left.len() || left.is_empty() {
                return Err(bad(path(), "a matching item needs one pair per left entry"));
            }
            for &p in pairs {
                check_index(path, p, right.len())?;
            }
        }
        ItemKind::ShortText { accepted } => {
            if accepted.is_empty() {
                return Err(bad(path(), "a text item needs an accepted answer"));
            }
        }
        ItemKind::Numeric { value, tolerance } => {
            if !value.is_finite() || !tolerance.is_finite() || *tolerance < 0.0 {
                return Err(bad(
                    path(),
                    "a numeric item needs a finite value and tolerance",
                ));
            }
        }
        ItemKind::Likert { scale } => {
            if scale.len() < 2 {
                return Err(bad(path(), "a Likert scale needs at least 2 points"));
            }
        }
        ItemKind::TrueFalse { .. } => {}
    }
    Ok(())
}
