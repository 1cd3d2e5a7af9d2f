"""Counting honours (高新技术企业, 专精特新, 小巨人, 智能工厂 …): the one definition the targets, the cluster rollups
and the ladder all use.

An honour row is (firm f, kind k, level l, year y recognised). A count is asked for a kind, the levels it counts
(the pack's tier targets: the 2027 小巨人 targets count the national list only; empty = every level) and the
kind's validity V in years (pack data: honour_kinds[].validity_years, else the ladder tier's validity_years;
none = the recognition holds from its year on). For a year Y:

    R(f)        = {y : (f, k, l, y) recorded, l counted, y ≤ Y}            (recognitions so far; renewals included)
    first(f)    = min R(f)                                                  (first recognition at the counted levels)
    held(f, Y)  = ∃ y ∈ R(f) with y > Y − V   (or R(f) ≠ ∅ without V)       (a valid recognition: a renewal
                                                                             within V keeps it)
    new(f, Y)   = first(f) = Y                                              (a renewal or a second level is not new)
    held(Y) = #{f : held(f, Y)};   new over a..b = #{f : a ≤ first(f) ≤ b}

Worked example (小巨人, national only, no validity): firm x national 2021; y municipal 2019 (the old municipal
scheme, not counted); z national 2024 and again 2025 (a renewal); w national 2025. In 2025: held = {x, z, w} = 3,
new in 2025 = {w} = 1 (z's 2025 row is a renewal), new over 2024..2025 = {z, w} = 2. 高新技术企业 (V = 3) recognised
2019 and not renewed: held in 2021, not in 2022.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import ibis
import ibis.expr.types as ir

from ..reference.pack import honour_validity


@dataclass(frozen=True)
class HonourCount:
    """What one count counts: a kind at some levels (empty: all) with a validity (None: no expiry)."""

    kind: str
    levels: tuple[str, ...] = ()
    validity: int | None = None

    @property
    def key(self) -> str:
        """The name of the count in result tables: the kind, or kind@level+level when levels are limited."""
        return self.kind + ("@" + "+".join(self.levels) if self.levels else "")


def validity_years(pack, kind: str) -> int | None:
    """The validity of an honour kind (`pack` may be the pack or its ladder file): reference.pack.honour_validity."""
    return honour_validity(getattr(pack, "ladder", pack), kind)


def levels_for(pack, metric: str) -> tuple[str, ...]:
    """The levels a published count counts (the ladder tiers' targets: new_little_giant_count → national)."""
    for t in pack.ladder.tiers:
        for spec in t.targets:
            if spec.metric == metric:
                return tuple(spec.levels)
    return ()


def count_for(pack, kind: str, metric: str | None = None) -> HonourCount:
    """The count a metric (or, without one, the plain kind) asks for, with the pack's levels and validity."""
    return HonourCount(kind, levels_for(pack, metric) if metric else (), validity_years(pack, kind))


def firm_status(honour: ir.Table, counts: Sequence[HonourCount], years: Sequence[int]) -> ir.Table:
    """Per count key, firm and year Y (as_of) in `years` where the firm has a recognition by Y: first_year,
    held (bool) and new (bool), as defined at the top of this module."""
    ys = ibis.memtable({"as_of": sorted({int(y) for y in years})})
    parts = []
    for c in dict.fromkeys(counts):
        h = honour.filter(honour.kind == c.kind)
        if c.levels:
            h = h.filter(h.level.isin(list(c.levels)))
        h = h.select("uscc", year=h.year.cast("int64"))
        j = h.join(ys, h.year <= ys.as_of)
        valid = (j.year > j.as_of - int(c.validity)) if c.validity else (j.year <= j.as_of)
        g = j.group_by(["uscc", "as_of"]).aggregate(first_year=j.year.min(), held=valid.max())
        parts.append(
            g.select(key=ibis.literal(c.key), uscc=g.uscc, as_of=g.as_of, first_year=g.first_year, held=g.held)
        )
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p)
    return out.mutate(new=out.first_year == out.as_of)
