"""Server-side session state, in a small SQLite file beside the warehouse (`zhizao.duckdb.sessions`).

What it holds:
    secret        the key that signs session cookies and API tokens (made once; ZHIZAO_SECRET overrides it)
    revoked       token ids ended before their time (sign-out, DELETE /api/v1/auth/token), until they expire
    signed_out    per user, the moment before which every token is void (`zhizao users sign-out NAME`,
                  removing the user)
    login_failure failed sign-ins per (client, user) and per client, for the rate limit

Why a file of its own: several server processes (workers) must see one sign-out at once, and a server must
be able to record one while a command-line writer (`zhizao evaluate`, `import`, `users`) holds the warehouse's
write lock, or while the server reads a read-only snapshot of it. SQLite in WAL mode lets many processes read
and one write at a time for the few milliseconds a revocation takes. The file is created 0600: it holds the
signing secret, and nothing in it is analytic data (it is never exported).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS signed_out (name TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failure (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failure_key ON login_failure (key, at);
"""


class SessionStore:
    """One SQLite connection per store object, shared by the server's threads under a lock."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            p = Path(self.path)
            p.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o600)  # before SQLite creates it with the umask's mode
            os.close(fd)
            os.chmod(p, 0o600)
        self._con = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._own_writes = 0  # writes through this connection (SQLite's data_version counts only the others')
        # `version` reads through a connection of its own, so it never waits behind a write of this one (which may
        # wait for another process's); in memory there is only the one database, this connection's
        self._probe, self._probe_lock = self._con, self._lock
        with self._lock:
            if self.path != ":memory:":
                self._con.execute("PRAGMA journal_mode=WAL")
            self._con.execute("PRAGMA synchronous=NORMAL")
            self._con.executescript(SCHEMA)
        if self.path != ":memory:":
            self._probe = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            self._probe_lock = threading.Lock()

    @classmethod
    def beside(cls, warehouse: str | Path) -> "SessionStore":
        """The store of a warehouse file (ZHIZAO_SESSIONS names another file)."""
        env = os.environ.get("ZHIZAO_SESSIONS")
        return cls(env or f"{warehouse}.sessions")

    @classmethod
    def memory(cls) -> "SessionStore":
        return cls(":memory:")

    def close(self) -> None:
        with self._lock:
            self._con.close()
        if self._probe is not self._con:
            with self._probe_lock:
                self._probe.close()

    def _one(self, sql: str, params: tuple = ()):
        with self._lock:
            return self._con.execute(sql, params).fetchone()

    def _write(self, sql: str, params: tuple = ()) -> None:
        with self._lock:
            self._con.execute(sql, params)
            self._own_writes += 1

    def version(self) -> tuple[int, int]:
        """Changes whenever anything in the store changed — a revocation, a sign-out everywhere, a failed sign-in —
        made by this process or any other sharing the file (SQLite's `PRAGMA data_version`, which counts the
        other connections' commits, and this connection's own writes). A few microseconds: what a cache of
        verified tokens (auth.Users) compares before it trusts an entry."""
        with self._probe_lock:
            return self._probe.execute("PRAGMA data_version").fetchone()[0], self._own_writes

    # ------------------------------------------------------------------------------ the signing secret
    def secret(self) -> str:
        """ZHIZAO_SECRET, else the store's own (made on first use; the first process to write it wins)."""
        env = os.environ.get("ZHIZAO_SECRET")
        if env:
            return env
        self._write("INSERT OR IGNORE INTO setting VALUES ('secret', ?)", (secrets.token_urlsafe(32),))
        return self._one("SELECT value FROM setting WHERE key = 'secret'")[0]

    # ------------------------------------------------------------------------------ revocation
    def revoke(self, jti: str, expires: float) -> None:
        now = time.time()
        with self._lock:
            self._con.execute("INSERT OR REPLACE INTO revoked VALUES (?, ?)", (jti, float(expires)))
            self._con.execute("DELETE FROM revoked WHERE expires < ?", (now,))
            self._own_writes += 1

    def is_revoked(self, jti: str) -> bool:
        return self._one("SELECT 1 FROM revoked WHERE jti = ?", (jti,)) is not None

    def sign_out_everywhere(self, name: str) -> None:
        """Every token of `name` issued until now is void."""
        self._write("INSERT OR REPLACE INTO signed_out VALUES (?, ?)", (name, time.time()))

    def signed_out_at(self, name: str) -> float | None:
        r = self._one("SELECT at FROM signed_out WHERE name = ?", (name,))
        return r[0] if r else None

    # ------------------------------------------------------------------------------ sign-in failures
    def failures(self, key: str, since: float) -> tuple[int, float | None]:
        """(failures of `key` since `since`, the oldest of them)."""
        n, first = self._one("SELECT count(*), min(at) FROM login_failure WHERE key = ? AND at >= ?", (key, since))
        return int(n), first

    def fail(self, keys: list[str], window: float) -> None:
        now = time.time()
        with self._lock:
            self._con.executemany("INSERT INTO login_failure VALUES (?, ?)", [(k, now) for k in keys])
            self._con.execute("DELETE FROM login_failure WHERE at < ?", (now - window,))
            self._own_writes += 1

    def forget_failures(self, key: str) -> None:
        self._write("DELETE FROM login_failure WHERE key = ?", (key,))
