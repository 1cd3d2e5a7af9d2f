"""The web layer's guards, as ASGI middleware around the whole application (so a new route cannot miss them):

CSRFGuard
    Every unsafe method (POST, PUT, PATCH, DELETE …) must carry the value of the `zz_csrf` cookie, as the
    `X-CSRF-Token` header or a `csrf_token` form field (double submit), or is answered 403 before any handler
    runs. Exempt: API requests that authenticate with `Authorization: Bearer` (no ambient credential a
    foreign site could make the browser send) and `POST /api/v1/auth/token` (it sets no cookie; it answers
    with a token only to whoever sent the password). A body larger than the upload limit is refused (413)
    before it is read.

Headers (every response)
    Content-Security-Policy: scripts from this server and inline scripts carrying the request's nonce only
    (templates write `nonce="{{ csp_nonce }}"`), no plugins, no framing, forms post here only;
    Referrer-Policy: same-origin; X-Content-Type-Options: nosniff; X-Frame-Options: DENY;
    Cache-Control: no-store on everything but /static (pages and API answers hold firm-level data);
    cookies get `Secure` when the server is reached over HTTPS (`zhizao serve --https`, or a proxy trusted by
    `--forwarded-allow-ips` says so) — and the language and CSRF cookies are set here.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import auth

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API = "/api/v1"
CSRF_EXEMPT = frozenset({f"{API}/auth/token"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cookies(headers: Headers) -> dict[str, str]:
    jar = SimpleCookie()
    for h in headers.getlist("cookie"):
        try:
            jar.load(h)
        except Exception:  # noqa: BLE001 - a malformed cookie header is simply no cookie
            continue
    return {k: m.value for k, m in jar.items()}


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is larger than `limit`."""
    chunks, size = [], 0
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            break
        body = msg.get("body", b"")
        size += len(body)
        if size > limit:
            return None
        chunks.append(body)
        if not msg.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


class CSRFGuard:
    def __init__(self, app, max_body: int = 60 * 1024 * 1024):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, send)
        path = scope["path"]
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_body:
            return await _refuse(scope, receive, send, 413, "请求过大 / the request body is too large")
        if path in CSRF_EXEMPT or (
            path.startswith(API + "/") and headers.get("authorization", "").lower().startswith("bearer ")
        ):
            return await self.app(scope, receive, send)
        cookie = _cookies(headers).get(auth.CSRF_COOKIE)
        submitted = headers.get("x-csrf-token")
        if submitted is None and headers.get("content-type", "").startswith(FORM_TYPES):
            body = await _read_body(receive, self.max_body)
            if body is None:
                return await _refuse(scope, receive, send, 413, "请求过大 / the request body is too large")
            receive = _replay(body)
            form = await Request(scope, _replay(body)).form()
            try:
                v = form.get("csrf_token")
                submitted = v if isinstance(v, str) else None
            finally:
                await form.close()
        if not auth.csrf_ok(cookie, submitted):
            return await _refuse(
                scope,
                receive,
                send,
                403,
                "CSRF 令牌缺失或错误，请刷新页面后重试 / CSRF token missing or wrong — reload the page and try "
                "again (API clients: send X-CSRF-Token, or use a bearer token)",
            )
        return await self.app(scope, receive, send)


async def _refuse(scope, receive, send, status: int, message: str):
    if scope["path"].startswith(API):
        r: Response = JSONResponse({"detail": message}, status_code=status)
    else:
        from .pages.common import render_error

        class _E(Exception):
            detail = message

        r = render_error(Request(scope, receive), status, _E(message))
    await r(scope, receive, send)


class SecurityHeaders:
    """Language and CSRF cookies, security headers, the CSP nonce, Secure cookies behind HTTPS."""

    def __init__(self, app, https: bool = False):
        self.app, self.https = app, https

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        req = Request(scope)
        lang_q = req.query_params.get("lang")
        cookies = req.cookies
        lang_c = cookies.get(auth.LANG_COOKIE)
        state = scope.setdefault("state", {})
        state["lang"] = lang_q if lang_q in ("zh", "en") else (lang_c if lang_c in ("zh", "en") else "zh")
        csrf = cookies.get(auth.CSRF_COOKIE)
        state["csrf"] = csrf or auth.new_csrf()
        nonce = secrets.token_urlsafe(16)
        state["csp_nonce"] = nonce
        secure = self.https or scope.get("scheme") == "https"
        static = scope["path"].startswith("/static/") or scope["path"] == "/favicon.ico"

        async def send_(msg):
            if msg["type"] == "http.response.start":
                h = MutableHeaders(scope=msg)
                if not csrf:
                    h.append("set-cookie", _cookie(auth.CSRF_COOKIE, state["csrf"], secure, httponly=True))
                if lang_q in ("zh", "en"):
                    h.append("set-cookie", _cookie(auth.LANG_COOKIE, lang_q, secure, max_age=365 * 86400))
                if secure:
                    cs = h.getlist("set-cookie")
                    del h["set-cookie"]
                    for c in cs:
                        h.append("set-cookie", c if "secure" in c.lower() else c + "; Secure")
                h.setdefault("X-Content-Type-Options", "nosniff")
                h.setdefault("X-Frame-Options", "DENY")
                h.setdefault("Referrer-Policy", "same-origin")
                h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                h.setdefault("Content-Security-Policy", csp(nonce))
                if not static:
                    h["Cache-Control"] = "no-store"
                if "server" in h:
                    del h["server"]
            await send(msg)

        await self.app(scope, receive, send_)


def _cookie(name: str, value: str, secure: bool, *, httponly: bool = False, max_age: int | None = None) -> str:
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if httponly:
        parts.append("HttpOnly")
    if max_age:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def csp(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",  # plotly and Swagger UI set style attributes
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


__all__ = ["CSRFGuard", "SecurityHeaders", "csp"]
