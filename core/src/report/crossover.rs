//! Crossover analysis: with parallel forms in both orders (half the learners take form A before
//! and B after, the other half B then A), how much the forms differ and whether the order
//! matters.
//!
//! * **Form effect**: the pre-test on the first form minus the pre-test on the second, between
//!   the two halves (each learner's pre-test is on one form only, before any lesson, so with
//!   random halves the difference is the forms' difference in difficulty), with Welch's t-test.
//! * **Order effect**: the mean gain of the order first→second minus that of second→first,
//!   with Welch's t-test. With forms of equal difficulty and no order effect it is 0; a form
//!   that is easier by Δ points makes it about −2Δ (see the form effect).
//! * **Balanced gain**: the mean of the two orders' mean gains, in which the forms'
//!   difference cancels out: the gain figure a crossover design is for.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::report::stats::{welch_t_test, Moments, WelchTest};

/// At most this many distinct orders are kept (a journey has a handful of forms).
const MAX_ORDERS: usize = 16;

#[derive(Clone)]
struct OrderAcc {
    forms: [u16; 2],
    pre: Moments,
    post: Moments,
    gain: Moments,
}

/// The paired learners' scores by the order of their two forms.
#[derive(Clone, Default)]
pub(crate) struct CrossoverAcc {
    orders: Vec<OrderAcc>,
}

impl CrossoverAcc {
    /// Adds a paired learner who took form `forms[0]` before and `forms[1]` after (learners
    /// without two different forms are not in a crossover).
    pub fn push(&mut self, forms: [Option<u16>; 2], pre: f64, post: f64, gain: f64) {
        let [Some(a), Some(b)] = forms else {
            return;
        };
        if a == b {
            return;
        }
        let i = match self.orders.iter().position(|o| o.forms == [a, b]) {
            Some(i) => i,
            None if self.orders.len() < MAX_ORDERS => {
                self.orders.push(OrderAcc {
                    forms: [a, b],
                    pre: Moments::new(),
                    post: Moments::new(),
                    gain: Moments::new(),
                });
                self.orders.len() - 1
            }
            None => return,
        };
        if let Some(o) = self.orders.get_mut(i) {
            o.pre.push(pre);
            o.post.push(post);
            o.gain.push(gain);
        }
    }

    /// The crossover report: of the two forms (in pack order) taken in both orders by the
    /// most learners; `None` when no two forms were taken in both orders.
    pub fn report(&self, pack: &Pack) -> Option<CrossoverReport> {
        let (xy, yx) = self
            .orders
            .iter()
            .filter(|o| o.forms[0] < o.forms[1])
            .filter_map(|o| {
                let back = self
                    .orders
                    .iter()
                    .find(|p| p.forms == [o.forms[1], o.forms[0]])?;
                Some((o, back))
            })
            .max_by_key(|(a, b)| a.gain.n() + b.gain.n())?;
        let id = |f: u16| {
            pack.forms
                .get(usize::from(f))
                .map_or_else(String::new, |f| f.id.clone())
        };
        let order = |o: &OrderAcc| CrossoverOrder {
            first: id(o.forms[0]),
            second: id(o.forms[1]),
            n: o.gain.n(),
            pre: summary_of(&o.pre),
            post: summary_of(&o.post),
            gain: summary_of(&o.gain),
        };
        let balanced_gain = xy
            .gain
            .mean()
            .zip(yx.gain.mean())
            .map(|(a, b)| (a + b) / 2.0);
        Some(CrossoverReport {
            forms: [id(xy.forms[0]), id(xy.forms[1])],
            form_effect: difference(&xy.pre, &yx.pre),
            order_effect: difference(&xy.gain, &yx.gain),
            balanced_gain,
            orders: [order(xy), order(yx)],
        })
    }
}

fn summary_of(m: &Moments) -> Summary {
    Summary {
        n: m.n(),
        mean: m.mean(),
        sd: m.sample_sd(),
    }
}

/// mean(a) − mean(b) with Welch's test when it is defined.
fn difference(a: &Moments, b: &Moments) -> Option<TwoSampleTest> {
    let d = a.mean()? - b.mean()?;
    let test: Option<WelchTest> = welch_t_test(a, b);
    Some(TwoSampleTest {
        difference: d,
        t: test.map(|w| w.t),
        df: test.map(|w| w.df),
        p_value: test.map(|w| w.p_value),
    })
}
