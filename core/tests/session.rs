//! Session engine tests on the real safe-migration pack: journeys end to end, determinism,
//! snapshot/restore at any step, score bounds, error paths.

mod common;

use common::*;
use kru_core::session::step::Step;
use kru_core::session::Position;
use kru_core::{Answer, Session, SessionError};
use proptest::prelude::*;

/// Answers every question right (using the pack's key) and returns the finished record.
fn play_right(session: &mut Session) -> kru_core::ResultRecord {
    let pack = session.pack_arc().clone();
    let mut now = 1_790_000_000_000;
    loop {
        now += 1000;
        check_position(session);
        let step = session.step();
        let answer = match &step {
            Step::Done(_) => break,
            Step::Question(q) => {
                let item = pack.items.iter().find(|i| i.id == q.item).unwrap();
                Some(right_answer(
                    &item.kind,
                    &q.options,
                    &pack,
                    session.language_chain(),
                ))
            }
            Step::Intake(i) if !i.options.is_empty() => Some(Answer::Choice(0)),
            Step::Intake(_) => Some(Answer::Text("x".into())),
            Step::Story(s) if !s.choices.is_empty() => Some(Answer::Choice(0)),
            _ => None,
        };
        drop(step);
        match answer {
            Some(a) => session.answer(a, now).unwrap(),
            None => session.advance(now).unwrap(),
        }
    }
    session.finish(now).unwrap()
}

/// [`Session::position`] names the step [`Session::step`] shows, by the same pack indices.
fn check_position(session: &Session) {
    let pack = session.pack();
    let journey = &pack.journeys[pack.journey_index(session.journey_id()).unwrap()];
    let step = session.step();
    match (session.position(), &step) {
        (Position::Done, Step::Done(_))
        | (Position::Page, Step::Page(_))
        | (Position::Feedback, Step::Feedback(_))
        | (Position::PhaseSummary, Step::PhaseSummary(_))
        | (Position::Card, Step::Card(_)) => {}
        (Position::Intake { field }, Step::Intake(i)) => {
            assert_eq!(pack.intake[usize::from(field)].id, i.field);
        }
        (
            Position::Story {
                story,
                node,
                chosen,
            },
            Step::Story(s),
        ) => {
            let st = &pack.stories[usize::from(story)];
            assert_eq!(st.id, s.story);
            assert_eq!(st.nodes[usize::from(node)].id, s.node);
            assert_eq!(chosen.is_some(), s.consequence.is_some());
        }
        (Position::Question { phase, item, order }, Step::Question(q)) => {
            assert_eq!(journey.phases[usize::from(phase)].id, q.phase);
            assert_eq!(pack.items[usize::from(item)].id, q.item);
            if !order.is_empty() {
                assert_eq!(order.len(), q.options.len());
            }
        }
        (p, s) => panic!("position {p:?}, but the step is {}", s.kind()),
    }
}

/// The right answer in shown positions, found by matching shown labels to the key's text.
fn right_answer(
    kind: &kru_core::ItemKind,
    shown: &[kru_core::session::step::Label<'_>],
    _pack: &kru_core::Pack,
    chain: &[u8],
) -> Answer {
    use kru_core::ItemKind::*;
    let pos = |t: &kru_core::pack::text::Text| {
        shown
            .iter()
            .position(|l| l.text == t.resolve(chain))
            .unwrap() as u16
    };
    match kind {
        SingleChoice { options, correct } => Answer::Choice(pos(&options[*correct as usize])),
        MultipleResponse { options, correct } => {
            Answer::Choices(correct.iter().map(|&c| pos(&options[c as usize])).collect())
        }
        TrueFalse { correct } => Answer::TrueFalse(*correct),
        Ordering { steps } => Answer::Order(steps.iter().map(pos).collect()),
        Matching { right, pairs, .. } => {
            Answer::Matches(pairs.iter().map(|&p| pos(&right[p as usize])).collect())
        }
        ShortText { accepted } => Answer::Text(accepted[0].clone()),
        Numeric { value, .. } => Answer::Text(format!("{value}")),
        Likert { .. } => Answer::Scale(0),
    }
}

#[test]
fn kiosk_journey_with_right_answers_scores_full_marks() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 7);
    let record = play_right(&mut s);
    let scores = record.scores();
    let post = scores.post.unwrap();
    assert_eq!(post.score, post.max);
    assert!(post.max >= 5.0);
    assert!(record.completed);
    assert_eq!(record.journey, "kiosk");
    assert_eq!(record.language, "km");
}

