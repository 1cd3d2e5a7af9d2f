"""When a figure holds: the period decision, with the one resolver of the article's date.

The article's date is settled once (`document_date`): the date passed with --published, else the date the
policy pack records for a text it ships, else the first full date in the text (a dateline: 来源:…
2023-12-06), else a date in the page's address (…/2022-06/13/…, …/t20220613_…). Every relative expression
(今年, 去年, 上半年, 1-5月, 今年以来, 全年) is resolved against it (`Dating`); an article with no date
takes the latest year it names as a past or current year for 今年, and leaves a year it cannot settle as
`????` (`????-01..????-06`).

A figure's period is the time expression before it in its sentence (or in the sentences before it in
its paragraph), shaped by the fact schema (shared/seeds/README.md): a stock is `as_of:YYYY-MM`, a
two-year average `2020..2021`, a comparison with a base year `2015..2020`, a target over a plan's years
`2023..2027`, a yearly target with no year `annual`, a level target or a project's output at full
production `null`; a figure in brackets shares the period of the figure it qualifies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import metrics as M
from .quantities import cn_to_number
from .times import (
    STOCK,
    STOCK_COUNT,
    TimeExpr,
    as_of,
    date_from_address,
    find_date,
    period_of,
    resolve_all,
    year_from_address,
)


def document_date(
    published: dt.date | None, known, body: str, address: str | None
) -> tuple[dt.date | None, str | None]:
    """(the article's date, where it came from: option | pack | text | address), or (None, None)."""
    if published:
        return published, "option"
    if known is not None and getattr(known, "published", None):
        return known.published, "pack"
    d = find_date(body)
    if d:
        return d, "text"
    d = date_from_address(address)
    if d:
        return d, "address"
    return None, None


# A year told as history (2006年经…批准为省级开发区, 早在2002年…成立): not the year the article reports on.
EVENT_YEAR = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:年)?(?:第[一二三四五六七八九十\d]+届)?[\u4e00-\u9fff“”]{2,24}?"
    r"(?:大会|博览会|论坛|峰会|展览会|洽谈会|推介会|对接会|交易会|招商会)"
)
HISTORY = re.compile(r"(批准|获批|成立|设立|始建|创建|组建|挂牌|命名|授予|更名|撤县|建区|建市)")


def _history(t: TimeExpr, text: str) -> bool:
    clause = re.split(r"[;。]", text[t.end : t.end + 40])[0]
    return bool(HISTORY.search(clause)) or text[max(0, t.start - 2) : t.start] == "早在"


@dataclass
class Dating:
    """The article's date and the years it names, with every time expression resolved against them."""

    date: dt.date | None
    years_named: list[int]

    @classmethod
    def of(
        cls,
        date: dt.date | None,
        times: list[TimeExpr],
        text: str,
        address: str | None = None,
        title: str | None = None,
    ) -> Dating:
        years_named = [
            t.year
            for t in times
            if t.explicit_year
            and t.kind in ("year", "span", "month")
            and not re.search(r"(到|至)$", text[max(0, t.start - 2) : t.start])
            and not _history(t, text)
        ]
        # a figure caption or a table heading over a series of years (图4 2018年—2022年粮食产量): its last year
        years_named += [
            t.y2
            for t in times
            if t.kind == "years" and re.search(r"(图|表)\s*\d{0,2}\s*$", text[max(0, t.start - 5) : t.start])
        ]
        if date is None and not years_named and title:
            # a year the headline states (2023年璧山区工业经济运行情况) is stated, as a table heading's is
            years_named = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})年", title)][-1:]
        if date is None and year_from_address(address) and not years_named:
            years_named = [year_from_address(address)]  # …/2016/…: the year the page is of
        if date is None and not years_named:
            # an undated page about an event named with its year (2024眼镜产业区域协调发展大会): that year
            years_named = [int(m.group(1)) for m in EVENT_YEAR.finditer(text)][:1]
        if date is None and years_named:
            # no date: 今年 is the latest year the article names as a past or current year
            resolve_all(times, dt.date(max(years_named), 12, 31))
        else:
            resolve_all(times, date)
        return cls(date, years_named)

    def most_named_year(self) -> str | None:
        if not self.years_named:
            return None
        return str(max(set(self.years_named), key=self.years_named.count))


