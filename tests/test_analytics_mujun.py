"""亩均论英雄: the per-mu evaluation as the pack's method states it — each formula checked by hand on a few
firms, the published 黄岩 weights and benchmarks reproduced exactly (a firm at every benchmark scores 100),
then the demo warehouse, DuckDB against Spark, and the `zhizao mujun` command.

Tiny warehouse used below (year 2023, money in yuan, land in 亩): counties A and B, industries C36 (section C)
and D44 (section D, a utility). Indicator values are in the benchmark's unit (万元 = 1e4 yuan).
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
from zhizao.analytics import mujun as mj
from zhizao.cli import app
from zhizao.reference.models import MujunMethod

YEAR = 2023
EY_COLUMNS = [
    ("uscc", pa.string()),
    ("year", pa.int16()),
    ("revenue", pa.float64()),
    ("output_value", pa.float64()),
    ("value_added", pa.float64()),
    ("tax", pa.float64()),
    ("profit", pa.float64()),
    ("land_mu", pa.float64()),
    ("energy_tce", pa.float64()),
    ("emission_equiv", pa.float64()),
    ("rd_expense", pa.float64()),
    ("employees", pa.int32()),
    ("fixed_investment", pa.float64()),
    ("tech_renovation_investment", pa.float64()),
    ("main_business_share", pa.float64()),
]


def warehouse(firms: list[dict], years: list[dict]) -> dict:
    """ibis memtables shaped like the warehouse tables the module reads."""
    e = pa.table(
        {
            "uscc": [f["uscc"] for f in firms],
            "name": [f.get("name", f["uscc"]) for f in firms],
            "region_code": [f.get("region", "A") for f in firms],
            "park_id": [f.get("park") for f in firms],
            "industry_code": [f.get("industry", "C3670") for f in firms],
            "founded": pa.array([f.get("founded", dt.date(2000, 1, 1)) for f in firms], pa.date32()),
            "synthetic": [False for _ in firms],
        }
    )
    ey = pa.table({c: pa.array([r.get(c, YEAR if c == "year" else None) for r in years], t) for c, t in EY_COLUMNS})
    ind = pa.table(
        {
            "code": ["C", "C36", "C367", "C3670", "D", "D44", "D441", "I", "I65"],
            "name_zh": ["制造业", "汽车", "零部件", "零部件", "电力", "电力生产", "电力生产", "信息", "软件"],
            "level": ["section", "division", "group", "class", "section", "division", "group", "section", "division"],
            "section": ["C", "C", "C", "C", "D", "D", "D", "I", "I"],
            "division": [None, "C36", "C36", "C36", None, "D44", "D44", None, "I65"],
        }
    )
    region = pa.table(
        {"code": ["P", "A", "B"], "name_zh": ["省", "A区", "B区"], "level": ["province", "county", "county"]}
    )
    park = pa.table({"id": ["p1"], "name_zh": ["一号园"], "region_code": ["A"]})
    return {
        k: ibis.memtable(v)
        for k, v in {"enterprise": e, "enterprise_year": ey, "industry": ind, "region": region, "park": park}.items()
    }


def run(expr) -> list[dict]:
    return ibis.duckdb.connect().to_pyarrow(expr).to_pylist()


def method(**kw) -> MujunMethod:
    """A small method: tax per mu (weight 60, benchmark 10 万元/亩) and value added per employee (weight 40,
    benchmark 20 万元/人), classes by share 20/60/95/100, not rated: under 2 years, section D."""
    base = dict(
        id="m",
        name_zh="测试",
        name_en="test",
        place="X",
        year=2023,
        scope="all",
        status="unverified",
        indicators=[
            dict(
                key="tax_per_mu",
                name_zh="亩均税收",
                name_en="t",
                numerator="tax",
                denominator="land_mu",
                scale=1e-4,
                unit="万元/亩",
                weight=60,
                benchmark=10.0,
            ),
            dict(
                key="labour_productivity",
                name_zh="全员劳动生产率",
                name_en="l",
                numerator="value_added",
                denominator="employees",
                scale=1e-4,
                unit="万元/人",
                weight=40,
                benchmark=20.0,
            ),
        ],
        class_rule="share",
        classes=[
            dict(key="A", name_zh="优先发展类", name_en="a", top_share=0.2),
            dict(key="B", name_zh="鼓励提升类", name_en="b", top_share=0.6),
            dict(key="C", name_zh="监管调整类", name_en="c", top_share=0.95),
            dict(key="D", name_zh="限制整治类", name_en="d", top_share=1.0),
        ],
        not_rated={"min_age_years": 2, "excluded_sections": ["D"], "label": "T", "name_zh": "不参评"},
        rank_within=["region"],
    )
    for k, v in kw.items():
        if k == "indicator_changes":
            for i, ch in v.items():
                base["indicators"][i] = {**base["indicators"][i], **ch}
        else:
            base[k] = v
    return MujunMethod(**base)


def evaluate_tiny(firms, years, m, year=YEAR, prior=True, rules=None):
    w = warehouse(firms, years)
    ev = mj.evaluation(
        w["enterprise"], w["enterprise_year"], w["industry"], year, m, prior_year_available=prior, rules=rules
    )
    return {r["uscc"]: r for r in run(mj.score_table(ev, m, year))}, ev, w


def firm_year(uscc, tax_wan_per_mu=None, va_wan_per_person=None, land=10.0, employees=100, **extra):
    """A year row with the two indicators of `method()` at the given values (None = figure missing)."""
    row = {"uscc": uscc, "land_mu": land, "employees": employees, "revenue": 1e8}
    row["tax"] = None if tax_wan_per_mu is None else tax_wan_per_mu * land * 1e4
    row["value_added"] = None if va_wan_per_person is None else va_wan_per_person * employees * 1e4
    return {**row, **extra}


# ---------------------------------------------------------------------------------------------- 黄岩 2022
HUANGYAN = {  # indicator: (weight, benchmark) as published for 黄岩区 2022 (research notes, mujun.yaml)
    "亩均税收": (30, 24.097),
    "亩均增加值": (20, 136.16),
    "单位能耗增加值": (20, 2.694),
    "单位排放增加值": (10, 4929.81),
    "全员劳动生产率": (10, 18.14),
    "R&D经费支出占主营业务收入之比": (10, 0.0302),
}


def test_the_default_method_is_huangyan_2022_with_its_published_weights_and_benchmarks(pack):
    m = mj.method_by_id(pack)
    assert m.id == "huangyan-2022"
    assert {i.name_zh: (i.weight, i.benchmark) for i in m.indicators} == HUANGYAN
    assert [i.cap for i in m.indicators] == [None] * 6  # no cap published
    assert {i.key: i.missing for i in m.indicators}["value_added_per_emission"] == "average"


def test_a_firm_exactly_at_every_huangyan_benchmark_scores_100(pack):
    m = mj.method_by_id(pack, "huangyan-2022")
    va_wan, employees, revenue = 18.14 * 100, 100, 1e8  # labour productivity 18.14 万元/人
    land = va_wan / 136.16  # 亩均增加值 136.16 万元/亩
    at_benchmark = {
        "uscc": "f1",
        "revenue": revenue,
        "value_added": va_wan * 1e4,
        "employees": employees,
        "land_mu": land,
        "tax": 24.097 * land * 1e4,
        "energy_tce": va_wan / 2.694,
        "emission_equiv": va_wan / 4929.81,
        "rd_expense": 0.0302 * revenue,
    }
    twice_the_tax = {**at_benchmark, "uscc": "f2", "tax": 2 * at_benchmark["tax"]}
    got, _, _ = evaluate_tiny([{"uscc": "f1"}, {"uscc": "f2"}], [at_benchmark, twice_the_tax], m, rules=pack)
    f1 = got["f1"]
    for key in (
        "tax_per_mu",
        "value_added_per_mu",
        "value_added_per_energy",
        "value_added_per_emission",
        "labour_productivity",
        "rd_ratio",
    ):
        ind = next(i for i in m.indicators if i.key == key)
        assert f1[key] == pytest.approx(ind.benchmark, rel=1e-12)
        assert f1[f"{key}_score"] == pytest.approx(ind.weight, rel=1e-12)
    assert f1["total_score"] == pytest.approx(100.0, rel=1e-12)
    assert got["f2"]["total_score"] == pytest.approx(130.0, rel=1e-12)  # linear, uncapped: 2 × 30 + 70


def test_huangyan_missing_emissions_get_the_average_emission_score_of_the_district(pack):
    m = mj.method_by_id(pack, "huangyan-2022")
    base = {
        "revenue": 1e8,
        "value_added": 1e7,
        "employees": 50,
        "land_mu": 10.0,
        "tax": 1e6,
        "energy_tce": 500.0,
        "rd_expense": 1e6,
    }
    years = [
        {**base, "uscc": "a1", "emission_equiv": 1000 / 4929.81},  # 1000 万元 VA per unit → score 10
        {**base, "uscc": "a2", "emission_equiv": 1000 / (0.5 * 4929.81)},  # half → score 5
        {**base, "uscc": "a3", "emission_equiv": None},  # not reported
        {**base, "uscc": "b1", "emission_equiv": None},
    ]  # alone in county B: nobody to average
    firms = [{"uscc": "a1"}, {"uscc": "a2"}, {"uscc": "a3"}, {"uscc": "b1", "region": "B"}]
    got, _, _ = evaluate_tiny(firms, years, m, rules=pack)
    assert got["a1"]["value_added_per_emission_score"] == pytest.approx(10.0)
    assert got["a2"]["value_added_per_emission_score"] == pytest.approx(5.0)
    assert got["a3"]["value_added_per_emission_score"] == pytest.approx(7.5)  # (10 + 5) / 2
    assert got["a3"]["missing"] == "value_added_per_emission"
    assert got["b1"]["value_added_per_emission_score"] == 0.0
    assert got["a3"]["total_score"] - got["a1"]["total_score"] == pytest.approx(-2.5)


# ---------------------------------------------------------------------------------------------- formulas
def test_indicator_value_is_numerator_over_denominator_in_the_benchmark_unit_and_missing_without_a_denominator():
    m = method()
    years = [
        firm_year("f1", 6.0, 30.0),
        {"uscc": "f2", "tax": 1e6, "land_mu": 0.0, "value_added": 1e6, "employees": 5},
        {"uscc": "f3", "tax": 1e6, "land_mu": None, "value_added": None, "employees": 5},
    ]
    got, _, _ = evaluate_tiny([{"uscc": u} for u in ("f1", "f2", "f3")], years, m)
    assert got["f1"]["tax_per_mu"] == pytest.approx(6.0)  # 600,000 yuan / 10 mu = 6 万元/亩
    assert got["f1"]["labour_productivity"] == pytest.approx(30.0)
    assert got["f2"]["tax_per_mu"] is None  # no land: missing, not infinite
    assert got["f2"]["labour_productivity"] == pytest.approx(20.0)  # 100 万元 / 5 people
    assert got["f3"]["tax_per_mu"] is None and got["f3"]["labour_productivity"] is None
    # rule 'zero' (the default): a missing figure scores 0
    assert got["f2"]["tax_per_mu_score"] == 0.0 and got["f2"]["missing"] == "tax_per_mu"
    assert got["f3"]["total_score"] == 0.0 and got["f3"]["missing"] == "tax_per_mu labour_productivity"


def test_score_is_value_over_benchmark_times_weight_and_a_cap_limits_each_indicator():
    years = [firm_year("f1", 30.0, 10.0), firm_year("f2", 5.0, 80.0)]
    firms = [{"uscc": "f1"}, {"uscc": "f2"}]
    got, _, _ = evaluate_tiny(firms, years, method())
    assert got["f1"]["tax_per_mu_score"] == pytest.approx(180.0)  # 30/10 × 60
    assert got["f1"]["labour_productivity_score"] == pytest.approx(20.0)  # 10/20 × 40
    assert got["f1"]["total_score"] == pytest.approx(200.0)
    capped = method(indicator_changes={0: {"cap": 1.5}, 1: {"cap": 2.0}})
    got, _, _ = evaluate_tiny(firms, years, capped)
    assert got["f1"]["tax_per_mu_score"] == pytest.approx(90.0)  # at most 1.5 × 60
    assert got["f1"]["total_score"] == pytest.approx(110.0)
    assert got["f2"]["tax_per_mu_score"] == pytest.approx(30.0)  # under the cap: unchanged
    assert got["f2"]["labour_productivity_score"] == pytest.approx(80.0)  # 80/20 × 40 = 160, at most 2 × 40


def test_missing_rule_average_uses_rated_firms_of_the_same_unit_only():
    m = method(indicator_changes={0: {"missing": "average"}})
    years = [
        firm_year("a1", 10.0, 20.0),
        firm_year("a2", 20.0, 20.0),
        firm_year("a3", None, 20.0),
        firm_year("a4", 100.0, 20.0),
        firm_year("b1", 50.0, 20.0),
    ]
    firms = [
        {"uscc": "a1"},
        {"uscc": "a2"},
        {"uscc": "a3"},
        {"uscc": "a4", "founded": dt.date(2023, 3, 1)},  # too young: not rated, not averaged
        {"uscc": "b1", "region": "B"},
    ]  # another county
    got, ev, _ = evaluate_tiny(firms, years, m)
    assert got["a3"]["tax_per_mu_score"] == pytest.approx((60.0 + 120.0) / 2)
    assert got["a4"]["class"] == "T" and got["a4"]["tax_per_mu_score"] is None
    bench = {(r["unit"], r["indicator"]): r for r in run(mj.benchmark_table(ev, m, YEAR))}
    assert bench[("A", "tax_per_mu")]["missing_average"] == pytest.approx(90.0)
    assert (bench[("A", "tax_per_mu")]["with_figure"], bench[("A", "tax_per_mu")]["without_figure"]) == (2, 1)
    assert bench[("A", "tax_per_mu")]["benchmark"] == 10.0


def test_missing_rule_exclude_rescales_the_total_to_the_full_weight():
    m = method(indicator_changes={1: {"missing": "exclude"}})
    years = [firm_year("f1", 10.0, None), firm_year("f2", 10.0, 20.0)]
    got, _, _ = evaluate_tiny([{"uscc": "f1"}, {"uscc": "f2"}], years, m)
    assert got["f1"]["labour_productivity_score"] is None
    assert got["f1"]["total_score"] == pytest.approx(60.0 * 100 / 60)  # 60 of weight 60, rescaled to 100
    assert got["f2"]["total_score"] == pytest.approx(100.0)


def score_firms(scores: list[float], m=None, region="A"):
    """Firms s0, s1 … whose total equals the given scores (labour productivity at 0, tax carries the score)."""
    m = m or method()
    years = [firm_year(f"s{i}", s / 60 * 10, 0.0) for i, s in enumerate(scores)]
    got, ev, w = evaluate_tiny([{"uscc": f"s{i}", "region": region} for i in range(len(scores))], years, m)
    return got, ev, w


def test_classes_by_share_top_20_to_60_to_95_per_cent_and_tied_firms_share_the_better_class():
    got, _, _ = score_firms([100, 90, 80, 70, 60, 50, 40, 30, 20, 10])
    assert [got[f"s{i}"]["class"] for i in range(10)] == list("AABBBBCCCD")
    # positions 2 and 3 tied: position 3 would be B, but a tie takes the better class (both A)
    got, _, _ = score_firms([100, 90, 90, 70, 60, 50, 40, 30, 20, 10])
    assert [got[f"s{i}"]["class"] for i in range(10)] == list("AAABBBCCCD")
    # ties at the bottom: the two last firms share position 9 → both C (9 <= 0.95 × 10)
    got, _, _ = score_firms([100, 90, 80, 70, 60, 50, 40, 30, 20, 20])
    assert [got[f"s{i}"]["class"] for i in range(10)][-2:] == ["C", "C"]


def test_classes_by_threshold():
    m = method(
        class_rule="threshold",
        classes=[
            dict(key="A", name_zh="a", name_en="a", min_score=120),
            dict(key="B", name_zh="b", name_en="b", min_score=90),
            dict(key="C", name_zh="c", name_en="c", min_score=60),
            dict(key="D", name_zh="d", name_en="d"),
        ],
    )
    got, _, _ = score_firms([150, 120, 119.9, 90, 60, 59.9, 0], m)
    assert [got[f"s{i}"]["class"] for i in range(7)] == list("AABBCDD")


def test_not_rated_firms_are_their_own_class_without_score_or_rank_and_do_not_count_in_the_shares():
    years = [firm_year(f"s{i}", s / 60 * 10, 0.0) for i, s in enumerate([100, 90, 80, 70, 60])] + [
        firm_year("young", 1000.0, 0.0),
        firm_year("utility", 1000.0, 0.0),
        firm_year("undated", 10.0, 0.0),
    ]
    firms = [{"uscc": f"s{i}"} for i in range(5)] + [
        {"uscc": "young", "founded": dt.date(2022, 6, 1)},  # 2023 - 2022 = 1 year < 2
        {"uscc": "utility", "industry": "D441"},  # section D excluded
        {"uscc": "undated", "founded": None},
    ]  # no founding date: rated
    got, _, _ = evaluate_tiny(firms, years, method())
    for u, reason in (("young", "too_young"), ("utility", "excluded_section")):
        r = got[u]
        assert (r["class"], r["class_name"], r["rated"], r["not_rated_reason"]) == ("T", "不参评", False, reason)
        assert r["total_score"] is None and r["rank_region"] is None and r["rank_industry"] is None
    assert got["undated"]["rated"] is True
    # six rated firms (undated scores 60, tied with s4): A = positions <= 1.2, B <= 3.6, C <= 5.7, D the rest;
    # the not-rated firms' 1000 万元/亩 push nobody down
    assert got["s0"]["class"] == "A" and got["s0"]["rank_region"] == 1
    assert [got[f"s{i}"]["class"] for i in range(5)] == list("ABBCC") and got["undated"]["class"] == "C"
    founded_two_years_ago = [{"uscc": "x", "founded": dt.date(2021, 12, 31)}]
    got, _, _ = evaluate_tiny(founded_two_years_ago, [firm_year("x", 10.0, 20.0)], method())
    assert got["x"]["rated"] is True  # 2023 - 2021 = 2 years: rated


def test_ranks_within_district_and_within_industry():
    firms = [
        {"uscc": "a1"},
        {"uscc": "a2", "industry": "C36"},
        {"uscc": "b1", "region": "B"},
        {"uscc": "b2", "region": "B", "industry": "I65"},
        {"uscc": "b3", "region": "B"},
    ]
    years = [
        firm_year("a1", 10.0, 0.0),
        firm_year("a2", 30.0, 0.0),
        firm_year("b1", 20.0, 0.0),
        firm_year("b2", 40.0, 0.0),
        firm_year("b3", 20.0, 0.0),
    ]
    got, _, _ = evaluate_tiny(firms, years, method())
    assert {u: got[u]["rank_region"] for u in got} == {"a1": 2, "a2": 1, "b1": 2, "b2": 1, "b3": 2}
    # division C36 holds a1, a2, b1, b3 across both counties (C3670 and C36 both sit in C36); b2 is alone in I65
    assert {u: got[u]["rank_industry"] for u in got} == {"a1": 4, "a2": 1, "b1": 2, "b2": 1, "b3": 2}
    assert {u: got[u]["division"] for u in got}["b2"] == "I65"


def test_scope_keeps_the_method_sections_and_above_scale_firms():
    m = method(scope_sections=["C", "D"], scope_min_revenue=2e7)
    firms = [{"uscc": "in"}, {"uscc": "small"}, {"uscc": "soft", "industry": "I65"}, {"uscc": "norev"}]
    years = [
        firm_year("in", 10.0, 20.0),
        firm_year("small", 10.0, 20.0, revenue=1.99e7),
        firm_year("soft", 10.0, 20.0),
        firm_year("norev", 10.0, 20.0, revenue=None),
    ]
    got, _, _ = evaluate_tiny(firms, years, m)
    assert set(got) == {"in"}


def test_an_above_scale_method_takes_the_threshold_in_force_that_year(pack):
    """The pack's 规上 rule (scale.yaml): 1,990万 of revenue is below scale in YEAR (2000万 since 2011)."""
    m = method(scope_sections=["C", "D"], scope_above_scale=True)
    firms = [{"uscc": "in"}, {"uscc": "small"}, {"uscc": "soft", "industry": "I65"}]
    years = [firm_year("in", 10.0, 20.0), firm_year("small", 10.0, 20.0, revenue=1.99e7), firm_year("soft", 10.0, 20.0)]
    got, _, _ = evaluate_tiny(firms, years, m, rules=pack)
    assert set(got) == {"in"}
    with pytest.raises(AnalyticsError, match="size rules"):
        evaluate_tiny(firms, years, m)


