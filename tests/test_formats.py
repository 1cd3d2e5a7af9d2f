"""One number formatter (zhizao/formats.py) for the CLI, the pages, the analytics' reason texts and the reports:
the same yuan read the same everywhere, and a fixed unit is chosen by passing it."""

from __future__ import annotations

import math

import pytest

from zhizao import formats as F


@pytest.mark.parametrize(
    "v, zh, en",
    [
        (5_000_000, "500万元", "5M yuan"),
        (1.5073e11, "1507.3亿元", "150.73B yuan"),
        (2.6e12, "2.6万亿元", "2.6T yuan"),
        (136, "136元", "136 yuan"),
        (-3.2e9, "-32亿元", "-3.2B yuan"),
    ],
)
def test_money_picks_the_unit_by_magnitude_in_both_languages(v, zh, en):
    assert F.money(v, "zh") == zh and F.money(v, "en") == en


def test_a_kpi_card_fixes_its_unit_by_passing_it():
    # the case of the issue: 5,000,000 yuan is 500万元 by magnitude, and 0.05亿元 on a card that shows 亿元
    assert F.money(5e6, "zh", unit="亿元") == "0.05亿元"
    assert F.money(1.5073e11, "zh", unit="亿元") == "1,507.3亿元"
    assert F.money(1.5073e11, "en", unit="亿元") == "150.73 B yuan"
    assert F.in_unit(1.5073e11, "亿元") == "1,507.3" and F.in_unit(None, "亿元") is None


@pytest.mark.parametrize("v", [None, float("nan"), math.inf])
def test_nothing_to_show_is_a_dash(v):
    assert F.money(v, "zh") == F.scaled(v) == F.percent(v) == F.compact(v) == F.plain(v) == "—"


def test_percent_number_and_table_forms():
    assert F.percent(0.0512) == "5.1%" and F.percent(-0.0512) == "-5.1%" and F.percent(0.05, signed=True) == "+5.0%"
    assert F.number(1234.5) == "1,234.5" and F.number(1500.0, 0) == "1,500" and F.number(2.0) == "2"
    assert F.scaled(9999) == "9,999" and F.scaled(12345, "zh") == "1.23万" and F.scaled(2.6e12) == "2.6万亿"
    assert F.plain(150730000000.0) == "150,730,000,000" and F.plain(0.31274) == "0.3127"
    assert F.compact(12345) == "12,345" and F.compact(1.5e8, "en") == "150M" and F.compact(True) == "✓"


def test_the_pages_and_the_chain_reasons_use_this_formatter():
    from zhizao.web import i18n
    from zhizao.web.pages import common

    assert not hasattr(i18n, "money") and not hasattr(i18n, "num") and not hasattr(i18n, "pct")
    assert common.cell("output_value", 5e6, "zh") == "500万" and common.cell("output_value", 5e6, "en") == "5M"
    assert common.cell("output_value_growth", 0.05, "zh") == "5.0%"
    assert i18n.js_labels("zh")["scale"] == 1e8 and i18n.js_labels("en")["money_axis"] == "B yuan"
