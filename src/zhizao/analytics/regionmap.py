"""One region-map rule for every instrument: where a firm's figures count when districts have merged.

A firm is recorded in the county of its region_code (江北区 500105 for a 2023 figure). Since 2025-11-06 江北区 is part
of the 两江新区 district (CQ-LJXQ): the pack's successions say so. Every instrument reads the map the same way:

    current   (the default) today's map: a county counts in the county that succeeds it today (primary successions
              in force today, pack.successor_of): 江北区's firms count in 两江新区, whatever the year of the figures
    recorded  (asked with --map recorded / option region_map='recorded'): every firm where it was recorded

    successor(c, current)  = pack.successor_of(c, today)      successor(c, recorded) = c

Worked example (Chongqing pack, today 2026): a firm recorded in 500105 with 2023 figures counts in CQ-LJXQ on the
current map and in 500105 on the recorded map; a firm of 500102 (涪陵区, no succession) counts in 500102 on both.
Instruments that store both maps (clusters) say which in their region_map column; the others store the map asked
for and say which. A target set for a region that no longer exists today (a 2023 江北区 target) is measured on its
recorded firms — it has no firms on today's map (analytics/targets/).
"""

from __future__ import annotations

import datetime as dt

from . import AnalyticsError

CURRENT, RECORDED = "current", "recorded"
MAPS = (CURRENT, RECORDED)
DEFAULT = CURRENT
# The map before any succession: pack.successor_of(code, RECORDED_DAY) == code for every code.
RECORDED_DAY = dt.date(1, 1, 1)


def check(mode: str | None) -> str:
    """The map asked for (None: the default), or AnalyticsError naming the choices."""
    mode = mode or DEFAULT
    if mode not in MAPS:
        raise AnalyticsError(f"unknown region map {mode!r} (choose {' or '.join(MAPS)})")
    return mode


def mode_of(ctx) -> str:
    """The map a Context asks for (option region_map; default today's map)."""
    return check(ctx.options.get("region_map"))


def map_date(mode: str) -> dt.date:
    """The day whose map `mode` is: today for the current map, before every succession for the recorded map."""
    return dt.date.today() if check(mode) == CURRENT else RECORDED_DAY


def successor(pack, code: str, mode: str) -> str:
    """Where a region's firms count on the map `mode`."""
    return pack.successor_of(code, map_date(mode)) if check(mode) == CURRENT else code


def mapping(pack, mode: str) -> dict[str, str]:
    """Every region code of the pack → where its firms count on the map `mode`."""
    return {c: successor(pack, c, mode) for c in pack.regions}
