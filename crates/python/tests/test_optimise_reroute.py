"""Optimise mode (a plan for the whole batch, with a bound and its gap) and re-routing after
events (node down, dealer rejections, stock corrections), each checked by the independent checker."""

from __future__ import annotations

import types
from collections import Counter
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings

import omniroute as om
from conftest import NOW
from test_property import instances

# A fixed number of moves: the same plan on any machine and any load.
OPTIMISE: dict[str, Any] = {"mode": "optimise", "now": NOW, "time_limit": 30.0, "iterations": 500, "seed": 0}


@pytest.fixture(scope="module")
def sequential(day: om.Scenario) -> om.Plan:
    return om.Router(day.network, day.policy).route_batch(day.orders, day.inventory, now=NOW)


def rows(plan: om.Plan, ids: set[str], keep: bool) -> pd.DataFrame:
    df = plan.decisions.to_pandas()
    return df[df["order_id"].isin(ids) == keep].reset_index(drop=True)


def test_optimise_checks_costs_no_more_and_bounds(day: om.Scenario, sequential: om.Plan) -> None:
    router = om.Router(day.network, day.policy)
    opt = router.route_batch(day.orders, day.inventory, **OPTIMISE)
    assert opt.mode == "optimise" and len(opt) == len(day.orders)
    assert opt.check() == []
    cost, bound = opt.totals.cost_cents, opt.bound_cents
    assert bound is not None and 0 <= bound <= cost <= sequential.totals.cost_cents
    assert opt.gap == pytest.approx((cost - bound) / cost)
    assert 0.0 <= opt.gap <= 1.0
    assert sum(opt.decisions.column("cost_cents").to_pylist()) == cost
    assert sequential.bound_cents is None and sequential.gap is None
    again = router.route_batch(day.orders, day.inventory, **OPTIMISE)
    assert again.decisions.equals(opt.decisions), "fixed iterations and seed: the same plan"
    assert router.route_batch(day.orders, day.inventory, **{**OPTIMISE, "mode": "optimize"}).mode == "optimise"


def test_optimise_arguments_are_checked(day: om.Scenario) -> None:
    router = om.Router(day.network, day.policy)
    with pytest.raises(ValueError, match="mode"):
        router.route_batch(day.orders, day.inventory, mode="fastest")
    with pytest.raises(ValueError, match="time_limit"):
        router.route_batch(day.orders, day.inventory, mode="optimise", time_limit=-1.0)


def test_node_down_moves_exactly_the_orders_shipping_from_it(day: om.Scenario, sequential: om.Plan) -> None:
    df = sequential.decisions.to_pandas()
    node = Counter(df["node_id"].dropna()).most_common(1)[0][0]
    shipped = set(df.loc[df["node_id"] == node, "order_id"])
    assert len(shipped) >= 2
    r = om.Router(day.network, day.policy).reroute(sequential, [{"type": "node_down", "node_id": node}])
    assert set(r.moved) == shipped and r.review == []
    assert r.moved == [i for i in day.orders.ids if i in shipped], "in arrival order"
    after = r.plan.decisions.to_pandas()
    assert node not in set(after["node_id"].dropna())
    assert rows(r.plan, shipped, keep=False).equals(rows(sequential, shipped, keep=False))
    assert r.plan.check() == [] and r.plan.mode == "rerouted" and r.plan.bound_cents is None
    assert r.before.cost_cents == sequential.totals.cost_cents
    assert r.after.cost_cents == r.plan.totals.cost_cents
    assert "Rerouted(moved=" in repr(r)
    # Back up: orders left with unfilled lines may move back, only to gain.
    up = om.Router(day.network, day.policy).reroute(
        sequential, [{"type": "node_down", "node_id": node}, {"type": "node_up", "node_id": node}]
    )
    assert up.plan.check() == [] and up.after.cost_cents <= r.after.cost_cents


