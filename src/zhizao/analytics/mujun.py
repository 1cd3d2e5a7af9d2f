"""亩均论英雄 — the per-mu benefit evaluation of firms (亩均效益综合评价), by the pack's method.

Source of the method. The ratio-to-benchmark form of Zhejiang's evaluation (浙政发〔2018〕5号), as published
by 台州市黄岩区 for 2022 (the Chongqing pack's default method: six indicators, weights 30/20/20/10/10/10, its
benchmarks, "a firm without emission data gets the average score of that indicator"); class shares and the
not-rated rule of 淮安市 2024 (A top 20%, B to 60%, C to 95%, D the rest; utilities and firms under two years
old not rated); 淮安's benchmarks as a multiple of the county's previous-year average. Every number comes from
the pack (reference/<pack>/mujun.yaml, models.MujunMethod); nothing here knows a place.

Formulas, for firm f, evaluation year t and indicator i of method M (numerator column n_i, denominator d_i,
scale s_i, weight w_i, optional cap c_i):

    scope       firms with a year-t row whose industry section is in M.scope_sections (all when empty), whose
                revenue (营业收入) is at least M.scope_min_revenue (no floor when unset) and, with
                M.scope_above_scale, that are above scale in year t (analytics/scale.py: the pack's 规上 rule)
    not rated   t - year(founded) < not_rated.min_age_years, or section in not_rated.excluded_sections, or
                industry code starting with one of not_rated.excluded_industries: class not_rated.label ("T"),
                no score, no rank (a firm without a founding date is rated)
    unit u      the evaluation unit M.rank_within: region -> the county, industry -> the GB/T 4754 division,
                park -> the park; several -> their combination; none -> all firms together
    x_fi        = n_fi / d_fi × s_i        (missing when d_fi <= 0 or either figure is missing)
    b_i         = the published benchmark, or, with benchmark_of_prior_mean k_i,
                  k_i × X_{u,i,t-1}, X = Σn / Σd × s over the rated firms of u in t-1 having both figures
                  (benchmark_mean: pooled), or the mean of their x (benchmark_mean: firms)
    s_fi        = x_fi / b_i × w_i, at most c_i × w_i when the method caps the indicator
    missing x   zero:    s_fi = 0
                average: s_fi = the mean of s_gi over the rated firms g of u that have x_gi (0 if none has)
                exclude: indicator i left out and the total rescaled: S_f = Σ_avail s × Σ_all w / Σ_avail w
    S_f         = Σ_i s_fi                                (a firm exactly at every benchmark scores Σ w_i = 100)
    class       share rule: p_f = 1 + #{rated g in u : S_g > S_f}, n_u = #rated firms of u; the class is the
                first class c (in the method's order) with p_f <= top_share_c × n_u, so tied firms share the
                better class; threshold rule: the first class with S_f >= min_score_c, the last class takes the rest
    ranks       rank_region   = 1 + #{rated g in f's county : S_g > S_f}
                rank_industry = 1 + #{rated g in f's GB/T 4754 division (city-wide) : S_g > S_f}
    areas       for a county (and the whole pack region), a park, a class: X_i = Σn_i / Σd_i × s_i over all its
                firms in scope (rated and not) with both figures (亩均税收 = total tax / total land ...) —
                measures.pooled_ratio, the rule the targets' ratio metrics use too,
                firms, rated firms, land, mean score of the rated firms, firms per class
    policy list each firm's class is its policy class (class_name); the class's policy_zh / policy_en say what
                the differentiated policy is

Result tables (evaluate): mujun_score (per firm), mujun_region, mujun_park, mujun_policy (per class),
mujun_benchmark (per unit × indicator: the benchmark used and the average score given for missing figures).
"""

from __future__ import annotations

import re

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ..reference.models import MujunMethod
from . import AnalyticsError, scale
from . import measures as ms

UNIT_COLUMNS = {"region": "region_code", "industry": "division", "park": "park_id"}
NOT_RATED_DEFAULT_LABEL = "T"
_EPS = 1e-9


# ---------------------------------------------------------------------------------------------- method
def method_by_id(pack, method_id: str | None = None) -> MujunMethod:
    """The pack's method `method_id` (default: the pack's default method); AnalyticsError if unknown."""
    want = method_id or pack.mujun.default_method
    for m in pack.mujun.methods:
        if m.id == want:
            check_method(m)
            return m
    raise AnalyticsError(f"unknown 亩均 method {want!r}: the pack has " + ", ".join(m.id for m in pack.mujun.methods))


