"""The enterprise ladder: each tier's published criteria as the pack states them, screened on a few firms by
hand — 创新型中小企业's 100-point scale with its sub-minimums and direct routes, 专精特新's four conditions,
小巨人's R&D thresholds by revenue band, 单项冠军's rules — each criterion met, not met or unknown with the
figure used; then the three-valued logic itself, the pipeline against the pack's targets, the demo warehouse,
DuckDB against Spark and the `zhizao ladder` command.

Tiny warehouse (evaluation year 2023; money in yuan). Unless a firm says otherwise it was founded in 2000,
sits in county A with industry C3670 and has, every year 2020–2023: revenue 1亿, R&D 4% of revenue,
main-business share 0.8, profit 6% of revenue.
"""

from __future__ import annotations

import datetime as dt
import json

import ibis
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import INSTRUMENTS, AnalyticsError
from zhizao.analytics import ladder as gr
from zhizao.analytics.ladder import districts as ld
from zhizao.analytics.ladder import measures as lm
from zhizao.analytics.ladder import screening as ls
from zhizao.analytics.ladder import tables as lt
from zhizao.cli import app
from zhizao.reference import load_pack
from zhizao.reference.models import Condition

YEAR = 2023


def tables(firms: dict[str, dict], honours: list[tuple] = ()) -> dict:
    """firms: uscc -> {founded, region, industry, years: {year: {revenue, rd, share, profit}}} (see module doc)."""
    e_rows, y_rows = [], []
    for u, f in firms.items():
        e_rows.append(
            {
                "uscc": u,
                "name": f"{u}公司",
                "region_code": f.get("region", "A"),
                "park_id": None,
                "industry_code": f.get("industry", "C3670"),
                "founded": f.get("founded", dt.date(2000, 1, 1)),
                "synthetic": False,
            }
        )
        for y in range(2020, YEAR + 1):
            spec = {
                "revenue": 1e8,
                "rd_share": 0.04,
                "share": 0.8,
                "margin": 0.06,
                **f.get("all", {}),
                **f.get("years", {}).get(y, {}),
            }
            if spec.get("absent"):
                continue
            rev = spec["revenue"]
            rd = spec.get("rd", None if rev is None else rev * spec["rd_share"])
            y_rows.append(
                {
                    "uscc": u,
                    "year": y,
                    "revenue": rev,
                    "rd_expense": rd,
                    "employees": 100,
                    "main_business_share": spec["share"],
                    "profit": None if rev is None else rev * spec["margin"],
                }
            )
    e = pa.Table.from_pylist(
        e_rows,
        schema=pa.schema(
            [
                ("uscc", pa.string()),
                ("name", pa.string()),
                ("region_code", pa.string()),
                ("park_id", pa.string()),
                ("industry_code", pa.string()),
                ("founded", pa.date32()),
                ("synthetic", pa.bool_()),
            ]
        ),
    )
    ey = pa.Table.from_pylist(
        y_rows,
        schema=pa.schema(
            [
                ("uscc", pa.string()),
                ("year", pa.int16()),
                ("revenue", pa.float64()),
                ("rd_expense", pa.float64()),
                ("employees", pa.int32()),
                ("main_business_share", pa.float64()),
                ("profit", pa.float64()),
            ]
        ),
    )
    h = pa.Table.from_pylist(
        [{"uscc": u, "kind": k, "level": lv, "year": y} for u, k, lv, y in honours],
        schema=pa.schema([("uscc", pa.string()), ("kind", pa.string()), ("level", pa.string()), ("year", pa.int16())]),
    )
    return {"enterprise": ibis.memtable(e), "enterprise_year": ibis.memtable(ey), "honour": ibis.memtable(h)}


def run(expr) -> pa.Table:
    return ibis.duckdb.connect().to_pyarrow(expr)


class Screened:
    """The screening of tiny firms with the pack's ladder: rows by (uscc, tier, criterion), firms by (uscc, tier)."""

    def __init__(self, ladder, firms, honours=(), rules=None):
        t = tables(firms, honours)
        codes = sorted({f.get("industry", "C3670") for f in firms.values()})
        industry = ibis.memtable({"code": codes, "section": [c[0] for c in codes]})
        rules = rules or load_pack("chongqing")  # the size standard for SME status (scale.yaml)
        w = lm.firm_measures(t["enterprise"], t["enterprise_year"], t["honour"], YEAR, ladder, industry, rules)
        wide, self.meta = lt.screening_wide(w, ladder)
        con = ibis.duckdb.connect()
        wide_rows = con.to_pyarrow(wide)
        self.wide = ibis.memtable(wide_rows)  # computed once, as evaluate() caches it on the engine
        self.long = lt.long_screening(wide_rows, self.meta, YEAR)
        self.rows = {(r["uscc"], r["tier"], r["criterion"]): r for r in self.long.to_pylist()}
        self.firms = {
            (r["uscc"], r["tier"]): r
            for r in con.to_pyarrow(lt.firm_table(self.wide, ladder, self.meta, YEAR)).to_pylist()
        }
        self.measures = {r["uscc"]: r for r in con.to_pyarrow(w).to_pylist()}
        self.criteria = lt.criteria_table(self.meta, wide_rows, YEAR)

    def status(self, uscc, tier, criterion):
        r = self.rows.get((uscc, tier, criterion))
        return r["status"] if r else None

    def figure(self, uscc, tier, criterion):
        return self.rows[(uscc, tier, criterion)]["figure"]

    def points(self, uscc, tier, criterion):
        r = self.rows[(uscc, tier, criterion)]
        return (r["points_low"], r["points_high"])


