"""Read an article and extract its facts: the reader's orchestration.

read_article(path) -> Article            (decode, header, date, clean text with offset map)
extract(article) -> list[Fact]           (sentences → entities → quantities → metric → period → kind)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import clean as C
from . import metrics as M
from .entities import (
    NOT_PLACE_AFTER,
    STOP_CHARS,
    Entity,
    Gazetteer,
    Mention,
    _pack_parts,
    city_votes,
    find_mentions,
    gazetteer,
)
from .kind import is_target
from .periods import (
    STOCK,
    STOCK_COUNT,
    TimeExpr,
    as_of,
    date_from_address,
    find_date,
    find_times,
    period_of,
    resolve_all,
)
from .quantities import Quantity, find_quantities
from .sentences import Sentence, split
from .site import site_of
from .tables import Table, find_tables


@dataclass
class Article:
    id: str
    path: str | None
    original: str  # the saved text without the header lines
    clean: C.CleanText
    sha256: str
    title: str | None = None
    address: str | None = None
    published: dt.date | None = None
    date_source: str | None = None  # option | pack | text | address


@dataclass
class Fact:
    article: str
    entity: str
    entity_type: str
    metric: str
    value: float
    unit: str
    period: str | None
    kind: str
    cluster: str | None
    quote: str
    span: tuple[int, int]
    qualifier: str | None = None
    entity_as_written: str | None = None
    metric_zh: str | None = None
    entity_code: str | None = None
    entity_inferred: bool = False
    period_inferred: bool = False

    def to_dict(self) -> dict:
        d = asdict(self)
        d["span"] = list(self.span)
        for k in ("qualifier", "entity_as_written", "metric_zh", "entity_code"):
            if d[k] is None:
                del d[k]
        for k in ("entity_inferred", "period_inferred"):
            if not d[k]:
                del d[k]
        return d


# ---------------------------------------------------------------------------------------- reading
def _known_sources(pack_name: str = "chongqing") -> dict[str, object]:
    """sha256 of each text the pack ships -> its source record (date, title, address)."""
    try:
        _, _, _, sources, path = _pack_parts(pack_name)
    except Exception:
        return {}
    out = {}
    for s in sources:
        f = getattr(s, "file", None)
        if f and (path / f).exists():
            out[hashlib.sha256((path / f).read_bytes()).hexdigest()] = s
    return out


_KNOWN: dict | None = None


def read_article(
    path: str | Path | None = None,
    *,
    data: bytes | None = None,
    article_id: str | None = None,
    published: dt.date | None = None,
    encoding: str | None = None,
) -> Article:
    """Read and clean one article. Raises ArticleError for input that is not a readable article."""
    global _KNOWN
    if data is None:
        p = Path(path)
        if not p.exists():
            raise C.ArticleError("no such file")
        if p.is_dir():
            raise C.ArticleError("is a directory")
        size = p.stat().st_size
        if size > C.MAX_BYTES:
            raise C.ArticleError(
                f"too large for an article ({size / 1e6:.1f} MB; the limit is {C.MAX_BYTES / 1e6:.0f} MB)"
            )
        data = p.read_bytes()
    text = C.decode(data, encoding)
    meta, body = C.split_header(text.replace("\r\n", "\n"))
    if not re.search(r"[\u4e00-\u9fff]", body):
        raise C.ArticleError("no article text after the header lines")
    ct = C.clean(body)
    sha = hashlib.sha256(data).hexdigest()
    aid = article_id or (Path(path).stem if path else sha[:12])
    art = Article(aid, str(path) if path else None, body, ct, sha, meta.get("title"), meta.get("address"))
    if _KNOWN is None:
        _KNOWN = _known_sources()
    known = _KNOWN.get(sha)
    if published:
        art.published, art.date_source = published, "option"
    elif known is not None and getattr(known, "published", None):
        art.published, art.date_source = known.published, "pack"
    else:
        d = find_date(body)
        if d:
            art.published, art.date_source = d, "text"
        else:
            d = date_from_address(art.address)
            if d:
                art.published, art.date_source = d, "address"
    if known is not None:
        art.title = art.title or known.title
        art.address = art.address or getattr(known, "address", None)
    if not art.title:
        for line in ct.text.split("\n"):
            if line.strip():
                art.title = line.strip()[:200]
                break
    return art


# ---------------------------------------------------------------------------------------- context
ZONE_FULL = {"经开区": "经济技术开发区", "高新区": "高新技术产业开发区"}
SKIP_BEFORE = re.compile(r"(占|于|比|较|居|向|对|从|与|同|和|及|超过|高于|低于|赴|到|在|作为)$")
# 全区/全市 as the subject (全区技改投资…, 全市规上工业…), not as a modifier (全市领军企业)
DEICTIC_NOT_SUBJECT = re.compile(
    r"^([“\"]|领军|链主|首个|首位|第|平均|各|区县|城市|同类|排名|前列|之首|市级|区级|重点|龙头|"
    r"范围|上下|人民)"
)
CLAUSE_BLOCK = re.compile(r"(在统|在库|在谈|储备|人均|贡献率|拉动|亏损|增值税|市场主体|工商注册|会员)")
BLOCKED = ("__blocked__", None, None)
# Projects brought in (signed, introduced, settled): their total investment is investment attracted.
INTRODUCED = re.compile(r"(签约|引进|引入|招引|招商|落户|落地)[^。;]{0,30}项目|项目[^。;]{0,6}(签约|落户|落地)")
SKIP_AFTER = re.compile(r"^(的?第|首位|首个|前列|之首|平均水平|城市第|区县第|各区县)")


@dataclass
class DocContext:
    date: dt.date | None
    g: Gazetteer
    main_local: Entity | None
    main_city: Entity | None
    main_province: Entity | None
    main: Entity | None
    parks_seen: list[Entity] = field(default_factory=list)
    main_district: Entity | None = None


def _main_entities(art: Article, mentions: list[Mention], g: Gazetteer) -> DocContext:
    counts: dict[Entity, float] = {}
    first: dict[Entity, int] = {}
    # the title is cleaned like the body (glosses, traditional characters) before names are looked up
    title_ments = find_mentions(C.clean(art.title).text, g) if art.title else []
    for m, w in [(m, 1.0) for m in mentions] + [(m, 2.0) for m in title_ments]:
        e = m.entity
        if e is None or e.type in ("enterprise",):
            continue
        counts[e] = counts.get(e, 0) + w
        first.setdefault(e, m.start)

    def best(types):
        c = [(v, -first.get(e, 0), e) for e, v in counts.items() if e.type in types]
        return max(c, key=lambda t: (t[0], t[1]))[2] if c else None

    local = best(("district", "park"))
    city = best(("city",))
    if (
        city is not None
        and local is not None
        and local.source == "jionlp"
        and local.parent_city
        and local.parent_city != city.name
        and counts.get(local, 0) >= counts.get(city, 0)
    ):
        city = g.names.get(local.parent_city) or city
    if city is None and local is not None:
        if local.source == "jionlp" and local.parent_city:
            city = g.names.get(local.parent_city)
        elif local.source in ("pack", "form") and g.root is not None:
            city = g.root
    if city is None:
        votes = city_votes(art.clean.text, g)
        if votes:
            name, n = max(votes.items(), key=lambda kv: kv[1])
            if n >= 2:
                city = g.names.get(name)
    if city is None and any(m.entity is not None and m.entity.source == "pack" for m in mentions):
        city = g.root
    # the publisher: a government site that names nothing itself (全区…, or no subject at all)
    site = site_of(art.address, g, hint=city)
    from_site = False
    site_district = None
    if site is not None:
        same_city = city is None or site.city is None or city.name == site.city.name
        if local is None and site.local is not None and same_city:
            local, from_site = site.local, True
            city = city or site.city
        elif (
            local is not None
            and local.type == "park"
            and site.local is not None
            and site.local.type == "district"
            and same_city
            and best(("district",)) is None
        ):
            # a district's site that names only a park of it (桥河工业园…,全区…): 全区 is the district
            site_district, from_site = site.local, True
        elif city is None and local is None:
            city = site.city
    province = None
    if city is not None and city.province:
        province = g.names.get(city.province)
    else:
        province = best(("province",))
    main = (
        local
        if local is not None and (from_site or city is None or counts.get(local, 0) >= counts.get(city, 0))
        else city
    )
    if province is not None and main is not None and main.type == "city" and not from_site:
        # a province's release that lists its cities (全省…, 苏州、无锡…分别…): the province is the subject
        deictic = {d: sum(1 for m in mentions if m.deictic == d) for d in ("city", "province")}
        if counts.get(province, 0) + deictic["province"] > counts.get(main, 0) + deictic["city"]:
            main = province
    if main is None:
        main = best(("region", "province"))
    if site_district is not None:
        main = site_district
    return DocContext(art.published, g, local, city, province, main, main_district=site_district or best(("district",)))


def _resolve_deictic(m: Mention, ctx: DocContext, mentions_before: list[Mention]) -> tuple[Entity | None, bool]:
    d = m.deictic or ""
    if d == "city":
        return ctx.main_city, True
    if d == "province":
        return ctx.main_province, True
    if d == "district":
        if ctx.main_local is not None and ctx.main_local.type == "park" and ctx.main_district is not None:
            return ctx.main_district, True  # 全区 in a park article: the district, not the park
        return (ctx.main_local or ctx.main), True
    if d.startswith("park:"):
        word = d[5:]
        for pm in reversed(mentions_before):
            if (
                pm.entity is not None
                and pm.entity.type == "park"
                and (pm.entity.name.endswith(word) or word in ("园区", "核心区"))
            ):
                return pm.entity, False
        if (
            ctx.main_local is not None
            and ctx.main_local.type == "park"
            and (ctx.main_local.name.endswith(word) or ctx.main_local.name.endswith(ZONE_FULL.get(word, word)))
        ):
            return ctx.main_local, ctx.main_local.source == "site"
        if word in ("高新区", "经开区") and ctx.main is not None and ctx.main is ctx.main_city:
            # 其中高新区增长9.6% in an article about a city: that city's zone (成都高新区)
            name = re.sub(r"市$", "", ctx.main_city.name) + word
            return ctx.g.names.get(name) or Entity(name, "park", None, source="form"), False
        return None, False
    return None, False


# ---------------------------------------------------------------------------------------- extraction
@dataclass
class _Choice:
    metric: str
    metric_zh: str
    cluster: str | None
    value: float


def _window_start(sent: Sentence, q: Quantity, prev_end: int) -> int:
    """Start (relative to the sentence) of the text that names the quantity's measure."""
    rel = q.start - sent.start
    cut = prev_end - sent.start if prev_end > sent.start else 0
    # the clause the quantity is in
    for a, b in sent.clauses():
        if a <= rel <= b:
            cut = max(cut, a)
            break
    return cut


