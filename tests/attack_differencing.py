"""The differencing attacker: what a user can compute from the figures the API shows them.

It reads every aggregate endpoint as the user sees it, and — to know which sums really hold — as the admin
sees it (an attacker who guesses the right relations; the strongest kind). Every shown or blanked figure
becomes a variable keyed by what it measures:

    (measure, year, map, place, unit)     e.g. ("output_value", 2025, "current", "500106", "T2-1")

Variables are tied by every linear relation that holds in the truth:

    region totals   a region = the sum of its descendants of one level (county → subgroup → group → city),
                    per year, map, unit and measure (tried for every level, kept when the sums agree);
    unit totals     a tier = the sum of its clusters; a region's total = the sum of its industries; an
                    industry's city total = the sum of the counties; a cluster = Σ share × its industries;
                    a chain's output in a region = the sum of its nodes;
    supplier flows  a leader's purchases = the sum of its supplier rows; its local (same county) and group
                    amounts = the sums of those rows;
    the same figure in two places (two maps, two endpoints) = itself;
    derived columns growth (prev = cur / (1 + g)), shares (× the total), per-mu figures (× land), and
                    node shares (× the chain's output) turn into the figure they come from.

A blanked figure is recovered when it is determined by those equations and the shown figures (it lies in
the row space of the equations restricted to the blanked unknowns). `attack()` returns every recovered
figure with its true value, and every equation whose blanked unknowns cover fewer than three firms.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from attack_fixtures import fetch_all

MONEY = ("output_value", "value_added", "revenue", "tax", "fixed_investment", "tech_renovation_investment")
FIGURES = MONEY + ("profit", "rd_expense", "employees", "land_mu", "energy_tce", "emission_equiv")
MIN_FIRMS = 3


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b)) + 1e-3


@dataclass
class Board:
    """Variables as one user sees them, with the truth beside them."""

    seen: dict = field(default_factory=dict)  # var -> value shown (None: blanked)
    truth: dict = field(default_factory=dict)  # var -> true value
    firms: dict = field(default_factory=dict)  # (year, map, place, unit) -> firm count
    where: dict = field(default_factory=dict)  # var -> an endpoint that holds it
    equations: list = field(default_factory=list)  # [{var: coefficient}]
    inconsistent: list = field(default_factory=list)  # vars shown in one place, blanked in another

    def put(self, var, seen, true, source: str, firms: int | None = None, derived: bool = False):
        """`var` as shown (None: blanked) with its true value. A derived reading (from a growth rate, a share)
        that cannot be made because an input is blanked is no reading at all."""
        if true is None or (isinstance(true, float) and math.isnan(true)):
            return
        if derived and seen is None:
            return
        if var in self.seen:
            old = self.seen[var]
            if (old is None) != (seen is None):
                self.inconsistent.append((var, self.where[var], source))
            if old is None:
                self.seen[var] = seen
        else:
            self.seen[var] = seen
            self.where[var] = source
        self.truth[var] = float(true)
        if firms is not None:
            self.firms.setdefault(var[1:], firms)

    def relation(self, total, parts: list[tuple], check: bool = True) -> bool:
        """total = Σ coef · part, kept when it holds in the truth."""
        if total not in self.truth or any(p not in self.truth for p, _ in parts) or not parts:
            return False
        if check and not close(self.truth[total], sum(c * self.truth[p] for p, c in parts)):
            return False
        eq = defaultdict(float)
        eq[total] -= 1.0
        for p, c in parts:
            eq[p] += c
        self.equations.append(dict(eq))
        return True


def _rows(client, token, url, **params):
    return fetch_all(client, token, url, **params)["rows"]


def _pairs(client, tokens, who, url, key, **params):
    """(row as seen, row as the admin sees it), matched by key."""
    seen = _rows(client, tokens[who], url, **params)
    truth = {key(r): r for r in _rows(client, tokens["admin"], url, **params)}
    return [(r, truth[key(r)]) for r in seen if key(r) in truth]


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def read_board(client, tokens, who: str, year: int, regions: dict[str, dict]) -> Board:
    b = Board()
    root = next(c for c, r in regions.items() if r["level"] == "province")
    # --------------------------------------------------------------- /figures: every region, unit '*'
    for mp in ("current", "recorded"):
        for y in (year, year - 1):
            for s, t in _pairs(
                client, tokens, who, "/api/v1/figures", lambda r: r["region_code"], year=y, level="", map=mp
            ):
                key = (y, mp, s["region_code"], "*")
                for m in FIGURES:
                    b.put((m, *key), _num(s.get(m)), _num(t.get(m)), "figures", t.get("firms"))
                    g, tg = _num(s.get(f"{m}_growth")), _num(t.get(f"{m}_growth"))
                    if tg is not None and _num(t.get(m)) is not None:
                        prev = (m, y - 1, mp, s["region_code"], "*")
                        seen = s[m] / (1 + g) if g is not None and _num(s.get(m)) is not None and g != -1 else None
                        b.put(prev, seen, t[m] / (1 + tg), "figures growth", derived=True)
    # --------------------------------------------------------------- cluster figures (both maps, prev year)
    units = {}
    for mp in ("current", "recorded"):
        for s, t in _pairs(
            client,
            tokens,
            who,
            "/api/v1/results/clusters/figures",
            lambda r: (r["region_code"], r["unit_id"]),
            region_map=mp,
        ):
            units[t["unit_id"]] = (t["scope"], t.get("system_id"), t.get("tier"))
            y = t["year"]
            unit = "*" if t["scope"] == "all" else t["unit_id"]
            for m in MONEY:
                b.put((m, y, mp, t["region_code"], unit), _num(s.get(m)), _num(t.get(m)), "clusters", t.get("firms"))
                b.put(
                    (m, y - 1, mp, t["region_code"], unit),
                    _num(s.get(f"{m}_prev")),
                    _num(t.get(f"{m}_prev")),
                    "clusters prev",
                    t.get("firms_prev"),
                )
                g, tg = _num(s.get(f"{m}_growth")), _num(t.get(f"{m}_growth"))
                if tg is not None and _num(t.get(m)) is not None:
                    seen = s[m] / (1 + g) if g is not None and _num(s.get(m)) is not None else None
                    b.put(
                        (m, y - 1, mp, t["region_code"], unit), seen, t[m] / (1 + tg), "clusters growth", derived=True
                    )
    # --------------------------------------------------------------- specialisation, strength, complexity
    for path, kind in (("specialisation/lq", None), ("specialisation/strength", "cluster")):
        for s, t in _pairs(
            client,
            tokens,
            who,
            f"/api/v1/results/{path}",
            lambda r: (r["level"], r["region_code"], r["kind"], r["code"]),
        ):
            unit = t["code"] if (kind or t["kind"]) == "cluster" else "ind:" + t["code"]
            y = t["result_year"]
            b.put(
                ("output_value", y, "yearend", t["region_code"], unit),
                _num(s.get("value")),
                _num(t.get("value")),
                path,
                t.get("firms"),
            )
            b.put(
                ("output_value", y, "yearend", t["region_code"], "*"),
                _num(s.get("region_value")),
                _num(t.get("region_value")),
                path,
            )
            rs, trs = _num(s.get("region_share")), _num(t.get("region_share"))
            if trs is not None and _num(t.get("region_value")) is not None:
                seen = rs * s["region_value"] if rs is not None and _num(s.get("region_value")) is not None else None
                b.put(
                    ("output_value", y, "yearend", t["region_code"], unit),
                    seen,
                    trs * t["region_value"],
                    path,
                    derived=True,
                )
            if t.get("base_year"):
                b.put(
                    ("output_value", t["base_year"], "yearend", t["region_code"], unit),
                    _num(s.get("value_base")),
                    _num(t.get("value_base")),
                    path + " base",
                )
    for s, t in _pairs(
        client,
        tokens,
        who,
        "/api/v1/results/opportunities/complexity",
        lambda r: (r["region_code"], r["industry_code"]),
    ):
        b.put(
            ("output_value", t["result_year"], "yearend", t["region_code"], "ind:" + t["industry_code"]),
            _num(s.get("value")),
            _num(t.get("value")),
            "complexity",
        )
    for s, t in _pairs(client, tokens, who, "/api/v1/results/opportunities/regions", lambda r: r["region_code"]):
        b.put(
            ("output_value", t["result_year"], "yearend", t["region_code"], "*"),
            _num(s.get("value")),
            _num(t.get("value")),
            "complexity regions",
        )
    for s, t in _pairs(client, tokens, who, "/api/v1/results/opportunities/industries", lambda r: r["industry_code"]):
        b.put(
            ("output_value", t["result_year"], "yearend", root, "ind:" + t["industry_code"]),
            _num(s.get("value")),
            _num(t.get("value")),
            "complexity industries",
        )
    for s, t in _pairs(
        client,
        tokens,
        who,
        "/api/v1/results/specialisation/shift-share",
        lambda r: (r["level"], r["region_code"], r["kind"], r["code"], r["method"]),
    ):
        unit = "*" if t["kind"] == "region" else (t["code"] if t["kind"] == "cluster" else "ind:" + t["code"])
        b.put(
            ("output_value", t["year"], "yearend", t["region_code"], unit),
            _num(s.get("value")),
            _num(t.get("value")),
            "shift-share",
        )
        b.put(
            ("output_value", t["base_year"], "yearend", t["region_code"], unit),
            _num(s.get("value_base")),
            _num(t.get("value_base")),
            "shift-share base",
        )
        ch, tch = _num(s.get("change")), _num(t.get("change"))
        if tch is not None and _num(t.get("value")) is not None:
            seen = s["value"] - ch if ch is not None and _num(s.get("value")) is not None else None
            b.put(
                ("output_value", t["base_year"], "yearend", t["region_code"], unit),
                seen,
                t["value"] - tch,
                "shift-share change",
                derived=True,
            )
    # --------------------------------------------------------------- chain coverage (node and chain cells)
    for s, t in _pairs(
        client,
        tokens,
        who,
        "/api/v1/results/chains/coverage",
        lambda r: (r["region_map"], r["region_code"], r["chain_id"], r["node_id"]),
    ):
        y, mp, reg = t["result_year"], "chain-" + t["region_map"], t["region_code"]
        node, chain = ("node", t["chain_id"], t["node_id"]), ("chain", t["chain_id"])
        b.put(("output", y, mp, reg, node), _num(s.get("output")), _num(t.get("output")), "coverage", t.get("firms"))
        b.put(
            ("output", y, mp, reg, chain),
            _num(s.get("chain_output")),
            _num(t.get("chain_output")),
            "coverage",
            t.get("chain_firms"),
        )
        for a, bb in (("expected_output", "shortfall"),):
            if _num(t.get(a)) is not None and _num(t.get(bb)) is not None:
                seen = s[a] - s[bb] if _num(s.get(a)) is not None and _num(s.get(bb)) is not None else None
                b.put(("output", y, mp, reg, node), seen, t[a] - t[bb], "coverage shortfall", derived=True)
        if _num(t.get("node_share")) is not None and _num(t.get("chain_output")) is not None:
            ok = _num(s.get("node_share")) is not None and _num(s.get("chain_output")) is not None
            b.put(
                ("output", y, mp, reg, node),
                s["node_share"] * s["chain_output"] if ok else None,
                t["node_share"] * t["chain_output"],
                "coverage share",
                derived=True,
            )
    for s, t in _pairs(
        client,
        tokens,
        who,
        "/api/v1/results/chains/recruitment",
        lambda r: (r["region_map"], r["region_code"], r["chain_id"], r["node_id"], r["action"]),
    ):
        y, mp, reg = t["result_year"], "chain-" + t["region_map"], t["region_code"]
        b.put(
            ("output", y, mp, reg, ("node", t["chain_id"], t["node_id"])),
            _num(s.get("output")),
            _num(t.get("output")),
            "recruitment",
            t.get("firms"),
        )
    # --------------------------------------------------------------- 亩均 regions
    for s, t in _pairs(client, tokens, who, "/api/v1/results/mujun/regions", lambda r: (r["region_code"], r["level"])):
        y, mp, reg = t["result_year"], "mujun-" + str(t.get("method")), t["region_code"]
        land, tland = _num(s.get("land_mu")), _num(t.get("land_mu"))
        b.put(("land_mu", y, mp, reg, "*"), land, tland, "mujun", t.get("firms"))
        for per, m in (("tax_per_mu", "tax"), ("value_added_per_mu", "value_added")):
            tv = _num(t.get(per))
            if tv is not None and tland is not None:
                sv = _num(s.get(per))
                b.put(
                    (m, y, mp, reg, "*"),
                    sv * land if sv is not None and land is not None else None,
                    tv * tland,
                    "mujun " + per,
                )
        if _num(t.get("mean_score")) is not None and t.get("rated"):
            sv = _num(s.get("mean_score"))
            b.put(
                ("score", y, mp, reg, "*"),
                sv * s["rated"] if sv is not None else None,
                t["mean_score"] * t["rated"],
                "mujun score",
            )
    # --------------------------------------------------------------- supplier flows (district users)
    if who != "pub":
        try:
            sup = _pairs(
                client,
                tokens,
                who,
                "/api/v1/results/chains/suppliers",
                lambda r: (r["chain_id"], r["leader"], r["node_id"], r["supplier_region"]),
            )
            lead = _pairs(client, tokens, who, "/api/v1/results/chains/leaders", lambda r: (r["chain_id"], r["leader"]))
        except AssertionError:
            sup, lead = [], []
        for s, t in sup:
            v = (
                "amount",
                t["result_year"],
                "supply",
                (t["chain_id"], t["leader"]),
                (t["node_id"], t["supplier_region"]),
            )
            b.put(v, _num(s.get("amount")), _num(t.get("amount")), "suppliers", t.get("suppliers"))
            if _num(t.get("share")) is not None:
                b.put(("share", *v[1:]), _num(s.get("share")), _num(t.get("share")), "suppliers share")
        for s, t in lead:
            base = (t["result_year"], "supply", (t["chain_id"], t["leader"]))
            for col in ("purchases", "local_amount", "group_amount", "core_amount"):
                b.put(("amount", *base, col), _num(s.get(col)), _num(t.get(col)), "leaders")
        _supply_relations(b, sup)
    _relations(b, regions, units, client, tokens)
    return b


def _supply_relations(b: Board, sup):
    by = defaultdict(list)
    for _, t in sup:
        by[(t["result_year"], (t["chain_id"], t["leader"]))].append(t)
    for (y, lead), rows in by.items():
        allv = [(("amount", y, "supply", lead, (r["node_id"], r["supplier_region"])), 1.0) for r in rows]
        b.relation(("amount", y, "supply", lead, "purchases"), allv)
        for col, flag in (("local_amount", "same_county"), ("group_amount", "same_group")):
            part = [(("amount", y, "supply", lead, (r["node_id"], r["supplier_region"])), 1.0) for r in rows if r[flag]]
            b.relation(("amount", y, "supply", lead, col), part)
        # share = amount / purchases: a shown share and a shown total give the amount
        for r in rows:
            v = ("amount", y, "supply", lead, (r["node_id"], r["supplier_region"]))
            sv = ("share", y, "supply", lead, (r["node_id"], r["supplier_region"]))
            tot = ("amount", y, "supply", lead, "purchases")
            if sv in b.seen and b.seen[sv] is not None and tot in b.seen and b.seen[tot] is not None:
                if b.seen.get(v) is None and v in b.truth:
                    b.seen[v] = b.seen[sv] * b.seen[tot]


def _relations(b: Board, regions: dict, units: dict, client, tokens):
    anc = {}
    for c in regions:
        chain, p = [], regions[c].get("parent_code")
        while p and p in regions and p not in chain:
            chain.append(p)
            p = regions[p].get("parent_code")
        anc[c] = chain
    by_cell = defaultdict(dict)  # (measure, year, map, unit) -> place -> var
    by_place = defaultdict(dict)  # (measure, year, map, place) -> unit -> var
    for v in b.truth:
        m, y, mp, place, unit = v
        by_cell[(m, y, mp, unit)][place] = v
        by_place[(m, y, mp, place)][unit] = v
    # region totals
    for (_m, _y, mp, _unit), places in by_cell.items():
        if mp == "supply":
            continue
        for p, pv in places.items():
            if p not in regions:
                continue
            below = [c for c in places if c in anc and p in anc[c]]
            for lvl in {regions[c]["level"] for c in below}:
                b.relation(pv, [(places[c], 1.0) for c in below if regions[c]["level"] == lvl])
    # unit totals
    shares = {}
    for (_m, _y, mp, _place), us in by_place.items():
        if mp == "supply":
            continue
        tiers = defaultdict(list)
        for u in us:
            sc = units.get(u)
            if sc and sc[0] == "cluster":
                tiers[f"{sc[1]}/{sc[2]}"].append(us[u])
        for t, parts in tiers.items():
            if t in us:
                b.relation(us[t], [(p, 1.0) for p in parts])
        inds = [us[u] for u in us if isinstance(u, str) and u.startswith("ind:")]
        if "*" in us and inds:
            b.relation(us["*"], [(p, 1.0) for p in inds])
        chains = defaultdict(list)
        for u in us:
            if isinstance(u, tuple) and u[0] == "node":
                chains[("chain", u[1])].append(us[u])
        for c, parts in chains.items():
            if c in us:
                b.relation(us[c], [(p, 1.0) for p in parts])
        for u in us:
            if isinstance(u, str) and u in units and units[u][0] == "cluster" and mp == "yearend":
                if u not in shares:
                    cl = client.get(f"/api/v1/clusters/{u}", headers={"Authorization": "Bearer " + tokens["admin"]})
                    shares[u] = (
                        {i["industry_code"]: i["share"] for i in cl.json().get("industries", [])}
                        if cl.status_code == 200
                        else {}
                    )
                parts = [(us["ind:" + i], s) for i, s in shares[u].items() if "ind:" + i in us]
                b.relation(us[u], parts)
    # the same figure on two maps
    same = defaultdict(list)
    for v in b.truth:
        m, y, mp, place, unit = v
        if mp in ("current", "recorded", "yearend"):
            same[(m, y, place, unit)].append(v)
    for vs in same.values():
        for a in vs[1:]:
            if close(b.truth[a], b.truth[vs[0]]):
                b.relation(vs[0], [(a, 1.0)])


def attack(b: Board) -> tuple[list, list]:
    """(recovered [(var, true value, value solved)], weak equations [(vars, firms)]). An equation is weak when
    its blanked cells all add with the same sign and hold fewer than MIN_FIRMS firms together: it gives away
    their sum, a small aggregate."""
    unknown = {v for v, s in b.seen.items() if s is None}
    known = {v: s for v, s in b.seen.items() if s is not None}
    eqs = []
    for eq in b.equations:
        u = {v: c for v, c in eq.items() if v in unknown and abs(c) > 1e-12}
        if not u:
            continue
        rhs = -sum(c * known[v] for v, c in eq.items() if v in known)
        eqs.append((u, rhs))
    weak = []
    for u, _ in eqs:
        if len({c > 0 for c in u.values()}) > 1:
            continue  # a total less its parts: the difference of cells, not a sum over fewer firms
        cells = {v[1:] for v in u}
        fs = [b.firms.get(c) for c in cells]
        if all(f is not None for f in fs) and 0 < sum(fs) < MIN_FIRMS:
            weak.append((sorted(map(str, u)), sum(fs)))
    # connected components of unknowns through equations
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, _ in eqs:
        vs = list(u)
        for v in vs[1:]:
            parent[find(v)] = find(vs[0])
    comps = defaultdict(list)
    for i, (u, _) in enumerate(eqs):
        comps[find(next(iter(u)))].append(i)
    recovered = []
    for idx in comps.values():
        vars_ = sorted({v for i in idx for v in eqs[i][0]}, key=str)
        col = {v: j for j, v in enumerate(vars_)}
        A = np.zeros((len(idx), len(vars_)))
        y = np.zeros(len(idx))
        for r, i in enumerate(idx):
            for v, c in eqs[i][0].items():
                A[r, col[v]] = c
            y[r] = eqs[i][1]
        _, sv, vt = np.linalg.svd(A, full_matrices=True)
        rank = int((sv > 1e-9 * max(1.0, sv[0] if len(sv) else 1.0)).sum())
        null = vt[rank:]
        sol = np.linalg.lstsq(A, y, rcond=None)[0]
        for v, j in col.items():
            if null.shape[0] == 0 or np.abs(null[:, j]).max() < 1e-9:
                t = b.truth[v]
                if close(sol[j], t):
                    recovered.append((v, t, float(sol[j])))
    return recovered, weak
