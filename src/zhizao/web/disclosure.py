"""Cell suppression as statistical offices do it: primary and secondary (complementary) suppression.

Pure functions over cells and the linear relations between them; web/suppression.py gathers the cells from
the warehouse and the result tables and applies the outcome to rows.

A *cell* is one aggregate figure group — the money figures of one region × unit × year on one map, say —
with the number of firms it sums over. A *relation* says a total cell equals a weighted sum of part cells
(a group = the sum of its counties; a tier = the sum of its clusters; a cluster = Σ share × its
industries). Relations are checked on the figures themselves before they are used, so only sums that really
hold are defended against (and every sum that holds is).

Primary suppression (the rule of DESIGN.md "Access"): a cell over 1 or 2 firms is blanked for viewers who
may not see those firms one by one.

Secondary suppression (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4; the
"hypercube" and modular methods of τ-ARGUS, here in their simple greedy form with an exact audit):
whenever a cell is blanked, enough other cells of every relation it belongs to are blanked too, so that

  1. no relation has exactly one blanked cell (else total − shown parts = the blanked cell), and
  2. the blanked cells of a relation cover at least MIN_FIRMS firms together (else their sum, which the
     relation gives away, is itself a small aggregate: two single-firm cells blanked together would let
     either firm read the other's figure);
  3. no blanked cell is determined by all relations together (the audit: a blanked cell is recovered
     exactly when its unit vector lies in the row space of the relation matrix restricted to the blanked
     cells, i.e. when every null vector of that matrix is 0 at the cell; checked exactly by elimination
     modulo a large prime, and complements added until no blanked cell is determined).

Complements are chosen among cells the viewer does not already know (a district user knows the cells of its
own region), preferring cells that bring enough firms, then the smallest figure (least information lost).
Cells over 0 firms are never complements: their figure is known to be 0.

Worked example (the issue's reproduction): a cluster has a province total of 977 firms and 37 county rows;
county A holds 2 firms. Blanking A alone lets total − Σ shown counties = A. The relation county→province
gets a second blanked county B (the smallest with ≥ 1 firm); A and B each sit in their group's relation
too, so a county of each group is blanked alongside (or the group row), and the audit confirms that neither
A nor B is determined by the province, group and tier relations together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

MIN_FIRMS = 3


@dataclass
class Problem:
    """Cells 0..n-1 and relations between them. A relation is (cells, coefficients), meaning
    Σ coefficient × cell = 0 (a total has coefficient −1, its parts their weights)."""

    firms: np.ndarray  # int64; -1 = unknown
    weight: np.ndarray  # float64; cost of blanking (the size of the figure)
    relations: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    # sets of relations that hold for one same measure (only those can be combined); None: all together
    families: list[list[int]] | None = None

    @property
    def n(self) -> int:
        return len(self.firms)

    def mod_relations(self) -> list[tuple[list[int], list[int]]]:
        """The relations with their coefficients mod P (computed once)."""
        if getattr(self, "_mod_rel", None) is None:
            self._mod_rel = [
                ([int(c) for c in cells], [_mod(float(k)) for k in coefs]) for cells, coefs in self.relations
            ]
        return self._mod_rel

    def by_cell(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in range(self.n)]
        for r, (cells, _) in enumerate(self.relations):
            for c in cells:
                out[int(c)].append(r)
        return out


@dataclass
class Outcome:
    blanked: np.ndarray  # bool per cell
    unprotected: list[int]  # blanked cells that could not be protected (no cell left to blank beside them)


def primary(problem: Problem, known: np.ndarray) -> np.ndarray:
    """Cells over 1 or 2 firms that the viewer does not know already."""
    f = problem.firms
    return (f > 0) & (f < MIN_FIRMS) & ~known


def protect(
    problem: Problem,
    first: np.ndarray,
    known: np.ndarray,
    *,
    start: np.ndarray | None = None,
    max_rounds: int = 100,
) -> Outcome:
    """Blank `first` (the primary cells) and enough complements that rules 1–3 hold. `known` cells are never
    blanked (the viewer sees them anyway); `start` is an earlier outcome to build on (a district viewer starts
    from the public pattern).

    Rule 3 is repaired with the attacker's own certificate: for a determined cell j the elimination also
    yields the combination y of relations that isolates it (y·A = e_j on the blanked cells). Blanking a shown
    cell k whose net coefficient Σ_r y_r·A[r, k] is not 0 puts a new unknown into that combination, so the
    cheapest such k is blanked; the audit runs again until no cell is determined."""
    blanked = (first | (start if start is not None else False)) & ~known
    rels = problem.by_cell()
    unprotected: set[int] = set()
    _greedy(problem, blanked, known, rels, range(len(problem.relations)))
    for _ in range(max_rounds):
        certs = _audit(problem, blanked)
        certs = {j: y for j, y in certs.items() if j not in unprotected}
        if not certs:
            break
        added = []
        for j, y in certs.items():
            if any(problem_net(problem, y, k) for k in added):
                continue  # an earlier complement of this round already broke this combination
            k = _breaker(problem, blanked, known, y)
            if k is None:
                unprotected.add(j)
                continue
            blanked[k] = True
            added.append(k)
        if not added:
            break
        _greedy(problem, blanked, known, rels, {r for k in added for r in rels[k]})
    return Outcome(blanked, sorted(unprotected))


def problem_net(problem: Problem, y: dict[int, int], cell: int) -> int:
    """The net coefficient (mod P) of `cell` in the combination y of relations."""
    mod = problem.mod_relations()
    tot = 0
    for r, yr in y.items():
        for c, k in zip(*mod[r]):
            if c == cell:
                tot = (tot + yr * k) % P
    return tot


def _breaker(problem: Problem, blanked: np.ndarray, known: np.ndarray, y: dict[int, int]) -> int | None:
    """The cheapest shown cell that may be blanked and has a non-zero net coefficient in combination y."""
    net: dict[int, int] = defaultdict(int)
    mod = problem.mod_relations()
    for r, yr in y.items():
        for c, k in zip(*mod[r]):
            if not blanked[c]:
                net[c] = (net[c] + yr * k) % P
    cands = [c for c, v in net.items() if v and not known[c] and problem.firms[c] != 0]
    if not cands:
        return None
    f = problem.firms
    return min(cands, key=lambda c: (problem.weight[c], -int(f[c])))


def _candidates(problem: Problem, blanked: np.ndarray, known: np.ndarray, cells: np.ndarray) -> np.ndarray:
    f = problem.firms[cells]
    ok = ~blanked[cells] & ~known[cells] & (f != 0)
    return cells[ok]


def _pick(problem: Problem, cands: np.ndarray, need: int) -> int:
    """The cheapest candidate bringing at least `need` firms, else the cheapest one."""
    f = problem.firms[cands]
    enough = cands[(f >= need) | (f < 0)] if need > 0 else cands
    pool = enough if len(enough) else cands
    return int(pool[np.argmin(problem.weight[pool])])


def _greedy(problem: Problem, blanked: np.ndarray, known: np.ndarray, rels: list[list[int]], todo) -> None:
    """Rules 1 and 2 on every relation in `todo` and on every relation a new complement touches."""
    queue = list(todo)
    seen_round: dict[int, int] = defaultdict(int)
    while queue:
        r = queue.pop()
        cells, _ = problem.relations[r]
        b = cells[blanked[cells]]
        if len(b) == 0:
            continue
        f = problem.firms[b]
        total = int(np.clip(f, 0, None).sum())
        if len(b) >= 2 and total >= MIN_FIRMS:
            continue
        seen_round[r] += 1
        if seen_round[r] > len(cells) + 2:
            continue  # nothing more to blank here
        cands = _candidates(problem, blanked, known, cells)
        if len(cands) == 0:
            continue
        c = _pick(problem, cands, MIN_FIRMS - total)
        blanked[c] = True
        queue.append(r)
        queue.extend(rels[c])


def determined(problem: Problem, blanked: np.ndarray) -> list[int]:
    """Blanked cells that the relations determine exactly from the shown cells (what a differencing attacker
    recovers)."""
    return sorted(_audit(problem, blanked))


def _audit(problem: Problem, blanked: np.ndarray) -> dict[int, dict[int, int]]:
    """Determined blanked cells, each with the combination of relations that isolates it ({relation: y}).

    x_j is determined when e_j lies in the row space of the relations restricted to the blanked cells.
    Computed exactly, by sparse Gauss–Jordan elimination over the integers modulo the prime P = 2^61 − 1
    (coefficients are sums of ±1 and the pack's industry shares, taken as fractions): in the reduced row
    echelon form, e_j is in the row space exactly when j is a pivot whose row has no other entry, and the
    row's history is the combination. (A rank that differed modulo P from the rank over the rationals would
    need P to divide a minor — with P ≈ 2.3e18, not a practical concern.)"""
    mod = problem.mod_relations()
    restricted: dict[int, dict[int, int]] = {}
    for r, (cells, _coefs) in enumerate(problem.relations):
        if blanked[cells].any():
            row: dict[int, int] = {}
            for c, k in zip(*mod[r]):
                if blanked[c]:
                    v = (row.get(c, 0) + k) % P
                    if v:
                        row[c] = v
                    else:
                        row.pop(c, None)
            if row:
                restricted[r] = row
    out: dict[int, dict[int, int]] = {}
    families = problem.families if problem.families is not None else [list(range(len(problem.relations)))]
    for fam in families:
        rows = [(r, restricted[r]) for r in fam if r in restricted]
        for c, y in _rref_singletons(rows).items():
            out.setdefault(c, y)
    return out


P = (1 << 61) - 1


_MOD_CACHE: dict[float, int] = {1.0: 1, -1.0: P - 1}


def _mod(c: float) -> int:
    """A coefficient as an element of the integers mod P (through the nearest fraction)."""
    v = _MOD_CACHE.get(c)
    if v is None:
        f = Fraction(c).limit_denominator(10**9)
        v = _MOD_CACHE[c] = f.numerator % P * pow(f.denominator, P - 2, P) % P
    return v


def _rref_singletons(rows: list[tuple[int, dict[int, int]]]) -> dict[int, dict[int, int]]:
    """Pivot columns whose row of the reduced row echelon form (mod P) is the unit vector, with that row's
    history (which original rows, with which factors, sum to it)."""
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its row (pivot coefficient 1)
    history: dict[int, dict[int, int]] = {}  # pivot column -> {original row: factor}
    holders: dict[int, set[int]] = defaultdict(set)  # column -> pivots whose row has an entry there

    def sub(a: dict[int, int], b: dict[int, int], f: int) -> None:  # a -= f·b (mod P)
        for k, v in b.items():
            nv = (a.get(k, 0) - f * v) % P
            if nv:
                a[k] = nv
            else:
                a.pop(k, None)

    for rid, row in sorted(rows, key=lambda x: len(x[1])):
        r, h = dict(row), {rid: 1}
        while True:
            hit = [c for c in r if c in pivots]
            if not hit:
                break
            for c in hit:
                f = r.get(c)
                if f:
                    sub(r, pivots[c], f)
                    sub(h, history[c], f)
        if not r:
            continue
        pc = min(r, key=lambda k: len(holders[k]))
        inv = pow(r[pc], P - 2, P)
        r = {k: v * inv % P for k, v in r.items()}
        h = {k: v * inv % P for k, v in h.items()}
        for q in list(holders[pc]):  # keep every pivot row reduced
            rq = pivots[q]
            f = rq.get(pc)
            if not f:
                continue
            before = set(rq)
            sub(rq, r, f)
            sub(history[q], h, f)
            for k in set(rq) - before:
                holders[k].add(q)
            for k in before - set(rq):
                holders[k].discard(q)
        pivots[pc], history[pc] = r, h
        for k in r:
            holders[k].add(pc)
    return {c: history[c] for c, r in pivots.items() if len(r) == 1}