def _count_metric(text_after: str, window: str, clause: str = "") -> tuple[str, str, str | None] | None:
    """(metric, metric_zh, cluster) for a count, from the noun after it (N家X) or before it (X N家)."""
    noun_after = re.split(r"[,;。:、()“”]|(?:实现|完成|累计|达到|共|分别|增长|同比)", text_after)[0][:16]
    if "项目" in noun_after[:12] or "项目" in window[-24:]:
        for rx2, m2 in M.COUNTS_RX:
            if m2.endswith("project_count") and rx2.search(noun_after[:12] or window[-10:]):
                return m2, noun_after, None
        ctx = window + noun_after
        for rx, metric in M.PROJECT_COUNTS_RX:
            if rx.search(ctx):
                return metric, (window[-12:] + noun_after).strip(), None
        return None
    cand = None
    for src in (noun_after, window[-16:]):
        if not src:
            continue
        found = M.find_count_metric(src)
        if found:
            cand = (found, src)
            break
    if cand is None:
        return None
    (metric, matched), src = cand
    parts = [x for x in re.split(r"和|及|与|、", src) if x]
    if (
        len(parts) >= 2
        and len({p for p in parts if M.find_count_metric(p) and M.find_count_metric(p)[0] != "enterprise_count"}) >= 2
    ):
        return None  # 智能工厂和数字化车间达到32家: a combined count (专精特新"小巨人" alone is one noun)
    if (
        metric == "enterprise_count"
        and re.match(r"^[^,;。]{0,10}?(投产|落户|签约|入驻|开工|竣工|走访|上榜|入选|入围|获评)", text_after)
        and not re.search(r"(累计|已|共)", window[-14:])
    ):
        return None  # 10余家配套企业投产: an event, not a stock (累计吸引…96家落户 is one)
    if metric == "enterprise_count" and re.search(r"(亿|万)元?(以上|以下)", src):
        return None  # a count of firms by output band (千亿以上企业) outside the vocabulary
    if metric == "enterprise_count" and re.search(r"(以上|以下)企业", src) is None:
        # a plain "企业" count needs a scope: 规上/工业/…企业 or a cluster-ish noun before 企业
        if (
            not re.search(r"(规上|规模|工业|整车|零部件|配套|链|集聚|产业)", src)
            and M.find_cluster(src.split("企业")[0]) is None
        ):
            return None  # a scope: 规上/工业/配套…企业, or an industry (生物医药企业, 新材料企业)
    new = (
        M.NEW_CUE.search(M.not_new(window[-12:]))
        or M.NEW_CUE.search(M.not_new(src[:4]))
        or M.NEW_CUE.search(M.not_new(clause))
    )
    if new and metric in M.FLOW_METRICS_WITH_NEW:
        metric = "new_" + metric
    elif new and metric == "enterprise_count" and re.search(r"新增|新培育", window[-12:] + src[:4]):
        metric = "new_enterprise_count"
    cluster = None
    if metric == "enterprise_count":
        mt = re.search(r"([\u4e00-\u9fff]{2,8}?)(企业)", src)
        if mt and not re.search(r"^(规上|规模以上|规模|工业|规上工业|规模以上工业)$", mt.group(1)):
            cluster = mt.group(1)
    return metric, src.strip(), cluster


def _finish_metric(template: str, cluster: str | None, entity: Entity | None) -> str:
    if template.startswith("{IND}"):
        measure = template[5:]
        if entity is not None and entity.type in ("enterprise", "enterprise_group") and measure == "output":
            return "enterprise_output"
        if cluster:
            return "industry_" + measure
        return "industrial_" + measure
    return template


def _share_metric(base: str | None, denom: str, cluster: str | None, window: str) -> str | None:
    if re.search(r"(GDP|生产总值|固定资产投资|固投|财政|税收总额|市场份额|市场占有)", denom):
        return None  # shares of GDP, of fixed-asset investment … are not in the vocabulary
    if base == "tech_renovation_investment" or base == "tech_renovation_investment_share":
        return "tech_renovation_investment_share"
    if "全国" in denom:
        return "industry_share_of_national" if cluster else None
    if "全省" in denom or "省" in denom[:3]:
        return "industry_share_of_province" if cluster else None
    own_total = re.search(r"(规上|规模以上|工业|总产值|增加值|总值|经济区|园区|企业总产值)", denom)
    if not own_total and re.search(r"(全市|市|全区)", denom):
        if cluster:
            return "industry_share_of_city"
        if base == "revenue":
            return "revenue_share_of_city"
        if base == "industrial_investment":
            return "industrial_investment_share_of_city"
        return None
    if not cluster:
        return None
    if "增加值" in denom or (base or "").endswith("value_added") or "增加值" in window:
        return "industry_share_of_value_added"
    return "industry_share_of_output"


