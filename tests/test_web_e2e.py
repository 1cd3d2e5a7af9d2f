"""End to end: a real `zhizao serve` process and headless Chromium (Debian's, driven by Playwright).

Covers each page, a sign-in, charts and the district map rendering (offline: plotly from the package),
a fact highlighted in its article, an import round trip through the upload form, the language switch and
the access matrix (each role x each kind of data) for pages, API calls and CSV downloads made by the
browser with its session. Screenshots of the main pages go to artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from browser_fixtures import needs_chromium, served_copy, sign_in
from web_fixtures import ROLES
from zhizao import uscc

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
MIN_SHOT_BYTES = 10_000  # a blank 1400 × 1000 page is about 6 KB as PNG
needs_chromium()


@pytest.fixture(scope="module")
def server(web_base, tmp_path_factory):
    with served_copy(web_base, tmp_path_factory, "e2e") as base:
        yield base


@pytest.fixture(scope="module")
def firms(web_base):
    import duckdb

    con = duckdb.connect(str(web_base), read_only=True)
    try:
        pick = lambda code: con.execute(
            "SELECT uscc FROM enterprise WHERE region_code = ? ORDER BY uscc LIMIT 1", [code]
        ).fetchone()[0]
        return {"jiangbei": pick("500105"), "fuling": pick("500102")}
    finally:
        con.close()


class Session:
    def __init__(self, browser, base: str, who: str):
        self.base = base
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        sign_in(self.page, base, who, ROLES[who][2])

    def go(self, path: str):
        r = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return r

    def get(self, path: str):
        return self.page.request.get(self.base + path)

    def shot(self, name: str):
        """A full-page screenshot for a person to look at; a blank or missing page fails the test."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        path.unlink(missing_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > MIN_SHOT_BYTES, f"{name}: the screenshot is blank"

    def close(self):
        self.ctx.close()


@pytest.fixture(scope="module")
def admin(browser, server):
    s = Session(browser, server, "admin")
    yield s
    s.close()


def test_sign_in_is_required_and_works(browser, server):
    ctx = browser.new_context()
    p = ctx.new_page()
    p.goto(server + "/regions/500102")
    assert "/login" in p.url
    p.fill("#username", "city")
    p.fill("#password", "wrong-password")
    p.click("#login-submit")
    assert p.locator("#login-error").is_visible()
    p.fill("#username", "city")
    p.fill("#password", ROLES["city"][2])
    p.click("#login-submit")
    p.wait_for_load_state("networkidle")
    assert p.url.endswith("/regions/500102")  # back where the user wanted to go
    assert "city" in p.locator("#whoami").inner_text()
    p.click("#logout")
    p.wait_for_load_state("networkidle")
    assert "/login" in p.url
    ctx.close()


PAGES = [
    ("overview", "/"),
    ("regions", "/regions"),
    ("district-liangjiang", "/regions/CQ-LJXQ"),
    ("district-fuling", "/regions/500102"),
    ("clusters", "/clusters"),
    ("cluster-icv-nev", "/clusters/T1-1"),
    ("enterprises", "/enterprises?region=500102"),
    ("targets", "/targets"),
    ("mujun", "/mujun"),
    ("facts", "/facts"),
    ("source-seed001", "/sources/seed001"),
    ("results", "/results"),
    ("result-recommendations", "/results/opportunities/recommendations"),
    ("imports", "/imports"),
]


@pytest.mark.parametrize("name,path", PAGES)
def test_each_page_renders_offline_and_says_synthetic(admin, name, path):
    admin.errors.clear()
    admin.requests.clear()
    r = admin.go(path)
    assert r.status == 200, (path, r.status)
    assert admin.page.locator("#synthetic-banner").is_visible()  # the demo warehouse is synthetic
    assert not admin.errors, admin.errors
    assert all(u.startswith(admin.base) or u.startswith("data:") for u in admin.requests), [
        u for u in admin.requests if not u.startswith(admin.base)
    ]  # no CDN, no network
    assert not SNAKE.findall(admin.page.locator("main").inner_text())  # no raw key, charts included
    admin.shot(name)


def test_enterprise_page(admin, firms):
    r = admin.go(f"/enterprises/{firms['fuling']}")
    assert r.status == 200
    assert "（演示）" in admin.page.locator("#enterprise-name").inner_text()
    admin.page.wait_for_selector("#firm-series[data-rendered]")
    admin.shot("enterprise")


def test_map_renders_every_district(admin):
    admin.go("/")
    admin.page.wait_for_selector("#choropleth[data-rendered]", timeout=20000)
    fills = admin.page.locator("#choropleth .scatterlayer .trace").count()
    assert fills >= 38  # 37 districts on today's map + 两江新区, labels, scale
    assert admin.page.locator("#choropleth .colorbar").count() == 1
    assert admin.page.locator("#map-note").is_visible()
    admin.go("/?map=recorded&metric=tax&measure=growth&year=2023")
    admin.page.wait_for_selector("#choropleth[data-rendered]", timeout=20000)
    assert admin.page.locator("#choropleth .scatterlayer .trace").count() >= 39  # 江北 and 渝北 separately
    admin.shot("overview-recorded-tax-growth")


