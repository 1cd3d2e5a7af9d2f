"""The instrument sheets of a report: 亩均 classes and rankings, the enterprise ladder and its pipeline, chain
coverage with the 招商 list, and growth opportunities — each read from the stored results through the access
rules (gather.Gather.fetch / firm_table)."""

from __future__ import annotations

from ...reports import columns as C
from ...reports.model import Chart, Section, Table
from .. import labels
from ..adapters import chains as a_chains
from ..adapters import ladder as a_ladder
from ..adapters import mujun as a_mujun
from ..adapters import opportunities as a_opp
from .gather import Gather, not_evaluated, suppressed_note


def _by_members(g: Gather, view, **filters):
    """Rows of an aggregate view for the area: the area's own rows, or (a district created by a merger whose
    results are kept as recorded) its predecessors' rows."""
    rows, _, supp, ev = g.fetch(view, filters={"region_code": g.area, **filters})
    if not rows and g.area != g.root:
        for m in g.members:
            if m != g.area:
                more, _, s2, _ = g.fetch(view, filters={"region_code": m, **filters})
                rows += more
                supp += s2
    return rows, supp, ev


# ---------------------------------------------------------------------------------------------- 亩均
def mujun(g: Gather) -> Section:
    s = Section(
        "mujun",
        "亩均评价",
        "Per-mu evaluation",
        "“亩均论英雄”评价：各区县A/B/C/D类企业数与亩均指标，分类对应的差别化政策，以及企业得分排名。",
        "亩均论英雄: classes A–D and per-mu figures of the districts, the differentiated policies per class, and "
        "the firms' ranking.",
    )
    if g.area == g.root:
        rows, _, supp, ev = g.fetch(a_mujun.REGIONS, filters={"level": "county"}, sort="mean_score", desc=True)
    else:
        rows, supp, ev = _by_members(g, a_mujun.REGIONS)
    for r in rows:
        r["region_name"] = g.region_name(r.get("region_code"))
    s.tables.append(
        not_evaluated(
            suppressed_note(
                Table(
                    "mujun_regions",
                    "各区县亩均效益与分类",
                    "Districts' per-mu figures and classes",
                    C.MUJUN_REGIONS,
                    rows=rows,
                    suppressed=supp,
                    evaluated=ev,
                    pdf_cols=(
                        "region_name",
                        "firms",
                        "rated",
                        "class_A",
                        "class_B",
                        "class_C",
                        "class_D",
                        "tax_per_mu",
                        "mean_score",
                    ),
                )
            ),
            g,
        )
    )
    pol, _, supp, ev = g.fetch(a_mujun.VIEWS[3])
    for r in pol:
        r["policy"] = r.get("policy_zh") if g.lang == "zh" else (r.get("policy_en") or r.get("policy_zh"))
        if g.lang == "en":
            r["class_name"] = r.get("class_name_en") or r.get("class_name")
    s.tables.append(
        not_evaluated(
            Table(
                "mujun_classes",
                "全市分类结果与差别化政策",
                "City-wide classes and differentiated policies",
                C.MUJUN_CLASSES,
                rows=pol,
                evaluated=ev,
            ),
            g,
        )
    )
    if g.scope != "cluster":
        t = Table(
            "mujun_firms",
            "企业亩均评价排名",
            "Firms ranked by per-mu score",
            C.MUJUN_FIRMS,
            pdf_rows=15,
            pdf_cols=("rank_region", "name", "class", "total_score", "tax_per_mu", "value_added_per_mu"),
        )
        g.firm_table(
            t,
            a_mujun.SCORES,
            None if g.area == g.root else g.area,
            filters={"rated": True},
            sort="total_score",
            desc=True,
        )
        for r in t.rows:
            r["region_name"] = g.region_name(r.get("region_code"))
            r["industry_name"] = g.names.name("industry", r.get("industry_code"), g.lang)
        s.tables.append(not_evaluated(t, g))
    return s


# ---------------------------------------------------------------------------------------------- ladder
def _period(p, g: Gather) -> str:
    """A pipeline target's period as people write it: 2024–2027, 2027, 每年."""
    p = str(p or "")
    if p == "annual":
        return g.t("每年", "each year")
    return p.replace("..", "–")


