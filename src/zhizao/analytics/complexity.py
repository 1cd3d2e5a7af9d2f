"""Growth opportunities: relatedness and complexity of the region × industry matrix, and ranked
recommendations of industries and clusters a region is not yet specialised in.

The matrix X (regions c × industries p, the measure summed over firms, default output_value) is
built as an Ibis expression (specialisation.region_industry: county-level units on the Context's region map,
today's by default — analytics/regionmap.py); the maths below is NumPy on the dense matrix, vectorised. Regions
and industries whose whole row or column is 0 are left out of every calculation (their cells come out empty).

Measures (the definitions and conventions of the Harvard Growth Lab `ecomplexity` package 0.5.3,
which ports the STATA package; results equal it on the same matrix, see tests):
    RCA_cp  = (x_cp / x_c) / (x_p / x)                                        Balassa (1965)
    M_cp    = 1 if RCA_cp ≥ threshold (default 1) else 0
    diversity k_c = Σ_p M_cp ;  ubiquity k_p = Σ_c M_cp
    ECI / PCI (Hidalgo & Hausmann 2009; Hausmann, Hidalgo et al., Atlas of Economic Complexity):
        M̃_pp' = Σ_c M_cp M_cp' / (k_c k_p); PCI* = the eigenvector of M̃ with the second largest
        eigenvalue λ, ECI*_c = Σ_p M_cp PCI*_p / k_c (the mean PCI* of the region's industries).
        Computed exactly through the symmetric matrix B Bᵀ or BᵀB with B = D^-½ M U^-½ (D, U the
        diagonal diversity and ubiquity; `eigh` on the smaller side) instead of a general `eig`.
        Sign: ECI* is turned to correlate positively with diversity (Pearson).
        Normalisation (the STATA convention): with m, s the mean and standard deviation (ddof 0) of
        ECI* over regions: ECI = (ECI* − m)/s, PCI = (PCI* − m)/s — PCI uses ECI's m and s, so a
        region's ECI is still the mean PCI of its industries.
    proximity φ_pp' = Σ_c M_cp M_cp' / max(k_p, k_p')                 Hidalgo et al. (2007); φ_pp = 1
    density ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'   (the sum includes p' = p, as in ecomplexity)
    COI_c  = Σ_p ω_cp (1 − M_cp) PCI*_p, then z-scored over regions (ddof 0)
    COG_cp = (1 − M_cp) Σ_p' (1 − M_cp') φ_p'p PCI*_p' / Σ_p'' φ_p'p'', divided by s
        (this is ecomplexity's port of the STATA mata line; the Atlas text also subtracts
        (1 − ω_cp) PCI_p, which ecomplexity does not — we follow ecomplexity).
Differences from ecomplexity, all outside the cases it handles: if a threshold leaves some region or
industry with no specialisation, ecomplexity returns NaN ECI/PCI for every region (its mean includes
the NaN) while we compute them for the rest; when λ is a repeated eigenvalue (a block-diagonal M)
the eigenvector is not unique and neither package's choice is meaningful; we need ≥ 2 regions and
≥ 2 industries with a specialisation, else ECI/PCI/COI/COG are NaN.

Reference proximity: φ may come from a larger matrix (a province or the nation) than the city's own
districts: φ is computed on the reference matrix, restricted to the industries of X; an industry
missing from the reference has φ = 1 to itself and 0 to the others (what ecomplexity does with a
`proximity_edgelist`). Density, COI and COG then use that φ.

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
  Cluster candidates: x_ck = Σ_p share_kp x_cp; RCA_ck the LQ of that; ω, PCI, COG of a cluster are
  the averages over its industries weighted by w_kp = share_kp X_p / Σ share X (city-wide size).
  Quadrant (Metroverse's growth-opportunity chart): presence = RCA, fit = ω_cp − mean over regions
  of ω_cp; absent (x_cp = 0) → "possible entrant"; RCA ≥ 1: fit ≥ 0 "strength", else "threat";
  RCA < 1: fit ≥ 0 "opportunity", else "weakness".
  Reason: the three industries the region holds (M = 1) closest to the candidate by φ.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import AnalyticsError

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


# ------------------------------------------------------------------------------------------ core maths
@dataclass
class Complexity:
    """Every measure of one matrix; arrays are over all regions × industries given (NaN where a
    region or industry was left out for an all-zero row or column)."""

    regions: np.ndarray
    industries: np.ndarray
    value: np.ndarray  # L × P
    rca: np.ndarray  # L × P
    mcp: np.ndarray  # L × P, 0/1 (NaN outside)
    diversity: np.ndarray  # L
    ubiquity: np.ndarray  # P
    eci: np.ndarray  # L
    pci: np.ndarray  # P
    proximity: np.ndarray  # P × P
    density: np.ndarray  # L × P
    coi: np.ndarray  # L
    cog: np.ndarray  # L × P
    eigenvalue: float


def rca(x: np.ndarray, row_totals: np.ndarray | None = None, col_totals: np.ndarray | None = None) -> np.ndarray:
    """Balassa RCA, in the same operation order as ecomplexity (so ties at the threshold agree). The
    row and column totals (nansum) may be passed when already known."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rt = np.nansum(x, axis=1) if row_totals is None else row_totals
        num = x / rt[:, np.newaxis]
        loc_total = (np.nansum(x, axis=0) if col_totals is None else col_totals)[np.newaxis, :]
        world_total = np.nansum(loc_total, axis=1)[:, np.newaxis]
        return num / (loc_total / world_total)