def extract(art: Article) -> list[Fact]:
    g = gazetteer()
    text = art.clean.text
    sents = split(text)
    mentions = find_mentions(text, g)
    # "(以下简称“X”)": X is another name for the entity just before
    for mt in re.finditer(r"\(以下简称[“\"]?([^”\")]{2,12})[”\"]?\)", text):
        prev = [m for m in mentions if m.end <= mt.start() and m.entity is not None]
        if prev:
            alias, ent = mt.group(1), prev[-1].entity
            for mm in re.finditer(re.escape(alias), text):
                if mm.start() > mt.end():
                    for m in mentions:
                        if m.start < mm.end() and mm.start() < m.end:
                            m.entity, m.deictic, m.written = ent, None, alias
                    if not any(m.start < mm.end() and mm.start() < m.end for m in mentions):
                        mentions.append(Mention(mm.start(), mm.end(), alias, ent))
            mentions.sort(key=lambda m: m.start)
    _short_park_names(mentions)
    mentions = _short_district_names(text, mentions, g)
    times = find_times(text)
    plan_spans = [t for t in times if t.kind == "years"]  # a plan's years (行动方案(2024—2027年))
    tables = find_tables(text)
    table_spans = [(t.header_start, t.end) for t in tables]
    years_named = [
        t.year
        for t in times
        if t.explicit_year
        and t.kind in ("year", "span", "month")
        and not re.search(r"(到|至)$", text[max(0, t.start - 2) : t.start])
    ]
    if art.published is None and years_named:
        # no date: 今年 is the latest year the article names as a past or current year
        resolve_all(times, dt.date(max(years_named), 12, 31))
    else:
        resolve_all(times, art.published)
    quants = find_quantities(text, masked=[(t.start, t.end) for t in times])
    ctx = _main_entities(art, mentions, g)
    date = art.published
    facts: list[Fact] = []
    last_period: str | None = None
    last_base_doc: tuple[str, str | None] | None = None

    by_sent_m = _bucket(sents, mentions)
    by_sent_t = _bucket(sents, times)
    by_sent_q = _bucket(sents, quants)

    by_para: dict[int, list[Sentence]] = {}
    for x in sents:
        by_para.setdefault(x.para, []).append(x)
    for s in sents:
        sq = [q for q in by_sent_q[s.index] if not any(a <= q.start < b for a, b in table_spans)]
        if not sq:
            last_base_doc = _named_measure(s.text) or last_base_doc
            continue
        sm = by_sent_m[s.index]
        st = by_sent_t[s.index]
        para_prev = _context_before(s, by_para)
        sent_facts: list[tuple[Fact, str]] = []  # fact, base template
        last_base: tuple | None = None  # (template, cluster, entity, window that named the measure)
        fenbie = _fenbie_plan(s, sq, text, sm)
        sent_cluster = _sentence_cluster(s, sm, st, sq, text)
        prev_end = s.start
        last_count: str | None = None
        for qi, q in enumerate(sq):
            if q.descriptor or q.unit == "units":
                continue
            wstart = s.start + _window_start(s, q, prev_end)
            window = text[wstart : q.start]
            prev_end = q.end
            after = text[q.end : min(s.end, q.end + 20)]
            q.after = text[q.end : min(s.end, q.end + 30)]
            before_sent = text[s.start : q.start]
            plan = fenbie.get(id(q))
            if plan is not None:
                window = plan["window"]
                if q.qualifier is None and plan.get("qualifier"):
                    q.qualifier = plan["qualifier"]
            if (
                plan is None
                and re.fullmatch(r"[,、]?(累计)?(完成|实现)投资", window.strip())
                and re.search(r"(工业|制造业)[^,;。]{0,12}项目|工业投资", text[s.start : wstart])
            ):
                window = "工业项目" + window.strip(",、")  # 工业项目28个,完成投资7.9亿元: the projects' investment
            # exclusions
            raw_window = text[wstart : q.start]
            if (
                M.BLOCK.search(window)
                or M.BLOCK.search(raw_window)
                or re.match(r"^(个百分点|百分点|倍)", after)
                or CLAUSE_BLOCK.search(text[s.start + _window_start(s, q, s.start) : q.start])
            ):
                last_base = BLOCKED  # a growth right after a figure outside the vocabulary is not ours
                continue
            if re.search(r"\d\s*%?\s*[-—~]$", text[max(0, q.start - 3) : q.start]) or re.match(
                r"^\s*[-—~至]\s*\d", after
            ):
                continue  # a range (300-500亿元, 12.9%-15.5%) is not one figure
            each = (
                _each_of(text[s.start + _window_start(s, q, s.start) : q.start]) if q.unit in ("yuan", "usd") else None
            )
            if (
                each is None
                and re.search(
                    r"[\d一二三四五六七八九十两]+(个|大)(产业|行业|集群|领域)",
                    text[s.start + _window_start(s, q, s.start) : q.start],
                )
                and not q.level
            ):
                continue  # 五个产业规模超千亿: a count of industries
            if q.unit == "percent" and re.search(r"(分别)?(高于|低于|快于|慢于|超出)", window) and not q.in_parens:
                continue
            clause_text = text[s.start + _window_start(s, q, s.start) : q.start]
            if re.search(r"(比重|比例|占比)由", clause_text) or re.search(r"均(超|在|为|达|高于)?$", window):
                continue
            # ---------------- entity (provisional, needed for enterprise metrics)
            ent, written, inferred = _pick_entity(s, q, sm, para_prev, by_sent_m, ctx, plan, text, mentions)
            if sent_facts and (ent is None or ent.type != "enterprise") and plan is None:
                prevf = sent_facts[-1][0]
                if (
                    prevf.entity_type == "enterprise"
                    and not prevf.entity.endswith("项目")
                    and not any(prevf.span[1] <= m.start < q.start and (m.entity is not None or m.deictic) for m in sm)
                ):
                    # 锐澜新材去年实现产值168亿元,入库税金6.3亿元: the company stays the subject
                    ent, written, inferred = (
                        Entity(prevf.entity, "enterprise", prevf.entity_code, source="form"),
                        prevf.entity_as_written,
                        False,
                    )
            # ---------------- metric
            choice = None
            if each is not None:
                choice = _Choice(each[1], window.strip(",、")[-20:], "、".join(each[0]), q.value)
            bfound = M.find_base(window) if q.unit != "count" else None
            if q.unit == "count" and q.value == 1 and q.raw.startswith("一"):
                continue  # 走进一家整车企业, 一家配套企业负责人说: an article, not a statistic
            if q.unit == "count":
                cm = _count_metric(text[q.end : s.end], window, clause_text)
                if cm is None and last_count and re.search(r"(总数|总量|总计|共计|合计|累计|其中)", window):
                    cm = (last_count, window, None)
                if cm is None and re.fullmatch(r"[,、]?(达到|达|共|共有|增至|达到了)", window.strip()):
                    tail = re.split(r"[,;]", text[s.start : wstart].rstrip(",;"))[-1]
                    cm = _count_metric("", tail, tail)  # 10亿以上企业增长130%,达到222家
                if cm is None:
                    continue
                metric, mzh, cluster = cm
                last_count = metric[4:] if metric.startswith("new_") else metric
                choice = _Choice(metric, mzh, cluster, q.value)
            elif (
                choice is None
                and q.in_parens
                and q.unit == "percent"
                and sent_facts
                and sent_facts[-1][0].metric.endswith("_growth")
                and re.search(
                    r"(高于|低于|快于|慢于|超过|超出|较|比)[^,;。()]{1,12}[(（]$", text[max(0, q.start - 16) : q.start]
                )
            ):
                choice = _Choice(
                    sent_facts[-1][0].metric, "", sent_facts[-1][0].cluster, q.value
                )  # 高于全市平均增速(5.1%)
            elif (
                choice is None
                and qi > 0
                and sq[qi - 1].milestone
                and last_base
                and last_base[0] != "__blocked__"
                and re.fullmatch(r"[,、]?(达到|达|为|实现|至|超过|超)", window.strip())
            ):
                choice = _Choice(last_base[0], "", last_base[1], q.value)  # …大关,达到106.8亿元
            elif choice is None:
                subject = bool(plan and plan.get("entity")) or any(
                    m.end <= q.start and m.start >= s.start + _window_start(s, q, s.start) for m in sm
                )
                timed = any(s.start + _window_start(s, q, s.start) <= t.start < q.start for t in st)
                choice = _amount_metric(q, window, last_base, last_base_doc, ent, plan, subject, sent_cluster, timed)
                if choice is None or choice.metric not in M.FACT_METRICS:
                    if bfound is not None and not M.SHARE.search(window):
                        last_base = (bfound[0], None, ent, window)
                    continue
            if choice.metric not in M.FACT_METRICS:
                continue
            if q.milestone:
                last_base = (choice.metric.replace("_growth", ""), choice.cluster, ent, window)
                continue  # the figure after the milestone takes its measure
            project = choice.metric in (
                "project_output",
                "project_investment",
                "enterprise_output",
                "enterprise_output_growth",
                "nev_sales",
                "nev_sales_growth",
            )
            if project:
                pent = _project_entity(s, q, sm, para_prev, by_sent_m, text, mentions)
                brand = (
                    BRAND_SUBJECT.match(text[s.start : q.start])
                    if pent is None and choice.metric.startswith(("nev_sales", "enterprise_output"))
                    else None
                )
                if pent is not None:
                    ent, written, inferred = pent.entity, pent.written, False
                elif brand is not None and not _is_place(brand.group(1)[:-2]):
                    # 长安汽车上半年新能源汽车销量…: a carmaker's brand opening the sentence (sales are a firm's)
                    ent, written, inferred = Entity(brand.group(1), "enterprise", None, source="form"), None, False
                elif choice.metric == "project_investment":
                    if not INTRODUCED.search(text[s.start : q.start]):
                        continue  # the total investment of a set of started projects is not annotated
                    # the projects a place brought in (引进…项目, 共计投资…): investment attracted
                    choice.metric = "attracted_investment"
            elif (
                ent is not None
                and ent.type == "enterprise"
                and not ent.name.endswith("项目")
                and choice.metric in ("industrial_tax", "industrial_tax_growth")
            ):
                choice.metric = choice.metric.replace("industrial_tax", "tax_revenue")  # a company's 入库税金
            elif (
                ent is not None
                and ent.type == "enterprise"
                and choice.metric.startswith(("vehicle_production", "nev_production", "revenue"))
            ):
                pass  # a named enterprise's vehicle output and revenue are its own (一汽大众产量…)
            elif (
                ent is not None
                and ent.type == "enterprise"
                and not ent.name.endswith("项目")
                and choice.metric in ("industrial_output", "industrial_output_growth")
                and written
            ):
                # 凯纳光电去年产值增长23.5%: the output of a company named as the subject
                choice.metric = choice.metric.replace("industrial_output", "enterprise_output")
            elif ent is not None and ent.type == "enterprise":
                # an enterprise is the subject only of enterprise and project measures
                alt, written2, inf2 = _pick_entity(
                    s, q, sm, para_prev, by_sent_m, ctx, plan, text, mentions, allow_enterprise=False
                )
                if alt is None:
                    continue
                ent, written, inferred = alt, written2, inf2
            bench = (
                re.search(
                    r"(高于|低于|快于|慢于|超过|超出|较|比)(?P<who>[^,;。()]{1,8}?)(的)?(平均)?(增速|增幅|水平|平均水平)?\s*[(（]$",
                    text[max(0, q.start - 16) : q.start],
                )
                if q.in_parens
                else None
            )
            if bench:
                # 高于全市平均增速(5.1%): the benchmark's own figure, of the place it names
                who = [m for m in sm if q.start - 16 <= m.start < q.start and (m.entity is not None or m.deictic)]
                if who and who[-1].entity is not None and who[-1].entity.type != "enterprise":
                    ent, written, inferred = who[-1].entity, who[-1].written, False
                elif who and who[-1].deictic in ("city", "province"):
                    e2, _ = _resolve_deictic(who[-1], ctx, [])
                    if e2 is not None:
                        ent, written, inferred = e2, who[-1].written, True
            if (
                q.in_parens
                and sent_facts
                and re.search(r"(去年同期|上年同期)\s*[(（]?$", text[max(0, q.start - 8) : q.start])
            ):
                prevf = sent_facts[-1][0]  # 较去年同期(4.1%): the same place a year earlier
                ent, written, inferred = (
                    Entity(prevf.entity, prevf.entity_type, prevf.entity_code),
                    None,
                    prevf.entity_inferred,
                )
            if ent is None:
                continue
            if (
                ent.type == "park"
                and choice.metric == "industrial_tax"
                and not re.search(r"(工业|规上|规模以上)", clause_text)
            ):
                choice.metric = "tax_revenue"  # a park's total tax
            if choice.metric == "industrial_tax_growth" and sent_facts and sent_facts[-1][0].metric == "tax_revenue":
                choice.metric = "tax_revenue_growth"
            grp = re.search(
                r"(\d+|[一二三四五六七八九十]+)(家|户)(龙头|重点|骨干|领军|链主|头部|重点工业)企业", clause_text
            )
            if grp and ent.type not in ("enterprise",):
                if M.SHARE.search(window):
                    continue
                ent = Entity(ent.name + grp.group(0), "enterprise_group", None, source="form")
                written = None
                if choice.metric.startswith(("industrial_output", "industry_output")):
                    choice.metric = choice.metric.replace("industrial_output", "enterprise_output").replace(
                        "industry_output", "enterprise_output"
                    )
                    choice.cluster = None
            if choice.metric in ("enterprise_output", "enterprise_output_growth") and ent.type not in (
                "enterprise",
                "enterprise_group",
            ):
                choice.metric = choice.metric.replace("enterprise_output", "industrial_output")
            # ---------------- period and kind
            kind = (
                "target"
                if (
                    q.level
                    or choice.metric in ("project_output", "project_investment")
                    or is_target(before_sent, date, text[q.end : s.end])
                )
                else "actual"
            )
            period = _period(
                s, q, st, para_prev, by_sent_t, choice.metric, kind, window, before_sent, date, last_period, text
            )
            if kind == "actual" and not any(t.end <= q.start for t in st):
                period = _cumulative(period, text[s.start : q.start])
            if kind == "target":
                period = _target_span(
                    period,
                    choice.metric,
                    text[s.start + _window_start(s, q, s.start) : q.start],
                    plan_spans,
                    last_period,
                    date,
                )
            if q.in_parens and sent_facts:
                # the figure the bracket qualifies: the last one outside brackets
                prevf = next(
                    (f for f, _ in reversed(sent_facts) if not getattr(f, "bracketed", False)), sent_facts[-1][0]
                )
                choice.metric, period, kind = prevf.metric, prevf.period, prevf.kind
                if period and re.search(r"(去年同期|上年同期)\s*[(（]?$", text[max(0, q.start - 8) : q.start]):
                    # 增速较去年同期(4.1%)加快…: the same measure a year earlier
                    period = re.sub(r"\d{4}", lambda y: str(int(y.group(0)) - 1), period)
            if (
                period is None
                and not q.level
                and choice.metric not in ("project_output", "project_investment")
                and (date is None or choice.metric.endswith(("_growth", "_share")) or "_share_" in choice.metric)
            ):
                if years_named:
                    period = str(max(set(years_named), key=years_named.count))  # an undated statistics line
                elif date is not None:
                    period = str(date.year)
            if q.level or choice.metric in ("project_output", "project_investment"):
                if not any(
                    t.kind in ("target_year", "plan") or (t.kind == "year" and t.explicit_year)
                    for t in st
                    if t.start < q.start
                ):
                    period = None
            value = choice.value
            qual = q.qualifier
            qs, qe = _quote_span(s, q, wstart, text)
            f = Fact(
                art.id,
                ent.name,
                ent.type,
                choice.metric,
                value,
                q.unit if q.unit != "units" else "vehicle",
                period,
                kind,
                choice.cluster,
                art.clean.quote(qs, qe),
                (qs, qe),
                qual,
                written if written and written != ent.name else None,
                choice.metric_zh,
                ent.code,
                entity_inferred=inferred,
                period_inferred=(art.date_source == "address" and period is not None and "as_of" in period),
            )
            f.bracketed = q.in_parens
            f.explicit = (
                bfound is not None
                or q.unit == "count"
                or q.level
                or bool(
                    sent_facts
                    and getattr(sent_facts[-1][0], "explicit", False)
                    and f.metric == sent_facts[-1][0].metric + "_growth"
                )
            )  # 完成产值…,同比增长…: the growth of a named measure
            copies = q.multiplier if q.level else (len(each[0]) if each is not None else 1)
            names = (choice.cluster or "").split("、") if copies > 1 else []
            for i in range(copies):
                fi = f
                if copies > 1:
                    import copy as _copy

                    fi = _copy.copy(f)
                    fi.cluster = names[i] if len(names) == copies else choice.cluster
                facts.append(fi)
                sent_facts.append((fi, choice.metric))
            if "_count" not in choice.metric and "_share" not in choice.metric and not q.in_parens:
                base = choice.metric.replace("_growth", "")
                last_base = (base, choice.cluster, ent, window)
                if not choice.cluster and not base.startswith(("project", "enterprise")):
                    last_base_doc = (base, None)
            single_month = bool(re.fullmatch(r"(\d{4}|\?{4})-(\d{2})\.\.(\d{4}|\?{4})-\2", period or ""))
            if (
                period
                and not period.startswith("as_of")
                and not (single_month and re.search(r"(当月|单月|本月)", text[s.start : s.end]))
                and (
                    kind == "actual"
                    or (date is not None and re.fullmatch(r"\d{4}", period) and int(period) < date.year)
                )
            ):
                last_period = period  # (预计 figures of the year under review set it too)
        tail_from = max([f.span[1] for f, _ in sent_facts] or [s.start]) - s.start
        last_base_doc = _named_measure(s.text[tail_from:]) or last_base_doc
    facts = _table_facts(art, tables, times, mentions, ctx) + facts
    return _dedupe(facts, sents)


