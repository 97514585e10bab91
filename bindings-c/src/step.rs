//! Typed accessors of the current step.
//!
//! Each accessor applies to one kind of step (KRU_WRONG_STEP otherwise, saying which kind
//! the current step is). Strings stay valid until the next call that changes the session
//! (answer, advance, set_languages, finish, abandon) or frees it. Indexes out of range give
//! KRU_OUT_OF_RANGE.

use crate::bytes::kru_bytes;
use crate::error::{Failure, FfiResult};
use crate::ffi::{self, kru_label, kru_str, out};
use crate::kru_result::{self, *};
use crate::panic::boundary;
use crate::session::{kru_session, session_ref, SessionHandle};
use crate::view::{
    kru_answer_type, kru_block_kind, kru_resource, kru_scores, kru_step_kind, Block, View,
};

fn wrong(s: &SessionHandle, expected: &str) -> Failure {
    Failure::new(
        KRU_WRONG_STEP,
        format!(
            "the current step is {} {} step, not {} {expected} step",
            article(s.kind_name),
            s.kind_name,
            article(expected)
        ),
    )
}

/// "a" or "an" before a step kind name (`an intake step`).
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Runs an accessor body on a checked session.
fn read(
    name: &'static str,
    session: *const kru_session,
    body: impl FnOnce(&SessionHandle) -> FfiResult,
) -> kru_result {
    boundary(name, || {
        // SAFETY: the accessor's argument contract: `session` is NULL or a live handle.
        let s = unsafe { session_ref(session)? };
        body(s)
    })
}

/// The kind of the current step.
#[no_mangle]
pub unsafe extern "C" fn kru_session_step_kind(
    session: *const kru_session,
    out_kind: *mut kru_step_kind,
) -> kru_result {
    read("kru_session_step_kind", session, |s| {
        out(out_kind, "out_kind")?.set(s.view.kind());
        Ok(())
    })
}

/// The stable name of the current step's kind: `intake`, `page`, `story`, `question`,
/// `feedback`, `phase-summary`, `card` or `done`. Static: valid for the life of the program.
#[no_mangle]
pub unsafe extern "C" fn kru_session_step_kind_name(
    session: *const kru_session,
    out_name: *mut kru_str,
) -> kru_result {
    read("kru_session_step_kind_name", session, |s| {
        out(out_name, "out_name")?.set(kru_str::of(s.kind_name));
        Ok(())
    })
}

