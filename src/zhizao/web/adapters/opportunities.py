"""Growth opportunities instrument (analytics/complexity/): RCA, density, ECI/PCI, COG and ranked
recommendations with quadrants."""

from __future__ import annotations

from .. import shapes
from ..results import View
from ._counts import by_key, industry_totals

VIEWS = [
    View(
        "opportunities/recommendations",
        "recommendation",
        "opportunities",
        "aggregate",
        "发展机会推荐",
        "Recommended opportunities",
        count_col=None,
        counts=by_key(None, None, "code", None),
        filters=("region_code", "kind", "code", "profile", "quadrant"),
        sort="rank",
        cells=shapes.recommendation,
    ),
    View(
        "opportunities/complexity",
        "complexity",
        "opportunities",
        "aggregate",
        "复杂度与关联度（区域×行业）",
        "Complexity and relatedness (region x industry)",
        count_col=None,
        counts=by_key(None, "industry", "industry_code", "value"),
        filters=("region_code", "industry_code", "mcp", "quadrant"),
        sort="cog",
        desc=True,
        cells=shapes.complexity,
    ),
    View(
        "opportunities/regions",
        "complexity_region",
        "opportunities",
        "aggregate",
        "区域经济复杂度",
        "Economic complexity of regions",
        count_col=None,
        filters=("region_code",),
        sort="eci",
        desc=True,
        cells=shapes.complexity_region,
    ),
    View(
        "opportunities/industries",
        "complexity_industry",
        "opportunities",
        "aggregate",
        "行业复杂度",
        "Product (industry) complexity",
        region_col=None,
        count_col=None,
        counts=industry_totals,
        filters=("industry_code",),
        sort="pci",
        desc=True,
        cells=shapes.complexity_industry,
    ),
]
RECOMMENDATIONS, COMPLEXITY = VIEWS[0], VIEWS[1]
