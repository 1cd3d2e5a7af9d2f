"""The warehouse as the web layer sees it: a read-only snapshot of the warehouse file, swapped atomically for
the next one when a writer has finished (store/snapshot.py; the design is in docs/scale.md), a cursor per
query, every request pinned to one snapshot, and caches keyed by the snapshot's generation.

The server never holds the warehouse file: `zhizao evaluate`, `import` and `users` run while it serves. Its own
writes (web imports) open the file for writing only while they write (`Warehouse.write`), then publish a
snapshot and switch to it at once.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import cachetools
import duckdb

from ..store import db as store
from ..store import snapshot

CACHE_SIZE = 4096
BYTES_CACHE = 256 * 1024 * 1024  # encoded answers and kept pages, per worker process (least recently used go first)
CHECK_SECONDS = 0.5  # how often a worker looks for a newer snapshot
INFLIGHT_WAIT = 120.0  # how long a request waits for another computing the value it needs
WARM_SECONDS = 5.0  # a new snapshot serves after this long even if its caches are not all warm yet
SNAPSHOT_MEMORY = "1GB"  # DuckDB's memory per server process (ZHIZAO_WEB_MEMORY overrides)
_MISSING = object()
_pinned: contextvars.ContextVar = contextvars.ContextVar("zhizao_snapshot", default=None)


def _expires(key, value, now: float) -> float:
    """An entry's expiry for cachetools.TLRUCache: `ttl` seconds after it was stored, or never."""
    ttl = value[1]
    return now + ttl if ttl is not None else math.inf


class ReadOnlyServer(store.WarehouseError):
    """A write asked of a server started read-only."""

    http_status = 403