def test_benchmark_of_prior_mean_is_a_multiple_of_the_units_previous_year_average():
    m = method(
        indicators=[
            dict(
                key="tax_per_mu",
                name_zh="亩均税收",
                name_en="t",
                numerator="tax",
                denominator="land_mu",
                scale=1e-4,
                unit="万元/亩",
                weight=100,
                benchmark_of_prior_mean=2.0,
            )
        ]
    )
    firms = [
        {"uscc": "a1"},
        {"uscc": "a2"},
        {"uscc": "a3", "founded": dt.date(2022, 1, 1)},
        {"uscc": "b1", "region": "B"},
    ]
    prior = [
        {"uscc": "a1", "year": 2022, "tax": 1e6, "land_mu": 10.0},  # 10 万元/亩
        {"uscc": "a2", "year": 2022, "tax": 9e6, "land_mu": 30.0},  # 30 万元/亩
        {"uscc": "a3", "year": 2022, "tax": 9e9, "land_mu": 1.0},  # not rated in 2022: left out
        {"uscc": "b1", "year": 2022, "tax": 5e5, "land_mu": 10.0},
    ]
    now = [{"uscc": u, "tax": 1e6, "land_mu": 10.0} for u in ("a1", "a2", "a3", "b1")]
    got, ev, _ = evaluate_tiny(firms, prior + now, m)
    # pooled: county A's 2022 亩均税收 = (100 + 900) 万元 / 40 亩 = 25 → benchmark 50; B: 5 → 10
    assert got["a1"]["total_score"] == pytest.approx(10 / 50 * 100)
    assert got["b1"]["total_score"] == pytest.approx(10 / 10 * 100)
    bench = {r["unit"]: r["benchmark"] for r in run(mj.benchmark_table(ev, m, YEAR))}
    assert bench == {"A": pytest.approx(50.0), "B": pytest.approx(10.0)}
    firms_mean = method(indicators=[{**m.indicators[0].model_dump(), "benchmark_mean": "firms"}])
    got, _, _ = evaluate_tiny(firms, prior + now, firms_mean)
    assert got["a1"]["total_score"] == pytest.approx(10 / 40 * 100)  # mean of 10 and 30 = 20, × 2
    with pytest.raises(AnalyticsError, match="previous year"):
        evaluate_tiny(firms, now, m, prior=False)


