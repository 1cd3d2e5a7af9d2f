"""Who a number belongs to: regions, parks and enterprises named in the text.

Place names come from data, never from code: the policy pack (its regions with their aliases and
its parks) and, for places outside the pack, jionlp's offline table of Chinese administrative
divisions. Parks and enterprises the pack does not know are recognised by their form
(…高新区, …工业园区, …有限公司, …项目). Implicit references (全区, 全市, 我市, 该区, 新区) are
resolved later against the article's main entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import DEICTIC, Entity, Gazetteer, gazetteer  # noqa: F401  (gazetteer: the entry point for callers)

# A generic park word used alone for the park the article is about.
PARK_SUFFIXES = [
    "高新技术产业开发区",
    "经济技术开发区",
    "高新区",
    "经开区",
    "开发区",
    "工业园区",
    "工业园",
    "产业园区",
    "产业园",
    "科技城",
    "科学城核心区",
    "核心区",
    "直管区",
    "新城",
    "新区",
    "园区",
    "示范区",
    "保税区",
    "经济区",
    "微电园",
    "电子园",
    "物流园",
    "港区",
    "工业集中区",
    "产业基地",
    "科学城",
    "试验区",
]
PARK_BARE = {"新区", "园区", "高新区", "经开区", "开发区", "工业园区", "工业园", "科学城", "经济区", "核心区"}
ENTERPRISE_SUFFIXES = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "项目",
    "制造基地",
    "生产基地",
    "工厂",
]
# 工厂 after these is a kind of factory (智能工厂, 数字化工厂), not a named plant
GENERIC_FACTORY_HEADS = re.compile(
    r"(智能|智能化|智慧|数字化|数字|示范|灯塔|绿色|标杆|无人|未来|黑灯|透明|超级|国家级|市级|省级|级)$"
)
STOP_CHARS = set(
    "度占比较的在于和与及、,。;:!?“”\"'《》是了到从为由将对向把被让使等其该本各年月日号共也还又并已再"
    "就都而且且如若至以之此这那有个家户项批即"
)
STOP_WORDS = re.compile(
    r"(季度|上半年|下半年|今年|去年|拉动|提高|增长|新增|落户|入驻|位于|打造|建设|推动|依托|发展|走进|围绕|立足|签约|签下|引入|引进|实施|加快|推进|"
    r"新开工|开工|竣工|投产|完成|实现|成为|作为|支持|带动|聚焦|目前|其中|同时|此外|包括|全市|全区|"
    r"重点|主要|一批|多个|优秀|新兴)$"
)
GENERIC_PROJECT_HEADS = re.compile(
    r"^(工业|重点|续建|在建|新建|签约|开工|竣工|产业|引领性|重大|该|这|此|一批|其他|"
    r"各类|整机生产|生产|制造业|水电气暖|建设|投资|招商|智能化改造|技改|改造|示范|"
    r"龙头|配套|同类|新|大|小|亿元|百亿|千亿)?$"
)


@dataclass
class Mention:
    start: int
    end: int
    written: str
    entity: Entity | None = None
    deictic: str | None = None  # city | province | district | park (resolved per article)
    anaphor: str | None = None  # 'project' for 该项目, 'enterprise' for 该公司


# ---------------------------------------------------------------------------------------- finding
PARK_RX = re.compile("|".join(re.escape(s) for s in sorted(PARK_SUFFIXES, key=len, reverse=True)))
ENT_RX = re.compile("|".join(re.escape(s) for s in sorted(ENTERPRISE_SUFFIXES, key=len, reverse=True)))
DEICTIC_RX = re.compile("|".join(sorted(DEICTIC, key=len, reverse=True)))
ANAPHOR_RX = re.compile(r"(该项目|此项目|这个项目|项目一期|该[一二三四五]期项目|该公司|该企业|该集团|该工厂|该基地)")
# After these a name is not a place (江北嘴, 长寿命 …): one more character glued to the name.
NOT_PLACE_AFTER = re.compile(
    r"^(嘴|路|街|桥|村|镇|乡|湖|山|江|河|站|港|机场|大道|广场|中学|小学|大学|医院|银行|品牌|牌|造)"
)


def _extend_left(text: str, pos: int, limit: int = 12, floor: int = 0) -> int:
    """Walk left from `pos` over a name; returns the start."""
    i = pos
    depth = 0
    while i > floor and pos - i < limit:
        c = text[i - 1]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                break
            depth -= 1
        elif not ("\u4e00" <= c <= "\u9fff" or c.isalnum() or c in "·") or c in STOP_CHARS:
            break
        if c.isdigit() and depth == 0:
            break
        if STOP_WORDS.search(text[max(0, i - 4) : i]) and depth == 0:
            break
        i -= 1
    return i


SHORT_NAME = re.compile(
    r"^\s*[(（]\s*(?:以下)?(?:简称|下称|下同)[:：]?\s*[“\"]?([\u4e00-\u9fffA-Za-z0-9]{2,12})[”\"]?\s*[)）]"
)
COMPANY_BUILDS = re.compile(r"^(投资|计划投资|正在|将|拟|还|已)?(建设|新建|投建|实施|启动|打造|布局|推进|上马|扩建)$")


LEGAL_FORM = re.compile(r"(科技|技术|实业|工业|制造|控股|集团)?(股份有限公司|有限责任公司|有限公司|集团公司)$")


def _implicit_short(text: str, m: Mention, g: Gazetteer) -> str | None:
    """重庆锐澜新材料股份有限公司 … 锐澜新材去年实现产值…: a company's short name is the start of its name
    without the place in front (a city or province of the gazetteer, or 中国) and the legal form behind (at
    least three characters, used later on)."""
    core = LEGAL_FORM.sub("", m.written)
    core = core[g.leading_place(core) :]
    if len(core) < 3 or core == m.written:
        return None
    for k in range(len(core), 2, -1):
        short = core[:k]
        if any(x.start() >= m.end for x in re.finditer(re.escape(short), text)):
            return short
    return None


def _short_names(text: str, cands: list[Mention], g: Gazetteer) -> list[Mention]:
    """重庆凯纳光电科技有限公司(以下简称“凯纳光电”): other uses of the short name are the company; without
    a stated short name, the start of the company's name used later on (锐澜新材) is one."""
    out: list[Mention] = []
    for m in list(cands):
        if m.entity is None or m.entity.type != "enterprise":
            continue
        stated = SHORT_NAME.match(text[m.end : m.end + 30])
        if stated is not None:
            short, defined_end = stated.group(1), m.end + stated.end()
        elif LEGAL_FORM.search(m.written):
            short, defined_end = _implicit_short(text, m, g), m.end
        else:
            continue
        if short is None:
            continue
        for x in re.finditer(re.escape(short), text):  # the headline uses it too, before the definition
            if not (m.start <= x.start() < defined_end):
                out.append(Mention(x.start(), x.end(), short, m.entity))
    return out