def check_method(m: MujunMethod) -> None:
    """Shapes the model cannot check but the scoring needs."""
    for i in m.indicators:
        if i.benchmark is not None and i.benchmark <= 0:
            raise AnalyticsError(f"method {m.id}: indicator {i.key} has a benchmark <= 0")
    if m.class_rule == "threshold":
        if any(c.min_score is None for c in m.classes[:-1]):
            raise AnalyticsError(f"method {m.id}: threshold classes need min_score (all but the last)")
    for u in m.rank_within:
        if u not in UNIT_COLUMNS:
            raise AnalyticsError(f"method {m.id}: rank_within {u!r} is not one of {sorted(UNIT_COLUMNS)}")


def not_rated_label(m: MujunMethod) -> str:
    return str(m.not_rated.get("label", NOT_RATED_DEFAULT_LABEL))


def class_keys(m: MujunMethod) -> list[str]:
    """Every class a firm can get: the method's classes, then the not-rated class."""
    return [c.key for c in m.classes] + [not_rated_label(m)]


def class_column(key: str) -> str:
    return "class_" + re.sub(r"\W", "_", key)


# ---------------------------------------------------------------------------------------------- firms
def firms_in_scope(
    enterprise: ir.Table, enterprise_year: ir.Table, industry: ir.Table, year: int, m: MujunMethod, rules=None
) -> ir.Table:
    """The firms the method evaluates in `year`: their figures, section, division, unit and whether rated.

    Columns: uscc, name, region_code, park_id, industry_code, section, division, synthetic, founded, the
    enterprise_year columns, unit, age, rated, not_rated_reason, and x_<key> for every indicator."""
    cols = set(enterprise_year.columns)
    for i in m.indicators:
        for c in (i.numerator, i.denominator):
            if c not in cols:
                raise AnalyticsError(f"method {m.id}: indicator {i.key} uses {c!r}, not an enterprise_year column")
    ey = enterprise_year.filter(enterprise_year.year == year)
    e = enterprise.select("uscc", "name", "region_code", "park_id", "industry_code", "founded", "synthetic")
    ind = industry.select(ind_code=industry.code, ind_section=industry.section, ind_division=industry.division)
    j = ey.join(e, "uscc").left_join(ind, e.industry_code == ind.ind_code)
    j = j.mutate(
        section=ibis.coalesce(j.ind_section, j.industry_code.substr(0, 1)),
        division=ibis.coalesce(j.ind_division, j.industry_code.substr(0, 3)),
    )
    j = j.drop("ind_code", "ind_section", "ind_division")
    if m.scope_sections:
        j = j.filter(j.section.isin(list(m.scope_sections)))
    if m.scope_min_revenue is not None:
        j = j.filter(j.revenue >= float(m.scope_min_revenue))
    if m.scope_above_scale:
        if rules is None:
            raise AnalyticsError(f"method {m.id} evaluates above-scale firms: give the pack's size rules")
        j = j.filter(scale.above_scale_expr(rules, j.section, j.revenue, ibis.literal(int(year))))
    unit_cols = [UNIT_COLUMNS[u] for u in m.rank_within]
    if unit_cols:
        unit = j[unit_cols[0]].cast("string").fill_null("")
        for c in unit_cols[1:]:
            unit = unit + "|" + j[c].cast("string").fill_null("")
    else:
        unit = ibis.literal("all")
    age = ibis.literal(year) - j.founded.year()
    nr = m.not_rated
    reasons = []
    if nr.get("excluded_sections"):
        reasons.append((j.section.isin(list(nr["excluded_sections"])), "excluded_section"))
    for prefix in nr.get("excluded_industries") or []:
        reasons.append((j.industry_code.startswith(str(prefix)), "excluded_industry"))
    if nr.get("min_age_years") is not None:
        reasons.append((age.notnull() & (age < float(nr["min_age_years"])), "too_young"))
    reason = ibis.cases(*reasons, else_=ibis.null("string")) if reasons else ibis.null("string")
    j = j.mutate(unit=unit, age=age.cast("int64"), not_rated_reason=reason)
    j = j.mutate(rated=j.not_rated_reason.isnull())
    return j.mutate(**{f"x_{i.key}": indicator_value(j, i.numerator, i.denominator, i.scale) for i in m.indicators})