def presence(r: np.ndarray, threshold: float = 1.0) -> np.ndarray:
    if threshold > 0:  # NaN ≥ t is false, as 0 ≥ t is: no nan_to_num pass needed
        return np.greater_equal(r, threshold, out=np.empty(r.shape), casting="unsafe")
    return np.where(np.nan_to_num(r) >= threshold, 1.0, 0.0)


def _cooccurrence(m: np.ndarray, binary: bool | None = None) -> np.ndarray:
    """Mᵀ M. For a 0/1 matrix the products are small integers, exact in float32 (below 2^24 regions), so
    the product runs in single precision (twice as fast): the same numbers (converted by the caller)."""
    if binary is None:
        binary = bool(np.array_equal(m, m.astype(bool)))
    if m.shape[0] < 2**24 and binary:
        m32 = m.astype(np.float32)
        return m32.T @ m32
    return m.T @ m


def proximity(m: np.ndarray, *, binary: bool | None = None) -> np.ndarray:
    """φ_pp' = co-occurrence / max(ubiquity_p, ubiquity_p'); 1 on the diagonal; NaN for an industry no
    region is specialised in (its ubiquity is 0)."""
    u = m.sum(axis=0)
    co = _cooccurrence(m, binary)
    phi = np.maximum.outer(u, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(co, phi, out=phi)  # = min(co/u_p, co/u_p'), bit for bit; in place (no second P × P array)
    none = u == 0
    if none.any():
        phi[none, :] = np.nan
        phi[:, none] = np.nan
    return phi


def density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    den = np.nansum(phi, axis=1)[np.newaxis, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return m @ (phi.T / den)


# Below this many regions (or industries, the smaller side) the eigenproblem is solved densely; above it,
# by Lanczos iteration for the one eigenvector needed (ARPACK through scipy), which is 10-20× faster.
DENSE_EIGEN_BELOW = 120


def _second_eigenpair(b: np.ndarray, top: np.ndarray) -> tuple[float, np.ndarray]:
    """λ₂ and its unit eigenvector of the symmetric n × n matrix B Bᵀ (B is n × k, n ≤ k), whose largest
    eigenvalue is 1 with eigenvector `top` (√diversity or √ubiquity, see eigen_complexity). Small
    matrices: `eigh` on B Bᵀ. Large: Lanczos on B Bᵀ − t tᵀ (the top pair deflated, so λ₂ is the
    largest), applied as two matrix-vector products without forming B Bᵀ, to machine precision (tol=0),
    from a fixed start vector (the same input gives the same output)."""
    n = b.shape[0]
    if n >= DENSE_EIGEN_BELOW:
        from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, LinearOperator, eigsh

        t = top / np.linalg.norm(top)
        op = LinearOperator((n, n), matvec=lambda v: b @ (b.T @ v) - t * (t @ v), dtype=float)
        v0 = np.random.default_rng(20240101).random(n) + 0.5
        try:
            w, v = eigsh(op, k=1, which="LA", tol=0, v0=v0)
            return float(w[0]), v[:, 0]
        except (ArpackNoConvergence, ArpackError):  # pragma: no cover - falls back to the dense solver
            pass
    w, v = np.linalg.eigh(b @ b.T)
    return float(w[-2]), v[:, -2]


def eigen_complexity(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Raw (unnormalised, signed) ECI* and PCI* of a 0/1 matrix, and λ. Rows and columns with no
    specialisation get NaN.

    With B = D^-½ M U^-½: B Bᵀ = D^-½ M U^-1 Mᵀ D^-½ is symmetric and similar to M̃_cc = D^-1 M U^-1 Mᵀ;
    its largest eigenvalue is 1 with eigenvector √d (B Bᵀ √d = D^-½ M U^-1 u = D^-½ d = √d), and its
    second eigenvector e gives ECI* = D^-½ e. Likewise Bᵀ B with √u and PCI*. We solve on the smaller side.
    """
    L, P = m.shape
    d, u = m.sum(axis=1), m.sum(axis=0)
    rv, cv = d > 0, u > 0
    kc, kp = np.full(L, np.nan), np.full(P, np.nan)
    if rv.sum() < 2 or cv.sum() < 2:
        return kc, kp, float("nan")
    mv = m if (rv.all() and cv.all()) else m[rv][:, cv]
    dv, uv = d[rv], u[cv]
    sd, su = np.sqrt(dv), np.sqrt(uv)
    b = mv / sd[:, None] / su[None, :]
    if mv.shape[0] <= mv.shape[1]:
        lam, e = _second_eigenpair(b, sd)  # regions side: D^-½ M U^-1 Mᵀ D^-½
        c = e / sd  # eigenvector of M̃_cc
        p = (mv.T @ c) / uv / lam  # the matching eigenvector of M̃_pp
    else:
        lam, e = _second_eigenpair(b.T, su)  # industries side: U^-½ Mᵀ D^-1 M U^-½
        p = e / su
        c = (mv @ p) / dv
    sign = np.sign(np.corrcoef(dv, c)[0, 1]) or 1.0
    kc[rv], kp[cv] = sign * c, sign * p
    return kc, kp, lam


def complexity(
    x: np.ndarray,
    regions=None,
    industries=None,
    *,
    threshold: float = 1.0,
    phi: np.ndarray | None = None,
    manual: bool = False,
) -> Complexity:
    """All measures of the L × P matrix `x` (non-negative). `phi` (P × P, same industry order) replaces
    the proximity computed from x, e.g. one from a larger reference matrix (reference_proximity).
    manual=True takes x as the 0/1 matrix M itself (ecomplexity's presence_test="manual"; rca = x)."""
    x = np.asarray(x, dtype=float)
    L, P = x.shape
    regions = np.asarray(regions if regions is not None else np.arange(L))
    industries = np.asarray(industries if industries is not None else np.arange(P))
    finite = not np.isnan(x).any()
    row_tot = x.sum(axis=1) if finite else np.nansum(x, axis=1)  # = nansum, bit for bit, without NaN
    col_tot = x.sum(axis=0) if finite else np.nansum(x, axis=0)
    rows, cols = row_tot != 0, col_tot != 0
    everything = bool(rows.all() and cols.all())
    xs = x if everything else x[rows][:, cols]
    r = xs if manual else (rca(xs, row_tot, col_tot) if everything else rca(xs))
    m = xs if manual else presence(r, threshold)
    d, u = m.sum(axis=1), m.sum(axis=0)
    kc, kp, lam = eigen_complexity(m)
    if phi is None:
        ph, symmetric = proximity(m, binary=None if manual else True), True
    else:
        ph = _restrict_phi(np.asarray(phi, float)[cols][:, cols])
        symmetric = bool(np.array_equal(ph, ph.T, equal_nan=True))
    kp0 = np.nan_to_num(kp)
    not_m = 1 - m
    with np.errstate(divide="ignore", invalid="ignore"):
        phi_sum = ph.sum(axis=1)
        den = phi_sum if not np.isnan(phi_sum).any() else np.nansum(ph, axis=1)
        a = kp0 / phi_sum
        if symmetric:
            # density and COG in one product over φ (symmetric):
            #   ω = M φ / rowsum(φ)   and   COG* = (1 − M) ∘ (((1 − M) ∘ a) φ),  a_p = PCI*_p / rowsum(φ)_p
            n = m.shape[0]
            stack = np.empty((2 * n, m.shape[1]))
            stack[:n] = m
            np.multiply(not_m, a[np.newaxis, :], out=stack[n:])
            both = stack @ ph
            dens = np.divide(both[:n], den[np.newaxis, :], out=both[:n])
            cog = np.multiply(not_m, both[n:], out=both[n:])
        else:
            dens = m @ (ph.T / den[np.newaxis, :])
            cog = not_m * (not_m @ (ph * a[:, np.newaxis]))
        coi = (dens * not_m) @ kp0
    coi = np.where(np.isnan(kc), np.nan, coi)
    if np.isnan(lam):
        coi = np.full_like(coi, np.nan)
        cog = np.full_like(cog, np.nan)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mean, std = np.nanmean(kc), np.nanstd(kc)
        eci, pci = (kc - mean) / std, (kp - mean) / std
        cog /= std  # in place: cog is this call's own array
        coi = (coi - np.nanmean(coi)) / np.nanstd(coi)

    def full(a, shape, idx):
        if everything:
            return a
        out = np.full(shape, np.nan)
        out[idx] = a
        return out

    grid = np.ix_(rows, cols)
    return Complexity(
        regions=regions,
        industries=industries,
        value=x,
        rca=full(r, (L, P), grid),
        mcp=full(m, (L, P), grid),
        diversity=full(d, L, rows),
        ubiquity=full(u, P, cols),
        eci=full(eci, L, rows),
        pci=full(pci, P, cols),
        proximity=full(ph, (P, P), np.ix_(cols, cols)),
        density=full(dens, (L, P), grid),
        coi=full(coi, L, rows),
        cog=full(cog, (L, P), grid),
        eigenvalue=lam,
    )


def _restrict_phi(phi: np.ndarray) -> np.ndarray:
    """A given proximity as ecomplexity uses a proximity edgelist: missing diagonal → 1, other gaps → 0."""
    phi = phi.copy()
    np.fill_diagonal(phi, np.where(np.isnan(np.diag(phi)), 1.0, np.diag(phi)))
    phi[np.isnan(phi)] = 0.0
    return phi


def reference_proximity(ref_regions, ref_industries, ref_values, industries, *, threshold: float = 1.0) -> np.ndarray:
    """φ over `industries` computed on a (larger) reference matrix given in long form. Industries the
    reference lacks get φ = 1 with themselves and 0 with the others."""
    _, ri, rx = long_to_matrix(ref_regions, ref_industries, ref_values)
    cols = np.nansum(rx, axis=0) != 0
    ri, rx = ri[cols], rx[:, cols]
    rows = np.nansum(rx, axis=1) != 0
    m = presence(rca(rx[rows]), threshold)
    phi_ref = proximity(m)
    industries = np.asarray(industries).astype(str)
    pos = {c: i for i, c in enumerate(ri.astype(str).tolist())}
    idx = np.array([pos.get(c, -1) for c in industries.tolist()], dtype=np.int64)
    have = idx >= 0
    out = np.full((len(industries), len(industries)), np.nan)
    out[np.ix_(have, have)] = phi_ref[np.ix_(idx[have], idx[have])]
    return _restrict_phi(out)


# ------------------------------------------------------------------------------------------ long form
def _factorize_sorted(labels) -> tuple[np.ndarray, np.ndarray]:
    """Codes and sorted distinct labels (as pandas.factorize(sort=True)). Text goes through Arrow's hash
    dictionary (2-3× faster than pandas); a column in runs (the regions of a region-major long table) or
    repeating one period (its industries) is encoded on one run or one period only."""
    import pandas as pd

    a = labels if isinstance(labels, (pd.Series, pd.Index)) else np.asarray(labels)
    try:
        arr = pa.array(a)
    except (pa.ArrowException, TypeError, ValueError):
        arr = None
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)) or arr.null_count:
        codes, uniq = pd.factorize(a, sort=True)
        return codes, np.asarray(uniq)
    n = len(arr)
    head = arr.slice(0, 64)
    runs = period = None
    if n > 256 and len(pc.unique(head)) <= 8:  # long runs of one label: encode the run heads only
        change = pc.not_equal(arr.slice(1), arr.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        runs = np.flatnonzero(np.r_[True, change])
        arr = arr.take(pa.array(runs))
    elif n > 256:  # one period repeated: encode the first period only
        again = np.flatnonzero(pc.equal(arr.slice(1, min(n - 1, 1 << 16)), arr[0]).to_numpy(zero_copy_only=False))
        k = int(again[0]) + 1 if len(again) else 0
        if k and n % k == 0 and arr.slice(k).equals(arr.slice(0, n - k)):  # compared in place, no mask built
            period, arr = k, arr.slice(0, k)
    enc = pc.dictionary_encode(arr)
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    uniq = np.asarray(enc.dictionary.to_pylist(), dtype=object)
    order = np.argsort(uniq, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[enc.indices.to_numpy(zero_copy_only=False)]
    if runs is not None:
        codes = np.repeat(codes, np.diff(np.r_[runs, n]))
    elif period is not None:
        codes = np.tile(codes, n // period)
    return codes, uniq[order]


def long_to_matrix(regions, industries, values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Long (region, industry, value) → sorted labels and the dense matrix (repeated cells summed)."""
    r_idx, rl = _factorize_sorted(regions)
    i_idx, il = _factorize_sorted(industries)
    return rl, il, _dense(r_idx, i_idx, values, len(rl), len(il))


def _dense(r_idx: np.ndarray, i_idx: np.ndarray, values, L: int, P: int) -> np.ndarray:
    """The L × P matrix of summed values from the cells' codes."""
    flat = r_idx * P if r_idx.dtype == np.int64 else r_idx.astype(np.int64) * P
    flat += i_idx
    return np.bincount(flat, weights=np.asarray(values, float), minlength=L * P).reshape(L, P)


def _floats(a: np.ndarray) -> pa.Array:
    """A float64 column, NaN as null (zero-copy when there is no NaN)."""
    a = np.ascontiguousarray(a, dtype=float)
    nan = np.isnan(a)
    return pa.array(a, pa.float64(), mask=nan) if nan.any() else pa.array(a, pa.float64())


def cells_table(cx: Complexity, labels: tuple[pa.Array, pa.Array] | None = None) -> pa.Table:
    """One row per region × industry: region, industry, value, rca, mcp, density, eci, pci, coi, cog,
    diversity, ubiquity (every cell of the rectangular grid, as ecomplexity returns). `labels`: the region and
    industry columns when the caller already holds them in this order (the input was the grid itself)."""
    L, P = cx.value.shape
    outside = np.isnan(cx.rca.ravel())  # a cell of an all-zero row or column: no values at all
    ridx = pa.array(np.repeat(np.arange(L, dtype=np.int32), P))
    cidx = pa.array(np.tile(np.arange(P, dtype=np.int32), L))
    if outside.any():
        rep = lambda a: _floats(np.where(outside, np.nan, np.repeat(a, P)))
        til = lambda a: _floats(np.where(outside, np.nan, np.tile(a, L)))
    else:  # a region's value down its row, an industry's down its column: gathered by Arrow (whose memory pool
        # reuses its buffers, where fresh NumPy copies would fault in new pages on every call)
        rep = lambda a: pc.take(_floats(a), ridx)
        til = lambda a: pc.take(_floats(a), cidx)
    mcp = cx.mcp.ravel()
    mcp_nan = np.isnan(mcp)
    mcp_int = np.where(mcp_nan, 0, mcp).astype(np.int64) if mcp_nan.any() else mcp.astype(np.int64)
    take = lambda a, idx: pc.take(pa.array(a.astype(str).tolist(), pa.string()), idx)
    region, industry = labels if labels is not None else (take(cx.regions, ridx), take(cx.industries, cidx))
    return pa.table(
        {
            "region": region,
            "industry": industry,
            "value": pa.array(cx.value.ravel(), pa.float64()),
            "rca": _floats(cx.rca.ravel()),
            "mcp": pa.array(mcp_int, mask=mcp_nan if mcp_nan.any() else None),
            "density": _floats(cx.density.ravel()),
            "eci": rep(cx.eci),
            "pci": til(cx.pci),
            "coi": rep(cx.coi),
            "cog": _floats(cx.cog.ravel()),
            "diversity": rep(cx.diversity),
            "ubiquity": til(cx.ubiquity),
        }
    )


def complexity_long(regions, industries, values, *, threshold: float = 1.0, phi=None) -> pa.Table:
    """Every measure of every cell (cells_table) from a long table: region, industry, value (repeated cells
    summed). When the input is the grid itself in cells_table's order (region-major, each region listing every
    industry in sorted order — what ecomplexity is given, and what a pivoted matrix gives) the matrix is the
    values reshaped and the output's label columns are the input's."""
    r_idx, rl = _factorize_sorted(regions)
    i_idx, il = _factorize_sorted(industries)
    L, P = len(rl), len(il)
    labels = None
    if len(r_idx) == L * P and _grid_ordered(r_idx, i_idx, L, P):
        x = np.asarray(values, float).reshape(L, P)
        r, i = _labels_as_arrow(regions), _labels_as_arrow(industries)
        labels = (r, i) if r is not None and i is not None else None
    else:
        x = _dense(r_idx, i_idx, values, L, P)
    return cells_table(complexity(x, rl, il, threshold=threshold, phi=phi), labels)


def _grid_ordered(r_idx: np.ndarray, i_idx: np.ndarray, L: int, P: int) -> bool:
    """Whether the codes are (0, 0), (0, 1) … (0, P−1), (1, 0) … : every cell once, region-major."""
    return bool((r_idx.reshape(L, P) == np.arange(L)[:, None]).all() and (i_idx.reshape(L, P) == np.arange(P)).all())


def _labels_as_arrow(a) -> pa.Array | None:
    try:
        arr = pa.array(a)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    return arr.cast(pa.string())


class MatrixError(AnalyticsError):
    """A matrix CSV the user brought that cannot be read (message names the row and column)."""


def read_matrix_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A CSV with columns region, industry, value (header row; other columns ignored) → three arrays.
    Row numbers in messages are the file's line numbers (the header is line 1)."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise MatrixError(f"no matrix file at {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True, index_col=False
            )
    except (pd.errors.ParserWarning, pd.errors.ParserError) as e:
        raise MatrixError(f"{path.name}: {_ragged_row(path) or 'cannot parse as CSV: ' + str(e).strip()}") from None
    except UnicodeDecodeError:
        raise MatrixError(f"{path.name}: not UTF-8 text (save the CSV as UTF-8)") from None
    except pd.errors.EmptyDataError:
        raise MatrixError(f"{path.name}: the file is empty (want a header row: region,industry,value)") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in ("region", "industry", "value") if c not in df.columns]
    if missing:
        raise MatrixError(
            f"{path.name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(header has {', '.join(df.columns) or 'nothing'}; want region,industry,value)"
        )
    if df.empty:
        raise MatrixError(f"{path.name}: no rows under the header")
    for col in ("region", "industry"):
        s = df[col].str.strip()
        bad = np.flatnonzero((s == "").to_numpy())
        if len(bad):
            raise MatrixError(f"{path.name}: row {bad[0] + 2}, column {col}: empty")
        df[col] = s
    raw = df["value"].str.strip()
    val = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(val))
    if len(bad):
        i = bad[0]
        raise MatrixError(f"{path.name}: row {i + 2}, column value: {raw.iloc[i]!r} is not a number")
    neg = np.flatnonzero(val < 0)
    if len(neg):
        raise MatrixError(f"{path.name}: row {neg[0] + 2}, column value: {raw.iloc[neg[0]]} is negative")
    dup = df.duplicated(["region", "industry"], keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        first = df.iloc[rows[0]]
        same = rows[
            (df["region"].iloc[rows] == first["region"]).to_numpy()
            & (df["industry"].iloc[rows] == first["industry"]).to_numpy()
        ]
        raise MatrixError(
            f"{path.name}: rows {same[0] + 2} and {same[1] + 2} both give region "
            f"{first['region']!r}, industry {first['industry']!r}"
        )
    if not (val > 0).any():
        raise MatrixError(f"{path.name}: every value is 0")
    return df["region"].to_numpy(dtype=object).astype(str), df["industry"].to_numpy(dtype=object).astype(str), val


def _ragged_row(path: Path) -> str | None:
    """The first line with more fields than the header (for the error message)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            for line, row in enumerate(reader, start=2):
                if len(row) > len(header):
                    return f"row {line} has {len(row)} fields, the header has {len(header)}"
    except (csv.Error, UnicodeDecodeError):
        return None
    return None


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


def _reasons(idx, val, industries, names, lang: str = "en") -> np.ndarray:
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


def _codes(idx, industries) -> np.ndarray:
    lab = np.array(list(industries.tolist()) + [""], dtype=object)
    out = lab[idx[:, :, 0]]
    for j in range(1, idx.shape[2]):
        nxt = lab[idx[:, :, j]]
        out = np.where(nxt != "", out + "," + nxt, out)
    return out


# ------------------------------------------------------------------------------------------ warehouse
def _policy(ctx, industries: np.ndarray, regions: np.ndarray, tier_order: str):
    """Clusters of the city system and what the pack says about them, as dense arrays:
    S (K × P shares), tier score per cluster (K), target score per region × cluster (L × K)."""
    from .specialisation import city_clusters, map_day

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


def evaluate(ctx) -> dict[str, pa.Table]:
    """For ctx.year: `complexity` (region × industry), `complexity_region`, `complexity_industry`
    and `recommendation` (ranked candidates, industries and clusters) with the options' profile."""
    from .specialisation import region_industry

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
    from .specialisation import with_map

    out = tables_for(
        cx,
        region_names,
        ind_names,
        _policy(ctx, industries, regions, weights["tier_order"]),
        weights,
        prof_name,
        ind_names_en=ind_names_en,
    )
    return {k: with_map(t, ctx) for k, t in out.items()}


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
    """The result tables from the measures of a matrix and the policy arrays (_policy). Recommendations carry
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
            _codes(idx, I),
            _reasons(idx, val, I, names_en),
            prof_name,
            _reasons(idx, val, I, ind_names, "zh"),
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
                _codes(kidx, I),
                _reasons(kidx, kval, I, names_en),
                prof_name,
                _reasons(kidx, kval, I, ind_names, "zh"),
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
    from .specialisation import map_day, resolve_region

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
