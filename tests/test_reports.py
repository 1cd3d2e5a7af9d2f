"""Briefings (zhizao report): the workbook opened with openpyxl and reopened in LibreOffice, the PDF read with
pdftotext and rendered with pdftoppm — Chinese text, figures equal to the analytics' own stored results and to
sums over the warehouse, the access rules (district and public accounts), the synthetic notice, the sources.

The pages of a district briefing are rendered to PNG in artifacts/reports/ for a person to look at.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pytest

from web_fixtures import ROLES, YEAR, copy_of
from zhizao.formats import money

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "reports"
FULING, WANZHOU, LIANGJIANG = "500102", "500101", "CQ-LJXQ"
USCC = re.compile(r"(?<![0-9A-Z.])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


@pytest.fixture(scope="module")
def db(web_base, tmp_path_factory) -> Path:
    return copy_of(web_base, tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def wh(db):
    from zhizao.web.warehouse import Warehouse

    w = Warehouse.open(db, read_only=True)
    yield w
    w.close()


def make(wh, user: str | None, fmt: str, **kw) -> bytes:
    from zhizao.web.access import Policy
    from zhizao.web.briefing import make as _make
    from zhizao.web.briefing import user_principal

    p = user_principal(wh, user) if user else None
    return _make(wh, Policy(wh), p, year=YEAR, fmt=fmt, **kw)


def workbook(data: bytes, tmp: Path, name: str) -> openpyxl.Workbook:
    path = tmp / name
    path.write_bytes(data)
    return openpyxl.load_workbook(path)


def sheet_rows(ws) -> tuple[list[str], list[dict]]:
    """A table sheet's header and rows (the header is the first row of the filter range)."""
    head_row = int(re.match(r"A(\d+):", ws.auto_filter.ref).group(1))
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[head_row - 1])
    return head, [dict(zip(head, r)) for r in rows[head_row:]]


def all_text(wb) -> str:
    return "\n".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v is not None)


def con_of(db) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


def latest(wh, table: str):
    from zhizao.web.results import run_for

    return run_for(wh, table, YEAR)


# ------------------------------------------------------------------------------------------------ workbook
@pytest.fixture(scope="module")
def fuling_xlsx_bytes(wh) -> bytes:
    return make(wh, None, "xlsx", scope="district", region="涪陵区")


@pytest.fixture(scope="module")
def fuling_xlsx(fuling_xlsx_bytes, tmp_path_factory):
    return workbook(fuling_xlsx_bytes, tmp_path_factory.mktemp("x"), "fl.xlsx")


def test_workbook_sheets_the_about_sheet_and_the_synthetic_notice(fuling_xlsx):
    wb = fuling_xlsx
    names = wb.sheetnames
    assert names[0] == "说明"
    for want in (
        "总览",
        "产业集群",
        "目标与进展",
        "亩均评价",
        "梯度培育",
        "产业链覆盖",
        "补链招商",
        "发展机会",
        "事实与来源",
    ):
        assert want in names, names
    assert any(n.startswith("梯度培育-") and "候选" in n for n in names)
    about = all_text_of(wb["说明"])
    assert "涪陵区 2025年制造业发展简报" in about
    assert "管理员报告" in about  # no --user: an administrator's report, and it says so
    assert "合成数据" in about and "分析批次" in about
    for ws in wb.worksheets[1:]:  # every sheet of a synthetic warehouse carries the notice
        assert "演示数据" in str(ws.cell(2, 1).value), ws.title


def all_text_of(ws) -> str:
    return "\n".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)


