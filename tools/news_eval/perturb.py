"""Perturbed variants of annotated articles: a proxy for text the reader has never seen.

Every rule of the reader was written while looking at the seeds and the news-dev articles, so its
score on them says little about unseen articles. A perturbation keeps what an article *says* and
changes how, or about whom, it says it, the way another article would: another district or city,
other figures and units, other years and period wordings, the other script, pinyin glosses, page
chrome, a repeated body, reordered clauses, and distractor sentences that the annotation rules
exclude. The gold facts of a variant are derived from the original gold facts with the same
substitution, so no expectation is written by hand for any one sentence.

    variants(path, gold, families=None, seed=0) -> list[Variant]

Each `Variant` carries the full file text (header lines included), its gold facts and, where the
family needs one, a `published` date to pass to the reader. Used by tests/test_news_robustness.py
and by `benchmarks/extraction_eval.py --perturb`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import random
import re
from dataclasses import dataclass
from pathlib import Path

from zhizao.ingest.news.clean import _remove_glosses, to_simplified

FAMILIES = (
    "entity",
    "foreign",
    "number",
    "unit",
    "year",
    "period",
    "synonym",
    "script",
    "pinyin",
    "chrome",
    "duplicate",
    "reorder",
    "paragraphs",
    "distractor",
    "rewrite",
)


@dataclass
class Variant:
    family: str
    article: str
    text: str  # the whole file, header lines included
    gold: list[dict]  # gold facts of the variant, in the order of the original gold
    published: dt.date | None = None
    note: str = ""


# ------------------------------------------------------------------------------------------ helpers
@functools.lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def degloss(text: str) -> str:
    """The text without pinyin glosses (當(dāng) -> 當)."""
    spans = _remove_glosses(text)
    if not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return "".join(out)


def split_file(text: str) -> tuple[str, str]:
    """(header lines, body) of a stored article."""
    lines = text.split("\n")
    k = 0
    while k < len(lines) and re.match(r"^# (source|title):", lines[k]):
        k += 1
    head = "\n".join(lines[:k])
    return (head + "\n" if k else ""), "\n".join(lines[k:])


CN_DIGITS = "零一二三四五六七八九"


def to_cn_numeral(n: int) -> str:
    """12 -> 十二, 305 -> 三百零五, 2024 -> 二千零二十四 (up to 99999)."""
    if n == 0:
        return "零"
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")]
    out, zero = "", False
    for u, name in units:
        d = n // u % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if (u == 10 and d == 1 and not out) else CN_DIGITS[d]) + name
            zero = False
        elif out:
            zero = True
    return out


def _char_class(c: str) -> str:
    t = to_traditional(c)
    alts = {c, t, to_simplified(c)}
    return "[" + "".join(sorted(re.escape(x) for x in alts)) + "]" if len(alts) > 1 else re.escape(c)


GLOSS_OPT = r"(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\))?"


def _name_rx(name: str) -> re.Pattern:
    """A name in either script, with optional pinyin glosses after each character."""
    return re.compile(GLOSS_OPT.join(_char_class(c) for c in name) + GLOSS_OPT)


def _retarget(written: str, new: str) -> str:
    """`new` written in the script of `written`."""
    plain = degloss(written)
    return to_traditional(new) if to_simplified(plain) != plain else new


# ------------------------------------------------------------------------------------------ places
@functools.lru_cache(maxsize=1)
def _places():
    """Chongqing districts of the pack, and the jionlp tree: {province: {city: [districts]}}."""
    from zhizao.ingest.news.gazetteer import _jionlp, pack_places
    from zhizao.reference import DEFAULT_PACK

    cq: list[str] = []
    try:
        for r in pack_places(DEFAULT_PACK).regions:
            if (
                r.level == "county"
                and r.valid_to is None
                and r.name_zh.endswith(("区", "县"))
                and "自治" not in r.name_zh
                and len(r.name_zh) >= 3
                and not r.name_zh.endswith("新区")
            ):
                cq.append(r.name_zh)
    except Exception:  # noqa: BLE001 - a test tool: without the gazetteer, no place names
        pass
    tree: dict[str, dict[str, list[str]]] = {}
    try:
        import contextlib
        import io

        _jionlp()
        from jionlp.dictionary.dictionary_loader import china_location_loader

        with contextlib.redirect_stdout(io.StringIO()):
            table = china_location_loader()
        for p, pn in table.items():
            if not isinstance(pn, dict):
                continue
            tree[p] = {}
            for c, cn in pn.items():
                if c.startswith("_") or not isinstance(cn, dict):
                    continue
                tree[p][c] = [
                    d
                    for d in cn
                    if not d.startswith("_")
                    and d.endswith(("区", "县"))
                    and "自治" not in d
                    and 3 <= len(d) <= 4
                    and not re.search("(开发|新区|园)", d)
                ]
    except Exception:  # noqa: BLE001 - a test tool: without the gazetteer, no place names
        pass
    return sorted(cq), tree


def _root(name: str) -> str:
    if len(name) >= 3 and name[-1] in "区县市":
        return name[:-1]
    return name


def _swap_plan(body: str, gold: list[dict], rng: random.Random) -> dict[str, str]:
    """Old place name -> new place name, for the districts and cities the article names."""
    cq, tree = _places()
    plain = to_simplified(degloss(body))
    plan: dict[str, str] = {}
    used = set()
    for g in gold:
        e, t = g["entity"], g["entity_type"]
        cand_names: list[str] = []
        if t == "park":
            # a park named after its district (铜梁高新区, 涪陵高新区): swap the district part
            for d in cq:
                if e.startswith(_root(d)) and len(e) > len(_root(d)) + 1:
                    e, t = d, "district"
                    break
            else:
                continue
        if e in plan or _root(e) not in plain:
            continue
        if t == "district":
            if e in cq:
                cand_names = cq
            else:
                for _p, cities in tree.items():
                    for _c, ds in cities.items():
                        if e in ds:
                            cand_names = ds
        elif t == "city" and e != "重庆市":
            for _p, cities in tree.items():
                if e in cities:
                    cand_names = [c for c in cities if c.endswith("市") and 3 <= len(c) <= 4]
        cand_names = [
            c
            for c in cand_names
            if c != e and _root(c) not in plain and c not in used and not any(_root(c) in x or x in c for x in plan)
        ]
        if not cand_names:
            continue
        new = rng.choice(sorted(cand_names))
        plan[e] = new
        used.add(new)
    return plan


FOREIGN = [
    ("杭州市", "萧山区"),
    ("苏州市", "吴江区"),
    ("长沙市", "雨花区"),
    ("青岛市", "黄岛区"),
    ("佛山市", "顺德区"),
    ("宁波市", "鄞州区"),
    ("无锡市", "惠山区"),
    ("合肥市", "蜀山区"),
]


def _foreign_plan(body: str, gold: list[dict], rng: random.Random) -> dict[str, str]:
    """A Chongqing article moved to another province: its district and 重庆市 become another city's."""
    cq, _ = _places()
    ents = {g["entity"] for g in gold}
    dists = [e for e in ents if e in cq]
    plain = to_simplified(degloss(body))
    if not dists or not all(e in cq or e == "重庆市" or any(e.startswith(_root(d)) for d in dists) for e in ents):
        return {}
    if len(dists) > 1 or re.search("(主城|渝东|渝西|两江|一小时|两翼)", plain):
        return {}  # an article about several districts of the city, or its regions: not movable
    city, dist = rng.choice([x for x in FOREIGN if x[1] and x[1][:-1] not in plain])
    return {dists[0]: dist, "重庆市": city}


