"""Fixtures for the dashboard and API tests (imported by tests/test_web_*.py).

One evaluated demo warehouse (1,500 synthetic firms, analytics for 2025, one account per role) is built
once per test run — shared by the xdist workers through a file lock — and each test module works on its
own copy: DuckDB lets one process hold a file for writing, and the API tests, the import tests and the
`zhizao serve` process of the browser tests must not share one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from pathlib import Path

import pytest

from zhizao.web.serving import started

ROLES = {  # name: (role, region, password)
    "admin": ("admin", None, "admin-password-1"),
    "city": ("city", None, "city-password-1"),
    "lj": ("district", "CQ-LJXQ", "lj-password-1"),  # 两江新区: sees the former 江北 and 渝北 firms
    "fl": ("district", "500102", "fl-password-1"),  # 涪陵区
    "pub": ("public", None, "pub-password-1"),
}
YEAR = 2025


def _build(path: Path) -> None:
    from zhizao.analytics import evaluate_all
    from zhizao.ingest.synth.build import build_demo
    from zhizao.store import db as store
    from zhizao.web import auth

    build_demo(path, enterprises=1500, seed=7)
    # every instrument, as `zhizao evaluate` runs them: one that fails fails the web tests (nothing is skipped)
    evaluate_all(path, YEAR)
    con = store.open_warehouse(path)
    try:
        for name, (role, region, pw) in ROLES.items():
            auth.add_user(con, name, role, pw, region, actor="tests")
    finally:
        con.close()


@pytest.fixture(scope="session")
def web_base(tmp_path_factory) -> Path:
    """The evaluated demo warehouse with one account per role (built once, shared by workers)."""
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root
    path = shared / "web-base.duckdb"
    with open(shared / "web-base.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (shared / "web-base.ok").exists():
                if path.exists():
                    path.unlink()
                _build(path)
                (shared / "web-base.ok").write_text("ok")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


def copy_of(base: Path, folder: Path, name: str = "w.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    shutil.copy(base, out)
    return out


@pytest.fixture(scope="module")
def web_db(web_base, tmp_path_factory) -> Path:
    return copy_of(web_base, tmp_path_factory.mktemp("webdb"))


@contextlib.contextmanager
def app_over(db: Path, *, failures: int, client_failures: int):
    """The dashboard app in this process over the warehouse `db`, with its sign-in limits (per account and per
    client address, in 60 s); its warehouse is closed afterwards."""
    from zhizao.web.app import create_app
    from zhizao.web.auth import LoginLimiter

    a = create_app(db, limiter=LoginLimiter(failures=failures, window=60, client_failures=client_failures))
    yield a
    a.state.zz.wh.close()


def tokens_for(client, roles: dict) -> dict[str, str]:
    """A bearer token for every account of `roles` (name: (role, region, password)), signed in through the API."""
    out = {}
    for name, (_, _, pw) in roles.items():
        r = client.post("/api/v1/auth/token", data={"username": name, "password": pw})
        assert r.status_code == 200, r.text
        out[name] = r.json()["access_token"]
    return out


def form_login(client, name: str, password: str):
    """Sign a TestClient in through the login form (CSRF token from the page)."""
    r = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


@pytest.fixture(scope="module")
def app(web_db):
    with app_over(web_db, failures=5, client_failures=1000) as a:
        yield a


@pytest.fixture(scope="module")
def client(app):
    from fastapi.testclient import TestClient

    return TestClient(app, raise_server_exceptions=True)


@pytest.fixture(scope="module")
def tokens(client) -> dict[str, str]:
    return tokens_for(client, ROLES)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def page_login(client, name: str, password: str | None = None):
    """Sign a TestClient in through the login form as an account of ROLES (or with another password)."""
    return form_login(client, name, password or ROLES[name][2])


# ------------------------------------------------------------------------------- a real server
@contextlib.contextmanager
def served(db: Path, log: Path, *options: str):
    """`zhizao serve --db DB [OPTIONS]` in its own process on a free loopback port (web/serving.started: its output
    in `log`, up to 150 s to answer, stopped with its workers); yields the base URL."""
    with started(db, log, *options) as server:
        yield server.base
