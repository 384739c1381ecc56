"""The canonical model of the forms: plain dataclasses, no Django, no file formats, no I/O.

A :class:`Declaration` is one 财政项目支出绩效目标申报表 (one project, one budget year); a
:class:`SelfEvaluation` is one 财政项目支出绩效自评表. Money is ``Decimal`` 元, dates are ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar

from jixiao.domain.targets import Target

__all__ = [
    "BudgetExecution",
    "BudgetLine",
    "Declaration",
    "Document",
    "EvaluatedIndicator",
    "FIELD_STATUSES",
    "FieldRead",
    "FieldStatus",
    "Funding",
    "Goals",
    "Indicator",
    "MonitoredIndicator",
    "MonitoringReport",
    "ParseWarning",
    "Project",
    "SelfEvaluation",
    "Source",
    "not_found_fields",
    "numbered",
]


@dataclass(slots=True)
class Project:
    """The header of a form: 项目名称, 项目类别, 项目性质, the two units and the planned dates."""

    name: str
    category: str | None = None
    nature: str | None = None
    competent_department: str | None = None
    implementing_unit: str | None = None
    start_date: date | None = None
    end_date: date | None = None


@dataclass(slots=True)
class Funding:
    """项目资金 (元). ``total*`` are whole-life amounts, ``annual*`` this year's (domain-rules §6)."""

    total: Decimal | None = None
    total_fiscal: Decimal | None = None
    total_other: Decimal | None = None
    annual: Decimal | None = None
    annual_appropriation: Decimal | None = None
    annual_carryover: Decimal | None = None
    annual_other: Decimal | None = None


# The funding fields in the order of the form; readers, writers and the editor iterate over these.
FUNDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Funding))


@dataclass(slots=True)
class Goals:
    """项目总目标 and 年度总目标, free text as printed (wrapped lines joined)."""

    overall: str | None = None
    annual: str | None = None


@dataclass(slots=True)
class Indicator:
    """One row of the indicator table: 一级, 二级, 三级 (the name users write) and its target."""

    level1: str
    level2: str
    name: str
    target: Target


@dataclass(slots=True)
class Source:
    """Where a document came from: the file, the form's index in it (1-based), its first line."""

    file: str | None = None
    form_index: int | None = None
    line: int | None = None
    sheet: str | None = None
    page: int | None = None


class _Sourced(Protocol):
    source: Source


_S = TypeVar("_S", bound=_Sourced)


def numbered(forms: list[_S]) -> list[_S]:
    """Number the forms read from one file in reading order (``source.form_index``, from 1); return them."""
    for n, form in enumerate(forms, start=1):
        form.source.form_index = n
    return forms


@dataclass(slots=True)
class ParseWarning:
    """Something a reader could not find or had to guess; the rest of the document still reads."""

    code: str
    message: str
    message_en: str
    line: int | None = None
    field: str | None = None
    cell: str | None = None
    page: int | None = None
    sheet: str | None = None


FieldStatus = Literal["read", "blank", "not_found"]
FIELD_STATUSES: tuple[str, ...] = ("read", "blank", "not_found")


@dataclass(slots=True)
class FieldRead:
    """How a reader got one field: ``read`` (a value was printed), ``blank`` (the label is on the
    form and its cell is empty) or ``not_found`` (the reader found no label for it), and where.

    A review rule that blames the filler for a missing value must check that the field is
    ``blank``, not ``not_found``: a field the reader could not find is a reading problem.
    """

    status: FieldStatus
    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form: the status and the non-empty location keys."""
        out: dict[str, Any] = {"status": self.status}
        for key in ("line", "page", "sheet", "cell"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.bbox is not None:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        return out


def not_found_fields(doc: Declaration | SelfEvaluation) -> set[str]:
    """Return the paths of the fields the reader of ``doc`` could not find on the form."""
    return {path for path, read in doc.fields.items() if read.status == "not_found"}


@dataclass(slots=True)
class Declaration:
    """One 财政项目支出绩效目标申报表: a project's performance targets for one budget year."""

    year: int | None
    project: Project
    funding: Funding = field(default_factory=Funding)
    goals: Goals = field(default_factory=Goals)
    indicators: list[Indicator] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    warnings: list[ParseWarning] = field(default_factory=list)
    # Field path ("project.name", "funding.annual") -> how it was read; empty for documents that
    # were not read from a form (JSON, the web editor).
    fields: dict[str, FieldRead] = field(default_factory=dict)

    kind: Literal["declaration"] = "declaration"


@dataclass(slots=True)
class BudgetLine:
    """One funding row of the self-evaluation: 年初预算数, 全年预算数, 全年执行数."""

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None


@dataclass(slots=True)
class BudgetExecution:
    """The 项目资金 block of the self-evaluation. Only the 年度资金总额 row is scored (§5.2).

    ``execution_rate`` is a percentage (86.18 means 86.18 %); ``weight`` is normally 10.
    ``lines`` holds the sub-rows by key: ``appropriation``, ``carryover``, ``other``.
    """

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    weight: Decimal | None = None
    execution_rate: Decimal | None = None
    score: Decimal | None = None
    lines: dict[str, BudgetLine] = field(default_factory=dict)


@dataclass(slots=True)
class EvaluatedIndicator:
    """An indicator row of the self-evaluation: the declared target and the year-end result."""

    level1: str
    level2: str
    name: str
    target: Target
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation_note: str | None = None
    # The baseline a relative target (较上年提高5个百分点) is measured from, as the unit entered it
    # (e.g. "85%"); used when jixiao holds no previous self-evaluation of the unit.
    baseline: str | None = None


@dataclass(slots=True)
class SelfEvaluation:
    """One 财政项目支出绩效自评表. Printed scores are kept as printed; scoring recomputes them."""

    year: int | None
    project: Project
    budget: BudgetExecution = field(default_factory=BudgetExecution)
    goals: Goals = field(default_factory=Goals)
    outcome: str | None = None
    indicators: list[EvaluatedIndicator] = field(default_factory=list)
    total_score: Decimal | None = None
    grade: str | None = None
    source: Source = field(default_factory=Source)
    warnings: list[ParseWarning] = field(default_factory=list)
    fields: dict[str, FieldRead] = field(default_factory=dict)

    kind: Literal["self_evaluation"] = "self_evaluation"


Document = Declaration | SelfEvaluation


@dataclass(slots=True)
class MonitoredIndicator:
    """One indicator row of the 绩效监控表 (field names of the 136号 template, vendor S12)."""

    level1: str
    level2: str
    name: str
    target: Target
    progress: str | None = None  # 1–N月实际完成值, typed like a target ("60%", "420人次")
    forecast: str | None = None  # 全年预计完成情况
    likelihood: str | None = None  # 完成目标可能性
    reasons: list[str] = field(default_factory=list)  # 偏差原因分析 (multi-select)
    other_reason: str | None = None  # the text of 其他原因
    measures: str | None = None  # 改进措施
    note: str | None = None  # 备注


@dataclass(slots=True)
class MonitoringReport:
    """One project's 绩效运行监控表 at a cut-off month; ``budget.executed`` is the amount to date."""

    year: int | None
    project: Project
    cutoff_month: int = 7
    budget: BudgetExecution = field(default_factory=BudgetExecution)
    goals: Goals = field(default_factory=Goals)
    progress_summary: str | None = None  # 总体目标完成情况 to date
    indicators: list[MonitoredIndicator] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    reported_on: date | None = None

    kind: Literal["monitoring"] = "monitoring"
