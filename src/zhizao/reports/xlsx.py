"""The Excel workbook (openpyxl, write-only so that a city workbook of a 1,000,000-firm warehouse stays fast and
small): a 说明 sheet first (what each sheet is, the run and year, who the report is for, the synthetic notice),
then one sheet per table of each instrument — Chinese headers with units, numbers stored as numbers with their
format (亿元 with two decimals, percentages), the header row frozen, filters, fitted widths, native bar charts
where a chart helps.

Text cells are always written as text (data type "s"): a name or quote starting with = + - @ is never a formula.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .model import Col, Report, Table, blank, excel_format, scaled

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
NOTICE = Font(bold=True, color="C53030")
NOTE = Font(italic=True, color="4A5568")
HEAD_FILL = PatternFill("solid", fgColor="E2E8F0")
THIN = Side(style="thin", color="A0AEC0")
HEAD_BORDER = Border(bottom=THIN, top=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _width(v) -> int:
    s = str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _text(ws, v: str, font=None) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
    c.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        c.font = font
    return c


def _cell(ws, v, col: Col, row: dict):
    unit = row.get("_unit") if col.unit == "row" else col.unit
    if col.unit == "text" or isinstance(v, str):
        return _text(ws, "" if v is None else str(v))
    if blank(v):
        return None
    c = WriteOnlyCell(ws, value=scaled(v, unit))
    c.number_format = excel_format(col.unit, row.get("_unit"))
    return c


def _columns(table: Table, lang: str) -> list[tuple[Col, str]]:
    cols = [(c, c.head(lang)) for c in table.columns()]
    if any(r.get("_sources") for r in table.rows):
        cols.append((Col("_sources_text", "来源编号", "Source no."), "来源编号" if lang == "zh" else "Source no."))
    if table.suppressed:
        cols.append(
            (Col("_suppressed_text", "数据已隐去", "Suppressed"), "数据已隐去" if lang == "zh" else "Suppressed")
        )
    return cols


def _sheet_name(name: str, used: set[str]) -> str:
    base = BAD_SHEET.sub("-", name)[:31]
    out, i = base, 2
    while out in used:
        out = f"{base[:28]}-{i}"
        i += 1
    used.add(out)
    return out


def write(report: Report) -> bytes:
    wb = Workbook(write_only=True)
    lang = report.lang
    used: set[str] = set()
    plan = []  # (section, table, sheet name)
    for s in report.sections:
        for i, t in enumerate(s.tables):
            name = s.sheet(lang) if i == 0 else f"{s.sheet(lang)}-{t.title(lang)}"
            plan.append((s, t, name))
    _about(wb, report, plan, used)
    for _s, t, name in plan:
        _table_sheet(wb, report, t, _sheet_name(name, used))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _notice(report: Report) -> str | None:
    if not report.synthetic:
        return None
    return report.t(
        "演示数据：本工作簿中的企业及其数据为合成数据（名称带“（演示）”），不是真实企业；区县、集群体系与公开数字为真实资料。",
        "Demo data: the enterprises in this workbook and their figures are synthetic (names marked （演示）), not real "
        "firms; districts, the cluster system and published figures are real.",
    )


def who(report: Report) -> str:
    if report.as_admin:
        return report.t(
            "管理员报告（未指定用户，含全部企业数据）", "Administrator's report (no --user: every enterprise)"
        )
    role = {
        "admin": ("管理员", "administrator"),
        "city": ("市级账号", "city account"),
        "district": ("区县账号", "district account"),
        "public": ("公众账号", "public account"),
    }.get(report.role, (report.role, report.role))
    region = f" {report.user_region_name}" if report.user_region_name else ""
    return report.t(
        f"按用户 {report.user}（{role[0]}{region}）的权限生成",
        f"Made with the rights of {report.user} ({role[1]}{region})",
    )


def _about(wb, report: Report, plan, used) -> None:
    lang = report.lang
    ws = wb.create_sheet(_sheet_name("说明" if lang == "zh" else "About", used))
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 10
    ws.append([_text(ws, report.title, TITLE)])
    notice = _notice(report)
    if notice:
        ws.append([_text(ws, notice, NOTICE)])
    facts = [
        (report.t("范围", "Scope"), report.scope_text),
        (report.t("年份", "Year"), str(report.year)),
        (report.t("权限", "Access"), who(report)),
        (report.t("生成时间", "Generated"), report.generated.strftime("%Y-%m-%d %H:%M")),
        (report.t("分析批次", "Analytics run"), f"{report.run_id or '—'}（{report.run_finished or '—'}）"),
        (
            report.t("数据性质", "Data"),
            report.t("合成演示数据", "synthetic demo data")
            if report.synthetic
            else report.t("导入数据", "imported data"),
        ),
        (
            report.t("访问规则", "Access rules"),
            report.t(
                "区县账号：本区县企业明细，其他地区仅汇总；公众账号：仅汇总；少于3家企业的汇总数对区县（本区县以外）和公众账号隐去。",
                "District accounts: their own firms, aggregates elsewhere; public: aggregates only; aggregates over "
                "fewer than 3 firms are blanked for district (outside their own) and public accounts.",
            ),
        ),
        (
            report.t("单位", "Units"),
            report.t(
                "金额单位为亿元（另注明者除外），比重与增速为百分比。",
                "Money in 100 million yuan unless stated; shares and growth in percent.",
            ),
        ),
    ]
    for k, v in facts:
        ws.append([_text(ws, k, BOLD), _text(ws, v)])
    ws.append([])
    ws.append([_text(ws, report.t("概要", "Summary"), BOLD)])
    for s in report.summary:
        c = _text(ws, s)
        c.alignment = WRAP
        ws.append([None, c])
    ws.append([])
    head = [report.t("工作表", "Sheet"), report.t("内容", "What it holds"), report.t("行数", "Rows")]
    ws.append([_head(ws, h) for h in head])
    for s, t, name in plan:
        about = f"{t.title(lang)}：{s.about(lang)}" if lang == "zh" else f"{t.title(lang)}: {s.about(lang)}"
        c = _text(ws, about)
        c.alignment = WRAP
        ws.append([_text(ws, name), c, len(t.rows)])


def _head(ws, text: str) -> WriteOnlyCell:
    c = _text(ws, text, BOLD)
    c.fill = HEAD_FILL
    c.border = HEAD_BORDER
    c.alignment = Alignment(wrap_text=True, vertical="center")
    return c


def _table_sheet(wb, report: Report, table: Table, name: str) -> None:
    lang = report.lang
    ws = wb.create_sheet(name)
    cols = _columns(table, lang)
    rows = table.rows
    widths = []
    for c, h in cols:
        if c.width:
            widths.append(c.width)
            continue
        w = _width(h)
        for r in rows[:2000]:
            v = r.get(c.key)
            if c.unit in ("yi", "wan", "num", "num4", "pct", "ppct", "int") and isinstance(v, (int, float)):
                w = max(w, 12)
            elif v is not None:
                w = max(w, _width(v))
        widths.append(min(MAX_WIDTH, max(6, w + 2)))
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    top = [
        [
            _text(
                ws,
                f"{table.title(lang)} — {report.scope_text}，{report.year}"
                if lang == "zh"
                else f"{table.title(lang)} — {report.scope_text}, {report.year}",
                TITLE,
            )
        ]
    ]
    notice = _notice(report)
    if notice:
        top.append([_text(ws, notice, NOTICE)])
    for zh, en in table.notes:
        top.append([_text(ws, zh if lang == "zh" else en, NOTE)])
    if not report.as_admin:
        top.append([_text(ws, who(report), NOTE)])
    header_row = len(top) + 1
    ws.freeze_panes = f"A{header_row + 1}"  # write-only sheets take it before the first row only
    for r in top:
        ws.append(r)
    last = header_row + max(1, len(rows))
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(cols))}{last}"
    ws.append([_head(ws, h) for _, h in cols])
    yes = "是" if lang == "zh" else "yes"
    for r in rows:
        out = []
        for c, _ in cols:
            if c.key == "_sources_text":
                out.append(_text(ws, " ".join(f"[{n}]" for n in r.get("_sources") or [])))
            elif c.key == "_suppressed_text":
                out.append(_text(ws, yes if r.get("suppressed") else ""))
            else:
                out.append(_cell(ws, r.get(c.key), c, r))
        ws.append(out)
    if table.chart is not None and rows:
        _chart(ws, table, cols, header_row, lang)


def _chart(ws, table: Table, cols, header_row: int, lang: str) -> None:
    ch = table.chart
    keys = [c.key for c, _ in cols]
    if ch.value not in keys or ch.label not in keys:
        return
    vi, li = keys.index(ch.value) + 1, keys.index(ch.label) + 1
    n = min(len(table.rows), ch.limit if ch.kind != "bar" else len(table.rows))
    chart = BarChart()
    chart.type = "bar" if ch.kind in ("barh", "progress") else "col"
    chart.title = ch.title(lang)
    chart.style = 10
    chart.legend = None
    chart.height = max(7.5, 0.8 * n + 3)  # cm: room for every category label
    chart.width = 20
    data = Reference(ws, min_col=vi, min_row=header_row, max_row=header_row + n)
    labels = Reference(ws, min_col=li, min_row=header_row + 1, max_row=header_row + n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    if chart.type == "bar":
        chart.y_axis.scaling.orientation = "minMax"
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
    chart.y_axis.number_format = "0%" if ch.kind == "progress" else "#,##0"
    ws.add_chart(chart, f"{get_column_letter(len(cols) + 2)}{header_row}")
