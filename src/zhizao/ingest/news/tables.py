"""Statistical tables flattened into text: a header row of column labels, then one line per indicator.

Statistics bureaus publish their monthly indicators and communiqués as tables; a page saved as text
keeps them as lines such as

    指标名称 计量单位 5月 1-5月 累计同比增长(%)        指标 | 绝对量(亿元) | 比上年增长(%) | 比重(%) |
    规模以上工业总产值 亿元 98.6 452.3 8.1            工业 | 437.63 | 2.7 | 23.4 |

A header is a line with at least two column labels from the table vocabulary below (one of them a
figure column) and a row label column (指标, 指标名称, 项目) or a unit column. Each following line whose
numbers fill the figure columns is a row; lines without numbers (主要产品产量:) are sub-headings and
the table ends at the first line that is neither. A cell of `—` or `-` is empty.

Column labels and what their cells are:
    N月, 本月, 当月                 the month's amount
    1-N月, 累计, 本年累计, 全年     the cumulative amount (the table's period)
    绝对量, 绝对数, 总量, 金额      the amount of the table's period; a unit may follow in brackets
    产值, 增加值, 营业收入 …        the same, named by its measure: rows that name no measure are industries
    (累计)同比增长, 比上年增长, 增速, 增幅, 增长(%)   growth over the same period a year before, %
    比重, 占比, 结构                a share (not a fact of the vocabulary: read, then left out)
    计量单位, 单位                  the row's unit (亿元, 万元, 万辆, 户 …)
A unit may also follow a month or year-to-date label in brackets (1-6月(亿元)), or be noted for the whole
table above its header ((单位:亿元、%)): it is then the unit of every amount column that states none.
The table's period comes from its title (the nearest line above with a year or a span: 綦江区2024年
1—5月规模以上工业主要指标, 表1 2023年分产业地区生产总值…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LABEL_COL = re.compile(r"^(指标名称|指标|项目|名称|行业|产业|行业名称)")
COLUMN = re.compile(
    r"(?P<unitcol>计量单位|单位)"
    r"|(?P<growth>(?:累计|本年|本月|当月)?(?:同比增长|比上年增长|比上年同期增长|同比增速|增速|增幅|增长|比上年±%|比上年±)(?:率)?"
    r"(?:\s*[(（]\s*(?:%|±%)\s*[)）])?)"
    r"|(?P<share>比重|占比|结构)(?:\s*[(（]\s*%\s*[)）])?"
    r"|(?P<cum>(?P<m1>\d{1,2})\s*[-—~至]\s*(?P<m2>\d{1,2})\s*月(?:份)?(?:累计)?|本年累计|累计(?:数|值)?|全年|1-\d{1,2}月)"
    r"(?:\s*[(（]\s*(?P<cumunit>亿元|万元|元|万辆|辆|个|家|户)\s*[)）])?"
    r"|(?P<month>(?P<m>\d{1,2})\s*月(?:份)?|本月|当月)(?:\s*[(（]\s*(?P<monthunit>亿元|万元|元|万辆|辆|个|家|户)\s*[)）])?"
    r"|(?P<abs>绝对[量数值额]|总量|金额|数值|(?P<measure>总产值|产值|增加值|营业收入|营收|利润总额|投资))"
    r"(?:\s*[(（]\s*(?P<absunit>亿元|万元|元|万辆|辆|个|家|户)\s*[)）])?"
)
UNITS = (
    "亿元",
    "万元",
    "千元",
    "元",
    "万辆",
    "辆",
    "万台",
    "台",
    "户",
    "家",
    "个",
    "%",
    "万吨",
    "吨",
    "亿千瓦时",
    "万千瓦时",
    "千瓦时",
    "万人",
    "人",
    "亿美元",
    "万美元",
)
UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
UNIT_RX = re.compile("(%s)$" % "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True)))
# a note of the table's unit above its header: (单位:亿元、%), 单位:万元
TABLE_UNIT = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元|亿美元|万美元|万辆|辆)")
CELL = re.compile(r"-?\d+(?:\.\d+)?|—+|-(?!\d)|…|/")


@dataclass
class Column:
    kind: str  # amount | growth | share | unit | label
    scope: str = "period"  # period | month | cumulative
    month: int | None = None
    m1: int | None = None
    unit: str | None = None
    measure: str | None = None  # a column named by its measure (产值(亿元)): its rows are industries


@dataclass
class Cell:
    value: float
    column: Column
    start: int
    end: int


@dataclass
class Row:
    label: str
    unit: str | None
    start: int
    end: int
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    title: str
    title_start: int
    header_start: int
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    end: int = 0


def _columns(line: str) -> list[Column] | None:
    s = line.strip().strip("|")
    if len(s) > 120 or re.search(r"[。;]", s):
        return None
    cols: list[Column] = []
    has_label = LABEL_COL.match(re.sub(r"\s+", "", s)) is not None
    pos = 0
    for mt in COLUMN.finditer(s):
        gap = s[pos : mt.start()]
        if re.search(r"[\u4e00-\u9fff]{2,}", gap) and not LABEL_COL.match(re.sub(r"[\s|]+", "", gap)) and cols:
            return None  # words between labels: a sentence, not a header
        pos = mt.end()
        if mt.group("unitcol"):
            cols.append(Column("unit"))
        elif mt.group("growth"):
            prev = cols[-1] if cols else None
            if prev is not None and prev.scope == "month" and not mt.group("growth").startswith(("累计", "本年")):
                cols.append(Column("growth", "month", month=prev.month))  # 本月 | 增长%: the month's growth
            else:
                cols.append(Column("growth", "cumulative"))
        elif mt.group("share"):
            cols.append(Column("share"))
        elif mt.group("cum"):
            m1, m2 = mt.group("m1"), mt.group("m2")
            cols.append(
                Column(
                    "amount",
                    "cumulative",
                    month=int(m2) if m2 else None,
                    m1=int(m1) if m1 else None,
                    unit=mt.group("cumunit"),
                )
            )
        elif mt.group("month"):
            m = mt.group("m")
            cols.append(Column("amount", "month", month=int(m) if m else None, unit=mt.group("monthunit")))
        elif mt.group("abs"):
            cols.append(Column("amount", "period", unit=mt.group("absunit"), measure=mt.group("measure")))
    figures = [c for c in cols if c.kind in ("amount", "growth", "share")]
    if len(figures) < 2 and not (figures and any(c.kind == "unit" for c in cols)):
        return None
    if not has_label and not any(c.kind == "unit" for c in cols) and not (len(figures) >= 3 and "|" in s):
        return None  # (cells kept apart by | need no label column: 本月| 增长%| 累计| 累计增长|)
    return cols


def _row(line: str, start: int, cols: list[Column]) -> Row | None:
    s = line.rstrip().rstrip("|").rstrip()
    figures = [c for c in cols if c.kind in ("amount", "growth", "share")]
    mt = re.match(
        r"^\s*\|?\s*(?P<label>[^\d|—\-]+?)\s*(?:\|\s*(?P<ucell>%s)\s*)?\|?\s*"
        r"(?P<vals>(?:(?:-?\d+(?:\.\d+)?|—+|-|…|/)[\s|]*)+)$" % UNIT_ALT,
        s,
    )
    if mt is None:
        return None
    label = re.sub(r"[\s|]+", "", mt.group("label"))
    if mt.group("ucell") and any(c.kind == "unit" for c in cols):
        label += mt.group("ucell")  # 地区生产总值|亿元|1265.3|6.2: the unit cell, read below as the row's unit
    unit = None
    um = UNIT_RX.search(label)
    if um and any(c.kind == "unit" for c in cols) and len(label) > len(um.group(1)):
        unit = um.group(1)
        label = label[: -len(unit)]
    label = label.rstrip(":")
    if not label:
        return None
    vals_at = mt.start("vals")
    tokens = []
    for t in CELL.finditer(s, vals_at):
        if set(t.group(0)) == {"—"} and len(t.group(0)) > 1:
            # adjacent dashes are adjacent empty cells
            for k in range(len(t.group(0))):
                tokens.append((None, t.start() + k, t.start() + k + 1))
            continue
        try:
            tokens.append((float(t.group(0)), t.start(), t.end()))
        except ValueError:
            tokens.append((None, t.start(), t.end()))
    if (
        unit is None
        and any(c.kind == "unit" for c in cols)
        and len(tokens) == len(figures) + 1
        and tokens[0][0] is None
    ):
        tokens = tokens[1:]  # the unit cell itself is empty (规模以上工业增加值 — — — 7.4)
    if len(tokens) != len(figures):
        return None
    row = Row(label, unit, start + (len(s) - len(s.lstrip())), start + len(s))
    for (v, a, b), c in zip(tokens, figures):
        if v is not None:
            row.cells.append(Cell(v, c, start + a, start + b))
    return row


NUMERIC_CELL = re.compile(r"-?\d+(?:\.\d+)?")
SENTENCE_MARK = re.compile(r"[。,，;；:：!?！？]")


def _cell(line: str) -> str | None:
    """The cell a line holds when a table is saved one cell per line (`5599.26`, `本月|`, `轻工业 |`), or
    None for a line that is not a cell (a sentence, an empty or pipe-only line)."""
    t = line.strip().strip("|｜").strip()
    if not t or len(t) > 24 or SENTENCE_MARK.search(t):
        return None
    return t


def unfold(text: str) -> str:
    """A view of `text` of the same length in which tables saved one cell per line are one row per line
    again. The cleaner keeps such cells as lines of their own, with or without a `|` after each (指标 /
    绝对额(亿元) / 比上年±% / 工业总产值 / 5599.26 / 29.3 / 按轻重工业分 / 轻工业 / 1817.85 / 30.4 …; lines
    holding only `|` may sit between them). The first row is a label followed by numbers; its length is
    the row length k; the header is the k (or k-1, with no label column) cells before it. After it, a
    label with k-1 numbers is a row and a label followed by another label a sub-heading. Inside a row and
    inside the header the line breaks become spaces; offsets in the view are offsets in the text."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    # runs of consecutive cell lines (pipe-only and empty lines between cells are skipped)
    cells: list[tuple[int, str]] = []  # (line index, cell)
    runs: list[list[tuple[int, str]]] = []
    for i, (_, line) in enumerate(lines):
        c = _cell(line)
        if c is not None:
            cells.append((i, c))
        elif line.strip().strip("|｜").strip():
            if cells:
                runs.append(cells)
            cells = []
    if cells:
        runs.append(cells)
    out = list(text)

    def join(first: int, last: int) -> None:  # line breaks from cell line `first` to cell line `last`
        for ln in range(first, last):
            a, line = lines[ln]
            if a + len(line) < len(out):
                out[a + len(line)] = " "

    for run in runs:
        num = [bool(NUMERIC_CELL.fullmatch(c)) for _, c in run]
        first = next((r for r in range(len(run) - 1) if not num[r] and num[r + 1]), None)
        if first is None:
            continue
        n = 0
        while first + 1 + n < len(run) and num[first + 1 + n]:
            n += 1
        k = n + 1
        head = 0
        while head < k and first - head - 1 >= 0 and not num[first - head - 1]:
            head += 1
        if k < 3 or head < k - 1:
            continue
        rows, r = [], first
        while r < len(run):
            if not num[r] and r + k <= len(run) and all(num[r + 1 : r + k]) and (r + k == len(run) or not num[r + k]):
                rows.append((r, r + k - 1))
                r += k
            elif not num[r] and r + 1 < len(run) and not num[r + 1]:
                r += 1  # a sub-heading (按轻重工业分)
            else:
                break
        if len(rows) < 2:
            continue
        join(run[first - head][0], run[first - 1][0])
        for a, b in rows:
            join(run[a][0], run[b][0])
    return "".join(out)