@pytest.fixture(scope="module")
def dealers(tmp_path_factory: pytest.TempPathFactory) -> om.Scenario:
    """O1 wants the one CAP that each of three dealers (1 % margin) holds, DL-1 nearest."""
    d = tmp_path_factory.mktemp("dealers")
    (d / "nodes.csv").write_text(
        "node_id,kind,lat,lon,margin_bps\n"
        "DL-1,dealer,28.4089,77.3178,100\nDL-2,dealer,28.4500,77.3100,100\n"
        "DL-3,dealer,28.5000,77.3100,100\nWH-DEL,warehouse,28.6139,77.2090,\n"
    )
    (d / "stock.csv").write_text("node_id,sku,qty\nDL-1,CAP,1\nDL-2,CAP,1\nDL-3,CAP,1\nWH-DEL,TEE,5\n")
    (d / "orders.csv").write_text(
        "order_id,line_no,sku,qty,dest_lat,dest_lon,unit_price_cents,created_at\n"
        "O1,1,CAP,1,28.4100,77.3100,59900,2026-11-26T07:00:00Z\n"
        "O2,1,TEE,1,28.6000,77.2000,49900,2026-11-26T07:00:00Z\n"
    )
    return om.load(d / "nodes.csv", d / "stock.csv", d / "orders.csv")


def refusal(node: str, kind: str = "dealer_rejected", order: str = "O1") -> dict[str, str]:
    return {"type": kind, "order_id": order, "node_id": node}


def test_three_rejections_send_the_order_to_review(dealers: om.Scenario) -> None:
    router = om.Router(dealers.network, dealers.policy)
    plan = router.route_batch(dealers.orders, dealers.inventory, now=NOW)
    assert plan.decision("O1").shipments[0].node_id == "DL-1"
    two = router.reroute(plan, [refusal("DL-1"), refusal("DL-2", "dealer_timed_out")])
    assert two.review == [] and two.moved == ["O1"]
    assert two.plan.decision("O1").shipments[0].node_id == "DL-3"
    events = [refusal("DL-1"), refusal("DL-2"), types.MappingProxyType(refusal("DL-3"))]
    three = router.reroute(plan, events)
    assert three.review == ["O1"] and three.moved == ["O1"]
    d = three.plan.decision("O1")
    assert d.shipments == [] and {u.reason for u in d.unfilled} == {"EXCLUDED"}
    assert any("review" in rule for rule in d.rules)
    assert three.plan.check() == []


def test_a_repeated_refusal_counts_once(dealers: om.Scenario) -> None:
    router = om.Router(dealers.network, dealers.policy)
    plan = router.route_batch(dealers.orders, dealers.inventory, now=NOW)
    copies = [refusal("DL-1"), refusal("DL-1"), refusal("DL-1", "dealer_timed_out")]
    r = router.reroute(plan, copies)
    assert r.review == [] and r.moved == ["O1"]
    assert r.plan.decision("O1").shipments[0].node_id == "DL-2"


def test_a_refusal_that_does_not_fit_the_plan_is_an_input_error(dealers: om.Scenario) -> None:
    router = om.Router(dealers.network, dealers.policy)
    plan = router.route_batch(dealers.orders, dealers.inventory, now=NOW)
    cases = [
        ([{"type": "node_up", "node_id": "DL-2"}, refusal("DL-2")], ("E3110", 2)),
        ([refusal("WH-DEL", order="O2")], ("E3109", 1)),
    ]
    for events, (code, line) in cases:
        with pytest.raises(om.InputError) as e:
            router.reroute(plan, events)
        assert (e.value.code, e.value.file, e.value.line) == (code, "<events>", line)


