"""jixiao.evaluation: self-evaluation scoring (绩效自评) and in-year monitoring (运行监控).

Pure functions, no Django, every number in one table per region (:data:`REGION_RULES`)::

    from jixiao.evaluation import evaluate, score_report, monitor
    ev = evaluate(self_evaluation, "shanghai")        # scores, errors collected per row
    report = score_report(self_evaluation)            # printed vs computed (``jixiao score``)
    result = monitor(monitoring_report, cutoff_month=7)  # traffic lights and warnings

Rules: domain-rules.md §4 (monitoring) and §5 (scoring), 财预〔2020〕10号.
"""

from __future__ import annotations

from jixiao.evaluation.config import REGION_RULES, RegionRules, get_rules
from jixiao.evaluation.monitoring import (
    MonitoredIndicator,
    MonitoringReport,
    MonitoringResult,
    MonitoringWarning,
    monitor,
)
from jixiao.evaluation.render_html import render_monitoring_html, render_self_evaluation_html
from jixiao.evaluation.report import Discrepancy, discrepancies, score_report
from jixiao.evaluation.scoring import (
    BudgetScore,
    Evaluation,
    IndicatorScore,
    budget_score,
    default_weights,
    evaluate,
    score_indicator,
    score_self_evaluation,
)

__all__ = [
    "REGION_RULES",
    "BudgetScore",
    "Discrepancy",
    "Evaluation",
    "IndicatorScore",
    "MonitoredIndicator",
    "MonitoringReport",
    "MonitoringResult",
    "MonitoringWarning",
    "RegionRules",
    "budget_score",
    "default_weights",
    "discrepancies",
    "evaluate",
    "get_rules",
    "monitor",
    "render_monitoring_html",
    "render_self_evaluation_html",
    "score_indicator",
    "score_report",
    "score_self_evaluation",
]
