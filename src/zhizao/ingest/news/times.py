"""Time expressions and the period convention of the fact schema.

A period is a year (`2023`), a cumulative span (`2023-01..2023-06`), a span of years
(`2021..2025`), a point in time for stocks (`as_of:2024-06`), `annual`, or None. Relative
expressions (今年, 去年, 前三季度 without a year) are resolved against the article date; when the
date is unknown the year is written `????`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .clean import cn_years
from .quantities import cn_to_number

CN = "[一二两三四五六七八九十]"
M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"

QUARTERS = {
    "一": (1, 3),
    "1": (1, 3),
    "二": (4, 6),
    "2": (4, 6),
    "三": (7, 9),
    "3": (7, 9),
    "四": (10, 12),
    "4": (10, 12),
}
PLANS = {
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十六五": (2031, 2035),
}


@dataclass
class TimeExpr:
    start: int
    end: int
    kind: str  # year | span | month | plan | target_year | compare | avg2 | asof | date | yearly
    year: int | None = None  # None = the article's year (today/今年); -1 = the year before
    explicit_year: bool = False
    m1: int | None = None
    m2: int | None = None
    y2: int | None = None
    text: str = ""
    resolved: str | None = None


def _month(s: str) -> int | None:
    v = cn_to_number(s)
    return int(v) if v and 1 <= v <= 12 else None


def _starts(first: str, pattern: str) -> re.Pattern:
    """`pattern`, told which characters it can start with: the engine then skips every other position at
    once (five times faster on a page for a pattern that opens with an optional group)."""
    return re.compile(f"(?=[{first}])(?:{pattern})")


PATTERNS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(
            r"(?P<y>(?:19|20)\d{2})年(?P<m>%s)月(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日"
            % M
        ),
        "date",
    ),
    (re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"), "date"),
    (re.compile(r"[“\"]?(?P<plan>十[一二三四五六]五)[”\"]?(?:时期|期间|以来|规划|末)?"), "plan"),
    (re.compile(r"(?P<y1>(?:19|20)\d{2})年?\s*[-—–~至到]\s*(?P<y2>(?:19|20)\d{2})年?"), "years"),
    (re.compile(r"(?:与|和|较|比)(?P<y>(?:19|20)\d{2})年(?:末|底|同期)?(?:相比)?"), "compare"),
    (re.compile(r"(?:(?<![截止])到|(?<![截止])至)(?P<y>(?:19|20)\d{2})年(?:底|末)?"), "target_year"),
    # (截至2024年6月底 is a month of that year, read below)
    (
        re.compile(r"(?:截至|截止到?)(?P<y>(?:19|20)\d{2})年(?:底|末)?(?![\d一二三四五六七八九十]{1,2}月)"),
        "target_year",
    ),
    (re.compile(r"(?:到|至)(?P<rel>今年|本年)?(?:年底|底|年末)"), "year_end"),
    # 2025年前 (by 2025), but not 2018年前三季度 / 2023年前5个月
    (re.compile(r"(?P<y>(?:19|20)\d{2})年(?:以前|前(?![一二两三四五六七八九十\d]+个?(?:季度|月)))"), "target_year"),
    (re.compile(r"(?P<y>(?:19|20)\d{2})年(?:以来|开始|起)"), "since"),
    (
        _starts(
            "0-9今去上本全前十一二三四五六七八九",
            r"(?:(?P<y>(?:19|20)\d{2})年|(?P<rel>今年|去年|上年|本年|全年))?(?:前)?(?P<m1>%s)月?(?:份)?\s*[-—–~至到]\s*(?P<m2>%s)月(?:份)?(?:累计)?"
            % (M, M),
        ),
        "span",
    ),
    (
        _starts(
            "0-9今去本前",
            r"(?:(?P<y>(?:19|20)\d{2})年|(?P<rel>今年|去年|本年))?前(?P<n>%s|\d{1,2})(?:个)?月(?:份)?" % CN,
        ),
        "first_n",
    ),
    (
        _starts(
            "0-9今去上本的下前第一二三四",
            r"(?:(?P<y>(?:19|20)\d{2})年|(?P<rel>今年|去年|上年|本年))?(?:的)?(?P<h>上半年|下半年|前三季度|前两季度|前二季度|"
            r"[一1][至到—\-](?P<q2>[二三四2-4])季度|(?:第)?(?P<q>[一二三四1-4])季度)",
        ),
        "part",
    ),
    (
        _starts(
            "0-9今去本十一二三四五六七八九",
            r"(?:(?P<y>(?:19|20)\d{2})年|(?P<rel>今年|去年|本年))?(?P<m>%s)月(?:份)?(?P<cur>当月|单月)?(?![\d一二三四五六七八九十]*日)"
            % M,
        ),
        "month",
    ),
    (re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度|底|末|全年)?"), "year"),
    (re.compile(r"(今年以来|年初以来|今年来|本年以来)"), "ytd"),
    (
        _starts(
            "今去上过本全当",
            r"(?<![比较与和同])(?P<rel>今年|去年|上年|过去一年|过去的一年|本年|全年|当年)(?:全年)?(?!同期|度)",
        ),
        "rel_year",
    ),
    (re.compile(r"(?:两|2)年平均(?:增长|增速)?"), "avg2"),
    (re.compile(r"年均"), "yearly"),
]

# A point in time for any figure (目前…) and, for counts only, words of a stock (累计, 拥有 …)
STOCK = re.compile(r"(目前|截至目前|截止目前|截至当前|截至今年|现有|已有|现时|至今|迄今|当前)")
STOCK_COUNT = re.compile(r"(累计|总数|总量达|拥有|已建成|已累计|已集聚|集聚了|已引入|引入了|现已)")


def find_times(text: str) -> list[TimeExpr]:
    """Time expressions in a text, left to right, non-overlapping (earlier patterns win)."""
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return not any(a < y and x < b for x, y in taken)

    for rx, kind in PATTERNS:
        for mt in rx.finditer(text):
            a, b = mt.span()
            if a == b or not free(a, b):
                continue
            g = mt.groupdict()
            te = TimeExpr(a, b, kind, text=mt.group(0))
            rel = g.get("rel")
            if g.get("y"):
                te.year, te.explicit_year = int(g["y"]), True
            elif rel in ("去年", "上年", "过去一年", "过去的一年"):
                te.year = -1
            if kind == "date":
                te.m1 = te.m2 = _month(g["m"])
            elif kind == "plan":
                te.year, te.y2 = PLANS[g["plan"]]
                te.explicit_year = True
                if mt.group(0).endswith("末"):
                    te.kind, te.year, te.y2 = "target_year", te.y2, None  # “十四五”末: the plan's last year
            elif kind == "years":
                te.year, te.y2, te.explicit_year = int(g["y1"]), int(g["y2"]), True
                if not 0 < te.y2 - te.year < 20:
                    continue
            elif kind == "span":
                te.m1, te.m2 = _month(g["m1"]), _month(g["m2"])
                if te.m1 is None or te.m2 is None or te.m1 > te.m2:
                    continue
            elif kind == "first_n":
                n = _month(g["n"])
                if n is None:
                    continue
                te.kind, te.m1, te.m2 = "span", 1, n
            elif kind == "part":
                h = g["h"]
                if h == "上半年":
                    te.m1, te.m2 = 1, 6
                elif h == "下半年":
                    te.m1, te.m2 = 7, 12
                elif h == "前三季度":
                    te.m1, te.m2 = 1, 9
                elif h in ("前两季度", "前二季度"):
                    te.m1, te.m2 = 1, 6
                elif g.get("q2"):
                    te.m1, te.m2 = 1, QUARTERS[g["q2"]][1]  # 一至三季度: January to September
                else:
                    q1, q2 = QUARTERS[g["q"]]
                    te.m1, te.m2 = (1, 3) if q1 == 1 else (q1, q2)
                te.kind = "span"
            elif kind == "month":
                m = _month(g["m"])
                if m is None:
                    continue
                te.m1 = te.m2 = m
            elif kind == "year_end":
                te.kind = "target_year"  # 到今年底: the end of the article's year (year None = the article's)
            elif kind == "rel_year":
                te.kind = "year"
                if rel == "全年":
                    te.text = "全年"
            found.append(te)
            taken.append((a, b))
    return sorted(found, key=lambda t: t.start)


def _year(te: TimeExpr, date: dt.date | None, end_month: int | None = None) -> str:
    if te.explicit_year:
        return str(te.year)
    if date is None:
        return "????"
    y = date.year - 1 if te.year == -1 else date.year
    if te.year != -1 and end_month and end_month > date.month:
        y -= 1  # a span that ends after the article date belongs to the year before
    return str(y)


def resolve_all(times: list[TimeExpr], date: dt.date | None) -> None:
    """Give every time expression its period, with the article's context: 全年 is the year last named
    (a review published early the next year), 今年以来 runs to the article's month."""
    last_year: int | None = None
    last_span: str | None = None
    for te in times:
        p = period_of(te, date)
        if (
            te.kind == "year"
            and te.text == "全年"
            and last_year is not None
            and (date is None or last_year <= date.year)
        ):
            p = str(last_year)
        elif te.kind == "year" and te.text == "全年" and last_year is None and date is not None and date.month <= 6:
            p = str(date.year - 1)  # a whole year's figures in the first half of the next: the year just ended
        if te.kind == "ytd":
            if date is not None:
                p = f"{date.year}-01..{date.year}-{date.month:02d}"
            else:
                p = last_span or "????"
        te.resolved = p
        if te.explicit_year and te.kind in ("year", "span", "month", "date"):
            last_year = te.year
        if te.kind in ("span",) and p:
            last_span = p


