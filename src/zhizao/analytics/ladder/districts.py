"""The ladder by district and against the targets: ladder_district (per county and the whole pack region × tier)
and ladder_pipeline (per tier target of the pack's figures), from ladder_firm (analytics/ladder/tables.py).

    pipeline     per tier target of the pack's figures (tier.targets → figures.yaml metric, kind target):
                 stock: achieved = holders at the end of t; new over a..b: achieved = firms first recognised
                 (at the counted levels) in a … min(t, b); annual: recognised in t;
                 gap = max(target - achieved, 0); years_left = end - t; needed_per_year = gap / max(years_left, 1);
                 candidates = the tier's candidates in the target's region (T not false: every requirement the
                 warehouse can check is met or unknown); confirmed = those of them whose every requirement is checked
                 and met (T true: screen 'met'); the gap is compared with the confirmed firms —
                 covered = confirmed >= gap (covered_basis 'confirmed'); covered_by_candidates = candidates >= gap
                 says what the count would be if every unchecked route passed. Worked: gap 81, 494 candidates of which
                 0 confirmed (小巨人's 专/精/特/新 conditions the warehouse cannot check) → covered false,
                 covered_by_candidates true
"""

from __future__ import annotations

import re

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ...reference.models import LadderTier
from .. import honours as hn
from .screening import MET


def on_map(t: ir.Table, region_map: ir.Table | None) -> ir.Table:
    """`t` with region_code moved onto a region map (a table code → current_code; None: as recorded): a merged
    district's firms count in its successor (analytics/regionmap.py)."""
    if region_map is None:
        return t
    m = region_map.select(m_code=region_map.code, m_cur=region_map.current_code)
    j = t.left_join(m, t.region_code == m.m_code)
    return j.select(*[ibis.coalesce(j.m_cur, j.region_code).name(c) if c == "region_code" else j[c] for c in t.columns])


def district_table(firms: ir.Table, region: ir.Table, root_code: str, region_map: ir.Table | None = None) -> ir.Table:
    """ladder_district: per county (and the whole pack region) × tier: screened, holders, above, candidates
    (of which all computable criteria met and nothing unknown: confirmed), not met. Counties on `region_map`
    (on_map; None: as recorded)."""
    firms = on_map(firms, region_map)

    def metrics(t):
        return {
            "screened": t.count(),
            "holders": ibis.cases((t.status == "holder", 1), else_=0).sum().cast("int64"),
            "above": ibis.cases((t.status == "above", 1), else_=0).sum().cast("int64"),
            "candidates": ibis.cases((t.status == "candidate", 1), else_=0).sum().cast("int64"),
            "confirmed": ibis.cases(((t.status == "candidate") & (t.screen == MET), 1), else_=0).sum().cast("int64"),
            "not_met": ibis.cases((t.status == "not_met", 1), else_=0).sum().cast("int64"),
        }

    keys = ["year", "tier", "tier_rank"]
    per = firms.group_by(keys + ["region_code"]).aggregate(**metrics(firms))
    whole = firms.group_by(keys).aggregate(**metrics(firms)).mutate(region_code=ibis.literal(root_code))
    both = per.union(whole.select(*per.columns))
    names = region.select(r_code=region.code, region_name=region.name_zh)
    j = both.left_join(names, both.region_code == names.r_code)
    return j.select(
        "year",
        "region_code",
        "region_name",
        "tier",
        "tier_rank",
        "screened",
        "holders",
        "above",
        "candidates",
        "confirmed",
        "not_met",
    )


# ---------------------------------------------------------------------------------------------- pipeline
_PERIOD_YEAR = re.compile(r"^(\d{4})$")
_PERIOD_RANGE = re.compile(r"^(\d{4})\.\.(\d{4})$")


def target_figures(pack, tier: LadderTier) -> list[tuple]:
    """(target spec, figure, scope region code, start, end) for every target figure that counts the tier."""
    out = []
    for spec in tier.targets:
        for f in pack.figures.values():
            if f.metric != spec.metric or f.kind != "target" or f.cluster or f.cluster_text:
                continue
            reg = pack.resolve_region(f.entity)
            if reg is None or (f.period or "") == "":
                continue
            if f.period == "annual":
                start = end = None
            elif m := _PERIOD_YEAR.match(f.period):
                end = int(m.group(1))
                start = end if spec.kind == "new" else None
            elif m := _PERIOD_RANGE.match(f.period):
                start, end = int(m.group(1)), int(m.group(2))
            else:
                continue
            out.append((spec, f, reg.code, start, end))
    return out


