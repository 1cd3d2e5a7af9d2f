"""Chains (产业链): 补链 gaps, 强链 thin nodes, 延链 next steps, chain leaders' supplier networks and the
ranked 招商 list — each rule checked by hand on a toy chain, then on the demo warehouse and through
the `zhizao chains` command.

The toy chain (weights sum to 1, so expected shares are the weights):

    ore (upstream, B06, 0.1) -> metal (midstream, C31, 0.2) -> parts (midstream, C367, 0.2)
                                                                 -> car (downstream, C361, 0.4)
                                       chips (upstream, C397, 0.1) ---^

Regions: counties A and B in group G, counties C and D in group H, all under province P.
Firms with figures for 2023 (output in yuan):
    A: car a1 500 (链主, placed by enterprise_node), a6 50, a7 50 | parts a2 100, a3 50, a4 50
       | metal a5, a8, a9 10 each
    B: ore b1, b2, b3 20 each | chips b4, b5 40 each
    C: parts c1 10
    D: d1 70, a food firm on no chain
Everyone but a1 is placed by industry code (node C361 takes C3611 and C3612 ...).
"""

from __future__ import annotations

import json

import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import INSTRUMENTS, AnalyticsError
from zhizao.analytics import chains as ch
from zhizao.analytics.chains import gaps as chc
from zhizao.analytics.chains import placement as chp
from zhizao.analytics.chains import suppliers as chl
from zhizao.cli import app

YEAR = 2023


def toy_tables() -> dict:
    firms = [  # uscc, county, industry, output
        ("a1", "A", "C3612", 500.0),
        ("a6", "A", "C3612", 50.0),
        ("a7", "A", "C3611", 50.0),
        ("a2", "A", "C3670", 100.0),
        ("a3", "A", "C3670", 50.0),
        ("a4", "A", "C3670", 50.0),
        ("a5", "A", "C3110", 10.0),
        ("a8", "A", "C3110", 10.0),
        ("a9", "A", "C3110", 10.0),
        ("b1", "B", "B0610", 20.0),
        ("b2", "B", "B0610", 20.0),
        ("b3", "B", "B0610", 20.0),
        ("b4", "B", "C3973", 40.0),
        ("b5", "B", "C3973", 40.0),
        ("c1", "C", "C3670", 10.0),
        ("d1", "D", "C1310", 70.0),
    ]
    nodes = [  # node, stage, industry, weight
        ("ore", "upstream", "B06", 0.1),
        ("chips", "upstream", "C397", 0.1),
        ("metal", "midstream", "C31", 0.2),
        ("parts", "midstream", "C367", 0.2),
        ("car", "downstream", "C361", 0.4),
    ]
    edges = [("ore", "metal"), ("metal", "parts"), ("parts", "car"), ("chips", "car")]
    codes = [
        "B06",
        "B061",
        "B0610",
        "C31",
        "C311",
        "C3110",
        "C36",
        "C361",
        "C3611",
        "C3612",
        "C367",
        "C3670",
        "C39",
        "C397",
        "C3973",
        "C13",
        "C131",
        "C1310",
    ]
    regions = [
        ("P", "省", "province", None),
        ("G", "G组", "group", None),
        ("H", "H组", "group", None),
        ("A", "A区", "county", "G"),
        ("B", "B区", "county", "G"),
        ("C", "C县", "county", "H"),
        ("D", "D县", "county", "H"),
    ]
    parent = {"A": "G", "B": "G", "C": "H", "D": "H", "G": "P", "H": "P"}
    anc = []
    for code in parent.keys() | {"P"}:
        cur, depth = code, 0
        while cur is not None:
            anc.append((code, cur, depth))
            cur, depth = parent.get(cur), depth + 1
    return {
        "enterprise": ibis.memtable(
            {
                "uscc": [f[0] for f in firms],
                "name": [f"firm {f[0]}" for f in firms],
                "region_code": [f[1] for f in firms],
                "industry_code": [f[2] for f in firms],
                "synthetic": [False] * len(firms),
            }
        ),
        "enterprise_year": ibis.memtable(
            {
                "uscc": [f[0] for f in firms] + ["a2"],
                "year": [YEAR] * len(firms) + [YEAR - 1],
                "output_value": [f[3] for f in firms] + [999.0],
                "revenue": [f[3] * 2 for f in firms] + [999.0],
            }
        ),
        "enterprise_node": ibis.memtable({"uscc": ["a1"], "node_id": ["toy/car"], "role": ["leader"]}),
        "chain": ibis.memtable({"id": ["toy"], "name": ["玩具链"], "region_code": pa.array([None], pa.string())}),
        "chain_node": ibis.memtable(
            {
                "id": [f"toy/{n[0]}" for n in nodes],
                "chain_id": ["toy"] * len(nodes),
                "name_zh": [n[0] for n in nodes],
                "stage": [n[1] for n in nodes],
                "industry_code": [n[2] for n in nodes],
                "weight": [n[3] for n in nodes],
            }
        ),
        "chain_edge": ibis.memtable(
            {
                "chain_id": ["toy"] * len(edges),
                "from_node": [f"toy/{e[0]}" for e in edges],
                "to_node": [f"toy/{e[1]}" for e in edges],
            }
        ),
        "industry": ibis.memtable({"code": codes}),
        "region": ibis.memtable(
            {
                "code": [r[0] for r in regions],
                "name_zh": [r[1] for r in regions],
                "level": [r[2] for r in regions],
                "region_group": [r[3] for r in regions],
            }
        ),
        "region_ancestor": ibis.memtable(
            {"code": [a[0] for a in anc], "ancestor_code": [a[1] for a in anc], "depth": [a[2] for a in anc]}
        ),
        "supply_link": ibis.memtable(
            {
                "buyer": ["a1"] * 6,
                "supplier": ["a2", "a3", "b4", "c1", "d1", "a4"],
                "year": [YEAR] * 5 + [YEAR - 1],
                "amount": [100.0, 50.0, 30.0, 20.0, 10.0, 999.0],
            }
        ),
    }


