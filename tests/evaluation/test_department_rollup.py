"""The roll-up of a department's projects (部门整体支出绩效自评), on hand-worked examples."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from eval_helpers import PUTUO, doc, ind

from jixiao.domain.department import ProjectResult
from jixiao.domain.errors import ScoringError
from jixiao.domain.provenance import Choice, jixiao_own
from jixiao.evaluation.config import RollupWeights, get_rules, with_options
from jixiao.evaluation.department import project_result, rollup
from jixiao.formats.json import from_dict

D = Decimal

# Four projects of one department, written out by hand:
#   A 250,000.00 budget, 215,457.60 executed, 98.62 → 优, 5 indicators all met (the §5.7 form)
#   B  20,000.00 budget,   9,034.00 executed, 70.00 → 中, 4 indicators, 2 met
#   C 100,000.00 budget, 100,000.00 executed, 85.00 → 良, 6 indicators, 5 met
#   D  50,000.00 budget, no complete self-evaluation: listed as missing, left out of every rate
PROJECTS = [
    ProjectResult("A", "单位甲", D("250000.00"), D("215457.60"), D("98.62"), "优", 5, 5),
    ProjectResult("B", "单位甲", D("20000.00"), D("9034.00"), D("70.00"), "中", 4, 2),
    ProjectResult("C", "单位乙", D("100000.00"), D("100000.00"), D("85.00"), "良", 6, 5),
    ProjectResult("D", "单位乙", D("50000.00"), None, None, None, 0, 0),
]


def test_rollup_by_hand() -> None:
    result = rollup(PROJECTS, "shanghai")
    f = result.figures
    # Σ budget = 250,000 + 20,000 + 100,000 = 370,000.00 (D left out)
    # Σ executed = 215,457.60 + 9,034 + 100,000 = 324,491.60
    assert (f.budget, f.executed) == (D("370000.00"), D("324491.60"))
    # 324,491.60 / 370,000 = 0.8770043… → 87.70 %; × 30 points = 26.3101… → 26.31
    assert f.execution_rate == D("87.70")
    assert result.execution_points == D("26.31")
    # graded 优/良: A and C of A, B, C → 2/3 = 66.67 %; × 40 = 26.666… → 26.67
    assert (result.graded, result.good, f.good_share, result.good_points) == (3, 2, D("66.67"), D("26.67"))
    # indicators met: 5 + 2 + 5 = 12 of 5 + 4 + 6 = 15 → 80.00 %; × 30 = 24.00
    assert (result.indicators, result.met, f.met_share, result.met_points) == (15, 12, D("80.00"), D("24.00"))
    # 26.31 + 26.67 + 24.00 = 76.98 → 中 (60 ≤ 76.98 < 80, 10号 bands)
    assert (f.score, f.grade) == (D("76.98"), "中")
    assert result.missing == ("D",)
    assert not result.complete


def test_rollup_weights_follow_the_region_option() -> None:
    # execution 40 / good 30 / met 30: 0.8770043 × 40 = 35.08; 2/3 × 30 = 20.00; 12/15 × 30 = 24.00
    rules = with_options("shanghai", {"department_rollup_weights": "execution"})
    result = rollup(PROJECTS, rules)
    assert (result.execution_points, result.good_points, result.met_points) == (
        D("35.08"),
        D("20.00"),
        D("24.00"),
    )
    assert result.figures.score == D("79.08")
    assert result.figures.grade == "中"
    assert result.choice.key == "execution"


def test_execution_above_budget_scores_at_most_full_points() -> None:
    # 120 executed of 100: the rate prints 120.00 % but the points stop at 30 (min(rate, 100%) × w, §5.2)
    result = rollup([ProjectResult("X", None, D(100), D(120), D(95), "优", 2, 2)], "shanghai")
    assert result.figures.execution_rate == D("120.00")
    assert result.execution_points == D("30.00")
    assert (result.figures.score, result.figures.grade) == (D("100.00"), "优")
    assert result.complete


def test_a_region_with_invalid_weights_is_refused() -> None:
    bad = Choice("mine", "坏的", "bad", jixiao_own("测试"), RollupWeights(D(50), D(30), D(30)))
    rules = replace(get_rules("shanghai"), options={"department_rollup_weights": bad})
    with pytest.raises(ScoringError) as exc:
        rollup(PROJECTS, rules)
    assert exc.value.code == "JX-E651"


def test_no_project_is_an_error() -> None:
    with pytest.raises(ScoringError) as exc:
        rollup([], "shanghai")
    assert exc.value.code == "JX-E652"
    assert "没有可汇总的项目" in exc.value.message_zh and "no project" in exc.value.message_en


def test_project_result_of_the_putuo_form() -> None:
    # §5.7: 215,457.6 / 250,000 → 8.62, indicators 90 → 98.62 优; all five indicators met
    [evaluation] = [from_dict(d) for d in __import__("json").loads(PUTUO.read_text("utf-8"))]
    line = project_result(evaluation, "shanghai", unit="普陀区体育事业管理中心")  # type: ignore[arg-type]
    assert (line.score, line.grade, line.indicators, line.met) == (D("98.62"), "优", 5, 5)
    assert (line.budget, line.executed) == (D("250000.00"), D("215457.60"))


def test_project_result_counts_a_shortfall_and_a_partial_grade_as_not_met() -> None:
    # 产出 50 split 25/25: 90 of ≥100 → 25 × 0.9 = 22.50 (not met); 100 of ≥100 → 25 (met)
    # 效益 30: 部分达成 scored 20 (inside [18, 24)) → not met; 满意度 10: 95% of ≥90% → met
    # budget 100/100 → 10; total 10 + 22.5 + 25 + 20 + 10 = 87.50 → 良
    form = doc(
        [
            ind("产出指标", ">=100", "90", note="人员不足", name="a"),
            ind("产出指标", ">=100", "100", name="b"),
            ind("效益指标", "提升", "部分达成", score="20", note="部分达成", name="c"),
            ind("满意度指标", ">=90%", "95%", name="d"),
        ]
    )
    line = project_result(form, "shanghai")
    assert (line.score, line.grade, line.indicators, line.met) == (D("87.50"), "良", 4, 2)


def test_project_result_without_a_complete_score_has_no_grade() -> None:
    line = project_result(doc([ind("产出指标", ">=100", None)]), "shanghai")
    assert (line.score, line.grade, line.indicators) == (None, None, 0)
    assert rollup([line], "shanghai").missing == ("测试项目",)
