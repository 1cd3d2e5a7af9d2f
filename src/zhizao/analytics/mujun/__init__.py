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
                no score, no rank (a firm without a founding date is rated); a firm lacking a figure listed in
                not_rated.missing_figures (land_mu: no positive land area) is not scored zero but listed for data
                completion (reason missing_figures, the figures in missing_figures) — its class is "T" too
    region      the firm's evaluation region e(f) (column eval_region): the pack's evaluated functional area of its
                park (mujun.yaml evaluation_units: 两江新区, 重庆高新区, 万盛经开区), unless that area wholly covers
                the firm's county on the map; else its county on the region map asked for (analytics/regionmap.py:
                today's map by default, so 江北区's firms are evaluated in the 两江新区 district; --map recorded: the
                county as recorded). Worked: a 九龙坡 firm in a 重庆高新区 park → CQ-F-GXQ; one outside → 500107.
    unit u      the evaluation unit M.rank_within: region -> e(f), industry -> the GB/T 4754 division,
                park -> the park; several -> their combination; none -> all firms together
    x_fi        = n_fi / d_fi × s_i        (missing when d_fi <= 0 or either figure is missing)
    b_i         = the published benchmark, or, with benchmark_of_prior_mean k_i,
                  k_i × X_{u,i,t-1}, X = Σn / Σd × s over the rated firms of u in t-1 having both figures
                  (benchmark_mean: pooled), or the mean of their x (benchmark_mean: firms)
    s_fi        = x_fi / b_i × w_i, at most c_i × w_i when the method caps the indicator (c_i: the indicator's
                own cap, else the method's cap setting M.cap / option mujun_cap; none: no cap, as published).
                Worked (黄岩, cap 3): a tobacco firm with 亩均税收 4,600万元 scores 4600 / 24.097 × 30 = 5,727 on
                that indicator uncapped, 3 × 30 = 90 capped
    missing x   zero:    s_fi = 0
                average: s_fi = the mean of s_gi over the rated firms g of u that have x_gi (0 if none has)
                exclude: indicator i left out and the total rescaled: S_f = Σ_avail s × Σ_all w / Σ_avail w
    S_f         = Σ_i s_fi                                (a firm exactly at every benchmark scores Σ w_i = 100)
    largest     the indicator with the largest s_fi (top_indicator) and its share s_fi / S_f (top_share): an
                outlier that carries the total shows as a share near 1
    class       share rule: p_f = 1 + #{rated g in u : S_g > S_f}, n_u = #rated firms of u; the class is the
                first class c (in the method's order) with p_f <= top_share_c × n_u, so tied firms share the
                better class; threshold rule: the first class with S_f >= min_score_c, the last class takes the rest
    ranks       rank_region   = 1 + #{rated g in f's evaluation region e(f) : S_g > S_f}
                rank_industry = 1 + #{rated g in f's GB/T 4754 division (city-wide) : S_g > S_f}
    areas       for an evaluation region (and the whole pack region), a park, a class: X_i = Σn_i / Σd_i × s_i over all
                its firms in scope (rated and not) with both figures (亩均税收 = total tax / total land ...) —
                measures.pooled_ratio, the rule the targets' ratio metrics use too,
                firms, rated firms, land, mean score of the rated firms, firms per class
    policy list each firm's class is its policy class (class_name); the class's policy_zh / policy_en say what
                the differentiated policy is

Result tables (evaluate): mujun_score (per firm), mujun_region, mujun_park, mujun_policy (per class),
mujun_benchmark (per unit × indicator: the benchmark used and the average score given for missing figures).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ...reference.models import MujunMethod
from .. import AnalyticsError, scale
from .. import measures as ms
from .areas import benchmark_table, park_figures, policy_table, region_figures
from .method import UNIT_COLUMNS, cap_of, check_method, class_keys, method_by_id, method_for, not_rated_label

# what callers (cli/mujun.py, web/adapters, the tests) use of the parts
__all__ = ["benchmark_table", "check_method", "evaluate", "method_by_id", "method_for", "park_figures"]
__all__ += [
    "policy_table",
    "region_figures",
    "score_table",
    "summarise",
    "view",
    "evaluation",
    "join_words",
    "counties_of",
]

_EPS = 1e-9


# ---------------------------------------------------------------------------------------------- firms
def region_units(pack, parks: list[dict], mode: str) -> pa.Table:
    """e(f) for every (recorded region, park) a firm can have: columns u_region, u_park ('' = no park),
    eval_region (see the module text). `parks`: the warehouse's parks (id, functional_area_code)."""
    from .. import regionmap as rm

    ev = pack.mujun.evaluation_units
    areas = set(ev.areas) if ev is not None else set()
    whole = {(o.area, o.region) for o in pack.overlaps if o.part == "whole"}
    rows = []
    for code in pack.regions:
        mapped = rm.successor(pack, code, mode)
        rows.append((code, "", mapped))
        for p in parks:
            a = p.get("functional_area_code")
            rows.append((code, p["id"], a if a in areas and (a, mapped) not in whole else mapped))
    return pa.table(
        {
            "u_region": [r[0] for r in rows],
            "u_park": [r[1] for r in rows],
            "eval_region": [r[2] for r in rows],
        }
    )


def firms_in_scope(
    enterprise: ir.Table,
    enterprise_year: ir.Table,
    industry: ir.Table,
    year: int,
    m: MujunMethod,
    rules=None,
    units: ir.Table | None = None,
) -> ir.Table:
    """The firms the method evaluates in `year`: their figures, section, division, unit and whether rated.
    `units`: region_units() on the engine (None: every firm evaluated in its recorded county).

    Columns: uscc, name, region_code, park_id, industry_code, section, division, synthetic, founded, the
    enterprise_year columns, eval_region, unit, age, rated, not_rated_reason, and x_<key> for every indicator."""
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
    if units is not None:
        j = j.left_join(units, [j.region_code == units.u_region, j.park_id.fill_null("") == units.u_park])
        j = j.mutate(eval_region=ibis.coalesce(j.eval_region, j.region_code)).drop("u_region", "u_park")
    else:
        j = j.mutate(eval_region=j.region_code)
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
    required = [str(c) for c in (nr.get("missing_figures") or [])]
    for c in required:
        if c not in cols:
            raise AnalyticsError(f"method {m.id}: not_rated.missing_figures names {c!r}, not an enterprise_year column")
    lacking = join_words([(j[c].isnull() | (j[c].cast("float64") <= 0), c) for c in required])
    if required:
        reasons.append((lacking != "", "missing_figures"))
    reason = ibis.cases(*reasons, else_=ibis.null("string")) if reasons else ibis.null("string")
    j = j.mutate(
        unit=unit,
        age=age.cast("int64"),
        not_rated_reason=reason,
        missing_figures=ibis.ifelse(lacking == "", ibis.null("string"), lacking),
    )
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
        if cap_of(m, i) is not None:
            # LEAST skips nulls on some engines (DuckDB): a missing figure must stay missing, not become the cap
            cap = ibis.literal(float(cap_of(m, i)) * float(i.weight))
            raw = ibis.cases((raw.notnull(), ibis.least(raw, cap)), else_=ibis.null("float64"))
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
    # the largest contribution and its share of the indicators' sum (an outlier carrying the total shows)
    top = parts[0]
    for p in parts[1:]:
        top = ibis.greatest(top, p)
    top_key = ibis.cases(*[(parts[n] >= top, i.key) for n, i in enumerate(m.indicators)], else_=ibis.null("string"))
    plain = parts[0]
    for p in parts[1:]:
        plain = plain + p
    return t.mutate(
        total_score=ibis.cases((t.rated, total), else_=ibis.null("float64")),
        missing=ibis.cases((t.rated, missing), else_=ibis.null("string")),
        top_indicator=ibis.cases((t.rated & (plain > 0), top_key), else_=ibis.null("string")),
        top_share=ibis.cases((t.rated & (plain > 0), top / plain), else_=ibis.null("float64")),
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
    rr = ibis.rank().over(ibis.window(group_by=["eval_region", "rated"], order_by=desc)) + 1
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
    units: ir.Table | None = None,
) -> ir.Table:
    """The whole per-firm evaluation (scope, indicators, benchmarks, scores, classes, ranks) as one table.
    `rules`: the pack (or its scale.yaml rules) for methods that evaluate above-scale firms; `units`: as in
    firms_in_scope."""
    firms = firms_in_scope(enterprise, enterprise_year, industry, year, m, rules, units)
    bench = None
    if any(i.benchmark_of_prior_mean is not None for i in m.indicators):
        if not prior_year_available:
            raise AnalyticsError(
                f"method {m.id} sets its benchmarks from the previous year's figures, and the "
                f"warehouse has none for {year - 1}"
            )
        bench = prior_benchmarks(firms_in_scope(enterprise, enterprise_year, industry, year - 1, m, rules, units), m)
    return classify(score(firms, m, bench), m)


def score_table(ev: ir.Table, m: MujunMethod, year: int) -> ir.Table:
    """mujun_score: one row per firm in scope."""
    cols = [
        ev.uscc,
        ev.name,
        ev.region_code,
        ev.eval_region,
        ev.park_id,
        ev.industry_code,
        ev.division,
        ev.synthetic,
        ev.rated,
        ev.not_rated_reason,
    ]
    for i in m.indicators:
        cols += [ev[f"x_{i.key}"].name(i.key), ev[f"s_{i.key}"].name(f"{i.key}_score")]
    cols += [
        ev.missing,
        ev.total_score,
        ev.top_indicator,
        ev.top_share,
        ev["class"],
        ev.class_name,
        ev.rank_region,
        ev.rank_industry,
        ev.missing_figures,
    ]
    return ev.select(ibis.literal(year).cast("int64").name("year"), ibis.literal(m.id).name("method"), *cols)


# ---------------------------------------------------------------------------------------------- evaluate
def units_of(ctx) -> ir.Table:
    """region_units() for the Context's region map, on its engine."""
    from .. import regionmap as rm

    parks = ctx.to_arrow(ctx.table("park").select("id", "functional_area_code")).to_pylist()
    return ctx.engine.memtable(region_units(ctx.pack, parks, rm.mode_of(ctx)))


def _evaluation(ctx, m: MujunMethod) -> ir.Table:
    return evaluation(
        ctx.table("enterprise"),
        ctx.table("enterprise_year"),
        ctx.table("industry"),
        ctx.year,
        m,
        prior_year_available=(ctx.year - 1) in ctx.years,
        rules=ctx.pack,
        units=units_of(ctx),
    )


def evaluate(ctx, method_id: str | None = None) -> dict[str, pa.Table]:
    """All 亩均 result tables for ctx.year (method: `method_id`, ctx.options['mujun_method'] or the default; cap:
    option mujun_cap, else the method's; region map: option region_map, today's by default)."""
    m = method_for(ctx, method_id)
    ev = _evaluation(ctx, m).cache()  # computed once for every table
    try:
        return _tables(ctx, ev, m)
    finally:
        try:
            ev.release()
        except Exception:  # noqa: BLE001 - a backend that cannot drop its cache keeps it until it closes
            pass


def _tables(ctx, ev: ir.Table, m: MujunMethod) -> dict[str, pa.Table]:
    from .. import regionmap as rm

    mode = rm.mode_of(ctx)
    out = {
        "mujun_score": ctx.to_arrow(
            score_table(ev, m, ctx.year).order_by(["region_code", ibis.desc("total_score"), "uscc"])
        ),
        "mujun_region": ctx.to_arrow(
            region_figures(ev, m, ctx.table("region"), ctx.year, ctx.pack.info.root_region)
            .mutate(region_map=ibis.literal(mode))
            .order_by("region_code")
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
VIEWS = ("firm", "region", "park", "class", "completion")


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
    districts, parks, classes, or the firms to complete (a figure the method needs is missing), filtered by
    region (a county, an evaluated area or a group) and class."""
    m = method_for(ctx, method)
    by = by or ("firm" if (region or klass) else "region")
    if by not in VIEWS:
        raise AnalyticsError(f"unknown view {by!r}: choose {', '.join(VIEWS)}")
    if klass is not None and klass not in class_keys(m):
        raise AnalyticsError(f"unknown class {klass!r} in method {m.id}: {', '.join(class_keys(m))}")
    counties = counties_of(ctx.pack, region) if region else None
    ev = _evaluation(ctx, m)
    if by in ("firm", "completion"):
        t = score_table(ev, m, ctx.year)
        if counties:
            t = t.filter(t.region_code.isin(counties) | t.eval_region.isin(counties))
        if klass:
            t = t.filter(t["class"] == klass)
        if by == "completion":
            t = t.filter(t.not_rated_reason == "missing_figures")
            return "mujun_completion", ctx.to_arrow(t.order_by(["eval_region", "uscc"]))
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
        ev = ev.filter(ev.eval_region.isin(counties))
    t = policy_table(ev, m, ctx.year)
    if klass:
        t = t.filter(t["class"] == klass)
    return "mujun_policy", ctx.to_arrow(t.order_by("class_order"))