def _projects_of_companies(text: str, cands: list[Mention]) -> None:
    """凯纳光电投资建设车载显示模组二期项目: the project is named with its company, as written."""
    firms = [
        m for m in cands if m.entity is not None and m.entity.type == "enterprise" and not m.written.endswith("项目")
    ]
    for i, p in enumerate(cands):
        if p.entity is None or p.entity.type != "enterprise" or not p.written.endswith("项目"):
            continue
        for f in firms:
            if f.end <= p.start and COMPANY_BUILDS.match(text[f.end : p.start]) and not p.written.startswith(f.written):
                name = f.written + p.written
                cands[i] = Mention(p.start, p.end, p.written, Entity(name, "enterprise", None, source="form"))
                break


LEADER_NAMED = re.compile(
    r"作为[^,;。]{2,20}?(龙头|龙头企业|企业|公司|集团|链主|领军企业|排头兵)[,,]"
    r"(?P<name>[\u4e00-\u9fffA-Za-z]{2,8}?)(?=(今年|去年|上半年|前三季度|全年|[一二三四]季度|\d{4}年)?(实现|完成|累计|产值|营收|营业收入|销售))"
)
INVESTED_PROJECT = re.compile(
    r"总投资(?:额)?(?:约|近|超过?|逾|达)?[\d.]+(?:亿|万)(?:元|美元)的?(?P<name>[^,;。:“”\s和及与]{2,30}?项目)"
)