# ---------------------------------------------------------------------------------------------- measures
def test_measures_are_computed_from_the_warehouse_as_ladder_yaml_defines_them(pack):
    firms = {
        "f": {
            "founded": dt.date(2015, 7, 1),
            "years": {
                2021: {"revenue": 5e7, "share": 0.8},
                2022: {"revenue": 8e7, "share": 0.75},
                2023: {"revenue": 1e8, "share": 0.9, "rd": 3e6, "margin": 0.10},
            },
        },
        "g": {"all": {"margin": 0.04}},
        "solo": {"industry": "C3611"},
    }
    s = Screened(pack.ladder, firms)
    f = s.measures["f"]
    assert f["revenue__0"] == 1e8 and f["rd_expense__0"] == 3e6
    assert f["rd_intensity__0"] == pytest.approx(0.03)
    assert f["revenue_growth__0"] == pytest.approx(1e8 / 8e7 - 1)
    assert f["main_business_revenue_growth__0"] == pytest.approx(0.9e8 / 0.6e8 - 1)  # 主营业务收入 growth
    assert f["main_business_revenue_growth__1"] == pytest.approx(0.6e8 / 0.4e8 - 1)
    assert f["niche_years__0"] == 8 and f["niche_years__1"] == 7  # 2023 - 2015
    # profit margins of industry C3670 in 2023: f 10%, g 4% → mean 7%
    assert f["profit_margin_vs_industry__0"] == pytest.approx(0.03)
    assert s.measures["g"]["profit_margin_vs_industry__0"] == pytest.approx(-0.03)
    assert s.measures["solo"]["profit_margin_vs_industry__0"] is None  # alone: no average


# ---------------------------------------------------------------------------------------------- 创新型中小企业
def test_innovative_sme_100_point_scale_with_sub_minimums_and_score_ranges_for_unknown_indicators(pack):
    firms = {
        # R&D 6% → 20; growth of 主营业务收入 25% → 20; main-business share 0.75 → 20
        "strong": {"years": {2022: {"revenue": 8e7, "share": 0.75}, 2023: {"rd_share": 0.06, "share": 0.75}}},
        # R&D 0.5% → 0; growth -10% → 0; share 0.45 → 0
        "weak": {
            "years": {2022: {"revenue": 1e8, "share": 0.45}, 2023: {"revenue": 9e7, "rd_share": 0.005, "share": 0.45}}
        },
        # as strong, but main-business revenue fell 1%: growth 0 points → growth category [0, 10] < 15
        "sub": {
            "years": {2022: {"revenue": 1e8, "share": 0.75}, 2023: {"revenue": 0.99e8, "rd_share": 0.06, "share": 0.75}}
        },
        "edge": {"years": {2023: {"rd_share": 0.05, "share": 0.70}}},  # exactly on band minimums
        "below": {"years": {2023: {"rd_share": 0.0499, "share": 0.6999}}},
    }
    s = Screened(pack.ladder, firms)
    T = "innovative_sme"
    assert s.points("strong", T, "score.innovation.rd_intensity") == (20.0, 20.0)
    assert s.figure("strong", T, "score.innovation.rd_intensity") == pytest.approx(0.06)
    assert s.points("strong", T, "score.growth.main_business_growth") == (20.0, 20.0)
    assert s.points("strong", T, "score.specialization.main_business_share") == (20.0, 20.0)
    # IP (0-20), debt ratio (0-10) and strategic field (5-10) are not in the warehouse: ranges
    assert s.points("strong", T, "score.innovation") == (20.0, 40.0)
    assert s.points("strong", T, "score.growth") == (20.0, 30.0)
    assert s.points("strong", T, "score.specialization") == (25.0, 30.0)
    assert s.points("strong", T, "score.total") == (65.0, 100.0)
    assert [
        s.status("strong", T, c)
        for c in ("score.innovation", "score.growth", "score.specialization", "score.total", "score_or_direct")
    ] == ["met"] * 5
    assert s.firms[("strong", T)]["screen"] == "met" and s.firms[("strong", T)]["status"] == "candidate"
    # weak: innovation [0, 20] could still reach 20 → unknown; growth [0, 10] and specialisation [5, 10] fail
    assert s.status("weak", T, "score.innovation") == "unknown"
    assert s.status("weak", T, "score.growth") == "not_met"
    assert s.status("weak", T, "score.specialization") == "not_met"
    assert s.status("weak", T, "score.total") == "not_met" and s.points("weak", T, "score.total") == (5.0, 40.0)
    # ... but the S&T award, R&D institution and equity routes are not in the warehouse: the route is unknown
    assert s.status("weak", T, "direct.honours") == "not_met"
    assert s.status("weak", T, "score_or_direct") == "unknown"
    assert s.firms[("weak", T)]["screen"] == "unknown" and s.firms[("weak", T)]["status"] == "candidate"
    # a total that may reach 60 does not pass when a sub-minimum fails
    assert s.points("sub", T, "score.total") == (45.0, 80.0)
    assert s.status("sub", T, "score.growth") == "not_met" and s.status("sub", T, "score.total") == "not_met"
    # bands: minimum inclusive, maximum exclusive
    assert s.points("edge", T, "score.innovation.rd_intensity") == (20.0, 20.0)
    assert s.points("edge", T, "score.specialization.main_business_share") == (20.0, 20.0)
    assert s.points("below", T, "score.innovation.rd_intensity") == (15.0, 15.0)
    assert s.points("below", T, "score.specialization.main_business_share") == (15.0, 15.0)


