"""Quantities: Chinese numerals, 亿/万亿/千亿, percentages, counts, qualifiers, size classes."""

import pytest

from zhizao.ingest.news.quantities import cn_to_number, find_quantities


@pytest.mark.parametrize(
    "s, v",
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("两千", 2000),
        ("一百五十", 150),
        ("三百零五", 305),
        ("1.5", 1.5),
        ("一万二千", 12000),
        ("八点二", 8.2),  # a decimal point in words: the digits after 点 one by one
        ("十二点零五", 12.05),
        ("零点五", 0.5),
        ("八点", None),  # nothing after 点: not a number
    ],
)
def test_chinese_numerals(s, v):
    assert cn_to_number(s) == v


def one(text):
    qs = [q for q in find_quantities(text) if not q.descriptor]
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("实现工业总产值537.8亿元", 537.8e8, "yuan"),
        ("实现产值1,234.5亿元", 1234.5e8, "yuan"),  # thousands separators
        ("完成投资12,345万元", 12345e4, "yuan"),
        ("工业增加值增长-2.3%", -2.3, "percent"),  # a minus sign right after a word
        ("产值达50多亿元", 50e8, "yuan"),  # 多/余 between the number and its scale (qualifier over)
        ("产值30余亿", 30e8, "yuan"),
        ("产值为123.4亿元人民币", 123.4e8, "yuan"),
        ("规上工业总产值预计1.8万亿元", 1.8e12, "yuan"),
        ("材料产业产值超千亿的区县", 1e11, "yuan"),
        ("工业总产值突破万亿关口", 1e12, "yuan"),
        ("完成投资7.9亿元", 7.9e8, "yuan"),
        ("税收500万元", 5e6, "yuan"),
        ("年产值达到26亿美元以上", 26e8, "usd"),
        ("规上工业产值突破2700亿", 2700e8, "yuan"),
        ("技改投资增长19.7%", 19.7, "percent"),
        ("新材料产业产值占总产值近六成", 60, "percent"),
        ("占重庆市比重超1/4", 25, "percent"),
        ("国家级高新技术企业351家", 351, "count"),
        ("生产汽车6.38万辆", 63800, "vehicle"),
        # a percentage in words, as official texts write it
        ("规上工业增加值增长百分之八点二", 8.2, "percent"),
        ("工业投资增长百分之十二", 12, "percent"),
        ("技改投资增长百分之8.5", 8.5, "percent"),
        ("产销率达到百分之九十九点二", 99.2, "percent"),
        ("增长百分之零点五", 0.5, "percent"),
        ("产值达到5.6亿余元", 5.6e8, "yuan"),  # 余/多 after the scale: more than that
        ("新能源汽车产量增长一倍", 100, "percent"),  # a multiple in words
        ("新能源汽车产量增长两倍", 200, "percent"),
    ],
)
def test_values_in_base_units(text, value, unit):
    q = one(text)
    assert q.value == pytest.approx(value)
    assert q.unit == unit


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("总产值突破1500亿元大关", "over"),
        ("集聚科创企业超2000家", "over"),
        ("集聚了50多家核心零部件企业", "over"),
        ("市级企业技术中心累计已多达上千家", "over"),
        ("产值达到340亿元左右", "about"),
        ("增长10%以上", "at_least"),
        ("达产后年销售额不低于10亿元", "at_least"),
        ("占总产值近六成", "about"),
        ("产值达到5.6亿余元", "over"),
        ("规上工业产值上百亿元", "over"),
    ],
)
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


def test_size_classes():
    q = one("涪陵区打造2000亿级先进材料产业集群")
    assert q.level and q.value == 2000e8 and q.qualifier == "level"
    q = one("当前正在打造先进材料、动力电池两大千亿级主导产业集群")
    assert q.level and q.value == 1e11 and q.multiplier == 2
    q = one("其中先进材料就是3大万亿级产业集群之一")
    assert q.value == 1e12 and q.multiplier == 1


def test_descriptors_are_not_figures():
    qs = find_quantities("百亿级企业4户、税收500万元以上企业6家、8个百亿项目开工")
    figures = [(q.value, q.unit) for q in qs if not q.descriptor]
    assert figures == [(4, "count"), (6, "count"), (8, "count")]


def test_ranks_and_multiples_are_not_figures():
    assert [q for q in find_quantities("居全市第3位,集成电路增长5.2倍") if q.unit != "percent"] == []
