//! Moodle GIFT import: a question bank becomes a pack source folder, one item per question.
//!
//! | GIFT | kru item |
//! | --- | --- |
//! | `{T}`, `{FALSE}` | `true-false` |
//! | `{=right ~wrong ~wrong}` | `single` |
//! | `{~%50%a ~%50%b ~%-100%c}`, or several `=` among `~` | `multiple` (the answers with a positive weight) |
//! | `{=answer =other answer}` (no `~`) | `text` with those accepted answers |
//! | `{#3:0.5}`, `{#2..4}`, `{#=3:0 =%50%4:0}` | `numeric` (answer and tolerance; a range is its middle ± half) |
//! | `{=a -> 1 =b -> 2}` | `matching` |
//!
//! Text before and after the braces (a "missing word" question) becomes the prompt with `___`
//! in the gap. `::title::` names the item (its id is made from it), `$CATEGORY:` starts an
//! objective. The general feedback (`####…`) becomes the explanation, else the right
//! answer's feedback, else "The right answer is: …". Essays (`{}`), descriptions (no braces),
//! partial-credit short answers and anything over the limits are skipped, each with its line
//! and the reason.

use kru_core::authoring::SourceFile;
use kru_core::limits::{MAX_ID_BYTES, MAX_LIST_LEN, MAX_OPTIONS};
use toml::Value;

use crate::WorkbookError;

/// Largest GIFT file read (a question bank is text).
pub const MAX_GIFT_BYTES: usize = 4 * 1024 * 1024;

/// A question that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The 1-based line where the question starts.
    pub line: usize,
    /// Why it cannot be an item.
    pub reason: String,
}

/// The result of [`import`].
#[derive(Debug, Clone)]
pub struct GiftImport {
    /// The pack source folder: `pack.toml`, `items.toml`, `i18n/<lang>.toml`.
    pub files: Vec<SourceFile>,
    /// How many questions became items.
    pub imported: usize,
    /// The questions that did not, in file order.
    pub skipped: Vec<Skipped>,
}

/// One imported item: its structure fields and its texts.
struct Item {
    id: String,
    objective: String,
    fields: Vec<(&'static str, Value)>,
    prompt: String,
    explanation: String,
    options: Vec<(String, String)>,
}

/// An answer inside the braces.
#[derive(Debug, Default)]
struct Answer {
    right: bool,
    weight: Option<f64>,
    text: String,
    feedback: String,
}

/// Splits at unescaped `marker`s, keeping escapes for [`unescape`].
fn find_unescaped(s: &str, marker: &str, from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'\\') {
            i += 2;
            continue;
        }
        if s.get(i..).is_some_and(|rest| rest.starts_with(marker)) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Removes GIFT escapes (`\=`, `\~`, `\#`, `\{`, `\}`, `\:`, `\n`) and collapses spaces.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(n) => out.push(n),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text without its `[html]`/`[moodle]`/`[markdown]`/`[plain]` marker (and HTML tags).
fn plain(s: &str) -> String {
    let t = s.trim();
    for (marker, html) in [
        ("[html]", true),
        ("[moodle]", false),
        ("[markdown]", false),
        ("[plain]", false),
    ] {
        if let Some(rest) = t.strip_prefix(marker) {
            if html {
                let mut out = String::new();
                let mut in_tag = false;
                for c in rest.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' if in_tag => in_tag = false,
                        c if !in_tag => out.push(c),
                        _ => {}
                    }
                }
                return unescape(
                    &out.replace("&nbsp;", " ")
                        .replace("&amp;", "&")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">"),
                );
            }
            return unescape(rest);
        }
    }
    unescape(t)
}

/// An id from a text: lower-case ASCII words joined by `-`, or `fallback`.
fn slug(text: &str, fallback: &str) -> String {
    let mut s = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if s.len() + word.len() + 1 > 32 {
            break;
        }
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&word.to_ascii_lowercase());
    }
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// `base`, or `base-2`, `base-3`… so that it is not in `taken`.
fn unique(base: &str, taken: &[String]) -> String {
    let base: String = base.chars().take(MAX_ID_BYTES - 4).collect();
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken.iter().any(|t| t == c))
        .unwrap_or(base)
}

