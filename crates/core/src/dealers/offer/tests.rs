use super::*;
use crate::{DealerTerms, LatLng, Node, Policy};

pub(crate) fn network() -> Network {
    let at = LatLng::new(28.6, 77.2).unwrap();
    let mut d = Node::new("D1", NodeKind::Dealer, at);
    d.dealer = Some(DealerTerms {
        margin_bps: 800,
        territory: None,
        acceptance_timeout_s: Some(60),
        acceptance_rate: None,
    });
    let mut d2 = Node::new("D2", NodeKind::Dealer, at);
    d2.dealer = Some(DealerTerms {
        margin_bps: 800,
        territory: None,
        acceptance_timeout_s: None,
        acceptance_rate: None,
    });
    Network::new(vec![d, Node::new("W", NodeKind::Warehouse, at), d2]).unwrap()
}

pub(crate) fn t(s: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + s).unwrap()
}

fn offer(node: u32) -> Offer {
    let rules = Policy::default().dealers;
    Offer::new(OfferId(7), "o1", &network(), NodeIdx(node), &rules, t(0)).unwrap()
}

#[test]
fn the_deadline_is_the_dealers_timeout_or_the_policys() {
    assert_eq!(offer(0).deadline, t(60));
    assert_eq!(offer(2).deadline, t(900));
}

#[test]
fn only_dealers_get_offers() {
    let rules = Policy::default().dealers;
    let e = Offer::new(OfferId(1), "o1", &network(), NodeIdx(1), &rules, t(0)).unwrap_err();
    assert_eq!(
        e,
        OfferError::NotADealer {
            node: NodeIdx(1),
            kind: NodeKind::Warehouse
        }
    );
    assert_eq!(e.code(), "E4001");
}

#[test]
fn offered_accepted_shipped() {
    let mut o = offer(0);
    o.accept(t(59)).unwrap();
    assert_eq!(o.state, OfferState::Accepted { at: t(59) });
    assert!(!o.expire(t(1_000)), "an accepted offer does not time out");
    o.ship(t(3_600)).unwrap();
    assert_eq!(o.state, OfferState::Shipped { at: t(3_600) });
    assert!(!o.state.is_refusal());
}

#[test]
fn rejected_and_timed_out_are_refusals() {
    let mut o = offer(0);
    o.reject(t(5), RejectReason::NoStock).unwrap();
    assert_eq!(
        o.state,
        OfferState::Rejected {
            at: t(5),
            reason: RejectReason::NoStock
        }
    );
    assert!(o.state.is_refusal());
    let mut o = offer(0);
    assert!(!o.expire(t(59)));
    assert!(o.expire(t(60)));
    assert_eq!(o.state, OfferState::TimedOut { at: t(60) });
    assert!(o.state.is_refusal());
}

/// Every move that does not start from its state is refused with E4002 and changes nothing.
#[test]
fn illegal_moves_are_errors_and_change_nothing() {
    type Move = fn(&mut Offer) -> Result<(), OfferError>;
    let moves: [(&str, Move); 3] = [
        ("accepted", |o| o.accept(t(10))),
        ("rejected", |o| o.reject(t(10), RejectReason::Declined)),
        ("shipped", |o| o.ship(t(10))),
    ];
    let mut accepted = offer(0);
    accepted.accept(t(1)).unwrap();
    let mut shipped = accepted.clone();
    shipped.ship(t(2)).unwrap();
    let mut rejected = offer(0);
    rejected.reject(t(1), RejectReason::Declined).unwrap();
    let mut timed_out = offer(0);
    timed_out.expire(t(60));
    let cases = [
        (offer(0), ["", "", "offered"]),
        (accepted, ["accepted", "accepted", ""]),
        (shipped, ["shipped", "shipped", "shipped"]),
        (rejected, ["rejected", "rejected", "rejected"]),
        (timed_out, ["timed_out", "timed_out", "timed_out"]),
    ];
    for (start, froms) in cases {
        for ((to, mv), from) in moves.iter().zip(froms) {
            let mut o = start.clone();
            let got = mv(&mut o);
            if from.is_empty() {
                assert!(got.is_ok(), "{} → {to}", start.state.as_str());
            } else {
                let e = got.unwrap_err();
                assert_eq!(
                    e,
                    OfferError::Illegal {
                        offer: OfferId(7),
                        from,
                        to
                    }
                );
                assert_eq!(e.code(), "E4002");
                assert_eq!(o, start, "a refused move changes nothing");
            }
        }
    }
}

#[test]
fn an_answer_at_the_deadline_is_late() {
    let mut o = offer(0);
    let e = o.accept(t(60)).unwrap_err();
    assert_eq!(e.code(), "E4003");
    assert_eq!(o.state, OfferState::Offered);
    assert!(o.reject(t(61), RejectReason::Declined).is_err());
}
