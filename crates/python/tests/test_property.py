"""Property: random small networks, stock and orders built as DataFrames route into plans that
pass the independent checker, with every line accounted for and a fill rate in [0, 1]."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import omniroute as om
from conftest import NOW

LAT = st.floats(min_value=8.0, max_value=30.0, allow_nan=False)
LON = st.floats(min_value=70.0, max_value=88.0, allow_nan=False)
KINDS = st.sampled_from(["warehouse", "store", "dealer"])
SKUS = [f"SKU-{i}" for i in range(6)]


@st.composite
def instances(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 8))
    nodes = pd.DataFrame({
        "node_id": [f"N{i}" for i in range(n)],
        "lat": [draw(LAT) for _ in range(n)],
        "lon": [draw(LON) for _ in range(n)],
        "kind": [draw(KINDS) for _ in range(n)],
        "capacity_units": [draw(st.sampled_from([None, 1, 3, 50])) for _ in range(n)],
    })
    positions = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(SKUS)), unique=True, min_size=1, max_size=20))
    stock = pd.DataFrame({
        "node_id": [f"N{i}" for i, _ in positions],
        "sku": [s for _, s in positions],
        "qty": [draw(st.integers(0, 5)) for _ in positions],
    }, columns=["node_id", "sku", "qty"])
    rows = []
    for o in range(draw(st.integers(1, 12))):
        lat, lon = draw(LAT), draw(LON)
        level = draw(st.sampled_from(["standard", "next_day", "same_day"]))
        split = draw(st.sampled_from([None, True, False]))
        for sku in draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=4, unique=True)):
            rows.append({"order_id": f"O{o}", "sku": sku, "qty": draw(st.integers(1, 3)), "dest_lat": lat,
                         "dest_lon": lon, "service_level": level, "allow_split": split})
    return nodes, stock, pd.DataFrame(rows)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_every_plan_passes_the_checker(inst: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    nodes, stock, orders_df = inst
    net = om.Network.from_frame(nodes)
    inv = om.Inventory.from_frame(stock, net)
    orders = om.Orders.from_frame(orders_df, net)
    plan = om.Router(net, om.Policy.default()).route_batch(orders, inv, now=NOW)
    assert om.check(plan) == []
    assert 0.0 <= plan.totals.fill_rate <= 1.0
    table = plan.decisions
    assert table.num_rows == len(orders_df)
    assert sum(table.column("cost_cents").to_pylist()) == plan.totals.cost_cents
