use super::super::offer::tests::{network, t};
use super::*;
use crate::{LatLng, OfferId, Policy, RejectReason};

fn offer(id: u64, node: u32, at: i64) -> Offer {
    let rules = Policy::default().dealers;
    Offer::new(OfferId(id), "o1", &network(), NodeIdx(node), &rules, t(at)).unwrap()
}

fn rejected(id: u64, node: u32, at: i64) -> Offer {
    let mut o = offer(id, node, at);
    o.reject(t(at + 1), RejectReason::Declined).unwrap();
    o
}

#[test]
fn refusals_exclude_the_dealer_and_send_the_order_to_review() {
    let mut rules = Policy::default().dealers;
    rules.max_rejections = 2;
    let mut offers = OrderOffers::default();
    offers.offers.push(rejected(1, 0, 0));
    // The same dealer refusing twice counts once.
    offers.offers.push(rejected(2, 0, 10));
    assert_eq!(offers.refused_by(), vec![NodeIdx(0)]);
    assert!(!offers.needs_review(&rules));
    let mut timed_out = offer(3, 2, 20);
    assert!(offers.open().is_none());
    offers.offers.push(timed_out.clone());
    assert_eq!(offers.open().map(|o| o.id), Some(OfferId(3)));
    timed_out.expire(t(2_000));
    offers.offers[2] = timed_out;
    assert_eq!(offers.refused_by(), vec![NodeIdx(0), NodeIdx(2)]);
    assert!(offers.needs_review(&rules));
    rules.max_rejections = 0;
    assert!(!offers.needs_review(&rules), "0: never to review");

    let mut order = Order::new("o1", LatLng::new(28.6, 77.2).unwrap(), Vec::new());
    order.excluded.push(NodeIdx(2));
    offers.exclude_refusers(&mut order);
    assert_eq!(order.excluded, vec![NodeIdx(2), NodeIdx(0)]);
}

#[test]
fn repeated_refusals_cool_a_dealer_down() {
    let mut rules = Policy::default().dealers;
    rules.cool_down_after = 2;
    rules.cool_down_hours = 1;
    let mut book = DealerBook::default();
    book.record(&rejected(1, 0, 0), &rules);
    assert!(!book.cooling_down(NodeIdx(0), t(2)));
    // An accept breaks the run.
    let mut accepted = offer(2, 0, 5);
    accepted.accept(t(6)).unwrap();
    book.record(&accepted, &rules);
    book.record(&rejected(3, 0, 10), &rules);
    assert!(!book.cooling_down(NodeIdx(0), t(12)));
    book.record(&rejected(4, 0, 20), &rules);
    // Cooling from the last refusal (t(21)) for an hour.
    assert!(book.cooling_down(NodeIdx(0), t(21)));
    assert!(book.cooling_down(NodeIdx(0), t(3_620)));
    assert!(!book.cooling_down(NodeIdx(0), t(3_621)));
    assert_eq!(book.cooling(t(100)), vec![NodeIdx(0)]);
    assert!(!book.cooling_down(NodeIdx(2), t(100)));
    let s = book.standing(NodeIdx(0));
    assert_eq!((s.seen.accepted, s.seen.refused), (1, 3));
    // Beta(9, 1) after 1 accept and 3 refusals: 10 / 14.
    let rate = book.acceptance_rate(NodeIdx(0), None, &rules);
    assert!((rate - 10.0 / 14.0).abs() < 1e-12, "{rate}");
    rules.cool_down_after = 0;
    let mut never = DealerBook::default();
    for i in 0..5 {
        never.record(&rejected(i, 0, 0), &rules);
    }
    assert!(never.cooling(t(10)).is_empty(), "0: never cools down");
}

#[test]
fn outcomes_count_offers_by_state() {
    let mut accepted = offer(1, 0, 0);
    accepted.accept(t(1)).unwrap();
    let mut shipped = accepted.clone();
    shipped.ship(t(2)).unwrap();
    let mut timed_out = offer(3, 0, 0);
    timed_out.expire(t(60));
    let all = [
        offer(0, 0, 0),
        accepted,
        shipped,
        rejected(2, 0, 0),
        timed_out,
    ];
    assert_eq!(
        OfferOutcomes::of(&all),
        OfferOutcomes {
            offered: 1,
            accepted: 1,
            shipped: 1,
            rejected: 1,
            timed_out: 1
        }
    );
}

#[test]
fn the_observed_network_prices_refusals_from_outcomes() {
    let mut rules = Policy::default().dealers;
    rules.reject_cost_cents = 1_000;
    let mut book = DealerBook::default();
    for i in 0..3 {
        book.record(&rejected(i, 0, 0), &rules);
    }
    let mut accepted = offer(9, 2, 0);
    accepted.accept(t(1)).unwrap();
    book.record(&accepted, &rules);
    let net = network();
    let seen = book.observed_network(&net, &rules);
    let rate = |n: &Network, i: usize| n.nodes()[i].dealer.as_ref().unwrap().acceptance_rate;
    // Beta(9, 1) after three refusals: 9 / 13; after one accept: 10 / 11.
    assert_eq!(rate(&seen, 0), Some(9.0 / 13.0));
    assert_eq!(rate(&seen, 2), Some(10.0 / 11.0));
    assert_eq!(rate(&net, 0), None, "the network itself is unchanged");
    assert_eq!(seen.nodes()[1], net.nodes()[1], "not a dealer");
    // The refusal risk follows: 4/13 of 1000 against the prior's 1/10.
    assert_eq!(crate::reject_risk_cents(&seen.nodes()[0], &rules), 308);
    assert_eq!(crate::reject_risk_cents(&net.nodes()[0], &rules), 100);
    assert_eq!(crate::reject_risk_cents(&seen.nodes()[2], &rules), 91);
}
