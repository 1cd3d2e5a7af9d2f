"""Targets instrument (analytics/targets/): progress of every registered target (target_progress)."""

from __future__ import annotations

from .. import shapes
from ..access import Policy, Principal
from ..results import View, clean, read

VIEWS = [
    View(
        "targets/progress",
        "target_progress",
        "targets",
        "aggregate",
        "目标进展",
        "Target progress",
        region_col="scope_id",
        count_col=None,
        filters=("scope", "scope_id", "status", "metric", "cluster_id"),
        sort="target_id",
        cells=shapes.target_progress,
    ),
]
PROGRESS = VIEWS[0]
STATUS_KEYS = ("on_track", "at_risk", "off_track", "achieved")
ALIASES = {"missed": "off_track"}


def _status(v) -> str:
    s = str(v or "").lower().replace(" ", "_").replace("-", "_")
    s = ALIASES.get(s, s)
    return s if s in STATUS_KEYS else "unknown"


def register(
    wh, policy: Policy, p: Principal, year: int | None = None, scope_id: str | None = None, proposed: bool = False
) -> dict:
    """The target register, with each target's progress when the targets instrument has run."""
    where, params = ["proposed = ?"], [proposed]
    if scope_id:
        members = sorted({scope_id} | {c for c, r in wh.regions().items() if r.current == scope_id})
        where.append(f"scope_id IN ({', '.join('?' for _ in members)})")
        params += members
    rows = [
        {k: clean(v) for k, v in r.items()}
        for r in wh.rows(
            f"SELECT t.*, s.title AS source_title FROM target t LEFT JOIN source s ON s.id = t.source_id "
            f"WHERE {' AND '.join(where)} ORDER BY t.scope_id, t.year NULLS LAST, t.id",
            params,
        )
    ]
    if any(r["scope"] == "enterprise" for r in rows):
        rows = [r for r in rows if r["scope"] != "enterprise" or policy.may_see_firm(p, None)]
    prog = read(wh, policy, p, PROGRESS, year=year, limit=1000)
    by_id = {}
    for r in prog.rows:
        key = r.get("target_id") or r.get("id")
        if key:
            by_id[key] = r
    for r in rows:
        r["scope_name"] = wh.region_name(r["scope_id"]) if r["scope"] == "region" else r["scope_id"]
        pr = by_id.get(r["id"])
        r["progress"] = pr
        r["light"] = _status(pr.get("status")) if pr else "unknown"
    return {"evaluated": prog.evaluated, "year": prog.year, "rows": rows}
