"""Excel/CSV imports: the template, what the validator refuses and why, and the all-or-nothing load.

Every test runs against a real DuckDB warehouse file (initialised with the policy pack) in tmp_path.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from zhizao import uscc
from zhizao.cli import app
from zhizao.ingest.packload import init_warehouse
from zhizao.ingest.tables import run_import, write_template
from zhizao.ingest.tables.run import ImportRefused
from zhizao.ingest.tables.spec import ENTERPRISE_YEAR, ENTERPRISES, TABLES
from zhizao.reference import load_pack
from zhizao.store import db

THIS_YEAR = dt.date.today().year


# ---------------------------------------------------------------- helpers
def firm(i: int, division: str = "500106") -> str:
    """A valid USCC, distinct for each i."""
    return uscc.make(division, f"MA{i:06d}")


def bad_check_char(code: str) -> str:
    wrong = "0" if code[-1] != "0" else "1"
    return code[:-1] + wrong


def checksum(con) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every table: the warehouse's content."""
    out = {}
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
        ).fetchall()
    ]
    for t in sorted(tables):
        n, digest = con.execute(
            f"SELECT count(*), coalesce(md5(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))), '') "
            f'FROM "{t}" AS x'
        ).fetchone()
        out[t] = (n, digest)
    return out


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "base.duckdb"
    con, _ = init_warehouse(path)
    con.close()
    return path


@pytest.fixture
def wh(tmp_path, base_warehouse):
    """(connection, path) of a fresh copy of an initialised warehouse."""
    path = tmp_path / "w.duckdb"
    shutil.copy(base_warehouse, path)
    con = db.open_warehouse(path)
    yield con, path
    con.close()


@pytest.fixture(scope="module")
def template_file(tmp_path_factory, pack) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "template.xlsx", pack)


def fill(
    template: Path, out: Path, rows: dict[str, list[list]], units: dict[str, dict[str, str]] | None = None
) -> Path:
    """Copy the template, append data rows to the named sheets (and change units-row cells)."""
    wb = openpyxl.load_workbook(template)
    for sheet, recs in rows.items():
        ws = wb[sheet]
        for r in recs:
            ws.append(r)
    for sheet, by_field in (units or {}).items():
        ws = wb[sheet]
        fields = [c.value for c in ws[2]]
        for f, u in by_field.items():
            ws.cell(3, fields.index(f) + 1, u)
    wb.save(out)
    return out


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def year_row(u: str, year: int, **kw) -> list:
    """A yearly-figures row in template column order (money in the template's 万元)."""
    base = dict(
        uscc=u,
        year=year,
        revenue=980.0,
        output_value=1000.0,
        value_added=250.0,
        tax=30.0,
        profit=50.0,
        land_mu=20.0,
        energy_tce=300.0,
        emission_equiv=1.5,
        rd_expense=20.0,
        employees=120,
        fixed_investment=100.0,
        tech_renovation_investment=30.0,
        main_business_share=0.95,
    )
    base.update(kw)
    return [base[c.field] for c in ENTERPRISE_YEAR.columns]


def ent_row(u: str, name: str = "测试企业", region: object = "沙坪坝区", industry: object = "C36", **kw) -> list:
    base = dict(
        uscc=u, name=name, region=region, park=None, industry_code=industry, founded="2010-01-01", region_year=None
    )
    base.update(kw)
    return [base[c.field] for c in ENTERPRISES.columns]


def cluster_of(pack, region: str, name: str) -> str:
    """The id of the cluster called `name` in the cluster system of `region`."""
    return next(c.id for s in pack.systems.values() if s.region == region for c in s.clusters if c.name_zh == name)


def reasons(outcome) -> list[str]:
    return [f"{i.sheet}!{i.column_letter}{i.row}: {i.reason_en}" for i in outcome.validation.issues.sorted()]


runner = CliRunner()


# ---------------------------------------------------------------- the template
def test_template_has_one_sheet_per_table_with_header_field_and_units_rows(template_file):
    wb = openpyxl.load_workbook(template_file)
    assert wb.sheetnames[0] == "说明 Instructions"
    for t in TABLES.values():
        ws = wb[t.sheet]
        assert [c.value for c in ws[1]] == [c.zh for c in t.columns]  # row 1: Chinese headers
        assert [c.value for c in ws[2]] == [c.field for c in t.columns]  # row 2: field names
        units = [c.value for c in ws[3]]  # row 3: units
        assert units == [c.default_unit if c.unit_kind else "—" for c in t.columns]
        assert ws.max_row == 3  # no data, no example rows
        assert ws.data_validations.dataValidation, f"{t.sheet} has no dropdowns"
    ey = wb[ENTERPRISE_YEAR.sheet]
    assert [c.value for c in ey[1]][:3] == ["统一社会信用代码", "年份", "营业收入"]
    assert ey["C3"].value == "万元"
    assert "示例 Examples" in wb.sheetnames and "代码表 Lists" in wb.sheetnames
    lists = wb["代码表 Lists"]
    heads = [c.value for c in lists[1]]
    regions = [
        r[0]
        for r in lists.iter_rows(
            min_row=2,
            min_col=heads.index("区县 Regions") + 1,
            max_col=heads.index("区县 Regions") + 1,
            values_only=True,
        )
        if r[0]
    ]
    assert "沙坪坝区" in regions and "江北区" not in regions  # today's map


