"""Clusters: every formula of analytics/measures.py and analytics/clusters.py by hand on a tiny warehouse, the
demo's totals, DuckDB = Spark, and the `zhizao clusters` command.

The tiny warehouse (all memtables, run on an in-memory DuckDB):

    R city ─ G group ─┬─ A county (merged into C from 2020-01-01: current map A → C)
                      ├─ B county
                      └─ C county (A's successor)
    F functional area (parent R): wholly covers C; park P1 (in B) lies in F; park P2 (in A) in none.

    industries C3670, C3990 (section C), I6510 (section I)
    city system S (region R):   K1 (T1) = C3670 × 1 + C3990 × 0.5;  K2 (T1) = C3990 × 0.5;  K3 (T2) = C3670 × 1
    district system D (region A): D1 (tier L) has no industries of its own and maps to K1 and K2
                                  → C3670 × min(1, 1) = 1, C3990 × min(1, 0.5 + 0.5) = 1

    firm  region park  industry  output 2022  output 2023  revenue 2023
    f1    A      —     C3670     100          120          1e10
    f2    A      P2    C3990      50           60          10
    f3    B      P1    C3990      —            40          10
    f4    B      —     I6510      10           10          10
    f5    A      —     C3670       —            7           0.5    below scale: counts only in the *_all figures

    Size rules (TINY_SCALE): sections C are above scale at revenue ≥ 1 (every firm but f5); section I has no
    size rule, so f4 counts whole in the 规上 figures; above_scale_firms counts f1, f2, f3 only.
"""

from __future__ import annotations

import json
import math

import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import clusters as cl
from zhizao.analytics import measures as ms
from zhizao.cli import app
from zhizao.reference.models import ScaleFile

CON = ibis.duckdb.connect()
TINY_SCALE = ScaleFile.model_validate(
    {
        "above_scale": {
            "name_zh": "规上",
            "name_en": "above scale",
            "sections": ["C"],
            "status": "unverified",
            "thresholds": [{"from_year": 2000, "revenue_yuan": 1, "rule_zh": "1元"}],
        },
        "sme": {"name_zh": "中小", "name_en": "SME", "standard": "-", "status": "unverified", "limits": []},
    }
)


def run(expr) -> list[dict]:
    return CON.to_pyarrow(expr).to_pylist()


def mt(rows: list[dict], schema: dict | None = None):
    return ibis.memtable(pa.Table.from_pylist(rows, schema=pa.schema(schema) if schema else None))


