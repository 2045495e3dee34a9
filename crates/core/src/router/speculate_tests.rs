//! The speculative batch against the one-thread run where guesses go stale most: few SKUs, tight
//! daily capacities on most nodes, many orders of several lines, and an inventory-balance term
//! (whose cost reads a position's exact units).

use super::tests::{arb_case_with, now, Case};
use crate::*;
use proptest::prelude::*;

/// `case` with every node's daily capacities replaced by `caps` (cycled).
fn with_capacities(case: Case, caps: &[(Option<u32>, Option<u32>)]) -> Case {
    let nodes: Vec<Node> = case
        .network
        .nodes()
        .iter()
        .zip(caps.iter().cycle())
        .map(|(n, &(units, shipments))| {
            let mut n = n.clone();
            n.capacity_units = units;
            n.capacity_shipments = shipments;
            n
        })
        .collect();
    Case {
        network: Network::new(nodes).unwrap(),
        ..case
    }
}

/// The plan on a 3-thread pool (speculating) and on one thread.
fn both(case: &Case) -> (Plan, Plan) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let router = Router::new(case.network.clone(), case.policy.clone());
    let parallel = pool.install(|| router.route_sequential(&case.orders, &case.stock, now()));
    let serial = router
        .parallel(false)
        .route_sequential(&case.orders, &case.stock, now());
    (parallel, serial)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Contended capacity and stock: the parallel plan equals the one-thread plan.
    #[test]
    fn contended_parallel_batch_equals_serial(
        case in arb_case_with(10, 4, 80, 3, 60),
        caps in prop::collection::vec(
            (prop::option::weighted(0.8, 1u32..8), prop::option::weighted(0.5, 1u32..4)),
            1..6,
        ),
    ) {
        let case = with_capacities(case, &caps);
        let (parallel, serial) = both(&case);
        prop_assert_eq!(parallel.decisions, serial.decisions);
    }

    /// With an inventory-balance term (a cost that reads a position's units, not only whether
    /// they are enough) the parallel plan equals the one-thread plan.
    #[test]
    fn balance_parallel_batch_equals_serial(
        case in arb_case_with(10, 4, 80, 3, 60),
        below_units in 1u32..6,
        per_unit_cents in 1i64..2000,
    ) {
        let mut case = case;
        case.policy.balance = Some(Balance { below_units, per_unit_cents });
        let (parallel, serial) = both(&case);
        prop_assert_eq!(parallel.decisions, serial.decisions);
    }
}
