"""Size classes of a firm-year: above scale (规上) and SME (中小企业), from the pack's scale.yaml.

Both are national statistical rules, kept as pack data (reference/<pack>/scale.yaml) with their sources:

    above_scale[f, y] = section(f) ∈ S_above  ∧  revenue[f, y] ≥ T(y)
                        T(y): the threshold in force in year y (Chongqing pack: 5,000,000 yuan 1998–2010,
                        20,000,000 yuan from 2011 — 国统字〔2010〕87号); S_above = {B, C, D} (工业)
    size_rule[f]      = section(f) ∈ S_above      (whether any size rule applies to the firm's section)
    in_scale_scope[f, y] = above_scale[f, y] ∨ ¬size_rule[f]
                        what a 规上 figure counts: above-scale industrial firm-years, and firms of sections the
                        pack sets no size rule for (software, section I) counted whole — the pack has no
                        published threshold for them
    sme[f, y]         = employees[f, y] < E_max ∨ revenue[f, y] < R_max   for a section with limits
                        (2011 standard for industry: E_max = 1,000, R_max = 400,000,000 yuan); null (unknown)
                        for sections without limits or when both figures are missing and neither decides

Worked numbers (2011 rules): a C-section firm with revenue 2,000万 in 2023 is above scale (T = 2,000万), one with
1,999万 is not; in 2009 (T = 500万) the second one is. A firm with 1,200 employees and revenue 5亿 is not an SME;
with 1,200 employees and 3亿 it is (revenue under 4亿).

Every instrument that speaks of 规上 figures uses these expressions (measures.cells for clusters and targets,
mujun's scope, the ladder's SME condition), so the unit is defined once.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ..reference import Pack
from ..reference.models import ScaleFile


def rules_of(pack: Pack | ScaleFile) -> ScaleFile:
    """The size rules of a pack (or the rules themselves, for tests and other packs' files)."""
    return pack if isinstance(pack, ScaleFile) else pack.scale


def threshold_expr(pack: Pack | ScaleFile, year: ir.IntegerValue) -> ir.FloatingValue:
    """T(y) as an expression of a year column (the pack's periods as CASE branches)."""
    rules = rules_of(pack).above_scale.thresholds
    branches = [(year >= int(t.from_year), float(t.revenue_yuan)) for t in reversed(rules)]
    return ibis.cases(*branches, else_=float(rules[0].revenue_yuan))


def size_rule_expr(pack: Pack | ScaleFile, section: ir.StringValue) -> ir.BooleanValue:
    """Whether the pack's above-scale rule applies to a firm of this section."""
    return section.isin(list(rules_of(pack).above_scale.sections)).fill_null(False)


def above_scale_expr(
    pack: Pack | ScaleFile, section: ir.StringValue, revenue: ir.NumericValue, year: ir.IntegerValue
) -> ir.BooleanValue:
    """above_scale[f, y] (false when revenue is missing)."""
    return size_rule_expr(pack, section) & (revenue.cast("float64") >= threshold_expr(pack, year)).fill_null(False)


def in_scale_scope_expr(
    pack: Pack | ScaleFile, section: ir.StringValue, revenue: ir.NumericValue, year: ir.IntegerValue
) -> ir.BooleanValue:
    """in_scale_scope[f, y]: what a 规上 figure counts (above-scale industry, and sections without a rule)."""
    return above_scale_expr(pack, section, revenue, year) | ~size_rule_expr(pack, section)


def sme_expr(pack: Pack | ScaleFile, section: ir.StringValue, employees: ir.NumericValue, revenue: ir.NumericValue):
    """sme[f, y] as a nullable boolean (Kleene logic: a missing figure that could decide leaves it unknown)."""
    out = ibis.null("boolean")
    for lim in reversed(rules_of(pack).sme.limits):
        small = (employees.cast("float64") < float(lim.max_employees)) | (
            revenue.cast("float64") < float(lim.max_revenue_yuan)
        )
        out = ibis.cases((section.isin(list(lim.sections)), small), else_=out)
    return out


def firm_years(pack: Pack | ScaleFile, enterprise: ir.Table, enterprise_year: ir.Table, industry: ir.Table) -> ir.Table:
    """One row per firm-year: uscc, year, section, threshold, above_scale, in_scale_scope, sme.

    A firm whose industry code is not in the industry table takes the code's first letter as its section."""
    ind = industry.select(ind_code=industry.code, ind_section=industry.section)
    e = enterprise.select("uscc", "industry_code")
    e = e.left_join(ind, e.industry_code == ind.ind_code)
    e = e.select("uscc", section=ibis.coalesce(e.ind_section, e.industry_code.substr(0, 1)))
    j = enterprise_year.select("uscc", "year", "revenue", "employees").join(e, "uscc")
    y = j.year.cast("int64")
    return j.select(
        "uscc",
        year=y,
        section=j.section,
        threshold=threshold_expr(pack, y),
        above_scale=above_scale_expr(pack, j.section, j.revenue, y),
        in_scale_scope=in_scale_scope_expr(pack, j.section, j.revenue, y),
        sme=sme_expr(pack, j.section, j.employees, j.revenue),
    )
