"""Units of the import format: every accepted spelling of a unit and its factor to the base unit.

A figure column declares its unit kind (money, area, energy, mass, headcount, ratio; spec.Column.unit_kind) and
the file its unit, in the units row or in brackets in the header (header.py); values are converted to the base
unit on import (yuan, mu, tonnes of standard coal …). A target's value carries its unit per row (`TARGET_UNITS`).
"""

from __future__ import annotations

import re

# unit kind -> base unit, and every accepted spelling -> factor to the base unit.
BASE_UNIT = {
    "money": "yuan",
    "area": "mu",
    "energy": "tce",
    "mass": "tonne",
    "headcount": "person",
    "ratio": "ratio",
}
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "money": {
        "元": 1.0,
        "千元": 1e3,
        "万元": 1e4,
        "百万元": 1e6,
        "千万元": 1e7,
        "亿元": 1e8,
        "万亿元": 1e12,
        "yuan": 1.0,
        "cny": 1.0,
        "rmb": 1.0,
        "thousand yuan": 1e3,
        "10k yuan": 1e4,
        "10,000 yuan": 1e4,
        "million yuan": 1e6,
        "100m yuan": 1e8,
        "100 million yuan": 1e8,
    },
    "area": {
        "亩": 1.0,
        "公顷": 15.0,
        "平方米": 0.0015,
        "平方公里": 1500.0,
        "万平方米": 15.0,
        "mu": 1.0,
        "ha": 15.0,
        "hectare": 15.0,
        "m2": 0.0015,
        "㎡": 0.0015,
        "km2": 1500.0,
    },
    "energy": {
        "吨标准煤": 1.0,
        "吨标煤": 1.0,
        "万吨标准煤": 1e4,
        "万吨标煤": 1e4,
        "千克标准煤": 1e-3,
        "tce": 1.0,
        "10k tce": 1e4,
        "kgce": 1e-3,
    },
    "mass": {"吨": 1.0, "千克": 1e-3, "公斤": 1e-3, "万吨": 1e4, "t": 1.0, "tonne": 1.0, "tonnes": 1.0, "kg": 1e-3},
    "headcount": {"人": 1.0, "person": 1.0, "persons": 1.0, "people": 1.0},
    "ratio": {"比例": 1.0, "小数": 1.0, "ratio": 1.0, "%": 0.01, "％": 0.01, "百分比": 0.01, "percent": 0.01},
}
# the choices the template's units row offers
UNIT_CHOICES = {
    "money": ["元", "千元", "万元", "亿元"],
    "area": ["亩", "公顷", "平方米"],
    "energy": ["吨标准煤", "万吨标准煤"],
    "mass": ["吨", "千克"],
    "headcount": ["人"],
    "ratio": ["比例", "%"],
}
# units a column may leave undeclared: the base is assumed (money is never assumed)
ASSUMABLE = {"area", "energy", "mass", "headcount", "ratio"}
NO_UNIT = {"", "-", "—", "–", "/", "无", "none", "n/a"}

# The units of a target's value (the `unit` column of the targets sheet): spelling -> (unit, factor).
# Units follow the fact vocabulary: yuan, usd, percent (a plain number: 15 means 15 %), count, vehicle ...
TARGET_UNITS: dict[str, tuple[str, float]] = {
    **{k: ("yuan", v) for k, v in UNIT_FACTORS["money"].items()},
    "美元": ("usd", 1.0),
    "万美元": ("usd", 1e4),
    "亿美元": ("usd", 1e8),
    "usd": ("usd", 1.0),
    "%": ("percent", 1.0),
    "％": ("percent", 1.0),
    "percent": ("percent", 1.0),
    "百分比": ("percent", 1.0),
    "家": ("count", 1.0),
    "个": ("count", 1.0),
    "户": ("count", 1.0),
    "项": ("count", 1.0),
    "count": ("count", 1.0),
    "辆": ("vehicle", 1.0),
    "万辆": ("vehicle", 1e4),
    "vehicle": ("vehicle", 1.0),
    "元/亩": ("yuan_per_mu", 1.0),
    "万元/亩": ("yuan_per_mu", 1e4),
    "yuan_per_mu": ("yuan_per_mu", 1.0),
    "元/人": ("yuan_per_person", 1.0),
    "万元/人": ("yuan_per_person", 1e4),
    "yuan_per_person": ("yuan_per_person", 1.0),
    "元/吨标准煤": ("yuan_per_tce", 1.0),
    "万元/吨标准煤": ("yuan_per_tce", 1e4),
    "yuan_per_tce": ("yuan_per_tce", 1.0),
    "吨标准煤": ("tce", 1.0),
    "万吨标准煤": ("tce", 1e4),
    "tce": ("tce", 1.0),
    "亩": ("mu", 1.0),
    "mu": ("mu", 1.0),
    "平方公里": ("km2", 1.0),
    "km2": ("km2", 1.0),
    "指数": ("index", 1.0),
    "index": ("index", 1.0),
    "比例": ("ratio", 1.0),
    "ratio": ("ratio", 1.0),
}
TARGET_UNIT_CHOICES = ["亿元", "万元", "元", "%", "家", "个", "万辆", "辆", "万元/亩", "亿美元"]


def norm_unit(text: object) -> str:
    """Normalise a unit spelling for lookup: trim, lower-case, unify brackets and spaces."""
    s = str(text).strip().lower()
    s = s.replace("（", "(").replace("）", ")").replace("／", "/")
    return re.sub(r"\s+", " ", s)


def unit_factor(kind: str, text: object) -> float | None:
    """The factor from a written unit to the base unit of `kind`, or None if it is not such a unit."""
    return UNIT_FACTORS[kind].get(norm_unit(text))


def any_unit(text: object) -> bool:
    """Whether a cell of a units row could be a unit (of any kind) or a 'no unit' dash."""
    u = norm_unit(text)
    return (
        u in NO_UNIT
        or any(u in t for t in UNIT_FACTORS.values())
        or u in TARGET_UNITS
        or u in ("单位", "unit", "单位 unit")
    )
