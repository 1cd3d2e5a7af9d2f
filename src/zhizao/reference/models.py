"""The shape of a policy pack: every file under `reference/<pack>/` is validated against these models.

A pack describes one province or city's manufacturing policy as data: its sources, its region
hierarchy (with changes over time), its industry classification, its tiered cluster systems and
their mapping to industries, chain templates, the enterprise ladder and its criteria, the per-mu
evaluation method, its published figures and targets, and the assumptions the synthetic demo
is calibrated with (demo_models.py). The code knows these shapes, never the Chongqing names.

Every real-world statement carries `sources` (ids into sources.yaml) and a `status`:
`verified` (seen in a source), `reported` (one secondary source) or `unverified` (not confirmed;
kept so that it is visible, never presented as fact).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..vocab import QUALIFIER_LABELS, UNIT_LABELS, is_metric

Status = Literal["verified", "reported", "unverified"]
Stage = Literal["upstream", "midstream", "downstream"]
Kind = Literal["actual", "target"]
# a figure's qualifier and unit: the keys of the project's vocabulary (zhizao/vocab.py)
Qualifier = Literal[tuple(QUALIFIER_LABELS)]
Unit = Literal[tuple(UNIT_LABELS)]


def _known_metric(key: str) -> str:
    if not is_metric(key):
        raise ValueError(
            f"unknown metric {key!r}: use a key of the metric vocabulary (zhizao/vocab.py), or X_growth, "
            "X_share, X_share_of_city or new_X of one"
        )
    return key


# a metric key of the vocabulary (listed or derived); the loader refuses any other
MetricKey = Annotated[str, AfterValidator(_known_metric)]
EntityType = Literal["district", "city", "park", "enterprise", "enterprise_group", "province", "town", "region"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Strict):
    status: Status
    sources: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _needs_source(self):
        if self.status in ("verified", "reported") and not self.sources:
            raise ValueError(f"status {self.status!r} needs at least one source")
        return self


# ---------------------------------------------------------------- pack and sources
class ExampleFirm(Strict):
    """A synthetic firm for the import template's example rows (the 示例 sheet, which import ignores)."""

    name: str  # a made-up name, marked 示例
    region: str  # a county-level region of the pack, as a user would write it
    region_year: int | None = None  # the year the region name refers to (a former region's)
    org_code: str  # the 8 characters of the synthetic organisation code (its check characters are computed)
    founded: str | int


class TemplateExamples(Strict):
    """What the import template shows as examples: firms, and the ways a region may be written."""

    firms: list[ExampleFirm] = Field(default_factory=list)
    region_forms: list[str] = Field(default_factory=list)  # a name, a short name, a code, a former name
    former_regions: list[str] = Field(default_factory=list)  # regions that no longer exist, stored as written


class PackInfo(Strict):
    id: str
    name_zh: str
    name_en: str
    version: str
    root_region: str  # code of the pack's top region (the municipality)
    site_prefix: str | None = None  # the label its government sites put before a district's
    #                                      initials or pinyin (cq → www.cqhc.gov.cn); the news reader reads it
    currency: Literal["CNY"] = "CNY"
    description: str | None = None
    template_examples: TemplateExamples = Field(default_factory=TemplateExamples)


class Source(Strict):
    id: str
    title: str
    address: str | None = None  # URL or file name; None when the excerpt carried none
    published: dt.date | None = None
    publisher: str | None = None
    file: str | None = None  # a copy of the text shipped with the pack (seeds)
    note: str | None = None


# ---------------------------------------------------------------- regions
RegionLevel = Literal["province", "group", "subgroup", "county", "functional_area"]


class Region(Sourced):
    code: str
    code_status: Literal["official", "provisional", "pack"] = "official"
    name_zh: str
    name_en: str
    pinyin: str | None = None
    level: RegionLevel
    kind: str | None = None  # district, county, autonomous_county, municipality, national_new_area ...
    parent: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # the day it ceased to exist (exclusive)
    aliases: list[str] = Field(default_factory=list)  # short and former names: 江北, 梁平县
    role_zh: str | None = None  # the group's role in the layout, as the sources put it

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not v or not all(c.isalnum() or c == "-" for c in v):
            raise ValueError("region code must be letters, digits or '-'")
        return v


class Succession(Sourced):
    predecessor: str
    successor: str
    effective: dt.date
    primary: bool = True  # figures of the predecessor roll up here by default
    portion: str | None = None  # which part moved, in words