def _apply_swap(text: str, plan: dict[str, str]) -> str:
    for old, new in sorted(plan.items(), key=lambda kv: -len(kv[0])):
        for o, n in ((old, new), (_root(old), _root(new))):
            text = _name_rx(o).sub(lambda m, n=n: _retarget(m.group(0), n), text)
    return text


def _swap_name(name: str | None, plan: dict[str, str]) -> str | None:
    if not name:
        return name
    for old, new in sorted(plan.items(), key=lambda kv: -len(kv[0])):
        if old in name:
            return name.replace(old, new)
        if _root(old) in name:
            return name.replace(_root(old), _root(new))
    return name


# ------------------------------------------------------------------------------------------ numbers
NUM_TOKEN = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?P<scale>万亿|萬億|亿|億|万|萬)?(?P<unit>元|%|％|家|户|戶|个|個|辆|輛)"
)
SCALES = {"万亿": 1e12, "萬億": 1e12, "亿": 1e8, "億": 1e8, "万": 1e4, "萬": 1e4, None: 1.0}


def _token_value(m: re.Match) -> tuple[float, str]:
    v = float(m.group("num")) * SCALES[m.group("scale")]
    u = m.group("unit")
    unit = "yuan" if u == "元" else "percent" if u in "%％" else "vehicle" if u in "辆輛" else "count"
    return v, unit


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b)) if a or b else True


def _fmt(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}" if decimals else str(int(round(x)))


def _gold_tokens(body: str, gold: list[dict]):
    """Number tokens of the text whose value is a gold value (same unit)."""
    out = []
    for m in NUM_TOKEN.finditer(body):
        v, unit = _token_value(m)
        hits = [i for i, g in enumerate(gold) if g.get("unit") == unit and _close(abs(float(g["value"])), v)]
        if hits:
            out.append((m, v, unit, hits))
    return out


