"""Attack suite: small cells that should stay hidden (issue 14 items 2–5).

- item 2: a blanked cell is not recovered by subtracting shown cells from a total (county ↔ group ↔ city,
  cluster ↔ tier, the LQ and region × industry tables): secondary (complementary) suppression.
- item 3: columns derived from a small cell in any year (`_prev`, growth) are blanked.
- item 4: sorting by a blanked column never orders by its hidden value.
- item 5: the small-cell rule covers chain supplier flows.
- the automated differencing check over every aggregate result, for the public and district roles
  (tests/attack_differencing.py): nothing blanked can be solved for from what is shown.
"""

from __future__ import annotations

import pytest

from attack_differencing import MIN_FIRMS, attack, read_board
from attack_fixtures import DISTRICTS, csv_rows, fetch_all, login_page
from web_fixtures import YEAR, bearer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
MONEY = ("output_value", "value_added", "revenue", "tax", "fixed_investment", "tech_renovation_investment")


def rows(client, tokens, who, url, **params):
    return fetch_all(client, tokens[who], url, **params)["rows"]


# ------------------------------------------------------------------------------------------------ item 2
def test_a_province_total_minus_the_shown_counties_recovers_no_county(attack_client, attack_tokens):
    """The issue's reproduction: for every unit, the province row minus the shown county rows — if exactly one
    county is blanked, that difference would be its figure. At least two counties (holding at least three firms
    between them) are blanked wherever one is."""
    url = "/api/v1/results/clusters/figures"
    prov = {r["unit_id"]: r for r in rows(attack_client, attack_tokens, "pub", url, region_level="province")}
    county = rows(attack_client, attack_tokens, "pub", url, region_level="county")
    by_unit: dict[str, list] = {}
    for r in county:
        by_unit.setdefault(r["unit_id"], []).append(r)
    checked = 0
    for unit, rs in by_unit.items():
        blank = [r for r in rs if r["output_value"] is None and r["firms"]]
        if not blank or unit not in prov or prov[unit]["output_value"] is None:
            continue
        checked += 1
        assert len(blank) >= 2, (unit, [(r["region_code"], r["firms"]) for r in blank])
        assert sum(r["firms"] for r in blank) >= MIN_FIRMS, unit
        diff = prov[unit]["output_value"] - sum(r["output_value"] or 0 for r in rs)
        admin = {
            r["region_code"]: r["output_value"]
            for r in rows(attack_client, attack_tokens, "admin", url, region_level="county", unit_id=unit)
        }
        for r in blank:
            assert abs(diff - admin[r["region_code"]]) > 1e-6 * max(1, abs(diff)), (unit, r["region_code"])
    assert checked, "the demo has small county cells"


def test_group_lq_rows_minus_counties_recover_no_county_industry_cell(attack_client, attack_tokens):
    url = "/api/v1/results/specialisation/lq"
    pub = rows(attack_client, attack_tokens, "pub", url)
    groups = {(r["region_code"], r["code"]): r for r in pub if r["level"] == "group"}
    regions = {r["code"]: r for r in rows(attack_client, attack_tokens, "pub", "/api/v1/regions")}
    group_of = {}
    for c, r in regions.items():
        p = r["parent_code"]
        while p and regions.get(p, {}).get("level") not in ("group", None):
            p = regions[p]["parent_code"]
        group_of[c] = p
    by: dict[tuple, list] = {}
    for r in pub:
        if r["level"] == "county":
            by.setdefault((group_of.get(r["region_code"]), r["code"]), []).append(r)
    checked = 0
    for key, rs in by.items():
        blank = [r for r in rs if r["value"] is None and r["firms"]]
        if blank and key in groups and groups[key]["value"] is not None:
            checked += 1
            assert len(blank) >= 2 and sum(r["firms"] for r in blank) >= MIN_FIRMS, key
    assert checked


