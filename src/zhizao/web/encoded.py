"""Answers encoded once per data generation and served as bytes: JSON by orjson, a gzip copy, an ETag, and 304 Not
Modified to a client that already holds the same bytes (docs/scale.md, "Answering in milliseconds").

    enc = Encoded.json(payload, name=(snapshot, "city", None, "zh", "overview"))   # once per snapshot and scope
    return enc.response(request)                                # 200 (gzip when accepted) or 304

The ETag names what the answer is — the snapshot it was read from, the viewer's scope (role, region, language) and
the question — rather than its bytes, so every worker process gives the same ETag for the same answer (their bytes
may differ in the order of equal items); two scopes never share one, and a new snapshot gives new ETags. Answers
that are not read from a snapshot (the map's boundaries) are named by a hash of their bytes.
Caching rules are not loosened here: the security headers still mark data answers `no-store` (web/security.py),
so browsers keep no copy of firm-level data; a client that keeps its own copy (a script, a dashboard app)
revalidates with If-None-Match and gets a 304 without a body. Responses carry `Vary: Accept-Encoding,
Authorization, Cookie`, so no cache could hand one viewer's answer to another.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass

import orjson
from starlette.requests import Request
from starlette.responses import Response

MIN_GZIP = 1024  # smaller bodies are sent as they are
GZIP_LEVEL = 6
VARY = "Accept-Encoding, Authorization, Cookie"


def dumps(payload) -> bytes:
    """JSON bytes as json.dumps(..., ensure_ascii=False, default=str) writes them, ten times faster."""
    return orjson.dumps(payload, default=str, option=orjson.OPT_NON_STR_KEYS)


@dataclass(frozen=True)
class Encoded:
    body: bytes
    gzipped: bytes | None
    etag: str
    media_type: str

    @classmethod
    def of(cls, body: bytes, media_type: str, name: tuple | None = None) -> Encoded:
        """`name`: what identifies the answer (snapshot identity, scope, question); None: the bytes do."""
        h = hashlib.blake2b(repr(name).encode("utf-8") if name is not None else body, digest_size=16)
        gz = gzip.compress(body, GZIP_LEVEL, mtime=0) if len(body) >= MIN_GZIP else None
        return cls(body, gz, f'"{h.hexdigest()}"', media_type)

    @classmethod
    def json(cls, payload, name: tuple | None = None) -> Encoded:
        return cls.of(dumps(payload), "application/json", name)

    def size(self) -> int:
        """Bytes held (for the cache's byte bound)."""
        return len(self.body) + len(self.gzipped or b"")

    def response(self, request: Request, headers: dict | None = None) -> Response:
        """304 when the client's If-None-Match names these bytes; else the bytes, gzipped when accepted."""
        h = {"ETag": self.etag, "Vary": VARY, **(headers or {})}
        if _matches(request.headers.get("if-none-match"), self.etag):
            return Response(status_code=304, headers=h)
        if self.gzipped is not None and _accepts_gzip(request.headers.get("accept-encoding", "")):
            h["Content-Encoding"] = "gzip"
            return Response(self.gzipped, media_type=self.media_type, headers=h)
        return Response(self.body, media_type=self.media_type, headers=h)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = [t.strip() for t in if_none_match.split(",")]
    return etag in tags or f"W/{etag}" in tags


def _accepts_gzip(accept: str) -> bool:
    for part in accept.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip()
            try:
                return not (q.startswith("q=") and float(q[2:] or 0) == 0)
            except ValueError:
                return False
    return False
