"""The 亩均 method as the pack defines it (reference/<pack>/mujun.yaml): looked up by id, checked for what the
scoring needs, and the names of its classes (the method and its formulas: analytics/mujun/__init__.py)."""

from __future__ import annotations

import re

from ...reference.models import MujunMethod
from .. import AnalyticsError

UNIT_COLUMNS = {"region": "eval_region", "industry": "division", "park": "park_id"}
NOT_RATED_DEFAULT_LABEL = "T"


def method_by_id(pack, method_id: str | None = None, cap: float | None = None) -> MujunMethod:
    """The pack's method `method_id` (default: the pack's default method), with the per-indicator cap setting
    `cap` (a multiple of each weight; None: the method's own setting); AnalyticsError if unknown."""
    want = method_id or pack.mujun.default_method
    for m in pack.mujun.methods:
        if m.id == want:
            if cap is not None:
                if not cap > 0:
                    raise AnalyticsError(
                        f"the 亩均 cap must be a positive multiple of an indicator's weight, not {cap}"
                    )
                m = m.model_copy(update={"cap": float(cap)})
            check_method(m)
            return m
    raise AnalyticsError(f"unknown 亩均 method {want!r}: the pack has " + ", ".join(m.id for m in pack.mujun.methods))


def cap_of(m: MujunMethod, i) -> float | None:
    """The cap of indicator i: its own, else the method's setting (None: uncapped)."""
    return i.cap if i.cap is not None else m.cap


def method_for(ctx, method_id: str | None = None) -> MujunMethod:
    """The method a Context asks for: `method_id` or option mujun_method, with option mujun_cap."""
    cap = ctx.options.get("mujun_cap")
    return method_by_id(ctx.pack, method_id or ctx.options.get("mujun_method"), float(cap) if cap else None)


def check_method(m: MujunMethod) -> None:
    """Shapes the model cannot check but the scoring needs."""
    for i in m.indicators:
        if i.benchmark is not None and i.benchmark <= 0:
            raise AnalyticsError(f"method {m.id}: indicator {i.key} has a benchmark <= 0")
    if m.class_rule == "threshold":
        if any(c.min_score is None for c in m.classes[:-1]):
            raise AnalyticsError(f"method {m.id}: threshold classes need min_score (all but the last)")
    for u in m.rank_within:
        if u not in UNIT_COLUMNS:
            raise AnalyticsError(f"method {m.id}: rank_within {u!r} is not one of {sorted(UNIT_COLUMNS)}")


def not_rated_label(m: MujunMethod) -> str:
    return str(m.not_rated.get("label", NOT_RATED_DEFAULT_LABEL))


def class_keys(m: MujunMethod) -> list[str]:
    """Every class a firm can get: the method's classes, then the not-rated class."""
    return [c.key for c in m.classes] + [not_rated_label(m)]


def class_column(key: str) -> str:
    return "class_" + re.sub(r"\W", "_", key)