# ------------------------------------------------------------------------------------------------ item 3
def test_previous_year_columns_and_growth_of_a_small_cell_are_blanked(attack_client, attack_tokens):
    """The issue's case: firms 3, firms_prev 2 — last year's figures and the growth between are blanked."""
    cases = 0
    for mp in ("current", "recorded"):
        for r in rows(attack_client, attack_tokens, "pub", "/api/v1/results/clusters/figures", region_map=mp):
            if r["firms_prev"] is not None and 0 < r["firms_prev"] < MIN_FIRMS:
                cases += r["firms"] >= MIN_FIRMS
                for m in MONEY:
                    assert r[f"{m}_prev"] is None and r[f"{m}_growth"] is None, (mp, r["region_code"], r["unit_id"], m)
            if 0 < r["firms"] < MIN_FIRMS:
                for m in MONEY:
                    assert r[m] is None and r[f"{m}_growth"] is None and r[f"{m}_share_of_city"] is None
    assert cases, "the demo has a cell that grew from two firms to three or more"


def test_a_small_region_last_year_blanks_this_years_growth_in_the_region_figures(attack_db, tmp_path):
    """/figures shows growth: a region that held two firms last year and more now gets no growth (growth and
    this year's figure would give last year's)."""
    import shutil

    from fastapi.testclient import TestClient

    from zhizao.store import db as store
    from zhizao.web.app import create_app

    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    con = store.open_warehouse(path)
    county = con.execute(
        "SELECT e.region_code FROM enterprise e JOIN enterprise_year y USING (uscc) WHERE y.year = ? "
        "GROUP BY 1 HAVING count(*) BETWEEN 5 AND 40 ORDER BY 1 LIMIT 1",
        [YEAR],
    ).fetchone()[0]
    keep = [
        r[0]
        for r in con.execute(
            "SELECT y.uscc FROM enterprise_year y JOIN enterprise e USING (uscc) "
            "WHERE e.region_code = ? AND y.year = ? "
            "ORDER BY y.uscc LIMIT 2",
            [county, YEAR - 1],
        ).fetchall()
    ]
    con.execute(
        "DELETE FROM enterprise_year WHERE year = ? AND uscc IN (SELECT uscc FROM enterprise WHERE region_code = ?) "
        "AND uscc NOT IN (?, ?)",
        [YEAR - 1, county, *keep],
    )
    con.close()
    app = create_app(path)
    try:
        c = TestClient(app)
        tok = c.post("/api/v1/auth/token", data={"username": "pub", "password": "pub-password-1"}).json()
        h = bearer(tok["access_token"])
        row = next(
            r for r in c.get(f"/api/v1/figures?year={YEAR}", headers=h).json()["rows"] if r["region_code"] == county
        )
        assert row["firms"] >= MIN_FIRMS and row["output_value"] is not None
        assert all(row[k] is None for k in row if k.endswith("_growth") and not k.startswith("firms")), row
        prev = next(
            r for r in c.get(f"/api/v1/figures?year={YEAR - 1}", headers=h).json()["rows"] if r["region_code"] == county
        )
        assert prev["firms"] == 2 and prev["output_value"] is None
    finally:
        app.state.zz.wh.close()


# ------------------------------------------------------------------------------------------------ item 4
@pytest.mark.parametrize("desc", [True, False])
def test_sorting_by_a_blanked_column_puts_blanked_rows_last(attack_client, attack_tokens, desc):
    url = "/api/v1/results/clusters/figures"
    params = dict(region_level="county", sort="output_value", desc=str(desc).lower())
    got = rows(attack_client, attack_tokens, "pub", url, **params)
    vals = [r["output_value"] for r in got]
    assert None in vals
    first_blank = vals.index(None)
    assert all(v is None for v in vals[first_blank:]), "a blanked row among shown rows leaks its rank"
    shown = vals[:first_blank]
    assert shown == sorted(shown, reverse=desc)
    # the blanked rows come in the table's key order, whatever their hidden values: the same both ways
    blank = [(r["region_code"], r["unit_id"]) for r in got[first_blank:]]
    assert [k[0] for k in blank] == sorted(k[0] for k in blank)
    other = rows(attack_client, attack_tokens, "pub", url, **{**params, "desc": str(not desc).lower()})
    assert [(r["region_code"], r["unit_id"]) for r in other if r["output_value"] is None] == blank
    # paging keeps the same order
    page = attack_client.get(url, params={**params, "limit": 50, "offset": 50}, headers=bearer(attack_tokens["pub"]))
    assert [r["output_value"] for r in page.json()["rows"]] == vals[50:100]
    # and so does the CSV
    c = attack_client.get(url, params={**params, "format": "csv"}, headers=bearer(attack_tokens["pub"]))
    cv = [r["output_value"] for r in csv_rows(c.text)]
    assert cv.index("") == first_blank and set(cv[first_blank:]) == {""}


