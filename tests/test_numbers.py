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
from zhizao.analytics import chains as ch
from zhizao.analytics import clusters as cl
from zhizao.analytics import honours as hn
from zhizao.analytics import ladder as gr
from zhizao.analytics import targets as tg
from zhizao.analytics.ladder import districts as ld

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
GROWTH_TARGET = dict(
    id="t-growth",
    scope="region",
    scope_id="500105",
    metric="industrial_output_growth",
    value=8,
    unit="percent",
    year=2024,
)


@pytest.fixture(scope="module")
def W(tmp_path_factory):
    return small_warehouse(tmp_path_factory.mktemp("w"), FIRMS, targets=[COUNT_TARGET, GROWTH_TARGET])


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


# ---------------------------------------------------------------------------------------- 10 growth so far
def test_10_growth_so_far_divides_the_warehouse_by_the_warehouse_and_shows_the_published_baseline(W):
    """The pack's 江北 target publishes 1500亿 for 2023; W holds 5亿 (规上) for 2023 and 6.25亿 for 2024. Growth so far
    = 6.25 / 5 − 1 = 25% (not 6.25亿 / 1500亿 − 1 = −99.6%); progress = (6.25 − 5) / (2300 − 5) = 0.000545; the plan's
    implied rate stays (2300 / 1500)^(1/4) − 1 = 11.3%."""
    jb = progress(W, 2024)[JB_TARGET]
    assert jb["baseline_value"] == pytest.approx(5 * YI) and jb["baseline_published"] == pytest.approx(1500 * YI)
    assert jb["baseline_year"] == 2023 and jb["baseline_source"] == "warehouse"
    assert jb["growth_so_far"] == pytest.approx(0.25) and jb["growth_basis"] == "since baseline"
    assert jb["progress"] == pytest.approx(1.25 / 2295)
    assert jb["required_growth_from_baseline"] == pytest.approx((2300 / 1500) ** 0.25 - 1)
    assert jb["growth_prices"] == "nominal"


def test_10_a_growth_rate_target_on_money_says_its_growth_is_nominal(W):
    """规上工业总产值 growth 2024: 100 × (6.25亿 / 5亿 − 1) = 25%, at current prices — the target (like official
    增速) is at comparable prices, which the row says."""
    g = progress(W, 2024)["t-growth"]
    assert g["actual_value"] == pytest.approx(25.0) and g["growth_prices"] == "nominal"
    assert "nominal" in g["measured_as"] and "名义" in g["measured_as_zh"] and "可比价" in g["measured_as_zh"]


# ---------------------------------------------------------------------------------------- 2, 3, 7 the ladder
# Warehouse L (every firm C3670 in 涪陵 500102, founded 2000, R&D 5% of revenue, figures 2023–2025):
#   big   1,200 employees, revenue 5亿   → not an SME (at or above both limits: 1,000 and 4亿)
#   mid   1,200 employees, revenue 3亿   → an SME (revenue under 4亿)
#   small   100 employees, revenue 1亿   → an SME
# Honours (小巨人 = little_giant; the 2027 targets count the national list):
#   a  national 2024 and national 2025 (a renewal: first recognised 2024)
#   b  municipal 2024 (the old municipal scheme: not counted)
#   c  national 2025
#   h  高新技术企业 2021 (valid 2021–2023: expired in 2025); r 高新技术企业 2019, renewed 2022 and 2025 (valid)
def lfig(rev, emp):
    return dict(revenue=rev, output_value=rev, employees=emp, rd_expense=0.05 * rev, main_business_share=0.8)