def indicator_value(t: ir.Table, numerator: str, denominator: str, scale: float) -> ir.Value:
    """x = numerator / denominator × scale, missing when the denominator is not positive or a figure is missing."""
    n, d = t[numerator].cast("float64"), t[denominator].cast("float64")
    return ibis.cases((n.notnull() & (d > 0), n / d * float(scale)), else_=ibis.null("float64"))


# ---------------------------------------------------------------------------------------------- benchmarks
def prior_benchmarks(prior_firms: ir.Table, m: MujunMethod) -> ir.Table | None:
    """Per unit, bm_<key> = k × the unit's previous-year average of the indicator (rated firms), for every
    indicator whose benchmark is a multiple of the prior mean. None when the method has none."""
    rel = [i for i in m.indicators if i.benchmark_of_prior_mean is not None]
    if not rel:
        return None
    p = prior_firms.filter(prior_firms.rated)
    aggs = {}
    for i in rel:
        if i.benchmark_mean == "pooled":
            mean = ms.pooled_ratio(p, i.numerator, i.denominator, i.scale)
        else:
            mean = p[f"x_{i.key}"].mean()
        aggs[f"bm_{i.key}"] = mean * float(i.benchmark_of_prior_mean)
    return p.group_by("unit").aggregate(**aggs)


# ---------------------------------------------------------------------------------------------- scores
def score(firms: ir.Table, m: MujunMethod, benchmarks: ir.Table | None = None) -> ir.Table:
    """Adds s_<key> (indicator scores after cap and missing rule), total_score and missing (keys imputed)."""
    t = firms
    if benchmarks is not None:
        t = t.left_join(benchmarks, "unit")
    known = {}
    for i in m.indicators:
        if i.benchmark is not None:
            b = ibis.literal(float(i.benchmark))
            raw = t[f"x_{i.key}"] / b * float(i.weight)
        else:
            b = t[f"bm_{i.key}"]
            raw = ibis.cases((b > 0, t[f"x_{i.key}"] / b * float(i.weight)), else_=ibis.null("float64"))
        if i.cap is not None:
            raw = ibis.least(raw, ibis.literal(float(i.cap) * float(i.weight)))
        known[f"k_{i.key}"] = ibis.cases((t.rated & raw.notnull(), raw), else_=ibis.null("float64"))
    t = t.mutate(**known)
    unit_w = ibis.window(group_by="unit")
    scores = {}
    for i in m.indicators:
        k = t[f"k_{i.key}"]
        if i.missing == "average":
            fill = ibis.coalesce(k.mean().over(unit_w), ibis.literal(0.0))
        elif i.missing == "zero":
            fill = ibis.literal(0.0)
        else:  # exclude: no score, the total is rescaled
            fill = ibis.null("float64")
        scores[f"s_{i.key}"] = ibis.cases((~t.rated, ibis.null("float64")), (k.notnull(), k), else_=fill)
    t = t.mutate(**scores)
    parts = [t[f"s_{i.key}"].fill_null(0.0) for i in m.indicators]
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    excl = [i for i in m.indicators if i.missing == "exclude"]
    if excl:
        all_w = float(sum(i.weight for i in m.indicators))
        avail = ibis.literal(float(sum(i.weight for i in m.indicators if i.missing != "exclude")))
        for i in excl:
            avail = avail + ibis.cases((t[f"s_{i.key}"].notnull(), float(i.weight)), else_=0.0)
        total = ibis.cases((avail > 0, total * all_w / avail), else_=0.0)
    missing = join_words([(t[f"x_{i.key}"].isnull(), i.key) for i in m.indicators])
    return t.mutate(
        total_score=ibis.cases((t.rated, total), else_=ibis.null("float64")),
        missing=ibis.cases((t.rated, missing), else_=ibis.null("string")),
    )


def join_words(words: list[tuple[ir.BooleanValue, str]]) -> ir.StringValue:
    """The words whose condition holds, joined by single spaces. Built from concatenation and cases only
    (the engines disagree on trimming: Spark's translation of strip() also removes the letter 'v'), and
    linear in size (each word is tested against the conditions before it, never nested)."""
    out, before = ibis.literal(""), ibis.literal(False)
    for cond, word in words:
        out = out + ibis.cases((cond & before, " " + word), (cond, word), else_="")
        before = before | cond
    return out