EACH = re.compile(
    r"(?P<list>[\u4e00-\u9fff]{2,10}?(?:(?:、|和|与)[\u4e00-\u9fff]{2,10}?)+?)"
    r"(?:[两二三四五六七八九十\d]+(?:大|个))?(?P<kind>产业集群|产业|集群|行业)?(?:的)?"
    r"(?P<measure>规模|产值|总产值|营业收入|营收)?(?:双双|均|都|全部|皆)"
    r"(?:突破|超过|超|达到|达|迈上|跨过|实现)?$"
)


def _each_of(window: str) -> tuple[list[str], str] | None:
    """装备制造、泛家居两大产业集群规模双双突破万亿元 / A和B产业产值均超千亿元: one figure that holds for
    each item of the list — (the items, the metric)."""
    mt = EACH.search(window.strip(",、"))
    if mt is None or not (mt.group("kind") or mt.group("measure")):
        return None
    head = re.split(r"[,;:]", mt.group("list"))[-1]
    head = re.sub(r"^.*?(推动|力争|培育|打造|实现|其中|预计|到\d{4}年)", "", head)
    g = gazetteer()
    place = g.regex.match(head) if g.regex is not None else None
    if place and len(head) > place.end():
        head = head[place.end() :]  # 佛山市装备制造、泛家居…: the place in front is the subject, not an item
    items = [x for x in re.split(r"、|和|与", head) if x]  # (及 joins inside names: 智能装备及智能制造)
    if len(items) < 2 or any(_is_place(x) for x in items):
        return None
    metric = "revenue" if mt.group("measure") in ("营业收入", "营收") else "industry_output"
    return items, metric


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


def _row_metric(label: str, unit: str | None, gdp_table: bool) -> tuple[str, str | None] | None:
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


def _table_facts(
    art: Article, tables: list[Table], times: list[TimeExpr], mentions: list[Mention], ctx: DocContext
) -> list[Fact]:
    """Facts of the statistics tables (tables.py): one per row and figure column."""
    out: list[Fact] = []
    date = art.published
    for t in tables:
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
        year_t = next((x for x in in_title if x.kind in ("year", "span", "month")), None)
        year = period_of(year_t, date)[:4] if year_t is not None else (str(date.year) if date else "????")
        gdp_table = any(
            r.label in ("地区生产总值", "生产总值", "GDP") or r.label.startswith(("第一产业", "第二产业"))
            for r in t.rows
        )
        measure = next((c.measure for c in t.columns if c.measure), None)
        for r in t.rows:
            rm = _row_metric(r.label, r.unit, gdp_table)
            if rm is None and measure and M.NOT_CLUSTER.match(r.label):
                b = M.find_base(measure)  # 规模以上工业 | 1352.64 | 9.1: the total
                if b is not None and b[0].startswith("{IND}"):
                    rm = ("industrial_" + b[0][5:], None)
            if rm is None and measure and not M.BLOCK.search(r.label) and re.search(r"(业|产业|集群)$", r.label):
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
                    scale = SCALES.get(r.unit or col.unit or "")
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
                    )
                )
    return out


def _cumulative(period: str | None, clause: str) -> str | None:
    """累计完成产值… after a single month's figure: the cumulative figure runs from January to that month."""
    mt = re.fullmatch(r"(\d{4}|\?{4})-(\d{2})\.\.(\d{4}|\?{4})-(\d{2})", period or "")
    if (
        mt
        and mt.group(2) == mt.group(4)
        and mt.group(2) != "01"
        and re.search(r"累计", clause)
        and not re.search(r"(当月|单月|本月)", clause)
    ):
        return f"{mt.group(1)}-01..{mt.group(3)}-{mt.group(4)}"
    return period


def _target_span(
    period: str | None,
    metric: str,
    clause: str,
    plan_spans: list[TimeExpr],
    last_period: str | None,
    date: dt.date | None,
) -> str | None:
    """Targets over a span (seeds/README: 年均增长 through 2027 → 2023..2027; 新培育 in a 2025–2027 plan →
    2025..2027; a yearly count with no year → annual)."""
    if metric.startswith("new_") and re.search(r"(年均|每年)(新增|新培育|培育|新认定|认定)", clause):
        return "annual"
    if not (period and re.fullmatch(r"\d{4}", period)):
        return period
    end = int(period)
    span = next((t for t in reversed(plan_spans) if t.y2 == end), None)
    if metric.endswith("_growth") and "年均" in clause:
        if span is not None:
            start = span.year - 1
        elif last_period and re.match(r"\d{4}", last_period) and int(last_period[:4]) < end:
            start = int(last_period[:4])
        elif date is not None and date.year - 1 < end:
            start = date.year - 1
        else:
            return period
        return f"{start}..{end}"
    if metric.startswith("new_") and span is not None and re.search(r"(累计|新培育|新增|新认定|新创建|培育)", clause):
        return f"{span.year}..{end}"
    return period


