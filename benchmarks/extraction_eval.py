#!/usr/bin/env python3
"""Score the news reader against a gold file and measure its throughput.

usage: extraction_eval.py GOLD.jsonl ARTICLES_DIR_OR_FILES... [--only ID,ID] [--errors] [--json]

Articles are identified by file stem (seed000, dev001); only articles named in the gold file
are scored unless files are given explicitly. Scoring follows ../shared/tools/score_facts.py
(strict: entity, metric, period, kind and value within 0.5%; lenient: entity and value).
Throughput is articles per second of reading + extraction on one core, after a warm-up.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from zhizao.ingest.news.clean import ArticleError
from zhizao.ingest.news.extract import extract, read_article
from zhizao.ingest.news.score import score


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("articles", nargs="+")
    ap.add_argument("--only", help="comma-separated article ids to score")
    ap.add_argument("--errors", action="store_true", help="list false and missed facts")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="timing repetitions")
    args = ap.parse_args(argv)

    gold = [json.loads(l) for l in Path(args.gold).read_text(encoding="utf-8").splitlines() if l.strip()]
    ids = {g["article"] for g in gold}
    files: list[Path] = []
    for a in args.articles:
        p = Path(a)
        files.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    if args.only:
        keep = set(args.only.split(","))
        files = [f for f in files if f.stem in keep]
    files = [f for f in files if f.stem in ids]
    scored = {f.stem for f in files}
    gold = [g for g in gold if g["article"] in scored]

    pred: list[dict] = []
    for f in files:
        try:
            pred.extend(x.to_dict() for x in extract(read_article(f)))
        except ArticleError as e:
            print(f"{f}: {e}", file=sys.stderr)
    t0 = time.perf_counter()
    n = 0
    for _ in range(args.repeat):
        for f in files:
            try:
                extract(read_article(f))
            except ArticleError:
                pass
            n += 1
    elapsed = time.perf_counter() - t0
    result = score(gold, pred)
    rate = n / elapsed if elapsed else float("inf")
    if args.json:
        out = {k: ({kk: vv for kk, vv in v.items() if not kk.startswith("_")} if isinstance(v, dict) else v)
               for k, v in result.items()}
        out["articles"] = len(files)
        out["articles_per_second"] = round(rate, 2)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"articles {len(files)}  gold facts {result['gold']}  predicted {result['predicted']}")
    for level in ("strict", "lenient"):
        r = result[level]
        print(f"{level:8s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}  "
              f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, ambiguous set aside {r['ignored']})")
    print(f"throughput {rate:.1f} articles/second on one core ({n} article reads in {elapsed:.2f} s)")
    if args.errors:
        r = result["strict"]
        keyf = lambda d: (d["article"], d["entity"], d["metric"], d["value"], str(d["period"]), d["kind"])
        print("\nfalse (predicted, not in gold):")
        for p in sorted(r["_false"], key=lambda d: d["article"]):
            print("  ", *keyf(p), "|", p.get("quote", "")[:60])
        print("\nmissed (gold, not predicted):")
        for g in sorted(r["_missed"], key=lambda d: d["article"]):
            print("  ", *keyf(g), "|", g.get("quote", "")[:60])
    return 0


if __name__ == "__main__":
    sys.exit(main())
