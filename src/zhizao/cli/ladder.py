"""`zhizao ladder`: the enterprise ladder screening, candidates and pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .common import (
    DB_OPTION,
    ENGINE_OPTION,
    JSON_OPTION,
    MASTER_OPTION,
    YEAR_OPTION,
    analytics_context,
    app,
    console,
    show,
    warehouse_synthetic,
)


def _ladder_console(name: str, rows, pack):
    import pyarrow as pa

    recs = rows.to_pylist()
    cols = {
        "ladder_pipeline": [
            "tier_name",
            "metric_zh",
            "kind",
            "scope_name",
            "period",
            "target",
            "achieved",
            "gap",
            "candidates",
            "confirmed",
            "covered",
            "covered_by_candidates",
            "years_left",
            "needed_per_year",
        ],
        "ladder_district": [
            "region_name",
            "tier",
            "screened",
            "holders",
            "above",
            "candidates",
            "confirmed",
            "not_met",
        ],
        "ladder_candidates": ["region", "uscc", "name", "tier", "screen", "met", "unknown", "score_low", "score_high"],
        "ladder_criteria": [
            "tier",
            "criterion",
            "kind",
            "label_zh",
            "met",
            "not_met",
            "unknown",
            "scored",
            "not_applicable",
        ],
        "firm": [
            "tier",
            "holder",
            "holds_higher",
            "screen",
            "status",
            "met",
            "not_met",
            "unknown",
            "failed",
            "score_low",
            "score_high",
        ],
        "screening": [
            "tier",
            "criterion",
            "label_zh",
            "status",
            "figure_measure",
            "figure",
            "figure_2_measure",
            "figure_2",
            "points_low",
            "points_high",
        ],
    }[name]
    out = {}
    for c in cols:
        if c == "region":
            out[c] = [
                pack.regions[r["region_code"]].name_zh if r["region_code"] in pack.regions else r["region_code"]
                for r in recs
            ]
        else:
            out[c] = [None if isinstance(r[c], float) and r[c] != r[c] else r[c] for r in recs]
    return pa.table(out)


@app.command()
def ladder(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    tier: Optional[str] = typer.Option(
        None,
        "--tier",
        help="A tier key of the pack's ladder (innovative_sme, srdi_sme, little_giant, single_champion …).",
    ),
    region: Optional[str] = typer.Option(None, "--region", help="A county or group, by code or name."),
    uscc: Optional[str] = typer.Option(
        None, "--uscc", help="One firm: every criterion of every tier, with its status and the figure used."
    ),
    view: Optional[str] = typer.Option(
        None,
        "--show",
        help="pipeline, districts, candidates or criteria (default: candidates with --tier, else pipeline).",
    ),
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(50, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The enterprise ladder: firms screened against each tier's criteria (met / not met / unknown), candidates
    per district, pipeline against the targets. 优质中小企业梯度培育筛选。"""
    import math

    from ..analytics import ladder as gr

    with analytics_context(db, year, engine, master) as ctx:
        tables = gr.view(ctx, tier=tier, region=region, uscc=uscc, show=view)
        synthetic = warehouse_synthetic(ctx)
    if as_json:
        if len(tables) == 1:
            show(next(iter(tables.values())), True)
        else:
            clean = lambda v: None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v
            typer.echo(
                json.dumps(
                    {k: [{c: clean(v) for c, v in r.items()} for r in t.to_pylist()] for k, t in tables.items()},
                    ensure_ascii=False,
                    default=str,
                )
            )
        return
    titles = {
        "ladder_pipeline": "pipeline against the targets 梯度培育目标",
        "ladder_district": "districts 区县",
        "ladder_candidates": "candidates 候选企业 (meet every criterion the warehouse can test)",
        "ladder_criteria": "criteria 认定条件",
        "firm": f"firm {uscc}",
        "screening": f"criteria for {uscc}",
    }
    for name, rows in tables.items():
        show(
            _ladder_console(name, rows, ctx.pack),
            False,
            title=f"{titles[name]}, {ctx.year}",
            limit=None if name in ("firm", "screening") else limit,
        )
    note = (
        "unknown = the warehouse holds no figure for it (IP, market share, awards …) or the firm's figure is "
        "missing; candidates meet every criterion that can be tested and do not hold the tier or a higher one"
    )
    if synthetic:
        note += "; SYNTHETIC demo data (invented firms calibrated to published totals)"
    console.print(note, style="dim")