BRAND_SUBJECT = re.compile(r"^[^,。;]{0,4}?([\u4e00-\u9fff]{2,4}(?:汽车|集团))(?=[^,。;]{0,14}(销量|产值))")


def _named_measure(text: str) -> tuple[str, None] | None:
    """A whole-economy measure a sentence names without a figure of it (分地区看,各市规上工业增加值全部
    实现正增长): the measure a bare 分别增长… of the next sentence continues."""
    b = M.find_base(text)
    if b is None or not b[0].startswith("{IND}") or M.find_cluster(text[: b[2]]) is not None:
        return None
    return ("industrial_" + b[0][5:], None)


def _short_park_names(mentions: list[Mention]) -> None:
    """A park named in short after its full name (梁平工业园区 … 梁平园区) is the same park: the short
    form starts with the same place and ends with the same generic word."""
    parks = {m.entity.name: m.entity for m in mentions if m.entity is not None and m.entity.type == "park"}
    for m in mentions:
        e = m.entity
        if e is None or e.type != "park" or e.source != "form":
            continue
        for name, full in parks.items():
            if (
                len(name) > len(e.name)
                and name[:2] == e.name[:2]
                and name.endswith(e.name[-2:])
                and len(e.name) <= 6
                and _subsequence(e.name, name)
            ):
                m.entity = full
                break


def _short_district_names(text: str, mentions: list[Mention], g: Gazetteer) -> list[Mention]:
    """Two-character short names of districts outside the pack (武侯 for 武侯区) are too ambiguous to be
    names on their own; once the article has named the district in full they name it too."""
    full = {
        m.entity.name: m.entity
        for m in mentions
        if m.entity is not None and m.entity.type == "district" and m.entity.source == "jionlp"
    }
    if not full or not getattr(g, "vote_names", None):
        return mentions
    short = _shorts_by_name(g)
    names = [n for e in full for n in short.get(e, ())]
    if not names:
        return mentions
    spans = [(m.start, m.end) for m in mentions]
    added = []
    for mt in re.finditer("|".join(map(re.escape, names)), text):
        e = g.vote_names[mt.group(0)]
        if e.name not in full or any(mt.start() < b and a < mt.end() for a, b in spans):
            continue
        if NOT_PLACE_AFTER.match(text[mt.end() : mt.end() + 2]):
            continue
        added.append(Mention(mt.start(), mt.end(), mt.group(0), full[e.name]))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


_SHORTS: dict[int, dict[str, list[str]]] = {}


def _shorts_by_name(g: Gazetteer) -> dict[str, list[str]]:
    """District name -> its two-character short names (once per gazetteer)."""
    if id(g) not in _SHORTS:
        out: dict[str, list[str]] = {}
        for n, e in g.vote_names.items():
            out.setdefault(e.name, []).append(n)
        _SHORTS[id(g)] = out
    return _SHORTS[id(g)]


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _context_before(s: Sentence, by_para: dict[int, list[Sentence]], limit: int = 3) -> list[Sentence]:
    """The sentences a sentence may take its subject and time from: the earlier sentences of its
    paragraph or, on a page that puts each sentence on a line of its own, the one-sentence paragraphs
    right before it (at most `limit`)."""
    prev = [x for x in by_para.get(s.para, ()) if x.index < s.index]
    if prev or s.headline:
        return prev  # a title-like line stands alone
    out: list[Sentence] = []
    p = s.para - 1
    while p >= 0 and len(out) < limit:
        ps = by_para.get(p, [])
        if len(ps) != 1 or ps[0].headline:
            break
        out.insert(0, ps[0])
        p -= 1
    return out


def _bucket(sents: list[Sentence], items: list) -> dict[int, list]:
    """Items (sorted by start) per sentence, in one pass."""
    import bisect

    starts = [x.start for x in sents]
    out: dict[int, list] = {x.index: [] for x in sents}
    for it in items:
        k = bisect.bisect_right(starts, it.start) - 1
        if k >= 0 and sents[k].start <= it.start < sents[k].end:
            out[sents[k].index].append(it)
    return out


def _pick_entity(
    s: Sentence,
    q: Quantity,
    sm: list[Mention],
    para_prev: list[Sentence],
    by_sent_m,
    ctx: DocContext,
    plan,
    text: str,
    all_mentions: list[Mention],
    allow_enterprise: bool = True,
) -> tuple[Entity | None, str | None, bool]:
    if plan is not None and plan.get("entity") is not None:
        m = plan["entity"]
        if m.entity is not None:
            return m.entity, m.written, False
        e, inf = _resolve_deictic(m, ctx, [x for x in all_mentions if x.end <= m.start])
        if e is not None:
            return e, m.written, inf
    cands = [m for m in sm if m.end <= q.start]
    # a benchmark in brackets right after a name: 郑州市平均增速(7.9%)
    if q.in_parens:
        near = [m for m in cands if q.start - m.end <= 8]
        if near:
            m = near[-1]
            if m.entity is not None:
                return m.entity, m.written, False
            e, inf = _resolve_deictic(m, ctx, [x for x in all_mentions if x.end <= m.start])
            return e, m.written, inf
        return None, None, False

    def usable(m: Mention) -> bool:
        if SKIP_BEFORE.search(text[max(0, m.start - 2) : m.start]) and not text[m.start - 1 : m.start] in "和与及":
            return False
        if text[m.end : m.end + 1] in ("、", "等") or text[m.start - 1 : m.start] == "、":
            return False  # an item of a list (依托A、B、C) is not the subject
        if m.deictic is None and m.anaphor is None and m.start > 0:
            prev = text[m.start - 1]
            glued = any(x.end == m.start for x in all_mentions)
            if (
                "\u4e00" <= prev <= "\u9fff"
                and prev not in STOP_CHARS
                and prev not in "年月日度后前中内外底末来以全除据如比较称指即暨到达至赴经随"
                and not glued
                and not re.search(r"(企业|龙头|公司|集团)$", text[max(0, m.start - 4) : m.start])
            ):
                return False  # inside a longer name (北大重庆研究院, 大众安徽)
        if SKIP_AFTER.match(text[m.end : m.end + 6]):
            return False
        if m.deictic in ("city", "district", "province") and DEICTIC_NOT_SUBJECT.match(text[m.end : m.end + 4]):
            return False
        if m.anaphor is None and m.entity is not None and m.entity.type == "enterprise":
            # the enterprise of the same clause, or the subject that opens the sentence with no other
            # name between it and the number (长安汽车两江工厂累计生产…,实现产值…)
            return allow_enterprise and (
                _same_clause(s, m.end, q.start, text)
                or (m.start - s.start <= 12 and not any(x.start >= m.end and x.end <= q.start for x in sm))
            )
        if m.anaphor is not None:
            return allow_enterprise
        return True

    def resolve(m: Mention, before: list[Mention]):
        if m.anaphor is not None:
            for pm in reversed(before):
                if pm.entity is not None and pm.entity.type == "enterprise":
                    return pm.entity, pm.written, False
            return None, None, False
        if m.entity is not None:
            return m.entity, m.written, False
        glued = [x for x in before if x.end == m.start and x.entity is not None and x.entity.type != "enterprise"]
        if glued:  # 巴南全区
            return glued[-1].entity, glued[-1].written, False
        e, inf = _resolve_deictic(m, ctx, before)
        return e, m.written, inf

    pool = [m for m in cands if usable(m)]
    if not pool and q.level:
        # 千亿元级别制造业产业集群正在西安逐渐形成: the place may follow
        pool = [m for m in sm if m.start >= q.end and m.entity is not None and usable(m)][:1]
    for m in reversed(pool):
        e, w, inf = resolve(m, [x for x in all_mentions if x.end <= m.start])
        if e is not None:
            return e, w, inf
    for ps in reversed(para_prev):
        pm = [m for m in by_sent_m[ps.index] if usable(m) and (m.entity is None or m.entity.type != "enterprise")]
        explicit = [m for m in pm if m.deictic is None]
        for m in reversed(explicit or pm):
            e, w, inf = resolve(m, [x for x in all_mentions if x.end <= m.start])
            if e is not None:
                return e, w, inf
    if ctx.main is not None:
        return ctx.main, None, True
    return None, None, False


def _project_entity(
    s: Sentence,
    q: Quantity,
    sm: list[Mention],
    para_prev: list[Sentence],
    by_sent_m,
    text: str,
    all_mentions: list[Mention],
) -> Mention | None:
    """The project or enterprise a project/enterprise figure belongs to: named in the sentence (or right
    after the number: 总投资…的X项目), through 该项目, or in the paragraph before."""

    def ent_of(m: Mention, before_pos: int) -> Mention | None:
        if m.entity is not None and m.entity.type == "enterprise":
            return m
        if m.anaphor is not None:
            prev = [
                x
                for x in all_mentions
                if x.end <= before_pos and x.entity is not None and x.entity.type == "enterprise"
            ]
            return prev[-1] if prev else None
        return None

    for m in [m for m in sm if m.end <= q.start and m.anaphor is not None]:
        e = ent_of(m, m.start)
        if e is not None:
            return e
    after = [m for m in sm if q.end <= m.start <= q.end + 2 and text[q.end : m.start] in ("", "的")]
    for m in after:
        e = ent_of(m, m.start)
        if e is not None:
            return e
    before = [m for m in sm if m.end <= q.start]
    for m in reversed(before):
        e = ent_of(m, m.start)
        if e is not None:
            return e
    if any(
        (m.entity is not None and m.entity.type != "enterprise") or (m.deictic and m.anaphor is None) for m in before
    ):
        return None  # 铜梁高新区新开工…项目26个…年产值: no enterprise, a place is the subject: its projects
    for ps in reversed(para_prev):
        for m in reversed(by_sent_m[ps.index]):
            e = ent_of(m, m.start)
            if e is not None:
                return e
    return None


