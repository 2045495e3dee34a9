//! Territories: a dealer's polygons. Where the policy requires territories, a dealer serves only
//! destinations inside its own (`OUTSIDE_TERRITORY` otherwise); where it prefers them, a dealer's
//! shipment to a destination outside costs `outside_territory_cents` more. A point on the border
//! is inside. A dealer without a territory is never outside one.

use crate::{limits, DealerRules, LatLng, Node};
use geo::Intersects;

/// Whether `dest` lies in `node`'s territory (`None`: the node has none).
pub fn in_territory(node: &Node, dest: LatLng) -> Option<bool> {
    let territory = node.dealer.as_ref()?.territory.as_ref()?;
    Some(territory.intersects(&geo::Point::new(dest.lon_deg(), dest.lat_deg())))
}

/// What shipping from `node` to `dest` adds for leaving the dealer's territory where
/// territories are preferred, in cents (0 inside, without a territory, or where they are
/// required: then it is a filter).
pub fn outside_territory_cents(node: &Node, dest: LatLng, rules: &DealerRules) -> i64 {
    if rules.territory_required || rules.outside_territory_cents <= 0 {
        return 0;
    }
    match in_territory(node, dest) {
        Some(false) => limits::money(rules.outside_territory_cents),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DealerTerms, NodeKind, Policy};
    use geo::{polygon, MultiPolygon};

    fn dealer() -> Node {
        let mut n = Node::new("d", NodeKind::Dealer, LatLng::new(28.6, 77.2).unwrap());
        n.dealer = Some(DealerTerms {
            margin_bps: 0,
            territory: Some(MultiPolygon(vec![polygon![
                (x: 77.0, y: 28.0), (x: 78.0, y: 28.0), (x: 78.0, y: 29.0), (x: 77.0, y: 29.0)
            ]])),
            acceptance_timeout_s: None,
            acceptance_rate: None,
        });
        n
    }

    #[test]
    fn inside_outside_and_the_border() {
        let p = |lat, lon| LatLng::new(lat, lon).unwrap();
        assert_eq!(in_territory(&dealer(), p(28.5, 77.5)), Some(true));
        assert_eq!(in_territory(&dealer(), p(28.5, 78.0)), Some(true), "border");
        assert_eq!(in_territory(&dealer(), p(28.5, 78.01)), Some(false));
        let plain = Node::new("s", NodeKind::Dealer, p(0.0, 0.0));
        assert_eq!(in_territory(&plain, p(28.5, 77.5)), None);
    }

    #[test]
    fn preferred_territories_price_the_outside() {
        let mut rules = Policy::default().dealers;
        let out = LatLng::new(30.0, 77.5).unwrap();
        assert_eq!(
            outside_territory_cents(&dealer(), out, &rules),
            0,
            "default"
        );
        rules.outside_territory_cents = 700;
        assert_eq!(outside_territory_cents(&dealer(), out, &rules), 700);
        let inside = LatLng::new(28.5, 77.5).unwrap();
        assert_eq!(outside_territory_cents(&dealer(), inside, &rules), 0);
        rules.territory_required = true;
        assert_eq!(outside_territory_cents(&dealer(), out, &rules), 0);
    }
}
