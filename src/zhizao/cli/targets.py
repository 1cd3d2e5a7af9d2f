"""`zhizao targets`: the target register and progress."""

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
    _fmt,
    _pct,
    analytics_context,
    app,
    console,
    show,
)


def _target_value(v, unit: str | None) -> str | None:
    if v is None or v != v:
        return None
    if unit == "yuan":
        return f"{v / 1e8:,.1f}亿"
    if unit == "percent":
        return f"{v:,.2f}%"
    if unit in ("count", "vehicle"):
        return f"{v:,.0f}"
    return _fmt(v)


@app.command()
def targets(
    db: Path = DB_OPTION,
    proposed: bool = typer.Option(
        False, "--proposed", help="Only targets proposed by the news reader (the list as filed, as before)."
    ),
    format: str = typer.Option(
        "table", "--format", "-f", help="table, or jsonl: the register as stored (no progress)."
    ),
    register: bool = typer.Option(False, "--register", help="List the register as stored (no progress)."),
    with_proposed: bool = typer.Option(False, "--with-proposed", help="Progress of the proposed targets too."),
    region: Optional[str] = typer.Option(None, "--region", help="Only targets of this region (code or name)."),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Only targets about this cluster (id or name)."),
    status: Optional[str] = typer.Option(
        None, "--status", help="Only this status: on track, at risk, off track, achieved, missed, not measurable …"
    ),
    year: Optional[int] = YEAR_OPTION,
    region_map: str = MAP_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    limit: int = typer.Option(60, "--limit", help="Rows on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Target progress: baseline, actual, growth so far, required growth, projection, gap and status for every
    registered target (--proposed, --register, --format jsonl: the register as filed). 目标进度。"""
    if proposed or register or format != "table":
        from .news import run_targets

        raise typer.Exit(run_targets(db, proposed, format))
    import pyarrow as pa

    from ..analytics import targets as tg

    with analytics_context(db, year, engine, master, region_map=region_map) as ctx:
        rows = tg.view(ctx, region=region, cluster=cluster, status=status, with_proposed=with_proposed)
    if as_json:
        show(rows, True)
        return
    if rows.num_rows == 0:
        console.print("no targets match")
        return
    recs = rows.to_pylist()

    def what(r):
        bits = [r["scope_name"] or r["scope_id"]]
        if r["cluster_name"]:
            bits.append(r["cluster_name"])
        return " · ".join(bits) + f" — {r['metric_zh'] or r['metric']} ({r['metric']})"

    def with_year(v, y, unit):
        s = _target_value(v, unit)
        return None if s is None else (f"{s} ({y})" if y else s)

    q = {"over": ">", "at_least": "≥", "about": "≈", "level": "级 ", "under": "<", "at_most": "≤"}
    out = {
        "target": [what(r) for r in recs],
        "goal": [
            q.get(r["qualifier"] or "", "") + (with_year(r["target_value"], r["target_year"], r["unit"]) or "")
            for r in recs
        ],
        "baseline": [with_year(r["baseline_value"], r["baseline_year"], r["unit"]) for r in recs],
        "actual": [with_year(r["actual_value"], r["actual_year"], r["unit"]) for r in recs],
        "growth so far": [_pct(r["growth_so_far"]) for r in recs],
        "required / yr": [
            _pct(r["required_growth"])
            if r["required_growth"] is not None
            else (_target_value(r["required_per_year"], r["unit"]) if r["required_per_year"] is not None else None)
            for r in recs
        ],
        "projection": [_target_value(r["projection"], r["unit"]) for r in recs],
        "status": [r["status"] for r in recs],
    }
    show(pa.table(out), False, title=f"targets 目标进度 — evaluated {ctx.year}", limit=limit)
    rules = []
    for r in recs:
        if r["rule"] and r["rule"] not in rules and r["status"] != "not measurable":
            rules.append(r["rule"])
    for rule in rules:
        console.print(f"rule: {rule}", style="dim")
    nm = sum(1 for r in recs if not r["measurable"])
    if nm:
        console.print(f"{nm} targets are not measurable from the warehouse (see --json: note)", style="dim")
    if any(r["actual_synthetic"] for r in recs):
        console.print(
            "[bold yellow]actuals are SYNTHETIC demo data[/] (invented firms calibrated to published "
            "totals): published targets are compared with made-up figures"
        )


# --- end targets ---
