"""The warehouse file: open it, bring its schema up to date, read and write its metadata.

Migrations are the numbered SQL files in `store/migrations/` (`0001_warehouse.sql`, ...); each is
applied once, in order, inside a transaction, and recorded in `schema_migrations`.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path
from typing import Iterator

import duckdb

from ..errors import ZhizaoError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class WarehouseError(ZhizaoError, RuntimeError):
    """A warehouse that cannot be opened or used as asked (missing, not initialised, too new)."""

    exit_code = 2


def migrations() -> list[tuple[int, str, Path]]:
    out = []
    for p in sorted(MIGRATIONS_DIR.glob("*.sql")):
        mt = _NAME.match(p.name)
        if mt:
            out.append((int(mt.group(1)), mt.group(2), p))
    return out


def latest_version() -> int:
    ms = migrations()
    return ms[-1][0] if ms else 0


LOCK_WAIT_SECONDS = 600.0  # how long an open waits for another process's lock (ZHIZAO_LOCK_WAIT overrides)


def lock_wait() -> float:
    try:
        return float(os.environ.get("ZHIZAO_LOCK_WAIT", LOCK_WAIT_SECONDS))
    except ValueError:
        return LOCK_WAIT_SECONDS


def _locked(e: Exception) -> bool:
    """Another process holds the file, or (in this process) a connection of the other kind is open on it."""
    msg = str(e)
    return "Could not set lock" in msg or "Conflicting lock" in msg or "different configuration" in msg


def connect(
    path: str | Path, *, read_only: bool = False, create: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file. Without `create`, a missing file is an error rather than a new empty file.

    DuckDB lets one process write a file, and no other process open it meanwhile: when another process holds
    it, this waits (retrying with back-off) up to `wait` seconds (default ZHIZAO_LOCK_WAIT, 600) — writers take
    turns instead of failing — then says who holds it."""
    path = Path(path)
    if not create and not path.exists():
        raise WarehouseError(f"no warehouse at {path} (create one with `zhizao init --db {path}` or `zhizao demo`)")
    new = create and not path.exists()
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (lock_wait() if wait is None else wait)
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if new:  # the warehouse holds app_user's password hashes: the owner's alone, whatever the umask
                os.chmod(path, 0o600)
            return con
        except (duckdb.IOException, duckdb.ConnectionException) as e:
            if _locked(e) and time.monotonic() < deadline:
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 1.0)
                continue
            raise WarehouseError(f"cannot open {path}: {e}") from None
        except duckdb.Error as e:
            raise WarehouseError(f"{path} is not a DuckDB warehouse: {e}") from None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    v = con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    return int(v or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration newer than the file's version; returns the versions applied."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP DEFAULT current_timestamp)""")
    current = schema_version(con)
    if current > latest_version():
        raise WarehouseError(
            f"warehouse schema version {current} is newer than this zhizao ({latest_version()}); upgrade zhizao"
        )
    applied = []
    for version, name, path in migrations():
        if version <= current:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
        applied.append(version)
    return applied


def require_current(con: duckdb.DuckDBPyConnection, path: str | Path = "") -> None:
    v = schema_version(con)
    if v == 0:
        raise WarehouseError(
            f"{path or 'the file'} is not an initialised zhizao warehouse (run `zhizao init --db {path or 'PATH'}`)"
        )
    if v < latest_version():
        raise WarehouseError(
            f"{path} has schema version {v}, this zhizao needs {latest_version()} "
            f"(run `zhizao init --db {path}` to migrate)"
        )


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends normally, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def audit(
    con: duckdb.DuckDBPyConnection, actor: str, action: str, obj: str | None = None, detail: str | None = None
) -> None:
    con.execute("INSERT INTO audit (actor, action, object, detail) VALUES (?, ?, ?, ?)", [actor, action, obj, detail])


def open_warehouse(
    path: str | Path, *, read_only: bool = False, wait: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open an existing, initialised, current warehouse (waiting for another process's lock, see connect)."""
    con = connect(path, read_only=read_only, wait=wait)
    try:
        require_current(con, path)
    except Exception:
        con.close()
        raise
    return con
