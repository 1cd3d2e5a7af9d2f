"""`zhizao evaluate` on a large demo warehouse: wall time and peak memory, per instrument.

    .venv/bin/python benchmarks/evaluate_bench.py [--db /tmp/big.duckdb] [--enterprises 1000000]
                                                  [--year 2023] [--engine duckdb]

Builds the demo warehouse first when `--db` does not exist (1,000,000 synthetic firms by default), then
runs `zhizao.analytics.evaluate_all` (what `zhizao evaluate` does: every instrument, then the results stored
in one run) in one child process (so the peak resident memory is evaluate's own) and prints the seconds each
instrument took, the time to store the results, the total, the peak memory, and the rate in enterprise-years
per second.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys
from zhizao.analytics import evaluate_all
path, year, engine = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = evaluate_all(path, year, engine)
print(json.dumps({"open": s.open_seconds, "times": {i.name: i.seconds for i in s.instruments},
                  "rows": {i.name: i.rows for i in s.instruments}, "save": s.save_seconds, "total": s.seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/big.duckdb")
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--engine", default="duckdb")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        print(f"building a {args.enterprises:,}-enterprise demo warehouse at {db} …", flush=True)
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "zhizao.cli",
                "demo",
                "--db",
                str(db),
                "--enterprises",
                str(args.enterprises),
                "--no-serve",
            ],
            check=True,
            capture_output=True,
        )
        print(f"  built in {time.perf_counter() - t:.0f} s", flush=True)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    firms, firm_years = con.execute("SELECT count(DISTINCT uscc), count(*) FROM enterprise_year").fetchone()
    con.close()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(args.year), args.engine], capture_output=True, text=True
    )
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        sys.exit("evaluate failed")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"warehouse {db}: {firms:,} enterprises, {firm_years:,} enterprise-years; engine {args.engine}, "
        f"year {args.year}"
    )
    print(f"  {'open':<16} {r['open']:8.1f} s")
    for name, secs in r["times"].items():
        print(f"  {name:<16} {secs:8.1f} s   {r['rows'][name]}")
    print(f"  {'save results':<16} {r['save']:8.1f} s")
    print(
        f"  {'total':<16} {r['total']:8.1f} s   peak RSS {r['peak_rss_mb']:,.0f} MB   "
        f"{firm_years / r['total']:,.0f} enterprise-years per second"
    )


if __name__ == "__main__":
    main()