def period_of(te: TimeExpr, date: dt.date | None) -> str | None:
    """The period string of a time expression."""
    if getattr(te, "resolved", None) is not None:
        return te.resolved
    if te.kind in ("span", "month"):
        y = _year(te, date, te.m2)
        return f"{y}-{te.m1:02d}..{y}-{te.m2:02d}"
    if te.kind in ("year", "target_year"):
        return _year(te, date)
    if te.kind in ("plan", "years"):
        return f"{te.year}..{te.y2}"
    if te.kind == "compare":
        return None
    return None


def as_of(date: dt.date | None, year: str | None = None) -> str:
    if year and year != "????" and (date is None or int(year) < date.year):
        return f"as_of:{year}-12"
    if date is None:
        return "as_of:????-??"
    return f"as_of:{date.year}-{date.month:02d}"


# ---------------------------------------------------------------------------------- article dates
DATE_PATTERNS = [
    re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
    re.compile(r"(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})"),
    # 2023.05.12 (a dateline), not a figure: no digit, point or unit after it
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.%万亿元])"),
    # 2023年五月十二日 (a signature's date; the cleaner has already written 二〇二三 as 2023)
    re.compile(
        r"(?P<y>(?:19|20)\d{2})年(?P<m>十[一二]?|[一二三四五六七八九])月(?P<d>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日"
    ),
]
URL_DATES = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_/]?(?P<m>0[1-9]|1[0-2])[-_/]?(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})[-_/]?(?P<m>0[1-9]|1[0-2])/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/"),
]