#[test]
fn school_journey_completes_with_intake_forms_and_story() {
    let pack = safe_migration();
    for seed in 0..8 {
        let mut s = start(&pack, "school", seed);
        let record = play_right(&mut s);
        assert_eq!(record.forms.len(), 2, "crossover forms recorded");
        assert!(!record.demographics.is_empty());
        assert!(!record.story_path.is_empty());
        let sc = record.scores();
        assert_eq!(sc.pre.unwrap().score, sc.pre.unwrap().max);
        assert_eq!(sc.gain.unwrap().absolute, 0.0);
    }
}

#[test]
fn crossover_assigns_both_orders() {
    let pack = safe_migration();
    let mut a_first = 0;
    for seed in 0..200 {
        let mut s = start(&pack, "school", seed);
        let r = s.abandon(0).unwrap();
        if r.forms.first().map(String::as_str) == Some("A") {
            a_first += 1;
        }
    }
    assert!(
        (70..=130).contains(&a_first),
        "A first for {a_first} of 200"
    );
}

#[test]
fn wrong_answer_type_is_an_error_and_changes_nothing() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 3);
    while !matches!(s.step(), Step::Question(_)) {
        s.advance(0).unwrap();
    }
    let before = s.snapshot();
    let expects = match s.step() {
        Step::Question(q) => q.expects,
        _ => unreachable!(),
    };
    let wrong = if expects == "text" {
        Answer::Choice(0)
    } else {
        Answer::Text("x".into())
    };
    let err = s.answer(wrong, 5).unwrap_err();
    assert!(matches!(err, SessionError::Answer(_)), "{err}");
    assert_eq!(s.snapshot(), before);
    assert!(matches!(
        s.advance(5),
        Err(SessionError::AnswerRequired { .. })
    ));
    assert_eq!(s.snapshot(), before);
    let out_of_range = match expects {
        "choice" => Answer::Choice(99),
        "scale" => Answer::Scale(99),
        "choices" => Answer::Choices(vec![99]),
        _ => Answer::Order(vec![99]),
    };
    assert!(s.answer(out_of_range, 5).is_err());
    assert_eq!(s.snapshot(), before);
}

#[test]
fn finish_rules() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 1);
    assert!(matches!(s.finish(1), Err(SessionError::NotFinished { .. })));
    play_out(&mut s, &mut Script(1));
    assert!(s.finish(2).is_ok());
    assert!(matches!(s.finish(3), Err(SessionError::Ended)));
    assert!(matches!(s.abandon(3), Err(SessionError::Ended)));
    assert!(matches!(s.advance(3), Err(SessionError::Ended)));
}

#[test]
fn unknown_journey_and_bad_learner_code() {
    let pack = safe_migration();
    let opts = |journey, learner| kru_core::SessionOptions {
        journey,
        languages: &[],
        seed: 1,
        learner,
        now_ms: 0,
    };
    assert!(matches!(
        Session::start(pack.clone(), &opts("nope", "a")),
        Err(SessionError::UnknownJourney(_))
    ));
    assert!(Session::start(pack.clone(), &opts("kiosk", "")).is_err());
    assert!(Session::start(pack.clone(), &opts("kiosk", "a\nb")).is_err());
    let long = "x".repeat(65);
    assert!(Session::start(pack.clone(), &opts("kiosk", &long)).is_err());
    // The limit counts characters: a 41-character Khmer code (123 bytes) and a 64-character
    // Burmese one are codes; 65 characters are not, in any script.
    let khmer = "សិស្ស".repeat(8) + "ក";
    let burmese = "က".repeat(64);
    assert_eq!(khmer.chars().count(), 41);
    for code in [khmer.as_str(), burmese.as_str()] {
        let s = Session::start(pack.clone(), &opts("kiosk", code)).unwrap();
        let back = Session::restore(pack.clone(), &s.snapshot()).unwrap();
        assert_eq!(back.snapshot(), s.snapshot());
    }
    let too_long = "က".repeat(65);
    let err = Session::start(pack, &opts("kiosk", &too_long)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "learner code must be 1 to 64 printable characters"
    );
}