# ------------------------------------------------------------------------------------------------ item 5
def test_supplier_flows_of_one_or_two_firms_elsewhere_are_blanked(attack_app, attack_client, attack_tokens):
    """A district user sees its chain leaders' suppliers by node and region: flows from one or two firms of
    another region are blanked (amount and share), flows from its own region stay."""
    from zhizao.web.access import Principal

    pol = attack_app.state.zz.policy
    small = own_small = 0
    for who in ("spb", "lj", "fl", "wz"):
        own = pol.firm_regions(Principal(who, "district", DISTRICTS[who]))
        for r in rows(attack_client, attack_tokens, who, "/api/v1/results/chains/suppliers"):
            if 0 < r["suppliers"] < MIN_FIRMS:
                if r["supplier_region"] in own:
                    own_small += 1
                    assert r["amount"] is not None, r
                else:
                    small += 1
                    assert r["amount"] is None and r["share"] is None, (who, r)
    assert small and own_small


# ------------------------------------------------------------------------------------------- differencing
@pytest.fixture(scope="module")
def regions(attack_client, attack_tokens):
    return {r["code"]: r for r in rows(attack_client, attack_tokens, "admin", "/api/v1/regions")}


@pytest.mark.slow
@pytest.mark.parametrize("who", ["pub", "spb", "lj", "fl"])
def test_no_blanked_figure_is_recovered_from_shown_figures(attack_client, attack_tokens, regions, who):
    """For every aggregate endpoint: every blanked figure, tried against every sum and difference of shown
    figures across the region hierarchy, the cluster tiers, industries and chains, the two maps, the
    previous year and derived columns — none is determined."""
    b = read_board(attack_client, attack_tokens, who, YEAR, regions)
    blanked = [v for v, s in b.seen.items() if s is None]
    assert blanked, "nothing blanked: the demo has small cells"
    assert len(b.equations) > 1000
    assert not b.inconsistent, b.inconsistent[:5]
    recovered, weak = attack(b)
    assert not recovered, f"{len(recovered)} blanked figures recovered, e.g. {recovered[:5]}"
    assert not weak, f"{len(weak)} sums over fewer than {MIN_FIRMS} firms, e.g. {weak[:3]}"


def test_pages_blank_what_the_api_blanks(attack_app, attack_client, attack_tokens):
    """The cluster page's contributions and the overview's counties carry the API's blanks (one rule)."""
    from fastapi.testclient import TestClient

    api = {
        r["region_code"]: r["output_value"]
        for r in rows(
            attack_client,
            attack_tokens,
            "pub",
            "/api/v1/results/clusters/figures",
            region_level="county",
            unit_id="T1-1",
        )
    }
    page = attack_client.get("/api/v1/clusters/T1-1", headers=bearer(attack_tokens["pub"])).json()
    for r in page["contributions"]:
        assert (r["output_value"] is None) == (api[r["region_code"]] is None), r["region_code"]
    fig = {r["region_code"]: r for r in rows(attack_client, attack_tokens, "pub", "/api/v1/figures", level="")}
    ov = attack_client.get("/api/v1/overview", headers=bearer(attack_tokens["pub"])).json()
    for c in ov["counties"]:
        assert (c["value"] is None) == (fig[c["code"]]["output_value"] is None)
    c = TestClient(attack_app)
    login_page(c, "pub")
    assert c.get("/clusters/T1-1").status_code == 200


