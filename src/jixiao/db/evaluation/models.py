"""Self-evaluations and monitoring reports of approved declarations.

Each record keeps its canonical JSON (``jixiao.formats.json.to_dict`` for a self-evaluation,
``jixiao.formats.json_monitoring.to_dict`` for a monitoring report) and the few derived columns the
dashboard filters and aggregates on (score, grade, traffic light). The scores are always recomputed
by :mod:`jixiao.evaluation` when the record is saved, never typed in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.db.accounts.models import Organisation
from jixiao.db.common import Edited, WorkflowStep, by_user, status_field, step_of
from jixiao.db.declarations.models import Declaration


class EvaluationStatus(models.TextChoices):
    """The states of the one workflow (jixiao.domain.workflow): 填报 → 单位审核 → 主管部门审核 →
    财政审核 → 公开, with returns to the unit."""

    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("单位审核中")
    DEPT_REVIEW = "dept_review", _("主管部门审核中")
    FINANCE_REVIEW = "finance_review", _("财政审核中")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已公开")


def evaluation_status() -> models.CharField[str, str]:
    """Return the column of a report's state in the workflow, a new draft by default."""
    return models.CharField(
        _("状态"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
        db_index=True,
    )


class SelfEvaluationRecord(Edited):
    """One 财政项目支出绩效自评表 of a declaration (one per declaration, i.e. per project-year)."""

    declaration = models.OneToOneField(Declaration, on_delete=models.CASCADE, related_name="self_evaluation")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="self_evaluations")
    year = models.IntegerField(_("年度"), null=True, db_index=True)
    project_name = models.CharField(_("项目名称"), max_length=300)
    document = models.JSONField(_("规范 JSON"))
    budget_score = models.DecimalField(_("预算执行率得分"), max_digits=6, decimal_places=2, null=True)
    total_score = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, db_index=True)
    grade = models.CharField(_("等级"), max_length=2, blank=True, db_index=True)
    errors_count = models.IntegerField(_("未能计分的项"), default=0)
    status = evaluation_status()
    published = models.DateTimeField(null=True, blank=True)
    published_by = by_user()
    # Every save leaves a row with who, when and the whole record: edits never overwrite silently.
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        verbose_name = _("绩效自评表")
        verbose_name_plural = _("绩效自评表")
        ordering = ["-year", "project_name", "id"]
        # A continuing project's last year is found by unit, year and name (services.evaluation.
        # last_year_record: the declaration page, the editor, relative targets' baselines).
        indexes = [
            models.Index(fields=["organisation", "year", "project_name"], name="self_evaluation_project_year")
        ]

    def __str__(self) -> str:
        return f"{self.year or ''} {self.project_name}"


class MonitoringRecord(Edited):
    """One 绩效运行监控表 of a declaration at a cut-off month (1–7月 by default)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="monitoring_reports")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="monitoring_reports"
    )
    year = models.IntegerField(_("年度"), null=True, db_index=True)
    project_name = models.CharField(_("项目名称"), max_length=300)
    cutoff_month = models.PositiveSmallIntegerField(_("截止月份"), default=7)
    document = models.JSONField(_("规范 JSON"))
    status = evaluation_status()
    budget_rate = models.DecimalField(_("预算执行率"), max_digits=9, decimal_places=2, null=True)
    budget_progress = models.DecimalField(_("进度比"), max_digits=9, decimal_places=2, null=True)
    light = models.CharField(_("预警"), max_length=10, blank=True, db_index=True)
    warnings = models.JSONField(_("预警信息"), default=list, blank=True)
    errors_count = models.IntegerField(_("填报问题"), default=0)
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        verbose_name = _("绩效运行监控表")
        verbose_name_plural = _("绩效运行监控表")
        ordering = ["-year", "project_name", "-cutoff_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "cutoff_month"], name="one_monitoring_report_per_month"
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s %(name)s 1–%(month)s月") % {
            "year": self.year or "",
            "name": self.project_name,
            "month": self.cutoff_month,
        }


class ReportTransition(WorkflowStep):
    """One workflow step of a self-evaluation or a monitoring report: who, when, from, to, why."""

    self_evaluation = step_of(SelfEvaluationRecord)
    monitoring = step_of(MonitoringRecord)
    from_status = status_field(EvaluationStatus.choices)
    to_status = status_field(EvaluationStatus.choices)

    class Meta(WorkflowStep.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(self_evaluation__isnull=False) ^ models.Q(monitoring__isnull=False),
                name="report_transition_has_one_report",
            )
        ]
