"""Who a figure belongs to: the entity decision.

An article is about a place (its main entity: the place it names most, its title's, or the publishing
government site's); 全区/全市/我县 point at it. A figure belongs to the nearest usable name before it in
its clause or sentence, else to the subject of the sentences before it in the paragraph, else to the
article's main entity. What a name can be the subject of depends on what it is:

  - a company is the subject of its own measures (产值, 营收, 入库税金, 销量, a project's investment and
    output) and of nothing else: in 该企业…带动全区X产业实现产值N亿元 the N is the district's;
  - a park's figures are the park's, not its district's (全区 inside a park article is the district);
  - a benchmark in brackets (高于全市平均增速(5.1%)) is the benchmark place's figure;
  - a stated group of firms (5家龙头企业) is an `enterprise_group`.

`provisional(c)` picks the entity before the metric is known; `settle(c)` revisits it once the metric
is (a company's output, a project's investment, a park's tax), and may move the metric between a
company's and a place's measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import clean as C
from . import metrics as M
from .clause import BLOCKED
from .entities import NOT_PLACE_AFTER, STOP_CHARS, Mention, city_votes, find_mentions, introduced_firm
from .gazetteer import Entity, Gazetteer
from .site import gov_labels, site_of

ZONE_FULL = {"经开区": "经济技术开发区", "高新区": "高新技术产业开发区"}
SKIP_BEFORE = re.compile(r"(占|于|比|较|居|向|对|从|与|同|和|及|超过|高于|低于|赴|到|在|作为)$")
# 全区/全市 as the subject (全区技改投资…, 全市规上工业…), not as a modifier (全市领军企业)
DEICTIC_NOT_SUBJECT = re.compile(
    r"^([“\"]|领军|链主|首个|首位|第|平均|各|区县|城市|同类|排名|前列|之首|市级|区级|重点|龙头|"
    r"范围|上下|人民)"
)
SKIP_AFTER = re.compile(r"^(的?第|首位|首个|前列|之首|平均水平|城市第|区县第|各区县)")
# Projects brought in (signed, introduced, settled): their total investment is investment attracted.
INTRODUCED = re.compile(r"(签约|引进|引入|招引|招商|落户|落地)[^。;]{0,30}项目|项目[^。;]{0,6}(签约|落户|落地)")
BRAND_SUBJECT = re.compile(r"^[^,。;]{0,4}?([\u4e00-\u9fff]{2,4}(?:汽车|集团))(?=[^,。;]{0,14}(销量|产值))")
BENCHMARK = re.compile(
    r"(高于|低于|快于|慢于|超过|超出|较|比)(?P<who>[^,;。()]{1,8}?)(的)?(平均)?(增速|增幅|水平|平均水平)?\s*[(（]$"
)
# a stated set of firms whose own figure follows (5家龙头企业累计产值…, 45家规模以上工业专精特新企业实现产值…);
# all the firms above designated size (134家规模以上工业企业实现总产值…) are the place's industry, not a group
GROUP = re.compile(
    r"(\d+|[一二三四五六七八九十]+)(家|户)(?P<kind>[\u4e00-\u9fff“”]{0,14}?)企业"
    r"(?=[^,;。]{0,6}?(实现|完成|累计|合计|共计|产值|营收|营业收入|销售|入库|税))"
)
GROUP_LEAD = re.compile(r"(\d+|[一二三四五六七八九十]+)(家|户)(?P<kind>[\u4e00-\u9fff“”]{0,14}?)企业(?=[,,]$)")
WHOLE_INDUSTRY = re.compile(r"^(规模以上|规上|规模)?(工业)?$")
# measures a company (or a named project) is the subject of
COMPANY_MEASURES = (
    "project_output",
    "project_investment",
    "enterprise_output",
    "enterprise_output_growth",
    "nev_sales",
    "nev_sales_growth",
)


@dataclass
class DocContext:
    """The article's main entities: the local one (district or park), its city and province, and the one
    全区/全市 and unattributed figures fall back to."""

    date: object
    g: Gazetteer
    main_local: Entity | None
    main_city: Entity | None
    main_province: Entity | None
    main: Entity | None
    parks_seen: list[Entity] = field(default_factory=list)
    main_district: Entity | None = None
    title_firm: Mention | None = None  # the company the title names (该公司 of a text that names it nowhere else)


# ---------------------------------------------------------------------------------------- names in the text
def link_aliases(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "(以下简称“X”)": X is another name for the entity just before."""
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
    return mentions


def short_park_names(mentions: list[Mention]) -> None:
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