def test_district_park_and_class_figures_are_totals_over_all_firms_in_scope():
    firms = [
        {"uscc": "a1", "park": "p1"},
        {"uscc": "a2", "park": "p1"},
        {"uscc": "a3", "founded": dt.date(2023, 1, 1)},
        {"uscc": "b1", "region": "B"},
    ]
    years = [
        firm_year("a1", 20.0, 40.0, land=10.0),
        firm_year("a2", 5.0, 10.0, land=30.0),
        firm_year("a3", 10.0, 20.0, land=60.0),
        firm_year("b1", 10.0, 20.0, land=5.0, employees=10),
    ]
    got, ev, w = evaluate_tiny(firms, years, method())
    regions = {r["region_code"]: r for r in run(mj.region_figures(ev, method(), w["region"], YEAR, "P"))}
    a = regions["A"]
    # tax: 200 + 150 + 600 万元 over 100 亩 (the not-rated a3 counts in the district's totals)
    assert a["tax_per_mu"] == pytest.approx((200 + 150 + 600) / 100)
    assert a["labour_productivity"] == pytest.approx((4000 + 1000 + 2000) / 300)
    assert (a["firms"], a["rated"], a["land_mu"], a["region_name"]) == (3, 2, 100.0, "A区")
    assert (a["class_A"], a["class_T"]) == (0, 1) and a["class_B"] + a["class_C"] + a["class_D"] == 2
    assert a["mean_score"] == pytest.approx((got["a1"]["total_score"] + got["a2"]["total_score"]) / 2)
    whole = regions["P"]
    assert (whole["firms"], whole["level"]) == (4, "province")
    assert whole["tax_per_mu"] == pytest.approx((200 + 150 + 600 + 50) / 105)
    parks = run(mj.park_figures(ev, method(), w["park"], YEAR))
    assert [(p["park_id"], p["park_name"], p["region_code"], p["firms"]) for p in parks] == [("p1", "一号园", "A", 2)]
    assert parks[0]["tax_per_mu"] == pytest.approx(350 / 40)
    pol = {r["class"]: r for r in run(mj.policy_table(ev, method(), YEAR))}
    assert pol["T"]["firms"] == 1 and pol["T"]["share_of_rated"] is None
    assert sum(r["firms"] for r in pol.values()) == 4
    assert sum(r["share_of_rated"] for k, r in pol.items() if k != "T") == pytest.approx(1.0)


