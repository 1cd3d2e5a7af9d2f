"""Chains (产业链): coverage of every chain template per region, 补链 / 强链 / 延链, the supplier
network around each chain leader (链主), and a ranked 招商 list of node types per district.

Method and sources
------------------
The instrument follows 产业链招商 practice as the source articles and the peer platforms describe it
(../shared/reference/peers.md §4): draw the chain, see which links a place has, fill the missing ones
(补链), strengthen the weak ones (强链), extend to the next step (延链), and gather suppliers round a
chain leader — seed002 "进一步补链、强链、延链", seed000 "产业链补链强链", seed004 "精准强链补链延链扩链",
seed003 "统筹抓好链主企业培育与配套企业引育 … 围绕赛力斯大力招引'左右将军',集聚了50多家核心零部件企业".
No published method scores gaps; the rules below are the project's own and deliberately simple.
Chains, nodes, stages, edges (input -> output) and each node's expected `weight` come from the policy
pack (chains.yaml) through the warehouse tables chain, chain_node, chain_edge.

Where each part lives:

    placement.py   firms on nodes (placement), their output, their county on the region map, the region scopes
    gaps.py        chain_coverage (补链 / 强链 / 延链 per node and region) and chain_recruitment with its reasons
    suppliers.py   chain_leaders and chain_suppliers: each 链主's supplier network
"""

from __future__ import annotations

import contextlib
from typing import Any

import ibis
import pyarrow as pa

from .. import AnalyticsError
from .gaps import THIN_FIRMS, THIN_SHARE, coverage, explain, recruitment
from .placement import COUNTY, GROUP_LEVELS, firm_output, firm_regions, placements, region_scopes
from .suppliers import leaders, supplier_links, suppliers_by_node_and_region

STAGES = ("upstream", "midstream", "downstream")


# ----------------------------------------------------------------------------------------- evaluate
MAPS = ("current", "recorded")


def map_mode(ctx) -> str:
    """The region map asked for: 'current' (today's map, the default) or 'recorded' (analytics/regionmap.py)."""
    from .. import regionmap as rm

    return rm.mode_of(ctx)


def _tag(t: pa.Table, mode: str) -> pa.Table:
    return t.add_column(0, "region_map", pa.array([mode] * t.num_rows, pa.string()))


def _inputs(ctx) -> dict[str, Any]:
    """Placements and the year's firms, cached in the engine (each is used by several results);
    `_release(inputs)` drops them again."""
    t = ctx.table
    rmap = ctx.region_map() if map_mode(ctx) == "current" else None
    placed = placements(t("enterprise"), t("enterprise_node"), t("chain_node"), t("industry")).cache()
    fr = firm_regions(t("enterprise"), rmap)
    firms = firm_output(t("enterprise_year"), ctx.year).join(fr, "uscc").cache()
    return {"rmap": rmap, "placed": placed, "fr": fr, "firms": firms}


def _release(*cached) -> None:
    for c in cached:
        if hasattr(c, "release"):
            c.release()


@contextlib.contextmanager
def _using(ctx, inputs: dict | None):
    """The given inputs, or fresh cached ones released on the way out."""
    if inputs is not None:
        yield inputs
        return
    own = _inputs(ctx)
    try:
        yield own
    finally:
        _release(own["placed"], own["firms"])