def test_untouched_template_imports_nothing_and_ignores_the_examples(wh, template_file):
    con, _ = wh
    before = checksum(con)
    out = run_import(template_file, con)
    assert not out.ok
    assert any("no data rows" in r for r in reasons(out))
    assert checksum(con) == before


def test_template_round_trip_reads_back_in_base_units(wh, template_file, tmp_path, pack):
    con, _ = wh
    a, b = firm(1), firm(2, "500155")
    f = fill(
        template_file,
        tmp_path / "filled.xlsx",
        {
            "企业名录": [
                ent_row(a, "甲汽车零部件有限公司", "沙坪坝区", "C36", founded="2016-05-18"),
                ent_row(b, "乙新材料有限公司", "500155", "C3670", founded=2012),
            ],
            "企业年度数据": [
                year_row(a, 2023, revenue=52340.5, profit=-120, employees=612, main_business_share=0.96),
                year_row(b, 2023),
            ],
            "企业荣誉": [[a, "专精特新中小企业", "市级", 2023]],
            "目标": [
                [
                    None,
                    "区县",
                    "沙坪坝区",
                    "智能网联新能源汽车",
                    "industry_output",
                    1000,
                    "亿元",
                    2027,
                    "以上",
                    620,
                    2023,
                    "reported",
                    "沙坪坝区2027年目标（测试）",
                    None,
                ]
            ],
        },
    )
    out = run_import(f, con, user="tester")
    assert out.ok, reasons(out)
    assert con.execute(
        "SELECT name, region_code, industry_code, founded, synthetic FROM enterprise WHERE uscc = ?", [a]
    ).fetchone() == ("甲汽车零部件有限公司", "500106", "C36", dt.date(2016, 5, 18), False)
    assert con.execute("SELECT founded FROM enterprise WHERE uscc = ?", [b]).fetchone()[0] == dt.date(2012, 1, 1)
    rev, profit, emp, share, land = con.execute(
        "SELECT revenue, profit, employees, main_business_share, land_mu FROM enterprise_year "
        "WHERE uscc = ? AND year = 2023",
        [a],
    ).fetchone()
    assert rev == pytest.approx(523_405_000.0)  # 52340.5 万元
    assert profit == pytest.approx(-1_200_000.0)  # a loss is allowed
    assert (emp, share, land) == (612, 0.96, 20.0)
    kind, level = con.execute("SELECT kind, level FROM honour WHERE uscc = ?", [a]).fetchone()
    assert (kind, level) == ("srdi_sme", "municipal")
    t = con.execute(
        "SELECT scope, scope_id, cluster_id, metric, value, unit, year, qualifier, baseline_value, "
        "origin FROM target WHERE origin = 'import'"
    ).fetchone()
    city = pack.info.root_region  # 沙坪坝 has no cluster system of its own: the city's cluster
    assert t == (
        "region",
        "500106",
        cluster_of(pack, city, "智能网联新能源汽车"),
        "industry_output",
        1e11,
        "yuan",
        2027,
        "at_least",
        6.2e10,
        "import",
    )


def test_a_load_is_recorded_as_a_batch_and_in_the_audit_log(wh, template_file, tmp_path):
    con, _ = wh
    f = fill(template_file, tmp_path / "f.xlsx", {"企业名录": [ent_row(firm(3))]})
    out = run_import(f, con, user="李雷")
    assert out.ok
    bid, actor, n = con.execute("SELECT id, actor, rows_loaded FROM import_batch").fetchone()
    assert (bid, actor, n) == (out.result.batch_id, "李雷", 1)
    assert con.execute("SELECT actor, action, object FROM audit WHERE action = 'import'").fetchall() == [
        ("李雷", "import", bid)
    ]
    assert con.execute("SELECT source_id FROM enterprise").fetchone()[0] == bid
    assert con.execute("SELECT origin FROM source WHERE id = ?", [bid]).fetchone()[0] == "import"


