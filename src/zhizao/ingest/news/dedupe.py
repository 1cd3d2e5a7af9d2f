"""One fact, once."""

from __future__ import annotations

from .facts import Fact


def dedupe(facts: list[Fact], sents: list) -> list[Fact]:
    """The same fact stated twice (a page that repeats its body, a headline repeating the body, a round
    figure of an exact one) is kept once, from the body; a growth read without its measure named gives way
    to the same value read with it."""
    out: list[Fact] = []
    seen: dict[tuple, int] = {}
    head_spans = [(s.start, s.end) for s in sents if s.headline]
    head_of: dict[int, bool] = {}

    def is_head(f):  # (a table's rows are short lines too, but not headlines)
        if f.from_table:
            return False
        k = f.span[0]
        if k not in head_of:
            head_of[k] = any(a <= k < b for a, b in head_spans)
        return head_of[k]

    said: dict[tuple, list[float]] = {}
    for f in facts:
        if not f.from_table:
            said.setdefault((f.entity, f.metric, f.period, f.kind), []).append(f.value)
    facts = [
        f
        for f in facts
        if not f.from_table
        or not any(
            abs(v - f.value) <= 0.002 * abs(f.value) for v in said.get((f.entity, f.metric, f.period, f.kind), [])
        )
    ]  # a table's row the text states too, rounded (33.8亿元 beside 338312万元): the text's
    counts: dict[tuple, int] = {}
    for f in facts:
        key = (f.entity, f.metric, round(f.value, 6), f.period, f.kind, f.span)
        counts[key] = counts.get(key, 0) + 1
    explicit_vals = {(f.entity, round(f.value, 6), f.period, f.unit) for f in facts if f.explicit}
    facts = [f for f in facts if f.explicit or (f.entity, round(f.value, 6), f.period, f.unit) not in explicit_vals]
    emitted: dict[tuple, int] = {}
    body_keys = {(f.entity, f.metric, round(f.value, 6), f.kind) for f in facts if not is_head(f)}
    body_vals: dict[tuple, list[float]] = {}
    exact_vals: dict[tuple, list[float]] = {}  # figures stated exactly (no 超/突破/约) in the body
    for f in facts:
        if not is_head(f):
            body_vals.setdefault((f.entity, f.metric, f.kind), []).append(f.value)
            if f.qualifier is None:
                exact_vals.setdefault((f.entity, f.metric, f.kind), []).append(f.value)
    for f in facts:
        k5 = (f.entity, f.metric, round(f.value, 6), f.period, f.kind)
        if is_head(f) and (f.entity, f.metric, round(f.value, 6), f.kind) in body_keys:
            continue
        k3 = (f.entity, f.metric, f.kind)
        if is_head(f) and any(v and abs(v - f.value) <= 0.1 * abs(v) for v in body_vals.get(k3, [])):
            continue  # the headline's round figure (突破1700亿元, 达76亿) of the body's exact one (1726.4亿元)
        if (
            f.qualifier == "over"
            and f.kind == "actual"
            and f.unit != "percent"
            and any(f.value < v <= 1.25 * f.value for v in exact_vals.get(k3, []))
        ):
            continue  # a round threshold passed (首次突破10亿元大关) beside the exact figure (10.58亿元)
        kspan = k5 + (f.span,)
        if k5 in seen and seen[k5] != f.span:
            continue  # the same fact stated again elsewhere
        seen.setdefault(k5, f.span)
        emitted[kspan] = emitted.get(kspan, 0) + 1
        if emitted[kspan] > counts[kspan]:
            continue
        out.append(f)
    return out
