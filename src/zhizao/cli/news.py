"""`zhizao extract` and `zhizao ingest`: the news reader."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import (
    DB_OPTION,
    app,
    fail,
)


def _date_option(value: Optional[str]):
    import datetime as _dt

    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--published wants a date like 2024-06-24, not {value!r}")


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Article files (plain text or HTML, UTF-8)."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl (one fact per line) or table."),
    published: Optional[str] = typer.Option(
        None, "--published", help="Article date YYYY-MM-DD when the text carries none."
    ),
    encoding: Optional[str] = typer.Option(
        None, "--encoding", help="Read the files in this encoding (default UTF-8), e.g. gb18030."
    ),
):
    """Read news articles and print the facts they state (value, period, kind, exact quote)."""
    from zhizao.ingest.news.commands import run_extract

    raise typer.Exit(run_extract(files, format, _date_option(published), encoding))


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help="Article files to file in the warehouse."),
    db: Path = DB_OPTION,
    published: Optional[str] = typer.Option(None, "--published", help="Article date YYYY-MM-DD."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="File encoding (default UTF-8)."),
):
    """Store articles as sources with their facts; targets they set are proposed to the register."""
    from zhizao.ingest.news.commands import run_ingest

    raise typer.Exit(run_ingest(files, db, _date_option(published), encoding))
