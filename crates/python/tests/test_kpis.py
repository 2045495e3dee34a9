"""omniroute.kpis: the plan's key figures as a table, agreeing with the plan's totals."""

from __future__ import annotations

import pyarrow as pa

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
