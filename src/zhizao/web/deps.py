"""Request dependencies shared by the API and the pages: the signed-in user, CSV output, cached JSON.

CSRF is not checked here: web/security.py's middleware checks every unsafe method before any handler runs.
"""

from __future__ import annotations

import io
from typing import Iterable

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi.security import OAuth2PasswordBearer

from .. import safecells
from . import auth
from .access import Principal
from .context import LoginRequired, ctx

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

AUTH_RESPONSES = {401: {"description": "No or invalid credentials"}, 403: {"description": "The role may not see this"}}
CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}}
NO_STORE = {"Cache-Control": "no-store"}


def api_user(request: Request, token: str | None = Depends(oauth2)) -> Principal:
    """Bearer token, or the page session cookie (writes then need the X-CSRF-Token header)."""
    c = ctx(request)
    if token:
        p = c.users.from_token(token, api=True)
        if p is None:
            raise HTTPException(401, "invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
        return p
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    p = c.users.from_token(cookie, api=False) if cookie else None
    if p is None:
        raise HTTPException(
            401,
            "not signed in: POST /api/v1/auth/token, then send Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return p


def page_user(request: Request) -> Principal:
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    p = ctx(request).users.from_token(cookie, api=False) if cookie else None
    if p is None:
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(url)
    return p


def csv_response(rows: Iterable[dict], columns: list[str] | None, filename: str) -> Response:
    """Rows as a UTF-8 CSV download (with BOM, so Excel reads the Chinese text); every cell is neutralised
    against formula injection (zhizao.safecells) and the download is not stored by caches."""
    rows = list(rows)
    cols = columns or (list(rows[0].keys()) if rows else [])
    if rows and "suppressed" in set().union(*(r.keys() for r in rows)) and "suppressed" not in cols:
        cols = cols + ["suppressed"]
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly
    w = safecells.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"', **NO_STORE},
    )


def cached_json(request: Request, p: Principal, key: tuple, build) -> Response:
    """A page's JSON, built and encoded once per data generation and access scope (role and region) and
    language — JSON bytes, a gzip copy and an ETag (web/encoded.py) — then served as bytes, or as 304 to a
    client that holds them. Thirty requests for a missing answer wait for one build (Warehouse.cached). A new
    snapshot (web/warehouse.py) is a new generation: nothing carries over. Only for routes whose viewer is
    `api_user`'s: the same request again is answered by web/kept.py before routing."""
    from .encoded import Encoded
    from .kept import remember
    from .results import clean

    wh = ctx(request).wh
    scope = (p.role, p.region, getattr(request.state, "lang", "zh"))
    target = ("json", *scope, *key)
    enc = wh.cached(target, lambda: Encoded.json(clean(build()), name=(wh.identity, *scope, *key)), size=Encoded.size)
    remember(request, p, "api", target)  # the same request by the same viewer is answered before routing
    return enc.response(request)


__all__ = ["AUTH_RESPONSES", "CSV_RESPONSE", "api_user", "cached_json", "csv_response", "ctx", "page_user"]
