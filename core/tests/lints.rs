//! The item-writing lints of `kru validate` (`authoring::lint`, guidelines in docs/lints.md)
//! and the feedback policies' checks, on a small pack built to trip each one.

use kru_core::authoring::{compile, Compiled, Diagnostic, Severity, SourceFile};

mod common;
use common::edit;

const PACK: &str = r#"
[pack]
id = "lints"
version = "1.0.0"
default_language = "en"

[[language]]
tag = "en"
name = "English"

[[objective]]
id = "hotline"

[[objective]]
id = "documents"

[[form]]
id = "A"
items = ["a-number", "a-free", "a-docs", "a-keep"]

[[form]]
id = "B"
items = ["b-number", "b-free", "b-docs", "b-keep"]

[[journey]]
id = "school"
forms = ["A", "B"]

[[journey.phase]]
id = "pre"
kind = "pre-test"
select = { form = "first" }
shuffle_items = true

[[journey.phase]]
id = "attitude"
kind = "pre-test"
select = { items = ["att-one", "att-two"] }

[[journey.phase]]
id = "lesson"
kind = "lesson"
lessons = ["intro"]

[[journey.phase]]
id = "post"
kind = "post-test"
select = { form = "second" }
shuffle_items = true
feedback = "after-phase"
"#;

const ITEMS: &str = r#"
[[item]]
id = "a-number"
objectives = ["hotline"]
type = "single"
options = ["right", "wrong", "other"]
answer = "right"

[[item]]
id = "a-free"
objectives = ["hotline"]
type = "true-false"
answer = true

[[item]]
id = "a-docs"
objectives = ["documents"]
type = "single"
options = ["right", "wrong", "other"]
answer = "right"

[[item]]
id = "a-keep"
objectives = ["documents"]
type = "true-false"
answer = false

[[item]]
id = "b-number"
objectives = ["hotline"]
type = "single"
options = ["right", "wrong", "other"]
answer = "right"

[[item]]
id = "b-free"
objectives = ["hotline"]
type = "true-false"
answer = true

[[item]]
id = "b-docs"
objectives = ["documents"]
type = "single"
options = ["right", "wrong", "other"]
answer = "right"

[[item]]
id = "b-keep"
objectives = ["documents"]
type = "true-false"
answer = false

[[item]]
id = "att-one"
objectives = ["hotline"]
type = "likert"
scale = ["disagree", "agree"]

[[item]]
id = "att-two"
objectives = ["documents"]
type = "likert"
scale = ["disagree", "agree"]
keyed = "low"
"#;

const LESSONS: &str = r#"
[[lesson]]
id = "intro"

[[lesson.page]]
blocks = [ { paragraph = "text" } ]
"#;

const EN: &str = r#"
[pack]
title = "Lints"
description = "A pack for the lints."

[objective.hotline]
title = "Call 1288"
summary = "The hotline."

[objective.documents]
title = "Documents"
summary = "Keep them."

[journey.school]
title = "School"

[journey.school.phase]
pre = { title = "Before" }
attitude = { title = "What you think" }
lesson = { title = "Lesson" }
post = { title = "After" }

[lesson.intro]
title = "Intro"
text = "Text."

[item.a-number]
prompt = "Which number do you call for help?"
explanation = "The hotline."
options = { right = "1288", wrong = "117", other = "1234" }

[item.a-free]
prompt = "A call to the hotline is free."
explanation = "It is free."

[item.a-docs]
prompt = "Who should keep your passport?"
explanation = "You keep it."
options = { right = "You", wrong = "The boss", other = "The broker" }

[item.a-keep]
prompt = "Give your passport to the broker."
explanation = "Never."

[item.b-number]
prompt = "Which number is the hotline?"
explanation = "The hotline."
options = { right = "1288", wrong = "119", other = "1243" }

[item.b-free]
prompt = "The hotline helps people in trouble."
explanation = "It helps."

[item.b-docs]
prompt = "Who keeps your ID card?"
explanation = "You keep it."
options = { right = "You", wrong = "The agent", other = "A friend" }

[item.b-keep]
prompt = "The boss may keep your passport."
explanation = "No."

[item.att-one]
prompt = "I would check an agency first."
explanation = "No wrong answer."
options = { disagree = "Disagree", agree = "Agree" }

[item.att-two]
prompt = "A broker who knows my family can be trusted."
explanation = "No wrong answer."
options = { disagree = "Disagree", agree = "Agree" }
"#;

