"""`zhizao evaluate`: run every analytics instrument and store the results."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


from .common import (
    DB_OPTION,
    ENGINE_OPTION,
    MASTER_OPTION,
    YEAR_OPTION,
    app,
    console,
    fail,
    open_context,
)


@app.command()
def evaluate(
    db: Path = DB_OPTION,
    year: Optional[int] = YEAR_OPTION,
    engine: str = ENGINE_OPTION,
    master: Optional[str] = MASTER_OPTION,
) -> None:
    """Run every analytics instrument for a year and store the results. 运行全部分析并存储结果。"""
    import time

    from rich.table import Table

    from ..analytics import AnalyticsError, available
    from ..store import db as store
    from ..store import results

    ctx = open_context(db, year, engine, master)
    instruments = available()
    if not instruments:
        ctx.close()
        fail("no analytics instruments are installed")
    produced: dict[str, tuple[dict, float]] = {}
    try:
        for ins in instruments:
            t0 = time.perf_counter()
            with console.status(f"{ins.name} …"):
                try:
                    tables = ins.evaluate(ctx)
                except AnalyticsError as e:
                    ctx.close()
                    fail(f"{ins.name}: {e}", code=2)
            produced[ins.name] = (tables, time.perf_counter() - t0)
    finally:
        ctx.close()
    con = store.open_warehouse(db)
    try:
        run = results.start_run(
            con, "evaluate", engine=engine, year=ctx.year, params={"instruments": [i.name for i in instruments]}
        )
        summary = {}
        for ins in instruments:
            tables, secs = produced[ins.name]
            for name, rows in tables.items():
                results.save(con, name, run, ctx.year, rows)
            summary[ins.name] = {"seconds": round(secs, 2), **{k: v.num_rows for k, v in tables.items()}}
        results.finish_run(con, run, summary=summary)
    finally:
        con.close()
    t = Table(title=f"evaluate {ctx.year} on {engine} — run {run}")
    for col in ("instrument", "result", "seconds"):
        t.add_column(col)
    for ins in instruments:
        tables, secs = produced[ins.name]
        t.add_row(ins.name, ins.summarise(tables), f"{secs:.1f}")
    console.print(t)