def honour_counts(
    honour: ir.Table,
    enterprise: ir.Table,
    kind: str,
    levels: list[str],
    year: int,
    validity: int | None,
    region_map: ir.Table | None = None,
) -> ir.Table:
    """Per county and first-recognition year: firms, and holders at `year` (a valid recognition), for the honour
    `kind` at `levels` (all when empty) — analytics/honours.py's count, the one the targets use too.
    Columns region_code, first_year, firms, holders."""
    st = hn.firm_status(honour, [hn.HonourCount(kind, tuple(levels), validity)], [year])
    e = on_map(enterprise.select("uscc", "region_code"), region_map)
    j = st.join(e, "uscc")
    return j.group_by(["region_code", "first_year"]).aggregate(
        firms=j.count(), holders=ibis.cases((j.held, 1), else_=0).sum().cast("int64")
    )


def _in_scope(pack, county: str, scope: str) -> bool:
    return county == scope or scope == pack.info.root_region or scope in pack.ancestors(county)


COVERED_BASIS = "confirmed"  # what the pipeline compares a gap with (see the module text)


def pipeline(ctx_pack, tiers: list[LadderTier], year: int, counts_by_spec: dict, candidates: list[dict]) -> pa.Table:
    """ladder_pipeline from small per-county counts (computed on the engine) and the pack's target figures.
    `candidates`: rows (tier, region_code, candidates, confirmed)."""
    cand, conf = {}, {}
    for r in candidates:
        cand.setdefault(r["tier"], {})[r["region_code"]] = r["candidates"]
        conf.setdefault(r["tier"], {})[r["region_code"]] = r.get("confirmed") or 0
    out = []
    for tier in tiers:
        for spec, f, scope, start, end in target_figures(ctx_pack, tier):
            rows = counts_by_spec[(tier.key, spec.metric)]
            inside = (
                [
                    r
                    for r in rows
                    if r["region_code"] in ctx_pack.regions and _in_scope(ctx_pack, r["region_code"], scope)
                ]
                if scope != ctx_pack.info.root_region
                else rows
            )

            whole = scope == ctx_pack.info.root_region
            n_cand, n_conf = (
                sum(
                    v
                    for k, v in counts.get(tier.key, {}).items()
                    if whole or (k in ctx_pack.regions and _in_scope(ctx_pack, k, scope))
                )
                for counts in (cand, conf)
            )
            if spec.kind == "stock":
                kind, achieved = "stock", sum(r["holders"] for r in inside)
                p_start, p_end = None, end
            else:
                p_start, p_end = (year, year) if f.period == "annual" else (start, end)
                kind = "annual" if f.period == "annual" else "new"
                achieved = sum(r["firms"] for r in inside if p_start <= r["first_year"] <= min(year, p_end))
            gap = max(f.value - achieved, 0.0)
            years_left = (p_end - year) if p_end is not None else None
            out.append(
                {
                    "year": year,
                    "tier": tier.key,
                    "tier_name": tier.name_zh,
                    "target_id": f.id,
                    "metric": f.metric,
                    "metric_zh": f.metric_zh,
                    "kind": kind,
                    "levels": ",".join(spec.levels) or None,
                    "scope_code": scope,
                    "scope_name": ctx_pack.regions[scope].name_zh,
                    "period": f.period,
                    "period_start": p_start,
                    "period_end": p_end,
                    "target": float(f.value),
                    "achieved": int(achieved),
                    "gap": float(gap),
                    "candidates": int(n_cand),
                    "confirmed": int(n_conf),
                    "covered": bool(n_conf >= gap),
                    "covered_basis": COVERED_BASIS,
                    "covered_by_candidates": bool(n_cand >= gap),
                    "years_left": years_left,
                    "needed_per_year": (gap / max(years_left, 1))
                    if years_left is not None and years_left >= 0
                    else None,
                    "target_status": f.status,
                    "sources": ",".join(f.sources),
                }
            )
    schema = pa.schema(
        [
            ("year", pa.int64()),
            ("tier", pa.string()),
            ("tier_name", pa.string()),
            ("target_id", pa.string()),
            ("metric", pa.string()),
            ("metric_zh", pa.string()),
            ("kind", pa.string()),
            ("levels", pa.string()),
            ("scope_code", pa.string()),
            ("scope_name", pa.string()),
            ("period", pa.string()),
            ("period_start", pa.int64()),
            ("period_end", pa.int64()),
            ("target", pa.float64()),
            ("achieved", pa.int64()),
            ("gap", pa.float64()),
            ("candidates", pa.int64()),
            ("confirmed", pa.int64()),
            ("covered", pa.bool_()),
            ("covered_basis", pa.string()),
            ("covered_by_candidates", pa.bool_()),
            ("years_left", pa.int64()),
            ("needed_per_year", pa.float64()),
            ("target_status", pa.string()),
            ("sources", pa.string()),
        ]
    )
    return pa.Table.from_pylist(out, schema=schema)
