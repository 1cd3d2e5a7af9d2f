"""Read an article and extract its facts: the reader's orchestration.

    read_article(path) -> Article      decode, header, date, clean text with offset map (article.py)
    extract(article) -> list[Fact]     the facts, each with its exact quote

The article is taken apart once (document.py: sentences, names, times, numbers, tables, its main
entity). Each figure of each sentence is then one `Clause` (clause.py), and the decisions are made on it
in turn, each in its own module:

    exclusions        is the figure one the annotation rules leave out?
    subject           who it belongs to (provisional, then settled once the metric is known)
    metric.choose     what it measures
    kind              actual or target
    period            when (one resolver of the article's date for every relative expression)

Tables (table_facts.py) give one fact per row and figure column; a fact stated twice is kept once
(dedupe.py). Both functions use the reader of the default policy pack unless given another
(`Reader(pack)`, reader.py).
"""

from __future__ import annotations

import copy

from . import kind as K
from . import metric, subject
from . import period as P
from .article import Article, read_article
from .clause import Clause, SentenceState
from .dedupe import dedupe
from .document import Doc
from .exclusions import excluded
from .facts import Fact
from .lists import fenbie_plan
from .table_facts import table_facts

__all__ = ["Article", "Fact", "extract", "read_article"]


def extract(art: Article, reader=None) -> list[Fact]:
    from .reader import default_reader

    reader = reader or default_reader()
    doc = Doc.build(art, reader.gazetteer)
    facts: list[Fact] = []
    for s in doc.sents:
        facts += _sentence_facts(doc, s)
    return dedupe(table_facts(doc) + facts, doc.sents)


def trace(art: Article, reader=None) -> list[Clause]:
    """Every figure's clause with its decisions and `outcome`: excluded | no metric | no owner | fact (the
    specification tests and anyone asking why a figure was read as it was)."""
    from .reader import default_reader

    reader = reader or default_reader()
    doc = Doc.build(art, reader.gazetteer)
    out: list[Clause] = []
    for s in doc.sents:
        _sentence_facts(doc, s, out)
    return out


def _sentence_facts(doc: Doc, s, traced: list | None = None) -> list[Fact]:
    sq = [q for q in doc.by_sent_q[s.index] if not doc.in_table(q.start)]
    if not sq:
        doc.last_base_doc = metric.named_measure(s.text) or doc.last_base_doc
        return []
    sm, st = doc.by_sent_m[s.index], doc.by_sent_t[s.index]
    state = SentenceState(s, sq, sm, st, doc.context_before(s), prev_end=s.start)
    state.plans = fenbie_plan(s, sq, doc.text, sm)
    state.cluster = metric.sentence_cluster(s, sm, st, sq, doc.text)
    out: list[Fact] = []
    for qi, q in enumerate(sq):
        if q.descriptor or q.unit == "units":
            continue
        c = Clause.open(doc, state, q, qi)
        if traced is not None:
            traced.append(c)
        if excluded(c):
            c.outcome = "excluded"
            continue
        subject.provisional(c)
        if not metric.choose(c):
            c.outcome = "no metric"
            continue
        if not subject.settle(c):
            c.outcome = "no owner"
            continue
        c.outcome = "fact"
        K.decide(c)
        P.decide(c)
        out += _facts_of(c)
        _carry(c)
    tail_from = max([f.span[1] for f, _ in state.facts] or [s.start]) - s.start
    doc.last_base_doc = metric.named_measure(s.text[tail_from:]) or doc.last_base_doc
    return out


def _facts_of(c: Clause) -> list[Fact]:
    """The fact (or, for one figure that holds for each item of a list, the facts) of a decided clause."""
    doc, q, choice, ent, st = c.doc, c.q, c.choice, c.entity, c.st
    art = doc.art
    qs, qe = c.quote_span()
    f = Fact(
        art.id,
        ent.name,
        ent.type,
        choice.metric,
        choice.value,
        q.unit if q.unit != "units" else "vehicle",
        c.period,
        c.kind,
        choice.cluster,
        art.clean.quote(qs, qe),
        (qs, qe),
        q.qualifier,
        c.written if c.written and c.written != ent.name else None,
        choice.metric_zh,
        ent.code,
        entity_inferred=c.inferred,
        period_inferred=(art.date_source == "address" and c.period is not None and "as_of" in c.period),
    )
    f.bracketed = q.in_parens
    f.explicit = (
        c.bfound is not None
        or q.unit == "count"
        or q.level
        or bool(st.facts and st.facts[-1][0].explicit and f.metric == st.facts[-1][0].metric + "_growth")
    )  # 完成产值…,同比增长…: the growth of a named measure
    copies = q.multiplier if q.level else (len(c.each[0]) if c.each is not None else 1)
    names = (choice.cluster or "").split("、") if copies > 1 else []
    out = []
    for i in range(copies):
        fi = f
        if copies > 1:
            fi = copy.copy(f)
            fi.cluster = names[i] if len(names) == copies else choice.cluster
        out.append(fi)
        st.facts.append((fi, choice.metric))
    return out


def _carry(c: Clause) -> None:
    """What a decided figure leaves for the figures after it: its measure and its period."""
    choice, st = c.choice, c.st
    if "_count" not in choice.metric and "_share" not in choice.metric and not c.q.in_parens:
        base = choice.metric.replace("_growth", "")
        st.last_base = (base, choice.cluster, c.entity, c.window)
        if not choice.cluster and not base.startswith(("project", "enterprise")):
            c.doc.last_base_doc = (base, None)
    P.carry(c)
