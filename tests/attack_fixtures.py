"""Fixtures for the attack suite (tests/test_attack_*.py): the evaluated demo warehouse of web_fixtures with
one more district account per side of a boundary, an in-process app over a module's own copy, and helpers
that talk to it the way an outside client does (bearer tokens, page sessions, CSV downloads).

Accounts: those of web_fixtures.ROLES (admin, city, lj = 两江新区, fl = 涪陵区, pub) plus
    spb  district 500106 沙坪坝区     wz  district 500101 万州区
"""

from __future__ import annotations

import csv
import io

import pytest

from web_fixtures import ROLES, app_over, bearer, copy_of, form_login, tokens_for

ATTACK_ROLES = {
    **ROLES,
    "spb": ("district", "500106", "spb-password-1"),
    "wz": ("district", "500101", "wz-password-1"),
}
DISTRICTS = {n: r[1] for n, r in ATTACK_ROLES.items() if r[0] == "district"}


def add_accounts(path) -> None:
    from zhizao.store import db as store
    from zhizao.web import auth

    con = store.open_warehouse(path)
    try:
        for name, (role, region, pw) in ATTACK_ROLES.items():
            if name not in ROLES:
                auth.add_user(con, name, role, pw, region, actor="tests")
    finally:
        con.close()


@pytest.fixture(scope="module")
def attack_db(web_base, tmp_path_factory):
    path = copy_of(web_base, tmp_path_factory.mktemp("attack"))
    add_accounts(path)
    return path


@pytest.fixture(scope="module")
def attack_app(attack_db):
    with app_over(attack_db, failures=50, client_failures=10_000) as a:
        yield a


@pytest.fixture(scope="module")
def attack_client(attack_app):
    from fastapi.testclient import TestClient

    return TestClient(attack_app)


@pytest.fixture(scope="module")
def attack_tokens(attack_client) -> dict[str, str]:
    return tokens_for(attack_client, ATTACK_ROLES)


def login_page(client, name: str, password: str | None = None):
    """Sign a TestClient in through the login form as an account of ATTACK_ROLES (or with another password)."""
    return form_login(client, name, password or ATTACK_ROLES[name][2])


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def fetch_all(client, token: str, url: str, **params) -> dict:
    """Every row of a list endpoint (JSON, paged by 1000)."""
    rows, offset = [], 0
    while True:
        r = client.get(url, params={**params, "limit": 1000, "offset": offset}, headers=bearer(token))
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        body = r.json()
        rows += body.get("rows", [])
        total = body.get("total", len(rows))
        offset += 1000
        if "offset" not in body or offset >= total:
            body["rows"] = rows
            return body
