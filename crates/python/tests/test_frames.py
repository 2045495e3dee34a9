"""pandas, polars and pyarrow tables give the same network, stock, orders and decisions as the
CSV files they were read from (frames cross as Arrow, through the same readers)."""

from __future__ import annotations

import pathlib
from typing import Any, Callable

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import omniroute as om
from conftest import NOW

READERS: dict[str, Callable[[pathlib.Path], Any]] = {
    "pandas": lambda p: pd.read_csv(p),
    "polars": lambda p: pl.read_csv(p),
    "pyarrow": lambda p: pa.Table.from_pandas(pd.read_csv(p), preserve_index=False),
    "polars-from-pandas": lambda p: pl.from_pandas(pd.read_csv(p)),
}


def route(net: om.Network, inv: om.Inventory, orders: om.Orders) -> pa.Table:
    return om.Router(net, om.Policy.default()).route_batch(orders, inv, now=NOW).decisions


@pytest.fixture(scope="module")
def from_files(day_dir: pathlib.Path) -> pa.Table:
    net = om.Network.from_csv(day_dir / "nodes.csv")
    inv = om.Inventory.from_csv(day_dir / "stock.csv", net)
    return route(net, inv, om.Orders.from_csv(day_dir / "orders.csv", net))


@pytest.mark.parametrize("kind", sorted(READERS))
def test_frames_route_like_files(kind: str, day_dir: pathlib.Path, from_files: pa.Table) -> None:
    read = READERS[kind]
    net = om.Network.from_frame(read(day_dir / "nodes.csv"))
    inv = om.Inventory.from_frame(read(day_dir / "stock.csv"), net)
    orders = om.Orders.from_frame(read(day_dir / "orders.csv"), net)
    got = route(net, inv, orders)
    assert got.num_rows == from_files.num_rows > 0
    assert got.equals(from_files)


def test_frame_without_optional_columns() -> None:
    nodes = pl.DataFrame({"node_id": ["W1", "S1"], "lat": [28.61, 28.50], "lon": [77.21, 77.10], "kind": ["warehouse", None]})
    net = om.Network.from_frame(nodes)
    assert net.node_ids == ["W1", "S1"]
    stock = pd.DataFrame({"node_id": ["W1", "S1"], "sku": ["TEE", "TEE"], "qty": [10, 1]})
    inv = om.Inventory.from_frame(stock, net)
    orders = pa.table({"order_id": ["O1"], "sku": ["TEE"], "qty": [1], "dest_lat": [28.52], "dest_lon": [77.12]})
    o = om.Orders.from_frame(orders, net)
    d = om.Router(net, om.Policy.default()).route(o[0], inv, now=NOW)
    assert [s.node_id for s in d.shipments] == ["S1"]  # the nearer store


def test_not_a_table_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        om.Network.from_frame([1, 2, 3])


@pytest.mark.parametrize(
    ("kind", "column", "value"),
    [
        ("nodes", "per_km_cents", float("inf")),
        ("nodes", "max_km_standard", float("-inf")),
        ("stock", "reserved", float("inf")),
    ],
)
def test_infinities_in_a_frame_are_the_csv_readers_errors(
    tmp_path: pathlib.Path, kind: str, column: str, value: float
) -> None:
    """±inf is not a missing value: a frame gives the error the same value gives in a CSV file
    (it used to become an empty cell, i.e. the default)."""
    nodes = {"node_id": ["W1"], "lat": [28.61], "lon": [77.21]}
    stock = {"node_id": ["W1"], "sku": ["TEE"], "qty": [10]}
    table = dict(nodes if kind == "nodes" else stock)
    table[column] = [value]
    text = ",".join(table) + "\n" + ",".join(str(v[0]) for v in table.values()) + "\n"
    path = tmp_path / f"{kind}.csv"
    path.write_text(text)
    net = om.Network.from_frame(pa.table(nodes))

    def load(frame: bool) -> om.InputError:
        with pytest.raises(om.InputError) as e:
            if kind == "nodes":
                om.Network.from_frame(pa.table(table)) if frame else om.Network.from_csv(path)
            else:
                om.Inventory.from_frame(pa.table(table), net) if frame else om.Inventory.from_csv(path, net)
        return e.value

    from_csv, from_frame = load(frame=False), load(frame=True)
    assert from_csv.code in ("E1008", "E1009")
    assert (from_frame.code, from_frame.line, from_frame.column) == (from_csv.code, 2, len(table))
    # NaN stays pandas' missing value: the default.
    table[column] = [float("nan")]
    if kind == "nodes":
        om.Network.from_frame(pa.table(table))
    else:
        om.Inventory.from_frame(pa.table(table), net)


def test_parquet_files_written_by_pyarrow_load_like_the_csv_files(
    day_dir: pathlib.Path, from_files: pa.Table, tmp_path: pathlib.Path
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    # pyarrow's CSV reader types `cutoff_local` (`14:00`) as a time of day, dates as dates and
    # timestamps as timestamps: the Parquet files hold them typed, not as text.
    for name in ("nodes", "stock"):
        pq.write_table(pacsv.read_csv(day_dir / f"{name}.csv"), tmp_path / f"{name}.parquet")
    # polars writes zstd by default.
    pl.read_csv(day_dir / "orders.csv").write_parquet(tmp_path / "orders.parquet")
    assert pq.ParquetFile(tmp_path / "orders.parquet").metadata.row_group(0).column(0).compression == "ZSTD"
    assert pa.types.is_time(pq.read_schema(tmp_path / "nodes.parquet").field("cutoff_local").type)
    day = om.load(tmp_path / "nodes.parquet", tmp_path / "stock.parquet", tmp_path / "orders.parquet")
    got = route(day.network, day.inventory, day.orders)
    assert got.num_rows == from_files.num_rows > 0
    assert got.equals(from_files)
