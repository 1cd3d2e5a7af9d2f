"""Paragraphs, sentences and clauses of cleaned text, with their character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENT_END = re.compile(r"[。!?！？]+[”\"』」)]?|;(?=\s*$)")
CLAUSE_SEP = re.compile(r"[,;:]")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    para: int  # paragraph (line) index
    index: int  # sentence index in the document
    headline: bool = False  # a title-like line (no sentence punctuation, short)

    def clauses(self) -> list[tuple[int, int]]:
        """Clause spans, relative to the sentence (computed once)."""
        cached = self.__dict__.get("_clauses")
        if cached is not None:
            return cached
        self.__dict__["_clauses"] = out = self._split_clauses()
        return out

    def _split_clauses(self) -> list[tuple[int, int]]:
        out, last = [], 0
        depth = 0
        for i, c in enumerate(self.text):
            if c in "(“":
                depth += 1
            elif c in ")”" and depth:
                depth -= 1
            elif c in ",;:" and depth == 0:
                out.append((last, i))
                last = i + 1
        out.append((last, len(self.text)))
        return [(a, b) for a, b in out if b > a]


def split(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    para = 0
    for line in text.split("\n"):
        lstart = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        headline = len(line) < 70 and not re.search(r"[。!?！？]", line)
        last = 0
        for mt in SENT_END.finditer(line):
            seg = line[last : mt.end()]
            if seg.strip():
                out.append(Sentence(lstart + last, lstart + mt.end(), seg, para, len(out), headline))
            last = mt.end()
        if last < len(line) and line[last:].strip():
            out.append(Sentence(lstart + last, lstart + len(line), line[last:], para, len(out), headline))
        para += 1
    return out
