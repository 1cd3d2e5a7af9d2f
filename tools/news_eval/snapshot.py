"""Snapshot the reader's output on every article it is measured on, and compare with a snapshot: a
refactoring keeps the output identical.

    python tools/news_eval/snapshot.py save FILE       write the facts of every article (JSON)
    python tools/news_eval/snapshot.py diff FILE       print what changed since FILE

Differences on development articles and the regression batches are printed fact by fact; on the
held-out half only their number is printed (nothing of their text or facts).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from news_eval import sets


def key(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def all_files() -> list[Path]:
    out = []
    for name in ("seeds", "dev-first", "dev-second", "held-out"):
        out += sets.files(name)
    out += sorted((sets.REPO / "tests" / "data" / "news-heldout").glob("*/articles/*.txt"))
    return [f for f in out if f.exists()]


def facts_of_all() -> dict[str, list[dict]]:
    from zhizao.ingest.news.extract import extract, read_article

    return {f.stem: [x.to_dict() for x in extract(read_article(f))] for f in all_files()}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "diff"):
        print(__doc__)
        return 2
    path = Path(argv[1])
    now = facts_of_all()
    if argv[0] == "save":
        path.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"{sum(map(len, now.values()))} facts of {len(now)} articles saved to {path}")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    changed = blind = 0
    for a in sorted(set(before) | set(now)):
        b, n = before.get(a, []), now.get(a, [])
        if b == n:
            continue
        changed += 1
        if sets.is_held_out(a):
            blind += 1
            continue
        kb, kn = {key(d) for d in b}, {key(d) for d in n}
        for d in b:
            if key(d) not in kn:
                print(f"- {a} {d['entity']} {d['metric']} {d['value']:g} {d['period']} {d['kind']} | {d['quote'][:50]}")
        for d in n:
            if key(d) not in kb:
                print(f"+ {a} {d['entity']} {d['metric']} {d['value']:g} {d['period']} {d['kind']} | {d['quote'][:50]}")
    print(f"{changed} articles changed ({blind} of them held-out: not shown)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
