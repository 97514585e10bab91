//! Shared test helpers: the real safe-migration pack and a driver that answers any step.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use kru_core::authoring::{compile, SourceFile};
use kru_core::session::step::Step;
use kru_core::{Answer, Pack, Session, SessionOptions};

/// The source folder of the bundled pack.
pub fn pack_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content-packs/safe-migration")
}

/// Reads a pack source folder.
pub fn sources(dir: &std::path::Path) -> Vec<SourceFile> {
    kru_core::authoring::read_source_dir(dir).expect("read pack dir")
}

/// The compiled safe-migration pack.
pub fn safe_migration() -> Arc<Pack> {
    let compiled = compile(&sources(&pack_dir()), None);
    for d in &compiled.diagnostics {
        eprintln!("{d}");
    }
    Arc::new(compiled.pack.expect("the safe-migration pack compiles"))
}

/// Starts a session.
pub fn start(pack: &Arc<Pack>, journey: &str, seed: u64) -> Session {
    Session::start(
        pack.clone(),
        &SessionOptions {
            journey,
            languages: &["km"],
            seed,
            learner: "T-1",
            now_ms: 1_790_000_000_000,
        },
    )
    .expect("start")
}

/// A tiny deterministic generator for answer scripts.
pub struct Script(pub u64);

impl Script {
    pub fn next(&mut self, n: usize) -> u16 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if n == 0 {
            0
        } else {
            ((self.0 >> 33) % n as u64) as u16
        }
    }
}

/// One action at the current step: an answer or an advance. Returns false at the end.
pub fn act(session: &mut Session, script: &mut Script, now: i64) -> bool {
    let answer = match session.step() {
        Step::Done(_) => return false,
        Step::Question(q) => Some(match q.expects {
            "choice" => Answer::Choice(script.next(q.options.len())),
            "scale" => Answer::Scale(script.next(q.options.len())),
            "choices" => {
                let n = q.options.len() as u16;
                let v: Vec<u16> = (0..n).filter(|_| script.next(2) == 1).collect();
                Answer::Choices(v)
            }
            "order" => {
                let mut v: Vec<u16> = (0..q.options.len() as u16).collect();
                for i in (1..v.len()).rev() {
                    let j = script.next(i + 1) as usize;
                    v.swap(i, j);
                }
                Answer::Order(v)
            }
            "matches" => Answer::Matches(
                q.left
                    .iter()
                    .map(|_| script.next(q.options.len()))
                    .collect(),
            ),
            "true-false" => Answer::TrueFalse(script.next(2) == 1),
            _ => Answer::Text(
                ["1288", "១២៨៨", "no idea", "12 88"][script.next(4) as usize].to_string(),
            ),
        }),
        Step::Intake(i) => Some(if i.options.is_empty() {
            Answer::Text("commune-7".into())
        } else {
            Answer::Choice(script.next(i.options.len()))
        }),
        Step::Story(s) if !s.choices.is_empty() => {
            Some(Answer::Choice(script.next(s.choices.len())))
        }
        _ => None,
    };
    match answer {
        Some(a) => session
            .answer(a, now)
            .expect("a well-formed answer is accepted"),
        None => session.advance(now).expect("advance"),
    }
    true
}

/// Plays to the end with a script; returns the number of actions.
pub fn play_out(session: &mut Session, script: &mut Script) -> usize {
    let mut n = 0;
    while act(session, script, 1_790_000_000_000 + n as i64 * 1000) {
        n += 1;
        assert!(n < 10_000, "session does not end");
    }
    n
}

/// A simulated cohort of `n` learners on `journey` (sessions from 1_790_000_000_000 ms), as
/// records.
pub fn simulated(
    pack: &Arc<Pack>,
    journey: &str,
    n: u32,
    seed: u64,
    dropout: f64,
) -> Vec<kru_core::ResultRecord> {
    let mut out = Vec::new();
    kru_core::simulation::simulate(
        pack,
        &kru_core::simulation::SimulationOptions {
            journey,
            learners: n,
            seed,
            start_ms: 1_790_000_000_000,
            dropout,
        },
        |r| out.push(r),
    )
    .unwrap();
    out
}

/// Replaces `old` by `new` (once) in the source file whose path ends with `path`.
pub fn edit(files: &mut [SourceFile], path: &str, old: &str, new: &str) {
    let f = files.iter_mut().find(|f| f.path.ends_with(path)).unwrap();
    assert!(f.text.contains(old), "{path} has no {old:?}");
    f.text = f.text.replacen(old, new, 1);
}
