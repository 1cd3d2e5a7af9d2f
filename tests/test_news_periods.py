"""Periods: explicit years, spans resolved against the article date, plans, stocks, article dates."""

import datetime as dt

import pytest

from zhizao.ingest.news.times import as_of, date_from_address, find_date, find_times, period_of

D = dt.date(2024, 7, 9)


def first(text, date=D):
    ts = [t for t in find_times(text) if t.kind != "date"]
    assert ts, text
    return period_of(ts[0], date)


@pytest.mark.parametrize(
    "text, date, period",
    [
        ("今年1月至5月,全区技改投资增长19.7%", D, "2024-01..2024-05"),
        ("前三季度,重庆新增专精特新企业", dt.date(2023, 12, 6), "2023-01..2023-09"),
        ("2023年,江北规上工业总产值", D, "2023"),
        ("2023年1月至7月,全市规上工业增加值", D, "2023-01..2023-07"),
        ("1-10月,重庆市规模以上工业", None, "????-01..????-10"),
        ("今年上半年,九龙坡区实现", dt.date(2015, 8, 3), "2015-01..2015-06"),
        ("一季度两江新区汽车产业", dt.date(2022, 4, 21), "2022-01..2022-03"),
        ("2011年一季度,梁平工业园区", None, "2011-01..2011-03"),
        ("去年全区工业招商引资", dt.date(2023, 2, 9), "2022"),
        ("10月份当月实现增加值", None, "????-10..????-10"),
        ("前两个月,全市", dt.date(2022, 3, 28), "2022-01..2022-02"),
        ("“十四五”时期,大足区年均GDP增长6.6%", dt.date(2025, 12, 25), "2021..2025"),
        ("到2027年,江北规上工业总产值将突破", D, "2027"),
    ],
)
def test_periods(text, date, period):
    assert first(text, date) == period


def test_span_after_the_article_date_is_last_year():
    assert first("前三季度全市工业增加值", dt.date(2020, 1, 20)) == "2019-01..2019-09"


def test_since_is_not_a_period():
    assert [t for t in find_times("延续了2010年以来的强劲增长态势") if t.kind not in ("since",)] == []


def test_as_of():
    assert as_of(dt.date(2024, 6, 24)) == "as_of:2024-06"
    assert as_of(None) == "as_of:????-??"
    assert as_of(dt.date(2022, 4, 6), "2021") == "as_of:2021-12"


def test_article_dates():
    assert find_date("来源:华龙网2023-12-06\n正文") == dt.date(2023, 12, 6)
    assert find_date("重庆市九龙坡区统计局\n2024年3月28日\n2023年,全区") == dt.date(2024, 3, 28)
    assert find_date("6月24日上午,在重庆") is None
    assert date_from_address("http://news.cq.fang.com/2015-08-03/16812221.htm") == dt.date(2015, 8, 3)
    assert date_from_address("http://big5.news.cn/gate/big5/cq.news.cn/20251225/c.html") == dt.date(2025, 12, 25)
    assert date_from_address("http://www.cztjsr.com/news/liangping/2011/04/content16658.html") == dt.date(2011, 4, 1)
    assert date_from_address("http://m.014i.cn/news/174894.html") is None
