"""`zhizao chains`: chain coverage, 招商 lists and chain leaders' suppliers."""

from __future__ import annotations

import json
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
)

_CHAIN_COLUMNS = {
    "chains": [
        "chain_id",
        "chain_name",
        "scope",
        "nodes",
        "firms",
        "output",
        "covered",
        "thin",
        "gap",
        "counties_on_chain",
        "leaders",
        "local_supply_rate",
    ],
    "leaders": [
        "chain_id",
        "leader",
        "leader_name",
        "region_name",
        "purchases",
        "suppliers",
        "local_rate",
        "group_rate",
        "core_suppliers",
        "core_same_county",
        "core_same_group",
    ],
    "nodes": [
        "node_id",
        "node_name",
        "stage",
        "firms",
        "leaders",
        "output",
        "node_share",
        "expected_share",
        "status",
        "thin_rule",
        "extend",
        "firms_city",
    ],
    "counties": ["region_code", "region_name", "firms", "output", "covered", "thin", "gap", "extend"],
    "coverage": [
        "chain_id",
        "node_name",
        "stage",
        "firms",
        "leaders",
        "output",
        "node_share",
        "expected_share",
        "status",
        "thin_rule",
        "extend",
    ],
    "recruitment": ["rank", "chain_id", "node_name", "action", "shortfall", "reason"],
    "leader": [
        "chain_id",
        "leader_name",
        "region_name",
        "region_group",
        "purchases",
        "suppliers",
        "local_rate",
        "group_rate",
        "core_suppliers",
        "core_same_county",
        "core_same_group",
    ],
    "suppliers": [
        "chain_id",
        "node_name",
        "stage",
        "supplier_region_name",
        "same_county",
        "same_group",
        "suppliers",
        "amount",
        "share",
    ],
}


_CHAIN_MONEY = {"output", "shortfall", "purchases", "amount", "expected_output"}
_CHAIN_RATES = {"local_supply_rate", "node_share", "expected_share", "local_rate", "group_rate", "share"}


def _chain_display(rows, columns):
    """Console view: the chosen columns, money in 亿 yuan, shares in per cent."""
    import pyarrow as pa

    cols = [c for c in columns if c in rows.column_names]
    out = {}
    for c in cols:
        vals = rows.column(c).to_pylist()
        if c in _CHAIN_MONEY:
            out[c + " (亿)"] = [None if v is None or v != v else f"{v / 1e8:,.2f}" for v in vals]
        elif c in _CHAIN_RATES:
            out[c] = [None if v is None or v != v else f"{v:.1%}" for v in vals]
        else:
            out[c] = vals
    return pa.table(out) if out else rows


@app.command()
def chains(
    db: Path = DB_OPTION,
    chain: Optional[str] = typer.Option(None, "--chain", help="A chain id (default: a summary of every chain)."),
    region: Optional[str] = typer.Option(
        None, "--region", help="A county or region group, by code or name: its coverage and ranked 招商 list."
    ),
    leader: Optional[str] = typer.Option(None, "--leader", help="A chain leader's USCC: its supplier network."),
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    region_map: str = MAP_OPTION,
    limit: int = typer.Option(30, "--limit", help="Rows per table on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Industry chains: 补链 gaps, 强链 thin nodes, 延链 next steps, 链主 supplier networks, ranked 招商 lists.
    产业链补链强链延链与链主配套分析。"""
    import math

    from ..analytics import chains as ch

    with analytics_context(db, year, engine, master, region_map=region_map) as ctx:
        views = ch.view(ctx, chain=chain, region=region, leader=leader)
        synthetic = ch.synthetic_firms(ctx)
    if as_json:

        def clean(v):
            return None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v

        typer.echo(
            json.dumps(
                {key: [{k: clean(v) for k, v in r.items()} for r in rows.to_pylist()] for key, _, rows in views},
                ensure_ascii=False,
                default=str,
            )
        )
        return
    for key, title, rows in views:
        show(_chain_display(rows, _CHAIN_COLUMNS.get(key, rows.column_names)), False, title=title, limit=limit)
    note = f"region map: {region_map}; year {ctx.year}"
    if synthetic:
        note += f"; SYNTHETIC demo data: {synthetic:,} invented firms (synthetic = true, names marked （演示）)"
    console.print(note, style="dim")
