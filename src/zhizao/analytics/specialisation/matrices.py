"""The region × unit matrices of location quotients: the options (level, measure, base year), the regions of
a level on a day's map, and the firm figures summed into region × industry or region × cluster (the method:
analytics/specialisation/__init__.py)."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import AnalyticsError

LEVELS = ("county", "group")
UNITS = ("cluster", "industry")
MEASURES = ("output_value", "value_added", "revenue", "employees")
STRENGTHS = ("strong", "significant", "qualifying", "none")


# ------------------------------------------------------------------------------------------ options
def map_day(ctx, on: dt.date | None = None) -> dt.date:
    """The day whose region map figures are shown on: `on` when given, else the Context's map
    (analytics/regionmap.py: today's map by default, the recorded map when asked)."""
    from .. import regionmap as rm

    return on or rm.map_date(rm.mode_of(ctx))


def default_base_year(year: int, years: Iterable[int]) -> int | None:
    held = sorted(y for y in years if y < year)
    if not held:
        return None
    within = [y for y in held if y >= year - 5]
    return within[0] if within else held[-1]


def check_base_year(ctx, base_year: int | None) -> int | None:
    if base_year is None:
        return default_base_year(ctx.year, ctx.years)
    if base_year not in ctx.years:
        raise AnalyticsError(
            f"no figures for base year {base_year}: the warehouse holds {ctx.years[0]}–{ctx.years[-1]}"
        )
    if base_year >= ctx.year:
        raise AnalyticsError(f"the base year ({base_year}) must come before the year ({ctx.year})")
    return base_year


def check_choice(value, allowed, what):
    if value not in allowed:
        raise AnalyticsError(f"unknown {what} {value!r} (choose {' or '.join(allowed)})")
    return value


# ------------------------------------------------------------------------------------------ regions
def unit_regions(pack, level: str, on: dt.date) -> dict[str, tuple[str, str]]:
    """recorded region code -> (code, name) of the region its figures count in, at `level`, on the map
    of `on` (primary successions followed)."""
    check_choice(level, LEVELS, "level")
    out = {}
    for code in pack.regions:
        cur = pack.successor_of(code, on)
        if level == "group" and pack.regions[cur].level not in ("group", "province"):
            cur = pack.group_of(cur, "group") or pack.info.root_region
        out[code] = (cur, pack.regions[cur].name_zh)
    return out


def region_memtable(ctx, level: str, on: dt.date):
    m = unit_regions(ctx.pack, level, on)
    codes = sorted(m)
    return ctx.engine.memtable(
        pa.table({"code": codes, "region_code": [m[c][0] for c in codes], "region_name": [m[c][1] for c in codes]})
    )


def resolve_region(pack, text: str, level: str, on: dt.date) -> str:
    """A region the user named (code or name) as a unit of `level` on the map of `on`."""
    r = pack.resolve_region(text, on)
    if r is None:
        raise AnalyticsError(f"unknown region {text!r}: not in the pack {pack.info.id!r}")
    if level == "group" and r.level in ("group", "province"):
        return r.code
    if level == "county" and r.level not in ("county",):
        raise AnalyticsError(
            f"{r.name_zh} ({r.code}) is a {r.level}, not a county-level unit (use --level group for groups)"
        )
    return unit_regions(pack, level, on)[r.code][0]


# ------------------------------------------------------------------------------------------ matrices
def firm_figures(ctx, years: Iterable[int], level: str, on: dt.date, measure: str = "output_value"):
    """One row per firm and year: region_code (the unit region), region_name, industry_code, year, x."""
    check_choice(measure, MEASURES, "measure")
    years = sorted(set(int(y) for y in years))
    ey = ctx.table("enterprise_year")
    ey = ey.filter(ey.year.isin(years)) if len(years) > 1 else ey.filter(ey.year == years[0])
    e = ctx.table("enterprise").select("uscc", "region_code", "industry_code")
    rm = region_memtable(ctx, level, on)
    j = ey.join(e, "uscc")
    j = j.join(rm, j.region_code == rm.code)
    return j.select(
        region_code=rm.region_code,
        region_name=rm.region_name,
        industry_code=j.industry_code,
        year=j.year.cast("int64"),
        x=j[measure].cast("float64").fill_null(0.0),
    )


def region_industry(ctx, year: int, level: str = "county", on: dt.date | None = None, measure: str = "output_value"):
    """The region × industry matrix of `year` in long form: region_code, region_name, industry_code,
    x (Σ measure), firms. Only cells with at least one firm."""
    f = firm_figures(ctx, [year], level, map_day(ctx, on), measure)
    return f.group_by(["region_code", "region_name", "industry_code"]).aggregate(x=f.x.sum(), firms=f.count())


def city_clusters(ctx):
    """cluster_industry rows of the pack's city system: cluster_id, industry_code, share."""
    root = ctx.pack.info.root_region
    systems = ctx.table("cluster_system").filter(lambda s: s.region_code == root).select(system_id="id")
    cl = ctx.table("cluster").join(systems, "system_id").select(cluster_id="id")
    ci = ctx.table("cluster_industry")
    return ci.join(cl, "cluster_id").select("cluster_id", "industry_code", share=ci.share.cast("float64"))


def unit_matrix(ctx, year: int, level: str, by: str, on: dt.date, measure: str = "output_value"):
    """Region × unit (industry or cluster) for `year`: region_code, region_name, code, x, firms, x_r
    (the region's total over all industries) and x_c (the city's), from one scan (window sums)."""
    check_choice(by, UNITS, "unit")
    ri = region_industry(ctx, year, level, on, measure)
    ri = ri.mutate(x_r=ri.x.sum().over(group_by="region_code"), x_c=ri.x.sum().over())
    if by == "industry":
        return ri.select(
            "region_code", "region_name", code=ri.industry_code, x=ri.x, firms=ri.firms, x_r=ri.x_r, x_c=ri.x_c
        )
    j = ri.join(city_clusters(ctx), "industry_code")
    return j.group_by(["region_code", "region_name", j.cluster_id.name("code")]).aggregate(
        x=(j.x * j.share).sum(), firms=j.firms.sum(), x_r=j.x_r.max(), x_c=j.x_c.max()
    )


def location_quotients(ru):
    """Add X_u, region_share, city_share and lq to a region × unit table (unit_matrix)."""
    t = ru.mutate(x_u=ru.x.sum().over(group_by="code"))
    region_share = t.x / t.x_r.nullif(0.0)
    city_share = t.x / t.x_u.nullif(0.0)
    return t.mutate(
        region_share=region_share, city_share=city_share, lq=region_share / (t.x_u / t.x_c.nullif(0.0)).nullif(0.0)
    )


# ------------------------------------------------------------------------------------------ tables
def unit_names(ctx, by: str) -> dict[str, str]:
    if by == "industry":
        t = ctx.to_arrow(ctx.table("industry").select("code", "name_zh"))
    else:
        t = ctx.to_arrow(ctx.table("cluster").select(code="id", name_zh="name_zh"))
    return dict(zip(t.column("code").to_pylist(), t.column("name_zh").to_pylist()))


def floats(t: pa.Table, col: str) -> np.ndarray:
    return np.asarray(
        pc.fill_null(t.column(col).cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False), dtype=float
    )
