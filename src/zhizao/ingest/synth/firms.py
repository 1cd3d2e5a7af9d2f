"""Share each cell's planned totals out among its synthetic firms, year by year.

Within a cell (location x industry) a firm's weight is the plan's (log-normal times Pareto, see
plan.py) times a yearly random walk; its output in a year is the cell's
planned output times its weight share among the firms alive that year, so cell totals (and through
them every calibrated figure) hold exactly. Revenue, value added, tax and R&D follow the industry's
ratios with per-firm noise, renormalised so that their cell totals equal the planned ratio times
output. Land, energy, emissions and employees follow from output and value added through the
industry's intensities (output per mu, value added per tce, per tonne of emissions, per employee).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .plan import Plan

RW_SD = 0.12  # yearly log-change of a firm's weight within its cell
EMISSION_MISSING = 0.12  # share of firms that report no emission data (the 亩均 method's missing rule applies)
RD_ACTIVE = 0.75  # share of firms with any R&D spending


@dataclass
class FirmBatch:
    index: np.ndarray  # global firm index
    cell: np.ndarray  # flattened cell index (location * I + industry)
    loc: np.ndarray
    ind: np.ndarray
    founded: np.ndarray  # datetime64[D]
    first_year: np.ndarray  # first demo year the firm is in the warehouse
    years: np.ndarray  # (n, T) alive mask
    output: np.ndarray  # (n, T)
    revenue: np.ndarray
    value_added: np.ndarray
    tax: np.ndarray
    profit: np.ndarray
    rd: np.ndarray
    land: np.ndarray  # (n,)
    energy: np.ndarray
    emission: np.ndarray  # NaN = not reported
    employees: np.ndarray
    investment: np.ndarray
    tech: np.ndarray
    main_share: np.ndarray


def _cell_normalise(x: np.ndarray, cell_local: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Scale x (n, T) so that for every cell and year the firms' sum equals totals (ncell, T)."""
    n_cells = totals.shape[0]
    out = np.empty_like(x)
    for t in range(x.shape[1]):
        s = np.bincount(cell_local, weights=x[:, t], minlength=n_cells)
        f = np.divide(totals[:, t], s, out=np.zeros_like(s), where=s > 0)
        out[:, t] = x[:, t] * f[cell_local]
    return out


