"""The warehouse's own data for the web (regions, yearly figures, enterprises, clusters, chains, imports) and
the composite views behind each page (facts and their sources: web/sources.py). Analytics results come through
web/adapters; every function here takes the signed-in Principal and asks web/access.Policy.
"""

from __future__ import annotations

from typing import Any

from ..vocab import SUMMED_FIGURES
from . import regionfigures
from .access import MIN_FIRMS, Denied, Policy, Principal
from .adapters import chains as a_chains
from .adapters import clusters as a_clusters
from .adapters import ladder as a_ladder
from .adapters import mujun as a_mujun
from .adapters import opportunities as a_opp
from .adapters import specialisation as a_spec
from .adapters import targets as a_targets
from .context import NotFound
from .results import MAX_LIMIT, clean, read
from .views import clean_rows
from .warehouse import Warehouse

FIGURES = SUMMED_FIGURES
# what the map and the district tables may show: the firm count and every summed figure
MAP_METRICS = ("firms",) + FIGURES
MEASURES = ("level", "growth", "share")
ENTERPRISE_SORTS = ("uscc", "name", "region_code", "industry_code", "founded", "park_id")


# ------------------------------------------------------------------------------------------- regions
def regions(wh: Warehouse, level: str | None = None, current: bool | None = None) -> list[dict]:
    out = []
    for r in wh.regions().values():
        if level and r.level != level:
            continue
        if current is True and r.valid_to is not None:
            continue
        out.append(
            {
                "code": r.code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "level": r.level,
                "parent_code": r.parent,
                "region_group": r.group,
                "subgroup": r.subgroup,
                "valid_to": clean(r.valid_to),
                "current_code": r.current,
            }
        )
    return out


def region(wh: Warehouse, code: str) -> dict:
    r = wh.regions().get(code)
    if r is None:
        raise NotFound(f"region {code}")
    d = next(x for x in regions(wh) if x["code"] == code)
    d["predecessors"] = sorted(c for c, x in wh.regions().items() if x.current == code and c != code)
    d["ancestors"] = wh.ancestors().get(code, [code])[1:]
    return d


# ------------------------------------------------------------------------------------ yearly figures
def _figure_table(wh: Warehouse, year: int, mapping: str) -> dict[str, dict]:
    """The stored region totals of `year` on `mapping` (web/regionfigures.py: the clusters instrument's
    region_figures): region_code → row with X, X_growth, X_share (of the city), firms, above_scale_firms."""

    def build():
        out = {}
        for r in regionfigures.rows(wh, mapping, year):
            row = {"region_code": r["region_code"], "year": int(r["year"])}
            for m in MAP_METRICS:
                row[m] = clean(r.get(m))
                row[f"{m}_growth"] = clean(r.get(f"{m}_growth"))
                row[f"{m}_share"] = clean(r.get(f"{m}_share_of_city"))
            # 规上 figures only: the all-firm X_all stay in the result table (their difference from X would show
            # the small firms' sum, which the disclosure audit of these rows does not cover)
            row["firms"] = int(r["firms"] or 0)
            row["above_scale_firms"] = int(r.get("above_scale_firms") or 0)
            out[r["region_code"]] = row
        return out

    return wh.cached(("figures", year, mapping), build)


def figure_years(wh: Warehouse) -> list[int]:
    """The years the stored region totals hold (every year up to the latest evaluated one)."""
    return regionfigures.years(wh)


