"""Cell checks of an import (a part of validate.Checker): a sheet's columns taken into the staged rows, every
cell parsed into its type and base unit, coded values read through their written forms (codes.py, units.py).
"""

from __future__ import annotations

import datetime as dt

from ...vocab import is_metric
from . import codes, parse, spec, units
from .header import Layout
from .read import RawSheet
from .staged import Staged


class CellChecks:
    """Methods of validate.Checker: they record problems with `self.add(staged, i, field, value, reason)`."""

    # ------------------------------------------------------------ sheet -> staged columns
    def take(self, st: Staged, raw: RawSheet, layout: Layout) -> None:
        data_rows = []
        row_numbers = []
        for k in range(layout.first_data, len(raw.rows)):
            r = raw.rows[k]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in r):
                continue
            data_rows.append(r)
            row_numbers.append(k + 1)
        n0 = len(st.rows)
        n = len(data_rows)
        st.rows.extend(row_numbers)
        st.sheets.extend([raw.name] * n)
        st.ok.extend([True] * n)
        for fld in st.table.fields:
            st.data.setdefault(fld, [None] * n0)
            st.raw.setdefault(fld, [None] * n0)
        bound = {b.column.field: b for b in layout.columns}
        for fld in st.table.fields:
            b = bound.get(fld)
            if b is None:
                st.data[fld].extend([None] * n)
                st.raw[fld].extend([None] * n)
                continue
            st.present.add(fld)
            st.cols[(raw.name, fld)] = (b.index + 1, b.header)
            j = b.index
            vals = [r[j] if j < len(r) else None for r in data_rows]
            st.raw[fld].extend(vals)
            st.data[fld].extend(self.parse_column(st, n0, b, vals))
            if b.column.unit_kind:
                st.units.append(
                    dict(
                        sheet=raw.name,
                        field=fld,
                        header=b.header,
                        unit=b.unit,
                        factor=b.factor,
                        source=b.unit_source,
                        base=units.BASE_UNIT[b.column.unit_kind],
                    )
                )

    def parse_column(self, st: Staged, n0: int, b, vals: list) -> list:
        c = b.column
        t = c.type
        out: list = [None] * len(vals)
        cache: dict = {}
        if t == "number" or t == "int":
            f = b.factor
            lo, hi = c.min, c.max
            pct = c.unit_kind == "ratio"
            for k, v in enumerate(vals):
                if v is None:
                    continue
                x, why = parse.number(v)
                if why and pct and isinstance(v, str) and v.strip().endswith(("%", "％")):
                    y, why2 = parse.number(v.strip()[:-1])
                    if why2 is None and y is not None:
                        x, why = y / 100 / f, None  # an explicit percent sign wins over the units row
                if why:
                    self.add(st, n0 + k, c.field, v, why)
                    continue
                if x is None:
                    continue
                x *= f
                if t == "int":
                    if abs(x - round(x)) > 1e-6:
                        self.add(
                            st,
                            n0 + k,
                            c.field,
                            v,
                            (f"{v} 不是整数（{c.zh}应为整数）", f"{v} is not a whole number ({c.field} must be one)"),
                        )
                        continue
                    x = int(round(x))
                if lo is not None and x < lo:
                    self.add(
                        st,
                        n0 + k,
                        c.field,
                        v,
                        (f"{c.zh}不能为负数", f"{c.field} cannot be negative")
                        if lo == 0
                        else (f"{c.zh}不能小于{lo}", f"{c.field} cannot be below {lo}"),
                    )
                    continue
                if hi is not None and x > hi:
                    if c.unit_kind == "ratio":
                        why = (
                            f"{c.zh}为{v}，大于1：占比应为0到1之间的小数（若填的是百分数，请在单位行选“%”）",
                            f"{c.field} is {v}, above 1: a share is a fraction 0..1 (for percentages choose "
                            f"'%' in the units row)",
                        )
                    else:
                        why = (f"{c.zh}不能大于{hi}", f"{c.field} cannot exceed {hi}")
                    self.add(st, n0 + k, c.field, v, why)
                    continue
                out[k] = x
            return out
        if t == "year":
            lo, hi = spec.FIRST_YEAR, spec.current_year()
            if st.table.key == "targets" and c.field == "year":
                hi = spec.current_year() + spec.TARGET_LAST_YEAR_AHEAD
            fn = lambda v: parse.year(v, lo, hi)
        elif t == "date":
            fn = lambda v: parse.date(v, spec.FIRST_FOUNDED, dt.date.today())
        elif t == "uscc":
            fn = parse.uscc
        elif t in ("honour_level", "scope", "qualifier", "status", "metric", "target_unit"):
            fn = getattr(self, "p_" + t)
        else:  # text and codes resolved later (region, industry, park, ...)
            fn = parse.text
        for k, v in enumerate(vals):
            if v is None:
                continue
            try:
                x, why = cache[v]
            except (KeyError, TypeError):
                x, why = fn(v)
                try:
                    cache[v] = (x, why)
                except TypeError:
                    pass
            if why:
                self.add(st, n0 + k, c.field, v, why)
            else:
                out[k] = x
        return out

    @staticmethod
    def _coded(v: object, table: dict, zh: str, en: str, choices: list[str]):
        if parse.is_empty(v):
            return None, None
        t = parse.norm_text(v)
        hit = table.get(t) or table.get(t.lower())
        if hit:
            return hit, None
        return None, (
            f"{zh}“{t}”无效（可用：{'、'.join(choices)}）",
            f"invalid {en} {t!r} (use one of {', '.join(choices)})",
        )

    def p_honour_level(self, v):
        return self._coded(
            v, codes.HONOUR_LEVELS, "级别", "level", codes.HONOUR_LEVEL_CHOICES + ["national", "municipal", "district"]
        )

    def p_scope(self, v):
        return self._coded(
            v, codes.SCOPES, "对象类型", "scope", codes.SCOPE_CHOICES + ["region", "cluster", "park", "enterprise"]
        )

    def p_qualifier(self, v):
        return self._coded(v, codes.QUALIFIER_SPELLINGS, "限定", "qualifier", codes.QUALIFIER_CHOICES)

    def p_status(self, v):
        return self._coded(v, codes.STATUSES, "核实状态", "status", ["verified", "reported", "unverified"])

    def p_metric(self, v):
        if parse.is_empty(v):
            return None, None
        t = parse.norm_text(v)
        if t in codes.METRIC_ALIASES:
            return codes.METRIC_ALIASES[t], None
        if is_metric(t):
            return t, None
        return None, (
            f"指标“{t}”无效：请填写指标英文键（如 industrial_output）或模板下拉表中的中文名",
            f"unknown metric {t!r}: give a metric key such as industrial_output or a Chinese name from the "
            f"template's list",
        )

    def p_target_unit(self, v):
        if parse.is_empty(v):
            return None, None
        t = units.norm_unit(parse.norm_text(v))
        if t in units.TARGET_UNITS:
            return units.TARGET_UNITS[t], None
        return None, (
            f"单位“{v}”无效（可用：{'、'.join(units.TARGET_UNIT_CHOICES)}…）",
            f"invalid unit {v!r} (use {', '.join(units.TARGET_UNIT_CHOICES)} ...)",
        )
