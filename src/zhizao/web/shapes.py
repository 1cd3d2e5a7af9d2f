"""How each aggregate result row maps onto disclosure cells (web/disclosure.py, web/suppression.py).

A row shows figures of one or more *cells*: the current year's (`cur`), the previous or base year's
(`prev`, `base`), a total it is a share of (`total`), a chain's total (`chain`). Each column of the row is
computed from some of them and is blanked when any of them is: `output_value_growth` comes from `cur` and
`prev`, `output_value_prev` from `prev` alone, `lq` from `cur`. Counts of firms stay visible.

Cell keys are (year, map, place, unit):
    map    'current' | 'recorded' (region figures of /figures), 'cf-current' | 'cf-recorded' (cluster figures,
           evaluated: they may predate an import), 'cf-small-<map>' (their firms below the above-scale
           threshold: X_all − X, analytics/scale.py), 'yearend-Y' (specialisation, complexity
           and shift-share of result year Y, on the map of Y's last day), 'chain-<map>', 'mujun-<method>',
           'supply' (a chain leader's purchases)
    place  a region code; 'park:<id>'; a chain leader's credit code
    unit   '*' (every firm), a cluster or tier unit id, 'ind:<code>', 'node:<chain>/<node>', 'chain:<chain>',
           'class:<A…>', a supplier (node, region) pair or a leader total's name
The same key from two tables is the same cell; equal figures under two maps are tied together by
web/suppression.py, so a figure blanked in one place is blanked everywhere it appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MONEY = ("output_value", "value_added", "revenue", "tax", "fixed_investment", "tech_renovation_investment")
FIGURES = MONEY + ("profit", "rd_expense", "employees", "land_mu", "energy_tce", "emission_equiv")


@dataclass(frozen=True)
class CellRef:
    key: tuple  # (year, map, place, unit)
    firms: int | None = None  # firms the cell sums over (None: unknown here)
    values: tuple = ()  # ((measure, value), …) for checking relations and ties
    owner: str | None = None  # the region whose firms make up the cell (a district user's own cells are known)
    shown: bool = False  # always shown to whoever may see the row (a leader's own totals)
    parent: str | None = None  # a place this place sums into (a park's county)
    tag: str | None = None  # supply flows: 'same_county' | 'same_group' | None
    lookup: bool = False  # only look the decision up (the row adds no figure of its own)


@dataclass
class RowCells:
    cells: dict[str, CellRef] = field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> roles it is computed from


def _vals(row: dict, pairs) -> tuple:
    out = []
    for measure, col in pairs:
        v = row.get(col)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append((measure, float(v)))
    return tuple(out)


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# ----------------------------------------------------------------------------------------- region figures
def region_figures(row: dict, mapping: str) -> RowCells:
    """/api/v1/figures: firm figures summed per region (unit '*'), growth against the year before, shares."""
    y, place = int(row["year"]), row["region_code"]
    cur = CellRef((y, mapping, place, "*"), row.get("firms"), _vals(row, [(m, m) for m in FIGURES]), place)
    prev = CellRef((y - 1, mapping, place, "*"), None, (), place, lookup=True)
    cols = {}
    for m in FIGURES:
        cols[m] = ("cur",)
        cols[f"{m}_share"] = ("cur",)
        cols[f"{m}_growth"] = ("cur", "prev")
    return RowCells({"cur": cur, "prev": prev}, cols)


# ----------------------------------------------------------------------------------------- clusters
def _small(row: dict, key: tuple, place: str, measures) -> tuple[CellRef | None, dict]:
    """The firms below the above-scale threshold in a row that shows X (规上) and X_all (every firm): the cell
    X_all − X over firms_all − firms firms, and the X_all columns computed from it and from 'cur'."""
    if not _num(row.get("firms_all")):
        return None, {}
    vals = tuple(
        (m, float(row[f"{m}_all"]) - (float(row[m]) if _num(row.get(m)) else 0.0))
        for m in measures
        if _num(row.get(f"{m}_all"))
    )
    n = int(row["firms_all"]) - (int(row["firms"]) if _num(row.get("firms")) else 0)
    return CellRef(key, n, vals, place), {f"{m}_all": ("cur", "small") for m in measures}


def cluster_figures(row: dict, env=None) -> RowCells:
    """cluster_figures: the 规上 figures X (cell 'cur') and, beside them, every firm's X_all = X + the firms below
    the above-scale threshold (cell 'small': X_all − X over firms_all − firms firms). X_all is shown only when both
    parts may be, so the difference of the two columns never discloses one or two small firms."""
    y, mp, place = int(row["year"]), f"cf-{row['region_map']}", row["region_code"]
    unit = "*" if row.get("scope") == "all" else row["unit_id"]
    cur = CellRef((y, mp, place, unit), row.get("firms"), _vals(row, [(m, m) for m in MONEY]), place)
    prev = CellRef(
        (y - 1, mp, place, unit), row.get("firms_prev"), _vals(row, [(m, f"{m}_prev") for m in MONEY]), place
    )
    cols = {}
    for m in MONEY:
        cols[m] = ("cur",)
        cols[f"{m}_share_of_city"] = ("cur",)
        cols[f"{m}_share_of_region"] = ("cur",)
        cols[f"{m}_prev"] = ("prev",)
        cols[f"{m}_growth"] = ("cur", "prev")
    cells = {"cur": cur, "prev": prev}
    small, more = _small(row, (y, f"cf-small-{row['region_map']}", place, unit), place, MONEY)
    if small is not None:
        cells["small"] = small
        cols.update(more)
    return RowCells(cells, cols)


# ----------------------------------------------------------------------------------------- specialisation
def _unit(kind: str, code: str) -> str:
    if kind == "region":
        return "*"
    return code if kind == "cluster" else f"ind:{code}"


def specialisation(row: dict, env=None) -> RowCells:
    """specialisation / cluster_strength: region × unit on the map of the result year's end."""
    y = int(row["result_year"])
    mp, place = f"yearend-{y}", row["region_code"]
    unit = _unit(row.get("kind") or "cluster", row["code"])
    cells = {
        "cur": CellRef((y, mp, place, unit), row.get("firms"), _vals(row, [("output_value", "value")]), place),
        "total": CellRef((y, mp, place, "*"), None, _vals(row, [("output_value", "region_value")]), place),
    }
    cols = {c: ("cur",) for c in ("value", "region_share", "city_share", "lq")}
    cols["region_value"] = ("total",)
    if row.get("base_year"):
        cells["base"] = CellRef(
            (int(row["base_year"]), mp, place, unit), None, _vals(row, [("output_value", "value_base")]), place
        )
        cols.update(
            {"value_base": ("base",), "lq_base": ("base",), "lq_change": ("cur", "base"), "cagr": ("cur", "base")}
        )
    return RowCells(cells, cols)


