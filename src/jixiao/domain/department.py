"""Department-wide targets and self-evaluation (部门整体支出绩效目标 / 部门整体支出绩效自评).

财预〔2015〕88号 governs the targets of a 部门/单位's whole spending as well as its projects'
(domain-rules.md §8): "谁批复预算，谁批复目标", the indicators oriented to 履职 and 效能 rather than
to a project's outputs. A :class:`DepartmentDeclaration` is one department's overall targets for a
budget year: its duties, its total budget by source and by use, its goals and an indicator table
whose 一级 are the region's department framework (:data:`DEPARTMENT_FRAMEWORKS`). A
:class:`DepartmentSelfEvaluation` is its year-end self-evaluation: the indicators' actuals and the
roll-up of its projects' own self-evaluations (:class:`ProjectResult` rows).

Pure dataclasses, no Django, no file formats. Money is ``Decimal`` 元.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Literal

from jixiao.domain.keyed import by_key
from jixiao.domain.model import EvaluatedIndicator, FieldRead, Goals, Indicator, ParseWarning, Source
from jixiao.domain.vocabulary import DEFAULT_REGION

__all__ = [
    "DEPARTMENT_DECLARATION_TITLE",
    "DEPARTMENT_FRAMEWORKS",
    "DEPARTMENT_SELF_EVALUATION_TITLE",
    "FUNDS_FIELDS",
    "FUNDS_LABELS",
    "DepartmentDeclaration",
    "DepartmentDocument",
    "DepartmentFramework",
    "DepartmentFunds",
    "DepartmentSelfEvaluation",
    "ProjectResult",
    "RollupFigures",
    "department_framework",
]

DEPARTMENT_DECLARATION_TITLE = "部门整体支出绩效目标申报表"
DEPARTMENT_SELF_EVALUATION_TITLE = "部门整体支出绩效自评表"


@dataclass(slots=True)
class DepartmentFunds:
    """部门预算 (元): the year's total, by source (财政拨款, 上年结转, 其他) and by use (基本/项目支出)."""

    total: Decimal | None = None
    appropriation: Decimal | None = None
    carryover: Decimal | None = None
    other: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None


FUNDS_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DepartmentFunds))
# The form's words for each amount (the Excel/PDF layout and the reader's thesaurus share them).
FUNDS_LABELS: dict[str, str] = {
    "total": "年度预算总额",
    "appropriation": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
    "basic": "基本支出",
    "project": "项目支出",
}


@dataclass(slots=True)
class DepartmentDeclaration:
    """One 部门整体支出绩效目标申报表: a department's overall targets for one budget year."""

    year: int | None
    department: str
    duties: str | None = None  # 部门职能概述
    funds: DepartmentFunds = field(default_factory=DepartmentFunds)
    goals: Goals = field(default_factory=Goals)  # overall = 中长期目标, annual = 年度总体目标
    indicators: list[Indicator] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    warnings: list[ParseWarning] = field(default_factory=list)
    fields: dict[str, FieldRead] = field(default_factory=dict)

    kind: Literal["department_declaration"] = "department_declaration"


@dataclass(slots=True)
class ProjectResult:
    """One project of the department in the roll-up: its budget, execution and self-evaluation.

    ``budget`` is the 全年预算数 and ``executed`` the 全年执行数 of its self-evaluation; ``score`` and
    ``grade`` its recomputed total and grade (None while it has no complete self-evaluation);
    ``indicators`` how many indicators it scored and ``met`` how many of them met their target.
    """

    name: str
    unit: str | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None
    score: Decimal | None = None
    grade: str | None = None
    indicators: int = 0
    met: int = 0


@dataclass(slots=True)
class RollupFigures:
    """The roll-up as printed on a department self-evaluation (rates in percent, 86.18 = 86.18 %)."""

    budget: Decimal | None = None
    executed: Decimal | None = None
    execution_rate: Decimal | None = None
    good_share: Decimal | None = None
    met_share: Decimal | None = None
    score: Decimal | None = None
    grade: str | None = None


@dataclass(slots=True)
class DepartmentSelfEvaluation:
    """One 部门整体支出绩效自评表: the department's indicators with actuals and its projects rolled up."""

    year: int | None
    department: str
    funds: DepartmentFunds = field(default_factory=DepartmentFunds)
    goals: Goals = field(default_factory=Goals)
    outcome: str | None = None  # 年度总体目标完成情况
    indicators: list[EvaluatedIndicator] = field(default_factory=list)
    projects: list[ProjectResult] = field(default_factory=list)
    rollup: RollupFigures = field(default_factory=RollupFigures)
    source: Source = field(default_factory=Source)
    warnings: list[ParseWarning] = field(default_factory=list)
    fields: dict[str, FieldRead] = field(default_factory=dict)

    kind: Literal["department_self_evaluation"] = "department_self_evaluation"


DepartmentDocument = DepartmentDeclaration | DepartmentSelfEvaluation


@dataclass(frozen=True, slots=True)
class DepartmentFramework:
    """The 一级 → 二级 tree of department-wide indicators a region sets."""

    key: str
    title: str
    region: str
    levels: dict[str, tuple[str, ...]]
    basis: str

    def level2_choices(self, level1: str) -> tuple[str, ...]:
        """Return the 二级 names under ``level1`` (exact names), or ()."""
        return self.levels.get("".join(level1.split()), ())

    def knows(self, level1: str, level2: str) -> bool:
        """Return True when ``level2`` belongs under ``level1`` in this framework."""
        return "".join(level2.split()) in self.level2_choices(level1)


# The five 一级 of department-wide targets and their usual 二级. domain-rules.md §8: 88号 covers
# 部门整体 targets and they are 履职/效能-oriented; the field-level lists were not researched, so the
# 二级 below are jixiao's reading of published department forms, to be replaced by a region's own.
# Where a 二级 is also a project framework's (社会效益指标), it keeps that canonical name, so a form
# that prints 社会效益 reads back as the same category.
_LEVELS: dict[str, tuple[str, ...]] = {
    "履职效能": ("重点工作履职情况", "部门职责履行", "产出数量", "产出质量", "产出时效"),
    "管理效率": ("预算管理", "财务管理", "资产管理", "绩效管理", "内控管理"),
    "社会效应": ("经济效益指标", "社会效益指标", "生态效益指标"),
    "可持续发展": ("可持续影响指标", "队伍建设", "制度建设"),
    "服务对象满意度": ("服务对象满意度指标",),
}

DEPARTMENT_FRAMEWORKS: dict[str, DepartmentFramework] = by_key(
    DepartmentFramework(
        "department-national",
        "部门整体支出绩效指标体系（履职效能、管理效率、社会效应、可持续发展、服务对象满意度）",
        "national",
        _LEVELS,
        "财预〔2015〕88号（部门整体支出绩效目标）；二级指标为 jixiao 据公开表格整理，未经官方核实",
    ),
)


def department_framework(region: str = DEFAULT_REGION) -> DepartmentFramework:
    """Return the department framework of ``region`` (the national one where a region has none)."""
    for fw in DEPARTMENT_FRAMEWORKS.values():
        if fw.region == region:
            return fw
    return DEPARTMENT_FRAMEWORKS["department-national"]
