"""Perturbation tests: the reader on variants of the annotated articles that no rule was written for.

Every gold fact of the seeds and of news-dev is carried into variants an unseen article could
plausibly be: another district or city (from the pack and jionlp's location table), a Chongqing
article moved to another province, other figures, the same figures in other units and Chinese
numerals, other years (with the matching --published date), other wordings of the same period,
synonyms of the measures, the other script, pinyin glosses, page chrome, a repeated body, the
subject moved before the time, other paragraphing, distractor sentences that the annotation
rules exclude, and ("rewrite") each gold fact said again in a standard wording of its metric in a
new short article. The expected facts of a variant are the original gold facts with the same
substitution (tools/news_eval/perturb.py), so nothing here is written for one sentence.

A variant *passes* when every fact the reader finds in the original article is found again
(transformed) and no new false fact appears. The floors below sit a little under the measured pass
rates; `benchmarks/extraction_eval.py GOLD DIR --perturb` prints the full table.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from news_eval import perturb as P
from news_eval import sets
from zhizao.ingest.news.clean import clean
from zhizao.ingest.news.extract import extract, read_article

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "news-dev"

# pass-rate floors per family (measured with one variant per family and article: see the module doc)
FLOORS = {
    "entity": 0.93,
    "foreign": 0.90,
    # number: 0.88 since tables read their unit from a figure the text states (444.8亿元 = 4448189 万元): a variant
    # that renumbers the text but not the table's total row (dev045) loses the table, and one that renumbers a
    # figure a table repeats (dev002) keeps both
    "number": 0.86,
    "unit": 0.95,
    "year": 0.95,
    "period": 0.90,
    "synonym": 0.95,
    "script": 0.97,
    "pinyin": 0.97,
    "chrome": 0.97,
    "duplicate": 0.97,
    "reorder": 0.90,
    "paragraphs": 0.93,
    "distractor": 0.97,
    "rewrite": 0.90,
}
# strict F1 pooled over every variant: 0.750 on the seeds and the development articles (it follows the reader's
# F1 on the originals, 0.947 on dev001–dev030 but 0.262 on the odd dev031–dev059)
VARIANT_F1_FLOOR = 0.72


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def family_stats():
    """Variants of the seeds and the development articles only: the held-out half (even dev032–dev060) is
    never perturbed, and so never printed in a failure message."""
    if not sets.available():
        pytest.skip("the shared/ folder with the seeds and news-dev is not beside the repo")
    gold = sets.gold("seeds") + sets.gold("development")
    files = sets.files("seeds") + sets.files("development")
    assert not any(sets.is_held_out(f.stem) for f in files)
    return P.evaluate(gold, files, P.FAMILIES, seeds=(0,))


@pytest.mark.parametrize("family", P.FAMILIES)
def test_family_pass_rate(family_stats, family):
    s = family_stats[family]
    assert s["variants"] > 0, family
    rate = s["passed"] / s["variants"]
    assert rate >= FLOORS[family], (family, rate, s["failures"][:3])


def test_variants_f1(family_stats):
    tp = sum(s["tp"] for s in family_stats.values())
    fp = sum(s["fp"] for s in family_stats.values())
    fn = sum(s["fn"] for s in family_stats.values())
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert 2 * p * r / (p + r) >= VARIANT_F1_FLOOR


# ------------------------------------------------------------------ the perturbations themselves
def test_chinese_numerals():
    assert [P.to_cn_numeral(n) for n in (3, 10, 12, 20, 105, 2024, 30000)] == [
        "三",
        "十",
        "十二",
        "二十",
        "一百零五",
        "二千零二十四",
        "三万",
    ]


def test_names_match_in_either_script_and_with_glosses():
    rx = P._name_rx("龙泉驿")
    assert rx.search("成都市龍(lóng)泉(quán)驛(yì)區")
    assert rx.search("龙泉驿区") and rx.search("龍泉驛")


def test_pinyin_glosses_added_are_removed_by_the_cleaner():
    text = "今年1至5月,全区技改投资增长19.7%,战略性新兴产业产值增长12%。"
    glossed = P.add_pinyin(text)
    assert glossed != text and "(" in glossed
    assert clean(glossed).text == text


def test_year_shift_moves_periods_but_not_plan_spans():
    gold = [{"period": "2023-01..2023-06"}, {"period": "2021..2025"}, {"period": "as_of:2023-12"}]
    text = "“十四五”以来,2023年上半年,全区规上工业产值增长8%。"
    new, g = P._shift_years(text, gold, -2)
    assert "2021年上半年" in new
    assert [x["period"] for x in g] == ["2021-01..2021-06", "2021..2025", "as_of:2021-12"]


def test_renumbered_gold_follows_the_text():
    body = "2023年上半年,九龙坡区实现规上工业总产值460.3亿元,同比增长11%,有规上工业企业26家。"
    gold = [{"unit": "yuan", "value": 46030000000}, {"unit": "percent", "value": 11}, {"unit": "count", "value": 26}]
    import random

    new, g = P._renumber(body, gold, random.Random(1))
    assert new != body
    for x in g:
        assert x["value"] != 0
    facts = extract(read_article(data=("# title: x\n" + new).encode(), article_id="t", published=dt.date(2023, 7, 20)))
    vals = {round(f.value, 2) for f in facts}
    assert {round(float(x["value"]), 2) for x in g} <= vals


# ------------------------------------------------------------------ reader fixes the families found
def _facts(text: str, published=dt.date(2023, 7, 20)):
    return extract(read_article(data=text.encode("utf-8"), article_id="t", published=published))


def test_title_is_cleaned_before_names_are_counted():
    # a glossed traditional title must name the park, not the district its name starts with
    body = (
        "梁平工業(yè)園區(qū)一季度經(jīng)濟(jì)運(yùn)行分析\n\n"
        "2023年一季度,梁平工業園區實現工業總產值7億元,同比增長15.8%。\n"
    )
    facts = _facts("# title: 梁平工業(yè)園區(qū)一季度經(jīng)濟(jì)運(yùn)行分析\n" + body)
    assert {f.entity for f in facts} == {"梁平工业园区"}


def test_gloss_with_bare_u_umlaut_is_removed():
    assert clean("战略(lüè)性新兴产业").text == "战略性新兴产业"


def test_notice_at_the_end_of_a_flattened_page_keeps_the_article():
    line = (
        "今年1至5月,沙坪坝区技改投资增长19.7%,工业投资增长达到82%。" * 4
        + "郑重声明:此文内容为本网站转载企业宣传资讯,与本站立场无关。"
    )
    ct = clean(line)
    assert "19.7%" in ct.text and "郑重声明" not in ct.text


def test_one_sentence_per_line_keeps_subject_and_time():
    lines = [
        "重庆市工业经济稳步增长",
        "2021年,全市规上工业增加值增长10.7%。",
        "2021年上半年,沙坪坝区实现规上工业产值600亿元。",
        "新增智能工厂2个。",
    ]
    for sep in ("", "\n"):  # one paragraph, or one sentence per line
        text = "# title: t\n" + lines[0] + "\n" + lines[1] + "\n" + sep.join(lines[2:]) + "\n"
        facts = _facts(text, dt.date(2022, 2, 1))
        g = [f for f in facts if f.metric == "new_smart_factory_count"]
        assert g and g[0].entity == "沙坪坝区" and g[0].period == "2021-01..2021-06", (sep, g)


def test_short_park_name_is_the_full_park():
    text = (
        "# title: t\n2023年一季度,梁平工业园区实现工业总产值7亿元。梁平园区规上工业企业实现产值5.34亿元,同比增长39%。\n"
    )
    facts = _facts(text)
    assert {f.entity for f in facts} == {"梁平工业园区"}


def test_counted_projects_are_not_a_named_project():
    text = "# title: t\n全市在统工业投资项目1185个,总投资规模2489亿元。在11项评优评测项目中均居全省首位。\n"
    facts = _facts(text)
    assert not [f for f in facts if f.entity_type == "enterprise"]


# ------------------------------------------------------------------ rules generalised in the audit
def test_first_time_and_scenes_are_not_blocked():
    # 次 and 场 used to block any clause containing them (首次, 场景, 市场)
    facts = _facts(
        "# title: t\n2023年,长寿区规上工业总产值首次突破1000亿元,新增智能制造示范场景12个。\n", dt.date(2024, 1, 20)
    )
    got = {(f.entity, f.metric, f.value) for f in facts}
    assert ("长寿区", "industrial_output", 1000e8) in got
    assert ("长寿区", "new_smart_scenario_count", 12) in got


def test_motorcycle_industry_output_is_not_motorcycle_production():
    facts = _facts("# title: t\n2023年,璧山区汽车摩托车产业实现产值560亿元,同比增长9.2%。\n", dt.date(2024, 1, 20))
    assert {(f.metric, f.value) for f in facts} == {("industry_output", 560e8), ("industry_output_growth", 9.2)}


def test_industries_before_a_verb_name_their_output():
    facts = _facts("# title: t\n2023年,长寿区新材料及精细化工突破800亿元。\n", dt.date(2024, 1, 20))
    assert [(f.metric, f.value) for f in facts] == [("industry_output", 800e8)]


def test_investment_of_projects_brought_in_is_attracted_investment():
    text = "# title: t\n今年以来,永川区凤凰湖产业园引进智能装备项目12个,合计投资达86亿元。\n"
    facts = _facts(text, dt.date(2023, 9, 20))
    assert [(f.metric, f.value) for f in facts if f.unit == "yuan"] == [("attracted_investment", 86e8)]
    # the total investment of projects merely started is not annotated
    facts = _facts("# title: t\n今年以来,永川区新开工工业项目12个,总投资86亿元。\n", dt.date(2023, 9, 20))
    assert not [f for f in facts if f.unit == "yuan"]


def test_list_counts_are_not_enterprise_counts():
    facts = _facts(
        "# title: t\n2023年,江津区共有3家企业上榜中国制造业企业500强,规上工业企业达到652家。\n", dt.date(2024, 1, 20)
    )
    assert [(f.metric, f.value) for f in facts] == [("enterprise_count", 652)]


def test_year_then_first_three_quarters_is_a_span():
    # 2018年前三季度 used to be read as "before 2018"
    facts = _facts("# title: t\n2018年前三季度,西安市规上工业增加值同比增长9.5%。\n", dt.date(2018, 11, 2))
    assert [(f.metric, f.period) for f in facts] == [("industrial_value_added_growth", "2018-01..2018-09")]


def test_new_inside_a_place_name_is_not_a_flow():
    facts = _facts("# title: t\n涪陵高新区现有专精特新企业10家。\n", dt.date(2023, 12, 20))
    assert [(f.metric, f.period) for f in facts] == [("specialized_sme_count", "as_of:2023-12")]


def test_stock_count_last_year():
    facts = _facts("# title: t\n去年,涪陵区现有规上工业企业420家。\n", dt.date(2023, 12, 20))
    assert [(f.metric, f.period) for f in facts] == [("enterprise_count", "2022")]


def test_short_name_of_a_district_named_in_full():
    text = (
        "# title: t\n今年一季度,成都市武侯区GDP达到182.6亿元,同比增长17.8%。\n"
        "据统计,武侯一季度实现规上工业总产值164.7亿元。\n"
    )
    facts = _facts(text, dt.date(2023, 5, 3))
    assert {f.entity for f in facts} == {"武侯区"}


def test_combined_counts_are_skipped_but_little_giants_after_and_are_not():
    facts = _facts(
        "# title: t\n今年以来,江津区新增专精特新中小企业27家和国家级专精特新“小巨人”企业4家,"
        "市级以上智慧工厂和数字化车间达到32家。\n",
        dt.date(2023, 9, 20),
    )
    assert {(f.metric, f.value) for f in facts} == {("new_specialized_sme_count", 27), ("new_little_giant_count", 4)}