@pytest.fixture(scope="module")
def con():
    return ibis.duckdb.connect()


def run(con, t: dict, region_map=None, **kw):
    """coverage, recruitment (with reasons), leaders and supplier breakdown of the toy warehouse."""
    placed = chp.placements(t["enterprise"], t["enterprise_node"], t["chain_node"], t["industry"])
    fr = chp.firm_regions(t["enterprise"], region_map)
    firms = chp.firm_output(t["enterprise_year"], YEAR).join(fr, "uscc")
    scopes = chp.region_scopes(firms, t["region"], t["region_ancestor"])
    cov_expr = chc.coverage(
        placed, firms, scopes, t["chain"], t["chain_node"], t["chain_edge"], region_map=region_map, **kw
    )
    cov = con.to_pyarrow(cov_expr)
    rec = con.to_pyarrow(chc.recruitment(ibis.memtable(cov)).order_by(["region_code", "rank"]))
    rec = chc.explain(rec, cov, con.to_pyarrow(t["chain_edge"]), **kw)
    links = chl.supplier_links(placed, firms, fr, t["region"], t["supply_link"], t["chain_node"], YEAR)
    lead = con.to_pyarrow(chl.leaders(placed, firms, fr, t["region"], t["enterprise"], links))
    sup = con.to_pyarrow(chl.suppliers_by_node_and_region(links))
    return {"coverage": cov, "recruitment": rec, "leaders": lead, "suppliers": sup, "placed": con.to_pyarrow(placed)}


@pytest.fixture(scope="module")
def toy(con):
    return run(con, toy_tables())


def cell(cov: pa.Table, region: str, node: str, chain: str = "toy") -> dict:
    rows = [r for r in cov.to_pylist() if r["region_code"] == region and r["node_id"] == f"{chain}/{node}"]
    assert len(rows) == 1, (region, node, rows)
    return rows[0]


