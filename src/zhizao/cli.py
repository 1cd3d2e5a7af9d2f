"""The `zhizao` command line (typer + rich).

Each command is a thin shell over a library function; errors the user can fix are printed as one
clear message with a non-zero exit code, never a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="智造 zhizao — manufacturing cluster system warehouse, analytics and reports.")
console = Console()
err = Console(stderr=True)

DB_OPTION = typer.Option(Path("zhizao.duckdb"), "--db", help="Warehouse file (DuckDB).")


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
