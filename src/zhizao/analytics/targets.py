"""Targets: progress of every registered target (江北区 2300亿 by 2027, a district's cluster 千亿 by 2027 …)
against the warehouse's actual figures — baseline, latest actual, growth so far, the compound annual growth
still required, a projection to the target year, the gap, and a status with its rule.

Method: compound-annual-growth (CAGR) arithmetic as used in plan monitoring (e.g. the growth rate
"needed to reach" a five-year-plan target; OECD/World Bank target tracking), with a straight-line pace
for targets that are counts of new recognitions over a span.

For a target value T due in year t_T, baseline B in year t_B and actual A in year t_A (the evaluated year, or
t_T when the deadline has passed):

    growth so far      g   = (A / B)^(1 / (t_A − t_B)) − 1         when t_B < t_A and A, B > 0; B is the warehouse's
                                                                    own figure for t_B (the actual's source)
                             else A / A[t_A − 1] − 1                (growth_basis 'last year')
                             else 0                                 ('unknown: projected flat')
    required growth    r   = (T / A)^(1 / (t_T − t_A)) − 1          (from the latest actual; t_T > t_A)
    required from base r_B = (T / B)^(1 / (t_T − t_B)) − 1          (江北区 1500亿 2023 → 2300亿 2027:
                                                                    (2300/1500)^(1/4) − 1 = 11.3% a year)
    projection         P   = A · (1 + g)^(t_T − t_A)
    gap                    = T − A;  progress = (A − B) / (T − B)   (B measured, like A)
    A target's published baseline B_pub (江北区 1500亿 in 2023) is shown beside B (baseline_published) and sets only
    the plan's implied rate r_B = (T / B_pub)^(…) − 1; growth so far never divides a warehouse actual by a published
    figure. Worked: B_pub 1500亿, the warehouse's 2023 figure 1400亿, A 2025 = 1600亿 → g = (1600/1400)^(1/2) − 1 =
    6.9% (not (1600/1500)^(1/2) − 1 = 3.3%), progress (1600 − 1400) / (2300 − 1400) = 22%, r_B = 11.3%.
    Prices: money figures are at current prices, so their growth is nominal (growth_prices 'nominal'); official
    增加值增速 is at comparable prices — a growth-rate target on value added says so in measured_as.
  counts of new recognitions over a span s..t_T (new_*_count, 2025..2027):
    A = Σ_{y=s..t_A} new[y];  P = A · (t_T − s + 1) / (t_A − s + 1);  required per year = (T − A) / (t_T − t_A)
  a yearly target ('annual'): A = new[t_A], due every year (t_T = t_A)
  a growth-rate target (*_growth, per cent): A = 100 · ((X[t_A] / X[s − 1])^(1 / (t_A − s + 1)) − 1) over the
    target's span s..t_T (else the year-on-year rate), compared with T directly.

Status (the rule is written into every row):
    target year passed (t_T ≤ t_A):   achieved when A reaches T, else missed
    no target year (a 级 level):       achieved when A reaches T, else 'no target year'
    levels and counts:                 on track when P reaches T; at risk when P ≥ 90% of T; off track otherwise
    growth rates:                      on track when A ≥ T; at risk when A ≥ T − 1 percentage point; off track
    'reaches' is ≥ (≤ for targets qualified at_most / under, with at risk at P ≤ 110% of T).
    not measurable: the metric or scope cannot be measured from the warehouse (the reason is given).

Baseline year: the target's own baseline_year; else the year before the target's span (2023..2027 → 2022), else
the year before its source was published; its value is measured in the warehouse (baseline_value), the target's
own published value is baseline_published.

What a metric measures (the metric vocabulary of the fact schema; X summed with measures.py's weights over the
target's region or park and its cluster, or industry B+C+D when it names none):
    industrial_output, industry_output → Σ output_value; *value_added → Σ value_added; revenue → Σ revenue;
    industrial_tax, tax_revenue → Σ tax; profit → Σ profit; industrial_investment → Σ fixed_investment;
    tech_renovation_investment → Σ tech_renovation_investment; rd_investment → Σ rd_expense;
    tech_renovation_investment_share = 100 · 技改 / fixed investment; rd_intensity_revenue = 100 · R&D / revenue;
    labour_productivity = value added / employees; output_per_mu, tax_per_mu, value_added_per_mu = X / land;
    value_added_per_energy = VA / tce; value_added_per_emission = VA / emission equivalent — every ratio by
    measures.py's pooled, pairwise-complete rule (Σ n / Σ d over the firms that report both), the rule the 亩均
    evaluation's area figures use;
    industry_share_of_output (_value_added) = 100 · X[cluster] / X[industry B+C+D];
    revenue_share_of_city, industrial_investment_share_of_city, output_share_of_city = 100 · X[region] / X[city];
    enterprise_count = firms; enterprise_count_over_10b / _5b / _100m … = firms with revenue ≥ 1e10 / 5e9 / 1e8;
    <honour>_count = firms holding a valid recognition of the honour kind (the pack's honour keys, plus the aliases
    in HONOUR_ALIASES); new_<honour>_count = firms first recognised (over the target's span, or per year) — both
    counted by analytics/honours.py with the levels the pack's tier targets count and the kind's validity, the
    same count the ladder's pipeline reports; X_growth = growth of X.
  A target whose source names an industry the pack does not map (汽车零部件, 战略性新兴产业 …) is not measurable.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from ..vocab import FIGURE, label
from . import honours as hn
from . import measures as ms

AT_RISK_SHARE = 0.9  # at risk: the projection reaches ≥ 90% of the target
AT_RISK_POINTS = 1.0  # growth-rate targets: at risk within 1 percentage point below
LOWER_IS_BETTER = ("at_most", "under")
SECTIONS_UNIT = "sections:" + "+".join(ms.INDUSTRIAL_SECTIONS)
MANUFACTURING_UNIT = "sections:" + "+".join(ms.MANUFACTURING_SECTIONS)

# Which firms a metric counts. Chinese statistics publish most industrial figures over above-scale firms
# (规上工业总产值, 规上工业增加值, 规上工业企业营业收入/利润/研发投入 …); investment and tax figures (工业投资,
# 技改投资, 工业税收) come from investment and tax statistics that have no size floor, and 全部工业增加值 names all
# firms. ABOVE = the 规上 scope (analytics/scale.py), ALL = every firm in the warehouse (measures.all_column).
ABOVE, ALL = "above_scale", "all"
# Sums: metric → (enterprise_year column, universe).
SUMS = {
    "industrial_output": ("output_value", ABOVE),
    "industry_output": ("output_value", ABOVE),
    "industrial_sales_output": None,
    "industrial_value_added": ("value_added", ABOVE),
    "total_industrial_value_added": ("value_added", ALL),
    "industry_value_added": ("value_added", ABOVE),
    "revenue": ("revenue", ABOVE),
    "industrial_tax": ("tax", ALL),
    "tax_revenue": ("tax", ALL),
    "profit": ("profit", ABOVE),
    "industrial_investment": ("fixed_investment", ALL),
    "tech_renovation_investment": ("tech_renovation_investment", ALL),
    "rd_investment": ("rd_expense", ABOVE),
}
# Ratios: metric → (numerator, denominator, scale, universe).
RATIOS = {
    "tech_renovation_investment_share": ("tech_renovation_investment", "fixed_investment", 100.0, ALL),
    "rd_intensity_revenue": ("rd_expense", "revenue", 100.0, ABOVE),
    "labour_productivity": ("value_added", "employees", 1.0, ABOVE),
    "output_per_mu": ("output_value", "land_mu", 1.0, ABOVE),
    "tax_per_mu": ("tax", "land_mu", 1.0, ABOVE),
    "value_added_per_mu": ("value_added", "land_mu", 1.0, ABOVE),
    "value_added_per_energy": ("value_added", "energy_tce", 1.0, ABOVE),
    "value_added_per_emission": ("value_added", "emission_equiv", 1.0, ABOVE),
}
# Shares of a larger whole: metric → (column, denominator: 'industry' = the region's B+C+D, 'city' = the root,
# universe).
SHARES = {
    "industry_share_of_output": ("output_value", "industry", ABOVE),
    "industry_share_of_value_added": ("value_added", "industry", ABOVE),
    "revenue_share_of_city": ("revenue", "city", ABOVE),
    "industrial_investment_share_of_city": ("fixed_investment", "city", ALL),
    "output_share_of_city": ("output_value", "city", ABOVE),
}
UNIVERSE_EN = {ABOVE: "above-scale (规上) firms", ALL: "all firms"}
UNIVERSE_ZH = {ABOVE: "规上企业", ALL: "全部企业"}


def measure_of(col: str, universe: str) -> str:
    """The observation name of a column in a universe (output_value / output_value_all)."""
    return col if universe == ABOVE else ms.all_column(col)


# Metrics that are about one industry and need a cluster (or an industry the pack can map).
NEEDS_INDUSTRY = {
    "industry_output",
    "industry_value_added",
    "industry_share_of_output",
    "industry_share_of_value_added",
}
# The fact vocabulary's count names whose honour key differs (vocabulary stem → honour kind keys to try).
HONOUR_ALIASES = {
    "specialized_sme": ("srdi_sme",),
    "national_smart_factory": ("national_smart_demo_factory",),
    "innovative_sme": ("innovative_sme",),
}
# Words (Chinese statistical usage, not a place's) meaning "all of industry" or "manufacturing" in a fact's
# industry field: such a target is about the whole, not one industry.
WHOLE_INDUSTRY_TERMS = ("规上工业企业", "规上工业", "规模以上工业企业", "规模以上工业", "工业", "全部工业", "工业企业")
MANUFACTURING_TERMS = ("制造业", "规上制造业")
SIZE_CLASS = re.compile(r"^enterprise_count_over_(\d+(?:\.\d+)?)(b|m)$")
SPAN = re.compile(r"^(\d{4})\.\.(\d{4})$")

RULE = {
    "level": "on track: the projection at the growth so far reaches the target by its year; at risk: ≥ 90%; "
    "off track: < 90%; achieved / missed once the year has passed",
    "level_lower": "on track: the projection at the trend so far stays at or below the target; at risk: ≤ 110%; "
    "off track: above; achieved / missed once the year has passed",
    "flow_span": "on track: new recognitions at the pace so far reach the target by its year; at risk: ≥ 90%; "
    "off track: < 90%",
    "flow_annual": "achieved when this year's new recognitions reach the yearly target, else missed",
    "growth": "on track: the growth rate reaches the target; at risk: within 1 percentage point below; off track",
    "none": "achieved when the actual reaches the target (no target year: no projection)",
    "not_measurable": "not measurable from the warehouse",
}
RULE_ZH = {
    "level": "按计划推进：按目前增速推算，到目标年可达到目标；存在风险：可达到目标的90%以上；进度滞后：不足90%；"
    "目标年已过则判定已完成或未完成",
    "level_lower": "按计划推进：按目前趋势推算，不高于目标；存在风险：不超过目标的110%；进度滞后：高于此值；"
    "目标年已过则判定已完成或未完成",
    "flow_span": "按计划推进：按目前新认定的进度，到目标年可达到目标；存在风险：可达到90%以上；进度滞后：不足90%",
    "flow_annual": "当年新认定数达到年度目标为已完成，否则为未完成",
    "growth": "按计划推进：增速达到目标；存在风险：低于目标不超过1个百分点；否则进度滞后",
    "none": "实际值达到目标即为已完成（无目标年份，不作推算）",
    "not_measurable": "数据库无法测算",
}
# A growth-rate target on a money figure: the warehouse's figures are at current prices.
NOMINAL_NOTE = (
    "; nominal growth at current prices (official 增加值增速 and output growth are at comparable prices: "
    "not the same measure)"
)
NOMINAL_NOTE_ZH = "；按现价计算的名义增速（官方增加值增速按可比价计算，二者口径不同）"
SYNTHETIC_NOTE = "actual from SYNTHETIC demo data (invented firms): not a real figure"
SYNTHETIC_NOTE_ZH = "实际值来自合成演示数据（虚构企业），不是真实数字"
SCOPE_ZH = {"region": "区域", "cluster": "集群", "park": "园区", "enterprise": "企业"}


def _col_zh(col: str) -> str:
    """The Chinese name of an enterprise_year column (the import template's header)."""
    return FIGURE[col].zh if col in FIGURE else col


def _col_en(col: str) -> str:
    return FIGURE[col].en.lower() if col in FIGURE else col


@dataclass
class Spec:
    """How one target is measured: numerator (and denominator) observations, the years, the method."""

    target_id: str
    measurable: bool = False
    reason: str | None = None
    reason_zh: str | None = None  # the same in Chinese
    method: str = "level"  # level | flow_span | flow_annual | growth
    num_member: str | None = None
    num_unit: str | None = None
    num_measure: str | None = None
    den_member: str | None = None
    den_unit: str | None = None
    den_measure: str | None = None
    ratio: tuple[str, str] | None = None  # (numerator, denominator) of a ratio metric (measures.pooled_ratio's rule)
    scale: float = 1.0
    scope_name: str | None = None
    scope_name_en: str | None = None
    cluster_name: str | None = None
    measured_as: str | None = None
    measured_as_zh: str | None = None
    target_year: int | None = None
    actual_year: int | None = None
    baseline_year: int | None = None
    baseline_published: float | None = None  # the target's own published baseline (shown beside the measured one)
    baseline_source: str | None = None
    nominal: bool = False  # a money measure: its growth is nominal (current prices)
    span_start: int | None = None
    thresholds: list = field(default_factory=list)
    honour: hn.HonourCount | None = None  # what an honour count counts (analytics/honours.py)


# ------------------------------------------------------------------------------------- target → measurement
def honour_key(stem: str, kinds: set[str]) -> str | None:
    """The honour kind a count metric's stem names (smart_factory → smart_factory; specialized_sme → srdi_sme)."""
    if stem in kinds:
        return stem
    for k in HONOUR_ALIASES.get(stem, ()):
        if k in kinds:
            return k
    return None


def size_class_threshold(metric: str) -> float | None:
    """enterprise_count_over_10b → 1e10; _over_5b → 5e9; _over_100m → 1e8."""
    m = SIZE_CLASS.match(metric)
    if not m:
        return None
    return float(m.group(1)) * (1e9 if m.group(2) == "b" else 1e6)


def _span(period: str | None) -> tuple[int, int] | None:
    m = SPAN.match(period or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def resolve(rows: list[dict], pack, year: int, years: Sequence[int], parks: dict[str, str]) -> list[Spec]:
    """A Spec per target row (target ⋈ fact ⋈ source, as plain dicts): which observation measures it, on
    which years. `parks` maps the warehouse's park ids to names."""
    kinds = {k.key for k in pack.ladder.honour_kinds}
    honour_names = {k.key: k.name_zh for k in pack.ladder.honour_kinds}
    honour_names_en = {k.key: k.name_en for k in pack.ladder.honour_kinds}
    root = pack.info.root_region
    by_name = {}
    for c in pack.clusters.values():
        by_name.setdefault(c.name_zh, c.id)
    first_year = min(years) if years else year
    out = []
    for r in rows:
        s = Spec(target_id=r["id"])
        out.append(s)
        metric = r["metric"]
        period = r.get("period")
        span = _span(period)
        s.target_year = r.get("year")
        annual = period == "annual"
        # scope → member
        scope, sid = r["scope"], r["scope_id"]
        cluster_id = r.get("cluster_id")
        if scope == "region":
            reg = pack.resolve_region(sid) if sid else None
            if reg is None:
                s.reason = f"region {sid!r} is not in the pack"
                s.reason_zh = f"区域“{sid}”不在政策包中"
                continue
            s.num_member, s.scope_name, s.scope_name_en = reg.code, reg.name_zh, reg.name_en
        elif scope == "park":
            if sid in parks:
                s.num_member, s.scope_name = sid, parks[sid]
            else:
                s.reason = f"park {sid!r} is not in the warehouse"
                s.reason_zh = f"园区“{sid}”不在数据库中"
                continue
        elif scope == "cluster":
            if sid not in pack.clusters:
                s.reason = f"cluster {sid!r} is not in the pack"
                s.reason_zh = f"集群“{sid}”不在政策包中"
                continue
            cluster_id = cluster_id or sid
            sysreg = pack.systems[pack.cluster_system[sid]].region
            s.num_member, s.scope_name = sysreg, pack.regions[sysreg].name_zh if sysreg in pack.regions else sysreg
            s.scope_name_en = pack.regions[sysreg].name_en if sysreg in pack.regions else sysreg
        else:
            s.scope_name = sid
            s.reason = f"{scope} targets are not measured (the warehouse sums firms by region, park and cluster)"
            s.reason_zh = f"{SCOPE_ZH.get(scope, scope)}目标无法测算（数据库按区域、园区和集群汇总企业数据）"
            continue
        # industry → unit
        text = (r.get("cluster_text") or "").strip() or None
        if cluster_id is None and text and text in by_name:
            cluster_id = by_name[text]
        if cluster_id is not None:
            if cluster_id not in pack.clusters:
                s.reason = f"cluster {cluster_id!r} is not in the pack"
                s.reason_zh = f"集群“{cluster_id}”不在政策包中"
                continue
            s.num_unit, s.cluster_name = cluster_id, pack.clusters[cluster_id].name_zh
            industry_label = f"cluster {cluster_id} {pack.clusters[cluster_id].name_en}"
            industry_zh = f"集群 {cluster_id} {pack.clusters[cluster_id].name_zh}"
        elif text in MANUFACTURING_TERMS:
            s.num_unit, industry_label, industry_zh = MANUFACTURING_UNIT, "manufacturing (section C)", "制造业（C门类）"
        elif text is None or text in WHOLE_INDUSTRY_TERMS:
            s.num_unit, industry_label = SECTIONS_UNIT, "industry (sections " + "+".join(ms.INDUSTRIAL_SECTIONS) + ")"
            industry_zh = "工业（" + "+".join(ms.INDUSTRIAL_SECTIONS) + "门类）"
        else:
            s.reason = f"the industry {text!r} is not a cluster of the pack"
            s.reason_zh = f"产业“{text}”不是政策包中的集群"
            continue
        # metric → measure and method
        base = metric
        growth = metric.endswith("_growth")
        if growth:
            base = metric[: -len("_growth")]
        new = base.startswith("new_") and base.endswith("_count")
        stem = base[4:-6] if new else (base[:-6] if base.endswith("_count") else None)
        thr = size_class_threshold(base)
        if SUMS.get(base):
            if base in NEEDS_INDUSTRY and s.num_unit == SECTIONS_UNIT and cluster_id is None and text is None:
                s.reason = f"'{label(metric, 'en')}' names no industry or cluster"
                s.reason_zh = f"指标“{label(metric)}”未指明产业或集群"
                continue
            col, uni = SUMS[base]
            s.num_measure = measure_of(col, uni)
            s.nominal = col in ms.MONEY
            what = f"Σ {_col_en(col)} of {UNIVERSE_EN[uni]}"
            what_zh = f"{UNIVERSE_ZH[uni]}{_col_zh(col)}合计"
        elif base in RATIOS:
            n, d, k, uni = RATIOS[base]
            pn, pd_ = ms.pair_columns(n, d)
            s.num_measure, s.den_member, s.den_unit, s.scale = measure_of(pn, uni), s.num_member, s.num_unit, k
            s.den_measure = measure_of(pd_, uni)
            s.ratio = (n, d)
            s.nominal = n in ms.MONEY and d not in ms.MONEY  # money per 亩, per tce, per person
            what = (
                f"{'100 · ' if k == 100 else ''}Σ {_col_en(n)} / Σ {_col_en(d)} of {UNIVERSE_EN[uni]} "
                f"reporting both (pooled, pairwise complete)"
            )
            what_zh = (
                f"{'100 × ' if k == 100 else ''}{UNIVERSE_ZH[uni]}{_col_zh(n)}合计 / {_col_zh(d)}合计"
                f"（仅计两项数据齐全的企业）"
            )
        elif base in SHARES:
            col, of, uni = SHARES[base]
            if of == "industry":
                if s.num_unit == SECTIONS_UNIT:
                    s.reason = f"'{label(metric, 'en')}' names no cluster of the pack"
                    s.reason_zh = f"指标“{label(metric)}”未指明政策包中的集群"
                    continue
                s.den_member, s.den_unit = s.num_member, SECTIONS_UNIT
                what = f"100 · Σ {_col_en(col)} of the cluster / Σ {_col_en(col)} of industry"
                what_zh = f"100 × 集群{_col_zh(col)} / 工业{_col_zh(col)}"
            else:
                s.den_member, s.den_unit = root, s.num_unit
                what = f"100 · Σ {_col_en(col)} / Σ {_col_en(col)} of {pack.regions[root].name_en}"
                what_zh = f"100 × {_col_zh(col)}合计 / {pack.regions[root].name_zh}{_col_zh(col)}合计"
            s.num_measure = s.den_measure = measure_of(col, uni)
            s.scale = 100.0
            what, what_zh = f"{what} ({UNIVERSE_EN[uni]})", f"{what_zh}（{UNIVERSE_ZH[uni]}）"
        elif base == "enterprise_count":
            s.num_measure, what, what_zh = "above_scale_firms", "above-scale (规上) industrial firms", "规上工业企业数"
        elif thr is not None:
            s.num_measure, what = ms.threshold_column(thr), f"firms with revenue ≥ {thr:,.0f} yuan"
            what_zh = f"营业收入不低于{thr / 1e8:g}亿元的企业数"
            s.thresholds.append(thr)
        elif stem is not None and honour_key(stem, kinds):
            k = honour_key(stem, kinds)
            if cluster_id is None and s.num_unit == SECTIONS_UNIT:
                s.num_unit = ms.ALL_UNIT
                industry_label, industry_zh = "all firms", "全部企业"
            s.honour = hn.count_for(pack, k, base)
            s.num_measure = ("new:" if new else "held:") + s.honour.key
            kind_en = honour_names_en.get(k, k)
            what = f"firms newly recognised as {kind_en}" if new else f"firms holding {kind_en}"
            kind_zh = honour_names.get(k, k)
            what_zh = f"新认定为“{kind_zh}”的企业数" if new else f"持有“{kind_zh}”的企业数"
        else:
            s.reason = f"'{label(metric, 'en')}' is not measurable from the warehouse"
            s.reason_zh = f"数据库无法测算指标“{label(metric)}”"
            continue
        if growth and (new or s.num_measure.startswith(("held:", "n_revenue_ge_")) or base in SHARES):
            s.reason = f"'{label(metric, 'en')}': growth of this metric is not measured"
            s.reason_zh = f"“{label(metric)}”：不测算该指标的增速"
            continue
        s.measurable = True
        s.measured_as = f"{what}; {industry_label}; {s.scope_name_en or s.scope_name}"
        s.measured_as_zh = f"{what_zh}；{industry_zh}；{s.scope_name}"
        if growth and s.nominal:
            s.measured_as += NOMINAL_NOTE
            s.measured_as_zh += NOMINAL_NOTE_ZH
        # years and method
        if growth:
            s.method = "growth"
            s.span_start = span[0] if span else None
        elif new:
            s.method = "flow_annual" if (annual or s.target_year is None) else "flow_span"
            s.span_start = span[0] if span else (s.target_year if s.target_year else None)
        if s.method == "flow_annual" or (annual and s.method == "growth"):
            s.target_year = year
        s.actual_year = year if s.target_year is None else min(year, s.target_year)
        if s.method == "level":
            published = r.get("baseline_value") is not None and r.get("baseline_year") is not None
            if published:
                s.baseline_published = float(r["baseline_value"])
            by = r.get("baseline_year")
            if by is None and span:
                by = span[0] - 1
            if by is None and r.get("published"):
                by = r["published"].year - 1
            if by is not None and by >= first_year and by in years:
                s.baseline_year, s.baseline_source = int(by), "warehouse"
            elif by is not None:
                s.baseline_source = f"not in the warehouse ({by})"
                s.baseline_year = int(by) if published else None
    return out


def specs_table(specs: list[Spec]) -> pa.Table:
    """The measurable specs as a small table for progress()."""
    rows = [s for s in specs if s.measurable]
    cols = [
        "target_id",
        "method",
        "num_member",
        "num_unit",
        "num_measure",
        "den_member",
        "den_unit",
        "den_measure",
        "scale",
        "target_year",
        "actual_year",
        "baseline_year",
        "baseline_published",
        "span_start",
    ]
    types = {
        "scale": pa.float64(),
        "baseline_published": pa.float64(),
        "target_year": pa.int64(),
        "actual_year": pa.int64(),
        "baseline_year": pa.int64(),
        "span_start": pa.int64(),
    }
    return pa.table({c: pa.array([getattr(s, c) for s in rows], types.get(c, pa.string())) for c in cols})


# ------------------------------------------------------------------------------------------------ observations
def observations(sums, hsums, columns: Sequence[str], thresholds: Sequence[float] = (), ratios=()):
    """Long table (member_code, unit_id, measure, year, value) from measures.unit_sums (wide) and
    measures.honour_sums (held / new per kind)."""
    parts = []
    columns = [*columns, *ms.ratio_columns(ratios)]
    names = [*columns, *[ms.all_column(c) for c in columns], "firms", ms.all_column("firms"), "above_scale_firms"]
    for c in [*names, *[ms.threshold_column(t) for t in thresholds]]:
        parts.append(
            sums.select(
                "member_code",
                "unit_id",
                measure=ibis.literal(c),
                year=sums.year.cast("int64"),
                value=sums[c].cast("float64"),
            )
        )
    if hsums is not None:
        for what in ("held", "new"):
            parts.append(
                hsums.select(
                    "member_code",
                    "unit_id",
                    measure=ibis.literal(what + ":") + hsums.kind,
                    year=hsums.as_of.cast("int64"),
                    value=hsums[what].cast("float64"),
                )
            )
    return ms.union_all(*parts)


def _value_at(specs, obs, year_col: str, name: str, years: Sequence[int]):
    """specs + the measured value (numerator / denominator × scale) at the year in `year_col` (null when that
    year is not held; 0 when the year is held but no firm of the scope reports the measure)."""
    o = obs
    num = o.select(n_member=o.member_code, n_unit=o.unit_id, n_measure=o.measure, n_year=o.year, n_value=o.value)
    j = specs.left_join(
        num,
        [
            specs.num_member == num.n_member,
            specs.num_unit == num.n_unit,
            specs.num_measure == num.n_measure,
            specs[year_col] == num.n_year,
        ],
    )
    j = j.select(*specs.columns, "n_value")
    o2 = obs.view()
    den = o2.select(d_member=o2.member_code, d_unit=o2.unit_id, d_measure=o2.measure, d_year=o2.year, d_value=o2.value)
    j = j.left_join(
        den,
        [
            j.den_member == den.d_member,
            j.den_unit == den.d_unit,
            j.den_measure == den.d_measure,
            j[year_col] == den.d_year,
        ],
    )
    held = j[year_col].isin([int(y) for y in years])
    val = ibis.cases(
        (~held.fill_null(False), ibis.null("float64")),
        (j.den_measure.isnull(), j.n_value.fill_null(0.0) * j.scale),
        (j.d_value != 0, j.n_value.fill_null(0.0) / j.d_value * j.scale),
        else_=ibis.null("float64"),
    )
    return j.select(*specs.columns, **{name: val}).view()


def _span_sum(specs, obs):
    """Σ of a flow measure over span_start..actual_year (counts of new recognitions)."""
    o = obs.select(
        n_member=obs.member_code, n_unit=obs.unit_id, n_measure=obs.measure, n_year=obs.year, n_value=obs.value
    )
    s = specs.select("target_id", "num_member", "num_unit", "num_measure", "span_start", "actual_year")
    j = s.join(
        o,
        [
            s.num_member == o.n_member,
            s.num_unit == o.n_unit,
            s.num_measure == o.n_measure,
            o.n_year >= s.span_start,
            o.n_year <= s.actual_year,
        ],
    )
    return j.group_by(j.target_id.name("sp_id")).aggregate(span_total=j.n_value.sum())


def progress(specs, obs, years: Sequence[int]):
    """Per target: baseline, actual, growth so far, required growth, projection, gap, progress, status."""
    s = specs.mutate(
        prev_year=specs.actual_year - 1,
        growth_from=ibis.ifelse(specs.span_start.notnull(), specs.span_start - 1, specs.actual_year - 1),
    )
    a = _value_at(s, obs, "actual_year", "actual_level", years)
    a = _value_at(a, obs, "prev_year", "prev_level", years)
    a = _value_at(a, obs, "baseline_year", "baseline_measured", years)
    a = _value_at(a, obs, "growth_from", "growth_base", years)
    sp = _span_sum(s, obs)
    a = a.left_join(sp, a.target_id == sp.sp_id).select(*a.columns, "span_total").view()

    f64 = "float64"
    NULL = ibis.null(f64)
    # actual by method
    years_growth = (a.actual_year - a.growth_from).cast(f64)
    rate = ibis.ifelse(
        (a.growth_base > 0) & (a.actual_level > 0) & (years_growth > 0),
        ((a.actual_level / a.growth_base) ** (1.0 / years_growth) - 1.0) * 100.0,
        NULL,
    )
    actual = ibis.cases(
        (a.method == "growth", rate),
        (a.method == "flow_span", a.span_total.fill_null(0.0)),
        (a.method == "flow_annual", a.actual_level),
        else_=a.actual_level,
    )
    # the baseline growth and progress use is the warehouse's own figure (the actual's source); a published
    # baseline is shown beside it and sets only the plan's implied rate (required_growth_from_baseline)
    baseline = ibis.ifelse(a.method == "level", a.baseline_measured, NULL)
    plan_base = ibis.ifelse(a.method == "level", ibis.coalesce(a.baseline_published, a.baseline_measured), NULL)
    b = a.mutate(actual_value=actual, baseline_used=baseline, plan_base=plan_base).view()

    elapsed = (b.actual_year - b.baseline_year).cast(f64)
    remaining = (b.target_year - b.actual_year).cast(f64)
    to_base = (b.target_year - b.baseline_year).cast(f64)
    level = b.method == "level"
    g_base = ibis.ifelse(
        (elapsed > 0) & (b.baseline_used > 0) & (b.actual_value > 0),
        (b.actual_value / b.baseline_used) ** (1.0 / elapsed) - 1.0,
        NULL,
    )
    g_last = ibis.ifelse((b.prev_level > 0) & (b.actual_value > 0), b.actual_value / b.prev_level - 1.0, NULL)
    growth_so_far = ibis.ifelse(level, ibis.coalesce(g_base, g_last), NULL)
    growth_basis = ibis.cases(
        (~level, ibis.null("string")),
        (g_base.notnull(), ibis.literal("since baseline")),
        (g_last.notnull(), ibis.literal("last year")),
        else_=ibis.literal("unknown: projected flat"),
    )
    T = b.target_value
    required = ibis.cases(
        (level & (remaining > 0) & (b.actual_value > 0) & (T > 0), (T / b.actual_value) ** (1.0 / remaining) - 1.0),
        else_=NULL,
    )
    required_base = ibis.cases(
        (level & (to_base > 0) & (b.plan_base > 0) & (T > 0), (T / b.plan_base) ** (1.0 / to_base) - 1.0),
        else_=NULL,
    )
    per_year = ibis.ifelse((b.method == "flow_span") & (remaining > 0), (T - b.actual_value) / remaining, NULL)
    span_years = (b.target_year - b.span_start + 1).cast(f64)
    done_years = (b.actual_year - b.span_start + 1).cast(f64)
    projection = ibis.cases(
        (b.target_year.isnull() | b.actual_value.isnull(), NULL),
        (level & (remaining <= 0), b.actual_value),
        (level, b.actual_value * (1.0 + growth_so_far.fill_null(0.0)) ** remaining),
        ((b.method == "flow_span") & (done_years > 0), b.actual_value * span_years / done_years),
        else_=NULL,
    )
    gap = T - b.actual_value
    prog = ibis.ifelse(level & (T != b.baseline_used), (b.actual_value - b.baseline_used) / (T - b.baseline_used), NULL)
    c = b.mutate(
        growth_so_far=growth_so_far,
        growth_basis=growth_basis,
        required_growth=required,
        required_growth_from_baseline=required_base,
        required_per_year=per_year,
        projected=projection,
        gap=gap,
        progress=prog,
    ).view()

    lower = c.lower_is_better
    reached = ibis.ifelse(lower, c.actual_value <= c.target_value, c.actual_value >= c.target_value)
    p_reached = ibis.ifelse(lower, c.projected <= c.target_value, c.projected >= c.target_value)
    p_close = ibis.ifelse(
        lower, c.projected <= c.target_value * (2.0 - AT_RISK_SHARE), c.projected >= c.target_value * AT_RISK_SHARE
    )
    g_close = c.actual_value >= c.target_value - AT_RISK_POINTS
    passed = c.target_year.notnull() & (c.target_year <= c.actual_year)
    status = ibis.cases(
        (c.actual_value.isnull(), ibis.literal("no data")),
        (c.method == "flow_annual", ibis.ifelse(reached, "achieved", "missed")),
        (c.target_year.isnull(), ibis.ifelse(reached, "achieved", "no target year")),
        (passed, ibis.ifelse(reached, "achieved", "missed")),
        (c.method == "growth", ibis.cases((reached, "on track"), (g_close, "at risk"), else_="off track")),
        ((c.method == "flow_span") & (c.actual_year < c.span_start), ibis.literal("not started")),
        (c.projected.isnull(), ibis.literal("no data")),
        (p_reached, ibis.literal("on track")),
        (p_close, ibis.literal("at risk")),
        else_=ibis.literal("off track"),
    )

    def rule_of(texts: dict):
        return ibis.cases(
            (c.target_year.isnull() & (c.method != "flow_annual"), ibis.literal(texts["none"])),
            (c.method == "level", ibis.ifelse(lower, texts["level_lower"], texts["level"])),
            (c.method == "flow_span", ibis.literal(texts["flow_span"])),
            (c.method == "flow_annual", ibis.literal(texts["flow_annual"])),
            else_=ibis.literal(texts["growth"]),
        )

    return c.select(
        "target_id",
        "method",
        "target_value",
        "target_year",
        "actual_value",
        "actual_year",
        "baseline_used",
        "baseline_published",
        "baseline_year",
        "growth_so_far",
        "growth_basis",
        "required_growth",
        "required_growth_from_baseline",
        "required_per_year",
        "gap",
        "progress",
        projection=c.projected,
        status=status,
        rule=rule_of(RULE),
        rule_zh=rule_of(RULE_ZH),
    )


# ------------------------------------------------------------------------------------------- run on a Context
def _target_rows(ctx, proposed: bool | None) -> list[dict]:
    t, f, s = ctx.table("target"), ctx.table("fact"), ctx.table("source")
    ff = f.select(fid=f.id, cluster_text=f.cluster, period=f.period, fact_entity=f.entity)
    ss = s.select(sid=s.id, published=s.published, source_title=s.title)
    j = t.left_join(ff, t.fact_id == ff.fid)
    j = j.select(*t.columns, "cluster_text", "period", "fact_entity").view()
    j = j.left_join(ss, j.source_id == ss.sid).select(*j.columns, "published", "source_title")
    if proposed is not None:
        j = j.filter(j.proposed == proposed)
    rows = ctx.to_arrow(j).to_pylist()
    for r in rows:
        if r.get("year") is not None:
            r["year"] = int(r["year"])
        if r.get("baseline_year") is not None:
            r["baseline_year"] = int(r["baseline_year"])
        p = r.get("published")
        if isinstance(p, str):
            r["published"] = dt.date.fromisoformat(p[:10])
        elif isinstance(p, dt.datetime):
            r["published"] = p.date()
    return sorted(rows, key=lambda r: r["id"])


def compute(ctx, proposed: bool | None = False) -> pa.Table:
    """target_progress for ctx.year: every target (proposed=False: the register; True: the proposed ones;
    None: both)."""
    rows = _target_rows(ctx, proposed)
    tb = ctx.table
    parks_a = ctx.to_arrow(tb("park").select("id", "name_zh")).to_pylist()
    parks = {p["id"]: p["name_zh"] for p in parks_a}
    years = [y for y in ctx.years if y <= ctx.year]
    specs = resolve(rows, ctx.pack, ctx.year, years, parks)
    synthetic = ms.warehouse_is_synthetic(ctx)
    measured = _measure(ctx, specs, rows, years) if any(s.measurable for s in specs) else {}
    return _assemble(rows, specs, measured, synthetic, ctx.pack)


def _measure(ctx, specs: list[Spec], rows: list[dict], years: list[int]) -> dict[str, dict]:
    tb = ctx.table
    held = list(years)
    root = ctx.pack.info.root_region
    thresholds = sorted({t for s in specs for t in s.thresholds})
    ratios = sorted({s.ratio for s in specs if s.measurable and s.ratio})
    cols = ms.FIGURES
    asked = set()
    for s in specs:
        if not s.measurable:
            continue
        asked |= {s.actual_year, s.actual_year - 1, s.baseline_year}
        start = s.span_start if s.span_start is not None else s.actual_year
        asked |= {start - 1, *range(start, s.actual_year + 1)}
    years = [y for y in years if y in asked]  # only the years some target asks for
    cells_a = ctx.to_arrow(
        ms.cells(
            tb("enterprise"),
            tb("enterprise_year"),
            tb("park"),
            years,
            cols,
            thresholds,
            industry=tb("industry"),
            pack=ctx.pack,
            ratios=ratios,
        )
    )
    cm = ms.engine_table(ctx.engine, cells_a)
    need_h = any(s.measurable and (s.num_measure or "").startswith(("held:", "new:")) for s in specs)
    keys_a = cells_a.select(list(ms.KEYS))
    hm = None
    if need_h:
        counts = [s.honour for s in specs if s.measurable and s.honour is not None]
        h_a = ctx.to_arrow(ms.honour_cells(tb("enterprise"), tb("honour"), tb("park"), years, counts=counts))
        hm = ms.engine_table(ctx.engine, h_a)
        keys_a = pa.concat_tables([keys_a, h_a.select(list(ms.KEYS))])
    keys = ctx.engine.memtable(keys_a.group_by(list(ms.KEYS)).aggregate([]))
    members = ms.memberships(keys, tb("region_ancestor"), tb("region_overlap"), ctx.region_map(), "both", parks=True)
    wanted = sorted({s.num_member for s in specs if s.measurable} | {s.den_member for s in specs if s.den_member})
    members = members.filter(members.member_code.isin(wanted))
    members = ms.engine_table(ctx.engine, ctx.to_arrow(members))
    units = ms.union_all(
        ms.cluster_units(tb("cluster"), tb("cluster_system"), tb("cluster_industry"), tb("cluster_map"), tiers=False),
        ms.section_unit(tb("industry"), ms.INDUSTRIAL_SECTIONS, SECTIONS_UNIT, root),
        ms.section_unit(tb("industry"), ms.MANUFACTURING_SECTIONS, MANUFACTURING_UNIT, root),
    )
    # only the (member, unit) pairs the targets ask for
    pairs = sorted(
        {(s.num_member, s.num_unit) for s in specs if s.measurable}
        | {(s.den_member, s.den_unit) for s in specs if s.measurable and s.den_member}
    )
    want = ctx.engine.memtable({"member_code": [p[0] for p in pairs], "unit_id": [p[1] for p in pairs]})
    want_units = ctx.engine.memtable({"unit_id": sorted({p[1] for p in pairs})})
    units = units.join(want_units, "unit_id", how="semi")
    units = ms.engine_table(ctx.engine, ctx.to_arrow(units))
    sums = ms.union_all(
        ms.unit_sums(cm, units, members, members, cols, thresholds, ratios),
        ms.unit_sums(cm, None, members, members, cols, thresholds, ratios),
    )
    sums = sums.join(want, ["member_code", "unit_id"], how="semi")
    sums = ms.engine_table(ctx.engine, ctx.to_arrow(sums))
    hs = None
    if need_h:
        hs = ms.union_all(ms.honour_sums(hm, units, members, members), ms.honour_sums(hm, None, members, members))
        hs = hs.join(want, ["member_code", "unit_id"], how="semi")
        hs = ms.engine_table(ctx.engine, ctx.to_arrow(hs))
    obs = ms.engine_table(ctx.engine, ctx.to_arrow(observations(sums, hs, cols, thresholds, ratios)))
    st = specs_table(specs)
    by_id = {r["id"]: r for r in rows}
    st = st.append_column(
        "target_value", pa.array([float(by_id[i]["value"]) for i in st.column("target_id").to_pylist()], pa.float64())
    )
    st = st.append_column(
        "lower_is_better",
        pa.array(
            [by_id[i].get("qualifier") in LOWER_IS_BETTER for i in st.column("target_id").to_pylist()], pa.bool_()
        ),
    )
    res = ctx.to_arrow(progress(ms.engine_table(ctx.engine, st), obs, held))
    return {r["target_id"]: r for r in res.to_pylist()}


OUTPUT_COLUMNS = [
    "target_id",
    "proposed",
    "scope",
    "scope_id",
    "scope_name",
    "cluster_id",
    "cluster_name",
    "metric",
    "metric_zh",
    "unit",
    "qualifier",
    "target_value",
    "target_year",
    "measurable",
    "measured_as",
    "measured_as_zh",
    "method",
    "baseline_value",
    "baseline_published",
    "baseline_year",
    "baseline_source",
    "actual_value",
    "actual_year",
    "actual_synthetic",
    "growth_so_far",
    "growth_basis",
    "growth_prices",
    "required_growth",
    "required_growth_from_baseline",
    "required_per_year",
    "projection",
    "gap",
    "progress",
    "status",
    "rule",
    "rule_zh",
    "note",
    "note_zh",
    "source",
]


def _assemble(rows: list[dict], specs: list[Spec], measured: dict[str, dict], synthetic: bool, pack) -> pa.Table:
    out = []
    for r, s in zip(rows, specs):
        m = measured.get(s.target_id, {})
        rec = {
            "target_id": r["id"],
            "proposed": bool(r.get("proposed")),
            "scope": r["scope"],
            "scope_id": r["scope_id"],
            "scope_name": s.scope_name,
            "cluster_id": s.num_unit if s.num_unit in pack.clusters else r.get("cluster_id"),
            "cluster_name": s.cluster_name
            or (
                pack.clusters[r["cluster_id"]].name_zh
                if r.get("cluster_id") in pack.clusters
                else r.get("cluster_text")
            ),
            "metric": r["metric"],
            "metric_zh": r.get("metric_zh") or label(r["metric"]),
            "unit": r["unit"],
            "qualifier": r.get("qualifier"),
            "target_value": float(r["value"]),
            "target_year": m.get("target_year", r.get("year")),
            "measurable": s.measurable,
            "measured_as": s.measured_as,
            "measured_as_zh": s.measured_as_zh,
            "method": s.method if s.measurable else None,
            "baseline_value": m.get("baseline_used"),
            "baseline_published": s.baseline_published if s.method == "level" else None,
            "baseline_year": s.baseline_year if s.method == "level" else None,
            "baseline_source": (
                s.baseline_source
                if m.get("baseline_used") is not None
                else (s.baseline_source if s.baseline_source and s.baseline_source.startswith("not") else None)
            ),
            "actual_value": m.get("actual_value"),
            "actual_year": m.get("actual_year"),
            "actual_synthetic": bool(synthetic and s.measurable),
            "growth_prices": "nominal"
            if s.nominal
            and (m.get("growth_so_far") is not None or (s.method == "growth" and m.get("actual_value") is not None))
            else None,
            **{
                k: m.get(k)
                for k in (
                    "growth_so_far",
                    "growth_basis",
                    "required_growth",
                    "required_growth_from_baseline",
                    "required_per_year",
                    "projection",
                    "gap",
                    "progress",
                )
            },
            "status": m.get("status") if s.measurable else "not measurable",
            "rule": m.get("rule") if s.measurable else RULE["not_measurable"],
            "rule_zh": m.get("rule_zh") if s.measurable else RULE_ZH["not_measurable"],
            "note": None,
            "note_zh": None,
            "source": r.get("source_title") or r.get("source_id"),
        }
        if not s.measurable:
            rec["note"], rec["note_zh"] = s.reason, s.reason_zh
        elif synthetic:
            rec["note"], rec["note_zh"] = SYNTHETIC_NOTE, SYNTHETIC_NOTE_ZH
        out.append(rec)
    types = {
        "proposed": pa.bool_(),
        "measurable": pa.bool_(),
        "actual_synthetic": pa.bool_(),
        "target_year": pa.int64(),
        "baseline_year": pa.int64(),
        "actual_year": pa.int64(),
    }
    floats = {
        "target_value",
        "baseline_value",
        "baseline_published",
        "actual_value",
        "growth_so_far",
        "required_growth",
        "required_growth_from_baseline",
        "required_per_year",
        "projection",
        "gap",
        "progress",
    }
    return pa.table(
        {
            c: pa.array([o[c] for o in out], types.get(c, pa.float64() if c in floats else pa.string()))
            for c in OUTPUT_COLUMNS
        }
    )


def evaluate(ctx) -> dict[str, pa.Table]:
    """target_progress for ctx.year: the register (accepted targets) and the proposed ones."""
    return {"target_progress": compute(ctx, proposed=None)}


def summarise(tables: dict[str, pa.Table]) -> str:
    t = tables["target_progress"]
    reg = t.filter(pc.invert(t.column("proposed")))
    counts: dict[str, int] = {}
    for s in reg.column("status").to_pylist():
        counts[s] = counts.get(s, 0) + 1
    order = ["on track", "at risk", "off track", "achieved", "missed", "no target year", "no data", "not measurable"]
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    return f"{reg.num_rows} targets: " + ", ".join(parts)


STATUSES = (
    "on track",
    "at risk",
    "off track",
    "achieved",
    "missed",
    "not started",
    "no target year",
    "no data",
    "not measurable",
)


def view(
    ctx, region: str | None = None, cluster: str | None = None, status: str | None = None, with_proposed: bool = False
) -> pa.Table:
    """What `zhizao targets` prints: progress of the register (and the proposed targets), filtered."""
    from . import AnalyticsError

    pack = ctx.pack
    code = None
    if region is not None:
        r = pack.resolve_region(region)
        if r is None:
            raise AnalyticsError(f"unknown region {region!r}: not a region code or name of pack {pack.info.id}")
        code = r.code
    cids = None
    if cluster is not None:
        want = cluster.strip()
        cids = [c.id for c in pack.clusters.values() if want.lower() == c.id.lower() or want == c.name_zh]
        if not cids:
            raise AnalyticsError(f"unknown cluster {cluster!r}: give a cluster id or its name")
    if status is not None and status not in STATUSES:
        raise AnalyticsError(f"unknown status {status!r}: choose one of {', '.join(STATUSES)}")
    t = compute(ctx, proposed=None if with_proposed else False)
    keep = []
    for r in t.to_pylist():
        if code is not None and not (
            r["scope"] == "region"
            and pack.resolve_region(r["scope_id"] or "") is not None
            and pack.resolve_region(r["scope_id"]).code == code
        ):
            keep.append(False)
            continue
        if cids is not None and r["cluster_id"] not in cids:
            keep.append(False)
            continue
        keep.append(status is None or r["status"] == status)
    t = t.filter(pa.array(keep, pa.bool_()))
    # measurable first, then by id
    order = sorted(
        range(t.num_rows), key=lambda i: (not t.column("measurable")[i].as_py(), t.column("target_id")[i].as_py())
    )
    return t.take(pa.array(order, pa.int64()))
