"""Many scenarios or days at once, serially or on a Dask cluster (docs/scale.md).

A :class:`Task` is plain, picklable data: where one scenario's inputs are (CSV or Parquet files
every worker can read, or the parameters of :func:`omniroute.generate`), the policy as TOML text,
the routing mode and the reference time. :func:`run_task` loads the inputs, routes with the Rust
core (the GIL released) and returns the plan's key figures (:func:`omniroute.kpis`) with a
``scenario`` column. :func:`run` runs many tasks, on the calling process or, given a
``distributed.Client``, one Dask task each, and returns one table in the tasks' order: the same
table either way (a test checks it).

The workers run :func:`run_task` themselves, so **the omniroute wheel must be importable on every
worker**: install the same wheel (``pip install omniroute-*.whl``) in the environment or image
the workers start from. ``Client.upload_file`` is not enough for a compiled extension. File paths
in a task are opened by the worker: use storage every worker sees (a shared volume), or
``generate`` parameters, which need no files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

import omniroute as om


@dataclass(frozen=True)
class Task:
    """One scenario to route: files (``nodes``, ``stock``, ``orders``) or ``generate``
    parameters, a policy (TOML text; the inputs' own policy when ``None``), a mode and ``now``."""

    name: str
    nodes: Optional[str] = None
    stock: Optional[str] = None
    orders: Optional[str] = None
    generate: Optional[Mapping[str, Any]] = None
    policy_toml: Optional[str] = None
    mode: str = "sequential"
    now: Optional[str] = None


def _load(task: Task) -> om.Scenario:
    if task.generate is not None:
        return om.generate(**task.generate)
    if task.nodes is None or task.stock is None or task.orders is None:
        raise ValueError(f"task {task.name!r}: give nodes, stock and orders files, or generate")
    return om.load(task.nodes, task.stock, task.orders)


def run_task(task: Task) -> pa.Table:
    """Routes one task with the Rust core; its key figures with a leading ``scenario`` column."""
    day = _load(task)
    policy = day.policy if task.policy_toml is None else om.Policy.from_toml(task.policy_toml)
    router = om.Router(day.network, policy)
    plan = router.route_batch(day.orders, day.inventory, mode=task.mode, now=task.now)
    table = om.kpis(plan)
    names = pa.array([task.name] * table.num_rows, pa.string())
    return table.add_column(0, "scenario", names)


def run(tasks: Sequence[Task], client: Any = None) -> pa.Table:
    """Runs every task: on this process without ``client``, else one Dask task each on
    ``client`` (a ``distributed.Client``). One table, in the tasks' order."""
    if client is None:
        tables = [run_task(t) for t in tasks]
    else:
        futures = client.map(run_task, list(tasks), key=[f"omniroute-{t.name}" for t in tasks])
        tables = client.gather(futures)
    return pa.concat_tables(tables)
