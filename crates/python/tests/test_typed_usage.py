"""Typed use of the package, checked with ``mypy --strict`` by scripts/python-test so the stubs
stay usable (stubtest checks they match the module). Also run by pytest as a smoke test."""

from __future__ import annotations

import datetime

import omniroute as om


def summarise(day: om.Scenario, now: datetime.datetime) -> dict[str, float]:
    router = om.Router(day.network, day.policy)
    plan: om.Plan = router.route_batch(day.orders, day.inventory, mode="sequential", now=now)
    first: om.Decision = plan.decision(0)
    dates: list[datetime.date] = [s.promised_date for s in first.shipments]
    reasons: list[str] = [u.reason for u in first.unfilled]
    violations: list[om.Violation] = om.check(plan)
    totals = plan.totals
    best: om.Plan = router.route_batch(day.orders, day.inventory, mode="optimise", now=now,
                                       time_limit=5.0, seed=1, iterations=1000)
    bound: int | None = best.bound_cents
    gap: float | None = best.gap
    node = first.shipments[0].node_id if first.shipments else day.network.node_ids[0]
    r: om.Rerouted = router.reroute(plan, [{"type": "node_down", "node_id": node}], now=now)
    moved: list[str] = r.moved
    review: list[str] = r.review
    saved: int = r.before.cost_cents - r.after.cost_cents
    later = om.Policy.from_toml('effective_from = "2026-11-26T09:00:00Z"\n')
    versions: list[om.Policy] = [*day.policies, later]
    starts: datetime.datetime | None = later.effective_from
    versioned: om.Plan = om.Router(day.network, versions).route_batch(day.orders, day.inventory, now=now)
    return {
        "bound": float(bound or 0) + (gap or 0.0),
        "moved": float(len(moved) + len(review) + saved * 0),
        "rerouted_violations": float(len(r.plan.check())),
        "cost": float(totals.cost_cents),
        "fill_rate": totals.fill_rate,
        "rows": float(plan.decisions.num_rows),
        "dates": float(len(dates) + len(reasons)),
        "violations": float(len(violations) + len(versioned.check())),
        "starts": float(starts is not None),
    }


def test_typed_usage() -> None:
    day = om.generate(seed=1, orders=50)
    out = summarise(day, datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.timezone.utc))
    assert out["violations"] == 0 and 0 <= out["fill_rate"] <= 1
    assert out["rerouted_violations"] == 0 and out["bound"] <= out["cost"]
