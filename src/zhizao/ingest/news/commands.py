"""What `zhizao extract`, `zhizao ingest` and `zhizao targets` do (the cli package holds thin wrappers).

Every file of a batch is read on its own: a file that is not a readable article gets one clear
message on standard error and the batch goes on; the exit code is 1 when any file failed.
Fact lines go to standard output only, so `--format jsonl` output is clean JSON lines.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Iterable, TextIO

from .clean import ArticleError
from .extract import Article, Fact, extract, read_article

TABLE_COLS = [
    "article",
    "entity",
    "entity_type",
    "metric",
    "value",
    "unit",
    "period",
    "kind",
    "cluster",
    "qualifier",
    "quote",
]


def _warn(msg: str, err: TextIO) -> None:
    print(msg, file=err)


def read_all(
    files: Iterable[Path], published: dt.date | None, encoding: str | None, err: TextIO
) -> tuple[list[tuple[Article, list[Fact]]], int]:
    out, failed = [], 0
    for f in files:
        f = Path(f)
        try:
            art = read_article(f, published=published, encoding=encoding)
            facts = extract(art)
        except ArticleError as e:
            _warn(f"{f}: skipped: {e}", err)
            failed += 1
            continue
        except Exception as e:  # a bug on one article must not stop the batch
            _warn(f"{f}: failed: {type(e).__name__}: {e}", err)
            failed += 1
            continue
        if art.published is None:
            _warn(
                f"{f}: warning: no date found in the text or its address; relative periods (今年, 前三季度) "
                f"are written with ???? — pass --published YYYY-MM-DD to settle them",
                err,
            )
        out.append((art, facts))
    return out, failed


def run_extract(
    files: list[Path],
    fmt: str = "jsonl",
    published: dt.date | None = None,
    encoding: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    if fmt not in ("jsonl", "table"):
        _warn(f"unknown format {fmt!r} (jsonl or table)", err)
        return 2
    results, failed = read_all(files, published, encoding, err)
    if fmt == "jsonl":
        for _, facts in results:
            for f in facts:
                out.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(*TABLE_COLS, show_lines=False)
        for _, facts in results:
            for f in facts:
                d = f.to_dict()
                t.add_row(
                    *[("" if d.get(c) is None else (f"{d[c]:g}" if c == "value" else str(d[c]))) for c in TABLE_COLS]
                )
        Console(file=out, width=220).print(t)
    out.flush()
    return 1 if failed else 0


def run_ingest(
    files: list[Path],
    db: Path,
    published: dt.date | None = None,
    encoding: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    actor: str = "news-reader",
) -> int:
    from zhizao.store.db import WarehouseError, open_warehouse

    from .store import ingest

    out, err = out or sys.stdout, err or sys.stderr
    try:
        con = open_warehouse(db)
    except WarehouseError as e:
        _warn(f"error: {e}", err)
        return 1
    try:
        results, failed = read_all(files, published, encoding, err)
        for art, facts in results:
            try:
                r = ingest(con, art, facts, actor=actor)
            except Exception as e:
                _warn(f"{art.path}: failed to store: {type(e).__name__}: {e}", err)
                failed += 1
                continue
            if r.added:
                print(f"{art.path}: source {r.source_id}: {r.facts} facts, {r.targets} proposed targets", file=out)
            else:
                print(f"{art.path}: already in the warehouse as {r.source_id}; nothing added", file=out)
    finally:
        con.close()
    return 1 if failed else 0


def run_targets(
    db: Path, proposed: bool = False, fmt: str = "table", out: TextIO | None = None, err: TextIO | None = None
) -> int:
    from zhizao.store.db import WarehouseError, open_warehouse

    from .store import proposed_targets

    out, err = out or sys.stdout, err or sys.stderr
    try:
        con = open_warehouse(db, read_only=True)
    except WarehouseError as e:
        _warn(f"error: {e}", err)
        return 1
    try:
        rows = proposed_targets(con, proposed_only=proposed)
    finally:
        con.close()
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    from ...vocab import label

    cols = [
        "id",
        "entity",
        "metric",
        "metric_zh",
        "value",
        "unit",
        "year",
        "qualifier",
        "cluster",
        "proposed",
        "source",
    ]
    t = Table(*cols, title=("proposed targets" if proposed else "targets"))
    for r in rows:
        r["metric_zh"] = r.get("metric_zh") or label(r["metric"], "zh")
        t.add_row(*[("" if r.get(c) is None else (f"{r[c]:g}" if c == "value" else str(r[c]))) for c in cols])
    Console(file=out, width=200).print(t)
    if not rows:
        print("no proposed targets" if proposed else "no targets", file=out)
    return 0
