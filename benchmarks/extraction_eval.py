#!/usr/bin/env python3
"""Score the news reader against gold facts and measure its throughput beside a plain jieba pass.

usage: extraction_eval.py --set NAME [--errors] [--json] [--perturb [FAMILY,...]]
       extraction_eval.py GOLD.jsonl ARTICLES_DIR_OR_FILES... [--only ID,ID] [--errors] [--json]

Sets (tools/news_eval/sets.py): seeds, dev-first (dev001–dev030), dev-second (odd dev031–dev059),
development (both), held-out (even dev032–dev060). The held-out half is scored as a whole only: with it
(by --set or --only), --errors and --perturb are refused and nothing but aggregate figures is printed.

Scoring follows ../shared/tools/score_facts.py (strict: entity, metric, period, kind and value within
0.5%; lenient: entity and value). Throughput is articles per second of reading + extraction on one core
(this process), after a warm-up, best of --repeat rounds; beside it, a plain jieba segmentation (jieba.lcut)
of the same article texts, and the ratio of the two times (how many jieba passes one reading costs).

--perturb also scores the reader on perturbed variants of every article (tools/news_eval/perturb.py):
per family, the strict F1 on the variants and the share of variants that keep every fact found in the
original with no new false fact.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from news_eval import sets
from news_eval.score import score
from zhizao.ingest.news.clean import ArticleError
from zhizao.ingest.news.extract import extract, read_article


def _forget() -> None:
    """Empty the reader's memo caches, so that no round reads what an earlier round already worked out."""
    from zhizao.ingest.news import metrics

    for f in (metrics.find_base, metrics.find_cluster, metrics.find_count_metric):
        f.cache_clear()


def _timed(fn, items, repeat: int) -> float:
    """Best time of `repeat` rounds of fn over items (seconds per round)."""
    best = float("inf")
    for _ in range(repeat):
        _forget()
        t0 = time.perf_counter()
        for x in items:
            fn(x)
        best = min(best, time.perf_counter() - t0)
    return best


