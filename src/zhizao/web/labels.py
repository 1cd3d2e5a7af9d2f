"""What a page prints for a value, in the page's language.

Three sources, in this order:

1. **Twins.** A result column that analytics write in both languages (`reason` / `reason_zh`, `rule` /
   `rule_zh`, `class_name` / `class_name_en`, `policy_zh` / `policy_en`, `label_zh` / `label_en`): the twin of
   the page's language is shown under the column's name, the other twin is not shown as a column of its own.
2. **Names from the policy pack and the warehouse.** Regions, clusters, cluster tiers, chains, chain nodes,
   industries, parks, honour kinds, ladder tiers and criteria, 亩均 methods, classes and indicators are named by
   their `name_zh` / `name_en` (or `label_zh` / `label_en`): a `*_name` column is shown in English from its id
   column, and key columns (`tier`, `kind`, `indicator`, `criterion`, `metric` ...) are shown as names in both
   languages. Nothing here knows a place: every name comes from the pack the warehouse was loaded with.
3. **Enumerated values** (strength flags, statuses, quadrants, 补链/强链/延链, criterion results, units,
   qualifiers ...): the `VALUES` table below, the project's own vocabulary.

`show(col, row)` returns the text for a cell, or None when the cell is a plain number or text to be formatted
as it is (web/pages/common.cell). Metric names come from the project's vocabulary (zhizao/vocab.py) or
the figure's own wording (`metric_zh`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .. import vocab
from ..formats import money
from ..formats import number as _num
from .warehouse import Warehouse

Pair = tuple[str, str]

# ------------------------------------------------------------------------------------------------ enumerations
_STATUS: dict[str, Pair] = {
    # chain coverage
    "covered": ("已覆盖", "covered"),
    "thin": ("薄弱", "thin"),
    "gap": ("缺失", "gap"),
    # ladder: firm x tier, and criterion results
    "holder": ("已获认定", "holder"),
    "above": ("已获更高层级", "holds a higher tier"),
    "candidate": ("候选", "candidate"),
    "not_met": ("未达标", "not met"),
    "met": ("满足", "met"),
    "unknown": ("数据不足", "unknown (no data)"),
    "scored": ("已计分", "scored"),
    "not_applicable": ("不适用", "not applicable"),
    # targets
    "on track": ("按计划推进", "on track"),
    "at risk": ("存在风险", "at risk"),
    "off track": ("进度滞后", "off track"),
    "achieved": ("已完成", "achieved"),
    "missed": ("未完成", "missed"),
    "not started": ("尚未开始", "not started"),
    "no target year": ("无目标年份", "no target year"),
    "no data": ("无数据", "no data"),
    "not measurable": ("无法测算", "not measurable"),
    # sources of pack items, facts, proposed targets
    "verified": ("已核实", "verified"),
    "reported": ("有报道", "reported"),
    "unverified": ("未核实", "unverified"),
    "extracted": ("自动抽取", "extracted"),
    "proposed": ("待确认", "proposed"),
    "accepted": ("已确认", "accepted"),
}
_LEVEL: dict[str, Pair] = {
    "province": ("全市", "city"),
    "group": ("片区", "group"),
    "subgroup": ("子片区", "sub-group"),
    "county": ("区县", "county"),
    "functional_area": ("功能区", "functional area"),
    "national": ("国家级", "national"),
    "municipal": ("市级", "municipal"),
    "district": ("区县级", "district"),
}
_KIND: dict[str, Pair] = {
    "actual": ("实际", "actual"),
    "target": ("目标", "target"),
    "cluster": ("集群", "cluster"),
    "industry": ("行业", "industry"),
    "region": ("区域", "region"),
    "annual": ("年度", "annual"),
    "stock": ("存量", "stock"),
    "new": ("新增", "new"),
    "prerequisite": ("前置条件", "prerequisite"),
    "criterion": ("条件", "criterion"),
    "score_indicator": ("评分指标", "score indicator"),
    "score_category": ("评分类别", "score category"),
    "score_total": ("总分", "total score"),
    "direct": ("直通条件", "direct route"),
    "route": ("通过方式", "route"),
}
VALUES: dict[str, dict[str, Pair]] = {
    "status": _STATUS,
    "screen": {"met": ("达标", "met"), "not_met": ("未达标", "not met"), "unknown": ("待定", "undecided")},
    "target_status": _STATUS,
    "source_status": _STATUS,
    "strength": {
        "strong": ("强", "strong"),
        "significant": ("显著", "significant"),
        "qualifying": ("合格", "qualifying"),
        "none": ("无", "none"),
    },
    "quadrant": {
        "strength": ("优势", "strength"),
        "opportunity": ("机会", "opportunity"),
        "weakness": ("劣势", "weakness"),
        "threat": ("威胁", "threat"),
        "possible entrant": ("潜在进入", "possible entrant"),
    },
    "action": {
        "补链": ("补链", "fill (补链)"),
        "强链": ("强链", "strengthen (强链)"),
        "延链": ("延链", "extend (延链)"),
    },
    "thin_rule": {
        "firms": ("企业少于3家", "fewer than 3 firms"),
        "share": ("产值占比偏低", "low output share"),
        "firms+share": ("企业少且产值占比偏低", "few firms and low output share"),
    },
    "stage": {
        "upstream": ("上游", "upstream"),
        "midstream": ("中游", "midstream"),
        "downstream": ("下游", "downstream"),
    },
    "level": _LEVEL,
    "region_level": _LEVEL,
    "kind": _KIND,
    "region_map": {"recorded": ("统计时区划", "as recorded"), "current": ("当前区划", "today's map")},
    "method": {
        "level": ("总量推算", "level"),
        "flow_span": ("期间新增", "new over the span"),
        "flow_annual": ("年度新增", "new each year"),
        "growth": ("增速", "growth rate"),
        "classic": ("经典", "classic"),
        "dynamic": ("动态", "dynamic"),
    },
    "growth_basis": {
        "since baseline": ("自基期以来", "since the baseline"),
        "last year": ("上年", "last year"),
        "unknown: projected flat": ("未知，按持平推算", "unknown: projected flat"),
    },
    "baseline_source": {"warehouse": ("数据库测算", "warehouse")},
    "growth_prices": {"nominal": ("名义（现价）", "nominal (current prices)")},
    "covered_basis": {"confirmed": ("已核实候选企业", "confirmed candidates")},
    "scope": {
        "region": ("区域", "region"),
        "cluster": ("集群", "cluster"),
        "park": ("园区", "park"),
        "enterprise": ("企业", "enterprise"),
        "all": ("全部企业", "all firms"),
        "sections": ("工业门类", "industry sections"),
        "tier": ("集群层级", "cluster tier"),
    },
    "not_rated_reason": {
        "too_young": ("成立年限不足，不参评", "too young to be rated"),
        "excluded_section": ("所属门类不参评", "its industry section is not rated"),
        "excluded_industry": ("所属行业不参评", "its industry is not rated"),
        "missing_figures": ("缺少评价所需数据，待补充", "a figure the method needs is missing: to complete"),
    },
    "missing_rule": {
        "zero": ("缺数据记0分", "no figure scores 0"),
        "average": ("缺数据取平均得分", "no figure scores the average"),
        "exclude": ("缺数据不计", "no figure: left out"),
    },
    "role": {"leader": ("链主", "chain leader"), "member": ("成员", "member"), "supplier": ("配套企业", "supplier")},
    "profile": {
        "balanced": ("均衡", "balanced"),
        "low_hanging_fruit": ("近期可及", "low-hanging fruit"),
        "long_jumps": ("跨越发展", "long jumps"),
        "policy_priority": ("政策优先", "policy priority"),
        "frontier": ("前沿", "frontier"),
    },
    "basis": {"source": ("来源给出", "from a source"), "project": ("本项目映射", "the project's mapping")},
    "origin": {"pack": ("政策包", "policy pack"), "news": ("新闻抽取", "news reader"), "import": ("导入", "import")},
    "role_in_chain": {
        "leader": ("链主", "chain leader"),
        "member": ("成员", "member"),
        "supplier": ("配套企业", "supplier"),
    },
}
VALUES["qualifier"] = {k: v for k, v in vocab.QUALIFIER_LABELS.items()}
# Ladder measures the screening reports a figure of (analytics/ladder/measures.py; honour:<key> is named by the honour).
MEASURES: dict[str, Pair] = {
    "revenue": ("营业收入", "revenue"),
    "rd_expense": ("研发费用", "R&D expense"),
    "rd_intensity": ("研发费用占营业收入比重", "R&D / revenue"),
    "revenue_growth": ("营业收入增长率", "revenue growth"),
    "main_business_share": ("主营业务收入占比", "main-business share"),
    "main_business_revenue_growth": ("主营业务收入增长率", "main-business revenue growth"),
    "niche_years": ("从事细分市场年限", "years in the niche"),
    "employees": ("从业人员", "employees"),
    "profit_margin_vs_industry": ("利润率高于行业平均", "profit margin above the industry's"),
}
# Column pairs whose first shows the name of the thing the second holds the key of.
NAME_OF = {
    "region_name": ("region_code", "region"),
    "supplier_region_name": ("supplier_region", "region"),
    "s_county_name": ("s_county", "region"),
    "county_name": ("county", "region"),
    "chain_name": ("chain_id", "chain"),
    "node_name": ("node_id", "node"),
    "industry_name": ("industry_code", "industry"),
    "park_name": ("park_id", "park"),
    "tier_name": ("tier", "ladder_tier"),
    "system_name": ("system_id", "system"),
}


def _has_cjk(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


def value_label(col: str, v: str, lang: str) -> str | None:
    """An enumerated value's text (None when the column has no such value)."""
    table = VALUES.get(col)
    if table is None:
        return None
    pair = table.get(v)
    if pair is None and col == "action" and "+" in v:
        parts = [table.get(p) for p in v.split("+")]
        if all(parts):
            return ("+" if lang == "zh" else " + ").join(p[0 if lang == "zh" else 1] for p in parts)
    if pair is None:
        return None
    return pair[0 if lang == "zh" else 1]


