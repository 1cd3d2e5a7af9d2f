"""One import, end to end: validate everything, then load in one transaction or write an error report."""
from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ...reference import Pack, load_pack
from ...reference.pack import PackError
from ...store import db
from .load import LoadResult, load, previous_batches
from .report import default_report_path, write_report
from .validate import Validation, validate


@dataclass
class Outcome:
    validation: Validation
    result: LoadResult | None            # None when nothing was loaded (errors)
    report: Path | None                  # the report written, if any
    previous: list                       # earlier imports of the same content: [(batch id, at)]

    @property
    def ok(self) -> bool:
        return self.result is not None


def default_user() -> str:
    try:
        return getpass.getuser() or "cli"
    except Exception:  # pragma: no cover - no user database in some containers
        return "cli"


def pack_for(con: duckdb.DuckDBPyConnection) -> Pack:
    """The policy pack the warehouse was initialised with (meta `pack_path` / `pack`), else the default."""
    try:
        path = db.get_meta(con, "pack_path")
        name = db.get_meta(con, "pack")
    except duckdb.Error:
        path = name = None
    if path and Path(path).is_dir():
        return load_pack(path)
    return load_pack(name) if name else load_pack()


def run_import(path: str | Path, con: duckdb.DuckDBPyConnection, *, sheet: str | None = None,
               table: str | None = None, dry_run: bool = False, report: str | Path | None = None,
               user: str | None = None, pack: Pack | None = None) -> Outcome:
    """Validate `path`; load it when it is clean. Raises PackError if the pack cannot be loaded."""
    path = Path(path)
    pack = pack or pack_for(con)
    val = validate(path, con, pack, sheet=sheet, table=table)
    if not val.ok:
        rp = Path(report) if report else default_report_path(path, val.kind or "csv")
        try:
            write_report(val, rp)
        except OSError:
            rp = None
        return Outcome(val, None, rp, [])
    prev = previous_batches(con, val.sha256)
    res = load(con, val, actor=user or default_user(), dry_run=dry_run)
    rp = write_report(val, Path(report), res) if report else None
    return Outcome(val, res, rp, prev)


__all__ = ["Outcome", "PackError", "run_import", "pack_for", "default_user"]
