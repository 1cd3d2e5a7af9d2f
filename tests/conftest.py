"""Shared fixtures: real DuckDB warehouse files in temporary folders."""

from __future__ import annotations

import duckdb
import pytest

from zhizao.ingest.packload import init_warehouse
from zhizao.ingest.synth.build import build_demo
from zhizao.reference import load_pack

# the dashboard's fixtures (an evaluated demo warehouse, an app, a client, tokens per role): tests/web_fixtures.py;
# the attack suite's (a warehouse with eight accounts of every role): tests/attack_fixtures.py;
# the browser tests' (Debian's chromium through Playwright, a server on a copy): tests/browser_fixtures.py
pytest_plugins = ["web_fixtures", "attack_fixtures", "browser_fixtures"]


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


@pytest.fixture(scope="session")
def duckdb_ctx(demo):
    """An analytics Context on DuckDB over the demo warehouse (latest year)."""
    from zhizao.analytics import Context

    ctx = Context.open(demo[0], 2023)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def spark_ctx(demo):
    """The same Context on a local Spark session (started once per test process)."""
    from zhizao.analytics import Context

    ctx = Context.open(demo[0], 2023, engine="spark", master="local[2]")
    yield ctx
    ctx.close()


def assert_same_rows(a, b, keys, rel=1e-9):
    """Two pyarrow tables hold the same rows (order-free, floats within `rel`)."""
    import math

    assert sorted(a.column_names) == sorted(b.column_names), (a.column_names, b.column_names)
    ra = sorted(a.to_pylist(), key=lambda r: tuple(str(r[k]) for k in keys))
    rb = sorted(b.to_pylist(), key=lambda r: tuple(str(r[k]) for k in keys))
    assert len(ra) == len(rb)
    for x, y in zip(ra, rb):
        for k in x:
            u, v = x[k], y[k]
            if isinstance(u, float) or isinstance(v, float):
                if u is None or v is None or (isinstance(u, float) and math.isnan(u)):
                    assert (u is None or u != u) and (v is None or v != v), (k, x, y)
                else:
                    assert math.isclose(u, v, rel_tol=rel, abs_tol=1e-9), (k, x, y)
            else:
                assert u == v, (k, x, y)