# ---------------------------------------------------------------- units
def test_units_in_the_header_are_converted_to_yuan(wh, tmp_path):
    con, _ = wh
    a = firm(10)
    run_import(
        write_csv(
            tmp_path / "e.csv", [["统一社会信用代码", "企业名称", "所在区县", "行业代码"], [a, "甲", "沙坪坝区", "C36"]]
        ),
        con,
    )
    f = write_csv(
        tmp_path / "y.csv",
        [
            [
                "统一社会信用代码",
                "年份",
                "营业收入(万元)",
                "工业总产值（亿元）",
                "工业增加值(元)",
                "主营业务收入占比(%)",
                "用地面积(公顷)",
                "综合能耗(万吨标准煤)",
            ],
            [a, 2023, "1,234.5", 2.5, 30000000, 85, 2, 0.1],
        ],
    )
    out = run_import(f, con)
    assert out.ok, reasons(out)
    row = con.execute(
        "SELECT revenue, output_value, value_added, main_business_share, land_mu, energy_tce FROM enterprise_year"
    ).fetchone()
    assert row == pytest.approx((12_345_000.0, 250_000_000.0, 30_000_000.0, 0.85, 30.0, 1000.0))


def test_units_row_choices_are_honoured(wh, template_file, tmp_path):
    con, _ = wh
    a = firm(11)
    f = fill(
        template_file,
        tmp_path / "u.xlsx",
        {"企业名录": [ent_row(a)], "企业年度数据": [year_row(a, 2022, revenue=3.5, output_value=4, value_added=1)]},
        units={"企业年度数据": {"revenue": "亿元", "output_value": "亿元", "value_added": "亿元"}},
    )
    out = run_import(f, con)
    assert out.ok, reasons(out)
    assert con.execute("SELECT revenue, tax FROM enterprise_year").fetchone() == (3.5e8, 30.0 * 1e4)


def test_money_without_a_declared_unit_is_refused(wh, tmp_path):
    con, _ = wh
    f = write_csv(tmp_path / "y.csv", [["uscc", "year", "revenue"], [firm(12), 2023, 100]])
    out = run_import(f, con)
    assert not out.ok
    (i,) = out.validation.issues.items
    assert (i.row, i.column_letter, i.field) == (1, "C", "revenue")
    assert "no unit declared" in i.reason_en and "没有声明单位" in i.reason_zh


def test_a_header_unit_that_contradicts_the_units_row_is_refused(wh, template_file, tmp_path):
    con, _ = wh
    a = firm(13)
    wb = openpyxl.load_workbook(template_file)
    ws = wb["企业年度数据"]
    ws["C1"] = "营业收入(亿元)"  # units row still says 万元
    ws.append(year_row(a, 2023))
    wb.save(tmp_path / "c.xlsx")
    out = run_import(tmp_path / "c.xlsx", con)
    assert not out.ok
    assert any("the header says '亿元' but the units row says '万元'" in r for r in reasons(out))


# ---------------------------------------------------------------- codes
def test_a_valid_and_an_invalid_uscc(wh, tmp_path):
    con, _ = wh
    good = firm(20)
    bad = bad_check_char(firm(21))
    f = write_csv(
        tmp_path / "e.csv",
        [["uscc", "name", "region", "industry_code"], [good, "甲", "沙坪坝区", "C36"], [bad, "乙", "沙坪坝区", "C36"]],
    )
    out = run_import(f, con)
    assert not out.ok
    (i,) = out.validation.issues.items
    assert (i.row, i.column_letter, i.value) == (3, "A", bad)
    assert f"expected '{uscc.check_char(bad[:17])}'" in i.reason_en
    assert "校验位" in i.reason_zh
    assert con.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 0  # the good row was not loaded either


def test_regions_by_name_code_short_and_former_name(wh, tmp_path, pack):
    con, _ = wh
    rows = [
        ["uscc", "name", "region", "industry_code", "region_year"],
        [firm(30), "a", "沙坪坝区", "C36", None],  # full name
        [firm(31), "b", "沙坪坝", "C36", None],  # short name
        [firm(32), "c", 500112, "C36", 2023],  # a code, typed as a number in Excel
        [firm(33), "d", "梁平县", "C36", 2015],  # a former name (梁平县 became 梁平区 in 2016)
        [firm(34), "e", "江北区", "C36", 2023],  # merged into 两江新区 in late 2025
        [firm(35), "f", "两江新区", "C36", None],
    ]  # this year: the 2025 district
    out = run_import(write_csv(tmp_path / "e.csv", rows), con)
    assert out.ok, reasons(out)
    got = dict(con.execute("SELECT name, region_code FROM enterprise").fetchall())
    assert got == {"a": "500106", "b": "500106", "c": "500112", "d": "500228", "e": "500105", "f": "CQ-LJXQ"}
    # former regions are kept as recorded and roll up through the pack's successions
    assert pack.successor_of("500228") == "500155"
    assert any("梁平县" in zh and "梁平区" in zh for zh, _ in out.validation.notes)


