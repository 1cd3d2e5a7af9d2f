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
    ],
)
def test_kind(before, target):
    assert is_target(before, D) is target