def test_innovative_sme_direct_route_by_a_valid_honour(pack):
    weak = {"years": {2022: {"revenue": 1e8, "share": 0.45}, 2023: {"revenue": 9e7, "rd_share": 0.005, "share": 0.45}}}
    s = Screened(
        pack.ladder,
        {"hte": weak, "later": weak, "lab": weak, "expired": weak, "renewed": weak},
        [
            ("hte", "high_tech_enterprise", "national", 2021),  # valid 2021–2023 (three years)
            ("later", "high_tech_enterprise", "national", 2024),  # recognised after 2023: not yet
            ("lab", "enterprise_tech_center", "municipal", 2019),
            ("expired", "high_tech_enterprise", "national", 2020),  # 2020–2022: expired by 2023, never renewed
            ("renewed", "high_tech_enterprise", "national", 2017),
            ("renewed", "high_tech_enterprise", "national", 2020),
            ("renewed", "high_tech_enterprise", "national", 2023),  # renewed every three years: valid
        ],
    )
    T = "innovative_sme"
    assert s.status("expired", T, "direct.honours") == "not_met"  # 高新技术企业 is valid three years
    assert s.status("renewed", T, "direct.honours") == "met"
    assert s.status("hte", T, "direct.honours") == "met"
    assert s.figure("hte", T, "direct.honours") == 1.0  # honour:high_tech_enterprise held
    assert s.status("hte", T, "score_or_direct") == "met" and s.firms[("hte", T)]["screen"] == "met"
    assert s.status("later", T, "direct.honours") == "not_met"
    assert s.status("lab", T, "direct.rd_institution") == "met"
    assert s.status("hte", T, "direct.rd_institution") == "unknown"  # other recognised institutions: not registered
    # the award and equity routes never depend on the firm: listed once, unknown for every firm
    crit = {r["criterion"]: r for r in s.criteria.to_pylist() if r["tier"] == T}
    assert crit["direct.st_award"]["per_firm"] is False and crit["direct.st_award"]["unknown"] == 5
    assert ("hte", T, "direct.st_award") not in s.rows


