"""A warehouse as a folder of Parquet files (zhizao demo --format parquet --out DIR): the same tables as the
DuckDB demo, firm-years in one folder per year, no secrets, private file modes — and `zhizao evaluate
--warehouse DIR` on DuckDB and on Spark stores the results the DuckDB warehouse file gets.

The 10,000,000-firm build and the growth curve are measured by benchmarks/evaluate_bench.py --curve and reported
in docs/scale.md, not here.
"""

from __future__ import annotations

import json
import shutil
import stat

import duckdb
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import evaluate_all
from zhizao.cli import app
from zhizao.ingest.synth.build import build_demo
from zhizao.store import parquet, results

INSTRUMENTS = ["clusters", "ladder"]  # the ladder's large tables are spilled by the engine (Context.result)
KEYS = {
    "cluster_figures": ["region_map", "year", "region_code", "unit_id", "scope", "system_id"],
    "cluster_honours": ["region_map", "year", "region_code", "unit_id", "scope", "system_id", "kind"],
    "tier_screening": ["uscc", "tier", "criterion"],
    "ladder_firm": ["uscc", "tier"],
}


@pytest.fixture(scope="module")
def folder(demo, tmp_path_factory):
    """The conftest demo (1,500 firms, seed 7) built again as a Parquet warehouse."""
    out = tmp_path_factory.mktemp("pq") / "demo"
    build_demo(out, enterprises=1500, seed=7, fmt="parquet")
    return out


def test_the_parquet_demo_holds_the_same_tables_as_the_duckdb_demo(folder, demo):
    con = duckdb.connect()
    con.execute(f"ATTACH '{demo[0]}' AS w (READ_ONLY)")
    parquet.duckdb_views(con, folder)
    doc = parquet.read_manifest(folder)
    assert {"enterprise", "enterprise_year", "honour", "supply_link", "region", "chain_node"} <= set(doc["tables"])
    for t in doc["tables"]:
        names_types = lambda q: [r[:2] for r in con.execute(f"DESCRIBE {q}").fetchall()]
        same_columns = names_types(f"main.{t}") == names_types(f"w.{t}")
        assert same_columns, t
        for a, b in ((f"main.{t}", f"w.{t}"), (f"w.{t}", f"main.{t}")):
            assert con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchone()[0] == 0, t
    assert con.execute("SELECT count(*) FROM main.enterprise").fetchone()[0] == 1500


def test_firm_years_are_partitioned_by_year_and_files_are_private(folder):
    years = sorted(p.name for p in (folder / "enterprise_year").iterdir())
    assert years == [f"year={y}" for y in range(2019, 2026)]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for p in folder.rglob("*"):
        assert stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600), p


def test_no_secrets_or_accounts_leave_the_warehouse(folder):
    names = {p.name.split(".")[0] for p in folder.iterdir()}
    assert not names & {"meta", "app_user", "audit", "import_batch", "run", "session"}
    doc = json.loads((folder / parquet.MANIFEST).read_text())
    assert set(doc["meta"]) <= set(parquet.SAFE_META) and doc["meta"]["synthetic"] == "true"
    with pytest.raises(parquet.WarehouseError, match="never exported"):
        parquet.export_tables(duckdb.connect(), folder / "x", ["app_user"])


@pytest.fixture(scope="module")
def duckdb_results(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("dbres") / "w.duckdb"
    shutil.copy(demo[0], path)
    evaluate_all(path, 2023, instruments=INSTRUMENTS)
    con = duckdb.connect(str(path), read_only=True)
    out = {t: results.latest(con, t, 2023) for t in KEYS}
    con.close()
    return out


def _evaluated_copy(folder, tmp_path, engine):
    here = tmp_path / "w"
    shutil.copytree(folder, here)
    s = evaluate_all(here, 2023, engine, master="local[2]" if engine == "spark" else None, instruments=INSTRUMENTS)
    return here, s


def test_evaluate_on_a_parquet_warehouse_with_duckdb_stores_what_the_warehouse_file_gets(
    folder, tmp_path, duckdb_results
):
    here, s = _evaluated_copy(folder, tmp_path, "duckdb")
    runs = parquet.ParquetRuns(here)
    assert runs.latest_run("tier_screening", 2023) == s.run_id
    assert not list((here / "results").glob(".spill-*"))  # the engine's spill folder is gone
    for t, keys in KEYS.items():
        assert_same_rows(runs.latest(t, 2023), duckdb_results[t], keys)


def test_evaluate_on_a_parquet_warehouse_with_spark_stores_what_duckdb_computes(folder, tmp_path, duckdb_results):
    here, s = _evaluated_copy(folder, tmp_path, "spark")
    runs = parquet.ParquetRuns(here)
    assert (here / "results" / s.run_id / "tier_screening").is_dir()  # Spark's part files, moved in
    for t, keys in KEYS.items():
        assert_same_rows(runs.latest(t, 2023), duckdb_results[t], keys)


def test_the_command_line(folder, tmp_path):
    r = CliRunner().invoke(app, ["demo", "--format", "parquet", "--enterprises", "100"])
    assert r.exit_code != 0 and "--out DIR" in r.output
    r = CliRunner().invoke(app, ["demo", "--format", "csv", "--out", str(tmp_path / "x")])
    assert r.exit_code != 0 and "unknown --format" in r.output
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    r = CliRunner().invoke(app, ["demo", "--format", "parquet", "--out", str(tmp_path / "mine"), "--enterprises", "60"])
    assert r.exit_code != 0 and "not a zhizao Parquet warehouse" in " ".join(r.output.split())
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    r = CliRunner().invoke(app, ["evaluate", "--warehouse", str(tmp_path / "mine")])
    assert r.exit_code == 2 and "not a zhizao Parquet warehouse" in " ".join(r.output.split())
    assert "Traceback" not in r.output
    for uri in ("s3a://bucket/cq", "oss://bucket/cq", "hdfs://head:8020/zhizao/cq"):
        r = CliRunner().invoke(app, ["evaluate", "--engine", "spark", "--warehouse", uri])
        assert r.exit_code == 2 and "URIs are not supported" in " ".join(r.output.split()), uri
        assert "Traceback" not in r.output


def test_spark_on_a_parquet_folder_sizes_its_shuffle_by_the_firms_in_it(folder, monkeypatch):
    """The firm count comes from the Parquet footers (no Spark job): the 1,500 firms of the folder."""
    from zhizao.store import engines

    seen = []
    monkeypatch.setattr(engines, "size_shuffle", lambda session, master, firms: seen.append(firms))
    engines.open_engine(folder, "spark", master="local[2]").close()
    assert seen == [1500]
