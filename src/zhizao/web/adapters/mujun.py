"""亩均论英雄 instrument (analytics/mujun.py): mujun_score (per firm), mujun_region, mujun_park, mujun_policy,
mujun_benchmark."""

from __future__ import annotations

from .. import shapes
from ..results import View

VIEWS = [
    View(
        "mujun/scores",
        "mujun_score",
        "mujun",
        "firm",
        "企业亩均评价得分与分类",
        "Per-firm per-mu scores and classes",
        filters=(
            "region_code",
            "eval_region",
            "class",
            "industry_code",
            "division",
            "park_id",
            "rated",
            "not_rated_reason",
            "uscc",
        ),
        sort="total_score",
        desc=True,
    ),
    View(
        "mujun/regions",
        "mujun_region",
        "mujun",
        "aggregate",
        "区县亩均效益",
        "Per-mu figures of regions",
        filters=("region_code", "level", "region_map"),
        sort="mean_score",
        desc=True,
        cells=shapes.mujun_region,
    ),
    View(
        "mujun/parks",
        "mujun_park",
        "mujun",
        "aggregate",
        "园区亩均效益",
        "Per-mu figures of parks",
        filters=("region_code", "park_id"),
        sort="mean_score",
        desc=True,
        cells=shapes.mujun_park,
    ),
    View(
        "mujun/policy",
        "mujun_policy",
        "mujun",
        "aggregate",
        "分类与差别化政策",
        "Classes and differentiated policies",
        region_col=None,
        filters=("class",),
        sort="class_order",
        cells=shapes.mujun_policy,
    ),
    View(
        "mujun/benchmarks",
        "mujun_benchmark",
        "mujun",
        "aggregate",
        "评价基准",
        "Benchmarks used",
        region_col=None,
        count_col="with_figure",
        filters=("unit", "indicator"),
        sort="indicator",
        cells=shapes.mujun_benchmark,
    ),
]
SCORES, REGIONS = VIEWS[0], VIEWS[1]


def indicators(wh) -> list[str]:
    """The keys of the indicators of the pack's default 亩均 method (every method's, default first), in the
    method's order: the columns of mujun_score a firm's page shows, named by the pack (web/labels.Names)."""
    from ..labels import names

    n = names(wh)
    return n.indicator_order + [k for k in n.indicators if k not in n.indicator_order]