# ---------------------------------------------------------------------------------------------- 专精特新
def test_srdi_sme_four_conditions(pack):
    firms = {
        "ok": {"years": {2022: {"rd": 1.0e7}, 2023: {"revenue": 2e8, "rd": 1.2e7}}},  # 2-year R&D average 1.1e7
        "young": {"founded": dt.date(2022, 5, 1)},  # 1 year in business
        "lowrd": {"years": {2023: {"rd": 2e6}}},  # 2% of 1亿
        "tinyrd": {"years": {2023: {"revenue": 2e7, "rd": 8e5}}},  # 4% but under 100万
        "small": {"years": {2023: {"revenue": 5e6, "rd": 1.2e6}}},  # under 1000万: equity route?
    }
    s = Screened(pack.ladder, firms)
    T = "srdi_sme"
    assert s.status("ok", T, "niche_years") == "met" and s.figure("ok", T, "niche_years") == 23
    assert s.status("young", T, "niche_years") == "not_met" and s.figure("young", T, "niche_years") == 1
    assert s.status("ok", T, "rd") == "met"
    r = s.rows[("lowrd", T, "rd")]
    assert (r["status"], r["figure"], r["figure_2"]) == ("not_met", 2e6, pytest.approx(0.02))
    assert s.status("tinyrd", T, "rd") == "not_met"
    assert s.status("ok", T, "scale") == "met" and s.figure("ok", T, "scale") == 2e8
    assert s.status("small", T, "scale") == "unknown"  # new equity financing is not in the warehouse
    # the 13-indicator scale has no published bands: the route is met only by a computable direct route
    assert s.status("ok", T, "direct.rd_2y_average") == "met"
    assert s.figure("ok", T, "direct.rd_2y_average") == pytest.approx(1.1e7)
    assert s.status("ok", T, "score_or_direct") == "met"
    assert s.status("lowrd", T, "direct.rd_2y_average") == "not_met"
    assert s.status("lowrd", T, "score_or_direct") == "unknown"
    assert s.firms[("ok", T)]["screen"] == "met" and s.firms[("ok", T)]["status"] == "candidate"
    assert s.firms[("young", T)]["status"] == "not_met" and s.firms[("young", T)]["failed"] == "niche_years"
    assert s.firms[("lowrd", T)]["failed"] == "rd"
    assert s.firms[("small", T)]["status"] == "candidate"
    assert ("ok", T, "score.total") not in s.rows  # nothing of the scale is computable: listed once
    crit = {r["criterion"]: r for r in s.criteria.to_pylist() if r["tier"] == T}
    assert crit["score.total"]["unknown"] == 5 and crit["niche_years"]["not_met"] == 1


# ---------------------------------------------------------------------------------------------- 小巨人
def test_little_giant_rd_threshold_depends_on_the_revenue_band(pack):
    srdi = lambda u: (u, "srdi_sme", "municipal", 2021)
    firms = {
        "big": {"all": {"revenue": 1.5e8, "rd_share": 0.035}},
        "big_low": {"all": {"revenue": 1.5e8, "rd_share": 0.035}, "years": {2022: {"rd_share": 0.025}}},
        "mid": {"all": {"revenue": 8e7, "rd_share": 0.07}, "years": {2022: {"rd_share": 0.065}}},
        "mid_low": {"all": {"revenue": 8e7, "rd_share": 0.07}, "years": {2022: {"rd_share": 0.05}}},
        "tiny": {"all": {"revenue": 3e7, "rd_share": 0.08}},  # 2-year R&D 4.8e6 < 3000万
        "norev": {"years": {2023: {"revenue": None, "rd": 1e6}}},
        "nosrdi": {"all": {"revenue": 1.5e8, "rd_share": 0.035}},
    }
    s = Screened(pack.ladder, firms, [srdi(u) for u in firms if u != "nosrdi"])
    T = "little_giant"
    bands = ("rd_band_over_100m", "rd_band_50m_100m", "rd_band_under_50m")
    assert [s.status("big", T, b) for b in bands] == ["met", "not_applicable", "not_applicable"]
    assert s.figure("big", T, "rd_band_over_100m") == pytest.approx(0.035)
    # 2.5% in 2022 fails the general route, but the award / 创客中国 routes are not in the warehouse
    assert s.status("big_low", T, "rd_band_over_100m") == "unknown"
    assert s.figure("big_low", T, "rd_band_over_100m") == pytest.approx(0.025)  # the binding year
    assert [s.status("mid", T, b) for b in bands] == ["not_applicable", "met", "not_applicable"]
    assert s.figure("mid", T, "rd_band_50m_100m") == pytest.approx(0.065)
    assert s.status("mid_low", T, "rd_band_50m_100m") == "unknown"
    assert [s.status("tiny", T, b) for b in bands] == ["not_applicable", "not_applicable", "unknown"]
    assert s.figure("tiny", T, "rd_band_under_50m") == pytest.approx(2.4e6 * 2)  # R&D sum of 2 years
    assert [s.status("norev", T, b) for b in bands] == ["unknown"] * 3  # revenue missing
    # 专: niche >= 3, share >= 70%, 2-year average growth of main-business revenue >= 5% (flat firms: 0%)
    assert s.status("big", T, "niche_years") == "met"
    assert s.status("big", T, "main_business_share") == "met" and s.figure("big", T, "main_business_share") == 0.8
    assert s.status("big", T, "main_business_growth") == "not_met"
    assert s.figure("big", T, "main_business_growth") == pytest.approx(0.0)
    # prerequisite: already a 专精特新中小企业
    assert s.status("big", T, "prerequisite") == "met" and s.status("nosrdi", T, "prerequisite") == "not_met"
    assert s.firms[("nosrdi", T)]["failed"] == "prerequisite main_business_growth"
    assert ("big", T, "market_share") not in s.rows  # not in the warehouse: unknown for all
    # unknown: it_support, certification, debt_ratio, market_share, brand, ip, chain_role, key_field (not in the
    # warehouse) and rd_institution (no 企业技术中心 honour; other institutions are not registered)
    assert s.firms[("big", T)]["unknown"] == 9


