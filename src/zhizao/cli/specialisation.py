"""`zhizao specialisation` and `zhizao opportunities`: where a region is strong and where it could grow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..formats import scaled
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
    fail,
    show,
)


def _show_many(tables: dict, as_json: bool, titles: dict, limit: int | None = 50) -> None:
    """Several result tables: rich tables one after another, or with --json one object keyed by name."""
    import math

    if as_json:
        clean = lambda v: None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v
        typer.echo(
            json.dumps(
                {k: [{c: clean(v) for c, v in r.items()} for r in t.to_pylist()] for k, t in tables.items()},
                ensure_ascii=False,
                default=str,
            )
        )
        return
    for k, t in tables.items():
        show(_readable(t), False, titles.get(k, k), limit)


def _readable(t):
    """Display copy of a result table: money in 亿/万, shares in %, ratios to 2 decimals, short names."""
    import pyarrow as pa

    money_cols = {"value", "value_base", "change", "city_growth", "industry_mix", "competitive", "region_value"}
    pct = {"region_share", "city_share", "cagr", "strong_share"}
    ratio = {
        "lq",
        "lq_change",
        "lq_base",
        "score",
        "feasibility",
        "attractiveness",
        "rca",
        "density",
        "pci",
        "cog",
        "eci",
        "coi",
        "tier_score",
        "target_score",
    }
    rename = {
        "region_name": "region",
        "region_code": "code",
        "region_share": "share",
        "lq_change": "ΔLQ",
        "city_growth": "city growth",
        "industry_mix": "industry mix",
        "competitive": "competitive",
        "strong_clusters": "strong",
        "significant_clusters": "signif.",
        "qualifying_clusters": "qualif.",
        "strong_share": "in strong",
        "strong_list": "strong clusters",
        "value_base": "base",
    }
    cols, names = [], []
    for c in t.column_names:
        if c == "region_code" and "region_name" in t.column_names and "code" in t.column_names:
            continue
        v = t.column(c).to_pylist()
        if c in money_cols:
            v = [scaled(x) if x is not None and x == x else None for x in v]
        elif c in pct:
            v = [f"{x:.1%}" if x is not None and x == x else None for x in v]
        elif c in ratio:
            v = [f"{x:.2f}" if x is not None and x == x else None for x in v]
        cols.append(pa.array(v))
        names.append(rename.get(c, c))
    return pa.Table.from_arrays(cols, names=names)


@app.command()
def specialisation(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    level: str = typer.Option("county", "--level", help="Region level: county or group."),
    by: str = typer.Option("cluster", "--by", help="Units: cluster (the city system) or industry."),
    region: Optional[str] = typer.Option(None, "--region", help="One region (code or name)."),
    base_year: Optional[int] = typer.Option(
        None, "--base-year", help="Base year of growth and shift-share (default: 5 years back)."
    ),
    measure: str = typer.Option("output_value", "--measure", help="output_value, value_added, revenue or employees."),
    region_map: str = MAP_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Location quotients, cluster strength flags (US Cluster Mapping rules), portfolios, shift-share. 专业化分析。"""
    from ..analytics.specialisation import LEVELS, UNITS, command_tables

    if level not in LEVELS:
        fail(f"unknown level {level!r} (choose {' or '.join(LEVELS)})", code=2)
    if by not in UNITS:
        fail(f"unknown unit {by!r} (choose {' or '.join(UNITS)})", code=2)
    with analytics_context(
        db, year, engine, master, base_year=base_year, measure=measure, region_map=region_map
    ) as ctx:
        tables = command_tables(ctx, level=level, by=by, region=region)
    if not as_json:
        console.print(
            "LQ = (x_ru/x_r)/(X_u/X) on " + measure + "; strong = LQ ≥ Q75 and ≥ 1, firms and "
            "value > Q25 (regions of the same level); shift-share: city growth + industry mix + "
            f"competitiveness = change. Regions on the {region_map} map.",
            style="dim",
        )
        # one map for every row (said above): the console keeps its width for the figures
        tables = {k: t.drop_columns(["region_map"]) if "region_map" in t.column_names else t for k, t in tables.items()}
    _show_many(
        tables,
        as_json,
        {
            "specialisation": f"specialisation {ctx.year} by {by} ({level})",
            "portfolio": f"cluster portfolio {ctx.year} ({level})",
            "shift_share": "shift-share (classic: Dunn; dynamic: Barff & Knight)",
        },
        limit=None if region else 50,
    )


# ------------------------------------------------------------------------------------------ opportunities
@app.command()
def opportunities(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    region: Optional[str] = typer.Option(None, "--region", help="One region (code or name)."),
    profile: Optional[str] = typer.Option(
        None,
        "--profile",
        help="Weight profile (balanced, low_hanging_fruit, long_jumps, policy_priority, frontier, atlas_*).",
    ),
    by: str = typer.Option("all", "--by", help="Candidates: industry, cluster or all."),
    top: int = typer.Option(10, "--top", help="Candidates per region and kind (0 = all)."),
    matrix: Optional[Path] = typer.Option(
        None, "--matrix", help="A CSV (region,industry,value): compute from it, no warehouse."
    ),
    reference: Optional[Path] = typer.Option(
        None, "--reference", help="A larger CSV matrix (region,industry,value) to take proximity from."
    ),
    region_map: str = MAP_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Relatedness and complexity (RCA, ECI/PCI, density, COG) and ranked industries/clusters to grow. 增长机会。"""
    from ..analytics import AnalyticsError
    from ..analytics import complexity as cx
    from ..analytics.complexity import policy as cxp

    if matrix is not None:
        try:
            cells = cx.matrix_table(matrix, reference=reference)
        except AnalyticsError as e:
            fail(str(e), code=2)
        show(cells, as_json, f"complexity of {matrix.name}: {cells.num_rows:,} region × industry cells")
        return
    if profile is not None and profile not in cxp.PROFILES:
        fail(f"unknown profile {profile!r} (choose {', '.join(cxp.PROFILES)})", code=2)
    with analytics_context(
        db,
        year,
        engine,
        master,
        profile=profile,
        reference=str(reference) if reference else None,
        region_map=region_map,
    ) as ctx:
        rec, reg = cx.command_table(ctx, region=region, by=by, top=top)
    if as_json:
        show(rec, True)
        return
    prof = profile or cxp.DEFAULT_PROFILE
    w = cxp.PROFILES[prof]
    console.print(
        f"profile {prof}: " + ", ".join(f"{k} {w[k]:.0%}" for k in cxp.WEIGHTS) + f" (tier order: {w['tier_order']})",
        style="dim",
    )
    if region:
        r = reg.to_pylist()[0]
        console.print(
            f"{r['region_name']} ({r['region_code']}) {ctx.year}: ECI {r['eci']:.2f}, COI {r['coi']:.2f}, "
            f"diversity {r['diversity']:.0f}"
        )
    show(
        _readable(
            rec.select(
                [
                    "region_name",
                    "kind",
                    "rank",
                    "code",
                    "name",
                    "score",
                    "feasibility",
                    "attractiveness",
                    "rca",
                    "density",
                    "pci",
                    "quadrant",
                    "reason",
                ]
            )
        ),
        False,
        f"growth opportunities {ctx.year}",
        limit=None if region else 60,
    )
