"""Raking a matrix of totals to published figures (the demo's calibration), on hand-checkable tables."""

import numpy as np
import pytest

from zhizao.ingest.synth.calibrate import CalibrationError, Constraint, rake
from zhizao.ingest.synth.honours import schedule


def test_a_row_and_a_column_total_are_met_and_the_rest_keeps_its_proportions():
    prior = np.array([[1.0, 1.0], [1.0, 3.0]])
    row0 = Constraint("row0", np.array([[1.0, 1.0], [0, 0]]), 10.0)
    col1 = Constraint("col1", np.array([[0, 1.0], [0, 1.0]]), 20.0)
    m = rake(prior, [row0, col1])
    assert m[0].sum() == pytest.approx(10.0)
    assert m[:, 1].sum() == pytest.approx(20.0)
    assert row0.achieved == pytest.approx(10.0)


def test_a_single_sum_scales_its_support_only():
    prior = np.array([[2.0, 6.0], [5.0, 7.0]])
    c = Constraint("total-of-first-row", np.array([[1.0, 1.0], [0, 0]]), 16.0)
    m = rake(prior, [c])
    np.testing.assert_allclose(m, [[4.0, 12.0], [5.0, 7.0]])


def test_fractional_weights_count_a_share_of_a_cell():
    prior = np.array([[10.0, 10.0]])
    c = Constraint("half-of-second", np.array([[1.0, 0.5]]), 30.0)  # 10 + 0.5*10 = 15 -> 30
    m = rake(prior, [c])
    assert (m * c.weights).sum() == pytest.approx(30.0)
    np.testing.assert_allclose(m, [[20.0, 20.0]])


def test_a_share_constraint_moves_weight_between_group_and_rest_keeping_the_total():
    prior = np.array([[30.0], [70.0]])
    c = Constraint("group-share", np.ones((2, 1)), 0.42, subset=np.array([[True], [False]]))
    m = rake(prior, [c])
    assert m.sum() == pytest.approx(100.0)
    assert m[0, 0] / m.sum() == pytest.approx(0.42)


def test_share_and_total_together():
    prior = np.array([[1.0, 2.0], [3.0, 4.0]])
    total = Constraint("city", np.ones((2, 2)), 26.0)
    share = Constraint("row0-share", np.ones((2, 2)), 0.5, subset=np.array([[True, True], [False, False]]))
    m = rake(prior, [total, share])
    assert m.sum() == pytest.approx(26.0)
    assert m[0].sum() == pytest.approx(13.0)


def test_empty_scope_is_an_error_naming_the_figure():
    prior = np.array([[0.0, 1.0]])
    with pytest.raises(CalibrationError, match="jiangbei"):
        rake(prior, [Constraint("jiangbei", np.array([[1.0, 0.0]]), 5.0)])


def test_conflicting_figures_are_reported():
    prior = np.array([[1.0, 1.0]])
    a = Constraint("whole", np.array([[1.0, 1.0]]), 10.0)
    b = Constraint("part-bigger-than-whole", np.array([[1.0, 0.0]]), 20.0)
    with pytest.raises(CalibrationError, match="cannot all be met"):
        rake(prior, [a, b], max_iter=200)


def test_honour_schedule_meets_a_stock_and_a_flow_of_the_same_year():
    new = schedule({2023: 144}, {2023: 17}, start=2015, last=2025)
    assert sum(v for y, v in new.items() if y <= 2023) == 144
    assert new[2023] == 17
    assert sum(v for y, v in new.items() if y <= 2022) == 127
    assert new[2024] > 0 and new[2025] > 0  # the pace goes on after the last published stock


def test_honour_schedule_from_a_flow_alone():
    new = schedule({}, {2023: 50}, start=2019, last=2025)
    assert new[2023] == 50
    assert sum(new.values()) == 50