# ------------------------------------------------------------------------------------------------ names
@dataclass
class Names:
    """Names of the pack's and the warehouse's things in both languages (zh, en)."""

    regions: dict[str, Pair] = field(default_factory=dict)
    clusters: dict[str, Pair] = field(default_factory=dict)
    systems: dict[str, Pair] = field(default_factory=dict)
    tiers: dict[tuple[str, str], Pair] = field(default_factory=dict)  # (system, key)
    tier_any: dict[str, Pair] = field(default_factory=dict)
    chains: dict[str, Pair] = field(default_factory=dict)
    nodes: dict[str, Pair] = field(default_factory=dict)
    industries: dict[str, Pair] = field(default_factory=dict)
    parks: dict[str, Pair] = field(default_factory=dict)
    honours: dict[str, Pair] = field(default_factory=dict)
    ladder_tiers: dict[str, Pair] = field(default_factory=dict)
    criteria: dict[tuple[str, str], Pair] = field(default_factory=dict)  # (tier, criterion)
    mujun_methods: dict[str, Pair] = field(default_factory=dict)
    mujun_classes: dict[str, Pair] = field(default_factory=dict)  # class key (default method first)
    indicators: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # key -> (zh, en, unit)
    indicator_order: list[str] = field(default_factory=list)  # the default method's indicators
    pack = None

    def get(self, kind: str, key, lang: str = "zh") -> str | None:
        table = {
            "region": self.regions,
            "cluster": self.clusters,
            "system": self.systems,
            "chain": self.chains,
            "node": self.nodes,
            "industry": self.industries,
            "park": self.parks,
            "honour": self.honours,
            "ladder_tier": self.ladder_tiers,
            "mujun_method": self.mujun_methods,
            "mujun_class": self.mujun_classes,
            "cluster_tier": self.tier_any,
        }.get(kind)
        if kind == "indicator":
            t = self.indicators.get(key)
            return None if t is None else (t[0] if lang == "zh" else t[1])
        if table is None or key is None:
            return None
        pair = table.get(key)
        if pair is None:
            return None
        zh, en = pair
        return (en or zh) if lang == "en" else (zh or en)

    def name(self, kind: str, key, lang: str = "zh") -> str:
        """The name, or the key itself when there is none."""
        return self.get(kind, key, lang) or ("" if key is None else str(key))


