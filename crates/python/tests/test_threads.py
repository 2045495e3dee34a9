"""The GIL is released while routing (Python threads route concurrently and get the serial
answer), OMNIROUTE_NUM_THREADS is read, and the pool works in a forked child."""

from __future__ import annotations

import _thread
import multiprocessing as mp
import os
import pathlib
import subprocess
import sys
import threading
import time

import pyarrow as pa
import pytest

import omniroute as om
from conftest import NOW


def test_threads_route_concurrently(day: om.Scenario) -> None:
    router = om.Router(day.network, day.policy)
    expected = router.route_batch(day.orders, day.inventory, now=NOW).decisions
    results: list[pa.Table] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(router.route_batch(day.orders, day.inventory, now=NOW).decisions)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(results) == 12 and all(r.equals(expected) for r in results)


def _costs(day: om.Scenario) -> list[int]:
    router = om.Router(day.network, day.policy)
    quotes = [d.cost_cents for d in router.quote(day.orders, day.inventory, now=NOW)]
    batch = router.route_batch(day.orders, day.inventory, now=NOW)
    opt = router.route_batch(day.orders, day.inventory, mode="optimise", now=NOW, iterations=2000)
    return quotes + [batch.totals.cost_cents, opt.totals.cost_cents]


def _quote_in_child(queue: "mp.Queue[list[int]]") -> None:
    queue.put(_costs(om.generate(seed=3, orders=200)))


def test_pool_survives_fork() -> None:
    day = om.generate(seed=3, orders=200)
    # Use the pool in the parent first (quote, the parallel batch, optimise): a child inheriting
    # it would hang without the fork hook.
    expected = _costs(day)
    ctx = mp.get_context("fork")
    queue: "mp.Queue[list[int]]" = ctx.Queue()
    child = ctx.Process(target=_quote_in_child, args=(queue,))
    child.start()
    got = queue.get(timeout=120)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert got == expected


def test_num_threads_from_environment() -> None:
    code = "import omniroute; print(omniroute.num_threads())"
    for n in ("1", "3"):
        out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "OMNIROUTE_NUM_THREADS": n},
                             capture_output=True, text=True, check=True)
        assert out.stdout.strip() == n
    bad = subprocess.run([sys.executable, "-c", code], env={**os.environ, "OMNIROUTE_NUM_THREADS": "many"},
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "OMNIROUTE_NUM_THREADS" in bad.stderr


def test_sequential_plans_are_the_same_on_any_number_of_threads() -> None:
    code = (
        "import hashlib, omniroute as om\n"
        "day = om.generate(seed=5, orders=1500)\n"
        f"p = om.Router(day.network, day.policy).route_batch(day.orders, day.inventory, now={NOW!r})\n"
        "rows = p.decisions.to_pylist()\n"
        "print(p.totals.cost_cents, hashlib.sha256(repr(rows).encode()).hexdigest())\n"
    )
    outs = [
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "OMNIROUTE_NUM_THREADS": n},
                       capture_output=True, text=True, check=True).stdout
        for n in ("1", "2")
    ]
    assert outs[0] == outs[1] and len(outs[0].split()) == 2


def test_ctrl_c_interrupts_a_long_optimise(tmp_path: pathlib.Path) -> None:
    """SIGINT during a 10 s optimise raises KeyboardInterrupt within a few seconds, not at the end."""
    om.generate(seed=3, orders=3000, out=tmp_path)
    big = om.load(tmp_path / "nodes.csv", tmp_path / "stock.csv", tmp_path / "orders.csv")
    router = om.Router(big.network, big.policy)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            router.route_batch(big.orders, big.inventory, mode="optimise", now=NOW, time_limit=10.0)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - start
    assert elapsed < 4.0, f"KeyboardInterrupt after {elapsed:.1f} s"