def test_regions_that_are_not_counties_or_unknown_are_refused(wh, tmp_path):
    con, _ = wh
    rows = [
        ["uscc", "name", "region", "industry_code", "region_year"],
        [firm(40), "a", "两江新区", "C36", 2020],  # in 2020 that name was the functional area
        [firm(41), "b", "重庆高新区", "C36", None],  # a functional area
        [firm(42), "c", "主城新区", "C36", None],  # a group of districts
        [firm(43), "d", "火星区", "C36", None],
    ]
    out = run_import(write_csv(tmp_path / "e.csv", rows), con)
    assert [(i.row, i.column_letter) for i in out.validation.issues.sorted()] == [
        (2, "C"),
        (3, "C"),
        (4, "C"),
        (5, "C"),
    ]
    r = reasons(out)
    assert "functional area" in r[0] and "functional area" in r[1] and "not a county-level region" in r[2]
    assert "unknown region '火星区'" in r[3]


def test_industry_codes_must_be_in_the_pack(wh, tmp_path):
    con, _ = wh
    rows = [
        ["uscc", "name", "region", "industry_code"],
        [firm(50), "a", "沙坪坝区", "C36 汽车制造业"],  # the dropdown's form
        [firm(51), "b", "沙坪坝区", 36],  # digits only, as Excel keeps them
        [firm(52), "c", "沙坪坝区", "C99"],
    ]
    out = run_import(write_csv(tmp_path / "e.csv", rows), con)
    (i,) = out.validation.issues.items
    assert (i.row, i.column_letter, i.value) == (4, "D", "C99")
    assert "not in the pack's GB/T 4754-2017 list" in i.reason_en


# ---------------------------------------------------------------- keys, references, impossible values
def test_duplicate_keys_inside_the_file_are_reported_with_the_first_row(wh, template_file, tmp_path):
    con, _ = wh
    a, b = firm(60), firm(61)
    f = fill(
        template_file,
        tmp_path / "d.xlsx",
        {
            "企业名录": [ent_row(a), ent_row(b), ent_row(a, "重名")],
            "企业年度数据": [year_row(a, 2022), year_row(a, 2023), year_row(a, 2022)],
            "企业荣誉": [[b, "高新技术企业", "国家级", 2021], [b, "high_tech_enterprise", "national", 2021]],
        },
    )
    out = run_import(f, con)
    got = {(i.sheet, i.row): i.reason_en for i in out.validation.issues.items}
    assert got == {
        ("企业名录", 6): "duplicate key (uscc): same as row 4",
        ("企业年度数据", 6): "duplicate key (uscc+year): same as row 4",
        ("企业荣誉", 5): "duplicate key (uscc+kind+level+year): same as row 4",
    }


def test_yearly_figures_need_an_enterprise_in_the_file_or_the_warehouse(wh, tmp_path):
    con, _ = wh
    known, unknown = firm(70), firm(71)
    run_import(
        write_csv(tmp_path / "e.csv", [["uscc", "name", "region", "industry_code"], [known, "甲", "沙坪坝区", "C36"]]),
        con,
    )
    f = write_csv(tmp_path / "y.csv", [["uscc", "year", "revenue(万元)"], [known, 2023, 10], [unknown, 2023, 10]])
    out = run_import(f, con)
    (i,) = out.validation.issues.items
    assert (i.row, i.value) == (3, unknown)
    assert "neither in this file's enterprise sheet nor in the warehouse" in i.reason_en


@pytest.mark.parametrize(
    "change, column, reason",
    [
        (dict(output_value=-5), "D", "output_value cannot be negative"),
        (dict(main_business_share=1.2), "O", "main_business_share is 1.2, above 1"),
        (dict(employees=12.5), "L", "12.5 is not a whole number"),
        (dict(value_added=2000), "E", "value added (20,000,000 yuan) exceeds gross output (10,000,000 yuan)"),
        (dict(land_mu=0), "H", "land is 0 while gross output is above 0"),
        (dict(tech_renovation_investment=200), "N", "exceeds industrial investment"),
        (dict(year=1948), "B", "year 1948 is out of range"),
        (dict(year=THIS_YEAR + 1), "B", f"year {THIS_YEAR + 1} is out of range"),
        (dict(revenue="12万"), "C", "has a unit after the number"),
        (dict(revenue="n/a?"), "C", "is not a number"),
    ],
)
def test_impossible_values_are_refused(wh, template_file, tmp_path, change, column, reason):
    con, _ = wh
    a = firm(80)
    change = {"year": 2023, **change}
    f = fill(template_file, tmp_path / "bad.xlsx", {"企业名录": [ent_row(a)], "企业年度数据": [year_row(a, **change)]})
    out = run_import(f, con)
    assert not out.ok
    (i,) = out.validation.issues.items
    assert (i.sheet, i.row, i.column_letter) == ("企业年度数据", 4, column)
    assert reason in i.reason_en


