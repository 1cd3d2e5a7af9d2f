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

Firms on nodes (placement)
--------------------------
- A firm is on the nodes `enterprise_node` places it on (role member | leader | supplier).
- A firm with no `enterprise_node` row for a chain is placed by its industry code: on every node of
  that chain whose industry code is its own code or a prefix of it (node C40 takes firms coded C4011)
  — the pack's "the class is the default".
- share(firm, node) = 1 / (number of nodes of that chain the firm is on): a firm counts as one firm at
  each of its nodes, but its output is split so that a chain total never counts it twice.
- A firm is present in year Y when it has an enterprise_year row for Y;
  output = output_value (工业总产值), or revenue when output_value is missing, else 0.

Regions
-------
- County rows: every county-level region where at least one firm has figures for the year, on the
  recorded map (default: where the firm's region_code was recorded) or, when asked
  (option region_map = 'current'), on today's map via ctx.region_map() (primary successions in force
  today: a merged district's firms count in its successor). Every result row says which map
  (`region_map`).
- Group rows: every ancestor of such a county at level subgroup, group or province
  (region_ancestor); a group's figures are the union of its member counties' firms.
- A district's own chain (chain.region_code set) is evaluated only for that region (its successor
  on the current map).

Coverage (table chain_coverage: one row per chain x region x node)
-----------------------------------------------------------------
    firms(n, r)        = firms present at node n in region r;   leaders(n, r) = those with role leader
    output(n, r)       = sum over those firms of share x output
    chain_output(r)    = sum over the chain's nodes of output(n, r)
    node_share(n, r)   = output(n, r) / chain_output(r)                  (null when chain_output = 0)
    expected_share(n)  = weight(n) / sum of the chain's weights
    share_ratio(n, r)  = node_share / expected_share
    expected_output    = expected_share x chain_output(r);   shortfall = max(0, expected_output - output)
