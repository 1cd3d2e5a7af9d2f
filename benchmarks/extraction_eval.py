#!/usr/bin/env python3
"""Score the news reader against a gold file and measure its throughput.

usage: extraction_eval.py GOLD.jsonl ARTICLES_DIR_OR_FILES... [--only ID,ID] [--errors] [--json]
                          [--perturb [FAMILY,...]] [--seeds N]

Articles are identified by file stem (seed000, dev001); only articles named in the gold file
are scored unless files are given explicitly. Scoring follows ../shared/tools/score_facts.py
(strict: entity, metric, period, kind and value within 0.5%; lenient: entity and value).
Throughput is articles per second of reading + extraction on one core, after a warm-up.

--perturb also scores the reader on perturbed variants of every article (another district, other
figures, units, years and period wordings, synonyms, the other script, pinyin glosses, chrome, a
repeated body, reordered clauses, other paragraphing, distractor sentences; see
zhizao.ingest.news.perturb): per family, the strict F1 on the variants and the share of variants that
keep every fact found in the original with no new false fact. No rule was written against these
variants, so their F1 is the reader's held-out estimate for surface variation.
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
    ap.add_argument(
        "--perturb",
        nargs="?",
        const="",
        default=None,
        help="score perturbed variants too (comma-separated families; all by default)",
    )
    ap.add_argument("--seeds", type=int, default=3, help="random variants per family and article")
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
        out = {
            k: ({kk: vv for kk, vv in v.items() if not kk.startswith("_")} if isinstance(v, dict) else v)
            for k, v in result.items()
        }
        out["articles"] = len(files)
        out["articles_per_second"] = round(rate, 2)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"articles {len(files)}  gold facts {result['gold']}  predicted {result['predicted']}")
    for level in ("strict", "lenient"):
        r = result[level]
        print(
            f"{level:8s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, ambiguous set aside {r['ignored']})"
        )
    print(f"throughput {rate:.1f} articles/second on one core ({n} article reads in {elapsed:.2f} s)")
    if args.perturb is not None:
        _perturbed(gold, files, args)
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


def _perturbed(gold, files, args) -> None:
    from zhizao.ingest.news.perturb import FAMILIES, evaluate

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
