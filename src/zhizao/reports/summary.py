"""The briefing's one-page summary in plain language, every sentence computed from the report's own tables.

Nothing here is canned: a sentence is written only when the numbers it states are there (a table not evaluated,
or blanked by the access rules, gives no sentence about it, or says so), and each states figures that the report's
tables print. Sentences, in order: the area's size and growth (and rank among the districts), its largest
clusters, the fastest and slowest growing, the targets by status with those at risk, the biggest chain gaps,
亩均 A and D counts, and the ladder's candidates against the 2027 targets.
"""

from __future__ import annotations

from ..formats import money
from .model import Report, blank

SEP = {"zh": "、", "en": ", "}


def _pct(v: float) -> str:
    return f"{abs(v) * 100:.1f}%"


def _change(v: float, lang: str) -> str:
    if lang == "zh":
        return ("增长" if v >= 0 else "下降") + _pct(v)
    return ("up " if v >= 0 else "down ") + _pct(v)


def _list(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items[:-1]) + "和" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def write(r: Report) -> list[str]:
    """The sentences; `r.summary_sources` gets, for each, the numbers of the sources of the published figures it
    states (the PDF prints them as footnotes)."""
    out, cited = [], []
    for fn in (_headline, _largest, _growth, _targets, _chains, _mujun, _ladder):
        s = fn(r)
        if isinstance(s, tuple):
            s, ns = s
        else:
            ns = []
        if s:
            out.append(s)
            cited.append(sorted(set(ns)))
    r.summary_sources = cited
    return out


def _headline(r: Report) -> str | None:
    f = r.figures
    lang = r.lang
    who = r.cluster_name if r.scope == "cluster" else r.area_name
    where = (
        ""
        if r.scope != "cluster" or r.area_name == r.city_name
        else (f"在{r.area_name}" if lang == "zh" else f" in {r.area_name}")
    )
    if not f:
        return None
    if f.get("suppressed"):
        return (
            f"{r.year}年{who}{where}的企业少于3家，按访问规则其汇总数据已隐去。"
            if lang == "zh"
            else f"{who}{where} had fewer than 3 enterprises in {r.year}; by the access rules its figures are withheld."
        )
    ov, firms, g = f.get("output_value"), f.get("firms"), f.get("output_value_growth")
    above = r.scope == "cluster"  # a cluster's figures are the clusters instrument's 规上 figures
    if blank(ov):
        return None
    if lang == "zh":
        if above:
            s = f"{r.year}年，{who}{where}规上口径企业{firms:,}家，规上工业总产值{money(ov, 'zh')}"
        else:
            s = f"{r.year}年，{who}{where}共有企业{firms:,}家，工业总产值{money(ov, 'zh')}"
        if not blank(g):
            s += f"，比上年{_change(g, 'zh')}"
        share = f.get("output_value_share") if r.scope != "cluster" else f.get("output_value_share_of_city")
        if r.area != r.root and not blank(share):
            s += f"，占全市{'该集群' if r.scope == 'cluster' else ''}的{_pct(share)}"
        if r.scope == "district" and r.rank:
            s += f"，在{r.ranked_of}个区县中居第{r.rank}位"
        return s + "。"
    s = (
        f"In {r.year}, {who}{where} had {firms:,} enterprises in the above-scale scope with above-scale industrial "
        f"output of {money(ov, 'en')}"
        if above
        else f"In {r.year}, {who}{where} had {firms:,} enterprises with industrial output of {money(ov, 'en')}"
    )
    if not blank(g):
        s += f", {_change(g, 'en')} on the year before"
    share = f.get("output_value_share") if r.scope != "cluster" else f.get("output_value_share_of_city")
    if r.area != r.root and not blank(share):
        s += f", {_pct(share)} of the city's{' cluster' if r.scope == 'cluster' else ''}"
    if r.scope == "district" and r.rank:
        s += f", ranking {r.rank} of {r.ranked_of} districts"
    return s + "."


def _rows(r: Report, key: str) -> list[dict]:
    t = r.table(key)
    return t.rows if t is not None and t.evaluated else []