# ------------------------------------------------------------------------------------ placement
def test_firms_sit_on_enterprise_node_placements_else_on_the_node_their_industry_code_falls_under(toy):
    placed = {(r["uscc"], r["node_id"]): r for r in toy["placed"].to_pylist()}
    assert placed[("a1", "toy/car")]["role"] == "leader"  # enterprise_node
    assert placed[("a7", "toy/car")]["role"] == "member"  # C3611 under node code C361
    assert ("b1", "toy/ore") in placed  # B0610 under B06
    assert not any(u == "d1" for u, _ in placed)  # food firm: on no node
    assert all(r["share"] == 1.0 for r in placed.values())
    assert len(placed) == 15


def test_an_explicit_placement_wins_and_a_firm_on_two_nodes_has_its_output_split(con):
    t = toy_tables()
    # b4 (chips by code) is placed by hand on ore and metal: it leaves chips, and its 40 splits 20 / 20
    t["enterprise_node"] = ibis.memtable(
        {
            "uscc": ["a1", "b4", "b4"],
            "node_id": ["toy/car", "toy/ore", "toy/metal"],
            "role": ["leader", "member", "member"],
        }
    )
    out = run(con, t)
    placed = {(r["uscc"], r["node_id"]): r["share"] for r in out["placed"].to_pylist()}
    assert placed[("b4", "toy/ore")] == placed[("b4", "toy/metal")] == 0.5
    assert ("b4", "toy/chips") not in placed
    cov = out["coverage"]
    assert cell(cov, "B", "ore")["firms"] == 4 and cell(cov, "B", "ore")["output"] == 80.0
    assert cell(cov, "B", "metal")["output"] == 20.0 and cell(cov, "B", "chips")["firms"] == 1
    assert cell(cov, "B", "ore")["chain_output"] == 140.0  # never counted twice in a total


def test_output_is_output_value_else_revenue_and_only_firms_with_figures_that_year_count(con):
    t = toy_tables()
    t["enterprise_year"] = ibis.memtable(
        {
            "uscc": ["a2", "a3"],
            "year": [YEAR, YEAR],
            "output_value": pa.array([None, 5.0], pa.float64()),
            "revenue": [7.0, 100.0],
        }
    )
    cov = run(con, t)["coverage"]
    assert cell(cov, "A", "parts")["output"] == 12.0 and cell(cov, "A", "parts")["firms"] == 2
    assert cell(cov, "A", "car")["firms"] == 0  # no 2023 figures: not present
    assert {r["region_code"] for r in cov.to_pylist()} == {"A", "G", "P"}  # counties holding firms, and groups


# ------------------------------------------------------------------------------- coverage rules
def test_firms_and_output_at_every_node_of_every_region(toy):
    cov = toy["coverage"]
    assert cov.num_rows == 5 * 7  # 5 nodes x (A B C D G H P)
    a = {
        r["node_id"].split("/")[1]: (r["firms"], r["output"], r["leaders"])
        for r in cov.to_pylist()
        if r["region_code"] == "A"
    }
    assert a == {
        "car": (3, 600.0, 1),
        "parts": (3, 200.0, 0),
        "metal": (3, 30.0, 0),
        "ore": (0, 0.0, 0),
        "chips": (0, 0.0, 0),
    }
    assert cell(cov, "A", "car")["chain_output"] == 830.0
    assert cell(cov, "A", "car")["node_share"] == pytest.approx(600 / 830)
    assert cell(cov, "A", "car")["expected_share"] == pytest.approx(0.4)
    assert cell(cov, "A", "metal")["share_ratio"] == pytest.approx((30 / 830) / 0.2)


def test_a_group_is_the_union_of_its_counties(toy):
    cov = toy["coverage"]
    for node in ("ore", "chips", "metal", "parts", "car"):
        g, a, b = cell(cov, "G", node), cell(cov, "A", node), cell(cov, "B", node)
        assert g["firms"] == a["firms"] + b["firms"]
        assert g["output"] == a["output"] + b["output"]
    assert cell(cov, "G", "ore")["chain_output"] == 970.0
    assert cell(cov, "P", "parts")["firms"] == 4 and cell(cov, "P", "ore")["chain_output"] == 980.0
    assert cell(cov, "G", "car")["region_level"] == "group" and cell(cov, "P", "car")["region_level"] == "province"