def _renumber(body: str, gold: list[dict], rng: random.Random) -> tuple[str, list[dict]]:
    gold = copy.deepcopy(gold)
    toks = _gold_tokens(body, gold)
    newtext: dict[str, str] = {}
    done: set[int] = set()
    # a value written by two different tokens (2个 and 2户) cannot be told apart in the gold: keep it
    spellings: dict[tuple, set] = {}
    for m, v, unit, _hits in toks:
        spellings.setdefault((round(v, 6), unit), set()).add(m.group(0))
    for m, v, unit, hits in toks:
        raw = m.group(0)
        if raw in newtext or len(spellings[(round(v, 6), unit)]) > 1:
            continue
        num = m.group("num")
        dec = len(num.split(".")[1]) if "." in num else 0
        f = rng.choice([0.62, 0.81, 1.17, 1.43])
        x = float(num) * f
        if unit == "percent" and x >= 100:
            x = float(num) * 0.62
        if unit == "count":
            x = max(2, round(x))
            dec = 0
        new_num = _fmt(x, dec)
        if float(new_num) == float(num) or float(new_num) == 0:
            continue
        newtext[raw] = new_num + raw[len(num) :]
        nv = float(new_num) * SCALES[m.group("scale")]
        for i in hits:
            if i in done:
                continue
            sign = -1 if float(gold[i]["value"]) < 0 else 1
            gold[i]["value"] = sign * nv
            done.add(i)
    if not newtext:
        return body, gold
    rx = re.compile("(?<![\\d.])(" + "|".join(re.escape(k) for k in sorted(newtext, key=len, reverse=True)) + ")")
    return rx.sub(lambda mm: newtext[mm.group(1)], body), gold


def _reunit(body: str, gold: list[dict], rng: random.Random) -> str:
    """The same values in other units: 460.3亿元 -> 4603000万元, 0.27万亿元; 32家 -> 三十二家."""
    rep: dict[str, str] = {}
    for m, _v, unit, _hits in _gold_tokens(body, gold):
        raw = m.group(0)
        sc, u = m.group("scale"), m.group("unit")
        num = float(m.group("num"))
        trad = (sc and sc in "億萬萬億") or u in "戶個輛"
        yi, wan = ("億", "萬") if trad else ("亿", "万")
        opts = []
        if unit == "yuan" and sc in ("亿", "億"):
            opts.append(_fmt(num * 1e4, 0) + wan + u if (num * 1e4) == int(num * 1e4) else None)
            if num >= 1000:
                opts.append(("%g" % (num / 1e4)) + wan + yi + u)
        elif unit == "yuan" and sc in ("万", "萬") and num >= 1000:
            opts.append(("%g" % (num / 1e4)) + yi + u)
        elif unit == "count" and num == int(num) and 1 < num < 100000 and sc is None:
            opts.append(to_cn_numeral(int(num)) + u)
        elif unit == "vehicle" and sc in ("万", "萬"):
            opts.append(_fmt(num * 1e4, 0) + u)
        opts = [o for o in opts if o]
        if opts:
            rep[raw] = rng.choice(opts)
    if not rep:
        return body
    rx = re.compile("(?<![\\d.])(" + "|".join(re.escape(k) for k in sorted(rep, key=len, reverse=True)) + ")")
    return rx.sub(lambda mm: rep[mm.group(1)], body)


# ------------------------------------------------------------------------------------------ years
YEAR_RX = re.compile(
    r"(?<![\d.])(?P<y>19[89]\d|20[0-3]\d)(?=年|[-/_.](?:0?[1-9]|1[0-2])(?!\d{3})|(?:0[1-9]|1[0-2])(?:[0-3]\d)?(?!\d)|\s*[-—–~至到]\s*(?:19|20)\d{2})"
)
PLAN_RX = re.compile(r"十[一二三四五六]五")
PLANS = {
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十六五": (2031, 2035),
}


def _shift_period(p, k: int):
    if p is None:
        return None
    return re.sub(r"(?<!\d)(19|20)\d{2}(?!\d)", lambda m: str(int(m.group(0)) + k), str(p))


def _shift_years(text: str, gold: list[dict], k: int) -> tuple[str, list[dict]]:
    """Every year written as digits moves by k; periods that come from a plan name (十四五 -> 2021..2025)
    do not move, since the plan name stays."""
    plain = to_simplified(degloss(text))
    plan_periods: set[str] = set()
    for m in PLAN_RX.finditer(plain):
        a, b = PLANS[m.group(0)]
        if not re.search(rf"(?<!\d){a}(?!\d)", plain):
            plan_periods.update({f"{a}..{b}"})
        if not re.search(rf"(?<!\d){b}(?!\d)", plain):
            plan_periods.add(str(b))
    gold = copy.deepcopy(gold)
    for g in gold:
        if str(g["period"]) not in plan_periods:
            g["period"] = _shift_period(g["period"], k)
    new = YEAR_RX.sub(lambda m: str(int(m.group("y")) + k), text)
    return new, gold


# ------------------------------------------------------------------------------------------ periods
def _cn(n: int) -> str:
    return to_cn_numeral(n)


SPAN_RX = re.compile(
    r"(?<![\d年])(?P<pre>(?:19|20)\d{2}年|今年)?(?P<m1>1)(?:月份?)?\s*(?P<sep>[-—–~至到])\s*(?P<m2>1[0-2]|[2-9])月(?:份)?(?!\d)"
)


