"""What the annotation rules leave out, whatever a figure measures: the exclusion decision.

Pull and contribution (拉动, 贡献率), pipelines (在谈, 储备), per-person figures, figures of sectors outside
manufacturing (metrics.BLOCK), ranges (300-500亿元), counts of industries (五个产业规模超千亿), gaps against a
benchmark (高于全市2.1个百分点), shares moving between two values (比重由…提高到…), thresholds crossed on the
way (连续突破500亿元、1000亿元大关), projects counted by size band and net changes of a stock (较年初新增25户).
A figure left out also leaves out the growth right after it (its sentence's measure becomes BLOCKED).
"""

from __future__ import annotations

import re

from . import metrics as M
from .clause import BLOCKED
from .lists import each_of

# Figures inside a clause with these words are outside the vocabulary (pipelines, per-person figures, pull).
CLAUSE_BLOCK = re.compile(r"(在统|在库|在谈|储备|人均|贡献率|拉动|亏损|增值税|市场主体|工商注册|会员)")


# a figure in a unit outside the vocabulary (印制电路板25.6万平方米, 粮食产量2297.0吨): the growth after it is its own
OTHER_UNIT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:平方米|平方公里|吨|套|件|片|千瓦|千瓦时|立方米|公里|亩|台套|头|只)"
)


# a count compared with the stock at an earlier date: a net change, outside the vocabulary (news-dev leaves 净增 out)
NET_CHANGE = re.compile(r"(较|比|同)(年初|上年末|上年底|去年底|去年末|上年同期末)[^,;。\d]{0,12}?(新增|增加|净增|多)")

# output added by new projects, stated as a change (news-dev leaves incremental output out)
INCREMENT = re.compile(r"新增[^,;。\d]{0,8}(产值|增加值|营业收入|营收|销售收入)[^,;。\d]{0,4}$")

SIZE_BAND = re.compile(
    r"[\d一二三四五六七八九十]+(个|项)[^,;。]{0,6}项目[^,;。\d]{0,8}(超过|超|逾|突破)[\d.]+(亿|万)元"
    r"|[\d.]+(亿|万)元(以上|及以上)[^,;。\d]{0,6}项目"
)


def excluded(c) -> bool:
    """Figures the annotation rules leave out, whatever they measure: blocked words (pull, rankings,
    non-industrial figures: metrics.BLOCK), ranges, counts of industries, gaps against a benchmark, shares
    moving between two values. A blocked figure also blocks the growth right after it."""
    q, window, text = c.q, c.window, c.doc.text
    if (
        M.BLOCK.search(window)
        or M.BLOCK.search(c.raw_window)
        or re.match(r"^(个百分点|百分点|倍)", c.after)
        or CLAUSE_BLOCK.search(c.clause_text)
    ):
        c.st.last_base = BLOCKED
        return True
    prev_end = c.st.quants[c.qi - 1].end if c.qi > 0 else c.sent.start
    if q.unit == "percent" and OTHER_UNIT.search(text[prev_end : c.wstart]) and M.find_base(window) is None:
        c.st.last_base = BLOCKED
        return True
    whole = text[c.clause_start : q.end + len(re.split(r"[,;。]", c.after or "")[0])]
    if (q.unit == "count" or q.qualifier in ("over", "at_least")) and SIZE_BAND.search(whole):
        return True  # 8个项目签约金额超过10亿元, 30亿元以上项目3个: projects counted by size band, and the band
    if (
        q.unit in ("yuan", "usd")
        and INCREMENT.search(window)
        and not re.search(r"(达产|投产|建成|满产|量产)(达效)?后", c.clause_text)
    ):
        return (
            True  # 27个项目实现达产达效,新增规上工业产值近10亿元: an increment of output (达产后可新增产值 is a target)
        )
    if q.unit == "count" and NET_CHANGE.search(c.clause_text):
        return True  # 较年初新增25户, 比上年末增加19家: a change of a stock (净增), not a flow the schema has
    if re.search(r"连续(突破|超过|跨越|迈上)", c.clause_text):
        return True  # 连续突破500亿元、1000亿元大关: thresholds crossed on the way, not figures
    if re.search(r"\d\s*%?\s*[-—~]$", text[max(0, q.start - 3) : q.start]) or re.match(r"^\s*[-—~至]\s*\d", c.after):
        return True  # a range (300-500亿元, 12.9%-15.5%) is not one figure
    c.each = each_of(c.clause_text, c.doc.g) if q.unit in ("yuan", "usd") else None
    if (
        c.each is None
        and re.search(
            r"[\d一二三四五六七八九十两]+(个|大)(产业|行业|集群|领域)(?!(企业|合计|共|累计|实现|完成|产值|增加值|分别))",
            c.clause_text,
        )
        and not q.level
    ):
        return True  # 五个产业规模超千亿: a count of industries
    if q.unit == "percent" and re.search(r"(分别)?(高于|低于|快于|慢于|超出)", window) and not q.in_parens:
        return True
    return bool(re.search(r"(比重|比例|占比)由", c.clause_text) or re.search(r"均(超|在|为|达|高于)?$", window))
