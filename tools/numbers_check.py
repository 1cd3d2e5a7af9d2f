"""Measure issue 10's "done means" figures on an evaluated warehouse, straight from its tables.

    python tools/numbers_check.py WAREHOUSE.duckdb [--district 江北区] [--target jiangbei-2027-target-industrial-output]

Build the warehouses with the CLI, e.g.:

    zhizao demo --out /tmp/d.duckdb && zhizao evaluate --db /tmp/d.duckdb --year 2024
    zhizao demo --out /tmp/d100k.duckdb --enterprises 100000 && zhizao evaluate --db /tmp/d100k.duckdb --year 2024

Prints, independently of the analytics (plain SQL over the warehouse and the pack's scale.yaml):

1. the district's 规上 sum: Σ output_value over its firm-years in the pack's above-scale sections with revenue at or
   above the threshold in force that year (and the all-firm sum beside it), for 2023 and 2024;
2. the output target's actual in the newest target_progress run for each result year, and its distance from (1);
3. firms that are candidates for tiers 1-3 (innovative_sme, srdi_sme, little_giant) although they are above the
   SME limits of their section (employees and revenue both at or above the limits) in the screened year;
4. for every honour target the ladder compares (ladder_pipeline), the ladder's achieved count beside the targets
   module's actual for the same target (target_progress).

A developer tool (not installed with the package): the before/after figures of issue 10.
"""

from __future__ import annotations

import argparse

import duckdb

from zhizao.reference import load_pack
from zhizao.store.results import latest_run

LADDER_SME_TIERS = ("innovative_sme", "srdi_sme", "little_giant")


def threshold(pack, year: int) -> float:
    rules = pack.scale.above_scale.thresholds
    t = rules[0].revenue_yuan
    for r in rules:
        if year >= int(r.from_year):
            t = r.revenue_yuan
    return float(t)


def newest_run(con, table: str, result_year: int | None = None) -> tuple[str, int] | None:
    """The newest finished run holding `table` (for `result_year`, else its newest result year)."""
    run = latest_run(con, table, result_year)
    if run is None:
        return None
    ry = con.execute(f"SELECT max(result_year) FROM {table} WHERE run_id = ?", [run]).fetchone()[0]
    return run, int(result_year if result_year is not None else ry)


