"""When a figure holds (ingest/news/period.py): the specification table.

The article's date is settled once (--published, the pack, the dateline in the text, the address) and
every relative expression is resolved against it. Each row: a text, its date (None: undated), the address
it was published at, the figure as written, and the period of the fact schema."""

import datetime as dt

import pytest

from news_spec import fact_of
from zhizao.ingest.news.period import document_date

D = dt.date

TABLE = [
    # relative expressions against the article's date
    ("今年1月至5月,全区技改投资增长19.7%。", D(2024, 7, 9), None, "19.7%", "2024-01..2024-05"),
    ("前三季度,全区工业投资增长8%。", D(2023, 12, 6), None, "8%", "2023-01..2023-09"),
    ("去年全区规上工业总产值增长9%。", D(2023, 2, 9), None, "9%", "2022"),
    ("今年以来,全区新增专精特新企业12家。", D(2024, 10, 12), None, "12家", "2024-01..2024-10"),
    # a year in Chinese digits is a year
    ("二〇二三年,全区规上工业总产值突破1500亿元。", D(2024, 2, 1), None, "1500亿元", "2023"),
    # the end of a five-year plan is the plan's last year
    ("“十四五”末,全区规上工业产值达到3000亿元。", D(2023, 2, 2), None, "3000亿元", "2025"),
    # an outlook for the whole year is of the article's year
    ("上半年全区完成规上工业产值812亿元,预计全年将突破1700亿元。", D(2023, 8, 2), None, "1700亿元", "2023"),
    # no date at all: the year is unknown (a year told as history does not settle it)
    ("2006年经国家发改委批准为省级开发区。今年1—3月,全区工业投资增长20%。", None, None, "20%", "????-01..????-03"),
    # …a year only in the address settles it
    (
        "1-8月,全区工业总产值同比增长13%。",
        None,
        "http://3g.example.cn/news/201109/67518.shtml",
        "13%",
        "2011-01..2011-08",
    ),
    # …and so does a figure caption's series of years, in a communiqué
    ("图4 2018年—2022年粮食产量\n全年工业增加值比上年增长16.8%。", None, None, "16.8%", "2022"),
    # stocks: at the end of the month said, or of the year under review
    ("截至6月底,全区规上工业企业达到652家。", D(2024, 7, 9), None, "652家", "as_of:2024-06"),
    ("截至2024年6月底,全区规上工业企业达到652家。", D(2024, 7, 20), None, "652家", "as_of:2024-06"),
    ("截止到2023年底,全区规上工业企业达到652家。", D(2024, 7, 20), None, "652家", "as_of:2023-12"),
    ("截至2024年9月末,全区工业投资增长12%。", D(2024, 10, 20), None, "12%", "2024-01..2024-09"),
    ("到2025年6月底,全区规上工业企业将达到700家。", D(2024, 7, 20), None, "700家", "2025"),
    ("图4 2018年—2022年粮食产量\n134家规模以上工业企业实现总产值1368.4亿元。", None, None, "134家", "as_of:2022-12"),
    # a signing ceremony's figures hold for its month
    (
        "6月28日,发展对接活动在长寿区举行。活动现场共签约项目46个、总投资额406亿元。",
        D(2024, 6, 28),
        None,
        "46个",
        "2024-06..2024-06",
    ),
    # targets: the year set, a plan's span for an average, none for a goal with no date
    ("到2027年,全区规上工业总产值力争突破3000亿元。", D(2024, 3, 15), None, "3000亿元", "2027"),
    ("全区地区生产总值正朝着2000亿元的新台阶迈进。", D(2022, 7, 19), None, "2000亿元", None),
    # a five-year plan's 年均 growth spans the plan; a year named in the figure's own clause wins over it
    (
        "“十三五”期间,全市规上工业增加值年均增长8.5%,2020年规上工业总产值达到2.1万亿元。",
        D(2021, 3, 5),
        None,
        "8.5%",
        "2016..2020",
    ),
    (
        "“十三五”期间,全市规上工业增加值年均增长8.5%,2020年规上工业总产值达到2.1万亿元。",
        D(2021, 3, 5),
        None,
        "2.1万亿元",
        "2020",
    ),
    ("到2025年,全市规上工业总产值年均增长6%左右,新增专精特新企业20家。", D(2021, 9, 10), None, "20家", "2025"),
    # an address with one-digit month and day
    (
        "上半年,我区规上工业实现总产值520.3亿元。",
        None,
        "http://www.example.gov.cn/art/2019/7/25/art_1366_123.html",
        "520.3亿元",
        "2019-01..2019-06",
    ),
    # spans said other ways
    ("一至三季度,全区工业投资增长9.8%。", D(2023, 11, 15), None, "9.8%", "2023-01..2023-09"),
    ("截至10月末,全区工业投资增长9.8%。", D(2023, 11, 15), None, "9.8%", "2023-01..2023-10"),
    ("截至9月,全区规上工业产值增长8%。", D(2024, 10, 12), None, "8%", "2024-01..2024-09"),
    ("去年全年,全区工业投资增长9.8%。", D(2023, 11, 15), None, "9.8%", "2022"),
    ("到今年底,全区规上工业企业将达到500家。", D(2023, 11, 15), None, "500家", "2023"),
    # a single month, and the cumulative figure after it
    ("11月份当月完成产值444.8亿元,累计完成产值4251.2亿元。", D(2011, 12, 20), None, "4251.2亿元", "2011-01..2011-11"),
]

