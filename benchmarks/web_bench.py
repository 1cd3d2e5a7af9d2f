"""Dashboard API throughput and latency: requests per second and p50/p95/p99 of the overview and district
endpoints, N concurrent clients on loopback against a real `zhizao serve` process, measured in one run.

    .venv/bin/python benchmarks/web_bench.py --db /tmp/big.duckdb            # 1,000,000 synthetic firms
    .venv/bin/python benchmarks/web_bench.py --db big.duckdb --clients 32 --seconds 20

The warehouse should be evaluated first (`zhizao evaluate --db FILE`) so that the pages' analytics
panels are read as they would be in use; without results the endpoints still answer (figures come from
the warehouse, panels say "not evaluated yet"). The script works on a copy unless --in-place is given
(it adds a benchmark account), starts the server, signs in, warms up, then for each endpoint runs the
clients for --seconds and prints one table. Client and server share this machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

ENDPOINTS = [
    ("overview", "/api/v1/overview"),
    ("overview (tax growth, recorded map)", "/api/v1/overview?metric=tax&measure=growth&map=recorded"),
    ("district 涪陵区", "/api/v1/districts/500102"),
    ("district 两江新区", "/api/v1/districts/CQ-LJXQ"),
]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


async def load(base: str, path: str, token: str, clients: int, seconds: float) -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=60
    ) as c:

        async def worker():
            nonlocal errors
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await c.get(path)
                dt = time.perf_counter() - t0
                if r.status_code != 200:
                    errors += 1
                lat.append(dt)

        t0 = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(clients)])
        wall = time.perf_counter() - t0
    return {
        "n": len(lat),
        "rps": len(lat) / wall,
        "p50": pct(lat, 0.5),
        "p95": pct(lat, 0.95),
        "p99": pct(lat, 0.99),
        "mean": statistics.fmean(lat) if lat else float("nan"),
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/big.duckdb"))
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--in-place", action="store_true", help="use the warehouse itself, not a copy")
    a = ap.parse_args(argv)

    import duckdb
    import httpx
    from rich.console import Console
    from rich.table import Table

    from web_fixtures import served
    from zhizao.web import auth

    console = Console(width=150)
    work = Path(tempfile.mkdtemp(prefix="zhizao-web-bench-"))
    db = a.db if a.in_place else work / "bench.duckdb"
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
        with served(db, work / "serve.log") as base:
            tok = httpx.post(
                base + "/api/v1/auth/token", data={"username": "bench", "password": "bench-password"}, timeout=60
            ).json()["access_token"]
            h = {"Authorization": f"Bearer {tok}"}
            cold = {}
            for name, path in ENDPOINTS:  # first request (cold caches) and a warm-up
                t0 = time.perf_counter()
                r = httpx.get(base + path, headers=h, timeout=300)
                cold[name] = time.perf_counter() - t0
                assert r.status_code == 200, (path, r.status_code, r.text[:200])
                for _ in range(3):
                    httpx.get(base + path, headers=h, timeout=300)
            out = {}
            for name, path in ENDPOINTS:
                out[name] = asyncio.run(load(base, path, tok, a.clients, a.seconds))
                out[name]["bytes"] = len(httpx.get(base + path, headers=h, timeout=60).content)
        t = Table(
            title=f"zhizao serve — {firms:,} enterprises, {runs} analytics run(s), {a.clients} clients, "
            f"{a.seconds:.0f} s per endpoint, loopback"
        )
        for c in ("endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "first (cold) ms", "KiB", "errors"):
            t.add_column(c, justify="left" if c == "endpoint" else "right")
        for name, path in ENDPOINTS:
            o = out[name]
            t.add_row(
                f"{name}\n{path}",
                f"{o['n']:,}",
                f"{o['rps']:,.1f}",
                f"{o['p50'] * 1e3:,.1f}",
                f"{o['p95'] * 1e3:,.1f}",
                f"{o['p99'] * 1e3:,.1f}",
                f"{cold[name] * 1e3:,.0f}",
                f"{o['bytes'] / 1024:,.0f}",
                str(o["errors"]),
            )
        console.print(t)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
