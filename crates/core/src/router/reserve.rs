//! Route and reserve: the live OMS path. The decision is the dry run's ([`Router::route`]) on
//! the caller's stock table; the reservation then holds its lines in the ledger atomically.

use super::batch::apply;
use super::{Decision, Load, Router, StockTable};
use crate::{Inventory, InventoryError, Order, ReservationId};
use jiff::{SignedDuration, Timestamp};

impl Router {
    /// Routes `order` against `stock` and `load` exactly as [`Router::route`] does, then reserves
    /// the shipped lines in `inventory` under `id` for `ttl`, all lines or none. On success the
    /// decision's units are taken out of `stock` and its shipments added to `load`, so the next
    /// order sees them; on failure (for example the ledger has fewer units than the table because
    /// another process reserved them first: refresh the table and route again) nothing changes.
    ///
    /// ```
    /// # use omniroute_core::*;
    /// let net = Network::new(vec![Node::new("W", NodeKind::Warehouse, LatLng::new(28.6, 77.2)?)])?;
    /// let inventory = Inventory::new();
    /// inventory.replace_snapshot([StockRow { node: NodeIdx(0), sku: SkuId(0), on_hand: 2, reserved: 0, safety_stock: 0 }]);
    /// let policy = Policy::default();
    /// let router = Router::new(net.clone(), policy.clone());
    /// let mut stock = router.stock_table(inventory.routable_positions());
    /// let order = Order::new("O", LatLng::new(28.5, 77.1)?, vec![OrderLine { line_no: 1, sku: SkuId(0), qty: 2, unit_price_cents: None }]);
    /// let now: jiff::Timestamp = "2026-11-26T06:00:00Z".parse()?;
    /// let dry = router.route(&order, &stock, &Load::default(), now);
    /// let mut load = Load::default();
    /// let real = router.route_and_reserve(&order, &mut stock, &mut load, &inventory, ReservationId(1), now, jiff::SignedDuration::from_mins(15))?;
    /// assert_eq!(dry, real);
    /// assert_eq!(inventory.routable(NodeIdx(0), SkuId(0)), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn route_and_reserve(
        &self,
        order: &Order,
        stock: &mut StockTable,
        load: &mut Load,
        inventory: &Inventory,
        id: ReservationId,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<Decision, InventoryError> {
        let decision = self.route(order, stock, load, now);
        inventory.reserve(id, &decision.reserve_lines(order), now, ttl)?;
        apply(order, &decision, stock, load);
        Ok(decision)
    }
}

#[cfg(test)]
mod tests {
    use crate::*;

    #[test]
    fn a_race_lost_to_another_reservation_changes_nothing() {
        let net = Network::new(vec![
            Node::new("A", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
            Node::new("B", NodeKind::Store, LatLng::new(28.90, 77.50).unwrap()),
        ])
        .unwrap();
        let inventory = Inventory::new();
        inventory.replace_snapshot([
            StockRow {
                node: NodeIdx(0),
                sku: SkuId(0),
                on_hand: 1,
                reserved: 0,
                safety_stock: 0,
            },
            StockRow {
                node: NodeIdx(1),
                sku: SkuId(0),
                on_hand: 1,
                reserved: 0,
                safety_stock: 0,
            },
        ]);
        let policy = Policy::default();
        let router = Router::new(net.clone(), policy.clone());
        let mut stock = router.stock_table(inventory.routable_positions());
        let now: jiff::Timestamp = "2026-11-26T06:00:00Z".parse().unwrap();
        let ttl = jiff::SignedDuration::from_mins(15);
        // Someone else takes A's unit after our table was read.
        inventory
            .reserve(
                ReservationId(9),
                &[ReserveLine {
                    node: NodeIdx(0),
                    sku: SkuId(0),
                    qty: 1,
                }],
                now,
                ttl,
            )
            .unwrap();
        let line = OrderLine {
            line_no: 1,
            sku: SkuId(0),
            qty: 1,
            unit_price_cents: None,
        };
        let order = Order::new("O", LatLng::new(28.61, 77.21).unwrap(), vec![line]);
        let mut load = Load::default();
        let err = router
            .route_and_reserve(
                &order,
                &mut stock,
                &mut load,
                &inventory,
                ReservationId(1),
                now,
                ttl,
            )
            .unwrap_err();
        assert_eq!(err.code(), "E3003");
        assert_eq!(stock.qty(NodeIdx(0), SkuId(0)), 1, "the table is untouched");
        assert_eq!(load, Load::default());
        // Refreshed, it routes to B and reserves there.
        let mut stock = router.stock_table(inventory.routable_positions());
        let d = router
            .route_and_reserve(
                &order,
                &mut stock,
                &mut load,
                &inventory,
                ReservationId(1),
                now,
                ttl,
            )
            .unwrap();
        assert_eq!(d.shipments[0].node, NodeIdx(1));
        assert_eq!(inventory.routable(NodeIdx(1), SkuId(0)), 0);
        assert_eq!(stock.qty(NodeIdx(1), SkuId(0)), 0);
        assert_eq!(load.used(NodeIdx(1)), (1, 1));
    }
}
