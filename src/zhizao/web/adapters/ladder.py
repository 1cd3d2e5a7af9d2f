"""Enterprise ladder instrument (analytics/ladder.py): tier_screening (per firm x tier x criterion)."""
from __future__ import annotations

from ..results import View

VIEWS = [
    View("ladder/screening", "tier_screening", "ladder", "firm", "企业梯度培育筛查", "Ladder screening of firms",
         filters=("region_code", "tier", "uscc", "candidate", "passed", "status"), sort="uscc"),
    View("ladder/pipeline", "tier_pipeline", "ladder", "aggregate", "梯度培育储备与目标", "Ladder pipeline against targets",
         filters=("region_code", "tier"), sort="tier"),
]
SCREENING = VIEWS[0]
