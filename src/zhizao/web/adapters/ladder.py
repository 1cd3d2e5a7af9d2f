"""Enterprise ladder instrument (analytics/ladder/): tier_screening (firm x tier x criterion), ladder_firm
(firm x tier: holder / candidate / not met), ladder_district (counts per region and tier), ladder_pipeline
(against the pack's tier targets), ladder_criteria (counts per criterion)."""

from __future__ import annotations

from ..results import View

VIEWS = [
    View(
        "ladder/firms",
        "ladder_firm",
        "ladder",
        "firm",
        "企业梯度培育状态",
        "Firms on the ladder (holder / candidate)",
        filters=("region_code", "tier", "status", "screen", "uscc"),
        sort="score_high",
        desc=True,
    ),
    View(
        "ladder/screening",
        "tier_screening",
        "ladder",
        "firm",
        "逐条标准筛查",
        "Screening, criterion by criterion",
        region_col=None,
        region_expr="(SELECT e.region_code FROM enterprise e WHERE e.uscc = tier_screening.uscc)",
        filters=("uscc", "tier", "criterion", "status"),
        sort="uscc",
    ),
    View(
        "ladder/districts",
        "ladder_district",
        "ladder",
        "aggregate",
        "各区县梯度培育储备",
        "Ladder counts by district",
        count_col=None,
        filters=("region_code", "tier"),
        sort="region_code",
    ),
    View(
        "ladder/pipeline",
        "ladder_pipeline",
        "ladder",
        "aggregate",
        "梯度培育储备与目标",
        "Ladder pipeline against targets",
        region_col=None,
        count_col=None,
        filters=("tier",),
        sort="tier",
    ),
    View(
        "ladder/criteria",
        "ladder_criteria",
        "ladder",
        "aggregate",
        "各项标准满足情况",
        "Criteria met, not met, unknown",
        region_col=None,
        count_col=None,
        filters=("tier",),
        sort="seq",
    ),
]
FIRMS, SCREENING, DISTRICTS = VIEWS[0], VIEWS[1], VIEWS[2]