def short_district_names(text: str, mentions: list[Mention], g: Gazetteer) -> list[Mention]:
    """Two-character short names of districts outside the pack (武侯 for 武侯区) are too ambiguous to be
    names on their own; once the article has named the district in full they name it too."""
    full = {
        m.entity.name: m.entity
        for m in mentions
        if m.entity is not None and m.entity.type == "district" and m.entity.source == "jionlp"
    }
    if not full or not g.vote_names:
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


# ---------------------------------------------------------------------------------------- the article's subject
def main_entities(art, mentions: list[Mention], g: Gazetteer) -> DocContext:
    counts: dict[Entity, float] = {}
    first: dict[Entity, int] = {}
    # the title is cleaned like the body (glosses, traditional characters) before names are looked up
    title_ments = find_mentions(C.clean(art.title).text, g) if art.title else []
    park_starts = {m.start for m in title_ments if m.entity is not None and m.entity.type == "park"}

    def title_weight(m: Mention) -> float:
        # 江津区德感工业园上半年经济运行: the park written after its district is what the title is about
        return 0.5 if m.entity is not None and m.entity.type == "district" and m.end in park_starts else 2.0

    for m, w in [(m, 1.0) for m in mentions] + [(m, title_weight(m)) for m in title_ments]:
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
        elif local.source == "pack" and g.root is not None:
            city = g.root
        elif local.source == "form":
            city = _city_of_name(local.name, g)  # 上饶经济技术开发区: 上饶市's; 璧山高新区: the pack's city
    if city is None:
        votes = city_votes(art.clean.text, g, mentions)
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
    if local is None and city is None and art.clean.meta.get("chrome"):
        # a page whose text names no place at all, while its furniture (the site's name, the menu) does: the
        # publisher, as a site's address would say (the most named district or park there, else its city)
        shown: dict[Entity, int] = {}
        for m in find_mentions(art.clean.meta["chrome"], g):
            if m.entity is not None and m.entity.type in ("district", "park", "city"):
                shown[m.entity] = shown.get(m.entity, 0) + 1
        locals_ = [e for e in shown if e.type != "city"]
        if locals_:
            local, from_site = max(locals_, key=lambda e: shown[e]), True
            city = g.root if local.source == "pack" else g.names.get(local.parent_city or "")
        elif shown:
            city = max(shown, key=lambda e: shown[e])
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
    if (
        main is None
        and city is None
        and g.root is not None
        and any(m.deictic == "city" for m in mentions)
        and all(lab.startswith(g.site_prefix or "\0") for lab in gov_labels(art.address)[:1])
    ):
        # a page that names no place at all and speaks of 全市 (a communiqué's later page): the pack's city
        main = city = g.root
    if site_district is not None:
        main = site_district
    district = site_district or park_district(local, g) or best(("district",))
    firms = [m for m in title_ments if m.entity is not None and m.entity.type == "enterprise"]
    return DocContext(
        art.published, g, local, city, province, main, main_district=district, title_firm=firms[0] if firms else None
    )


def _city_of_name(name: str, g: Gazetteer) -> Entity | None:
    """The city a name found by its form starts with (上饶经济技术开发区 → 上饶市, 璧山高新区 → the pack's
    city), or None."""
    mt = g.regex.match(name) if g.regex is not None else None
    if mt is None or mt.end() >= len(name):
        return None
    e = g.names[mt.group(0)]
    if e.type == "city":
        return e
    if e.source == "pack":
        return g.root
    return g.names.get(e.parent_city) if e.parent_city else None


def park_district(park: Entity | None, g: Gazetteer) -> Entity | None:
    """The district a park is named after (荣昌工业园区 is 荣昌区's, 梁平工业园区 梁平区's), if any."""
    if park is None or park.type != "park" or g.regex is None:
        return None
    mt = g.regex.match(park.name)
    e = g.names[mt.group(0)] if mt else None
    return e if e is not None and e.type == "district" and mt.end() < len(park.name) else None


def _short_place(name: str) -> str:
    """The short name of a district or county the way park names use it: 荣昌区 → 荣昌, 忠县 → 忠县,
    石柱土家族自治县 → 石柱."""
    if name.endswith("自治县"):
        return name[:2]
    short = re.sub(r"(区|县)$", "", name)
    return short if len(short) >= 2 else name


def _own_park(ctx: DocContext, word: str) -> Entity | None:
    """The one park of the pack in the article's district whose name ends with `word` (高新区, 经开区 …)."""
    local = ctx.main_local
    if local is None or local.type != "district" or not local.code:
        return None
    own = [
        p
        for p in ctx.g.parks_in.get(local.code, ())
        if p.name.endswith(word) or p.name.endswith(ZONE_FULL.get(word, word))
    ]
    return own[0] if len(own) == 1 else None


