//! `LineSet` against a plain set of the same lines.

use super::LineSet;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn of(lines: &BTreeSet<usize>) -> LineSet {
    lines.iter().copied().collect()
}

proptest! {
    /// Every operation agrees with a `BTreeSet` of the same lines, across the 64-line word.
    #[test]
    fn agrees_with_a_plain_set(
        a in prop::collection::btree_set(0usize..300, 0..40),
        b in prop::collection::btree_set(0usize..300, 0..40),
        n in 0usize..300,
    ) {
        let (sa, sb) = (of(&a), of(&b));
        prop_assert_eq!(sa.iter().collect::<Vec<_>>(), a.iter().copied().collect::<Vec<_>>());
        prop_assert_eq!(sa.len(), a.len());
        prop_assert_eq!(sa.is_empty(), a.is_empty());
        prop_assert_eq!(sa.union(&sb), of(&(&a | &b)));
        prop_assert_eq!(sa.intersection(&sb), of(&(&a & &b)));
        prop_assert_eq!(sa.difference(&sb), of(&(&a - &b)));
        prop_assert_eq!(sa.is_subset(&sb), a.is_subset(&b));
        prop_assert_eq!(sa.intersects(&sb), !a.is_disjoint(&b));
        let mut e = sa.clone();
        e.extend_from(&sb);
        prop_assert_eq!(&e, &of(&(&a | &b)));
        e.remove_all(&sb);
        prop_assert_eq!(&e, &of(&(&a - &b)));
        prop_assert_eq!(LineSet::full(n), (0..n).collect::<LineSet>());
        for &l in &a {
            let mut r = sa.clone();
            r.remove(l);
            let mut plain = a.clone();
            plain.remove(&l);
            prop_assert_eq!(r, of(&plain));
            prop_assert!(sa.contains(l));
        }
        prop_assert_eq!(sa.contains(n), a.contains(&n));
        // Ordered as the numbers with those bits.
        let number = |s: &BTreeSet<usize>| {
            let mut bits: Vec<bool> = vec![false; 300];
            for &l in s {
                bits[l] = true;
            }
            bits.into_iter().rev().collect::<Vec<_>>()
        };
        prop_assert_eq!(sa.cmp(&sb), number(&a).cmp(&number(&b)));
    }
}

#[test]
fn full_sets_end_exactly_at_the_last_line() {
    assert_eq!(LineSet::full(0), LineSet::new());
    assert_eq!(LineSet::full(64).iter().last(), Some(63));
    assert_eq!(LineSet::full(65).iter().last(), Some(64));
    assert_eq!(LineSet::full(300).len(), 300);
    assert_eq!(format!("{:?}", LineSet::full(2)), "{0, 1}");
}