class Overlap(Sourced):
    area: str  # a functional area's code
    region: str  # a county-level code it overlaps
    part: Literal["whole", "core", "extension", "partial"]


class RegionsFile(Strict):
    regions: list[Region]
    successions: list[Succession] = Field(default_factory=list)
    overlaps: list[Overlap] = Field(default_factory=list)


# ---------------------------------------------------------------- industries
class Industry(Strict):
    code: str  # GB/T 4754-2017: C, C36, C367, C3670
    name_zh: str
    name_en: str | None = None
    level: Literal["section", "division", "group", "class"]
    parent: str | None = None

    @model_validator(mode="after")
    def _level_matches_code(self):
        want = {"section": 1, "division": 3, "group": 4, "class": 5}[self.level]
        digits_ok = self.code[1:].isdigit() or (self.level == "section" and len(self.code) == 1)
        if len(self.code) != want or not self.code[0].isalpha() or not digits_ok:
            example = {"section": "C", "division": "C36", "group": "C367", "class": "C3670"}[self.level]
            raise ValueError(f"a {self.level} code looks like {example!r}, got {self.code!r}")
        return self


class IndustriesFile(Strict):
    standard: str
    sources: list[str]
    industries: list[Industry]


# ---------------------------------------------------------------- cluster systems
class Tier(Strict):
    key: str
    rank: int
    name_zh: str
    name_en: str
    planned_count: int | None = None  # how many clusters the system announces at this tier
    scale_yuan: float | None = None  # the size class (万亿级 = 1e12)


class ClusterIndustry(Strict):
    code: str
    share: float = 1.0  # the share of the industry's figures that count to the cluster
    basis: Literal["source", "project"] = "project"  # project = the pack authors' own mapping

    @field_validator("share")
    @classmethod
    def _share(cls, v: float) -> float:
        if not 0 < v <= 1:
            raise ValueError("share must be in (0, 1]")
        return v


class Cluster(Sourced):
    id: str
    tier: str
    name_zh: str
    name_en: str
    parent: str | None = None  # a cluster of the same system this one is part of
    maps_to: list[str] = Field(default_factory=list)  # clusters of the parent system (district systems)
    industries: list[ClusterIndustry] = Field(default_factory=list)
    sub_chains: list[str] = Field(default_factory=list)  # the sub-chains the sources name


class ClusterSystem(Sourced):
    id: str
    region: str
    name_zh: str
    name_en: str
    label: str | None = None  # "33618", "2+2+4"
    parent_system: str | None = None  # the city system a district system maps onto
    announced: str | None = None
    tiers: list[Tier]
    clusters: list[Cluster]


class ClustersFile(Strict):
    systems: list[ClusterSystem]


# ---------------------------------------------------------------- chains
class ChainNode(Strict):
    id: str
    name_zh: str
    name_en: str | None = None
    stage: Stage
    industry: str  # industry code the node's firms are classed under
    weight: float = 1.0  # expected relative weight in the chain's output (for thin-node rules)


