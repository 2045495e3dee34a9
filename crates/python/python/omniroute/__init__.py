"""omniroute: an open order-routing engine (Rust core, Python front).

Load a network, its stock and a day of orders from CSV files or from any pandas, polars or
pyarrow table, route them, compare policies::

    import omniroute as om

    day = om.generate(seed=7, orders=1000)
    router = om.Router(day.network, day.policy)
    plan = router.route_batch(day.orders, day.inventory)
    plan.decisions.to_pandas()   # one row per order line, decisions.csv's columns
    plan.totals.fill_rate
    best = router.route_batch(day.orders, day.inventory, mode="optimise", time_limit=5)
    best.totals.cost_cents, best.bound_cents, best.gap
    router.reroute(plan, [{"type": "node_down", "node_id": "WH-DEL-01"}]).moved

Work runs in Rust with the GIL released. ``OMNIROUTE_NUM_THREADS`` sets the threads of
``Router.route_batch`` and ``Router.quote`` (read once, on first use); the pool is rebuilt in a
forked child.
"""

from __future__ import annotations

import os as _os

from ._errors import InputError, InventoryError, OmnirouteError, PolicyError, Problem
from ._omniroute import (
    Candidate,
    CostBreakdown,
    Decision,
    Inventory,
    Line,
    Network,
    Order,
    Orders,
    Plan,
    PlanTotals,
    Policy,
    Rerouted,
    Router,
    Scenario,
    Shipment,
    UnfilledLine,
    Violation,
    _after_fork_in_child,
    business,
    demo,
    generate,
    kpis,
    load,
    num_threads,
)


def check(plan: Plan) -> list[Violation]:
    """Re-checks ``plan`` with the independent checker; ``[]`` means feasible, costs right."""
    return plan.check()


if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_after_fork_in_child)

__all__ = [
    "Candidate",
    "CostBreakdown",
    "Decision",
    "InputError",
    "Inventory",
    "InventoryError",
    "Line",
    "Network",
    "OmnirouteError",
    "Order",
    "Orders",
    "Plan",
    "PlanTotals",
    "Policy",
    "PolicyError",
    "Problem",
    "Rerouted",
    "Router",
    "Scenario",
    "Shipment",
    "UnfilledLine",
    "Violation",
    "business",
    "check",
    "demo",
    "generate",
    "kpis",
    "load",
    "num_threads",
]