def _reword_periods(body: str, rng: random.Random) -> str:
    """1-6月 -> 上半年 / 1月至6月 / 前6个月 ... (the same span in other words)."""

    def sub(m):
        m2 = int(m.group("m2"))
        pre = m.group("pre") or ""
        opts = [f"1月至{m2}月", f"1—{m2}月", f"1至{m2}月", f"1月-{m2}月", f"前{_cn(m2)}个月"]
        if m2 == 6:
            opts += ["上半年"]
        if m2 == 3:
            opts += ["一季度", "第一季度"]
        if m2 == 9:
            opts += ["前三季度"]
        return pre + rng.choice(opts)

    def sub_part(m):
        pre = m.group("pre") or ""
        h = m.group("h")
        table = {
            "上半年": ["1-6月", "1至6月", "前6个月"],
            "前三季度": ["1-9月", "1月至9月"],
            "一季度": ["1-3月", "1月至3月"],
            "第一季度": ["1-3月"],
        }
        return pre + rng.choice(table[h])

    out = SPAN_RX.sub(sub, body)
    if out == body:
        out = re.sub(r"(?P<pre>(?:19|20)\d{2}年|今年)?(?P<h>上半年|前三季度|第一季度|一季度)", sub_part, body)
    return out


def _relative_years(body: str, date: dt.date) -> str:
    """2023年1-6月 -> 今年1-6月 when the article is dated in 2023 (passed as --published)."""
    y = str(date.year)
    return re.sub(y + r"年(?=(?:1|一)?[月\-—至到]|上半年|前三季度|[一二三四]季度|1-|\d{1,2}月)", "今年", body)


# ------------------------------------------------------------------------------------------ pinyin
@functools.lru_cache(maxsize=1)
def _jio():
    from zhizao.ingest.news.gazetteer import _jionlp

    return _jionlp()


def add_pinyin(text: str, every: int = 1) -> str:
    """Insert tone-marked pinyin glosses after CJK characters, like the glossed mirrors (當(dāng)前)."""
    jio = _jio()
    out = []
    for line in text.split("\n"):
        if not re.search(r"[\u4e00-\u9fff]", line) or line.startswith("# "):
            out.append(line)
            continue
        try:
            py = jio.pinyin(line, formater="standard")
        except Exception:  # noqa: BLE001 - a test tool: a line jionlp cannot gloss stays as it is
            out.append(line)
            continue
        if len(py) != len(line):
            out.append(line)
            continue
        buf, k = [], 0
        for c, p in zip(line, py):
            buf.append(c)
            if "\u4e00" <= c <= "\u9fff" and p and re.fullmatch(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}", p):
                k += 1
                if k % every == 0:
                    buf.append(f"({p})")
        out.append("".join(buf))
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ chrome
CHROME_TOP = [
    "首页 > 新闻中心 > 区县动态 > 正文",
    "当前位置：首页 > 政务公开 > 工作动态",
    "首页 | 政务公开 | 办事服务 | 互动交流 | 专题专栏",
    "【字体：大 中 小】 打印本页 关闭窗口",
    "来源：本站  作者：综合  浏览次数：1024",
]
CHROME_BOTTOM = [
    "责任编辑：王晓明",
    "版权所有：人民政府办公室  ICP备05012345号-1",
    "图为工业园区内一家企业的生产车间。记者 李强 摄",
    "扫描上方二维码，关注官方微信公众号",
    "相关阅读\n工业经济持续回暖 1-7月规上工业增加值增长9.6%\n全市新增规上工业企业126家 技改投资增长15.3%",
]


def _add_chrome(head: str, body: str, rng: random.Random) -> str:
    top = rng.sample(CHROME_TOP, 2)
    bottom = rng.sample(CHROME_BOTTOM[:-1], 2) + [CHROME_BOTTOM[-1]]
    return head + "\n".join(top) + "\n" + body.rstrip("\n") + "\n" + "\n".join(bottom) + "\n"


# ------------------------------------------------------------------------------------------ reorder
TIME_LEAD = re.compile(
    r"(?P<t>(?:(?:19|20)\d{2}年|今年)?(?:1-\d{1,2}月|1—\d{1,2}月|1月至\d{1,2}月|上半年|前三季度|一季度|"
    r"(?:19|20)\d{2}年)(?:份)?),(?P<e>全区|全市|全县|我区|我市|(?:[\u4e00-\u9fff]{2,3}[省市])?"
    r"[\u4e00-\u9fff]{2,4}[区區县縣市])(?=[\u4e00-\u9fff])(?![\u4e00-\u9fff]{0,3}[区區县縣市])"
)


def _reorder(body: str) -> str:
    """今年1-5月,全区技改投资… -> 全区今年1-5月技改投资… (subject before the time)."""
    return TIME_LEAD.sub(lambda m: m.group("e") + m.group("t"), body)


