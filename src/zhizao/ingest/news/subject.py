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

The article's own subject (main_entities) and what 全区/该区 point at (resolve_deictic) are decided in
article_subject.py. `provisional(c)` picks the entity before the metric is known; `settle(c)` revisits it
once the metric is (a company's output, a project's investment, a park's tax), and may move the metric
between a company's and a place's measure.
"""

from __future__ import annotations

import re

from . import metrics as M
from .article_subject import resolve_deictic
from .clause import BLOCKED
from .entities import STOP_CHARS, Mention, introduced_firm
from .gazetteer import Entity

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
