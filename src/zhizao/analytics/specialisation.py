"""Specialisation: location quotients, cluster strength flags, cluster portfolios and shift-share.

Every figure is computed for one year on one region map (analytics/regionmap.py: today's map by default, so
江北区's firms count in 两江新区 whatever the year; the recorded map when asked), at one of two region
levels: `county` (county-level units) or `group` (each county's nearest group of the layout, e.g.
the 一区两群 groups). The measure x is a firm figure of enterprise_year (default output_value,
工业总产值); missing figures count as 0. Units u are leaf industries (GB/T 4754 codes as the firms
carry them) or the clusters of the pack's city system (cluster_industry with its shares).

Location quotient (Balassa 1965; the regional-science LQ)
    x_ru  = Σ_{firms f in r, unit u} x_f · share_u(industry_f)         (share = 1 for industries)
    x_r   = Σ_{firms f in r} x_f          (the region's total over all industries, not just clusters)
    X_u   = Σ_r x_ru,   X = Σ_r x_r
    LQ_ru = (x_ru / x_r) / (X_u / X)
    region_share = x_ru / x_r,  city_share = x_ru / X_u
    firms_ru = number of firms in r with a figure row that year in an industry of u (a firm of an
    industry shared between two clusters counts, whole, in each).

Cluster strength (US Cluster Mapping Project, Delgado, Porter & Stern 2016; flags as its processing
code computes `strong_b` and companions). For each unit u, among the regions of the same level with
x_ru > 0, take the quartiles Q25/Q50/Q75 of LQ, of firm count and of x (linear interpolation between
order statistics, numpy's default percentile). Then
    size_ok     = firms_ru > Q25(firms) and x_ru > Q25(x)
    strong      = LQ_ru ≥ Q75(LQ) and LQ_ru ≥ 1 and size_ok
    significant = LQ_ru > Q50(LQ) and size_ok
    qualifying  = LQ_ru > Q25(LQ) and size_ok
    strength    = the first that holds of strong / significant / qualifying, else "none".
(CMP uses traded employment and establishments; we use the chosen measure and firm counts.)

Cluster portfolio (CMP's region Cluster Strength, `str_emp_per_tf`), per region:
    strong_share = Σ_i x_ri · min(1, Σ_{strong clusters c} share_c(i)) / x_r
the share of the region's measure in industries of its strong clusters, each industry counted at
most once although tiers overlap; with the counts of strong / significant / qualifying clusters.
Growth columns compare with a base year y0 on the same map: lq_change = LQ_y − LQ_y0,
cagr = (x_y / x_y0)^(1/(y − y0)) − 1.

Shift-share (classic: Dunn 1960; dynamic: Barff & Knight 1988). For region r, unit i, base year 0
and end year t, the city C as the reference economy (E = Σ_r x_r, E_i = Σ_r x_ri):
    city growth        CG_ri = e_ri0 · (E_t / E_0 − 1)
    industry mix       IM_ri = e_ri0 · (E_it / E_i0 − E_t / E_0)
    competitiveness    RS_ri = e_rit − e_ri0 · E_it / E_i0
    CG + IM + RS = e_rit − e_ri0           (an industry absent in the base year: CG = IM = 0, RS = e_rit)
Dynamic: the same decomposition for every pair of consecutive years held between 0 and t, summed
(the weights e_ri,s are updated every year); the sum again telescopes to e_rit − e_ri0. A region's
row is the sum of its industries' rows (industries partition the economy; clusters do not, so a
cluster row is that cluster's own decomposition with E_c,s as its city total).

Default base year: five years before the year evaluated, or the first year held if that is later.
Table work (matrix, LQs, shift-share) is Ibis, so it runs unchanged on DuckDB and Spark; the
quartile flags and the portfolio are small dense NumPy on the collected region × unit tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import AnalyticsError

LEVELS = ("county", "group")
UNITS = ("cluster", "industry")
MEASURES = ("output_value", "value_added", "revenue", "employees")
STRENGTHS = ("strong", "significant", "qualifying", "none")


# ------------------------------------------------------------------------------------------ options
def map_day(ctx, on: dt.date | None = None) -> dt.date:
    """The day whose region map figures are shown on: `on` when given, else the Context's map
    (analytics/regionmap.py: today's map by default, the recorded map when asked)."""
    from . import regionmap as rm

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


def _check(value, allowed, what):
    if value not in allowed:
        raise AnalyticsError(f"unknown {what} {value!r} (choose {' or '.join(allowed)})")
    return value


# ------------------------------------------------------------------------------------------ regions
def unit_regions(pack, level: str, on: dt.date) -> dict[str, tuple[str, str]]:
    """recorded region code -> (code, name) of the region its figures count in, at `level`, on the map
    of `on` (primary successions followed)."""
    _check(level, LEVELS, "level")
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
    _check(measure, MEASURES, "measure")
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
    _check(by, UNITS, "unit")
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


# ------------------------------------------------------------------------------------------ flags
def strength_flags(unit_idx: np.ndarray, lq: np.ndarray, firms: np.ndarray, x: np.ndarray) -> dict[str, np.ndarray]:
    """CMP flags for rows (region, unit) given the unit index of each row: quartiles per unit among the
    rows with x > 0 (linear percentiles), vectorised over a dense unit × region layout."""
    n = len(unit_idx)
    if n == 0:
        empty = np.zeros(0, dtype=bool)
        return {"strong": empty, "significant": empty, "qualifying": empty, "strength": np.array([], dtype=object)}
    units = int(unit_idx.max()) + 1
    order = np.argsort(unit_idx, kind="stable")
    counts = np.bincount(unit_idx, minlength=units)
    width = int(counts.max())
    pos = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)  # rank within unit
    grid_rows = np.empty(n, dtype=np.int64)
    grid_rows[order] = pos
    present = x > 0

    def quartiles(v):
        g = np.full((units, width), np.nan)
        g[unit_idx, grid_rows] = np.where(present, v, np.nan)
        with np.errstate(all="ignore"), _quiet():
            q = np.nanpercentile(g, [25, 50, 75], axis=1)  # 3 × units
        return q[:, unit_idx]  # 3 × rows

    ql, qf, qx = quartiles(lq), quartiles(firms.astype(float)), quartiles(x)
    size_ok = present & (firms > qf[0]) & (x > qx[0])
    strong = size_ok & (lq >= ql[2]) & (lq >= 1.0)
    significant = size_ok & (lq > ql[1])
    qualifying = size_ok & (lq > ql[0])
    strength = np.select([strong, significant, qualifying], ["strong", "significant", "qualifying"], "none")
    return {"strong": strong, "significant": significant, "qualifying": qualifying, "strength": strength.astype(object)}


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *a):
        self._w.__exit__(*a)


