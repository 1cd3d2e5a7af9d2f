"""Issue 10, item by item, on small warehouses written here with every expectation worked out by hand.

The main warehouse W (Chongqing pack; money in yuan):

    firm  county        industry  2023 revenue / output   2024 revenue / output   employees
    j1    江北 500105    C3670     5亿 / 5亿                 6亿 / 6亿                 800
    j2    江北 500105    C3670     1000万 / 1200万 (below)   2500万 / 2500万 (above)   50
    j3    江北 500105    I6510     1亿 / —  (software)       1亿 / —                   300
    y1    渝北 500112    C3670     —                         1亿 / 1亿                 100

The 规上 rule (scale.yaml, from 2011): sections B–D with revenue ≥ 2000万 in the year. So 江北's 规上 industrial
output is 5亿 in 2023 (j2 is below scale) and 6亿 + 2500万 = 6.25亿 in 2024; its all-firm output is 5.12亿 in
2023; 规上工业企业数 is 1 in 2023 and 2 in 2024 (j3 is not industrial).
"""

from __future__ import annotations

import pytest

from small_warehouse import Firm, small_warehouse
from zhizao.analytics import Context
from zhizao.analytics import clusters as cl
from zhizao.analytics import targets as tg

YI = 1e8
JB_TARGET = "pack:jiangbei-2027-target-industrial-output"


def fig(rev, out=None, emp=100, **kw):
    return dict(revenue=rev, output_value=out, employees=emp, **kw)


FIRMS = {
    "j1": Firm("500105", "C3670", {2023: fig(5 * YI, 5 * YI, 800), 2024: fig(6 * YI, 6 * YI, 800)}),
    "j2": Firm("500105", "C3670", {2023: fig(1e7, 1.2e7, 50), 2024: fig(2.5e7, 2.5e7, 50)}),
    "j3": Firm("500105", "I6510", {2023: fig(1 * YI, None, 300), 2024: fig(1 * YI, None, 300)}),
    "y1": Firm("500112", "C3670", {2024: fig(1 * YI, 1 * YI)}),
}
COUNT_TARGET = dict(
    id="t-count", scope="region", scope_id="500105", metric="enterprise_count", value=10, unit="count", year=2027
)


@pytest.fixture(scope="module")
def W(tmp_path_factory):
    return small_warehouse(tmp_path_factory.mktemp("w"), FIRMS, targets=[COUNT_TARGET])


def progress(path, year):
    ctx = Context.open(path, year)
    try:
        return {r["target_id"]: r for r in tg.compute(ctx, proposed=False).to_pylist()}
    finally:
        ctx.close()


def figures(path, year, region, unit, region_map="recorded"):
    ctx = Context.open(path, year)
    try:
        rows = cl.compute(ctx, [year], maps=[region_map], honours=False)["cluster_figures"].to_pylist()
    finally:
        ctx.close()
    return next(r for r in rows if r["region_code"] == region and r["unit_id"] == unit)


# ---------------------------------------------------------------------------------------- 1 规上 scope
def test_1_a_target_on_industrial_output_counts_above_scale_firm_years_only(W):
    p = progress(W, 2024)
    jb = p[JB_TARGET]
    assert jb["actual_value"] == pytest.approx(6.25 * YI) and jb["actual_year"] == 2024
    assert "above-scale" in jb["measured_as"] and "规上" in jb["measured_as_zh"]
    assert p["t-count"]["actual_value"] == 2  # 规上工业企业数: j1, j2 (j3 is software)
    assert progress(W, 2023)["t-count"]["actual_value"] == 1  # j2 was below scale in 2023


def test_1_cluster_figures_are_above_scale_and_keep_all_firm_figures_under_their_own_name(W):
    f = figures(W, 2023, "500105", cl.SECTIONS_UNIT)
    assert f["output_value"] == pytest.approx(5 * YI) and f["output_value_all"] == pytest.approx(5.12 * YI)
    assert (f["firms"], f["above_scale_firms"], f["firms_all"]) == (1, 1, 2)
    f24 = figures(W, 2024, "500105", cl.SECTIONS_UNIT)
    assert f24["output_value"] == pytest.approx(6.25 * YI) and f24["above_scale_firms"] == 2
    assert f24["output_value_growth"] == pytest.approx(6.25 / 5 - 1)  # growth of the 规上 figure