def test_gap_is_a_node_without_a_local_firm(toy):
    cov = toy["coverage"]
    assert sorted(r["node_id"] for r in cov.to_pylist() if r["region_code"] == "A" and r["status"] == "gap") == [
        "toy/chips",
        "toy/ore",
    ]
    assert cell(cov, "A", "ore")["thin_rule"] is None
    assert all(r["status"] == "gap" for r in cov.to_pylist() if r["region_code"] == "D")


def test_thin_when_under_half_the_expected_share_of_the_regions_chain_output(toy):
    # A/metal: 3 firms but 30 / 830 = 3.6% of A's chain output against 20% expected (ratio 0.18 < 0.5)
    m = cell(toy["coverage"], "A", "metal")
    assert (m["status"], m["thin_rule"]) == ("thin", "share")
    # G/ore: 60 / 970 = 6.2% against 10% expected: ratio 0.62, not thin
    assert cell(toy["coverage"], "G", "ore")["status"] == "covered"


def test_thin_when_fewer_than_three_firms(toy):
    # B/chips: 2 firms, 80 / 140 = 57% of B's chain output (far above its 10%): thin by the firm count only
    c = cell(toy["coverage"], "B", "chips")
    assert (c["status"], c["thin_rule"]) == ("thin", "firms")
    # C/parts: one firm making all of C's chain output
    assert cell(toy["coverage"], "C", "parts")["thin_rule"] == "firms"
    assert cell(toy["coverage"], "A", "parts")["status"] == "covered"


def test_thin_thresholds_are_parameters(con):
    out = run(con, toy_tables(), thin_share=0.1, thin_firms=2)
    assert cell(out["coverage"], "A", "metal")["status"] == "covered"  # ratio 0.18 >= 0.1
    assert cell(out["coverage"], "B", "chips")["status"] == "covered"  # 2 firms >= 2
    assert cell(out["coverage"], "C", "parts")["thin_rule"] == "firms"  # 1 firm < 2


def test_extend_flags_gap_or_thin_nodes_directly_downstream_of_a_covered_node(toy):
    cov = toy["coverage"]
    assert cell(cov, "B", "metal")["extend"] is True  # gap; its input ore is covered in B
    assert cell(cov, "B", "metal")["upstream_covered"] == 1
    assert cell(cov, "B", "parts")["extend"] is False  # its input metal is a gap in B
    assert cell(cov, "B", "car")["extend"] is False  # input chips is only thin in B
    assert cell(cov, "A", "metal")["extend"] is False  # thin, but ore is a gap in A
    assert cell(cov, "G", "metal")["extend"] is True  # in the group, B's ore feeds A's metal
    assert cell(cov, "A", "car")["extend"] is False  # covered nodes are never 延链


def test_links_to_local_neighbours_and_firms_elsewhere(toy):
    cov = toy["coverage"]
    chips = cell(cov, "A", "chips")
    assert (chips["downstream_present"], chips["leaders_downstream"]) == (1, 1)  # A's car, with its 链主
    assert chips["firms_city"] == 2 and chips["firms_elsewhere"] == 2  # b4, b5 in B
    assert cell(cov, "G", "chips")["firms_elsewhere"] == 0
    assert cell(cov, "P", "chips")["firms_elsewhere"] is None  # the whole warehouse


def test_a_district_chain_is_evaluated_only_for_its_own_region(con):
    t = toy_tables()
    t["chain"] = ibis.memtable({"id": ["toy", "home"], "name": ["玩具链", "B区链"], "region_code": [None, "B"]})
    cn = t["chain_node"].to_pyarrow()
    extra = pa.table(
        {
            "id": ["home/ore"],
            "chain_id": ["home"],
            "name_zh": ["ore"],
            "stage": ["upstream"],
            "industry_code": ["B06"],
            "weight": [1.0],
        }
    )
    t["chain_node"] = ibis.memtable(pa.concat_tables([cn, extra]))
    cov = run(con, t)["coverage"]
    home = [r for r in cov.to_pylist() if r["chain_id"] == "home"]
    assert [(r["region_code"], r["firms"], r["status"]) for r in home] == [("B", 3, "covered")]