fn files() -> Vec<SourceFile> {
    vec![
        SourceFile::new("pack.toml", PACK),
        SourceFile::new("items.toml", ITEMS),
        SourceFile::new("lessons.toml", LESSONS),
        SourceFile::new("i18n/en.toml", EN),
    ]
}

fn show(c: &Compiled) -> String {
    c.diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 1-based line of the first `needle` in the file at `path`.
fn line(files: &[SourceFile], path: &str, needle: &str) -> u32 {
    let text = &files.iter().find(|f| f.path.ends_with(path)).unwrap().text;
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle:?}"));
    text[..at].matches('\n').count() as u32 + 1
}

/// The diagnostics with code `code`.
fn with_code<'c>(c: &'c Compiled, code: &str) -> Vec<&'c Diagnostic> {
    c.diagnostics.iter().filter(|d| d.code == code).collect()
}

#[test]
fn the_clean_pack_has_no_warning() {
    let c = compile(&files(), None);
    assert!(c.diagnostics.is_empty(), "{}", show(&c));
    assert!(c.pack.is_some());
}

#[test]
fn an_answer_shown_by_an_earlier_item_of_the_same_test_is_a_leak() {
    let mut f = files();
    // a-free may come before a-number (the pre-test shuffles) and prints its answer.
    edit(
        &mut f,
        "en.toml",
        "A call to the hotline is free.",
        "A call to 1288 is free.",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "answer-leak");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(
        (w[0].file.as_str(), w[0].line),
        ("items.toml", Some(line(&f, "items.toml", "\"a-number\"")))
    );
    assert!(w[0].message.contains("\"1288\""), "{}", w[0]);
    assert!(w[0].message.contains("prompt of item 'a-free'"), "{}", w[0]);
    assert!(c.pack.is_some(), "a warning does not stop the build");

    // The same digits in Khmer script are the same number.
    let mut f = files();
    edit(
        &mut f,
        "en.toml",
        "A call to the hotline is free.",
        "A call to ១២៨៨ is free.",
    );
    assert_eq!(with_code(&compile(&f, None), "answer-leak").len(), 1);

    // A number that only contains the answer's digits is not the answer.
    let mut f = files();
    edit(
        &mut f,
        "en.toml",
        "A call to the hotline is free.",
        "A call to 12880 is free.",
    );
    assert!(with_code(&compile(&f, None), "answer-leak").is_empty());
}

#[test]
fn explanations_leak_only_when_feedback_is_shown_in_the_test() {
    // b-free's explanation names b-number's answer: with after-phase feedback it is shown
    // only after the post-test, so nothing leaks.
    let mut f = files();
    edit(
        &mut f,
        "en.toml",
        "explanation = \"It helps.\"",
        "explanation = \"Call 1288.\"",
    );
    let c = compile(&f, None);
    assert!(with_code(&c, "answer-leak").is_empty(), "{}", show(&c));
    // With feedback after each answer it is shown before b-number may be asked.
    edit(
        &mut f,
        "pack.toml",
        "feedback = \"after-phase\"",
        "feedback = \"after-each\"",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "answer-leak");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert!(
        w[0].message.contains("explanation of item 'b-free'"),
        "{}",
        w[0]
    );
}

#[test]
fn after_each_on_a_post_test_names_the_items_it_may_give_away() {
    let mut f = files();
    edit(
        &mut f,
        "pack.toml",
        "feedback = \"after-phase\"",
        "feedback = \"after-each\"",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "post-test-feedback");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(
        w[0].line,
        Some(line(&f, "pack.toml", "feedback = \"after-each\""))
    );
    for id in ["'a-number'", "'b-number'", "'b-keep'"] {
        assert!(w[0].message.contains(id), "{}", w[0]);
    }
    // after-phase on a pre-test is an error like after-each: a pre-test gives no feedback.
    let mut f = files();
    edit(
        &mut f,
        "pack.toml",
        "shuffle_items = true\n\n[[journey.phase]]\nid = \"attitude\"",
        "shuffle_items = true\nfeedback = \"after-phase\"\n\n[[journey.phase]]\nid = \"attitude\"",
    );
    let c = compile(&f, None);
    assert_eq!(with_code(&c, "pretest-feedback").len(), 1, "{}", show(&c));
    assert!(c.pack.is_none());
}

