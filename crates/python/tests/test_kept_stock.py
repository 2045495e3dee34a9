"""A `Router` keeps its stock table in step with the `Inventory`: every change to the ledger
between two calls shows in the next decision; and `Plan.check` holds safety stock back once."""

from __future__ import annotations

import pyarrow as pa

import omniroute as om
from conftest import NOW

LATER = "2026-11-26T12:01:01Z"  # NOW + 61 s


def two_stores(policy: om.Policy | None = None) -> tuple[om.Network, om.Inventory, om.Orders]:
    """Store NEAR (1 unit of K1) and store FAR (5 units), and one order of 1 K1 beside NEAR."""
    nodes = pa.table({
        "node_id": ["NEAR", "FAR"], "lat": [28.60, 28.90], "lon": [77.20, 77.50],
        "kind": ["store", "store"],
    })
    net = om.Network.from_frame(nodes, policy)
    stock = pa.table({"node_id": ["NEAR", "FAR"], "sku": ["K1", "K1"], "qty": [1, 5]})
    inv = om.Inventory.from_frame(stock, net)
    orders = pa.table({
        "order_id": ["O1"], "sku": ["K1"], "qty": [1], "dest_lat": [28.61], "dest_lon": [77.21],
    })
    return net, inv, om.Orders.from_frame(orders, net, policy)


def ships_from(router: om.Router, order: om.Order, inv: om.Inventory, now: str = NOW) -> str | None:
    d = router.route(order, inv, now=now)
    return d.shipments[0].node_id if d.shipments else None


def test_route_sees_every_change_to_the_inventory() -> None:
    net, inv, orders = two_stores()
    router = om.Router(net, om.Policy.default())
    order = orders[0]
    assert ships_from(router, order, inv) == "NEAR"
    # A reservation holds NEAR's unit: the next decision goes to FAR.
    inv.reserve(1, [("NEAR", "K1", 1)], ttl_seconds=60, now=NOW)
    assert ships_from(router, order, inv) == "FAR"
    # Routed after it expired, the hold is gone.
    assert ships_from(router, order, inv, now=LATER) == "NEAR"
    # A delta takes NEAR's unit away, another brings three.
    assert inv.apply_delta("NEAR", 1, "K1", -1) == "applied"
    assert ships_from(router, order, inv, now=LATER) == "FAR"
    assert inv.apply_delta("NEAR", 2, "K1", 3) == "applied"
    assert ships_from(router, order, inv, now=LATER) == "NEAR"
    # Commit ships all three; a return brings one back; a released hold frees it again.
    inv.reserve(2, [("NEAR", "K1", 3)], ttl_seconds=60, now=LATER)
    assert ships_from(router, order, inv, now=LATER) == "FAR"
    inv.commit(2, now=LATER)
    assert ships_from(router, order, inv, now=LATER) == "FAR"
    inv.return_units("NEAR", "K1", 1)
    assert ships_from(router, order, inv, now=LATER) == "NEAR"
    inv.reserve(3, [("NEAR", "K1", 1)], ttl_seconds=60, now=LATER)
    assert ships_from(router, order, inv, now=LATER) == "FAR"
    inv.release(3)
    assert ships_from(router, order, inv, now=LATER) == "NEAR"
    # An explicit expire: FAR's units held until LATER + 60 s, released at 12:02:01.
    inv.reserve(4, [("NEAR", "K1", 1), ("FAR", "K1", 5)], ttl_seconds=60, now=LATER)
    assert ships_from(router, order, inv, now=LATER) is None
    assert inv.expire(now="2026-11-26T12:02:01Z") == [4]
    assert ships_from(router, order, inv, now=LATER) == "NEAR"
    # quote routes against the same kept table.
    assert router.quote(orders, inv, now=LATER)[0].shipments[0].node_id == "NEAR"


def test_routers_and_inventories_mix() -> None:
    net, inv, orders = two_stores()
    other = om.Inventory.from_frame(
        pa.table({"node_id": ["FAR"], "sku": ["K1"], "qty": [2]}), net
    )
    a, b = om.Router(net, om.Policy.default()), om.Router(net, om.Policy.default())
    order = orders[0]
    assert ships_from(a, order, inv) == ships_from(b, order, inv) == "NEAR"
    assert ships_from(a, order, other) == "FAR"
    inv.apply_delta("NEAR", 1, "K1", -1)
    assert ships_from(a, order, inv) == ships_from(b, order, inv) == "FAR"
    other.apply_delta("NEAR", 1, "K1", 4)
    assert ships_from(a, order, other) == ships_from(b, order, other) == "NEAR"
    assert ships_from(b, order, inv) == "FAR"


def test_check_holds_back_the_policys_safety_stock_once() -> None:
    # 10 units, 2 held back at warehouses: an order of 8 ships (8 routable) and checks clean.
    # The plan used to keep the router's table, so the checker took the 2 off again (6: STOCK).
    policy = om.Policy.from_toml("[kinds.warehouse]\nsafety_stock = 2\n")
    nodes = pa.table({"node_id": ["W1"], "lat": [28.6], "lon": [77.2], "kind": ["warehouse"]})
    net = om.Network.from_frame(nodes, policy)
    inv = om.Inventory.from_frame(pa.table({"node_id": ["W1"], "sku": ["K1"], "qty": [10]}), net)
    router = om.Router(net, policy)
    for qty, shipped in ((8, 8), (9, 0)):
        orders = om.Orders.from_frame(pa.table({
            "order_id": ["O1"], "sku": ["K1"], "qty": [qty], "dest_lat": [28.5], "dest_lon": [77.1],
        }), net, policy)
        plan = router.route_batch(orders, inv, now=NOW)
        assert plan.totals.units_filled == shipped
        assert plan.check() == [], qty
    # Re-routed: a correction to 3 routable units moves the order of 8 out; one more unit lets
    # the order of 9 ship. Both plans check clean against the corrected stock.
    for qty, event, shipped in (
        (8, {"type": "stock_correction", "node_id": "W1", "sku": "K1", "routable": 3}, 0),
        (9, {"type": "stock_arrival", "node_id": "W1", "sku": "K1", "qty": 1}, 9),
    ):
        orders = om.Orders.from_frame(pa.table({
            "order_id": ["O1"], "sku": ["K1"], "qty": [qty], "dest_lat": [28.5], "dest_lon": [77.1],
        }), net, policy)
        plan = router.route_batch(orders, inv, now=NOW)
        rerouted = router.reroute(plan, [event], now=NOW).plan
        assert rerouted.totals.units_filled == shipped, qty
        assert rerouted.check() == [], qty