@pytest.fixture(scope="module")
def tiny():
    T = {}
    T["enterprise"] = mt(
        [
            dict(uscc="f1", region_code="A", park_id=None, industry_code="C3670"),
            dict(uscc="f2", region_code="A", park_id="P2", industry_code="C3990"),
            dict(uscc="f3", region_code="B", park_id="P1", industry_code="C3990"),
            dict(uscc="f4", region_code="B", park_id=None, industry_code="I6510"),
            dict(uscc="f5", region_code="A", park_id=None, industry_code="C3670"),
        ],
        {"uscc": pa.string(), "region_code": pa.string(), "park_id": pa.string(), "industry_code": pa.string()},
    )
    ey = []
    for u, y, out, rev in [
        ("f1", 2022, 100.0, 5.0),
        ("f1", 2023, 120.0, 1e10),
        ("f2", 2022, 50.0, 5.0),
        ("f2", 2023, 60.0, 10.0),
        ("f3", 2023, 40.0, 10.0),
        ("f4", 2022, 10.0, 10.0),
        ("f4", 2023, 10.0, 10.0),
        ("f5", 2023, 7.0, 0.5),
    ]:
        ey.append(
            dict(
                uscc=u,
                year=y,
                output_value=out,
                value_added=out / 4,
                revenue=rev,
                tax=1.0,
                fixed_investment=2.0,
                tech_renovation_investment=1.0,
            )
        )
    T["enterprise_year"] = mt(ey)
    T["park"] = mt(
        [dict(id="P1", functional_area_code="F"), dict(id="P2", functional_area_code=None)],
        {"id": pa.string(), "functional_area_code": pa.string()},
    )
    anc = [
        ("A", "A", 0),
        ("A", "G", 1),
        ("A", "R", 2),
        ("B", "B", 0),
        ("B", "G", 1),
        ("B", "R", 2),
        ("C", "C", 0),
        ("C", "G", 1),
        ("C", "R", 2),
        ("G", "G", 0),
        ("G", "R", 1),
        ("R", "R", 0),
        ("F", "F", 0),
        ("F", "R", 1),
    ]
    T["region_ancestor"] = mt([dict(code=a, ancestor_code=b, depth=d) for a, b, d in anc])
    T["region_overlap"] = mt(
        [dict(area_code="F", region_code="C", part="whole"), dict(area_code="F", region_code="A", part="partial")]
    )
    T["region_map"] = mt([dict(code=c, current_code={"A": "C"}.get(c, c)) for c in "ABCGRF"])
    T["region"] = mt(
        [
            dict(code=c, name_zh=c, level=lv)
            for c, lv in [
                ("R", "province"),
                ("G", "group"),
                ("A", "county"),
                ("B", "county"),
                ("C", "county"),
                ("F", "functional_area"),
            ]
        ]
    )
    T["cluster"] = mt(
        [
            dict(id=i, system_id=s, name_zh=i, tier=t, tier_rank=r)
            for i, s, t, r in [("K1", "S", "T1", 1), ("K2", "S", "T1", 1), ("K3", "S", "T2", 2), ("D1", "D", "L", 1)]
        ]
    )
    T["cluster_system"] = mt([dict(id="S", region_code="R"), dict(id="D", region_code="A")])
    T["cluster_tier"] = mt(
        [dict(system_id=s, key=k, rank=r, name_zh=k) for s, k, r in [("S", "T1", 1), ("S", "T2", 2), ("D", "L", 1)]]
    )
    T["cluster_industry"] = mt(
        [
            dict(cluster_id=c, industry_code=i, share=s)
            for c, i, s in [("K1", "C3670", 1.0), ("K1", "C3990", 0.5), ("K2", "C3990", 0.5), ("K3", "C3670", 1.0)]
        ]
    )
    T["cluster_map"] = mt([dict(cluster_id="D1", maps_to="K1"), dict(cluster_id="D1", maps_to="K2")])
    T["industry"] = mt([dict(code=c, section=c[0]) for c in ("C3670", "C3990", "I6510")])
    T["honour"] = mt(
        [
            dict(uscc="f1", kind="smart_factory", level="municipal", year=2021),
            dict(uscc="f1", kind="smart_factory", level="national", year=2023),
            dict(uscc="f2", kind="smart_factory", level="municipal", year=2023),
            dict(uscc="f3", kind="digital_workshop", level="municipal", year=2022),
        ]
    )
    return T


def figures_for(T, mode, years=(2023,)):
    need = sorted(set(years) | {y - 1 for y in years})
    cells = ms.cells(
        T["enterprise"],
        T["enterprise_year"],
        T["park"],
        need,
        thresholds=[1e10],
        industry=T["industry"],
        pack=TINY_SCALE,
    )
    keys = cells.select(*ms.KEYS).distinct()
    members = ms.memberships(keys, T["region_ancestor"], T["region_overlap"], T["region_map"], mode)
    sysm = (
        members
        if mode == "recorded"
        else ms.memberships(keys, T["region_ancestor"], T["region_overlap"], T["region_map"], "both")
    )
    units = ms.union_all(
        ms.cluster_units(T["cluster"], T["cluster_system"], T["cluster_industry"], T["cluster_map"]),
        ms.section_unit(T["industry"], ["C"], "sections:C", "R"),
    )
    sums = ms.union_all(ms.unit_sums(cells, units, members, sysm), ms.unit_sums(cells, None, members, sysm))
    sums = ibis.memtable(CON.to_pyarrow(sums))
    labels = ms.unit_labels(
        T["cluster"], T["cluster_system"], T["cluster_tier"], {"sections:C": "sections", "*": "all"}
    )
    rows = run(cl.figures(sums, labels, T["region"], years, "R"))
    return {(r["region_code"], r["unit_id"]): r for r in rows}