def test_little_giant_growth_needs_two_years_of_growth(pack):
    firms = {
        "grow": {"years": {2021: {"revenue": 8e7}, 2022: {"revenue": 9e7}, 2023: {"revenue": 1e8}}},
        "new": {"founded": dt.date(2021, 3, 1), "years": {2020: {"absent": True}, 2021: {"absent": True}}},
    }
    s = Screened(pack.ladder, firms, [("grow", "srdi_sme", "municipal", 2022), ("new", "srdi_sme", "municipal", 2022)])
    T = "little_giant"
    assert s.figure("grow", T, "main_business_growth") == pytest.approx(((1e8 / 9e7 - 1) + (9e7 / 8e7 - 1)) / 2)
    assert s.status("grow", T, "main_business_growth") == "met"
    assert s.status("new", T, "main_business_growth") == "unknown"  # no 2021 figures: data missing
    assert s.status("new", T, "niche_years") == "not_met"  # 2 years < 3


# ---------------------------------------------------------------------------------------------- 单项冠军
def test_single_champion_rules(pack):
    firms = {
        "old": {"founded": dt.date(2010, 1, 1), "all": {"margin": 0.10, "share": 0.9}},
        "peer": {"founded": dt.date(2016, 1, 1), "all": {"margin": 0.04, "share": 0.6, "rd_share": 0.02}},
        "solo": {"industry": "C3611"},
    }
    s = Screened(pack.ladder, firms, [("old", "single_champion", "national", 2024)])
    T = "single_champion"
    assert s.status("old", T, "focus_years") == "met" and s.figure("old", T, "focus_years") == 13
    # 7 years: under the 10-year route, and the 3-year new-product route cannot be checked -> unknown
    assert s.status("peer", T, "focus_years") == "unknown" and s.figure("peer", T, "focus_years") == 7
    assert s.status("old", T, "niche_share") == "met" and s.status("peer", T, "niche_share") == "not_met"
    assert s.status("old", T, "profitability") == "met"
    assert s.figure("old", T, "profitability") == pytest.approx(0.03)  # 10% - mean(10%, 4%)
    assert s.status("peer", T, "profitability") == "not_met"
    assert s.status("solo", T, "profitability") == "unknown"
    assert s.status("old", T, "rd_intensity") == "met" and s.status("peer", T, "rd_intensity") == "not_met"
    for c in ("eligibility", "market_position", "innovation", "brand_strategy"):
        assert ("old", T, c) not in s.rows
    f = s.firms[("old", T)]
    assert (f["holder"], f["screen"], f["status"], f["met"], f["unknown"]) == (False, "unknown", "candidate", 4, 4)
    assert s.firms[("peer", T)]["failed"] == "niche_share profitability rd_intensity"


def test_holders_above_and_candidates(pack):
    firms = {"lg": {}, "srdi": {}, "none": {}}
    s = Screened(
        pack.ladder,
        firms,
        [
            ("lg", "little_giant", "national", 2021),
            ("lg", "srdi_sme", "municipal", 2020),
            ("srdi", "srdi_sme", "municipal", 2023),
        ],
    )
    assert s.firms[("lg", "little_giant")]["status"] == "holder"
    assert s.firms[("lg", "srdi_sme")]["status"] == "holder"
    assert s.firms[("lg", "innovative_sme")]["status"] == "above"  # holds a higher tier
    assert s.firms[("srdi", "srdi_sme")]["holder"] is True
    assert s.firms[("srdi", "innovative_sme")]["holds_higher"] is True
    assert s.firms[("none", "little_giant")]["status"] == "not_met"  # prerequisite
    assert s.firms[("srdi", "little_giant")]["status"] in ("candidate", "not_met")
    d = {
        (r["region_code"], r["tier"]): r
        for r in run(
            ld.district_table(
                lt.firm_table(s.wide, pack.ladder, s.meta, YEAR),
                ibis.memtable({"code": ["A", "P"], "name_zh": ["A区", "省"]}),
                "P",
            )
        ).to_pylist()
    }
    lg = d[("A", "little_giant")]
    assert (lg["screened"], lg["holders"]) == (3, 1) and lg["holders"] + lg["above"] + lg["candidates"] + lg[
        "not_met"
    ] == 3
    assert d[("P", "innovative_sme")]["above"] == 2


