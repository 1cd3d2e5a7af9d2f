"""The article's subject: the places (and the company) an article is about, the short names it calls them by, and
what 全区, 该区, 本市, a bare 高新区 point at.

`main_entities` weighs the places a text names (its title's, the ones it names most, the publishing government
site's) into the DocContext every figure falls back to; `link_aliases`, `short_park_names` and
`short_district_names` tie the text's short forms to the names they stand for; `resolve_deictic` turns a
deictic (全区, 该区, 我县) or a bare zone word into the entity it points at. One figure's own subject is decided
in subject.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import clean as C
from .entities import NOT_PLACE_AFTER, Mention, city_votes, find_mentions
from .gazetteer import Entity, Gazetteer
from .site import gov_labels, site_of

ZONE_FULL = {"经开区": "经济技术开发区", "高新区": "高新技术产业开发区"}


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
