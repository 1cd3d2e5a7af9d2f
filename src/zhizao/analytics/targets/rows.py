"""Target rows: the target register read from the warehouse (target ⋈ fact ⋈ source) and target_progress
assembled from it, each target's measurement (analytics/targets/measurement.py) and its measured progress
(analytics/targets/tracking.py).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from ...vocab import label
from .measurement import Spec
from .tracking import RULE, RULE_ZH

SYNTHETIC_NOTE = "actual from SYNTHETIC demo data (invented firms): not a real figure"
SYNTHETIC_NOTE_ZH = "实际值来自合成演示数据（虚构企业），不是真实数字"


def target_rows(ctx, proposed: bool | None) -> list[dict]:
    """The target register as plain dicts (target ⋈ fact ⋈ source), by id; proposed=None: accepted and proposed."""
    t, f, s = ctx.table("target"), ctx.table("fact"), ctx.table("source")
    ff = f.select(fid=f.id, cluster_text=f.cluster, period=f.period, fact_entity=f.entity)
    ss = s.select(sid=s.id, published=s.published, source_title=s.title)
    j = t.left_join(ff, t.fact_id == ff.fid)
    j = j.select(*t.columns, "cluster_text", "period", "fact_entity").view()
    j = j.left_join(ss, j.source_id == ss.sid).select(*j.columns, "published", "source_title")
    if proposed is not None:
        j = j.filter(j.proposed == proposed)
    rows = ctx.to_arrow(j).to_pylist()
    for r in rows:
        if r.get("year") is not None:
            r["year"] = int(r["year"])
        if r.get("baseline_year") is not None:
            r["baseline_year"] = int(r["baseline_year"])
        p = r.get("published")
        if isinstance(p, str):
            r["published"] = dt.date.fromisoformat(p[:10])
        elif isinstance(p, dt.datetime):
            r["published"] = p.date()
    return sorted(rows, key=lambda r: r["id"])


OUTPUT_COLUMNS = [
    "target_id",
    "proposed",
    "scope",
    "scope_id",
    "scope_name",
    "cluster_id",
    "cluster_name",
    "metric",
    "metric_zh",
    "unit",
    "qualifier",
    "target_value",
    "target_year",
    "measurable",
    "measured_as",
    "measured_as_zh",
    "method",
    "baseline_value",
    "baseline_published",
    "baseline_year",
    "baseline_source",
    "actual_value",
    "actual_year",
    "actual_synthetic",
    "growth_so_far",
    "growth_basis",
    "growth_prices",
    "required_growth",
    "required_growth_from_baseline",
    "required_per_year",
    "projection",
    "gap",
    "progress",
    "status",
    "rule",
    "rule_zh",
    "note",
    "note_zh",
    "source",
]


def assemble(rows: list[dict], specs: list[Spec], measured: dict[str, dict], synthetic: bool, pack) -> pa.Table:
    """target_progress: a row per target (OUTPUT_COLUMNS) from its register row, its Spec and its measured progress."""
    out = []
    for r, s in zip(rows, specs):
        m = measured.get(s.target_id, {})
        rec = {
            "target_id": r["id"],
            "proposed": bool(r.get("proposed")),
            "scope": r["scope"],
            "scope_id": r["scope_id"],
            "scope_name": s.scope_name,
            "cluster_id": s.num_unit if s.num_unit in pack.clusters else r.get("cluster_id"),
            "cluster_name": s.cluster_name
            or (
                pack.clusters[r["cluster_id"]].name_zh
                if r.get("cluster_id") in pack.clusters
                else r.get("cluster_text")
            ),
            "metric": r["metric"],
            "metric_zh": r.get("metric_zh") or label(r["metric"]),
            "unit": r["unit"],
            "qualifier": r.get("qualifier"),
            "target_value": float(r["value"]),
            "target_year": m.get("target_year", r.get("year")),
            "measurable": s.measurable,
            "measured_as": s.measured_as,
            "measured_as_zh": s.measured_as_zh,
            "method": s.method if s.measurable else None,
            "baseline_value": m.get("baseline_used"),
            "baseline_published": s.baseline_published if s.method == "level" else None,
            "baseline_year": s.baseline_year if s.method == "level" else None,
            "baseline_source": (
                s.baseline_source
                if m.get("baseline_used") is not None
                else (s.baseline_source if s.baseline_source and s.baseline_source.startswith("not") else None)
            ),
            "actual_value": m.get("actual_value"),
            "actual_year": m.get("actual_year"),
            "actual_synthetic": bool(synthetic and s.measurable),
            "growth_prices": "nominal"
            if s.nominal
            and (m.get("growth_so_far") is not None or (s.method == "growth" and m.get("actual_value") is not None))
            else None,
            **{
                k: m.get(k)
                for k in (
                    "growth_so_far",
                    "growth_basis",
                    "required_growth",
                    "required_growth_from_baseline",
                    "required_per_year",
                    "projection",
                    "gap",
                    "progress",
                )
            },
            "status": m.get("status") if s.measurable else "not measurable",
            "rule": m.get("rule") if s.measurable else RULE["not_measurable"],
            "rule_zh": m.get("rule_zh") if s.measurable else RULE_ZH["not_measurable"],
            "note": None,
            "note_zh": None,
            "source": r.get("source_title") or r.get("source_id"),
        }
        if not s.measurable:
            rec["note"], rec["note_zh"] = s.reason, s.reason_zh
        elif synthetic:
            rec["note"], rec["note_zh"] = SYNTHETIC_NOTE, SYNTHETIC_NOTE_ZH
        out.append(rec)
    types = {
        "proposed": pa.bool_(),
        "measurable": pa.bool_(),
        "actual_synthetic": pa.bool_(),
        "target_year": pa.int64(),
        "baseline_year": pa.int64(),
        "actual_year": pa.int64(),
    }
    floats = {
        "target_value",
        "baseline_value",
        "baseline_published",
        "actual_value",
        "growth_so_far",
        "required_growth",
        "required_growth_from_baseline",
        "required_per_year",
        "projection",
        "gap",
        "progress",
    }
    return pa.table(
        {
            c: pa.array([o[c] for o in out], types.get(c, pa.float64() if c in floats else pa.string()))
            for c in OUTPUT_COLUMNS
        }
    )