def classify(scored: ir.Table, m: MujunMethod) -> ir.Table:
    """Adds class, class_name, class_position / class_of (p_f and n_u of the share rule), rank_region and
    rank_industry."""
    t = scored
    desc = ibis.desc(t.total_score)
    pos = ibis.rank().over(ibis.window(group_by=["unit", "rated"], order_by=desc)) + 1
    n = t.total_score.count().over(ibis.window(group_by=["unit", "rated"]))
    t = t.mutate(
        class_position=ibis.cases((t.rated, pos), else_=ibis.null("int64")).cast("int64"),
        class_of=ibis.cases((t.rated, n), else_=ibis.null("int64")).cast("int64"),
    )
    last = m.classes[-1].key
    if m.class_rule == "share":
        branches = [(t.class_position <= t.class_of * float(c.top_share) + _EPS, c.key) for c in m.classes[:-1]]
    else:
        branches = [(t.total_score >= float(c.min_score), c.key) for c in m.classes[:-1]]
    cls = ibis.cases(*branches, else_=last) if branches else ibis.literal(last)
    t = t.mutate(**{"class": ibis.cases((~t.rated, not_rated_label(m)), else_=cls)})
    names = [(t["class"] == c.key, c.name_zh) for c in m.classes]
    names.append((t["class"] == not_rated_label(m), str(m.not_rated.get("name_zh", "not rated"))))
    rr = ibis.rank().over(ibis.window(group_by=["region_code", "rated"], order_by=desc)) + 1
    ri = ibis.rank().over(ibis.window(group_by=["division", "rated"], order_by=desc)) + 1
    return t.mutate(
        class_name=ibis.cases(*names, else_=ibis.null("string")),
        rank_region=ibis.cases((t.rated, rr), else_=ibis.null("int64")).cast("int64"),
        rank_industry=ibis.cases((t.rated, ri), else_=ibis.null("int64")).cast("int64"),
    )


def evaluation(
    enterprise: ir.Table,
    enterprise_year: ir.Table,
    industry: ir.Table,
    year: int,
    m: MujunMethod,
    prior_year_available: bool = True,
    rules=None,
) -> ir.Table:
    """The whole per-firm evaluation (scope, indicators, benchmarks, scores, classes, ranks) as one table.
    `rules`: the pack (or its scale.yaml rules) for methods that evaluate above-scale firms."""
    firms = firms_in_scope(enterprise, enterprise_year, industry, year, m, rules)
    bench = None
    if any(i.benchmark_of_prior_mean is not None for i in m.indicators):
        if not prior_year_available:
            raise AnalyticsError(
                f"method {m.id} sets its benchmarks from the previous year's figures, and the "
                f"warehouse has none for {year - 1}"
            )
        bench = prior_benchmarks(firms_in_scope(enterprise, enterprise_year, industry, year - 1, m, rules), m)
    return classify(score(firms, m, bench), m)


def score_table(ev: ir.Table, m: MujunMethod, year: int) -> ir.Table:
    """mujun_score: one row per firm in scope."""
    cols = [
        ev.uscc,
        ev.name,
        ev.region_code,
        ev.park_id,
        ev.industry_code,
        ev.division,
        ev.synthetic,
        ev.rated,
        ev.not_rated_reason,
    ]
    for i in m.indicators:
        cols += [ev[f"x_{i.key}"].name(i.key), ev[f"s_{i.key}"].name(f"{i.key}_score")]
    cols += [ev.missing, ev.total_score, ev["class"], ev.class_name, ev.rank_region, ev.rank_industry]
    return ev.select(ibis.literal(year).cast("int64").name("year"), ibis.literal(m.id).name("method"), *cols)


# ---------------------------------------------------------------------------------------------- areas
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
    """mujun_region: every county with firms in scope, and the pack's whole region (root_code) as one row."""
    counties = area_figures(ev, m, "region_code")
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
                ibis.literal(float(i.cap) if i.cap is not None else None, "float64").name("cap"),
                ibis.literal(i.missing).name("missing_rule"),
                "missing_average",
                g.with_figure.cast("int64").name("with_figure"),
                g.without_figure.cast("int64").name("without_figure"),
            )
        )
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


# ---------------------------------------------------------------------------------------------- evaluate
def evaluate(ctx, method_id: str | None = None) -> dict[str, pa.Table]:
    """All 亩均 result tables for ctx.year (method: `method_id`, ctx.options['mujun_method'] or the default)."""
    m = method_by_id(ctx.pack, method_id or ctx.options.get("mujun_method"))
    ev = evaluation(
        ctx.table("enterprise"),
        ctx.table("enterprise_year"),
        ctx.table("industry"),
        ctx.year,
        m,
        prior_year_available=(ctx.year - 1) in ctx.years,
        rules=ctx.pack,
    ).cache()  # computed once for every table
    try:
        return _tables(ctx, ev, m)
    finally:
        try:
            ev.release()
        except Exception:  # noqa: BLE001 - a backend that cannot drop its cache keeps it until it closes
            pass


