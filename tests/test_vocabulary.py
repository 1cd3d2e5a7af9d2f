"""The project's vocabulary (zhizao/vocab.py): one table of metric keys with Chinese and English labels and
units, read by the pages, the targets command, the import template, the pack loader and the news reader; the
warehouse's yearly figure columns; and the targets' and facts' own wording (metric_zh) kept by every way in."""

from __future__ import annotations

import duckdb

from zhizao import vocab as M
from zhizao.ingest.tables import codes, spec
from zhizao.reference import models


def test_every_metric_has_both_labels_and_a_known_unit():
    for k, m in M.VOCABULARY.items():
        assert m.key == k and m.zh and m.en and m.unit in M.UNIT_LABELS, k
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in m.en.replace("专精特新", "")), k


def test_the_news_readers_metrics_are_the_fact_schemas():
    # README's vocabulary: what the reader may emit; the extra keys (pack targets) are not among them
    assert "industrial_output" in M.FACT_METRICS and "industry_output_growth" in M.FACT_METRICS
    assert "total_industrial_value_added" not in M.FACT_METRICS and "total_industrial_value_added" in M.VOCABULARY
    assert len(M.FACT_METRICS) == 94


def test_labels_are_derived_for_unlisted_keys():
    assert M.label("industry_output") == "产业（集群）产值"
    assert M.label("industry_output", "en") == "Industry (cluster) output"
    assert M.label("value_added_per_energy_growth") == "单位能耗增加值增长"
    assert M.label("new_unicorn_count", "en") == "New unicorns"
    assert M.label("some_new_thing", "en") == "some new thing"
    assert M.count_word("little_giant_count") == "家" and M.count_word("smart_upgrade_project_count") == "个"
    assert M.count_word("national_sme_cluster_count") == "个"


def test_the_import_template_names_metrics_from_the_vocabulary():
    assert all(codes.TEMPLATE_METRICS[k] == M.VOCABULARY[k].zh for k in codes.TEMPLATE_METRICS)
    # every Chinese name of the vocabulary is accepted for the metric column, and means its own key
    assert all(codes.METRIC_ALIASES[m.zh] == k for k, m in M.VOCABULARY.items())


def test_every_chinese_metric_name_is_one_metric():
    names = [m.zh for m in M.VOCABULARY.values()]
    assert len(names) == len(set(names))


def test_the_pack_models_take_units_and_qualifiers_from_the_vocabulary():
    import typing

    assert set(typing.get_args(models.Unit)) == set(M.UNIT_LABELS)
    assert set(typing.get_args(models.Qualifier)) == set(M.QUALIFIER_LABELS)
    assert set(codes.QUALIFIER_SPELLINGS.values()) == set(M.QUALIFIER_LABELS)


def test_the_figure_columns_are_the_warehouses_enterprise_year_columns(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    try:
        cols = [r[0] for r in con.execute("DESCRIBE enterprise_year").fetchall()]
    finally:
        con.close()
    assert cols == ["uscc", "year", *M.FIGURE_COLUMNS]
    # the import template's yearly sheet has the same columns, headed by the vocabulary's names
    assert spec.ENTERPRISE_YEAR.fields == cols
    assert all(spec.ENTERPRISE_YEAR.column(f).zh == M.FIGURE[f].zh for f in M.FIGURE_COLUMNS)
    assert M.figure_label("tax") == "实缴税金" and M.figure_label("tax", "en") == "Taxes paid"
    assert "main_business_share" not in M.SUMMED_FIGURES  # a ratio does not add up over firms


def test_the_pack_loads_each_targets_own_wording(empty_warehouse):
    con = duckdb.connect(str(empty_warehouse), read_only=True)
    try:
        missing = con.execute("SELECT count(*) FROM fact WHERE origin = 'pack' AND metric_zh IS NULL").fetchone()[0]
        jb = con.execute(
            "SELECT metric, metric_zh FROM target WHERE scope_id = '500105' AND year = 2027 "
            "AND metric = 'industrial_output'"
        ).fetchall()
    finally:
        con.close()
    assert missing == 0
    assert jb == [("industrial_output", "规上工业总产值")]  # seed001 writes 規上工業總產值; the wording is simplified
