"""Specialisation instrument (analytics/specialisation.py): location quotients, cluster strength, portfolios,
shift-share."""

from __future__ import annotations

from .. import shapes
from ..results import View
from ._counts import by_key

VIEWS = [
    View(
        "specialisation/lq",
        "specialisation",
        "specialisation",
        "aggregate",
        "区位熵（区域×行业）",
        "Location quotients (region x industry)",
        filters=("level", "region_code", "kind", "code", "strength"),
        sort="lq",
        desc=True,
        cells=shapes.specialisation,
    ),
    View(
        "specialisation/strength",
        "cluster_strength",
        "specialisation",
        "aggregate",
        "集群强度（区域×集群）",
        "Cluster strength (region x cluster)",
        filters=("level", "region_code", "code", "strength"),
        sort="lq",
        desc=True,
        cells=shapes.specialisation,
    ),
    View(
        "specialisation/portfolio",
        "cluster_portfolio",
        "specialisation",
        "aggregate",
        "区域集群组合",
        "Regions' cluster portfolios",
        count_col=None,
        filters=("level", "region_code"),
        sort="strong_share",
        desc=True,
        cells=shapes.portfolio,
    ),
    View(
        "specialisation/shift-share",
        "shift_share",
        "specialisation",
        "aggregate",
        "偏离-份额分析",
        "Shift-share decomposition",
        count_col=None,
        counts=by_key("level", None, "code", "value"),
        filters=("level", "region_code", "kind", "code", "method"),
        sort="change",
        desc=True,
        cells=shapes.shift_share,
    ),
]
LQ, STRENGTH, PORTFOLIO, SHIFT = VIEWS
