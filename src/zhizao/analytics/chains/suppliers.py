"""Chain leaders (链主) and their supplier networks ("左右将军"): chain_leaders and chain_suppliers, from the placements
of analytics/chains/placement.py and the year's supply links.

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

import ibis


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
