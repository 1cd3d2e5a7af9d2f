"""Answering in milliseconds without loosening the access rules (issue 12; docs/scale.md, "Answering in
milliseconds"): answers encoded once per data generation and scope, gzip, ETag/304 that never crosses roles or
districts, pages kept per viewer with a fresh nonce and CSRF token in every response, the district boundaries
served once at an address the browser keeps, staged imports any worker can confirm, and one build for many
requests asking at once."""

from __future__ import annotations

import gzip
import json
import re
import threading
import time

import pytest
from fastapi.testclient import TestClient

from web_fixtures import ROLES, bearer, copy_of, page_login
from zhizao import uscc

OVERVIEW = "/api/v1/overview"
DISTRICT = "/api/v1/districts/500102"


def test_an_answer_is_gzipped_for_clients_that_accept_it_and_says_the_same(client, tokens):
    h = bearer(tokens["city"])
    plain = client.get(OVERVIEW, headers={**h, "Accept-Encoding": "identity"})
    packed = client.get(OVERVIEW, headers={**h, "Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers and packed.headers["content-encoding"] == "gzip"
    assert packed.json() == plain.json()  # httpx decodes the gzip body
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert plain.headers["etag"] == packed.headers["etag"]
    assert "Authorization" in plain.headers["vary"] and "Accept-Encoding" in plain.headers["vary"]
    assert plain.headers["cache-control"] == "no-store"  # browsers still keep no copy of the data


def test_a_client_holding_the_answer_gets_a_304_without_a_body(client, tokens):
    h = bearer(tokens["city"])
    first = client.get(DISTRICT, headers=h)
    again = client.get(DISTRICT, headers={**h, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    other = client.get(DISTRICT, headers={**h, "If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.json() == first.json()


@pytest.mark.parametrize("url", [OVERVIEW, DISTRICT])
def test_no_etag_is_shared_across_roles_or_districts(client, tokens, url):
    tags = {}
    for who in ("admin", "city", "lj", "fl", "pub"):
        r = client.get(url, headers=bearer(tokens[who]))
        if r.status_code == 200:
            tags[who] = r.headers["etag"]
    assert len(set(tags.values())) == len(tags), tags
    # another viewer's ETag never gets a 304: the answer is built for the asker
    for who, tag in tags.items():
        for other in tags:
            if other != who:
                r = client.get(url, headers={**bearer(tokens[other]), "If-None-Match": tag})
                assert r.status_code == 200, (who, other)


@pytest.mark.parametrize("who", ["pub", "fl", "city"])
def test_every_scope_is_served_exactly_what_is_built_for_it(app, client, tokens, who):
    """The cached answer of one scope is never another's: what each viewer gets (first and later requests, after
    the others have filled the cache) equals the overview built afresh for that viewer."""
    from zhizao.web import data
    from zhizao.web.access import Principal
    from zhizao.web.results import clean

    for other in ("pub", "fl", "city", "lj"):
        client.get(OVERVIEW, headers=bearer(tokens[other]))
    role, region, _ = ROLES[who]
    zz = app.state.zz
    with zz.wh.pinned():
        fresh = json.loads(
            json.dumps(
                clean(data.overview(zz.wh, zz.policy, Principal(who, role, region), lang="zh")),
                ensure_ascii=False,
                default=str,
            )
        )
    for _ in range(2):
        assert client.get(OVERVIEW, headers=bearer(tokens[who])).json() == fresh


def test_a_kept_page_has_a_new_nonce_and_the_viewers_own_csrf_token_every_time(app):
    c = TestClient(app)
    assert page_login(c, "city").status_code == 303
    pages = [c.get("/") for _ in range(2)] + [c.get("/regions/500102") for _ in range(2)]
    nonces = []
    for p in pages:
        assert p.status_code == 200 and p.headers["cache-control"] == "no-store"
        nonce = re.search(r"'nonce-([^']+)'", p.headers["content-security-policy"]).group(1)
        assert f'nonce="{nonce}"' in p.text
        assert "zznonce" not in p.text and "zzcsrf" not in p.text
        nonces.append(nonce)
    assert len(set(nonces)) == len(nonces)
    other = TestClient(app)
    assert page_login(other, "fl").status_code == 303
    mine = c.get("/regions/500102").text
    theirs = other.get("/regions/500102").text
    assert mine != theirs  # the city and the district's own account are kept apart
    token = re.search(r'name="csrf_token" value="([^"]+)"', theirs)
    if token:
        assert token.group(1) == other.cookies.get("zz_csrf")


def test_the_boundaries_come_once_from_an_address_the_browser_keeps(app):
    c = TestClient(app)
    assert page_login(c, "pub").status_code == 303
    page = c.get("/").text
    assert '"type": "FeatureCollection"' not in page and '"type":"FeatureCollection"' not in page
    url = json.loads(re.search(r'id="geo-url">([^<]+)</script>', page).group(1))
    assert re.fullmatch(r"/static/geo/districts-current-zh-[0-9a-f]{16}\.json", url)
    r = TestClient(app).get(url, headers={"Accept-Encoding": "gzip"})  # public boundaries: no sign-in needed
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert "immutable" in r.headers["cache-control"] and "no-store" not in r.headers["cache-control"]
    geo = r.json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) >= 30  # the districts on today's map
    assert TestClient(app).get(url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert TestClient(app).get("/static/geo/districts-current-zh-0000000000000000.json").status_code == 404


def test_an_upload_staged_by_one_worker_is_confirmed_by_another(web_base, tmp_path):
    """Workers share the upload folder: the confirm may reach another process than the upload did."""
    from zhizao.web.app import create_app

    db = copy_of(web_base, tmp_path / "db")
    uploads = tmp_path / "uploads"
    one = create_app(db, upload_dir=uploads, watch=False)
    two = create_app(db, upload_dir=uploads, watch=False)
    try:
        a, b = TestClient(one), TestClient(two)
        tok = a.post("/api/v1/auth/token", data={"username": "city", "password": ROLES["city"][2]}).json()
        h = bearer(tok["access_token"])
        new = uscc.make("500106", "MA990888")
        body = f"统一社会信用代码,企业名称,所在区县,行业代码\n{new},跨进程导入测试企业,沙坪坝区,C36\n".encode()
        staged = a.post("/api/v1/imports", files={"file": ("f.csv", body, "text/csv")}, headers=h).json()
        assert staged["ok"] and staged["confirmable"]
        admin = b.post("/api/v1/auth/token", data={"username": "admin", "password": ROLES["admin"][2]}).json()
        someone_else = bearer(admin["access_token"])
        assert b.post(f"/api/v1/imports/{staged['token']}/confirm", headers=someone_else).status_code == 400
        done = b.post(f"/api/v1/imports/{staged['token']}/confirm", headers=h).json()
        assert done["ok"] and done["batch"]
        assert b.get(f"/api/v1/enterprises/{new}", headers=h).status_code == 200  # the confirming worker, at once
        again = a.post(f"/api/v1/imports/{staged['token']}/confirm", headers=h)
        assert again.status_code == 400  # one upload, one load
        deadline = time.monotonic() + 5
        while a.get(f"/api/v1/enterprises/{new}", headers=h).status_code != 200:  # the other, on its next check
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        one.state.zz.wh.close()
        two.state.zz.wh.close()


def test_many_requests_for_a_missing_answer_build_it_once(app):
    wh = app.state.zz.wh
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return "built"

    out = []
    key = ("probe-once", time.time())
    threads = [threading.Thread(target=lambda: out.append(wh.cached(key, slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == ["built"] * 8 and len(calls) == 1


def test_gzip_bytes_are_made_once():
    from zhizao.web.encoded import Encoded

    enc = Encoded.json({"a": list(range(1000))}, name=("x",))
    assert gzip.decompress(enc.gzipped) == enc.body
    assert Encoded.json({"a": 1}, name=("x",)).etag == enc.etag  # named by what it is, not by its bytes


# ------------------------------------------------------------------------------- kept answers, before routing
@pytest.fixture()
def no_handlers(monkeypatch):
    """The overview and district handlers' cached_json and the pages' cached_page fail if called: a 200 then can
    only come from the kept answers (web/kept.py)."""
    from zhizao.web.api import core
    from zhizao.web.pages import main

    def refuse(*a, **k):
        raise AssertionError("routed to the handler")

    def off():
        monkeypatch.setattr(core, "cached_json", refuse)
        monkeypatch.setattr(main, "cached_page", refuse)

    return off


@pytest.mark.parametrize("url", [OVERVIEW, DISTRICT, OVERVIEW + "?metric=tax&measure=growth&lang=en"])
def test_a_kept_answer_is_served_before_routing_with_the_same_bytes_and_headers(client, tokens, no_handlers, url):
    h = {**bearer(tokens["city"]), "Accept-Encoding": "gzip"}
    routed = client.get(url, headers=h)
    assert routed.status_code == 200
    no_handlers()
    kept = client.get(url, headers=h)
    assert kept.status_code == 200 and kept.content == routed.content
    for name in ("etag", "vary", "content-encoding", "cache-control", "content-type", "x-frame-options"):
        assert kept.headers.get(name) == routed.headers.get(name), name
    assert client.get(url, headers={**h, "If-None-Match": routed.headers["etag"]}).status_code == 304


def test_a_kept_page_is_served_before_routing_with_this_responses_nonce_and_token(app, no_handlers):
    c = TestClient(app)
    assert page_login(c, "city").status_code == 303
    routed = c.get("/regions/500102")
    no_handlers()
    kept = c.get("/regions/500102")
    assert kept.status_code == 200 and kept.headers["cache-control"] == "no-store"
    nonce = re.search(r"'nonce-([^']+)'", kept.headers["content-security-policy"]).group(1)
    assert f'nonce="{nonce}"' in kept.text and "zznonce" not in kept.text and "zzcsrf" not in kept.text
    assert nonce not in routed.text
    # another viewer, or the same page asked with a bearer token instead of the session cookie, is not kept for
    # them: the handler decides (here: refused, since handlers are off)
    other = TestClient(app)
    assert page_login(other, "fl").status_code == 303
    with pytest.raises(AssertionError, match="routed to the handler"):
        other.get("/regions/500102")


def test_kept_answers_never_cross_viewers(client, tokens, no_handlers):
    """涪陵区's own account and 两江新区's have the same address's answer kept, each their own; nobody else is served
    from those entries — the public, the city, an admin, a token one character off, no token — each goes to the
    handler (refused here, since the handlers are off), which decides as it always did."""
    url = f"{DISTRICT}?probe={time.time_ns()}"  # an address no other test asked (the handler ignores the probe)
    mine = client.get(url, headers=bearer(tokens["fl"]))
    theirs = client.get(url, headers=bearer(tokens["lj"]))
    assert mine.status_code == theirs.status_code == 200 and mine.content != theirs.content
    no_handlers()
    assert client.get(url, headers=bearer(tokens["fl"])).content == mine.content  # kept for fl
    assert client.get(url, headers=bearer(tokens["lj"])).content == theirs.content  # kept for lj, apart
    for who in ("pub", "city", "admin"):
        with pytest.raises(AssertionError, match="routed to the handler"):
            client.get(url, headers=bearer(tokens[who]))
    assert client.get(url, headers=bearer(tokens["fl"] + "x")).status_code == 401  # the dependency refuses
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("how", ["revoke", "sign-out-everywhere"])
def test_a_token_ended_by_another_process_is_refused_at_once_though_its_verdict_was_kept(app, client, how):
    """Verified tokens are kept (auth.Users.verified) only while the session store is unchanged: a revocation or a
    sign-out written by another process (here: another connection to the store file) ends the token on the very
    next request, kept answers and all."""
    from zhizao.web.sessions import SessionStore

    zz = app.state.zz
    tok = client.post("/api/v1/auth/token", data={"username": "city", "password": ROLES["city"][2]}).json()
    h = bearer(tok["access_token"])
    assert client.get(OVERVIEW, headers=h).status_code == 200
    assert client.get(OVERVIEW, headers=h).status_code == 200
    assert zz.users.verified(tok["access_token"], api=True) is not None  # kept
    other = SessionStore(zz.users.tokens.store.path)  # another server process or `zhizao users sign-out`
    try:
        if how == "revoke":
            data = zz.users.tokens.read(tok["access_token"], api=True)
            other.revoke(data["j"], data["e"])
        else:
            time.sleep(0.01)
            other.sign_out_everywhere("city")
    finally:
        other.close()
    assert zz.users.verified(tok["access_token"], api=True) is None
    assert client.get(OVERVIEW, headers=h).status_code == 401
    fresh = client.post("/api/v1/auth/token", data={"username": "city", "password": ROLES["city"][2]}).json()
    assert client.get(OVERVIEW, headers=bearer(fresh["access_token"])).status_code == 200


def test_a_kept_verdict_lapses_when_the_token_expires(app, client):
    zz = app.state.zz
    tok = client.post("/api/v1/auth/token", data={"username": "pub", "password": ROLES["pub"][2]}).json()
    assert client.get(OVERVIEW, headers=bearer(tok["access_token"])).status_code == 200
    key = (tok["access_token"], True)
    p, _, stamp = zz.users._verified[key]
    zz.users._verified[key] = (p, time.time() - 1, stamp)  # as if its hour were over
    assert zz.users.verified(tok["access_token"], api=True) is None


def test_the_suppression_warm_up_is_done_once_per_snapshot_for_every_worker(web_base, tmp_path, capfd):
    """The first worker warms a snapshot and leaves the results beside it (0600); the next loads them instead of
    solving again, and blanks exactly what the first does."""
    import os
    import stat

    from zhizao.web.app import create_app
    from zhizao.web.serving import warm_caches

    db = copy_of(web_base, tmp_path / "db")
    one = create_app(db, watch=False)
    two = create_app(db, watch=False)
    try:
        with one.state.zz.wh.pinned():
            warm_caches(one.state.zz)
            shared = f"{one.state.zz.wh.snapshot_file}.warm"
            solved = one.state.zz.wh.entries(("disclosure", "blanked"))
        assert os.path.exists(shared) and stat.S_IMODE(os.stat(shared).st_mode) == 0o600
        assert solved and any(key[-1] for key in solved)  # the public's and district scopes' solutions
        with two.state.zz.wh.pinned():
            warm_caches(two.state.zz)
            loaded = two.state.zz.wh.entries(("disclosure", "blanked"))
        assert "loaded" in capfd.readouterr().err
        assert loaded.keys() == solved.keys()
        assert all((loaded[k] == solved[k]).all() for k in solved)
        a, b = TestClient(one), TestClient(two)
        for who in ("fl", "pub"):
            ta = a.post("/api/v1/auth/token", data={"username": who, "password": ROLES[who][2]}).json()["access_token"]
            tb = b.post("/api/v1/auth/token", data={"username": who, "password": ROLES[who][2]}).json()["access_token"]
            for url in (OVERVIEW, DISTRICT):
                assert a.get(url, headers=bearer(ta)).json() == b.get(url, headers=bearer(tb)).json()
    finally:
        one.state.zz.wh.close()
        two.state.zz.wh.close()


def test_an_account_added_while_a_worker_warms_the_new_snapshot_is_known_to_it_at_once(web_base, tmp_path):
    """Workers switch to a new snapshot when its caches are warm (up to WARM_SECONDS later, each on its own): the
    accounts are read from the newest snapshot all the same, or a user signed in by a worker that switched is
    refused by one still warming (CI saw 401 on /me right after a sign-in)."""
    import threading as th

    from zhizao.store import db as store
    from zhizao.store import snapshot
    from zhizao.web.app import create_app
    from zhizao.web.auth import add_user

    db = copy_of(web_base, tmp_path / "db")
    app = create_app(db, watch=False)
    wh = app.state.zz.wh
    release = th.Event()
    wh.warm = lambda _wh: release.wait(60)  # a warm-up that lasts until the test ends
    try:
        client = TestClient(app)
        old = wh.current.number
        con = store.open_warehouse(db)
        try:
            add_user(con, "newcomer", "city", "newcomer-pw-1")
        finally:
            con.close()
        snapshot.publish(db)
        wh._checked = 0.0  # look for the new snapshot now, not CHECK_SECONDS later
        got = client.post("/api/v1/auth/token", data={"username": "newcomer", "password": "newcomer-pw-1"})
        assert got.status_code == 200, got.text
        assert client.get("/api/v1/me", headers=bearer(got.json()["access_token"])).status_code == 200
        assert wh.current.number == old  # the data pages still read the old snapshot while it warms
    finally:
        release.set()
        wh.close()
