//! Dealer rejects drawn from a seed, for replays (`omniroute simulate --seed`).
//!
//! Every dealer shipment of a replayed plan is an offer the dealer may refuse. Its chance of
//! acceptance is the dealer's estimated rate: its `acceptance_rate` (nodes.csv) or else the
//! policy's Beta prior mean ([`crate::AcceptancePrior::rate`] with no outcomes seen). The draw
//! is a pure function of (seed, day, order id, dealer id): `u` uniform in [0, 1) from a
//! `SplitMix64` hash, and the dealer rejects when `u ≥ rate`. It does not depend on the order of
//! the draws or on the other orders, so the same seed gives the same rejects, byte for byte,
//! and a policy that offers an order to the same dealer meets the same answer.

use crate::{Event, NodeIdx, NodeKind, Order, Plan, Router};
use jiff::Timestamp;
use rustc_hash::FxHashSet;

/// The `SplitMix64` finaliser: a well-mixed 64-bit value from any 64-bit value.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The uniform draw in [0, 1) of the offer of `order_id` to `dealer_id` on day `day` (0-based)
/// under `seed`.
///
/// ```
/// # use omniroute_core::reject_draw;
/// let u = reject_draw(42, 0, "ORD-1", "D-7");
/// assert!((0.0..1.0).contains(&u));
/// assert_eq!(u, reject_draw(42, 0, "ORD-1", "D-7"));
/// assert_ne!(u, reject_draw(43, 0, "ORD-1", "D-7"));
/// ```
pub fn reject_draw(seed: u64, day: usize, order_id: &str, dealer_id: &str) -> f64 {
    let mut h = mix(seed ^ mix(day as u64));
    // Each byte folded in, with a separator so ("ab", "c") and ("a", "bc") differ.
    for b in order_id.bytes().chain([0xFF]).chain(dealer_id.bytes()) {
        h = mix(h ^ u64::from(b));
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// The drawn rejects of `plan`'s dealer shipments not drawn before (`drawn` remembers each
/// (order, dealer) pair), in order and shipment order.
pub(super) fn draw_rejects(
    router: &Router,
    orders: &[Order],
    plan: &Plan,
    seed: u64,
    day: usize,
    drawn: &mut FxHashSet<(usize, NodeIdx)>,
    now: Timestamp,
) -> Vec<Event> {
    let network = router.network();
    let mut events = Vec::new();
    for (i, (order, d)) in orders.iter().zip(&plan.decisions).enumerate() {
        for s in &d.shipments {
            let node = network.node(s.node);
            if node.kind != NodeKind::Dealer || !drawn.insert((i, s.node)) {
                continue;
            }
            let prior = router.policy_for(order, now).dealers.prior;
            let known = node.dealer.as_ref().and_then(|t| t.acceptance_rate);
            let rate = prior.rate(known, crate::AcceptanceCounts::default());
            if reject_draw(seed, day, &order.id, &node.id) >= rate {
                events.push(Event::Rejected {
                    order: i,
                    node: s.node,
                });
            }
        }
    }
    events
}
