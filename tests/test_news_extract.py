"""End to end: facts from the seed articles and the development set, scored like score_facts.py."""

import json
import subprocess
import sys

# ---- where the test data lives: the pack's copies of the seed texts, and ../shared
from pathlib import Path

import pytest

from news_eval import sets
from news_eval.score import norm_entity, score
from zhizao.ingest.news.extract import extract, read_article

REPO = Path(__file__).resolve().parents[1]
SEED_TEXTS = REPO / "src" / "zhizao" / "reference" / "chongqing" / "texts"
SHARED = REPO.parent / "shared"
SEEDS_GOLD = SHARED / "seeds" / "gold.jsonl"
DEV = SHARED / "news-dev"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared/ folder beside the repo)")
    return path


# Floors a little under the measured strict F1 of each real set (tools/news_eval/sets.py; measured with
# `python benchmarks/extraction_eval.py --set NAME`): a change that makes the reader worse fails here.
FLOORS = {
    "seeds": 0.99,  # 1.000
    "dev-first": 0.955,  # 0.967 after round 30 (0.964 after round 20): dev001–dev030
    "dev-second": 0.97,  # 0.981 after round 30 (0.970 after round 20): odd dev031–dev059 (0.646 before round 4)
}
# The held-out half (even dev032–dev060) is scored as a whole: its test prints nothing but the aggregate.
HELD_OUT_FLOOR = 0.49  # 0.498 after round 20 (0.493 after round 9, 0.338 before the work of issue 9)


def load(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(files):
    out = []
    for f in files:
        out.extend(x.to_dict() for x in extract(read_article(f)))
    return out


def need_sets():
    if not sets.available():
        pytest.skip("the shared/ folder with the seeds and news-dev is not beside the repo")


def test_seed_f1_stays_above_the_floor():
    gold = load(need(SEEDS_GOLD))
    pred = predict(sorted(SEED_TEXTS.glob("seed00*.txt")))
    r = score(gold, pred)
    assert r["strict"]["f1"] >= FLOORS["seeds"], r["strict"]
    assert r["lenient"]["f1"] >= FLOORS["seeds"]


@pytest.mark.parametrize("name", ["dev-first", "dev-second"])
def test_development_f1_stays_above_the_floor(name):
    need_sets()
    r = score(sets.gold(name), predict(sets.files(name)))["strict"]
    assert r["f1"] >= FLOORS[name], {k: v for k, v in r.items() if not k.startswith("_")}


def test_held_out_f1_stays_above_the_floor():
    """Aggregate only: on failure this prints two numbers, never an article's text or facts."""
    need_sets()
    r = score(sets.gold("held-out"), predict(sets.files("held-out")))["strict"]
    f1 = float(r["f1"])
    del r
    assert f1 >= HELD_OUT_FLOOR


def test_quotes_are_exact_substrings_of_the_saved_text():
    files = sorted(SEED_TEXTS.glob("seed00*.txt"))
    if DEV.exists():
        files += sorted((DEV / "articles").glob("dev*.txt"))
    bad = []
    for f in files:
        art = read_article(f)
        for fact in extract(art):
            if not (fact.quote and fact.quote in art.original):
                # a held-out article is named, never quoted
                bad.append(f.stem if sets.is_held_out(f.stem) else (f.stem, fact.quote))
    assert not bad


def test_seed001_jiangbei_target():
    facts = extract(read_article(SEED_TEXTS / "seed001.txt"))
    t = [f for f in facts if f.kind == "target"]
    assert len(t) == 1
    f = t[0]
    assert (f.entity, f.entity_type, f.metric, f.value, f.period, f.qualifier) == (
        "江北区",
        "district",
        "industrial_output",
        2300e8,
        "2027",
        "over",
    )
    assert f.entity_as_written == "江北"
    assert f.quote == "江北規(guī)上工業(yè)總產(chǎn)值將突破2300億元大關(guān)"


def test_headline_repeating_the_body_is_one_fact():
    facts = extract(read_article(SEED_TEXTS / "seed001.txt"))
    assert len([f for f in facts if f.value == 2300e8]) == 1
    assert len([f for f in facts if f.value == 1500e8]) == 1


def test_duplicated_page_body_gives_each_fact_once():
    facts = extract(read_article(SEED_TEXTS / "seed000.txt"))
    assert sorted((f.metric, f.value) for f in facts) == [
        ("industrial_investment_share_of_city", 59.0),
        ("revenue_share_of_city", 42.0),
    ]


def test_implicit_entity_and_relative_period(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("沙坪坝区召开发布会\n来源:新闻网2024-07-09\n今年1月至5月,全区技改投资增长19.7%。", encoding="utf-8")
    (f,) = extract(read_article(p))
    assert (f.entity, f.metric, f.value, f.period, f.kind) == (
        "沙坪坝区",
        "tech_renovation_investment_growth",
        19.7,
        "2024-01..2024-05",
        "actual",
    )
    assert f.entity_inferred


def test_published_option_settles_the_year(tmp_path):
    import datetime as dt

    p = tmp_path / "a.txt"
    p.write_text("前三季度,重庆新增专精特新“小巨人”企业超50家。", encoding="utf-8")
    (f,) = extract(read_article(p))
    assert f.period == "????-01..????-09"
    (f,) = extract(read_article(p, published=dt.date(2023, 12, 6)))
    assert (f.entity, f.metric, f.value, f.period, f.qualifier) == (
        "重庆市",
        "new_little_giant_count",
        50,
        "2023-01..2023-09",
        "over",
    )


def test_places_outside_the_pack_come_from_jionlp(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("2023-09-12\n2022年,合肥市工业投资同比增长25.8%,总量1200亿元。", encoding="utf-8")
    facts = extract(read_article(p))
    assert {(f.entity, f.entity_type, f.metric) for f in facts} == {
        ("合肥市", "city", "industrial_investment_growth"),
        ("合肥市", "city", "industrial_investment"),
    }


def test_the_scorer_matches_the_shared_one(tmp_path):
    scorer = need(SHARED / "tools" / "score_facts.py")
    gold = load(need(SEEDS_GOLD))
    pred = predict(sorted(SEED_TEXTS.glob("seed00*.txt")))[:-3]
    pf = tmp_path / "pred.jsonl"
    pf.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pred), encoding="utf-8")
    out = json.loads(
        subprocess.run(
            [sys.executable, str(scorer), str(SEEDS_GOLD), str(pf), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    mine = score(gold, pred)
    for level in ("strict", "lenient"):
        for k in ("tp", "fp", "fn", "precision", "recall", "f1"):
            assert out[level][k] == mine[level][k], (level, k)


def test_norm_entity():
    assert norm_entity("重庆市江北区") == norm_entity("江北") == "江北"
    assert norm_entity("重庆市") == "市"  # as the shared scorer does: 重庆市 and 重庆 compare equal
    assert norm_entity("重庆") == "重庆" and norm_entity("重庆市") != norm_entity("江北")