#[test]
fn language_switch_and_fallback() {
    let pack = safe_migration();
    let mut s = start(&pack, "kiosk", 1);
    let km = format!("{:?}", s.step());
    s.set_languages(&["en-GB"]);
    let en = format!("{:?}", s.step());
    assert_ne!(km, en);
    s.set_languages(&["fr"]);
    assert_eq!(
        format!("{:?}", s.step()),
        en,
        "unknown language falls back to the default (en)"
    );
}

#[test]
fn restore_refuses_damaged_snapshots_without_panicking() {
    let pack = safe_migration();
    let mut s = start(&pack, "school", 9);
    let mut script = Script(9);
    for _ in 0..12 {
        act(&mut s, &mut script, 0);
    }
    let snap = s.snapshot();
    for cut in 0..snap.len() {
        assert!(Session::restore(pack.clone(), &snap[..cut]).is_err());
    }
    for i in 0..snap.len() {
        let mut bad = snap.clone();
        bad[i] ^= 0x5a;
        assert!(
            Session::restore(pack.clone(), &bad).is_err(),
            "flip at {i} accepted"
        );
    }
    assert!(Session::restore(pack, &snap).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn same_seed_same_session(seed: u64, script in any::<u64>(), journey in prop::sample::select(vec!["kiosk", "school"])) {
        let pack = safe_migration_cached();
        let mut a = start(&pack, journey, seed);
        let mut b = start(&pack, journey, seed);
        play_out(&mut a, &mut Script(script));
        play_out(&mut b, &mut Script(script));
        prop_assert_eq!(a.finish(9).unwrap(), b.finish(9).unwrap());
    }

    #[test]
    fn snapshot_restore_at_any_step_gives_the_same_outcome(seed: u64, script: u64, cut in 0usize..80, journey in prop::sample::select(vec!["kiosk", "school"])) {
        let pack = safe_migration_cached();
        let mut original = start(&pack, journey, seed);
        let mut sc = Script(script);
        let mut steps = 0;
        while steps < cut && act(&mut original, &mut sc, 1_790_000_000_000 + steps as i64 * 1000) {
            steps += 1;
        }
        let mut restored = Session::restore(pack.clone(), &original.snapshot()).unwrap();
        let mut sc2 = Script(sc.0);
        let mut n = steps;
        while act(&mut original, &mut sc, 1_790_000_000_000 + n as i64 * 1000) { n += 1; }
        let mut m = steps;
        while act(&mut restored, &mut sc2, 1_790_000_000_000 + m as i64 * 1000) { m += 1; }
        prop_assert_eq!(original.finish(1).unwrap(), restored.finish(1).unwrap());
    }

    #[test]
    fn scores_never_exceed_their_maximum(seed: u64, script: u64, journey in prop::sample::select(vec!["kiosk", "school"])) {
        let pack = safe_migration_cached();
        let mut s = start(&pack, journey, seed);
        play_out(&mut s, &mut Script(script));
        let r = s.finish(1).unwrap();
        for resp in &r.responses {
            prop_assert!(resp.credit.num() <= resp.credit.den() && resp.credit.den() >= 1);
        }
        let sc = r.scores();
        for p in &sc.phases {
            prop_assert!(p.score <= p.max + 1e-9 && p.score >= 0.0);
        }
        if let Some(g) = sc.gain {
            prop_assert!(g.absolute >= -100.0 && g.absolute <= 100.0);
            if let Some(n) = g.normalised { prop_assert!(n <= 1.0 + 1e-9); }
        }
    }
}

fn safe_migration_cached() -> std::sync::Arc<kru_core::Pack> {
    use std::sync::OnceLock;
    static PACK: OnceLock<std::sync::Arc<kru_core::Pack>> = OnceLock::new();
    PACK.get_or_init(safe_migration).clone()
}

/// The safe-migration pack with every post-test of every journey set to `feedback`.
fn with_post_feedback(
    feedback: kru_core::pack::journey::FeedbackPolicy,
) -> std::sync::Arc<kru_core::Pack> {
    use kru_core::pack::journey::{PhaseContent, PhaseKind};
    let mut pack = (*safe_migration_cached()).clone();
    for j in &mut pack.journeys {
        for p in &mut j.phases {
            if let (PhaseKind::PostTest, PhaseContent::Quiz(q)) = (p.kind, &mut p.content) {
                q.feedback = feedback;
            }
        }
    }
    std::sync::Arc::new(pack)
}

/// One step seen: (step kind, phase kind of a question, item, review place, whether right).
type Seen = (String, String, String, Option<(u16, u16)>, bool);

/// What a learner sees in a journey, step by step: (step kind, phase kind of a question,
/// item, review place, whether right), answering with a script.
fn walk(pack: &std::sync::Arc<kru_core::Pack>, journey: &str, seed: u64) -> Vec<Seen> {
    let mut s = start(pack, journey, seed);
    let mut script = Script(seed ^ 0x9e37);
    let mut seen = Vec::new();
    let mut now = 1_790_000_000_000;
    for _ in 0..400 {
        check_position(&s);
        let step = s.step();
        let entry = match &step {
            Step::Done(_) => break,
            Step::Question(q) => (
                "question".into(),
                q.phase_kind.to_string(),
                q.item.to_string(),
                None,
                false,
            ),
            Step::Feedback(f) => (
                "feedback".into(),
                String::new(),
                f.item.to_string(),
                f.review.map(|r| (r.number, r.total)),
                f.correct,
            ),
            other => (
                other.kind().to_string(),
                String::new(),
                String::new(),
                None,
                false,
            ),
        };
        drop(step);
        seen.push(entry);
        now += 1000;
        if !act(&mut s, &mut script, now) {
            break;
        }
    }
    seen
}

#[test]
fn after_phase_reviews_every_scored_answer_after_the_score() {
    use kru_core::pack::journey::FeedbackPolicy;
    let pack = with_post_feedback(FeedbackPolicy::AfterPhase);
    for journey in ["kiosk", "school"] {
        for seed in 0..6 {
            let seen = walk(&pack, journey, seed);
            // No feedback right after a post-test question.
            for w in seen.windows(2) {
                if w[0].0 == "question" && w[0].1 == "post-test" {
                    assert_ne!(
                        w[1].0, "feedback",
                        "{journey}/{seed}: feedback during the post-test"
                    );
                }
            }
            // The post-test's scored questions, in order, then its score, then the review.
            let post: Vec<&str> = seen
                .iter()
                .filter(|e| e.0 == "question" && e.1 == "post-test")
                .filter(|e| pack.items[pack.item_index(&e.2).unwrap()].kind.is_scored())
                .map(|e| e.2.as_str())
                .collect();
            assert!(!post.is_empty());
            let reviews: Vec<_> = seen.iter().filter(|e| e.3.is_some()).collect();
            let n = post.len() as u16;
            assert_eq!(reviews.len(), post.len(), "{journey}/{seed}");
            for (k, (r, item)) in reviews.iter().zip(&post).enumerate() {
                assert_eq!(r.2, *item);
                assert_eq!(r.3, Some((k as u16 + 1, n)));
            }
            let first_review = seen.iter().position(|e| e.3.is_some()).unwrap();
            assert_eq!(seen[first_review - 1].0, "phase-summary");
        }
    }
    // The review says what the record says: right where the learner was right.
    let mut s = start(&pack, "kiosk", 3);
    let mut script = Script(77);
    let mut rights = Vec::new();
    let mut now = 1_790_000_000_000;
    loop {
        if let Step::Feedback(f) = s.step() {
            rights.push((f.item.to_string(), f.correct));
        }
        now += 1000;
        if !act(&mut s, &mut script, now) {
            break;
        }
    }
    let r = s.finish(now).unwrap();
    let post: Vec<(String, bool)> = r
        .responses
        .iter()
        .filter(|x| x.phase_kind == kru_core::pack::journey::PhaseKind::PostTest)
        .map(|x| (pack.items[x.item as usize].id.clone(), x.correct))
        .collect();
    assert_eq!(rights, post);
}

#[test]
fn after_each_gives_feedback_at_once_and_no_review() {
    use kru_core::pack::journey::FeedbackPolicy;
    let pack = with_post_feedback(FeedbackPolicy::AfterEach);
    let seen = walk(&pack, "kiosk", 1);
    assert!(seen.iter().all(|e| e.3.is_none()));
    for w in seen.windows(2) {
        if w[0].0 == "question" && w[0].1 == "post-test" {
            assert_eq!(w[1].0, "feedback");
            assert_eq!(w[1].2, w[0].2);
        }
    }
}
