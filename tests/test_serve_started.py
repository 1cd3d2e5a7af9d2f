"""`web/serving.started`: the one helper that runs a real `zhizao serve` in a child process for the browser and
attack tests and benchmarks/web_bench.py. It starts the server on a free loopback port with its output in a log,
waits until GET /login answers, says why when the server does not come up, and stops it with every worker process.

A stand-in `zhizao` package (a few lines answering /login) takes the place of an earlier commit's source tree, as
`web_bench.py --before REF` runs one: the helper of this tree starts what PYTHONPATH finds, with nothing of its
own needed in that tree.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from zhizao.web import serving
from zhizao.web.serving import started

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

STAND_IN = r"""
import json, os, signal, subprocess, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

args = sys.argv[1:]
port = int(args[args.index("--port") + 1])
said = {"argv": args, "cwd": os.getcwd(), "columns": os.environ.get("COLUMNS"), "file": __file__, "pid": os.getpid()}
if "--ignore-sigterm" in args:  # a server stuck on its way out, with a worker stuck too
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    said["worker"] = subprocess.Popen(
        [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"]
    ).pid
print(json.dumps(said), flush=True)
print("to standard error", file=sys.stderr, flush=True)


class Login(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/login" else 404)
        self.end_headers()

    def log_message(self, *a):
        pass


HTTPServer(("127.0.0.1", port), Login).serve_forever()
"""


def stand_in(folder: Path) -> Path:
    """A source folder holding a package `zhizao` whose `python -m zhizao.cli serve --port N` answers /login."""
    (folder / "zhizao" / "cli").mkdir(parents=True)
    (folder / "zhizao" / "__init__.py").write_text("")
    (folder / "zhizao" / "cli" / "__init__.py").write_text("")
    (folder / "zhizao" / "cli" / "__main__.py").write_text(STAND_IN)
    return folder


def said(log: Path) -> dict:
    """What the stand-in printed about itself (its first line in the log)."""
    return json.loads(log.read_text().splitlines()[0])


def gone(pid: int) -> bool:
    """The process has ended (no such process, or a zombie nobody has collected yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def wait_gone(pid: int, within: float = 10.0) -> bool:
    t0 = time.monotonic()
    while not gone(pid):
        if time.monotonic() - t0 > within:
            return False
        time.sleep(0.05)
    return True


def test_the_real_server_answers_on_a_free_port_and_stops_with_its_workers(web_base, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(web_base, db)
    log = tmp_path / "serve.log"
    with started(db, log, "--workers", "2") as server:
        assert server.base.startswith("http://127.0.0.1:")
        assert httpx.get(server.base + "/login", timeout=60).status_code == 200
        workers = serving._descendants(server.proc.pid)
        assert len(workers) >= 2, workers
        port = int(server.base.rsplit(":", 1)[1])
    assert server.proc.returncode is not None
    assert all(wait_gone(pid) for pid in workers), [p for p in workers if not gone(p)]
    assert not serving._answers(port, 2.0)  # nothing listens there any more
    text = log.read_text()
    assert "zhizao dashboard" in text and "2 worker(s)" in text  # standard output and error both in the log


def test_options_environment_and_folder_reach_the_server_and_its_output_goes_to_the_log(tmp_path):
    src = stand_in(tmp_path / "src")
    log = tmp_path / "run" / "serve.log"
    log.parent.mkdir()
    db = tmp_path / "w.duckdb"
    cmd = [sys.executable, "-m", "zhizao.cli"]
    with started(db, log, "--workers", "3", command=cmd, env={"PYTHONPATH": str(src)}, cwd=log.parent) as server:
        assert httpx.get(server.base + "/login", timeout=10).status_code == 200
        port = server.base.rsplit(":", 1)[1]
    me = said(log)
    assert me["argv"] == ["serve", "--db", str(db), "--port", port, "--workers", "3"]
    assert Path(me["file"]).is_relative_to(src)  # PYTHONPATH comes before the installed package
    assert me["columns"] == "200" and me["cwd"] == str(log.parent)
    assert "to standard error" in log.read_text()
    assert server.proc.returncode == -signal.SIGTERM  # stopped by SIGTERM, not killed


def test_a_server_that_exits_before_answering_is_reported_with_its_log(tmp_path):
    log = tmp_path / "serve.log"
    quits = [sys.executable, "-c", "import sys; print('x' * 5000 + ' the warehouse is broken'); sys.exit(3)"]
    with pytest.raises(RuntimeError, match=r"^zhizao serve exited: x+ the warehouse is broken\s*$") as e:
        with started(tmp_path / "w.duckdb", log, command=quits, log_tail=100):
            pytest.fail("yielded although the server exited")
    assert len(str(e.value)) < 150  # the log's last 100 characters only


def test_a_server_that_never_answers_is_stopped_after_the_start_timeout(tmp_path):
    log = tmp_path / "serve.log"
    silent = [sys.executable, "-c", "import os, time; print(os.getpid(), flush=True); time.sleep(600)"]
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match="zhizao serve did not start"):
        with started(tmp_path / "w.duckdb", log, command=silent, start_timeout=1.0, poll=0.1):
            pytest.fail("yielded although the server never answered")
    assert time.monotonic() - t0 < 30
    assert gone(int(log.read_text().split()[0]))


def test_a_server_stuck_on_sigterm_is_killed_with_every_process_under_it(tmp_path):
    src = stand_in(tmp_path / "src")
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "zhizao.cli"]
    stuck = started(
        tmp_path / "w.duckdb", log, "--ignore-sigterm", command=cmd, env={"PYTHONPATH": str(src)}, stop_timeout=1
    )
    with stuck as server:
        worker = said(log)["worker"]
        assert not gone(worker)
    assert server.proc.returncode == -signal.SIGKILL
    assert wait_gone(worker)


def test_web_bench_starts_this_trees_server_and_an_earlier_commits_through_the_helper(tmp_path, monkeypatch):
    """benchmarks/web_bench.py keeps its way of starting servers: `python -m zhizao.cli serve` in the log's folder,
    --workers N for this tree's, and for --before REF the package of REF's source folder (PYTHONPATH), which need
    not have the helper."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import web_bench

    db = tmp_path / "w.duckdb"
    before = stand_in(tmp_path / "before" / "src")
    with web_bench.server(db, tmp_path / "before.log", before, None) as (base, proc):
        assert httpx.get(base + "/login", timeout=10).status_code == 200
        assert isinstance(proc.pid, int)
    me = said(tmp_path / "before.log")
    assert Path(me["file"]).is_relative_to(before) and me["cwd"] == str(tmp_path)
    assert me["argv"] == ["serve", "--db", str(db), "--port", base.rsplit(":", 1)[1]]
    assert proc.returncode is not None

    # this tree's server: the stand-in found through the environment instead, to see the options it is given
    monkeypatch.setenv("PYTHONPATH", str(before))
    with web_bench.server(db, tmp_path / "after.log", None, 3) as (base, proc):
        pass
    assert said(tmp_path / "after.log")["argv"][-2:] == ["--workers", "3"]


def test_the_bench_command_line_is_unchanged():
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "web_bench.py"), "--help"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    for option in ("--db", "--clients", "--seconds", "--rounds", "--workers", "--before", "--in-place", "--json"):
        assert option in out.stdout
    assert "--client {wrk,httpx}" in out.stdout
