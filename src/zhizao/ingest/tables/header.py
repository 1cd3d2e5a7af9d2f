"""Header rows: which table a sheet holds, which column is which field, and each column's unit.

See spec.py for the layout: a header row (Chinese, field names or English headers, optionally with
the unit in brackets), an optional field-name row, an optional units row, then data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import spec, units
from .issues import ImportFileError, Issue, Issues

_BRACKET = re.compile(r"^(?P<name>.*?)\s*[\(\[【](?P<unit>[^\)\]】]*)[\)\]】]\s*$")


def clean(v: object) -> str:
    """A header cell as comparable text: NFKC (full-width to half-width), trimmed, without a trailing '*'."""
    if v is None:
        return ""
    s = unicodedata.normalize("NFKC", str(v)).strip()
    return s.rstrip("*").strip()


def key(s: str) -> str:
    return re.sub(r"[\s_]+", " ", s.strip().lower())


def split_unit(text: str) -> tuple[str, str | None]:
    """'营业收入(万元)' -> ('营业收入', '万元'); '营业收入' -> ('营业收入', None)."""
    mt = _BRACKET.match(text)
    if mt and mt.group("name"):
        return mt.group("name").strip(), mt.group("unit").strip()
    return text, None


def lookup(table: spec.Table) -> dict[str, spec.Column]:
    out = {}
    for c in table.columns:
        for form in c.header_forms():
            out[key(form)] = c
    return out


@dataclass
class BoundColumn:
    index: int  # 0-based position in the row
    column: spec.Column
    header: str  # as written in row 1
    unit: str | None = None  # as declared (header brackets or units row)
    factor: float = 1.0  # to the base unit
    unit_source: str = ""  # header | units row | assumed | ''


@dataclass
class Layout:
    table: spec.Table
    columns: list[BoundColumn]
    first_data: int  # 0-based index into rows of the first data row
    header_rows: int
    ignored: list[int] = field(default_factory=list)  # empty columns without a header

    @property
    def present(self) -> set[str]:
        return {b.column.field for b in self.columns}


def score(table: spec.Table, header: tuple) -> tuple[int, int, bool]:
    """(matched headers, unmatched non-empty headers, every required column present) for a header row."""
    lk = lookup(table)
    matched, unmatched, seen = 0, 0, set()
    for v in header:
        t = clean(v)
        if not t:
            continue
        name, _ = split_unit(t)
        c = lk.get(key(t)) or lk.get(key(name))
        if c:
            matched += 1
            seen.add(c.field)
        else:
            unmatched += 1
    req = all(c.field in seen for c in table.columns if c.required)
    return matched, unmatched, req


HEADER_SEARCH = 10  # a title or note above the header is skipped (only rows with at most one filled cell)


def header_index(rows: list[tuple], table: spec.Table | None = None) -> int:
    """The 0-based index of the header row: the first row with two or more filled cells (or, for a known
    table, with a matching header), looking past title rows at the top of the sheet."""
    for k, r in enumerate(rows[:HEADER_SEARCH]):
        filled = [v for v in r if clean(v)]
        if len(filled) >= 2 or (table is not None and score(table, r)[0] >= 1):
            return k
    return 0


def detect_table(rows: list[tuple], sheet: str) -> spec.Table:
    """The table a sheet without a known name (a CSV file) holds, from its header row."""
    if not rows:
        raise ImportFileError("文件中没有任何内容", "the file has no content", sheet)
    h0 = header_index(rows)
    header = rows[h0]
    cands = []
    for t in spec.TABLES.values():
        m, u, req = score(t, header)
        if m:
            cands.append((req, m - u, m, t))
    if not cands:
        seen = ", ".join(clean(v) for v in header[:6] if clean(v)) or "（空）"
        raise ImportFileError(
            f"第{h0 + 1}行表头无法识别（{seen}）：不是任何可导入表的表头，请使用 `zhizao template` 生成的模板",
            f"row {h0 + 1} is not the header of any importable table ({seen}); use the layout of `zhizao template`",
            sheet,
            h0 + 1,
        )
    cands.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
    best = cands[0]
    tie = [c for c in cands[1:] if (c[0], c[1], c[2]) == (best[0], best[1], best[2])]
    if tie:
        names = ", ".join(c[3].key for c in [best, *tie])
        raise ImportFileError(
            f"无法从表头判断是哪张表（{names} 都可能），请用 --table 指定",
            f"cannot tell from the header which table this is ({names}); say so with --table",
            sheet,
            h0 + 1,
        )
    return best[3]


def _is_field_row(table: spec.Table, row: tuple) -> bool:
    names = {c.field for c in table.columns}
    cells = [clean(v) for v in row if clean(v)]
    return bool(cells) and all(split_unit(c)[0] in names for c in cells)


def _is_units_row(row: tuple) -> bool:
    cells = [clean(v) for v in row]
    non_empty = [c for c in cells if c]
    return bool(non_empty) and all(units.any_unit(c) for c in non_empty)


def bind(table: spec.Table, rows: list[tuple], sheet: str, issues: Issues) -> Layout | None:
    """Match the header rows of a sheet to the table's columns; header problems go to `issues`.

    Returns None when the header is unusable (the sheet's rows are then not checked).
    """
    if not rows:
        raise ImportFileError("工作表是空的（没有表头）", "the sheet is empty (no header)", sheet)
    h0 = header_index(rows, table)
    header = rows[h0]
    hr = h0 + 1  # the header's row number in Excel
    lk = lookup(table)
    n_before = issues.total
    i = h0 + 1
    field_row = None
    if len(rows) > i and _is_field_row(table, rows[i]):
        field_row = rows[i]
        i += 1
    units_row = None
    if len(rows) > i and _is_units_row(rows[i]):
        units_row = rows[i]
        i += 1
    width = max(len(header), len(field_row or ()), len(units_row or ()))
    bound: list[BoundColumn] = []
    ignored = []
    by_field: dict[str, BoundColumn] = {}
    for j in range(width):
        h = clean(header[j]) if j < len(header) else ""
        f = clean(field_row[j]) if field_row and j < len(field_row) else ""
        u = clean(units_row[j]) if units_row and j < len(units_row) else ""
        name, hunit = split_unit(h)
        col = None
        if f:  # the field-name row decides when present
            fname, funit = split_unit(f)
            col = table.column(fname)
            hunit = hunit or funit
            if h and (lk.get(key(h)) or lk.get(key(name))) not in (None, col):
                issues.add(
                    Issue(
                        sheet,
                        hr,
                        j + 1,
                        h,
                        h,
                        f"中文表头“{h}”与第{hr + 1}行字段名“{f}”不是同一列",
                        f"header {h!r} and field name {f!r} (row {hr + 1}) name different columns",
                        col.field,
                    )
                )
        elif h:
            col = lk.get(key(h)) or lk.get(key(name))
            if col is None:
                issues.add(
                    Issue(
                        sheet,
                        hr,
                        j + 1,
                        h,
                        h,
                        f"未知的列“{h}”：不是“{table.sheet}”表的列（请删除该列或改为模板中的表头）",
                        f"unknown column {h!r}: not a column of {table.key} (delete it or use the template's header)",
                    )
                )
                continue
        else:
            if u and units.norm_unit(u) not in units.NO_UNIT:
                issues.add(
                    Issue(
                        sheet,
                        hr + (2 if field_row else 1),
                        j + 1,
                        None,
                        u,
                        "有单位但没有表头的列",
                        "a column with a unit but no header",
                    )
                )
            ignored.append(j)
            continue
        if col.field in by_field:
            issues.add(
                Issue(
                    sheet,
                    hr,
                    j + 1,
                    h or f,
                    h or f,
                    f"列“{col.zh}”重复出现（第{by_field[col.field].index + 1}列已有）",
                    f"column {col.field} appears twice (already column {by_field[col.field].index + 1})",
                    col.field,
                )
            )
            continue
        b = BoundColumn(j, col, h or f)
        unit_row_no = hr + (2 if field_row else 1)
        if u and units.norm_unit(u) in units.NO_UNIT:
            u = ""
        if col.unit_kind:
            fac_h = units.unit_factor(col.unit_kind, hunit) if hunit else None
            fac_u = units.unit_factor(col.unit_kind, u) if u else None
            if hunit and fac_h is None:
                issues.add(
                    Issue(
                        sheet,
                        hr,
                        j + 1,
                        h,
                        h,
                        f"表头中的单位“{hunit}”不适用于“{col.zh}”（可用："
                        f"{'、'.join(units.UNIT_CHOICES[col.unit_kind])}）",
                        f"unit {hunit!r} in the header does not fit {col.field} (use one of "
                        f"{', '.join(units.UNIT_CHOICES[col.unit_kind])})",
                        col.field,
                    )
                )
            elif u and fac_u is None:
                issues.add(
                    Issue(
                        sheet,
                        unit_row_no,
                        j + 1,
                        h,
                        u,
                        f"单位“{u}”不适用于“{col.zh}”（可用：{'、'.join(units.UNIT_CHOICES[col.unit_kind])}）",
                        f"unit {u!r} does not fit {col.field} (use one of "
                        f"{', '.join(units.UNIT_CHOICES[col.unit_kind])})",
                        col.field,
                    )
                )
            elif fac_h is not None and fac_u is not None and fac_h != fac_u:
                issues.add(
                    Issue(
                        sheet,
                        unit_row_no,
                        j + 1,
                        h,
                        u,
                        f"表头单位“{hunit}”与单位行“{u}”不一致",
                        f"the header says {hunit!r} but the units row says {u!r}",
                        col.field,
                    )
                )
            elif fac_h is not None:
                b.unit, b.factor, b.unit_source = hunit, fac_h, "header"
            elif fac_u is not None:
                b.unit, b.factor, b.unit_source = u, fac_u, "units row"
            elif col.unit_kind in units.ASSUMABLE:
                b.unit, b.factor, b.unit_source = units.UNIT_CHOICES[col.unit_kind][0], 1.0, "assumed"
            else:
                issues.add(
                    Issue(
                        sheet,
                        hr,
                        j + 1,
                        h,
                        h,
                        f"“{col.zh}”没有声明单位：请在单位行或表头中注明 元/万元/亿元（如“{col.zh}(万元)”）",
                        f"no unit declared for {col.field}: give 元/万元/亿元 in the units row or the "
                        f"header (e.g. '{col.zh}(万元)')",
                        col.field,
                    )
                )
        elif hunit or (u and units.norm_unit(u) not in units.NO_UNIT):
            pass  # a note such as 成立日期(年) is harmless
        bound.append(b)
        by_field[col.field] = b
    for c in table.columns:
        if c.required and c.field not in by_field:
            issues.add(
                Issue(
                    sheet,
                    hr,
                    None,
                    None,
                    None,
                    f"缺少必填列“{c.zh}”（{c.field}）",
                    f"required column {c.field} ({c.zh}) is missing",
                    c.field,
                )
            )
    if issues.total > n_before:
        return None
    return Layout(table, bound, i, i, ignored)