def test_on_the_current_map_a_merged_county_counts_in_its_successor(con):
    t = toy_tables()
    t["chain"] = ibis.memtable({"id": ["toy", "home"], "name": ["玩具链", "B区链"], "region_code": [None, "B"]})
    cn = t["chain_node"].to_pyarrow()
    extra = pa.table(
        {
            "id": ["home/ore"],
            "chain_id": ["home"],
            "name_zh": ["ore"],
            "stage": ["upstream"],
            "industry_code": ["B06"],
            "weight": [1.0],
        }
    )
    t["chain_node"] = ibis.memtable(pa.concat_tables([cn, extra]))
    rmap = ibis.memtable({"code": ["A", "B", "C", "D"], "current_code": ["A", "A", "C", "D"]})  # B merged into A
    cov = run(con, t, region_map=rmap)["coverage"]
    assert "B" not in {r["region_code"] for r in cov.to_pylist()}
    assert cell(cov, "A", "ore")["firms"] == 3 and cell(cov, "A", "ore")["chain_output"] == 830.0 + 140.0
    assert [r["region_code"] for r in cov.to_pylist() if r["chain_id"] == "home"] == ["A"]


# ---------------------------------------------------------------------------------- recruitment
def ranked(rec: pa.Table, region: str) -> list[tuple]:
    return [
        (r["rank"], r["node_id"].split("/")[1], r["action"], r["shortfall"])
        for r in rec.to_pylist()
        if r["region_code"] == region
    ]


def test_recruiting_list_ranks_gap_and_thin_nodes_by_the_output_missing_against_their_weight(toy):
    # A's chain output 830: metal expects 0.2 x 830 = 166, has 30 -> short 136; ore and chips 0.1 x 830 = 83.
    # ore and chips tie on shortfall; chips supplies A's car, where the 链主 sits -> chips first.
    assert ranked(toy["recruitment"], "A") == [
        (1, "metal", "强链", pytest.approx(136.0)),
        (2, "chips", "补链", pytest.approx(83.0)),
        (3, "ore", "补链", pytest.approx(83.0)),
    ]


def test_recruiting_ties_break_on_local_links_and_thin_nodes_with_no_shortfall_come_last(toy):
    # B's chain output 140: car 0.4 x 140 = 56; metal and parts 28 each, but metal is next to B's ore (延链);
    # chips is thin only by its 2 firms, and already makes more than its weight: shortfall 0.
    assert ranked(toy["recruitment"], "B") == [
        (1, "car", "补链", pytest.approx(56.0)),
        (2, "metal", "补链+延链", pytest.approx(28.0)),
        (3, "parts", "补链", pytest.approx(28.0)),
        (4, "chips", "强链", 0.0),
    ]


def test_no_recruiting_list_for_a_chain_a_region_has_no_firm_on(toy):
    assert ranked(toy["recruitment"], "D") == []
    assert {r["region_code"] for r in toy["recruitment"].to_pylist()} == {"A", "B", "C", "G", "H", "P"}


def test_every_recruiting_row_gives_its_reason(toy):
    rec = {(r["region_code"], r["node_id"]): r["reason"] for r in toy["recruitment"].to_pylist()}
    assert rec[("A", "toy/chips")].startswith("fill (补链): no local firm at this node")
    assert "supplies local car (3 firms, 1 chain leader)" in rec[("A", "toy/chips")]
    assert "2 firms at this node in other counties" in rec[("A", "toy/chips")]
    assert "strengthen (强链): thin, 3.6% of the chain's local output vs 20.0% expected" in rec[("A", "toy/metal")]
    assert "short 136" in rec[("A", "toy/metal")]
    assert "extend (延链): next step down from local ore (3 firms)" in rec[("B", "toy/metal")]
    assert rec[("B", "toy/chips")].startswith("strengthen (强链): thin, 2 firms (< 3)")
    assert "3 firms at this node in other counties" in rec[("H", "toy/ore")]  # B's ore firms
    assert "in other counties" not in rec[("P", "toy/chips")]