Status of a node in a region:
- gap      (补链)  firms = 0: no local firm at the node.
- thin     (强链)  firms > 0 and (firms < THIN_FIRMS = 3, or node_share < THIN_SHARE = 0.5 x expected_share):
                   the node rests on one or two firms, or makes less than half the share of the chain's
                   output its weight says it should. `thin_rule` says which: firms, share, firms+share.
                   (Both thresholds are the project's choice — 3 is also the smallest aggregate DESIGN.md
                   lets the public see; options thin_firms and thin_share change them. The weights are the
                   pack authors' priors, not published figures.)
- covered          otherwise.
- extend   (延链)  a flag on gap or thin nodes that sit directly downstream (an edge u -> n) of a node u
                   that is covered in the same region: the next step down from what the region makes.
                   (Downstream only, as the issue words it; a missing input upstream is a gap, 补链.)
Also per row: upstream_covered (direct inputs covered locally), downstream_present (direct outputs with
local firms), leaders_downstream (chain leaders at those), firms_city (firms at the node anywhere in the
warehouse; firms_elsewhere = firms_city - firms, null on the province row, which is the whole warehouse).

Recruitment (table chain_recruitment: 招商 list per region)
-----------------------------------------------------------
One list per county (the districts) and per region group. Candidates: gap or thin nodes of chains the
region is on (it has a firm at some node of the chain; whether to enter a new chain at all is the
growth-opportunities instrument's question). action = 补链 (gap) / 强链 (thin), plus 延链 when the
extend flag is set. Ranked within each region by: shortfall (yuan of the chain's expected output
missing at the node — a lower bound, as chain_output counts only what the region already makes)
descending, then leaders_downstream (a 链主 nearby needs the node's products), then
upstream_covered + downstream_present, then chain and node id. The reason states the rule that
selected the node, the figures behind the rank, the local neighbours by name, and how many firms at
the node sit in other counties (candidates to expand here) or that none do (recruit from outside).

Chain leaders and their supplier network (tables chain_leaders, chain_suppliers)
-------------------------------------------------------------------------------
Leaders: firms with role leader on a chain node (enterprise_node), present in the year — the role
ties a leader to its chain; a 链主 honour alone does not. One row per chain and leader: a leader placed on
two nodes of a chain is one leader of it, its purchases counted once (node_id = its first node by id,
leader_node_count = how many nodes of the chain it sits on). Purchases: supply_link rows of the
year with the leader as buyer. A leader's county is its region (mapped when asked); its group is the
county's region_group (nearest ancestor at level group), or the county itself when it has none.
    local_rate  = purchases from suppliers in the leader's county / all purchases       (by amount)
    group_rate  = purchases from suppliers in the leader's group (county included) / all purchases
    core supplier = a supplier placed on a node of the leader's own chain (a chain firm, the seeds'
                    "核心零部件企业"), as opposed to general suppliers;
    core_same_county / core_same_group = core suppliers in the leader's county / group (county included)
chain_suppliers breaks each leader's purchases down by supplier node (null: not on the chain) and the
supplier's county: suppliers, amount (split by share when a supplier is on several nodes), share of
the leader's purchases, same_county, same_group.
"""

from __future__ import annotations

import contextlib
from typing import Any

import ibis
import pyarrow as pa

from ..formats import money
from . import AnalyticsError

THIN_SHARE = 0.5  # thin when node_share < THIN_SHARE x expected_share
THIN_FIRMS = 3  # thin when fewer firms than this
GROUP_LEVELS = ("subgroup", "group", "province")
COUNTY = "county"
STAGES = ("upstream", "midstream", "downstream")

ACTION = {"gap": "补链", "thin": "强链", "extend": "延链"}
ACTION_EN = {"gap": "fill (补链)", "thin": "strengthen (强链)", "extend": "extend (延链)"}


# ----------------------------------------------------------------------------------- building blocks
def _loose(t):
    """The same columns, all nullable (tables of different origin union only with equal schemas)."""
    return t.select(*[t[c].cast(t[c].type().copy(nullable=True)).name(c) for c in t.columns])


def firm_output(enterprise_year, year: int):
    """(uscc, output) of every firm with figures for `year`; output_value, else revenue, else 0."""
    ey = enterprise_year.filter(enterprise_year.year == year)
    return ey.select(
        uscc=ey.uscc, output=ey.output_value.cast("float64").fill_null(ey.revenue.cast("float64")).fill_null(0.0)
    )


def firm_regions(enterprise, region_map=None):
    """(uscc, region_code): the firm's county, mapped onto a later map when `region_map`
    (code, current_code) is given."""
    e = enterprise.select("uscc", "region_code")
    if region_map is None:
        return e
    j = e.left_join(region_map, e.region_code == region_map.code)
    # .view(): a relation of its own, so later joins can use the computed region_code as a key
    return j.select(uscc=j.uscc, region_code=j.current_code.fill_null(j.region_code)).view()


def node_codes(chain_node, industry):
    """(chain_id, node_id, code): the industry codes a node takes by default — its own code and
    every code of the industry table it is a prefix of."""
    n = chain_node.select(chain_id=chain_node.chain_id, node_id=chain_node.id, prefix=chain_node.industry_code)
    codes = industry.select(code=industry.code)
    under = n.cross_join(codes).filter(lambda t: t.code.startswith(t.prefix))
    own = n.select("chain_id", "node_id", code=n.prefix)
    return _loose(under.select("chain_id", "node_id", "code")).union(_loose(own), distinct=True)


def placements(enterprise, enterprise_node, chain_node, industry):
    """(uscc, chain_id, node_id, role, share): firms on chain nodes — enterprise_node where it places
    the firm on the chain, else by industry code; share = 1 / nodes of the chain the firm is on."""
    nodes = chain_node.select(chain_id=chain_node.chain_id, node_id=chain_node.id)
    explicit = enterprise_node.join(nodes, enterprise_node.node_id == nodes.node_id)
    explicit = explicit.select(
        uscc=explicit.uscc, chain_id=explicit.chain_id, node_id=explicit.node_id, role=explicit.role
    )
    codes = node_codes(chain_node, industry)
    e = enterprise.select("uscc", "industry_code")
    default = e.join(codes, e.industry_code == codes.code)
    default = default.select(
        uscc=default.uscc, chain_id=default.chain_id, node_id=default.node_id, role=ibis.literal("member")
    )
    placed_chains = explicit.select("uscc", "chain_id").distinct()
    default = default.anti_join(placed_chains, ["uscc", "chain_id"])
    allp = _loose(explicit).union(_loose(default))
    k = allp.group_by(["uscc", "chain_id"]).aggregate(k=allp.count())
    j = allp.join(k, ["uscc", "chain_id"])
    return j.select("uscc", "chain_id", "node_id", "role", share=1.0 / j.k.cast("float64"))


def region_scopes(firms, region, region_ancestor):
    """(code, scope_code, scope_level, scope_name): each county holding firms, mapped to itself and to
    every ancestor at a group level. `firms` has a region_code column."""
    counties = firms.select(code=firms.region_code).distinct()
    anc = region_ancestor.join(
        region.select(ancestor_code=region.code, scope_level=region.level, scope_name=region.name_zh), "ancestor_code"
    )
    anc = anc.filter((anc.depth == 0) | anc.scope_level.isin(GROUP_LEVELS))
    anc = anc.select(
        code=anc.code, scope_code=anc.ancestor_code, scope_level=anc.scope_level, scope_name=anc.scope_name
    )
    j = counties.join(anc, "code")
    return j.filter((j.scope_code != j.code) | (j.scope_level == COUNTY))


# ----------------------------------------------------------------------------------------- coverage
def coverage(
    placed,
    firms,
    scopes,
    chain,
    chain_node,
    chain_edge,
    *,
    region_map=None,
    thin_share: float = THIN_SHARE,
    thin_firms: int = THIN_FIRMS,
):
    """chain_coverage: one row per chain x region x node with firms, output, shares, status and links.

    placed: (uscc, chain_id, node_id, role, share); firms: (uscc, region_code, output) of firms with
    figures for the year; scopes: region_scopes(...)."""
    f = placed.join(firms, "uscc")
    f = f.join(scopes, f.region_code == scopes.code)
    fig = f.group_by([f.chain_id, f.node_id, f.scope_code]).aggregate(
        firms=f.count(), leaders=(f.role == "leader").cast("int64").sum(), output=(f.share * f.output).sum()
    )
    city = placed.join(firms, "uscc").group_by("node_id").aggregate(firms_city=lambda t: t.count())

    ch = chain.select(chain_id=chain.id, chain_name=chain.name, home=chain.region_code)
    if region_map is not None:
        ch = ch.left_join(region_map, ch.home == region_map.code)
        ch = ch.select("chain_id", "chain_name", home=ch.current_code.fill_null(ch.home))
    wsum = chain_node.group_by("chain_id").aggregate(weight_sum=chain_node.weight.sum())
    nodes = chain_node.join(wsum, "chain_id")
    nodes = nodes.select(
        chain_id=nodes.chain_id,
        node_id=nodes.id,
        node_name=nodes.name_zh,
        stage=nodes.stage,
        industry_code=nodes.industry_code,
        weight=nodes.weight,
        expected_share=ibis.ifelse(nodes.weight_sum > 0, nodes.weight / nodes.weight_sum, 0.0),
    )
    nodes = nodes.join(ch, "chain_id")
    regions = scopes.select(
        region_code=scopes.scope_code, region_level=scopes.scope_level, region_name=scopes.scope_name
    ).distinct()
    grid = nodes.cross_join(regions)
    grid = grid.filter(grid.home.isnull() | (grid.home == grid.region_code))

    g = grid.left_join(
        fig, [grid.chain_id == fig.chain_id, grid.node_id == fig.node_id, grid.region_code == fig.scope_code]
    )
    g = g.select(
        *[
            g[c]
            for c in (
                "chain_id",
                "chain_name",
                "region_code",
                "region_level",
                "region_name",
                "node_id",
                "node_name",
                "stage",
                "industry_code",
                "weight",
                "expected_share",
            )
        ],
        firms=g.firms.fill_null(0),
        leaders=g.leaders.fill_null(0),
        output=g.output.fill_null(0.0),
    )
    tot = g.group_by(["chain_id", "region_code"]).aggregate(chain_output=g.output.sum(), chain_firms=g.firms.sum())
    g = g.join(tot, ["chain_id", "region_code"])
    node_share = ibis.ifelse(g.chain_output > 0, g.output / g.chain_output, ibis.null("float64"))
    g = g.mutate(node_share=node_share)
    few = g.firms < thin_firms
    low_share = (g.chain_output > 0) & (g.node_share < thin_share * g.expected_share)
    g = g.mutate(
        share_ratio=ibis.ifelse(g.expected_share > 0, g.node_share / g.expected_share, ibis.null("float64")),
        expected_output=g.expected_share * g.chain_output,
        status=ibis.cases((g.firms == 0, "gap"), (few | low_share, "thin"), else_="covered"),
        thin_rule=ibis.cases(
            (g.firms == 0, ibis.null("string")),
            (few & low_share, "firms+share"),
            (few, "firms"),
            (low_share, "share"),
            else_=ibis.null("string"),
        ),
    )
    g = g.mutate(shortfall=ibis.greatest(g.expected_output - g.output, 0.0))

    # links to the neighbours in the same region
    e = chain_edge.select("chain_id", "from_node", "to_node")
    up = e.join(
        g.select(chain_id="chain_id", from_node="node_id", region_code="region_code", ustat="status"),
        ["chain_id", "from_node"],
    )
    up = (
        up.filter(up.ustat == "covered")
        .group_by(["chain_id", "to_node", "region_code"])
        .aggregate(upstream_covered=lambda t: t.count())
    )
    down = e.join(
        g.select(chain_id="chain_id", to_node="node_id", region_code="region_code", dfirms="firms", dleaders="leaders"),
        ["chain_id", "to_node"],
    )
    down = (
        down.filter(down.dfirms > 0)
        .group_by(["chain_id", "from_node", "region_code"])
        .aggregate(downstream_present=lambda t: t.count(), leaders_downstream=lambda t: t.dleaders.sum())
    )
    g = g.left_join(up, [g.chain_id == up.chain_id, g.node_id == up.to_node, g.region_code == up.region_code])
    g = g.drop("chain_id_right", "to_node", "region_code_right")
    g = g.left_join(down, [g.chain_id == down.chain_id, g.node_id == down.from_node, g.region_code == down.region_code])
    g = g.drop("chain_id_right", "from_node", "region_code_right")
    g = g.left_join(city, "node_id").drop("node_id_right")
    g = g.mutate(
        upstream_covered=g.upstream_covered.fill_null(0),
        downstream_present=g.downstream_present.fill_null(0),
        leaders_downstream=g.leaders_downstream.fill_null(0),
        firms_city=g.firms_city.fill_null(0),
    )
    g = g.mutate(
        extend=(g.status != "covered") & (g.upstream_covered > 0),
        firms_elsewhere=ibis.ifelse(g.region_level == "province", ibis.null("int64"), g.firms_city - g.firms),
    )
    return g.select(
        "chain_id",
        "chain_name",
        "region_code",
        "region_name",
        "region_level",
        "node_id",
        "node_name",
        "stage",
        "industry_code",
        "weight",
        "firms",
        "leaders",
        "output",
        "chain_output",
        "chain_firms",
        "node_share",
        "expected_share",
        "share_ratio",
        "expected_output",
        "shortfall",
        "status",
        "thin_rule",
        "extend",
        "upstream_covered",
        "downstream_present",
        "leaders_downstream",
        "firms_city",
        "firms_elsewhere",
    )


def recruitment(cov):
    """chain_recruitment: gap and thin nodes of chains a region is on, ranked within the region
    (shortfall, then leaders downstream, then local links, then chain and node id)."""
    c = cov.filter((cov.status != "covered") & (cov.chain_firms > 0))
    action = ibis.ifelse(c.status == "gap", ACTION["gap"], ACTION["thin"])
    c = c.mutate(
        action=ibis.ifelse(c.extend, action + "+" + ACTION["extend"], action),
        links=c.upstream_covered + c.downstream_present,
    )
    w = ibis.window(
        group_by="region_code",
        order_by=[ibis.desc("shortfall"), ibis.desc("leaders_downstream"), ibis.desc("links"), "chain_id", "node_id"],
    )
    c = c.mutate(rank=ibis.row_number().over(w) + 1)
    return c.select(
        "region_code",
        "region_name",
        "region_level",
        "rank",
        "chain_id",
        "chain_name",
        "node_id",
        "node_name",
        "stage",
        "industry_code",
        "action",
        "status",
        "thin_rule",
        "extend",
        "firms",
        "output",
        "expected_output",
        "shortfall",
        "node_share",
        "expected_share",
        "upstream_covered",
        "downstream_present",
        "leaders_downstream",
        "firms_elsewhere",
    )


# -------------------------------------------------------------------------------- supplier networks
def _county_groups(firm_region, region):
    """(uscc, county, county_name, grp): a firm's county and its group (region_group, else the county)."""
    r = region.select(code=region.code, name_zh=region.name_zh, region_group=region.region_group)
    j = firm_region.left_join(r, firm_region.region_code == r.code)
    return j.select(
        uscc=j.uscc, county=j.region_code, county_name=j.name_zh, grp=j.region_group.fill_null(j.region_code)
    )


def supplier_links(placed, firms, firm_region, region, supply_link, chain_node, year: int):
    """One row per chain leader x supplier x supplier node (null node: not on the leader's chain):
    amount (split by share), same_county, same_group, core."""
    cg = _county_groups(firm_region, region)
    lead = leader_rows(placed, firms)
    lead = lead.select("chain_id", "leader", "leader_node")
    lead = lead.join(cg.select(leader=cg.uscc, l_county=cg.county, l_grp=cg.grp), "leader")
    s = supply_link.filter(supply_link.year == year)
    s = s.group_by(["buyer", "supplier"]).aggregate(amount=s.amount.sum())
    j = lead.join(s, lead.leader == s.buyer).drop("buyer")
    j = j.join(cg.select(supplier=cg.uscc, s_county=cg.county, s_county_name=cg.county_name, s_grp=cg.grp), "supplier")
    on = placed.select(p_uscc=placed.uscc, p_chain=placed.chain_id, node_id=placed.node_id, share=placed.share)
    j = j.left_join(on, [j.supplier == on.p_uscc, j.chain_id == on.p_chain]).drop("p_uscc", "p_chain")
    nodes = chain_node.select(node_id=chain_node.id, node_name=chain_node.name_zh, stage=chain_node.stage)
    j = j.left_join(nodes, "node_id").drop("node_id_right")
    return j.select(
        "chain_id",
        "leader",
        "leader_node",
        "l_county",
        "l_grp",
        "supplier",
        "s_county",
        "s_county_name",
        "node_id",
        "node_name",
        "stage",
        amount=j.amount * j.share.fill_null(1.0),
        same_county=j.s_county == j.l_county,
        same_group=j.s_grp == j.l_grp,
        core=j.node_id.notnull(),
    )


def leader_rows(placed, firms):
    """One row per chain and leader present in the year (a leader on two nodes of a chain is one leader of it):
    chain_id, leader, leader_node (its first node by id) and leader_node_count."""
    lead = placed.filter(placed.role == "leader").join(firms.select("uscc"), "uscc")
    g = lead.group_by([lead.chain_id, lead.uscc.name("leader")]).aggregate(
        leader_node=lead.node_id.min(), leader_node_count=lead.count()
    )
    return g.view()


def leaders(placed, firms, firm_region, region, enterprise, links):
    """chain_leaders: one row per chain and leader present in the year, with its supplier network (counted once
    however many nodes of the chain the leader sits on)."""
    cg = _county_groups(firm_region, region)
    lead = leader_rows(placed, firms).rename(uscc="leader")
    lead = lead.join(firms.select("uscc", "output"), "uscc")
    lead = lead.join(cg, "uscc").join(enterprise.select("uscc", "name"), "uscc")
    lead = lead.select(
        chain_id=lead.chain_id,
        leader=lead.uscc,
        leader_name=lead.name,
        node_id=lead.leader_node,
        leader_node_count=lead.leader_node_count,
        region_code=lead.county,
        region_name=lead.county_name,
        region_group=lead.grp,
        output=lead.output,
    )
    # one row per supplier (a supplier on two nodes is split across both rows of `links`)
    per = links.group_by(["chain_id", "leader", "supplier"]).aggregate(
        amount=links.amount.sum(),
        same_county=links.same_county.max(),
        same_group=links.same_group.max(),
        core=links.core.max(),
    )
    amt_county = ibis.ifelse(per.same_county, per.amount, 0.0)
    amt_group = ibis.ifelse(per.same_group, per.amount, 0.0)
    agg = per.group_by(["chain_id", "leader"]).aggregate(
        purchases=per.amount.sum(),
        suppliers=per.count(),
        local_amount=amt_county.sum(),
        group_amount=amt_group.sum(),
        core_suppliers=per.core.cast("int64").sum(),
        core_same_county=(per.core & per.same_county).cast("int64").sum(),
        core_same_group=(per.core & per.same_group).cast("int64").sum(),
        core_amount=ibis.ifelse(per.core, per.amount, 0.0).sum(),
    )
    j = lead.left_join(agg, ["chain_id", "leader"]).drop("chain_id_right", "leader_right")
    j = j.mutate(
        purchases=j.purchases.fill_null(0.0),
        suppliers=j.suppliers.fill_null(0),
        local_amount=j.local_amount.fill_null(0.0),
        group_amount=j.group_amount.fill_null(0.0),
        core_suppliers=j.core_suppliers.fill_null(0),
        core_same_county=j.core_same_county.fill_null(0),
        core_same_group=j.core_same_group.fill_null(0),
        core_amount=j.core_amount.fill_null(0.0),
    )
    has = j.purchases > 0
    return j.select(
        "chain_id",
        "leader",
        "leader_name",
        "node_id",
        "leader_node_count",
        "region_code",
        "region_name",
        "region_group",
        "output",
        "purchases",
        "suppliers",
        "local_amount",
        local_rate=ibis.ifelse(has, j.local_amount / j.purchases, ibis.null("float64")),
        group_amount=j.group_amount,
        group_rate=ibis.ifelse(has, j.group_amount / j.purchases, ibis.null("float64")),
        core_suppliers=j.core_suppliers,
        core_same_county=j.core_same_county,
        core_same_group=j.core_same_group,
        core_amount=j.core_amount,
    )


def suppliers_by_node_and_region(links):
    """chain_suppliers: each leader's purchases by supplier node and supplier county."""
    tot = links.group_by(["chain_id", "leader"]).aggregate(purchases=links.amount.sum())
    g = links.group_by(
        [
            "chain_id",
            "leader",
            "node_id",
            "node_name",
            "stage",
            "s_county",
            "s_county_name",
            "same_county",
            "same_group",
        ]
    ).aggregate(suppliers=links.supplier.nunique(), amount=links.amount.sum())
    g = g.join(tot, ["chain_id", "leader"])
    return g.select(
        "chain_id",
        "leader",
        "node_id",
        "node_name",
        "stage",
        supplier_region=g.s_county,
        supplier_region_name=g.s_county_name,
        same_county=g.same_county,
        same_group=g.same_group,
        suppliers=g.suppliers,
        amount=g.amount,
        share=ibis.ifelse(g.purchases > 0, g.amount / g.purchases, ibis.null("float64")),
    )


# ------------------------------------------------------------------------------------------ reasons
def _n(k: int, word: str = "firm") -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


def reasons(
    r: dict,
    up: list[dict],
    dn: list[dict],
    *,
    thin_share: float = THIN_SHARE,
    thin_firms: int = THIN_FIRMS,
    names_en: dict[str, str] | None = None,
) -> tuple[str, str]:
    """The reason for one recruiting row, in Chinese and English, from the same figures: the rule that selected
    the node, its shortfall, the covered inputs it is the next step down from (延链), the local outputs it would
    supply, and the firms at the node in other counties. `up` / `dn`: coverage rows of its direct inputs that
    are covered locally / outputs with local firms; `names_en`: node id -> English name (else the Chinese)."""
    en_name = lambda x: (names_en or {}).get(x["node_id"]) or x["node_name"]
    zh, en = [], []
    if r["status"] == "gap":
        zh.append(f"{ACTION['gap']}：本地该节点无企业")
        en.append(f"{ACTION_EN['gap']}: no local firm at this node")
    else:
        wz, we = [], []
        if r["thin_rule"] and "firms" in r["thin_rule"]:
            wz.append(f"仅{r['firms']}家企业（少于{thin_firms}家）")
            we.append(f"{_n(r['firms'])} (< {thin_firms})")
        if r["thin_rule"] and "share" in r["thin_rule"]:
            wz.append(
                f"产值占本地产业链{(r['node_share'] or 0):.1%}，按权重应占{r['expected_share']:.1%}"
                f"（不足{thin_share:g}倍）"
            )
            we.append(
                f"{(r['node_share'] or 0):.1%} of the chain's local output vs "
                f"{r['expected_share']:.1%} expected (< {thin_share:g}x)"
            )
        zh.append(f"{ACTION['thin']}：薄弱，" + "且".join(wz))
        en.append(f"{ACTION_EN['thin']}: thin, " + " and ".join(we))
    if r["shortfall"] and r["shortfall"] > 0:
        zh.append(f"按权重应有产值{money(r['expected_output'], 'zh')}，缺口{money(r['shortfall'], 'zh')}")
        en.append(f"expected {money(r['expected_output'], 'en')} by weight, short {money(r['shortfall'], 'en')}")
    if up:
        zh.append(
            f"{ACTION['extend']}：本地已有上游环节 "
            + "、".join(f"{u['node_name']}（{u['firms']}家）" for u in up)
            + " 的下一环节"
        )
        en.append(
            f"{ACTION_EN['extend']}: next step down from local "
            + ", ".join(f"{en_name(u)} ({_n(u['firms'])})" for u in up)
        )
    if dn:
        zh.append(
            "可配套本地 "
            + "、".join(
                f"{d['node_name']}（{d['firms']}家" + (f"，其中链主{d['leaders']}家）" if d["leaders"] else "）")
                for d in dn
            )
        )
        en.append(
            "supplies local "
            + ", ".join(
                f"{en_name(d)} ({_n(d['firms'])}" + (f", {_n(d['leaders'], 'chain leader')})" if d["leaders"] else ")")
                for d in dn
            )
        )
    el = r["firms_elsewhere"]
    if el is not None:
        zh.append(f"其他区县该节点有{el}家企业" if el else "其他区县也没有：需从外部招引")
        en.append(
            f"{_n(el)} at this node in other counties" if el else "none in other counties either: recruit from outside"
        )
    return "；".join(zh), "; ".join(en)


def explain(
    recruit: pa.Table,
    cov: pa.Table,
    edges: pa.Table,
    *,
    thin_share: float = THIN_SHARE,
    thin_firms: int = THIN_FIRMS,
    names_en: dict[str, str] | None = None,
) -> pa.Table:
    """Add `reason` (English) and `reason_zh` (the same in Chinese) to chain_recruitment rows: the rule that
    selected the node and the figures behind its rank, naming the local neighbours (small work: rows x a
    chain's edges). `names_en` (node id -> English name) names the neighbours in the English reason."""
    by_key = {
        (r["chain_id"], r["region_code"], r["node_id"]): r
        for r in cov.select(
            ["chain_id", "region_code", "node_id", "node_name", "status", "firms", "leaders"]
        ).to_pylist()
    }
    ups: dict[tuple[str, str], list[str]] = {}
    downs: dict[tuple[str, str], list[str]] = {}
    for e in edges.to_pylist():
        downs.setdefault((e["chain_id"], e["from_node"]), []).append(e["to_node"])
        ups.setdefault((e["chain_id"], e["to_node"]), []).append(e["from_node"])
    out_zh, out_en = [], []
    for r in recruit.to_pylist():
        key = (r["chain_id"], r["region_code"])
        up = [
            by_key[(key[0], key[1], u)]
            for u in sorted(ups.get((key[0], r["node_id"]), []))
            if (key[0], key[1], u) in by_key
        ]
        up = [u for u in up if u["status"] == "covered"]
        dn = [
            by_key[(key[0], key[1], d)]
            for d in sorted(downs.get((key[0], r["node_id"]), []))
            if (key[0], key[1], d) in by_key
        ]
        dn = [d for d in dn if d["firms"] > 0]
        zh, en = reasons(r, up, dn, thin_share=thin_share, thin_firms=thin_firms, names_en=names_en)
        out_zh.append(zh)
        out_en.append(en)
    return recruit.append_column("reason", pa.array(out_en, pa.string())).append_column(
        "reason_zh", pa.array(out_zh, pa.string())
    )


# ----------------------------------------------------------------------------------------- evaluate
MAPS = ("recorded", "current")


def map_mode(ctx) -> str:
    """The region map asked for: 'recorded' (default) or 'current' (successions in force today)."""
    mode = ctx.options.get("region_map") or "recorded"
    if mode not in MAPS:
        raise AnalyticsError(f"unknown region map {mode!r} (choose {' or '.join(MAPS)})")
    return mode


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
            f"{ctx.pack.regions[succ].name_zh} ({succ}); ask for the recorded map to see it"
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
