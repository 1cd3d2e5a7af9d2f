"""Target progress: baseline, latest actual, growth so far, the compound annual growth still required, a
projection to the target year, the gap, and a status with its rule — computed by the engine from the measurements
(analytics/targets/measurement.py) and the warehouse's observations.

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
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from .. import measures as ms

AT_RISK_SHARE = 0.9  # at risk: the projection reaches ≥ 90% of the target
AT_RISK_POINTS = 1.0  # growth-rate targets: at risk within 1 percentage point below
LOWER_IS_BETTER = ("at_most", "under")

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
