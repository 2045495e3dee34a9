//! `Bounds::whole_km`, the distance the first phase's walk is capped at, against
//! `Bounds::whole` itself: every distance beyond it closes, and it is no further than the
//! first distance that does (found by bisection) by more than its rounding margin.

use super::floors::LineFloors;
use super::order_terms::OrderTerms;
use super::tests::{arb_case, now};
use super::{Load, Router};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn whole_km_is_where_the_one_shipment_test_closes(case in arb_case(14, 4, 4), floors: bool) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let r = &router.versions[0].1;
        for order in &case.orders {
            let terms = OrderTerms::resolve(order, &r.policy);
            let load = Load::default();
            r.search(order, &terms, &case.stock, &load, now(), None, None, |mut s| {
                s.run(); // a best to bound by
                if floors {
                    s.floors = Some(LineFloors::compute(&s)); // a sunk cost too
                }
                let bounds = s.bounds();
                let km = bounds.whole_km();
                for beyond in [km * (1.0 + 1e-12) + 1e-9, km * 1.01 + 1.0, km * 4.0 + 100.0] {
                    if beyond.is_finite() {
                        prop_assert!(bounds.whole(beyond).is_some(), "open at {} beyond {}", beyond, km);
                    }
                }
                if !km.is_finite() || bounds.whole(0.0).is_some() {
                    return Ok(());
                }
                // The first distance that closes, to within 1e-9 km.
                let (mut open, mut shut) = (0.0f64, km * (1.0 + 1e-12) + 1e-9);
                while shut - open > 1e-9 * shut.max(1.0) {
                    let mid = f64::midpoint(open, shut);
                    if bounds.whole(mid).is_some() { shut = mid } else { open = mid }
                }
                prop_assert!(km >= open, "{} km is open but beyond whole_km {}", open, km);
                prop_assert!(km <= shut * (1.0 + 1e-8) + 1e-5, "whole_km {} far beyond {}", km, shut);
                Ok(())
            })?;
        }
    }
}
