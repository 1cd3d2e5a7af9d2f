"""Benchmark: zhizao.analytics.complexity against the Harvard Growth Lab's ecomplexity 0.5.3.

    .venv/bin/python benchmarks/complexity_bench.py                      # 300 × 600 and 1000 × 1200
    .venv/bin/python benchmarks/complexity_bench.py --sizes 300x600 --json   # + benchmarks/results/complexity.json
    .venv/bin/python benchmarks/complexity_bench.py --lsm-trap           # + ecomplexity's default check on 50 × 200
    .venv/bin/python benchmarks/complexity_bench.py --warehouse /tmp/big.duckdb   # + both instruments on a warehouse

Both start from the same long table (year, region, industry, value) and return every measure for every
region × industry cell (rca, mcp, diversity, ubiquity, eci, pci, density, coi, cog). Time is the median
of --repeat runs (wall clock and CPU time, after a warm-up), the two packages' runs interleaved (ours,
theirs, ours, theirs …) so that a change in the machine's load during the run hits both alike; peak memory
is tracemalloc's peak of the call (Python and NumPy/pandas buffers allocated during it), measured in
separate runs so tracing does not slow the timed ones. ecomplexity runs with check_logsupermodularity=False
(its default-on check costs seconds and GiB on city-sized matrices); its default is measured too, on the
same matrix, and with --lsm-trap on 50 × 200.
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


def measure(fns: dict, repeat: int) -> dict[str, tuple[float, float, float, list[float]]]:
    """{name: (median wall seconds, median CPU seconds, peak MiB, all wall times)}; the functions' runs
    interleaved round by round."""
    for fn in fns.values():
        fn()  # warm-up (imports, BLAS threads)
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            wall[k].append(time.perf_counter() - t0)
            cpu[k].append(time.process_time() - c0)
    out = {}
    for k, fn in fns.items():
        tracemalloc.start()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[k] = (statistics.median(wall[k]), statistics.median(cpu[k]), peak / 2**20, wall[k])
    return out


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


def one_size(L: int, P: int, repeat: int) -> dict:
    df = matrix(L, P)
    print(
        f"\nmatrix {L} regions × {P} industries ({len(df):,} cells), median of {repeat} interleaved runs; "
        f"BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    diff = compare(df)
    print(f"largest difference from ecomplexity over rca, mcp, eci, pci, density, coi, cog: {diff:.1e}")
    rl, il, x = cx.long_to_matrix(df["loc"].to_numpy(), df["prod"].to_numpy(), df["val"].to_numpy())
    m = measure(
        {
            "zhizao.analytics.complexity": lambda: run_zhizao(df),
            "ecomplexity, check_logsupermodularity=False": lambda: run_ecomplexity(df),
            "  zhizao maths only (dense matrix in, arrays out)": lambda: cx.complexity(x, rl, il),
        },
        repeat,
    )
    m.update(
        measure({"ecomplexity, its default (check on)": lambda: run_ecomplexity(df, lsm=True)}, max(1, repeat // 3))
    )
    w = max(len(k) for k in m)
    print(f"{'':{w}}  {'seconds':>8}  {'CPU s':>8}  {'peak MiB':>9}   runs (wall)")
    for name, (secs, cpu, mib, times) in m.items():
        print(f"{name:{w}}  {secs:8.3f}  {cpu:8.3f}  {mib:9.1f}   " + " ".join(f"{t:.3f}" for t in times))
    z, e = m["zhizao.analytics.complexity"], m["ecomplexity, check_logsupermodularity=False"]
    d = m["ecomplexity, its default (check on)"]
    ratio, ratio_cpu = e[0] / z[0], e[1] / z[1]
    print(
        f"ecomplexity / zhizao: time × {ratio:.1f} (CPU time × {ratio_cpu:.1f}), peak memory × {e[2] / z[2]:.1f} "
        f"(default check on: time × {d[0] / z[0]:.1f}, memory × {d[2] / z[2]:.1f})"
    )
    return {
        "regions": L,
        "industries": P,
        "max_difference": diff,
        "zhizao_seconds": z[0],
        "zhizao_cpu_seconds": z[1],
        "zhizao_peak_mib": z[2],
        "zhizao_maths_seconds": m["  zhizao maths only (dense matrix in, arrays out)"][0],
        "ecomplexity_seconds": e[0],
        "ecomplexity_cpu_seconds": e[1],
        "ecomplexity_peak_mib": e[2],
        "ecomplexity_default_seconds": d[0],
        "speedup": ratio,
        "speedup_cpu": ratio_cpu,
        "memory_ratio": e[2] / z[2],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="300x600,1000x1200", help="regions x industries, comma-separated")
    ap.add_argument("--regions", type=int, help="one size: regions (with --industries)")
    ap.add_argument("--industries", type=int)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--lsm-trap", action="store_true", help="also time ecomplexity's default check on 50 × 200")
    ap.add_argument("--warehouse", help="also time both instruments on this warehouse (latest year)")
    ap.add_argument("--json", action="store_true", help="write benchmarks/results/complexity.json")
    a = ap.parse_args()

    load0 = list(os.getloadavg())
    sizes = (
        [(a.regions, a.industries)]
        if a.regions and a.industries
        else [tuple(int(v) for v in s.split("x")) for s in a.sizes.split(",")]
    )
    results = [one_size(L, P, a.repeat if L * P <= 200_000 else max(3, a.repeat // 2)) for L, P in sizes]
    if len(results) > 1:
        print("\n" + "  ".join(f"{r['regions']} × {r['industries']}: × {r['speedup']:.1f}" for r in results))

    if a.lsm_trap:
        small = matrix(50, 200, seed=1)
        t = measure({"off": lambda: run_ecomplexity(small), "ours": lambda: run_zhizao(small)}, 1)
        on = measure({"on": lambda: run_ecomplexity(small, lsm=True)}, 1)["on"]
        print(
            f"\n50 × 200: zhizao {t['ours'][0]:.3f} s / {t['ours'][2]:.1f} MiB; ecomplexity check off "
            f"{t['off'][0]:.3f} s / {t['off'][2]:.1f} MiB; check on (default) {on[0]:.2f} s / {on[2]:.0f} MiB"
        )
    if a.warehouse:
        warehouse(a.warehouse)
    if a.json:
        from machine import write_result

        print(f"wrote {write_result('complexity', {'sizes': results}, started_load=load0)}")


if __name__ == "__main__":
    main()