def test_charts_render(admin):
    admin.go("/")
    admin.page.wait_for_selector("#group-shares[data-rendered]", timeout=20000)
    assert admin.page.locator("#group-shares .bars .point").count() > 0
    admin.go("/regions/500102")
    admin.page.wait_for_selector("#series[data-rendered]", timeout=20000)
    assert admin.page.locator("#series .scatterlayer .trace").count() >= 2
    if admin.page.locator("#opportunities").count():
        admin.page.wait_for_selector("#opportunities[data-rendered]", timeout=20000)
        assert admin.page.locator("#opportunities .point").count() > 5


def test_chain_node_map_shows_coverage(admin):
    admin.go("/clusters/T1-1?chain=icv-nev&region=500106")
    admin.page.wait_for_selector("#chain-map[data-rendered]", timeout=20000)
    nodes = admin.page.locator("#chain-map .scatterlayer .point").count()
    assert nodes >= 10
    legend = admin.page.locator("#chain-map .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert any("已覆盖" in t for t in legend)
    admin.shot("chain-map-icv-nev-shapingba")


def test_a_fact_is_highlighted_in_its_article(admin):
    src = admin.get("/api/v1/sources/seed001").json()
    fact = next(f for f in src["facts"] if f["span_start"] is not None)
    admin.go(f"/sources/seed001?fact={fact['id']}")
    mark = admin.page.locator("mark.focus")
    assert mark.count() == 1
    assert fact["quote"] in mark.inner_text()
    assert admin.page.locator("li.fact.focus").count() == 1
    admin.shot("source-highlight")


def test_language_switch(admin):
    admin.go("/")
    admin.page.click("#lang-switch")
    admin.page.wait_for_load_state("networkidle")
    assert "City overview" in admin.page.locator("nav").inner_text()
    admin.shot("overview-en")
    admin.page.click("#lang-switch")
    admin.page.wait_for_load_state("networkidle")
    assert "全市总览" in admin.page.locator("nav").inner_text()


SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # a stored key (industry_output, srdi_sme ...)
EN_PAGES = [
    ("overview-en", "/"),
    ("district-fuling-en", "/regions/500102"),
    ("district-liangjiang-en", "/regions/CQ-LJXQ"),
    ("cluster-icv-nev-en", "/clusters/T1-1?chain=icv-nev&region=500106"),
    ("targets-en", "/targets"),
    ("mujun-en", "/mujun"),
    ("facts-en", "/facts"),
    ("source-highlight-en", "/sources/seed001?fact=pack:jiangbei-2027-target-industrial-output"),
    ("result-recommendations-en", "/results/opportunities/recommendations"),
]


def test_the_pages_in_english(browser, server, firms):
    """Every main page in English: the words are English (proper names and quotes aside), no raw key shows, the
    charts render; screenshots for a person to look at."""
    s = Session(browser, server, "admin")
    try:
        s.go("/?lang=en")
        for name, path in EN_PAGES + [("enterprise-en", f"/enterprises/{firms['fuling']}")]:
            s.errors.clear()
            r = s.go(path)
            assert r.status == 200, path
            assert "City overview" in s.page.locator("nav").inner_text()
            text = s.page.locator("main").inner_text()
            assert not SNAKE.findall(text), (path, SNAKE.findall(text))
            assert not s.errors, s.errors
            s.page.wait_for_timeout(300)
            s.shot(name)
        s.go("/regions/500102")
        assert "Chain coverage" in s.page.locator("main").inner_text()
        s.page.wait_for_selector("#opportunities[data-rendered]", timeout=20000)
        legend = s.page.locator("#opportunities .legendtext").evaluate_all("els => els.map(e => e.textContent)")
        assert legend and not any(re.search(r"[\u4e00-\u9fff]", t) for t in legend)
    finally:
        s.close()


def test_import_round_trip_in_the_browser(browser, server, tmp_path):
    s = Session(browser, server, "city")
    try:
        new = uscc.make("500106", "MA880001")
        f = tmp_path / "firms.csv"
        buf = io.StringIO()
        csv.writer(buf).writerows(
            [
                ["统一社会信用代码", "企业名称", "所在区县", "行业代码"],
                [new, "浏览器导入测试（演示）", "沙坪坝区", "C36"],
            ]
        )
        f.write_text(buf.getvalue(), encoding="utf-8")
        s.go("/imports")
        s.page.set_input_files("#import-file", str(f))
        s.page.click("#validate")
        s.page.wait_for_load_state("networkidle")
        assert s.page.locator("#import-valid").is_visible()
        s.shot("import-validated")
        s.page.click("#confirm")
        s.page.wait_for_load_state("networkidle")
        assert s.page.locator("#import-done").is_visible()
        # the history lists the import: its file, who made it, one row loaded
        s.go("/imports")
        history = s.page.locator("#import-history tbody tr")
        assert history.count() >= 1, "the import history lists no import"
        first = history.first.inner_text()
        assert "firms.csv" in first and "city" in first and re.search(r"\b1\b", first), first
        r = s.go(f"/enterprises/{new}")
        assert r.status == 200 and "浏览器导入测试" in s.page.locator("#enterprise-name").inner_text()
        # a file with an error: the report lists sheet, row, column, value and reasons; nothing is loaded
        bad = new[:-1] + ("0" if new[-1] != "0" else "1")
        bad = uscc.make("500106", "MA880002")[:-1] + ("0" if uscc.make("500106", "MA880002")[-1] != "0" else "1")
        buf = io.StringIO()
        csv.writer(buf).writerows(
            [["统一社会信用代码", "企业名称", "所在区县", "行业代码"], [bad, "乙", "沙坪坝区", "C36"]]
        )
        f.write_text(buf.getvalue(), encoding="utf-8")
        s.go("/imports")
        s.page.set_input_files("#import-file", str(f))
        s.page.click("#validate")
        s.page.wait_for_load_state("networkidle")
        assert s.page.locator("#import-invalid").is_visible()
        assert bad in s.page.locator("#import-issues").inner_text()
        assert s.page.locator("#confirm").count() == 0
        s.shot("import-errors")
    finally:
        s.close()


# ------------------------------------------------------------------------------------------ access matrix
# kind of data -> expected status per role
MATRIX = {
    # pages
    "page:overview": ("/", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200}),
    "page:district-other": ("/regions/500101", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200}),
    "page:enterprise-jiangbei": (
        "/enterprises/{jiangbei}",
        {"admin": 200, "city": 200, "lj": 200, "fl": 404, "pub": 403},  # another region's firm: as if missing
    ),
    "page:enterprise-fuling": ("/enterprises/{fuling}", {"admin": 200, "city": 200, "lj": 404, "fl": 200, "pub": 403}),
    "page:enterprise-list-fuling": (
        "/enterprises?region=500102",
        {"admin": 200, "city": 200, "lj": 403, "fl": 200, "pub": 403},
    ),
    "page:mujun-firms-fuling": (
        "/results/mujun/scores?region=500102",
        {"admin": 200, "city": 200, "lj": 403, "fl": 200, "pub": 403},
    ),
    "page:imports": ("/imports", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 403}),
    "page:facts": ("/facts", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200}),
    # API with the browser's session
    "api:enterprise-fuling": (
        "/api/v1/enterprises/{fuling}",
        {"admin": 200, "city": 200, "lj": 404, "fl": 200, "pub": 403},
    ),
    "api:enterprises": ("/api/v1/enterprises?limit=5", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 403}),
    "api:firm-results": (
        "/api/v1/results/mujun/scores?limit=5",
        {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 403},
    ),
    "api:aggregates": ("/api/v1/figures", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200}),
    "api:facts": ("/api/v1/facts?limit=5", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200}),
    # downloads
    "csv:enterprises-jiangbei": (
        "/api/v1/enterprises?region=500105&format=csv",
        {"admin": 200, "city": 200, "lj": 200, "fl": 403, "pub": 403},
    ),
    "csv:firm-figures-fuling": (
        "/api/v1/enterprises/{fuling}/figures?format=csv",
        {"admin": 200, "city": 200, "lj": 404, "fl": 200, "pub": 403},
    ),
    "csv:aggregates": ("/api/v1/figures?format=csv", {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200}),
    "csv:cluster-figures": (
        "/api/v1/results/clusters/figures?format=csv&region_level=county",
        {"admin": 200, "city": 200, "lj": 200, "fl": 200, "pub": 200},
    ),
}


@pytest.mark.parametrize("who", list(ROLES))
def test_access_matrix_in_the_browser(browser, server, firms, who):
    s = Session(browser, server, who)
    try:
        got, want = {}, {}
        for kind, (url, expected) in MATRIX.items():
            url = url.format(**firms)
            if kind.startswith("page:"):
                got[kind] = s.go(url).status
            else:
                got[kind] = s.get(url).status
            want[kind] = expected[who]
        assert got == want
        # what a public user does see: aggregates with small ones suppressed, never a firm's name
        if who == "pub":
            s.go("/regions/500102")
            assert s.page.locator("#ladder").count() == 0
            text = s.get("/api/v1/figures?format=csv").text()
            assert "公司（演示）" not in text
            s.go(f"/enterprises/{firms['fuling']}")
            assert s.page.locator("#error-page").is_visible()
            s.shot("forbidden-public")
        if who == "lj":
            s.go("/regions/CQ-LJXQ")
            s.shot("district-liangjiang-as-district-user")
    finally:
        s.close()
