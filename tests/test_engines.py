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


def test_a_local_master_gets_more_shuffle_partitions_for_a_larger_warehouse():
    """8 partitions while they hold at most 200,000 firms each (measured fastest at 100k), doubling beyond: 64 at
    10 million firms, where 8 ran out of the 2 GB heap (docs/scale.md, section 5)."""
    from zhizao.store.engines import local_shuffle_partitions

    sizes = {0: 8, 100_000: 8, 1_000_000: 8, 1_600_000: 8, 1_600_001: 16, 3_000_000: 16, 10_000_000: 64}
    assert {n: local_shuffle_partitions(n) for n in sizes} == sizes
    assert local_shuffle_partitions(50_000_000) == 256


def test_a_local_master_gets_a_larger_driver_for_a_larger_warehouse():
    """1 GB of driver heap per 2.5 million firms, never under 2 GB, never over half the machine: 2 GB evaluated 3
    million firms, and at 10 million ran out of memory in the ladder where 4 GB completed (docs/scale.md,
    section 5). The operator's setting still wins; a cluster master is not sized at all."""
    from zhizao.store.engines import local_driver_memory, spark_conf

    big = 64 * 2**30
    sizes = {0: "2g", 1_000_000: "2g", 3_000_000: "2g", 5_000_000: "2g", 5_000_001: "3g", 10_000_000: "4g"}
    assert {n: local_driver_memory(n, machine_bytes=big) for n in sizes} == sizes
    assert local_driver_memory(50_000_000, machine_bytes=big) == "20g"
    assert local_driver_memory(50_000_000, machine_bytes=24 * 2**30) == "12g"  # half of this machine
    assert local_driver_memory(50_000_000, machine_bytes=2 * 2**30) == "2g"  # never under 2 GB
    assert spark_conf("local[2]", env="", firms=10_000_000)["spark.driver.memory"] == local_driver_memory(10_000_000)
    assert spark_conf("local[2]", env="spark.driver.memory=8g", firms=10_000_000)["spark.driver.memory"] == "8g"
    assert "spark.driver.memory" not in spark_conf("spark://head:7077", env="", firms=10_000_000)


@pytest.mark.parametrize("operator", ["", "spark.sql.shuffle.partitions=3"])
def test_opening_a_warehouse_sizes_the_local_shuffle_unless_the_operator_did(spark_ctx, monkeypatch, operator):
    from zhizao.store import engines

    monkeypatch.setenv("ZHIZAO_SPARK_CONF", operator)
    session = spark_ctx.engine.backend._session
    session.conf.set("spark.sql.shuffle.partitions", "3")
    monkeypatch.setattr(engines, "local_shuffle_partitions", lambda firms: 5 if firms > 0 else 0)
    engines.size_shuffle(session, "local[2]", 1_000)
    assert session.conf.get("spark.sql.shuffle.partitions") == ("3" if operator else "5")
    engines.size_shuffle(session, "spark://head:7077", 1_000)  # a cluster's own settings decide
    assert session.conf.get("spark.sql.shuffle.partitions") == ("3" if operator else "5")
    session.conf.set("spark.sql.shuffle.partitions", "8")


def test_the_spark_engine_on_a_warehouse_file_sizes_its_shuffle_by_its_firms(demo, monkeypatch):
    """The DuckDB file exported to Parquet for Spark (a Parquet warehouse folder: tests/test_parquet_warehouse.py)."""
    from zhizao.store import engines

    seen = []
    monkeypatch.setattr(engines, "size_shuffle", lambda session, master, firms: seen.append(firms))
    con = db.open_warehouse(demo[0], read_only=True)
    firms = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    con.close()
    engines.open_engine(demo[0], "spark", master="local[2]").close()
    assert seen == [firms] and firms > 0


