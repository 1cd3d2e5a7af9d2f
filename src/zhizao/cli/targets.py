"""`zhizao targets`: the target register and progress."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..formats import in_unit, missing, number
from .common import (
    DB_OPTION,
    ENGINE_OPTION,
    FORMATS,
    MAP_OPTION,
    MASTER_OPTION,
    YEAR_OPTION,
    _fmt,
    _pct,
    analytics_context,
    app,
    console,
    emit,
    err,
    fail,
    show,
)


def _target_value(v, unit: str | None) -> str | None:
    if missing(v):
        return None
    if unit == "yuan":
        return in_unit(v, "亿元", 1) + "亿"
    if unit == "percent":
        return number(v, 2) + "%"  # the value is already in per cent
    if unit in ("count", "vehicle"):
        return number(v, 0)
    return _fmt(v)


@app.command()
def targets(
    db: Path = DB_OPTION,
    proposed: bool = typer.Option(
        False, "--proposed", help="The register as filed, only the targets proposed by the news reader."
    ),
    register: bool = typer.Option(False, "--register", help="The register as filed (no progress)."),
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
    limit: int = typer.Option(60, "--limit", help="Rows on the console (json and jsonl print all)."),
    format: str = typer.Option(
        "table", "--format", "-f", help="table (the console), json (one array) or jsonl (one object per line)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
) -> None:
    """Target progress: baseline, actual, growth so far, required growth, projection, gap and status for every
    registered target; --register / --proposed: the register as filed. One output flag for both: --format
    table | json | jsonl (--json is --format json). 目标进度。"""
    fmt = _output_format(format, as_json)
    if proposed or register:
        rows = _register_rows(db, proposed)
        if fmt == "table":
            _register_console(rows, proposed)
        else:
            emit(rows, fmt)
        return
    if fmt == "jsonl":
        err.print(
            "note: --format jsonl prints each target's progress; the register as filed (what --format jsonl alone "
            "printed before) is --register --format jsonl",
            style="dim",
        )
    import pyarrow as pa

    from ..analytics import targets as tg

    with analytics_context(db, year, engine, master, region_map=region_map) as ctx:
        rows = tg.view(ctx, region=region, cluster=cluster, status=status, with_proposed=with_proposed)
    if fmt != "table":
        emit(rows, fmt)
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


def _output_format(fmt: str, as_json: bool) -> str:
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})", code=2)
    if as_json and fmt not in ("table", "json"):
        fail(f"--json is --format json; it cannot go with --format {fmt}", code=2)
    return "json" if as_json else fmt


REGISTER_COLUMNS = ("id", "entity", "metric", "metric_zh", "value", "unit", "year", "qualifier", "cluster", "proposed")


def _register_rows(db: Path, proposed: bool) -> list[dict]:
    """The target register as filed (all targets, or those the news reader proposed), with the source's title."""
    from ..ingest.news.store import proposed_targets
    from ..store.db import open_warehouse

    con = open_warehouse(db, read_only=True)
    try:
        return proposed_targets(con, proposed_only=proposed)
    finally:
        con.close()


def _register_console(rows: list[dict], proposed: bool) -> None:
    from rich.table import Table

    from ..vocab import label

    t = Table(*REGISTER_COLUMNS, "source", title=("proposed targets" if proposed else "targets"))
    for r in rows:
        r = {**r, "metric_zh": r.get("metric_zh") or label(r["metric"], "zh")}
        cells = [r.get(c) for c in (*REGISTER_COLUMNS, "source")]
        t.add_row(*["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in cells])
    console.print(t)
    if not rows:
        console.print("no proposed targets" if proposed else "no targets")
