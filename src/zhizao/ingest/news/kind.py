"""Actual or target: does the sentence set a goal for the number?"""

from __future__ import annotations

import datetime as dt
import re

from .times import PLANS

TARGET_CUES = re.compile(
    r"(力争|目标是|目标为|目标:|预计|有望|计划|规划|争取|确保|预期|要破|要突破|要达到|将突破|将达到|将实现|将超过|将达|将形成|将新增|"
    r"将完成|将保持|将力争|达产后|投产后|建成后|满产后|量产后|达产达效后|可达|锚定|打造成为|迈上|冲刺|"
    r"(?:朝着|朝著|向着)[^,;。]{0,20}$)"
)
# a directive (全区要新增…, 要培育…) sets a goal too
TARGET_CUES = re.compile(
    TARGET_CUES.pattern[:-1] + r"|(?<![需只还也不])要(?=新增|新建|新培育|培育|实现|完成|确保|建成|打造|引进|新认定))"
)
# (截至2024年6月底 is the date a stock is counted at, not a goal)
FUTURE_YEAR = re.compile(r"(?:(?<!截)到|(?<![截止])至|力争到|争取到)(?P<y>(?:19|20)\d{2})年(?!\d{1,2}月)")
# the end of a five-year plan (“十四五”末): a goal while the plan runs, a result once it is over
PLAN_END = re.compile(r"(?P<plan>十[一二三四五六]五)[”\"]?(时期|期)?末")  # its last year: times.PLANS
# 今年 (and not 今年以来, 今年1月…) in a January article: the year has barely begun, its figures are goals
THIS_YEAR = re.compile(r"今年(?!以来|来|[1１一]月|初)")
# a plan's years still to come (2024—2027年全市新培育…30家, said in 2024)
PLAN_YEARS = re.compile(r"(?P<y1>(?:19|20)\d{2})\s*[-—–~至到]\s*(?P<y2>(?:19|20)\d{2})年")
# A verb of completion between the cue and the number cancels it (力争…已经实现 is rare; 预计 is not).
PAST = re.compile(r"(已经|已)(突破|达到|实现|完成|建成)")


AFTER_CUE = re.compile(r"^[^,;。]{0,8}(目标|的目标)")


def is_target(before: str, date: dt.date | None, after: str = "") -> bool:
    """`before` is the sentence text up to the number, `after` the text right after it."""
    if AFTER_CUE.match(after):
        return True  # 锚定工业总产值超1000亿元目标
    for mt in FUTURE_YEAR.finditer(before):
        y = int(mt.group("y"))
        if date is None or y >= date.year:
            return True
    for mt in PLAN_END.finditer(before):
        if date is None or PLANS[mt.group("plan")][1] >= date.year:
            return True
    if (
        date is not None
        and date.month == 1
        and THIS_YEAR.search(before)
        and not re.search(r"((19|20)\d{2}年|去年|上年|[1１一]月)", before)
        and not PAST.search(before)
    ):
        return True  # 今年全区规上工业增加值增长8%左右 said in January: the year's goal
    for mt in PLAN_YEARS.finditer(before):
        if date is not None and int(mt.group("y2")) > date.year and not PAST.search(before[mt.end() :]):
            return True
    mt = None
    for mt in TARGET_CUES.finditer(before):  # noqa: B007 - the loop leaves the last cue in mt
        pass
    if mt is None:
        return False
    if PAST.search(before[mt.end() :]):
        return False
    return True


def decide(c) -> None:
    """c.kind: a size class (千亿级), a project's investment or output at full production, and a figure its
    sentence sets as a goal are targets; everything else is actual."""
    q, metric = c.q, c.choice.metric
    target = q.level or metric in ("project_output", "project_investment") or is_target(c.before, c.doc.date, c.rest)
    c.kind = "target" if target else "actual"
