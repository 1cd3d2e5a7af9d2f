"""`zhizao.analytics.evaluate_all`: what `zhizao evaluate` does, as one library call that the CLI, the web test
fixtures and the benchmarks share. All instruments run, then their results are stored in one run; an instrument
that fails stores nothing and names itself."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

import zhizao.analytics as an
from zhizao.analytics import AnalyticsError, RunSummary, evaluate_all
from zhizao.cli import app
from zhizao.store import results


@pytest.fixture()
def warehouse(demo, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copy(demo[0], path)
    return path


def _runs(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT id, status, year, params, summary FROM run ORDER BY started").fetchall()
    finally:
        con.close()


def test_evaluate_all_stores_every_result_table_in_one_finished_run(warehouse):
    seen = []
    s = evaluate_all(warehouse, 2023, instruments=["clusters", "targets"], progress=seen.append)
    assert isinstance(s, RunSummary) and s.year == 2023 and s.engine == "duckdb"
    assert seen == ["clusters", "targets"] == [i.name for i in s.instruments]
    ((run_id, status, year, params, summary),) = _runs(warehouse)
    assert (run_id, status, year) == (s.run_id, "done", 2023)
    assert json.loads(params) == {"instruments": ["clusters", "targets"]}
    assert json.loads(summary)["targets"]["target_progress"] == s.instruments[1].rows["target_progress"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for ins in s.instruments:
            for table, n in ins.rows.items():
                assert results.latest(con, table, 2023).num_rows == n > 0, table
    finally:
        con.close()
    assert s.seconds >= sum(i.seconds for i in s.instruments) + s.save_seconds


def test_a_failing_instrument_stores_nothing_and_is_named(warehouse, monkeypatch):
    from zhizao.analytics import targets

    def refuse(ctx):
        raise AnalyticsError("the pack has no targets for this year")

    monkeypatch.setattr(targets, "evaluate", refuse)
    with pytest.raises(AnalyticsError, match="^targets: the pack has no targets"):
        evaluate_all(warehouse, 2023, instruments=["clusters", "targets"])
    assert _runs(warehouse) == []


def test_unknown_instruments_and_years_are_refused(warehouse):
    with pytest.raises(AnalyticsError, match="unknown instrument.*nosuch"):
        evaluate_all(warehouse, 2023, instruments=["nosuch"])
    with pytest.raises(AnalyticsError, match="no figures for 1999"):
        evaluate_all(warehouse, 1999)
    assert _runs(warehouse) == []


def test_the_command_is_the_library_call(warehouse, monkeypatch):
    calls = []
    real = an.evaluate_all

    def spy(*a, **kw):
        calls.append((a, kw))
        return real(*a, instruments=["clusters"], **{k: v for k, v in kw.items() if k != "instruments"})

    monkeypatch.setattr(an, "evaluate_all", spy)
    r = CliRunner().invoke(app, ["evaluate", "--db", str(warehouse), "--year", "2023", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert len(calls) == 1 and out["year"] == 2023 and list(out["instruments"]) == ["clusters"]
    assert [row[0] for row in _runs(warehouse)] == [out["run"]]