# A figure with no time of its own and its growth in the same clause take one period: the year the article reports
# on (news-dev: an undated statistics line takes the year of the paragraphs around it); a figure that qualifies a
# noun (首个…产值超千亿的区县) states no time and has none.
NO_TIME = "全区实现规上工业总产值1200亿元,同比增长8.5%。"
ONE_CLAUSE = [
    (NO_TIME, D(2024, 7, 1), "1200亿元", "8.5%", "2024"),
    # …told in January or February: the year just ended (as a 全年 figure told early in the next year)
    (NO_TIME, D(2024, 1, 25), "1200亿元", "8.5%", "2023"),
    ("2023年,璧山区工业经济稳中向好。" + NO_TIME, D(2024, 3, 1), "1200亿元", "8.5%", "2023"),
    ("全区力争实现规上工业总产值1500亿元,增长12%。", D(2024, 1, 20), "1500亿元", "12%", "2024"),
]


@pytest.mark.parametrize("text, published, amount, growth, period", ONE_CLAUSE)
def test_an_amount_and_its_growth_take_one_period(text, published, amount, growth, period):
    assert fact_of(text, amount, published).period == period
    assert fact_of(text, growth, published).period == period


def test_a_year_the_headline_states_is_stated():
    # an undated page whose title names the year it reviews: 全年 is that year
    c = fact_of("全年规上工业总产值增长6.1%。", "6.1%", None, title="2023年璧山区工业经济运行情况")
    assert c.period == "2023"
    assert fact_of("全年规上工业总产值增长6.1%。", "6.1%", None).period == "????"


def test_a_figure_that_qualifies_a_noun_states_no_time():
    c = fact_of("涪陵作为全市首个材料产业产值超千亿的区县,正在打造先进材料产业集群。", "千亿", D(2024, 3, 1))
    assert c.period is None
    # a threshold of the statistics' scope (主营业务收入2000万元及以上的工业法人单位) is not a figure at all
    assert fact_of("统计范围为年主营业务收入2000万元及以上的工业法人单位。", "2000万元", D(2024, 3, 1)) is None


@pytest.mark.parametrize("text, published, address, figure, period", TABLE)
def test_period(text, published, address, figure, period):
    c = fact_of(text, figure, published, address=address)
    assert c is not None and c.period == period


@pytest.mark.parametrize(
    "published, known, body, address, expected",
    [
        (D(2024, 6, 24), None, "来源:新闻网 2023-12-06", None, (D(2024, 6, 24), "option")),
        (None, None, "来源:新闻网 2023-12-06\n今年…", "http://x.cn/2022-06/13/a.html", (D(2023, 12, 6), "text")),
        (None, None, "今年…", "http://x.cn/2022-06/13/a.html", (D(2022, 6, 13), "address")),
        (None, None, "今年…", "http://x.cn/a.html", (None, None)),
        (None, None, "2023.05.12 来源:区经信委\n今年…", None, (D(2023, 5, 12), "text")),
        (None, None, "今年产值12.5亿元,增长2023.5%", None, (None, None)),
        (None, None, "今年…\n区经济信息委\n二〇二三年五月十二日", None, (D(2023, 5, 12), "text")),
    ],
)
def test_document_date_comes_from_one_place(published, known, body, address, expected):
    assert document_date(published, known, body, address) == expected


def test_a_year_alone_in_the_address_settles_an_undated_page():
    from news_spec import fact_of

    c = fact_of(
        "前三季度,全区规上工业增加值增长8%。", "8%", None, address="http://www.example.gov.cn/news/2016/abc123.html"
    )
    assert c.period == "2016-01..2016-09"
    # an article number that looks like a year in the future is not one
    c = fact_of("前三季度,全区规上工业增加值增长8%。", "8%", None, address="http://www.example.gov.cn/news/2090.html")
    assert c.period == "????-01..????-09"


def test_machine_reworded_terms_are_read_as_the_usual_ones():
    from news_spec import fact_of

    c = fact_of("一季度,全区範圍以上工業增加值增長8.7%。", "8.7%", None)
    assert c.choice.metric == "industrial_value_added_growth" and "範圍以上工業" in c.doc.art.clean.quote(
        *c.quote_span()
    )


def test_a_review_of_the_last_ten_years_dates_from_a_to_b_and_its_yearly_average(tmp_path):
    """十年来 said in 2022 with no year of its own: 从A增加到B is A in 2012 and B in 2021, 年均 is 2012..2021."""
    from zhizao.ingest.news.extract import extract, read_article

    p = tmp_path / "a.txt"
    p.write_text(
        "# source: http://example.org/a\n# title: 这十年\n十年来,黔江区工业经济稳步发展。\n"
        "全区地区生产总值从152亿元增加到268亿元,年均增长6.5%。\n",
        encoding="utf-8",
    )
    got = {(f.metric, round(f.value, 1), f.period) for f in extract(read_article(p, published=dt.date(2022, 8, 1)))}
    assert got == {("gdp", 1.52e10, "2012"), ("gdp", 2.68e10, "2021"), ("gdp_growth", 6.5, "2012..2021")}