L_FIRMS = {
    u: Firm("500102", "C3670", {y: lfig(rev, emp) for y in (2023, 2024, 2025)})
    for u, rev, emp in [
        ("big", 5 * YI, 1200),
        ("mid", 3 * YI, 1200),
        ("small", 1 * YI, 100),
        ("a", 1 * YI, 100),
        ("b", 1 * YI, 100),
        ("c", 1 * YI, 100),
        ("h", 1 * YI, 100),
        ("r", 1 * YI, 100),
    ]
}
L_HONOURS = [
    ("a", "little_giant", "national", 2024),
    ("a", "little_giant", "national", 2025),
    ("b", "little_giant", "municipal", 2024),
    ("c", "little_giant", "national", 2025),
    ("h", "high_tech_enterprise", "national", 2021),
    ("r", "high_tech_enterprise", "national", 2019),
    ("r", "high_tech_enterprise", "national", 2022),
    ("r", "high_tech_enterprise", "national", 2025),
]


@pytest.fixture(scope="module")
def L(tmp_path_factory):
    path = small_warehouse(tmp_path_factory.mktemp("l"), L_FIRMS, honours=L_HONOURS)
    ctx = Context.open(path, 2025)
    try:
        out = gr.evaluate(ctx)
        prog = {r["target_id"]: r for r in tg.compute(ctx, proposed=False).to_pylist()}
        crit = ctx.pack.ladder
    finally:
        ctx.close()
    firms = {(r["uscc"], r["tier"]): r for r in out["ladder_firm"].to_pylist()}
    rows = {(r["uscc"], r["tier"], r["criterion"]): r["status"] for r in out["tier_screening"].to_pylist()}
    return {
        "rows": rows,
        "path": path,
        "firms": firms,
        "pipeline": out["ladder_pipeline"].to_pylist(),
        "progress": prog,
        "ladder": crit,
    }


def test_2_a_firm_above_the_sme_limits_is_no_candidate_for_tiers_1_to_3(L):
    for tier in ("innovative_sme", "srdi_sme", "little_giant"):
        big = L["firms"][("big", tier)]
        assert big["status"] != "candidate" and "sme" in big["failed"].split(), tier
        assert "sme" not in (L["firms"][("mid", tier)]["failed"] or "").split(), tier  # revenue under 4亿: an SME
    assert "sme" not in (L["firms"][("big", "single_champion")]["failed"] or "").split()  # tier 4 has no SME rule


def test_3_targets_and_ladder_count_new_national_little_giants_alike(L):
    """新增国家级小巨人 2024–2027, as of 2025: first national recognitions a (2024) and c (2025) = 2; a's 2025 row is
    a renewal and b's is municipal."""
    row = next(r for r in L["pipeline"] if r["target_id"] == "cq-2027-target-new-little-giants")
    assert row["achieved"] == 2
    assert L["progress"]["pack:cq-2027-target-new-little-giants"]["actual_value"] == 2
    yearly = next(r for r in L["pipeline"] if r["target_id"] == "cq-annual-target-little-giants")
    assert yearly["achieved"] == 1  # first recognised in 2025: c only
    assert L["progress"]["pack:cq-annual-target-little-giants"]["actual_value"] == 1


def test_7_high_tech_status_is_valid_three_years(L):
    """The 高新技术企业 direct route of 创新型中小企业 needs a valid recognition: h's (2021) expired after 2023."""
    assert L["rows"][("h", "innovative_sme", "direct.honours")] == "not_met"  # no valid honour left
    assert L["rows"][("r", "innovative_sme", "direct.honours")] == "met"  # renewed in 2025
    assert L["path"] and hn.validity_years(L["ladder"], "high_tech_enterprise") == 3


def test_7_held_counts_drop_an_expired_recognition(L):
    ctx = Context.open(L["path"], 2025)
    try:
        st = ctx.to_arrow(
            hn.firm_status(ctx.table("honour"), [hn.count_for(ctx.pack, "high_tech_enterprise")], [2023, 2025])
        ).to_pylist()
    finally:
        ctx.close()
    held = {(r["uscc"], r["as_of"]): r["held"] for r in st}
    assert held[("h", 2023)] and not held[("h", 2025)]
    assert held[("r", 2023)] and held[("r", 2025)]
    assert {(r["uscc"], r["as_of"]): r["first_year"] for r in st}[("r", 2025)] == 2019


