"""The article sets the news reader is developed and measured on, by article id.

    seeds        the five source articles (../shared/seeds)
    dev-first    news-dev dev001–dev030, annotated first (the reader's rules were written on them)
    dev-second   the odd articles of dev031–dev059: the half of the second thirty that is developed on
    development  dev-first + dev-second
    held-out     the even articles of dev032–dev060: the half that is never looked at (issue 9). Nobody
                 developing the reader opens these texts or their gold lines or reads the reader's output
                 on them; they are scored as a whole, and only aggregate figures are ever printed.

`gold(name)` filters the shared gold file by article id, so that a subset can be scored without reading
anyone else's lines; `files(name)` lists the article files.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEEDS_DIR = SHARED / "seeds"
DEV_DIR = SHARED / "news-dev"

SEEDS = tuple(f"seed{i:03d}" for i in range(5))
DEV_FIRST = tuple(f"dev{i:03d}" for i in range(1, 31))
DEV_SECOND = tuple(f"dev{i:03d}" for i in range(31, 60, 2))
HELD_OUT = tuple(f"dev{i:03d}" for i in range(32, 61, 2))
SETS: dict[str, tuple[str, ...]] = {
    "seeds": SEEDS,
    "dev-first": DEV_FIRST,
    "dev-second": DEV_SECOND,
    "development": DEV_FIRST + DEV_SECOND,
    "held-out": HELD_OUT,
}


def is_held_out(article_id: str) -> bool:
    return article_id in HELD_OUT


def available() -> bool:
    """Whether the shared folder with the seeds and news-dev sits beside the repository."""
    return (SEEDS_DIR / "gold.jsonl").exists() and (DEV_DIR / "gold.jsonl").exists()


def ids(name: str) -> tuple[str, ...]:
    if name not in SETS:
        raise KeyError(f"unknown article set {name!r} (one of {', '.join(SETS)})")
    return SETS[name]


def _gold_file(article_id: str) -> Path:
    return SEEDS_DIR / "gold.jsonl" if article_id.startswith("seed") else DEV_DIR / "gold.jsonl"


def gold(name: str) -> list[dict]:
    """The gold facts of a set's articles (lines of other articles are parsed only for their id)."""
    keep = set(ids(name))
    out: list[dict] = []
    for path in sorted({_gold_file(a) for a in keep}):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                if g.get("article") in keep:
                    out.append(g)
    return out


def files(name: str) -> list[Path]:
    """The article files of a set, in id order."""
    out = []
    for a in ids(name):
        p = SEEDS_DIR / f"{a}.txt" if a.startswith("seed") else DEV_DIR / "articles" / f"{a}.txt"
        out.append(p)
    return out