def test_each_reason_is_given_in_chinese_from_the_same_figures(toy):
    rows = {(r["region_code"], r["node_id"]): r for r in toy["recruitment"].to_pylist()}
    zh = {k: r["reason_zh"] for k, r in rows.items()}
    assert zh[("A", "toy/chips")].startswith("补链：本地该节点无企业")
    assert "可配套本地 car（3家，其中链主1家）" in zh[("A", "toy/chips")]
    assert "其他区县该节点有2家企业" in zh[("A", "toy/chips")]
    assert "强链：薄弱，产值占本地产业链3.6%，按权重应占20.0%" in zh[("A", "toy/metal")]
    assert "缺口136元" in zh[("A", "toy/metal")]
    assert "延链：本地已有上游环节 ore（3家） 的下一环节" in zh[("B", "toy/metal")]
    assert zh[("B", "toy/chips")].startswith("强链：薄弱，仅2家企业（少于3家）")
    for r in rows.values():  # as many clauses in each language
        assert r["reason_zh"].count("；") == r["reason"].count("; ")


def test_a_node_with_no_firm_anywhere_is_to_be_recruited_from_outside(con):
    t = toy_tables()
    ey = t["enterprise_year"]
    t["enterprise_year"] = ey.filter(~ey.uscc.isin(["b4", "b5"]))  # no chip maker left
    rec = {(r["region_code"], r["node_id"]): r["reason"] for r in run(con, t)["recruitment"].to_pylist()}
    assert rec[("A", "toy/chips")].endswith("none in other counties either: recruit from outside")


# ------------------------------------------------------------------------------ supplier network
def test_local_supply_rate_is_by_amount_and_counts_only_the_years_purchases(toy):
    (lead,) = toy["leaders"].to_pylist()
    assert (lead["leader"], lead["region_code"], lead["region_group"]) == ("a1", "A", "G")
    assert lead["purchases"] == 210.0 and lead["suppliers"] == 5  # a4's 999 was in 2022
    assert lead["local_amount"] == 150.0 and lead["local_rate"] == pytest.approx(150 / 210)
    assert lead["group_amount"] == 180.0 and lead["group_rate"] == pytest.approx(180 / 210)


def test_core_suppliers_are_chain_firms_counted_in_the_leaders_county_and_group(toy):
    (lead,) = toy["leaders"].to_pylist()
    assert lead["core_suppliers"] == 4  # d1 (food) is not on the chain
    assert lead["core_same_county"] == 2  # a2, a3
    assert lead["core_same_group"] == 3  # and b4 in B, same group
    assert lead["core_amount"] == 200.0


def test_suppliers_by_node_and_district(toy):
    rows = sorted(
        (r["node_id"] or "-", r["supplier_region"], r["suppliers"], r["amount"], r["same_county"], r["same_group"])
        for r in toy["suppliers"].to_pylist()
    )
    assert rows == [
        ("-", "D", 1, 10.0, False, False),
        ("toy/chips", "B", 1, 30.0, False, True),
        ("toy/parts", "A", 2, 150.0, True, True),
        ("toy/parts", "C", 1, 20.0, False, False),
    ]
    assert sum(r["share"] for r in toy["suppliers"].to_pylist()) == pytest.approx(1.0)


def test_a_leader_without_purchases_is_listed_with_no_rate(con):
    t = toy_tables()
    t["supply_link"] = ibis.memtable({"buyer": ["a1"], "supplier": ["a2"], "year": [YEAR - 1], "amount": [5.0]})
    (lead,) = run(con, t)["leaders"].to_pylist()
    assert lead["purchases"] == 0.0 and lead["suppliers"] == 0 and lead["local_rate"] is None


# --------------------------------------------------------------------------- the demo warehouse
@pytest.fixture(scope="module")
def demo_tables(duckdb_ctx):
    return ch.evaluate(duckdb_ctx)


def test_registered_for_zhizao_evaluate():
    (ins,) = [i for i in INSTRUMENTS if i.name == "chains"]
    assert set(ins.results) == {"chain_coverage", "chain_recruitment", "chain_leaders", "chain_suppliers"}