def find_mentions(text: str, g: Gazetteer) -> list[Mention]:
    """Entity mentions in a text, left to right, non-overlapping (longer forms win)."""
    cands: list[Mention] = []
    if g.regex is not None:
        for mt in g.regex.finditer(text):
            if NOT_PLACE_AFTER.match(text[mt.end() : mt.end() + 2]) and len(mt.group(0)) <= 2:
                continue
            cands.append(Mention(mt.start(), mt.end(), mt.group(0), g.names[mt.group(0)]))
    for m in cands:
        glued = (
            re.match(
                r"地区|[一二两三四五六七八九十\d]+个?区(县)?(?![\u4e00-\u9fff]{0,2}(增长|分别))",
                text[m.end : m.end + 6],
            )
            if m.entity is not None and m.entity.type == "region"
            else None
        )
        if glued and glued.group(0) != "地区":
            # 渝西八区工业投资…: the group written with its number of districts is the group
            m.end += len(glued.group(0))
            m.written += glued.group(0)
            m.entity = Entity(
                m.entity.name + "地区" if not m.entity.name.endswith("地区") else m.entity.name,
                "region",
                m.entity.code,
                source=m.entity.source,
            )
        elif glued:
            m.end += 2
            m.written += "地区"
            m.entity = Entity(
                m.entity.name + "地区" if not m.entity.name.endswith("地区") else m.entity.name,
                "region",
                m.entity.code,
                source=m.entity.source,
            )
    # a quoted grouping of districts: “1小时经济圈”, “两翼”地区
    for mt in re.finditer(r"[“\"]([\u4e00-\u9fff\d]{1,8}?(经济圈|都市圈|城市群|翼|片区|板块))[”\"](地区)?", text):
        name = mt.group(1)
        name = re.sub(r"^(\d)", lambda d: "零一二三四五六七八九"[int(d.group(1))], name)
        cands.append(Mention(mt.start(1), mt.end(1), mt.group(1), Entity(name, "region", None, source="form")))
    region_spans = [(m.start, m.end, m) for m in cands]
    # parks by form
    for mt in PARK_RX.finditer(text):
        a, b = mt.span()
        suffix = mt.group(0)
        start = _extend_left(text, a)
        # a name directly in front (涪陵 | 高新区): keep it when the rest is only the suffix,
        # drop it when the park has a name of its own (巴南 | 麻柳沿江开发区)
        # (a place right before the suffix counts even where the walk left stopped at one of its characters:
        # 成都经开区, whose 都 is also a function word)
        inner = [m for (x, y, m) in region_spans if y == a or (start <= x < a and y <= a)]
        canonical = None
        if inner:
            last = max(inner, key=lambda m: m.end)
            own = text[last.end : a]
            if len(own) >= 2 and not re.fullmatch(r"(工业|产业|经济|高新|新|科技|物流|创新|现代)", own):
                start = last.end
            else:
                start = min(start, last.start)
                if own in ("县", "区", "市") and last.start == start:
                    # 荣昌县工业园区: a park is named after its place's short name (荣昌工业园区), whatever the
                    # place is called now or was called then
                    canonical = text[last.start : last.end] + suffix
        name = text[start:b]
        if text[b : b + 2] == "项目" or len(name) <= len(suffix):
            continue
        if any(m.entity.type == "park" and y == b and start < x for (x, y, m) in region_spans if m.entity is not None):
            continue  # 区内白涛新材料科技城, 该区涪陵高新区: a park the gazetteer knows, with a word in front
        if re.fullmatch(r"(我|本|全|该)?(县|区|市)内?", name[: -len(suffix)]):
            # 我县工业园区, 县工业园区, 区内高新区: the park of the place the article is about
            cands.append(Mention(start, b, name, None, deictic="park:" + suffix))
            continue
        if re.fullmatch(r"[一二两三四五六七八九十\d]+(大|个|家|类)?(重点|主要|工业|产业|特色)?", name[: -len(suffix)]):
            continue  # 三大园区, 5个工业园区: a count of parks, not a name
        if name[: -len(suffix)] in ("分", "各", "按", "全部", "所有", "各个"):
            continue  # 分园区看, 各园区: parks one by one, not a name
        if re.fullmatch(
            r"(的)?(国家|省|市|县|区)?级?(特色|重点|专业|综合|现代|新型|生态|绿色|示范|特色产业|重点特色)*(工业|产业)?",
            name[: -len(suffix)],
        ):
            continue  # 市级特色工业园区, 省级重点园区: a rank or a kind of park, not a name
        inner = PARK_RX.search(name[: -len(suffix)])
        if inner and inner.end() != len(name) - len(suffix):
            start += inner.end()  # 临港经济区新材料…经济区: the name ends at the first suffix
            name = text[start:b]
            if len(name) <= len(suffix):
                continue
        if re.match(r"^[“\"]", name):
            name = name[1:]
            start += 1
        incl = re.match(r"^(含|包括|包含|不含|除)", name)
        if incl and len(name) - incl.end() > len(suffix):
            start += incl.end()  # 渝北区(含两江新区): the note's word is not part of the name
            name = text[start:b]
        if canonical is not None and start != b - len(canonical) - 1:
            canonical = None
        cands.append(Mention(start, b, name, Entity(canonical or name, "park", None, source="form")))
    # enterprises and projects by form
    for mt in ENT_RX.finditer(text):
        a, b = mt.span()
        suffix = mt.group(0)
        if suffix == "集团" and text[b : b + 1] in "公":
            continue
        start = _extend_left(text, a, limit=16)
        while start < a and text[start] == ")":
            start += 1  # 10多家(个)生物医药项目: the bracket closes a counter, not a name
        head = text[start:a]
        if GENERIC_PROJECT_HEADS.match(head) or len(head) < 2 or re.search(r"(个|家|等|批)$", head):
            continue
        placed_head = g.regex.match(head) if g.regex is not None and suffix == "项目" else None
        if placed_head and GENERIC_PROJECT_HEADS.match(re.sub(r"^(全区|全市|全县)", "", head[placed_head.end() :])):
            continue  # 长寿区新建项目: a place's projects of a kind, not a named project
        if re.match(r"^(又一|一个|一批|一项|一重要|又|该|这|此|其)", head):
            continue
        if re.search(
            r"[\d一二三四五六七八九十百千两几多余]+(项|个|批|类|大|家|条)(\((项|个|家|户)\))?$",
            text[max(0, start - 10) : start],
        ):
            continue  # 11项评优评测项目, 一批…项目: counted things, not a named project
        if suffix == "项目" and re.match(r"^(\d+|[一二三四五六七八九十百两]+)(多|余)?(个|项)", text[b : b + 6]):
            continue  # 引进智能装备项目12个: a kind of project, counted
        if suffix == "项目" and re.match(
            r"^(集中(签约|开工|投产|竣工)|(签约|开工|投产|推介)(仪式|活动|大会))", text[b : b + 6]
        ):
            continue  # 奉节县眼镜项目集中签约仪式: the projects of an event, not one named project
        if suffix == "项目" and re.search(r"(工业投资|在统|在建|续建|重点|签约|开工|竣工|投资)", head):
            continue
        if suffix == "项目" and re.search(r"(公司|集团)(年产|新建|扩建)[\d.]*$", text[max(0, start - 30) : start]):
            continue  # 博赛矿业集团年产50万吨铝材项目: the company is the entity, the capacity is not a name
        if suffix == "项目" and start > 0 and (text[start - 1].isdigit() or re.fullmatch(r"[一二三四五首]期", head)):
            continue  # 年产5万吨…项目, 二期项目: a capacity or a phase, not a name: the company's project
        if suffix in ("项目", "制造基地", "生产基地") and re.search(r"(公司|集团)", head):
            continue  # 重庆耀辉环保有限公司资源综合利用处置一期项目: the company is the entity
        if suffix in ("公司",) and len(head) < 3:
            continue
        if suffix in ("制造基地", "生产基地") and re.search(
            r"(重要|全国|国家|世界|全球|西部|最大|一流|的)", text[max(0, start - 6) : a]
        ):
            continue  # 全国重要的数控机床生产基地: a role, not a named plant
        if suffix == "工厂" and (len(head) < 3 or GENERIC_FACTORY_HEADS.search(head)):
            continue  # 智能工厂, 数字化工厂: kinds of factory, counted elsewhere
        # 璧山高新区重庆青杠精工科技有限公司: the park (or district) in front is where it is, not its name
        placed = [
            m
            for m in cands
            if m.entity is not None
            and m.entity.type in ("park", "district")
            and start <= m.start
            and m.end < a
            and (
                m.entity.type == "park"
                or g.city_at(text, m.end)
                or (m.start > start and start + g.leading_place(text[start : m.start]) == m.start)
            )
        ]  # (重庆云阳县金田塑业公司: a city and a county in front are an address; a legal name has one place)
        if placed:
            cut = max(m.end for m in placed)
            if a - cut >= 2:
                start = cut
        role = re.match(r"(龙头企业|链主企业|领军企业|骨干企业|重点企业|头部企业|行业龙头|龙头)", text[start:a])
        if role and a - (start + role.end()) >= 2:
            start += role.end()  # 龙头企业宝钛集团: the role is not part of the name
        name = text[start:b]
        cands.append(Mention(start, b, name, Entity(name, "enterprise", None, source="form")))
    for mt in re.finditer(r"以(?P<name>[\u4e00-\u9fffA-Za-z]{2,12}?)为例", text):
        # 以一汽大众为例,…产量完成8.9万辆: the example named is the subject (a company, unless it is a place)
        a, b = mt.span("name")
        name = mt.group("name")
        if (
            not (g.regex is not None and g.regex.fullmatch(name))
            and not PARK_RX.search(name)
            and not re.search(r"(产业|行业|企业|项目|园区|集群|领域|工业|制造业|县|区|市|省)$", name)
        ):
            cands.append(Mention(a, b, name, Entity(name, "enterprise", None, source="form")))
    for mt in INVESTED_PROJECT.finditer(text):
        # 总投资60亿元协鑫年产8万吨多晶硅(颗粒硅)项目: what follows the project's investment is its name
        a, b = mt.span("name")
        if not re.match(r"^(等|个|项|多|余|以上|左右)", mt.group("name")):
            cands.append(Mention(a, b, mt.group("name"), Entity(mt.group("name"), "enterprise", None, source="form")))
    for m in [m for m in cands if m.entity is not None and m.entity.type == "enterprise"]:
        # 重庆长安汽车股份有限公司潼南工厂: a company's plant named by its place is the company's (the plant)
        pm = g.regex.match(text, m.end) if g.regex is not None else None
        tail = re.match(r"(工厂|分公司|生产基地|制造基地|基地)", text[pm.end() : pm.end() + 4]) if pm else None
        if tail:
            b = pm.end() + tail.end()
            plant = text[m.start : b]
            cands.append(Mention(m.start, b, plant, Entity(plant, "enterprise", None, source="form")))
    cands += _short_names(text, cands, g)
    _projects_of_companies(text, cands)
    for mt in LEADER_NAMED.finditer(text):
        # 作为全区工业龙头,长安福特上半年实现产值…: the company introduced by its role is the subject
        a, b = mt.span("name")
        name = mt.group("name")
        if any(m.start < b and a < m.end for m in cands):
            continue  # a name known already (a company's short name: 锐澜新材)
        if not (g.regex is not None and g.regex.match(name)) and not re.search(
            r"(全|我|本|该|这|其|区|县|市|省|园|产业|行业|集群|企业)", name
        ):
            cands.append(Mention(a, b, name, Entity(name, "enterprise", None, source="form")))
    for mt in DEICTIC_RX.finditer(text):
        cands.append(Mention(mt.start(), mt.end(), mt.group(0), None, deictic=DEICTIC[mt.group(0)]))
    for mt in ANAPHOR_RX.finditer(text):
        cands.append(
            Mention(
                mt.start(), mt.end(), mt.group(0), None, anaphor="project" if "项目" in mt.group(0) else "enterprise"
            )
        )
    for mt in re.finditer(
        r"(?<=[,。;:”])企业(?=(今年|去年|全年|上半年|前三季度|\d{4}年)?(实现|完成|累计|营收|营业收入|产值))", text
    ):
        # 公司总经理说,企业2023年实现产值…: the company the text is about
        cands.append(Mention(mt.start(), mt.end(), "企业", None, anaphor="enterprise"))
    for qt in re.finditer(
        r"“([^”]{4,400})”(?=[^。“]{0,6}(公司|企业|集团|工厂)[^。“]{0,12}(说|介绍|表示|告诉记者|坦言))", text
    ):
        # “…我们的产值还是做到了46.3亿元…”公司总经理说: the speaker's company
        for mt in re.finditer(r"我们(?=的|今年|去年|全年|上半年|公司|企业)", qt.group(1)):
            a = qt.start(1) + mt.start()
            cands.append(Mention(a, a + 2, "我们", None, anaphor="enterprise"))
    for mt in re.finditer("公司", text):
        # a bare 公司 as the subject (去年公司实现产值…, 今年,公司力争…): the company the text is about
        before = text[max(0, mt.start() - 2) : mt.start()]
        if (
            not before
            or not ("\u4e00" <= before[-1] <= "\u9fff")
            or re.search(r"(去年|今年|目前|同时|此外|当年|上年|其中|全年)$", before)
        ):
            cands.append(Mention(mt.start(), mt.end(), "公司", None, anaphor="enterprise"))
    # bare park words (新区 …) not part of a longer name
    for mt in re.finditer("|".join(sorted(PARK_BARE, key=len, reverse=True)), text):
        a, b = mt.span()
        prev = text[a - 1] if a else ""
        if (
            prev
            and ("\u4e00" <= prev <= "\u9fff")
            and prev not in STOP_CHARS
            and prev not in "全该本"
            and not STOP_WORDS.search(text[max(0, a - 4) : a])
        ):
            continue  # part of a longer name (…高新区), unless a word like 其中 stands before it
        cands.append(Mention(a, b, mt.group(0), None, deictic="park:" + mt.group(0)))
    # resolve overlaps: longest first, then earliest
    cands.sort(key=lambda m: (-(m.end - m.start), m.start))
    chosen: list[Mention] = []
    for m in cands:
        if any(m.start < c.end and c.start < m.end for c in chosen):
            continue
        chosen.append(m)
    chosen.sort(key=lambda m: m.start)
    out: list[Mention] = []
    for m in chosen:
        if re.search(r"[(（](含|包括|包含|不含|除)$", text[max(0, m.start - 3) : m.start]):
            continue  # 渝北区(含两江新区): a place in a bracketed note on what a figure includes is not its subject
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.deictic in ("city", "province")
            and prev.written.startswith("全")
            and (m.deictic or "").startswith("park:")
            and m.start == prev.end
        ):
            # 全市工业园区: the city's parks together, one park entity (resolve_deictic)
            out[-1] = Mention(prev.start, m.end, prev.written + m.written, None, deictic=m.deictic)
            continue
        out.append(m)
    return out