def figures(
    wh: Warehouse,
    policy: Policy,
    p: Principal,
    *,
    year: int | None = None,
    level: str | None = "county",
    mapping: str = "current",
    region: str | None = None,
) -> dict:
    """Yearly figures of every region of a level, as the clusters instrument stored them (region_figures; aggregates:
    suppressed under 3 firms for district/public). `evaluated` is false until `zhizao evaluate` has run."""
    ys = figure_years(wh)
    if year is None:
        year = ys[-1] if ys else None
    if year is None or year not in ys:
        return {"year": year, "years": ys, "map": mapping, "rows": [], "suppressed": 0, "evaluated": bool(ys)}
    table = _figure_table(wh, year, mapping)
    regs = wh.regions()
    rows = []
    for code, r in table.items():
        reg = regs.get(code)
        if reg is None or (level and reg.level != level) or (region and code != region):
            continue
        rows.append({**r, "region_name": reg.name_zh, "region_name_en": reg.name_en, "level": reg.level})
    rows.sort(key=lambda r: r["region_code"])
    n = policy.protect_figures(p, rows, mapping)
    return {"year": year, "years": ys, "map": mapping, "rows": rows, "suppressed": n, "evaluated": True}


def series(wh: Warehouse, policy: Policy, p: Principal, region: str, mapping: str = "current") -> list[dict]:
    """A region's figures for every year held."""
    out = []
    for y in figure_years(wh):
        f = figures(wh, policy, p, year=y, level=None, mapping=mapping, region=region)
        out += f["rows"]
    return out


# ---------------------------------------------------------------------------------------- enterprises
def enterprises(
    wh: Warehouse,
    policy: Policy,
    p: Principal,
    *,
    region: str | None = None,
    industry: str | None = None,
    q: str | None = None,
    park: str | None = None,
    sort: str = "uscc",
    desc: bool = False,
    limit: int = 50,
    offset: int = 0,
    year: int | None = None,
) -> dict:
    cond, params = policy.firm_sql(p, "e.region_code", region)
    where = [cond]
    if industry:
        where.append("e.industry_code LIKE ?")
        params.append(industry + "%")
    if park:
        where.append("e.park_id = ?")
        params.append(park)
    if q:
        where.append("(e.name LIKE ? OR e.uscc LIKE ?)")
        params += [f"%{q}%", f"{q}%"]
    w = " AND ".join(where)
    year = year or wh.latest_year()
    total = int(wh.scalar(f"SELECT count(*) FROM enterprise e WHERE {w}", params) or 0)
    order = sort if sort in ENTERPRISE_SORTS else "uscc"
    limit = max(0, min(int(limit), MAX_LIMIT))
    rows = wh.rows(
        f"""
        SELECT e.uscc, e.name, e.region_code, r.name_zh AS region_name, e.industry_code, i.name_zh AS industry_name,
               e.park_id, e.founded, e.synthetic, y.revenue, y.output_value, y.tax, y.employees
        FROM (SELECT * FROM enterprise e WHERE {w} ORDER BY e.{order} {"DESC" if desc else "ASC"}, e.uscc
              LIMIT {limit} OFFSET {int(offset)}) e
        LEFT JOIN region r ON r.code = e.region_code
        LEFT JOIN industry i ON i.code = e.industry_code
        LEFT JOIN enterprise_year y ON y.uscc = e.uscc AND y.year = ?
        ORDER BY e.{order} {"DESC" if desc else "ASC"}, e.uscc""",
        params + [year],
    )
    return {"year": year, "total": total, "offset": offset, "limit": limit, "rows": clean_rows(rows)}