def test_another_method_with_other_indicators_needs_no_code_change():
    m = method(
        id="other",
        indicators=[
            dict(
                key="revenue_per_mu",
                name_zh="亩均营收",
                name_en="r",
                numerator="revenue",
                denominator="land_mu",
                scale=1e-4,
                unit="万元/亩",
                weight=50,
                benchmark=500.0,
            ),
            dict(
                key="tax_per_energy",
                name_zh="单位能耗税收",
                name_en="e",
                numerator="tax",
                denominator="energy_tce",
                scale=1e-4,
                unit="万元/tce",
                weight=50,
                benchmark=1.0,
                cap=2.0,
            ),
        ],
    )
    years = [{"uscc": "f1", "revenue": 5e7, "land_mu": 10.0, "tax": 1e7, "energy_tce": 100.0}]
    got, ev, _ = evaluate_tiny([{"uscc": "f1"}], years, m)
    r = got["f1"]
    assert r["method"] == "other" and r["revenue_per_mu"] == pytest.approx(500.0)
    assert r["tax_per_energy_score"] == pytest.approx(100.0)  # 10 / 1 × 50 = 500, capped at 2 × 50
    assert r["total_score"] == pytest.approx(150.0)
    with pytest.raises(AnalyticsError, match="not an enterprise_year column"):
        bad = method(indicators=[{**m.indicators[0].model_dump(), "numerator": "patents"}])
        evaluate_tiny([{"uscc": "f1"}], years, bad)