def test_demo_coverage_holds_every_chain_node_for_every_county_with_firms(demo_tables, demo_con):
    cov = demo_tables["chain_coverage"]
    counties = {  # on today's map (the default): 江北, 渝北 → 两江新区
        c
        for (c,) in demo_con.execute(
            "SELECT DISTINCT m.current_code FROM enterprise e JOIN enterprise_year USING (uscc) "
            "JOIN region_current m ON m.code = e.region_code WHERE year = 2023"
        ).fetchall()
    }
    city_nodes = demo_con.execute(
        "SELECT count(*) FROM chain_node n JOIN chain c ON c.id = n.chain_id WHERE c.region_code IS NULL"
    ).fetchone()[0]
    rows = cov.to_pylist()
    for c in counties:
        assert (
            sum(
                1
                for r in rows
                if r["region_code"] == c
                and r["chain_id"] in ("icv-nev", "electronics", "advanced-materials", "intelligent-equipment")
            )
            == city_nodes
        )
    fuling = {r["region_code"] for r in rows if r["chain_id"].startswith("fuling-")}
    assert fuling == {"500102"}  # 涪陵's own chains: only for 涪陵
    assert set(cov.column("region_map").to_pylist()) == {"current"}


def test_demo_node_firms_match_a_direct_count(demo_tables, demo_con):
    want = dict(
        demo_con.execute("""
        SELECT m.node_id, count(*) FROM enterprise_node m JOIN enterprise e USING (uscc)
        JOIN enterprise_year y ON y.uscc = m.uscc AND y.year = 2023
        WHERE e.region_code = '500106' GROUP BY 1""").fetchall()
    )
    got = {
        r["node_id"]: r["firms"]
        for r in demo_tables["chain_coverage"].to_pylist()
        if r["region_code"] == "500106" and r["firms"] > 0
    }
    assert got == want


def test_demo_local_supply_rate_matches_sql(demo_tables, demo_con):
    lead = demo_tables["chain_leaders"].to_pylist()
    assert lead and all(r["suppliers"] > 0 for r in lead)
    r = lead[0]
    local, total = demo_con.execute(
        """
        SELECT sum(CASE WHEN sm.current_code = bm.current_code THEN l.amount ELSE 0 END), sum(l.amount)
        FROM supply_link l JOIN enterprise b ON b.uscc = l.buyer JOIN enterprise s ON s.uscc = l.supplier
        JOIN region_current bm ON bm.code = b.region_code JOIN region_current sm ON sm.code = s.region_code
        WHERE l.year = 2023 AND l.buyer = ?""",  # local: the same county on today's map (the default)
        [r["leader"]],
    ).fetchone()
    assert r["local_rate"] == pytest.approx(local / total)
    assert r["purchases"] == pytest.approx(total)


def test_demo_recruitment_ranks_are_dense_and_reasons_present(demo_tables):
    rec = demo_tables["chain_recruitment"].to_pylist()
    by_region: dict[str, list[int]] = {}
    for r in rec:
        by_region.setdefault(r["region_code"], []).append(r["rank"])
        assert r["reason"] and r["action"].split("+")[0] in ("补链", "强链")
        assert r["status"] in ("gap", "thin")
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in by_region.values())
    s = ch.summarise(demo_tables)
    assert "leaders" in s and "gaps (补链)" in s


def test_duckdb_and_spark_give_the_same_chain_tables(duckdb_ctx, spark_ctx, demo_tables):
    other = ch.evaluate(spark_ctx)
    keys = {
        "chain_coverage": ["chain_id", "region_code", "node_id"],
        "chain_recruitment": ["region_code", "rank"],
        "chain_leaders": ["chain_id", "leader"],
        "chain_suppliers": ["chain_id", "leader", "node_id", "supplier_region"],
    }
    for name, k in keys.items():
        assert demo_tables[name].num_rows > 0
        assert_same_rows(demo_tables[name], other[name], keys=k)


def test_unknown_region_map_is_refused(demo):
    from zhizao.analytics import Context

    ctx = Context.open(demo[0], 2023, region_map="someday")
    try:
        with pytest.raises(AnalyticsError, match="unknown region map"):
            ch.evaluate(ctx)
    finally:
        ctx.close()