# ------------------------------------------------------------------------------------------ tables
def _names(ctx, by: str) -> dict[str, str]:
    if by == "industry":
        t = ctx.to_arrow(ctx.table("industry").select("code", "name_zh"))
    else:
        t = ctx.to_arrow(ctx.table("cluster").select(code="id", name_zh="name_zh"))
    return dict(zip(t.column("code").to_pylist(), t.column("name_zh").to_pylist()))


def specialisation_table(
    ctx,
    year: int,
    level: str,
    by: str,
    *,
    base_year: int | None = None,
    measure: str = "output_value",
    on: dt.date | None = None,
) -> pa.Table:
    """Region × unit LQs with CMP flags and, given a base year, growth on the same map."""
    on = map_day(ctx, on)
    cur = ctx.to_arrow(location_quotients(unit_matrix(ctx, year, level, by, on, measure)))
    cur = cur.sort_by([("region_code", "ascending"), ("code", "ascending")])
    codes = cur.column("code").to_numpy(zero_copy_only=False)
    uniq, unit_idx = np.unique(codes, return_inverse=True) if len(codes) else (codes, np.zeros(0, int))
    lq = _f(cur, "lq")
    flags = strength_flags(unit_idx.astype(np.int64), lq, _f(cur, "firms"), _f(cur, "x"))
    names = _names(ctx, by)
    n = cur.num_rows
    cols = {
        "level": pa.array([level] * n, pa.string()),
        "region_code": cur.column("region_code"),
        "region_name": cur.column("region_name"),
        "kind": pa.array([by] * n, pa.string()),
        "code": cur.column("code"),
        "name": pa.array([names.get(c) for c in codes], pa.string()),
        "value": cur.column("x"),
        "firms": cur.column("firms"),
        "region_value": cur.column("x_r"),
        "region_share": cur.column("region_share"),
        "city_share": cur.column("city_share"),
        "lq": pa.array(lq, pa.float64()),
        "strong": pa.array(flags["strong"]),
        "significant": pa.array(flags["significant"]),
        "qualifying": pa.array(flags["qualifying"]),
        "strength": pa.array(flags["strength"], pa.string()),
    }
    out = pa.table(cols)
    if base_year is not None:
        base = ctx.to_arrow(location_quotients(unit_matrix(ctx, base_year, level, by, on, measure)))
        key = lambda t: [
            f"{a}\x1f{b}" for a, b in zip(t.column("region_code").to_pylist(), t.column("code").to_pylist())
        ]
        idx = pc.index_in(pa.array(key(out), pa.string()), value_set=pa.array(key(base), pa.string()))
        b_x = pc.fill_null(pc.take(base.column("x"), idx), 0.0).to_numpy(zero_copy_only=False)
        b_lq = pc.fill_null(pc.take(base.column("lq"), idx), 0.0).to_numpy(zero_copy_only=False)
        span = year - base_year
        x = _f(out, "value")
        with np.errstate(all="ignore"):
            cagr = np.where(b_x > 0, (x / np.where(b_x > 0, b_x, 1.0)) ** (1.0 / span) - 1.0, np.nan)
        out = (
            out.append_column("base_year", pa.array([base_year] * n, pa.int64()))
            .append_column("value_base", pa.array(b_x, pa.float64()))
            .append_column("lq_base", pa.array(b_lq, pa.float64()))
            .append_column("lq_change", pa.array(lq - b_lq, pa.float64()))
            .append_column("cagr", pa.array(cagr, pa.float64()))
        )
    return out


