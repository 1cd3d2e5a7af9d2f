"""The JSON API through an in-process client: sign-in, every resource, the access matrix (role x kind of
data, JSON and CSV), suppression, filters/sort/paging, not-evaluated results, imports and the audit log."""

from __future__ import annotations

import csv
import io

import pytest

from web_fixtures import ROLES, bearer, page_login
from zhizao import uscc

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def firms(app):
    """One firm recorded in 江北区 (now 两江新区), one in 渝北区, one in 涪陵区."""
    wh = app.state.zz.wh
    pick = lambda code: wh.scalar("SELECT uscc FROM enterprise WHERE region_code = ? ORDER BY uscc LIMIT 1", [code])
    return {"jiangbei": pick("500105"), "yubei": pick("500112"), "fuling": pick("500102")}


def get(client, tokens, who, url):
    return client.get(url, headers=bearer(tokens[who]))


def rows_csv(r) -> list[dict]:
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))


# ------------------------------------------------------------------------------------------ sign-in
def test_no_credentials_is_401_everywhere(client):
    for url in (
        "/api/v1/regions",
        "/api/v1/enterprises",
        "/api/v1/figures",
        "/api/v1/results/mujun/scores",
        "/api/v1/facts",
        "/api/v1/me",
    ):
        r = client.get(url)
        assert r.status_code == 401, url
        assert r.headers["www-authenticate"] == "Bearer"


def test_token_from_the_password_form(client):
    r = client.post("/api/v1/auth/token", data={"username": "lj", "password": ROLES["lj"][2]})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["role"] == "district" and body["region"] == "CQ-LJXQ"
    me = client.get("/api/v1/me", headers=bearer(body["access_token"])).json()
    assert me == {"name": "lj", "role": "district", "region": "CQ-LJXQ", "sees_enterprises": True, "may_import": True}


def test_wrong_password_and_tampered_token_are_401(client, tokens):
    assert client.post("/api/v1/auth/token", data={"username": "city", "password": "nope"}).status_code == 401
    assert client.post("/api/v1/auth/token", data={"username": "ghost", "password": "nope"}).status_code == 401
    bad = tokens["city"][:-3] + ("AAA" if not tokens["city"].endswith("AAA") else "BBB")
    assert client.get("/api/v1/me", headers=bearer(bad)).status_code == 401
    # a page session cookie is not an API token and the other way round
    assert client.get("/api/v1/me", headers=bearer("x" + tokens["city"])).status_code == 401


def test_login_is_rate_limited(app):
    from fastapi.testclient import TestClient

    from zhizao.web.auth import LoginLimiter

    app.state.zz.limiter, saved = LoginLimiter(failures=3, window=60), app.state.zz.limiter
    try:
        c = TestClient(app)
        codes = [
            c.post("/api/v1/auth/token", data={"username": "admin", "password": "wrong"}).status_code for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        # even the right password waits now
        r = c.post("/api/v1/auth/token", data={"username": "admin", "password": ROLES["admin"][2]})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        # the page form is limited the same way
        assert page_login(c, "admin").status_code == 429
    finally:
        app.state.zz.limiter = saved


def test_secret_is_generated_per_warehouse_and_kept_beside_it_not_in_it(app, web_db):
    s = app.state.zz.users.tokens.secret
    assert s and len(s) >= 32
    assert app.state.zz.wh.meta("web_secret") is None
    from zhizao.web.sessions import SessionStore

    assert SessionStore.beside(web_db).secret() == s


# ------------------------------------------------------------------------------------------ resources
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions",
        "/api/v1/regions/CQ-LJXQ",
        "/api/v1/figures",
        "/api/v1/figures?year=2023&map=recorded",
        "/api/v1/overview",
        "/api/v1/overview?metric=tax&measure=growth",
        "/api/v1/districts/CQ-LJXQ",
        "/api/v1/districts/500102",
        "/api/v1/clusters",
        "/api/v1/clusters/T1-1",
        "/api/v1/chains",
        "/api/v1/chains/icv-nev?region=500106",
        "/api/v1/targets",
        "/api/v1/facts",
        "/api/v1/sources",
        "/api/v1/sources/seed001",
        "/api/v1/results",
        "/api/v1/geo/districts",
        "/api/v1/imports",
        "/api/v1/enterprises?region=CQ-LJXQ",
    ],
)
def test_resources_answer_for_admin(client, tokens, url):
    r = get(client, tokens, "admin", url)
    assert r.status_code == 200, r.text
    assert r.json()


