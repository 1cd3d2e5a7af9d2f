"""Briefings: how long a district PDF takes against rendering the same district's dashboard page, and what a
city workbook costs on a large warehouse — measured in one run, printed as times and ratios.

    .venv/bin/python benchmarks/report_bench.py                          # builds the 8,000-firm demo, evaluates it
    .venv/bin/python benchmarks/report_bench.py --db zhizao.duckdb --region 500102
    .venv/bin/python benchmarks/report_bench.py --db /tmp/reports-1m.duckdb --city-workbook   # 1,000,000 firms

District: the page `/regions/{code}` through the app in process (first request, and the same again warm) and
`make(..., fmt="pdf")` for the same district as an administrator; the ratio is PDF / first page render.
City workbook (--city-workbook): `zhizao report --scope city --format xlsx` in a child process, its wall time
and peak resident memory (the child's ru_maxrss), against the targets of one minute and 2 GiB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def demo(folder: Path, n: int) -> Path:
    from zhizao.analytics import evaluate_all
    from zhizao.ingest.synth.build import build_demo

    path = folder / "demo.duckdb"
    t0 = time.perf_counter()
    build_demo(path, enterprises=n, seed=7)
    year = _latest_year(path)
    evaluate_all(path, year)
    print(f"built and evaluated a {n:,}-firm demo in {time.perf_counter() - t0:.1f} s")
    return path


def _latest_year(path: Path) -> int:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT max(year) FROM enterprise_year").fetchone()[0]
    finally:
        con.close()


def _evaluated_year(path: Path) -> int:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT max(t.result_year) FROM cluster_figures t JOIN run r ON r.id = t.run_id WHERE r.status = 'done'"
        ).fetchone()[0]
    finally:
        con.close()


def district(path: Path, region: str, repeat: int) -> None:
    from fastapi.testclient import TestClient

    from zhizao.web import auth
    from zhizao.web.access import Policy
    from zhizao.web.app import create_app
    from zhizao.web.briefing import make
    from zhizao.web.warehouse import Warehouse

    year = _evaluated_year(path)
    con = __import__("zhizao.store.db", fromlist=["open_warehouse"]).open_warehouse(path)
    try:
        if not con.execute("SELECT 1 FROM app_user WHERE name = 'bench-admin'").fetchone():
            auth.add_user(con, "bench-admin", "admin", "bench-password-1", None, actor="bench")
    finally:
        con.close()
    pages, pages_warm, pdfs = [], [], []
    size = 0
    for _ in range(repeat):
        app = create_app(path, read_only=True)
        client = TestClient(app)
        client.cookies.set(auth.SESSION_COOKIE, app.state.zz.users.token_for("bench-admin", api=False))
        t0 = time.perf_counter()
        r = client.get(f"/regions/{region}?year={year}")
        pages.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.status_code
        t0 = time.perf_counter()
        client.get(f"/regions/{region}?year={year}")
        pages_warm.append(time.perf_counter() - t0)
        app.state.zz.wh.close()
        wh = Warehouse.open(path, read_only=True)
        t0 = time.perf_counter()
        data = make(wh, Policy(wh), None, scope="district", region=region, year=year, fmt="pdf")
        pdfs.append(time.perf_counter() - t0)
        size = len(data)
        wh.close()
    page, warm, pdf = min(pages), min(pages_warm), min(pdfs)
    print(f"district {region}, {year} (best of {repeat}):")
    print(f"  dashboard page, first render   {page:8.2f} s")
    print(f"  dashboard page, warm           {warm:8.2f} s")
    print(f"  PDF briefing                   {pdf:8.2f} s   ({size / 1024:,.0f} KB)")
    print(f"  ratio PDF / first page render  {pdf / page:8.1f} x")


def city_workbook(path: Path) -> None:
    year = _evaluated_year(path)
    exe = Path(sys.executable).with_name("zhizao")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "city.xlsx"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        r = subprocess.run(
            [
                str(exe),
                "report",
                "--db",
                str(path),
                "--scope",
                "city",
                "--year",
                str(year),
                "--format",
                "xlsx",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if r.returncode != 0:
            print(r.stdout, r.stderr)
            raise SystemExit(r.returncode)
        size = out.stat().st_size
    peak_mb = max(peak, before) / 1024
    print(
        f"city workbook, {year}: {wall:.1f} s wall (target < 60 s: {wall / 60:.2f} of it), "
        f"peak RSS {peak_mb:,.0f} MB (target < 2048 MB: {peak_mb / 2048:.2f} of it), {size / 1e6:.1f} MB file"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an evaluated warehouse (default: build the 8,000-firm demo)")
    ap.add_argument("--enterprises", type=int, default=8000)
    ap.add_argument("--region", default="500102", help="district code (default 涪陵区)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--city-workbook", action="store_true", help="time the city workbook instead (large warehouses)")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if a.db and a.city_workbook:
            path = a.db  # read only
        elif a.db:
            path = Path(tmp) / "copy.duckdb"  # the benchmark adds an account: work on a copy
            shutil.copy(a.db, path)
        else:
            path = demo(Path(tmp), a.enterprises)
        if a.city_workbook:
            city_workbook(path)
        else:
            district(path, a.region, a.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