def enterprise(wh: Warehouse, policy: Policy, p: Principal, uscc: str) -> dict:
    e = wh.one(
        """SELECT e.*, r.name_zh AS region_name, r.name_en AS region_name_en, i.name_zh AS industry_name,
                         k.name_zh AS park_name
                  FROM enterprise e LEFT JOIN region r ON r.code = e.region_code
                  LEFT JOIN industry i ON i.code = e.industry_code LEFT JOIN park k ON k.id = e.park_id
                  WHERE e.uscc = ?""",
        [uscc],
    )
    if e is None or not policy.may_see_firm(p, e["region_code"]):
        if not policy.sees_firms(p):
            policy.require_firm(p, None)  # public: 403 for every code, existing or not
        raise NotFound(f"enterprise {uscc}")  # another region's firm answers as a missing one (no oracle)
    e = {k: clean(v) for k, v in e.items()}
    e["current_region"] = wh.regions().get(e["region_code"]).current if e["region_code"] in wh.regions() else None
    years = clean_rows(wh.rows("SELECT * FROM enterprise_year WHERE uscc = ? ORDER BY year", [uscc]))
    honours = clean_rows(
        wh.rows("SELECT kind, level, year, source_id FROM honour WHERE uscc = ? ORDER BY year, kind", [uscc])
    )
    roles = clean_rows(
        wh.rows(
            """SELECT n.node_id, n.role, c.chain_id, c.name_zh AS node_name, c.stage,
                                          ch.name AS chain_name, ch.cluster_id
                                   FROM enterprise_node n JOIN chain_node c ON c.id = n.node_id
                                   JOIN chain ch ON ch.id = c.chain_id WHERE n.uscc = ? ORDER BY n.node_id""",
            [uscc],
        )
    )
    links = wh.one(
        """SELECT (SELECT count(DISTINCT supplier) FROM supply_link WHERE buyer = ?) AS suppliers,
                             (SELECT count(DISTINCT buyer) FROM supply_link WHERE supplier = ?) AS buyers""",
        [uscc, uscc],
    )
    mj = read(wh, policy, p, a_mujun.SCORES, filters={"uscc": uscc}, limit=5)
    ld = read(wh, policy, p, a_ladder.SCREENING, filters={"uscc": uscc}, limit=500)
    lf = read(wh, policy, p, a_ladder.FIRMS, filters={"uscc": uscc}, limit=20)
    return {
        "enterprise": e,
        "years": years,
        "honours": honours,
        "chain_roles": roles,
        "links": links,
        "mujun": {"evaluated": mj.evaluated, "year": mj.year, "row": mj.rows[0] if mj.rows else None},
        "ladder": {
            "evaluated": ld.evaluated,
            "year": ld.year,
            "rows": ld.rows,
            "columns": ld.columns,
            "tiers": lf.rows,
        },
    }


# ----------------------------------------------------------------------------------- clusters & chains
def clusters(wh: Warehouse, system: str | None = None) -> list[dict]:
    where, params = ("WHERE c.system_id = ?", [system]) if system else ("", [])
    return clean_rows(
        wh.rows(
            f"""
        SELECT c.id, c.system_id, c.name_zh, c.name_en, c.tier, c.tier_rank, c.parent_cluster_id, c.status,
               s.region_code AS system_region, s.name AS system_name
        FROM cluster c JOIN cluster_system s ON s.id = c.system_id {where}
        ORDER BY s.region_code = (SELECT code FROM region WHERE level = 'province' LIMIT 1) DESC, c.system_id,
                 c.tier_rank, c.id""",
            params,
        )
    )


def cluster(wh: Warehouse, cid: str) -> dict:
    c = next((x for x in clusters(wh) if x["id"] == cid), None)
    if c is None:
        raise NotFound(f"cluster {cid}")
    c["industries"] = clean_rows(
        wh.rows(
            "SELECT ci.industry_code, i.name_zh, ci.share, ci.basis FROM cluster_industry ci "
            "LEFT JOIN industry i ON i.code = ci.industry_code WHERE ci.cluster_id = ? ORDER BY 1",
            [cid],
        )
    )
    c["maps_to"] = [r["maps_to"] for r in wh.rows("SELECT maps_to FROM cluster_map WHERE cluster_id = ?", [cid])]
    c["chains"] = chains(wh, cid)
    return c


def chains(wh: Warehouse, cluster_id: str | None = None) -> list[dict]:
    where, params = ("WHERE cluster_id = ?", [cluster_id]) if cluster_id else ("", [])
    return clean_rows(
        wh.rows(
            f"SELECT id, cluster_id, name, name_en, region_code, status, source_id, "
            f"(SELECT count(*) FROM chain_node n WHERE n.chain_id = c.id) AS nodes "
            f"FROM chain c {where} ORDER BY id",
            params,
        )
    )


