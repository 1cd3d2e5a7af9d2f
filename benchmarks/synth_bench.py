"""Demo-warehouse generation: time and peak memory for 100,000 and 1,000,000 enterprises.

Each size runs in its own process (so its peak resident memory is its own), measured in one run:

    .venv/bin/python benchmarks/synth_bench.py [--sizes 100000,1000000] [--years 2019-2025] [--keep DIR]

Prints, per size: seconds, peak RSS, enterprise-years written per second, file size, and the ratios
between sizes (time and memory per enterprise) so that scaling can be read off one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from zhizao.ingest.synth.build import build_demo
path, n, years, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
t0 = time.perf_counter()
rep = build_demo(path, enterprises=n, years=years, fmt=fmt)
print(json.dumps({"n": n, "seconds": time.perf_counter() - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": rep.rows, "below_threshold_share": rep.below_threshold_share,
                  "max_calibration_error": max((abs(c["achieved"] - c["aimed"]) / abs(c["aimed"])
                                                for c in rep.calibration if not c["is_share"]), default=0.0)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--years", default="2019-2025")
    ap.add_argument("--keep", default=None, help="folder to keep the warehouses in")
    ap.add_argument("--format", default="duckdb", choices=("duckdb", "parquet"), help="what the demo writes")
    ap.add_argument("--json", action="store_true", help="write benchmarks/results/generation.json")
    args = ap.parse_args()
    load0 = list(os.getloadavg())
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="zhizao-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in [int(x) for x in args.sizes.split(",")]:
        path = out_dir / (f"demo-{n}.duckdb" if args.format == "duckdb" else f"demo-{n}.parquet")
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(n), args.years, args.format],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            sys.exit(f"generation of {n} enterprises failed")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["file_mb"] = (
            sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
        ) / 2**20
        r["format"] = args.format
        results.append(r)
        ey = r["rows"]["enterprise_year"]
        print(
            f"{n:>10,} enterprises  {ey:>11,} enterprise-years  {r['seconds']:8.1f} s  "
            f"peak RSS {r['peak_rss_mb']:8,.0f} MB  {ey / r['seconds']:>10,.0f} rows/s  "
            f"file {r['file_mb']:7,.0f} MB  max calibration error {r['max_calibration_error']:.1e}  "
            f"firm-years under the 规上 threshold {r['below_threshold_share']:.1%}",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    if len(results) >= 2:
        a, b = results[0], results[-1]
        k = b["n"] / a["n"]
        print(
            f"ratios {b['n']:,} / {a['n']:,} (x{k:g} enterprises): time x{b['seconds'] / a['seconds']:.2f}, "
            f"peak memory x{b['peak_rss_mb'] / a['peak_rss_mb']:.2f}, "
            f"seconds per 1,000 firms {1000 * a['seconds'] / a['n']:.3f} -> {1000 * b['seconds'] / b['n']:.3f}"
        )
    if args.json:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from machine import write_result

        name = "generation" if args.format == "duckdb" else "generation_parquet"
        print(f"wrote {write_result(name, {'sizes': results}, started_load=load0)}")


if __name__ == "__main__":
    main()