def test_unknown_items_are_404(client, tokens):
    for url in (
        "/api/v1/regions/XX",
        "/api/v1/clusters/nope",
        "/api/v1/chains/nope",
        "/api/v1/sources/nope",
        "/api/v1/enterprises/915000000000000000",
        "/api/v1/districts/XX",
    ):
        assert get(client, tokens, "admin", url).status_code == 404, url


def test_regions_include_the_new_district_and_its_predecessors(client, tokens):
    r = get(client, tokens, "pub", "/api/v1/regions/CQ-LJXQ").json()
    assert r["name_zh"] == "两江新区" and {"500105", "500112"} <= set(r["predecessors"])
    jb = get(client, tokens, "pub", "/api/v1/regions/500105").json()
    assert jb["current_code"] == "CQ-LJXQ" and jb["valid_to"] == "2025-11-06"


def test_every_adapter_route_answers(client, tokens):
    idx = get(client, tokens, "admin", "/api/v1/results").json()["rows"]
    assert {"clusters/figures", "mujun/scores", "chains/coverage"} <= {v["path"] for v in idx}
    for v in idx:
        r = get(client, tokens, "admin", v["url"] + "?limit=3")
        assert r.status_code == 200, (v["url"], r.text)
        body = r.json()
        assert body["evaluated"] == bool(v["years"])
        if body["evaluated"]:
            assert len(body["rows"]) <= 3 and body["total"] >= len(body["rows"])


def test_list_endpoints_filter_sort_and_page(client, tokens):
    a = get(client, tokens, "city", "/api/v1/enterprises?region=500102&sort=name&limit=5").json()
    b = get(client, tokens, "city", "/api/v1/enterprises?region=500102&sort=name&limit=5&offset=5").json()
    assert a["total"] == b["total"] > 10
    names = [r["name"] for r in a["rows"] + b["rows"]]
    assert names == sorted(names) and len(set(names)) == 10
    assert all(r["region_code"] == "500102" for r in a["rows"])
    m = get(
        client, tokens, "city", "/api/v1/results/mujun/scores?region_code=500102&sort=total_score&desc=true&limit=20"
    ).json()
    if m["evaluated"]:
        s = [r["total_score"] for r in m["rows"] if r["total_score"] is not None]
        assert s == sorted(s, reverse=True)
        assert {r["region_code"] for r in m["rows"]} == {"500102"}
    f = get(client, tokens, "pub", "/api/v1/facts?kind=target&limit=5").json()
    assert f["rows"] and all(r["kind"] == "target" for r in f["rows"])
    assert get(client, tokens, "city", "/api/v1/enterprises?limit=5000").status_code == 422


def test_csv_download_matches_json(client, tokens):
    js = get(client, tokens, "city", "/api/v1/figures?year=2024").json()["rows"]
    cs = rows_csv(get(client, tokens, "city", "/api/v1/figures?year=2024&format=csv"))
    assert [r["region_code"] for r in cs] == [r["region_code"] for r in js]
    assert float(cs[0]["output_value"]) == pytest.approx(js[0]["output_value"])


# ------------------------------------------------------------------------------------------ access matrix
ENTERPRISE_LIST = {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 403}


