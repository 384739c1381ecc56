"""A department's overall targets and its self-evaluation, with their workflow steps.

Each record keeps its canonical JSON (``jixiao.formats.json_department.to_dict``) and the few
derived columns lists filter on (year, status, grade, the roll-up score). The roll-up is always
recomputed from the projects' self-evaluations when the record is saved, never typed in.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.db.accounts.models import Organisation
from jixiao.db.common import Edited, GradedStep, step_of
from jixiao.db.declarations.models import Grade, Status
from jixiao.db.evaluation.models import evaluation_status


class DepartmentDeclarationRecord(Edited):
    """One 部门整体支出绩效目标申报表: one per department and budget year."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="department_declarations",
    )
    year = models.IntegerField(_("年度"), db_index=True)
    document = models.JSONField(_("规范 JSON"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    grade = models.CharField(_("审核等级"), max_length=2, choices=Grade.choices, blank=True)
    total_budget = models.DecimalField(_("年度预算总额（元）"), max_digits=18, decimal_places=2, null=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        verbose_name = _("部门整体支出绩效目标")
        verbose_name_plural = _("部门整体支出绩效目标")
        ordering = ["-year", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_department_declaration_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organisation.name}"


class DepartmentSelfEvaluationRecord(Edited):
    """One 部门整体支出绩效自评表 of a department declaration, with its roll-up of the projects."""

    declaration = models.OneToOneField(
        DepartmentDeclarationRecord, on_delete=models.CASCADE, related_name="self_evaluation"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="department_self_evaluations"
    )
    year = models.IntegerField(_("年度"), db_index=True)
    document = models.JSONField(_("规范 JSON"))
    score = models.DecimalField(_("汇总得分"), max_digits=6, decimal_places=2, null=True)
    grade = models.CharField(_("等级"), max_length=2, blank=True)
    status = evaluation_status()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        verbose_name = _("部门整体支出绩效自评")
        verbose_name_plural = _("部门整体支出绩效自评")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.organisation.name}（自评）"


class DepartmentTransition(GradedStep):
    """One workflow step of a department declaration or self-evaluation: who, when, from, to, why."""

    declaration = step_of(DepartmentDeclarationRecord)
    self_evaluation = step_of(DepartmentSelfEvaluationRecord)

    class Meta(GradedStep.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(declaration__isnull=False) ^ models.Q(self_evaluation__isnull=False),
                name="department_transition_has_one_document",
            )
        ]