def load_pack_of(wh: Warehouse):
    """The policy pack the warehouse was loaded with (None when it cannot be read)."""

    def load():
        from ..reference import load_pack
        from ..reference.pack import PackError

        for ref in (wh.meta("pack_path"), wh.meta("pack")):
            if not ref:
                continue
            try:
                return load_pack(ref)
            except (PackError, FileNotFoundError, OSError, ValueError):
                continue
        return None

    return wh.cached(("pack",), load)


def names(wh: Warehouse) -> Names:
    """Every name the pages need, read once per data generation."""
    return wh.cached(("names",), lambda: _build(wh))


def _pairs(rows, key="id", zh="name_zh", en="name_en") -> dict:
    return {r[key]: (r[zh], r.get(en)) for r in rows}


def _build(wh: Warehouse) -> Names:
    n = Names()
    n.regions = {c: (r.name_zh, r.name_en) for c, r in wh.regions().items()}
    n.clusters = _pairs(wh.rows("SELECT id, name_zh, name_en FROM cluster"))
    n.systems = _pairs(wh.rows("SELECT id, name AS name_zh, name_en FROM cluster_system"))
    for r in wh.rows("SELECT system_id, key, name_zh, name_en FROM cluster_tier ORDER BY system_id, rank"):
        n.tiers[(r["system_id"], r["key"])] = (r["name_zh"], r["name_en"])
        n.tier_any.setdefault(r["key"], (r["name_zh"], r["name_en"]))
    n.chains = _pairs(wh.rows("SELECT id, name AS name_zh, name_en FROM chain"))
    n.nodes = _pairs(wh.rows("SELECT id, name_zh, name_en FROM chain_node"))
    n.industries = _pairs(wh.rows("SELECT code AS id, name_zh, name_en FROM industry"))
    n.parks = _pairs(wh.rows("SELECT id, name_zh, name_en FROM park"))
    pack = load_pack_of(wh)
    n.pack = pack
    if pack is not None:
        n.honours = {k.key: (k.name_zh, k.name_en) for k in pack.ladder.honour_kinds}
        n.ladder_tiers = {t.key: (t.name_zh, t.name_en) for t in pack.ladder.tiers}
        methods = sorted(pack.mujun.methods, key=lambda m: m.id != pack.mujun.default_method)
        for m in methods:
            n.mujun_methods[m.id] = (m.name_zh, m.name_en)
            for c in m.classes:
                n.mujun_classes.setdefault(c.key, (c.name_zh, c.name_en))
            nr = m.not_rated or {}
            if nr.get("class"):
                n.mujun_classes.setdefault(
                    str(nr["class"]), (str(nr.get("name_zh") or nr["class"]), str(nr.get("name_en") or nr["class"]))
                )
            for i in m.indicators:
                n.indicators.setdefault(i.key, (i.name_zh, i.name_en, i.unit))
        if methods:
            n.indicator_order = [i.key for i in methods[0].indicators]
    if wh.table_exists("ladder_criteria"):
        for r in wh.rows("SELECT DISTINCT tier, criterion, label_zh, label_en FROM ladder_criteria"):
            n.criteria[(r["tier"], r["criterion"])] = (r["label_zh"], r["label_en"])
    return n