# ------------------------------------------------------------------------------------------ synonyms
# Wordings with the same meaning under the annotation rules; an unseen article uses any of them.
SYNONYMS: list[tuple[str, list[str]]] = [
    ("规模以上工业总产值", ["规上工业总产值", "规上工业产值"]),
    ("规上工业总产值", ["规模以上工业总产值", "规上工业产值"]),
    ("规模以上工业增加值", ["规上工业增加值", "规模工业增加值"]),
    ("规上工业增加值", ["规模以上工业增加值"]),
    ("比上年同期增长", ["同比增长"]),
    ("比上年增长", ["同比增长", "较上年增长"]),
    ("地区生产总值", ["GDP"]),
    ("技改投资", ["技术改造投资"]),
    ("工业投资", ["工业投资额"]),
    ("营业收入", ["营收"]),
    ("实现", ["完成"]),
    ("完成", ["实现"]),
    ("达到", ["达"]),
    ("规上工业企业", ["规模以上工业企业"]),
]


def _synonyms(body: str, rng: random.Random) -> str:
    rules = [(k, rng.choice(v)) for k, v in SYNONYMS if rng.random() < 0.8]
    if not rules:
        return body
    # one pass, longest source phrase first, so that a replacement is never rewritten again
    table = {}
    for k, v in rules:
        table.setdefault(k, v)
    alts = sorted(table, key=len, reverse=True)
    rx = re.compile("|".join("(" + _name_rx(a).pattern + ")" for a in alts))

    def sub(m):
        k = alts[m.lastindex - 1]
        return _retarget(m.group(0), table[k])

    return rx.sub(sub, body)


# ------------------------------------------------------------------------------------------ distractors
DISTRACTORS = [
    "{E}规上工业增加值增速居全市第3位,较上年前移2位。",
    "{E}工业增加值增速高于全市平均水平2.3个百分点。",
    "工业投资拉动{E}经济增长1.8个百分点,对经济增长的贡献率为35.6%。",
    "{E}新建项目达产后将形成年产300万套汽车零部件的产能。",
    "{E}目前在谈项目15个,意向投资额120亿元。",
    "{E}共有3家企业上榜中国制造业企业500强。",
    "{E}常住人口达到112.5万人,城镇化率为71.2%。",
    "{E}社会消费品零售总额增长6.5%,金融机构贷款余额达到1850亿元。",
    "{E}规上工业企业生产效率提升23.5%,运营成本降低18.2%。",
]


def _distractors(body: str, ename: str, rng: random.Random) -> str:
    lines = body.split("\n")
    idx = [i for i, line in enumerate(lines) if len(line.strip()) > 30]
    picks = rng.sample(DISTRACTORS, 3)
    for i, d in zip(sorted(rng.sample(idx, min(3, len(idx))) if idx else [len(lines) - 1], reverse=True), picks):
        lines.insert(i + 1, d.format(E=ename))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ rewrite
# Each gold fact said again in a standard wording of its metric (the cue words of the vocabulary in
# shared/seeds/README.md), in a new short article: the reader must read the vocabulary, not the
# sentences it was tuned on. {E} entity, {P} period, {V} value, {C} industry.
REWRITE: dict[str, list[str]] = {
    "industrial_output": [
        "{P},{E}实现规上工业总产值{V}。",
        "{E}{P}规模以上工业总产值达到{V}。",
        "{P}{E}完成规上工业产值{V}。",
    ],
    "industrial_output_growth": ["{P},{E}规上工业总产值同比{G}{V}。", "{E}{P}规模以上工业产值{G}{V}。"],
    "industrial_value_added": ["{P},{E}完成规上工业增加值{V}。", "{E}{P}实现规模以上工业增加值{V}。"],
    "industrial_value_added_growth": ["{P},{E}规上工业增加值同比{G}{V}。", "{E}{P}规模以上工业增加值比上年{G}{V}。"],
    "gdp": ["{P},{E}实现地区生产总值{V}。", "{E}{P}地区生产总值达到{V}。"],
    "gdp_growth": ["{P},{E}地区生产总值同比{G}{V}。", "{E}{P}GDP{G}{V}。"],
    "industrial_investment": ["{P},{E}完成工业投资{V}。"],
    "industrial_investment_growth": ["{P},{E}工业投资同比{G}{V}。", "{E}{P}工业投资{G}{V}。"],
    "tech_renovation_investment_growth": ["{P},{E}技改投资同比{G}{V}。", "{E}{P}工业技改投资{G}{V}。"],
    "fixed_asset_investment_growth": ["{P},{E}固定资产投资同比{G}{V}。"],
    "manufacturing_investment_growth": ["{P},{E}制造业投资{G}{V}。"],
    "revenue": ["{P},{E}规上工业企业实现营业收入{V}。"],
    "industrial_sales_output": ["{P},{E}完成工业销售产值{V}。"],
    "enterprise_count": ["{E}现有规上工业企业{V}。", "目前,{E}规模以上工业企业达到{V}。"],
    "new_enterprise_count": ["{P},{E}新增规上工业企业{V}。"],
    "high_tech_enterprise_count": ["{E}现有高新技术企业{V}。"],
    "specialized_sme_count": ["{E}现有专精特新企业{V}。"],
    "industry_output": ["{P},{E}{C}实现产值{V}。", "{E}{P}{C}产值达到{V}。"],
    "industry_output_growth": ["{P},{E}{C}产值同比{G}{V}。"],
}
# An amount and its growth in one sentence, the commonest construction of all.
REWRITE_PAIR: dict[str, list[str]] = {
    "industrial_output": [
        "{P},{E}实现规上工业总产值{V},同比{G}{V2}。",
        "{E}{P}完成规模以上工业总产值{V},比上年{G}{V2}。",
    ],
    "industrial_value_added": ["{P},{E}实现规上工业增加值{V},同比{G}{V2}。"],
    "gdp": ["{P},{E}实现地区生产总值{V},同比{G}{V2}。", "{P}{E}GDP达到{V},{G}{V2}。"],
    "industrial_investment": ["{P},{E}完成工业投资{V},同比{G}{V2}。"],
    "industry_output": ["{P},{E}{C}实现产值{V},同比{G}{V2}。"],
    "revenue": ["{P},{E}规上工业企业实现营业收入{V},同比{G}{V2}。"],
}
# Targets: a goal for a year.
REWRITE_TARGET: dict[str, list[str]] = {
    "industrial_output": ["到{Y}年,{E}规上工业总产值力争达到{V}。", "{E}提出,{Y}年规上工业总产值将突破{V}。"],
    "industry_output": ["到{Y}年,{E}{C}产值力争达到{V}。"],
    "gdp": ["到{Y}年,{E}地区生产总值力争达到{V}。"],
}
COUNTERS = {
    "enterprise_count": "家",
    "new_enterprise_count": "家",
    "high_tech_enterprise_count": "家",
    "specialized_sme_count": "家",
}


