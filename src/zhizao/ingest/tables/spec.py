"""The importable tables, as data: sheets, columns, types, units and checks.

This module is the single description of the import format. The template writer, the reader, the
validator and the error report all work from it, and other tools may rely on it.

Layout of a data sheet (template and import alike; see `LAYOUT` for the text users read):

    row 1   Chinese header            统一社会信用代码 | 年份 | 营业收入 | ...
    row 2   English field name        uscc             | year | revenue  | ...
    row 3   units row                 —                | —    | 万元     | ...
    row 4…  data

On import, rows 2 and 3 are optional and recognised by their content: row 2 when every non-empty
cell is a field name of the table, the units row when every non-empty cell is a unit or a dash.
A header may carry its unit in brackets instead (``营业收入(万元)``, ``revenue (亿元)``); a header
unit and a units-row unit that disagree are an error. Money columns without any declared unit are
an error too (a figure in 万元 read as 元 is off by 10,000), except where the column's unit is
fixed (亩 for land, 人 for employees ...), which is then assumed and said so in the summary.

The units and their spellings are in units.py, the written forms of coded values (levels, scopes, qualifiers,
statuses, metrics) in codes.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ...vocab import FIGURE


# ---------------------------------------------------------------- columns and tables
@dataclass(frozen=True)
class Column:
    field: str  # the warehouse / machine name (row 2 of the template)
    zh: str  # Chinese header (row 1)
    en: str  # English header, for the instructions and CSV users
    type: str  # text | uscc | year | int | number | date | region | industry | park | honour_kind
    # | honour_level | scope | scope_id | cluster | metric | target_unit | qualifier | status
    unit_kind: str | None = None  # money | area | energy | mass | headcount | ratio (a units-row column)
    default_unit: str | None = None  # what the template declares
    required: bool = False
    min: float | None = None  # inclusive bounds after conversion to the base unit
    max: float | None = None
    help_zh: str = ""
    help_en: str = ""
    width: int = 14
    example: object = None

    def header_forms(self) -> list[str]:
        return [self.zh, self.field, self.en]


@dataclass(frozen=True)
class Table:
    key: str  # enterprises | enterprise_year | honours | targets
    sheet: str  # the sheet name in the template
    sheet_en: str
    warehouse: str  # the warehouse table it loads into
    keys: tuple[str, ...]  # fields that identify a row (duplicates in a file are errors)
    columns: tuple[Column, ...]
    help_zh: str
    help_en: str
    semantics_zh: str
    semantics_en: str
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.field == name:
                return c
        raise KeyError(name)

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns]

    def sheet_names(self) -> list[str]:
        return [self.sheet, self.sheet_en, self.key, self.warehouse, *self.aliases]


FIRST_YEAR = 1949  # figures and honours before this are refused
FIRST_FOUNDED = dt.date(1800, 1, 1)  # a few firms are older than the republic (长安, 1862)
TARGET_LAST_YEAR_AHEAD = 50  # targets may lie up to this many years ahead


def current_year() -> int:
    return dt.date.today().year


USCC = Column(
    "uscc",
    "统一社会信用代码",
    "USCC",
    "uscc",
    required=True,
    width=22,
    help_zh="18位统一社会信用代码（GB 32100-2015），校验位必须正确",
    help_en="18-character unified social credit code; the check character must be right",
)

ENTERPRISES = Table(
    key="enterprises",
    sheet="企业名录",
    sheet_en="Enterprises",
    warehouse="enterprise",
    keys=("uscc",),
    aliases=("enterprise", "企业"),
    help_zh="每行一家企业。区县可填名称或代码（含曾用名）；行业代码为GB/T 4754-2017代码（如C36或C3670）。",
    help_en="One row per enterprise. Region by name or code (former names are accepted); "
    "industry as a GB/T 4754-2017 code (C36 or C3670).",
    semantics_zh="按统一社会信用代码更新或新增：已有企业的名称、区县、行业被文件中的值替换；园区、成立日期留空则保留原值。",
    semantics_en="Upsert by USCC: an existing firm's name, region and industry are replaced by the file's; "
    "an empty park or founding date keeps the stored value.",
    columns=(
        USCC,
        Column(
            "name", "企业名称", "Name", "text", required=True, width=30, help_zh="企业全称", help_en="registered name"
        ),
        Column(
            "region",
            "所在区县",
            "Region",
            "region",
            required=True,
            width=16,
            help_zh="区县名称、简称、曾用名或GB/T 2260代码",  # the template adds the pack's examples
            help_en="county-level region: name, short name, former name or GB/T 2260 code",
        ),
        Column(
            "park",
            "所在园区",
            "Park",
            "park",
            width=20,
            help_zh="园区名称或编号（可空）",
            help_en="park name or id (optional)",
        ),
        Column(
            "industry_code",
            "行业代码",
            "Industry code",
            "industry",
            required=True,
            width=16,
            help_zh="GB/T 4754-2017 行业代码（如 C36、C3670；可带名称“C36 汽车制造业”）",
            help_en="GB/T 4754-2017 code (C36, C3670; 'C36 汽车制造业' is read as C36)",
        ),
        Column(
            "founded",
            "成立日期",
            "Founded",
            "date",
            width=12,
            help_zh="日期或年份（只填年份时记为当年1月1日）",
            help_en="a date, or a year (stored as 1 January)",
        ),
        Column(
            "region_year",
            "区划年份",
            "Region year",
            "year",
            width=10,
            help_zh="区县名称所指的年份（可空，默认今年）；同名区划按该年份有效的区划解析",
            help_en="the year the region name refers to (optional, default this year); a name used by "
            "several regions resolves to the one valid that year",
        ),
    ),
)

_MONEY = dict(unit_kind="money", default_unit="万元", min=0.0)


def _figure(field: str, type: str, **kw) -> Column:
    """A column of the yearly-figures sheet: its headers are the vocabulary's names of the warehouse column."""
    return Column(field, FIGURE[field].zh, FIGURE[field].en, type, **kw)


