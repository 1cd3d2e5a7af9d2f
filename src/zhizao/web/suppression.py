"""Which aggregate figures a viewer sees blanked: web/disclosure.py's primary and secondary suppression applied
to everything the web can show — every aggregate result view (their row shapes in web/shapes.py) and the
region figures of /api/v1/figures — so the same figure is blanked the same way in JSON, CSV, pages and
reports, whichever table or filter it is read through.

How it works, per data year t (cells of different years are never tied by a sum, so each year is solved on
its own, and a figure of year t is decided once whether it shows as this year's figure, as next year's
`_prev` column or as a shift-share base):

1. Gather every cell of year t from every stored result (the latest finished run of each result year) and
   from the warehouse's region totals (both maps).
2. Tie cells that are the same figure: the same key from two tables, and the same region and unit on two
   maps when their figures agree (a county untouched by a merger looks the same on both).
3. Build the relations that might hold — region totals over each level of descendants, a park's county over
   its parks, a tier over its clusters, a cluster over Σ share × its industries, a region's total over its
   industries, a chain over its nodes, a city 亩均 total over its classes, a leader's purchases over its
   supplier flows — and keep those the figures satisfy.
4. Solve for the public (no own region) and, starting from that, for each district's scope (its own cells
   are known to it, so complements must lie elsewhere). Cached per data generation.

Rows whose cell is not in the gathered set (nothing else shows it) fall back to the plain small-count rule.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from . import disclosure as D
from .shapes import FIGURES, CellRef, RowCells, region_figures
from .views import REGISTRY, View, all_rows, years
from .warehouse import Warehouse

MAX_EXACT = 1e-6  # relative tolerance of a sum that holds


@dataclass
class Universe:
    """The cells of one data year and the relations between them."""

    year: int
    keys: dict[tuple, int]  # key -> group
    group_firms: np.ndarray
    group_owner: list[str | None]
    group_shown: np.ndarray
    problem: D.Problem
    variants: dict[tuple, list[tuple[int, dict]]]  # keys with disagreeing copies: [(group, figures)]

    def groups_of(self, cell: CellRef) -> list[int]:
        """The group of the cell; for a key held in disagreeing copies, the copy with the cell's figures — or,
        for a look-up without figures, every copy (blanked when any is)."""
        g = self.keys.get(cell.key)
        if g is None:
            return []
        v = self.variants.get(cell.key)
        if not v:
            return [g]
        mine = dict(cell.values)
        if mine:
            hit = [grp for grp, vals in v if _agree_or_blank(vals, mine)]
            return hit[:1] or [g]
        return [grp for grp, _ in v]

    def known(self, own: frozenset[str] | None) -> np.ndarray:
        k = self.group_shown.copy()
        if own:
            k |= np.array([o in own for o in self.group_owner], dtype=bool)
        return k


class Disclosure:
    """The blanking decisions of one warehouse (one per server process)."""

    def __init__(self, wh: Warehouse):
        self.wh = wh
        self._locks: dict[int, threading.RLock] = {}  # one per data generation: warming the next one (web/serving.py)
        self._guard = threading.Lock()  # does not hold up requests still reading the current one

    def _lock(self) -> threading.RLock:
        gen = self.wh.generation
        with self._guard:
            lock = self._locks.get(gen)
            if lock is None:
                for g in [g for g in self._locks if g < gen - 1]:
                    del self._locks[g]
                lock = self._locks[gen] = threading.RLock()
            return lock

    # ------------------------------------------------------------------------------ environment
    def env(self) -> SimpleNamespace:
        def sections():
            if not self.wh.table_exists("cluster_figures"):
                return None
            return self.wh.scalar("SELECT unit_id FROM cluster_figures WHERE scope = 'sections' LIMIT 1")

        return SimpleNamespace(root=self.wh.root(), sections_unit=self.wh.cached(("disclosure", "sections"), sections))

    # ------------------------------------------------------------------------------ the cells
    def _cells(self) -> dict[int, list[CellRef]]:
        def gather():
            by_year: dict[int, list[CellRef]] = defaultdict(list)
            env = self.env()
            for view in REGISTRY.values():
                if view.cells is None:
                    continue
                for y in years(self.wh, view.table):
                    for row in all_rows(self.wh, view, y):
                        for cell in view.cells(row, env).cells.values():
                            if not cell.lookup:
                                by_year[cell.key[0]].append(cell)
            for mapping in ("current", "recorded"):
                for row in region_totals(self.wh, mapping):
                    cell = region_figures(row, mapping).cells["cur"]
                    by_year[cell.key[0]].append(cell)
            return dict(by_year)

        return self.wh.cached(("disclosure", "cells"), gather)

    def universe(self, year: int) -> Universe | None:
        def build():
            cells = self._cells().get(year)
            return _universe(year, cells, self.wh, lambda key: self.count(key)) if cells else None

        with self._lock():
            return self.wh.cached(("disclosure", "universe", year), build)

    def blanked(self, year: int, own: frozenset[str] | None) -> tuple[Universe | None, np.ndarray | None]:
        u = self.universe(year)
        if u is None:
            return None, None

        def solve():
            known = u.known(own) | self._all_own(u, own)
            first = D.primary(u.problem, known)
            start = None if not own else self.blanked(year, None)[1]
            return D.protect(u.problem, first, known, start=start).blanked

        with self._lock():
            return u, self.wh.cached(("disclosure", "blanked", year, own), solve)

    def _all_own(self, u: Universe, own: frozenset[str] | None) -> np.ndarray:
        """Cells whose firms all lie in the viewer's own regions (a group total that holds only its own
        county's firms, say): nothing in them is hidden from this viewer."""
        out = np.zeros(u.problem.n, dtype=bool)
        if not own:
            return out
        anc = self.wh.ancestors()
        acc: dict[tuple, int] = defaultdict(int)
        for (y, mp, place, unit), g in u.keys.items():
            if place in own and u.group_firms[g] > 0:
                for a in anc.get(place, [place])[1:]:
                    acc[(y, mp, a, unit)] += int(u.group_firms[g])
        for key, n in acc.items():
            g = u.keys.get(key)
            if g is not None and u.group_firms[g] == n:
                out[g] = True
        return out

    # ------------------------------------------------------------------------------ rows
    def is_blanked(self, cell: CellRef, own: frozenset[str] | None) -> bool:
        if own and cell.owner in own or cell.shown:
            return False
        u, b = self.blanked(cell.key[0], own)
        if u is not None:
            gs = u.groups_of(cell)
            if gs:
                return any(bool(b[g]) for g in gs)
        f = cell.firms if cell.firms is not None else self.count(cell.key)
        return f is not None and 0 < f < D.MIN_FIRMS

    def count(self, key: tuple) -> int | None:
        """Firms of a region × unit cell on the map of a year's end (specialisation, complexity, shift-share
        keys), counted in the warehouse: base years and the years between carry no count of their own."""
        year, mp, place, unit = key
        if not (isinstance(mp, str) and mp.startswith(("yearend-", "map-")) and isinstance(unit, str)):
            return None
        on = mp.split("-", 1)[1]  # a year (the map of its last day) or 'current' / 'recorded'
        counts = region_unit_counts(self.wh, int(year), int(on) if on.isdigit() else on)
        if unit.startswith("ind:"):
            return counts.get((place, unit[4:]), 0)
        if unit == "*":
            return counts.get((place, "*"), 0)
        _, shares = _unit_meta(self.wh)
        if unit in shares:
            return sum(counts.get((place, i), 0) for i, s in shares[unit].items() if s > 0)
        return None

    def apply(self, rows: list[dict], shape, own: frozenset[str] | None) -> int:
        """Blank, in place, every column of `rows` computed from a blanked cell; marks such rows
        `suppressed: true`; returns how many rows were touched. `shape(row) -> RowCells`."""
        n = 0
        for r in rows:
            rc: RowCells = shape(r)
            out = {role for role, cell in rc.cells.items() if self.is_blanked(cell, own)}
            if not out:
                continue
            touched = False
            for col, roles in rc.columns.items():
                if col in r and out.intersection(roles):
                    if r[col] is not None:
                        touched = True
                    r[col] = None
            if touched or "cur" in out or "node" in out or "flow" in out:
                r["suppressed"] = True
                n += 1
        return n

    def apply_view(self, view: View, rows: list[dict], own: frozenset[str] | None) -> int:
        env = self.env()
        return self.apply(rows, lambda r: view.cells(r, env), own)


