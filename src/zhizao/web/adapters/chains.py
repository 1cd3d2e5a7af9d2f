"""Chains instrument (analytics/chains/): chain_coverage, chain_recruitment, chain_leaders, chain_suppliers."""

from __future__ import annotations

from .. import shapes
from ..results import View

VIEWS = [
    View(
        "chains/coverage",
        "chain_coverage",
        "chains",
        "aggregate",
        "产业链节点覆盖",
        "Chain coverage by node and region",
        filters=("region_map", "chain_id", "region_code", "region_level", "node_id", "status", "stage"),
        sort="node_id",
        cells=shapes.chain_coverage,
    ),
    View(
        "chains/recruitment",
        "chain_recruitment",
        "chains",
        "aggregate",
        "招商建议（补链·强链·延链）",
        "Recruitment list (gaps, thin and next nodes)",
        filters=("region_map", "region_code", "chain_id", "action", "status"),
        sort="rank",
        cells=shapes.chain_coverage,
    ),
    View(
        "chains/leaders",
        "chain_leaders",
        "chains",
        "firm",
        "链主企业配套网络",
        "Chain leaders' supplier networks",
        filters=("region_map", "chain_id", "leader", "region_code"),
        sort="purchases",
        desc=True,
        cells=shapes.chain_leaders,
    ),
    View(
        "chains/suppliers",
        "chain_suppliers",
        "chains",
        "firm",
        "链主供应商（按节点与地区）",
        "Leaders' suppliers by node and region",
        region_col=None,
        region_expr="(SELECT e.region_code FROM enterprise e WHERE e.uscc = chain_suppliers.leader)",
        filters=("region_map", "chain_id", "leader", "node_id"),
        sort="amount",
        desc=True,
        cells=shapes.chain_suppliers,
        protects=True,
    ),
]
COVERAGE, RECRUITMENT, LEADERS, SUPPLIERS = VIEWS
