"""What a figure measures: the metric decision.

The measure is named in the window before the figure (规上工业总产值…亿元, 技改投资增长…%), by the noun a
count counts (新增专精特新企业12家, 规上工业企业达到652家), or carried over: a growth after an amount is the
growth of the amount's measure (实现产值…亿元,同比增长…%), a 分别 list hands each figure its item, a
milestone (突破百亿元大关,达到…) names the measure of the figure after it. An industry named right before
the measure (汽车产业实现产值…) makes an industrial measure the industry's (`industry_output`); a share
(占…比重) is the industry's share of what the text names as the total.

`choose(c)` fills c.choice (a `Choice`) or returns False when the figure is not in the vocabulary.
The trigger words themselves are in metrics.py.
"""

from __future__ import annotations

import re

from . import metrics as M
from .clause import BLOCKED, Choice
from .exclusions import CLAUSE_BLOCK
from .gazetteer import Entity

# a gloss in brackets inside the window (产值(营收), 地区生产总值(GDP)), its text blanked out when the window
# names a measure outside it
BRACKETED = re.compile(r"\(([^()]{1,12})\)")

# an amount said as the outlook of the figure before it: a time or a cue of expectation and a verb, no measure
OUTLOOK = re.compile(
    r"[,、]?(预计|有望|力争|争取|可望|全年|年底|年末|年内|今年|明年|到年底|将|可|能|则)+(达到|达|突破|超过|超|实现|完成)"
)


def named_before(c) -> tuple[str, str] | None:
    """(template, the text before the measure) of a measure named between the figure before this one (or the
    sentence start) and this figure's clause, in clauses with no figure: 增加值保持较快增长,同比增长1.2%."""
    prev_end = c.st.quants[c.qi - 1].end if c.qi > 0 else c.sent.start
    span = c.doc.text[prev_end : c.wstart]
    if not re.search(r"[,;:]\s*$", span):
        return None
    named = M.find_base(span)
    if named is None or M.SHARE.search(span) or M.BLOCK.search(span) or CLAUSE_BLOCK.search(span):
        return None
    return named[0], span[: named[2]]


def outlook_of_last(c) -> bool:
    """Whether the sentence's last fact is the measure last named (its amount, or the growth after it)."""
    st = c.st
    return bool(st.facts) and st.facts[-1][1].removesuffix("_growth") == st.last_base[0]


def choose(c) -> bool:
    """The figure's measure, into c.choice; False when it is not one of the vocabulary's."""
    q, window, st, text, s = c.q, c.window, c.st, c.doc.text, c.sent
    ent = c.entity
    choice = None
    if c.each is not None:
        choice = Choice(c.each[1], window.strip(",、")[-20:], "、".join(c.each[0]), q.value)
    c.bfound = M.find_base(window) if q.unit != "count" else None
    if q.unit == "count" and q.value == 1 and q.raw.startswith("一"):
        return False  # 走进一家整车企业, 一家配套企业负责人说: an article, not a statistic
    if q.unit == "count":
        cm = count_metric(c.rest, window, c.clause_text)
        if (
            cm is None
            and st.last_count
            and re.search(r"(总数|总量|总计|共计|合计|累计|其中)", window)
            and not re.search(r"(亿|万)元?(以上|以下)", window)  # 其中产值亿元以上企业45家: a size band
        ):
            cm = (st.last_count, window, None)
        if cm is None and re.fullmatch(r"[,、]?(达到|达|共|共有|增至|达到了)", window.strip()):
            tail = re.split(r"[,;]", text[s.start : c.wstart].rstrip(",;"))[-1]
            cm = count_metric("", tail, tail)  # 10亿以上企业增长130%,达到222家
            if cm is not None and M.is_fact_metric(cm[0].removeprefix("new_")):
                cm = (cm[0].removeprefix("new_"), *cm[1:])  # 较年初新增25户,达到652户: the total is the stock
        if cm is None:
            return False
        metric, mzh, cluster = cm
        st.last_count = metric.removeprefix("new_")
        choice = Choice(metric, mzh, cluster, q.value)
    elif (
        choice is None
        and q.in_parens
        and q.unit == "percent"
        and st.facts
        and st.facts[-1][0].metric.endswith("_growth")
        and re.search(
            r"(高于|低于|快于|慢于|超过|超出|较|比)[^,;。()]{1,12}[(（]$", text[max(0, q.start - 16) : q.start]
        )
    ):
        prev = st.facts[-1][0]
        choice = Choice(prev.metric, "", prev.cluster, q.value)  # 高于全市平均增速(5.1%)
    elif (
        choice is None
        and c.qi > 0
        and st.quants[c.qi - 1].milestone
        and st.last_base
        and st.last_base[0] != "__blocked__"
        and re.fullmatch(r"[,、]?(达到|达|为|实现|至|超过|超)", window.strip())
    ):
        choice = Choice(st.last_base[0], "", st.last_base[1], q.value)  # …大关,达到106.8亿元
    elif choice is None:
        subject = bool(c.plan and c.plan.get("entity")) or any(
            m.end <= q.start and m.start >= c.clause_start for m in st.mentions
        )
        timed = any(c.clause_start <= t.start < q.start for t in st.times)
        choice = amount_metric(c, subject, timed)
        if choice is None or not M.is_fact_metric(choice.metric):
            if c.bfound is not None and not M.SHARE.search(window):
                st.last_base = (c.bfound[0], None, ent, window)
            elif (
                c.bfound is None
                and q.unit in ("vehicle", "yuan", "usd")
                and re.search(r"[\u4e00-\u9fff]{2}", window)
                and re.match(r"^[,、]?(同比|比上年|较上年)?(增长|下降)", c.after or "")
            ):
                st.last_base = BLOCKED  # 摩托车815.01万辆,增长22.6%: the growth of a figure left out is left out
            return False
    if not M.is_fact_metric(choice.metric):
        return False
    if q.milestone:
        st.last_base = (choice.metric.replace("_growth", ""), choice.cluster, ent, window)
        return False  # the figure after the milestone takes its measure
    c.choice = choice
    return True