# ---------------------------------------------------------------------------------------- 4 亩均 ratios
# Warehouse M (涪陵 500102, every firm C3670 and above scale in 2024 unless said; money in yuan, land in 亩):
#   m1  tax 100万, land 10     m2  tax 50万, land —  (no land figure)     m3  tax 30万, land 5
#   m4  tax 20万, land 0       s   revenue 1000万 (below scale): tax 1万, land 1 — outside both scopes
# 亩均税收 = Σ tax / Σ land over the firms reporting both = (100万 + 30万) / (10 + 5) = 86,666.67 yuan (8.6667万元) per
# 亩 — in the targets and in the 亩均 evaluation alike; the old targets rule gave (100 + 50 + 30 + 20)万 / 15 = 133,333.
M_FIRMS = {
    "m1": Firm("500102", "C3670", {2024: fig(5 * YI, 5 * YI, tax=1e6, land_mu=10)}),
    "m2": Firm("500102", "C3670", {2024: fig(3 * YI, 3 * YI, tax=5e5)}),
    "m3": Firm("500102", "C3670", {2024: fig(2 * YI, 2 * YI, tax=3e5, land_mu=5)}),
    "m4": Firm("500102", "C3670", {2024: fig(1 * YI, 1 * YI, tax=2e5, land_mu=0)}),
    "s": Firm("500102", "C3670", {2024: fig(1e7, 1e7, tax=1e4, land_mu=1)}),
}
TPM_TARGET = dict(
    id="t-tpm", scope="region", scope_id="500102", metric="tax_per_mu", value=1e5, unit="yuan_per_mu", year=2027
)


def test_4_targets_and_the_mujun_evaluation_compute_tax_per_mu_alike(tmp_path):
    from zhizao.analytics import mujun as mj

    path = small_warehouse(tmp_path, M_FIRMS, targets=[TPM_TARGET])
    p = progress(path, 2024)["t-tpm"]
    assert p["actual_value"] == pytest.approx(1.3e6 / 15)
    ctx = Context.open(path, 2024)
    try:
        region = {r["region_code"]: r for r in mj.evaluate(ctx)["mujun_region"].to_pylist()}
    finally:
        ctx.close()
    assert region["500102"]["tax_per_mu"] == pytest.approx(1.3e6 / 15 * 1e-4)  # 万元/亩, the method's unit
    assert region["500102"]["firms"] == 4  # s is below scale


# ---------------------------------------------------------------------------------------- 8 confirmed vs candidate
def test_8_the_pipeline_compares_the_gap_with_confirmed_candidates(L):
    """小巨人 ≥ 30 a year (2025): achieved 1 (c) → gap 29. Candidates: 40 in 渝中 of which 20 confirmed (every
    requirement checked and met), 2 in 涪陵 of which none (a route the warehouse cannot check). The gap is compared
    with the 20 confirmed: not covered; with every candidate (42) it would be — the row says both and which it uses."""
    ctx = Context.open(L["path"], 2025)
    try:
        pack = ctx.pack
    finally:
        ctx.close()
    tiers = [t for t in pack.ladder.tiers if t.key == "little_giant"]
    counts = [{"region_code": "500102", "first_year": 2025, "firms": 1, "holders": 1}]
    cand = [
        {"tier": "little_giant", "region_code": "500103", "candidates": 40, "confirmed": 20},
        {"tier": "little_giant", "region_code": "500102", "candidates": 2, "confirmed": 0},
    ]
    by_spec = {("little_giant", "little_giant_count"): counts, ("little_giant", "new_little_giant_count"): counts}
    rows = {r["target_id"]: r for r in ld.pipeline(pack, tiers, 2025, by_spec, cand).to_pylist()}
    a = rows["cq-annual-target-little-giants"]
    assert (a["achieved"], a["gap"], a["candidates"], a["confirmed"]) == (1, 29.0, 42, 20)
    assert (a["covered"], a["covered_by_candidates"], a["covered_basis"]) == (False, True, "confirmed")