def test_figures_before_the_firm_was_founded_are_refused(wh, template_file, tmp_path):
    con, _ = wh
    a = firm(81)
    f = fill(
        template_file,
        tmp_path / "f.xlsx",
        {"企业名录": [ent_row(a, founded="2020-06-01")], "企业年度数据": [year_row(a, 2019)]},
    )
    out = run_import(f, con)
    assert ["企业年度数据!B4: the year is before the firm was founded (2020-06-01)"] == reasons(out)


# ---------------------------------------------------------------- all or nothing
def test_one_bad_row_among_thousands_changes_nothing_and_is_reported(wh, tmp_path):
    con, path = wh
    # some content first, so that "unchanged" means something
    seed = [firm(i) for i in range(100, 110)]
    out = run_import(
        write_csv(
            tmp_path / "seed.csv",
            [["uscc", "name", "region", "industry_code"]]
            + [[u, f"老企业{k}", "沙坪坝区", "C36"] for k, u in enumerate(seed)],
        ),
        con,
    )
    assert out.ok
    con.close()
    # 3,000 firms with yearly figures; one value_added exceeds its output
    wb = openpyxl.Workbook(write_only=True)
    e = wb.create_sheet("企业名录")
    e.append([c.zh for c in ENTERPRISES.columns])
    e.append([c.field for c in ENTERPRISES.columns])
    y = wb.create_sheet("企业年度数据")
    y.append([c.zh for c in ENTERPRISE_YEAR.columns])
    y.append([c.field for c in ENTERPRISE_YEAR.columns])
    y.append([c.default_unit or "—" for c in ENTERPRISE_YEAR.columns])
    bad_index = 1234
    for k in range(3000):
        u = firm(1000 + k)
        e.append(ent_row(u, f"企业{k}", ["沙坪坝区", "涪陵区", "500112"][k % 3]))
        y.append(year_row(u, 2023, value_added=1500 if k == bad_index else 250))
    wb.save(tmp_path / "many.xlsx")

    con = db.open_warehouse(path)
    before = checksum(con)
    con.close()
    report = tmp_path / "report.xlsx"
    res = runner.invoke(app, ["import", str(tmp_path / "many.xlsx"), "--db", str(path), "--report", str(report)])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    con = db.open_warehouse(path)
    assert checksum(con) == before
    con.close()
    # the report names the sheet, the row as Excel shows it, the column and the reason, in both languages
    ws = openpyxl.load_workbook(report)["错误 Errors"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(rows) == 1
    no, sheet, row, col, header, fld, value, zh, en = rows[0]
    assert (sheet, row, col, header, fld, value) == (
        "企业年度数据",
        bad_index + 4,
        "E",
        "工业增加值",
        "value_added",
        1500,
    )
    assert "工业增加值" in zh and "大于工业总产值" in zh
    assert "value added (15,000,000 yuan) exceeds gross output (10,000,000 yuan)" == en


def test_without_report_option_the_error_report_lands_next_to_the_input(wh, tmp_path):
    con, path = wh
    con.close()
    f = write_csv(
        tmp_path / "firms.csv",
        [["uscc", "name", "region", "industry_code"], [bad_check_char(firm(5)), "甲", "沙坪坝区", "C36"]],
    )
    res = runner.invoke(app, ["import", str(f), "--db", str(path)])
    assert res.exit_code == 1
    rep = tmp_path / "firms.errors.csv"
    rows = list(csv.reader(rep.open(encoding="utf-8-sig")))
    assert rows[0] == [
        "序号 No.",
        "工作表 Sheet",
        "行 Row",
        "列 Column",
        "表头 Header",
        "字段 Field",
        "值 Value",
        "原因 Reason (中文)",
        "Reason (English)",
    ]
    assert rows[1][1:5] == ["firms.csv", "2", "A", "uscc"]


def test_dry_run_checks_and_loads_but_keeps_nothing(wh, tmp_path):
    con, path = wh
    con.close()
    f = write_csv(
        tmp_path / "e.csv", [["uscc", "name", "region", "industry_code"], [firm(90), "甲", "沙坪坝区", "C36"]]
    )
    con = db.open_warehouse(path)
    before = checksum(con)
    con.close()
    res = runner.invoke(app, ["import", str(f), "--db", str(path), "--dry-run"])
    assert res.exit_code == 0, res.output
    con = db.open_warehouse(path)
    assert checksum(con) == before
    con.close()


# ---------------------------------------------------------------- upserts
def test_yearly_figures_upsert_per_key_and_empty_cells_keep_stored_values(wh, tmp_path):
    con, _ = wh
    a = firm(95)
    run_import(
        write_csv(tmp_path / "e.csv", [["uscc", "name", "region", "industry_code"], [a, "甲", "沙坪坝区", "C36"]]), con
    )
    first = run_import(
        write_csv(
            tmp_path / "y1.csv",
            [["uscc", "year", "revenue(万元)", "output_value(万元)"], [a, 2022, 100, 110], [a, 2023, 200, 210]],
        ),
        con,
    )
    assert first.result.counts["enterprise_year"] == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0}
    second = run_import(
        write_csv(
            tmp_path / "y2.csv",
            [
                ["uscc", "year", "revenue(万元)", "用地面积(亩)"],
                [a, 2023, "", 12],
                [a, 2024 if THIS_YEAR >= 2024 else 2021, 5, 1],
            ],
        ),
        con,
    )
    assert second.ok, reasons(second)
    assert second.result.counts["enterprise_year"] == {"rows": 2, "new": 1, "updated": 1, "unchanged": 0}
    assert con.execute("SELECT revenue, output_value, land_mu FROM enterprise_year WHERE year = 2023").fetchone() == (
        2_000_000.0,
        2_100_000.0,
        12.0,
    )


