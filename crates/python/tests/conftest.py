"""Shared fixtures: a small generated day written as CSV files, loaded once per session."""

from __future__ import annotations

import pathlib

import pytest

import omniroute as om

NOW = "2026-11-26T12:00:00Z"


@pytest.fixture(scope="session")
def day_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("day")
    om.generate(seed=7, orders=400, out=out)
    return out


@pytest.fixture(scope="session")
def day(day_dir: pathlib.Path) -> om.Scenario:
    return om.load(day_dir / "nodes.csv", day_dir / "stock.csv", day_dir / "orders.csv")
