"""The shape of a pack's optional demo.yaml: the assumptions the synthetic demo is calibrated with (each region's
share of output, emphasised clusters, growth, industry profiles, published figures to calibrate to, honours).
Loaded and checked with the pack (pack.py, checks.py) and read by the demo generator (ingest/synth); the models of
the other files are in models.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .models import Strict

# ---------------------------------------------------------------- the synthetic demo's assumptions
Measure = Literal[
    "output_value",
    "revenue",
    "value_added",
    "tax",
    "fixed_investment",
    "tech_renovation_investment",
    "rd_expense",
    "profit",
]


class RegionWeight(Strict):
    region: str
    weight: float  # relative share of the city's industrial output (prior)
    reason: str


class Emphasis(Strict):
    """A district's stronger presence in some clusters (multiplies the prior of their industries)."""

    region: str
    clusters: list[str]
    factor: float
    reason: str
    sources: list[str] = Field(default_factory=list)


class CalibrationTarget(Strict):
    """A published figure the demo reproduces: `measure` summed over the figure's scope in `year`.

    Shares (`metric` ending in `_share_of_city`) are matched as shares. `scale` turns the figure into
    the annual total the demo aims at (e.g. 12/10 for a January-October cumulative figure) and
    `basis` says why; 'over' figures are aimed `over_margin` above the stated value.
    """

    figure: str
    measure: Measure
    year: int
    scale: float = 1.0
    basis: str | None = None
    sections: list[str] = Field(default_factory=lambda: ["B", "C", "D"])  # industry sections counted
    cluster: str | None = None  # read the figure as about this pack cluster (when it names none)


class HonourTarget(Strict):
    kind: str
    level: str
    count: int
    year: int | None = None  # recognised in this year (flow); None with `as_of` = stock
    as_of: int | None = None  # held at the end of this year (stock)
    region: str | None = None
    figure: str | None = None  # the published figure behind the count
    basis: str | None = None


class HonourRate(Strict):
    kind: str
    level: str
    share: float  # share of firms holding it by the last demo year (stock)
    first_year: int | None = None  # the honour does not exist before
    propensity: Literal["size", "rd", "digital", "young_rd"] = "size"
    reason: str


class IndustryProfile(Strict):
    """Typical ratios of a division's firms (synthetic assumptions; medians, noise added per firm)."""

    code: str  # section or division
    output_weight: float  # prior share of the city's output before calibration
    revenue_ratio: float = 0.98  # revenue / output
    value_added_ratio: float = 0.25  # value added / output
    tax_rate: float = 0.04  # tax / revenue
    profit_margin: float = 0.06  # profit / revenue
    rd_intensity: float = 0.015  # R&D / revenue
    output_per_mu: float = 8.0e6  # yuan of output per mu of land
    va_per_tce: float = 2.5e4  # value added per tonne of standard coal
    va_per_emission: float = 4.0e6  # value added per tonne of pollutant equivalent
    labour_productivity: float = 4.0e5  # value added per employee
    investment_rate: float = 0.08  # fixed investment / output
    tech_renovation_share: float = 0.35  # 技改 / fixed investment
    size_sigma: float = 1.4  # log-normal spread of firm size


class ClusterGrowth(Strict):
    """A cluster's own growth prior for a year (replaces the city prior for its industries)."""

    cluster: str
    year: int
    growth: float
    basis: str
    sources: list[str] = Field(default_factory=list)


class DemoConfig(Strict):
    note: str
    enterprises: int = 8000
    years: str = "2019-2025"
    seed: int = 2023
    base_year: int = 2023
    over_margin: float = 0.005
    growth: dict[int, float]  # city output growth prior by year (nominal, fraction)
    growth_sources: dict[int, str] = Field(default_factory=dict)
    cluster_growth: list[ClusterGrowth] = Field(default_factory=list)
    region_weights: list[RegionWeight]
    emphasis: list[Emphasis] = Field(default_factory=list)
    profiles: list[IndustryProfile]
    calibration: list[CalibrationTarget]
    honour_targets: list[HonourTarget] = Field(default_factory=list)
    honour_rates: list[HonourRate] = Field(default_factory=list)
    parks_per_region: int = 2
    chain_leaders_per_chain: int = 3
    suppliers_per_leader: int = 60