def test_value_added_is_checked_against_the_stored_output_when_the_file_has_none(wh, tmp_path):
    con, _ = wh
    a = firm(96)
    run_import(
        write_csv(tmp_path / "e.csv", [["uscc", "name", "region", "industry_code"], [a, "甲", "沙坪坝区", "C36"]]), con
    )
    run_import(write_csv(tmp_path / "y1.csv", [["uscc", "year", "output_value(万元)"], [a, 2023, 100]]), con)
    out = run_import(write_csv(tmp_path / "y2.csv", [["uscc", "year", "value_added(万元)"], [a, 2023, 150]]), con)
    assert reasons(out) == ["y2.csv!C2: value added (1,500,000 yuan) exceeds gross output (1,000,000 yuan)"]


def test_honours_resolve_kind_names_and_levels_and_a_repeat_is_kept_once(wh, tmp_path):
    con, _ = wh
    a = firm(97)
    run_import(
        write_csv(tmp_path / "e.csv", [["uscc", "name", "region", "industry_code"], [a, "甲", "沙坪坝区", "C36"]]), con
    )
    f = write_csv(
        tmp_path / "h.csv",
        [
            ["统一社会信用代码", "荣誉类型", "级别", "认定年份"],
            [a, "智能工厂", "市级", 2022],
            [a, "专精特新“小巨人”企业", "国家级", 2023],
        ],
    )
    assert run_import(f, con).ok
    again = run_import(f, con)
    assert again.result.counts["honours"] == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2}
    assert sorted(con.execute("SELECT kind, level, year FROM honour").fetchall()) == [
        ("little_giant", "national", 2023),
        ("smart_factory", "municipal", 2022),
    ]
    bad = run_import(
        write_csv(
            tmp_path / "h2.csv",
            [
                ["uscc", "kind", "level", "year"],
                [a, "专精特新“小巨人”企业", "市级", 2023],
                [a, "最佳雇主", "市级", 2023],
            ],
        ),
        con,
    )
    assert [(i.row, i.field) for i in bad.validation.issues.sorted()] == [(2, "level"), (3, "kind")]


def test_targets_get_a_stable_id_so_a_second_import_updates_them(wh, tmp_path, pack):
    con, _ = wh
    rows = [
        ["scope", "scope_id", "cluster", "metric", "value", "unit", "year"],
        ["区县", "涪陵区", "先进材料", "工业总产值", 2000, "亿元", 2027],
    ]
    assert run_import(write_csv(tmp_path / "t1.csv", rows), con).ok
    rows[1][4] = 2100
    again = run_import(write_csv(tmp_path / "t2.csv", rows), con)
    assert again.result.counts["targets"]["updated"] == 1
    assert con.execute("SELECT metric, value, unit, cluster_id FROM target WHERE origin = 'import'").fetchall() == [
        ("industrial_output", 2.1e11, "yuan", cluster_of(pack, "500102", "先进材料"))
    ]  # 涪陵's own 先进材料
    # the metric as the file wrote it is kept as the target's own wording; a key is not wording
    assert con.execute("SELECT metric_zh FROM target WHERE origin = 'import'").fetchall() == [("工业总产值",)]
    rows[1][3], rows[1][4] = "industrial_output", 2200
    assert run_import(write_csv(tmp_path / "t3.csv", rows), con).ok
    assert con.execute("SELECT metric_zh FROM target WHERE origin = 'import'").fetchall() == [(None,)]