ENTERPRISE_YEAR = Table(
    key="enterprise_year",
    sheet="企业年度数据",
    sheet_en="Yearly figures",
    warehouse="enterprise_year",
    keys=("uscc", "year"),
    aliases=("yearly figures", "yearly", "年度数据"),
    help_zh="每行一家企业一年的数据。金额单位在第3行（单位行）选择：元/千元/万元/亿元；导入时统一换算为元、亩、吨标准煤。",
    help_en="One row per enterprise and year. Choose money units in row 3 (元/千元/万元/亿元); "
    "everything is converted to yuan, mu and tonnes of standard coal on import.",
    semantics_zh="按（统一社会信用代码, 年份）更新或新增：非空单元格覆盖库中的值，空单元格保留库中原值。"
    "企业须在本文件“企业名录”或库中已存在。",
    semantics_en="Upsert per (USCC, year): a non-empty cell replaces the stored value, an empty cell keeps it. "
    "The enterprise must be in this file's enterprise sheet or already in the warehouse.",
    columns=(
        USCC,
        Column(
            "year",
            "年份",
            "Year",
            "year",
            required=True,
            width=8,
            help_zh=f"数据年份（{FIRST_YEAR}年至今年）",
            help_en=f"year of the figures ({FIRST_YEAR} to this year)",
        ),
        _figure("revenue", "number", **_MONEY, help_zh="营业收入", help_en="operating revenue"),
        _figure(
            "output_value",
            "number",
            **_MONEY,
            help_zh="工业总产值（现价）",
            help_en="gross industrial output value (current prices)",
        ),
        _figure(
            "value_added",
            "number",
            **_MONEY,
            help_zh="工业增加值，不得大于工业总产值",
            help_en="industrial value added; not above gross output",
        ),
        _figure("tax", "number", **_MONEY, help_zh="实缴税金总额", help_en="taxes paid"),
        _figure(
            "profit",
            "number",
            unit_kind="money",
            default_unit="万元",
            help_zh="利润总额（亏损填负数）",
            help_en="total profit (a loss is negative)",
        ),
        _figure(
            "land_mu",
            "number",
            unit_kind="area",
            default_unit="亩",
            min=0.0,
            help_zh="实际用地面积；产值大于0时不能为0（未知请留空）",
            help_en="land in use; cannot be 0 when output is above 0 (leave empty if unknown)",
        ),
        _figure(
            "energy_tce",
            "number",
            unit_kind="energy",
            default_unit="吨标准煤",
            min=0.0,
            help_zh="综合能源消费量",
            help_en="total energy consumption",
        ),
        _figure(
            "emission_equiv",
            "number",
            unit_kind="mass",
            default_unit="吨",
            min=0.0,
            width=18,
            help_zh="主要污染物排放当量",
            help_en="emissions of the main pollutants, equivalent tonnes",
        ),
        _figure(
            "rd_expense",
            "number",
            **_MONEY,
            help_zh="R&D经费支出",
            help_en="R&D expenditure",
        ),
        _figure(
            "employees",
            "int",
            unit_kind="headcount",
            default_unit="人",
            min=0.0,
            help_zh="年平均职工人数（整数）",
            help_en="average number of employees (a whole number)",
        ),
        _figure(
            "fixed_investment",
            "number",
            **_MONEY,
            help_zh="工业投资（固定资产投资）",
            help_en="industrial (fixed-asset) investment",
        ),
        _figure(
            "tech_renovation_investment",
            "number",
            **_MONEY,
            help_zh="技术改造投资，不得大于工业投资",
            help_en="technical renovation investment; not above industrial investment",
        ),
        _figure(
            "main_business_share",
            "number",
            unit_kind="ratio",
            default_unit="比例",
            min=0.0,
            max=1.0,
            width=16,
            help_zh="主营业务收入/营业收入，0到1之间的小数（单位行选“%”时填0到100）",
            help_en="main-business revenue / revenue, a fraction 0..1 (0..100 with '%' in the units row)",
        ),
    ),
)

