"""Attack suite: data crossing a district boundary, and what the answers give away.

- issue 14 item 1: a district user never changes a firm (or a target) outside its region by import — every
  row of every kind is checked against the uploader's rights on both the stored and the new value.
- issue 14 item 13: another district's firm and a code that does not exist answer the same.
- the access expectation table: role × route × format (JSON and CSV), as an outside client meets it.
"""

from __future__ import annotations

import re

import pytest

from attack_fixtures import csv_bytes, csv_rows
from web_fixtures import bearer
from zhizao import uscc

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ENT_HEADER = ["uscc", "name", "region", "park", "industry_code", "founded", "region_year"]


def upload(client, token: str, name: str, data: bytes):
    return client.post("/api/v1/imports", files={"file": (name, data, "text/csv")}, headers=bearer(token))


def firm_in(wh, region: str, n: int = 0) -> str:
    return wh.scalar(f"SELECT uscc FROM enterprise WHERE region_code = ? ORDER BY uscc LIMIT 1 OFFSET {n}", [region])


# ------------------------------------------------------------------------------------------------ item 1
def test_an_enterprise_only_file_cannot_rehome_another_districts_firm(attack_app, attack_client, attack_tokens):
    """The issue's reproduction: a 沙坪坝 account uploads enterprise rows only, with a 万州 firm's code, a new
    name and region 500106. Refused, and the firm keeps its name and region."""
    wh = attack_app.state.zz.wh
    victim = firm_in(wh, "500101")
    before = wh.one("SELECT name, region_code, industry_code FROM enterprise WHERE uscc = ?", [victim])
    data = csv_bytes([ENT_HEADER, [victim, "改名的企业", "500106", "", before["industry_code"], "", ""]])
    rep = upload(attack_client, attack_tokens["spb"], "e.csv", data).json()
    assert not rep["ok"] and not rep["confirmable"], rep
    (issue,) = rep["issues"]
    assert issue["row"] == 2 and "own region" in issue["reason_en"]
    assert wh.one("SELECT name, region_code, industry_code FROM enterprise WHERE uscc = ?", [victim]) == before
    # and the firm stays out of the district user's sight
    assert attack_client.get(f"/api/v1/enterprises/{victim}", headers=bearer(attack_tokens["spb"])).status_code == 404


def test_an_enterprise_row_for_another_districts_firm_is_refused_even_unchanged(
    attack_app, attack_client, attack_tokens
):
    """Renaming only (region left as stored) is a change to a firm outside the region as well."""
    wh = attack_app.state.zz.wh
    victim = firm_in(wh, "500101", 1)
    e = wh.one("SELECT name, industry_code FROM enterprise WHERE uscc = ?", [victim])
    data = csv_bytes([ENT_HEADER, [victim, e["name"] + "（改）", "500101", "", e["industry_code"], "", ""]])
    rep = upload(attack_client, attack_tokens["spb"], "e.csv", data).json()
    assert not rep["ok"] and rep["issues"][0]["row"] == 2


def test_a_district_user_cannot_move_its_own_firm_out_of_its_region(attack_app, attack_client, attack_tokens):
    wh = attack_app.state.zz.wh
    own = firm_in(wh, "500106")
    e = wh.one("SELECT name, industry_code FROM enterprise WHERE uscc = ?", [own])
    data = csv_bytes([ENT_HEADER, [own, e["name"], "500101", "", e["industry_code"], "", ""]])
    rep = upload(attack_client, attack_tokens["spb"], "e.csv", data).json()
    assert not rep["ok"] and "own region" in rep["issues"][0]["reason_en"]


def test_a_district_user_may_still_import_its_own_firms(attack_app, attack_client, attack_tokens):
    wh = attack_app.state.zz.wh
    own = firm_in(wh, "500106", 2)
    new = uscc.make("500106", "MA770001")
    e = wh.one("SELECT name, industry_code FROM enterprise WHERE uscc = ?", [own])
    data = csv_bytes(
        [
            ENT_HEADER,
            [own, e["name"], "500106", "", e["industry_code"], "", ""],
            [new, "沙坪坝新企业", "500106", "", "C36", "", ""],
        ]
    )
    rep = upload(attack_client, attack_tokens["spb"], "e.csv", data).json()
    assert rep["ok"], rep["issues"]


def test_a_target_of_another_district_cannot_be_overwritten_by_its_id(attack_app, attack_client, attack_tokens):
    """Targets are upserted by id: a 沙坪坝 user naming a 涪陵 target's id (scope moved to 沙坪坝) would rewrite
    涪陵's target. The stored target's scope is checked as well as the new one."""
    wh = attack_app.state.zz.wh
    tid = wh.scalar("SELECT id FROM target WHERE scope = 'region' AND scope_id = '500102' ORDER BY id LIMIT 1")
    before = wh.one("SELECT scope_id, value FROM target WHERE id = ?", [tid])
    header = ["id", "scope", "scope_id", "metric", "value", "unit", "year"]
    data = csv_bytes([header, [tid, "region", "500106", "industrial_output", "1", "亿元", "2030"]])
    rep = upload(attack_client, attack_tokens["spb"], "t.csv", data).json()
    assert not rep["ok"], rep
    assert wh.one("SELECT scope_id, value FROM target WHERE id = ?", [tid]) == before


def test_the_command_line_applies_the_same_rule_to_a_registered_district_user(attack_db, tmp_path):
    """`zhizao import --user NAME` for a district account: the same row rule as the web."""
    import shutil

    from zhizao.ingest.tables import run_import
    from zhizao.store import db as store

    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    con = store.open_warehouse(path)
    try:
        victim = con.execute("SELECT uscc FROM enterprise WHERE region_code = '500101' ORDER BY uscc").fetchone()[0]
        f = tmp_path / "e.csv"
        f.write_bytes(csv_bytes([ENT_HEADER, [victim, "改名", "500106", "", "C36", "", ""]]))
        out = run_import(f, con, user="spb")
        assert not out.ok
        assert con.execute("SELECT region_code FROM enterprise WHERE uscc = ?", [victim]).fetchone()[0] == "500101"
    finally:
        con.close()