def _period_text(p: str, date: dt.date | None, rng: random.Random) -> str | None:
    m = re.fullmatch(r"(\d{4})", p or "")
    if m:
        y = int(m.group(1))
        opts = [f"{y}年"] + (["去年"] if date and date.year == y + 1 else [])
        return rng.choice(opts)
    m = re.fullmatch(r"(\d{4})-01\.\.(\d{4})-(\d{2})", p or "")
    if m and m.group(1) == m.group(2):
        y, m2 = int(m.group(1)), int(m.group(3))
        pre = rng.choice([f"{y}年"] + (["今年"] if date and date.year == y and date.month > m2 else []))
        opts = [f"1-{m2}月", f"1至{m2}月", f"1月至{m2}月"]
        opts += {3: ["一季度"], 6: ["上半年"], 9: ["前三季度"]}.get(m2, [])
        return pre + rng.choice(opts) if m2 > 1 else None
    return None


def _value_text(g: dict, rng: random.Random) -> tuple[str, str] | None:
    v, unit = float(g["value"]), g["unit"]
    if unit == "percent":
        return ("下降" if v < 0 else "增长"), f"{abs(v):g}%"
    if unit == "yuan" and abs(v) >= 1e8:
        return "", f"{v / 1e8:g}亿元"
    if unit == "yuan" and abs(v) >= 1e4:
        return "", f"{v / 1e4:g}万元"
    if unit == "count" and v == int(v):
        return "", f"{int(v)}{COUNTERS.get(g['metric'], '个')}"
    return None


def _cluster_text(g: dict) -> str:
    cl = g.get("cluster") or ""
    if cl and not re.search("(产业|制造业|行业|集群)$", cl):
        cl += "产业"
    return cl


