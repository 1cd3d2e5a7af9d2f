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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import AnalyticsError
from .matrices import (
    LEVELS,
    MEASURES,
    UNITS,
    check_base_year,
    check_choice,
    city_clusters,
    default_base_year,
    floats,
    location_quotients,
    map_day,
    region_industry,
    resolve_region,
    unit_matrix,
    unit_names,
)
from .shiftshare import empty_shift_share, shift_share_expr, shift_share_table

# what callers (cli/specialisation.py, the web, the tests) use of the parts
__all__ = ["LEVELS", "MEASURES", "UNITS", "default_base_year", "location_quotients", "map_day", "region_industry"]
__all__ += ["resolve_region", "shift_share_expr", "shift_share_table", "unit_matrix"]


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
    lq = floats(cur, "lq")
    flags = strength_flags(unit_idx.astype(np.int64), lq, floats(cur, "firms"), floats(cur, "x"))
    names = unit_names(ctx, by)
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
        x = floats(out, "value")
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
    np.add.at(X, (r_idx, i_idx[:n_ri]), floats(ri, "x"))
    S = np.zeros((len(cl_ids), len(inds)))
    S[c_idx, i_idx[n_ri:]] = floats(ci, "share")
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
    lq = floats(clusters, "lq")
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


# ------------------------------------------------------------------------------------------ evaluate
def evaluate(ctx, *, levels: Iterable[str] | None = None) -> dict[str, pa.Table]:
    """For ctx.year: `specialisation` (region × industry), `cluster_strength` (region × cluster),
    `cluster_portfolio` (region) at every level, and `shift_share` against the base year."""
    measure = check_choice(ctx.options.get("measure") or "output_value", MEASURES, "measure")
    levels = list(levels) if levels else ([ctx.options["level"]] if ctx.options.get("level") else list(LEVELS))
    for lv in levels:
        check_choice(lv, LEVELS, "level")
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
    from .. import regionmap as rm

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
    check_choice(level, LEVELS, "level")
    check_choice(by, UNITS, "unit")
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