def resolve_deictic(
    m: Mention, ctx: DocContext, mentions_before: list[Mention], look_back: bool = True
) -> tuple[Entity | None, bool]:
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
        whole = {"全市": ctx.main_city, "全省": ctx.main_province}.get((m.written or "")[:2])
        if whole is not None and word in ("工业园区", "园区", "产业园区", "开发区"):
            # 全市工业园区: a city's parks taken together are one park entity (news-dev's convention)
            name = whole.name + word
            return ctx.g.names.get(name) or Entity(name, "park", None, source="form"), True
        for i in range(len(mentions_before) - 1, -1, -1):
            pm = mentions_before[i]
            if (
                pm.entity is not None
                and pm.entity.type == "park"
                and (pm.entity.name.endswith(word) or word in ("园区", "核心区"))
            ):
                return pm.entity, False
            if (
                look_back
                and pm.entity is None
                and (pm.deictic or "").startswith("park:")
                and pm.written != m.written
                and (pm.deictic.endswith(word) or word in ("园区", "核心区"))
            ):
                # 该县工业园区…。园区…: the park named so (the nearest one only, read without looking further back)
                look_back = False
                e, _ = resolve_deictic(pm, ctx, mentions_before[:i], look_back=False)
                if e is not None and e.type == "park":
                    return e, False
        if (
            ctx.main_local is not None
            and ctx.main_local.type == "park"
            and (ctx.main_local.name.endswith(word) or ctx.main_local.name.endswith(ZONE_FULL.get(word, word)))
        ):
            return ctx.main_local, ctx.main_local.source == "site"
        own = _own_park(ctx, word)
        if own is not None:
            # 该区高新区, 区内高新区 in a district's article: the district's zone, if the pack knows it
            return own, False
        if word in ("工业园区", "工业园") and ctx.main_local is not None and ctx.main_local.type == "district":
            # 我县工业园区, 县工业园区 of a county whose park the text never names: the park named after the
            # county's short name, as parks are (news-dev: 荣昌县工业园区 → 荣昌工业园区)
            name = _short_place(ctx.main_local.name) + word
            return ctx.g.names.get(name) or Entity(name, "park", None, source="form"), False
        if (
            word in ("高新区", "经开区")
            and ctx.main_city is not None
            and ctx.main is not None
            and (
                ctx.main is ctx.main_city
                or (ctx.main.type == "park" and ctx.main.name.startswith(re.sub(r"市$", "", ctx.main_city.name)))
            )
        ):
            # (an article about a city's parks together, 全市工业园区…其中经开区…: the city's zone too)
            # 其中高新区增长9.6% in an article about a city: that city's zone (成都高新区)
            name = re.sub(r"市$", "", ctx.main_city.name) + word
            return ctx.g.names.get(name) or Entity(name, "park", None, source="form"), False
        return None, False
    return None, False


# ---------------------------------------------------------------------------------------- one figure's subject
UNRESOLVED = Entity("", "enterprise", source="form")  # 该企业 whose company the text does not name in a form read


