"""Dashboard throughput and latency: requests per second and p50/p95/p99 of the overview and district endpoints and
of their pages' HTML, N concurrent clients on loopback against a real `zhizao serve`, measured in one run — this
tree's server and, with --before REF, the server of an earlier commit on a copy of the same warehouse, both up at
once and measured in turn, endpoint by endpoint, for --rounds rounds (so both see the same background load).

    .venv/bin/python benchmarks/web_bench.py --db /tmp/big.duckdb --before main      # 1,000,000 synthetic firms
    .venv/bin/python benchmarks/web_bench.py --db big.duckdb --clients 32 --seconds 10 --rounds 3 --json

The warehouse should be evaluated first (`zhizao evaluate --db FILE`) so that the pages' analytics panels are
read as they would be in use. The script works on a copy unless --in-place is given (it adds a benchmark
account), starts the server (this tree's waits until its workers' caches are warm, as a server in use would be),
signs in, times each endpoint's first answer, warms up, then runs the clients for --seconds per endpoint, server
and round.

The clients behave like httpx's defaults, as a browser would: they accept gzip, and every answer is a full 200
with its body. A third series (this tree only) revalidates: each client sends the ETag of its last answer
(If-None-Match), as a client keeping its own copy does, and counts a 304 as a success. Client and server share
this machine's cores; the load average at the start and the end is printed and kept: compare the ratios.
--json writes benchmarks/results/web.json (benchmarks/machine.py) as `make bench` does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

ENDPOINTS = [  # (name, path, how it signs in: bearer token or the page's session cookie)
    ("overview", "/api/v1/overview", "token"),
    ("overview (tax growth, recorded map)", "/api/v1/overview?metric=tax&measure=growth&map=recorded", "token"),
    ("district 涪陵区", "/api/v1/districts/500102", "token"),
    ("district 两江新区", "/api/v1/districts/CQ-LJXQ", "token"),
    ("overview page (HTML)", "/", "cookie"),
    ("district page 涪陵区 (HTML)", "/regions/500102", "cookie"),
]
# issue 12's figures before this work (1,000,000 firms, 32 clients, 2 cores): overview and district endpoints
RECORDED_BEFORE = {"overview": {"rps": 247, "p50": 0.067, "p95": 0.435, "p99": 0.718}}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


async def load(base: str, path: str, auth: dict, clients: int, seconds: float, revalidate: bool) -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    wire = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=auth.get("headers"), cookies=auth.get("cookies"), limits=limits, timeout=120
    ) as c:

        async def worker():
            nonlocal errors, wire
            etag = None
            while time.perf_counter() < stop:
                h = {"If-None-Match": etag} if revalidate and etag else None
                t0 = time.perf_counter()
                try:
                    r = await c.get(path, headers=h)
                except httpx.HTTPError:  # a timeout on an overloaded machine: a failed request, not a crash
                    errors += 1
                    lat.append(time.perf_counter() - t0)
                    continue
                dt = time.perf_counter() - t0
                if r.status_code == 200:
                    etag = r.headers.get("etag")
                elif not (revalidate and r.status_code == 304):
                    errors += 1
                wire += r.num_bytes_downloaded
                lat.append(dt)

        t0 = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(clients)])
        wall = time.perf_counter() - t0
    return {"lat": lat, "wall": wall, "errors": errors, "wire": wire}


def summary(parts: list[dict]) -> dict:
    """The rounds of one endpoint on one server, together: every latency, requests over the time they ran."""
    lat = [x for p in parts for x in p["lat"]]
    wall = sum(p["wall"] for p in parts)
    return {
        "n": len(lat),
        "rps": len(lat) / wall if wall else float("nan"),
        "p50": pct(lat, 0.5),
        "p95": pct(lat, 0.95),
        "p99": pct(lat, 0.99),
        "mean": statistics.fmean(lat) if lat else float("nan"),
        "errors": sum(p["errors"] for p in parts),
        "wire_kib_per_request": sum(p["wire"] for p in parts) / max(1, len(lat)) / 1024,
    }


def free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(db: Path, log: Path, src: Path | None, workers: int | None):
    """`zhizao serve` on a free port: this tree's, or (src) the package at src/zhizao of an earlier commit."""
    import httpx

    port = free_port()
    env = {**os.environ, "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "zhizao.cli", "serve", "--db", str(db), "--port", str(port)]
    if src is not None:
        env["PYTHONPATH"] = str(src)
    elif workers:
        cmd += ["--workers", str(workers)]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(log.parent))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"zhizao serve exited: {log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/login", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"zhizao serve did not start: {log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_warm(log: Path, workers: int, limit: float = 900) -> float:
    """Seconds until every worker said its caches are warm (web/serving.py), or `limit`."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if len(re.findall(r"generation \d+ warm in", log.read_text(errors="replace"))) >= workers:
            break
        time.sleep(0.5)
    return time.monotonic() - t0


def sign_in(base: str) -> dict:
    """Bearer headers and the page session cookie of the benchmark account."""
    import httpx

    tok = httpx.post(
        base + "/api/v1/auth/token", data={"username": "bench", "password": "bench-password"}, timeout=120
    ).json()["access_token"]
    with httpx.Client(base_url=base, timeout=120) as c:
        form = c.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        r = c.post(
            "/login",
            data={"username": "bench", "password": "bench-password", "csrf_token": csrf, "next": "/"},
            follow_redirects=False,
        )
        assert r.status_code == 303, (r.status_code, r.text[:300])
        cookies = dict(c.cookies)
    return {"token": {"headers": {"Authorization": f"Bearer {tok}"}}, "cookie": {"cookies": cookies}}


def first_answers(base: str) -> tuple[dict, dict]:
    """Sign in; each endpoint's first answer (its time) and a warm-up."""
    import httpx

    auth = sign_in(base)
    cold = {}
    for name, path, how in ENDPOINTS:
        kw = dict(headers=auth[how].get("headers"), cookies=auth[how].get("cookies"), timeout=900)
        t0 = time.perf_counter()
        r = httpx.get(base + path, **kw)
        cold[name] = time.perf_counter() - t0
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
        for _ in range(3):
            httpx.get(base + path, **kw)
    return auth, cold