def test_unknown_method_and_bad_method_shapes_are_clear_errors(pack):
    with pytest.raises(AnalyticsError, match="unknown 亩均 method 'nope'.*huangyan-2022"):
        mj.method_by_id(pack, "nope")
    with pytest.raises(AnalyticsError, match="min_score"):
        mj.check_method(method(class_rule="threshold"))
    with pytest.raises(AnalyticsError, match="rank_within"):
        mj.check_method(method(rank_within=["street"]))


# ---------------------------------------------------------------------------------------------- demo
@pytest.fixture(scope="module")
def demo_tables(duckdb_ctx):
    return mj.evaluate(duckdb_ctx)


def test_registered_as_an_instrument():
    ins = next(i for i in INSTRUMENTS if i.name == "mujun")
    assert ins.module == "mujun" and ins.results[0] == "mujun_score"


def test_demo_classes_follow_the_shares_in_every_county(demo_tables, pack):
    s = demo_tables["mujun_score"].to_pylist()
    assert len(s) > 1000 and {r["method"] for r in s} == {"huangyan-2022"}
    by = {}
    for r in s:
        by.setdefault(r["region_code"], []).append(r)
    for rows in by.values():
        rated = [r for r in rows if r["rated"]]
        n = len(rated)
        if n < 20:
            continue
        a = sum(r["class"] == "A" for r in rated)
        assert a <= 0.2 * n + 1e-9 and a >= 0.2 * n - 3  # ties can only add firms
        assert sum(r["class"] in "AB" for r in rated) <= 0.6 * n + 3
        assert sorted(r["rank_region"] for r in rated)[0] == 1
    # a firm's class never beats a higher-scoring firm's in its county
    for rows in by.values():
        rated = sorted((r for r in rows if r["rated"]), key=lambda r: -r["total_score"])
        order = [r["class"] for r in rated]
        assert order == sorted(order)
    not_rated = [r for r in s if not r["rated"]]
    assert not_rated and all(r["class"] == "T" and r["total_score"] is None for r in not_rated)
    assert {r["not_rated_reason"] for r in not_rated} <= {"too_young", "excluded_section"}