# ------------------------------------------------------------------------------------------------ measures.py
def test_cells_sum_figures_count_firms_and_size_classes(tiny):
    rows = run(
        ms.cells(
            tiny["enterprise"],
            tiny["enterprise_year"],
            tiny["park"],
            [2023],
            thresholds=[1e10],
            industry=tiny["industry"],
            pack=TINY_SCALE,
        )
    )
    by = {(r["region_code"], r["park_id"], r["area_code"], r["industry_code"]): r for r in rows}
    assert set(by) == {
        ("A", "", "", "C3670"),
        ("A", "P2", "", "C3990"),
        ("B", "P1", "F", "C3990"),
        ("B", "", "", "I6510"),
    }
    a = by[("A", "", "", "C3670")]
    # f1 is above scale, f5 (revenue 0.5 < 1) is not: the 规上 figure is f1's, the all-firm figure both firms'
    assert (a["output_value"], a["firms"], a["above_scale_firms"]) == (120, 1, 1)
    assert (a["output_value_all"], a["firms_all"]) == (127, 2)
    i = by[("B", "", "", "I6510")]  # no size rule for section I: counted whole, but not an above-scale firm
    assert (i["output_value"], i["firms"], i["above_scale_firms"], i["firms_all"]) == (10, 1, 0, 1)
    assert by[("A", "", "", "C3670")][ms.threshold_column(1e10)] == 1  # revenue 1e10 ≥ 1e10
    assert by[("A", "P2", "", "C3990")][ms.threshold_column(1e10)] == 0
    assert all(r["year"] == 2023 for r in rows)
    no_parks = run(
        ms.cells(
            tiny["enterprise"],
            tiny["enterprise_year"],
            tiny["park"],
            [2023],
            parks=False,
            industry=tiny["industry"],
            pack=TINY_SCALE,
        )
    )
    assert {r["park_id"] for r in no_parks} == {""} and {r["area_code"] for r in no_parks} == {"", "F"}


def test_memberships_follow_the_map_areas_and_parks(tiny):
    keys = mt([dict(region_code="A", park_id="", area_code=""), dict(region_code="B", park_id="P1", area_code="F")])
    args = (tiny["region_ancestor"], tiny["region_overlap"], tiny["region_map"])

    def members(mode, parks=False):
        out = {}
        for r in run(ms.memberships(keys, *args, mode, parks=parks)):
            out.setdefault(r["region_code"], set()).add(r["member_code"])
        return out

    # recorded: A's own chain; F only partially covers A, so A's firms are not F's
    assert members("recorded") == {"A": {"A", "G", "R"}, "B": {"B", "G", "R", "F"}}
    # current: A rolls into C, which F covers wholly
    assert members("current") == {"A": {"C", "G", "R", "F"}, "B": {"B", "G", "R", "F"}}
    assert members("both")["A"] == {"A", "C", "G", "R", "F"}
    assert members("recorded", parks=True)["B"] == {"B", "G", "R", "F", "P1"}


def test_units_cluster_shares_tier_sums_and_inherited_district_clusters(tiny):
    rows = run(ms.cluster_units(tiny["cluster"], tiny["cluster_system"], tiny["cluster_industry"], tiny["cluster_map"]))
    s = {(r["unit_id"], r["industry_code"]): (r["share"], r["system_region"]) for r in rows}
    assert s[("K1", "C3990")] == (0.5, "R") and s[("K2", "C3990")] == (0.5, "R")
    assert s[("S/T1", "C3990")] == (1.0, "R") and s[("S/T1", "C3670")] == (1.0, "R")  # Σ within the tier
    assert s[("S/T2", "C3670")] == (1.0, "R")
    # D1 maps to K1 and K2: min(1, 1 + 0) and min(1, 0.5 + 0.5), counted in district A only
    assert s[("D1", "C3670")] == (1.0, "A") and s[("D1", "C3990")] == (1.0, "A")
    assert ("K1", "I6510") not in s