def _largest(r: Report) -> str | None:
    lang = r.lang
    if r.scope == "cluster":
        rows = [x for x in _rows(r, "contributions") if not blank(x.get("output_value"))]
        rows.sort(key=lambda x: -x["output_value"])
        top = rows[:3]
        if not top:
            return None
        items = [
            f"{x['region_name']}（{money(x['output_value'], 'zh')}）"
            if lang == "zh"
            else f"{x['region_name']} ({money(x['output_value'], 'en')})"
            for x in top
        ]
        share = sum(x.get("output_value_share_of_city") or 0 for x in top)
        if lang == "zh":
            return f"本集群产值最大的区县是{_list(items, lang)}，合计占全市该集群的{_pct(share)}。"
        return (
            f"The districts with the largest output in this cluster are {_list(items, lang)}, "
            f"together {_pct(share)} of the city's cluster."
        )
    rows = [x for x in _city_system(r) if not blank(x.get("output_value"))]
    rows.sort(key=lambda x: -x["output_value"])
    top = rows[:3]
    if not top:
        return None
    items = [
        f"{x['cluster_name']}（{money(x['output_value'], 'zh')}）"
        if lang == "zh"
        else f"{x['cluster_name']} ({money(x['output_value'], 'en')})"
        for x in top
    ]
    share = sum(x.get("output_value_share_of_region") or 0 for x in top)
    if lang == "zh":
        return f"产值最大的{len(top)}个产业集群是{_list(items, lang)}，合计占{r.area_name}工业总产值的{_pct(share)}。"
    return (
        f"The {len(top)} largest clusters are {_list(items, lang)}, together {_pct(share)} of {r.area_name}'s output."
    )


def _city_system(r: Report) -> list[dict]:
    """Cluster rows of the city's system (a district's own system regroups the same firms)."""
    rows = _rows(r, "clusters")
    return [x for x in rows if x.get("system_id") == r.city_system] if r.city_system else rows


def _growth(r: Report) -> str | None:
    lang = r.lang
    if r.scope == "cluster":
        return None
    rows = [
        x
        for x in _city_system(r)
        if not blank(x.get("output_value_growth")) and (x.get("output_value_share_of_region") or 0) >= 0.01
    ]
    if len(rows) < 2:
        return None
    rows.sort(key=lambda x: -x["output_value_growth"])
    hi, lo = rows[0], rows[-1]
    if lang == "zh":
        s = f"在占本地区产值1%以上的{len(rows)}个集群中，"
        s += f"增长最快的是{hi['cluster_name']}（{_change(hi['output_value_growth'], 'zh')}）"
        s += f"，最慢的是{lo['cluster_name']}（{_change(lo['output_value_growth'], 'zh')}）。"
        return s
    return (
        f"Of the {len(rows)} clusters with at least 1% of the area's output, {hi['cluster_name']} grew fastest "
        f"({_change(hi['output_value_growth'], 'en')}) and {lo['cluster_name']} slowest "
        f"({_change(lo['output_value_growth'], 'en')})."
    )


STATUS_ORDER = (
    ("achieved", "已完成", "achieved"),
    ("on track", "按计划推进", "on track"),
    ("at risk", "存在风险", "at risk"),
    ("off track", "进度滞后", "off track"),
    ("missed", "未完成", "missed"),
)


def _targets(r: Report) -> str | tuple[str, list[int]] | None:
    lang = r.lang
    rows = _rows(r, "targets")
    if not rows:
        return None
    counts = {k: sum(1 for x in rows if x.get("status") == k) for k, _, _ in STATUS_ORDER}
    others: dict[str, int] = {}  # no target year, not measurable ...: by the status's own words
    for x in rows:
        if x.get("status") not in counts:
            others[x.get("status_text") or "—"] = others.get(x.get("status_text") or "—", 0) + 1
    rest = (
        "、".join(f"{k}{n}项" for k, n in others.items())
        if lang == "zh"
        else ", ".join(f"{n} {k}" for k, n in others.items())
    )
    parts = [(f"{zh}{counts[k]}项" if lang == "zh" else f"{counts[k]} {en}") for k, zh, en in STATUS_ORDER if counts[k]]
    if not parts:
        return (
            f"登记的{len(rows)}项目标暂均无法以本库数据测算进度。"
            if lang == "zh"
            else f"None of the {len(rows)} registered targets can be measured from the warehouse's figures yet."
        )
    risky = [x for x in rows if x.get("status") in ("at risk", "off track") and not blank(x.get("required_growth"))]
    risky.sort(key=lambda x: -x["required_growth"])
    if lang == "zh":
        s = f"登记的{len(rows)}项目标中，{'、'.join(parts)}"
        s += f"；另有{rest}。" if rest else "。"
        if risky:
            ex = [
                f"{x['label']}（{x['target_year']}年目标，需年均增长{_pct(x['required_growth'])}）" for x in risky[:2]
            ]
            s += f"压力最大的是{_list(ex, lang)}。"
        return s, [n for x in risky[:2] for n in x.get("_sources") or []]
    s = f"Of {len(rows)} registered targets: {', '.join(parts)}"
    s += f"; besides, {rest}." if rest else "."
    if risky:
        ex = [f"{x['label']} (by {x['target_year']}, needing {_pct(x['required_growth'])} a year)" for x in risky[:2]]
        s += f" Under most pressure: {_list(ex, lang)}."
    return s, [n for x in risky[:2] for n in x.get("_sources") or []]


