"""Python and the CLI give the same decisions on the same generated instance."""

from __future__ import annotations

import csv
import json
import os
import pathlib
import subprocess

import omniroute as om
from conftest import NOW

ROOT = pathlib.Path(__file__).resolve().parents[3]


def cli() -> str:
    exe = os.environ.get("OMNIROUTE_CLI")
    if exe:
        return exe
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "omniroute"
        if p.exists():
            return str(p)
    subprocess.run(["cargo", "build", "-q", "-p", "omniroute-cli"], cwd=ROOT, check=True)
    return str(ROOT / "target" / "debug" / "omniroute")


def cell(v: object) -> str:
    return "" if v is None else str(v)


def test_python_and_cli_decisions_agree(day_dir: pathlib.Path, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "decisions.csv"
    files = [f"--{n}={day_dir / (n + '.csv')}" for n in ("nodes", "stock", "orders")]
    run = subprocess.run([cli(), "--no-progress", "-q", "route", *files, f"--now={NOW}", f"--out={out}"],
                         capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    with out.open(newline="") as f:
        expected = [tuple(r) for r in csv.reader(f)]

    day = om.load(day_dir / "nodes.csv", day_dir / "stock.csv", day_dir / "orders.csv")
    plan = om.Router(day.network, day.policy).route_batch(day.orders, day.inventory, now=NOW)
    table = plan.decisions
    got = [tuple(table.column_names)]
    for r in table.to_pylist():
        km = r["distance_km"]
        r["distance_km"] = None if km is None else f"{km:.3f}"
        got.append(tuple(cell(r[c]) for c in table.column_names))
    assert len(got) > 400
    assert got == expected
    assert sum(int(r[8]) for r in expected[1:]) == plan.totals.cost_cents


def test_python_and_cli_rank_candidates_alike(day_dir: pathlib.Path) -> None:
    """`Decision.candidates` and `omniroute explain --format json` list an order's candidates in
    the same order (the core's one ranking), on an order with priced and filtered candidates."""
    day = om.load(day_dir / "nodes.csv", day_dir / "stock.csv", day_dir / "orders.csv")
    plan = om.Router(day.network, day.policy).route_batch(day.orders, day.inventory, now=NOW)
    i, d = next((i, plan.decision(i)) for i in range(len(day.orders))
                if len({c.reason is None for c in plan.decision(i).candidates}) == 2
                and len(plan.decision(i).candidates) >= 4 and plan.decision(i).shipments)
    files = [f"--{n}={day_dir / (n + '.csv')}" for n in ("nodes", "stock", "orders")]
    run = subprocess.run([cli(), "--no-progress", "-q", "explain", d.order_id, *files, f"--now={NOW}",
                          "--format=json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    shown = [(c["node_id"], c["chosen"], c.get("cost_cents"), c.get("reason"))
             for c in json.loads(run.stdout)["candidates"]]
    got = [(c.node_id, c.chosen, c.cost_cents, c.reason) for c in d.candidates]
    assert got == shown
    assert got[0][1], "a chosen node ranks first"
    assert got[-1][3] is not None, "filtered nodes rank last"