def count_metric(text_after: str, window: str, clause: str = "") -> tuple[str, str, str | None] | None:
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
            not re.search(r"(规上|规模|工业|整车|零部件|配套|链|集聚|产业|入驻|入园)", src)
            and M.find_cluster(src.split("企业")[0]) is None
        ):
            return None  # a scope: 规上/工业/配套…企业, or an industry (生物医药企业, 新材料企业)
    new = (
        M.NEW_CUE.search(M.not_new(window[-12:]))
        or M.NEW_CUE.search(M.not_new(src[:4]))
        or M.NEW_CUE.search(M.not_new(clause))
    )
    if new and (metric in M.FLOW_METRICS_WITH_NEW or (metric in M.STOCK_COUNTS and metric != "enterprise_count")):
        metric = "new_" + metric
    elif new and metric == "enterprise_count" and re.search(r"新增|新培育", window[-12:] + src[:4]):
        metric = "new_enterprise_count"
    cluster = None
    if metric == "enterprise_count":
        mt = re.search(r"([\u4e00-\u9fff]{2,8}?)(企业)", src)
        # the place and the verb in front are not the kind of firm (全区共有规上工业企业, 涪陵现有规上企业)
        kind = mt.group(1) if mt else ""
        kind = re.sub(r"^.*(全区|全市|全县|全省|我区|我市|我县|本区|本市|本县|共有|现有|已有|拥有|区|县|市)", "", kind)
        kind = re.sub(r"^(已|累计|年|集聚|聚集)+", "", kind)
        if kind and not re.search(r"^(规上|规模以上|规模|工业|规上工业|规模以上工业)$", kind):
            cluster = kind
    return metric, src.strip(), cluster


def finish_metric(template: str, cluster: str | None, entity: Entity | None) -> str:
    if template.startswith("{IND}"):
        measure = template[5:]
        if entity is not None and entity.type in ("enterprise", "enterprise_group") and measure == "output":
            return "enterprise_output"
        if cluster:
            return "industry_" + measure
        return "industrial_" + measure
    return template


def share_metric(base: str | None, denom: str, cluster: str | None, window: str) -> str | None:
    if re.search(r"(GDP|生产总值|(?<!工业)(?<!工业领域)(固定资产投资|固投)|财政|税收总额|市场份额|市场占有)", denom):
        return None  # shares of GDP, of fixed-asset investment … are not in the vocabulary (工业固投 is industry's)
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


def named_measure(text: str) -> tuple[str, None] | None:
    """A whole-economy measure a sentence names without a figure of it (分地区看,各市规上工业增加值全部
    实现正增长): the measure a bare 分别增长… of the next sentence continues."""
    b = M.find_base(text)
    if b is None or not b[0].startswith("{IND}") or M.find_cluster(text[: b[2]]) is not None:
        return None
    return ("industrial_" + b[0][5:], None)