def _f(t: pa.Table, col: str) -> np.ndarray:
    return np.asarray(
        pc.fill_null(t.column(col).cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False), dtype=float
    )


def portfolio_table(
    ctx, clusters: pa.Table, year: int, level: str, *, measure: str = "output_value", on: dt.date | None = None
) -> pa.Table:
    """Per region: counts of strong / significant / qualifying clusters, the share of its measure in
    industries of its strong clusters (each industry at most once), and the strong clusters by LQ."""
    on = map_day(ctx, on)
    ri = ctx.to_arrow(region_industry(ctx, year, level, on, measure))
    ci = ctx.to_arrow(city_clusters(ctx))
    regions, r_idx = np.unique(ri.column("region_code").to_numpy(zero_copy_only=False), return_inverse=True)
    inds, i_idx = np.unique(
        np.concatenate(
            [
                ri.column("industry_code").to_numpy(zero_copy_only=False),
                ci.column("industry_code").to_numpy(zero_copy_only=False),
            ]
        ),
        return_inverse=True,
    )
    n_ri = ri.num_rows
    cl_ids, c_idx = np.unique(ci.column("cluster_id").to_numpy(zero_copy_only=False), return_inverse=True)
    X = np.zeros((len(regions), len(inds)))
    np.add.at(X, (r_idx, i_idx[:n_ri]), _f(ri, "x"))
    S = np.zeros((len(cl_ids), len(inds)))
    S[c_idx, i_idx[n_ri:]] = _f(ci, "share")
    # strong flags as a region × cluster matrix
    F = np.zeros((len(regions), len(cl_ids)))
    cs = clusters.filter(pc.field("strong"))
    if cs.num_rows:
        fr = np.searchsorted(regions, cs.column("region_code").to_numpy(zero_copy_only=False))
        fc = np.searchsorted(cl_ids, cs.column("code").to_numpy(zero_copy_only=False))
        F[fr, fc] = 1.0
    covered = np.minimum(1.0, F @ S)
    total = X.sum(axis=1)
    with np.errstate(all="ignore"):
        strong_share = np.where(total > 0, (X * covered).sum(axis=1) / total, np.nan)
    # counts and lists per region from the cluster table (already one row per region × cluster)
    c_reg = np.searchsorted(regions, clusters.column("region_code").to_numpy(zero_copy_only=False))
    counts = {
        k: np.bincount(c_reg, weights=np.asarray(clusters.column(k).to_pylist(), float), minlength=len(regions)).astype(
            np.int64
        )
        for k in ("strong", "significant", "qualifying")
    }
    names = dict(zip(clusters.column("code").to_pylist(), clusters.column("name").to_pylist()))
    lq = _f(clusters, "lq")
    is_strong = np.asarray(clusters.column("strong").to_pylist(), bool)
    order = np.lexsort((-lq, c_reg))
    codes = clusters.column("code").to_pylist()
    en = ctx.to_arrow(ctx.table("cluster").select("id", "name_en")).to_pylist()
    names_en = {r["id"]: r["name_en"] for r in en if r["name_en"]}
    lists: dict[int, list[str]] = {}
    lists_en: dict[int, list[str]] = {}
    for i in order[is_strong[order]]:  # the strong pairs only: formatting, not maths
        lists.setdefault(int(c_reg[i]), []).append(f"{codes[i]} {names.get(codes[i]) or ''} (LQ {lq[i]:.2f})")
        lists_en.setdefault(int(c_reg[i]), []).append(
            f"{codes[i]} {names_en.get(codes[i]) or names.get(codes[i]) or ''} (LQ {lq[i]:.2f})"
        )
    region_names = dict(zip(ri.column("region_code").to_pylist(), ri.column("region_name").to_pylist()))
    return pa.table(
        {
            "level": pa.array([level] * len(regions), pa.string()),
            "region_code": pa.array(regions.tolist(), pa.string()),
            "region_name": pa.array([region_names[r] for r in regions.tolist()], pa.string()),
            "value": pa.array(total, pa.float64()),
            "strong_clusters": pa.array(counts["strong"]),
            "significant_clusters": pa.array(counts["significant"]),
            "qualifying_clusters": pa.array(counts["qualifying"]),
            "strong_share": pa.array(strong_share, pa.float64()),
            "strong_list": pa.array(["; ".join(lists.get(i, [])) for i in range(len(regions))], pa.string()),
            "strong_list_en": pa.array(["; ".join(lists_en.get(i, [])) for i in range(len(regions))], pa.string()),
        }
    )


