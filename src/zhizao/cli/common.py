"""What every `zhizao` command shares: the typer app, the consoles, common options, one error path, and
printing a result table as rich or JSON.

The one error path: every command registered on `app` (or on a group made with `Typer`) runs inside a guard
that turns a `ZhizaoError` into one line on standard error and the error's exit code, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import ZhizaoError
from ..formats import in_unit, missing, percent, plain

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


class Typer(typer.Typer):
    """typer.Typer whose commands print a ZhizaoError as one clear message and exit with its code."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorator(fn):
            @functools.wraps(fn)
            def guarded(*a, **kw):
                try:
                    return fn(*a, **kw)
                except ZhizaoError as e:
                    fail(str(e), code=e.exit_code)

            return register(guarded)

        return decorator


app = Typer(
    add_completion=False,
    no_args_is_help=True,
    help="智造 zhizao — manufacturing cluster system warehouse, analytics and reports.",
)

DB_OPTION = typer.Option(Path("zhizao.duckdb"), "--db", help="Warehouse file (DuckDB).")


ENGINE_OPTION = typer.Option("duckdb", "--engine", help="Where analytics run: duckdb (default) or spark.")
MASTER_OPTION = typer.Option(None, "--master", help="Spark master URL (default local[*]).")
YEAR_OPTION = typer.Option(None, "--year", help="Year to evaluate (default: the latest in the warehouse).")
JSON_OPTION = typer.Option(False, "--json", help="Print the result as JSON instead of a table.")
MAP_OPTION = typer.Option(
    "current",
    "--map",
    help="Region map: current (today's map: a merged district's firms count in its successor; the default) "
    "or recorded (firms where they were recorded).",
)


def open_context(db: Path, year: Optional[int], engine: str = "duckdb", master: Optional[str] = None, **options):
    """An analytics Context, or a clear error and exit code 2 for input the user can fix."""
    from ..analytics import Context

    try:
        return Context.open(db, year, engine=engine, master=master, **options)
    except ZhizaoError as e:
        fail(str(e), code=2)


@contextlib.contextmanager
def analytics_context(db: Path, year: Optional[int], engine: str = "duckdb", master: Optional[str] = None, **options):
    """`open_context` for one command's work: the instrument's errors become a clear message and exit code 2,
    and the context is closed whatever happens."""
    ctx = open_context(db, year, engine, master, **options)
    try:
        yield ctx
    except ZhizaoError as e:
        fail(str(e), code=2)
    finally:
        ctx.close()


FORMATS = ("table", "json", "jsonl")


def emit(rows, fmt: str) -> None:
    """Print records (a pyarrow table or a list of dicts) as one JSON array (json) or one JSON object per line
    (jsonl); NaN and infinities are null."""
    import json
    import math

    def clean(v):
        return None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v

    records = rows if isinstance(rows, list) else rows.to_pylist()
    data = [{k: clean(v) for k, v in r.items()} for r in records]
    if fmt == "jsonl":
        for r in data:
            typer.echo(json.dumps(r, ensure_ascii=False, default=str))
    else:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str, indent=None))


def show(rows, as_json: bool, title: str = "", limit: int | None = 50) -> None:
    """Print a pyarrow table as a rich table (first `limit` rows) or, with --json, all rows as JSON."""
    from rich.table import Table

    if as_json:
        emit(rows, "json")
        return
    t = Table(title=title or None)
    for name in rows.column_names:
        t.add_column(name, overflow="fold")
    for r in rows.slice(0, limit if limit else rows.num_rows).to_pylist():
        t.add_row(*[_fmt(v) for v in r.values()])
    console.print(t)
    if limit and rows.num_rows > limit:
        console.print(f"… {rows.num_rows - limit:,} more rows (--json prints all)", style="dim")


def _fmt(v) -> str:
    return plain(v)


def _pct(v) -> str | None:
    """A ratio as per cent for a CLI column; None (shown as —, null in JSON) for none."""
    return None if missing(v) else percent(v)


def _yi(v) -> str | None:
    """Yuan in 亿 for a CLI column headed (亿); None for none."""
    return in_unit(v, "亿元")


def warehouse_synthetic(ctx) -> bool:
    """Whether the warehouse is a synthetic demo (meta key synthetic = 'true')."""
    from ..analytics.measures import warehouse_is_synthetic

    return warehouse_is_synthetic(ctx)


# --- end clusters ---