def decide(c) -> None:
    """c.period (and, for a figure in brackets, the metric and kind of the figure it qualifies)."""
    q, s, doc, choice = c.q, c.sent, c.doc, c.choice
    date, text, st = doc.date, doc.text, c.st.times
    period = _period(c, choice.metric, c.kind)
    if c.kind == "actual" and not any(t.end <= q.start for t in st):
        period = _cumulative(period, text[s.start : q.start])
    elif c.kind == "actual" and not any(c.clause_start <= t.start < q.start for t in st):
        period = _cumulative(period, c.clause_text)  # 11月份当月完成产值…,累计完成产值…: January to November
    if c.kind == "actual" and not any(c.clause_start <= t.start < q.start for t in st):
        period = _this_month(period, c.clause_text)
    if (
        choice.metric.endswith("_growth")
        and c.st.facts
        and c.st.facts[-1][0].metric + "_growth" == choice.metric
        and c.st.facts[-1][0].kind == c.kind
        and not any(c.st.facts[-1][0].span[1] <= t.start < q.start for t in st)
    ):
        period = c.st.facts[-1][0].period  # 当月完成产值33.8亿元,…,同比增长118.1%: the growth of that figure
    if c.kind == "actual" and date is not None and not any(t.explicit_year for t in st if t.start < q.start):
        period = _review_years(c, text, date, choice.metric) or period
    if c.kind == "target":
        period = _target_span(period, choice.metric, c.clause_text, doc.plan_spans, doc.last_period, date)
    sent_facts = c.st.facts
    if q.in_parens and sent_facts:
        # the figure the bracket qualifies: the last one outside brackets
        prevf = next((f for f, _ in reversed(sent_facts) if not f.bracketed), sent_facts[-1][0])
        choice.metric, period, c.kind = prevf.metric, prevf.period, prevf.kind
        if period and re.search(r"(去年同期|上年同期)\s*[(（]?$", text[max(0, q.start - 8) : q.start]):
            # 增速较去年同期(4.1%)加快…: the same measure a year earlier
            period = re.sub(r"\d{4}", lambda y: str(int(y.group(0)) - 1), period)
    if (
        period is None
        and not q.level
        and choice.metric not in ("project_output", "project_investment")
        and not re.match(r"(以上|及以上)?的[\u4e00-\u9fff]", q.after)
    ):
        # a figure with no time of its own, and its growth, are of the year the article reports on (news-dev:
        # an undated statistics line takes the year of the paragraphs around it): one decision for the clause.
        # A figure that qualifies a noun (首个材料产业产值超千亿的区县) states no time: null (seeds/README).
        if doc.dating.years_named:
            period = doc.dating.most_named_year()  # an undated statistics line
        elif date is not None and c.kind == "actual" and date.month <= 2:
            period = str(date.year - 1)  # figures told in January or February, with no time: the year just ended
        elif date is not None:
            period = str(date.year)
    if c.kind == "target" and re.search(r"(朝着|朝著|向着)[^,;。]{0,20}$", c.before):
        period = None  # 正朝着2000亿元的新台阶迈进: a goal with no date
    if (
        c.kind == "target"
        and re.search(r"(投产|达产|建成|满产|达效)后", text[s.start : q.start])
        and not any(t.kind in ("target_year", "plan") or t.explicit_year for t in st if s.start <= t.start < q.start)
    ):
        period = None  # 第3条生产线投产后,产值可增长到30亿元: at full production, whenever that is
    if (q.level or choice.metric in ("project_output", "project_investment")) and not any(
        t.kind in ("target_year", "plan") or (t.kind == "year" and t.explicit_year) for t in st if t.start < q.start
    ):
        period = None
    c.period = period


def carry(c) -> None:
    """The period a figure leaves for the figures after it (a review's year, the months under review)."""
    period, date, text, s = c.period, c.doc.date, c.doc.text, c.sent
    single_month = bool(re.fullmatch(r"(\d{4}|\?{4})-(\d{2})\.\.(\d{4}|\?{4})-\2", period or ""))
    if (
        period
        and not period.startswith("as_of")
        and not (single_month and re.search(r"(当月|单月|本月)", text[s.start : s.end]))
        and (c.kind == "actual" or (date is not None and re.fullmatch(r"\d{4}", period) and int(period) < date.year))
    ):
        c.doc.last_period = period  # (预计 figures of the year under review set it too)


REVIEW = re.compile(r"(?<![\d年])(十|五|两|二|三|四|六|七|八|九|\d{1,2})年来|这(十|五)年|过去(的)?(十|五)年")


def _review_years(c, text: str, date: dt.date, metric: str) -> str | None:
    """A review of the last N years (十年来, 这十年) said in year Y, with no year of its own: 从A增加到B is A in
    Y-N and B in Y-1, and its 年均 growth runs Y-N..Y-1 (news-dev: a 2022 ten-year review is 2012..2021)."""
    found = list(REVIEW.finditer(text, 0, c.q.start))
    mt = found[-1] if found else None  # the last review named before the figure
    if mt is None:
        return None
    n = cn_to_number(next(g for g in mt.groups() if g))
    if not n or n < 2:
        return None
    start, end = date.year - int(n), date.year - 1
    w = c.window.strip()
    if re.search(r"(从|由)$", w):
        return str(start)
    if re.search(r"(增加|增长|提高|提升|扩大|上升|跃升|攀升)(到|至)$", w):
        return str(end)
    from_to = re.search(r"(从|由)[^,;。]*(到|至)", c.before)
    if metric.endswith("_growth") and re.search(r"年均(增长|增速)", w) and from_to:
        return f"{start}..{end}"
    return None


