"""Target → measurement: which warehouse observation measures each registered target (a Spec), over which
scope, industry and years — or why it cannot be measured.

What a metric measures (the metric vocabulary of the fact schema; X summed with analytics/measures.py's weights
over the target's region or park and its cluster, or industry B+C+D when it names none):
    industrial_output, industry_output → Σ output_value; *value_added → Σ value_added; revenue → Σ revenue;
    industrial_tax, tax_revenue → Σ tax; profit → Σ profit; industrial_investment → Σ fixed_investment;
    tech_renovation_investment → Σ tech_renovation_investment; rd_investment → Σ rd_expense;
    tech_renovation_investment_share = 100 · 技改 / fixed investment; rd_intensity_revenue = 100 · R&D / revenue;
    labour_productivity = value added / employees; output_per_mu, tax_per_mu, value_added_per_mu = X / land;
    value_added_per_energy = VA / tce; value_added_per_emission = VA / emission equivalent — every ratio by
    analytics/measures.py's pooled, pairwise-complete rule (Σ n / Σ d over the firms that report both), the rule
    the 亩均 evaluation's area figures use;
    industry_share_of_output (_value_added) = 100 · X[cluster] / X[industry B+C+D];
    revenue_share_of_city, industrial_investment_share_of_city, output_share_of_city = 100 · X[region] / X[city];
    enterprise_count = firms; enterprise_count_over_10b / _5b / _100m … = firms with revenue ≥ 1e10 / 5e9 / 1e8;
    <honour>_count = firms holding a valid recognition of the honour kind (the pack's honour keys, plus the aliases
    in HONOUR_ALIASES); new_<honour>_count = firms first recognised (over the target's span, or per year) — both
    counted by analytics/honours.py with the levels the pack's tier targets count and the kind's validity, the
    same count the ladder's pipeline reports; X_growth = growth of X.
  A target whose source names an industry the pack does not map (汽车零部件, 战略性新兴产业 …) is not measurable.

Baseline year: the target's own baseline_year; else the year before the target's span (2023..2027 → 2022), else
the year before its source was published; its value is measured in the warehouse (baseline_value), the target's
own published value is baseline_published.

The progress these measurements feed: analytics/targets/tracking.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from ...vocab import FIGURE, label
from .. import honours as hn
from .. import measures as ms

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

# A growth-rate target on a money figure: the warehouse's figures are at current prices.
NOMINAL_NOTE = (
    "; nominal growth at current prices (official 增加值增速 and output growth are at comparable prices: "
    "not the same measure)"
)
NOMINAL_NOTE_ZH = "；按现价计算的名义增速（官方增加值增速按可比价计算，二者口径不同）"
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