@pytest.mark.parametrize("who", list(ROLES))
def test_matrix_enterprise_lists(client, tokens, who):
    r = get(client, tokens, who, "/api/v1/enterprises?limit=1000")
    assert r.status_code == ENTERPRISE_LIST[who]
    if r.status_code == 200:
        regions = {x["region_code"] for x in r.json()["rows"]}
        if who == "lj":
            assert regions <= {"500105", "500112", "CQ-LJXQ"} and {"500105", "500112"} <= regions
        if who == "fl":
            assert regions == {"500102"}
        if who in ("admin", "city"):
            assert len(regions) > 10
    # a region of its own / another region
    own = {"lj": "CQ-LJXQ", "fl": "500102"}.get(who, "500102")
    assert get(client, tokens, who, f"/api/v1/enterprises?region={own}").status_code == ENTERPRISE_LIST[who]
    other = get(client, tokens, who, "/api/v1/enterprises?region=500101").status_code
    assert other == (200 if who in ("admin", "city") else 403)
    # the CSV download follows the same rules
    c = get(client, tokens, who, "/api/v1/enterprises?format=csv")
    assert c.status_code == ENTERPRISE_LIST[who]
    if who == "fl":
        assert {r["region_code"] for r in rows_csv(c)} == {"500102"}


@pytest.mark.parametrize("who", list(ROLES))
def test_matrix_one_enterprise(client, tokens, firms, who):
    want = {
        "admin": {"jiangbei": 200, "yubei": 200, "fuling": 200},
        "city": {"jiangbei": 200, "yubei": 200, "fuling": 200},
        "lj": {"jiangbei": 200, "yubei": 200, "fuling": 404},  # 两江新区 sees the former 江北/渝北 firms
        "fl": {"jiangbei": 404, "yubei": 404, "fuling": 200},  # another region's firm answers as a missing one
        "pub": {"jiangbei": 403, "yubei": 403, "fuling": 403},
    }[who]
    for k, code in firms.items():
        r = get(client, tokens, who, f"/api/v1/enterprises/{code}")
        assert r.status_code == want[k], (who, k, r.text)
        f = get(client, tokens, who, f"/api/v1/enterprises/{code}/figures?format=csv")
        assert f.status_code == want[k]
    # a code that does not exist: 404 for those who may see firms, 403 for public (no existence oracle)
    assert get(client, tokens, who, "/api/v1/enterprises/915000000000000000").status_code == (
        403 if who == "pub" else 404
    )


FIRM_VIEWS = ["mujun/scores", "ladder/firms", "ladder/screening", "chains/leaders", "chains/suppliers"]


@pytest.mark.parametrize("who", list(ROLES))
def test_matrix_firm_level_results(client, tokens, who):
    for v in FIRM_VIEWS:
        r = get(client, tokens, who, f"/api/v1/results/{v}?limit=1000")
        if who == "pub":
            assert r.status_code == 403, v
            assert get(client, tokens, who, f"/api/v1/results/{v}?format=csv").status_code == 403
            continue
        assert r.status_code == 200, (v, r.text)
        body = r.json()
        if not body["evaluated"]:
            continue
        if who in ("lj", "fl") and body["rows"] and "region_code" in body["rows"][0]:
            allowed = {"lj": {"500105", "500112", "CQ-LJXQ"}, "fl": {"500102"}}[who]
            assert {x["region_code"] for x in body["rows"]} <= allowed, v
    if who in ("lj", "fl"):
        other = "500101"
        assert get(client, tokens, who, f"/api/v1/results/mujun/scores?region={other}").status_code == 403


@pytest.mark.parametrize("who", list(ROLES))
def test_matrix_aggregates_everyone_with_suppression(client, tokens, who):
    r = get(client, tokens, who, "/api/v1/figures?level=county&year=2025")
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert len(rows) >= 30
    small = [x for x in rows if 0 < x["firms"] < 3]
    for x in rows:
        if x in small and who in ("pub", "fl", "lj"):
            assert x["output_value"] is None and x.get("suppressed")
        elif x["firms"] >= 3 and who in ("admin", "city"):
            assert x["output_value"] is not None
        elif x["output_value"] is None:  # a complement: blanked so that the small ones cannot be worked out
            assert x.get("suppressed")
    # public sees the district and overview pages' data (aggregates), and the cluster figures
    for url in (
        "/api/v1/overview",
        "/api/v1/districts/500102",
        "/api/v1/results/clusters/figures?limit=5",
        "/api/v1/results/chains/coverage?limit=5",
        "/api/v1/results/mujun/regions",
    ):
        assert get(client, tokens, who, url).status_code == 200, url