def _mk(y, m, d=1) -> dt.date | None:
    try:
        return dt.date(*(int(x) if str(x).isdigit() else int(cn_to_number(x) or 0) for x in (y, m, d)))
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The first full date written in the article (来源:…2023-12-06, 2024年3月28日, 日期: 2022-03-28,
    二〇二三年五月十二日)."""
    text = cn_years(text)
    best = None
    for rx in DATE_PATTERNS:
        for mt in rx.finditer(text):
            d = _mk(mt.group("y"), mt.group("m"), mt.group("d"))
            if d and (best is None or mt.start() < best[0]):
                best = (mt.start(), d)
                break
    return best[1] if best else None


def year_from_address(address: str | None) -> int | None:
    """A year alone in a page's address (…/2016/…, …_2016…): not a date, but the year the page is of."""
    if not address:
        return None
    path = address.split("//", 1)[-1].split("/", 1)[-1]
    for mt in re.finditer(r"(?<![\d])((?:19|20)\d{2})(?![\d])", path):
        if 1990 <= int(mt.group(1)) <= dt.date.today().year:
            return int(mt.group(1))
    return None


def date_from_address(address: str | None) -> dt.date | None:
    """A date from the article's address (…/2015-08-03/…, …/20220613/…, …/2011/04/…)."""
    if not address:
        return None
    for rx in URL_DATES:
        mt = rx.search(address)
        if mt:
            return _mk(mt.group("y"), mt.group("m"), mt.groupdict().get("d") or 1)
    return None
