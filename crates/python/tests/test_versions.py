"""Policy versions: a Router given several policies routes each order as a Router of its version
would, and every version problem is a PolicyError naming its file."""

from __future__ import annotations

import datetime
import pathlib

import pyarrow.csv as pacsv
import pytest

import omniroute as om
from conftest import NOW

MID = "2026-11-26T04:00:00Z"
LATE = "2026-11-26T09:00:00Z"


MID_TERMS = (
    "[costs]\nsplit_penalty_cents = 4000\nunfilled_per_unit_cents = 9000\n"
    "[kinds.store]\nfixed_cents = 900\n"
)
LATE_TERMS = 'sla = "soft"\n[split]\nallow_split = false\n[kinds.warehouse]\nper_km_cents = 2.0\n'


def versions() -> tuple[om.Policy, om.Policy, om.Policy]:
    """The default policy, and two dated versions that price and filter differently."""
    base = om.Policy.default()
    mid = om.Policy.from_toml(f'effective_from = "{MID}"\n{MID_TERMS}')
    late = om.Policy.from_toml(f'effective_from = "{LATE}"\n{LATE_TERMS}')
    return base, mid, late


def created_at(day_dir: pathlib.Path) -> dict[str, datetime.datetime]:
    rows = pacsv.read_csv(day_dir / "orders.csv").to_pylist()
    return {r["order_id"]: r["created_at"] for r in rows}


def shape(d: om.Decision) -> tuple[int, list[tuple[str, list[int]]], list[str]]:
    ships = [(s.node_id, [l.line_no for l in s.lines]) for s in d.shipments]
    return d.cost_cents, ships, [u.reason for u in d.unfilled]


def test_each_order_is_routed_as_its_versions_router_would(
    day: om.Scenario, day_dir: pathlib.Path
) -> None:
    base, mid, late = versions()
    assert mid.effective_from == datetime.datetime(2026, 11, 26, 4, tzinfo=datetime.timezone.utc)
    assert base.effective_from is None
    router = om.Router(day.network, [late, base, mid])  # any order
    quotes = router.quote(day.orders, day.inventory, now=NOW)
    # One-version routers of the same terms without effective_from (a dated single version
    # would reject the orders before it).
    alone = {
        name: om.Router(day.network, om.Policy.from_toml(terms)).quote(
            day.orders, day.inventory, now=NOW
        )
        for name, terms in (("base", ""), ("mid", MID_TERMS), ("late", LATE_TERMS))
    }
    mid_at = datetime.datetime.fromisoformat(MID.replace("Z", "+00:00"))
    late_at = datetime.datetime.fromisoformat(LATE.replace("Z", "+00:00"))
    times = created_at(day_dir)
    seen = {"base": 0, "mid": 0, "late": 0}
    differs = 0
    for i, q in enumerate(quotes):
        t = times[q.order_id]
        version = "late" if t >= late_at else "mid" if t >= mid_at else "base"
        seen[version] += 1
        assert shape(q) == shape(alone[version][i]), q.order_id
        differs += any(shape(q) != shape(alone[v][i]) for v in alone if v != version)
    assert min(seen.values()) > 20, seen
    assert differs > 20, "the versions route many orders differently"
    # Batches: sequential and optimised plans pass the checker under the versions.
    plan = router.route_batch(day.orders, day.inventory, now=NOW)
    assert plan.check() == []
    best = router.route_batch(
        day.orders, day.inventory, now=NOW, mode="optimise", time_limit=5.0, iterations=500
    )
    assert best.check() == [] and best.totals.cost_cents <= plan.totals.cost_cents
    assert router.reroute(plan, []).plan.check() == []
    assert "3 policy versions" in repr(router)


def test_load_reads_policy_versions(day_dir: pathlib.Path, tmp_path: pathlib.Path) -> None:
    later = tmp_path / "later.toml"
    later.write_text(f'effective_from = "{MID}"\n[costs]\nsplit_penalty_cents = 4000\n')
    base = tmp_path / "base.toml"
    base.write_text("")
    s = om.load(
        day_dir / "nodes.csv", day_dir / "stock.csv", day_dir / "orders.csv", policy=[later, base]
    )
    mid = datetime.datetime(2026, 11, 26, 4, tzinfo=datetime.timezone.utc)
    assert [p.effective_from for p in s.policies] == [None, mid]
    assert s.policy.effective_from is None
    a = om.Router(s.network, s.policies).route_batch(s.orders, s.inventory, now=NOW)
    b = om.Router(s.network, [om.Policy.from_toml(later), om.Policy.default()]).route_batch(
        s.orders, s.inventory, now=NOW
    )
    assert a.totals.to_dict() == b.totals.to_dict()


