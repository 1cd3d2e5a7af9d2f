"""Clusters instrument (analytics/clusters.py): cluster_figures, cluster_honours."""

from __future__ import annotations

from .. import shapes
from ..access import Policy, Principal
from ..results import View, read

VIEWS = [
    View(
        "clusters/figures",
        "cluster_figures",
        "clusters",
        "aggregate",
        "集群、区域与年份的产值等指标",
        "Cluster figures by region and year",
        filters=("region_map", "region_code", "region_level", "unit_id", "scope", "system_id", "tier", "cluster_id"),
        sort="output_value",
        desc=True,
        fixed=(("region_map", "current"),),
        cells=shapes.cluster_figures,
    ),
    View(
        "clusters/honours",
        "cluster_honours",
        "clusters",
        "aggregate",
        "各集群与区域的荣誉企业数",
        "Honour counts by cluster and region",
        count_col=None,
        filters=("region_map", "region_code", "region_level", "unit_id", "kind", "cluster_id"),
        sort="held",
        desc=True,
        fixed=(("region_map", "current"),),
    ),
]
FIG = VIEWS[0]


def units(wh, policy: Policy, p: Principal, year: int | None, region: str, **filters):
    """Figure rows of one region (every unit), current map."""
    return read(wh, policy, p, FIG, year=year, filters={"region_code": region, **filters}, limit=1000)


def tree(wh, policy: Policy, p: Principal, year: int | None, lang: str = "zh") -> dict:
    """The city system's tiers and clusters with size and growth at the pack's root region."""
    root = wh.root()
    system = wh.scalar("SELECT id FROM cluster_system WHERE region_code = ? ORDER BY id LIMIT 1", [root])
    tiers = wh.rows(
        "SELECT key, rank, name_zh, name_en, planned_count, scale_yuan FROM cluster_tier "
        "WHERE system_id = ? ORDER BY rank",
        [system],
    )
    clusters = wh.rows(
        "SELECT id, name_zh, name_en, tier, parent_cluster_id, status FROM cluster "
        "WHERE system_id = ? ORDER BY tier_rank, id",
        [system],
    )
    res = units(wh, policy, p, year, root, system_id=system) if system else None
    figs = {r["unit_id"]: r for r in (res.rows if res else [])}
    out = []
    for t in tiers:
        f = figs.get(f"{system}/{t['key']}", {})
        out.append(
            {
                **t,
                "unit_id": f"{system}/{t['key']}",
                "output_value": f.get("output_value"),
                "output_value_growth": f.get("output_value_growth"),
                "firms": f.get("firms"),
                "output_value_share_of_region": f.get("output_value_share_of_region"),
                "clusters": [
                    {
                        **c,
                        **{
                            k: figs.get(c["id"], {}).get(k)
                            for k in ("output_value", "output_value_growth", "firms", "output_value_share_of_region")
                        },
                    }
                    for c in clusters
                    if c["tier"] == t["key"]
                ],
            }
        )
    return {
        "system": system,
        "year": res.year if res else None,
        "evaluated": bool(res and res.evaluated),
        "tiers": out,
        "suppressed": res.suppressed if res else 0,
    }
