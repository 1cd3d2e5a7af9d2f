"""The warehouse file: created by `zhizao init`, migrated in order, holding the pack as tables."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.ingest.packload import init_warehouse
from zhizao.store import db


def test_init_creates_a_current_warehouse_and_is_idempotent(tmp_path):
    path = tmp_path / "w.duckdb"
    con, first = init_warehouse(path)
    assert db.schema_version(con) == db.latest_version()
    con.close()
    con, second = init_warehouse(path)
    assert second["migrations"] == []  # nothing left to apply
    assert second["counts"] == first["counts"]
    con.close()


def test_reloading_the_pack_keeps_extracted_and_imported_rows(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse))
    con.execute("INSERT INTO source (id, title, origin) VALUES ('n1', 'an article', 'news')")
    con.execute("""INSERT INTO fact (id, entity, entity_type, metric, value, unit, kind, source_id, origin)
                   VALUES ('news:1', '江北区', 'district', 'industrial_output', 1, 'yuan', 'actual', 'n1', 'news')""")
    con.close()
    con, _ = init_warehouse(empty_warehouse)
    assert con.execute("SELECT count(*) FROM fact WHERE origin = 'news'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM fact WHERE origin = 'pack'").fetchone()[0] > 100
    con.close()


def test_regions_over_time(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)

    def counties(day):
        return con.execute(
            """SELECT count(*) FROM region WHERE level = 'county'
                              AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR ? < valid_to)""",
            [day, day],
        ).fetchone()[0]

    assert counties(dt.date(2025, 1, 1)) == 38
    assert counties(dt.date(2026, 1, 1)) == 37  # 江北, 渝北 gone; 两江新区 district added
    row = con.execute("SELECT region_group, subgroup FROM region WHERE code = '500116'").fetchone()
    assert row == ("CQ-ZCXQ", "CQ-YX")  # 江津: 主城新区, 渝西
    assert con.execute("SELECT code FROM region_alias WHERE alias = '江北'").fetchall() == [("500105",)]
    chain = con.execute("SELECT ancestor_code FROM region_ancestor WHERE code = '500102' ORDER BY depth").fetchall()
    assert [c for (c,) in chain] == ["500102", "CQ-DB", "CQ-ZCXQ", "CQ-ZCDSQ", "500000"]
    con.close()


def test_cluster_industries_are_leaves_and_never_count_twice_within_a_tier(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    non_leaf = con.execute("""SELECT count(*) FROM cluster_industry ci
                              WHERE EXISTS (SELECT 1 FROM industry i
                                            WHERE i.parent_code = ci.industry_code)""").fetchone()
    assert non_leaf == (0,)
    worst = con.execute("""SELECT max(s) FROM (SELECT c.system_id, c.tier, ci.industry_code, sum(ci.share) s
                           FROM cluster_industry ci JOIN cluster c ON c.id = ci.cluster_id GROUP BY ALL)""").fetchone()[
        0
    ]
    assert worst <= 1 + 1e-9
    con.close()


def test_a_missing_file_or_a_foreign_file_is_a_clear_error(tmp_path):
    with pytest.raises(db.WarehouseError, match="no warehouse at"):
        db.open_warehouse(tmp_path / "nothing.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(db.WarehouseError):
        db.open_warehouse(junk)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(db.WarehouseError, match="not an initialised zhizao warehouse"):
        db.open_warehouse(empty)


def test_transactions_are_all_or_nothing(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse))
    with pytest.raises(RuntimeError):
        with db.transaction(con):
            con.execute("INSERT INTO meta VALUES ('x', '1')")
            raise RuntimeError("stop")
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'x'").fetchone()[0] == 0
    con.close()


def test_init_command(tmp_path):
    r = CliRunner().invoke(app, ["init", "--db", str(tmp_path / "w.duckdb")])
    assert r.exit_code == 0, r.output
    assert "region" in r.output and "cluster_industry" in r.output
    r = CliRunner().invoke(app, ["init", "--db", str(tmp_path / "w2.duckdb"), "--pack", str(tmp_path / "nopack")])
    assert r.exit_code != 0 and "no such policy pack" in " ".join(r.output.split())
