"""Incoming stock from Python: stock.csv's `incoming_qty`/`incoming_date` with `[incoming]
promise`, on the hand-written `small` instance (tests/it/fixtures/small), whose O3 wants a GLOVE
no node holds. The same case as the CLI's tests/it/cli/incoming.rs."""

from __future__ import annotations

import datetime
import pathlib
import shutil


import omniroute as om

SMALL = pathlib.Path(__file__).resolve().parents[3] / "tests" / "it" / "fixtures" / "small"


def scenario(tmp_path: pathlib.Path, incoming: str, promise: bool) -> om.Scenario:
    for name in ("nodes.csv", "orders.csv"):
        shutil.copy(SMALL / name, tmp_path / name)
    lines = (SMALL / "stock.csv").read_text().splitlines()
    text = lines[0] + ",incoming_qty,incoming_date\n"
    text += "".join(line + ",,\n" for line in lines[1:]) + incoming
    (tmp_path / "stock.csv").write_text(text)
    (tmp_path / "policy.toml").write_text(f"[incoming]\npromise = {str(promise).lower()}\n")
    return om.load(
        tmp_path / "nodes.csv",
        tmp_path / "stock.csv",
        tmp_path / "orders.csv",
        policy=tmp_path / "policy.toml",
    )


def o3(plan: om.Plan) -> om.Decision:
    return plan.decision("O3")


def test_route_batch_promises_incoming_stock_and_check_counts_it(tmp_path: pathlib.Path) -> None:
    day = scenario(tmp_path, "WH-DEL,GLOVE,0,3,2026-11-28\n", promise=True)
    plan = om.Router(day.network, day.policy).route_batch(day.orders, day.inventory)
    (s,) = o3(plan).shipments
    # Arrives at WH-DEL on the 28th, handled that day, one transit day.
    assert (s.node_id, s.arrival_date, s.promised_date) == (
        "WH-DEL",
        datetime.date(2026, 11, 28),
        datetime.date(2026, 11, 29),
    )
    assert not o3(plan).unfilled
    rows = [r for r in plan.decisions.to_pylist() if r["order_id"] == "O3"]
    assert [(r["source"], r["arrival_date"]) for r in rows] == [
        ("incoming", datetime.date(2026, 11, 28))
    ]
    assert plan.check() == []
    # Every other order's shipments are on hand.
    decisions = [plan.decision(i) for i in range(len(plan))]
    others = [s for d in decisions if d.order_id != "O3" for s in d.shipments]
    assert others and all(s.arrival_date is None for s in others)


def test_reroute_moves_an_incoming_promise_to_another_nodes_incoming_stock(tmp_path: pathlib.Path) -> None:
    incoming = "WH-DEL,GLOVE,0,3,2026-11-28\nST-GGN,GLOVE,0,2,2026-11-29\n"
    day = scenario(tmp_path, incoming, promise=True)
    router = om.Router(day.network, day.policy)
    plan = router.route_batch(day.orders, day.inventory)
    assert [s.node_id for s in o3(plan).shipments] == ["WH-DEL"]
    r = router.reroute(plan, [{"type": "node_down", "node_id": "WH-DEL"}])
    assert "O3" in r.moved
    (s,) = o3(r.plan).shipments
    # The GLOVE arriving at ST-GGN a day later, not a unit on its shelf.
    assert (s.node_id, s.arrival_date) == ("ST-GGN", datetime.date(2026, 11, 29))
    assert r.plan.check() == []
    # Nothing happened: nothing moves, and the incoming promise stays as it was.
    same = router.reroute(plan, [])
    assert same.moved == [] and [t.node_id for t in o3(same.plan).shipments] == ["WH-DEL"]


def test_without_the_policy_or_in_time_the_line_stays_unfilled(tmp_path: pathlib.Path) -> None:
    off = scenario(tmp_path, "WH-DEL,GLOVE,0,3,2026-11-28\n", promise=False)
    plan = om.Router(off.network, off.policy).route_batch(off.orders, off.inventory)
    assert [u.reason for u in o3(plan).unfilled] == ["NO_STOCK"]
    late = scenario(tmp_path, "WH-DEL,GLOVE,0,3,2027-03-01\n", promise=True)
    plan = om.Router(late.network, late.policy).route_batch(late.orders, late.inventory)
    assert [u.reason for u in o3(plan).unfilled] == ["NO_STOCK"]