# ------------------------------------------------------------------------------------------ shift-share
def _panel(ctx, years: list[int], level: str, by: str, on: dt.date, measure: str):
    """Region × unit with one column e_<year> per year (0 where absent), the unit's city totals u_<year>
    and the whole city's c_<year> (window sums: one scan of the firm figures for industries)."""
    f = firm_figures(ctx, years, level, on, measure)
    if by == "industry":
        g = f.mutate(code=f.industry_code, w=ibis.literal(1.0))
    else:
        ci = city_clusters(ctx)
        g = f.join(ci, "industry_code")
        g = g.mutate(code=g.cluster_id, w=g.share)
    p = g.group_by(["region_code", "region_name", "code"]).aggregate(
        **{f"e_{y}": (g.x * g.w).sum(where=g.year == y).fill_null(0.0) for y in years}
    )
    p = p.mutate(**{f"u_{y}": p[f"e_{y}"].sum().over(group_by="code") for y in years})
    if by == "industry":  # industries partition the city
        return p.mutate(**{f"c_{y}": p[f"e_{y}"].sum().over() for y in years})
    city = f.aggregate(**{f"c_{y}": f.x.sum(where=f.year == y).fill_null(0.0) for y in years})
    return p.cross_join(city)


def _components(p, y0: int, y1: int):
    e0, e1, u0, u1, c0, c1 = p[f"e_{y0}"], p[f"e_{y1}"], p[f"u_{y0}"], p[f"u_{y1}"], p[f"c_{y0}"], p[f"c_{y1}"]
    g_city = c1 / c0.nullif(0.0)
    g_unit = (u1 / u0.nullif(0.0)).fill_null(0.0)
    absent = e0 == 0
    cg = ibis.ifelse(absent, 0.0, e0 * (g_city - 1.0))
    im = ibis.ifelse(absent, 0.0, e0 * (g_unit - g_city))
    rs = ibis.ifelse(absent, e1, e1 - e0 * g_unit)
    return cg, im, rs


SS_PARTS = ("city_growth", "industry_mix", "competitive")


