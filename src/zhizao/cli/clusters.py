"""`zhizao clusters`: cluster figures per cluster, tier, region and group."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import (
    DB_OPTION,
    ENGINE_OPTION,
    JSON_OPTION,
    MAP_OPTION,
    MASTER_OPTION,
    YEAR_OPTION,
    _pct,
    _yi,
    analytics_context,
    app,
    console,
    fail,
    show,
    warehouse_synthetic,
)

_CLUSTER_MEASURES = ("output_value", "value_added", "revenue", "tax", "fixed_investment", "tech_renovation_investment")


def _unit_label(r: dict) -> str:
    if r["scope"] == "all":
        return "全部 all firms"
    if r["scope"] == "sections":
        return "工业 " + r["unit_id"].split(":", 1)[1]
    if r["scope"] == "tier":
        return f"{r['tier']} {r['cluster_name']} (tier)"
    return f"{r['cluster_id']} {r['cluster_name']}"


@app.command()
def clusters(
    db: Path = DB_OPTION,
    region: Optional[str] = typer.Option(
        None, "--region", help="A county, group or sub-group, by code or name (default: the city)."
    ),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="A cluster id or name: it in every region."),
    system: Optional[str] = typer.Option(None, "--system", help="A cluster system id or label (33618, 2+2+4 …)."),
    level: Optional[str] = typer.Option(
        None, "--level", help="Only regions of this level: county, subgroup, group, functional_area, province."
    ),
    measure: str = typer.Option(
        "output_value", "--measure", help="Figure shown on the console: " + ", ".join(_CLUSTER_MEASURES) + "."
    ),
    region_map: str = MAP_OPTION,
    honours: bool = typer.Option(
        False, "--honours", help="Honour counts (智能工厂, 数字化车间, ladder …) held and new, instead of the figures."
    ),
    all_years: bool = typer.Option(False, "--all-years", help="Every year up to --year, not just that year."),
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(60, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Cluster figures: output, value added, revenue, tax, investment, firms, growth and shares of the city,
    per cluster, tier, region and group; --honours for 智改数转 counts. 产业集群统计。"""
    import pyarrow as pa

    from ..analytics import clusters as cl

    if measure not in _CLUSTER_MEASURES:
        fail(f"unknown measure {measure!r}: choose one of {', '.join(_CLUSTER_MEASURES)}", code=2)
    with analytics_context(db, year, engine, master) as ctx:
        tables = cl.view(
            ctx,
            region=region,
            cluster=cluster,
            system=system,
            level=level,
            region_map=region_map,
            all_years=all_years,
            honours=honours,
        )
        synthetic = warehouse_synthetic(ctx)
    rows = tables["cluster_honours" if honours else "cluster_figures"]
    if as_json:
        show(rows, True)
        return
    if rows.num_rows == 0:
        console.print("no rows: no firm of these clusters in this region and year")
    recs = rows.to_pylist()
    base = {"year": [r["year"] for r in recs]} if all_years else {}
    base.update({"region": [r["region_name"] for r in recs], "cluster": [_unit_label(r) for r in recs]})
    if honours:
        names = {k.key: k.name_zh for k in ctx.pack.ladder.honour_kinds}
        out = {
            **base,
            "honour": [names.get(r["kind"], r["kind"]) for r in recs],
            "held": [r["held"] for r in recs],
            "held growth": [_pct(r["held_growth"]) for r in recs],
            "new": [r["new"] for r in recs],
            "new growth": [_pct(r["new_growth"]) for r in recs],
            "held share of city": [_pct(r["held_share_of_city"]) for r in recs],
        }
        title = "honours held and new 荣誉"
    else:
        m = measure
        out = {
            **base,
            "firms": [r["firms"] for r in recs],
            "firms growth": [_pct(r["firms_growth"]) for r in recs],
            f"{m} (亿)": [_yi(r[m]) for r in recs],
            "growth": [_pct(r[f"{m}_growth"]) for r in recs],
            "share of city": [_pct(r[f"{m}_share_of_city"]) for r in recs],
            "share of region": [_pct(r[f"{m}_share_of_region"]) for r in recs],
        }
        title = f"cluster figures 产业集群 — {m}"
    show(pa.table(out), False, title=f"{title}, map {region_map}", limit=limit)
    note = (
        f"year {ctx.year}; map {region_map}; firms = whole firms whose industry maps to the cluster with a share "
        f"> 0 (figures count by share); growth = on the year before"
    )
    if synthetic:
        note += "; SYNTHETIC demo data (invented firms calibrated to published totals)"
    console.print(note, style="dim")
