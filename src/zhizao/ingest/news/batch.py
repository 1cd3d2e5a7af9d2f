"""Reading a batch of article files, one at a time, whatever any one of them holds.

Every file is read on its own: a file that is not a readable article, that breaks the reader, or that
takes longer than the time limit to read gets an error message in its outcome and the batch goes on.
Nothing here prints; `zhizao extract` and `zhizao ingest` (zhizao/cli/news.py) show the outcomes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .clean import ArticleError
from .extract import Article, Fact, extract, read_article

DEFAULT_TIME_LIMIT = 30.0  # seconds for one file: a news page takes milliseconds


class ArticleTimeout(ArticleError):
    """Reading one file took longer than the time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise ArticleTimeout in the block once `seconds` of wall-clock time have passed.

    The alarm interrupts any Python code, and a regular expression between steps of its match: a backstop
    behind a reader that is linear in the page size, for the next pathology nobody has thought of. Only
    the main thread receives signals: elsewhere the block runs without a limit."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise ArticleTimeout(f"took longer than {seconds:g} s to read (the limit set by --time-limit)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What reading one file gave: the article and its facts, or the reason it was skipped."""

    path: Path
    article: Article | None = None
    facts: list[Fact] = field(default_factory=list)
    error: str | None = None  # "skipped: …" (not an article, too slow) or "failed: …" (a bug in the reader)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


NO_DATE = (
    "no date found in the text or its address; relative periods (今年, 前三季度) are written with ???? — "
    "pass --published YYYY-MM-DD to settle them"
)


def read_files(
    files: Iterable[Path | str],
    published: dt.date | None = None,
    encoding: str | None = None,
    limit: float | None = DEFAULT_TIME_LIMIT,
    reader=None,
) -> Iterator[Outcome]:
    """Read and extract each file in turn, with the reader of a policy pack (default: the default pack's)."""
    from .reader import default_reader

    reader = reader or default_reader()
    reader.gazetteer  # noqa: B018  (the place tables load once, a second or two, outside any file's time limit)
    for f in files:
        f = Path(f)
        try:
            with time_limit(limit):
                art = read_article(f, published=published, encoding=encoding, reader=reader)
                facts = extract(art, reader=reader)
        except ArticleError as e:
            yield Outcome(f, error=f"skipped: {e}")
            continue
        except Exception as e:  # noqa: BLE001 - a bug on one article must not stop the batch
            yield Outcome(f, error=f"failed: {type(e).__name__}: {e}")
            continue
        yield Outcome(f, art, facts, warnings=[NO_DATE] if art.published is None else [])
