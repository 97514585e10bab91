//! Insertion sort for the short lists of a session (a question's chosen options, one
//! objective's drawn items: at most [`crate::limits::MAX_OPTIONS`] or a form's size).
//!
//! `slice::sort_unstable` is a pattern-defeating quicksort with sorting networks: right for
//! long slices, but about 6 KB of the browser module for each element type. Insertion sort is
//! a few dozen bytes, stable, and as fast on the handful of entries a session sorts.

/// Sorts `xs` by `key`, keeping equal keys in their order.
pub(crate) fn sort_by_key<T, K: Ord>(xs: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..xs.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (xs.get(j - 1), xs.get(j)) else {
                break;
            };
            if key(a) <= key(b) {
                break;
            }
            xs.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    proptest::proptest! {
        #[test]
        fn sorts_like_the_standard_stable_sort(xs in proptest::collection::vec((0u8..8, 0u16..1000), 0..40)) {
            let mut ours = xs.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            let mut std = xs;
            std.sort_by_key(|&(k, _)| k);
            proptest::prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn sorts_plain_values() {
        let mut v: Vec<u16> = alloc::vec![5, 3, 9, 0, 3];
        sort_by_key(&mut v, |&x| x);
        assert_eq!(v, [0, 3, 3, 5, 9]);
    }
}