@dataclass
class Generation:
    """One snapshot as a server process reads it: its number, its connection and how many requests use it."""

    number: int
    con: duckdb.DuckDBPyConnection
    file: Path
    identity: str = ""  # the snapshot's number and its source's (size, mtime): unique across rebuilds
    users: int = 0
    retired: bool = False


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
    path: Path  # the warehouse file (only writers open it)
    current: Generation
    read_only: bool = False  # a server that refuses writes (imports)
    _cache: cachetools.TLRUCache = field(default_factory=lambda: cachetools.TLRUCache(CACHE_SIZE, _expires))
    _bytes: cachetools.LRUCache = field(
        default_factory=lambda: cachetools.LRUCache(BYTES_CACHE, getsizeof=lambda v: max(1, v[1]))
    )
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _inflight: dict = field(default_factory=dict)  # key -> Event set when its value is cached
    _checked: float = 0.0
    _current_mtime: int = 0
    _retired: list = field(default_factory=list)  # older generations still read by a request
    _preparing: Generation | None = None  # the generation being warmed before it becomes current
    _preparing_since: float = 0.0
    watcher: snapshot.Watcher | None = None
    warm: Callable[[Warehouse], None] | None = None  # fills the caches of a new generation before it serves
    last_error: str | None = None

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, watch: bool = True) -> Warehouse:
        """Serve `path` from its newest snapshot (published now if the file changed since the last one);
        `watch` starts the thread that publishes a snapshot whenever another process has written the file."""
        path = Path(path)
        con = store.open_warehouse(path, read_only=True)  # a clear error for a missing or outdated file
        con.close()
        snap = snapshot.current(path)
        if snap is None or snapshot.stale(path):
            snap = snapshot.publish(path)
        wh = cls(path, _open_generation(snap), read_only)
        wh._current_mtime = _mtime(snapshot.serve_dir(path) / snapshot.CURRENT)
        if watch:
            wh.watcher = snapshot.Watcher(path)
            wh.watcher.start()
        return wh

    @property
    def generation(self) -> int:
        """The data generation this request reads (the snapshot's number)."""
        return self._generation().number

    @property
    def identity(self) -> str:
        """What tells this request's snapshot from every other, across rebuilds too (ETags are made of it)."""
        return self._generation().identity

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._generation().con

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        with self._lock:
            for g in [self.current, *self._retired]:
                g.con.close()
            self._retired = []

    def _release(self, g: Generation) -> None:
        with self._lock:
            g.users -= 1
            if g.retired and g.users == 0:
                g.con.close()
                self._retired = [o for o in self._retired if o is not g]

    # ------------------------------------------------------------------------------ snapshots
    def refresh(self, force: bool = False) -> Generation:
        """The snapshot new requests read. CURRENT is looked at most every CHECK_SECONDS (or now, with `force`).
        A newer snapshot is opened; with a `warm` hook it is first warmed in a background thread (requests go on
        reading the old one meanwhile) and becomes current when warm or after WARM_SECONDS, whichever is first
        (the warming goes on); with `force` (this server's own write) at once. Requests already running finish
        on the snapshot they started with."""
        now = time.monotonic()
        if not force and now - self._checked < CHECK_SECONDS:
            return self.current
        self._checked = now
        with self._lock:
            pending = self._preparing
            if pending is not None and (force or now - self._preparing_since > WARM_SECONDS):
                self._preparing = None
                if pending.number > self.current.number:
                    self._swap(pending)
        mtime = _mtime(snapshot.serve_dir(self.path) / snapshot.CURRENT)
        if mtime == self._current_mtime and not force:
            return self.current
        snap = snapshot.current(self.path)
        with self._lock:
            if (
                snap is None
                or snap.generation <= self.current.number
                or (self._preparing is not None and snap.generation <= self._preparing.number)
            ):
                self._current_mtime = mtime
                return self.current
            try:
                new = _open_generation(snap)
            except Exception as e:  # noqa: BLE001 - pruned or half-visible: keep serving the current one
                self.last_error = f"cannot open snapshot {snap.name}: {e}"
                return self.current
            self._current_mtime = mtime
            if force or self.warm is None:
                self._swap(new)
                return new
            self._preparing, self._preparing_since = new, now
            new.users += 1  # held by the warming thread
        threading.Thread(target=self._prepare, args=(new,), name="zhizao-warm", daemon=True).start()
        return self.current

    def _prepare(self, g: Generation) -> None:
        """Warm `g`'s caches (pinned to it, so every cache entry is keyed by its number), then make it current
        unless it already is or a newer one is."""
        token = _pinned.set(g)
        try:
            self.warm(self)
        except Exception as e:  # noqa: BLE001 - a cold cache is slower, not wrong: serve it anyway
            self.last_error = f"warming generation {g.number}: {type(e).__name__}: {e}"
        finally:
            _pinned.reset(token)
            with self._lock:
                if self._preparing is g:
                    self._preparing = None
                if g.number > self.current.number:
                    self._swap(g)
                elif g is not self.current:
                    g.retired = True
                    if g not in self._retired:
                        self._retired.append(g)
            self._release(g)

    def _swap(self, new: Generation) -> None:
        """Make `new` current (under the lock); the old one closes when its last request ends; cache entries of
        every other generation go."""
        old = self.current
        old.retired = True
        if old.users:
            self._retired.append(old)
        else:
            old.con.close()
        self.current = new
        for cache in (self._cache, self._bytes):
            for k in [k for k in list(cache.keys()) if k[0] != new.number]:
                cache.pop(k, None)

    def warm_now(self) -> None:
        """Run the `warm` hook on the current snapshot (at start-up; requests meanwhile wait for what they need
        or compute it themselves). A failure is kept in `last_error`: a cold cache is slower, not wrong."""
        if self.warm is None:
            return
        try:
            with self.pinned():
                self.warm(self)
        except Exception as e:  # noqa: BLE001 - a cold cache is slower, not wrong: serve on
            self.last_error = f"warming generation {self.current.number}: {type(e).__name__}: {e}"

    @contextmanager
    def pinned(self) -> Iterator[Generation]:
        """Every query of the block (a request) reads one snapshot, the newest when the block starts."""
        if _pinned.get() is not None:
            yield _pinned.get()
            return
        self.refresh()
        with self._lock:
            g = self.current
            g.users += 1
        token = _pinned.set(g)
        try:
            yield g
        finally:
            _pinned.reset(token)
            self._release(g)

    @contextmanager
    def newest(self) -> Iterator[Generation]:
        """Every query of the block reads the newest snapshot this process has opened — the one still being
        warmed when there is one (`refresh`). For accounts: a new, removed or changed account must not wait for
        the caches of the new generation, or a user signed in by one worker is unknown to the next."""
        self.refresh()
        with self._lock:
            g = self._preparing
            if g is None or g.number <= self.current.number:
                g = self.current
            g.users += 1
        token = _pinned.set(g)
        try:
            yield g
        finally:
            _pinned.reset(token)
            self._release(g)

    @property
    def newest_number(self) -> int:
        """The number of the snapshot `newest` would pin, without pinning it (for a per-request check)."""
        self.refresh()
        preparing = self._preparing
        current = self.current.number
        return preparing.number if preparing is not None and preparing.number > current else current

    def _generation(self) -> Generation:
        g = _pinned.get()
        if g is not None and g.users > 0:
            return g
        return self.refresh()

    @contextmanager
    def write(self, *, publish: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """The warehouse file opened for writing for the block (waiting while another writer holds it); then,
        with `publish`, a new snapshot is published and this server switches to it at once."""
        if self.read_only:
            raise ReadOnlyServer(f"this server serves {self.path.name} read-only: no imports")
        con = store.open_warehouse(self.path)
        try:
            yield con
        finally:
            con.close()
        if publish:
            snapshot.publish(self.path)
            self.refresh(force=True)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            g = self._generation()
            g.users += 1
        try:
            cur = g.con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            self._release(g)

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
    def cached(self, key: tuple, fn, ttl: float | None = None, size=None):
        """fn() once per key and data generation (and at most `ttl` seconds old when given). The cache holds
        the CACHE_SIZE most recently used entries (least recently used ones are evicted one by one); values
        given a `size` (a function of the value: its bytes) go to a cache bounded by BYTES_CACHE bytes instead.
        Requests that ask for a value being computed wait for it (up to INFLIGHT_WAIT seconds) instead of
        computing it again: thirty users opening the overview after a new snapshot cost one computation."""
        k = (self.generation, *key)
        cache = self._cache if size is None else self._bytes
        with self._lock:
            hit = cache.get(k, _MISSING)
            if hit is not _MISSING:
                return hit[0]
            running = self._inflight.get(k)
            if running is None:
                running = self._inflight[k] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            running.wait(INFLIGHT_WAIT)
            with self._lock:
                hit = cache.get(k, _MISSING)
            if hit is not _MISSING:
                return hit[0]
            return fn()  # the first one failed (or is slow beyond reason): compute it here
        try:
            value = fn()
            with self._lock:
                if size is None:
                    cache[k] = (value, ttl)
                else:
                    with contextlib.suppress(ValueError):  # larger than the whole cache: served, not kept
                        cache[k] = (value, size(value))
            return value
        finally:
            with self._lock:
                self._inflight.pop(k, None)
            running.set()

    def peek(self, key: tuple, *, sized: bool = False):
        """The cached value of `key` in this generation, or None (nothing is computed); `sized`: a value that
        was cached with a `size`."""
        with self._lock:
            hit = (self._bytes if sized else self._cache).get((self.generation, *key), _MISSING)
        return None if hit is _MISSING else hit[0]

    def entries(self, prefix: tuple, *, leave: tuple = ()) -> dict[tuple, Any]:
        """The values cached (without a size) in this request's generation under keys starting with `prefix`, but
        for those under any prefix in `leave` — to hand them to another process (web/serving.py)."""
        n, k0 = self.generation, len(prefix)
        with self._lock:
            items = [(k[1:], v[0]) for k, v in self._cache.items() if k[0] == n and k[1 : 1 + k0] == prefix]
        return {k: v for k, v in items if not any(k[: len(p)] == p for p in leave)}

    def adopt(self, entries: dict[tuple, Any]) -> None:
        """Cache `entries` (from `entries` of another process reading the same snapshot) in this generation."""
        n = self.generation
        with self._lock:
            for k, v in entries.items():
                self._cache[(n, *k)] = (v, None)

    @property
    def snapshot_file(self) -> Path:
        """The snapshot this request reads."""
        return self._generation().file

    def changed(self) -> None:
        """Data were written by this server: switch to the snapshot its write published (caches go with it)."""
        self.refresh(force=True)

    # ------------------------------------------------------------------------------ metadata
    def meta(self, key: str) -> str | None:
        return self.cached(("meta", key), lambda: self.scalar("SELECT value FROM meta WHERE key = ?", [key]))

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as con:
            store.set_meta(con, key, value)

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


def _mtime(p: Path) -> int:
    try:
        return p.stat().st_mtime_ns
    except OSError:
        return 0


def _open_generation(snap: snapshot.Snapshot) -> Generation:
    from ..store.engines import memory_size

    con = store.open_warehouse(snap.file, read_only=True, wait=5)
    try:
        con.execute(f"SET memory_limit = '{memory_size(os.environ.get('ZHIZAO_WEB_MEMORY') or SNAPSHOT_MEMORY)}'")
    except Exception:
        con.close()
        raise
    return Generation(snap.generation, con, snap.file, f"{snap.generation}:{':'.join(map(str, snap.source))}")