def _group_normalise(x: np.ndarray, group: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Scale x (n, T) so that for every group and year the firms' sum equals totals (ngroup, T); group (n, T)."""
    n_groups = totals.shape[0]
    out = np.empty_like(x)
    for t in range(x.shape[1]):
        s = np.bincount(group[:, t], weights=x[:, t], minlength=n_groups)
        f = np.divide(totals[:, t], s, out=np.zeros_like(s), where=s > 0)
        out[:, t] = x[:, t] * f[group[:, t]]
    return out


def _split(
    share: np.ndarray,
    alive: np.ndarray,
    cell_local: np.ndarray,
    totals: np.ndarray,
    floor: np.ndarray,
    sized: np.ndarray,
    below_cap: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Output per firm and year, and which firm-years are planned below scale.

    `totals` (ncell, T) are the cells' 规上 totals: what the above-scale firms make (the demo is calibrated to
    规上 figures). In a cell whose industry has a size rule (`sized`), the k alive firms with the largest weight are
    above scale, k = min(alive firms, ⌊total / (1.05 floor)⌋, at least 1): each gets its floor (`floor`, an output
    whose revenue clears the threshold with a margin) plus its weight share of the rest. The other alive firms are
    small, below-scale firms: output = below_cap × weight / (the largest weight among the cell's small firms), so
    every one stays under the threshold; they add to the all-firm totals only. A cell without a size rule shares its
    total by weight (with the floor where the total covers it), every firm counted."""
    n, T = share.shape
    n_cells = totals.shape[0]
    out = np.zeros_like(share)
    below = np.zeros(share.shape, dtype=bool)
    for t in range(T):
        a = alive[:, t]
        s = np.where(a, share[:, t], 0.0)
        fl = floor[:, t]
        order = np.lexsort((-s, cell_local))
        starts = np.searchsorted(cell_local[order], np.arange(n_cells))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - starts[cell_local[order]]
        n_alive = np.bincount(cell_local, weights=a, minlength=n_cells).astype(np.int64)
        cell_floor = np.bincount(cell_local, weights=np.where(rank == 0, fl, 0.0), minlength=n_cells)
        tot = totals[:, t]
        k_sized = np.clip(
            np.floor(np.divide(tot, 1.05 * cell_floor, out=np.zeros(n_cells), where=cell_floor > 0)), 1, None
        )
        k = np.where(sized, np.minimum(k_sized, n_alive), n_alive).astype(np.int64)
        k = np.where(tot > 0, k, 0)
        up = a & (rank < k[cell_local])
        low = a & ~up
        need = np.bincount(cell_local, weights=np.where(up, fl, 0.0), minlength=n_cells)
        ok = tot > 1.05 * need
        rest = np.where(ok, tot - need, tot)
        s_up = np.bincount(cell_local, weights=np.where(up, s, 0.0), minlength=n_cells)
        f = np.divide(rest, s_up, out=np.zeros_like(s_up), where=s_up > 0)
        up_out = np.where(ok[cell_local], fl, 0.0) + s * f[cell_local]
        top_low = np.zeros(n_cells)
        np.maximum.at(top_low, cell_local[low], s[low])
        low_out = below_cap[:, t] * np.divide(s, top_low[cell_local], out=np.zeros(n), where=top_low[cell_local] > 0)
        out[:, t] = np.where(up, up_out, np.where(low, low_out, 0.0))
        below[:, t] = low
    return out, below


def generate(plan: Plan, cells: np.ndarray, first_index: int, rng: np.random.Generator) -> FirmBatch:
    """Firms of the given (flattened) cells, numbered from `first_index`."""
    I = len(plan.industries)
    years = np.array(plan.years)
    T = len(years)
    counts = plan.firm_counts.ravel()[cells]
    n = int(counts.sum())
    cell = np.repeat(cells, counts)
    cell_local = np.repeat(np.arange(len(cells)), counts)
    loc, ind = cell // I, cell % I
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    is_anchor = np.zeros(n, dtype=bool)
    is_anchor[starts] = True
    pr = plan.profiles

    # size and age
    w = plan.firm_weight[first_index : first_index + n]
    age = np.floor(rng.exponential(11.0, n)).astype(int)
    founded_year = years[-1] - age
    founded_year = np.where(is_anchor, np.minimum(founded_year, years[0] - 1 - rng.integers(0, 15, n)), founded_year)
    founded_year = np.maximum(founded_year, 1980)
    founded = (founded_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    alive = founded_year[:, None] <= years[None, :]
    first_year = np.where(alive.any(axis=1), years[np.argmax(alive, axis=1)], years[-1])
    ramp = np.where(years[None, :] == founded_year[:, None], 0.5, 1.0)
    walk = np.cumsum(rng.normal(0, RW_SD, (n, T)), axis=1)
    share = w[:, None] * np.exp(walk) * ramp * alive

    out_tot = np.stack([plan.output[y].ravel()[cells] for y in plan.years], axis=1)
    inv_tot = np.stack([plan.investment[y].ravel()[cells] for y in plan.years], axis=1)
    threshold = np.asarray(plan.thresholds, dtype=float)[None, :]  # (1, T): the above-scale threshold by year
    at_threshold = threshold / pr.revenue_ratio[ind][:, None]  # output whose revenue is the threshold
    c_ind = cells % I
    output, below = _split(
        share, alive, cell_local, out_tot, at_threshold * 1.15, plan.sized[c_ind], at_threshold * 0.8 * alive
    )
    # groups: a cell's above-scale (and unsized) firms 2c, its below-scale firms 2c + 1; ratios are kept per group
    group = cell_local[:, None] * 2 + below.astype(np.int64)
    low_out = np.zeros((2 * len(cells), T))
    for t in range(T):
        low_out[:, t] = np.bincount(
            group[:, t], weights=np.where(below[:, t], output[:, t], 0.0), minlength=2 * len(cells)
        )
    grp_out = low_out.copy()
    grp_out[0::2] = out_tot

    def ratio_col(base: np.ndarray, ratio_cell: np.ndarray, fixed_sd: float, year_sd: float) -> np.ndarray:
        noisy = base * np.exp(rng.normal(0, fixed_sd, n))[:, None] * np.exp(rng.normal(0, year_sd, (n, T)))
        return _group_normalise(noisy * alive, group, grp_out * np.repeat(ratio_cell, 2)[:, None])

    rr = pr.revenue_ratio
    revenue = ratio_col(output * rr[ind][:, None], rr[c_ind], 0.05, 0.02)
    # the planned size class holds exactly: above-scale firms at or over the threshold, small firms under it
    sized_firm = plan.sized[ind][:, None] & alive
    revenue = np.where(sized_firm & ~below, np.maximum(revenue, threshold), revenue)
    revenue = np.where(sized_firm & below, np.minimum(revenue, np.floor(threshold * 0.999)), revenue)
    value_added = ratio_col(output * pr.value_added_ratio[ind][:, None], pr.value_added_ratio[c_ind], 0.2, 0.05)
    tax = ratio_col(revenue * pr.tax_rate[ind][:, None], rr[c_ind] * pr.tax_rate[c_ind], 0.35, 0.1)
    rd_on = (rng.random(n) < RD_ACTIVE) | is_anchor
    rd_base = revenue * pr.rd_intensity[ind][:, None] * rng.lognormal(0, 0.9, n)[:, None] * rd_on[:, None]
    rd = ratio_col(rd_base, rr[c_ind] * pr.rd_intensity[c_ind], 0.0, 0.1)
    margin = pr.profit_margin[ind][:, None] + rng.normal(0, 0.05, n)[:, None] + rng.normal(0, 0.02, (n, T))
    profit = revenue * margin

    mean_out = np.divide(output.sum(axis=1), np.maximum(alive.sum(axis=1), 1))
    mean_va = np.divide(value_added.sum(axis=1), np.maximum(alive.sum(axis=1), 1))
    land = np.maximum(np.round(mean_out / pr.output_per_mu[ind] * rng.lognormal(0, 0.35, n), 2), 3.0)
    energy = (
        value_added
        / pr.va_per_tce[ind][:, None]
        * rng.lognormal(0, 0.4, n)[:, None]
        * np.exp(rng.normal(0, 0.05, (n, T)))
    )
    emission = value_added / pr.va_per_emission[ind][:, None] * rng.lognormal(0, 0.6, n)[:, None]
    emission[rng.random(n) < EMISSION_MISSING] = np.nan
    base_emp = mean_va / pr.labour_productivity[ind] * rng.lognormal(0, 0.3, n)
    rel = np.divide(output, mean_out[:, None], out=np.ones_like(output), where=mean_out[:, None] > 0)
    employees = np.maximum(np.round(base_emp[:, None] * np.sqrt(np.maximum(rel, 0))), 8) * alive

    inv_w = share * rng.lognormal(0, 1.2, (n, T))
    investment = _cell_normalise(inv_w, cell_local, inv_tot)
    tech = investment * np.clip(pr.tech_renovation_share[ind][:, None] * np.exp(rng.normal(0, 0.3, (n, T))), 0, 1)
    main_share = np.clip(rng.beta(18, 1.6, n)[:, None] + rng.normal(0, 0.01, (n, T)), 0.5, 1.0)

    return FirmBatch(
        index=np.arange(first_index, first_index + n),
        cell=cell,
        loc=loc,
        ind=ind,
        founded=founded,
        first_year=first_year,
        years=alive,
        output=output,
        revenue=revenue,
        value_added=value_added,
        tax=tax,
        profit=profit,
        rd=rd,
        land=land,
        energy=energy,
        emission=emission,
        employees=employees,
        investment=investment,
        tech=tech,
        main_share=main_share,
    )


def year_table(b: FirmBatch, plan: Plan, codes: np.ndarray) -> pa.Table:
    """enterprise_year rows of the batch's alive firm-years (money rounded to the yuan)."""
    f, t = np.nonzero(b.years)
    years = np.array(plan.years, dtype=np.int16)[t]
    industrial = plan.sections[b.ind[f]] != "I"

    def money(x):
        return np.round(x[f, t], 0)

    output = money(b.output)
    return pa.table(
        {
            "uscc": pa.array(codes[f]),
            "year": pa.array(years),
            "revenue": money(b.revenue),
            "output_value": pa.array(np.where(industrial, output, np.nan), mask=~industrial),
            "value_added": money(b.value_added),
            "tax": money(b.tax),
            "profit": money(b.profit),
            "land_mu": b.land[f],
            "energy_tce": np.round(b.energy[f, t], 2),
            "emission_equiv": pa.array(np.round(b.emission[f, t], 3), mask=np.isnan(b.emission[f, t])),
            "rd_expense": money(b.rd),
            "employees": b.employees[f, t].astype(np.int32),
            "fixed_investment": money(b.investment),
            "tech_renovation_investment": money(b.tech),
            "main_business_share": np.round(b.main_share[f, t], 4),
        }
    )
