"""Calibrate a location x industry matrix of totals to published figures (raking).

The demo warehouse's totals are fixed before any firm exists: a matrix M[l, i] (l = location: a
district outside parks, or one park; i = leaf industry) per year, made to satisfy every published
figure the pack asks to match, then shared out among the cell's firms.

Each constraint is linear in M with non-negative coefficients W:

    sum:    sum_{l,i} W[l,i] M[l,i] = T
    share:  sum_{l,i} W[l,i] S[l,i] M[l,i] / sum_{l,i} W[l,i] M[l,i] = s     (S = 0/1 subset)

Raking (iterative proportional fitting, Deming and Stephan 1940; generalised to arbitrary
non-negative subset sums by Darroch and Ratcliff 1972) meets them one after another: a sum
constraint multiplies every cell of its support by T / current, which meets it exactly; a share
constraint multiplies the subset by s*total/part and the rest of the support by (1-s)*total/rest,
which keeps the total. Cycling converges when a non-negative solution with M's zero pattern exists.
Cells outside every support keep their prior.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...errors import ZhizaoError


class CalibrationError(ZhizaoError, ValueError):
    """The published figures cannot all be met with the demo's firms (names the figures)."""


@dataclass
class Constraint:
    name: str  # the figure id, for messages
    weights: np.ndarray  # W, shape of M, >= 0
    target: float  # T for a sum; s (0..1) for a share
    subset: np.ndarray | None = None  # S for a share constraint (bool, shape of M)
    achieved: float = field(default=float("nan"))

    @property
    def is_share(self) -> bool:
        return self.subset is not None

    def value(self, m: np.ndarray) -> float:
        total = float((self.weights * m).sum())
        if not self.is_share:
            return total
        return float((self.weights * self.subset * m).sum()) / total if total > 0 else float("nan")

    def error(self, m: np.ndarray) -> float:
        v = self.value(m)
        if self.is_share:
            return abs(v - self.target)
        return abs(v - self.target) / abs(self.target) if self.target else abs(v)


def rake(prior: np.ndarray, constraints: list[Constraint], *, tol: float = 1e-10, max_iter: int = 2000) -> np.ndarray:
    """Scale `prior` until every constraint holds within `tol` (relative for sums, absolute for shares)."""
    m = np.array(prior, dtype=float, copy=True)
    if (m < 0).any():
        raise ValueError("prior must be non-negative")
    for c in constraints:
        support = c.weights > 0
        if not (support & (m > 0)).any():
            raise CalibrationError(f"figure {c.name}: no firm in the demo falls in its scope")
        if c.is_share and not ((c.subset & support & (m > 0)).any() and ((~c.subset) & support & (m > 0)).any()):
            raise CalibrationError(f"figure {c.name}: a share needs firms both inside and outside the group")
    if not constraints:
        return m
    for _ in range(max_iter):
        for c in constraints:
            w = c.weights
            if c.is_share:
                inside = w * c.subset
                part = float((inside * m).sum())
                total = float((w * m).sum())
                rest = total - part
                f_in = c.target * total / part
                f_out = (1 - c.target) * total / rest
                factor = np.where(c.subset, f_in, f_out)
                m = np.where(w > 0, m * factor, m)
            else:
                cur = float((w * m).sum())
                m = np.where(w > 0, m * (c.target / cur), m)
        worst = max(c.error(m) for c in constraints)
        if worst < tol:
            break
    for c in constraints:
        c.achieved = c.value(m)
    bad = [c for c in constraints if c.error(m) > 1e-6]
    if bad:
        raise CalibrationError(
            "published figures conflict and cannot all be met: "
            + ", ".join(f"{c.name} (wanted {c.target:.6g}, reached {c.achieved:.6g})" for c in bad)
        )
    return m
