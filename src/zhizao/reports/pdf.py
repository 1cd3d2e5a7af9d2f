"""The PDF briefing (WeasyPrint over an HTML template): a cover with scope, year, date and whose rights it was made
with; a one-page summary computed from the numbers (summary.py); the district map and charts (charts.py, PNG
drawn locally); one chapter per instrument with its tables (headers repeated when a table breaks across pages);
every published figure with its source as a footnote on the page that shows it; the synthetic notice in the
top margin of every page of a synthetic warehouse's report; A4 with page numbers.

Fonts: Noto Sans CJK from the project's set-up (fonts-noto-cjk), found by WeasyPrint through fontconfig.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import charts
from .model import Report, Table, show
from .xlsx import who

HERE = Path(__file__).parent / "templates"
CITE_EVERY = 18  # a table cites a source again (a new footnote) after this many rows: about once a page
NUMERIC = ("yi", "wan", "pct", "ppct", "int", "num", "num4", "row")


def _css_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _data_uri(png: bytes | None) -> str | None:
    if not png:
        return None
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _notice(r: Report) -> str | None:
    if not r.synthetic:
        return None
    return r.t(
        "演示数据：本报告中的企业及其数据为合成数据，不是真实企业；区县、集群体系与公开数字为真实资料。",
        "Demo data: the enterprises in this report and their figures are synthetic, not real firms; districts, the "
        "cluster system and published figures are real.",
    )


def table_html(r: Report, table: Table, sources: dict[int, dict], css: str = "") -> Markup:
    lang = r.lang
    cols = table.pdf_columns()
    rows = table.rows[: table.pdf_rows]
    cite_col = next((c.key for c in cols if c.key in ("target_value", "value", "target", "label")), cols[0].key)
    out = [f'<table class="data {css}">{_colgroup(cols, rows, lang)}<thead><tr>']
    out += [f"<th>{html.escape(c.head(lang))}</th>" for c in cols]
    out.append("</tr></thead><tbody>")
    last_cited: dict[int, int] = {}
    for i, row in enumerate(rows):
        out.append('<tr class="suppressed">' if row.get("suppressed") else "<tr>")
        for c in cols:
            v = row.get(c.key)
            text = show(v, c.unit, lang, row.get("_unit"))
            if row.get("suppressed") and v is None and c.unit in NUMERIC:
                text = "已隐去" if lang == "zh" else "suppressed"
            cell = html.escape(text)
            if c.key == cite_col and row.get("_sources"):
                for n in row["_sources"]:
                    cell += f'<sup class="cite">[{n}]</sup>'
                    if n not in last_cited or i - last_cited[n] >= CITE_EVERY:
                        last_cited[n] = i
                        cell += f'<span class="fn">{html.escape(_source_line(sources.get(n), n, lang))}</span>'
            cls = ' class="n"' if c.unit in NUMERIC and isinstance(v, (int, float)) else ""
            out.append(f"<td{cls}>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))


def _text_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _colgroup(cols, rows, lang: str) -> str:
    """Column widths from the header and the cells (a fixed table layout: WeasyPrint's automatic layout measures
    every cell's every line break and takes seconds on long tables)."""
    weights = []
    for c in cols:
        head = max((_text_width(w) for w in c.head(lang).split("（")), default=4)
        body = 0
        for r in rows[:200]:
            body = max(body, _text_width(show(r.get(c.key), c.unit, lang, r.get("_unit"))))
        weights.append(max(6, min(40, max(min(head, 10), body) + 2)))  # + padding; CJK cells wrap, never spill
    total = sum(weights)
    return "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in weights) + "</colgroup>"


def cited(r: Report, text: str, ns: list[int], by_n: dict[int, dict]) -> Markup:
    """A sentence with its sources' calls and footnotes."""
    out = html.escape(text)
    for n in ns:
        out += (
            f'<sup class="cite">[{n}]</sup><span class="fn">{html.escape(_source_line(by_n.get(n), n, r.lang))}</span>'
        )
    return Markup(out)


def _source_line(s: dict | None, n: int, lang: str) -> str:
    if not s:
        return f"[{n}]"
    parts = [s.get("title") or ""]
    for k in ("publisher", "published", "address"):
        if s.get(k):
            parts.append(str(s[k]))
    return f"[{n}] " + ("，" if lang == "zh" else ", ").join(p for p in parts if p)


def render_html(r: Report, boundaries: dict | None, names: dict[str, str]) -> str:
    env = Environment(loader=FileSystemLoader(HERE), autoescape=select_autoescape(["html"]))
    tpl = env.get_template("briefing.html")
    lang = r.lang
    by_n = {s["n"]: s for s in r.sources.values()}
    sections = []
    for s in r.sections:
        tables = []
        for tb in s.tables:
            if tb.key == "headline" and s.key == "overview" and r.scope != "cluster":
                continue  # on the summary page already
            if tb.key == "sources":
                continue  # the last chapter lists them
            chart = None
            if tb.chart is not None and tb.key != "series":
                chart = _data_uri(charts.progress(tb, lang) if tb.chart.kind == "progress" else charts.bar(tb, lang))
            more = None
            if len(tb.rows) > tb.pdf_rows:
                more = r.t(
                    f"此处列出前{tb.pdf_rows}行，共{len(tb.rows):,}行；完整数据见同名 Excel 工作簿。",
                    f"The first {tb.pdf_rows} of {len(tb.rows):,} rows; the workbook holds them all.",
                )
            tables.append(
                {
                    "title": tb.title(lang),
                    "notes": [zh if lang == "zh" else en for zh, en in tb.notes],
                    "rows": tb.rows,
                    "evaluated": tb.evaluated,
                    "chart": chart,
                    "more": more,
                    "table": tb,
                }
            )
        sections.append({"title": s.sheet(lang), "about": s.about(lang), "tables": tables})
    series = r.table("series")
    notice = _notice(r)
    pages = (
        '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
        if lang == "zh"
        else '"Page " counter(page) " of " counter(pages)'
    )
    suppress_rule = None
    if r.role in ("district", "public") and not r.as_admin:
        suppress_rule = r.t(
            "按访问规则，少于3家企业的汇总数已隐去" + ("（本区县以外）" if r.role == "district" else "") + "。",
            "By the access rules, aggregates over fewer than 3 enterprises are blanked"
            + (" (outside the account's district)" if r.role == "district" else "")
            + ".",
        )
    return tpl.render(
        r=r,
        lang=lang,
        t=r.t,
        css=Markup((HERE / "briefing.css").read_text(encoding="utf-8")),
        pages_css=Markup(pages),
        notice=notice,
        notice_css=Markup(_css_string(notice or "")),
        who=who(r),
        suppress_rule=suppress_rule,
        headline=r.table("headline"),
        table_html=lambda tb, css="": table_html(r, tb if isinstance(tb, Table) else tb["table"], by_n, css),
        summary=[
            cited(r, s, r.summary_sources[i] if i < len(r.summary_sources) else [], by_n)
            for i, s in enumerate(r.summary)
        ],
        map_img=_data_uri(charts.district_map(r, boundaries, names)),
        series_img=_data_uri(charts.bar(series, lang)) if series is not None and series.rows else None,
        sections=sections,
        sources=sorted(r.sources.values(), key=lambda s: s["n"]),
    )


def write(r: Report, boundaries: dict | None, names: dict[str, str]) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = render_html(r, boundaries, names)
    return HTML(string=doc, base_url=str(HERE)).write_pdf()