# ------------------------------------------------------------------------------------------------ cells
def metric_label(metric: str | None, lang: str, metric_zh: str | None = None) -> str:
    """A metric as a page names it: the figure's own wording in Chinese, else the vocabulary's name."""
    if not metric:
        return ""
    if lang == "zh" and metric_zh:
        return metric_zh
    return vocab.label(metric, lang)


_AGG = {
    "binding year of": ("近{n}年中最不利一年", "binding year of {n}"),
    "average of": ("近{n}年平均", "average of {n} years"),
    "sum of": ("近{n}年合计", "sum of {n} years"),
}


def _measure(m: str, n: Names, lang: str) -> str:
    agg = re.fullmatch(r"(\S+) \((binding year of|average of|sum of) (\d+)( years)?\)", m)
    if agg:
        zh, en = _AGG[agg.group(2)]
        base = _measure(agg.group(1), n, lang)
        return f"{base}（{zh.format(n=agg.group(3))}）" if lang == "zh" else f"{base} ({en.format(n=agg.group(3))})"
    if m.startswith("honour:"):
        h = n.name("honour", m[7:], lang)
        return f"持有“{h}”" if lang == "zh" else f"holds {h}"
    pair = MEASURES.get(m)
    return pair[0 if lang == "zh" else 1] if pair else m


