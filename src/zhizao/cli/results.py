"""`zhizao results`: the stored results of any registered instrument, with no command of its own needed."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import DB_OPTION, JSON_OPTION, app, console, fail, show


@app.command()
def results(
    instrument: Optional[str] = typer.Argument(None, help="An instrument (clusters, mujun …); none: list them all."),
    db: Path = DB_OPTION,
    table: Optional[str] = typer.Option(None, "--table", help="Only this result table of the instrument."),
    year: Optional[int] = typer.Option(None, "--year", help="Evaluated year (default: the latest evaluated)."),
    region: Optional[str] = typer.Option(None, "--region", help="Only rows of this region code (region_code)."),
    limit: int = typer.Option(30, "--limit", help="Rows per table on the console (--json prints all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Stored results of the analytics (from `zhizao evaluate`): every registered instrument's tables, read from
    the newest finished run. 查看已存储的分析结果。"""
    import json

    import pyarrow as pa
    import pyarrow.compute as pc

    from ..analytics import INSTRUMENTS
    from ..store import db as store
    from ..store import results as stored

    by_name = {i.name: i for i in INSTRUMENTS}
    if instrument is not None and instrument not in by_name:
        fail(f"unknown instrument {instrument!r}: choose from {', '.join(by_name)}", code=2)
    con = store.open_warehouse(db, read_only=True)
    try:
        have = set(stored.result_tables(con))
        if instrument is None:
            rows = []
            for ins in INSTRUMENTS:
                for t in ins.results:
                    years = _years(con, t) if t in have else []
                    rows.append({"instrument": ins.name, "table": t, "years": ", ".join(map(str, years)) or "—"})
            show(pa.Table.from_pylist(rows), as_json, title=f"{db} — results by instrument", limit=None)
            return
        tables = [t for t in by_name[instrument].results if table in (None, t)]
        if not tables:
            fail(f"{instrument} writes no table {table!r}: {', '.join(by_name[instrument].results)}", code=2)
        out = {}
        for t in tables:
            if t not in have:
                out[t] = None
                continue
            y = year if year is not None else max(_years(con, t), default=None)
            rows = stored.latest(con, t, y) if y is not None else None
            if rows is not None and region and "region_code" in rows.column_names:
                rows = rows.filter(pc.equal(rows["region_code"], region))
            out[t] = (y, rows)
    finally:
        con.close()
    if as_json:
        payload = {
            t: (None if v is None else {"year": v[0], "rows": v[1].to_pylist() if v[1] else []}) for t, v in out.items()
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
        return
    for t, v in out.items():
        if v is None or v[1] is None:
            console.print(f"{t}: not evaluated yet (zhizao evaluate --db {db})", style="yellow")
            continue
        y, rows = v
        shown = rows.drop_columns([c for c in ("result_year",) if c in rows.column_names])
        show(shown, False, title=f"{instrument} · {t} — {y}", limit=limit)


def _years(con, table: str) -> list[int]:
    """Years for which a finished run stored rows in `table`."""
    rows = con.execute(
        f"SELECT DISTINCT t.result_year FROM {table} t JOIN run r ON r.id = t.run_id "
        "WHERE r.status = 'done' AND t.result_year IS NOT NULL ORDER BY 1"
    ).fetchall()
    return [int(y) for (y,) in rows]