def city_votes(text: str, g: Gazetteer, mentions: list | None = None) -> dict[str, int]:
    """Which city the article's short county names (龙口, 芝罘) point at; a short name inside a longer name
    (松山 in 松山湖高新区) is no vote."""
    votes: dict[str, int] = {}
    if getattr(g, "vote_regex", None) is None:
        return votes
    spans = [(m.start, m.end) for m in mentions or ()]
    for mt in g.vote_regex.finditer(text):
        if any(a < mt.end() and mt.start() < b for a, b in spans) or NOT_PLACE_AFTER.match(
            text[mt.end() : mt.end() + 2]
        ):
            continue
        prev = text[mt.start() - 1] if mt.start() else ""
        if "\u4e00" <= prev <= "\u9fff" and prev not in "在于和及与从到至赴":
            continue  # inside a word (股份合作制 is no vote for 合作市): a short name votes where a phrase starts
        e = g.vote_names[mt.group(0)]
        if e.parent_city:
            votes[e.parent_city] = votes.get(e.parent_city, 0) + 1
    return votes


def city_entity(g: Gazetteer, name: str) -> Entity | None:
    e = g.names.get(name)
    if e is not None and e.type == "city":
        return e
    return None


# a sentence that introduces a company by a name the gazetteer does not know: 星辰电子是一家…企业, 作为…企业,星辰电子…
FIRM_INTRODUCED = re.compile(
    r"^(?:[^,;。]{0,12}?[,])?(?P<name>[\u4e00-\u9fffA-Za-z]{2,12}?)(?:是|系|为)(?:一家|一个|全国|全球|国内|我国)?"
    r"[^,;。]{0,30}?(?:企业|公司|集团|制造商|供应商|厂商)(?:之一)?[,;。]"
)


def introduced_firm(doc, before: int) -> str | None:
    """The company the last sentences before `before` introduce by name (X是…企业), or None."""
    for s in reversed([x for x in doc.sents if x.start < before][-4:]):
        mt = FIRM_INTRODUCED.match(doc.text[s.start : s.end])
        if mt is None:
            continue
        name = mt.group("name")
        if doc.g.is_place(name) or re.search(r"(该|这|其|全|本|我|区|县|市|省|园|项目|产业|行业)", name):
            return None
        return name
    return None
