"""How numbers are written for people: one place for the CLI, the analytics' reason texts, the web pages and the
reports. Chinese statistics write large amounts with 万 (10⁴), 亿 (10⁸) and 万亿 (10¹²); English uses K, M, B, T
(Babel's compact decimal formats, CLDR data, for both languages).

    money(5e6, "zh") -> '500万元'            money(5e6, "en") -> '5M yuan'
    money(1.5073e11, "zh") -> '1507.3亿元'    money(5e6, "zh", unit="亿元") -> '0.05亿元'  (a KPI card's unit)
    scaled(2.6e12) -> '2.6万亿'               (a table cell whose unit the header states)
    in_unit(1.5073e11, "亿元") -> '1,507.3'   (a column headed '(亿元)')
    percent(0.0512) -> '5.1%'                number(1234.5) -> '1,234.5'
    plain(150730000000.0) -> '150,730,000,000'   (CLI tables print numbers whole)

web/i18n.py only translates words; it formats no number.
"""

from __future__ import annotations

import math

from babel.numbers import format_compact_decimal

LOCALES = {"zh": "zh_CN", "en": "en"}
# a fixed money unit: its factor in yuan, and the English unit a page in English shows instead
MONEY_UNITS: dict[str, tuple[float, float, str]] = {
    # unit: (factor of the Chinese unit, factor of the English unit, English unit)
    "元": (1.0, 1.0, "yuan"),
    "万元": (1e4, 1e6, "M yuan"),
    "亿元": (1e8, 1e9, "B yuan"),
    "万亿元": (1e12, 1e12, "T yuan"),
}


def missing(v) -> bool:
    """None, NaN or ±inf: nothing to show."""
    return v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))


def number(x: float, digits: int = 2) -> str:
    """1234.5 -> '1,234.5'; whole numbers without decimals; at most `digits` decimals, trailing zeros cut."""
    if abs(x - round(x)) < 1e-9 and abs(x) < 1e15:
        return f"{int(round(x)):,}"
    s = f"{x:,.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def plain(v) -> str:
    """A number in a CLI table, unabbreviated: grouped and whole from 10⁴ up (150,730,000,000), four significant
    digits below (0.3127, 12.5); — for none."""
    if missing(v):
        return "—"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:,.4g}"
    return str(v)


def scaled(v, lang: str = "zh", digits: int = 2) -> str:
    """A number with its order of magnitude and no unit: 2.6万亿, 1507.3亿, 500万, 9,999 (zh); 2.6T, 150.73B, 5M
    (en); — for none. For table cells whose unit the header states."""
    if missing(v):
        return "—"
    if abs(v) < 1e4:
        return number(v, digits)
    return format_compact_decimal(v, format_type="short", locale=LOCALES.get(lang, "zh_CN"), fraction_digits=digits)


def money(v, lang: str = "zh", unit: str | None = None, digits: int = 2) -> str:
    """Yuan for people: by default the magnitude picks the unit (亿元 from 10⁸, 万元 from 10⁴; B / M / K yuan in
    English); `unit` (元, 万元, 亿元, 万亿元) fixes it, as a KPI card or a column of like figures does (English
    then shows yuan, M, B or T yuan). — for none."""
    if missing(v):
        return "—"
    if unit is None:
        s = scaled(v, lang, digits)
        return f"{s}元" if lang == "zh" else f"{s} yuan"
    zh_factor, en_factor, en_unit = MONEY_UNITS[unit]
    if lang == "zh":
        return f"{number(v / zh_factor, digits)}{unit}"
    return f"{number(v / en_factor, digits)} {en_unit}"


def in_unit(v, unit: str, digits: int = 2) -> str | None:
    """The number of `unit` (元, 万元, 亿元, 万亿元) in v yuan, without the unit (a column headed with it); None for
    none."""
    if missing(v):
        return None
    return number(v / MONEY_UNITS[unit][0], digits)


def percent(v, digits: int = 1, signed: bool = False) -> str:
    """A ratio as per cent: 0.0512 -> '5.1%' ('+5.1%' when signed); — for none."""
    if missing(v):
        return "—"
    return f"{v * 100:+.{digits}f}%" if signed else f"{v * 100:.{digits}f}%"


def compact(v, lang: str = "zh") -> str:
    """Any number in a table cell: whole numbers grouped (12,345), large amounts with their magnitude (1.5亿 /
    150M), fractions to three significant digits; ✓ for true; — for none."""
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return "—"
    if isinstance(v, bool):
        return "✓" if v else ""
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        a = abs(v)
        if a >= 1e8:
            return scaled(v, lang)
        if a >= 1e4:
            return f"{v:,.0f}"
        if a >= 1:
            return f"{v:,.2f}"
        return f"{v:.3g}"
    return str(v)