def portfolio(row: dict, env=None) -> RowCells:
    y = int(row["result_year"])
    cur = CellRef(
        (y, f"yearend-{y}", row["region_code"], "*"), None, _vals(row, [("output_value", "value")]), row["region_code"]
    )
    return RowCells({"cur": cur}, {"value": ("cur",)})


def shift_share(row: dict, env=None) -> RowCells:
    y, y0 = int(row["year"]), int(row["base_year"])
    mp, place = f"yearend-{int(row['result_year'])}", row["region_code"]
    unit = _unit(row["kind"], row["code"])
    cells = {
        "cur": CellRef((y, mp, place, unit), None, _vals(row, [("output_value", "value")]), place),
        "base": CellRef((y0, mp, place, unit), None, _vals(row, [("output_value", "value_base")]), place),
    }
    both = ("cur", "base")
    cols = {
        "value": ("cur",),
        "value_base": ("base",),
        "change": both,
        "city_growth": ("base",),
        "industry_mix": ("base",),
        "competitive": both,
    }
    if row.get("method") == "dynamic":  # the years between weigh in: every one of them must be shown
        for yy in range(y0 + 1, y):
            cells[f"y{yy}"] = CellRef((yy, mp, place, unit), None, (), place, lookup=True)
        mid = tuple(cells)
        cols.update({"city_growth": mid, "industry_mix": mid, "competitive": mid})
    return RowCells(cells, cols)


# ----------------------------------------------------------------------------------------- complexity
def complexity(row: dict, env=None) -> RowCells:
    y = int(row["result_year"])
    cur = CellRef(
        (y, f"yearend-{y}", row["region_code"], f"ind:{row['industry_code']}"),
        None,
        _vals(row, [("output_value", "value")]),
        row["region_code"],
    )
    return RowCells({"cur": cur}, {"value": ("cur",), "rca": ("cur",)})


def complexity_region(row: dict, env=None) -> RowCells:
    y = int(row["result_year"])
    cur = CellRef(
        (y, f"yearend-{y}", row["region_code"], "*"), None, _vals(row, [("output_value", "value")]), row["region_code"]
    )
    return RowCells({"cur": cur}, {"value": ("cur",)})


def complexity_industry(row: dict, env) -> RowCells:
    y = int(row["result_year"])
    cur = CellRef(
        (y, f"yearend-{y}", env.root, f"ind:{row['industry_code']}"),
        None,
        _vals(row, [("output_value", "value")]),
        env.root,
    )
    return RowCells({"cur": cur}, {"value": ("cur",)})


def recommendation(row: dict, env=None) -> RowCells:
    y = int(row["result_year"])
    unit = _unit(row.get("kind") or "industry", row["code"])
    cur = CellRef((y, f"yearend-{y}", row["region_code"], unit), None, (), row["region_code"], lookup=True)
    return RowCells({"cur": cur}, {"rca": ("cur",)})


# ----------------------------------------------------------------------------------------- chains
def chain_coverage(row: dict, env=None) -> RowCells:
    y, mp, place = int(row["result_year"]), f"chain-{row.get('region_map') or 'recorded'}", row["region_code"]
    node = CellRef(
        (y, mp, place, f"node:{row['chain_id']}/{row['node_id']}"),
        row.get("firms"),
        _vals(row, [("output", "output")]),
        place,
    )
    chain = CellRef(
        (y, mp, place, f"chain:{row['chain_id']}"),
        row.get("chain_firms"),
        _vals(row, [("output", "chain_output")]),
        place,
        lookup="chain_output" not in row,
    )
    both = ("node", "chain")
    cols = {
        "output": ("node",),
        "chain_output": ("chain",),
        "expected_output": ("chain",),
        "node_share": both,
        "share_ratio": both,
        "shortfall": both,
    }
    return RowCells({"node": node, "chain": chain}, cols)


