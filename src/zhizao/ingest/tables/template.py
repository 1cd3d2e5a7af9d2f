"""`zhizao template`: the Excel workbook users fill in and import.

Sheets, in order:
    说明 Instructions          layout, semantics and every column (Chinese and English)
    企业名录                   enterprises
    企业年度数据               enterprise_year
    企业荣誉                   honours
    目标                       targets
    示例 Examples              one worked example per table (import ignores this sheet)
    代码表 Lists               regions, industries, honour kinds ... that the dropdowns offer
Each data sheet: row 1 Chinese header, row 2 field name, row 3 units, data from row 4 (spec.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ... import uscc as uscc_mod
from ...reference.models import ExampleFirm
from . import codes, spec, units

VALIDATION_ROWS = 20_000  # dropdowns cover data rows 4 .. 4 + this
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FIELD_FILL = PatternFill("solid", fgColor="EDEDED")
UNIT_FILL = PatternFill("solid", fgColor="FFF2CC")
EXAMPLE_FILL = PatternFill("solid", fgColor="E2EFDA")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _lists(pack) -> dict[str, list[str]]:
    out = {
        "级别 Levels": codes.HONOUR_LEVEL_CHOICES,
        "对象类型 Scopes": codes.SCOPE_CHOICES,
        "目标单位 Target units": units.TARGET_UNIT_CHOICES,
        "限定 Qualifiers": codes.QUALIFIER_CHOICES,
        "核实状态 Status": ["verified", "reported", "unverified"],
        "指标 Metrics": list(codes.TEMPLATE_METRICS.values()),
        "指标键 Metric keys": list(codes.TEMPLATE_METRICS),
    }
    for kind, choices in units.UNIT_CHOICES.items():
        out[f"单位 {kind}"] = choices
    if pack is not None:
        today = dt.date.today()
        counties = pack.counties(on=today)
        out["区县 Regions"] = [r.name_zh for r in counties]
        out["区县代码 Region codes"] = [r.code for r in counties]
        out["行业 Industries"] = [f"{c} {i.name_zh}" for c, i in pack.industries.items() if i.level != "section"]
        out["荣誉类型 Honour kinds"] = [k.name_zh for k in pack.ladder.honour_kinds]
        out["集群 Clusters"] = [c.name_zh for c in pack.clusters.values()]
        out["集群编号 Cluster ids"] = list(pack.clusters)
        if pack.parks:
            out["园区 Parks"] = [p.name_zh for p in pack.parks.values()]
    return out


# Without a pack the examples name no real place: a placeholder region and a synthetic firm.
_NO_PACK_FIRMS = [
    ExampleFirm(name="示例汽车零部件有限公司", region="（区县）", org_code="MA5U7W3K", founded="2016-05-18")
]


def _examples(pack) -> dict[str, list[dict]]:
    """The example rows of the 示例 sheet: the pack's example firms (pack.yaml template_examples) with figures,
    an honour and a target made up for the purpose."""
    industry = "C36"
    honour = "专精特新中小企业"
    cluster = None
    firms = _NO_PACK_FIRMS
    division = "000000"
    if pack is not None:
        firms = pack.info.template_examples.firms or firms
        if pack.industries and industry not in pack.industries:
            industry = next((k for k, i in pack.industries.items() if i.level == "division"), industry)
        if pack.ladder.honour_kinds:
            honour = pack.ladder.honour_kinds[0].name_zh
        if pack.clusters:
            cluster = next(iter(pack.clusters.values())).name_zh

    def code(f: ExampleFirm) -> str:
        r = pack.resolve_region(f.region, on=dt.date(f.region_year, 7, 1) if f.region_year else None) if pack else None
        return uscc_mod.make(r.code if r is not None else division, f.org_code)

    firm = code(firms[0])
    region = firms[0].region
    y = dt.date.today().year - 1
    return {
        "enterprises": [
            dict(
                uscc=code(f),
                name=f.name,
                region=f.region,
                park=None,
                industry_code=industry,
                founded=f.founded,
                region_year=f.region_year,
            )
            for f in firms
        ],
        "enterprise_year": [
            dict(
                uscc=firm,
                year=y,
                revenue=52340.5,
                output_value=55120,
                value_added=13800,
                tax=1650.2,
                profit=3120,
                land_mu=86.5,
                energy_tce=4200,
                emission_equiv=12.4,
                rd_expense=1830,
                employees=612,
                fixed_investment=6400,
                tech_renovation_investment=2100,
                main_business_share=0.96,
            ),
        ],
        "honours": [dict(uscc=firm, kind=honour, level="市级", year=y)],
        "targets": [
            dict(
                id=None,
                scope="区县",
                scope_id=region,
                cluster=cluster,
                metric="industry_output",
                value=1000,
                unit="亿元",
                year=y + 4,
                qualifier="以上",
                baseline_value=620,
                baseline_year=y,
                status="reported",
                source="某区政府工作报告（示例）",
                note="示例",
            )
        ],
    }


def _help(c: spec.Column, pack) -> tuple[str, str]:
    """A column's help text; a region column gets the pack's examples of how a region may be written."""
    forms = pack.info.template_examples.region_forms if pack is not None else []
    if c.type == "region" and forms:
        return f"{c.help_zh}（如 {' / '.join(forms)}）", f"{c.help_en} (e.g. {', '.join(forms)})"
    return c.help_zh, c.help_en


def _layout(pack) -> list[tuple[str, str]]:
    """The layout notes, with the pack's former regions as examples."""
    former = pack.info.template_examples.former_regions if pack is not None else []
    kw = {
        "former_zh": f"（如{'、'.join(former)}）" if former else "",
        "former_en": f" ({', '.join(former)})" if former else "",
    }
    return [(zh.format(**kw), en.format(**kw)) for zh, en in zip(spec.LAYOUT_ZH, spec.LAYOUT_EN)]


