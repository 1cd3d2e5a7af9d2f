"""Cell parsers: one written value -> (value in base form, None) or (None, (reason_zh, reason_en)).

Empty cells (None, '', whitespace, and the dashes statistics tables use for 'no figure') parse to
(None, None). Parsers are pure and cheap; the validator caches them by value where values repeat.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from ... import uscc as uscc_mod

Reason = tuple[str, str]
EMPTY_TEXT = {"", "-", "—", "–", "--", "/", "无", "n/a", "na", "null", "none"}

_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM_UNIT = re.compile(r"^[+-]?[\d.,]+\s*(万|亿|千|百|元|万元|亿元|亩|吨|人|%|％)\S*$")


def is_empty(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip().lower() in EMPTY_TEXT
    return False


def text(v: object) -> tuple[str | None, Reason | None]:
    if is_empty(v):
        return None, None
    if isinstance(v, float) and v.is_integer():
        return str(int(v)), None
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10], None
    return str(v).strip(), None


def norm_text(v: object) -> str:
    """Comparable form for codes and names: NFKC, trimmed, inner whitespace collapsed."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(v)).strip())


_USCC_ZH = [
    (re.compile(r"must have 18 characters, has (\d+)"), "应为18位，实际为{0}位"),
    (
        re.compile(r"character '(.)' is not allowed"),
        "含有不允许的字符“{0}”（只能是数字和除 I、O、S、V、Z 以外的大写字母）",
    ),
    (re.compile(r"unknown registration authority '(.)'"), "第1位登记管理部门代码“{0}”不存在"),
    (
        re.compile(r"organisation type '(.)' is not issued by authority '(.)'"),
        "第2位机构类别“{0}”不属于登记管理部门“{1}”",
    ),
    (re.compile(r"positions 3-8 must be"), "第3-8位应为6位数字的行政区划代码"),
    (re.compile(r"check character is '(.)', expected '(.)'"), "校验位（第18位）是“{0}”，按 GB 32100-2015 应为“{1}”"),
    (re.compile(r"not text"), "不是文本"),
]


_SCI = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_AS_NUMBER = (
    "统一社会信用代码被 Excel 存成了数字（精度已丢失）：请把该列设为“文本”格式后重新输入",
    "the code was stored by Excel as a number (digits are lost): format the column as Text and enter it again",
)


def uscc(v: object) -> tuple[str | None, Reason | None]:
    if is_empty(v):
        return None, None
    if (
        isinstance(v, float)
        or (isinstance(v, int) and not isinstance(v, bool) and v >= 10**15)
        or (isinstance(v, str) and _SCI.match(v.strip()))
    ):
        return None, _AS_NUMBER
    s = unicodedata.normalize("NFKC", str(v)).strip().upper().replace(" ", "")
    why = uscc_mod.problem(s)
    if why is None:
        return s, None
    zh = why
    for pat, tmpl in _USCC_ZH:
        mt = pat.search(why)
        if mt:
            zh = tmpl.format(*mt.groups())
            break
    return None, (f"统一社会信用代码无效：{zh}", f"invalid unified social credit code: {why}")


def number(v: object) -> tuple[float | None, Reason | None]:
    t = type(v)
    if t is float:
        if math.isfinite(v):
            return v, None
        return None, ("不是有限数值", "not a finite number")
    if t is int:
        return float(v), None
    if v is None:
        return None, None
    if t is bool:
        return None, ("是逻辑值（TRUE/FALSE），不是数字", "a TRUE/FALSE value, not a number")
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return None, (
            "是日期，不是数字（请把单元格格式改为“常规”或“数值”）",
            "a date, not a number (format the cell as General or Number)",
        )
    s = str(v).strip()
    if t is str and s and "_" not in s:
        try:
            x = float(s)  # the common case, fast
        except ValueError:
            pass
        else:
            if math.isfinite(x):
                return x, None
    if s.lower() in EMPTY_TEXT:
        return None, None
    s2 = unicodedata.normalize("NFKC", s).replace(",", "").replace(" ", "")
    if s2.startswith("(") and s2.endswith(")"):  # accounting negatives (123)
        s2 = "-" + s2[1:-1]
    if _NUM.match(s2):
        x = float(s2)
        if math.isfinite(x):
            return x, None
    if _NUM_UNIT.match(s2):
        return None, (
            f"“{s}”在数字后写了单位：请只填数字，把单位写在单位行或表头中",
            f"{s!r} has a unit after the number: enter the number only and declare the unit in the "
            f"units row or the header",
        )
    return None, (f"“{s}”不是数字", f"{s!r} is not a number")


def year(v: object, lo: int, hi: int) -> tuple[int | None, Reason | None]:
    if is_empty(v):
        return None, None
    if isinstance(v, (dt.datetime, dt.date)):
        return None, (
            "是日期，不是年份（请填写四位数年份，如2023）",
            "a date, not a year (enter a four-digit year such as 2023)",
        )
    if isinstance(v, bool):
        return None, ("不是年份", "not a year")
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not v.is_integer():
            return None, (f"{v} 不是整数年份", f"{v} is not a whole year")
        y = int(v)
    else:
        s = unicodedata.normalize("NFKC", str(v)).strip().removesuffix("年").strip()
        if s.endswith(".0"):
            s = s[:-2]
        if not re.fullmatch(r"\d{4}", s):
            return None, (f"“{v}”不是四位数年份", f"{v!r} is not a four-digit year")
        y = int(s)
    if not lo <= y <= hi:
        return None, (f"年份 {y} 超出范围（{lo}–{hi}）", f"year {y} is out of range ({lo}-{hi})")
    return y, None


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERNS = [re.compile(r"^(\d{4})[-/.](\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月?$")]


def date(v: object, lo: dt.date, hi: dt.date) -> tuple[dt.date | None, Reason | None]:
    if is_empty(v):
        return None, None
    d = None
    if isinstance(v, dt.datetime):
        d = v.date()
    elif isinstance(v, dt.date):
        d = v
    elif isinstance(v, bool):
        return None, ("不是日期", "not a date")
    elif isinstance(v, (int, float)):
        if float(v).is_integer() and 1000 <= v <= 9999:
            d = dt.date(int(v), 1, 1)
        elif 10000 <= v < 2958466:  # an Excel serial day number
            d = dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
        else:
            return None, (f"{v} 不是日期", f"{v} is not a date")
    else:
        s = unicodedata.normalize("NFKC", str(v)).strip()
        try:
            for pat in _DATE_PATTERNS:
                mt = pat.match(s)
                if mt:
                    d = dt.date(int(mt.group(1)), int(mt.group(2)), int(mt.group(3)))
                    break
            else:
                for pat in _MONTH_PATTERNS:
                    mt = pat.match(s)
                    if mt:
                        d = dt.date(int(mt.group(1)), int(mt.group(2)), 1)
                        break
                else:
                    mt = re.fullmatch(r"(\d{4})年?", s)
                    if mt:
                        d = dt.date(int(mt.group(1)), 1, 1)
        except ValueError:
            return None, (f"“{s}”不是有效日期", f"{s!r} is not a valid date")
        if d is None:
            return None, (
                f"“{s}”不是日期（可写 2015-03-01、2015/3/1、2015年3月1日 或 2015）",
                f"{s!r} is not a date (write 2015-03-01, 2015/3/1, 2015年3月1日 or 2015)",
            )
    if not lo <= d <= hi:
        return None, (f"日期 {d} 超出范围（{lo} 至 {hi}）", f"date {d} is out of range ({lo} to {hi})")
    return d, None