def _tables(ctx, ev: ir.Table, m: MujunMethod) -> dict[str, pa.Table]:
    out = {
        "mujun_score": ctx.to_arrow(
            score_table(ev, m, ctx.year).order_by(["region_code", ibis.desc("total_score"), "uscc"])
        ),
        "mujun_region": ctx.to_arrow(
            region_figures(ev, m, ctx.table("region"), ctx.year, ctx.pack.info.root_region).order_by("region_code")
        ),
        "mujun_park": ctx.to_arrow(park_figures(ev, m, ctx.table("park"), ctx.year).order_by("park_id")),
        "mujun_policy": ctx.to_arrow(policy_table(ev, m, ctx.year).order_by("class_order")),
        "mujun_benchmark": ctx.to_arrow(benchmark_table(ev, m, ctx.year).order_by(["indicator", "unit"])),
    }
    return out


def summarise(tables: dict[str, pa.Table]) -> str:
    s = tables["mujun_score"]
    if s.num_rows == 0:
        return "no firms in the method's scope"
    pol = tables["mujun_policy"].to_pylist()
    method = s.column("method")[0].as_py()
    counts = " ".join(f"{r['class']} {r['firms']:,}" for r in pol)
    return f"{method}: {s.num_rows:,} firms scored ({counts}); {tables['mujun_region'].num_rows - 1} districts"


# ---------------------------------------------------------------------------------------------- views
VIEWS = ("firm", "region", "park", "class")


def counties_of(pack, text: str) -> list[str]:
    """County codes under a region given by code or name (the county itself, or a group's counties)."""
    reg = pack.resolve_region(text)
    if reg is None:
        raise AnalyticsError(f"unknown region {text!r}: give a county or group of the pack by code or name")
    return [
        c for c, r in pack.regions.items() if r.level == "county" and (c == reg.code or reg.code in pack.ancestors(c))
    ] or [reg.code]


def view(
    ctx, method: str | None = None, region: str | None = None, klass: str | None = None, by: str | None = None
) -> tuple[str, pa.Table]:
    """One table for the CLI and the API: firms (the differentiated-policy list when a class is given),
    districts, parks or classes, filtered by region (a county or a group) and class."""
    m = method_by_id(ctx.pack, method)
    by = by or ("firm" if (region or klass) else "region")
    if by not in VIEWS:
        raise AnalyticsError(f"unknown view {by!r}: choose {', '.join(VIEWS)}")
    if klass is not None and klass not in class_keys(m):
        raise AnalyticsError(f"unknown class {klass!r} in method {m.id}: {', '.join(class_keys(m))}")
    counties = counties_of(ctx.pack, region) if region else None
    ev = evaluation(
        ctx.table("enterprise"),
        ctx.table("enterprise_year"),
        ctx.table("industry"),
        ctx.year,
        m,
        prior_year_available=(ctx.year - 1) in ctx.years,
        rules=ctx.pack,
    )
    if by == "firm":
        t = score_table(ev, m, ctx.year)
        if counties:
            t = t.filter(t.region_code.isin(counties))
        if klass:
            t = t.filter(t["class"] == klass)
        return "mujun_score", ctx.to_arrow(t.order_by(["region_code", ibis.desc("total_score"), "uscc"]))
    if by == "region":
        t = region_figures(ev, m, ctx.table("region"), ctx.year, ctx.pack.info.root_region)
        if counties:
            t = t.filter(t.region_code.isin(counties))
        return "mujun_region", ctx.to_arrow(t.order_by("region_code"))
    if by == "park":
        t = park_figures(ev, m, ctx.table("park"), ctx.year)
        if counties:
            t = t.filter(t.region_code.isin(counties))
        return "mujun_park", ctx.to_arrow(t.order_by("park_id"))
    if counties:
        ev = ev.filter(ev.region_code.isin(counties))
    t = policy_table(ev, m, ctx.year)
    if klass:
        t = t.filter(t["class"] == klass)
    return "mujun_policy", ctx.to_arrow(t.order_by("class_order"))
