"""`zhizao evaluate`: wall time and peak memory, per instrument, and how both grow with the warehouse.

    .venv/bin/python benchmarks/evaluate_bench.py --db /tmp/big.duckdb [--year 2024] [--engine duckdb]
    .venv/bin/python benchmarks/evaluate_bench.py --curve [--sizes 100000,1000000,3000000]
                                                  [--engines duckdb,spark] [--dir /tmp/zhizao-bench] [--json]

One warehouse (--db): runs `zhizao.analytics.evaluate_all` (what `zhizao evaluate` does: every instrument, then
the results stored in one run) in a child process and prints the seconds of each instrument, of storing the
results, the total and the peak memory.

The growth curve (--curve): for each size, the demo warehouse is built once (kept in --dir: a DuckDB file, and
for Spark the same demo as a Parquet warehouse folder, `zhizao demo --format parquet`), then evaluated on each
engine — DuckDB on the file, Spark (local[2]) on the folder (`zhizao evaluate --engine spark --warehouse`).
Peak memory is the largest resident set of the child process and every process it started (Spark's JVM
included), sampled every 0.2 s. The table ends with the fitted exponents b of time ∝ n^b and memory ∝ n^b
(least squares on the logarithms): b = 1 is linear growth, b = 0 flat.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import json, resource, sys
from zhizao.analytics import evaluate_all
path, year, engine = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = evaluate_all(path, year, engine, master="local[2]" if engine == "spark" else None)
print(json.dumps({"open": s.open_seconds, "times": {i.name: i.seconds for i in s.instruments},
                  "rows": {i.name: i.rows for i in s.instruments}, "save": s.save_seconds, "total": s.seconds,
                  "run": s.run_id, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (from /proc), KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            for line in (d / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[int(d.name)] = int(line.split()[1])
                    break
            children.setdefault(ppid, []).append(int(d.name))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run_child(args: list[str]) -> tuple[dict, float]:
    """Run the child, sampling its process tree's memory; returns (its JSON line, peak tree RSS in MiB)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            done.wait(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    done.set()
    t.join()
    if proc.returncode != 0:
        print(err[-4000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(args[:4])} …")
    return json.loads(out.strip().splitlines()[-1]), peak[0] / 1024


def evaluate(path: Path, year: int, engine: str) -> dict:
    r, tree = run_child([sys.executable, "-c", CHILD, str(path), str(year), engine])
    r["peak_tree_mb"] = max(tree, r["peak_rss_mb"])
    return r


def build(path: Path, n: int, fmt: str) -> float:
    """Build the demo at `path` unless it is there; returns the seconds it took (0 when kept)."""
    if path.exists():
        return 0.0
    args = [sys.executable, "-m", "zhizao.cli", "demo", "--enterprises", str(n), "--no-serve"]
    args += ["--db", str(path)] if fmt == "duckdb" else ["--format", "parquet", "--out", str(path)]
    print(f"  building {n:,} firms ({fmt}) at {path} …", flush=True)
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - t


def firm_years(path: Path) -> tuple[int, int]:
    import duckdb

    if path.is_dir():
        from zhizao.store import parquet

        con = duckdb.connect()
        parquet.duckdb_views(con, path)
    else:
        con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(DISTINCT uscc), count(*) FROM enterprise_year").fetchone()
    finally:
        con.close()


def exponent(ns: list[float], ys: list[float]) -> float:
    import numpy as np

    return float(np.polyfit(np.log(ns), np.log(ys), 1)[0])


def one(args) -> None:
    db = Path(args.db)
    build(db, args.enterprises, "duckdb")
    firms, fy = firm_years(db)
    r = evaluate(db, args.year, args.engine)
    print(f"warehouse {db}: {firms:,} enterprises, {fy:,} enterprise-years; engine {args.engine}, year {args.year}")
    print(f"  {'open':<16} {r['open']:8.1f} s")
    for name, secs in r["times"].items():
        print(f"  {name:<16} {secs:8.1f} s   {r['rows'][name]}")
    print(f"  {'save results':<16} {r['save']:8.1f} s")
    print(
        f"  {'total':<16} {r['total']:8.1f} s   peak RSS {r['peak_rss_mb']:,.0f} MB (with child processes "
        f"{r['peak_tree_mb']:,.0f} MB)   {fy / r['total']:,.0f} enterprise-years per second"
    )
    if args.json:
        from machine import write_result

        print(f"wrote {write_result('evaluate', {'firms': firms, 'firm_years': fy, 'engine': args.engine, **r})}")


def curve(args) -> None:
    load0 = list(os.getloadavg())
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.sizes.split(",")]
    engines = args.engines.split(",")
    rows: list[dict] = []
    for n in sizes:
        for engine in engines:
            path = folder / (f"demo-{n}.duckdb" if engine == "duckdb" else f"demo-{n}.parquet")
            build(path, n, "duckdb" if engine == "duckdb" else "parquet")
            firms, fy = firm_years(path)
            print(f"  evaluating {firms:,} firms on {engine} …", flush=True)
            r = evaluate(path, args.year, engine)
            rows.append(
                {"enterprises": firms, "firm_years": fy, "engine": engine, "load_after": os.getloadavg()[0], **r}
            )
            print(
                f"    {r['total']:8.1f} s, peak {r['peak_tree_mb']:,.0f} MB (load average {os.getloadavg()[0]:.1f})",
                flush=True,
            )
            # the table so far, and its file: a curve cut short still leaves what it measured
            report(rows, engines, args, load0, final=False)
    report(rows, engines, args, load0, final=True)