def test_spark_caches_are_released_and_a_released_table_still_gives_its_rows(spark_ctx):
    """After an instrument its cached tables leave Spark's memory (the next instrument needs it), and reading one
    again computes it again."""
    t = spark_ctx.engine.memtable(pa.table({"k": ["a", "b", "b"]}))
    cached = t.group_by("k").aggregate(n=t.count()).cache()
    session = spark_ctx.engine.backend._session
    assert session.catalog.isCached(cached.get_name())
    spark_ctx.engine.release_caches()
    assert not session.catalog.isCached(cached.get_name())
    assert sorted(spark_ctx.to_arrow(cached).to_pylist(), key=lambda r: r["k"]) == [
        {"k": "a", "n": 1},
        {"k": "b", "n": 2},
    ]


def test_evaluate_releases_the_engines_caches_after_every_instrument(demo, tmp_path, monkeypatch):
    import shutil

    from zhizao.analytics import evaluate_all
    from zhizao.store.engines import Engine

    path = tmp_path / "w.duckdb"
    shutil.copy(demo[0], path)
    calls = []
    monkeypatch.setattr(Engine, "release_caches", lambda self: calls.append(self.name))
    evaluate_all(path, 2023, instruments=["clusters", "mujun"])
    assert calls == ["duckdb", "duckdb"]


def test_a_failing_spark_job_is_one_clear_error_not_a_java_stack(spark_ctx):
    """A Spark action that fails (here: its view was dropped under it) raises an EngineError whose message is one
    line saying what failed; the Java/pyspark exception stays chained for debugging."""
    t = spark_ctx.engine.memtable(pa.table({"k": ["a", "b"]}))
    expr = t.filter(t.k == "a")
    spark_ctx.engine.backend._session.catalog.dropTempView(t.get_name())
    with pytest.raises(EngineError, match="the Spark job failed") as e:
        spark_ctx.to_arrow(expr)
    assert "\n" not in str(e.value) and e.value.__cause__ is not None
    assert type(e.value.__cause__).__module__.startswith("pyspark")


@pytest.mark.parametrize(
    "said",
    [
        "java.lang.OutOfMemoryError: Java heap space",  # the 10M run of session 5, writing tier_screening
        "org.apache.spark.memory.SparkOutOfMemoryError: [AGGREGATE_OUT_OF_MEMORY] No enough memory for aggregation",
    ],
)
def test_spark_out_of_memory_names_the_settings_that_give_it_room_and_other_errors_pass_through(said):
    from zhizao.store.engines import spark_failures

    Py4JJavaError = type("Py4JJavaError", (Exception,), {"__module__": "py4j.protocol"})
    with pytest.raises(EngineError, match="ran out of memory") as e:
        with spark_failures():
            raise Py4JJavaError(f"An error occurred while calling o1799.save.\n{said}\n\tat org.apache.spark.X")
    assert "spark.driver.memory" in str(e.value) and "ZHIZAO_SPARK_CONF" in str(e.value)
    assert said.split(": ", 1)[0].rsplit(".", 1)[-1] in str(e.value)  # what Spark said, not a guess
    with pytest.raises(ValueError):  # not Spark's: not ours to translate
        with spark_failures():
            raise ValueError("a bug")


def test_an_engine_failure_names_the_instrument_and_stores_nothing(demo, tmp_path, monkeypatch):
    import shutil

    from zhizao.analytics import evaluate_all, ladder

    path = tmp_path / "w.duckdb"
    shutil.copy(demo[0], path)

    def boom(ctx):
        raise EngineError("Spark ran out of memory")

    monkeypatch.setattr(ladder, "evaluate", boom)
    con = db.open_warehouse(path, read_only=True)
    before = con.execute("SELECT count(*) FROM run").fetchone()[0]
    con.close()
    with pytest.raises(EngineError, match="^ladder: Spark ran out of memory"):
        evaluate_all(path, 2023, "duckdb", instruments=["ladder"])
    con = db.open_warehouse(path, read_only=True)
    assert con.execute("SELECT count(*) FROM run").fetchone()[0] == before
    con.close()
