"""Python overhead on a 100,000-order batch against the pure-Rust run (not a test).

Generates the `batch` bench's instance (seed 11: 20 warehouses, 380 stores, 1,600 dealers,
20,000 SKUs, 40 categories, 100,000 orders, default policy), routes it in arrival order with
`Router.route_batch` and, on the same CSV files, with the release CLI (`omniroute -v route`,
which prints its routing time), alternating the two so that a change in the machine's load hits
both alike, and prints the best and the median run of each with their ratios to the CLI's. Both
run on every core by default (the CLI on rayon's global pool, `route_batch` on its own pool);
`OMNIROUTE_NUM_THREADS=N` sets `route_batch`'s pool and passes `--threads N` to the CLI.

`route_batch` also takes a snapshot of the ledger into the router's stock table, which the CLI's
routing time leaves out (it builds its table from the files before the clock starts); a new
`Router`'s build and first `route` of one order (which builds its kept table from the whole
ledger) stand in for it, and are printed.

Run from the repository root, after `scripts/python-test` (the wheel in target/py-venv and the
release CLI in target/release; `OMNIROUTE_CLI` points to another binary):

    target/py-venv/bin/python crates/python/bench/overhead.py [ORDERS] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import statistics
import subprocess
import tempfile
import time

import omniroute as om

NOW = "2026-11-26T12:00:00Z"
ROOT = pathlib.Path(__file__).resolve().parents[3]


def cli_routing_s(cli: str, tmp: str, threads: list[str]) -> float:
    """One CLI run on the generated files: its own `routing took` figure, seconds."""
    files = [f"--{n}={tmp}/{n}.csv" for n in ("nodes", "stock", "orders")]
    out = subprocess.run([cli, "--no-progress", "-v", "route", *files, f"--now={NOW}",
                          f"--out={tmp}/decisions.csv", *threads], capture_output=True, text=True)
    m = re.search(r"routing took ([0-9.]+) s", out.stderr)
    if m is None:
        raise SystemExit(f"no routing time from the CLI: {out.stderr}")
    return float(m.group(1))


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("orders", nargs="?", type=int, default=100_000)
    args.add_argument("--runs", type=int, default=3, help="runs of each, best kept (3)")
    a = args.parse_args()
    cli = os.environ.get("OMNIROUTE_CLI", str(ROOT / "target" / "release" / "omniroute"))
    # The CLI gets route_batch's thread count: OMNIROUTE_NUM_THREADS=N (N > 0) is --threads N.
    n = os.environ.get("OMNIROUTE_NUM_THREADS", "0")
    threads = [f"--threads={n}"] if n not in ("", "0") else []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        day = om.generate(seed=11, warehouses=20, stores=380, dealers=1600, skus=20_000,
                          categories=40, orders=a.orders, out=tmp)
        router = om.Router(day.network, day.policy)
        first = day.orders[0]
        python, with_table, snapshot, rust = [], [], [], []
        for _ in range(a.runs):
            t = time.perf_counter()
            plan = router.route_batch(day.orders, day.inventory, now=NOW)
            python.append(time.perf_counter() - t)
            table = plan.decisions
            with_table.append(time.perf_counter() - t)
            t = time.perf_counter()
            om.Router(day.network, day.policy).route(first, day.inventory, now=NOW)
            snapshot.append(time.perf_counter() - t)
            rust.append(cli_routing_s(cli, tmp, threads))
    t = plan.totals
    pool = f"{n} threads" if threads else f"every core ({os.cpu_count()})"
    print(f"{t.orders} orders, cost {t.cost_cents} cents, fill rate {t.fill_rate:.4f}, "
          f"{table.num_rows} rows; {a.runs} runs of each, {pool}")
    print("load average (1, 5, 15 min): before "
          + " ".join(f"{x:.2f}" for x in load_before) + ", after "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("                                     best (ratio)      median (ratio)")
    rows = [
        ("rust (CLI route, routing only)", rust),
        ("python route_batch", python),
        ("python route_batch + .decisions", with_table),
        ("python route_batch - snapshot", [p - s for p, s in zip(python, snapshot)]),
    ]
    best, median = min(rust), statistics.median(rust)
    for name, runs in rows:
        b, m = min(runs), statistics.median(runs)
        print(f"{name + ':':<36} {b:6.3f} s ({b / best:.3f})  {m:6.3f} s ({m / median:.3f})")
    print(f"ledger snapshot (a new Router's first route): best {min(snapshot):.3f} s; "
          f"rust: {t.orders / best:,.0f} orders/s at best")

if __name__ == "__main__":
    main()
