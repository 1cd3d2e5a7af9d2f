"""`zhizao report`: an Excel workbook or a PDF briefing for the city, a district or a cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import DB_OPTION, app, console, fail


@app.command()
def report(
    db: Path = DB_OPTION,
    scope: str = typer.Option(..., "--scope", help="city | district | cluster"),
    region: Optional[str] = typer.Option(
        None, "--region", help="Region code or name (a district report; a cluster within a district)."
    ),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Cluster id or name (a cluster report)."),
    year: int = typer.Option(
        ..., "--year", help="Year of the figures and of the analytics run (zhizao evaluate --year)."
    ),
    fmt: str = typer.Option(..., "--format", help="xlsx | pdf"),
    out: Path = typer.Option(..., "--out", help="File to write."),
    user: Optional[str] = typer.Option(
        None, "--user", help="Make the report with this account's rights (default: an administrator's report)."
    ),
    lang: str = typer.Option("zh", "--lang", help="zh (default) | en"),
) -> None:
    """Write a briefing: Excel workbook or PDF. 生成简报（Excel 工作簿或 PDF）。"""
    import time

    import duckdb

    from ..reports import FORMATS, SCOPES, ReportError
    from ..reports.charts import FontMissing
    from ..store.db import WarehouseError
    from ..web.access import Denied, Policy
    from ..web.briefing import make, user_principal
    from ..web.warehouse import Warehouse

    if scope not in SCOPES:
        fail(f"--scope must be one of {', '.join(SCOPES)}, not {scope!r}", code=2)
    if fmt not in FORMATS:
        fail(f"--format must be xlsx or pdf, not {fmt!r}", code=2)
    if lang not in ("zh", "en"):
        fail(f"--lang must be zh or en, not {lang!r}", code=2)
    if not db.exists():
        fail(f"no warehouse at {db}: build one with zhizao demo or zhizao init", code=2)
    if out.exists() and out.is_dir():
        fail(f"--out {out} is a folder: give a file name", code=2)
    if not out.parent.exists():
        fail(f"--out: folder {out.parent} does not exist", code=2)
    t0 = time.perf_counter()
    try:
        wh = Warehouse.open(db, read_only=True)
    except (WarehouseError, duckdb.Error) as e:
        fail(f"cannot open {db}: {e}", code=2)
    try:
        principal = user_principal(wh, user) if user else None
        with console.status(f"report {scope} {year} ({fmt}) …"):
            data = make(
                wh, Policy(wh), principal, scope=scope, year=year, fmt=fmt, region=region, cluster=cluster, lang=lang
            )
    except ReportError as e:
        fail(str(e), code=2)
    except Denied as e:
        fail(f"{e.en} / {e.zh}", code=3)
    except FontMissing as e:
        fail(str(e), code=2)
    finally:
        wh.close()
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        fail(f"cannot write {out}: {e.strerror or e}", code=2)
    who = f"as {user}" if user else "as an administrator (no --user)"
    console.print(f"wrote {out} ({len(data) / 1024:,.0f} KB, {fmt}) {who} in {time.perf_counter() - t0:.1f} s")