def coverage_tables(ctx, inputs: dict | None = None) -> dict[str, pa.Table]:
    """chain_coverage and chain_recruitment (with reasons) for ctx.year."""
    t = ctx.table
    thin_share = float(ctx.options.get("thin_share") or THIN_SHARE)
    thin_firms = int(ctx.options.get("thin_firms") or THIN_FIRMS)
    with _using(ctx, inputs) as i:
        scopes = region_scopes(i["firms"], t("region"), t("region_ancestor"))
        cov = coverage(
            i["placed"],
            i["firms"],
            scopes,
            t("chain"),
            t("chain_node"),
            t("chain_edge"),
            region_map=i["rmap"],
            thin_share=thin_share,
            thin_firms=thin_firms,
        ).cache()
        try:
            cov_rows = ctx.to_arrow(cov.order_by(["chain_id", "region_code", "node_id"]))
            rec = ctx.to_arrow(recruitment(cov).order_by(["region_code", "rank"]))
        finally:
            _release(cov)
    edges = ctx.to_arrow(t("chain_edge").select("chain_id", "from_node", "to_node"))
    nodes = ctx.to_arrow(t("chain_node").select("id", "name_en")).to_pylist()
    rec = explain(
        rec,
        cov_rows,
        edges,
        thin_share=thin_share,
        thin_firms=thin_firms,
        names_en={n["id"]: n["name_en"] for n in nodes if n["name_en"]},
    )
    mode = map_mode(ctx)
    return {"chain_coverage": _tag(cov_rows, mode), "chain_recruitment": _tag(rec, mode)}


def leader_tables(ctx, inputs: dict | None = None) -> dict[str, pa.Table]:
    """chain_leaders and chain_suppliers for ctx.year."""
    t = ctx.table
    with _using(ctx, inputs) as i:
        links = supplier_links(
            i["placed"], i["firms"], i["fr"], t("region"), t("supply_link"), t("chain_node"), ctx.year
        )
        lead = ctx.to_arrow(
            leaders(i["placed"], i["firms"], i["fr"], t("region"), t("enterprise"), links).order_by(
                ["chain_id", "leader"]
            )
        )
        sup = ctx.to_arrow(
            suppliers_by_node_and_region(links).order_by(
                ["chain_id", "leader", ibis.desc("amount"), "node_id", "supplier_region"]
            )
        )
    mode = map_mode(ctx)
    return {"chain_leaders": _tag(lead, mode), "chain_suppliers": _tag(sup, mode)}


def evaluate(ctx) -> dict[str, pa.Table]:
    """chain_coverage, chain_recruitment, chain_leaders and chain_suppliers for ctx.year."""
    with _using(ctx, None) as inputs:
        return {**coverage_tables(ctx, inputs), **leader_tables(ctx, inputs)}


def summarise(tables: dict[str, pa.Table]) -> str:
    cov = tables["chain_coverage"].to_pylist()
    county = [r for r in cov if r["region_level"] == COUNTY and r["chain_firms"] > 0]
    n = {s: sum(1 for r in county if r["status"] == s) for s in ("gap", "thin", "covered")}
    ext = sum(1 for r in county if r["extend"])
    lead = tables["chain_leaders"].to_pylist()
    buy = sum(r["purchases"] for r in lead)
    loc = sum(r["local_amount"] for r in lead)
    core = sum(r["core_suppliers"] for r in lead)
    near = sum(r["core_same_county"] for r in lead)
    chains = len({r["chain_id"] for r in cov})
    return (
        f"{chains} chains; county nodes: {n['covered']:,} covered, {n['thin']:,} thin (强链), "
        f"{n['gap']:,} gaps (补链), {ext:,} 延链; {len(lead)} leaders, local supply "
        f"{(loc / buy if buy else 0):.0%} by amount, {near:,}/{core:,} core suppliers in their county"
    )


# ---------------------------------------------------------------------------------- views (CLI, web)
def _rows(t: pa.Table, keep) -> pa.Table:
    mask = pa.array([bool(keep(r)) for r in t.to_pylist()], pa.bool_())
    return t.filter(mask)


def _by_stage(t: pa.Table) -> pa.Table:
    """Coverage rows in chain order: chain, stage (upstream first), node."""
    if t.num_rows == 0:
        return t
    rank = pa.array([STAGES.index(s) if s in STAGES else len(STAGES) for s in t.column("stage").to_pylist()])
    t = t.append_column("_stage", rank).sort_by(
        [("chain_id", "ascending"), ("region_code", "ascending"), ("_stage", "ascending"), ("node_id", "ascending")]
    )
    return t.drop_columns(["_stage"])


