"""Statistics tables flattened into text: header columns, rows, units, periods, and their facts."""

import datetime as dt

from zhizao.ingest.news.clean import clean
from zhizao.ingest.news.extract import extract, read_article
from zhizao.ingest.news.tables import find_tables

MONTHLY = """綦江区2024年1—5月规模以上工业主要指标
指标名称 计量单位 5月 1-5月 累计同比增长(%)
规模以上工业总产值 亿元 98.6 452.3 8.1
规模以上工业增加值 — — — 7.4
利润总额 亿元 — 18.6 -5.3
亏损企业 户 — 97 10.2
主要产品产量:
汽车 万辆 1.2 5.6 15.3
水泥 万吨 48.3 221.7 -9.6
说明:1.规模以上工业总产值按现价计算。
"""

COMMUNIQUE = """表1 2023年分产业地区生产总值、增速及其比重
指 标 | 绝对量(亿元) | 比上年增长(%) | 比重(%) |
地区生产总值 | 1867.07 | 6.5 | 100.0 |
第二产业 | 643.88 | 4.4 | 34.5 |
工 业 | 437.63 | 2.7 | 23.4 |
"""


def facts_of(tmp_path, body, address="http://example.org/a", published=dt.date(2024, 6, 21)):
    p = tmp_path / "a.txt"
    p.write_text(f"# source: {address}\n# title: 统计数据\n{body}", encoding="utf-8")
    return {(f.entity, f.metric, round(f.value, 6), f.period) for f in extract(read_article(p, published=published))}


def test_cells_of_a_space_separated_table_do_not_merge_in_cleaning():
    assert "98.6 452.3 8.1" in clean(MONTHLY).text


def test_header_columns_and_rows_are_read():
    (t,) = find_tables(clean(MONTHLY).text)
    assert [(c.kind, c.scope, c.month) for c in t.columns] == [
        ("unit", "period", None),
        ("amount", "month", 5),
        ("amount", "cumulative", 5),
        ("growth", "cumulative", None),
    ]
    rows = {r.label: (r.unit, [c.value for c in r.cells]) for r in t.rows}
    assert rows["规模以上工业总产值"] == ("亿元", [98.6, 452.3, 8.1])
    assert rows["规模以上工业增加值"] == (None, [7.4])  # the empty unit and amount cells
    assert rows["利润总额"] == ("亿元", [18.6, -5.3])
    assert rows["汽车"] == ("万辆", [1.2, 5.6, 15.3])  # after the 主要产品产量: sub-heading
    assert "说明:1.规模以上工业总产值按现价计算。" not in rows  # the table ends at its notes


def test_a_monthly_table_gives_the_month_the_year_so_far_and_growth(tmp_path):
    got = facts_of(tmp_path, MONTHLY)
    assert got == {
        ("綦江区", "industrial_output", 9.86e9, "2024-05..2024-05"),
        ("綦江区", "industrial_output", 4.523e10, "2024-01..2024-05"),
        ("綦江区", "industrial_output_growth", 8.1, "2024-01..2024-05"),
        ("綦江区", "industrial_value_added_growth", 7.4, "2024-01..2024-05"),
        ("綦江区", "profit", 1.86e9, "2024-01..2024-05"),
        ("綦江区", "vehicle_production", 12000, "2024-05..2024-05"),
        ("綦江区", "vehicle_production", 56000, "2024-01..2024-05"),
        ("綦江区", "vehicle_production_growth", 15.3, "2024-01..2024-05"),
    }  # 亏损企业 and 水泥 are outside the vocabulary


def test_a_gdp_table_s_industry_row_is_industry_value_added(tmp_path):
    got = facts_of(tmp_path, "重庆市九龙坡区2023年国民经济和社会发展统计公报\n" + COMMUNIQUE)
    assert ("九龙坡区", "industrial_value_added", 4.3763e10, "2023") in got
    assert ("九龙坡区", "industrial_value_added_growth", 2.7, "2023") in got
    assert ("九龙坡区", "gdp", 1.86707e11, "2023") in got
    assert not any(v in (23.4, 34.5) for _, _, v, _ in got)  # shares are read, not reported


def test_a_stray_line_inside_a_table_does_not_end_it(tmp_path):
    body = COMMUNIQUE.replace("第二产业", "九龙坡区常住人口达到112.5万人,城镇化率为71.2%。\n第二产业")
    got = facts_of(tmp_path, "九龙坡区2023年统计公报\n" + body)
    assert ("九龙坡区", "industrial_value_added", 4.3763e10, "2023") in got


def test_a_sentence_with_numbers_is_not_a_table():
    assert find_tables(clean("1-5月,全区规上工业总产值同比增长8.1%,增速较1-4月回落0.6个百分点。\n").text) == []


def test_a_table_saved_one_cell_per_line_is_read_row_by_row():
    from zhizao.ingest.news.tables import unfold

    text = (
        "表3 2008年规模以上工业总产值\n指 标\n|\n绝对额(亿元)\n|\n比上年±%\n|\n工业总产值\n|\n5599.26\n|\n29.3\n|\n"
        "按轻重工业分\n|\n|\n|\n轻工业\n|\n1817.85\n|\n30.4\n|\n全年汽车产量78.20万辆。"
    )
    assert len(unfold(text)) == len(text)  # offsets in the view are offsets in the text
    (t,) = find_tables(text)
    rows = {r.label: [(c.value, c.column.kind) for c in r.cells] for r in t.rows}
    assert rows == {
        "工业总产值": [(5599.26, "amount"), (29.3, "growth")],
        "轻工业": [(1817.85, "amount"), (30.4, "growth")],
    }
    r = t.rows[0]
    assert text[r.start : r.end] == "工业总产值\n|\n5599.26\n|\n29.3"  # the quote is the cells as saved