def test_demo_firms_without_emissions_get_the_average_and_the_tables_agree(demo_tables):
    s = demo_tables["mujun_score"].to_pylist()
    missing = [r for r in s if r["rated"] and r["value_added_per_emission"] is None]
    assert missing and all("value_added_per_emission" in r["missing"] for r in missing)
    bench = {
        r["unit"]: r["missing_average"]
        for r in demo_tables["mujun_benchmark"].to_pylist()
        if r["indicator"] == "value_added_per_emission"
    }
    for r in missing[:50]:
        assert r["value_added_per_emission_score"] == pytest.approx(bench[r["region_code"]])
    regions = {r["region_code"]: r for r in demo_tables["mujun_region"].to_pylist()}
    whole = regions["500000"]
    assert whole["firms"] == len(s) == sum(r["firms"] for k, r in regions.items() if k != "500000")
    pol = demo_tables["mujun_policy"].to_pylist()
    assert [r["class"] for r in pol] == ["A", "B", "C", "D", "T"] and all(r["policy_zh"] for r in pol[:4])
    assert sum(r["firms"] for r in pol) == len(s)
    assert "huangyan-2022" in mj.summarise(demo_tables)


def test_demo_huaian_benchmarks_are_twice_the_prior_year_county_average(duckdb_ctx, demo):
    import duckdb

    out = mj.evaluate(duckdb_ctx, "huaian-2024")
    bench = {(r["unit"], r["indicator"]): r["benchmark"] for r in out["mujun_benchmark"].to_pylist()}
    con = duckdb.connect(str(demo[0]), read_only=True)
    want = con.execute("""
        SELECT e.region_code, 2 * sum(y.tax) / sum(y.land_mu) * 1e-4
        FROM enterprise_year y JOIN enterprise e USING (uscc) JOIN industry i ON i.code = e.industry_code
        WHERE y.year = 2022 AND i.section IN ('B', 'C') AND 2022 - year(e.founded) >= 2
          AND y.tax IS NOT NULL AND y.land_mu > 0
        GROUP BY 1""").fetchall()
    con.close()
    assert len(want) > 20
    for code, value in want:
        assert bench[(code, "tax_per_mu")] == pytest.approx(value, rel=1e-9)