HONOURS = Table(
    key="honours",
    sheet="企业荣誉",
    sheet_en="Honours",
    warehouse="honour",
    keys=("uscc", "kind", "level", "year"),
    aliases=("honour", "荣誉"),
    help_zh="每行一项企业荣誉（如 专精特新、小巨人、智能工厂、高新技术企业）。",
    help_en="One row per honour (专精特新, 小巨人, smart factory, high-tech enterprise ...).",
    semantics_zh="同一（企业, 荣誉类型, 级别, 年份）已在库中时视为已有，不重复写入。",
    semantics_en="An honour already in the warehouse (same firm, kind, level and year) is left as it is.",
    columns=(
        USCC,
        Column(
            "kind",
            "荣誉类型",
            "Honour kind",
            "honour_kind",
            required=True,
            width=24,
            help_zh="政策包中的荣誉类型（中文名或英文键）",
            help_en="an honour kind of the policy pack (name or key)",
        ),
        Column(
            "level",
            "级别",
            "Level",
            "honour_level",
            width=10,
            help_zh="国家级 / 市级 / 区县级（政策包未规定级别的荣誉可留空）",
            help_en="national / municipal / district (may be empty for kinds the pack gives no level)",
        ),
        Column(
            "year",
            "认定年份",
            "Year recognised",
            "year",
            required=True,
            width=10,
            help_zh="认定（授予）年份",
            help_en="year recognised",
        ),
    ),
)

TARGETS = Table(
    key="targets",
    sheet="目标",
    sheet_en="Targets",
    warehouse="target",
    keys=("id",),
    aliases=("target", "目标任务"),
    help_zh="每行一个目标。对象类型为 区县/集群/园区/企业；对象填名称或代码；"
    "目标值的单位在“单位”列逐行填写（亿元、%、家…）。",
    help_en="One row per target. Scope: region, cluster, park or enterprise; the scope by name or code; "
    "the value's unit per row in the unit column (亿元, %, 家 ...).",
    semantics_zh="按目标编号更新或新增；编号留空时由（对象类型, 对象, 集群, 指标, 年份, 限定）生成，"
    "重复导入同一目标即更新它。",
    semantics_en="Upsert by target id; an empty id is made from (scope, scope id, cluster, metric, year, qualifier), "
    "so importing the same target again updates it.",
    columns=(
        Column(
            "id",
            "目标编号",
            "Target id",
            "text",
            width=14,
            help_zh="可空，留空自动生成",
            help_en="optional; made when empty",
        ),
        Column(
            "scope",
            "对象类型",
            "Scope",
            "scope",
            required=True,
            width=10,
            help_zh="区县 / 集群 / 园区 / 企业",
            help_en="region / cluster / park / enterprise",
        ),
        Column(
            "scope_id",
            "对象",
            "Scope id",
            "scope_id",
            required=True,
            width=20,
            help_zh="区县名称或代码、集群名称或编号、园区名称或编号、企业统一社会信用代码",
            help_en="region name or code, cluster name or id, park name or id, or an enterprise's USCC",
        ),
        Column(
            "cluster",
            "集群",
            "Cluster",
            "cluster",
            width=20,
            help_zh="目标针对某一集群时填写（可空）",
            help_en="the cluster a region's target is about (optional)",
        ),
        Column(
            "metric",
            "指标",
            "Metric",
            "metric",
            required=True,
            width=22,
            help_zh="指标英文键（如 industrial_output）或中文名（如 工业总产值）",
            help_en="metric key (industrial_output ...) or its Chinese name",
        ),
        Column("value", "目标值", "Value", "number", required=True, width=12, help_zh="数值", help_en="the number"),
        Column(
            "unit",
            "单位",
            "Unit",
            "target_unit",
            required=True,
            width=10,
            help_zh="亿元、万元、元、%、家、万辆…",
            help_en="亿元, 万元, 元, %, 家, 万辆 ...",
        ),
        Column("year", "目标年份", "Target year", "year", width=10, help_zh="目标年份", help_en="target year"),
        Column(
            "qualifier",
            "限定",
            "Qualifier",
            "qualifier",
            width=10,
            help_zh="超过 / 以上 / 约 / 级 / 以下 / 不超过（可空）",
            help_en="over / at_least / about / level / under / at_most (optional)",
        ),
        Column(
            "baseline_value",
            "基期值",
            "Baseline value",
            "number",
            width=12,
            help_zh="基期数值（与目标值同单位）",
            help_en="baseline, in the same unit as the value",
        ),
        Column(
            "baseline_year", "基期年份", "Baseline year", "year", width=10, help_zh="基期年份", help_en="baseline year"
        ),
        Column(
            "status",
            "核实状态",
            "Status",
            "status",
            width=10,
            help_zh="verified / reported / unverified（可空）",
            help_en="verified / reported / unverified (optional)",
        ),
        Column(
            "source",
            "来源",
            "Source",
            "text",
            width=30,
            help_zh="来源文件标题或网址，或库中来源编号（可空）",
            help_en="source title or address, or a source id (optional)",
        ),
        Column("note", "备注", "Note", "text", width=24, help_zh="备注", help_en="note"),
    ),
)

