"""Context the reader needs beyond one clause: years under review, spans of targets, who a figure
belongs to, and figures that only name a measure. Each case is a general wording, found by the
held-out batches (tests/data/news-heldout); the sentences here are written for the test."""

import datetime as dt

import pytest

from zhizao.ingest.news.extract import extract, read_article


def facts(tmp_path, body, published, address="http://example.org/a"):
    p = tmp_path / "a.txt"
    p.write_text(f"# source: {address}\n# title: 新闻\n{body}", encoding="utf-8")
    return {
        (f.entity, f.metric, round(f.value, 4), f.period, f.kind) for f in extract(read_article(p, published=published))
    }


D = dt.date


CASES = {
    # a work report's past year is the year before; its 预计 figures set the year of the lines after
    "work report": (
        "过去一年,全县经济运行稳中有进,预计实现地区生产总值556.2亿元。\n工业经济提质增效,垫江县规上工业产值增长11.2%。",
        D(2024, 1, 17),
        {("垫江县", "gdp", 5.562e10, "2023", "target"), ("垫江县", "industrial_output_growth", 11.2, "2023", "actual")},
    ),
    # a province's release that lists its cities is about the province; 全年力争 is the coming year
    "province": (
        "2023年,江苏全省规上工业增加值增长7.6%。全省制造业投资增长9.5%。苏州、无锡分别增长6.8%、7.2%。"
        "全年力争规上工业增加值增长6%以上。",
        D(2024, 1, 25),
        {("江苏省", "industrial_value_added_growth", 6, "2024", "target")},
    ),
    # a company's stated short name; its own output and 入库税金
    "short name": (
        "在璧山高新区的重庆凯纳光电科技有限公司(以下简称“凯纳光电”)车间里,生产线高速运转。"
        "去年凯纳光电实现产值86.4亿元,入库税金2.1亿元。",
        D(2024, 3, 14),
        {
            ("重庆凯纳光电科技有限公司", "enterprise_output", 8.64e9, "2023", "actual"),
            ("重庆凯纳光电科技有限公司", "tax_revenue", 2.1e8, "2023", "actual"),
        },
    ),
    # targets over a plan's span
    "plan span": (
        "《永川区制造业高质量发展行动方案(2024—2027年)》印发。\n到2027年,永川区规上工业产值力争突破2000亿元,"
        "年均增长10%以上;累计新培育专精特新企业200家,年均新增规上工业企业50家以上。",
        D(2024, 4, 12),
        {
            ("永川区", "industrial_output_growth", 10, "2023..2027", "target"),
            ("永川区", "new_specialized_sme_count", 200, "2024..2027", "target"),
            ("永川区", "new_enterprise_count", 50, "annual", "target"),
        },
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_context(tmp_path, case):
    body, published, expected = CASES[case]
    assert expected <= facts(tmp_path, body, published)


def test_one_figure_for_each_item_of_a_list(tmp_path):
    got = facts(tmp_path, "力争到2026年,佛山市装备制造、泛家居两大产业集群规模双双突破万亿元。", D(2023, 4, 12))
    assert [f for f in got if f[1] == "industry_output"] == [("佛山市", "industry_output", 1e12, "2026", "target")]
    p = tmp_path / "b.txt"
    p.write_text(
        "# source: x\n# title: t\n力争到2026年,佛山市装备制造、泛家居两大产业集群规模双双突破万亿元。", encoding="utf-8"
    )
    clusters = sorted(f.cluster for f in extract(read_article(p, published=D(2023, 4, 12))))
    assert clusters == ["泛家居", "装备制造"]


def test_narrative_numbers_and_summed_lists_are_not_facts(tmp_path):
    got = facts(
        tmp_path,
        "记者走进璧山高新区一家整车企业。去年,德感工业园、珞璜工业园、双福工业园三大园区分别实现规上工业产值"
        "612亿元、455亿元、318亿元。",
        D(2024, 1, 29),
    )
    assert all(f[2] != 1 for f in got)
    assert ("双福工业园", "industrial_output", 3.18e10, "2023", "actual") in got


def test_this_year_so_far_and_the_end_of_the_year_under_review(tmp_path):
    got = facts(tmp_path, "今年,沙坪坝区新认定市级智能工厂3个。", D(2024, 11, 20))
    assert ("沙坪坝区", "new_smart_factory_count", 3, "2024-01..2024-11", "actual") in got
    got = facts(tmp_path, "2024年,北碚区规上工业增加值增长7.6%。年末全区规模以上工业企业416家。", D(2025, 3, 20))
    assert ("北碚区", "enterprise_count", 416, "as_of:2024-12", "actual") in got


def test_a_milestone_names_the_measure_of_the_figure_after_it(tmp_path):
    got = facts(tmp_path, "2024年,开州区汽车零部件产业产值首次突破百亿元大关,达到106.8亿元。", D(2025, 1, 10))
    assert {f[2] for f in got} == {1.068e10}


def test_a_benchmark_s_figure_in_brackets_and_last_year_s_in_brackets(tmp_path):
    got = facts(
        tmp_path,
        "上半年,宝鸡市规模以上工业增加值同比增长6.4%,增速较去年同期(4.1%)加快2.3个百分点,"
        "高于全省平均增速(5.0%)1.4个百分点。",
        D(2024, 7, 20),
    )
    assert ("宝鸡市", "industrial_value_added_growth", 4.1, "2023-01..2023-06", "actual") in got
    assert ("陕西省", "industrial_value_added_growth", 5.0, "2024-01..2024-06", "actual") in got


def test_a_headline_s_round_figure_is_the_body_s_exact_one(tmp_path):
    got = facts(
        tmp_path,
        "江津区去年规上工业总产值突破1700亿元\n2023年,江津区规上工业总产值1726.4亿元,增长8.9%。",
        D(2024, 1, 29),
    )
    assert {f[2] for f in got if f[1] == "industrial_output"} == {1.7264e11}


@pytest.mark.parametrize(
    "body,entity",
    [
        ("长安汽车上半年新能源汽车销量达到11.8万辆。", "长安汽车"),  # a carmaker's brand opening the sentence
        ("龙头企业宝钛集团2023年实现营业收入93.2亿元。", "宝钛集团"),  # the role is not part of the name
    ],
)
def test_brands_and_roles(tmp_path, body, entity):
    got = facts(tmp_path, body, D(2024, 7, 20))
    assert {f[0] for f in got} == {entity}


def test_a_bare_threshold_passed_gives_way_to_the_figure_after_it(tmp_path):
    got = facts(tmp_path, "2022年,万盛经开区规上工业总产值突破300亿元,达到312.5亿元,同比增长15.6%。", D(2023, 2, 15))
    assert ("万盛经开区", "industrial_output", 3.125e10, "2022", "actual") in got
    assert 3e10 not in {f[2] for f in got}


PUBLISHERS = {
    # the text names no place: the publisher, from the page's furniture (its site name, its copyright line)
    "furniture": (
        "重庆市江津区人民政府 | 首页 | 政务公开\n一季度,全区规模以上工业总产值425.6亿元,同比增长35.2%。\n"
        "版权所有:重庆市江津区人民政府办公室\n",
        "https://www.example.com/a.html",
        "江津区",
    ),
    # a city's own gov.cn domain by initials that name one city only
    "initials": ("前三季度,全市规模以上工业增加值同比增长7.8%。\n", "http://tjj.xa.gov.cn/a.html", "西安市"),
    # a full pinyin label right under gov.cn is a city before a county of the same sound elsewhere
    "full pinyin": ("1-7月,全市规模以上工业增加值同比增长7.8%。\n", "http://tjj.changzhou.gov.cn/a.html", "常州市"),
    # a page naming no place that speaks of 全市, on no other government's site: the pack's city
    "pack city": (
        "全年工业增加值2036.40亿元,比上年增长19.8%,占全市生产总值的40.0%。\n",
        "https://a.example.com/2009-04/27/1.htm",
        "重庆市",
    ),
    # ... but not on another government's site it cannot read
    "not the pack's": (
        "全年工业增加值236.4亿元,比上年增长9.8%,占全市生产总值的40.0%。\n",
        "http://tjj.qqq.gov.cn/a.htm",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(PUBLISHERS))
def test_the_publisher_of_a_page_that_names_no_place(tmp_path, case):
    body, address, entity = PUBLISHERS[case]
    got = facts(tmp_path, body, D(2023, 10, 20), address=address)
    assert {f[0] for f in got} == ({entity} if entity else set())


def test_a_whole_year_published_early_the_next_year_is_the_year_just_ended(tmp_path):
    got = facts(tmp_path, "全年,全市规模以上工业增加值比上年增长8.1%。", D(2024, 3, 1))
    assert {f[3] for f in got} == {"2023"}
