//! Compiling the parts `pack.toml` defines: the metadata, objectives, indicators,
//! resources, intake fields, forms and the reference card.

use super::index::Indexes;
use super::{mark_used, Builder, Usage};
use crate::authoring::source::{ItemSrc, KindSrc};
use crate::pack::{
    Date, Form, Indicator, IntakeField, IntakeOption, Objective, PackMeta, ReferenceCard, Resource,
    Version,
};

impl Builder<'_> {
    /// The pack's metadata; checks that `min_engine` is not newer than this engine.
    pub(super) fn meta(&mut self, default: usize) -> PackMeta {
        let src = self.src;
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
        PackMeta {
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
        }
    }

    /// The objectives with their texts.
    pub(super) fn objectives(&mut self) -> Vec<Objective> {
        let src = self.src;
        src.objectives
            .iter()
            .map(|o| Objective {
                id: o.v.clone(),
                title: self.text(&format!("objective.{}.title", o.v), o.loc),
                summary: self.text(&format!("objective.{}.summary", o.v), o.loc),
            })
            .collect()
    }

    /// The indicators; warns about Likert items in them (never correct, so never met).
    pub(super) fn indicators(&mut self, ix: &Indexes) -> Vec<Indicator> {
        let (src, isrc) = (self.src, self.items_src);
        let mut indicators = Vec::new();
        for ind in &src.indicators {
            let items = ix.items.resolve_all(&mut self.d, &ind.items);
            for (id, &i) in ind.items.iter().zip(&items) {
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
                items,
            });
        }
        indicators
    }

    /// The help resources; with `today`, warns about verifications older than the pack's
    /// `verification_max_age_days`.
    pub(super) fn resources(&mut self) -> Vec<Resource> {
        let src = self.src;
        let mut resources = Vec::new();
        for r in &src.resources {
            if let (Some(today), Some(v)) = (self.today, &r.verified) {
                let age = today.days_since_epoch() - v.v.days_since_epoch();
                // One day of slack: the author's calendar may be a day ahead of UTC.
                if age < -1 {
                    self.d.error(
                        v.loc,
                        "future-verification",
                        format!(
                            "resource '{}' was verified on {}, which is {} days after today ({today})",
                            r.id.v, v.v, -age
                        ),
                        format!(
                            "set verified to the day the number was last checked, on or before {today} (a mistyped year?)"
                        ),
                    );
                } else if age > i64::from(src.meta.max_age_days) {
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
        resources
    }

    /// The intake fields with their labels and options.
    pub(super) fn intake(&mut self) -> Vec<IntakeField> {
        let src = self.src;
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
        intake
    }

    /// The forms, their items marked used.
    pub(super) fn forms(&mut self, ix: &Indexes, usage: &mut Usage) -> Vec<Form> {
        let src = self.src;
        let mut forms = Vec::new();
        for f in &src.forms {
            let items = ix.items.resolve_all(&mut self.d, &f.items);
            mark_used(&mut usage.items, &items);
            if items.len() != f.items.len() {
                // An unknown item (reported): its counts per objective are not what the
                // author meant, and the item it misspells is not really unused.
                usage.broken_forms.push(forms.len());
                for id in &f.items {
                    if let Some(i) = ix.items.suggestion(&id.v) {
                        mark_used(&mut usage.items, &[i]);
                    }
                }
            }
            forms.push(Form {
                id: f.id.v.clone(),
                items,
            });
        }
        forms
    }

    /// The reference card (empty when `pack.toml` has no `[card]`).
    pub(super) fn card(&mut self, ix: &Indexes) -> ReferenceCard {
        let src = self.src;
        match &src.card {
            Some(c) => ReferenceCard {
                title: self.text("card.title", c.loc),
                objectives: ix.objectives.resolve_all(&mut self.d, &c.objectives),
                resources: ix.resources.resolve_all(&mut self.d, &c.resources),
                footer: self.text("card.footer", c.loc),
            },
            None => ReferenceCard {
                title: self.empty_text(),
                objectives: Vec::new(),
                resources: Vec::new(),
                footer: self.empty_text(),
            },
        }
    }
}