def test_stock_correction_and_arrival(day: om.Scenario, sequential: om.Plan) -> None:
    router = om.Router(day.network, day.policy)
    df = sequential.decisions.to_pandas().dropna(subset=["node_id"])
    node, sku = Counter(zip(df["node_id"], df["sku"])).most_common(1)[0][0]
    users = set(df.loc[(df["node_id"] == node) & (df["sku"] == sku), "order_id"])
    r = router.reroute(sequential, [{"type": "stock_correction", "node_id": node, "sku": sku, "routable": 0}])
    assert set(r.moved) == users
    after = r.plan.decisions.to_pandas()
    assert after[(after["node_id"] == node) & (after["sku"] == sku)].empty
    assert r.plan.check() == []
    back = router.reroute(r.plan, [{"type": "stock_arrival", "node_id": node, "sku": sku, "qty": 1000}])
    assert back.plan.check() == [] and back.after.cost_cents <= back.before.cost_cents
    assert router.reroute(sequential, []).moved == []


def test_bad_events_are_input_errors_with_codes(day: om.Scenario, sequential: om.Plan) -> None:
    router = om.Router(day.network, day.policy)
    node, order_id = day.network.node_ids[0], day.orders.ids[0]
    events: list[Any] = [
        {"type": "node_down", "node_id": node},                                        # fine
        {"type": "node_down", "node_id": "NO-SUCH-NODE"},                              # E3104
        {"type": "explode", "node_id": node},                                          # E3102
        {"type": "dealer_rejected", "node_id": node},                                  # E3103
        {"type": "dealer_rejected", "order_id": "NO-SUCH-ORDER", "node_id": node},     # E3105
        {"type": "stock_arrival", "node_id": node, "sku": "NO-SUCH-SKU", "qty": 1},    # E3106
        {"type": "stock_arrival", "node_id": node, "sku": "x", "qty": -2},             # E3106, E3107
        {"type": "stock_correction", "node_id": node, "sku": "x", "routable": "3"},    # E3106, E3108
        ("node_down", node),                                                           # E3108
        {"type": "dealer_timed_out", "order_id": 7, "node_id": node},                  # E3108
    ]
    with pytest.raises(om.InputError) as e:
        router.reroute(sequential, events)
    err = e.value
    assert isinstance(err, ValueError) and not isinstance(err, om.PolicyError)
    got = [(p.code, p.line) for p in err.problems]
    assert got == [
        ("E3104", 2), ("E3102", 3), ("E3103", 4), ("E3105", 5), ("E3106", 6),
        ("E3106", 7), ("E3107", 7), ("E3106", 8), ("E3108", 8), ("E3108", 9), ("E3108", 10),
    ]
    assert (err.code, err.file, err.line) == ("E3104", "<events>", 2)
    assert all(p.message and p.hint for p in err.problems)
    with pytest.raises(TypeError):
        router.reroute(sequential, 5)  # type: ignore[arg-type]


def test_reroute_refuses_a_plan_of_another_policy(day: om.Scenario, sequential: om.Plan) -> None:
    other = om.Router(day.network, om.Policy.from_toml("[costs]\nsplit_penalty_cents = 999\n"))
    with pytest.raises(ValueError, match="another policy"):
        other.reroute(sequential, [])
    same = om.Router(day.network, om.Policy.default())  # equal policy, another object: fine
    assert same.reroute(sequential, []).plan.totals.cost_cents == sequential.totals.cost_cents


@settings(max_examples=25, deadline=None)
@given(instances())
def test_optimised_and_rerouted_plans_pass_the_checker(
    inst: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    nodes, stock, orders_df = inst
    net = om.Network.from_frame(nodes)
    inv = om.Inventory.from_frame(stock, net)
    orders = om.Orders.from_frame(orders_df, net)
    router = om.Router(net, om.Policy.default())
    seq = router.route_batch(orders, inv, now=NOW)
    opt = router.route_batch(orders, inv, mode="optimise", now=NOW, time_limit=5.0, iterations=500)
    assert opt.check() == []
    assert opt.bound_cents is not None
    assert opt.bound_cents <= opt.totals.cost_cents <= seq.totals.cost_cents
    down = net.node_ids[0]
    r = router.reroute(opt, [{"type": "node_down", "node_id": down}])
    assert r.plan.check() == []
    assert down not in set(r.plan.decisions.column("node_id").to_pylist())