def test_8_confirmed_counts_candidates_whose_every_requirement_is_met(L):
    """On warehouse L the pipeline's confirmed equals the ladder_firm rows with status candidate and screen met."""
    ctx = Context.open(L["path"], 2025)
    try:
        out = gr.evaluate(ctx)
    finally:
        ctx.close()
    firms = out["ladder_firm"].to_pylist()
    for r in out["ladder_pipeline"].to_pylist():
        want = sum(1 for f in firms if f["tier"] == r["tier"] and f["status"] == "candidate" and f["screen"] == "met")
        assert r["confirmed"] == want and r["confirmed"] <= r["candidates"]
        assert r["covered"] == (r["confirmed"] >= r["gap"])


# ---------------------------------------------------------------------------------------- 9 one region map, 11 亩均
# Warehouse N (2024; every firm C3670, above scale, founded 2000; money in yuan, land in 亩):
#   n1  江北 500105            output 5亿, tax 200万, land 10        n2  渝北 500112   output 3亿, tax 100万, land 10
#   g1  九龙坡 500107, park jinfeng-dzxx (重庆高新区)  tax 300万, land 10
#   k1  九龙坡 500107, no park  tax 50万, land 10                    z   九龙坡 500107  tax 10万, no land figure
#   t1  涪陵 500102            tax 1亿, value added 4000万, land 10 (a tobacco-like outlier)
# Today's map (the default): 江北 and 渝北 are the 两江新区 district CQ-LJXQ. 亩均 evaluation regions: CQ-LJXQ {n1, n2},
# 重庆高新区 CQ-F-GXQ {g1} (its park), 500107 {k1, z}, 500102 {t1}; recorded map: 500105 {n1}, 500112 {n2}, the rest
# alike. 亩均税收 (万元/亩): CQ-LJXQ (200 + 100)万 / 20 = 15; CQ-F-GXQ 30; 500107 50万 / 10 = 5 (z has no land).
def nfig(out, tax, land=None, va=None):
    return fig(max(out, 1 * YI), out, tax=tax, land_mu=land, value_added=va)


N_FIRMS = {
    "n1": Firm("500105", "C3670", {2024: nfig(5 * YI, 2e6, 10)}),
    "n2": Firm("500112", "C3670", {2024: nfig(3 * YI, 1e6, 10)}),
    "g1": Firm("500107", "C3670", {2024: nfig(1 * YI, 3e6, 10)}, park="jinfeng-dzxx"),
    "k1": Firm("500107", "C3670", {2024: nfig(1 * YI, 5e5, 10)}),
    "z": Firm("500107", "C3670", {2024: nfig(1 * YI, 1e5)}),
    "t1": Firm("500102", "C3670", {2024: nfig(1 * YI, 1e8, 10, va=4e7)}),
}
N_TARGETS = [
    dict(id="t-lj", scope="region", scope_id="CQ-LJXQ", metric="industrial_output", value=1e10, unit="yuan", year=2027),
    dict(id="t-jb", scope="region", scope_id="500105", metric="industrial_output", value=1e10, unit="yuan", year=2027),
]


@pytest.fixture(scope="module")
def N(tmp_path_factory):
    return small_warehouse(tmp_path_factory.mktemp("n"), N_FIRMS, targets=N_TARGETS)


def mujun_on(path, **options):
    from zhizao.analytics import mujun as mj

    ctx = Context.open(path, 2024, **options)
    try:
        out = mj.evaluate(ctx)
        completion = mj.view(ctx, by="completion")[1]
    finally:
        ctx.close()
    return (
        {r["region_code"]: r for r in out["mujun_region"].to_pylist()},
        {r["uscc"]: r for r in out["mujun_score"].to_pylist()},
        completion.to_pylist(),
    )