def test_a_table_saved_one_cell_per_line_is_read_after_cleaning(tmp_path):
    """The cleaner drops the lines holding only `|`, so the cells stand one per line: still one row each."""
    body = (
        "表3 2023年规模以上工业总产值\n指 标\n|\n绝对额(亿元)\n|\n比上年±%\n|\n工业总产值\n|\n820.50\n|\n7.1\n|\n"
        "按轻重工业分\n|\n|\n|\n轻工业\n|\n210.30\n|\n5.2\n|\n重工业\n|\n610.20\n|\n7.8\n|\n"
    )
    got = facts_of(tmp_path, "重庆市九龙坡区统计公报\n" + body, published=dt.date(2024, 3, 20))
    assert got == {
        ("九龙坡区", "industrial_output", 8.205e10, "2023"),
        ("九龙坡区", "industrial_output_growth", 7.1, "2023"),
        ("九龙坡区", "industry_output", 2.103e10, "2023"),
        ("九龙坡区", "industry_output_growth", 5.2, "2023"),
        ("九龙坡区", "industry_output", round(610.20 * 1e8, 6), "2023"),
        ("九龙坡区", "industry_output_growth", 7.8, "2023"),
    }


UNITLESS = (
    "今年1-9月全市规模以上四大产业企业累计完成产值1200.5亿元,同比增长10.2%,其中9月份当月完成产值150.3亿元,"
    "同比增长8.8%。\n本月|\n增长%|\n累计|\n累计增长|\n四大产业合计|\n1503000|\n8.80|\n12005000|\n10.20|\n"
    "装备制造业|\n800000|\n9.10|\n6400000|\n11.30|\n新材料产业|\n703000|\n8.40|\n5605000|\n9.00|\n"
)


def test_a_table_with_no_unit_or_title_takes_them_from_the_text_before_it(tmp_path):
    """No unit: the scale at which a cell is an amount the text states (150.3亿元 = 1503000 万元). No title: the
    months the paragraph reports (1-9月; 本月 is September) and the measure it names (产值). 本月|增长% is the
    month's growth. The total row the text states already is the text's."""
    got = facts_of(tmp_path, UNITLESS, address="http://tjj.nantong.gov.cn/a.html", published=dt.date(2024, 10, 20))
    assert {x for x in got if x[1].startswith("industry_output")} >= {
        ("南通市", "industry_output", 8e9, "2024-09..2024-09"),
        ("南通市", "industry_output_growth", 9.1, "2024-09..2024-09"),
        ("南通市", "industry_output", 6.4e10, "2024-01..2024-09"),
        ("南通市", "industry_output_growth", 11.3, "2024-01..2024-09"),
        (
            "南通市",
            "industry_output",
            round(1200.5 * 1e8, 6),
            "2024-01..2024-09",
        ),  # 四大产业企业…产值: the four industries'
        (
            "南通市",
            "industry_output",
            round(150.3 * 1e8, 6),
            "2024-09..2024-09",
        ),  # 其中9月份当月: that month, the same group
    }
    assert (
        sum(1 for x in got if abs(x[2] - 1.2005e11) < 1e7 or abs(x[2] - 1.503e10) < 1e7) == 2
    )  # the 合计 row gives way to the text


def test_a_pipe_separated_table_with_a_unit_column_is_read(tmp_path):
    body = (
        "2023年1-9月九龙坡区主要经济指标\n指标名称|计量单位|1-9月|同比增长(%)\n地区生产总值|亿元|1265.3|6.2\n"
        "规模以上工业增加值|亿元|—|7.5\n汽车(万辆)|万辆|35.6|15.2\n"
    )
    got = facts_of(tmp_path, body, published=dt.date(2023, 10, 20))
    assert got == {
        ("九龙坡区", "gdp", round(1265.3 * 1e8, 6), "2023-01..2023-09"),
        ("九龙坡区", "gdp_growth", 6.2, "2023-01..2023-09"),
        ("九龙坡区", "industrial_value_added_growth", 7.5, "2023-01..2023-09"),
        ("九龙坡区", "vehicle_production", 356000.0, "2023-01..2023-09"),
        ("九龙坡区", "vehicle_production_growth", 15.2, "2023-01..2023-09"),
    }


def test_a_unit_after_a_column_label_or_noted_over_the_table_is_the_unit_of_its_amounts(tmp_path):
    in_header = (
        "綦江区2024年1-5月主要经济指标\n| 指标 | 1-5月(亿元) | 同比增长(%) |\n| 规模以上工业总产值 | 452.3 | 8.1 |\n"
    )
    noted = "綦江区2024年1-5月主要经济指标(单位:亿元、%)\n| 指标 | 1-5月 | 同比增长 |\n"
    noted += "| 规模以上工业总产值 | 452.3 | 8.1 |\n"
    for body in (in_header, noted):
        got = facts_of(tmp_path, body)
        assert ("綦江区", "industrial_output", 45230000000.0, "2024-01..2024-05") in got, body
        assert ("綦江区", "industrial_output_growth", 8.1, "2024-01..2024-05") in got, body
