"""Reading import workbooks with python-calamine (ingest/tables/read.py) gives the cells openpyxl gives — the
library that writes our templates — for any mix of text, numbers, booleans, dates and gaps (hypothesis), and a
broken workbook is one clear error. Speed: benchmarks/xlsx_read_bench.py."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.ingest.tables.issues import ImportFileError
from zhizao.ingest.tables.read import read_file, read_xlsx

text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="江北区（演示）&<>\"'_x000D_ \t"
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip())
cell = st.one_of(
    st.none(),
    text,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.booleans(),
    st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)),
)
sheet = st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=8)


def _same(v):
    """What the validator sees: a date at midnight is a date, a whole float a whole number."""
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _openpyxl_rows(path, title):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [tuple(_same(v) for v in r) for r in wb[title].iter_rows(values_only=True)]
    finally:
        wb.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheets=st.lists(sheet, min_size=1, max_size=2))
def test_calamine_reads_what_openpyxl_reads(tmp_path, sheets):
    path = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, rows in enumerate(sheets):
        ws = wb.create_sheet(f"表{k}")
        for r in rows:
            ws.append(r)
    wb.save(path)
    got = read_xlsx(path)
    assert [s.name for s in got] == [f"表{k}" for k in range(len(sheets))]
    for s in got:
        want = _openpyxl_rows(path, s.name)
        have = [tuple(_same(v) for v in r) for r in s.rows]
        width = max((len(r) for r in want + have), default=0)
        pad = lambda rows, width=width: [tuple(r) + (None,) * (width - len(r)) for r in rows]
        assert pad(have) == pad(want)


def test_formulas_read_as_their_cached_values_and_only_worksheets_count(tmp_path):
    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业年度数据"
    ws.append(["营业收入", "工业总产值"])
    ws.append([100, "=A2*2"])  # openpyxl writes no cached value: the cell reads as empty, as in openpyxl
    wb.create_chartsheet("图表")
    wb.save(path)
    (s,) = read_xlsx(path)
    assert s.name == "企业年度数据" and s.rows == [("营业收入", "工业总产值"), (100, None)]


def test_a_damaged_workbook_is_one_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    with pytest.raises(ImportFileError) as e:
        read_file(path)
    assert "Excel" in str(e.value.args)
