"""Plan a demo warehouse before any firm exists: where firms sit and what every cell totals each year.

Cells are (location, leaf industry); a location is a county outside its parks, or one park.
1. Prior output of a cell = county weight x industry weight x emphasis x park split x noise
   (all assumptions of the pack's demo.yaml, labelled synthetic).
2. Firms are dealt to cells in proportion to prior^0.85 (bigger cells hold more, and bigger, firms),
   making sure every published figure's scope holds at least one firm.
   A cell's total is its 规上 total: what its above-scale firms make (the published figures are 规上 sums);
   firms.py gives the cell's largest firms that total and the rest a small below-scale output on top.
3. The base year is raked to the figures of that year (calibrate.py); other years start from their
   neighbour times the growth prior with industry and county noise, then are raked to their own
   figures. Investment has its own matrix, raked to investment figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ...reference import Pack
from ...reference import demo_models as dm
from ...reference import models as m
from ...reference.pack import expand_industry
from .calibrate import CalibrationError, Constraint, rake

# measure -> (family, per-industry coefficient name in Profiles)
MEASURES = {
    "output_value": ("output", None),
    "revenue": ("output", "revenue_ratio"),
    "value_added": ("output", "value_added_ratio"),
    "tax": ("output", "tax"),
    "rd_expense": ("output", "rd"),
    "fixed_investment": ("investment", None),
    "tech_renovation_investment": ("investment", "tech_renovation_share"),
}
FIRM_ALLOCATION_POWER = 0.7  # firms per cell ~ prior^0.7: big cells hold more firms, and bigger ones
PARETO_ALPHA = 1.6  # tail of firm size (times a log-normal): a few firms dominate an industry
PARK_SHARE = 0.6  # share of a county's output made inside parks (assumption)


@dataclass
class Location:
    region: str  # county code
    park: str | None  # park id, None = outside parks
    park_name: str | None = None
    synthetic_park: bool = False


@dataclass
class Profiles:
    """Per-industry ratios (arrays aligned with Plan.industries)."""

    revenue_ratio: np.ndarray
    value_added_ratio: np.ndarray
    tax_rate: np.ndarray
    profit_margin: np.ndarray
    rd_intensity: np.ndarray
    output_per_mu: np.ndarray
    va_per_tce: np.ndarray
    va_per_emission: np.ndarray
    labour_productivity: np.ndarray
    investment_rate: np.ndarray
    tech_renovation_share: np.ndarray
    size_sigma: np.ndarray
    output_weight: np.ndarray

    def coefficient(self, name: str | None) -> np.ndarray:
        if name is None:
            return np.ones_like(self.revenue_ratio)
        if name == "tax":
            return self.revenue_ratio * self.tax_rate
        if name == "rd":
            return self.revenue_ratio * self.rd_intensity
        return getattr(self, name)


@dataclass
class CalibrationResult:
    figure: str
    measure: str
    year: int
    scope: str
    published: float
    qualifier: str | None
    aimed: float
    achieved: float
    basis: str | None
    is_share: bool


@dataclass
class Plan:
    years: list[int]
    locations: list[Location]
    industries: list[str]
    sections: np.ndarray  # section letter per industry
    profiles: Profiles
    firm_counts: np.ndarray  # L x I
    firm_weight: np.ndarray  # per firm, in generation order (cell-major)
    output: dict[int, np.ndarray]  # year -> L x I totals (output family base, yuan)
    investment: dict[int, np.ndarray]
    thresholds: np.ndarray | None = None  # the above-scale revenue threshold of each year (yuan), aligned with years
    sized: np.ndarray | None = None  # per industry: whether the pack's above-scale rule applies (sections B-D)
    calibration: list[CalibrationResult] = field(default_factory=list)

    @property
    def n_firms(self) -> int:
        return int(self.firm_counts.sum())


def _profile_for(code: str, pack: Pack, by_code: dict[str, dm.IndustryProfile]) -> dm.IndustryProfile | None:
    for c in [code, *pack.industry_ancestors(code)]:
        if c in by_code:
            return by_code[c]
    return None


def industries_and_profiles(pack: Pack) -> tuple[list[str], np.ndarray, Profiles]:
    cfg = pack.demo
    by_code = {p.code: p for p in cfg.profiles}
    leaves, profs = [], []
    for code in sorted(pack.leaf_industries()):
        p = _profile_for(code, pack, by_code)
        if p is not None and p.output_weight > 0:
            leaves.append(code)
            profs.append(p)
    # a profile's output weight is shared evenly among the leaves under it
    n_under: dict[str, int] = {}
    for p in profs:
        n_under[p.code] = n_under.get(p.code, 0) + 1
    arr = lambda attr: np.array([getattr(p, attr) for p in profs], dtype=float)
    profiles = Profiles(
        revenue_ratio=arr("revenue_ratio"),
        value_added_ratio=arr("value_added_ratio"),
        tax_rate=arr("tax_rate"),
        profit_margin=arr("profit_margin"),
        rd_intensity=arr("rd_intensity"),
        output_per_mu=arr("output_per_mu"),
        va_per_tce=arr("va_per_tce"),
        va_per_emission=arr("va_per_emission"),
        labour_productivity=arr("labour_productivity"),
        investment_rate=arr("investment_rate"),
        tech_renovation_share=arr("tech_renovation_share"),
        size_sigma=arr("size_sigma"),
        output_weight=np.array([p.output_weight / n_under[p.code] for p in profs]),
    )
    sections = np.array([([c, *pack.industry_ancestors(c)])[-1] for c in leaves])
    return leaves, sections, profiles


def locations_for(pack: Pack, on: dt.date) -> list[Location]:
    cfg = pack.demo
    out: list[Location] = []
    parks_by_region: dict[str, list[m.Park]] = {}
    for pk in pack.parks.values():
        parks_by_region.setdefault(pk.region, []).append(pk)
    for county in sorted(pack.counties(on=on), key=lambda r: r.code):
        out.append(Location(county.code, None))
        real = parks_by_region.get(county.code, [])
        for pk in real:
            out.append(Location(county.code, pk.id, pk.name_zh))
        short = county.aliases[0] if county.aliases else county.name_zh
        for k in range(max(0, cfg.parks_per_region - len(real))):
            pid = f"demo-{county.code}-{k + 1}"
            out.append(Location(county.code, pid, f"{short}演示产业园{'一二三四五六七八九'[k]}（演示）", True))
    return out


def _scope_mask(
    pack: Pack,
    fig: m.Figure,
    locations: list[Location],
    industries: list[str],
    sections: np.ndarray,
    target: dm.CalibrationTarget,
) -> tuple[np.ndarray, str]:
    """Weights (L x I) of the figure's scope: its region or park rows x its cluster's industries."""
    L, I = len(locations), len(industries)
    rows = np.zeros(L, dtype=bool)
    if fig.entity_type == "park":
        pk = next((p for p in pack.parks.values() if fig.entity == p.name_zh or fig.entity in p.aliases), None)
        if pk is None:
            raise CalibrationError(f"figure {fig.id}: park {fig.entity!r} is not in the pack")
        rows = np.array([loc.park == pk.id for loc in locations])
        scope = pk.name_zh
    else:
        region = pack.resolve_region(fig.entity, on=dt.date(target.year, 6, 30))
        if region is None:
            raise CalibrationError(f"figure {fig.id}: {fig.entity!r} is not a region of the pack")
        if region.code == pack.info.root_region:
            rows[:] = True
        else:
            rows = np.array(
                [loc.region == region.code or region.code in pack.ancestors(loc.region) for loc in locations]
            )
        scope = region.name_zh
    cols = np.zeros(I)
    cluster = target.cluster or fig.cluster
    if cluster:
        idx = {c: k for k, c in enumerate(industries)}
        for ci in pack.clusters[cluster].industries:
            for leaf in expand_industry(pack, ci.code):
                if leaf in idx:
                    cols[idx[leaf]] += ci.share
        scope += f" × {pack.clusters[cluster].name_zh}"
    else:
        cols = np.isin(sections, target.sections).astype(float)
    return np.outer(rows, cols), scope


def constraints_for(
    pack: Pack,
    locations: list[Location],
    industries: list[str],
    sections: np.ndarray,
    profiles: Profiles,
    year: int,
    family: str,
) -> tuple[list[Constraint], list[dict]]:
    cfg = pack.demo
    cons, info = [], []
    for t in cfg.calibration:
        if t.year != year or MEASURES[t.measure][0] != family:
            continue
        fig = pack.figures[t.figure]
        coef = profiles.coefficient(MEASURES[t.measure][1])
        w, scope = _scope_mask(pack, fig, locations, industries, sections, t)
        aimed = fig.value * t.scale
        if fig.qualifier in ("over", "at_least"):
            aimed *= 1 + cfg.over_margin
        if fig.unit == "percent":
            # a share of the city: the whole city (same sections) is the denominator
            total_w = np.outer(np.ones(len(locations)), np.isin(sections, t.sections).astype(float)) * coef
            subset = w > 0
            cons.append(Constraint(fig.id, total_w, aimed / 100.0, subset=subset))
            aimed_v = aimed
        else:
            cons.append(Constraint(fig.id, w * coef, aimed))
            aimed_v = aimed
        info.append(
            dict(
                figure=fig.id,
                measure=t.measure,
                year=year,
                scope=scope,
                published=fig.value,
                qualifier=fig.qualifier,
                aimed=aimed_v,
                basis=t.basis,
                is_share=fig.unit == "percent",
            )
        )
    return cons, info


def calibrate_path(
    path: dict[int, np.ndarray], years: list[int], constraints_of, results: list
) -> dict[int, np.ndarray]:
    """Rake each year that has figures; carry each cell's factor (raked / prior) to the other years.

    A cell's factor is known in the years where some figure's scope includes it; in between it is
    interpolated log-linearly, and before the first or after the last such year it is held, so a
    figure for one year (software revenue in 2022) moves its cells in every year instead of making a
    jump. Years with figures are met exactly; years without keep the path's growth.
    """
    T = len(years)
    shape = path[years[0]].shape
    logf = np.zeros((T,) + shape)
    known = np.zeros((T,) + shape, dtype=bool)
    for t, y in enumerate(years):
        cons, info = constraints_of(y)
        if not cons:
            continue
        raked = rake(path[y], cons)
        for c, inf in zip(cons, info):
            results.append(CalibrationResult(**inf, achieved=c.achieved * 100 if c.is_share else c.achieved))
        with np.errstate(divide="ignore", invalid="ignore"):
            logf[t] = np.where(path[y] > 0, np.log(raked / path[y]), 0.0)
        for c in cons:
            known[t] |= c.weights > 0
    out = {}
    idx = np.arange(T)[:, None, None] * np.ones((1,) + shape, dtype=int)
    prev_k = np.maximum.accumulate(np.where(known, idx, -1), axis=0)  # last known year at or before t
    next_k = np.flip(np.minimum.accumulate(np.flip(np.where(known, idx, T), axis=0), axis=0), axis=0)
    for t, y in enumerate(years):
        p, n = prev_k[t], next_k[t]
        lp = np.take_along_axis(logf, np.clip(p, 0, T - 1)[None], axis=0)[0]
        ln = np.take_along_axis(logf, np.clip(n, 0, T - 1)[None], axis=0)[0]
        has_p, has_n = p >= 0, n < T
        w = np.where(has_p & has_n & (n > p), (t - p) / np.maximum(n - p, 1), 0.0)
        f = np.where(has_p & has_n, lp + w * (ln - lp), np.where(has_p, lp, np.where(has_n, ln, 0.0)))
        out[y] = path[y] * np.exp(f)
    return out


def make_plan(pack: Pack, n_firms: int, years: list[int], seed: int) -> Plan:
    cfg = pack.demo
    if cfg is None:
        raise CalibrationError(f"pack {pack.info.id} has no demo.yaml: it cannot build a demo warehouse")
    rng = np.random.default_rng([seed, 1])
    base = cfg.base_year if cfg.base_year in years else years[len(years) // 2]
    locations = locations_for(pack, dt.date(base, 6, 30))
    industries, sections, profiles = industries_and_profiles(pack)
    L, I = len(locations), len(industries)

    # 1. prior
    weights = {w.region: w.weight for w in cfg.region_weights}
    county_w = np.array([weights.get(loc.region, 0.0) for loc in locations])
    n_parks = {}
    for loc in locations:
        if loc.park:
            n_parks[loc.region] = n_parks.get(loc.region, 0) + 1
    split = np.array(
        [
            (PARK_SHARE / n_parks[loc.region]) if loc.park else (1 - PARK_SHARE if n_parks.get(loc.region) else 1.0)
            for loc in locations
        ]
    )
    prior = np.outer(county_w * split, profiles.output_weight)
    ind_idx = {c: k for k, c in enumerate(industries)}
    for e in cfg.emphasis:
        rows = np.array([loc.region == e.region for loc in locations])
        cols = np.zeros(I, dtype=bool)
        for cid in e.clusters:
            for ci in pack.clusters[cid].industries:
                for leaf in expand_industry(pack, ci.code):
                    if leaf in ind_idx:
                        cols[ind_idx[leaf]] = True
        prior[np.ix_(rows, cols)] *= e.factor
    prior *= rng.lognormal(0.0, 1.0, size=prior.shape)
    if prior.sum() <= 0:
        raise CalibrationError("demo.yaml gives every county or industry a zero weight")

    county_list = sorted({loc.region for loc in locations})
    cty_of_loc = np.array([county_list.index(loc.region) for loc in locations])

    # 2. firms per cell
    p = prior**FIRM_ALLOCATION_POWER
    counts = rng.multinomial(n_firms, (p / p.sum()).ravel()).reshape(L, I)
    all_cons = []
    for y in years:
        for fam in ("output", "investment"):
            cs, _ = constraints_for(pack, locations, industries, sections, profiles, y, fam)
            all_cons += cs
    for c in all_cons:  # every figure's scope (and the rest of a share's city) needs firms
        parts = [c.weights > 0] if not c.is_share else [c.subset & (c.weights > 0), ~c.subset & (c.weights > 0)]
        for part in parts:
            if not (counts[part] > 0).any():
                cand = np.where(part, prior, -1.0)
                k = np.unravel_index(int(np.argmax(cand)), cand.shape)
                donor = np.unravel_index(int(np.argmax(counts)), counts.shape)
                if counts[donor] <= 1:
                    raise CalibrationError(f"too few firms ({n_firms}) to cover figure {c.name}")
                counts[donor] -= 1
                counts[k] += 1
    # firm weights, cell by cell in the order firms are generated: log-normal x Pareto, so that a few
    # firms dominate their industry; a cell's prior grows with the weight of the firms it holds.
    flat = counts.ravel()
    cell_of_firm = np.repeat(np.arange(flat.size), flat)
    sigma = profiles.size_sigma[cell_of_firm % I]
    weight = rng.lognormal(0.0, 0.8 * sigma) * (1.0 - rng.random(cell_of_firm.size)) ** (-1.0 / PARETO_ALPHA)
    mean_w = np.exp((0.8 * sigma) ** 2 / 2) * PARETO_ALPHA / (PARETO_ALPHA - 1)
    realised = np.bincount(cell_of_firm, weights=weight / mean_w, minlength=flat.size).reshape(L, I)
    county_before = np.bincount(cty_of_loc, weights=prior.sum(axis=1), minlength=len(county_list))
    prior = prior / np.maximum(counts, 1) * realised
    county_after = np.bincount(cty_of_loc, weights=prior.sum(axis=1), minlength=len(county_list))
    prior *= np.divide(county_before, county_after, out=np.zeros_like(county_before), where=county_after > 0)[
        cty_of_loc
    ][:, None]  # counties keep their weight

    # 3. yearly totals: a prior path (base pattern x growth x noise), raked where figures exist,
    #    with each cell's calibration factor interpolated over the years no figure touches it.
    results: list[CalibrationResult] = []
    ind_sd, cty_sd = 0.04, 0.025
    county_codes = sorted({loc.region for loc in locations})
    cty_index = np.array([county_codes.index(loc.region) for loc in locations])

    def growth(y: int) -> np.ndarray:
        """1 + growth from y-1 to y per industry: the city prior, or a cluster's own where the pack has one."""
        g = np.full(I, 1 + cfg.growth.get(y, 0.05))
        for cg in cfg.cluster_growth:
            if cg.year != y:
                continue
            for ci in pack.clusters[cg.cluster].industries:
                for leaf in expand_industry(pack, ci.code):
                    if leaf in ind_idx:
                        k = ind_idx[leaf]
                        g[k] = g[k] * (1 - ci.share) + (1 + cg.growth) * ci.share
        return g

    def shock(shape) -> np.ndarray:
        return np.exp(
            rng.normal(0, ind_sd, I)[None, :]
            + rng.normal(0, cty_sd, len(county_codes))[cty_index][:, None]
            + rng.normal(0, 0.03, shape)
        )

    base_cons, _ = constraints_for(pack, locations, industries, sections, profiles, base, "output")
    rules = pack.scale.above_scale
    thresholds = np.array([rules.threshold(y) for y in years], dtype=float)
    sized = np.isin(sections, rules.sections)
    # every cell holds at least one above-scale firm in every year: its base total covers one firm's minimum
    # with room for the years before the base (the calibrated figures are 规上 sums: the firms above scale)
    floor = float(thresholds.max()) / profiles.revenue_ratio[None, :] * 2.0 * (counts > 0)
    base_m = prior * (1e12 / prior.sum())
    for _ in range(3):  # a cell's total covers one above-scale firm, then the figures again
        base_m = rake(np.where(counts > 0, np.maximum(base_m, floor), 0.0), base_cons)
    path = {base: base_m}  # the path grows from the calibrated base
    for y in sorted(v for v in years if v > base):
        path[y] = path[y - 1] * growth(y)[None, :] * shock(prior.shape)
    for y in sorted((v for v in years if v < base), reverse=True):
        path[y] = path[y + 1] / growth(y + 1)[None, :] * shock(prior.shape)
    output = calibrate_path(
        path, years, lambda y: constraints_for(pack, locations, industries, sections, profiles, y, "output"), results
    )
    inv_path = {y: output[y] * profiles.investment_rate[None, :] * rng.lognormal(0, 0.35, size=(L, I)) for y in years}
    investment = calibrate_path(
        inv_path,
        years,
        lambda y: constraints_for(pack, locations, industries, sections, profiles, y, "investment"),
        results,
    )
    results.sort(key=lambda r: (r.year, r.figure))
    return Plan(
        years=years,
        locations=locations,
        industries=industries,
        sections=sections,
        profiles=profiles,
        firm_counts=counts,
        firm_weight=weight,
        output=output,
        investment=investment,
        calibration=results,
        thresholds=thresholds,
        sized=sized,
    )