TABLES: dict[str, Table] = {t.key: t for t in (ENTERPRISES, ENTERPRISE_YEAR, HONOURS, TARGETS)}

LAYOUT_ZH = [
    "第1行：中文表头；第2行：英文字段名（导入时按字段名识别列，请勿修改）；第3行：单位行；第4行起：数据。",
    "金额列在单位行选择 元/千元/万元/亿元，导入时换算为元；用地面积换算为亩，能耗换算为吨标准煤。",
    "也可以把单位写在表头里，如“营业收入(万元)”；表头单位与单位行不一致时报错。",
    "示例数据在“示例”工作表中，导入时忽略；请在本表第4行起填写真实数据。",
    "可只保留需要的工作表；工作表名称须为模板中的名称（中文或英文）。CSV文件每个文件一张表，第一行为表头。",
    "导入先检查全部数据：任何一处错误都不会写入任何数据，并生成错误报告（工作表、行、列、值、原因）。",
    "区县可填名称、简称、曾用名或代码；同名区划按“区划年份”（默认今年）解析。"
    "已撤销的区划{former_zh}按原区划保存，统计时并入继承的区划。",
    "区县用户只能导入本区县的企业、数据和目标；公众用户不能导入。",
]
LAYOUT_EN = [
    "Row 1: Chinese headers; row 2: English field names (columns are matched by these; do not change them); "
    "row 3: units; data from row 4.",
    "Choose money units in row 3 (元/千元/万元/亿元): they are converted to yuan; land to mu, energy to tonnes of "
    "standard coal.",
    "A header may carry its unit instead, e.g. 营业收入(万元); a header unit that disagrees with the units row is "
    "an error.",
    "Examples are on the 示例 (Examples) sheet, which import ignores; enter real data here from row 4.",
    "Keep only the sheets you need; sheet names must be the template's (Chinese or English). A CSV file holds one "
    "table, its first row being the header.",
    "Everything is checked before anything is written: one error anywhere and nothing is loaded; an error report "
    "lists sheet, row, column, value and reason.",
    "Regions by name, short name, former name or code; a name several regions used resolves to the one valid in the "
    "row's region year (default: this year). A former region{former_en} is stored as written and rolls up into "
    "its successor.",
    "District users import enterprises, figures and targets of their own region only; public users cannot import.",
]
HEADER_ROW, FIELD_ROW, UNIT_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
EXAMPLES_SHEET = "示例 Examples"
INSTRUCTIONS_SHEET = "说明 Instructions"
LISTS_SHEET = "代码表 Lists"


def table_for_sheet(name: str) -> Table | None:
    """The table a sheet name stands for (Chinese or English name, case and space insensitive)."""
    n = re.sub(r"\s+", " ", str(name).strip().lower())
    for t in TABLES.values():
        for s in t.sheet_names():
            s = s.lower()
            if n == s or n == f"{t.sheet} {t.sheet_en}".lower() or n.replace("_", " ") == s.replace("_", " "):
                return t
    return None
