"""Lists: one figure per item (分别), and one figure that holds for every item (双双, 均).

A、B、C分别增长5%、6%、7%        each figure takes its item as the text that names it (an industry, a
                               place, a measure); a later 分别 with as many figures reuses the list
营业收入…亿元、利润…亿元,分别增长…   the figures before 分别 name the measures of those after it
装备制造、泛家居两大产业集群规模双双突破万亿元   one figure for each item of the list
"""

from __future__ import annotations

import re

from . import metrics as M
from .entities import Mention
from .gazetteer import Entity

EACH = re.compile(
    r"(?P<list>[\u4e00-\u9fff]{2,10}?(?:(?:、|和|与)[\u4e00-\u9fff]{2,10}?)+?)"
    r"(?:[两二三四五六七八九十\d]+(?:大|个))?(?P<kind>产业集群|产业|集群|行业)?(?:的)?"
    r"(?P<measure>规模|产值|总产值|营业收入|营收)?(?:双双|均|都|全部|皆)"
    r"(?:突破|超过|超|达到|达|迈上|跨过|实现)?$"
)


def each_of(window: str, g) -> tuple[list[str], str] | None:
    """装备制造、泛家居两大产业集群规模双双突破万亿元 / A和B产业产值均超千亿元: one figure that holds for
    each item of the list — (the items, the metric)."""
    mt = EACH.search(window.strip(",、"))
    if mt is None or not (mt.group("kind") or mt.group("measure")):
        return None
    head = re.split(r"[,;:]", mt.group("list"))[-1]
    head = re.sub(r"^.*?(推动|力争|培育|打造|实现|其中|预计|到\d{4}年)", "", head)
    place = g.regex.match(head) if g.regex is not None else None
    if place and len(head) > place.end():
        head = head[place.end() :]  # 佛山市装备制造、泛家居…: the place in front is the subject, not an item
    items = [x for x in re.split(r"、|和|与", head) if x]  # (及 joins inside names: 智能装备及智能制造)
    if len(items) < 2 or any(g.is_place(x) for x in items):
        return None
    metric = "revenue" if mt.group("measure") in ("营业收入", "营收") else "industry_output"
    return items, metric


LIST_SPLIT = re.compile(r"、|和|与|及|以及")


def fenbie_plan(s, sq: list, text: str, sm: list = ()) -> dict[int, dict]:
    """For each quantity listed after 分别, the window (and entity) it takes from the list before."""
    plans: dict[int, dict] = {}
    last_items: list[str] | None = None
    last_clusters: list | None = None
    last_ents: list | None = None
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
        head = re.sub(r"^.*?(其中|中(?=[,:]))[,:]?", "", head) if re.search(r"[、和]", head) else head
        if re.search(r"轻(工业)?[、和与及]重工业", head):
            continue  # 轻、重工业分别完成增加值…: a breakdown of the whole, not industries of the vocabulary
        items = [x for x in LIST_SPLIT.split(head) if x]
        if items:
            # A、B、C三大园区分别…: the count that sums the list up is not part of its last item
            summed = re.sub(
                r"[一二两三四五六七八九十\d]+(大|个|家|类)?(重点|主要|工业|产业|特色|支柱|主导|优势|新兴|战略性新兴)?"
                r"(园区|区县|城市|产业集群|产业|行业|集群|板块|企业|地区|片区|区|县|市|制造业)$",
                "",
                items[-1],
            )
            if summed and summed != items[-1]:
                items[-1] = summed
            # 汽车和家电制造业: the kind of industry written once, after the last item, is every item's
            shared = re.search(r"(制造业|产业|行业)$", items[-1])
            if shared and len(items[-1]) > len(shared.group(0)) + 1:
                items[:-1] = [
                    x + shared.group(0) if len(x) <= 4 and M.CLUSTER_WORDS.search(x) and not M.find_base(x) else x
                    for x in items[:-1]
                ]
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
            # a list is of one kind: when one item is a company (三一集团), the short names beside it are
            # companies too (山河智能、中联工起、铁建重工)
            firms = any(
                m.entity is not None and m.entity.type == "enterprise" and a <= m.start and m.end <= b
                for (a, b) in spans
                for m in sm
            )
            for i, q in enumerate(vals):
                a, b = spans[i]
                ents = [m for m in sm if a <= m.start and m.end <= b and (m.entity or m.deictic)]
                if firms and not ents and 2 <= len(items[i]) <= 8 and a >= 0:
                    ents = [Mention(a, b, items[i], Entity(items[i], "enterprise", None, source="form"))]
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
            last_ents = [plans[id(q)]["entity"] for q in vals]
            continue
        if last_items and len(last_items) == n:
            for i, q in enumerate(vals):
                plans[id(q)] = {
                    "window": last_items[i] + head + between,
                    "item": last_items[i],
                    "cluster": last_clusters[i] if last_clusters else None,
                    "entity": last_ents[i] if last_ents else None,  # 璧山区、江津区…分别…,分别增长…: the same places
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
            seg = re.sub(r"^.*?(其中|中(?=[,:]))[,:]?", "", seg)
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
