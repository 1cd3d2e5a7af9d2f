"""`zhizao evaluate` in bounded memory: large result tables go from the engine straight to Parquet and from
there into the warehouse in a stream — and the stored rows are the rows the instruments compute in memory.

(The memory itself is measured by benchmarks/evaluate_bench.py on a 1,000,000-firm warehouse, not here.)
"""

from __future__ import annotations

import shutil

import duckdb
import pyarrow as pa
import pytest

from conftest import assert_same_rows
from zhizao.analytics import Context, evaluate_all
from zhizao.analytics import ladder as gr
from zhizao.analytics.ladder import measures as lm
from zhizao.analytics.ladder import tables as lt
from zhizao.store import db, results
from zhizao.store.engines import EngineError, Spilled


@pytest.fixture(scope="module")
def evaluated(demo, tmp_path_factory):
    """A copy of the demo warehouse after evaluate_all (which spills the ladder's tables)."""
    path = tmp_path_factory.mktemp("evaluated") / "w.duckdb"
    shutil.copy(demo[0], path)
    summary = evaluate_all(path, 2023)
    return path, summary


def stored(path, table: str, run: str) -> pa.Table:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(
            f"SELECT * EXCLUDE (run_id, result_year) FROM {table} WHERE run_id = ?", params=[run]
        ).to_arrow_table()
    finally:
        con.close()


def plain(t: pa.Table) -> pa.Table:
    """Dictionary-encoded columns as plain strings (what the warehouse stores)."""
    return pa.table(
        {
            c: t.column(c).cast(pa.string()) if pa.types.is_dictionary(t.column(c).type) else t.column(c)
            for c in t.column_names
        }
    )


def test_the_ladder_tables_evaluate_stores_are_the_ones_computed_in_memory(evaluated, duckdb_ctx):
    path, summary = evaluated
    in_memory = gr.evaluate(duckdb_ctx)  # no spill folder: Arrow tables
    assert isinstance(in_memory["tier_screening"], pa.Table)
    for table, keys in (
        ("tier_screening", ["uscc", "tier", "criterion"]),
        ("ladder_firm", ["uscc", "tier"]),
        ("ladder_criteria", ["tier", "seq"]),
    ):
        got = stored(path, table, summary.run_id)
        assert got.num_rows == in_memory[table].num_rows > 0
        assert_same_rows(got, plain(in_memory[table]), keys)
    rows = {i.name: i.rows for i in summary.instruments}
    assert rows["ladder"]["tier_screening"] == in_memory["tier_screening"].num_rows


def test_the_engine_builds_the_long_screening_as_the_reshape_of_the_wide_one(duckdb_ctx):
    """screening_long (the engine's) and long_screening (Arrow's reshape of the wide table) agree row for row."""
    ladder = duckdb_ctx.pack.ladder
    w = lm.firm_measures(
        duckdb_ctx.table("enterprise"), duckdb_ctx.table("enterprise_year"), duckdb_ctx.table("honour"), 2023, ladder
    )
    wide, meta = lt.screening_wide(w, ladder)
    wide_rows = duckdb_ctx.to_arrow(wide)
    arrow = plain(lt.long_screening(wide_rows, meta, 2023))
    engine = duckdb_ctx.to_arrow(lt.screening_long(wide, meta, 2023))
    assert arrow.schema == engine.schema
    assert_same_rows(arrow, engine, ["uscc", "tier", "criterion"])
    counts = duckdb_ctx.to_arrow(lt.status_counts(wide, meta)).to_pylist()[0]
    assert lt.criteria_from_counts(meta, counts, 2023).equals(lt.criteria_table(meta, wide_rows, 2023))


def test_a_spilled_result_is_a_parquet_file_the_store_streams_in(demo, tmp_path, empty_warehouse):
    ctx = Context.open(demo[0], 2023)
    try:
        e = ctx.table("enterprise_year")
        expr = e.filter(e.year == 2023).select("uscc", "year", "revenue", "employees")
        ctx.spill_dir = tmp_path / "spill"
        out = ctx.result(expr)
        assert isinstance(out, Spilled) and out.path.exists() and out.path.parent == tmp_path / "spill"
        direct = ctx.to_arrow(expr)
    finally:
        ctx.close()
    assert out.num_rows == direct.num_rows > 1000
    assert out.column_names == ["uscc", "year", "revenue", "employees"]
    con = db.open_warehouse(empty_warehouse)
    try:
        run = results.start_run(con, "evaluate", engine="duckdb", year=2023)
        assert results.save(con, "demo_rows", run, 2023, out) == direct.num_rows
        results.finish_run(con, run)
        back = results.latest(con, "demo_rows", 2023).drop_columns(["result_year"])
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'demo_rows'"
            ).fetchall()
        )
    finally:
        con.close()
    assert types["year"] == "BIGINT" and types["employees"] == "BIGINT"  # as Arrow results are stored
    assert_same_rows(back, direct, ["uscc"])


def test_spark_spills_a_folder_of_parts_that_the_store_reads_the_same(spark_ctx, duckdb_ctx, tmp_path, empty_warehouse):
    def expr(ctx):
        e = ctx.table("enterprise_year")
        return e.filter(e.year == 2023).select("uscc", "year", "tax")

    spark_ctx.spill_dir = tmp_path / "spill"
    try:
        out = spark_ctx.result(expr(spark_ctx))
    finally:
        spark_ctx.spill_dir = None
    assert out.path.is_dir()
    con = db.open_warehouse(empty_warehouse)
    try:
        run = results.start_run(con, "evaluate", engine="spark", year=2023)
        results.save(con, "spark_rows", run, 2023, out)
        results.finish_run(con, run)
        back = results.latest(con, "spark_rows", 2023).drop_columns(["result_year"])
    finally:
        con.close()
    assert_same_rows(back, duckdb_ctx.to_arrow(expr(duckdb_ctx)), ["uscc"])


def test_the_memory_limit_must_be_a_size(duckdb_ctx, monkeypatch, demo):
    with pytest.raises(EngineError, match="not a memory size"):
        duckdb_ctx.engine.limit_memory("1GB; DROP TABLE enterprise")
    monkeypatch.setenv("ZHIZAO_DUCKDB_MEMORY", "lots")
    with pytest.raises(EngineError, match="not a memory size"):
        evaluate_all(demo[0], 2023, instruments=["targets"])


def test_the_spill_folder_is_removed_after_the_run(evaluated, tmp_path, monkeypatch, demo):
    monkeypatch.setenv("ZHIZAO_SPILL_DIR", str(tmp_path))
    path = tmp_path / "w.duckdb"
    shutil.copy(demo[0], path)
    evaluate_all(path, 2023, instruments=["ladder"])
    assert [p.name for p in tmp_path.iterdir()] == ["w.duckdb"]
