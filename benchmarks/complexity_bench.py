"""Benchmark: zhizao.analytics.complexity against the Harvard Growth Lab's ecomplexity 0.5.3.

    .venv/bin/python benchmarks/complexity_bench.py                      # 300 regions × 600 industries
    .venv/bin/python benchmarks/complexity_bench.py --lsm-trap           # + ecomplexity's default check on 50 × 200
    .venv/bin/python benchmarks/complexity_bench.py --warehouse /tmp/big.duckdb   # + both instruments on a warehouse

Both start from the same long table (year, region, industry, value) and return every measure for every
region × industry cell (rca, mcp, diversity, ubiquity, eci, pci, density, coi, cog). Time is the median
of --repeat runs (wall clock, after a warm-up); peak memory is tracemalloc's peak of the call (Python and
NumPy/pandas buffers allocated during it), measured in separate runs so tracing does not slow the timed
ones. ecomplexity runs with check_logsupermodularity=False (its default-on check costs seconds and GiB
on city-sized matrices); its default is measured too, on the same matrix, and with --lsm-trap on 50 × 200.
"""

from __future__ import annotations

import os

# One BLAS thread for both packages unless asked otherwise: on this shared 2-core machine a threaded
# OpenBLAS eigen-decomposition slows down 10x whenever other processes hold the cores, which would
# measure the neighbours rather than the code (set BENCH_BLAS_THREADS=2 to compare threaded).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = os.environ.get("BENCH_BLAS_THREADS", "1")

import argparse
import contextlib
import io
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from zhizao.analytics import complexity as cx

COLS = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}


def matrix(L: int, P: int, seed: int = 0) -> pd.DataFrame:
    """Nested-capability synthetic data: value ~ lognormal × (capability ≥ need), 30% zeros."""
    rng = np.random.default_rng(seed)
    cap, need = rng.random(L), rng.random(P)
    base = np.where(cap[:, None] + 0.3 >= need[None, :], 1.0, 0.15)
    x = base * rng.lognormal(2.0, 1.5, (L, P)) * (rng.random((L, P)) > 0.3)
    return pd.DataFrame(
        {
            "year": 2024,
            "loc": np.repeat([f"r{i:04d}" for i in range(L)], P),
            "prod": np.tile([f"p{j:04d}" for j in range(P)], L),
            "val": x.ravel(),
        }
    )


def run_zhizao(df):
    return cx.complexity_long(df["loc"], df["prod"], df["val"].to_numpy())


def run_ecomplexity(df, lsm=False):
    from ecomplexity import ecomplexity

    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ecomplexity(df, COLS, check_logsupermodularity=lsm, verbose=False)


def measure(fn, repeat: int) -> tuple[float, float, list[float]]:
    """(median seconds, peak MiB, all times)"""
    fn()  # warm-up (imports, BLAS threads)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, times


def compare(df) -> float:
    ours = run_zhizao(df).to_pandas()
    theirs = run_ecomplexity(df)
    m = theirs.merge(ours, left_on=["loc", "prod"], right_on=["region", "industry"], suffixes=("_e", "_z"))
    return max(
        float(np.nanmax(np.abs(m[f"{c}_e"].astype(float) - m[f"{c}_z"].astype(float))))
        for c in ("rca", "mcp", "eci", "pci", "density", "coi", "cog")
    )


def warehouse(path: str) -> None:
    from zhizao.analytics import Context
    from zhizao.analytics import specialisation as sp

    ctx = Context.open(path)
    try:
        firms = ctx.to_arrow(ctx.table("enterprise").count().name("n").as_table()).column(0)[0].as_py()
        print(f"\nwarehouse {path}: {firms:,} enterprises, year {ctx.year}")
        for name, fn in (
            ("specialisation (both levels, LQ + flags + portfolio + shift-share)", lambda: sp.evaluate(ctx)),
            ("opportunities (matrix + complexity + recommendations)", lambda: cx.evaluate(ctx)),
        ):
            t0 = time.perf_counter()
            out = fn()
            secs = time.perf_counter() - t0
            print(f"  {name}: {secs:.1f} s — " + ", ".join(f"{k} {v.num_rows:,}" for k, v in out.items()))
    finally:
        ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=300)
    ap.add_argument("--industries", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lsm-trap", action="store_true", help="also time ecomplexity's default check on 50 × 200")
    ap.add_argument("--warehouse", help="also time both instruments on this warehouse (latest year)")
    a = ap.parse_args()

    df = matrix(a.regions, a.industries)
    print(
        f"matrix {a.regions} regions × {a.industries} industries ({len(df):,} cells), median of {a.repeat} runs; "
        f"BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    diff = compare(df)
    print(f"largest difference from ecomplexity over rca, mcp, eci, pci, density, coi, cog: {diff:.1e}")
    rows = []
    z = measure(lambda: run_zhizao(df), a.repeat)
    rows.append(("zhizao.analytics.complexity", z))
    e = measure(lambda: run_ecomplexity(df), a.repeat)
    rows.append(("ecomplexity, check_logsupermodularity=False", e))
    d = measure(lambda: run_ecomplexity(df, lsm=True), max(1, a.repeat // 2))
    rows.append(("ecomplexity, its default (check on)", d))
    rl, il, x = cx.long_to_matrix(df["loc"].to_numpy(), df["prod"].to_numpy(), df["val"].to_numpy())
    core = measure(lambda: cx.complexity(x, rl, il), a.repeat)
    rows.append(("  zhizao maths only (dense matrix in, arrays out)", core))
    w = max(len(r[0]) for r in rows)
    print(f"{'':{w}}  {'seconds':>8}  {'peak MiB':>9}   runs")
    for name, (secs, mib, times) in rows:
        print(f"{name:{w}}  {secs:8.3f}  {mib:9.1f}   " + " ".join(f"{t:.3f}" for t in times))
    print(
        f"ecomplexity / zhizao: time × {e[0] / z[0]:.1f}, peak memory × {e[1] / z[1]:.1f} "
        f"(default check on: time × {d[0] / z[0]:.1f}, memory × {d[1] / z[1]:.1f})"
    )

    if a.lsm_trap:
        small = matrix(50, 200, seed=1)
        off = measure(lambda: run_ecomplexity(small), 1)
        on = measure(lambda: run_ecomplexity(small, lsm=True), 1)
        ours = measure(lambda: run_zhizao(small), 3)
        print(
            f"\n50 × 200: zhizao {ours[0]:.3f} s / {ours[1]:.1f} MiB; ecomplexity check off {off[0]:.3f} s / "
            f"{off[1]:.1f} MiB; check on (default) {on[0]:.2f} s / {on[1]:.0f} MiB"
        )
    if a.warehouse:
        warehouse(a.warehouse)


if __name__ == "__main__":
    main()
