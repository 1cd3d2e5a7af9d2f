"""The ladder's firm measures: every figure a tier's conditions test, per firm, at every year offset they need.

Measures of firm f for the evaluation year t (offset k = years back; the list at the top of the pack's ladder.yaml):

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

The rules that test them: analytics/ladder/screening.py; the instrument: analytics/ladder/__init__.py.
"""

from __future__ import annotations

import re

import ibis
import ibis.expr.types as ir

from ...reference.models import Condition, LadderFile, LadderTier
from .. import honours as hn
from .. import scale

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


def _safe(s: str) -> str:
    return re.sub(r"\W", "_", s)


def computable(c: Condition) -> bool:
    return c.measure.startswith(HONOUR) or c.measure in COMPUTABLE


def years_of(c: Condition) -> int:
    return 1 if c.aggregate == "last" or not c.years else int(c.years)


def honour_column(kind: str, years: int | None = None) -> str:
    return f"h__{_safe(kind)}" + (f"__{years}" if years else "")


def holds_column(tier_key: str) -> str:
    return f"holds__{_safe(tier_key)}"


def ranked_tiers(ladder: LadderFile) -> list[LadderTier]:
    return sorted(ladder.tiers, key=lambda t: t.rank)


def tier_conditions(t: LadderTier) -> list[Condition]:
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
    tiers = ranked_tiers(ladder)
    conds = [c for t in tiers for c in tier_conditions(t)]
    depth = max([years_of(c) for c in conds if computable(c)] + [1])  # offsets 0 .. depth-1
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
    for t in ranked_tiers(ladder):
        for c in tier_conditions(t):
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

    for t in ranked_tiers(ladder):
        for c in tier_conditions(t):
            if c.measure.startswith(HONOUR):
                kind = c.measure[len(HONOUR) :]
                cond = valid(kind)
                if c.years:
                    cond = cond & (h.year > year - int(c.years))
                aggs[honour_column(kind, c.years)] = cond.max()
        aggs[holds_column(t.key)] = valid(t.honour).max()
    return h.group_by("uscc").aggregate(**aggs)