# -------------------------------------------------------------------------------------------- CLI
def invoke(*args):
    return CliRunner().invoke(app, ["chains", *args])


def test_cli_summary_lists_every_chain_and_the_leaders(demo):
    r = invoke("--db", str(demo[0]), "--year", "2023", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert {c["chain_id"] for c in out["chains"]} == {
        "icv-nev",
        "electronics",
        "advanced-materials",
        "intelligent-equipment",
        "fuling-polyurethane",
        "fuling-spandex",
        "fuling-light-alloy-parts",
    }
    assert {c["scope"] for c in out["chains"] if c["chain_id"].startswith("fuling-")} == {"涪陵区"}
    assert out["leaders"] and all(len(x["leader"]) == 18 for x in out["leaders"])
    r = invoke("--db", str(demo[0]), "--year", "2023")
    assert r.exit_code == 0 and "SYNTHETIC" in r.output and "chains 2023" in r.output


def test_cli_region_shows_coverage_and_the_ranked_list(demo):
    r = invoke("--db", str(demo[0]), "--year", "2023", "--region", "涪陵", "--chain", "icv-nev", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert {x["region_code"] for x in out["coverage"]} == {"500102"} and len(out["coverage"]) == 14
    assert [x["rank"] for x in out["recruitment"]] == sorted(x["rank"] for x in out["recruitment"])
    assert all(x["chain_id"] == "icv-nev" and x["reason"] for x in out["recruitment"])
    r = invoke("--db", str(demo[0]), "--year", "2023", "--region", "CQ-ZCXQ")  # a region group
    assert r.exit_code == 0, r.output
    assert "招商" in r.output


def test_cli_chain_and_leader_views(demo):
    r = invoke("--db", str(demo[0]), "--year", "2023", "--chain", "fuling-spandex", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert len(out["nodes"]) == 7 and {x["region_code"] for x in out["nodes"]} == {"500102"}
    leaders = json.loads(invoke("--db", str(demo[0]), "--year", "2023", "--json").output)["leaders"]
    uscc = leaders[0]["leader"]
    r = invoke("--db", str(demo[0]), "--year", "2023", "--leader", uscc, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["leader"][0]["leader"] == uscc
    assert sum(x["share"] for x in out["suppliers"] if x["chain_id"] == out["leader"][0]["chain_id"]) == pytest.approx(
        1.0
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--chain", "no-such-chain"], "no chain 'no-such-chain'"),
        (["--region", "火星区"], "no region '火星区'"),
        (["--region", "500106", "--chain", "fuling-spandex"], "evaluated only for 涪陵区"),
        (["--leader", "91500000MA00000000"], "is not a chain leader"),
        (["--year", "1999"], "no figures for 1999"),
        (["--map", "someday"], "unknown region map"),
        (["--region", "江北区"], "its firms count in 两江新区"),  # today's map is the default
    ],
)
def test_cli_bad_input_exits_2_with_a_message(demo, args, message):
    r = invoke("--db", str(demo[0]), *args)
    assert r.exit_code == 2, r.output
    assert message in " ".join(r.output.split())
    assert "Traceback" not in r.output


def test_cli_empty_warehouse_exits_2(empty_warehouse):
    r = invoke("--db", str(empty_warehouse))
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())


def test_cli_current_map_counts_merged_districts_in_their_successor(demo):
    r = invoke("--db", str(demo[0]), "--year", "2023", "--region", "两江新区", "--json")  # today's map: the default
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["coverage"] and {x["region_code"] for x in out["coverage"]} == {"CQ-LJXQ"}
    assert {x["region_map"] for x in out["coverage"]} == {"current"}
    r = invoke("--db", str(demo[0]), "--year", "2023", "--map", "recorded", "--region", "两江新区")
    assert r.exit_code == 2 and "--map current" in r.output
    r = invoke("--db", str(demo[0]), "--year", "2023", "--map", "recorded", "--region", "江北区", "--json")
    assert r.exit_code == 0 and {x["region_map"] for x in json.loads(r.output)["coverage"]} == {"recorded"}