def test_9_mujun_evaluates_in_todays_districts_and_the_citys_functional_areas(N):
    regions, firms, _ = mujun_on(N)
    assert regions["CQ-LJXQ"]["firms"] == 2 and regions["CQ-LJXQ"]["tax_per_mu"] == pytest.approx(15.0)
    assert regions["CQ-F-GXQ"]["firms"] == 1 and regions["CQ-F-GXQ"]["tax_per_mu"] == pytest.approx(30.0)
    assert regions["500107"]["firms"] == 2 and regions["500107"]["tax_per_mu"] == pytest.approx(5.0)
    assert "500105" not in regions and regions["CQ-LJXQ"]["region_map"] == "current"
    assert (firms["n1"]["eval_region"], firms["n1"]["rank_region"], firms["n2"]["rank_region"]) == ("CQ-LJXQ", 1, 2)
    assert firms["g1"]["eval_region"] == "CQ-F-GXQ" and firms["g1"]["region_code"] == "500107"
    rec, firms_rec, _ = mujun_on(N, region_map="recorded")
    assert rec["500105"]["firms"] == 1 and rec["500112"]["firms"] == 1 and "CQ-LJXQ" not in rec
    assert rec["CQ-F-GXQ"]["firms"] == 1 and firms_rec["n2"]["rank_region"] == 1


def test_9_targets_ladder_and_specialisation_read_the_same_map(N):
    from zhizao.analytics import specialisation as sp

    p = progress(N, 2024)
    assert p["t-lj"]["actual_value"] == pytest.approx(8 * YI)  # 江北 5亿 + 渝北 3亿 on today's map
    assert p["t-jb"]["actual_value"] == pytest.approx(5 * YI)  # a former district: its recorded firms
    for options, want, absent in [({}, "CQ-LJXQ", "500105"), ({"region_map": "recorded"}, "500105", "CQ-LJXQ")]:
        ctx = Context.open(N, 2024, **options)
        try:
            spec = set(ctx.to_arrow(sp.region_industry(ctx, 2024)).column("region_code").to_pylist())
            lad = {r["region_code"] for r in gr.evaluate(ctx)["ladder_district"].to_pylist()}
            rec = {r["target_id"]: r for r in tg.compute(ctx, proposed=False).to_pylist()}
        finally:
            ctx.close()
        assert want in spec and absent not in spec, options
        assert want in lad and absent not in lad, options
    assert not rec["t-lj"]["actual_value"]  # the recorded map holds no firm in the 2025 district


def test_11_a_cap_setting_bounds_each_indicator_and_contributions_show_the_outlier(N):
    """t1: 亩均税收 1亿 / 10亩 = 1,000万元/亩 → 1000 / 24.097 × 30 = 1,245.0 points (the method's weight is 30);
    亩均增加值 4000万 / 10 = 400万元/亩 → 400 / 136.16 × 20 = 58.75; 全员劳动生产率 4000万 / 100 people = 40万元/人 →
    40 / 18.14 × 10 = 22.05; nothing else reported (scored 0; emission: the average of the unit, none known → 0).
    Uncapped total 1,325.8, 93.9% of it from tax; capped at 3 × weight: 90 + 58.75 + 22.05 = 170.8, the largest
    contribution 90 / 170.8 = 52.7%."""
    tax, va, lp = 1000 / 24.097 * 30, 400 / 136.16 * 20, 40 / 18.14 * 10
    _, firms, _ = mujun_on(N)
    t1 = firms["t1"]
    assert t1["tax_per_mu_score"] == pytest.approx(tax) and t1["total_score"] == pytest.approx(tax + va + lp)
    assert t1["top_indicator"] == "tax_per_mu" and t1["top_share"] == pytest.approx(tax / (tax + va + lp))
    _, capped, _ = mujun_on(N, mujun_cap=3)
    c1 = capped["t1"]
    assert c1["tax_per_mu_score"] == pytest.approx(90.0) and c1["value_added_per_mu_score"] == pytest.approx(va)
    assert c1["total_score"] == pytest.approx(90 + va + lp) and c1["top_share"] == pytest.approx(90 / (90 + va + lp))


