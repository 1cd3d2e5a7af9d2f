"""Cleaning: glosses, traditional characters, duplicated bodies, page chrome, garbage input."""

# ---- where the test data lives: the pack's copies of the seed texts, and ../shared
from pathlib import Path

import pytest

from zhizao.ingest.news.clean import ArticleError, clean, decode, split_header, to_simplified

REPO = Path(__file__).resolve().parents[1]
SEED_TEXTS = REPO / "src" / "zhizao" / "reference" / "chongqing" / "texts"
SHARED = REPO.parent / "shared"
SEEDS_GOLD = SHARED / "seeds" / "gold.jsonl"
DEV = SHARED / "news-dev"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared/ folder beside the repo)")
    return path


def test_pinyin_glosses_are_removed_and_quotes_keep_them():
    original = "江北規(guī)上工業(yè)總產(chǎn)值將突破2300億元大關(guān)。"
    ct = clean(original)
    assert ct.text == "江北规上工业总产值将突破2300亿元大关。"
    i = ct.text.index("规上")
    j = ct.text.index("大关") + 2
    assert ct.quote(i, j) == "規(guī)上工業(yè)總產(chǎn)值將突破2300億元大關(guān)"
    assert ct.quote(i, j) in original


def test_brackets_that_are_not_pinyin_stay():
    ct = clean("实现地区生产总值(GDP)588.6亿元(以下简称“核心区”)。")
    assert "(GDP)" in ct.text and "(以下简称" in ct.text


def test_traditional_to_simplified_keeps_offsets():
    original = "兩江新區規模以上工業增加值增長12%,佔全市比重覈心區産值"
    ct = clean(original)
    assert ct.text.startswith("两江新区规模以上工业增加值增长12%,占全市比重核心区产值")
    assert len(ct.starts) == len(ct.text)
    k = ct.text.index("增长")
    assert ct.quote(k, k + 5) == "增長12%"


def test_to_simplified_is_one_to_one():
    s = "臺灣發展與製造業產業鏈"
    assert len(to_simplified(s)) == len(s)


def test_duplicated_body_kept_once():
    body = "今年1月至5月,全区技改投资增长19.7%,工业投资增长达到82%。"
    page = f"标题\n{body}\n\n推荐 | 要闻 重庆 两江评 | 区县 教育 文艺 | 健康 财经 生活\n{body}\n"
    ct = clean(page)
    assert ct.text.count("19.7%") == 1
    assert ct.duplicate_lines == 1


def test_page_chrome_dropped():
    page = (
        "当前位置:首页 > 新闻 > 重庆新闻 > 正文\n"
        "全区规上工业总产值增长10%。\n"
        "推动制造业高质量发展片区现场会议在重庆璧山区召开。华龙网-新重庆客户端记者 伊永军 摄\n"
        "[责任编辑: 向含嫣 ]\n"
        "版权声明:未经本网授权,不得转载。\n"
        "推荐\n"
        "四天狂买300亿!\n"
        "上市公司理财同比下降46.78%\n"
    )
    ct = clean(page)
    assert "增长10%" in ct.text
    for junk in ("当前位置", "伊永军", "责任编辑", "版权", "300亿", "46.78"):
        assert junk not in ct.text, junk


def test_doubled_commas_of_glossed_mirrors_collapse():
    ct = clean("冬季來臨,,氣溫陡降,。但在西安")
    assert ct.text == "冬季来临,气温陡降。但在西安"
    assert ct.quote(0, len(ct.text)) == "冬季來臨,,氣溫陡降,。但在西安"


def test_header_lines_are_split_off():
    meta, body = split_header("# source: http://example.com/2015-08-03/1.htm\n# title: 标题\n正文")
    assert meta == {"address": "http://example.com/2015-08-03/1.htm", "title": "标题"}
    assert body == "正文"
    meta, _ = split_header("# source: x\n# title: (no title in stored excerpt)\n正文")
    assert "title" not in meta


def test_seed001_quotes_are_substrings_of_the_original():
    raw = (SEED_TEXTS / "seed001.txt").read_text(encoding="utf-8")
    ct = clean(raw)
    for word in ("累计认定国家级高新技术企业351家", "到2027年,江北规上工业总产值将突破2300亿元大关"):
        i = ct.text.index(word)
        q = ct.quote(i, i + len(word))
        assert q in raw and "(" in q  # glosses kept inside the quote


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("重庆江北区规上工业总产值增长10%".encode("gbk"), "GBK"),
        (b"plain english text only", "no Chinese"),
    ],
)
def test_garbage_input_gets_a_clear_message(data, message):
    with pytest.raises(ArticleError, match=message):
        decode(data)


def test_gbk_can_be_read_when_asked():
    assert decode("江北区".encode("gbk"), "gb18030") == "江北区"


def test_too_large(monkeypatch):
    import zhizao.ingest.news.clean as C

    monkeypatch.setattr(C, "MAX_BYTES", 100)
    with pytest.raises(ArticleError, match="too large"):
        decode("江北".encode() * 100)


def test_html_pages_are_read_and_quotes_point_into_the_page():
    page = (
        "<html><head><title>江北</title><script>var a = '100亿元';</script></head><body>"
        "<div class='nav'>首页 &gt; 新闻</div><p>2023年,江北规上工业总产值已经突破了1500亿元大关。</p>"
        "<p>到2027年,江北规上&nbsp;工业总产值将突破<b>2300</b>亿元大关。</p></body></html>"
    )
    ct = clean(page)
    assert "var a" not in ct.text and "<" not in ct.text
    assert "江北规上工业总产值已经突破了1500亿元大关" in ct.text
    i = ct.text.index("到2027年")
    j = ct.text.index("大关", i) + 2
    q = ct.quote(i, j)
    assert q in page and q.startswith("到2027年") and q.endswith("大关") and "<b>2300</b>" in q


def test_the_neighbours_headlines_and_listed_headlines_with_their_dates_are_page_furniture():
    page = (
        "上半年,全区规上工业总产值完成812.3亿元。\n"
        "上一篇:江北区一季度工业投资增长15%\n"
        "下一篇:渝北区上半年规上工业产值突破1000亿元\n"
        "· 沙坪坝区上半年汽车产量增长12%(2023-07-25)\n"
    )
    text = clean(page).text
    assert "812.3亿元" in text
    assert "15%" not in text and "1000亿元" not in text and "12%" not in text
