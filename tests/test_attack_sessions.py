"""Attack suite: sessions, tokens, headers, the docs page and the web wiring.

- issue 14 item 8: signing out revokes the session on the server (a saved cookie no longer opens pages);
  bearer tokens carry a revocable id and live an hour; revocations hold across server processes and need
  no write access to the warehouse.
- issue 14 item 10: X-Forwarded-For is trusted only from configured proxies (`--forwarded-allow-ips`, off by
  default), so rotating it does not get around the sign-in rate limit.
- issue 14 item 11: /api/v1/docs loads Swagger UI from this server (a registry package), not a CDN; the docs
  and the OpenAPI spec need sign-in.
- issue 14 item 12: Content-Security-Policy, Referrer-Policy, Cache-Control: no-store on data, the Secure
  cookie flag behind HTTPS, no server banner.
- issue 13 item 5: no import cycle under web/; CSRF enforced by one middleware for every unsafe method; the
  caches are cachetools caches that evict, not dicts that empty themselves at a size limit.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from attack_fixtures import ATTACK_ROLES, login_page
from web_fixtures import bearer, served

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
WEB = Path(__file__).resolve().parents[1] / "src" / "zhizao" / "web"


def fresh_app(attack_db, tmp_path, **kw):
    from zhizao.web.app import create_app

    path = tmp_path / "w.duckdb"
    if not path.exists():
        shutil.copy(attack_db, path)
    return create_app(path, **kw)


# ------------------------------------------------------------------------------------------------ item 8
def test_sign_out_ends_the_session_on_the_server(attack_db, tmp_path):
    app = fresh_app(attack_db, tmp_path)
    try:
        c = TestClient(app)
        assert login_page(c, "city").status_code == 303
        saved = c.cookies.get("zz_session")
        assert c.get("/", follow_redirects=False).status_code == 200
        r = c.post("/logout", data={"csrf_token": c.cookies.get("zz_csrf")}, follow_redirects=False)
        assert r.status_code == 303
        # the attacker replays the saved cookie in another browser
        thief = TestClient(app, cookies={"zz_session": saved})
        assert thief.get("/", follow_redirects=False).status_code == 303
        assert thief.get("/api/v1/me").status_code == 401
    finally:
        app.state.zz.wh.close()


def test_bearer_tokens_have_a_revocable_id_and_a_short_life(attack_db, tmp_path):
    from zhizao.web import auth

    app = fresh_app(attack_db, tmp_path)
    try:
        c = TestClient(app)
        body = c.post("/api/v1/auth/token", data={"username": "city", "password": ATTACK_ROLES["city"][2]}).json()
        assert body["expires_in"] <= 3600
        tok = body["access_token"]
        assert app.state.zz.users.tokens.read(tok, api=True)["j"]  # the revocable id
        assert c.get("/api/v1/me", headers=bearer(tok)).status_code == 200
        assert c.delete("/api/v1/auth/token", headers=bearer(tok)).status_code == 204
        assert c.get("/api/v1/me", headers=bearer(tok)).status_code == 401
        assert auth.API_TOKEN_SECONDS <= 3600 < auth.SESSION_SECONDS <= 12 * 3600
    finally:
        app.state.zz.wh.close()


def test_revocations_hold_across_server_processes_and_need_no_warehouse_write(attack_db, tmp_path):
    """Two server processes (workers) share the revocation store beside the warehouse: a sign-out answered by
    one is honoured by the other. The store is its own small file, so a read-only server can record it."""
    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    from zhizao.web.app import create_app

    app = create_app(path, read_only=True)
    try:
        c = TestClient(app)
        tok = c.post("/api/v1/auth/token", data={"username": "city", "password": ATTACK_ROLES["city"][2]}).json()[
            "access_token"
        ]
        assert c.get("/api/v1/me", headers=bearer(tok)).status_code == 200
        # another process revokes it through its own server object (same warehouse, same secret)
        code = (
            "import sys; from zhizao.web.sessions import SessionStore; from zhizao.web.auth import Tokens;"
            "s = SessionStore.beside(sys.argv[1]); t = Tokens(s.secret(), s);"
            "d = t.read(sys.argv[2], api=True); s.revoke(d['j'], d['e'])"
        )
        subprocess.run([sys.executable, "-c", code, str(path), tok], check=True, timeout=60)
        assert c.get("/api/v1/me", headers=bearer(tok)).status_code == 401
    finally:
        app.state.zz.wh.close()
    # the signing secret and the store are not in the warehouse
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'web_secret'").fetchone()[0] == 0
    con.close()
    store = Path(str(path) + ".sessions")
    assert store.exists() and (store.stat().st_mode & 0o077) == 0


def test_removing_a_user_or_signing_out_everywhere_ends_every_session(attack_db, tmp_path):
    app = fresh_app(attack_db, tmp_path)
    try:
        c = TestClient(app)
        tok = c.post("/api/v1/auth/token", data={"username": "wz", "password": ATTACK_ROLES["wz"][2]}).json()[
            "access_token"
        ]
        assert login_page(c, "wz").status_code == 303
        app.state.zz.users.end_sessions("wz")
        assert c.get("/api/v1/me", headers=bearer(tok)).status_code == 401
        assert c.get("/", follow_redirects=False).status_code == 303
    finally:
        app.state.zz.wh.close()


# ----------------------------------------------------------------------------------------------- item 10
@pytest.fixture(scope="module")
def real_server(attack_db, tmp_path_factory):
    d = tmp_path_factory.mktemp("real")
    db = d / "w.duckdb"
    shutil.copy(attack_db, db)
    with served(db, d / "serve.log") as base:
        yield base


def test_rotating_x_forwarded_for_does_not_get_around_the_rate_limit(real_server):
    codes = []
    for i in range(25):
        r = httpx.post(
            real_server + "/api/v1/auth/token",
            data={"username": "admin", "password": f"guess-{i}"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
            timeout=60,  # a busy machine, workers warming their caches
        )
        codes.append(r.status_code)
    assert 429 in codes, codes
    assert codes.index(429) <= 6


def test_forwarded_headers_are_trusted_from_a_configured_proxy_only(attack_db, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(attack_db, db)
    with served(db, tmp_path / "serve.log", "--forwarded-allow-ips", "127.0.0.1", "--https") as base:
        r = httpx.get(base + "/login", headers={"X-Forwarded-Proto": "https"}, timeout=60)  # workers warming
        assert r.status_code == 200
        assert "secure" in r.headers.get("set-cookie", "").lower()


# ----------------------------------------------------------------------------------------------- item 11
def test_api_docs_load_swagger_from_this_server_only(attack_client, attack_tokens):
    from attack_fixtures import login_page

    c = attack_client
    login_page(c, "city")
    r = c.get("/api/v1/docs")
    assert r.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls
    for u in urls:
        got = c.get(u)
        assert got.status_code == 200 and len(got.content) > 100, u
    assert "cdn" not in r.text.lower()
    bundle = next(u for u in urls if u.endswith(".js") and "swagger" in u)
    assert b"SwaggerUIBundle" in c.get(bundle).content
    c.cookies.clear()


def test_api_docs_and_spec_need_sign_in(attack_app, attack_tokens):
    c = TestClient(attack_app)
    assert c.get("/api/v1/openapi.json").status_code == 401
    assert c.get("/api/v1/docs", follow_redirects=False).status_code in (303, 401)
    spec = c.get("/api/v1/openapi.json", headers=bearer(attack_tokens["pub"]))
    assert spec.status_code == 200 and spec.json()["paths"]


# ----------------------------------------------------------------------------------------------- item 12
def test_security_headers_on_pages_and_data(attack_app, attack_tokens):
    c = TestClient(attack_app)
    login_page(c, "city")
    page = c.get("/")
    csp = page.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives["script-src"] and "'self'" in directives["script-src"]
    assert "nonce-" in directives["script-src"]
    assert directives.get("object-src") == "'none'" and directives.get("frame-ancestors") == "'none'"
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page.text)
    assert inline and all(f'nonce="{nonce}"' in a or 'type="application/json"' in a for a in inline)
    assert not re.search(r"\son[a-z]+=\"", page.text), "inline event handlers need 'unsafe-inline'"
    assert page.headers["referrer-policy"] in ("no-referrer", "same-origin", "strict-origin-when-cross-origin")
    assert page.headers["cache-control"] == "no-store"
    h = bearer(attack_tokens["city"])
    for url in ("/api/v1/enterprises?limit=1", "/api/v1/enterprises?format=csv", "/api/v1/figures?format=csv"):
        assert c.get(url, headers=h).headers["cache-control"] == "no-store", url
    assert "no-store" not in c.get("/static/app.css").headers.get("cache-control", "")


def test_every_page_has_nonced_scripts_only(attack_app):
    c = TestClient(attack_app)
    login_page(c, "admin")
    for url in (
        "/",
        "/regions",
        "/regions/500102",
        "/clusters",
        "/clusters/T1-1",
        "/facts",
        "/mujun",
        "/targets",
        "/imports",
        "/results",
        "/results/clusters/figures",
        "/sources/seed001",
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]).group(1)
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", r.text):
            assert f'nonce="{nonce}"' in attrs or 'type="application/json"' in attrs, (url, attrs)
        assert not re.search(r"\son(click|change|submit|load|input)=", r.text), url


def test_no_server_banner_and_no_secure_flag_over_plain_http(real_server):
    r = httpx.get(real_server + "/login", timeout=60)
    assert "server" not in {k.lower() for k in r.headers}
    assert "secure" not in r.headers.get("set-cookie", "").lower()


# ---------------------------------------------------------------------------------------- issue 13 item 5
def _imports_of(path: Path, pkg: str) -> set[str]:
    """Modules of `pkg` imported by a file, at top level or inside functions (lazy imports count too)."""
    mod = pkg + "." + ".".join(path.relative_to(WEB).with_suffix("").parts)
    mod = mod.removesuffix(".__init__")
    is_pkg = path.name == "__init__.py"
    out = set()
    for n in ast.walk(ast.parse(path.read_text())):
        if isinstance(n, ast.ImportFrom):
            if n.level:
                base = mod.split(".")
                base = base[: len(base) - n.level + (1 if is_pkg else 0)]
                target = ".".join(base + ([n.module] if n.module else []))
            else:
                target = n.module or ""
            if target.startswith(pkg):
                out.add(target)
                for a in n.names:
                    out.add(f"{target}.{a.name}")
        elif isinstance(n, ast.Import):
            out |= {a.name for a in n.names if a.name.startswith(pkg)}
    return out


def test_no_import_cycle_under_web():
    pkg = "zhizao.web"
    files = {
        (pkg + "." + ".".join(p.relative_to(WEB).with_suffix("").parts)).removesuffix(".__init__"): p
        for p in WEB.rglob("*.py")
    }
    graph = {m: {t for t in _imports_of(p, pkg) if t in files and t != m} for m, p in files.items()}
    # a package's __init__ is imported with any of its modules
    for m in list(graph):
        parent = m.rsplit(".", 1)[0]
        if parent in files and parent != m and parent != pkg:
            graph[m] = graph[m]
    cycles, state, stack = [], {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for t in graph[m]:
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t) :] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, cycles[:3]


def test_csrf_is_enforced_by_middleware_for_any_new_form(attack_db, tmp_path):
    """A form route added without any CSRF code of its own is protected all the same."""
    from fastapi import Form

    app = fresh_app(attack_db, tmp_path)
    try:

        @app.post("/probe-form")
        def probe(x: str = Form("")):
            return {"ok": x}

        @app.post("/api/v1/probe-form")
        def api_probe(x: str = Form("")):
            return {"ok": x}

        app.router.routes.insert(0, app.router.routes.pop())  # before the pages' catch-alls
        app.router.routes.insert(0, app.router.routes.pop())
        c = TestClient(app)
        login_page(c, "city")
        assert c.post("/probe-form", data={"x": "1"}).status_code == 403
        assert c.post("/api/v1/probe-form", data={"x": "1"}).status_code == 403
        assert c.put("/probe-form", data={"x": "1"}).status_code in (403, 405)
        ok = c.post("/probe-form", data={"x": "1", "csrf_token": c.cookies.get("zz_csrf")})
        assert ok.status_code == 200 and ok.json() == {"ok": "1"}
        assert c.post("/probe-form", data={"x": "2"}, headers={"X-CSRF-Token": c.cookies.get("zz_csrf")}).json() == {
            "ok": "2"
        }
        # an API client with a bearer token carries no ambient credential: no CSRF token needed there ...
        tok = c.post("/api/v1/auth/token", data={"username": "city", "password": ATTACK_ROLES["city"][2]})
        assert tok.status_code == 200
        h = bearer(tok.json()["access_token"])
        nc = TestClient(app)
        assert nc.post("/api/v1/probe-form", data={"x": "3"}, headers=h).status_code == 200
        # ... but a bearer header does not open a page form of a cookie session
        assert c.post("/probe-form", data={"x": "4"}, headers=h).status_code == 403
    finally:
        app.state.zz.wh.close()


def test_no_handler_checks_csrf_by_hand():
    text = "\n".join(p.read_text() for p in (WEB / "pages").rglob("*.py")) + (WEB / "deps.py").read_text()
    assert "csrf_ok(" not in text and "_check_csrf(" not in text


def test_caches_are_cachetools_caches_that_evict_rather_than_empty(attack_app):
    import cachetools

    from zhizao.web.auth import LoginLimiter

    wh = attack_app.state.zz.wh
    assert isinstance(wh._cache, cachetools.Cache)
    n = wh._cache.maxsize
    for i in range(n + 10):
        wh.cached(("probe", i), lambda i=i: i)
    assert len(wh._cache) == n  # full, not emptied
    assert wh.cached(("probe", n + 9), lambda: "recomputed") == n + 9  # the latest entries survive
    # sign-in failures are counted in the session store, which every server process shares (no dict to empty)
    from zhizao.web.sessions import SessionStore

    assert isinstance(LoginLimiter().store, SessionStore)
    assert isinstance(attack_app.state.zz.users._cache, cachetools.TTLCache)
    src = (WEB / "auth.py").read_text() + (WEB / "warehouse.py").read_text()
    assert ".clear()" not in src.replace("self._cache.clear()", "")