# ---------------------------------------------------------------------------------------------- building
def region_totals(wh: Warehouse, mapping: str) -> list[dict]:
    """The region totals /api/v1/figures shows: the clusters instrument's stored region_figures
    (web/regionfigures.py; none before `zhizao evaluate`)."""
    from . import regionfigures

    def load():
        return [
            {"region_code": r["region_code"], "year": r["year"], "firms": r["firms"], **{c: r.get(c) for c in FIGURES}}
            for r in regionfigures.rows(wh, mapping)
        ]

    return wh.cached(("disclosure", "region_totals", mapping), load)


def region_unit_counts(wh: Warehouse, year: int, on: int | str) -> dict[tuple[str, str], int]:
    """(place, industry or '*') -> firms with figures in `year`, placed on a region map — 'current' (today's),
    'recorded', or a year (the map of its last day) — for every county and each of its ancestors."""

    def load():
        if on == "current":
            m = "SELECT code, current_code FROM region_current"
        elif on == "recorded":
            m = "SELECT code, code AS current_code FROM region"
        else:
            m = f"SELECT code, current_code FROM region_map(DATE '{int(on):04d}-12-31')"
        rows = wh.rows(
            f"""
            WITH m AS ({m})
            SELECT coalesce(m.current_code, e.region_code) AS county, e.industry_code AS industry, count(*) AS n
            FROM enterprise_year y JOIN enterprise e ON e.uscc = y.uscc LEFT JOIN m ON m.code = e.region_code
            WHERE y.year = ? GROUP BY ALL""",
            [int(year)],
        )
        anc = wh.ancestors()
        out: dict[tuple[str, str], int] = defaultdict(int)
        for r in rows:
            for place in anc.get(r["county"], [r["county"]]):
                out[(place, r["industry"])] += int(r["n"])
                out[(place, "*")] += int(r["n"])
        return dict(out)

    return wh.cached(("disclosure", "counts", year, on), load)


