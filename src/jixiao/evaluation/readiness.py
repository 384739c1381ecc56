"""What a self-evaluation or a monitoring report must satisfy before it moves on in the workflow.

The one list behind the form's live check, the workflow's refusal and the review page: every row
scored (actuals read against the target's kind and unit, weights summing as the region's rules say,
domain-rules.md §5.1), and every missed or far-exceeded target explained by a 偏差原因分析及改进措施
(§5.3). Each problem names its field, so the form can show it beside the input.
"""

from __future__ import annotations

from jixiao.domain.model import SelfEvaluation
from jixiao.domain.workflow import Problem
from jixiao.evaluation.monitoring import MonitoringResult
from jixiao.evaluation.scoring import Evaluation

__all__ = ["monitoring_problems", "self_evaluation_problems"]


def self_evaluation_problems(doc: SelfEvaluation, ev: Evaluation) -> list[Problem]:
    """Return what blocks ``doc`` (scored as ``ev``) from moving on, in the form's order."""
    problems = [Problem(e.message_zh, e.message_en, e.where.field) for e in ev.errors]
    for row in ev.indicators:
        if not row.note_missing:
            continue
        why_zh = "超出目标较多（≥130%）" if row.note_required == "over" else "未完成目标"
        why_en = "far exceeded its target (≥130 %)" if row.note_required == "over" else "missed its target"
        problems.append(
            Problem(
                f"指标「{row.name}」{why_zh}，须填写偏差原因分析及改进措施",
                f"indicator '{row.name}' {why_en}: a deviation note (analysis of the deviation and corrective measures) is required",
                f"indicators[{row.index}].deviation_note",
            )
        )
    if not (doc.outcome or "").strip():
        problems.append(
            Problem(
                "请填写年度总体目标实际完成情况",
                "describe what the annual goal achieved (年度总体目标实际完成情况)",
                "outcome",
            )
        )
    return problems


def monitoring_problems(result: MonitoringResult) -> list[Problem]:
    """Return what blocks a monitoring report: each of the monitor's errors, with its field."""
    return [Problem(e.message_zh, e.message_en, e.where.field) for e in result.errors]