def fits_of(rows: list[dict], engines: list[str]) -> dict:
    """time ∝ n^b and memory ∝ n^b per engine, least squares on the logarithms (two sizes or more)."""
    fits = {}
    for engine in engines:
        mine = [r for r in rows if r["engine"] == engine]
        if len({r["enterprises"] for r in mine}) >= 2:
            ns = [r["enterprises"] for r in mine]
            fits[engine] = {
                "time_exponent": exponent(ns, [r["total"] for r in mine]),
                "memory_exponent": exponent(ns, [r["peak_tree_mb"] for r in mine]),
            }
    return fits


def report(rows: list[dict], engines: list[str], args, load0: list[float], *, final: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    fits = fits_of(rows, engines)
    # printed after every run: a curve cut short still shows what it measured
    so_far = "" if final else ", so far"
    t = Table(
        title=f"zhizao evaluate {args.year}: time and peak memory by size (load average at start "
        f"{load0[0]:.1f}{so_far})"
    )
    for c in ("engine", "enterprises", "firm-years", "seconds", "peak MiB", "store s", "firm-years/s"):
        t.add_column(c, justify="left" if c == "engine" else "right")
    for engine in engines:
        for r in (r for r in rows if r["engine"] == engine):
            t.add_row(
                engine,
                f"{r['enterprises']:,}",
                f"{r['firm_years']:,}",
                f"{r['total']:,.1f}",
                f"{r['peak_tree_mb']:,.0f}",
                f"{r['save']:,.1f}",
                f"{r['firm_years'] / r['total']:,.0f}",
            )
        if engine in fits:
            f = fits[engine]
            t.add_row(
                engine,
                "fitted exponent",
                "",
                f"n^{f['time_exponent']:.2f}",
                f"n^{f['memory_exponent']:.2f}",
                "",
                "",
            )
    Console(width=120).print(t)
    if args.json:
        from machine import write_result

        doc = {"year": args.year, "runs": rows, "fits": fits, "complete": final}
        path = write_result("evaluate_curve", doc, started_load=load0)
        if final:
            print(f"wrote {path}")


def merge(args) -> None:
    """One curve from the JSON files of curves run apart (e.g. one process per engine, side by side, or a curve cut
    short and its missing sizes run again): the runs together, the exponents fitted again, the table printed and
    (with --json) written. The curve is complete when every engine has a run at every size."""
    rows, loads = [], []
    for f in args.merge.split(","):
        doc = json.loads(Path(f).read_text(encoding="utf-8"))
        rows += doc["figures"]["runs"]
        loads.append(doc["machine"].get("load_average_at_start") or doc["machine"]["load_average"])
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    sizes = {r["enterprises"] for r in rows}
    complete = all({r["enterprises"] for r in rows if r["engine"] == e} == sizes for e in engines)
    report(rows, engines, args, max(loads, key=lambda x: x[0]), final=complete)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/big.duckdb")
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--engine", default="duckdb")
    ap.add_argument("--curve", action="store_true", help="the growth curve over --sizes and --engines")
    ap.add_argument("--sizes", default="100000,1000000,3000000")
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--dir", default="/tmp/zhizao-bench", help="where the curve's warehouses are built and kept")
    ap.add_argument("--json", action="store_true", help="write benchmarks/results/evaluate(_curve).json")
    ap.add_argument("--merge", help="comma-separated evaluate_curve JSON files to join into one curve (see merge)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.merge:
        merge(args)
    else:
        curve(args) if args.curve else one(args)


if __name__ == "__main__":
    main()
