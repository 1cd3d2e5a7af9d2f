"""Cluster rollups: the clusters instrument against one hand-written DuckDB query for the same sums, measured in
one run on a warehouse file.

    .venv/bin/python benchmarks/rollup_bench.py --db /tmp/big.duckdb [--year 2024] [--repeat 3] [--json]

The hand-written query sums every money figure and the firm count of each city cluster (the pack's root
system), each county, group and the city (the recorded map: a firm counts to its county's ancestors, to the
functional area of its park and to areas wholly covering one of those), for the year and the year before,
weighting each firm by its industry's share in the cluster. The instrument (`clusters.compute`, recorded map,
no honours) computes those rows and more: the tiers, the industry sections, the all-firm totals, growth and
shares. The script checks that the two agree on every row the query makes, then prints both times and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

HAND_SQL = """
WITH firm AS (
    SELECT e.uscc, e.region_code, e.industry_code, coalesce(p.functional_area_code, '') AS area_code
    FROM enterprise e LEFT JOIN park p ON p.id = e.park_id),
cell AS (
    SELECT f.region_code, f.area_code, f.industry_code, ey.year::BIGINT AS year, count(*) AS firms,
           {sums}
    FROM enterprise_year ey JOIN firm f ON f.uscc = ey.uscc
    WHERE ey.year IN ($year - 1, $year)
    GROUP BY ALL),
keys AS (SELECT DISTINCT region_code, area_code FROM cell),
member AS (
    SELECT k.region_code, k.area_code, ra.ancestor_code AS member_code
    FROM keys k JOIN region_ancestor ra ON ra.code = k.region_code
    UNION
    SELECT k.region_code, k.area_code, ov.area_code
    FROM keys k JOIN region_ancestor ra ON ra.code = k.region_code
                JOIN region_overlap ov ON ov.region_code = ra.ancestor_code AND ov.part = 'whole'
    UNION
    SELECT region_code, area_code, area_code FROM keys WHERE area_code <> ''),
unit AS (
    SELECT ci.cluster_id AS unit_id, ci.industry_code, ci.share::DOUBLE AS share
    FROM cluster_industry ci JOIN cluster c ON c.id = ci.cluster_id
    JOIN cluster_system s ON s.id = c.system_id
    WHERE s.region_code = $root)
SELECT m.member_code AS region_code, u.unit_id, c.year,
       sum(c.firms) FILTER (WHERE u.share > 0) AS firms, {weighted}
FROM cell c JOIN unit u ON u.industry_code = c.industry_code
            JOIN member m ON m.region_code = c.region_code AND m.area_code = c.area_code
GROUP BY ALL
"""


def hand_query(columns: list[str]) -> str:
    return HAND_SQL.format(
        sums=", ".join(f"sum({c}) AS {c}" for c in columns),
        weighted=", ".join(f"sum(u.share * c.{c}) AS {c}" for c in columns),
    )


warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")


def timed(fn, repeat: int) -> tuple[float, object]:
    out = fn()  # warm-up (and the result to compare)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    import duckdb
    import pyarrow.compute as pc

    from zhizao.analytics import Context
    from zhizao.analytics import clusters as cl
    from zhizao.analytics import measures as ms

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/big.duckdb")
    ap.add_argument("--year", type=int)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="write benchmarks/results/rollup.json")
    a = ap.parse_args(argv)
    load0 = list(os.getloadavg())

    ctx = Context.open(a.db, a.year)
    year, root = ctx.year, ctx.pack.info.root_region
    cols = list(ms.MONEY)
    try:
        t_ins, ins = timed(lambda: cl.compute(ctx, [year], maps=("recorded",), honours=False), a.repeat)
    finally:
        ctx.close()
    con = duckdb.connect(a.db, read_only=True)
    try:
        firms = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]
        q = hand_query(cols)
        t_sql, hand = timed(lambda: con.execute(q, {"year": year, "root": root}).to_arrow_table(), a.repeat)
    finally:
        con.close()

    figs = ins["cluster_figures"]
    got = {}
    for r in figs.filter(pc.equal(figs.column("scope"), "cluster")).to_pylist():
        got[(r["region_code"], r["unit_id"], r["year"])] = r
    worst, missing = 0.0, 0
    for r in hand.to_pylist():
        if r["year"] != year:
            continue  # the instrument reports the year (the year before only as *_prev)
        g = got.get((r["region_code"], r["unit_id"], r["year"]))
        if g is None:
            missing += 1
            continue
        for c in cols:
            theirs = g.get(f"{c}_all", g[c])  # all firms, where the instrument also has a 规上-only figure
            if r[c] is None or theirs is None:
                continue
            worst = max(worst, abs(r[c] - theirs) / max(abs(theirs), 1.0))
    n_rows = sum(1 for r in hand.to_pylist() if r["year"] == year)
    print(
        f"warehouse {a.db}: {firms:,} firms, year {year}; median of {a.repeat} runs; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"  hand-written SQL (city clusters × regions, recorded map)   {t_sql:8.3f} s   {n_rows:,} rows")
    print(f"  clusters instrument (+ tiers, sections, totals, growth, shares) {t_ins:8.3f} s   {figs.num_rows:,} rows")
    print(
        f"  instrument / hand SQL: × {t_ins / t_sql:.2f}; rows of the query missing from the instrument: {missing}; "
        f"largest relative difference {worst:.1e}"
    )
    if a.json:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from machine import write_result

        path = write_result(
            "rollup",
            {
                "firms": firms,
                "year": year,
                "hand_sql_seconds": t_sql,
                "instrument_seconds": t_ins,
                "ratio": t_ins / t_sql,
                "hand_rows": n_rows,
                "instrument_rows": figs.num_rows,
                "missing_rows": missing,
                "max_relative_difference": worst,
            },
            started_load=load0,
        )
        print(f"wrote {path}")
    return 0 if missing == 0 and worst < 1e-9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