def test_a_target_with_an_unknown_metric_key_is_refused_and_any_vocabulary_name_is_taken(wh, tmp_path):
    con, _ = wh
    rows = [
        ["scope", "scope_id", "metric", "value", "unit", "year"],
        ["区县", "涪陵区", "industrial_ouptut", 2000, "亿元", 2027],  # a typo: never measurable, so refused
        ["区县", "涪陵区", "专精特新企业数", 300, "家", 2027],  # a Chinese name of the vocabulary
        ["区县", "涪陵区", "profit_growth", 8, "%", 2027],  # derived from a key of the vocabulary
    ]
    out = run_import(write_csv(tmp_path / "t.csv", rows), con)
    assert [(i.row, i.field) for i in out.validation.issues.sorted()] == [(2, "metric")]
    assert "industrial_ouptut" in reasons(out)[0]
    del rows[1]
    assert run_import(write_csv(tmp_path / "t2.csv", rows), con).ok
    assert sorted(r[0] for r in con.execute("SELECT metric FROM target WHERE origin = 'import'").fetchall()) == [
        "profit_growth",
        "specialized_sme_count",
    ]


# ---------------------------------------------------------------- CSV and files that are not what they claim
def test_csv_in_gbk_with_chinese_headers_is_recognised_as_its_table(wh, tmp_path):
    con, _ = wh
    f = write_csv(
        tmp_path / "企业.csv",
        [
            ["统一社会信用代码", "企业名称", "所在区县", "行业代码", "成立日期"],
            [firm(98), "重庆某某有限公司", "涪陵", "C26", "2001/7/1"],
        ],
        encoding="gbk",
    )
    out = run_import(f, con)
    assert out.ok, reasons(out)
    assert out.validation.sheets_used == [("企业.csv", "enterprises")]
    assert con.execute("SELECT region_code, founded FROM enterprise").fetchone() == ("500102", dt.date(2001, 7, 1))


def test_a_csv_whose_header_fits_several_tables_needs_table(wh, tmp_path):
    con, _ = wh
    f = write_csv(tmp_path / "x.csv", [["uscc"], [firm(99)]])
    out = run_import(f, con)
    assert any("--table" in r for r in reasons(out))
    # uscc + year is the key of the yearly figures: that CSV is read as such (and has no figures)
    f2 = write_csv(tmp_path / "y.csv", [["uscc", "year"], [firm(99), 2023]])
    assert run_import(f2, con).validation.sheets_used == [("y.csv", "enterprise_year")]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.xlsx", b"", "the file is empty"),
        ("empty.csv", b"", "the file is empty"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "not a spreadsheet"),
        ("renamed.xlsx", "统一社会信用代码,企业名称\n".encode(), "not an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "legacy .xls"),
        ("notes.csv", "今天开会\n讨论预算\n".encode(), "row 1 is not the header of any importable table"),
        ("header_only.csv", "uscc,name,region,industry_code\n".encode(), "no data rows"),
    ],
)
def test_files_that_are_not_importable_fail_with_one_clear_message(wh, tmp_path, name, content, reason):
    con, path = wh
    con.close()
    f = tmp_path / name
    f.write_bytes(content)
    res = runner.invoke(app, ["import", str(f), "--db", str(path)])
    assert res.exit_code == 1
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit)
    con = db.open_warehouse(path)
    try:
        out = run_import(f, con)
    finally:
        con.close()
    assert any(reason in r for r in reasons(out)), reasons(out)


def test_a_wrong_or_missing_column_is_named(wh, tmp_path):
    con, _ = wh
    f = write_csv(tmp_path / "y.csv", [["统一社会信用代码", "年份", "营收额(万元)"], [firm(1), 2023, 5]])
    out = run_import(f, con, table="enterprise_year")
    assert reasons(out) == [
        "y.csv!C1: unknown column '营收额(万元)': not a column of enterprise_year (delete it or "
        "use the template's header)"
    ]
    f2 = write_csv(tmp_path / "e.csv", [["uscc", "name", "region"], [firm(1), "甲", "沙坪坝区"]])
    out2 = run_import(f2, con, table="enterprises")
    assert reasons(out2) == ["e.csv!1: required column industry_code (行业代码) is missing"]


def test_a_workbook_without_any_template_sheet_says_which_sheets_it_expects(wh, tmp_path):
    con, _ = wh
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "other.xlsx")
    out = run_import(tmp_path / "other.xlsx", con)
    assert "no importable sheet in the workbook (found: Sheet1" in reasons(out)[0]


def test_template_command_writes_a_workbook(tmp_path):
    res = runner.invoke(app, ["template", "--out", str(tmp_path / "t.xlsx")])
    assert res.exit_code == 0, res.output
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[1:5] == [t.sheet for t in TABLES.values()]


def test_import_into_a_missing_warehouse_is_one_message(tmp_path):
    f = write_csv(tmp_path / "e.csv", [["uscc", "name", "region", "industry_code"], [firm(1), "甲", "沙坪坝区", "C36"]])
    res = runner.invoke(app, ["import", str(f), "--db", str(tmp_path / "nope.duckdb")])
    assert res.exit_code == 1
    assert isinstance(res.exception, SystemExit)


