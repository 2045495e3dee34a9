"""The API end to end: typed decisions, batches as Arrow tables, the ledger, the checker."""

from __future__ import annotations

import datetime
import pathlib

import pyarrow as pa
import polars as pl
import pytest

import omniroute as om
from conftest import NOW

COLUMNS = [
    "order_id", "line_no", "sku", "qty", "node_id", "shipment",
    "distance_km", "promised_date", "cost_cents", "reason", "group", "source", "arrival_date",
]


def test_route_batch_table_totals_and_check(day: om.Scenario) -> None:
    router = om.Router(day.network, day.policy)
    plan = router.route_batch(day.orders, day.inventory, now=NOW)
    table = plan.decisions
    assert isinstance(table, pa.Table)
    assert table.column_names == COLUMNS
    assert plan.decisions is table  # built once
    df = table.to_pandas()
    assert df["cost_cents"].sum() == plan.totals.cost_cents
    assert pl.from_arrow(table).height == table.num_rows
    t = plan.totals
    assert t.orders == len(day.orders) == len(plan) == 400
    assert 0.0 <= t.fill_rate <= 1.0
    assert t.fill_rate == pytest.approx(t.units_filled / t.units_ordered)
    assert t.to_dict()["cost_cents"] == t.cost_cents
    assert plan.gap is None and plan.mode == "sequential"
    assert plan.check() == [] and om.check(plan) == []


def test_totals_count_unfilled_lines_by_reason(day: om.Scenario) -> None:
    # The totals count the unfilled lines by the reason each row of the table carries.
    router = om.Router(day.network, day.policy)
    plan = router.route_batch(day.orders, day.inventory, now=NOW)
    reasons = [r for r in plan.decisions.column("reason").to_pylist() if r]
    expected: dict[str, int] = {}
    for r in reasons:
        expected[r] = expected.get(r, 0) + 1
    t = plan.totals
    assert reasons, "the fixture day leaves some lines unfilled"
    assert t.unfilled_by_reason == expected
    assert t.unfilled_lines == len(reasons) == sum(expected.values())
    assert t.to_dict()["unfilled_by_reason"] == expected
    assert all(code.isupper() for code in t.unfilled_by_reason)


def test_route_one_order_is_typed_and_explained(day: om.Scenario) -> None:
    router = om.Router(day.network, day.policy)
    order = day.orders[0]
    assert day.orders[order.order_id].order_id == order.order_id
    d = router.route(order, day.inventory, now=NOW)
    assert d.order_id == order.order_id
    assert d.cost_cents == d.cost.total_cents
    shipped = sorted(l.line_no for s in d.shipments for l in s.lines)
    unfilled = sorted(u.line.line_no for u in d.unfilled)
    assert sorted(shipped + unfilled) == sorted(n for n, _, _ in order.lines)
    for s in d.shipments:
        assert s.node_id in day.network.node_ids
        assert isinstance(s.promised_date, datetime.date)
        assert s.distance_km >= 0
    assert all(u.reason.isupper() for u in d.unfilled)
    assert d.candidates, "every decision lists the nodes it considered"
    for c in d.candidates:
        assert (c.cost_cents is None) == (c.reason is not None)
    chosen = {c.node_id for c in d.candidates if c.chosen}
    assert chosen == {s.node_id for s in d.shipments}
    # The first order of a batch sees the same stock: same decision.
    plan = router.route_batch(day.orders, day.inventory, now=NOW)
    assert plan.decision(0).cost_cents == d.cost_cents
    assert plan.decision(order.order_id).shipments[0].node_id == (
        d.shipments[0].node_id if d.shipments else None
    ) or not d.shipments


def test_quote_matches_route(day: om.Scenario) -> None:
    router = om.Router(day.network, day.policy)
    quotes = router.quote(day.orders, day.inventory, now=NOW)
    assert [q.order_id for q in quotes] == day.orders.ids
    for i in (0, 17, 399):
        assert quotes[i].cost_cents == router.route(day.orders[i], day.inventory, now=NOW).cost_cents
    assert om.num_threads() >= 1


def test_now_accepts_datetime_and_string(day: om.Scenario) -> None:
    router = om.Router(day.network, day.policy)
    when = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.timezone.utc)
    a = router.route_batch(day.orders, day.inventory, now=when)
    b = router.route_batch(day.orders, day.inventory, now=NOW)
    assert a.decisions.equals(b.decisions)
    with pytest.raises(ValueError, match="RFC 3339"):
        router.route_batch(day.orders, day.inventory, now="tomorrow")


def test_ledger_reserve_commit_release(day_dir: pathlib.Path) -> None:
    net = om.Network.from_csv(day_dir / "nodes.csv")
    inv = om.Inventory.from_csv(day_dir / "stock.csv", net)
    orders = om.Orders.from_csv(day_dir / "orders.csv", net)
    router = om.Router(net, om.Policy.default())
    d = next(x for x in (router.route(o, inv, now=NOW) for o in (orders[i] for i in range(50))) if x.shipments)
    s = d.shipments[0]
    line = s.lines[0]
    before = inv.routable(s.node_id, line.sku)
    inv.reserve(1, [(s.node_id, line.sku, line.qty)], ttl_seconds=900, now=NOW)
    assert inv.routable(s.node_id, line.sku) == before - line.qty
    assert inv.live_reservations == 1
    inv.release(1)
    assert inv.routable(s.node_id, line.sku) == before
    inv.reserve(2, [(s.node_id, line.sku, line.qty)], ttl_seconds=900, now=NOW)
    inv.commit(2, now=NOW)
    assert inv.routable(s.node_id, line.sku) == before - line.qty
    inv.return_units(s.node_id, line.sku, line.qty)
    assert inv.routable(s.node_id, line.sku) == before
    assert inv.apply_delta(s.node_id, 1, line.sku, 5) == "applied"
    assert inv.apply_delta(s.node_id, 1, line.sku, 5) == "duplicate"
    assert inv.routable(s.node_id, line.sku) == before + 5


