"""Shared fixtures: real DuckDB warehouse files in temporary folders."""
from __future__ import annotations

import duckdb
import pytest

from zhizao.ingest.packload import init_warehouse
from zhizao.ingest.synth.build import build_demo
from zhizao.reference import load_pack


@pytest.fixture(scope="session")
def pack():
    return load_pack("chongqing")


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """A small demo warehouse (1,500 synthetic enterprises, 2019-2025) and its build report."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    report = build_demo(path, enterprises=1500, seed=7)
    return path, report


@pytest.fixture()
def demo_con(demo):
    con = duckdb.connect(str(demo[0]), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def empty_warehouse(tmp_path):
    """A freshly initialised warehouse (schema and pack, no enterprises)."""
    path = tmp_path / "w.duckdb"
    con, _ = init_warehouse(path)
    con.close()
    return path
