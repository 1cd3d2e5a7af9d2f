"""Gathering a briefing's content: the warehouse's figures and the stored analytics results, read through the
dashboard's own functions (web/data.py, web/results.read, web/adapters) so that the one access policy of
web/access.py decides what a report holds — a district user's report holds its own firms only and aggregates
elsewhere (small cells blanked), a public report aggregates only, an administrator's report everything.

Every number in a report comes from here; the writers (zhizao/reports: xlsx.py, pdf.py) only format. This lives
in web/ because the layers put reports below web: reports know the report model and formats, not the web.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...reports import columns as C
from ...reports.model import Chart, Report, Section, Table
from .. import data as D
from .. import labels
from .. import sources as articles
from ..access import Denied, Policy, Principal
from ..adapters import clusters as a_clusters
from ..adapters import targets as a_targets
from ..results import MAX_LIMIT, View, read
from ..warehouse import Warehouse

FIRM_ROWS = 10_000  # enterprise rows a workbook sheet carries at most (the rest: zhizao mujun/ladder --json, API CSV)

# a fact's or target's unit -> (row unit, unit text zh, unit text en)
UNIT_OF = {
    "yuan": ("yi", "亿元", "100 m yuan"),
    "percent": ("ppct", "%", "%"),
    "count": ("int", "个", ""),
}


@dataclass
class Gather:
    """What every gathering step needs: the warehouse, the policy and the user, the year and language, the area."""

    wh: Warehouse
    policy: Policy
    p: Principal
    year: int
    lang: str
    scope: str
    area: str
    cluster: str | None = None
    firm_rows: int = FIRM_ROWS
    names: labels.Names = None
    sources: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self.names = labels.names(self.wh)
        self.root = self.wh.root()
        regs = self.wh.regions()
        self.mapping = "current" if regs[self.area].current == self.area else "recorded"
        self.members = sorted(self.policy.region_members(self.area)) if self.area != self.root else [self.root]

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def region_name(self, code) -> str:
        return self.names.name("region", code, self.lang) if code else ""

    def label(self, col: str, row: dict) -> str:
        got = labels.show(col, row, self.lang, self.names)
        return got if got is not None else ("" if row.get(col) is None else str(row.get(col)))

    def cite(self, source_id: str | None) -> int | None:
        """Number a source the report cites (the same number everywhere in the report)."""
        if not source_id:
            return None
        if source_id not in self.sources:
            s = self.wh.one("SELECT id, title, address, published, publisher FROM source WHERE id = ?", [source_id])
            if s is None:
                return None
            s = {k: (v.date().isoformat() if isinstance(v, dt.datetime) else v) for k, v in s.items()}
            s["n"] = len(self.sources) + 1
            self.sources[source_id] = s
        return self.sources[source_id]["n"]

    def cite_all(self, ids: str | list | None) -> list[int]:
        if not ids:
            return []
        if isinstance(ids, str):
            ids = [x.strip() for x in ids.split(",")]
        return [n for n in (self.cite(i) for i in ids) if n]

    # ------------------------------------------------------------------------------------------ reading
    def fetch(self, view: View, *, cap: int | None = None, **kw):
        """Every row of `view` (up to `cap`) that the user may see, through web/results.read (which applies
        the access rules); returns (rows, total, suppressed, evaluated)."""
        cap = MAX_LIMIT * 100 if cap is None else cap
        r = read(self.wh, self.policy, self.p, view, year=self.year, limit=cap, max_limit=cap, **kw)
        return r.rows, r.total, r.suppressed, r.evaluated

    def firm_table(self, table: Table, view: View, region: str | None, **kw) -> Table:
        """An enterprise-level table: the firms the user may see (own region for district users), or a note
        saying why the report holds none."""
        table.firm_level = True
        try:
            rows, total, _, evaluated = self.fetch(view, cap=self.firm_rows, region=region, **kw)
        except Denied as e:
            table.evaluated = True
            table.notes.append((f"本报告不含企业名单：{e.zh}", f"No enterprise list in this report: {e.en}"))
            return table
        table.rows, table.total, table.evaluated = rows, total, evaluated
        fr = self.policy.firm_regions(self.p)
        if fr is not None and region is None:
            own = self.region_name(self.p.region)
            table.notes.append(
                (
                    f"企业名单仅含本账号所属区县（{own}）的企业。",
                    f"Enterprises of {own} only (the account's own district).",
                )
            )
        if total > len(rows):
            table.notes.append(
                (
                    f"共{total:,}家企业，此处列出前{len(rows):,}家；完整名单可通过 API 的 CSV 下载获得。",
                    f"{total:,} enterprises; the first {len(rows):,} are listed here (the API's CSV download has all).",
                )
            )
        return table


def not_evaluated(table: Table, g: Gather) -> Table:
    if not table.evaluated:
        table.notes.append(
            (
                f"{g.year}年尚未计算：请运行 zhizao evaluate --year {g.year}",
                f"not evaluated for {g.year}: run zhizao evaluate --year {g.year}",
            )
        )
    return table


def suppressed_note(table: Table) -> Table:
    if table.suppressed:
        table.notes.append(
            (
                f"按访问规则，少于3家企业的汇总数已隐去（{table.suppressed}行，显示为空白或“—”）。",
                (
                    f"By the access rules, aggregates over fewer than 3 enterprises are suppressed ({table.suppressed} "
                    "rows, shown blank or —)."
                ),
            )
        )
    return table


# ---------------------------------------------------------------------------------------------- overview
def overview(g: Gather, report: Report) -> Section:
    s = Section(
        "overview",
        "总览",
        "Overview",
        "主要指标（企业数、产值、增加值、营业收入、税收、投资等）及其同比增长和占全市比重；历年走势。",
        "Headline figures (firms, output, value added, revenue, tax, investment) with growth and share of the city; "
        "the years held.",
    )
    if g.scope == "cluster":
        return _cluster_overview(g, report, s)
    fig = D.figures(g.wh, g.policy, g.p, year=g.year, level=None, mapping=g.mapping, region=g.area)
    row = fig["rows"][0] if fig["rows"] else None
    report.figures = row
    head = Table("headline", "主要指标", "Headline figures", C.HEADLINE, suppressed=fig["suppressed"])
    for key, zh, en, unit, uzh, uen in C.HEADLINE_METRICS:
        if row is None:
            break
        head.rows.append(
            {
                "key": key,
                "metric": g.t(zh, en),
                "value": row.get(key),
                "_unit": unit,
                "unit_text": g.t(uzh, uen),
                "growth": row.get(f"{key}_growth"),
                "share": row.get(f"{key}_share") if g.area != g.root else None,
            }
        )
    s.tables.append(suppressed_note(head))
    ser = D.series(g.wh, g.policy, g.p, g.area, g.mapping)
    series = Table(
        "series",
        "历年主要指标",
        "Figures over the years",
        C.SERIES,
        rows=[{**r, "year": str(r["year"])} for r in ser if r["year"] <= g.year],
        chart=Chart(
            "bar",
            "year",
            "output_value",
            "历年规上工业总产值（亿元）",
            "Above-scale industrial output by year (100 m yuan)",
        ),
    )
    series.suppressed = sum(1 for r in series.rows if r.get("suppressed"))
    s.tables.append(suppressed_note(series))
    counties = D.figures(g.wh, g.policy, g.p, year=g.year, level="county", mapping="current")
    regs = g.wh.regions()
    report.map_values = [
        {
            "code": r["region_code"],
            "value": r.get("output_value"),
            "firms": r["firms"],
            "suppressed": bool(r.get("suppressed")),
        }
        for r in counties["rows"]
    ]
    ranked = sorted(
        (r for r in counties["rows"] if r.get("output_value") is not None), key=lambda r: -r["output_value"]
    )
    report.rank = next((i + 1 for i, r in enumerate(ranked) if r["region_code"] == g.area), None)
    report.ranked_of = len(counties["rows"])
    if g.scope == "city":
        rows = []
        for r in sorted(counties["rows"], key=lambda r: -(r.get("output_value") or 0)):
            reg = regs.get(r["region_code"])
            grp = reg.subgroup or reg.group if reg else None
            rows.append({**r, "region_name": g.region_name(r["region_code"]), "group_name": g.region_name(grp)})
        t = Table(
            "districts",
            "各区县主要指标",
            "Districts",
            C.DISTRICTS,
            rows=rows,
            suppressed=counties["suppressed"],
            chart=Chart(
                "barh",
                "region_name",
                "output_value",
                "各区县规上工业总产值（亿元）",
                "Above-scale output by district (100 m yuan)",
                15,
            ),
            pdf_rows=45,
        )
        s.tables.append(suppressed_note(t))
        groups = [
            {**r, "region_name": g.region_name(r["region_code"])}
            for r in fig_all(g)["rows"]
            if r["level"] in ("group", "subgroup")
        ]
        s.tables.append(
            suppressed_note(
                Table("groups", "“一区两群”各片区占全市比重", "The groups' shares of the city", C.GROUPS, rows=groups)
            )
        )
    return s


def fig_all(g: Gather) -> dict:
    return D.figures(g.wh, g.policy, g.p, year=g.year, level=None, mapping="current")


def _cluster_overview(g: Gather, report: Report, s: Section) -> Section:
    rows, _, supp, ev = g.fetch(a_clusters.FIG, filters={"unit_id": g.cluster, "region_code": g.area})
    row = rows[0] if rows else None
    report.figures = row
    head = Table(
        "headline", "集群主要指标", "The cluster's headline figures", C.HEADLINE, suppressed=supp, evaluated=ev
    )
    share_key = "share_of_region" if g.area == g.root else "share_of_city"
    for key, zh, en, unit, uzh, uen in C.HEADLINE_METRICS:
        if row is None or key not in row:
            continue
        head.rows.append(
            {
                "key": key,
                "metric": g.t(zh, en),
                "value": row.get(key),
                "_unit": unit,
                "unit_text": g.t(uzh, uen),
                "growth": row.get(f"{key}_growth"),
                "share": row.get(f"{key}_{share_key}"),
            }
        )
    head.cols = [c if c.key != "share" else C.Col("share", *_share_head(g)) for c in head.cols]
    s.tables.append(not_evaluated(suppressed_note(head), g))
    contrib, _, supp, ev = g.fetch(
        a_clusters.FIG, filters={"unit_id": g.cluster, "region_level": "county"}, sort="output_value", desc=True
    )
    if g.area != g.root:
        members = set(g.members)
        contrib = [r for r in contrib if r["region_code"] in members]
    for r in contrib:
        r["region_name"] = g.region_name(r["region_code"])
    report.map_values = [
        {
            "code": r["region_code"],
            "value": r.get("output_value"),
            "firms": r.get("firms"),
            "suppressed": bool(r.get("suppressed")),
        }
        for r in contrib
    ]
    t = Table(
        "contributions",
        "各区县对本集群的贡献",
        "Districts' contributions to the cluster",
        C.CONTRIBUTIONS,
        rows=contrib,
        suppressed=supp,
        evaluated=ev,
        chart=Chart(
            "barh",
            "region_name",
            "output_value",
            "各区县集群产值（亿元）",
            "Cluster output by district (100 m yuan)",
            15,
        ),
    )
    s.tables.append(not_evaluated(suppressed_note(t), g))
    return s


def _share_head(g: Gather) -> tuple[str, str, str]:
    if g.area == g.root:
        return ("占全市产值比重", "Share of city output", "pct")
    return ("占全市该集群比重", "Share of the cluster city-wide", "pct")


# ---------------------------------------------------------------------------------------------- clusters
def clusters(g: Gather) -> Section:
    s = Section(
        "clusters",
        "产业集群",
        "Clusters",
        "本地区各产业集群（全市“33618”体系及区县自身体系）的企业数、产值、增速、占比与投资。",
        "Each cluster of the area (the city's system and the district's own): firms, output, growth, shares, "
        "investment.",
    )
    rows, _, _, ev = g.fetch(
        a_clusters.FIG,
        filters={"region_code": g.area, "scope": "cluster", "region_map": g.mapping},
        sort="output_value",
        desc=True,
    )
    systems = {r["id"]: r["region_code"] for r in g.wh.rows("SELECT id, region_code FROM cluster_system")}
    wanted = {g.root, g.area, *g.members}
    by: dict[str, list[dict]] = {}
    for r in rows:
        if systems.get(r.get("system_id")) not in wanted:
            continue
        r["system_name"] = g.names.name("system", r.get("system_id"), g.lang)
        r["tier_name"] = g.label("tier", r)
        if g.lang == "en":
            r["cluster_name"] = g.names.name("cluster", r.get("cluster_id"), "en") or r.get("cluster_name")
        by.setdefault(r["system_id"], []).append(r)
    city = g.wh.scalar("SELECT id FROM cluster_system WHERE region_code = ? ORDER BY id LIMIT 1", [g.root])
    order = sorted(by, key=lambda sid: (sid != city, sid))
    cols = [c for c in C.CLUSTERS if not (g.area == g.root and c.key == "output_value_share_of_city")]
    pdf_cols = (
        "cluster_name",
        "tier_name",
        "firms",
        "output_value",
        "output_value_growth",
        "output_value_share_of_region",
        "output_value_share_of_city",
        "tax",
    )
    for i, sid in enumerate(order or [city]):
        srows = by.get(sid, [])
        name = g.names.name("system", sid, g.lang)
        t = Table(
            "clusters" if i == 0 else f"clusters:{sid}",
            f"{name}各产业集群",
            f"Clusters of {name}",
            cols,
            rows=srows,
            suppressed=sum(1 for r in srows if r.get("suppressed")),
            evaluated=ev,
            chart=Chart(
                "barh",
                "cluster_name",
                "output_value",
                "产值最大的产业集群（亿元）",
                "Largest clusters by output (100 m yuan)",
                12,
            )
            if i == 0
            else None,
            pdf_cols=pdf_cols,
        )
        s.tables.append(not_evaluated(suppressed_note(t), g))
    return s


# ---------------------------------------------------------------------------------------------- targets
def _in_unit(v, unit: str | None):
    return UNIT_OF.get(unit or "", ("num", None, None))


def targets(g: Gather) -> Section:
    s = Section(
        "targets",
        "目标与进展",
        "Targets",
        "登记在册的目标（来自公开政策文件，逐项注明来源）及其最新实际值、完成进度、所需增速和状态。",
        "The registered targets (from published policy documents, each with its source), the latest actual, "
        "progress, required growth and status.",
    )
    reg = a_targets.register(g.wh, g.policy, g.p, year=g.year, scope_id=None if g.area == g.root else g.area)
    rows = []
    for r in reg["rows"]:
        if g.scope == "cluster" and r.get("cluster_id") != g.cluster:
            continue
        pr = r.get("progress") or {}
        unit, uzh, uen = _in_unit(r.get("value"), r.get("unit"))
        n = g.cite(r.get("source_id"))
        status = pr.get("status")
        rows.append(
            {
                "target_id": r["id"],
                "scope_name": g.region_name(r["scope_id"]) if r.get("scope") == "region" else r.get("scope_id"),
                "cluster_id": r.get("cluster_id"),
                "label": labels.metric_label(r.get("metric"), g.lang, r.get("metric_zh")),
                "target_value": r.get("value"),
                "_unit": unit,
                "unit_text": g.t(uzh, uen) if uzh is not None else labels.unit_text(r.get("unit") or "", g.lang),
                "target_year": "" if r.get("year") is None else str(r["year"]),
                "actual_value": pr.get("actual_value"),
                "actual_year": "" if pr.get("actual_year") is None else str(pr["actual_year"]),
                "actual_synthetic": pr.get("actual_synthetic"),
                "progress": pr.get("progress"),
                "required_growth": pr.get("required_growth"),
                "status": status,
                "status_text": g.label("status", {"status": status}) if status else g.t("尚未计算", "not evaluated"),
                "source_title": r.get("source_title") or "",
                "_sources": [n] if n else [],
            }
        )
    rows.sort(key=lambda x: x["progress"] is None)  # measurable first (the chart's rows)
    t = Table(
        "targets",
        "目标进展",
        "Target progress",
        C.TARGETS,
        rows=rows,
        evaluated=reg["evaluated"],
        chart=Chart("progress", "label", "progress", "目标完成进度", "Progress towards targets", 14),
        pdf_rows=30,
        pdf_cols=(
            "scope_name",
            "label",
            "target_value",
            "unit_text",
            "target_year",
            "actual_value",
            "progress",
            "status_text",
        ),
    )
    t.notes.append(
        (
            "目标值来自公开政策文件（见脚注与“事实与来源”）；最新实际值由本库企业数据计算"
            + ("，为合成演示数据。" if g.wh.synthetic else "。"),
            "Target values are published figures (see the footnotes and Facts and sources); the latest actuals are "
            "computed from the warehouse's enterprise figures" + (", synthetic demo data." if g.wh.synthetic else "."),
        )
    )
    s.tables.append(not_evaluated(t, g))
    return s


# ---------------------------------------------------------------------------------------------- facts
def facts(g: Gather, report: Report) -> Section:
    s = Section(
        "facts",
        "事实与来源",
        "Facts and sources",
        "公开资料中关于本地区（或本集群）的数字，逐条附原文和来源；本报告引用的全部来源。",
        "Published figures about the area (or cluster), each with its quote and source; every source the report cites.",
    )
    if g.scope == "cluster":
        raw = g.wh.rows(
            "SELECT f.*, s.title AS source_title FROM fact f LEFT JOIN source s ON s.id = f.source_id "
            "WHERE f.cluster_id = ? ORDER BY f.period NULLS LAST, f.id",
            [g.cluster],
        )
    else:
        raw = []
        seen = set()
        for code in g.members:
            for r in articles.facts(g.wh, entity=code, limit=MAX_LIMIT)["rows"]:
                if r["id"] not in seen:
                    seen.add(r["id"])
                    raw.append(r)
    rows = []
    for r in raw:
        unit, uzh, uen = _in_unit(r.get("value"), r.get("unit"))
        n = g.cite(r.get("source_id"))
        rows.append(
            {
                "entity": g.label("entity", r) or r.get("entity"),
                "label": labels.metric_label(r.get("metric"), g.lang, r.get("metric_zh")),
                "value": r.get("value"),
                "_unit": unit,
                "unit_text": g.t(uzh, uen) if uzh is not None else labels.unit_text(r.get("unit") or "", g.lang),
                "period_text": labels.period(r.get("period"), g.lang) if r.get("period") else "",
                "kind_text": g.label("kind", r),
                "quote": r.get("quote") or "",
                "source_title": r.get("source_title") or "",
                "_sources": [n] if n else [],
            }
        )
    s.tables.append(
        Table(
            "facts",
            "公开资料中的数字",
            "Published figures",
            C.FACTS,
            rows=rows,
            pdf_rows=20,
            pdf_cols=("entity", "label", "value", "unit_text", "period_text", "kind_text", "source_title"),
        )
    )
    return s


def sources_table(g: Gather) -> Table:
    rows = sorted(g.sources.values(), key=lambda r: r["n"])
    return Table(
        "sources",
        "本报告引用的来源",
        "Sources cited in this report",
        C.SOURCES,
        rows=[dict(r) for r in rows],
        pdf_rows=10_000,
    )
