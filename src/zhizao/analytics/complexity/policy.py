"""The opportunities policy: which industries and clusters to recommend to a region and why — the named weight
profiles, the city system's clusters, tiers and registered targets as arrays, the scores, the quadrants and the
reasons. The measures it ranks by: analytics/complexity/maths.py.

Recommendations (for each region, the industries it is not specialised in, M_cp = 0, and the
clusters of the city system with cluster LQ < 1):
    feasibility  = n(ω_cp)                n(v) = (v − min v)/(max v − min v) over all candidates
    attractiveness from n(PCI_p), n(COG_cp), tier_p and target_cp
    score = w_d n(ω) + w_pci n(PCI) + w_cog n(COG) + w_tier tier + w_target target   (Σw = 1)
  Weights are named profiles (PROFILES; the three `atlas_*` ones are the Atlas of Economic
  Complexity's presets for distance/PCI/COG as a third-party write-up of its API gives them).
  tier_p: of the city-system clusters containing p, the best tier score, with n tiers and rank r
  (1 = the system's first tier): order "scale" → (n − r + 1)/n, order "frontier" → r/n; 0 if in no
  cluster. target_cp: 1 if the region (or the district it merged into) has a registered target on a
  cluster containing p (district clusters count through the city cluster they map to), 0.5 if
  only an ancestor region (its group or the city) has one, else 0.
  Cluster candidates: their ω, PCI, COG and RCA from their industries' (analytics/complexity/tables.py).
  Quadrant (Metroverse's growth-opportunity chart): presence = RCA, fit = ω_cp − mean over regions
  of ω_cp; absent (x_cp = 0) → "possible entrant"; RCA ≥ 1: fit ≥ 0 "strength", else "threat";
  RCA < 1: fit ≥ 0 "opportunity", else "weakness".
  Reason: the three industries the region holds (M = 1) closest to the candidate by φ.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import AnalyticsError

# ------------------------------------------------------------------------------------------ profiles
# Named weight profiles: density (feasibility), pci, cog, tier, target; they sum to 1.
PROFILES: dict[str, dict] = {
    "balanced": {
        "density": 0.40,
        "pci": 0.15,
        "cog": 0.25,
        "tier": 0.10,
        "target": 0.10,
        "tier_order": "scale",
        "about": "feasibility first, complexity and policy priority as tie-breakers",
    },
    "low_hanging_fruit": {
        "density": 0.60,
        "pci": 0.10,
        "cog": 0.20,
        "tier": 0.05,
        "target": 0.05,
        "tier_order": "scale",
        "about": "what the region's related industries make easy",
    },
    "long_jumps": {
        "density": 0.30,
        "pci": 0.25,
        "cog": 0.30,
        "tier": 0.10,
        "target": 0.05,
        "tier_order": "scale",
        "about": "complex industries that open further diversification",
    },
    "policy_priority": {
        "density": 0.30,
        "pci": 0.10,
        "cog": 0.15,
        "tier": 0.25,
        "target": 0.20,
        "tier_order": "scale",
        "about": "the city system's top tiers and the registered targets",
    },
    "frontier": {
        "density": 0.35,
        "pci": 0.25,
        "cog": 0.20,
        "tier": 0.15,
        "target": 0.05,
        "tier_order": "frontier",
        "about": "the system's last (newest, e.g. 新星) tier first",
    },
    "atlas_low_hanging_fruit": {
        "density": 0.60,
        "pci": 0.15,
        "cog": 0.25,
        "tier": 0.0,
        "target": 0.0,
        "tier_order": "scale",
        "about": "Atlas preset: distance 60%, PCI 15%, COG 25%",
    },
    "atlas_long_jumps": {
        "density": 0.45,
        "pci": 0.20,
        "cog": 0.35,
        "tier": 0.0,
        "target": 0.0,
        "tier_order": "scale",
        "about": "Atlas preset: distance 45%, PCI 20%, COG 35%",
    },
    "atlas_balanced": {
        "density": 0.50,
        "pci": 0.15,
        "cog": 0.35,
        "tier": 0.0,
        "target": 0.0,
        "tier_order": "scale",
        "about": "Atlas preset: distance 50%, PCI 15%, COG 35%",
    },
}
DEFAULT_PROFILE = "balanced"
QUADRANTS = ("strength", "opportunity", "weakness", "threat", "possible entrant")
WEIGHTS = ("density", "pci", "cog", "tier", "target")


def profile(name: str | None) -> dict:
    name = name or DEFAULT_PROFILE
    if name not in PROFILES:
        raise AnalyticsError(f"unknown profile {name!r} (choose {', '.join(PROFILES)})")
    return PROFILES[name]


# ------------------------------------------------------------------------------------------ recommendations
def _minmax(v: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(v − min)/(max − min) over the cells in mask (0 where max = min); NaN elsewhere."""
    out = np.full(v.shape, np.nan)
    vals = v[mask]
    vals = vals[np.isfinite(vals)]
    if not len(vals):
        return out
    lo, hi = vals.min(), vals.max()
    out[mask] = (v[mask] - lo) / (hi - lo) if hi > lo else 0.0
    return np.nan_to_num(out, nan=0.0) * np.where(mask, 1.0, np.nan)


