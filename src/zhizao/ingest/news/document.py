"""One article taken apart once: its sentences, names, times, numbers and tables, and who it is about.

Every decision (metric.py, subject.py, period.py, kind.py) reads the same `Doc`; what carries over from
one sentence to the next (the period and the measure last stated) lives here too.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from .article import Article
from .article_subject import DocContext, link_aliases, main_entities, short_district_names, short_park_names
from .entities import Mention, find_mentions
from .gazetteer import Gazetteer
from .period import Dating
from .quantities import Quantity, find_quantities
from .sentences import Sentence, split
from .tables import Table, find_tables
from .times import TimeExpr, find_times


@dataclass
class Doc:
    art: Article
    g: Gazetteer
    text: str
    sents: list[Sentence]
    mentions: list[Mention]
    times: list[TimeExpr]
    quants: list[Quantity]
    tables: list[Table]
    dating: Dating
    ctx: DocContext
    plan_spans: list[TimeExpr]  # a plan's years (行动方案(2024—2027年))
    by_sent_m: dict[int, list[Mention]] = field(default_factory=dict)
    by_sent_t: dict[int, list[TimeExpr]] = field(default_factory=dict)
    by_sent_q: dict[int, list[Quantity]] = field(default_factory=dict)
    by_para: dict[int, list[Sentence]] = field(default_factory=dict)
    # carried from sentence to sentence
    last_period: str | None = None  # the period of the last actual figure (a review's year)
    last_base_doc: tuple[str, None] | None = None  # a whole-economy measure named last (分别增长… continues it)

    @property
    def date(self):
        return self.art.published

    @property
    def table_spans(self) -> list[tuple[int, int]]:
        return [(t.header_start, t.end) for t in self.tables]

    @classmethod
    def build(cls, art: Article, g: Gazetteer) -> Doc:
        text = art.clean.text
        sents = split(text)
        mentions = find_mentions(text, g)
        mentions = link_aliases(text, mentions)
        short_park_names(mentions)
        mentions = short_district_names(text, mentions, g)
        times = find_times(text)
        dating = Dating.of(art.published, times, text, art.address, art.title)
        quants = find_quantities(text, masked=[(t.start, t.end) for t in times])
        doc = cls(
            art,
            g,
            text,
            sents,
            mentions,
            times,
            quants,
            find_tables(text),
            dating,
            main_entities(art, mentions, g),
            [t for t in times if t.kind in ("years", "plan")],
        )
        doc.by_sent_m = bucket(sents, mentions)
        doc.by_sent_t = bucket(sents, times)
        doc.by_sent_q = bucket(sents, quants)
        for x in sents:
            doc.by_para.setdefault(x.para, []).append(x)
        return doc

    def context_before(self, s: Sentence, limit: int = 3) -> list[Sentence]:
        """The sentences a sentence may take its subject and time from: the earlier sentences of its
        paragraph or, on a page that puts each sentence on a line of its own, the one-sentence paragraphs
        right before it (at most `limit`)."""
        prev = [x for x in self.by_para.get(s.para, ()) if x.index < s.index]
        if prev or s.headline:
            return prev  # a title-like line stands alone
        out: list[Sentence] = []
        p = s.para - 1
        while p >= 0 and len(out) < limit:
            ps = self.by_para.get(p, [])
            if len(ps) != 1 or ps[0].headline:
                break
            out.insert(0, ps[0])
            p -= 1
        return out

    @functools.cached_property
    def mention_ends(self) -> set[int]:
        return {m.end for m in self.mentions}

    def before(self, pos: int) -> list[Mention]:
        """The mentions that end at or before `pos`."""
        return [x for x in self.mentions if x.end <= pos]

    def in_table(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.table_spans)


def bucket(sents: list[Sentence], items: list) -> dict[int, list]:
    """Items (sorted by start) per sentence, in one pass."""
    starts = [x.start for x in sents]
    out: dict[int, list] = {x.index: [] for x in sents}
    for it in items:
        k = bisect.bisect_right(starts, it.start) - 1
        if k >= 0 and sents[k].start <= it.start < sents[k].end:
            out[sents[k].index].append(it)
    return out


def same_clause(text: str, a: int, b: int) -> bool:
    return not re.search(r"[,;。]", text[a:b])
