"""Chain placement: which firms sit on which chain nodes, their output for the year, their county on the region
map, and the region scopes (counties and the groups above them) the chain instrument reports on.

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
- County rows: every county-level region where at least one firm has figures for the year, on today's
  map (the default, analytics/regionmap.py: primary successions in force today, a merged district's firms
  count in its successor, via ctx.region_map()) or, when asked (option region_map = 'recorded'), where the
  firm's region_code was recorded. Every result row says which map (`region_map`).
- Group rows: every ancestor of such a county at level subgroup, group or province
  (region_ancestor); a group's figures are the union of its member counties' firms.
- A district's own chain (chain.region_code set) is evaluated only for that region (its successor
  on the current map).
"""

from __future__ import annotations

import ibis

GROUP_LEVELS = ("subgroup", "group", "province")
COUNTY = "county"


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