def has_table(con, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--district", default="江北区")
    ap.add_argument("--target", default="jiangbei-2027-target-industrial-output", help="pack figure id")
    ap.add_argument("--years", default="2023,2024")
    a = ap.parse_args()
    pack = load_pack()
    sections = list(pack.scale.above_scale.sections)
    con = duckdb.connect(a.db, read_only=True)
    code = con.execute("SELECT code FROM region WHERE name_zh = ?", [a.district]).fetchone()
    if code is None:
        raise SystemExit(f"{a.district}: not a region of {a.db}")
    code = code[0]
    n_firms = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    print(f"warehouse {a.db}: {n_firms:,} enterprises")
    above = {}
    marks = ", ".join("?" for _ in sections)
    for y in [int(x) for x in a.years.split(",")]:
        t = threshold(pack, y)
        s_gs, n_gs, s_all, n_all = con.execute(
            f"""SELECT sum(y.output_value) FILTER (WHERE y.revenue >= ?), count(*) FILTER (WHERE y.revenue >= ?),
                       sum(y.output_value), count(*)
                FROM enterprise_year y JOIN enterprise e USING (uscc) JOIN industry i ON i.code = e.industry_code
                WHERE e.region_code = ? AND y.year = ? AND i.section IN ({marks})""",
            [t, t, code, y, *sections],
        ).fetchone()
        above[y] = s_gs
        print(
            f"{a.district} {y} sections {'/'.join(sections)}, revenue ≥ {t / 1e4:,.0f}万: 规上 Σ output_value "
            f"{(s_gs or 0) / 1e8:,.1f}亿 ({n_gs:,} firm-years); all firms {(s_all or 0) / 1e8:,.1f}亿 ({n_all:,})"
        )
    if has_table(con, "target_progress"):
        years = [r[0] for r in con.execute("SELECT DISTINCT result_year FROM target_progress ORDER BY 1").fetchall()]
        for ry in years:
            run, _ = newest_run(con, "target_progress", ry)
            r = con.execute(
                "SELECT actual_value, actual_year, measured_as, status FROM target_progress "
                "WHERE run_id = ? AND result_year = ? AND target_id IN (?, ?)",
                [run, ry, a.target, f"pack:{a.target}"],
            ).fetchone()
            if r is None:
                print(f"target_progress {ry}: {a.target} not reported")
                continue
            act, ay, how, status = r
            line = f"target_progress {ry} ({run}): {a.target} actual {act / 1e8:,.1f}亿 for {ay} [{status}]; {how}"
            if act is not None and above.get(ay):
                line += f"; vs 规上 Σ {above[ay] / 1e8:,.1f}亿: {act / above[ay] - 1:+.3%}"
            print(line)
    if has_table(con, "ladder_firm"):
        run, ry = newest_run(con, "ladder_firm")
        checks = []
        for lim in pack.scale.sme.limits:
            sec = ", ".join(f"'{s}'" for s in lim.sections)
            checks.append(
                f"(i.section IN ({sec}) AND y.employees >= {float(lim.max_employees)} "
                f"AND y.revenue >= {float(lim.max_revenue_yuan)})"
            )
        tiers = ", ".join(f"'{t}'" for t in LADDER_SME_TIERS)
        rows = con.execute(
            f"""SELECT f.tier, count(DISTINCT f.uscc) FROM ladder_firm f
                JOIN enterprise e ON e.uscc = f.uscc JOIN industry i ON i.code = e.industry_code
                JOIN enterprise_year y ON y.uscc = f.uscc AND y.year = f.year
                WHERE f.run_id = ? AND f.result_year = ? AND f.tier IN ({tiers}) AND f.status = 'candidate'
                  AND ({" OR ".join(checks)})
                GROUP BY 1 ORDER BY 1""",
            [run, ry],
        ).fetchall()
        n = con.execute(
            f"""SELECT count(DISTINCT f.uscc) FROM ladder_firm f
                JOIN enterprise e ON e.uscc = f.uscc JOIN industry i ON i.code = e.industry_code
                JOIN enterprise_year y ON y.uscc = f.uscc AND y.year = f.year
                WHERE f.run_id = ? AND f.result_year = ? AND f.tier IN ({tiers}) AND f.status = 'candidate'
                  AND ({" OR ".join(checks)})""",
            [run, ry],
        ).fetchone()[0]
        print(f"ladder {ry} ({run}): candidates for tiers 1-3 above the SME limits: {n} firms; by tier {rows}")
    if has_table(con, "ladder_pipeline") and has_table(con, "target_progress"):
        run, ry = newest_run(con, "ladder_pipeline")
        trun, _ = newest_run(con, "target_progress", ry) or (None, None)
        for tid, metric, period, achieved in con.execute(
            "SELECT target_id, metric, period, achieved FROM ladder_pipeline WHERE run_id = ? AND result_year = ? "
            "ORDER BY target_id",
            [run, ry],
        ).fetchall():
            t = con.execute(
                "SELECT actual_value, measured_as FROM target_progress WHERE run_id = ? AND result_year = ? "
                "AND target_id IN (?, ?)",
                [trun, ry, tid, f"pack:{tid}"],
            ).fetchone()
            actual = t[0] if t else None
            same = "same" if actual is not None and float(actual) == float(achieved) else "DIFFERENT"
            print(
                f"honour target {tid} ({metric}, {period}): ladder achieved {achieved}; targets actual {actual} {same}"
            )


if __name__ == "__main__":
    main()
