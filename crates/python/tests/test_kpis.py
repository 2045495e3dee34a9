"""omniroute.kpis: the plan's key figures as a table, agreeing with the plan's totals."""

from __future__ import annotations

import csv
import json
import pathlib

import pyarrow as pa
import pytest

import omniroute as om
from conftest import NOW


def test_kpis_table_agrees_with_the_plan(day: om.Scenario) -> None:
    plan = om.Router(day.network, day.policy).route_batch(day.orders, day.inventory, now=NOW)
    table = om.kpis(plan)
    assert isinstance(table, pa.Table)
    assert table.column_names == ["name", "key", "value", "unit", "note"]
    rows = {(r["name"], r["key"]): r for r in table.to_pylist()}
    t = plan.totals
    assert rows[("orders", "")]["value"] == t.orders == 400
    assert rows[("fill_rate", "")]["value"] == t.fill_rate
    units = sum(rows[("units_by_kind", k)]["value"] for k in
                ["warehouse", "store", "dealer", "supplier", "locker"])
    assert units == t.units_filled
    days = sum(rows[("promise_days", b)]["value"] for b in
               ["same_day", "next_day", "2_days", "3_days", "4_plus_days"])
    assert days == rows[("orders_shipped", "")]["value"]
    cost = rows[("cost_per_order_cents", "total")]["value"]
    assert abs(cost * t.orders - t.cost_cents) < 1e-6 * t.cost_cents
    offer = rows[("offer_acceptance_rate", "")]
    assert offer["value"] is None and offer["note"] == "not available until offers exist"
    assert rows[("reroutes", "")]["value"] is None


def test_business_adds_the_feeds_counter_sales_and_cross_channel_returns(
    day: om.Scenario, day_dir: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    plan = om.Router(day.network, day.policy).route_batch(day.orders, day.inventory, now=NOW)
    with open(day_dir / "nodes.csv", newline="") as f:
        kinds = {r["node_id"]: r["kind"] for r in csv.DictReader(f)}
    store = next(n for n, k in kinds.items() if k == "store")
    dealer = next(n for n, k in kinds.items() if k == "dealer")
    shipped = [r for r in plan.decisions.to_pylist() if r["node_id"] is not None]
    order = shipped[0]["order_id"]
    events = [
        {"op": "ship", "node_id": store, "sku": "S", "qty": 2, "seq": 1, "unit_price_cents": 1299},
        {"op": "return", "node_id": dealer, "sku": "S", "qty": 1, "seq": 1, "order_id": order},
    ]
    feed = tmp_path / "feed.ndjson"
    feed.write_text("".join(json.dumps(e) + "\n" for e in events))
    table = om.business(plan, feed)
    assert table.column_names == ["name", "key", "value", "unit", "note"]
    rows = {(r["name"], r["key"]): r["value"] for r in table.to_pylist()}
    assert rows[("business_orders", "online")] == len({r["order_id"] for r in shipped})
    assert rows[("business_units", "online")] == plan.totals.units_filled
    assert rows[("business_units", "store")] == 2
    assert rows[("business_revenue_cents", "store")] == 2598
    assert rows[("business_returns", "online_to_dealer")] == 1
    assert rows[("business_cross_channel_returns", "")] == 1
    assert rows[("business_node_counter_sales", store)] == 1

    events[1]["sold_via"] = "web"
    feed.write_text("".join(json.dumps(e) + "\n" for e in events))
    with pytest.raises(om.InputError) as e:
        om.business(plan, feed)
    assert (e.value.code, e.value.line) == ("E3270", 2)
