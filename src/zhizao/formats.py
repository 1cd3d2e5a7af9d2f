"""How amounts of money are written for people: one place for the CLI, the analytics' reason texts and
the web pages (Chinese statistics print 亿元 and 万元; English uses billions and millions)."""

from __future__ import annotations

import math


def number(x: float, digits: int = 2) -> str:
    """1234.5 -> '1,234.5'; whole numbers without decimals; at most `digits` decimals, trailing zeros cut."""
    if abs(x - round(x)) < 1e-9 and abs(x) < 1e15:
        return f"{int(round(x)):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def money(v, lang: str) -> str:
    """Yuan as Chinese statistics print them (亿元, 万元) or in billions / millions in English; — for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    a = abs(v)
    if lang == "zh":
        if a >= 1e8:
            return f"{number(v / 1e8)}亿元"
        if a >= 1e4:
            return f"{number(v / 1e4)}万元"
        return f"{number(v)}元"
    if a >= 1e9:
        return f"{number(v / 1e9)} bn yuan"
    if a >= 1e6:
        return f"{number(v / 1e6)} m yuan"
    return f"{number(v)} yuan"


def scaled(v) -> str:
    """A large amount with its Chinese order of magnitude and no unit (2.6万亿, 1,507.3亿, 12万), for tables
    whose unit is stated elsewhere (yuan or persons); — for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    a = abs(v)
    if a >= 1e12:
        return f"{v / 1e12:,.4g}万亿"
    if a >= 1e8:
        return f"{v / 1e8:,.6g}亿"
    if a >= 1e4:
        return f"{v / 1e4:,.6g}万"
    return f"{v:,.4g}"