def test_suppression_of_small_aggregates_for_public(app, client, tokens):
    """A chain node with one or two firms in a district: counts stay, figures go — for public and for
    district users outside their region; city users see them."""
    pub = get(client, tokens, "pub", "/api/v1/results/chains/coverage?limit=1000&region_code=500101").json()
    if not pub["evaluated"]:
        pytest.skip("chains not evaluated")
    city = get(client, tokens, "city", "/api/v1/results/chains/coverage?limit=1000&region_code=500101").json()
    by = {(r["chain_id"], r["node_id"]): r for r in city["rows"]}
    few = [r for r in pub["rows"] if 0 < r["firms"] < 3]
    assert few, "the demo has thin nodes in 万州"
    for r in few:
        assert r["output"] is None and r["suppressed"] is True
        assert by[(r["chain_id"], r["node_id"])]["output"] is not None
    assert pub["suppressed"] >= len(few)  # and the complements that keep them from being worked out
    # 两江新区 user: own predecessors' rows are not suppressed
    lj = get(client, tokens, "lj", "/api/v1/results/chains/coverage?limit=1000&region_code=500105").json()
    assert not any(r.get("suppressed") for r in lj["rows"])


def test_district_page_data_respects_roles(client, tokens):
    pub = get(client, tokens, "pub", "/api/v1/districts/500102").json()
    assert pub["ladder"] is None and pub["sees_firms"] is False
    fl = get(client, tokens, "fl", "/api/v1/districts/500102").json()
    assert fl["sees_firms"] is True
    lj = get(client, tokens, "lj", "/api/v1/districts/500102").json()
    assert lj["ladder"] is None and lj["sees_firms"] is False
    lj_own = get(client, tokens, "lj", "/api/v1/districts/CQ-LJXQ").json()
    assert lj_own["sees_firms"] is True and set(lj_own["members"]) >= {"500105", "500112"}
    assert lj_own["series"] and lj_own["series"][-1]["firms"] > 50


# ------------------------------------------------------------------------------------------ published data
def test_facts_carry_quotes_that_are_in_their_article(client, tokens):
    src = get(client, tokens, "pub", "/api/v1/sources/seed001").json()
    body = src["source"]["body"]
    quoted = [f for f in src["facts"] if f["span_start"] is not None]
    assert quoted
    for f in quoted:
        assert body[f["span_start"] : f["span_end"]] == f["quote"]
    marked = [s for s in src["segments"] if s["facts"]]
    assert {fid for s in marked for fid in s["facts"]} == {f["id"] for f in quoted}
    assert "".join(s["text"] for s in src["segments"]) == body


def test_targets_show_progress_when_evaluated(client, tokens):
    t = get(client, tokens, "pub", "/api/v1/targets?region=CQ-LJXQ").json()
    ids = {r["id"] for r in t["rows"]}
    assert "pack:jiangbei-2027-target-industrial-output" in ids  # 江北's target belongs to 两江新区 now
    if t["evaluated"]:
        r = next(r for r in t["rows"] if r["id"] == "pack:jiangbei-2027-target-industrial-output")
        assert r["progress"] is not None and r["light"] in ("on_track", "at_risk", "off_track", "achieved", "unknown")


