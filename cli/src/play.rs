//! `kru play`: an interactive (and scriptable) terminal run of a journey.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kru_core::numerals::{format_number, normalize_answer, Numerals};
use kru_core::session::step::{BlockView, Label, Step};
use kru_core::ui::UiStrings;
use kru_core::{Answer, Session, SessionOptions};

use crate::util::{load_pack, now_ms, CliResult};

/// Arguments of `kru play`.
pub struct PlayArgs {
    pub pack: Option<PathBuf>,
    pub journey: String,
    pub lang: String,
    pub seed: Option<u64>,
    pub learner: String,
    pub log: Option<PathBuf>,
    pub trust: Vec<PathBuf>,
    pub allow_unsigned: bool,
}

/// How the player writes: the session language's digits and the interface strings of its
/// language chain (see `kru_core::ui`).
struct Ui {
    numerals: Numerals,
    s: UiStrings,
}

impl Ui {
    /// The interface string `id`.
    fn t(&self, id: &str) -> String {
        self.s.get(id).to_string()
    }

    /// The interface string `id` with its placeholders filled.
    fn f(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.s.fill(id, args)
    }

    /// What a learner reads for a failed session call: the catalogue's message for the error
    /// code, or the engine's own message when the catalogue has none for it.
    fn error(&self, e: &kru_core::session::SessionError) -> String {
        let Some(template) = self.s.error_message(e.code()) else {
            return e.to_string();
        };
        let params: Vec<(&str, String)> = e
            .params()
            .into_iter()
            .map(|(k, v)| (k, self.n(v)))
            .collect();
        let args: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        kru_core::ui::fill(template, &args)
    }

    fn n(&self, n: usize) -> String {
        format_number(n as u64, self.numerals)
    }

