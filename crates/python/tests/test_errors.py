"""Every exception class, with its code and place; no Rust panic reaches Python as a panic."""

from __future__ import annotations

import pathlib

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import omniroute as om
from conftest import NOW


def test_input_error_from_csv_has_code_file_line_column(tmp_path: pathlib.Path) -> None:
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("node_id,lat,lon\nW1,28.6,77.2\nW2,95.0,77.2\nW3,28.6,oops\n")
    with pytest.raises(om.InputError) as e:
        om.Network.from_csv(nodes)
    err = e.value
    assert isinstance(err, ValueError) and isinstance(err, om.OmnirouteError)
    assert not isinstance(err, om.PolicyError)
    assert len(err.problems) == 2, "every problem is reported at once"
    first = err.problems[0]
    assert isinstance(first, om.Problem)
    assert (err.code, err.file, err.line) == (first.code, str(nodes), 3)
    assert err.code.startswith("E1") and err.column == 2
    assert first.hint and first.message
    assert err.problems[1].line == 4 and err.problems[1].column == 3


def test_input_error_from_frame_counts_rows_as_lines() -> None:
    table = pa.table({"node_id": ["W1", "W2"], "lat": [28.6, 28.7], "lon": [77.2, 777.0]})
    with pytest.raises(om.InputError) as e:
        om.Network.from_frame(table, name="my nodes")
    assert (e.value.file, e.value.line, e.value.column) == ("my nodes", 3, 3)


def test_missing_file_is_e1000(tmp_path: pathlib.Path) -> None:
    with pytest.raises(om.InputError) as e:
        om.Network.from_csv(tmp_path / "nope.csv")
    assert e.value.code == "E1000"


def test_policy_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(om.PolicyError) as e:
        om.Policy.from_toml('sla = "maybe"\n')
    err = e.value
    assert isinstance(err, om.InputError) and isinstance(err, ValueError)
    assert err.code.startswith("E2") and err.line == 1 and err.column >= 1
    path = tmp_path / "policy.toml"
    path.write_text("[costs]\nsplit_penalty_cents = -5\n")
    with pytest.raises(om.PolicyError) as e2:
        om.Policy.from_toml(path)
    assert e2.value.file == str(path) and e2.value.line == 2


def test_inventory_error_codes(day_dir: pathlib.Path) -> None:
    net = om.Network.from_csv(day_dir / "nodes.csv")
    inv = om.Inventory.from_csv(day_dir / "stock.csv", net)
    with pytest.raises(om.InventoryError) as e:
        inv.release(12345)
    assert e.value.code == "E3005" and isinstance(e.value, om.OmnirouteError)
    assert not isinstance(e.value, ValueError)
    node = net.node_ids[0]
    stock = pacsv.read_csv(day_dir / "stock.csv").to_pylist()
    row = next(r for r in stock if r["node_id"] == node)
    with pytest.raises(om.InventoryError) as e2:
        inv.reserve(1, [(node, row["sku"], 10**6)], ttl_seconds=60, now=NOW)
    assert e2.value.code == "E3003"
    # The message names the node and the SKU by id, not by the core's internal index.
    assert f"node {node} sku {row['sku']} has" in str(e2.value), str(e2.value)
    inv.reserve(1, [(node, row["sku"], 0)], ttl_seconds=60, now=NOW)
    with pytest.raises(om.InventoryError) as e3:
        inv.reserve(1, [(node, row["sku"], 0)], ttl_seconds=60, now=NOW)
    assert e3.value.code == "E3004"
    with pytest.raises(ValueError, match="unknown node"):
        inv.routable("NO-SUCH-NODE", row["sku"])


def test_a_panic_becomes_omniroute_error() -> None:
    with pytest.raises(om.OmnirouteError, match="internal error.*boom"):
        om._omniroute._panic_for_test("boom")


def test_errors_pickle() -> None:
    import pickle

    err = om.InputError("bad", [{"code": "E1010", "file": "f", "line": 2, "column": 3, "message": "m", "hint": "h"}])
    again = pickle.loads(pickle.dumps(err))
    assert isinstance(again, om.InputError) and again.code == "E1010" and again.line == 2
    inv = pickle.loads(pickle.dumps(om.InventoryError("no live reservation 7", "E3005")))
    assert inv.code == "E3005"
