"""Side-by-side figures of one run of benches/compare/run.sh.

Reads omniroute's decisions.csv (total cost = sum of `cost_cents`, fill rate = shipped units over
ordered units), checks both against the summary line `omniroute route -v` printed on stderr, reads
the greedy's JSON, and prints throughput, cost, fill rate and the two ratios. Exits 1 when
omniroute's decisions.csv disagrees with its own summary line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import pandas as pd


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decisions", required=True)
    ap.add_argument("--omniroute-log", required=True)
    ap.add_argument("--omniroute-wall", type=float, required=True)
    ap.add_argument("--greedy-json", required=True)
    ap.add_argument("--greedy-wall", type=float, required=True)
    a = ap.parse_args()

    d = pd.read_csv(a.decisions, dtype={"order_id": str, "node_id": str, "reason": str})
    o_cost = int(d["cost_cents"].sum())
    o_orders = d["order_id"].nunique()
    shipped = d["node_id"].notna()
    o_units = int(d["qty"].sum())
    o_filled = int(d.loc[shipped, "qty"].sum())
    o_fill = o_filled / o_units if o_units else 1.0
    o_ships = len(d.loc[shipped, ["order_id", "shipment"]].drop_duplicates())
    o_km = float(d.loc[shipped].drop_duplicates(["order_id", "shipment"])["distance_km"].sum())
    reasons = d.loc[~shipped, "reason"].value_counts()

    log = open(a.omniroute_log, encoding="utf-8").read()
    summary = re.search(
        r"routed (\d+) orders \((\d+) complete\): fill rate ([\d.]+) %, (\d+) shipments, "
        # "cost ₹1,234.56 (123456 cents)" with a currency, "cost 123456 cents" without.
        r"([\d.]+) km, cost (?:[^(\n]*\()?(-?\d+) cents",
        log,
    )
    took = re.search(r"routing took ([\d.]+) s", log)
    if not summary or not took:
        print(f"cannot find omniroute's summary/timing lines in:\n{log}", file=sys.stderr)
        return 1
    s_orders, s_cost, s_fill = int(summary[1]), int(summary[6]), float(summary[3])
    o_route = float(took[1])

    g = json.load(open(a.greedy_json, encoding="utf-8"))
    g_cost, g_route = g["total_cost_cents"], g["route_s"]
    n = g["orders"]

    def rate(orders: int, secs: float) -> float:
        return orders / secs if secs > 0 else float("inf")

    rows = [
        ("orders", f"{o_orders:,}", f"{n:,}"),
        ("route time, s", f"{o_route:.3f}", f"{g_route:.3f}"),
        ("orders/s (route only)", f"{rate(o_orders, o_route):,.0f}", f"{rate(n, g_route):,.0f}"),
        ("process wall time, s", f"{a.omniroute_wall:.3f}", f"{a.greedy_wall:.3f}"),
        (
            "orders/s (load+route+write)",
            f"{rate(o_orders, a.omniroute_wall):,.0f}",
            f"{rate(n, a.greedy_wall):,.0f}",
        ),
        ("total cost, cents", f"{o_cost:,}", f"{g_cost:,}"),
        ("fill rate (units)", f"{o_fill * 100:.2f} %", f"{g['fill_rate'] * 100:.2f} %"),
        ("units filled / ordered", f"{o_filled:,} / {o_units:,}",
         f"{g['units_filled']:,} / {g['units_ordered']:,}"),
        ("shipments", f"{o_ships:,}", f"{g['shipments']:,}"),
        ("distance, km", f"{o_km:,.0f}", f"{g['distance_km']:,.0f}"),
    ]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows + [("", "omniroute", "")])
    print(f"\n{'':{w0}}  {'omniroute':>{w1}}  greedy (pandas + sklearn BallTree, k={g['k']})")
    for name, x, y in rows:
        print(f"{name:{w0}}  {x:>{w1}}  {y}")
    print(
        f"\nthroughput ratio, route only (omniroute ÷ greedy orders/s): "
        f"{rate(o_orders, o_route) / rate(n, g_route):,.1f}×"
    )
    print(
        f"throughput ratio, whole process (omniroute ÷ greedy orders/s): "
        f"{rate(o_orders, a.omniroute_wall) / rate(n, a.greedy_wall):,.1f}×   (target ≥ 10×)"
    )
    print(f"cost ratio (greedy cost ÷ omniroute cost): {g_cost / o_cost:.3f}   (target > 1)")
    print("greedy cost by term, cents:", ", ".join(f"{k} {v:,}" for k, v in g["cost"].items()))
    print("greedy phases, s:", ", ".join(f"{k} {v:.3f}" for k, v in g["timings"].items()))
    print("omniroute unfilled lines by reason:",
          ", ".join(f"{k} {v:,}" for k, v in reasons.items()) or "none")
    print("greedy:", ", ".join(f"{k} {v}" for k, v in g["versions"].items()))

    ok = s_cost == o_cost and s_orders == o_orders and abs(s_fill - o_fill * 100) < 0.006
    print(
        f"check: decisions.csv cost_cents sum {o_cost:,} vs summary line {s_cost:,}; "
        f"fill {o_fill * 100:.2f} % vs {s_fill:.2f} %; orders {o_orders:,} vs {s_orders:,}: "
        + ("agree" if ok else "DISAGREE")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