def ladder(g: Gather) -> Section:
    s = Section(
        "ladder",
        "梯度培育",
        "Enterprise ladder",
        "优质中小企业梯度培育：各层级已获认定、候选和确认达标企业数；储备对照2027年等目标的差额；候选企业名单。",
        "The enterprise ladder: holders, candidates and confirmed firms per tier; the pipeline against the 2027 and "
        "other targets; the candidates.",
    )
    if g.area == g.root:
        rows, _, supp, ev = g.fetch(a_ladder.DISTRICTS)
    else:
        rows, supp, ev = _by_members(g, a_ladder.DISTRICTS)
    for r in rows:
        r["region_name"] = g.region_name(r.get("region_code"))
        r["tier_name"] = g.label("tier", r)
    if g.area == g.root:  # the city: one row per tier, summed over the districts
        by: dict[str, dict] = {}
        for r in rows:
            t = by.setdefault(
                r["tier"],
                {
                    "region_name": g.region_name(g.root),
                    "tier": r["tier"],
                    "tier_name": r["tier_name"],
                    "tier_rank": r.get("tier_rank"),
                },
            )
            for k in ("screened", "holders", "candidates", "confirmed", "not_met"):
                if r.get(k) is not None:
                    t[k] = (t.get(k) or 0) + r[k]
        rows = sorted(by.values(), key=lambda r: r.get("tier_rank") or 0)
    s.tables.append(
        not_evaluated(
            suppressed_note(
                Table(
                    "ladder_counts",
                    "各层级企业数",
                    "Firms per tier",
                    C.LADDER_COUNTS,
                    rows=rows,
                    suppressed=supp,
                    evaluated=ev,
                )
            ),
            g,
        )
    )
    pipe, _, _, ev = g.fetch(a_ladder.VIEWS[3])
    for r in pipe:
        r["tier_name"] = g.label("tier", r) if g.lang == "en" else (r.get("tier_name") or g.label("tier", r))
        r["label"] = labels.metric_label(r.get("metric"), g.lang, r.get("metric_zh"))
        r["covered_text"] = g.t("能", "yes") if r.get("covered") else g.t("不能", "no")
        r["period"] = _period(r.get("period"), g)
        r["_sources"] = g.cite_all(r.get("sources"))
        r["source_title"] = "；".join(
            g.sources[i]["title"] for i in str(r.get("sources") or "").split(",") if i in g.sources
        )
    s.tables.append(
        not_evaluated(
            Table(
                "ladder_pipeline",
                "梯度培育储备对照目标",
                "Pipeline against the targets",
                C.LADDER_PIPELINE,
                rows=pipe,
                evaluated=ev,
                pdf_cols=(
                    "tier_name",
                    "label",
                    "period",
                    "target",
                    "achieved",
                    "gap",
                    "candidates",
                    "confirmed",
                    "covered_text",
                ),
            ),
            g,
        )
    )
    if g.scope != "cluster":
        t = Table(
            "ladder_firms",
            "候选企业名单",
            "Candidates",
            C.LADDER_FIRMS,
            pdf_rows=15,
            pdf_cols=("name", "tier_name", "screen_text", "met", "not_met", "unknown"),
        )
        g.firm_table(
            t,
            a_ladder.FIRMS,
            None if g.area == g.root else g.area,
            filters={"status": "candidate"},
            sort="score_high",
            desc=True,
        )
        for r in t.rows:
            r["region_name"] = g.region_name(r.get("region_code"))
            r["tier_name"] = g.label("tier", r)
            r["screen_text"] = g.label("screen", r)
        s.tables.append(not_evaluated(t, g))
    return s