class Chain(Sourced):
    id: str
    cluster: str  # a cluster id
    name_zh: str
    name_en: str
    region: str | None = None  # a district's own chain (涪陵 聚氨酯树脂); None = city template
    nodes: list[ChainNode]
    edges: list[tuple[str, str]]  # input -> output

    @model_validator(mode="after")
    def _edges_known(self):
        ids = [n.id for n in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError("node ids repeat within the chain")
        for a, b in self.edges:
            for x in (a, b):
                if x not in ids:
                    raise ValueError(f"edge {a}->{b} names unknown node {x!r}")
        return self


class ChainsFile(Strict):
    chains: list[Chain]


# ---------------------------------------------------------------- enterprise ladder
Op = Literal[">=", ">", "<=", "<", "==", "between", "true"]


class Condition(Strict):
    """One test on a measure the analytics compute for a firm (see analytics/ladder/measures.py)."""

    measure: str  # rd_intensity, revenue, rd_expense, niche_years, honour:高新技术企业 ...
    op: Op
    value: float | None = None
    high: float | None = None  # upper bound for 'between'
    unit: str | None = None
    years: int | None = None  # 'in each of the last N years' / 'average of the last N years'
    aggregate: Literal["each", "average", "sum", "last"] = "last"


class Criterion(Sourced):
    id: str
    label_zh: str
    label_en: str
    all_of: list[Condition] = Field(default_factory=list)
    any_of: list[Condition] = Field(default_factory=list)
    applies_if: Condition | None = None  # e.g. a revenue band
    data_available: bool = True  # False: the warehouse holds no figure for it (always 'unknown')
    replaced_by: list[Condition] = Field(default_factory=list)  # direct routes: any one of them passes the
    # whole criterion (for "(A and B and C) or D" rules)


class Band(Strict):
    min: float | None = None  # inclusive lower bound
    max: float | None = None  # exclusive upper bound
    points: float
    label: str | None = None


class ScoringIndicator(Strict):
    id: str
    label_zh: str
    label_en: str
    measure: str
    max_points: float
    bands: list[Band]
    data_available: bool = True


class ScoringCategory(Strict):
    key: str
    label_zh: str
    label_en: str
    max_points: float
    min_points: float | None = None  # sub-minimum
    indicators: list[ScoringIndicator]


class Scoring(Strict):
    total_min: float
    categories: list[ScoringCategory]


class TierTarget(Strict):
    """Which published figures (figures.yaml `metric`) count the firms of a tier, for the pipeline."""

    metric: MetricKey  # specialized_sme_count, new_little_giant_count ...
    kind: Literal["stock", "new"]  # holders at a date / firms newly recognised in a period
    levels: list[str] = Field(default_factory=list)  # honour levels counted (empty: every level)


class LadderTier(Sourced):
    key: str
    rank: int
    honour: str  # the honour kind this tier is recorded as in the warehouse
    name_zh: str
    name_en: str
    recognised_by: str | None = None
    prerequisite: str | None = None  # tier key that must be held first
    validity_years: int | None = None
    criteria: list[Criterion] = Field(default_factory=list)  # all must be met
    scoring: Scoring | None = None
    score_or_direct: list[Criterion] = Field(default_factory=list)  # any one replaces the score
    targets: list[TierTarget] = Field(default_factory=list)  # figure metrics that count this tier


class HonourKind(Sourced):
    key: str
    name_zh: str
    name_en: str
    group: Literal["ladder", "tech", "digital", "chain", "scale", "other"]
    levels: list[str] = Field(default_factory=lambda: ["national", "municipal"])
    validity_years: int | None = None  # a recognition holds this many years (None: no expiry known)


class LadderFile(Strict):
    honour_kinds: list[HonourKind]
    tiers: list[LadderTier]


# ---------------------------------------------------------------- size classes (scale.yaml)
class ScaleThreshold(Strict):
    """The above-scale threshold in force from `from_year` to `to_year` (inclusive; open when None)."""

    from_year: int
    to_year: int | None = None
    revenue_yuan: float  # a firm-year is above scale at revenue >= this
    rule_zh: str
    basis: str | None = None
    note: str | None = None


class AboveScale(Sourced):
    """规模以上 (above designated size): which firm-years the published 规上 figures count."""

    name_zh: str
    name_en: str
    sections: list[str]  # industry sections the rule applies to (B, C, D: 工业)
    thresholds: list[ScaleThreshold]

    @model_validator(mode="after")
    def _ordered(self):
        ys = [(t.from_year, t.to_year) for t in self.thresholds]
        if not ys:
            raise ValueError("give at least one threshold")
        for (a, b), (c, _) in zip(ys, ys[1:]):
            if b is None or b >= c:
                raise ValueError(f"thresholds overlap or are out of order: {a}-{b} then {c}")
        for a, b in ys:
            if b is not None and b < a:
                raise ValueError(f"threshold period {a}-{b} ends before it starts")
        return self

    def threshold(self, year: int) -> float:
        """The threshold in force in `year` (before the first period: the first period's)."""
        for t in reversed(self.thresholds):
            if year >= t.from_year:
                return float(t.revenue_yuan)
        return float(self.thresholds[0].revenue_yuan)


class SmeLimits(Sourced):
    """中小企业 size limits for some sections: a firm is an SME when it is below either limit."""

    sections: list[str]
    max_employees: int  # SME: employees < this ...
    max_revenue_yuan: float  # ... or revenue < this


class SmeStandard(Sourced):
    name_zh: str
    name_en: str
    standard: str  # the document
    limits: list[SmeLimits]


class ScaleFile(Strict):
    above_scale: AboveScale
    sme: SmeStandard


# ---------------------------------------------------------------- per-mu evaluation
class MujunIndicator(Strict):
    key: str
    name_zh: str
    name_en: str
    numerator: str  # an enterprise_year column
    denominator: str
    scale: float = 1.0  # numerator/denominator is multiplied by this before comparing
    unit: str
    weight: float
    benchmark: float | None = None  # the published reference value (score = value / benchmark x weight)
    benchmark_of_prior_mean: float | None = None  # or: this multiple of the previous year's mean of the
    # indicator among the rated firms of the same region (淮安 2024: 2)
    cap: float | None = None  # maximum score as a multiple of the weight
    benchmark_mean: Literal["pooled", "firms"] = "pooled"  # benchmark_of_prior_mean over: the unit's totals
    # (sum numerator / sum denominator) or the mean of the firms' values
    missing: Literal["average", "zero", "exclude"] = "zero"

    @model_validator(mode="after")
    def _one_benchmark(self):
        if (self.benchmark is None) == (self.benchmark_of_prior_mean is None):
            raise ValueError("give either benchmark (a value) or benchmark_of_prior_mean (a multiple), not both")
        return self


class MujunClass(Strict):
    key: str
    name_zh: str
    name_en: str
    top_share: float | None = None  # cumulative share of rated firms from the top
    min_score: float | None = None
    policy_zh: str | None = None  # the differentiated policy this class receives, in words
    policy_en: str | None = None


class MujunMethod(Sourced):
    id: str
    name_zh: str
    name_en: str
    place: str
    year: int
    scope: str
    indicators: list[MujunIndicator]
    class_rule: Literal["share", "threshold"]
    classes: list[MujunClass]
    not_rated: dict[str, float | str | list[str]] = Field(default_factory=dict)
    scope_sections: list[str] = Field(default_factory=list)  # industry sections evaluated (empty: all)
    scope_min_revenue: float | None = None  # only firms with revenue (营业收入, yuan) at least this
    scope_above_scale: bool = False  # only the pack's above-scale (规上) firm-years (scale.yaml, by year)
    rank_within: list[str] = Field(default_factory=lambda: ["region", "industry"])
    cap: float | None = None  # a per-indicator cap for every indicator without its own (multiple of its weight);
    # a method setting (zhizao mujun --cap): off where the source publishes none

    @model_validator(mode="after")
    def _classes(self):
        if self.class_rule == "share":
            shares = [c.top_share for c in self.classes]
            if any(s is None for s in shares) or shares != sorted(shares) or abs(shares[-1] - 1) > 1e-9:
                raise ValueError("share classes need increasing cumulative top_share ending at 1.0")
        return self


class MujunUnits(Sourced):
    """The units the city evaluates firms in besides its counties: functional areas (region codes of level
    functional_area) whose parks' firms form a unit of their own (Chongqing: 两江新区, 重庆高新区, 万盛经开区)."""

    areas: list[str] = Field(default_factory=list)


class MujunFile(Strict):
    default_method: str
    methods: list[MujunMethod]
    evaluation_units: MujunUnits | None = None


# ---------------------------------------------------------------- published figures and targets
class Figure(Sourced):
    """A published number: an actual figure or a target, as the fact schema of seeds/README.md."""

    id: str
    entity: str  # canonical simplified name (江北区, 重庆市, 主城新区, 涪陵高新区)
    entity_type: EntityType
    metric: MetricKey  # a key of the metric vocabulary (zhizao/vocab.py)
    value: float
    unit: Unit
    period: str | None  # 2023 | 2023-01..2023-10 | as_of:2024-06 | 2023..2027 | annual | None
    kind: Kind
    cluster: str | None = None  # a cluster id of the pack, when the figure is about one
    cluster_text: str | None = None  # the wording in the source when no pack cluster fits
    qualifier: Qualifier | None = None
    metric_zh: str | None = None
    quote: str | None = None  # exact text in the source, when the pack holds the text
    baseline_value: float | None = None  # for targets: the figure the plan starts from
    baseline_year: int | None = None
    ambiguous: bool = False  # the source does not settle what the number attaches to (see note)
    entity_as_written: str | None = None  # the entity as the source writes it (江北, 兩江新區), when it differs


class FiguresFile(Strict):
    figures: list[Figure]


# ---------------------------------------------------------------- parks
class Park(Sourced):
    id: str
    name_zh: str
    name_en: str | None = None
    region: str  # county-level code it lies in
    kind: str  # national_high_tech_zone, economic_development_zone, industrial_park ...
    aliases: list[str] = Field(default_factory=list)
    functional_area: str | None = None  # the functional area it belongs to, if any


class ParksFile(Strict):
    parks: list[Park]


class SourcesFile(Strict):
    sources: list[Source]
