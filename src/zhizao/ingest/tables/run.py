"""One import, end to end: validate everything, then load in one transaction or write an error report."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ...errors import ZhizaoError
from ...reference import Pack, load_pack
from ...reference.pack import PackError
from ...store import db
from .load import LoadResult, load, previous_batches
from .report import default_report_path, write_report
from .staged import Validation
from .validate import validate


@dataclass
class Outcome:
    validation: Validation
    result: LoadResult | None  # None when nothing was loaded (errors)
    report: Path | None  # the report written, if any
    previous: list  # earlier imports of the same content: [(batch id, at)]

    @property
    def ok(self) -> bool:
        return self.result is not None


def default_user() -> str:
    try:
        return getpass.getuser() or "cli"
    except (KeyError, OSError):  # pragma: no cover - no user database in some containers
        return "cli"


WRITERS = {"admin", "city", "district"}


class ImportRefused(ZhizaoError):
    """The user may not import at all (a `public` user); one message, nothing is checked or written."""


def user_role(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str | None, str | None]:
    """(role, region) of a registered user; (None, None) for a name not in `app_user` (the operator at
    the command line, who has the warehouse file in hand anyway)."""
    try:
        row = con.execute("SELECT role, region_code FROM app_user WHERE name = ?", [name]).fetchone()
    except duckdb.Error:
        return None, None
    return (row[0], row[1]) if row else (None, None)


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


def run_import(
    path: str | Path,
    con: duckdb.DuckDBPyConnection,
    *,
    sheet: str | None = None,
    table: str | None = None,
    dry_run: bool = False,
    report: str | Path | None = None,
    user: str | None = None,
    pack: Pack | None = None,
) -> Outcome:
    """Validate `path`; load it when it is clean. Raises PackError if the pack cannot be loaded."""
    path = Path(path)
    pack = pack or pack_for(con)
    actor = user or default_user()
    role, region = user_role(con, actor)
    if role is not None and role not in WRITERS:
        raise ImportRefused(
            f"用户 {actor} 的角色是 {role}，无权导入数据 / user {actor} has role {role!r}, "
            f"which may not import (roles that may: {', '.join(sorted(WRITERS))})"
        )
    if role == "district" and not region:
        raise ImportRefused(f"区县用户 {actor} 没有所属区县 / district user {actor} has no region")
    val = validate(path, con, pack, sheet=sheet, table=table, district=region if role == "district" else None)
    if not val.ok:
        # beside the input only when the input is a regular file (never /dev/null.errors.csv), or where asked
        rp = Path(report) if report else (default_report_path(path, val.kind or "csv") if path.is_file() else None)
        if rp is not None:
            try:
                write_report(val, rp)
            except OSError:
                rp = None
        return Outcome(val, None, rp, [])
    prev = previous_batches(con, val.sha256)
    res = load(con, val, actor=actor, dry_run=dry_run)
    rp = write_report(val, Path(report), res) if report else None
    return Outcome(val, res, rp, prev)


__all__ = ["ImportRefused", "Outcome", "PackError", "run_import", "pack_for", "default_user", "user_role"]