def _same_clause(s: Sentence, a: int, b: int, text: str) -> bool:
    return not re.search(r"[,;。]", text[a:b])


def _amount_metric(
    q: Quantity,
    window: str,
    last_base,
    last_base_doc,
    ent: Entity | None,
    plan,
    subject: bool = True,
    sent_cluster: str | None = None,
    timed: bool = False,
) -> _Choice | None:
    value = q.value
    base = M.find_base(window)
    share = M.SHARE.search(window)
    if share and base and base[2] > share.start():
        base = M.find_base(window[: share.start()])
    growth = M.GROWTH.search(window[base[3] :] if base else window) or (base and re.search(r"(增速|增长)", base[1]))
    cluster = None
    template = None
    mzh = window.strip(",、")[-20:]
    if base and plan is not None and base[1] == "产量" and plan.get("item") and "产量" not in plan["item"]:
        # 新能源汽车、锂离子电池、服务器等新产品产量分别增长…: only vehicles are in the vocabulary
        item = plan["item"]
        if "新能源汽车" in item:
            base = ("nev_production",) + tuple(base[1:])
        elif not re.search(r"(汽车|整车|乘用车|商用车|轿车|车辆)$", item):
            return None
    if base and plan is not None and plan.get("cluster"):
        template, matched, bs, be = base
        cluster = plan["cluster"]
    elif base:
        template, matched, bs, be = base
        cluster_text = window[:bs]
        if M.ENTERPRISE_CLASS.search(re.sub(r"(分别|完成|实现|累计|达到|共|的)+$", "", cluster_text)):
            return None  # 大中型企业增加值增长…: a breakdown by size or ownership
        # a cluster must sit right before the measure, not behind a named place
        cluster = M.find_cluster(cluster_text)
        if cluster is None and matched.startswith("工业") and bs > 0 and "\u4e00" <= window[bs - 1] <= "\u9fff":
            # 食品及农产品加工业产值: the 工业 of the measure ends the industry's name (加工业)
            joined = M.find_cluster(cluster_text + "工业")
            if joined and joined.endswith("加工业"):
                cluster = joined
        bare = window[:be].strip()
        for pm in re.finditer(r"[\u4e00-\u9fff]{2,8}?(区|县|市)(?=实现|完成|累计)", bare):
            if _is_place(pm.group(0)):
                bare = bare.replace(pm.group(0), "", 1)
        if template.startswith("{IND}") and cluster is None and sent_cluster and sent_cluster in window[:bs]:
            cluster = sent_cluster  # 巴南区生物医药产业今年1-8月实现产值…: the industry before the time
        if (
            template.startswith("{IND}")
            and cluster is None
            and sent_cluster
            and re.fullmatch(
                r"[,、]?(今年|去年|全年|[一二三四]季度|上半年|下半年|前三季度|[\d\-—至]+月份?)?"
                r"(实现|完成|累计)?(产值|总产值|增加值)",
                bare,
            )
        ):
            cluster = sent_cluster
        if (
            template.startswith("{IND}")
            and cluster is None
            and last_base
            and last_base[1]
            and re.fullmatch(r"[,、]?(实现|完成)?(产值|总产值|增加值)", window[:be].strip())
        ):
            cluster = last_base[1]
    elif q.level:
        # 2000亿级先进材料产业集群 / 千亿级工业: what follows the size class says what it measures
        after_level = re.split(r"[,;。、“”]", q.after or "")[0]
        mt = re.match(r"^(元)?(的)?(.{0,16}?)(产业集群|产业基地|制造业基地|基地|集群|产业|工业|制造业)", after_level)
        if mt is None:
            return None
        if mt.group(4) == "工业" and not mt.group(3):
            template, cluster = "{IND}output", None
        else:
            template = "{IND}output"
            cluster = (
                mt.group(3) + ("" if mt.group(4) in ("产业集群", "集群", "基地", "产业基地") else mt.group(4))
            ).strip("的")
            cluster = re.sub(r"^(主导|支柱|特色|优势|现代|新兴)+", "", cluster) or None
            if cluster is None:
                # 两大千亿级主导产业集群: the clusters are listed before
                lst = re.sub(r"([两二三四五六七八九\d])(大|个)$", "", window)
                lst = (
                    re.split(r"(就是|是|打造|培育|建设|发展|形成)", lst)[0]
                    if re.search(r"(就是|是)", lst)
                    else re.split(r"(打造|培育|建设|发展|形成)", lst)[-1]
                )
                lst = re.sub(r"^(其中|正在|当前)+", "", lst)
                cluster = lst or "产业集群"
        if ent is not None and ent.type in ("enterprise", "enterprise_group"):
            return None
    else:
        if (last_base is not None and last_base[0] == "__blocked__") and not share:
            return None
        lead = re.sub(r"(同比|增长|增速|增幅|为|达到|达|分别|下降|比上年|较上年|上升|提高|回落).*$", "", window)
        lead = re.sub(r"(突破|达到|达|超过|超|实现|完成|为)$", "", lead)
        residual = re.sub(
            r"(其中|按不变价格计算|累计|实现|完成|全年|今年|上半年|一季度|前三季度|当月|[\d\-—至月份年季度]+|"
            r"总量|总额|规模|合计|共计|总计|两年平均|年均|平均|分别|均|也|继续|保持|较快|"
            r"全市|全区|全省|全县|我市|我区|,|、|“|”|\(|\)|"
            r"^(与|较|比|和)|相比|同期|末|底)",
            "",
            lead,
        )
        if re.search(r"(企业|项目|家|户|个)$", residual):
            return None  # the growth of a count (10亿以上企业增长130%) is not in the vocabulary
        cluster = M.find_cluster(lead) or (sent_cluster if not residual else None)
        if (
            residual
            and len(residual) >= 2
            and cluster is None
            and not (plan and plan.get("entity"))
            and not share
            and not _is_place(residual)
        ):
            return None  # 3D打印机设备增长67.7%: a product or an unknown measure
        if (
            q.unit in ("yuan", "usd")
            and not growth
            and not share
            and (last_base is None or last_base[0] == "__blocked__")
        ):
            # 平板显示及电子信息突破2700亿元: an industry named right before the verb is its output
            verb = re.search(r"(突破|达到|达|超过|超|实现|完成|为)$", window)
            lead_ind = _only_industries(window[: verb.start()].strip(",、")) if verb else None
            if lead_ind:
                return _Choice("industry_output", mzh, lead_ind, value)
        if last_base is not None and last_base[0] != "__blocked__":
            template = last_base[0]
            if template.startswith(("industrial_", "industry_")):
                template = "{IND}" + template.split("_", 1)[1]
            if cluster is None:
                cluster = last_base[1]
        elif (growth or share) and last_base_doc is not None and (subject or share or cluster or timed):
            template = last_base_doc[0]
            if template.startswith(("industrial_", "industry_")):
                template = "{IND}" + template.split("_", 1)[1]
        if template is None and not share:
            return None
        if q.unit != "percent" and not re.search(r"(总量|总额|规模|合计|共计|累计|总计)", window) and not growth:
            return None
    if share and q.unit == "percent":
        denom = window[share.start() :]
        b = template[5:] if template and template.startswith("{IND}") else template
        if template and template.startswith("{IND}"):
            b = "industrial_" + template[5:]
        if cluster is None and base is None and last_base is not None:
            cluster = last_base[1]
        if cluster is None and re.search(r"(全国|全省|全市|重庆市|省|市)", denom):
            head = re.split(r"[,、]", window[: share.start()])[-1]
            head = re.sub(r"(的)?(产量|出货量|产值|销量|规模|增加值|营业收入|总产值)$", "", head)
            head = re.sub(r"^.*(年|月|季度)", "", head)
            if (
                len(head) >= 2
                and not M.NOT_CLUSTER.match(head)
                and b in (None, "industrial_output", "industrial_value_added", "nev_production", "vehicle_production")
            ):
                cluster = M.find_cluster(head) or head
        city = "全市" + (f"|{ent.name}" if ent is not None and ent.type == "city" else "")
        if (
            cluster is None
            and re.search(rf"(全国|全省|{city})", denom)
            and not (ent is not None and ent.type == "city" and re.search(rf"({city})", denom))
        ):
            # (a city holds no share of its own total) 约占全市新能源汽车产量的四成: the industry is named in the total it is a share of
            inner = re.sub(
                rf"^占|^(全国|全省|{city})|(的)?(产量|出货量|产值|销量|规模|增加值|营业收入|总产值|比重|份额)*的?$",
                "",
                denom.strip(),
            )
            cluster = M.find_cluster(inner) if inner and not M.NOT_CLUSTER.match(inner) else None
        metric = _share_metric(b, denom, cluster, window)
        if metric is None:
            return None
        return _Choice(metric, mzh, cluster, value)
    if template is None:
        return None
    if template in ("tech_renovation_investment_share",):
        return _Choice(template, mzh, None, value) if q.unit == "percent" else None
    metric = _finish_metric(template, cluster, ent)
    if q.unit == "percent":
        if growth or not base:
            metric = metric + "_growth" if not metric.endswith("_growth") else metric
            if M.FALL.search(window):
                value = -abs(value)
        else:
            return None
    elif q.unit in ("yuan", "usd"):
        if metric.endswith(("_share", "_growth")):
            return None
    elif q.unit == "vehicle":
        if not metric.startswith(("vehicle_production", "nev_")):
            metric = "vehicle_production"
    if metric in ("vehicle_production", "nev_production") and q.unit not in ("vehicle",):
        return None
    if q.unit == "vehicle" and not metric.startswith(("vehicle", "nev")):
        return None
    measure_text = window if base is not None or not last_base or len(last_base) < 4 else last_base[3]
    if metric.startswith("industrial_tax") and not re.search(r"(工业|制造业|入库|实缴|规上)", measure_text):
        return None
    return _Choice(metric, mzh, cluster, value)