# ---------------------------------------------------------------------------------------------- logic
def test_conditions_each_average_sum_between_honours_and_unknown_measures():
    w = ibis.memtable(
        pa.table(
            {
                "rd_intensity__0": [0.05, 0.05, None, 0.02],
                "rd_intensity__1": [0.04, 0.02, 0.05, 0.02],
                "h__srdi_sme": [True, False, False, True],
                "h__srdi_sme__3": [False, False, False, True],
            }
        )
    )

    def ev(c: Condition):
        ok, fig = ls.condition(w, c)
        out = run(w.select(ok=ok, fig=fig if fig is not None else ibis.null("float64"))).to_pylist()
        return [r["ok"] for r in out], [r["fig"] for r in out]

    each = Condition(measure="rd_intensity", op=">=", value=0.03, years=2, aggregate="each")
    ok, fig = ev(each)
    assert ok == [True, False, None, False] and fig == [0.04, 0.02, 0.05, 0.02]  # the binding (lowest) year
    avg = Condition(measure="rd_intensity", op=">=", value=0.03, years=2, aggregate="average")
    ok, fig = ev(avg)
    assert ok == [True, True, None, False] and fig[:2] == [pytest.approx(0.045), pytest.approx(0.035)]
    assert fig[2] is None  # a year missing
    total = Condition(measure="rd_intensity", op="<", value=0.08, years=2, aggregate="sum")
    assert ev(total)[0] == [False, True, None, True]
    between = Condition(measure="rd_intensity", op="between", value=0.02, high=0.05)
    assert ev(between)[0] == [False, False, None, True]  # 0.02 <= x < 0.05
    last = Condition(measure="rd_intensity", op=">=", value=0.03)
    assert ev(last) == ([True, True, None, False], [0.05, 0.05, None, 0.02])
    held = Condition(measure="honour:srdi_sme", op="true")
    assert ev(held) == ([True, False, False, True], [1.0, 0.0, 0.0, 1.0])
    recent = Condition(measure="honour:srdi_sme", op="true", years=3)
    assert ev(recent)[0] == [False, False, False, True]
    ip = Condition(measure="class1_ip_count", op=">=", value=2)  # not in the warehouse
    assert ev(ip) == ([None] * 4, [None] * 4)


def test_three_valued_logic_of_criteria():
    from zhizao.reference.models import Criterion

    w = ibis.memtable(
        pa.table({"revenue__0": [2e8, 2e8, None, None, 1e7], "rd_intensity__0": [0.05, 0.01, 0.05, 0.01, 0.01]})
    )
    crit = Criterion(
        id="c",
        label_zh="c",
        label_en="c",
        status="unverified",
        applies_if=Condition(measure="revenue", op=">=", value=1e8),
        any_of=[Condition(measure="rd_intensity", op=">=", value=0.03), Condition(measure="st_award", op="true")],
    )
    r = ls.criterion_row(w, crit, "criterion")
    got = [ls.STATUS[x["s"]] for x in run(w.select(s=r.status)).to_pylist()]
    # met; general route failed but another route unknown → unknown; revenue missing but the test passes
    # whether or not the band applies → met; revenue missing and the test fails → unknown; band does not apply
    assert got == ["met", "unknown", "met", "unknown", "not_applicable"]
    strict = crit.model_copy(update={"any_of": [Condition(measure="rd_intensity", op=">=", value=0.03)]})
    got = [ls.STATUS[x["s"]] for x in run(w.select(s=ls.criterion_row(w, strict, "criterion").status)).to_pylist()]
    assert got == ["met", "not_met", "met", "unknown", "not_applicable"]
    both = Criterion(
        id="d",
        label_zh="d",
        label_en="d",
        status="unverified",
        all_of=[
            Condition(measure="rd_intensity", op=">=", value=0.03),
            Condition(measure="equity_financing", op=">=", value=1),
        ],
        replaced_by=[Condition(measure="chuangke_top", op="true")],
    )
    got = [ls.STATUS[x["s"]] for x in run(w.select(s=ls.criterion_row(w, both, "criterion").status)).to_pylist()]
    assert got == ["unknown"] * 5  # (true ∧ ?) ∨ ? and (false ∧ ?) ∨ ? are both unknown


