"""Check everything in an import file before anything is written.

`validate(path, con, pack)` reads the file, binds headers, parses every cell, resolves codes through
the policy pack, checks keys inside the file and against the warehouse, and returns a `Validation`:
the rows ready to load (`staged`, in base units and canonical codes) and every `Issue` found. The
warehouse is only read here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from ...reference import Pack
from . import parse, spec, units
from .cells import CellChecks
from .district import DistrictChecks
from .header import bind, detect_table
from .issues import ImportFileError, Issue, Issues
from .read import RawSheet, read_file
from .resolve import Reference
from .rows import RowChecks
from .staged import Staged, Validation


class Checker(CellChecks, RowChecks, DistrictChecks):
    """Every check of one import, sharing the policy pack's codes (`ref`), the warehouse (`con`, read only; None:
    none) and the issues found: cells (cells.py), rows and tables (rows.py), a district user's scope (district.py)."""

    def __init__(self, ref: Reference | None, con: duckdb.DuckDBPyConnection | None, issues: Issues):
        self.ref, self.con, self.issues = ref, con, issues
        self.notes: list[tuple[str, str]] = []
        self.stored_regions: dict[str, str] = {}

    def add(self, st: Staged, i: int, fld: str | None, value: object, reason: tuple[str, str]) -> None:
        sheet, row, col, header = st.where(i, fld)
        st.ok[i] = False
        self.issues.add(Issue(sheet, row, col, header, value, reason[0], reason[1], fld))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def choose_sheets(
    kind: str, sheets: list[RawSheet], sheet: str | None, table: str | None, issues: Issues
) -> tuple[list[tuple[RawSheet, spec.Table]], list[str]]:
    forced = None
    if table:
        forced = spec.TABLES.get(table) or spec.table_for_sheet(table)
        if forced is None:
            raise ImportFileError(
                f"未知的表“{table}”（可用：{', '.join(spec.TABLES)}）",
                f"unknown table {table!r} (use one of {', '.join(spec.TABLES)})",
            )
    if kind == "csv":
        raw = sheets[0]
        return [(raw, forced or detect_table(raw.rows, raw.name))], []
    if sheet is not None:
        hit = [s for s in sheets if s.name == sheet] or [
            s for s in sheets if s.name.strip().lower() == sheet.strip().lower()
        ]
        if not hit:
            raise ImportFileError(
                f"工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(s.name for s in sheets)}）",
                f"no sheet named {sheet!r} (sheets: {', '.join(s.name for s in sheets)})",
            )
        raw = hit[0]
        t = forced or spec.table_for_sheet(raw.name) or detect_table(raw.rows, raw.name)
        return [(raw, t)], [s.name for s in sheets if s is not raw]
    chosen, ignored = [], []
    for s in sheets:
        t = spec.table_for_sheet(s.name)
        if forced is not None and t is None and len(sheets) == 1:
            t = forced
        if t is None or (forced is not None and t is not forced):
            ignored.append(s.name)
            continue
        chosen.append((s, t))
    if not chosen:
        want = "、".join(t.sheet for t in spec.TABLES.values())
        raise ImportFileError(
            f"工作簿中没有可导入的工作表（有：{'、'.join(s.name for s in sheets) or '无'}；"
            f"应为：{want}，或用 --sheet 指定）",
            f"no importable sheet in the workbook (found: {', '.join(s.name for s in sheets) or 'none'}; expected "
            f"{', '.join(t.sheet_en for t in spec.TABLES.values())} or their Chinese names, "
            "or choose one with --sheet)",
        )
    return chosen, ignored


ORDER = ("enterprises", "enterprise_year", "honours", "targets")


def validate(
    path: str | Path,
    con: duckdb.DuckDBPyConnection | None,
    pack: Pack,
    *,
    sheet: str | None = None,
    table: str | None = None,
    district: str | None = None,
) -> Validation:
    """Read and check an import file; never writes. File-level problems become a single issue.

    With `district` (a region code), every row must concern that region (a district user's import).
    """
    import time

    t0 = time.perf_counter()
    path = Path(path)
    issues = Issues()
    val = Validation(path, "", "", {}, issues)
    try:
        kind, sheets = read_file(path)
        val.kind = kind
        val.sha256 = file_sha256(path)
        chosen, ignored = choose_sheets(kind, sheets, sheet, table, issues)
    except ImportFileError as e:
        issues.add(e.issue())
        val.seconds = time.perf_counter() - t0
        return val
    val.sheets_ignored = ignored
    ref = Reference.build(pack, con)
    ck = Checker(ref, con, issues)
    staged: dict[str, Staged] = {}
    for raw, t in chosen:
        try:
            layout = bind(t, raw.rows, raw.name, issues)
        except ImportFileError as e:
            issues.add(e.issue())
            continue
        val.sheets_used.append((raw.name, t.key))
        if layout is None:
            continue
        st = staged.setdefault(t.key, Staged(t))
        ck.take(st, raw, layout)
    if not staged and not issues:
        issues.add(
            Issue(
                chosen[0][0].name if chosen else "", None, None, None, None, "没有可导入的工作表", "no importable sheet"
            )
        )
    total = sum(len(s) for s in staged.values())
    if staged and total == 0 and not issues:
        names = "、".join(n for n, _ in val.sheets_used)
        issues.add(
            Issue(
                names,
                None,
                None,
                None,
                None,
                "文件中没有数据行（表头之下是空的）",
                "the file has no data rows (nothing below the header)",
            )
        )
    for st in staged.values():
        ck.required(st)
    file_firms: set[str] = set()
    if "enterprises" in staged:
        ck.enterprises(staged["enterprises"])
        file_firms = {u for u in staged["enterprises"].data["uscc"] if u}
    referenced: set[str] = set()
    for k in ("enterprise_year", "honours"):
        if k in staged:
            referenced |= {u for u in staged[k].data["uscc"] if u}
    if "targets" in staged:
        d = staged["targets"].data
        for s, v in zip(d["scope"], d["scope_id"]):
            if s == "enterprise" and v:
                u, why = parse.uscc(v)
                if u:
                    referenced.add(u)
    # a district user's file: the stored region of every firm it names, enterprise rows included
    asked = referenced | (file_firms if district is not None else set())
    known, founded = ck.known_firms(asked, file_firms) if asked else (set(), {})
    known &= referenced | file_firms
    if "enterprises" in staged:
        e = staged["enterprises"].data
        for u, f in zip(e["uscc"], e["founded"]):
            if u and f:
                founded[u] = f
    if "enterprise_year" in staged:
        ck.enterprise_year(staged["enterprise_year"], known, founded)
    if "honours" in staged:
        ck.honours(staged["honours"], known)
    if "targets" in staged:
        ck.targets(staged["targets"], lambda u: u in known)
    if district is not None:
        ck.within(staged, "district", district)
    val.staged = {k: staged[k] for k in ORDER if k in staged}
    val.notes = ck.notes
    for st in val.staged.values():
        for u in st.units:
            if u["source"] == "assumed":
                c = st.table.column(u["field"])
                val.notes.append(
                    (
                        f"“{u['sheet']}”的“{c.zh}”未声明单位，按{u['unit']}读取",
                        f"{u['sheet']}: no unit declared for {c.field}; read as {units.BASE_UNIT[c.unit_kind]}",
                    )
                )
    val.seconds = time.perf_counter() - t0
    return val
