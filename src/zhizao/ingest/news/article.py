"""An article as the reader sees it: the saved text, its cleaned simplified text with the map back, its
header (title, address) and its date with where the date came from."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import clean as C


@dataclass
class Article:
    id: str
    path: str | None
    original: str  # the saved text without the header lines
    clean: C.CleanText
    sha256: str
    title: str | None = None
    address: str | None = None
    published: dt.date | None = None
    date_source: str | None = None  # option | pack | text | address


def read_article(
    path: str | Path | None = None,
    *,
    data: bytes | None = None,
    article_id: str | None = None,
    published: dt.date | None = None,
    encoding: str | None = None,
    reader=None,
) -> Article:
    """Read and clean one article. Raises ArticleError for input that is not a readable article.

    `reader` (a Reader) supplies the policy pack: a text the pack ships is known with its date and
    title. The article's date is settled here once, by the one rule of period.document_date."""
    from .period import document_date
    from .reader import default_reader

    reader = reader or default_reader()
    if data is None:
        p = Path(path)
        if not p.exists():
            raise C.ArticleError("no such file")
        if p.is_dir():
            raise C.ArticleError("is a directory")
        size = p.stat().st_size
        if size > C.MAX_BYTES:
            raise C.ArticleError(
                f"too large for an article ({size / 1e6:.1f} MB; the limit is {C.MAX_BYTES / 1e6:.0f} MB)"
            )
        data = p.read_bytes()
    text = C.decode(data, encoding)
    meta, body = C.split_header(text.replace("\r\n", "\n"))
    if not re.search(r"[\u4e00-\u9fff]", body):
        raise C.ArticleError("no article text after the header lines")
    ct = C.clean(body)
    sha = hashlib.sha256(data).hexdigest()
    aid = article_id or (Path(path).stem if path else sha[:12])
    art = Article(aid, str(path) if path else None, body, ct, sha, meta.get("title"), meta.get("address"))
    known = reader.gazetteer.sources.get(sha)
    art.published, art.date_source = document_date(published, known, body, art.address)
    if known is not None:
        art.title = art.title or known.title
        art.address = art.address or getattr(known, "address", None)
    if not art.title:
        for line in ct.text.split("\n"):
            if line.strip():
                art.title = line.strip()[:200]
                break
    return art
