"""The publisher: a government site's address names the place a bulletin speaks for."""

import datetime as dt

import pytest

from zhizao.ingest.news.entities import gazetteer
from zhizao.ingest.news.extract import extract, read_article
from zhizao.ingest.news.site import site_of


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def names(site):
    return (site.local.name if site and site.local else None, site.city.name if site and site.city else None)


@pytest.mark.parametrize(
    "address,local,city",
    [
        ("https://public.erqi.gov.cn/D12Y/1886986.jhtml", "二七区", "郑州市"),  # full pinyin, unique in the country
        ("https://jkq.yaan.gov.cn/xinwen/show/43.html", "雅安经济技术开发区", "雅安市"),  # a zone label after its city
        ("http://www.cqhc.gov.cn/zwxx/1.html", "合川区", "重庆市"),  # cq + initials
        ("http://www.cqjlp.gov.cn/", "九龙坡区", "重庆市"),
        ("http://www.cqszx.gov.cn/", "石柱土家族自治县", "重庆市"),  # initials + the type's initial
        ("http://www.cqliangping.gov.cn/", "梁平区", "重庆市"),  # the former 梁平县 is not a rival
        ("http://www.bishan.gov.cn/", "璧山区", "重庆市"),  # 璧: pinyin from the pack
        ("http://www.longquanyi.gov.cn/", "龙泉驿区", "成都市"),
        ("http://www.chengdu.gov.cn/", None, "成都市"),  # a city's own site
        ("http://tjj.cq.gov.cn/", None, "重庆市"),  # a department of the city
    ],
)
def test_site_names_the_place_it_speaks_for(g, address, local, city):
    assert names(site_of(address, g)) == (local, city)


@pytest.mark.parametrize(
    "address",
    [
        "http://news.cq.fang.com/2015-08-03/16812221.htm",  # not a government site
        "http://www.cqqj.gov.cn/",  # qj: 綦江 or 黔江 — not guessed
        "http://www.fl.gov.cn/",  # bare initials, no city to read them in
        "not an address",
        None,
    ],
)
def test_no_place_when_the_address_does_not_settle_one(g, address):
    assert site_of(address, g) is None


def test_the_text_s_city_settles_ambiguous_and_short_labels(g):
    assert names(site_of("http://www.qianjiang.gov.cn/", g, hint=g.root)) == ("黔江区", "重庆市")
    assert names(site_of("http://www.fl.gov.cn/", g, hint=g.root)) == ("涪陵区", "重庆市")
    assert site_of("http://www.qianjiang.gov.cn/", g) is None  # 黔江区 or 湖北 潜江市


def _facts(tmp_path, address, body):
    p = tmp_path / "a.txt"
    p.write_text(f"# source: {address}\n# title: 工业经济运行情况\n{body}", encoding="utf-8")
    return extract(read_article(p, published=dt.date(2024, 5, 20)))


def test_a_bulletin_that_names_nobody_belongs_to_its_publisher(tmp_path):
    facts = _facts(
        tmp_path,
        "https://www.cqhc.gov.cn/zwgk/1.html",
        "1-4月,全区规上工业增加值同比增长8.2%。工业投资完成35.6亿元,同比增长12.4%。",
    )
    got = {(f.entity, f.metric, f.value) for f in facts}
    assert got == {
        ("合川区", "industrial_value_added_growth", 8.2),
        ("合川区", "industrial_investment", 3.56e9),
        ("合川区", "industrial_investment_growth", 12.4),
    }
    assert all(f.entity_inferred for f in facts)


def test_a_benchmark_city_in_the_text_does_not_take_the_publisher_s_figures(tmp_path):
    facts = _facts(
        tmp_path,
        "https://public.erqi.gov.cn/D12Y/1.jhtml",
        "1-4月份规模工业增加值同比增长10.9%,高于郑州市平均增速(7.9%)3个百分点。",
    )
    assert ("二七区", 10.9) in {(f.entity, f.value) for f in facts}
    assert ("二七区", 7.9) not in {(f.entity, f.value) for f in facts}


def test_a_zone_site_s_bare_zone_word_is_the_zone(tmp_path):
    facts = _facts(
        tmp_path,
        "https://jkq.yaan.gov.cn/xinwen/1.html",
        "上半年,经开区规上工业增加值同比增长23.5%,持续6个月稳居全市第一。",
    )
    assert [(f.entity, f.entity_type, f.value) for f in facts] == [("雅安经济技术开发区", "park", 23.5)]


def test_a_place_the_text_names_wins_over_the_publisher(tmp_path):
    facts = _facts(tmp_path, "https://www.cqhc.gov.cn/zwgk/1.html", "1-4月,铜梁区规上工业增加值同比增长9.1%。")
    assert [f.entity for f in facts] == ["铜梁区"]


def test_projects_completed_investment_is_industrial_investment(tmp_path):
    facts = _facts(
        tmp_path,
        "https://public.erqi.gov.cn/D12Y/1.jhtml",
        "1-4月纳入统计项目库管理工业项目28个,完成投资7.9亿元,同比增长55.1%。",
    )
    assert {(f.metric, f.value) for f in facts} == {
        ("industrial_investment", 7.9e8),
        ("industrial_investment_growth", 55.1),
    }
