"""The FastAPI application: JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json) and server-rendered
pages, over one warehouse file.

    from zhizao.web.app import create_app
    app = create_app("zhizao.duckdb")          # uvicorn.run(app) — or `zhizao serve --db zhizao.duckdb`
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ZhizaoError
from . import auth
from .access import Denied, Policy
from .data import NotFound
from .warehouse import Warehouse

HERE = Path(__file__).parent
API = "/api/v1"


@dataclass
class Context:
    wh: Warehouse
    policy: Policy
    users: auth.Users
    limiter: auth.LoginLimiter
    upload_dir: Path


class LoginRequired(ZhizaoError):
    http_status = 401

    def __init__(self, next_url: str):
        self.next_url = next_url


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(
    db_path: str | Path,
    *,
    read_only: bool = False,
    secret: str | None = None,
    limiter: auth.LoginLimiter | None = None,
    upload_dir: str | Path | None = None,
) -> FastAPI:
    import tempfile

    wh = Warehouse.open(db_path, read_only=read_only)
    tokens = auth.Tokens(secret or auth.secret_for(wh))
    up = Path(upload_dir) if upload_dir else Path(tempfile.mkdtemp(prefix="zhizao-uploads-"))
    ctx = Context(wh, Policy(wh), auth.Users(wh, tokens), limiter or auth.LoginLimiter(), up)

    app = FastAPI(
        title="zhizao 智造 API",
        version="1",
        description="Regions, clusters, chains, enterprises, yearly figures, targets, facts with their "
        "quotes and sources, every analytics result, and imports. Sign in with "
        "`POST /api/v1/auth/token` (OAuth2 password form) and send "
        "`Authorization: Bearer TOKEN`. Enterprise-level data follow the role rules "
        "(admin, city: every firm; district: its own region; public: aggregates only, "
        "aggregates over fewer than 3 firms suppressed for district and public). "
        "List endpoints filter, sort (`sort`, `desc`) and page (`limit`, `offset`); "
        "`format=csv` downloads the same rows as CSV.",
        openapi_url=f"{API}/openapi.json",
        docs_url=f"{API}/docs",
        redoc_url=None,
    )
    app.state.zz = ctx

    from .api import router as api_router
    from .pages import router as pages_router

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def _plotly():
        return FileResponse(
            plotly_js(), media_type="application/javascript", headers={"Cache-Control": "public, max-age=86400"}
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon():
        from fastapi.responses import Response

        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router, prefix=API)
    app.include_router(pages_router)

    @app.middleware("http")
    async def _cookies(request: Request, call_next):
        lang = request.query_params.get("lang")
        request.state.lang = (
            lang
            if lang in ("zh", "en")
            else (
                request.cookies.get(auth.LANG_COOKIE) if request.cookies.get(auth.LANG_COOKIE) in ("zh", "en") else "zh"
            )
        )
        csrf = request.cookies.get(auth.CSRF_COOKIE)
        request.state.csrf = csrf or auth.new_csrf()
        response = await call_next(request)
        if not csrf:
            response.set_cookie(auth.CSRF_COOKIE, request.state.csrf, httponly=True, samesite="lax")
        if lang in ("zh", "en"):
            response.set_cookie(auth.LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    def is_api(request: Request) -> bool:
        return request.url.path.startswith(API)

    @app.exception_handler(Denied)
    async def _denied(request: Request, exc: Denied):
        if is_api(request):
            return JSONResponse({"detail": exc.en, "detail_zh": exc.zh}, status_code=403)
        from .pages.common import render_error

        return render_error(request, 403, exc)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        if is_api(request):
            return JSONResponse({"detail": f"not found: {exc.what}"}, status_code=404)
        from .pages.common import render_error

        return render_error(request, 404, exc)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        return RedirectResponse(f"/login?next={quote(exc.next_url, safe='/?=&')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if is_api(request) or exc.status_code < 400:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        from .pages.common import render_error

        return render_error(request, exc.status_code, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        from fastapi.encoders import jsonable_encoder

        if is_api(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        from .pages.common import render_error

        return render_error(request, 422, exc)

    return app


__all__ = ["create_app", "Context", "LoginRequired", "HTMLResponse"]