def _rewrite(gold: list[dict], date: dt.date | None, rng: random.Random) -> tuple[str, list[dict]] | None:
    lines, keep = [], []
    paired: set[int] = set()
    usable = [g for g in gold if not g.get("ambiguous") and g["entity_type"] in ("district", "city", "park")]
    # amount + growth of the same measure, entity and period: one sentence
    for i, g in enumerate(usable):
        tpl = REWRITE_PAIR.get(g["metric"])
        if not tpl or g["kind"] != "actual" or rng.random() < 0.3:
            continue
        for j, h in enumerate(usable):
            if (
                j in paired
                or i in paired
                or h["metric"] != g["metric"] + "_growth"
                or h["kind"] != "actual"
                or h["entity"] != g["entity"]
                or h["period"] != g["period"]
                or h.get("cluster") != g.get("cluster")
            ):
                continue
            pt = _period_text(str(g["period"]), date, rng)
            vt, gt = _value_text(g, rng), _value_text(h, rng)
            if pt is None or vt is None or gt is None or (g["metric"].startswith("industry_") and not g.get("cluster")):
                continue
            cl = _cluster_text(g)
            lines.append(rng.choice(tpl).format(E=g["entity"], P=pt, V=vt[1], V2=gt[1], G=gt[0], C=cl).lstrip(","))
            keep += [g, h]
            paired.update({i, j})
            break
    for i, g in enumerate(usable):
        if i in paired:
            continue
        if g["kind"] == "target":
            tpl = REWRITE_TARGET.get(g["metric"])
            vt = _value_text(g, rng)
            if (
                tpl
                and vt
                and re.fullmatch(r"\d{4}", str(g["period"]))
                and g.get("qualifier") != "level"
                and not (g["metric"].startswith("industry_") and not g.get("cluster"))
            ):
                lines.append(rng.choice(tpl).format(E=g["entity"], Y=g["period"], V=vt[1], C=_cluster_text(g)))
                keep.append(g)
            continue
        tpl = REWRITE.get(g["metric"])
        if not tpl or (g["metric"].startswith("industry_") and not g.get("cluster")):
            continue
        vt = _value_text(g, rng)
        if vt is None:
            continue
        if str(g["period"]).startswith("as_of:"):
            if not g["metric"].endswith("_count") or date is None:
                continue
            g = dict(g, period=f"as_of:{date.year}-{date.month:02d}")  # said as 现有/目前: the article date
            pt = ""
        else:
            pt = _period_text(str(g["period"]), date, rng)
            if pt is None:
                continue
        t = rng.choice([x for x in tpl if ("{P}" in x) == bool(pt)] or tpl)
        if pt and "{P}" not in t:
            t = "{P}," + t.replace("目前,", "")
        cl = _cluster_text(g)
        lines.append(t.format(E=g["entity"], P=pt, V=vt[1], G=vt[0] or "增长", C=cl).lstrip(","))
        keep.append(g)
    if not keep:
        return None
    head = f"# title: {keep[0]['entity']}工业经济运行情况\n"
    dl = f"发布时间:{date.isoformat()}\n" if date else ""
    return head + dl + "\n".join(lines) + "\n", keep


# ------------------------------------------------------------------------------------------ driver
def _main_written(body: str, gold: list[dict]) -> str:
    names = [g["entity"] for g in gold if g["entity_type"] in ("district", "city", "park")]
    plain = to_simplified(degloss(body))
    for n in names:
        if n in plain:
            return n
        if _root(n) in plain:
            return _root(n)
    return "全区"


def variants(
    path: str | Path, gold: list[dict], families=None, seed: int = 0, date: dt.date | None = None
) -> list[Variant]:
    """Variants of one article. `gold` are its gold facts; `date` its date (for relative years)."""
    path = Path(path)
    aid = path.stem
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    head, body = split_file(raw)
    fams = families or FAMILIES
    out: list[Variant] = []
    rng = random.Random(f"{aid}:{seed}")
    traditional = to_simplified(degloss(body)) != degloss(body)
    glossed = bool(_remove_glosses(body))
    plain_body = degloss(body)
    for fam in fams:
        g = copy.deepcopy(gold)
        if fam == "entity":
            plan = _swap_plan(body, gold, rng)
            if not plan:
                continue
            text = _apply_swap(head + body, plan)
            for x in g:
                x["entity"] = _swap_name(x["entity"], plan)
            out.append(Variant(fam, aid, text, g, note=", ".join(f"{a}->{b}" for a, b in plan.items())))
        elif fam == "foreign":
            plan = _foreign_plan(body, gold, rng)
            if not plan:
                continue
            text = _apply_swap(head + body, plan)
            for x in g:
                x["entity"] = _swap_name(x["entity"], plan)
                if x["entity"] == plan.get("重庆市"):
                    x["entity_type"] = "city"
            out.append(Variant(fam, aid, text, g, note=", ".join(f"{a}->{b}" for a, b in plan.items())))
        elif fam == "number":
            nb, g = _renumber(plain_body, gold, rng)
            if nb != plain_body:
                out.append(Variant(fam, aid, head + nb, g))
        elif fam == "unit":
            nb = _reunit(plain_body, gold, rng)
            if nb != plain_body:
                out.append(Variant(fam, aid, head + nb, g))
        elif fam == "year":
            k = rng.choice([-3, -2, 2])
            text, g = _shift_years(head + plain_body, gold, k)
            if text != head + plain_body:
                pub = date.replace(year=date.year + k) if date else None
                out.append(Variant(fam, aid, text, g, published=pub, note=f"{k:+d} years"))
        elif fam == "period":
            nb = _reword_periods(plain_body, rng)
            pub = None
            if date is not None:
                nb2 = _relative_years(nb, date)
                if nb2 != nb:
                    nb, pub = nb2, date
            if nb != plain_body:
                out.append(Variant(fam, aid, head + nb, g, published=pub))
        elif fam == "synonym":
            nb = _synonyms(plain_body, rng)
            if nb != plain_body:
                out.append(Variant(fam, aid, head + nb, g))
        elif fam == "script":
            nb = to_simplified(plain_body) if traditional else to_traditional(plain_body)
            out.append(Variant(fam, aid, head + nb, g, note="t2s" if traditional else "s2t"))
        elif fam == "pinyin":
            base = to_traditional(plain_body) if not traditional else plain_body
            out.append(Variant(fam, aid, head + add_pinyin(base, every=1 if glossed else 2), g))
        elif fam == "chrome":
            out.append(Variant(fam, aid, _add_chrome(head, body, rng), g))
        elif fam == "duplicate":
            out.append(Variant(fam, aid, head + body.rstrip("\n") + "\n\n分享到：\n" + body, g))
        elif fam == "reorder":
            nb = _reorder(plain_body)
            if nb != plain_body:
                out.append(Variant(fam, aid, head + nb, g))
        elif fam == "paragraphs":
            # the same text paragraphed differently: one sentence per line, or paragraphs run together
            if rng.random() < 0.5:
                nb = re.sub(r"(?<=[。！？!?])(?=[^\n”」』])", "\n", plain_body)
                note = "split"
            else:
                nb = re.sub(r"(?<=[。！？!?])\n+(?=[^\n]{40,})", "", plain_body)
                note = "merged"
            if nb != plain_body:
                out.append(Variant(fam, aid, head + nb, g, note=note))
        elif fam == "rewrite":
            rw = _rewrite(gold, date, rng)
            if rw is not None:
                out.append(Variant(fam, aid, rw[0], rw[1], published=date))
                continue
        elif fam == "distractor":
            ename = _main_written(plain_body, gold)
            out.append(Variant(fam, aid, head + _distractors(plain_body, ename, rng), g))
    return out