def unit_text(u: str, lang: str) -> str:
    """A unit as written in the pack (万元/亩, ratio) or the fact schema (yuan_per_mu), in `lang`."""
    if u in vocab.UNIT_LABELS:
        return vocab.UNIT_LABELS[u][0 if lang == "zh" else 1]
    u = re.sub(r"\s*\(.*?\)", "", u)  # a note in brackets: "万元/吨 (unit not published; inferred)"
    if lang == "zh" or not _has_cjk(u):
        return "" if u == "ratio" else u
    for a, b in (
        ("万元", "10k yuan"),
        ("元", "yuan"),
        ("吨标准煤", "tce"),
        ("亩", "mu"),
        ("人", "person"),
        ("吨", "tonne"),
    ):
        u = u.replace(a, b)
    return u.replace("/", " per ")


def show(col: str, row: dict, lang: str, n: Names) -> str | None:
    """The text of row[col] on a page in `lang`, or None to format the raw value as it is."""
    # 1. twins written by the analytics in both languages
    if lang == "zh" and row.get(col + "_zh") is not None:
        return str(row[col + "_zh"])
    if lang == "en" and row.get(col + "_en") is not None:
        return str(row[col + "_en"])
    if col not in row and (col + "_zh" in row or col + "_en" in row):
        v = row.get(col + ("_en" if lang == "en" else "_zh")) or row.get(col + "_zh") or row.get(col + "_en")
        return None if v is None else str(v)
    v = row.get(col)
    if v is None or isinstance(v, (bool, int, float)):
        return None
    v = str(v)
    # 2. names
    if col in NAME_OF:
        key_col, kind = NAME_OF[col]
        key = row.get(key_col)
        if kind == "ladder_tier" and key not in n.ladder_tiers:
            return None
        got = n.get(kind, key, lang) if key is not None else None
        return got if got and (lang == "en" or not v) else None
    if col == "cluster_name":
        if row.get("cluster_id"):
            return n.get("cluster", row["cluster_id"], lang) if lang == "en" else None
        scope = row.get("scope")
        if scope == "tier" and row.get("system_id") and row.get("tier"):
            pair = n.tiers.get((row["system_id"], row["tier"]))
            return None if pair is None or lang == "zh" else (pair[1] or pair[0])
        if scope == "all":
            return value_label("scope", "all", lang)
        if scope == "sections" and str(row.get("unit_id") or "").startswith("sections:"):
            secs = row["unit_id"].split(":", 1)[1]
            return f"工业（{secs}门类）" if lang == "zh" else f"industry (sections {secs})"
        return None
    if col == "scope_name" and row.get("scope") == "region":
        return n.get("region", row.get("scope_id"), lang) if lang == "en" else None
    if col == "name" and row.get("code") is not None and row.get("kind") in ("cluster", "industry", "region"):
        return n.get(row["kind"], row["code"], lang) if lang == "en" else None
    if col == "name_zh":  # a table of names in Chinese (industries of a cluster, benchmarks)
        if lang == "zh":
            return None
        for key_col, kind in (("indicator", "indicator"), ("industry_code", "industry"), ("id", "cluster")):
            if row.get(key_col) is not None:
                got = n.get(kind, row[key_col], lang)
                if got:
                    return got
        return None
    if col == "entity":  # a fact's entity as written; in English the region or park it resolves to
        code = row.get("entity_code")
        return (n.get("region", code, lang) or n.get("park", code, lang)) if lang == "en" and code else None
    if col == "leader_name" or col == "name" or col == "title" or col == "quote":
        return None  # enterprises' names, sources' titles, quotes: as written
    # 3. keys shown as names
    if col == "metric":
        return metric_label(v, lang, row.get("metric_zh"))
    if col == "tier":
        if v in n.ladder_tiers:
            return n.name("ladder_tier", v, lang)
        pair = n.tiers.get((row.get("system_id"), v)) or n.tier_any.get(v)
        return (pair[0] if lang == "zh" else (pair[1] or pair[0])) if pair else None
    if col == "kind" and v in n.honours:
        return n.name("honour", v, lang)
    if col in ("indicator", "top_indicator"):
        return n.get("indicator", v, lang)
    if col == "missing_figures":  # the enterprise_year figures a firm lacks (亩均: listed for data completion)
        return ("、" if lang == "zh" else ", ").join(vocab.figure_label(w, lang) for w in v.split())
    if col == "method" and v in n.mujun_methods:
        return n.name("mujun_method", v, lang)
    if col == "criterion":
        pair = n.criteria.get((row.get("tier"), v))
        return None if pair is None else (pair[0] if lang == "zh" else pair[1])
    if col in ("figure_measure", "figure_2_measure"):
        return _measure(v, n, lang)
    if col == "missing":  # the 亩均 indicators a firm has no figure for
        words = [n.get("indicator", w, lang) for w in re.split(r"[ ,;]+", v) if w]
        return ("、" if lang == "zh" else ", ").join(w for w in words if w) if all(words) else None
    if col == "failed":  # the criteria a firm failed, by id
        words = [n.criteria.get((row.get("tier"), w)) for w in v.split()]
        if v and all(words):
            return ("；" if lang == "zh" else "; ").join(w[0] if lang == "zh" else w[1] for w in words)
        return None
    if col == "unit":
        if v in vocab.UNIT_LABELS:
            return vocab.UNIT_LABELS[v][0 if lang == "zh" else 1] or ("个" if lang == "zh" else "")
        got = n.get("region", v, lang)
        return got if got else unit_text(v, lang)
    if col in ("region_group", "supplier_region", "current_code", "successor", "predecessor", "eval_region"):
        return n.get("region", v, lang)
    if col == "class_name" and lang == "en":
        return n.get("mujun_class", row.get("class"), lang)
    if col == "system_id":
        return n.get("system", v, lang)
    # 4. enumerated values
    return value_label(col, v, lang)


