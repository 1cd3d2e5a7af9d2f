"""The error report (xlsx or csv) and the console summary of an import.

Report columns (both formats, stable for other tools):
    序号 No. | 工作表 Sheet | 行 Row | 列 Column | 表头 Header | 字段 Field | 值 Value | 原因 Reason (中文) |
    Reason (English)
`行 Row` is the row number as Excel shows it; `列 Column` is the column letter. File-level problems
(not a spreadsheet, no known sheet) have no row or column. A rejected value that a spreadsheet would run as a
formula (=…, +…, -…, @…) is written as text with a leading apostrophe (zhizao.safecells), in both formats.
The xlsx report has a second sheet
`概要 Summary` with the file, its SHA-256, the counts and the notes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from ... import safecells
from . import spec
from .issues import Issue
from .load import LoadResult
from .staged import Validation

REPORT_COLUMNS = [
    "序号 No.",
    "工作表 Sheet",
    "行 Row",
    "列 Column",
    "表头 Header",
    "字段 Field",
    "值 Value",
    "原因 Reason (中文)",
    "Reason (English)",
]


def default_report_path(input_path: Path, kind: str) -> Path:
    suffix = ".csv" if kind == "csv" or input_path.suffix.lower() == ".csv" else ".xlsx"
    return input_path.with_name(input_path.stem + ".errors" + suffix)


def _value(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, (int, float)):
        return v
    return str(v)


def _row(n: int, i: Issue) -> list:
    return [
        n,
        i.sheet,
        i.row if i.row is not None else "",
        i.column_letter,
        i.header or "",
        i.field or "",
        _value(i.value),
        i.reason_zh,
        i.reason_en,
    ]


def write_report(val: Validation, path: Path, result: LoadResult | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    issues = val.issues.sorted()
    summary = summary_lines(val, result)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = safecells.Writer(f)
            w.writerow(REPORT_COLUMNS)
            for n, i in enumerate(issues, 1):
                w.writerow(_row(n, i))
        return path
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("错误 Errors")
    widths = [7, 16, 8, 8, 18, 18, 22, 60, 60]
    for k, wdt in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + k)].width = wdt
    ws.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    head = []
    for h in REPORT_COLUMNS:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="C0392B")
        head.append(c)
    ws.append(head)
    for n, i in enumerate(issues, 1):
        ws.append([safecells.xlsx_cell(ws, v) for v in _row(n, i)])
    if val.issues.total > len(issues):
        ws.append(
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                f"另有 {val.issues.total - len(issues)} 个错误未列出",
                f"{val.issues.total - len(issues)} more errors not listed",
            ]
        )
    ws2 = wb.create_sheet("概要 Summary")
    ws2.column_dimensions["A"].width = 28
    ws2.column_dimensions["B"].width = 90
    for k, v in summary:
        c = WriteOnlyCell(ws2, value=k)
        c.font = Font(bold=True)
        c2 = safecells.xlsx_cell(ws2, v)
        c2.alignment = Alignment(wrap_text=False)
        ws2.append([c, c2])
    wb.save(path)
    return path


def summary_lines(val: Validation, result: LoadResult | None) -> list[tuple[str, str]]:
    out = [
        ("文件 File", str(val.path)),
        ("SHA-256", val.sha256),
        ("检查时间 Checked at", dt.datetime.now().isoformat(timespec="seconds")),
        ("工作表 Sheets", ", ".join(f"{s} → {t}" for s, t in val.sheets_used) or "-"),
        ("忽略的工作表 Ignored sheets", ", ".join(val.sheets_ignored) or "-"),
        ("数据行 Data rows", str(val.rows)),
        ("错误 Errors", str(val.issues.total)),
        (
            "结果 Result",
            (
                "已回滚（试运行）dry run, rolled back"
                if result and result.dry_run
                else f"已导入 loaded as {result.batch_id}"
                if result
                else "未导入任何数据 nothing was loaded"
            ),
        ),
    ]
    for st in val.staged.values():
        for u in st.units:
            out.append(
                (f"单位 Unit {u['sheet']}.{u['field']}", f"{u['unit']} ×{u['factor']:g} → {u['base']} ({u['source']})")
            )
    for zh, en in val.notes:
        out.append(("说明 Note", f"{zh} / {en}"))
    return out


def print_issues(console: Console, val: Validation, report: Path | None, limit: int = 20) -> None:
    t = RichTable(
        title=f"导入失败：发现 {val.issues.total} 个错误，未写入任何数据 / import refused: "
        f"{val.issues.total} error(s), nothing was written",
        title_style="bold red",
        show_lines=False,
    )
    t.add_column("工作表 sheet", overflow="fold", max_width=14)
    t.add_column("行 row", justify="right", no_wrap=True)
    t.add_column("列 column", overflow="fold", max_width=14)
    t.add_column("值 value", overflow="fold", max_width=20)
    t.add_column("原因 reason", overflow="fold", ratio=1, min_width=30)
    for i in val.issues.sorted()[:limit]:
        v = _value(i.value)
        t.add_row(i.sheet, str(i.row or ""), i.column, str(v)[:30], f"{i.reason_zh}\n[dim]{i.reason_en}[/]")
    console.print(t)
    more = val.issues.total - min(limit, len(val.issues.items))
    if more > 0:
        console.print(f"…… 另有 {more} 个错误 / {more} more error(s)")
    console.print(f"共 {val.issues.total} 个错误 / {val.issues.total} error(s) in total")
    if report:
        console.print(f"错误报告 error report: [bold]{report}[/]")


def print_summary(console: Console, val: Validation, res: LoadResult) -> None:
    title = (
        "试运行通过（已回滚，未写入）/ dry run passed (rolled back, nothing written)"
        if res.dry_run
        else f"导入成功 / imported: batch {res.batch_id}"
    )
    t = RichTable(title=title, title_style="bold green")
    for h in ("工作表 sheet", "表 table", "行 rows", "新增 new", "更新 updated", "已有 kept"):
        t.add_column(h, justify="left" if h[0] in "工表" else "right")
    sheets_of: dict[str, list[str]] = {}
    for s, k in val.sheets_used:
        sheets_of.setdefault(k, []).append(s)
    for key, c in res.counts.items():
        t.add_row(
            ", ".join(sheets_of.get(key, [])),
            key,
            f"{c['rows']:,}",
            f"{c['new']:,}",
            f"{c['updated']:,}",
            f"{c['unchanged']:,}",
        )
    console.print(t)
    conv = [
        f"{spec.TABLES[k].column(u['field']).zh} {u['unit']}→{u['base']} ×{u['factor']:g}"
        for k, st in val.staged.items()
        for u in st.units
        if u["factor"] != 1
    ]
    if conv:
        console.print("单位换算 units converted: " + "; ".join(conv))
    for zh, en in val.notes:
        console.print(f"[yellow]注意[/] {zh} / {en}")
    if val.sheets_ignored:
        console.print(f"[dim]忽略的工作表 ignored sheets: {', '.join(val.sheets_ignored)}[/]")
    console.print(f"[dim]检查 validated in {val.seconds:.2f} s, 写入 loaded in {res.seconds:.2f} s[/]")
