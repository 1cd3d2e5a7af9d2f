"""The opportunities result tables: complexity (region × industry), complexity_region, complexity_industry and
recommendation (ranked industry and cluster candidates with their reasons), from the measures of a matrix
(analytics/complexity/maths.py) and the policy arrays (analytics/complexity/policy.py).

Cluster candidates (the scores, quadrants and reasons as for industries: analytics/complexity/policy.py):
    x_ck = Σ_p share_kp x_cp; RCA_ck the LQ of that; ω, PCI, COG of a cluster are the averages over its
    industries weighted by w_kp = share_kp X_p / Σ share X (city-wide size).
Ranks: within each region and kind (industry, cluster) by score, descending; ties by code.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .maths import Complexity, rca
from .matrix import cells_table
from .policy import quadrants, reasons, related_codes, related_held, scores


def tables_for(
    cx: Complexity,
    region_names: dict,
    ind_names: dict,
    policy,
    weights: dict,
    prof_name: str,
    k_related: int = 3,
    ind_names_en: dict | None = None,
) -> dict[str, pa.Table]:
    """The result tables from the measures of a matrix and the policy arrays (policy_arrays). Recommendations carry
    their reason in English (`reason`, naming industries by ind_names_en, else ind_names) and in Chinese
    (`reason_zh`)."""
    names_en = ind_names_en or ind_names
    ids, S, tier_k, target_ck, cl_names = policy
    L, P = cx.value.shape
    R, I = cx.regions.astype(str), cx.industries.astype(str)
    rname = np.array([region_names.get(r, r) for r in R.tolist()], dtype=object)
    iname = np.array([ind_names.get(i, "") for i in I.tolist()], dtype=object)
    quad = quadrants(cx.value, cx.rca, cx.density)
    cells = cells_table(cx).drop_columns(["region", "industry"])
    cells = pa.table(
        {
            "region_code": np.repeat(R, P),
            "region_name": np.repeat(rname, P),
            "industry_code": np.tile(I, L),
            "industry_name": np.tile(iname, L),
            **{c: cells.column(c) for c in cells.column_names},
            "quadrant": pa.array(quad.ravel(), pa.string()),
        }
    )
    cells = cells.filter(pc.invert(pc.is_nan(cells.column("rca"))))
    regions_t = pa.table(
        {
            "region_code": R,
            "region_name": rname,
            "value": cx.value.sum(axis=1),
            "diversity": cx.diversity,
            "eci": cx.eci,
            "coi": cx.coi,
        }
    )
    inds_t = pa.table(
        {
            "industry_code": I,
            "industry_name": iname,
            "value": cx.value.sum(axis=0),
            "ubiquity": cx.ubiquity,
            "pci": cx.pci,
        }
    )
    # ---- industry candidates
    valid = np.isfinite(cx.rca)
    tier_p = (S > 0).astype(float) * tier_k[:, None]
    tier_p = tier_p.max(axis=0) if len(ids) else np.zeros(P)
    target_p = (target_ck[:, :, None] * (S > 0)[None, :, :]).max(axis=1) if len(ids) else np.zeros((L, P))
    cand = valid & (np.nan_to_num(cx.mcp) < 1) & np.isfinite(cx.pci)[None, :]
    sc = scores(cx.density, cx.pci[None, :], cx.cog, tier_p[None, :], target_p, cand, weights)
    phi = np.nan_to_num(cx.proximity)
    idx, val = related_held(cx.mcp, phi, k_related)
    rec_parts = [
        _rec_rows(
            "industry",
            cand,
            I,
            iname,
            R,
            rname,
            cx.rca,
            cx.density,
            np.broadcast_to(cx.pci, (L, P)),
            cx.cog,
            np.broadcast_to(tier_p, (L, P)),
            target_p,
            quad,
            sc,
            related_codes(idx, I),
            reasons(idx, val, I, names_en),
            prof_name,
            reasons(idx, val, I, ind_names, "zh"),
        )
    ]
    # ---- cluster candidates
    if len(ids):
        Xp = np.nansum(cx.value, axis=0)
        w = S * Xp[None, :]
        tot = w.sum(axis=1, keepdims=True)
        w = np.where(tot > 0, w / np.where(tot > 0, tot, 1), S / np.maximum(S.sum(axis=1, keepdims=True), 1e-300))
        has = (S > 0).any(axis=1) & (tot[:, 0] > 0)
        xc = np.nan_to_num(cx.value) @ S.T  # L × K
        crca = rca(xc) if xc.size else xc
        dk = np.nan_to_num(cx.density) @ w.T
        pk = np.nan_to_num(cx.pci) @ w.T
        gk = np.nan_to_num(cx.cog) @ w.T
        validr = np.isfinite(cx.eci) | np.isfinite(cx.diversity)
        cc = validr[:, None] & has[None, :] & (np.nan_to_num(crca) < 1)
        qk = quadrants(xc, crca, np.where(has[None, :], dk, np.nan))
        sk = scores(dk, pk[None, :], gk, tier_k[None, :], target_ck, cc, weights)
        relk = w @ phi  # K × P
        kidx, kval = related_held(cx.mcp, relk, k_related, exclude_self=False)
        rec_parts.append(
            _rec_rows(
                "cluster",
                cc,
                ids.astype(str),
                np.array([cl_names[c] for c in ids.tolist()], object),
                R,
                rname,
                crca,
                dk,
                np.broadcast_to(pk, (L, len(ids))),
                gk,
                np.broadcast_to(tier_k, (L, len(ids))),
                target_ck,
                qk,
                sk,
                related_codes(kidx, I),
                reasons(kidx, kval, I, names_en),
                prof_name,
                reasons(kidx, kval, I, ind_names, "zh"),
            )
        )
    rec = pa.concat_tables(rec_parts)
    if rec.num_rows:
        # rank within region and kind by score (descending), ties by code
        order = np.lexsort(
            (
                rec.column("code").to_numpy(zero_copy_only=False),
                -rec.column("score").to_numpy(zero_copy_only=False),
                rec.column("kind").to_numpy(zero_copy_only=False),
                rec.column("region_code").to_numpy(zero_copy_only=False),
            )
        )
        rec = rec.take(order)
        grp = np.char.add(
            rec.column("region_code").to_numpy(zero_copy_only=False).astype(str),
            rec.column("kind").to_numpy(zero_copy_only=False).astype(str),
        )
        start = np.r_[True, grp[1:] != grp[:-1]]
        first = np.maximum.accumulate(np.where(start, np.arange(len(grp)), 0))
        rank = np.arange(len(grp)) - first + 1
        rec = rec.add_column(rec.column_names.index("profile") + 1, "rank", pa.array(rank, pa.int64()))
    cells = cells.sort_by([("region_code", "ascending"), ("industry_code", "ascending")])
    return {"complexity": cells, "complexity_region": regions_t, "complexity_industry": inds_t, "recommendation": rec}


def _rec_rows(
    kind,
    cand,
    codes,
    names,
    R,
    rname,
    rca_,
    dens,
    pci,
    cog,
    tier,
    target,
    quad,
    sc,
    related,
    reason,
    prof_name,
    reason_zh=None,
) -> pa.Table:
    r_i, c_i = np.nonzero(cand)
    n = len(r_i)
    g = lambda a: np.asarray(a)[r_i, c_i]
    return pa.table(
        {
            "region_code": pa.array(R[r_i], pa.string()),
            "region_name": pa.array(rname[r_i], pa.string()),
            "kind": pa.array([kind] * n, pa.string()),
            "code": pa.array(codes[c_i], pa.string()),
            "name": pa.array(names[c_i], pa.string()),
            "profile": pa.array([prof_name] * n, pa.string()),
            "score": pa.array(g(sc["score"]), pa.float64()),
            "feasibility": pa.array(g(sc["feasibility"]), pa.float64()),
            "attractiveness": pa.array(g(sc["attractiveness"]), pa.float64()),
            "rca": pa.array(g(np.nan_to_num(rca_)), pa.float64()),
            "density": pa.array(g(dens), pa.float64()),
            "pci": pa.array(g(pci), pa.float64()),
            "cog": pa.array(g(cog), pa.float64()),
            "tier_score": pa.array(g(tier), pa.float64()),
            "target_score": pa.array(g(target), pa.float64()),
            "quadrant": pa.array(g(quad), pa.string()),
            "related": pa.array(g(related), pa.string()),
            "reason": pa.array(g(reason), pa.string()),
            "reason_zh": pa.array(g(reason if reason_zh is None else reason_zh), pa.string()),
        }
    )