def _known_chains(ctx) -> dict[str, dict]:
    c = ctx.table("chain")
    return {r["id"]: r for r in ctx.to_arrow(c.select("id", "name", "region_code")).to_pylist()}


def _region_code(ctx, text: str, cov: pa.Table) -> str:
    reg = ctx.pack.resolve_region(text)
    if reg is None:
        raise AnalyticsError(f"no region {text!r} in the pack {ctx.pack.info.id!r} (give a code or a name)")
    have = set(cov.column("region_code").to_pylist())
    if reg.code in have:
        return reg.code
    succ = ctx.pack.successor_of(reg.code)
    if map_mode(ctx) == "current" and succ != reg.code:
        raise AnalyticsError(
            f"{reg.name_zh} ({reg.code}) is not on the current map: its firms count in "
            f"{ctx.pack.regions[succ].name_zh} ({succ}); ask for the recorded map (--map recorded) to see it"
        )
    if reg.level not in (COUNTY, *GROUP_LEVELS):
        raise AnalyticsError(
            f"{reg.name_zh} ({reg.code}) is a {reg.level}: chains are evaluated for counties and region groups"
        )
    preds = [x.predecessor for x in ctx.pack.successions if x.successor == reg.code and x.primary]
    hint = (
        f"; on the current map (--map current) the firms of {', '.join(preds)} count there"
        if preds and map_mode(ctx) == "recorded"
        else ""
    )
    raise AnalyticsError(f"{reg.name_zh} ({reg.code}) holds no firm with figures for {ctx.year}{hint}")


def synthetic_firms(ctx) -> int:
    """How many synthetic (demo) firms the warehouse holds: pages and reports showing them say so."""
    e = ctx.table("enterprise")
    return int(ctx.to_arrow(e.filter(e.synthetic).count().name("n").as_table()).column("n")[0].as_py())


def view(
    ctx, *, chain: str | None = None, region: str | None = None, leader: str | None = None
) -> list[tuple[str, str, pa.Table]]:
    """What `zhizao chains` prints: a list of (key, title, rows).

    - no option: one summary row per chain (at the city level, a district's chain at its region) and
      the chain leaders;
    - --chain: the chain's nodes (city level or its region) and its counties;
    - --region (with or without --chain): the region's coverage and its ranked 招商 list;
    - --leader (with or without --chain): the leader's supplier network.
    Unknown chain, region or leader -> AnalyticsError."""
    chains_known = _known_chains(ctx)
    if chain is not None and chain not in chains_known:
        raise AnalyticsError(f"no chain {chain!r}: the warehouse holds {', '.join(sorted(chains_known))}")
    if leader is not None:
        if region is not None:
            raise AnalyticsError("--leader shows one leader's network; give it alone or with --chain")
        lt = leader_tables(ctx)
        lead = _rows(lt["chain_leaders"], lambda r: r["leader"] == leader and chain in (None, r["chain_id"]))
        if lead.num_rows == 0:
            raise AnalyticsError(
                f"{leader} is not a chain leader (链主){' of ' + chain if chain else ''} "
                f"with figures for {ctx.year}; `zhizao chains` lists the leaders"
            )
        sup = _rows(lt["chain_suppliers"], lambda r: r["leader"] == leader and chain in (None, r["chain_id"]))
        name = lead.column("leader_name")[0].as_py()
        return [
            ("leader", f"链主 {name} {leader} — {ctx.year}", lead),
            ("suppliers", "suppliers by node and district", sup),
        ]
    with _using(ctx, None) as inputs:
        ct = coverage_tables(ctx, inputs)
        lead = leader_tables(ctx, inputs)["chain_leaders"] if region is None and chain is None else None
    cov, rec = ct["chain_coverage"], ct["chain_recruitment"]
    root = ctx.pack.info.root_region
    if region is not None:
        code = _region_code(ctx, region, cov)
        if chain is not None:
            home = chains_known[chain]["region_code"]
            if home is not None and ctx.pack.successor_of(home) != code and home != code:
                raise AnalyticsError(
                    f"chain {chain} is {ctx.pack.regions[home].name_zh}'s own chain: it is "
                    f"evaluated only for {ctx.pack.regions[home].name_zh} ({home})"
                )
        keep = lambda r: r["region_code"] == code and chain in (None, r["chain_id"])
        c = _rows(cov, keep)
        name = c.column("region_name")[0].as_py() if c.num_rows else code
        return [
            ("coverage", f"{name} {ctx.year}: coverage by node", _by_stage(c)),
            ("recruitment", f"{name} {ctx.year}: node types to recruit (招商), ranked", _rows(rec, keep)),
        ]
    if chain is not None:
        home = chains_known[chain]["region_code"]
        scope = home if home is not None else root
        if map_mode(ctx) == "current" and home is not None:
            scope = ctx.pack.successor_of(home)
        nodes = _by_stage(_rows(cov, lambda r: r["chain_id"] == chain and r["region_code"] == scope))
        by_county = _chain_by_region(_rows(cov, lambda r: r["chain_id"] == chain and r["region_level"] == COUNTY))
        return [
            ("nodes", f"{chains_known[chain]['name']} — {ctx.year}", nodes),
            ("counties", "counties on the chain", by_county),
        ]
    return [("chains", f"chains {ctx.year}", _summary(cov, lead, root)), ("leaders", "chain leaders (链主)", lead)]