def _this_month(period: str | None, clause: str) -> str | None:
    """当月完成产值… after the months under review (今年前11个月…): the last month of them alone."""
    mt = re.fullmatch(r"(\d{4}|\?{4})-(\d{2})\.\.(\d{4}|\?{4})-(\d{2})", period or "")
    if mt and mt.group(2) != mt.group(4) and re.search(r"(当月|单月|本月)", clause) and "累计" not in clause:
        return f"{mt.group(3)}-{mt.group(4)}..{mt.group(3)}-{mt.group(4)}"
    return period


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
        if span is not None and span.kind == "plan":
            start = span.year  # a five-year plan's 年均 growth: its own years (“十四五” 2021..2025)
        elif span is not None:
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


def _period(c, metric: str, kind: str) -> str | None:
    """The period a figure's own sentence (or the paragraph before it) gives it."""
    s, q, st, para_prev, by_sent_t = c.sent, c.q, c.st.times, c.st.para_prev, c.doc.by_sent_t
    window, date, last_period, text = c.window, c.doc.date, c.doc.last_period, c.doc.text
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
    if "年均" in c.clause_text and plan:
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
            if re.search(r"(总数|总量)", window) or (
                years[-1].explicit_year
                and y.isdigit()
                and (date is None or int(y) < date.year)
                and not any(t.kind in ("span", "month") and t.start < q.start for t in st)  # (2022年前三季度)
                and not re.search(r"(已|累计)", c.clause_text)  # 2022年,材料产业已集聚企业18家: the seeds' 2022
            ):
                return as_of(date, y)  # 2021年园区入驻企业50家: the firms there at the end of that year
            return y
        if date is None and c.doc.dating.years_named and not STOCK.search(text[s.start : q.start]):
            # an undated review of a year (a communiqué): its counts are stocks at the end of that year
            return as_of(None, c.doc.dating.most_named_year())
        if (
            date is not None
            and last_period
            and re.fullmatch(r"\d{4}", last_period)
            and int(last_period) < date.year
            and re.search(r"(总数|总量|共有|达到|达)", c.clause_text)
            and not STOCK.search(text[s.start : q.start])
            and not re.search(r"(累计|已有|现有)", c.clause_text)  # the seeds' stock words: the article's date
        ):
            # a review of a past year (2023年…。全县新增…25家,总数达到168家): the stock at that year's end
            return as_of(date, last_period)
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
        if (
            t.kind == "month"
            and p
            and not re.search(r"(当月|单月)", t.text or "")
            and (
                re.search(r"(截至|截止到?)$", text[max(0, t.start - 3) : t.start])
                or (
                    re.search(r"到$", text[max(0, t.start - 1) : t.start])
                    and re.search(r"(末|底)$", text[t.start : t.end + 1])
                )
            )
        ):
            # 截至10月末,…增长…, 截至9月,…: a flow from January to the end of that month
            return f"{p[:4]}-01..{p[:4]}-{t.m1:02d}"
        return p
    for ps in reversed(para_prev):
        pt = [
            t
            for t in by_sent_t[ps.index]
            if t.kind in ("span", "month", "year", "plan", "years", "ytd")
            and not _comparison_ref(t, text)
            and not re.search(r"(当月|单月)", t.text or "")
            and not re.match(r"[^,;。]{0,12}(目标|任务|计划)", text[t.end : t.end + 14])
        ]  # (完成全年…目标任务的122%: the year's goal, not the period reported)
        if pt:
            return period_of(pt[-1], date)
    if metric in EVENT_METRICS and kind == "actual":
        month = _event_month(c)
        if month is not None:
            return month  # 此次共签约10个项目: the month of the signing
    if "_count" in metric or metric.startswith("new_"):
        if last_period and re.fullmatch(r"\d{4}", last_period):
            return last_period  # a review of a year (2023年,…。全市新增…家): that year
        return str(date.year) if date else "????"
    return last_period


# Figures of an event (a signing, a ceremony of starts) with no time of their own hold for its month.
EVENT_METRICS = {
    "introduced_project_count",
    "attracted_investment",
    "project_started_count",
    "project_completed_count",
}
EVENT = re.compile(
    r"(签约仪式|集中签约|签约活动|集中开工|开工仪式|投产仪式|开工活动|推介会|对接会|对接活动|洽谈会|招商会|"
    r"活动现场|仪式上|会上|大会|此次|本次|当天|现场签约)"
)
MONTH_DAY = re.compile(r"(?<![\d年])(1[0-2]|[1-9])月(\d{1,2})日")


def _event_month(c) -> str | None:
    """`YYYY-MM..YYYY-MM` of the event the clause's sentence reports, or None when it reports none. The month
    is the event's date in the text (6月28日,…活动在…举行), else the article's; the year is the article's."""
    doc = c.doc
    near = c.before + "".join(x.text for x in c.st.para_prev[-2:])
    para = [x for x in doc.sents if x.para in (c.sent.para, c.sent.para - 1)]
    if not EVENT.search(near) and not any(EVENT.search(x.text) for x in para):
        return None
    year = str(doc.date.year) if doc.date else (doc.dating.most_named_year() or "????")
    lead = doc.text[:400]
    md = MONTH_DAY.search(lead)
    if md is not None:
        return f"{year}-{int(md.group(1)):02d}..{year}-{int(md.group(1)):02d}"
    if doc.date is not None:
        return f"{year}-{doc.date.month:02d}..{year}-{doc.date.month:02d}"
    return None
