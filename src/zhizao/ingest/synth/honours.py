"""Give synthetic firms honours (ladder tiers, high-tech status, smart factories, ...).

For each honour kind and level the demo needs a count of new recognitions per year:
- published counts in the pack (demo.yaml `honour_targets`) fix a stock held at the end of a year
  (`as_of`) or the flow recognised in a year (`year`); a region-scoped count is met inside that region;
- otherwise `honour_rates` give the share of firms holding it by the last demo year, recognised at an
  even pace from the honour's first year.
Cumulative counts are interpolated linearly between those anchors; recipients are drawn without
replacement by a Gumbel top-k on the log of a propensity (size, R&D intensity, digital investment,
or R&D among small and medium firms), so the bigger or more innovative a firm, the likelier it is.
A tier with a prerequisite (小巨人 after 专精特新) is drawn first among holders of the prerequisite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...reference import Pack


@dataclass
class FirmSummary:
    """One row per firm, enough to pick honour holders and chain roles."""

    region: np.ndarray  # county code per firm
    industry: np.ndarray  # leaf industry code per firm
    founded_year: np.ndarray
    first_year: np.ndarray
    size: np.ndarray  # mean yearly output (yuan)
    revenue_last: np.ndarray
    rd_intensity: np.ndarray
    tech_share: np.ndarray  # 技改 investment / revenue, mean over years
    alive_last: np.ndarray  # in the warehouse in the last demo year


@dataclass
class HonourReport:
    kind: str
    level: str
    region: str | None
    wanted: int
    given: int
    basis: str
    as_of: int | None = None
    year: int | None = None
    published: bool = False  # the count is a published figure of the pack (not an assumed share)


def _propensity(kind: str, s: FirmSummary) -> np.ndarray:
    size = np.log1p(s.size)
    if kind == "size":
        return 1.2 * (size - size.mean()) / (size.std() + 1e-9)
    if kind == "rd":
        r = np.log1p(s.rd_intensity * 100)
        return 0.6 * (size - size.mean()) / (size.std() + 1e-9) + 1.2 * (r - r.mean()) / (r.std() + 1e-9)
    if kind == "digital":
        d = np.log1p(s.tech_share * 100)
        return 0.8 * (size - size.mean()) / (size.std() + 1e-9) + 1.0 * (d - d.mean()) / (d.std() + 1e-9)
    # young_rd: small and medium firms with high R&D
    r = np.log1p(s.rd_intensity * 100)
    sme = (s.revenue_last < 4e8).astype(float)
    return 1.4 * (r - r.mean()) / (r.std() + 1e-9) + 1.5 * sme - 0.2 * (size - size.mean()) / (size.std() + 1e-9)


def _counties_in(pack: Pack, region: str) -> list[str]:
    """County codes whose firms count to a region: itself, its members, and its predecessors."""
    inside = [region] + [c for c in pack.regions if region in pack.ancestors(c)]
    return inside + [sc.predecessor for sc in pack.successions if sc.successor in inside and sc.primary]


def schedule(anchors: dict[int, float], flows: dict[int, int], start: int, last: int) -> dict[int, int]:
    """New recognitions per year from stock anchors (held at the end of a year) and fixed flows.

    Stocks are interpolated linearly from zero before `start`, and extended after the last anchor at
    the average pace so far; a published flow overrides the interpolated count of its year.
    """
    anchors = dict(anchors)
    for y, f in flows.items():  # a stock and the flow of the same year also fix the year before
        if y in anchors and y - 1 not in anchors:
            anchors[y - 1] = anchors[y] - f
    xs = [start - 1] + sorted(anchors)
    ys = [0.0] + [float(anchors[y]) for y in sorted(anchors)]
    pace = (ys[-1] - ys[0]) / (xs[-1] - xs[0]) if xs[-1] > xs[0] else 0.0
    cum = {
        y: (float(np.interp(y, xs, ys)) if y <= xs[-1] else ys[-1] + pace * (y - xs[-1]))
        for y in range(start - 1, last + 1)
    }
    new = {y: max(0, int(round(cum[y])) - int(round(cum[y - 1]))) for y in range(start, last + 1)}
    for y, f in flows.items():
        if start <= y <= last:
            new[y] = f
    return new


def assign(
    pack: Pack, s: FirmSummary, years: list[int], rng: np.random.Generator
) -> tuple[list[tuple[str, str, np.ndarray, np.ndarray]], list[HonourReport]]:
    """Honours as (kind, level, firm indices, years) groups, and for every published count what was given."""
    cfg = pack.demo
    tiers = {t.honour: t for t in pack.ladder.tiers}
    prereq = {
        t.honour: next((x.honour for x in pack.ladder.tiers if x.key == t.prerequisite), None)
        for t in pack.ladder.tiers
    }
    rates = {(r.kind, r.level): r for r in cfg.honour_rates}
    targets: dict[tuple[str, str], list] = {}
    for t in cfg.honour_targets:
        targets.setdefault((t.kind, t.level), []).append(t)
    keys = list(dict.fromkeys(list(rates) + list(targets)))
    keys.sort(key=lambda k: tiers[k[0]].rank if k[0] in tiers else 0)  # prerequisites first
    n = len(s.size)
    last = max(years)
    holders: dict[str, np.ndarray] = {}
    out: list[tuple[str, str, np.ndarray, np.ndarray]] = []
    reports: list[HonourReport] = []
    year_of = np.full(n, 0, dtype=int)
    for kind, level in keys:
        rate = rates.get((kind, level))
        start = rate.first_year if rate and rate.first_year else min(years) - 4
        score = _propensity(rate.propensity if rate else "size", s)
        held = np.zeros(n, dtype=bool)
        scopes: dict[str | None, tuple[dict, dict, list]] = {}
        for t in targets.get((kind, level), []):
            anchors, flows, items = scopes.setdefault(t.region, ({}, {}, []))
            if t.as_of is not None:
                anchors[t.as_of] = t.count
            else:
                flows[t.year] = t.count
            items.append(t)
        if None not in scopes and rate:
            scopes[None] = ({last: rate.share * int(s.alive_last.sum())}, {}, [])
        given_in_regions: dict[int, int] = {}
        regional = np.zeros(n, dtype=bool)
        for region in sorted(scopes, key=lambda r: r is None):  # regions first, then the rest of the city
            anchors, flows, items = scopes[region]
            new = schedule(anchors, flows, start, last)
            if region is None:
                in_scope = ~regional
            else:
                in_scope = np.isin(s.region, _counties_in(pack, region))
                regional |= in_scope
            for y in sorted(new):
                need = new[y] - (given_in_regions.get(y, 0) if region is None else 0)
                if need <= 0:
                    continue
                eligible = in_scope & ~held & (s.founded_year <= y)
                if y >= min(years):
                    eligible &= s.first_year <= y
                pre = prereq.get(kind)
                if pre and pre in holders and (eligible & holders[pre]).sum() >= need:
                    eligible &= holders[pre]
                idx = np.flatnonzero(eligible)
                if idx.size == 0:
                    continue
                k = min(need, idx.size)
                g = score[idx] + rng.gumbel(size=idx.size)
                pick = idx[np.argpartition(-g, k - 1)[:k]] if k < idx.size else idx
                held[pick] = True
                year_of[pick] = y
                if region is not None:
                    given_in_regions[y] = given_in_regions.get(y, 0) + k
                out.append((kind, level, pick, np.full(pick.size, y, dtype=np.int16)))
            for t in items:  # what each published count asked for, and what the demo holds
                mask = held & (in_scope if region is not None else True)
                if t.as_of is not None:
                    got, wanted = int((mask & (year_of <= t.as_of)).sum()), t.count
                else:
                    got, wanted = int((mask & (year_of == t.year)).sum()), t.count
                reports.append(
                    HonourReport(
                        kind,
                        level,
                        region,
                        wanted,
                        got,
                        t.figure or t.basis or "",
                        t.as_of,
                        t.year,
                        t.figure is not None,
                    )
                )
            if rate and region is None and not items:
                reports.append(
                    HonourReport(
                        kind,
                        level,
                        None,
                        int(round(anchors[last])),
                        int(held.sum()),
                        f"assumption: {rate.share:.1%} of firms by {last} ({rate.reason})",
                        last,
                        None,
                    )
                )
        holders[kind] = held | holders.get(kind, np.zeros(n, dtype=bool))
    return out, reports