def _only_industries(phrase: str) -> str | None:
    """`phrase` without a leading place when the rest is nothing but industry names joined by 及/和/、
    (平板显示及电子信息, 新材料及精细化工); None otherwise."""
    p = phrase
    lead = re.match(r"^[\u4e00-\u9fff]{1,8}?(区|县|市|新区|园区|开发区)", p)
    if lead and _is_place(lead.group(0)):
        p = p[lead.end() :]
    p = re.sub(r"^(全区|全市|全县|全省|我区|我市|其中)", "", p)
    parts = [x for x in re.split(r"及|和|与|以及|、", p)]
    if not parts or not all(parts):
        return None
    for x in parts:
        mt = M.CLUSTER_SUFFIX.search(x) or M.CLUSTER_WORDS.search(x)
        if mt is None or M.NOT_CLUSTER.match(mt.group(1)) or len(x) > 10:
            return None
    return p


# Predicates that say how an industry is doing (…产业持续回暖, …制造业势头不减, …行业稳步增长): an industry
# leading a sentence with one of these is the sentence's subject.
DEVELOPING = (
    r"势头|发展|持续|保持|稳步|稳中|加速|快速|较快|增势|表现|回暖|回升|向好|平稳|迅猛|强劲|提速|领跑|"
    r"企稳|运行|态势|(?:仍|依然|依旧|继续|始终|已)?(?:是|成为)|受"
)
# a clause that only opens a breakdown (分行业看, 从结构看): the sentence's subject comes after it
BREAKDOWN_OPENER = re.compile(r"^(其中|(分|从|按)[\u4e00-\u9fff]{1,4}(看|来看|分))$")


def _sentence_cluster(s: Sentence, sm: list[Mention], st: list[TimeExpr], sq: list[Quantity], text: str) -> str | None:
    """An industry that is the subject of the whole sentence: [place][industry][time] verb …"""
    clauses = s.clauses()
    first_clause = clauses[0]
    start = s.start
    if len(clauses) > 1 and BREAKDOWN_OPENER.match(
        text[s.start + first_clause[0] : s.start + first_clause[1]].strip(",:")
    ):
        first_clause = clauses[1]
        start = s.start + first_clause[0]
        while start < s.end and text[start] in ",,:":
            start += 1
    end = s.start + first_clause[1]
    stops = [x.start for x in st if x.start > start] + [q.start for q in sq] + [end]
    a = start
    lead = [m for m in sm if m.start - s.start <= 12 and m.entity is not None]
    if lead:
        a = lead[0].end
    b = min(x for x in stops if x >= a) if any(x >= a for x in stops) else end
    seg = text[a:b]
    seg = re.split(r"(生产|实现|完成|累计|增长|同比|保持|达到|的)", seg)[0]
    lead = re.match(r"^([\u4e00-\u9fff“”]{2,14}?(产业集群|制造业|产业|行业|工业))(?=%s)" % DEVELOPING, seg)
    if lead and not M.NOT_CLUSTER.match(lead.group(1)) and not M.find_base(lead.group(1)):
        return lead.group(1)
    if not seg or M.find_base(seg):
        return None
    return M.find_cluster(seg)


def _comparison_ref(t: TimeExpr, text: str) -> bool:
    """较去年同期和一季度分别提高…: a time named only as the base of a comparison; 实现“十四五”规划目标:
    a plan named as a document, not as the span of a figure."""
    if (
        t.kind == "plan"
        and text[t.start : t.end].endswith("规划")
        and not re.match(r"(期间|以来|时期|末|实施以来)", text[t.end : t.end + 4])
    ):
        return True
    return bool(re.search(r"(较|比|与|同|相比|高于|低于)[^,;。]{0,6}$", text[max(0, t.start - 8) : t.start]))


def _is_place(t: str) -> bool:
    g = gazetteer()
    return bool(g.regex and g.regex.fullmatch(t)) or bool(re.fullmatch(r".{1,8}(区|县|市|省|新区|园区|地区|开发区)", t))


def _period(
    s: Sentence,
    q: Quantity,
    st: list[TimeExpr],
    para_prev,
    by_sent_t,
    metric: str,
    kind: str,
    window: str,
    before_sent: str,
    date,
    last_period,
    text: str,
) -> str | None:
    before = [t for t in st if t.end <= q.start and t.kind not in ("date", "compare")]
    cmp = [t for t in st if t.kind == "compare" and t.end <= q.start and t.start >= q.start - len(window) - 1]
    if cmp and cmp[-1].year and not re.search(r"同比", text[cmp[-1].end : q.start]):
        cur = [t for t in before if t.kind in ("year", "target_year") and t.explicit_year and t.start < cmp[-1].start]
        y2 = cur[-1].year if cur else (date.year if date else None)
        if y2:
            return f"{cmp[-1].year}..{y2}"
    # average growth over two years / over a plan
    if re.search(r"(两|2)年平均", window):
        base_t = [t for t in before if t.kind in ("year", "span", "month")]
        if base_t:
            p = period_of(base_t[-1], date) or ""
            y = p[:4]
        else:
            y = str(date.year) if date else "????"
        if y == "????" or not y.isdigit():
            return "????..????"
        return f"{int(y) - 1}..{y}"
    plan = [t for t in before if t.kind in ("plan", "years") and not _comparison_ref(t, text)]
    if "年均" in before_sent and plan:
        t = plan[-1]
        if t.kind == "plan" and (
            text[t.start : t.end].endswith("以来") or re.match(r"[”\"]?以来", text[t.end : t.end + 3])
        ):
            if date is not None and t.year <= date.year - 1 < t.y2:
                return f"{t.year}..{date.year - 1}"  # “十四五”以来 said in 2024: the years completed so far
        return period_of(t, date)
    if kind == "target":
        ty = [t for t in before if t.kind == "target_year" or (t.kind == "year" and t.explicit_year)]
        if plan and (not ty or plan[-1].start > ty[-1].start):
            return str(plan[-1].y2)
        if ty:
            return period_of(ty[-1], date)
    if metric in M.STOCK_COUNTS:
        upto = [t for t in st if t.kind == "target_year" and t.text.startswith(("截至", "截止")) and t.start < q.start]
        if upto:
            return as_of(date, str(upto[-1].year))  # 截至2023年底,…共有…家
        upto_m = [
            t
            for t in st
            if t.kind == "month"
            and t.start < q.start
            and re.search(r"(截至|截止到?)$", text[max(0, t.start - 3) : t.start])
        ]
        if upto_m:  # 截至6月底,…达到…家: a stock at the end of that month
            t = upto_m[-1]
            y = period_of(t, date)[:4]
            return f"as_of:{y}-{t.m1:02d}"
        years = [
            t
            for t in st
            if t.kind == "year" and (t.explicit_year or t.year == -1 or t.text == "全年") and t.start < q.start
        ]
        if years and years[-1].text == "全年":
            p = period_of(years[-1], date)
            if p and re.fullmatch(r"\d{4}", p):
                return as_of(date, p)  # 全年新增…,总数达到286家: the stock at the end of that year
            years = years[:-1]
        if (
            not years
            and re.search(r"(年末|年底)", text[s.start : q.start])
            and not re.search(r"\d{4}年(末|底)", text[s.start : q.start])
        ):
            # 年末全区规模以上工业企业416家 in a review of a year: the end of the year under review
            y = (
                last_period[:4]
                if last_period and re.fullmatch(r"\d{4}", last_period)
                else (str(date.year - 1) if date is not None and date.month <= 4 else None)
            )
            if y:
                return as_of(date, y)
        if years:
            y = str(years[-1].year) if years[-1].explicit_year else period_of(years[-1], date)
            if re.search(r"(总数|总量)", window):
                return as_of(date, y)
            return y
        return as_of(date)
    cands = [
        t
        for t in before
        if t.kind in ("span", "month", "year", "target_year", "plan", "years", "ytd") and not _comparison_ref(t, text)
    ]
    stock = None
    for mt in STOCK.finditer(text[s.start : q.start]):
        stock = mt
    if "_count" in metric:
        for mt in STOCK_COUNT.finditer(text[s.start : q.start]):
            if stock is None or mt.start() > stock.start():
                stock = mt
    if stock is not None and ";" in text[s.start + stock.end() : q.start]:
        stock = None  # the stock word belongs to an earlier part of the sentence
    if stock is not None and not cands:
        return as_of(date)
    if cands:
        t = cands[-1]
        # a bare month in a sentence that also names a year: the month belongs to that year
        p = period_of(t, date)
        if (
            t.kind == "year"
            and t.text == "今年"
            and kind == "actual"
            and date is not None
            and date.month < 12
            and p == str(date.year)
        ):
            # 今年,全区新认定…3个 said in November: the year so far, as 今年以来
            return f"{date.year}-01..{date.year}-{date.month:02d}"
        if t.kind == "ytd":
            upto = [
                x
                for x in st
                if x.kind == "month" and re.search(r"(截至|截止到?)$", text[max(0, x.start - 3) : x.start])
            ]
            if upto and p and p[:4].isdigit():  # 截至8月末,…今年以来新升规19户: the year so far is January to August
                return f"{p[:4]}-01..{p[:4]}-{upto[-1].m1:02d}"
        if t.kind == "year" and t.text == "全年" and kind == "target":
            return str(date.year) if date is not None else p  # 全年力争…: the year the goal is set for
        if t.kind in ("span", "month") and not t.explicit_year:
            yrs = [x for x in before if x.kind == "year" and x.explicit_year and x.end <= t.start]
            if yrs:
                y = yrs[-1].year
                p = f"{y}-{t.m1:02d}..{y}-{t.m2:02d}"
        return p
    for ps in reversed(para_prev):
        pt = [
            t
            for t in by_sent_t[ps.index]
            if t.kind in ("span", "month", "year", "plan", "years", "ytd")
            and not _comparison_ref(t, text)
            and not re.search(r"(当月|单月)", t.text or "")
        ]
        if pt:
            return period_of(pt[-1], date)
    if "_count" in metric or metric.startswith("new_"):
        if last_period and re.fullmatch(r"\d{4}", last_period):
            return last_period  # a review of a year (2023年,…。全市新增…家): that year
        return str(date.year) if date else "????"
    return last_period