def shift_share_expr(
    ctx, base_year: int, year: int, level: str, by: str, *, measure: str = "output_value", on: dt.date | None = None
):
    """Classic and dynamic shift-share of every region × unit between base_year and year, one wide row:
    value_base, value, <part>_classic and <part>_dynamic for part in city_growth, industry_mix,
    competitive."""
    on = map_day(ctx, on)
    years = [y for y in ctx.years if base_year <= y <= year]
    p = _panel(ctx, years, level, by, on, measure)
    classic = _components(p, base_year, year)
    dynamic = [ibis.literal(0.0)] * 3
    for a, b in zip(years[:-1], years[1:]):
        dynamic = [d + c for d, c in zip(dynamic, _components(p, a, b))]
    return p.select(
        "region_code",
        "region_name",
        "code",
        value_base=p[f"e_{base_year}"],
        value=p[f"e_{year}"],
        **{f"{k}_classic": v for k, v in zip(SS_PARTS, classic)},
        **{f"{k}_dynamic": v for k, v in zip(SS_PARTS, dynamic)},
    )


def _long(wide: pa.Table) -> pa.Table:
    """Wide shift-share rows → one row per method."""
    keep = ["region_code", "region_name", "code", "value_base", "value"]
    parts = []
    for method in ("classic", "dynamic"):
        t = wide.select(keep + [f"{k}_{method}" for k in SS_PARTS]).rename_columns(keep + list(SS_PARTS))
        parts.append(t.append_column("method", pa.array([method] * t.num_rows, pa.string())))
    return pa.concat_tables(parts)


def shift_share_table(
    ctx, base_year: int, year: int, level: str, *, measure: str = "output_value", on: dt.date | None = None
) -> pa.Table:
    """Industry rows, region rows (sums of the industry rows) and cluster rows."""
    parts = []
    for by in ("industry", "cluster"):
        t = _long(ctx.to_arrow(shift_share_expr(ctx, base_year, year, level, by, measure=measure, on=on)))
        if by == "industry":
            reg = t.group_by(["region_code", "region_name", "method"], use_threads=False).aggregate(
                [(c, "sum") for c in ("value_base", "value", *SS_PARTS)]
            )
            reg = reg.rename_columns([c.removesuffix("_sum") for c in reg.column_names])
            parts.append(("region", reg))
        parts.append((by, t))
    names = {"industry": _names(ctx, "industry"), "cluster": _names(ctx, "cluster")}
    tables = []
    for kind, t in parts:
        n = t.num_rows
        if kind == "region":
            code = t.column("region_code")
            name = t.column("region_name")
        else:
            code = t.column("code")
            name = pa.array([names[kind].get(c) for c in code.to_pylist()], pa.string())
        vb, v = _f(t, "value_base"), _f(t, "value")
        tables.append(
            pa.table(
                {
                    "level": pa.array([level] * n, pa.string()),
                    "region_code": t.column("region_code"),
                    "region_name": t.column("region_name"),
                    "kind": pa.array([kind] * n, pa.string()),
                    "code": code.cast(pa.string()),
                    "name": name,
                    "method": t.column("method"),
                    "base_year": pa.array([base_year] * n, pa.int64()),
                    "year": pa.array([year] * n, pa.int64()),
                    "value_base": pa.array(vb),
                    "value": pa.array(v),
                    "change": pa.array(v - vb),
                    **{k: t.column(k).cast(pa.float64()) for k in SS_PARTS},
                }
            )
        )
    out = pa.concat_tables(tables)
    kind_order = pc.index_in(out.column("kind"), value_set=pa.array(["region", "cluster", "industry"]))
    out = out.append_column("_k", kind_order)
    return out.sort_by(
        [("region_code", "ascending"), ("_k", "ascending"), ("code", "ascending"), ("method", "ascending")]
    ).drop_columns(["_k"])


def empty_shift_share() -> pa.Table:
    return pa.table(
        {
            c: pa.array([], t)
            for c, t in [
                ("level", pa.string()),
                ("region_code", pa.string()),
                ("region_name", pa.string()),
                ("kind", pa.string()),
                ("code", pa.string()),
                ("name", pa.string()),
                ("method", pa.string()),
                ("base_year", pa.int64()),
                ("year", pa.int64()),
                ("value_base", pa.float64()),
                ("value", pa.float64()),
                ("change", pa.float64()),
                ("city_growth", pa.float64()),
                ("industry_mix", pa.float64()),
                ("competitive", pa.float64()),
            ]
        }
    )


