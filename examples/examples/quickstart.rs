//! The README's Rust quick start: route one order on a two-node network.

use omniroute_core::{
    LatLng, Load, Network, Node, NodeIdx, NodeKind, Order, OrderLine, Policy, Router, Skus,
    StockTable,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut skus = Skus::default();
    let tee = skus.intern("TEE-M");
    let network = Network::new(vec![
        Node::new("WH-DEL", NodeKind::Warehouse, LatLng::new(28.61, 77.21)?),
        Node::new("ST-GGN", NodeKind::Store, LatLng::new(28.46, 77.03)?),
    ])?;
    let policy = Policy::default();
    let router = Router::new(network, policy); // built once, kept: it owns both
    let stock = StockTable::from_positions([(NodeIdx(0), tee, 40), (NodeIdx(1), tee, 2)]);
    let order = Order::new(
        "O-1",
        LatLng::new(28.50, 77.08)?,
        vec![OrderLine {
            line_no: 1,
            sku: tee,
            qty: 1,
            unit_price_cents: Some(99_900),
        }],
    );
    let decision = router.route(
        &order,
        &stock,
        &Load::default(),
        "2026-11-26T06:00:00Z".parse()?,
    );
    let ship = &decision.shipments[0];
    println!(
        "{} ships from {} ({:.1} km), promised {}, cost {} cents",
        order.id,
        router.network().node(ship.node).id,
        ship.distance_km,
        ship.promised_date,
        decision.cost_cents()
    );
    assert_eq!(
        router.network().node(ship.node).id,
        "ST-GGN",
        "the nearer store wins"
    );
    Ok(())
}