STAGES = ("upstream", "midstream", "downstream")


def chain(
    wh: Warehouse, policy: Policy, p: Principal, chain_id: str, region: str | None = None, year: int | None = None
) -> dict:
    ch = wh.one("SELECT * FROM chain WHERE id = ?", [chain_id])
    if ch is None:
        raise NotFound(f"chain {chain_id}")
    nodes = clean_rows(
        wh.rows(
            "SELECT id, name_zh, name_en, stage, industry_code, weight FROM chain_node WHERE chain_id = ? ORDER BY id",
            [chain_id],
        )
    )
    edges = clean_rows(wh.rows("SELECT from_node, to_node FROM chain_edge WHERE chain_id = ?", [chain_id]))
    region = region or ch["region_code"] or wh.root()
    cov = read(
        wh, policy, p, a_chains.COVERAGE, year=year, filters={"chain_id": chain_id}, region=region, limit=MAX_LIMIT
    )
    by = {r["node_id"]: r for r in cov.rows}
    for n in nodes:
        r = by.get(n["id"])
        n["coverage"] = (
            {
                k: r.get(k)
                for k in (
                    "firms",
                    "leaders",
                    "output",
                    "node_share",
                    "expected_share",
                    "status",
                    "thin_rule",
                    "extend",
                    "suppressed",
                )
            }
            if r
            else None
        )
    _layout(nodes, edges)
    regions_on = sorted(
        {
            r["region_code"]
            for r in read(
                wh,
                policy,
                p,
                a_chains.COVERAGE,
                year=year,
                filters={"chain_id": chain_id, "node_id": nodes[0]["id"]} if nodes else {},
                limit=MAX_LIMIT,
            ).rows
        }
    )
    return {
        "chain": clean(ch),
        "nodes": nodes,
        "edges": edges,
        "region": region,
        "year": cov.year,
        "evaluated": cov.evaluated,
        "regions": regions_on,
        "suppressed": cov.suppressed,
    }


def _layout(nodes: list[dict], edges: list[dict]) -> None:
    """Positions for a node map: x by stage (upstream → downstream), y spread within the stage, ordered by
    the mean position of their inputs so that edges cross less."""
    col = {s: i for i, s in enumerate(STAGES)}
    by_stage: dict[int, list[dict]] = {}
    for n in nodes:
        by_stage.setdefault(col.get(n["stage"], 1), []).append(n)
    inputs: dict[str, list[str]] = {}
    for e in edges:
        inputs.setdefault(e["to_node"], []).append(e["from_node"])
    pos: dict[str, float] = {}
    for x in sorted(by_stage):
        ns = by_stage[x]
        ns.sort(
            key=lambda n: (
                sum(pos.get(i, 0) for i in inputs.get(n["id"], [])) / max(1, len(inputs.get(n["id"], []))),
                n["id"],
            )
        )
        k = len(ns)
        for j, n in enumerate(ns):
            n["x"] = x
            n["y"] = (k - 1) / 2 - j
            pos[n["id"]] = n["y"]


# ------------------------------------------------------------------------------------------- imports
def import_batches(wh: Warehouse, policy: Policy, p: Principal, limit: int = 50) -> list[dict]:
    policy.require_import(p)
    where, params = ("", []) if p.role in ("admin", "city") else ("WHERE actor = ?", [p.name])
    return clean_rows(
        wh.rows(
            f'SELECT id, "at", file, sha256, actor, rows_loaded, detail FROM import_batch '
            f'{where} ORDER BY "at" DESC LIMIT {int(limit)}',
            params,
        )
    )


