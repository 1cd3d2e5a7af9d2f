"""`zhizao evaluate`: run every analytics instrument and store the results (zhizao.analytics.evaluate_all)."""

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
    app,
    console,
)


@app.command()
def evaluate(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
    region_map: str = MAP_OPTION,
    mujun_cap: Optional[float] = typer.Option(
        None,
        "--mujun-cap",
        help="亩均: cap every indicator's score at this multiple of its weight (default: the method's; "
        "none published).",
    ),
    as_json: bool = JSON_OPTION,
    warehouse: Optional[Path] = typer.Option(
        None,
        "--warehouse",
        help="A Parquet warehouse folder (zhizao demo --format parquet) to evaluate instead of --db; its results "
        "are written under DIR/results.",
    ),
) -> None:
    """Run every analytics instrument for a year and store the results. 运行全部分析并存储结果。"""
    import json

    from rich.table import Table

    from ..analytics import evaluate_all
    from ..store import parquet

    if warehouse is not None:
        parquet.read_manifest(warehouse)  # a clear error (exit 2) when it is not a Parquet warehouse
        db = warehouse

    # a ZhizaoError (unknown year, no warehouse, a broken pack, an instrument's refusal) exits 2 (cli/common.py)
    options = {"region_map": region_map, "mujun_cap": mujun_cap}
    if as_json:
        summary = evaluate_all(db, year, engine, master=master, options=options)
    else:
        with console.status("evaluate …") as status:
            summary = evaluate_all(
                db, year, engine, master=master, progress=lambda n: status.update(f"{n} …"), options=options
            )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "run": summary.run_id,
                    "year": summary.year,
                    "engine": summary.engine,
                    "seconds": round(summary.seconds, 2),
                    "instruments": summary.as_dict(),
                },
                ensure_ascii=False,
            )
        )
        return
    t = Table(title=f"evaluate {summary.year} on {summary.engine} — run {summary.run_id}")
    for col in ("instrument", "result", "seconds"):
        t.add_column(col)
    for i in summary.instruments:
        t.add_row(i.name, i.summary, f"{i.seconds:.1f}")
    console.print(t)