def test_expired_reservations_hold_nothing(day_dir: pathlib.Path) -> None:
    net = om.Network.from_csv(day_dir / "nodes.csv")
    inv = om.Inventory.from_csv(day_dir / "stock.csv", net)
    orders = om.Orders.from_csv(day_dir / "orders.csv", net)
    router = om.Router(net, om.Policy.default())
    order = next(o for o in (orders[i] for i in range(50)) if router.route(o, inv, now=NOW).shipments)
    s = router.route(order, inv, now=NOW).shipments[0]
    line = s.lines[0]
    before = inv.routable(s.node_id, line.sku)
    inv.reserve(1, [(s.node_id, line.sku, before)], ttl_seconds=60, now=NOW)
    assert inv.routable(s.node_id, line.sku) == 0
    assert inv.expire(now="2026-11-26T12:00:59Z") == [] and inv.live_reservations == 1
    # Routing a minute later does not see the expired hold: it is released first.
    later = "2026-11-26T12:01:00Z"
    assert s.node_id in {x.node_id for x in router.route(order, inv, now=later).shipments}
    assert inv.live_reservations == 0 and inv.routable(s.node_id, line.sku) == before
    # So does a reservation, and expire() says which it released.
    inv.reserve(2, [(s.node_id, line.sku, before)], ttl_seconds=60, now=NOW)
    inv.reserve(3, [(s.node_id, line.sku, before)], ttl_seconds=60, now=later)
    assert inv.expire(now="2026-11-26T12:02:00Z") == [3]
    assert inv.routable(s.node_id, line.sku) == before


def test_objects_from_other_networks_are_refused(day: om.Scenario, day_dir: pathlib.Path) -> None:
    other = om.Network.from_csv(day_dir / "nodes.csv")
    router = om.Router(other, om.Policy.default())
    with pytest.raises(ValueError, match="another network"):
        router.route_batch(day.orders, day.inventory, now=NOW)


def test_demo_scenario_and_policies() -> None:
    demo = om.demo()
    assert len(demo.orders) == 5000
    assert "same_day" in om.Policy.demo().service_levels
    soft = om.Policy.from_toml('sla = "soft"\n[costs]\nsplit_penalty_cents = 500\n')
    assert soft.service_levels == om.Policy.default().service_levels


def test_reprs_show_costs_in_the_policys_currency(day: om.Scenario, tmp_path: pathlib.Path) -> None:
    euros = tmp_path / "eur.toml"
    euros.write_text('currency = "EUR"\n')
    router = om.Router(day.network, om.Policy.from_toml(euros))
    d = router.route(day.orders[0], day.inventory, now=NOW)
    assert d.currency == "EUR"
    euro = f"{d.cost_cents // 100:,}.{d.cost_cents % 100:02}"
    assert repr(d).endswith(f"cost_cents={d.cost_cents} (€{euro}))"), repr(d)
    plan = router.route_batch(day.orders, day.inventory, now=NOW)
    t = plan.totals
    assert t.currency == "EUR" and t.to_dict()["currency"] == "EUR"
    assert f"cost_cents={t.cost_cents} (€" in repr(plan) and "(€" in repr(t)
    assert plan.decision(0).currency == "EUR"
    assert "₹" not in repr(plan) + repr(t) + repr(d)
    # No currency: plain cents.
    plain = om.Router(day.network, day.policy).route(day.orders[0], day.inventory, now=NOW)
    assert plain.currency is None
    assert repr(plain).endswith(f"cost_cents={plain.cost_cents})")


def test_cost_breakdown_prices_a_dealers_refusal_risk(tmp_path: pathlib.Path) -> None:
    (tmp_path / "nodes.csv").write_text(
        "node_id,lat,lon,kind,acceptance_rate\nNEAR,19.11,72.85,dealer,0.5\n"
    )
    (tmp_path / "stock.csv").write_text("node_id,sku,qty\nNEAR,TEE,5\n")
    (tmp_path / "orders.csv").write_text(
        "order_id,sku,qty,dest_lat,dest_lon\nO1,TEE,1,19.10,72.85\n"
    )
    policy = om.Policy.from_toml("[dealers]\nreject_cost_cents = 2000\n")
    network = om.Network.from_csv(tmp_path / "nodes.csv", policy)
    orders = om.Orders.from_csv(tmp_path / "orders.csv", network, policy)
    stock = om.Inventory.from_csv(tmp_path / "stock.csv", network)
    d = om.Router(network, policy).route(orders[0], stock, now=NOW)
    cost = d.shipments[0].cost
    # Half the offers refused, a refusal costs 2000: 1000 expected.
    assert cost.reject_risk_cents == 1000
    assert (cost.outside_territory_cents, cost.balance_cents) == (0, 0)
    terms = (
        cost.fixed_cents + cost.distance_cents + cost.handling_cents + cost.margin_cents
        + cost.priority_cents + cost.split_penalty_cents + cost.lateness_cents
        + cost.unfilled_cents + cost.reject_risk_cents + cost.outside_territory_cents
        + cost.balance_cents
    )
    assert terms == cost.total_cents