def _header(ws, table: spec.Table, row: int = 1, comments: bool = True, pack=None) -> None:
    for j, c in enumerate(table.columns, 1):
        h = ws.cell(row, j, c.zh)
        h.font = Font(bold=True)
        h.fill = REQUIRED_FILL if c.required else HEADER_FILL
        h.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        h.border = BOX
        if comments:
            text = "\n".join(_help(c, pack)) + ("\n必填 required" if c.required else "\n选填 optional")
            h.comment = Comment(text, "zhizao", width=260, height=110)
        f = ws.cell(row + 1, j, c.field)
        f.font = Font(italic=True, color="7F7F7F", size=9)
        f.fill = FIELD_FILL
        f.alignment = Alignment(horizontal="center")
        f.border = BOX
        u = ws.cell(row + 2, j, c.default_unit if c.unit_kind else "—")
        u.fill = UNIT_FILL
        u.alignment = Alignment(horizontal="center")
        u.border = BOX
        if not c.unit_kind:
            u.font = Font(color="A6A6A6")


def _number_format(c: spec.Column) -> str | None:
    if c.type == "uscc" or c.type in ("text", "industry", "region", "scope_id"):
        return "@"
    if c.type == "year":
        return "0"
    if c.type == "int":
        return "#,##0"
    if c.type == "number":
        return "#,##0.####"
    if c.type == "date":
        return "yyyy-mm-dd"
    return None


