"""The ladder's screening rules: conditions, criteria, points scales and routes, as three-valued logic over the firm
measures (analytics/ladder/measures.py), one Row per line of a tier's screening.

Source of the rules: the pack's ladder.yaml (models.LadderTier; for Chongqing the MIIT 办法 named in
analytics/ladder/__init__.py).

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
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir

from ...reference.models import Condition, Criterion, LadderTier, Scoring
from .. import AnalyticsError
from .measures import COMPUTABLE, HONOUR, computable, holds_column, honour_column, years_of

MET, NOT_MET, UNKNOWN, NA, SCORED = "met", "not_met", "unknown", "not_applicable", "scored"
STATUS = (UNKNOWN, MET, NOT_MET, NA, SCORED)  # status codes 0..4 in the wide screening
CODE = {s: i for i, s in enumerate(STATUS)}


_AGG_WORDS = {"each": "binding year of {n}", "average": "average of {n} years", "sum": "sum of {n} years"}


def figure_label(c: Condition) -> str:
    n = years_of(c)
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
    n = years_of(c)
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


def all_true(xs: list[ir.BooleanValue]) -> ir.BooleanValue:
    out = ibis.literal(True)
    for x in xs:
        out = out & x
    return out


def any_true(xs: list[ir.BooleanValue]) -> ir.BooleanValue:
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
    core = all_true([b for b, _ in all_])
    if any_:
        core = core & any_true([b for b, _ in any_])
    if rep:
        core = core | any_true([b for b, _ in rep])
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
    score_ok = all_true([total_ok] + cat_oks)
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
        route = any_true(route_parts)
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