    /// `s` with its ASCII digits written in the session's digits.
    fn digits(&self, s: &str) -> String {
        let zero = self.numerals.zero();
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii() => char::from_u32(zero + d).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    fn label(&self, l: &Label<'_>) -> String {
        match l.audio {
            Some(a) => format!("{}  [audio: {a}]", l.text),
            None => l.text.to_string(),
        }
    }

    fn numbered(&self, out: &mut String, labels: &[Label<'_>]) {
        for (i, l) in labels.iter().enumerate() {
            out.push_str(&format!("  {}) {}\n", self.n(i + 1), self.label(l)));
        }
    }

    /// The text of a step and the hint for the answer line.
    fn render(&self, step: &Step<'_>) -> (String, String) {
        let mut out = String::new();
        let hint = match step {
            Step::Intake(s) => {
                out.push_str(&format!("{}\n", self.label(&s.label)));
                if s.options.is_empty() {
                    if s.required {
                        self.t("playTypeAnswer")
                    } else {
                        self.t("playTypeAnswerOrSkip")
                    }
                } else {
                    let labels: Vec<Label<'_>> = s.options.iter().map(|(_, l)| *l).collect();
                    self.numbered(&mut out, &labels);
                    if s.required {
                        self.t("playTypeNumber")
                    } else {
                        self.t("playTypeNumberOrSkip")
                    }
                }
            }
            Step::Page(p) => {
                out.push_str(&format!(
                    "── {} ({}/{}) ──\n",
                    self.label(&p.title),
                    self.n(p.page),
                    self.n(p.pages)
                ));
                for b in &p.blocks {
                    match b {
                        BlockView::Heading { text } => {
                            out.push_str(&format!("\n# {}\n", self.label(text)))
                        }
                        BlockView::Paragraph { text } => {
                            out.push_str(&format!("{}\n", self.label(text)))
                        }
                        BlockView::List { entries } => {
                            for e in entries {
                                out.push_str(&format!("  • {}\n", self.label(e)));
                            }
                        }
                        BlockView::Emphasis { text } => {
                            out.push_str(&format!("  ! {}\n", self.label(text)))
                        }
                        BlockView::KeyMessage { title, summary, .. } => out.push_str(&format!(
                            "  ★ {}\n    {}\n",
                            self.label(title),
                            self.label(summary)
                        )),
                        BlockView::Image { src, alt } => out.push_str(&format!(
                            "  [{} {src}: {}]\n",
                            self.t("playImage"),
                            alt.text
                        )),
                        BlockView::Story { title, .. } => {
                            out.push_str(&format!("  ▶ {}\n", self.label(title)))
                        }
                        BlockView::Resource(r) => out.push_str(&format!(
                            "  ☎ {} — {}\n    {}; {}\n",
                            self.label(&r.name),
                            r.phone,
                            self.label(&r.hours),
                            self.label(&r.purpose)
                        )),
                    }
                }
                self.t("playPressEnter")
            }
            Step::Story(s) => {
                out.push_str(&format!(
                    "── {} ──\n{}\n",
                    self.label(&s.title),
                    self.label(&s.text)
                ));
                if let Some((choice, consequence)) = &s.consequence {
                    out.push_str(&format!(
                        "  → {}\n  {}\n",
                        self.label(choice),
                        self.label(consequence)
                    ));
                    self.t("playPressEnter")
                } else if let Some(ending) = s.ending {
                    out.push_str(&format!(
                        "  ({})\n",
                        self.f("playTheEnd", &[("ending", ending)])
                    ));
                    self.t("playPressEnter")
                } else {
                    self.numbered(&mut out, &s.choices);
                    self.t("playTypeChoice")
                }
            }
            Step::Question(q) => {
                out.push_str(&format!(
                    "[{} {}/{}] {}\n",
                    q.phase,
                    self.n(usize::from(q.number)),
                    self.n(usize::from(q.total)),
                    self.label(&q.prompt)
                ));
                let hint = match q.item_kind {
                    "single" => {
                        self.numbered(&mut out, &q.options);
                        self.t("playTypeOne")
                    }
                    "multiple" => {
                        self.numbered(&mut out, &q.options);
                        self.t("playTypeEvery")
                    }
                    "true-false" => {
                        out.push_str(&format!(
                            "  {}) {}\n  {}) {}\n",
                            self.n(1),
                            self.t("playTrue"),
                            self.n(2),
                            self.t("playFalse")
                        ));
                        self.t("playTypeTrueFalse")
                    }
                    "ordering" => {
                        self.numbered(&mut out, &q.options);
                        self.t("playTypeOrder")
                    }
                    "matching" => {
                        for (i, l) in q.left.iter().enumerate() {
                            out.push_str(&format!(
                                "  {}. {}\n",
                                (b'A' + i as u8) as char,
                                self.label(l)
                            ));
                        }
                        self.numbered(&mut out, &q.options);
                        self.t("playTypeMatches")
                    }
                    "likert" => {
                        self.numbered(&mut out, &q.options);
                        self.t("playTypeOne")
                    }
                    _ => self.t("playTypeAnswer"),
                };
                if q.dont_know {
                    format!("{hint} {}", self.t("playDontKnow"))
                } else {
                    hint
                }
            }
            Step::Feedback(f) => {
                if let Some(r) = f.review {
                    let number = self.n(usize::from(r.number));
                    let total = self.n(usize::from(r.total));
                    out.push_str(&format!(
                        "── {} ──\n{}\n",
                        self.f("playReview", &[("number", &number), ("total", &total)]),
                        self.label(&f.prompt)
                    ));
                }
                out.push_str(&self.t(if f.dont_know {
                    "dontKnowShown"
                } else if f.correct {
                    "playRight"
                } else {
                    "playWrong"
                }));
                out.push('\n');
                if !f.message.text.is_empty() {
                    out.push_str(&format!("{}\n", self.label(&f.message)));
                }
                if !f.correct && !f.right_answer.is_empty() {
                    let a: Vec<&str> = f.right_answer.iter().map(|l| l.text).collect();
                    out.push_str(&format!(
                        "  {} {}\n",
                        self.t("playAnswerWas"),
                        a.join(" · ")
                    ));
                }
                if let Some(b) = f.right_bool.filter(|_| !f.correct) {
                    let word = self.t(if b { "playTrue" } else { "playFalse" });
                    out.push_str(&format!("  {} {word}\n", self.t("playAnswerWas")));
                }
                out.push_str(&format!("{}\n", self.label(&f.explanation)));
                self.t("playPressEnter")
            }
            // No score after a pre-test (it only discourages): both show at the end.
            Step::PhaseSummary(s) if s.phase_kind == "pre-test" => {
                out.push_str(&format!("── {} ──\n", self.t("preTestDone")));
                self.t("playPressEnter")
            }
            Step::PhaseSummary(s) => {
                out.push_str(&format!(
                    "── {}: {} / {} ──\n",
                    self.label(&s.title),
                    self.n(s.correct as usize),
                    self.n(s.max as usize)
                ));
                self.t("playPressEnter")
            }
            Step::Card(c) => {
                out.push_str(&format!("══ {} ══\n", self.label(&c.title)));
                for (i, (_, title, _)) in c.messages.iter().enumerate() {
                    out.push_str(&format!("  {}. {}\n", self.n(i + 1), self.label(title)));
                }
                for r in &c.resources {
                    out.push_str(&format!("  ☎ {} {}\n", self.label(&r.name), r.phone));
                }
                out.push_str(&format!("{}\n", self.label(&c.footer)));
                self.t("playPressEnterFinish")
            }
            Step::Done(_) => String::new(),
        };
        (out, hint)
    }
}

fn numbers(line: &str) -> Option<Vec<u16>> {
    let norm = normalize_answer(line);
    let v: Option<Vec<u16>> = norm
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u16>().ok().filter(|&n| n >= 1).map(|n| n - 1))
        .collect();
    v.filter(|v| !v.is_empty())
}

/// What to do with one input line at a step.
enum Action {
    Answer(Answer),
    Advance,
}

fn parse_line(ui: &Ui, step: &Step<'_>, line: &str) -> Result<Action, String> {
    let trimmed = line.trim();
    let one = |line: &str| -> Result<u16, String> {
        match numbers(line).as_deref() {
            Some([n]) => Ok(*n),
            _ => Err(ui.t("playOneFromList")),
        }
    };
    let several = |line: &str, example: &[usize]| -> Result<Vec<u16>, String> {
        numbers(line).ok_or_else(|| {
            let example: Vec<String> = example.iter().map(|&n| ui.n(n)).collect();
            ui.f("playNumbersLike", &[("example", &example.join(" "))])
        })
    };
    match step {
        Step::Question(q) => {
            if trimmed.is_empty() {
                return Err(ui.t("playNeedsAnswer"));
            }
            if q.dont_know && trimmed == "?" {
                return Ok(Action::Answer(Answer::DontKnow));
            }
            Ok(Action::Answer(match q.expects {
                "choice" => Answer::Choice(one(trimmed)?),
                "scale" => Answer::Scale(one(trimmed)?),
                "choices" => Answer::Choices(several(trimmed, &[1, 3])?),
                "order" => Answer::Order(several(trimmed, &[3, 1, 2])?),
                "matches" => Answer::Matches(several(trimmed, &[2, 1, 3])?),
                "true-false" => {
                    let typed = normalize_answer(trimmed);
                    let is = |id: &str| typed == normalize_answer(ui.s.get(id));
                    match typed.as_str() {
                        "1" | "t" | "true" | "y" | "yes" | "ពិត" => Answer::TrueFalse(true),
                        "2" | "f" | "false" | "n" | "no" | "មិនពិត" => {
                            Answer::TrueFalse(false)
                        }
                        _ if is("playTrue") => Answer::TrueFalse(true),
                        _ if is("playFalse") => Answer::TrueFalse(false),
                        _ => return Err(ui.t("playTypeTrueFalse")),
                    }
                }
                _ => Answer::Text(trimmed.to_string()),
            }))
        }
        Step::Intake(s) => {
            if trimmed.is_empty() {
                return Ok(Action::Advance);
            }
            if s.options.is_empty() {
                Ok(Action::Answer(Answer::Text(trimmed.to_string())))
            } else {
                Ok(Action::Answer(Answer::Choice(one(trimmed)?)))
            }
        }
        Step::Story(s) if !s.choices.is_empty() => {
            Ok(Action::Answer(Answer::Choice(one(trimmed)?)))
        }
        _ => Ok(Action::Advance),
    }
}

/// Runs `kru play`.
pub fn run(args: &PlayArgs) -> CliResult<ExitCode> {
    let pack = load_pack(args.pack.as_deref(), &args.trust, args.allow_unsigned)?;
    let langs: Vec<&str> = args.lang.split(',').map(str::trim).collect();
    let seed = args.seed.unwrap_or_else(|| now_ms() as u64);
    let mut session = Session::start(
        pack.clone(),
        &SessionOptions {
            journey: &args.journey,
            languages: &langs,
            seed,
            learner: &args.learner,
            now_ms: now_ms(),
        },
    )
    .map_err(|e| {
        if e.code() == kru_core::ErrorCode::UnknownJourney {
            let ids: Vec<&str> = pack.journeys.iter().map(|j| j.id.as_str()).collect();
            return format!("{e} (journeys: {})", ids.join(", "));
        }
        // Learner-facing: the message in the learner's language, from the catalogue.
        let numerals = pack
            .languages
            .iter()
            .find(|l| langs.first() == Some(&l.tag.as_str()))
            .map(|l| l.numerals)
            .unwrap_or_default();
        let ui = Ui {
            numerals,
            s: UiStrings::for_preferred(Some(&pack), &langs),
        };
        ui.error(&e)
    })?;
    // The interface strings follow the session's language, then the languages asked for.
    let mut preferred: Vec<&str> = Vec::new();
    if let Some(l) = pack.languages.get(session.language()) {
        preferred.push(&l.tag);
    }
    preferred.extend(langs.iter().copied());
    let ui = Ui {
        numerals: pack
            .languages
            .get(session.language())
            .map(|l| l.numerals)
            .unwrap_or_default(),
        s: UiStrings::for_preferred(Some(&pack), &preferred),
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e: std::io::Error| e.to_string();
    writeln!(
        out,
        "kru — {} / {} (seed {seed})",
        pack.meta.id,
        session.journey_id()
    )
    .map_err(io)?;
    loop {
        let step = session.step();
        if let Step::Done(done) = &step {
            let record = session.finish(now_ms()).map_err(|e| e.to_string())?;
            writeln!(out, "══ {} ══", ui.t("playResult")).map_err(io)?;
            if let (Some(pre), Some(post)) = (done.pre, done.post) {
                let line = ui.f(
                    "playBeforeAfter",
                    &[
                        ("pre", &ui.digits(&fmt_score(pre.score))),
                        ("max", &ui.digits(&fmt_score(pre.max))),
                        ("post", &ui.digits(&fmt_score(post.score))),
                        ("max2", &ui.digits(&fmt_score(post.max))),
                    ],
                );
                writeln!(out, "{line}").map_err(io)?;
            }
            if let Some(g) = done.gain {
                writeln!(
                    out,
                    "{}{}",
                    ui.f(
                        "playGain",
                        &[("gain", &ui.digits(&format!("{:+.1}", g.absolute)))]
                    ),
                    g.normalised
                        .map(|n| format!(", normalised gain {n:.2}"))
                        .unwrap_or_default()
                )
                .map_err(io)?;
            }
            if let Some(log) = &args.log {
                crate::report_cmds::append_records(log, &[record])?;
                writeln!(out, "result appended to {}", log.display()).map_err(io)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        let (text, hint) = ui.render(&step);
        write!(out, "\n{text}> ({hint}) ").map_err(io)?;
        out.flush().map_err(io)?;
        let kind = step.kind();
        drop(step);
        let Some(line) = lines.next() else {
            writeln!(out).map_err(io)?;
            let (done, total) = session.progress();
            eprintln!("kru: input ended before the journey finished (at a {kind} step, {done} of {total} steps done)");
            return Ok(ExitCode::from(3));
        };
        let line = line.map_err(io)?;
        let step = session.step();
        let action = parse_line(&ui, &step, &line);
        drop(step);
        let result = match action {
            Ok(Action::Answer(a)) => session.answer(a, now_ms()).map_err(|e| ui.error(&e)),
            Ok(Action::Advance) => session.advance(now_ms()).map_err(|e| ui.error(&e)),
            Err(msg) => Err(msg),
        };
        if let Err(msg) = result {
            writeln!(out, "  ✗ {}", ui.f("playTryAgain", &[("message", &msg)])).map_err(io)?;
        }
    }
}

fn fmt_score(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.2}")
    }
}
