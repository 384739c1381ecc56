"""A small corpus written by the tests: canonical JSON forms of a few units over a few years."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.domain.model import Declaration, EvaluatedIndicator, Goals, Indicator, Project, SelfEvaluation
from jixiao.domain.targets import parse_target
from jixiao.formats.json import dumps

SHARED_GOAL = "通过购买第三方服务，进一步提高网格案件的发现质量及处置实效"


def declaration(
    unit: str, year: int, targets: dict[str, str], *, project: str = "城市管理项目", goal: str | None = None
) -> Declaration:
    """Return a declaration of ``unit`` for ``year`` with one 产出 indicator per (name, target)."""
    return Declaration(
        year=year,
        project=Project(name=project, implementing_unit=unit),
        goals=Goals(overall=goal, annual=goal),
        indicators=[Indicator("产出指标", "数量指标", name, parse_target(t)) for name, t in targets.items()],
    )


def self_evaluation(unit: str, year: int, actuals: dict[str, tuple[str, str]]) -> SelfEvaluation:
    """Return a self-evaluation of ``unit`` for ``year``: name → (target, actual)."""
    return SelfEvaluation(
        year=year,
        project=Project(name="城市管理项目", implementing_unit=unit),
        indicators=[
            EvaluatedIndicator("满意度指标", "服务对象满意度指标", name, parse_target(t), actual=a)
            for name, (t, a) in actuals.items()
        ],
    )


@pytest.fixture
def write_forms(tmp_path: Path) -> Callable[[str, list[Declaration | SelfEvaluation]], Path]:
    """Return a function writing documents as one canonical JSON file under the test's folder."""

    def write(name: str, docs: list[Declaration | SelfEvaluation]) -> Path:
        path = tmp_path / "forms" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(docs), encoding="utf-8")
        return path

    return write
