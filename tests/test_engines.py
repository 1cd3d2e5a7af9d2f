"""Engines: the same expressions give the same tables on DuckDB and on Spark; results are kept by run."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import AnalyticsError, Context
from zhizao.cli import app
from zhizao.store import db, results
from zhizao.store.engines import EngineError, open_engine


def region_year_output(ctx):
    ey, e = ctx.table("enterprise_year"), ctx.table("enterprise")
    j = ey.join(e, "uscc")
    w = ibis.memtable({"year": [2022, 2023], "weight": [1.0, 0.5]})
    j = j.join(w, "year")
    return j.group_by(["region_code", "year"]).aggregate(
        output=j.output_value.sum(), weighted=(j.output_value * j.weight).sum(), firms=j.count()
    )


def test_duckdb_and_spark_agree_on_a_grouped_join(duckdb_ctx, spark_ctx):
    a = duckdb_ctx.to_arrow(region_year_output(duckdb_ctx))
    b = spark_ctx.to_arrow(region_year_output(spark_ctx))
    assert a.num_rows > 50
    assert a.schema.field("firms").type == pa.int64() == b.schema.field("firms").type
    assert_same_rows(a, b, keys=["region_code", "year"])


def test_context_refuses_years_it_does_not_hold(demo):
    with pytest.raises(AnalyticsError, match="holds 2019–2025"):
        Context.open(demo[0], 2031)


def test_context_on_an_empty_warehouse_says_what_to_do(empty_warehouse):
    with pytest.raises(AnalyticsError, match="zhizao demo"):
        Context.open(empty_warehouse)


def test_unknown_engine(demo):
    with pytest.raises(EngineError, match="unknown engine"):
        open_engine(demo[0], "oracle")


def test_results_are_kept_per_run_and_the_latest_finished_run_wins(empty_warehouse):
    con = db.open_warehouse(empty_warehouse)
    r1 = results.start_run(con, "evaluate", engine="duckdb", year=2023)
    results.save(con, "demo_result", r1, 2023, pa.table({"k": ["a"], "v": [1.0]}))
    results.finish_run(con, r1)
    r2 = results.start_run(con, "evaluate", engine="duckdb", year=2023)
    results.save(con, "demo_result", r2, 2023, pa.table({"k": ["a", "b"], "v": [2.0, 3.0]}))
    assert results.latest(con, "demo_result", 2023).column("v").to_pylist() == [1.0]  # r2 not finished
    results.finish_run(con, r2)
    assert results.latest(con, "demo_result", 2023).column("v").to_pylist() == [2.0, 3.0]
    assert con.execute("SELECT count(*) FROM demo_result").fetchone()[0] == 3
    with pytest.raises(ValueError):
        results.save(con, "demo_result", r2, 2023, pa.table({"run_id": ["x"]}))
    con.close()


def test_evaluate_command_reports_bad_input_without_a_traceback(demo, empty_warehouse, tmp_path):
    r = CliRunner().invoke(app, ["evaluate", "--db", str(demo[0]), "--year", "1999"])
    assert r.exit_code == 2 and "no figures for 1999" in r.output
    r = CliRunner().invoke(app, ["evaluate", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())
    r = CliRunner().invoke(app, ["evaluate", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "no warehouse at" in " ".join(r.output.split())
    assert "Traceback" not in r.output


def test_old_runs_are_pruned_so_the_warehouse_does_not_grow_without_end(empty_warehouse):
    con = db.open_warehouse(empty_warehouse)
    runs = []
    for k in range(4):
        r = results.start_run(con, "evaluate", engine="duckdb", year=2023)
        results.save(con, "demo_result", r, 2023, pa.table({"k": ["a"], "v": [float(k)]}))
        results.save(con, "demo_result", r, 2022, pa.table({"k": ["a"], "v": [float(k)]})) if k == 0 else None
        results.finish_run(con, r, keep=2)
        runs.append(r)
    kept = {r for (r,) in con.execute("SELECT DISTINCT run_id FROM demo_result WHERE result_year = 2023").fetchall()}
    assert kept == set(runs[-2:])
    assert results.latest(con, "demo_result", 2023).column("v").to_pylist() == [3.0]
    assert results.latest(con, "demo_result", 2022).column("v").to_pylist() == [0.0]  # other years stay
    con.close()


def test_spark_settings_for_this_machine_a_cluster_and_the_operator():
    """local[...] gets the small machine's sizing; a cluster master keeps its own; ZHIZAO_SPARK_CONF wins and a
    malformed entry is a clear error."""
    from zhizao.store.engines import EngineError, spark_conf

    local = spark_conf("local[2]", env="")
    assert local["spark.sql.shuffle.partitions"] == "8" and local["spark.driver.memory"] == "2g"
    cluster = spark_conf("spark://head:7077", env="")
    assert "spark.sql.shuffle.partitions" not in cluster and "spark.driver.memory" not in cluster
    assert cluster["spark.sql.session.timeZone"] == "UTC"
    op = spark_conf(
        "spark://head:7077",
        env="spark.executor.memory=8g, spark.sql.shuffle.partitions=400,spark.hadoop.fs.s3a.endpoint=http://oss:9000",
    )
    assert op["spark.executor.memory"] == "8g" and op["spark.sql.shuffle.partitions"] == "400"
    assert op["spark.hadoop.fs.s3a.endpoint"] == "http://oss:9000"
    with pytest.raises(EngineError, match="not spark.key=value"):
        spark_conf("local[2]", env="executor.memory=8g")