def test_not_evaluated_results_say_so(web_base, tmp_path):
    """On a warehouse no `zhizao evaluate` has touched, results read as not evaluated (never an error)."""
    from fastapi.testclient import TestClient

    from zhizao.ingest.synth.build import build_demo
    from zhizao.store import db as store
    from zhizao.web import auth
    from zhizao.web.app import create_app

    path = tmp_path / "raw.duckdb"
    build_demo(path, enterprises=200, seed=3, years="2024-2025")
    con = store.open_warehouse(path)
    auth.add_user(con, "a", "admin", "password-123")
    con.close()
    app = create_app(path)
    c = TestClient(app)
    h = bearer(c.post("/api/v1/auth/token", data={"username": "a", "password": "password-123"}).json()["access_token"])
    r = c.get("/api/v1/results/mujun/scores", headers=h).json()
    assert r["evaluated"] is False and r["rows"] == []
    ov = c.get("/api/v1/overview", headers=h).json()
    # the region figures are the clusters instrument's stored results too: none before evaluate (issue 10 item 6)
    assert ov["cluster_tree"]["evaluated"] is False and ov["figures_evaluated"] is False and ov["counties"] == []
    page = c.get("/", headers=h)
    assert page.status_code in (200, 303)
    page_login(c, "a", "password-123")
    html = c.get("/").text
    assert "尚未计算" in html and "zhizao evaluate" in html
    app.state.zz.wh.close()


# ------------------------------------------------------------------------------------------ imports
@pytest.fixture
def import_app(web_base, tmp_path):
    from fastapi.testclient import TestClient

    from web_fixtures import copy_of
    from zhizao.web.app import create_app

    app = create_app(copy_of(web_base, tmp_path))
    c = TestClient(app)
    toks = {
        n: c.post("/api/v1/auth/token", data={"username": n, "password": ROLES[n][2]}).json()["access_token"]
        for n in ROLES
    }
    yield app, c, toks
    app.state.zz.wh.close()


def csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


HEADER = ["统一社会信用代码", "企业名称", "所在区县", "行业代码"]


def test_import_round_trip_is_validated_confirmed_and_audited(import_app):
    app, c, toks = import_app
    wh = app.state.zz.wh
    new = uscc.make("500106", "MA990001")
    data = csv_bytes([HEADER, [new, "导入测试企业", "沙坪坝区", "C36"]])
    r = c.post("/api/v1/imports", files={"file": ("firms.csv", data, "text/csv")}, headers=bearer(toks["city"]))
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["ok"] and rep["confirmable"] and rep["rows"] == 1
    assert wh.scalar("SELECT count(*) FROM enterprise WHERE uscc = ?", [new]) == 0  # nothing written yet
    # another user cannot confirm someone else's upload
    assert c.post(f"/api/v1/imports/{rep['token']}/confirm", headers=bearer(toks["admin"])).status_code == 400
    done = c.post(f"/api/v1/imports/{rep['token']}/confirm", headers=bearer(toks["city"])).json()
    assert done["ok"] and done["batch"]
    assert wh.scalar("SELECT name FROM enterprise WHERE uscc = ?", [new]) == "导入测试企业"
    audit = wh.rows("""SELECT actor, action, object FROM audit WHERE action = 'import' ORDER BY "at" DESC LIMIT 1""")
    assert audit[0]["actor"] == "city" and audit[0]["object"] == done["batch"]
    hist = c.get("/api/v1/imports", headers=bearer(toks["city"])).json()["rows"]
    assert hist[0]["id"] == done["batch"]
    # the new firm is visible at once (caches dropped)
    assert c.get(f"/api/v1/enterprises/{new}", headers=bearer(toks["admin"])).status_code == 200


def test_import_errors_are_reported_and_nothing_is_written(import_app):
    app, c, toks = import_app
    wh = app.state.zz.wh
    good = uscc.make("500106", "MA990002")
    bad = uscc.make("500106", "MA990003")
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    before = wh.scalar("SELECT count(*) FROM enterprise")
    r = c.post(
        "/api/v1/imports",
        headers=bearer(toks["admin"]),
        files={
            "file": (
                "bad.csv",
                csv_bytes([HEADER, [good, "甲", "沙坪坝区", "C36"], [bad, "乙", "沙坪坝区", "C36"]]),
                "text/csv",
            )
        },
    )
    rep = r.json()
    assert not rep["ok"] and not rep["confirmable"] and rep["issue_total"] == 1
    (i,) = rep["issues"]
    assert (i["row"], i["column"], i["value"]) == (3, "A", bad) and "校验位" in i["reason_zh"] and i["reason_en"]
    assert wh.scalar("SELECT count(*) FROM enterprise") == before
    rp = c.get(f"/api/v1/imports/{rep['token']}/report", headers=bearer(toks["admin"]))
    assert rp.status_code == 200 and len(rp.content) > 100
    assert c.post(f"/api/v1/imports/{rep['token']}/confirm", headers=bearer(toks["admin"])).status_code == 400


