"""Growth opportunities: relatedness and complexity of the region × industry matrix, and ranked
recommendations of industries and clusters a region is not yet specialised in.

The matrix X (regions c × industries p, the measure summed over firms, default output_value) is
built as an Ibis expression (specialisation.region_industry: county-level units on the Context's region map,
today's by default — analytics/regionmap.py); the maths (maths.py) is NumPy on the dense matrix, vectorised. Regions
and industries whose whole row or column is 0 are left out of every calculation (their cells come out empty).

Where each part lives:

    maths.py    RCA, presence, ECI/PCI, proximity, density, COI, COG on the dense matrix (the Growth Lab's conventions)
    matrix.py   long form ↔ dense matrix, every cell as a table, a reference proximity, reading a matrix CSV
    policy.py   recommendations: weight profiles, the pack's clusters, tiers and targets, scores, quadrants, reasons
    tables.py   the result tables: complexity, complexity_region, complexity_industry, recommendation
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import AnalyticsError
from .maths import complexity
from .matrix import complexity_long, long_to_matrix, read_matrix_csv, reference_proximity
from .policy import DEFAULT_PROFILE, policy_arrays, profile
from .tables import tables_for


def evaluate(ctx) -> dict[str, pa.Table]:
    """For ctx.year: `complexity` (region × industry), `complexity_region`, `complexity_industry`
    and `recommendation` (ranked candidates, industries and clusters) with the options' profile."""
    from ..specialisation import region_industry

    prof_name = ctx.options.get("profile") or DEFAULT_PROFILE
    weights = profile(prof_name)
    measure = ctx.options.get("measure") or "output_value"
    ri = ctx.to_arrow(region_industry(ctx, ctx.year, "county", measure=measure))
    if ri.num_rows == 0:
        raise AnalyticsError(f"no enterprise figures for {ctx.year}")
    regions, industries, x = long_to_matrix(
        ri.column("region_code").to_numpy(zero_copy_only=False).astype(str),
        ri.column("industry_code").to_numpy(zero_copy_only=False).astype(str),
        ri.column("x").to_numpy(zero_copy_only=False),
    )
    phi = None
    ref = ctx.options.get("reference")
    if ref:
        phi = reference_proximity(*read_matrix_csv(ref), industries)
    cx = complexity(x, regions, industries, phi=phi)
    region_names = dict(zip(ri.column("region_code").to_pylist(), ri.column("region_name").to_pylist()))
    ind = ctx.to_arrow(ctx.table("industry").select("code", "name_zh", "name_en")).to_pylist()
    ind_names = {r["code"]: r["name_zh"] for r in ind}
    ind_names_en = {r["code"]: r["name_en"] or r["name_zh"] for r in ind}
    from ..specialisation import with_map

    out = tables_for(
        cx,
        region_names,
        ind_names,
        policy_arrays(ctx, industries, regions, weights["tier_order"]),
        weights,
        prof_name,
        ind_names_en=ind_names_en,
    )
    return {k: with_map(t, ctx) for k, t in out.items()}


def summarise(tables: dict[str, pa.Table]) -> str:
    reg, rec = tables["complexity_region"], tables["recommendation"]
    eci = reg.column("eci").to_numpy(zero_copy_only=False)
    codes = reg.column("region_name").to_pylist()
    top = codes[int(np.nanargmax(eci))] if np.isfinite(eci).any() else "—"
    return (
        f"{reg.num_rows} regions × {tables['complexity_industry'].num_rows} industries; highest ECI {top}; "
        f"{rec.num_rows:,} ranked candidates"
    )


# ------------------------------------------------------------------------------------------ command
def command_table(ctx, *, region: str | None = None, by: str = "all", top: int = 10) -> tuple[pa.Table, pa.Table]:
    """What `zhizao opportunities` prints: the ranked candidates (top n per region and kind; 0 = all)
    and the regions' ECI/COI, for one region or all."""
    from ..specialisation import map_day, resolve_region

    if by not in ("all", "industry", "cluster"):
        raise AnalyticsError(f"unknown candidate kind {by!r} (choose industry, cluster or all)")
    profile(ctx.options.get("profile"))
    code = resolve_region(ctx.pack, region, "county", map_day(ctx)) if region else None
    t = evaluate(ctx)
    rec, reg = t["recommendation"], t["complexity_region"]
    if code is not None:
        if code not in set(reg.column("region_code").to_pylist()):
            raise AnalyticsError(f"no figures for {ctx.pack.regions[code].name_zh} ({code}) in {ctx.year}")
        rec = rec.filter(pc.equal(rec.column("region_code"), code))
        reg = reg.filter(pc.equal(reg.column("region_code"), code))
    if by != "all":
        rec = rec.filter(pc.equal(rec.column("kind"), by))
    if top:
        rec = rec.filter(pc.less_equal(rec.column("rank"), top))
    return rec, reg


def matrix_table(path: str | Path, *, reference: str | Path | None = None, threshold: float = 1.0) -> pa.Table:
    """What `zhizao opportunities --matrix FILE.csv` prints: per region × industry rca, mcp, density,
    eci, pci, coi, cog (and the value, diversity and ubiquity)."""
    regions, industries, values = read_matrix_csv(path)
    phi = None
    if reference:
        _, il, _ = long_to_matrix(regions, industries, values)
        phi = reference_proximity(*read_matrix_csv(reference), il, threshold=threshold)
    t = complexity_long(regions, industries, values, threshold=threshold, phi=phi)
    return t.select(
        ["region", "industry", "value", "rca", "mcp", "density", "eci", "pci", "coi", "cog", "diversity", "ubiquity"]
    )
