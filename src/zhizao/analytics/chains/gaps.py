"""Chain coverage: every chain node in every region — 补链 gaps, 强链 thin nodes, 延链 next steps — and the ranked
招商 list of node types per region with the reason for each, from the placements of analytics/chains/placement.py.

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
"""

from __future__ import annotations

import ibis
import pyarrow as pa

from ...formats import money

THIN_SHARE = 0.5  # thin when node_share < THIN_SHARE x expected_share
THIN_FIRMS = 3  # thin when fewer firms than this

ACTION = {"gap": "补链", "thin": "强链", "extend": "延链"}
ACTION_EN = {"gap": "fill (补链)", "thin": "strengthen (强链)", "extend": "extend (延链)"}


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
