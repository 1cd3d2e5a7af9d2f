"""Facts of statistics tables: one per row (the measure or industry) and figure column (the month, the
year to date, the growth). tables.py finds the tables; this module decides what their cells state.
"""

from __future__ import annotations

import re

from . import metrics as M
from .facts import Fact
from .times import period_of

SCALES = {
    "亿元": (1e8, "yuan"),
    "万元": (1e4, "yuan"),
    "千元": (1e3, "yuan"),
    "元": (1.0, "yuan"),
    "亿美元": (1e8, "usd"),
    "万美元": (1e4, "usd"),
    "万辆": (1e4, "vehicle"),
    "辆": (1.0, "vehicle"),
    "户": (1.0, "count"),
    "家": (1.0, "count"),
    "个": (1.0, "count"),
}


def row_metric(label: str, unit: str | None, gdp_table: bool) -> tuple[str, str | None] | None:
    """The metric a table row measures (its label and unit), with its industry."""
    if M.BLOCK.search(label):
        return None
    if gdp_table and label == "工业":
        return "industrial_value_added", None  # a GDP table's 工业 row is industry's value added
    if unit in ("万辆", "辆") or re.search(r"(汽车|整车|轿车)$", label):
        if "新能源" in label:
            return "nev_production", None
        return ("vehicle_production", None) if re.search(r"(汽车|整车|轿车)", label) else None
    if unit in ("户", "家", "个"):
        cm = M.find_count_metric(label)
        return (cm[0], None) if cm else None
    b = M.find_base(label)
    if b is None or b[2] > 0 and re.search(r"[\u4e00-\u9fff]", label[b[3] :]):
        return None
    template = b[0]
    if template.startswith("{IND}"):
        cluster = M.find_cluster(label[: b[2]])
        return ("industry_" if cluster else "industrial_") + template[5:], cluster
    return template, None


def table_facts(doc) -> list[Fact]:
    """Facts of the statistics tables (tables.py): one per row and figure column."""
    art, times, mentions, ctx = doc.art, doc.times, doc.mentions, doc.ctx
    out: list[Fact] = []
    date = art.published
    for t in doc.tables:
        tend = t.title_start + len(t.title)
        in_title = [x for x in times if t.title_start <= x.start < tend and x.kind in ("span", "year", "month")]
        ents = [
            m
            for m in mentions
            if t.title_start <= m.start < tend
            and m.entity is not None
            and m.entity.type in ("district", "city", "park", "province", "region")
        ]
        ent, inferred = (ents[0].entity, False) if ents else (ctx.main_local or ctx.main, True)
        if ent is None:
            continue
        span = next((x for x in in_title if x.kind == "span"), None)
        if not t.title:
            # a table with no title: the period the text before it reports (the latest span it names; 比1-10月
            # is a comparison)
            before = [x for x in times if t.header_start - 400 <= x.start < t.header_start and x.kind == "span"]
            if before:
                span = max(before, key=lambda x: (x.year or 0, x.m2 or 0))
                in_title = [span]
        year_t = next((x for x in in_title if x.kind in ("year", "span", "month")), None)
        year = period_of(year_t, date)[:4] if year_t is not None else (str(date.year) if date else "????")
        gdp_table = any(
            r.label in ("地区生产总值", "生产总值", "GDP") or r.label.startswith(("第一产业", "第二产业"))
            for r in t.rows
        )
        measure = next((c.measure for c in t.columns if c.measure), None)
        if measure is None and M.find_base(t.title) is not None:
            measure = M.find_base(t.title)[1]  # 表3 2008年规模以上工业总产值: its rows are industries
        if measure is None and not t.title:
            b = M.find_base(doc.text[max(0, t.header_start - 400) : t.header_start])
            if b is not None and b[0].startswith("{IND}"):
                measure = b[1]  # a table right after a paragraph on 产值 with no title of its own
        scale_of_table = _unstated_scale(t, doc.quants)
        for r in t.rows:
            rm = row_metric(r.label, r.unit, gdp_table)
            if rm is None and measure and M.NOT_CLUSTER.match(r.label):
                b = M.find_base(measure)  # 规模以上工业 | 1352.64 | 9.1: the total
                if b is not None and b[0].startswith("{IND}"):
                    rm = ("industrial_" + b[0][5:], None)
            if (
                rm is None
                and measure
                and not M.BLOCK.search(r.label)
                and re.search(r"(业|产业|集群)$", r.label)
                and not r.label.endswith("企业")
            ):
                b = M.find_base(measure)  # 汽车摩托车制造业 | 392.18 | 13.4 under 产值(亿元): the industry's output
                if b is not None and b[0].startswith("{IND}"):
                    rm = ("industry_" + b[0][5:], r.label)
            if rm is None:
                continue
            base, cluster = rm
            for c in r.cells:
                col = c.column
                if col.kind == "share":
                    continue
                if col.scope == "month":
                    m = col.month or (span.m2 if span is not None else None)
                    if m is None:
                        continue
                    period = f"{year}-{m:02d}..{year}-{m:02d}"
                elif span is not None:
                    period = period_of(span, date)
                elif col.month is not None:
                    period = f"{year}-{(col.m1 or 1):02d}..{year}-{col.month:02d}"
                else:
                    period = year
                if col.kind == "growth":
                    metric, value, unit = base + "_growth", c.value, "percent"
                else:
                    scale = SCALES.get(r.unit or col.unit or "") or scale_of_table
                    if scale is None:
                        continue
                    metric, value, unit = base, c.value * scale[0], scale[1]
                    if unit == "count" and not metric.endswith("_count"):
                        continue
                if metric not in M.FACT_METRICS:
                    continue
                out.append(
                    Fact(
                        art.id,
                        ent.name,
                        ent.type,
                        metric,
                        value,
                        unit,
                        period,
                        "actual",
                        cluster,
                        art.clean.quote(r.start, r.end),
                        (r.start, r.end),
                        None,
                        None,
                        r.label
                        + {"growth": "增长", "month": "(当月)", "cumulative": "(累计)"}.get(
                            col.kind if col.kind == "growth" else col.scope, ""
                        ),
                        ent.code,
                        entity_inferred=inferred,
                        from_table=True,
                    )
                )
    return out


def _unstated_scale(t, quants) -> tuple[float, str] | None:
    """The unit of a table that states none (本月 | 增长% | 累计 …, cells such as 4448189): the scale at
    which one of its cells is an amount in yuan the text states (444.8亿元 is 4448189 万元), or None."""
    if any(c.unit for c in t.columns) or any(r.unit for r in t.rows):
        return None
    cells = [c.value for r in t.rows for c in r.cells if c.column.kind == "amount"]
    stated = [q.value for q in quants if q.unit == "yuan" and q.value]
    for factor in (1e4, 1e8, 1e3):
        if any(abs(v * factor - a) <= 0.001 * a for v in cells for a in stated):
            return factor, "yuan"
    return None