# ------------------------------------------------------------------------------------- composite pages
def overview(
    wh: Warehouse,
    policy: Policy,
    p: Principal,
    *,
    year: int | None = None,
    metric: str = "output_value",
    measure: str = "level",
    mapping: str = "current",
    lang: str = "zh",
) -> dict:
    if metric not in MAP_METRICS:
        metric = "output_value"
    if measure not in MEASURES:
        measure = "level"
    fig = figures(wh, policy, p, year=year, level=None, mapping=mapping)
    key = metric if measure == "level" else f"{metric}_{measure}"
    regs = wh.regions()
    counties = [
        {
            "code": r["region_code"],
            "name": regs[r["region_code"]].name(lang),
            "value": r.get(key),
            "firms": r["firms"],
            "suppressed": r.get("suppressed", False),
        }
        for r in fig["rows"]
        if r["level"] == "county"
    ]
    groups = [
        {
            "code": r["region_code"],
            "name": regs[r["region_code"]].name(lang),
            "level": r["level"],
            "firms": r["firms"],
            **{
                f"{m}_share": r.get(f"{m}_share")
                for m in ("output_value", "revenue", "fixed_investment", "value_added", "tax")
            },
        }
        for r in fig["rows"]
        if r["level"] in ("group", "subgroup")
    ]
    city = next((r for r in fig["rows"] if r["region_code"] == wh.root()), None)
    tree = a_clusters.tree(wh, policy, p, fig["year"], lang)
    tg = a_targets.register(wh, policy, p)
    lights: dict[str, int] = {}
    for r in tg["rows"]:
        lights[r["light"]] = lights.get(r["light"], 0) + 1
    return {
        "year": fig["year"],
        "years": fig["years"],
        "metric": metric,
        "measure": measure,
        "map": mapping,
        "figures_evaluated": fig["evaluated"],
        "value_key": key,
        "counties": counties,
        "groups": groups,
        "city": city,
        "suppressed": fig["suppressed"],
        "cluster_tree": tree,
        "targets": {"evaluated": tg["evaluated"], "year": tg["year"], "lights": lights, "rows": tg["rows"]},
        "synthetic": wh.synthetic,
    }