# ------------------------------------------------------------------------------------------ evaluate
def evaluate(ctx, *, levels: Iterable[str] | None = None) -> dict[str, pa.Table]:
    """For ctx.year: `specialisation` (region × industry), `cluster_strength` (region × cluster),
    `cluster_portfolio` (region) at every level, and `shift_share` against the base year."""
    measure = _check(ctx.options.get("measure") or "output_value", MEASURES, "measure")
    levels = list(levels) if levels else ([ctx.options["level"]] if ctx.options.get("level") else list(LEVELS))
    for lv in levels:
        _check(lv, LEVELS, "level")
    base = check_base_year(ctx, ctx.options.get("base_year"))
    out: dict[str, list[pa.Table]] = {
        "specialisation": [],
        "cluster_strength": [],
        "cluster_portfolio": [],
        "shift_share": [],
    }
    for lv in levels:
        ind = specialisation_table(ctx, ctx.year, lv, "industry", base_year=base, measure=measure)
        cl = specialisation_table(ctx, ctx.year, lv, "cluster", base_year=base, measure=measure)
        out["specialisation"].append(ind)
        out["cluster_strength"].append(cl)
        out["cluster_portfolio"].append(portfolio_table(ctx, cl, ctx.year, lv, measure=measure))
        out["shift_share"].append(
            shift_share_table(ctx, base, ctx.year, lv, measure=measure) if base is not None else empty_shift_share()
        )
    if not out["specialisation"][0].num_rows:
        raise AnalyticsError(f"no enterprise figures for {ctx.year}")
    return {k: with_map(pa.concat_tables(v), ctx) for k, v in out.items()}


def with_map(t: pa.Table, ctx) -> pa.Table:
    """`t` with the column region_map: the map its regions are on (analytics/regionmap.py)."""
    from . import regionmap as rm

    return t.append_column("region_map", pa.array([rm.mode_of(ctx)] * t.num_rows, pa.string()))


def summarise(tables: dict[str, pa.Table]) -> str:
    cs = tables["cluster_strength"]
    county = cs.filter(pc.equal(cs.column("level"), "county")) if cs.num_rows else cs
    strong = pc.sum(county.column("strong").cast(pa.int64())).as_py() if county.num_rows else 0
    regions = len(set(county.column("region_code").to_pylist()))
    ss = tables["shift_share"]
    span = (
        f", shift-share {ss.column('base_year')[0].as_py()}→{ss.column('year')[0].as_py()}"
        if ss.num_rows
        else ", no shift-share (no earlier year)"
    )
    return (
        f"{tables['specialisation'].num_rows:,} region×industry LQs; {strong} strong region×cluster "
        f"pairs in {regions} counties{span}"
    )


# ------------------------------------------------------------------------------------------ command
def command_tables(
    ctx, *, level: str = "county", by: str = "cluster", region: str | None = None
) -> dict[str, pa.Table]:
    """What `zhizao specialisation` prints: the LQ table of `by` units, the cluster portfolio and the
    shift-share rows (region totals, and the region's units when one region is asked for)."""
    _check(level, LEVELS, "level")
    _check(by, UNITS, "unit")
    code = resolve_region(ctx.pack, region, level, map_day(ctx)) if region else None
    t = evaluate(ctx, levels=[level])
    lq = t["cluster_strength"] if by == "cluster" else t["specialisation"]
    port, ss = t["cluster_portfolio"], t["shift_share"]
    if code is not None:
        if code not in set(lq.column("region_code").to_pylist()):
            raise AnalyticsError(f"no figures for {ctx.pack.regions[code].name_zh} ({code}) in {ctx.year}")
        lq = lq.filter(pc.equal(lq.column("region_code"), code))
        port = port.filter(pc.equal(port.column("region_code"), code))
        ss = ss.filter(
            pc.and_(pc.equal(ss.column("region_code"), code), pc.is_in(ss.column("kind"), pa.array(["region", by])))
        )
    else:
        ss = ss.filter(pc.equal(ss.column("kind"), "region"))
    keep = ["region_code", "region_name", "code", "name", "value", "firms", "region_share", "lq", "strength"]
    keep += [c for c in ("lq_change", "cagr") if c in lq.column_names]
    lq = lq.select(keep).sort_by([("region_code", "ascending"), ("lq", "descending")])
    ss = ss.select(
        [
            "region_code",
            "region_name",
            "kind",
            "code",
            "name",
            "method",
            "base_year",
            "year",
            "value_base",
            "value",
            "change",
            "city_growth",
            "industry_mix",
            "competitive",
        ]
    )
    return {"specialisation": lq, "portfolio": port.drop_columns(["level"]), "shift_share": ss}
