"""The clause a figure sits in: the one object every decision about the figure reads and fills in.

A sentence is read figure by figure, left to right. For each figure the reader opens a `Clause`: the
number with its unit (a `Quantity`), the window of text before it that names its measure (from the start
of its clause, or from the figure before it in the same clause), the clause, the sentence and what the
sentence has settled so far (`SentenceState`: its figures, the measure last named, the list a 分别 hands
out). The decisions then fill in the clause in turn: entity (subject.py), metric (metric.py), kind
(kind.py) and period (period.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Entity
from .quantities import Quantity
from .sentences import Sentence

# a growth right after a figure outside the vocabulary is not one of ours either
BLOCKED = ("__blocked__", None, None)


@dataclass
class Choice:
    """The measure a figure states."""

    metric: str
    metric_zh: str
    cluster: str | None
    value: float


@dataclass
class SentenceState:
    sent: Sentence
    quants: list[Quantity]  # the sentence's figures (outside tables)
    mentions: list
    times: list
    para_prev: list[Sentence]  # the sentences it may take its subject and time from
    plans: dict[int, dict] = field(default_factory=dict)  # id(quantity) -> what a 分别 list gives it
    cluster: str | None = None  # an industry that is the subject of the whole sentence
    facts: list = field(default_factory=list)  # (Fact, metric) of the figures read so far
    last_base: tuple | None = None  # (template, cluster, entity, window that named the measure)
    last_count: str | None = None  # the count metric last read (总数…, 其中… continue it)
    prev_end: int = 0


@dataclass
class Clause:
    doc: object  # document.Doc
    st: SentenceState
    q: Quantity
    qi: int  # index of the figure in the sentence
    wstart: int  # where the window that names the figure's measure starts
    window: str  # that window (or what a 分别 list hands the figure)
    raw_window: str  # the window as written
    clause_start: int  # the start of the figure's clause (whatever figures come before it in the clause)
    plan: dict | None = None  # what a 分别 list hands the figure
    # the decisions, in the order they are made
    entity: Entity | None = None
    written: str | None = None
    inferred: bool = False
    choice: Choice | None = None
    bfound: tuple | None = None  # the measure named in the window (metrics.find_base)
    each: tuple | None = None  # A、B两大产业均超…: (the items, the metric)
    kind: str | None = None
    period: str | None = None
    outcome: str | None = None  # excluded | no metric | no owner | fact

    @property
    def sent(self) -> Sentence:
        return self.st.sent

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def clause_text(self) -> str:
        """From the start of the figure's clause to the figure."""
        return self.doc.text[self.clause_start : self.q.start]

    @property
    def before(self) -> str:
        """The sentence up to the figure."""
        return self.doc.text[self.sent.start : self.q.start]

    @property
    def after(self) -> str:
        """Up to 20 characters after the figure, inside the sentence."""
        return self.doc.text[self.q.end : min(self.sent.end, self.q.end + 20)]

    @property
    def rest(self) -> str:
        """The sentence after the figure."""
        return self.doc.text[self.q.end : self.sent.end]

    @classmethod
    def open(cls, doc, st: SentenceState, q: Quantity, qi: int) -> Clause:
        s, text = st.sent, doc.text
        wstart = s.start + window_start(s, q, st.prev_end)
        window = text[wstart : q.start]
        st.prev_end = q.end
        q.after = text[q.end : min(s.end, q.end + 30)]
        plan = st.plans.get(id(q))
        if plan is not None:
            window = plan["window"]
            if q.qualifier is None and plan.get("qualifier"):
                q.qualifier = plan["qualifier"]
        if (
            plan is None
            and re.fullmatch(r"[,、]?(累计)?(完成|实现)投资", window.strip())
            and re.search(r"(工业|制造业)[^,;。]{0,12}项目|工业投资", text[s.start : wstart])
        ):
            window = "工业项目" + window.strip(",、")  # 工业项目28个,完成投资7.9亿元: the projects' investment
        return cls(
            doc,
            st,
            q,
            qi,
            wstart,
            window,
            text[wstart : q.start],
            s.start + window_start(s, q, s.start),
            plan,
        )

    def quote_span(self) -> tuple[int, int]:
        """From the start of the clause that names the measure to the end of the quantity's clause."""
        s, q, wstart, text = self.sent, self.q, self.wstart, self.doc.text
        rel_w, rel_q = wstart - s.start, q.end - s.start
        a, b = 0, len(s.text)
        for ca, cb in s.clauses():
            if ca <= rel_w <= cb:
                a = ca
            if ca <= rel_q <= cb:
                b = cb
                break
        qs, qe = s.start + a, s.start + b
        if (
            wstart > qs
            and re.search(r"[\d%]", text[qs:wstart])
            and (text[wstart : wstart + 1] == "、" or text[wstart - 1] == "、")
        ):
            qs = wstart  # an item of a list: quote the item
        m = re.search(r"[、,;。]", text[q.end : qe])
        if m and m.start() <= 6 and q.end - qs > 4:
            qe = q.end + m.start()
        while qs < qe and text[qs] in " ,;:、“":
            qs += 1
        while qe > qs and text[qe - 1] in " ,;:。、":
            qe -= 1
        return qs, qe


def window_start(sent: Sentence, q: Quantity, prev_end: int) -> int:
    """Start (relative to the sentence) of the text that names the quantity's measure: its clause, or the
    end of the figure before it in the clause."""
    rel = q.start - sent.start
    cut = prev_end - sent.start if prev_end > sent.start else 0
    for a, b in sent.clauses():
        if a <= rel <= b:
            cut = max(cut, a)
            break
    return cut
