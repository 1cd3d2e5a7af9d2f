"""`zhizao extract` and `zhizao ingest`: the news reader on the console (`zhizao targets --register`, in
cli/targets.py, lists the targets they filed).

The library (zhizao.ingest.news) reads and files articles; this module only shows what it did. Fact lines
go to standard output only, so `--format jsonl` output is clean JSON lines; every message about a file
(skipped, failed, no date) goes to standard error, one line each, and the batch goes on. The exit code is
1 when any file failed, 2 for options that make no sense.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

import typer

from .common import DB_OPTION, app, fail

FACT_COLUMNS = [
    "article",
    "entity",
    "entity_type",
    "metric",
    "value",
    "unit",
    "period",
    "kind",
    "cluster",
    "qualifier",
    "quote",
]


def _cell(d: dict, col: str) -> str:
    v = d.get(col)
    if v is None:
        return ""
    return f"{v:g}" if col == "value" else str(v)


def _outcomes(files, published, encoding, time_limit, err: TextIO):
    """The batch's outcomes, with each file's messages written to `err` as it is read."""
    from zhizao.ingest.news.batch import read_files

    for o in read_files(files, published, encoding, time_limit):
        if o.error:
            print(f"{o.path}: {o.error}", file=err)
        for w in o.warnings:
            print(f"{o.path}: warning: {w}", file=err)
        yield o


def _check_limit(time_limit: float | None, err: TextIO) -> bool:
    if time_limit is not None and not time_limit > 0:
        print(f"--time-limit wants a positive number of seconds, not {time_limit!r}", file=err)
        return False
    return True


def run_extract(
    files: list[Path],
    fmt: str = "jsonl",
    published: dt.date | None = None,
    encoding: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    time_limit: float | None = None,
) -> int:
    """Print the facts of each file, as JSON lines (streamed, file by file) or as one table."""
    from zhizao.ingest.news.batch import DEFAULT_TIME_LIMIT

    out, err = out or sys.stdout, err or sys.stderr
    if fmt not in ("jsonl", "table"):
        print(f"unknown format {fmt!r} (jsonl or table)", file=err)
        return 2
    if not _check_limit(time_limit, err):
        return 2
    failed = 0
    rows: list[dict] = []
    for o in _outcomes(files, published, encoding, time_limit or DEFAULT_TIME_LIMIT, err):
        if not o.ok:
            failed += 1
            continue
        for f in o.facts:
            if fmt == "jsonl":
                out.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
            else:
                rows.append(f.to_dict())
        out.flush()
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        t = Table(*FACT_COLUMNS, show_lines=False)
        for d in rows:
            t.add_row(*[_cell(d, c) for c in FACT_COLUMNS])
        Console(file=out, width=220).print(t)
        out.flush()
    return 1 if failed else 0


def run_ingest(
    files: list[Path],
    db: Path,
    published: dt.date | None = None,
    encoding: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    actor: str = "news-reader",
    time_limit: float | None = None,
) -> int:
    """File each article with its facts in the warehouse; one line per file says what was added."""
    from zhizao.ingest.news.batch import DEFAULT_TIME_LIMIT
    from zhizao.ingest.news.store import ingest
    from zhizao.store.db import WarehouseError, open_warehouse

    out, err = out or sys.stdout, err or sys.stderr
    if not _check_limit(time_limit, err):
        return 2
    try:
        con = open_warehouse(db)
    except WarehouseError as e:
        print(f"error: {e}", file=err)
        return 1
    failed = 0
    try:
        for o in _outcomes(files, published, encoding, time_limit or DEFAULT_TIME_LIMIT, err):
            if not o.ok:
                failed += 1
                continue
            try:
                r = ingest(con, o.article, o.facts, actor=actor)
            except Exception as e:  # noqa: BLE001 - one article that fails to store must not stop the batch
                print(f"{o.path}: failed to store: {type(e).__name__}: {e}", file=err)
                failed += 1
                continue
            if r.added:
                print(f"{o.path}: source {r.source_id}: {r.facts} facts, {r.targets} proposed targets", file=out)
            else:
                print(f"{o.path}: already in the warehouse as {r.source_id}; nothing added", file=out)
    finally:
        con.close()
    return 1 if failed else 0


def _date_option(value: str | None):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--published wants a date like 2024-06-24, not {value!r}")


TIME_LIMIT_OPTION = typer.Option(
    30.0, "--time-limit", help="Seconds one file may take; a file over it is skipped with a message."
)


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Article files (plain text or HTML, UTF-8)."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl (one fact per line) or table."),
    published: str | None = typer.Option(
        None, "--published", help="Article date YYYY-MM-DD when the text carries none."
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="Read the files in this encoding (default UTF-8), e.g. gb18030."
    ),
    time_limit: float = TIME_LIMIT_OPTION,
):
    """Read news articles and print the facts they state (value, period, kind, exact quote)."""
    raise typer.Exit(run_extract(files, format, _date_option(published), encoding, time_limit=time_limit))


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help="Article files to file in the warehouse."),
    db: Path = DB_OPTION,
    published: str | None = typer.Option(None, "--published", help="Article date YYYY-MM-DD."),
    encoding: str | None = typer.Option(None, "--encoding", help="File encoding (default UTF-8)."),
    time_limit: float = TIME_LIMIT_OPTION,
):
    """Store articles as sources with their facts; targets they set are proposed to the register."""
    raise typer.Exit(run_ingest(files, db, _date_option(published), encoding, time_limit=time_limit))
