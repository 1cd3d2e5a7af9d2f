"""The enterprise ladder (优质中小企业梯度培育): every firm screened against each tier's published criteria.

Source of the criteria: the pack's ladder.yaml (models.LadderTier) — for Chongqing, MIIT's 优质中小企业梯度培育管理
暂行办法 (2022: 创新型中小企业's 100-point scale with sub-minimums and direct routes; 专精特新中小企业's four
conditions; 专精特新"小巨人"'s 专/精/特/新/链/品 with R&D thresholds by revenue band) and 制造业单项冠军企业认定管理办法
(2023). The code knows conditions, scores and routes, never a tier's name.

Where each part lives:

    measures.py    the firm measures the conditions test (figures by year offset, honour flags, tier holdings)
    screening.py   conditions, criteria, points scales and routes: three-valued logic, a row per line of a tier
    tables.py      the screening as tables: tier_screening, ladder_firm (each firm's status), ladder_criteria
    districts.py   ladder_district (per county) and ladder_pipeline (the pack's tier targets: gap and candidates)

Result tables (evaluate): tier_screening (per firm × tier × criterion that depends on the firm), ladder_criteria
(per tier × criterion: labels, the figures used, and counts; criteria no firm's data can decide are listed
there as unknown for all), ladder_firm (per firm × tier), ladder_district (per county × tier, and the whole
pack region), ladder_pipeline (per tier target).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ...reference.models import LadderFile, LadderTier
from .. import AnalyticsError
from .. import honours as hn
from .districts import district_table, honour_counts, on_map, pipeline
from .measures import firm_measures, ranked_tiers
from .screening import MET, STATUS, UNKNOWN
from .tables import (
    SCREENING_SCHEMA,
    criteria_from_counts,
    criteria_table,
    firm_table,
    screening_long,
    screening_wide,
    status_counts,
)


# ---------------------------------------------------------------------------------------------- evaluate
def _region_map(ctx) -> ir.Table | None:
    """The Context's region map for district counts (None: as recorded; analytics/regionmap.py)."""
    from .. import regionmap as rm

    return ctx.region_map() if rm.mode_of(ctx) == rm.CURRENT else None


def _measures(ctx, ladder):
    """The firm measures for ctx.year (an expression: nothing computed yet)."""
    return firm_measures(
        ctx.table("enterprise"),
        ctx.table("enterprise_year"),
        ctx.table("honour"),
        ctx.year,
        ladder,
        ctx.table("industry"),
        ctx.pack,
    )


def _cached_measures(ctx, ladder):
    """The firm measures for ctx.year, cached on the engine: computed once, read by every tier."""
    return _measures(ctx, ladder).cache()


def evaluate(ctx) -> dict[str, pa.Table]:
    """All ladder result tables for ctx.year (district counts and the pipeline on the Context's region map)."""
    ladder = ctx.pack.ladder
    tiers = ranked_tiers(ladder)
    rmap = _region_map(ctx)
    cached = []
    try:
        w = _cached_measures(ctx, ladder)
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
            district_table(firms, ctx.table("region"), ctx.pack.info.root_region, rmap).order_by(
                ["tier_rank", "region_code"]
            )
        )
        mf = on_map(firms, rmap)
        cand = ctx.to_arrow(
            mf.group_by(["tier", "region_code"]).aggregate(
                candidates=ibis.cases((mf.status == "candidate", 1), else_=0).sum().cast("int64"),
                confirmed=ibis.cases(((mf.status == "candidate") & (mf.screen == MET), 1), else_=0).sum().cast("int64"),
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
                        rmap,
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
    raise AnalyticsError(f"unknown tier {key!r}: the ladder has " + ", ".join(t.key for t in ranked_tiers(ladder)))


def firm_screening(ctx, uscc: str) -> tuple[pa.Table, pa.Table]:
    """(every row of every tier for one firm — also the rows no warehouse figure can decide —, its ladder_firm
    rows). AnalyticsError when the firm has no figures for ctx.year."""
    ladder = ctx.pack.ladder
    w = _measures(ctx, ladder)
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
    from ..mujun import counties_of

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
        w = _cached_measures(ctx, ladder)
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
            d = district_table(firms, ctx.table("region"), ctx.pack.info.root_region, _region_map(ctx))
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
