"""How `zhizao serve` runs the dashboard: worker processes, the snapshot watcher, and warm caches.

    zhizao serve --db zhizao.duckdb --workers 2

- The main process publishes the warehouse's first snapshot and runs the watcher (store/snapshot.Watcher) that
  publishes a new one whenever a writer (`zhizao evaluate`, `import`, `users`) has finished with the file.
- With more than one worker, uvicorn starts N processes on one socket; each builds its app with
  `web.app.from_environment` (the settings come through the ZHIZAO_SERVE_* variables the main process sets) and
  reads the current snapshot read-only. Everything a request needs beyond the snapshot is shared through files:
  sessions and sign-in limits in the session store (web/sessions.py), staged uploads in one upload folder.
- Each worker warms its caches (`warm_caches`) for every new data generation before serving it: the secondary
  suppression's cells and solutions (seconds on a large warehouse) are computed once per generation, not on a
  user's first request — by the first worker, which leaves them beside the snapshot for the others to load.
  The design is in docs/scale.md, "Serving while the data change".
- `started` runs a real `zhizao serve` in a child process on a free loopback port, waits until it answers and stops
  it with its workers: what the browser and attack tests and benchmarks/web_bench.py serve their pages from.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

ENV_DB = "ZHIZAO_SERVE_DB"
ENV_HTTPS = "ZHIZAO_SERVE_HTTPS"
ENV_UPLOADS = "ZHIZAO_SERVE_UPLOADS"
WARM_YEARS = 2
WARM_FORMAT = 1  # of the shared warm-up file beside a snapshot (a new one when what it holds changes)


def default_workers() -> int:
    """As many workers as the machine has cores (those this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def say(msg: str) -> None:
    print(f"zhizao serve [{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def warm_caches(ctx) -> None:
    """Fill the caches of the generation being read (the caller pins it) that a first request would otherwise
    wait seconds for: the cells the secondary suppression ties together, and the solutions for the two newest
    data years (what the pages show by default: a year and its growth over the one before) — for the public,
    then for the scope of each district account. Older years are solved when first asked for. Every cache entry
    is keyed by the generation, so nothing carries over to the next.

    Once per snapshot for all the workers: the first to get the snapshot's warm lock (`gen-N.duckdb.warm.lock`)
    computes and leaves the results beside the snapshot (`gen-N.duckdb.warm`, 0600, written whole and renamed);
    the others wait for the lock and load them (a second instead of tens on 1,000,000 firms). The file goes with
    its snapshot when that is pruned (store/snapshot.py)."""
    import fcntl

    wh = ctx.wh
    t0 = time.perf_counter()
    gen = wh.generation
    shared = Path(f"{wh.snapshot_file}.warm")
    with open(f"{shared}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker warming this snapshot: wait for its results
        try:
            got = _load_warm(shared, wh.identity)
            if got is not None:
                wh.adopt(got)
                say(f"generation {gen} warm in {time.perf_counter() - t0:.1f} s (loaded, {len(got)} entries)")
                return
            scopes = _warm(ctx)
            try:
                _save_warm(shared, wh.identity, wh.entries(("disclosure",), leave=(("disclosure", "cells"),)))
            except Exception as e:  # noqa: BLE001 - the others then compute their own: slower, not wrong
                say(f"generation {gen}: warm results not shared: {type(e).__name__}: {e}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    say(f"generation {gen} warm in {time.perf_counter() - t0:.1f} s ({len(scopes)} district scope(s))")


def _warm(ctx) -> list[str]:
    from .access import Principal

    wh, policy = ctx.wh, ctx.policy
    disclosure = policy.disclosure
    newest = sorted(disclosure._cells(), reverse=True)[:WARM_YEARS]
    accounts = "SELECT DISTINCT region_code FROM app_user WHERE role = 'district' AND region_code IS NOT NULL"
    scopes = sorted({r["region_code"] for r in wh.rows(accounts)})
    for y in newest:
        disclosure.blanked(y, None)
    for y in newest:
        for region in scopes:
            own = policy.own(Principal(name="", role="district", region=region))
            if own:
                disclosure.blanked(y, own)
    return scopes


def _save_warm(path: Path, identity: str, entries: dict) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        pickle.dump({"format": WARM_FORMAT, "identity": identity, "entries": entries}, f, protocol=5)
    os.replace(tmp, path)


def _load_warm(path: Path, identity: str) -> dict | None:
    """The entries another worker left for this snapshot, or None (none yet, or not for this snapshot). The file
    is this server's own, written 0600 in its snapshot folder beside the snapshot it describes."""
    try:
        with open(path, "rb") as f:
            got = pickle.load(f)  # written by this server for this snapshot (see above)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    if not isinstance(got, dict) or got.get("format") != WARM_FORMAT or got.get("identity") != identity:
        return None
    return got["entries"]


# ------------------------------------------------------------------------------ a real server in a child process
def free_port() -> int:
    """A TCP port free on loopback now (the system picks it; the server binds it a moment later)."""
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zhizao_command() -> list[str]:
    """This environment's `zhizao` program: the console script beside the interpreter, else `python -m zhizao.cli`."""
    exe = Path(sys.executable).with_name("zhizao")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "zhizao.cli"]


class Running(NamedTuple):
    base: str  # http://127.0.0.1:PORT
    proc: subprocess.Popen


@contextlib.contextmanager
def started(
    db: Path,
    log: Path,
    *options: str,
    command: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    start_timeout: float = 150.0,
    probe_timeout: float = 2.0,
    poll: float = 0.3,
    stop_timeout: float = 10.0,
    log_tail: int | None = None,
) -> Iterator[Running]:
    """`zhizao serve --db DB --port PORT [OPTIONS]` in a child process on a free loopback port; yields its base URL
    and process once GET /login answers 200, and stops it on leaving.

    - `command`: the program before `serve` (default `zhizao_command()`); `env`: variables set over this process's
      (and COLUMNS=200, so rich does not wrap the server's lines); `cwd`: where it runs (default: here).
    - The server's standard output and error go to the file `log`; when it exits before answering, or has not
      answered within `start_timeout` seconds (N worker processes start slowly on a busy machine), RuntimeError
      says which with the log (its last `log_tail` characters, if given). Each probe waits `probe_timeout`
      seconds, `poll` seconds apart.
    - Stopping: SIGTERM, on which uvicorn stops its worker processes and exits; if it has not within
      `stop_timeout` seconds, it and every process under it are killed."""
    port = free_port()
    cmd = [*(command or zhizao_command()), "serve", "--db", str(db), "--port", str(port), *options]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "COLUMNS": "200", **(env or {})},
            cwd=None if cwd is None else str(cwd),
        )
    base = f"http://127.0.0.1:{port}"

    def logged() -> str:
        text = log.read_text(errors="replace")
        return text if log_tail is None else text[-log_tail:]

    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"zhizao serve exited: {logged()}")
            if _answers(port, probe_timeout):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"zhizao serve did not start: {logged()}")
            time.sleep(poll)
        yield Running(base, proc)
    finally:
        _stop(proc, stop_timeout)


def _answers(port: int, timeout: float) -> bool:
    """True when GET /login on the port answers 200 within `timeout` seconds."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        con.request("GET", "/login")
        return con.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        con.close()


def _stop(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, then after `timeout` seconds SIGKILL to the process and to every process under it (workers left
    behind by a killed main process would keep the port and the snapshot open)."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
        return
    except subprocess.TimeoutExpired:
        pass
    under = _descendants(proc.pid)  # before it goes: then they belong to init and /proc no longer says
    proc.kill()  # first, so that it starts no new worker in place of a killed one
    proc.wait()
    for pid in under:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    """The processes under `pid` (children, their children, …), read from /proc; none where /proc cannot say."""
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = list(Path(f"/proc/{p}/task").iterdir())
        except OSError:
            continue
        for t in tasks:
            with contextlib.suppress(OSError, ValueError):
                kids = [int(c) for c in (t / "children").read_text().split()]
                out += kids
                todo += kids
    return out