def chain_suppliers(row: dict, env=None) -> RowCells:
    """A chain leader's purchases from the suppliers of one node in one region: a sum over those suppliers
    (firms of that region), inside the leader's own total (its purchases, local and group amounts)."""
    y = int(row["result_year"])
    lead = (row["chain_id"], row["leader"])
    tag = "same_county" if row.get("same_county") else ("same_group" if row.get("same_group") else None)
    flow = CellRef(
        (y, "supply", lead, (row["node_id"], row["supplier_region"])),
        row.get("suppliers"),
        _vals(row, [("amount", "amount")]),
        row["supplier_region"],
        tag=tag,
    )
    return RowCells({"flow": flow}, {"amount": ("flow",), "share": ("flow",)})


def chain_leaders(row: dict, env=None) -> RowCells:
    """A leader's own totals: shown to whoever may see the leader; the supplier flows sum into them."""
    y = int(row["result_year"])
    lead = (row["chain_id"], row["leader"])
    cells = {
        col: CellRef((y, "supply", lead, col), None, _vals(row, [("amount", col)]), row.get("region_code"), shown=True)
        for col in ("purchases", "local_amount", "group_amount")
        if _num(row.get(col))
    }
    return RowCells(cells, {})


# ----------------------------------------------------------------------------------------- 亩均
def _mujun_values(row: dict) -> tuple:
    out = []
    land = row.get("land_mu")
    if _num(land):
        out.append(("land_mu", float(land)))
        for per, m in (("tax_per_mu", "tax"), ("value_added_per_mu", "value_added")):
            if _num(row.get(per)):
                out.append((m, row[per] * land))
    if _num(row.get("mean_score")) and _num(row.get("rated")):
        out.append(("score", row["mean_score"] * row["rated"]))
    return tuple(out)


MUJUN_FIGURES = (
    "land_mu",
    "tax_per_mu",
    "value_added_per_mu",
    "value_added_per_energy",
    "value_added_per_emission",
    "labour_productivity",
    "rd_ratio",
    "mean_score",
)


def mujun_region(row: dict, env=None) -> RowCells:
    y = int(row.get("year") or row["result_year"])
    cur = CellRef(
        (y, f"mujun-{row.get('method')}", row["region_code"], "*"),
        row.get("firms"),
        _mujun_values(row),
        row["region_code"],
    )
    return RowCells({"cur": cur}, {c: ("cur",) for c in MUJUN_FIGURES})


def mujun_park(row: dict, env=None) -> RowCells:
    y = int(row.get("year") or row["result_year"])
    cur = CellRef(
        (y, f"mujun-{row.get('method')}", f"park:{row['park_id']}", "*"),
        row.get("firms"),
        _mujun_values(row),
        row.get("region_code"),
        parent=row.get("region_code"),
    )
    return RowCells({"cur": cur}, {c: ("cur",) for c in MUJUN_FIGURES})


def mujun_policy(row: dict, env) -> RowCells:
    y = int(row.get("year") or row["result_year"])
    vals = _vals(row, [("land_mu", "land_mu")])
    cur = CellRef(
        (y, f"mujun-{row.get('method')}", env.root, f"class:{row['class']}"), row.get("firms"), vals, env.root
    )
    return RowCells({"cur": cur}, {c: ("cur",) for c in ("land_mu", "mean_score", "min_score", "max_score")})


def mujun_benchmark(row: dict, env=None) -> RowCells:
    y = int(row.get("year") or row["result_year"])
    cur = CellRef(
        (y, f"bench-{row.get('method')}", f"unit:{row.get('unit')}", f"ind:{row.get('indicator')}"),
        row.get("with_figure"),
        (),
        None,
    )
    return RowCells({"cur": cur}, {c: ("cur",) for c in ("benchmark", "missing_average")})


# ----------------------------------------------------------------------------------------- targets
def target_progress(row: dict, env=None) -> RowCells:
    """A target's measured figures come from the cluster figures of its scope: they follow that cell."""
    if row.get("scope") != "region" or not row.get("actual_year") or not row.get("scope_id"):
        return RowCells()
    basis = str(row.get("measured_as") or "")
    unit = row.get("cluster_id") or (env.sections_unit if env is not None and "sections" in basis else None)
    if unit is None:
        return RowCells()
    cur = CellRef(
        (int(row["actual_year"]), "cf-current", row["scope_id"], unit), None, (), row["scope_id"], lookup=True
    )
    cols = {
        c: ("cur",)
        for c in (
            "actual_value",
            "growth_so_far",
            "required_growth",
            "required_per_year",
            "projection",
            "gap",
            "progress",
        )
    }
    return RowCells({"cur": cur}, cols)