# ------------------------------------------------------------------------------------------------ clusters.py
def test_cluster_figures_by_hand_recorded_map(tiny):
    f = figures_for(tiny, "recorded")
    # A: f1 (C3670, 120) and f2 (C3990, 60; half to K1, half to K2)
    assert f[("A", "K1")]["output_value"] == 120 + 0.5 * 60 == 150
    assert f[("A", "K2")]["output_value"] == 30
    assert f[("A", "S/T1")]["output_value"] == 180  # tier total: f2 counted once, not 0.5 + 0.5 twice over
    assert f[("A", "K3")]["output_value"] == 120
    assert f[("A", "*")]["output_value"] == 180
    # firms: whole firms with share > 0 (f2 is in K1 and in K2), weighted by share
    assert f[("A", "K1")]["firms"] == 2 and f[("A", "K1")]["firms_weighted"] == 1.5
    assert f[("A", "K2")]["firms"] == 1 and f[("A", "K2")]["firms_weighted"] == 0.5
    assert f[("A", "S/T1")]["firms"] == 2 and f[("A", "S/T1")]["firms_weighted"] == 2
    # growth: K1 in A was 100 + 0.5 × 50 = 125 in 2022
    assert f[("A", "K1")]["output_value_prev"] == 125
    assert math.isclose(f[("A", "K1")]["output_value_growth"], 150 / 125 - 1)
    assert math.isclose(f[("A", "K1")]["firms_growth"], 0.0)
    # shares: of the city's K1 (A 150 + B 20) and of everything A's firms produce
    assert f[("R", "K1")]["output_value"] == 170
    assert math.isclose(f[("A", "K1")]["output_value_share_of_city"], 150 / 170)
    assert math.isclose(f[("A", "K1")]["output_value_share_of_region"], 150 / 180)
    assert math.isclose(f[("B", "*")]["output_value_share_of_city"], 50 / 230)
    assert math.isclose(f[("A", "K1")]["firms_share_of_city"], 2 / 3)
    # B: f3 is new in 2023, so B's K2 has no previous figure and no growth
    assert f[("B", "K2")]["output_value"] == 20 and f[("B", "K2")]["output_value_growth"] is None
    # the group sums its counties; the area F gets P1's firm f3 only (F covers A only partly)
    assert f[("G", "K1")]["output_value"] == 170
    assert f[("F", "K1")]["output_value"] == 20
    # section units: manufacturing = C3670 + C3990
    assert f[("A", "sections:C")]["output_value"] == 180 and f[("B", "sections:C")]["output_value"] == 40
    # the all-firm figures keep the below-scale f5 (7 in C3670 → K1, K3): 规上企业数 counts f1, f2 only
    assert f[("A", "K1")]["output_value_all"] == 157 and f[("A", "K1")]["firms_all"] == 3
    assert f[("A", "sections:C")]["output_value_all"] == 187 and f[("A", "sections:C")]["above_scale_firms"] == 2
    assert f[("B", "*")]["firms"] == 2 and f[("B", "*")]["above_scale_firms"] == 1  # f4 (I) has no size rule
    # the district system's cluster counts only firms of its district A
    assert f[("A", "D1")]["output_value"] == 180 and f[("R", "D1")]["output_value"] == 180
    assert ("B", "D1") not in f
    # labels
    assert f[("A", "S/T1")]["scope"] == "tier" and f[("A", "S/T1")]["cluster_id"] is None
    assert f[("A", "K1")]["scope"] == "cluster" and f[("A", "*")]["scope"] == "all"


def test_cluster_figures_current_map_rolls_a_merged_county_into_its_successor(tiny):
    f = figures_for(tiny, "current")
    assert not any(k[0] == "A" for k in f)  # A no longer exists on today's map
    assert f[("C", "K1")]["output_value"] == 150  # A's firms count to C ...
    assert f[("F", "K1")]["output_value"] == 170  # ... and to F, which covers C wholly (+ f3 via its park)
    assert f[("R", "K1")]["output_value"] == 170  # the city is the same on every map
    assert f[("C", "D1")]["output_value"] == 180  # A's own system still counts A's firms, shown in C


