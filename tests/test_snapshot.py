"""Snapshots (store/snapshot.py): readers get immutable copies of the committed warehouse, published atomically
while writers take turns on the file (docs/scale.md, "Serving while the data change")."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
import threading
import time

import duckdb
import pytest

from zhizao.store import db, snapshot


@pytest.fixture()
def warehouse(empty_warehouse):
    return empty_warehouse


def holder(path, seconds: float, sql: str = "SELECT 1") -> subprocess.Popen:
    """Another process that opens the warehouse for writing, runs `sql`, holds the file `seconds`, then closes."""
    code = textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r})
        con.execute({sql!r})
        print("holding", flush=True)
        time.sleep({seconds})
        con.close()
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "holding"
    return p


def value(path) -> str | None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return db.get_meta(con, "probe")
    finally:
        con.close()


def test_a_snapshot_holds_the_committed_state_and_a_new_one_follows_a_write(warehouse):
    first = snapshot.publish(warehouse)
    assert first.generation == 1 and snapshot.current(warehouse) == first
    assert snapshot.publish(warehouse) == first  # nothing changed: no new generation
    holder(warehouse, 0, "INSERT INTO meta VALUES ('probe', 'after')").wait()
    assert snapshot.stale(warehouse)
    second = snapshot.publish(warehouse)
    assert second.generation == 2 and not snapshot.stale(warehouse)
    assert value(second.file) == "after" and value(first.file) is None  # the old snapshot never changes


def test_publishing_waits_for_a_writer_and_never_copies_half_a_write(warehouse):
    snapshot.publish(warehouse)
    p = holder(warehouse, 1.5, "INSERT INTO meta VALUES ('probe', 'written')")
    with pytest.raises(db.WarehouseError, match="cannot open"):
        snapshot.publish(warehouse, wait=0.2)
    snap = snapshot.publish(warehouse, wait=30)  # waits until the writer has closed
    p.wait()
    assert value(snap.file) == "written"


def test_a_writer_waits_for_the_lock_instead_of_failing(warehouse, monkeypatch):
    p = holder(warehouse, 1.0)
    t0 = time.monotonic()
    con = db.connect(warehouse, wait=30)
    waited = time.monotonic() - t0
    con.close()
    p.wait()
    assert waited > 0.3
    p = holder(warehouse, 2.0)
    monkeypatch.setenv("ZHIZAO_LOCK_WAIT", "0")
    with pytest.raises(db.WarehouseError, match="lock"):
        db.open_warehouse(warehouse)
    p.wait()


def test_old_snapshots_are_deleted_once_unused(warehouse, monkeypatch):
    monkeypatch.setattr(snapshot, "KEEP_SECONDS", 0.0)
    gens = []
    for k in range(4):
        holder(warehouse, 0, f"INSERT OR REPLACE INTO meta VALUES ('probe', '{k}')").wait()
        gens.append(snapshot.publish(warehouse))
    left = sorted(f.name for f in snapshot.serve_dir(warehouse).glob("gen-*"))
    assert left == [gens[-2].name, gens[-1].name]  # the current one and the one before it


def test_the_watcher_publishes_within_seconds_of_a_writer_finishing(warehouse):
    snapshot.publish(warehouse)
    w = snapshot.Watcher(warehouse, interval=0.2)
    w.start()
    try:
        p = holder(warehouse, 1.0, "INSERT INTO meta VALUES ('probe', 'live')")
        p.wait()
        done = time.monotonic()
        while time.monotonic() - done < 20 and value(snapshot.current(warehouse).file) != "live":
            time.sleep(0.1)
        assert value(snapshot.current(warehouse).file) == "live"
        assert time.monotonic() - done < 10
    finally:
        w.stop()


def test_readers_of_an_old_snapshot_keep_reading_while_a_new_one_is_published(warehouse, monkeypatch):
    monkeypatch.setattr(snapshot, "KEEP_SECONDS", 0.0)
    snap = snapshot.publish(warehouse)
    reader = duckdb.connect(str(snap.file), read_only=True)
    seen = []

    def read():
        for _ in range(50):
            seen.append(reader.execute("SELECT count(*) FROM region").fetchone()[0])

    t = threading.Thread(target=read)
    t.start()
    for k in range(3):
        holder(warehouse, 0, f"INSERT OR REPLACE INTO meta VALUES ('probe', '{k}')").wait()
        snapshot.publish(warehouse)
    t.join()
    reader.close()
    assert len(set(seen)) == 1 and seen[0] > 0
    shutil.rmtree(snapshot.serve_dir(warehouse))


def test_a_new_warehouse_and_its_snapshots_are_readable_by_their_owner_alone(tmp_path):
    """A warehouse holds app_user's password hashes: a new one is 0600 whatever the umask, and a snapshot (a copy
    of it) is never more readable than the warehouse it copies."""
    old = os.umask(0o022)
    try:
        path = tmp_path / "new.duckdb"
        db.connect(path, create=True).close()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        snap = snapshot.publish(path)
        assert stat.S_IMODE(snap.file.stat().st_mode) == 0o600
        assert stat.S_IMODE(snapshot.serve_dir(path).stat().st_mode) == 0o700
        path.chmod(0o640)  # an operator who shares the warehouse with a group shares its snapshots the same way
        holder(path, 0, "CREATE TABLE probe AS SELECT 1 AS x").wait()
        snap = snapshot.publish(path)
        assert stat.S_IMODE(snap.file.stat().st_mode) == 0o640
        assert stat.S_IMODE(snapshot.serve_dir(path).stat().st_mode) == 0o750
    finally:
        os.umask(old)
