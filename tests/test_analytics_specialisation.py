"""Specialisation: location quotients, US Cluster Mapping strength flags, portfolios and shift-share.

Most tests run on a tiny warehouse whose figures are small enough to check by hand:

    output (yuan)      2021        2022        2023        firms
    渝中区 A  C3670      20          25          30           2   (T1-1 智能网联新能源汽车)
    渝中区 A  C3973      10          10          10           1   (T1-2 新一代电子信息制造业)
    万州区 B  C3670      20          20          20           1
    万州区 B  C3973      20          30          40           2
    city                70          85         100
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow.compute as pc
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import AnalyticsError, Context
from zhizao.analytics import specialisation as sp
from zhizao.cli import app
from zhizao.ingest.packload import init_warehouse

A, B = "500103", "500101"  # 渝中区 (中心城区), 万州区 (渝东北)
FIGURES = {  # (region, industry, firm): {year: output}
    (A, "C3670", 1): {2021: 10, 2022: 12.5, 2023: 15},
    (A, "C3670", 2): {2021: 10, 2022: 12.5, 2023: 15},
    (A, "C3973", 3): {2021: 10, 2022: 10, 2023: 10},
    (B, "C3670", 4): {2021: 20, 2022: 20, 2023: 20},
    (B, "C3973", 5): {2021: 10, 2022: 15, 2023: 20},
    (B, "C3973", 6): {2021: 10, 2022: 15, 2023: 20},
}


def build(path, figures):
    """A warehouse holding only `figures` {(region, industry, firm number): {year: output}}."""
    con, _ = init_warehouse(path)
    for (region, industry, n), years in figures.items():
        uscc = f"TINY{n:014d}"
        con.execute(
            "INSERT INTO enterprise (uscc, name, region_code, industry_code, synthetic) VALUES (?, ?, ?, ?, true)",
            [uscc, f"firm {n}", region, industry],
        )
        for y, v in years.items():
            con.execute("INSERT INTO enterprise_year (uscc, year, output_value) VALUES (?, ?, ?)", [uscc, y, v])
    con.close()
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build(tmp_path_factory.mktemp("tiny") / "tiny.duckdb", FIGURES)


@pytest.fixture(scope="module")
def tiny_ctx(tiny):
    ctx = Context.open(tiny, 2023)
    yield ctx
    ctx.close()


def rows(t, **match):
    out = [r for r in t.to_pylist() if all(r[k] == v for k, v in match.items())]
    return out


def one(t, **match):
    found = rows(t, **match)
    assert len(found) == 1, (match, found)
    return found[0]


# ------------------------------------------------------------------------------------------ LQ
def test_location_quotient_by_hand_on_a_two_by_two(tiny_ctx):
    t = sp.specialisation_table(tiny_ctx, 2023, "county", "industry")
    assert t.num_rows == 4
    # LQ = (x_ru / x_r) / (X_u / X): A has 40 of 100, C3670 50 of 100
    assert one(t, region_code=A, code="C3670")["lq"] == pytest.approx((30 / 40) / (50 / 100))  # 1.5
    assert one(t, region_code=A, code="C3973")["lq"] == pytest.approx((10 / 40) / (50 / 100))  # 0.5
    assert one(t, region_code=B, code="C3670")["lq"] == pytest.approx((20 / 60) / (50 / 100))  # 2/3
    assert one(t, region_code=B, code="C3973")["lq"] == pytest.approx((40 / 60) / (50 / 100))  # 4/3
    r = one(t, region_code=B, code="C3973")
    assert (r["value"], r["firms"], r["region_value"]) == (40.0, 2, 60.0)
    assert r["region_share"] == pytest.approx(40 / 60) and r["city_share"] == pytest.approx(40 / 50)
    assert r["name"] == "集成电路制造" and r["region_name"] == "万州区"


def test_cluster_lq_counts_the_cluster_industries_with_their_shares(tiny_ctx):
    t = sp.specialisation_table(tiny_ctx, 2023, "county", "cluster")
    # only T1-1 (C36..) and T1-2 (C397..) have output here; single-member clusters equal the industry
    assert sorted(set(t.column("code").to_pylist())) == ["T1-1", "T1-2"]
    assert one(t, region_code=A, code="T1-1")["lq"] == pytest.approx(1.5)
    assert one(t, region_code=B, code="T1-2")["lq"] == pytest.approx(4 / 3)


def test_group_level_counts_counties_in_their_group(tiny_ctx):
    t = sp.specialisation_table(tiny_ctx, 2023, "group", "industry")
    assert sorted(set(t.column("region_code").to_pylist())) == ["CQ-YDB", "CQ-ZXCQ"]
    assert one(t, region_code="CQ-ZXCQ", code="C3670")["lq"] == pytest.approx(1.5)


def test_growth_against_the_base_year(tiny_ctx):
    t = sp.specialisation_table(tiny_ctx, 2023, "county", "industry", base_year=2021)
    r = one(t, region_code=A, code="C3670")
    assert r["lq_base"] == pytest.approx((20 / 30) / (40 / 70))
    assert r["lq_change"] == pytest.approx(1.5 - (20 / 30) / (40 / 70))
    assert r["cagr"] == pytest.approx((30 / 20) ** 0.5 - 1)


def test_default_base_year_is_five_years_back_or_the_first_held():
    assert sp.default_base_year(2025, range(2019, 2026)) == 2020
    assert sp.default_base_year(2023, [2021, 2022, 2023]) == 2021
    assert sp.default_base_year(2021, [2021, 2022]) is None


def test_merged_districts_count_in_their_successor_on_todays_map_and_as_recorded_when_asked(demo):
    """One region-map rule (analytics/regionmap.py): today's map for every year by default, so 2024's 江北区 and
    渝北区 firms count in 两江新区 (CQ-LJXQ, since 2025-11); --map recorded keeps them where they were recorded."""
    ctx = Context.open(demo[0], 2025)
    try:
        r25 = set(ctx.to_arrow(sp.region_industry(ctx, 2025)).column("region_code").to_pylist())
        r24 = set(ctx.to_arrow(sp.region_industry(ctx, 2024)).column("region_code").to_pylist())
        ctx.options.update(region_map="recorded")
        rec = set(ctx.to_arrow(sp.region_industry(ctx, 2024)).column("region_code").to_pylist())
    finally:
        ctx.close()
    assert "CQ-LJXQ" in r25 and "500105" not in r25 and "500112" not in r25  # 江北, 渝北 → 两江新区
    assert "CQ-LJXQ" in r24 and "500105" not in r24
    assert "500105" in rec and "500112" in rec and "CQ-LJXQ" not in rec


# ------------------------------------------------------------------------------------------ CMP flags
def test_cluster_mapping_flags_on_a_small_set():
    # unit 0: five regions with output plus one without (left out of the quartiles and never flagged)
    lq = np.array([0.5, 0.8, 1.2, 1.6, 2.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    firms = np.array([1, 5, 6, 7, 8, 0, 1, 5, 6, 7, 8])
    x = np.array([10, 50, 60, 70, 80, 0, 10, 50, 60, 70, 80], float)
    unit = np.array([0] * 6 + [1] * 5)
    f = sp.strength_flags(unit, lq, firms, x)
    # unit 0: Q25/Q50/Q75 of LQ = 0.8/1.2/1.6; Q25 firms = 5, Q25 output = 50 (strictly above needed)
    assert f["strength"][:6].tolist() == ["none", "none", "qualifying", "strong", "strong", "none"]
    assert f["significant"][:6].tolist() == [False, False, False, True, True, False]
    # unit 1: top quartile (LQ ≥ 0.4) but below 1 → never strong; LQ > median 0.3 → significant
    assert not f["strong"][6:].any()
    assert f["strength"][6:].tolist() == ["none", "none", "qualifying", "significant", "significant"]


def test_strong_needs_more_firms_than_the_bottom_quartile(tiny_ctx):
    t = sp.specialisation_table(tiny_ctx, 2023, "county", "industry")
    # C3670: A has LQ 1.5 ≥ Q75 (1.29), 2 firms > Q25 (1.25), 30 > 22.5 → strong; B none
    assert one(t, region_code=A, code="C3670")["strength"] == "strong"
    assert one(t, region_code=B, code="C3670")["strength"] == "none"
    assert one(t, region_code=B, code="C3973")["strength"] == "strong"


def test_portfolio_share_in_strong_clusters(tiny_ctx):
    cl = sp.specialisation_table(tiny_ctx, 2023, "county", "cluster")
    p = sp.portfolio_table(tiny_ctx, cl, 2023, "county")
    a, b = one(p, region_code=A), one(p, region_code=B)
    assert a["strong_share"] == pytest.approx(30 / 40) and b["strong_share"] == pytest.approx(40 / 60)
    assert (a["strong_clusters"], a["significant_clusters"], a["qualifying_clusters"]) == (1, 1, 1)
    assert a["strong_list"].startswith("T1-1 智能网联新能源汽车 (LQ 1.50)")
    assert a["strong_list_en"].startswith("T1-1 Intelligent connected new-energy vehicles (LQ 1.50)")


def test_portfolio_counts_an_industry_in_overlapping_strong_clusters_once(demo):
    """In the demo T3-1 新型显示 sits inside T1-2; a region strong in both counts C3974 once."""
    ctx = Context.open(demo[0], 2023)
    try:
        cl = sp.specialisation_table(ctx, 2023, "county", "cluster")
        p = sp.portfolio_table(ctx, cl, 2023, "county")
    finally:
        ctx.close()
    s = p.column("strong_share").to_numpy(zero_copy_only=False)
    assert np.nanmax(s) <= 1.0 + 1e-12 and np.nanmin(s) >= 0
    assert pc.sum(p.column("strong_clusters")).as_py() == pc.sum(cl.column("strong").cast("int64")).as_py()


# ------------------------------------------------------------------------------------------ shift-share
def test_classic_shift_share_by_hand(tiny_ctx):
    t = sp.shift_share_table(tiny_ctx, 2021, 2023, "county")
    r = one(t, region_code=A, kind="industry", code="C3670", method="classic")
    assert r["city_growth"] == pytest.approx(20 * (100 / 70 - 1))  # 60/7
    assert r["industry_mix"] == pytest.approx(20 * (50 / 40 - 100 / 70))  # -25/7
    assert r["competitive"] == pytest.approx(30 - 20 * 50 / 40)  # 5
    assert r["change"] == 10.0
    assert r["city_growth"] + r["industry_mix"] + r["competitive"] == pytest.approx(r["change"])
    # the region's row is the sum of its industries: C3973 adds 30/7, 50/21 and -20/3 (no change)
    reg = one(t, region_code=A, kind="region", method="classic")
    assert reg["city_growth"] == pytest.approx(60 / 7 + 30 / 7)
    assert reg["industry_mix"] == pytest.approx(-25 / 7 + 50 / 21)
    assert reg["competitive"] == pytest.approx(5 - 20 / 3)
    # a cluster of one industry decomposes like that industry
    c = one(t, region_code=A, kind="cluster", code="T1-1", method="classic")
    assert c["competitive"] == pytest.approx(5)


def test_dynamic_shift_share_chains_the_years_by_hand(tiny_ctx):
    t = sp.shift_share_table(tiny_ctx, 2021, 2023, "county")
    r = one(t, region_code=A, kind="industry", code="C3670", method="dynamic")
    # 2021→22 on e=20 (city 70→85, C3670 40→45), 2022→23 on e=25 (city 85→100, C3670 45→50)
    assert r["city_growth"] == pytest.approx(20 * (85 / 70 - 1) + 25 * (100 / 85 - 1))
    assert r["industry_mix"] == pytest.approx(20 * (45 / 40 - 85 / 70) + 25 * (50 / 45 - 100 / 85))
    assert r["competitive"] == pytest.approx((25 - 20 * 45 / 40) + (30 - 25 * 50 / 45))
    assert r["city_growth"] + r["industry_mix"] + r["competitive"] == pytest.approx(10)


def test_shift_share_on_the_demo_equals_the_formula_written_in_sql(duckdb_ctx, demo_con):
    """涪陵区's classic shift-share 2020→2023 by industry, each part from plain SQL over the warehouse (not from the
    code under test): e_0, e_t the county's output in the industry, E_i0, E_it the city's in it, E_0, E_t the city's
    whole output; CG = e_0 (E_t/E_0 − 1), IM = e_0 (E_it/E_i0 − E_t/E_0), RS = e_t − e_0 E_it/E_i0 (e_0 = 0: RS = e_t).
    The dynamic rows telescope to the same change; over one year they equal the classic ones."""
    want = demo_con.execute(
        """
        WITH f AS (SELECT e.region_code AS r, e.industry_code AS i, y.year, coalesce(y.output_value, 0) AS x
                   FROM enterprise_year y JOIN enterprise e USING (uscc) WHERE y.year IN (2020, 2023)),
             city AS (SELECT sum(x) FILTER (WHERE year = 2020) AS c0, sum(x) FILTER (WHERE year = 2023) AS c1 FROM f),
             ind AS (SELECT i, sum(x) FILTER (WHERE year = 2020) AS u0, sum(x) FILTER (WHERE year = 2023) AS u1
                     FROM f GROUP BY i),
             own AS (SELECT i, coalesce(sum(x) FILTER (WHERE year = 2020), 0) AS e0,
                            coalesce(sum(x) FILTER (WHERE year = 2023), 0) AS e1
                     FROM f WHERE r = '500102' GROUP BY i)
        SELECT own.i, e0, e1,
               CASE WHEN e0 = 0 THEN 0 ELSE e0 * (c1 / c0 - 1) END,
               CASE WHEN e0 = 0 THEN 0 ELSE e0 * (u1 / u0 - c1 / c0) END,
               CASE WHEN e0 = 0 THEN e1 ELSE e1 - e0 * u1 / u0 END
        FROM own JOIN ind USING (i) CROSS JOIN city"""
    ).fetchall()
    assert len(want) > 10
    t = sp.shift_share_table(duckdb_ctx, 2020, 2023, "county")
    got = {
        r["code"]: r
        for r in t.to_pylist()
        if r["region_code"] == "500102" and r["kind"] == "industry" and r["method"] == "classic"
    }
    assert set(got) == {w[0] for w in want}
    for code, e0, e1, cg, im, rs in want:
        r = got[code]
        assert (r["value_base"], r["value"]) == (pytest.approx(e0), pytest.approx(e1)), code
        assert r["city_growth"] == pytest.approx(cg, abs=1e-3), code
        assert r["industry_mix"] == pytest.approx(im, abs=1e-3), code
        assert r["competitive"] == pytest.approx(rs, abs=1e-3), code
    dyn = {
        r["code"]: r
        for r in t.to_pylist()
        if r["region_code"] == "500102" and r["kind"] == "industry" and r["method"] == "dynamic"
    }
    for code, e0, e1, *_ in want:
        parts = dyn[code]["city_growth"] + dyn[code]["industry_mix"] + dyn[code]["competitive"]
        assert parts == pytest.approx(e1 - e0, abs=1e-3), code
    # over one year the dynamic decomposition is the classic one
    one_year = sp.shift_share_table(duckdb_ctx, 2022, 2023, "county")
    cl = one_year.filter(pc.equal(one_year.column("method"), "classic")).sort_by(
        [("region_code", "ascending"), ("kind", "ascending"), ("code", "ascending")]
    )
    dy = one_year.filter(pc.equal(one_year.column("method"), "dynamic")).sort_by(
        [("region_code", "ascending"), ("kind", "ascending"), ("code", "ascending")]
    )
    np.testing.assert_allclose(
        cl.column("competitive").to_numpy(), dy.column("competitive").to_numpy(), rtol=1e-9, atol=1e-3
    )


def test_an_entrant_industry_is_all_competitiveness(tmp_path):
    """B enters C3973 in 2023 (the industry is new to the city too): E_i0 = 0, so CG = IM = 0, RS = e_it."""
    path = build(tmp_path / "entrant.duckdb", {(A, "C3670", 1): {2022: 10, 2023: 10}, (B, "C3973", 2): {2023: 5}})
    ctx = Context.open(path, 2023)
    try:
        t = sp.shift_share_table(ctx, 2022, 2023, "county")
    finally:
        ctx.close()
    for method in ("classic", "dynamic"):
        new = one(t, region_code=B, kind="industry", code="C3973", method=method)
        assert (new["city_growth"], new["industry_mix"], new["competitive"]) == (0.0, 0.0, 5.0)
        old = one(t, region_code=A, kind="industry", code="C3670", method=method)
        # city 10 → 15: CG = 10 × 0.5 = 5; C3670 stays 10: IM = 10 × (1 − 1.5) = −5; RS = 10 − 10 × 1 = 0
        assert (old["city_growth"], old["industry_mix"], old["competitive"]) == pytest.approx((5.0, -5.0, 0.0))


# ------------------------------------------------------------------------------------------ evaluate
def test_evaluate_returns_every_table_at_both_levels(tiny_ctx):
    out = sp.evaluate(tiny_ctx)
    assert set(out) == {"specialisation", "cluster_strength", "cluster_portfolio", "shift_share"}
    assert set(out["specialisation"].column("level").to_pylist()) == {"county", "group"}
    assert set(out["shift_share"].column("method").to_pylist()) == {"classic", "dynamic"}
    assert "strong region×cluster" in sp.summarise(out)


def test_evaluate_on_the_first_year_has_no_shift_share(tiny):
    ctx = Context.open(tiny, 2021)
    try:
        out = sp.evaluate(ctx)
    finally:
        ctx.close()
    assert out["shift_share"].num_rows == 0 and out["specialisation"].num_rows == 8
    assert "no shift-share" in sp.summarise(out)


def test_bad_options_are_analytics_errors(tiny):
    ctx = Context.open(tiny, 2022, base_year=2023)
    with pytest.raises(AnalyticsError, match="must come before"):
        sp.evaluate(ctx)
    ctx.options.update(base_year=2015)
    with pytest.raises(AnalyticsError, match="no figures for base year 2015"):
        sp.evaluate(ctx)
    ctx.options.update(base_year=None, measure="profit_margin")
    with pytest.raises(AnalyticsError, match="unknown measure"):
        sp.evaluate(ctx)
    ctx.close()
    with pytest.raises(AnalyticsError, match="unknown region"):
        sp.resolve_region(ctx.pack, "Atlantis", "county", sp.map_day(ctx))
    with pytest.raises(AnalyticsError, match="not a county-level unit"):
        sp.resolve_region(ctx.pack, "渝东北三峡库区城镇群", "county", sp.map_day(ctx))


@pytest.mark.slow
def test_duckdb_and_spark_build_the_same_tables(duckdb_ctx, spark_ctx):
    # the matrix and LQs (the engine's part; flags and growth are NumPy on its rows)
    a = duckdb_ctx.to_arrow(
        sp.location_quotients(sp.unit_matrix(duckdb_ctx, 2023, "group", "cluster", sp.map_day(duckdb_ctx)))
    )
    b = spark_ctx.to_arrow(
        sp.location_quotients(sp.unit_matrix(spark_ctx, 2023, "group", "cluster", sp.map_day(spark_ctx)))
    )
    assert a.num_rows > 20
    assert_same_rows(a, b, keys=["region_code", "code"])
    # classic and dynamic shift-share, industry by industry
    a = duckdb_ctx.to_arrow(sp.shift_share_expr(duckdb_ctx, 2021, 2023, "county", "industry"))
    b = spark_ctx.to_arrow(sp.shift_share_expr(spark_ctx, 2021, 2023, "county", "industry"))
    assert a.num_rows > 500
    assert_same_rows(a, b, keys=["region_code", "code"], rel=1e-7)


# ------------------------------------------------------------------------------------------ CLI
def test_specialisation_command_json(tiny):
    r = CliRunner().invoke(app, ["specialisation", "--db", str(tiny), "--by", "industry", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) == {"specialisation", "portfolio", "shift_share"}
    lq = {(x["region_code"], x["code"]): x["lq"] for x in data["specialisation"]}
    assert lq[(A, "C3670")] == pytest.approx(1.5) and lq[(B, "C3973")] == pytest.approx(4 / 3)
    assert {x["kind"] for x in data["shift_share"]} == {"region"}


def test_specialisation_command_for_one_region_by_name(tiny):
    r = CliRunner().invoke(
        app, ["specialisation", "--db", str(tiny), "--region", "万州区", "--base-year", "2022", "--json"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {x["region_code"] for x in data["specialisation"]} == {B}
    assert {x["base_year"] for x in data["shift_share"]} == {2022}
    assert {x["kind"] for x in data["shift_share"]} == {"region", "cluster"}
    r = CliRunner().invoke(app, ["specialisation", "--db", str(tiny), "--region", "万州区", "--level", "group"])
    assert r.exit_code == 0 and "渝东北" in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "1999"], "no figures for 1999"),
        (["--region", "Atlantis"], "unknown region"),
        (["--region", "涪陵区"], "no figures for 涪陵区"),
        (["--level", "street"], "unknown level"),
        (["--by", "sector"], "unknown unit"),
        (["--base-year", "2023"], "must come before"),
        (["--measure", "profit_margin"], "unknown measure"),
    ],
)
def test_specialisation_command_bad_input(tiny, args, message):
    r = CliRunner().invoke(app, ["specialisation", "--db", str(tiny), *args])
    assert r.exit_code == 2, r.output
    assert message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_specialisation_command_on_an_empty_warehouse(empty_warehouse):
    r = CliRunner().invoke(app, ["specialisation", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())