/// The whole current step as JSON (UTF-8): the core's serialisation of the step, a `kind`
/// field (`question`, …) and the step's fields in snake_case. For hosts that prefer one call
/// per step (e.g. through JNI). Free the bytes with kru_bytes_free().
#[no_mangle]
pub unsafe extern "C" fn kru_session_step_json(
    session: *const kru_session,
    out_json: *mut *mut kru_bytes,
) -> kru_result {
    read("kru_session_step_json", session, |s| {
        let o = out(out_json, "out_json")?;
        let json = serde_json::to_vec(&s.session.step()).map_err(|e| {
            Failure::new(
                KRU_SESSION_ERROR,
                format!("the step does not serialise: {e}"),
            )
        })?;
        o.set(crate::bytes::new_bytes(json));
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Intake

/// The current intake question: the field id (e.g. `sex`), the question, whether it must be
/// answered, and how many options it has (0 for a free text field: answer with
/// kru_session_answer_text()).
#[no_mangle]
pub unsafe extern "C" fn kru_session_intake(
    session: *const kru_session,
    out_field: *mut kru_str,
    out_label: *mut kru_label,
    out_required: *mut bool,
    out_option_count: *mut usize,
) -> kru_result {
    read("kru_session_intake", session, |s| {
        let (f, l, r, c) = (
            ffi::opt(out_field),
            ffi::opt(out_label),
            ffi::opt(out_required),
            ffi::opt(out_option_count),
        );
        let View::Intake {
            field,
            label,
            options,
            required,
        } = &s.view
        else {
            return Err(wrong(s, "intake"));
        };
        f.set(*field);
        l.set(*label);
        r.set(*required);
        c.set(options.len());
        Ok(())
    })
}

/// Option `index` of the current intake question: its code (stored in results, e.g.
/// `female`) and its label. Answer with kru_session_answer_choice(index).
#[no_mangle]
pub unsafe extern "C" fn kru_session_intake_option(
    session: *const kru_session,
    index: usize,
    out_code: *mut kru_str,
    out_label: *mut kru_label,
) -> kru_result {
    read("kru_session_intake_option", session, |s| {
        let (c, l) = (ffi::opt(out_code), ffi::opt(out_label));
        let View::Intake { options, .. } = &s.view else {
            return Err(wrong(s, "intake"));
        };
        let (code, label) = ffi::index(options, index, "intake option")?;
        c.set(*code);
        l.set(*label);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Page

/// The current lesson page: phase id, lesson id, lesson title, the 1-based page number, the
/// number of pages of the lesson, and how many blocks the page has.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kru_session_page(
    session: *const kru_session,
    out_phase: *mut kru_str,
    out_lesson: *mut kru_str,
    out_title: *mut kru_label,
    out_page: *mut usize,
    out_pages: *mut usize,
    out_block_count: *mut usize,
) -> kru_result {
    read("kru_session_page", session, |s| {
        let (ph, le, ti, pa, ps, bc) = (
            ffi::opt(out_phase),
            ffi::opt(out_lesson),
            ffi::opt(out_title),
            ffi::opt(out_page),
            ffi::opt(out_pages),
            ffi::opt(out_block_count),
        );
        let View::Page {
            phase,
            lesson,
            title,
            page,
            pages,
            blocks,
        } = &s.view
        else {
            return Err(wrong(s, "page"));
        };
        ph.set(*phase);
        le.set(*lesson);
        ti.set(*title);
        pa.set(*page);
        ps.set(*pages);
        bc.set(blocks.len());
        Ok(())
    })
}

fn page_block(s: &SessionHandle, index: usize) -> FfiResult<&Block> {
    let View::Page { blocks, .. } = &s.view else {
        return Err(wrong(s, "page"));
    };
    ffi::index(blocks, index, "block")
}

/// Block `index` of the current page. What each field holds depends on the kind (see
/// kru_block_kind); fields that do not apply are absent (`data == NULL`). `entry_count` is
/// the number of list entries (kru_session_page_block_entry()).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kru_session_page_block(
    session: *const kru_session,
    index: usize,
    out_kind: *mut kru_block_kind,
    out_text: *mut kru_label,
    out_detail: *mut kru_label,
    out_id: *mut kru_str,
    out_media: *mut kru_str,
    out_entry_count: *mut usize,
) -> kru_result {
    read("kru_session_page_block", session, |s| {
        let (k, t, d, i, m, e) = (
            ffi::opt(out_kind),
            ffi::opt(out_text),
            ffi::opt(out_detail),
            ffi::opt(out_id),
            ffi::opt(out_media),
            ffi::opt(out_entry_count),
        );
        let b = page_block(s, index)?;
        k.set(b.kind);
        t.set(b.text);
        d.set(b.detail);
        i.set(b.id);
        m.set(b.media);
        e.set(b.entries.len());
        Ok(())
    })
}

/// Entry `entry` of list block `index` of the current page.
#[no_mangle]
pub unsafe extern "C" fn kru_session_page_block_entry(
    session: *const kru_session,
    index: usize,
    entry: usize,
    out_entry: *mut kru_label,
) -> kru_result {
    read("kru_session_page_block_entry", session, |s| {
        let o = out(out_entry, "out_entry")?;
        let b = page_block(s, index)?;
        o.set(*ffi::index(&b.entries, entry, "list entry")?);
        Ok(())
    })
}

/// The help service of resource block `index` of the current page (KRU_INVALID_ARGUMENT
/// when the block is not a KRU_BLOCK_RESOURCE).
#[no_mangle]
pub unsafe extern "C" fn kru_session_page_block_resource(
    session: *const kru_session,
    index: usize,
    out_resource: *mut kru_resource,
) -> kru_result {
    read("kru_session_page_block_resource", session, |s| {
        let o = out(out_resource, "out_resource")?;
        let b = page_block(s, index)?;
        let r = b.resource.ok_or_else(|| {
            Failure::new(
                KRU_INVALID_ARGUMENT,
                format!("block {index} of the page is not a resource block"),
            )
        })?;
        o.set(r);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Story

/// The current story scene: story id, story title, scene (node) id, what happens, an
/// optional picture (media path, absent when none), and how many choices the learner has
/// (0 while a consequence is shown and at an ending: then advance).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kru_session_story(
    session: *const kru_session,
    out_story: *mut kru_str,
    out_title: *mut kru_label,
    out_node: *mut kru_str,
    out_text: *mut kru_label,
    out_image: *mut kru_str,
    out_choice_count: *mut usize,
) -> kru_result {
    read("kru_session_story", session, |s| {
        let (st, ti, no, te, im, cc) = (
            ffi::opt(out_story),
            ffi::opt(out_title),
            ffi::opt(out_node),
            ffi::opt(out_text),
            ffi::opt(out_image),
            ffi::opt(out_choice_count),
        );
        let View::Story {
            story,
            title,
            node,
            text,
            image,
            choices,
            ..
        } = &s.view
        else {
            return Err(wrong(s, "story"));
        };
        st.set(*story);
        ti.set(*title);
        no.set(*node);
        te.set(*text);
        im.set(*image);
        cc.set(choices.len());
        Ok(())
    })
}

/// Choice `index` of the current story scene. Answer with kru_session_answer_choice(index).
#[no_mangle]
pub unsafe extern "C" fn kru_session_story_choice(
    session: *const kru_session,
    index: usize,
    out_choice: *mut kru_label,
) -> kru_result {
    read("kru_session_story_choice", session, |s| {
        let o = out(out_choice, "out_choice")?;
        let View::Story { choices, .. } = &s.view else {
            return Err(wrong(s, "story"));
        };
        o.set(*ffi::index(choices, index, "story choice")?);
        Ok(())
    })
}

/// What follows a story choice: the choice made and its consequence while they are shown
/// (absent otherwise), and at an ending its kind, `safe`, `unsafe` or `neutral` (absent
/// otherwise).
#[no_mangle]
pub unsafe extern "C" fn kru_session_story_outcome(
    session: *const kru_session,
    out_chosen: *mut kru_label,
    out_consequence: *mut kru_label,
    out_ending: *mut kru_str,
) -> kru_result {
    read("kru_session_story_outcome", session, |s| {
        let (ch, co, en) = (
            ffi::opt(out_chosen),
            ffi::opt(out_consequence),
            ffi::opt(out_ending),
        );
        let View::Story {
            consequence,
            ending,
            ..
        } = &s.view
        else {
            return Err(wrong(s, "story"));
        };
        let (c, q) = consequence.unwrap_or((kru_label::NONE, kru_label::NONE));
        ch.set(c);
        co.set(q);
        en.set(*ending);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Question

/// The current question: item id, the answer type it takes, the prompt, how many options
/// (or steps, right-hand matching entries, scale points) it shows and how many left-hand
/// matching entries (matching items only; else 0).
#[no_mangle]
pub unsafe extern "C" fn kru_session_question(
    session: *const kru_session,
    out_item: *mut kru_str,
    out_expects: *mut kru_answer_type,
    out_prompt: *mut kru_label,
    out_option_count: *mut usize,
    out_left_count: *mut usize,
) -> kru_result {
    read("kru_session_question", session, |s| {
        let (it, ex, pr, oc, lc) = (
            ffi::opt(out_item),
            ffi::opt(out_expects),
            ffi::opt(out_prompt),
            ffi::opt(out_option_count),
            ffi::opt(out_left_count),
        );
        let View::Question {
            item,
            expects,
            prompt,
            options,
            left,
            ..
        } = &s.view
        else {
            return Err(wrong(s, "question"));
        };
        it.set(*item);
        ex.set(*expects);
        pr.set(*prompt);
        oc.set(options.len());
        lc.set(left.len());
        Ok(())
    })
}

/// Where the current question stands: phase id, phase kind (`pre-test`, `practice`,
/// `post-test`, `follow-up`), item kind (`single`, `multiple`, `true-false`, `ordering`,
/// `matching`, `text`, `numeric`, `likert`), its 1-based number within the phase and the
/// number of questions in the phase.
#[no_mangle]
pub unsafe extern "C" fn kru_session_question_info(
    session: *const kru_session,
    out_phase: *mut kru_str,
    out_phase_kind: *mut kru_str,
    out_item_kind: *mut kru_str,
    out_number: *mut u16,
    out_total: *mut u16,
) -> kru_result {
    read("kru_session_question_info", session, |s| {
        let (ph, pk, ik, nu, to) = (
            ffi::opt(out_phase),
            ffi::opt(out_phase_kind),
            ffi::opt(out_item_kind),
            ffi::opt(out_number),
            ffi::opt(out_total),
        );
        let View::Question {
            phase,
            phase_kind,
            item_kind,
            number,
            total,
            ..
        } = &s.view
        else {
            return Err(wrong(s, "question"));
        };
        ph.set(*phase);
        pk.set(*phase_kind);
        ik.set(*item_kind);
        nu.set(*number);
        to.set(*total);
        Ok(())
    })
}

/// Whether the current question offers "I don't know" (a knowledge item in a phase with
/// `dont_know = true`): show it as a secondary choice and answer it with
/// kru_session_answer_dont_know().
#[no_mangle]
pub unsafe extern "C" fn kru_session_question_dont_know(
    session: *const kru_session,
    out_offered: *mut bool,
) -> kru_result {
    read("kru_session_question_dont_know", session, |s| {
        let o = out(out_offered, "out_offered")?;
        let View::Question { dont_know, .. } = &s.view else {
            return Err(wrong(s, "question"));
        };
        o.set(*dont_know);
        Ok(())
    })
}

/// Option `index` of the current question, in shown order: an option, a step of an ordering
/// item, a right-hand entry of a matching item, or a scale point. Answers use these
/// positions.
#[no_mangle]
pub unsafe extern "C" fn kru_session_question_option(
    session: *const kru_session,
    index: usize,
    out_option: *mut kru_label,
) -> kru_result {
    read("kru_session_question_option", session, |s| {
        let o = out(out_option, "out_option")?;
        let View::Question { options, .. } = &s.view else {
            return Err(wrong(s, "question"));
        };
        o.set(*ffi::index(options, index, "question option")?);
        Ok(())
    })
}

/// Left-hand entry `index` of the current matching question.
#[no_mangle]
pub unsafe extern "C" fn kru_session_question_left(
    session: *const kru_session,
    index: usize,
    out_entry: *mut kru_label,
) -> kru_result {
    read("kru_session_question_left", session, |s| {
        let o = out(out_entry, "out_entry")?;
        let View::Question { left, .. } = &s.view else {
            return Err(wrong(s, "question"));
        };
        o.set(*ffi::index(left, index, "left entry")?);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Feedback

/// Feedback on the last answer: item id, whether it earned full credit, the points earned
/// (0 to 1), a message for a right or wrong answer (may be empty), why the right answer is
/// right, and how many entries the right answer has (kru_session_feedback_right_answer()).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kru_session_feedback(
    session: *const kru_session,
    out_item: *mut kru_str,
    out_correct: *mut bool,
    out_credit: *mut f32,
    out_message: *mut kru_label,
    out_explanation: *mut kru_label,
    out_right_answer_count: *mut usize,
) -> kru_result {
    read("kru_session_feedback", session, |s| {
        let (it, co, cr, me, ex, rc) = (
            ffi::opt(out_item),
            ffi::opt(out_correct),
            ffi::opt(out_credit),
            ffi::opt(out_message),
            ffi::opt(out_explanation),
            ffi::opt(out_right_answer_count),
        );
        let View::Feedback {
            item,
            correct,
            credit,
            message,
            explanation,
            right_answer,
            ..
        } = &s.view
        else {
            return Err(wrong(s, "feedback"));
        };
        it.set(*item);
        co.set(*correct);
        cr.set(*credit);
        me.set(*message);
        ex.set(*explanation);
        rc.set(right_answer.len());
        Ok(())
    })
}

/// Entry `index` of the right answer as text: the right option(s), the steps in order,
/// `left`, `right` pairs as two entries each, or the accepted text.
#[no_mangle]
pub unsafe extern "C" fn kru_session_feedback_right_answer(
    session: *const kru_session,
    index: usize,
    out_entry: *mut kru_label,
) -> kru_result {
    read("kru_session_feedback_right_answer", session, |s| {
        let o = out(out_entry, "out_entry")?;
        let View::Feedback { right_answer, .. } = &s.view else {
            return Err(wrong(s, "feedback"));
        };
        o.set(*ffi::index(right_answer, index, "right answer entry")?);
        Ok(())
    })
}

/// Whether the feedback is on an "I don't know" answer (then `correct` is false: show the
/// right answer without calling it a mistake).
#[no_mangle]
pub unsafe extern "C" fn kru_session_feedback_dont_know(
    session: *const kru_session,
    out_dont_know: *mut bool,
) -> kru_result {
    read("kru_session_feedback_dont_know", session, |s| {
        let o = out(out_dont_know, "out_dont_know")?;
        let View::Feedback { dont_know, .. } = &s.view else {
            return Err(wrong(s, "feedback"));
        };
        o.set(*dont_know);
        Ok(())
    })
}

/// For a true/false item, the right value (`*out_has_value` false for other items).
#[no_mangle]
pub unsafe extern "C" fn kru_session_feedback_right_bool(
    session: *const kru_session,
    out_has_value: *mut bool,
    out_value: *mut bool,
) -> kru_result {
    read("kru_session_feedback_right_bool", session, |s| {
        let (h, v) = (ffi::opt(out_has_value), ffi::opt(out_value));
        let View::Feedback { right_bool, .. } = &s.view else {
            return Err(wrong(s, "feedback"));
        };
        h.set(right_bool.is_some());
        v.set(right_bool.unwrap_or(false));
        Ok(())
    })
}

/// Whether this feedback is part of the review at the end of a phase
/// (`feedback = "after-phase"`): then `*out_number` (1-based) and `*out_total` say which
/// answer of the review it is (both 0 for feedback right after an answer), and `*out_prompt`
/// is the question that was asked (set in both cases).
#[no_mangle]
pub unsafe extern "C" fn kru_session_feedback_review(
    session: *const kru_session,
    out_number: *mut u16,
    out_total: *mut u16,
    out_prompt: *mut kru_label,
) -> kru_result {
    read("kru_session_feedback_review", session, |s| {
        let (n, t, p) = (
            ffi::opt(out_number),
            ffi::opt(out_total),
            ffi::opt(out_prompt),
        );
        let View::Feedback { review, prompt, .. } = &s.view else {
            return Err(wrong(s, "feedback"));
        };
        let (number, total) = review.unwrap_or((0, 0));
        n.set(number);
        t.set(total);
        p.set(*prompt);
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Phase summary, card, done

/// The score of the quiz phase just ended: phase id, phase kind, phase title, points earned,
/// scored questions, and questions with full credit.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kru_session_phase_summary(
    session: *const kru_session,
    out_phase: *mut kru_str,
    out_phase_kind: *mut kru_str,
    out_title: *mut kru_label,
    out_score: *mut f64,
    out_max: *mut f64,
    out_correct: *mut u32,
) -> kru_result {
    read("kru_session_phase_summary", session, |s| {
        let (ph, pk, ti, sc, mx, co) = (
            ffi::opt(out_phase),
            ffi::opt(out_phase_kind),
            ffi::opt(out_title),
            ffi::opt(out_score),
            ffi::opt(out_max),
            ffi::opt(out_correct),
        );
        let View::PhaseSummary {
            phase,
            phase_kind,
            title,
            score,
            max,
            correct,
        } = &s.view
        else {
            return Err(wrong(s, "phase-summary"));
        };
        ph.set(*phase);
        pk.set(*phase_kind);
        ti.set(*title);
        sc.set(*score);
        mx.set(*max);
        co.set(*correct);
        Ok(())
    })
}

/// The take-home reference card: title, closing line, and how many key messages and help
/// services it has.
#[no_mangle]
pub unsafe extern "C" fn kru_session_card(
    session: *const kru_session,
    out_title: *mut kru_label,
    out_footer: *mut kru_label,
    out_message_count: *mut usize,
    out_resource_count: *mut usize,
) -> kru_result {
    read("kru_session_card", session, |s| {
        let (ti, fo, mc, rc) = (
            ffi::opt(out_title),
            ffi::opt(out_footer),
            ffi::opt(out_message_count),
            ffi::opt(out_resource_count),
        );
        let View::Card {
            title,
            messages,
            resources,
            footer,
        } = &s.view
        else {
            return Err(wrong(s, "card"));
        };
        ti.set(*title);
        fo.set(*footer);
        mc.set(messages.len());
        rc.set(resources.len());
        Ok(())
    })
}

/// Key message `index` of the card: objective id, the message, its explanation.
#[no_mangle]
pub unsafe extern "C" fn kru_session_card_message(
    session: *const kru_session,
    index: usize,
    out_objective: *mut kru_str,
    out_title: *mut kru_label,
    out_summary: *mut kru_label,
) -> kru_result {
    read("kru_session_card_message", session, |s| {
        let (ob, ti, su) = (
            ffi::opt(out_objective),
            ffi::opt(out_title),
            ffi::opt(out_summary),
        );
        let View::Card { messages, .. } = &s.view else {
            return Err(wrong(s, "card"));
        };
        let (o, t, m) = ffi::index(messages, index, "card message")?;
        ob.set(*o);
        ti.set(*t);
        su.set(*m);
        Ok(())
    })
}

/// Help service `index` of the card (name, number to dial, hours, purpose).
#[no_mangle]
pub unsafe extern "C" fn kru_session_card_resource(
    session: *const kru_session,
    index: usize,
    out_resource: *mut kru_resource,
) -> kru_result {
    read("kru_session_card_resource", session, |s| {
        let o = out(out_resource, "out_resource")?;
        let View::Card { resources, .. } = &s.view else {
            return Err(wrong(s, "card"));
        };
        o.set(*ffi::index(resources, index, "card resource")?);
        Ok(())
    })
}

/// At the end (KRU_STEP_DONE): the learner's own result, pre-test and post-test totals and
/// the gain.
#[no_mangle]
pub unsafe extern "C" fn kru_session_done_scores(
    session: *const kru_session,
    out_scores: *mut kru_scores,
) -> kru_result {
    read("kru_session_done_scores", session, |s| {
        let o = out(out_scores, "out_scores")?;
        let View::Done { scores } = &s.view else {
            return Err(wrong(s, "done"));
        };
        o.set(*scores);
        Ok(())
    })
}