def _chains(r: Report) -> str | None:
    lang = r.lang
    rows = _rows(r, "chain_summary")
    if not rows:
        return None
    gaps = sum(x["gap"] for x in rows)
    thin = sum(x["thin"] for x in rows)
    worst = max(rows, key=lambda x: (x["gap"], x["thin"]))
    if lang == "zh":
        s = f"产业链方面，{len(rows)}条链共{sum(x['nodes'] for x in rows)}个环节，缺失{gaps}个、薄弱{thin}个"
        if worst["gap"]:
            names = "、".join(worst["gap_nodes"][:3]) + ("等" if len(worst["gap_nodes"]) > 3 else "")
            s += f"；缺失最多的是{worst['chain_name']}（{worst['gap']}个，如{names}）"
        return s + "。"
    s = f"Across {len(rows)} chains with {sum(x['nodes'] for x in rows)} nodes, {gaps} are missing and {thin} thin"
    if worst["gap"]:
        s += f"; {worst['chain_name']} lacks the most ({worst['gap']}, e.g. {', '.join(worst['gap_nodes'][:3])})"
    return s + "."


def _mujun(r: Report) -> str | None:
    lang = r.lang
    rows = [x for x in _rows(r, "mujun_regions") if not x.get("suppressed")]
    if not rows:
        return None
    a = sum(x.get("class_A") or 0 for x in rows)
    d = sum(x.get("class_D") or 0 for x in rows)
    rated = sum(x.get("rated") or 0 for x in rows)
    if not rated:
        return None
    where = r.area_name
    if lang == "zh":
        return (
            f"{where}亩均评价已分类企业{rated:,}家，其中A类{a:,}家（{_pct(a / rated)}），"
            f"D类{d:,}家（{_pct(d / rated)}）。"
        )
    return (
        f"Per-mu evaluation in {where} classed {rated:,} firms: {a:,} in class A ({_pct(a / rated)}) and {d:,} in "
        f"class D ({_pct(d / rated)})."
    )


def _ladder(r: Report) -> str | tuple[str, list[int]] | None:
    lang = r.lang
    pipe = [
        x for x in _rows(r, "ladder_pipeline") if str(x.get("period_end") or "") == "2027" and not blank(x.get("gap"))
    ]
    if not pipe:
        return None
    counts = {x.get("tier"): x for x in _rows(r, "ladder_counts")}
    local = r.area_name if r.area_name != r.city_name else None
    parts, ns = [], []
    seen = set()
    for x in pipe:
        if x.get("tier") in seen:
            continue
        seen.add(x.get("tier"))
        c = counts.get(x.get("tier"), {})
        cand = c.get("candidates") if local else x.get("candidates")
        if lang == "zh":
            p = f"{x['label']}尚差{int(x['gap']):,}家"
            if cand is not None:
                p += f"，{local or '全市'}有候选企业{int(cand):,}家"
        else:
            p = f"{x['label']} is {int(x['gap']):,} short"
            if cand is not None:
                p += f", with {int(cand):,} candidates in {local or 'the city'}"
        parts.append(p)
        ns += x.get("_sources") or []
        if len(parts) == 3:
            break
    if lang == "zh":
        return "对照2027年全市目标：" + "；".join(parts) + "。", ns
    return "Against the city's 2027 targets: " + "; ".join(parts) + ".", ns
