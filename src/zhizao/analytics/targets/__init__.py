"""Targets: progress of every registered target (江北区 2300亿 by 2027, a district's cluster 千亿 by 2027 …)
against the warehouse's actual figures — baseline, latest actual, growth so far, the compound annual growth
still required, a projection to the target year, the gap, and a status with its rule.

Where each part lives:

    measurement.py   target → measurement: what a metric measures, over which scope, industry and years (Spec)
    tracking.py      the arithmetic (growth so far, required growth, projection, gap, progress) and the status rules
    rows.py          the target register's rows in, target_progress's rows out

Region map (analytics/regionmap.py): today's map by default — a target of the 两江新区 district counts the firms
recorded in 江北区 and 渝北区; a target set for a region that no longer exists (a 2023 江北区 target) counts the firms
recorded there, the only firms it can have — or the recorded map when asked (--map recorded).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .. import measures as ms
from .measurement import MANUFACTURING_UNIT, SECTIONS_UNIT, Spec, resolve, specs_table
from .rows import assemble, target_rows
from .tracking import LOWER_IS_BETTER, observations, progress


# ------------------------------------------------------------------------------------------- run on a Context
def compute(ctx, proposed: bool | None = False) -> pa.Table:
    """target_progress for ctx.year: every target (proposed=False: the register; True: the proposed ones;
    None: both)."""
    rows = target_rows(ctx, proposed)
    tb = ctx.table
    parks_a = ctx.to_arrow(tb("park").select("id", "name_zh")).to_pylist()
    parks = {p["id"]: p["name_zh"] for p in parks_a}
    years = [y for y in ctx.years if y <= ctx.year]
    specs = resolve(rows, ctx.pack, ctx.year, years, parks)
    synthetic = ms.warehouse_is_synthetic(ctx)
    measured = _measure(ctx, specs, rows, years) if any(s.measurable for s in specs) else {}
    return assemble(rows, specs, measured, synthetic, ctx.pack)


def _measure(ctx, specs: list[Spec], rows: list[dict], years: list[int]) -> dict[str, dict]:
    tb = ctx.table
    held = list(years)
    root = ctx.pack.info.root_region
    thresholds = sorted({t for s in specs for t in s.thresholds})
    ratios = sorted({s.ratio for s in specs if s.measurable and s.ratio})
    cols = ms.FIGURES
    asked = set()
    for s in specs:
        if not s.measurable:
            continue
        asked |= {s.actual_year, s.actual_year - 1, s.baseline_year}
        start = s.span_start if s.span_start is not None else s.actual_year
        asked |= {start - 1, *range(start, s.actual_year + 1)}
    years = [y for y in years if y in asked]  # only the years some target asks for
    cells_a = ctx.to_arrow(
        ms.cells(
            tb("enterprise"),
            tb("enterprise_year"),
            tb("park"),
            years,
            cols,
            thresholds,
            industry=tb("industry"),
            pack=ctx.pack,
            ratios=ratios,
        )
    )
    cm = ms.engine_table(ctx.engine, cells_a)
    need_h = any(s.measurable and (s.num_measure or "").startswith(("held:", "new:")) for s in specs)
    keys_a = cells_a.select(list(ms.KEYS))
    hm = None
    if need_h:
        counts = [s.honour for s in specs if s.measurable and s.honour is not None]
        h_a = ctx.to_arrow(ms.honour_cells(tb("enterprise"), tb("honour"), tb("park"), years, counts=counts))
        hm = ms.engine_table(ctx.engine, h_a)
        keys_a = pa.concat_tables([keys_a, h_a.select(list(ms.KEYS))])
    keys = ctx.engine.memtable(keys_a.group_by(list(ms.KEYS)).aggregate([]))
    # the region map (analytics/regionmap.py): today's map, on which a region that no longer exists keeps its
    # recorded firms (measures 'both'); or the recorded map when asked
    from .. import regionmap as rm

    mode = "both" if rm.mode_of(ctx) == rm.CURRENT else "recorded"
    members = ms.memberships(keys, tb("region_ancestor"), tb("region_overlap"), ctx.region_map(), mode, parks=True)
    wanted = sorted({s.num_member for s in specs if s.measurable} | {s.den_member for s in specs if s.den_member})
    members = members.filter(members.member_code.isin(wanted))
    members = ms.engine_table(ctx.engine, ctx.to_arrow(members))
    units = ms.union_all(
        ms.cluster_units(tb("cluster"), tb("cluster_system"), tb("cluster_industry"), tb("cluster_map"), tiers=False),
        ms.section_unit(tb("industry"), ms.INDUSTRIAL_SECTIONS, SECTIONS_UNIT, root),
        ms.section_unit(tb("industry"), ms.MANUFACTURING_SECTIONS, MANUFACTURING_UNIT, root),
    )
    # only the (member, unit) pairs the targets ask for
    pairs = sorted(
        {(s.num_member, s.num_unit) for s in specs if s.measurable}
        | {(s.den_member, s.den_unit) for s in specs if s.measurable and s.den_member}
    )
    want = ctx.engine.memtable({"member_code": [p[0] for p in pairs], "unit_id": [p[1] for p in pairs]})
    want_units = ctx.engine.memtable({"unit_id": sorted({p[1] for p in pairs})})
    units = units.join(want_units, "unit_id", how="semi")
    units = ms.engine_table(ctx.engine, ctx.to_arrow(units))
    sums = ms.union_all(
        ms.unit_sums(cm, units, members, members, cols, thresholds, ratios),
        ms.unit_sums(cm, None, members, members, cols, thresholds, ratios),
    )
    sums = sums.join(want, ["member_code", "unit_id"], how="semi")
    sums = ms.engine_table(ctx.engine, ctx.to_arrow(sums))
    hs = None
    if need_h:
        hs = ms.union_all(ms.honour_sums(hm, units, members, members), ms.honour_sums(hm, None, members, members))
        hs = hs.join(want, ["member_code", "unit_id"], how="semi")
        hs = ms.engine_table(ctx.engine, ctx.to_arrow(hs))
    obs = ms.engine_table(ctx.engine, ctx.to_arrow(observations(sums, hs, cols, thresholds, ratios)))
    st = specs_table(specs)
    by_id = {r["id"]: r for r in rows}
    st = st.append_column(
        "target_value", pa.array([float(by_id[i]["value"]) for i in st.column("target_id").to_pylist()], pa.float64())
    )
    st = st.append_column(
        "lower_is_better",
        pa.array(
            [by_id[i].get("qualifier") in LOWER_IS_BETTER for i in st.column("target_id").to_pylist()], pa.bool_()
        ),
    )
    res = ctx.to_arrow(progress(ms.engine_table(ctx.engine, st), obs, held))
    return {r["target_id"]: r for r in res.to_pylist()}


def evaluate(ctx) -> dict[str, pa.Table]:
    """target_progress for ctx.year: the register (accepted targets) and the proposed ones."""
    return {"target_progress": compute(ctx, proposed=None)}


def summarise(tables: dict[str, pa.Table]) -> str:
    t = tables["target_progress"]
    reg = t.filter(pc.invert(t.column("proposed")))
    counts: dict[str, int] = {}
    for s in reg.column("status").to_pylist():
        counts[s] = counts.get(s, 0) + 1
    order = ["on track", "at risk", "off track", "achieved", "missed", "no target year", "no data", "not measurable"]
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    return f"{reg.num_rows} targets: " + ", ".join(parts)


STATUSES = (
    "on track",
    "at risk",
    "off track",
    "achieved",
    "missed",
    "not started",
    "no target year",
    "no data",
    "not measurable",
)


def view(
    ctx, region: str | None = None, cluster: str | None = None, status: str | None = None, with_proposed: bool = False
) -> pa.Table:
    """What `zhizao targets` prints: progress of the register (and the proposed targets), filtered."""
    from .. import AnalyticsError

    pack = ctx.pack
    code = None
    if region is not None:
        r = pack.resolve_region(region)
        if r is None:
            raise AnalyticsError(f"unknown region {region!r}: not a region code or name of pack {pack.info.id}")
        code = r.code
    cids = None
    if cluster is not None:
        want = cluster.strip()
        cids = [c.id for c in pack.clusters.values() if want.lower() == c.id.lower() or want == c.name_zh]
        if not cids:
            raise AnalyticsError(f"unknown cluster {cluster!r}: give a cluster id or its name")
    if status is not None and status not in STATUSES:
        raise AnalyticsError(f"unknown status {status!r}: choose one of {', '.join(STATUSES)}")
    t = compute(ctx, proposed=None if with_proposed else False)
    keep = []
    for r in t.to_pylist():
        if code is not None and not (
            r["scope"] == "region"
            and pack.resolve_region(r["scope_id"] or "") is not None
            and pack.resolve_region(r["scope_id"]).code == code
        ):
            keep.append(False)
            continue
        if cids is not None and r["cluster_id"] not in cids:
            keep.append(False)
            continue
        keep.append(status is None or r["status"] == status)
    t = t.filter(pa.array(keep, pa.bool_()))
    # measurable first, then by id
    order = sorted(
        range(t.num_rows), key=lambda i: (not t.column("measurable")[i].as_py(), t.column("target_id")[i].as_py())
    )
    return t.take(pa.array(order, pa.int64()))