def test_honours_held_and_new(tiny):
    from zhizao.analytics.honours import HonourCount

    counts = [HonourCount("smart_factory"), HonourCount("digital_workshop")]  # every level, no expiry
    h = ms.honour_cells(tiny["enterprise"], tiny["honour"], tiny["park"], [2022, 2023], counts=counts)
    units = ms.cluster_units(tiny["cluster"], tiny["cluster_system"], tiny["cluster_industry"], tiny["cluster_map"])
    keys = h.select(*ms.KEYS).distinct()
    members = ms.memberships(keys, tiny["region_ancestor"], tiny["region_overlap"], tiny["region_map"], "recorded")
    hs = ibis.memtable(
        CON.to_pyarrow(
            ms.union_all(ms.honour_sums(h, units, members, members), ms.honour_sums(h, None, members, members))
        )
    )
    labels = ms.unit_labels(tiny["cluster"], tiny["cluster_system"], tiny["cluster_tier"], {"*": "all"})
    rows = {
        (r["region_code"], r["unit_id"], r["kind"]): r
        for r in run(cl.honour_figures(hs, labels, tiny["region"], [2023], "R"))
    }
    sf = rows[("A", "*", "smart_factory")]
    # f1 first recognised 2021 (again 2023 at national level), f2 in 2023: 2 held at the end of 2023, 1 a year before;
    # new in 2023 = firms first recognised that year = 1 (f2; f1's national recognition of 2023 is a second level
    # of an honour it already held, not a new firm: analytics/honours.py)
    assert (sf["held"], sf["held_prev"], sf["new"], sf["new_prev"]) == (2, 1, 1, 0)
    assert math.isclose(sf["held_growth"], 1.0) and sf["new_growth"] is None
    assert rows[("A", "K2", "smart_factory")]["held"] == 1  # only f2's industry maps to K2
    assert rows[("A", "K1", "smart_factory")]["held"] == 2
    assert math.isclose(rows[("A", "*", "smart_factory")]["held_share_of_city"], 1.0)
    dw = rows[("B", "*", "digital_workshop")]
    assert (dw["held"], dw["new"], dw["held_prev"], dw["new_prev"]) == (1, 0, 1, 1)


# ------------------------------------------------------------------------------------------------ on the demo
@pytest.fixture(scope="module")
def demo_tables(duckdb_ctx):
    return cl.evaluate(duckdb_ctx)


def test_demo_city_total_is_the_sum_of_all_firms_and_tiers_never_double_count(demo_tables, demo_con):
    f = demo_tables["cluster_figures"].to_pylist()
    city = {(r["region_map"], r["unit_id"]): r for r in f if r["region_code"] == "500000"}
    want = demo_con.execute("SELECT sum(output_value), count(*) FROM enterprise_year WHERE year = 2023").fetchone()
    assert math.isclose(city[("recorded", "*")]["output_value"], want[0], rel_tol=1e-9)
    assert city[("recorded", "*")]["firms"] == want[1]
    for tier in ("T1", "T2", "T3", "T4"):
        t = city[("recorded", f"cq-33618/{tier}")]
        members = [
            r
            for (m, u), r in city.items()
            if m == "recorded" and r["scope"] == "cluster" and r["system_id"] == "cq-33618" and r["tier"] == tier
        ]
        total = sum(r["output_value"] or 0 for r in members)
        assert math.isclose(t["output_value"] or 0, total, rel_tol=1e-9)  # money adds up within a tier
        assert t["firms"] <= city[("recorded", "*")]["firms"]
        assert t["firms"] <= sum(r["firms"] for r in members)  # whole firms may sit in two clusters
    assert all(r["output_value_share_of_city"] is None or r["output_value_share_of_city"] <= 1 + 1e-9 for r in f)


def test_demo_current_map_rolls_jiangbei_into_its_successor(demo_tables, pack):
    f = demo_tables["cluster_figures"].to_pylist()
    rec = {r["region_code"]: r for r in f if r["region_map"] == "recorded" and r["unit_id"] == "*"}
    cur = {r["region_code"]: r for r in f if r["region_map"] == "current" and r["unit_id"] == "*"}
    succ = pack.successor_of("500105")
    assert succ != "500105" and "500105" not in cur and "500105" in rec
    into = [c for c in rec if pack.regions[c].level == "county" and pack.successor_of(c) == succ]
    assert math.isclose(cur[succ]["output_value"], sum(rec[c]["output_value"] for c in into), rel_tol=1e-9)
    assert math.isclose(cur["500000"]["output_value"], rec["500000"]["output_value"], rel_tol=1e-12)


