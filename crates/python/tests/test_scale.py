"""omniroute.scale: scenarios on a Dask LocalCluster give the same table as run serially."""

from __future__ import annotations

import pathlib

from distributed import Client, LocalCluster

import omniroute as om
from omniroute import scale

SMALL = {"warehouses": 3, "stores": 10, "dealers": 20, "skus": 80, "orders": 150}
WAREHOUSES_ONLY = (
    "[kinds.store]\nreach_km = { same_day = 0, next_day = 0, standard = 0 }\n"
    "[kinds.dealer]\nreach_km = { same_day = 0, next_day = 0, standard = 0 }\n"
)


def tasks(files: pathlib.Path) -> list[scale.Task]:
    out = [
        scale.Task(
            name=f"seed{seed}-{policy}",
            generate={"seed": seed, **SMALL},
            policy_toml=None if policy == "default" else WAREHOUSES_ONLY,
        )
        for seed in (1, 2, 3)
        for policy in ("default", "warehouses")
    ]
    out.append(
        scale.Task(
            name="files",
            nodes=str(files / "nodes.csv"),
            stock=str(files / "stock.csv"),
            orders=str(files / "orders.csv"),
            now="2026-11-26T12:00:00Z",
        )
    )
    return out


def test_dask_run_equals_the_serial_run(tmp_path: pathlib.Path) -> None:
    om.generate(seed=9, out=tmp_path, **SMALL)
    work = tasks(tmp_path)
    serial = scale.run(work)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        parallel = scale.run(work, client)
    assert parallel.equals(serial)
    per_task = scale.run_task(work[0]).num_rows
    assert serial.num_rows == len(work) * per_task
    assert serial.column_names[0] == "scenario"
    rows = {(r["scenario"], r["name"], r["key"]): r["value"] for r in serial.to_pylist()}
    # Each task is its own scenario: the seeds differ, warehouses only ships from no store.
    assert rows[("seed1-default", "orders", "")] == 150
    assert rows[("seed1-warehouses", "orders_by_kind", "store")] == 0
    assert rows[("seed1-default", "orders_by_kind", "store")] > 0
    assert rows[("seed1-default", "units_ordered", "")] != rows[("seed2-default", "units_ordered", "")]
    # The file task equals the same files routed here.
    day = om.load(tmp_path / "nodes.csv", tmp_path / "stock.csv", tmp_path / "orders.csv")
    plan = om.Router(day.network, day.policy).route_batch(
        day.orders, day.inventory, now="2026-11-26T12:00:00Z"
    )
    assert rows[("files", "units_filled", "")] == plan.totals.units_filled