# ---------------------------------------------------------------------------------------------- chains
def chains(g: Gather) -> tuple[Section, Section]:
    cov = Section(
        "chains",
        "产业链覆盖",
        "Chain coverage",
        "产业链逐环节覆盖情况：已覆盖、薄弱（强链）、缺失（补链）和下游延伸方向（延链）。",
        "Chains node by node: covered, thin (强链), missing (补链) and the next steps downstream (延链).",
    )
    rec = Section(
        "recruitment",
        "补链招商",
        "Recruitment list",
        "补链·强链·延链招商清单：按优先顺序列出应引进或培育的环节及理由。",
        "The 招商 list: nodes to fill, strengthen or extend into, ranked, with the reason for each.",
    )
    chain_ids = None
    if g.scope == "cluster":
        chain_ids = {r["id"] for r in g.wh.rows("SELECT id FROM chain WHERE cluster_id = ?", [g.cluster])}
    nodes, supp, ev = [], 0, False
    areas = [g.area] if g.area == g.root else g.members
    for m in areas:
        rows, _, s2, ev2 = g.fetch(a_chains.COVERAGE, region=m, sort="node_id")
        nodes += [r for r in rows if chain_ids is None or r["chain_id"] in chain_ids]
        supp += s2
        ev = ev or ev2
    by: dict[tuple, dict] = {}
    for r in nodes:
        r["region_name"] = g.region_name(r.get("region_code"))
        r["chain_name"] = g.names.name("chain", r.get("chain_id"), g.lang) or r.get("chain_name")
        r["node_name"] = g.names.name("node", r.get("node_id"), g.lang) or r.get("node_name")
        r["stage_text"] = g.label("stage", r)
        r["status_text"] = g.label("status", r)
        r["extend_text"] = g.t("延链方向", "next step") if r.get("extend") else ""
        c = by.setdefault(
            (r["chain_id"], r["region_code"]),
            {
                "chain_id": r["chain_id"],
                "chain_name": r["chain_name"],
                "region_name": r["region_name"],
                "nodes": 0,
                "covered": 0,
                "thin": 0,
                "gap": 0,
                "extend": 0,
                "gap_nodes": [],
            },
        )
        c["nodes"] += 1
        if r.get("status") in ("covered", "thin", "gap"):
            c[r["status"]] += 1
        if r.get("status") == "gap":
            c["gap_nodes"].append(r["node_name"])
        if r.get("extend"):
            c["extend"] += 1
    summary = sorted(by.values(), key=lambda c: (-c["gap"], c["chain_id"]))
    for c in summary:
        c["coverage"] = (c["covered"] + c["thin"]) / c["nodes"] if c["nodes"] else None
    cov.tables.append(
        not_evaluated(
            Table(
                "chain_summary", "各产业链覆盖概况", "Coverage per chain", C.CHAIN_SUMMARY, rows=summary, evaluated=ev
            ),
            g,
        )
    )
    cov.tables.append(
        not_evaluated(
            suppressed_note(
                Table(
                    "chain_nodes",
                    "逐环节覆盖",
                    "Node by node",
                    C.CHAIN_NODES,
                    rows=nodes,
                    suppressed=supp,
                    evaluated=ev,
                    pdf_rows=30,
                    pdf_cols=(
                        "chain_name",
                        "node_name",
                        "stage_text",
                        "firms",
                        "leaders",
                        "status_text",
                        "extend_text",
                    ),
                )
            ),
            g,
        )
    )
    rrows, supp, ev = [], 0, False
    for m in areas:
        rows, _, s2, ev2 = g.fetch(a_chains.RECRUITMENT, region=m, sort="rank")
        rrows += [r for r in rows if chain_ids is None or r["chain_id"] in chain_ids]
        supp += s2
        ev = ev or ev2
    for r in rrows:
        r["region_name"] = g.region_name(r.get("region_code"))
        r["chain_name"] = g.names.name("chain", r.get("chain_id"), g.lang) or r.get("chain_name")
        r["node_name"] = g.names.name("node", r.get("node_id"), g.lang) or r.get("node_name")
        r["action_text"] = g.label("action", r)
        r["reason_text"] = g.label("reason", r)
    rec.tables.append(
        not_evaluated(
            suppressed_note(
                Table(
                    "recruitment",
                    "招商清单",
                    "Recruitment list",
                    C.RECRUITMENT,
                    rows=rrows,
                    suppressed=supp,
                    evaluated=ev,
                    pdf_rows=15,
                    pdf_cols=("rank", "chain_name", "node_name", "action_text", "firms_elsewhere", "reason_text"),
                )
            ),
            g,
        )
    )
    return cov, rec


# ---------------------------------------------------------------------------------------------- opportunities
def opportunities(g: Gather) -> Section:
    s = Section(
        "opportunities",
        "发展机会",
        "Opportunities",
        "基于经济复杂度与产业关联度（RCA、关联密度、机会收益）推荐的新兴集群与行业方向，附理由。",
        "Clusters and industries to grow next, from economic complexity and relatedness (RCA, density, opportunity "
        "gain), with the reasons.",
    )
    if g.scope == "cluster":
        rows, _, supp, ev = g.fetch(a_opp.RECOMMENDATIONS, filters={"kind": "cluster", "code": g.cluster}, sort="rank")
        title = ("最适合发展本集群的区县", "Districts best placed for this cluster")
    elif g.area == g.root:
        rows, _, supp, ev = g.fetch(a_opp.RECOMMENDATIONS, filters={"kind": "cluster"}, sort="rank")
        rows = [r for r in rows if (r.get("rank") or 99) <= 3]
        title = ("各区县前三位推荐集群", "Each district's top three clusters")
    else:
        rows, supp, ev = _by_members(g, a_opp.RECOMMENDATIONS)
        rows.sort(key=lambda r: (r.get("kind") != "cluster", r.get("rank") or 0))
        title = ("推荐发展方向", "Recommended directions")
    for r in rows:
        r["region_name"] = g.region_name(r.get("region_code"))
        r["kind_text"] = g.t("集群", "cluster") if r.get("kind") == "cluster" else g.t("行业", "industry")
        r["name"] = g.label("name", r) or r.get("name")
        r["quadrant_text"] = g.label("quadrant", r)
        r["reason_text"] = g.label("reason", r)
    s.tables.append(
        not_evaluated(
            suppressed_note(
                Table(
                    "opportunities",
                    *title,
                    C.OPPORTUNITIES,
                    rows=rows,
                    suppressed=supp,
                    evaluated=ev,
                    pdf_rows=15,
                    pdf_cols=("rank", "region_name", "kind_text", "name", "quadrant_text", "score", "reason_text"),
                    chart=None,
                )
            ),
            g,
        )
    )
    return s


__all__ = ["Chart", "chains", "ladder", "mujun", "opportunities"]