class _Union:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[rb] = ra


def _agree_or_blank(a: dict, b: dict) -> bool:
    """Same figures where both have one (or nothing to compare)."""
    return all(_close(a[m], b[m]) for m in a.keys() & b.keys())


def _agree(a: dict, b: dict) -> bool:
    shared = a.keys() & b.keys()
    return bool(shared) and all(_close(a[m], b[m]) for m in shared)


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= MAX_EXACT * max(1.0, abs(x), abs(y)) + 1e-6


def _universe(year: int, cells: list[CellRef], wh: Warehouse, count=None) -> Universe:
    # 1. one record per key
    index: dict[tuple, int] = {}
    firms: list[int | None] = []
    values: list[dict] = []
    owner: list[str | None] = []
    shown: list[bool] = []
    parent: list[str | None] = []
    tag: list[str | None] = []
    variants: dict[tuple, list[int]] = defaultdict(list)  # a key whose figures disagree between tables
    for c in cells:
        i = index.get(c.key)
        if i is not None and not _agree_or_blank(values[i], dict(c.values)):
            i = next((j for j in variants[c.key] if _agree_or_blank(values[j], dict(c.values))), None)
            if i is None:  # a stale copy (a result evaluated before an import): a cell of its own
                i = len(firms)
                variants[c.key].append(i)
                firms.append(c.firms)
                values.append(dict(c.values))
                owner.append(c.owner)
                shown.append(c.shown)
                parent.append(c.parent)
                tag.append(c.tag)
                continue
        if i is None:
            i = index[c.key] = len(firms)
            variants[c.key].append(i)
            firms.append(c.firms)
            values.append(dict(c.values))
            owner.append(c.owner)
            shown.append(c.shown)
            parent.append(c.parent)
            tag.append(c.tag)
            continue
        if c.firms is not None:
            firms[i] = c.firms if firms[i] is None else max(firms[i], c.firms)
        for m, v in c.values:
            values[i].setdefault(m, v)
        shown[i] = shown[i] or c.shown
        owner[i] = owner[i] or c.owner
        parent[i] = parent[i] or c.parent
        tag[i] = tag[i] or c.tag
    n = len(firms)
    if count is not None:  # cells that carry no count (base years): count them in the warehouse
        for k, recs in variants.items():
            for i in recs:
                if firms[i] is None:
                    firms[i] = count(k)
    uf = _Union(n)
    # 2. the same figure on two maps
    same: dict[tuple, list[int]] = defaultdict(list)
    for k, i in index.items():
        same[(k[2], k[3])].append(i)
    for idx in same.values():
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                if _agree(values[i], values[j]):  # an attacker ties them by the figure alone
                    uf.union(i, j)
    # 3. candidate relations, kept when they hold
    rels: list[tuple[int, list[tuple[int, float]]]] = []
    regions = wh.regions()
    anc = {c: set(a[1:]) for c, a in wh.ancestors().items()}
    by_mu: dict[tuple, dict[str, int]] = defaultdict(dict)  # (map, unit) -> place -> cell
    by_mp: dict[tuple, dict] = defaultdict(dict)  # (map, place) -> unit -> cell
    for k, i in index.items():
        by_mu[(k[1], k[3])][k[2]] = i
        by_mp[(k[1], k[2])][k[3]] = i
    for (_mp, _unit), places in by_mu.items():
        below: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))  # place -> level -> cells
        for c in places:
            if isinstance(c, str) and c in regions:
                for a in anc.get(c, ()):
                    if a in places:
                        below[a][regions[c].level].append(places[c])
        for p, levels in below.items():
            for parts in levels.values():
                rels.append((places[p], [(i, 1.0) for i in parts]))
        kids: dict[str, list[int]] = defaultdict(list)
        for i in places.values():
            if parent[i]:
                kids[parent[i]].append(i)
        for p, parts in kids.items():
            if p in places:
                rels.append((places[p], [(i, 1.0) for i in parts]))
    tiers, shares = _unit_meta(wh)
    for (mp, _place), units in by_mp.items():
        strs = [u for u in units if isinstance(u, str)]
        for t, members in tiers.items():
            if t in units:
                parts = [(units[c], 1.0) for c in members if c in units]
                rels.append((units[t], parts))
        inds = [u for u in strs if u.startswith("ind:")]
        if "*" in units and inds:
            rels.append((units["*"], [(units[u], 1.0) for u in inds]))
        if mp.startswith(("yearend", "map-")):
            for c, sh in shares.items():
                if c in units:
                    rels.append((units[c], [(units["ind:" + i], s) for i, s in sh.items() if "ind:" + i in units]))
        chains: dict[str, list[int]] = defaultdict(list)
        for u in strs:
            if u.startswith("node:"):
                chains["chain:" + u[5:].split("/", 1)[0]].append(units[u])
        for c, parts in chains.items():
            if c in units:
                rels.append((units[c], [(i, 1.0) for i in parts]))
        classes = [units[u] for u in strs if u.startswith("class:")]
        if classes and "*" in units:
            rels.append((units["*"], [(i, 1.0) for i in classes]))
        if mp == "supply":
            flows = [(u, i) for u, i in units.items() if isinstance(u, tuple)]
            for total, want in (("purchases", None), ("local_amount", "same_county"), ("group_amount", "same_group")):
                if total in units:
                    parts = [(i, 1.0) for _, i in flows if want is None or tag[i] == want]
                    rels.append((units[total], parts))
    kept = []
    for total, parts in rels:
        kept += _holding(values, total, parts)
    # 4. the problem over tied groups
    roots = sorted({uf.find(i) for i in range(n)})
    gid = {r: g for g, r in enumerate(roots)}
    group = [gid[uf.find(i)] for i in range(n)]
    m = len(roots)
    gf = np.full(m, -1, dtype=np.int64)
    gw = np.zeros(m)
    go: list[str | None] = [None] * m
    gs = np.zeros(m, dtype=bool)
    for i in range(n):
        g = group[i]
        if firms[i] is not None:  # tables may count a figure's firms differently: the smallest count decides
            f = int(firms[i])
            gf[g] = f if gf[g] < 0 else (min(gf[g], f) if f > 0 and gf[g] > 0 else max(gf[g], f))
        w = _weight(values[i])
        gw[g] = max(gw[g], w)
        go[g] = go[g] or owner[i]
        gs[g] = gs[g] or shown[i]
    relations = []
    where: dict[tuple, int] = {}
    measures_of: list[set] = []
    for total, parts, ms in kept:
        coef: dict[int, float] = defaultdict(float)
        coef[group[total]] -= 1.0
        for i, c in parts:
            coef[group[i]] += c
        items = tuple(sorted((g, round(c, 12)) for g, c in coef.items() if abs(c) > 1e-12))
        if len(items) < 2:
            continue
        r = where.get(items)
        if r is None:
            r = where[items] = len(relations)
            relations.append((np.array([g for g, _ in items]), np.array([c for _, c in items])))
            measures_of.append(set())
        measures_of[r] |= ms
    # the relations an attacker may combine: those that hold for one same measure
    fam: dict[str, list[int]] = defaultdict(list)
    for r, ms in enumerate(measures_of):
        for m in ms:
            fam[m].append(r)
    families = sorted({tuple(v) for v in fam.values()})
    problem = D.Problem(gf, gw, relations, [list(f) for f in families])
    return Universe(
        year,
        {k: group[i] for k, i in index.items()},
        gf,
        go,
        gs,
        problem,
        {k: [(group[i], values[i]) for i in v] for k, v in variants.items() if len(v) > 1},
    )