/// Parses the answers of `{…}` (`=`/`~` answers, `#` feedback, `####` general feedback).
fn answers(body: &str) -> (Vec<Answer>, String) {
    let (body, general) = match find_unescaped(body, "####", 0) {
        Some(p) => (
            body.get(..p).unwrap_or(""),
            plain(body.get(p + 4..).unwrap_or("")),
        ),
        None => (body, String::new()),
    };
    let mut out: Vec<Answer> = Vec::new();
    let mut starts: Vec<(usize, bool)> = Vec::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'\\') => i += 1,
            // `->` of a matching pair is not an answer start.
            Some(b'=') if bytes.get(i + 1) != Some(&b'>') => starts.push((i, true)),
            Some(b'~') => starts.push((i, false)),
            _ => {}
        }
        i += 1;
    }
    for (k, &(s, right)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(body.len(), |n| n.0);
        let mut raw = body.get(s + 1..end).unwrap_or("").trim();
        let mut weight = None;
        if let Some(rest) = raw.strip_prefix('%') {
            if let Some(p) = rest.find('%') {
                weight = rest.get(..p).and_then(|w| w.trim().parse::<f64>().ok());
                raw = rest.get(p + 1..).unwrap_or("");
            }
        }
        let (text, feedback) = match find_unescaped(raw, "#", 0) {
            Some(p) => (
                raw.get(..p).unwrap_or(""),
                plain(raw.get(p + 1..).unwrap_or("")),
            ),
            None => (raw, String::new()),
        };
        out.push(Answer {
            right,
            weight,
            text: text.trim().to_string(),
            feedback,
        });
    }
    (out, general)
}

/// Options from texts: ids made from the texts, unique.
fn options(texts: &[String], taken: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let letter = format!("option-{}", i + 1);
        let id = unique(&slug(t, &letter), taken);
        taken.push(id.clone());
        out.push((id, t.clone()));
    }
    out
}

/// Parses a numeric answer `3`, `3:0.5` or `2..4` into (answer, tolerance).
fn numeric(s: &str) -> Option<(f64, f64)> {
    let s = s.trim();
    if let Some((a, b)) = s.split_once("..") {
        let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
        return Some(((a + b) / 2.0, ((b - a) / 2.0).abs()));
    }
    let (a, t) = s.split_once(':').unwrap_or((s, "0"));
    Some((a.trim().parse().ok()?, t.trim().parse::<f64>().ok()?.abs()))
}

fn number_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::Integer(x as i64)
    } else {
        Value::Float(x)
    }
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| Value::String(s.clone())).collect())
}