def amount_metric(c, subject: bool = True, timed: bool = False) -> Choice | None:
    """The measure of an amount or a percentage (not a count)."""
    q, window, plan, ent = c.q, c.window, c.plan, c.entity
    last_base, last_base_doc, sent_cluster = c.st.last_base, c.doc.last_base_doc, c.st.cluster
    value = q.value
    base = M.find_base(window)
    masked = BRACKETED.sub(lambda m: "(" + " " * len(m.group(1)) + ")", window)
    if masked != window and M.find_base(masked) is not None:
        base = M.find_base(masked)  # 产值(营收)312.5亿元: the measure outside the bracket; the bracket is a gloss
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
            if c.doc.g.is_place(pm.group(0)):
                bare = bare.replace(pm.group(0), "", 1)
        if template.startswith("{IND}") and cluster is None and sent_cluster and sent_cluster in window[:bs]:
            cluster = sent_cluster  # 巴南区生物医药产业今年1-8月实现产值…: the industry before the time
        if (
            template.startswith("{IND}")
            and cluster is None
            and sent_cluster
            and re.fullmatch(
                r"[,、]?(今年|去年|全年|[一二三四]季度|上半年|下半年|前三季度|[\d\-—至]+月份?)?(当月|本月)?"
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
            and re.fullmatch(
                r"[,、]?(其中,?)?([\d\-—至]+月份?)?(当月|本月|累计)?(实现|完成)?(产值|总产值|增加值)",
                window[:be].strip(),
            )
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
        if q.unit in ("yuan", "usd") and (
            re.fullmatch(r"[,、]?(从|由)", window.strip())
            or re.search(r"(增加|增长|提高|上升|扩大|跃升|攀升|提升)(到|至)$|(朝着|朝著|向着|向)$", window)
        ):
            # 地区生产总值…,从478亿元增加到1299亿元 / 正朝着2000亿元迈进: the measure the sentence named
            named = M.find_base(c.before[: len(c.before) - len(window)])
            if (
                named is not None
                and not named[0].startswith("{IND}")
                or (named is not None and M.find_cluster(c.before[: named[2]]) is None)
            ):
                return Choice(finish_metric(named[0], None, ent), mzh, None, value)
        if q.unit in ("yuan", "usd", "yuan_per_mu") and re.search(
            r"(同比|比上年|较上年|比去年|较去年)?(提高|增加|增长|减少|下降|降低|多|少)(了)?$", window
        ):
            return None  # 亩均税收…,同比提高2.1万元: a change in an amount is not a figure of the vocabulary
        if q.unit in ("yuan", "usd") and re.fullmatch(r"[,、]?(达到|达|为|至|突破|超过)", window.strip()):
            # 其中工程机械产业产值创历史新高,达1615亿元: the measure named in a clause of the sentence before it,
            # with no figure between them
            prev_end = c.st.quants[c.qi - 1].end if c.qi > 0 else c.sent.start
            span = c.doc.text[prev_end : c.wstart]
            named = M.find_base(span)
            if named is not None and not M.SHARE.search(span) and not M.BLOCK.search(span):
                cl = M.find_cluster(span[: named[2]]) if named[0].startswith("{IND}") else None
                return Choice(finish_metric(named[0], cl, ent), mzh, cl, value)
        if (
            q.unit in ("yuan", "usd")
            and OUTLOOK.fullmatch(window.strip())
            and c.qi > 0
            and last_base is not None
            and last_base[0] != "__blocked__"
            and outlook_of_last(c)
        ):
            # 上半年完成产值812亿元,预计全年将突破1700亿元: the outlook of the measure just given
            template = last_base[0]
            if template.startswith(("industrial_", "industry_")):
                template = "{IND}" + template.split("_", 1)[1]
            return Choice(finish_metric(template, last_base[1], ent), mzh, last_base[1], value)
        if re.search(r"产品(的)?(产量|生产)", c.before) and not re.search(r"(汽车|整车|乘用车|轿车)", window):
            return None  # 新产品产量…,其中集成电路增长5.2倍: products other than vehicles are not in the vocabulary
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
        if _sub_unit(c):
            residual = ""  # 其中两江新区力争达到…: a named sub-unit and a verb, no measure of its own
        if re.search(r"(企业|项目|家|户|个)$", residual):
            return None  # the growth of a count (10亿以上企业增长130%) is not in the vocabulary
        # the industry named in the lead, else the one of the figure before (分行业看,冶金行业…增长5.2%;装备制造业
        # 实现产值98.3亿元,增长25.6%: 装备制造业's), else the sentence's
        prev_cluster = last_base[1] if last_base is not None and last_base[0] != "__blocked__" else None
        cluster = M.find_cluster(lead) or ((prev_cluster or sent_cluster) if not residual else None)
        kind_of = re.fullmatch(r"[,、]?(其中)?[,、]?(轿车|乘用车|商用车|SUV|货车|客车|新能源汽车|整车)", window.strip())
        if q.unit == "vehicle" and kind_of:  # 全年汽车产量78.20万辆,…,其中轿车43.14万辆: a kind of vehicle
            if kind_of.group(2) == "新能源汽车":
                return Choice("nev_production", mzh, None, value)
            return Choice("vehicle_production", mzh, None if kind_of.group(2) == "整车" else kind_of.group(2), value)
        if (
            residual
            and len(residual) >= 2
            and cluster is None
            and not (plan and plan.get("entity"))
            and not share
            and not c.doc.g.is_place(residual)
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
            lead_ind = only_industries(window[: verb.start()].strip(",、"), c.doc.g) if verb else None
            if lead_ind:
                return Choice("industry_output", mzh, lead_ind, value)
        named = named_before(c) if growth and q.unit == "percent" and not residual else None
        if named is not None:
            # 规上工业增加值保持较快增长,同比增长1.2%: the measure a clause with no figure names just before
            template = named[0]
            if template.startswith("{IND}") and cluster is None:
                cluster = M.find_cluster(named[1])
        elif last_base is not None and last_base[0] != "__blocked__":
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
        if (
            q.unit != "percent"
            and not re.search(r"(总量|总额|规模|合计|共计|累计|总计)", window)
            and not growth
            and not _sub_unit(c)
        ):
            return None
    if share and q.unit == "percent":
        denom = window[share.start() :]
        b = template[5:] if template and template.startswith("{IND}") else template
        if template and template.startswith("{IND}"):
            b = "industrial_" + template[5:]
        if cluster is None and base is None and last_base is not None:
            cluster = last_base[1]
        if cluster is None and re.search(r"(全国|全省|全市|省|市)", denom):  # 市 covers any city (重庆市 …)
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
            # (a city holds no share of its own total) 约占全市新能源汽车产量的四成: the industry is named in
            # the total it is a share of
            inner = re.sub(
                rf"^占|^(全国|全省|{city})|(的)?(产量|出货量|产值|销量|规模|增加值|营业收入|总产值|比重|份额)*的?$",
                "",
                denom.strip(),
            )
            cluster = M.find_cluster(inner) if inner and not M.NOT_CLUSTER.match(inner) else None
        metric = share_metric(b, denom, cluster, window)
        if metric is None:
            return None
        return Choice(metric, mzh, cluster, value)
    if template is None:
        return None
    if template in ("tech_renovation_investment_share", "rd_intensity", "rd_institution_coverage"):
        return Choice(template, mzh, None, value) if q.unit == "percent" else None
    metric = finish_metric(template, cluster, ent)
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
    return Choice(metric, mzh, cluster, value)


SUB_UNIT_VERBS = re.compile(r"^[,、;]?(其中)?[,、]?(?P<name>.*?)(将|力争|预计|可)?(实现|完成|达到|达|为|突破|超过)+$")


def _sub_unit(c) -> bool:
    """全市工业园区将实现工业总产值2万亿元,其中两江新区力争达到5000亿元,长寿经开区实现2000亿元: an amount
    whose window names only a place (a sub-unit of the subject) and a verb carries the measure named before."""
    mt = SUB_UNIT_VERBS.match(c.window.strip())
    if mt is None or not mt.group("name"):
        return False
    a = c.q.start - len(c.window.strip()) + mt.start("name")
    named = [m for m in c.st.mentions if a <= m.start and m.end <= c.q.start and m.entity is not None]
    return bool(named) and c.doc.text[a : named[-1].end].strip() == "".join(c.doc.text[m.start : m.end] for m in named)


def only_industries(phrase: str, g) -> str | None:
    """`phrase` without a leading place when the rest is nothing but industry names joined by 及/和/、
    (平板显示及电子信息, 新材料及精细化工); None otherwise."""
    p = phrase
    lead = re.match(r"^[\u4e00-\u9fff]{1,8}?(区|县|市|新区|园区|开发区)", p)
    if lead and g.is_place(lead.group(0)):
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


def sentence_cluster(s, sm: list, st: list, sq: list, text: str) -> str | None:
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
