"""Imports at volume: 10,000 enterprises and 50,000 yearly rows validate and load in seconds.

The bound is generous (CI machines are small and shared); on the development machine the yearly file
validates in about 1 s and loads in about 0.2 s. A row-by-row INSERT would take minutes.
"""

from __future__ import annotations

import csv
import random
import time

from zhizao import uscc
from zhizao.ingest.packload import init_warehouse
from zhizao.ingest.tables import run_import
from zhizao.ingest.tables.spec import ENTERPRISE_YEAR

N_FIRMS, YEARS = 10_000, range(2020, 2025)
BOUND_SECONDS = 30.0


def test_fifty_thousand_yearly_rows_validate_and_load_in_seconds(tmp_path):
    con, _ = init_warehouse(tmp_path / "w.duckdb")
    firms = [uscc.make("500106", f"MA{i:06d}") for i in range(N_FIRMS)]
    rnd = random.Random(7)
    ent = tmp_path / "enterprises.csv"
    with ent.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["uscc", "name", "region", "industry_code", "founded"])
        for i, u in enumerate(firms):
            w.writerow([u, f"企业{i}", ["沙坪坝区", "涪陵", "500112"][i % 3], "C36", 2000 + i % 20])
    yearly = tmp_path / "yearly.csv"
    rows = []
    for u in firms:
        for y in YEARS:
            out = rnd.uniform(1_000, 1_000_000)
            rows.append(
                [
                    u,
                    y,
                    round(out * 0.98, 2),
                    round(out, 2),
                    round(out * 0.25, 2),
                    round(out * 0.03, 2),
                    round(out * 0.05, 2),
                    round(rnd.uniform(10, 500), 1),
                    round(rnd.uniform(100, 1e5), 1),
                    round(rnd.uniform(0, 50), 2),
                    round(out * 0.02, 2),
                    rnd.randint(10, 5000),
                    round(out * 0.1, 2),
                    round(out * 0.03, 2),
                    0.95,
                ]
            )
    header = [[c.zh for c in ENTERPRISE_YEAR.columns], [c.default_unit or "—" for c in ENTERPRISE_YEAR.columns]]

    def write(path, body):
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(header + body)

    assert run_import(ent, con).ok

    # one impossible value among 50,000 rows: nothing is loaded, and the row is named
    bad = [r[:] for r in rows]
    bad[31_337][4] = bad[31_337][3] * 2  # value added above gross output
    write(tmp_path / "bad.csv", bad)
    t0 = time.perf_counter()
    out = run_import(tmp_path / "bad.csv", con)
    assert not out.ok and out.validation.issues.total == 1
    (i,) = out.validation.issues.items
    assert (i.row, i.column_letter) == (31_337 + 3, "E")
    assert con.execute("SELECT count(*) FROM enterprise_year").fetchone()[0] == 0

    write(yearly, rows)
    t1 = time.perf_counter()
    out = run_import(yearly, con)
    elapsed = time.perf_counter() - t1
    assert out.ok
    assert out.result.counts["enterprise_year"]["new"] == 50_000
    assert con.execute("SELECT count(*), sum(output_value) FROM enterprise_year").fetchone()[0] == 50_000
    print(
        f"\n50,000 yearly rows: validated in {out.validation.seconds:.2f} s, loaded in {out.result.seconds:.2f} s "
        f"(refused file: {t1 - t0:.2f} s)"
    )
    assert elapsed < BOUND_SECONDS
    con.close()