def test_workbook_headers_units_formats_frozen_filters_charts(fuling_xlsx):
    ws = fuling_xlsx["产业集群"]
    head, _ = sheet_rows(ws)
    # the clusters instrument's figures are 规上 (issue 10 item 1): the headers say so
    assert "规上产值（亿元）" in head and "规上产值增速（%）" in head and "规上口径企业数（家）" in head
    assert "规上工业企业数（家）" in head
    hr = int(re.match(r"A(\d+):", ws.auto_filter.ref).group(1))
    assert ws.freeze_panes == f"A{hr + 1}"  # the header row stays in view
    col = head.index("规上产值（亿元）") + 1
    assert ws.cell(hr + 1, col).number_format == "#,##0.00"
    assert ws.cell(hr + 1, head.index("规上产值增速（%）") + 1).number_format == "0.0%"
    assert ws.column_dimensions["A"].width >= 8
    assert len(ws._charts) == 1  # a native bar chart of cluster output
    assert len(fuling_xlsx["目标与进展"]._charts) == 1


def test_workbook_figures_equal_the_analytics_results_and_the_warehouse(fuling_xlsx, wh, db):
    _, head = sheet_rows(fuling_xlsx["总览"])
    by = {r["指标"]: r for r in head}
    con = con_of(db)
    try:
        # the headline: the sum over the district's firms, straight from the warehouse
        out, firms = con.execute(
            "SELECT sum(y.output_value), count(*) FROM enterprise_year y JOIN enterprise e USING (uscc) "
            "WHERE e.region_code = ? AND y.year = ?",
            [FULING, YEAR],
        ).fetchone()
        assert math.isclose(by["工业总产值"]["数值"] * 1e8, out, rel_tol=1e-9)
        assert by["企业数"]["数值"] == firms
        # clusters: the stored cluster_figures rows of the latest run
        run = latest(wh, "cluster_figures")
        stored = {
            (r[0], r[1]): r[2]
            for r in con.execute(
                "SELECT system_id, cluster_name, output_value FROM cluster_figures WHERE run_id = ? "
                "AND result_year = ? AND region_code = ? AND scope = 'cluster' AND region_map = 'current'",
                [run, YEAR, FULING],
            ).fetchall()
        }
        _, rows = sheet_rows(fuling_xlsx["产业集群"])
        assert rows
        for r in rows:
            want = [v for (s, n), v in stored.items() if n == r["产业集群"] and s == "cq-33618"]
            assert want and math.isclose(r["规上产值（亿元）"] * 1e8, want[0], rel_tol=1e-9), r
        # 亩均: class counts of the stored mujun_region row, and the ranking holds every rated firm
        run = latest(wh, "mujun_region")
        a, d, rated = con.execute(
            "SELECT class_A, class_D, rated FROM mujun_region WHERE run_id = ? AND region_code = ?", [run, FULING]
        ).fetchone()
        _, mj = sheet_rows(fuling_xlsx["亩均评价"])
        assert (mj[0]["A类（家）"], mj[0]["D类（家）"], mj[0]["已分类（家）"]) == (a, d, rated)
        ranking = next(n for n in fuling_xlsx.sheetnames if "排名" in n)
        _, firms_rows = sheet_rows(fuling_xlsx[ranking])
        n_rated = con.execute(
            "SELECT count(*) FROM mujun_score WHERE run_id = ? AND region_code = ? AND rated",
            [latest(wh, "mujun_score"), FULING],
        ).fetchone()[0]
        assert len(firms_rows) == n_rated
        scores = [r["综合得分（分）"] for r in firms_rows]
        assert scores == sorted(scores, reverse=True)
    finally:
        con.close()


def test_workbook_targets_and_facts_carry_their_sources(fuling_xlsx, db):
    _, sources = sheet_rows(fuling_xlsx["事实与来源-本报告引用的来源"])
    by_n = {r["编号"]: r for r in sources}
    _, facts = sheet_rows(fuling_xlsx["事实与来源"])
    assert facts, "the pack's published figures about 涪陵区"
    con = con_of(db)
    try:
        for r in facts + sheet_rows(fuling_xlsx["目标与进展"])[1]:
            ns = [int(x) for x in re.findall(r"\[(\d+)\]", r["来源编号"] or "")]
            assert ns, r
            for n in ns:
                title = con.execute("SELECT title FROM source WHERE title = ?", [by_n[n]["标题"]]).fetchone()
                assert title, by_n[n]
    finally:
        con.close()