def measure(servers: dict, a) -> dict:
    """servers: label -> (base, auth, revalidate). For each round and endpoint, every server in turn for
    --seconds (so each sees the same background load), then the rounds of each are put together."""
    parts: dict = {}
    for _ in range(a.rounds):
        for name, path, how in ENDPOINTS:
            for label, (base, auth, revalidate) in servers.items():
                o = asyncio.run(load(base, path, auth[how], a.clients, a.seconds, revalidate))
                parts.setdefault(label, {}).setdefault(name, []).append(o)
    return {label: {n: summary(p) for n, p in by.items()} for label, by in parts.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/big.duckdb"))
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=8.0, help="per endpoint, server and round")
    ap.add_argument("--rounds", type=int, default=2, help="rounds over every endpoint and server")
    ap.add_argument("--workers", type=int, default=None, help="this tree's server processes (default: one per core)")
    ap.add_argument("--before", metavar="REF", help="also measure the server of this git commit (e.g. main)")
    ap.add_argument("--in-place", action="store_true", help="use the warehouse itself, not a copy")
    ap.add_argument("--json", action="store_true", help="write benchmarks/results/web.json")
    a = ap.parse_args(argv)

    import duckdb
    from rich.console import Console
    from rich.table import Table

    from zhizao.web import auth
    from zhizao.web.serving import default_workers

    console = Console(width=170)
    load0 = list(os.getloadavg())
    work = Path(tempfile.mkdtemp(prefix="zhizao-web-bench-"))
    db = a.db if a.in_place else work / "bench.duckdb"
    workers = a.workers or default_workers()
    try:
        if not a.in_place:
            console.print(f"copying {a.db} ({a.db.stat().st_size / 1e6:,.0f} MB) …")
            shutil.copy(a.db, db)
        con = duckdb.connect(str(db))
        firms = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]
        runs = con.execute("SELECT count(*) FROM run WHERE status = 'done'").fetchone()[0]
        con.execute("DELETE FROM app_user WHERE name = 'bench'")
        auth.add_user(con, "bench", "city", "bench-password", actor="benchmark")
        con.close()
        before: dict = {}
        with contextlib.ExitStack() as stack:
            console.print(f"after: this tree's server, {workers} worker(s) …")
            after_base, _ = stack.enter_context(server(db, work / "after.log", None, workers))
            warm = wait_warm(work / "after.log", workers)
            after_auth, after_cold = first_answers(after_base)
            servers = {}
            if a.before:
                src = work / "before"
                src.mkdir()
                archive = subprocess.run(
                    ["git", "-C", str(ROOT), "archive", a.before, "src"], capture_output=True, check=True
                ).stdout
                subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
                rev = subprocess.run(
                    ["git", "-C", str(ROOT), "rev-parse", "--short", a.before], capture_output=True, text=True
                ).stdout.strip()
                console.print(f"before: the server of {a.before} ({rev}), on its own copy (it holds the file) …")
                before_db = work / "before.duckdb"
                shutil.copy(db, before_db)
                before_base, _ = stack.enter_context(server(before_db, work / "before.log", src / "src", None))
                before_auth, before_cold = first_answers(before_base)
                servers["before"] = (before_base, before_auth, False)
            servers["after"] = (after_base, after_auth, False)
            servers["revalidated"] = (after_base, after_auth, True)
            res = measure(servers, a)
        after, revalidated = res["after"], res["revalidated"]
        for name in after:
            after[name]["first_s"] = revalidated[name]["first_s"] = after_cold[name]
        if a.before:
            before = res["before"]
            for name in before:
                before[name]["first_s"] = before_cold[name]
        load1 = list(os.getloadavg())

        t = Table(
            title=f"zhizao serve — {firms:,} enterprises, {runs} analytics run(s), {a.clients} clients, "
            f"{a.rounds} × {a.seconds:.0f} s per endpoint and server, interleaved, loopback; "
            f"load average {load0[0]:.1f} → {load1[0]:.1f} "
            f"(2 cores shared); after: {workers} worker(s), caches warm {warm:.0f} s after start"
        )
        cols = ["endpoint", "run", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "first ms", "KiB/answer"]
        for c in cols + ["errors", "p95 before/after"]:
            t.add_column(c, justify="left" if c in ("endpoint", "run") else "right")

        def row(name, label, o, ratio=""):
            t.add_row(
                name,
                label,
                f"{o['n']:,}",
                f"{o['rps']:,.1f}",
                f"{o['p50'] * 1e3:,.1f}",
                f"{o['p95'] * 1e3:,.1f}",
                f"{o['p99'] * 1e3:,.1f}",
                f"{o['first_s'] * 1e3:,.0f}",
                f"{o['wire_kib_per_request']:,.1f}",
                str(o["errors"]),
                ratio,
            )

        for name, path, _ in ENDPOINTS:
            label = f"{name}\n{path}"
            if name in RECORDED_BEFORE:
                r = RECORDED_BEFORE[name]
                t.add_row(
                    label,
                    "issue 12 (recorded)",
                    "",
                    f"{r['rps']:,}",
                    f"{r['p50'] * 1e3:,.0f}",
                    f"{r['p95'] * 1e3:,.0f}",
                    f"{r['p99'] * 1e3:,.0f}",
                    "",
                    "",
                    "",
                    "",
                )
                label = ""
            if name in before:
                row(label, f"before ({a.before})", before[name])
                label = ""
            ratio = f"{before[name]['p95'] / after[name]['p95']:,.1f}×" if name in before else ""
            row(label, "after, 200s", after[name], ratio)
            row("", "after, revalidated", revalidated[name])
        console.print(t)
        if a.json:
            from machine import write_result

            figures = {
                "firms": firms,
                "clients": a.clients,
                "seconds": a.seconds,
                "rounds": a.rounds,
                "workers": workers,
                "warm_seconds": warm,
                "endpoints": after,
                "revalidated": revalidated,
                "before": before,
                "before_ref": a.before,
                "recorded_before": RECORDED_BEFORE,
                "load_average_end": load1,
            }
            console.print(f"written {write_result('web', figures, started_load=load0)}")
        bad = sum(o["errors"] for d in (after, revalidated) for o in d.values())
        return 1 if bad else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
