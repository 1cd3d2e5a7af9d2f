"""Every benchmark, one after the other: what `make bench` runs. Each writes benchmarks/results/NAME.json with the
machine's description (benchmarks/machine.py); the README's benchmark table is then rewritten from those files
(benchmarks/readme_table.py).

    .venv/bin/python benchmarks/run_all.py [--only generation,complexity] [--dir /tmp/zhizao-bench]
                                           [--sizes 100000,1000000,3000000] [--quick]

--quick measures small sizes only (100,000 firms; the curve on 20,000 / 100,000), for trying the pipeline out.
The large warehouses are built once in --dir and kept (about 1.3 GB per million firms as DuckDB, 0.5 GB as
Parquet); the 1,000,000-firm one serves the rollup, web and report benchmarks after the curve has evaluated it.
A benchmark that fails is reported and the others still run; the exit status says whether all succeeded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable


def plan(a) -> list[tuple[str, list[str], str]]:
    """(result name, command, how its result comes: "file" — it writes results/NAME.json itself; "json" — it prints
    JSON on stdout; "text" — it prints a table, kept as lines)"""
    sizes = "20000,100000" if a.quick else a.sizes
    big = Path(a.dir) / ("demo-100000.duckdb" if a.quick else "demo-1000000.duckdb")
    return [
        (
            "generation",
            [
                PY,
                str(HERE / "synth_bench.py"),
                "--sizes",
                sizes.split(",")[-1] if a.quick else "100000,1000000",
                "--json",
            ],
            "file",
        ),
        (
            "evaluate_curve",
            [PY, str(HERE / "evaluate_bench.py"), "--curve", "--sizes", sizes, "--dir", a.dir, "--json"],
            "file",
        ),
        ("rollup", [PY, str(HERE / "rollup_bench.py"), "--db", str(big), "--json"], "file"),
        (
            "complexity",
            [PY, str(HERE / "complexity_bench.py"), "--json"] + (["--sizes", "300x600"] if a.quick else []),
            "file",
        ),
        ("extraction", [PY, str(HERE / "extraction_eval.py"), "--set", "development", "--json"], "json"),
        (
            "web",
            [PY, str(HERE / "web_bench.py"), "--db", str(big), "--json"] + (["--seconds", "5"] if a.quick else []),
            "file",
        ),
        ("reports", [PY, str(HERE / "report_bench.py"), "--db", str(big)], "text"),
    ]


# Disk the growth curve's largest DuckDB point needs while it runs (spilled ladder tables, DuckDB's temporary files,
# the results written into the warehouse): measured 18.9 GB at 3,000,000 firms (lowest free space on the disk during
# `evaluate_bench.py --curve --sizes 3000000`, session 7; a make bench with 17 GB free failed there with "No space
# left on device"), so about 6.5 GB per million firms.
DISK_GB_PER_MILLION_FIRMS = 6.5


def disk_short(a) -> str | None:
    """Why the curve cannot run on this disk (None when it can): checked before it starts, not 25 minutes in."""
    import shutil
    import tempfile

    largest = max(int(x) for x in ("20000,100000" if a.quick else a.sizes).split(","))
    need = DISK_GB_PER_MILLION_FIRMS * largest / 1e6
    bench_dir = Path(a.dir) if Path(a.dir).exists() else Path(a.dir).resolve().parent  # (made when the curve starts)
    for where in dict.fromkeys((tempfile.gettempdir(), str(bench_dir))):
        free = shutil.disk_usage(where).free / 1e9
        if free < need:
            return (
                f"{where} has {free:.1f} GB free; evaluating {largest:,} firms needs about {need:.0f} GB "
                f"({DISK_GB_PER_MILLION_FIRMS} GB per million firms, measured): free space or pass smaller --sizes"
            )
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--only", help="comma-separated names: " + "generation,evaluate_curve,rollup,complexity,extraction,web,reports"
    )
    ap.add_argument("--dir", default="/tmp/zhizao-bench")
    ap.add_argument("--sizes", default="100000,1000000,3000000")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from machine import write_result

    only = set(a.only.split(",")) if a.only else None
    failed = []
    for name, cmd, how in plan(a):
        if only and name not in only:
            continue
        print(f"\n=== {name}: {' '.join(Path(c).name if c.startswith('/') else c for c in cmd[1:])}", flush=True)
        short = disk_short(a) if name == "evaluate_curve" else None
        if short:
            failed.append(name)
            print(f"--- {name} not run: {short}", flush=True)
            continue
        load0 = list(os.getloadavg())
        t0 = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=how != "file", text=True, env=env, check=False)
        secs = time.perf_counter() - t0
        if proc.returncode != 0:
            failed.append(name)
            print(f"--- {name} failed (exit {proc.returncode}) after {secs:.0f} s", flush=True)
            if how != "file":
                print(proc.stdout[-3000:], proc.stderr[-3000:])
            continue
        if how == "json":
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            print(json.dumps(figures, ensure_ascii=False)[:2000])
            write_result(name, figures, started_load=load0)
        elif how == "text":
            print(proc.stdout)
            write_result(name, {"output": proc.stdout.splitlines()}, started_load=load0)
        print(f"--- {name} done in {secs:.0f} s", flush=True)
    from readme_table import rewrite

    rewrite(ROOT / "README.md")
    print(f"\nREADME.md benchmark table rewritten from {HERE / 'results'}")
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
