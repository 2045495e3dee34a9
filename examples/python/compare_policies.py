"""Route one generated day under two policies and compare them (a notebook, as a script).

The default policy (hard SLA, no split penalty) against a "consolidate" policy that charges
₹20 for every extra parcel and prices lateness instead of refusing it (soft SLA). Plots the
cost per order and the promised delivery days of both, and prints a short comparison. Then
routes the same day in optimise mode (one plan for the whole batch, with a proven lower bound)
and prints sequential against optimised cost and the gap, and re-routes the sequential plan as
if its busiest node went down.

    python examples/python/compare_policies.py --out target/py-example
"""

from __future__ import annotations

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import omniroute as om  # noqa: E402

NOW = "2026-11-26T12:00:00Z"
# An Indian day: both policies name their currency, so the figures below are rupees.
DEFAULT = 'currency = "INR"\n'
CONSOLIDATE = """
currency = "INR"
sla = "soft"
[costs]
split_penalty_cents = 2000
lateness_per_day_cents = 1000
"""


def route(day: om.Scenario, policy: om.Policy) -> tuple[om.PlanTotals, pd.DataFrame]:
    plan = om.Router(day.network, policy).route_batch(day.orders, day.inventory, now=NOW)
    assert om.check(plan) == [], "the independent checker accepts every plan"
    return plan.totals, plan.decisions.to_pandas()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("out"))
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--time-limit", type=float, default=5.0, help="optimise mode's search, seconds")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    day = om.generate(seed=11, orders=args.orders)
    policies = {"default": om.Policy.from_toml(DEFAULT), "consolidate": om.Policy.from_toml(CONSOLIDATE)}
    results = {name: route(day, p) for name, p in policies.items()}

    fig, (cost_ax, days_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, (_, df) in results.items():
        per_order = df.groupby("order_id")["cost_cents"].sum() / 100
        cost_ax.hist(per_order.clip(upper=120), bins=60, alpha=0.55, label=name)
        shipped = df.dropna(subset=["promised_date"])
        days = (pd.to_datetime(shipped["promised_date"]) - pd.Timestamp("2026-11-26")).dt.days
        counts = days.value_counts().sort_index()
        offset = -0.2 if name == "default" else 0.2
        days_ax.bar(counts.index + offset, counts.values, width=0.4, alpha=0.8, label=name)
    cost_ax.set(title="Cost per order (₹, capped at 120)", xlabel="₹ per order", ylabel="orders")
    days_ax.set(title="Promised delivery (days after 26 Nov)", xlabel="days", ylabel="order lines")
    cost_ax.legend()
    days_ax.legend()
    fig.suptitle(f"One generated day of {len(day.orders):,} orders under two policies")
    fig.tight_layout()
    png = args.out / "compare_policies.png"
    fig.savefig(png, dpi=110)

    print(f"{'policy':<12} {'cost ₹':>12} {'fill rate':>10} {'shipments':>10} {'split orders':>13} {'km':>10}")
    for name, (t, _) in results.items():
        print(f"{name:<12} {t.cost_cents / 100:>12,.2f} {t.fill_rate:>10.2%} {t.shipments:>10,} "
              f"{t.split_orders:>13,} {t.distance_km:>10,.0f}")
    a, b = results["default"][0], results["consolidate"][0]
    print(f"consolidating: {b.split_orders - a.split_orders:+,} split orders, "
          f"{b.shipments - a.shipments:+,} shipments, fill rate {100 * (b.fill_rate - a.fill_rate):+.2f} points")
    print(f"wrote {png}")

    # The batch as one problem: never costlier than arrival order, with a bound on any plan.
    router = om.Router(day.network, policies["default"])
    seq = router.route_batch(day.orders, day.inventory, now=NOW)
    opt = router.route_batch(day.orders, day.inventory, mode="optimise", now=NOW,
                             time_limit=args.time_limit, seed=0)
    assert om.check(opt) == [] and opt.bound_cents is not None and opt.gap is not None
    assert seq.totals.currency == "INR"
    print(f"\n{'mode':<12} {'cost ₹':>12} {'fill rate':>10} {'bound ₹':>12} {'gap':>7}")
    for p in (seq, opt):
        bound = "" if p.bound_cents is None else f"{p.bound_cents / 100:,.2f}"
        gap = "" if p.gap is None else f"{p.gap:.2%}"
        print(f"{p.mode:<12} {p.totals.cost_cents / 100:>12,.2f} {p.totals.fill_rate:>10.2%} {bound:>12} {gap:>7}")
    saved = seq.totals.cost_cents - opt.totals.cost_cents
    print(f"optimising saves ₹{saved / 100:,.2f} ({saved / seq.totals.cost_cents:.2%}); "
          f"no plan costs less than ₹{opt.bound_cents / 100:,.2f}")

    # Events after the plan was made: the busiest node goes down; only its orders move.
    shipped = seq.decisions.to_pandas().dropna(subset=["node_id"])
    busiest = shipped["node_id"].value_counts().index[0]
    r = router.reroute(seq, [{"type": "node_down", "node_id": busiest}])
    assert om.check(r.plan) == []
    print(f"{busiest} down: {len(r.moved)} orders moved, cost ₹{r.before.cost_cents / 100:,.2f} → "
          f"₹{r.after.cost_cents / 100:,.2f}, fill rate {r.before.fill_rate:.2%} → {r.after.fill_rate:.2%}")


if __name__ == "__main__":
    main()