def test_import_roles(import_app):
    app, c, toks = import_app
    f = {"file": ("x.csv", csv_bytes([HEADER, [uscc.make("500106", "MA990004"), "丙", "沙坪坝区", "C36"]]), "text/csv")}
    assert c.post("/api/v1/imports", files=f, headers=bearer(toks["pub"])).status_code == 403
    assert c.get("/api/v1/imports", headers=bearer(toks["pub"])).status_code == 403
    # a district user may not import another district's firms (ingest/tables' own rule)
    rep = c.post("/api/v1/imports", files=f, headers=bearer(toks["fl"])).json()
    assert not rep["ok"] and rep["issues"]
    assert (
        c.post(
            "/api/v1/imports", headers=bearer(toks["admin"]), files={"file": ("x.pdf", b"%PDF", "application/pdf")}
        ).status_code
        == 400
    )


def test_api_writes_with_a_cookie_need_the_csrf_header(import_app):
    app, c, toks = import_app
    assert page_login(c, "city").status_code == 303
    f = {"file": ("x.csv", csv_bytes([HEADER, [uscc.make("500106", "MA990005"), "丁", "沙坪坝区", "C36"]]), "text/csv")}
    assert c.post("/api/v1/imports", files=f).status_code == 403
    r = c.post("/api/v1/imports", files=f, headers={"X-CSRF-Token": c.cookies.get("zz_csrf")})
    assert r.status_code == 200 and r.json()["ok"]


# ------------------------------------------------------------------------------------------ users (CLI)
def test_users_command_adds_lists_removes_and_audits(tmp_path, web_base):
    from typer.testing import CliRunner

    from web_fixtures import copy_of
    from zhizao.cli import app as cli
    from zhizao.store import db as store

    db = copy_of(web_base, tmp_path)
    run = CliRunner()
    r = run.invoke(
        cli,
        ["users", "add", "newbie", "--db", str(db), "--role", "district", "--region", "500102", "--password-stdin"],
        input="a-long-password\n",
    )
    assert r.exit_code == 0, r.output
    r = run.invoke(
        cli, ["users", "add", "x", "--db", str(db), "--role", "district", "--password-stdin"], input="p" * 9 + "\n"
    )
    assert r.exit_code == 1 and "--region" in r.output
    r = run.invoke(
        cli, ["users", "add", "y", "--db", str(db), "--role", "boss", "--password-stdin"], input="p" * 9 + "\n"
    )
    assert r.exit_code == 1
    r = run.invoke(cli, ["users", "add", "z", "--db", str(db), "--role", "city", "--password-stdin"], input="short\n")
    assert r.exit_code == 1
    r = run.invoke(cli, ["users", "list", "--db", str(db)])
    assert r.exit_code == 0 and "newbie" in r.output and "500102" in r.output
    r = run.invoke(cli, ["users", "remove", "newbie", "--db", str(db)])
    assert r.exit_code == 0
    assert run.invoke(cli, ["users", "remove", "newbie", "--db", str(db)]).exit_code == 1
    con = store.open_warehouse(db, read_only=True)
    rows = con.execute("SELECT action, object FROM audit WHERE object = 'newbie' ORDER BY \"at\"").fetchall()
    pw = con.execute("SELECT password_hash FROM app_user WHERE name = 'admin'").fetchone()[0]
    con.close()
    assert [a for a, _ in rows] == ["user.add", "user.remove"]
    assert pw.startswith("$argon2")


def test_removed_user_loses_access(import_app):
    app, c, toks = import_app
    from zhizao.web import auth

    with app.state.zz.wh.write() as cur:  # the warehouse file, then the snapshot this server reads
        auth.remove_user(cur, "fl", actor="tests")
    assert c.get("/api/v1/me", headers=bearer(toks["fl"])).status_code == 401