def _quote_span(s: Sentence, q: Quantity, wstart: int, text: str) -> tuple[int, int]:
    """From the start of the clause that names the measure to the end of the quantity's clause."""
    rel_w, rel_q = wstart - s.start, q.end - s.start
    a, b = 0, len(s.text)
    for ca, cb in s.clauses():
        if ca <= rel_w <= cb:
            a = ca
        if ca <= rel_q <= cb:
            b = cb
            break
    qs, qe = s.start + a, s.start + b
    if (
        wstart > qs
        and re.search(r"[\d%]", text[qs:wstart])
        and (text[wstart : wstart + 1] == "、" or text[wstart - 1] == "、")
    ):
        qs = wstart  # an item of a list: quote the item
    m = re.search(r"[、,;。]", text[q.end : qe])
    if m and m.start() <= 6 and q.end - qs > 4:
        qe = q.end + m.start()
    while qs < qe and text[qs] in " ,;:、“":
        qs += 1
    while qe > qs and text[qe - 1] in " ,;:。、":
        qe -= 1
    return qs, qe


# ---------------------------------------------------------------------------------------- 分别 lists
LIST_SPLIT = re.compile(r"、|和|与|及|以及")


def _fenbie_plan(s: Sentence, sq: list[Quantity], text: str, sm: list[Mention] = ()) -> dict[int, dict]:
    """For each quantity listed after 分别, the window (and entity) it takes from the list before."""
    plans: dict[int, dict] = {}
    last_items: list[str] | None = None
    last_clusters: list | None = None
    for mt in re.finditer("分别", s.text):
        p = s.start + mt.end()
        vals = []
        for q in sq:
            if q.start < p or q.in_parens:
                continue
            gap = text[(vals[-1].end if vals else p) : q.start]
            if vals and not re.fullmatch(r"[、和及与,]?", gap):
                break
            if not vals and len(gap) > 12:
                break
            vals.append(q)
        if len(vals) < 2:
            continue
        n = len(vals)
        between = text[p : vals[0].start]
        for q in vals[1:]:
            if q.qualifier is None and vals[0].qualifier in ("over", "about", "at_least"):
                q.qualifier = vals[0].qualifier
        # the list: the clause text in front of 分别
        clause_start = s.start
        for a, b in s.clauses():
            if s.start + a <= s.start + mt.start() <= s.start + b:
                clause_start = s.start + a
        head = text[clause_start : s.start + mt.start()]
        head = re.sub(r"^.*?(其中|中)", "", head) if re.search(r"[、和]", head) else head
        if re.search(r"轻(工业)?[、和与及]重工业", head):
            continue  # 轻、重工业分别完成增加值…: a breakdown of the whole, not industries of the vocabulary
        items = [x for x in LIST_SPLIT.split(head) if x]
        if items:
            # A、B、C三大园区分别…: the count that sums the list up is not part of its last item
            summed = re.sub(
                r"[一二两三四五六七八九十\d]+(大|个|家|类)?(重点|主要|工业|产业|特色)?"
                r"(园区|区县|城市|产业集群|产业|行业|集群|板块|企业|地区|片区|区|县|市)$",
                "",
                items[-1],
            )
            if summed and summed != items[-1]:
                items[-1] = summed
        prev_q = [q for q in sq if q.end <= s.start + mt.start() and not q.descriptor]
        if len(items) == n:
            # the tail the last item shares with the others (产值, 占全市的比重)
            last = items[-1]
            cut = len(last)
            sh = M.SHARE.search(last)
            base = M.find_base(last)
            if sh:
                cut = sh.start()
            elif base:
                cut = base[2]
            if all(M.find_base(x) for x in items[:-1]) and base and not sh:
                cut = len(last)  # 产值、增加值分别…: every item names its own measure, nothing is shared
            tail = last[cut:]
            items[-1] = last[:cut]
            last_items = items
            clusters_here: list = []
            # where each item sits, to find the place it names
            pos, spans = clause_start + (len(text[clause_start : s.start + mt.start()]) - len(head)), []
            for it in items:
                k = text.find(it, pos)
                spans.append((k, k + len(it)))
                pos = k + len(it) if k >= 0 else pos
            for i, q in enumerate(vals):
                a, b = spans[i]
                ents = [m for m in sm if a <= m.start and m.end <= b and (m.entity or m.deictic)]
                item = items[i] if not ents else items[i][ents[-1].end - a :]
                item_cl = re.sub(r"^(规模以上|规上|其中)", "", item)
                cl = None
                if (
                    not ents
                    and item_cl
                    and not M.find_base(item_cl)
                    and not M.SHARE.search(item_cl)
                    and not M.find_count_metric(item_cl)
                    and len(item_cl) <= 14
                ):
                    cl = item_cl  # 轻、重工业 / 材料产业和电子产业: the items are industries
                plans[id(q)] = {
                    "window": item + tail + between,
                    "item": items[i],
                    "entity": ents[-1] if ents else None,
                    "cluster": cl,
                }
                clusters_here.append(cl)
            last_clusters = clusters_here
            continue
        if last_items and len(last_items) == n:
            for i, q in enumerate(vals):
                plans[id(q)] = {
                    "window": last_items[i] + head + between,
                    "item": last_items[i],
                    "cluster": last_clusters[i] if last_clusters else None,
                }
            continue
        if len(prev_q) >= n:
            # 营业收入761亿元、利润总额31亿元,分别增长18.5%、135.2%
            src = prev_q[-n:]
            for i, q in enumerate(vals):
                w0 = text[max(s.start, (prev_q[-n - 1].end if len(prev_q) > n and i == 0 else s.start)) : src[i].start]
                w0 = re.split(r"[、,]", w0)[-1]
                plans[id(q)] = {"window": w0 + between, "item": w0}
            continue
        # search the earlier clauses for a list of n items
        for a, b in reversed(s.clauses()):
            seg = s.text[a:b]
            if b > mt.start():  # only clauses before the one that says 分别
                continue
            seg = re.sub(r"^.*?(其中|中)", "", seg)
            seg = re.split(r"(实现|完成|保持|增长|达到)", seg)[0]
            its = [x for x in LIST_SPLIT.split(seg) if x]
            if len(its) == n:
                last_items = its
                for i, q in enumerate(vals):
                    cl = its[i] if not M.find_base(its[i]) and not M.find_count_metric(its[i]) else None
                    plans[id(q)] = {"window": its[i] + head + between, "item": its[i], "cluster": cl}
                break
    # entities named in list items
    return plans


def _dedupe(facts: list[Fact], sents: list[Sentence]) -> list[Fact]:
    out: list[Fact] = []
    seen: dict[tuple, int] = {}
    head_spans = [(s.start, s.end) for s in sents if s.headline]

    def is_head(f):
        return any(a <= f.span[0] < b for a, b in head_spans)

    counts: dict[tuple, int] = {}
    for f in facts:
        key = (f.entity, f.metric, round(f.value, 6), f.period, f.kind, f.span)
        counts[key] = counts.get(key, 0) + 1
    explicit_vals = {(f.entity, round(f.value, 6), f.period, f.unit) for f in facts if getattr(f, "explicit", True)}
    facts = [
        f
        for f in facts
        if getattr(f, "explicit", True) or (f.entity, round(f.value, 6), f.period, f.unit) not in explicit_vals
    ]
    emitted: dict[tuple, int] = {}
    body_keys = {(f.entity, f.metric, round(f.value, 6), f.kind) for f in facts if not is_head(f)}
    body_vals: dict[tuple, list[float]] = {}
    for f in facts:
        if not is_head(f):
            body_vals.setdefault((f.entity, f.metric, f.period, f.kind), []).append(f.value)
    for f in facts:
        k5 = (f.entity, f.metric, round(f.value, 6), f.period, f.kind)
        if is_head(f) and (f.entity, f.metric, round(f.value, 6), f.kind) in body_keys:
            continue
        if (
            is_head(f)
            and f.qualifier in ("over", "about", "at_least")
            and any(
                v and abs(v - f.value) <= 0.1 * abs(v)
                for v in body_vals.get((f.entity, f.metric, f.period, f.kind), [])
            )
        ):
            continue  # the headline's round figure (突破1700亿元) of the body's exact one (1726.4亿元)
        kspan = k5 + (f.span,)
        if k5 in seen and seen[k5] != f.span:
            continue  # the same fact stated again elsewhere
        seen.setdefault(k5, f.span)
        emitted[kspan] = emitted.get(kspan, 0) + 1
        if emitted[kspan] > counts[kspan]:
            continue
        out.append(f)
    return out