def write_template(path: str | Path, pack=None) -> Path:
    """Write the import template; `pack` (a loaded policy pack) fills the dropdown lists when given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ins = wb.active
    ins.title = spec.INSTRUCTIONS_SHEET
    lists = _lists(pack)
    # ---------------------------------------------------------------- lists (dropdown sources)
    data_sheets = {}
    for t in spec.TABLES.values():
        data_sheets[t.key] = wb.create_sheet(t.sheet)
    ex = wb.create_sheet(spec.EXAMPLES_SHEET)
    ls = wb.create_sheet(spec.LISTS_SHEET)
    ref: dict[str, str] = {}
    for j, (name, values) in enumerate(lists.items(), 1):
        col = get_column_letter(j)
        h = ls.cell(1, j, name)
        h.font = Font(bold=True)
        h.fill = HEADER_FILL
        for i, v in enumerate(values, 2):
            ls.cell(i, j, v)
        ls.column_dimensions[col].width = max(12, min(36, max((len(str(v)) for v in values), default=8) * 2))
        ref[name] = f"{quote_sheetname(ls.title)}!${col}$2:${col}${max(2, len(values) + 1)}"
    ls.freeze_panes = "A2"

    # ---------------------------------------------------------------- data sheets
    def dropdown(ws, c: spec.Column, j: int):
        key = {
            "region": "区县 Regions",
            "industry": "行业 Industries",
            "honour_kind": "荣誉类型 Honour kinds",
            "honour_level": "级别 Levels",
            "scope": "对象类型 Scopes",
            "target_unit": "目标单位 Target units",
            "qualifier": "限定 Qualifiers",
            "status": "核实状态 Status",
            "metric": "指标 Metrics",
            "cluster": "集群 Clusters",
            "park": "园区 Parks",
        }.get(c.type)
        col = get_column_letter(j)
        if key and key in ref:
            strict = c.type in ("honour_level", "scope", "qualifier", "status")
            dv = DataValidation(
                type="list",
                formula1=ref[key],
                allow_blank=True,
                showErrorMessage=strict,
                errorTitle="无效值 invalid value",
                error="请从下拉列表中选择 / choose from the list",
            )
            dv.add(f"{col}{spec.FIRST_DATA_ROW}:{col}{spec.FIRST_DATA_ROW + VALIDATION_ROWS}")
            ws.add_data_validation(dv)
        if c.unit_kind:
            dv = DataValidation(
                type="list",
                formula1=ref[f"单位 {c.unit_kind}"],
                allow_blank=False,
                showErrorMessage=True,
                errorTitle="单位 unit",
                error="请选择单位 / choose a unit from the list",
            )
            dv.add(f"{col}{spec.UNIT_ROW}")
            ws.add_data_validation(dv)
        if c.type == "year":
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1=str(spec.FIRST_YEAR),
                formula2=str(
                    spec.current_year() + (spec.TARGET_LAST_YEAR_AHEAD if c is spec.TARGETS.column("year") else 0)
                ),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="年份 year",
                error="请填写四位数年份 / enter a four-digit year",
            )
            dv.add(f"{col}{spec.FIRST_DATA_ROW}:{col}{spec.FIRST_DATA_ROW + VALIDATION_ROWS}")
            ws.add_data_validation(dv)

    for t in spec.TABLES.values():
        ws = data_sheets[t.key]
        _header(ws, t, pack=pack)
        for j, c in enumerate(t.columns, 1):
            col = get_column_letter(j)
            ws.column_dimensions[col].width = c.width
            fmt = _number_format(c)
            if fmt:
                ws.column_dimensions[col].number_format = fmt
            dropdown(ws, c, j)
        ws.freeze_panes = ws.cell(spec.FIRST_DATA_ROW, 2)
        ws.row_dimensions[1].height = 30
        ws.sheet_properties.tabColor = "4472C4"

    # ---------------------------------------------------------------- examples
    examples = _examples(pack)
    r = 1
    ex.column_dimensions["A"].width = 22
    for t in spec.TABLES.values():
        title = ex.cell(
            r, 1, f"{t.sheet} {t.sheet_en} — 示例，导入时忽略此工作表 / example only: this sheet is ignored on import"
        )
        title.font = Font(bold=True, size=12, color="375623")
        r += 1
        _header(ex, t, row=r, comments=False)
        r += 3
        for rec in examples[t.key]:
            for j, c in enumerate(t.columns, 1):
                v = rec.get(c.field)
                cell = ex.cell(r, j, v)
                cell.fill = EXAMPLE_FILL
                cell.border = BOX
                if c.type == "uscc":
                    cell.number_format = "@"
            r += 1
        r += 2
    for j in range(1, 16):
        ex.column_dimensions[get_column_letter(j)].width = max(
            ex.column_dimensions[get_column_letter(j)].width or 0, 14
        )
    ex.sheet_properties.tabColor = "70AD47"

    # ---------------------------------------------------------------- instructions
    ins.column_dimensions["A"].width = 16
    ins.column_dimensions["B"].width = 22
    ins.column_dimensions["C"].width = 26
    ins.column_dimensions["D"].width = 26
    ins.column_dimensions["E"].width = 12
    ins.column_dimensions["F"].width = 12
    ins.column_dimensions["G"].width = 8
    ins.column_dimensions["H"].width = 70
    ins.column_dimensions["I"].width = 70
    ins.cell(1, 1, "智造 zhizao 数据导入模板 / import template").font = Font(bold=True, size=14)
    ins.cell(
        2,
        1,
        f"生成于 generated {dt.date.today().isoformat()}"
        + (f"；政策包 policy pack: {pack.info.id} {pack.info.version}" if pack is not None else ""),
    ).font = Font(color="7F7F7F")
    r = 4
    ins.cell(r, 1, "格式 Layout").font = Font(bold=True, size=12)
    r += 1
    for zh, en in _layout(pack):
        ins.cell(r, 1, "•")
        ins.cell(r, 2, zh)
        ins.cell(r + 1, 2, en).font = Font(color="595959")
        r += 2
    r += 1
    ins.cell(r, 1, "命令 Commands").font = Font(bold=True, size=12)
    r += 1
    ins.cell(r, 2, "zhizao import 本文件.xlsx --db 仓库.duckdb [--dry-run] [--report 错误报告.xlsx] [--user 姓名]")
    r += 2
    for t in spec.TABLES.values():
        ins.cell(r, 1, f"{t.sheet} / {t.sheet_en}").font = Font(bold=True, size=12)
        r += 1
        ins.cell(r, 2, t.help_zh)
        ins.cell(r + 1, 2, t.help_en).font = Font(color="595959")
        ins.cell(r + 2, 2, "导入规则：" + t.semantics_zh)
        ins.cell(r + 3, 2, "On import: " + t.semantics_en).font = Font(color="595959")
        r += 5
        heads = [
            "中文表头",
            "字段 field",
            "English header",
            "类型 type",
            "单位 unit",
            "必填 required",
            "",
            "说明",
            "Description",
        ]
        for j, h in enumerate(heads, 1):
            cell = ins.cell(r, j if j > 1 else 1, h if j > 0 else h)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        r += 1
        for c in t.columns:
            choices = "、".join(units.UNIT_CHOICES[c.unit_kind]) if c.unit_kind else ""
            vals = [c.zh, c.field, c.en, c.type, choices, "是 yes" if c.required else "", "", *_help(c, pack)]
            for j, v in enumerate(vals, 1):
                ins.cell(r, j, v)
            r += 1
        r += 1
    ins.sheet_properties.tabColor = "FFC000"
    wb.active = 0
    wb.save(path)
    return path
