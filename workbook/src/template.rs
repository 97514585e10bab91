//! The starting pack of `kru new DIR --languages en,km`: small, valid and commented, with two
//! objectives, an item of every type, a lesson, a two-scene story and a kiosk journey. The
//! first language gets every string (in English, to be replaced); the others get a file
//! that lists what to translate, so the pack validates with one "missing strings" warning per
//! language until they are done.

use kru_core::authoring::SourceFile;

use crate::WorkbookError;

/// Own names and digits of some languages; others get their tag and Latin digits.
const KNOWN: &[(&str, &str, &str)] = &[
    ("en", "English", "latn"),
    ("km", "ខ្មែរ", "khmr"),
    ("th", "ไทย", "latn"),
    ("lo", "ລາວ", "latn"),
    ("my", "မြန်မာ", "mymr"),
    ("vi", "Tiếng Việt", "latn"),
    ("fr", "Français", "latn"),
];

/// A pack id from a folder name: lower case, other characters as `-`.
pub fn pack_id(name: &str) -> String {
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "my-pack".into()
    } else {
        id.chars().take(kru_core::limits::MAX_ID_BYTES).collect()
    }
}

/// The files of a new pack with this id, these languages (the first is the default) and
/// `today` (`YYYY-MM-DD`) as the date its help number was verified.
pub fn new_pack(
    id: &str,
    languages: &[&str],
    today: &str,
) -> Result<Vec<SourceFile>, WorkbookError> {
    let Some(first) = languages.first() else {
        return Err(WorkbookError::Layout(
            "give at least one language, e.g. --languages en,km".into(),
        ));
    };
    for (i, tag) in languages.iter().enumerate() {
        let ok = !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !ok || languages.get(..i).is_some_and(|l| l.contains(tag)) {
            return Err(WorkbookError::Layout(format!(
                "'{tag}' is not a language tag such as en or km (each once)"
            )));
        }
    }
    let mut pack = format!(
        r#"# A new kru pack. Structure only: every text a learner sees is in i18n/<language>.toml.
# The format is in docs/pack-format.md; check it with `kru validate .`, build it with
# `kru build . -o {id}.krupack`. The same pack as a spreadsheet: {id}.xlsx (`kru convert`).

[pack]
id = "{id}"
version = "0.1.0"
authors = ["your organisation"]
licence = "CC-BY-4.0"
default_language = "{first}"      # every text must exist in this language
verification_max_age_days = 365  # warn when a help number was checked longer ago

# The languages, in order of preference. A new language is a new i18n/<tag>.toml file.
"#
    );
    for (i, tag) in languages.iter().enumerate() {
        let (name, digits) = KNOWN
            .iter()
            .find(|(t, _, _)| t == tag)
            .map_or((*tag, "latn"), |(_, n, d)| (*n, *d));
        let status = if i == 0 { "reviewed" } else { "draft" };
        pack.push_str(&format!(
            "\n[[language]]\ntag = \"{tag}\"\nname = \"{name}\"\nstatus = \"{status}\"\nnumerals = \"{digits}\"\n"
        ));
    }
    pack.push_str(&format!(
        r#"
# ---------------------------------------------------------------- objectives
# What learners should know at the end: each item and lesson says which objectives it serves.

[[objective]]
id = "plan"

[[objective]]
id = "help"

# ---------------------------------------------------------------- help services

[[resource]]
id = "hotline"
phone = "1288"
verified = "{today}"   # the day someone last called the number to check it

# ---------------------------------------------------------------- journeys
# A kiosk visit: three questions, the lesson, the same questions again.

[[journey]]
id = "kiosk"
intake = false
card = false

[[journey.phase]]
id = "pre"
kind = "pre-test"
select = {{ items = ["plan-first", "help-number", "plan-steps"] }}
shuffle_options = true
feedback = "none"      # a pre-test never shows feedback

[[journey.phase]]
id = "lesson"
kind = "lesson"
lessons = ["basics"]

[[journey.phase]]
id = "practice"
kind = "practice"
select = {{ items = ["plan-papers", "help-free", "plan-match", "help-months", "plan-feel"] }}
shuffle_options = true
feedback = "after-each"

[[journey.phase]]
id = "post"
kind = "post-test"
select = {{ items = ["plan-first", "help-number", "plan-steps"] }}
shuffle_options = true
feedback = "after-phase"   # the review comes after the score: no answer gives away the next
"#
    ));

    let items = r#"# The item bank: one [[item]] of every type. Option ids are the keys of their texts in
# i18n/<language>.toml under [item.<id>.options].

[[item]]
id = "plan-first"
objectives = ["plan"]
type = "single"                      # one right option
options = ["check", "go", "pay"]
answer = "check"

[[item]]
id = "plan-papers"
objectives = ["plan"]
type = "multiple"                    # several right options
options = ["passport", "contract", "land-title"]
answer = ["passport", "contract"]

[[item]]
id = "help-free"
objectives = ["help"]
type = "true-false"
answer = true                        # without quotes

[[item]]
id = "plan-steps"
objectives = ["plan"]
type = "ordering"                    # the steps in the right order; shown shuffled
steps = ["ask", "check", "decide"]

[[item]]
id = "plan-match"
objectives = ["plan"]
type = "matching"                    # each left entry to one right entry
left = ["passport", "contract"]
right = ["travel", "wage"]
pairs = { passport = "travel", contract = "wage" }

[[item]]
id = "help-number"
objectives = ["help"]
type = "text"                        # typed answer, compared after normalisation
accept = ["1288"]

[[item]]
id = "help-months"
objectives = ["help"]
type = "numeric"
answer = 3
tolerance = 0

[[item]]
id = "plan-feel"
objectives = ["plan"]
type = "likert"                      # an attitude: not scored
scale = ["disagree", "unsure", "agree"]
"#;

    let lessons = r#"# Lessons are pages of blocks; each block names a text of the lesson in
# i18n/<language>.toml under [lesson.<id>]. Stories are scenes with choices.

[[lesson]]
id = "basics"
objectives = ["plan", "help"]

[[lesson.page]]
blocks = [
  { heading = "title" },
  { paragraph = "intro" },
  { list = ["step-ask", "step-check", "step-decide"] },
  { key_message = "plan" },
]

[[lesson.page]]
blocks = [
  { story = "offer" },
  { emphasis = "remember" },
  { resource = "hotline" },
]

# A two-scene story: the offer, then how it ends.
[[story]]
id = "offer"
start = "offer"
objectives = ["plan"]

[[story.node]]
id = "offer"
choices = [ { id = "check", next = "checked" }, { id = "go", next = "rushed" } ]

[[story.node]]
id = "checked"
ending = "safe"

[[story.node]]
id = "rushed"
ending = "unsafe"
"#;

    let texts = r#"[pack]
title = "A new pack"
description = "What this pack teaches, and for whom."

[objective.plan]
title = "Plan before you go"
summary = "Check the job and the agency before you pay or sign anything."

[objective.help]
title = "Know where to get help"
summary = "The hotline is free. Call it if you or someone you know is in trouble."

[resource.hotline]
name = "Hotline"
hours = "Every day"
purpose = "Free help for migrants and their families."

[journey.kiosk]
title = "Kiosk"

[journey.kiosk.phase.pre]
title = "What do you know already?"

[journey.kiosk.phase.lesson]
title = "Lesson"

[journey.kiosk.phase.practice]
title = "Practice"

[journey.kiosk.phase.post]
title = "What have you learned?"

[item.plan-first]
prompt = "Someone offers you a job abroad. What do you do first?"
explanation = "Check the offer with your local authority before anything else."

[item.plan-first.options]
check = "Check the offer"
go = "Leave at once"
pay = "Pay the fee"

[item.plan-papers]
prompt = "Which papers do you need to work abroad legally? Choose all that apply."
explanation = "A passport and a contract; a land title is not needed."

[item.plan-papers.options]
passport = "A passport"
contract = "A work contract"
land-title = "A land title"

[item.help-free]
prompt = "The hotline is free to call."
explanation = "True: calling costs nothing."

[item.plan-steps]
prompt = "Put the steps in the right order."
explanation = "Ask, then check, then decide."

[item.plan-steps.options]
ask = "Ask for the details"
check = "Check them with the commune"
decide = "Decide with your family"

[item.plan-match]
prompt = "Match each paper to what it is for."
explanation = "A passport is for travel; a contract writes down the wage."

[item.plan-match.options]
passport = "Passport"
contract = "Contract"
travel = "Travel"
wage = "Your wage"

[item.help-number]
prompt = "What is the hotline number?"
explanation = "The number is 1288."

[item.help-months]
prompt = "A fee of 900 dollars, a wage of 300 dollars a month: how many months to pay it back?"
explanation = "900 ÷ 300 = 3 months."

[item.plan-feel]
prompt = "I would check a job offer before I go."
explanation = "There is no right or wrong answer."

[item.plan-feel.options]
disagree = "Disagree"
unsure = "Not sure"
agree = "Agree"

[lesson.basics]
title = "Migrating safely"
intro = "Three steps keep you safe when you look for work far from home:"
step-ask = "Ask for the name of the company, the job and the wage."
step-check = "Check them with your village chief or commune."
step-decide = "Decide with your family, and keep your papers yourself."
remember = "In trouble? Call the hotline."

[story.offer]
title = "The offer"

[story.offer.node.offer]
text = "A man offers Dara a job abroad. “Leave tonight,” he says."

[story.offer.node.offer.choice.check]
label = "Check the offer first"
consequence = "Dara asks the commune, who finds the job is not real."

[story.offer.node.offer.choice.go]
label = "Leave tonight"
consequence = "Dara leaves without checking anything."

[story.offer.node.checked]
text = "Dara stays safe at home and looks for a real job."

[story.offer.node.rushed]
text = "Dara ends up in a job without pay, far from home."
"#;

    let mut files = vec![
        SourceFile::new("pack.toml", pack),
        SourceFile::new("items.toml", items),
        SourceFile::new("lessons.toml", lessons),
        SourceFile::new(
            format!("i18n/{first}.toml"),
            format!(
                "# Every text of the pack in '{first}', the default language. Replace these\n# English examples with your own texts.\n\n{texts}"
            ),
        ),
    ];
    for tag in languages.iter().skip(1) {
        files.push(SourceFile::new(
            format!("i18n/{tag}.toml"),
            format!(
                "# The texts in '{tag}': copy the tables of i18n/{first}.toml here and translate\n# their values (or use `kru strings export`). Missing texts fall back to '{first}';\n# `kru validate` lists them.\n"
            ),
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_folder_names() {
        assert_eq!(pack_id("My Pack!"), "my-pack");
        assert_eq!(pack_id("///"), "my-pack");
    }

    #[test]
    fn bad_language_lists_are_refused() {
        assert!(new_pack("x", &[], "2026-01-01").is_err());
        assert!(new_pack("x", &["en", "en"], "2026-01-01").is_err());
        assert!(new_pack("x", &["e n"], "2026-01-01").is_err());
    }
}