# ------------------------------------------------------------------------------------------ scoring
def evaluate(gold: list[dict], files: list[Path], families=None, seeds=(0,)) -> dict:
    """Per family: strict F1 of the reader on the variants (pooled), and how many variants keep every
    fact the reader finds in the original article with no new false fact (the pass rate).

    Returns {family: {"variants", "passed", "f1", "tp", "fp", "fn", "kept", "was", "failures": [...]}}.
    """
    from zhizao.ingest.news.extract import extract, read_article

    from .score import match

    by_art: dict[str, list[dict]] = {}
    for g in gold:
        by_art.setdefault(g["article"], []).append(g)
    fams = families or FAMILIES
    stats = {
        f: {"variants": 0, "passed": 0, "tp": 0, "fp": 0, "fn": 0, "kept": 0, "was": 0, "failures": []} for f in fams
    }
    for f in files:
        ag = by_art.get(f.stem)
        if not ag:
            continue
        art = read_article(f)
        date = art.published
        pin = date if art.date_source in ("pack", "option") else None
        base_pred = [x.to_dict() for x in extract(art)]
        rb = match(ag, base_pred, True)
        base_ok = _matched_idx(ag, rb)
        seen: set[str] = set()
        for seed in seeds:
            for v in variants(f, ag, fams, seed=seed, date=date):
                if v.text in seen:
                    continue  # the same variant again (a family without randomness)
                seen.add(v.text)
                pub = v.published
                if pub is None and pin is not None:
                    pub = pin if v.family != "year" else None
                a2 = read_article(data=v.text.encode("utf-8"), article_id=v.article, published=pub)
                pred = [x.to_dict() for x in extract(a2)]
                r = match(v.gold, pred, True)
                ok = _matched_idx(v.gold, r)
                s = stats[v.family]
                s["variants"] += 1
                s["tp"] += r["tp"]
                s["fp"] += r["fp"]
                s["fn"] += r["fn"]
                s["was"] += len(base_ok)
                s["kept"] += len(base_ok & ok)
                if v.family == "rewrite":  # a new article: every fact is expected, nothing else
                    s["was"] += len(v.gold) - len(base_ok)
                    s["kept"] += len(ok) - len(base_ok & ok)
                    lost = sorted(set(range(len(v.gold))) - ok)
                    new_fp = r["fp"]
                else:
                    lost = sorted(base_ok - ok)
                    new_fp = r["fp"] - rb["fp"]
                if not lost and new_fp <= 0:
                    s["passed"] += 1
                else:
                    s["failures"].append(
                        {
                            "article": v.article,
                            "note": v.note,
                            "lost": [_k(v.gold[i]) for i in lost],
                            "new_fp": new_fp,
                            "false": [_k(p) for p in r["_false"]],
                        }
                    )
    for s in stats.values():
        p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 0.0
        rc = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 0.0
        s["f1"] = round(2 * p * rc / (p + rc), 4) if p + rc else 0.0
    return stats


def _k(d: dict) -> tuple:
    return (d.get("entity"), d.get("metric"), d.get("value"), d.get("period"), d.get("kind"))


def _matched_idx(gold: list[dict], r: dict) -> set[int]:
    missed = {id(g) for g in r["_missed"]}
    return {i for i, g in enumerate(gold) if not g.get("ambiguous") and id(g) not in missed}