def write(tmp_path: pathlib.Path, name: str, text: str) -> om.Policy:
    path = tmp_path / name
    path.write_text(text)
    return om.Policy.from_toml(path)


@pytest.mark.parametrize(
    ("a", "b", "code", "file", "line", "words"),
    [
        ("[levels.express]\ntransit = [{ max_km = 9, days = 0 }]\n", f'effective_from = "{MID}"\n',
         "E2016", "a.toml", 1, "different service levels"),
        ("", f'effective_from = "{MID}"\n[kinds.warehouse]\ncapacity_units = 7\n',
         "E2017", "b.toml", 3, "`kinds.warehouse.capacity_units` is unlimited in"),
        ("", 'sla = "soft"\n', "E2018", "b.toml", 0, "both have no effective_from"),
        (f'effective_from = "{MID}"\n', f'effective_from = "{MID}"\n', "E2018", "b.toml", 1,
         "both take effect at 2026-11-26T04:00:00Z"),
    ],
)
def test_version_problems_are_policy_errors_naming_the_file(
    day: om.Scenario, tmp_path: pathlib.Path, a: str, b: str, code: str, file: str, line: int, words: str
) -> None:
    pa_, pb = write(tmp_path, "a.toml", a), write(tmp_path, "b.toml", b)
    with pytest.raises(om.PolicyError) as e:
        om.Router(day.network, [pa_, pb])
    err = e.value
    assert isinstance(err, ValueError)
    assert (err.code, pathlib.Path(err.file).name, err.line) == (code, file, line)
    assert words in err.problems[0].message and err.problems[0].hint


@pytest.mark.parametrize("empty", [[], (), iter([])], ids=["list", "tuple", "iterator"])
def test_no_policy_is_a_usage_error(day: om.Scenario, empty: object) -> None:
    with pytest.raises(ValueError) as e:
        om.Router(day.network, empty)  # type: ignore[arg-type]
    # A plain ValueError (API misuse), not an InputError/PolicyError with a code.
    assert type(e.value) is ValueError
    assert not hasattr(e.value, "code")
    assert str(e.value) == "the list of policies is empty: pass at least one Policy"


def test_an_order_older_than_every_version_is_e2019(day: om.Scenario, day_dir: pathlib.Path) -> None:
    late = om.Policy.from_toml(f'effective_from = "{LATE}"\n')
    router = om.Router(day.network, [late])
    with pytest.raises(om.PolicyError) as e:
        router.route_batch(day.orders, day.inventory, now=NOW)
    err = e.value
    assert err.code == "E2019" and pathlib.Path(err.file).name == "orders.csv"
    assert err.line == 2 and err.column > 0, "the first order, at its created_at"
    assert f"takes effect at {LATE}" in err.problems[0].message
    assert len(err.problems) == 21, "20 listed, the rest counted"
    with pytest.raises(om.PolicyError):
        router.quote(day.orders, day.inventory, now=NOW)
    with pytest.raises(om.PolicyError) as one:
        router.route(day.orders[0], day.inventory, now=NOW)
    assert (one.value.code, one.value.line) == ("E2019", 2)
    # An undated version covers every order.
    om.Router(day.network, [late, om.Policy.default()]).route(day.orders[0], day.inventory, now=NOW)


def test_an_order_without_created_at_is_judged_at_now(day: om.Scenario) -> None:
    import pandas as pd

    orders = om.Orders.from_frame(
        pd.DataFrame({"order_id": ["N1"], "sku": [day.orders[0].lines[0][1]], "qty": [1],
                      "dest_lat": [28.6], "dest_lon": [77.2]}),
        day.network,
        name="my orders",
    )
    router = om.Router(day.network, [om.Policy.from_toml(f'effective_from = "{MID}"\n')])
    router.route_batch(orders, day.inventory, now=MID)
    with pytest.raises(om.PolicyError) as e:
        router.route_batch(orders, day.inventory, now="2026-11-26T03:59:59Z")
    err = e.value
    assert (err.code, err.file, err.line, err.column) == ("E2019", "my orders", 2, 0)
    assert "has no created_at" in err.problems[0].message