def pick(c, allow_enterprise: bool = True) -> tuple[Entity | None, str | None, bool]:
    """(entity, as written, inferred) for the clause's figure: a name before it, the paragraph's subject,
    or the article's main entity."""
    doc, q, text = c.doc, c.q, c.doc.text
    sm, ctx, plan = c.st.mentions, doc.ctx, c.plan
    if plan is not None and plan.get("entity") is not None:
        m = plan["entity"]
        if m.entity is not None:
            return m.entity, m.written, False
        e, inf = resolve_deictic(m, ctx, doc.before(m.start))
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
            e, inf = resolve_deictic(m, ctx, doc.before(m.start))
            return e, m.written, inf
        return None, None, False

    def usable(m: Mention) -> bool:
        if (
            SKIP_BEFORE.search(text[max(0, m.start - 2) : m.start])
            and text[m.start - 1 : m.start] not in "和与及"
            and not (text[m.start - 1 : m.start] == "在" and m.start - 1 == c.sent.start and text[m.end] in ",,")
        ):
            return False  # (在璧山高新区,今年…: the place the sentence opens with is its subject)
        if text[m.end : m.end + 1] in ("、", "等") or (
            text[m.start - 1 : m.start] == "、"
            and not re.search(r"[\d%元家户个辆]$", text[max(0, m.start - 2) : m.start - 1])
        ):
            return False  # an item of a list (依托A、B、C) is not the subject; (A增长12%、B增长10%: B's own figure)
        if m.deictic is None and m.anaphor is None and m.start > 0:
            prev = text[m.start - 1]
            glued = m.start in doc.mention_ends
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
                not re.search(r"[,;。]", text[m.end : q.start])
                or (m.start - c.sent.start <= 12 and not any(x.start >= m.end and x.end <= q.start for x in sm))
            )
        if m.anaphor is not None:
            return allow_enterprise
        return True

    def resolve(m: Mention, before: list[Mention]):
        if m.anaphor is not None:
            for pm in reversed(before):
                if pm.entity is not None and pm.entity.type == "enterprise":
                    return pm.entity, pm.written, False
            if ctx.title_firm is not None and m.anaphor == "enterprise":
                return ctx.title_firm.entity, ctx.title_firm.written, False  # 该公司 of the company the title names
            if m.anaphor == "enterprise":
                firm = introduced_firm(doc, m.start)
                if firm is not None:
                    return Entity(firm, "enterprise", None, source="form"), firm, False
                return UNRESOLVED, None, False
            return None, None, False
        if m.entity is not None:
            return m.entity, m.written, False
        glued = [x for x in before if x.end == m.start and x.entity is not None and x.entity.type != "enterprise"]
        if glued:  # 巴南全区
            return glued[-1].entity, glued[-1].written, False
        e, inf = resolve_deictic(m, ctx, before)
        return e, m.written, inf

    pool = [m for m in cands if usable(m)]
    if not pool and q.level:
        # 千亿元级别制造业产业集群正在西安逐渐形成: the place may follow
        pool = [m for m in sm if m.start >= q.end and m.entity is not None and usable(m)][:1]
    for m in reversed(pool):
        e, w, inf = resolve(m, doc.before(m.start))
        if e is UNRESOLVED:
            return None, None, False  # 该企业 of a company the reader cannot name: not the place's figure
        if e is not None:
            return e, w, inf
    for ps in reversed(c.st.para_prev):
        pm = [m for m in doc.by_sent_m[ps.index] if usable(m) and (m.entity is None or m.entity.type != "enterprise")]
        explicit = [m for m in pm if m.deictic is None]
        for m in reversed(explicit or pm):
            e, w, inf = resolve(m, doc.before(m.start))
            if e is not None:
                return e, w, inf
    if ctx.main is not None:
        return ctx.main, None, True
    return None, None, False


def provisional(c) -> None:
    """The entity before the metric is known (a company's measures need it), into c.entity."""
    c.entity, c.written, c.inferred = pick(c)
    st = c.st
    if st.facts and (c.entity is None or c.entity.type != "enterprise") and c.plan is None:
        prevf = st.facts[-1][0]
        if (
            prevf.entity_type in ("enterprise", "enterprise_group")
            and not prevf.entity.endswith("项目")
            and not any(
                prevf.span[1] <= m.start < c.q.start and (m.entity is not None or m.deictic) for m in st.mentions
            )
        ):
            # 锐澜新材去年实现产值168亿元,入库税金6.3亿元: the company (or the group) stays the subject
            c.entity, c.written, c.inferred = (
                Entity(prevf.entity, prevf.entity_type, prevf.entity_code, source="form"),
                prevf.entity_as_written,
                False,
            )


def project_owner(c) -> Mention | None:
    """The project or enterprise a project/enterprise figure belongs to: named in the sentence (or right
    after the number: 总投资…的X项目), through 该项目, or in the paragraph before."""
    doc, q, text, sm = c.doc, c.q, c.doc.text, c.st.mentions

    def ent_of(m: Mention, before_pos: int) -> Mention | None:
        if m.entity is not None and m.entity.type == "enterprise":
            return m
        if m.anaphor is not None:
            prev = [x for x in doc.before(before_pos) if x.entity is not None and x.entity.type == "enterprise"]
            return prev[-1] if prev else (doc.ctx.title_firm if m.anaphor == "enterprise" else None)
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
    for ps in reversed(c.st.para_prev):
        for m in reversed(doc.by_sent_m[ps.index]):
            e = ent_of(m, m.start)
            if e is not None:
                return e
    return None


