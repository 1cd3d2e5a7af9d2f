"""The news reader for one policy pack: `Reader(pack)` reads articles and extracts their facts.

    reader = Reader("chongqing")            # or a loaded Pack, or a pack folder
    art = reader.read(path)                  # decode, header, date, clean text with offset map
    facts = reader.extract(art)              # list[Fact]

The reader takes every place it knows from the pack it is given (regions, aliases, parks, the address
prefix of its government sites, the texts it ships) and from jionlp's table of China's divisions for the
rest: no place is named in code. `read_article` and `extract` in zhizao.ingest.news.extract use the
reader of the default pack.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from .gazetteer import Gazetteer, gazetteer


class Reader:
    def __init__(self, pack=None):
        self.pack = pack
        self._g: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        """The pack's places and jionlp's (built on first use, about a second; shared by readers of a pack)."""
        if self._g is None:
            self._g = gazetteer(self.pack)
        return self._g

    def read(
        self,
        path: str | Path | None = None,
        *,
        data: bytes | None = None,
        article_id: str | None = None,
        published: dt.date | None = None,
        encoding: str | None = None,
    ):
        from .article import read_article

        return read_article(path, data=data, article_id=article_id, published=published, encoding=encoding, reader=self)

    def extract(self, art) -> list:
        from .extract import extract

        return extract(art, reader=self)


@functools.lru_cache(maxsize=1)
def default_reader() -> Reader:
    """The reader of the project's default policy pack."""
    return Reader()