# ---------------------------------------------------------------------------------------------- pipeline
def test_honour_counts_and_the_pipeline_against_the_pack_targets(pack):
    h = ibis.memtable(
        pa.Table.from_pylist(
            [
                {"uscc": "x", "kind": "little_giant", "level": "national", "year": 2021},
                {"uscc": "y", "kind": "little_giant", "level": "municipal", "year": 2019},  # the old municipal scheme
                {"uscc": "z", "kind": "little_giant", "level": "national", "year": 2024},
                {"uscc": "z", "kind": "little_giant", "level": "national", "year": 2025},  # a second record: first 2024
                {"uscc": "w", "kind": "little_giant", "level": "national", "year": 2025},
                {"uscc": "v", "kind": "little_giant", "level": "national", "year": 2026},
            ],  # after the year asked
            schema=pa.schema(
                [("uscc", pa.string()), ("kind", pa.string()), ("level", pa.string()), ("year", pa.int16())]
            ),
        )
    )
    e = ibis.memtable(
        {"uscc": ["x", "y", "z", "w", "v"], "region_code": ["500101", "500101", "500102", "500102", "500102"]}
    )
    counts = run(ld.honour_counts(h, e, "little_giant", ["national"], 2025, None)).to_pylist()
    assert sorted((r["region_code"], r["first_year"], r["firms"]) for r in counts) == [
        ("500101", 2021, 1),
        ("500102", 2024, 1),
        ("500102", 2025, 1),
    ]
    tiers = [t for t in pack.ladder.tiers if t.key == "little_giant"]
    cand = [
        {"tier": "little_giant", "region_code": "500101", "candidates": 40},
        {"tier": "little_giant", "region_code": "500102", "candidates": 2},
    ]
    out = {
        r["target_id"]: r
        for r in ld.pipeline(
            pack,
            tiers,
            2025,
            {("little_giant", "little_giant_count"): counts, ("little_giant", "new_little_giant_count"): counts},
            cand,
        ).to_pylist()
    }
    new = out["cq-2027-target-new-little-giants"]  # 新增国家级小巨人 120, 2024..2027
    assert (new["kind"], new["period_start"], new["period_end"], new["target"]) == ("new", 2024, 2027, 120.0)
    assert (new["achieved"], new["gap"], new["candidates"], new["covered"]) == (2, 118.0, 42, False)
    assert (new["years_left"], new["needed_per_year"]) == (2, pytest.approx(59.0))
    annual = out["cq-annual-target-little-giants"]  # >= 30 a year
    assert (annual["kind"], annual["achieved"], annual["gap"]) == ("annual", 1, 29.0)
    later = out["cq-2027-target-new-little-giants-2025plan"]  # 90 over 2025..2027
    assert later["achieved"] == 1
    assert all(r["scope_code"] == "500000" for r in out.values())
    # a figure about a sub-sector (零部件 little giants) is not compared with whole-region counts
    assert "cq-2025-target-icv-parts-little-giants" not in out


def test_stock_targets_count_holders(pack):
    tiers = [t for t in pack.ladder.tiers if t.key == "srdi_sme"]
    counts = [
        {"region_code": "500101", "first_year": 2021, "firms": 3, "holders": 3},
        {"region_code": "500102", "first_year": 2023, "firms": 2, "holders": 2},
    ]
    out = {
        r["target_id"]: r
        for r in ld.pipeline(
            pack,
            tiers,
            2023,
            {("srdi_sme", "specialized_sme_count"): counts, ("srdi_sme", "new_specialized_sme_count"): counts},
            [],
        ).to_pylist()
    }
    stock = out["cq-2027-target-specialized-smes"]
    assert (stock["kind"], stock["target"], stock["achieved"], stock["gap"], stock["years_left"]) == (
        "stock",
        5000.0,
        5,
        4995.0,
        4,
    )
    assert out["cq-annual-target-specialized-smes"]["achieved"] == 2


# ---------------------------------------------------------------------------------------------- demo
@pytest.fixture(scope="module")
def demo_ladder(duckdb_ctx):
    return gr.evaluate(duckdb_ctx)


def test_registered_as_an_instrument():
    ins = next(i for i in INSTRUMENTS if i.name == "ladder")
    assert ins.module == "ladder" and "tier_screening" in ins.results


