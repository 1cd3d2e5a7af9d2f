"""Pages through an in-process client: sign-in with CSRF, every page for every role (200 or 403), the
synthetic notice, the language switch, unit rules of the access policy."""

from __future__ import annotations

import re

import pytest

from web_fixtures import ROLES, page_login

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
    r = c.post(
        "/login",
        data={"username": "city", "password": ROLES["city"][2], "csrf_token": tok, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


PAGES = {  # path: roles that get 403
    "/": set(),
    "/regions": set(),
    "/regions/500102": set(),
    "/regions/CQ-LJXQ": set(),
    "/clusters": set(),
    "/clusters/T1-1": set(),
    "/targets": set(),
    "/mujun": set(),
    "/facts": set(),
    "/sources/seed001": set(),
    "/results": set(),
    "/results/clusters/figures": set(),
    "/enterprises?region=500102": {"pub", "lj"},
    "/results/mujun/scores?region=500102": {"pub", "lj"},
    "/imports": {"pub"},
    "/template.xlsx": {"pub"},
}


@pytest.mark.parametrize("who", list(ROLES))
def test_every_page_for_every_role(sessions, who):
    c = sessions[who]
    for path, denied in PAGES.items():
        r = c.get(path)
        assert r.status_code == (403 if who in denied else 200), (who, path, r.status_code)
        if r.headers["content-type"].startswith("text/html"):
            assert "演示数据" in r.text  # the warehouse is synthetic: every page says so


def test_english_is_switchable(sessions):
    c = sessions["city"]
    assert "City overview" in c.get("/?lang=en").text
    assert "City overview" in c.get("/regions").text  # kept in a cookie
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
    rows = [
        {"region_code": "500101", "firms": 2, "output": 5.0},
        {"region_code": "500105", "firms": 1, "output": 3.0},
        {"region_code": "500102", "firms": 3, "output": 7.0},
        {"region_code": "500103", "firms": 0, "output": 0.0},
    ]
    assert pol.suppress(lj, rows) == 1  # 500105 is 两江新区's own: kept
    assert rows[0]["output"] is None and rows[0]["firms"] == 2 and rows[1]["output"] == 3.0
    assert rows[2]["output"] == 7.0 and rows[3]["output"] == 0.0
    assert pol.may_import(lj) and not pol.may_import(Principal("p", "public"))


# ----------------------------------------------------------------------------------- language
def _visible(html_text: str) -> str:
    """The text a reader sees: no scripts, no tags, entities decoded."""
    import html

    t = re.sub(r"<script.*?</script>", " ", html_text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", t))


SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _all_pages(app) -> list[str]:
    from zhizao.web.adapters import discovered

    wh = app.state.zz.wh
    firm = wh.scalar("SELECT uscc FROM mujun_score WHERE rated ORDER BY total_score DESC LIMIT 1")
    return [
        "/",
        "/regions",
        "/regions/500102",
        "/regions/CQ-LJXQ",
        "/clusters",
        "/clusters/T1-1",
        "/targets",
        "/targets?proposed=1",
        "/mujun",
        "/facts",
        "/sources/seed001",
        "/enterprises?region=500102",
        f"/enterprises/{firm}",
        "/results",
        "/imports",
    ] + [f"/results/{v}" for v in discovered(wh)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_shows_a_raw_key(app, sessions, lang):
    """Metric keys, ladder tiers, honour kinds, statuses and other identifiers are never printed as they are
    stored: every page, every analytics result, in both languages."""
    c = sessions["admin"]
    for path in _all_pages(app):
        r = c.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert r.status_code == 200, path
        keys = sorted(set(SNAKE.findall(_visible(r.text))))
        assert not keys, (lang, path, keys)
    c.get("/?lang=zh")


def test_known_keys_are_named_in_the_pages_language(sessions):
    c = sessions["admin"]
    zh = {
        p: _visible(c.get(p + "?lang=zh").text)
        for p in (
            "/targets",
            "/regions/500102",
            "/results/opportunities/recommendations",
            "/results/specialisation/strength",
            "/results/ladder/firms",
        )
    }
    en = {p: _visible(c.get(p + "?lang=en").text) for p in zh}
    c.get("/?lang=zh")
    raw = (
        "srdi_sme",
        "little_giant",
        "innovative_sme",
        "industry_output",
        "total_industrial_value_added",
        "on track",
        "off track",
        "not measurable",
        "possible entrant",
        "opportunity",
        "significant",
        "qualifying",
    )
    for p, text in zh.items():
        assert not [k for k in raw if k in text], p
    assert "无法测算" in zh["/targets"] and "进度滞后" in zh["/targets"] and "工业增加值" in zh["/targets"]
    assert "专精特新中小企业" in zh["/regions/500102"] and "强链" in zh["/regions/500102"]
    assert "潜在进入" in zh["/results/opportunities/recommendations"]
    assert "显著" in zh["/results/specialisation/strength"] or "合格" in zh["/results/specialisation/strength"]
    assert "not measurable" in en["/targets"] and "off track" in en["/targets"]
    assert "Industrial value added (all firms)" in en["/targets"]
    assert "SRDI (专精特新) SME" in en["/regions/500102"] and "strengthen (强链)" in en["/regions/500102"]
    assert "possible entrant" in en["/results/opportunities/recommendations"]
    assert any(w in zh["/results/ladder/firms"] for w in ("候选", "已获认定", "未达标", "已获更高层级"))
    assert any(
        w in en["/results/ladder/firms"] for w in (" candidate ", " holder ", " not met ", " holds a higher tier ")
    )


def test_names_come_from_the_pack(app, sessions):
    """亩均 indicators, classes and policies, ladder tiers and the map's note about a merged district are the pack's
    words in the page's language (nothing place-specific in the web code)."""
    from zhizao.reference import load_pack
    from zhizao.web import geo

    pack = load_pack(app.state.zz.wh.meta("pack"))
    method = next(m for m in pack.mujun.methods if m.id == pack.mujun.default_method)
    c = sessions["admin"]
    firm = app.state.zz.wh.scalar("SELECT uscc FROM mujun_score WHERE rated ORDER BY total_score DESC LIMIT 1")
    zh, en = _visible(c.get(f"/enterprises/{firm}?lang=zh").text), _visible(c.get(f"/enterprises/{firm}?lang=en").text)
    assert all(i.name_zh in zh and i.name_en in en for i in method.indicators)
    mz, me = _visible(c.get("/mujun?lang=zh").text), _visible(c.get("/mujun?lang=en").text)
    assert method.name_zh in mz and method.name_en in me
    assert all(k.policy_zh in mz and k.policy_en in me for k in method.classes if k.policy_zh)
    oz, oe = _visible(c.get("/?lang=zh").text), _visible(c.get("/?lang=en").text)
    c.get("/?lang=zh")
    notes = geo.approximations(pack, geo.load(pack))
    assert notes, "the pack's boundaries draw a merged district as the union of its predecessors"
    for f in geo.load(pack)["features"]:
        parts = f["properties"].get("union_of") or []
        if parts:
            succ = pack.regions[f["properties"]["code"]]
            assert succ.name_zh in oz and succ.name_en in oe
            assert all(pack.regions[x].name_zh in oz and pack.regions[x].name_en in oe for x in parts)


def test_the_web_code_names_no_place():
    """Region names of the pack appear in no template, script or string literal of the web layer (docstrings and
    comments may cite them as examples)."""
    import ast
    from pathlib import Path

    from zhizao.reference import load_pack

    pack = load_pack()
    names = {r.name_zh for r in pack.regions.values() if r.level in ("county", "province")}
    names |= {a for r in pack.regions.values() if r.level == "county" for a in r.aliases if len(a) >= 2}
    web = Path(__import__("zhizao.web", fromlist=["x"]).__file__).parent
    found = []
    for p in list(web.rglob("*.html")) + list(web.rglob("*.js")) + list(web.rglob("*.css")):
        text = p.read_text(encoding="utf-8")
        found += [(p.name, n) for n in names if n in text]
    for p in web.rglob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for n in ast.walk(tree):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
                found += [(p.name, x) for x in names if x in n.value]
    assert not found, found
