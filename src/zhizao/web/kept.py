"""Kept answers served before routing: a request for an answer this process already holds — the same address and
query, asked by a viewer whose sign-in it already verified in this data generation — is answered with the kept
bytes by an ASGI middleware, without FastAPI's routing, parameter validation, dependencies and thread-pool hop
(docs/scale.md, "Answering in milliseconds"). About a tenth of the server time of the routed way.

    handler (routed once):  cached_json(...) / cached_page(...)  ->  remember(request, p, "api"|"page", target)
    every later request:    KeptAnswers  ->  principal from the verified-token cache  ->  recall(...)  ->  bytes

Why the access rules stay exactly the same:
- Nothing is served that a handler did not build and serve, under the checks it makes, for a request with the same
  path, the same raw query, the same language and the same viewer (name, role, region): the index entry is written
  by the handler after it answered (`remember`), and keyed by all of these. A denied, missing or failing request
  writes nothing, so its next try goes to the handler again.
- The viewer is the one the handler's dependency would find — the bearer token of an API request (else its session
  cookie; pages: the cookie only), the same precedence as deps.api_user / deps.page_user — and only a token whose
  full check passed in this process, in this data generation, with nothing changed in the session store since
  (no revocation, no sign-out, by any process) and not expired (auth.Users.verified). Anything else (no entry, an
  unknown, expired or revoked token, another method than GET) goes down the routed way, which decides as before.
- The middleware sits inside the security headers and the one-snapshot pin (web/app.py): the response gets the same
  headers, and the index and the bytes are those of the snapshot the request reads (entries are keyed by the data
  generation like every cache, web/warehouse.py).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import Request
from starlette.responses import Response

from . import auth
from .access import Principal

API = "/api/v1"
# stand-ins for the per-response CSP nonce and CSRF token in a page kept for reuse (random per process: never in data)
NONCE_STAND_IN = "zznonce" + secrets.token_hex(12)
CSRF_STAND_IN = "zzcsrf" + secrets.token_hex(12)
_NONCE, _CSRF = NONCE_STAND_IN.encode(), CSRF_STAND_IN.encode()
_STAND_INS = re.compile(b"(" + re.escape(_NONCE) + b"|" + re.escape(_CSRF) + b")")
INDEX_ENTRY_BYTES = 512  # what an index entry is counted as in the bytes-bounded cache (web/warehouse.py)


def _signature(scope, rule: str, p: Principal) -> tuple:
    state = scope.get("state") or {}
    return (
        "kept",
        rule,
        scope["path"],
        scope.get("query_string", b""),
        state.get("lang", "zh"),
        p.name,
        p.role,
        p.region,
    )


def remember(request: Request, p: Principal, rule: str, target: tuple) -> None:
    """After a handler answered `request` for `p` from the kept value at `target` (a key of the bytes cache): the
    same request by the same viewer may be answered from it before routing. `rule`: how the route signs its viewer
    in — "api" (deps.api_user: bearer token, else the session cookie) or "page" (deps.page_user: the cookie)."""
    wh = request.app.state.zz.wh
    wh.cached(_signature(request.scope, rule, p), lambda: target, size=lambda _: INDEX_ENTRY_BYTES)


def viewer(users: auth.Users, scope, rule: str) -> Principal | None:
    """The viewer as the route's dependency would find it, if this process verified the token already; else None."""
    request = Request(scope)
    if rule == "api":
        authorization = request.headers.get("authorization")
        scheme, token = get_authorization_scheme_param(authorization)
        if authorization and scheme.lower() == "bearer" and token:
            return users.verified(token, api=True)
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    return users.verified(cookie, api=False) if cookie else None


@dataclass(frozen=True)
class KeptPage:
    """A page rendered with the stand-ins for the nonce and the CSRF token, kept cut at them: each response joins
    the pieces with its own values (one copy of the bytes, no search)."""

    status: int
    pieces: tuple[bytes, ...]  # page text, with each stand-in a piece of its own
    media_type: str

    @classmethod
    def of(cls, status: int, body: bytes, media_type: str) -> KeptPage:
        return cls(status, tuple(p for p in _STAND_INS.split(body) if p), media_type)

    def size(self) -> int:
        return sum(map(len, self.pieces))

    def personal(self, state) -> bytes:
        """The page with this response's own CSP nonce and CSRF token written in."""
        mine = {_NONCE: state["csp_nonce"].encode(), _CSRF: state["csrf"].encode()}
        return b"".join([mine.get(p, p) for p in self.pieces])

    def response(self, state) -> Response:
        return Response(self.personal(state), status_code=self.status, media_type=self.media_type)


class KeptAnswers:
    """The middleware (innermost of the app's own, web/app.py)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET":
            response = self._recall(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _recall(scope) -> Response | None:
        zz = scope["app"].state.zz
        rule = "api" if scope["path"].startswith(API + "/") else "page"
        p = viewer(zz.users, scope, rule)
        if p is None:
            return None
        target = zz.wh.peek(_signature(scope, rule, p), sized=True)
        if target is None:
            return None
        kept = zz.wh.peek(target, sized=True)
        if kept is None:  # evicted: the handler builds it again
            return None
        if target[0] == "json":
            return kept.response(Request(scope))
        return kept.response(scope["state"])


__all__ = ["KeptAnswers", "KeptPage", "remember", "viewer"]
