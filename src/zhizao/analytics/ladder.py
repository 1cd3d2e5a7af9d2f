"""The enterprise ladder (优质中小企业梯度培育): every firm screened against each tier's published criteria.

Source of the criteria: the pack's ladder.yaml (models.LadderTier) — for Chongqing, MIIT's 优质中小企业梯度培育管理
暂行办法 (2022: 创新型中小企业's 100-point scale with sub-minimums and direct routes; 专精特新中小企业's four
conditions; 专精特新"小巨人"'s 专/精/特/新/链/品 with R&D thresholds by revenue band) and 制造业单项冠军企业认定管理办法
(2023). The code knows conditions, scores and routes, never a tier's name.

Measures of firm f for the evaluation year t (offset k = years back; the list at the top of ladder.yaml):

    revenue_k, rd_expense_k, employees_k, main_business_share_k   enterprise_year of year t-k
    rd_intensity_k                 = rd_expense_k / revenue_k                       (revenue_k > 0)
    revenue_growth_k               = revenue_k / revenue_{k+1} - 1                  (revenue_{k+1} > 0)
    main_business_revenue_growth_k = (revenue × main_business_share)_k / (…)_{k+1} - 1
    niche_years_k                  = (t - k) - year(founded)   (years in business: the niche-years proxy)
    profit_margin_vs_industry_k    = profit/revenue - mean(profit/revenue) over the firms of the same industry
                                     code in year t-k (the firm included); missing when the firm is alone
    honour:<kind>                  1 when the honour register has <kind> (any level) for f recognised in a year
                                   <= t (and, with `years: N`, in t-N+1 … t); a tier's own honour also within
                                   the tier's validity_years when set
    any other measure (IP, market share, debt ratio, equity financing, awards …) is not in the warehouse:
    every condition on it is unknown — never guessed.

Logic is three-valued (met / not met / unknown; SQL's Kleene AND / OR): a missing figure makes its condition
unknown; `false AND unknown = false`, `true OR unknown = true`, so a criterion whose computable route fails
while a non-computable route might pass is unknown, not failed.

    condition    value V (aggregate over the last N = `years` years: last = V_0; each = every V_k tested, the
                 figure shown is the binding one (min for >=, >; max for <=, <); average = ΣV_k/N; sum = ΣV_k;
                 any missing year → unknown) compared with `op` (between: value <= V < high; true: V = 1)
    criterion    C = (∧ all_of) ∧ (∨ any_of) [∨ (∨ replaced_by)]; with applies_if A: not applicable when A is
                 false, otherwise (¬A ∨ C)
    scoring      indicator points = the band with min <= V < max; an unknown indicator counts as the range
                 [lowest band's points, max_points]; a category's points [Σ low, Σ high]; the category meets its
                 sub-minimum m when Σ low >= m, fails when Σ high < m, else unknown; same for the total
                 (total_min); score test = total ∧ every sub-minimum
    route        score test ∨ any direct route (score_or_direct) — one requirement
    tier         T = prerequisite held ∧ every criterion ∧ the route
    status       holder (holds the tier's honour); above (holds a higher-ranked tier); candidate (T is not false:
                 meets every computable criterion, not a holder); not_met (T false)
    pipeline     per tier target of the pack's figures (tier.targets → figures.yaml metric, kind target):
                 stock: achieved = holders at the end of t; new over a..b: achieved = firms first recognised
                 (at the counted levels) in a … min(t, b); annual: recognised in t;
                 gap = max(target - achieved, 0); years_left = end - t; needed_per_year = gap / max(years_left, 1);
                 candidates = the tier's candidates in the target's region (T not false: every requirement the
                 warehouse can check is met or unknown); confirmed = those of them whose every requirement is checked
                 and met (T true: screen 'met'); the gap is compared with the confirmed firms —
                 covered = confirmed >= gap (covered_basis 'confirmed'); covered_by_candidates = candidates >= gap
                 says what the count would be if every unchecked route passed. Worked: gap 81, 494 candidates of which
                 0 confirmed (小巨人's 专/精/特/新 conditions the warehouse cannot check) → covered false,
                 covered_by_candidates true

Result tables (evaluate): tier_screening (per firm × tier × criterion that depends on the firm), ladder_criteria
(per tier × criterion: labels, the figures used, and counts; criteria no firm's data can decide are listed
there as unknown for all), ladder_firm (per firm × tier), ladder_district (per county × tier, and the whole
pack region), ladder_pipeline (per tier target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ..reference.models import Condition, Criterion, LadderFile, LadderTier, Scoring
from . import AnalyticsError, scale
from . import honours as hn
from .mujun import join_words

BASE = ("revenue", "rd_expense", "employees", "main_business_share")
DERIVED = (
    "rd_intensity",
    "revenue_growth",
    "main_business_revenue_growth",
    "niche_years",
    "profit_margin_vs_industry",
    "sme",
)
COMPUTABLE = frozenset(BASE + DERIVED)
GROWTH = ("revenue_growth", "main_business_revenue_growth")
HONOUR = "honour:"

MET, NOT_MET, UNKNOWN, NA, SCORED = "met", "not_met", "unknown", "not_applicable", "scored"
STATUS = (UNKNOWN, MET, NOT_MET, NA, SCORED)  # status codes 0..4 in the wide screening
CODE = {s: i for i, s in enumerate(STATUS)}


def _safe(s: str) -> str:
    return re.sub(r"\W", "_", s)


def computable(c: Condition) -> bool:
    return c.measure.startswith(HONOUR) or c.measure in COMPUTABLE


def _years(c: Condition) -> int:
    return 1 if c.aggregate == "last" or not c.years else int(c.years)


def honour_column(kind: str, years: int | None = None) -> str:
    return f"h__{_safe(kind)}" + (f"__{years}" if years else "")


def holds_column(tier_key: str) -> str:
    return f"holds__{_safe(tier_key)}"


def _tiers(ladder: LadderFile) -> list[LadderTier]:
    return sorted(ladder.tiers, key=lambda t: t.rank)


def _conditions(t: LadderTier) -> list[Condition]:
    out = []
    for c in t.criteria + t.score_or_direct:
        out += c.all_of + c.any_of + c.replaced_by + ([c.applies_if] if c.applies_if else [])
    return out


# ---------------------------------------------------------------------------------------------- measures
def firm_measures(
    enterprise: ir.Table,
    enterprise_year: ir.Table,
    honour: ir.Table,
    year: int,
    ladder: LadderFile,
    industry: ir.Table | None = None,
    rules=None,
) -> ir.Table:
    """One row per firm with figures for `year`: every measure the ladder's conditions use, at every year
    offset they need (<measure>__<k>), the honour flags (h__<kind>[__<N>]) and tier holdings (holds__<tier>).
    `industry` and `rules` (the pack or its scale.yaml rules) decide SME status (sme__<k>: 1, 0, or unknown
    without them)."""
    tiers = _tiers(ladder)
    conds = [c for t in tiers for c in _conditions(t)]
    depth = max([_years(c) for c in conds if computable(c)] + [1])  # offsets 0 .. depth-1
    span = depth + 1  # one more year for growth rates
    ey = enterprise_year.filter((enterprise_year.year <= year) & (enterprise_year.year > year - span - 1))
    e = enterprise.select("uscc", "name", "region_code", "park_id", "industry_code", "founded", "synthetic")
    long = ey.join(e, "uscc")
    rev, prof = long.revenue.cast("float64"), long.profit.cast("float64")
    margin = ibis.cases((rev > 0, prof / rev), else_=ibis.null("float64"))
    long = long.mutate(_margin=margin)
    w = ibis.window(group_by=["year", "industry_code"])
    long = long.mutate(
        profit_margin_vs_industry=ibis.cases(
            (long._margin.count().over(w) >= 2, long._margin - long._margin.mean().over(w)), else_=ibis.null("float64")
        )
    )
    aggs = {"_has_t": ibis.cases((long.year == year, 1), else_=0).max()}
    for k in range(span):
        at = long.year == year - k
        for col in BASE:
            aggs[f"{col}__{k}"] = ibis.cases((at, long[col].cast("float64")), else_=ibis.null("float64")).max()
        aggs[f"profit_margin_vs_industry__{k}"] = ibis.cases(
            (at, long.profit_margin_vs_industry), else_=ibis.null("float64")
        ).max()
    wide = long.group_by("uscc").aggregate(**aggs)
    wide = wide.filter(wide._has_t == 1).drop("_has_t").join(e, "uscc")
    if industry is not None and rules is not None:
        ind = industry.select(ind_code=industry.code, ind_section=industry.section)
        wide = wide.left_join(ind, wide.industry_code == ind.ind_code).drop("ind_code")
        section = ibis.coalesce(wide.ind_section, wide.industry_code.substr(0, 1))
    else:
        section = None
    derived = {}
    for k in range(depth):
        r, r1 = wide[f"revenue__{k}"], wide[f"revenue__{k + 1}"]
        mb, mb1 = r * wide[f"main_business_share__{k}"], r1 * wide[f"main_business_share__{k + 1}"]
        derived[f"rd_intensity__{k}"] = ibis.cases((r > 0, wide[f"rd_expense__{k}"] / r), else_=ibis.null("float64"))
        derived[f"revenue_growth__{k}"] = ibis.cases((r1 > 0, r / r1 - 1), else_=ibis.null("float64"))
        derived[f"main_business_revenue_growth__{k}"] = ibis.cases((mb1 > 0, mb / mb1 - 1), else_=ibis.null("float64"))
        derived[f"niche_years__{k}"] = (ibis.literal(year - k) - wide.founded.year()).cast("float64")
        if section is not None:
            small = scale.sme_expr(rules, section, wide[f"employees__{k}"], r)
            derived[f"sme__{k}"] = ibis.cases((small, 1.0), (~small, 0.0), else_=ibis.null("float64"))
        else:
            derived[f"sme__{k}"] = ibis.null("float64")
    wide = wide.mutate(**derived)
    if section is not None:
        wide = wide.drop("ind_section")
    return wide.left_join(honour_flags(honour, year, ladder), "uscc").pipe(_fill_flags, honour_flag_names(ladder))


def honour_flag_names(ladder: LadderFile) -> list[str]:
    names = []
    for t in _tiers(ladder):
        for c in _conditions(t):
            if c.measure.startswith(HONOUR):
                names.append(honour_column(c.measure[len(HONOUR) :], c.years))
        names.append(holds_column(t.key))
    return list(dict.fromkeys(names))


def _fill_flags(t: ir.Table, names: list[str]) -> ir.Table:
    return t.mutate(**{n: t[n].fill_null(False) for n in names})


def honour_flags(honour: ir.Table, year: int, ladder: LadderFile) -> ir.Table:
    """Per firm: h__<kind>[__N] (recognised by `year`, within the last N years) and holds__<tier> (the tier's
    honour, within its validity)."""
    h = honour.filter(honour.year <= year)
    aggs = {}

    def valid(kind):  # a recognition within the kind's validity (analytics/honours.py), any level
        v = hn.validity_years(ladder, kind)
        return (h.kind == kind) & (h.year > year - int(v)) if v else (h.kind == kind)

    for t in _tiers(ladder):
        for c in _conditions(t):
            if c.measure.startswith(HONOUR):
                kind = c.measure[len(HONOUR) :]
                cond = valid(kind)
                if c.years:
                    cond = cond & (h.year > year - int(c.years))
                aggs[honour_column(kind, c.years)] = cond.max()
        aggs[holds_column(t.key)] = valid(t.honour).max()
    return h.group_by("uscc").aggregate(**aggs)


# ---------------------------------------------------------------------------------------------- conditions
_AGG_WORDS = {"each": "binding year of {n}", "average": "average of {n} years", "sum": "sum of {n} years"}


def figure_label(c: Condition) -> str:
    n = _years(c)
    if c.measure.startswith(HONOUR) or n == 1:
        return c.measure
    return f"{c.measure} ({_AGG_WORDS[c.aggregate].format(n=n)})"


def _compare(v: ir.Value, c: Condition) -> ir.BooleanValue:
    op = c.op
    if op == "true":
        return v == 1
    if c.value is None:
        raise AnalyticsError(f"condition on {c.measure} with op {op!r} needs a value")
    x = float(c.value)
    if op == ">=":
        return v >= x
    if op == ">":
        return v > x
    if op == "<=":
        return v <= x
    if op == "<":
        return v < x
    if op == "==":
        return v == x
    if c.high is None:
        raise AnalyticsError(f"condition on {c.measure}: 'between' needs high")
    return (v >= x) & (v < float(c.high))


def condition(w: ir.Table, c: Condition) -> tuple[ir.BooleanValue, ir.Value | None]:
    """(the condition as a nullable boolean, the figure it used) on the firm-measures table."""
    if c.measure.startswith(HONOUR):
        held = w[honour_column(c.measure[len(HONOUR) :], c.years)]
        fig = ibis.cases((held, 1.0), else_=0.0)
        return (held if c.op == "true" else _compare(fig, c)), fig
    if c.measure not in COMPUTABLE:
        return ibis.null("boolean"), None
    n = _years(c)
    vals = [w[f"{c.measure}__{k}"] for k in range(n)]
    if n == 1:
        return _compare(vals[0], c), vals[0]
    if c.aggregate == "each":
        ok = _compare(vals[0], c)
        for v in vals[1:]:
            ok = ok & _compare(v, c)
        fig = ibis.greatest(*vals) if c.op in ("<=", "<") else ibis.least(*vals)
        return ok, fig
    total = vals[0]
    for v in vals[1:]:
        total = total + v
    fig = total / n if c.aggregate == "average" else total
    return _compare(fig, c), fig


def _all(xs: list[ir.BooleanValue]) -> ir.BooleanValue:
    out = ibis.literal(True)
    for x in xs:
        out = out & x
    return out


def _any(xs: list[ir.BooleanValue]) -> ir.BooleanValue:
    out = ibis.literal(False)
    for x in xs:
        out = out | x
    return out


def _status(ok: ir.BooleanValue) -> ir.IntegerValue:
    """The status code of a nullable boolean: met, not met, unknown (see STATUS)."""
    return ibis.cases((ok.notnull() & ok, CODE[MET]), (ok.notnull() & ~ok, CODE[NOT_MET]), else_=CODE[UNKNOWN])


def _tri(low: ir.NumericValue, high: ir.NumericValue, minimum: float) -> ir.BooleanValue:
    return ibis.cases((low >= minimum, True), (high < minimum, False), else_=ibis.null("boolean"))


@dataclass
class Row:
    """One line of the screening of a tier: a criterion, a direct route, a score part, the route."""

    criterion: str
    kind: str  # prerequisite | criterion | score_indicator | score_category |
    label_zh: str  # score_total | direct | route
    label_en: str
    status: ir.IntegerValue  # a STATUS code
    ok: ir.BooleanValue | None = None  # for requirements and routes
    figures: list[tuple[str, ir.Value]] = field(default_factory=list)
    points: tuple[ir.Value, ir.Value] | None = None
    per_firm: bool = True  # False: unknown for every firm (no computable input)
    source_status: str | None = None
    requirement: bool = False
    const_points: tuple[float, float] | None = None  # the points range of a score row no firm data decides


def criterion_row(w: ir.Table, crit: Criterion, kind: str) -> Row:
    all_ = [condition(w, c) for c in crit.all_of]
    any_ = [condition(w, c) for c in crit.any_of]
    rep = [condition(w, c) for c in crit.replaced_by]
    core = _all([b for b, _ in all_])
    if any_:
        core = core & _any([b for b, _ in any_])
    if rep:
        core = core | _any([b for b, _ in rep])
    figs = [
        (figure_label(c), f)
        for c, (_, f) in zip(crit.all_of + crit.any_of + crit.replaced_by, all_ + any_ + rep)
        if f is not None
    ]
    conds = crit.all_of + crit.any_of + crit.replaced_by + ([crit.applies_if] if crit.applies_if else [])
    per_firm = any(computable(c) for c in conds)
    if crit.applies_if is not None:
        a, _ = condition(w, crit.applies_if)
        ok = (~a) | core
        status = ibis.cases((a.notnull() & ~a, CODE[NA]), else_=_status(ok))
    else:
        ok, status = core, _status(core)
    return Row(
        crit.id, kind, crit.label_zh, crit.label_en, status, ok, figs, per_firm=per_firm, source_status=crit.status
    )


def scoring_rows(w: ir.Table, scoring: Scoring) -> tuple[list[Row], ir.BooleanValue, tuple]:
    """Rows of a points scale (indicators, categories, total) and the score test as a nullable boolean."""
    rows, cat_oks, tot_lo, tot_hi, any_known = [], [], ibis.literal(0.0), ibis.literal(0.0), False
    tot_c = [0.0, 0.0]
    for cat in scoring.categories:
        lo_sum, hi_sum, cat_known = ibis.literal(0.0), ibis.literal(0.0), False
        cat_c = [0.0, 0.0]
        for ind in cat.indicators:
            lowest = min([b.points for b in ind.bands], default=0.0)
            if ind.data_available and ind.bands and ind.measure in COMPUTABLE:
                v = w[f"{ind.measure}__0"]
                branches = []
                for b in ind.bands:
                    cond = ibis.literal(True)
                    if b.min is not None:
                        cond = cond & (v >= float(b.min))
                    if b.max is not None:
                        cond = cond & (v < float(b.max))
                    branches.append((v.notnull() & cond, float(b.points)))
                pts = ibis.cases(*branches, else_=ibis.null("float64"))
                lo, hi = ibis.coalesce(pts, float(lowest)), ibis.coalesce(pts, float(ind.max_points))
                rows.append(
                    Row(
                        f"score.{cat.key}.{ind.id}",
                        "score_indicator",
                        ind.label_zh,
                        ind.label_en,
                        ibis.cases((pts.notnull(), CODE[SCORED]), else_=CODE[UNKNOWN]),
                        None,
                        [(ind.measure, v)],
                        (lo, hi),
                    )
                )
                cat_known = True
            else:
                lo, hi = ibis.literal(float(lowest)), ibis.literal(float(ind.max_points))
                rows.append(
                    Row(
                        f"score.{cat.key}.{ind.id}",
                        "score_indicator",
                        ind.label_zh,
                        ind.label_en,
                        ibis.literal(CODE[UNKNOWN]),
                        None,
                        [],
                        (lo, hi),
                        per_firm=False,
                        const_points=(float(lowest), float(ind.max_points)),
                    )
                )
            lo_sum, hi_sum = lo_sum + lo, hi_sum + hi
            cat_c = [cat_c[0] + float(lowest), cat_c[1] + float(ind.max_points)]
        ok = _tri(lo_sum, hi_sum, float(cat.min_points)) if cat.min_points is not None else ibis.literal(True)
        if cat.min_points is not None:
            cat_oks.append(ok)
        label = f"{cat.label_zh} ≥ {cat.min_points:g}" if cat.min_points is not None else cat.label_zh
        label_en = f"{cat.label_en} ≥ {cat.min_points:g}" if cat.min_points is not None else cat.label_en
        rows.append(
            Row(
                f"score.{cat.key}",
                "score_category",
                label,
                label_en,
                _status(ok),
                None,
                [],
                (lo_sum, hi_sum),
                per_firm=cat_known,
                const_points=None if cat_known else tuple(cat_c),
            )
        )
        tot_lo, tot_hi, any_known = tot_lo + lo_sum, tot_hi + hi_sum, any_known or cat_known
        tot_c = [tot_c[0] + cat_c[0], tot_c[1] + cat_c[1]]
    total_ok = _tri(tot_lo, tot_hi, float(scoring.total_min))
    score_ok = _all([total_ok] + cat_oks)
    rows.append(
        Row(
            "score.total",
            "score_total",
            f"总分 ≥ {scoring.total_min:g}（且各类不低于下限）",
            f"Total >= {scoring.total_min:g} with every sub-minimum",
            _status(score_ok),
            score_ok,
            [],
            (tot_lo, tot_hi),
            per_firm=any_known,
            const_points=None if any_known else tuple(tot_c),
        )
    )
    return rows, score_ok, (tot_lo, tot_hi)


def tier_rows(w: ir.Table, tier: LadderTier, tiers: list[LadderTier]) -> tuple[list[Row], tuple | None]:
    """Every row of a tier's screening (requirements: the prerequisite, each criterion, the score-or-direct
    route) and the range of its score when it has a points scale."""
    rows: list[Row] = []
    if tier.prerequisite:
        pre = next(t for t in tiers if t.key == tier.prerequisite)
        held = w[holds_column(pre.key)]
        rows.append(
            Row(
                "prerequisite",
                "prerequisite",
                f"已是{pre.name_zh}",
                f"Already a {pre.name_en}",
                _status(held),
                held,
                [(f"honour:{pre.honour}", ibis.cases((held, 1.0), else_=0.0))],
                requirement=True,
            )
        )
    for crit in tier.criteria:
        r = criterion_row(w, crit, "criterion")
        r.requirement = True
        rows.append(r)
    route_parts, score_range = [], None
    if tier.scoring:
        srows, score_ok, score_range = scoring_rows(w, tier.scoring)
        rows += srows
        route_parts.append(score_ok)
    for d in tier.score_or_direct:
        r = criterion_row(w, d, "direct")
        r.criterion = f"direct.{d.id}"
        rows.append(r)
        route_parts.append(r.ok)
    if route_parts:
        route = _any(route_parts)
        per_firm = any(r.per_firm for r in rows if r.kind in ("direct", "score_total"))
        rows.append(
            Row(
                "score_or_direct",
                "route",
                "评分达标或满足任一直通条件",
                "Score test passed or any direct route",
                _status(route),
                route,
                [],
                per_firm=per_firm,
                requirement=True,
            )
        )
    return rows, score_range


# ---------------------------------------------------------------------------------------------- tables
def _col(ti: int, seq: int, part: str) -> str:
    return f"t{ti}r{seq}_{part}"


def screening_wide(w: ir.Table, ladder: LadderFile) -> tuple[ir.Table, list[dict]]:
    """One row per firm: the status code, figures and points of every row of every tier that depends on the
    firm (t<i>r<j>_status/_figure/_figure_2/_points_low/_points_high), the tier holdings and score ranges;
    and the metadata of every row of every tier (also the rows that are unknown for every firm)."""
    tiers = _tiers(ladder)
    cols, meta = {}, []
    for ti, tier in enumerate(tiers):
        rows, score_range = tier_rows(w, tier, tiers)
        for seq, r in enumerate(rows):
            (l1, f1), (l2, f2) = (r.figures + [(None, None), (None, None)])[:2]
            m = {
                "tier": tier.key,
                "tier_rank": tier.rank,
                "seq": seq,
                "criterion": r.criterion,
                "kind": r.kind,
                "label_zh": r.label_zh,
                "label_en": r.label_en,
                "requirement": r.requirement,
                "per_firm": r.per_firm,
                "figure_measure": l1,
                "figure_2_measure": l2,
                "source_status": r.source_status,
                "columns": {},
                "points_low": r.const_points[0] if r.const_points else None,
                "points_high": r.const_points[1] if r.const_points else None,
            }
            meta.append(m)
            if not r.per_firm:
                continue
            parts = {"status": r.status.cast("int64"), "figure": f1, "figure_2": f2}
            if r.points:
                parts["points_low"], parts["points_high"] = r.points
            for part, expr in parts.items():
                if expr is None:
                    continue
                name = _col(ti, seq, part)
                cols[name] = expr if part == "status" else expr.cast("float64")
                m["columns"][part] = name
        cols[f"t{ti}_holder"] = w[holds_column(tier.key)]
        cols[f"t{ti}_higher"] = _any([w[holds_column(t.key)] for t in tiers if t.rank > tier.rank])
        if score_range:
            cols[f"t{ti}_score_low"], cols[f"t{ti}_score_high"] = (x.cast("float64") for x in score_range)
    wide = w.select("uscc", "name", "region_code", "industry_code", "synthetic", **cols)
    return wide, meta


def firm_table(wide: ir.Table, ladder: LadderFile, meta: list[dict], year: int) -> ir.Table:
    """ladder_firm: per firm × tier — holder, holds a higher tier, the screen (met / not met / unknown over the
    requirements), the status (holder / above / candidate / not_met), counts, failed requirements, score range."""
    parts = []
    for ti, tier in enumerate(_tiers(ladder)):
        reqs = [m for m in meta if m["tier"] == tier.key and m["requirement"]]
        codes = [wide[m["columns"]["status"]] for m in reqs if m["per_firm"]]
        constant_unknown = any(not m["per_firm"] for m in reqs)
        n_met, n_not, n_unk = (
            ibis.literal(0),
            ibis.literal(0),
            ibis.literal(sum(1 for m in reqs if not m["per_firm"])),
        )
        failed_words = []
        any_not, all_met = ibis.literal(False), ibis.literal(not constant_unknown)
        for m, c in zip([m for m in reqs if m["per_firm"]], codes):
            n_met = n_met + ibis.cases((c == CODE[MET], 1), else_=0)
            n_not = n_not + ibis.cases((c == CODE[NOT_MET], 1), else_=0)
            n_unk = n_unk + ibis.cases((c == CODE[UNKNOWN], 1), else_=0)
            failed_words.append((c == CODE[NOT_MET], m["criterion"]))
            any_not = any_not | (c == CODE[NOT_MET])
            all_met = all_met & c.isin([CODE[MET], CODE[NA]])
        screen = ibis.cases((any_not, NOT_MET), (all_met, MET), else_=UNKNOWN)
        holder, higher = wide[f"t{ti}_holder"], wide[f"t{ti}_higher"]
        status = ibis.cases((holder, "holder"), (higher, "above"), (any_not, "not_met"), else_="candidate")
        lo = wide[f"t{ti}_score_low"] if f"t{ti}_score_low" in wide.columns else ibis.null("float64")
        hi = wide[f"t{ti}_score_high"] if f"t{ti}_score_high" in wide.columns else ibis.null("float64")
        parts.append(
            wide.select(
                ibis.literal(year).cast("int64").name("year"),
                "uscc",
                "name",
                "region_code",
                "industry_code",
                "synthetic",
                ibis.literal(tier.key).name("tier"),
                ibis.literal(tier.rank).cast("int64").name("tier_rank"),
                holder.name("holder"),
                higher.name("holds_higher"),
                screen.name("screen"),
                status.name("status"),
                n_met.cast("int64").name("met"),
                n_not.cast("int64").name("not_met"),
                n_unk.cast("int64").name("unknown"),
                join_words(failed_words).name("failed"),
                lo.cast("float64").name("score_low"),
                hi.cast("float64").name("score_high"),
            )
        )
    return ibis.union(*parts)


SCREENING_SCHEMA = pa.schema(
    [
        ("year", pa.int64()),
        ("uscc", pa.dictionary(pa.int32(), pa.string())),
        ("tier", pa.dictionary(pa.int8(), pa.string())),
        ("criterion", pa.dictionary(pa.int16(), pa.string())),
        ("status", pa.dictionary(pa.int8(), pa.string())),
        ("figure", pa.float64()),
        ("figure_2", pa.float64()),
        ("points_low", pa.float64()),
        ("points_high", pa.float64()),
    ]
)


def long_screening(wide: pa.Table, meta: list[dict], year: int) -> pa.Table:
    """tier_screening: the wide screening (already computed) laid out per firm × tier × criterion — a reshape,
    no computation. Strings are dictionary-encoded (a million firms × 27 rows fit in memory)."""
    import numpy as np

    rows = [m for m in meta if m["per_firm"]]
    n = wide.num_rows
    tiers = list(dict.fromkeys(m["tier"] for m in meta))
    crits = list(dict.fromkeys(m["criterion"] for m in meta))
    uscc = wide.column("uscc").combine_chunks()
    uscc_d = pa.DictionaryArray.from_arrays(pa.array(np.arange(n, dtype=np.int32)), uscc)
    status_dict = pa.array(list(STATUS), pa.string())
    year_a = pa.array(np.full(n, year, dtype=np.int64))
    nulls = pa.nulls(n, pa.float64())
    parts = []
    for m in rows:
        cols = m["columns"]
        code = wide.column(cols["status"]).combine_chunks().cast(pa.int8())

        def const(value, values, typ):
            return pa.DictionaryArray.from_arrays(
                pa.array(np.full(n, values.index(value), dtype=typ)), pa.array(values, pa.string())
            )

        def num(part, cols=cols):
            return wide.column(cols[part]).combine_chunks().cast(pa.float64()) if part in cols else nulls

        parts.append(
            pa.Table.from_arrays(
                [
                    year_a,
                    uscc_d,
                    const(m["tier"], tiers, np.int8),
                    const(m["criterion"], crits, np.int16),
                    pa.DictionaryArray.from_arrays(code, status_dict),
                    num("figure"),
                    num("figure_2"),
                    num("points_low"),
                    num("points_high"),
                ],
                schema=SCREENING_SCHEMA,
            )
        )
    if not parts:
        return SCREENING_SCHEMA.empty_table()
    return pa.concat_tables(parts)


def screening_long(wide: ir.Table, meta: list[dict], year: int) -> ir.Table:
    """tier_screening as an expression: the rows long_screening lays out, computed by the engine (so that
    `zhizao evaluate` streams them to the warehouse instead of holding tens of millions of rows in memory)."""
    status = lambda c: ibis.cases(*((c == i, s) for i, s in enumerate(STATUS)), else_=ibis.null("string"))
    parts = []
    for m in (m for m in meta if m["per_firm"]):
        cols = m["columns"]
        num = lambda part, cols=cols: (wide[cols[part]].cast("float64") if part in cols else ibis.null("float64")).name(
            part
        )
        parts.append(
            wide.select(
                ibis.literal(year).cast("int64").name("year"),
                wide.uscc.cast("string").name("uscc"),
                ibis.literal(m["tier"]).cast("string").name("tier"),
                ibis.literal(m["criterion"]).cast("string").name("criterion"),
                status(wide[cols["status"]]).name("status"),
                num("figure"),
                num("figure_2"),
                num("points_low"),
                num("points_high"),
            )
        )
    return ibis.union(*parts) if parts else None


def status_counts(wide: ir.Table, meta: list[dict]) -> ir.Table:
    """One row: the number of firms screened (`screened`) and, per per-firm row of every tier, the firms with
    each status (`<status column>__<code>`) — what criteria_table counts, computed by the engine."""
    aggs = {"screened": wide.count()}
    for m in (m for m in meta if m["per_firm"]):
        c = wide[m["columns"]["status"]]
        for i in range(len(STATUS)):
            aggs[f"{m['columns']['status']}__{i}"] = ibis.cases((c == i, 1), else_=0).sum()
    return wide.aggregate(**aggs)


def criteria_table(meta: list[dict], wide: pa.Table, year: int) -> pa.Table:
    """ladder_criteria: every row of every tier with the counts of firms by status (rows that depend on no
    firm's data are unknown for all)."""
    import pyarrow.compute as pc

    counts = {"screened": wide.num_rows}
    for m in (m for m in meta if m["per_firm"]):
        for vc in pc.value_counts(wide.column(m["columns"]["status"])).to_pylist():
            counts[f"{m['columns']['status']}__{vc['values']}"] = vc["counts"]
    return criteria_from_counts(meta, counts, year)


def criteria_from_counts(meta: list[dict], counts: dict, year: int) -> pa.Table:
    """ladder_criteria from the counts status_counts (or criteria_table) makes."""
    screened = counts["screened"]
    out = []
    for m in meta:
        c = {}
        if m["per_firm"]:
            for i, s in enumerate(STATUS):
                c[s] = counts.get(f"{m['columns']['status']}__{i}") or 0
        else:
            c = {UNKNOWN: screened}
        out.append(
            {
                "year": year,
                **{k: v for k, v in m.items() if k not in ("columns", "points_low", "points_high")},
                "met": c.get(MET, 0),
                "not_met": c.get(NOT_MET, 0),
                "unknown": c.get(UNKNOWN, 0),
                "scored": c.get(SCORED, 0),
                "not_applicable": c.get(NA, 0),
            }
        )
    schema = pa.schema(
        [
            ("year", pa.int64()),
            ("tier", pa.string()),
            ("tier_rank", pa.int64()),
            ("seq", pa.int64()),
            ("criterion", pa.string()),
            ("kind", pa.string()),
            ("label_zh", pa.string()),
            ("label_en", pa.string()),
            ("requirement", pa.bool_()),
            ("per_firm", pa.bool_()),
            ("figure_measure", pa.string()),
            ("figure_2_measure", pa.string()),
            ("source_status", pa.string()),
            ("met", pa.int64()),
            ("not_met", pa.int64()),
            ("unknown", pa.int64()),
            ("scored", pa.int64()),
            ("not_applicable", pa.int64()),
        ]
    )
    return pa.Table.from_pylist(out, schema=schema)


def district_table(firms: ir.Table, region: ir.Table, root_code: str) -> ir.Table:
    """ladder_district: per county (and the whole pack region) × tier: screened, holders, above, candidates
    (of which all computable criteria met and nothing unknown: confirmed), not met."""

    def metrics(t):
        return {
            "screened": t.count(),
            "holders": ibis.cases((t.status == "holder", 1), else_=0).sum().cast("int64"),
            "above": ibis.cases((t.status == "above", 1), else_=0).sum().cast("int64"),
            "candidates": ibis.cases((t.status == "candidate", 1), else_=0).sum().cast("int64"),
            "confirmed": ibis.cases(((t.status == "candidate") & (t.screen == MET), 1), else_=0).sum().cast("int64"),
            "not_met": ibis.cases((t.status == "not_met", 1), else_=0).sum().cast("int64"),
        }

    keys = ["year", "tier", "tier_rank"]
    per = firms.group_by(keys + ["region_code"]).aggregate(**metrics(firms))
    whole = firms.group_by(keys).aggregate(**metrics(firms)).mutate(region_code=ibis.literal(root_code))
    both = per.union(whole.select(*per.columns))
    names = region.select(r_code=region.code, region_name=region.name_zh)
    j = both.left_join(names, both.region_code == names.r_code)
    return j.select(
        "year",
        "region_code",
        "region_name",
        "tier",
        "tier_rank",
        "screened",
        "holders",
        "above",
        "candidates",
        "confirmed",
        "not_met",
    )


# ---------------------------------------------------------------------------------------------- pipeline
_PERIOD_YEAR = re.compile(r"^(\d{4})$")
_PERIOD_RANGE = re.compile(r"^(\d{4})\.\.(\d{4})$")


def target_figures(pack, tier: LadderTier) -> list[tuple]:
    """(target spec, figure, scope region code, start, end) for every target figure that counts the tier."""
    out = []
    for spec in tier.targets:
        for f in pack.figures.values():
            if f.metric != spec.metric or f.kind != "target" or f.cluster or f.cluster_text:
                continue
            reg = pack.resolve_region(f.entity)
            if reg is None or (f.period or "") == "":
                continue
            if f.period == "annual":
                start = end = None
            elif m := _PERIOD_YEAR.match(f.period):
                end = int(m.group(1))
                start = end if spec.kind == "new" else None
            elif m := _PERIOD_RANGE.match(f.period):
                start, end = int(m.group(1)), int(m.group(2))
            else:
                continue
            out.append((spec, f, reg.code, start, end))
    return out


def honour_counts(
    honour: ir.Table, enterprise: ir.Table, kind: str, levels: list[str], year: int, validity: int | None
) -> ir.Table:
    """Per county and first-recognition year: firms, and holders at `year` (a valid recognition), for the honour
    `kind` at `levels` (all when empty) — analytics/honours.py's count, the one the targets use too.
    Columns region_code, first_year, firms, holders."""
    st = hn.firm_status(honour, [hn.HonourCount(kind, tuple(levels), validity)], [year])
    e = enterprise.select("uscc", "region_code")
    j = st.join(e, "uscc")
    return j.group_by(["region_code", "first_year"]).aggregate(
        firms=j.count(), holders=ibis.cases((j.held, 1), else_=0).sum().cast("int64")
    )


def _in_scope(pack, county: str, scope: str) -> bool:
    return county == scope or scope == pack.info.root_region or scope in pack.ancestors(county)


COVERED_BASIS = "confirmed"  # what the pipeline compares a gap with (see the module text)


def pipeline(ctx_pack, tiers: list[LadderTier], year: int, counts_by_spec: dict, candidates: list[dict]) -> pa.Table:
    """ladder_pipeline from small per-county counts (computed on the engine) and the pack's target figures.
    `candidates`: rows (tier, region_code, candidates, confirmed)."""
    cand, conf = {}, {}
    for r in candidates:
        cand.setdefault(r["tier"], {})[r["region_code"]] = r["candidates"]
        conf.setdefault(r["tier"], {})[r["region_code"]] = r.get("confirmed") or 0
    out = []
    for tier in tiers:
        for spec, f, scope, start, end in target_figures(ctx_pack, tier):
            rows = counts_by_spec[(tier.key, spec.metric)]
            inside = (
                [
                    r
                    for r in rows
                    if r["region_code"] in ctx_pack.regions and _in_scope(ctx_pack, r["region_code"], scope)
                ]
                if scope != ctx_pack.info.root_region
                else rows
            )

            def inside_scope(k, scope=scope):
                return scope == ctx_pack.info.root_region or (k in ctx_pack.regions and _in_scope(ctx_pack, k, scope))

            n_cand = sum(v for k, v in cand.get(tier.key, {}).items() if inside_scope(k))
            n_conf = sum(v for k, v in conf.get(tier.key, {}).items() if inside_scope(k))
            if spec.kind == "stock":
                kind, achieved = "stock", sum(r["holders"] for r in inside)
                p_start, p_end = None, end
            else:
                p_start, p_end = (year, year) if f.period == "annual" else (start, end)
                kind = "annual" if f.period == "annual" else "new"
                achieved = sum(r["firms"] for r in inside if p_start <= r["first_year"] <= min(year, p_end))
            gap = max(f.value - achieved, 0.0)
            years_left = (p_end - year) if p_end is not None else None
            out.append(
                {
                    "year": year,
                    "tier": tier.key,
                    "tier_name": tier.name_zh,
                    "target_id": f.id,
                    "metric": f.metric,
                    "metric_zh": f.metric_zh,
                    "kind": kind,
                    "levels": ",".join(spec.levels) or None,
                    "scope_code": scope,
                    "scope_name": ctx_pack.regions[scope].name_zh,
                    "period": f.period,
                    "period_start": p_start,
                    "period_end": p_end,
                    "target": float(f.value),
                    "achieved": int(achieved),
                    "gap": float(gap),
                    "candidates": int(n_cand),
                    "confirmed": int(n_conf),
                    "covered": bool(n_conf >= gap),
                    "covered_basis": COVERED_BASIS,
                    "covered_by_candidates": bool(n_cand >= gap),
                    "years_left": years_left,
                    "needed_per_year": (gap / max(years_left, 1))
                    if years_left is not None and years_left >= 0
                    else None,
                    "target_status": f.status,
                    "sources": ",".join(f.sources),
                }
            )
    schema = pa.schema(
        [
            ("year", pa.int64()),
            ("tier", pa.string()),
            ("tier_name", pa.string()),
            ("target_id", pa.string()),
            ("metric", pa.string()),
            ("metric_zh", pa.string()),
            ("kind", pa.string()),
            ("levels", pa.string()),
            ("scope_code", pa.string()),
            ("scope_name", pa.string()),
            ("period", pa.string()),
            ("period_start", pa.int64()),
            ("period_end", pa.int64()),
            ("target", pa.float64()),
            ("achieved", pa.int64()),
            ("gap", pa.float64()),
            ("candidates", pa.int64()),
            ("confirmed", pa.int64()),
            ("covered", pa.bool_()),
            ("covered_basis", pa.string()),
            ("covered_by_candidates", pa.bool_()),
            ("years_left", pa.int64()),
            ("needed_per_year", pa.float64()),
            ("target_status", pa.string()),
            ("sources", pa.string()),
        ]
    )
    return pa.Table.from_pylist(out, schema=schema)


# ---------------------------------------------------------------------------------------------- evaluate
def evaluate(ctx) -> dict[str, pa.Table]:
    """All ladder result tables for ctx.year."""
    ladder = ctx.pack.ladder
    tiers = _tiers(ladder)
    cached = []
    try:
        w = firm_measures(
            ctx.table("enterprise"),
            ctx.table("enterprise_year"),
            ctx.table("honour"),
            ctx.year,
            ladder,
            ctx.table("industry"),
            ctx.pack,
        ).cache()  # computed once, read by every tier
        cached.append(w)
        wide, meta = screening_wide(w, ladder)
        wide = wide.cache()
        cached.append(wide)
        firms = firm_table(wide, ladder, meta, ctx.year)
        long = screening_long(wide, meta, ctx.year)
        out = {  # the two large tables are computed by the engine (and streamed to the warehouse by evaluate)
            "tier_screening": ctx.result(long) if long is not None else SCREENING_SCHEMA.empty_table(),
            "ladder_firm": ctx.result(firms),
            "ladder_criteria": criteria_from_counts(
                meta, ctx.to_arrow(status_counts(wide, meta)).to_pylist()[0], ctx.year
            ),
        }
        out["ladder_district"] = ctx.to_arrow(
            district_table(firms, ctx.table("region"), ctx.pack.info.root_region).order_by(["tier_rank", "region_code"])
        )
        cand = ctx.to_arrow(
            firms.group_by(["tier", "region_code"]).aggregate(
                candidates=ibis.cases((firms.status == "candidate", 1), else_=0).sum().cast("int64"),
                confirmed=ibis.cases(((firms.status == "candidate") & (firms.screen == MET), 1), else_=0)
                .sum()
                .cast("int64"),
            )
        ).to_pylist()
        counts_by_spec = {}
        for tier in tiers:
            for spec in tier.targets:
                counts_by_spec[(tier.key, spec.metric)] = ctx.to_arrow(
                    honour_counts(
                        ctx.table("honour"),
                        ctx.table("enterprise"),
                        tier.honour,
                        spec.levels,
                        ctx.year,
                        hn.validity_years(ctx.pack, tier.honour),
                    )
                ).to_pylist()
        out["ladder_pipeline"] = pipeline(ctx.pack, tiers, ctx.year, counts_by_spec, cand)
    finally:
        for c in reversed(cached):
            try:
                c.release()
            except Exception:  # noqa: BLE001 - a backend that cannot drop its cache keeps it until it closes
                pass
    return out


def summarise(tables: dict[str, pa.Table]) -> str:
    firms = tables["ladder_firm"]
    if firms.num_rows == 0:
        return "no firms screened"
    by_tier = {}
    for r in tables["ladder_district"].to_pylist():
        cur = by_tier.get(r["tier"])
        if cur is None or r["screened"] > cur["screened"]:  # the whole-region row screens the most firms
            by_tier[r["tier"]] = r
    n = max(r["screened"] for r in by_tier.values())
    tiers = "; ".join(
        f"{t} {r['holders']:,}/{r['candidates']:,} ({r['confirmed']:,} confirmed)" for t, r in by_tier.items()
    )
    pipe = tables["ladder_pipeline"].to_pylist()
    short = sum(1 for r in pipe if not r["covered"])
    short_all = sum(1 for r in pipe if not r["covered_by_candidates"])
    return (
        f"{n:,} firms screened; holders/candidates: {tiers}; {len(pipe)} targets compared, "
        f"{short} with fewer confirmed candidates than the gap ({short_all} counting unchecked candidates too)"
    )


# ---------------------------------------------------------------------------------------------- views
SHOWS = ("pipeline", "districts", "candidates", "criteria")


def tier_by_key(ladder: LadderFile, key: str) -> LadderTier:
    for t in ladder.tiers:
        if t.key == key:
            return t
    raise AnalyticsError(f"unknown tier {key!r}: the ladder has " + ", ".join(t.key for t in _tiers(ladder)))


def firm_screening(ctx, uscc: str) -> tuple[pa.Table, pa.Table]:
    """(every row of every tier for one firm — also the rows no warehouse figure can decide —, its ladder_firm
    rows). AnalyticsError when the firm has no figures for ctx.year."""
    ladder = ctx.pack.ladder
    w = firm_measures(
        ctx.table("enterprise"),
        ctx.table("enterprise_year"),
        ctx.table("honour"),
        ctx.year,
        ladder,
        ctx.table("industry"),
        ctx.pack,
    )
    w = w.filter(w.uscc == uscc)
    wide, meta = screening_wide(w, ladder)
    wide_rows = ctx.to_arrow(wide)
    if wide_rows.num_rows == 0:
        raise AnalyticsError(
            f"no figures for firm {uscc} in {ctx.year}: not in the warehouse, or no enterprise_year row for {ctx.year}"
        )
    r = wide_rows.to_pylist()[0]
    out = []
    for m in meta:
        cols = m["columns"]
        get = lambda part, cols=cols, m=m: r[cols[part]] if part in cols else m.get(part)
        out.append(
            {
                "year": ctx.year,
                "uscc": uscc,
                "tier": m["tier"],
                "tier_rank": m["tier_rank"],
                "seq": m["seq"],
                "criterion": m["criterion"],
                "kind": m["kind"],
                "label_zh": m["label_zh"],
                "label_en": m["label_en"],
                "requirement": m["requirement"],
                "status": STATUS[get("status")] if "status" in cols else UNKNOWN,
                "figure_measure": m["figure_measure"],
                "figure": get("figure"),
                "figure_2_measure": m["figure_2_measure"],
                "figure_2": get("figure_2"),
                "points_low": get("points_low"),
                "points_high": get("points_high"),
                "why_unknown": None if m["per_firm"] else "not in the warehouse",
            }
        )
    for o in out:
        if o["status"] == UNKNOWN and o["why_unknown"] is None:
            o["why_unknown"] = "a figure is missing or a route is not in the warehouse"
    firms = ctx.to_arrow(firm_table(wide, ladder, meta, ctx.year).order_by("tier_rank"))
    return pa.Table.from_pylist(out), firms


def view(
    ctx, tier: str | None = None, region: str | None = None, uscc: str | None = None, show: str | None = None
) -> dict[str, pa.Table]:
    """Tables for the CLI and the API. With uscc: the firm's screening; otherwise `show` one of SHOWS
    (default: candidates when a tier is given, else the pipeline), filtered by tier and region."""
    from .mujun import counties_of

    ladder = ctx.pack.ladder
    if tier is not None:
        tier_by_key(ladder, tier)
    counties = counties_of(ctx.pack, region) if region else None
    if uscc:
        rows, firms = firm_screening(ctx, uscc.strip().upper())
        if tier:
            rows = rows.filter(pa.compute.equal(rows.column("tier"), tier))
            firms = firms.filter(pa.compute.equal(firms.column("tier"), tier))
        return {"firm": firms, "screening": rows}
    show = show or ("candidates" if tier else "pipeline")
    if show not in SHOWS:
        raise AnalyticsError(f"unknown view {show!r}: choose {', '.join(SHOWS)}")
    if show == "pipeline":
        out = evaluate(ctx)
        pipe = out["ladder_pipeline"]
        if tier:
            pipe = pipe.filter(pa.compute.equal(pipe.column("tier"), tier))
        if region:
            reg = ctx.pack.resolve_region(region).code
            pipe = pipe.filter(pa.compute.equal(pipe.column("scope_code"), reg))
        return {"ladder_pipeline": pipe}
    cached = []
    try:
        w = firm_measures(
            ctx.table("enterprise"),
            ctx.table("enterprise_year"),
            ctx.table("honour"),
            ctx.year,
            ladder,
            ctx.table("industry"),
            ctx.pack,
        ).cache()
        cached.append(w)
        wide, meta = screening_wide(w, ladder)
        if show == "criteria":
            wide_rows = ctx.to_arrow(wide if not counties else wide.filter(wide.region_code.isin(counties)))
            crit = criteria_table(meta, wide_rows, ctx.year)
            if tier:
                crit = crit.filter(pa.compute.equal(crit.column("tier"), tier))
            return {"ladder_criteria": crit}
        firms = firm_table(wide, ladder, meta, ctx.year)
        if show == "districts":
            d = district_table(firms, ctx.table("region"), ctx.pack.info.root_region)
            if tier:
                d = d.filter(d.tier == tier)
            if counties:
                d = d.filter(d.region_code.isin(counties))
            return {"ladder_district": ctx.to_arrow(d.order_by(["tier_rank", "region_code"]))}
        f = firms.filter(firms.status == "candidate")
        if tier:
            f = f.filter(f.tier == tier)
        if counties:
            f = f.filter(f.region_code.isin(counties))
        f = f.order_by(["tier_rank", "region_code", ibis.desc(f.screen == MET), ibis.desc("score_low"), "uscc"])
        return {"ladder_candidates": ctx.to_arrow(f)}
    finally:
        for c in cached:
            try:
                c.release()
            except Exception:  # noqa: BLE001 - a backend that cannot drop its cache keeps it until it closes
                pass
