"""The 亩均 figures of areas and classes: every evaluation region, park and class as totals over its firms in
scope (pooled ratios: sums of numerators over sums of denominators, analytics/measures.py), and each unit's
benchmarks (the method and its formulas: analytics/mujun/__init__.py)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ...reference.models import MujunMethod
from .. import measures as ms
from .method import cap_of, class_column, class_keys, not_rated_label


def _area_metrics(t: ir.Table, m: MujunMethod) -> dict:
    out = {
        "firms": t.count(),
        "rated": ibis.cases((t.rated, 1), else_=0).sum().cast("int64"),
        "land_mu": t.land_mu.sum(),
    }
    for i in m.indicators:
        out[i.key] = ms.pooled_ratio(t, i.numerator, i.denominator, i.scale)
    out["mean_score"] = t.total_score.mean()
    for k in class_keys(m):
        out[class_column(k)] = ibis.cases((t["class"] == k, 1), else_=0).sum().cast("int64")
    return out


def area_figures(ev: ir.Table, m: MujunMethod, by: str) -> ir.Table:
    """Figures of every value of `by` (region_code, park_id, division ...) as totals over its firms in scope."""
    t = ev.filter(ev[by].notnull())
    return t.group_by(by).aggregate(**_area_metrics(t, m))


def region_figures(ev: ir.Table, m: MujunMethod, region: ir.Table, year: int, root_code: str) -> ir.Table:
    """mujun_region: every evaluation region (county or evaluated functional area) with firms in scope, and the
    pack's whole region (root_code) as one row; region_code is the evaluation region's code."""
    counties = area_figures(ev, m, "eval_region").rename(region_code="eval_region")
    whole = ev.aggregate(**_area_metrics(ev, m)).mutate(region_code=ibis.literal(root_code))
    both = counties.union(whole.select(*counties.columns))
    names = region.select(r_code=region.code, region_name=region.name_zh, level=region.level)
    j = both.left_join(names, both.region_code == names.r_code)
    return j.select(
        ibis.literal(year).cast("int64").name("year"),
        ibis.literal(m.id).name("method"),
        "region_code",
        "region_name",
        "level",
        *[c for c in counties.columns if c != "region_code"],
    )


def park_figures(ev: ir.Table, m: MujunMethod, park: ir.Table, year: int) -> ir.Table:
    """mujun_park: every park with firms in scope."""
    parks = area_figures(ev, m, "park_id")
    names = park.select(p_id=park.id, park_name=park.name_zh, park_region=park.region_code)
    j = parks.left_join(names, parks.park_id == names.p_id)
    return j.select(
        ibis.literal(year).cast("int64").name("year"),
        ibis.literal(m.id).name("method"),
        "park_id",
        "park_name",
        j.park_region.name("region_code"),
        *[c for c in parks.columns if c != "park_id"],
    )


def policy_table(ev: ir.Table, m: MujunMethod, year: int) -> ir.Table:
    """mujun_policy: one row per class (the not-rated class too) with its policy and its firms' figures."""
    label = not_rated_label(m)
    g = ev.group_by("class").aggregate(
        firms=ev.count(),
        land_mu=ev.land_mu.sum(),
        mean_score=ev.total_score.mean(),
        min_score=ev.total_score.min(),
        max_score=ev.total_score.max(),
    )
    rated_total = ev.rated.cast("int64").sum()
    g = g.cross_join(ev.aggregate(_rated_total=rated_total))
    order = {c.key: n for n, c in enumerate(m.classes)} | {label: len(m.classes)}

    def lookup(attr: str, nr_value: str | None):
        br = [(g["class"] == c.key, getattr(c, attr)) for c in m.classes if getattr(c, attr) is not None]
        if nr_value is not None:
            br.append((g["class"] == label, nr_value))
        return ibis.cases(*br, else_=ibis.null("string")) if br else ibis.null("string")

    nr = m.not_rated
    return g.select(
        ibis.literal(year).cast("int64").name("year"),
        ibis.literal(m.id).name("method"),
        "class",
        ibis.cases(*[(g["class"] == k, v) for k, v in order.items()], else_=99).cast("int64").name("class_order"),
        lookup("name_zh", str(nr.get("name_zh", "not rated"))).name("class_name"),
        lookup("name_en", str(nr.get("name_en", "Not rated"))).name("class_name_en"),
        lookup("policy_zh", None).name("policy_zh"),
        lookup("policy_en", None).name("policy_en"),
        "firms",
        ibis.cases((g["class"] == label, ibis.null("float64")), else_=g.firms / g._rated_total).name("share_of_rated"),
        "land_mu",
        "mean_score",
        "min_score",
        "max_score",
    )


def benchmark_table(ev: ir.Table, m: MujunMethod, year: int) -> ir.Table:
    """mujun_benchmark: per unit and indicator, the benchmark used, the average score used for missing
    figures (rule 'average'), and how many rated firms have / lack the figure."""
    t = ev.filter(ev.rated)
    parts = []
    for i in m.indicators:
        bm = t[f"bm_{i.key}"].max() if i.benchmark is None else ibis.literal(float(i.benchmark))
        g = t.group_by("unit").aggregate(
            benchmark=bm.cast("float64"),
            missing_average=t[f"k_{i.key}"].mean() if i.missing == "average" else ibis.null("float64"),
            with_figure=t[f"x_{i.key}"].count(),
            without_figure=(t.count() - t[f"x_{i.key}"].count()),
        )
        parts.append(
            g.select(
                ibis.literal(year).cast("int64").name("year"),
                ibis.literal(m.id).name("method"),
                "unit",
                ibis.literal(i.key).name("indicator"),
                ibis.literal(i.name_zh).name("name_zh"),
                ibis.literal(float(i.weight)).name("weight"),
                "benchmark",
                ibis.literal(float(cap_of(m, i)) if cap_of(m, i) is not None else None, "float64").name("cap"),
                ibis.literal(i.missing).name("missing_rule"),
                "missing_average",
                g.with_figure.cast("int64").name("with_figure"),
                g.without_figure.cast("int64").name("without_figure"),
            )
        )
    return ibis.union(*parts) if len(parts) > 1 else parts[0]
