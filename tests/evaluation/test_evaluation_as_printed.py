"""A real form that is inconsistent in itself is scored as printed, with discrepancies (form-layouts.md §5)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.model import BudgetExecution, EvaluatedIndicator, Project, SelfEvaluation
from jixiao.domain.targets import parse_target
from jixiao.evaluation.report import score_report

D = Decimal


def _form(actual: str, weights: tuple[int, int, int]) -> SelfEvaluation:
    rows = [
        ("产出指标", "数量指标", "培训人次", ">=700人次", actual),
        ("效益指标", "社会效益指标", "群众知晓率", "=100%", "100%"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", ">=90%", "95%"),
    ]
    return SelfEvaluation(
        2023,
        Project("青少年体育培训"),
        BudgetExecution(D(100), D(100), D(90), D(10), D(90), D(9)),
        indicators=[
            EvaluatedIndicator(l1, l2, name, parse_target(t), actual=a, weight=D(w))
            for (l1, l2, name, t, a), w in zip(rows, weights, strict=True)
        ],
    )


def test_weights_totalling_100_beside_the_budget_are_scored_and_reported() -> None:
    report = score_report(_form("735人次", (50, 40, 10)))
    assert report["computed"]["total_score"] == "109.00"  # 9 + 100: as printed, not corrected
    [d] = report["discrepancies"]
    assert (d["field"], d["printed"], d["computed"]) == ("indicators.weight", "100", "90")


def test_an_actual_without_the_targets_unit_is_read_in_that_unit_and_reported() -> None:
    report = score_report(_form("735", (50, 30, 10)))
    assert report["computed"]["indicators"][0]["score"] == "50.00"
    [d] = report["discrepancies"]
    assert (d["field"], d["printed"], d["computed"]) == ("indicators[0].actual", "735", "735人次")
    assert "未写单位" in d["message"]
