"""`zhizao mujun`: 亩均论英雄 scores, classes and ranks."""

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
    analytics_context,
    app,
    console,
    show,
    warehouse_synthetic,
)

_MUJUN_FIRM_COLUMNS = (
    "rank_region",
    "rank_industry",
    "uscc",
    "name",
    "class",
    "total_score",
    "top_indicator",
    "top_share",
    "missing",
)


def _mujun_console(name: str, rows, pack):
    """Console view of a 亩均 table: the columns that fit (--json has them all), names, rounded figures."""
    import pyarrow as pa

    recs = rows.to_pylist()
    r2 = lambda v: None if v is None or v != v else (round(v, 2) if abs(v) < 1e4 else round(v))
    fmt = lambda r, c: r2(r[c]) if isinstance(r[c], float) else r[c]
    region = lambda code: pack.regions[code].name_zh if code in pack.regions else code
    if name == "mujun_score":
        out = {"region": [region(r["eval_region"]) for r in recs]}
        out.update({c: [fmt(r, c) for r in recs] for c in _MUJUN_FIRM_COLUMNS})
        return pa.table(out)
    if name == "mujun_completion":
        out = {"region": [region(r["eval_region"]) for r in recs]}
        out.update({c: [r[c] for r in recs] for c in ("uscc", "name", "industry_code", "missing_figures")})
        return pa.table(out)
    if name == "mujun_policy":
        keep = ["class", "class_name", "policy_zh", "firms", "share_of_rated", "mean_score"]
        return pa.table({c: [fmt(r, c) for r in recs] for c in keep})
    key = "region_name" if name == "mujun_region" else "park_name"
    classes = [c for c in rows.column_names if c.startswith("class_")]
    inds = rows.column_names[rows.column_names.index("land_mu") + 1 : rows.column_names.index("mean_score")][:2]
    keep = [key, "firms", "rated"] + inds + ["mean_score"] + classes
    return pa.table({c: [fmt(r, c) for r in recs] for c in keep})


@app.command()
def mujun(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    method: Optional[str] = typer.Option(
        None, "--method", help="A 亩均 method id of the pack (default: the pack's default, e.g. huangyan-2022)."
    ),
    region: Optional[str] = typer.Option(None, "--region", help="A county or group, by code or name."),
    klass: Optional[str] = typer.Option(
        None,
        "--class",
        help="Only firms of this class (A, B, C, D, or the not-rated class T): the differentiated-policy list.",
    ),
    by: Optional[str] = typer.Option(
        None,
        "--by",
        help="firm, region, park, class, or completion (firms lacking a figure the method needs, e.g. land) "
        "(default: firm with --region or --class, else region).",
    ),
    cap: Optional[float] = typer.Option(
        None,
        "--cap",
        help="Cap every indicator's score at this multiple of its weight (a method setting; the published "
        "methods have none).",
    ),
    region_map: str = MAP_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(50, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """亩均论英雄: per-mu benefit scores, classes A-D (and not rated), ranks, district/park/class figures.
    亩均效益综合评价。"""
    from ..analytics import mujun as mj

    with analytics_context(db, year, engine, master, region_map=region_map, mujun_cap=cap) as ctx:
        name, rows = mj.view(ctx, method=method, region=region, klass=klass, by=by)
        m = mj.method_for(ctx, method)
        synthetic = warehouse_synthetic(ctx)
    if as_json:
        show(rows, True)
        return
    titles = {
        "mujun_score": "firms 企业亩均评价",
        "mujun_region": "districts 区县亩均",
        "mujun_park": "parks 园区亩均",
        "mujun_policy": "classes and their policies 分类与差别化政策",
        "mujun_completion": "firms to complete (a figure the method needs is missing) 待补充数据企业",
    }
    show(
        _mujun_console(name, rows, ctx.pack),
        False,
        title=f"{titles[name]} — {m.name_zh} ({m.id}), {ctx.year}",
        limit=limit,
    )
    note = (
        f"score = Σ value / benchmark × weight ({', '.join(f'{i.key} {i.weight:g}' for i in m.indicators)}); "
        f"classes by {m.class_rule}; {m.not_rated.get('label', 'T')} = not rated; "
        + (f"each indicator capped at {m.cap:g} × its weight" if m.cap else "no cap (none published)")
        + f"; region map {region_map}"
    )
    if synthetic:
        note += "; SYNTHETIC demo data (invented firms calibrated to published totals)"
    console.print(note, style="dim")
