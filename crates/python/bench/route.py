"""`Router.route(order, inventory)` latency from Python on the demo network (not a test).

Routes the embedded demo's orders (5,000 orders, 400 nodes, demo policy) one call at a time,
cycling through them, with one kept `Router` against the demo `Inventory` (nothing reserved),
and prints p50, p99 and the mean of the per-call wall time. `--delta-every K` also applies a
stock delta (+1 unit at the position the previous decision shipped from) every K routes, outside
the timed call, so the router re-reads one touched position in the next call. The first 500
calls are a warm-up and are not counted. `now` is passed as a `datetime`.

Run from the repository root after `scripts/python-test` (the release wheel in target/py-venv):

    target/py-venv/bin/python crates/python/bench/route.py [--routes 10000] [--delta-every K]

Seen on the shared 2-core development machine (2026-12-05, release wheel, load average 11-13
while other engineers built, so means and p99s are mostly time spent waiting for a core):
    --routes 10000:                  p50 18.7 us, p99 87.7 us, mean 116.0 us
    --routes 10000 --delta-every 1:  p50 19.3 us, p99 99.8 us, mean 112.2 us
(before the kept router, each call rebuilt the router and the stock table: 3.8 ms per call).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import time

import omniroute as om

WARM_UP = 500


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--routes", type=int, default=10_000, help="timed calls (10,000)")
    args.add_argument("--delta-every", type=int, default=0, metavar="K",
                      help="apply a stock delta every K routes (0: never)")
    a = args.parse_args()
    demo = om.demo()
    router = om.Router(demo.network, demo.policy)
    orders = [demo.orders[i] for i in range(len(demo.orders))]
    inventory = demo.inventory
    now = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.timezone.utc)
    seq: dict[str, int] = {}
    times: list[int] = []
    last = None
    load_before = os.getloadavg()
    for i in range(WARM_UP + a.routes):
        order = orders[i % len(orders)]
        if a.delta_every and i % a.delta_every == 0 and last is not None and last.shipments:
            s = last.shipments[0]
            seq[s.node_id] = seq.get(s.node_id, 0) + 1
            inventory.apply_delta(s.node_id, seq[s.node_id], s.lines[0].sku, 1)
        t = time.perf_counter_ns()
        last = router.route(order, inventory, now=now)
        elapsed = time.perf_counter_ns() - t
        if i >= WARM_UP:
            times.append(elapsed)
    times.sort()
    us = [t / 1000 for t in times]
    p = lambda q: us[min(len(us) - 1, int(q * len(us)))]
    print(f"{len(us)} routes of {len(orders)} demo orders"
          + (f", a delta every {a.delta_every}" if a.delta_every else "")
          + f": p50 {p(0.50):.1f} us, p99 {p(0.99):.1f} us, mean {statistics.fmean(us):.1f} us")
    print("load average (1, 5, 15 min): before "
          + " ".join(f"{x:.2f}" for x in load_before) + ", after "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