def settle(c) -> bool:
    """Revisit c.entity once the metric (c.choice) is known; may move the metric between a company's and a
    place's measure. False: the figure has no owner the schema knows (it is left out)."""
    q, text, choice, doc = c.q, c.doc.text, c.choice, c.doc
    s = c.sent
    ent = c.entity
    listed = c.plan.get("entity") if c.plan else None
    if (
        choice.metric in COMPANY_MEASURES
        and listed is not None
        and listed.entity is not None
        and listed.entity.type == "enterprise"
    ):
        pass  # the company a 分别 list hands the figure (三一集团、山河智能…产值分别增长…)
    elif choice.metric in COMPANY_MEASURES:
        pent = project_owner(c)
        brand = (
            BRAND_SUBJECT.match(text[s.start : q.start])
            if pent is None and choice.metric.startswith(("nev_sales", "enterprise_output"))
            else None
        )
        if pent is not None:
            c.entity, c.written, c.inferred = pent.entity, pent.written, False
        elif brand is not None and not doc.g.is_place(brand.group(1)[:-2]):
            # 长安汽车上半年新能源汽车销量…: a carmaker's brand opening the sentence (sales are a firm's)
            c.entity, c.written, c.inferred = Entity(brand.group(1), "enterprise", None, source="form"), None, False
        elif choice.metric == "project_investment":
            if not INTRODUCED.search(text[s.start : q.start]) or c.st.last_base == BLOCKED:
                # the total investment of a set of started projects, or of the figure left out just before
                # it (投资机会清单29个项目,总投资…), is not annotated
                return False
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
        and c.written
    ):
        # 凯纳光电去年产值增长23.5%: the output of a company named as the subject
        choice.metric = choice.metric.replace("industrial_output", "enterprise_output")
    elif ent is not None and ent.type == "enterprise":
        # an enterprise is the subject only of enterprise and project measures
        alt, written2, inf2 = pick(c, allow_enterprise=False)
        if alt is None:
            return False
        c.entity, c.written, c.inferred = alt, written2, inf2
    bench = BENCHMARK.search(text[max(0, q.start - 16) : q.start]) if q.in_parens else None
    if bench:
        # 高于全市平均增速(5.1%): the benchmark's own figure, of the place it names
        who = [m for m in c.st.mentions if q.start - 16 <= m.start < q.start and (m.entity is not None or m.deictic)]
        if who and who[-1].entity is not None and who[-1].entity.type != "enterprise":
            c.entity, c.written, c.inferred = who[-1].entity, who[-1].written, False
        elif who and who[-1].deictic in ("city", "province"):
            e2, _ = resolve_deictic(who[-1], doc.ctx, [])
            if e2 is not None:
                c.entity, c.written, c.inferred = e2, who[-1].written, True
    sent_facts = c.st.facts
    if q.in_parens and sent_facts and re.search(r"(去年同期|上年同期)\s*[(（]?$", text[max(0, q.start - 8) : q.start]):
        prevf = sent_facts[-1][0]  # 较去年同期(4.1%): the same place a year earlier
        c.entity, c.written, c.inferred = (
            Entity(prevf.entity, prevf.entity_type, prevf.entity_code),
            None,
            prevf.entity_inferred,
        )
    ent = c.entity
    if ent is None:
        return False
    if (
        ent.type == "park"
        and choice.metric == "industrial_tax"
        and not re.search(r"(工业|规上|规模以上)", c.clause_text)
    ):
        choice.metric = "tax_revenue"  # a park's total tax
    if choice.metric == "industrial_tax_growth" and sent_facts and sent_facts[-1][0].metric == "tax_revenue":
        choice.metric = "tax_revenue_growth"
    grp = GROUP.search(c.clause_text)
    if grp is None and re.match(r"(共|累计|合计|共计)?(实现|完成)", c.clause_text):
        # 入驻园区共计6家总部结算平台企业,实现入库税金6567万元: the group closing the clause before is the subject
        grp = GROUP_LEAD.search(text[c.sent.start : c.clause_start])
    if grp and WHOLE_INDUSTRY.match(grp.group("kind")):
        grp = None
    if ent.type == "enterprise_group" and M.SHARE.search(c.window):
        return False  # a group's share of the total is left out
    if grp and ent.type not in ("enterprise", "enterprise_group"):
        if M.SHARE.search(c.window):
            return False
        c.entity = Entity(ent.name + grp.group(0), "enterprise_group", None, source="form")
        c.written = None
        if choice.metric.startswith(("industrial_output", "industry_output")):
            choice.metric = choice.metric.replace("industrial_output", "enterprise_output").replace(
                "industry_output", "enterprise_output"
            )
            choice.cluster = None
        if choice.metric == "industrial_tax" and not re.search(r"(工业|规上|规模以上)", c.clause_text):
            choice.metric = "tax_revenue"  # a group's 入库税金, as a company's
    if choice.metric in ("enterprise_output", "enterprise_output_growth") and c.entity.type not in (
        "enterprise",
        "enterprise_group",
    ):
        choice.metric = choice.metric.replace("enterprise_output", "industrial_output")
    return True
