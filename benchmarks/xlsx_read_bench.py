"""Reading an import workbook: python-calamine (what `zhizao import` uses) against openpyxl's read-only mode.

    .venv/bin/python benchmarks/xlsx_read_bench.py [--rows 50000] [--repeat 3]

Writes one yearly-figures sheet as the template lays it out (Chinese header, field names, units row, then
`--rows` rows of 15 columns: text codes, years, money with decimals, whole numbers, empty cells), then reads it
with each reader (the median of `--repeat` runs, after a warm-up) and checks that both return the same cells.
Prints the seconds, the rows per second and the ratio measured in this run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from zhizao import uscc
from zhizao.ingest.tables import read
from zhizao.ingest.tables.spec import ENTERPRISE_YEAR


def write_workbook(path: Path, n: int) -> None:
    import openpyxl

    rnd = random.Random(7)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(ENTERPRISE_YEAR.sheet)
    ws.append([c.zh for c in ENTERPRISE_YEAR.columns])
    ws.append([c.field for c in ENTERPRISE_YEAR.columns])
    ws.append([c.default_unit or "—" for c in ENTERPRISE_YEAR.columns])
    firms = [uscc.make("500106", f"MA{i:06d}") for i in range(max(1, n // 5))]
    for k in range(n):
        out = rnd.uniform(1_000, 1_000_000)
        ws.append(
            [
                firms[k // 5 % len(firms)],
                2020 + k % 5,
                round(out * 0.98, 2),
                round(out, 2),
                round(out * 0.25, 2),
                round(out * 0.03, 2),
                None if k % 7 == 0 else round(out * 0.05, 2),
                round(rnd.uniform(10, 500), 1),
                round(rnd.uniform(100, 1e5), 1),
                round(rnd.uniform(0, 50), 2),
                round(out * 0.02, 2),
                rnd.randint(10, 5000),
                round(out * 0.1, 2),
                None,
                0.95,
            ]
        )
    wb.save(path)


def openpyxl_rows(path: Path) -> list[tuple]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "yearly.xlsx"
        write_workbook(path, a.rows)
        size = path.stat().st_size
        t_cal, sheets = timed(lambda: read.read_xlsx(path), a.repeat)
        t_opx, rows = timed(lambda: openpyxl_rows(path), a.repeat)
    got = sheets[0].rows
    same = len(got) == len(rows) and all(tuple(x for x in g) == tuple(r) for g, r in zip(got, rows))
    print(f"{a.rows:,} rows × {len(ENTERPRISE_YEAR.columns)} columns, {size / 1e6:.1f} MB; median of {a.repeat} runs")
    print(f"  python-calamine   {t_cal:7.2f} s   {a.rows / t_cal:12,.0f} rows/s")
    print(f"  openpyxl (r/o)    {t_opx:7.2f} s   {a.rows / t_opx:12,.0f} rows/s")
    print(f"  ratio openpyxl / calamine: {t_opx / t_cal:.1f}x; same cells: {same}")
    if not same:
        sys.exit("the readers disagree")


if __name__ == "__main__":
    main()
