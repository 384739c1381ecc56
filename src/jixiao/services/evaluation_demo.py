"""Demo self-evaluations and July monitoring reports for the approved or published declarations.

Actual values are made up but plausible: most targets met, a few short with a deviation note, one
project's budget lagging in July (a red light) and one indicator in doubt (a yellow light), so that
the dashboard shows every colour. The scores are computed by :mod:`jixiao.evaluation`, as always.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
from jixiao.domain.model import SelfEvaluation
from jixiao.domain.money import to_cents
from jixiao.domain.targets import Target
from jixiao.evaluation.config import DEVIATION_REASONS
from jixiao.services import evaluation as svc

__all__ = ["load_evaluation_demo"]

# (execution ratio for the year, execution ratio by July, shortfall on the first quantitative row).
# The sixth project went badly (half its money spent, most targets missed: 差), so that the results
# report for finance (评价结果应用) shows every kind of suggestion: 优先保障, 整改, 核减, 压减或取消.
_PROFILES: list[tuple[Decimal, Decimal, bool | str]] = [
    (Decimal("0.97"), Decimal("0.62"), False),
    (Decimal("0.92"), Decimal("0.55"), True),
    (Decimal("0.88"), Decimal("0.31"), False),
    (Decimal("1.00"), Decimal("0.66"), False),
    (Decimal("0.95"), Decimal("0.48"), True),
    (Decimal("0.45"), Decimal("0.40"), "poor"),
    (Decimal("0.90"), Decimal("0.58"), False),
]
_POOR_NOTE = "项目实施方案调整，主要工作延至次年，相关资金未支出；已调整实施计划并报主管部门。"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _actual(target: Target, short: bool) -> tuple[str, str | None]:
    """Return a plausible actual value for ``target`` and the deviation note it needs."""
    unit = target.unit or ""
    if target.kind == "numeric" and target.value is not None:
        if target.op in ("<=", "<"):
            return f"{_number(target.value * Decimal('0.9'))}{unit}", None
        if short and target.value > 0:
            return f"{_number((target.value * Decimal('0.94')).quantize(Decimal('0.1')))}{unit}", (
                "受年中人员调整影响，部分工作延后，已于四季度补足人员并加强进度督办。"
            )
        return f"{_number(target.value)}{unit}", None
    if target.kind == "range" and target.low is not None:
        return f"{_number(target.low)}{unit}", None
    if target.kind == "deadline":
        if "当天" in target.text or "当日" in target.text:
            return "当天", None
        if target.month is None and target.value is not None:
            return f"{_number(target.value)}{target.unit or '天'}", None
        return "按时完成", None
    return "达成年度指标", None


def _poor(row: Any) -> None:
    """Make ``row`` a badly missed target: half of a number, 未达成 for a word, late for a deadline."""
    target = row.target
    unit = target.unit or ""
    if target.kind in ("numeric", "range") and not target.reverse:
        goal = target.low if target.kind == "range" else target.value
        if goal is not None and goal > 0:
            half = goal * Decimal("0.5")
            # a count stays whole (35人 → 18人), a rate keeps one decimal
            half = half.quantize(Decimal(1) if unit not in ("%", "％") else Decimal("0.1"))
            row.actual = f"{_number(half)}{unit}"
            row.deviation_note = _POOR_NOTE
    elif target.kind == "qualitative" and row.weight is not None:
        row.actual, row.deviation_note = "未达成年度指标且效果较差", _POOR_NOTE
        row.score = (row.weight * Decimal("0.3")).quantize(Decimal("0.01"))


def load_evaluation_demo(user: Any, limit: int | None = None) -> int:
    """Create a self-evaluation and a July monitoring report for every evaluable declaration
    without one (idempotent; the first ``limit`` of them by key when given); return how many
    self-evaluations were created."""
    created = 0
    objs = Declaration.objects.filter(status__in=svc.EVALUABLE_STATES).order_by("id")[:limit]
    for n, obj in enumerate(objs):
        year_ratio, july_ratio, short = _PROFILES[n % len(_PROFILES)]
        if not MonitoringRecord.objects.filter(declaration=obj, cutoff_month=7).exists():
            report = svc.monitoring_initial(obj, 7)
            annual = report.budget.adjusted or Decimal(100000)
            report.budget.initial = report.budget.adjusted = annual
            report.budget.executed = to_cents(annual * july_ratio)
            report.progress_summary = "各项工作按计划推进。"
            for k, line in enumerate(report.indicators):
                line.progress, _ = _actual(line.target, False)
                line.likelihood, line.forecast = "确定能", "预计全年完成"
                if n == 1 and k == 0:
                    line.likelihood, line.reasons = "有可能", [DEVIATION_REASONS[2]]
                    line.forecast, line.measures = "预计完成95%", "增派人员，按周督办"
            svc.save_monitoring(user, obj, report)
        if SelfEvaluationRecord.objects.filter(declaration=obj).exists():
            continue
        doc: SelfEvaluation = svc.self_evaluation_initial(obj)
        annual = doc.budget.adjusted or Decimal(100000)
        doc.budget.initial = doc.budget.adjusted = annual
        doc.budget.executed = to_cents(annual * year_ratio)
        doc.outcome = "年度目标基本完成，各项指标总体达到预期。"
        first = True
        for row in doc.indicators:
            measurable = row.target.kind in ("numeric", "range") and not row.target.reverse
            row.actual, row.deviation_note = _actual(row.target, short is True and first and measurable)
            first = first and not measurable
            if row.target.kind == "qualitative" and row.weight is not None:
                row.score = (row.weight * Decimal("0.9")).quantize(Decimal("0.01"))
            if short == "poor":
                _poor(row)
        if doc.budget.executed < annual * Decimal("0.9"):
            doc.outcome += "部分支出因合同结算周期延至次年支付。"
        svc.save_self_evaluation(user, obj, doc)
        created += 1
    return created
