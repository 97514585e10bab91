//! Compiling the journeys: their forms, phases and selections, with the checks of a
//! crossover design (parallel forms, the first form in the pre-test and the second in the
//! post-test).

use super::index::Indexes;
use super::{mark_used, Builder, Usage};
use crate::authoring::diag::Loc;
use crate::authoring::read::{Id, Sp};
use crate::authoring::source::{JourneySrc, PhaseSrc, SelectSrc};
use crate::pack::item::Item;
use crate::pack::journey::{
    FeedbackPolicy, FormSlot, Journey, Phase, PhaseContent, PhaseKind, Quiz, Selection,
};
use crate::pack::{Form, Objective};

/// The compiled parts of the pack a journey refers to, and the indices to resolve them.
pub(super) struct Parts<'a> {
    pub(super) forms: &'a [Form],
    pub(super) items: &'a [Item],
    pub(super) objectives: &'a [Objective],
    pub(super) ix: &'a Indexes,
}

impl Builder<'_> {
    /// Compiles a journey.
    pub(super) fn journey(
        &mut self,
        j: &JourneySrc,
        parts: &Parts<'_>,
        usage: &mut Usage,
    ) -> Journey {
        let title = self.text(&format!("journey.{}.title", j.id.v), j.id.loc);
        let (jforms, forms_loc) = self.journey_forms(j, parts, usage);
        self.check_journey_parts(j);
        let mut phases = Vec::new();
        let mut tests_with_slot: Vec<(PhaseKind, FormSlot)> = Vec::new();
        for ph in &j.phases {
            let kind = ph.kind.unwrap_or(PhaseKind::Lesson);
            if let Some(SelectSrc::Form { slot, .. }) = &ph.select {
                if matches!(kind, PhaseKind::PreTest | PhaseKind::PostTest) {
                    tests_with_slot.push((kind, *slot));
                }
            }
            phases.push(self.phase(j, ph, kind, &jforms, parts, usage));
        }
        if jforms.len() >= 2 {
            self.warn_same_form_twice(j, forms_loc, &tests_with_slot);
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

    /// Resolves the journey's `forms` (marking them used) and checks there are at most two
    /// and that they are parallel; returns them and where they are listed.
    fn journey_forms(
        &mut self,
        j: &JourneySrc,
        parts: &Parts<'_>,
        usage: &mut Usage,
    ) -> (Vec<u16>, Loc) {
        let form_ids: Vec<Id> = j.forms.as_ref().map(|f| f.v.clone()).unwrap_or_default();
        let jforms = parts.ix.forms.resolve_all(&mut self.d, &form_ids);
        mark_used(&mut usage.forms, &jforms);
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
        let broken = jforms
            .iter()
            .take(2)
            .any(|&f| usage.broken_forms.contains(&usize::from(f)));
        if jforms.len() >= 2 && !broken {
            self.check_parallel(j, forms_loc, &jforms, parts);
        }
        (jforms, forms_loc)
    }

    /// Checks that the intake and the card the journey shows exist, and that it has phases.
    fn check_journey_parts(&mut self, j: &JourneySrc) {
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
            // The phases' strings are not needed now; reporting them as unknown would only
            // echo this error.
            self.s.allow_prefix(&format!("journey.{}.phase", j.id.v));
            self.d.error(
                j.loc,
                "empty-journey",
                format!("journey '{}' has no phases", j.id.v),
                "add [[journey.phase]] tables after it".into(),
            );
        }
    }

    /// Compiles a phase: its lessons, or its quiz and how the quiz selects items.
    fn phase(
        &mut self,
        j: &JourneySrc,
        ph: &PhaseSrc,
        kind: PhaseKind,
        jforms: &[u16],
        parts: &Parts<'_>,
        usage: &mut Usage,
    ) -> Phase {
        let title = self.text(
            &format!("journey.{}.phase.{}.title", j.id.v, ph.id.v),
            ph.id.loc,
        );
        let content = if kind == PhaseKind::Lesson {
            self.lesson_phase(j, ph, parts.ix, usage)
        } else {
            self.quiz_phase(j, ph, kind, jforms, parts, usage)
        };
        Phase {
            id: ph.id.v.clone(),
            title,
            kind,
            content,
        }
    }

    /// The content of a lesson phase: its lessons, marked used.
    fn lesson_phase(
        &mut self,
        j: &JourneySrc,
        ph: &PhaseSrc,
        ix: &Indexes,
        usage: &mut Usage,
    ) -> PhaseContent {
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
        let lessons = ix.lessons.resolve_all(&mut self.d, ls);
        mark_used(&mut usage.lessons, &lessons);
        PhaseContent::Lessons(lessons)
    }

    /// The content of a quiz phase: its selection (the items marked used) and settings.
    fn quiz_phase(
        &mut self,
        j: &JourneySrc,
        ph: &PhaseSrc,
        kind: PhaseKind,
        jforms: &[u16],
        parts: &Parts<'_>,
        usage: &mut Usage,
    ) -> PhaseContent {
        if kind == PhaseKind::PreTest && ph.feedback.v != FeedbackPolicy::None {
            self.d.error(
                ph.feedback.loc,
                "pretest-feedback",
                format!(
                    "pre-test '{}' of journey '{}' asks for feedback after each answer",
                    ph.id.v, j.id.v
                ),
                "set feedback = \"none\": a pre-test measures what learners knew before and never gives feedback, not even a review at its end (use a practice phase for feedback)".into(),
            );
        }
        let selection = match &ph.select {
            Some(SelectSrc::Items(list)) => {
                if list.v.is_empty() {
                    self.d.error(
                        list.loc,
                        "empty-phase",
                        format!(
                            "phase '{}' of journey '{}' selects no items",
                            ph.id.v, j.id.v
                        ),
                        "list the items to ask, e.g. select = { items = [\"broker-promise\"] }"
                            .into(),
                    );
                }
                let ix = parts.ix.items.resolve_all(&mut self.d, &list.v);
                mark_used(&mut usage.items, &ix);
                Selection::Fixed(ix)
            }
            Some(SelectSrc::Form {
                loc,
                slot,
                per_objective,
            }) => {
                self.check_form_select(
                    j,
                    ph.id.v.as_str(),
                    *loc,
                    *slot,
                    per_objective.as_ref(),
                    jforms,
                    parts,
                    &usage.broken_forms,
                );
                Selection::Form {
                    slot: *slot,
                    per_objective: per_objective.as_ref().map_or(0, |p| p.v),
                }
            }
            None => Selection::Fixed(Vec::new()),
        };
        if kind == PhaseKind::PostTest && ph.feedback.v == FeedbackPolicy::AfterEach {
            self.warn_feedback_gives_away(j, ph, &selection, jforms, parts);
        }
        let dont_know = ph.dont_know.as_ref().is_some_and(|b| b.v);
        if let Some(b) = ph.dont_know.as_ref().filter(|b| b.v) {
            self.check_dont_know(j, ph, b.loc, &selection, jforms, parts);
        }
        PhaseContent::Quiz(Quiz {
            selection,
            shuffle_items: ph.shuffle_items,
            shuffle_options: ph.shuffle_options,
            feedback: ph.feedback.v,
            dont_know,
        })
    }

    /// `dont_know = true` needs a knowledge item to offer it on: "I don't know" is scored
    /// wrong, and an attitude (Likert) item has no wrong answer.
    fn check_dont_know(
        &mut self,
        j: &JourneySrc,
        ph: &PhaseSrc,
        loc: Loc,
        selection: &Selection,
        jforms: &[u16],
        parts: &Parts<'_>,
    ) {
        let items: Vec<u16> = match selection {
            Selection::Fixed(list) => list.clone(),
            Selection::Form { .. } => jforms
                .iter()
                .filter_map(|&f| parts.forms.get(usize::from(f)))
                .flat_map(|f| f.items.iter().copied())
                .collect(),
        };
        let knowledge = items
            .iter()
            .filter_map(|&i| parts.items.get(usize::from(i)))
            .any(|it| it.kind.is_scored());
        if !items.is_empty() && !knowledge {
            self.d.error(
                loc,
                "dont-know-without-knowledge-items",
                format!(
                    "phase '{}' of journey '{}' offers \"I don't know\", but asks only attitude (Likert) questions",
                    ph.id.v, j.id.v
                ),
                "\"I don't know\" is offered on knowledge items only (single or multiple choice, true/false, ordering, matching, text, numeric): remove dont_know from this phase".into(),
            );
        }
    }

    /// Warns that a post-test with feedback after each answer may give away the answers of
    /// the questions that come after the first one, naming them.
    fn warn_feedback_gives_away(
        &mut self,
        j: &JourneySrc,
        ph: &PhaseSrc,
        selection: &Selection,
        jforms: &[u16],
        parts: &Parts<'_>,
    ) {
        // The items a learner may meet after another one of the same phase.
        let later: Vec<u16> = match selection {
            Selection::Fixed(list) if ph.shuffle_items => list.clone(),
            Selection::Fixed(list) => list.iter().skip(1).copied().collect(),
            Selection::Form { .. } => jforms
                .iter()
                .filter_map(|&f| parts.forms.get(usize::from(f)))
                .flat_map(|f| f.items.iter().copied())
                .collect(),
        };
        let scored: Vec<&str> = later
            .iter()
            .filter_map(|&i| parts.items.get(usize::from(i)))
            .filter(|it| it.kind.is_scored())
            .map(|it| it.id.as_str())
            .collect();
        if scored.is_empty() {
            return;
        }
        const SHOWN: usize = 8;
        let mut names = scored
            .iter()
            .take(SHOWN)
            .map(|id| format!("'{id}'"))
            .collect::<Vec<_>>()
            .join(", ");
        if scored.len() > SHOWN {
            names.push_str(&format!(" and {} more", scored.len() - SHOWN));
        }
        self.d.warn(
            ph.feedback.loc,
            "post-test-feedback",
            format!(
                "post-test '{}' of journey '{}' explains each answer at once: an explanation may give away a later question of the same test ({names})",
                ph.id.v, j.id.v
            ),
            "set feedback = \"after-phase\": the answers are reviewed after the phase's score, when nothing is left to give away".into(),
        );
    }

    /// Warns when a pre-test and a post-test draw from the same form slot, so learners
    /// answer the same items twice.
    fn warn_same_form_twice(
        &mut self,
        j: &JourneySrc,
        forms_loc: Loc,
        tests_with_slot: &[(PhaseKind, FormSlot)],
    ) {
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

    /// Warns when the journey's forms do not have the same number of items per objective.
    fn check_parallel(&mut self, j: &JourneySrc, loc: Loc, jforms: &[u16], parts: &Parts<'_>) {
        let (forms, items, objectives) = (parts.forms, parts.items, parts.objectives);
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

    /// Checks a quiz phase's `select = { form = … }` against the journey's forms: they are
    /// declared, the second one exists when asked for, and with `per_objective` each form
    /// has enough items for every objective it covers.
    #[allow(clippy::too_many_arguments)]
    fn check_form_select(
        &mut self,
        j: &JourneySrc,
        phase: &str,
        loc: Loc,
        slot: FormSlot,
        per_objective: Option<&Sp<u8>>,
        jforms: &[u16],
        parts: &Parts<'_>,
        broken_forms: &[usize],
    ) {
        let (forms, items, objectives) = (parts.forms, parts.items, parts.objectives);
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
        // A form listing an unknown item (reported) has counts the author did not mean.
        let used: Vec<&Form> = jforms
            .iter()
            .take(2)
            .filter(|&&f| !broken_forms.contains(&usize::from(f)))
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
        let mut short: Vec<String> = Vec::new();
        let mut fewest = usize::from(n.v);
        for (form, c) in &counts {
            let mut lacking = Vec::new();
            for &o in &covered {
                let have = c.get(o).copied().unwrap_or(0);
                if have < usize::from(n.v) {
                    let oid = objectives.get(o).map_or("", |x| x.id.as_str());
                    lacking.push(format!("'{oid}' {have}"));
                    fewest = fewest.min(have);
                }
            }
            if !lacking.is_empty() {
                short.push(format!(
                    "form '{}' has fewer for {}",
                    form.id,
                    lacking.join(", ")
                ));
            }
        }
        // One cause, one message: a per_objective too high for several objectives and forms
        // is reported once, listing them all.
        if !short.is_empty() {
            self.d.error(
                n.loc,
                "too-few-items",
                format!(
                    "phase '{phase}' of journey '{}' draws {} items per objective, but {}",
                    j.id.v,
                    n.v,
                    short.join("; ")
                ),
                format!(
                    "lower per_objective to {fewest}, or add items to the forms for those objectives (an item counts for its first objective)"
                ),
            );
        }
        for (form, _) in &counts {
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
}