def _weight(vals: dict) -> float:
    for m in ("output_value", "output", "amount", "land_mu"):
        if m in vals:
            return abs(vals[m])
    return max((abs(v) for v in vals.values()), default=0.0)


def _holding(values: list[dict], total: int, parts: list[tuple[int, float]]) -> list[tuple[int, list, frozenset]]:
    """The relation as it holds, figure by figure: for each figure (measure) the total carries, the parts that
    carry it (a part without that figure — none of its firms reported it — adds a known 0) must sum to the
    total. Returns (total, parts, the measures it holds for) per distinct set of parts: equations of
    different measures are never combined (an attacker solves each measure on its own)."""
    by: dict[tuple, tuple[list, set]] = {}
    for m, t in values[total].items():
        pm = [(i, c) for i, c in parts if m in values[i]]
        if not pm:
            continue
        s = sum(c * values[i][m] for i, c in pm)
        if not (math.isfinite(s) and math.isfinite(t)) or not _close(s, t):
            continue
        key = tuple(i for i, _ in pm)
        by.setdefault(key, (pm, set()))[1].add(m)
    return [(total, pm, frozenset(ms)) for pm, ms in by.values()]


def _unit_meta(wh: Warehouse) -> tuple[dict[str, list[str]], dict[str, dict[str, float]]]:
    """tier unit id -> its clusters; cluster -> {industry: share} (the pack's mapping)."""

    def load():
        tiers: dict[str, list[str]] = defaultdict(list)
        for r in wh.rows("SELECT id, system_id, tier FROM cluster"):
            tiers[f"{r['system_id']}/{r['tier']}"].append(r["id"])
        shares: dict[str, dict[str, float]] = defaultdict(dict)
        for r in wh.rows("SELECT cluster_id, industry_code, share FROM cluster_industry"):
            shares[r["cluster_id"]][r["industry_code"]] = float(r["share"] or 0)
        return dict(tiers), dict(shares)

    return wh.cached(("disclosure", "unit_meta"), load)
