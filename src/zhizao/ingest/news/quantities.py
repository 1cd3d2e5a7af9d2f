"""Numbers with their units in cleaned (simplified) text: money, percentages, counts, vehicles.

Values come out in base units (亿 = 1e8, 万 = 1e4, 千亿 = 1e11, 万亿 = 1e12; 万辆 = 1e4 vehicles;
percent as 19.7). Chinese numerals (三, 十二, 两千, 八点二), number words (上千家, 近六成, 超1/4, 三分之一,
百分之八点二)
and size classes (2000亿级, 千亿级) are read. Qualifiers in front of or after the number
(超过, 突破, 近, 约, 以上, 左右, 多, 余) are kept as `over`, `about`, `at_least`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
SCALE = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, "": 1.0}

CN_NUM = "[零〇一二两三四五六七八九十百千]"
# digits with thousands separators (12,345万元, 1,234.5亿元), plain digits, or Chinese numerals
NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?|%s{1,6})" % CN_NUM


def cn_to_number(s: str) -> float | None:
    """'三' -> 3, '十二' -> 12, '两千' -> 2000, '一百五十' -> 150, '八点二' -> 8.2, '1.5' -> 1.5."""
    s = s.strip()
    if not s:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")  # 12,345
    try:
        return float(s)
    except ValueError:
        pass
    whole, dot, frac = s.partition("点")
    if dot:  # 八点二, 十二点零五: the digits after 点 are read one by one
        head = cn_to_number(whole)
        if head is None or not frac or any(ch not in CN_DIGITS or ch == "两" for ch in frac):
            return None
        return float(f"{int(head)}.{''.join(str(CN_DIGITS[ch]) for ch in frac)}")
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            u = CN_UNITS[ch]
            if u >= 10_000:
                section = (section + (digit or 0)) * u
                total += section
                section = 0
            else:
                section += (digit if digit is not None else 1) * u
            digit = None
        else:
            return None
    return float(total + section + (digit or 0))


@dataclass
class Quantity:
    start: int
    end: int
    value: float
    unit: str  # yuan | usd | percent | count | vehicle | units (台)
    raw: str
    qualifier: str | None = None
    level: bool = False  # a size class: 2000亿级, 千亿级
    descriptor: bool = False  # part of a noun phrase (500万元以上企业, 百亿项目), not a figure
    milestone: bool = False  # 突破百亿元大关,达到106.8亿元: names the measure, the figure follows
    count_word: str | None = None  # 家, 户, 个 ...
    in_parens: bool = False  # a benchmark given in brackets: 全省(7.7%)
    multiplier: int = 1  # 两大千亿级 … 集群: one figure per cluster
    after: str = ""  # text right after (set by the extractor)


BEFORE_QUAL = [
    (re.compile(r"(不低于|不少于)$"), "at_least"),
    (re.compile(r"(超过|突破了?|超|逾|多达|高达|破|大于)$"), "over"),
    (re.compile(r"(近|约|接近|大约|预计|可达|将近|达到约|约为)$"), "about"),
]
AFTER_QUAL = [
    (re.compile(r"^(以上|及以上)"), "at_least"),
    (re.compile(r"^(左右|上下)"), "about"),
]

MONEY = re.compile(
    r"(?=[0-9零〇一二两三四五六七八九十百千])(?P<num>%s)(?P<more>多|余)?(?P<scale>万亿|千亿|百亿|亿|千万|百万|万|千)?"
    r"(?P<more2>多|余)?(?P<cur>元|美元|人民币)" % NUM
)
MONEY_NOYUAN = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<more>多|余)?(?P<scale>万亿|千亿|亿)(?![元美\d级級])"
)
BARE_SCALE = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千万\.])(?P<scale>万亿|千亿|百亿)(?P<cur>元)?")
LEVEL = re.compile(
    r"(?=[0-9一二两三四五六七八九万千百亿])(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九])?(?P<scale>万亿|千亿|百亿|亿)元?(?:级别|级)"
)
# a minus sign counts only right after a word (增长-2.3%), not after a figure (12.9%-15.5% is a range)
PERCENT = re.compile(r"(?:(?<=[\u4e00-\u9fff])(?P<sign>-))?(?P<num>\d+(?:\.\d+)?)%")
# a percentage in words: 百分之八点二, 百分之十二, 百分之8.2
PERCENT_CN = re.compile(r"百分之(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)")
# 增长2.3倍: growth by a multiple is a percentage (+230 %)
MULTIPLE = re.compile(r"(?<=增长|增加|提高|上升)(?P<num>\d+(?:\.\d+)?|[一两二三四五六七八九十]{1,3})倍")
CHENG = re.compile(r"(?P<num>[一二两三四五六七八九]|\d)成(?![本果功为员立熟型交])")
FRACTION = re.compile(r"(?<![\d/\.])(?P<a>\d)/(?P<b>\d{1,2})(?![\d/])")
FRACTION_CN = re.compile(
    r"(?=[二两三四五六七八九十0-9])(?P<b>[二两三四五六七八九十]|\d+)分之(?P<a>[一二两三四五六七八九]|\d+)"
)
COUNT = re.compile(
    r"(?=[上0-9零〇一二两三四五六七八九十百千])(?P<up>上)?(?P<num>%s)(?P<more>多|余)?(?P<word>家|户|个|项|座|所|条|台|辆|款|只|名)"
    r"(?P<alt>\((?:家|户|个|项)\))?" % NUM
)
# 汽车产量12.5万台: 台 counts vehicles when its clause names them
VEHICLE_BEFORE = re.compile(r"(汽车|整车|轿车|乘用车|商用车|新能源车|SUV)[^,;。、]{0,8}$")
VEHICLES = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<scale>万)?(?P<word>辆|台)")
# Not figures: ranks, multiples, people, areas, durations and the like
NOT_AFTER = re.compile(
    r"^(倍|位|名|强|次|人(?!民币)|年|月|日|天|小时|分钟|秒|吨|平方|立方|米|公里|千米|亩|万人|万平方|万吨|万立方|"
    r"万千米|万芯|万套|万片|万台套|套|片|颗|吋|寸|英寸|兆|瓦|度|批|轮)"
)
THRESHOLD_BEFORE = re.compile(r"(低于|高于|不低于|不高于|不足|不到|少于|大于|小于)$")
DESCRIPTOR_AFTER = re.compile(
    r"^(以上|以下|及以上)?的?(企业|项目|工业企业|规上企业|重点企业|龙头企业|产业|园区|城市|平台|"
    r"工业法人单位|法人单位|单位)"
)


def _qual_before(text: str, pos: int) -> str | None:
    head = text[max(0, pos - 4) : pos]
    for rx, q in BEFORE_QUAL:
        if rx.search(head):
            return q
    return None


def _qual_after(text: str, pos: int) -> str | None:
    tail = text[pos : pos + 3]
    for rx, q in AFTER_QUAL:
        if rx.search(tail):
            return q
    return None


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < y and x < b for x, y in spans)


def _milestone(text: str, end: int, start: int | None = None) -> bool:
    """首次突破百亿元大关,达到106.8亿元: a round milestone, with the figure itself right after it; also a bare
    threshold passed with the figure next (突破300亿元,达到312.5亿元)."""
    if re.match(r"^(的)?(大关|关口|台阶)", text[end : end + 3]) and re.search(
        r"^[^。;]{0,4}[,;]\s*(达到|达|为|实现|至)", text[end : end + 16]
    ):
        return True
    return bool(
        start is not None
        and re.search(r"(突破|超过|首超|跨越|迈上)$", text[max(0, start - 2) : start])
        and re.match(r"^[,,]\s*(达到|达|为)\s*\d", text[end : end + 6])
    )


def find_quantities(text: str, masked: list[tuple[int, int]] = ()) -> list[Quantity]:
    """All quantities in `text`, left to right; `masked` spans (dates, plan names) are skipped."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = list(masked)

    def add(q: Quantity):
        if _overlaps(taken, q.start, q.end):
            return
        if q.start > 0 and text[q.start - 1] == "第":
            return
        taken.append((q.start, q.end))
        out.append(q)

    # size classes first (2000亿级, 千亿级, 千亿元级别)
    for mt in LEVEL.finditer(text):
        num = cn_to_number(mt.group("num")) if mt.group("num") else 1.0
        if num is None:
            continue
        after = text[mt.end() : mt.end() + 6]
        q = Quantity(
            mt.start(), mt.end(), num * SCALE[mt.group("scale")], "yuan", mt.group(0), qualifier="level", level=True
        )
        if re.match(r"^的?(企业|项目|大项目|工业企业|龙头|链主|重点)", after):
            q.descriptor = True
        head = text[max(0, mt.start() - 3) : mt.start()]
        mm = re.search(r"([两二三四五六七八九2-9])(大|个)$", head)
        if mm and not text[mt.end() : mt.end() + 12].count("之一"):
            q.multiplier = int(cn_to_number(mm.group(1)) or 1)
        add(q)
    for mt in MONEY.finditer(text):
        num = cn_to_number(mt.group("num"))
        if num is None:
            continue
        unit = "usd" if mt.group("cur") == "美元" else "yuan"
        if (mt.group("more") or mt.group("more2")) and not mt.group("scale"):
            continue  # 50多元: not a figure of the vocabulary's size
        q = Quantity(mt.start(), mt.end(), num * SCALE[mt.group("scale") or ""], unit, mt.group(0))
        if mt.group("more") or mt.group("more2"):
            q.qualifier = "over"  # 50多亿元, 30余亿元, 5.6亿余元: more than that
        if DESCRIPTOR_AFTER.match(text[mt.end() : mt.end() + 12]) or (
            THRESHOLD_BEFORE.search(text[max(0, mt.start() - 4) : mt.start()])
            and re.match(r"^(以上|以下)?的", text[mt.end() : mt.end() + 3])
        ):
            q.descriptor = True  # 亩均税收低于1万元的低效企业: a threshold that names a group
        q.milestone = _milestone(text, mt.end(), mt.start())
        add(q)
    for mt in MONEY_NOYUAN.finditer(text):
        num = cn_to_number(mt.group("num"))
        after = text[mt.end() : mt.end() + 12]
        q = Quantity(mt.start(), mt.end(), num * SCALE[mt.group("scale")], "yuan", mt.group(0))
        if mt.group("more"):
            q.qualifier = "over"
        if DESCRIPTOR_AFTER.match(after) or re.match(r"^(次|人|立方|吨|千米|片|只|套|元级)", after):
            q.descriptor = True
        add(q)
    for mt in BARE_SCALE.finditer(text):
        after = text[mt.end() : mt.end() + 12]
        q = Quantity(mt.start(), mt.end(), SCALE[mt.group("scale")], "yuan", mt.group(0))
        if DESCRIPTOR_AFTER.match(after) or re.match(r"^(级|城市|规模|GDP|元级)", after):
            q.descriptor = True
        elif re.match(r"^[\u4e00-\u9fff“”]{2,12}?(产业集群|集群)", text[mt.end() : mt.end() + 16]) and re.search(
            r"(构建|打造|培育|建设|建成|形成|壮大)$", text[max(0, mt.start() - 4) : mt.start()]
        ):
            q.qualifier, q.level = "level", True  # 加快构建百亿新材料产业集群: a cluster of that size, as 百亿级
        q.milestone = _milestone(text, mt.end())
        add(q)
    for mt in PERCENT.finditer(text):
        v = float(mt.group("num"))
        add(Quantity(mt.start(), mt.end(), -v if mt.group("sign") else v, "percent", mt.group(0)))
    for mt in PERCENT_CN.finditer(text):
        v = cn_to_number(mt.group("num"))
        if v is not None:
            add(Quantity(mt.start(), mt.end(), v, "percent", mt.group(0)))
    for mt in MULTIPLE.finditer(text):
        add(Quantity(mt.start(), mt.end(), round(100 * cn_to_number(mt.group("num")), 6), "percent", mt.group(0)))
    for mt in CHENG.finditer(text):
        num = cn_to_number(mt.group("num"))
        add(Quantity(mt.start(), mt.end(), num * 10, "percent", mt.group(0)))
    for mt in FRACTION.finditer(text):
        a, b = int(mt.group("a")), int(mt.group("b"))
        if b and a < b and (mt.start() == 0 or not text[mt.start() - 1].isdigit()):
            add(Quantity(mt.start(), mt.end(), round(100 * a / b, 2), "percent", mt.group(0)))
    for mt in FRACTION_CN.finditer(text):
        a, b = cn_to_number(mt.group("a")), cn_to_number(mt.group("b"))
        if a and b and a < b:
            add(Quantity(mt.start(), mt.end(), round(100 * a / b, 2), "percent", mt.group(0)))
    for mt in VEHICLES.finditer(text):
        num = float(mt.group("num")) * (1e4 if mt.group("scale") else 1)
        if mt.group("word") == "台" and not mt.group("scale"):
            continue
        add(
            Quantity(
                mt.start(),
                mt.end(),
                num,
                "vehicle"
                if mt.group("word") == "辆" or VEHICLE_BEFORE.search(text[max(0, mt.start() - 16) : mt.start()])
                else "units",
                mt.group(0),
                count_word=mt.group("word"),
            )
        )
    for mt in COUNT.finditer(text):
        num = cn_to_number(mt.group("num"))
        if num is None:
            continue
        if mt.group("word") == "项" and text[mt.end() : mt.end() + 1] == "目":
            continue
        if text[mt.end() : mt.end() + 3].startswith(("百分点", "点")) or text[mt.start() : mt.end() + 3].endswith(
            "个百分点"
        ):
            continue  # 1.8个百分点: a gap, not a count
        q = Quantity(mt.start(), mt.end(), num, "count", mt.group(0), count_word=mt.group("word"))
        if mt.group("more") or mt.group("up"):
            q.qualifier = "over"
        add(q)
    # qualifiers and exclusions
    final = []
    for q in sorted(out, key=lambda q: q.start):
        if NOT_AFTER.match(text[q.end : q.end + 3]) and q.unit in ("count", "yuan"):
            continue
        if q.unit == "count" and q.count_word in ("名", "只", "款", "条", "所"):
            continue
        if q.qualifier is None and q.raw[:1] in "百千万" and text[q.start - 1 : q.start] == "上":
            q.qualifier = "over"  # 上百亿元, 上千家: over that
        if q.qualifier is None:
            q.qualifier = _qual_before(text, q.start) or _qual_after(text, q.end)
        elif q.qualifier == "over" and _qual_after(text, q.end) == "at_least":
            q.qualifier = "over"
        if q.start > 0 and text[q.start - 1] in "(" and text[q.end : q.end + 1] == ")":
            q.in_parens = True
        final.append(q)
    return final
