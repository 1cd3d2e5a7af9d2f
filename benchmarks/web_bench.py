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

The clients behave like a browser's defaults: they accept gzip, and every answer is a full 200 with its body. A
third series (this tree only) revalidates: each request sends the ETag of the answer (If-None-Match), as a client
keeping its own copy does, and counts a 304 as a success.

The load generator is `wrk` (Debian's package, scripts/debian-packages.txt; --client wrk, the default when it is
installed): one C thread keeping the N connections busy, a few microseconds of CPU per request. Client and server
share this machine's 2 cores, and a Python client (--client httpx: N asyncio tasks on one httpx.AsyncClient, what
this benchmark used before) spends about as much CPU per request as the server's kept answers do, so it measured
mostly itself. The CPU time of the client and of the server processes per request is printed beside the
latencies, and so is the load average at the start and the end: compare the ratios.
--json writes benchmarks/results/web.json (benchmarks/machine.py) as `make bench` does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
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
# (issue 12 gives the district pages' p95 only, as a range: 424–449 ms)
RECORDED_BEFORE = {
    "overview": {"rps": 247, "p50": 0.067, "p95": 0.435, "p99": 0.718},
    "district 涪陵区": {"p95": 0.449},
    "district 两江新区": {"p95": 0.449},
}


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


WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "mean_us": %f, "errors": %d}\n', summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load_wrk(base: str, path: str, auth: dict, clients: int, seconds: float, etag: str | None) -> dict:
    """`wrk` with `clients` connections on one thread for `seconds`; latencies are wrk's (from the request written
    to the whole response read), kept as its percentiles. `etag`: sent as If-None-Match (a 304 is a success;
    wrk counts only other statuses than 2xx and 3xx as errors)."""
    import json

    headers = {"Accept-Encoding": "gzip", **(auth.get("headers") or {})}
    if auth.get("cookies"):
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in auth["cookies"].items())
    if etag:
        headers["If-None-Match"] = etag
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
    cmd = ["wrk", "-t", "1", "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "60s", "-s", f.name]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    try:
        out = subprocess.run(cmd + [base + path], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    o = json.loads(out.strip().splitlines()[-1])
    n = o["requests"]
    return {
        "n": n,
        "wall": o["duration_us"] / 1e6,
        "errors": o["errors"],
        "wire": o["bytes"],
        "pcts": {"p50": o["p50_us"] / 1e6, "p95": o["p95_us"] / 1e6, "p99": o["p99_us"] / 1e6},
        "mean": o["mean_us"] / 1e6,
    }


def _ticks(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes and their children, from /proc."""
    hz = os.sysconf("SC_CLK_TCK")
    total = 0.0
    seen = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(f[11]) + int(f[12])) / hz
            for t in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in (t / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def cpu_of(server_pid: int, run):
    """run() with the CPU seconds the server's processes and this process's children (the client) used meanwhile."""
    import resource

    s0 = _ticks([server_pid])
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = resource.getrusage(resource.RUSAGE_SELF)
    out = run()
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t1 = resource.getrusage(resource.RUSAGE_SELF)
    client = (c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime) + (
        t1.ru_utime + t1.ru_stime - t0.ru_utime - t0.ru_stime
    )
    out["cpu_server"] = _ticks([server_pid]) - s0
    out["cpu_client"] = client
    return out


def summary(parts: list[dict]) -> dict:
    """The rounds of one endpoint on one server, together: every latency, requests over the time they ran."""
    wall = sum(p["wall"] for p in parts)
    if all("lat" in p for p in parts):  # every latency (the httpx client)
        lat = [x for p in parts for x in p["lat"]]
        n = len(lat)
        q = {"p50": pct(lat, 0.5), "p95": pct(lat, 0.95), "p99": pct(lat, 0.99)}
        mean = statistics.fmean(lat) if lat else float("nan")
    else:  # wrk's percentiles per run: the rounds' worst (a single round: exactly wrk's)
        n = sum(p["n"] for p in parts)
        q = {k: max(p["pcts"][k] for p in parts) for k in ("p50", "p95", "p99")}
        mean = sum(p["mean"] * p["n"] for p in parts) / max(1, n)
    return {
        "n": n,
        "rps": n / wall if wall else float("nan"),
        **q,
        "mean": mean,
        "errors": sum(p["errors"] for p in parts),
        "wire_kib_per_request": sum(p["wire"] for p in parts) / max(1, n) / 1024,
        "server_cpu_ms_per_request": 1e3 * sum(p.get("cpu_server", 0) for p in parts) / max(1, n),
        "client_cpu_ms_per_request": 1e3 * sum(p.get("cpu_client", 0) for p in parts) / max(1, n),
    }


@contextlib.contextmanager
def server(db: Path, log: Path, src: Path | None, workers: int | None):
    """`zhizao serve` on a free port: this tree's, or (src) the package at src/zhizao of an earlier commit, run by
    this tree's helper (web/serving.started) with PYTHONPATH=src; yields (base URL, process)."""
    from zhizao.web.serving import started

    env, options = {}, []
    if src is not None:
        env["PYTHONPATH"] = str(src)
    elif workers:
        options = ["--workers", str(workers)]
    with started(
        db,
        log,
        *options,
        command=[sys.executable, "-m", "zhizao.cli"],
        env=env,
        cwd=log.parent,
        start_timeout=900,
        probe_timeout=5,
        poll=0.5,
        stop_timeout=30,
        log_tail=3000,
    ) as running:
        yield running.base, running.proc


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


def etag_of(base: str, path: str, auth: dict) -> str | None:
    import httpx

    r = httpx.get(base + path, headers=auth.get("headers"), cookies=auth.get("cookies"), timeout=120)
    return r.headers.get("etag")


def measure(servers: dict, a) -> dict:
    """servers: label -> (base, auth, revalidate, server pid). For each round and endpoint, every server in turn
    for --seconds (so each sees the same background load), then the rounds of each are put together."""
    parts: dict = {}
    for _ in range(a.rounds):
        for name, path, how in ENDPOINTS:
            for label, (base, auth, revalidate, pid) in servers.items():
                if a.client == "wrk":
                    etag = etag_of(base, path, auth[how]) if revalidate else None
                    run = functools.partial(load_wrk, base, path, auth[how], a.clients, a.seconds, etag)
                else:
                    coro = functools.partial(load, base, path, auth[how], a.clients, a.seconds, revalidate)
                    run = functools.partial(lambda c: asyncio.run(c()), coro)
                o = cpu_of(pid, run)
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
    ap.add_argument(
        "--client",
        choices=["wrk", "httpx"],
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator: wrk (Debian package, default when installed) or Python httpx clients",
    )
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
            after_base, after_proc = stack.enter_context(server(db, work / "after.log", None, workers))
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
                before_base, before_proc = stack.enter_context(
                    server(before_db, work / "before.log", src / "src", None)
                )
                before_auth, before_cold = first_answers(before_base)
                servers["before"] = (before_base, before_auth, False, before_proc.pid)
            servers["after"] = (after_base, after_auth, False, after_proc.pid)
            servers["revalidated"] = (after_base, after_auth, True, after_proc.pid)
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
            f"(2 cores shared); client: {a.client}; after: {workers} worker(s), caches warm {warm:.0f} s after start"
        )
        cols = ["endpoint", "run", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "first ms", "KiB/answer"]
        cols += ["CPU ms/req server", "client"]
        for c in cols + ["errors", "p95 before/after"]:
            t.add_column(c, justify="left" if c in ("endpoint", "run") else "right")

        def ms(v, digits=1):
            return "" if v is None else f"{v * 1e3:,.{digits}f}"

        def row(name, label, o, ratio=""):
            t.add_row(
                name,
                label,
                f"{o['n']:,}",
                f"{o['rps']:,.1f}",
                ms(o["p50"]),
                ms(o["p95"]),
                ms(o["p99"]),
                ms(o["first_s"], 0),
                f"{o['wire_kib_per_request']:,.1f}",
                f"{o['server_cpu_ms_per_request']:,.2f}",
                f"{o['client_cpu_ms_per_request']:,.2f}",
                str(o["errors"]),
                ratio,
            )

        for name, path, _ in ENDPOINTS:
            label = f"{name}\n{path}"
            if name in RECORDED_BEFORE:
                r = RECORDED_BEFORE[name]
                rps = f"{r['rps']:,}" if "rps" in r else ""
                t.add_row(
                    label, "issue 12 (recorded)", "", rps, ms(r.get("p50"), 0), ms(r["p95"], 0), ms(r.get("p99"), 0)
                )
                label = ""
            if name in before:
                row(label, f"before ({a.before})", before[name])
                label = ""
            ratio = f"{before[name]['p95'] / after[name]['p95']:,.1f}×" if name in before else ""
            if name in RECORDED_BEFORE:
                ratio += f" (issue: {RECORDED_BEFORE[name]['p95'] / after[name]['p95']:,.1f}×)"
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
                "client": a.client,
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
