#!/usr/bin/env python3
"""Train the news reader's learned metric fallback (src/zhizao/ingest/news/learned.py), or judge it.

usage: train_metric.py [--cv] [--margins 0,1,2] [--out PATH]

Examples: every figure the reader opens a clause for (extract.trace, read with the rules alone) in the
seeds and the development half of news-dev (dev-first, dev-second; never the held-out half, which this
script refuses to read). A figure's label is the metric of the gold fact with its value whose quote holds
its digits (folded by learned.label_of), or "none" when no gold fact is it.

Training is an averaged perceptron, deterministic: examples in article order, shuffled with a fixed seed
each of EPOCHS epochs. Without --cv it writes the model (with the margin given first in --margins) to the
package; retraining on the same articles gives the same file byte for byte.

--cv judges it by leave-articles-out: the 50 articles in 5 folds (article k in fold k mod 5), each fold read
by a model trained on the other four. It prints (1) how often the model's best label is the gold label on
the figures that are facts, beside how often the rules' metric is; (2) strict true/false positives and
misses of the reader with the rules alone and with the fallback at each margin.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from news_eval import sets
from news_eval.score import close, score
from zhizao.ingest.news import learned
from zhizao.ingest.news.extract import extract, read_article, trace

EPOCHS = 10
SEED = 20261207
TRAIN_SETS = ("seeds", "dev-first", "dev-second")
DEFAULT_MARGIN = 1.0


def _digits(s: str) -> str:
    return re.sub(r"[^\d.]", "", s)


def examples(article_ids: list[str]) -> list[tuple[str, list[str], str, str]]:
    """(article, features, unit, label) of every figure of the articles, read with the rules alone."""
    out = []
    gold_all = {a: [] for a in article_ids}
    for name in TRAIN_SETS:
        for g in sets.gold(name):
            if g["article"] in gold_all:
                gold_all[g["article"]].append(g)
    files = {f.stem: f for name in TRAIN_SETS for f in sets.files(name)}
    for a in article_ids:
        if sets.is_held_out(a):
            raise SystemExit(f"{a} is in the held-out half: the model never reads it")
        gold, used = gold_all[a], set()
        with learned.using(None):
            clauses = trace(read_article(files[a]))
        for c in clauses:
            label = learned.NONE
            digits = _digits(c.q.raw)
            for i, g in enumerate(gold):
                if i in used or g.get("ambiguous"):
                    continue
                if (close(g["value"], c.q.value) or close(g["value"], -c.q.value)) and digits in _digits(
                    g.get("quote", "")
                ):
                    used.add(i)
                    label = learned.label_of(g["metric"])
                    break
            rules = learned.label_of(c.choice.metric) if c.outcome == "fact" and c.choice else learned.NONE
            out.append((a, learned.clause_features(c), c.q.unit, label, rules))
    return out


def train(exs: list, margin: float) -> learned.Model:
    labels = sorted({e[3] for e in exs} | {learned.NONE})
    index = {lab: k for k, lab in enumerate(labels)}
    w: dict[str, dict[int, float]] = {}
    total: dict[str, dict[int, float]] = {}  # sum of weights over time, for the average (lazy updates)
    stamp: dict[tuple[str, int], int] = {}
    t = 0
    rng = random.Random(SEED)
    order = list(range(len(exs)))

    def bump(f: str, k: int, d: float) -> None:
        wf, tf = w.setdefault(f, {}), total.setdefault(f, {})
        tf[k] = tf.get(k, 0.0) + (t - stamp.get((f, k), 0)) * wf.get(k, 0.0)
        stamp[(f, k)] = t
        wf[k] = wf.get(k, 0.0) + d

    model = learned.Model(labels, w, margin)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            _, feats, unit, label, _ = exs[i]
            t += 1
            s = model.scores(feats)
            gold = index[label]
            pred = max(range(len(labels)), key=lambda k: (s[k], -k))
            if pred != gold:
                for f in feats:
                    bump(f, gold, 1.0)
                    bump(f, pred, -1.0)
    avg: dict[str, dict[int, float]] = {}
    for f, wf in w.items():
        for k, v in wf.items():
            acc = total[f].get(k, 0.0) + (t - stamp.get((f, k), 0)) * v
            if acc:
                avg.setdefault(f, {})[k] = acc / t
    return learned.Model(labels, avg, margin)


def article_ids() -> list[str]:
    return [a for name in TRAIN_SETS for a in sets.ids(name)]


def cross_validate(margins: list[float], folds: int = 5) -> None:
    ids = article_ids()
    exs = examples(ids)
    files = {f.stem: f for name in TRAIN_SETS for f in sets.files(name)}
    gold = [g for name in TRAIN_SETS for g in sets.gold(name)]
    hit_model = hit_rules = n_facts = 0
    tally = {m: [0, 0, 0] for m in [None, *margins]}
    for k in range(folds):
        test = [a for i, a in enumerate(ids) if i % folds == k]
        model = train([e for e in exs if e[0] not in test], 0.0)
        for _a, feats, unit, label, rules in (e for e in exs if e[0] in test):
            if label != learned.NONE:
                n_facts += 1
                hit_model += model.predict(feats, unit)[0] == label
                hit_rules += rules == label
        g = [x for x in gold if x["article"] in test]
        for m in tally:
            if m is None:
                ctx = learned.using(None)
            else:
                model.margin = m
                ctx = learned.using(model)
            with ctx:
                pred = [x.to_dict() for a in test for x in extract(read_article(files[a]))]
            r = score(g, pred)["strict"]
            for i, key in enumerate(("tp", "fp", "fn")):
                tally[m][i] += r[key]
    print(f"figures that are facts: {n_facts}; model's best label right {hit_model} ({hit_model / n_facts:.3f}),")
    print(f"  the rules' metric right {hit_rules} ({hit_rules / n_facts:.3f})")
    for m, (tp, fp, fn) in tally.items():
        p, r = tp / (tp + fp), tp / (tp + fn)
        label = "rules alone" if m is None else f"fallback, margin {m}"
        print(f"{label:22s} tp {tp} fp {fp} fn {fn}  P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cv", action="store_true", help="leave-articles-out on the development articles")
    ap.add_argument("--margins", default=str(DEFAULT_MARGIN), help="comma-separated margins over 'none'")
    ap.add_argument("--out", default=str(learned.MODEL_PATH))
    args = ap.parse_args(argv)
    margins = [float(x) for x in args.margins.split(",")]
    if args.cv:
        cross_validate(margins)
        return 0
    ids = article_ids()
    exs = examples(ids)
    model = train(exs, margins[0])
    meta = {
        "about": "zhizao news reader: learned metric fallback (tools/news_eval/train_metric.py)",
        "trained_on": ids,
        "examples": len(exs),
        "epochs": EPOCHS,
        "seed": SEED,
    }
    Path(args.out).write_text(model.to_json(meta) + "\n", encoding="utf-8")
    print(f"{len(exs)} figures of {len(ids)} articles, {len(model.labels)} labels -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
