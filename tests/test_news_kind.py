"""Kind: a target when the sentence sets a goal in the future."""

import datetime as dt

import pytest

from zhizao.ingest.news.kind import is_target

D = dt.date(2024, 6, 24)


@pytest.mark.parametrize(
    "before, target",
    [
        ("到2027年,江北规上工业总产值将突破", True),
        ("我们的目标是,到2027年全区智能网联新能源汽车产业集群产值要破", True),
        ("达州市将力争实现规上工业增加值增长", True),
        ("预计全年工业总产值有望突破", True),
        ("该项目达产后年销售额不低于", True),
        ("2023年,江北规上工业总产值已经突破了", False),
        ("今年1月至5月,全区技改投资增长", False),
        ("到2020年底,全市累计建成", False),  # a year before the article date: looking back
        ("截至2024年6月底,全区规上工业企业达到", False),  # the date a stock is counted at, not a goal
        ("到2025年6月底,全区规上工业企业将达到", True),
    ],
)
def test_kind(before, target):
    assert is_target(before, D) is target


# The kind decision on a whole figure (ingest/news/kind.decide): a size class, a project's investment or
# output at full production, and a goal its sentence sets are targets.
DECISIONS = [
    ("到2027年,全区规上工业总产值将突破2300亿元大关。", "2300亿元", "target"),
    ("2023年,全区规上工业总产值已经突破了1500亿元。", "1500亿元", "actual"),
    ("全区正加快打造2000亿级先进材料产业集群。", "2000亿级", "target"),
    ("该项目达产后年销售额不低于10亿元。", "10亿元", "target"),
    ("全区地区生产总值正朝着2000亿元的新台阶迈进。", "2000亿元", "target"),
    ("预计全年工业总产值有望突破800亿元。", "800亿元", "target"),
    ("今年1月至5月,全区技改投资增长19.7%。", "19.7%", "actual"),
]


@pytest.mark.parametrize("text, figure, kind", DECISIONS)
def test_kind_of_a_figure(text, figure, kind):
    from news_spec import fact_of

    c = fact_of(text, figure, D)
    assert c is not None and c.kind == kind


@pytest.mark.parametrize(
    "before, date, target",
    [
        # the end of a five-year plan: a goal while the plan runs, a result once it is over
        ("“十四五”末,全区规上工业产值达到", dt.date(2023, 2, 2), True),
        ("“十三五”末,全区规上工业产值达到", dt.date(2023, 2, 2), False),
        # 今年 in a January article: the year has barely begun, its figures are goals
        ("今年全区规上工业增加值增长", dt.date(2024, 1, 20), True),
        ("今年以来,全区新增规上工业企业", dt.date(2024, 1, 20), False),
        ("今年1月,全区规上工业产值", dt.date(2024, 1, 28), False),
        ("今年全区规上工业增加值增长", dt.date(2024, 6, 20), False),
    ],
)
def test_kind_of_plan_ends_and_of_this_year_said_in_january(before, date, target):
    assert is_target(before, date) is target
