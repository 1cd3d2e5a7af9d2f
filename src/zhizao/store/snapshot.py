"""Snapshots of a warehouse for its readers: immutable copies of the file, published atomically, so that the
dashboard never holds the warehouse (writers can run) and never sees half a write. The design is in
docs/scale.md ("Serving while the data change").

    zhizao.duckdb.serve/gen-000042.duckdb     a snapshot (never changed once written)
    zhizao.duckdb.serve/CURRENT               {"generation": 42, "file": "gen-000042.duckdb", "source": …}
    zhizao.duckdb.serve/publish.lock          held while a snapshot is written

    snap = publish("zhizao.duckdb")            # copy the committed warehouse, then point CURRENT at it
    snap = current("zhizao.duckdb")            # the newest snapshot (None before the first)
    Watcher("zhizao.duckdb").start()           # publish whenever a writer has finished changing the file

Publishing opens the warehouse read-only for the duration of the copy: DuckDB then lets no writer in (a writer
that tries waits, store/db.connect), and since the last writer closed its connection the file is checkpointed,
so the copy holds exactly the committed state.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import db

CURRENT = "CURRENT"
KEEP_SECONDS = 60.0  # an old snapshot is deleted once it has not been current for this long


@dataclass(frozen=True)
class Snapshot:
    generation: int
    file: Path  # the snapshot file
    source: tuple  # the warehouse file's (size, mtime_ns) when copied

    @property
    def name(self) -> str:
        return self.file.name


def serve_dir(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".serve")


def _signature(path: Path) -> tuple:
    st = path.stat()
    wal = Path(str(path) + ".wal")
    return (st.st_size, st.st_mtime_ns, wal.stat().st_size if wal.exists() else 0)


def current(path: str | Path) -> Snapshot | None:
    """The newest published snapshot of the warehouse at `path`, or None."""
    folder = serve_dir(path)
    try:
        doc = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    f = folder / doc["file"]
    if not f.exists():
        return None
    return Snapshot(int(doc["generation"]), f, tuple(doc.get("source") or ()))


def stale(path: str | Path) -> bool:
    """Whether the warehouse changed since the current snapshot was copied (or none exists yet)."""
    snap = current(path)
    try:
        return snap is None or _signature(Path(path)) != snap.source
    except FileNotFoundError:
        return False


def _modes(path: Path) -> tuple[int, int]:
    """The permission bits of a snapshot and of its folder: never wider than the warehouse's own (a snapshot is a
    copy of the warehouse, app_user's password hashes included). A 0600 warehouse gives 0600 snapshots in a 0700
    folder; a 0640 one gives 0640 snapshots in a 0750 folder."""
    file_mode = path.stat().st_mode & 0o666
    dir_mode = 0o700 | (file_mode & 0o044) | ((file_mode & 0o044) >> 2)  # r, and x with it, where the file has r
    return file_mode, dir_mode


@contextlib.contextmanager
def _publish_lock(folder: Path, dir_mode: int = 0o700):
    folder.mkdir(parents=True, exist_ok=True, mode=dir_mode)
    with contextlib.suppress(PermissionError):  # a folder another account made stays as that account set it
        folder.chmod(dir_mode)
    with open(folder / "publish.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _copy(src: Path, dst: Path, mode: int) -> None:
    """Copy with copy_file_range (the kernel copies, and reflinks where the filesystem can), then fsync. The copy
    is created with `mode` (no moment at which it is readable more widely)."""
    with open(src, "rb") as fi, open(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as fo:
        os.fchmod(fo.fileno(), mode)
        n = os.fstat(fi.fileno()).st_size
        done = 0
        try:
            while done < n:
                k = os.copy_file_range(fi.fileno(), fo.fileno(), n - done, done, done)
                if k == 0:
                    break
                done += k
        except OSError:
            done = 0
        if done < n:  # a filesystem without copy_file_range: plain reads
            fi.seek(done)
            fo.seek(done)
            while chunk := fi.read(1 << 24):
                fo.write(chunk)
        fo.flush()
        os.fsync(fo.fileno())


def publish(path: str | Path, *, force: bool = False, wait: float | None = None) -> Snapshot:
    """Copy the warehouse's committed state to a new snapshot and make it current (unless nothing changed since
    the current one and not `force`). Waits up to `wait` seconds (default ZHIZAO_LOCK_WAIT) for a writer to
    finish. Old snapshots are deleted once unused for KEEP_SECONDS."""
    path = Path(path)
    folder = serve_dir(path)
    file_mode, dir_mode = _modes(path)
    with _publish_lock(folder, dir_mode):
        con = db.connect(path, read_only=True, wait=wait)  # no writer can start until we close it
        try:
            source = _signature(path)
            snap = current(path)
            if snap is not None and snap.source == source and not force:
                return snap
            gen = (snap.generation if snap else 0) + 1
            name = f"gen-{gen:06d}.duckdb"
            tmp = folder / (name + ".tmp")
            _copy(path, tmp, file_mode)
            wal = Path(str(path) + ".wal")
            if wal.exists():  # a writer that ended without a checkpoint: its log belongs to the state
                _copy(wal, folder / (name + ".wal"), file_mode)
            os.replace(tmp, folder / name)
        finally:
            con.close()
        doc = {"generation": gen, "file": name, "source": list(source), "published": time.time()}
        tmp = folder / (CURRENT + ".tmp")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, folder / CURRENT)
        _prune(folder, keep={name, snap.name if snap else ""})
        return Snapshot(gen, folder / name, source)


def _prune(folder: Path, keep: set[str]) -> None:
    """Delete snapshots that are neither current nor the one before it and were last current long ago (a reader
    that still has one open keeps reading it: the file disappears from the folder, not from the reader)."""
    now = time.time()
    for f in folder.glob("gen-*.duckdb*"):
        base = f.name.split(".duckdb")[0] + ".duckdb"
        if base in keep:
            continue
        with contextlib.suppress(OSError):
            if now - f.stat().st_mtime > KEEP_SECONDS or f.name.endswith(".tmp"):
                f.unlink()


class Watcher(threading.Thread):
    """Publishes a new snapshot whenever the warehouse changed and no writer holds it (checked every
    `interval` seconds). Errors are kept in `last_error` and retried; it never stops the server."""

    def __init__(self, path: str | Path, interval: float = 0.5):
        super().__init__(name="zhizao-snapshot-watcher", daemon=True)
        self.path, self.interval = Path(path), interval
        self._stop = threading.Event()
        self.last_error: str | None = None
        self.published = 0

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if stale(self.path):
                    publish(self.path, wait=0.0)
                    self.published += 1
                self.last_error = None
            except db.WarehouseError as e:  # a writer holds the file: next round
                self.last_error = str(e)
            except Exception as e:  # noqa: BLE001 - keep serving; say what went wrong
                self.last_error = f"{type(e).__name__}: {e}"

    def stop(self) -> None:
        self._stop.set()