def district(
    wh: Warehouse, policy: Policy, p: Principal, code: str, *, year: int | None = None, lang: str = "zh"
) -> dict:
    reg = region(wh, code)
    members = sorted(policy.region_members(code))
    mapping = "current" if reg["current_code"] == code else "recorded"  # a former district: as recorded
    ser = series(wh, policy, p, code, mapping)
    year = year or (ser[-1]["year"] if ser else wh.latest_year())
    cur = next((r for r in ser if r["year"] == year), None)
    cl = a_clusters.units(wh, policy, p, None, code)
    cl_rows = [r for r in cl.rows if r.get("scope") == "cluster"]
    tg = a_targets.register(wh, policy, p, scope_id=code)
    cov_rows = []
    for m in members:
        cov_rows += read(wh, policy, p, a_chains.COVERAGE, region=m, limit=MAX_LIMIT).rows
    by_chain: dict[str, dict] = {}
    for r in cov_rows:
        c = by_chain.setdefault(
            (r["chain_id"], r["region_code"]),
            {
                "chain_id": r["chain_id"],
                "chain_name": r.get("chain_name"),
                "region_code": r["region_code"],
                "covered": 0,
                "thin": 0,
                "gap": 0,
                "extend": 0,
                "nodes": 0,
            },
        )
        c["nodes"] += 1
        if r.get("status") in ("covered", "thin", "gap"):
            c[r["status"]] += 1
        if r.get("extend"):
            c["extend"] += 1
    rec_rows = []
    rec = None
    for m in members:
        rec = read(wh, policy, p, a_chains.RECRUITMENT, region=m, limit=15)
        rec_rows += rec.rows
    # the 亩均 evaluation's own row for this region (a successor district is an evaluation region of its own on
    # today's map: analytics/mujun/ computes its ratios over its firms; nothing is combined here)
    mj = read(wh, policy, p, a_mujun.REGIONS, filters={"region_code": code}, limit=5)
    mj_rows = list(mj.rows)
    mj_row = dict(mj_rows[0]) if mj_rows else None
    opp = read(wh, policy, p, a_opp.RECOMMENDATIONS, filters={"region_code": code}, limit=MAX_LIMIT)
    ladder_counts = read(wh, policy, p, a_ladder.DISTRICTS, filters={"region_code": code}, limit=50)
    ladder = None
    if policy.may_see_firm(p, code) or (p.role == "district" and set(members) & (policy.firm_regions(p) or set())):
        try:
            ladder = read(wh, policy, p, a_ladder.FIRMS, region=code, filters={"status": "candidate"}, limit=200)
        except Denied:
            ladder = None
    return {
        "region": reg,
        "members": members,
        "year": year,
        "figures": cur,
        "series": ser,
        "map": mapping,
        "clusters": {"evaluated": cl.evaluated, "year": cl.year, "rows": cl_rows, "suppressed": cl.suppressed},
        "targets": tg,
        "chains": {"evaluated": bool(rec and rec.evaluated) or bool(cov_rows), "rows": list(by_chain.values())},
        "recruitment": {"evaluated": bool(rec and rec.evaluated), "rows": rec_rows},
        "mujun": {"evaluated": mj.evaluated, "year": mj.year, "row": mj_row, "rows": mj_rows},
        "opportunities": {"evaluated": opp.evaluated, "year": opp.year, "rows": opp.rows, "suppressed": opp.suppressed},
        "ladder_counts": {"evaluated": ladder_counts.evaluated, "rows": ladder_counts.rows},
        "ladder": None
        if ladder is None
        else {
            "evaluated": ladder.evaluated,
            "year": ladder.year,
            "rows": ladder.rows,
            "columns": ladder.columns,
            "total": ladder.total,
        },
        "sees_firms": policy.may_see_firm(p, code) or any(policy.may_see_firm(p, m) for m in members),
        "synthetic": wh.synthetic,
        "min_firms": MIN_FIRMS,
    }


def cluster_page(
    wh: Warehouse,
    policy: Policy,
    p: Principal,
    cid: str,
    *,
    region: str | None = None,
    chain_id: str | None = None,
    year: int | None = None,
) -> dict:
    c = cluster(wh, cid)
    contrib = read(
        wh,
        policy,
        p,
        a_clusters.FIG,
        year=year,
        filters={"unit_id": cid, "region_level": "county"},
        sort="output_value",
        desc=True,
        limit=MAX_LIMIT,
    )
    strength = read(wh, policy, p, a_spec.STRENGTH, filters={"code": cid, "level": "county"}, limit=MAX_LIMIT)
    by = {r["region_code"]: r for r in strength.rows}
    for r in contrib.rows:
        s = by.get(r["region_code"], {})
        r["lq"] = s.get("lq")
        r["strength"] = s.get("strength")
    chs = c["chains"]
    chosen = chain_id if chain_id in {x["id"] for x in chs} else (chs[0]["id"] if chs else None)
    chain_view = chain(wh, policy, p, chosen, region=region, year=year) if chosen else None
    leaders: dict[str, Any] = {"rows": [], "evaluated": False, "allowed": policy.sees_firms(p)}
    if chosen and policy.sees_firms(p):
        lr = read(wh, policy, p, a_chains.LEADERS, filters={"chain_id": chosen}, limit=100)
        sr = read(wh, policy, p, a_chains.SUPPLIERS, filters={"chain_id": chosen}, limit=MAX_LIMIT)
        leaders = {"rows": lr.rows, "suppliers": sr.rows, "evaluated": lr.evaluated, "allowed": True}
    return {
        "cluster": c,
        "year": contrib.year,
        "evaluated": contrib.evaluated,
        "contributions": contrib.rows,
        "suppressed": contrib.suppressed + strength.suppressed,
        "chain": chain_view,
        "leaders": leaders,
        "synthetic": wh.synthetic,
    }
