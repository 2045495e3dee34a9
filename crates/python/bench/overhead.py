"""Python overhead on a 100,000-order batch against the pure-Rust run (not a test).

Generates the `batch` bench's instance (seed 11: 20 warehouses, 380 stores, 1,600 dealers,
20,000 SKUs, 40 categories, 100,000 orders), routes it with `Router.route_batch` and, on the
same CSV files, with the release CLI (`omniroute -v route`, which prints its routing time), and
prints both and the ratio. Run from the repository root:

    target/py-venv/bin/python crates/python/bench/overhead.py
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import omniroute as om

NOW = "2026-11-26T12:00:00Z"
ROOT = pathlib.Path(__file__).resolve().parents[3]


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    cli = os.environ.get("OMNIROUTE_CLI", str(ROOT / "target" / "release" / "omniroute"))
    with tempfile.TemporaryDirectory() as tmp:
        day = om.generate(seed=11, warehouses=20, stores=380, dealers=1600, skus=20_000,
                          categories=40, orders=orders, out=tmp)
        router = om.Router(day.network, day.policy)
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            plan = router.route_batch(day.orders, day.inventory, now=NOW)
            routed = time.perf_counter() - t
            table = plan.decisions
            runs.append((routed, time.perf_counter() - t))
        routed, with_table = min(runs)
        rust = []
        for _ in range(3):
            files = [f"--{n}={tmp}/{n}.csv" for n in ("nodes", "stock", "orders")]
            out = subprocess.run([cli, "--no-progress", "-v", "route", *files, f"--now={NOW}",
                                  f"--out={tmp}/decisions.csv"], capture_output=True, text=True)
            m = re.search(r"routing took ([0-9.]+) s", out.stderr)
            if m is None:
                raise SystemExit(f"no routing time from the CLI: {out.stderr}")
            rust.append(float(m.group(1)))
        best = min(rust)
    t = plan.totals
    print(f"{t.orders} orders, cost {t.cost_cents} cents, fill rate {t.fill_rate:.4f}, {table.num_rows} rows")
    print(f"rust (CLI route, routing only):      {best:.3f} s = {t.orders / best:,.0f} orders/s")
    print(f"python route_batch:                  {routed:.3f} s  ratio {routed / best:.3f}")
    print(f"python route_batch + .decisions:     {with_table:.3f} s  ratio {with_table / best:.3f}")


if __name__ == "__main__":
    main()