def _chain_by_region(cov: pa.Table) -> pa.Table:
    out: dict[tuple, dict] = {}
    for r in cov.to_pylist():
        o = out.setdefault(
            (r["chain_id"], r["region_code"]),
            {
                "chain_id": r["chain_id"],
                "region_code": r["region_code"],
                "region_name": r["region_name"],
                "firms": 0,
                "output": 0.0,
                "covered": 0,
                "thin": 0,
                "gap": 0,
                "extend": 0,
            },
        )
        o["firms"] += r["firms"]
        o["output"] += r["output"]
        o[r["status"]] += 1
        o["extend"] += int(bool(r["extend"]))
    rows = sorted(out.values(), key=lambda o: (-o["output"], o["region_code"]))
    return pa.Table.from_pylist(rows) if rows else pa.table({"chain_id": pa.array([], pa.string())})


def _summary(cov: pa.Table, lead: pa.Table, root: str) -> pa.Table:
    rows = cov.to_pylist()
    lrows = lead.to_pylist()
    out = []
    for cid in sorted({r["chain_id"] for r in rows}):
        mine = [r for r in rows if r["chain_id"] == cid]
        levels = {r["region_level"] for r in mine}
        at = (
            [r for r in mine if r["region_code"] == root]
            if "province" in levels
            else [r for r in mine if r["region_level"] == COUNTY]
        )
        counties = {r["region_code"] for r in mine if r["region_level"] == COUNTY and r["chain_firms"] > 0}
        ls = [r for r in lrows if r["chain_id"] == cid]
        buy = sum(r["purchases"] for r in ls)
        out.append(
            {
                "chain_id": cid,
                "chain_name": mine[0]["chain_name"],
                "scope": at[0]["region_name"] if at else None,
                "nodes": len(at),
                "firms": sum(r["firms"] for r in at),
                "output": sum(r["output"] for r in at),
                "covered": sum(r["status"] == "covered" for r in at),
                "thin": sum(r["status"] == "thin" for r in at),
                "gap": sum(r["status"] == "gap" for r in at),
                "counties_on_chain": len(counties),
                "leaders": len(ls),
                "local_supply_rate": (sum(r["local_amount"] for r in ls) / buy) if buy else None,
            }
        )
    return pa.Table.from_pylist(out) if out else pa.table({"chain_id": pa.array([], pa.string())})