def examples_by_table(template: Path) -> dict[str, list[list]]:
    """The worked examples of the template's examples sheet, by the sheet they belong on."""
    ws = openpyxl.load_workbook(template)["示例 Examples"]
    out: dict[str, list[list]] = {}
    current, skip = None, 0
    for row in ws.iter_rows(values_only=True):
        vals = list(row)
        while vals and vals[-1] is None:
            vals.pop()
        for t in TABLES.values():
            if vals == [c.field for c in t.columns]:
                current, skip = t, 2  # this row and the units row below it
        if skip:
            skip -= 1
            continue
        if current is not None and vals:
            out.setdefault(current.sheet, []).append(vals + [None] * (len(current.columns) - len(vals)))
        elif not vals:
            current = None
    return out


def test_the_worked_examples_import_cleanly_when_copied_to_the_data_sheets(wh, template_file, tmp_path):
    con, _ = wh
    examples = examples_by_table(template_file)
    assert set(examples) == {t.sheet for t in TABLES.values()}
    out = run_import(fill(template_file, tmp_path / "ex.xlsx", examples), con)
    assert out.ok, reasons(out)
    assert {k: c["rows"] for k, c in out.result.counts.items()} == {k: len(examples[TABLES[k].sheet]) for k in TABLES}


def test_sheet_option_imports_one_sheet_only(wh, template_file, tmp_path):
    con, _ = wh
    a = firm(7)
    f = fill(
        template_file, tmp_path / "two.xlsx", {"企业名录": [ent_row(a)], "企业荣誉": [[a, "智能工厂", "市级", 2099]]}
    )  # bad year
    out = run_import(f, con, sheet="企业名录")
    assert out.ok, reasons(out)
    assert out.validation.sheets_used == [("企业名录", "enterprises")]
    assert run_import(f, con, sheet="不存在").validation.issues.items[0].reason_en.startswith("no sheet named '不存在'")


def test_a_district_user_imports_for_their_own_region_only_and_a_public_user_not_at_all(wh, tmp_path):
    con, _ = wh
    con.execute(
        "INSERT INTO app_user (name, role, region_code) VALUES ('涪陵经信委', 'district', '500102'), "
        "('访客', 'public', NULL)"
    )
    f = write_csv(
        tmp_path / "e.csv",
        [
            ["uscc", "name", "region", "industry_code"],
            [firm(200), "涪陵的企业", "涪陵区", "C26"],
            [firm(201), "沙坪坝的企业", "沙坪坝区", "C36"],
        ],
    )
    out = run_import(f, con, user="涪陵经信委")
    assert [(i.row, i.field) for i in out.validation.issues.items] == [(3, "region")]
    assert "own region" in out.validation.issues.items[0].reason_en
    with pytest.raises(ImportRefused):
        run_import(f, con, user="访客")
    assert con.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 0


def test_a_code_that_excel_turned_into_a_number_is_explained(wh, template_file, tmp_path):
    con, _ = wh
    f = fill(template_file, tmp_path / "n.xlsx", {"企业名录": [ent_row(9.15001067093457e17)]})
    (i,) = run_import(f, con).validation.issues.items
    assert (i.row, i.column_letter) == (4, "A")
    assert "stored by Excel as a number" in i.reason_en and "文本" in i.reason_zh


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_excel_numbers(wh, tmp_path):
    con, _ = wh
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["2025年规上工业企业名录（第一批）"])
    ws.append([])
    ws.append(["统一社会信用代码", "企业名称", "所在区县", "行业代码"])
    ws.append([firm(300), "甲", "沙坪坝区", "C36"])
    ws.append([firm(301), "乙", "沙坪坝区", "C999"])
    wb.save(tmp_path / "titled.xlsx")
    out = run_import(tmp_path / "titled.xlsx", con)
    assert [(i.row, i.column_letter, i.value) for i in out.validation.issues.items] == [(5, "D", "C999")]


def test_a_failure_in_the_middle_of_the_load_rolls_everything_back(wh, template_file, tmp_path, monkeypatch):
    import zhizao.ingest.tables.load as load_mod

    con, _ = wh
    a = firm(400)
    f = fill(template_file, tmp_path / "ok.xlsx", {"企业名录": [ent_row(a)], "企业年度数据": [year_row(a, 2023)]})
    before = checksum(con)
    real = load_mod._insert

    def failing(con_, name, tbl, sql):
        if name == "_imp_ey":  # the enterprises are in by now
            raise RuntimeError("disk full")
        return real(con_, name, tbl, sql)

    monkeypatch.setattr(load_mod, "_insert", failing)
    with pytest.raises(RuntimeError):
        run_import(f, con)
    assert checksum(con) == before
