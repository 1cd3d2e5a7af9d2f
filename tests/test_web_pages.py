"""Pages through an in-process client: sign-in with CSRF, every page for every role (200 or 403), the
synthetic notice, the language switch, unit rules of the access policy."""
from __future__ import annotations

import re

import pytest
from web_fixtures import ROLES, app, client, page_login, web_base, web_db  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def sessions(app):
    from fastapi.testclient import TestClient
    out = {}
    for who in ROLES:
        c = TestClient(app)
        assert page_login(c, who).status_code == 303
        out[who] = c
    return out


def test_login_form_needs_its_csrf_token(app):
    from fastapi.testclient import TestClient
    c = TestClient(app)
    c.get("/login")
    r = c.post("/login", data={"username": "admin", "password": ROLES["admin"][2], "csrf_token": "forged"})
    assert r.status_code == 403
    assert page_login(c, "admin").status_code == 303
    assert c.cookies.get("zz_session")


def test_unsigned_visitors_are_sent_to_sign_in(client):
    r = client.get("/regions/500102", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/regions/500102")


def test_next_must_stay_on_the_site(app):
    from fastapi.testclient import TestClient
    c = TestClient(app)
    r = c.get("/login")
    tok = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    r = c.post("/login", data={"username": "city", "password": ROLES["city"][2], "csrf_token": tok,
                               "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"


PAGES = {  # path: roles that get 403
    "/": set(), "/regions": set(), "/regions/500102": set(), "/regions/CQ-LJXQ": set(), "/clusters": set(),
    "/clusters/T1-1": set(), "/targets": set(), "/mujun": set(), "/facts": set(), "/sources/seed001": set(),
    "/results": set(), "/results/clusters/figures": set(),
    "/enterprises?region=500102": {"pub", "lj"}, "/results/mujun/scores?region=500102": {"pub", "lj"},
    "/imports": {"pub"}, "/template.xlsx": {"pub"},
}


@pytest.mark.parametrize("who", list(ROLES))
def test_every_page_for_every_role(sessions, who):
    c = sessions[who]
    for path, denied in PAGES.items():
        r = c.get(path)
        assert r.status_code == (403 if who in denied else 200), (who, path, r.status_code)
        if r.headers["content-type"].startswith("text/html"):
            assert "演示数据" in r.text                      # the warehouse is synthetic: every page says so


def test_english_is_switchable(sessions):
    c = sessions["city"]
    assert "City overview" in c.get("/?lang=en").text
    assert "City overview" in c.get("/regions").text          # kept in a cookie
    assert "全市总览" in c.get("/?lang=zh").text


def test_public_pages_show_no_firm_names(sessions):
    for path in ("/", "/regions/500102", "/clusters/T1-1", "/mujun"):
        assert "公司（演示）" not in sessions["pub"].get(path).text, path


def test_policy_units(app):
    from zhizao.web.access import Denied, Principal
    pol = app.state.zz.policy
    lj = Principal("lj", "district", "CQ-LJXQ")
    assert {"500105", "500112", "CQ-LJXQ"} <= pol.firm_regions(lj)
    assert pol.firm_regions(Principal("c", "city")) is None
    assert pol.firm_regions(Principal("p", "public")) == frozenset()
    with pytest.raises(Denied):
        pol.require_firm(lj, "500102")
    rows = [{"region_code": "500101", "firms": 2, "output": 5.0}, {"region_code": "500105", "firms": 1, "output": 3.0},
            {"region_code": "500102", "firms": 3, "output": 7.0}, {"region_code": "500103", "firms": 0, "output": 0.0}]
    assert pol.suppress(lj, rows) == 1                         # 500105 is 两江新区's own: kept
    assert rows[0]["output"] is None and rows[0]["firms"] == 2 and rows[1]["output"] == 3.0
    assert rows[2]["output"] == 7.0 and rows[3]["output"] == 0.0
    assert pol.may_import(lj) and not pol.may_import(Principal("p", "public"))
