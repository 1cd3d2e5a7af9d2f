"""Turn a saved article into clean simplified text, keeping a map back to the saved text.

Every character of the cleaned text remembers where it came from in the original (`starts[i]`,
`ends[i]`), so that a span found in the cleaned text can be quoted byte-exactly from the original:
pinyin glosses (`當(dāng)前`), traditional characters and stray punctuation stay in the quote, as
the annotation rules ask.

Steps, in order:
1. decode (UTF-8 only; anything else is refused with a message that says what it looks like);
2. header lines of stored excerpts (`# source: URL`, `# title: ...`) are split off;
3. pinyin glosses after characters are removed (they stay attached to the preceding character);
4. page chrome lines (breadcrumbs, menus, captions, copyright and disclaimer notices, editor
   lines) are dropped, and everything after a "recommended articles" heading is dropped;
5. lines repeated on the same page (a page that shows its body twice) are kept once;
6. full-width digits and punctuation become ASCII, spaces between CJK characters and digits go
   (one stays between two numbers, so that table cells do not merge),
   doubled commas collapse;
7. traditional characters become simplified ones (OpenCC, character by character so that the
   offset map stays one-to-one).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ZhizaoError

MAX_BYTES = 5 * 1024 * 1024  # an article larger than this is not a news article

# Lines that are page furniture, not article text (matched on the simplified line).
CHROME_LINE = [
    re.compile(r"(当前位置|您的位置|你的位置)[:：]"),
    re.compile(r"^\s*(首页|主页)\s*[>›»]"),
    re.compile(r"[>›»].*[>›»].*正文\s*$"),
    re.compile(r"(版权声明|版权所有|免责声明|郑重声明|Copyright|copyright|ICP备|备案号|违法和不良信息举报)"),
    re.compile(r"(责任编辑|责编|编辑[:：]|作者单位|记者\s*\S+\s*(摄|报道)\s*$)"),
    re.compile(r"(报料|联系方式[:：]|咨询电话|联系邮箱|联系电话|投稿邮箱)"),
    # app, comment and sharing furniture (a short line without figures: see _is_chrome)
    re.compile(
        r"^(?!.*\d+(\.\d+)?\s*(%|亿|万|家|个)).{0,60}(二维码|客户端|下载APP|跟帖|网友评论|发言请遵守|点击(了解|查看|进入|阅读)|"
        r"阅读原文|分享到)"
    ),
    re.compile(r"^\s*[\(（]?\s*(记者|通讯员|摄影)?\s*\S{0,12}\s*(摄|供图|图)\s*[\)）]?\s*$"),
    re.compile(r"\.(jpg|jpeg|png|gif)\b", re.IGNORECASE),
    re.compile(
        r"^\s*(关闭|关闭窗口|分享|打印|收藏|返回|返回顶部|无障碍|关怀版|导航|字体[:：]?|大字|上一篇|下一篇|登录|注册|搜索|"
        r"打开\S*阅读)\s*$"
    ),
    re.compile(r"^\s*[\|｜\-—•·]*\s*$"),
    # the neighbours' headlines (上一篇:江北区一季度工业投资增长15%), and a listed headline with its date
    re.compile(r"^\s*[\[【]?\s*(上一篇|下一篇|上一条|下一条|上篇|下篇|前一篇|后一篇)\s*[\]】]?\s*[:：]"),
    re.compile(r"^\s*[·•◆◇▪■□●○►▶\-—]\s*[^。]{4,60}?[\(（\[]?\s*(19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*[\)）\]]?\s*$"),
]
# A photo caption: a short line ending in "… 摄" / "… 供图".
CAPTION = re.compile(r"(摄|供图|图片来源\S*)\s*$")
# A menu: several short items separated by | or spaces, no sentence punctuation, no digits.
MENU_SEP = re.compile(r"[\|｜]")
# A table's header row (指标 | 绝对量(亿元) | 比上年增长(%)) is not a menu.
TABLE_HEADER_WORDS = re.compile(r"(绝对[量数值]|比上年增长|同比增长|增长\s*[(（]\s*%|比重\s*[(（]|计量单位|指\s*标)")
# A heading after which the page lists other articles: the rest of the page is dropped.
TAIL_HEADINGS = re.compile(
    r"^\s*[-—\[【]?\s*(推荐|相关推荐|新闻推荐|推荐阅读|相关阅读|延伸阅读|相关新闻|热点推荐|最新|图文|"
    r"更多新闻|猜你喜欢|热门推荐|往期回顾|相关文章|推荐中\.*|\[更多新闻\])\s*[\]】]?\s*[-—:：]?\s*$"
)

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_GLOSS_CHARS = _TONE + "ü"  # lüè, nǚ: a bare ü beside a toned vowel
GLOSS = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\(([a-z%s]{1,7})\)" % _GLOSS_CHARS)
_HAS_TONE = re.compile("[%s]" % _TONE)
_PINYIN_SYLLABLE = re.compile(
    r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|o|e|i|u|v|ai|ei|ao|ou|an|en|ang|eng|ong|er|ia|ie|iao|iu|ian|in|"
    r"iang|ing|iong|ua|uo|uai|ui|uan|un|uang|ueng|ve|van|vn|ue)$"
)

FOOTNOTE = re.compile(r"(?<=[\u3400-\u9fff])[\[［]\d{1,2}[\]］](?=[\u3400-\u9fff,，。、;；])")

FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
FULLWIDTH.update(
    {
        "，": ",",
        "；": ";",
        "：": ":",
        "（": "(",
        "）": ")",
        "％": "%",
        "．": ".",
        "！": "!",
        "？": "?",
        "\u3000": " ",
        "\xa0": " ",
        "—": "—",
        "－": "-",
        "～": "~",
        "／": "/",
        "﹪": "%",
        "‰": "‰",
        "﹐": ",",
        "、": "、",
    }
)


_FULLWIDTH_TABLE = str.maketrans(FULLWIDTH)
_SPECIAL_RX = re.compile(r"[ \t\r,。\n]")  # the characters the cleaner looks at one by one

# a year written in Chinese digits (二〇二三年): the same four characters in Arabic digits, so that the text keeps
# its length and every reading of years reads it
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_YEAR_RX = re.compile(r"(?<![一二三四五六七八九十〇零○])(?:一九|二[〇零○ＯO])[〇零○ＯO一二三四五六七八九]{2}(?=年)")


def cn_years(text: str) -> str:
    return _CN_YEAR_RX.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(0)), text)


def _runs(keep: list[bool]):
    """(start, end) of the runs of kept characters."""
    n, i = len(keep), 0
    while i < n:
        while i < n and not keep[i]:
            i += 1
        j = i
        while j < n and keep[j]:
            j += 1
        if j > i:
            yield i, j
        i = j


class ArticleError(ZhizaoError, ValueError):
    """An input that is not a readable article (empty, binary, wrong encoding, too large)."""


@dataclass
class CleanText:
    original: str  # the saved text (header lines excluded)
    text: str  # cleaned, simplified
    starts: list[int]  # original offset of each cleaned character
    ends: list[int]  # original end offset (glosses attached to a character included)
    dropped_lines: int = 0
    duplicate_lines: int = 0
    meta: dict = field(default_factory=dict)

    def quote(self, start: int, end: int) -> str:
        """The original text behind the cleaned span [start, end)."""
        if end <= start:
            return ""
        return self.original[self.starts[start] : self.ends[end - 1]]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


# ---------------------------------------------------------------------------------------- decoding
def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes to text. UTF-8 unless `encoding` is given; clear errors for everything else."""
    if not data or not data.strip():
        raise ArticleError("empty file")
    if len(data) > MAX_BYTES:
        raise ArticleError(
            f"too large for an article ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)"
        )
    head = data[:4096]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        raise ArticleError("binary file (contains NUL bytes), not a text article")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise ArticleError(f"cannot decode as {encoding}: {e}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (it decodes as GBK/GB18030: convert it to UTF-8 or pass --encoding gb18030)"
        except UnicodeDecodeError:
            try:
                data.decode("big5")
                hint = " (it decodes as Big5: convert it to UTF-8 or pass --encoding big5)"
            except UnicodeDecodeError:
                hint = " (and it is not GBK or Big5 either: probably a binary file)"
        raise ArticleError("not UTF-8 text" + hint) from None
    bad = len(_GARBLED.findall(text, 0, 20000))
    if bad > max(20, len(text[:20000]) // 50):
        raise ArticleError("binary or garbled file (too many control characters)")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ArticleError("no Chinese text in the file")
    return text


_GARBLED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")  # control characters (not tab, newline, CR)

HEADER = re.compile(r"^# (source|title): ?(.*)$")


def split_header(text: str) -> tuple[dict, str]:
    """Split off `# source:` / `# title:` header lines of stored excerpts; the rest is the article."""
    meta: dict = {}
    pos = 0
    while True:
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        mt = HEADER.match(line.rstrip("\r"))
        if not mt:
            break
        val = mt.group(2).strip()
        if val and not val.startswith("(no title"):
            meta["address" if mt.group(1) == "source" else "title"] = val
        if nl < 0:
            pos = len(text)
            break
        pos = nl + 1
    return meta, text[pos:]


# ---------------------------------------------------------------------------------------- converting
# A few variant glyphs OpenCC leaves alone that mirrors use for simplified characters.
EXTRA_VARIANTS = {
    "産": "产",
    "覈": "核",
    "佔": "占",
    "祇": "只",
    "綫": "线",
    "衆": "众",
    "裏": "里",
    "麵": "面",
    "麪": "面",
    "着": "着",
    "爲": "为",
    "僞": "伪",
    "喫": "吃",
    "纔": "才",
}


@functools.lru_cache(maxsize=1)
def _t2s() -> tuple[dict[int, str], dict[str, str], re.Pattern | None]:
    """OpenCC's traditional-to-simplified dictionaries (shipped with the opencc package) as one character
    table for str.translate, plus the phrases whose conversion differs from their characters' (乾坤 stays
    乾坤, 瞭解 becomes 了解) and keep their length, found with one regular expression."""
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"

    def entries(name: str):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            k, _, v = line.partition("\t")
            if k and v:
                yield k, v.split(" ")[0]

    chars = {k: v for k, v in entries("TSCharacters.txt") if len(k) == 1 and len(v) == 1}
    chars.update(EXTRA_VARIANTS)
    table = str.maketrans(chars)
    phrases = {}
    for k, v in entries("TSPhrases.txt"):
        v = v.translate(table)
        if len(k) == len(v) and k.translate(table) != v:
            phrases[k] = v
    rx = re.compile("|".join(re.escape(k) for k in sorted(phrases, key=len, reverse=True))) if phrases else None
    return table, phrases, rx


def to_simplified(text: str) -> str:
    """Traditional to simplified, one character for one character (so offsets stay the same)."""
    table, phrases, rx = _t2s()
    out = text.translate(table)
    if rx is None:
        return out
    parts, pos = [], 0
    for mt in rx.finditer(text):
        parts.append(out[pos : mt.start()])
        parts.append(phrases[mt.group(0)])
        pos = mt.end()
    if not parts:
        return out
    parts.append(out[pos:])
    return "".join(parts)


# Machine-reworded pages swap words for near-synonyms (範圍以上工業 for 规模以上工业); the usual terms are put
# back, each by a word of the same length so that the map to the saved text stays one to one.
UNSPIN = {"范围以上": "规模以上", "范围工业": "规模工业", "范围企业": "规模企业"}
_UNSPIN_RX = re.compile("|".join(UNSPIN))


def _unspin(text: str) -> str:
    return _UNSPIN_RX.sub(lambda m: UNSPIN[m.group(0)], text) if "范围" in text else text


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


# ---------------------------------------------------------------------------------------- cleaning
def _remove_glosses(text: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses in `text`."""
    cands = list(GLOSS.finditer(text))
    toned = sum(1 for m in cands if _HAS_TONE.search(m.group(1)))
    out = []
    for m in cands:
        g = m.group(1)
        if _HAS_TONE.search(g) or (toned >= 3 and _PINYIN_SYLLABLE.match(g)):
            out.append((m.start(), m.end()))
    return out


def _is_chrome(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    for rx in CHROME_LINE:
        if rx.search(s):
            # a real sentence with figures that merely ends in a caption credit is kept
            if rx is CHROME_LINE[7] and len(s) > 40:
                continue
            # a lead paragraph opening with the outlet's dateline (华龙网-新重庆客户端8月16日讯…) is text
            if rx is CHROME_LINE[6] and len(s) > 80 and "。" in s:
                continue
            return True
    if len(s) <= 60 and CAPTION.search(s) and not re.search(r"\d+(\.\d+)?\s*(%|亿|万|家|个)", s):
        return True
    if MENU_SEP.search(s) and not re.search(r"[。,;]", s) and not TABLE_HEADER_WORDS.search(s):
        parts = [p for p in re.split(r"[\|｜\s]+", s) if p]
        if len(parts) >= 3 and sum(len(p) for p in parts) / len(parts) <= 6 and not re.search(r"\d", s):
            return True
    return False


# Notices that end the article text even inside a long line (pages flattened to one paragraph).
CHROME_TAIL = re.compile(
    r"(版权声明|版权所有|免责声明|郑重声明|Copyright|ICP备|责任编辑|责编[:：]|扫描上方二维码|扫描二维码|"
    r"原标题[:：]|来源[:：]\S{0,20}\s*$)"
)


def _chrome_tail(line: str) -> int | None:
    """Where the article text of a long line stops, when a page notice follows it in the same line."""
    if len(line) < 150:
        return None
    mt = CHROME_TAIL.search(line, 60)
    if mt is None:
        return None
    k = max(line.rfind(c, 0, mt.start()) for c in "。!?！？")
    return k + 1 if k > 0 else None


HTML_HINT = re.compile(r"<(html|body|div|p|span|br|table|article|head|meta|script)\b[^<>]{0,2000}>", re.IGNORECASE)
# Every pattern below is anchored at one '<' or '&' and reads at most a bounded stretch after it, so that a
# page is reduced to text in one pass, in time linear in its size (hostile pages: 100,000 nested tags,
# openings that never close).
HTML_BLOCK = re.compile(
    r"</?(p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|article|section|header|footer|title|"
    r"blockquote|pre|hr|dd|dt|dl|nav|aside|form)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
HTML_DROP_OPEN = re.compile(r"<(script|style|noscript|template)\b[^<>]{0,2000}>", re.IGNORECASE)
HTML_TAG = re.compile(r"<[^<>]{1,2000}>", re.DOTALL)
HTML_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_MARKUP = re.compile(r"[<&]")


def _markup_spans(page: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every piece of markup, left to right, non-overlapping: script, style
    and comment blocks vanish, block tags become a line break, other tags vanish, entities are decoded."""
    import html as _html

    spans: list[tuple[int, int, str]] = []
    unclosed: set[str] = set()  # closings searched for and not found: none is found from a later point either
    pos = 0
    while True:
        m = _MARKUP.search(page, pos)
        if m is None:
            return spans
        a = m.start()
        if page[a] == "&":
            e = HTML_ENTITY.match(page, a)
            if e is not None:
                spans.append((a, e.end(), _html.unescape(e.group(0))))
                pos = e.end()
            else:
                pos = a + 1
            continue
        if page.startswith("<!--", a) and "--" not in unclosed:
            close = page.find("-->", a + 4)
            if close >= 0:
                spans.append((a, close + 3, ""))
                pos = close + 3
                continue
            unclosed.add("--")
        d = HTML_DROP_OPEN.match(page, a)
        if d is not None:
            name = d.group(1).lower()
            close = None
            if name not in unclosed:
                close = re.compile(r"</%s\s*>" % name, re.IGNORECASE).search(page, d.end())
                if close is None:
                    unclosed.add(name)
            if close is not None:
                spans.append((a, close.end(), ""))
                pos = close.end()
                continue
        b = HTML_BLOCK.match(page, a)
        if b is not None:
            spans.append((a, b.end(), "\n"))
            pos = b.end()
            continue
        t = HTML_TAG.match(page, a)
        if t is not None:
            spans.append((a, t.end(), ""))
            pos = t.end()
            continue
        pos = a + 1


def html_to_text(original: str) -> tuple[str, list[int], list[int]]:
    """Text of an HTML page with, for each character, its start and end offset in the page."""
    out: list[str] = []
    st: list[int] = []
    en: list[int] = []
    pos = 0
    for a, b, r in _markup_spans(original):
        if a > pos:
            out.append(original[pos:a])
            st.extend(range(pos, a))
            en.extend(range(pos + 1, a + 1))
        if r:
            out.append(r)
            st.extend([a] * len(r))
            en.extend(a if c == "\n" else b for c in r)
        pos = b
    n = len(original)
    if pos < n:
        out.append(original[pos:])
        st.extend(range(pos, n))
        en.extend(range(pos + 1, n + 1))
    return "".join(out), st, en


def clean(original: str) -> CleanText:
    """Clean an article (header lines already split off); HTML pages are reduced to their text first."""
    if HTML_HINT.search(original[:20000]):
        text, st, en = html_to_text(original)
        ct = _clean(text)
        starts = [st[i] for i in ct.starts]
        ends = [max(en[e - 1], st[ct.starts[k]] + 1) for k, e in enumerate(ct.ends)]
        return CleanText(
            original=original,
            text=ct.text,
            starts=starts,
            ends=ends,
            dropped_lines=ct.dropped_lines,
            duplicate_lines=ct.duplicate_lines,
            meta={"html": True, **ct.meta},
        )
    return _clean(original)


def _clean(original: str) -> CleanText:
    n = len(original)
    # 1. character-level deletions: glosses and footnote marks (七大战略性新兴制造业[3]实现…), attached to the
    #    previous kept character
    gloss_spans = sorted(_remove_glosses(original) + [m.span() for m in FOOTNOTE.finditer(original)])
    keep = [True] * n
    attach_end = list(range(1, n + 1))  # end offset of each original char incl. attached gloss
    for a, b in gloss_spans:
        for i in range(a, b):
            keep[i] = False
        if a > 0:
            attach_end[a - 1] = b
    # 2. line-level: chrome, tail after "recommended" headings, duplicated lines
    simplified_full = _unspin(to_simplified(original))
    dropped = dup = 0
    chrome: list[str] = []  # the page furniture dropped (a publisher's name may stand only there)
    seen: set[str] = set()
    pos = 0
    cut_rest = False
    gaps = bool(gloss_spans)
    while pos < n:
        nl = original.find("\n", pos)
        end = n if nl < 0 else nl
        # the line's kept characters, simplified, without glosses
        if gaps:
            idx = [i for i in range(pos, end) if keep[i]]
            line = "".join([simplified_full[i] for i in idx])
        else:
            idx = range(pos, end)
            line = simplified_full[pos:end]
        cut = _chrome_tail(line)
        if cut is not None:
            # a long paragraph that runs into a notice (…。版权所有 …): the notice and what follows go
            for i in idx[cut:]:
                keep[i] = False
            line = line[:cut]
        key = re.sub(r"\s+", "", line)
        drop = False
        if cut_rest:
            drop = True
        elif key and TAIL_HEADINGS.match(line):
            cut_rest = True
            drop = True
        elif _is_chrome(line):
            drop = True
            dropped += 1
            if len(chrome) < 40:
                chrome.append(line)
        elif len(key) >= 8:
            if key in seen:
                drop = True
                dup += 1
            seen.add(key)
        if drop:
            for i in range(pos, end):
                keep[i] = False
        pos = end + 1
    # 3. character normalisation and whitespace
    norm = cn_years(simplified_full.translate(_FULLWIDTH_TABLE))
    # the next kept character that is not a space, for every position (one pass from the right, so that a long
    # run of spaces costs its length once, not its length squared)
    next_visible = [n] * n
    running = n
    for i in range(n - 1, -1, -1):
        next_visible[i] = running
        if keep[i] and norm[i] not in " \t":
            running = i
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for a, b in _runs(keep):
        pos = a
        for mt in _SPECIAL_RX.finditer(norm, a, b):
            i = mt.start()
            if i > pos:  # ordinary characters, in bulk
                chars.extend(norm[pos:i])
                starts.extend(range(pos, i))
                ends.extend(attach_end[pos:i])
            pos = i + 1
            c = norm[i]
            if c == "\r":
                continue
            if c in " \t":
                # keep a space only between two Latin letters/digits that would otherwise merge words
                prev = chars[-1] if chars else ""
                j = next_visible[i]
                nxt = norm[j] if j < n else ""
                words = prev.isascii() and nxt.isascii() and prev.isalpha() and nxt.isalpha()
                # two numbers side by side (table cells: 98.6 452.3 8.1, — 18.6) must not merge into one
                cells = (prev in "0123456789.%—-") and (nxt in "0123456789—-")
                if prev and nxt and (words or cells) and prev != " ":
                    chars.append(" ")
                    starts.append(i)
                    ends.append(i + 1)
                continue
            if c == "," and chars and chars[-1] in ",。;:、":
                continue  # doubled comma ",," or ",。" of glossed mirrors
            if c == "。" and chars and chars[-1] == ",":
                chars[-1] = "。"
                ends[-1] = attach_end[i]
                continue
            if c == "\n" and chars and chars[-1] == "\n":
                continue
            chars.append(c)
            starts.append(i)
            ends.append(attach_end[i])
        if b > pos:
            chars.extend(norm[pos:b])
            starts.extend(range(pos, b))
            ends.extend(attach_end[pos:b])
    text = "".join(chars)
    return CleanText(
        original=original,
        text=text,
        starts=starts,
        ends=ends,
        dropped_lines=dropped,
        duplicate_lines=dup,
        meta={"chrome": "\n".join(chrome)} if chrome else {},
    )