# ------------------------------------------------------------------------------ the method on small tables
def _problem(firms, weight, relations):
    import numpy as np

    from zhizao.web import disclosure as D

    rels = [(np.array([t] + [p for p, _ in parts]), np.array([-1.0] + [c for _, c in parts])) for t, parts in relations]
    return D.Problem(np.array(firms), np.array(weight, dtype=float), rels)


def test_one_small_county_gets_a_second_blanked_county_beside_it():
    """city (0) = A (1) + B (2) + C (3); A holds 2 firms: blanking A alone gives it away (city − B − C)."""
    import numpy as np

    from zhizao.web import disclosure as D

    pb = _problem([30, 2, 10, 18], [100, 5, 20, 75], [(0, [(1, 1.0), (2, 1.0), (3, 1.0)])])
    known = np.zeros(4, dtype=bool)
    out = D.protect(pb, D.primary(pb, known), known)
    assert out.blanked.tolist() == [False, True, True, False]  # B: the smaller figure of the two candidates
    assert D.determined(pb, out.blanked) == [] and not out.unprotected


def test_a_table_with_both_margins_needs_a_rectangle():
    """Counties × industries with row and column totals (the LQ tables): one small cell costs four blanks —
    its row, its column, and the cell across (the classic pattern; three blanks would leave one determined)."""
    import numpy as np

    from zhizao.web import disclosure as D

    # cells r*3+c for r, c in 0..2 ; row totals 9..11 ; column totals 12..14
    firms = [1, 5, 6, 7, 8, 9, 4, 6, 9] + [12, 24, 19] + [12, 19, 24]
    weight = [1, 50, 60, 70, 80, 90, 40, 60, 90] + [111, 240, 190] + [121, 190, 240]
    rels = [(9 + r, [(r * 3 + c, 1.0) for c in range(3)]) for r in range(3)]
    rels += [(12 + c, [(r * 3 + c, 1.0) for r in range(3)]) for c in range(3)]
    pb = _problem(firms, weight, rels)
    known = np.zeros(len(firms), dtype=bool)
    out = D.protect(pb, D.primary(pb, known), known)
    assert out.blanked[0] and out.blanked.sum() == 4
    assert D.determined(pb, out.blanked) == []


def test_a_district_users_own_cells_cannot_be_the_complement():
    """group (0) = own county (1) + A (2, one firm) + B (3): the own county is known to the user, so B goes."""
    import numpy as np

    from zhizao.web import disclosure as D

    pb = _problem([20, 9, 1, 10], [100, 1, 9, 90], [(0, [(1, 1.0), (2, 1.0), (3, 1.0)])])
    known = np.array([False, True, False, False])
    out = D.protect(pb, D.primary(pb, known), known)
    assert out.blanked.tolist() == [False, False, True, True]


def test_two_single_firm_cells_do_not_protect_each_other():
    """Blanked together, two one-firm cells give away their sum: a two-firm aggregate each firm can undo."""
    import numpy as np

    from zhizao.web import disclosure as D

    pb = _problem([12, 1, 1, 4, 6], [100, 1, 1, 30, 68], [(0, [(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)])])
    known = np.zeros(5, dtype=bool)
    out = D.protect(pb, D.primary(pb, known), known)
    assert out.blanked[1] and out.blanked[2] and out.blanked[3]  # the 4-firm cell joins them


def test_the_audit_finds_a_cell_determined_only_by_relations_together():
    """x0 = x1 + x2 and x1 = x2 + x3 with x0, x1 shown... a chain of sums: a cell blanked in two relations
    that each hold another blanked cell can still be solved when those others are tied to shown ones."""
    import numpy as np

    from zhizao.web import disclosure as D

    # t = a + b ; a = b + c  with t, c shown, a and b blanked: a + b = t and a − b = c → both determined
    pb = _problem([20, 2, 2, 5], [1, 1, 1, 1], [(0, [(1, 1.0), (2, 1.0)]), (1, [(2, 1.0), (3, 1.0)])])
    blanked = np.array([False, True, True, False])
    assert D.determined(pb, blanked) == [1, 2]
