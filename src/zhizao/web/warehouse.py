"""The warehouse as the web layer sees it: one DuckDB connection per server process, a cursor per request,
and small caches of what rarely changes (regions, the current map, which result tables hold which years).

DuckDB lets one process write a file; the server holds it for its lifetime (imports and user logins
write to it), so `zhizao evaluate` or `zhizao users` run while no server holds the file.
"""

from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import cachetools
import duckdb

from ..store import db as store

CACHE_SIZE = 4096
_MISSING = object()


def _expires(key, value, now: float) -> float:
    """An entry's expiry for cachetools.TLRUCache: `ttl` seconds after it was stored, or never."""
    ttl = value[1]
    return now + ttl if ttl is not None else math.inf


@dataclass
class Region:
    code: str
    name_zh: str
    name_en: str | None
    level: str
    parent: str | None
    group: str | None
    subgroup: str | None
    valid_to: Any
    current: str  # where its figures roll up on today's map

    def name(self, lang: str = "zh") -> str:
        return (self.name_en or self.name_zh) if lang == "en" else self.name_zh


@dataclass
class Warehouse:
    path: Path
    con: duckdb.DuckDBPyConnection
    read_only: bool = False
    _cache: cachetools.TLRUCache = field(default_factory=lambda: cachetools.TLRUCache(CACHE_SIZE, _expires))
    _lock: threading.RLock = field(default_factory=threading.RLock)
    generation: int = 0  # bumped when data change (imports): caches keyed by it go stale

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> "Warehouse":
        con = store.open_warehouse(path, read_only=read_only)
        return cls(Path(path), con, read_only)

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def rows(self, sql: str, params: list | tuple | None = None) -> list[dict]:
        with self.cursor() as cur:
            res = cur.execute(sql, list(params or []))
            cols = [d[0] for d in res.description]
            return [dict(zip(cols, r)) for r in res.fetchall()]

    def one(self, sql: str, params: list | tuple | None = None) -> dict | None:
        r = self.rows(sql, params)
        return r[0] if r else None

    def scalar(self, sql: str, params: list | tuple | None = None):
        with self.cursor() as cur:
            row = cur.execute(sql, list(params or [])).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------------------ caching
    def cached(self, key: tuple, fn, ttl: float | None = None):
        """fn() once per key and data generation (and at most `ttl` seconds old when given). The cache holds
        the CACHE_SIZE most recently used entries (least recently used ones are evicted one by one)."""
        k = (self.generation, *key)
        with self._lock:
            hit = self._cache.get(k, _MISSING)
        if hit is not _MISSING:
            return hit[0]
        value = fn()
        with self._lock:
            self._cache[k] = (value, ttl)
        return value

    def changed(self) -> None:
        """Data were written (an import): drop every cache."""
        with self._lock:
            self.generation += 1
            self._cache.clear()

    # ------------------------------------------------------------------------------ metadata
    def meta(self, key: str) -> str | None:
        return self.cached(("meta", key), lambda: self.scalar("SELECT value FROM meta WHERE key = ?", [key]))

    def set_meta(self, key: str, value: str) -> None:
        with self.cursor() as cur:
            store.set_meta(cur, key, value)
        self.changed()

    @property
    def synthetic(self) -> bool:
        if self.meta("synthetic") == "true":
            return True
        return bool(
            self.cached(
                ("any_synthetic",),
                lambda: self.scalar("SELECT count(*) > 0 FROM (SELECT 1 FROM enterprise WHERE synthetic LIMIT 1)"),
            )
        )

    def years(self) -> list[int]:
        return self.cached(
            ("years",),
            lambda: [int(r["year"]) for r in self.rows("SELECT DISTINCT year FROM enterprise_year ORDER BY 1")],
        )

    def latest_year(self) -> int | None:
        ys = self.years()
        return ys[-1] if ys else None

    def regions(self) -> dict[str, Region]:
        def load() -> dict[str, Region]:
            cur = {r["code"]: r["current_code"] for r in self.rows("SELECT code, current_code FROM region_current")}
            out = {}
            for r in self.rows(
                "SELECT code, name_zh, name_en, level, parent_code, region_group, subgroup, valid_to "
                "FROM region ORDER BY code"
            ):
                out[r["code"]] = Region(
                    r["code"],
                    r["name_zh"],
                    r["name_en"],
                    r["level"],
                    r["parent_code"],
                    r["region_group"],
                    r["subgroup"],
                    r["valid_to"],
                    cur.get(r["code"], r["code"]),
                )
            return out

        return self.cached(("regions",), load)

    def root(self) -> str:
        """The pack's top region (the municipality)."""

        def find():
            r = self.scalar("SELECT code FROM region WHERE level = 'province' ORDER BY code LIMIT 1")
            return r or next(iter(self.regions()), "")

        return self.cached(("root",), find)

    def ancestors(self) -> dict[str, list[str]]:
        """code -> its ancestors (itself first), from region_ancestor."""

        def load():
            out: dict[str, list[tuple[int, str]]] = {}
            for r in self.rows("SELECT code, ancestor_code, depth FROM region_ancestor"):
                out.setdefault(r["code"], []).append((r["depth"], r["ancestor_code"]))
            return {k: [c for _, c in sorted(v)] for k, v in out.items()}

        return self.cached(("ancestors",), load)

    def region_name(self, code: str | None, lang: str = "zh") -> str:
        if code is None:
            return ""
        r = self.regions().get(code)
        return r.name(lang) if r else code

    def table_exists(self, name: str) -> bool:
        return bool(
            self.cached(
                ("table", name),
                lambda: self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]),
            )
        )