def test_11_a_firm_without_land_is_listed_for_completion_not_scored_zero(N):
    _, firms, completion = mujun_on(N)
    z = firms["z"]
    assert (z["rated"], z["not_rated_reason"], z["total_score"], z["class"]) == (False, "missing_figures", None, "T")
    assert z["missing_figures"] == "land_mu" and [r["uscc"] for r in completion] == ["z"]
    assert firms["k1"]["rated"] and firms["k1"]["class"] != "T"


# ------------------------------------------------------------------------------------ 6 the web shows the instruments
# Warehouse N again, plus two years of profit for 涪陵 (t1): −100万 in 2023, +50万 in 2024. The dashboard's region
# totals are the clusters instrument's stored region_figures: 两江新区 (today's map) = n1 + n2 = 8亿 of output,
# 重庆高新区 (a functional area, via g1's park) = 1亿, and 涪陵's profit growth over a negative base is not a number
# (null), not 50 / −100 − 1 = −150%.
def test_6_the_dashboards_region_totals_are_the_stored_instrument_results(tmp_path):
    from zhizao.analytics import evaluate_all
    from zhizao.web import data as D
    from zhizao.web.access import Policy, Principal
    from zhizao.web.warehouse import Warehouse

    firms = dict(N_FIRMS)
    firms["t1"] = Firm(
        "500102",
        "C3670",
        {2023: nfig(1 * YI, 1e8, 10, va=4e7) | {"profit": -1e6}, 2024: nfig(1 * YI, 1e8, 10, va=4e7) | {"profit": 5e5}},
    )
    path = small_warehouse(tmp_path, firms)
    evaluate_all(path, 2024, instruments=["clusters", "mujun"])
    wh = Warehouse.open(path, read_only=True)
    try:
        admin = Principal("t", "admin")
        # the merged district's page: 两江新区's own 亩均 row (n1 + n2: (200 + 100)万 / 20亩 = 15万元/亩), not its
        # first predecessor's
        mj = D.district(wh, Policy(wh), admin, "CQ-LJXQ")["mujun"]["row"]
        assert mj["region_code"] == "CQ-LJXQ" and mj["firms"] == 2 and mj["tax_per_mu"] == pytest.approx(15.0)
        fig = D.figures(wh, Policy(wh), admin, year=2024, level=None, mapping="current")
        rows = {r["region_code"]: r for r in fig["rows"]}
        assert fig["evaluated"] and rows["CQ-LJXQ"]["output_value"] == pytest.approx(8 * YI)
        assert rows["CQ-F-GXQ"]["output_value"] == pytest.approx(1 * YI) and rows["CQ-F-GXQ"]["firms"] == 1
        assert rows["500102"]["profit"] == pytest.approx(5e5) and rows["500102"]["profit_growth"] is None
        rec = {r["region_code"]: r for r in D.figures(wh, Policy(wh), admin, year=2024, mapping="recorded")["rows"]}
        assert rec["500105"]["output_value"] == pytest.approx(5 * YI) and "CQ-LJXQ" not in rec
        series = D.series(wh, Policy(wh), admin, "500102")
        assert [r["year"] for r in series] == [2023, 2024]
    finally:
        wh.close()


def test_6_before_evaluate_the_dashboard_says_so_instead_of_summing(tmp_path):
    from zhizao.web import data as D
    from zhizao.web.access import Policy, Principal
    from zhizao.web.warehouse import Warehouse

    path = small_warehouse(tmp_path, {"n1": N_FIRMS["n1"]})
    wh = Warehouse.open(path, read_only=True)
    try:
        fig = D.figures(wh, Policy(wh), Principal("t", "admin"))
    finally:
        wh.close()
    assert fig["rows"] == [] and not fig["evaluated"]