def throughput(files: list[Path], repeat: int) -> dict:
    """Articles per second of the reader and of a plain jieba pass over the same texts, in one run."""
    import jieba

    jieba.setLogLevel(60)
    texts = [f.read_bytes() for f in files]
    bodies = [t.decode("utf-8", "replace") for t in texts]

    def read(data: bytes):
        try:
            extract(read_article(data=data, article_id="bench"))
        except ArticleError:
            pass

    jieba.lcut(bodies[0])  # loads its dictionary
    read(texts[0])
    # rounds of the two alternate, so that both see the same load on a shared machine; the best round counts
    t_reader = t_jieba = float("inf")
    for _ in range(repeat):
        t_reader = min(t_reader, _timed(read, texts, 1))
        t_jieba = min(t_jieba, _timed(jieba.lcut, bodies, 1))
    n = len(files)
    return {
        "articles": n,
        "characters": sum(len(b) for b in bodies),
        "reader_articles_per_second": round(n / t_reader, 1),
        "jieba_articles_per_second": round(n / t_jieba, 1),
        "reader_time_over_jieba_time": round(t_reader / t_jieba, 2),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?")
    ap.add_argument("articles", nargs="*")
    ap.add_argument("--set", dest="set_name", choices=sorted(sets.SETS), help="a named article set")
    ap.add_argument("--only", help="comma-separated article ids to score")
    ap.add_argument("--errors", action="store_true", help="list false and missed facts")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=7, help="timing rounds of each (the best counts)")
    ap.add_argument("--no-timing", action="store_true", help="score only")
    ap.add_argument(
        "--perturb",
        nargs="?",
        const="",
        default=None,
        help="score perturbed variants too (comma-separated families; all by default)",
    )
    ap.add_argument("--seeds", type=int, default=3, help="random variants per family and article")
    args = ap.parse_args(argv)

    if args.set_name:
        gold, files = sets.gold(args.set_name), sets.files(args.set_name)
    elif args.gold and args.articles:
        gold = [json.loads(x) for x in Path(args.gold).read_text(encoding="utf-8").splitlines() if x.strip()]
        files = []
        for a in args.articles:
            p = Path(a)
            files.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    else:
        ap.error("give --set NAME, or a gold file and the articles")
    if args.only:
        keep = set(args.only.split(","))
        files = [f for f in files if f.stem in keep]
    ids = {g["article"] for g in gold}
    files = [f for f in files if f.stem in ids]
    scored = {f.stem for f in files}
    gold = [g for g in gold if g["article"] in scored]
    blind = any(sets.is_held_out(a) for a in scored)
    if blind and (args.errors or args.perturb is not None):
        print("the held-out half is scored as a whole only: --errors and --perturb are refused", file=sys.stderr)
        return 2

    pred: list[dict] = []
    for f in files:
        try:
            pred.extend(x.to_dict() for x in extract(read_article(f)))
        except ArticleError as e:
            print(f"{f if not blind else f.name}: {e}", file=sys.stderr)
    result = score(gold, pred)
    speed = None if args.no_timing else throughput(files, args.repeat)
    if args.json:
        out = {
            k: ({kk: vv for kk, vv in v.items() if not kk.startswith("_")} if isinstance(v, dict) else v)
            for k, v in result.items()
        }
        out["articles"] = len(files)
        if speed:
            out.update(speed)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    label = args.set_name or "given articles"
    print(f"{label}: articles {len(files)}  gold facts {result['gold']}  predicted {result['predicted']}")
    for level in ("strict", "lenient"):
        r = result[level]
        print(
            f"{level:8s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, ambiguous set aside {r['ignored']})"
        )
    if speed:
        print(
            f"throughput {speed['reader_articles_per_second']:.1f} articles/s on one core "
            f"({speed['characters'] / max(1, speed['articles']):,.0f} characters per article); plain jieba "
            f"segmentation of the same texts {speed['jieba_articles_per_second']:.1f} articles/s; "
            f"reader time / jieba time {speed['reader_time_over_jieba_time']:.2f}"
        )
    if args.perturb is not None:
        _perturbed(gold, files, args)
    if args.errors:
        r = result["strict"]

        def keyf(d):
            return (d["article"], d["entity"], d["metric"], d["value"], str(d["period"]), d["kind"])

        print("\nfalse (predicted, not in gold):")
        for p in sorted(r["_false"], key=lambda d: d["article"]):
            print("  ", *keyf(p), "|", p.get("quote", "")[:60])
        print("\nmissed (gold, not predicted):")
        for g in sorted(r["_missed"], key=lambda d: d["article"]):
            print("  ", *keyf(g), "|", g.get("quote", "")[:60])
    return 0


def _perturbed(gold, files, args) -> None:
    from news_eval.perturb import FAMILIES, evaluate

    fams = [f for f in args.perturb.split(",") if f] or list(FAMILIES)
    st = evaluate(gold, files, fams, seeds=tuple(range(args.seeds)))
    print("\nperturbed variants (strict F1 on the variants; pass = every fact of the original kept, no new false fact)")
    tot = {"tp": 0, "fp": 0, "fn": 0, "variants": 0, "passed": 0}
    for fam in fams:
        s = st[fam]
        for k in tot:
            tot[k] += s[k]
        print(
            f"  {fam:11s} variants {s['variants']:4d}  passed {s['passed'] / max(1, s['variants']):6.1%}  "
            f"facts kept {s['kept'] / max(1, s['was']):6.1%}  F1 {s['f1']:.3f}"
        )
        if args.errors:
            for x in s["failures"][:5]:
                print(f"      {x['article']} {x['note']} lost {x['lost'][:2]} new false {x['new_fp']}")
    p = tot["tp"] / max(1, tot["tp"] + tot["fp"])
    r = tot["tp"] / max(1, tot["tp"] + tot["fn"])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"  {'all':11s} variants {tot['variants']:4d}  passed {tot['passed'] / max(1, tot['variants']):6.1%}  "
        f"{'':18s}F1 {f1:.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