/// Turns one question into an item, or says why not.
fn question(text: &str) -> Result<(Option<String>, Item), String> {
    let mut rest = text.trim();
    let mut title = None;
    if let Some(after) = rest.strip_prefix("::") {
        let end = find_unescaped(after, "::", 0).ok_or("the title has no closing ::")?;
        title = Some(plain(after.get(..end).unwrap_or("")));
        rest = after.get(end + 2..).unwrap_or("");
    }
    let open = find_unescaped(rest, "{", 0)
        .ok_or("a description, not a question (it has no {answers})")?;
    let close = find_unescaped(rest, "}", open).ok_or("the answers have no closing }")?;
    let before = plain(rest.get(..open).unwrap_or(""));
    let after = plain(rest.get(close + 1..).unwrap_or(""));
    let body = rest.get(open + 1..close).unwrap_or("").trim();
    let prompt = if after.is_empty() {
        before
    } else {
        format!("{before} ___ {after}")
    };
    if prompt.is_empty() {
        return Err("the question has no text".into());
    }
    let mut item = Item {
        id: String::new(),
        objective: String::new(),
        fields: Vec::new(),
        prompt,
        explanation: String::new(),
        options: Vec::new(),
    };
    if body.is_empty() {
        return Err("an essay question: its answers need a person to grade them".into());
    }
    // True/false.
    let head = body.split('#').next().unwrap_or("").trim();
    let tf = match head {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    };
    if let Some(answer) = tf {
        let parts: Vec<&str> = body.splitn(4, '#').collect();
        item.fields
            .push(("type", Value::String("true-false".into())));
        item.fields.push(("answer", Value::Boolean(answer)));
        let general =
            find_unescaped(body, "####", 0).map(|p| plain(body.get(p + 4..).unwrap_or("")));
        let right_fb = parts.get(1).map(|s| plain(s)).unwrap_or_default();
        item.explanation = general
            .filter(|g| !g.is_empty())
            .or(Some(right_fb).filter(|f| !f.is_empty()))
            .unwrap_or_else(|| {
                format!(
                    "The right answer is: {}.",
                    if answer { "true" } else { "false" }
                )
            });
        return Ok((title, item));
    }
    // Numeric.
    if let Some(num) = body.strip_prefix('#') {
        let (ans, general) = if num.trim_start().starts_with('=') {
            answers(num)
        } else {
            let (a, g) = match find_unescaped(num, "####", 0) {
                Some(p) => (
                    num.get(..p).unwrap_or(""),
                    plain(num.get(p + 4..).unwrap_or("")),
                ),
                None => (num, String::new()),
            };
            let (t, fb) = match find_unescaped(a, "#", 0) {
                Some(p) => (
                    a.get(..p).unwrap_or(""),
                    plain(a.get(p + 1..).unwrap_or("")),
                ),
                None => (a, String::new()),
            };
            (
                vec![Answer {
                    right: true,
                    weight: None,
                    text: t.trim().into(),
                    feedback: fb,
                }],
                g,
            )
        };
        let best = ans
            .iter()
            .find(|a| a.right && a.weight.is_none_or(|w| w >= 100.0))
            .ok_or("a numeric question without a fully right answer")?;
        let (value, tolerance) = numeric(&best.text).ok_or_else(|| {
            format!(
                "'{}' is not a number, a number:tolerance or a range",
                best.text
            )
        })?;
        item.fields.push(("type", Value::String("numeric".into())));
        item.fields.push(("answer", number_value(value)));
        item.fields.push(("tolerance", number_value(tolerance)));
        item.explanation = explanation(&general, &best.feedback, &best.text);
        return Ok((title, item));
    }
    let (ans, general) = answers(body);
    if ans.is_empty() {
        return Err("no answer starts with = or ~".into());
    }
    if ans.len() > MAX_OPTIONS {
        return Err(format!(
            "{} answers, more than the {MAX_OPTIONS} an item may have",
            ans.len()
        ));
    }
    // Matching.
    if ans
        .iter()
        .any(|a| find_unescaped(&a.text, "->", 0).is_some())
    {
        let mut lefts = Vec::new();
        let mut rights: Vec<String> = Vec::new();
        let mut pairs = Vec::new();
        for a in &ans {
            let p = find_unescaped(&a.text, "->", 0)
                .ok_or("a matching question mixes pairs and other answers")?;
            let l = plain(a.text.get(..p).unwrap_or(""));
            let r = plain(a.text.get(p + 2..).unwrap_or(""));
            if r.is_empty() {
                return Err("a matching pair has no right side".into());
            }
            if !rights.contains(&r) {
                rights.push(r.clone());
            }
            if !l.is_empty() {
                lefts.push(l.clone());
                pairs.push((l, r));
            }
        }
        if lefts.len() < 2 {
            return Err("a matching question needs at least two pairs".into());
        }
        let mut taken = Vec::new();
        let left = options(&lefts, &mut taken);
        let right = options(&rights, &mut taken);
        let id_of = |list: &[(String, String)], text: &str| {
            list.iter()
                .find(|(_, t)| t == text)
                .map(|(id, _)| id.clone())
                .unwrap_or_default()
        };
        let mut table = toml::Table::new();
        for (l, r) in &pairs {
            table.insert(id_of(&left, l), Value::String(id_of(&right, r)));
        }
        item.fields.push(("type", Value::String("matching".into())));
        item.fields.push((
            "left",
            strings(&left.iter().map(|o| o.0.clone()).collect::<Vec<_>>()),
        ));
        item.fields.push((
            "right",
            strings(&right.iter().map(|o| o.0.clone()).collect::<Vec<_>>()),
        ));
        item.fields.push(("pairs", Value::Table(table)));
        item.explanation = if general.is_empty() {
            format!(
                "The pairs are: {}.",
                pairs
                    .iter()
                    .map(|(l, r)| format!("{l} → {r}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        } else {
            general
        };
        item.options = left.into_iter().chain(right).collect();
        return Ok((title, item));
    }
    let texts: Vec<String> = ans.iter().map(|a| plain(&a.text)).collect();
    // Short answer: only `=` answers.
    if ans.iter().all(|a| a.right) {
        if ans.iter().any(|a| a.weight.is_some_and(|w| w < 100.0)) {
            return Err("a short answer with partial credit: kru accepts an answer or not".into());
        }
        item.fields.push(("type", Value::String("text".into())));
        item.fields.push(("accept", strings(&texts)));
        let first = ans.first().map_or(String::new(), |a| a.feedback.clone());
        item.explanation = explanation(&general, &first, texts.first().map_or("", String::as_str));
        return Ok((title, item));
    }
    // Multiple choice.
    let is_right = |a: &Answer| match a.weight {
        Some(w) => w > 0.0,
        None => a.right,
    };
    let rights: Vec<usize> = (0..ans.len())
        .filter(|&i| ans.get(i).is_some_and(is_right))
        .collect();
    if rights.is_empty() {
        return Err("no answer is right (= or a positive %weight%)".into());
    }
    if ans.len() < 2 {
        return Err("a choice question needs at least two answers".into());
    }
    let mut taken = Vec::new();
    let opts = options(&texts, &mut taken);
    let ids: Vec<String> = opts.iter().map(|o| o.0.clone()).collect();
    let right_ids: Vec<String> = rights.iter().filter_map(|&i| ids.get(i).cloned()).collect();
    let right_texts: Vec<String> = rights
        .iter()
        .filter_map(|&i| texts.get(i).cloned())
        .collect();
    let weighted = ans.iter().any(|a| a.weight.is_some());
    item.fields.push((
        "type",
        Value::String(
            if right_ids.len() == 1 && !weighted {
                "single"
            } else {
                "multiple"
            }
            .into(),
        ),
    ));
    item.fields.push(("options", strings(&ids)));
    if right_ids.len() == 1 && !weighted {
        item.fields.push((
            "answer",
            Value::String(right_ids.first().cloned().unwrap_or_default()),
        ));
    } else {
        item.fields.push(("answer", strings(&right_ids)));
    }
    let fb = rights
        .first()
        .and_then(|&i| ans.get(i))
        .map_or(String::new(), |a| a.feedback.clone());
    item.explanation = explanation(&general, &fb, &right_texts.join("; "));
    item.options = opts;
    Ok((title, item))
}

fn explanation(general: &str, feedback: &str, right: &str) -> String {
    if !general.is_empty() {
        general.to_string()
    } else if !feedback.is_empty() {
        feedback.to_string()
    } else {
        format!("The right answer is: {right}.")
    }
}

/// Imports a GIFT question bank (UTF-8) as a pack `id` in language `lang`: one item per
/// question, an objective per `$CATEGORY` (or one, `imported`), and a practice journey over
/// every item. Questions that cannot be items are listed in [`GiftImport::skipped`].
pub fn import(bytes: &[u8], id: &str, lang: &str) -> Result<GiftImport, WorkbookError> {
    if bytes.len() > MAX_GIFT_BYTES {
        return Err(WorkbookError::Gift(format!(
            "the file is larger than {MAX_GIFT_BYTES} bytes"
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| WorkbookError::Gift(format!("not UTF-8 text ({e}); save it as UTF-8")))?;
    let text = text.trim_start_matches('\u{feff}');
    // Blocks of lines separated by blank lines, comments dropped.
    let mut blocks: Vec<(usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("//") {
            continue;
        }
        if t.is_empty() {
            if let Some(b) = current.take() {
                blocks.push(b);
            }
            continue;
        }
        match &mut current {
            Some((_, s)) => {
                s.push('\n');
                s.push_str(line);
            }
            None => current = Some((n + 1, line.to_string())),
        }
    }
    if let Some(b) = current.take() {
        blocks.push(b);
    }
    let mut items: Vec<Item> = Vec::new();
    let mut skipped = Vec::new();
    let mut objectives: Vec<(String, String)> = Vec::new();
    let mut objective: Option<String> = None;
    let mut ids: Vec<String> = Vec::new();
    for (line, block) in blocks {
        if let Some(cat) = block.trim().strip_prefix("$CATEGORY:") {
            let name = cat
                .trim()
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let oid = slug(&name, "imported");
            if !objectives.iter().any(|(o, _)| *o == oid) {
                objectives.push((
                    oid.clone(),
                    if name.is_empty() {
                        "Imported questions".into()
                    } else {
                        name
                    },
                ));
            }
            objective = Some(oid);
            continue;
        }
        if items.len() >= MAX_LIST_LEN {
            skipped.push(Skipped {
                line,
                reason: format!("more than {MAX_LIST_LEN} questions in one pack"),
            });
            continue;
        }
        match question(&block) {
            Ok((title, mut item)) => {
                let base = slug(
                    title.as_deref().unwrap_or(""),
                    &format!("q{}", items.len() + 1),
                );
                item.id = unique(&base, &ids);
                ids.push(item.id.clone());
                item.objective = match &objective {
                    Some(o) => o.clone(),
                    None => {
                        if !objectives.iter().any(|(o, _)| o == "imported") {
                            objectives.push(("imported".into(), "Imported questions".into()));
                        }
                        "imported".into()
                    }
                };
                items.push(item);
            }
            Err(reason) => skipped.push(Skipped { line, reason }),
        }
    }
    if items.is_empty() {
        return Err(WorkbookError::Gift(match skipped.first() {
            Some(s) => format!(
                "no question could be imported (line {}: {})",
                s.line, s.reason
            ),
            None => "no question found".into(),
        }));
    }
    Ok(GiftImport {
        imported: items.len(),
        files: files(id, lang, &objectives, &items),
        skipped,
    })
}

/// Writes the folder of the imported items.
fn files(id: &str, lang: &str, objectives: &[(String, String)], items: &[Item]) -> Vec<SourceFile> {
    let s = |t: &str| Value::String(t.to_string()).to_string();
    let mut pack = format!(
        "# Imported from a Moodle GIFT question bank by `kru convert`.\n\n[pack]\nid = {}\nversion = \"0.1.0\"\ndefault_language = {}\n\n[[language]]\ntag = {}\nname = {}\n",
        s(id),
        s(lang),
        s(lang),
        s(lang)
    );
    for (o, _) in objectives {
        pack.push_str(&format!("\n[[objective]]\nid = {}\n", s(o)));
    }
    let all: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    pack.push_str(&format!(
        "\n# Every imported question, with feedback.\n[[journey]]\nid = \"practice\"\n\n[[journey.phase]]\nid = \"practice\"\nkind = \"practice\"\nselect = {{ items = {} }}\nshuffle_options = true\nfeedback = \"after-each\"\n",
        strings(&all)
    ));
    let mut structure =
        String::from("# Imported from a Moodle GIFT question bank by `kru convert`.\n");
    let mut texts = format!(
        "[pack]\ntitle = {}\ndescription = {}\n\n[journey.practice]\ntitle = \"Practice\"\n\n[journey.practice.phase.practice]\ntitle = \"Practice\"\n",
        s(&format!("Questions from {id}")),
        s("Imported from a Moodle question bank.")
    );
    for (o, name) in objectives {
        texts.push_str(&format!(
            "\n[objective.{o}]\ntitle = {}\nsummary = {}\n",
            s(name),
            s(name)
        ));
    }
    for it in items {
        structure.push_str(&format!(
            "\n[[item]]\nid = {}\nobjectives = [{}]\n",
            s(&it.id),
            s(&it.objective)
        ));
        for (k, v) in &it.fields {
            structure.push_str(&format!("{k} = {v}\n"));
        }
        texts.push_str(&format!(
            "\n[item.{}]\nprompt = {}\nexplanation = {}\n",
            it.id,
            s(&it.prompt),
            s(&it.explanation)
        ));
        if !it.options.is_empty() {
            texts.push_str(&format!("\n[item.{}.options]\n", it.id));
            for (oid, t) in &it.options {
                texts.push_str(&format!("{oid} = {}\n", s(t)));
            }
        }
    }
    vec![
        SourceFile::new("pack.toml", pack),
        SourceFile::new("items.toml", structure),
        SourceFile::new(format!("i18n/{lang}.toml"), texts),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANK: &str = r#"// A small bank with every kind Moodle has.
$CATEGORY: $course$/Safe migration/Brokers

::Broker promise:: A broker promises you a job. What do you do first? {
  =Check with the commune #Right: check first.
  ~Go at once
  ~Pay the fee
}

::Papers:: Which papers do you need? {
  ~%50%Passport
  ~%50%Work contract
  ~%-100%Land title
  ####You need a passport and a contract.
}

The 1288 hotline is free. {T}

What number is the hotline? {=1288 =one two eight eight}

How many months to pay back 900 dollars at 300 a month? {#3:0}

Match each paper to its use. {
  =Passport -> travel
  =Contract -> wage
  =ID card -> identity
}

Write what you think about migration. {}

This is just a description.

A broker {~lies =promises ~sings} you a job.
"#;

    #[test]
    fn every_moodle_kind_becomes_an_item_and_the_rest_is_reported() {
        let out = import(BANK.as_bytes(), "bank", "en").unwrap();
        assert_eq!(out.imported, 7);
        let lines: Vec<usize> = out.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![29, 31], "{:?}", out.skipped);
        assert!(out.skipped[0].reason.contains("essay"));
        assert!(out.skipped[1].reason.contains("description"));
        let items = &out.files[1].text;
        for t in [
            "single",
            "multiple",
            "true-false",
            "text",
            "numeric",
            "matching",
        ] {
            assert!(items.contains(&format!("type = \"{t}\"")), "{t}: {items}");
        }
        let c = kru_core::authoring::compile(&out.files, None);
        let errors: Vec<String> = c.errors().map(ToString::to_string).collect();
        assert!(
            errors.is_empty(),
            "{}\n{}",
            errors.join("\n"),
            out.files[2].text
        );
        let en = &out.files[2].text;
        assert!(en.contains("prompt = \"A broker ___ you a job.\""), "{en}");
        assert!(en.contains("explanation = \"Right: check first.\""), "{en}");
        assert!(
            en.contains("explanation = \"You need a passport and a contract.\""),
            "{en}"
        );
        assert!(out.files[0].text.contains("id = \"brokers\""));
    }

    #[test]
    fn numbers_ranges_and_escapes() {
        assert_eq!(numeric("2..4"), Some((3.0, 1.0)));
        assert_eq!(numeric("3:0.5"), Some((3.0, 0.5)));
        assert_eq!(unescape(r"1 \= 1 \{ok\}"), "1 = 1 {ok}");
        let out = import(b"What is 2\\+2? {#=4:0 =%50%5:0}", "n", "en").unwrap();
        assert!(out.files[1].text.contains("answer = 4"));
    }

    #[test]
    fn a_file_without_questions_is_refused() {
        assert!(import(b"// nothing\n", "x", "en").is_err());
        assert!(import(&[0xff, 0xfe], "x", "en").is_err());
    }
}