def test_workbook_reopens_in_libreoffice(fuling_xlsx_bytes, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (scripts/debian-packages.txt: libreoffice-calc-nogui) is needed"
    src = tmp_path / "fl.xlsx"
    src.write_bytes(fuling_xlsx_bytes)
    out = tmp_path / "out"
    r = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = out / "fl.pdf"
    assert pdf.exists(), r.stdout + r.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "涪陵区" in text and "工业总产值" in text and "演示数据" in text


# ------------------------------------------------------------------------------------------------ access
def _enterprise_names(db) -> set[str]:
    con = con_of(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM enterprise").fetchall()}
    finally:
        con.close()


def test_district_user_gets_no_firms_of_another_district_and_small_cells_blanked(wh, db, tmp_path):
    wb = workbook(make(wh, "fl", "xlsx", scope="district", region=WANZHOU), tmp_path, "wz.xlsx")
    text = all_text(wb)
    assert not USCC.search(text), "no enterprise of 万州区 in a 涪陵区 account's report"
    assert not (_enterprise_names(db) & set(text.split("\n")))
    assert "区县账号只能查看本区县（涪陵区）的企业" in text
    assert "按用户 fl" in all_text_of(wb["说明"])
    _, nodes = sheet_rows(wb["产业链覆盖-逐环节覆盖"])
    small = [r for r in nodes if r["企业数（家）"] in (1, 2)]
    assert small, "the demo has nodes with one or two firms in 万州区"
    for r in small:
        assert r["产值（亿元）"] is None and r["数据已隐去"] == "是", r
    # an administrator's report shows the same cells
    admin = workbook(make(wh, None, "xlsx", scope="district", region=WANZHOU), tmp_path, "wz-admin.xlsx")
    _, anodes = sheet_rows(admin["产业链覆盖-逐环节覆盖"])
    assert any(r["企业数（家）"] in (1, 2) and r["产值（亿元）"] is not None for r in anodes)


def test_district_user_city_report_lists_own_firms_only(wh, db, tmp_path):
    wb = workbook(make(wh, "fl", "xlsx", scope="city"), tmp_path, "city-fl.xlsx")
    name = next(n for n in wb.sheetnames if "排名" in n)
    _, rows = sheet_rows(wb[name])
    assert rows and {r["区县"] for r in rows} == {"涪陵区"}
    con = con_of(db)
    try:
        own = {r[0] for r in con.execute("SELECT uscc FROM enterprise WHERE region_code = ?", [FULING]).fetchall()}
    finally:
        con.close()
    assert set(USCC.findall(all_text(wb))) <= own


def test_merged_district_user_sees_predecessors_firms(wh, tmp_path):
    wb = workbook(make(wh, "lj", "xlsx", scope="district", region="两江新区"), tmp_path, "lj.xlsx")
    name = next(n for n in wb.sheetnames if "排名" in n)
    _, rows = sheet_rows(wb[name])
    assert {r["区县"] for r in rows} == {"江北区", "渝北区"}  # recorded in the former districts, now 两江新区


def test_public_report_is_aggregates_only(wh, db, tmp_path):
    wb = workbook(make(wh, "pub", "xlsx", scope="city"), tmp_path, "pub.xlsx")
    text = all_text(wb)
    assert not USCC.search(text)
    assert not (_enterprise_names(db) & set(text.split("\n")))
    assert "公众账号只能查看汇总数据" in text
    _, opp = sheet_rows(wb["发展机会"])
    assert opp
    _, dist = sheet_rows(wb["总览-各区县主要指标"])
    assert len(dist) >= 30


def test_cluster_report_contributions_equal_stored_results(wh, db, tmp_path):
    wb = workbook(make(wh, None, "xlsx", scope="cluster", cluster="智能网联新能源汽车"), tmp_path, "t11.xlsx")
    _, rows = sheet_rows(wb["总览-各区县对本集群的贡献"])
    con = con_of(db)
    try:
        stored = dict(
            con.execute(
                "SELECT region_name, output_value FROM cluster_figures WHERE run_id = ? AND unit_id = 'T1-1' "
                "AND region_level = 'county' AND region_map = 'current'",
                [latest(wh, "cluster_figures")],
            ).fetchall()
        )
    finally:
        con.close()
    assert len(rows) == len(stored)
    for r in rows:
        assert math.isclose(r["规上产值（亿元）"] * 1e8, stored[r["区县"]], rel_tol=1e-9)


def test_formula_text_is_written_as_text(web_base, tmp_path):
    """A firm named like a formula stays text in the workbook (never evaluated by Excel or LibreOffice)."""
    from zhizao.web.warehouse import Warehouse

    path = copy_of(web_base, tmp_path / "f")
    con = duckdb.connect(str(path))
    uscc = con.execute(
        "SELECT uscc FROM mujun_score WHERE region_code = ? AND rated ORDER BY total_score DESC LIMIT 1", [FULING]
    ).fetchone()[0]
    evil = '=HYPERLINK("http://example.invalid","x")'
    con.execute("UPDATE mujun_score SET name = ? WHERE uscc = ?", [evil, uscc])
    con.close()
    w = Warehouse.open(path, read_only=True)
    try:
        data = make(w, None, "xlsx", scope="district", region=FULING)
    finally:
        w.close()
    (tmp_path / "f.xlsx").write_bytes(data)
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    ws = wb[next(n for n in wb.sheetnames if "排名" in n)]
    cells = [c for r in ws.iter_rows() for c in r if c.value == evil]
    assert cells and all(c.data_type == "s" for c in cells)


def test_english_workbook(wh, tmp_path):
    wb = workbook(make(wh, None, "xlsx", scope="district", region=FULING, lang="en"), tmp_path, "en.xlsx")
    assert wb.sheetnames[0] == "About"
    head, _ = sheet_rows(wb["Clusters"])
    assert "Above-scale output (100 m yuan)" in head


# ------------------------------------------------------------------------------------------------ PDF
def pdf_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in out.split("\f") if p.strip()]


@pytest.fixture(scope="module")
def fuling_pdf(wh, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "fuling.pdf"
    path.write_bytes(make(wh, None, "pdf", scope="district", region="涪陵"))
    return path


def test_pdf_cover_summary_notice_pages_and_sources(fuling_pdf, db):
    pages = pdf_text(fuling_pdf)
    assert len(pages) >= 8
    assert "涪陵区 2025年制造业发展简报" in pages[0] and "管理员报告" in pages[0]
    for i, p in enumerate(pages, 1):
        assert "演示数据" in p, f"page {i} lacks the synthetic notice"
        assert f"第 {i} 页 / 共 {len(pages)} 页" in re.sub(r"\s+", " ", p), f"page {i} lacks its number"
    # the one-page summary: its sentences state the warehouse's own numbers
    summary = re.sub(r"\s+", "", pages[1])
    assert "概要" in summary
    con = con_of(db)
    try:
        out = con.execute(
            "SELECT sum(y.output_value) FROM enterprise_year y JOIN enterprise e USING (uscc) "
            "WHERE e.region_code = ? AND y.year = ?",
            [FULING, YEAR],
        ).fetchone()[0]
        titles = [
            r[0]
            for r in con.execute(
                "SELECT title FROM source WHERE id IN (SELECT source_id FROM fact WHERE entity_code = ?)", [FULING]
            ).fetchall()
        ]
    finally:
        con.close()
    assert f"工业总产值{money(out, 'zh')}" in summary
    assert "A类" in summary and "D类" in summary and "2027年" in summary
    assert "地图与走势" in pages[2] and "概要" not in pages[2]  # the summary fits on one page
    text = re.sub(r"\s+", "", "".join(pages))
    for t in titles:  # every source of a published figure: a footnote and the list of sources
        assert text.count(re.sub(r"\s+", "", t)[:20]) >= 2, t


def test_pdf_text_stays_inside_the_page_margins(fuling_pdf):
    """No overflow: every word pdftotext finds lies within the A4 page's 16 mm side margins."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(fuling_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_w = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    margin = 16 / 25.4 * 72
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
    assert len(words) > 1000
    outside = [(w, a, b) for a, b, w in words if float(a) < margin - 2 or float(b) > page_w - margin + 2]
    assert not outside, outside[:10]


def test_pdf_pages_render_with_cjk_fonts_map_and_charts(fuling_pdf):
    fonts = subprocess.run(["pdffonts", str(fuling_pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names and all("Noto-Sans-CJK" in n or "NotoSansCJK" in n for n in names), names  # no fallback font
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("fuling-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(fuling_pdf), str(ARTIFACTS / "fuling")], check=True)
    pngs = sorted(ARTIFACTS.glob("fuling-*.png"))
    assert len(pngs) == len(pdf_text(fuling_pdf))
    import numpy as np
    from PIL import Image

    # page 3 holds the map and the output chart: plenty of coloured (blue) pixels
    px = np.asarray(Image.open(pngs[2]).convert("RGB")).astype(int)
    blue = int(((px[..., 2] > 120) & (px[..., 2] - px[..., 0] > 40)).sum())
    assert blue > 5_000, blue


def test_pdf_for_a_district_user_on_another_district(wh, tmp_path):
    path = tmp_path / "wz.pdf"
    path.write_bytes(make(wh, "fl", "pdf", scope="district", region=WANZHOU))
    text = "".join(pdf_text(path))
    assert not USCC.search(text)
    assert "按用户 fl" in text and "本报告不含企业名单" in re.sub(r"\s+", "", text)
    assert "已隐去" in text


# ------------------------------------------------------------------------------------------------ CLI
def run_cli(*args) -> subprocess.CompletedProcess:
    import sys

    exe = Path(sys.executable).with_name("zhizao")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, check=False)


def test_cli_writes_a_workbook_and_gives_clear_errors(db, tmp_path):
    out = tmp_path / "r.xlsx"
    r = run_cli(
        "report",
        "--db",
        str(db),
        "--scope",
        "district",
        "--region",
        "涪陵",
        "--year",
        str(YEAR),
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--user",
        "fl",
    )
    assert r.returncode == 0, r.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == "说明"
    from typer.testing import CliRunner

    from zhizao.cli import app

    runner = CliRunner()
    for args, msg in (
        (["--scope", "district", "--region", "火星"], "unknown region"),
        (["--scope", "district"], "needs a region"),
        (["--scope", "cluster", "--cluster", "没有这个集群"], "unknown cluster"),
        (["--scope", "city", "--user", "nobody"], "no user"),
        (["--scope", "county"], "--scope must be one of"),
    ):
        r = runner.invoke(
            app,
            [
                "report",
                "--db",
                str(db),
                *args,
                "--year",
                str(YEAR),
                "--format",
                "pdf",
                "--out",
                str(tmp_path / "x.pdf"),
            ],
        )
        said = (r.stderr or r.output).replace("\n", " ")
        assert r.exit_code not in (0, None), (args, said)
        assert msg in said, (args, said)
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
        assert "Traceback" not in said
    r = run_cli(
        "report",
        "--db",
        str(db),
        "--scope",
        "city",
        "--year",
        "2019",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert r.returncode == 2 and "zhizao evaluate" in r.stderr.replace("\n", " ")
    assert not (tmp_path / "x.pdf").exists()


# ------------------------------------------------------------------------------------------------ web
@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from zhizao.web.app import create_app

    app = create_app(db, read_only=True)
    yield TestClient(app)
    app.state.zz.wh.close()


def token(client, name):
    r = client.post("/api/v1/auth/token", data={"username": name, "password": ROLES[name][2]})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_api_report_downloads_with_the_users_rights(client, tmp_path):
    assert client.get("/api/v1/reports/city?format=xlsx").status_code == 401
    r = client.get(f"/api/v1/reports/district?region={FULING}&format=xlsx", headers=token(client, "fl"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    wb = workbook(r.content, tmp_path, "api-fl.xlsx")
    assert "按用户 fl" in all_text_of(wb["说明"])
    assert USCC.search(all_text(wb))  # its own district: the firm lists are there
    r = client.get(f"/api/v1/reports/district?region={FULING}&format=xlsx", headers=token(client, "pub"))
    assert r.status_code == 200 and not USCC.search(all_text(workbook(r.content, tmp_path, "api-pub.xlsx")))
    r = client.get("/api/v1/reports/district?region=火星&format=pdf", headers=token(client, "admin"))
    assert r.status_code == 400 and "unknown region" in r.json()["detail"]
    assert client.get("/api/v1/reports/county", headers=token(client, "admin")).status_code == 422


def test_pages_offer_the_reports(client):
    from web_fixtures import page_login

    page_login(client, "admin")
    for url, want in (
        ("/", "/api/v1/reports/city?"),
        (f"/regions/{FULING}", f"/api/v1/reports/district?region={FULING}"),
        ("/clusters/T1-1", "/api/v1/reports/cluster?cluster=T1-1"),
    ):
        html = client.get(url).text
        assert want in html and "format=pdf" in html and "format=xlsx" in html, url


@pytest.mark.parametrize(
    "query",
    [
        "region=%00&format=pdf",
        "region=" + "涪" * 64 + "&format=xlsx",
        "region=500102&year=1900&format=pdf",
        "region=500102&year=2100&format=xlsx",
        "region=500000&format=xlsx",
        "region=500102&lang=fr",
        "region=500102&format=docx",
        "cluster=x&format=pdf",
        "region='%20OR%201=1--&format=pdf",
    ],
)
def test_api_report_bad_input_is_a_clear_4xx(client, query):
    r = client.get(f"/api/v1/reports/district?{query}", headers=token(client, "admin"))
    assert r.status_code in (400, 422), (query, r.status_code, r.text[:200])
    assert r.json()["detail"]


def test_api_cluster_report_needs_a_cluster(client):
    r = client.get("/api/v1/reports/cluster?format=xlsx", headers=token(client, "admin"))
    assert r.status_code == 400 and "needs a cluster" in r.json()["detail"]


def test_a_real_server_hands_a_district_user_their_briefing(web_base, tmp_path):
    """`zhizao serve` on loopback: sign in with the token endpoint, download the PDF briefing over HTTP."""
    import httpx

    from web_fixtures import served

    path = copy_of(web_base, tmp_path / "srv")
    with served(path, tmp_path / "serve.log") as base:
        r = httpx.post(f"{base}/api/v1/auth/token", data={"username": "fl", "password": ROLES["fl"][2]}, timeout=30)
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = httpx.get(f"{base}/api/v1/reports/district?region={FULING}&format=pdf", headers=auth, timeout=300)
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert "filename*=UTF-8''zhizao-district-500102-" in r.headers["content-disposition"]
        out = tmp_path / "fl.pdf"
        out.write_bytes(r.content)
        text = re.sub(r"\s+", "", "".join(pdf_text(out)))
        assert "涪陵区2025年制造业发展简报" in text and "按用户fl" in text
        r = httpx.get(f"{base}/api/v1/reports/city?format=xlsx", timeout=60)
        assert r.status_code == 401