# ------------------------------------------------------------------------------------------------ figures
def figure(v, unit: str | None, lang: str, metric: str | None = None, qualifier: str | None = None) -> str:
    """A published figure or target with its unit and qualifier: 超2,300亿元 / over 230 bn yuan, 20.5%, 500家."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    unit = unit or ""
    if unit == "yuan":
        s = money(v, lang)
    elif unit == "usd":
        s = (
            (f"{_num(v / 1e8)}亿美元" if abs(v) >= 1e8 else f"{_num(v)}美元")
            if lang == "zh"
            else (f"{_num(v / 1e9)} bn US dollars" if abs(v) >= 1e9 else f"{_num(v)} US dollars")
        )
    elif unit == "percent":
        s = f"{_num(v, 2)}%"
    elif unit in ("count", "vehicle"):
        word = vocab.count_word(metric or "", lang) if unit == "count" else ("辆" if lang == "zh" else " vehicles")
        if lang == "zh":
            s = f"{_num(v / 1e4)}万{word}" if abs(v) >= 1e5 else f"{_num(v)}{word}"
        else:
            s = f"{_num(v)}{word}"
    elif unit in vocab.UNIT_LABELS:
        zh, en = vocab.UNIT_LABELS[unit]
        if lang == "zh":
            s = f"{_num(v / 1e4)}万{zh}" if abs(v) >= 1e5 and zh.startswith("元") else f"{_num(v)}{zh}"
        else:
            s = f"{_num(v)} {en}".strip()
    else:
        s = f"{_num(v)} {unit_text(unit, lang)}".strip()
    q = qualifier or ""
    if q in ("over", "about", "under", "at_most") or (q == "at_least" and lang == "en"):
        zh, en = vocab.QUALIFIER_LABELS[q]
        return f"{zh}{s}" if lang == "zh" else f"{en} {s}"
    if q == "at_least":
        return f"{s}以上"
    if q == "level":
        return f"{s}级" if lang == "zh" else s.replace(" ", "-") + " class"
    return s


# ------------------------------------------------------------------------------------------------ tables
def indicator_heads(n: Names, lang: str) -> dict[str, str]:
    """Column headers for the 亩均 indicators: the pack's name and unit (亩均税收（万元/亩）)."""
    out = {}
    for k, (zh, en, unit) in n.indicators.items():
        u = unit_text(unit, lang)
        name = zh if lang == "zh" else en
        out[k] = (f"{name}（{u}）" if lang == "zh" else f"{name} ({u})") if u else name
    return out


