"""What a report holds, independent of its format: sections (one per instrument, a sheet in the workbook and a
chapter in the PDF), each a table of typed columns, plus the cover's facts, the computed summary and the sources.

A column's `unit` says how its numbers are stored and shown, once for both formats:

    unit     stored in the row as          shown as (zh)              Excel number format
    yi       yuan                          亿元, two decimals          #,##0.00 (value / 1e8)
    wan      yuan                          万元, two decimals          #,##0.00 (value / 1e4)
    pct      a fraction (0.123)            12.3%                      0.0%
    ppct     a percentage (12.3)           12.3%                      0.0"%"
    int      a count                       1,234                      #,##0
    num      any number                    1,234.56                   #,##0.00
    text     text                          as it is                   @
    row      the row's own unit (row["_unit"] names one of the above); used for targets and facts stated in
             their own units
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

UNITS = ("yi", "wan", "pct", "ppct", "int", "num", "num4", "text", "row")
UNIT_LABEL = {  # (zh, en) suffix of a column header
    "yi": ("亿元", "100 m yuan"),
    "wan": ("万元", "10,000 yuan"),
    "pct": ("%", "%"),
    "ppct": ("%", "%"),
    "int": ("", ""),
    "num": ("", ""),
    "num4": ("", ""),
    "text": ("", ""),
    "row": ("", ""),
}
SCALE = {"yi": 1e8, "wan": 1e4}


@dataclass(frozen=True)
class Col:
    key: str
    zh: str
    en: str
    unit: str = "text"
    suffix_zh: str = ""  # a unit the header names besides the unit kind's (家, 人, 亩, 万元/亩 ...)
    suffix_en: str = ""
    width: int | None = None  # characters (workbook) — fitted from the data when None
    optional: bool = False  # shown only when the rows carry the column (figures other instruments may add)

    def head(self, lang: str = "zh") -> str:
        name = self.zh if lang == "zh" else self.en
        unit = (
            (self.suffix_zh or UNIT_LABEL[self.unit][0])
            if lang == "zh"
            else (self.suffix_en or UNIT_LABEL[self.unit][1])
        )
        if not unit:
            return name
        return f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"


@dataclass
class Chart:
    kind: str  # bar | barh | line | progress
    label: str  # column of the category
    value: str  # column of the value
    title_zh: str
    title_en: str
    limit: int = 12

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


@dataclass
class Table:
    key: str
    title_zh: str
    title_en: str
    cols: list[Col]
    rows: list[dict] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    suppressed: int = 0
    total: int | None = None  # rows there are when `rows` is a first part
    evaluated: bool = True
    firm_level: bool = False
    chart: Chart | None = None
    pdf_rows: int = 40  # rows the PDF prints (the workbook carries all): a briefing, not the whole table
    pdf_cols: tuple[str, ...] | None = None  # columns the PDF prints (default: all)

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def columns(self) -> list[Col]:
        have = set().union(*(r.keys() for r in self.rows)) if self.rows else set()
        return [c for c in self.cols if not c.optional or c.key in have]

    def pdf_columns(self) -> list[Col]:
        cols = self.columns()
        return [c for c in cols if c.key in self.pdf_cols] if self.pdf_cols else cols


@dataclass
class Section:
    """One instrument: a sheet of the workbook (its tables one below the other) and a chapter of the PDF."""

    key: str
    sheet_zh: str
    sheet_en: str
    about_zh: str
    about_en: str
    tables: list[Table] = field(default_factory=list)

    def sheet(self, lang: str) -> str:
        return self.sheet_zh if lang == "zh" else self.sheet_en

    def about(self, lang: str) -> str:
        return self.about_zh if lang == "zh" else self.about_en


@dataclass
class Report:
    scope: str  # city | district | cluster
    area: str  # region code the report is about (the city for city and city-wide cluster reports)
    area_name: str
    cluster: str | None
    cluster_name: str | None
    year: int
    lang: str
    user: str  # who the report is made for (name)
    role: str
    user_region: str | None
    as_admin: bool  # made without --user: an administrator's report
    synthetic: bool
    run_id: str | None
    run_finished: Any
    generated: dt.datetime
    city_name: str
    sections: list[Section] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    summary_sources: list[list[int]] = field(default_factory=list)  # per sentence: sources of its published figures
    sources: dict[str, dict] = field(default_factory=dict)  # id -> title, address, published, publisher
    figures: dict | None = None  # the area's headline figures (the overview row)
    map_values: list[dict] = field(default_factory=list)  # code, value, firms, suppressed
    map_metric: tuple[str, str] = ("工业总产值", "industrial output")
    scope_text: str = ""  # the area and its level, or the cluster and its area, as the cover prints them
    user_region_name: str = ""
    root: str = ""  # the city's region code
    city_system: str | None = None  # the city's cluster system (a district's own system regroups the same firms)
    rank: int | None = None  # the area's rank among the districts by output (district reports)
    ranked_of: int = 0

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    @property
    def title(self) -> str:
        what = self.cluster_name if self.scope == "cluster" else self.area_name
        where = f"{self.area_name} · " if self.scope == "cluster" and self.area_name != self.city_name else ""
        return self.t(
            f"{where}{what} {self.year}年制造业发展简报", f"{where}{what}: manufacturing briefing {self.year}"
        )

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def table(self, key: str) -> Table | None:
        for s in self.sections:
            for t in s.tables:
                if t.key == key:
                    return t
        return None


def blank(v) -> bool:
    return v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))


def scaled(v, unit: str):
    """The number a cell holds for `unit` (亿元 and 万元 scaled from yuan); None for a blank."""
    if blank(v) or isinstance(v, bool):
        return None if blank(v) else v
    if not isinstance(v, (int, float)):
        return v
    s = SCALE.get(unit)
    return v / s if s else v


def show(v, unit: str, lang: str = "zh", row_unit: str | None = None) -> str:
    """A cell as the PDF prints it (the workbook stores the number and formats it with `excel_format`)."""
    if unit == "row":
        unit = row_unit or "num"
    if blank(v):
        return "—"
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if not isinstance(v, (int, float)):
        return str(v)
    if unit in SCALE:
        return f"{v / SCALE[unit]:,.2f}"
    if unit == "pct":
        return f"{v * 100:,.1f}%"
    if unit == "ppct":
        return f"{v:,.1f}%"
    if unit == "int":
        return f"{round(v):,}"
    if unit == "num4":
        return f"{v:,.3f}"
    if unit == "text":
        return str(v)
    return f"{v:,.2f}"


EXCEL_FORMAT = {
    "yi": "#,##0.00",
    "wan": "#,##0.00",
    "pct": "0.0%",
    "ppct": '0.0"%"',
    "int": "#,##0",
    "num": "#,##0.00",
    "num4": "0.000",
    "text": "@",
}


def excel_format(unit: str, row_unit: str | None = None) -> str:
    return EXCEL_FORMAT.get(row_unit or "num" if unit == "row" else unit, "General")
