"""A small corpus written by the tests: canonical JSON forms of a few units over a few years."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.domain.model import Declaration, EvaluatedIndicator, Goals, Indicator, Project, SelfEvaluation
from jixiao.domain.targets import parse_target
from jixiao.formats.json import dumps

SHARED_GOAL = "通过购买第三方服务，进一步提高网格案件的发现质量及处置实效"

# Four units of three levels, as their names say.
JIA = "上海市青浦区城市运行管理中心"  # 区县级
YI = "上海市徐汇区环境卫生管理所"  # 区县级
BING = "安徽省农村水利水电发展中心"  # 省级
DING = "芜湖市社会福利中心"  # 市级

# (unit, year, satisfaction indicator as the unit names it, target value %)
DECLARED = [
    (JIA, 2021, "市民满意度", 85),
    (JIA, 2022, "市民满意度", 85),
    (JIA, 2023, "市民满意度", 85),
    (YI, 2023, "群众满意度", 90),
    (BING, 2023, "服务对象满意度", 95),
    (DING, 2023, "服务对象满意度", 80),
]
# The year before: 甲 reached 92% (its 85% target for 2023 is low-balled), 乙 reached 88% (90% is not).
ACTUAL = [(JIA, 2022, "市民满意度", 92), (YI, 2022, "群众满意度", 88)]


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
