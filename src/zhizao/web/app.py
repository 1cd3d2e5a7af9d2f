"""The FastAPI application: JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json, Swagger UI at
/api/v1/docs — both for signed-in users) and server-rendered pages, over one warehouse file.

    from zhizao.web.app import create_app
    app = create_app("zhizao.duckdb")          # uvicorn.run(app) — or `zhizao serve --db zhizao.duckdb`

Wiring: the shared context and the exceptions handlers raise live in web/context.py; the guards (CSRF,
security headers) in web/security.py; routers in web/api and web/pages. Nothing imports this module but
the command that serves it.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import auth
from .access import Denied, Policy, Principal
from .api import router as api_router
from .context import Context, LoginRequired, NotFound, Settings
from .deps import api_user
from .kept import KeptAnswers
from .pages import router as pages_router
from .pages import static_router as pages_static_router
from .pages.common import render_error
from .security import CSRFGuard, SecurityHeaders
from .sessions import SessionStore
from .warehouse import Warehouse

HERE = Path(__file__).parent
API = "/api/v1"


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def swagger_dir() -> Path:
    """Swagger UI's files as the fastapi-offline package ships them (no CDN: users sit behind firewalls)."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


DOCS_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>zhizao 智造 API</title>
<link rel="stylesheet" href="/static/vendor/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""
SWAGGER_FILES = {"swagger-ui-bundle.js": "application/javascript", "swagger-ui.css": "text/css"}


class OneSnapshot:
    """Every request reads one snapshot of the warehouse from start to end (the newest when it starts), so no
    page mixes two runs' results; a newer snapshot serves the requests that start after it is published."""

    def __init__(self, app, warehouse: Warehouse):
        self.app, self.wh = app, warehouse

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.wh.pinned():
            await self.app(scope, receive, send)


def create_app(
    db_path: str | Path,
    *,
    read_only: bool = False,
    secret: str | None = None,
    limiter: auth.LoginLimiter | None = None,
    upload_dir: str | Path | None = None,
    sessions: SessionStore | None = None,
    settings: Settings | None = None,
    watch: bool = True,
    warm: bool = False,
) -> FastAPI:
    """The app over the warehouse at `db_path`, read from its snapshots (web/warehouse.py). `watch`: this process
    publishes a snapshot whenever another process has written the file (`zhizao serve` does it once, in its main
    process); `warm`: every data generation's caches are filled before it serves (web/serving.py), starting now
    in the background."""
    wh = Warehouse.open(db_path, read_only=read_only, watch=watch)
    store = sessions or SessionStore.beside(Path(db_path))
    tokens = auth.Tokens(secret or store.secret(), store)
    up = Path(upload_dir) if upload_dir else Path(tempfile.mkdtemp(prefix="zhizao-uploads-"))
    settings = settings or Settings()
    ctx = Context(wh, Policy(wh), auth.Users(wh, tokens), limiter or auth.LoginLimiter(store=store), up, settings)
    if warm:
        from .serving import warm_caches

        wh.warm = lambda _wh: warm_caches(ctx)
        threading.Thread(target=wh.warm_now, name="zhizao-warm", daemon=True).start()

    app = FastAPI(
        title="zhizao 智造 API",
        version="1",
        description="Regions, clusters, chains, enterprises, yearly figures, targets, facts with their "
        "quotes and sources, every analytics result, and imports. Sign in with "
        "`POST /api/v1/auth/token` (OAuth2 password form) and send "
        "`Authorization: Bearer TOKEN` (tokens live an hour; `DELETE /api/v1/auth/token` ends one). "
        "Enterprise-level data follow the role rules "
        "(admin, city: every firm; district: its own region; public: aggregates only). Aggregates over "
        "fewer than 3 firms are blanked for district and public users, and so are enough other figures of "
        "every total they add into that no sum or difference of shown figures gives them away "
        "(`suppressed` marks a blanked row). "
        "List endpoints filter, sort (`sort`, `desc`; blanked figures sort last) and page (`limit`, `offset`); "
        "`format=csv` downloads the same rows as CSV. This description and the docs need a signed-in user.",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.zz = ctx

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def _plotly():
        return FileResponse(
            plotly_js(), media_type="application/javascript", headers={"Cache-Control": "public, max-age=86400"}
        )

    @app.get("/static/vendor/swagger/{name}", include_in_schema=False)
    def _swagger(name: str):
        if name not in SWAGGER_FILES:
            raise NotFound(name)
        return FileResponse(
            swagger_dir() / name, media_type=SWAGGER_FILES[name], headers={"Cache-Control": "public, max-age=86400"}
        )

    @app.get(f"{API}/openapi.json", include_in_schema=False)
    def _openapi(p: Principal = Depends(api_user)):
        return JSONResponse(app.openapi())

    @app.get(f"{API}/docs", include_in_schema=False)
    def _docs(request: Request):
        cookie = request.cookies.get(auth.SESSION_COOKIE)
        if not (cookie and ctx.users.from_token(cookie, api=False)):
            raise LoginRequired(f"{API}/docs")
        return HTMLResponse(DOCS_HTML)

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon():
        return Response(status_code=204)

    app.include_router(pages_static_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router, prefix=API)
    app.include_router(pages_router)
    # outermost last: headers see every response, including the guard's refusals and the kept answers
    app.add_middleware(KeptAnswers)
    app.add_middleware(CSRFGuard, max_body=settings.max_upload_bytes + 1024 * 1024)
    app.add_middleware(SecurityHeaders, https=settings.https)
    app.add_middleware(OneSnapshot, warehouse=wh)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith(API)

    @app.exception_handler(Denied)
    async def _denied(request: Request, exc: Denied):
        if is_api(request):
            return JSONResponse({"detail": exc.en, "detail_zh": exc.zh}, status_code=403)
        return render_error(request, 403, exc)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        if is_api(request):
            return JSONResponse({"detail": f"not found: {exc.what}"}, status_code=404)
        return render_error(request, 404, exc)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        return RedirectResponse(f"/login?next={quote(exc.next_url, safe='/?=&')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if is_api(request) or exc.status_code < 400:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render_error(request, exc.status_code, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        from fastapi.encoders import jsonable_encoder

        if is_api(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        return render_error(request, 422, exc)

    return app


def from_environment() -> FastAPI:
    """The app of one `zhizao serve` worker process (uvicorn's factory, `zhizao.web.app:from_environment`): the
    main process passes its settings in the environment (web/serving.py)."""
    import os

    from .serving import ENV_DB, ENV_HTTPS, ENV_UPLOADS

    return create_app(
        os.environ[ENV_DB],
        settings=Settings(https=os.environ.get(ENV_HTTPS) == "1"),
        upload_dir=os.environ.get(ENV_UPLOADS) or None,
        watch=False,  # the main process watches the warehouse
        warm=True,
    )


__all__ = ["create_app", "from_environment", "Context", "LoginRequired", "HTMLResponse"]
