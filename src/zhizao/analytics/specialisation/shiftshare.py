"""Shift-share of a region's growth between the base year and the year evaluated: city growth, industry mix
and the competitive part, per region and per unit (the formulas: analytics/specialisation/__init__.py)."""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from .matrices import city_clusters, firm_figures, floats, map_day, unit_names


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
    names = {"industry": unit_names(ctx, "industry"), "cluster": unit_names(ctx, "cluster")}
    tables = []
    for kind, t in parts:
        n = t.num_rows
        if kind == "region":
            code = t.column("region_code")
            name = t.column("region_name")
        else:
            code = t.column("code")
            name = pa.array([names[kind].get(c) for c in code.to_pylist()], pa.string())
        vb, v = floats(t, "value_base"), floats(t, "value")
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