def test_demo_screening_is_consistent(demo_ladder, pack):
    firms = demo_ladder["ladder_firm"].to_pylist()
    tiers = {t.key for t in pack.ladder.tiers}
    n = len({r["uscc"] for r in firms})
    assert n > 1000 and len(firms) == n * len(tiers)
    for r in firms:
        if r["status"] == "not_met":
            assert r["screen"] == "not_met" and r["failed"] and r["not_met"] == len(r["failed"].split())
        if r["status"] == "candidate":
            assert r["not_met"] == 0 and not r["holder"] and not r["holds_higher"]
    # every requirement row of a failed firm is in tier_screening as not_met
    scr = demo_ladder["tier_screening"]
    assert set(scr.column("status").to_pylist()) <= set(ls.STATUS)
    for one in [r for r in firms if r["status"] == "not_met"][:20]:
        rows = {
            r["criterion"]: r["status"]
            for r in scr.filter(pa.compute.equal(scr.column("uscc"), one["uscc"])).to_pylist()
            if r["tier"] == one["tier"]
        }
        assert all(rows[c] == "not_met" for c in one["failed"].split())
    crit = demo_ladder["ladder_criteria"].to_pylist()
    for c in crit:
        assert c["met"] + c["not_met"] + c["unknown"] + c["scored"] + c["not_applicable"] == n
    d = {(r["region_code"], r["tier"]): r for r in demo_ladder["ladder_district"].to_pylist()}
    for t in tiers:
        whole = d[("500000", t)]
        assert whole["screened"] == n
        assert whole["candidates"] == sum(
            r["candidates"] for (code, tt), r in d.items() if tt == t and code != "500000"
        )
    pipe = {r["target_id"]: r for r in demo_ladder["ladder_pipeline"].to_pylist()}
    assert pipe["cq-2027-target-specialized-smes"]["target"] == 5000
    assert pipe["cq-2027-target-single-champions"]["target"] == 15
    assert "firms screened" in gr.summarise(demo_ladder)


def test_duckdb_and_spark_give_the_same_ladder_tables(duckdb_ctx, spark_ctx, demo_ladder):
    other = gr.evaluate(spark_ctx)
    assert_same_rows(demo_ladder["ladder_firm"], other["ladder_firm"], keys=["uscc", "tier"])
    assert_same_rows(demo_ladder["ladder_district"], other["ladder_district"], keys=["region_code", "tier"])
    assert_same_rows(demo_ladder["ladder_pipeline"], other["ladder_pipeline"], keys=["target_id"])
    assert_same_rows(demo_ladder["ladder_criteria"], other["ladder_criteria"], keys=["tier", "criterion"])
    assert_same_rows(demo_ladder["tier_screening"], other["tier_screening"], keys=["uscc", "tier", "criterion"])


# ---------------------------------------------------------------------------------------------- CLI
def test_cli_pipeline_candidates_and_one_firm(demo, demo_ladder):
    r = CliRunner().invoke(app, ["ladder", "--db", str(demo[0]), "--year", "2023"])
    assert r.exit_code == 0, r.output
    assert "pipeline" in r.output and "SYNTHETIC" in r.output
    r = CliRunner().invoke(
        app,
        ["ladder", "--db", str(demo[0]), "--year", "2023", "--tier", "little_giant", "--region", "涪陵区", "--json"],
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and {x["status"] for x in rows} == {"candidate"} and {x["region_code"] for x in rows} == {"500102"}
    uscc = rows[0]["uscc"]
    r = CliRunner().invoke(app, ["ladder", "--db", str(demo[0]), "--year", "2023", "--uscc", uscc, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert len(out["firm"]) == 4
    crit = out["screening"]
    assert len(crit) == demo_ladder["ladder_criteria"].num_rows  # every criterion, every tier
    assert {c["status"] for c in crit} <= set(ls.STATUS)
    ms = next(c for c in crit if c["tier"] == "little_giant" and c["criterion"] == "market_share")
    assert (ms["status"], ms["why_unknown"]) == ("unknown", "not in the warehouse")
    r = CliRunner().invoke(
        app, ["ladder", "--db", str(demo[0]), "--show", "criteria", "--tier", "single_champion", "--json"]
    )
    assert r.exit_code == 0, r.output
    assert [c["criterion"] for c in json.loads(r.output)] == [
        c.id for c in next(t for t in pack_tiers() if t.key == "single_champion").criteria
    ]
    r = CliRunner().invoke(app, ["ladder", "--db", str(demo[0]), "--show", "districts", "--region", "主城新区"])
    assert r.exit_code == 0 and "districts" in r.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--tier", "nope"], "unknown tier 'nope'"),
        (["--region", "火星"], "unknown region"),
        (["--uscc", "91500000000000000X"], "no figures for firm"),
        (["--year", "1999"], "no figures for 1999"),
        (["--show", "everything"], "unknown view"),
    ],
)
def test_cli_bad_input_is_a_clear_message_and_exit_code_2(demo, args, message):
    r = CliRunner().invoke(app, ["ladder", "--db", str(demo[0]), *args])
    assert r.exit_code == 2 and message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_cli_on_an_empty_warehouse(empty_warehouse):
    r = CliRunner().invoke(app, ["ladder", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())


def pack_tiers():
    from zhizao.reference import load_pack

    return load_pack("chongqing").ladder.tiers


def test_unknown_tier_in_the_library(pack):
    with pytest.raises(AnalyticsError, match="unknown tier"):
        gr.tier_by_key(pack.ladder, "gazelle")