def visible(columns: list[str]) -> list[str]:
    """The columns a table shows: a language twin (reason_zh beside reason, policy_en beside policy_zh) is shown
    in its base column (reason, policy) in the page's language, not as a column of its own."""
    cols = set(columns)
    out = []
    for c in columns:
        if c.endswith("_id") and c[:-3] + "_name" in cols:
            continue  # chain_id beside chain_name: the name says it
        if c == "unit_id" and "cluster_name" in cols:
            continue
        base = c[:-3] if c.endswith(("_zh", "_en")) else None
        if base and base in cols:
            continue  # reason_zh: shown as reason
        if base and (base + "_zh") in cols and (base + "_en") in cols:
            if c.endswith("_zh") and base not in out:
                out.append(base)  # policy_zh + policy_en: shown as policy
            continue
        out.append(c)
    return out


def localise(rows: list[dict], lang: str, n: Names) -> list[dict]:
    """Copies of `rows` for charts: each text a page would show replaces the value, whose key is kept in
    `<column>_key` (a chart colours by key and labels by text)."""
    out = []
    for r in rows or []:
        o = dict(r)
        for k, v in r.items():
            if isinstance(v, str):
                s = show(k, r, lang, n)
                if s is not None and s != v:
                    o[k] = s
                    o[k + "_key"] = v
        out.append(o)
    return out


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def period(p: str | None, lang: str) -> str:
    """A fact's period (the fact schema's notation) in words: 2023-01..2023-06 → 2023年1—6月 / Jan–Jun 2023,
    as_of:2024-06 → 截至2024年6月 / as of Jun 2024, 2023..2027 → 2023—2027年, annual → 每年 / each year."""
    if not p:
        return ""
    m = re.fullmatch(r"(\d{4}|\?{4})-(\d{2})\.\.(\d{4}|\?{4})-(\d{2})", p)
    if m:
        y1, m1, y2, m2 = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
        if lang == "zh":
            if y1[0] == "?":
                return f"{m1}—{m2}月（年份不详）"
            return f"{y1}年{m1}—{m2}月" if y1 == y2 else f"{y1}年{m1}月—{y2}年{m2}月"
        y1 = "" if y1[0] == "?" else y1
        return (
            f"{_MONTHS[m1 - 1]}–{_MONTHS[m2 - 1]} {y1}".strip()
            if y1 == y2 or y2[0] == "?"
            else f"{_MONTHS[m1 - 1]} {y1} – {_MONTHS[m2 - 1]} {y2}"
        )
    m = re.fullmatch(r"as_of:(\d{4})-(\d{2})", p)
    if m:
        y, mo = m.group(1), int(m.group(2))
        return f"截至{y}年{mo}月" if lang == "zh" else f"as of {_MONTHS[mo - 1]} {y}"
    m = re.fullmatch(r"(\d{4})\.\.(\d{4})", p)
    if m:
        return f"{m.group(1)}—{m.group(2)}年" if lang == "zh" else f"{m.group(1)}–{m.group(2)}"
    if re.fullmatch(r"\d{4}", p):
        return f"{p}年" if lang == "zh" else p
    if p == "annual":
        return "每年" if lang == "zh" else "each year"
    return p