def test_duckdb_and_spark_give_the_same_mujun_tables(duckdb_ctx, spark_ctx, demo_tables):
    other = mj.evaluate(spark_ctx)
    assert_same_rows(demo_tables["mujun_score"], other["mujun_score"], keys=["uscc"])
    assert_same_rows(demo_tables["mujun_region"], other["mujun_region"], keys=["region_code"])
    assert_same_rows(demo_tables["mujun_park"], other["mujun_park"], keys=["park_id"])
    assert_same_rows(demo_tables["mujun_benchmark"], other["mujun_benchmark"], keys=["unit", "indicator"])
    assert_same_rows(demo_tables["mujun_policy"], other["mujun_policy"], keys=["class"])


# ---------------------------------------------------------------------------------------------- CLI
def test_cli_prints_districts_firms_of_a_class_and_json(demo):
    r = CliRunner().invoke(app, ["mujun", "--db", str(demo[0]), "--year", "2023"])
    assert r.exit_code == 0, r.output
    assert "districts" in r.output and "SYNTHETIC" in r.output
    r = CliRunner().invoke(
        app, ["mujun", "--db", str(demo[0]), "--year", "2023", "--region", "涪陵区", "--class", "D", "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and {x["class"] for x in rows} == {"D"} and {x["region_code"] for x in rows} == {"500102"}
    assert all(x["class_name"] == "限制整治类" for x in rows)
    r = CliRunner().invoke(app, ["mujun", "--db", str(demo[0]), "--by", "class", "--method", "huaian-2024", "--json"])
    assert r.exit_code == 0 and [x["class"] for x in json.loads(r.output)] == ["A", "B", "C", "D", "T"]
    r = CliRunner().invoke(app, ["mujun", "--db", str(demo[0]), "--by", "park", "--region", "主城新区"])
    assert r.exit_code == 0 and "parks" in r.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--method", "nope"], "unknown 亩均 method"),
        (["--class", "Z"], "unknown class 'Z'"),
        (["--region", "火星"], "unknown region"),
        (["--year", "1999"], "no figures for 1999"),
        (["--by", "street"], "unknown view"),
    ],
)
def test_cli_bad_input_is_a_clear_message_and_exit_code_2(demo, args, message):
    r = CliRunner().invoke(app, ["mujun", "--db", str(demo[0]), *args])
    assert r.exit_code == 2 and message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_cli_on_an_empty_warehouse(empty_warehouse):
    r = CliRunner().invoke(app, ["mujun", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())