def quadrants(value: np.ndarray, rca_: np.ndarray, dens: np.ndarray) -> np.ndarray:
    """Metroverse's quadrants from presence (RCA, parity 1) and fit (density − its mean over regions)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = dens - np.nanmean(dens, axis=0, keepdims=True)
    held = np.nan_to_num(rca_) >= 1.0
    good = fit >= 0
    q = np.select(
        [~(value > 0), held & good, held & ~good, ~held & good],
        ["possible entrant", "strength", "threat", "opportunity"],
        "weakness",
    )
    return q.astype(object)


def scores(dens, pci, cog, tier, target, candidate, weights: dict) -> dict[str, np.ndarray]:
    """Feasibility, attractiveness and score of every candidate cell (arrays broadcast to L × P)."""
    shape = candidate.shape
    nd = _minmax(np.broadcast_to(dens, shape), candidate)
    npci = _minmax(np.broadcast_to(pci, shape).astype(float), candidate)
    ncog = _minmax(np.broadcast_to(cog, shape), candidate)
    tier = np.broadcast_to(tier, shape)
    target = np.broadcast_to(target, shape)
    wa = sum(weights[k] for k in ("pci", "cog", "tier", "target"))
    attract = weights["pci"] * npci + weights["cog"] * ncog + weights["tier"] * tier + weights["target"] * target
    score = weights["density"] * nd + attract
    return {"feasibility": nd, "attractiveness": attract / wa if wa else np.zeros(shape), "score": score}


def related_held(
    mcp: np.ndarray, rel: np.ndarray, k: int = 3, exclude_self: bool = True, block_cells: int = 20_000_000
) -> tuple[np.ndarray, np.ndarray]:
    """For every region c and candidate j (rows of rel: candidate × industry relatedness), the k held
    industries (M_cp = 1) with the highest rel[j, p]: their indices (−1 if fewer) and values.
    Vectorised over blocks of regions so memory stays bounded."""
    L, P = mcp.shape
    J = rel.shape[0]
    idx = np.full((L, J, k), -1, dtype=np.int64)
    val = np.full((L, J, k), np.nan)
    k_eff = min(k, P)
    step = max(1, block_cells // max(1, J * P))
    held = np.nan_to_num(mcp) >= 1
    for s in range(0, L, step):  # blocks of regions, not cells
        h = held[s : s + step]
        w = np.where(h[:, None, :], rel[None, :, :], -np.inf)
        if exclude_self and J == P:
            ar = np.arange(P)
            w[:, ar, ar] = -np.inf
        top = np.argpartition(-w, k_eff - 1, axis=2)[:, :, :k_eff] if k_eff < P else np.argsort(-w, axis=2)
        tv = np.take_along_axis(w, top, axis=2)
        order = np.argsort(-tv, axis=2, kind="stable")
        top, tv = np.take_along_axis(top, order, axis=2), np.take_along_axis(tv, order, axis=2)
        ok = np.isfinite(tv) & (tv > 0)
        idx[s : s + step, :, :k_eff] = np.where(ok, top, -1)
        val[s : s + step, :, :k_eff] = np.where(ok, tv, np.nan)
    return idx, val


REASON_WORDS = {  # lang -> (lead, separator, when nothing related is held)
    "en": ("related held: ", "; ", "no held industry is related (φ = 0)"),
    "zh": ("相关的已有优势行业：", "；", "没有相关的已有优势行业（φ = 0）"),
}


def reasons(idx, val, industries, names, lang: str = "en") -> np.ndarray:
    """'related held: C3670 汽车零部件及配件制造 (φ 0.71); …' for every cell of idx (L × J × k); lang 'zh' says
    the same in Chinese (names: industry code -> name in that language)."""
    lead, sep, none = REASON_WORDS[lang]
    labels = np.array([f"{c} {names.get(c, '')}".strip() for c in industries.tolist()] + [""], dtype=object)
    parts = []
    for j in range(idx.shape[2]):
        lab = labels[idx[:, :, j]]
        v = val[:, :, j]
        txt = np.where(idx[:, :, j] >= 0, lab + np.char.mod(" (φ %.2f)", np.nan_to_num(v)).astype(object), "")
        parts.append(txt)
    out = parts[0]
    for p in parts[1:]:
        out = np.where(p != "", out + sep + p, out)
    return np.where(out != "", lead + out, none).astype(object)


def related_codes(idx, industries) -> np.ndarray:
    lab = np.array(list(industries.tolist()) + [""], dtype=object)
    out = lab[idx[:, :, 0]]
    for j in range(1, idx.shape[2]):
        nxt = lab[idx[:, :, j]]
        out = np.where(nxt != "", out + "," + nxt, out)
    return out


# ------------------------------------------------------------------------------------------ warehouse
def policy_arrays(ctx, industries: np.ndarray, regions: np.ndarray, tier_order: str):
    """Clusters of the city system and what the pack says about them, as dense arrays:
    S (K × P shares), tier score per cluster (K), target score per region × cluster (L × K)."""
    from ..specialisation import city_clusters, map_day

    ci = ctx.to_arrow(city_clusters(ctx))
    cl = ctx.to_arrow(ctx.table("cluster").select("id", "system_id", "tier", "tier_rank", "name_zh"))
    tiers = ctx.to_arrow(ctx.table("cluster_tier").select("system_id", "rank"))
    tg = ctx.table("target")
    tg = ctx.to_arrow(
        tg.filter(tg.cluster_id.notnull() & (tg.scope == "region") & ~tg.proposed).select("scope_id", "cluster_id")
    )
    cmap = ctx.to_arrow(ctx.table("cluster_map"))
    ids = np.unique(ci.column("cluster_id").to_numpy(zero_copy_only=False)) if ci.num_rows else np.array([], str)
    K, P = len(ids), len(industries)
    S = np.zeros((K, P))
    ind_pos = {c: i for i, c in enumerate(industries.tolist())}
    kpos = {c: i for i, c in enumerate(ids.tolist())}
    ck = np.array([kpos[c] for c in ci.column("cluster_id").to_pylist()], dtype=np.int64)
    cp = np.array([ind_pos.get(c, -1) for c in ci.column("industry_code").to_pylist()], dtype=np.int64)
    keep = cp >= 0
    S[ck[keep], cp[keep]] = np.asarray(ci.column("share").to_pylist(), float)[keep]
    info = {r["id"]: r for r in cl.to_pylist()}
    n_tiers: dict[str, int] = {}
    for r in tiers.to_pylist():
        n_tiers[r["system_id"]] = max(n_tiers.get(r["system_id"], 0), r["rank"])
    tier = np.zeros(K)
    for i, c in enumerate(ids.tolist()):  # one entry per cluster (a few dozen)
        r = info[c]
        n = max(n_tiers.get(r["system_id"], r["tier_rank"]), r["tier_rank"])
        tier[i] = (n - r["tier_rank"] + 1) / n if tier_order == "scale" else r["tier_rank"] / n
    maps = {}
    for r in cmap.to_pylist():
        maps.setdefault(r["cluster_id"], []).append(r["maps_to"])
    own = set()  # (region, city cluster) pairs with a target
    pack = ctx.pack
    on = map_day(ctx)
    for r in tg.to_pylist():
        for c in [r["cluster_id"]] + maps.get(r["cluster_id"], []):
            if c in kpos:
                own.add((r["scope_id"], c))
    target = np.zeros((len(regions), K))
    for li, reg in enumerate(regions.tolist()):  # per region (dozens): its own codes and ancestors
        mine = {reg} | {c for c in pack.regions if pack.successor_of(c, on) == reg}
        anc = set()
        for c in mine:
            if c in pack.regions:
                anc |= set(pack.ancestors(c))
        for scope, c in own:
            if scope in mine:
                target[li, kpos[c]] = 1.0
            elif scope in anc:
                target[li, kpos[c]] = max(target[li, kpos[c]], 0.5)
    names = {c: info[c]["name_zh"] for c in ids.tolist()}
    return ids, S, tier, target, names
