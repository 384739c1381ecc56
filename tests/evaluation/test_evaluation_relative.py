"""Scoring the targets people write (domain-rules.md §5.3): relative, frequency and zero targets.

A relative target's goal is its baseline moved by its size; the baseline is last year's actual of
the unit's previous self-evaluation when jixiao holds it, else the one the unit entered, and the
result says which.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from eval_helpers import doc, ind

from jixiao.evaluation.config import get_rules
from jixiao.evaluation.scoring import evaluate, score_indicator

D = Decimal
RULES = get_rules("national")


def _one(
    target: str,
    actual: str,
    *,
    baseline: str | None = None,
    previous: str | None = None,
    note: str | None = None,
):
    row = replace(ind("产出指标", target, actual, weight="10", name="办结率", note=note), baseline=baseline)
    rows = [row, ind("效益指标", "=100%", "100%", weight="80", name="其他")]
    result = evaluate(doc(rows), "national", previous={"办结率": previous} if previous else None)
    return result.indicators[0]


@pytest.mark.parametrize(
    ("target", "actual", "baseline", "score", "goal"),
    [
        # 85% + 5 points = 90%; 89% reached → 10 × 89/90 = 9.89
        ("较上年提高5个百分点", "89%", "85%", D("9.89"), D(90)),
        ("较上年提高5个百分点", "91%", "85%", D("10.00"), D(90)),
        # the change reported as a change: 10 × 4/5 (完成值/指标值)
        ("较上年提高5个百分点", "较上年提高4个百分点", None, D("8.00"), None),
        ("较上年提高5个百分点", "较上年提高4个百分点", "85%", D("9.89"), D(90)),
        # 100 − 10 % = 90 (reverse: less is better); 99 → 10 × (1 − 9/90) = 9.00
        ("同比下降10%", "99起", "100起", D("9.00"), D(90)),
        ("同比下降10%", "同比下降12%", None, D("10.00"), None),
        ("不低于上年", "120人次", "100人次", D("10.00"), D(100)),
        ("不低于上年", "80人次", "100人次", D("8.00"), D(100)),
        ("≥上年水平", "95%", "95%", D("10.00"), D(95)),
        ("不高于上年", "110万元", "100万元", D("9.00"), D(1000000)),
    ],
)
def test_relative_targets_score_against_the_baseline(
    target: str, actual: str, baseline: str | None, score: Decimal, goal: Decimal | None
) -> None:
    row = _one(target, actual, baseline=baseline)
    assert row.error is None, row.error
    assert (row.method, row.score) == ("relative", score)
    assert row.goal == goal
    if baseline is not None:
        assert row.baseline is not None and row.baseline.source == "entered"


def test_last_years_actual_held_by_jixiao_wins_over_the_entered_one_and_says_so() -> None:
    row = _one("较上年提高5个百分点", "89%", baseline="80%", previous="85%")
    assert row.baseline is not None and row.baseline.source == "previous"
    assert row.goal == D(90)
    assert "上年自评表" in row.baseline.describe()
    assert "previous self-evaluation" in row.baseline.describe("en")


def test_without_any_baseline_a_level_cannot_be_scored_and_the_error_says_what_to_enter() -> None:
    row = _one("较上年提高5个百分点", "89%")
    assert row.error is not None and row.error.code == "JX-E624"
    assert "上年实际值" in row.error.message("zh")


def test_a_worded_baseline_is_an_error_naming_the_indicator() -> None:
    row = _one("较上年提高5个百分点", "89%", baseline="较好")
    assert row.error is not None and row.error.code == "JX-E622"
    assert "办结率" in row.error.message("zh")


def test_points_need_a_percentage_baseline() -> None:
    row = _one("较上年提高5个百分点", "89人", baseline="85人")
    assert row.error is not None and row.error.code == "JX-E623"


def test_a_missed_relative_target_needs_a_deviation_note() -> None:
    assert _one("较上年提高5个百分点", "较上年提高4个百分点").note_missing
    assert not _one("较上年提高5个百分点", "较上年提高4个百分点", note="受疫情影响，下年改进").note_missing


def test_within_budget_uses_the_full_year_budget() -> None:
    # doc() has 全年预算数 100 元: 95 元 spent is within it
    row = _one("控制在预算内", "95元")
    assert row.baseline is not None and row.baseline.source == "budget"
    assert row.score == D("10.00")
    assert _one("控制在预算内", "120元").score == D("8.00")


@pytest.mark.parametrize(
    ("target", "actual", "score"),
    [
        ("每日巡查2次", "每日巡查2次", D("10.00")),
        ("每日巡查2次", "1次", D("5.00")),
        ("每月1次", "每月1次", D("10.00")),
        ("零事故", "0起", D("10.00")),
        ("零事故", "无", D("10.00")),
        ("零事故", "1起", D("0.00")),
        ("100%覆盖", "100%", D("10.00")),
        ("100%覆盖", "90%", D("9.00")),
    ],
)
def test_frequencies_zero_targets_and_noted_units_score_like_numbers(
    target: str, actual: str, score: Decimal
) -> None:
    row = _one(target, actual)
    assert row.error is None, row.error
    assert row.score == score


def test_a_frequency_per_another_period_is_an_error() -> None:
    row = _one("每日巡查2次", "每月2次")
    assert row.error is not None and row.error.code == "JX-E605"


def test_score_indicator_alone_without_baseline_scores_a_change() -> None:
    row = ind("产出指标", "较上年提高5个百分点", "较上年提高5个百分点", weight="10")
    assert score_indicator(row, D(10), RULES).score == D("10.00")
