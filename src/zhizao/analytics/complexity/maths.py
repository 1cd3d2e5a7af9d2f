"""The maths of relatedness and complexity on a dense region × industry matrix: RCA, presence, diversity and
ubiquity, ECI/PCI, proximity, density, COI and COG — NumPy, vectorised. Regions and industries whose whole row or
column is 0 are left out of every calculation (their cells come out empty).

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

A proximity from a larger reference matrix (reference_proximity, analytics/complexity/matrix.py) replaces φ in
density, COI and COG; restrict_phi gives it ecomplexity's edgelist conventions.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


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
        return np.divide(num, loc_total / world_total, out=num)  # in place: num is this call's own array


def presence(r: np.ndarray, threshold: float = 1.0, out: np.ndarray | None = None) -> np.ndarray:
    """M: 1.0 where RCA ≥ threshold, else 0.0 (written into `out` when given)."""
    out = np.empty(r.shape) if out is None else out
    if threshold > 0:  # NaN ≥ t is false, as 0 ≥ t is: no nan_to_num pass needed
        return np.greater_equal(r, threshold, out=out, casting="unsafe")
    return np.greater_equal(np.nan_to_num(r), threshold, out=out, casting="unsafe")


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
    b = mv / sd[:, None]
    b /= su[None, :]  # = mv / sd / su, bit for bit, in one array
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
    # M is written into the top half of the array the density and COG product reads (below), when φ is its own
    n = xs.shape[0]
    stack = np.empty((2 * n, xs.shape[1])) if phi is None and not manual else None
    m = xs if manual else presence(r, threshold, out=None if stack is None else stack[:n])
    d, u = m.sum(axis=1), m.sum(axis=0)
    kc, kp, lam = eigen_complexity(m)
    if phi is None:
        ph, symmetric = proximity(m, binary=None if manual else True), True
    else:
        ph = restrict_phi(np.asarray(phi, float)[cols][:, cols])
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
            if stack is None:
                stack = np.empty((2 * n, m.shape[1]))
                stack[:n] = m
            np.multiply(not_m, a[np.newaxis, :], out=stack[n:])
            both = stack @ ph
            dens = np.divide(both[:n], den[np.newaxis, :], out=both[:n])
            cog = np.multiply(not_m, both[n:], out=both[n:])
        else:
            dens = m @ (ph.T / den[np.newaxis, :])
            cog = not_m * (not_m @ (ph * a[:, np.newaxis]))
        coi = np.multiply(dens, not_m, out=not_m) @ kp0  # in place: 1 − M is not needed again
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


def restrict_phi(phi: np.ndarray) -> np.ndarray:
    """A given proximity as ecomplexity uses a proximity edgelist: missing diagonal → 1, other gaps → 0."""
    phi = phi.copy()
    np.fill_diagonal(phi, np.where(np.isnan(np.diag(phi)), 1.0, np.diag(phi)))
    phi[np.isnan(phi)] = 0.0
    return phi
