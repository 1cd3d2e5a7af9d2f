"""Helpers for the specification tables of the reader's decisions: read a short text and look at the
decisions made on each of its figures (zhizao.ingest.news.extract.trace)."""

from __future__ import annotations

import datetime as dt

from zhizao.ingest.news.extract import read_article, trace

TITLE = "璧山区工业经济运行情况"  # the place 全区 points at, unless the text names another


def decided(text: str, published: dt.date | None = None, address: str | None = None, title: str = TITLE) -> dict:
    """{the figure as written (19.7%, 652家): its Clause with the decisions made on it}."""
    head = f"# source: {address}\n" if address else ""
    data = (head + f"# title: {title}\n" + text).encode("utf-8")
    art = read_article(data=data, article_id="t", published=published)
    return {c.q.raw: c for c in trace(art)}


def fact_of(text: str, figure: str, published: dt.date | None = dt.date(2024, 7, 1), **kw):
    """The decided clause of `figure` when it gives a fact, else None (left out, or not read as a figure)."""
    c = decided(text, published, **kw).get(figure)
    return c if c is not None and c.outcome == "fact" else None


def metric_of(text: str, figure: str, published: dt.date | None = dt.date(2024, 7, 1)) -> str | None:
    c = fact_of(text, figure, published)
    return c.choice.metric if c is not None else None