#[test]
fn the_right_option_longest_in_most_items_is_a_cue() {
    let mut f = files();
    edit(
        &mut f,
        "en.toml",
        "right = \"You\", wrong = \"The boss\"",
        "right = \"You, and nobody else\", wrong = \"The boss\"",
    );
    let c = compile(&f, None);
    // One of two: not more than half.
    assert!(
        with_code(&c, "longest-right-option").is_empty(),
        "{}",
        show(&c)
    );
    edit(
        &mut f,
        "en.toml",
        "right = \"1288\", wrong = \"117\", other = \"1234\"",
        "right = \"The 1288 hotline\", wrong = \"117\", other = \"1234\"",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "longest-right-option");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(w[0].line, Some(line(&f, "pack.toml", "\"A\"")));
    assert!(w[0].message.contains("2 of 2"), "{}", w[0]);
    // Switched off, with a reason, on one of the form's items.
    edit(
        &mut f,
        "items.toml",
        "id = \"a-docs\"\n",
        "id = \"a-docs\"\nallow = { longest-right-option = \"the right answer must say 'nobody else'\" }\n",
    );
    let c = compile(&f, None);
    assert!(c.diagnostics.is_empty(), "{}", show(&c));
}

#[test]
fn true_false_items_all_keyed_alike_are_a_cue() {
    let mut f = files();
    edit(
        &mut f,
        "items.toml",
        "id = \"b-keep\"\nobjectives = [\"documents\"]\ntype = \"true-false\"\nanswer = false",
        "id = \"b-keep\"\nobjectives = [\"documents\"]\ntype = \"true-false\"\nanswer = true",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "true-false-keyed-alike");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(w[0].line, Some(line(&f, "pack.toml", "\"B\"")));
    assert!(
        w[0].message.contains("is true ('b-free' and 'b-keep')"),
        "{}",
        w[0]
    );
}

#[test]
fn all_of_the_above_is_a_cue() {
    let mut f = files();
    edit(
        &mut f,
        "en.toml",
        "other = \"A friend\"",
        "other = \"All of the above\"",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "all-none-of-the-above");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(w[0].line, Some(line(&f, "items.toml", "\"b-docs\"")));
}

#[test]
fn likert_items_all_keyed_alike_are_a_cue() {
    let mut f = files();
    edit(&mut f, "items.toml", "keyed = \"low\"\n", "");
    let c = compile(&f, None);
    let w = with_code(&c, "likert-keyed-alike");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(w[0].line, Some(line(&f, "pack.toml", "\"attitude\"")));
    // keyed only on Likert items, and only "high" or "low".
    let mut f = files();
    edit(&mut f, "items.toml", "keyed = \"low\"", "keyed = \"down\"");
    let c = compile(&f, None);
    assert_eq!(with_code(&c, "invalid-value").len(), 1, "{}", show(&c));
}

#[test]
fn parallel_forms_with_different_item_kinds_are_not_parallel() {
    let mut f = files();
    edit(
        &mut f,
        "items.toml",
        "id = \"b-keep\"\nobjectives = [\"documents\"]\ntype = \"true-false\"\nanswer = false",
        "id = \"b-keep\"\nobjectives = [\"documents\"]\ntype = \"text\"\naccept = [\"no\"]",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "forms-differ-in-kinds");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert!(
        w[0].message
            .contains("'documents': A has single + true-false, B has single + text"),
        "{}",
        w[0]
    );
}

#[test]
fn allow_needs_a_lint_and_a_reason_and_must_be_needed() {
    let mut f = files();
    edit(
        &mut f,
        "items.toml",
        "id = \"a-number\"\n",
        "id = \"a-number\"\nallow = { answer-leek = \"typo\", longest-right-option = \"\" }\n",
    );
    let c = compile(&f, None);
    let e = with_code(&c, "invalid-allow");
    assert_eq!(e.len(), 2, "{}", show(&c));
    assert!(e.iter().all(|d| d.is_error()));
    assert!(e[0].message.contains("did you mean"), "{}", e[0]);
    // A reason for a lint that does not fire is reported, so that it does not outlive the
    // problem it excused.
    let mut f = files();
    edit(
        &mut f,
        "items.toml",
        "id = \"a-number\"\n",
        "id = \"a-number\"\nallow = { answer-leak = \"asked twice on purpose\" }\n",
    );
    let c = compile(&f, None);
    let w = with_code(&c, "unused-allow");
    assert_eq!(w.len(), 1, "{}", show(&c));
    assert_eq!(w[0].line, Some(line(&f, "items.toml", "answer-leak")));
}