def find_tables(text: str) -> list[Table]:
    """The tables in a cleaned text, with their rows."""
    text = unfold(text)
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        cols = _columns(line)
        if cols is None:
            i += 1
            continue
        title, tstart = "", start
        for k in range(i - 1, max(-1, i - 4), -1):
            if len(lines[k][1]) > 60 or "。" in lines[k][1]:
                break  # a paragraph, not a title
            if re.search(r"((19|20)\d{2}年|\d{1,2}\s*[-—至]\s*\d{1,2}月|[一二三四]季度|上半年|前三季度)", lines[k][1]):
                title, tstart = lines[k][1], lines[k][0]
                break
        note = next(
            (
                TABLE_UNIT.search(lines[k][1])
                for k in range(i - 1, max(-1, i - 4), -1)
                if TABLE_UNIT.search(lines[k][1])
            ),
            None,
        )
        if note is not None:
            # (单位:亿元、%) over the table: the unit of its amount columns that state none
            for c in cols:
                if c.kind == "amount" and c.unit is None:
                    c.unit = note.group(1)
        table = Table(title, tstart, start, cols)
        j = i + 1
        while j < len(lines):
            rstart, rline = lines[j]
            if not rline.strip():
                j += 1
                continue
            row = _row(rline, rstart, cols)
            if row is not None:
                table.rows.append(row)
            elif re.search(r"\d", rline) or len(rline.strip()) > 16:
                nxt = next((lines[k] for k in range(j + 1, len(lines)) if lines[k][1].strip()), None)
                if nxt is None or _row(nxt[1], nxt[0], cols) is None:
                    break  # neither a row nor a sub-heading (主要产品产量:), and no row after it
                # one stray line inside the table (a note, a caption): the rows go on after it
            j += 1
        table.end = lines[j - 1][0] + len(lines[j - 1][1]) if j - 1 < len(lines) else len(text)
        if table.rows:
            tables.append(table)
        i = j
    return tables