def test_demo_district_system_counts_only_its_district(demo_tables):
    f = [r for r in demo_tables["cluster_figures"].to_pylist() if r["region_map"] == "recorded"]
    jb = {r["region_code"]: r for r in f if r["cluster_id"] == "JB-L1"}
    assert set(jb) == {"500105", "CQ-ZXCQ", "CQ-ZCDSQ", "500000"}  # 江北区 and its ancestors only
    t11 = {r["region_code"]: r for r in f if r["cluster_id"] == "T1-1"}
    assert math.isclose(jb["500000"]["output_value"], t11["500105"]["output_value"], rel_tol=1e-9)


def test_demo_group_shares_of_the_city_add_up(demo_tables, pack):
    f = [r for r in demo_tables["cluster_figures"].to_pylist() if r["region_map"] == "recorded" and r["unit_id"] == "*"]
    groups = [r for r in f if r["region_level"] == "group" and pack.regions[r["region_code"]].parent == "500000"]
    assert math.isclose(sum(r["revenue_share_of_city"] for r in groups), 1.0, rel_tol=1e-9)


def test_demo_honour_counts_match_the_honour_table(demo_tables, demo_con):
    h = {
        (r["region_code"], r["kind"]): r
        for r in demo_tables["cluster_honours"].to_pylist()
        if r["region_map"] == "recorded" and r["unit_id"] == "*"
    }
    held, new = demo_con.execute("""SELECT count(DISTINCT uscc) FILTER (WHERE year <= 2023),
                                           count(DISTINCT uscc) FILTER (WHERE year = 2023)
                                    FROM honour WHERE kind = 'smart_factory'""").fetchone()
    assert (h[("500000", "smart_factory")]["held"], h[("500000", "smart_factory")]["new"]) == (held, new)


def test_duckdb_and_spark_give_the_same_cluster_tables(duckdb_ctx, spark_ctx, demo_tables):
    b = cl.evaluate(spark_ctx)
    assert_same_rows(
        demo_tables["cluster_figures"], b["cluster_figures"], keys=["region_map", "year", "region_code", "unit_id"]
    )
    assert_same_rows(
        demo_tables["cluster_honours"],
        b["cluster_honours"],
        keys=["region_map", "year", "region_code", "unit_id", "kind"],
    )


# ------------------------------------------------------------------------------------------------ CLI
@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "火星区"], "unknown region"),
        (["--cluster", "T9-9"], "unknown cluster"),
        (["--system", "nope"], "unknown cluster system"),
        (["--level", "planet"], "unknown region level"),
        (["--map", "future"], "unknown map"),
        (["--measure", "happiness"], "unknown measure"),
        (["--year", "1999"], "no figures for 1999"),
    ],
)
def test_clusters_command_bad_input_exits_2_with_a_message(demo, args, message):
    r = CliRunner().invoke(app, ["clusters", "--db", str(demo[0]), *args])
    assert r.exit_code == 2, r.output
    assert message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_clusters_command_on_an_empty_warehouse(empty_warehouse):
    r = CliRunner().invoke(app, ["clusters", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())


def test_clusters_command_json_and_table(demo):
    r = CliRunner().invoke(app, ["clusters", "--db", str(demo[0]), "--year", "2023", "--region", "江北区", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {x["region_code"] for x in rows} == {"500105"} and any(x["cluster_id"] == "JB-L1" for x in rows)
    r = CliRunner().invoke(
        app, ["clusters", "--db", str(demo[0]), "--cluster", "T1-1", "--level", "county", "--map", "current"]
    )
    assert r.exit_code == 0 and "SYNTHETIC" in r.output
    r = CliRunner().invoke(app, ["clusters", "--db", str(demo[0]), "--region", "500102", "--honours", "--json"])
    assert r.exit_code == 0 and {"held", "new", "kind"} <= set(json.loads(r.output)[0])
