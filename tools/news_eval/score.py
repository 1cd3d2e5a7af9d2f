"""Scoring extracted facts against gold facts: the rules of ../shared/tools/score_facts.py.

A prediction matches a gold fact of the same article when
  strict:  entity, metric, period and kind are equal and value is within 0.5%;
  lenient: entity is equal and value is within 0.5%.
Entities are compared after normalisation (spaces, a leading 重庆/重庆市 and a trailing 区/县/市
dropped). Matching is one-to-one, predictions in order; gold facts flagged "ambiguous" are
neither required nor penalised.
"""

from __future__ import annotations


def norm_entity(name) -> str:
    s = "".join(str(name or "").split())
    for prefix in ("重庆市", "重庆"):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix) :]
    if len(s) > 2 and s[-1] in "区县市":
        s = s[:-1]
    return s


def close(a, b, rel: float = 0.005) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if a == b:
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b))


def match(gold: list[dict], pred: list[dict], strict: bool) -> dict:
    def same(g, p):
        if str(g.get("article")) != str(p.get("article")):
            return False
        if norm_entity(g.get("entity")) != norm_entity(p.get("entity")):
            return False
        if not close(g.get("value"), p.get("value")):
            return False
        if strict:
            return (
                g.get("metric") == p.get("metric")
                and str(g.get("period")) == str(p.get("period"))
                and g.get("kind") == p.get("kind")
            )
        return True

    used: set[int] = set()
    tp = fp = ignored = 0
    matched: list[tuple[dict, dict | None]] = []
    for p in pred:
        hit = None
        for i, g in enumerate(gold):
            if i not in used and same(g, p):
                hit = i
                break
        if hit is None:
            fp += 1
            matched.append((p, None))
        elif gold[hit].get("ambiguous"):
            used.add(hit)
            ignored += 1
            matched.append((p, gold[hit]))
        else:
            used.add(hit)
            tp += 1
            matched.append((p, gold[hit]))
    required = sum(1 for g in gold if not g.get("ambiguous"))
    fn = required - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / required if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    missed = [g for i, g in enumerate(gold) if i not in used and not g.get("ambiguous")]
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "ignored": ignored,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "_false": [p for p, g in matched if g is None],
        "_missed": missed,
    }


def score(gold: list[dict], pred: list[dict]) -> dict:
    return {
        "strict": match(gold, pred, True),
        "lenient": match(gold, pred, False),
        "gold": len(gold),
        "predicted": len(pred),
    }
