"""Are two evaluations the same? Every result table of the newest finished run of one warehouse against another's.

    .venv/bin/python benchmarks/parity_check.py A B [--year 2024] [--digits 9]

A and B are warehouses — a DuckDB file or a Parquet warehouse folder (`zhizao demo --format parquet`), evaluated
by `zhizao evaluate` on any engine. Used to check that Spark over the Parquet folder computes what DuckDB computes
over the file of the same demo (e.g. the 100,000-firm demo built both ways: the same seed gives the same firms).

Each table is compared as a multiset of rows (order is not part of a result), `run_id` and `result_year` aside,
doubles rounded to --digits significant digits (engines sum in different orders, so the last bits differ): first
by a fingerprint (row count and the sum of row hashes), and when the fingerprints differ, by counting the rows of
each side the other lacks (EXCEPT ALL) and printing a few. Exit status 1 when any table differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _attach(con, alias: str, path: Path, year: int | None) -> dict[str, str]:
    """{result table: a FROM clause reading its newest finished run's rows} for one warehouse."""
    from zhizao.store import parquet
    from zhizao.store import results as store_results

    if parquet.is_parquet_warehouse(path):
        runs = parquet.ParquetRuns(path)
        out = {}
        done = [r for r in runs._runs() if r["status"] == "done" and (year is None or r["year"] == year)]
        if not done:
            return out
        run = max(done, key=lambda r: r["finished"])["id"]
        for f in sorted((path / "results" / run).iterdir()):
            src = str(f / "*.parquet") if f.is_dir() else str(f)
            out[f.name.removesuffix(".parquet")] = f"read_parquet('{src}')"
        return out
    con.execute(f"ATTACH '{path}' AS {alias} (READ_ONLY)")
    wh = con.cursor()
    wh.execute(f"USE {alias}")
    out = {}
    for table in store_results.result_tables(wh):
        run = store_results.latest_run(wh, table, year)
        if run is not None:
            out[table] = f"(SELECT * FROM {alias}.{table} WHERE run_id = '{run}')"
    return out


def _select(con, src: str, digits: int) -> tuple[str, list[str]]:
    cols = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    names, exprs = [], []
    for name, typ, *_ in cols:
        if name in ("run_id", "result_year"):
            continue
        q = f'"{name}"'
        if typ in ("DOUBLE", "FLOAT") or typ.startswith("DECIMAL"):
            q = (
                f"CASE WHEN {q} IS NULL OR {q} = 0 OR NOT isfinite({q}::DOUBLE) THEN {q}::DOUBLE "
                f"ELSE round({q}::DOUBLE, {digits - 1} - CAST(floor(log10(abs({q}::DOUBLE))) AS INTEGER)) END"
            )
        elif typ.startswith("INT") or typ in ("BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
            q = f"{q}::BIGINT"
        elif typ in ("VARCHAR",):
            q = f"{q}::VARCHAR"
        names.append(name)
        exprs.append(f'{q} AS "{name}"')
    return ", ".join(exprs), sorted(names)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--year", type=int)
    ap.add_argument("--digits", type=int, default=9, help="significant digits of doubles compared (default 9)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    a = _attach(con, "wa", Path(args.a), args.year)
    b = _attach(con, "wb", Path(args.b), args.year)
    if not a or not b:
        print(f"no finished run in {args.a if not a else args.b}")
        return 1
    bad = 0
    for table in sorted(set(a) | set(b)):
        if table not in a or table not in b:
            print(f"  {table:<22} only in {'A' if table in a else 'B'}")
            bad += 1
            continue
        sel_a, names_a = _select(con, a[table], args.digits)
        sel_b, names_b = _select(con, b[table], args.digits)
        if names_a != names_b:
            print(f"  {table:<22} columns differ: {sorted(set(names_a) ^ set(names_b))}")
            bad += 1
            continue
        order = ", ".join(f'"{n}"' for n in names_a)
        qa = f"SELECT {order} FROM (SELECT {sel_a} FROM {a[table]})"
        qb = f"SELECT {order} FROM (SELECT {sel_b} FROM {b[table]})"
        fa = con.execute(f"SELECT count(*), sum(hash(COLUMNS(*)))::HUGEINT FROM ({qa})").fetchone()
        fb = con.execute(f"SELECT count(*), sum(hash(COLUMNS(*)))::HUGEINT FROM ({qb})").fetchone()
        if fa == fb:
            print(f"  {table:<22} same ({fa[0]:,} rows)")
            continue
        only_a = con.execute(f"SELECT count(*) FROM ({qa} EXCEPT ALL {qb})").fetchone()[0]
        only_b = con.execute(f"SELECT count(*) FROM ({qb} EXCEPT ALL {qa})").fetchone()[0]
        print(f"  {table:<22} DIFFERENT: A {fa[0]:,} rows, B {fb[0]:,}; {only_a:,} only in A, {only_b:,} only in B")
        for row in con.execute(f"({qa} EXCEPT ALL {qb}) LIMIT 3").fetchall():
            print(f"      A: {row}")
        for row in con.execute(f"({qb} EXCEPT ALL {qa}) LIMIT 3").fetchall():
            print(f"      B: {row}")
        bad += 1
    print("the same" if not bad else f"{bad} table(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