# ---------------------------------------------------------------------------------------- 1 X_all beside X, safely
# 涪陵 500102 in 2024: a1, a2, a3 above scale (revenue 1亿; output 1亿, 2亿, 3亿) and s1 below (revenue 500万, output
# 400万). Its all-clusters row: output_value 6亿 over 3 firms, output_value_all 6.04亿 over 4 — the difference, 400万,
# is s1's own output. A public user sees the 6亿 but not the 6.04亿; an administrator sees both.
def test_1_the_all_firm_figure_never_discloses_the_small_firms_by_difference(tmp_path):
    from zhizao.analytics import evaluate_all
    from zhizao.web.access import Policy, Principal
    from zhizao.web.adapters import clusters as a_cl
    from zhizao.web.results import read
    from zhizao.web.warehouse import Warehouse

    firms = {f"a{i}": Firm("500102", "C3670", {2024: fig(1 * YI, i * YI)}) for i in (1, 2, 3)}
    firms["s1"] = Firm("500102", "C3670", {2024: fig(5e6, 4e6)})
    path = small_warehouse(tmp_path, firms)
    evaluate_all(path, 2024, instruments=["clusters"])
    wh = Warehouse.open(path, read_only=True)
    try:
        got = {
            who: read(
                wh,
                Policy(wh),
                Principal(who, who),
                a_cl.FIG,
                year=2024,
                filters={"region_code": "500102", "scope": "all"},
            ).rows[0]
            for who in ("admin", "public")
        }
    finally:
        wh.close()
    adm, pub = got["admin"], got["public"]
    assert (adm["firms"], adm["firms_all"], adm["above_scale_firms"]) == (3, 4, 3)
    assert adm["output_value"] == pytest.approx(6 * YI) and adm["output_value_all"] == pytest.approx(6.04 * YI)
    assert pub["output_value"] == pytest.approx(6 * YI) and pub["output_value_all"] is None and pub["suppressed"]


# ---------------------------------------------------------------------------------------- 5 chain leaders
# Leader L1 (江北) sits on two nodes of the icv-nev chain (cells and chips); in 2024 it buys 100 from S1 (江北, on
# the chain's battery-materials node) and 300 from S2 (涪陵, not on the chain). Its purchases are 400, not 800;
# local rate 100 / 400 = 0.25.
def test_5_a_leader_on_two_nodes_counts_its_purchases_once(tmp_path):
    f = {
        "L1": Firm("500105", "C3610", {2024: fig(50 * YI, 50 * YI, 5000)}),
        "S1": Firm("500105", "C3985", {2024: fig(1 * YI, 1 * YI)}),
        "S2": Firm("500102", "C3311", {2024: fig(1 * YI, 1 * YI)}),
    }
    path = small_warehouse(
        tmp_path,
        f,
        nodes=[
            ("L1", "icv-nev/cells", "leader"),
            ("L1", "icv-nev/chips", "leader"),
            ("S1", "icv-nev/battery-materials", "supplier"),
        ],
        links=[("L1", "S1", 2024, 100.0), ("L1", "S2", 2024, 300.0)],
    )
    ctx = Context.open(path, 2024)
    try:
        out = ch.evaluate(ctx)
    finally:
        ctx.close()
    lead = [r for r in out["chain_leaders"].to_pylist() if r["leader"] == "L1"]
    assert len(lead) == 1 and lead[0]["chain_id"] == "icv-nev" and lead[0]["leader_node_count"] == 2
    assert (lead[0]["purchases"], lead[0]["local_amount"], lead[0]["local_rate"]) == (400.0, 100.0, 0.25)
    sup = [r for r in out["chain_suppliers"].to_pylist() if r["leader"] == "L1"]
    assert sum(r["amount"] for r in sup) == 400.0