# ----------------------------------------------------------------------------------------------- item 13
def test_another_districts_firm_and_a_missing_code_answer_the_same(attack_app, attack_client, attack_tokens):
    wh = attack_app.state.zz.wh
    other = firm_in(wh, "500101")
    missing = uscc.make("500101", "MA000000")
    assert wh.scalar("SELECT count(*) FROM enterprise WHERE uscc = ?", [missing]) == 0
    for who in ("spb", "fl", "lj", "pub"):
        h = bearer(attack_tokens[who])
        for suffix in ("", "/figures", "/figures?format=csv"):
            a = attack_client.get(f"/api/v1/enterprises/{other}{suffix}", headers=h)
            b = attack_client.get(f"/api/v1/enterprises/{missing}{suffix}", headers=h)
            assert a.status_code == b.status_code, (who, suffix, a.status_code, b.status_code)
            assert a.json()["detail"].replace(other, "X") == b.json()["detail"].replace(missing, "X"), (who, suffix)
    # the pages too
    from fastapi.testclient import TestClient

    from attack_fixtures import login_page

    c = TestClient(attack_app)
    login_page(c, "spb")
    a, b = c.get(f"/enterprises/{other}"), c.get(f"/enterprises/{missing}")
    assert a.status_code == b.status_code == 404

    def page(r, code):  # the page less its per-request CSP nonce
        return re.sub(r'nonce="[^"]*"', "", r.text.replace(code, "X"))

    assert page(a, other) == page(b, missing)


# ------------------------------------------------------------------------------------- the access table
# role -> (status of firm-level data of its own region, of another region, of aggregates)
EXPECT = {
    "admin": (200, 200, 200),
    "city": (200, 200, 200),
    "spb": (200, 404, 200),
    "fl": (200, 404, 200),
    "lj": (200, 404, 200),
    "wz": (200, 404, 200),
    "pub": (403, 403, 200),
}
OWN = {"spb": "500106", "fl": "500102", "lj": "CQ-LJXQ", "wz": "500101"}


def _routes(wh, who: str):
    """(kind, url) pairs: enterprise-level routes for the user's own region and another one, and aggregates."""
    own = OWN.get(who, "500106")
    other = "500101" if own != "500101" else "500106"
    own_firm = wh.scalar(
        "SELECT e.uscc FROM enterprise e JOIN region_current c ON c.code = e.region_code "
        "WHERE c.current_code = ? ORDER BY e.uscc LIMIT 1",
        [own],
    )
    other_firm = firm_in(wh, other)
    firm_own = [
        f"/api/v1/enterprises?region={own}",
        f"/api/v1/enterprises/{own_firm}",
        f"/api/v1/enterprises/{own_firm}/figures",
        f"/api/v1/results/mujun/scores?region={own}",
        f"/api/v1/results/ladder/firms?region={own}",
    ]
    firm_other = [
        f"/api/v1/enterprises/{other_firm}",
        f"/api/v1/enterprises/{other_firm}/figures",
    ]
    firm_other_list = [
        f"/api/v1/enterprises?region={other}",
        f"/api/v1/results/mujun/scores?region={other}",
        f"/api/v1/results/ladder/firms?region={other}",
    ]
    aggregates = [
        "/api/v1/figures",
        "/api/v1/results/clusters/figures",
        "/api/v1/results/specialisation/lq",
        "/api/v1/results/chains/coverage",
        "/api/v1/results/mujun/regions",
        "/api/v1/results/opportunities/complexity",
    ]
    return firm_own, firm_other, firm_other_list, aggregates


@pytest.mark.parametrize("who", list(EXPECT))
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_access_table_role_by_route_by_format(attack_app, attack_client, attack_tokens, who, fmt):
    wh = attack_app.state.zz.wh
    own_s, other_s, agg_s = EXPECT[who]
    firm_own, firm_other, firm_other_list, aggregates = _routes(wh, who)
    h = bearer(attack_tokens[who])

    def status(url):
        single = "/enterprises/" in url and not url.endswith("/figures")  # one enterprise has no CSV form
        u = url if fmt == "json" or single else url + ("&" if "?" in url else "?") + "format=csv"
        r = attack_client.get(u, headers=h)
        if r.status_code == 200 and u.endswith("format=csv"):
            assert r.headers["content-type"].startswith("text/csv"), u
            assert r.headers.get("cache-control") == "no-store", u
        return r.status_code

    for u in firm_own:
        assert status(u) == own_s, (who, u)
    for u in firm_other:
        assert status(u) == other_s, (who, u)
    # a list restricted to another region: refused for district users (403: the region exists and is public)
    for u in firm_other_list:
        assert status(u) == (200 if who in ("admin", "city") else 403), (who, u)
    for u in aggregates:
        assert status(u) == agg_s, (who, u)


@pytest.mark.parametrize("who", ["spb", "lj"])
def test_district_lists_and_csv_hold_only_own_firms(attack_client, attack_tokens, who):
    own = {"spb": {"500106"}, "lj": {"500105", "500112", "CQ-LJXQ"}}[who]
    h = bearer(attack_tokens[who])
    for url in ("/api/v1/enterprises", "/api/v1/results/mujun/scores", "/api/v1/results/ladder/firms"):
        rows = csv_rows(attack_client.get(url + "?format=csv", headers=h).text)
        assert rows and {r["region_code"] for r in rows} <= own, url
