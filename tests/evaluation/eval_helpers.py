"""Small builders for evaluation tests: documents written out explicitly, no factories."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.domain.model import BudgetExecution, EvaluatedIndicator, Project, SelfEvaluation
from jixiao.domain.targets import try_parse_target

FIXTURES = Path(__file__).parent / "fixtures"
PUTUO = FIXTURES / "putuo_2022_self_evaluation.json"


def ind(
    level1: str,
    target: str,
    actual: str | None,
    weight: str | None = None,
    score: str | None = None,
    note: str | None = None,
    name: str = "指标",
    level2: str = "",
) -> EvaluatedIndicator:
    """Return one evaluated indicator row."""
    return EvaluatedIndicator(
        level1=level1,
        level2=level2,
        name=name,
        target=try_parse_target(target),
        actual=actual,
        weight=None if weight is None else Decimal(weight),
        score=None if score is None else Decimal(score),
        deviation_note=note,
    )


def doc(
    indicators: list[EvaluatedIndicator], adjusted: str = "100", executed: str = "100", year: int = 2022
) -> SelfEvaluation:
    """Return a self-evaluation with a simple budget and the given rows."""
    return SelfEvaluation(
        year=year,
        project=Project(name="测试项目"),
        budget=BudgetExecution(
            initial=Decimal(adjusted), adjusted=Decimal(adjusted), executed=Decimal(executed)
        ),
        indicators=indicators,
    )
